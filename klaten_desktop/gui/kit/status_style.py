"""Colours of the coverage status chips: readable pairs (background, text) that pass WCAG AA contrast."""

from __future__ import annotations

from PySide6.QtGui import QColor

from klaten_desktop.domain.enums import CoverageStatus

# background, foreground
_CHIPS: dict[str, tuple[str, str]] = {
    CoverageStatus.aktif.value: ("#1b7a3d", "#ffffff"),
    CoverageStatus.menunggak.value: ("#f2b233", "#2b1d00"),
    CoverageStatus.nonaktif.value: ("#c62828", "#ffffff"),
    CoverageStatus.diajukan.value: ("#1f5fbf", "#ffffff"),
    CoverageStatus.belum_terdaftar.value: ("#d9dde3", "#1f2933"),
    CoverageStatus.berakhir.value: ("#4a4f57", "#ffffff"),
}

ERROR_COLOR = "#b3261e"
WARNING_COLOR = "#8a5a00"


def chip_colors(status: str) -> tuple[QColor, QColor]:
    bg, fg = _CHIPS.get(status, ("#d9dde3", "#1f2933"))
    return QColor(bg), QColor(fg)


def chip_stylesheet(status: str) -> str:
    bg, fg = _CHIPS.get(status, ("#d9dde3", "#1f2933"))
    return f"background:{bg}; color:{fg}; border-radius:9px; padding:2px 10px; font-weight:600;"
