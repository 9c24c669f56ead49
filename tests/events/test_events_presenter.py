"""The Sosialisasi presenter without Qt: selection, the lists, the open actions, every change and the long work
run as the plain functions the task runner gets, on the real database."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from klaten_desktop.gui.events import presenter as presenter_module
from klaten_desktop.gui.events.presenter import (
    CHOOSE_CANDIDATES,
    CHOOSE_PARTICIPANTS,
    CHOOSE_TO_REMOVE,
    NEW_EVENT_HEADING,
    NO_CANDIDATES,
    NOBODY_ATTENDED,
    CandidateFilter,
    EventDetails,
    EventsPresenter,
    certificates_report,
    history_summary,
    import_report,
    sheet_report,
)
from klaten_desktop.runtime.work import Cancelled, never_cancelled, no_progress
from klaten_desktop.services import events
from klaten_desktop.services.context import SYSTEM
from klaten_desktop.services.errors import UserError
from tests.conftest import SENGON
from tests.events.conftest import EVENT_TITLE, EventSetup, pdf_pages


def _selected(ev: EventSetup) -> EventsPresenter:
    p = EventsPresenter(ev.ctx, SYSTEM)
    assert p.reload() is None and p.current is None
    p.select(p.events[0])
    return p


def test_the_presenter_imports_no_qt() -> None:
    tree = ast.parse(Path(presenter_module.__file__).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported and not {m for m in imported if m.startswith(("PySide6", "shiboken6", "klaten_desktop.gui"))}


def test_nothing_selected_closes_every_action(ev: EventSetup) -> None:
    p = EventsPresenter(ev.ctx, SYSTEM)
    p.reload()
    assert [e.title for e in p.events] == [EVENT_TITLE]
    actions = p.actions()
    assert not (actions.delete or actions.participants or actions.attendance_import)
    assert not (actions.sheet or actions.certificates)
    assert p.heading() == NEW_EVENT_HEADING and p.participants == [] and p.candidates == []
    assert p.delete_question() is None
    assert p.invite_refusal(["x"]) == CHOOSE_CANDIDATES and p.mark_refusal(["x"]) == CHOOSE_PARTICIPANTS


def test_selecting_reads_the_lists_and_opens_the_actions(ev: EventSetup) -> None:
    p = _selected(ev)
    actions = p.actions()
    assert actions.delete and actions.participants and actions.attendance_import
    assert actions.sheet and actions.certificates
    assert p.heading().startswith(f"<b>{EVENT_TITLE}</b><br>9 Desember 2026 09.00–12.00 WIB")
    assert p.participants == [] and len(p.candidates) == 120
    assert p.participants_summary() == "0 peserta, 0 hadir"
    assert p.candidates_summary() == "120 pengurus belum diundang"
    p.set_filter(CandidateFilter(desa_kode=SENGON))
    assert p.candidates and {c.desa_kode for c in p.candidates} == {SENGON}
    p.select(None)
    assert p.current is None and p.candidates == [] and not p.actions().sheet


def test_invite_mark_remove_and_a_guest(ev: EventSetup) -> None:
    p = _selected(ev)
    p.set_filter(CandidateFilter(desa_kode=SENGON))
    in_filter = [c.id for c in p.candidates]
    assert p.invite_refusal([]) == CHOOSE_CANDIDATES and p.invite_refusal(in_filter[:1]) is None
    p.invite(in_filter[:1])
    p.reload()
    assert [r.official_id for r in p.participants] == in_filter[:1]
    assert in_filter[0] not in {c.id for c in p.candidates}  # the filter is kept across the reload
    assert (
        p.invite_all_refusal() is None
        and p.invite_all_question() == f"Undang {len(in_filter) - 1} pengurus hasil saringan?"
    )
    p.invite_all()
    p.reload()
    assert len(p.participants) == len(in_filter) and p.candidates == []
    assert p.invite_all_refusal() == NO_CANDIDATES

    first = p.participants[0].id
    p.mark([first], True)
    p.reload()
    assert p.participants_summary() == f"{len(in_filter)} peserta, 1 hadir" and p.current is not None
    assert p.current.attended == 1
    p.mark_all()
    p.reload()
    assert all(r.attended for r in p.participants)

    p.add_guest("Contoh Tamu Undangan", "Kepala Desa", "Desa Sengon")
    p.reload()
    assert "Contoh Tamu Undangan" in {r.nama for r in p.participants}
    assert p.remove_refusal([]) == CHOOSE_TO_REMOVE and p.remove_question([first]) == "Hapus 1 peserta dari daftar?"
    p.remove([first])
    p.reload()
    assert first not in {r.id for r in p.participants}


def test_save_creates_then_changes_and_delete_clears(ev: EventSetup) -> None:
    p = EventsPresenter(ev.ctx, SYSTEM)
    p.reload()
    details = EventDetails(
        title="Sosialisasi Desa Sengon",
        starts_at=dt.datetime(2026, 12, 10, 9, 0),
        ends_at=None,
        place="Balai Desa Sengon",
        organiser="",
        speakers=[events.Speaker("Contoh Narasumber", "BPJS Ketenagakerjaan")],
    )
    with pytest.raises(UserError, match="Tempat sosialisasi wajib diisi"):
        p.save(EventDetails(title="Tanpa tempat", starts_at=details.starts_at, ends_at=None, place="", organiser=""))
    created = p.save(details)
    assert p.reload() is not None and p.current is not None and p.current.id == created.id
    assert len(p.events) == 2 and p.current.time_label == "09.00 WIB – selesai"
    p.save(EventDetails(**{**details.values(), "place": "Pendopo Desa Sengon"}))
    p.reload()
    assert p.current is not None and p.current.place == "Pendopo Desa Sengon" and len(p.events) == 2
    assert p.delete_question() == "Hapus sosialisasi “Sosialisasi Desa Sengon” beserta daftar pesertanya?"
    p.delete()
    assert p.current is None and p.reload() is None
    assert [e.title for e in p.events] == [EVENT_TITLE]


def test_the_long_work_runs_as_plain_functions(ev: EventSetup, tmp_path: Path) -> None:
    p = _selected(ev)
    p.set_filter(CandidateFilter(desa_kode=SENGON))
    p.invite_all()
    p.reload()
    assert p.certificates_refusal() == NOBODY_ATTENDED
    sheet = tmp_path / "attendance.csv"
    came = p.participants[:2]
    sheet.write_text("NO;NAMA;NIK\n" + "".join(f"{i};{r.nama};'{r.nik}\n" for i, r in enumerate(came, 1)))
    steps: list[tuple[int, int]] = []
    imported = p.import_work(sheet)(lambda done, total: steps.append((done, total)), never_cancelled)
    assert isinstance(imported, events.AttendanceImport) and imported.marked == 2 and steps
    assert import_report(imported) == "2 peserta ditandai hadir, 0 pengurus ditambahkan, 0 sudah hadir, 0 tidak hadir."
    p.reload()
    assert p.certificates_refusal() is None and p.certificates_file() == "sertifikat-9 Desember 2026.pdf"

    result = p.certificates_work(tmp_path / "sertifikat.pdf")(no_progress, never_cancelled)
    assert result.issued == 2 and certificates_report(result).startswith("2 sertifikat baru; 2 halaman disimpan di")
    pages = pdf_pages(result.path)
    assert len(pages) == 2 and all(any(r.nama in page for page in pages) for r in came)
    printed = p.sheet_work(tmp_path / "hadir.pdf", per_desa=True)(no_progress, never_cancelled)
    assert sheet_report(printed).startswith(f"Daftar hadir {len(p.participants)} peserta")
    with pytest.raises(Cancelled):
        p.sheet_work(tmp_path / "batal.pdf", per_desa=False)(no_progress, lambda: True)
    assert not (tmp_path / "batal.pdf").exists()


def test_an_import_report_lists_at_most_fifteen_unknown_rows() -> None:
    result = events.AttendanceImport(
        rows=20, marked=1, already=0, added=0, absent=0, not_found=tuple(f"baris {n}: X" for n in range(2, 21))
    )
    text = import_report(result)
    assert "19 baris tidak dikenali:\n• baris 2: X" in text and "• baris 16: X" in text
    assert "• baris 17: X" not in text and text.endswith("\n… dan 4 lagi")


def test_the_history_summary(ev: EventSetup) -> None:
    events.add_from_registry(ev.ctx, SYSTEM, ev.event.id, desa_kode=SENGON)
    came, stayed = events.participants(ev.ctx, ev.event.id)[:2]
    events.set_attendance(ev.ctx, SYSTEM, ev.event.id, [came.id], True)
    assert came.official_id is not None and stayed.official_id is not None
    assert history_summary(events.history(ev.ctx, came.official_id)) == "Mengikuti 1 sosialisasi."
    assert history_summary(events.history(ev.ctx, stayed.official_id)) == "Belum pernah mengikuti sosialisasi."
