"""The ``reminders`` subcommand: what would be sent in a window, so a clerk can check the set-up."""

from __future__ import annotations

import argparse
import json
import os
import re
from datetime import date, datetime, time, timedelta

from knowledge.calendar.recurrence import LONDON, fmt_when
from knowledge.calendar.reminders import occurrences
from knowledge.dates import parse_cli_date
from knowledge.models import UserError
from knowledge.store import default_db_path, open_db

from .config import Settings
from .scheduler import utc_now

__all__ = ["parse_moment", "register", "run_reminders"]

DEFAULT_DAYS = 7


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``reminders``."""
    p = sub.add_parser(
        "reminders",
        help="list the reminders that would be sent in a window",
        description="List the reminders due from --from up to (not including) --to: meeting reminders to "
        "bodies' channels, deadline messages to clerks, plan actions to their owners and clerks' own "
        "reminders, at their send times (Europe/London, weekends and bank holidays moved to the working "
        "day before). Cancelled meetings send nothing.",
    )
    p.add_argument(
        "--from",
        dest="start",
        metavar="DATETIME",
        help="ISO date-time, with or without an offset (London time if none), or a date; default: now",
    )
    p.add_argument(
        "--to",
        dest="end",
        metavar="DATETIME",
        help=f"the end, not included; a date alone means the end of that day; default: {DEFAULT_DAYS} days on",
    )
    p.add_argument("--json", action="store_true", help="one JSON object a line: at, to, kind, text")
    p.add_argument("--config", metavar="FILE", help="the settings file (default: $SCRUTINY_BOT_CONFIG)")
    p.set_defaults(run=run_reminders)


def parse_moment(text: str, *, end_of_day: bool = False) -> datetime:
    """An ISO date-time (an offset optional; London time without one) or a date, as an aware datetime.

    A date alone is the start of that day in London, or with ``end_of_day`` the start of the next.
    """
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}", value):
        day: date = parse_cli_date(value)
        if end_of_day:
            day += timedelta(days=1)
        return datetime.combine(day, time(0), tzinfo=LONDON)
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T", 1) if " " in value else value)
    except ValueError:
        raise UserError(
            f"I can't read {text!r} as a date-time: use 2026-12-01T09:00, 2026-12-01 09:00+00:00 or 2026-12-01."
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LONDON)


def run_reminders(args: argparse.Namespace) -> int:
    """``scrutiny-bot reminders``: print the window's reminders, as a table or as JSON lines."""
    settings = Settings.from_env(os.environ, config_path=args.config)
    start = parse_moment(args.start) if args.start else utc_now().astimezone(LONDON)
    end = parse_moment(args.end, end_of_day=True) if args.end else start + timedelta(days=DEFAULT_DAYS)
    if end <= start:
        raise UserError(f"--to ({end.isoformat()}) must be after --from ({start.isoformat()})")
    db = open_db(args.db or settings.db_path or default_db_path())
    try:
        found = occurrences(db, start, end, settings.reminders)
    finally:
        db.close()
    if args.json:
        for o in found:
            print(json.dumps(o.as_json(), ensure_ascii=False))
        return 0
    print(f"Reminders from {fmt_when(start)} to {fmt_when(end)} (London time): {len(found)}")
    for o in found:
        lines = o.text.splitlines() or [""]
        print(f"{fmt_when(o.due_at):<21}  {o.kind:<8}  to {o.to}: {lines[0]}")
        for line in lines[1:]:
            print(f"{'':>25}{line}")
    if not found:
        print("Nothing is due then. Meeting reminders need a channel: see [reminders] in the config file.")
    return 0
