"""When reminders go out: local send times, the working-day rule, repeats, and the words for them.

Pure functions; "now" is always an argument. Times are Europe/London wall-clock times turned
into aware datetimes with :mod:`zoneinfo`, so 09:00 stays 09:00 across the changes to and from
summer time. Nothing is sent at a weekend or on a bank holiday: it moves to the working day
before. Times from 01:00 to 01:59 are refused, because on the clock-change nights they happen
twice or not at all.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from knowledge.calendar.deadlines import bank_holiday_name, is_working_day
from knowledge.calendar.ical import parse_time
from knowledge.dates import parse_cli_date
from knowledge.models import UserError

__all__ = [
    "DEFAULT_SEND_TIME",
    "LONDON",
    "REPEATS",
    "Schedule",
    "check_send_time",
    "fmt_day",
    "fmt_when",
    "last_day_sent_by",
    "local_datetime",
    "read_when",
    "send_at",
    "working_day_on_or_before",
]

LONDON = ZoneInfo("Europe/London")
DEFAULT_SEND_TIME = time(9, 0)
#: How a custom reminder repeats; "" is a one-off.
REPEATS = ("", "daily", "working-days", "weekly", "monthly")

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def check_send_time(at: time) -> None:
    """Raise :class:`UserError` for a time from 01:00 to 01:59, which the clock changes skip or repeat."""
    if at.hour == 1:
        raise UserError(
            f"I don't send anything between 01:00 and 02:00 ({at:%H:%M}): on the nights the clocks "
            "change that hour happens twice or not at all. Choose another time."
        )


@lru_cache(maxsize=65536)
def working_day_on_or_before(day: date) -> date:
    """``day`` if it is a working day, else the working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


@lru_cache(maxsize=65536)
def last_day_sent_by(day: date) -> date:
    """The last day whose sends go out on or before ``day``: ``day`` and the days off that follow it."""
    while not is_working_day(day + timedelta(days=1)):
        day += timedelta(days=1)
    return day


def local_datetime(day: date, at: time) -> datetime:
    """``at`` on ``day`` in Europe/London, as an aware datetime."""
    return datetime.combine(day, at, tzinfo=LONDON)


def send_at(day: date, at: time) -> datetime:
    """When something meant for ``day`` at ``at`` is sent: on the working day on or before it."""
    return local_datetime(working_day_on_or_before(day), at)


def fmt_day(day: date) -> str:
    """'Tue 1 Dec 2026'."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def fmt_when(at: datetime) -> str:
    """'Tue 1 Dec 2026 09:00' in London time."""
    local = at.astimezone(LONDON)
    return f"{fmt_day(local.date())} {local:%H:%M}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _add_month(day: date, months: int, day_of_month: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day_of_month, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Schedule:
    """A reminder's nominal days: ``start`` and, if it repeats, every day, working day, week or month after."""

    start: date
    at: time = DEFAULT_SEND_TIME
    repeat: str = ""  # one of REPEATS

    def __post_init__(self) -> None:
        if self.repeat not in REPEATS:
            raise ValueError(f"unknown repeat {self.repeat!r}")

    def days(self, first: date, last: date) -> Iterator[date]:
        """The nominal days (before any working-day shift) from ``first`` to ``last`` inclusive."""
        if self.repeat == "":
            if first <= self.start <= last:
                yield self.start
            return
        if self.repeat == "monthly":
            n = 0
            while (day := _add_month(self.start, n, self.start.day)) <= last:
                if day >= first:
                    yield day
                n += 1
            return
        step = 7 if self.repeat == "weekly" else 1
        day = self.start
        if first > day:
            day += timedelta(days=(first - day).days // step * step)
        while day <= last:
            if day >= first and (self.repeat != "working-days" or is_working_day(day)):
                yield day
            day += timedelta(days=step)

    def due_times(self, start: datetime, end: datetime) -> list[datetime]:
        """Send times in ``[start, end)``, moved off weekends and bank holidays; each once."""
        first = start.astimezone(LONDON).date()
        last = last_day_sent_by(end.astimezone(LONDON).date())
        seen: dict[datetime, None] = {}
        for day in self.days(first, last):
            at = send_at(day, self.at)
            if start <= at < end:
                seen.setdefault(at)
        return list(seen)

    def next_time(self, after: datetime) -> datetime | None:
        """The first send time at or after ``after``; None when a one-off has passed."""
        end = max(after, local_datetime(self.start, self.at)) + timedelta(days=40)
        times = self.due_times(after, end)
        return times[0] if times else None

    def describe(self) -> str:
        """In words: 'every Monday at 09:00', 'on Tue 1 Dec 2026 at 09:00'."""
        at = f"at {self.at:%H:%M}"
        if self.repeat == "daily":
            return f"every day {at}"
        if self.repeat == "working-days":
            return f"every working day {at}"
        if self.repeat == "weekly":
            return f"every {self.start:%A} {at} (from {fmt_day(self.start)})"
        if self.repeat == "monthly":
            return f"every month on the {_ordinal(self.start.day)} {at} (from {fmt_day(self.start)})"
        return f"on {fmt_day(self.start)} {at}"


# --- reading the words --------------------------------------------------------------------------

_TIME = re.compile(
    r"(?:\bat\s+)?\b(noon|midday|\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)(?=\s|$)", re.I
)
_EVERY = re.compile(r"^(?:every|each)\s+(.+)$|^(daily|weekly|monthly)\b\s*(.*)$")
_FROM = re.compile(r"\s+(?:from|starting(?:\s+on)?|beginning)\s+(.+)$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?(?:\s+(\d{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")

_HELP = (
    "Say when like this: 2026-12-01 09:00, tomorrow 10:00, friday 2pm, every monday 09:00, "
    "every working day 08:30, every month on the 1st 09:00."
)


def _weekday(word: str) -> int | None:
    word = word.strip().lower().rstrip("s") if len(word) > 3 else word.strip().lower()
    for i, name in enumerate(_WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return i
    return None


def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _read_day(text: str, today: date) -> date:
    """A day: today, tomorrow, a weekday (the next one), 2026-12-01, 01/12/2026, 1 Dec [2026]."""
    words = re.sub(r"^(?:on|next)\s+", "", text.strip().lower())
    if words == "today":
        return today
    if words == "tomorrow":
        return today + timedelta(days=1)
    weekday = _weekday(words)
    if weekday is not None:
        return _next_weekday(today, weekday)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}", words):
        return parse_cli_date(words)
    m = _DAY_MONTH.fullmatch(words)
    parts = (m.group(1), m.group(2), m.group(3)) if m else None
    if parts is None:
        m = _MONTH_DAY.fullmatch(words)
        parts = (m.group(2), m.group(1), m.group(3)) if m else None
    if parts and parts[1][:3] in _MONTHS:
        day_n, month, year = int(parts[0]), _MONTHS[parts[1][:3]], parts[2]
        try:
            found = date(int(year) if year else today.year, month, day_n)
            if not year and found < today:
                found = date(today.year + 1, month, day_n)
        except ValueError:
            raise UserError(f"{text.strip()!r} is not a real date.") from None
        return found
    raise UserError(f"I can't read {text.strip()!r} as a day. {_HELP}")


def _split_time(text: str, default: time) -> tuple[str, time]:
    found = list(_TIME.finditer(text))
    if not found:
        return text.strip(), default
    m = found[-1]
    at = time.fromisoformat(parse_time(m.group(1)))
    rest = (text[: m.start()] + " " + text[m.end() :]).strip()
    return re.sub(r"\s+", " ", rest), at


def read_when(text: str, *, now: datetime, default_time: time = DEFAULT_SEND_TIME) -> Schedule:
    """A :class:`Schedule` from words like "tomorrow 10:00" or "every monday 09:00", starting after ``now``.

    Without a time, ``default_time``; without a day, today (tomorrow if the time has passed). A
    repeating schedule starts at its first time after ``now``. Raises :class:`UserError`, saying
    what it can read, for anything else.
    """
    local = now.astimezone(LONDON)
    today = local.date()
    words, at = _split_time(" ".join(text.lower().split()), default_time)
    check_send_time(at)
    if not words:  # a time alone: today, or tomorrow once it has passed
        words = "today" if local_datetime(today, at) > local else "tomorrow"
    plural = re.fullmatch(r"(?:on\s+)?([a-z]{3,}day)s", words)
    if plural and _weekday(plural.group(1)) is not None:
        words = f"every {plural.group(1)}"  # "mondays 2pm" repeats
    start_from: date | None = None
    m = _FROM.search(words)
    if m and _EVERY.match(words):
        start_from = _read_day(m.group(1), today)
        words = words[: m.start()]
    every = _EVERY.match(words)
    if not every:
        if words == "now":
            raise UserError(f"Give a time at least a minute ahead. {_HELP}")
        day = _read_day(words, today)
        named = _weekday(re.sub(r"^(?:on|next)\s+", "", words)) is not None
        if named and local_datetime(day, at) <= local:
            day += timedelta(days=7)  # "friday 9am" said on a Friday at 10:00 means next week
        goes = send_at(day, at)
        if goes <= now and goes.date() != day:
            raise UserError(
                f"{fmt_day(day)} is {bank_holiday_name(day) or f'a {day:%A}'}, so it would go on the working "
                f"day before, {fmt_when(goes)}, which has passed. Give a working day."
            )
        if goes <= now:
            raise UserError(f"{fmt_day(day)} at {at:%H:%M} has passed. Give a later time.")
        return Schedule(day, at)
    what = (every.group(1) or f"{every.group(2)} {every.group(3)}").strip()
    repeat, start = _repeat(what, today)
    start = max(start, start_from or start)
    if start_from is not None and repeat == "weekly":
        start = _next_weekday(start_from, start.weekday())
    while local_datetime(start, at) <= local or (repeat == "working-days" and not is_working_day(start)):
        start = next(Schedule(start, at, repeat).days(start + timedelta(days=1), start + timedelta(days=400)))
    return Schedule(start, at, repeat)


def _repeat(what: str, today: date) -> tuple[str, date]:
    """The repeat and its first nominal day (on or after ``today``) for the words after "every"."""
    what = re.sub(r"\s+", " ", what).strip()
    if what in ("day", "daily"):
        return "daily", today
    if what in ("working day", "workday", "weekday", "business day", "working days", "weekdays"):
        return "working-days", today
    if what in ("week", "weekly"):
        return "weekly", today
    week = re.fullmatch(r"(?:week(?:ly)?\s+)?(?:on\s+)?([a-z]+)", what)
    weekday = _weekday(week.group(1)) if week else None
    if weekday is not None:
        return "weekly", _next_weekday(today, weekday)
    if what in ("month", "monthly"):
        return "monthly", today
    month = re.fullmatch(r"month(?:ly)?\s+(?:on\s+)?(?:the\s+|day\s+)?(\d{1,2})(?:st|nd|rd|th)?", what)
    if month and 1 <= int(month.group(1)) <= 31:
        n = int(month.group(1))
        for ahead in range(13):  # the first month from this one that has that day, on or after today
            first = _add_month(today.replace(day=1), ahead, n)
            if first.day == n and first >= today:
                return "monthly", first
    raise UserError(f"I can't read 'every {what}'. {_HELP}")
