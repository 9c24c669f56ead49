"""The daily work in Kepesertaan & Iuran: record a desa's payments, register a KPJ, end an enrollment."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.coverage import HEAD_POSTS
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.gui.enrollment.dialogs import PaymentDialog
from klaten_desktop.gui.enrollment.section import EnrollmentSection
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import officials
from klaten_desktop.services.context import ServiceContext
from tests.conftest import TEST_ADMIN
from tests.gui.conftest import Modal, wait_loaded


def test_record_a_desa_payments(qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal, shown: object) -> None:
    ctx = gui_ctx
    rows = officials.list_rows(ctx)
    late = [r for r in rows if r.status in ("menunggak", "nonaktif")]
    assert late, "demo data has late payers"
    desa = max({r.desa_kode for r in late}, key=lambda d: sum(1 for r in late if r.desa_kode == d))
    before = {r.id: r.status for r in rows if r.desa_kode == desa}
    posts = {r.id: r.jabatan for r in rows}
    # a desa pays from the ADD for the insured posts only (Perbup 9/2022: Ketua RT and Ketua RW)
    late_here = [i for i, s in before.items() if s in ("menunggak", "nonaktif") and posts[i] in HEAD_POSTS]
    assert late_here
    section = EnrollmentSection(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    section.show()
    wait_loaded(qtbot, section, ctx)
    section.browser.desa.setCurrentIndex(section.browser.desa.findData(desa))
    assert {section.browser.model.row_at(r).id for r in range(section.browser.model.rowCount())} == set(before)

    this_month = YearMonth.of(ctx.today())

    def pay(dialog: QWidget) -> None:
        assert isinstance(dialog, PaymentDialog)
        assert dialog.desa is not None and dialog.desa.currentData() == desa
        dialog.set_range(this_month - 35, this_month)
        qtbot.keyClicks(dialog.reference, "ADD tahap 2")
        qtbot.keyClick(dialog.reference, Qt.Key.Key_Return)  # the summary first: 36 months is unusual
        assert dialog.isVisible() and "lebih dari 12 bulan" in dialog.confirm.text.text()
        qtbot.keyClick(dialog.confirm.check, Qt.Key.Key_Space)
        qtbot.keyClick(dialog.confirm.check, Qt.Key.Key_Return)

    failures = modal(pay)
    section.pay_desa_action.trigger()
    assert not failures, failures
    assert shown.info and "bulan iuran dicatat" in shown.info[-1]  # type: ignore[attr-defined]

    store = store_for(ctx)
    qtbot.waitUntil(lambda: not store.is_loading(), timeout=10_000)
    after = {
        section.browser.model.row_at(r).id: section.browser.model.row_at(r).status
        for r in range(section.browser.model.rowCount())
    }
    assert all(after[i] == "aktif" for i in late_here)
    unregistered = [i for i, s in before.items() if s in ("belum_terdaftar", "diajukan")]
    assert all(after[i] == before[i] for i in unregistered)
    status_col = section.browser.model.column_of("status")
    row = next(r for r in range(section.browser.model.rowCount()) if section.browser.model.row_at(r).id == late_here[0])
    assert section.browser.model.index(row, status_col).data() == "Aktif"


def test_register_kpj_then_end_enrollment(qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal) -> None:
    ctx = gui_ctx
    target = next(r for r in officials.list_rows(ctx) if r.status == "diajukan")
    section = EnrollmentSection(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    section.show()
    wait_loaded(qtbot, section, ctx)
    assert section.browser.select_id(target.id)
    assert section.chip.text() == "Diajukan"
    assert section.register_action.isEnabled() and not section.submit_action.isEnabled()

    def register(dialog: QWidget) -> None:
        from klaten_desktop.gui.enrollment.dialogs import RegisterKpjDialog

        assert isinstance(dialog, RegisterKpjDialog)
        qtbot.keyClicks(dialog.kpj, "2301999")
        assert "biasanya 11 digit" in dialog.kpj_warning.text()  # a warning while typing
        qtbot.keyClicks(dialog.kpj, "9O01")  # a letter O instead of zero
        qtbot.keyClick(dialog.kpj, Qt.Key.Key_Return)  # refused: stays open with the reason
        assert dialog.isVisible() and "hanya boleh berisi angka" in dialog.error_text()
        dialog.kpj.clear()
        qtbot.keyClicks(dialog.kpj, "23019999001")
        qtbot.keyClick(dialog.kpj, Qt.Key.Key_Return)

    failures = modal(register)
    section.register_action.trigger()
    assert not failures, failures
    detail = officials.get(ctx, target.id)
    assert detail.enrollment is not None and detail.enrollment.nomor_kpj == "23019999001"
    assert section.details.values["kpj"].text() == "23019999001"
    assert section.chip.text() == detail.status.label
    store = store_for(ctx)
    qtbot.waitUntil(lambda: not store.is_loading(), timeout=10_000)
    row = section.browser.model.row_of_id(target.id)
    assert section.browser.model.row_at(row).nomor_kpj == "23019999001"

    def end(dialog: QWidget) -> None:
        from klaten_desktop.gui.enrollment.dialogs import EndEnrollmentDialog

        assert isinstance(dialog, EndEnrollmentDialog)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no reason: refused
        assert "Alasan" in dialog.error_text()
        qtbot.keyClicks(dialog.reason, "Pindah domisili")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    failures = modal(end)
    section.end_action.trigger()
    assert not failures, failures
    detail = officials.get(ctx, target.id)
    assert detail.status.value == "berakhir"
    assert detail.enrollment is not None and detail.enrollment.end_reason == "Pindah domisili"
    assert section.chip.text() == "Berakhir"
    assert not section.end_action.isEnabled()
