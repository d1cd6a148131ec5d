"""Where the bot can reach people unprompted: conversations it was installed in or spoken to.

A transport (Teams) cannot post to a channel or a person just by id: it needs the conversation's
reference, which only arrives with an activity from that conversation. Each one is remembered here
(table ``conversations``, migration 007) as the transport's own JSON, opaque to this module, with
what kind of conversation it is and, for a person's own 1:1 chat, whose it is. Reminders, notices
and shared answers look it up by conversation id, or by user id for the person's 1:1 chat.

Also the delivery claim every transport shares: :func:`claim_delivery` records a delivery's id once
(``INSERT OR IGNORE``), so a retried or repeated delivery is not acted on twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

__all__ = [
    "KEEP_DELIVERIES",
    "KINDS",
    "KnownConversation",
    "claim_delivery",
    "find_conversation",
    "forget_conversation",
    "list_conversations",
    "remember_conversation",
]

#: A person's own chat with the bot, a channel of a team, a group (or meeting) chat.
KINDS = ("personal", "channel", "group")
#: How long a delivery's id is kept: platforms retry for minutes, at most about an hour.
KEEP_DELIVERIES = timedelta(days=2)


@dataclass(frozen=True)
class KnownConversation:
    """A conversation the bot may post to: its id, kind, whose it is (1:1), its title, its reference."""

    transport: str
    conversation_id: str
    kind: str
    user_id: str | None
    title: str | None
    reference: str
    updated_at: str


def _stamp(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


def _row(row: Any) -> KnownConversation:
    return KnownConversation(row["transport"], row["conversation_id"], row["kind"], row["user_id"],
                             row["title"], row["reference"], row["updated_at"])  # fmt: skip


def remember_conversation(
    db: Any,
    *,
    transport: str,
    conversation_id: str,
    kind: str,
    reference: str,
    now: datetime,
    user_id: str | None = None,
    title: str | None = None,
) -> bool:
    """Store (or bring up to date) a conversation's reference; True when anything was written.

    Read first, so the usual case (nothing changed) takes no write lock. A title once known is
    kept when a later activity does not repeat it.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of conversation {kind!r}")
    found = find_conversation(db, transport, conversation_id)
    title = title or (found.title if found else None)
    if found and (found.kind, found.user_id, found.title, found.reference) == (
        kind,
        user_id,
        title,
        reference,
    ):
        return False
    with db.conn:
        db.execute(
            "INSERT INTO conversations (transport, conversation_id, kind, user_id, title, reference, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (transport, conversation_id) DO UPDATE SET "
            "kind = excluded.kind, user_id = excluded.user_id, title = excluded.title, "
            "reference = excluded.reference, updated_at = excluded.updated_at",
            [transport, conversation_id, kind, user_id, title, reference, _stamp(now), _stamp(now)],
        )
    return True


def find_conversation(db: Any, transport: str, target: str) -> KnownConversation | None:
    """The conversation ``target`` names: a conversation id, else the 1:1 chat of the user it names."""
    rows = list(
        db.query(
            "SELECT * FROM conversations WHERE transport = ? AND conversation_id = ?", [transport, target]
        )
    )
    if not rows:
        rows = list(
            db.query(
                "SELECT * FROM conversations WHERE transport = ? AND kind = 'personal' AND user_id = ? "
                "ORDER BY updated_at DESC LIMIT 1",
                [transport, target],
            )
        )
    return _row(rows[0]) if rows else None


def list_conversations(
    db: Any, transport: str, kinds: Iterable[str] = ("channel", "group")
) -> list[KnownConversation]:
    """The conversations of ``kinds`` the bot knows, by title then id."""
    wanted = [k for k in kinds if k in KINDS]
    marks = ", ".join("?" for _ in wanted) or "NULL"
    rows = db.query(
        f"SELECT * FROM conversations WHERE transport = ? AND kind IN ({marks}) "
        "ORDER BY coalesce(title, conversation_id), conversation_id",
        [transport, *wanted],
    )
    return [_row(r) for r in rows]


def forget_conversation(db: Any, transport: str, conversation_id: str) -> bool:
    """Forget a conversation (the bot was removed from it); True if it was known."""
    with db.conn:
        cursor = db.execute(
            "DELETE FROM conversations WHERE transport = ? AND conversation_id = ?",
            [transport, conversation_id],
        )
    return bool(cursor.rowcount)


def claim_delivery(db: Any, delivery_id: str, now: datetime) -> bool:
    """Record ``delivery_id`` as handled; False when it already was. Old ids are dropped as it goes."""
    with db.conn:
        cursor = db.execute(
            "INSERT OR IGNORE INTO chat_events (event_id, received_at) VALUES (?, ?)",
            [delivery_id, _stamp(now)],
        )
        claimed = cursor.rowcount == 1
        if claimed:
            db.execute("DELETE FROM chat_events WHERE received_at < ?", [_stamp(now - KEEP_DELIVERIES)])
    return bool(claimed)
