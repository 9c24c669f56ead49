"""Ekspor: the registry (all or one desa) to .xlsx/.csv; the BPJS collective-registration list with chosen columns."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.domain.enums import CoverageStatus
from klaten_desktop.domain.formatting import format_number
from klaten_desktop.gui.import_export.desa_choices import DesaChoice
from klaten_desktop.gui.import_export.jobs import export_list
from klaten_desktop.gui.kit import messages, ui_settings
from klaten_desktop.gui.kit.name_search import search_names
from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.services import exports
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.exports import BPJS_COLUMNS, EXPORT_COLUMNS, REGISTRY_COLUMNS

SAVE_FILTERS = "Lembar kerja Excel (*.xlsx);;CSV untuk Excel (*.csv)"
KEY_ROLE = Qt.ItemDataRole.UserRole
#: The BPJS list's columns as last exported on this PC (keys, in order, comma-separated).
COLUMNS_KEY = "ekspor/kolom_bpjs"


def _remembered_columns() -> list[str] | None:
    settings = ui_settings.current()
    text = settings.value(COLUMNS_KEY) if settings is not None else ""
    keys = [k for k in text.split(",") if k in EXPORT_COLUMNS]
    return keys or None


class ExportPanel(QWidget):
    def __init__(
        self,
        ctx: ServiceContext,
        actor: Actor,
        desa: list[DesaChoice],
        area: str,
        tasks: TaskSlot,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor  # who exports (audited)
        self._tasks = tasks
        self._area = area  # "Kecamatan Prambanan" or "Kabupaten Klaten"
        self._folder: Path | None = None
        top = self._build_area_row(desa)
        self.registry_box = self._build_registry_box()
        self.bpjs_box = self._build_bpjs_box()
        boxes = QHBoxLayout()
        boxes.addWidget(self.registry_box, 2)
        boxes.addWidget(self.bpjs_box, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addLayout(boxes, 1)
        for first, second in pairwise(
            [self.desa_combo, self.nik_combo, self.registry_button, self.include_registered, self.columns,
             self.all_button, self.default_button, self.bpjs_button]
        ):  # fmt: skip
            QWidget.setTabOrder(first, second)

        self.registry_button.clicked.connect(self.export_registry)
        self.bpjs_button.clicked.connect(self.export_bpjs)
        self.all_button.clicked.connect(self.check_all)
        self.default_button.clicked.connect(lambda: self.reset_columns())
        self.columns.itemChanged.connect(lambda _item: self._update_buttons())
        self.desa_combo.currentIndexChanged.connect(lambda _i: self.show_summary())
        self._store = store_for(ctx)
        self._store.loaded.connect(self.show_summary)
        tasks.busy_changed.connect(lambda _busy: self._update_buttons())
        self.reset_columns(_remembered_columns())

    def _build_area_row(self, desa: list[DesaChoice]) -> QHBoxLayout:
        self.desa_combo = search_names(QComboBox())
        self.desa_combo.addItem(f"Semua desa ({self._area})", "")
        for d in desa:
            self.desa_combo.addItem(d.label, d.kode)
        self.desa_combo.setMinimumContentsLength(26)
        desa_label = QLabel("&Wilayah:")
        desa_label.setBuddy(self.desa_combo)
        # the NIK in the file: whole (the BPJS branch, re-import; audited), masked, or none (lists for a desa)
        self.nik_combo = QComboBox()
        for mode, text in exports.NIK_MODES.items():
            self.nik_combo.addItem(text, mode)
        self.nik_combo.setAccessibleName("NIK dalam berkas")
        self.nik_combo.setToolTip(
            "NIK lengkap untuk kantor cabang BPJS dan untuk diimpor kembali (dicatat di log audit); tersamar atau "
            "tanpa NIK untuk daftar yang dikirim ke desa atau diumumkan"
        )
        nik_label = QLabel("N&IK:")
        nik_label.setBuddy(self.nik_combo)
        top = QHBoxLayout()
        top.addWidget(desa_label)
        top.addWidget(self.desa_combo)
        top.addSpacing(16)
        top.addWidget(nik_label)
        top.addWidget(self.nik_combo)
        top.addStretch(1)
        return top

    def _build_registry_box(self) -> QGroupBox:
        """The registry: every column of the serving officials."""
        self.registry_button = QPushButton("Ekspor daftar &pengurus…")
        self.registry_button.setToolTip("Semua kolom data pengurus yang sedang menjabat, ke .xlsx atau .csv")
        registry_text = QLabel(
            "Semua pengurus RT/RW yang sedang menjabat dengan seluruh kolom datanya, status kepesertaan, nomor KPJ "
            "dan iuran terakhir. NIK dan nomor HP disimpan sebagai teks, tanggal sebagai tanggal.\n\n"
            "Berkas .xlsx ini dapat diperbaiki lalu diimpor kembali; data yang tidak diubah tetap sama."
        )
        registry_text.setWordWrap(True)
        registry_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary = QLabel()  # two short lines, not word-wrapped (a wrapped label is clipped in this layout)
        self.summary.setStyleSheet("font-weight: 600;")
        box = QGroupBox("Daftar pengurus lengkap")
        layout = QVBoxLayout(box)
        layout.addWidget(registry_text)
        layout.addSpacing(8)
        layout.addWidget(self.summary)
        layout.addSpacing(8)
        layout.addWidget(self.registry_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return box

    def _build_bpjs_box(self) -> QGroupBox:
        """The BPJS collective-registration list, with the columns the branch office asks for."""
        bpjs_text = QLabel(
            "Daftar untuk pendaftaran kolektif peserta Bukan Penerima Upah di kantor cabang BPJS Ketenagakerjaan. "
            "Centang kolom yang diminta kantor cabang; seret untuk mengubah urutannya."
        )
        bpjs_text.setWordWrap(True)
        self.include_registered = QCheckBox("Sertakan pengurus yang sudah terd&aftar")
        self.columns = QListWidget()
        self.columns.setAccessibleName("Kolom daftar BPJS")
        self.columns.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.columns.setDefaultDropAction(Qt.DropAction.MoveAction)
        columns_label = QLabel("&Kolom:")
        columns_label.setBuddy(self.columns)
        self.all_button = QPushButton("Pilih se&mua")
        self.default_button = QPushButton("Kembalikan &susunan awal")
        self.bpjs_button = QPushButton("Ekspor daftar k&olektif BPJS…")
        self.bpjs_button.setToolTip("Pengurus yang belum terdaftar, dengan kolom yang dicentang, ke .xlsx atau .csv")
        column_buttons = QHBoxLayout()
        column_buttons.addWidget(self.all_button)
        column_buttons.addWidget(self.default_button)
        column_buttons.addStretch(1)
        box = QGroupBox("Daftar pendaftaran kolektif BPJS Ketenagakerjaan")
        layout = QVBoxLayout(box)
        layout.addWidget(bpjs_text)
        layout.addWidget(self.include_registered)
        layout.addWidget(columns_label)
        layout.addWidget(self.columns, 1)
        layout.addLayout(column_buttons)
        layout.addWidget(self.bpjs_button, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    def show_summary(self) -> None:
        """How many officials the chosen area holds, from the list the main window keeps loaded."""
        rows = self._store.rows()
        if rows is None:
            self._store.ensure_loaded()
            self.summary.setText("Menghitung jumlah pengurus…")
            return
        kode = self.desa_kode()
        where = {"term_status": "menjabat"} if kode is None else {"term_status": "menjabat", "desa_kode": kode}
        serving = len(rows.matching(**where))  # by the list's column codes (100,000 rows: no row made)
        unregistered = len(rows.matching(**where, status=CoverageStatus.belum_terdaftar.value))
        self.summary.setText(
            f"{self._where()}: {format_number(serving)} pengurus menjabat,\n"
            f"{format_number(unregistered)} di antaranya belum terdaftar BPJS Ketenagakerjaan."
        )

    # ------------------------------------------------------------------------------ columns

    def reset_columns(self, checked: Sequence[str] | None = None) -> None:
        """``checked`` (default: the BPJS columns) first and checked, in that order, then the other export
        columns, unchecked."""
        chosen = list(checked) if checked else list(BPJS_COLUMNS)
        self.columns.blockSignals(True)
        self.columns.clear()
        order = [*chosen, *(k for k in EXPORT_COLUMNS if k not in chosen)]
        for key in order:
            item = QListWidgetItem(EXPORT_COLUMNS[key].label)
            item.setData(KEY_ROLE, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
            item.setCheckState(Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked)
            self.columns.addItem(item)
        self.columns.blockSignals(False)
        self._update_buttons()

    def check_all(self) -> None:
        for n in range(self.columns.count()):
            self.columns.item(n).setCheckState(Qt.CheckState.Checked)

    def chosen_columns(self) -> list[str]:
        """The keys of the checked columns, in the order shown."""
        items = [self.columns.item(n) for n in range(self.columns.count())]
        return [str(i.data(KEY_ROLE)) for i in items if i.checkState() == Qt.CheckState.Checked]

    def desa_kode(self) -> str | None:
        return str(self.desa_combo.currentData() or "") or None

    def _update_buttons(self) -> None:
        busy = self._tasks.busy
        self.registry_button.setEnabled(not busy)
        self.bpjs_button.setEnabled(not busy and bool(self.chosen_columns()))
        self.bpjs_button.setToolTip(
            "Pengurus yang belum terdaftar, dengan kolom yang dicentang, ke .xlsx atau .csv"
            if self.chosen_columns()
            else "Centang paling sedikit satu kolom"
        )

    # ------------------------------------------------------------------------------ exporting

    def _where(self) -> str:
        return self.desa_combo.currentText() if self.desa_kode() is not None else self._area

    def export_registry(self) -> None:
        self._export(f"Daftar pengurus RT RW - {self._where()}", REGISTRY_COLUMNS, only_unregistered=False)

    def export_bpjs(self) -> None:
        columns = self.chosen_columns()
        if not columns:
            messages.warn(self, "Centang paling sedikit satu kolom untuk daftar BPJS.")
            return
        only_unregistered = not self.include_registered.isChecked()
        settings = ui_settings.current()
        if settings is not None:  # the branch asks for the same columns next time
            settings.set_value(COLUMNS_KEY, ",".join(columns))
        self._export(f"Daftar kolektif BPJS - {self._where()}", columns, only_unregistered=only_unregistered)

    def _export(self, name: str, columns: list[str] | tuple[str, ...], *, only_unregistered: bool) -> None:
        if self._tasks.busy:
            return
        suggested = (self._folder or Path.home()) / f"{name}.xlsx"
        path = messages.ask_save_path(self, "Simpan hasil ekspor", SAVE_FILTERS, suggested)
        if path is None:
            return
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_name(path.name + ".xlsx")
        self._folder = path.parent

        def done(count: object) -> None:
            if count == 0:
                what = "pengurus yang belum terdaftar" if only_unregistered else "pengurus yang sedang menjabat"
                text = f"Tidak ada {what} di {self._where()}; berkas {path.name} hanya berisi judul kolom."
            else:
                text = f"{count} pengurus diekspor ke {path.name}."
            messages.info(self, text, title="Ekspor selesai")

        self._tasks.run(
            f"Mengekspor ke {path.name}…",
            export_list,
            self._ctx,
            self._actor,
            path,
            tuple(columns),
            self.desa_kode(),
            only_unregistered,
            str(self.nik_combo.currentData()),
            on_done=done,
        )
