"""The passage index: every item title and every passage of the minutes is one FTS5 row.

Titles are in ``titles_fts``, passages in ``passages_fts``; both are laid out alike.

A row's id says where the row belongs, so FTS5 filters and orders by id alone (no join, no look-up
per matching row)::

    rowid = tier << 41 | item_id << 8 | n          item_id = age << 11 | k

``tier`` is the row's field (title, decision, other text) and its length band; ``age`` is
``2**22 - 1`` less the meeting day's proleptic ordinal (an unknown day counts as 0, so the oldest);
``k`` the item's place among that day's items; ``n`` 0 for the title, then the passages in page
order. So a date range is one range of row ids in each tier, a row's item is a shift away, and
within a tier lower ids are later meetings: FTS5 reads row ids upwards far more cheaply than
downwards, and "newest first" is the order ties are broken in.

The council, body, page, exempt flag, the decision kinds the item holds and the row's own kind are
tokens in the row's text (``zz...`` facets), so filters intersect inside FTS5. The index is
contentless: the text is kept once, in ``item_rows.passages``, and an item's rows are derived
from it again to remove them. :func:`rebuild_index` re-derives every row (for a migration that
changes how rows are derived).

``items_fts`` is a second, small contentless index with one row per item (its id), kept so that
``SELECT count(*) FROM items_fts WHERE items_fts MATCH ?`` still counts the items that hold a word,
as it did when it was the only index.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import NamedTuple

import sqlite_utils

from knowledge.models import RECORD_MARKERS, ParsedItem, UserError

__all__ = [
    "BANDS",
    "DECISION",
    "DECISION_KINDS",
    "FIELD_WEIGHTS",
    "FTS_TABLE",
    "ITEMS_FTS",
    "TITLES_FTS",
    "ITEM_OF_ROW_SQL",
    "ITEMS_A_DAY",
    "RESTRICTED",
    "TEXT",
    "TITLE",
    "IndexRow",
    "IndexWriter",
    "body_token",
    "council_token",
    "count_undated",
    "create_index",
    "held_token",
    "index_rows",
    "item_day",
    "item_id_for",
    "item_of_row",
    "rebuild_index",
    "row_range",
    "search_generation",
    "source_token",
    "table_of_tier",
    "tier_of_row",
    "tokens_of",
    "undated_items",
]

FTS_TABLE = "passages_fts"  # the passages (decision and text fields)
TITLES_FTS = "titles_fts"  # the titles: small, so a title search (exempt items) stays cheap even by prefix
ITEMS_FTS = "items_fts"  # one row per item: counts items, as the item-level index did
DECISION_KINDS = ("resolution", "recommendation", "action")
TITLE, DECISION, TEXT = 0, 1, 2
#: bm25 field weights: a title well above a decision, a decision above what was said.
FIELD_WEIGHTS = {TITLE: 6.0, DECISION: 2.0, TEXT: 1.0}
#: Length bands per field: a row of n tokens is in band min(n.bit_length(), BANDS - 1).
BANDS = 10
_ITEM_SHIFT = 8  # rows an item may have: the title, passages, markers (more are merged into the last)
_DAY_SHIFT = 11  # items a day may have
_TIER_SHIFT = _ITEM_SHIFT + _DAY_SHIFT + 22  # a day is a proleptic ordinal, below 2**22
_ITEM_MASK = (1 << (_TIER_SHIFT - _ITEM_SHIFT)) - 1
_ROWS_AN_ITEM = 1 << _ITEM_SHIFT  # title included; passages beyond are merged into the last row
ITEMS_A_DAY = 1 << _DAY_SHIFT
_LAST_DAY = (1 << 22) - 1
#: :func:`item_of_row` in SQL, over a row's ``rowid``.
ITEM_OF_ROW_SQL = f"((rowid >> {_ITEM_SHIFT}) & {_ITEM_MASK})"
_TABLES = (FTS_TABLE, TITLES_FTS, ITEMS_FTS)
_FIELD_OF = dict.fromkeys(DECISION_KINDS, DECISION)
_LONG = 1 << (BANDS - 1)  # rows this long or longer share the last band
#: The facet that marks exempt (Part 2) material; public rows carry none.
RESTRICTED = "zzr"
#: The ``search_state`` row that counts the items of no known date: while none are held, a search
#: for a range of days has no undated rows to look through as well.
_UNDATED = "undated_items"
_TOKEN = re.compile(r"[^\W_]+")


def item_id_for(day: date | None, k: int) -> int:
    """The id of the ``k``-th item stored for a meeting ``day`` (None: no date known)."""
    if not 0 <= k < ITEMS_A_DAY:
        when = f"on {day.isoformat()}" if day else "without a date"
        raise UserError(f"the database already holds {ITEMS_A_DAY:,} items of meetings {when}, the most it can")
    return (_LAST_DAY - (day.toordinal() if day else 0)) << _DAY_SHIFT | k


def item_day(item_id: int) -> int:
    """The proleptic ordinal of an item's meeting day, 0 when no date is known."""
    return _LAST_DAY - (item_id >> _DAY_SHIFT)


def item_of_row(rowid: int) -> int:
    """The item an index row belongs to."""
    return (rowid >> _ITEM_SHIFT) & _ITEM_MASK


def tier_of_row(rowid: int) -> int:
    """An index row's tier (field * BANDS + length band)."""
    return rowid >> _TIER_SHIFT


def row_range(tier: int, first_day: int = 0, last_day: int = _LAST_DAY) -> tuple[int, int]:
    """The ids of a tier's rows from meetings on ``first_day`` to ``last_day`` (ordinals; 0 = undated)."""
    base, shift = tier << _TIER_SHIFT, _DAY_SHIFT + _ITEM_SHIFT
    return base | (_LAST_DAY - last_day) << shift, base | ((_LAST_DAY - first_day + 1) << shift) - 1


def table_of_tier(tier: int) -> str:
    """The FTS5 table that holds a tier's rows."""
    return TITLES_FTS if tier < BANDS else FTS_TABLE


@lru_cache(maxsize=4096)
def _hashed(kind: str, value: str) -> str:
    return "zz" + kind + hashlib.blake2b(value.encode("utf-8"), digest_size=6).hexdigest()


def council_token(council: str) -> str:
    """The facet token of a council, as it is written."""
    return _hashed("c", council)


def body_token(body: str) -> str:
    """The facet token of a body (committee), as it is written."""
    return _hashed("b", body)


def source_token(source_id: int) -> str:
    """The facet token of a page (a ``sources`` row)."""
    return f"zzs{source_id}"


def held_token(kind: str) -> str:
    """The facet token every row of an item holding a decision of ``kind`` carries."""
    return "zzh" + kind[:3]


@lru_cache(maxsize=64)
def _kind_token(kind: str) -> str:
    return "zzk" + re.sub(r"[^a-z]", "", kind.lower())


class IndexRow(NamedTuple):
    """One row of the index: its id, its text with facet tokens, its tier and length in tokens."""

    rowid: int
    text: str
    tier: int
    tokens: int


def index_rows(item_id: int, source_id: int, item: ParsedItem) -> list[IndexRow]:
    """The index rows of one stored item: its title, then each passage, then its markers."""
    facets = [source_token(source_id)]
    if item.council:
        facets.append(council_token(item.council))
    if item.body:
        facets.append(body_token(item.body))
    if item.restricted:
        facets.append(RESTRICTED)
    kinds = {p.kind for p in item.passages}
    facets += [held_token(k) for k in DECISION_KINDS if k in kinds]
    common = " ".join(facets)
    parts = [(TITLE, "title", item.title or "")]
    parts += [(_FIELD_OF.get(p.kind, TEXT), p.kind, p.text) for p in item.passages]
    markers = [m for m in item.markers if m not in RECORD_MARKERS]  # "draft minutes" is no topic
    if markers:
        parts.append((TEXT, "marker", "\n".join(markers)))
    if len(parts) > _ROWS_AN_ITEM:  # an item of hundreds of passages: the tail is one row
        parts[_ROWS_AN_ITEM - 1 :] = [(TEXT, "more", "\n".join(t for _, _, t in parts[_ROWS_AN_ITEM - 1 :]))]
    rows = []
    base = item_id << _ITEM_SHIFT
    for n, (field, kind, text) in enumerate(parts):
        tokens = len(text.split())  # the words, near enough: the length band is all it decides
        if not tokens or not _TOKEN.search(text):
            continue
        tier = field * BANDS + (tokens.bit_length() if tokens < _LONG else BANDS - 1)
        rows.append(IndexRow(tier << _TIER_SHIFT | base | n, f"{text}\n{common} {_kind_token(kind)}", tier, tokens))
    return rows


class IndexWriter:
    """Changes to the indexes gathered over a transaction, applied by :meth:`flush` in row-id order.

    FTS5 writes out what it holds pending whenever a new row id is not above the last one, so rows
    added in page order (their tiers interleave) would make a segment a row. Sorted, a transaction
    makes one. A row removed while its adding is still pending just cancels the adding.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._pending: dict[str, tuple[dict[int, str], dict[int, str]]] = {t: ({}, {}) for t in _TABLES}
        self._tiers: dict[int, list[int]] = {}
        self._undated = 0

    def add(self, items: Iterable[tuple[int, int, ParsedItem]]) -> None:
        """Index stored items, given as (item id, source id, item)."""
        self._change(items, +1)

    def remove(self, items: Iterable[tuple[int, int, ParsedItem]]) -> None:
        """Take stored items out of the indexes; they must be as they were when added."""
        self._change(items, -1)

    def _change(self, items: Iterable[tuple[int, int, ParsedItem]], sign: int) -> None:
        for item_id, source_id, item in items:
            for r in index_rows(item_id, source_id, item):
                self._note(table_of_tier(r.tier), r.rowid, r.text, sign)
                count = self._tiers.setdefault(r.tier, [0, 0])
                count[0] += sign
                count[1] += sign * r.tokens
            self._note(ITEMS_FTS, item_id, _item_text(item), sign)
            if item.meeting_date is None:
                self._undated += sign

    def _note(self, table: str, rowid: int, text: str, sign: int) -> None:
        adds, removes = self._pending[table]
        if sign > 0:
            adds[rowid] = text
        elif rowid in adds:
            del adds[rowid]  # added in this transaction: never written
        else:
            removes[rowid] = text

    def flush(self) -> int:
        """Write the gathered changes (removals first, then additions); returns the title and passage rows added."""
        added = len(self._pending[FTS_TABLE][0]) + len(self._pending[TITLES_FTS][0])
        for table, (adds, removes) in self._pending.items():
            self.db.conn.executemany(f"INSERT INTO {table}({table}, rowid, text) VALUES ('delete', ?, ?)", sorted(removes.items()))
            self.db.conn.executemany(f"INSERT INTO {table}(rowid, text) VALUES (?, ?)", sorted(adds.items()))
            adds.clear()
            removes.clear()
        changes = [(tier, n, tokens) for tier, (n, tokens) in self._tiers.items() if n or tokens]
        if changes:
            self.db.conn.executemany(
                "INSERT INTO search_tiers (tier, rows, tokens) VALUES (?, ?, ?) ON CONFLICT (tier) DO UPDATE "
                "SET rows = rows + excluded.rows, tokens = tokens + excluded.tokens",
                changes,
            )
        self._tiers.clear()
        if self._undated:
            self.db.execute(
                "UPDATE search_state SET value = value + ? WHERE name = ?", [self._undated, _UNDATED]
            )
            self._undated = 0
        _new_generation(self.db)
        return added


def _item_text(item: ParsedItem) -> str:
    """An item's row in ``items_fts``: its title, passages and markers."""
    return "\n".join([item.title or "", *(p.text for p in item.passages), *(m for m in item.markers if m not in RECORD_MARKERS)])


def _new_generation(db: sqlite_utils.Database) -> None:
    # a random value, not a counter: two databases (two in-memory ones, say) never share one
    db.execute("UPDATE search_state SET value = ? WHERE name = 'generation'", [secrets.randbits(62)])


def count_undated(db: sqlite_utils.Database) -> None:
    """Start counting the items of no known date (migration 011): those stored now, then as they change."""
    held = db.execute("SELECT count(*) FROM item_rows WHERE meeting_date IS NULL").fetchone()[0]
    db.execute("INSERT OR REPLACE INTO search_state VALUES (?, ?)", [_UNDATED, held])


def undated_items(db: sqlite_utils.Database) -> int | None:
    """How many stored items have no known meeting date (None: not counted in this database)."""
    row = db.execute("SELECT value FROM search_state WHERE name = ?", [_UNDATED]).fetchone()
    return int(row[0]) if row else None


def search_generation(db: sqlite_utils.Database) -> int:
    """A value that changes whenever the index does: the key of anything cached from it."""
    row = db.execute("SELECT value FROM search_state WHERE name = 'generation'").fetchone()
    return int(row[0]) if row else 0


def create_index(db: sqlite_utils.Database) -> None:
    """Create the (empty) passage index, the item-level index, tier statistics and the generation."""
    for table in _TABLES:
        db.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5(text, content='', detail='none', columnsize=0, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
    # rows and tokens a tier holds: the length a tier stands for, and the statistics of bm25
    db.execute("CREATE TABLE search_tiers (tier INTEGER PRIMARY KEY, rows INTEGER NOT NULL, tokens INTEGER NOT NULL)")
    db.execute("CREATE TABLE search_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
    db.execute("INSERT INTO search_state VALUES ('generation', ?)", [secrets.randbits(62)])


def rebuild_index(db: sqlite_utils.Database, stored: Iterable[tuple[int, int, ParsedItem]]) -> int:
    """Empty the indexes and index every stored item again; returns the passage rows added."""
    for table in _TABLES:
        db.execute(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
    db.execute("DELETE FROM search_tiers")
    db.execute("UPDATE search_state SET value = 0 WHERE name = ?", [_UNDATED])
    total = 0
    writer = IndexWriter(db)
    for n, entry in enumerate(stored, start=1):
        writer.add([entry])
        if n % 5000 == 0:  # bounded memory
            total += writer.flush()
    total += writer.flush()
    for table in _TABLES:
        db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    return total


def tokens_of(text: str) -> Sequence[str]:
    """The words of a text as the index splits them (letters and digits), before stemming."""
    return _TOKEN.findall(text)
