"""Composing answers: the head that says what was understood, the parts that quote, what is near.

Pure functions over what the answerers found (``not_found`` asks the index what exists nearby).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import sqlite_utils

from knowledge.answers.facts import FACT_KINDS, describe
from knowledge.answers.meetings import fmt_day, nearest_line
from knowledge.answers.passages import PassageAnswer
from knowledge.answers.query import Question
from knowledge.minutes.search import ItemFilter, find_items, nearest_meetings
from knowledge.models import Answer, Citation, Filters, ParsedItem, quoted_citation

__all__ = [
    "DECISION_INTENTS", "EXAMPLES", "citation", "cite_short", "compose_passages", "head_room", "not_found",
    "private_lines", "understood",
]  # fmt: skip

DECISION_INTENTS = {"resolutions": "resolution", "recommendations": "recommendation", "actions": "action"}
_INTENT_WORDS: dict[str, str] = {
    "resolutions": "resolutions",
    "recommendations": "recommendations",
    "actions": "actions agreed",
    "discussion": "discussion",
    "meeting": "meetings",
    "topic": "minutes",
}
EXAMPLES = (
    "For example: “what did cabinet resolve in December 2022”, “what did CYP scrutiny recommend in 2022”, "
    "“when did the board discuss recruitment”."
)


def citation(item: ParsedItem, lines: Sequence[str]) -> Citation:
    """The citation of an item, quoting what its lines put between curly quotes."""
    return quoted_citation(item, tuple(lines))


def understood(q: Question, filters: Filters) -> str:
    parts = []
    if q.intent in _INTENT_WORDS:
        parts.append(_INTENT_WORDS[q.intent])
    if filters.body:
        parts.append(f"of {filters.body}")
    if filters.council and not filters.body:
        parts.append(f"of {filters.council}")
    if q.terms:
        parts.append("about " + " ".join(q.terms))
    if q.dates:
        parts.append(q.dates.describe())
    elif filters.date_from and filters.date_from == filters.date_to:
        parts.append(f"on {fmt_day(filters.date_from)}")
    return " ".join(parts)


def head_room(q: Question, filters: Filters, notes: Sequence[str]) -> int:
    """The most the head of a passage answer takes: its notes and the summary line (at most 400)."""
    return min(400, sum(len(n) + 1 for n in notes) + len(understood(q, filters)) + 110) + 4


def compose_passages(
    question: str, q: Question, filters: Filters, found: PassageAnswer, notes: list[str]
) -> Answer:
    """An answer from the passages that answer, within ``ANSWER_CHARS`` (they were cut to fit)."""
    n = len(found.parts) + found.more
    summary = f"Found {n} matching item{'s' if n != 1 else ''} ({understood(q, filters)})."
    if found.more:
        summary += f" Showing {len(found.parts)}; ask about a narrower period or body to see the rest."
    head = "\n".join([*notes, summary])
    if len(head) > 400:
        head = head[:399].rstrip() + "…"
    citations = tuple(c for p in found.parts for c in p.citations)
    return Answer(question, True, head, q.intent, filters, citations, found.parts)


def not_found(
    db: sqlite_utils.Database,
    question: str,
    q: Question,
    filters: Filters,
    flt: ItemFilter,
    notes: list[str],
    today: date,
) -> Answer:
    lines = [*notes, _nothing_line(q, filters)]
    if q.terms:
        if flt.date_from or flt.date_to or flt.bodies:
            wider = ItemFilter(council=flt.council, include_restricted=flt.include_restricted)
            others, _ = find_items(db, wider, q.terms, limit=5)
            if others:
                lines.append("Where its words do come up:")  # in other bodies or dates, or not all together
                lines += [f"  • {cite_short(h.item)}" for h in others[:3]]
    kind = DECISION_INTENTS.get(q.intent)
    if kind and not q.terms:
        # The meetings exist but recorded no decision of that kind: say what they did consider.
        plain, _ = find_items(db, flt, (), limit=5)
        if plain:
            lines.append("These items were considered then:")
            lines += [f"  • {cite_short(h.item)}" for h in plain[:5]]
    if flt.date_from or flt.date_to:
        held, _ = find_items(db, replace(flt, include_restricted=True), (), limit=200)
        days = sorted({h.item.meeting_date for h in held if h.item.meeting_date}, reverse=True)
        if days:
            who = filters.body or "The bodies I hold"
            lines.append(f"{who} met then on " + ", ".join(fmt_day(d) for d in days[:6]) + "; ask about what was "
                         "discussed or decided there.")  # fmt: skip
        else:
            near = nearest_meetings(db, flt, flt.date_from or flt.date_to or today)
            if near:
                lines.append(nearest_line(filters.body, near))
    if len(lines) == len(notes) + 1:
        lines.append(EXAMPLES)
    return Answer(question, False, "\n".join(lines), q.intent, filters)


def _nothing_line(q: Question, filters: Filters) -> str:
    """What was looked for and not found; for a meeting fact, the fact (not "no minutes of Cabinet",
    which would say the body has no minutes at all)."""
    if not q.wanted:
        return f"I found no {understood(q, filters)} in the minutes I hold."
    facts = " or ".join(describe(k) for k in FACT_KINDS if k in q.wanted)
    about = f" about {' '.join(q.terms)}" if q.terms else ""
    where = filters.body or filters.council
    when = understood(replace(q, intent="", terms=()), Filters(date_from=filters.date_from, date_to=filters.date_to))
    return f"I found nothing on {facts}{about} in the minutes " + (f"of {where}" if where else "I hold") + (
        f" {when}." if when else ".")


def cite_short(item: ParsedItem) -> str:
    num = f", item {item.item}" if item.item else ""
    return f"{item.body or 'body not stated'}, {fmt_day(item.meeting_date)}{num}: {item.title}"


def private_lines(private: Sequence[ParsedItem]) -> list[str]:
    """Exempt (Part 2) items that match: their agenda titles are public, their minutes are not quoted."""
    lines = ["Taken in private (exempt information, Part 2), so its minute is not shown here:"]
    lines += [f"  • {cite_short(it)}" for it in private[:3]]
    return lines
