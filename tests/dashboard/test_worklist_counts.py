"""The worklist counts (one statement over the official rows) agree with the lists themselves (one query per list
over the joined enrollment) on a demo registry with every kind of row the lists tell apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import insert, text

from klaten_desktop.db.models import Event, EventParticipant, Official, new_uuid, utcnow
from klaten_desktop.services import demo, worklists
from klaten_desktop.services.context import SYSTEM, ServiceContext

DATES = (dt.date(2026, 11, 10), dt.date(2026, 11, 24), dt.date(2026, 12, 16), dt.date(2027, 2, 1))


def _sync(office_code: str) -> dict[str, object]:
    return {"row_version": 1, "updated_at": utcnow(), "office_code": office_code, "origin_install": None}


def _ids(ctx: ServiceContext, sql: str) -> list[str]:
    with ctx.read() as session:
        return [r[0] for r in session.execute(text(sql))]


def _vary(ctx: ServiceContext) -> None:
    """Beyond the demo: attendance (kept, absent, deleted), a KPJ recorded without a registration date, ended and
    deleted enrollments, ended terms, deleted officials, and conflicts a merged database may hold."""
    officials = _ids(ctx, "SELECT id FROM official ORDER BY id")
    submitted = _ids(
        ctx, "SELECT id FROM enrollment WHERE registered_on IS NULL AND submitted_on IS NOT NULL ORDER BY id"
    )
    registered = _ids(ctx, "SELECT id FROM enrollment WHERE registered_on IS NOT NULL ORDER BY id")
    assert len(submitted) >= 6 and len(registered) >= 10
    event_id = new_uuid()
    with ctx.write() as session:
        conn = session.connection()
        office_code = conn.execute(text("SELECT office_code FROM official LIMIT 1")).scalar_one()
        conn.execute(
            insert(Event),
            [
                {
                    "id": event_id,
                    **_sync(office_code),
                    "title": "Sosialisasi",
                    "starts_at": dt.datetime(2026, 9, 1, 9),
                    "place": "Pendapa",
                }
            ],
        )
        participants = [(oid, 1, None) for oid in officials[:12]] + [(officials[12], 0, None)]
        participants.append((officials[13], 1, utcnow()))
        conn.execute(
            insert(EventParticipant),
            [
                {"id": new_uuid(), **_sync(office_code), "event_id": event_id, "official_id": oid, "attended": a,
                 "deleted_at": deleted}
                for oid, a, deleted in participants
            ],
        )  # fmt: skip
        conn.execute(
            text("UPDATE enrollment SET nomor_kpj = '99887766554' WHERE id IN (:a, :b)"),
            dict(zip("ab", submitted[:2], strict=True)),
        )
        conn.execute(
            text("UPDATE enrollment SET ended_on = '2026-10-31' WHERE id IN (:a, :b, :c)"),
            dict(zip("abc", registered[:3], strict=True)),
        )
        conn.execute(
            text("UPDATE enrollment SET deleted_at = :now WHERE id = :a"), {"now": utcnow(), "a": registered[3]}
        )
        conn.execute(text("UPDATE enrollment SET submitted_on = NULL WHERE id = :a"), {"a": submitted[2]})
        conn.execute(
            text("UPDATE official SET term_status = 'berakhir', ended_on = '2026-09-30' WHERE id IN (:a, :b)"),
            dict(zip("ab", officials[20:22], strict=True)),
        )
        conn.execute(
            text("UPDATE official SET deleted_at = :now WHERE id IN (:a, :b)"),
            {"now": utcnow(), "a": officials[30], "b": officials[31]},
        )
        conn.execute(
            text("UPDATE official SET term_end = '2026-12-20' WHERE id IN (:a, :b, :c)"),
            dict(zip("abc", officials[40:43], strict=True)),
        )
    # a merged database may hold what the unique indexes forbid locally
    with ctx.write() as session:  # on either engine
        session.connection().exec_driver_sql("DROP INDEX uq_official_nik_serving")
        session.connection().exec_driver_sql("DROP INDEX uq_official_slot_serving")
    with ctx.write() as session:
        conn = session.connection()
        copies = conn.execute(
            text(
                "SELECT office_code, nik, desa_kode, rw, rt, jabatan FROM official WHERE deleted_at IS NULL AND "
                "term_status = 'menjabat' ORDER BY id LIMIT 3 OFFSET 50"
            )
        ).all()
        base = {"row_version": 1, "updated_at": utcnow(), "origin_install": None, "jenis_kelamin": "P"}
        rows = []
        for n, (office_code, nik, desa, rw, rt, jabatan) in enumerate(copies):
            same_nik = {"office_code": "33.10.26", "nik": nik, "desa_kode": "33.10.26.2001", "rw": 9, "rt": 9}
            same_slot = {
                "office_code": office_code,
                "nik": f"33100141019{90000 + n}",
                "desa_kode": desa,
                "rw": rw,
                "rt": rt,
            }
            for place in (same_nik, same_slot):
                rows.append(
                    {
                        **base,
                        **place,
                        "id": new_uuid(),
                        "nama": f"Kembar {n}",
                        "jabatan": jabatan,
                        "term_status": "menjabat",
                    }
                )
        conn.execute(insert(Official), rows)


@pytest.mark.parametrize("role", ["kecamatan", "kabupaten"])
def test_counts_agree_with_the_lists(make_ctx: Callable[..., ServiceContext], role: str) -> None:
    ctx = make_ctx(role)
    demo.populate(ctx, SYSTEM, 400, seed=11)
    _vary(ctx)
    seen: dict[str, int] = {}
    for on in DATES:
        counts = worklists.counts(ctx, today=on)
        expected = {w.key: len(worklists.rows(ctx, w.key, today=on)) for w in worklists.WORKLISTS}
        assert counts == expected, on
        for key, n in counts.items():
            seen[key] = max(seen.get(key, 0), n)
    # every list held someone on some date: the comparison says something about each
    assert all(seen[w.key] > 0 for w in worklists.WORKLISTS), seen
