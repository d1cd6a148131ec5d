"""Subcommands for improvement plans and the recommendations tracker: ``plan ...`` and ``recs``."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import sqlite_utils

from knowledge.dates import parse_cli_date
from knowledge.minutes.recs import list_recommendations, open_recommendations, sync_recommendations
from knowledge.models import UserError
from knowledge.plans.actions import find_plan, list_actions, list_plans
from knowledge.plans.imports import import_plan_file, set_plan_options, set_rating_key
from knowledge.plans.reports import build_report, report_csv, report_png, report_text, report_xlsx
from knowledge.store import default_db_path, open_db

__all__ = ["register", "run_plan_import", "run_plan_key", "run_plan_list", "run_plan_report", "run_plan_set",
           "run_recs"]  # fmt: skip

_BINARY = {"xlsx": report_xlsx, "csv": report_csv, "png": report_png}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``plan`` (import, list, report, key, set) and ``recs``."""
    plan = sub.add_parser("plan", help="improvement plans: import, list, report, rating key, settings",
                          description="Improvement plans: actions with an owner, a due date and a RAG rating.")  # fmt: skip

    def show_help(args: argparse.Namespace) -> int:
        plan.print_help()
        return 2

    plan.set_defaults(run=show_help)
    verbs = plan.add_subparsers(dest="plan_command", metavar="ACTION")

    p = verbs.add_parser("import", help="import or re-import a plan from a .csv or .xlsx file",
                         description="Import a plan. Headers are matched loosely (\"Action ref\", \"Ref.\", "
                         "\"Lead officer\", \"Target date\", \"RAG\", \"Status\"...). Rows with problems are "
                         "reported and left out; the others are imported. Re-importing updates actions and "
                         "keeps their history.")  # fmt: skip
    p.add_argument("file", metavar="FILE")
    p.add_argument("--plan", required=True, metavar="NAME", help="the plan's name")
    p.add_argument("--channel", help="a Slack channel id where status changes are announced")
    p.set_defaults(run=run_plan_import)

    p = verbs.add_parser("list", help="the plans and their actions' ratings")
    p.set_defaults(run=run_plan_list)

    p = verbs.add_parser("report", help="a plan's report: text, or a file for the scrutiny report pack")
    p.add_argument("plan", nargs="?", metavar="PLAN", help="the plan (default: the only one)")
    p.add_argument("--format", choices=["text", "xlsx", "csv", "png"], default="text")
    p.add_argument(
        "--out", metavar="FILE", help="where to write xlsx, csv or png (default: a name in this folder)"
    )
    p.add_argument(
        "--stale-days", type=int, default=60, help="flag actions with no update for this long (60)"
    )
    p.add_argument("--today", help=argparse.SUPPRESS)  # for reproducible reports
    p.set_defaults(run=run_plan_report)

    p = verbs.add_parser("key", help="show or change a plan's rating key",
                         description="Show a plan's ratings, or set them in order from complete to red, "
                         'like --set "Blue=complete,Green,Amber,Red". A rating whose name or meaning is a colour '
                         "is drawn in it; one meaning complete/done counts as complete.")  # fmt: skip
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("--set", dest="key", metavar="RATINGS", help='e.g. "Complete=blue done,Green,Amber,Red"')
    p.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                   help="re-rate actions rated OLD as NEW (the history keeps the old name)")  # fmt: skip
    p.set_defaults(run=run_plan_key)

    p = verbs.add_parser("set", help="a plan's announcement channel and who may rate its actions")
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("--channel", help='a Slack channel id for notices ("" for none)')
    who = p.add_mutually_exclusive_group()
    who.add_argument("--owner-only", dest="owner_only", action="store_const", const=True,
                     help="officers may rate only actions they own (by their name in the config's [users])")  # fmt: skip
    who.add_argument("--any-officer", dest="owner_only", action="store_const", const=False,
                     help="any officer may rate any action (the default)")  # fmt: skip
    p.set_defaults(run=run_plan_set)

    r = sub.add_parser("recs", help="scrutiny recommendations found in the minutes, and their responses")
    r.add_argument("--open", action="store_true", help="only those not yet implemented or rejected")
    r.add_argument("--today", help=argparse.SUPPRESS)
    r.set_defaults(run=run_recs)


def _db(args: argparse.Namespace) -> sqlite_utils.Database:
    return open_db(args.db or default_db_path())


def _today(args: argparse.Namespace) -> date:
    return parse_cli_date(args.today) if getattr(args, "today", None) else date.today()


def run_plan_import(args: argparse.Namespace) -> int:
    """Import a plan file; exit 1 if any row had a problem."""
    db = _db(args)
    try:
        parsed, result = import_plan_file(
            db, args.file, args.plan, now=datetime.now(UTC), channel=args.channel
        )
    finally:
        db.close()
    print(f"Read {Path(args.file).name} (headers on row {parsed.header_row}). Columns:")
    for line in parsed.describe_columns():
        print(f"  {line}")
    print(f"{result.plan.name}: {len(result.added)} added, {len(result.updated)} updated, "
          f"{result.unchanged} unchanged, {len(result.problems)} row(s) with problems left out.")  # fmt: skip
    if result.kept:
        print(f"  Kept the newer update already recorded for {', '.join(result.kept)}.")
    if result.not_in_file:
        print(f"  In the plan but not in this file (left as they were): {', '.join(result.not_in_file)}.")
    for problem in result.problems:
        print(f"  {problem}")
    return 1 if result.problems else 0


def run_plan_list(args: argparse.Namespace) -> int:
    """List the plans with their ratings."""
    db = _db(args)
    try:
        plans = list_plans(db)
        if not plans:
            raise UserError("no plan has been imported yet: scrutiny-bot plan import FILE --plan NAME")
        for p in plans:
            actions = list_actions(db, p)
            counts = ", ".join(f"{sum(1 for a in actions if a.rating == n)} {n}" for n in p.key.names())
            who = "owners only" if p.owner_only else "any officer"
            channel = f", notices to {p.channel}" if p.channel else ""
            print(f"{p.name} ({p.code}): {len(actions)} actions: {counts}. Rated by {who}{channel}.")
    finally:
        db.close()
    return 0


def run_plan_report(args: argparse.Namespace) -> int:
    """Print a plan's report, or write it as XLSX, CSV or PNG."""
    db = _db(args)
    try:
        report = build_report(db, args.plan, _today(args), stale_days=args.stale_days)
    finally:
        db.close()
    if args.format == "text":
        print(report_text(report))
        return 0
    stem = re.sub(r"[^a-z0-9]+", "-", report.plan.name.lower().replace("'", "")).strip("-")
    out = Path(args.out) if args.out else Path(f"{stem}-{report.today.isoformat()}.{args.format}")
    try:
        out.write_bytes(_BINARY[args.format](report))
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"Wrote {out} ({len(report.actions)} actions).")
    return 0


def run_plan_key(args: argparse.Namespace) -> int:
    """Show or set a plan's rating key."""
    renames = {}
    for pair in args.rename:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise UserError(f"--rename takes OLD=NEW, like --rename Blue=Complete, not {pair!r}")
        renames[old.strip()] = new.strip()
    db = _db(args)
    try:
        if not args.key:
            if renames:
                raise UserError("--rename goes with --set: give the new key too")
            plan = find_plan(db, args.plan)
            print(f"{plan.name}: {plan.key.describe()}")
            return 0
        plan, moved = set_rating_key(db, args.plan, args.key, renames=renames)
    finally:
        db.close()
    print(f"{plan.name}: ratings now {plan.key.describe()}.")
    if moved:
        print("Actions re-rated: " + ", ".join(f"{old} → {new}" for old, new in moved.items()) + ".")
    return 0


def run_plan_set(args: argparse.Namespace) -> int:
    """Set a plan's channel and owner restriction."""
    db = _db(args)
    try:
        plan = set_plan_options(db, args.plan, channel=args.channel, owner_only=args.owner_only)
    finally:
        db.close()
    who = (
        "only each action's owner (clerks and admins too)"
        if plan.owner_only
        else "any officer, clerk or admin"
    )
    print(f"{plan.name}: notices to {plan.channel or 'no channel'}; actions may be rated by {who}.")
    return 0


def run_recs(args: argparse.Namespace) -> int:
    """List tracked recommendations (after bringing the tracker up to date with the minutes)."""
    today = _today(args)
    db = _db(args)
    try:
        sync_recommendations(db)
        recs = open_recommendations(db, today) if args.open else list_recommendations(db)
    finally:
        db.close()
    if not recs:
        print(
            "No open recommendations." if args.open else "No recommendations in the minutes I hold.",
            file=sys.stderr,
        )
        return 0
    for r in recs:
        flag = " (no response after two months)" if r.response_overdue(today) else ""
        when = r.meeting_date.isoformat() if r.meeting_date else "undated"
        label = f"{r.label}) " if r.label else ""
        print(f"{r.ref}\t{r.status}{flag}\t{r.body or '-'}, {when}: {label}{r.text}")
        if r.response:
            print(f"\tresponse {r.response_date or ''}: {r.response}")
    return 0
