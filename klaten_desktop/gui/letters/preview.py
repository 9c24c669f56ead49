"""The preview dialog: a PDF's pages as images (scrollable, zoom, page count), print, open in the PDF viewer."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.tasks import run_task
from klaten_desktop.gui.letters import common, pdf_pages

ZOOMS = (50, 75, 100, 125, 150, 200)


def _render(
    progress: Callable[[int, int], None], cancelled: Callable[[], bool], pdf: bytes
) -> tuple[list[QImage], int]:
    return pdf_pages.render_pages(pdf, progress=progress, cancelled=cancelled)


class PdfPreviewDialog(QDialog):
    """Shows ``pdf`` (bytes); ``path`` is the saved file, if any (else a temporary copy is opened in the viewer)."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None, *, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Pratinjau – {title}")
        self.resize(900, 700)
        self._pdf = pdf
        self._path = path
        self._images: list[QImage] = []
        self.total_pages = 0

        self.zoom = QComboBox()
        self.zoom.addItems([f"{z}%" for z in ZOOMS])
        self.zoom.setCurrentIndex(ZOOMS.index(100))
        self.zoom.currentIndexChanged.connect(self._show_pages)
        zoom_label = QLabel("Pe&rbesaran:")
        zoom_label.setBuddy(self.zoom)
        self.pages_label = QLabel("Menyiapkan halaman…")
        self.print_button = QPushButton("&Cetak…")
        self.print_button.clicked.connect(self._on_print_clicked)
        self.print_button.setEnabled(False)
        self.open_button = QPushButton("Buka di pe&nampil PDF")
        self.open_button.clicked.connect(self._on_open_clicked)
        close_button = QPushButton("Tutu&p")
        close_button.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(zoom_label)
        top.addWidget(self.zoom)
        top.addSpacing(16)
        top.addWidget(self.pages_label, 1)
        top.addWidget(self.print_button)
        top.addWidget(self.open_button)
        top.addWidget(close_button)

        self._pages = QWidget()
        self._pages.setStyleSheet("background: #6b6b6b;")
        self._pages_layout = QVBoxLayout(self._pages)
        self._pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._pages_layout.setSpacing(12)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self._pages)
        self.scroll_area.setWidgetResizable(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self._step_zoom(1))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self._step_zoom(-1))

        self.task = run_task(self, "Menyiapkan pratinjau…", _render, pdf, on_done=self._on_rendered)

    # ------------------------------------------------------------------------------------------ pages

    def page_labels(self) -> list[QLabel]:
        return [w for w in self._pages.findChildren(QLabel) if w.objectName() == "page"]

    def _on_rendered(self, result: object) -> None:
        assert isinstance(result, tuple)
        images: list[QImage] = result[0]
        total: int = result[1]
        self._images = list(images)
        self.total_pages = total
        text = f"{total} halaman"
        if len(self._images) < total:
            text += f" (pratinjau menampilkan {len(self._images)} halaman pertama; cetak memuat semuanya)"
        self.pages_label.setText(text)
        self.print_button.setEnabled(True)
        self._show_pages()

    def _show_pages(self) -> None:
        for label in self.page_labels():
            label.deleteLater()
        factor = ZOOMS[self.zoom.currentIndex()] / 100
        for image in self._images:
            label = QLabel()
            label.setObjectName("page")
            pixmap = QPixmap.fromImage(image)
            if factor != 1:
                pixmap = pixmap.scaledToWidth(round(image.width() * factor), Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            self._pages_layout.addWidget(label)

    def _step_zoom(self, step: int) -> None:
        self.zoom.setCurrentIndex(max(0, min(len(ZOOMS) - 1, self.zoom.currentIndex() + step)))

    # ------------------------------------------------------------------------------------------ actions

    def _on_print_clicked(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Cetak surat")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            pdf_pages.print_pdf(self._pdf, printer)
        except OSError as exc:
            messages.error(self, f"Surat tidak dapat dicetak: {exc}")

    def _on_open_clicked(self) -> None:
        path = self._path
        if path is None:
            with tempfile.NamedTemporaryFile(prefix="pratinjau-surat-", suffix=".pdf", delete=False) as handle:
                handle.write(self._pdf)
            path = Path(handle.name)
        if not common.open_in_viewer(path):
            messages.warn(self, f"Penampil PDF tidak dapat dibuka. Berkasnya ada di:\n{path}")
