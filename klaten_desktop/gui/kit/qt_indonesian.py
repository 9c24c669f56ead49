"""Qt's own words in Bahasa Indonesia: the context menus of text fields (right click in a line, a text box or a
number/date field), which Qt draws itself in English.

PySide6 ships no Indonesian translation of Qt (no ``qtbase_id.qm`` among its translations), so the application
installs this translator (:func:`install`, from ``gui/application.py``): a small table of Qt's source texts by
translation context. Qt adds the shortcut after a tab ("Salin\\tCtrl+C") itself.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QWizard

_EDITING = {
    "&Undo": "&Urungkan",
    "&Redo": "U&lang",
    "Cu&t": "Po&tong",
    "&Copy": "&Salin",
    "&Paste": "&Tempel",
    "Delete": "Hapus",
    "Select All": "Pilih semua",
}

TEXTS: dict[str, dict[str, str]] = {
    "QLineEdit": _EDITING,
    "QWidgetTextControl": {**_EDITING, "Copy &Link Location": "Salin a&lamat tautan"},
    "QAbstractSpinBox": {"&Select All": "&Pilih semua", "&Step up": "&Naikkan", "Step &down": "T&urunkan"},
    "QUnicodeControlCharacterMenu": {"Insert Unicode control character": "Sisipkan karakter kendali Unicode"},
}


#: A wizard's buttons (set on each wizard by :func:`wizard_buttons`: QWizard fixes its texts when it is made, before
#: a translator installed later could answer, and a wizard also opens before the main window, in tests too).
WIZARD_BUTTONS = {
    QWizard.WizardButton.BackButton: "< &Kembali",
    QWizard.WizardButton.NextButton: "&Lanjut >",
    QWizard.WizardButton.FinishButton: "&Selesai",
    QWizard.WizardButton.CancelButton: "Batal",
    QWizard.WizardButton.HelpButton: "&Bantuan",
}


def wizard_buttons(wizard: QWizard) -> None:
    """Give ``wizard`` the Indonesian texts of its buttons (a wizard may then name one differently)."""
    for button, text in WIZARD_BUTTONS.items():
        wizard.setButtonText(button, text)


class IndonesianQtTranslator(QTranslator):
    """Answers Qt's own texts listed in :data:`TEXTS`; any other text is left to the next translator (or as is)."""

    def translate(self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        # None is Qt's null string, "not translated here"; an empty string would blank every other text of Qt
        return TEXTS.get(context, {}).get(source_text)

    def isEmpty(self) -> bool:
        return False


def install(app: QCoreApplication) -> IndonesianQtTranslator:
    """Install the translator on ``app`` once (kept as a child of the application, so it lives as long)."""
    existing = app.findChild(IndonesianQtTranslator)
    if isinstance(existing, IndonesianQtTranslator):
        return existing
    translator = IndonesianQtTranslator(app)
    app.installTranslator(translator)
    return translator
