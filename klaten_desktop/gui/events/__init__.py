"""The "Sosialisasi" section: events, participants, attendance, the daftar hadir and certificates."""

from klaten_desktop.gui.events.history import OfficialEventsWidget
from klaten_desktop.gui.events.section import EventsSection

__all__ = ["EventsSection", "OfficialEventsWidget"]
