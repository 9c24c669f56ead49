"""Sinkronisasi at a kecamatan: what the next package holds, making it, packages sent, corrections coming back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from klaten_desktop.domain.formatting import format_number
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import show_failure, shows_failures
from klaten_desktop.gui.kit.layout import add_action, button_for
from klaten_desktop.gui.kit.rows_table import Column, RecordsTableModel
from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.gui.sync import jobs
from klaten_desktop.gui.sync.common import (
    PACKAGE_FILTER,
    banner,
    counts_text,
    counts_total,
    heading,
    local_datetime,
    set_banner,
    short_hash,
    table_view,
)
from klaten_desktop.gui.sync.keys_panel import KeysPanel
from klaten_desktop.gui.sync.review import ConflictReviewPanel
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.office import OfficeData
from klaten_desktop.services.sync import export
from klaten_desktop.services.sync.export import ExportPreview, ExportResult, PackageRow
from klaten_desktop.services.sync.importer import ImportResult
from klaten_desktop.services.sync.tables import TABLE_LABELS


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int


COUNT_COLUMNS: list[Column[CountRow]] = [
    Column("Jenis data", lambda r: r.label),
    Column("Baris", lambda r: format_number(r.count), numeric=True),
]
SENT_COLUMNS: list[Column[PackageRow]] = [
    Column("No. urut", lambda p: str(p.sequence), numeric=True),
    Column("Tanggal", lambda p: local_datetime(p.recorded_at)),
    Column("Jenis", lambda p: "Lengkap" if p.full else "Perubahan"),
    Column("Baris", lambda p: counts_total(p.counts), numeric=True, tooltip=lambda p: counts_text(p.counts, sep="\n")),
    Column("Isi", lambda p: counts_text(p.counts), tooltip=lambda p: counts_text(p.counts, sep="\n")),
    Column("Berkas", lambda p: p.file_name or "", tooltip=lambda p: p.file_name or ""),
    Column("SHA-256", lambda p: short_hash(p.sha256), tooltip=lambda p: p.sha256),
]


def preview_rows(preview: ExportPreview) -> list[CountRow]:
    rows = [CountRow(label, preview.counts.get(name, 0)) for name, label in TABLE_LABELS.items()]
    return [r for r in rows if r.count] or [CountRow("Tidak ada perubahan sejak paket terakhir", 0)]


class KecamatanSyncPanel(QWidget):
    def __init__(
        self, ctx: ServiceContext, actor: Actor, office: OfficeData, tasks: TaskSlot, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self._office = office
        self._tasks = tasks
        self._folder: Path | None = None
        self.preview: ExportPreview | None = None

        self.reminder = banner("warning")
        self.reminder.hide()

        # --- tab 1: send
        self.preview_title = heading("")
        self.preview_title.setWordWrap(True)
        self.preview_note = QLabel()
        self.preview_note.setWordWrap(True)
        self.preview_model: RecordsTableModel[CountRow] = RecordsTableModel(COUNT_COLUMNS, parent=self)
        self.preview_view = table_view(self.preview_model, [300, 90], stretch=0)
        self.preview_view.setFixedWidth(420)
        self.preview_view.setMaximumHeight(230)
        self.full_check = QCheckBox("Kirim semua data (paket &lengkap, bila paket sebelumnya hilang)")
        self.full_check.toggled.connect(lambda _on: self.refresh_preview())
        self.export_action = add_action(self, "Buat paket &sinkronisasi…", self.export_package, "Ctrl+Shift+E")
        export_button = button_for(self.export_action)
        side = QVBoxLayout()
        side.addWidget(self.preview_note)
        side.addWidget(self.full_check)
        side.addWidget(export_button, 0, Qt.AlignmentFlag.AlignLeft)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.preview_view)
        body.addLayout(side, 1)
        preview_box = QGroupBox("Yang akan dikirim ke kabupaten")
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.preview_title)
        preview_layout.addLayout(body)

        self.sent_model: RecordsTableModel[PackageRow] = RecordsTableModel(SENT_COLUMNS, parent=self)
        self.sent_view = table_view(self.sent_model, [70, 170, 90, 70, 330, 240], stretch=4)
        self.no_sent = QLabel("Belum ada paket yang dikirim.")
        sent_box = QGroupBox("Riwayat paket yang dikirim")
        sent_layout = QVBoxLayout(sent_box)
        sent_layout.addWidget(self.no_sent)
        sent_layout.addWidget(self.sent_view)

        self.send_tab = send = QWidget()
        send_layout = QVBoxLayout(send)
        send_layout.addWidget(preview_box)
        send_layout.addWidget(sent_box, 1)

        # --- tab 2: corrections from the regency
        self.import_return_action = add_action(self, "&Impor paket balikan…", self.import_return)
        self.review = ConflictReviewPanel(ctx, actor, regency=False)
        self.review.decided.connect(self.refresh)  # a decision changes what the next package holds
        review_layout = self.review.layout()
        if review_layout is not None:
            review_layout.setContentsMargins(0, 0, 0, 0)
        self.corrections_tab = corrections = QWidget()
        corrections_layout = QVBoxLayout(corrections)
        top = QHBoxLayout()
        top.addWidget(button_for(self.import_return_action))
        self.last_return = QLabel()
        top.addWidget(self.last_return, 1)
        corrections_layout.addLayout(top)
        corrections_layout.addWidget(self.review, 1)

        # --- tab 3: keys
        self.keys = KeysPanel(ctx, actor, regency=False)
        self.keys.trusted_changed.connect(self.refresh)

        self.tabs = QTabWidget()
        self.tabs.addTab(send, "&Kirim ke kabupaten")
        self.tabs.addTab(corrections, "Koreksi dari kabu&paten")
        self.tabs.addTab(self.keys, "K&unci kantor")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.reminder)
        layout.addWidget(self.tabs, 1)
        tasks.busy_changed.connect(self._on_busy)

    # ------------------------------------------------------------------------------ data

    @shows_failures
    def refresh(self) -> None:
        self.keys.refresh()
        self.review.refresh()
        self.refresh_preview()
        sent = export.history(self._ctx, direction="sent")
        received = export.history(self._ctx, direction="received")
        remind = export.reminder(self._ctx)
        self.sent_model.set_rows(sent)
        self.sent_view.setVisible(bool(sent))
        self.no_sent.setVisible(not sent)
        self.reminder.setVisible(remind.due)
        if remind.due and remind.message:
            self.reminder.setText(f"<b>Pengingat:</b> {remind.message}")
        if received:
            last = received[0]
            self.last_return.setText(
                f"Paket balikan terakhir: no. {last.sequence}, diimpor {local_datetime(last.recorded_at)}."
            )
        else:
            self.last_return.setText("Belum ada paket balikan dari kabupaten.")
        tab = self.tabs.indexOf(self.corrections_tab)
        n = self.review.open_count()
        self.tabs.setTabText(tab, "Koreksi dari kabu&paten" + (f" ({n})" if n else ""))

    def refresh_preview(self) -> None:
        try:
            preview = export.preview(self._ctx, full=self.full_check.isChecked())
        except UserError as exc:
            self.preview = None
            self.preview_title.setText("Paket belum dapat dibuat")
            self.preview_note.setText(exc.message)
            set_banner(self.preview_note, "error")
            self.preview_model.set_rows([])
            self.preview_view.hide()
            self._on_busy(self._tasks.busy)
            return
        except EnvironmentProblem as exc:
            show_failure(self, exc)
            return
        self.preview = preview
        kind = "lengkap" if preview.full else "perubahan"
        self.preview_title.setText(
            f"Paket no. {preview.sequence} ({kind}) untuk {preview.recipient_name}: "
            f"{format_number(preview.total)} baris"
        )
        note = "Data yang dihapus ikut terkirim sebagai tanda hapus"
        note += f" ({format_number(preview.deleted)} baris)." if preview.deleted else " (tidak ada saat ini)."
        note += " Isi paket disandikan: hanya kantor kabupaten yang dapat membukanya."
        self.preview_note.setText(note)
        set_banner(self.preview_note, "info")
        self.preview_model.set_rows(preview_rows(preview))
        self.preview_view.show()
        self._on_busy(self._tasks.busy)

    def _on_busy(self, busy: bool) -> None:
        self.export_action.setEnabled(not busy and self.preview is not None)
        self.import_return_action.setEnabled(not busy)
        self.full_check.setEnabled(not busy)

    # ------------------------------------------------------------------------------ actions

    def export_package(self) -> None:
        if self.preview is None or self._tasks.busy:
            return
        preview = self.preview
        if (
            preview.total == 0
            and not preview.full
            and not messages.confirm(
                self,
                "Tidak ada perubahan sejak paket terakhir. Tetap buat paket kosong (agar kabupaten tahu "
                "kecamatan ini masih aktif)?",
                yes="Buat paket",
            )
        ):
            return
        code = self._office.office_code.replace(".", "")
        name = f"sinkron-{code}-{preview.sequence:04d}{'-lengkap' if preview.full else ''}.klsync"
        suggested = (self._folder or Path.home()) / name
        path = messages.ask_save_path(
            self, "Simpan paket sinkronisasi (misalnya di flashdisk)", PACKAGE_FILTER, suggested
        )
        if path is None:
            return
        if path.suffix.lower() != ".klsync":
            path = path.with_name(path.name + ".klsync")
        self._folder = path.parent
        self._tasks.run(
            f"Membuat paket sinkronisasi no. {preview.sequence}…",
            jobs.export_package,
            self._ctx,
            self._actor,
            path,
            preview.full,
            None,
            on_done=self._on_exported,
        )

    def _on_exported(self, result: object) -> None:
        assert isinstance(result, ExportResult)
        self.full_check.setChecked(False)
        self.refresh()
        messages.info(
            self,
            f"Paket no. {result.sequence} disimpan ke {result.path.name} "
            f"({format_number(sum(result.counts.values()))} baris).\n\n"
            "Bawa berkas ini ke kantor kabupaten. Isinya tersandi, aman bila flashdisk hilang.",
        )

    def import_return(self) -> None:
        if self._tasks.busy:
            return
        path = messages.ask_open_path(self, "Pilih paket balikan dari kabupaten", PACKAGE_FILTER)
        if path is None:
            return
        self._tasks.run(
            "Membaca paket balikan…",
            jobs.import_return_package,
            self._ctx,
            self._actor,
            path,
            on_done=self._on_return_imported,
            cancellable=False,
        )

    def _on_return_imported(self, result: object) -> None:
        assert isinstance(result, ImportResult)
        self.tabs.setCurrentIndex(1)
        self.refresh()
        if result.already_imported:
            messages.info(self, f"Paket balikan no. {result.sequence} sudah pernah diimpor; tidak ada yang berubah.")
            return
        n = result.total("conflicts")
        text = f"Paket balikan no. {result.sequence} diimpor: {format_number(n)} koreksi menunggu keputusan."
        for warning in result.warnings:
            text += f"\n\nPerhatian: {warning}"
        messages.info(self, text)
