"""Void contributions recorded by mistake: months of the selected official, or a whole batch (every official
recorded with it), with a reason. What will be voided is shown while the fields change; the rows stay in the
database with the reason and the status is recomputed (services/payments.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.gui.enrollment.dialogs import _month, _month_edit
from klaten_desktop.gui.kit.form_dialog import FormDialog
from klaten_desktop.gui.kit.status_style import WARNING_COLOR
from klaten_desktop.services import payments
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.payments import VoidResult
from klaten_desktop.services.records import OfficialRow, PaymentData

MONTHS, BATCH = "bulan", "batch"


class VoidPaymentDialog(FormDialog):
    """``chosen``: the payment selected in the history (its month and its batch are offered first)."""

    def __init__(
        self,
        ctx: ServiceContext,
        actor: Actor,
        row: OfficialRow,
        chosen: PaymentData,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Batalkan iuran",
            f"Iuran yang salah dicatat untuk <b>{row.nama}</b> ({row.jabatan_label} {row.rt_rw} {row.desa_nama}) "
            "dibatalkan. Catatannya tetap disimpan beserta alasannya; status kepesertaan dihitung ulang.",
            "Batalkan &iuran",
            parent,
        )
        self._ctx, self._actor, self._row, self._chosen = ctx, actor, row, chosen
        month = YearMonth.parse(chosen.periode)
        self.scope = QComboBox()
        self.scope.addItem("Bulan berikut untuk pengurus ini", MONTHS)
        if chosen.batch_id:
            self.scope.addItem(
                f"Seluruh pencatatan {format_date(chosen.paid_on)} (semua pengurus di dalamnya)", chosen.batch_id
            )
        self.start = _month_edit(month)
        self.end = _month_edit(month)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("mis. salah tahun, belum dibayar, dicatat dua kali")
        self.reason.setMaxLength(300)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet(f"color: {WARNING_COLOR};")
        self.add_row("&Yang dibatalkan", self.scope)
        self.add_row("&Dari bulan", self.start)
        self.add_row("&Sampai bulan", self.end)
        self.add_row("&Alasan", self.reason)
        self.form.addRow("", self.preview)
        self.scope.currentIndexChanged.connect(self._update)
        self.start.dateChanged.connect(self._update)
        self.end.dateChanged.connect(self._update)
        self._update()

    def _void(self, reason: str | None) -> VoidResult:
        """Void (``reason`` given) or preview (None) what the fields choose."""
        if self.scope.currentData() == MONTHS:
            official_id, batch_id, start, end = self._row.id, None, _month(self.start), _month(self.end)
        else:
            official_id, batch_id, start, end = None, self.scope.currentData(), None, None
        if reason is None:
            return payments.void_preview(self._ctx, official_id=official_id, batch_id=batch_id, start=start, end=end)
        return payments.void_payments(
            self._ctx, self._actor, reason=reason, official_id=official_id, batch_id=batch_id, start=start, end=end
        )

    def _update(self) -> None:
        by_months = self.scope.currentData() == MONTHS
        self.start.setEnabled(by_months)
        self.end.setEnabled(by_months)
        try:
            found = self._void(None)
        except UserError as exc:
            self.preview.setText(exc.message)
            return
        self.preview.setText(f"Akan dibatalkan: {found.summary()}.")

    def run_action(self) -> VoidResult:
        return self._void(self.reason.text())
