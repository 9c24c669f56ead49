"""The preview table model: Qt's model checks, filtering, sorting, colours."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester

from klaten_desktop.gui.import_export.preview_model import OUTCOME_COLORS, OUTCOME_COLUMN, PreviewTableModel
from klaten_desktop.gui.import_export.preview_rows import WARNINGS_FILTER, PreviewRow
from klaten_desktop.services.imports import Outcome


def _rows() -> list[PreviewRow]:
    return [
        PreviewRow(6, Outcome.created, "Sumarno", "3310011205700001", "Sengon", "Ketua RT", "001/002", (), (), ()),
        PreviewRow(7, Outcome.updated, "Sri Wahyuni", "3310015708680001", "Sengon", "Ketua RT", "002/002", (),
                   ("Nomor HP terlalu pendek.",), ("Nomor HP",)),
        PreviewRow(8, Outcome.unchanged, "Bambang", "3310010303650001", "Sengon", "Ketua RW", "-/002", (), (), ()),
        PreviewRow(10, Outcome.rejected, "Suparmi", "3310014506820000", "", "Ketua RT", "005/002",
                   ("NIK tersimpan sebagai angka.", "Desa tidak dikenal."), (), ()),
    ]  # fmt: skip


def test_model_passes_qt_checks(qtmodeltester: ModelTester) -> None:
    model = PreviewTableModel()
    model.set_rows(_rows())
    qtmodeltester.check(model)
    model.set_filter(Outcome.rejected)
    qtmodeltester.check(model)
    model.set_filter(None)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_filter_sort_and_what_each_cell_shows() -> None:
    model = PreviewTableModel()
    model.set_rows(_rows())
    assert model.rowCount() == 4 and model.columnCount() == 8
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)] == [
        "Baris", "Hasil", "Nama", "NIK", "Desa", "Jabatan", "RT/RW", "Keterangan",
    ]  # fmt: skip
    assert [model.index(r, OUTCOME_COLUMN).data() for r in range(4)] == [
        "Baru", "Diperbarui", "Tidak berubah", "Ditolak",
    ]  # fmt: skip
    assert model.index(1, 7).data() == "Diubah: Nomor HP; Peringatan: Nomor HP terlalu pendek."
    assert model.index(3, 7).data() == "NIK tersimpan sebagai angka.; Desa tidak dikenal."
    assert (
        model.index(3, 7).data(Qt.ItemDataRole.ToolTipRole) == "• NIK tersimpan sebagai angka.\n• Desa tidak dikenal."
    )
    background = model.index(3, OUTCOME_COLUMN).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(background, QBrush) and background.color().name() == OUTCOME_COLORS[Outcome.rejected][0]

    model.set_filter(WARNINGS_FILTER)
    assert [model.row_at(r).sheet_row for r in range(model.rowCount())] == [7]
    model.set_filter(Outcome.unchanged)
    assert [model.row_at(r).nama for r in range(model.rowCount())] == ["Bambang"]
    model.set_filter(None)
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert [model.row_at(r).nama for r in range(4)] == ["Bambang", "Sri Wahyuni", "Sumarno", "Suparmi"]
    model.sort(OUTCOME_COLUMN, Qt.SortOrder.DescendingOrder)
    assert model.row_at(0).outcome is Outcome.rejected
    assert model.total_count() == 4
