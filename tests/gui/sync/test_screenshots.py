"""Screens at 1366x768 with data loaded, offscreen. Written under tmp_path; with KLATEN_SCREENSHOTS=FOLDER also
into that folder (resources/help/screenshots) for the documentation. The test checks that each screen rendered."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.services import demo, officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import export, importer, keys

from .conftest import WEDI, Offices, Shown, idle, make_section, new_kecamatan


def _save(qtbot: QtBot, widget: QWidget, tmp_path: Path, name: str) -> Path:
    widget.resize(1366, 768)
    qtbot.wait(50)  # let pending layout requests run (hidden boxes, new rows)
    image = widget.grab()
    assert (image.width(), image.height()) == (1366, 768)
    path = tmp_path / name
    assert image.save(str(path))
    folder = os.environ.get("KLATEN_SCREENSHOTS")
    if folder:
        assert image.save(str(Path(folder) / name))
    return path


def _edit_phone(ctx: ServiceContext, official_id: str, phone: str) -> None:
    detail = officials.get(ctx, official_id)
    fields = dataclasses.replace(officials.fields_of(detail), telepon=phone)
    officials.update_official(ctx, SYSTEM, official_id, fields, expected_version=detail.row_version)


def test_screenshots(
    qtbot: QtBot, make_ctx: Callable[..., ServiceContext], offices: Offices, shown: Shown, tmp_path: Path
) -> None:
    # a kecamatan whose last package is 45 days old (its clock moves on after the export), with edits waiting
    pedan = new_kecamatan(make_ctx, "pedan", "33.10.12", "Kecamatan Pedan")
    reg_file = offices.stick / "kunci-kabupaten.json"
    kec_file = offices.stick / "kunci-pedan.json"
    keys.export_identity(pedan, kec_file)
    keys.trust(pedan, SYSTEM, keys.read_identity(pedan, reg_file))
    keys.trust(offices.regency, SYSTEM, keys.read_identity(offices.regency, kec_file))
    demo.populate(pedan, SYSTEM, 60, seed=3)
    stick = offices.stick
    packages = []
    for n in (1, 2):
        path = stick / f"sinkron-331012-000{n}.klsync"
        export.export(pedan, SYSTEM, path, full=n == 2)
        packages.append(path)
    rows = sorted(officials.list_rows(pedan), key=lambda r: r.nik)
    for i, row in enumerate(rows[:3]):
        _edit_phone(pedan, row.id, f"08570000001{i}")

    # the regency: packages from three kecamatan, a losing version kept for review, a lost package
    for path in packages:
        importer.import_package(offices.regency, SYSTEM, path)
    p1 = stick / "sinkron-331001-0001.klsync"
    export.export(offices.prambanan, SYSTEM, p1)
    importer.import_package(offices.regency, SYSTEM, p1)
    by_nik = sorted(officials.list_rows(offices.prambanan), key=lambda r: r.nik)
    _edit_phone(offices.regency, by_nik[0].id, "085700000099")
    _edit_phone(offices.prambanan, by_nik[0].id, "085700000098")
    p2 = stick / "sinkron-331001-0002.klsync"
    export.export(offices.prambanan, SYSTEM, p2)
    importer.import_package(offices.regency, SYSTEM, p2)
    _edit_phone(offices.prambanan, by_nik[1].id, "085700000097")
    p3 = stick / "sinkron-331001-0003.klsync"
    export.export(offices.prambanan, SYSTEM, p3)
    wedi = [stick / f"sinkron-331003-000{n}.klsync" for n in (1, 2, 3)]
    for path in wedi:
        export.export(offices.wedi, SYSTEM, path)
    importer.import_package(offices.regency, SYSTEM, wedi[0])
    importer.import_package(offices.regency, SYSTEM, wedi[2])  # number 2 was lost on the way

    pedan.clock = ShiftedClock.on(pedan.today() + dt.timedelta(days=45))
    kecamatan = make_section(qtbot, pedan)
    assert kecamatan.kecamatan is not None and kecamatan.kecamatan.reminder.isVisible()
    shots = [_save(qtbot, kecamatan, tmp_path, "sinkronisasi-kecamatan.png")]
    assert kecamatan.kecamatan is not None
    kecamatan.kecamatan.tabs.setCurrentWidget(kecamatan.kecamatan.keys)
    shots.append(_save(qtbot, kecamatan, tmp_path, "sinkronisasi-kecamatan-kunci.png"))

    regency = make_section(qtbot, offices.regency)
    r = regency.regency
    assert r is not None
    shots.append(_save(qtbot, regency, tmp_path, "sinkronisasi-kabupaten.png"))
    bad = stick / "sinkron-331001-0003-salinan.klsync"
    data = bytearray(p3.read_bytes())
    data[len(data) // 2] ^= 0x10
    bad.write_bytes(bytes(data))
    shown.open_many.append([p3, bad])
    r.tabs.setCurrentWidget(r.importer)
    r.importer.choose_action.trigger()
    idle(qtbot, regency)
    r.importer.files_view.selectRow(1)
    assert r.importer.reason.text().startswith("Tanda tangan paket tidak cocok")
    shots.append(_save(qtbot, regency, tmp_path, "sinkronisasi-kabupaten-impor.png"))
    r.tabs.setCurrentWidget(r.review)
    shots.append(_save(qtbot, regency, tmp_path, "sinkronisasi-kabupaten-konflik.png"))
    assert r.review.conflicts_model.rowCount() == 1
    r.review.accept_action.trigger()  # the regency's version becomes a correction for Prambanan
    r.tabs.setCurrentWidget(r.returns)
    shots.append(_save(qtbot, regency, tmp_path, "sinkronisasi-kabupaten-balikan.png"))
    back = stick / "balikan-331001-0001.klsync"
    shown.save_paths.append(back)
    r.returns.export_action.trigger()
    idle(qtbot, regency)
    prambanan = make_section(qtbot, offices.prambanan)
    k = prambanan.kecamatan
    assert k is not None
    shown.open_paths.append(back)
    k.import_return_action.trigger()
    idle(qtbot, prambanan)
    assert k.tabs.currentWidget() is k.corrections_tab and k.review.conflicts_model.rowCount() == 1
    shots.append(_save(qtbot, prambanan, tmp_path, "sinkronisasi-kecamatan-koreksi.png"))
    assert all(p.stat().st_size > 20_000 for p in shots)  # a rendered screen, not a blank image
    assert WEDI in {k.office_code for k in r.console.model.rows() if k.gaps}
