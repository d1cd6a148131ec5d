"""Reminders clerks set themselves: one-off or repeating, to a channel or a person.

They live in the ``reminders`` table (migration 005); :mod:`knowledge.calendar.reminders` turns them into
occurrences alongside the meeting, deadline and action reminders. Adding and cancelling are for
clerks and admins: the role is checked here, in the core, whichever transport asked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from knowledge.addresses import entra_object_id, teams_conversation_id
from knowledge.calendar.recurrence import DEFAULT_SEND_TIME, Schedule, last_day_sent_by, read_when
from knowledge.models import UserError

__all__ = [
    "CLERK_ROLES",
    "CustomReminder",
    "Draft",
    "NotAllowed",
    "active_reminders",
    "add_reminder",
    "cancel_reminder",
    "describe_target",
    "read_reminder",
    "read_target",
    "require_clerk",
]

#: The roles that may set and cancel reminders.
CLERK_ROLES = frozenset({"clerk", "admin"})
MAX_TEXT = 2000

_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{6,}")
_USER_ID = re.compile(r"[UW][A-Z0-9]{6,}")
_SLACK_LINK = re.compile(r"<([#@])([A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL_NAME = re.compile(r"#[a-z0-9][a-z0-9._-]{0,79}")
_USAGE = "remind add WHEN TO TEXT, e.g. remind add every monday 09:00 #scrutiny Check the forward plan"


class NotAllowed(UserError):
    """Somebody asked for something their role does not allow."""


def require_clerk(role: str, what: str) -> None:
    """Raise :class:`NotAllowed` unless ``role`` is a clerk's or an admin's."""
    if role not in CLERK_ROLES:
        article = "an" if role[:1] in "aeiou" else "a"
        raise NotAllowed(f"Only clerks and admins can {what}; I have you down as {article} {role}.")


@dataclass(frozen=True)
class CustomReminder:
    """A reminder a clerk set: what to say, to whom, and when."""

    id: int
    to: str  # a channel id (C..., or Teams 19:...), a channel name (#name) or a user id (U..., or Entra)
    text: str
    schedule: Schedule
    created_by: str
    created_at: datetime
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None

    @property
    def key(self) -> str:
        """The reminder key its occurrences are logged under."""
        return f"custom:{self.id}"

    def describe(self) -> str:
        """'#3 every Monday at 09:00 to #scrutiny: Check the forward plan'."""
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"#{self.id} {self.schedule.describe()} to {describe_target(self.to)}: {text}"


@dataclass(frozen=True)
class Draft:
    """A reminder read from the words of ``remind add``, not yet stored."""

    schedule: Schedule
    to: str
    text: str


def describe_target(to: str) -> str:
    """A target in words: '#C0123ABCD', '#scrutiny' or '@U0123ABCD' (a person by Entra object id too)."""
    person = _USER_ID.fullmatch(to) or entra_object_id(to)
    return to if to.startswith("#") else f"@{to}" if person else f"#{to}"


def read_target(word: str, *, user_id: str, names: Mapping[str, str] | None = None) -> str | None:
    """Where a reminder goes, from one word: ``me``, ``@U123``, ``@name``, ``#C123``, ``C123`` or ``#name``;
    in Teams a conversation id (``19:...@thread.tacv2``) or a person's Entra object id.

    None when the word is not a target at all; :class:`UserError` for ``@someone`` unknown.
    """
    w = word.strip().rstrip(",:")
    link = _SLACK_LINK.fullmatch(w)
    if link:
        return link.group(2)
    if w.lower() in ("me", "@me", "myself"):
        return user_id
    bare = w.lstrip("#@")
    teams = teams_conversation_id(bare) or entra_object_id(bare)
    if teams:
        return teams
    if _CHANNEL_ID.fullmatch(bare) and not w.startswith("@"):
        return bare
    if _USER_ID.fullmatch(bare) and not w.startswith("#"):
        return bare
    if w.startswith("#") and _CHANNEL_NAME.fullmatch(w.lower()):
        return w.lower()
    if w.startswith("@") and len(w) > 1:
        wanted = bare.casefold().replace(".", " ").replace("_", " ")
        found = [
            uid
            for uid, name in (names or {}).items()
            if wanted in (name.casefold(), name.casefold().split()[0] if name.split() else "")
        ]
        if len(found) == 1:
            return found[0]
        raise UserError(
            f"I don't know who {w} is"
            + (" (more than one person has that name)" if found else "")
            + ": give their Slack id, like @U0123ABCD, or say me."
        )
    return None


def read_reminder(
    text: str,
    *,
    now: datetime,
    user_id: str,
    names: Mapping[str, str] | None = None,
    default_time: time = DEFAULT_SEND_TIME,
) -> Draft:
    """Read "WHEN [to] TO TEXT": the words before the first target say when, the words after it what."""
    words = text.split()
    for i, word in enumerate(words):
        target = read_target(word, user_id=user_id, names=names)
        if target is None:
            continue
        when = words[:i]
        if when and when[-1].lower() == "to":
            when = when[:-1]
        message = " ".join(words[i + 1 :]).strip()
        if not when:
            raise UserError(f"When should I send it? Usage: {_USAGE}")
        if not message:
            raise UserError(f"What should the reminder say? Usage: {_USAGE}")
        if len(message) > MAX_TEXT:
            raise UserError(f"That reminder is {len(message)} characters long; keep it under {MAX_TEXT}.")
        schedule = read_when(" ".join(when), now=now, default_time=default_time)
        return Draft(schedule, target, message)
    raise UserError(
        f"Who should get it? Give a channel (#scrutiny or C0123ABCD), a person (@U0123ABCD) or me. "
        f"Usage: {_USAGE}"
    )


# --- the table ---------------------------------------------------------------------------------


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds")


_COLUMNS = "id, target, text, start_date, at_time, repeat, created_by, created_at, cancelled_at, cancelled_by"


def _from_row(row: Sequence[Any]) -> CustomReminder:
    rid, target, text, start, at, repeat, by, created, cancelled, cancelled_by = row
    return CustomReminder(
        id=int(rid),
        to=str(target),
        text=str(text),
        schedule=Schedule(date.fromisoformat(start), time.fromisoformat(at), str(repeat or "")),
        created_by=str(by or ""),
        created_at=datetime.fromisoformat(created),
        cancelled_at=datetime.fromisoformat(cancelled) if cancelled else None,
        cancelled_by=cancelled_by,
    )


def _get(db: Any, reminder_id: int) -> CustomReminder | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM reminders WHERE id = ?", [reminder_id]).fetchone()
    return _from_row(row) if row else None


def add_reminder(
    db: Any,
    text: str,
    *,
    user_id: str,
    role: str,
    now: datetime,
    names: Mapping[str, str] | None = None,
    default_time: time = DEFAULT_SEND_TIME,
) -> CustomReminder:
    """Store the reminder "WHEN TO TEXT" set by a clerk; returns it with its id.

    Setting the same reminder again (same words, target and times, not cancelled) returns the one
    already set rather than a second copy.
    """
    require_clerk(role, "set reminders")
    draft = read_reminder(text, now=now, user_id=user_id, names=names, default_time=default_time)
    for existing in active_reminders(db):
        if (existing.to, existing.text, existing.schedule) == (draft.to, draft.text, draft.schedule):
            return existing
    with db.conn:
        cursor = db.execute(
            "INSERT INTO reminders (target, text, start_date, at_time, repeat, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                draft.to,
                draft.text,
                draft.schedule.start.isoformat(),
                f"{draft.schedule.at:%H:%M}",
                draft.schedule.repeat,
                user_id,
                _iso(now),
            ],
        )
    found = _get(db, int(cursor.lastrowid))
    assert found is not None
    return found


def cancel_reminder(
    db: Any, reminder_id: str | int, *, user_id: str, role: str, now: datetime
) -> CustomReminder:
    """Cancel a reminder by its number; raises :class:`UserError` when there is none to cancel."""
    require_clerk(role, "cancel reminders")
    text = str(reminder_id).strip().lstrip("#")
    if not text.isdigit():
        raise UserError(f"Give the reminder's number, as remind list shows it (like 3), not {text!r}.")
    found = _get(db, int(text))
    if found is None:
        raise UserError(f"There is no reminder #{text}; remind list shows them.")
    if found.cancelled_at is not None:
        raise UserError(f"Reminder #{text} was already cancelled on {found.cancelled_at:%Y-%m-%d}.")
    with db.conn:
        db.execute(
            "UPDATE reminders SET cancelled_at = ?, cancelled_by = ? WHERE id = ?",
            [_iso(now), user_id, found.id],
        )
    return _get(db, found.id) or found


def active_reminders(db: Any, *, first: date | None = None, last: date | None = None) -> list[CustomReminder]:
    """Reminders not cancelled, oldest first; with ``first`` and ``last``, only those that may send
    between those days (a reminder meant for a day off goes on the working day before)."""
    if first is None or last is None:
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM reminders WHERE cancelled_at IS NULL ORDER BY id"
        ).fetchall()
        return [_from_row(r) for r in rows]
    end = last_day_sent_by(last)
    days = [first + timedelta(days=n) for n in range((end - first).days + 1)]
    args: list[object] = [end.isoformat(), first.isoformat()]
    weekly = "1 = 1"
    if len(days) < 7:
        weekdays = sorted({str((d.weekday() + 1) % 7) for d in days})  # SQLite counts from Sunday
        weekly = f"strftime('%w', start_date) IN ({', '.join('?' for _ in weekdays)})"
        args += weekdays
    monthly = "1 = 1"
    if len(days) < 28:
        doms = sorted({d.day for d in days})
        month_ends = [d.day for d in days if (d + timedelta(days=1)).day == 1]  # the 31st goes on the 30th
        monthly = f"CAST(strftime('%d', start_date) AS INTEGER) IN ({', '.join('?' for _ in doms)})"
        args += doms
        if month_ends:
            monthly = f"({monthly} OR CAST(strftime('%d', start_date) AS INTEGER) >= ?)"
            args.append(min(month_ends))
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM reminders WHERE cancelled_at IS NULL AND start_date <= ? AND ("
        "(coalesce(repeat, '') = '' AND start_date >= ?) OR repeat IN ('daily', 'working-days') "
        f"OR (repeat = 'weekly' AND {weekly}) OR (repeat = 'monthly' AND {monthly})) ORDER BY id",
        args,
    ).fetchall()
    return [_from_row(r) for r in rows]
