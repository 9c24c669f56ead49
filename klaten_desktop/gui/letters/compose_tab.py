"""Tab "Buat surat": kind, desa, period, which officials; preview with synthetic data; issue and save the PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.domain.months import MONTH_NAMES, YearMonth
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shows_failures
from klaten_desktop.gui.kit.name_search import search_names
from klaten_desktop.gui.kit.tasks import run_task
from klaten_desktop.gui.letters import common
from klaten_desktop.gui.letters.pengantar import issued_text
from klaten_desktop.gui.letters.preview import PdfPreviewDialog
from klaten_desktop.gui.letters.subjects_model import SubjectsTableModel
from klaten_desktop.gui.session import office_desa
from klaten_desktop.services import office, wilayah
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.letters import issue, templates
from klaten_desktop.services.letters.issue import IssueResult


class MonthPicker(QWidget):
    """A month and a year (names from domain.months, never the OS locale)."""

    def __init__(self, value: YearMonth, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.month = QComboBox()
        self.month.addItems(list(MONTH_NAMES))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.month)
        layout.addWidget(self.year)
        self.set_value(value)

    def set_value(self, value: YearMonth) -> None:
        self.month.setCurrentIndex(value.month - 1)
        self.year.setValue(value.year)

    def value(self) -> YearMonth:
        return YearMonth(self.year.value(), self.month.currentIndex() + 1)


class ComposeTab(QWidget):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None, *, on_issued: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._on_issued = on_issued
        self.last_result: IssueResult | None = None

        form = self._make_choices(ctx.today())
        self._make_table()
        buttons, result = self._make_buttons()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(result)

        self._fill_places()
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.kecamatan.currentIndexChanged.connect(self._on_kecamatan_changed)
        self.desa.currentIndexChanged.connect(self.reload_subjects)
        self.model.dataChanged.connect(self._update_summary)
        self.refresh()

    def _make_choices(self, today: dt.date) -> QFormLayout:
        """The form: kind of letter, kecamatan (regency only), desa and the contribution period (next year)."""
        self.kind = QComboBox()
        self.kecamatan = QComboBox()
        self.desa = search_names(QComboBox())
        self.period_from = MonthPicker(YearMonth(today.year + 1, 1))
        self.period_to = MonthPicker(YearMonth(today.year + 1, 12))
        period = self._period_widget = QWidget()
        period_layout = QHBoxLayout(period)
        period_layout.setContentsMargins(0, 0, 0, 0)
        period_layout.addWidget(self.period_from)
        period_layout.addWidget(QLabel("sampai"))
        period_layout.addWidget(self.period_to)
        period_layout.addStretch(1)

        form = QFormLayout()
        kind_label = QLabel("&Jenis surat:")
        kind_label.setBuddy(self.kind)
        form.addRow(kind_label, self.kind)
        self._kec_label = QLabel("Ke&camatan:")
        self._kec_label.setBuddy(self.kecamatan)
        form.addRow(self._kec_label, self.kecamatan)
        desa_label = QLabel("D&esa:")
        desa_label.setBuddy(self.desa)
        form.addRow(desa_label, self.desa)
        self._period_label = QLabel("Pe&riode iuran:")
        self._period_label.setBuddy(self.period_from.month)
        form.addRow(self._period_label, period)
        return form

    def _make_table(self) -> None:
        """The officials of the chosen desa, to tick, and the count of those chosen above them."""
        self.model = SubjectsTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.summary = QLabel()

    def _make_buttons(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        """The row of buttons (tick all or none, preview, issue) and the row of the last result."""
        self.check_all = QPushButton("Pilih &semua")
        self.check_all.clicked.connect(lambda: self._set_all(True))
        self.check_none = QPushButton("&Kosongkan pilihan")
        self.check_none.clicked.connect(lambda: self._set_all(False))
        self.preview_button = QPushButton("&Pratinjau (data contoh)")
        self.preview_button.clicked.connect(self._on_preview_clicked)
        self.issue_button = QPushButton("Terb&itkan && simpan PDF…")
        self.issue_button.clicked.connect(self._on_issue_clicked)
        self.issue_button.setDefault(True)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.show_result = QPushButton("&Lihat hasil")
        self.show_result.clicked.connect(self._on_show_result_clicked)
        self.show_result.setVisible(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.check_all)
        buttons.addWidget(self.check_none)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.issue_button)
        result = QHBoxLayout()
        result.addWidget(self.result_label, 1)
        result.addWidget(self.show_result)
        return buttons, result

    # ------------------------------------------------------------------------------------------ choices

    def _fill_places(self) -> None:
        data = office.get(self._ctx)
        self._regency = data is None or data.kecamatan_nama is None
        self._desa_rows = office_desa(self._ctx)
        self._kec_label.setVisible(self._regency)
        self.kecamatan.setVisible(self._regency)
        if self._regency:
            self.kecamatan.blockSignals(True)
            for k in wilayah.kecamatan(self._ctx):
                self.kecamatan.addItem(f"Kecamatan {k.nama.title()}", k.kode)
            self.kecamatan.blockSignals(False)
        self._fill_desa()

    def _fill_desa(self) -> None:
        kec = self.kecamatan.currentData() if self._regency else None
        self.desa.blockSignals(True)
        self.desa.clear()
        for row in self._desa_rows:
            if kec is None or row.kode_induk == kec:
                self.desa.addItem(row.label, row.kode)
        if not self._regency:
            self.desa.addItem("Semua desa di kecamatan (satu PDF)", None)
        self.desa.blockSignals(False)

    def refresh(self) -> None:
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        for t in templates.list_templates(self._ctx):
            self.kind.addItem(t.label, t.kind)
        index = self.kind.findData(current)
        self.kind.setCurrentIndex(max(index, 0))
        self.kind.blockSignals(False)
        self._on_kind_changed()

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _scope(self) -> str:
        kind = self.current_kind()
        return next((t.scope for t in templates.list_templates(self._ctx) if t.kind == kind), "daftar")

    def _on_kind_changed(self) -> None:
        is_iuran = self._scope() == "iuran"
        self._period_label.setVisible(is_iuran)
        self._period_widget.setVisible(is_iuran)
        self.reload_subjects()

    def _on_kecamatan_changed(self) -> None:
        self._fill_desa()
        self.reload_subjects()

    def reload_subjects(self) -> None:
        desa = self.desa.currentData()
        rows = [] if desa is None and self._regency else issue.subjects(self._ctx, desa_kode=desa)
        self.model.set_rows(self.current_kind(), rows)
        self._update_summary()

    def _update_summary(self) -> None:
        chosen = len(self.model.checked_ids())
        self.summary.setText(
            f"{self.model.rowCount()} pengurus menjabat; {self.model.eligible_count()} dapat dibuatkan "
            f"surat jenis ini; {chosen} dipilih."
        )
        self.issue_button.setEnabled(chosen > 0)

    def _set_all(self, checked: bool) -> None:
        self.model.set_all(checked)
        self._update_summary()

    # ------------------------------------------------------------------------------------------ actions

    @shows_failures
    def _on_preview_clicked(self) -> None:
        template = templates.get(self._ctx, self.current_kind())
        pdf = issue.preview_pdf(self._ctx, template)
        self.preview = PdfPreviewDialog(pdf, f"{template.label} (data contoh)", self)
        self.preview.open()

    def period(self) -> tuple[YearMonth, YearMonth] | None:
        if self._scope() != "iuran":
            return None
        return self.period_from.value(), self.period_to.value()

    def _on_issue_clicked(self) -> None:
        ids = self.model.checked_ids()
        if not ids:
            messages.warn(self, "Pilih sedikitnya satu pengurus.")
            return
        kind = self.current_kind()
        desa = self.desa.currentData()
        place = self.desa.currentText().split(" (")[0].replace(" ", "-").lower() if desa else "kecamatan"
        suggested = Path.home() / f"surat-{kind}-{place}-{self._ctx.today().isoformat()}.pdf"
        path = messages.ask_save_path(self, "Simpan surat sebagai PDF", common.PDF_FILTER, suggested)
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        ctx, actor, period = self._ctx, common.actor(), self.period()

        def work(progress: Any, cancelled: Any) -> IssueResult:
            return issue.issue(
                ctx, actor, kind, out=path, desa_kode=desa, official_ids=ids, period=period, progress=progress,
                cancelled=cancelled,
            )  # fmt: skip

        self.issue_button.setEnabled(False)
        self.task = run_task(
            self, "Menerbitkan surat…", work, on_done=self._on_issued_done, on_end=self._update_summary
        )

    def _on_issued_done(self, result: object) -> None:
        assert isinstance(result, IssueResult)
        self.last_result = result
        text = issued_text(result, self._ctx.today())
        self.result_label.setText(text)
        self.show_result.setVisible(True)
        self.reload_subjects()
        if self._on_issued is not None:
            self._on_issued()
        messages.info(self, text)

    def _on_show_result_clicked(self) -> None:
        result = self.last_result
        if result is None:
            return
        try:
            pdf = result.path.read_bytes()
        except OSError as exc:
            messages.error(self, f"Berkas {result.path} tidak dapat dibaca: {exc.strerror or exc}")
            return
        self.preview = PdfPreviewDialog(pdf, result.path.name, self, path=result.path)
        self.preview.open()
