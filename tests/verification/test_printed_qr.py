"""The QR code of a printed letter and certificate decodes from a plain scan and from a simulated phone photo,
is printed with modules of at least 0.5 mm (0.6 mm) and keeps its 4-module quiet zone white, and the decoded text
verifies."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from klaten_desktop.reports import qr
from klaten_desktop.services.documents import verify
from tests.verification.conftest import Issued, run_checker

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="needs poppler-utils, zbar-tools"
)
PT_PER_MM = 72 / 25.4


def _raster(pdf: Path, dpi: int, folder: Path, *, gray: bool = False) -> Path:
    stem = folder / f"{pdf.stem}-{dpi}{'-gray' if gray else ''}"
    subprocess.run(["pdftoppm", "-gray" if gray else "-png", "-r", str(dpi), "-f", "1", "-l", "1", str(pdf), str(stem)],
                   check=True)  # fmt: skip
    (image,) = folder.glob(f"{stem.name}-*.p[ng]*")
    return image


def _scan(image: Path) -> str:
    result = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True, check=False)
    return result.stdout.strip()


def _placement(pdf: Path) -> tuple[float, float, float]:
    """(module side, left, top) of the QR code on page 1, in points from the page's lower left corner."""
    content = PdfReader(str(pdf)).pages[0].get_contents()
    assert content is not None
    found = re.search(r"q ([\d.]+) 0 0 -([\d.]+) ([\d.]+) ([\d.]+) cm 0 g", content.get_data().decode("latin-1"))
    assert found is not None, "QR code not drawn as module rectangles"
    return float(found[1]), float(found[3]), float(found[4])


def _pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    magic, width, height, maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return int(width), int(height), pixels


@pytest.mark.parametrize("which", ["letter", "certificate"])
def test_printed_code_has_modules_of_at_least_half_a_millimetre_and_a_white_quiet_zone(
    issued: Issued, which: str
) -> None:
    pdf, text = (
        (issued.letter_pdf, issued.letter_qr) if which == "letter" else (issued.certificate_pdf, issued.certificate_qr)
    )
    module, left, top = _placement(pdf)
    assert module == pytest.approx(qr.MODULE_MM * PT_PER_MM, abs=1e-3) and qr.MODULE_MM >= 0.5
    n = len(qr.rows({"qr": text}))
    dpi = 300
    width, height, pixels = _pgm(_raster(pdf, dpi, issued.folder, gray=True))
    px = dpi / 72
    page_height = height / px

    def dark(x_pt: float, y_pt: float) -> bool:
        return pixels[round((page_height - y_pt) * px) * width + round(x_pt * px)] < 128

    side, quiet = n * module, qr.QUIET_MODULES * module
    assert dark(left + module / 2, top - module / 2)  # the finder pattern's corner: the placement is right
    inner, outer = module / 4, quiet - module / 4  # just outside the code, and just inside the zone's edge
    steps = [i * side / 40 for i in range(-4, 45)]
    ring = [(left + x, top + y) for x in steps for y in (inner, outer)]
    ring += [(left + x, top - side - y) for x in steps for y in (inner, outer)]
    ring += [(left + x, top - y) for y in steps for x in (-inner, -outer, side + inner, side + outer)]
    assert not [p for p in ring if dark(*p)], "something is printed inside the quiet zone"


@pytest.mark.parametrize("which", ["letter", "certificate"])
@pytest.mark.parametrize("dpi", [150, 100])
def test_plain_scan_decodes_and_verifies(issued: Issued, which: str, dpi: int) -> None:
    pdf, text = (
        (issued.letter_pdf, issued.letter_qr) if which == "letter" else (issued.certificate_pdf, issued.certificate_qr)
    )
    assert _scan(_raster(pdf, dpi, issued.folder)) == text
    result = verify.check(issued.regency, text)
    assert result.ok, result.reason


@pytest.mark.parametrize("which", ["letter", "certificate"])
@pytest.mark.parametrize(("angle", "scale", "blur"), [(5, 0.8, 1.5), (10, 1.0, 2.0)], ids=["240dpi", "300dpi"])
def test_a_phone_photo_decodes_and_the_checker_says_sah(
    issued: Issued, which: str, angle: int, scale: float, blur: float
) -> None:
    """A phone held a little crooked over the page: turned 5 or 10 degrees, 240 or 300 dots per inch of
    detail, out of focus by a pixel or two, saved as a JPEG."""
    image_module = pytest.importorskip("PIL.Image")
    image_filter = pytest.importorskip("PIL.ImageFilter")
    pdf, text = (
        (issued.letter_pdf, issued.letter_qr) if which == "letter" else (issued.certificate_pdf, issued.certificate_qr)
    )
    page = image_module.open(_raster(pdf, 300, issued.folder)).convert("L")
    photo = page.rotate(angle, resample=image_module.Resampling.BICUBIC, expand=True, fillcolor=255)
    size = (round(photo.width * scale), round(photo.height * scale))
    photo = photo.resize(size, image_module.Resampling.LANCZOS).filter(image_filter.GaussianBlur(blur))
    path = issued.folder / f"foto-{which}.jpg"
    photo.save(path, quality=70)
    scanned = _scan(path)
    assert scanned == text
    checked = run_checker(issued.bundle, scanned)
    assert checked.code == 0 and checked.out.startswith("HASIL: SAH"), checked.out + checked.err
