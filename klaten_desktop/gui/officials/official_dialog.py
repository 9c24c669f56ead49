"""The official form: new, correct, or "Ganti pengurus" (a successor takes the slot). Layout in
ui/official_form.ui; live validation with the domain rules and the database (duplicate NIK, occupied post)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from klaten_desktop.domain.enums import EndReason, Jabatan, Sex
from klaten_desktop.domain.formatting import format_date, format_rt_rw
from klaten_desktop.domain.nik import NikError, decode_nik, normalize_nik
from klaten_desktop.domain.official_rules import OfficialFields
from klaten_desktop.domain.validation import CheckResult, Issue, Severity
from klaten_desktop.gui.forms.ui_official_form import Ui_OfficialForm
from klaten_desktop.gui.kit.date_field import DateField
from klaten_desktop.gui.kit.failures import shown, user_text
from klaten_desktop.gui.kit.form_dialog import FormDialog, reserve_lines, set_message
from klaten_desktop.gui.kit.name_search import search_names
from klaten_desktop.gui.kit.status_style import ERROR_COLOR, WARNING_COLOR
from klaten_desktop.services import officials
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, StaleRecordError, UserError, ValidationFailed
from klaten_desktop.services.records import OfficialDetail
from klaten_desktop.services.wilayah import WilayahRow

VALIDATE_DELAY_MS = 250
# the fields of OfficialFields (and "on", the replacement date) and their widgets in the form; the message about a
# field goes to the label named after its widget with "Issue" added (nikIssue, replaceDateIssue ...)
FIELD_WIDGETS = {
    "nik": "nik",
    "nama": "nama",
    "tempat_lahir": "tempatLahir",
    "tanggal_lahir": "tanggalLahir",
    "jenis_kelamin": "jenisKelamin",
    "alamat": "alamat",
    "telepon": "telepon",
    "email": "email",
    "nama_ibu_kandung": "namaIbuKandung",
    "desa_kode": "desa",
    "rw": "rw",
    "rt": "rt",
    "jabatan": "jabatan",
    "term_start": "termStart",
    "term_end": "termEnd",
    "sk_nomor": "skNomor",
    "sk_tanggal": "skTanggal",
    "on": "replaceDate",
}


class OfficialDialog(FormDialog):
    saved = Signal(object)  # OfficialDetail

    def __init__(
        self,
        ctx: ServiceContext,
        actor: Actor,
        desa: Sequence[WilayahRow],
        *,
        detail: OfficialDetail | None = None,
        replacing: OfficialDetail | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("", "", "&Simpan", parent)
        self._ctx = ctx
        self._actor = actor
        self._detail = detail
        self._replacing = replacing
        self._nik_birth: dt.date | None = None
        self._nik_sex: Sex | None = None
        self.result_detail: OfficialDetail | None = None
        self.last_check = CheckResult()

        self._make_form()
        self._fill_choices(desa)
        ui = self.ui
        self._field_widgets: dict[str, QWidget] = {field: getattr(ui, name) for field, name in FIELD_WIDGETS.items()}
        self._issue_labels: dict[str, QLabel] = {
            field: getattr(ui, name + "Issue") for field, name in FIELD_WIDGETS.items()
        }
        for label in self._issue_labels.values():  # a message appears without moving any field
            reserve_lines(label, 1).show()
        ui.nikInfo.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # its text: no wider form
        ui.summary.hide()
        self._setup_mode()
        self._connect_validation()
        if self._detail is not None:
            self._on_nik_changed(ui.nik.text())
        self.resize(1000, 600)

    def _make_form(self) -> None:
        """The Designer form (ui/official_form.ui) above the Simpan/Batal buttons (its summary line is the form's
        own message line)."""
        self.form_widget = QWidget()
        self.ui = Ui_OfficialForm()
        self.ui.setupUi(self.form_widget)
        self.body.addWidget(self.form_widget)
        self.error_label.hide()
        self.save_button = self.ok_button

    def _fill_choices(self, desa: Sequence[WilayahRow]) -> None:
        """The choices of the drop-downs (sex, ``desa``, jabatan), the RW/RT ranges and the date fields."""
        ui = self.ui
        ui.jenisKelamin.addItem("—", None)
        for sex in Sex:
            ui.jenisKelamin.addItem(sex.label, sex.value)
        search_names(ui.desa)
        ui.desa.addItem("— pilih desa/kelurahan —", None)
        for w in desa:
            ui.desa.addItem(w.label, w.kode)
        search_names(ui.jabatan)  # "Ketua RT" typed whole: the space does not open the list mid-name
        ui.jabatan.addItem("— pilih jabatan —", None)
        for j in Jabatan:
            ui.jabatan.addItem(j.label, j.value)
        for spin in (ui.rw, ui.rt):
            spin.setRange(0, 999)
            spin.setSpecialValueText("—")
        for edit in self._date_fields():
            edit.set_today(self._ctx.today())
            edit.set_problem_shown(False)  # its message goes to its issue label, like every other field's

    def _date_fields(self) -> tuple[DateField, ...]:
        ui = self.ui
        return (ui.tanggalLahir, ui.termStart, ui.termEnd, ui.skTanggal, ui.replaceDate)

    def _connect_validation(self) -> None:
        """Check the form a moment after any change; a typed NIK offers its birth date and sex."""
        ui = self.ui
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.validate_now)
        for line in (ui.nik, ui.nama, ui.tempatLahir, ui.alamat, ui.telepon, ui.email, ui.namaIbuKandung, ui.skNomor):
            line.textChanged.connect(self._timer.start)
        for date_edit in self._date_fields():
            date_edit.dateChanged.connect(self._timer.start)
            date_edit.edit.editingFinished.connect(self._timer.start)
        for combo in (ui.jenisKelamin, ui.desa, ui.jabatan):
            combo.currentIndexChanged.connect(self._timer.start)
        for spin in (ui.rw, ui.rt):
            spin.valueChanged.connect(self._timer.start)
        ui.nik.textChanged.connect(self._on_nik_changed)
        ui.useNikData.clicked.connect(self._on_use_nik_data)
        ui.useNikData.setAutoDefault(False)  # Enter always saves

    # ------------------------------------------------------------------------------ set-up

    def _setup_mode(self) -> None:
        ui = self.ui
        if self._replacing is not None:
            old = self._replacing
            self.setWindowTitle(f"Ganti pengurus — {old.jabatan.label} {format_rt_rw(old.rt, old.rw)} {old.desa_nama}")
            ui.replaceInfo.setText(
                f"<b>{old.nama}</b> menjabat sebagai {old.jabatan.label} {format_rt_rw(old.rt, old.rw)} "
                f"Desa {old.desa_nama} sejak {format_date(old.term_start) or 'tanggal tidak tercatat'}. "
                "Masa jabatannya berakhir pada tanggal penggantian dan kepesertaannya menjadi <i>berakhir</i>; "
                "datanya tetap tersimpan dalam riwayat. Isi data pengurus baru di bawah ini."
            )
            ui.replaceDate.set_value(self._ctx.today())
            self._select(ui.desa, old.desa_kode)
            ui.rw.setValue(old.rw or 0)
            ui.rt.setValue(old.rt or 0)
            self._select(ui.jabatan, old.jabatan.value)
            for widget in (ui.desa, ui.rw, ui.rt, ui.jabatan):
                widget.setEnabled(False)
            self.save_button.setText("&Simpan penggantian")
            return
        ui.replaceBox.hide()
        if self._detail is None:
            self.setWindowTitle("Pengurus baru")
            return
        d = self._detail
        self.setWindowTitle(f"Ubah data pengurus — {d.nama}")
        ui.nik.setText(d.nik)
        ui.nama.setText(d.nama)
        ui.tempatLahir.setText(d.tempat_lahir or "")
        ui.tanggalLahir.set_value(d.tanggal_lahir)
        self._select(ui.jenisKelamin, d.jenis_kelamin.value)
        ui.alamat.setText(d.alamat or "")
        ui.telepon.setText(d.telepon or "")
        ui.email.setText(d.email or "")
        ui.namaIbuKandung.setText(d.nama_ibu_kandung or "")
        self._select(ui.desa, d.desa_kode)
        ui.rw.setValue(d.rw or 0)
        ui.rt.setValue(d.rt or 0)
        self._select(ui.jabatan, d.jabatan.value)
        ui.termStart.set_value(d.term_start)
        ui.termEnd.set_value(d.term_end)
        ui.skNomor.setText(d.sk_nomor or "")
        ui.skTanggal.set_value(d.sk_tanggal)

    @staticmethod
    def _select(combo: object, value: str | None) -> None:
        from PySide6.QtWidgets import QComboBox

        assert isinstance(combo, QComboBox)
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def tab_chain(self) -> list[QWidget]:
        ui = self.ui
        chain: list[QWidget] = []
        if self._replacing is not None:
            chain.append(ui.replaceDate)
        chain += [ui.nik, ui.useNikData, ui.nama, ui.tempatLahir, ui.tanggalLahir, ui.jenisKelamin, ui.alamat]
        chain += [ui.telepon, ui.email, ui.namaIbuKandung]
        chain += [ui.desa, ui.rw, ui.rt, ui.jabatan, ui.termStart, ui.termEnd, ui.skNomor, ui.skTanggal]
        return chain

    # ------------------------------------------------------------------------------ fields

    def fields(self) -> OfficialFields:
        ui = self.ui
        sex = ui.jenisKelamin.currentData()
        jabatan = ui.jabatan.currentData()

        def text(line: object) -> str | None:
            value = line.text().strip()  # type: ignore[attr-defined]
            return value or None

        return OfficialFields(
            nik=normalize_nik(ui.nik.text()),
            nama=ui.nama.text(),
            tempat_lahir=text(ui.tempatLahir),
            tanggal_lahir=ui.tanggalLahir.value(),
            jenis_kelamin=Sex(sex) if sex else None,
            alamat=text(ui.alamat),
            desa_kode=ui.desa.currentData(),
            rw=ui.rw.value() or None,
            rt=ui.rt.value() or None,
            jabatan=Jabatan(jabatan) if jabatan else None,
            term_start=ui.termStart.value(),
            term_end=ui.termEnd.value(),
            sk_nomor=text(ui.skNomor),
            sk_tanggal=ui.skTanggal.value(),
            telepon=text(ui.telepon),
            email=text(ui.email),
            nama_ibu_kandung=text(ui.namaIbuKandung),
        )

    def replace_date(self) -> dt.date | None:
        return self.ui.replaceDate.value()

    # ------------------------------------------------------------------------------ NIK decoding

    def _on_nik_changed(self, text: str) -> None:
        nik = normalize_nik(text)
        self._nik_birth = self._nik_sex = None
        self.ui.useNikData.setEnabled(False)
        if len(nik) != 16:
            self.ui.nikInfo.setText("")
            return
        try:
            info = decode_nik(nik, today=self._ctx.today())
        except NikError:
            self.ui.nikInfo.setText("")
            return
        self._nik_birth, self._nik_sex = info.birth_date, info.sex
        self.ui.nikInfo.setText(f"Menurut NIK: lahir {format_date(info.birth_date)}, {info.sex.label}.")
        ui = self.ui
        birth, sex = ui.tanggalLahir.value(), ui.jenisKelamin.currentData()
        if birth is None and sex is None:
            self._on_use_nik_data()
        else:
            ui.useNikData.setEnabled((birth, sex) != (info.birth_date, info.sex.value))

    def _on_use_nik_data(self) -> None:
        if self._nik_birth is not None:
            self.ui.tanggalLahir.set_value(self._nik_birth)
        if self._nik_sex is not None:
            self._select(self.ui.jenisKelamin, self._nik_sex.value)
        self.ui.useNikData.setEnabled(False)

    # ------------------------------------------------------------------------------ validation

    def validate_now(self) -> CheckResult:
        self._timer.stop()
        fields = self.fields()
        official_id = self._detail.id if self._detail is not None else None
        try:
            result = officials.validate(self._ctx, fields, official_id=official_id)
        except EnvironmentProblem as exc:
            self._show_summary(exc.message, error=True)
            return self.last_check
        if self._replacing is not None:  # the old holder leaves the post on the same day
            result = CheckResult(tuple(i for i in result.issues if i.code != "slot_taken"))
            on = self.replace_date()
            if on is None:
                result = result.merged(CheckResult.error("on", "on_missing", "Tanggal penggantian wajib diisi."))
            elif self._replacing.term_start is not None and on < self._replacing.term_start:
                result = result.merged(
                    CheckResult.error("on", "on_before_term", "Tanggal penggantian sebelum awal masa jabatan lama.")
                )
        result = result.merged(self._date_problems())
        self.show_issues(result.issues)
        self.last_check = result
        return result

    def _date_problems(self) -> CheckResult:
        """A date field whose text is no date: an error of its field (the text is not taken as empty)."""
        result = CheckResult()
        for field, widget in self._field_widgets.items():
            if isinstance(widget, DateField) and widget.isVisibleTo(self) and widget.text().strip():
                problem = widget.problem()
                if problem:
                    result = result.merged(CheckResult.error(field, "date_unreadable", problem))
        return result

    def show_issues(self, issues: Sequence[Issue]) -> None:
        by_field: dict[str, list[Issue]] = {}
        for issue in issues:
            by_field.setdefault(issue.field, []).append(issue)
        unplaced: list[Issue] = []
        for name, issues_here in by_field.items():
            if name not in self._issue_labels:
                unplaced.extend(issues_here)
        for name, label in self._issue_labels.items():
            here = sorted(by_field.get(name, []), key=lambda i: i.severity is not Severity.ERROR)
            if not here:
                set_message(label, "")
                continue
            lines = [("✖ " if i.is_error else "⚠ ") + i.message for i in here]
            color = ERROR_COLOR if here[0].is_error else WARNING_COLOR
            label.setStyleSheet(f"color: {color};")
            set_message(label, "\n".join(lines))
            label.setAccessibleDescription(" ".join(lines))
        if unplaced:
            self._show_summary("\n".join(i.message for i in unplaced), error=any(i.is_error for i in unplaced))
        else:
            self.ui.summary.hide()

    def _show_summary(self, text: str, *, error: bool) -> None:
        self.ui.summary.setStyleSheet(f"color: {ERROR_COLOR if error else WARNING_COLOR};")
        self.ui.summary.setText(text)
        self.ui.summary.show()

    def issue_text(self, field: str) -> str:
        return self._issue_labels[field].text()

    # ------------------------------------------------------------------------------ saving

    def submit(self) -> bool:
        result = self.validate_now()
        if result.errors:
            first = result.errors[0].field
            widget = self._field_widgets.get(first)
            if widget is not None:
                widget.setFocus()
            return False
        fields = self.fields()
        with shown(self, inline=self._show_inline) as failed:
            if self._replacing is not None:
                on = self.replace_date()
                assert on is not None
                detail = officials.replace(
                    self._ctx, self._actor, self._replacing.id, on=on, new=fields, reason=EndReason.diganti
                )
            elif self._detail is not None:
                detail = officials.update_official(
                    self._ctx, self._actor, self._detail.id, fields, expected_version=self._detail.row_version
                )
            else:
                detail = officials.register(self._ctx, self._actor, fields)
        if failed:
            return False
        self.result_detail = detail
        self.saved.emit(detail)
        self.accept()
        return True

    def _show_inline(self, exc: UserError) -> bool:
        """A refusal of the service beside its field, or in the summary above the buttons. Saved by someone else
        since it was opened: the form shows their version (the typed changes are to be made again) and says so."""
        if isinstance(exc, StaleRecordError) and self._detail is not None:
            try:
                self._detail = officials.get(self._ctx, self._detail.id)
            except UserError as gone:  # deleted meanwhile: nothing to reload
                self._show_summary(user_text(gone), error=True)
                return True
            self._setup_mode()
            self.validate_now()  # the reloaded values checked at once (stops the timer), then the message stays
            self._show_summary(user_text(exc), error=True)
        elif isinstance(exc, ValidationFailed):
            self.show_issues([i for i in exc.issues if isinstance(i, Issue)])
        elif exc.field and exc.field in self._issue_labels:
            self.show_issues([Issue(exc.field, "service", exc.message, Severity.ERROR)])
        else:
            self._show_summary(user_text(exc), error=True)
        return True
