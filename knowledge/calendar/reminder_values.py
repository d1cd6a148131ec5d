"""The values reminders are made of: an occurrence (one message due at one time) and the settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType

from knowledge.calendar.meetings import body_key
from knowledge.calendar.recurrence import DEFAULT_SEND_TIME, LONDON, fmt_when

__all__ = ["KINDS", "BodyReminders", "Occurrence", "ReminderSettings"]

KINDS = ("meeting", "deadline", "action", "custom")
_LATE = timedelta(minutes=5)
_SHIFT_DAYS = 7  # a send on a day off moves back to the working day before: at most this many days


@lru_cache(maxsize=4096)
def _key(body: str) -> str:
    return body_key(body)


@dataclass(frozen=True)
class Occurrence:
    """One message to send: to whom, when, what; ``useful_until`` is when sending it late stops making sense.

    ``subject`` groups occurrences about the same thing for the same recipient: after downtime only
    the latest missed one of a subject is sent.
    """

    reminder_key: str
    due_at: datetime  # aware
    to: str  # a channel id or name, or a user id
    kind: str  # one of KINDS
    text: str
    useful_until: datetime
    subject: str = ""

    def message(self, now: datetime) -> str:
        """The text to send at ``now``: said to be late when it is more than a few minutes late."""
        if now - self.due_at <= _LATE:
            return self.text
        return f"(Sent late: this was due {fmt_when(self.due_at)}.)\n{self.text}"

    def as_json(self) -> dict[str, str]:
        """``at`` (London time with its offset), ``to``, ``kind`` and ``text``."""
        at = self.due_at.astimezone(LONDON).isoformat(timespec="seconds")
        return {"at": at, "to": self.to, "kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class BodyReminders:
    """Where a body's meeting reminders go and when: calendar days and working days before each meeting.

    ``clerks`` hear about the body's deadlines; None means the default clerks.
    """

    channel: str | None = None
    days: tuple[int, ...] = (7,)
    working_days: tuple[int, ...] = (1,)
    clerks: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ReminderSettings:
    """The reminder configuration: send time, bodies' channels, clerks, action owners, deadline rules."""

    send_time: time = DEFAULT_SEND_TIME
    default: BodyReminders = field(default_factory=BodyReminders)
    bodies: Mapping[str, BodyReminders] = field(default_factory=dict)  # by body name, any case
    clerks: tuple[str, ...] = ()
    deadline_working_days: int = 2  # clerks hear this many working days before a deadline, and on the day
    action_working_days: int = 2  # owners hear this many working days before an action is due
    owners: Mapping[str, str] = field(default_factory=dict)  # an action owner as plans name them -> user id
    deadline_rules: Mapping[str, Mapping[str, object]] | None = None  # per-body, see knowledge.calendar.deadlines

    def __post_init__(self) -> None:
        bodies = {body_key(k): v for k, v in self.bodies.items()}
        owners = {" ".join(k.split()).casefold(): v for k, v in self.owners.items()}
        object.__setattr__(self, "bodies", MappingProxyType(bodies))
        object.__setattr__(self, "owners", MappingProxyType(owners))

    def for_body(self, body: str) -> BodyReminders:
        """The settings of ``body`` (any case), else the defaults."""
        return self.bodies.get(_key(body), self.default)

    def clerks_for(self, body: str) -> tuple[str, ...]:
        """Who hears about ``body``'s deadlines."""
        own = self.for_body(body).clerks
        return own if own is not None else self.clerks

    def owner_id(self, owner: str | None) -> str | None:
        """The user id for an action owner as a plan names them, if configured (or a user id itself)."""
        text = " ".join((owner or "").split())
        if text[:1] in ("U", "W") and text.isalnum() and text.isupper() and len(text) >= 7:
            return text
        return self.owners.get(text.casefold())

    def reach(self) -> tuple[int, int, int]:
        """Bounds, in days, with room for weekends and holidays: how far before a meeting its channel
        reminders fall, how far before it a message about one of its deadlines can fall, and how far
        after it a deadline can fall. A working-day count of n spans at most 2n + 7 days."""
        bodies = [self.default, *self.bodies.values()]
        numbers = [v for s in (self.deadline_rules or {}).values() for v in s.values() if type(v) is int]
        ahead = max(
            [*(d for b in bodies for d in b.days), *(2 * w + 7 for b in bodies for w in b.working_days), 0]
        )
        lead = max([29, 2 * (5 + 1 + 5) + 7, *(2 * n + 9 for n in numbers)])  # key decisions: 28 clear days
        before = lead + 2 * self.deadline_working_days + 7
        after = max([2 * 10 + 7, *(2 * n + 7 for n in numbers)])  # draft minutes: 10 working days after
        return ahead + _SHIFT_DAYS, before + _SHIFT_DAYS, after + _SHIFT_DAYS
