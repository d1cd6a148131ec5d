"""What people said about answers: 👍 or 👎, with a note, so a clerk can see what members could not find.

Each row copies the question and the answer's citations (label, source, whether exempt) at the time,
so it outlives the kept answer it came from (:mod:`knowledge.answers.kept`). The tables come from
the store's migration 008.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

import sqlite_utils

from knowledge.models import UserError
from knowledge.store import insert_row, write_transaction
from knowledge.text import clean_text

__all__ = [
    "RATINGS",
    "Feedback",
    "add_note",
    "feedback_csv",
    "list_feedback",
    "record_feedback",
]

#: What a rating can be: the answer helped, or it did not.
RATINGS = ("good", "bad")
MAX_NOTE_CHARS = 2000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_COLUMNS = ["at", "rating", "user", "question", "note", "citations"]


@dataclass(frozen=True)
class Feedback:
    """One rating of one answer: who, when, good or bad, their note, and what the answer cited."""

    id: int
    at: datetime
    user_id: str
    rating: str
    question: str
    note: str
    citations: tuple[Mapping[str, object], ...]
    answer_id: str = ""
    channel_id: str = ""

    def cited(self) -> str:
        """The citations in one line: 'Cabinet, 15 December 2022, item 181: Budget (https://…)'."""
        out = []
        for c in self.citations:
            source = f" ({c['source']})" if c.get("source") else ""
            exempt = " [exempt]" if c.get("restricted") else ""
            out.append(f"{c.get('label', '')}{source}{exempt}")
        return "; ".join(out)


def record_feedback(
    db: sqlite_utils.Database,
    *,
    answer_id: str,
    question: str,
    citations: Sequence[Mapping[str, object]],
    user_id: str,
    rating: str,
    at: datetime,
    note: str = "",
    channel_id: str = "",
) -> int:
    """Store one rating (``good`` or ``bad``); returns its id, for the note that may follow."""
    if rating not in RATINGS:
        raise UserError(f"A rating is {' or '.join(RATINGS)}, not {rating!r}.")
    row = {
        "answer_id": answer_id,
        "question": clean_text(question),
        "citations": json.dumps([dict(c) for c in citations], ensure_ascii=False),
        "user_id": user_id,
        "channel_id": channel_id,
        "rating": rating,
        "note": _note(note),
        "at": at.isoformat(timespec="seconds"),
    }
    with write_transaction(db):
        return insert_row(db, "feedback", row)


def add_note(db: sqlite_utils.Database, feedback_id: int, user_id: str, note: str) -> bool:
    """Add what was wrong to a rating the same user gave; False when there is no such rating of theirs."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE feedback SET note = ? WHERE id = ? AND user_id = ?", [_note(note), feedback_id, user_id]
        )
        return cursor.rowcount == 1


def _note(note: str) -> str:
    text = " ".join(clean_text(note).split())
    return text if len(text) <= MAX_NOTE_CHARS else text[: MAX_NOTE_CHARS - 1] + "…"


def list_feedback(db: sqlite_utils.Database, since: date | None = None) -> list[Feedback]:
    """The feedback given on or after ``since`` (all of it when None), oldest first."""
    where, args = "", []
    if since is not None:
        where, args = "WHERE at >= ?", [datetime.combine(since, time(0)).isoformat(timespec="seconds")]
    rows = db.query(f"SELECT * FROM feedback {where} ORDER BY at, id", args)
    return [_row(r) for r in rows]


def _row(r: Mapping[str, object]) -> Feedback:
    try:
        cites = json.loads(str(r.get("citations") or "[]"))
    except json.JSONDecodeError:
        cites = []
    return Feedback(
        id=int(str(r["id"])),
        at=datetime.fromisoformat(str(r["at"])),
        user_id=str(r.get("user_id") or ""),
        rating=str(r["rating"]),
        question=str(r.get("question") or ""),
        note=str(r.get("note") or ""),
        citations=tuple(c for c in cites if isinstance(c, dict)),
        answer_id=str(r.get("answer_id") or ""),
        channel_id=str(r.get("channel_id") or ""),
    )


def _cell(text: str) -> str:
    text = clean_text(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def feedback_csv(rows: Sequence[Feedback]) -> str:
    """The feedback as CSV: a header, then a row each; no cell is ever read as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for f in rows:
        values = [f.at.isoformat(timespec="seconds"), f.rating, f.user_id, f.question, f.note, f.cited()]
        writer.writerow([_cell(v) for v in values])
    return out.getvalue()
