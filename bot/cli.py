"""The command line: ``scrutiny-bot SUBCOMMAND ...``.

Each feature registers its subcommands from its own module (``register(subparsers)``), and
each subcommand is a function ``run(args) -> int``. Library errors meant for users
(:class:`knowledge.models.UserError`) become a polite message and exit status 2.

The global options (``--db``, ``--log-level``) may come before the subcommand or after it, at any
level (``scrutiny-bot --db X ask Q``, ``scrutiny-bot ask Q --db X``, ``scrutiny-bot meetings list
--db X``); given in both places, the one after the subcommand wins.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from knowledge.models import UserError

from . import cli_calendar, cli_chat, cli_feedback, cli_minutes, cli_plans, cli_reminders, cli_sync, cli_teams

__all__ = ["build_parser", "main"]

#: Modules that add subcommands. Each has ``register(subparsers) -> None``.
_FEATURES = [cli_minutes, cli_sync, cli_calendar, cli_chat, cli_reminders, cli_plans, cli_feedback, cli_teams]


def _add_global_options(parser: argparse.ArgumentParser, *, db: str | None, log_level: str) -> None:
    parser.add_argument(
        "--db",
        default=db,
        help="the database file (default: $SCRUTINY_BOT_DB or a per-user data folder)",
    )
    parser.add_argument("--log-level", default=log_level, help="DEBUG, INFO, WARNING (default) or ERROR")


class _CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: it takes the global options too, so they may follow the subcommand.

    Their default is SUPPRESS, so a subcommand leaves the value given before it (or the top-level
    default) alone unless the option is given after it. Nested subcommands (``meetings list``) are
    made with this class too, as ``add_subparsers`` uses the class of the parser it is called on.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_global_options(self, db=argparse.SUPPRESS, log_level=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every feature's subcommands."""
    parser = argparse.ArgumentParser(
        prog="scrutiny-bot",
        description="Answers questions about council minutes, tracks improvement plans and sends reminders.",
    )
    _add_global_options(parser, db=None, log_level="WARNING")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)
    for feature in _FEATURES:
        feature.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, str(args.log_level).upper(), logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except UserError as exc:
        print(f"scrutiny-bot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
