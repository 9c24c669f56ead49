"""Tab "Tarif iuran": the dated tariffs, the UMK table (gui/settings/umk_box.py), the defaults for new enrollments,
adding and ending office tariffs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.domain.enums import FundingSource, Program
from klaten_desktop.domain.formatting import format_date, format_rupiah
from klaten_desktop.domain.tariffs import Tariff
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.date_field import DateField
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.settings.common import (
    SettingsTab,
    assign_mnemonics,
    clear_issue,
    hint_label,
    issue_label,
    labelled_row,
    show_issue,
)
from klaten_desktop.gui.settings.tariff_dialog import BASIS_LABELS, NewTariffDialog
from klaten_desktop.gui.settings.umk_box import UmkBox
from klaten_desktop.services import tariff_settings
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError

COLUMNS = ("Kode", "Nama", "Cara hitung", "Berlaku mulai", "Berlaku sampai", "Iuran/bulan", "Asal")


class TariffsTab(SettingsTab):
    def __init__(self, ctx: ServiceContext, actor: Actor, used: set[str], parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, parent)
        self._rows: list[tariff_settings.TariffRow] = []
        self.dialog: NewTariffDialog | None = None

        end_row = self._make_table(ctx.today())
        defaults_box = self._defaults_box()
        self.umk = UmkBox(ctx, actor, self._load_tariffs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.table_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(end_row)
        layout.addWidget(self.end_issue)
        layout.addWidget(
            hint_label(
                "Tarif bawaan tidak dapat diubah. Tarif kantor tidak dihapus, tetapi diakhiri pada tanggal tertentu "
                "agar riwayat iuran tetap utuh. Iuran/bulan dihitung dengan program bawaan pada penghasilan minimum; "
                "tarif persentase UMK dengan UMK tahun ini."
            )
        )
        layout.addWidget(self.umk)
        layout.addWidget(defaults_box)
        assign_mnemonics(
            [
                self.table_label,
                self.end_label,
                self.end_button,
                self.add_button,
                self.code_label,
                self.programs[Program.JHT],
                self.funding_label,
                *self.umk.labels(),
            ],
            used,
        )

    def _make_table(self, today: dt.date) -> QHBoxLayout:
        """The tariffs table; returns the row under it: end the selected office tariff on a date, add one."""
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName("Daftar tarif")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table_label = QLabel("Daftar tarif")
        self.table_label.setBuddy(self.table)
        self.end_date = DateField(optional=False, value=today, today=today)
        self.end_label = QLabel("Berlaku sampai")
        self.end_label.setBuddy(self.end_date)
        self.end_button = QPushButton("Akhiri tarif terpilih")
        self.end_button.clicked.connect(self.end_selected)
        self.add_button = QPushButton("Tambah tarif kantor…")
        self.add_button.clicked.connect(self.open_new_tariff)
        self.end_issue = issue_label()
        end_row = QHBoxLayout()
        end_row.addWidget(self.end_label)
        end_row.addWidget(self.end_date)
        end_row.addWidget(self.end_button)
        end_row.addStretch(1)
        end_row.addWidget(self.add_button)
        return end_row

    def _defaults_box(self) -> QGroupBox:
        """The box "Bawaan untuk pendaftaran baru": tariff, programs (JKK and JKM always), source of funds."""
        self.default_code = QComboBox()
        self.default_code.setMinimumWidth(260)
        self.default_code.currentIndexChanged.connect(self._check_default_valid)
        self.default_issue = issue_label()
        self.programs = {p: QCheckBox(p.value) for p in Program}
        for program in (Program.JKK, Program.JKM):  # always part of the BPU package (docs/domain.md 1.2)
            self.programs[program].setEnabled(False)
            self.programs[program].setToolTip("JKK dan JKM selalu diikuti; JHT boleh ditambahkan.")
        programs_row = QHBoxLayout()
        programs_row.setContentsMargins(0, 0, 0, 0)
        for box in self.programs.values():
            programs_row.addWidget(box)
        programs_row.addStretch(1)
        programs_widget = QWidget()
        programs_widget.setLayout(programs_row)
        self.programs_issue = issue_label()
        self.funding = QComboBox()
        self.funding.setMinimumWidth(260)
        for source in FundingSource:
            self.funding.addItem(source.label, source.value)
        defaults_box = QGroupBox("Bawaan untuk pendaftaran baru")
        defaults_form = QFormLayout(defaults_box)
        defaults_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.code_label = labelled_row(defaults_form, "Tarif", self.default_code, self.default_issue)
        defaults_form.addRow(QLabel("Program"), programs_widget)
        defaults_form.addRow("", self.programs_issue)
        self.funding_label = labelled_row(defaults_form, "Sumber dana", self.funding)
        return defaults_box

    # ------------------------------------------------------------------------------ load

    def refresh(self) -> None:
        self.umk.refresh()
        self._load_tariffs()

    def _load_tariffs(self) -> None:
        """The tariffs table and the defaults box (again after the UMK table changed)."""
        self._rows = tariff_settings.rows(self._ctx)
        defaults = tariff_settings.defaults(self._ctx)
        self.table.setRowCount(len(self._rows))
        for r, item in enumerate(self._rows):
            t = item.tariff
            origin = "bawaan" if item.builtin else "kantor"
            if t.code == defaults.tariff_code:
                origin += " · dipakai untuk pendaftaran baru"
            values = (
                t.code,
                t.name,
                BASIS_LABELS[t.basis],
                format_date(t.valid_from),
                format_date(t.valid_to) if t.valid_to else "—",
                format_rupiah(item.monthly) + (f" ({item.monthly_note})" if item.monthly_note else "")
                if item.monthly is not None
                else f"— ({item.monthly_note})",
                origin,
            )
            for c, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if c == 5:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if t.note:
                    cell.setToolTip(t.note)
                self.table.setItem(r, c, cell)
        self.default_code.blockSignals(True)
        self.default_code.clear()
        for code in dict.fromkeys(item.tariff.code for item in self._rows):
            self.default_code.addItem(code, code)
        self.default_code.setCurrentIndex(self.default_code.findData(defaults.tariff_code))
        self.default_code.blockSignals(False)
        for program, box in self.programs.items():
            box.setChecked(program in defaults.programs or program is not Program.JHT)
        self.funding.setCurrentIndex(self.funding.findData(defaults.funding.value))
        for label in (self.programs_issue, self.end_issue):
            clear_issue(label)
        self._check_default_valid()
        self._on_selection()

    def _check_default_valid(self) -> None:
        code = self.default_code.currentData()
        today = self._ctx.today()
        versions = [r.tariff for r in self._rows if r.tariff.code == code]
        if not versions or any(t.valid_on(today) for t in versions):
            clear_issue(self.default_issue)
            return
        first = min((t.valid_from for t in versions if t.valid_from > today), default=None)
        when = f"baru berlaku mulai {format_date(first)}" if first else "sudah tidak berlaku"
        show_issue(
            self.default_issue,
            f"Tarif ini {when}; pendaftaran dengan tanggal mulai sebelum itu akan ditolak.",
            warning=True,
        )

    def selected(self) -> tariff_settings.TariffRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows else None

    def _on_selection(self) -> None:
        item = self.selected()
        editable = item is not None and not item.builtin
        self.end_button.setEnabled(editable)
        self.end_date.setEnabled(editable)
        if item is not None and editable:
            self.end_date.set_value(item.tariff.valid_to or max(self._ctx.today(), item.tariff.valid_from))

    # ------------------------------------------------------------------------------ defaults

    def save(self) -> bool:
        for label in (self.default_issue, self.programs_issue):
            clear_issue(label)
        programs = frozenset(p for p, box in self.programs.items() if box.isChecked())
        with shown(self, inline=self._show_defaults_issue) as failed:
            tariff_settings.set_defaults(
                self._ctx,
                self._actor,
                tariff_code=str(self.default_code.currentData()),
                programs=programs,
                funding=FundingSource(self.funding.currentData()),
            )
        if failed:
            return False
        self.refresh()
        messages.info(self, "Tarif bawaan untuk pendaftaran baru disimpan.")
        return True

    def _show_defaults_issue(self, exc: UserError) -> bool:
        issue = {"programs": self.programs_issue, "tariff_code": self.default_issue}.get(exc.field or "")
        if issue is None:
            return False
        show_issue(issue, exc.message)
        return True

    # ------------------------------------------------------------------------------ office tariffs

    def open_new_tariff(self) -> NewTariffDialog:
        """Open the dialog (window-modal, not blocking); a tariff added there is saved and listed at once."""
        programs = frozenset(p for p, box in self.programs.items() if box.isChecked())
        self.dialog = NewTariffDialog(
            self, start=self._ctx.today(), programs=programs, add=self._add, umk=self.umk.latest()
        )
        self.dialog.open()
        return self.dialog

    def _add(self, tariff: Tariff) -> str | None:
        try:
            tariff_settings.add_tariff(self._ctx, self._actor, tariff)
        except UserError as exc:
            return exc.message
        except EnvironmentProblem as exc:
            return exc.message
        self.refresh()
        messages.info(self, f"Tarif {tariff.code} ditambahkan, berlaku mulai {format_date(tariff.valid_from)}.")
        return None

    def end_selected(self) -> bool:
        clear_issue(self.end_issue)
        item = self.selected()
        if not self.end_date.commit():
            return False
        ends_on = self.end_date.value()
        if item is None or item.builtin or ends_on is None:
            return False
        with shown(self, inline=self._show_end_issue) as failed:
            tariff_settings.end_tariff(self._ctx, self._actor, item.tariff.code, item.tariff.valid_from, ends_on)
        if failed:
            return False
        self.refresh()
        messages.info(self, f"Tarif {item.tariff.code} berlaku sampai {format_date(ends_on)}.")
        return True

    def _show_end_issue(self, exc: UserError) -> bool:
        show_issue(self.end_issue, exc.message)
        return True
