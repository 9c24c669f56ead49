"""The section inside the real main window: its actions appear in the "Tindakan" menu and work from there."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from klaten_desktop.gui.main_window import MainWindow
from klaten_desktop.gui.sections import SectionEntry
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.gui.sync import SyncSection
from tests.conftest import TEST_ADMIN

from .conftest import Offices, Shown


def test_section_actions_in_the_window_menu(qtbot: QtBot, offices: Offices, shown: Shown, tmp_path: Path) -> None:
    window = MainWindow(
        GuiSession.start(offices.prambanan, TEST_ADMIN),
        entries=[SectionEntry("Sinkronisasi", "klaten_desktop.gui.sync", "SyncSection")],
    )
    qtbot.addWidget(window)
    window.show()
    section = window.current_page()
    assert isinstance(section, SyncSection) and section.kecamatan is not None
    titles = [a.text() for a in window.actions_menu.actions()]
    assert titles == [
        "Buat paket &sinkronisasi…",
        "&Impor paket balikan…",
        "&Impor kunci kabupaten…",
        "&Ekspor kunci publik…",
    ]
    out = tmp_path / "kunci.json"
    shown.save_paths.append(out)
    window.actions_menu.actions()[3].trigger()
    assert section.kecamatan.tabs.currentWidget() is section.kecamatan.keys
    assert out.is_file()
