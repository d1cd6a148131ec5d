"""The ``remind`` command: coming reminders for anyone; setting and cancelling them for clerks.

Who may do what is decided in the core (:mod:`knowledge.calendar.custom_reminders` refuses a member or an
officer with a polite :class:`~knowledge.calendar.custom_reminders.NotAllowed`); members and officers see
the meeting reminders and their own, clerks and admins everything.
"""

from __future__ import annotations

from datetime import timedelta

from knowledge.calendar.custom_reminders import (
    CLERK_ROLES,
    active_reminders,
    add_reminder,
    cancel_reminder,
    describe_target,
)
from knowledge.calendar.deadlines import bank_holiday_name
from knowledge.calendar.recurrence import LONDON, fmt_day, fmt_when
from knowledge.calendar.reminders import Occurrence, occurrences, visible_to
from knowledge.models import UserError

from .context import Context
from .messages import Reply, Request, Visibility
from .registry import Command, Registry

__all__ = ["LIST_DAYS", "register_reminder_commands", "remind"]

#: How far ahead ``remind list`` looks unless told.
LIST_DAYS = 7
_MAX_DAYS = 62
_MAX_LINES = 40
_ACTIONS = ("list", "add", "cancel")
_USAGE = (
    "Use remind list [DAYS], remind add WHEN TO TEXT (for example remind add every monday 09:00 "
    "#scrutiny Check the forward plan) or remind cancel NUMBER."
)


def _line(o: Occurrence) -> str:
    first = o.text.splitlines()[0] if o.text else ""
    first = first if len(first) <= 140 else first[:139] + "…"
    return f"• {fmt_when(o.due_at)} to {describe_target(o.to)} ({o.kind}): {first}"


def _list(request: Request, context: Context, rest: str) -> Reply:
    days = LIST_DAYS
    if rest:
        if not rest.isdigit() or not 1 <= int(rest) <= _MAX_DAYS:
            raise UserError(f"remind list takes a number of days from 1 to {_MAX_DAYS}, like remind list 14.")
        days = int(rest)
    now = context.now()
    end = now + timedelta(days=days)
    clerk = request.role in CLERK_ROLES
    with context.database() as db:
        found = visible_to(occurrences(db, now, end, context.reminders), request.user_id, request.role)
        own = active_reminders(db) if clerk else []
    lines = [f"Reminders from now to {fmt_when(end)} (London time):"]
    lines += [_line(o) for o in found[:_MAX_LINES]] or ["• none."]
    if len(found) > _MAX_LINES:
        lines.append(f"…and {len(found) - _MAX_LINES} more (scrutiny-bot reminders lists them all).")
    if not clerk:
        lines.append("You see meeting reminders and your own; clerks see the rest.")
    if clerk:
        lines += ["", "Reminders clerks have set:" if own else "No clerk has set a reminder of their own."]
        lines += [f"• {r.describe()}" for r in own]
        if own:
            lines.append("remind cancel NUMBER stops one.")
        if not context.reminders.default.channel and not any(
            b.channel for b in context.reminders.bodies.values()
        ):
            lines.append(
                "No body has a channel for meeting reminders yet: set [reminders] channel in the config file."
            )
    return Reply(text="\n".join(lines), visibility=Visibility.ASKER)


def _add(request: Request, context: Context, rest: str) -> Reply:
    now = context.now()
    with context.database() as db:
        r = add_reminder(
            db,
            rest,
            user_id=request.user_id,
            role=request.role,
            now=now,
            names=context.access.names,
            default_time=context.reminders.send_time,
        )
    first = r.schedule.next_time(now)
    lines = [f"Reminder #{r.id} set: {r.schedule.describe()} to {describe_target(r.to)}."]
    if first is not None:
        lines.append(f"The first goes out {fmt_when(first)}.")
        nominal = r.schedule.start
        if r.schedule.repeat == "" and first.astimezone(LONDON).date() != nominal:
            why = bank_holiday_name(nominal) or f"a {nominal:%A}"
            lines.append(f"{fmt_day(nominal)} is {why}, so it goes on the working day before.")
    if r.schedule.repeat:
        lines.append("Weekend and bank-holiday days go on the working day before.")
    return Reply(text="\n".join(lines), visibility=Visibility.ASKER)


def _cancel(request: Request, context: Context, rest: str) -> Reply:
    if not rest:
        raise UserError("Which reminder? Give its number, as remind list shows it: remind cancel 3.")
    with context.database() as db:
        r = cancel_reminder(db, rest, user_id=request.user_id, role=request.role, now=context.now())
    return Reply(text=f"Cancelled reminder {r.describe()}", visibility=Visibility.ASKER)


def remind(request: Request, context: Context) -> Reply:
    """``remind list [DAYS]``, ``remind add WHEN TO TEXT`` or ``remind cancel NUMBER``."""
    words = request.text.strip().split(None, 1)
    action = words[0].lower() if words else "list"
    rest = words[1].strip() if len(words) > 1 else ""
    if action == "list":
        return _list(request, context, rest)
    if action == "add":
        return _add(request, context, rest)
    if action == "cancel":
        return _cancel(request, context, rest)
    raise UserError(_USAGE)


def register_reminder_commands(registry: Registry) -> None:
    """Add ``remind`` to ``registry``."""
    registry.add(
        Command(
            name="remind",
            summary="the coming reminders; clerks also set one-off or repeating reminders and cancel them",
            usage="remind list [DAYS] / add WHEN TO TEXT / cancel NUMBER",
            handler=remind,
            examples=(
                "remind list",
                "remind add every monday 09:00 #scrutiny Check the forward plan",
                "remind add tomorrow 10:00 me Chase the Cabinet report",
                "remind cancel 3",
            ),
            accepts=lambda rest: not rest or rest.split()[0].lower() in _ACTIONS,
        )
    )
