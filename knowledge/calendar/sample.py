"""The sample council's coming meetings, laid out from a given day so the demo always has some.

The bundled minutes end in 2025; a demo of reminders and "when is the next meeting?" needs
meetings ahead of whatever day it is run. These follow each body's usual pattern (a weekday of the
month, none in August or after Christmas) and move off bank holidays, like a real council's calendar.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.calendar.deadlines import is_working_day
from knowledge.calendar.meetings import Meeting

__all__ = ["SAMPLE_COUNCIL", "upcoming_sample_meetings"]

SAMPLE_COUNCIL = "Northbridge Borough Council"
_BASE = "https://democracy.northbridge.example/"


@dataclass(frozen=True)
class _Pattern:
    body: str
    weekday: int  # Monday is 0
    nth: int  # 1 to 4 for the nth weekday of the month, -1 for the last
    time: str
    venue: str
    committee_id: int
    months: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12)


_PATTERNS = (
    _Pattern("Cabinet", 3, 3, "14:30", "Council Chamber, Northbridge Civic Centre", 251),
    _Pattern(
        "Children and Young People Scrutiny Committee",
        1,
        2,
        "10:00",
        "Committee Room 1, Northbridge Civic Centre",
        263,
    ),
    _Pattern(
        "Children's Services Improvement Board",
        0,
        -1,
        "14:00",
        "Committee Room 2, Northbridge Civic Centre",
        310,
        (1, 2, 3, 4, 5, 6, 7, 9, 10, 11),  # the last Monday of December falls after Christmas
    ),
    _Pattern("Council", 3, 2, "18:00", "Council Chamber, Northbridge Civic Centre", 240, (2, 5, 7, 9, 12)),
)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == weekday
    ]
    return days[nth - 1] if nth > 0 else days[-1]


def upcoming_sample_meetings(today: date, months: int = 6) -> list[Meeting]:
    """The sample bodies' meetings from ``today`` for ``months`` months, in date order."""
    out: list[Meeting] = []
    year, month = today.year, today.month
    for _ in range(months + 1):
        for p in _PATTERNS:
            if month not in p.months:
                continue
            day = _nth_weekday(year, month, p.weekday, p.nth)
            while not is_working_day(day):
                day += timedelta(days=1)
            if day < today:
                continue
            out.append(
                Meeting(
                    council=SAMPLE_COUNCIL,
                    body=p.body,
                    date=day,
                    time=p.time,
                    venue=p.venue,
                    uid=f"northbridge-sample-{p.committee_id}-{day.isoformat()}",
                    url=f"{_BASE}ieListMeetings.aspx?CId={p.committee_id}",
                    source="sample calendar",
                )
            )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sorted(out, key=lambda m: (m.date, m.body))
