"""The calendar: meetings (imported from CSV or iCalendar, synced from ModernGov, or read from the minutes),
the statutory and local deadlines before each, and the reminders that follow them (what is due at a
given time is a pure function; the scheduler in ``bot`` only calls it)."""

from __future__ import annotations

from knowledge.faces import public_face

#: Each public name and the module that holds it: imported when first used, so that importing one
#: module of the package never drags in the others (the domains use each other's modules).
_WHERE = {
    "compute_deadlines": ".deadlines",
    "Deadline": ".deadlines",
    "due": ".reminders",
    "export_ics": ".ical",
    "import_meetings": ".meetings",
    "list_meetings": ".meetings",
    "Meeting": ".meetings",
    "next_meeting": ".meetings",
    "Occurrence": ".reminders",
    "read_meetings_file": ".ical",
    "ReminderSettings": ".reminders",
}
__all__ = sorted(_WHERE)
__getattr__, __dir__ = public_face(__name__, _WHERE)
