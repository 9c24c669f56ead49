"""The officials list kept by column (row_store.RowStore): every row comes back exactly as read."""

from __future__ import annotations

from klaten_desktop.gui.officials.row_store import RowStore
from klaten_desktop.gui.officials.table_model import OFFICIALS_COLUMNS, OfficialsTableModel, RowFilter
from klaten_desktop.services import officials
from klaten_desktop.services.context import ServiceContext


def test_rows_come_back_as_read_with_none_and_empty_values(gui_ctx: ServiceContext) -> None:
    read = officials.list_rows(gui_ctx)
    rows = [
        r._replace(telepon=(None, "", "0812 3456")[n % 3], nomor_kpj=(None, "", "12345678901")[(n + 1) % 3])
        for n, r in enumerate(read)
    ]
    store = RowStore(iter(rows))
    assert len(store) == len(rows)
    assert list(store) == rows
    assert [store[i] for i in range(len(rows))] == rows
    assert store[-1] == rows[-1] and store[2:5] == rows[2:5]
    assert store.column("telepon") == [r.telepon for r in rows]
    assert store.column("desa_nama") == [r.desa_nama for r in rows]
    for n in (0, len(rows) // 2, len(rows) - 1):
        assert store.position_of(rows[n].id) == n
        assert store.id_at(n) == rows[n].id
    assert store.position_of(rows[1].id[:-1]) == -1  # a part of an id is no id
    assert store.position_of("bukan-id") == -1
    phones = RowStore(r._replace(telepon=t) for r, t in zip(read, ("", None, "", "0812", "0813"), strict=False))
    assert phones._packed["telepon"].find("0812") == 3  # after empty and missing values at the same offset
    assert phones._packed["telepon"].find("0813") == 4
    assert store.code_of("desa_kode", "99.99.99.9999") == -1
    desa, status = rows[4].desa_kode, rows[4].status
    assert store.matching(desa_kode=desa, status=status) == [
        n for n, r in enumerate(rows) if (r.desa_kode, r.status) == (desa, status)
    ]
    assert store.matching(desa_kode="99.99.99.9999") == []
    assert store.matching() == list(range(len(rows)))


def test_the_filters_pick_rows_by_the_column_codes(gui_ctx: ServiceContext) -> None:
    rows = officials.list_rows(gui_ctx, serving_only=True)
    model = OfficialsTableModel(OFFICIALS_COLUMNS)
    model.set_rows(rows)
    target = rows[5]
    model.set_filter(RowFilter(desa_kode=target.desa_kode, rw=target.rw, jabatan=target.jabatan))
    shown = {model.row_at(r).id for r in range(model.rowCount())}
    assert target.id in shown
    assert shown == {
        r.id for r in rows if (r.desa_kode, r.rw, r.jabatan) == (target.desa_kode, target.rw, target.jabatan)
    }
    model.set_filter(RowFilter(desa_kode="99.99.99.9999"))
    assert model.rowCount() == 0
    model.set_filter(RowFilter(only_ids=frozenset({rows[1].id, rows[3].id})))
    assert {model.row_at(r).id for r in range(model.rowCount())} == {rows[1].id, rows[3].id}
