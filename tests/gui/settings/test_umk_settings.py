"""Pengaturan › Tarif iuran by keyboard: the UMK table (enter, correct, refuse, remove a year) and a new tariff of
the "persentase UMK" kind, whose preview states the basis the letters print (today is 24 November 2026)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.session import GuiSession
from klaten_desktop.gui.settings.section import OfficeSettingsSection
from klaten_desktop.services import settings, tariff_settings, tariffs
from klaten_desktop.services.context import SYSTEM, ServiceContext
from tests.conftest import Shown


def _tab(qtbot: QtBot, ctx: ServiceContext) -> OfficeSettingsSection:
    section = OfficeSettingsSection(GuiSession.start(ctx))
    qtbot.addWidget(section)
    section.resize(1366, 900)
    section.show()
    section.tabs.setCurrentIndex(2)
    section.refresh()
    section.activateWindow()
    qtbot.waitUntil(section.isActiveWindow)
    return section


def _type(qtbot: QtBot, text: str) -> None:
    """Type into the focused widget, replacing what it holds."""
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def _tab_to(qtbot: QtBot) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def test_umk_table_by_keyboard(qtbot: QtBot, ctx: ServiceContext, shown: Shown) -> None:
    section = _tab(qtbot, ctx)
    box = section.tariffs.umk
    assert [box.table.item(0, c).text() for c in (0, 1, 3)] == ["2023", "Rp 2.152.322,94", "bawaan"]
    assert "sekunder" in box.table.item(0, 2).text()
    assert box.year.value() == 2024  # the year after the last one in the table
    umk_row = section.tariffs.table.item(2, 5)
    assert umk_row.text() == "— (UMK 2026 belum diisi)"

    box.year.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (box.year, box.year.lineEdit()))
    _type(qtbot, "2026")
    _tab_to(qtbot)
    assert QApplication.focusWidget() is box.amount
    _type(qtbot, "2,400,000.50")  # English notation: refused, nothing stored
    _tab_to(qtbot)
    assert QApplication.focusWidget() is box.source
    _type(qtbot, "Keputusan Gubernur (contoh uji)")
    qtbot.keyClick(box.source, Qt.Key.Key_Return)
    assert "tidak dapat dibaca" in box.issue.text() and box.issue.isVisible()
    assert QApplication.focusWidget() is box.amount
    assert settings.get(ctx, "tarif.umk") == [] and shown.info == []

    _type(qtbot, "2.400.000,50")
    qtbot.keyClick(box.amount, Qt.Key.Key_Return)  # Enter stores the UMK, not the tab's defaults
    assert shown.info == ["UMK 2026 disimpan: Rp 2.400.000,50."]
    assert settings.get(ctx, "tarif.umk") == [
        {"tahun": 2026, "umk_sen": 240_000_050, "sumber": "Keputusan Gubernur (contoh uji)"}
    ]
    assert box.table.rowCount() == 2 and box.table.item(1, 3).text() == "kantor"
    assert section.tariffs.table.item(2, 5).text() == "Rp 12.960 (UMK 2026)"  # 0,54 % × 2.400.000,50

    box.table.setFocus()
    qtbot.keyClick(box.table, Qt.Key.Key_Home)
    assert not box.remove_button.isEnabled()  # a default is corrected, not removed
    qtbot.keyClick(box.table, Qt.Key.Key_Down)
    assert box.remove_button.isEnabled() and box.amount.text() == "2.400.000,50"
    box.source.setFocus()
    _type(qtbot, " ")
    qtbot.keyClick(box.source, Qt.Key.Key_Return)
    assert "Sumber UMK 2026 wajib diisi" in box.issue.text()
    assert settings.get(ctx, "tarif.umk")[0]["sumber"] == "Keputusan Gubernur (contoh uji)"

    box.table.setFocus()
    qtbot.keyClick(box.table, Qt.Key.Key_End)
    box.remove_button.setFocus()
    qtbot.keyClick(box.remove_button, Qt.Key.Key_Space)
    assert settings.get(ctx, "tarif.umk") == [] and box.table.rowCount() == 1
    assert section.tariffs.table.item(2, 5).text() == "— (UMK 2026 belum diisi)"


def test_new_umk_tariff_by_keyboard(qtbot: QtBot, ctx: ServiceContext, shown: Shown) -> None:
    section = _tab(qtbot, ctx)
    tab = section.tariffs
    dialog = tab.open_new_tariff()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.code)
    qtbot.keyClicks(dialog.code, "KLATEN-UMK-JHT")
    _tab_to(qtbot)
    qtbot.keyClicks(dialog.name, "Persentase UMK dengan JHT")
    _tab_to(qtbot)
    assert QApplication.focusWidget() is dialog.basis
    qtbot.keyClick(dialog.basis, Qt.Key.Key_Down)  # Tetap -> Persentase UMK
    assert dialog.basis.currentData() == "umk"
    assert dialog.jkm_rate.isVisible() and not dialog.jkm.isVisible() and not dialog.fixed.isVisible()
    assert not dialog.min_income.isVisible() and not dialog.discount.isVisible()
    # the usual Klaten rates are proposed; the preview computes on the latest UMK, as letters state it
    assert (dialog.jkk.value(), dialog.jkm_rate.value(), dialog.jht.value()) == (0.24, 0.30, 0.0)
    assert "0,54 % × UMK 2023 Rp 2.152.322,94 = Rp 11.623" in dialog.preview.text()
    _tab_to(qtbot)
    assert QApplication.focusWidget() in (dialog.jkk, dialog.jkk.lineEdit())
    _tab_to(qtbot)
    _tab_to(qtbot)
    assert QApplication.focusWidget() in (dialog.jht, dialog.jht.lineEdit())
    _type(qtbot, "2")
    assert "JHT" not in dialog.issue.text()  # the default programs have no JHT: the rate is not used
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert shown.info[-1] == "Tarif KLATEN-UMK-JHT ditambahkan, berlaku mulai 24 November 2026."
    (stored,) = settings.get(ctx, "tarif.tambahan")
    assert (stored["basis"], stored["jkk_bps"], stored["jkm_bps"], stored["jht_bps"]) == ("umk", 24, 30, 200)
    tariff_settings.set_umk(ctx, SYSTEM, 2027, 240_000_000, "contoh uji")
    assert tariffs.Defaults(ctx).amount(dt.date(2027, 2, 1), tariff_code="KLATEN-UMK-JHT") == ("KLATEN-UMK-JHT", 12_960)
