"""Pengurus RT/RW: the officials table, the form, "Ganti pengurus", ending a term, the post's history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QWidget

from klaten_desktop.domain.enums import EndReason, Jabatan
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.nik import mask_nik_display
from klaten_desktop.gui.events.history import OfficialEventsWidget
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.kit.layout import DetailPanel, add_action, button_for
from klaten_desktop.gui.kit.permits import permit
from klaten_desktop.gui.kit.rows_table import RowsTableModel
from klaten_desktop.gui.kit.status_chip import StatusChipDelegate
from klaten_desktop.gui.officials.browser import post_label
from klaten_desktop.gui.officials.list_section import OfficialsListSection, group_box, read_only_table
from klaten_desktop.gui.officials.table_model import OFFICIALS_COLUMNS
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import events, officials
from klaten_desktop.services.access import Permission
from klaten_desktop.services.records import OfficialDetail, OfficialRow

if TYPE_CHECKING:  # the form (its generated layout and checks) loads when first opened, not with the section
    from klaten_desktop.gui.officials.official_dialog import OfficialDialog

_END_REASONS = {r.value: r.label for r in EndReason}


def _term_end(row: OfficialRow) -> str:
    if row.term_status == "menjabat":
        return "sekarang"
    return format_date(row.term_end) or "?"


class OfficialsSection(OfficialsListSection):
    def __init__(self, session: GuiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, OFFICIALS_COLUMNS, "pengurus", parent)
        self._detail: OfficialDetail | None = None
        self.browser.set_never_attended_provider(lambda: events.never_attended_ids(session.ctx))
        self.new_action = add_action(self, "Pengurus &baru…", self.new_official, "Ctrl+N")
        self.edit_action = add_action(self, "&Ubah data…", self.edit_official, "Ctrl+E")
        self.replace_action = add_action(self, "&Ganti pengurus…", self.replace_official, "Ctrl+G")
        self.end_action = add_action(self, "Akhiri &masa jabatan…", self.end_term, "Ctrl+Shift+M")
        self.reveal_action = add_action(self, "Tampilkan &NIK", self.reveal_nik, "Ctrl+Shift+N")
        actor = session.actor
        permit(actor, Permission.registry, self.new_action, self.edit_action, self.replace_action, self.end_action)
        permit(actor, Permission.reveal_nik, self.reveal_action)
        self._make_details()
        self._lay_out(
            (self.new_action, self.edit_action, self.replace_action, self.end_action),
            [(self.details, 0), (self.reveal_row, 0), (self.history_box, 1), (self.events_box, 1)],
            "Pilih seorang pengurus di tabel untuk melihat rinciannya.",
            min_width=330,  # the detail pane gives way to the table's Status column at 1366x768
            stretch=(3, 1),
            sizes=(790, 385),
        )
        self.browser.table.addAction(self.reveal_action)  # also in the table's context menu
        self.browser.activated.connect(lambda _row: self.edit_official())
        self._show_detail(None)

    def _make_details(self) -> None:
        """The selected official's data, the post's holders over time and the socialisation events attended."""
        self.details = DetailPanel(
            [
                ("nik", "NIK"),
                ("lahir", "Tempat, tgl lahir"),
                ("jk", "Jenis kelamin"),
                ("alamat", "Alamat"),
                ("telepon", "Telepon"),
                ("jabatan", "Jabatan"),
                ("masa", "Masa jabatan"),
                ("sk", "SK"),
                ("kpj", "Nomor KPJ"),
            ]
        )
        # the NIK shows masked; the whole NIK only on this explicit action, recorded in the audit log
        self.reveal_button = button_for(self.reveal_action)
        self.reveal_row = QHBoxLayout()
        self.reveal_row.addWidget(self.reveal_button)
        self.reveal_row.addStretch(1)
        self.history_model: RowsTableModel[OfficialRow] = RowsTableModel(
            [
                ("Nama", lambda r: r.nama),
                ("Mulai", lambda r: format_date(r.term_start)),
                ("Sampai", _term_end),
                ("Status", lambda r: r.status_label),
            ],
            status_of=lambda r: r.status,
            parent=self,
        )
        self.history = read_only_table(self.history_model, "Riwayat jabatan", [95, 100, 70])
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.setItemDelegateForColumn(3, StatusChipDelegate(self.history))
        self.history_box = group_box("Riwayat pemegang jabatan", self.history)
        self.events_view = OfficialEventsWidget(self._ctx)
        self.events_box = group_box("Sosialisasi yang diikuti", self.events_view)

    # ------------------------------------------------------------------------------ data

    def _after_change(self, official_id: str) -> None:
        self.browser.select_id(official_id)
        self._store.reload()
        self._load_detail(official_id)

    def _on_current_changed(self, row: OfficialRow | None) -> None:
        self._load_detail(row.id if row is not None else None)

    def _load_detail(self, official_id: str | None) -> None:
        if official_id is None:
            self._show_detail(None)
            return
        with shown(self) as failed:
            detail = officials.get(self._ctx, official_id)
        if failed:
            self._show_detail(None)
            return
        self._show_detail(detail)

    def _show_detail(self, d: OfficialDetail | None) -> None:
        self._detail = d
        serving = d is not None and d.term_status == "menjabat"
        self.edit_action.setEnabled(d is not None)
        self.replace_action.setEnabled(serving and d is not None and d.jabatan.is_single_holder)
        self.end_action.setEnabled(serving)
        self.reveal_action.setEnabled(d is not None)
        for widget in (self.name, self.details, self.history_box, self.events_box):
            widget.setVisible(d is not None)
        self.reveal_button.setVisible(d is not None and self.reveal_action.isVisible())
        self.empty.setVisible(d is None)
        if d is None:
            self.chip.set_status(None)
            self.history_model.set_rows([])
            self.events_view.set_official(None)
            return
        self.events_view.set_official(d.id)
        self.name.setText(d.nama)
        self.chip.set_status(d.status.value)
        born = ", ".join(x for x in (d.tempat_lahir or "", format_date(d.tanggal_lahir)) if x)
        self.details.set("nik", mask_nik_display(d.nik))
        self.details.set("lahir", born)
        self.details.set("jk", d.jenis_kelamin.label)
        self.details.set("alamat", d.alamat or "")
        self.details.set("telepon", d.telepon or "")
        self.details.set("jabatan", post_label(d.jabatan, d.rt, d.rw, d.desa_nama))
        term = f"{format_date(d.term_start) or '?'} – {format_date(d.term_end) or 'sekarang'}"
        if d.term_status != "menjabat":
            reason = _END_REASONS.get(d.end_reason or "", d.end_reason or "")
            term += f" (berakhir {format_date(d.ended_on)}{', ' + reason.lower() if reason else ''})"
        self.details.set("masa", term)
        sk = " tanggal ".join(x for x in (d.sk_nomor or "", format_date(d.sk_tanggal)) if x)
        self.details.set("sk", sk)
        self.details.set("kpj", d.enrollment.nomor_kpj or "" if d.enrollment else "")
        with shown(self) as failed:
            history = officials.slot_history(
                self._ctx, desa_kode=d.desa_kode, rw=d.rw, rt=d.rt, jabatan=Jabatan(d.jabatan)
            )
        if failed:
            history = []
        self.history_model.set_rows(history)

    # ------------------------------------------------------------------------------ actions

    def reveal_nik(self) -> None:
        """ "Tampilkan NIK": the selected official's whole NIK in the detail pane, until another is selected."""
        if self._detail is None:
            return
        with shown(self) as failed:
            nik = officials.reveal_nik(self._ctx, self._actor, self._detail.id)
        if failed:
            return
        self.details.set("nik", nik)
        self.reveal_action.setEnabled(False)  # shown until another official is selected

    def new_official(self) -> None:
        from klaten_desktop.gui.officials.official_dialog import OfficialDialog

        dialog = OfficialDialog(self._ctx, self._actor, self._desa, parent=self)
        if dialog.exec() and dialog.result_detail is not None:
            self._after_change(dialog.result_detail.id)

    def edit_official(self) -> None:
        if self._detail is None or not self.edit_action.isVisible():  # a double click by a reader: nothing to edit
            return
        from klaten_desktop.gui.officials.official_dialog import OfficialDialog

        dialog = OfficialDialog(self._ctx, self._actor, self._desa, detail=self._detail, parent=self)
        if dialog.exec() and dialog.result_detail is not None:
            self._after_change(dialog.result_detail.id)

    def replace_official(self) -> None:
        if self._detail is None or self._detail.term_status != "menjabat":
            return
        dialog = self.replace_dialog()
        if dialog.exec() and dialog.result_detail is not None:
            self._after_change(dialog.result_detail.id)

    def replace_dialog(self) -> OfficialDialog:
        from klaten_desktop.gui.officials.official_dialog import OfficialDialog

        assert self._detail is not None
        return OfficialDialog(self._ctx, self._actor, self._desa, replacing=self._detail, parent=self)

    def end_term(self) -> None:
        if self._detail is None:
            return
        from klaten_desktop.gui.enrollment.dialogs import EndTermDialog  # (with its services) when first asked

        dialog = EndTermDialog(self._ctx, self._actor, self._detail, self)
        if dialog.exec():
            self._after_change(self._detail.id)
