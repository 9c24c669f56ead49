"""A kecamatan makes a package through the screen; the regency screen dry-runs it, imports it, shows it in the
console; a tampered file is refused with the service's reason and changes nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import export, importer, status

from .conftest import PRAMBANAN, WEDI, Offices, Shown, exchange_keys, idle, make_section, new_kecamatan
from .helpers import cells, officials_of, row_counts

BACKGROUND = Qt.ItemDataRole.BackgroundRole


def _export_through_widget(qtbot: QtBot, offices: Offices, shown: Shown, name: str) -> Path:
    section = make_section(qtbot, offices.prambanan)
    panel = section.kecamatan
    assert panel is not None
    assert panel.preview_title.text().startswith("Paket no. 1 (perubahan) untuk Pemerintah Kabupaten Klaten:")
    going = {
        panel.preview_model.text(r, 0): panel.preview_model.text(r, 1) for r in range(panel.preview_model.rowCount())
    }
    assert going["Pengurus"] == "40"
    out = offices.stick / name
    shown.save_paths.append(out)
    panel.export_action.trigger()
    idle(qtbot, section)
    assert out.is_file()
    assert shown.save_asked[-1] is not None and shown.save_asked[-1].name == "sinkron-331001-0001.klsync"
    assert shown.info[-1].startswith(f"Paket no. 1 disimpan ke {name} (")
    [sent] = panel.sent_model.rows()
    assert (sent.sequence, sent.file_name, sent.counts["official"]) == (1, name, 40)
    assert panel.sent_model.text(0, 6) == sent.sha256[:12]
    # nothing changed since: the next package would be number 2 and empty
    assert panel.preview_title.text().startswith("Paket no. 2 (perubahan)")
    assert panel.preview_title.text().endswith(": 0 baris")
    return out


def test_kecamatan_package_is_dry_run_then_imported_at_the_regency(
    qtbot: QtBot, offices: Offices, shown: Shown
) -> None:
    package = _export_through_widget(qtbot, offices, shown, "prambanan-1.klsync")

    regency = make_section(qtbot, offices.regency)
    r = regency.regency
    assert r is not None
    before = row_counts(offices.regency)
    shown.open_many.append([package])
    r.tabs.setCurrentWidget(r.importer)
    r.importer.choose_action.trigger()
    idle(qtbot, regency)
    [line] = r.importer.files_model.rows()
    assert line.state == "Uji coba: siap diimpor"
    row = cells(r.importer.files_model, 0)
    assert line.outcome.result is not None
    created = line.outcome.result.total("created")
    assert (row["Kecamatan"], row["No. urut"], row["Baru"], row["Konflik"]) == (PRAMBANAN, "1", str(created), "0")
    assert created >= 40  # officials, enrollments, payments...
    tables = {t.label: t.counts.created for t in r.importer.tables_model.rows()}
    assert tables["Pengurus"] == 40
    assert row_counts(offices.regency) == before  # the dry run wrote nothing
    assert r.importer.apply_action.isEnabled()

    r.importer.apply_action.trigger()
    idle(qtbot, regency)
    assert shown.confirm[-1].startswith(f"Impor 1 paket dari {PRAMBANAN} sekarang?")
    [line] = r.importer.files_model.rows()
    assert line.state == "Diimpor"
    assert officials_of(offices.regency, PRAMBANAN) == 40
    assert shown.info[-1].startswith("1 paket diimpor. Baru ")
    assert not r.importer.apply_action.isEnabled()

    console = r.console.model
    codes = [k.office_code for k in console.rows()]
    i = codes.index(PRAMBANAN)
    assert console.text(i, 2) == "no. 1"
    assert console.text(i, 7) == str(sum(console.row_at(i).last_counts.values()))
    assert console.row_at(i).last_counts["official"] == 40
    # those who should be covered (the coverage denominator, as in the recap): the 40 officials but the ended ones
    assert console.row_at(i).coverage.pengurus == 40
    assert console.text(i, 8) == str(40 - console.row_at(i).coverage.berakhir)
    assert console.text(i, 5) == "0"  # days since the package
    assert r.console.highlight(console.row_at(i)) is None
    assert r.console.highlight(console.row_at(codes.index(WEDI))) == "warning"  # never sent anything
    assert console.text(codes.index(WEDI), 5) == "belum pernah"
    assert "1 dari 26 kecamatan sudah mengirim paket." in r.console.summary.text()

    # the same file again: already imported, nothing to do
    shown.open_many.append([package])
    r.importer.choose_action.trigger()
    idle(qtbot, regency)
    assert [f.state for f in r.importer.files_model.rows()] == ["Sudah pernah diimpor"]
    assert not r.importer.apply_action.isEnabled()


def test_tampered_package_is_refused_with_the_reason_and_changes_nothing(
    qtbot: QtBot, offices: Offices, shown: Shown
) -> None:
    good = offices.stick / "wedi-1.klsync"
    export.export(offices.wedi, SYSTEM, good)
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad = offices.stick / "wedi-1-rusak.klsync"
    bad.write_bytes(bytes(data))
    truncated = offices.stick / "wedi-1-terpotong.klsync"
    truncated.write_bytes(good.read_bytes()[:-100])

    regency = make_section(qtbot, offices.regency)
    r = regency.regency
    assert r is not None
    before = row_counts(offices.regency)
    shown.open_many.append([bad, truncated])
    r.importer.choose_action.trigger()
    idle(qtbot, regency)
    lines = r.importer.files_model.rows()
    assert [f.state for f in lines] == ["Ditolak", "Ditolak"]
    assert "Tidak ada data yang diubah." in (lines[0].note or "")
    assert lines[1].note.startswith("Berkas paket terpotong atau rusak")
    [message] = shown.warn
    assert message.startswith("Paket berikut ditolak; tidak ada data yang diubah:")
    assert f"wedi-1-rusak.klsync: {lines[0].note}" in message
    assert f"wedi-1-terpotong.klsync: {lines[1].note}" in message
    assert r.importer.files_model.data(r.importer.files_model.index(0, 0), BACKGROUND) is not None  # shown in red
    assert not r.importer.apply_action.isEnabled()
    assert row_counts(offices.regency) == before
    assert status.console(offices.regency).as_json()["kecamatan"][2]["last_sequence"] is None


def test_many_packages_at_once_one_refused(qtbot: QtBot, offices: Offices, shown: Shown) -> None:
    p1 = offices.stick / "p1.klsync"
    w1 = offices.stick / "w1.klsync"
    export.export(offices.prambanan, SYSTEM, p1)
    export.export(offices.wedi, SYSTEM, w1)
    junk = offices.stick / "catatan.klsync"
    junk.write_bytes(b"bukan paket")
    regency = make_section(qtbot, offices.regency)
    r = regency.regency
    assert r is not None
    shown.open_many.append([w1, junk, p1])
    r.importer.choose_action.trigger()
    idle(qtbot, regency)
    # one batch in the order of the file names (catatan, p1, w1), whatever order they were picked in
    assert [f.outcome.path.name for f in r.importer.files_model.rows()] == [junk.name, p1.name, w1.name]
    assert [f.state for f in r.importer.files_model.rows()] == [
        "Ditolak",
        "Uji coba: siap diimpor",
        "Uji coba: siap diimpor",
    ]
    assert "catatan.klsync: Berkas ini bukan paket Klaten Desktop." in shown.warn[0]
    r.importer.apply_action.trigger()
    idle(qtbot, regency)
    assert [f.state for f in r.importer.files_model.rows()] == ["Ditolak", "Diimpor", "Diimpor"]
    assert officials_of(offices.regency, PRAMBANAN) == 40 and officials_of(offices.regency, WEDI) == 30
    by_code = {k.office_code: k for k in r.console.model.rows()}
    assert by_code[PRAMBANAN].last_sequence == 1 and by_code[WEDI].last_sequence == 1


def test_replaced_kecamatan_pc_needs_the_new_install_option(
    qtbot: QtBot, make_ctx: Callable[..., ServiceContext], offices: Offices, shown: Shown
) -> None:
    importer.import_package(offices.regency, SYSTEM, _sent(offices.prambanan, offices.stick / "lama-1.klsync"))
    new_pc = new_kecamatan(make_ctx, "prambanan-baru", PRAMBANAN, "Kecamatan Prambanan")
    exchange_keys(new_pc, offices.regency, offices.stick / "baru")
    package = _sent(new_pc, offices.stick / "baru-1.klsync")

    regency = make_section(qtbot, offices.regency)
    r = regency.regency
    assert r is not None
    shown.open_many.append([package])
    r.importer.choose_action.trigger()
    idle(qtbot, regency)
    [line] = r.importer.files_model.rows()
    assert line.state == "Ditolak" and "sudah mengirim paket dari instalasi lain" in line.note

    r.importer.new_install.setChecked(True)
    shown.open_many.append([package])
    r.importer.choose_action.trigger()
    idle(qtbot, regency)
    assert [f.state for f in r.importer.files_model.rows()] == ["Uji coba: siap diimpor"]
    r.importer.apply_action.trigger()
    idle(qtbot, regency)
    assert "PERHATIAN: pilihan 'PC kecamatan memang diganti' aktif." in shown.confirm[-1]
    assert [f.state for f in r.importer.files_model.rows()] == ["Diimpor"]
    assert "menggantikan instalasi sebelumnya" in shown.info[-1]


def _sent(ctx: ServiceContext, path: Path) -> Path:
    export.export(ctx, SYSTEM, path)
    return path


def test_cancelling_the_real_import_keeps_nothing(
    qtbot: QtBot, offices: Offices, shown: Shown, monkeypatch: pytest.MonkeyPatch
) -> None:
    p1 = _sent(offices.prambanan, offices.stick / "p1.klsync")
    w1 = _sent(offices.wedi, offices.stick / "w1.klsync")
    regency = make_section(qtbot, offices.regency)
    r = regency.regency
    assert r is not None
    shown.open_many.append([p1, w1])
    r.importer.choose_action.trigger()
    idle(qtbot, regency)
    real = importer.check_package
    reached, go_on = threading.Event(), threading.Event()

    def held(ctx: ServiceContext, path: Path) -> object:
        if path == w1:  # p1 is in; the user presses Esc while Wedi's package is read
            reached.set()
            go_on.wait(10)
        return real(ctx, path)

    monkeypatch.setattr(importer, "check_package", held)
    r.importer.apply_action.trigger()
    assert reached.wait(10)
    assert regency.tasks.cancel()
    go_on.set()
    idle(qtbot, regency)
    assert shown.info == ["Impor paket dibatalkan; tidak ada data yang berubah."] and shown.warn == []
    assert officials_of(offices.regency, PRAMBANAN) == 0 and officials_of(offices.regency, WEDI) == 0
    assert status.console(offices.regency).kecamatan[0].last_sequence is None
