"""Events, participants and attendance on a real database."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from klaten_desktop.db.models import AuditLog
from klaten_desktop.services import events, officials
from klaten_desktop.services.context import SYSTEM
from klaten_desktop.services.errors import NotFoundError, StaleRecordError, UserError
from tests.conftest import SENGON
from tests.events.conftest import EVENT_TITLE, EventSetup


def test_create_validates_and_lists_newest_first(ev: EventSetup) -> None:
    ctx = ev.ctx
    with pytest.raises(UserError, match="Judul sosialisasi wajib"):
        events.create(ctx, SYSTEM, title="  ", starts_at=dt.datetime(2026, 12, 1, 9), place="Balai Desa")
    with pytest.raises(UserError, match="Waktu selesai harus sesudah"):
        events.create(
            ctx, SYSTEM, title="X", starts_at=dt.datetime(2026, 12, 1, 9), ends_at=dt.datetime(2026, 12, 1, 8),
            place="Balai Desa",
        )  # fmt: skip
    later = events.create(ctx, SYSTEM, title="Sosialisasi kedua", starts_at=dt.datetime(2027, 1, 5), place="Balai")
    rows = events.list_events(ctx)
    assert [r.title for r in rows] == ["Sosialisasi kedua", EVENT_TITLE]
    assert later.time_label == "" and later.date_label == "5 Januari 2027"
    first = rows[1]
    assert first.time_label == "09.00–12.00 WIB" and first.date_label == "9 Desember 2026"
    assert first.speakers == (events.Speaker("Contoh Narasumber", "BPJS Ketenagakerjaan Cabang Klaten"),)
    assert [r.title for r in events.list_events(ctx, search="kedua")] == ["Sosialisasi kedua"]


def test_update_is_audited_and_delete_hides_the_event(ev: EventSetup) -> None:
    ctx = ev.ctx
    updated = events.update_event(
        ctx, SYSTEM, ev.event.id, place="Aula Kecamatan", speakers=[("Narasumber Baru", "Camat")]
    )
    assert updated.place == "Aula Kecamatan" and updated.row_version == 2
    assert [s.label for s in updated.speakers] == ["Narasumber Baru (Camat)"]
    with ctx.read() as session:
        old, new = session.execute(
            select(AuditLog.old_values, AuditLog.new_values).where(
                AuditLog.entity_id == ev.event.id, AuditLog.action == "update"
            )
        ).one()
    assert json.loads(old)["place"] == "Pendopo Kecamatan Prambanan" and json.loads(new)["place"] == "Aula Kecamatan"
    events.delete_event(ctx, SYSTEM, ev.event.id)
    assert events.list_events(ctx) == []
    with pytest.raises(NotFoundError):
        events.get(ctx, ev.event.id)


def test_a_save_from_an_outdated_form_is_refused_with_who_and_when(ev: EventSetup) -> None:
    """The form passes the version it loaded: a save over someone else's names them and writes nothing."""
    ctx = ev.ctx
    loaded = events.get(ctx, ev.event.id)
    events.update_event(ctx, SYSTEM, ev.event.id, expected_version=loaded.row_version, place="Aula Kecamatan")
    with pytest.raises(StaleRecordError) as refused:
        events.update_event(ctx, SYSTEM, ev.event.id, expected_version=loaded.row_version, place="Balai Desa")
    assert refused.value.message.startswith("Data ini diubah oleh Sistem pada 24 November 2026 09.")
    assert events.get(ctx, ev.event.id).place == "Aula Kecamatan"


def test_participants_from_registry_by_desa_and_jabatan(ev: EventSetup) -> None:
    ctx = ev.ctx
    serving_rt = [
        r for r in officials.list_rows(ctx, desa_kode=SENGON) if r.jabatan == "ketua_rt" and r.term_status == "menjabat"
    ]
    assert serving_rt, "the demo data should hold Ketua RT in Sengon"
    added = events.add_from_registry(ctx, SYSTEM, ev.event.id, desa_kode=SENGON, jabatan=["ketua_rt"])
    assert added == len(serving_rt)
    # the same filter again adds nobody
    assert events.add_from_registry(ctx, SYSTEM, ev.event.id, desa_kode=SENGON, jabatan=["ketua_rt"]) == 0
    rows = events.participants(ctx, ev.event.id)
    assert {p.official_id for p in rows} == {r.id for r in serving_rt}
    assert all(p.jabatan.startswith("Ketua RT ") and p.desa_nama == "Sengon" for p in rows)
    sample = next(p for p in rows)
    official = next(r for r in serving_rt if r.id == sample.official_id)
    assert sample.jabatan == f"Ketua RT {official.rt:03d}/{official.rw:03d}"
    assert sample.peran == f"Ketua RT {official.rt:03d} / RW {official.rw:03d}, Desa Sengon, Kecamatan Prambanan"
    # the picker hides who is already invited
    left = events.candidates(ctx, desa_kode=SENGON, exclude_event=ev.event.id)
    assert left and not {c.id for c in left} & {r.id for r in serving_rt}
    with pytest.raises(UserError, match="Tidak ada pengurus"):
        events.add_from_registry(ctx, SYSTEM, ev.event.id, desa_kode=SENGON, search="zzzz tidak ada")


def test_candidates_search_by_name_and_rw(ev: EventSetup) -> None:
    ctx = ev.ctx
    some = officials.list_rows(ctx, desa_kode=SENGON)[0]
    by_name = events.candidates(ctx, search=some.nama.split()[0].lower())
    assert some.id in {c.id for c in by_name}
    by_nik = events.candidates(ctx, search=some.nik[-8:])
    assert [c.id for c in by_nik] == [some.id]
    if some.rw is not None:
        in_rw = events.candidates(ctx, desa_kode=SENGON, rw=some.rw)
        assert in_rw and all(c.rw == some.rw and c.desa_kode == SENGON for c in in_rw)


def test_guests_attendance_and_history(ev: EventSetup) -> None:
    ctx = ev.ctx
    events.add_from_registry(ctx, SYSTEM, ev.event.id, desa_kode=SENGON)
    guest = events.add_guest(ctx, SYSTEM, ev.event.id, nama="  Contoh   Tamu ", peran="Kepala Desa", asal="Desa Sengon")
    assert guest.is_guest and guest.nama == "Contoh Tamu" and guest.jabatan == "Kepala Desa"
    rows = events.participants(ctx, ev.event.id)
    assert rows[-1].id == guest.id  # guests come last on the sheet
    first, second = rows[0], rows[1]
    assert events.set_attendance(ctx, SYSTEM, ev.event.id, [first.id, guest.id], True) == 2
    assert events.set_attendance(ctx, SYSTEM, ev.event.id, [first.id], True) == 0
    assert events.get(ctx, ev.event.id).attended == 2
    history = events.history(ctx, first.official_id or "")
    assert [(h.title, h.attended, h.date_label) for h in history] == [(EVENT_TITLE, True, "9 Desember 2026")]
    assert events.history(ctx, second.official_id or "")[0].attended is False
    never = events.never_attended_ids(ctx)
    assert first.official_id not in never and second.official_id in never
    serving = {r.id for r in officials.list_rows(ctx) if r.term_status == "menjabat"}
    assert never == serving - {first.official_id}
    removed = events.remove_participants(ctx, SYSTEM, ev.event.id, [second.id])
    assert removed == 1 and second.id not in {p.id for p in events.participants(ctx, ev.event.id)}


def test_attend_by_nik_adds_walk_ins_and_reports_unknown(ev: EventSetup) -> None:
    ctx = ev.ctx
    events.add_from_registry(ctx, SYSTEM, ev.event.id, desa_kode=SENGON, jabatan=["ketua_rw"])
    listed = events.participants(ctx, ev.event.id)[0]
    walk_in = next(r for r in officials.list_rows(ctx) if r.desa_kode != SENGON and r.term_status == "menjabat")
    result = events.attend_by_nik(ctx, SYSTEM, ev.event.id, [listed.nik or "", walk_in.nik, "3310019999999999"])
    assert (result.marked, result.already, result.added) == (1, 0, 1)
    assert result.not_found == ("331001******9999",)
    attended = {p.official_id for p in events.participants(ctx, ev.event.id, attended_only=True)}
    assert attended == {listed.official_id, walk_in.id}
    again = events.attend_by_nik(ctx, SYSTEM, ev.event.id, [listed.nik or ""])
    assert (again.marked, again.already) == (0, 1)
    with ctx.read() as session:
        logged = session.scalar(select(func.count()).where(AuditLog.action == "attend"))
        texts = " ".join(t or "" for t in session.scalars(select(AuditLog.summary)))
    assert logged == 1 and walk_in.nik not in texts


def test_attend_all_on_an_empty_list_is_refused(ev: EventSetup) -> None:
    with pytest.raises(UserError, match="Daftar peserta masih kosong"):
        events.attend_all(ev.ctx, SYSTEM, ev.event.id)
