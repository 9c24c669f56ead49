"""The setup wizard's page "Dasar iuran": which basis the office bills on, with where each figure comes from.

Nothing is chosen for the user: a persentase UMK (Klaten's December 2022 figure, docs/domain.md 2.1), the BPU
package (PP 82/2019), or a fixed amount the office states with its source. The choice is checked here
(:meth:`TariffPage.validatePage`) and stored by the wizard once the office exists (:func:`apply_choice`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWizardPage,
)

from klaten_desktop.domain.enums import Program
from klaten_desktop.domain.formatting import format_date, format_rupiah
from klaten_desktop.domain.tariffs import ROUNDING_RULE, Tariff, TariffBasis, monthly_contribution, umk_basis_text
from klaten_desktop.domain.umk import UmkEntry, parse_rupiah_sen
from klaten_desktop.gui.kit.date_field import INDONESIAN, DateField
from klaten_desktop.services import tariff_settings
from klaten_desktop.services.context import Actor, ServiceContext

UMK_CODE, BPU_CODE = "KLATEN-UMK", "BPU-PP82-2019"
JKK_JKM = frozenset({Program.JKK, Program.JKM})


@dataclass(frozen=True)
class TariffChoice:
    """The default tariff for new enrollments; a fixed tariff to add first; a UMK to enter first."""

    code: str
    new_tariff: Tariff | None = None
    umk: UmkEntry | None = None


def _source(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #4a4f57; margin-left: 22px;")
    return label


class TariffPage(QWizardPage):
    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._year = ctx.today().year
        self.setTitle("Dasar iuran")
        self.setSubTitle(
            "Pilih cara menghitung iuran untuk pendaftaran baru. Tidak ada pilihan bawaan; asal setiap angka "
            "tertulis di bawahnya. Dapat diubah kemudian di Pengaturan › Tarif iuran."
        )
        tariffs = {row.tariff.code: row.tariff for row in tariff_settings.rows(ctx)}
        umk_rows = tariff_settings.umk_rows(ctx)
        self.umk_radio = QRadioButton("Persentase &UMK Kabupaten Klaten: JKK 0,24 % + JKM 0,30 % (angka Klaten)")
        self.bpu_radio = QRadioButton("Paket &BPU (Bukan Penerima Upah): JKK 1 % penghasilan + JKM Rp 6.800")
        self.fixed_radio = QRadioButton("Iuran &tetap per orang per bulan, ditetapkan kantor")
        self.group = QButtonGroup(self)
        for button in (self.umk_radio, self.bpu_radio, self.fixed_radio):
            self.group.addButton(button)
            button.toggled.connect(self._on_choice)
        self.umk_amount, self.umk_source = QLineEdit(), QLineEdit()
        self.umk_amount.setPlaceholderText("mis. 2.152.322,94 (boleh dikosongkan)")
        self.umk_source.setPlaceholderText("keputusan gubernur, nomor dan tanggal")
        self.fixed_amount = QSpinBox()
        self.fixed_amount.setLocale(INDONESIAN)
        self.fixed_amount.setGroupSeparatorShown(True)
        self.fixed_amount.setRange(0, 10_000_000)
        self.fixed_amount.setPrefix("Rp ")
        self.fixed_source = QLineEdit()
        self.fixed_source.setPlaceholderText("dasar angka: surat cabang BPJS, peraturan, tanggal")
        self.fixed_from = DateField(optional=False, value=dt.date(self._year, 1, 1))
        self.issue = QLabel()
        self.issue.setStyleSheet("color: #b00020;")
        self.issue.setWordWrap(True)
        self._lay_out(tariffs, umk_rows)
        self._on_choice()

    def _lay_out(self, tariffs: dict[str, Tariff], umk_rows: list[tariff_settings.UmkRow]) -> None:
        umk, bpu = tariffs[UMK_CODE], tariffs[BPU_CODE]
        bpu_amount = monthly_contribution(bpu, declared_income=None, programs=JKK_JKM).total
        table = "; ".join(
            f"{umk_basis_text(umk, JKK_JKM, r.entry, self._amount(umk, r.entry))} (sumber: {r.entry.source})"
            for r in umk_rows
        )
        self.umk_form = QFormLayout()
        self.umk_form.addRow(f"UMK {self._year}:", self.umk_amount)
        self.umk_form.addRow("Sumber UMK:", self.umk_source)
        self.fixed_form = QFormLayout()
        self.fixed_form.addRow("Iuran per orang per bulan:", self.fixed_amount)
        self.fixed_form.addRow("Sumber angka:", self.fixed_source)
        self.fixed_form.addRow("Berlaku mulai:", self.fixed_from)
        layout = QVBoxLayout(self)
        layout.addWidget(self.umk_radio)
        layout.addWidget(_source(f"Tarif {umk.code}, berlaku mulai {format_date(umk.valid_from)}. {umk.note}"))
        layout.addWidget(_source(f"Tabel UMK: {table or 'kosong'}. {ROUNDING_RULE}"))
        layout.addWidget(
            _source(
                f"Isi UMK {self._year} bila sudah diketahui; tanpa UMK suatu tahun, iuran tahun itu tidak dihitung "
                "dan aplikasi menyebut tahunnya."
            )
        )
        layout.addLayout(self.umk_form)
        layout.addWidget(self.bpu_radio)
        layout.addWidget(
            _source(
                f"Tarif {bpu.code}, berlaku mulai {format_date(bpu.valid_from)}: {format_rupiah(bpu_amount)} per "
                f"orang per bulan untuk JKK dan JKM. {bpu.note}"
            )
        )
        layout.addWidget(self.fixed_radio)
        layout.addWidget(_source("Angka dan sumbernya diisi kantor, mis. surat cabang BPJS Ketenagakerjaan."))
        layout.addLayout(self.fixed_form)
        layout.addWidget(self.issue)
        layout.addStretch(1)

    @staticmethod
    def _amount(tariff: Tariff, umk: UmkEntry) -> int:
        return monthly_contribution(tariff, declared_income=None, programs=JKK_JKM, umk=umk).total

    def _on_choice(self) -> None:
        for field in (self.umk_amount, self.umk_source):
            field.setEnabled(self.umk_radio.isChecked())
        for widget in (self.fixed_amount, self.fixed_source, self.fixed_from):
            widget.setEnabled(self.fixed_radio.isChecked())
        self.issue.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.group.checkedButton() is not None

    def choice(self) -> TariffChoice:
        """The choice as entered; ValueError (Indonesian) when a figure or its source is missing or wrong."""
        if self.bpu_radio.isChecked():
            return TariffChoice(BPU_CODE)
        if self.umk_radio.isChecked():
            text = self.umk_amount.text().strip()
            if not text:
                return TariffChoice(UMK_CODE)
            return TariffChoice(UMK_CODE, umk=UmkEntry(self._year, parse_rupiah_sen(text), self.umk_source.text()))
        if self.fixed_from.problem():
            raise ValueError(self.fixed_from.problem())
        start = self.fixed_from.value()
        assert start is not None
        source = " ".join(self.fixed_source.text().split())
        if not source:
            raise ValueError("Tulis sumber iuran tetap (surat, peraturan atau kesepakatan, dan tanggalnya).")
        code = f"KANTOR-TETAP-{start.year}"
        tariff = Tariff(
            code, "Iuran tetap kantor (pengaturan awal)", TariffBasis.TETAP, start, None,
            fixed_amount=self.fixed_amount.value(), note=f"Sumber: {source}",
        )  # fmt: skip
        return TariffChoice(code, new_tariff=tariff)

    def validatePage(self) -> bool:
        try:
            self.choice()
        except ValueError as exc:
            self.issue.setText(str(exc))
            return False
        return True


def apply_choice(ctx: ServiceContext, actor: Actor, choice: TariffChoice) -> None:
    """Store the checked choice: the UMK or the fixed tariff first, then the default for new enrollments (with
    the programs and funding source the settings already hold)."""
    if choice.umk is not None:
        e = choice.umk
        tariff_settings.set_umk(ctx, actor, e.year, e.amount_sen, e.source)
    if choice.new_tariff is not None:
        tariff_settings.add_tariff(ctx, actor, choice.new_tariff)
    current = tariff_settings.defaults(ctx)
    tariff_settings.set_defaults(
        ctx, actor, tariff_code=choice.code, programs=current.programs, funding=current.funding
    )


__all__ = ["TariffChoice", "TariffPage", "apply_choice"]
