"""KPJ numbers in bulk on the Kepesertaan screen: the branch's list read from a file (preview, then all valid rows
or none, rejected rows to an error workbook), and a desa's submitted officials in one table to type numbers into
(type, Enter, next row). Both go through ``services/kpj_import.py``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.domain.formatting import format_date, format_number, format_rt_rw
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.date_field import DateField
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.kit.form_dialog import FormDialog
from klaten_desktop.gui.kit.rows_table import Column, RecordsTableModel
from klaten_desktop.gui.officials.list_section import read_only_table
from klaten_desktop.services import kpj_import
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports import RawTable
from klaten_desktop.services.kpj_import import KpjImportResult, KpjOutcome, KpjPlan, KpjRow, Submitted
from klaten_desktop.services.wilayah import WilayahRow

SPREADSHEETS = "Lembar kerja (*.xlsx *.xls *.ods *.csv)"


def _notes(row: KpjRow) -> str:
    return " ".join((*row.errors, *("⚠ " + w for w in row.warnings)))


class KpjPreviewDialog(FormDialog):
    """What registering the list would do, row by row; OK registers the accepted rows (all or none)."""

    def __init__(
        self,
        ctx: ServiceContext,
        actor: Actor,
        plan: KpjPlan,
        table: RawTable | None = None,
        parent: QWidget | None = None,
    ) -> None:
        n = plan.registered
        super().__init__(
            "Pratinjau nomor KPJ",
            f"<b>{plan.source}</b>: {plan.summary()} Belum ada yang disimpan. Baris yang ditolak tidak dicatat; "
            "simpan ke Excel untuk diperbaiki lalu diimpor lagi.",
            f"&Catat {format_number(n)} KPJ" if n else "Tidak ada yang dicatat",
            parent,
        )
        self._ctx, self._actor, self._plan, self._table = ctx, actor, plan, table
        self.model: RecordsTableModel[KpjRow] = RecordsTableModel(
            [
                Column("Baris", lambda r: str(r.sheet_row), numeric=True),
                Column("Nama", lambda r: r.nama),
                Column("Nomor KPJ", lambda r: r.kpj),
                Column("Berlaku mulai", lambda r: format_date(r.start)),
                Column("Hasil", lambda r: r.outcome.label),
                Column("Keterangan", _notes, tooltip=_notes),
            ],
            highlight=lambda r: "error" if r.outcome is KpjOutcome.rejected else ("warning" if r.warnings else None),
            parent=self,
        )
        self.model.set_rows(plan.rows)
        self.rows = read_only_table(self.model, "Pratinjau nomor KPJ", [52, 200, 110, 130, 80])
        self.form.addRow(self.rows)
        self.ok_button.setEnabled(n > 0)
        self.errors_button = self.buttons.addButton("Simpan baris &ditolak…", QDialogButtonBox.ButtonRole.ActionRole)
        self.errors_button.setVisible(table is not None and bool(plan.rejected))
        self.errors_button.clicked.connect(self.save_rejected)
        self.setMinimumSize(900, 480)
        self.rows.setFocus()

    def save_rejected(self) -> None:
        if self._table is None:
            return
        suggested = Path.home() / f"{Path(self._plan.source).stem}-ditolak.xlsx"
        path = messages.ask_save_path(self, "Simpan baris yang ditolak", "Buku kerja Excel (*.xlsx)", suggested)
        if path is None:
            return
        with shown(self):
            count = kpj_import.write_kpj_error_workbook(self._plan, self._table, path)
            messages.info(self, f"{format_number(count)} baris yang ditolak disimpan ke {path.name}.")

    def run_action(self) -> KpjImportResult:
        return kpj_import.apply_kpj_plan(self._ctx, self._actor, self._plan)


KPJ_COLUMN = 3


class _TypingTable(QTableWidget):
    """Only the KPJ column is edited: typing starts editing, Enter saves the cell and moves to the next row."""

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint is QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            row = self.currentRow() + 1
            if row < self.rowCount():
                self.setCurrentCell(row, KPJ_COLUMN)
                self.edit(self.currentIndex())

    def cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.item(row, column)
        assert item is not None  # every cell gets an item when the rows are loaded
        return item


class KpjTableDialog(FormDialog):
    """A desa's submitted officials without KPJ, one row each: type the numbers the branch issued."""

    def __init__(
        self,
        ctx: ServiceContext,
        actor: Actor,
        desa: Sequence[WilayahRow],
        desa_kode: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Isi nomor KPJ satu desa",
            "Pengurus yang sudah <i>diajukan</i> dan belum ber-KPJ. Ketik nomor KPJ dari kantor cabang lalu Enter "
            "untuk pindah ke baris berikutnya; baris yang dikosongkan dilewati. Semua nomor dicatat sekaligus, "
            "atau tidak sama sekali bila ada yang salah.",
            "&Catat KPJ",
            parent,
        )
        self._ctx, self._actor = ctx, actor
        self._people: list[Submitted] = []
        self.desa = QComboBox()
        self.desa.addItem("— pilih desa —", None)
        for w in desa:
            self.desa.addItem(w.label, w.kode)
        self.start = DateField(optional=False, value=ctx.today(), today=ctx.today())
        self.table = _TypingTable(0, 5)
        self.table.setAccessibleName("Nomor KPJ pengurus yang diajukan")
        self.table.setHorizontalHeaderLabels(["Nama", "Jabatan", "RT/RW", "Nomor KPJ", "Keterangan"])
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows and Enter move inside it
        header = self.table.horizontalHeader()
        for column, width in enumerate((220, 110, 70, 130)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.add_row("&Desa", self.desa)
        self.add_row("&Berlaku mulai", self.start)
        self.form.addRow(self.table)
        self.setMinimumSize(820, 520)
        self.desa.setFocus()  # the first field, not the OK button
        self.desa.currentIndexChanged.connect(self._load)
        if desa_kode is not None:
            self.desa.setCurrentIndex(max(self.desa.findData(desa_kode), 0))
        self._load()

    def _load(self) -> None:
        kode = self.desa.currentData()
        with shown(self):
            self._people = kpj_import.submitted_without_kpj(self._ctx, kode) if kode else []
        self.table.setRowCount(len(self._people))
        for r, person in enumerate(self._people):
            texts = (person.nama, Jabatan(person.jabatan).label, format_rt_rw(person.rt, person.rw), "", "")
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if c != KPJ_COLUMN:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        if self._people:
            self.table.setCurrentCell(0, KPJ_COLUMN)
        self.ok_button.setEnabled(bool(self._people))
        if kode and not self._people:
            self.show_error("Tidak ada pengurus yang diajukan dan belum ber-KPJ di desa ini.")
        else:
            self.error_label.hide()

    def typed(self) -> list[tuple[Submitted, str]]:
        return [(p, self.table.cell(r, KPJ_COLUMN).text()) for r, p in enumerate(self._people)]

    def run_action(self) -> KpjImportResult:
        if not self.desa.currentData():
            raise UserError("Pilih desanya terlebih dahulu.", field="desa_kode")
        if self.start.problem():
            raise UserError(self.start.problem(), field="start")
        start = self.start.value()
        assert start is not None
        plan = kpj_import.plan_typed_numbers(self._ctx, self.typed(), start=start)
        rows = {r.index: r for r in plan.rows}
        for n in range(len(self._people)):
            row = rows.get(n)
            self.table.cell(n, 4).setText(_notes(row) if row is not None else "")
        if plan.rejected:
            first = plan.rejected[0].index
            self.table.setCurrentCell(first, KPJ_COLUMN)
            raise UserError(
                f"{format_number(len(plan.rejected))} nomor tidak dapat dicatat (lihat kolom Keterangan). "
                "Tidak ada yang disimpan; perbaiki lalu catat lagi."
            )
        return kpj_import.apply_kpj_plan(self._ctx, self._actor, plan)
