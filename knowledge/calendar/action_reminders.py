"""Reminders to plan action owners: before an action falls due, and once it is overdue.

Used only when an ``actions`` table with ``due`` and ``owner`` columns exists (improvement plans,
migration 004). Owners are named in plans as people or posts ("Director of Children's Services");
the settings map those names to user ids, and an action whose owner maps to nobody is skipped.
Actions rated complete are never chased.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from knowledge.calendar.deadlines import add_working_days
from knowledge.calendar.recurrence import LONDON, local_datetime, send_at
from knowledge.calendar.reminder_texts import action_text
from knowledge.calendar.reminder_values import Occurrence, ReminderSettings

__all__ = ["OVERDUE_USEFUL_DAYS", "action_occurrences"]

#: An overdue message missed while the bot was down is still sent within this many days.
OVERDUE_USEFUL_DAYS = 7
_COMPLETE = re.compile(r"\b(complete|completed|done|closed|achieved|delivered|finished|blue)\b", re.I)


def _columns(db: Any, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})").fetchall()}


def _complete_names(rating_key: str | None) -> set[str] | None:
    """Names of the ratings that mean done in a plan's stored rating key; None when it has no key."""
    if not rating_key:
        return None
    try:
        ratings = json.loads(rating_key)
        return {str(r["name"]).casefold() for r in ratings if r.get("complete")}
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _is_complete(rating: str | None, rating_key: str | None) -> bool:
    if not rating:
        return False
    names = _complete_names(rating_key)
    if names is not None:
        return rating.strip().casefold() in names
    return _COMPLETE.search(rating) is not None


def _rows(db: Any, first: date, last: date) -> list[dict[str, Any]]:
    if "actions" not in db.table_names():
        return []
    cols = _columns(db, "actions")
    if not {"id", "due", "owner"} <= cols:
        return []
    pick = ["a.id", "a.due", "a.owner"] + [f"a.{c}" for c in ("ref", "action", "rating") if c in cols]
    join = ""
    if "plan_id" in cols and "plans" in db.table_names() and {"id", "name"} <= _columns(db, "plans"):
        key = "p.rating_key" if "rating_key" in _columns(db, "plans") else "NULL"
        pick += ["p.name AS plan", f"{key} AS rating_key"]
        join = "LEFT JOIN plans p ON p.id = a.plan_id"
    sql = (
        f"SELECT {', '.join(pick)} FROM actions a {join} WHERE a.due >= ? AND a.due <= ? ORDER BY a.due, a.id"
    )
    cursor = db.execute(sql, [first.isoformat(), last.isoformat()])
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def action_occurrences(
    db: Any, start: datetime, end: datetime, settings: ReminderSettings, *, floor: date | None = None
) -> list[Occurrence]:
    """Owners' messages due in ``[start, end)``: N working days before an action is due, and the
    working day after its due date if it is not rated complete by then. ``floor`` skips actions due
    so long before it that no message about them can still be useful then."""
    n = settings.action_working_days
    first = max(start.astimezone(LONDON).date(), floor or date.min) - timedelta(days=OVERDUE_USEFUL_DAYS + 14)
    last = end.astimezone(LONDON).date() + timedelta(days=2 * n + 14)
    out: list[Occurrence] = []
    for row in _rows(db, first, last):
        owner = settings.owner_id(row.get("owner"))
        if owner is None or _is_complete(row.get("rating"), row.get("rating_key")):
            continue
        try:
            due = date.fromisoformat(str(row["due"])[:10])
        except ValueError:
            continue
        end_of_due_day = local_datetime(due + timedelta(days=1), time(0))
        overdue_day = add_working_days(due, 1)
        steps = [
            (
                "overdue",
                overdue_day,
                local_datetime(overdue_day + timedelta(days=OVERDUE_USEFUL_DAYS), time(0)),
            ),
        ]
        if n > 0:
            steps.append(("before", add_working_days(due, -n), end_of_due_day))
        for label, day, useful in steps:
            at = send_at(day, settings.send_time)
            if start <= at < end:
                text = action_text(row, due, overdue=label == "overdue", working_days=n)
                key = f"action:{row['id']}:{label}:{owner}"
                out.append(Occurrence(key, at, owner, "action", text, useful, f"action:{row['id']}:{owner}"))
    return out
