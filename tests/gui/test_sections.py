"""The daily work in the sections: find by search, replace an RT head, record a desa's payments."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.months import YearMonth
from klaten_desktop.gui.dialogs.enrollment_dialogs import PaymentDialog
from klaten_desktop.gui.dialogs.official_dialog import OfficialDialog
from klaten_desktop.gui.officials_store import store_for
from klaten_desktop.gui.sections.enrollment import EnrollmentSection
from klaten_desktop.gui.sections.officials import OfficialsSection
from klaten_desktop.services import officials
from klaten_desktop.services.context import ServiceContext

Modal = Callable[[Callable[[QWidget], None]], list[BaseException]]
NEW_NIK = "3310014506820003"


def _loaded(qtbot: QtBot, section: QWidget, ctx: ServiceContext) -> None:
    section.refresh()  # type: ignore[attr-defined]
    store = store_for(ctx)
    qtbot.waitUntil(lambda: store.rows() is not None and not store.is_loading(), timeout=10_000)
    qtbot.waitUntil(lambda: section.browser.model.total_count() > 0, timeout=5000)  # type: ignore[attr-defined]


def test_find_by_search_as_you_type(qtbot: QtBot, gui_ctx: ServiceContext) -> None:
    section = OfficialsSection(gui_ctx)
    qtbot.addWidget(section)
    section.show()
    _loaded(qtbot, section, gui_ctx)
    browser = section.browser
    assert browser.model.rowCount() == 80
    target = officials.list_rows(gui_ctx)[33]

    qtbot.keyClick(section, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F focuses the search
    assert browser.search.hasFocus()
    qtbot.keyClicks(browser.search, target.nik[:12])
    qtbot.waitUntil(lambda: browser.model.rowCount() < 80, timeout=2000)
    qtbot.keyClicks(browser.search, target.nik[12:])
    qtbot.waitUntil(lambda: browser.model.rowCount() == 1, timeout=2000)
    assert browser.model.row_at(0).id == target.id
    assert browser.count.text() == "1 dari 80 pengurus"

    browser.search.clear()
    qtbot.keyClicks(browser.search, target.nama.lower())
    qtbot.waitUntil(lambda: browser.model.rowCount() < 80, timeout=2000)
    shown = [browser.model.row_at(r) for r in range(browser.model.rowCount())]
    assert target.id in [r.id for r in shown]
    assert all(target.nama.lower() in r.nama.lower() for r in shown)

    browser.table.selectRow([r.id for r in shown].index(target.id))
    assert section.name.text() == target.nama
    assert section.details.values["nik"].text() == target.nik


def test_replace_rt_head(qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal) -> None:
    ctx = gui_ctx
    old = next(r for r in officials.list_rows(ctx) if r.jabatan == "ketua_rt" and r.status == "aktif")
    section = OfficialsSection(ctx)
    qtbot.addWidget(section)
    section.show()
    _loaded(qtbot, section, ctx)
    assert section.browser.select_id(old.id)
    assert section.replace_action.isEnabled()

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, OfficialDialog)
        assert "Ganti pengurus" in dialog.windowTitle()
        assert not dialog.ui.desa.isEnabled()  # the slot comes from the old holder
        dialog.ui.replaceDate.setDate(dialog.ui.replaceDate.date().addDays(-10))
        qtbot.keyClicks(dialog.ui.nik, NEW_NIK)
        qtbot.keyClicks(dialog.ui.nama, "Sri Lestari")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    failures = modal(fill)
    section.replace_action.trigger()
    assert not failures, failures

    successor = officials.find_by_nik(ctx, NEW_NIK)
    assert len(successor) == 1
    new = successor[0]
    assert (new.desa_kode, new.rw, new.rt, new.jabatan, new.term_status) == (
        old.desa_kode,
        old.rw,
        old.rt,
        "ketua_rt",
        "menjabat",
    )
    gone = officials.get(ctx, old.id)
    assert gone.term_status == "berakhir"
    assert gone.status.value == "berakhir"
    assert gone.replaced_by_id == new.id
    assert gone.ended_on == ctx.today().replace(day=14)
    assert gone.enrollment is not None and gone.enrollment.ended_on == gone.ended_on

    # the window shows the successor with the post's history: both holders
    qtbot.waitUntil(lambda: section._detail is not None and section._detail.id == new.id, timeout=5000)
    history = [(r.nama, r.status) for r in section.history_model.rows()]
    assert history == [("Sri Lestari", "belum_terdaftar"), (old.nama, "berakhir")]
    store = store_for(ctx)
    qtbot.waitUntil(lambda: not store.is_loading(), timeout=10_000)
    ids = {section.browser.model.row_at(r).id for r in range(section.browser.model.rowCount())}
    assert new.id in ids and old.id not in ids  # serving officials only, by default
    section.browser.include_past.setChecked(True)
    ids = {section.browser.model.row_at(r).id for r in range(section.browser.model.rowCount())}
    assert old.id in ids


def test_record_a_desa_payments(qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal, shown: object) -> None:
    ctx = gui_ctx
    rows = officials.list_rows(ctx)
    late = [r for r in rows if r.status in ("menunggak", "nonaktif")]
    assert late, "demo data has late payers"
    desa = max({r.desa_kode for r in late}, key=lambda d: sum(1 for r in late if r.desa_kode == d))
    before = {r.id: r.status for r in rows if r.desa_kode == desa}
    late_here = [i for i, s in before.items() if s in ("menunggak", "nonaktif")]
    section = EnrollmentSection(ctx)
    qtbot.addWidget(section)
    section.show()
    _loaded(qtbot, section, ctx)
    section.browser.desa.setCurrentIndex(section.browser.desa.findData(desa))
    assert {section.browser.model.row_at(r).id for r in range(section.browser.model.rowCount())} == set(before)

    this_month = YearMonth.of(ctx.today())

    def pay(dialog: QWidget) -> None:
        assert isinstance(dialog, PaymentDialog)
        assert dialog.desa is not None and dialog.desa.currentData() == desa
        dialog.set_range(this_month - 35, this_month)
        qtbot.keyClicks(dialog.reference, "ADD tahap 2")
        qtbot.keyClick(dialog.reference, Qt.Key.Key_Return)

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
    section = EnrollmentSection(ctx)
    qtbot.addWidget(section)
    section.show()
    _loaded(qtbot, section, ctx)
    assert section.browser.select_id(target.id)
    assert section.chip.text() == "Diajukan"
    assert section.register_action.isEnabled() and not section.submit_action.isEnabled()

    def register(dialog: QWidget) -> None:
        from klaten_desktop.gui.dialogs.enrollment_dialogs import RegisterKpjDialog

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
        from klaten_desktop.gui.dialogs.enrollment_dialogs import EndEnrollmentDialog

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
