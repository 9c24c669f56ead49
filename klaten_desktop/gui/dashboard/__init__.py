"""Beranda: coverage at a glance (status tiles, coverage per desa, 12-month trend) and the worklists."""

from klaten_desktop.gui.dashboard.section import DashboardSection

__all__ = ["DashboardSection"]
