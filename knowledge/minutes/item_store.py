"""The items of the minutes in the store: one row each, their text once, and the passage index.

``item_rows`` holds an item's fields and its passages: JSON ``[[kind, label, text], ...]``,
zlib-compressed (the only copy of the text, at about half its size). The view ``items`` shows them
with the columns the store had before the passage index (``passages`` as JSON, ``narrative``
derived from them; ``decisions``, which nothing read, is gone) through the SQL function ``scrutiny_passages``, which :func:`open_db
<knowledge.store.open_db>` defines on every connection: a connection made otherwise cannot read
the view (``item_rows`` it can). Every write goes through :func:`replace_source` and
:func:`delete_source`, which keep the passage index (:mod:`knowledge.minutes.passage_index`) in step
within the caller's transaction.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime

import sqlite_utils

from knowledge.minutes.passage_index import ITEMS_A_DAY, IndexWriter, create_index, item_id_for, rebuild_index
from knowledge.models import ParsedItem, Passage, UserError

__all__ = [
    "DECISION_KINDS",
    "ITEM_COLUMNS",
    "KIND_COUNTS",
    "CHANGED_PAGES",
    "column_int",
    "create_changed_pages",
    "create_items",
    "delete_source",
    "migrate_to_passage_index",
    "pack_passages",
    "passages_json",
    "replace_source",
    "row_to_item",
    "source_items",
    "source_sha",
    "stored_items",
]

DECISION_KINDS = ("resolution", "recommendation", "action")
#: Pages (a source's address, else its key) whose items changed since the recommendations tracker
#: last read them (:func:`knowledge.minutes.recs.sync_recommendations`): it reads only those.
CHANGED_PAGES = "changed_pages"
#: The column of ``items`` that counts each kind of decision.
KIND_COUNTS = {"resolution": "n_resolutions", "recommendation": "n_recommendations", "action": "n_actions"}
_NARRATIVE_KINDS = ("purpose", "narrative", "bullet", "detail")
#: The columns of ``item_rows``, in order.
ITEM_COLUMNS = ("id", "source_id", "seq", "council", "body", "meeting_date", "item", "title", "n_resolutions",
                "n_recommendations", "n_actions", "passages", "markers", "url", "restricted")  # fmt: skip


def pack_passages(passages: Sequence[Passage]) -> bytes:
    """Passages as ``item_rows`` stores them: JSON [[kind, label, text], ...], zlib-compressed."""
    return zlib.compress(json.dumps([[p.kind, p.label, p.text] for p in passages], ensure_ascii=False).encode(), 1)


def passages_json(value: object) -> str | None:
    """The JSON of stored passages (compressed, or JSON already): the SQL function ``scrutiny_passages``."""
    if isinstance(value, bytes):
        return zlib.decompress(value).decode()
    return None if value is None else str(value)


def _narrative() -> str:
    """SQL for the old ``narrative`` column: what was said (not the decisions), then the markers."""
    marks = ", ".join(f"'{k}'" for k in _NARRATIVE_KINDS)
    rows = (f"SELECT j.value ->> 2 AS t FROM json_each(scrutiny_passages(i.passages)) AS j "
            f"WHERE j.value ->> 0 IN ({marks}) UNION ALL SELECT m.value FROM json_each(i.markers) AS m")  # fmt: skip
    return f"coalesce((SELECT group_concat(t, char(10)) FROM ({rows})), '')"


def create_items(db: sqlite_utils.Database) -> None:
    """Create ``item_rows``, its indexes, the ``items`` view and the passage index."""
    _create_item_rows(db)
    _create_items_view(db)
    create_index(db)


def create_changed_pages(db: sqlite_utils.Database) -> None:
    """Migration 012: the pages changed since the tracker read them; every page held so far, to begin with."""
    db.execute(f"CREATE TABLE {CHANGED_PAGES} (page TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute(f"INSERT OR IGNORE INTO {CHANGED_PAGES} SELECT coalesce(url, key) FROM sources")


def _changed(db: sqlite_utils.Database, source_id: int) -> None:
    """Note a source's page as changed (the page as the tracker names it)."""
    db.execute(
        f"INSERT OR IGNORE INTO {CHANGED_PAGES} SELECT coalesce(url, key) FROM sources WHERE id = ?",
        [source_id],
    )


def _create_item_rows(db: sqlite_utils.Database) -> None:
    db.execute(
        # rid: the order rows were stored in, so the table packs densely whatever order pages come in;
        # id: item_id_for(meeting day, place that day), the id the index and every caller use
        "CREATE TABLE item_rows (rid INTEGER PRIMARY KEY, id INTEGER NOT NULL UNIQUE, "
        "source_id INTEGER REFERENCES sources(id), seq INTEGER, "
        "council TEXT, body TEXT, meeting_date TEXT, item TEXT, title TEXT, n_resolutions INTEGER, "
        "n_recommendations INTEGER, n_actions INTEGER, passages BLOB, markers TEXT, url TEXT, restricted INTEGER)"
    )
    db.execute("CREATE INDEX idx_item_rows_source_id ON item_rows (source_id)")
    db.execute("CREATE INDEX idx_item_rows_body_meeting_date ON item_rows (body, meeting_date)")
    db.execute("CREATE INDEX idx_item_rows_meeting_date ON item_rows (meeting_date)")


def _create_items_view(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE VIEW items AS SELECT i.id, i.source_id, i.seq, i.council, i.body, i.meeting_date, i.item, i.title, "
        f"{_narrative()} AS narrative, "
        "i.n_resolutions, i.n_recommendations, i.n_actions, scrutiny_passages(i.passages) AS passages, i.markers, "
        "i.url, i.restricted "
        "FROM item_rows AS i"
    )


def migrate_to_passage_index(db: sqlite_utils.Database) -> None:
    """Migration 007: the item-level FTS table becomes the passage index; the text is kept once."""
    for trigger in ("items_ai", "items_ad", "items_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute("DROP TABLE IF EXISTS items_fts")  # the item-level index: its shadow tables go with it
    _create_item_rows(db)
    cols = [c for c in ITEM_COLUMNS if c != "id"]
    packed = cols.index("passages") + 1  # in the rows read below, after meeting_date
    db.execute("ALTER TABLE items RENAME TO items_before_007")
    old = db.conn.execute(f"SELECT meeting_date, {', '.join(cols)} FROM items_before_007 ORDER BY id")
    insert = f"INSERT INTO item_rows ({', '.join(ITEM_COLUMNS)}) VALUES ({', '.join('?' * len(ITEM_COLUMNS))})"
    counters: dict[int, int] = {}
    while batch := old.fetchmany(2000):  # streamed: a large database need not fit in memory
        rows = []
        for row in batch:
            day = date.fromisoformat(row[0]) if row[0] else None
            key = day.toordinal() if day else 0
            counters[key] = counters.get(key, -1) + 1
            passages = [Passage(k, t, lab) for k, lab, t in json.loads(row[packed] or "[]")]
            rows.append((item_id_for(day, counters[key]), *row[1:packed], pack_passages(passages), *row[packed + 1 :]))
        db.conn.executemany(insert, rows)
    db.execute("DROP TABLE items_before_007")
    _create_items_view(db)
    create_index(db)
    rebuild_index(db, stored_items(db))


def stored_items(db: sqlite_utils.Database, where: str = "1", args: Iterable[object] = ()) -> Iterator[tuple[int, int, ParsedItem]]:
    """(item id, source id, item) for the stored items that satisfy ``where`` (SQL on ``item_rows``)."""
    cur = db.execute(f"SELECT * FROM item_rows WHERE {where}", list(args))
    names = [d[0] for d in cur.description]
    for values in cur:
        row = dict(zip(names, values, strict=True))
        yield int(row["id"]), int(row["source_id"] or 0), row_to_item(row)


def _item_row(item_id: int, source_id: int, seq: int, item: ParsedItem, packed: bytes | None) -> tuple[object, ...]:
    counts = [sum(1 for p in item.passages if p.kind == kind) for kind in KIND_COUNTS]
    return (
        item_id, source_id, seq, item.council, item.body,
        item.meeting_date.isoformat() if item.meeting_date else None, item.item, item.title, *counts,
        pack_passages(item.passages) if packed is None else packed,
        json.dumps(item.markers), item.url, int(item.restricted),
    )  # fmt: skip


def _new_ids(db: sqlite_utils.Database, items: list[ParsedItem], replacing: int | None) -> list[int]:
    """Ids for a page's items: each day's after the last another page holds for that day.

    Checked before anything is written: a day that cannot take them raises UserError.
    """
    per_day: dict[int, int] = {}
    for item in items:
        day = item.meeting_date.toordinal() if item.meeting_date else 0
        per_day[day] = per_day.get(day, 0) + 1
    start: dict[int, int] = {}
    for day, wanted in per_day.items():
        first = item_id_for(date.fromordinal(day) if day else None, 0)
        ids = [i for (i,) in db.execute(
            "SELECT id FROM item_rows WHERE id BETWEEN ? AND ? AND source_id IS NOT ?",
            [first, first + ITEMS_A_DAY - 1, replacing])]  # fmt: skip
        start[day] = first + (max(ids) - first + 1 if ids else 0)
        if start[day] - first + wanted > ITEMS_A_DAY:
            when = f"on {date.fromordinal(day).isoformat()}" if day else "without a date"
            raise UserError(f"the database cannot hold more than {ITEMS_A_DAY:,} items of meetings {when}")
    out = []
    for item in items:
        day = item.meeting_date.toordinal() if item.meeting_date else 0
        out.append(start[day])
        start[day] += 1
    return out


def _drop_items(db: sqlite_utils.Database, source_id: int, index: IndexWriter) -> None:
    index.remove(stored_items(db, "source_id = ?", [source_id]))
    db.execute("DELETE FROM item_rows WHERE source_id = ?", [source_id])


def replace_source(
    db: sqlite_utils.Database,
    key: str,
    items: Iterable[ParsedItem],
    *,
    sha256: str = "",
    layout: str = "",
    url: str | None = None,
    index: IndexWriter | None = None,
    packed: Sequence[bytes] | None = None,
) -> int:
    """Store the items of one source, replacing whatever that source held before.

    The caller wraps this in a transaction (``with write_transaction(db):``) so a source is either
    wholly replaced or left as it was. Changes to the search indexes go to ``index`` when given
    (the caller flushes it before committing), else are written at once. ``packed`` is each item's
    :func:`pack_passages`, if the caller made them (a parse worker). A page whose day already holds
    the most items a day can raises UserError before anything is written.
    Returns the number of items stored.
    """
    items = list(items)
    existing = db.execute("SELECT id FROM sources WHERE key = ?", [key]).fetchone()
    ids = _new_ids(db, items, int(existing[0]) if existing else None)
    writer = index or IndexWriter(db)
    first = items[0] if items else None
    row = {
        "key": key,
        "sha256": sha256,
        "layout": layout,
        "council": first.council if first else None,
        "body": first.body if first else None,
        "meeting_date": first.meeting_date.isoformat() if first and first.meeting_date else None,
        "url": url,
        "items": len(items),
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if existing:
        source_id = int(existing[0])
        _changed(db, source_id)  # its page before, should the address change
        _drop_items(db, source_id, writer)
        db.table("sources").update(source_id, row)
    else:
        cur = db.execute(f"INSERT INTO sources ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        source_id = int(cur.lastrowid or 0)
    db.conn.executemany(
        f"INSERT INTO item_rows ({', '.join(ITEM_COLUMNS)}) VALUES ({', '.join('?' * len(ITEM_COLUMNS))})",
        [_item_row(i, source_id, seq, it, packed[seq] if packed else None) for seq, (i, it) in enumerate(zip(ids, items, strict=True))],
    )
    writer.add((i, source_id, it) for i, it in zip(ids, items, strict=True))
    _changed(db, source_id)
    if index is None:
        writer.flush()
    bodies = {(it.council or "", it.body) for it in items if it.body}
    if bodies:
        db.conn.executemany("INSERT OR IGNORE INTO bodies (council, name) VALUES (?, ?)", sorted(bodies))
    return len(items)


def delete_source(db: sqlite_utils.Database, key: str, *, index: IndexWriter | None = None) -> bool:
    """Remove a source and its items; True if it existed. ``index`` as for :func:`replace_source`."""
    row = db.execute("SELECT id FROM sources WHERE key = ?", [key]).fetchone()
    if not row:
        return False
    writer = index or IndexWriter(db)
    _changed(db, int(row[0]))
    _drop_items(db, int(row[0]), writer)
    db.execute("DELETE FROM sources WHERE id = ?", [row[0]])
    if index is None:
        writer.flush()
    return True


def source_items(db: sqlite_utils.Database, key: str) -> list[ParsedItem]:
    """The items a source holds, in their order ([] when it was never stored)."""
    row = db.execute("SELECT id FROM sources WHERE key = ?", [key]).fetchone()
    if not row:
        return []
    return [item for _, _, item in stored_items(db, "source_id = ? ORDER BY seq", [row[0]])]


def source_sha(db: sqlite_utils.Database, key: str) -> str | None:
    """The content hash stored for a source, or None if it was never ingested."""
    row = db.execute("SELECT sha256 FROM sources WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def row_to_item(row: Mapping[str, object]) -> ParsedItem:
    """Rebuild a :class:`ParsedItem` from a row of ``items`` (or ``item_rows``)."""
    md = row.get("meeting_date")
    return ParsedItem(
        title=str(row["title"] or ""),
        council=_text_or_none(row.get("council")),
        body=_text_or_none(row.get("body")),
        meeting_date=date.fromisoformat(str(md)) if md else None,
        item=_text_or_none(row.get("item")),
        passages=[Passage(k, t, lab) for k, lab, t in json.loads(passages_json(row["passages"]) or "[]")],
        markers=list(json.loads(str(row.get("markers") or "[]"))),
        url=_text_or_none(row.get("url")),
        restricted=bool(row.get("restricted")),
        page_url=_text_or_none(row.get("page_url")),
    )


def column_int(value: object) -> int:
    """An INTEGER column's value from a row typed as objects; a TypeError for NULL or a non-number."""
    if isinstance(value, int | float | str):
        return int(value)
    raise TypeError(f"not an integer column's value: {value!r}")


def _text_or_none(value: object) -> str | None:
    """A text column's value, None for NULL or empty."""
    return str(value) if value else None
