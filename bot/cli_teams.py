"""Subcommands for Teams: ``teams package`` (the app package to upload) and ``serve --teams``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from handlers.commands import build_registry

from .config import Settings
from .scheduler import ticking
from .teams_package import AppDetails, write_package

__all__ = ["DEFAULT_PORT", "register", "run_package", "run_teams_serve"]

#: The port Teams bots listen on by convention (the Bot Framework's tools use it too).
DEFAULT_PORT = 3978


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``teams package``."""
    teams = sub.add_parser("teams", help="the Microsoft Teams app", description="The Microsoft Teams app.")
    commands = teams.add_subparsers(dest="teams_command", metavar="COMMAND")
    package = commands.add_parser(
        "package",
        help="make the Teams app package (manifest and icons) to upload to Teams",
        description="Write the zip Teams takes for 'Upload a custom app' (or the Teams admin centre): "
        "manifest.json with the bot's Entra app id, and its two icons.",
    )
    package.add_argument("--app-id", required=True, metavar="GUID", help="the bot's Entra app (client) id")
    package.add_argument("--out", default="scrutiny-bot.zip", metavar="FILE", help="where to write the zip")
    defaults = AppDetails()
    package.add_argument("--version", dest="app_version", default=defaults.version,
                         help="the app's version; raise it for each upload (default: %(default)s)")  # fmt: skip
    package.add_argument(
        "--developer", default=defaults.developer, help="who publishes the app (default: %(default)s)"
    )
    package.add_argument("--website", default=defaults.website, help="the publisher's https:// page")
    package.add_argument("--privacy", default=defaults.privacy, help="the privacy notice, https://")
    package.add_argument("--terms", default=defaults.terms, help="the terms of use, https://")
    package.set_defaults(run=run_package)


def run_package(args: argparse.Namespace) -> int:
    """``scrutiny-bot teams package``: write the app package."""
    details = AppDetails(app_id=args.app_id.strip().lower(), version=args.app_version, developer=args.developer,
                         website=args.website, privacy=args.privacy, terms=args.terms)  # fmt: skip
    written = write_package(details, build_registry(), Path(args.out))
    print(f"Wrote {written}: upload it in Teams (Apps > Manage your apps > Upload an app).", file=sys.stderr)
    return 0


def run_teams_serve(args: argparse.Namespace, settings: Settings, db_path: Path) -> int:
    """``scrutiny-bot serve --teams``: the Teams endpoint, its reminders and the daily ModernGov sync
    (``[sync]``), until interrupted (``settings`` already checked with :meth:`Settings.check_teams`)."""
    from .cli_chat import daily_jobs, make_context
    from .teams_app import build_bot
    from .teams_delivery import TRANSPORT, TeamsNotifier
    from .teams_serve import make_adapter, make_connections, make_web_app, serve

    services = make_context(settings, db_path)
    connections, auth = make_connections(settings.teams)
    adapter = make_adapter(connections, anonymous=settings.teams.anonymous)
    bot = build_bot(services, connections)
    notifier = TeamsNotifier(adapter, services.open_db)
    daily = daily_jobs(args, settings, db_path)
    with ticking(db_path, notifier, settings.reminders, enabled=not args.no_reminders, transport=TRANSPORT,
                 accepts=notifier.accepts, daily=daily):  # fmt: skip
        serve(make_web_app(bot, adapter, auth), host=args.host, port=args.port or DEFAULT_PORT,
              anonymous=settings.teams.anonymous)  # fmt: skip
    return 0
