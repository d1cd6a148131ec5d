"""The SQLite store: one file, migrations, FTS5 over item text and decisions.

Open a connection per unit of work (a request, an ingest, a scheduler tick) with
:func:`open_db`; never share one across threads.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import sqlite_utils

from .models import ParsedItem, Passage

__all__ = [
    "DECISION_KINDS",
    "DEFAULT_BUSY_TIMEOUT",
    "KIND_COUNTS",
    "MIGRATIONS",
    "busy_timeout_seconds",
    "column_int",
    "default_db_path",
    "delete_source",
    "insert_row",
    "is_busy",
    "open_db",
    "replace_source",
    "row_to_item",
    "source_sha",
    "write_transaction",
]

DECISION_KINDS = ("resolution", "recommendation", "action")
#: The column of ``items`` that counts each kind of decision.
KIND_COUNTS = {"resolution": "n_resolutions", "recommendation": "n_recommendations", "action": "n_actions"}
_NARRATIVE_KINDS = ("purpose", "narrative", "bullet", "detail")


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """The database file: ``SCRUTINY_BOT_DB`` if set, else a file in the per-user data folder."""
    env = os.environ if environ is None else environ
    if env.get("SCRUTINY_BOT_DB"):
        return Path(env["SCRUTINY_BOT_DB"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("scrutiny-bot", appauthor=False)) / "scrutiny-bot.db"


# --- migrations -------------------------------------------------------------------------------


def _m001_minutes(db: sqlite_utils.Database) -> None:
    db.table("sources").create(
        {
            "id": int,
            "key": str,
            "sha256": str,
            "layout": str,
            "council": str,
            "body": str,
            "meeting_date": str,
            "url": str,
            "items": int,
            "ingested_at": str,
        },
        pk="id",
        not_null={"key"},
    )
    db.table("sources").create_index(["key"], unique=True)
    db.table("items").create(
        {
            "id": int,
            "source_id": int,
            "seq": int,
            "council": str,
            "body": str,
            "meeting_date": str,  # ISO date, NULL when the page does not state it and nobody gave it
            "item": str,
            "title": str,
            "narrative": str,  # purpose, paragraphs and bullets, for FTS
            "decisions": str,  # resolutions, recommendations and actions, for FTS
            "n_resolutions": int,
            "n_recommendations": int,
            "n_actions": int,
            "passages": str,  # JSON list of [kind, label, text]
            "markers": str,  # JSON list
            "url": str,
            "restricted": int,
        },
        pk="id",
        foreign_keys=[("source_id", "sources", "id")],
    )
    db.table("items").create_index(["source_id"])
    db.table("items").create_index(["body", "meeting_date"])
    db.table("items").create_index(["meeting_date"])
    db.table("items").enable_fts(
        ["title", "narrative", "decisions"],
        tokenize="porter unicode61 remove_diacritics 2",
        create_triggers=True,
    )
    db.table("bodies").create({"council": str, "name": str}, pk=("council", "name"))


def _m002_meetings(db: sqlite_utils.Database) -> None:
    # Meetings from calendars (iCal, CSV); see knowledge.meetings. Meetings known only from
    # minutes are read from `items` and not stored here.
    db.table("meetings").create(
        {
            "uid": str,  # the calendar's UID, or one derived from council, body and date
            "council": str,
            "body": str,
            "date": str,  # ISO date
            "time": str,  # "HH:MM" (24 h, Europe/London), NULL when not stated
            "venue": str,
            "status": str,  # confirmed, cancelled, postponed, moved, tentative
            "url": str,
            "source": str,  # file name it was imported from
            "updated_at": str,
        },
        pk="uid",
        not_null={"body", "date", "status"},
    )
    db.table("meetings").create_index(["body", "date"])


def _m003_chat(db: sqlite_utils.Database) -> None:
    # Slack deliveries already handled (see bot.slack_app): claimed with INSERT OR IGNORE on the
    # event id so a retried or duplicated delivery is answered once.
    db.table("chat_events").create({"event_id": str, "received_at": str}, pk="event_id")
    db.table("chat_events").create_index(["received_at"])


def _m004_plans(db: sqlite_utils.Database) -> None:
    # Improvement plans (see knowledge.plans): actions with a RAG rating, an append-only history
    # of every rating and update, and the tracker of scrutiny recommendations (knowledge.recs).
    db.table("plans").create(
        {
            "id": int,
            "name": str,
            "channel": str,  # where status changes are announced, or NULL
            "rating_key": str,  # JSON list of ratings, most favourable first
            "owner_only": int,  # 1: officers may update only the actions they own
            "source": str,  # the file last imported
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"name"},
    )
    db.table("plans").create_index(["name"], unique=True)
    db.table("actions").create(
        {
            "id": int,
            "plan_id": int,
            "ref": str,  # as written in the plan: "2.3"
            "ref_key": str,  # normalised for matching: "2.3"
            "seq": int,  # order in the plan
            "theme": str,
            "action": str,
            "owner": str,
            "due": str,  # ISO date or NULL
            "rating": str,  # a name from the plan's rating key, or NULL when not rated
            "latest_update": str,
            "latest_update_at": str,  # ISO date-time of the latest update
            "evidence": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("plan_id", "plans", "id")],
        not_null={"plan_id", "ref", "ref_key"},
    )
    db.table("actions").create_index(["plan_id", "ref_key"], unique=True)
    db.table("actions").create_index(["plan_id", "rating"])
    db.table("actions").create_index(["plan_id", "due"])
    db.table("action_updates").create(
        {
            "id": int,
            "action_id": int,
            "at": str,  # ISO date-time
            "by": str,  # user id, or "import"
            "by_name": str,
            "previous_rating": str,
            "new_rating": str,
            "note": str,
            "source": str,  # import or chat
        },
        pk="id",
        foreign_keys=[("action_id", "actions", "id")],
        not_null={"action_id", "at", "source"},
    )
    db.table("action_updates").create_index(["action_id", "at"])
    db.table("action_updates").create_index(["at"])
    db.execute(
        "CREATE TRIGGER action_updates_append_only BEFORE UPDATE ON action_updates "
        "BEGIN SELECT RAISE(ABORT, 'action history is append-only'); END"
    )
    db.table("recommendations").create(
        {
            "id": int,
            "key": str,  # hash of source key, item, label and text: stable across re-ingests
            "slot": str,  # hash of source key, item and label: finds a recommendation whose text was corrected
            "source_key": str,
            "council": str,
            "body": str,
            "meeting_date": str,
            "item": str,
            "title": str,
            "label": str,
            "text": str,
            "url": str,
            "status": str,  # awaiting response, accepted, partly accepted, rejected, implemented
            "response": str,  # the executive's response
            "response_date": str,
            "updated_at": str,
            "updated_by": str,
            "missing": int,  # 1 when the minutes no longer hold it (kept with its status)
        },
        pk="id",
        not_null={"key", "status"},
    )
    db.table("recommendations").create_index(["key"], unique=True)
    db.table("recommendations").create_index(["slot"])
    db.table("recommendations").create_index(["status", "meeting_date"])
    db.table("recommendation_updates").create(
        {
            "id": int,
            "rec_id": int,
            "at": str,
            "by": str,
            "by_name": str,
            "previous_status": str,
            "new_status": str,
            "response": str,
        },
        pk="id",
        foreign_keys=[("rec_id", "recommendations", "id")],
        not_null={"rec_id", "at"},
    )
    db.table("recommendation_updates").create_index(["rec_id", "at"])


def _m005_reminders(db: sqlite_utils.Database) -> None:
    # Reminders (see knowledge.reminders): the ones clerks set, and the send log in which each
    # occurrence is claimed (INSERT OR IGNORE on transport, key and due time) before it is sent, so
    # a restart, a repeated tick or a second bot process never sends it twice. Meeting, deadline
    # and action reminders are derived from their tables at every tick and not stored.
    db.table("reminders").create(
        {
            "id": int,
            "target": str,  # a channel id (C...), a channel name (#name) or a user id (U...)
            "text": str,
            "start_date": str,  # ISO date of the first (nominal) day
            "at_time": str,  # "HH:MM", Europe/London
            "repeat": str,  # "" (once), daily, working-days, weekly, monthly
            "created_by": str,
            "created_at": str,  # ISO date-time, UTC
            "cancelled_at": str,
            "cancelled_by": str,
        },
        pk="id",
        not_null={"target", "text", "start_date", "at_time", "created_at"},
    )
    db.table("send_log").create(
        {
            "transport": str,  # "" for the bot's real deliveries (Slack); "terminal" for a terminal chat
            "reminder_key": str,
            "due_at": str,  # ISO date-time, UTC
            "status": str,  # claimed, sent, failed, dropped, superseded
            "claimed_at": str,
            "sent_at": str,
            "recipient": str,
            "kind": str,
        },
        pk=("transport", "reminder_key", "due_at"),
        not_null={"transport", "reminder_key", "due_at", "status"},
    )
    db.table("send_log").create_index(["transport", "due_at"])
    db.table("reminder_state").create({"name": str, "value": str}, pk="name")


#: Applied in order, each once, each in its own transaction. Append; never edit a released one.
def _m006_search_state(db: sqlite_utils.Database) -> None:
    # The search keeps what it reads once per state of the index (the typo vocabulary, the councils);
    # the newest ingest time is part of that state, and without this index it costs a scan a question.
    db.table("sources").create_index(["ingested_at"], if_not_exists=True)


def _m007_conversations(db: sqlite_utils.Database) -> None:
    # Where the bot can reach people without being asked (see knowledge.conversations): each Teams
    # conversation's reference, stored when the bot is installed or first spoken to, so reminders
    # and notices can be sent there later. A person's own 1:1 chat is found by their user id.
    db.table("conversations").create(
        {
            "transport": str,  # "teams"
            "conversation_id": str,  # without any thread part
            "kind": str,  # personal, channel or group
            "user_id": str,  # for a personal chat: whose (an Entra object id); else NULL
            "title": str,  # a team and channel name when the platform said, else NULL
            "reference": str,  # the transport's own JSON, opaque here
            "created_at": str,
            "updated_at": str,
        },
        pk=("transport", "conversation_id"),
        not_null={"transport", "conversation_id", "kind", "reference", "created_at", "updated_at"},
    )
    db.table("conversations").create_index(["transport", "user_id"])


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("001_minutes", _m001_minutes),
    ("002_meetings", _m002_meetings),
    ("003_chat", _m003_chat),
    ("004_plans", _m004_plans),
    ("005_reminders", _m005_reminders),
    ("006_search_state", _m006_search_state),
    ("007_conversations", _m007_conversations),
]


#: Seconds a connection waits for another writer (an ingest, the bot) to finish before giving up.
DEFAULT_BUSY_TIMEOUT = 30.0


def open_db(
    path: str | os.PathLike[str] | None = None,
    *,
    migrate: bool = True,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` (":memory:" allowed) and migrate it.

    A write waits up to ``busy_timeout`` seconds for another connection's write to finish.
    """
    if path is None or str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True)
    else:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(p), timeout=busy_timeout, check_same_thread=True)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    if migrate:
        _migrate(db)
    return db


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A transaction that takes the write lock first (``BEGIN IMMEDIATE``), waiting its turn.

    ``db.atomic()``'s deferred BEGIN fails at once ("database is locked") if another connection
    commits between its first read and first write; this waits up to the busy timeout instead.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise


def is_busy(exc: BaseException) -> bool:
    """True if ``exc`` is SQLite's "database is locked": another writer held the lock too long."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc)


def busy_timeout_seconds(db: sqlite_utils.Database) -> float:
    """How long this connection waits for another writer, in seconds."""
    return int(db.execute("PRAGMA busy_timeout").fetchone()[0]) / 1000


def _migrate(db: sqlite_utils.Database) -> None:
    done = {r["name"] for r in db.table("_migrations").rows} if "_migrations" in db.table_names() else set()
    for name, step in MIGRATIONS:
        if name in done:
            continue
        # The write lock first: a second process opening a new database waits, then finds it done.
        with write_transaction(db):
            db.table("_migrations").create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", [name]).fetchone():
                continue
            step(db)
            db.table("_migrations").insert({"name": name, "applied_at": _now_iso()})


def insert_row(db: sqlite_utils.Database, table: str, row: Mapping[str, object]) -> int:
    """Insert ``row`` into ``table``, whose key is ``id INTEGER PRIMARY KEY``; returns the new row's id."""
    rowid = db.table(table).insert(dict(row)).last_rowid
    if rowid is None:  # typed int | None: sqlite-utils sets it only once a row is inserted
        raise RuntimeError(f"no row was inserted into {table}")
    return rowid  # an INTEGER PRIMARY KEY is the rowid


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- minutes ----------------------------------------------------------------------------------


def _item_row(source_id: int, seq: int, item: ParsedItem) -> dict[str, object]:
    return {
        "source_id": source_id,
        "seq": seq,
        "council": item.council,
        "body": item.body,
        "meeting_date": item.meeting_date.isoformat() if item.meeting_date else None,
        "item": item.item,
        "title": item.title,
        "narrative": "\n".join(
            [*(p.text for p in item.passages if p.kind in _NARRATIVE_KINDS), *item.markers]
        ),
        "decisions": "\n".join(p.text for p in item.passages if p.kind in DECISION_KINDS),
        **{col: sum(1 for p in item.passages if p.kind == kind) for kind, col in KIND_COUNTS.items()},
        "passages": json.dumps([[p.kind, p.label, p.text] for p in item.passages], ensure_ascii=False),
        "markers": json.dumps(item.markers),
        "url": item.url,
        "restricted": int(item.restricted),
    }


def replace_source(
    db: sqlite_utils.Database,
    key: str,
    items: Iterable[ParsedItem],
    *,
    sha256: str = "",
    layout: str = "",
    url: str | None = None,
) -> int:
    """Store the items of one source, replacing whatever that source held before.

    The caller wraps this in a transaction (``with write_transaction(db):``) so a source is either
    wholly replaced or left as it was. Returns the number of items stored.
    """
    items = list(items)
    existing = db.execute("SELECT id FROM sources WHERE key = ?", [key]).fetchone()
    if existing:
        db.execute("DELETE FROM items WHERE source_id = ?", [existing[0]])
        source_id = existing[0]
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
        "ingested_at": _now_iso(),
    }
    if existing:
        db.table("sources").update(source_id, row)
    else:
        source_id = insert_row(db, "sources", row)
    db.table("items").insert_all(
        (_item_row(source_id, seq, it) for seq, it in enumerate(items)), batch_size=500
    )
    bodies = {(it.council or "", it.body) for it in items if it.body}
    if bodies:
        db.table("bodies").insert_all(
            ({"council": c, "name": b} for c, b in bodies), pk=("council", "name"), ignore=True
        )
    return len(items)


def delete_source(db: sqlite_utils.Database, key: str) -> bool:
    """Remove a source and its items; True if it existed."""
    row = db.execute("SELECT id FROM sources WHERE key = ?", [key]).fetchone()
    if not row:
        return False
    db.execute("DELETE FROM items WHERE source_id = ?", [row[0]])
    db.execute("DELETE FROM sources WHERE id = ?", [row[0]])
    return True


def source_sha(db: sqlite_utils.Database, key: str) -> str | None:
    """The content hash stored for a source, or None if it was never ingested."""
    row = db.execute("SELECT sha256 FROM sources WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def row_to_item(row: Mapping[str, object]) -> ParsedItem:
    """Rebuild a :class:`ParsedItem` from a row of ``items``."""
    md = row.get("meeting_date")
    return ParsedItem(
        title=str(row["title"] or ""),
        council=_text_or_none(row.get("council")),
        body=_text_or_none(row.get("body")),
        meeting_date=date.fromisoformat(str(md)) if md else None,
        item=_text_or_none(row.get("item")),
        passages=[Passage(k, t, lab) for k, lab, t in json.loads(str(row["passages"] or "[]"))],
        markers=list(json.loads(str(row.get("markers") or "[]"))),
        url=_text_or_none(row.get("url")),
        restricted=bool(row.get("restricted")),
    )


def column_int(value: object) -> int:
    """An INTEGER column's value from a row typed as objects; a TypeError for NULL or a non-number."""
    if isinstance(value, int | float | str):
        return int(value)
    raise TypeError(f"not an integer column's value: {value!r}")


def _text_or_none(value: object) -> str | None:
    """A text column's value, None for NULL or empty."""
    return str(value) if value else None
