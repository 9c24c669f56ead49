"""The regency side: the console's gaps and duplicate NIKs, a losing version kept for review, Esc, mnemonics,
and every table model through qtmodeltester."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QTabWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select

from klaten_desktop.db.models import Official
from klaten_desktop.gui.sync import SyncSection
from klaten_desktop.runtime.work import Cancelled
from klaten_desktop.services import officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import conflicts, export, importer

from .conftest import PRAMBANAN, WEDI, Offices, Shown, idle, make_section
from .helpers import cells


def _send(ctx: ServiceContext, path: Path) -> Path:
    export.export(ctx, SYSTEM, path)
    return path


def _edit_phone(ctx: ServiceContext, official_id: str, phone: str) -> None:
    detail = officials.get(ctx, official_id)
    fields = dataclasses.replace(officials.fields_of(detail), telepon=phone)
    officials.update_official(ctx, SYSTEM, official_id, fields, expected_version=detail.row_version)


def test_console_shows_gaps_and_duplicate_niks(qtbot: QtBot, offices: Offices) -> None:
    p1, _lost, p3 = (_send(offices.prambanan, offices.stick / f"p{n}.klsync") for n in (1, 2, 3))
    importer.import_package(offices.regency, SYSTEM, p1)
    importer.import_package(offices.regency, SYSTEM, p3)  # p2 lost on the way
    with offices.prambanan.read() as session:
        row = session.execute(select(Official).where(Official.deleted_at.is_(None)).limit(1)).scalar_one()
        values = {c.name: getattr(row, c.name) for c in Official.__table__.columns}
    values.update(id="00000000-0000-4000-8000-000000000001", desa_kode="33.10.03.2001", office_code=WEDI, rt=99, rw=99)
    with offices.wedi.write() as session:
        session.execute(insert(Official).values(**values))
    importer.import_package(offices.regency, SYSTEM, _send(offices.wedi, offices.stick / "w1.klsync"))

    section = make_section(qtbot, offices.regency)
    r = section.regency
    assert r is not None
    rows = {k.office_code: i for i, k in enumerate(r.console.model.rows())}
    pram = cells(r.console.model, rows[PRAMBANAN])
    assert pram["Paket terakhir"] == "no. 3"
    assert pram["Perhatian"] == "paket hilang: no. 2"
    assert r.console.highlight(r.console.model.row_at(rows[PRAMBANAN])) == "error"
    assert "Periksa paket hilang atau PC ganda (merah): Prambanan." in r.console.summary.text()
    assert "1 NIK tercatat di dua kecamatan." in r.console.summary.text()
    assert not r.console.duplicates_box.isHidden()
    dup = cells(r.console.duplicates_model, 0)
    assert dup["Kecamatan"] == f"{PRAMBANAN}, {WEDI}"
    assert "*" in dup["NIK"] and str(values["nik"]) not in dup["NIK"]  # masked

    # a shorter stale period marks nobody who sent today; a never-sending kecamatan stays marked
    r.console.days.setValue(1)
    assert r.console.highlight(r.console.model.row_at(rows["33.10.02"])) == "warning"


def test_losing_version_is_kept_for_review_and_can_be_taken_back(qtbot: QtBot, offices: Offices, shown: Shown) -> None:
    importer.import_package(offices.regency, SYSTEM, _send(offices.prambanan, offices.stick / "p1.klsync"))
    oid = sorted(officials.list_rows(offices.prambanan), key=lambda r: r.nik)[0].id
    _edit_phone(offices.regency, oid, "085700000003")
    _edit_phone(offices.prambanan, oid, "085700000004")
    importer.import_package(offices.regency, SYSTEM, _send(offices.prambanan, offices.stick / "p2.klsync"))

    section = make_section(qtbot, offices.regency)
    r = section.regency
    assert r is not None
    assert r.tabs.tabText(r.tabs.indexOf(r.review)) == "Tinjau &konflik (1)"
    row = cells(r.review.conflicts_model, 0)
    [kept] = conflicts.list_conflicts(offices.regency)
    assert row["Jenis"] == kept.kind_label and row["No."] == str(kept.id)
    assert row["Kolom berbeda"] == "Telepon"
    change = cells(r.review.changes_model, 0)
    assert change == {"Kolom": "Telepon", "Nilai sekarang": "085700000004", "Nilai usulan": "085700000003"}

    shown.confirm_answers.append(False)
    r.review.accept_action.trigger()
    assert officials.get(offices.regency, oid).telepon == "085700000004"  # declined: nothing changed

    r.review.accept_action.trigger()
    assert "dikirim ke kecamatan pada paket balikan berikutnya" in shown.confirm[-1]
    assert officials.get(offices.regency, oid).telepon == "085700000003"
    assert conflicts.open_count(offices.regency) == 0
    assert r.tabs.tabText(r.tabs.indexOf(r.review)) == "Tinjau &konflik"
    # it now waits to travel back to Prambanan
    assert r.returns.preview_title.text() == "Paket balikan no. 1 untuk Kecamatan Prambanan: 1 koreksi"
    assert r.returns.export_action.isEnabled()


def test_escape_cancels_the_running_task(qtbot: QtBot, offices: Offices, shown: Shown) -> None:
    section = make_section(qtbot, offices.prambanan)
    started = threading.Event()
    done: list[object] = []

    def slow(_progress: object, cancelled: object) -> None:
        started.set()
        while not cancelled():  # type: ignore[operator]
            threading.Event().wait(0.01)
        raise Cancelled("Ekspor dibatalkan; tidak ada yang berubah.")

    assert section.tasks.run("Menunggu…", slow, on_done=done.append)
    assert section.kecamatan is not None and not section.kecamatan.export_action.isEnabled()
    assert started.wait(10)
    with qtbot.waitActive(section):
        section.activateWindow()
    table = section.kecamatan.preview_view
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Escape)
    idle(qtbot, section)
    assert done == [] and shown.warn == [] and shown.error == []
    assert shown.info == ["Ekspor dibatalkan; tidak ada yang berubah."]  # the one place a cancel is told
    assert section.kecamatan.export_action.isEnabled()


def _letters(widget: object) -> list[str]:
    found = []
    for button in widget.findChildren(QAbstractButton):  # type: ignore[attr-defined]
        if not button.isVisibleTo(widget):
            continue
        text = button.text()
        assert "&" in text, text
        found.append(text[text.index("&") + 1].lower())
    return found


def _check_mnemonics(section: SyncSection, tabs: QTabWidget) -> None:
    tab_letters = [tabs.tabText(i)[tabs.tabText(i).index("&") + 1].lower() for i in range(tabs.count())]
    assert len(tab_letters) == len(set(tab_letters)), tab_letters
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        letters = _letters(tabs.widget(i)) + tab_letters
        assert len(letters) == len(set(letters)), letters
        assert not set(letters) & {"b", "t", "d"}  # the main window's menus: Berkas, Tampilan, Tindakan


def test_every_button_and_tab_has_its_own_mnemonic(qtbot: QtBot, offices: Offices) -> None:
    for ctx in (offices.prambanan, offices.regency):
        section = make_section(qtbot, ctx)
        panel = section.kecamatan or section.regency
        assert panel is not None
        _check_mnemonics(section, panel.tabs)


def test_table_models_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, offices: Offices, shown: Shown
) -> None:
    package = _send(offices.prambanan, offices.stick / "p1.klsync")
    oid = sorted(officials.list_rows(offices.prambanan), key=lambda r: r.nik)[0].id
    importer.import_package(offices.regency, SYSTEM, package)
    _edit_phone(offices.regency, oid, "085700000005")
    _edit_phone(offices.prambanan, oid, "085700000006")
    p2 = _send(offices.prambanan, offices.stick / "p2.klsync")

    section = make_section(qtbot, offices.regency)
    r = section.regency
    assert r is not None
    shown.open_many.append([p2, offices.stick / "kunci-kabupaten.json"])
    r.importer.choose_action.trigger()
    idle(qtbot, section)
    r.importer.apply_action.trigger()
    idle(qtbot, section)
    models = [
        r.console.model,
        r.console.duplicates_model,
        r.importer.files_model,
        r.importer.tables_model,
        r.review.conflicts_model,
        r.review.changes_model,
        r.review.pending_model,
        r.returns.preview_model,
        r.returns.history_model,
        r.keys.peers_model,
    ]
    assert r.review.conflicts_model.rowCount() == 1 and r.importer.files_model.rowCount() == 2
    kec = make_section(qtbot, offices.prambanan).kecamatan
    assert kec is not None
    models += [kec.preview_model, kec.sent_model, kec.keys.peers_model]
    assert kec.sent_model.rowCount() == 2
    for model in models:
        qtmodeltester.check(model, force_py=True)
