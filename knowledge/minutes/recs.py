"""The scrutiny recommendations tracker: recommendations in the minutes become items with a status.

:func:`sync_recommendations` brings the tracker up to date with the minutes; it is idempotent and
reads only the pages changed since it last ran. A recommendation is keyed on its page (the source's
address, else its file), its item (number, else title), its label and a hash of its text: re-ingesting
never duplicates one or loses its status, and one whose wording was corrected keeps its status.
Exempt (Part 2) items are not tracked. Officers, clerks and admins may set a status; every
change is kept in ``recommendation_updates``.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlite_utils
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from knowledge.minutes.item_store import CHANGED_PAGES, passages_json
from knowledge.models import Citation, UserError
from knowledge.plans.status import PermissionDenied
from knowledge.store import column_int, write_transaction
from knowledge.text import clean_text, fold

__all__ = [
    "OPEN_STATUSES",
    "RESPONSE_MONTHS",
    "STATUSES",
    "Recommendation",
    "SyncResult",
    "find_recommendation",
    "list_recommendations",
    "open_recommendations",
    "read_rec_status",
    "set_rec_status",
    "sync_recommendations",
]

STATUSES = ("awaiting response", "accepted", "partly accepted", "rejected", "implemented")
#: Statuses of a recommendation still to be carried out.
OPEN_STATUSES = ("awaiting response", "accepted", "partly accepted")
#: Months the executive has to respond before a recommendation is flagged.
RESPONSE_MONTHS = 2
_RANKS = ("member", "officer", "clerk", "admin")
_STATUS_WORDS = {
    "awaiting": "awaiting response", "awaiting response": "awaiting response", "pending": "awaiting response",
    "no response": "awaiting response", "open": "awaiting response",
    "accept": "accepted", "accepted": "accepted", "agreed": "accepted",
    "partly": "partly accepted", "partly accepted": "partly accepted", "partially accepted": "partly accepted",
    "partial": "partly accepted", "part accepted": "partly accepted", "partially": "partly accepted",
    "reject": "rejected", "rejected": "rejected", "declined": "rejected", "not accepted": "rejected",
    "implemented": "implemented", "implement": "implemented", "done": "implemented", "complete": "implemented",
    "completed": "implemented",
}  # fmt: skip


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Recommendation:
    """One tracked recommendation: where it was made, its words, and the executive's response."""

    id: int
    council: str | None
    body: str | None
    meeting_date: date | None
    item: str | None
    title: str
    label: str
    text: str
    url: str
    status: str
    response: str = ""
    response_date: date | None = None

    @property
    def ref(self) -> str:
        """How users name it in commands: "R3"."""
        return f"R{self.id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def response_overdue(self, today: date) -> bool:
        """Still awaiting a response two months after the meeting that made it."""
        due = _add_months(self.meeting_date, RESPONSE_MONTHS) if self.meeting_date else None
        return self.status == "awaiting response" and due is not None and today > due

    def citation(self) -> Citation:
        """Where it was made, quoting it."""
        title = self.title + (f" (recommendation {self.label})" if self.label else "")
        return Citation(
            self.council, self.body, self.meeting_date, self.item, title, self.url, quote=self.text
        )


@dataclass(frozen=True)
class SyncResult:
    """What a sync did: recommendations added, re-worded and no longer in the minutes."""

    added: int
    reworded: int
    missing: int


def _rec(row: dict[str, object]) -> Recommendation:
    def day(key: str) -> date | None:
        return date.fromisoformat(str(row[key])) if row.get(key) else None

    return Recommendation(
        id=column_int(row["id"]),
        council=str(row["council"]) if row.get("council") else None,
        body=str(row["body"]) if row.get("body") else None,
        meeting_date=day("meeting_date"),
        item=str(row["item"]) if row.get("item") else None,
        title=str(row.get("title") or ""),
        label=str(row.get("label") or ""),
        text=str(row.get("text") or ""),
        url=str(row.get("url") or ""),
        status=str(row["status"]),
        response=str(row.get("response") or ""),
        response_date=day("response_date"),
    )


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p or "") for p in parts).encode("utf-8")).hexdigest()[:20]


_FIELDS = ("council", "body", "meeting_date", "item", "title", "url", "missing")


def sync_recommendations(db: sqlite_utils.Database) -> SyncResult:
    """Track every recommendation in the minutes (one transaction); statuses are never lost.

    Only the pages changed since the last sync are read (``changed_pages``, noted by every store
    and removal of a page's items): a recommendation they no longer hold is marked missing, one
    whose words were corrected keeps its status, and one another page already tracks (the same
    words, body and meeting) is not tracked twice.
    """
    added = reworded = 0
    if db.execute(f"SELECT 1 FROM {CHANGED_PAGES} LIMIT 1").fetchone() is None:
        return SyncResult(0, 0, 0)  # nothing changed: no write lock taken
    changed = f"(SELECT page FROM {CHANGED_PAGES})"
    with write_transaction(db):  # the write lock first: another ingest may be committing
        where = (f"FROM sources s JOIN item_rows i ON i.source_id = s.id WHERE coalesce(s.url, s.key) IN {changed} "
                 "AND i.n_recommendations > 0 AND NOT i.restricted")  # fmt: skip
        cols = ("id", "key", "slot", *_FIELDS)
        known = {r[1]: dict(zip(cols, r, strict=True)) for r in db.execute(
            f"SELECT {', '.join(cols)} FROM recommendations WHERE source_key IN {changed}")}  # fmt: skip
        by_slot: dict[str, list[int]] = {}
        for r in known.values():
            by_slot.setdefault(str(r["slot"]), []).append(int(r["id"]))
        # one recommendation published on two pages: tracked once, where another page tracks it already
        days = [d for (d,) in db.execute(f"SELECT DISTINCT i.meeting_date {where}") if d]
        same_words = {(b, d, fold(" ".join(str(t).split()))) for b, d, t in db.execute(
            f"SELECT body, meeting_date, text FROM recommendations WHERE NOT missing AND source_key NOT IN {changed} "
            "AND meeting_date IN (SELECT value FROM json_each(?))", [json.dumps(days)])}  # fmt: skip
        seen: set[int] = set()
        inserts: list[dict[str, object]] = []
        names = ("council", "body", "meeting_date", "item", "title", "url", "passages", "page")
        rows = db.execute(f"SELECT i.council, i.body, i.meeting_date, i.item, i.title, i.url, i.passages, "
                          f"coalesce(s.url, s.key) {where} ORDER BY i.meeting_date IS NULL, i.meeting_date, i.id")  # fmt: skip
        for row in rows:  # streamed: a first sync reads every page's recommendations
            item = dict(zip(names, row, strict=True))
            for kind, label, text in json.loads(passages_json(item["passages"]) or "[]"):
                if kind != "recommendation":
                    continue
                words = fold(" ".join(text.split()))
                twin = (item["body"], item["meeting_date"], words)
                if twin in same_words:
                    continue
                same_words.add(twin)
                slot = _hash(item["page"], item["item"] or fold(str(item["title"] or "")), label)
                key = _hash(slot, words)
                fields = {"council": item["council"], "body": item["body"], "meeting_date": item["meeting_date"],
                          "item": item["item"], "title": item["title"], "url": item["url"] or item["page"],
                          "missing": 0}  # fmt: skip
                if key in known:
                    had = known[key]
                    rid = int(had["id"])
                    if any(had[f] != fields[f] for f in _FIELDS):
                        _update(db, rid, fields)
                else:
                    spare = [i for i in by_slot.get(slot, []) if i not in seen]
                    if spare:
                        rid = spare[0]
                        _update(db, rid, {**fields, "key": key, "text": text, "label": label})
                        reworded += 1
                    else:
                        inserts.append({**fields, "key": key, "slot": slot, "source_key": item["page"], "label": label,
                                        "text": text, "status": "awaiting response"})  # fmt: skip
                        added += 1
                        if len(inserts) >= 500:
                            _insert(db, inserts)
                        continue
                seen.add(rid)
        _insert(db, inserts)
        gone = [int(r["id"]) for r in known.values() if int(r["id"]) not in seen]
        db.conn.executemany("UPDATE recommendations SET missing = 1 WHERE id = ? AND NOT missing", [(i,) for i in gone])
        db.execute(f"DELETE FROM {CHANGED_PAGES}")
    return SyncResult(added, reworded, len(gone))


def _insert(db: sqlite_utils.Database, rows: list[dict[str, object]]) -> None:
    """Insert new recommendations (all with the same fields), and empty the list."""
    if rows:
        names = list(rows[0])
        db.conn.executemany(f"INSERT INTO recommendations ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                            [[r[n] for n in names] for r in rows])  # fmt: skip
        rows.clear()


def _update(db: sqlite_utils.Database, rid: int, fields: dict[str, object]) -> None:
    db.execute(
        f"UPDATE recommendations SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
        [*fields.values(), rid],
    )


def list_recommendations(
    db: sqlite_utils.Database, statuses: tuple[str, ...] = STATUSES
) -> list[Recommendation]:
    """Tracked recommendations with one of ``statuses``, oldest meeting first."""
    marks = ",".join("?" * len(statuses))
    rows = db.query(f"SELECT * FROM recommendations WHERE NOT missing AND status IN ({marks}) "
                    "ORDER BY meeting_date IS NULL, meeting_date, id", list(statuses))  # fmt: skip
    return [_rec(r) for r in rows]


def open_recommendations(db: sqlite_utils.Database, today: date) -> list[Recommendation]:
    """Recommendations not yet implemented or rejected; those with no response after two months first."""
    recs = list_recommendations(db, OPEN_STATUSES)
    return sorted(recs, key=lambda r: not r.response_overdue(today))


def find_recommendation(db: sqlite_utils.Database, ref: str | int) -> Recommendation:
    """The recommendation ``ref`` names: "R3", "#3" or 3."""
    m = re.fullmatch(r"\s*(?:r|rec|#)?\s*([0-9]+)\s*", str(ref), re.I)
    row = db.execute("SELECT id FROM recommendations WHERE id = ?", [int(m[1])]).fetchone() if m else None
    if row is None:
        raise UserError(
            f"I track no recommendation {ref}. `recs` lists them with their references (R1, R2, …)."
        )
    return _rec(db.table("recommendations").get(row[0]))


def read_rec_status(text: str) -> tuple[str, str]:
    """Split "partly accepted Cabinet agreed (a) only" into a status and the rest, read loosely."""
    words = text.split()
    for n in (2, 1):
        head = " ".join(w.strip(".,:;") for w in words[:n]).casefold().replace("-", " ").replace("_", " ")
        if len(words) >= n and head in _STATUS_WORDS:
            return _STATUS_WORDS[head], " ".join(words[n:])
    if words:
        hit = process.extractOne(words[0], list(_STATUS_WORDS), scorer=fuzz.ratio, processor=default_process,
                                 score_cutoff=80)  # fmt: skip
        if hit:
            return _STATUS_WORDS[hit[0]], " ".join(words[1:])
    raise UserError(
        f"Say the status: one of {', '.join(STATUSES)}. For example: rec R3 accepted Cabinet agreed it"
    )


def set_rec_status(
    db: sqlite_utils.Database,
    rec_id: int | str,
    status: str,
    response: str = "",
    *,
    user_id: str,
    role: str,
    now: datetime,
    user_name: str = "",
    response_date: date | None = None,
) -> Recommendation:
    """Record the executive's response to a recommendation (officers, clerks and admins)."""
    if (_RANKS.index(role) if role in _RANKS else 0) < 1:
        raise PermissionDenied("Sorry, only officers, clerks and admins may record the response to a "
                               "recommendation, and I have you down as a member. `recs` shows where each one stands.")  # fmt: skip
    rec = find_recommendation(db, rec_id)
    new = _STATUS_WORDS.get(status.strip().casefold().replace("-", " "), status.strip().casefold())
    if new not in STATUSES:
        raise UserError(f"“{status}” is not a status. Use one of: {', '.join(STATUSES)}.")
    response = " ".join(word for word in map(clean_text, response.split()) if word)  # no control characters
    stamp = now.isoformat(timespec="seconds")
    answered = response_date or (now.date() if response or new != "awaiting response" else None)
    with db.atomic():
        db.table("recommendation_updates").insert({"rec_id": rec.id, "at": stamp, "by": user_id, "by_name": user_name,
                                                   "previous_status": rec.status, "new_status": new, "response": response})  # fmt: skip
        changes: dict[str, object] = {"status": new, "updated_at": stamp, "updated_by": user_name or user_id}
        if response:
            changes["response"] = response
        if answered:
            changes["response_date"] = answered.isoformat()
        db.table("recommendations").update(rec.id, changes)
    return find_recommendation(db, rec.id)
