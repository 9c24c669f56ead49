"""Bantuan › Panduan: the offline guide has a part for every section, its pictures and links resolve, and F1
opens the part for the screen on display (keyboard only)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.help import guide_path
from klaten_desktop.gui.sections import SECTIONS
from klaten_desktop.services.context import ServiceContext
from tests.gui.test_main_window import _window


class _Guide(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: set[str] = set()
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a" and "name" in values:
            self.anchors.add(values["name"])
        if "id" in values:
            self.anchors.add(values["id"])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag == "img":
            self.images.append(values["src"])


def _guide() -> _Guide:
    guide = _Guide()
    guide.feed(guide_path().read_text(encoding="utf-8"))
    return guide


def test_every_section_has_its_part_and_every_link_and_picture_resolves() -> None:
    guide = _guide()
    assert all(entry.help_anchor for entry in SECTIONS)
    assert {entry.help_anchor for entry in SECTIONS} <= guide.anchors
    # the parts the guide must have, whatever the sections are called
    assert {"mulai", "sehari", "impor", "surat", "sosialisasi", "sinkronisasi", "cadangan", "status"} <= guide.anchors
    assert guide.links and all(link.startswith("#") and link[1:] in guide.anchors for link in guide.links)
    assert len(guide.images) >= 8
    folder = guide_path().parent
    for src in guide.images:
        assert not Path(src).is_absolute() and (folder / src).is_file(), src


def test_the_statuses_named_are_the_domains() -> None:
    from klaten_desktop.domain.enums import CoverageStatus

    text = guide_path().read_text(encoding="utf-8")
    status_part = text[text.index('name="status"') : text.index('name="tombol"')]
    named = re.findall(r"<tr><td>([^<]+)</td>", status_part)
    assert named == [s.label for s in CoverageStatus]


# the offscreen platform has no window manager; on a desktop the guide comes forward
@pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support propagateSizeHints")
def test_f1_opens_the_part_for_the_current_screen(qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path) -> None:
    window = _window(qtbot, gui_ctx, tmp_path / "tampilan.ini")
    qtbot.keyClick(window.nav, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # Kepesertaan & Iuran
    qtbot.keyClick(window.nav, Qt.Key.Key_F1)
    help_window = window.help_window
    assert help_window is not None and help_window.isVisible()
    assert help_window.browser.source().fragment() == "kepesertaan"
    assert "Mencatat nomor KPJ" in help_window.browser.toPlainText()
    assert not help_window.browser.document().isEmpty()
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window.nav, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # Beranda
    qtbot.keyClick(window.nav, Qt.Key.Key_F1)
    assert help_window.browser.source().fragment() == "beranda"
    qtbot.keyClick(help_window.browser, Qt.Key.Key_Escape)  # Esc closes the guide
    assert not help_window.isVisible()
