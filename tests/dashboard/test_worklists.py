"""Worklists and today's notices on the hand-made database (see conftest.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

from klaten_desktop.db.models import Official, new_uuid, utcnow
from klaten_desktop.services import worklists
from klaten_desktop.services.context import ServiceContext


def names(ctx: ServiceContext, key: str, ids: dict[str, str]) -> set[str]:
    by_id = {v: k for k, v in ids.items()}
    return {by_id[r.official_id] for r in worklists.rows(ctx, key)}


def test_each_worklist_on_24_november(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    assert names(ctx, "belum_terdaftar", seeded) == {"A", "H", "J"}  # H: enrollment ended, still serving
    assert names(ctx, "kpj_terlambat", seeded) == {"B"}  # I was submitted only 14 days ago
    assert names(ctx, "iuran_bulan_ini", seeded) == {"D", "E", "G"}
    assert names(ctx, "akan_nonaktif", seeded) == {"G"}  # paid through September: nonaktif from 16 December
    assert names(ctx, "masa_jabatan", seeded) == {"J"}
    assert names(ctx, "belum_sosialisasi", seeded) == {"A", "B", "D", "E", "G", "H", "I", "J"}  # C attended
    assert names(ctx, "nik_ganda", seeded) == set()
    assert names(ctx, "jabatan_ganda", seeded) == set()
    counts = worklists.counts(ctx)
    assert counts == {
        "belum_terdaftar": 3,
        "kpj_terlambat": 1,
        "iuran_bulan_ini": 3,
        "akan_nonaktif": 1,
        "masa_jabatan": 1,
        "belum_sosialisasi": 8,
        "nik_ganda": 0,
        "jabatan_ganda": 0,
    }


def test_notes_name_the_dates(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    [b] = worklists.rows(ctx, "kpj_terlambat")
    assert b.keterangan == "Diajukan 1 Oktober 2026, 54 hari lalu"
    [g] = worklists.rows(ctx, "akan_nonaktif")
    assert g.keterangan == "Nonaktif mulai 16 Desember 2026; dibayar sampai September 2026"
    assert g.desa_nama == "Cucukan" and g.rt_rw == "001/002" and g.jabatan == "Ketua RT"
    d = next(r for r in worklists.rows(ctx, "iuran_bulan_ini") if r.official_id == seeded["D"])
    assert d.keterangan == "Dibayar sampai Oktober 2026; 1 bulan belum dibayar"


def test_unpaid_this_month_waits_for_the_16th(seeded_on) -> None:  # type: ignore[no-untyped-def]
    on_15 = seeded_on(dt.date(2026, 11, 15))
    assert worklists.rows(on_15, "iuran_bulan_ini") == []
    on_16 = seeded_on(dt.date(2026, 11, 16))
    assert len(worklists.rows(on_16, "iuran_bulan_ini")) == 3


def test_lapsing_window(seeded_on) -> None:  # type: ignore[no-untyped-def]
    # on 15 Nov, E (paid through August) lapses the next day, G (September) on 16 Dec: beyond 30 days
    c = seeded_on(dt.date(2026, 11, 15))
    rows = worklists.rows(c, "akan_nonaktif")
    assert [r.keterangan for r in rows] == ["Nonaktif mulai 16 November 2026; dibayar sampai Agustus 2026"]


def test_notices_today(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    notices = worklists.notices_today(ctx, export_message="Paket terakhir dikirim 40 hari lalu.")
    texts = [n.text for n in notices]
    assert texts == [
        "1 peserta akan nonaktif dalam 30 hari bila iuran tidak dibayar.",
        "3 peserta belum membayar iuran bulan ini (batas tanggal 15).",
        "1 pengajuan lebih dari 30 hari belum mendapat nomor KPJ.",
        "1 pengurus masa jabatannya berakhir dalam 60 hari.",
        "Paket terakhir dikirim 40 hari lalu.",
    ]


def test_nothing_to_notice_on_an_empty_registry(ctx: ServiceContext) -> None:
    assert worklists.notices_today(ctx) == []


def test_conflicts_brought_in_by_a_merge(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    """The unique indexes forbid these locally; a merged database (sync) may still hold them."""
    with ctx.write() as session:  # on either engine
        session.connection().exec_driver_sql("DROP INDEX uq_official_nik_serving")
        session.connection().exec_driver_sql("DROP INDEX uq_official_slot_serving")
    with ctx.write() as session:
        base = {
            "row_version": 1,
            "updated_at": utcnow(),
            "origin_install": None,
            "jenis_kelamin": "P",
            "term_status": "menjabat",
        }
        session.connection().execute(
            insert(Official),
            [
                # same NIK as A, another desa
                {**base, "id": new_uuid(), "office_code": "33.10.01", "nik": "3310014101900001", "nama": "Kembar NIK",
                 "desa_kode": "33.10.01.2005", "rt": 9, "rw": 9, "jabatan": "ketua_rt"},
                # a second holder of C's slot (Sengon RT 003/001)
                {**base, "id": new_uuid(), "office_code": "33.10.01", "nik": "3310014101900099",
                 "nama": "Kembar Jabatan", "desa_kode": "33.10.01.2001", "rt": 3, "rw": 1, "jabatan": "ketua_rt"},
            ],
        )  # fmt: skip
    nik = worklists.rows(ctx, "nik_ganda")
    assert sorted(r.nama for r in nik) == ["Kembar NIK", "Pengurus A"]
    slot = worklists.rows(ctx, "jabatan_ganda")
    assert sorted(r.nama for r in slot) == ["Kembar Jabatan", "Pengurus C"]
    assert any("bertentangan" in n.text for n in worklists.notices_today(ctx))
