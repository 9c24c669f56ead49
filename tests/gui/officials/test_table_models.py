"""Table models: qtmodeltester, and filtering/sorting that match a plain Python reference."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.kit.rows_table import RowsTableModel
from klaten_desktop.gui.officials.row_keys import RowKeys
from klaten_desktop.gui.officials.table_model import (
    ENROLLMENT_COLUMNS,
    ID_ROLE,
    OFFICIALS_COLUMNS,
    OfficialsTableModel,
    RowFilter,
)
from klaten_desktop.services import officials, payments
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.records import PaymentData

SENGON = "33.10.01.2001"


def _names(model: OfficialsTableModel) -> list[str]:
    return [model.row_at(r).nama for r in range(model.rowCount())]


def test_officials_model_passes_modeltester(qtmodeltester: ModelTester, gui_ctx: ServiceContext) -> None:
    model = OfficialsTableModel(OFFICIALS_COLUMNS)
    model.set_rows(officials.list_rows(gui_ctx))
    qtmodeltester.check(model, force_py=True)
    model.sort(model.column_of("rw"), Qt.SortOrder.DescendingOrder)
    model.set_filter(RowFilter(text="a"))
    qtmodeltester.check(model, force_py=True)
    other = OfficialsTableModel(ENROLLMENT_COLUMNS)
    qtmodeltester.check(other, force_py=True)  # empty
    other.set_rows(officials.list_rows(gui_ctx))
    qtmodeltester.check(other, force_py=True)


def test_rows_model_passes_modeltester(qtmodeltester: ModelTester, gui_ctx: ServiceContext) -> None:
    row = next(r for r in officials.list_rows(gui_ctx) if r.dibayar_sampai)
    model: RowsTableModel[PaymentData] = RowsTableModel([("Bulan", lambda p: p.periode), ("Jumlah", str)])
    model.set_rows(payments.history(gui_ctx, row.id))
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)


def test_filter_and_sort_match_python(gui_ctx: ServiceContext) -> None:
    rows = officials.list_rows(gui_ctx)
    model = OfficialsTableModel(OFFICIALS_COLUMNS)
    model.set_rows(rows)
    serving = [r for r in rows if r.term_status == "menjabat"]
    assert model.rowCount() == len(serving) == 80

    model.sort(model.column_of("nama"), Qt.SortOrder.AscendingOrder)
    assert _names(model) == sorted((r.nama for r in serving), key=str.lower)

    model.set_filter(RowFilter(desa_kode=SENGON, status="aktif"))
    expected = sorted((r.nama for r in serving if r.desa_kode == SENGON and r.status == "aktif"), key=str.lower)
    assert _names(model) == expected

    model.sort(model.column_of("rw"), Qt.SortOrder.DescendingOrder)
    rws = [model.row_at(r).rw or 0 for r in range(model.rowCount())]
    assert rws == sorted(rws, reverse=True)
    assert sorted(_names(model)) == sorted(expected)

    target = serving[17]
    model.set_filter(RowFilter(text=target.nik[:4] + "." + target.nik[4:10]))  # typed with a separator
    assert target.id in {model.row_at(r).id for r in range(model.rowCount())}
    model.set_filter(RowFilter(text=target.nik))
    assert [model.row_at(r).id for r in range(model.rowCount())] == [target.id]
    assert model.data(model.index(0, 0), ID_ROLE) == target.id

    first_word = target.nama.split()[0].upper()
    model.set_filter(RowFilter(text=first_word[:2]))
    narrowed_from = model.rowCount()
    model.set_filter(RowFilter(text=first_word))  # typing more letters narrows the rows shown
    names = _names(model)
    assert names and all(first_word.lower() in n.lower() for n in names)
    assert len(names) == sum(1 for r in serving if first_word.lower() in r.nama.lower())
    assert len(names) <= narrowed_from
    model.set_filter(RowFilter(text=first_word[:2]))  # deleting letters widens again
    assert model.rowCount() == narrowed_from


def test_both_tables_share_the_keys_and_sort_stably_both_ways(gui_ctx: ServiceContext) -> None:
    rows = officials.list_rows(gui_ctx, serving_only=True)
    keys = RowKeys(rows)
    pengurus, kepesertaan = OfficialsTableModel(OFFICIALS_COLUMNS), OfficialsTableModel(ENROLLMENT_COLUMNS)
    pengurus.set_rows(rows, keys)
    kepesertaan.set_rows(rows, keys)
    for model in (pengurus, kepesertaan):
        model.sort(model.column_of("desa"), Qt.SortOrder.DescendingOrder)
    # one order made once, shown by both tables: the desa names descending, ties in the load's order
    expected = sorted(range(len(rows)), key=lambda i: rows[i].desa_nama.lower(), reverse=True)
    assert [pengurus.row_at(r).id for r in range(pengurus.rowCount())] == [rows[i].id for i in expected]
    assert pengurus._view is kepesertaan._view
    pengurus.sort(pengurus.column_of("desa"), Qt.SortOrder.AscendingOrder)
    ascending = sorted(range(len(rows)), key=lambda i: rows[i].desa_nama.lower())
    assert [pengurus.row_at(r).id for r in range(pengurus.rowCount())] == [rows[i].id for i in ascending]
    for order, descending in ((Qt.SortOrder.AscendingOrder, False), (Qt.SortOrder.DescendingOrder, True)):
        pengurus.sort(pengurus.column_of("nik"), order)  # every key different: one direction read backwards
        niks = [pengurus.row_at(r).nik for r in range(pengurus.rowCount())]
        assert niks == sorted((r.nik for r in rows), reverse=descending)
    # keys made for other rows are not used for these
    other = OfficialsTableModel(OFFICIALS_COLUMNS)
    other.set_rows(rows[:5], keys)
    assert other.rowCount() == 5 and other.total_count() == 5


def test_the_selected_row_follows_a_sort(qtbot: QtBot, gui_ctx: ServiceContext) -> None:
    rows = officials.list_rows(gui_ctx, serving_only=True)
    model = OfficialsTableModel(OFFICIALS_COLUMNS)
    model.set_rows(rows)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.selectRow(3)
    chosen = model.row_at(3).id
    model.sort(model.column_of("nik"), Qt.SortOrder.DescendingOrder)
    selected = view.selectionModel().selectedRows()
    assert [model.row_at(i.row()).id for i in selected] == [chosen]
    assert model.row_of_id(chosen) == selected[0].row() != -1
    assert model.row_of_id("bukan-id") == -1


def test_typed_digits_find_a_nik_and_a_name_with_digits(gui_ctx: ServiceContext) -> None:
    rows = officials.list_rows(gui_ctx, serving_only=True)
    target = rows[7]
    numbered = rows[3]._replace(nama="Paimin 2024")  # a name with digits in it (allowed, rare)
    rows = [*rows[:3], numbered, *rows[4:]]
    model = OfficialsTableModel(OFFICIALS_COLUMNS)
    model.set_rows(rows)
    model.set_filter(RowFilter(text=target.nik[-9:]))
    assert [model.row_at(r).id for r in range(model.rowCount())] == [target.id]
    model.set_filter(RowFilter(text="2024"))
    shown = {model.row_at(r).id for r in range(model.rowCount())}
    assert numbered.id in shown
    assert shown == {r.id for r in rows if "2024" in r.nik or "2024" in r.nama}
    model.set_filter(RowFilter(text="paimin 20"))  # letters and digits: the name
    assert [model.row_at(r).id for r in range(model.rowCount())] == [numbered.id]


def test_every_column_sorts_like_a_per_row_key_with_ties_in_the_load_order(gui_ctx: ServiceContext) -> None:
    """A column's key is made once per distinct value (row_keys.SortKey): values that differ but sort alike ("sri"
    and "Sri"; no KPJ and an empty one) still tie, in both directions, like a key made for every row."""
    base = officials.list_rows(gui_ctx, serving_only=True)[:12]
    variants = ("Sri Lestari", "sri lestari", "SRI LESTARI", "Budi", "budi")
    rows = [
        r._replace(nama=variants[n % len(variants)], nomor_kpj=(None, "", "123")[n % 3], telepon=(None, "0812")[n % 2])
        for n, r in enumerate(base)
    ]
    far = "\uffff"
    per_row = {
        "nama": lambda r: r.nama.lower(),
        "nik": lambda r: r.nik,
        "desa": lambda r: r.desa_nama.lower(),
        "rw": lambda r: r.rw if r.rw is not None else 10**6,
        "rt": lambda r: r.rt if r.rt is not None else 10**6,
        "jabatan": lambda r: r.jabatan,
        "status": lambda r: r.status,
        "telepon": lambda r: r.telepon or far,
        "mulai": lambda r: r.term_start.toordinal() if r.term_start else 10**7,
        "akhir": lambda r: r.term_end.toordinal() if r.term_end else 10**7,
        "kpj": lambda r: r.nomor_kpj or far,
        "dibayar": lambda r: r.dibayar_sampai or "",
    }
    for columns in (OFFICIALS_COLUMNS, ENROLLMENT_COLUMNS):
        model = OfficialsTableModel(columns)
        model.set_rows(rows)
        for key in columns:
            for order, descending in ((Qt.SortOrder.AscendingOrder, False), (Qt.SortOrder.DescendingOrder, True)):
                model.sort(model.column_of(key), order)
                expected = sorted(range(len(rows)), key=lambda i, k=per_row[key]: k(rows[i]), reverse=descending)
                shown = [model.row_at(r).id for r in range(model.rowCount())]
                assert shown == [rows[i].id for i in expected], (key, descending)
