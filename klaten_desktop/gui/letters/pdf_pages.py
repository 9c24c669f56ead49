"""PDF pages as images with pypdfium2 (PySide6-Essentials has no QtPdf); printing them with QtPrintSupport."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from klaten_desktop.gui.kit.workers import WorkCancelled

PREVIEW_DPI = 96
MAX_PREVIEW_PAGES = 60
MAX_PRINT_DPI = 300


def page_count(pdf: bytes) -> int:
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def _image(page: object, dpi: int) -> QImage:
    bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # type: ignore[attr-defined]
    try:
        fmt = QImage.Format.Format_RGBA8888 if bitmap.n_channels == 4 else QImage.Format.Format_RGB888
        return QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
    finally:
        bitmap.close()


def render_pages(
    pdf: bytes,
    dpi: int = PREVIEW_DPI,
    *,
    limit: int | None = MAX_PREVIEW_PAGES,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[list[QImage], int]:
    """(images of the first ``limit`` pages, number of pages). QImage may be made off the GUI thread."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        total = len(doc)
        count = total if limit is None else min(total, limit)
        images = []
        for i in range(count):
            if cancelled is not None and cancelled():
                raise WorkCancelled()
            page = doc[i]
            try:
                images.append(_image(page, dpi))
            finally:
                page.close()
            if progress is not None:
                progress(i + 1, count)
        return images, total
    finally:
        doc.close()


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Draw every page at the printer's resolution (at most 300 dpi), scaled into the page; returns pages."""
    import pypdfium2

    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    doc = pypdfium2.PdfDocument(pdf)
    painter = QPainter()
    if not painter.begin(printer):
        doc.close()
        raise OSError("Printer tidak dapat dibuka.")
    try:
        total = len(doc)
        for i in range(total):
            if i:
                printer.newPage()
            page = doc[i]
            try:
                image = _image(page, dpi)
            finally:
                page.close()
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(QRect(area.x(), area.y(), size.width(), size.height()))
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(area)
            painter.setWindow(area)
        return total
    finally:
        painter.end()
        doc.close()
