"""The UMK table of Pengaturan › Tarif iuran: Klaten's UMK per year with its source (``services.tariff_settings``).

Choosing a row puts it in the fields below to correct it; "Catat UMK" (or Enter in a field) stores the year's
value, replacing a default of that year; "Hapus" removes a value the office entered.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from klaten_desktop.domain.umk import MAX_YEAR, MIN_YEAR, UmkEntry, format_rupiah_sen, parse_rupiah_sen
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.settings.common import clear_issue, handle_keys, hint_label, issue_label, show_issue
from klaten_desktop.services import tariff_settings
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError

COLUMNS = ("Tahun", "UMK", "Sumber", "Asal")


class UmkBox(QGroupBox):
    """``changed()`` is called after the table changed (the tariffs' monthly amounts depend on it)."""

    def __init__(self, ctx: ServiceContext, actor: Actor, changed: Callable[[], None]) -> None:
        super().__init__("UMK Kabupaten Klaten (dasar tarif persentase UMK)")
        self._ctx, self._actor, self._changed = ctx, actor, changed
        self._rows: list[tariff_settings.UmkRow] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName("Tabel UMK")
        self.table.setMaximumHeight(130)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setGroupSeparatorShown(False)
        self.year.setAccessibleName("Tahun UMK")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("mis. 2.152.322,94")
        self.amount.setAccessibleName("UMK (rupiah, koma sebelum sen)")
        self.source = QLineEdit()
        self.source.setPlaceholderText("sumber: keputusan gubernur, nomor dan tanggal")
        self.source.setAccessibleName("Sumber UMK")
        self.year_label, self.amount_label, self.source_label = (
            QLabel("Tahun"),
            QLabel("Nilai UMK"),
            QLabel("Sumber angka"),
        )
        for label, field in zip(
            (self.year_label, self.amount_label, self.source_label), (self.year, self.amount, self.source), strict=True
        ):
            label.setBuddy(field)
        self.save_button = QPushButton("Catat UMK")
        self.save_button.clicked.connect(self.save_umk)
        self.remove_button = QPushButton("Hapus UMK terpilih")
        self.remove_button.clicked.connect(self.remove_selected)
        self.issue = issue_label()
        self._lay_out()

    def _lay_out(self) -> None:
        fields = QHBoxLayout()
        for widget in (self.year_label, self.year, self.amount_label, self.amount, self.source_label):
            fields.addWidget(widget)
        fields.addWidget(self.source, 1)
        fields.addWidget(self.save_button)
        fields.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(fields)
        layout.addWidget(self.issue)
        layout.addWidget(
            hint_label(
                "Isi UMK setiap tahun beserta sumbernya. Iuran bulan-bulan suatu tahun tanpa UMK tidak dihitung "
                "(pesan menyebut tahunnya). Nilai bawaan berasal dari berita, belum dari keputusan gubernur; "
                "nilai yang diisi kantor menggantikannya."
            )
        )

    def labels(self) -> list[QLabel | QPushButton]:
        """The labels and buttons, for the tab's mnemonics."""
        return [self.year_label, self.amount_label, self.source_label, self.save_button, self.remove_button]

    def latest(self) -> UmkEntry | None:
        return self._rows[-1].entry if self._rows else None

    def refresh(self) -> None:
        self._rows = tariff_settings.umk_rows(self._ctx)
        self.table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            e = row.entry
            origin = "bawaan" if row.builtin else "kantor (mengganti bawaan)" if row.replaces_builtin else "kantor"
            for c, value in enumerate((str(e.year), format_rupiah_sen(e.amount_sen), e.source, origin)):
                cell = QTableWidgetItem(value)
                cell.setToolTip(e.source)
                self.table.setItem(r, c, cell)
        self.year.setValue(max((r.entry.year for r in self._rows), default=self._ctx.today().year - 1) + 1)
        self.amount.clear()
        self.source.clear()
        clear_issue(self.issue)
        self._on_selection()

    def _selected(self) -> tariff_settings.UmkRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows else None

    def _on_selection(self) -> None:
        row = self._selected()
        self.remove_button.setEnabled(row is not None and not row.builtin)
        if row is None:
            return
        self.year.setValue(row.entry.year)
        self.amount.setText(format_rupiah_sen(row.entry.amount_sen).removeprefix("Rp "))
        self.source.setText(row.entry.source)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in the UMK fields stores the UMK (not the tab's defaults); Esc reloads the table."""
        if not handle_keys(event, self.save_umk, self.refresh):
            super().keyPressEvent(event)

    def save_umk(self) -> bool:
        clear_issue(self.issue)
        try:
            amount = parse_rupiah_sen(self.amount.text())
        except ValueError as exc:
            show_issue(self.issue, str(exc))
            self.amount.setFocus()
            return False
        year = self.year.value()
        with shown(self, inline=self._show_issue) as failed:
            tariff_settings.set_umk(self._ctx, self._actor, year, amount, self.source.text())
        if failed:
            return False
        self.refresh()
        self._changed()
        messages.info(self, f"UMK {year} disimpan: {format_rupiah_sen(amount)}.")
        return True

    def remove_selected(self) -> bool:
        clear_issue(self.issue)
        row = self._selected()
        if row is None or row.builtin:
            return False
        with shown(self, inline=self._show_issue) as failed:
            tariff_settings.remove_umk(self._ctx, self._actor, row.entry.year)
        if failed:
            return False
        self.refresh()
        self._changed()
        return True

    def _show_issue(self, exc: UserError) -> bool:
        show_issue(self.issue, exc.message)
        {"source": self.source, "amount": self.amount, "year": self.year}.get(exc.field or "", self.amount).setFocus()
        return True


__all__ = ["UmkBox"]
