"""The registry service on a real database: validation, duplicates, slots, replacement, history, audit."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from klaten_desktop.domain.enums import CoverageStatus, EndReason, Jabatan, Sex
from klaten_desktop.domain.official_rules import OfficialFields
from klaten_desktop.services import accounts, audit, enrollment, officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import StaleRecordError, UserError, ValidationFailed

# synthetic NIKs: Prambanan (331001), born 12-05-1970 (man) / 52-08-1975 = 12 Aug 1975 (woman)
NIK_MAN = "3310011205700001"
NIK_WOMAN = "3310015208750002"
NIK_OTHER = "3310012309800003"


def fields(**overrides: object) -> OfficialFields:
    base = OfficialFields(
        nik=NIK_MAN,
        nama="Sumarno",
        tempat_lahir="Klaten",
        tanggal_lahir=dt.date(1970, 5, 12),
        jenis_kelamin=Sex.L,
        alamat="Dukuh Sengon RT 003 RW 002",
        desa_kode="33.10.01.2001",
        rw=2,
        rt=3,
        jabatan=Jabatan.ketua_rt,
        term_start=dt.date(2024, 1, 1),
        term_end=dt.date(2028, 12, 31),
        sk_nomor="400.10.3.1/012/2024",
        sk_tanggal=dt.date(2023, 12, 20),
        telepon="+62 812-3456-7890",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def test_register_normalises_and_returns_detail(ctx: ServiceContext) -> None:
    detail = officials.register(ctx, SYSTEM, fields(nama="  sumarno   hadi "))
    assert detail.nama == "Sumarno Hadi"
    assert detail.telepon == "081234567890"
    assert detail.office_code == "33.10.01"
    assert detail.status is CoverageStatus.belum_terdaftar
    assert detail.desa_nama == "Sengon"
    entries = audit.recent(ctx, entity_id=detail.id)
    assert [e.action for e in entries] == ["create"]
    assert entries[0].actor == "sistem"


def test_nik_errors_block_saving(ctx: ServiceContext) -> None:
    with pytest.raises(ValidationFailed) as info:
        officials.register(ctx, SYSTEM, fields(nik="331001120570000"))
    assert any(i.field == "nik" for i in info.value.issues)
    with pytest.raises(ValidationFailed):
        officials.register(ctx, SYSTEM, fields(nik="3310011205700000"))  # serial 0000
    assert officials.list_rows(ctx) == []


def test_nik_warnings_allow_saving(ctx: ServiceContext) -> None:
    # a NIK from Sleman (3404...) whose date differs from the recorded birth date: warnings only
    f = fields(nik="3404011205700001", tanggal_lahir=dt.date(1970, 5, 13))
    result = officials.validate(ctx, f)
    assert result.ok
    assert {"nik_region", "nik_birth_date_mismatch"} <= set(result.codes)
    assert officials.register(ctx, SYSTEM, f).nik == "3404011205700001"


def test_duplicate_nik_says_who_and_where(ctx: ServiceContext) -> None:
    officials.register(ctx, SYSTEM, fields())
    result = officials.validate(ctx, fields(rt=4))
    dup = [i for i in result.errors if i.code == "nik_duplicate"]
    assert dup and "Sumarno" in dup[0].message and "003/002" in dup[0].message and "Sengon" in dup[0].message


def test_slot_taken_points_to_replacement(ctx: ServiceContext) -> None:
    officials.register(ctx, SYSTEM, fields())
    with pytest.raises(ValidationFailed, match="Ganti pengurus"):
        officials.register(
            ctx,
            SYSTEM,
            fields(nik=NIK_WOMAN, nama="Sri Wahyuni", jenis_kelamin=Sex.P, tanggal_lahir=dt.date(1975, 8, 12)),
        )


def test_database_constraint_backs_the_slot_rule(ctx: ServiceContext) -> None:
    officials.register(ctx, SYSTEM, fields())
    # "UNIQUE constraint failed" (SQLite), "violates unique constraint" (PostgreSQL)
    with pytest.raises(IntegrityError, match=r"(?i)unique constraint"), ctx.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO official (id, row_version, updated_at, office_code, nik, nama, jenis_kelamin, "
                "desa_kode, rw, rt, jabatan, term_status) VALUES ('x', 1, '2026-01-01', '33.10.01', "
                f"'{NIK_OTHER}', 'Lain', 'L', '33.10.01.2001', 2, 3, 'ketua_rt', 'menjabat')"
            )
        )


def test_desa_outside_the_kecamatan_is_an_error(ctx: ServiceContext) -> None:
    result = officials.validate(ctx, fields(desa_kode="33.10.03.2001"))  # a desa of Wedi
    assert "desa_other_kecamatan" in result.codes


def test_replace_keeps_history_and_ends_coverage(ctx: ServiceContext) -> None:
    old = officials.register(ctx, SYSTEM, fields())
    enrollment.register(ctx, SYSTEM, old.id, kpj="12345678901", start=dt.date(2026, 1, 5))
    new = officials.replace(
        ctx,
        SYSTEM,
        old.id,
        on=dt.date(2026, 11, 1),
        new=fields(
            nik=NIK_WOMAN,
            nama="Sri Wahyuni",
            jenis_kelamin=Sex.P,
            tanggal_lahir=dt.date(1975, 8, 12),
            desa_kode=None,
            rt=None,
            rw=None,
            jabatan=None,
        ),
    )
    assert (new.desa_kode, new.rw, new.rt, new.jabatan) == ("33.10.01.2001", 2, 3, Jabatan.ketua_rt)
    assert new.term_start == dt.date(2026, 11, 1)
    before = officials.get(ctx, old.id)
    assert before.term_status == "berakhir" and before.ended_on == dt.date(2026, 11, 1)
    assert before.replaced_by_id == new.id
    assert before.status is CoverageStatus.berakhir
    assert before.enrollment is not None and before.enrollment.ended_on == dt.date(2026, 11, 1)
    assert before.nama == "Sumarno" and before.nik == NIK_MAN  # nothing overwritten
    history = officials.slot_history(ctx, desa_kode="33.10.01.2001", rw=2, rt=3, jabatan=Jabatan.ketua_rt)
    assert [h.nama for h in history] == ["Sri Wahyuni", "Sumarno"]
    # the old holder's NIK may hold another post again later: uniqueness is among serving officials only
    again = officials.register(ctx, SYSTEM, fields(rt=5))
    assert again.nik == NIK_MAN


def test_update_detects_a_stale_record(ctx: ServiceContext) -> None:
    detail = officials.register(ctx, SYSTEM, fields())
    updated = officials.update_official(ctx, SYSTEM, detail.id, fields(alamat="Jl. Baru 1"), expected_version=1)
    assert updated.alamat == "Jl. Baru 1" and updated.row_version == 2
    with pytest.raises(StaleRecordError) as refused:
        officials.update_official(ctx, SYSTEM, detail.id, fields(alamat="Jl. Lama"), expected_version=1)
    assert re.fullmatch(
        r"Data ini diubah oleh Sistem pada 24 November 2026 09\.0\d WIB; muat ulang lalu ulangi\.",
        refused.value.message,
    )
    entries = audit.recent(ctx, entity_id=detail.id)
    assert entries[0].action == "update" and "Jl. Baru 1" in (entries[0].new_values or "")
    assert officials.get(ctx, detail.id).alamat == "Jl. Baru 1"  # the late save wrote nothing


def test_a_stale_save_names_the_account_that_saved_first(ctx: ServiceContext) -> None:
    """Two staff with the same official open: the second save names the first one (display name, office time)."""
    sari = accounts.create_first_admin(ctx, "sari", "Sari Wulandari", "kata-sandi-panjang-1")
    detail = officials.register(ctx, SYSTEM, fields())
    officials.update_official(ctx, sari, detail.id, fields(telepon="085712345678"), expected_version=1)
    with pytest.raises(StaleRecordError) as refused:
        officials.update_official(ctx, SYSTEM, detail.id, fields(alamat="Jl. Lain"), expected_version=1)
    assert refused.value.message.startswith("Data ini diubah oleh Sari Wulandari pada 24 November 2026 09.0")
    # a row changed by a sync package (no audit entry of its own, a later stamp): the editor is not known here
    with ctx.write() as session:
        session.execute(
            text("UPDATE official SET row_version = 3, updated_at = :at WHERE id = :id"),
            {"at": dt.datetime(2026, 11, 24, 6, 30), "id": detail.id},
        )
    with pytest.raises(StaleRecordError) as refused:
        officials.update_official(ctx, sari, detail.id, fields(alamat="Jl. Lain"), expected_version=2)
    assert refused.value.message == (
        "Data ini diubah oleh pengguna lain pada 24 November 2026 13.30 WIB; muat ulang lalu ulangi."
    )


def test_end_term_and_delete(ctx: ServiceContext) -> None:
    detail = officials.register(ctx, SYSTEM, fields())
    ended = officials.end_term(ctx, SYSTEM, detail.id, on=dt.date(2026, 10, 1), reason=EndReason.meninggal)
    assert ended.status is CoverageStatus.berakhir and ended.end_reason == "meninggal"
    with pytest.raises(UserError):
        officials.end_term(ctx, SYSTEM, detail.id, on=dt.date(2026, 10, 2), reason=EndReason.lainnya)
    officials.delete(ctx, SYSTEM, detail.id)
    assert officials.list_rows(ctx) == []
    with pytest.raises(UserError):
        officials.get(ctx, detail.id)


def test_find_by_nik_lists_serving_first(ctx: ServiceContext) -> None:
    old = officials.register(ctx, SYSTEM, fields())
    officials.end_term(ctx, SYSTEM, old.id, on=dt.date(2026, 1, 1), reason=EndReason.masa_jabatan_habis)
    officials.register(ctx, SYSTEM, fields(rt=7))
    found = officials.find_by_nik(ctx, "3310 0112 0570 0001")
    assert [r.term_status for r in found] == ["menjabat", "berakhir"]


def test_detail_and_list_show_the_same_enrollment_when_two_ended_on_the_same_day(ctx: ServiceContext) -> None:
    """Issue #16: the pane and the list once chose differently between two enrollments ended the same day."""
    official = officials.register(ctx, SYSTEM, fields())
    enrollment.register(ctx, SYSTEM, official.id, kpj="11111111111", start=dt.date(2026, 3, 1))
    enrollment.end(ctx, SYSTEM, official.id, on=dt.date(2026, 6, 30), reason="salah catat")
    enrollment.register(ctx, SYSTEM, official.id, kpj="22222222222", start=dt.date(2026, 6, 1))
    enrollment.end(ctx, SYSTEM, official.id, on=dt.date(2026, 6, 30), reason="berhenti")
    detail = officials.get(ctx, official.id, on=dt.date(2026, 6, 20))
    (row,) = officials.list_rows(ctx, on=dt.date(2026, 6, 20), official_ids=[official.id])
    assert detail.enrollment is not None
    # the one recorded last decides (ties on the end date: the larger, time-ordered id)
    assert detail.enrollment.nomor_kpj == row.nomor_kpj == "22222222222"
    assert detail.status.value == row.status == "menunggak"  # June unpaid (the first one: nonaktif)


def test_nik_kecamatan_missing_from_the_region_table_warns_in_the_form_and_the_check(ctx: ServiceContext) -> None:
    from klaten_desktop.services import integrity

    odd = fields(nik="3310271205700001")  # Klaten has kecamatan 01 to 26
    (warning,) = officials.validate(ctx, odd).warnings
    assert warning.code == "nik_kecamatan" and "33.10.27" in warning.message
    assert officials.validate(ctx, fields()).issues == ()
    officials.register(ctx, SYSTEM, odd)  # a warning, not an error
    finding = {f.code: f for f in integrity.run(ctx).findings}["nik_kecamatan"]
    assert finding.count == 1 and finding.severity == "warning"
