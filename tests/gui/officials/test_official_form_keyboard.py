"""The official form by keyboard only, from its initial focus: the optional dates (tanggal lahir, masa jabatan,
tanggal SK) are typed as staff type them, emptied with one key, and a text that is no date is refused beside its
field without moving the fields."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.officials.official_dialog import OfficialDialog
from klaten_desktop.gui.session import desktop_actor, office_desa
from klaten_desktop.services import officials
from klaten_desktop.services.context import ServiceContext
from tests.gui.keyboard import focused, owner, press, tab, type_text

NIK_KLATEN = "3310014506820003"  # 5 Juni 1982, perempuan (synthetic)
CTRL = Qt.KeyboardModifier.ControlModifier


def _open(qtbot: QtBot, ctx: ServiceContext) -> OfficialDialog:
    dialog = OfficialDialog(ctx, desktop_actor(), office_desa(ctx))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _identity(qtbot: QtBot, dialog: OfficialDialog) -> None:
    """From the NIK (the first field) to the birth date, which the NIK filled in."""
    ui = dialog.ui
    assert focused() is ui.nik
    type_text(qtbot, NIK_KLATEN)
    tab(qtbot)  # "Pakai data NIK" is disabled: the NIK's data is in already
    type_text(qtbot, "Sri Lestari")
    tab(qtbot)
    type_text(qtbot, "Klaten")
    tab(qtbot)
    assert owner(focused(), [ui.tanggalLahir]) is ui.tanggalLahir
    assert ui.tanggalLahir.text() == "5 Juni 1982"


def _post(qtbot: QtBot, dialog: OfficialDialog) -> None:
    """From the birth date to the first date of the post (awal masa jabatan)."""
    tab(qtbot, 6)  # jenis kelamin, alamat, telepon, email, nama ibu kandung, then the desa
    assert focused() is dialog.ui.desa
    press(qtbot, Qt.Key.Key_Down)  # the first desa
    tab(qtbot)
    type_text(qtbot, "2")
    tab(qtbot)
    type_text(qtbot, "3")
    tab(qtbot)
    press(qtbot, Qt.Key.Key_Down)  # Ketua RT
    tab(qtbot)
    assert owner(focused(), [dialog.ui.termStart]) is dialog.ui.termStart


def test_optional_dates_typed_as_staff_type_them(qtbot: QtBot, empty_office_ctx: ServiceContext) -> None:
    ctx = empty_office_ctx
    dialog = _open(qtbot, ctx)
    _identity(qtbot, dialog)
    press(qtbot, Qt.Key.Key_Backspace, CTRL)  # emptied with one key ...
    assert dialog.ui.tanggalLahir.text() == ""
    type_text(qtbot, "05061982")  # ... and typed again, digits only
    _post(qtbot, dialog)
    type_text(qtbot, "01012024")
    tab(qtbot)
    type_text(qtbot, "31 Des 2029")
    tab(qtbot)
    type_text(qtbot, "141/12/2024")
    tab(qtbot)
    type_text(qtbot, "2-1-2024")
    assert dialog.ui.termStart.text() == "1 Januari 2024" and dialog.ui.termEnd.text() == "31 Desember 2029"
    press(qtbot, Qt.Key.Key_Return)  # Enter in the last field saves
    detail = dialog.result_detail
    assert detail is not None, dialog.ui.summary.text()
    assert detail.tanggal_lahir == dt.date(1982, 6, 5)
    assert (detail.term_start, detail.term_end, detail.sk_tanggal) == (
        dt.date(2024, 1, 1),
        dt.date(2029, 12, 31),
        dt.date(2024, 1, 2),
    )
    assert officials.get(ctx, detail.id).sk_nomor == "141/12/2024"


def test_a_text_that_is_no_date_is_refused_beside_its_field(qtbot: QtBot, empty_office_ctx: ServiceContext) -> None:
    dialog = _open(qtbot, empty_office_ctx)
    ui = dialog.ui
    _identity(qtbot, dialog)
    _post(qtbot, dialog)
    below = ui.termEnd.mapTo(dialog, ui.termEnd.rect().topLeft())
    type_text(qtbot, "1 Janury 2024")
    tab(qtbot)  # leaves the field: the text stays, the message comes under it
    qtbot.waitUntil(lambda: "tidak dikenal" in dialog.issue_text("term_start"), timeout=3000)
    assert dialog.issue_text("term_start") == "✖ Nama bulan 'Janury' tidak dikenal."
    assert ui.termEnd.mapTo(dialog, ui.termEnd.rect().topLeft()) == below  # nothing moved
    press(qtbot, Qt.Key.Key_Return)  # refused: not saved as "no date"; the focus goes back to the field
    assert dialog.result_detail is None and dialog.isVisible()
    assert owner(focused(), [ui.termStart]) is ui.termStart
    press(qtbot, Qt.Key.Key_Delete, CTRL)  # an optional date: emptied with one key, then the form saves
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.result_detail is not None and dialog.result_detail.term_start is None
