"""Reminders: what is due when, derived afresh from the meetings, deadlines, plan actions and clerks' reminders.

Nothing here is a stored copy of a meeting: every call reads the current meetings table, so a
cancelled meeting's reminders vanish and a moved meeting's follow it. Each occurrence has a key
and a due time; before one is sent it is claimed in the send log (``INSERT OR IGNORE`` on
transport, key and due time), so a restart, a repeated tick or a second bot process never sends
it twice. After downtime a missed occurrence is sent late once if still useful (before its
meeting, deadline or day is over) and otherwise dropped and logged. Time is always an argument.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from knowledge.calendar.action_reminders import action_occurrences
from knowledge.calendar.custom_reminders import CLERK_ROLES, active_reminders
from knowledge.calendar.deadlines import Deadline, add_working_days, compute_deadlines
from knowledge.calendar.meetings import Meeting, body_key, list_meetings
from knowledge.calendar.recurrence import LONDON, fmt_when, local_datetime, working_day_on_or_before
from knowledge.calendar.reminder_texts import agenda_for, custom_text, deadline_text, meeting_text
from knowledge.calendar.reminder_values import KINDS, BodyReminders, Occurrence, ReminderSettings

__all__ = [
    "DEFAULT_LOOKBACK",
    "KINDS",
    "BodyReminders",
    "Occurrence",
    "ReminderSettings",
    "claim",
    "due",
    "occurrences",
    "record",
    "send_log",
    "visible_to",
]

log = logging.getLogger(__name__)

#: How far back a tick looks for occurrences it missed (while the bot was down).
DEFAULT_LOOKBACK = timedelta(days=14)
_OVERLAP = timedelta(minutes=5)  # ticks look back this far past the last one, in case clocks differ


# --- occurrences -------------------------------------------------------------------------------


def _check_aware(*times: datetime) -> None:
    for t in times:
        if t.tzinfo is None or t.utcoffset() is None:
            raise ValueError(f"{t!r} has no time zone: pass aware datetimes")


def _meeting_start(m: Meeting) -> datetime:
    """When the meeting begins; midnight at the start of its day when its time is not known."""
    return local_datetime(m.date, time.fromisoformat(m.time) if m.time else time(0))


@lru_cache(maxsize=65536)
def _working_days_from(day: date, n: int) -> date:
    return add_working_days(day, n)


def _send_at(day: date, at: time) -> datetime:
    return local_datetime(working_day_on_or_before(day), at)


@lru_cache(maxsize=16384)
def _deadlines(
    body: str, day: date, rules: tuple[tuple[str, tuple[tuple[str, object], ...]], ...]
) -> tuple[Deadline, ...]:
    """compute_deadlines, remembered: a tick asks about the same meetings every minute."""
    return tuple(compute_deadlines(body, day, {b: dict(s) for b, s in rules} or None))


def _rules_key(settings: ReminderSettings) -> tuple[tuple[str, tuple[tuple[str, object], ...]], ...]:
    return tuple(sorted((b, tuple(sorted(s.items()))) for b, s in (settings.deadline_rules or {}).items()))


def _meeting_reminders(
    meetings: Iterable[Meeting], start: datetime, end: datetime, settings: ReminderSettings
) -> list[tuple[Meeting, str, datetime]]:
    out: list[tuple[Meeting, str, datetime]] = []
    for m in meetings:
        body = settings.for_body(m.body)
        if not body.channel:
            continue
        begins = _meeting_start(m)
        offsets = [(f"{d}d", m.date - timedelta(days=d)) for d in body.days]
        offsets += [(f"{w}wd", _working_days_from(m.date, -w)) for w in body.working_days]
        seen: set[datetime] = set()
        for label, day in offsets:
            at = _send_at(day, settings.send_time)
            if start <= at < end and at < begins and at not in seen:
                seen.add(at)
                out.append((m, label, at))
    return out


def _deadline_occurrences(
    meetings: Iterable[Meeting], start: datetime, end: datetime, floor: date, settings: ReminderSettings
) -> list[Occurrence]:
    """Clerks' messages due in ``[start, end)`` about deadlines on or after ``floor``."""
    out: list[Occurrence] = []
    n = settings.deadline_working_days
    rules = _rules_key(settings)
    last = end.astimezone(LONDON).date() + timedelta(days=2 * n + 10)  # a deadline later is told later
    for m in meetings:
        clerks = settings.clerks_for(m.body)
        if not clerks:
            continue
        for d in _deadlines(m.body, m.date, rules):
            if not floor <= d.date <= last:
                continue
            useful = local_datetime(d.date + timedelta(days=1), time(0))
            steps = [("day", d.date)] + ([(f"{n}wd", _working_days_from(d.date, -n))] if n > 0 else [])
            seen: set[datetime] = set()
            for label, day in steps:  # "on the day" first: it wins when both fall on one day
                at = _send_at(day, settings.send_time)
                if not (start <= at < end) or at in seen:
                    continue
                seen.add(at)
                text = deadline_text(m, d, days_before=0 if label == "day" else n, sent_on=at.date())
                for clerk in clerks:
                    key = f"deadline:{m.uid}:{d.kind}:{label}:{clerk}"
                    subject = f"deadline:{m.uid}:{d.kind}:{clerk}"
                    out.append(Occurrence(key, at, clerk, "deadline", text, useful, subject))
    return out


def occurrences(
    db: Any,
    start: datetime,
    end: datetime,
    settings: ReminderSettings,
    *,
    useful_at: datetime | None = None,
    due_from: datetime | None = None,
) -> list[Occurrence]:
    """Every occurrence due in ``[start, end)``, in time order, from the tables as they are now.

    Cancelled and postponed meetings give none. Meeting reminders go to the body's channel at the
    send time on the configured days before; clerks hear of each deadline a few working days
    before and on the day; action owners before an action falls due and once it is overdue (when
    plans exist); clerks' own reminders as they were set.

    With ``useful_at``, only the occurrences still useful then, and those due from ``due_from`` on:
    what a tick needs, found without working through the whole window.
    """
    _check_aware(start, *(t for t in (useful_at, due_from) if t is not None))
    _check_aware(end)
    first, last = start.astimezone(LONDON).date(), end.astimezone(LONDON).date()
    floor = first
    if useful_at is not None:
        cut = min(useful_at, due_from or useful_at)
        floor = max(first, cut.astimezone(LONDON).date())
    ahead, before, after = settings.reach()
    meetings = [
        m
        for m in list_meetings(
            db, date_from=floor - timedelta(days=after), date_to=last + timedelta(days=max(ahead, before))
        )
        if not m.is_off
    ]
    found: list[Occurrence] = []
    reminders = _meeting_reminders(
        [m for m in meetings if floor <= m.date <= last + timedelta(days=ahead)], start, end, settings
    )
    agendas = agenda_for(db, {(m.body, m.date) for m, _, _ in reminders})
    for m, label, at in reminders:
        text = meeting_text(m, agendas.get((body_key(m.body), m.date), []))
        to = str(settings.for_body(m.body).channel)
        key, subject = f"meeting:{m.uid}:{label}", f"meeting:{m.uid}"
        found.append(Occurrence(key, at, to, "meeting", text, _meeting_start(m), subject))
    found += _deadline_occurrences(meetings, start, end, floor, settings)
    found += action_occurrences(db, start, end, settings, floor=floor)
    custom_from = start if useful_at is None else max(start, local_datetime(floor, time(0)))
    for r in active_reminders(db, first=custom_from.astimezone(LONDON).date(), last=last):
        times = r.schedule.due_times(max(custom_from, r.created_at), end)
        text = custom_text(r) if times else ""
        for at in times:
            useful = local_datetime(at.astimezone(LONDON).date() + timedelta(days=1), time(0))
            found.append(Occurrence(r.key, at, r.to, "custom", text, useful, r.key))
    if useful_at is not None:
        found = [
            o for o in found if o.useful_until > useful_at or (due_from is not None and o.due_at >= due_from)
        ]
    unique = {(o.reminder_key, o.due_at): o for o in found}
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(unique.values(), key=lambda o: (o.due_at, order[o.kind], o.to, o.reminder_key))


def visible_to(found: Iterable[Occurrence], user_id: str, role: str) -> list[Occurrence]:
    """What somebody may see of ``found``: everything for clerks and admins, else meeting reminders
    and their own."""
    if role in CLERK_ROLES:
        return list(found)
    return [o for o in found if o.kind == "meeting" or o.to == user_id]


# --- the send log ------------------------------------------------------------------------------


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds")


def _state(db: Any, name: str) -> datetime | None:
    row = db.execute("SELECT value FROM reminder_state WHERE name = ?", [name]).fetchone()
    return datetime.fromisoformat(row[0]) if row else None


def _window(db: Any, now: datetime, lookback: timedelta, transport: str) -> tuple[datetime, datetime]:
    """Where a tick looks: from ``since`` for what is still useful, and from ``recent`` for what fell
    due since the last tick (so what was missed and is useless now is logged once).

    ``since`` is ``lookback`` ago, but never before the local day of the first tick on this
    database, so a new installation does not send a backlog.
    """
    first_day = local_datetime(now.astimezone(LONDON).date(), time(0))
    first_tick = _state(db, f"first_tick:{transport}")
    if first_tick is None:
        with db.conn:
            db.execute(
                "INSERT OR IGNORE INTO reminder_state (name, value) VALUES (?, ?)",
                [f"first_tick:{transport}", _stamp(first_day)],
            )
        first_tick = _state(db, f"first_tick:{transport}") or first_day
    since = max(now - lookback, first_tick)
    checked = _state(db, f"checked:{transport}")
    recent = since if checked is None else min(max(since, checked - _OVERLAP), now)
    return since, recent


def _checked(db: Any, now: datetime, transport: str) -> None:
    """Remember that everything due by ``now`` has been looked at (the latest time wins). Written only
    when it moves on by the overlap, so most ticks write nothing."""
    name = f"checked:{transport}"
    checked = _state(db, name)
    if checked is not None and now - checked < _OVERLAP:
        return
    with db.conn:
        db.execute(
            "INSERT INTO reminder_state (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)",
            [name, _stamp(now)],
        )


def _logged(db: Any, transport: str, found: list[Occurrence]) -> set[tuple[str, str]]:
    """Which of ``found`` the send log already holds, by (key, due time)."""
    pairs = sorted({(o.reminder_key, _stamp(o.due_at)) for o in found})
    logged: set[tuple[str, str]] = set()
    for i in range(0, len(pairs), 400):
        chunk = pairs[i : i + 400]
        rows = db.execute(  # driven from the wanted pairs, each a lookup in the primary key
            f"WITH w(k, t) AS (VALUES {', '.join('(?, ?)' for _ in chunk)}) SELECT s.reminder_key, s.due_at "
            "FROM w JOIN send_log s ON s.transport = ? AND s.reminder_key = w.k AND s.due_at = w.t",
            [*(v for pair in chunk for v in pair), transport],
        ).fetchall()
        logged.update((k, t) for k, t in rows)
    return logged


def _skip(db: Any, found: list[Occurrence], status: str, now: datetime, transport: str) -> list[Occurrence]:
    """Log occurrences that will not be sent; returns those this call logged first."""
    logged: list[Occurrence] = []
    with db.conn:
        for o in found:
            cursor = db.execute(
                "INSERT OR IGNORE INTO send_log (transport, reminder_key, due_at, status, claimed_at, "
                "recipient, kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [transport, o.reminder_key, _stamp(o.due_at), status, _stamp(now), o.to, o.kind],
            )
            if cursor.rowcount == 1:
                logged.append(o)
    return logged


def due(
    db: Any,
    now: datetime,
    settings: ReminderSettings,
    lookback: timedelta = DEFAULT_LOOKBACK,
    *,
    transport: str = "",
) -> list[Occurrence]:
    """Occurrences to send at ``now``: due by now, not in the send log, still useful; oldest first.

    Missed occurrences no longer useful are logged as "dropped" (and to the log); of several missed
    occurrences of one subject only the latest is returned, the rest logged as "superseded".
    """
    _check_aware(now)
    since, recent = _window(db, now, lookback, transport)
    found = _tick_occurrences(db, now, since, recent, settings, transport)
    logged = _logged(db, transport, found)
    fresh = [o for o in found if (o.reminder_key, _stamp(o.due_at)) not in logged]
    useful = [o for o in fresh if o.useful_until > now]
    for o in _skip(db, [o for o in fresh if o.useful_until <= now], "dropped", now, transport):
        log.warning(
            "dropped the %s reminder %s due %s to %s: missed, and no longer useful after %s",
            o.kind, o.reminder_key, fmt_when(o.due_at), o.to, fmt_when(o.useful_until),
        )  # fmt: skip
    latest: dict[str, Occurrence] = {}
    for o in useful:
        kept = latest.get(o.subject or o.reminder_key)
        if kept is None or o.due_at > kept.due_at:
            latest[o.subject or o.reminder_key] = o
    keep = sorted(latest.values(), key=lambda o: o.due_at)
    for o in _skip(db, [o for o in useful if o not in keep], "superseded", now, transport):
        log.info("skipped the missed %s reminder %s due %s: a later one replaces it", o.kind, o.reminder_key,
                 fmt_when(o.due_at))  # fmt: skip
    _checked(db, now, transport)
    return keep


#: One process's occurrences for the rest of a day, reused by the ticks that follow while the
#: tables they come from are unchanged: {(database, transport, settings): (fingerprint, since, list)}.
_TICK_MEMO: dict[tuple[str, str, int], tuple[tuple[object, ...], datetime, list[Occurrence]]] = {}


def _fingerprint(db: Any, day: date) -> tuple[object, ...]:
    """A cheap summary of everything occurrences are derived from; it changes when any of it does."""
    parts: list[object] = [day]
    for sql in (
        "SELECT count(*), max(updated_at) FROM meetings",
        "SELECT count(*), max(id), max(created_at), max(cancelled_at) FROM reminders",
        "SELECT count(*), max(id), max(ingested_at) FROM sources",
        "SELECT count(*), max(updated_at) FROM actions",
        "SELECT count(*), max(updated_at) FROM plans",
    ):
        parts.extend(db.execute(sql).fetchone())
    return tuple(parts)


def _tick_occurrences(
    db: Any, now: datetime, since: datetime, recent: datetime, settings: ReminderSettings, transport: str
) -> list[Occurrence]:
    """What ``occurrences(db, since, now, useful_at=now, due_from=recent)`` returns, worked out once
    for the rest of the day and filtered at each tick while the tables stay as they were.

    Sound because a later tick's window is inside the first one's: ``since`` and ``recent`` only
    move forward, and what was useless at the first tick is useless later.
    """
    key = (
        str(db.execute("PRAGMA database_list").fetchone()[2]) or f"memory:{id(db)}",
        transport,
        id(settings),
    )
    day = now.astimezone(LONDON).date()
    fingerprint = _fingerprint(db, day)
    memo = _TICK_MEMO.get(key)
    if memo is None or memo[0] != fingerprint or since < memo[1]:
        end = local_datetime(day + timedelta(days=1), time(0))
        memo = (fingerprint, since, occurrences(db, since, end, settings, useful_at=now, due_from=recent))
        _TICK_MEMO[key] = memo
    return [o for o in memo[2] if since <= o.due_at <= now and (o.useful_until > now or o.due_at >= recent)]


def claim(db: Any, occurrence: Occurrence, *, now: datetime, transport: str = "") -> bool:
    """Claim ``occurrence`` for sending, in its own transaction; True only for the one caller that did."""
    with db.conn:
        cursor = db.execute(
            "INSERT OR IGNORE INTO send_log (transport, reminder_key, due_at, status, claimed_at, recipient, "
            "kind) VALUES (?, ?, ?, 'claimed', ?, ?, ?)",
            [transport, occurrence.reminder_key, _stamp(occurrence.due_at), _stamp(now), occurrence.to,
             occurrence.kind],
        )  # fmt: skip
        return bool(cursor.rowcount == 1)


def record(db: Any, occurrence: Occurrence, status: str, *, now: datetime, transport: str = "") -> None:
    """Record how sending a claimed occurrence went: "sent" or "failed" (never retried: at most once)."""
    with db.conn:
        db.execute(
            "UPDATE send_log SET status = ?, sent_at = ? WHERE transport = ? AND reminder_key = ? AND due_at = ?",
            [status, _stamp(now), transport, occurrence.reminder_key, _stamp(occurrence.due_at)],
        )


def send_log(db: Any, *, transport: str | None = None, since: datetime | None = None) -> list[dict[str, Any]]:
    """Rows of the send log (oldest first), for checking what went out."""
    where, args = "1 = 1", list[str]()
    if transport is not None:
        where, args = f"{where} AND transport = ?", [*args, transport]
    if since is not None:
        where, args = f"{where} AND due_at >= ?", [*args, _stamp(since)]
    return list(db.query(f"SELECT * FROM send_log WHERE {where} ORDER BY due_at, reminder_key", args))
