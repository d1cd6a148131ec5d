"""Deadlines asked for in chat: which meetings a request means, and each one's deadlines.

The dates come from :func:`knowledge.calendar.deadlines.compute_deadlines` with the configured per-body
rules, exactly as ``scrutiny-bot deadlines`` computes them. ``deadlines [BODY] [next|DATE]`` and
questions such as *when is the agenda deadline for cabinet?* are read here; the chat layer words
the answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from knowledge.answers.query import BodyRef, match_bodies
from knowledge.calendar.deadlines import Deadline, compute_deadlines
from knowledge.calendar.meetings import Meeting, list_meetings, next_meeting
from knowledge.dates import find_date_range, parse_cli_date
from knowledge.minutes.search import indexed_bodies
from knowledge.models import UserError
from knowledge.text import fold

__all__ = [
    "AHEAD_DAYS",
    "DeadlineFindings",
    "MeetingDeadlines",
    "find_deadlines",
    "read_deadline_question",
    "short_day",
]

#: With no body or date: the meetings of the next six weeks.
AHEAD_DAYS = 42
_MAX_MEETINGS = 6

_KINDS = (
    ("key_decision_notice", re.compile(r"\bkey[- ]decisions?\b(?:\s+notices?)?", re.I)),
    ("draft_minutes", re.compile(r"\b(?:draft\s+)?minutes\b", re.I)),
    ("report_deadline", re.compile(r"\breports?\b", re.I)),
    ("agenda_publication", re.compile(r"\b(?:agenda|agendas|publication|papers)\b", re.I)),
)
_DEADLINE = re.compile(
    r"\bdeadlines?\b|\bkey[- ]decision notices?\b|"
    r"\b(?:agenda|agendas|papers|reports?)\s+(?:\w+\s+){0,2}(?:be\s+)?(?:published|due|submitted|in)\s+by\b",
    re.I,
)
_ABOUT_MINUTES = re.compile(
    r"\b(?:said|say|says|discuss\w*|resolv\w*|decid\w*|agreed|recommend\w*|raised|concerns?|debat\w*|"
    r"mention\w*|minuted)\b",
    re.I,
)
#: Words that tie a deadline to a meeting; "the deadline for consultation responses" has none.
_MEETING_CUE = re.compile(
    r"\b(?:agendas?|papers|reports?|key[- ]decisions?|minutes|publication|publish\w*|meetings?|next|"
    r"committees?|cabinet|council|board|panel|scrutiny|executive|forum|sub-committee)\b",
    re.I,
)
_ISO_OR_UK = re.compile(r"\b(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4})\b")
_NEXT = re.compile(r"\b(?:next|upcoming|coming|forthcoming)\b", re.I)
_FILLER = set(
    "when is are was the for of a an what which deadline deadlines due by must be published publication "
    "date dates next upcoming coming forthcoming meeting meetings s agenda agendas report reports key "
    "decision decisions notice notices draft minutes and to in on me tell show give list please do does i "
    "need have get our my papers submit submitted this it its their at from with we us".split()
)


@dataclass(frozen=True)
class MeetingDeadlines:
    """One meeting (known, or only asked about) and its deadlines, earliest first."""

    body: str
    day: date
    deadlines: tuple[Deadline, ...]
    meeting: Meeting | None = None  # None when no meeting is known that day

    def deadline(self, kind: str) -> Deadline | None:
        """The deadline of ``kind``, if this meeting has one."""
        return next((d for d in self.deadlines if d.kind == kind), None)


@dataclass(frozen=True)
class DeadlineFindings:
    """What a deadlines request found: which meetings, their deadlines, and the kind asked about."""

    title: str
    meetings: tuple[MeetingDeadlines, ...]
    kind: str | None = None
    note: str = ""
    more: int = 0  # meetings left out


def short_day(d: date) -> str:
    """A day as ``scrutiny-bot deadlines`` prints it: 'Fri 23 Dec 2022'."""
    return f"{d:%a} {d.day} {d:%b %Y}"


def read_deadline_question(text: str) -> str | None:
    """The words for the deadlines command when ``text`` asks for deadlines, else None.

    "when is the agenda deadline for cabinet?" is one; "what did cabinet say about the deadline for
    the consultation?" is a question about the minutes.
    """
    if not _DEADLINE.search(text) or _ABOUT_MINUTES.search(text):
        return None
    if not _MEETING_CUE.search(text) and not re.match(r"\s*deadlines?\b", text, re.I):
        return None
    return text.strip().rstrip("?!. ")


def _bodies(db: sqlite_utils.Database, today: date) -> list[BodyRef]:
    bodies = [BodyRef(c, n) for c, n in indexed_bodies(db)]
    known = {b.name for b in bodies}
    for m in list_meetings(db, date_from=today - timedelta(days=366)):
        if m.body not in known:
            bodies.append(BodyRef(m.council or "", m.body))
            known.add(m.body)
    return bodies


def _kind(words: str) -> str | None:
    for kind, pattern in _KINDS:
        if pattern.search(words):
            return kind
    return None


def _leftover(words: str, named: str) -> str:
    rest = fold(words)
    if named:
        rest = rest.replace(named, " ")
    left = [w for w in re.findall(r"[a-z0-9']+", rest) if w not in _FILLER and not w.isdigit()]
    return " ".join(left)


def _dates(words: str, today: date) -> tuple[date | None, date | None, str]:
    """The day or range the words give, and the words without it."""
    exact = _ISO_OR_UK.search(words)
    if exact:
        day = parse_cli_date(exact.group(0))
        return day, day, words.replace(exact.group(0), " ")
    found = find_date_range(words, today)
    if found is None or (found.start is None and found.end is None):
        return None, None, words
    rest = words.replace(found.text, " ") if found.text else words
    return found.start, found.end, rest


def find_deadlines(
    db: sqlite_utils.Database,
    words: str,
    *,
    today: date,
    rules: Mapping[str, Mapping[str, object]] | None = None,
) -> DeadlineFindings:
    """The deadlines ``words`` ask for: ``[BODY] [next|DATE]`` or a question in plain words.

    A body alone means its next meeting; a day means the meeting that day (or a meeting then, if
    none is known); a month, the body's meetings in it; nothing, the meetings of the next six weeks.
    """
    config = {b: dict(s) for b, s in rules.items()} if rules else None
    kind = _kind(words)
    start, end, rest = _dates(words, today)
    refs, named = match_bodies(rest, _bodies(db, today))
    names = sorted({b.name for b in refs})
    if len(names) > 1:
        raise UserError(f"Which body do you mean: {' or '.join(names)}? Say `deadlines` with its name.")
    body = names[0] if names else None
    unknown = _leftover(rest, named)
    if body is None and unknown:
        raise UserError(f"I know no body called “{unknown}”. Say `meetings` to see the bodies that meet.")
    if start is not None and start == end:
        return _one_day(db, body, start, kind, config)
    if start is not None or end is not None:
        first, last = start or today, end or (start or today) + timedelta(days=AHEAD_DAYS)
        found = [m for m in list_meetings(db, body, first, last) if not m.is_off]
        title = (
            f"Deadlines for the meetings of {body or 'any body'} from {short_day(first)} to {short_day(last)}"
        )
        return _listing(title, found, kind, config)
    if body is not None:
        meeting = next_meeting(db, body, today)
        if meeting is None:
            raise UserError(
                f"I know of no coming meeting of {body}. Give its date: deadlines {body} YYYY-MM-DD."
            )
        return DeadlineFindings(
            f"Deadlines for the next meeting of {meeting.body}", (_of(meeting, config),), kind
        )
    found = [m for m in list_meetings(db, None, today, today + timedelta(days=AHEAD_DAYS)) if not m.is_off]
    title = f"Deadlines for the meetings of the next {AHEAD_DAYS // 7} weeks"
    return _listing(
        title, found, kind, config, empty=f"I know of no meetings in the next {AHEAD_DAYS // 7} weeks."
    )


def _of(m: Meeting, config: Mapping[str, Mapping[str, object]] | None) -> MeetingDeadlines:
    return MeetingDeadlines(m.body, m.date, tuple(compute_deadlines(m.body, m.date, config)), m)


def _one_day(
    db: sqlite_utils.Database,
    body: str | None,
    day: date,
    kind: str | None,
    config: Mapping[str, Mapping[str, object]] | None,
) -> DeadlineFindings:
    found = [m for m in list_meetings(db, body, day, day) if not m.is_off]
    if found:
        title = f"Deadlines for {body or 'the meetings'} on {short_day(day)}"
        return DeadlineFindings(title, tuple(_of(m, config) for m in found), kind)
    if body is None:
        raise UserError(
            f"I know of no meeting on {short_day(day)}. Say which body: deadlines cabinet {day.isoformat()}"
        )
    note = f"I know of no meeting of {body} on {short_day(day)}; these are the deadlines a meeting then would have."
    deadlines = tuple(compute_deadlines(body, day, config))
    return DeadlineFindings(f"Deadlines for {body} on {short_day(day)}", (MeetingDeadlines(body, day, deadlines),),
                            kind, note)  # fmt: skip


def _listing(
    title: str,
    found: list[Meeting],
    kind: str | None,
    config: Mapping[str, Mapping[str, object]] | None,
    *,
    empty: str = "",
) -> DeadlineFindings:
    if not found:
        raise UserError(empty or f"{title}: I know of no meetings then.")
    shown = tuple(_of(m, config) for m in found[:_MAX_MEETINGS])
    return DeadlineFindings(title, shown, kind, more=len(found) - len(shown))
