"""Render the sample pages in docs/samples/ (every kind of printed document, pages as PNG at 60 dpi).

    .venv/bin/python scripts/make_samples.py [--out docs/samples] [--keep-pdf DIR]

Uses a throw-away data folder with the Prambanan office, synthetic demo officials (never real people), a drawn
stand-in emblem (no real emblem is shipped) and a clock frozen on 24 November 2026, 09:00 WIB. Needs
``pdftoppm`` (poppler-utils) on the PATH.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from klaten_desktop.app import open_context  # noqa: E402
from klaten_desktop.domain.coverage import HEAD_POSTS  # noqa: E402
from klaten_desktop.domain.enums import CoverageStatus, Jabatan, OfficeRole  # noqa: E402
from klaten_desktop.domain.months import YearMonth  # noqa: E402
from klaten_desktop.runtime.clock import FixedClock  # noqa: E402
from klaten_desktop.runtime.paths import AppPaths  # noqa: E402
from klaten_desktop.services import demo, enrollment, events, office, officials, payments, recap, recap_files  # noqa: E402
from klaten_desktop.services.context import SYSTEM, ServiceContext  # noqa: E402
from klaten_desktop.services.documents import archive, letterhead  # noqa: E402
from klaten_desktop.services.events import certificates  # noqa: E402
from klaten_desktop.services.events.sheet import print_attendance_sheet  # noqa: E402
from klaten_desktop.services.letters import issue, options  # noqa: E402

TODAY = dt.date(2026, 11, 24)
SENGON = "33.10.01.2001"
#: A name beyond Latin-1 (Latin Extended Additional and A), printed with the embedded fonts.
WIDE_NAME = "Siti Ṣāliḥah Ağustına"


def emblem(path: Path) -> Path:
    """A stand-in emblem (a shield with a star): the office chooses its real logo in the settings."""
    from PIL import Image, ImageDraw

    size = 240
    img = Image.new("RGBA", (size, int(size * 1.2)), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    w, h = img.size
    shield = [(10, 10), (w - 10, 10), (w - 10, h * 0.55), (w / 2, h - 10), (10, h * 0.55)]
    d.polygon(shield, fill=(20, 90, 50), outline=(200, 160, 40))
    d.line([*shield, shield[0]], fill=(200, 160, 40), width=10)
    cx, cy, r = w / 2, h * 0.42, w * 0.28
    import math

    star = [
        (cx + (r if i % 2 == 0 else r * 0.42) * math.sin(i * math.pi / 5),
         cy - (r if i % 2 == 0 else r * 0.42) * math.cos(i * math.pi / 5))
        for i in range(10)
    ]  # fmt: skip
    d.polygon(star, fill=(240, 200, 60))
    img.save(path)
    return path


def pages(pdf: Path, out: Path, name: str, wanted: dict[int, str]) -> None:
    """Pages of ``pdf`` (1-based; -1 = the last) as out/<name>-<suffix>.png."""
    from pypdf import PdfReader

    count = len(PdfReader(pdf).pages)
    for number, suffix in wanted.items():
        page = count if number == -1 else number
        stem = out / f"{name}{suffix}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
            check=True,
        )
        print(stem.with_suffix(".png").relative_to(ROOT) if stem.is_relative_to(ROOT) else stem.with_suffix(".png"))


def setup(ctx: ServiceContext, folder: Path) -> None:
    office.init(
        ctx,
        SYSTEM,
        role=OfficeRole.kecamatan,
        name="Kecamatan Prambanan",
        kecamatan_kode="33.10.01",
        address="Jl. Raya Prambanan No. 1, Klaten 57454",
        phone="(0272) 000000",
        email="kec.prambanan@example.go.id",
        camat_nama="Drs. Contoh Camat, M.Si.",
        camat_nip="197001011990031001",
        camat_pangkat="Pembina Tk. I (IV/b)",
        bpjs_branch_name="Kantor Cabang BPJS Ketenagakerjaan Klaten",
        bpjs_branch_head="Contoh Kepala Cabang",
    )
    demo.populate(ctx, SYSTEM, 1000, seed=7)
    # one registered official of Sengon gets a name beyond Latin-1
    row = next(s for s in issue.subjects(ctx) if s.nomor_kpj and s.desa_kode == SENGON)
    detail = officials.get(ctx, row.id)
    officials.update_official(
        ctx, SYSTEM, row.id, replace(officials.fields_of(detail), nama=WIDE_NAME), expected_version=detail.row_version
    )


def letters(ctx: ServiceContext, folder: Path, out: Path) -> None:
    """Letters without a logo (pengantar, iuran, keterangan on A4 and F4, a reprint, keterangan for each status
    and for a post the ADD does not cover), then one with the logo."""
    pending: dict[str, int] = {}
    for s in issue.subjects(ctx):
        if s.enrollment_id is None:
            pending[s.desa_kode] = pending.get(s.desa_kode, 0) + 1
    busiest = max(pending, key=lambda k: pending[k])  # the longest lampiran
    pengantar = folder / "pengantar.pdf"
    issue.pengantar(ctx, SYSTEM, desa_kode=busiest, out=pengantar)
    pages(pengantar, out, "pengantar", {1: "-hal1-surat", 2: "-hal2-lampiran", -1: "-akhir-lampiran"})
    iuran = folder / "iuran.pdf"
    issue.iuran(ctx, SYSTEM, desa_kode=SENGON, out=iuran, period=(YearMonth(2026, 1), YearMonth(2026, 12)))
    pages(iuran, out, "iuran-a4", {1: "-hal1", -1: "-akhir"})
    wide = next(s for s in issue.subjects(ctx) if s.nama == WIDE_NAME)
    keterangan = folder / "keterangan.pdf"
    result = issue.keterangan(ctx, SYSTEM, official_ids=[wide.id], out=keterangan)
    pages(keterangan, out, "keterangan-nama-non-latin1", {1: ""})
    again = folder / "keterangan-ulang.pdf"
    archive.reprint(ctx, SYSTEM, [result.documents[0].id], out=again)
    pages(again, out, "keterangan-cetakan-ke-2", {1: ""})
    letterhead.update(ctx, SYSTEM, kertas="F4")
    f4 = folder / "keterangan-f4.pdf"
    issue.keterangan(ctx, SYSTEM, official_ids=[wide.id], out=f4)
    pages(f4, out, "keterangan-f4", {1: ""})
    letterhead.update(ctx, SYSTEM, kertas="A4")
    keterangan_samples(ctx, folder, out)
    letterhead.set_logo(ctx, SYSTEM, emblem(folder / "lambang.png"))
    with_logo = folder / "pengantar-logo.pdf"
    issue.keterangan(ctx, SYSTEM, official_ids=[wide.id], out=with_logo)
    pages(with_logo, out, "kop-dengan-logo", {1: ""})


def keterangan_samples(ctx: ServiceContext, folder: Path, out: Path) -> None:
    """A keterangan for a Ketua RT who is aktif, one menunggak and one nonaktif (the office allows letters for
    officials who are not aktif; each states the real status), and one for a Bendahara with a KPJ: the ADD covers
    only the Ketua RT and Ketua RW (Perbup Klaten 9/2022), so that letter does not name it as the funding."""
    options.set_allowed(ctx, SYSTEM, True)
    heads = [s for s in issue.subjects(ctx) if s.nomor_kpj and s.jabatan in HEAD_POSTS and s.nama != WIDE_NAME]
    wanted = {CoverageStatus.aktif: "keterangan", CoverageStatus.menunggak: "keterangan-menunggak",
              CoverageStatus.nonaktif: "keterangan-nonaktif"}  # fmt: skip
    for status, name in wanted.items():
        chosen = next(s for s in heads if s.status(TODAY)[0] is status)
        issue.keterangan(ctx, SYSTEM, official_ids=[chosen.id], out=folder / f"{name}.pdf")
        pages(folder / f"{name}.pdf", out, name, {1: ""})
    bendahara = next(
        s for s in issue.subjects(ctx, desa_kode=SENGON) if s.jabatan == Jabatan.bendahara.value and s.nama != WIDE_NAME
    )
    if not bendahara.nomor_kpj:  # paid by someone else: the registry may hold its KPJ all the same
        enrollment.register(ctx, SYSTEM, bendahara.id, kpj="12345098765", start=dt.date(2026, 2, 2))
        payments.record_payments(ctx, SYSTEM, [bendahara.id], start=YearMonth(2026, 2), end=YearMonth(2026, 11))
    issue.keterangan(ctx, SYSTEM, official_ids=[bendahara.id], out=folder / "keterangan-bendahara.pdf")
    pages(folder / "keterangan-bendahara.pdf", out, "keterangan-bendahara", {1: ""})
    options.set_allowed(ctx, SYSTEM, False)


def event_documents(ctx: ServiceContext, folder: Path, out: Path) -> None:
    event = events.create(
        ctx,
        SYSTEM,
        title="Sosialisasi Perlindungan BPJS Ketenagakerjaan bagi Ketua RT/RW",
        starts_at=dt.datetime(2026, 11, 24, 9, 0),
        ends_at=dt.datetime(2026, 11, 24, 12, 0),
        place="Pendapa Kecamatan Prambanan",
    )
    events.add_from_registry(ctx, SYSTEM, event.id, desa_kode=SENGON)
    events.attend_all(ctx, SYSTEM, event.id)
    sheet = folder / "hadir.pdf"
    print_attendance_sheet(ctx, event.id, out=sheet)
    pages(sheet, out, "attendance", {1: ""})
    certs = folder / "sertifikat.pdf"
    result = certificates.issue_certificates(ctx, SYSTEM, event.id, out=certs)
    wide = next(i for i, c in enumerate(result.certificates, 1) if c.nama == WIDE_NAME)
    pages(certs, out, "certificate", {wide: ""})


def recap_pages(ctx: ServiceContext, folder: Path, out: Path) -> None:
    target = folder / "rekap.pdf"
    recap_files.write_recap(ctx, recap.recap(ctx), target)
    pages(target, out, "recap-kecamatan", {1: "-1", -1: "-akhir"})


def kabupaten_recap(folder: Path, out: Path) -> None:
    """The regency's recap (one row per kecamatan)."""
    ctx = open_context(AppPaths(folder / "kabupaten"), clock=FixedClock.on(TODAY))
    try:
        office.init(
            ctx,
            SYSTEM,
            role=OfficeRole.kabupaten,
            name="Dinas Pemberdayaan Masyarakat dan Desa",
            address="Jl. Pemuda No. 1, Klaten",
            camat_nama="Contoh Kepala Dinas, S.Sos., M.M.",
            camat_nip="197202021994031002",
            camat_pangkat="Pembina Utama Muda (IV/c)",
        )
        demo.populate(ctx, SYSTEM, 1500, seed=5)
        target = folder / "rekap-kabupaten.pdf"
        recap_files.write_recap(ctx, recap.recap(ctx), target)
        pages(target, out, "recap-kabupaten", {1: "-1", -1: "-akhir"})
    finally:
        ctx.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "samples")
    parser.add_argument("--keep-pdf", type=Path, help="copy the PDFs into this folder")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="klaten-samples-") as tmp:
        folder = Path(tmp)
        ctx = open_context(AppPaths(folder / "data"), clock=FixedClock.on(TODAY))
        try:
            setup(ctx, folder)
            letters(ctx, folder, out)
            event_documents(ctx, folder, out)
            recap_pages(ctx, folder, out)
        finally:
            ctx.dispose()
        kabupaten_recap(folder, out)
        if args.keep_pdf:
            args.keep_pdf.mkdir(parents=True, exist_ok=True)
            for pdf in folder.glob("*.pdf"):
                shutil.copy2(pdf, args.keep_pdf / pdf.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
