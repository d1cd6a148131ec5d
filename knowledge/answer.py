"""Answering a question from the index: extractive quotes, grouped by meeting, with citations."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import sqlite_utils

from .models import Answer, Citation, Filters, ParsedItem, Passage
from .query import INTENTS, BodyRef, Question, understand
from .search import Hit, ItemFilter, best_passages, find_items, nearest_meetings, correct_terms

__all__ = ["MAX_ANSWER_CHARS", "ask"]

log = logging.getLogger(__name__)

MAX_ANSWER_CHARS = 3000
_DECISION_INTENTS = {"resolutions": "resolution", "recommendations": "recommendation", "actions": "action"}
_KIND_HEADING = {"resolution": "Resolved", "recommendation": "Recommended", "action": "Actions agreed"}
_INTENT_WORDS = {
    "resolutions": "resolutions",
    "recommendations": "recommendations",
    "actions": "actions agreed",
    "discussion": "discussion",
    "meeting": "meetings",
    "topic": "minutes",
}
_EXAMPLES = (
    "For example: “what did cabinet resolve in December 2022”, “what did CYP scrutiny recommend in 2022”, "
    "“when did the board discuss recruitment”."
)


@dataclass(frozen=True)
class _Block:
    """One item's contribution to an answer: its citation and the lines to show."""

    citation: Citation
    lines: tuple[str, ...]


def _fmt_day(d: date | None) -> str:
    return d.strftime("%-d %B %Y") if d else "date not stated"


def ask(db: sqlite_utils.Database, question: str, *, today: date, include_restricted: bool = False) -> Answer:
    """Answer a question from the index. Never raises for any question text."""
    try:
        return _ask(db, question, today=today, include_restricted=include_restricted)
    except Exception:  # the answerer must never fail a user; the log keeps the details
        log.exception("ask failed question=%r", question)
        return Answer(
            question=question,
            found=False,
            text="Sorry, I could not answer that question because of a fault on my side. "
            "It has been logged; please try rephrasing it.",
            intent="error",
            filters=Filters(),
        )


def _known(db: sqlite_utils.Database) -> tuple[list[BodyRef], list[str]]:
    bodies = [BodyRef(c or "", n) for c, n in db.execute("SELECT council, name FROM bodies").fetchall()]
    councils = sorted({b.council for b in bodies if b.council})
    return bodies, councils


def _filters(q: Question) -> Filters:
    body = q.body
    return Filters(
        council=q.council or (body.council if body and body.council else None),
        body=body.name if body else None,
        date_from=q.dates.start if q.dates else None,
        date_to=q.dates.end if q.dates else None,
        topic=q.topic,
    )


def _ask(db: sqlite_utils.Database, question: str, *, today: date, include_restricted: bool) -> Answer:
    text = " ".join(str(question).split())
    bodies, councils = _known(db)
    if not text.strip(" ?!.,"):
        return Answer(question, False, "Ask me about what a committee decided, recommended or discussed. " + _EXAMPLES,
                      "help", Filters())  # fmt: skip
    if not bodies and not db.execute("SELECT 1 FROM items LIMIT 1").fetchone():
        return Answer(question, False, "No minutes have been indexed yet. A clerk can add them with "
                      "`scrutiny-bot ingest FILES`.", "topic", Filters())  # fmt: skip
    q = understand(text, bodies, today=today, councils=councils)
    filters = _filters(q)
    if q.ambiguous:
        names = " or ".join(f"the {b.name}" + (f" ({b.council})" if len(councils) > 1 else "") for b in q.bodies)
        return Answer(question, False, f"Which body do you mean by “{q.body_words}”: {names}? "
                      "Ask again with its name.", q.intent, filters)  # fmt: skip
    flt = ItemFilter(
        council=filters.council,
        bodies=(filters.body,) if filters.body else (),
        date_from=filters.date_from,
        date_to=filters.date_to,
        include_restricted=include_restricted,
    )
    if q.intent == "topic" and not (q.terms or q.body or q.dates or q.council):
        return Answer(question, False, "I could not tell what to look for in that. "
                      "Ask me what a committee decided, recommended or discussed. " + _EXAMPLES, "help", filters)  # fmt: skip
    kind = _DECISION_INTENTS.get(q.intent)
    needs = (kind,) if kind else ()
    notes = list(q.notes)
    terms, fixed = correct_terms(db, q.terms)
    if fixed:
        notes.append("No minute contains " + ", ".join(f"“{a}”" for a in fixed) + "; I looked for "
                     + ", ".join(f"“{b}…”" for b in fixed.values()) + " instead.")  # fmt: skip
        q = replace(q, terms=tuple(terms))
    hits, how = find_items(db, flt, q.terms, needs_kinds=needs)
    if how == "any":
        notes.append("No single minute mentions all of " + ", ".join(f"“{t}”" for t in q.terms) + "; showing partial matches.")
    blocks = _blocks(hits, q, kind)
    if not blocks:
        return _not_found(db, question, q, filters, flt, notes, today)
    return _compose(question, q, filters, blocks, notes)


def _blocks(hits: Sequence[Hit], q: Question, kind: str | None) -> list[_Block]:
    """One block a matching item: dated before undated, newest first, best matches kept."""
    chosen = list(hits)
    if q.terms:
        chosen = sorted(chosen, key=lambda h: h.rank)[:15]
    chosen.sort(key=lambda h: (h.item.meeting_date is None, -(h.item.meeting_date or date.min).toordinal(), h.item_id))
    out = []
    for hit in chosen:
        lines = _item_lines(hit.item, q, kind)
        if lines:
            out.append(_Block(_citation(hit.item, lines), tuple(lines)))
    return out


def _item_lines(item: ParsedItem, q: Question, kind: str | None) -> list[str]:
    if kind:
        picked = [p for p in item.passages if p.kind == kind]
        if q.terms:
            matching = [p for _, p in best_passages(picked, q.terms, (kind,), limit=8)]
            picked = matching or picked
        return [_KIND_HEADING[kind] + ":"] + [_quote(p) for p in picked[:8]] if picked else []
    kinds = INTENTS[q.intent]
    limit = 2 if q.intent == "meeting" else 3
    found = best_passages(item.passages, q.terms, kinds, limit=limit)
    if q.terms:
        found = [(s, p) for s, p in found if s > 0]
    if not found and not q.terms:
        found = [(0.0, p) for p in item.passages if p.kind == "purpose"][:1] or [
            (0.0, p) for p in item.passages if p.kind in kinds
        ][:1]
    lines = [_quote(p, with_kind=True) for _, p in found]
    if not lines and "minutes to follow" in item.markers and not q.terms:
        lines = ["(Minutes are to follow.)"]
    if "truncated" in item.markers and lines:
        lines.append("(The published text of this minute is cut short; see the full minutes.)")
    return lines


def _quote(p: Passage, with_kind: bool = False) -> str:
    label = f"{p.label}) " if p.label and len(p.label) <= 3 else ""
    prefix = ""
    if with_kind and p.kind in _KIND_HEADING:
        prefix = _KIND_HEADING[p.kind] + ": "
    return f"  {prefix}{label}“{p.text}”"


def _citation(item: ParsedItem, lines: Sequence[str]) -> Citation:
    quotes = [ln.strip() for ln in lines if "“" in ln]
    return Citation(
        council=item.council,
        body=item.body,
        meeting_date=item.meeting_date,
        item=item.item,
        title=item.title or "(untitled item)",
        source=item.url or "",
        quote="\n".join(q[q.index("“") + 1 : q.rindex("”")] for q in quotes),
        restricted=item.restricted,
    )


def _understood(q: Question, filters: Filters) -> str:
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
    return " ".join(parts)


def _compose(question: str, q: Question, filters: Filters, blocks: list[_Block], notes: list[str]) -> Answer:
    head = [n for n in notes]
    sections: list[tuple[str, tuple[Citation, ...]]] = []
    used = sum(len(n) + 1 for n in head) + 120
    shown = 0
    for block in blocks:
        c = block.citation
        cite = c.label() + (f"\nSource: {c.source}" if c.source else "")
        undated = ""
        if c.meeting_date is None and (filters.date_from or filters.date_to):
            undated = "\n  (The page does not state the meeting date, so it may fall outside the dates asked.)"
        body = cite + "\n" + "\n".join(block.lines) + undated
        if used + len(body) + 2 > MAX_ANSWER_CHARS and shown:
            break
        if len(body) > MAX_ANSWER_CHARS - used:
            body = body[: max(200, MAX_ANSWER_CHARS - used - 2)].rstrip() + "…"
        sections.append((body, (c,)))
        used += len(body) + 2
        shown += 1
    total = len(blocks)
    summary = f"Found {total} matching item{'s' if total != 1 else ''} ({_understood(q, filters)})."
    if shown < total:
        summary += f" Showing the {shown} newest; ask about a narrower period or body to see the rest."
    text = "\n".join([*head, summary, "", "\n\n".join(s for s, _ in sections)]).strip()
    citations = tuple(c for _, cs in sections for c in cs)
    return Answer(question, True, text, q.intent, filters, citations, tuple(sections))


def _not_found(
    db: sqlite_utils.Database,
    question: str,
    q: Question,
    filters: Filters,
    flt: ItemFilter,
    notes: list[str],
    today: date,
) -> Answer:
    what = _understood(q, filters)
    lines = [*notes, f"I found no {what} in the minutes I hold."]
    if q.terms:
        if flt.date_from or flt.date_to or flt.bodies:
            wider = ItemFilter(council=flt.council, include_restricted=flt.include_restricted)
            others, _ = find_items(db, wider, q.terms, limit=5)
            if others:
                lines.append("It does come up elsewhere:")
                lines += [f"  • {_cite_short(h.item)}" for h in others[:3]]
    kind = _DECISION_INTENTS.get(q.intent)
    if kind and not q.terms:
        # The meetings exist but recorded no decision of that kind: say what they did consider.
        plain, _ = find_items(db, flt, (), limit=5)
        if plain:
            lines.append("These items were considered then:")
            lines += [f"  • {_cite_short(h.item)}" for h in plain[:5]]
    if flt.date_from or flt.date_to:
        around = flt.date_from or flt.date_to or today
        near = nearest_meetings(db, flt, around)
        if near:
            who = f"{filters.body}'s" if filters.body else "The"
            lines.append(f"{who} nearest meetings in the minutes I hold: "
                         + " and ".join(f"{_fmt_day(d)}" if filters.body else f"{b}, {_fmt_day(d)}" for b, d in near)
                         + ".")  # fmt: skip
    if len(lines) == len(notes) + 1:
        lines.append(_EXAMPLES)
    return Answer(question, False, "\n".join(lines), q.intent, filters)


def _cite_short(item: ParsedItem) -> str:
    num = f", item {item.item}" if item.item else ""
    return f"{item.body or 'body not stated'}, {_fmt_day(item.meeting_date)}{num}: {item.title}"
