"""services.official_list.table_rows (streamed, used by the GUI) returns exactly what officials.list_rows does."""

from __future__ import annotations

import datetime as dt

from klaten_desktop.domain.enums import EndReason
from klaten_desktop.services import enrollment, official_list, officials
from klaten_desktop.services.context import SYSTEM, ServiceContext


def test_table_rows_equal_list_rows(gui_ctx: ServiceContext) -> None:
    ctx = gui_ctx
    rows = officials.list_rows(ctx)
    registered = next(r for r in rows if r.nomor_kpj and r.status == "aktif")
    # one official with an ended and a new enrollment; one replaced; one whose term ended
    enrollment.end(ctx, SYSTEM, registered.id, on=dt.date(2026, 11, 1), reason="pindah sumber dana")
    enrollment.submit(ctx, SYSTEM, [registered.id], on=dt.date(2026, 11, 2))
    head = next(r for r in rows if r.jabatan == "ketua_rt" and r.id != registered.id and r.status == "aktif")
    successor = officials.fields_of(officials.get(ctx, head.id))
    successor = type(successor)(**{**successor.__dict__, "nik": "3310014506820003", "nama": "Sri Lestari"})
    officials.replace(ctx, SYSTEM, head.id, on=dt.date(2026, 11, 10), new=successor)
    leaving = next(r for r in rows if r.id not in (registered.id, head.id) and r.term_status == "menjabat")
    officials.end_term(ctx, SYSTEM, leaving.id, on=dt.date(2026, 11, 20), reason=EndReason.mengundurkan_diri)

    expected = officials.list_rows(ctx)
    got = official_list.table_rows(ctx)
    assert got == expected
    assert len(got) == 81
    by_id = {r.id: r for r in got}
    assert by_id[registered.id].status == "diajukan"
    assert by_id[head.id].status == "berakhir"
    assert by_id[leaving.id].term_status == "berakhir"
    assert official_list.table_rows(ctx, on=dt.date(2026, 10, 1)) == officials.list_rows(ctx, on=dt.date(2026, 10, 1))
