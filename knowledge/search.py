"""Finding items: safe FTS5 queries with filters first, then a pure rapidfuzz rerank of passages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import sqlite_utils
from rapidfuzz import fuzz, process

from .models import ParsedItem, Passage
from .store import KIND_COUNTS, row_to_item
from .text import fold, split_sentences

__all__ = [
    "Hit",
    "ItemFilter",
    "fts_query",
    "find_items",
    "nearest_meetings",
    "score_passage",
    "correct_terms",
    "indexed_councils",
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
    """An FTS5 query from words: each quoted (no user text can be syntax), joined by AND or OR."""
    quoted = []
    for t in terms:
        t = t.replace('"', " ").strip()
        if t:
            quoted.append('"' + t + '"' + ("*" if mode == "prefix" else ""))
    joiner = " OR " if mode == "or" else " AND "
    return joiner.join(quoted)


def _where(flt: ItemFilter, alias: str = "items") -> tuple[str, list[object]]:
    clauses: list[str] = []
    args: list[object] = []
    if flt.council:
        clauses.append(f"{alias}.council = ?")
        args.append(flt.council)
    if flt.bodies:
        clauses.append(f"{alias}.body IN ({','.join('?' * len(flt.bodies))})")
        args.extend(flt.bodies)
    if flt.date_from or flt.date_to:
        lo = flt.date_from.isoformat() if flt.date_from else "0000-00-00"
        hi = flt.date_to.isoformat() if flt.date_to else "9999-12-31"
        # An item whose date nobody knows may fall in the range: keep it, rank it after the dated ones.
        clauses.append(f"({alias}.meeting_date BETWEEN ? AND ? OR {alias}.meeting_date IS NULL)")
        args.extend([lo, hi])
    if flt.sources:
        clauses.append(f"{alias}.source_id IN ({','.join('?' * len(flt.sources))})")
        args.extend(flt.sources)
    if flt.only_restricted:
        clauses.append(f"{alias}.restricted = 1")
    elif not flt.include_restricted:
        clauses.append(f"{alias}.restricted = 0")
    return (" AND ".join(clauses) or "1"), args


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
    """Candidate items, newest first (dated before undated); with terms, only items matching them.

    ``any_word`` ranks every item holding any of the terms (bm25) instead of trying all of them first.
    ``title_only`` matches the terms in the items' titles alone: exempt items are found that way
    for readers who may not see them, so a search never reveals what an exempt minute says.
    Returns the hits and how the terms were matched: "all", "any", "prefix" or "" (no terms).
    """
    where, args = _where(flt)
    if needs_kinds and set(needs_kinds) <= set(KIND_COUNTS):
        # only items that hold a decision of one of these kinds
        where += " AND (" + " OR ".join(f"items.{KIND_COUNTS[k]} > 0" for k in needs_kinds) + ")"
    if not terms:
        sql = (
            f"SELECT items.* FROM items WHERE {where} "
            # NULL (date not stated) sorts last under DESC, and this order can use the date indexes
            "ORDER BY items.meeting_date DESC, items.id LIMIT ?"
        )
        cur = db.execute(sql, [*args, limit])
        cols = [d[0] for d in cur.description]
        return [Hit(r[0], row_to_item(dict(zip(cols, r, strict=True))), 0.0) for r in cur.fetchall()], ""
    modes = ("or", "prefix") if any_word and len(terms) > 1 else ("and", "or", "prefix")
    for mode in modes:
        match = fts_query(terms, mode)
        if not match or (mode == "or" and len(terms) < 2):
            continue
        if title_only:
            match = f"title : ({match})"
        common = db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM items_fts WHERE items_fts MATCH ? LIMIT ?)",
            [match, _RANK_AT_MOST + 1],
        ).fetchone()[0]
        if common > _RANK_AT_MOST:
            # Ranking tens of thousands of matches costs more than a chat can wait: the filters go
            # first (through the body and date indexes) and the newest matches are taken.
            sql = (
                # "+items.id" keeps the planner on the date index instead of 60,000 rowid look-ups
                f"SELECT items.*, 0.0 AS _rank FROM items WHERE {where} AND +items.id IN "
                "(SELECT rowid FROM items_fts WHERE items_fts MATCH ?) ORDER BY items.meeting_date DESC LIMIT ?"
            )
            cur = db.execute(sql, [*args, match, limit])
            cols = [d[0] for d in cur.description]
            rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
            if rows:
                hits = [Hit(int(r["id"]), row_to_item(r), -1.0) for r in rows]
                return hits, {"and": "all", "or": "any", "prefix": "prefix"}[mode]
            continue
        sql = (
            # bm25 with the title weighted above the decisions, and those above the narrative
            "SELECT items.*, bm25(items_fts, 6.0, 1.0, 2.0) AS _rank FROM items_fts "
            "JOIN items ON items.id = items_fts.rowid "
            f"WHERE items_fts MATCH ? AND {where} ORDER BY _rank LIMIT ?"
        )
        cur = db.execute(sql, [match, *args, limit * 3])
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        if rows:
            hits = [Hit(int(r["id"]), row_to_item(r), float(r["_rank"])) for r in rows]
            return hits, {"and": "all", "or": "any", "prefix": "prefix"}[mode]
    return [], "none"


def nearest_meetings(db: sqlite_utils.Database, flt: ItemFilter, around: date) -> list[tuple[str, date]]:
    """The meetings (body, date) of the filtered bodies closest to a day: the last before and the first after."""
    where, args = _where(ItemFilter(council=flt.council, bodies=flt.bodies, include_restricted=True))
    base = f"SELECT body, meeting_date FROM items WHERE {where} AND meeting_date IS NOT NULL"
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
    and for the replacement, so a spelling hint never comes from an exempt minute.
    Returns the terms to search and what was replaced ({typed: stem}).
    """
    out: list[str] = []
    fixed: dict[str, str] = {}
    for t in terms:
        stem = _stem(fold(t))
        if len(stem) < 5 or _indexed(db, fts_query([t]), include_restricted):
            out.append(t)
            continue
        vocab = _vocabulary(db).get(stem[:1], ())
        candidates = process.extract(stem, vocab, scorer=fuzz.ratio, score_cutoff=85, limit=5)
        usable = [c for c in candidates if _indexed(db, fts_query([c[0]], "prefix"), include_restricted)]
        top = max((c[1] for c in usable), default=0)
        # of equally close spellings ("maters": matter or master?), the word more minutes use
        hit = max((c for c in usable if c[1] == top), key=lambda c: _frequency(db, c[0]), default=None)
        if hit:
            out.append(hit[0])
            fixed[t] = hit[0]
        else:
            out.append(t)
    return out, fixed


def _frequency(db: sqlite_utils.Database, stem: str) -> int:
    return int(db.execute(
        "SELECT count(*) FROM (SELECT 1 FROM items_fts WHERE items_fts MATCH ? LIMIT 1000)", [fts_query([stem], "prefix")]
    ).fetchone()[0])  # fmt: skip


def _indexed(db: sqlite_utils.Database, match: str, include_restricted: bool) -> bool:
    """Does any item (any public item, without ``include_restricted``) match this FTS query?"""
    if include_restricted:
        sql = "SELECT 1 FROM items_fts WHERE items_fts MATCH ? LIMIT 1"
    else:
        sql = ("SELECT 1 FROM items_fts JOIN items ON items.id = items_fts.rowid "
               "WHERE items_fts MATCH ? AND items.restricted = 0 LIMIT 1")  # fmt: skip
    return db.execute(sql, [match]).fetchone() is not None


_COUNCILS: dict[tuple[str, int, int, str], tuple[str, ...]] = {}


def indexed_councils(db: sqlite_utils.Database) -> tuple[str, ...]:
    """The councils the minutes name, read once per state of the database (a full scan at 100k items)."""
    key = _state(db)
    if key not in _COUNCILS:
        rows = db.execute("SELECT DISTINCT council FROM items WHERE council IS NOT NULL").fetchall()
        _COUNCILS.clear()
        _COUNCILS[key] = tuple(sorted(str(r[0]) for r in rows if r[0]))
    return _COUNCILS[key]


def _state(db: sqlite_utils.Database) -> tuple[str, int, int, str]:
    """A cheap fingerprint of what the database holds: which file, and its newest and number of pages."""
    filename = db.execute("PRAGMA database_list").fetchone()[2] or f":memory:{id(db.conn)}"
    state = db.execute(
        "SELECT coalesce(max(id), 0), count(*), coalesce(max(ingested_at), '') FROM sources"
    ).fetchone()
    return (filename, int(state[0]), int(state[1]), str(state[2]))


_VOCAB: dict[tuple[str, int, int, str], dict[str, tuple[str, ...]]] = {}


def _vocabulary(db: sqlite_utils.Database) -> dict[str, tuple[str, ...]]:
    """The index's terms by first letter, read once per state of the database (not per question)."""
    key = _state(db)
    if key not in _VOCAB:
        db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.items_fts_vocab USING fts5vocab(main, items_fts, 'row')"
        )
        by_letter: dict[str, list[str]] = {}
        for (term,) in db.execute("SELECT term FROM temp.items_fts_vocab"):
            by_letter.setdefault(term[:1], []).append(term)
        _VOCAB.clear()  # one database's vocabulary at a time is plenty
        _VOCAB[key] = {k: tuple(v) for k, v in by_letter.items()}
    return _VOCAB[key]


_WORD = re.compile(r"[a-z0-9£]+")
#: Above this many matches, find_items stops ranking by bm25 and takes the newest.
_RANK_AT_MOST = 2000


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
