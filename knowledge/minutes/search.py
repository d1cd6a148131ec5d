"""Finding items: ranked passage search (see :mod:`knowledge.minutes.retrieval`) or the newest, then a pure rerank."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

import sqlite_utils
from rapidfuzz import fuzz, process

from knowledge.minutes.item_store import KIND_COUNTS, row_to_item
from knowledge.minutes.passage_index import ITEMS_FTS, search_generation
from knowledge.minutes.retrieval import FtsPassageSearch, PassageQuery, PassageSearch, Scope, match_expression
from knowledge.models import ParsedItem, Passage
from knowledge.text import fold, snowball_stem, split_sentences

__all__ = [
    "Hit",
    "ItemFilter",
    "fts_query",
    "find_items",
    "nearest_meetings",
    "score_passage",
    "correct_terms",
    "edge_meeting_day",
    "holds_minutes",
    "indexed_bodies",
    "indexed_councils",
    "source_ids",
    "indexed_items",
    "item_frequency",
    "passage_search",
]


@dataclass(frozen=True)
class ItemFilter:
    """Which items a question may draw on."""

    council: str | None = None
    bodies: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    include_restricted: bool = False
    only_restricted: bool = False  # exempt items alone (to name them by their public title)
    sources: tuple[int, ...] = ()  # only the items of these pages (one meeting's, say)


@dataclass(frozen=True)
class Hit:
    """A candidate item, its row id and its FTS rank (lower is better; 0 without a topic)."""

    item_id: int
    item: ParsedItem
    rank: float


def fts_query(terms: Sequence[str], mode: str = "and") -> str:
    """An FTS5 query from words: each quoted (no user text can be syntax), joined by AND or OR.

    A word the index splits ("co-op", "council's") becomes its parts ANDed: the passage index keeps
    no positions, so it has no phrases.
    """
    parts = [e for t in terms if (e := match_expression(t, prefix=mode == "prefix"))]
    return (" OR " if mode == "or" else " AND ").join(parts)


def _where(
    flt: ItemFilter, alias: str = "item_rows", dates: bool = True, by_id: bool = False
) -> tuple[str, list[object]]:
    """The filter as SQL on ``item_rows``. ``by_id``: the caller looks rows up by id, so no other index
    may be chosen (a unary ``+`` keeps a column's index out of the plan: without it SQLite would walk
    a committee's whole (body, meeting_date) index to check forty ids)."""
    col = (lambda name: f"+{alias}.{name}") if by_id else (lambda name: f"{alias}.{name}")
    clauses: list[str] = []
    args: list[object] = []
    if flt.council:
        clauses.append(f"{col('council')} = ?")
        args.append(flt.council)
    if flt.bodies:
        clauses.append(f"{col('body')} IN ({','.join('?' * len(flt.bodies))})")
        args.extend(flt.bodies)
    if dates and (flt.date_from or flt.date_to):
        lo = flt.date_from.isoformat() if flt.date_from else "0000-00-00"
        hi = flt.date_to.isoformat() if flt.date_to else "9999-12-31"
        # An item whose date nobody knows may fall in the range: keep it, rank it after the dated ones.
        clauses.append(f"({col('meeting_date')} BETWEEN ? AND ? OR {col('meeting_date')} IS NULL)")
        args.extend([lo, hi])
    if flt.sources:
        clauses.append(f"{col('source_id')} IN ({','.join('?' * len(flt.sources))})")
        args.extend(flt.sources)
    if flt.only_restricted:
        clauses.append(f"{col('restricted')} = 1")
    elif not flt.include_restricted:
        clauses.append(f"{col('restricted')} = 0")
    return (" AND ".join(clauses) or "1"), args


def passage_search(db: sqlite_utils.Database) -> PassageSearch:
    """The passage index to rank with: SQLite's FTS5 in this database."""
    return FtsPassageSearch(db)


def find_items(
    db: sqlite_utils.Database,
    flt: ItemFilter,
    terms: Sequence[str] = (),
    *,
    limit: int = 60,
    needs_kinds: Sequence[str] = (),
    title_only: bool = False,
    any_word: bool = False,
) -> tuple[list[Hit], str]:
    """Candidate items, newest first (dated before undated); with terms, the best matches first.

    With terms, up to ``3 * limit`` items are ranked by bm25 over their titles and passages (see
    :mod:`knowledge.minutes.retrieval`): first those with every term in one title or passage, else any.
    ``any_word`` ranks every item holding any of the terms instead of trying all of them first.
    ``title_only`` matches the terms in the items' titles alone (by stem, never by prefix): exempt
    items are found that way for readers who may not see them, so a search never reveals what an
    exempt minute says.
    Returns the hits and how the terms were matched: "all", "any", "prefix" or "" (no terms).
    """
    kinds = tuple(needs_kinds) if needs_kinds and set(needs_kinds) <= set(KIND_COUNTS) else ()
    if not terms:
        return _newest(db, flt, kinds, limit), ""
    search = passage_search(db)
    scope = _scope(flt, kinds, title_only)
    modes: tuple[str, ...] = ("or", "prefix") if any_word and len(terms) > 1 else ("and", "or", "prefix")
    if title_only:
        # titles are matched by their words' stems, never by prefix: FTS5 gathers every word a
        # prefix begins across all titles first, which costs more than the rest of an answer
        modes = tuple(m for m in modes if m != "prefix")
    for mode in modes:
        if not fts_query(terms, mode) or (mode == "or" and len(terms) < 2):
            continue
        query = PassageQuery(tuple(terms), every=mode != "or", prefix=mode == "prefix", scope=scope, limit=limit * _RANKED_PER_LIMIT)
        ranked = search.top_items(query)
        hits = _load(db, [r.item_id for r in ranked], flt, kinds)
        if hits:
            score = {r.item_id: r.score for r in ranked}
            return [Hit(i, item, -score[i]) for i, item in hits], {"and": "all", "or": "any", "prefix": "prefix"}[mode]
    return [], "none"


def _scope(flt: ItemFilter, kinds: Sequence[str], title_only: bool) -> Scope:
    restricted = "only" if flt.only_restricted else "include" if flt.include_restricted else "exclude"
    return Scope(
        council=flt.council, bodies=flt.bodies, sources=flt.sources,
        first_day=flt.date_from.toordinal() if flt.date_from else None,
        last_day=flt.date_to.toordinal() if flt.date_to else None,
        restricted=restricted, holds=tuple(kinds), titles_only=title_only,
    )  # fmt: skip


#: Ranked hits returned per ``limit`` asked (the rerank that follows chooses among them).
_RANKED_PER_LIMIT = 3
_COLUMNS = ("id, source_id, council, body, meeting_date, item, title, passages, markers, url, restricted, "
            # the page the item was read from (a meeting's page, when the item has a page of its own)
            "(SELECT sources.url FROM sources WHERE sources.id = item_rows.source_id) AS page_url")
_COLUMN_NAMES = [c.split(" AS ")[-1].strip() for c in _COLUMNS.split(", ")]


def _load(db: sqlite_utils.Database, ids: Sequence[int], flt: ItemFilter, kinds: Sequence[str]) -> list[tuple[int, ParsedItem]]:
    """The items with these ids, in this order; the filter is checked again on the stored rows."""
    if not ids:
        return []
    where, args = _where(flt, by_id=True)
    if kinds:
        where += " AND (" + " OR ".join(f"{KIND_COUNTS[k]} > 0" for k in kinds) + ")"
    cur = db.execute(
        f"SELECT {_COLUMNS} FROM item_rows WHERE id IN ({','.join('?' * len(ids))}) AND {where}", [*ids, *args]
    )
    cols = [d[0] for d in cur.description]
    found = {int(r[0]): row_to_item(dict(zip(cols, r, strict=True))) for r in cur.fetchall()}
    return [(i, found[i]) for i in ids if i in found]


def _newest(db: sqlite_utils.Database, flt: ItemFilter, kinds: Sequence[str], limit: int) -> list[Hit]:
    """The newest items the filter lets through (dated before undated, page order within a day)."""

    def where(f: ItemFilter) -> tuple[str, list[object]]:
        clause, args = _where(f, dates=False)
        if kinds:  # only items that hold a decision of one of these kinds
            clause += " AND (" + " OR ".join(f"{KIND_COUNTS[k]} > 0" for k in kinds) + ")"
        return clause, args

    lo = flt.date_from.isoformat() if flt.date_from else "0000-00-00"
    hi = flt.date_to.isoformat() if flt.date_to else "9999-12-31"
    # a query a body, each walking its (body, meeting_date) index newest first, merged here
    parts = [replace(flt, bodies=(b,)) for b in flt.bodies] if len(flt.bodies) > 1 else [flt]
    rows: list[tuple[Any, ...]] = []
    for part in parts:
        clause, args = where(part)
        sql = (f"SELECT {_COLUMNS} FROM item_rows WHERE {clause} AND meeting_date BETWEEN ? AND ? "
               "ORDER BY meeting_date DESC, id LIMIT ?")  # fmt: skip
        rows += db.execute(sql, [*args, lo, hi, limit]).fetchall()
    rows.sort(key=lambda r: (r[4], -r[0]), reverse=True)  # meeting_date DESC, id ASC
    rows = rows[:limit]
    if len(rows) < limit:  # an item whose date nobody knows may fall in the range: after the dated ones
        clause, args = where(flt)
        sql = f"SELECT {_COLUMNS} FROM item_rows WHERE {clause} AND meeting_date IS NULL ORDER BY id LIMIT ?"
        rows += db.execute(sql, [*args, limit - len(rows)]).fetchall()
    cols = _COLUMN_NAMES
    return [Hit(int(r[0]), row_to_item(dict(zip(cols, r, strict=True))), 0.0) for r in rows]


def nearest_meetings(db: sqlite_utils.Database, flt: ItemFilter, around: date) -> list[tuple[str, date]]:
    """The meetings (body, date) of the filtered bodies closest to a day: the last before and the first after."""
    where, args = _where(ItemFilter(council=flt.council, bodies=flt.bodies, include_restricted=True))
    base = f"SELECT body, meeting_date FROM item_rows WHERE {where} AND meeting_date IS NOT NULL"
    day = around.isoformat()
    before = db.execute(
        f"{base} AND meeting_date < ? ORDER BY meeting_date DESC LIMIT 1", [*args, day]
    ).fetchall()
    after = db.execute(f"{base} AND meeting_date >= ? ORDER BY meeting_date LIMIT 1", [*args, day]).fetchall()
    return [(str(b or "body not stated"), date.fromisoformat(d)) for b, d in [*before, *after]]


def correct_terms(
    db: sqlite_utils.Database, terms: Sequence[str], *, include_restricted: bool = True
) -> tuple[list[str], dict[str, str]]:
    """Replace each word no item contains by the indexed stem spelled most like it (a typo).

    Without ``include_restricted`` only what public items contain counts, both for "contains"
    and for the replacement, so a spelling hint never comes from an exempt minute; a word in an
    exempt item's title (which is public) is never taken for a typo.
    Returns the terms to search and what was replaced ({typed: stem}).
    """
    search = passage_search(db)
    scope = Scope(restricted="include" if include_restricted else "exclude")
    public_titles = Scope(restricted="only", titles_only=True)
    out: list[str] = []
    fixed: dict[str, str] = {}
    for t in terms:
        stem = _stem(fold(t))
        if len(stem) < 5 or search.count(t, scope=scope, at_most=1) or search.count(t, scope=public_titles, at_most=1):
            out.append(t)  # a word an exempt item's title holds is no typo either: those titles are public
            continue
        vocab = _vocabulary(db, search).get(stem[:1], ())
        closest: dict[str, float] = {}  # an indexed word -> how closely one of the typed word's cuts spells it
        # the word cut plainly, and as the index's own Porter stemmer cuts it ("timelyness": timely,
        # beside the index's "timeli" for timeliness); one letter wrong in a short word ("budjet": 83)
        # is as likely a typo as in a long one
        for form in dict.fromkeys((stem, _porter(fold(t)))):
            cutoff = 80 if len(form) <= 6 else 85
            for word, score, _ in process.extract(form, vocab, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5):
                closest[word] = max(score, closest.get(word, 0.0))
        candidates = sorted(closest.items(), key=lambda c: -c[1])[:5]
        usable = [c for c in candidates if search.count(c[0], prefix=True, scope=scope, at_most=1)]
        top = max((c[1] for c in usable), default=0)
        # of equally close spellings ("maters": matter or master?), the word more minutes use
        hit = max((c for c in usable if c[1] == top), key=lambda c: item_frequency(db, c[0], prefix=True, at_most=1000),
                  default=None)  # fmt: skip
        if hit:
            out.append(hit[0])
            fixed[t] = hit[0]
        else:
            out.append(t)
    return out, fixed


_FREQUENCIES: dict[tuple[str, int], dict[tuple[str, bool, int], int]] = {}


def item_frequency(db: sqlite_utils.Database, word: str, *, prefix: bool = False, at_most: int = 5000) -> int:
    """How many items hold a word (in their title or a passage, exempt ones too), counted up to ``at_most``;
    each count is kept for as long as the index stays as it is."""
    match = fts_query([word], "prefix" if prefix else "and")
    if not match:
        return 0
    key = _state(db)
    counts = _FREQUENCIES.get(key)
    if counts is None or len(counts) > 20000:
        _FREQUENCIES.clear()  # one state of one database at a time
        counts = _FREQUENCIES[key] = {}
    asked = (match, prefix, at_most)
    if asked not in counts:
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {ITEMS_FTS} WHERE {ITEMS_FTS} MATCH ? LIMIT ?)"
        counts[asked] = int(db.execute(sql, [match, at_most]).fetchone()[0])
    return counts[asked]


def indexed_bodies(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """The (council, body) pairs the minutes name ("" for a council no page states)."""
    return [(str(c or ""), str(n)) for c, n in db.execute("SELECT council, name FROM bodies").fetchall()]


def holds_minutes(db: sqlite_utils.Database) -> bool:
    """Does the index hold any item at all?"""
    return db.execute("SELECT 1 FROM item_rows LIMIT 1").fetchone() is not None


def edge_meeting_day(db: sqlite_utils.Database, body: str | None, *, first: bool) -> date | None:
    """The first (or last) meeting day the minutes of ``body`` (of any body, without one) state."""
    where, args = ("WHERE body = ?", [body]) if body else ("", [])
    day = db.execute(f"SELECT {'min' if first else 'max'}(meeting_date) FROM item_rows {where}", args).fetchone()[0]
    return date.fromisoformat(day) if day else None


def source_ids(db: sqlite_utils.Database, item_ids: Sequence[int]) -> tuple[int, ...]:
    """The pages (source ids) these items were stored from."""
    if not item_ids:
        return ()
    rows = db.execute(f"SELECT DISTINCT source_id FROM item_rows WHERE id IN ({','.join('?' * len(item_ids))})", list(item_ids))
    return tuple(int(r[0]) for r in rows.fetchall())


_ITEMS: dict[tuple[str, int], int] = {}


def indexed_items(db: sqlite_utils.Database) -> int:
    """How many items the index holds, counted once per state of the database."""
    key = _state(db)
    if key not in _ITEMS:
        _ITEMS.clear()
        _ITEMS[key] = int(db.execute("SELECT count(*) FROM item_rows").fetchone()[0])
    return _ITEMS[key]


_COUNCILS: dict[tuple[str, int], tuple[str, ...]] = {}


def indexed_councils(db: sqlite_utils.Database) -> tuple[str, ...]:
    """The councils the minutes name, read once per state of the database (a full scan at 100k items)."""
    key = _state(db)
    if key not in _COUNCILS:
        rows = db.execute("SELECT DISTINCT council FROM item_rows WHERE council IS NOT NULL").fetchall()
        _COUNCILS.clear()
        _COUNCILS[key] = tuple(sorted(str(r[0]) for r in rows if r[0]))
    return _COUNCILS[key]


def _state(db: sqlite_utils.Database) -> tuple[str, int]:
    """What the database holds, cheaply: which file, and the index's generation (new at every change)."""
    filename = db.execute("PRAGMA database_list").fetchone()[2] or f":memory:{id(db.conn)}"
    return (filename, search_generation(db))


_VOCAB: dict[tuple[str, int], dict[str, tuple[str, ...]]] = {}


def _vocabulary(db: sqlite_utils.Database, search: PassageSearch) -> dict[str, tuple[str, ...]]:
    """The index's terms by first letter, read once per state of the database (not per question)."""
    key = _state(db)
    if key not in _VOCAB:
        by_letter: dict[str, list[str]] = {}
        for term in search.vocabulary():
            by_letter.setdefault(term[:1], []).append(term)
        _VOCAB.clear()  # one database's vocabulary at a time is plenty
        _VOCAB[key] = {k: tuple(v) for k, v in by_letter.items()}
    return _VOCAB[key]


_WORD = re.compile(r"[a-z0-9£]+")


@lru_cache(maxsize=8192)
def _porter(word: str) -> str:
    return snowball_stem(word, "porter")  # as FTS5's porter tokenizer cuts it


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    for suffix in ("ments", "ment", "ings", "ing", "ions", "ion", "ies", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def score_passage(text: str, terms: Sequence[str]) -> float:
    """How well a passage matches topic words, 0-100: exact stems count most, close spellings some."""
    if not terms:
        return 0.0
    words = {_stem(w) for w in _WORD.findall(fold(text))}
    total = 0.0
    for term in terms:
        stem = _stem(fold(term))
        if stem in words:
            total += 100
        elif any(w.startswith(stem) for w in words if len(stem) >= 4):
            total += 80
        else:
            best = max((fuzz.ratio(stem, w) for w in words), default=0.0)
            total += best if best >= 80 else 0.0
    return total / len(terms)


def best_passages(
    passages: Sequence[Passage], terms: Sequence[str], kinds: Sequence[str], limit: int = 3
) -> list[tuple[float, Passage]]:
    """The passages of the given kinds that best match the terms; sentences of long paragraphs.

    A matching paragraph that introduces a list ("Members raised these concerns about SEND:")
    brings the bullets under it, which rarely repeat the topic's words.
    """
    scored: list[tuple[float, int, Passage]] = []
    group_score = 0.0
    for n, p in enumerate(passages):
        if p.kind != "bullet":
            group_score = 0.0
        if p.kind not in kinds:
            continue
        if p.kind in ("narrative", "purpose") and len(p.text) > 320 and terms:
            for s in split_sentences(p.text):
                sc = score_passage(s, terms)
                if sc > 0:
                    scored.append((sc, n, Passage(p.kind, s, p.label)))
            continue
        sc = score_passage(p.text, terms)
        if p.kind == "bullet" and group_score:
            sc = max(sc, group_score * 0.9)
        if p.kind == "narrative" and p.text.endswith(":") and sc > 0:
            group_score = sc
        if sc > 0 or not terms:
            scored.append((sc, n, p))
    scored.sort(key=lambda t: (-t[0], t[1]))
    top = scored[:limit]
    top.sort(key=lambda t: t[1])  # in the order of the minute
    return [(sc, p) for sc, _, p in top]
