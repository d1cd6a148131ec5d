"""The calendar: meetings (imported from CSV or iCalendar, synced from ModernGov, or read from the minutes),
the statutory and local deadlines before each, and the reminders that follow them (what is due at a
given time is a pure function; the scheduler in ``bot`` only calls it)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

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


def __getattr__(name: str) -> Any:
    """The public name ``name``, from the module of the package that holds it."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
