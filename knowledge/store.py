"""The SQLite store: one file, migrations, and the minutes (see :mod:`knowledge.minutes.item_store`).

Open a connection per unit of work (a request, an ingest, a scheduler tick) with
:func:`open_db`; never share one across threads.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from knowledge.minutes.item_store import (
    DECISION_KINDS,
    KIND_COUNTS,
    column_int,
    create_changed_pages,
    delete_source,
    migrate_to_passage_index,
    passages_json,
    replace_source,
    row_to_item,
    source_items,
    source_sha,
)
from knowledge.minutes.passage_index import count_undated

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
    "source_items",
    "source_sha",
    "write_transaction",
]


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
    # Meetings from calendars (iCal, CSV); see knowledge.calendar.meetings. Meetings known only from
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
    # Improvement plans (see knowledge.plans.actions): actions with a RAG rating, an append-only history
    # of every rating and update, and the tracker of scrutiny recommendations (knowledge.minutes.recs).
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
    # Reminders (see knowledge.calendar.reminders): the ones clerks set, and the send log in which each
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


def _m007_passage_index(db: sqlite_utils.Database) -> None:
    # Issue 9: an FTS5 row per title and passage (tiers, facets, dates in the row id) replaces the
    # item-level index, and the text is kept once (item_rows.passages); `items` becomes a view.
    migrate_to_passage_index(db)


def _m008_feedback(db: sqlite_utils.Database) -> None:
    # Issue 11: answers kept for their buttons (show more, share) and members' ratings of answers.
    db.table("kept_answers").create(
        {"id": str, "user_id": str, "channel_id": str, "direct": int, "visibility": str,
         "restricted": int, "question": str, "payload": str, "created_at": str},
        pk="id", not_null={"user_id", "payload", "created_at"}, if_not_exists=True,
    )  # fmt: skip
    db.table("kept_answers").create_index(["created_at"], if_not_exists=True)
    db.table("feedback").create(
        {"id": int, "answer_id": str, "question": str, "citations": str, "user_id": str,
         "channel_id": str, "rating": str, "note": str, "at": str},
        pk="id", not_null={"rating", "at"}, if_not_exists=True,
    )  # fmt: skip
    db.table("feedback").create_index(["at"], if_not_exists=True)


def _m009_moderngov_sync(db: sqlite_utils.Database) -> None:
    # What `scrutiny-bot sync` remembers of each council's ModernGov site (knowledge.moderngov.sync_state):
    # a hash per meeting and per agenda item, so a sync re-indexes only what changed (ModernGov sends no
    # ETag); the minutes' status and the approvals each meeting's minutes record (draft or confirmed);
    # and the calendar uid each meeting was filed under. The index itself stays in sources and items.
    db.table("moderngov_sites").create(
        {"site": str, "base_url": str, "council": str, "synced_at": str, "deep_checked_at": str},
        pk="site",
    )
    db.table("moderngov_meetings").create(
        {
            "site": str,  # host and folder of the site: "democracy.example.gov.uk"
            "meeting_id": int,
            "committee_id": int,
            "committee_title": str,
            "meeting_date": str,  # ISO date
            "site_status": str,  # ModernGov's own words: "Confirmed", "Cancelled"
            "listing_hash": str,  # of the meeting as GetMeetings (or the meetings page) lists it
            "detail_hash": str,  # of what was indexed; "" when never fetched
            "has_minutes": int,
            "published_draft": int,  # the site says "draft minutes" (1), "minutes" (0), or nothing (NULL)
            "minutes_status": str,  # "draft minutes", "confirmed minutes" or ""
            "approvals": str,  # JSON: [[sentence, names the previous meeting]] from this meeting's minutes
            "source_key": str,
            "calendar_uid": str,
            "via": str,  # "service" or "pages"
            "gone": int,  # 1 when the site no longer has the meeting
            "checked_at": str,  # ISO date-time (UTC) of the last fetch of its agenda and minutes
        },
        pk=("site", "meeting_id"),
        not_null={"site", "meeting_id", "meeting_date"},
    )
    db.table("moderngov_meetings").create_index(["site", "committee_id", "meeting_date"])
    db.table("moderngov_items").create(
        {"site": str, "meeting_id": int, "item_key": str, "hash": str},
        pk=("site", "meeting_id", "item_key"),
        not_null={"site", "meeting_id", "item_key", "hash"},
    )


def _m010_conversations(db: sqlite_utils.Database) -> None:
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


def _m011_undated_count(db: sqlite_utils.Database) -> None:
    # Issue 9 (speed): the index counts the items of no known date, so a search for a range of
    # days skips the undated rows of every tier when there are none (most councils' minutes).
    count_undated(db)


def _m012_changed_pages(db: sqlite_utils.Database) -> None:
    # Issue 9 (speed): the recommendations tracker reads only the pages changed since it last did,
    # not every recommendation in the minutes at every ingest (and every `recs`).
    create_changed_pages(db)


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("001_minutes", _m001_minutes),
    ("002_meetings", _m002_meetings),
    ("003_chat", _m003_chat),
    ("004_plans", _m004_plans),
    ("005_reminders", _m005_reminders),
    ("006_search_state", _m006_search_state),
    ("007_passage_index", _m007_passage_index),
    ("008_feedback", _m008_feedback),
    ("009_moderngov_sync", _m009_moderngov_sync),
    ("010_conversations", _m010_conversations),
    ("011_undated_count", _m011_undated_count),
    ("012_changed_pages", _m012_changed_pages),
]


#: The page size of a new database file, in bytes.
_PAGE_SIZE = 16384
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
        # A new file gets 16 KB pages: an item's row (its passages, about 1.5 KB) packs with little
        # waste; 4 KB pages left a third of each page empty. Fixed once the file exists.
        db.execute(f"PRAGMA page_size={_PAGE_SIZE}")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    # the `items` view reads the stored (compressed) passages through it
    db.conn.create_function("scrutiny_passages", 1, passages_json, deterministic=True)
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
