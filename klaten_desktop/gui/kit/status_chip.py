"""Coverage status shown as a coloured chip: in table cells (delegate) and as a label."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from klaten_desktop.domain.enums import CoverageStatus
from klaten_desktop.gui.kit.status_style import chip_colors, chip_stylesheet

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1


class StatusChipDelegate(QStyledItemDelegate):
    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        status = index.data(STATUS_ROLE)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not status or not text:
            super().paint(painter, option, index)
            return
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        bg, fg = chip_colors(str(status))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = option.fontMetrics
        width = min(metrics.horizontalAdvance(str(text)) + 18, option.rect.width() - 6)
        height = min(metrics.height() + 4, option.rect.height() - 4)
        rect = QRectF(
            option.rect.x() + 3, option.rect.y() + (option.rect.height() - height) / 2, max(width, 10), height
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(fg)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(text))
        painter.restore()


class StatusChip(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status: str | None = None
        self.set_status(None)

    def set_status(self, status: str | None) -> None:
        self.status = status
        if status is None:
            self.setText("")
            self.setStyleSheet("")
            self.hide()
            return
        self.setText(CoverageStatus(status).label)
        self.setStyleSheet(chip_stylesheet(status))
        self.show()
