"""Statutory and house deadlines around a meeting, counted in working days.

Pure functions: the meeting date (and nothing else about time) is an argument, so the
reminder engine can ask what is due on any day. Working days are Monday to Friday except the
bank holidays of England and Wales, from the ``holidays`` package (substitute days included).

A "clear day" excludes both the day something is done and the day of the meeting, so
"published at least 5 clear working days before" means five working days lie strictly between
publication and the meeting, and publication itself happens on a working day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

import holidays

from knowledge.models import UserError

__all__ = [
    "DEADLINE_KINDS",
    "DEADLINE_LABELS",
    "DEFAULT_RULES",
    "Deadline",
    "DeadlineRule",
    "add_working_days",
    "bank_holiday_name",
    "clear_working_days_before",
    "compute_deadlines",
    "config_problems",
    "deadlines_as_json",
    "is_executive",
    "is_working_day",
    "rules_for",
]


@dataclass(frozen=True)
class DeadlineRule:
    """How one kind of deadline is counted: ``days`` in ``unit`` from its anchor."""

    kind: str
    days: int
    unit: str  # "clear working days", "working days" or "clear days"
    anchor: str  # what the days are counted from, in words
    basis: str = ""  # the law behind it; empty for a house rule
    executive_only: bool = False


@dataclass(frozen=True)
class Deadline:
    """The last day on which a task may be done, and the rule that gives it, in words."""

    kind: str
    date: date
    rule: str

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "date": self.date.isoformat(), "rule": self.rule}


#: The rules every body gets unless configured otherwise, in the order they are listed.
DEFAULT_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule("agenda_publication", 5, "clear working days", "before the meeting", "s100B LGA 1972"),
    DeadlineRule("report_deadline", 5, "working days", "before the agenda publication deadline"),
    DeadlineRule(
        "key_decision_notice",
        28,
        "clear days",
        "before the meeting",
        "reg. 9 Access to Information Regulations 2012",
        executive_only=True,
    ),
    DeadlineRule("draft_minutes", 10, "working days", "after the meeting"),
)

DEADLINE_KINDS: tuple[str, ...] = tuple(r.kind for r in DEFAULT_RULES)
#: How each kind is named to people: "Agenda publication deadline: Cabinet 15 Dec 2022".
DEADLINE_LABELS: Mapping[str, str] = {
    "agenda_publication": "Agenda publication deadline",
    "report_deadline": "Report deadline",
    "key_decision_notice": "Key decision notice deadline",
    "draft_minutes": "Draft minutes due",
}
_ORDER = {kind: i for i, kind in enumerate(DEADLINE_KINDS)}
_MAX_DAYS = 366


# --- working days -----------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> Mapping[date, str]:
    """England and Wales bank holidays of one year, named as GOV.UK names them."""
    found = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return {d: _gov_uk_name(name) for d, name in sorted(found.items())}


def _gov_uk_name(name: str) -> str:
    # The package says "Christmas Day (observed)"; GOV.UK says "(substitute day)".
    return re.sub(r"\s*\(observed\)", " (substitute day)", name).strip()


def bank_holiday_name(d: date) -> str | None:
    """The name of the England and Wales bank holiday on ``d``, or None if it is not one."""
    return _bank_holidays(d.year).get(d)


def is_working_day(d: date) -> bool:
    """True for Monday to Friday when the day is not an England and Wales bank holiday."""
    return d.weekday() < 5 and bank_holiday_name(d) is None


def add_working_days(d: date, n: int) -> date:
    """The ``n``-th working day after ``d`` (before it when ``n`` is negative); ``d`` itself if 0."""
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        d += step
        if is_working_day(d):
            remaining -= 1
    return d


def clear_working_days_before(meeting: date, n: int) -> date:
    """The last working day leaving at least ``n`` clear working days before ``meeting``.

    Neither that day nor the meeting day counts: exactly ``n`` working days lie strictly
    between the two.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    return add_working_days(meeting, -(n + 1))


def _skipped_holidays(start: date, end: date) -> list[tuple[date, str]]:
    """Bank holidays on weekdays strictly between ``start`` and ``end`` (in either order)."""
    lo, hi = min(start, end), max(start, end)
    found: list[tuple[date, str]] = []
    for year in range(lo.year, hi.year + 1):
        for d, name in _bank_holidays(year).items():
            if lo < d < hi and d.weekday() < 5:
                found.append((d, name))
    return found


def _holiday_words(start: date, end: date) -> str:
    skipped = _skipped_holidays(start, end)
    if not skipped:
        return "weekends and bank holidays excluded (no bank holiday fell in that period)"
    names = ", ".join(f"{name} {_fmt(d)}" for d, name in skipped)
    return f"weekends and bank holidays ({names}) excluded"


def _fmt(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _days(n: int, unit: str) -> str:
    singular = unit.replace("days", "day")
    return f"{n} {unit if n != 1 else singular}"


# --- configuration ----------------------------------------------------------------------------


def _settings_for(body: str, config: Mapping[str, Mapping[str, object]] | None) -> Mapping[str, object]:
    """The configured settings of ``body`` (matched case-insensitively); {} if none."""
    if not config:
        return {}
    problems = config_problems(config)
    if problems:
        raise UserError("bad deadline settings: " + "; ".join(problems))
    wanted = body.strip().casefold()
    return next((s for name, s in config.items() if str(name).strip().casefold() == wanted), {})


def config_problems(config: Mapping[str, object]) -> list[str]:
    """Every problem in per-body deadline settings, in words; empty when they are all right."""
    problems: list[str] = []
    known = ", ".join(("executive", *DEADLINE_KINDS))
    for name, settings in config.items():
        if not isinstance(settings, Mapping):
            problems.append(f"{name}: expected a table of settings, not {settings!r}")
            continue
        for key, value in settings.items():
            if key == "executive":
                if not isinstance(value, bool):
                    problems.append(f"{name}: 'executive' must be true or false, not {value!r}")
            elif key in _ORDER:
                number = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_DAYS
                if not (number or isinstance(value, bool) or value is None):
                    problems.append(
                        f"{name}: {key!r} must be a number of days (0 to {_MAX_DAYS}), true or false, "
                        f"not {value!r}"
                    )
            else:
                problems.append(f"{name}: unknown setting {key!r} (known: {known})")
    return problems


def is_executive(body: str, config: Mapping[str, Mapping[str, object]] | None = None) -> bool:
    """True if ``body`` takes executive decisions: configured so, or named Cabinet."""
    settings = _settings_for(body, config)
    if "executive" in settings:
        return bool(settings["executive"])
    return re.search(r"\bcabinet\b", body, re.IGNORECASE) is not None


def rules_for(body: str, config: Mapping[str, Mapping[str, object]] | None = None) -> list[DeadlineRule]:
    """The rules that apply to ``body``: the defaults as configured (a number of days, or off).

    ``config`` maps body names (any case) to settings, e.g.
    ``{"Cabinet": {"executive": True, "report_deadline": 7, "draft_minutes": False}}``:
    a number sets the days, ``False`` or ``None`` turns a kind off, ``True`` keeps the default.
    Bad settings raise :class:`UserError` naming every problem.
    """
    settings = _settings_for(body, config)
    executive = is_executive(body, config)
    rules: list[DeadlineRule] = []
    for rule in DEFAULT_RULES:
        value = settings.get(rule.kind, True)
        if value is False or value is None:
            continue
        if rule.executive_only and not executive:
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            rule = replace(rule, days=value)
        rules.append(rule)
    return rules


# --- deadlines --------------------------------------------------------------------------------


def compute_deadlines(
    body: str, meeting: date, config: Mapping[str, Mapping[str, object]] | None = None
) -> list[Deadline]:
    """The deadlines of one meeting of ``body``, earliest first; each date is the last allowed day."""
    rules = {r.kind: r for r in rules_for(body, config)}
    # The report deadline counts from the publication deadline, even when that one is switched off.
    agenda = rules.get("agenda_publication") or _default("agenda_publication")
    publication = clear_working_days_before(meeting, agenda.days)
    out: list[Deadline] = []
    for rule in rules.values():
        out.append(_deadline(rule, meeting, publication))
    out.sort(key=lambda d: (d.date, _ORDER[d.kind]))
    return out


def _default(kind: str) -> DeadlineRule:
    return next(r for r in DEFAULT_RULES if r.kind == kind)


def _deadline(rule: DeadlineRule, meeting: date, publication: date) -> Deadline:
    basis = f" ({rule.basis})" if rule.basis else ""
    if rule.kind == "agenda_publication":
        day = publication
        text = (
            f"Agenda must be published at least {_days(rule.days, 'clear working days')} before the meeting"
            f"{basis}: neither the publication day nor the meeting day counts; "
            f"{_holiday_words(day, meeting)}."
        )
    elif rule.kind == "report_deadline":
        day = add_working_days(publication, -rule.days)
        text = (
            f"Reports are due from authors {_days(rule.days, 'working days')} before the agenda "
            f"publication deadline ({_fmt(publication)}); {_holiday_words(day, publication)}."
        )
    elif rule.kind == "key_decision_notice":
        day = meeting - timedelta(days=rule.days + 1)
        when = ""
        if not is_working_day(day):
            when = f" That day is {_not_working(day)}: publish earlier if the office is shut."
        text = (
            f"Notice of a key decision must be published at least {_days(rule.days, 'clear days')} "
            f"before the meeting{basis}: neither the notice day nor the meeting day counts; "
            f"weekends and bank holidays count.{when}"
        )
    elif rule.kind == "draft_minutes":
        day = add_working_days(meeting, rule.days)
        text = (
            f"Draft minutes are due {_days(rule.days, 'working days')} after the meeting; "
            f"{_holiday_words(meeting, day + timedelta(days=1))}."
        )
    else:  # pragma: no cover - DEFAULT_RULES lists every kind
        raise ValueError(f"unknown deadline kind {rule.kind!r}")
    return Deadline(rule.kind, day, text)


def _not_working(d: date) -> str:
    name = bank_holiday_name(d)
    return name if name else f"a {d:%A}"


def deadlines_as_json(body: str, meeting: date, deadlines: list[Deadline]) -> dict[str, object]:
    """The JSON shape shown by the CLI: body, meeting date and the deadlines."""
    return {
        "body": body,
        "meeting_date": meeting.isoformat(),
        "deadlines": [d.as_json() for d in deadlines],
    }
