"""Subcommands for the meeting calendar: ``meetings``, ``deadlines`` and ``calendar export``."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import sqlite_utils

from knowledge.calendar.deadlines import DEADLINE_LABELS, compute_deadlines, deadlines_as_json
from knowledge.calendar.ical import export_ics, read_meetings_file
from knowledge.calendar.meetings import Meeting, import_meetings, list_meetings, next_meeting
from knowledge.dates import parse_cli_date
from knowledge.models import UserError
from knowledge.store import default_db_path, open_db

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``meetings import|list|next``, ``deadlines`` and ``calendar export``."""
    meetings = sub.add_parser("meetings", help="import and list council meetings")
    meetings.set_defaults(run=_help(meetings))
    msub = meetings.add_subparsers(dest="meetings_command", metavar="ACTION")

    p = msub.add_parser("import", help="import meetings from an iCal (.ics) or CSV file")
    p.add_argument("file", help="a .ics calendar (e.g. ModernGov's) or a .csv with a header row")
    p.add_argument("--council", help="the council, for rows that do not name one")
    p.set_defaults(run=_run_import)

    p = msub.add_parser("list", help="list meetings, from calendars and from ingested minutes")
    p.add_argument("--body", help="only this body (any case)")
    p.add_argument(
        "--from", dest="date_from", metavar="DATE", help="from this day (YYYY-MM-DD or DD/MM/YYYY)"
    )
    p.add_argument("--to", dest="date_to", metavar="DATE", help="up to this day, inclusive")
    p.set_defaults(run=_run_list)

    p = msub.add_parser("next", help="the next meeting of a body that is not cancelled")
    p.add_argument("--body", required=True, help="the body (any case)")
    p.set_defaults(run=_run_next)

    p = sub.add_parser(
        "deadlines", help="the deadlines for a meeting (agenda, reports, key decisions, minutes)"
    )
    p.add_argument("--body", required=True, help="the body, e.g. Cabinet")
    p.add_argument(
        "--meeting", required=True, metavar="DATE", help="the meeting day (YYYY-MM-DD or DD/MM/YYYY)"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--config", metavar="FILE", help="the settings file, for per-body deadline rules "
                   "(default: $SCRUTINY_BOT_CONFIG)")  # fmt: skip
    p.set_defaults(run=_run_deadlines)

    cal = sub.add_parser("calendar", help="export meetings and their deadlines as iCal")
    cal.set_defaults(run=_help(cal))
    csub = cal.add_subparsers(dest="calendar_command", metavar="ACTION")
    p = csub.add_parser("export", help="write an .ics file Outlook or Google Calendar can subscribe to")
    p.add_argument("file", help="the .ics file to write")
    p.add_argument("--body", help="only this body (any case)")
    p.add_argument(
        "--from", dest="date_from", metavar="DATE", help="from this day (YYYY-MM-DD or DD/MM/YYYY)"
    )
    p.add_argument("--config", metavar="FILE", help="the settings file, for per-body deadline rules "
                   "(default: $SCRUTINY_BOT_CONFIG)")  # fmt: skip
    p.set_defaults(run=_run_export)


def _deadline_rules(args: argparse.Namespace) -> dict[str, dict[str, object]] | None:
    """The per-body deadline rules of the settings file ([bodies."Cabinet"] report_deadline = 7, ...),
    the same ones the reminders use."""
    from .config import Settings

    settings = Settings.from_env(os.environ, config_path=args.config)
    rules = settings.reminders.deadline_rules
    return {body: dict(values) for body, values in rules.items()} if rules else None


def _help(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return run


def _db(args: argparse.Namespace) -> sqlite_utils.Database:
    return open_db(args.db or default_db_path())


def _date(text: str | None) -> date | None:
    return parse_cli_date(text) if text else None


def _fmt(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _run_import(args: argparse.Namespace) -> int:
    parsed = read_meetings_file(args.file, council=args.council)
    db = _db(args)
    try:
        result = import_meetings(db, parsed, Path(args.file).name)
        known = {m.uid: m for m in list_meetings(db, include_minutes=False)}
    finally:
        db.close()
    print(
        f"{len(result.added)} added, {len(result.updated)} updated, {len(result.unchanged)} unchanged, "
        f"{len(result.cancelled)} cancelled, {len(result.moved)} moved, {len(result.problems)} not imported"
    )
    for label, uids in (
        ("added", result.added),
        ("updated", result.updated),
        ("cancelled", result.cancelled),
    ):
        for uid in uids:
            print(f"  {label}: {_describe(known[uid])}")
    for move in result.moved:
        print(f"  moved: {known[move.uid].body} from {_fmt(move.old_date)} to {_fmt(move.new_date)}")
    for problem in result.problems:
        print(f"  problem: {problem}")
    return 1 if result.problems else 0


def _describe(m: Meeting) -> str:
    at = f" {m.time}" if m.time else ""
    return f"{m.body}, {_fmt(m.date)}{at} ({m.status})"


def _run_list(args: argparse.Namespace) -> int:
    date_from, date_to = _date(args.date_from), _date(args.date_to)
    if date_from and date_to and date_to < date_from:
        raise UserError(f"--to ({date_to.isoformat()}) is before --from ({date_from.isoformat()})")
    db = _db(args)
    try:
        found = list_meetings(db, args.body, date_from, date_to)
    finally:
        db.close()
    if not found:
        print("No meetings found." + (f" (body {args.body!r})" if args.body else ""))
        return 0
    for m in found:
        venue = f"  {m.venue}" if m.venue else ""
        print(f"{m.date.isoformat()}  {m.time or '--:--'}  {m.body}  [{m.status}, {m.source}]{venue}")
    return 0


def _run_next(args: argparse.Namespace) -> int:
    db = _db(args)
    try:
        found = next_meeting(db, args.body, date.today())
    finally:
        db.close()
    if found is None:
        print(f"No coming meeting of {args.body} is known.")
        return 0
    print(_describe(found) + (f", {found.venue}" if found.venue else ""))
    return 0


def _run_deadlines(args: argparse.Namespace) -> int:
    meeting = parse_cli_date(args.meeting)
    found = compute_deadlines(args.body, meeting, _deadline_rules(args))
    if args.json:
        print(json.dumps(deadlines_as_json(args.body, meeting, found), indent=2, ensure_ascii=False))
        return 0
    print(f"Deadlines for {args.body}, meeting {_fmt(meeting)}:")
    width = max(len(DEADLINE_LABELS[d.kind]) for d in found)
    for d in found:
        print(f"  {DEADLINE_LABELS[d.kind]:<{width}}  {_fmt(d.date)}")
    print()
    for d in found:
        print(f"  {DEADLINE_LABELS[d.kind]}: {d.rule}")
    return 0


def _run_export(args: argparse.Namespace) -> int:
    target = Path(args.file)
    db = _db(args)
    try:
        found = list_meetings(db, args.body, _date(args.date_from))
    finally:
        db.close()
    rules = _deadline_rules(args)
    deadlines = {m.uid: compute_deadlines(m.body, m.date, rules) for m in found if not m.is_off}
    data = export_ics(found, deadlines, name="Council meetings and deadlines", stamp=datetime.now(UTC))
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    count = sum(len(v) for v in deadlines.values())
    print(f"Wrote {len(found)} meetings and {count} deadlines to {target}.")
    return 0
