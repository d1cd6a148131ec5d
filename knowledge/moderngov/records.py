"""Frozen records of what a ModernGov web service publishes, each with a stable content hash.

ModernGov sends no ETag or Last-Modified, so a sync re-indexes a record only when its
:meth:`content_hash` differs from the one it stored last time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = [
    "AgendaItem",
    "Attendee",
    "Committee",
    "LinkedDocument",
    "Meeting",
    "MeetingDetail",
]


def _plain(value: Any) -> Any:
    """A JSON-ready copy of a record: dataclasses become dicts, tuples lists, dates ISO strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Hashed:
    """Gives a frozen dataclass ``content_hash()``: sha256 over its type name and every field."""

    __slots__ = ()

    def content_hash(self) -> str:
        """The sha256 (hex) of this record's type and fields; equal records hash equal on any run."""
        payload = json.dumps(
            {"type": type(self).__name__, "fields": _plain(self)},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Committee(_Hashed):
    """A committee (or board, panel, sub-committee) as ``GetCommittees`` lists it."""

    id: int
    title: str
    deleted: bool
    expired: bool
    category: str


@dataclass(frozen=True)
class Meeting(_Hashed):
    """One meeting of a committee; ``status`` is ModernGov's free text ("Confirmed", "Cancelled")."""

    id: int
    committee_id: int | None
    committee_title: str
    date: date
    time: str | None
    status: str
    venue: str
    #: None when the answer did not say (``GetMeetings`` does not).
    minutes_published: bool | None

    @property
    def is_cancelled(self) -> bool:
        """True when the status says the meeting was cancelled."""
        return "cancel" in self.status.lower()


@dataclass(frozen=True)
class LinkedDocument(_Hashed):
    """A paper attached to an agenda item (report, appendix, minutes PDF)."""

    title: str
    url: str


@dataclass(frozen=True)
class AgendaItem(_Hashed):
    """One agenda item with its minute; ``number`` is the number printed on the page ("5", "23/5")."""

    id: int
    number: str
    title: str
    #: The minute as real HTML ("" when none is published yet).
    minute_html: str
    #: The agenda's text for the item, as real HTML.
    agenda_text: str
    is_decision: bool
    is_callin: bool
    is_restricted: bool
    is_display_allowed: bool
    is_minute_published: bool
    #: Why the item is exempt (a paragraph of Schedule 12A), when the council says; else "".
    exempt_paragraph: str
    documents: tuple[LinkedDocument, ...]


@dataclass(frozen=True)
class Attendee(_Hashed):
    """A member listed for a meeting: ``attendance`` is "Present", "Apologies", "Expected" ..."""

    name: str
    role: str
    attendance: str


@dataclass(frozen=True)
class MeetingDetail(_Hashed):
    """A meeting as ``GetMeeting`` describes it: the meeting, its agenda items and its attendees."""

    meeting: Meeting
    items: tuple[AgendaItem, ...]
    attendees: tuple[Attendee, ...]
