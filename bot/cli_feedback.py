"""The ``feedback`` subcommand: what people said about the bot's answers, so a clerk can see what
members could not find."""

from __future__ import annotations

import argparse
import sys

from knowledge.answers.feedback import feedback_csv, list_feedback
from knowledge.dates import parse_cli_date
from knowledge.store import default_db_path, open_db

__all__ = ["register"]

_MARKS = {"good": "👍", "bad": "👎"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``feedback``."""
    p = sub.add_parser(
        "feedback",
        help="list the 👍 and 👎 people gave answers, with the question, the note and what was cited",
        description="List the feedback given on answers in chat (oldest first): when, 👍 or 👎, who, the "
        "question, what was wrong, and the answer's citations.",
    )
    p.add_argument(
        "--since", metavar="DATE", help="only feedback from this day on (YYYY-MM-DD or DD/MM/YYYY)"
    )
    p.add_argument("--bad", action="store_true", help="only the answers that did not help (👎)")
    p.add_argument("--csv", action="store_true", help="print CSV (for a spreadsheet) instead of text")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    since = parse_cli_date(args.since) if args.since else None
    db = open_db(args.db or default_db_path())
    try:
        found = list_feedback(db, since)
    finally:
        db.close()
    if args.bad:
        found = [f for f in found if f.rating == "bad"]
    if args.csv:
        sys.stdout.write(feedback_csv(found))
        return 0
    if not found:
        print("No feedback yet." if since is None else f"No feedback since {since.isoformat()}.")
        return 0
    for f in found:
        print(f"{f.at:%Y-%m-%d %H:%M}  {_MARKS.get(f.rating, f.rating)}  {f.user_id}  “{f.question}”")
        if f.note:
            print(f"    What was wrong: {f.note}")
        if f.citations:
            print(f"    Cited: {f.cited()}")
    return 0
