"""The regency's sync consoles without Qt: the status of every kecamatan, importing packages (a dry run first,
then the real import), return packages with the regency's corrections. The views (``regency*.py``) lay out and
bind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from klaten_desktop.domain.formatting import format_number
from klaten_desktop.gui.sync import jobs
from klaten_desktop.gui.sync.presenter import ConsolePresenter, Job, Phase
from klaten_desktop.services import settings
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.sync import export, keys, status
from klaten_desktop.services.sync.export import ExportPreview, ExportResult, PackageRow
from klaten_desktop.services.sync.importer import ImportResult, PackageOutcome, TableCounts
from klaten_desktop.services.sync.status import KecamatanStatus
from klaten_desktop.services.sync.tables import TABLE_LABELS

NO_PEERS = "Belum ada kunci kecamatan yang dipercaya (lihat tab Kunci kantor)."


@dataclass(frozen=True)
class Report:
    """What the view shows after a step: the summary banner's text and kind, and a message (if any)."""

    text: str
    kind: str
    warning: str | None = None
    info: str | None = None


# ---------------------------------------------------------------------------------------------- the status console


class StatusPresenter:
    """The console per kecamatan: who sent what and when, what needs a look."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.console: status.Console | None = None

    def default_days(self) -> int:
        return int(settings.get(self.ctx, "ekspor.pengingat_hari"))

    def load(self, stale_days: int) -> status.Console:
        self.console = status.console(self.ctx, stale_days=stale_days)
        return self.console

    @staticmethod
    def highlight(k: KecamatanStatus, stale_days: int) -> str | None:
        if k.gaps or len(k.installs) > 1:
            return "error"
        if k.overdue(stale_days):
            return "warning"
        return None

    def summary(self) -> Report:
        console = self.console
        assert console is not None
        total = len(console.kecamatan)
        sent = sum(1 for k in console.kecamatan if k.last_sequence is not None)
        parts = [f"{sent} dari {total} kecamatan sudah mengirim paket."]
        if console.stale:
            parts.append(f"{len(console.stale)} kecamatan tanpa paket {console.stale_days} hari atau lebih (kuning).")
        trouble = [k for k in console.kecamatan if k.gaps or len(k.installs) > 1]
        if trouble:
            parts.append("Periksa paket hilang atau PC ganda (merah): " + ", ".join(k.nama for k in trouble) + ".")
        if console.duplicate_niks:
            parts.append(f"{len(console.duplicate_niks)} NIK tercatat di dua kecamatan.")
        return Report(" ".join(parts), "error" if trouble else ("warning" if console.stale else "ok"))


# ---------------------------------------------------------------------------------------------- importing packages


@dataclass(frozen=True)
class FileLine:
    """A package in the import list: the dry run's outcome, then the real import's."""

    outcome: PackageOutcome
    imported: bool

    @property
    def state(self) -> str:
        o = self.outcome
        if o.result is None:
            return "Ditolak"
        if o.result.already_imported:
            return "Sudah pernah diimpor"
        return "Diimpor" if self.imported else "Uji coba: siap diimpor"

    @property
    def note(self) -> str:
        o = self.outcome
        if o.result is None:
            return o.error or ""
        return " ".join(o.result.warnings)

    @property
    def highlight(self) -> str | None:
        if self.outcome.result is None:
            return "error"
        return "ok" if self.imported else None


@dataclass(frozen=True)
class TableLine:
    label: str
    counts: TableCounts


@dataclass(frozen=True)
class Detail:
    """The selected package under the list: its counts per kind of data, or why it was refused."""

    title: str
    refused: bool
    reason: str
    tables: list[TableLine]


DETAIL_TITLE = "Rincian per jenis data untuk paket yang dipilih:"
IMPORT_HINT = (
    "Pilih satu atau beberapa paket dari flashdisk. Setiap paket diuji coba dulu (tidak ada yang diubah); "
    "setelah hasilnya diperiksa, tekan Impor sekarang. Setiap paket diimpor utuh atau tidak sama sekali."
)


def result_of(line: FileLine | PackageOutcome) -> ImportResult:
    outcome = line.outcome if isinstance(line, FileLine) else line
    assert outcome.result is not None
    return outcome.result


def detail(line: FileLine | None) -> Detail:
    result = None if line is None else line.outcome.result
    tables = [] if result is None else [TableLine(TABLE_LABELS[name], c) for name, c in result.tables.items()]
    if line is not None and result is None:
        return Detail(f"{line.outcome.path.name} ditolak:", True, line.outcome.error or "", tables)
    return Detail(DETAIL_TITLE, False, "", tables)


@dataclass(frozen=True)
class ImportActions:
    choose: bool
    apply: bool
    clear: bool
    new_install: bool
    rebase: bool


class ImportPresenter(ConsolePresenter):
    """Choose package files, dry run them all (previewing), look at the outcome (reviewing), import the good ones
    for real (importing)."""

    def __init__(self, ctx: ServiceContext, actor: Actor) -> None:
        super().__init__(ctx, actor)
        self.lines: list[FileLine] = []

    def settled(self) -> Phase:
        return Phase.REVIEWING if self.lines else Phase.IDLE

    def ready(self) -> list[FileLine]:
        return [f for f in self.lines if f.outcome.ok and not f.imported and not result_of(f).already_imported]

    def actions(self) -> ImportActions:
        free = self.free
        return ImportActions(
            choose=free,
            apply=free and self.phase is Phase.REVIEWING and bool(self.ready()),
            clear=free and bool(self.lines),
            new_install=free,
            rebase=free,
        )

    def clear(self) -> None:
        self.lines = []

    def check_job(self, paths: list[Path], new_install: bool, rebase: bool = False) -> Job:
        # one batch, in the order of the names: the packages' own names (sinkron-KODE-NOMOR) put each
        # kecamatan's packages in sequence, so the dry run sees them as the import will
        ordered = sorted(paths, key=lambda p: p.name)
        return Job(
            Phase.PREVIEWING,
            "Menguji paket (tidak ada data yang diubah)…",
            jobs.check_packages,
            (self.ctx, self.actor, ordered, new_install, rebase),
        )

    def checked(self, outcomes: list[PackageOutcome]) -> Report:
        """The dry run's outcome is on screen."""
        self.lines = [FileLine(o, False) for o in outcomes]
        ready = self.ready()
        refused = [f for f in self.lines if not f.outcome.ok]
        text = f"Uji coba selesai: {len(ready)} paket siap diimpor"
        text += f", {len(refused)} ditolak." if refused else "."
        text += " Belum ada data yang diubah."
        if ready:
            created = sum(result_of(f).total("created") for f in ready)
            updated = sum(result_of(f).total("updated") for f in ready)
            conflicts = sum(result_of(f).total("conflicts") for f in ready)
            text += (
                f" Akan dibuat {format_number(created)}, diubah {format_number(updated)} baris"
                f"; konflik {format_number(conflicts)}. Tekan Impor sekarang untuk menyimpan."
            )
        warning = None
        if refused:
            warning = "Paket berikut ditolak; tidak ada data yang diubah:\n\n" + "\n\n".join(
                f"{f.outcome.path.name}: {f.outcome.error}" for f in refused
            )
        return Report(text, "error" if refused else "info", warning=warning)

    def confirm_text(self, new_install: bool, rebase: bool = False) -> str:
        ready = self.ready()
        offices = sorted({result_of(f).office for f in ready})
        text = (
            f"Impor {len(ready)} paket dari {', '.join(offices)} sekarang?\n\n"
            "Setiap paket disimpan utuh atau tidak sama sekali; jika dibatalkan, tidak ada yang disimpan."
        )
        if new_install:
            text += (
                "\n\nPERHATIAN: pilihan 'PC kecamatan memang diganti' aktif. Paket dari PC lama kecamatan itu "
                "tidak akan diterima lagi."
            )
        if rebase:
            text += "\n\n" + self.rebase_text()
        return text

    def rebase_text(self) -> str:
        """What a re-base replaces, from the dry run: every received package that goes, by what."""
        lines = []
        for f in self.ready():
            result = result_of(f)
            for r in result.replaced:
                lines.append(
                    f"• {result.office} paket no. {r.sequence} (SHA-256 {r.sha256[:16]}…, berkas "
                    f"{r.file_name or '-'}) diganti oleh paket no. {result.sequence} ({f.outcome.path.name})"
                )
        if not lines:
            return "Pilihan 'terima aliran baru' aktif, tetapi tidak ada paket yang sudah diterima yang diganti."
        return (
            "PERHATIAN: aliran paket dibuat ulang. Catatan paket berikut yang sudah diterima dihapus dari riwayat "
            "(tetap tercatat di log audit; data yang dibawanya tetap ada):\n" + "\n".join(lines)
        )

    def import_job(self, new_install: bool, rebase: bool = False) -> Job:
        order = sorted(self.ready(), key=lambda f: (result_of(f).office, result_of(f).sequence))
        paths = [f.outcome.path for f in order]
        return Job(
            Phase.IMPORTING,
            "Mengimpor paket…",
            jobs.import_packages,
            (self.ctx, self.actor, paths, new_install, rebase),
        )

    def imported(self, outcomes: list[PackageOutcome]) -> Report:
        """The real import's outcome replaces the dry run's for the files it imported."""
        done = {o.path: o for o in outcomes}
        self.lines = [
            FileLine(done[f.outcome.path], done[f.outcome.path].ok) if f.outcome.path in done else f for f in self.lines
        ]
        imported = [o for o in outcomes if o.ok]
        refused = [o for o in outcomes if not o.ok]
        text = f"{len(imported)} paket diimpor."
        if imported:
            text += (
                f" Baru {format_number(sum(result_of(o).total('created') for o in imported))},"
                f" diubah {format_number(sum(result_of(o).total('updated') for o in imported))},"
                f" dihapus {format_number(sum(result_of(o).total('deleted') for o in imported))},"
                f" konflik {format_number(sum(result_of(o).total('conflicts') for o in imported))}."
            )
        if refused:
            warning = (
                text
                + "\n\nPaket berikut ditolak; tidak ada datanya yang diubah:\n\n"
                + "\n\n".join(f"{o.path.name}: {o.error}" for o in refused)
            )
            return Report(text, "error", warning=warning)
        warnings = [w for o in imported for w in result_of(o).warnings]
        return Report(text, "ok", info=text + "".join(f"\n\nPerhatian: {w}" for w in warnings))


# ---------------------------------------------------------------------------------------------- return packages


@dataclass(frozen=True)
class ReturnActions:
    export: bool


class ReturnPresenter(ConsolePresenter):
    """A return package with the regency's corrections for one kecamatan, and every package sent or received."""

    def __init__(self, ctx: ServiceContext, actor: Actor) -> None:
        super().__init__(ctx, actor)
        self.preview: ExportPreview | None = None

    def settled(self) -> Phase:
        return Phase.IDLE if self.preview is None else Phase.REVIEWING

    def actions(self) -> ReturnActions:
        return ReturnActions(
            export=self.free and self.phase is Phase.REVIEWING and self.preview is not None and self.preview.total > 0
        )

    def offices(self) -> list[tuple[str, str]]:
        """The trusted kecamatan (code, name), by code: the ones a return package can go to."""
        peers = {p.office_code: p.name for p in keys.trusted_peers(self.ctx) if p.role == "kecamatan"}
        return sorted(peers.items())

    def history(self) -> list[PackageRow]:
        return export.history(self.ctx)

    def load_preview(self, code: str | None) -> ExportPreview | None:
        """What a return package to ``code`` would hold (None: no trusted kecamatan); a UserError says why none
        can be made (the view shows it in the title)."""
        self.preview = None
        if code is not None:
            self.preview = export.preview(self.ctx, to=code)
        return self.preview

    def preview_title(self) -> str:
        preview = self.preview
        if preview is None:
            return NO_PEERS
        n = preview.total
        return f"Paket balikan no. {preview.sequence} untuk {preview.recipient_name}: " + (
            f"{format_number(n)} koreksi" if n else "tidak ada koreksi baru"
        )

    def suggested_path(self) -> Path:
        preview = self.preview
        assert preview is not None
        return self.suggested(f"balikan-{preview.recipient_office.replace('.', '')}-{preview.sequence:04d}.klsync")

    def export_job(self, chosen: Path) -> Job:
        preview = self.preview
        assert preview is not None
        code = preview.recipient_office
        path = self.save_path(chosen)
        return Job(
            Phase.EXPORTING,
            f"Membuat paket balikan untuk {code}…",
            jobs.export_package,
            (self.ctx, self.actor, path, False, code),
        )

    @staticmethod
    def exported_message(result: ExportResult) -> str:
        return (
            f"Paket balikan no. {result.sequence} untuk {result.recipient_office} disimpan ke {result.path.name} "
            f"({format_number(sum(result.counts.values()))} koreksi)."
        )
