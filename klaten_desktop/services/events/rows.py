"""The records the events service returns, and its limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from klaten_desktop.domain.formatting import format_date

MAX_TITLE = 300
MAX_PLACE = 300
MAX_SPEAKERS = 10
ABSENT_WORDS = frozenset({"tidak", "tidakhadir", "tdkhadir", "absen", "alpa", "izin", "ijin", "sakit", "0", "-", "no"})
PRESENCE_HEADERS = frozenset({"hadir", "kehadiran", "ttd", "tandatangan", "paraf", "tt", "presensi", "absensi"})


@dataclass(frozen=True)
class Speaker:
    nama: str
    peran: str = ""

    @property
    def label(self) -> str:
        return f"{self.nama} ({self.peran})" if self.peran else self.nama


@dataclass(frozen=True)
class EventRow:
    id: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    organiser: str | None
    speakers: tuple[Speaker, ...]
    notes: str | None
    participants: int
    attended: int
    certificates: int
    row_version: int

    @property
    def date_label(self) -> str:
        return format_date(self.starts_at.date())

    @property
    def has_time(self) -> bool:
        """False when only the date is known (created without a time: midnight and no end)."""
        return not (self.starts_at.hour == 0 and self.starts_at.minute == 0 and self.ends_at is None)

    @property
    def time_label(self) -> str:
        """ "09.00–12.00 WIB", "09.00 WIB – selesai", or "" when only the date is known."""
        if not self.has_time:
            return ""
        start = f"{self.starts_at.hour:02d}.{self.starts_at.minute:02d}"
        if self.ends_at is None:
            return f"{start} WIB – selesai"
        end = f"{self.ends_at.hour:02d}.{self.ends_at.minute:02d}"
        if self.ends_at.date() != self.starts_at.date():
            return f"{start} WIB – {format_date(self.ends_at.date())} {end} WIB"
        return f"{start}–{end} WIB"


@dataclass(frozen=True)
class ParticipantRow:
    id: str
    event_id: str
    official_id: str | None
    nik: str | None
    nama: str
    jabatan: str  # short: "Ketua RT 003/002", or a guest's role
    peran: str  # long, for certificates: "Ketua RT 003 / RW 002, Desa Sengon, Kecamatan Prambanan"
    desa_kode: str | None
    desa_nama: str  # "Sengon", or a guest's origin
    attended: bool
    certificate_nomor: str | None

    @property
    def is_guest(self) -> bool:
        return self.official_id is None

    @property
    def hadir_label(self) -> str:
        return "Hadir" if self.attended else "Belum hadir"


@dataclass(frozen=True)
class CandidateRow:
    """A serving official who can be invited."""

    id: str
    nama: str
    jabatan: str
    desa_kode: str
    desa_nama: str
    rw: int | None
    rt: int | None


@dataclass(frozen=True)
class HistoryRow:
    event_id: str
    title: str
    starts_at: dt.datetime
    place: str
    attended: bool
    certificate_nomor: str | None

    @property
    def date_label(self) -> str:
        return format_date(self.starts_at.date())


@dataclass(frozen=True)
class AttendResult:
    marked: int
    already: int
    added: int  # officials who attended without being on the list (added as participants)
    not_found: tuple[str, ...]  # what could not be matched, as typed (NIK masked) or "baris N: nama"
