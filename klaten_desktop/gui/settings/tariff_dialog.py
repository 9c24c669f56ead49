"""The "Tambah tarif kantor" dialog: a dated office tariff (a BPU package, a fixed amount, or a percentage of the
UMK), checked by ``domain.tariffs.Tariff`` as it is typed. A new version of a tariff is the same code with a later
start date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from klaten_desktop.domain.enums import Program
from klaten_desktop.domain.formatting import format_rupiah
from klaten_desktop.domain.tariffs import BPS, ROUNDING_RULE, Tariff, TariffBasis, monthly_contribution, umk_basis_text
from klaten_desktop.domain.umk import UmkEntry
from klaten_desktop.gui.kit.date_field import INDONESIAN, DateField
from klaten_desktop.gui.kit.form_dialog import FormDialog
from klaten_desktop.gui.settings.common import (
    assign_mnemonics,
    clear_issue,
    issue_label,
    labelled_row,
    mnemonic,
    show_issue,
)

BASIS_LABELS = {
    TariffBasis.BPU: "BPU (persentase penghasilan)",
    TariffBasis.TETAP: "Tetap per orang per bulan",
    TariffBasis.UMK: "Persentase UMK",
}


def _percent_box() -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setLocale(INDONESIAN)
    box.setDecimals(2)
    box.setRange(0.0, 100.0)
    box.setSuffix(" %")
    return box


def _money_box() -> QSpinBox:
    box = QSpinBox()
    box.setLocale(INDONESIAN)
    box.setGroupSeparatorShown(True)
    box.setRange(0, 100_000_000)
    box.setPrefix("Rp ")
    return box


class NewTariffDialog(FormDialog):
    """``add(tariff)`` saves through the service and returns an error message, or None when it was added."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        start: dt.date,
        programs: frozenset[Program],
        add: Callable[[Tariff], str | None],
        umk: UmkEntry | None = None,
    ) -> None:
        """``umk``: the UMK a UMK tariff's preview is computed on (the latest in the table), if any."""
        super().__init__(
            "Tambah tarif kantor",
            "Kode yang sama boleh dipakai lagi dengan tanggal mulai lain (versi baru tarif itu). "
            "Potongan berlaku untuk JKK dan JKM, tidak untuk JHT. Tarif persentase UMK dihitung dari UMK "
            "tahun bulan iuran (tabel UMK di tab ini); JHT 0 % berarti tanpa JHT. " + ROUNDING_RULE,
            "Tambah",
            parent,
        )
        self.setMinimumWidth(520)
        self._add = add
        self._programs = programs
        self._umk = umk
        self._make_fields()
        self._make_buttons()
        labels = self._lay_out()
        self._rows_of: dict[TariffBasis, list[QWidget]] = {
            TariffBasis.BPU: [self.jkk, self.jkm, self.jht, self.min_income, self.discount],
            TariffBasis.TETAP: [self.fixed],
            TariffBasis.UMK: [self.jkk, self.jkm_rate, self.jht],
        }
        self._assign_mnemonics(labels)
        self._set_defaults(start)
        self._connect_preview()
        self._on_basis()

    def _make_fields(self) -> None:
        """The tariff's code, name and basis, its amounts, its dates, the live preview and the issue line."""
        self.code = QLineEdit()
        self.code.setPlaceholderText("mis. KLATEN-TETAP-2027")
        self.name = QLineEdit()
        self.name.setPlaceholderText("mis. Iuran tetap RT/RW 2027 (Perbup ...)")
        self.basis = QComboBox()
        for basis, text in BASIS_LABELS.items():
            self.basis.addItem(text, basis.value)
        self.fixed = _money_box()
        self.jkk = _percent_box()
        self.jkm = _money_box()
        self.jkm_rate = _percent_box()
        self.jht = _percent_box()
        self.min_income = _money_box()
        self.discount = _percent_box()
        self.valid_from = DateField(optional=False, show_problem=False)  # its message: the issue line
        self.valid_to = DateField(optional=True, show_problem=False)
        self.preview = QLabel()
        self.issue = issue_label()

    def _make_buttons(self) -> None:
        """The form dialog's buttons: "Tambah" (Enter adds) and "Batal"; the issue line is the dialog's message line."""
        self.add_button = self.ok_button
        self.error_label.hide()

    def _lay_out(self) -> list[QLabel]:
        """The form (below the hint, above the buttons); returns the form's labels in order."""
        labels = [
            labelled_row(self.form, text, field)
            for text, field in (
                ("Kode tarif", self.code),
                ("Nama tarif", self.name),
                ("Cara hitung", self.basis),
                ("Iuran tetap", self.fixed),
                ("JKK (% penghasilan atau UMK)", self.jkk),
                ("JKM per bulan", self.jkm),
                ("JKM (% UMK)", self.jkm_rate),
                ("JHT (% penghasilan atau UMK)", self.jht),
                ("Penghasilan minimum", self.min_income),
                ("Potongan JKK+JKM", self.discount),
                ("Mulai berlaku", self.valid_from),
                ("Akhir berlaku (boleh kosong)", self.valid_to),
            )
        ]
        self.form.addRow("", self.preview)
        self.form.addRow("", self.issue)
        self.body.addStretch(1)
        return labels

    def tab_chain(self) -> list[QWidget]:
        amounts = [self.fixed, self.jkk, self.jkm, self.jkm_rate, self.jht, self.min_income, self.discount]
        return [self.code, self.name, self.basis, *amounts, self.valid_from, self.valid_to]

    def _assign_mnemonics(self, labels: list[QLabel]) -> None:
        """Distinct mnemonics for the ``labels`` and the buttons; the fixed-amount row and the BPU rows are never
        shown together, so they may share letters."""
        fixed_label = labels.pop(3)
        used: set[str] = set()
        assign_mnemonics([*labels, self.add_button, self.cancel_button], used)
        assign_mnemonics([fixed_label], used - {mnemonic(w.text()) for w in labels[3:9]})

    def _set_defaults(self, start: dt.date) -> None:
        """A fixed tariff from ``start``; the BPU fields hold the usual rates should the user switch, the UMK's
        JKM rate Klaten's 0,30 % (docs/domain.md 2.1)."""
        self.basis.setCurrentIndex(self.basis.findData(TariffBasis.TETAP.value))
        self.jkk.setValue(1.0)
        self.jkm.setValue(6800)
        self.jkm_rate.setValue(0.30)
        self.jht.setValue(2.0)
        self.min_income.setValue(1_000_000)
        for field in (self.valid_from, self.valid_to):
            field.set_today(start)
        self.valid_from.set_value(start)

    def _connect_preview(self) -> None:
        """Any change shows or hides the basis's rows and recomputes the preview."""
        self.basis.currentIndexChanged.connect(self._on_basis)
        for line in (self.code, self.name):
            line.textChanged.connect(self._update_preview)
        for spin in (self.fixed, self.jkk, self.jkm, self.jkm_rate, self.jht, self.min_income, self.discount):
            spin.valueChanged.connect(self._update_preview)
        for date_edit in (self.valid_from, self.valid_to):
            date_edit.dateChanged.connect(self._update_preview)

    def _on_basis(self) -> None:
        basis = TariffBasis(self.basis.currentData())
        shown = self._rows_of[basis]
        for field in {w for rows in self._rows_of.values() for w in rows}:
            self.form.setRowVisible(field, field in shown)
        if basis is TariffBasis.UMK and self.jkk.value() == 1.0:
            self.jkk.setValue(0.24)  # Klaten's lowest risk class rather than the BPU's 1 %
            self.jht.setValue(0.0)
        self._update_preview()

    def tariff(self) -> Tariff:
        """The tariff as entered; ValueError (Indonesian) when it is not valid."""
        basis = TariffBasis(self.basis.currentData())
        for field in (self.valid_from, self.valid_to):
            if field.problem():
                raise ValueError(field.problem())
        start = self.valid_from.value()
        assert start is not None
        code = self.code.text().strip()
        name = " ".join(self.name.text().split())
        end = self.valid_to.value()
        if basis is TariffBasis.TETAP:
            return Tariff(code, name, basis, start, end, fixed_amount=self.fixed.value())
        if basis is TariffBasis.UMK:
            return Tariff(
                code, name, basis, start, end, jkk_bps=round(self.jkk.value() * BPS / 100),
                jkm_bps=round(self.jkm_rate.value() * BPS / 100), jht_bps=round(self.jht.value() * BPS / 100),
                jkm_flat=0, min_income=0,
            )  # fmt: skip
        return Tariff(
            code,
            name,
            basis,
            start,
            end,
            jkk_bps=round(self.jkk.value() * BPS / 100),
            jkm_flat=self.jkm.value(),
            jht_bps=round(self.jht.value() * BPS / 100),
            min_income=self.min_income.value(),
            discount_bps=round(self.discount.value() * BPS / 100),
        )

    def _update_preview(self) -> None:
        if not self.code.text().strip() and not self.name.text().strip():
            self.preview.setText("Isi kode dan nama tarif.")
            clear_issue(self.issue)
            return
        try:
            tariff = self.tariff()
            if tariff.basis is TariffBasis.UMK:
                self._preview_umk(tariff)
                return
            amount = monthly_contribution(tariff, declared_income=None, programs=self._programs).total
        except ValueError as exc:
            self.preview.setText("Iuran per bulan: —")
            show_issue(self.issue, str(exc))
            return
        clear_issue(self.issue)
        programs = "+".join(p.value for p in Program if p in self._programs)
        self.preview.setText(f"Iuran per bulan: <b>{format_rupiah(amount)}</b> per orang ({programs})")

    def _preview_umk(self, tariff: Tariff) -> None:
        """The amount on the latest UMK in the table, stated as the letters state it; ValueError when invalid."""
        clear_issue(self.issue)
        if self._umk is None:
            self.preview.setText("Iuran per bulan: — (tabel UMK masih kosong)")
            return
        amount = monthly_contribution(tariff, declared_income=None, programs=self._programs, umk=self._umk).total
        self.preview.setText(f"Iuran per bulan: <b>{umk_basis_text(tariff, self._programs, self._umk, amount)}</b>")

    def submit(self) -> bool:
        try:
            tariff = self.tariff()
        except ValueError as exc:
            show_issue(self.issue, str(exc))
            return False
        problem = self._add(tariff)
        if problem is not None:
            show_issue(self.issue, problem)
            return False
        self.accept()
        return True
