"""The kecamatan side: the export reminder, trusting the regency's key after comparing its fingerprint, and
reviewing the regency's corrections (accept / refuse) with old and new values side by side."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.services import identity, officials, settings
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import export, keys

from .conftest import PRAMBANAN, Offices, Shown, idle, key_files, make_section, new_kecamatan
from .helpers import cells


def test_reminder_shows_when_the_last_export_is_older_than_the_setting(
    qtbot: QtBot, make_ctx: Callable[..., ServiceContext], offices: Offices, tmp_path: Path
) -> None:
    # the package is recorded with the one clock; then the office's clock moves 45 days on
    ctx = new_kecamatan(make_ctx, "klaten-selatan", "33.10.12", "Kecamatan Klaten Selatan")
    reg_file = tmp_path / "kunci-kabupaten.json"
    keys.export_identity(offices.regency, reg_file)
    keys.trust(ctx, SYSTEM, keys.read_identity(ctx, reg_file))
    section = make_section(qtbot, ctx)
    panel = section.kecamatan
    assert panel is not None
    assert panel.reminder.isVisible()
    assert "Data belum pernah dikirim ke kabupaten" in panel.reminder.text()

    export.export(ctx, SYSTEM, tmp_path / "k1.klsync")
    ctx.clock = ShiftedClock.on(ctx.today() + dt.timedelta(days=45))
    section.refresh()
    assert panel.reminder.isVisible()
    assert "Paket terakhir dikirim 45 hari lalu" in panel.reminder.text()

    settings.put(ctx, SYSTEM, "ekspor.pengingat_hari", 60)
    section.refresh()
    assert not panel.reminder.isVisible()


def test_no_reminder_right_after_an_export(
    qtbot: QtBot, make_ctx: Callable[..., ServiceContext], offices: Offices, tmp_path: Path
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    ctx = new_kecamatan(make_ctx, "klaten-utara", "33.10.14", "Kecamatan Klaten Utara", today=today)
    reg_file = tmp_path / "kunci-kabupaten.json"
    keys.export_identity(offices.regency, reg_file)
    keys.trust(ctx, SYSTEM, keys.read_identity(ctx, reg_file))
    export.export(ctx, SYSTEM, tmp_path / "k1.klsync")
    section = make_section(qtbot, ctx)
    assert section.kecamatan is not None
    assert not section.kecamatan.reminder.isVisible()


def test_regency_key_is_trusted_only_after_the_fingerprint_is_confirmed(
    qtbot: QtBot, make_ctx: Callable[..., ServiceContext], offices: Offices, shown: Shown, tmp_path: Path
) -> None:
    ctx = new_kecamatan(make_ctx, "bayat", "33.10.05", "Kecamatan Bayat")
    _kec_file, reg_file = key_files(ctx, offices.regency, tmp_path / "kunci")
    section = make_section(qtbot, ctx)
    panel = section.kecamatan
    assert panel is not None
    assert panel.preview is None and not panel.export_action.isEnabled()
    assert "Kunci kantor kabupaten belum diimpor" in panel.preview_note.text()
    assert panel.keys.fingerprint.text() == identity.public_identity(ctx).fingerprint

    regency_print = identity.public_identity(offices.regency).fingerprint
    shown.open_paths.append(reg_file)
    shown.confirm_answers.append(False)  # the fingerprints did not match: nothing trusted
    panel.keys.import_action.trigger()
    assert regency_print in shown.confirm[-1]
    assert "Pemerintah Kabupaten Klaten (33.10)" in shown.confirm[-1]
    assert keys.trusted_peers(ctx) == []

    shown.open_paths.append(reg_file)
    panel.keys.import_action.trigger()
    assert [p.fingerprint for p in keys.trusted_peers(ctx)] == [regency_print]
    assert cells(panel.keys.peers_model, 0)["Sidik jari"] == regency_print
    assert shown.info[-1] == "Kunci Pemerintah Kabupaten Klaten (33.10) sekarang dipercaya."
    assert panel.preview is not None and panel.export_action.isEnabled()  # the section refreshed itself


def test_public_key_export_writes_a_file_the_regency_can_read(
    qtbot: QtBot, offices: Offices, shown: Shown, tmp_path: Path
) -> None:
    section = make_section(qtbot, offices.prambanan)
    assert section.kecamatan is not None
    out = tmp_path / "kunci-prambanan.json"
    shown.save_paths.append(out)
    section.kecamatan.keys.export_action.trigger()
    assert shown.save_asked == [Path.home() / "kunci-33.10.01.json"]
    found = keys.read_identity(offices.regency, out)
    assert found.peer.office_code == PRAMBANAN and found.already_trusted
    assert found.peer.fingerprint in shown.info[-1]


def _first_official(ctx: ServiceContext) -> str:
    return sorted(officials.list_rows(ctx), key=lambda r: r.nik)[0].id


def _edit_phone(ctx: ServiceContext, official_id: str, phone: str) -> None:
    detail = officials.get(ctx, official_id)
    fields = dataclasses.replace(officials.fields_of(detail), telepon=phone)
    officials.update_official(ctx, SYSTEM, official_id, fields, expected_version=detail.row_version)


def test_return_package_made_at_the_regency_is_reviewed_and_accepted_at_the_kecamatan(
    qtbot: QtBot, offices: Offices, shown: Shown
) -> None:
    from klaten_desktop.services.sync import importer

    importer.import_package(offices.regency, SYSTEM, _sent(offices.prambanan, offices.stick / "p1.klsync"))
    oid = _first_official(offices.prambanan)
    old_phone = officials.get(offices.prambanan, oid).telepon
    _edit_phone(offices.regency, oid, "085700000001")

    regency = make_section(qtbot, offices.regency)
    r = regency.regency
    assert r is not None
    r.tabs.setCurrentWidget(r.returns)
    assert r.returns.kecamatan.currentData() == PRAMBANAN
    assert r.returns.preview_title.text() == "Paket balikan no. 1 untuk Kecamatan Prambanan: 1 koreksi"
    back = offices.stick / "balikan.klsync"
    shown.save_paths.append(back)
    r.returns.export_action.trigger()
    idle(qtbot, regency)
    assert shown.save_asked[-1] is not None and shown.save_asked[-1].name == "balikan-331001-0001.klsync"
    assert back.is_file()
    assert cells(r.returns.history_model, 0)["Arah"] == "Dikirim"
    assert not r.returns.export_action.isEnabled()  # nothing left to send

    section = make_section(qtbot, offices.prambanan)
    k = section.kecamatan
    assert k is not None
    shown.open_paths.append(back)
    k.import_return_action.trigger()
    idle(qtbot, section)
    assert shown.info[-1] == "Paket balikan no. 1 diimpor: 1 koreksi menunggu keputusan."
    assert officials.get(offices.prambanan, oid).telepon == old_phone  # not applied before review
    assert k.tabs.tabText(1) == "Koreksi dari kabu&paten (1)"
    [proposal] = k.review.conflicts_model.rows()
    assert proposal.kind == "koreksi"
    assert k.review.selected() == proposal
    [change] = [cells(k.review.changes_model, i) for i in range(k.review.changes_model.rowCount())]
    assert change == {"Kolom": "Telepon", "Nilai sekarang": old_phone or "(kosong)", "Nilai usulan": "085700000001"}

    k.review.accept_action.trigger()
    assert shown.confirm[-1].startswith("Pakai versi usulan untuk Pengurus: ")
    assert officials.get(offices.prambanan, oid).telepon == "085700000001"
    assert k.review.conflicts_model.rows() == []
    assert k.review.summary.text() == "Tidak ada koreksi menunggu keputusan."
    assert not k.review.accept_action.isEnabled()


def test_refused_correction_keeps_the_kecamatan_value(qtbot: QtBot, offices: Offices, shown: Shown) -> None:
    from klaten_desktop.services.sync import importer

    importer.import_package(offices.regency, SYSTEM, _sent(offices.prambanan, offices.stick / "p1.klsync"))
    oid = _first_official(offices.prambanan)
    old_phone = officials.get(offices.prambanan, oid).telepon
    _edit_phone(offices.regency, oid, "085700000002")
    back = offices.stick / "balikan.klsync"
    export.export(offices.regency, SYSTEM, back, to=PRAMBANAN)

    section = make_section(qtbot, offices.prambanan)
    k = section.kecamatan
    assert k is not None
    shown.open_paths.append(back)
    k.import_return_action.trigger()
    idle(qtbot, section)
    k.review.refuse_action.trigger()
    assert officials.get(offices.prambanan, oid).telepon == old_phone
    k.review.show_all.setChecked(True)
    assert [cells(k.review.conflicts_model, 0)["Status"]] == ["Ditolak"]
    assert not k.review.refuse_action.isEnabled()
    # the refusal makes the kecamatan's row go again in the next package
    assert k.preview is not None and k.preview.counts["official"] == 1


def _sent(ctx: ServiceContext, path: Path) -> Path:
    export.export(ctx, SYSTEM, path)
    return path
