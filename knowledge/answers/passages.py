"""Answers quoted passage by passage: the items that best answer a question, and their best lines.

Used for questions with topic words or asking for a meeting fact (apologies, venue, call-in ...).
The answer quotes only the passages that answer, never a whole item, and fits ``ANSWER_CHARS``
by construction: blocks are added while they fit, and each quote is cut to its best sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import sqlite_utils

from knowledge.answers.facts import fact_kinds
from knowledge.answers.findings import Finding, Term, make_terms, quote_text, rank_items, term_weight
from knowledge.answers.lexicon import expand, mine_definitions, stem
from knowledge.dates import mentions_day
from knowledge.minutes.search import Hit, ItemFilter, find_items, indexed_items, item_frequency
from knowledge.models import ParsedItem, Part, Passage, quoted_citation

__all__ = ["ANSWER_CHARS", "ItemNotes", "PassageAnswer", "answer_from_passages", "item_notes"]

#: An answer's length, citations included: what a member reads at a glance in chat.
ANSWER_CHARS = 1500
_CANDIDATES = 36
#: Facts that answer together: whether a decision can be called in, and so when it takes effect.
_GOES_WITH = {"call_in": ("effective",), "effective": ("call_in",), "published": ("decision_date",)}
_DECISION_MARKERS = ("key decision", "subject to call-in", "effective from")


@dataclass(frozen=True)
class PassageAnswer:
    """The cited blocks of an answer and whether it answers the question."""

    found: bool
    parts: tuple[Part, ...]
    more: int  # matching items not shown
    stated: bool = False  # a quoted passage states the meeting fact asked for (not only the topic)
    item_ids: tuple[int, ...] = ()  # the items quoted, best first


def _weights(db: sqlite_utils.Database, words: Sequence[str]) -> dict[str, float]:
    n = indexed_items(db) or 1
    return {w: term_weight(n, item_frequency(db, w)) for w in words}


def _candidates(db: sqlite_utils.Database, flt: ItemFilter, words: Sequence[str], filtered: bool) -> list[Hit]:
    """Items that may answer: those matching any word (best first), and, when the question names a
    body, council or dates, the items there whatever their words (a typo, a fact question)."""
    seen: dict[int, Hit] = {}
    if words:
        hits, _ = find_items(db, flt, words, limit=_CANDIDATES // 3, any_word=True)
        seen.update((h.item_id, h) for h in hits)
    if filtered or not words:
        hits, _ = find_items(db, flt, (), limit=_CANDIDATES if not words else 30)
        for h in hits:
            seen.setdefault(h.item_id, h)
    return list(seen.values())


@lru_cache(maxsize=16384)
def _defined(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(mine_definitions(text).items()) if "(" in text else ()


def _expander(words: Sequence[str], hits: Sequence[Hit]) -> Callable[[str], Sequence[str]]:
    """The lexicon's expansions, and the abbreviations the candidate pages define themselves
    ("Youth Justice Board (YJB)"): both ways, an abbreviation to its words and, when a question
    spells out all of them, those words to the abbreviation."""
    mined: dict[str, str] = {}
    for h in hits:
        for text in (h.item.title, *(p.text for p in h.item.passages)):
            for short, long in _defined(text):
                mined.setdefault(short, long)
    asked = {stem(w) for w in words}
    spelled: dict[str, list[str]] = {}
    for short, long in mined.items():
        parts = [stem(x) for x in re.findall(r"[a-z0-9]+", long.lower()) if len(x) > 2]
        if parts and set(parts) <= asked:
            for w in words:
                if stem(w) in parts:
                    spelled.setdefault(w, []).append(short)

    def expanded(word: str) -> Sequence[str]:
        known = expand(word)
        own = mined.get(word.lower())
        return (*known, *((own,) if own and own not in known else ()), *spelled.get(word, ()))

    return expanded


@lru_cache(maxsize=4096)
def _title_kinds(title: str) -> frozenset[str]:
    return fact_kinds(title)


def _gate(terms: Sequence[Term]) -> float:
    """The share of the question's weight an answer must cover: all of one or two words, most of more."""
    return 0.99 if len(terms) <= 1 else 0.74 if len(terms) == 2 else 0.6


def answer_from_passages(
    db: sqlite_utils.Database,
    words: Sequence[str],
    flt: ItemFilter,
    *,
    wanted: frozenset[str],
    decides: Callable[[Passage], bool] | None,
    label: Callable[[ParsedItem], str],
    cue: re.Pattern[str] | None = None,
    reserved: int = 160,
    dated_only: bool = False,
    day: date | None = None,
) -> PassageAnswer:
    """Find the items and passages that answer; ``label`` writes an item's citation lines (its heading).

    ``reserved`` is the room the answer's head (notes, summary) takes out of ``ANSWER_CHARS``;
    ``dated_only`` refuses an answer from pages that state no date (for a wider search); with ``day``
    (a question about one day, its year given) an undated page answers only if it names that day.
    """
    filtered = bool(flt.bodies or flt.council or flt.date_from or flt.date_to)
    wanted = wanted | frozenset(k for w in wanted for k in _GOES_WITH.get(w, ()))
    hits = _candidates(db, flt, words, filtered)
    terms = make_terms(words, _weights(db, words), stem, _expander(words, hits))

    def states_fact(text: str, title: str) -> bool:
        # "None." under "Declarations of interest" states that there were none
        if not wanted:
            return False
        # a short line under its heading: "None." under "Declarations of interest"
        # (not a meeting's own header "Cabinet - Monday, 7th June, 2021 6.00 pm")
        heading = len(title) < 60 and not any(ch.isdigit() for ch in title)
        kinds = fact_kinds(text) | (_title_kinds(title) if heading and len(text) < 120 else frozenset())
        return bool(kinds & wanted)

    findings = rank_items([(h.item_id, h.item) for h in hits], terms, stem=stem, facts=states_fact,
                          decides=decides, wants_facts=bool(wanted), cue=cue)  # fmt: skip
    if flt.date_from or flt.date_to:
        for f in findings:  # a page that states the date asked beats one that states none
            f.score += 0.3 if f.item.meeting_date else 0.0
        findings.sort(key=lambda f: -f.score)
    gate = _gate(terms)
    # a fact asked for lowers the bar for the topic words: "who sent apologies to the council meeting"
    good = [f for f in findings if f.chosen and (f.coverage >= (gate * 0.6 if wanted and f.facts else gate)
                                                   if terms else f.facts)]  # fmt: skip
    if decides is not None:
        # "what did they recommend": the items that record recommendations, if any do
        decided = [f for f in good if any(decides(f.item.passages[i]) for i in f.chosen)]
        good = decided or good
    if wanted:
        # a fact question ("who declared an interest in the budget item") is answered by the fact
        good = [f for f in good if f.facts] or (good if terms else [])
    if good and day is not None:
        # a page that states no date cannot answer "on 23 January 2023" unless it names that day
        good = [f for f in good if f.item.meeting_date or _names_day(f, day)]
    if good and dated_only and not any(f.item.meeting_date for f in good):
        return PassageAnswer(False, (), 0)  # pages that state no date cannot answer "on 23 January"
    if not good:
        return PassageAnswer(False, (), 0)
    best = good[0].score
    good = [f for f in good if f.score >= best * 0.75]
    parts: list[Part] = []
    used = reserved
    prefer: Callable[[str], bool] | None = None
    if wanted:
        prefer = lambda t: bool(fact_kinds(t) & wanted)  # noqa: E731 - a predicate, named once
    elif cue is not None and decides is not None:
        prefer = lambda t: bool(cue.search(t))  # noqa: E731 - "what did it recommend": the sentences that do
    shown = _dedupe(good)
    for f in shown:
        block = _block(f, terms, label, ANSWER_CHARS - used, prefer=prefer)
        if block is None:
            break
        parts.append(block)
        used += len(block.text) + 2
    if parts and ANSWER_CHARS - used > 150:
        # room to spare: the best answer's lines come with the lines either side of them
        wider = _block(shown[0], terms, label, len(parts[0].text) + ANSWER_CHARS - used, prefer=prefer, context=True)
        if wider is not None:
            parts[0] = wider
    stated = any(f.facts for f in shown[: len(parts)])
    ids = tuple(f.item_id for f in shown[: len(parts)])
    return PassageAnswer(bool(parts), tuple(parts), max(0, len(good) - len(parts)), stated, ids)


@dataclass(frozen=True)
class ItemNotes:
    """What an item's markers say of it, for an answer to add after its quotes."""

    fields: tuple[str, ...]  # a decision's: "key decision", "subject to call-in", "effective from …"
    truncated: tuple[str, ...]  # the published minute is cut short
    to_follow: tuple[str, ...]  # only the agenda is published


def item_notes(item: ParsedItem) -> ItemNotes:
    """The notes an item's markers call for (each kind empty when they do not)."""
    return ItemNotes(
        tuple(m for m in item.markers if m.startswith(_DECISION_MARKERS)),
        ("the published text of this minute is cut short; see the full minutes at the source",)
        if "truncated" in item.markers else (),
        ("minutes are to follow: this is the agenda",) if "minutes to follow" in item.markers else (),
    )  # fmt: skip


def _names_day(f: Finding, day: date) -> bool:
    return mentions_day(f.item.title, day) or any(mentions_day(f.item.passages[i].text, day) for i in f.chosen)


def _dedupe(findings: Sequence[Finding]) -> list[Finding]:
    out, seen = [], set()
    for f in findings:
        it = f.item
        key = (it.council, it.body, it.meeting_date, it.item or " ".join((it.title or "").lower().split()))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _block(
    f: Finding, terms: Sequence[Term], label: Callable[[ParsedItem], str], room: int,
    prefer: Callable[[str], bool] | None = None,
    context: bool = False,
) -> Part | None:  # fmt: skip
    item = f.item
    head = label(item)
    room -= len(head) + 1
    if room < 120:
        return None
    said = item_notes(item)
    notes = [*said.fields, *said.truncated, *said.to_follow]
    note = "  (" + "; ".join(notes) + ".)" if notes else ""
    if note and len(note) + 1 <= room - 120:
        room -= len(note) + 1
    else:
        note = ""
    picked: dict[int, str] = {}
    order = list(f.priority)
    if context:  # then the lines either side of them, nearest the best first
        order += [j for i in f.priority for j in (i + 1, i - 1)
                  if 0 <= j < len(item.passages) and j not in order and item.passages[j].kind != "purpose"]  # fmt: skip
    for i in dict.fromkeys(order):  # the most telling passages first, while they fit
        p = item.passages[i]
        mark = f"{p.label}) " if p.label and len(p.label) <= 3 else ""
        text = quote_text(p, terms, stem, limit=min(800 if not picked else 520, room - 8), prefer=prefer)
        line = f"  {mark}“{text}”"
        if len(line) + 1 > room:
            if not picked and room > 80:
                line = f"  {mark}“{text[: room - 10].rstrip()}…”"
            else:
                continue
        picked[i] = line
        room -= len(line) + 1
    if not picked:
        return None
    quotes = [picked[i] for i in sorted(picked)]
    if note:
        quotes.append(note)
    return Part(head, "\n".join(quotes), (quoted_citation(item, quotes),))
