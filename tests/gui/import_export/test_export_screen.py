"""The Ekspor tab and the template: real files written by the real section, read back."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.enums import CoverageStatus
from klaten_desktop.gui.import_export import ImportExportSection
from klaten_desktop.gui.kit import ui_settings
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import demo, officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.csv_cells import read_cell
from klaten_desktop.services.exports import EXPORT_COLUMNS, REGISTRY_COLUMNS
from tests.conftest import TEST_ADMIN

from .conftest import Shown

Rows = Callable[[Path], list[list[object]]]


@pytest.fixture
def registry(io_ctx: ServiceContext) -> ServiceContext:
    demo.populate(io_ctx, SYSTEM, 40)
    return io_ctx


def make_section(qtbot: QtBot, ctx: ServiceContext) -> ImportExportSection:
    section = ImportExportSection(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    section.resize(1366, 768)
    section.show()
    section.tabs.setCurrentWidget(section.export_panel)
    section.refresh()
    return section


def idle(qtbot: QtBot, section: ImportExportSection) -> None:
    qtbot.waitUntil(lambda: not section.tasks.busy, timeout=15_000)


def test_registry_export_reimports_with_zero_changes(
    qtbot: QtBot, registry: ServiceContext, shown: Shown, tmp_path: Path, xlsx_rows: Rows
) -> None:
    section = make_section(qtbot, registry)
    unregistered = sum(1 for r in officials.list_rows(registry) if r.status == CoverageStatus.belum_terdaftar.value)
    summary = f"Kecamatan Prambanan: 40 pengurus menjabat,\n{unregistered} di antaranya belum terdaftar BPJS"
    qtbot.waitUntil(lambda: section.export_panel.summary.text() == summary + " Ketenagakerjaan.", timeout=10_000)
    out = tmp_path / "registry.xlsx"
    shown.save_paths.append(out)
    section.export_panel.registry_button.click()
    idle(qtbot, section)
    assert shown.info == ["40 pengurus diekspor ke registry.xlsx."]
    rows = xlsx_rows(out)
    assert rows[0] == [EXPORT_COLUMNS[k].label for k in REGISTRY_COLUMNS]
    assert len(rows) == 41
    niks = {str(r[1]) for r in rows[1:]}
    assert niks == {r.nik for r in officials.list_rows(registry, serving_only=True)}
    assert all(isinstance(r[1], str) and len(r[1]) == 16 for r in rows[1:])  # NIK kept as text

    # the app's own export goes back in through the import tab without a single change
    section.tabs.setCurrentWidget(section.import_panel)
    panel = section.import_panel
    shown.open_path = out
    panel.choose_button.click()
    qtbot.waitUntil(lambda: not section.tasks.busy and panel.preview is not None, timeout=15_000)
    assert panel.counts.text() == "40 baris data: 0 baru, 0 diperbarui, 40 tidak berubah, 0 ditolak"
    assert not panel.apply_button.isEnabled()


def test_bpjs_list_with_chosen_columns(
    qtbot: QtBot, registry: ServiceContext, shown: Shown, tmp_path: Path, xlsx_rows: Rows
) -> None:
    section = make_section(qtbot, registry)
    panel = section.export_panel
    columns = panel.columns
    labels = [columns.item(n).text() for n in range(columns.count())]
    checked = panel.chosen_columns()
    assert checked[:3] == ["no", "nik", "nama"]
    # the branch wants the KPJ column, no phone numbers, and the name before the NIK
    columns.item(labels.index(EXPORT_COLUMNS["telepon"].label)).setCheckState(Qt.CheckState.Unchecked)
    columns.item(labels.index(EXPORT_COLUMNS["nomor_kpj"].label)).setCheckState(Qt.CheckState.Checked)
    moved = columns.takeItem(2)  # "Nama" (a drag in the list)
    columns.insertItem(1, moved)
    chosen = panel.chosen_columns()
    assert chosen[:3] == ["no", "nama", "nik"] and "telepon" not in chosen and "nomor_kpj" in chosen

    out = tmp_path / "bpjs.xlsx"
    shown.save_paths.append(out)
    panel.bpjs_button.click()
    idle(qtbot, section)
    rows = xlsx_rows(out)
    assert rows[0] == [EXPORT_COLUMNS[k].label for k in chosen]
    unregistered = [
        r for r in officials.list_rows(registry, serving_only=True) if r.status == CoverageStatus.belum_terdaftar.value
    ]
    assert 0 < len(unregistered) < 40
    assert len(rows) - 1 == len(unregistered)
    assert {r[2] for r in rows[1:]} == {r.nik for r in unregistered}

    # with the registered ones too, and with no column checked the button is off
    panel.include_registered.setChecked(True)
    shown.save_paths.append(tmp_path / "bpjs-semua.xlsx")
    panel.bpjs_button.click()
    idle(qtbot, section)
    assert shown.info[-1] == "40 pengurus diekspor ke bpjs-semua.xlsx."
    for n in range(columns.count()):
        columns.item(n).setCheckState(Qt.CheckState.Unchecked)
    assert not panel.bpjs_button.isEnabled()
    panel.default_button.click()
    assert panel.bpjs_button.isEnabled() and panel.chosen_columns()[:3] == ["no", "nik", "nama"]


def test_bpjs_columns_are_remembered_for_the_next_time(
    qtbot: QtBot, registry: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    ui_settings.install(tmp_path / "tampilan.ini")
    try:
        panel = make_section(qtbot, registry).export_panel
        columns = panel.columns
        labels = [columns.item(n).text() for n in range(columns.count())]
        columns.item(labels.index(EXPORT_COLUMNS["nomor_kpj"].label)).setCheckState(Qt.CheckState.Checked)
        columns.insertItem(0, columns.takeItem(labels.index(EXPORT_COLUMNS["nama"].label)))
        chosen = panel.chosen_columns()
        shown.save_paths.append(tmp_path / "bpjs.xlsx")
        panel.bpjs_button.click()
        qtbot.waitUntil(lambda: bool(shown.info), timeout=15_000)
        again = make_section(qtbot, registry).export_panel  # the tab opened another day
        assert again.chosen_columns() == chosen and chosen[0] == "nama" and "nomor_kpj" in chosen
        again.default_button.click()
        assert again.chosen_columns()[:3] == ["no", "nik", "nama"]
    finally:
        ui_settings._current = None


def test_one_desa_to_csv(qtbot: QtBot, registry: ServiceContext, shown: Shown, tmp_path: Path) -> None:
    section = make_section(qtbot, registry)
    panel = section.export_panel
    desa = officials.list_rows(registry, serving_only=True)[0].desa_kode
    expected = [r for r in officials.list_rows(registry, serving_only=True) if r.desa_kode == desa]
    panel.desa_combo.setCurrentIndex(panel.desa_combo.findData(desa))
    out = tmp_path / "satu desa.csv"
    shown.save_paths.append(out)
    panel.registry_button.click()
    idle(qtbot, section)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(";")[:3] == ["No", "NIK", "Nama"]
    assert len(lines) - 1 == len(expected)
    # the screen writes "CSV untuk Excel": each NIK as ="..." so a spreadsheet keeps it as text
    assert {line.split(";")[1] for line in lines[1:]} == {f'"=""{r.nik}"""' for r in expected}
    assert {read_cell(next(csv.reader([line], delimiter=";"))[1]) for line in lines[1:]} == {r.nik for r in expected}
    assert shown.save_asked[0] is not None and panel.desa_combo.currentText() in shown.save_asked[0].name


@pytest.mark.log_warnings_expected  # the worker logs the EnvironmentProblem as one WARNING line
def test_file_open_in_excel_gives_a_clear_message(
    qtbot: QtBot, registry: ServiceContext, shown: Shown, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "terbuka di Excel.xlsx"
    out.write_bytes(b"old contents")
    original = Path.replace

    def locked(self: Path, target: str | Path) -> Path:
        if Path(target) == out:  # what Windows says when Excel holds the file open
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return original(self, target)

    monkeypatch.setattr(Path, "replace", locked)
    section = make_section(qtbot, registry)
    shown.save_paths.append(out)
    section.export_panel.registry_button.click()
    idle(qtbot, section)
    assert len(shown.error) == 1
    assert "sedang dipakai program lain" in shown.error[0] and "Tutup berkas itu" in shown.error[0]
    assert shown.info == [] and shown.crash == []
    assert out.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert section.export_panel.registry_button.isEnabled()


def test_template_download(qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, tmp_path: Path, xlsx_rows: Rows) -> None:
    from python_calamine import CalamineWorkbook

    section = make_section(qtbot, io_ctx)
    section.tabs.setCurrentWidget(section.import_panel)
    out = tmp_path / "templat"
    shown.save_paths.append(out)
    section.import_panel.template_button.click()
    idle(qtbot, section)
    written = tmp_path / "templat.xlsx"
    assert CalamineWorkbook.from_path(str(written)).sheet_names == ["Data Pengurus", "Petunjuk", "Daftar"]
    assert xlsx_rows(written)[0][:3] == ["No", "NIK", "Nama"]
    assert shown.info == ["Templat disimpan ke templat.xlsx. Kirim ke desa; lembar \u201cPetunjuk\u201d menjelaskan "
                          "cara mengisinya."]  # fmt: skip


def test_regency_offers_every_desa_with_its_kecamatan(
    qtbot: QtBot, make_ctx: Callable[..., ServiceContext], shown: Shown
) -> None:
    from klaten_desktop.gui.kit import tasks
    from klaten_desktop.gui.officials.store import store_for

    ctx = make_ctx("kabupaten")
    section = make_section(qtbot, ctx)
    combo = section.import_panel.desa_combo
    assert combo.count() > 300
    assert combo.itemText(combo.findData("33.10.01.2001")) == "Desa Sengon (Kec. Prambanan)"
    assert section.export_panel.desa_combo.itemText(0) == "Semua desa (Kabupaten Klaten)"
    qtbot.waitUntil(lambda: "Kabupaten Klaten: 0 pengurus menjabat" in section.export_panel.summary.text())
    tasks.wait_all()
    store_for(ctx).wait()


def test_a_list_for_the_desa_without_nik_chosen_by_keyboard(
    qtbot: QtBot, registry: ServiceContext, shown: Shown, tmp_path: Path, xlsx_rows: Rows
) -> None:
    section = make_section(qtbot, registry)
    panel = section.export_panel
    panel.desa_combo.setFocus()
    qtbot.waitUntil(panel.desa_combo.hasFocus)
    qtbot.keyClick(panel.desa_combo, Qt.Key.Key_Tab)  # Wilayah, then NIK
    assert panel.nik_combo.hasFocus() and panel.nik_combo.currentText() == "NIK lengkap"
    qtbot.keyClick(panel.nik_combo, Qt.Key.Key_Down)
    qtbot.keyClick(panel.nik_combo, Qt.Key.Key_Down)
    assert panel.nik_combo.currentText() == "Tanpa NIK"
    out = tmp_path / "untuk-desa.xlsx"
    shown.save_paths.append(out)
    panel.registry_button.click()
    idle(qtbot, section)
    rows = xlsx_rows(out)
    assert "NIK" not in rows[0] and len(rows) == 41
    niks = {r.nik for r in officials.list_rows(registry, serving_only=True)}
    assert not any(str(cell) in niks for row in rows for cell in row)
