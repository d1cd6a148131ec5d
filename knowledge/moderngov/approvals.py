"""Draft or confirmed: minutes stay draft until a later meeting of the same body approves them.

A meeting's minutes record which earlier minutes it approved ("RESOLVED: That the minutes of the
meeting held on 15 January 2026 be approved as a correct record"); these pure functions find those
sentences and decide, from every meeting of a body, whether a meeting's minutes are confirmed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from knowledge.dates import mentions_day, read_day
from knowledge.models import MINUTES_CONFIRMED, MINUTES_DRAFT

__all__ = ["Approval", "BodyMeeting", "approvals_in", "minutes_status_of"]

_SENTENCES = re.compile(r"(?<=[.;])\s+|\n+")
_MINUTES = re.compile(r"\bminutes?\b", re.I)
_APPROVED = re.compile(
    r"\b(?:correct|true|accurate) (?:and accurate )?record\b|"
    r"\b(?:approved|agreed|confirmed|adopted|signed|accepted)\b",
    re.I,
)
_REFUSED = re.compile(
    r"\bnot (?:be |been )?(?:approved|agreed|confirmed|signed|accepted)\b|\b(?:deferred|withdrawn)\b", re.I
)
_PREVIOUS = re.compile(r"\b(?:previous|last|preceding) meeting\b", re.I)
#: An item that is about the last meeting's minutes: "Minutes", "Minutes of the previous meeting".
_MINUTES_TITLE = re.compile(
    r"^(?:\d+[.)]?\s*)?(?:(?:approval|confirmation) of (?:the )?)?minutes"
    r"(?: of (?:the )?(?:previous|last) meeting)?(?: and matters arising)?\W*$",
    re.I,
)
_DAY_MONTH = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
    r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b",
    re.I,
)


@dataclass(frozen=True)
class Approval:
    """A sentence of a meeting's minutes approving earlier minutes; ``previous`` when it names no day
    and so means the body's previous meeting."""

    sentence: str
    previous: bool


@dataclass(frozen=True)
class BodyMeeting:
    """What deciding draft or confirmed needs of one meeting of a body."""

    id: int
    day: date
    off: bool  # cancelled or postponed: it approved nothing and has nothing to approve
    has_minutes: bool
    published_draft: bool | None  # the site's own word: "draft minutes" (True), "minutes" (False)
    approvals: tuple[Approval, ...]


def approvals_in(title: str, minute: str) -> list[Approval]:
    """The sentences of one item's minute that approve earlier minutes as a correct record."""
    found: list[Approval] = []
    about_minutes = bool(_MINUTES_TITLE.match(title.strip()))
    for sentence in _SENTENCES.split(minute):
        text = " ".join(sentence.split())
        if not (_MINUTES.search(text) and _APPROVED.search(text)) or _REFUSED.search(text):
            continue
        dated = bool(_DAY_MONTH.search(text) or read_day(text))
        if dated:
            found.append(Approval(text, previous=False))
        elif _PREVIOUS.search(text) or about_minutes:
            found.append(Approval(text, previous=True))
    return found


def _previous_meeting(meetings: Sequence[BodyMeeting], before: date) -> BodyMeeting | None:
    held = [m for m in meetings if m.day < before and not m.off]
    return max(held, key=lambda m: m.day) if held else None


def _approved(meeting: BodyMeeting, meetings: Sequence[BodyMeeting]) -> bool:
    for later in meetings:
        if later.day <= meeting.day or later.off:
            continue
        for approval in later.approvals:
            if approval.previous:
                previous = _previous_meeting(meetings, later.day)
                if previous is not None and previous.id == meeting.id:
                    return True
            elif mentions_day(approval.sentence, meeting.day):
                return True
    return False


def minutes_status_of(meeting: BodyMeeting, meetings: Iterable[BodyMeeting]) -> str:
    """Confirmed when a later meeting of the body approved them (or the site calls them final), draft
    while they wait, "" when no minutes are published."""
    if not meeting.has_minutes:
        return ""
    if _approved(meeting, list(meetings)) or meeting.published_draft is False:
        return MINUTES_CONFIRMED
    return MINUTES_DRAFT
