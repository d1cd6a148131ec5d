"""Subcommands for minutes: ``ingest`` and ``ask``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import TextIO

from knowledge.answers.ask import ask
from knowledge.dates import parse_cli_date
from knowledge.minutes.ingest import FileResult, ingest_files
from knowledge.minutes.parse import PageMeta
from knowledge.models import UserError
from knowledge.store import DEFAULT_BUSY_TIMEOUT, default_db_path, open_db

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``ingest`` and ``ask``."""
    p = sub.add_parser(
        "ingest",
        help="index minutes pages (text or saved HTML)",
        description="Index minutes pages. Values given here fill in what a page does not state itself.",
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="files, or folders to search for .txt/.html files"
    )
    p.add_argument("--council", help="the council, where the page does not state it")
    p.add_argument("--body", help="the committee or board, where the page does not state it")
    p.add_argument("--date", help="the meeting date (YYYY-MM-DD), where the page does not state it")
    p.add_argument("--url", help="the page's address, for citations")
    p.add_argument("--manifest", help="a CSV with columns path,council,body,date,url (one row a file)")
    p.add_argument("--force", action="store_true", help="re-parse files even if they have not changed")
    p.add_argument(
        "--allow-outside",
        action="store_true",
        help="let a manifest name files outside its own folder (refused by default; trust the manifest first)",
    )
    p.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_BUSY_TIMEOUT,
        metavar="SECONDS",
        help="how long each file waits while another program writes to the database "
        f"(default {DEFAULT_BUSY_TIMEOUT:g})",
    )
    p.set_defaults(run=run_ingest)

    a = sub.add_parser(
        "ask", help="ask a question about the minutes", description="Ask a question about the minutes."
    )
    a.add_argument(
        "question",
        help='the question, or "-" to read one question a line from standard input '
        "(one answer a line; a blank line is answered with how to ask)",
    )
    a.add_argument("--json", action="store_true", help="print a JSON object (one a line with -)")
    a.add_argument("--include-exempt", action="store_true", help="include exempt (Part 2) material")
    a.add_argument(
        "--council", metavar="NAME",
        help="answer questions that name no council from this council's minutes (chat and serve read "
        "[council] name from the settings file)",
    )  # fmt: skip
    a.add_argument("--today", help=argparse.SUPPRESS)  # for reproducible answers to relative dates
    a.set_defaults(run=run_ask)


def _progress(out: TextIO) -> Callable[[int, int, FileResult], None]:
    tty = out.isatty()

    def show(n: int, total: int, result: FileResult) -> None:
        if result.status == "failed":
            print(("\r" if tty else "") + f"failed: {result.path}: {result.reason}", file=out)
        if tty:
            print(f"\ringesting {n}/{total} files…", end="" if n < total else "\n", file=out, flush=True)
        elif total >= 20 and (n % 50 == 0 or n == total):
            print(f"ingested {n}/{total} files", file=out, flush=True)

    return show


def run_ingest(args: argparse.Namespace) -> int:
    """Ingest files; exit 1 if any file was refused, could not be read or parsed, or stored."""
    if not args.paths and not args.manifest:
        raise UserError(
            "name the files to ingest, or a --manifest CSV. Example: scrutiny-bot ingest minutes/*.txt"
        )
    if not args.wait >= 0:  # also refuses nan
        raise UserError(f"--wait takes a number of seconds, 0 or more (not {args.wait:g})")
    meta = PageMeta(
        council=args.council,
        body=args.body,
        meeting_date=parse_cli_date(args.date) if args.date else None,
        url=args.url,
    )
    db = open_db(args.db or default_db_path(), busy_timeout=args.wait)
    try:
        results = ingest_files(db, args.paths, meta=meta, manifest=args.manifest, force=args.force,
                               allow_outside=args.allow_outside, on_progress=_progress(sys.stderr))  # fmt: skip
    finally:
        db.close()
    done = [r for r in results if r.status == "ingested"]
    same = [r for r in results if r.status == "unchanged"]
    failed = [r for r in results if r.status == "failed"]
    items = sum(r.items for r in done)
    print(f"{len(done)} file(s) ingested ({items} items), {len(same)} unchanged, {len(failed)} failed.")
    for r in failed:
        print(f"  could not ingest {r.path}: {r.reason}")
    return 1 if failed else 0


def _today(args: argparse.Namespace) -> date:
    return parse_cli_date(args.today) if args.today else date.today()


def run_ask(args: argparse.Namespace) -> int:
    """Answer one question, or with '-' one a line from standard input: an answer for every line."""
    db = open_db(args.db or default_db_path())
    today = _today(args)
    try:
        if args.question == "-":
            # a blank line gets an answer too (how to ask), so answers line up with questions
            for line in sys.stdin:
                answer = ask(db, line.rstrip("\n"), today=today, include_restricted=args.include_exempt,
                             council=args.council)  # fmt: skip
                if args.json:
                    print(json.dumps(answer.as_json(), ensure_ascii=False), flush=True)
                else:
                    print(answer.text + "\n", flush=True)
            return 0
        answer = ask(db, args.question, today=today, include_restricted=args.include_exempt, council=args.council)
    finally:
        db.close()
    if args.json:
        print(json.dumps(answer.as_json(), ensure_ascii=False, indent=2))
    else:
        print(answer.text)
    return 0
