"""The ``sync`` subcommand: the index and the calendar kept current from a council's ModernGov site.

Also the job ``serve`` runs each day from the ``[sync]`` settings (:func:`daily_sync`). The words are
written here; :func:`knowledge.moderngov.sync_site` returns only data.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import TextIO

from knowledge.calendar.recurrence import LONDON
from knowledge.dates import parse_cli_date
from knowledge.models import UserError
from knowledge.moderngov import ModernGovClient, SyncProgress, SyncSummary, Transport, last_synced, sync_site
from knowledge.store import default_db_path, open_db

from .scheduler import DailyJob
from .sync_config import SyncSettings

__all__ = ["daily_sync", "describe", "register", "run_sync"]

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sync``."""
    p = sub.add_parser(
        "sync",
        help="index minutes and meetings from the council's ModernGov site",
        description="Fetch the committees, meetings, agenda items, minutes and attendance from a council's "
        "ModernGov web service (or, when it is switched off, its pages) into the index and the meeting "
        "calendar. Only what changed is indexed again. By default it looks 8 weeks back and 2 weeks ahead.",
    )
    p.add_argument(
        "base_url", nargs="?", metavar="BASE_URL",
        help="the folder holding the site's mg*.aspx pages, e.g. https://democracy.example.gov.uk",
    )  # fmt: skip
    p.add_argument(
        "--council", metavar="NAME", help="the council's name, shown with every answer and meeting"
    )
    p.add_argument(
        "--committee", dest="committees", metavar="NAME_OR_ID", nargs="+", action="extend", default=[],
        help="only these committees, by name or ModernGov id (default: every current committee)",
    )  # fmt: skip
    p.add_argument(
        "--since", metavar="YYYY-MM-DD", help="from this day (a first full sync); default 8 weeks ago"
    )
    p.add_argument("--until", metavar="YYYY-MM-DD", help="up to this day; default 2 weeks ahead")
    p.add_argument(
        "--spacing", type=float, default=1.0, metavar="SECONDS",
        help="seconds between requests to the site (default 1)",
    )  # fmt: skip
    p.add_argument(
        "--recheck", action="store_true",
        help="fetch every meeting in the window again, even those checked in the last day",
    )  # fmt: skip
    p.add_argument("--today", help=argparse.SUPPRESS)  # for reproducible windows in tests
    p.set_defaults(run=run_sync)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def describe(s: SyncSummary, council: str | None = None) -> str:
    """The one-line summary of a sync."""
    where = f"{council} ({s.site})" if council else s.site
    pages = " from the site's pages" if s.via == "pages" else ""
    failures = _plural(len(s.failures), "failure")
    items = f"items {s.items_new} new, {s.items_changed} changed, {s.items_unchanged} unchanged"
    items += f", {s.items_removed} removed" if s.items_removed else ""
    if not s.changed and not s.stopped:
        return (f"Nothing changed at {where}{pages}: {_plural(s.committees, 'committee')} and "
                f"{_plural(s.meetings, 'meeting')} checked, {s.fetched} fetched again; {items}; {failures}.")  # fmt: skip
    extra = [f"{s.meetings_removed} removed" if s.meetings_removed else "",
             f"{s.cancelled} newly cancelled" if s.cancelled else "", f"{s.moved} moved" if s.moved else "",
             f"minutes of {s.confirmed} now confirmed" if s.confirmed else ""]  # fmt: skip
    counts = ", ".join([f"{s.meetings_new} new", f"{s.meetings_changed} changed",
                        f"{s.meetings_unchanged} unchanged", *(e for e in extra if e)])  # fmt: skip
    head = "Stopped early at" if s.stopped else "Synced"
    return (f"{head} {where}{pages}: {_plural(s.committees, 'committee')}, {_plural(s.meetings, 'meeting')} "
            f"({counts}); {items}; {failures}.")  # fmt: skip


class _Bar:
    """A progress bar on a terminal; elsewhere only the notices, one a line."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self.shown = 0

    def __call__(self, p: SyncProgress) -> None:
        if p.stage == "notice":
            self.clear()
            print(p.text, file=self.out, flush=True)
            return
        if not self.tty:
            return
        if p.stage == "listing":
            line = f"Listing meetings: committee {p.done}/{p.total}, {p.text}"
        else:
            filled = round(24 * p.done / max(p.total, 1))
            line = f"[{'#' * filled}{'.' * (24 - filled)}] {p.done}/{p.total} meetings, {p.text}"
        width = shutil.get_terminal_size((100, 20)).columns - 1
        line = line[:width]
        print("\r" + line.ljust(self.shown), end="", file=self.out, flush=True)
        self.shown = len(line)

    def clear(self) -> None:
        """Wipe the bar, so that the next line starts clean."""
        if self.tty and self.shown:
            print("\r" + " " * self.shown + "\r", end="", file=self.out, flush=True)
            self.shown = 0


def _base_url(args: argparse.Namespace) -> str:
    """BASE_URL; also when it was typed after --committee, which took it for a committee."""
    if args.base_url:
        return str(args.base_url)
    if args.committees and str(args.committees[-1]).startswith(("http://", "https://")):
        return str(args.committees.pop())
    raise UserError("give the site's address, e.g. scrutiny-bot sync https://democracy.example.gov.uk")


def _now(args: argparse.Namespace) -> datetime:
    if args.today:
        return datetime.combine(parse_cli_date(args.today), clock_time(12, 0), tzinfo=LONDON)
    return datetime.now(UTC)


@contextmanager
def _quiet_requests() -> Iterator[None]:
    """While a sync runs in a terminal, the client's warning per retried request stays out of sight (the
    summary names what failed); ``--log-level INFO`` shows every request."""
    loggers = [logging.getLogger(name) for name in ("scrutiny_bot.moderngov", "knowledge.moderngov.sync")]
    levels = [logger.level for logger in loggers]
    if logging.getLogger().getEffectiveLevel() >= logging.WARNING:
        for logger in loggers:
            logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def run_sync(
    args: argparse.Namespace,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    transport: Transport | None = None,
) -> int:
    """Sync one site; exit 1 when something failed or the site stopped us, 130 when interrupted."""
    base = _base_url(args)
    since = parse_cli_date(args.since) if args.since else None
    until = parse_cli_date(args.until) if args.until else None
    if not 0 <= args.spacing <= 60:  # also refuses nan
        raise UserError(f"--spacing takes a number of seconds from 0 to 60 (not {args.spacing:g})")
    try:
        client = ModernGovClient(base, spacing=args.spacing, clock=clock, sleep=sleep, transport=transport)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    bar = _Bar(sys.stderr)
    db = open_db(args.db or default_db_path())
    try:
        with _quiet_requests():
            summary = sync_site(db, client, now=_now(args), council=args.council, committees=args.committees,
                                since=since, until=until, recheck=args.recheck, progress=bar)  # fmt: skip
    except KeyboardInterrupt:
        bar.clear()
        print("Interrupted: every meeting stored so far is whole; run the same command again to finish.",
              file=sys.stderr)  # fmt: skip
        return 130
    except sqlite3.Error as exc:  # a full disk, a locked or damaged file: nothing half-written is kept
        log.debug("sync stopped by the database", exc_info=True)  # the details at --log-level DEBUG
        bar.clear()
        print(f"scrutiny-bot sync: the database could not be written ({exc}); every meeting stored so far "
              "is whole; run the same command again to finish.", file=sys.stderr)  # fmt: skip
        return 1
    finally:
        bar.clear()
        db.close()
    if summary.changed or not summary.stopped:  # stopped before anything was stored: the reason alone
        print(describe(summary, args.council))
    for failure in summary.failures:
        print(f"  could not sync {failure.what}: {failure.reason}")
    if summary.stopped:
        print(f"scrutiny-bot sync: {summary.stopped}", file=sys.stderr)
    return 0 if summary.ok else 1


#: A daily sync finding the site synced more recently than this leaves it: the Slack and the Teams
#: ``serve`` of one database both run the daily sync, and one a day is enough.
RECENT_SYNC = timedelta(hours=12)


def daily_sync(db_path: Path, settings: SyncSettings, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> DailyJob:
    """The job ``serve`` (Slack or Teams) runs each day at ``settings.at``: one sync, its summary logged;
    none when the site was synced in the last 12 hours (by the other ``serve``, or by hand)."""

    def run() -> None:
        """One sync with the settings' site; what it did goes to the log."""
        client = ModernGovClient(settings.base_url, spacing=settings.spacing)
        now = clock()
        db = open_db(db_path)
        try:
            last = last_synced(db, client.base_url)
            if last is not None and now - last < RECENT_SYNC:
                log.info("sync: %s was synced at %s already; not again today", client.base_url, last.isoformat())
                return
            summary = sync_site(db, client, now=now, council=settings.council, committees=settings.committees)
        finally:
            db.close()
        line = describe(summary, settings.council)
        for failure in summary.failures:
            line += f" Could not sync {failure.what}: {failure.reason}."
        if summary.stopped:
            log.warning("sync stopped: %s; it runs again tomorrow. %s", summary.stopped, line)
        else:
            log.log(logging.WARNING if summary.failures else logging.INFO, "sync: %s", line)

    return DailyJob("sync", settings.at, run)
