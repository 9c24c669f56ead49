"""Screenshots of the "Surat & Sertifikat" screen (1366x768, offscreen) with synthetic data, for the guide
(resources/help/screenshots/).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.gui.letters.make_screenshots [OUT_DIR]
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from klaten_desktop.app import open_context
    from klaten_desktop.domain.enums import OfficeRole
    from klaten_desktop.domain.months import YearMonth
    from klaten_desktop.gui.kit import messages, tasks
    from klaten_desktop.gui.letters import LettersSection
    from klaten_desktop.gui.letters.preview import PdfPreviewDialog
    from klaten_desktop.gui.session import GuiSession
    from klaten_desktop.runtime.clock import ShiftedClock
    from klaten_desktop.runtime.paths import AppPaths
    from klaten_desktop.services import demo, office
    from klaten_desktop.services.context import SYSTEM
    from klaten_desktop.services.documents import archive, register
    from klaten_desktop.services.letters import issue

    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "resources/help/screenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp())
    ctx = open_context(AppPaths(base / "data"), clock=ShiftedClock.on(dt.date(2026, 11, 24)))
    office.init(
        ctx, SYSTEM, role=OfficeRole.kecamatan, name="Kecamatan Prambanan", kecamatan_kode="33.10.01",
        address="Jl. Raya Prambanan No. 1, Klaten", camat_nama="Drs. Contoh Camat, M.Si.",
        camat_nip="197001011990031001", camat_pangkat="Pembina Tk. I (IV/b)",
    )  # fmt: skip
    demo.populate(ctx, SYSTEM, 120)
    desa = sorted({s.desa_kode for s in issue.subjects(ctx) if s.enrollment_id is None})
    for kode in desa[:4]:
        issue.pengantar(ctx, SYSTEM, out=base / f"{kode}.pdf", desa_kode=kode)
    with_kpj = [s for s in issue.subjects(ctx) if s.nomor_kpj and s.status(ctx.today())[0] == "aktif"]
    if with_kpj:
        issue.keterangan(ctx, SYSTEM, out=base / "ket.pdf", official_ids=[with_kpj[0].id])
        period = (YearMonth(2027, 1), YearMonth(2027, 12))
        issue.iuran(ctx, SYSTEM, out=base / "iuran.pdf", period=period)
    register.reserve(ctx, SYSTEM, "pengantar", count=2, note="Undangan rapat koordinasi RT/RW (dibuat manual)")
    first = register.entries(ctx)[0]
    register.void(ctx, SYSTEM, first.nomor, reason="salah ketik nama desa; diganti nomor berikutnya")
    messages.info = lambda *_a, **_k: None  # type: ignore[assignment]

    section = LettersSection(GuiSession.start(ctx))
    section.resize(1366, 768)
    section.show()

    def settle() -> None:
        for _ in range(20):
            app.processEvents()
            time.sleep(0.02)

    compose = section.compose
    compose.desa.setCurrentIndex(compose.desa.findData(desa[-1]))
    settle()
    section.grab().save(str(out_dir / "surat-buat.png"))
    section.tabs.setCurrentWidget(section.archive)
    settle()
    section.grab().save(str(out_dir / "surat-arsip.png"))
    section.tabs.setCurrentWidget(section.register)
    settle()
    section.grab().save(str(out_dir / "surat-register.png"))
    section.tabs.setCurrentWidget(section.templates)
    section.templates.kinds.setCurrentRow(1)  # keterangan
    body = section.templates.editors["body"]
    body.setPlainText(body.toPlainText().replace("menerangkan bahwa:", "menerangkan bahwa Saudara {{nmaa}}:", 1))
    settle()
    section.grab().save(str(out_dir / "surat-templat.png"))
    section.tabs.setCurrentWidget(section.verify)
    valid = next(d for d in archive.documents(ctx) if d.kind == "iuran" or d.state != "voided")
    section.verify.code.setText(valid.kode_verifikasi or "")
    section.verify.check()
    settle()
    section.grab().save(str(out_dir / "surat-verifikasi.png"))

    pdf = (base / f"{desa[0]}.pdf").read_bytes()
    dialog = PdfPreviewDialog(pdf, f"{desa[0]}.pdf", section)
    dialog.resize(1000, 740)
    dialog.show()
    deadline = time.time() + 30
    while dialog.total_pages == 0 and time.time() < deadline:
        settle()
    dialog.zoom.setCurrentIndex(dialog.zoom.findText("75%"))
    settle()
    dialog.grab().save(str(out_dir / "surat-pratinjau.png"))
    dialog.close()
    tasks.wait_all()
    ctx.dispose()
    print(f"Screenshots in {out_dir}")


if __name__ == "__main__":
    main()
