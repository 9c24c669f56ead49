"""Money that can be checked and undone, driven with the keyboard from each dialog's initial focus: the summary
before recording (and the tick an unusual range needs), the confirmation of an unusual KPJ start date, and
voiding payments recorded by mistake."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.months import YearMonth
from klaten_desktop.gui.enrollment.dialogs import PaymentDialog, RegisterKpjDialog
from klaten_desktop.gui.enrollment.section import EnrollmentSection
from klaten_desktop.gui.enrollment.void_dialog import VoidPaymentDialog
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import officials, payments, wilayah
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.records import OfficialRow
from tests.conftest import TEST_ADMIN
from tests.gui.conftest import Modal, wait_loaded

ALT = Qt.KeyboardModifier.AltModifier


def _focus_in(qtbot: QtBot, dialog: QDialog) -> QWidget:
    """The dialog's initial focus, once the dialog is the active window."""
    dialog.activateWindow()
    qtbot.waitUntil(lambda: (w := QApplication.focusWidget()) is not None and dialog.isAncestorOf(w))
    focus = QApplication.focusWidget()
    assert focus is not None
    return focus


def _open(qtbot: QtBot, dialog: QDialog) -> QWidget:
    qtbot.addWidget(dialog)
    dialog.open()  # modal, as the section opens it, without blocking the test
    qtbot.waitExposed(dialog)
    return _focus_in(qtbot, dialog)


def _key(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the focus is now, as a person types."""
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


def _month_key(qtbot: QtBot, mnemonic: Qt.Key, key: Qt.Key) -> None:
    """Jump to a month field by its label's letter, to its year, and move the year one step."""
    _key(qtbot, mnemonic, ALT)
    _key(qtbot, Qt.Key.Key_End)
    _key(qtbot, key)


def _aktif(ctx: ServiceContext) -> OfficialRow:
    return next(r for r in officials.list_rows(ctx) if r.status == "aktif")


def _live_months(ctx: ServiceContext, desa: str) -> int:
    return sum(len(payments.history(ctx, r.id)) for r in officials.list_rows(ctx, desa_kode=desa))


def test_a_desa_payment_shows_its_summary_and_a_slip_needs_a_tick(qtbot: QtBot, gui_ctx: ServiceContext) -> None:
    ctx = gui_ctx
    desa = _aktif(ctx).desa_kode
    this_month = YearMonth.of(ctx.today())
    before = _live_months(ctx, desa)
    dialog = PaymentDialog(ctx, SYSTEM, desa=wilayah.desa(ctx), desa_kode=desa)
    _open(qtbot, dialog)

    _month_key(qtbot, Qt.Key.Key_S, Qt.Key.Key_Up)  # "Sampai bulan": one arrow key too far, a year later
    assert dialog.end.date().year() == this_month.year + 1
    _key(qtbot, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.confirm.isVisible()
    text = dialog.confirm.text.text()
    assert "13 bulan" in text and "lebih dari 12 bulan" in text and "12 bulan belum tiba" in text
    assert dialog.confirm.check.isVisible() and QApplication.focusWidget() is dialog.confirm.check
    assert _live_months(ctx, desa) == before  # nothing recorded by the first Enter
    _key(qtbot, Qt.Key.Key_Return)  # Enter again without the tick: still nothing
    assert dialog.isVisible() and "Centang" in dialog.error_text()
    assert _live_months(ctx, desa) == before

    _month_key(qtbot, Qt.Key.Key_S, Qt.Key.Key_Down)  # back to this month: the summary goes away
    assert not dialog.confirm.isVisible()
    _key(qtbot, Qt.Key.Key_Return)
    plan = payments.plan_desa(ctx, desa, start=this_month, end=this_month)
    assert dialog.confirm.isVisible() and plan.summary() in dialog.confirm.text.text()
    assert dialog.confirm.check.isVisible() == plan.unusual  # some may have paid this month already
    if plan.unusual:
        _key(qtbot, Qt.Key.Key_Space)
    _key(qtbot, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_value.months_recorded == plan.months_recorded
    assert _live_months(ctx, desa) == before + plan.months_recorded


def test_an_unusual_range_is_recorded_once_ticked(qtbot: QtBot, gui_ctx: ServiceContext) -> None:
    ctx = gui_ctx
    row = _aktif(ctx)
    this_month = YearMonth.of(ctx.today())
    dialog = PaymentDialog(ctx, SYSTEM, row=row)
    _open(qtbot, dialog)
    _month_key(qtbot, Qt.Key.Key_S, Qt.Key.Key_Up)
    _key(qtbot, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.confirm.check
    _key(qtbot, Qt.Key.Key_Space)
    _key(qtbot, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    months = {p.periode for p in payments.history(ctx, row.id)}
    assert {str(this_month + n) for n in range(13)} <= months


def test_an_unusual_kpj_start_is_confirmed_with_what_it_does(qtbot: QtBot, gui_ctx: ServiceContext) -> None:
    ctx = gui_ctx
    target = next(r for r in officials.list_rows(ctx) if r.status == "diajukan")
    dialog = RegisterKpjDialog(ctx, SYSTEM, target)
    _open(qtbot, dialog)
    _key(qtbot, Qt.Key.Key_K, ALT)
    qtbot.keyClicks(QApplication.focusWidget(), "23019999001")
    _key(qtbot, Qt.Key.Key_B, ALT)  # "Berlaku mulai": a date years before the submission, typed as staff type it
    _key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(QApplication.focusWidget(), "05012023")
    start = dt.date(2023, 1, 5)
    _key(qtbot, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.confirm.isVisible()
    text = dialog.confirm.text.text()
    assert "lebih awal daripada tanggal pengajuan" in text and "Status hari ini menjadi Nonaktif: " in text
    assert officials.get(ctx, target.id).status.value == "diajukan"
    _key(qtbot, Qt.Key.Key_Space)
    _key(qtbot, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    detail = officials.get(ctx, target.id)
    assert detail.enrollment is not None and detail.enrollment.registered_on == start
    assert detail.status.value == "nonaktif"


def test_a_usual_kpj_start_needs_no_question(qtbot: QtBot, gui_ctx: ServiceContext) -> None:
    ctx = gui_ctx
    target = next(r for r in officials.list_rows(ctx) if r.status == "diajukan")
    dialog = RegisterKpjDialog(ctx, SYSTEM, target)
    _open(qtbot, dialog)
    _key(qtbot, Qt.Key.Key_K, ALT)
    qtbot.keyClicks(QApplication.focusWidget(), "23019999002")
    _key(qtbot, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert officials.get(ctx, target.id).enrollment.nomor_kpj == "23019999002"  # type: ignore[union-attr]


def test_void_a_month_with_a_reason(qtbot: QtBot, gui_ctx: ServiceContext) -> None:
    ctx = gui_ctx
    row = _aktif(ctx)
    history = payments.history(ctx, row.id)
    latest = history[0]
    dialog = VoidPaymentDialog(ctx, SYSTEM, row, latest)
    assert _open(qtbot, dialog) is dialog.scope
    assert "Akan dibatalkan: 1 bulan iuran 1 pengurus" in dialog.preview.text()
    _key(qtbot, Qt.Key.Key_Return)  # no reason yet: refused, nothing voided
    assert dialog.isVisible() and "Alasan pembatalan wajib diisi" in dialog.error_text()
    _key(qtbot, Qt.Key.Key_A, ALT)
    qtbot.keyClicks(QApplication.focusWidget(), "belum dibayar")
    _key(qtbot, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [p.periode for p in payments.history(ctx, row.id)] == [p.periode for p in history[1:]]
    detail = officials.get(ctx, row.id)
    assert detail.enrollment is not None and detail.enrollment.paid_through == str(
        YearMonth.parse(latest.periode).prev()
    )


def test_void_a_whole_batch_from_the_section(
    qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal, shown: object
) -> None:
    ctx = gui_ctx
    row = _aktif(ctx)
    this_month = YearMonth.of(ctx.today())
    slip = payments.pay_desa(ctx, SYSTEM, row.desa_kode, start=this_month + 1, end=this_month + 12)
    section = EnrollmentSection(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    section.show()
    wait_loaded(qtbot, section, ctx)
    assert section.browser.select_id(row.id)
    assert section.void_action.isEnabled()

    def void(dialog: QWidget) -> None:
        assert isinstance(dialog, VoidPaymentDialog)
        assert _focus_in(qtbot, dialog) is dialog.scope
        _key(qtbot, Qt.Key.Key_Y, ALT)  # "Yang dibatalkan": the whole recording
        _key(qtbot, Qt.Key.Key_Down)
        assert f"{slip.months_recorded} bulan iuran {slip.enrollments} pengurus" in dialog.preview.text()
        _key(qtbot, Qt.Key.Key_A, ALT)
        qtbot.keyClicks(QApplication.focusWidget(), "salah tahun")
        _key(qtbot, Qt.Key.Key_Return)

    failures = modal(void)
    section.void_action.trigger()
    assert not failures, failures
    assert shown.info and shown.info[-1].startswith(f"Dibatalkan: {slip.months_recorded} bulan")  # type: ignore[attr-defined]
    assert all(p.batch_id != slip.batch_id for p in payments.history(ctx, row.id))
    assert section.details.values["dibayar"].text() == YearMonth.parse(row.dibayar_sampai or "").label()
