"""Answers about meetings themselves: when a body meets or met, and the nearest meetings to a date."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

import sqlite_utils

from knowledge.answers.query import Question
from knowledge.calendar.meetings import Meeting, list_meetings
from knowledge.minutes.search import ItemFilter, indexed_bodies, nearest_meetings
from knowledge.models import Answer, Citation, Filters, Part
from knowledge.text import day_words

__all__ = ["answer_meeting_question", "describe_meetings", "fmt_day", "nearest_line"]


def fmt_day(d: date | None) -> str:
    """A day as people write it: 15 December 2022, or "date not stated"."""
    return day_words(d)


def nearest_line(body: str | None, near: Sequence[tuple[str, date]]) -> str:
    """The sentence offering the meetings nearest a date."""
    who = f"{body}'s" if body else "The"
    days = " and ".join(fmt_day(d) if body else f"{b}, {fmt_day(d)}" for b, d in near)
    return f"{who} nearest meetings in the minutes I hold: {days}."


_NEXT = re.compile(r"\b(next|upcoming|future|coming|forthcoming)\b", re.I)
_LAST = re.compile(r"\b(last|latest|most recent|previous|recently)\b", re.I)


def answer_meeting_question(
    db: sqlite_utils.Database, question: str, q: Question, filters: Filters, today: date, several: bool
) -> Answer:
    """When a body meets or met: from the calendar and the minutes."""
    body = filters.body
    who = body or "any body"
    if _NEXT.search(question):
        upcoming = [m for m in list_meetings(db, body, date_from=today) if not m.is_off]
        if not upcoming:
            past = list_meetings(db, body, date_to=today)
            last = f" The last one I know of was on {fmt_day(past[-1].date)}." if past else ""
            text = (
                f"I have no future meeting of {who} in the calendar.{last} A clerk can import the calendar."
            )
            return Answer(question, False, text, "meeting", filters)
        m = upcoming[0]
        at = f" at {m.time}" if m.time else ""
        venue = f", {m.venue}" if m.venue else ""
        lines = [f"The next meeting of {m.body} is on {m.date.strftime('%A %-d %B %Y')}{at}{venue}."]
        lines += [f"Then: {', '.join(fmt_day(x.date) for x in upcoming[1:4])}."] if len(upcoming) > 1 else []
        if re.search(r"\bagenda\b", question, re.I):
            where = f" ({m.url})" if m.url else ""
            lines.append(f"I hold no agenda for it: I read minutes once they are published. The council's site "
                         f"publishes the agenda at least five clear working days before the meeting{where}.")  # fmt: skip
        cite = Citation(m.council, m.body, m.date, None, "Meeting calendar", m.url or m.source or "calendar")
        return Answer(question, True, "", "meeting", filters, (cite,), (Part("", "\n".join(lines), (cite,)),))
    meetings = [m for m in list_meetings(db, body, filters.date_from, filters.date_to) if m.date <= today]
    if filters.council:
        meetings = [m for m in meetings if m.council == filters.council]
    if not meetings:
        text = f"I hold no meetings of {who} {q.dates.describe() if q.dates else ''}.".replace(" .", ".")
        flt = ItemFilter(council=filters.council, bodies=(body,) if body else ())
        near = nearest_meetings(db, flt, filters.date_from or filters.date_to or today)
        if near:
            text += "\n" + nearest_line(body, near)
        return Answer(question, False, text, "meeting", filters)
    meetings.sort(key=lambda m: m.date, reverse=True)
    if _LAST.search(question):
        meetings = meetings[:1]
    shown = meetings[:12]
    lines = [f"{'The last meeting' if len(shown) == 1 and _LAST.search(question) else 'Meetings'} of {who}"
             + (f" {q.dates.describe()}" if q.dates else "") + ":"]  # fmt: skip
    cites = []
    for m in shown:
        status = f" ({m.status})" if m.status not in ("confirmed", "") else ""
        lines.append(
            f"  • {m.body}, {m.date.strftime('%A %-d %B %Y')}{status}" + (f" — {m.url}" if m.url else "")
        )
        cites.append(
            Citation(m.council if several else m.council, m.body, m.date, None, "Meeting", m.url or m.source)
        )
    if len(meetings) > len(shown):
        lines.append(f"…and {len(meetings) - len(shown)} earlier.")
    return Answer(question, True, lines[0], "meeting", filters, tuple(cites), (Part("", "\n".join(lines[1:]), tuple(cites)),))


def describe_meetings(db: sqlite_utils.Database, words: str, *, today: date) -> Answer:
    """The `meetings [BODY] [next|MONTH]` command: upcoming meetings, the next one, or a month's."""
    from knowledge.answers.query import BodyRef, understand

    bodies = [BodyRef(c, n) for c, n in indexed_bodies(db)]
    known = {b.name for b in bodies}
    for m in list_meetings(db, date_from=today):
        if m.body not in known:
            bodies.append(BodyRef(m.council or "", m.body))
            known.add(m.body)
    q = understand(words, bodies, today=today)
    if q.ambiguous:
        names = " or ".join(b.name for b in q.bodies)
        return Answer(
            words,
            False,
            f"Which body do you mean: {names}? Say `meetings` with its name.",
            "meeting",
            Filters(),
        )
    body = q.body.name if q.body else None
    filters = Filters(
        body=body, date_from=q.dates.start if q.dates else None, date_to=q.dates.end if q.dates else None
    )
    who = body or "any body"
    if q.dates:
        found = list_meetings(db, body, q.dates.start, q.dates.end)
        title = f"Meetings of {who} {q.dates.describe()}"
    elif re.search(r"\bnext\b", words, re.I):
        upcoming = [m for m in list_meetings(db, body, date_from=today) if not m.is_off]
        firsts: dict[str, Meeting] = {}
        for m in upcoming:
            firsts.setdefault(m.body, m)
        found = sorted(firsts.values(), key=lambda m: m.date)
        title = f"The next meeting of {who}" if body else "The next meeting of each body"
    else:
        found = list_meetings(db, body, today, today + timedelta(days=42))
        title = f"Meetings of {who} in the next six weeks"
    if not found:
        past = [m for m in list_meetings(db, body, date_to=today) if not m.is_off]
        last = f" The last one I know of was on {fmt_day(past[-1].date)}." if past else ""
        return Answer(words, False, f"{title}: none that I know of.{last}", "meeting", filters)
    lines, cites = [f"{title}:"], []
    for m in found[:15]:
        at = f" at {m.time}" if m.time else ""
        venue = f", {m.venue}" if m.venue else ""
        status = "" if m.status in ("confirmed", "") else f" ({m.status.upper()})"
        lines.append(f"  • {m.body}: {m.date:%A %-d %B %Y}{at}{venue}{status}")
        cites.append(Citation(m.council, m.body, m.date, None, "Meeting", m.url or m.source or "calendar"))
    if len(found) > 15:
        lines.append(f"  …and {len(found) - 15} more.")
    return Answer(words, True, lines[0], "meeting", filters, tuple(cites), (Part("", "\n".join(lines[1:]), tuple(cites)),))
