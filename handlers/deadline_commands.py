"""The `deadlines` chat command, and questions that ask for deadlines in plain words.

The dates are those of ``scrutiny-bot deadlines`` (the same rules and per-body settings); the
words are this module's.
"""

from __future__ import annotations

from datetime import date

from knowledge.answers.deadlines import (
    DeadlineFindings,
    MeetingDeadlines,
    find_deadlines,
    read_deadline_question,
    short_day,
)
from knowledge.calendar.deadlines import DEADLINE_LABELS
from knowledge.models import Citation

from .answer_pages import offer
from .context import Context
from .messages import Reply, Request, Section, Visibility
from .registry import Command, Registry

__all__ = ["deadlines", "deadlines_reply", "register_deadline_commands"]


def _citation(m: MeetingDeadlines) -> Citation:
    meeting = m.meeting
    if meeting is None:
        return Citation(None, m.body, m.day, None, "deadlines (no meeting known that day)", "")
    at = f", meeting at {meeting.time}" if meeting.time else ""
    source = meeting.url or meeting.source or "calendar"
    return Citation(meeting.council, m.body, m.day, None, f"{m.day:%A}{at}", source)


def _section(m: MeetingDeadlines, today: date, detail: bool) -> Section:
    lines = []
    for d in m.deadlines:
        passed = " (passed)" if d.date < today else ""
        lines.append(f"  {DEADLINE_LABELS[d.kind]}: {short_day(d.date)}{passed}")
    if detail:
        lines += [""] + [f"  {DEADLINE_LABELS[d.kind]}: {d.rule}" for d in m.deadlines]
    cite = _citation(m)
    heading = cite.label(with_council=False) + (f"\nSource: {cite.source}" if cite.source else "")
    return Section("\n".join(lines), (cite,), heading=heading)


def deadlines_reply(found: DeadlineFindings, context: Context) -> Reply:
    """The deadlines found, as a reply: one block a meeting, the rules in words for a single meeting."""
    today = context.today()
    head_lines = [f"{found.title}:"]
    if found.note:
        head_lines.insert(0, found.note)
    if found.kind and found.meetings:
        first = found.meetings[0]
        asked = first.deadline(found.kind)
        label = DEADLINE_LABELS[found.kind]
        if asked is not None:
            head_lines.insert(
                0, f"{label} for {first.body} on {short_day(first.day)}: {short_day(asked.date)}."
            )
        else:
            head_lines.insert(0, f"{first.body} has no {label.lower()} rule.")
    detail = len(found.meetings) == 1
    sections = tuple(_section(m, today, detail) for m in found.meetings)
    tail = f"…and {found.more} more meetings: ask for one body, or a month." if found.more else ""
    head = "\n".join(head_lines)
    text = "\n\n".join(t for t in (head, *(f"{s.heading}\n{s.text}" for s in sections), tail) if t)
    visibility = Visibility.ASKER if context.replies_private else Visibility.CHANNEL
    return Reply(text=text, sections=sections, visibility=visibility, head=head, tail=tail)


def deadlines(request: Request, context: Context) -> Reply:
    """The deadlines of the meetings asked about: ``deadlines [BODY] [next|DATE]``."""
    rules = context.reminders.deadline_rules
    with context.database() as db:
        found = find_deadlines(db, request.text, today=context.today(), rules=rules)
    return offer(deadlines_reply(found, context), request, context, request.text or "deadlines")


def register_deadline_commands(registry: Registry) -> None:
    """Add `deadlines`, which also answers questions that ask for deadlines."""
    registry.add(
        Command(
            name="deadlines",
            summary="the agenda, report, key decision and minutes deadlines of the next meetings, "
            "of a body's next meeting, or of a meeting on a day",
            usage="deadlines [BODY] [next or DATE]",
            handler=deadlines,
            examples=("deadlines cabinet next", "deadlines", "deadlines cabinet 2023-01-05"),
            recognise=read_deadline_question,
        )
    )
