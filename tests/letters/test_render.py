"""The PDF itself: the QR code scans back to a verifiable string, the office's logo sits in the kop, and the
letter settings refuse bad values."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import archive, letterhead, verify
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import issue
from tests.conftest import SENGON


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="needs poppler-utils, zbar-tools"
)
def test_printed_qr_code_scans_and_verifies(office: ServiceContext, tmp_path: Path) -> None:
    out = tmp_path / "k.pdf"
    result = issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=out)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(out), str(tmp_path / "hal")], check=True)
    (image,) = tmp_path.glob("hal*.png")
    scanned = subprocess.run(
        ["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert scanned.startswith("KD1:")
    checked = verify.check(office, scanned)
    assert checked.ok, checked.reason
    assert checked.content is not None and checked.content.nomor == result.documents[0].nomor


def test_logo_in_the_kop_and_kept_for_reprints(office: ServiceContext, tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (60, 80), (20, 90, 30)).save(logo)
    settings = letterhead.set_logo(office, SYSTEM, logo)
    assert settings.logo is not None
    out = tmp_path / "k.pdf"
    result = issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=out)
    assert _image_count(out) == 1
    letterhead.set_logo(office, SYSTEM, None)
    archive.reprint(office, SYSTEM, [result.documents[0].id], out=tmp_path / "u.pdf")
    assert _image_count(tmp_path / "u.pdf") == 1  # the reprint shows the logo the letter was issued with
    issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=tmp_path / "tanpa.pdf")
    assert _image_count(tmp_path / "tanpa.pdf") == 0
    bad = tmp_path / "logo.txt"
    bad.write_text("bukan gambar")
    with pytest.raises(UserError, match="PNG atau JPEG"):
        letterhead.set_logo(office, SYSTEM, bad)


def _image_count(path: Path) -> int:
    page = PdfReader(path).pages[0]
    return len(page.images)


def test_settings_refuse_bad_values(ctx: ServiceContext) -> None:
    with pytest.raises(UserError, match="A4 atau F4"):
        letterhead.update(ctx, SYSTEM, kertas="Letter")
    with pytest.raises(UserError, match="bersama"):
        letterhead.update(ctx, SYSTEM, urutan="acak")
    with pytest.raises(UserError, match="Kode klasifikasi"):
        letterhead.update(ctx, SYSTEM, klasifikasi={"iuran": "abc"})
    settings = letterhead.update(ctx, SYSTEM, tempat="Klaten", kode_unit=None)
    assert (settings.tempat, settings.kode_unit) == ("Klaten", "Kec.Prb")
