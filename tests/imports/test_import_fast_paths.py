"""The quick paths of a big import give exactly what the plain paths give.

``official_is_clean`` may only say "clean" when ``check_official`` finds nothing; the import writes officials
and audit entries with one DBAPI executemany each, storing the same text a Core insert stores.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, insert, select, text

from klaten_desktop.db.models import AuditLog, Official
from klaten_desktop.domain.enums import Jabatan, Sex
from klaten_desktop.domain.import_rules import official_is_clean
from klaten_desktop.domain.official_rules import OfficialFields, check_official
from klaten_desktop.services import audit
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.imports import Outcome, apply_import, detect_mapping, plan_import, read_workbook

TODAY = dt.date(2026, 11, 24)
CLEAN = OfficialFields(
    nik="3310011205700001",
    nama="Sumarno",
    tempat_lahir="Klaten",
    tanggal_lahir=dt.date(1970, 5, 12),
    jenis_kelamin=Sex.L,
    alamat="Dukuh Sengon",
    desa_kode="33.10.01.2001",
    rw=2,
    rt=1,
    jabatan=Jabatan.ketua_rt,
    term_start=dt.date(2024, 1, 1),
    term_end=dt.date(2029, 1, 1),
    sk_nomor="141/01/2024",
    sk_tanggal=dt.date(2023, 12, 20),
    telepon="081234567890",
)


@st.composite
def niks(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(alphabet="0123456789 x.", max_size=18))
    region = draw(st.sampled_from(["331001", "331002", "331101", "340101", "990101", "000000"]))
    day = draw(st.integers(0, 75))
    month = draw(st.integers(0, 13))
    year = draw(st.integers(0, 99))
    serial = draw(st.sampled_from([0, 1, 2, 9999]))
    return f"{region}{day:02d}{month:02d}{year:02d}{serial:04d}"


dates = st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2030, 12, 31)))
small = st.one_of(st.none(), st.integers(-1, 1001))


@st.composite
def fields(draw: st.DrawFn) -> OfficialFields:
    """Mostly clean rows with one or two fields spoilt, so both answers of the quick check are exercised."""
    base = CLEAN

    def pick(clean: Any, spoilt: st.SearchStrategy[Any]) -> Any:
        return draw(spoilt) if draw(st.integers(0, 7)) == 0 else clean

    female = draw(st.booleans())
    born = draw(st.dates(dt.date(1920, 1, 1), dt.date(2015, 12, 31)))
    region = pick("331001", st.sampled_from(["331002", "331101", "340101", "990101", "000000"]))
    serial = pick("0001", st.sampled_from(["0000", "9999"]))
    nik = f"{region}{born.day + (40 if female else 0):02d}{born.month:02d}{born.year % 100:02d}{serial}"
    nik = pick(nik, niks())
    return OfficialFields(
        nik=nik,
        nama=pick(base.nama, st.sampled_from(["", "  ", "Ab", "A b c", "Ñoño", "123 Joko", "Jo", " Sri"])),
        tempat_lahir=base.tempat_lahir,
        tanggal_lahir=pick(born, dates),
        jenis_kelamin=pick(Sex.P if female else Sex.L, st.sampled_from([None, Sex.L, Sex.P])),
        alamat=base.alamat,
        desa_kode=pick(
            base.desa_kode,
            st.sampled_from([None, "", "33.10.02.2001", "33.10.01.1001", "33.11.01.2001", "33.10.01.3001", "x"]),
        ),
        rw=pick(base.rw, small),
        rt=pick(base.rt, small),
        jabatan=pick(base.jabatan, st.sampled_from([None, *Jabatan])),
        term_start=pick(base.term_start, dates),
        term_end=pick(base.term_end, dates),
        sk_nomor=base.sk_nomor,
        sk_tanggal=pick(base.sk_tanggal, dates),
        telepon=pick(
            base.telepon, st.sampled_from([None, "", " ", "+62 812 3456", "+61 812", "08ab", "12", "0274 123"])
        ),
    )


@settings(max_examples=1500, deadline=None)
@given(fields(), st.sampled_from([None, "33.10.01", "33.10.02"]))
@example(CLEAN, "33.10.01")
def test_clean_means_check_official_finds_nothing(f: OfficialFields, kecamatan: str | None) -> None:
    if official_is_clean(f, today=TODAY, kecamatan_kode=kecamatan):
        assert check_official(f, today=TODAY, kecamatan_kode=kecamatan).issues == ()


def test_a_clean_row_takes_the_quick_path() -> None:
    assert official_is_clean(CLEAN, today=TODAY, kecamatan_kode="33.10.01")
    assert not official_is_clean(CLEAN, today=TODAY, kecamatan_kode="33.10.02")


HEADER = ["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Alamat", "Desa", "RT", "RW", "Jabatan", "Nomor HP",
          "Awal Masa Jabatan", "Akhir Masa Jabatan", "Nomor SK", "Tanggal SK"]  # fmt: skip


class _Rollback(Exception):
    pass


def test_bulk_write_stores_what_a_core_insert_stores(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    path = xlsx(
        [
            HEADER,
            [make_nik(12, 5, 1970), "Sumarno", "L", dt.date(1970, 5, 12), "Dukuh Sengon", "Sengon", 1, 2,
             "Ketua RT", "081234567890", dt.date(2024, 1, 1), dt.date(2029, 1, 1), "141/01/2024",
             dt.date(2023, 12, 20)],
            [make_nik(17, 8, 1968, female=True), "Sri Wahyuni", None, None, None, "Sengon", None, 2, "Ketua RW",
             None, None, None, None, None],
        ]
    )  # fmt: skip
    table = read_workbook(path)
    plan = plan_import(ctx, table, detect_mapping(table))
    assert [r.outcome for r in plan.rows] == [Outcome.created, Outcome.created]
    result = apply_import(ctx, SYSTEM, plan)
    official = cast(Table, Official.__table__)
    names = [c.name for c in official.columns]
    with pytest.raises(_Rollback), ctx.write() as session:
        connection = session.connection()
        for official_id in result.created_ids:
            typed = dict(connection.execute(select(official).where(official.c.id == official_id)).one()._mapping)
            copy = {**typed, "id": "copy-" + official_id[5:], "term_status": "berakhir"}
            connection.execute(insert(official), [copy])
            raw = {}
            for row_id in (official_id, copy["id"]):
                cells = connection.exec_driver_sql(
                    f"SELECT {', '.join(f'{n}, typeof({n})' for n in names)} FROM official WHERE id = ?", (row_id,)
                ).one()
                raw[row_id] = {n: (cells[2 * i], cells[2 * i + 1]) for i, n in enumerate(names)}
            for n in names:
                if n not in ("id", "term_status"):
                    assert raw[official_id][n] == raw[copy["id"]][n], n
        raise _Rollback
    with ctx.read() as session:
        entries = session.execute(
            select(AuditLog.entity_id, AuditLog.new_values, AuditLog.at).where(AuditLog.action == "create")
        ).all()
        stored_at = session.execute(text("SELECT at, typeof(at) FROM audit_log WHERE action = 'create'")).all()
    by_id = {e.entity_id: e for e in entries}
    for official_id, row in zip(result.created_ids, plan.rows, strict=True):
        assert row.values is not None
        assert by_id[official_id].new_values == audit.to_json(row.values)
        assert json.loads(by_id[official_id].new_values)["nik"] == row.nik
        assert isinstance(by_id[official_id].at, dt.datetime)
    for at, kind in stored_at:
        assert kind == "text"
        assert dt.datetime.strptime(at, "%Y-%m-%d %H:%M:%S.%f")
