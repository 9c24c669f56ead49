"""Recovering a stream through the screens: the kecamatan re-issues a recorded package byte for byte; the regency
accepts a re-based stream only after a confirmation that names what it replaces (issue #19)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from klaten_desktop.app import open_context
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import export, importer

from .conftest import Offices, Shown, idle, make_section


def test_a_recorded_package_is_reissued_byte_for_byte(qtbot: QtBot, offices: Offices, shown: Shown) -> None:
    first = offices.stick / "p1.klsync"
    export.export(offices.prambanan, SYSTEM, first)
    section = make_section(qtbot, offices.prambanan)
    panel = section.kecamatan
    assert panel is not None
    assert not panel.reissue_action.isEnabled()  # nothing chosen yet
    panel.sent_view.setFocus()
    qtbot.keyClick(panel.sent_view, Qt.Key.Key_Down)
    assert panel.reissue_action.isEnabled()
    again = offices.stick / "ulang.klsync"
    shown.save_paths.append(again)
    panel.reissue_action.trigger()
    assert "Terbitkan ulang paket no. 1" in shown.confirm[-1]
    assert shown.save_asked[-1] is not None and shown.save_asked[-1].name == "p1.klsync"
    assert again.read_bytes() == first.read_bytes()
    assert shown.info[-1].startswith("Paket no. 1 diterbitkan ulang ke ulang.klsync")


def test_the_regency_rebases_after_a_confirmation_naming_what_it_replaces(
    qtbot: QtBot, offices: Offices, shown: Shown, tmp_path: Path
) -> None:
    p = offices.prambanan
    importer.import_package(offices.regency, SYSTEM, _sent(p, offices.stick / "p1.klsync"))
    assert p.database is not None
    copy = AppPaths(tmp_path / "dipulihkan")
    copy.database.parent.mkdir(parents=True)
    src, dst = sqlite3.connect(p.database), sqlite3.connect(copy.database)
    src.backup(dst)  # a PC put back to this state without its record of what it sent next
    src.close()
    dst.close()
    importer.import_package(offices.regency, SYSTEM, _sent(p, offices.stick / "p2.klsync"))
    restored = open_context(copy, clock=p.clock)
    try:
        package = _sent(restored, offices.stick / "p2-dipulihkan.klsync")
    finally:
        restored.dispose()

    section = make_section(qtbot, offices.regency)
    r = section.regency
    assert r is not None
    r.tabs.setCurrentWidget(r.importer)
    shown.open_many.append([package])
    r.importer.choose_action.trigger()
    idle(qtbot, section)
    [line] = r.importer.files_model.rows()
    assert line.state == "Ditolak" and "Terima aliran baru" in line.note

    r.importer.rebase.setFocus()
    qtbot.keyClick(r.importer.rebase, Qt.Key.Key_Space)
    assert r.importer.rebase.isChecked()
    shown.open_many.append([package])
    r.importer.choose_action.trigger()
    idle(qtbot, section)
    [line] = r.importer.files_model.rows()
    assert line.state == "Uji coba: siap diimpor" and "diganti oleh paket no. 2" in line.note

    shown.confirm_answers.append(False)
    r.importer.apply_action.trigger()
    assert "33.10.01 paket no. 2" in shown.confirm[-1] and "berkas p2.klsync) diganti oleh" in shown.confirm[-1]
    assert r.importer.files_model.rows()[0].state == "Uji coba: siap diimpor"  # declined: nothing imported
    r.importer.apply_action.trigger()
    idle(qtbot, section)
    assert [f.state for f in r.importer.files_model.rows()] == ["Diimpor"]


def _sent(ctx: ServiceContext, path: Path) -> Path:
    export.export(ctx, SYSTEM, path)
    return path
