"""Typing a desa name selects it in every desa drop-down of the app: the list's "Desa " prefix does not get in the
way (gui/kit/name_search.py). Driven with key clicks on the focused drop-down, closed and open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.enrollment.dialogs import PaymentDialog, SubmitDesaDialog
from klaten_desktop.gui.kit import ui_settings
from klaten_desktop.gui.kit.name_search import searchable
from klaten_desktop.gui.main_window import MainWindow
from klaten_desktop.gui.officials.official_dialog import OfficialDialog
from klaten_desktop.gui.session import GuiSession, desktop_actor, office_desa
from klaten_desktop.services.context import ServiceContext

KEBONDALEM_LOR = "33.10.01.2013"
KEBONDALEM_KIDUL = "33.10.01.2005"
SENGON = "33.10.01.2001"


def _desa_combos(root: QWidget) -> list[QComboBox]:
    return [c for c in root.findChildren(QComboBox) if any(c.itemText(i).startswith("Desa ") for i in range(c.count()))]


def _type(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    combo.setFocus()
    qtbot.keyClicks(combo, text)


def _check(qtbot: QtBot, combo: QComboBox) -> None:
    _type(qtbot, combo, "Kebondalem L")
    assert combo.currentData() == KEBONDALEM_LOR, combo.currentText()
    _type(qtbot, combo, "sengon")
    assert combo.currentData() == SENGON, combo.currentText()


def test_searchable_drops_the_place_kind() -> None:
    assert searchable("Desa Kebondalem Lor") == "kebondalem lor"
    assert searchable("Kelurahan  Gergunung (Kec. Klaten Utara)") == "gergunung (kec. klaten utara)"
    assert searchable("Semua desa") == "semua desa"


# the offscreen platform has no window manager: the open list's popup window warns
@pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)")
def test_typing_selects_in_the_closed_and_the_open_list(qtbot: QtBot, empty_office_ctx: ServiceContext) -> None:
    dialog = SubmitDesaDialog(empty_office_ctx, desktop_actor(), office_desa(empty_office_ctx))
    qtbot.addWidget(dialog)
    dialog.show()
    combo = dialog.desa
    _type(qtbot, combo, "kebondalem k")
    assert combo.currentData() == KEBONDALEM_KIDUL
    qtbot.keyClick(combo, Qt.Key.Key_Space)  # opens the list
    qtbot.waitUntil(combo.view().isVisible)
    qtbot.keyClicks(combo.view(), "Sengon")
    qtbot.keyClick(combo.view(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not combo.view().isVisible())
    assert combo.currentData() == SENGON
    qtbot.keyClicks(combo, "xyz")  # no desa starts so: the choice stays
    assert combo.currentData() == SENGON


def test_every_desa_chooser_of_the_sections(qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path) -> None:
    ui_settings.install(tmp_path / "tampilan.ini")
    window = MainWindow(GuiSession.start(gui_ctx))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    for index in range(window.nav.count()):
        window.nav.setCurrentRow(index)
        window.page(index)
    combos = _desa_combos(window)
    # the officials filter, the letters (compose, archive), the events filter, import and export
    assert len(combos) >= 6, [c.objectName() or c.currentText() for c in combos]
    for combo in combos:  # key events go to the drop-down whether or not its page is the one shown
        _check(qtbot, combo)


def test_every_desa_chooser_of_the_dialogs(qtbot: QtBot, gui_ctx: ServiceContext) -> None:
    desa = office_desa(gui_ctx)
    dialogs: list[QWidget] = [
        OfficialDialog(gui_ctx, desktop_actor(), desa),
        PaymentDialog(gui_ctx, desktop_actor(), desa=desa),
        SubmitDesaDialog(gui_ctx, desktop_actor(), desa),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        (combo,) = _desa_combos(dialog)
        _check(qtbot, combo)
        dialog.close()
