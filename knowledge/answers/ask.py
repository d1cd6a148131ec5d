"""Answering a question from the index, in stages around one :class:`~knowledge.answers.query.Question`.

1. **load** what every question needs once: the bodies and councils the index holds;
2. **understand** the question (``knowledge.answers.query.understand``: the only place that reads its words),
   and settle its scope: the deployment's own council, the pages of "the meeting that approved …",
   "its first meeting", typos corrected against the index's own words;
3. **route** it by a table to an answerer: the calendar, quoted passages, or a listing of decisions;
4. **compose** what the answerer found into an :class:`~knowledge.models.Answer` (head, cited parts,
   tail) within its limit (``knowledge.answers.compose``, ``knowledge.answers.listing``).

Plan actions and tracked recommendations are answered first, by ``knowledge.plans.answers``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import sqlite_utils

from knowledge.answers.compose import (
    DECISION_INTENTS,
    EXAMPLES,
    citation,
    compose_passages,
    head_room,
    not_found,
    private_lines,
)
from knowledge.answers.facts import FACT_KINDS, describe
from knowledge.answers.listing import MAX_ANSWER_CHARS, compose_listing, decides, listing_blocks
from knowledge.answers.meetings import answer_meeting_question, fmt_day, nearest_line
from knowledge.answers.passages import PassageAnswer, answer_from_passages
from knowledge.answers.query import BodyRef, Question, understand
from knowledge.dates import mentions_day
from knowledge.minutes.search import (
    ItemFilter,
    correct_terms,
    edge_meeting_day,
    find_items,
    holds_minutes,
    indexed_bodies,
    indexed_councils,
    item_frequency,
    nearest_meetings,
    source_ids,
)
from knowledge.models import Answer, Filters, ParsedItem
from knowledge.plans.answers import answer_plan_question
from knowledge.text import MAX_QUESTION_CHARS, clean_text, fold

__all__ = ["MAX_ANSWER_CHARS", "ask"]

log = logging.getLogger(__name__)

#: Words a passage uses when it records what the question's intent asks for.
_CUES = {
    "discussion": re.compile(r"\b(raised|concerns?|asked|questioned|queried|said|comment\w*|noted|discuss\w*|debat\w*|highlighted)\b", re.I),
    "resolutions": re.compile(r"\b(resolved|agreed|approved|decided|endorsed|carried)\b", re.I),
    "recommendations": re.compile(r"\brecommend", re.I),
    "actions": re.compile(r"\baction", re.I),
}  # fmt: skip


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


# --- 1. load ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Loaded:
    """What every question needs from the index, read once per question."""

    bodies: tuple[BodyRef, ...]
    councils: tuple[str, ...]
    has_minutes: bool


def _load(db: sqlite_utils.Database) -> _Loaded:
    bodies = tuple(BodyRef(c, n) for c, n in indexed_bodies(db))
    # a council whose pages name no body (agenda-item pages) is still a council members name
    councils = tuple(sorted({b.council for b in bodies if b.council} | set(indexed_councils(db))))
    has_minutes = bool(bodies) or holds_minutes(db)
    return _Loaded(bodies, councils, has_minutes)


# --- 2. understand, and settle the scope ---------------------------------------------------------


@dataclass(frozen=True)
class _Asked:
    """One question on its way through the stages: as understood, and where to look."""

    question: str  # as asked (cleaned)
    q: Question
    filters: Filters  # what the answer says it understood
    flt: ItemFilter  # where to look
    several: bool  # several councils indexed: citations name theirs
    today: date
    notes: tuple[str, ...] = ()
    private: tuple[ParsedItem, ...] = ()  # exempt items the reader may not see, named by title only


def _home_council(home: str | None, councils: Sequence[str]) -> str | None:
    """The indexed council the settings name (spelt as the minutes spell it), or None."""
    if not home:
        return None
    wanted = fold(home).replace("council", "").split()
    for name in councils:
        if fold(name).replace("council", "").split() == wanted or fold(name) == fold(home):
            return name
    return None


def _filters(q: Question) -> Filters:
    body = q.body
    return Filters(
        council=q.council or (body.council if body and body.council else None),
        body=body.name if body else None,
        date_from=q.dates.start if q.dates else None,
        date_to=q.dates.end if q.dates else None,
        topic=q.topic,
    )


def _early(question: str, q: Question, filters: Filters, councils: Sequence[str]) -> Answer | None:
    """A reply before any search: a date that cannot be, a body to choose, nothing to look for."""
    if q.bad_date:
        return Answer(question, False, f"{q.bad_date} Ask again with a date such as 15/12/2022, 12/2022 or "
                      "December 2022.", q.intent, filters)  # fmt: skip
    if q.ambiguous and not (q.terms or q.dates or q.wanted):
        names = " or ".join(f"the {b.name}" + (f" ({b.council})" if len(councils) > 1 else "") for b in q.bodies)
        return Answer(question, False, f"Which body do you mean by “{q.body_words}”: {names}? "
                      "Ask again with its name.", q.intent, filters)  # fmt: skip
    if q.intent == "topic" and not (q.terms or q.body or q.dates or q.council):
        return Answer(question, False, "I could not tell what to look for in that. "
                      "Ask me what a committee decided, recommended or discussed. " + EXAMPLES, "help", filters)  # fmt: skip
    return None


def _scope(db: sqlite_utils.Database, asked: _Asked, include_restricted: bool) -> _Asked:
    """Where to look: the meeting a question points at, its typos corrected, what it may not see."""
    q, filters, flt = asked.q, asked.filters, asked.flt
    if q.minutes_of and q.minutes_of.start and not q.dates:
        # "the meeting that approved the 3 March 2021 minutes": the pages of the meetings that did
        approved = q.minutes_of.start
        sources = _approving_pages(db, flt, approved) or _approving_pages(db, replace(flt, bodies=()), approved)
        if sources:
            flt = replace(flt, sources=sources, bodies=())  # the pages say which meeting it was
    if q.one_meeting:
        # "its first meeting", "the last board meeting": that one meeting of the body (or of any body)
        edge = edge_meeting_day(db, filters.body, first=q.one_meeting == "first")
        if edge:
            flt = replace(flt, date_from=edge, date_to=edge)
            filters = replace(filters, date_from=edge, date_to=edge)
    notes = list(q.notes)
    terms, fixed = correct_terms(db, q.terms, include_restricted=include_restricted)
    if fixed:
        notes.append("No minute contains " + ", ".join(f"“{a}”" for a in fixed) + "; I looked for "
                     + ", ".join(f"“{b}…”" for b in fixed.values()) + " instead.")  # fmt: skip
        q = replace(q, terms=tuple(terms))
    private: tuple[ParsedItem, ...] = ()
    if not include_restricted:
        # Exempt items a reader may not see are named, never quoted, and found by their public
        # title, body and date alone: matching their minutes would confirm what those say.
        hidden = replace(flt, only_restricted=True)
        private = tuple(h.item for h in find_items(db, hidden, q.terms, limit=5, title_only=True)[0])
    return replace(asked, q=q, filters=filters, flt=flt, notes=tuple(notes), private=private)


# --- 3. route -----------------------------------------------------------------------------------


def _route(q: Question) -> str:
    """Which answerer a question goes to (a key of ``_ROUTES``)."""
    if q.next_agenda or (q.intent == "meeting" and not q.terms and q.wanted <= {"next_meeting"}):
        return "calendar"
    if q.terms or q.wanted:
        return "passages"
    return "listing"


def _by_calendar(db: sqlite_utils.Database, asked: _Asked) -> Answer:
    """The next meeting, a body's meetings: from the meeting calendar."""
    return answer_meeting_question(db, asked.question, asked.q, asked.filters, asked.today, asked.several)


def _names_body(found: PassageAnswer, body_words: str) -> bool:
    """Whether an answer's quotes name the body as the question did ("the executive": "Executive")."""
    words = [w for w in re.findall(r"[a-z0-9]+", fold(body_words)) if w not in {"the", "of", "and"}]
    quoted = fold(" ".join(p.body for p in found.parts))
    return bool(words) and all(re.search(rf"\b{re.escape(w)}", quoted) for w in words)


#: Facts that stand nearest another when the minutes do not state it: attendance (present, apologies,
#: substitutes), one for another.
_NEAREST_FACTS = {"present": ("apologies", "substitute"), "apologies": ("present", "substitute")}


#: Topic words a question must keep, once those no minute holds are set aside, to be answered without them.
_ENOUGH_WITHOUT_ABSENT = 3


def _by_passages(db: sqlite_utils.Database, asked: _Asked) -> Answer:
    """Quoted passages that answer a topic or a meeting fact; wider searches, said so, when none do."""
    q, flt, filters = asked.q, asked.flt, asked.filters
    notes = list(asked.notes)
    if asked.private and (q.terms or flt.bodies or flt.date_from or flt.date_to):
        notes += private_lines(asked.private)
    kind = DECISION_INTENTS.get(q.intent)
    asked_day = q.dates.start if q.dates and q.dates.start == q.dates.end and not q.dates.year_assumed else None

    def search(
        where: ItemFilter, wider: bool = False, words: Sequence[str] | None = None, facts: bool = True,
        wanted: frozenset[str] | None = None,
    ) -> PassageAnswer:  # fmt: skip
        # a wider search leaves room for the note that says how it was widened
        asked_for = (q.wanted if wanted is None else wanted) if facts else frozenset()
        return answer_from_passages(
            db, q.terms if words is None else words, where, wanted=asked_for, decides=decides(kind), cue=_CUES.get(q.intent),
            label=lambda it: citation(it, ()).heading(with_council=asked.several),
            reserved=head_room(q, filters, notes) + (120 if wider else 0),
            day=asked_day if where.date_from == asked_day == where.date_to else None,
        )  # fmt: skip

    absent = [t for t in q.terms if not item_frequency(db, t)]  # the count the words' weights use too
    kept = len(q.terms) - len(absent)
    set_aside = -1  # where the note on the words set aside stands among the notes
    if absent and kept >= _ENOUGH_WITHOUT_ABSENT and kept > len(absent):  # most of the question is left
        # "submit plan to ofsted deadline": no minute holds "deadline", so no answer can quote it;
        # the rest of the question is answered, and the answer says which words nothing holds
        set_aside = len(notes)
        notes.append("No minute mentions " + ", ".join(f"“{t}”" for t in absent) + "; this answers the rest.")
        q = replace(q, terms=tuple(t for t in q.terms if t not in absent))
        filters = replace(filters, topic=q.topic)
    found = search(flt)
    if not found.found and flt.bodies:
        # the body named may be one the index holds under another name: look wider, say so
        # (and drop the council, when only the body's name said which)
        wider = search(replace(flt, bodies=(), council=q.council), wider=True)
        if wider.found and not q.terms and not _names_body(wider, q.body_words):
            # a meeting fact alone ("who chaired the board in June") is about that body's meetings:
            # another body's minutes answer only where they name it ("at the Executive of 9 April")
            wider = replace(wider, found=False)
        if wider.found:
            named = filters.body or " or ".join(flt.bodies)
            notes.append(f"Nothing in the minutes of {named} answers that; this is from other bodies' minutes.")
            found = wider
    if not found.found and q.dates:
        # "what did they pledge in 2018 (panel, april 23)": the other date may be the meeting's
        for other in q.other_dates:
            retry = search(replace(flt, date_from=other.start, date_to=other.end), wider=True)
            if retry.found:
                notes.append(f"Nothing {q.dates.describe()} answers that; I read “{other.text}” as the meeting's date.")
                found = retry
                break
    one_day = q.dates.start if q.dates and q.dates.start == q.dates.end else None
    if not found.found and one_day and not flt.sources:
        # no meeting that day holds it; a decision may still be dated so ("effective from 3 March")
        sources = _pages_naming(db, replace(flt, date_from=None, date_to=None), one_day)
        if sources:
            by_day = search(replace(flt, date_from=None, date_to=None, sources=sources), wider=True)
            if by_day.found:
                notes.append(f"No meeting on {fmt_day(one_day)} answers that; these minutes name that day.")
                found = by_day
    if q.wanted and q.terms and not found.stated:
        # "who chaired the meeting on resident engagement": the topic names the meeting, and another
        # item of that meeting's minutes states the fact
        topic = search(replace(flt, bodies=()), facts=False)
        sources = source_ids(db, topic.item_ids[:1])
        if sources:
            same = search(replace(flt, bodies=(), sources=sources), wider=True, words=())
            if same.found and same.stated:
                notes.append("From the minutes of the meeting that took that item.")
                found = same
    nearest = frozenset(k for w in q.wanted for k in _NEAREST_FACTS.get(w, ())) - q.wanted
    if not found.found and nearest and not q.terms:
        # "who attended": minutes that list no attendance may record apologies and substitutes
        near = search(flt, wider=True, wanted=nearest)
        if near.found and near.stated:
            asked_for = " or ".join(describe(k) for k in FACT_KINDS if k in q.wanted)
            notes.append(f"The minutes I hold do not record {asked_for}; this is what they record of attendance:")
            found = near
    if found.found:
        return compose_passages(asked.question, q, filters, found, notes)
    if set_aside >= 0:  # the rest found nothing either
        notes[set_aside] = "No minute mentions " + ", ".join(f"“{t}”" for t in absent) + "."
    return not_found(db, asked.question, q, filters, flt, notes, asked.today)


def _by_listing(db: sqlite_utils.Database, asked: _Asked) -> Answer:
    """The decisions (or passages) of every matching item: "what did cabinet resolve in December 2022"."""
    q, flt, filters = asked.q, asked.flt, asked.filters
    notes = list(asked.notes)
    kind = DECISION_INTENTS.get(q.intent)
    # a resolution "to recommend" to another body is a recommendation too
    needs = ("recommendation", "resolution") if kind == "recommendation" else (kind,) if kind else ()
    hits, _ = find_items(db, flt, (), needs_kinds=needs)
    blocks = listing_blocks(hits, q, kind)
    if asked.private and (flt.bodies or flt.date_from or flt.date_to):
        notes += private_lines(asked.private)
    if not blocks:
        return not_found(db, asked.question, q, filters, flt, notes, asked.today)
    if (flt.date_from or flt.date_to) and all(b.citation.meeting_date is None for b in blocks):
        near = nearest_meetings(db, flt, flt.date_from or flt.date_to or asked.today)
        if near:
            notes.append(nearest_line(filters.body, near))
    return compose_listing(asked.question, q, filters, blocks, notes, asked.several)


#: Intent and scope decide the route; each answerer finds and composes its kind of answer.
_ROUTES: dict[str, Callable[[sqlite_utils.Database, _Asked], Answer]] = {
    "calendar": _by_calendar,
    "passages": _by_passages,
    "listing": _by_listing,
}


def _ask(
    db: sqlite_utils.Database, question: str, *, today: date, include_restricted: bool, home: str | None = None
) -> Answer:
    text = " ".join(str(question).split())
    if not text.strip(" ?!.,"):
        return Answer(question, False, "Ask me about what a committee decided, recommended or discussed. " + EXAMPLES,
                      "help", Filters())  # fmt: skip
    plan = answer_plan_question(db, text, today=today)  # plan actions and tracked recommendations
    if plan is not None:
        return plan
    loaded = _load(db)
    if not loaded.has_minutes:
        return Answer(question, False, "No minutes have been indexed yet. A clerk can add them with "
                      "`scrutiny-bot ingest FILES`.", "topic", Filters())  # fmt: skip
    q = understand(text, loaded.bodies, today=today, councils=loaded.councils)
    own = _home_council(home, loaded.councils)
    if own and not q.council:
        # a deployment for one council: a question that names none is about its minutes, unless
        # it names a body only another council has
        mine = tuple(b for b in q.bodies if b.council == own)
        if mine or not q.bodies:
            q = replace(q, council=own, bodies=mine)
    filters = _filters(q)
    early = _early(question, q, filters, loaded.councils)
    if early is not None:
        return early
    # Several bodies fit ("cabinet" with three councils indexed) and the question says more:
    # search them all and let the best matches, each citing its council, decide.
    bodies = (filters.body,) if filters.body else tuple(sorted({b.name for b in q.bodies}))
    flt = ItemFilter(council=filters.council, bodies=bodies, date_from=filters.date_from,
                     date_to=filters.date_to, include_restricted=include_restricted)  # fmt: skip
    asked = _Asked(question, q, filters, flt, len(loaded.councils) > 1, today)
    route = _route(q)
    if route != "calendar":
        asked = _scope(db, asked, include_restricted)
        route = _route(asked.q)
    log.debug("ask route=%s intent=%s council=%s bodies=%s dates=%s terms=%s wanted=%s", route, q.intent,
              q.council, bodies, q.dates, asked.q.terms, sorted(q.wanted))  # fmt: skip
    return _ROUTES[route](db, asked)


# --- finding the pages a question points at ------------------------------------------------------


def _pages_naming(db: sqlite_utils.Database, flt: ItemFilter, day: date) -> tuple[int, ...]:
    """The pages whose minutes name ``day`` (a decision's effective or publication date, say)."""
    hits, _ = find_items(db, flt, (), limit=2000)
    ids = [h.item_id for h in hits if mentions_day(" ".join(p.text for p in h.item.passages), day)]
    return source_ids(db, ids)


def _approving_pages(db: sqlite_utils.Database, flt: ItemFilter, day: date) -> tuple[int, ...]:
    """The pages whose meeting approved the minutes of ``day``."""
    hits, _ = find_items(db, flt, (), limit=2000)
    return source_ids(db, [h.item_id for h in hits if _approves_minutes_of(h.item, day)])


def _approves_minutes_of(item: ParsedItem, day: date) -> bool:
    text = " ".join([item.title, *(p.text for p in item.passages)])
    return "minute" in text.lower() and mentions_day(text, day)
