"""Every dialog class of the app, found by importing all of gui/: none starts with the focus on a button when it has a
field to fill in, and a form dialog starts on its first field. A new dialog class needs a factory here."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QDialog, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

import klaten_desktop.gui
from klaten_desktop.gui.kit.form_dialog import FormDialog, is_input
from klaten_desktop.gui.session import office_desa
from klaten_desktop.services import kpj_import as kpj_plan
from klaten_desktop.services import officials, payments
from klaten_desktop.services.accounts import UserRow
from klaten_desktop.services.context import SYSTEM, ServiceContext
from tests.conftest import TEST_ADMIN
from tests.gui.keyboard import owner

Factory = Callable[[ServiceContext, Callable[..., ServiceContext]], QDialog]


def _all_dialog_classes() -> dict[str, type[QDialog]]:
    found: dict[str, type[QDialog]] = {}
    for module in pkgutil.walk_packages(klaten_desktop.gui.__path__, "klaten_desktop.gui."):
        imported = importlib.import_module(module.name)
        for _name, cls in inspect.getmembers(imported, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__.startswith("klaten_desktop."):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


def _tiny_pdf() -> bytes:
    """One empty A4 page."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _registered(ctx: ServiceContext) -> str:
    return next(r.id for r in officials.list_rows(ctx) if r.status in ("aktif", "menunggak", "nonaktif"))


def _row(ctx: ServiceContext, status: str | None = None) -> object:
    return next(r for r in officials.list_rows(ctx) if status is None or r.status == status)


def _factories() -> dict[str, Factory]:
    from klaten_desktop.gui import crash, help, wizard, wizard_server
    from klaten_desktop.gui.accounts import dialogs as account_dialogs
    from klaten_desktop.gui.accounts import users_dialog
    from klaten_desktop.gui.enrollment import dialogs, kpj_import, void_dialog
    from klaten_desktop.gui.letters import preview, register_dialogs, template_tab
    from klaten_desktop.gui.officials import official_dialog
    from klaten_desktop.gui.settings import keys_box, tariff_dialog
    from klaten_desktop.runtime.paths import AppPaths
    from klaten_desktop.runtime.server_config import ServerSetting

    return {
        "klaten_desktop.gui.kit.form_dialog.FormDialog": lambda ctx, _m: FormDialog("Uji", "", "OK"),
        "klaten_desktop.gui.enrollment.dialogs.RegisterKpjDialog": lambda ctx, _m: dialogs.RegisterKpjDialog(
            ctx,
            SYSTEM,
            _row(ctx, "diajukan"),  # type: ignore[arg-type]
        ),
        "klaten_desktop.gui.enrollment.dialogs.PaymentDialog": lambda ctx, _m: dialogs.PaymentDialog(
            ctx, SYSTEM, desa=office_desa(ctx)
        ),
        "klaten_desktop.gui.enrollment.void_dialog.VoidPaymentDialog": lambda ctx, _m: void_dialog.VoidPaymentDialog(
            ctx,
            SYSTEM,
            _row(ctx, "aktif"),  # type: ignore[arg-type]
            payments.history(ctx, _row(ctx, "aktif").id)[0],  # type: ignore[attr-defined]
        ),
        "klaten_desktop.gui.enrollment.dialogs.EndEnrollmentDialog": lambda ctx, _m: dialogs.EndEnrollmentDialog(
            ctx,
            SYSTEM,
            _row(ctx, "aktif"),  # type: ignore[arg-type]
        ),
        "klaten_desktop.gui.enrollment.dialogs.SubmitDesaDialog": lambda ctx, _m: dialogs.SubmitDesaDialog(
            ctx, SYSTEM, office_desa(ctx)
        ),
        "klaten_desktop.gui.enrollment.dialogs.EndTermDialog": lambda ctx, _m: dialogs.EndTermDialog(
            ctx, SYSTEM, officials.get(ctx, _registered(ctx))
        ),
        "klaten_desktop.gui.officials.official_dialog.OfficialDialog": lambda ctx, _m: official_dialog.OfficialDialog(
            ctx, TEST_ADMIN, office_desa(ctx), detail=officials.get(ctx, _registered(ctx))
        ),
        "klaten_desktop.gui.letters.register_dialogs.ReserveDialog": lambda ctx, _m: register_dialogs.ReserveDialog(
            {"pengantar": "Surat pengantar"}
        ),
        "klaten_desktop.gui.letters.register_dialogs.VoidDialog": lambda ctx, _m: register_dialogs.VoidDialog(
            "400.10.3/005/Kec.Prb/2026"
        ),
        "klaten_desktop.gui.letters.template_tab.NewKindDialog": lambda ctx, _m: template_tab.NewKindDialog(),
        "klaten_desktop.gui.letters.preview.PdfPreviewDialog": lambda ctx, _m: preview.PdfPreviewDialog(
            _tiny_pdf(), "uji"
        ),
        "klaten_desktop.gui.settings.tariff_dialog.NewTariffDialog": lambda ctx, _m: tariff_dialog.NewTariffDialog(
            None, start=ctx.today(), programs=frozenset(), add=lambda _t: None
        ),
        "klaten_desktop.gui.enrollment.kpj_import.KpjPreviewDialog": lambda ctx, _m: kpj_import.KpjPreviewDialog(
            ctx, SYSTEM, kpj_plan.plan_kpj_entries(ctx, [], source="uji")
        ),
        "klaten_desktop.gui.enrollment.kpj_import.KpjTableDialog": lambda ctx, _m: kpj_import.KpjTableDialog(
            ctx, SYSTEM, office_desa(ctx)
        ),
        "klaten_desktop.gui.help.HelpWindow": lambda ctx, _m: help.HelpWindow(),
        "klaten_desktop.gui.settings.keys_box.PassphraseDialog": lambda ctx, _m: keys_box.PassphraseDialog(
            ctx, SYSTEM, protect=True
        ),
        "klaten_desktop.gui.settings.keys_box.KeyBackupDialog": lambda ctx, _m: keys_box.KeyBackupDialog(
            ctx, SYSTEM, Path("cadangan-kunci.json"), restore=True
        ),
        "klaten_desktop.gui.crash.CrashDialog": lambda ctx, _m: crash.CrashDialog("Uji", "Traceback (uji)"),
        "klaten_desktop.gui.wizard.SetupWizard": lambda ctx, make_ctx: wizard.SetupWizard(make_ctx("empty")),
        "klaten_desktop.gui.wizard_server.DatabaseWizard": lambda ctx, _m: wizard_server.DatabaseWizard(
            AppPaths(Path("belum-dipakai"))
        ),
        "klaten_desktop.gui.wizard_server.ServerPasswordDialog": lambda ctx, _m: wizard_server.ServerPasswordDialog(
            ServerSetting("192.168.1.10", "klaten", "staf")
        ),
        "klaten_desktop.gui.accounts.dialogs.LoginDialog": lambda ctx, _m: account_dialogs.LoginDialog(ctx),
        "klaten_desktop.gui.accounts.dialogs.LockDialog": lambda ctx, _m: account_dialogs.LockDialog(ctx, TEST_ADMIN),
        "klaten_desktop.gui.accounts.dialogs.FirstAdminDialog": lambda ctx, _m: account_dialogs.FirstAdminDialog(ctx),
        "klaten_desktop.gui.accounts.dialogs.AddUserDialog": lambda ctx, _m: account_dialogs.AddUserDialog(
            ctx, TEST_ADMIN
        ),
        "klaten_desktop.gui.accounts.dialogs.ResetPasswordDialog": lambda ctx, _m: account_dialogs.ResetPasswordDialog(
            ctx, TEST_ADMIN, "oki"
        ),
        "klaten_desktop.gui.accounts.dialogs.RoleDialog": lambda ctx, _m: account_dialogs.RoleDialog(
            ctx, TEST_ADMIN, UserRow("oki", "Oki", "operator", True, None, 0)
        ),
        "klaten_desktop.gui.accounts.dialogs.OwnPasswordDialog": lambda ctx, _m: account_dialogs.OwnPasswordDialog(
            ctx, TEST_ADMIN
        ),
        "klaten_desktop.gui.accounts.users_dialog.UsersDialog": lambda ctx, _m: users_dialog.UsersDialog(
            ctx, TEST_ADMIN
        ),
    }


DIALOGS = _all_dialog_classes()


def test_every_dialog_class_has_a_factory() -> None:
    assert set(DIALOGS) - set(_factories()) == set(), "add a factory for the new dialog to this test"
    assert len(DIALOGS) >= 14


def _is_command_button(widget: QWidget) -> bool:
    return isinstance(widget, QAbstractButton) and not isinstance(widget, QCheckBox | QRadioButton)


@pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise|grabbing)")
@pytest.mark.parametrize("name", sorted(DIALOGS), ids=lambda n: n.rsplit(".", 1)[-1])
def test_no_dialog_starts_on_a_button_when_it_has_a_field(
    qtbot: QtBot, gui_ctx: ServiceContext, make_ctx: Callable[..., ServiceContext], name: str
) -> None:
    dialog = _factories()[name](gui_ctx, make_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    inputs = [w for w in dialog.findChildren(QWidget) if is_input(w) and w.isVisible() and w.isEnabled()]
    focus = QApplication.focusWidget()
    assert focus is not None
    if inputs:
        assert not _is_command_button(focus), f"{name} starts on the button {focus.text()!r}"  # type: ignore[attr-defined]
    if isinstance(dialog, FormDialog):
        fields = [w for w in dialog.tab_chain() if w.isVisible() and w.isEnabled()]
        if fields:
            assert owner(focus, fields) is fields[0], f"{name} does not start on its first field"
    dialog.done(QDialog.DialogCode.Rejected)
