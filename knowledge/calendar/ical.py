"""Calendar files: read meetings from iCal (ModernGov style) and CSV, write meetings and deadlines as iCal.

Parsing collects a :class:`~knowledge.calendar.meetings.Problem` per bad row instead of raising, so the
good rows still import; storing them is :func:`knowledge.calendar.meetings.import_meetings`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from knowledge.calendar.deadlines import DEADLINE_LABELS, Deadline
from knowledge.calendar.meetings import Meeting, ParsedCalendar, Problem, derived_uid
from knowledge.csv_text import csv_rows, decode_csv
from knowledge.models import UserError
from knowledge.text import clean_text

__all__ = [
    "LONDON",
    "export_ics",
    "parse_csv",
    "parse_ics",
    "parse_time",
    "read_meetings_file",
]

LONDON = ZoneInfo("Europe/London")
_STATUS_WORDS = {
    "confirmed": "confirmed", "scheduled": "confirmed", "": "confirmed",
    "cancelled": "cancelled", "canceled": "cancelled", "postponed": "postponed",
    "moved": "moved", "rescheduled": "moved", "rearranged": "moved", "re-arranged": "moved",
    "tentative": "tentative", "provisional": "tentative", "unconfirmed": "tentative",
}  # fmt: skip


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
        why = " ".join(clean_text(str(exc)).split())[:200]
        raise UserError(f"{source or 'the file'} is not an iCal calendar I can read ({why}). Download it "
                        "again from the council's meetings calendar (its iCal or .ics link).") from None  # fmt: skip
    out, seen = ParsedCalendar(), dict[str, int]()
    for n, ev in enumerate(cal.walk("VEVENT"), start=1):
        try:
            _keep(out, seen, n, _event_meeting(ev, council, source))
        except UserError as exc:
            out.problems.append(Problem(n, f"{exc} (SUMMARY {str(ev.get('SUMMARY', ''))!r})"))
    return out


def _event_meeting(ev: icalendar.Component, council: str | None, source: str) -> Meeting:
    if "RRULE" in ev:
        raise UserError("repeating events are not meetings I can import")
    body, hint = _split_summary(clean_text(str(ev.get("SUMMARY", ""))))
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
    uid = str(ev.get("UID", "")).strip() or derived_uid("meeting", council, body, day)
    venue = clean_text(str(ev.get("LOCATION", ""))).strip() or None
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
    name = source or "the file"
    text = clean_text(data if isinstance(data, str) else decode_csv(data, name))
    if "\n" not in text:  # "CSV (Macintosh)" ends its lines with a carriage return alone
        text = text.replace("\r", "\n")
    rows = csv_rows(text, name, _dialect(text), what="meeting")
    if not rows or not any(c.strip() for c in rows[0]):
        raise UserError(f"{name} is empty: a CSV needs a header row and meetings")
    where = _header(rows[0])
    missing = [n for n in ("body", "date") if n not in where]
    if missing:
        found = ", ".join(" ".join(c.split()) for c in rows[0] if c.strip()) or "none"
        raise UserError(
            f"{source or 'the CSV'} has no column for {' or '.join(missing)}; "
            f"columns found: {found if len(found) <= 300 else found[:300] + '…'}"
        )
    if not any(any(c.strip() for c in row) for row in rows[1:]):
        raise UserError(f"{name} has a header row but no meetings under it: is it the right file?")
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


def _dialect(text: str) -> type[csv.Dialect]:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _keep(out: ParsedCalendar, seen: dict[str, int], row: int, meeting: Meeting) -> None:
    """Add ``meeting`` unless the file already gave it (same uid, or same council, body and day)."""
    key = meeting.uid or derived_uid("k", meeting.council, meeting.body, meeting.date)
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
