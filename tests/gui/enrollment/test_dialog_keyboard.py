"""The enrollment dialogs by keyboard only, from their initial focus: the first field has the focus, Tab goes through
the fields then OK then Batal, dates are typed as staff type them, Enter submits from any field, Esc asks before
throwing typed data away."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.enrollment.dialogs import (
    EndEnrollmentDialog,
    EndTermDialog,
    PaymentDialog,
    RegisterKpjDialog,
    SubmitDesaDialog,
)
from klaten_desktop.gui.kit.form_dialog import DISCARD_QUESTION, FormDialog
from klaten_desktop.gui.session import office_desa
from klaten_desktop.services import officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.enrollment import SubmitResult
from klaten_desktop.services.payments import PaymentResult
from klaten_desktop.services.records import OfficialRow
from tests.conftest import Shown
from tests.gui.conftest import Modal
from tests.gui.keyboard import focused, owner, press, tab, type_text

ENTER = Qt.Key.Key_Return


def _row(ctx: ServiceContext, *statuses: str) -> OfficialRow:
    return next(r for r in officials.list_rows(ctx) if r.status in statuses)


def _run(qtbot: QtBot, dialog: FormDialog, modal: Modal, keys: Callable[[FormDialog], None]) -> int:
    def act(d: QWidget) -> None:
        d.activateWindow()
        qtbot.waitUntil(d.isActiveWindow)
        keys(dialog)

    failures = modal(act)
    result = dialog.exec()
    assert not failures, failures
    return result


def _confirm_summary(qtbot: QtBot, dialog: FormDialog) -> None:
    """The payment summary is shown after the first Enter; tick it when it warns, then Enter records."""
    confirm = dialog.confirm  # type: ignore[attr-defined]
    assert dialog.isVisible() and confirm.isVisible()
    if confirm.check.isVisible():
        press(qtbot, Qt.Key.Key_Space)
    press(qtbot, ENTER)


def _check_tab_order(qtbot: QtBot, dialog: FormDialog) -> None:
    """Focus on the first field; Tab through every field in reading order, then OK, then Batal."""
    fields = dialog.tab_chain()
    assert owner(focused(), fields) is fields[0]
    for expected in fields[1:]:
        tab(qtbot)
        assert owner(focused(), fields) is expected
    tab(qtbot)
    assert focused() is dialog.ok_button
    tab(qtbot)
    assert focused() is dialog.cancel_button
    tab(qtbot)
    assert owner(focused(), fields) is fields[0]  # round again


def _dialogs(ctx: ServiceContext) -> dict[str, Callable[[], FormDialog]]:
    registered = _row(ctx, "aktif", "menunggak", "nonaktif")
    desa = office_desa(ctx)
    return {
        "catat_kpj": lambda: RegisterKpjDialog(ctx, SYSTEM, _row(ctx, "diajukan")),
        "catat_iuran": lambda: PaymentDialog(ctx, SYSTEM, row=registered),
        "iuran_desa": lambda: PaymentDialog(ctx, SYSTEM, desa=desa),
        "ajukan_desa": lambda: SubmitDesaDialog(ctx, SYSTEM, desa),
        "akhiri_kepesertaan": lambda: EndEnrollmentDialog(ctx, SYSTEM, registered),
        "akhiri_jabatan": lambda: EndTermDialog(ctx, SYSTEM, officials.get(ctx, registered.id)),
    }


@pytest.mark.parametrize(
    "name", ["catat_kpj", "catat_iuran", "iuran_desa", "ajukan_desa", "akhiri_kepesertaan", "akhiri_jabatan"]
)
def test_focus_starts_on_the_first_field_and_tab_follows_the_form(
    qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal, name: str
) -> None:
    dialog = _dialogs(gui_ctx)[name]()
    qtbot.addWidget(dialog)

    def keys(d: FormDialog) -> None:
        _check_tab_order(qtbot, d)
        press(qtbot, Qt.Key.Key_Escape)  # nothing typed: closes without a question

    assert _run(qtbot, dialog, modal, keys) == QDialog.DialogCode.Rejected


def test_catat_kpj_by_keyboard(qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal) -> None:
    ctx = gui_ctx
    row = _row(ctx, "diajukan")
    dialog = RegisterKpjDialog(ctx, SYSTEM, row)
    qtbot.addWidget(dialog)

    def keys(d: FormDialog) -> None:
        type_text(qtbot, "23019999001")
        tab(qtbot)
        type_text(qtbot, "24 Nov 2026")  # Tab selected the date: typing replaces it
        tab(qtbot)
        assert dialog.start.text() == "24 November 2026"
        press(qtbot, ENTER)  # from the Sumber dana list

    assert _run(qtbot, dialog, modal, keys) == QDialog.DialogCode.Accepted
    enrollment = officials.get(ctx, row.id).enrollment
    assert enrollment is not None and enrollment.nomor_kpj == "23019999001"
    assert enrollment.registered_on == dt.date(2026, 11, 24)


def test_catat_iuran_by_keyboard(qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal) -> None:
    dialog = _dialogs(gui_ctx)["catat_iuran"]()
    qtbot.addWidget(dialog)

    def keys(d: FormDialog) -> None:
        tab(qtbot, 2)  # the two months stay this month
        type_text(qtbot, "20/11/2026")
        press(qtbot, ENTER)  # Enter in the date field submits: first the summary (services/payments.py)
        _confirm_summary(qtbot, d)

    assert _run(qtbot, dialog, modal, keys) == QDialog.DialogCode.Accepted
    result = dialog.result_value
    assert isinstance(result, PaymentResult) and result.months_recorded + result.months_already_paid == 1
    assert dialog.paid_on.text() == "20 November 2026"


def test_iuran_satu_desa_by_keyboard(qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal) -> None:
    dialog = _dialogs(gui_ctx)["iuran_desa"]()
    qtbot.addWidget(dialog)

    def keys(d: FormDialog) -> None:
        press(qtbot, Qt.Key.Key_Down)  # the first desa of the list
        tab(qtbot, 3)
        type_text(qtbot, "20112026")
        tab(qtbot)
        type_text(qtbot, "ADD tahap 2")
        press(qtbot, ENTER)
        _confirm_summary(qtbot, d)

    assert _run(qtbot, dialog, modal, keys) == QDialog.DialogCode.Accepted
    assert isinstance(dialog.result_value, PaymentResult)
    assert dialog.paid_on.value() == dt.date(2026, 11, 20)


def test_ajukan_satu_desa_by_keyboard(qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal) -> None:
    dialog = _dialogs(gui_ctx)["ajukan_desa"]()
    qtbot.addWidget(dialog)

    def keys(d: FormDialog) -> None:
        press(qtbot, Qt.Key.Key_Enter)  # no desa chosen: refused in the dialog
        assert d.isVisible() and "Pilih desanya" in d.error_text()
        press(qtbot, Qt.Key.Key_Down)
        tab(qtbot)
        type_text(qtbot, "23.11.2026")
        press(qtbot, Qt.Key.Key_Enter)  # the keypad's Enter too

    assert _run(qtbot, dialog, modal, keys) == QDialog.DialogCode.Accepted
    assert isinstance(dialog.result_value, SubmitResult)
    assert dialog.date.text() == "23 November 2026"


def test_akhiri_kepesertaan_refuses_a_date_that_does_not_exist(
    qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal
) -> None:
    ctx = gui_ctx
    dialog = _dialogs(ctx)["akhiri_kepesertaan"]()
    assert isinstance(dialog, EndEnrollmentDialog)
    qtbot.addWidget(dialog)

    def keys(d: FormDialog) -> None:
        reason_at = dialog.reason.mapTo(d, dialog.reason.rect().topLeft())
        ok_at = d.ok_button.mapTo(d, d.ok_button.rect().topLeft())
        type_text(qtbot, "31 Nov 2026")
        tab(qtbot)
        type_text(qtbot, "Pindah domisili")
        press(qtbot, ENTER)  # refused: the date is marked, the focus goes back to it
        assert d.isVisible()
        assert "tidak ada di kalender" in dialog.date.shown_problem()
        assert "Periksa tanggal" in d.error_text()
        assert owner(focused(), [dialog.date]) is dialog.date
        assert dialog.reason.mapTo(d, dialog.reason.rect().topLeft()) == reason_at  # nothing moved
        assert d.ok_button.mapTo(d, d.ok_button.rect().topLeft()) == ok_at
        type_text(qtbot, "20 Nov 2026")
        press(qtbot, ENTER)

    assert _run(qtbot, dialog, modal, keys) == QDialog.DialogCode.Accepted
    row = next(r for r in officials.list_rows(ctx) if r.id == dialog._row.id)
    assert row.status == "berakhir"


def test_akhiri_masa_jabatan_by_keyboard(qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal) -> None:
    ctx = gui_ctx
    dialog = _dialogs(ctx)["akhiri_jabatan"]()
    assert isinstance(dialog, EndTermDialog)
    qtbot.addWidget(dialog)

    def keys(d: FormDialog) -> None:
        type_text(qtbot, "1-11-2026")
        tab(qtbot, 2)
        type_text(qtbot, "Surat pengunduran diri")
        press(qtbot, ENTER)

    assert _run(qtbot, dialog, modal, keys) == QDialog.DialogCode.Accepted
    detail = dialog.result_value
    assert detail.ended_on == dt.date(2026, 11, 1)


def test_esc_asks_before_throwing_typed_data_away(
    qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal, shown: Shown
) -> None:
    dialog = _dialogs(gui_ctx)["akhiri_kepesertaan"]()
    qtbot.addWidget(dialog)
    shown.confirm_answers = [False, True]

    def keys(d: QWidget) -> None:
        tab(qtbot)
        type_text(qtbot, "Pindah")
        press(qtbot, Qt.Key.Key_Escape)  # asked; "Kembali mengisi": the dialog stays with what was typed
        assert shown.confirm == [DISCARD_QUESTION]
        assert d.isVisible() and dialog.reason.text() == "Pindah"  # type: ignore[attr-defined]
        press(qtbot, Qt.Key.Key_Escape)  # asked again; "Buang": closed

    assert _run(qtbot, dialog, modal, keys) == QDialog.DialogCode.Rejected
    assert shown.confirm == [DISCARD_QUESTION, DISCARD_QUESTION]


def test_esc_without_typing_asks_nothing(qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal, shown: Shown) -> None:
    dialog = _dialogs(gui_ctx)["catat_kpj"]()
    qtbot.addWidget(dialog)

    def keys(d: QWidget) -> None:
        tab(qtbot, 2)  # passing through the fields changes nothing
        press(qtbot, Qt.Key.Key_Escape)

    assert _run(qtbot, dialog, modal, keys) == QDialog.DialogCode.Rejected
    assert shown.confirm == []
