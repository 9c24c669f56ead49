"""Render every main screen offscreen at 1366x768 into docs/screenshots/*.png.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Uses a throw-away data folder with the Prambanan office and synthetic demo officials (never real people).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "0")

from PySide6.QtCore import QCoreApplication, QDate, QEventLoop, QTimer
from PySide6.QtWidgets import QWidget

from klaten_desktop.app import open_context
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.gui.application import build_main_window, make_app
from klaten_desktop.gui.enrollment.dialogs import PaymentDialog, RegisterKpjDialog
from klaten_desktop.gui.enrollment.void_dialog import VoidPaymentDialog
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.officials.official_dialog import OfficialDialog
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.gui.session import desktop_actor, office_desa
from klaten_desktop.gui.wizard import SetupWizard
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import backup, demo, office, officials, payments
from klaten_desktop.services.context import SYSTEM, ServiceContext

TODAY = dt.date(2026, 11, 24)
WIDTH, HEIGHT = 1366, 768


def settle(ms: int = 120) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    QCoreApplication.processEvents()


def shoot(widget: QWidget, out: Path, name: str) -> None:
    settle()
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def money_dialogs(ctx: ServiceContext, window: QWidget, pay: PaymentDialog, out: Path) -> None:
    """The summary before recording a slipped range, Batalkan iuran, and Catat KPJ with an unusual start date."""
    this_month = YearMonth.of(TODAY)
    pay.set_range(this_month - 10, this_month + 14)
    pay.ok_button.click()
    shoot(pay, out, "iuran-ringkasan")
    row = next(r for r in officials.list_rows(ctx) if r.status == "aktif")
    void = VoidPaymentDialog(ctx, desktop_actor(), row, payments.history(ctx, row.id)[0], parent=window)
    void.show()
    void.reason.setText("salah bulan")
    shoot(void, out, "iuran-batalkan")
    void.reject()
    submitted = next(r for r in officials.list_rows(ctx) if r.status == "diajukan")
    kpj = RegisterKpjDialog(ctx, desktop_actor(), submitted, parent=window)
    kpj.show()
    kpj.kpj.setText("23019999001")
    kpj.start.setDate(QDate(TODAY.year - 2, TODAY.month, 2))
    kpj.ok_button.click()
    shoot(kpj, out, "kpj-tanggal-mulai")
    kpj.reject()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    messages.info = lambda *a, **k: None  # type: ignore[assignment]

    with tempfile.TemporaryDirectory(prefix="klaten-shots-") as tmp:
        # first run: the wizard
        empty = AppPaths(Path(tmp) / "baru")
        ctx0 = open_context(empty, clock=ShiftedClock.on(TODAY))
        wizard = SetupWizard(ctx0)
        wizard.resize(WIDTH * 2 // 3, HEIGHT * 3 // 4)
        wizard.show()
        shoot(wizard, out, "01-wizard-kantor")
        wizard.role_page.kecamatan.setCurrentIndex(1)
        wizard.next()
        shoot(wizard, out, "02-wizard-data-kantor")
        wizard.reject()
        ctx0.dispose()

        paths = AppPaths(Path(tmp) / "data")
        ctx = open_context(paths, clock=ShiftedClock.on(TODAY))
        office.init(
            ctx,
            SYSTEM,
            role=OfficeRole.kecamatan,
            name="Kantor Kecamatan Prambanan",
            kecamatan_kode="33.10.01",
            address="Jl. Raya Prambanan No. 1, Klaten",
            camat_nama="Drs. Contoh Camat, M.Si.",
            camat_nip="197001011990031001",
            camat_pangkat="Pembina Tk. I (IV/b)",
            bpjs_branch_name="BPJS Ketenagakerjaan Cabang Klaten",
        )
        demo.populate(ctx, SYSTEM, 600)
        backup.create(ctx)
        window = build_main_window(paths, ctx)
        window.resize(WIDTH, HEIGHT)
        window.show()
        store = store_for(ctx)
        store.ensure_loaded()
        store.wait()
        settle(300)
        shoot(window, out, "03-beranda")
        window.nav.setCurrentRow(window.section_index("Pengurus RT/RW"))
        settle()
        page = window.current_page()
        page.browser.table.selectRow(3)  # type: ignore[attr-defined]
        shoot(window, out, "04-pengurus")
        detail = page._detail  # type: ignore[attr-defined]
        dialog = OfficialDialog(ctx, desktop_actor(), office_desa(ctx), detail=detail, parent=window)
        dialog.show()
        dialog.ui.telepon.setText("0812")
        dialog.validate_now()
        shoot(dialog, out, "05-form-pengurus")
        dialog.reject()
        replace = page.replace_dialog()  # type: ignore[attr-defined]
        replace.show()
        replace.ui.nik.setText("3310014506820003")
        replace.ui.nama.setText("Sri Lestari")
        replace.validate_now()
        shoot(replace, out, "06-ganti-pengurus")
        replace.reject()
        window.nav.setCurrentRow(window.section_index("Kepesertaan & Iuran"))
        settle()
        page = window.current_page()
        page.browser.table.selectRow(1)  # type: ignore[attr-defined]
        shoot(window, out, "07-kepesertaan")
        pay = PaymentDialog(ctx, desktop_actor(), desa=office_desa(ctx), desa_kode="33.10.01.2001", parent=window)
        pay.show()
        shoot(pay, out, "08-iuran-desa")
        money_dialogs(ctx, window, pay, out)
        pay.reject()
        window.nav.setCurrentRow(window.section_index("Pengaturan"))
        shoot(window, out, "09-pengaturan")
        for n, title in enumerate(("Sosialisasi", "Surat & Sertifikat", "Impor/Ekspor", "Sinkronisasi"), start=10):
            window.nav.setCurrentRow(window.section_index(title))
            settle()
            slug = title.lower().replace(" & ", "-").replace("/", "-")
            shoot(window, out, f"{n}-{slug}")
        window.close()
        store.wait()
        ctx.dispose()
    app.closeAllWindows()
    return 0


if __name__ == "__main__":
    sys.exit(main())
