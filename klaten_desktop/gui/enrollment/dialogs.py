"""Dialogs of the enrollment actions: register the KPJ, record contributions, end an enrollment, submit a
desa, end a term of office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from klaten_desktop.domain.enums import EndReason, FundingSource
from klaten_desktop.domain.formatting import format_number, format_rupiah
from klaten_desktop.domain.kpj import check_kpj, normalize_kpj
from klaten_desktop.domain.months import YearMonth, month_range
from klaten_desktop.gui.enrollment.confirm_panel import ConfirmPanel
from klaten_desktop.gui.kit.date_field import DateField, MonthField
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.kit.form_dialog import FormDialog
from klaten_desktop.gui.kit.name_search import search_names
from klaten_desktop.gui.kit.status_style import WARNING_COLOR
from klaten_desktop.services import enrollment, enrollment_checks, officials, payments
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.enrollment import SubmitResult
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.payments import PaymentResult
from klaten_desktop.services.records import EnrollmentData, OfficialDetail, OfficialRow
from klaten_desktop.services.wilayah import WilayahRow


def _date_edit(ctx: ServiceContext) -> DateField:
    return DateField(optional=False, value=ctx.today(), today=ctx.today())


def _required(edit: DateField, what: str, field: str) -> dt.date:
    value = edit.value()
    if value is None:
        raise UserError(f"{what} wajib diisi.", field=field)
    return value


def _month_edit(value: YearMonth) -> MonthField:
    return MonthField(value.first_day())


def _month(edit: MonthField) -> YearMonth:
    q = edit.date()
    return YearMonth(q.year(), q.month())


class RegisterKpjDialog(FormDialog):
    def __init__(self, ctx: ServiceContext, actor: Actor, row: OfficialRow, parent: QWidget | None = None) -> None:
        super().__init__(
            "Catat nomor KPJ",
            f"Nomor KPJ dari BPJS Ketenagakerjaan untuk <b>{row.nama}</b> ({row.jabatan_label} {row.rt_rw} "
            f"{row.desa_nama}). Kepesertaan berlaku mulai tanggal yang diisi.",
            "&Catat KPJ",
            parent,
        )
        self._ctx, self._actor, self._row = ctx, actor, row
        self.kpj = QLineEdit()
        self.kpj.setPlaceholderText("11 digit")
        self.kpj.setMaxLength(20)
        self.start = _date_edit(ctx)
        self.funding = QComboBox()
        self.funding.addItem("(bawaan kantor)", None)
        for f in FundingSource:
            self.funding.addItem(f.label, f.value)
        self.kpj_warning = QLabel()
        self.kpj_warning.setStyleSheet(f"color: {WARNING_COLOR};")
        self.kpj_warning.setWordWrap(True)
        self.add_row("Nomor &KPJ", self.kpj)
        self.form.addRow("", self.kpj_warning)
        self.add_row("&Berlaku mulai", self.start)
        self.add_row("&Sumber dana", self.funding)
        self.confirm = ConfirmPanel("Tanggal mulai sudah &benar; tetap catat")
        self.form.addRow("", self.confirm)
        self.kpj.textChanged.connect(self._on_kpj_changed)
        # the typed date is read in full when the focus leaves it (to the box to tick): the same date keeps the warning
        self.start.dateChanged.connect(lambda value: None if value == self.confirm.shown_for else self.confirm.clear())

    def _on_kpj_changed(self, text: str) -> None:
        result = check_kpj(normalize_kpj(text))
        self.kpj_warning.setText("\n".join("⚠ " + i.message for i in result.warnings) if text.strip() else "")

    def submit(self) -> bool:
        """An unusual start date (far from the submission, or after today) is first shown with what it does to the
        status; it is recorded once the box is ticked."""
        with shown(self, inline=self._show_inline) as failed:
            ready = self._date_confirmed()
        return not failed and ready and super().submit()

    def _date_confirmed(self) -> bool:
        start = self.start.value()
        if start is None:
            return True  # the form says what is missing
        check = enrollment_checks.start_date_check(self._ctx, self._row.id, start)
        if not check.needs_confirmation or self.confirm.confirmed(start, True):
            return True
        if self.confirm.shown_for == start:
            raise UserError("Centang 'Tanggal mulai sudah benar' untuk tetap mencatat, atau ubah tanggalnya.")
        self.confirm.show_summary(start, "Periksa tanggal mulai:", check.warnings, ready="Centang lalu tekan Enter.")
        self.clear_error()
        return False

    def run_action(self) -> EnrollmentData:
        funding = self.funding.currentData()
        start = _required(self.start, "Tanggal berlaku", "start")
        return enrollment.register(
            self._ctx,
            self._actor,
            self._row.id,
            kpj=self.kpj.text(),
            start=start,
            funding=FundingSource(funding) if funding else None,
            confirmed=self.confirm.confirmed(start, True),
        )


class PaymentDialog(FormDialog):
    """Contributions for one official, or for every registered official of a desa (paid from ADD)."""

    def __init__(
        self,
        ctx: ServiceContext,
        actor: Actor,
        *,
        row: OfficialRow | None = None,
        desa: Sequence[WilayahRow] = (),
        desa_kode: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        if row is not None:
            intro = f"Iuran bulanan <b>{row.nama}</b> ({row.jabatan_label} {row.rt_rw} {row.desa_nama})."
        else:
            intro = (
                "Iuran semua pengurus ber-KPJ di satu desa untuk rentang bulan (misalnya dibayar desa dari ADD). "
                "Bulan yang sudah tercatat tidak dicatat dua kali."
            )
        super().__init__("Catat iuran", intro, "&Catat iuran", parent)
        self._ctx, self._actor, self._row = ctx, actor, row
        this_month = YearMonth.of(ctx.today())
        self.desa: QComboBox | None = None
        if row is None:
            self.desa = search_names(QComboBox())
            self.desa.addItem("— pilih desa —", None)
            for w in desa:
                self.desa.addItem(w.label, w.kode)
            if desa_kode is not None:
                self.desa.setCurrentIndex(max(self.desa.findData(desa_kode), 0))
            self.add_row("&Desa", self.desa)
        self.start = _month_edit(this_month)
        self.end = _month_edit(this_month)
        self.paid_on = _date_edit(ctx)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("mis. nomor bukti setor (boleh kosong)")
        self.add_row("&Dari bulan", self.start)
        self.add_row("&Sampai bulan", self.end)
        self.add_row("&Tanggal bayar", self.paid_on)
        self.add_row("&Keterangan", self.reference)
        self.months_label = QLabel()
        self.form.addRow("", self.months_label)
        self.confirm = ConfirmPanel("Sudah saya periksa; &tetap catat")
        self.form.addRow("", self.confirm)
        self.start.dateChanged.connect(self._update_months)
        self.end.dateChanged.connect(self._update_months)
        if self.desa is not None:
            self.desa.currentIndexChanged.connect(self._update_months)
        self._update_months()

    def set_range(self, start: YearMonth, end: YearMonth) -> None:
        self.start.setDate(QDate(start.year, start.month, 1))
        self.end.setDate(QDate(end.year, end.month, 1))

    def _update_months(self) -> None:
        start, end = _month(self.start), _month(self.end)
        n = len(month_range(start, end)) if end >= start else 0
        self.months_label.setText(f"{format_number(n)} bulan" if n else "Bulan akhir sebelum bulan awal.")
        self.confirm.clear()
        self.ok_button.setText("&Catat iuran")

    def _desa_kode(self) -> str | None:
        if self.desa is None:
            return None
        kode = self.desa.currentData()
        if not kode:
            raise UserError("Pilih desanya terlebih dahulu.", field="desa_kode")
        return str(kode)

    def submit(self) -> bool:
        """First OK: the summary (services/payments.py) in the dialog; the next OK records what it says (once the
        box is ticked when something is unusual)."""
        with shown(self, inline=self._show_inline) as failed:
            ready = self._summary_confirmed()
        return not failed and ready and super().submit()

    def _summary_confirmed(self) -> bool:
        start, end = _month(self.start), _month(self.end)
        kode = self._desa_kode()
        if kode is not None:
            plan = payments.plan_desa(self._ctx, kode, start=start, end=end)
        else:
            assert self._row is not None
            plan = payments.plan(self._ctx, [self._row.id], start=start, end=end)
        if self.confirm.confirmed(plan, plan.unusual):
            return True
        if self.confirm.shown_for == plan:
            raise UserError("Centang 'Sudah saya periksa' untuk tetap mencatat, atau ubah bulannya.")
        ready = "Tekan Enter sekali lagi untuk mencatat." if not plan.unusual else "Centang lalu tekan Enter."
        self.confirm.show_summary(plan, plan.summary(), plan.warnings(), ready=ready)
        self.ok_button.setText("&Ya, catat iuran")
        self.clear_error()
        return False

    def run_action(self) -> PaymentResult:
        start, end = _month(self.start), _month(self.end)
        paid_on = _required(self.paid_on, "Tanggal bayar", "paid_on")
        reference = self.reference.text().strip() or None
        kode = self._desa_kode()
        if kode is None:
            assert self._row is not None
            return payments.record_payments(
                self._ctx, self._actor, [self._row.id], start=start, end=end, paid_on=paid_on, reference=reference
            )
        return payments.pay_desa(
            self._ctx, self._actor, kode, start=start, end=end, paid_on=paid_on, reference=reference
        )


def payment_summary(result: PaymentResult) -> str:
    text = (
        f"{format_number(result.months_recorded)} bulan iuran dicatat untuk {format_number(result.enrollments)} "
        f"peserta, jumlah {format_rupiah(result.total_amount)}."
    )
    if result.months_already_paid:
        text += f" {format_number(result.months_already_paid)} bulan sudah tercatat sebelumnya."
    if result.not_registered:
        text += f" {format_number(result.not_registered)} pengurus belum memiliki KPJ sehingga dilewati."
    return text


class EndEnrollmentDialog(FormDialog):
    def __init__(self, ctx: ServiceContext, actor: Actor, row: OfficialRow, parent: QWidget | None = None) -> None:
        super().__init__(
            "Akhiri kepesertaan",
            f"Kepesertaan BPJS Ketenagakerjaan <b>{row.nama}</b> diakhiri. Pengurus tetap tercatat di registri.",
            "&Akhiri kepesertaan",
            parent,
        )
        self._ctx, self._actor, self._row = ctx, actor, row
        self.date = _date_edit(ctx)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("mis. pindah domisili, tidak lagi dibiayai desa")
        self.add_row("&Tanggal berakhir", self.date)
        self.add_row("&Alasan", self.reason)

    def run_action(self) -> EnrollmentData:
        on = _required(self.date, "Tanggal berakhir", "on")
        return enrollment.end(self._ctx, self._actor, self._row.id, on=on, reason=self.reason.text())


class SubmitDesaDialog(FormDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        actor: Actor,
        desa: Sequence[WilayahRow],
        desa_kode: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Ajukan satu desa",
            "Semua pengurus yang menjabat di desa ini dan belum memiliki kepesertaan ditandai <i>diajukan</i> "
            "ke kantor cabang BPJS Ketenagakerjaan.",
            "&Ajukan",
            parent,
        )
        self._ctx, self._actor = ctx, actor
        self.desa = search_names(QComboBox())
        self.desa.addItem("— pilih desa —", None)
        for w in desa:
            self.desa.addItem(w.label, w.kode)
        if desa_kode is not None:
            self.desa.setCurrentIndex(max(self.desa.findData(desa_kode), 0))
        self.date = _date_edit(ctx)
        self.add_row("&Desa", self.desa)
        self.add_row("&Tanggal pengajuan", self.date)

    def run_action(self) -> SubmitResult:
        kode = self.desa.currentData()
        if not kode:
            raise UserError("Pilih desanya terlebih dahulu.", field="desa_kode")
        on = _required(self.date, "Tanggal pengajuan", "on")
        return enrollment.submit_desa(self._ctx, self._actor, kode, on=on)


class EndTermDialog(FormDialog):
    """End a term without a successor (death, resignation, end of term)."""

    def __init__(
        self, ctx: ServiceContext, actor: Actor, detail: OfficialDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            "Akhiri masa jabatan",
            f"Masa jabatan <b>{detail.nama}</b> berakhir tanpa pengganti. Kepesertaannya menjadi <i>berakhir</i>. "
            "Untuk menunjuk pengganti gunakan 'Ganti pengurus'.",
            "&Akhiri masa jabatan",
            parent,
        )
        self._ctx, self._actor, self._detail = ctx, actor, detail
        self.date = _date_edit(ctx)
        self.reason = QComboBox()
        for reason in EndReason:
            if reason is not EndReason.diganti:
                self.reason.addItem(reason.label, reason.value)
        self.note = QLineEdit()
        self.add_row("&Tanggal berakhir", self.date)
        self.add_row("&Alasan", self.reason)
        self.add_row("&Catatan", self.note)

    def run_action(self) -> OfficialDetail:
        on = _required(self.date, "Tanggal berakhir", "ended_on")
        return officials.end_term(
            self._ctx,
            self._actor,
            self._detail.id,
            on=on,
            reason=EndReason(self.reason.currentData()),
            note=self.note.text().strip() or None,
        )
