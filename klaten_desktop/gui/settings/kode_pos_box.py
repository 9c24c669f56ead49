"""The kode pos of each desa/kelurahan of the office's area (``services.kode_pos``), filled into the BPJS list: a
box of the Sinkronisasi tab (data that leaves the office). Type in the "Kode pos" column; Enter (or "Simpan kode
pos") saves the changed rows, Esc reloads; an empty cell means unknown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.settings.common import (
    assign_mnemonics,
    clear_issue,
    handle_keys,
    hint_label,
    issue_label,
)
from klaten_desktop.gui.settings.common import show_issue as show_issue_label
from klaten_desktop.services import kode_pos
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError

COLUMNS = ("Kode desa", "Desa/Kelurahan", "Kecamatan", "Kode pos")
CODE_COLUMN = 3


class KodePosBox(QGroupBox):
    def __init__(self, ctx: ServiceContext, actor: Actor, used: set[str]) -> None:
        super().__init__("Kode pos desa/kelurahan (daftar pendaftaran untuk BPJS)")
        self._ctx, self._actor = ctx, actor
        self._rows: list[kode_pos.KodePosRow] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.table.setAccessibleName("Kode pos desa/kelurahan")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table_label = QLabel("Kode pos per desa")
        self.table_label.setBuddy(self.table)
        self.save_button = QPushButton("Simpan kode pos")
        self.save_button.clicked.connect(self.save)
        self.issue = issue_label()
        top = QHBoxLayout()
        top.addWidget(self.table_label)
        top.addStretch(1)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.issue)
        layout.addWidget(
            hint_label(
                "Data wilayah tidak memuat kode pos, maka kantor mengisinya sendiri: 5 angka berawalan 57. "
                "Kode pos dipakai pada daftar pendaftaran untuk BPJS; desa tanpa kode pos dibiarkan kosong, "
                "tidak ditebak. Ketik pada kolom Kode pos, Enter menyimpan."
            )
        )
        assign_mnemonics([self.table_label, self.save_button], used)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter saves the kode pos (not the tab's other field); Esc reloads them."""
        if not handle_keys(event, self.save, self.refresh):
            super().keyPressEvent(event)

    def refresh(self) -> None:
        self._rows = kode_pos.rows(self._ctx)
        self.table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            for c, value in enumerate((row.desa_kode, row.desa, row.kecamatan, row.kode_pos or "")):
                cell = QTableWidgetItem(value)
                if c != CODE_COLUMN:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, cell)
        clear_issue(self.issue)

    def changes(self) -> dict[str, str]:
        """The kode pos typed that differ from what is stored (desa code -> text, empty to clear)."""
        found: dict[str, str] = {}
        for r, row in enumerate(self._rows):
            item = self.table.item(r, CODE_COLUMN)
            text = item.text().strip() if item is not None else ""
            if text != (row.kode_pos or ""):
                found[row.desa_kode] = text
        return found

    def save(self) -> bool:
        clear_issue(self.issue)
        changes = self.changes()
        if not changes:
            return True
        with shown(self, inline=self._show_issue) as failed:
            kode_pos.set_codes(self._ctx, self._actor, changes)
        if failed:
            return False
        self.refresh()
        messages.info(self, f"Kode pos disimpan untuk {len(changes)} desa/kelurahan.")
        return True

    def _show_issue(self, exc: UserError) -> bool:
        show_issue_label(self.issue, exc.message)
        return True
