"""Sinkronisasi at the regency: the console per kecamatan, importing packages (dry run first), conflicts,
return packages for one kecamatan, trusted offices."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.domain.formatting import format_number, format_percent
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import show_failure, shows_failures
from klaten_desktop.gui.kit.layout import add_action, button_for
from klaten_desktop.gui.kit.rows_table import Column, RecordsTableModel
from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.gui.sync import common, jobs
from klaten_desktop.gui.sync.common import (
    PACKAGE_FILTER,
    banner,
    counts_text,
    counts_total,
    heading,
    local_datetime,
    sender_date,
    set_banner,
    short_hash,
    table_view,
)
from klaten_desktop.gui.sync.kecamatan import COUNT_COLUMNS, CountRow, preview_rows
from klaten_desktop.gui.sync.keys_panel import KeysPanel
from klaten_desktop.gui.sync.review import ConflictReviewPanel
from klaten_desktop.services import settings
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.sync import export, keys, status
from klaten_desktop.services.sync.export import ExportPreview, ExportResult, PackageRow
from klaten_desktop.services.sync.importer import ImportResult, PackageOutcome, TableCounts
from klaten_desktop.services.sync.status import DuplicateNik, KecamatanStatus
from klaten_desktop.services.sync.tables import TABLE_LABELS


def _days(k: KecamatanStatus) -> str:
    if k.days_since_import is None:
        return "belum pernah"
    return format_number(max(0, k.days_since_import))  # negative: this PC's clock is behind


def _flags(k: KecamatanStatus) -> str:
    notes = []
    if k.gaps:
        notes.append("paket hilang: no. " + ", ".join(str(g) for g in k.gaps))
    if len(k.installs) > 1:
        notes.append(f"{len(k.installs)} PC/instalasi mengirim paket")
    if k.open_conflicts:
        notes.append(f"{format_number(k.open_conflicts)} konflik")
    if k.waiting_rows:
        notes.append(f"{format_number(k.waiting_rows)} baris menunggu")
    return "; ".join(notes)


def console_columns() -> list[Column[KecamatanStatus]]:
    return [
        Column("Kode", lambda k: k.office_code),
        Column("Kecamatan", lambda k: k.nama),
        Column("Paket terakhir", lambda k: "—" if k.last_sequence is None else f"no. {k.last_sequence}"),
        Column("Dibuat (PC kecamatan)", lambda k: sender_date(k.last_created_at)),
        Column("Diterima", lambda k: local_datetime(k.last_imported_at)),
        Column("Hari sejak paket", _days, numeric=True),
        Column("Versi aplikasi", lambda k: k.app_version or ""),
        Column(
            "Baris paket",
            lambda k: counts_total(k.last_counts) if k.last_sequence is not None else "",
            numeric=True,
            tooltip=lambda k: counts_text(k.last_counts, sep="\n") if k.last_sequence is not None else "",
        ),
        Column("Wajib terlindungi", lambda k: format_number(k.officials_serving), numeric=True),
        Column("Aktif", lambda k: format_number(k.officials_aktif), numeric=True),
        Column("Cakupan", lambda k: format_percent(k.coverage_percent) if k.officials_serving else "—", numeric=True),
        Column("Perhatian", _flags, tooltip=_flags),
    ]


DUPLICATE_COLUMNS: list[Column[DuplicateNik]] = [
    Column("NIK", lambda d: d.nik_masked),
    Column("Kecamatan", lambda d: ", ".join(d.offices)),
    Column("Nama", lambda d: ", ".join(dict.fromkeys(d.names))),
]

_OUTCOME_HEAD = ["Baru", "Ubah", "Hapus", "Sama", "Konflik", "Menunggu"]
_FIELDS = ["created", "updated", "deleted", "unchanged", "conflicts", "waiting"]


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


def _total(name: str) -> Column[FileLine]:
    return Column(
        _OUTCOME_HEAD[_FIELDS.index(name)],
        lambda f: "" if f.outcome.result is None else format_number(f.outcome.result.total(name)),
        numeric=True,
    )


FILE_COLUMNS: list[Column[FileLine]] = [
    Column("Berkas", lambda f: f.outcome.path.name, tooltip=lambda f: str(f.outcome.path)),
    Column("Kecamatan", lambda f: "" if f.outcome.result is None else f.outcome.result.office),
    Column("No. urut", lambda f: "" if f.outcome.result is None else str(f.outcome.result.sequence), numeric=True),
    Column("Status", lambda f: f.state),
    *(_total(name) for name in _FIELDS),
    Column("Keterangan", lambda f: f.note, tooltip=lambda f: f.note),
]


@dataclass(frozen=True)
class TableLine:
    label: str
    counts: TableCounts


def _table_count(name: str) -> Column[TableLine]:
    return Column(_OUTCOME_HEAD[_FIELDS.index(name)], lambda t: format_number(getattr(t.counts, name)), numeric=True)


TABLE_COLUMNS: list[Column[TableLine]] = [Column("Jenis data", lambda t: t.label), *map(_table_count, _FIELDS)]

HISTORY_COLUMNS: list[Column[PackageRow]] = [
    Column("Arah", lambda p: "Dikirim" if p.direction == "sent" else "Diterima"),
    Column("Kantor", lambda p: p.recipient_office if p.direction == "sent" else p.sender_office),
    Column("Jenis", lambda p: "Balikan" if p.kind == "return" else ("Lengkap" if p.full else "Perubahan")),
    Column("No. urut", lambda p: str(p.sequence), numeric=True),
    Column("Tanggal", lambda p: local_datetime(p.recorded_at)),
    Column("Baris", lambda p: counts_total(p.counts), numeric=True, tooltip=lambda p: counts_text(p.counts, sep="\n")),
    Column("Berkas", lambda p: p.file_name or "", tooltip=lambda p: p.file_name or ""),
    Column("SHA-256", lambda p: short_hash(p.sha256), tooltip=lambda p: p.sha256),
]


def _result(line: FileLine | PackageOutcome) -> ImportResult:
    outcome = line.outcome if isinstance(line, FileLine) else line
    assert outcome.result is not None
    return outcome.result


def _line_highlight(f: FileLine) -> str | None:
    if f.outcome.result is None:
        return "error"
    return "ok" if f.imported else None


class ConsolePanel(QWidget):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setSuffix(" hari")
        self.days.setValue(int(settings.get(ctx, "ekspor.pengingat_hari")))
        self.days.valueChanged.connect(lambda _v: self.refresh())
        days_label = QLabel("Tandai kecamatan tanpa paket &selama")
        days_label.setBuddy(self.days)
        top = QHBoxLayout()
        top.addWidget(days_label)
        top.addWidget(self.days)
        top.addStretch(1)
        self.summary = banner("info")
        self.model: RecordsTableModel[KecamatanStatus] = RecordsTableModel(
            console_columns(), highlight=self._highlight, parent=self
        )
        self.view = table_view(self.model, [70, 120, 95, 145, 165, 110, 90, 80, 125, 105, 70])
        self.duplicates_model: RecordsTableModel[DuplicateNik] = RecordsTableModel(DUPLICATE_COLUMNS, parent=self)
        self.duplicates_box = QGroupBox("NIK yang sama di dua kecamatan (periksa dengan kedua kecamatan)")
        dup_layout = QVBoxLayout(self.duplicates_box)
        dup_layout.addWidget(table_view(self.duplicates_model, [180, 200]))
        self.duplicates_box.setMaximumHeight(170)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.duplicates_box)
        self.console: status.Console | None = None

    def _highlight(self, k: KecamatanStatus) -> str | None:
        if k.gaps or len(k.installs) > 1:
            return "error"
        if k.overdue(self.days.value()):
            return "warning"
        return None

    @shows_failures
    def refresh(self) -> None:
        console = status.console(self._ctx, stale_days=self.days.value())
        self.console = console
        self.model.set_rows(console.kecamatan)
        self.duplicates_model.set_rows(console.duplicate_niks)
        self.duplicates_box.setVisible(bool(console.duplicate_niks))
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
        self.summary.setText(" ".join(parts))
        set_banner(self.summary, "error" if trouble else ("warning" if console.stale else "ok"))


class ImportPanel(QWidget):
    """Choose package files, dry run them all, then import the good ones for real."""

    imported = Signal()

    def __init__(self, ctx: ServiceContext, actor: Actor, tasks: TaskSlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self._tasks = tasks
        self.lines: list[FileLine] = []
        self.choose_action = add_action(self, "&Pilih paket…", self.choose_files, "Ctrl+O")
        self.apply_action = add_action(self, "&Impor sekarang", self.apply, "Ctrl+S")
        self.clear_action = add_action(self, "&Hapus daftar", self.clear)
        self.new_install = QCheckBox("PC kecamatan memang diganti (terima instalasi ba&ru)")
        buttons = QHBoxLayout()
        for action in (self.choose_action, self.apply_action, self.clear_action):
            buttons.addWidget(button_for(action))
        buttons.addWidget(self.new_install)
        buttons.addStretch(1)
        self.summary = banner("info")
        self.summary.setText(
            "Pilih satu atau beberapa paket dari flashdisk. Setiap paket diuji coba dulu (tidak ada yang diubah); "
            "setelah hasilnya diperiksa, tekan Impor sekarang. Setiap paket diimpor utuh atau tidak sama sekali."
        )
        self.files_model: RecordsTableModel[FileLine] = RecordsTableModel(
            FILE_COLUMNS, highlight=_line_highlight, parent=self
        )
        self.files_view = table_view(self.files_model, [210, 85, 70, 170, 60, 60, 60, 60, 65, 75])
        self.files_view.selectionModel().selectionChanged.connect(self._on_selection)
        self.tables_model: RecordsTableModel[TableLine] = RecordsTableModel(TABLE_COLUMNS, parent=self)
        self.tables_title = QLabel("Rincian per jenis data untuk paket yang dipilih:")
        self.tables_view = table_view(self.tables_model, [200, 70, 70, 70, 70, 70, 80], stretch=None)
        self.reason = banner("error")
        reason_page = QWidget()
        reason_layout = QVBoxLayout(reason_page)
        reason_layout.setContentsMargins(0, 0, 0, 0)
        reason_layout.addWidget(self.reason)
        reason_layout.addStretch(1)
        self.detail_pages = QStackedWidget()
        self.detail_pages.addWidget(self.tables_view)
        self.detail_pages.addWidget(reason_page)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.tables_title)
        detail_layout.addWidget(self.detail_pages, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.files_view)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 330])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        tasks.busy_changed.connect(lambda _b: self._sync_actions())
        self._sync_actions()

    def ready(self) -> list[FileLine]:
        return [f for f in self.lines if f.outcome.ok and not f.imported and not _result(f).already_imported]

    def _sync_actions(self) -> None:
        busy = self._tasks.busy
        self.choose_action.setEnabled(not busy)
        self.apply_action.setEnabled(not busy and bool(self.ready()))
        self.clear_action.setEnabled(not busy and bool(self.lines))
        self.new_install.setEnabled(not busy)

    def _set_lines(self, lines: list[FileLine]) -> None:
        self.lines = lines
        self.files_model.set_rows(lines)
        if lines:
            self.files_view.selectRow(0)
        else:
            self.tables_model.set_rows([])
        self._sync_actions()

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.files_view.selectionModel().selectedRows()
        line = self.files_model.row_at(rows[0].row()) if rows else None
        result = None if line is None else line.outcome.result
        refused = line is not None and result is None
        self.detail_pages.setCurrentIndex(1 if refused else 0)
        if line is not None and refused:
            self.tables_title.setText(f"{line.outcome.path.name} ditolak:")
            self.reason.setText(line.outcome.error or "")
        else:
            self.tables_title.setText("Rincian per jenis data untuk paket yang dipilih:")
        self.tables_model.set_rows(
            [] if result is None else [TableLine(TABLE_LABELS[name], c) for name, c in result.tables.items()]
        )

    def clear(self) -> None:
        self._set_lines([])

    def choose_files(self) -> None:
        if self._tasks.busy:
            return
        paths = common.ask_open_paths(self, "Pilih paket sinkronisasi dari kecamatan", PACKAGE_FILTER)
        if not paths:
            return
        # one batch, in the order of the names: the packages' own names (sinkron-KODE-NOMOR) put each
        # kecamatan's packages in sequence, so the dry run sees them as the import will
        paths = sorted(paths, key=lambda p: p.name)
        self._tasks.run(
            "Menguji paket (tidak ada data yang diubah)…",
            jobs.check_packages,
            self._ctx,
            self._actor,
            paths,
            self.new_install.isChecked(),
            on_done=self._on_checked,
        )

    def _on_checked(self, outcomes: object) -> None:
        assert isinstance(outcomes, list)
        self._set_lines([FileLine(o, False) for o in outcomes])
        ready = self.ready()
        refused = [f for f in self.lines if not f.outcome.ok]
        text = f"Uji coba selesai: {len(ready)} paket siap diimpor"
        text += f", {len(refused)} ditolak." if refused else "."
        text += " Belum ada data yang diubah."
        if ready:
            created = sum(_result(f).total("created") for f in ready)
            updated = sum(_result(f).total("updated") for f in ready)
            conflicts = sum(_result(f).total("conflicts") for f in ready)
            text += (
                f" Akan dibuat {format_number(created)}, diubah {format_number(updated)} baris"
                f"; konflik {format_number(conflicts)}. Tekan Impor sekarang untuk menyimpan."
            )
        self.summary.setText(text)
        set_banner(self.summary, "error" if refused else "info")
        if refused:
            messages.warn(
                self,
                "Paket berikut ditolak; tidak ada data yang diubah:\n\n"
                + "\n\n".join(f"{f.outcome.path.name}: {f.outcome.error}" for f in refused),
            )

    def apply(self) -> None:
        ready = self.ready()
        if not ready or self._tasks.busy:
            return
        offices = sorted({_result(f).office for f in ready})
        text = (
            f"Impor {len(ready)} paket dari {', '.join(offices)} sekarang?\n\n"
            "Setiap paket disimpan utuh atau tidak sama sekali; jika dibatalkan, tidak ada yang disimpan."
        )
        if self.new_install.isChecked():
            text += (
                "\n\nPERHATIAN: pilihan 'PC kecamatan memang diganti' aktif. Paket dari PC lama kecamatan itu "
                "tidak akan diterima lagi."
            )
        if not messages.confirm(self, text, yes="Impor"):
            return
        order = sorted(ready, key=lambda f: (_result(f).office, _result(f).sequence))
        self._tasks.run(
            "Mengimpor paket…",
            jobs.import_packages,
            self._ctx,
            self._actor,
            [f.outcome.path for f in order],
            self.new_install.isChecked(),
            on_done=self._on_imported,
        )

    def _on_imported(self, outcomes: object) -> None:
        assert isinstance(outcomes, list)
        done = {o.path: o for o in outcomes}
        lines = [
            FileLine(done[f.outcome.path], done[f.outcome.path].ok) if f.outcome.path in done else f for f in self.lines
        ]
        self._set_lines(lines)
        imported = [o for o in outcomes if o.ok]
        refused = [o for o in outcomes if not o.ok]
        text = f"{len(imported)} paket diimpor."
        if imported:
            text += (
                f" Baru {format_number(sum(_result(o).total('created') for o in imported))},"
                f" diubah {format_number(sum(_result(o).total('updated') for o in imported))},"
                f" dihapus {format_number(sum(_result(o).total('deleted') for o in imported))},"
                f" konflik {format_number(sum(_result(o).total('conflicts') for o in imported))}."
            )
        warnings = [w for o in imported for w in _result(o).warnings]
        self.summary.setText(text)
        set_banner(self.summary, "error" if refused else "ok")
        self.imported.emit()
        if refused:
            messages.warn(
                self,
                text
                + "\n\nPaket berikut ditolak; tidak ada datanya yang diubah:\n\n"
                + "\n\n".join(f"{o.path.name}: {o.error}" for o in refused),
            )
        else:
            messages.info(self, text + "".join(f"\n\nPerhatian: {w}" for w in warnings))


class ReturnPanel(QWidget):
    """A return package with the regency's corrections for one kecamatan, and every package sent or received."""

    def __init__(self, ctx: ServiceContext, actor: Actor, tasks: TaskSlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self._tasks = tasks
        self._folder: Path | None = None
        self.preview: ExportPreview | None = None
        self.kecamatan = QComboBox()
        self.kecamatan.setMinimumWidth(260)
        self.kecamatan.currentIndexChanged.connect(lambda _i: self.refresh_preview())
        to_label = QLabel("Kecamatan tu&juan:")
        to_label.setBuddy(self.kecamatan)
        self.export_action = add_action(self, "Buat &paket balikan…", self.export_return, "Ctrl+Shift+E")
        top = QHBoxLayout()
        top.addWidget(to_label)
        top.addWidget(self.kecamatan)
        top.addWidget(button_for(self.export_action))
        top.addStretch(1)
        self.preview_title = heading("")
        self.preview_note = QLabel(
            "Paket balikan berisi koreksi kabupaten untuk data kecamatan itu. Kecamatan meninjau setiap koreksi "
            "dan menerima atau menolaknya."
        )
        self.preview_note.setWordWrap(True)
        self.preview_model: RecordsTableModel[CountRow] = RecordsTableModel(COUNT_COLUMNS, parent=self)
        self.preview_view = table_view(self.preview_model, [300, 90], stretch=0)
        self.preview_view.setFixedWidth(420)
        self.preview_view.setMaximumHeight(170)
        box = QGroupBox("Paket balikan untuk satu kecamatan")
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(top)
        box_layout.addWidget(self.preview_title)
        box_layout.addWidget(self.preview_note)
        box_layout.addWidget(self.preview_view)
        self.history_model: RecordsTableModel[PackageRow] = RecordsTableModel(HISTORY_COLUMNS, parent=self)
        history = QGroupBox("Riwayat paket (diterima dan dikirim)")
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(table_view(self.history_model, [80, 80, 90, 70, 170, 70, 260]))
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(history, 1)
        tasks.busy_changed.connect(lambda _b: self._sync_actions())

    @shows_failures
    def refresh(self) -> None:
        current = self.kecamatan.currentData()
        peers = [p for p in keys.trusted_peers(self._ctx) if p.role == "kecamatan"]
        history = export.history(self._ctx)
        self.history_model.set_rows(history)
        offices = {p.office_code: p.name for p in peers}
        self.kecamatan.blockSignals(True)
        self.kecamatan.clear()
        for code, name in sorted(offices.items()):
            self.kecamatan.addItem(f"{code} {name}", code)
        index = self.kecamatan.findData(current)
        self.kecamatan.setCurrentIndex(index if index >= 0 else 0)
        self.kecamatan.blockSignals(False)
        self.refresh_preview()

    def refresh_preview(self) -> None:
        code = self.kecamatan.currentData()
        self.preview = None
        if code is None:
            self.preview_title.setText("Belum ada kunci kecamatan yang dipercaya (lihat tab Kunci kantor).")
            self.preview_model.set_rows([])
            self._sync_actions()
            return
        try:
            self.preview = export.preview(self._ctx, to=code)
        except UserError as exc:
            self.preview_title.setText(exc.message)
            self.preview_model.set_rows([])
        except EnvironmentProblem as exc:
            show_failure(self, exc)
        else:
            n = self.preview.total
            self.preview_title.setText(
                f"Paket balikan no. {self.preview.sequence} untuk {self.preview.recipient_name}: "
                + (f"{format_number(n)} koreksi" if n else "tidak ada koreksi baru")
            )
            self.preview_model.set_rows(preview_rows(self.preview))
        self._sync_actions()

    def _sync_actions(self) -> None:
        self.export_action.setEnabled(not self._tasks.busy and self.preview is not None and self.preview.total > 0)

    def export_return(self) -> None:
        preview = self.preview
        if preview is None or self._tasks.busy or preview.total == 0:
            return
        code = preview.recipient_office
        name = f"balikan-{code.replace('.', '')}-{preview.sequence:04d}.klsync"
        path = messages.ask_save_path(
            self, "Simpan paket balikan", PACKAGE_FILTER, (self._folder or Path.home()) / name
        )
        if path is None:
            return
        if path.suffix.lower() != ".klsync":
            path = path.with_name(path.name + ".klsync")
        self._folder = path.parent
        self._tasks.run(
            f"Membuat paket balikan untuk {code}…",
            jobs.export_package,
            self._ctx,
            self._actor,
            path,
            False,
            code,
            on_done=self._on_exported,
        )

    def _on_exported(self, result: object) -> None:
        assert isinstance(result, ExportResult)
        self.refresh()
        messages.info(
            self,
            f"Paket balikan no. {result.sequence} untuk {result.recipient_office} disimpan ke {result.path.name} "
            f"({format_number(sum(result.counts.values()))} koreksi).",
        )


class RegencySyncPanel(QWidget):
    def __init__(self, ctx: ServiceContext, actor: Actor, tasks: TaskSlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = ConsolePanel(ctx)
        self.importer = ImportPanel(ctx, actor, tasks)
        self.importer.imported.connect(self.refresh)
        self.review = ConflictReviewPanel(ctx, actor, regency=True)
        self.review.decided.connect(self.refresh)
        self.returns = ReturnPanel(ctx, actor, tasks)
        self.keys = KeysPanel(ctx, actor, regency=True)
        self.keys.trusted_changed.connect(self.refresh)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.console, "K&onsol kecamatan")
        self.tabs.addTab(self.importer, "Impor p&aket")
        self.tabs.addTab(self.review, "Tinjau &konflik")
        self.tabs.addTab(self.returns, "Paket ba&likan")
        self.tabs.addTab(self.keys, "K&unci kantor")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        self.console.refresh()
        self.review.refresh()
        self.returns.refresh()
        self.keys.refresh()
        n = self.review.open_count()
        self.tabs.setTabText(self.tabs.indexOf(self.review), "Tinjau &konflik" + (f" ({n})" if n else ""))
