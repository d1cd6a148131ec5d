"""Shared helpers for the reminder tests: London times, settings, meetings in a real database."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from knowledge.calendar.meetings import Meeting, import_meetings
from knowledge.calendar.recurrence import LONDON
from knowledge.calendar.reminders import BodyReminders, ReminderSettings
from knowledge.store import open_db

CLERK = "U0CLERK"
SECOND_CLERK = "U0CLERK2"
OFFICER = "U0OFFICER"
CABINET_CHANNEL = "C0CABINET"
SCRUTINY_CHANNEL = "C0SCRUTINY"
IMPORTED = datetime(2026, 1, 1, 12, 0, tzinfo=LONDON)

SETTINGS = ReminderSettings(
    bodies={
        "Cabinet": BodyReminders(channel=CABINET_CHANNEL),
        "Overview and Scrutiny Committee": BodyReminders(channel=SCRUTINY_CHANNEL),
    },
    clerks=(CLERK,),
    owners={"Director of Children's Services": OFFICER},
)
#: Only meeting reminders: no clerks, so no deadline messages.
MEETINGS_ONLY = ReminderSettings(bodies=SETTINGS.bodies, clerks=())


def london(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    """A wall-clock time in Europe/London, aware."""
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def meeting(body: str, day: date, at: str | None = "18:00", **kw: Any) -> Meeting:
    uid = kw.pop("uid", f"{body.split()[0].lower()}-{day.isoformat()}")
    return Meeting(
        "Anytown Borough Council", body, day, at, kw.pop("venue", "Council Chamber"), uid=uid, **kw
    )


def db_with(path: Path, *meetings: Meeting) -> Path:
    """A database file at ``path`` holding ``meetings``, migrated and closed."""
    db = open_db(path)
    try:
        import_meetings(db, list(meetings), "test.ics", now=IMPORTED)
    finally:
        db.close()
    return path


def opener(path: Path):  # noqa: ANN201 - a tiny factory for run_tick
    return lambda: open_db(path)
