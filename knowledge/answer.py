"""Answering a question from the index: extractive quotes, grouped by meeting, with citations."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import sqlite_utils

from .dates import date_phrases, mentions_day
from .meeting_answers import answer_meeting_question, fmt_day, nearest_line
from .models import Answer, Citation, Filters, ParsedItem, Part, Passage, quoted_citation
from .passage_answers import PassageAnswer, answer_from_passages
from .plan_answers import answer_plan_question
from .query import INTENTS, BodyRef, Question, understand
from .search import (
    Hit,
    ItemFilter,
    best_passages,
    correct_terms,
    find_items,
    indexed_councils,
    nearest_meetings,
    score_passage,
)
from .text import MAX_QUESTION_CHARS, clean_text, fold

__all__ = ["MAX_ANSWER_CHARS", "ask"]

log = logging.getLogger(__name__)

MAX_ANSWER_CHARS = 3000  # lists of meetings, resolutions by period; quoted passages keep to ANSWER_CHARS
_DECISION_INTENTS = {"resolutions": "resolution", "recommendations": "recommendation", "actions": "action"}
#: Words a passage uses when it records what the question's intent asks for.
_CUES = {
    "discussion": re.compile(r"\b(raised|concerns?|asked|questioned|queried|said|comment\w*|noted|discuss\w*|debat\w*|highlighted)\b", re.I),
    "resolutions": re.compile(r"\b(resolved|agreed|approved|decided|endorsed|carried)\b", re.I),
    "recommendations": re.compile(r"\brecommend", re.I),
    "actions": re.compile(r"\baction", re.I),
}
#: "what is on the agenda for the next cabinet": the calendar knows the next meeting; no minutes do.
_NEXT_AGENDA = re.compile(r"\b(?:agenda|coming up|on the table)\b.*\b(?:next|upcoming|forthcoming)\b|"
                          r"\b(?:next|upcoming|forthcoming)\b.*\bagenda\b", re.I)  # fmt: skip
_KIND_HEADING = {"resolution": "Resolved", "recommendation": "Recommended", "action": "Actions agreed"}
_INTENT_WORDS: dict[str, str] = {
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


def ask(
    db: sqlite_utils.Database, question: str, *, today: date, include_restricted: bool = False,
    council: str | None = None,
) -> Answer:  # fmt: skip
    """Answer a question from the index. Never raises for any question text.

    ``council`` is the deployment's own council (``[council] name`` in the settings): a question
    that names no council is answered from its minutes, when the index holds any.
    """
    question = clean_text(question)
    if len(question) > MAX_QUESTION_CHARS:
        return Answer(
            question=question[:200] + "…",
            found=False,
            head=f"That question is {len(question):,} characters long; I read questions of up to "
            f"{MAX_QUESTION_CHARS:,} characters. Please ask it in fewer words.",
            intent="help",
            filters=Filters(),
        )
    try:
        return _ask(db, question, today=today, include_restricted=include_restricted, home=council)
    except Exception:  # the answerer must never fail a user; the log keeps the details
        log.exception("ask failed question=%r", question)
        return Answer(
            question=question,
            found=False,
            head="Sorry, I could not answer that question because of a fault on my side. "
            "It has been logged; please try rephrasing it.",
            intent="error",
            filters=Filters(),
        )


def _known(db: sqlite_utils.Database) -> tuple[list[BodyRef], list[str]]:
    bodies = [BodyRef(c or "", n) for c, n in db.execute("SELECT council, name FROM bodies").fetchall()]
    # a council whose pages name no body (agenda-item pages) is still a council members name
    councils = sorted({b.council for b in bodies if b.council} | set(indexed_councils(db)))
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


def _home_council(home: str | None, councils: Sequence[str]) -> str | None:
    """The indexed council the settings name (spelt as the minutes spell it), or None."""
    if not home:
        return None
    wanted = fold(home).replace("council", "").split()
    for name in councils:
        if fold(name).replace("council", "").split() == wanted or fold(name) == fold(home):
            return name
    return None


def _ask(
    db: sqlite_utils.Database, question: str, *, today: date, include_restricted: bool, home: str | None = None
) -> Answer:
    text = " ".join(str(question).split())
    bodies, councils = _known(db)
    if not text.strip(" ?!.,"):
        return Answer(question, False, "Ask me about what a committee decided, recommended or discussed. " + _EXAMPLES,
                      "help", Filters())  # fmt: skip
    plan = answer_plan_question(db, text, today=today)  # plan actions and tracked recommendations
    if plan is not None:
        return plan
    if not bodies and not db.execute("SELECT 1 FROM items LIMIT 1").fetchone():
        return Answer(question, False, "No minutes have been indexed yet. A clerk can add them with "
                      "`scrutiny-bot ingest FILES`.", "topic", Filters())  # fmt: skip
    q = understand(text, bodies, today=today, councils=councils)
    own = _home_council(home, councils)
    if own and not q.council:
        # a deployment for one council: a question that names none is about its minutes, unless
        # it names a body only another council has
        mine = tuple(b for b in q.bodies if b.council == own)
        if mine or not q.bodies:
            q = replace(q, council=own, bodies=mine)
    filters = _filters(q)
    if q.bad_date:
        return Answer(question, False, f"{q.bad_date} Ask again with a date such as 15/12/2022, 12/2022 or "
                      "December 2022.", q.intent, filters)  # fmt: skip
    narrowed = q.ambiguous and bool(q.terms or q.dates or q.wanted)
    if q.ambiguous and not narrowed:
        names = " or ".join(
            f"the {b.name}" + (f" ({b.council})" if len(councils) > 1 else "") for b in q.bodies
        )
        return Answer(question, False, f"Which body do you mean by “{q.body_words}”: {names}? "
                      "Ask again with its name.", q.intent, filters)  # fmt: skip
    # Several bodies fit ("cabinet" with three councils indexed) and the question says more:
    # search them all and let the best matches, each citing its council, decide.
    flt = ItemFilter(
        council=filters.council,
        bodies=(filters.body,) if filters.body else tuple(sorted({b.name for b in q.bodies})) if narrowed else (),
        date_from=filters.date_from,
        date_to=filters.date_to,
        include_restricted=include_restricted,
    )
    if q.minutes_of and q.minutes_of.start and not q.dates:
        # "the meeting that approved the 3 March 2021 minutes": the pages of the meetings that did
        day = q.minutes_of.start
        sources = _approving_pages(db, flt, day) or _approving_pages(db, replace(flt, bodies=()), day)
        if sources:
            flt = replace(flt, sources=sources, bodies=())  # the pages say which meeting it was
    if q.intent == "topic" and not (q.terms or q.body or q.dates or q.council):
        return Answer(question, False, "I could not tell what to look for in that. "
                      "Ask me what a committee decided, recommended or discussed. " + _EXAMPLES, "help", filters)  # fmt: skip
    next_agenda = bool(_NEXT_AGENDA.search(text)) and not q.dates
    if next_agenda or (q.intent == "meeting" and not q.terms and q.wanted <= {"next_meeting"}):
        return answer_meeting_question(db, question, q, filters, today, len(councils) > 1)
    kind = _DECISION_INTENTS.get(q.intent)
    # a resolution "to recommend" to another body is a recommendation too
    needs = ("recommendation", "resolution") if kind == "recommendation" else (kind,) if kind else ()
    which = _ONE_MEETING.search(text)
    if which and not q.dates:
        # "its first meeting", "the last board meeting": that one meeting of the body (or of any body)
        pick = "min" if which.group(1).lower() in ("first", "earliest") else "max"
        where, args = ("WHERE body = ?", [filters.body]) if filters.body else ("", [])
        day_text = db.execute(f"SELECT {pick}(meeting_date) FROM items {where}", args).fetchone()[0]
        if day_text:
            day = date.fromisoformat(day_text)
            flt = replace(flt, date_from=day, date_to=day)
            filters = replace(filters, date_from=day, date_to=day)
            q = replace(q, terms=tuple(t for t in q.terms if t not in _ONE_MEETING_WORDS))
            filters = replace(filters, topic=q.topic)
    notes = list(q.notes)
    terms, fixed = correct_terms(db, q.terms, include_restricted=include_restricted)
    if fixed:
        notes.append("No minute contains " + ", ".join(f"“{a}”" for a in fixed) + "; I looked for "
                     + ", ".join(f"“{b}…”" for b in fixed.values()) + " instead.")  # fmt: skip
        q = replace(q, terms=tuple(terms))
    private: list[ParsedItem] = []
    if not include_restricted:
        # Exempt items a reader may not see are named, never quoted, and found by their public
        # title, body and date alone: matching their minutes would confirm what those say.
        hidden = replace(flt, only_restricted=True)
        private = [h.item for h in find_items(db, hidden, q.terms, limit=5, title_only=True)[0]]
    wanted = q.wanted
    if q.terms or (wanted and not (q.intent == "meeting" and wanted <= {"next_meeting"})):
        several = len(councils) > 1
        if private and (q.terms or flt.bodies or flt.date_from or flt.date_to):
            notes += _private_lines(private)
        asked_day = q.dates.start if q.dates and q.dates.start == q.dates.end and not q.dates.year_assumed else None

        def search(where: ItemFilter, wider: bool = False) -> PassageAnswer:
            # a wider search leaves room for the note that says how it was widened
            return answer_from_passages(
                db, q.terms, where, wanted=wanted, decides=_decides(kind), cue=_CUES.get(q.intent),
                label=lambda it: _citation(it, ()).label(with_council=several),
                reserved=_head_room(q, filters, notes) + (120 if wider else 0),
                day=asked_day if where.date_from == asked_day == where.date_to else None,
            )  # fmt: skip

        found_passages = search(flt)
        if not found_passages.found and flt.bodies:
            # the body named may be one the index holds under another name: look wider, say so
            # (and drop the council, when only the body's name said which)
            wider = search(replace(flt, bodies=(), council=q.council), wider=True)
            if wider.found:
                named = filters.body or " or ".join(flt.bodies)
                notes.append(f"Nothing in the minutes of {named} answers that; this is from other bodies' minutes.")
                found_passages = wider
        if not found_passages.found and q.dates:
            # "what did they pledge in 2018 (panel, april 23)": the other date may be the meeting's
            for _, _, other in date_phrases(text, today):
                if other.text == q.dates.text or not (other.start or other.end):
                    continue
                retry = search(replace(flt, date_from=other.start, date_to=other.end), wider=True)
                if retry.found:
                    notes.append(f"Nothing {q.dates.describe()} answers that; I read “{other.text}” as the meeting's date.")
                    found_passages = retry
                    break
        one_day = q.dates.start if q.dates and q.dates.start == q.dates.end else None
        if not found_passages.found and one_day and not flt.sources:
            # no meeting that day holds it; a decision may still be dated so ("effective from 3 March")
            sources = _pages_naming(db, replace(flt, date_from=None, date_to=None), one_day)
            if sources:
                by_day = search(replace(flt, date_from=None, date_to=None, sources=sources), wider=True)
                if by_day.found:
                    notes.append(f"No meeting on {fmt_day(one_day)} answers that; these minutes name that day.")
                    found_passages = by_day
        if found_passages.found:
            return _compose_passages(question, q, filters, found_passages, notes)
        return _not_found(db, question, q, filters, flt, notes, today)
    hits, how = find_items(db, flt, q.terms, needs_kinds=needs)
    if how == "any":
        notes.append(
            "No single minute mentions all of "
            + ", ".join(f"“{t}”" for t in q.terms)
            + "; showing partial matches."
        )
    blocks = _blocks(hits, q, kind)
    if private and (q.terms or flt.bodies or flt.date_from or flt.date_to):
        notes += _private_lines(private)
    if not blocks:
        return _not_found(db, question, q, filters, flt, notes, today)
    if (flt.date_from or flt.date_to) and all(b.citation.meeting_date is None for b in blocks):
        near = nearest_meetings(db, flt, flt.date_from or flt.date_to or today)
        if near:
            notes.append(nearest_line(filters.body, near))
    return _compose(question, q, filters, blocks, notes, len(councils) > 1)


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


def _blocks(hits: Sequence[Hit], q: Question, kind: str | None) -> list[_Block]:
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
    if substantive and not (q.terms and all(_procedural(h.item) for h in chosen[:1])):
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
        lines = _item_lines(hit.item, q, kind)
        if lines:
            seen.add(key)
            out.append(_Block(_citation(hit.item, lines), tuple(lines)))
    return out


_DECISION_MARKERS = ("key decision", "subject to call-in", "effective from")
_RECOMMENDS = re.compile(r"^(that )?(to )?recommend\b|\brecommend(s|ed)? to (the )?(cabinet|council|full council)\b|"
                         r"\bbe recommended to\b", re.I)  # fmt: skip
_ONE_MEETING = re.compile(
    r"\b(first|earliest|last|latest|most recent|previous)\s+(?:[\w'’]+\s+){0,4}?meeting\b", re.I
)
_ONE_MEETING_WORDS = {"first", "earliest", "latest", "recent", "previous"}


def _decides(kind: str | None) -> Callable[[Passage], bool] | None:
    """What counts as the decision a question asks for; a resolution "to recommend" is a recommendation."""
    if kind is None:
        return None
    if kind == "recommendation":
        return lambda p: p.kind == "recommendation" or _recommends(p)
    return lambda p: p.kind == kind


def _recommends(p: Passage) -> bool:
    return p.kind == "resolution" and bool(_RECOMMENDS.search(p.text))


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
    notes = [m for m in item.markers if m.startswith(_DECISION_MARKERS)]
    if notes and lines:
        lines.append("  (" + "; ".join(notes) + ".)")
    if "minutes to follow" in item.markers:
        lines.append("  (Minutes are to follow: this is the agenda.)")
    if "truncated" in item.markers and lines:
        lines.append(
            "  (The published text of this minute is cut short; see the full minutes at the source.)"
        )
    return lines


def _quote(p: Passage, with_kind: bool = False) -> str:
    label = f"{p.label}) " if p.label and len(p.label) <= 3 else ""
    prefix = ""
    if with_kind and p.kind in _KIND_HEADING:
        prefix = _KIND_HEADING[p.kind] + ": "
    return f"  {prefix}{label}“{p.text}”"


def _citation(item: ParsedItem, lines: Sequence[str]) -> Citation:
    return quoted_citation(item, tuple(lines))


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
    elif filters.date_from and filters.date_from == filters.date_to:
        parts.append(f"on {fmt_day(filters.date_from)}")
    return " ".join(parts)


def _compose(
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
        heading = c.label(with_council=several_councils) + (f"\nSource: {c.source}" if c.source else "")
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
    summary = f"Found {total} matching item{'s' if total != 1 else ''} ({_understood(q, filters)})."
    if len(parts) < total:
        summary += f" Showing {len(parts)}; ask about a narrower period or body to see the rest."
    citations = tuple(c for p in parts for c in p.citations)
    found = bool(dated) or not asked_dates
    return Answer(question, found, "\n".join([*head, summary]), q.intent, filters, citations, tuple(parts))


def _pages_naming(db: sqlite_utils.Database, flt: ItemFilter, day: date) -> tuple[int, ...]:
    """The pages whose minutes name ``day`` (a decision's effective or publication date, say)."""
    hits, _ = find_items(db, flt, (), limit=2000)
    ids = [h.item_id for h in hits if mentions_day(" ".join(p.text for p in h.item.passages), day)]
    return _sources_of(db, ids)


def _sources_of(db: sqlite_utils.Database, ids: Sequence[int]) -> tuple[int, ...]:
    if not ids:
        return ()
    rows = db.execute(f"SELECT DISTINCT source_id FROM items WHERE id IN ({','.join('?' * len(ids))})", list(ids))
    return tuple(int(r[0]) for r in rows.fetchall())


def _approving_pages(db: sqlite_utils.Database, flt: ItemFilter, day: date) -> tuple[int, ...]:
    """The pages whose meeting approved the minutes of ``day``."""
    hits, _ = find_items(db, flt, (), limit=2000)
    return _sources_of(db, [h.item_id for h in hits if _approves_minutes_of(h.item, day)])


def _approves_minutes_of(item: ParsedItem, day: date) -> bool:
    text = " ".join([item.title, *(p.text for p in item.passages)])
    return "minute" in text.lower() and mentions_day(text, day)


def _head_room(q: Question, filters: Filters, notes: Sequence[str]) -> int:
    """The most the head of a passage answer takes: its notes and the summary line (at most 400)."""
    return min(400, sum(len(n) + 1 for n in notes) + len(_understood(q, filters)) + 110) + 4


def _compose_passages(
    question: str, q: Question, filters: Filters, found: PassageAnswer, notes: list[str]
) -> Answer:
    """An answer from the passages that answer, within ``ANSWER_CHARS`` (they were cut to fit)."""
    n = len(found.parts) + found.more
    summary = f"Found {n} matching item{'s' if n != 1 else ''} ({_understood(q, filters)})."
    if found.more:
        summary += f" Showing {len(found.parts)}; ask about a narrower period or body to see the rest."
    head = "\n".join([*notes, summary])
    if len(head) > 400:
        head = head[:399].rstrip() + "…"
    citations = tuple(c for p in found.parts for c in p.citations)
    return Answer(question, True, head, q.intent, filters, citations, found.parts)


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
        lines.append(_EXAMPLES)
    return Answer(question, False, "\n".join(lines), q.intent, filters)


def _cite_short(item: ParsedItem) -> str:
    num = f", item {item.item}" if item.item else ""
    return f"{item.body or 'body not stated'}, {fmt_day(item.meeting_date)}{num}: {item.title}"


def _private_lines(private: Sequence[ParsedItem]) -> list[str]:
    """Exempt (Part 2) items that match: their agenda titles are public, their minutes are not quoted."""
    lines = ["Taken in private (exempt information, Part 2), so its minute is not shown here:"]
    lines += [f"  • {_cite_short(it)}" for it in private[:3]]
    return lines
