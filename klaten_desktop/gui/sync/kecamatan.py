"""Sinkronisasi at a kecamatan: what the next package holds, making it, packages sent, corrections coming back.
The state and the service calls are in ``kecamatan_presenter.py``; this view lays out and binds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from klaten_desktop.domain.formatting import format_number
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shown, shows_failures
from klaten_desktop.gui.kit.layout import add_action, button_for
from klaten_desktop.gui.kit.rows_table import Column, RecordsTableModel
from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.gui.sync.common import PACKAGE_FILTER, banner, bind_busy, heading, run_job, set_banner, table_view
from klaten_desktop.gui.sync.kecamatan_presenter import (
    EMPTY_PACKAGE_QUESTION,
    UNAVAILABLE_TITLE,
    CountRow,
    KecamatanPresenter,
    preview_rows,
)
from klaten_desktop.gui.sync.keys_panel import KeysPanel
from klaten_desktop.gui.sync.review import ConflictReviewPanel
from klaten_desktop.gui.sync.texts import counts_text, counts_total, local_datetime, short_hash
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.office import OfficeData
from klaten_desktop.services.sync.export import ExportPreview, ExportResult, PackageRow
from klaten_desktop.services.sync.importer import ImportResult

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


class KecamatanSyncPanel(QWidget):
    def __init__(
        self, ctx: ServiceContext, actor: Actor, office: OfficeData, tasks: TaskSlot, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.presenter = KecamatanPresenter(ctx, actor, office)
        self._tasks = tasks
        self.reminder = banner("warning")
        self.reminder.hide()
        self.send_tab = self._send_tab()
        self.corrections_tab = self._corrections_tab(ctx, actor)
        self.keys = KeysPanel(ctx, actor, regency=False)
        self.keys.trusted_changed.connect(self.refresh)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.send_tab, "&Kirim ke kabupaten")
        self.tabs.addTab(self.corrections_tab, "Koreksi dari kabu&paten")
        self.tabs.addTab(self.keys, "K&unci kantor")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.reminder)
        layout.addWidget(self.tabs, 1)
        bind_busy(tasks, self.presenter, self._sync_actions)

    def _send_tab(self) -> QWidget:
        """Tab 1: what the next package holds, making it, the packages sent."""
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
        side = QVBoxLayout()
        side.addWidget(self.preview_note)
        side.addWidget(self.full_check)
        side.addWidget(button_for(self.export_action), 0, Qt.AlignmentFlag.AlignLeft)
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
        self.sent_view.selectionModel().selectionChanged.connect(lambda *_: self._sync_actions())
        self.no_sent = QLabel("Belum ada paket yang dikirim.")
        self.reissue_action = add_action(self, "Terbitkan ulan&g paket terpilih…", self.reissue_package)
        sent_box = QGroupBox("Riwayat paket yang dikirim")
        sent_layout = QVBoxLayout(sent_box)
        sent_layout.addWidget(self.no_sent)
        sent_layout.addWidget(self.sent_view)
        sent_layout.addWidget(button_for(self.reissue_action), 0, Qt.AlignmentFlag.AlignLeft)

        send = QWidget()
        send_layout = QVBoxLayout(send)
        send_layout.addWidget(preview_box)
        send_layout.addWidget(sent_box, 1)
        return send

    def _corrections_tab(self, ctx: ServiceContext, actor: Actor) -> QWidget:
        """Tab 2: the return package with the regency's corrections, and their review."""
        self.import_return_action = add_action(self, "&Impor paket balikan…", self.import_return)
        self.review = ConflictReviewPanel(ctx, actor, regency=False)
        self.review.decided.connect(self.refresh)  # a decision changes what the next package holds
        review_layout = self.review.layout()
        if review_layout is not None:
            review_layout.setContentsMargins(0, 0, 0, 0)
        corrections = QWidget()
        corrections_layout = QVBoxLayout(corrections)
        top = QHBoxLayout()
        top.addWidget(button_for(self.import_return_action))
        self.last_return = QLabel()
        top.addWidget(self.last_return, 1)
        corrections_layout.addLayout(top)
        corrections_layout.addWidget(self.review, 1)
        return corrections

    @property
    def preview(self) -> ExportPreview | None:
        return self.presenter.preview

    # ------------------------------------------------------------------------------ data

    @shows_failures
    def refresh(self) -> None:
        self.keys.refresh()
        self.review.refresh()
        self.refresh_preview()
        packages = self.presenter.packages()
        self.sent_model.set_rows(packages.sent)
        self.sent_view.setVisible(bool(packages.sent))
        self.no_sent.setVisible(not packages.sent)
        remind = packages.reminder
        self.reminder.setVisible(remind.due)
        if remind.due and remind.message:
            self.reminder.setText(f"<b>Pengingat:</b> {remind.message}")
        self.last_return.setText(packages.last_return)
        tab = self.tabs.indexOf(self.corrections_tab)
        n = self.review.open_count()
        self.tabs.setTabText(tab, "Koreksi dari kabu&paten" + (f" ({n})" if n else ""))

    def refresh_preview(self) -> None:
        with shown(self, inline=self._show_unavailable) as failed:
            preview = self.presenter.load_preview(full=self.full_check.isChecked())
        if failed:
            return
        self.preview_title.setText(self.presenter.preview_title(preview))
        self.preview_note.setText(self.presenter.preview_note(preview))
        set_banner(self.preview_note, "info")
        self.preview_model.set_rows(preview_rows(preview))
        self.preview_view.show()
        self._sync_actions()

    def _show_unavailable(self, exc: UserError) -> bool:
        """No package can be made yet: say why where the preview would be."""
        self.presenter.preview_unavailable()
        self.preview_title.setText(UNAVAILABLE_TITLE)
        self.preview_note.setText(exc.message)
        set_banner(self.preview_note, "error")
        self.preview_model.set_rows([])
        self.preview_view.hide()
        self._sync_actions()
        return True

    def selected_package(self) -> PackageRow | None:
        rows = self.sent_view.selectionModel().selectedRows()
        return self.sent_model.row_at(rows[0].row()) if rows else None

    def _sync_actions(self) -> None:
        enabled = self.presenter.actions(self.selected_package())
        self.export_action.setEnabled(enabled.export)
        self.import_return_action.setEnabled(enabled.import_return)
        self.full_check.setEnabled(enabled.full_package)
        self.reissue_action.setEnabled(enabled.reissue)

    # ------------------------------------------------------------------------------ actions

    def export_package(self) -> None:
        presenter = self.presenter
        if not presenter.actions().export:
            return
        if presenter.asks_before_empty() and not messages.confirm(self, EMPTY_PACKAGE_QUESTION, yes="Buat paket"):
            return
        path = messages.ask_save_path(
            self, "Simpan paket sinkronisasi (misalnya di flashdisk)", PACKAGE_FILTER, presenter.suggested_path()
        )
        if path is None:
            return
        run_job(self._tasks, presenter, presenter.export_job(path), on_done=self._on_exported, sync=self._sync_actions)

    def _on_exported(self, result: object) -> None:
        assert isinstance(result, ExportResult)
        self.full_check.setChecked(False)
        self.refresh()
        messages.info(self, self.presenter.exported_message(result))

    @shows_failures
    def reissue_package(self) -> None:
        row = self.selected_package()
        presenter = self.presenter
        if row is None or not presenter.actions(row).reissue:
            return
        if not messages.confirm(self, presenter.reissue_question(row), yes="Terbitkan ulang"):
            return
        path = messages.ask_save_path(
            self, "Simpan paket terbitan ulang", PACKAGE_FILTER, presenter.reissue_suggested_path(row)
        )
        if path is None:
            return
        result = presenter.reissue(row, path)
        messages.info(self, presenter.reissued_message(result))

    def import_return(self) -> None:
        if not self.presenter.actions().import_return:
            return
        path = messages.ask_open_path(self, "Pilih paket balikan dari kabupaten", PACKAGE_FILTER)
        if path is None:
            return
        job = self.presenter.import_return_job(path)
        run_job(self._tasks, self.presenter, job, on_done=self._on_return_imported, sync=self._sync_actions)

    def _on_return_imported(self, result: object) -> None:
        assert isinstance(result, ImportResult)
        self.tabs.setCurrentIndex(1)
        self.refresh()
        messages.info(self, self.presenter.return_imported_message(result))
