"""The reminder settings in the TOML file: ``[reminders]``, ``[bodies."NAME"]`` and ``[owners]``.

::

    [reminders]
    time = "09:00"                # when reminders go out, Europe/London (not 01:00-01:59)
    channel = "C0SCRUTINY"        # meeting reminders of bodies without a channel of their own
    reminder_days = [7]           # meeting reminders this many days before each meeting...
    reminder_working_days = [1]   # ...and this many working days before
    deadline_working_days = 2     # clerks hear this many working days before each deadline, and on the day
    action_working_days = 2       # owners hear this many working days before an action is due
    clerks = ["U0456EFGH"]        # who hears about deadlines (default: the clerks in [roles])

    [bodies."Cabinet"]            # any of the [reminders] keys but time, for one body...
    channel = "C0CABINET"
    executive = true              # ...and its deadline settings (see knowledge.calendar.deadlines)
    report_deadline = 7

    [owners]                      # plan action owners, as the plans name them, to Slack user ids
    "Director of Children's Services" = "U0AAAAAAA"

For Teams, a channel is a Teams channel or group chat id (``"19:...@thread.tacv2"``) and a person an
Entra object id (a GUID), anywhere a Slack channel or user id may be given.

Every problem is listed at once, with the rest of the configuration's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import time
from typing import Any

from handlers.access import Access
from knowledge.addresses import entra_object_id, teams_conversation_id
from knowledge.calendar.deadlines import DEADLINE_KINDS, config_problems
from knowledge.calendar.recurrence import check_send_time
from knowledge.calendar.reminders import BodyReminders, ReminderSettings
from knowledge.models import UserError

__all__ = ["REMINDER_SECTIONS", "parse_reminders", "read_table"]

REMINDER_SECTIONS = ("reminders", "bodies", "owners")
_BODY_KEYS = ("channel", "reminder_days", "reminder_working_days", "clerks")
_GLOBAL_KEYS = ("time", *_BODY_KEYS, "deadline_working_days", "action_working_days")
_DEADLINE_KEYS = ("executive", *DEADLINE_KINDS)
_CHANNEL = re.compile(r"[CG][A-Z0-9]{6,}|#[a-z0-9][a-z0-9._-]{0,79}")
_USER = re.compile(r"[UW][A-Z0-9]{6,}")
_MAX_DAYS = 60


def _days(value: Any, name: str, problems: list[str], where: str) -> tuple[int, ...] | None:
    ok = isinstance(value, list) and all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= _MAX_DAYS for v in value
    )
    if not ok:
        problems.append(
            f"{where}: {name} must be a list of numbers of days from 0 to {_MAX_DAYS}, like [7, 1]"
        )
        return None
    return tuple(sorted(set(value), reverse=True))


def _number(value: Any, name: str, problems: list[str], where: str) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 20:
        return value
    problems.append(f"{where}: {name} must be a number of working days from 0 to 20, not {value!r}")
    return None


def _user(value: object) -> str | None:
    """A Slack user id as written, or an Entra object id lower-case; None for anything else."""
    if not isinstance(value, str):
        return None
    return value.strip() if _USER.fullmatch(value.strip()) else entra_object_id(value)


def _users(value: Any, name: str, problems: list[str], where: str) -> tuple[str, ...] | None:
    users = [_user(v) for v in value] if isinstance(value, list) else [None]
    if all(users):
        return tuple(u for u in users if u)
    problems.append(f'{where}: {name} must be a list of user ids (Slack ids or Entra object ids), like ["U0456EFGH"]')
    return None


def _channel(value: Any, name: str, problems: list[str], where: str) -> str | None:
    if isinstance(value, str) and _CHANNEL.fullmatch(value.strip()):
        return value.strip()
    if isinstance(value, str) and teams_conversation_id(value):
        return teams_conversation_id(value)
    problems.append(f"{where}: {name} must be a channel id (like C0123ABCD) or #name, not {value!r} "
                    "(in Teams: a channel or group chat id, like 19:...@thread.tacv2)")  # fmt: skip
    return None


def _body(
    table: Mapping[str, Any], base: BodyReminders, label: str, problems: list[str], where: str
) -> BodyReminders:
    """The body settings in ``table`` (the ``_BODY_KEYS``), over ``base``."""
    found: dict[str, Any] = {}
    if "channel" in table:
        found["channel"] = _channel(table["channel"], f"{label} channel", problems, where)
    if "reminder_days" in table:
        found["days"] = _days(table["reminder_days"], f"{label} reminder_days", problems, where)
    if "reminder_working_days" in table:
        found["working_days"] = _days(
            table["reminder_working_days"], f"{label} reminder_working_days", problems, where
        )
    if "clerks" in table:
        found["clerks"] = _users(table["clerks"], f"{label} clerks", problems, where)
    return replace(base, **{k: v for k, v in found.items() if v is not None})


def read_table(data: Mapping[str, Any], name: str, problems: list[str], where: str) -> Mapping[str, Any]:
    """The TOML table ``[name]`` of ``data`` (empty if absent); a value that is no table is a problem."""
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        problems.append(f"{where}: [{name}] must be a table")
        return {}
    return value


def parse_reminders(
    data: Mapping[str, Any], access: Access, problems: list[str], *, where: str = "config"
) -> ReminderSettings:
    """The :class:`ReminderSettings` a parsed TOML document describes; problems go to ``problems``."""
    table = read_table(data, "reminders", problems, where)
    for key in table:
        if key not in _GLOBAL_KEYS:
            problems.append(
                f"{where}: [reminders] unknown setting {key!r} (known: {', '.join(_GLOBAL_KEYS)})"
            )
    send_time = ReminderSettings().send_time
    if "time" in table:
        try:
            send_time = time.fromisoformat(str(table["time"]).strip())
            check_send_time(send_time)
        except ValueError:
            problems.append(f'{where}: [reminders] time must be like "09:00", not {table["time"]!r}')
        except UserError as exc:
            problems.append(f"{where}: [reminders] time: {exc}")
    default = _body(table, BodyReminders(), "[reminders]", problems, where)
    numbers: dict[str, int] = {}
    for key in ("deadline_working_days", "action_working_days"):
        if key in table:
            value = _number(table[key], f"[reminders] {key}", problems, where)
            if value is not None:
                numbers[key] = value
    clerks = default.clerks
    if clerks is None:
        clerks = tuple(sorted(u for u, r in access.roles.items() if r == "clerk"))
    bodies: dict[str, BodyReminders] = {}
    rules: dict[str, dict[str, object]] = {}
    for name, settings in read_table(data, "bodies", problems, where).items():
        if not isinstance(settings, Mapping):
            problems.append(f'{where}: [bodies."{name}"] must be a table of settings')
            continue
        for key in settings:
            if key not in (*_BODY_KEYS, *_DEADLINE_KEYS):
                known = ", ".join((*_BODY_KEYS, *_DEADLINE_KEYS))
                problems.append(f'{where}: [bodies."{name}"] unknown setting {key!r} (known: {known})')
        label = f'[bodies."{name}"]'
        base = BodyReminders(default.channel, default.days, default.working_days, None)
        bodies[name] = _body(settings, base, label, problems, where)
        rules[name] = {k: v for k, v in settings.items() if k in _DEADLINE_KEYS}
    problems += [f"{where}: [bodies] {p}" for p in config_problems(rules)]
    owners: dict[str, str] = {}
    for owner, user in read_table(data, "owners", problems, where).items():
        user_id = _user(user)
        if user_id:
            owners[owner] = user_id
        else:
            problems.append(f'{where}: [owners] "{owner}" must be a user id, like "U0123ABCD" (or an Entra object id)')
    for user_id, name in access.names.items():  # a plan may name its owner as [users] does
        owners.setdefault(name, user_id)
    return ReminderSettings(
        send_time=send_time,
        default=BodyReminders(default.channel, default.days, default.working_days, None),
        bodies=bodies,
        clerks=clerks,
        owners=owners,
        deadline_rules={k: v for k, v in rules.items() if v} or None,
        **numbers,
    )
