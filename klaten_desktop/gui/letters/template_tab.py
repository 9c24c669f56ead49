"""Tab "Templat": edit a kind's kop, texts with {{placeholders}} and signatory; live validation; versions;
preview with synthetic data; export/import template files; new kinds of the office's own."""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shows_failures
from klaten_desktop.gui.kit.form_dialog import FormDialog
from klaten_desktop.gui.letters import common
from klaten_desktop.gui.letters.preview import PdfPreviewDialog
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import issue, templates
from klaten_desktop.services.letters.templates import FIELD_LABELS, SCOPES, LetterTemplate

MULTILINE = {"yth", "body", "tembusan", "kop_lines"}
LIST_FIELDS = {"yth", "tembusan", "kop_lines"}
FIELD_ORDER = (
    "title", "hal", "sifat", "yth", "di", "body", "tembusan",
    "kop_instansi", "kop_unit", "kop_lines", "ttd_jabatan", "ttd_nama", "ttd_pangkat", "ttd_nip",
)  # fmt: skip
JSON_FILTER = "Berkas templat surat (*.json)"


def _comparable(t: LetterTemplate) -> dict[str, Any]:
    return {k: v for k, v in t.as_json().items() if k not in ("version", "saved_at", "saved_by")}


class NewKindDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Jenis surat baru", "", "&Lanjut", parent)
        self.code = QLineEdit()
        self.code.setPlaceholderText("mis. undangan_sosialisasi")
        self.label = QLineEdit()
        self.label.setPlaceholderText("mis. Surat Undangan Sosialisasi")
        self.scope = QComboBox()
        for code, text in SCOPES.items():
            self.scope.addItem(text, code)
        self.layout_kind = QComboBox()
        self.layout_kind.addItem("Surat (Nomor/Sifat/Lampiran/Hal, Yth.)", "surat")
        self.layout_kind.addItem("Surat keterangan (judul di tengah)", "keterangan")
        self.add_row("&Kode jenis:", self.code)
        self.add_row("&Nama jenis:", self.label)
        self.add_row("&Cakupan data:", self.scope)
        self.add_row("Tata &letak:", self.layout_kind)

    def template(self) -> LetterTemplate:
        layout = str(self.layout_kind.currentData())
        return LetterTemplate(
            kind=self.code.text().strip(),
            label=self.label.text().strip(),
            scope=str(self.scope.currentData()),
            layout=layout,
            title=self.label.text().strip().upper() if layout == "keterangan" else "",
            hal=self.label.text().strip(),
            yth=("Kepala Desa {{desa}}",),
            di="Tempat",
            body=(
                "Dengan hormat,\n\n"
                "Demikian surat ini kami sampaikan. Atas perhatian Saudara, kami ucapkan terima kasih."
            ),
        )

    def run_action(self) -> LetterTemplate:
        t = self.template()
        problems = [p for p in templates.check(t) if not p.startswith(("Hal", "Isi", "Judul"))]
        if t.kind in templates.BUILTIN_KINDS:
            problems.insert(0, f"Kode {t.kind} sudah dipakai surat bawaan.")
        if problems:
            raise UserError("\n".join(problems))
        return t


def ask_new_kind(parent: QWidget | None) -> LetterTemplate | None:
    dialog = NewKindDialog(parent)
    return dialog.template() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _field_editor(name: str) -> QLineEdit | QPlainTextEdit:
    """The editor of a template field: several lines for MULTILINE fields (Tab leaves them), else one; named
    after the field."""
    editor: QLineEdit | QPlainTextEdit
    if name in MULTILINE:
        editor = QPlainTextEdit()
        editor.setTabChangesFocus(True)
        editor.setMinimumHeight(200 if name == "body" else 52)
        editor.setMaximumHeight(16777215 if name == "body" else 70)
    else:
        editor = QLineEdit()
    editor.setObjectName(name)
    return editor


class TemplateTab(QWidget):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._template: LetterTemplate | None = None
        self._loaded: dict[str, Any] = {}
        self._last_editor: QWidget | None = None

        splitter = QSplitter()
        splitter.addWidget(self._kinds_column())
        splitter.addWidget(self._fields_column())
        splitter.addWidget(self._placeholders_column())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 700, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(self._buttons_row())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self.refresh()

    def _kinds_column(self) -> QWidget:
        """Left: the kinds of letter ("Jenis baru…" under them) and the chosen kind's versions ("Pulihkan")."""
        self.kinds = QListWidget()
        self.kinds.currentRowChanged.connect(self._on_kind_selected)
        self.versions = QListWidget()
        self.versions.itemActivated.connect(self._on_version_activated)
        self.new_kind_button = QPushButton("Jenis ba&ru…")
        self.new_kind_button.clicked.connect(self._on_new_kind_clicked)
        self.restore_button = QPushButton("Pu&lihkan versi terpilih")
        self.restore_button.clicked.connect(self._on_restore_clicked)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Jenis surat:"))
        left_layout.addWidget(self.kinds, 2)
        left_layout.addWidget(self.new_kind_button)
        left_layout.addWidget(QLabel("Riwayat versi:"))
        left_layout.addWidget(self.versions, 2)
        left_layout.addWidget(self.restore_button)
        return left

    def _fields_column(self) -> QWidget:
        """Middle: which template and version, its fields (scrolling; each change re-checks), its problems."""
        self.label_edit = QLineEdit()
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        form.addRow("Nama jenis:", self.label_edit)
        for name in FIELD_ORDER:
            editor = _field_editor(name)
            editor.textChanged.connect(self._validate)
            self.editors[name] = editor
            hint = " (satu per baris)" if name in LIST_FIELDS else ""
            form.addRow(FIELD_LABELS[name] + hint + ":", editor)
        self.label_edit.textChanged.connect(self._validate)
        fields = QWidget()
        fields.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(fields)
        scroll.setWidgetResizable(True)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        middle_layout.addWidget(self.heading)
        middle_layout.addWidget(scroll, 1)
        middle_layout.addWidget(self.problems)
        return middle

    def _placeholders_column(self) -> QWidget:
        """Right: the placeholders of the template's scope; a click inserts one in the last field edited."""
        self.placeholders = QListWidget()
        self.placeholders.setWordWrap(True)
        self.placeholders.itemClicked.connect(self._on_placeholder_clicked)
        self.placeholders.itemActivated.connect(self._on_placeholder_clicked)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("Isian (klik untuk menyisipkan):"))
        right_layout.addWidget(self.placeholders, 1)
        return right

    def _buttons_row(self) -> QHBoxLayout:
        """Export and import of template files on the left; preview and save on the right."""
        self.save_button = QPushButton("&Simpan versi baru")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.preview_button = QPushButton("&Pratinjau (data contoh)")
        self.preview_button.clicked.connect(self._on_preview_clicked)
        self.export_button = QPushButton("&Ekspor templat…")
        self.export_button.clicked.connect(self._on_export_clicked)
        self.import_button = QPushButton("&Impor templat…")
        self.import_button.clicked.connect(self._on_import_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.save_button)
        return buttons

    # ------------------------------------------------------------------------------------------ loading

    def refresh(self, select: str | None = None) -> None:
        current = select or (self._template.kind if self._template is not None else None)
        self._list = templates.list_templates(self._ctx)
        self.kinds.blockSignals(True)
        self.kinds.clear()
        for t in self._list:
            item = QListWidgetItem(t.label + ("" if t.builtin else " (buatan kantor)"))
            item.setData(Qt.ItemDataRole.UserRole, t.kind)
            self.kinds.addItem(item)
        self.kinds.blockSignals(False)
        kinds = [t.kind for t in self._list]
        self.kinds.setCurrentRow(kinds.index(current) if current in kinds else 0)

    def _on_kind_selected(self, row: int) -> None:
        if 0 <= row < len(self._list):
            self.load(self._list[row])

    def load(self, template: LetterTemplate) -> None:
        self._template = template
        self.label_edit.setText(template.label)
        for name, text in template.texts().items():
            editor = self.editors[name]
            if isinstance(editor, QLineEdit):
                editor.setText(text)
            else:
                editor.setPlainText(text)
        self.editors["title"].setEnabled(template.layout == "keterangan")
        self._loaded = _comparable(self.candidate())
        scope = SCOPES.get(template.scope, template.scope)
        version = f"versi {template.version}" if template.version else "teks bawaan (versi 0)"
        self.heading.setText(f"<b>{html.escape(template.label)}</b> – {version}; cakupan: {html.escape(scope)}")
        self.placeholders.clear()
        for name, meaning in templates.placeholders(template.scope).items():
            item = QListWidgetItem(f"{{{{{name}}}}} – {meaning}")
            item.setData(Qt.ItemDataRole.UserRole, "{{" + name + "}}")
            self.placeholders.addItem(item)
        self._load_versions(template.kind)
        self._validate()

    def _load_versions(self, kind: str) -> None:
        self.versions.clear()
        try:
            history = templates.history(self._ctx, kind)
        except UserError:
            history = []  # a new kind not saved yet
        for t in reversed(history):
            when = f"{t.saved_at.replace('T', ' ')} oleh {t.saved_by}" if t.saved_at else "teks bawaan"
            item = QListWidgetItem(f"Versi {t.version} – {when}")
            item.setData(Qt.ItemDataRole.UserRole, t.version)
            self.versions.addItem(item)
        self.restore_button.setEnabled(self.versions.count() > 1)

    # ------------------------------------------------------------------------------------------ editing

    def candidate(self) -> LetterTemplate:
        assert self._template is not None
        changes: dict[str, Any] = {"label": self.label_edit.text()}
        for name, editor in self.editors.items():
            text = editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()
            changes[name] = tuple(line for line in text.splitlines()) if name in LIST_FIELDS else text
        return replace(self._template, **changes)

    def is_dirty(self) -> bool:
        return self._template is not None and _comparable(self.candidate()) != self._loaded

    def current_problems(self) -> list[str]:
        return templates.check(self.candidate()) if self._template is not None else []

    def _validate(self) -> None:
        if self._template is None:
            return
        problems = self.current_problems()
        if problems:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            self.problems.setText(f"<span style='color:#b00020'><b>Belum dapat disimpan:</b><ul>{items}</ul></span>")
        else:
            state = "ada perubahan yang belum disimpan" if self.is_dirty() else "tidak ada perubahan"
            self.problems.setText(f"<span style='color:#1b5e20'>Templat benar ({state}).</span>")
        self.save_button.setEnabled(not problems and self.is_dirty())
        self.preview_button.setEnabled(not problems)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and (new in self.editors.values()):
            self._last_editor = new

    def _on_placeholder_clicked(self, item: QListWidgetItem) -> None:
        token = str(item.data(Qt.ItemDataRole.UserRole))
        editor = self._last_editor or self.editors["body"]
        if isinstance(editor, QLineEdit):
            editor.insert(token)
        elif isinstance(editor, QPlainTextEdit):
            editor.insertPlainText(token)
        editor.setFocus()

    # ------------------------------------------------------------------------------------------ actions

    @shows_failures
    def _on_save_clicked(self) -> None:
        problems = self.current_problems()
        if problems:
            messages.warn(self, "Templat belum dapat disimpan:\n\n" + "\n".join(f"• {p}" for p in problems))
            return
        saved = templates.save(self._ctx, common.actor(), self.candidate())
        self._show_saved(saved, f"Templat {saved.label} disimpan sebagai versi {saved.version}.")

    def _show_saved(self, saved: LetterTemplate, text: str) -> None:
        """A new version was stored: select and show it, then tell ``text``."""
        self._template = saved
        self.refresh(select=saved.kind)
        messages.info(self, text)

    @shows_failures
    def _on_preview_clicked(self) -> None:
        pdf = issue.preview_pdf(self._ctx, self.candidate())
        self.preview = PdfPreviewDialog(pdf, f"{self.candidate().label} (data contoh)", self)
        self.preview.open()

    def _on_version_activated(self, item: QListWidgetItem) -> None:
        if self._template is None:
            return
        version = int(item.data(Qt.ItemDataRole.UserRole))
        old = templates.get(self._ctx, self._template.kind, version)
        self.load(old)

    @shows_failures
    def _on_restore_clicked(self) -> None:
        item = self.versions.currentItem()
        if item is None or self._template is None:
            messages.warn(self, "Pilih versi yang akan dipulihkan.")
            return
        version = int(item.data(Qt.ItemDataRole.UserRole))
        if not messages.confirm(
            self, f"Jadikan versi {version} sebagai templat yang berlaku (disimpan sebagai versi baru)?"
        ):
            return
        saved = templates.restore(self._ctx, common.actor(), self._template.kind, version)
        self._show_saved(saved, f"Versi {version} dipulihkan sebagai versi {saved.version}.")

    def _on_new_kind_clicked(self) -> None:
        template = ask_new_kind(self)
        if template is None:
            return
        if template.kind in {t.kind for t in self._list}:
            messages.warn(self, f"Jenis surat {template.kind} sudah ada.")
            return
        self.kinds.clearSelection()
        self.load(template)
        self._loaded = {}  # a new kind is unsaved until "Simpan versi baru"
        self._validate()

    @shows_failures
    def _on_export_clicked(self) -> None:
        suggested = Path.home() / f"templat-surat-{self._ctx.today().isoformat()}.json"
        path = messages.ask_save_path(self, "Ekspor templat surat", JSON_FILTER, suggested)
        if path is None:
            return
        count = templates.export_file(self._ctx, path)
        messages.info(self, f"{count} templat diekspor ke {path}.")

    @shows_failures
    def _on_import_clicked(self) -> None:
        path = messages.ask_open_path(self, "Impor templat surat", JSON_FILTER)
        if path is None:
            return
        result = templates.import_file(self._ctx, common.actor(), path)
        self._template = None
        self.refresh()
        text = f"{len(result.saved)} templat diperbarui sebagai versi baru"
        if result.unchanged:
            text += f", {len(result.unchanged)} tidak berubah"
        messages.info(self, text + ".")
