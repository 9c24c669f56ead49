"""Socialization events ("sosialisasi"): the event, its speakers, participants from the registry and guests,
attendance (ticked, by NIK, or imported from the signed attendance list), and each official's history.

Certificates are issued by :mod:`klaten_desktop.services.events.certificates`; the attendance sheet's data is built
here (:func:`attendance_sheet`) and drawn by the attendance renderer the services are handed (``ctx.renderers``).
"""

from __future__ import annotations

from klaten_desktop.services.events.attendance import (
    AttendanceImport,
    attend_all,
    attend_by_nik,
    import_attendance,
    set_attendance,
)
from klaten_desktop.services.events.common import jabatan_short, peran_long
from klaten_desktop.services.events.history import history, never_attended_ids
from klaten_desktop.services.events.participants import (
    add_from_registry,
    add_guest,
    add_participants,
    candidates,
    participants,
    remove_participants,
)
from klaten_desktop.services.events.rows import (
    ABSENT_WORDS,
    MAX_PLACE,
    MAX_SPEAKERS,
    MAX_TITLE,
    PRESENCE_HEADERS,
    AttendResult,
    CandidateRow,
    EventRow,
    HistoryRow,
    ParticipantRow,
    Speaker,
)
from klaten_desktop.services.events.schedule import create, delete_event, get, list_events, update_event
from klaten_desktop.services.events.sheet import (
    SheetResult,
    attendance_sheet,
    print_attendance_sheet,
    weekday_name,
)

__all__ = [
    "ABSENT_WORDS",
    "MAX_PLACE",
    "MAX_SPEAKERS",
    "MAX_TITLE",
    "PRESENCE_HEADERS",
    "AttendResult",
    "AttendanceImport",
    "CandidateRow",
    "EventRow",
    "HistoryRow",
    "ParticipantRow",
    "SheetResult",
    "Speaker",
    "add_from_registry",
    "add_guest",
    "add_participants",
    "attend_all",
    "attend_by_nik",
    "attendance_sheet",
    "candidates",
    "create",
    "delete_event",
    "get",
    "history",
    "import_attendance",
    "jabatan_short",
    "list_events",
    "never_attended_ids",
    "participants",
    "peran_long",
    "print_attendance_sheet",
    "remove_participants",
    "set_attendance",
    "update_event",
    "weekday_name",
]
