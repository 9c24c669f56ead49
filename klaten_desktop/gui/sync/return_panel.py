"""The regency's return package with its corrections for one kecamatan, and every package sent or received (the
state and the service calls are ``regency_presenter.ReturnPresenter``)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shown, shows_failures
from klaten_desktop.gui.kit.layout import add_action, button_for
from klaten_desktop.gui.kit.rows_table import Column, RecordsTableModel
from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.gui.sync.common import PACKAGE_FILTER, bind_busy, heading, run_job, table_view
from klaten_desktop.gui.sync.kecamatan import COUNT_COLUMNS
from klaten_desktop.gui.sync.kecamatan_presenter import CountRow, preview_rows
from klaten_desktop.gui.sync.regency_presenter import ReturnPresenter
from klaten_desktop.gui.sync.texts import counts_text, counts_total, local_datetime, short_hash
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.sync.export import ExportPreview, ExportResult, PackageRow

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


class ReturnPanel(QWidget):
    """A return package with the regency's corrections for one kecamatan, and every package sent or received."""

    def __init__(self, ctx: ServiceContext, actor: Actor, tasks: TaskSlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = ReturnPresenter(ctx, actor)
        self._tasks = tasks
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
        bind_busy(tasks, self.presenter, self._sync_actions)

    @property
    def preview(self) -> ExportPreview | None:
        return self.presenter.preview

    @shows_failures
    def refresh(self) -> None:
        current = self.kecamatan.currentData()
        offices = self.presenter.offices()
        self.history_model.set_rows(self.presenter.history())
        self.kecamatan.blockSignals(True)
        self.kecamatan.clear()
        for code, name in offices:
            self.kecamatan.addItem(f"{code} {name}", code)
        index = self.kecamatan.findData(current)
        self.kecamatan.setCurrentIndex(index if index >= 0 else 0)
        self.kecamatan.blockSignals(False)
        self.refresh_preview()

    def refresh_preview(self) -> None:
        with shown(self, inline=self._show_unavailable) as failed:
            preview = self.presenter.load_preview(self.kecamatan.currentData())
        if not failed:
            self.preview_title.setText(self.presenter.preview_title())
            self.preview_model.set_rows([] if preview is None else preview_rows(preview))
        self._sync_actions()

    def _show_unavailable(self, exc: UserError) -> bool:
        """No return package can go to this kecamatan: say why in the title."""
        self.preview_title.setText(exc.message)
        self.preview_model.set_rows([])
        return True

    def _sync_actions(self) -> None:
        self.export_action.setEnabled(self.presenter.actions().export)

    def export_return(self) -> None:
        presenter = self.presenter
        if not presenter.actions().export:
            return
        path = messages.ask_save_path(self, "Simpan paket balikan", PACKAGE_FILTER, presenter.suggested_path())
        if path is None:
            return
        run_job(self._tasks, presenter, presenter.export_job(path), on_done=self._on_exported, sync=self._sync_actions)

    def _on_exported(self, result: object) -> None:
        assert isinstance(result, ExportResult)
        self.refresh()
        messages.info(self, self.presenter.exported_message(result))
