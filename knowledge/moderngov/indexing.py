"""What the web service says about a meeting, made into items for the index and an entry in the calendar.

Each agenda item becomes a :class:`~knowledge.models.ParsedItem` as the page parser would make it: its
printed number and title, the agenda's words as its purpose, its minute read by
:func:`knowledge.minutes.items.parse_item_body`, ModernGov's decision and call-in flags as markers, and a
restricted (or not displayable) item held exempt, with its Schedule 12A paragraph. The attendees become
a "Meeting details" item saying who was present, sent apologies or attended as a substitute.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence

from knowledge.calendar.ical import parse_time
from knowledge.calendar.meetings import Meeting as CalendarMeeting
from knowledge.minutes.exempt import apply_exclusions, is_exempt_title, is_restricted_marker
from knowledge.minutes.html import html_to_text
from knowledge.minutes.items import parse_item_body
from knowledge.models import MINUTES_CONFIRMED, MINUTES_DRAFT, ParsedItem, Passage, UserError

from .approvals import Approval, approvals_in
from .links import item_url, meeting_url
from .records import AgendaItem, Attendee, Meeting, MeetingDetail

__all__ = [
    "CONVERTER_VERSION",
    "DETAILS_TITLE",
    "attendance_passages",
    "calendar_entry",
    "calendar_status",
    "detail_approvals",
    "has_minutes",
    "item_hash",
    "meeting_items",
    "published_minute",
    "text_lines",
    "with_status",
]

#: Bumped when the way records become items changes, so the next sync re-indexes every meeting.
CONVERTER_VERSION = "1"
DETAILS_TITLE = "Meeting details"
_GENERIC_ROLE = re.compile(r"(?:committee |panel |board |sub-committee |cabinet )?member", re.I)


def text_lines(markup: str) -> list[str]:
    """HTML (a minute, an agenda's text) as the lines a browser shows."""
    if not markup.strip():
        return []
    return [line for line in html_to_text(markup).text.splitlines() if line.strip()]


def calendar_status(site_status: str) -> str:
    """ModernGov's free-text status as the calendar's: confirmed, cancelled, postponed, moved, tentative."""
    text = site_status.casefold()
    if "cancel" in text:
        return "cancelled"
    if "postpon" in text:
        return "postponed"
    if re.search(r"moved|resched|rearrang|re-arrang", text):
        return "moved"
    if re.search(r"provisional|tentative|unconfirmed", text):
        return "tentative"
    return "confirmed"


def _time(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return parse_time(text)
    except UserError:
        return None


def calendar_entry(meeting: Meeting, *, base: str, council: str | None, uid: str) -> CalendarMeeting:
    """The calendar's record of a meeting (from ``GetMeeting``, or the listing, which has no venue)."""
    page = meeting_url(base, meeting.committee_id, meeting.id) if meeting.committee_id is not None else None
    return CalendarMeeting(
        council=council,
        body=meeting.committee_title,
        date=meeting.date,
        time=_time(meeting.time),
        venue=meeting.venue or None,
        status=calendar_status(meeting.status),
        uid=uid,
        url=page,
    )


def _who(a: Attendee) -> str:
    role = a.role if a.role and not _GENERIC_ROLE.fullmatch(a.role) else ""
    return f"{a.name} ({role})" if role else a.name


def _names(people: Sequence[str]) -> str:
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def attendance_passages(attendees: Iterable[Attendee]) -> list[Passage]:
    """Who was present, sent apologies, attended as a substitute, was absent or in attendance."""
    present: list[str] = []
    substitutes: list[str] = []
    apologies: list[str] = []
    absent: list[str] = []
    attending: list[str] = []
    other: dict[str, list[str]] = {}
    for a in attendees:
        said = a.attendance.casefold()
        if not a.name or not said or said.startswith("expected"):
            continue  # "Expected": not recorded yet
        if "apolog" in said:
            apologies.append(a.name + (" (a substitute attended)" if "substitute" in said else ""))
        elif "substitut" in said:
            present.append(f"{a.name} (substitute)")
            substitutes.append(a.name)
        elif said.startswith(("present", "attended", "virtual", "remote")):
            present.append(_who(a))
        elif "attendance" in said:
            attending.append(_who(a))
        elif "absent" in said:
            absent.append(a.name)
        else:
            other.setdefault(a.attendance, []).append(_who(a))
    lines = [f"Present: {_names(present)}." if present else ""]
    lines += [f"{name} attended as substitute." for name in substitutes]
    lines += [f"Apologies: {_names(apologies)}." if apologies else ""]
    lines += [
        f"Absent: {_names(absent)}." if absent else "",
        f"In attendance: {_names(attending)}." if attending else "",
    ]
    lines += [f"{said}: {_names(names)}." for said, names in other.items()]
    return [Passage("detail", line) for line in lines if line]


def _details(detail: MeetingDetail) -> list[Passage]:
    m = detail.meeting
    lines = [f"Venue: {m.venue}" if m.venue else "", f"Time: {m.time}" if m.time else ""]
    if m.status and calendar_status(m.status) != "confirmed":
        lines.append(f"Status: {m.status}")
    return [Passage("detail", line) for line in lines if line] + attendance_passages(detail.attendees)


def published_minute(item: AgendaItem, meeting: Meeting) -> str:
    """An item's minute, unless the site flags both the meeting's and the item's minutes unpublished."""
    if meeting.minutes_published is False and not item.is_minute_published:
        return ""
    return item.minute_html


def has_minutes(detail: MeetingDetail) -> bool:
    """Whether any of the meeting's minutes are published."""
    return any(published_minute(item, detail.meeting).strip() for item in detail.items)


def _item(item: AgendaItem, meeting: Meeting, base: str, to_follow: bool) -> ParsedItem:
    purpose = [Passage("purpose", line) for line in text_lines(item.agenda_text)]
    minute = text_lines(published_minute(item, meeting))
    body = parse_item_body(["Minutes:", *minute])
    markers = list(body.markers)
    if to_follow and "minutes to follow" not in markers:
        markers.append("minutes to follow")
    if item.is_decision:
        markers.append("decision")
    if item.is_callin:
        markers.append("subject to call-in")
    restricted = (
        item.is_restricted
        or not item.is_display_allowed
        or is_exempt_title(item.title)
        or any(is_restricted_marker(line) for line in minute)
    )
    if restricted and item.exempt_paragraph:
        markers.append(f"exempt: {item.exempt_paragraph}")
    return ParsedItem(
        title=item.title or "(untitled item)",
        item=item.number or None,
        passages=[*purpose, *body.passages],
        markers=markers,
        url=item_url(base, item.id),
        restricted=restricted,
    )


def meeting_items(
    detail: MeetingDetail, *, base: str, council: str | None, status: str = ""
) -> list[ParsedItem]:
    """The meeting's items for the index: "Meeting details" first, then the agenda in order, exclusions
    of the press and public applied as for a meeting's page (failing closed), each marked ``status``."""
    m = detail.meeting
    to_follow = not has_minutes(detail)
    items = [_item(item, m, base, to_follow) for item in detail.items]
    details = _details(detail)
    page = meeting_url(base, m.committee_id, m.id) if m.committee_id is not None else None
    if details and items:
        items.insert(0, ParsedItem(title=DETAILS_TITLE, passages=details, url=page))
    items = apply_exclusions(items, one_meeting=True)
    for it in items:
        it.council, it.body, it.meeting_date = council, m.committee_title, m.date
    return with_status(items, status)


def with_status(items: list[ParsedItem], status: str) -> list[ParsedItem]:
    """The items with ``status`` ("draft minutes", "confirmed minutes" or "") as their only status marker."""
    for it in items:
        it.markers = [m for m in it.markers if m not in (MINUTES_DRAFT, MINUTES_CONFIRMED)]
        if status:
            it.markers.append(status)
    return items


def detail_approvals(detail: MeetingDetail) -> list[Approval]:
    """The approvals of earlier minutes that this meeting's published minutes record."""
    minutes = ((item.title, published_minute(item, detail.meeting)) for item in detail.items)
    return [a for title, minute in minutes for a in approvals_in(title, "\n".join(text_lines(minute)))]


def item_hash(*parts: object) -> str:
    """A stable sha256 of JSON-ready parts (a record's hash, the council, a version)."""
    payload = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
