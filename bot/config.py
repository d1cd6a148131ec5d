"""Settings: parsed once from the environment and an optional TOML file, every problem listed at once.

The TOML file (``--config FILE`` or ``$SCRUTINY_BOT_CONFIG``) holds who is who, never secrets::

    [roles]               # Slack user ids and, for Teams, Entra object ids, in the same lists
    officers = ["U0123ABCD", "8f0c5a1e-2b3d-4c5e-9f60-7a8b9c0d1e2f"]
    clerks = ["U0456EFGH"]
    admins = ["U0789IJKL"]
    # or one user at a time: U0AAAAAAA = "officer"

    [channels]            # who may read a channel: public (the default), members or officers
    C0123ABCD = "officers"                       # a Slack channel id
    "19:a1b2c3d4e5f6@thread.tacv2" = "officers"  # a Teams channel or group chat id

    [users]               # optional names, shown by whoami and usable with the terminal's :as
    U0123ABCD = "Sam Patel"

    [reminders]           # and [bodies."Cabinet"], [owners]: see bot.reminder_config
    channel = "C0SCRUTINY"

    [council]             # a deployment for one council: questions that name none are about it
    name = "Eastmoor District Council"

    [sync]                # `serve` syncs from the council's ModernGov site each day: see bot.sync_config
    base_url = "https://democracy.eastmoor.example.gov.uk"

Secrets (``SLACK_BOT_TOKEN``, ``SLACK_SIGNING_SECRET``, ``SLACK_APP_TOKEN``, and for Teams the Agents
SDK's ``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__*``, see :mod:`bot.teams_config`) come only from the
environment. An Entra object id is kept lower-case; a Teams channel id without its ``;messageid=``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from handlers.access import AUDIENCES, Access, role_rank
from handlers.messages import ROLES
from knowledge.addresses import (
    ENTRA_EXAMPLE,
    TEAMS_CHANNEL_EXAMPLE,
    entra_object_id,
    slack_channel_id,
    slack_user_id,
    teams_conversation_id,
)
from knowledge.calendar.reminders import ReminderSettings
from knowledge.models import UserError

from .reminder_config import REMINDER_SECTIONS, parse_reminders, read_table
from .sync_config import SyncSettings, parse_sync
from .teams_config import TeamsSettings

__all__ = ["DEFAULT_SLACK_API_URL", "ConfigError", "Settings", "parse_config", "parse_council"]

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
_SECTIONS = ("roles", "channels", "users", "council", "sync", *REMINDER_SECTIONS)
_ROLE_KEYS = {f"{r}s": r for r in ROLES}
_SECRET_WORDS = ("token", "secret", "password")


class ConfigError(UserError):
    """The settings have problems; all of them are listed."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = "a problem" if len(self.problems) == 1 else f"{len(self.problems)} problems"
        super().__init__(f"the configuration has {count}:\n{lines}")


@dataclass(frozen=True)
class Settings:
    """Everything the bot is configured with. Build it with :meth:`from_env`."""

    access: Access = field(default_factory=Access)
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    db_path: Path | None = None
    config_path: Path | None = None
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    council: str | None = None  # [council] name: the council questions default to
    sync: SyncSettings | None = None  # [sync]: what `serve` syncs each day, if anything
    teams: TeamsSettings = field(default_factory=TeamsSettings)  # the Entra app, or anonymous mode

    @property
    def socket_mode(self) -> bool:
        """True when Slack should be reached over Socket Mode (``SLACK_APP_TOKEN`` is set)."""
        return bool(self.slack_app_token)

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, config_path: str | Path | None = None) -> Settings:
        """Read the environment and the TOML file (``config_path`` or ``$SCRUTINY_BOT_CONFIG``)."""
        problems: list[str] = []
        path_text = str(config_path) if config_path else environ.get("SCRUTINY_BOT_CONFIG", "")
        path = Path(path_text).expanduser() if path_text else None
        access, reminders, council, sync = Access(), ReminderSettings(), None, None
        if path is not None:
            access, reminders, council, sync = _read_config(path, problems)
        api_url = environ.get("SLACK_API_URL", "") or DEFAULT_SLACK_API_URL
        if not _is_web_url(api_url):
            problems.append(f"SLACK_API_URL must be an http(s) URL with a host, not {_url_start(api_url)}")
        if not api_url.endswith("/"):
            api_url += "/"
        bot_token = environ.get("SLACK_BOT_TOKEN") or None
        if bot_token and not bot_token.startswith("xoxb-"):
            problems.append("SLACK_BOT_TOKEN must be a bot token (it starts with xoxb-)")
        app_token = environ.get("SLACK_APP_TOKEN") or None
        if app_token and not app_token.startswith("xapp-"):
            problems.append("SLACK_APP_TOKEN must be an app-level token (it starts with xapp-)")
        teams = TeamsSettings.from_env(environ, problems)
        if problems:
            raise ConfigError(problems)
        db = environ.get("SCRUTINY_BOT_DB")
        return cls(
            access=access,
            slack_bot_token=bot_token,
            slack_signing_secret=environ.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=app_token,
            slack_api_url=api_url,
            db_path=Path(db).expanduser() if db else None,
            config_path=path,
            reminders=reminders,
            council=council,
            sync=sync,
            teams=teams,
        )

    def check_slack(self) -> None:
        """Raise :class:`ConfigError` listing whatever Slack needs and is missing."""
        problems = []
        if not self.slack_bot_token:
            problems.append("SLACK_BOT_TOKEN is not set (the app's Bot User OAuth Token, xoxb-...)")
        if not self.socket_mode and not self.slack_signing_secret:
            problems.append(
                "SLACK_SIGNING_SECRET is not set (Basic Information > App Credentials); "
                "or set SLACK_APP_TOKEN to use Socket Mode"
            )
        if problems:
            raise ConfigError(problems)

    def check_teams(self) -> None:
        """Raise :class:`ConfigError` listing whatever serving Teams needs and is missing."""
        problems = self.teams.problems()
        if problems:
            raise ConfigError(problems)


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("https", "http") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # an invalid IPv6 address, or a port that is not a number up to 65535
        return False


def _url_start(url: str) -> str:
    """Only the scheme and host of ``url``: the rest may hold a user name, password or token."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "an unreadable URL"
    if not parts.scheme.isalpha() or len(parts.scheme) > 10:  # not a scheme but a pasted value
        return "a URL without a scheme (like https://)"
    shown = f"[{host}]" if ":" in host else host
    return repr(f"{parts.scheme}://{shown}" + ("/..." if host else ""))


def _read_config(
    path: Path, problems: list[str]
) -> tuple[Access, ReminderSettings, str | None, SyncSettings | None]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"config file {path} not found")
        return Access(), ReminderSettings(), None, None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"config file {path} cannot be read: {exc}")
        return Access(), ReminderSettings(), None, None
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"config file {path} is not valid TOML: {exc}")
        return Access(), ReminderSettings(), None, None
    access = parse_config(data, problems, where=str(path))
    reminders = parse_reminders(data, access, problems, where=str(path))
    council = parse_council(data, problems, where=str(path))
    return access, reminders, council, parse_sync(data, problems, where=str(path), council=council)


def parse_council(data: Mapping[str, Any], problems: list[str], *, where: str = "config") -> str | None:
    """The ``[council] name`` a deployment sets, or None; problems are appended to ``problems``."""
    table = data.get("council")
    if table is None:
        return None
    if not isinstance(table, Mapping) or set(table) - {"name"}:
        problems.append(f'{where}: [council] takes one setting, name = "the council\'s name"')
        return None
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f'{where}: [council] name must be the council\'s name in quotes, like "Eastmoor District Council"')
        return None
    return " ".join(name.split())


def parse_config(data: Mapping[str, Any], problems: list[str], *, where: str = "config") -> Access:
    """The :class:`Access` a parsed TOML document describes; problems are appended to ``problems``."""
    _find_secrets(data, problems, where, "")
    for key in data:
        if key not in _SECTIONS:
            problems.append(f"{where}: unknown section [{key}] (known: {', '.join(_SECTIONS)})")
    roles = _roles(read_table(data, "roles", problems, where), problems, where)
    audiences: dict[str, str] = {}
    for channel, audience in read_table(data, "channels", problems, where).items():
        channel_id = slack_channel_id(channel) or teams_conversation_id(channel)
        if channel_id is None:
            problems.append(f"{where}: [channels] {channel!r} is not a channel id: a Slack channel id (like "
                            f'C0123ABCD) or a Teams channel or group chat id, in quotes (like "{TEAMS_CHANNEL_EXAMPLE}")')  # fmt: skip
        if audience not in AUDIENCES:
            problems.append(
                f"{where}: [channels] {channel} = {audience!r}: the audience must be one of "
                f"{', '.join(AUDIENCES)}"
            )
        elif channel_id is not None:
            audiences[channel_id] = audience
    names: dict[str, str] = {}
    for user, name in read_table(data, "users", problems, where).items():
        user_id = _user_id(user)
        if user_id is None:
            problems.append(f"{where}: [users] {_not_a_user(user)}")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: [users] {user} must be a name in quotes")
        elif user_id is not None:
            names[user_id] = name.strip()
    return Access(roles=roles, audiences=audiences, names=names)


def _not_a_user(user: object) -> str:
    """Why ``user`` is not a user id, and what one looks like (an e-mail address is a common slip)."""
    said = f"{user!r} is not a user id: a Slack user id (like U0123ABCD) or an Entra object id (like {ENTRA_EXAMPLE})"
    if isinstance(user, str) and "@" in user:
        said += "; for Teams, give the person's Object ID from Entra ID (Users > the person), not their e-mail"
    return said


def _user_id(text: str) -> str | None:
    """A Slack user id as written, or an Entra object id (Teams) lower-case; None for anything else."""
    return slack_user_id(text) or entra_object_id(text)


def _roles(table: Mapping[str, Any], problems: list[str], where: str) -> dict[str, str]:
    roles: dict[str, str] = {}

    def grant(user: object, role: str, how: str) -> None:
        user_id = _user_id(user) if isinstance(user, str) else None
        if user_id is None:
            problems.append(f"{where}: {how}: {_not_a_user(user)}")
            return
        if role_rank(role) >= role_rank(roles.get(user_id, "member")):
            roles[user_id] = role  # somebody listed twice keeps the higher role

    for key, value in table.items():
        if key in _ROLE_KEYS:
            if isinstance(value, list):
                for user in value:
                    grant(user, _ROLE_KEYS[key], f"[roles] {key}")
            else:
                problems.append(f'{where}: [roles] {key} must be a list of user ids, like ["U0123ABCD"]')
        elif isinstance(value, str):
            role = value.strip().lower().removesuffix("s")
            if role in ROLES:
                grant(key, role, f"[roles] {key}")
            else:
                problems.append(
                    f"{where}: [roles] {key} = {value!r}: the role must be one of {', '.join(ROLES)}"
                )
        else:
            problems.append(
                f'{where}: [roles] {key}: expected {", ".join(_ROLE_KEYS)} = [user ids], or USER_ID = "role"'
            )
    return {u: r for u, r in roles.items() if r != "member"}


def _find_secrets(data: Mapping[str, Any], problems: list[str], where: str, prefix: str) -> None:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if any(word in str(key).lower() for word in _SECRET_WORDS):
            problems.append(
                f"{where}: {name} looks like a secret; secrets belong in the environment "
                "(SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, the Teams app's CLIENTSECRET), "
                "not in the config file"
            )
        elif isinstance(value, Mapping):
            _find_secrets(value, problems, where, f"{name}.")
