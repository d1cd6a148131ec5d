"""Subcommands for chat: ``chat`` (in this terminal) and ``serve`` (the Slack app, or ``--teams`` Teams)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from handlers.commands import build_registry
from handlers.context import Context
from knowledge.addresses import is_teams_address
from knowledge.store import default_db_path, open_db

from .config import Settings
from .scheduler import DailyJob, ticking

__all__ = ["make_context", "register", "run_chat", "run_serve"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``chat`` and ``serve``."""
    chat = sub.add_parser(
        "chat",
        help="talk to the bot in this terminal",
        description="Ask questions and use the bot's commands in this terminal, as in Slack. "
        "Type help for the commands, :as USER to be somebody else, :quit to leave.",
    )
    chat.add_argument(
        "--sample",
        action="store_true",
        help="use a fresh database of the bundled sample council (Northbridge)",
    )
    chat.add_argument(
        "--config", metavar="FILE", help="the roles and channels file (default: $SCRUTINY_BOT_CONFIG)"
    )
    chat.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        help="a configured user id or name, or a role (default: member)",
    )
    chat.add_argument(
        "--save-to", metavar="DIR", default=".", help="where to save files the bot sends (default: here)"
    )
    chat.add_argument(
        "--no-reminders", action="store_true", help="do not print reminders here as they fall due"
    )
    chat.set_defaults(run=run_chat)

    serve = sub.add_parser(
        "serve",
        help="run the Slack app (or, with --teams, the Teams bot)",
        description="Run the Slack app: over Socket Mode when SLACK_APP_TOKEN is set, otherwise as an "
        "HTTP server for Slack's events, slash commands and interactivity at /slack/events. "
        "Needs SLACK_BOT_TOKEN, and SLACK_SIGNING_SECRET for HTTP. With --teams, serve Microsoft Teams "
        "at /api/messages instead (the Entra app's settings in the environment, see the README).",
    )
    serve.add_argument(
        "--teams", action="store_true", help="serve Microsoft Teams at /api/messages instead of Slack"
    )
    serve.add_argument("--port", type=int, default=None, help="the HTTP port (default: 3000; 3978 for Teams)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument(
        "--config", metavar="FILE", help="the roles and channels file (default: $SCRUTINY_BOT_CONFIG)"
    )
    serve.add_argument(
        "--sample", action="store_true", help="serve a fresh database of the bundled sample council"
    )
    serve.add_argument("--no-reminders", action="store_true", help="do not send reminders from this process")
    serve.set_defaults(run=run_serve)


def make_context(settings: Settings, db_path: Path) -> Context:
    """The handlers' services for a database file: a connection per unit of work, the real clock."""
    open_db(db_path).close()  # create and migrate once, before any thread opens it
    return Context(
        open_db=lambda: open_db(db_path), access=settings.access, reminders=settings.reminders,
        council=settings.council,
    )  # fmt: skip


@contextmanager
def _database(args: argparse.Namespace, settings: Settings, environ: Mapping[str, str]) -> Iterator[Path]:
    if not getattr(args, "sample", False):
        yield Path(args.db) if args.db else (settings.db_path or default_db_path(environ))
        return
    from knowledge.minutes.ingest import load_sample

    with tempfile.TemporaryDirectory(prefix="scrutiny-bot-sample-") as folder:
        path = Path(folder) / "sample.db"
        db = open_db(path)
        try:
            count = load_sample(db, today=date.today())
        finally:
            db.close()
        print(f"Loaded the sample council (Northbridge Borough Council): {count} items.", file=sys.stderr)
        yield path


def _config_path(args: argparse.Namespace, environ: Mapping[str, str]) -> str | Path | None:
    """--config, else $SCRUTINY_BOT_CONFIG, else for --sample the sample council's own settings."""
    if args.config or environ.get("SCRUTINY_BOT_CONFIG") or not getattr(args, "sample", False):
        return args.config
    from knowledge.minutes.ingest import sample_config_path

    return sample_config_path()


def _history_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("scrutiny-bot", appauthor=False)) / "chat_history"


def run_chat(args: argparse.Namespace) -> int:
    """``scrutiny-bot chat``: the terminal chat."""
    from .notifiers import TerminalNotifier
    from .terminal import Terminal

    settings = Settings.from_env(os.environ, config_path=_config_path(args, os.environ))
    with _database(args, settings, os.environ) as path:
        terminal = Terminal(
            build_registry(),
            make_context(settings, path),
            stdin=sys.stdin,
            stdout=sys.stdout,
            user=args.as_user,
            history_file=_history_file(),
            save_dir=Path(args.save_to),
        )
        notifier = TerminalNotifier(terminal)
        with ticking(path, notifier, settings.reminders, enabled=not args.no_reminders, transport="terminal"):
            return terminal.run()


def daily_jobs(args: argparse.Namespace, settings: Settings, path: Path) -> list[DailyJob]:
    """What ``serve`` (Slack or Teams) runs once a day: the ModernGov sync, when ``[sync]`` names a
    site (never over the bundled sample)."""
    from .cli_sync import daily_sync

    return [daily_sync(path, settings.sync)] if settings.sync and not args.sample else []


def run_serve(args: argparse.Namespace) -> int:
    """``scrutiny-bot serve``: the Slack app (with ``--teams``, the Teams bot), until interrupted."""
    from .notifiers import SlackNotifier
    from .slack_app import build_app
    from .slack_serve import check_connection, serve

    settings = Settings.from_env(os.environ, config_path=_config_path(args, os.environ))
    if args.teams:
        from .cli_teams import run_teams_serve

        settings.check_teams()
        with _database(args, settings, os.environ) as path:
            return run_teams_serve(args, settings, path)
    settings.check_slack()
    print(f"Connected to Slack as {check_connection(settings)}.", file=sys.stderr)
    with _database(args, settings, os.environ) as path:
        app = build_app(settings, make_context(settings, path))
        daily = daily_jobs(args, settings, path)
        with ticking(
            path, SlackNotifier.from_settings(settings), settings.reminders, enabled=not args.no_reminders,
            daily=daily, accepts=lambda to: not is_teams_address(to),  # a Teams channel or person is the Teams bot's
        ):  # fmt: skip
            serve(app, settings, host=args.host, port=args.port or 3000)
    return 0
