"""The Sosialisasi screen without Qt: which event is selected, its participants and the officials still to invite,
which actions are open, the service calls of every button, and the long work (attendance import, the daftar hadir,
certificates) as plain functions for the task runner. The widgets in ``section.py`` only lay out and bind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services import events
from klaten_desktop.services.access import Permission, allowed
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.events import CandidateRow, EventRow, HistoryRow, ParticipantRow, Speaker

if TYPE_CHECKING:  # the certificates (signing, documents: ~2 MB) load when first issued, not with the history widget
    from klaten_desktop.services.events import certificates

Work = Callable[[Progress, CancelCheck], Any]  # what the task runner runs on a worker

NEW_EVENT_HEADING = "<i>Sosialisasi baru: isi data acara lalu simpan.</i>"
READER_HEADING = "<i>Pilih sosialisasi di daftar untuk melihat rinciannya.</i>"  # a role that may not add one
CHOOSE_CANDIDATES = "Pilih pengurus yang akan diundang pada tabel di atas."
NO_CANDIDATES = "Tidak ada pengurus yang belum diundang sesuai saringan."
CHOOSE_PARTICIPANTS = "Pilih peserta pada daftar peserta terlebih dahulu."
CHOOSE_TO_REMOVE = "Pilih peserta yang akan dihapus dari daftar."
NOBODY_ATTENDED = "Belum ada peserta yang ditandai hadir; sertifikat hanya untuk peserta yang hadir."
ATTENDANCE_FILES = "Lembar kerja (*.xlsx *.xls *.ods *.csv);;Semua berkas (*)"
NOT_FOUND_SHOWN = 15  # unrecognised rows of an attendance import listed by name


@dataclass(frozen=True)
class EventDetails:
    """What the event form holds, as the service takes it."""

    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    organiser: str
    speakers: list[Speaker] = field(default_factory=list)
    notes: str = ""

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class CandidateFilter:
    """The picker's filters: desa, RW (None: all), jabatan, a search in name or NIK."""

    desa_kode: str | None = None
    rw: int | None = None
    jabatan: str | None = None
    search: str | None = None
    official_ids: frozenset[str] | None = None  # a worklist's officials, opened from Beranda
    title: str = ""  # that worklist's title

    def arguments(self) -> dict[str, Any]:
        return {
            "desa_kode": self.desa_kode,
            "rw": self.rw or None,
            "jabatan": [self.jabatan] if self.jabatan else None,
            "search": self.search or None,
            "official_ids": sorted(self.official_ids) if self.official_ids is not None else None,
        }


@dataclass(frozen=True)
class EventActions:
    """Which of the screen's actions are open."""

    delete: bool
    participants: bool  # the participants tab: inviting, attendance, guests
    attendance_import: bool
    sheet: bool
    certificates: bool


class EventsPresenter:
    """The state of the Sosialisasi screen over the events service (one short session per call)."""

    def __init__(self, ctx: ServiceContext, actor: Actor) -> None:
        self.ctx = ctx
        self.actor = actor
        self.events: list[EventRow] = []
        self.current: EventRow | None = None
        self.participants: list[ParticipantRow] = []
        self.candidates: list[CandidateRow] = []
        self.filter = CandidateFilter()
        self._lists_of: str | None = None  # the event whose participants and candidates are loaded

    # --- the events -------------------------------------------------------------------------------------------

    def reload(self) -> int | None:
        """Read the events again, keeping the selected one (and its lists); its index, or None when it is gone."""
        keep = self.current.id if self.current is not None else None
        self.events = events.list_events(self.ctx)
        index = next((i for i, r in enumerate(self.events) if r.id == keep), None)
        self._lists_of = None
        self.select(self.events[index] if index is not None else None)
        return index

    def select(self, event: EventRow | None) -> None:
        """Show ``event`` (None: a new one being written); its lists are read unless they are already shown."""
        self.current = event
        if event is None:
            self._lists_of = None
            self.participants, self.candidates = [], []
        elif event.id != self._lists_of:
            self._lists_of = event.id
            self.load_participants()
            self.load_candidates()

    def new_event(self) -> None:
        self.select(None)

    def actions(self) -> EventActions:
        has = self.current is not None
        return EventActions(delete=has, participants=has, attendance_import=has, sheet=has, certificates=has)

    def heading(self) -> str:
        event = self.current
        if event is None:
            return NEW_EVENT_HEADING if allowed(self.actor, Permission.events) else READER_HEADING
        return (
            f"<b>{event.title}</b><br>{event.date_label} {event.time_label}, {event.place} — "
            f"{event.participants} peserta, {event.attended} hadir, {event.certificates} sertifikat"
        )

    def save(self, details: EventDetails) -> EventRow:
        """Create the event, or change the selected one; it stays selected (call :meth:`reload` next)."""
        values = details.values()
        if self.current is None:
            self.current = events.create(self.ctx, self.actor, **values)
        else:
            self.current = events.update_event(
                self.ctx, self.actor, self.current.id, expected_version=self.current.row_version, **values
            )
        return self.current

    def delete_question(self) -> str | None:
        if self.current is None:
            return None
        return f"Hapus sosialisasi “{self.current.title}” beserta daftar pesertanya?"

    def delete(self) -> None:
        if self.current is None:
            return
        events.delete_event(self.ctx, self.actor, self.current.id)
        self.select(None)

    # --- participants ----------------------------------------------------------------------------------------

    def load_participants(self) -> None:
        if self.current is not None:
            self.participants = events.participants(self.ctx, self.current.id)

    def participants_summary(self) -> str:
        present = sum(1 for r in self.participants if r.attended)
        return f"{len(self.participants)} peserta, {present} hadir"

    def set_filter(self, candidate_filter: CandidateFilter) -> None:
        self.filter = candidate_filter
        self.load_candidates()

    def load_candidates(self) -> None:
        if self.current is not None:
            self.candidates = events.candidates(self.ctx, exclude_event=self.current.id, **self.filter.arguments())

    def candidates_summary(self) -> str:
        if self.filter.official_ids is not None:
            return f"{self.filter.title}: {len(self.candidates)} pengurus belum diundang"
        return f"{len(self.candidates)} pengurus belum diundang"

    def invite_refusal(self, chosen: Sequence[str]) -> str | None:
        return CHOOSE_CANDIDATES if self.current is None or not chosen else None

    def invite(self, official_ids: Sequence[str]) -> None:
        events.add_participants(self.ctx, self.actor, self._event_id(), list(official_ids))

    def invite_all_refusal(self) -> str | None:
        return NO_CANDIDATES if not self.candidates else None

    def invite_all_question(self) -> str:
        return f"Undang {len(self.candidates)} pengurus hasil saringan?"

    def invite_all(self) -> None:
        events.add_from_registry(self.ctx, self.actor, self._event_id(), **self.filter.arguments())

    def mark_refusal(self, chosen: Sequence[str]) -> str | None:
        return CHOOSE_PARTICIPANTS if self.current is None or not chosen else None

    def mark(self, participant_ids: Sequence[str], attended: bool) -> None:
        events.set_attendance(self.ctx, self.actor, self._event_id(), list(participant_ids), attended)

    def mark_all(self) -> None:
        events.attend_all(self.ctx, self.actor, self._event_id())

    def remove_refusal(self, chosen: Sequence[str]) -> str | None:
        return CHOOSE_TO_REMOVE if self.current is None or not chosen else None

    def remove_question(self, chosen: Sequence[str]) -> str:
        return f"Hapus {len(chosen)} peserta dari daftar?"

    def remove(self, participant_ids: Sequence[str]) -> None:
        events.remove_participants(self.ctx, self.actor, self._event_id(), list(participant_ids))

    def add_guest(self, name: str, role: str, origin: str) -> None:
        events.add_guest(self.ctx, self.actor, self._event_id(), nama=name, peran=role, asal=origin)

    def _event_id(self) -> str:
        if self.current is None:
            raise RuntimeError("no event selected")  # the actions are closed without one (see actions())
        return self.current.id

    # --- long work: plain functions for the task runner ------------------------------------------------------

    def import_work(self, path: Path) -> Work:
        ctx, actor, event_id = self.ctx, self.actor, self._event_id()

        def work(progress: Progress, _cancelled: CancelCheck) -> events.AttendanceImport:
            return events.import_attendance(ctx, actor, event_id, path, progress=progress)

        return work

    def sheet_file(self) -> str:
        return f"daftar-hadir-{self.current.date_label if self.current else ''}.pdf"

    def sheet_work(self, path: Path, *, per_desa: bool) -> Work:
        ctx, event_id = self.ctx, self._event_id()

        def work(progress: Progress, cancelled: CancelCheck) -> events.SheetResult:
            return events.print_attendance_sheet(
                ctx, event_id, out=path, per_desa=per_desa, progress=progress, cancelled=cancelled
            )

        return work

    def certificates_refusal(self) -> str | None:
        return NOBODY_ATTENDED if self.current is not None and self.current.attended == 0 else None

    def certificates_file(self) -> str:
        return f"sertifikat-{self.current.date_label if self.current else ''}.pdf"

    def certificates_work(self, path: Path) -> Work:
        ctx, actor, event_id = self.ctx, self.actor, self._event_id()

        def work(progress: Progress, cancelled: CancelCheck) -> certificates.CertificatesResult:
            from klaten_desktop.services.events import certificates

            return certificates.issue_certificates(
                ctx, actor, event_id, out=path, progress=progress, cancelled=cancelled
            )

        return work


def import_report(result: events.AttendanceImport) -> str:
    """What an attendance import did, for the person who ran it."""
    text = (
        f"{result.marked} peserta ditandai hadir, {result.added} pengurus ditambahkan, "
        f"{result.already} sudah hadir, {result.absent} tidak hadir."
    )
    if result.not_found:
        listed = "\n".join(f"• {line}" for line in result.not_found[:NOT_FOUND_SHOWN])
        extra = len(result.not_found) - NOT_FOUND_SHOWN
        more = f"\n… dan {extra} lagi" if extra > 0 else ""
        text += f"\n\n{len(result.not_found)} baris tidak dikenali:\n{listed}{more}"
    return text


def sheet_report(result: events.SheetResult) -> str:
    return f"Daftar hadir {result.participants} peserta ({result.pages} halaman) disimpan di\n{result.path}"


def certificates_report(result: certificates.CertificatesResult) -> str:
    reprint = f", {result.reprinted} dicetak ulang (ditandai Cetakan ke-N)" if result.reprinted else ""
    return f"{result.issued} sertifikat baru{reprint}; {result.pages} halaman disimpan di\n{result.path}"


def history_summary(rows: Sequence[HistoryRow]) -> str:
    """One line over an official's socializations."""
    attended = sum(1 for r in rows if r.attended)
    return f"Mengikuti {attended} sosialisasi." if attended else "Belum pernah mengikuti sosialisasi."
