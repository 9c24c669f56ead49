"""Review of what sync could not decide alone, without Qt: losing versions kept at the regency, corrections from
the regency at a kecamatan; the changed values side by side, the texts, accepting or refusing one at a time. The
view is ``review.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from klaten_desktop.domain.formatting import format_number
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.sync import conflicts
from klaten_desktop.services.sync.conflicts import ConflictRow, PendingRow

FIELD_LABELS = {
    "nik": "NIK",
    "nama": "Nama",
    "tempat_lahir": "Tempat lahir",
    "tanggal_lahir": "Tanggal lahir",
    "jenis_kelamin": "Jenis kelamin",
    "alamat": "Alamat",
    "desa_kode": "Kode desa",
    "rw": "RW",
    "rt": "RT",
    "jabatan": "Jabatan",
    "jabatan_lain": "Jabatan lain",
    "term_start": "Mulai menjabat",
    "term_end": "Akhir masa jabatan",
    "sk_nomor": "Nomor SK",
    "sk_tanggal": "Tanggal SK",
    "telepon": "Telepon",
    "term_status": "Status jabatan",
    "ended_on": "Berakhir tanggal",
    "end_reason": "Alasan berakhir",
    "end_note": "Catatan berakhir",
    "replaced_by_id": "Digantikan oleh",
    "catatan": "Catatan",
    "deleted_at": "Dihapus",
    "official_id": "Pengurus",
    "nomor_kpj": "Nomor KPJ",
    "programs": "Program",
    "declared_income": "Penghasilan",
    "tariff_code": "Kode tarif",
    "monthly_amount": "Iuran per bulan",
    "funding_source": "Sumber dana",
    "submitted_on": "Diajukan",
    "registered_on": "Terdaftar",
    "paid_through": "Lunas sampai",
    "periode": "Periode",
    "amount": "Jumlah",
    "paid_on": "Tanggal bayar",
    "reference": "Referensi",
    "title": "Judul",
    "starts_at": "Mulai",
    "ends_at": "Selesai",
    "place": "Tempat",
    "organiser": "Penyelenggara",
    "speakers": "Narasumber",
    "notes": "Catatan",
    "guest_name": "Nama tamu",
    "guest_role": "Jabatan tamu",
    "guest_origin": "Asal tamu",
    "attended": "Hadir",
    "nomor": "Nomor",
    "kind": "Jenis",
    "issued_on": "Tanggal terbit",
    "recipients": "Penerima",
    "print_count": "Jumlah cetak",
    "office_code": "Kecamatan",
}
STATUS_LABELS = {"terbuka": "Menunggu keputusan", "diterima": "Diterima", "ditolak": "Ditolak"}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def value_text(value: Any) -> str:
    if value is None:
        return "(kosong)"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, list | dict):
        return f"({len(value)} isian)"
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    name: str
    current: str
    proposed: str


def field_changes(row: ConflictRow) -> list[FieldChange]:
    current = row.current or {}
    return [
        FieldChange(
            field_label(f),
            value_text(current.get(f)) if row.current else "(belum ada)",
            value_text(row.proposed.get(f)),
        )
        for f in row.changed_fields
    ]


OPEN = "terbuka"
NO_SELECTION = "Pilih satu baris untuk melihat nilai yang berbeda."


@dataclass(frozen=True)
class Review:
    """What the review shows after a refresh."""

    rows: list[ConflictRow]
    waiting: list[PendingRow]

    @property
    def open_rows(self) -> int:
        return sum(1 for r in self.rows if r.status == OPEN)


class ReviewPresenter:
    """The open conflicts (regency) or corrections (kecamatan): the list, which one may be decided, the decision."""

    def __init__(self, ctx: ServiceContext, actor: Actor, *, regency: bool) -> None:
        self.ctx = ctx
        self.actor = actor
        self.regency = regency

    def load(self, *, show_all: bool) -> Review:
        rows = conflicts.list_conflicts(self.ctx, status=None if show_all else OPEN)
        waiting = conflicts.pending(self.ctx) if self.regency else []
        return Review(rows, waiting)

    def summary(self, review: Review) -> str:
        what = "versi untuk ditinjau" if self.regency else "koreksi menunggu keputusan"
        n = review.open_rows
        return f"{format_number(n)} {what}." if n else f"Tidak ada {what}."

    @staticmethod
    def can_decide(row: ConflictRow | None) -> bool:
        """Accept and refuse are enabled for a selected row still waiting for a decision."""
        return row is not None and row.status == OPEN

    @staticmethod
    def detail_title(row: ConflictRow | None) -> str:
        if row is None:
            return NO_SELECTION
        versions = f"versi usulan {row.proposed_version}"
        if row.current_version is not None:
            versions += f", versi sekarang {row.current_version}"
        return f"{row.title} ({row.office_code}; {versions})"

    def question(self, row: ConflictRow, *, accept: bool) -> str:
        if accept:
            return f"Pakai versi usulan untuk {row.title}?\n\nVersi ini menjadi data sekarang" + (
                " dan dikirim ke kecamatan pada paket balikan berikutnya." if self.regency else "."
            )
        return f"Tolak versi usulan untuk {row.title}?\n\nData sekarang tetap berlaku."

    def decide(self, row: ConflictRow, *, accept: bool) -> ConflictRow:
        return (conflicts.accept if accept else conflicts.refuse)(self.ctx, self.actor, row.id)

    @staticmethod
    def decided_message(done: ConflictRow, *, accept: bool) -> str:
        return f"{done.title}: versi usulan {'diterima' if accept else 'ditolak'}."
