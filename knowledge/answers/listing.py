"""Answers that list what matching items recorded: the resolutions of a body in a month, say.

Used when a question has no topic words and asks for no meeting fact ("what did cabinet resolve in
December 2022"): every matching item's decisions of the kind asked, newest first, within
``MAX_ANSWER_CHARS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from knowledge.answers.compose import citation, understood
from knowledge.answers.passages import item_notes
from knowledge.answers.query import INTENTS, Question
from knowledge.minutes.search import Hit, best_passages, score_passage
from knowledge.models import Answer, Citation, Filters, ParsedItem, Part, Passage

__all__ = ["MAX_ANSWER_CHARS", "compose_listing", "decides", "listing_blocks"]

MAX_ANSWER_CHARS = 3000  # lists of meetings, resolutions by period; quoted passages keep to ANSWER_CHARS
_KIND_HEADING = {"resolution": "Resolved", "recommendation": "Recommended", "action": "Actions agreed"}


@dataclass(frozen=True)
class _Block:
    """One item's contribution to an answer: its citation and the lines to show."""

    citation: Citation
    lines: tuple[str, ...]


_PROCEDURAL = re.compile(
    r"^(apologies|declarations? of interest|minutes( of the (previous|last) meeting)?( and action log)?|"
    r"named substitutes|substitutes|welcome( and (introductions|apologies))?|date of (the )?next meeting|"
    r"any other business|urgent business|chair'?s announcements|exclusion of (the )?press and public)\b",
    re.I,
)


def _procedural(item: ParsedItem) -> bool:
    return bool(_PROCEDURAL.match(item.title or ""))


def _same_item_key(item: ParsedItem) -> tuple[object, ...]:
    what = item.item or " ".join((item.title or "").lower().split())
    return (item.council, item.body, item.meeting_date, what)


def listing_blocks(hits: Sequence[Hit], q: Question, kind: str | None) -> list[_Block]:
    """One block a matching item: dated before undated, newest first, best matches kept.

    The same item published on two pages (a meeting's minutes and its issue page) is shown
    once; procedural items (apologies, approving the last minutes) only when nothing else matched.
    """
    chosen = list(hits)
    if q.terms and chosen:
        chosen.sort(key=lambda h: h.rank)
        best = chosen[0].rank
        # keep what is at least a third as relevant as the best match (bm25 ranks are negative)
        chosen = [h for h in chosen if best >= 0 or h.rank <= best / 3][:15]
    substantive = [h for h in chosen if not _procedural(h.item)]
    whole = _one_meeting(q, kind)  # "what was on the cabinet agenda on 15 dec 2022": every item, in order
    if substantive and not whole and not (q.terms and all(_procedural(h.item) for h in chosen[:1])):
        chosen = substantive

    def in_title(h: Hit) -> bool:
        return bool(q.terms) and score_passage(h.item.title, q.terms) >= 80

    # items named after the topic first; then dated before undated, newest first
    chosen.sort(key=lambda h: (not in_title(h), h.item.meeting_date is None,
                               -(h.item.meeting_date or date.min).toordinal(), h.item_id))  # fmt: skip
    out = []
    seen: set[tuple[object, ...]] = set()
    for hit in chosen:
        key = _same_item_key(hit.item)
        if key in seen:
            continue
        lines = _outline(hit.item) + _notes(hit.item, True) if whole else _item_lines(hit.item, q, kind)
        if lines:
            seen.add(key)
            out.append(_Block(citation(hit.item, lines), tuple(lines)))
    return out




_RECOMMENDS = re.compile(r"^(that )?(to )?recommend\b|\brecommend(s|ed)? to (the )?(cabinet|council|full council)\b|"
                         r"\bbe recommended to\b", re.I)  # fmt: skip


def decides(kind: str | None) -> Callable[[Passage], bool] | None:
    """What counts as the decision a question asks for; a resolution "to recommend" is a recommendation."""
    if kind is None:
        return None
    if kind == "recommendation":
        return lambda p: p.kind == "recommendation" or _recommends(p)
    return lambda p: p.kind == kind


def _recommends(p: Passage) -> bool:
    return p.kind == "resolution" and bool(_RECOMMENDS.search(p.text))


#: How much of an item's opening line a meeting's outline shows.
_OUTLINE_CHARS = 160


def _one_meeting(q: Question, kind: str | None) -> bool:
    """A question about all one day's business: no topic, no kind of decision, one day."""
    return bool(q.dates and q.dates.start == q.dates.end and not q.terms and not kind and not q.wanted)


def _outline(item: ParsedItem) -> list[str]:
    """An item in a meeting's outline: what it was for, or how its minute opens, in a line."""
    first = next((p for p in item.passages if p.kind == "purpose"), None) or next(
        (p for p in item.passages if p.kind != "detail"), None) or next(iter(item.passages), None)  # fmt: skip
    if first is None:
        return ["  (no minute text)"]
    text = first.text if len(first.text) <= _OUTLINE_CHARS else first.text[: _OUTLINE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return [f"  “{text}”"]


def _item_lines(item: ParsedItem, q: Question, kind: str | None) -> list[str]:
    if kind:
        picked = [p for p in item.passages if p.kind == kind or (kind == "recommendation" and _recommends(p))]
        if q.terms and score_passage(item.title, q.terms) < 80:
            # an item about something else: quote only its decisions that match the topic
            matching = [p for _, p in best_passages(picked, q.terms, (kind,), limit=8)]
            picked = matching or picked
        if not picked:
            return []
        lines = [_KIND_HEADING[kind] + ":"] + [_quote(p) for p in picked[:10]]
        if len(picked) > 10:
            lines.append(f"  …and {len(picked) - 10} more.")
    else:
        kinds = INTENTS[q.intent]
        many = len(q.terms) > 0 and q.intent == "discussion"
        found = best_passages(
            item.passages, q.terms, kinds, limit=6 if many else 2 if q.intent == "meeting" else 3
        )
        if q.terms:
            found = [(s, p) for s, p in found if s > 0]
        if not found and not q.terms:
            found = [(0.0, p) for p in item.passages if p.kind == "purpose"][:1] or [
                (0.0, p) for p in item.passages if p.kind in kinds
            ][:1]
        lines = [_quote(p, with_kind=True) for _, p in found]
        if not lines and q.terms:
            return []
    return lines + _notes(item, bool(lines))


def _notes(item: ParsedItem, quoted: bool) -> list[str]:
    """What an item's markers say of it: decision fields, minutes to follow, a minute cut short."""
    said = item_notes(item)
    out = ["  (" + "; ".join(said.fields) + ".)"] if said.fields and quoted else []
    out += [f"  ({n[0].upper()}{n[1:]}.)" for n in (*said.to_follow, *(said.truncated if quoted else ()))]
    return out


def _quote(p: Passage, with_kind: bool = False) -> str:
    label = f"{p.label}) " if p.label and len(p.label) <= 3 else ""
    prefix = ""
    if with_kind and p.kind in _KIND_HEADING:
        prefix = _KIND_HEADING[p.kind] + ": "
    return f"  {prefix}{label}“{p.text}”"


def compose_listing(
    question: str,
    q: Question,
    filters: Filters,
    blocks: list[_Block],
    notes: list[str],
    several_councils: bool,
) -> Answer:
    head = list(notes)
    dated = [b for b in blocks if b.citation.meeting_date is not None]
    asked_dates = bool(filters.date_from or filters.date_to)
    if asked_dates and not dated:
        head.append(f"No meeting in the minutes I hold is dated {q.dates.describe() if q.dates else 'then'}. "
                    "These items match but their pages do not state a date, so they may or may not be from then:")  # fmt: skip
    parts: list[Part] = []
    used = sum(len(n) + 1 for n in head) + 120
    for block in blocks:
        c = block.citation
        heading = c.heading(with_council=several_councils)
        undated = ""
        if c.meeting_date is None and asked_dates and dated:
            undated = "\n  (The page does not state the meeting date, so it may fall outside the dates asked.)"
        body = "\n".join(block.lines) + undated
        size = len(heading) + 1 + len(body)
        if used + size + 2 > MAX_ANSWER_CHARS and parts:
            break
        if size > MAX_ANSWER_CHARS - used:
            body = body[: max(200, MAX_ANSWER_CHARS - used - len(heading) - 3)].rstrip() + "…"
        parts.append(Part(heading, body, (c,)))
        used += len(heading) + 1 + len(body) + 2
    total = len(blocks)
    summary = f"Found {total} matching item{'s' if total != 1 else ''} ({understood(q, filters)})."
    if len(parts) < total:
        one_day = bool(filters.date_from and filters.date_from == filters.date_to)
        summary += f" Showing {len(parts)}; " + ("ask about one of them by its title to see more." if one_day
                                                 else "ask about a narrower period or body to see the rest.")  # fmt: skip
    citations = tuple(c for p in parts for c in p.citations)
    found = bool(dated) or not asked_dates
    return Answer(question, found, "\n".join([*head, summary]), q.intent, filters, citations, tuple(parts))
