"""Answers kept for a while, so their buttons can act on them later: show more, share, feedback.

An answer is kept as it was given (an opaque JSON payload the chat layer wrote) with who asked,
where, whether it may be seen by others, and whether it quotes exempt (Part 2) material; the chat
layer re-checks who may see it before showing any of it again. Storage is bounded: answers older
than :data:`KEEP_FOR` and all but the newest :data:`MAX_KEPT` are dropped whenever one is kept.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from knowledge.store import write_transaction

__all__ = ["KEEP_FOR", "MAX_KEPT", "KeptAnswer", "fetch_answer", "keep_answer"]

#: How long an answer's buttons keep working.
KEEP_FOR = timedelta(days=14)
#: The most answers kept at once; the oldest go first.
MAX_KEPT = 5000
_ID_BYTES = 12


@dataclass(frozen=True)
class KeptAnswer:
    """An answer as given: to whom, where, and the chat layer's payload."""

    id: str
    user_id: str
    channel_id: str
    direct: bool
    visibility: str  # "asker" or "channel", as handlers.messages.Visibility
    restricted: bool  # it quotes exempt (Part 2) material
    question: str
    payload: str
    created_at: datetime


def keep_answer(
    db: sqlite_utils.Database,
    *,
    user_id: str,
    channel_id: str,
    direct: bool,
    visibility: str,
    restricted: bool,
    question: str,
    payload: str,
    now: datetime,
    limit: int = MAX_KEPT,
) -> str:
    """Keep one answer and drop expired ones (and all but the newest ``limit``), in one transaction;
    returns the answer's new id."""
    answer_id = secrets.token_hex(_ID_BYTES)
    row = {
        "id": answer_id, "user_id": user_id, "channel_id": channel_id, "direct": int(direct),
        "visibility": visibility, "restricted": int(restricted), "question": question, "payload": payload,
        "created_at": now.isoformat(timespec="seconds"),
    }  # fmt: skip
    with write_transaction(db):
        db.table("kept_answers").insert(row)
        cutoff = (now - KEEP_FOR).isoformat(timespec="seconds")
        db.execute("DELETE FROM kept_answers WHERE created_at < ?", [cutoff])
        db.execute(
            "DELETE FROM kept_answers WHERE id NOT IN "
            "(SELECT id FROM kept_answers ORDER BY created_at DESC, rowid DESC LIMIT ?)",
            [limit],
        )
    return answer_id


def fetch_answer(db: sqlite_utils.Database, answer_id: str, now: datetime) -> KeptAnswer | None:
    """The kept answer ``answer_id``, or None when it is unknown or too old to act on."""
    if not answer_id or len(answer_id) > 64:
        return None
    rows = list(db.query("SELECT * FROM kept_answers WHERE id = ?", [answer_id]))
    if not rows:
        return None
    kept = _row(rows[0])
    return kept if kept.created_at >= now - KEEP_FOR else None


def _row(r: Mapping[str, object]) -> KeptAnswer:
    return KeptAnswer(
        id=str(r["id"]),
        user_id=str(r["user_id"]),
        channel_id=str(r.get("channel_id") or ""),
        direct=bool(r.get("direct")),
        visibility=str(r.get("visibility") or "asker"),
        restricted=bool(r.get("restricted")),
        question=str(r.get("question") or ""),
        payload=str(r["payload"]),
        created_at=datetime.fromisoformat(str(r["created_at"])),
    )
