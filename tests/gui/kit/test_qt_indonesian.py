"""The context menus Qt draws for text fields read in Bahasa Indonesia once the application is made
(gui/application.py installs gui/kit/qt_indonesian.py; PySide6 ships no Indonesian Qt translation)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QPlainTextEdit, QSpinBox, QTextEdit, QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.application import make_app
from klaten_desktop.gui.kit import qt_indonesian

ENGLISH = re.compile(r"\b(Undo|Redo|Cut|Copy|Paste|Delete|Select|Step|Insert|Link)\b")


def _texts(menu: QMenu) -> list[str]:
    texts: list[str] = []
    for action in menu.actions():
        if action.menu() is not None:
            texts += _texts(action.menu())  # type: ignore[arg-type]
        if action.text():
            texts.append(action.text().split("\t")[0].replace("&", ""))
    return texts


@pytest.fixture
def indonesian(qapp: QApplication) -> object:
    app = make_app()
    assert app is qapp
    translator = app.findChild(qt_indonesian.IndonesianQtTranslator)
    assert translator is not None and qt_indonesian.install(app) is translator  # installed once
    yield translator
    app.removeTranslator(translator)
    translator.setParent(None)  # the next test's make_app installs a new one


@pytest.mark.parametrize("kind", [QLineEdit, QTextEdit, QPlainTextEdit])
def test_text_field_menus_are_indonesian(qtbot: QtBot, indonesian: object, kind: type[QWidget]) -> None:
    field = kind()
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()  # type: ignore[attr-defined]
    texts = _texts(menu)
    assert {"Urungkan", "Ulang", "Potong", "Salin", "Tempel", "Hapus", "Pilih semua"} <= set(texts), texts
    assert not [t for t in texts if ENGLISH.search(t)], texts


def test_number_field_menu_is_indonesian(qtbot: QtBot, indonesian: object) -> None:
    spin = QSpinBox()
    qtbot.addWidget(spin)
    line = spin.lineEdit()
    assert line is not None
    texts = _texts(line.createStandardContextMenu())
    assert "Salin" in texts and not [t for t in texts if ENGLISH.search(t)], texts
    assert QApplication.translate("QAbstractSpinBox", "&Step up") == "&Naikkan"
    assert QApplication.translate("QAbstractSpinBox", "Step &down") == "T&urunkan"
    assert QApplication.translate("QLineEdit", "Something else") == "Something else"  # left as is
