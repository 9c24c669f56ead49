"""Render every main screen offscreen at 1366x768 into resources/help/screenshots/*.png.

    .venv/bin/python scripts/screenshots.py [--out resources/help/screenshots]

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

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from klaten_desktop.app import open_context
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.gui.accounts.dialogs import FirstAdminDialog, LockDialog, LoginDialog
from klaten_desktop.gui.accounts.users_dialog import UsersDialog
from klaten_desktop.gui.application import build_main_window, make_app
from klaten_desktop.gui.enrollment.dialogs import EndEnrollmentDialog, PaymentDialog, RegisterKpjDialog
from klaten_desktop.gui.enrollment.void_dialog import VoidPaymentDialog
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.officials.official_dialog import OfficialDialog
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.gui.session import office_desa
from klaten_desktop.gui.wizard import SetupWizard
from klaten_desktop.gui.wizard_server import DatabaseWizard
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import accounts, backup, demo, office, officials, payments
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext

TODAY = dt.date(2026, 11, 24)
WIDTH, HEIGHT = 1366, 768
ADMIN_PASSWORD = "contoh-sandi-1"  # synthetic, for these pictures only


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


def shoot_over(window: QWidget, dialog: QWidget, out: Path, name: str, *more: QWidget) -> None:
    """The dialog (and ``more`` dialogs above it) over its window, centred, as a 1366x768 screen shows it."""
    settle()
    image = window.grab()
    painter = QPainter(image)
    for shown in (dialog, *more):
        shot = shown.grab()
        painter.drawPixmap((image.width() - shot.width()) // 2, (image.height() - shot.height()) // 2, shot)
    painter.end()
    path = out / f"{name}.png"
    image.save(str(path))
    print(path)


def type_into(widget: QWidget, text: str) -> None:
    """Type as a person does (key events to the widget), then leave it with Tab."""
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Tab)


def accounts_screens(ctx: ServiceContext, out: Path) -> Actor:
    """The first admin account (typed into its form), the login with a refused password, two more accounts."""
    first = FirstAdminDialog(ctx)
    first.show()
    for field, text in ((first.username, "ana"), (first.display_name, "Ana Lestari, S.E."),
                        (first.password, ADMIN_PASSWORD), (first.again, ADMIN_PASSWORD)):  # fmt: skip
        type_into(field, text)
    shoot(first, out, "02b-akun-admin-pertama")
    first.submit()
    admin: Actor = first.result_value
    accounts.add_user(ctx, admin, "budi", "Budi Santoso", "operator", "contoh-sandi-2")
    accounts.add_user(ctx, admin, "citra", "Citra Dewi", "pembaca", "contoh-sandi-3")
    accounts.set_active(ctx, admin, "citra", False)
    login = LoginDialog(ctx)
    login.show()
    type_into(login.username, "budi")
    type_into(login.password, "salah")
    login.submit()
    shoot(login, out, "14-masuk")
    login.done(0)
    return admin


def shoot_lock(window: QWidget, form: QWidget, out: Path, tries: int = 0) -> None:
    """While locked (``window.accounts.lock()`` waits in its dialog): a refused password, the window's content
    hidden and the open form covered; then the right password."""
    lock = QApplication.activeModalWidget()
    if not isinstance(lock, LockDialog):
        if tries < 100:
            QTimer.singleShot(20, lambda: shoot_lock(window, form, out, tries + 1))
        return
    type_into(lock.password, "keliru-sandi")
    lock.submit()  # refused: said in the form
    shoot_over(window, lock, out, "15-terkunci")
    shoot_over(window, form, out, "15b-terkunci-formulir-tertutup", lock)
    lock.password.setText(ADMIN_PASSWORD)
    lock.submit()


def money_dialogs(ctx: ServiceContext, actor: Actor, window: QWidget, pay: PaymentDialog, out: Path) -> None:
    """The summary before recording a slipped range, Batalkan iuran, and Catat KPJ with an unusual start date."""
    this_month = YearMonth.of(TODAY)
    pay.set_range(this_month - 10, this_month + 14)
    pay.submit()  # the first OK shows the summary, nothing is recorded
    shoot_over(window, pay, out, "iuran-ringkasan")
    row = next(r for r in officials.list_rows(ctx) if r.status == "aktif")
    void = VoidPaymentDialog(ctx, actor, row, payments.history(ctx, row.id)[0], parent=window)
    void.show()
    type_into(void.reason, "salah bulan")
    shoot_over(window, void, out, "iuran-batalkan")
    void.done(0)
    submitted = next(r for r in officials.list_rows(ctx) if r.status == "diajukan")
    kpj = RegisterKpjDialog(ctx, actor, submitted, parent=window)
    kpj.show()
    type_into(kpj.kpj, "23019999001")
    kpj.start.set_value(TODAY.replace(year=TODAY.year - 2, day=2))
    kpj.submit()  # the warning and the box to tick, nothing recorded
    shoot_over(window, kpj, out, "kpj-tanggal-mulai")
    kpj.done(0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[1] / "resources" / "help" / "screenshots"  # the guide shows them
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    messages.info = lambda *a, **k: None  # type: ignore[assignment]

    with tempfile.TemporaryDirectory(prefix="klaten-shots-") as tmp:
        # first run: where the database lives (before it opens), server chosen
        empty = AppPaths(Path(tmp) / "baru")
        place = DatabaseWizard(empty)
        place.resize(760, 520)
        place.show()
        place.database_page.form.server_radio.setChecked(True)
        type_into(place.database_page.form.host, "192.168.1.10")
        type_into(place.database_page.form.user, "klaten")
        shoot(place, out, "00-letak-basis-data")
        place.reject()
        # the office's wizard
        ctx0 = open_context(empty, clock=ShiftedClock.on(TODAY))
        wizard = SetupWizard(ctx0)
        wizard.resize(WIDTH * 2 // 3, HEIGHT * 3 // 4)
        wizard.show()
        shoot(wizard, out, "01-wizard-kantor")
        wizard.role_page.kecamatan.setCurrentIndex(1)
        wizard.next()
        shoot(wizard, out, "02-wizard-data-kantor")
        wizard.next()
        fields = wizard.admin_page.fields  # type: ignore[union-attr]  # a new install: no admin yet
        for field, text in ((fields.username, "ana"), (fields.display_name, "Ana Lestari, S.E."),
                            (fields.password, "contoh-sandi-1"), (fields.again, "contoh-sandi-2")):  # fmt: skip
            type_into(field, text)
        wizard.next()  # refused on the page: the two passwords differ
        shoot(wizard, out, "02c-wizard-akun-admin")
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
        admin = accounts_screens(ctx, out)
        window = build_main_window(paths, ctx, admin)
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
        dialog = OfficialDialog(ctx, admin, office_desa(ctx), detail=detail, parent=window)
        dialog.show()
        dialog.ui.telepon.setText("0812")
        dialog.validate_now()
        shoot(dialog, out, "05-form-pengurus")
        dialog.ui.skTanggal.edit.selectAll()
        type_into(dialog.ui.skTanggal.edit, "31 Februari 2025")  # no such day: refused beside the field
        dialog.validate_now()
        shoot_over(window, dialog, out, "05b-form-pengurus-tanggal-salah")
        dialog.done(0)
        replace = page.replace_dialog()  # type: ignore[attr-defined]
        replace.show()
        replace.ui.nik.setText("3310014506820003")
        replace.ui.nama.setText("Sri Lestari")
        replace.validate_now()
        shoot(replace, out, "06-ganti-pengurus")
        replace.done(0)
        window.nav.setCurrentRow(window.section_index("Kepesertaan & Iuran"))
        settle()
        page = window.current_page()
        page.browser.table.selectRow(1)  # type: ignore[attr-defined]
        shoot(window, out, "07-kepesertaan")
        pay = PaymentDialog(ctx, admin, desa=office_desa(ctx), desa_kode="33.10.01.2001", parent=window)
        pay.show()
        shoot(pay, out, "08-iuran-desa")
        money_dialogs(ctx, admin, window, pay, out)
        pay.done(0)
        row = page.browser.model.row_at(1)  # type: ignore[attr-defined]
        end = EndEnrollmentDialog(ctx, admin, row, parent=window)
        end.show()
        end.date.edit.selectAll()
        type_into(end.date.edit, "31-11-2026")
        end.submit()  # refused: the date is marked, nothing moves
        shoot_over(window, end, out, "08b-akhiri-kepesertaan-tanggal-salah")
        end.done(0)
        window.nav.setCurrentRow(window.section_index("Pengaturan"))
        shoot(window, out, "09-pengaturan")
        for n, title in enumerate(("Sosialisasi", "Surat & Sertifikat", "Impor/Ekspor", "Sinkronisasi"), start=10):
            window.nav.setCurrentRow(window.section_index(title))
            settle()
            slug = title.lower().replace(" & ", "-").replace("/", "-")
            shoot(window, out, f"{n}-{slug}")
        window.nav.setCurrentRow(window.section_index("Audit"))
        settle(300)
        shoot(window, out, "audit")
        window.nav.setCurrentRow(window.section_index("Pengurus RT/RW"))
        settle()
        form = OfficialDialog(ctx, admin, office_desa(ctx), detail=detail, parent=window)
        form.show()  # a form left open: covered by the lock, not closed
        QTimer.singleShot(0, lambda: shoot_lock(window, form, out))
        window.accounts.lock()  # the real lock; shoot_lock unlocks it
        form.done(0)
        window.nav.setCurrentRow(0)
        settle()
        users = UsersDialog(ctx, admin, window)
        users.show()
        shoot_over(window, users, out, "16-pengguna")
        users.done(0)
        window.close()
        store.wait()
        ctx.dispose()
    app.closeAllWindows()
    return 0


if __name__ == "__main__":
    sys.exit(main())
