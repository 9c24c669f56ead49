"""The kecamatan's sync console without Qt: what the next package holds, making it, packages sent, the return
package with the regency's corrections. The view (``kecamatan.py``) lays out and binds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from klaten_desktop.domain.formatting import format_number
from klaten_desktop.gui.sync import jobs
from klaten_desktop.gui.sync.presenter import ConsolePresenter, Job, Phase
from klaten_desktop.gui.sync.texts import local_datetime
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.office import OfficeData
from klaten_desktop.services.sync import archive, export
from klaten_desktop.services.sync.archive import Reissued
from klaten_desktop.services.sync.export import ExportPreview, ExportResult, PackageRow, Reminder
from klaten_desktop.services.sync.importer import ImportResult
from klaten_desktop.services.sync.tables import TABLE_LABELS

EMPTY_PACKAGE_QUESTION = (
    "Tidak ada perubahan sejak paket terakhir. Tetap buat paket kosong (agar kabupaten tahu kecamatan ini masih aktif)?"
)
UNAVAILABLE_TITLE = "Paket belum dapat dibuat"


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int


def preview_rows(preview: ExportPreview) -> list[CountRow]:
    rows = [CountRow(label, preview.counts.get(name, 0)) for name, label in TABLE_LABELS.items()]
    return [r for r in rows if r.count] or [CountRow("Tidak ada perubahan sejak paket terakhir", 0)]


@dataclass(frozen=True)
class KecamatanActions:
    """Which of the console's actions are enabled."""

    export: bool
    import_return: bool
    full_package: bool
    reissue: bool


@dataclass(frozen=True)
class Packages:
    """The package history and the reminder, read on refresh."""

    sent: list[PackageRow]
    received: list[PackageRow]
    reminder: Reminder

    @property
    def last_return(self) -> str:
        if not self.received:
            return "Belum ada paket balikan dari kabupaten."
        last = self.received[0]
        return f"Paket balikan terakhir: no. {last.sequence}, diimpor {local_datetime(last.recorded_at)}."


class KecamatanPresenter(ConsolePresenter):
    def __init__(self, ctx: ServiceContext, actor: Actor, office: OfficeData) -> None:
        super().__init__(ctx, actor)
        self.office = office
        self.preview: ExportPreview | None = None

    def settled(self) -> Phase:
        return Phase.IDLE if self.preview is None else Phase.REVIEWING

    def actions(self, selected: PackageRow | None = None) -> KecamatanActions:
        free = self.free
        return KecamatanActions(
            export=free and self.phase is Phase.REVIEWING,
            import_return=free,
            full_package=free,
            reissue=free and selected is not None,
        )

    # ------------------------------------------------------------------------------ reading

    def load_preview(self, *, full: bool) -> ExportPreview:
        """What the next package holds; a UserError (no regency key yet...) says why none can be made: the view
        shows it inline and calls :meth:`preview_unavailable`."""
        self.preview = export.preview(self.ctx, full=full)
        return self.preview

    def preview_unavailable(self) -> None:
        self.preview = None

    def packages(self) -> Packages:
        return Packages(
            export.history(self.ctx, direction="sent"),
            export.history(self.ctx, direction="received"),
            export.reminder(self.ctx),
        )

    # ------------------------------------------------------------------------------ texts

    @staticmethod
    def preview_title(preview: ExportPreview) -> str:
        kind = "lengkap" if preview.full else "perubahan"
        return (
            f"Paket no. {preview.sequence} ({kind}) untuk {preview.recipient_name}: "
            f"{format_number(preview.total)} baris"
        )

    @staticmethod
    def preview_note(preview: ExportPreview) -> str:
        note = "Data yang dihapus ikut terkirim sebagai tanda hapus"
        note += f" ({format_number(preview.deleted)} baris)." if preview.deleted else " (tidak ada saat ini)."
        return note + " Isi paket disandikan: hanya kantor kabupaten yang dapat membukanya."

    # ------------------------------------------------------------------------------ making a package

    def asks_before_empty(self) -> bool:
        """An empty change package is made only after the person says so."""
        return self.preview is not None and self.preview.total == 0 and not self.preview.full

    def suggested_path(self) -> Path:
        assert self.preview is not None
        code = self.office.office_code.replace(".", "")
        full = "-lengkap" if self.preview.full else ""
        return self.suggested(f"sinkron-{code}-{self.preview.sequence:04d}{full}.klsync")

    def export_job(self, chosen: Path) -> Job:
        preview = self.preview
        assert preview is not None
        return Job(
            Phase.EXPORTING,
            f"Membuat paket sinkronisasi no. {preview.sequence}…",
            jobs.export_package,
            (self.ctx, self.actor, self.save_path(chosen), preview.full, None),
        )

    @staticmethod
    def exported_message(result: ExportResult) -> str:
        text = (
            f"Paket no. {result.sequence} disimpan ke {result.path.name} "
            f"({format_number(sum(result.counts.values()))} baris).\n\n"
            "Bawa berkas ini ke kantor kabupaten. Isinya tersandi, aman bila flashdisk hilang."
        )
        return text + "".join(f"\n\nPerhatian: {w}" for w in result.warnings)

    # ------------------------------------------------------------------------------ re-issuing a package

    @staticmethod
    def reissue_question(row: PackageRow) -> str:
        return (
            f"Terbitkan ulang paket no. {row.sequence} ({local_datetime(row.recorded_at)})?\n\n"
            "Berkasnya persis sama dengan paket yang tercatat (byte demi byte), misalnya bila flashdisk hilang "
            "atau berkasnya tidak sampai di kabupaten. Tidak ada data yang berubah; penerbitan ulang dicatat di "
            "log audit."
        )

    def reissue_suggested_path(self, row: PackageRow) -> Path:
        code = self.office.office_code.replace(".", "")
        return self.suggested(row.file_name or f"sinkron-{code}-{row.sequence:04d}.klsync")

    def reissue(self, row: PackageRow, chosen: Path) -> Reissued:
        """Write the recorded package ``row`` again (a short file copy: no worker)."""
        return archive.reissue(self.ctx, self.actor, row.sequence, self.save_path(chosen))

    @staticmethod
    def reissued_message(result: Reissued) -> str:
        return (
            f"Paket no. {result.sequence} diterbitkan ulang ke {result.path.name} (persis sama dengan yang "
            "tercatat). Bawa berkas ini ke kantor kabupaten."
        )

    # ------------------------------------------------------------------------------ the return package

    def import_return_job(self, path: Path) -> Job:
        return Job(
            Phase.IMPORTING,
            "Membaca paket balikan…",
            jobs.import_return_package,
            (self.ctx, self.actor, path),
            cancellable=False,
        )

    @staticmethod
    def return_imported_message(result: ImportResult) -> str:
        if result.already_imported:
            return f"Paket balikan no. {result.sequence} sudah pernah diimpor; tidak ada yang berubah."
        n = result.total("conflicts")
        text = f"Paket balikan no. {result.sequence} diimpor: {format_number(n)} koreksi menunggu keputusan."
        for warning in result.warnings:
            text += f"\n\nPerhatian: {warning}"
        return text
