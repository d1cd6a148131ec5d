"""Ranked retrieval over the passage index, behind a small interface a search server could serve.

:class:`PassageSearch` is all :mod:`knowledge.minutes.search` asks of an index: the best items for some
words within a scope, how many rows hold a word, and the index's words. :class:`FtsPassageSearch`
serves it from SQLite's FTS5 (:mod:`knowledge.minutes.passage_index`).

Ranking is bm25 over title and passage rows with field weights, binary term frequency and each
row's length taken as its tier's mean (tiers band rows by length, doubling): a row scores
``g(tier) * sum(idf of the words it holds)``, an item the score of its best row. Because a row's
score depends only on its tier and which words it holds, the best items are found without
scoring every match (FTS5's own bm25 costs about 1 us a matching row: 0.2 s for a word in a
fifth of 700,000 passages):

1. rows holding a rare word (a short posting list) are all fetched and scored exactly;
2. rows holding only common words are visited by (tier, set of words) in descending score, each
   newest first (row id upwards) with a LIMIT, until the items found outscore anything left.

The result is the exact top k of that scoring (ties: the better tier, then the later meeting),
except that beyond ``MAX_COMMON`` common words the commonest are left out of step 2.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Protocol

import sqlite_utils

from knowledge.minutes.passage_index import (
    BANDS,
    DECISION,
    FIELD_WEIGHTS,
    FTS_TABLE,
    RESTRICTED,
    TEXT,
    TITLE,
    TITLES_FTS,
    body_token,
    council_token,
    held_token,
    item_day,
    item_of_row,
    row_range,
    search_generation,
    source_token,
    table_of_tier,
    tier_of_row,
    tokens_of,
    undated_items,
)

__all__ = ["FtsPassageSearch", "PassageQuery", "PassageSearch", "Scope", "ScoredItem", "match_expression"]

K1, B = 1.2, 0.75
#: The rarest words, up to this many rows between them, are "rare": their rows are fetched and
#: scored one by one (about 1.5 us a row); the rest are "common".
RARE_ROWS = 1500
#: Common words ranked by (tier, word set); more than this many, the rarest of them.
MAX_COMMON = 3
_LAST_DAY = (1 << 22) - 1


@dataclass(frozen=True)
class Scope:
    """Which rows a search may see. Days are proleptic ordinals; an undated item is always in scope."""

    council: str | None = None
    bodies: tuple[str, ...] = ()
    sources: tuple[int, ...] = ()
    first_day: int | None = None
    last_day: int | None = None
    restricted: str = "exclude"  # "exclude", "include" or "only" exempt (Part 2) items
    holds: tuple[str, ...] = ()  # decision kinds an item must hold (any one)
    titles_only: bool = False


@dataclass(frozen=True)
class PassageQuery:
    """Words to find (each as typed; ``prefix`` matches words they begin), how, and where."""

    words: tuple[str, ...]
    every: bool = False  # all the words in one row (a title or a passage), or any of them
    prefix: bool = False
    scope: Scope = field(default_factory=Scope)
    limit: int = 60


@dataclass(frozen=True)
class ScoredItem:
    """An item id and its score (higher is better)."""

    item_id: int
    score: float


class PassageSearch(Protocol):
    """What the answerer needs of a passage index."""

    def top_items(self, query: PassageQuery) -> list[ScoredItem]:
        """The best ``query.limit`` items, best first."""
        ...

    def count(self, word: str, *, prefix: bool = False, scope: Scope | None = None, at_most: int = 0) -> int:
        """How many rows in scope hold the word (stop counting at ``at_most`` if above 0)."""
        ...

    def vocabulary(self) -> Iterable[str]:
        """Every (stemmed) word the index holds."""
        ...


def match_expression(word: str, prefix: bool = False) -> str:
    """An FTS5 expression for a word as typed: its parts quoted and ANDed ("co-op": co AND op)."""
    parts = [p for p in tokens_of(word) if not p.lower().startswith("zz")]  # never a facet token
    if not parts:
        return ""
    quoted = [f'"{p}"' for p in parts]
    if prefix:
        quoted[-1] += "*"
    return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"


@dataclass
class _Stats:
    rows: int
    titles: int
    tier_factor: dict[int, float]  # g(tier), for the tiers that hold rows
    undated: bool = True  # some items have no known date (their rows are searched with any range of days)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (table, expression) -> rows


@dataclass(frozen=True)
class _Facets:
    """A scope as FTS5 terms: groups to match one of each, terms to hold none of, at most how many rows."""

    positive: tuple[str, ...]
    negative: tuple[str, ...]
    rows: int


_STATS: dict[tuple[str, int], _Stats] = {}


class FtsPassageSearch:
    """:class:`PassageSearch` over the FTS5 passage index of one SQLite connection."""

    def __init__(self, db: sqlite_utils.Database, *, rare_rows: int = RARE_ROWS, max_common: int = MAX_COMMON) -> None:
        self.db = db
        # see RARE_ROWS and MAX_COMMON: a test passes 0 (no word rare) or a large number (every word)
        self.rare_rows = rare_rows
        self.max_common = max_common

    def count(self, word: str, *, prefix: bool = False, scope: Scope | None = None, at_most: int = 0) -> int:
        """How many rows in scope hold the word (stop counting at ``at_most`` if above 0)."""
        expr = match_expression(word, prefix)
        if not expr:
            return 0
        scope = scope or Scope(restricted="include")
        full = _with_facets(expr, self._facets(self._stats(), scope))
        total = 0
        for table in _tables(scope.titles_only):
            limit = at_most - total if at_most > 0 else -1
            sql = f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT ?)"
            total += int(self.db.execute(sql, [full, limit]).fetchone()[0])
            if 0 < at_most <= total:
                break
        return total

    def vocabulary(self) -> Iterable[str]:
        """Every (stemmed) word the titles and passages hold, facet tokens left out."""
        seen: set[str] = set()
        for table in (TITLES_FTS, FTS_TABLE):
            self.db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocab USING fts5vocab(main, {table}, 'row')")
            for (term,) in self.db.execute(f"SELECT term FROM temp.{table}_vocab WHERE term NOT GLOB 'zz*'"):
                if term not in seen:
                    seen.add(term)
                    yield str(term)

    def top_items(self, query: PassageQuery) -> list[ScoredItem]:
        """The best ``query.limit`` items, best first (see the module's docstring)."""
        stats = self._stats()
        exprs = list(dict.fromkeys(e for w in query.words if (e := match_expression(w, query.prefix))))
        if not exprs or query.limit <= 0:
            return []
        scope = query.scope
        idf = {e: _idf(stats.rows, self._df(stats, e)) for e in exprs}
        ranking = _Ranking(stats.tier_factor, (TITLE,) if scope.titles_only else (TITLE, DECISION, TEXT), query.limit)
        facets = self._facets(stats, scope)
        rare: list[str] = []
        budget = self.rare_rows if facets.rows > self.rare_rows else 1 << 62  # a small scope: fetch all of it
        for e in sorted(exprs, key=lambda e: -idf[e]):
            if self._df(stats, e) > budget:
                break
            rare.append(e)
            budget -= self._df(stats, e)
        common = [e for e in sorted(exprs, key=lambda e: -idf[e]) if e not in rare]
        if rare:
            for rowid, holds in self._rare_rows(rare, common, query.every, facets, scope.titles_only).items():
                if _in_days(rowid, scope):
                    ranking.offer(rowid, sum(idf[e] for e in holds))
        if common and not (query.every and rare):
            ranked = common[: self.max_common]
            sets = [tuple(ranked)] if query.every else [s for n in range(len(ranked), 0, -1) for s in combinations(ranked, n)]
            for score, tier, words in ranking.plan(sets, idf):
                if ranking.at_least(score) >= query.limit:
                    break
                # at least these words: a row holding more was offered at its higher score already (a set
                # visited whole) or the items found outscore it (a set cut short ends the loop)
                expr = _with_facets(" AND ".join(words), facets)
                for lo, hi in _ranges(tier, scope, stats.undated):
                    self._visit(table_of_tier(tier), expr, lo, hi, score, ranking)
        return ranking.result()

    # --- the two kinds of row ---------------------------------------------------------------------

    def _rare_rows(self, rare: list[str], common: list[str], every: bool, facets: _Facets,
                   titles_only: bool) -> dict[int, set[str]]:  # fmt: skip
        """Every row in scope holding a rare word, with the words (rare and common) it holds."""
        present: dict[int, set[str]] = {}
        queries = [(" AND ".join([*rare, *common]), [*rare, *common])] if every else [(e, [e]) for e in rare]
        if not every and common:
            any_rare = "(" + " OR ".join(rare) + ")"
            queries += [(f"{any_rare} AND {e}", [e]) for e in common]
        for table in _tables(titles_only):
            for expr, words in queries:
                for (rowid,) in self.db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [_with_facets(expr, facets)]):
                    present.setdefault(rowid, set()).update(words)
        return present

    def _visit(self, table: str, expr: str, lo: int, hi: int, score: float, ranking: _Ranking) -> None:
        """Offer the rows of one (tier, word set), newest first, until enough items outscore the rest."""
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid BETWEEN ? AND ? ORDER BY rowid LIMIT ?"
        while lo <= hi:
            need = ranking.limit - ranking.at_least(score)
            if need <= 0:
                return
            chunk = need * 4 + 16  # an item has several rows in a tier
            rows = [r for (r,) in self.db.execute(sql, [expr, lo, hi, chunk])]
            for rowid in rows:
                ranking.offer(rowid, score, scaled=True)
            if len(rows) < chunk:
                return
            lo = rows[-1] + 1

    # --- statistics, cached per state of the index ----------------------------------------------

    def _stats(self) -> _Stats:
        name = self.db.execute("PRAGMA database_list").fetchone()[2] or f":memory:{id(self.db.conn)}"
        key = (name, search_generation(self.db))
        stats = _STATS.get(key)
        if stats is None:
            tiers = {int(t): (int(n), int(k)) for t, n, k in self.db.execute("SELECT tier, rows, tokens FROM search_tiers")}
            rows = sum(n for n, _ in tiers.values())
            mean = sum(k for _, k in tiers.values()) / rows if rows else 1.0
            factor = {}
            for t, (n, k) in tiers.items():
                if n > 0:
                    w = FIELD_WEIGHTS[t // BANDS]
                    factor[t] = w * (K1 + 1) / (w + K1 * (1 - B + B * (k / n) / mean))
            undated = undated_items(self.db)
            stats = _Stats(
                rows, sum(n for t, (n, _) in tiers.items() if t < BANDS), factor, undated=undated != 0
            )
            if len(_STATS) > 16:
                _STATS.clear()
            _STATS[key] = stats
        return stats

    def _df(self, stats: _Stats, expr: str, titles_only: bool = False) -> int:
        """How many rows (titles and passages) hold an expression, counted once per state of the index."""
        total = 0
        for table in _tables(titles_only):
            key = (table, expr)
            if key not in stats.counts:
                if len(stats.counts) > 20000:
                    stats.counts.clear()
                sql = f"SELECT count(*) FROM {table} WHERE {table} MATCH ?"
                stats.counts[key] = int(self.db.execute(sql, [expr]).fetchone()[0])
            total += stats.counts[key]
        return total

    def _facets(self, stats: _Stats, scope: Scope) -> _Facets:
        """The scope as facet tokens, leaving out any every row holds (one council's minutes, say)."""
        groups = [[source_token(s) for s in scope.sources], [body_token(b) for b in scope.bodies],
                  [council_token(scope.council)] if scope.council else [], [held_token(k) for k in scope.holds],
                  [RESTRICTED] if scope.restricted == "only" else []]  # fmt: skip
        positive, rows = [], stats.rows
        for group in (g for g in groups if g):
            size = sum(self._df(stats, f'"{t}"', scope.titles_only) for t in group)
            rows = min(rows, size)
            if size < (stats.titles if scope.titles_only else stats.rows):
                positive.append("(" + " OR ".join(f'"{t}"' for t in group) + ")")
        exempt = scope.restricted == "exclude" and self._df(stats, f'"{RESTRICTED}"') > 0
        return _Facets(tuple(positive), (f'"{RESTRICTED}"',) if exempt else (), rows)


class _Ranking:
    """The items found so far, each with its best row's (score, tier order, row id)."""

    def __init__(self, factor: dict[int, float], fields: tuple[int, ...], limit: int) -> None:
        self.factor = factor
        self.tiers = sorted((t for t in factor if t // BANDS in fields), key=lambda t: -factor[t])
        self.order = {t: n for n, t in enumerate(self.tiers)}
        self.limit = limit
        self.best: dict[int, tuple[float, int, int]] = {}

    def offer(self, rowid: int, weight: float, scaled: bool = False) -> None:
        """A row found holding words of this total idf (or, ``scaled``, of this score already)."""
        tier = tier_of_row(rowid)
        if tier not in self.order:
            return
        score = weight if scaled else self.factor[tier] * weight
        key = (score, -self.order[tier], -rowid)
        item = item_of_row(rowid)
        if item not in self.best or key > self.best[item]:
            self.best[item] = key

    def plan(self, sets: list[tuple[str, ...]], idf: dict[str, float]) -> list[tuple[float, int, tuple[str, ...]]]:
        """Every (score, tier, word set) to visit, best first."""
        pairs = [(self.factor[t] * sum(idf[e] for e in s), self.order[t], t, s) for t in self.tiers for s in sets]
        pairs.sort(key=lambda p: (-p[0], p[1]))
        return [(score, t, s) for score, _, t, s in pairs]

    def at_least(self, score: float) -> int:
        """How many items found so far score at least ``score``."""
        return sum(1 for key in self.best.values() if key[0] >= score)

    def result(self) -> list[ScoredItem]:
        """The best ``limit`` items, best first."""
        ranked = sorted(self.best.items(), key=lambda kv: kv[1], reverse=True)[: self.limit]
        return [ScoredItem(item, key[0]) for item, key in ranked]


def _tables(titles_only: bool) -> tuple[str, ...]:
    return (TITLES_FTS,) if titles_only else (TITLES_FTS, FTS_TABLE)


def _idf(rows: int, df: int) -> float:
    return math.log(1.0 + (rows - df + 0.5) / (df + 0.5))


def _with_facets(expr: str, facets: _Facets) -> str:
    """``expr`` limited to the scope's facets."""
    out = " AND ".join([f"({expr})", *facets.positive])
    return f"({out}) NOT ({' OR '.join(facets.negative)})" if facets.negative else out


def _in_days(rowid: int, scope: Scope) -> bool:
    if scope.first_day is None and scope.last_day is None:
        return True
    day = item_day(item_of_row(rowid))
    return day == 0 or (scope.first_day or 0) <= day <= (scope.last_day or _LAST_DAY)


def _ranges(tier: int, scope: Scope, undated: bool = True) -> list[tuple[int, int]]:
    """The row-id ranges of a tier in scope: the dated days asked for, then the undated rows (if any)."""
    if scope.first_day is None and scope.last_day is None:
        return [row_range(tier)]
    dated = row_range(tier, max(scope.first_day or 1, 1), scope.last_day or _LAST_DAY)
    return [dated, row_range(tier, 0, 0)] if undated else [dated]
