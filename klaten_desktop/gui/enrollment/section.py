"""Kepesertaan & Iuran: coverage status, KPJ, contribution; submit, register, record and void payments, end."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QWidget

from klaten_desktop.domain.enums import FundingSource
from klaten_desktop.domain.formatting import format_date, format_number, format_rupiah
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.gui.enrollment.dialogs import (
    EndEnrollmentDialog,
    PaymentDialog,
    RegisterKpjDialog,
    SubmitDesaDialog,
    payment_summary,
)
from klaten_desktop.gui.enrollment.void_dialog import VoidPaymentDialog
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shown, shows_failures
from klaten_desktop.gui.kit.layout import DetailPanel, add_action, button_for
from klaten_desktop.gui.kit.permits import permit
from klaten_desktop.gui.kit.rows_table import RowsTableModel
from klaten_desktop.gui.officials.browser import post_label
from klaten_desktop.gui.officials.list_section import OfficialsListSection, group_box, read_only_table
from klaten_desktop.gui.officials.table_model import ENROLLMENT_COLUMNS
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import enrollment, officials, payments
from klaten_desktop.services.access import Permission
from klaten_desktop.services.enrollment import SubmitResult
from klaten_desktop.services.payments import PaymentResult, VoidResult
from klaten_desktop.services.records import OfficialDetail, OfficialRow, PaymentData

if TYPE_CHECKING:  # the KPJ-list dialogs and the letters load when first used, not with the section (~4 MB)
    from klaten_desktop.gui.enrollment.kpj_import import KpjPreviewDialog, KpjTableDialog


def _month(value: str | None) -> str:
    return YearMonth.parse(value).label() if value else ""


class EnrollmentSection(OfficialsListSection):
    def __init__(self, session: GuiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, ENROLLMENT_COLUMNS, "kepesertaan", parent)
        self._row: OfficialRow | None = None
        self._detail: OfficialDetail | None = None
        self.submit_action = add_action(self, "A&jukan", self.submit_one, "Ctrl+J")
        self.register_action = add_action(self, "Catat &KPJ…", self.register_kpj, "Ctrl+K")
        self.pay_action = add_action(self, "Catat &iuran…", self.pay_one, "Ctrl+I")
        self.end_action = add_action(self, "Akhiri ke&pesertaan…", self.end_enrollment, "Ctrl+Shift+P")
        self.void_action = add_action(self, "&Batalkan iuran…", self.void_payment, "Ctrl+Shift+B")
        self.submit_desa_action = add_action(self, "Ajukan satu &desa…", self.submit_desa, "Ctrl+Shift+J")
        self.pay_desa_action = add_action(self, "Iuran satu d&esa…", self.pay_desa, "Ctrl+Shift+I")
        self.kpj_file_action = add_action(self, "Impor KPJ dari &berkas…", self.import_kpj_file, "Ctrl+Shift+K")
        self.kpj_table_action = add_action(self, "Isi KPJ satu desa…", self.type_kpj_numbers, "Ctrl+Alt+K")
        permit(
            session.actor,
            Permission.enrollment,
            *(self.submit_action, self.register_action, self.pay_action, self.end_action, self.void_action),
            *(self.submit_desa_action, self.pay_desa_action, self.kpj_file_action, self.kpj_table_action),
        )
        actions = self._make_details()
        self._lay_out(
            (self.submit_desa_action, self.pay_desa_action, self.kpj_file_action, self.kpj_table_action),
            [(self.details, 0), (actions, 0), (self.payments_box, 1)],
            "Pilih seorang pengurus di tabel untuk melihat kepesertaannya.",
            min_width=410,
            stretch=(3, 2),
            sizes=(840, 490),
        )
        self._show(None)

    def _make_details(self) -> QGridLayout:
        """The selected official's enrollment and the payments recorded; returns the grid of its four actions."""
        self.details = DetailPanel(
            [
                ("jabatan", "Jabatan"),
                ("kpj", "Nomor KPJ"),
                ("program", "Program"),
                ("tarif", "Tarif"),
                ("iuran", "Iuran per bulan"),
                ("dana", "Sumber dana"),
                ("diajukan", "Diajukan"),
                ("terdaftar", "Terdaftar mulai"),
                ("dibayar", "Iuran dibayar s.d."),
                ("berakhir", "Berakhir"),
            ]
        )
        actions = QGridLayout()
        chosen = (self.submit_action, self.register_action, self.pay_action, self.end_action, self.void_action)
        for n, action in enumerate(chosen):
            actions.addWidget(button_for(action), n // 2, n % 2)
        self.payments_model: RowsTableModel[PaymentData] = RowsTableModel(
            [
                ("Bulan", lambda p: _month(p.periode)),
                ("Jumlah", lambda p: format_rupiah(p.amount)),
                ("Dibayar", lambda p: format_date(p.paid_on)),
                ("Keterangan", lambda p: p.reference or ""),
            ],
            parent=self,
        )
        self.payments = read_only_table(self.payments_model, "Riwayat iuran", [112, 82, 132])
        self.payments_box = group_box("Iuran tercatat", self.payments)
        return actions

    # ------------------------------------------------------------------------------ data

    def _on_current_changed(self, row: OfficialRow | None) -> None:
        self._row = row
        self._show(row.id if row is not None else None)

    def _show(self, official_id: str | None) -> None:
        detail: OfficialDetail | None = None
        paid: list[PaymentData] = []
        if official_id is not None:
            with shown(self):
                detail = officials.get(self._ctx, official_id)
                paid = payments.history(self._ctx, official_id)
        self._detail = detail
        for widget in (self.name, self.details, self.payments_box):
            widget.setVisible(detail is not None)
        self.empty.setVisible(detail is None)
        serving = detail is not None and detail.term_status == "menjabat"
        e = detail.enrollment if detail is not None else None
        is_open = e is not None and e.ended_on is None
        self.submit_action.setEnabled(serving and not is_open)
        self.register_action.setEnabled(serving)
        self.pay_action.setEnabled(serving and is_open and e is not None and e.registered_on is not None)
        self.end_action.setEnabled(serving and is_open)
        self.void_action.setEnabled(bool(paid))
        if detail is None:
            self.chip.set_status(None)
            self.payments_model.set_rows([])
            return
        self.name.setText(detail.nama)
        self.chip.set_status(detail.status.value)
        self.details.set("jabatan", post_label(detail.jabatan, detail.rt, detail.rw, detail.desa_nama))
        if e is None:
            for key in ("kpj", "program", "tarif", "iuran", "dana", "diajukan", "terdaftar", "dibayar", "berakhir"):
                self.details.set(key, "")
            self.details.set("kpj", "belum ada kepesertaan")
        else:
            self.details.set("kpj", e.nomor_kpj or "belum dicatat")
            self.details.set("program", e.programs.replace(",", ", "))
            self.details.set("tarif", e.tariff_code)
            self.details.set("iuran", format_rupiah(e.monthly_amount))
            self.details.set("dana", FundingSource(e.funding_source).label)
            self.details.set("diajukan", format_date(e.submitted_on))
            self.details.set("terdaftar", format_date(e.registered_on))
            self.details.set("dibayar", _month(e.dibayar_sampai) or ("belum ada" if e.registered_on else ""))
            ended = format_date(e.ended_on)
            self.details.set("berakhir", f"{ended} — {e.end_reason}" if ended and e.end_reason else ended)
        self.payments_model.set_rows(paid)

    def _after_change(self) -> None:
        self._store.reload()
        self._show(self._row.id if self._row is not None else None)

    # ------------------------------------------------------------------------------ actions

    @shows_failures
    def submit_one(self) -> None:
        if self._row is None:
            return
        row = self._row
        result = enrollment.submit(self._ctx, self._actor, [row.id])
        self._after_change()
        if result.submitted:
            self._offer_pengantar(result, row.nama)

    def register_kpj(self) -> None:
        if self._row is None:
            return
        if RegisterKpjDialog(self._ctx, self._actor, self._row, self).exec():
            self._after_change()

    def pay_one(self) -> None:
        if self._row is None:
            return
        dialog = PaymentDialog(self._ctx, self._actor, row=self._row, parent=self)
        e = self._detail.enrollment if self._detail is not None else None
        if e is not None and e.registered_on is not None:
            start = YearMonth.parse(e.paid_through).next() if e.paid_through else YearMonth.of(e.registered_on)
            end = max(start, YearMonth.of(self._ctx.today()))
            dialog.set_range(start, end)
        if dialog.exec() and isinstance(dialog.result_value, PaymentResult):
            messages.info(self, payment_summary(dialog.result_value))
            self._after_change()

    def pay_desa(self) -> None:
        current = self._row.desa_kode if self._row is not None else self.browser.desa.currentData()
        dialog = PaymentDialog(self._ctx, self._actor, desa=self._desa, desa_kode=current, parent=self)
        if dialog.exec() and isinstance(dialog.result_value, PaymentResult):
            messages.info(self, payment_summary(dialog.result_value))
            self._after_change()

    def submit_desa(self) -> None:
        current = self._row.desa_kode if self._row is not None else self.browser.desa.currentData()
        dialog = SubmitDesaDialog(self._ctx, self._actor, self._desa, current, self)
        if dialog.exec() and isinstance(dialog.result_value, SubmitResult):
            r = dialog.result_value
            self._after_change()
            if not r.submitted:
                messages.info(
                    self,
                    f"Tidak ada pengurus baru yang diajukan; {format_number(r.already)} sudah memiliki kepesertaan.",
                )
                return
            desa = next((w.nama for w in self._desa if w.kode == dialog.desa.currentData()), "desa")
            self._offer_pengantar(r, f"desa {desa}")

    def _offer_pengantar(self, result: SubmitResult, place: str) -> None:
        """Submitting and the surat pengantar are one path: offered at once for exactly those just submitted."""
        from klaten_desktop.gui.letters.pengantar import offer_pengantar  # the letters: once one is asked for

        on = result.on or self._ctx.today()
        self.pengantar_task = offer_pengantar(self, self._ctx, self._actor, result.official_ids, on=on, place=place)

    def import_kpj_file(self) -> None:
        """The branch's list of KPJ numbers: read and checked (nothing written), previewed, then registered."""
        from klaten_desktop.gui.enrollment.kpj_import import SPREADSHEETS, KpjPreviewDialog
        from klaten_desktop.services import kpj_import

        path = messages.ask_open_path(self, "Pilih daftar nomor KPJ dari BPJS Ketenagakerjaan", SPREADSHEETS)
        if path is None:
            return
        with shown(self) as failed:
            plan, table = kpj_import.plan_kpj_file(self._ctx, path)
        if failed:
            return
        self._registered(KpjPreviewDialog(self._ctx, self._actor, plan, table, self))

    def type_kpj_numbers(self) -> None:
        from klaten_desktop.gui.enrollment.kpj_import import KpjTableDialog

        current = self._row.desa_kode if self._row is not None else self.browser.desa.currentData()
        self._registered(KpjTableDialog(self._ctx, self._actor, self._desa, current, self))

    def _registered(self, dialog: KpjPreviewDialog | KpjTableDialog) -> None:
        from klaten_desktop.services.kpj_import import KpjImportResult

        if dialog.exec() and isinstance(dialog.result_value, KpjImportResult):
            messages.info(self, dialog.result_value.message())
            self._after_change()

    def void_payment(self) -> None:
        """Void payments recorded by mistake: the month selected in the history (else the latest), or its batch."""
        rows = self.payments_model.rows()
        if self._row is None or not rows:
            return
        selected = self.payments.selectionModel().selectedRows()
        chosen = rows[selected[0].row()] if selected else rows[0]
        dialog = VoidPaymentDialog(self._ctx, self._actor, self._row, chosen, self)
        if dialog.exec() and isinstance(dialog.result_value, VoidResult):
            messages.info(self, f"Dibatalkan: {dialog.result_value.summary()}.")
            self._after_change()

    def end_enrollment(self) -> None:
        if self._row is None:
            return
        if EndEnrollmentDialog(self._ctx, self._actor, self._row, self).exec():
            self._after_change()
