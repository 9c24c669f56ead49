"""The quick paths of a big import give exactly what the plain paths give.

``official_is_clean`` may only say "clean" when ``check_official`` finds nothing; the import writes officials
and audit entries with one DBAPI executemany each, storing the same text a Core insert stores.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, insert, select, text

from klaten_desktop.db.dialects import driver_sql, stored_datetime_text
from klaten_desktop.db.models import AuditLog, Official
from klaten_desktop.domain.enums import Jabatan, Sex
from klaten_desktop.domain.nik import KnownKecamatan, NikError, decode_nik, mask_nik_display, nik_birth_and_sex
from klaten_desktop.domain.official_rules import OfficialFields, check_official
from klaten_desktop.services import audit
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.imports import (
    ColumnMapping,
    Outcome,
    PlannedRow,
    apply_import,
    detect_mapping,
    plan_import,
    read_workbook,
)
from klaten_desktop.services.imports import apply as apply_module
from klaten_desktop.services.imports import plan as plan_module
from klaten_desktop.services.imports import rows as rows_module
from klaten_desktop.services.imports.bulk import gc_paused
from klaten_desktop.services.imports.quick_check import official_is_clean
from klaten_desktop.services.imports.rows import DesaDirectory, ParsedRow, RowParser

TODAY = dt.date(2026, 11, 24)
#: Klaten's 26 kecamatan, as the region table holds them (checked against it below)
KLATEN = KnownKecamatan.of(f"33.10.{n:02d}" for n in range(1, 27))
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
    region = draw(st.sampled_from(["331001", "331002", "331101", "340101", "990101", "000000", "331027", "331000"]))
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
    region = pick("331001", st.sampled_from(["331002", "331101", "340101", "990101", "000000", "331027", "331000"]))
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
    if official_is_clean(f, today=TODAY, kecamatan_kode=kecamatan, known_kecamatan=KLATEN):
        assert check_official(f, today=TODAY, kecamatan_kode=kecamatan, known_kecamatan=KLATEN).issues == ()


def test_a_clean_row_takes_the_quick_path(klaten_kecamatan: KnownKecamatan) -> None:
    assert klaten_kecamatan == KLATEN
    assert official_is_clean(CLEAN, today=TODAY, kecamatan_kode="33.10.01", known_kecamatan=KLATEN)
    assert not official_is_clean(CLEAN, today=TODAY, kecamatan_kode="33.10.02", known_kecamatan=KLATEN)
    unknown = dataclasses.replace(CLEAN, nik="3310" + "27" + CLEAN.nik[6:])
    assert not official_is_clean(unknown, today=TODAY, kecamatan_kode=None, known_kecamatan=KLATEN)


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
    # how each value is stored, beside the value: SQLite's storage class (a date as text, not as a number), the
    # server's text of the value (a column's type is fixed there; its text shows a lost fraction of a second)
    stored = "CAST({} AS TEXT)" if ctx.on_server else "typeof({})"
    with pytest.raises(_Rollback), ctx.write() as session:
        connection = session.connection()
        for official_id in result.created_ids:
            typed = dict(connection.execute(select(official).where(official.c.id == official_id)).one()._mapping)
            copy = {**typed, "id": "copy-" + official_id[5:], "term_status": "berakhir"}
            connection.execute(insert(official), [copy])
            raw = {}
            for row_id in (official_id, copy["id"]):
                columns = ", ".join(f"{n}, {stored.format(n)}" for n in names)
                cells = connection.exec_driver_sql(
                    driver_sql(f"SELECT {columns} FROM official WHERE id = ?", connection), (row_id,)
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
        at_text = session.execute(
            select(AuditLog.entity_id, stored_datetime_text(AuditLog.at)).where(AuditLog.action == "create")
        ).all()
        kinds = (
            set(session.scalars(text("SELECT DISTINCT typeof(at) FROM audit_log WHERE action = 'create'")))
            if not ctx.on_server
            else {"text"}  # a timestamp column on the server: the text form below is the check there
        )
    by_id = {e.entity_id: e for e in entries}
    for official_id, row in zip(result.created_ids, plan.rows, strict=True):
        assert row.values is not None
        assert by_id[official_id].new_values == audit.to_json(row.values)
        assert json.loads(by_id[official_id].new_values)["nik"] == mask_nik_display(row.nik)
        assert row.nik not in by_id[official_id].new_values
        assert isinstance(by_id[official_id].at, dt.datetime)
    assert kinds == {"text"}
    for entity_id, at in at_text:  # SQLAlchemy's own text of a timestamp, to the microsecond
        assert dt.datetime.strptime(at, "%Y-%m-%d %H:%M:%S.%f") == by_id[entity_id].at


@settings(max_examples=500, deadline=None)
@given(niks(), st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)))
def test_nik_birth_and_sex_is_what_decode_nik_gives(nik: str, today: dt.date) -> None:
    try:
        info = decode_nik(nik, today=today)
    except NikError:
        assert nik_birth_and_sex(nik, today=today) is None
    else:
        assert nik_birth_and_sex(nik, today=today) == (info.birth_date, info.sex)


def test_quick_row_constructors_make_the_same_frozen_rows() -> None:
    planned = PlannedRow(3, 4, Outcome.updated, "3310011205700001", "Sumarno", "33.10.01.2001", (), ("awas",),
                         official_id="x", row_version=2, values={"nama": "Sumarno"},
                         changes=(("nama", "A", "B"),))  # fmt: skip
    quick = plan_module._planned(3, 4, Outcome.updated, "3310011205700001", "Sumarno", "33.10.01.2001", (),
                                 ("awas",), official_id="x", row_version=2, values={"nama": "Sumarno"},
                                 changes=(("nama", "A", "B"),))  # fmt: skip
    assert quick == planned and repr(quick) == repr(planned) and hash(quick.errors) == hash(planned.errors)
    parsed = ParsedRow(1, 2, {"nik": "3310011205700001"}, ("salah",), ())
    quick_parsed = rows_module._new_parsed_row(1, 2, {"nik": "3310011205700001"}, ("salah",), ())
    assert quick_parsed == parsed and repr(quick_parsed) == repr(parsed) and quick_parsed.nik == parsed.nik
    for row, field in ((quick, "nik"), (quick_parsed, "index")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(row, field, None)


# cells that are equal in Python but may read differently, and values that repeat down a column
_TRICKY_CELLS = [1, 1.0, True, False, 0, 0.0, -0.0, 2.0, "1", " 1", "2", "", "  ", None, float("nan"),
                 dt.date(1970, 5, 12), dt.datetime(1970, 5, 12, 0, 0), dt.datetime(1970, 5, 12, 13, 5),
                 "12-05-1970", "Ketua RT", "ketua rt", "L", "p", "081234567890", "81234567890", "+62 812 3456 7890",
                 "Sengon", "33.10.01.2001", "3/2", "RT 03 / RW 02", "x", "Prambanan"]  # fmt: skip
_ROW_FIELDS = ("nik", "nama", "ttl", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "desa", "kode_desa",
               "kecamatan", "rt_rw", "rt", "rw", "jabatan", "telepon", "term_start", "sk_tanggal")  # fmt: skip
_ROW_MAPPING = ColumnMapping(0, 1, _ROW_FIELDS, _ROW_FIELDS)
_DIRECTORY = DesaDirectory(
    desa_names={"33.10.01.2001": "Sengon"},
    kecamatan_names={"33.10.01": "Prambanan"},
    by_name={("33.10.01", "sengon"): ("33.10.01.2001",)},
    kecamatan_by_name={"prambanan": "33.10.01"},
    office_kecamatan="33.10.01",
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_TRICKY_CELLS), min_size=0, max_size=len(_ROW_FIELDS)), max_size=12))
def test_a_parser_that_remembers_values_reads_each_row_as_a_fresh_one(rows: list[list[object]]) -> None:
    shared = RowParser(_ROW_MAPPING, _DIRECTORY, desa_kode=None, today=TODAY)
    for index, cells in enumerate(rows):
        fresh = RowParser(_ROW_MAPPING, _DIRECTORY, desa_kode=None, today=TODAY).parse(cells, index)
        again = shared.parse(cells, index)
        assert again == fresh
        assert {k: type(v) for k, v in again.values.items()} == {k: type(v) for k, v in fresh.values.items()}


_AWKWARD = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ['"', "\\", "\x00", "\x1f", "\x7f", "\u2028", "é ü", "😀", "\n\t\r\b\f", "%s %d %%", "'", "</script>"]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_AWKWARD, _AWKWARD, st.one_of(st.none(), _AWKWARD)), min_size=1, max_size=5))
def test_audit_entries_of_new_officials_hold_what_audit_to_json_writes(
    ctx: ServiceContext, texts: list[tuple[str, str, str | None]]
) -> None:
    if ctx.on_server:  # a server's text cannot hold NUL; an import refuses control characters before it writes
        texts = [(a.replace("\x00", ""), b.replace("\x00", ""), c and c.replace("\x00", "")) for a, b, c in texts]
    rows = [
        plan_module._planned(i, i + 2, Outcome.created, f"33100112057{i:05d}", nama, "33.10.01.2001", (), (),
                             values={**dataclasses.asdict(CLEAN), "nik": f"33100112057{i:05d}", "nama": nama,
                                     "alamat": alamat, "sk_nomor": sk, "jenis_kelamin": "L", "jabatan": "lainnya",
                                     "rt": i + 1, "rw": None, "term_end": None})
        for i, (nama, alamat, sk) in enumerate(texts)
    ]  # fmt: skip
    with pytest.raises(_Rollback), ctx.write() as session:
        ids = apply_module._insert_rows(session, SYSTEM, rows, None)
        stored = dict(
            session.execute(select(AuditLog.entity_id, AuditLog.new_values).where(AuditLog.action == "create")).all()
        )
        assert [stored[i] for i in ids] == [audit.to_json(r.values) for r in rows]
        raise _Rollback


def test_the_collector_is_paused_only_during_a_bulk_step() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner step leaves it to the outer one
        raise ValueError
    assert gc.isenabled()


def test_serving_state_reads_what_the_typed_select_reads(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    """The plain SELECT behind ``ServingState.load`` gives the values an ORM-typed select gives."""
    path = xlsx(
        [
            HEADER,
            [make_nik(12, 5, 1970), "Sumarno", "L", dt.date(1970, 5, 12), "Dukuh Sengon", "Sengon", 1, 2,
             "Ketua RT", "081234567890", dt.date(2024, 1, 1), dt.date(2029, 1, 1), "141/01/2024",
             dt.date(2023, 12, 20)],
            [make_nik(17, 8, 1968, female=True), "Sri Wahyuni", None, None, None, "Sengon", None, 2, "Ketua RW",
             None, dt.date(2024, 1, 1), None, None, None],
            [make_nik(1, 2, 1975), "Warga Lain", "L", None, None, "Taji", None, None, "Anggota", None, None, None,
             None, None],
        ]
    )  # fmt: skip
    table = read_workbook(path)
    assert apply_import(ctx, SYSTEM, plan_import(ctx, table, detect_mapping(table))).created == 3
    columns = [getattr(Official, c) for c in plan_module.VALUE_COLUMNS]
    with ctx.read() as session:
        state = plan_module.ServingState.load(session)
        typed = session.execute(select(Official.id, Official.row_version, *columns)).all()
    assert len(state.by_nik) == 3 and len(state.slots) == 2
    for row in typed:
        values = dict(zip(plan_module.VALUE_COLUMNS, row[2:], strict=True))
        serving = state.by_nik[values["nik"]]
        assert (serving.id, serving.row_version) == (row.id, row.row_version)
        assert serving.values == values
        assert [type(v) for v in serving.values.values()] == [type(v) for v in values.values()]
    assert isinstance(state.by_nik[make_nik(12, 5, 1970)].values["sk_tanggal"], dt.date)
