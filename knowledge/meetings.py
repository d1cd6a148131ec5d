"""Meeting calendars: read iCal and CSV, store meetings, list them, export them as iCal.

Parsing collects a :class:`Problem` per bad row instead of raising, so the good rows still
import. Meetings known only from ingested minutes are listed too (source "minutes"), merged
with calendar meetings of the same body and day. Times are "HH:MM", 24-hour, Europe/London.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import sqlite_utils

from .deadlines import DEADLINE_LABELS, Deadline
from .models import UserError

__all__ = [
    "OFF_STATUSES",
    "ImportResult",
    "Meeting",
    "Moved",
    "ParsedCalendar",
    "Problem",
    "export_ics",
    "import_meetings",
    "list_meetings",
    "meetings_from_minutes",
    "next_meeting",
    "parse_csv",
    "parse_ics",
    "parse_time",
    "read_meetings_file",
]

LONDON = ZoneInfo("Europe/London")
#: Statuses meaning the meeting will not take place on its date.
OFF_STATUSES = frozenset({"cancelled", "postponed"})
_STATUS_WORDS = {
    "confirmed": "confirmed", "scheduled": "confirmed", "": "confirmed",
    "cancelled": "cancelled", "canceled": "cancelled", "postponed": "postponed",
    "moved": "moved", "rescheduled": "moved", "rearranged": "moved", "re-arranged": "moved",
    "tentative": "tentative", "provisional": "tentative", "unconfirmed": "tentative",
}  # fmt: skip


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


# --- reading values ---------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}  # fmt: skip
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_WORDS = re.compile(r"(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})", re.I)
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?\s*(?:([ap])\.?\s*m\.?)?")


def _date_prefix(text: str) -> tuple[date, str] | None:
    """The date at the start of ``text`` and what follows it, or None."""
    for pattern, order in ((_ISO, (0, 1, 2)), (_DMY, (2, 1, 0)), (_WORDS, (2, 1, 0))):
        m = pattern.match(text)
        if not m:
            continue
        y, mo, d = (m.group(i + 1) for i in order)
        month = int(mo) if mo.isdigit() else _MONTHS.get(mo[:3].lower(), 0)
        try:
            return date(int(y), month, int(d)), text[m.end() :]
        except ValueError:
            raise UserError(f"{text.strip()!r} is not a real date") from None
    return None


def parse_time(text: str) -> str:
    """A time like "10:00", "10.00 am", "2.30 pm", "2pm" or "noon" as "HH:MM"; raises UserError."""
    t = text.strip().lower()
    if t in ("noon", "12 noon", "midday", "12 midday"):
        return "12:00"
    m = _TIME.fullmatch(t)
    if m:
        hour, minute, half = int(m.group(1)), int(m.group(2) or 0), m.group(3)
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "p" else 0)
        elif half or m.group(2) is None:
            hour = 99  # "13 pm", or a bare number: not a time
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    raise UserError(f"{text.strip()!r} is not a time I can read: use 14:30 or 2.30 pm")


def _status(text: str) -> str:
    key = re.sub(r"\s+", " ", text.strip().lower())
    if key not in _STATUS_WORDS:
        raise UserError(
            f"unknown status {text.strip()!r} (known: {', '.join(sorted(set(_STATUS_WORDS.values())))})"
        )
    return _STATUS_WORDS[key]


def _key(body: str) -> str:
    """A body name for matching: case, '&' and spacing do not matter."""
    return re.sub(r"\s+", " ", body.replace("&", " and ")).strip().casefold()


def _derived_uid(prefix: str, council: str | None, body: str, day: date) -> str:
    raw = f"{(council or '').strip().casefold()}|{_key(body)}|{day.isoformat()}"
    return f"{prefix}-{hashlib.sha1(raw.encode()).hexdigest()[:16]}"


# --- iCal -------------------------------------------------------------------------------------

_SUMMARY_STATUS = re.compile(r"\b(cancell?ed|postponed|moved|rescheduled|re-?arranged)\b", re.I)
_GENERIC_PART = re.compile(
    r"(?:(?:special|extraordinary|annual|additional|reconvened|informal|budget|ordinary)\s+)?meeting(?:\s+of)?",
    re.I,
)


def _split_summary(summary: str) -> tuple[str, str | None]:
    """("Cabinet - Cancelled") -> ("Cabinet", "cancelled"); the status is None when not stated."""
    m = _SUMMARY_STATUS.search(summary)
    hint = _status(m.group(1)) if m else None
    text = _SUMMARY_STATUS.sub("", summary)
    text = re.sub(r"[(\[]\s*[)\]]|^\W+|[^\w)]+$", "", text.strip())
    parts = [p.strip(" :-") for p in re.split(r"\s+[-\u2013\u2014:|]\s+|:\s+", text)]
    kept = [p for p in parts if p and not _GENERIC_PART.fullmatch(p)]
    return " - ".join(kept), hint


def parse_ics(data: bytes | str, *, council: str | None = None, source: str = "") -> ParsedCalendar:
    """Meetings from an iCal calendar (ModernGov style); raises UserError if it is not iCal."""
    try:
        cal = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        raise UserError(f"{source or 'the file'} is not an iCal calendar I can read ({exc})") from None
    out, seen = ParsedCalendar(), dict[str, int]()
    for n, ev in enumerate(cal.walk("VEVENT"), start=1):
        try:
            _keep(out, seen, n, _event_meeting(ev, council, source))
        except UserError as exc:
            out.problems.append(Problem(n, f"{exc} (SUMMARY {str(ev.get('SUMMARY', ''))!r})"))
    return out


def _event_meeting(ev: icalendar.Event, council: str | None, source: str) -> Meeting:
    if "RRULE" in ev:
        raise UserError("repeating events are not meetings I can import")
    body, hint = _split_summary(str(ev.get("SUMMARY", "")))
    if not body:
        raise UserError("no body name in SUMMARY")
    start = ev.decoded("DTSTART") if "DTSTART" in ev else None
    if isinstance(start, datetime):
        start = start.astimezone(LONDON) if start.tzinfo else start  # floating: London time
        day, at = start.date(), f"{start:%H:%M}"
    elif isinstance(start, date):
        day, at = start, None
    else:
        raise UserError("no readable start date (DTSTART)")
    status = "cancelled" if str(ev.get("STATUS", "")).upper() == "CANCELLED" else hint
    if status is None:
        status = "tentative" if str(ev.get("STATUS", "")).upper() == "TENTATIVE" else "confirmed"
    url = str(ev.get("URL", "")) or _first_url(str(ev.get("DESCRIPTION", "")))
    uid = str(ev.get("UID", "")).strip() or _derived_uid("meeting", council, body, day)
    venue = str(ev.get("LOCATION", "")).strip() or None
    return Meeting(council, body, day, at, venue, status, uid, url or None, source)


def _first_url(text: str) -> str:
    m = re.search(r"https?://\S+", text)
    return m.group(0).rstrip(".,)") if m else ""


# --- CSV --------------------------------------------------------------------------------------

_COLUMNS = {
    "council": ("council", "authority", "councilname", "organisation", "organization"),
    "body": ("body", "committee", "committeename", "committeetitle", "bodyname", "meetingbody",
             "decisionmaker", "meeting", "meetingname"),
    "date": ("date", "meetingdate", "day", "when", "dateandtime", "datetime", "start"),
    "time": ("time", "starttime", "meetingtime"),
    "venue": ("venue", "location", "place", "room", "where"),
    "status": ("status", "meetingstatus", "state"),
    "url": ("url", "link", "weblink", "webpage", "webaddress", "agendaurl", "agendalink"),
    "uid": ("uid", "id", "meetingid"),
}  # fmt: skip


def parse_csv(data: bytes | str, *, council: str | None = None, source: str = "") -> ParsedCalendar:
    """Meetings from a CSV with a header row (names matched tolerantly); bad rows become problems."""
    text = data if isinstance(data, str) else _decode(data)
    rows = list(csv.reader(io.StringIO(text), _dialect(text)))
    if not rows or not any(c.strip() for c in rows[0]):
        raise UserError(f"{source or 'the file'} is empty: a CSV needs a header row and meetings")
    where = _header(rows[0])
    missing = [n for n in ("body", "date") if n not in where]
    if missing:
        raise UserError(
            f"{source or 'the CSV'} has no column for {' or '.join(missing)}; "
            f"columns found: {', '.join(c for c in rows[0] if c.strip()) or 'none'}"
        )
    out, seen = ParsedCalendar(), dict[str, int]()
    for n, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in where.items()}
        if not any(cells.values()):
            continue
        try:
            _keep(out, seen, n, _row_meeting(cells, council, source))
        except UserError as exc:
            out.problems.append(Problem(n, str(exc)))
    return out


def _header(cells: Sequence[str]) -> dict[str, int]:
    """Which column holds what: whole names first ("Meeting date"), then words ("Venue / Location")."""
    whole = [re.sub(r"[^a-z]", "", c.lower()) for c in cells]
    words = [set(re.findall(r"[a-z]+", c.lower())) for c in cells]
    where: dict[str, int] = {}
    for matches in (lambda i, al: whole[i] in al, lambda i, al: bool(words[i] & set(al))):
        for name, aliases in _COLUMNS.items():
            free = [i for i in range(len(cells)) if i not in where.values()]
            col = next((i for i in free if name not in where and matches(i, aliases)), None)
            if col is not None:
                where[name] = col
    return where


def _row_meeting(cells: Mapping[str, str], council: str | None, source: str) -> Meeting:
    body = re.sub(r"\s+", " ", cells["body"])
    if not body:
        raise UserError("no body (committee) name")
    if not cells["date"]:
        raise UserError("no date")
    found = _date_prefix(cells["date"])
    if not found:
        raise UserError(f"{cells['date']!r} is not a date I can read: use YYYY-MM-DD or DD/MM/YYYY")
    day, rest = found
    rest = rest.strip(" ,T@")
    if rest and cells.get("time"):
        raise UserError(f"the date {cells['date']!r} has extra text")
    at = cells.get("time") or rest
    return Meeting(
        council=cells.get("council") or council,
        body=body,
        date=day,
        time=parse_time(at) if at else None,
        venue=cells.get("venue") or None,
        status=_status(cells.get("status", "")),
        uid=cells.get("uid") or "",
        url=cells.get("url") or None,
        source=source,
    )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows


def _dialect(text: str) -> type[csv.Dialect]:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _keep(out: ParsedCalendar, seen: dict[str, int], row: int, meeting: Meeting) -> None:
    """Add ``meeting`` unless the file already gave it (same uid, or same council, body and day)."""
    key = meeting.uid or _derived_uid("k", meeting.council, meeting.body, meeting.date)
    if key in seen:
        out.problems.append(Problem(row, f"the same meeting as row {seen[key]}; the first was kept"))
    else:
        seen[key] = row
        out.meetings.append(meeting)


def read_meetings_file(path: str | Path, *, council: str | None = None) -> ParsedCalendar:
    """Read an .ics or .csv file of meetings; raises UserError for a missing or unreadable file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {p}: {exc.strerror or exc}") from None
    head = data[:200].lstrip(b"\xef\xbb\xbf \r\n\t").upper()
    if p.suffix.lower() in (".ics", ".ical", ".ifb") or head.startswith(b"BEGIN:VCALENDAR"):
        return parse_ics(data, council=council, source=p.name)
    if p.suffix.lower() in (".csv", ".txt", ".tsv"):
        return parse_csv(data, council=council, source=p.name)
    raise UserError(f"{p.name}: give an iCal (.ics) or CSV (.csv) file of meetings")


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
                names[_key(name)] = name
    return names


def _find(db: sqlite_utils.Database, m: Meeting) -> Meeting | None:
    """The stored meeting with ``m``'s uid, else one of the same council, body and day."""
    if m.uid:
        row = next(db.query("SELECT * FROM meetings WHERE uid = ?", [m.uid]), None)
        if row:
            return _from_row(row)
    for r in db.query("SELECT * FROM meetings WHERE date = ? ORDER BY uid", [m.date.isoformat()]):
        if _key(str(r["body"])) == _key(m.body) and _same_council(r["council"], m.council):
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
            m = replace(m, body=names.setdefault(_key(m.body), m.body), source=source)
            old = _find(db, m)
            if old is None:
                m = replace(m, uid=m.uid or _derived_uid("meeting", m.council, m.body, m.date))
                db["meetings"].insert({**_row(m), "updated_at": stamp})
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
            db["meetings"].update(old.uid, {**_row(new), "updated_at": stamp})
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
        key = ((council or "").casefold(), _key(body), day)
        if key in seen:
            continue
        seen.add(key)
        d = date.fromisoformat(day)
        uid = _derived_uid("minutes", council, body, d)
        yield Meeting(council or None, body, d, uid=uid, url=url, source="minutes")


def _date_where(column: str, date_from: date | None, date_to: date | None) -> tuple[str, list[str]]:
    where, args = "", []
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
        calendar = {(_key(m.body), m.date): m.council for m in found}
        for m in meetings_from_minutes(db, date_from, date_to):
            k = (_key(m.body), m.date)
            if k not in calendar or not _same_council(calendar[k], m.council):
                found.append(m)
    if body is not None:
        found = [m for m in found if _key(m.body) == _key(body)]
    return sorted(found, key=lambda m: (m.date, m.time or "", m.body.casefold(), m.uid))


def next_meeting(db: sqlite_utils.Database, body: str, today: date) -> Meeting | None:
    """The first meeting of ``body`` on or after ``today`` that is not cancelled or postponed."""
    return next((m for m in list_meetings(db, body, date_from=today) if not m.is_off), None)


# --- iCal export ------------------------------------------------------------------------------

_STAMP = datetime(2020, 1, 1, tzinfo=UTC)
#: Europe/London as Outlook writes it: rules, not a list of dates, so it never runs out.
_LONDON_VTIMEZONE = "\r\n".join([
    "BEGIN:VTIMEZONE", "TZID:Europe/London",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST", "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT", "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE", "",
])  # fmt: skip
_NOMINAL_LENGTH = timedelta(hours=2)  # calendars do not say when a meeting ends


def export_ics(
    meetings: Iterable[Meeting],
    deadlines_by_meeting: Mapping[str, Sequence[Deadline]],
    *,
    name: str = "Council meetings",
    stamp: datetime | None = None,
) -> bytes:
    """An iCal calendar (for Outlook to subscribe to) of meetings and their deadlines by meeting uid.

    Timed meetings are in Europe/London (with its VTIMEZONE) and shown as two hours long;
    untimed meetings and deadlines are all-day events. UIDs are stable, and ``stamp`` (DTSTAMP)
    defaults to a fixed time so the same meetings always give the same bytes.
    """
    cal = icalendar.Calendar()
    cal.add("prodid", "-//scrutiny-bot//Meeting calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    dtstamp = (stamp or _STAMP).astimezone(UTC)
    for m in meetings:
        ev = icalendar.Event()
        ev.add("uid", m.uid if "@" in m.uid else f"{m.uid}@scrutiny-bot")
        ev.add("dtstamp", dtstamp)
        ev.add("summary", f"{m.status.upper()}: {m.body}" if m.is_off else m.body)
        if m.time:
            start = datetime.combine(m.date, time.fromisoformat(m.time), tzinfo=LONDON)
            ev.add("dtstart", start)
            ev.add("dtend", start + _NOMINAL_LENGTH)
        else:
            ev.add("dtstart", m.date)
            ev.add("dtend", m.date + timedelta(days=1))
        ev.add("status", "CANCELLED" if m.is_off else "TENTATIVE" if m.status == "tentative" else "CONFIRMED")
        if m.venue:
            ev.add("location", m.venue)
        if m.url:
            ev.add("url", m.url)
        facts = [m.council, f"Status: {m.status}", m.url]
        ev.add("description", "\n".join(f for f in facts if f))
        cal.add_component(ev)
        for d in [] if m.is_off else deadlines_by_meeting.get(m.uid, ()):
            cal.add_component(_deadline_event(m, d, dtstamp))
    if any(ev.get("DTSTART") and "TZID" in ev["DTSTART"].params for ev in cal.walk("VEVENT")):
        cal.subcomponents.insert(0, icalendar.Timezone.from_ical(_LONDON_VTIMEZONE))
    return cal.to_ical()


def _deadline_event(m: Meeting, d: Deadline, dtstamp: datetime) -> icalendar.Event:
    ev = icalendar.Event()
    ev.add("uid", f"{d.kind}-{m.uid.replace('@', '.')}@scrutiny-bot")
    ev.add("dtstamp", dtstamp)
    label = DEADLINE_LABELS.get(d.kind, d.kind.replace("_", " ").capitalize())
    ev.add("summary", f"{label}: {m.body} {m.date.day} {m.date:%b %Y}")
    ev.add("dtstart", d.date)
    ev.add("dtend", d.date + timedelta(days=1))
    ev.add("transp", "TRANSPARENT")
    ev.add("description", d.rule)
    return ev
