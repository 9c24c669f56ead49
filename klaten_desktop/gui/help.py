"""Bantuan › Panduan: the offline guide (resources/help/panduan.html, with screenshots of the real screens) in a
QTextBrowser. F1 opens the part for the current section (``SectionEntry.help_anchor``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from klaten_desktop.runtime.paths import resources_dir

GUIDE = "panduan.html"


def guide_path() -> Path:
    """The guide as shipped: resources/help/ in a checkout and in the bundle."""
    return resources_dir() / "help" / GUIDE


class HelpWindow(QDialog):
    """The guide beside the main window (not modal: staff read it while they work)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Panduan Klaten Desktop")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Panduan")
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)  # the guide links only to its own parts
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Tutup")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(900, 640)

    def show_part(self, anchor: str = "") -> None:
        """Show the guide at ``anchor`` (its top when empty); a guide missing from the install is said in it."""
        path = guide_path()
        if path.is_file():
            url = QUrl.fromLocalFile(str(path))
            if anchor:
                url.setFragment(anchor)
            self.browser.setSource(url)
        else:
            self.browser.setHtml(
                f"<p>Berkas panduan <code>{path}</code> tidak ditemukan. Pasang ulang Klaten Desktop, atau lihat "
                "README dan folder docs di paket aplikasi.</p>"
            )
        self.show()
        self.raise_()
        self.activateWindow()
        self.browser.setFocus()
