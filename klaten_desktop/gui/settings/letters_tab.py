"""Tab "Surat": letter numbering, kode klasifikasi per kind (and for certificates, numbered by the same rule in a
sequence of their own), paper, place on the date line and the kop's logo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.gui.kit import messages
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
from klaten_desktop.services import office
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.documents import letterhead
from klaten_desktop.services.documents.schemas import CERTIFICATE_KIND
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.letters import templates

SEQUENCES = {"bersama": "Satu urutan untuk semua jenis surat", "per_jenis": "Urutan sendiri untuk tiap jenis surat"}
PAPERS = {"A4": "A4 (210 × 297 mm)", "F4": "F4 / folio (215 × 330 mm)"}
EXAMPLE_NUMBER = 17
CERTIFICATE_LABEL = "Sertifikat acara"


class LettersTab(SettingsTab):
    def __init__(self, ctx: ServiceContext, actor: Actor, used: set[str], parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, parent)
        self._logo_sha: str | None = None
        self.kinds: list[tuple[str, str]] = [(t.kind, t.label) for t in templates.list_templates(ctx)]

        self._make_fields()
        numbering, numbering_labels = self._numbering_box()
        codes, kind_labels = self._codes_box()
        page, page_labels = self._page_box()
        left = QVBoxLayout()
        left.addWidget(numbering)
        left.addWidget(page)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(codes)
        right.addStretch(1)
        columns = QHBoxLayout(self)
        columns.setContentsMargins(12, 12, 12, 12)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        assign_mnemonics([*numbering_labels, *page_labels, self.choose_logo, self.remove_logo, *kind_labels], used)
        self._issues = [
            self.logo_issue,
            self.format_issue,
            self.kode_unit_issue,
            self.place_issue,
            *self.klasifikasi_issue.values(),
        ]

    def _make_fields(self) -> None:
        """The numbering format with its example, the unit code, the sequence, the paper, the place, and their
        issue lines."""
        self.format = QLineEdit()
        self.format.setAccessibleName("Format nomor surat")
        self.format.textChanged.connect(self._update_example)
        self.example = QLabel()
        self.example.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.format_issue = issue_label()
        self.kode_unit = QLineEdit()
        self.kode_unit.textChanged.connect(self._update_example)
        self.kode_unit_issue = issue_label()
        self.sequence = QComboBox()
        for value, text in SEQUENCES.items():
            self.sequence.addItem(text, value)
        self.paper = QComboBox()
        for value, text in PAPERS.items():
            self.paper.addItem(text, value)
        self.place = QLineEdit()
        self.place_issue = issue_label()

    def _numbering_box(self) -> tuple[QGroupBox, list[QLabel]]:
        """The box "Penomoran": format (with the fields it may use), unit code, sequence; with the rows' labels."""
        numbering = QGroupBox("Penomoran")
        form = QFormLayout(numbering)
        fields = ", ".join("{" + f + "}" for f in sorted(letterhead.FORMAT_FIELDS))
        labels = [
            labelled_row(
                form, "Format nomor", self.format, self.example, self.format_issue, hint_label(f"Kolom: {fields}.")
            ),
            labelled_row(form, "Kode unit kerja", self.kode_unit, self.kode_unit_issue),
            labelled_row(form, "Urutan nomor", self.sequence),
        ]
        return numbering, labels

    def _codes_box(self) -> tuple[QGroupBox, list[QLabel]]:
        """A kode klasifikasi for each kind of letter (empty: the default); with the rows' labels."""
        self.klasifikasi: dict[str, QLineEdit] = {}
        self.klasifikasi_issue: dict[str, QLabel] = {}
        codes = QGroupBox("Kode klasifikasi per jenis surat dan sertifikat")
        codes_form = QFormLayout(codes)
        labels: list[QLabel] = []
        for kind, title in [*self.kinds, (CERTIFICATE_KIND, CERTIFICATE_LABEL)]:
            edit = QLineEdit()
            edit.setAccessibleName(f"Kode klasifikasi {title}")
            edit.setPlaceholderText(letterhead.DEFAULT_KLASIFIKASI)
            edit.textChanged.connect(self._update_example)
            self.klasifikasi[kind] = edit
            self.klasifikasi_issue[kind] = issue_label()
            labels.append(labelled_row(codes_form, title, edit, self.klasifikasi_issue[kind]))
        codes_form.addRow(hint_label(f"Kosong: {letterhead.DEFAULT_KLASIFIKASI} (Permendagri 83/2022, RT/RW)."))
        codes_form.addRow(
            hint_label("Nomor sertifikat mengikuti format nomor surat, dengan urutan sendiri setiap tahun.")
        )
        return codes, labels

    def _page_box(self) -> tuple[QGroupBox, list[QLabel]]:
        """The box "Kertas dan kop": paper, place on the date line and the kop's logo; with the rows' labels."""
        page = QGroupBox("Kertas dan kop")
        page_form = QFormLayout(page)
        labels = [
            labelled_row(page_form, "Ukuran kertas", self.paper),
            labelled_row(page_form, "Tempat (baris tanggal)", self.place, self.place_issue),
        ]
        self.logo = QLabel()
        self.logo.setFixedSize(96, 96)
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo.setStyleSheet("border: 1px solid #c5cad1; background: #ffffff;")
        self.choose_logo = QPushButton("Pilih gambar logo…")
        self.choose_logo.clicked.connect(self._choose_logo)
        self.remove_logo = QPushButton("Hapus logo")
        self.remove_logo.clicked.connect(self._remove_logo)
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.choose_logo)
        logo_buttons.addWidget(self.remove_logo)
        logo_buttons.addStretch(1)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo)
        logo_row.addLayout(logo_buttons)
        logo_row.addStretch(1)
        page_form.addRow("Logo kop:", logo_row)
        self.logo_issue = issue_label()
        page_form.addRow("", self.logo_issue)
        page_form.addRow(hint_label("Gambar PNG atau JPEG, paling besar 2 MB. Perubahan logo langsung disimpan."))
        return page, labels

    # ------------------------------------------------------------------------------ load

    def refresh(self) -> None:
        current = letterhead.get(self._ctx)
        data = office.get(self._ctx)
        kecamatan = data.kecamatan_nama if data is not None and not data.is_kabupaten else None
        # values equal to the ones derived from the kecamatan are shown as placeholders, so saving keeps
        # them derived (None) instead of storing a copy
        unit, place = letterhead.derive_kode_unit(kecamatan), kecamatan.title() if kecamatan else "Klaten"
        self.kode_unit.setPlaceholderText(unit)
        self.place.setPlaceholderText(place)
        self.format.setText(current.format_nomor)
        self.kode_unit.setText("" if current.kode_unit == unit else current.kode_unit or "")
        self.place.setText("" if current.tempat == place else current.tempat or "")
        self.sequence.setCurrentIndex(self.sequence.findData(current.urutan))
        self.paper.setCurrentIndex(self.paper.findData(current.kertas))
        for kind, edit in self.klasifikasi.items():
            edit.setText(current.klasifikasi.get(kind, ""))
        self._show_logo(current.logo)
        for label in self._issues:
            clear_issue(label)
        self._update_example()

    def _first_kind(self) -> str:
        return self.kinds[0][0] if self.kinds else "pengantar"

    def _update_example(self) -> None:
        fmt = self.format.text()
        try:
            letterhead.check_format(fmt)
        except UserError as exc:
            self.example.setText("Contoh: —")
            show_issue(self.format_issue, exc.message)
            return
        clear_issue(self.format_issue)
        today = self._ctx.today()
        code = self.klasifikasi.get(self._first_kind())
        example = letterhead.format_nomor(
            fmt,
            kode_klasifikasi=(code.text().strip() if code is not None else "") or letterhead.DEFAULT_KLASIFIKASI,
            nomor=EXAMPLE_NUMBER,
            kode_unit=" ".join(self.kode_unit.text().split()) or self.kode_unit.placeholderText(),
            tahun=today.year,
            bulan=today.month,
        )
        self.example.setText(f"Contoh: <b>{example}</b>")

    # ------------------------------------------------------------------------------ save

    def save(self) -> bool:
        for label in self._issues:
            clear_issue(label)
        changes = {
            "format_nomor": self.format.text().strip(),
            "kode_unit": self.kode_unit.text().strip() or None,
            "tempat": self.place.text().strip() or None,
            "urutan": self.sequence.currentData(),
            "kertas": self.paper.currentData(),
            "klasifikasi": {k: e.text().strip() for k, e in self.klasifikasi.items() if e.text().strip()},
        }
        with shown(self, inline=self._show_error) as failed:
            letterhead.update(self._ctx, self._actor, **changes)
        if failed:
            return False
        self.refresh()
        messages.info(self, "Pengaturan surat disimpan.")
        return True

    def _show_error(self, exc: UserError) -> bool:
        """Show ``exc`` beside its field; False when no field of the tab is concerned."""
        by_field = {"format_nomor": (self.format_issue, self.format)}
        target = by_field.get(exc.field or "")
        if target is None:
            for kind, edit in self.klasifikasi.items():
                if f"untuk {kind} " in exc.message:
                    target = (self.klasifikasi_issue[kind], edit)
        if target is None:
            return False
        show_issue(target[0], exc.message)
        target[1].setFocus()
        return True

    # ------------------------------------------------------------------------------ logo

    def _show_logo(self, sha: str | None) -> None:
        self._logo_sha = sha
        self.remove_logo.setEnabled(sha is not None)
        pixmap = QPixmap()
        if sha is not None:
            data = letterhead.logo_image(self._ctx)
            if data is not None:
                pixmap.loadFromData(data)
        if pixmap.isNull():
            self.logo.setPixmap(QPixmap())
            self.logo.setText("Tanpa logo")
        else:
            self.logo.setText("")
            self.logo.setPixmap(
                pixmap.scaled(88, 88, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )

    def _choose_logo(self) -> None:
        path = messages.ask_open_path(self, "Pilih logo kop surat", "Gambar (*.png *.jpg *.jpeg)")
        if path is None:
            return
        self._set_logo(path)

    def _remove_logo(self) -> None:
        if self._logo_sha is None or not messages.confirm(self, "Hapus logo dari kop surat berikutnya?", yes="&Hapus"):
            return
        self._set_logo(None)

    def _set_logo(self, path: Path | None) -> None:
        clear_issue(self.logo_issue)
        try:
            current = letterhead.set_logo(self._ctx, self._actor, path)
        except (UserError, EnvironmentProblem) as exc:
            show_issue(self.logo_issue, exc.message)
            return
        self._show_logo(current.logo)
        messages.info(self, "Logo kop surat disimpan." if path is not None else "Logo kop surat dihapus.")
