"""Meetings: the Meeting value, the meetings table (import, update, list) and the minutes' meetings.

Reading iCal and CSV files and writing iCal live in :mod:`knowledge.calendar.ical`. Parsing
collects a :class:`Problem` per bad row instead of raising, so the good rows still import.
Meetings known only from ingested minutes are listed too (source "minutes"), merged with
calendar meetings of the same body and day. Times are "HH:MM", 24-hour, Europe/London.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

import sqlite_utils

__all__ = [
    "OFF_STATUSES",
    "ImportResult",
    "Meeting",
    "Moved",
    "ParsedCalendar",
    "Problem",
    "body_key",
    "derived_uid",
    "import_meetings",
    "list_meetings",
    "meetings_from_minutes",
    "next_meeting",
]

#: Statuses meaning the meeting will not take place on its date.
OFF_STATUSES = frozenset({"cancelled", "postponed"})


@dataclass(frozen=True)
class Meeting:
    """One meeting of a body on a day: from a calendar, a CSV or the minutes."""

    council: str | None
    body: str
    date: date
    time: str | None = None  # "HH:MM", 24-hour, Europe/London
    venue: str | None = None
    status: str = "confirmed"  # confirmed, cancelled, postponed, moved, tentative
    uid: str = ""  # stable id: the calendar's UID, else derived from council, body and date
    url: str | None = None
    source: str = ""

    @property
    def is_off(self) -> bool:
        """True when the meeting will not happen on its date (cancelled or postponed)."""
        return self.status in OFF_STATUSES


@dataclass(frozen=True)
class Problem:
    """A row (CSV row number, or the event's number in an iCal file) that was not imported."""

    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


@dataclass
class ParsedCalendar:
    """What a file held: the meetings read and the rows that could not be."""

    meetings: list[Meeting] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Moved:
    """A stored meeting whose date changed on import."""

    uid: str
    old_date: date
    new_date: date


@dataclass(frozen=True)
class ImportResult:
    """What an import changed, by uid; ``cancelled`` and ``moved`` are for the reminder engine."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    cancelled: tuple[str, ...] = ()  # newly cancelled or postponed
    moved: tuple[Moved, ...] = ()
    problems: tuple[Problem, ...] = ()


def body_key(body: str) -> str:
    """A body name for matching: case, '&' and spacing do not matter."""
    return re.sub(r"\s+", " ", body.replace("&", " and ")).strip().casefold()


def derived_uid(prefix: str, council: str | None, body: str, day: date) -> str:
    """A stable uid for a meeting without one: ``prefix`` and a hash of council, body and day."""
    raw = f"{(council or '').strip().casefold()}|{body_key(body)}|{day.isoformat()}"
    return f"{prefix}-{hashlib.sha1(raw.encode()).hexdigest()[:16]}"


# --- the store --------------------------------------------------------------------------------

_FIELDS = ("council", "body", "date", "time", "venue", "status", "url")


def _row(m: Meeting) -> dict[str, object]:
    return {
        "uid": m.uid, "council": m.council, "body": m.body, "date": m.date.isoformat(), "time": m.time,
        "venue": m.venue, "status": m.status, "url": m.url, "source": m.source,
    }  # fmt: skip


def _from_row(r: Mapping[str, object]) -> Meeting:
    get = {k: (str(v) if v is not None else None) for k, v in r.items()}
    return Meeting(
        council=get.get("council"),
        body=str(get["body"]),
        date=date.fromisoformat(str(get["date"])),
        time=get.get("time"),
        venue=get.get("venue"),
        status=str(get.get("status") or "confirmed"),
        uid=str(get["uid"]),
        url=get.get("url"),
        source=str(get.get("source") or ""),
    )


def _same_council(a: str | None, b: str | None) -> bool:
    return not a or not b or a.strip().casefold() == b.strip().casefold()


def _known_names(db: sqlite_utils.Database) -> dict[str, str]:
    """Known body names by matching key; the minutes' spelling wins over a calendar's."""
    names: dict[str, str] = {}
    for sql in ("SELECT DISTINCT body FROM meetings", "SELECT name FROM bodies"):
        for (name,) in db.execute(sql).fetchall():
            if name:
                names[body_key(name)] = name
    return names


def _find(db: sqlite_utils.Database, m: Meeting) -> Meeting | None:
    """The stored meeting with ``m``'s uid, else one of the same council, body and day."""
    if m.uid:
        row = next(db.query("SELECT * FROM meetings WHERE uid = ?", [m.uid]), None)
        if row:
            return _from_row(row)
    for r in db.query("SELECT * FROM meetings WHERE date = ? ORDER BY uid", [m.date.isoformat()]):
        if body_key(str(r["body"])) == body_key(m.body) and _same_council(r["council"], m.council):
            return _from_row(r)
    return None


def import_meetings(
    db: sqlite_utils.Database,
    meetings: ParsedCalendar | Iterable[Meeting],
    source: str,
    *,
    now: datetime | None = None,
) -> ImportResult:
    """Add or update meetings in one transaction, reporting which were added, moved or cancelled.

    A meeting is the stored one with its uid, else the one of the same council, body and day;
    a blank council, time, venue or url never erases a stored one. Body names take the
    spelling already known (from minutes or earlier imports), matched case-insensitively.
    """
    problems = tuple(meetings.problems) if isinstance(meetings, ParsedCalendar) else ()
    batch = meetings.meetings if isinstance(meetings, ParsedCalendar) else list(meetings)
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    cancelled: list[str] = []
    moved: list[Moved] = []
    with db.atomic():
        names = _known_names(db)
        for m in batch:
            m = replace(m, body=names.setdefault(body_key(m.body), m.body), source=source)
            old = _find(db, m)
            if old is None:
                m = replace(m, uid=m.uid or derived_uid("meeting", m.council, m.body, m.date))
                db.table("meetings").insert({**_row(m), "updated_at": stamp})
                added.append(m.uid)
                if m.is_off:
                    cancelled.append(m.uid)
                continue
            new = replace(
                m,
                uid=old.uid,
                council=m.council or old.council,
                time=m.time or old.time,
                venue=m.venue or old.venue,
                url=m.url or old.url,
            )
            if all(getattr(new, f) == getattr(old, f) for f in _FIELDS):
                unchanged.append(old.uid)
                continue
            db.table("meetings").update(old.uid, {**_row(new), "updated_at": stamp})
            updated.append(old.uid)
            if new.date != old.date:
                moved.append(Moved(old.uid, old.date, new.date))
            if new.is_off and not old.is_off:
                cancelled.append(old.uid)
    return ImportResult(
        tuple(added), tuple(updated), tuple(unchanged), tuple(cancelled), tuple(moved), problems
    )


def meetings_from_minutes(
    db: sqlite_utils.Database, date_from: date | None = None, date_to: date | None = None
) -> Iterator[Meeting]:
    """Distinct meetings (council, body, day) of the ingested minutes, marked source "minutes"."""
    where, args = _date_where("meeting_date", date_from, date_to)
    sql = (
        "SELECT council, body, meeting_date, MIN(url) FROM items "
        f"WHERE meeting_date IS NOT NULL AND body IS NOT NULL AND body != '' {where} "
        "GROUP BY council, body, meeting_date ORDER BY meeting_date, body"
    )
    seen: set[tuple[str, str, str]] = set()
    for council, body, day, url in db.execute(sql, args).fetchall():
        key = ((council or "").casefold(), body_key(body), day)
        if key in seen:
            continue
        seen.add(key)
        d = date.fromisoformat(day)
        uid = derived_uid("minutes", council, body, d)
        yield Meeting(council or None, body, d, uid=uid, url=url, source="minutes")


def _date_where(column: str, date_from: date | None, date_to: date | None) -> tuple[str, list[str]]:
    where, args = "", list[str]()
    if date_from:
        where, args = f"{where} AND {column} >= ?", [*args, date_from.isoformat()]
    if date_to:
        where, args = f"{where} AND {column} <= ?", [*args, date_to.isoformat()]
    return where, args


def list_meetings(
    db: sqlite_utils.Database,
    body: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    include_minutes: bool = True,
) -> list[Meeting]:
    """Meetings in date order (dates inclusive), with those known only from the minutes."""
    where, args = _date_where("date", date_from, date_to)
    found = [_from_row(r) for r in db.query(f"SELECT * FROM meetings WHERE 1 = 1 {where}", args)]
    if include_minutes:
        calendar = {(body_key(m.body), m.date): m.council for m in found}
        for m in meetings_from_minutes(db, date_from, date_to):
            k = (body_key(m.body), m.date)
            if k not in calendar or not _same_council(calendar[k], m.council):
                found.append(m)
    if body is not None:
        found = [m for m in found if body_key(m.body) == body_key(body)]
    return sorted(found, key=lambda m: (m.date, m.time or "", m.body.casefold(), m.uid))


def next_meeting(db: sqlite_utils.Database, body: str, today: date) -> Meeting | None:
    """The first meeting of ``body`` on or after ``today`` that is not cancelled or postponed."""
    return next((m for m in list_meetings(db, body, date_from=today) if not m.is_off), None)


# Reading and writing calendar files moved to knowledge.calendar.ical; these names stay importable
# from here for code written before the move.
_MOVED = frozenset({"LONDON", "export_ics", "parse_csv", "parse_ics", "parse_time", "read_meetings_file"})


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        from knowledge.calendar import ical as calendar_io

        return getattr(calendar_io, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
