"""Serving Teams: ``POST /api/messages`` on aiohttp, through the Agents SDK's ``CloudAdapter``.

Each request is authenticated first, with the SDK's ``JwtTokenValidator`` and the app's Entra ID
settings (:mod:`bot.teams_config`): no valid token from the Bot Framework, 401, before the body is
read. In anonymous mode (``SCRUTINY_BOT_TEAMS_ANONYMOUS=1``, for trying the bot on this machine) a
request without a token is accepted, but only with a ``serviceUrl`` on this machine, so the bot never
posts anywhere else on an unauthenticated request's say-so. A request with
``"deliveryMode": "expectReplies"`` gets its replies in the response body. A body over 1 MiB is 413.
With a real app, the SDK's outbound host check keeps ``serviceUrl`` to Microsoft's hosts.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import pydantic
from aiohttp import web
from jwt import PyJWTError
from microsoft_agents.activity import Activity, load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    ClaimsIdentity,
    Connections,
    JwtTokenValidator,
    OutboundHostValidator,
    TurnContext,
)
from microsoft_agents.hosting.core.http import HttpResponse

from handlers.registry import apology

from .teams_app import TeamsBot
from .teams_config import ANONYMOUS_VARIABLE, TeamsSettings
from .teams_delivery import card_activity

__all__ = ["MAX_BODY_BYTES", "MESSAGES_PATH", "make_adapter", "make_connections", "make_web_app", "serve"]

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
MAX_BODY_BYTES = 1024 * 1024
_LOOPBACK_NAMES = {"localhost"}
ANONYMOUS_WARNING = (f"{ANONYMOUS_VARIABLE} is set: requests WITHOUT a token are accepted, so anybody who can "
                     "reach this port can claim to be anyone. For trying the bot on this machine only.")  # fmt: skip


class _QuietAnonymous(logging.Filter):
    """Drops the SDK's warning, at every request, that no app id is set: in anonymous mode without an
    app there is none to set, and the start-up warning has said so once."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("App ID is not provided")


_QUIET_ANONYMOUS = _QuietAnonymous()


def make_connections(teams: TeamsSettings) -> tuple[Connections, AgentAuthConfiguration]:
    """The SDK's connection manager and the configuration tokens are checked against."""
    if not teams.client_id:  # anonymous mode without an app: nothing to sign in with, nothing to check
        logging.getLogger("microsoft_agents.hosting.core.connector.client.user_token_client").addFilter(
            _QUIET_ANONYMOUS
        )
        config = AgentAuthConfiguration(anonymous_allowed=True)
        return MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": config}), config
    sdk = load_configuration_from_env(teams.as_sdk_configuration())
    settings = sdk["CONNECTIONS"]["SERVICE_CONNECTION"].setdefault("SETTINGS", {})
    settings["ANONYMOUS_ALLOWED"] = teams.anonymous
    manager = MsalConnectionManager(**sdk)
    return manager, manager.get_default_connection_configuration()


def make_adapter(connections: Connections, *, anonymous: bool) -> CloudAdapter:
    """The SDK's adapter; with a real app, ``serviceUrl`` must be one of Microsoft's hosts."""
    validator = None if anonymous else OutboundHostValidator(enabled=True)
    adapter = CloudAdapter(connection_manager=connections, host_validator=validator)

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        ref = uuid.uuid4().hex[:8]
        log.error("unexpected error, reference %s, outside the bot's turn", ref, exc_info=error)
        if context.activity and context.activity.type == "message":
            await context.send_activity(card_activity(apology(ref)))

    adapter.on_turn_error = on_turn_error  # the SDK's default tells the user the exception's text
    return adapter


def _is_loopback(url: str) -> bool:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Request:
    """The SDK's view of one request (its ``HttpRequestProtocol``), already authenticated and read."""

    def __init__(self, request: web.Request, body: dict[str, Any], claims: ClaimsIdentity) -> None:
        self._request, self._body, self._claims = request, body, claims

    @property
    def method(self) -> str:
        return self._request.method

    @property
    def headers(self) -> Mapping[str, str]:
        return self._request.headers

    async def json(self) -> dict[str, Any]:
        return self._body

    def get_claims_identity(self) -> ClaimsIdentity:
        return self._claims

    def get_path_param(self, name: str) -> str:
        return self._request.match_info[name]


def _refuse(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


async def _authenticate(header: str | None, auth: AgentAuthConfiguration) -> ClaimsIdentity | web.Response:
    validator = JwtTokenValidator(auth)
    if not header:
        if auth.ANONYMOUS_ALLOWED:
            return validator.get_anonymous_claims()
        return _refuse(401, "Authorization header not found")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or " " in token.strip():
        return _refuse(401, "Invalid authorization header format")
    try:
        return await validator.validate_token(token.strip())
    except (PyJWTError, ValueError) as error:
        log.warning("refused a token: %s", type(error).__name__)
        return _refuse(401, "Invalid token or authentication failed.")


def _problem(body: Any, anonymous_request: bool) -> str | None:
    """Why an activity cannot be taken, or None."""
    if not isinstance(body, dict):
        return "The body must be an Activity, a JSON object."
    sender, conversation = body.get("from"), body.get("conversation")
    if not body.get("type") or not body.get("channelId"):
        return "An Activity needs a type and a channelId."
    if not isinstance(sender, dict) or not sender.get("id"):
        return "An Activity needs from.id."
    if not isinstance(conversation, dict) or not conversation.get("id"):
        return "An Activity needs conversation.id."
    service = body.get("serviceUrl")
    if not service:
        return "An Activity needs a serviceUrl (where replies go; with expectReplies they come back here instead)."
    if anonymous_request and not _is_loopback(str(service)):
        return "Without a token, serviceUrl must be on this machine, like http://127.0.0.1:3979/."
    try:
        Activity.model_validate(body)
    except pydantic.ValidationError as error:
        return f"That is not an Activity: {error.error_count()} problem(s), the first at {_where(error)}."
    return None


def _where(error: pydantic.ValidationError) -> str:
    errors = error.errors()
    return ".".join(str(p) for p in errors[0]["loc"]) if errors and errors[0]["loc"] else "the top"


def make_web_app(bot: TeamsBot, adapter: CloudAdapter, auth: AgentAuthConfiguration) -> web.Application:
    """The aiohttp application: ``POST /api/messages`` for Teams, ``GET /healthz`` for a load balancer."""

    async def messages(request: web.Request) -> web.StreamResponse:
        claims = await _authenticate(request.headers.get("Authorization"), auth)
        if isinstance(claims, web.Response):
            log.info("refused a request from %s: %s", request.remote, claims.text)
            return claims
        try:
            body = json.loads(await request.read())
        except (UnicodeDecodeError, ValueError):
            return _refuse(400, "The body must be JSON.")
        problem = _problem(body, claims.allow_anonymous)
        if problem:
            return _refuse(400, problem)
        response: HttpResponse = await adapter.process_request(_Request(request, body, claims), bot.app)
        if response.body is not None:
            return web.json_response(response.body, status=response.status_code, headers=response.headers)
        return web.Response(status=response.status_code, headers=response.headers)

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post(MESSAGES_PATH, messages)
    app.router.add_get("/healthz", healthz)
    return app


def serve(app: web.Application, *, host: str, port: int, anonymous: bool,
          announce: Callable[[str], None] = print) -> None:  # fmt: skip
    """Serve ``app`` until interrupted; in anonymous mode say loudly that nothing is authenticated."""
    if anonymous:
        log.warning(ANONYMOUS_WARNING)
    announce(f"Listening for Teams on http://{host}:{port}{MESSAGES_PATH}. Ctrl-C stops.")
    web.run_app(app, host=host, port=port, print=None, handle_signals=True)
