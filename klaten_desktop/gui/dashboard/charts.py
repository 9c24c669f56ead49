"""Charts drawn with QPainter (PySide6-Essentials has no QtCharts): coverage per desa as stacked bars, and the
12-month trend as lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from klaten_desktop.domain.formatting import format_number, format_percent
from klaten_desktop.gui.kit.status_style import chip_colors
from klaten_desktop.services.dashboard import AreaFigures, TrendPoint

# stacked in this order from the left; berakhir is not part of the serving bar
BAR_STATUSES = ("aktif", "menunggak", "nonaktif", "diajukan", "belum_terdaftar")
STATUS_LABELS = {
    "aktif": "Aktif",
    "menunggak": "Menunggak",
    "nonaktif": "Nonaktif",
    "diajukan": "Diajukan",
    "belum_terdaftar": "Belum terdaftar",
    "berakhir": "Berakhir",
}
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
TEXT = QColor("#1f2933")
MUTED = QColor("#6b7480")
GRID = QColor("#e2e6eb")
MARGIN = 8.0
T = TypeVar("T")


def status_color(status: str) -> QColor:
    return chip_colors(status)[0]


def line_color(status: str) -> QColor:
    """Like :func:`status_color`, but the pale grey of "belum terdaftar" darkened to show as a line."""
    return QColor("#8a939e") if status == "belum_terdaftar" else status_color(status)


def _legend(painter: QPainter, x: float, y: float, statuses: Sequence[str], width: float) -> float:
    """Draw a one-line legend from (x, y); returns its height."""
    metrics = painter.fontMetrics()
    h = metrics.height()
    cx = x
    for status in statuses:
        label = STATUS_LABELS[status]
        w = 12 + 4 + metrics.horizontalAdvance(label) + 14
        if cx + w > x + width:
            break
        painter.fillRect(QRectF(cx, y + (h - 10) / 2, 12, 10), line_color(status))
        painter.setPen(TEXT)
        painter.drawText(QRectF(cx + 16, y, w, h), int(Qt.AlignmentFlag.AlignVCenter), label)
        cx += w
    return h


class _Chart(QWidget, Generic[T]):
    """A chart over a list of items: it expands, keeps a minimum height, repaints when the items change, and
    paints on white with a slightly smaller font and the legend of ``STATUSES`` on top."""

    STATUSES = BAR_STATUSES

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[T] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(160)

    def _set_items(self, items: Sequence[T]) -> None:
        self._items = list(items)
        self.update()

    def _begin(self, painter: QPainter) -> tuple[QFont, float]:
        """Start painting: background, font and legend; returns the font and the legend's height."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() - 1))
        painter.setFont(font)
        return font, _legend(painter, MARGIN, MARGIN, self.STATUSES, self.width() - 2 * MARGIN)


class CoverageBarChart(_Chart[AreaFigures]):
    """One horizontal bar per area: the serving officials split by status, coverage % at the right."""

    def set_areas(self, areas: Sequence[AreaFigures]) -> None:
        self._set_items(areas)

    def areas(self) -> list[AreaFigures]:
        return list(self._items)

    def sizeHint(self) -> QSize:
        return QSize(520, 60 + 18 * max(len(self._items), 8))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        font, legend_h = self._begin(painter)
        metrics = painter.fontMetrics()
        margin = MARGIN
        top = margin + legend_h + 6
        if not self._items:
            painter.setPen(MUTED)
            painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), "Belum ada data pengurus.")
            painter.end()
            return
        row_h = max(6.0, min(22.0, (self.height() - top - margin) / len(self._items)))
        if metrics.height() > row_h + 1:
            # many areas (26 kecamatan, a large desa list): a smaller font so every name still shows
            font.setPixelSize(max(8, int(row_h)))
            painter.setFont(font)
            metrics = painter.fontMetrics()
        name_w = min(150.0, max(metrics.horizontalAdvance(a.nama) for a in self._items) + 8)
        pct_w = metrics.horizontalAdvance("100,0%") + 10
        bar_x = margin + name_w
        bar_w = max(20.0, self.width() - bar_x - pct_w - margin)
        largest = max((a.counts.serving for a in self._items), default=0) or 1
        for i, area in enumerate(self._items):
            y = top + i * row_h
            if y + row_h > self.height() + 1:
                break
            painter.setPen(TEXT)
            if row_h >= metrics.height() - 3:
                painter.drawText(
                    QRectF(margin, y, name_w - 6, row_h),
                    int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                    metrics.elidedText(area.nama, Qt.TextElideMode.ElideRight, int(name_w - 6)),
                )
            bar_h = max(3.0, row_h * 0.7)
            by = y + (row_h - bar_h) / 2
            painter.fillRect(QRectF(bar_x, by, bar_w, bar_h), GRID)
            x = bar_x
            # bars are scaled to the largest area so sizes compare; the % is each area's own coverage
            for status in BAR_STATUSES:
                n = area.counts.get(status)
                if n <= 0:
                    continue
                w = bar_w * n / largest
                painter.fillRect(QRectF(x, by, w, bar_h), status_color(status))
                x += w
            if row_h >= metrics.height() - 3:
                painter.setPen(TEXT)
                painter.drawText(
                    QRectF(bar_x + bar_w + 4, y, pct_w, row_h),
                    int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                    format_percent(area.counts.cakupan_persen),
                )
        painter.end()


class TrendChart(_Chart[TrendPoint]):
    """Officials per status at the end of each month, as lines, with the coverage % of the last month."""

    def set_points(self, points: Sequence[TrendPoint]) -> None:
        self._set_items(points)

    def points(self) -> list[TrendPoint]:
        return list(self._items)

    def sizeHint(self) -> QSize:
        return QSize(520, 260)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        _font, legend_h = self._begin(painter)
        metrics = painter.fontMetrics()
        margin = MARGIN
        if not self._items:
            painter.end()
            return
        peak = max(max(p.counts.get(s) for s in self.STATUSES) for p in self._items)
        step = _nice_step(peak)
        top_value = max(step, ((peak + step - 1) // step) * step)
        axis_w = metrics.horizontalAdvance(format_number(top_value)) + 10
        half_label = metrics.horizontalAdvance("Mei 26") / 2 + 2
        plot = QRectF(
            margin + axis_w + half_label,
            margin + legend_h + 10,
            self.width() - 2 * margin - axis_w - 2 * half_label,
            self.height() - 2 * margin - legend_h - 10 - metrics.height() - 4,
        )
        if plot.width() < 20 or plot.height() < 20:
            painter.end()
            return
        # grid and axis labels
        painter.setPen(QPen(GRID, 1))
        value = 0
        while value <= top_value:
            y = plot.bottom() - plot.height() * value / top_value
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left() - half_label, y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(margin, y - metrics.height() / 2, axis_w - 4, metrics.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                format_number(value),
            )
            value += step
        n = len(self._items)
        dx = plot.width() / max(1, n - 1)

        def x_of(i: int) -> float:
            return plot.left() + (dx * i if n > 1 else plot.width() / 2)

        painter.setPen(MUTED)
        for i, point in enumerate(self._items):
            label = f"{SHORT_MONTHS[point.month.month - 1]} {point.month.year % 100:02d}"
            w = metrics.horizontalAdvance(label) + 4
            painter.drawText(
                QRectF(x_of(i) - w / 2, plot.bottom() + 3, w, metrics.height()),
                int(Qt.AlignmentFlag.AlignCenter),
                label,
            )
        for status in self.STATUSES:
            pen = QPen(line_color(status), 2.4 if status == "aktif" else 1.8)
            painter.setPen(pen)
            prev: QPointF | None = None
            for i, point in enumerate(self._items):
                pt = QPointF(x_of(i), plot.bottom() - plot.height() * point.counts.get(status) / top_value)
                if prev is not None:
                    painter.drawLine(prev, pt)
                painter.setBrush(line_color(status))
                painter.drawEllipse(pt, 2.5, 2.5)
                prev = pt
        painter.end()


def _nice_step(peak: int) -> int:
    """A round grid step giving about four to six lines up to ``peak``."""
    if peak <= 5:
        return 1
    raw = peak / 5
    magnitude: int = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude
