"""The command line: ``scrutiny-bot SUBCOMMAND ...``.

Each feature registers its subcommands from its own module (``register(subparsers)``), and
each subcommand is a function ``run(args) -> int``. Library errors meant for users
(:class:`knowledge.models.UserError`) become a polite message and exit status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from knowledge.models import UserError

from . import cli_calendar, cli_chat, cli_minutes, cli_plans, cli_reminders

__all__ = ["build_parser", "main"]

#: Modules that add subcommands. Each has ``register(subparsers) -> None``.
_FEATURES = [cli_minutes, cli_calendar, cli_chat, cli_reminders, cli_plans]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every feature's subcommands."""
    parser = argparse.ArgumentParser(
        prog="scrutiny-bot",
        description="Answers questions about council minutes, tracks improvement plans and sends reminders.",
    )
    parser.add_argument("--db", help="the database file (default: $SCRUTINY_BOT_DB or a per-user data folder)")
    parser.add_argument("--log-level", default="WARNING", help="DEBUG, INFO, WARNING (default) or ERROR")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
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
