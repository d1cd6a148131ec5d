"""Serving the Slack app: Socket Mode when ``SLACK_APP_TOKEN`` is set, else HTTP on a threaded WSGI server.

Before serving, :func:`check_connection` asks Slack whose the bot token is: no route to Slack, a
wrong token or a revoked one is a one-line :class:`~knowledge.models.UserError`, not a traceback.
Over HTTP, :mod:`bot.slack_guard` reads each body (at most ``MAX_BODY_BYTES``) before Bolt sees
it: too large is 413, malformed is 400, and inside the app anything Slack did not sign is 401.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from knowledge.models import UserError

from .config import Settings
from .slack_guard import Refused, read_request

__all__ = ["EVENTS_PATH", "check_connection", "make_http_server", "serve"]

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"  # events, slash commands and interactivity all arrive here


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _LoggingHandler(WSGIRequestHandler):
    timeout = 30  # seconds a client may take to send its request: a stalled one is dropped

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        log.info("%s %s", self.address_string(), format % args)


def _wsgi(app: App, signing_secret: str | None) -> Callable[..., Iterable[bytes]]:
    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == "/healthz" and method == "GET":
            return _answer(start_response, 200, "ok\n")
        if path != EVENTS_PATH or method != "POST":
            return _answer(start_response, 404, "Not Found")
        try:
            request = read_request(environ, signing_secret=signing_secret)
        except Refused as refused:
            log.info("refused a request from %s: %s", environ.get("REMOTE_ADDR"), refused.reason)
            return _answer(start_response, refused.status, refused.reason + "\n")
        response = app.dispatch(request)
        return _answer(start_response, response.status, response.body, response.headers)

    return application


def _answer(
    start_response: Callable[..., Any],
    status: int,
    body: str,
    headers: dict[str, Sequence[str]] | None = None,
) -> Iterable[bytes]:
    plain: dict[str, Sequence[str]] = {"content-type": ["text/plain; charset=utf-8"]}
    response = WsgiHttpResponse(status=status, headers=headers or plain, body=body)
    start_response(response.status, response.get_headers())
    return response.get_body()


def make_http_server(
    app: App, host: str = "127.0.0.1", port: int = 3000, *, signing_secret: str | None = None
) -> WSGIServer:
    """A threaded WSGI server for ``app`` on ``host:port`` (port 0 picks a free one); not started.

    With ``signing_secret`` a body Slack did not sign is refused (401) before it is parsed.
    """
    return make_server(
        host,
        port,
        _wsgi(app, signing_secret),
        server_class=_ThreadingWSGIServer,
        handler_class=_LoggingHandler,
    )


_REVOKED = {"token_revoked", "account_inactive", "app_uninstalled", "team_disabled", "token_expired"}
_WRONG = {"invalid_auth", "not_authed", "not_allowed_token_type", "invalid_token"}


def _refused(variable: str, error: str) -> UserError:
    if error in _REVOKED:
        return UserError(f"Slack says {variable} no longer works ({error}): reinstall the app to the workspace "
                         "and set the new token.")  # fmt: skip
    if error in _WRONG:
        return UserError(f"Slack refused {variable} ({error}): copy the token again from the app's settings "
                         "at https://api.slack.com/apps.")  # fmt: skip
    return UserError(f"Slack refused {variable} ({error}).")


def _unreachable(url: str, error: BaseException) -> UserError:
    reason = getattr(error, "reason", None) or error
    return UserError(f"Cannot reach Slack at {url} ({reason}): check the network, any proxy, and SLACK_API_URL.")


def check_connection(settings: Settings, *, timeout: float = 10.0) -> str:
    """Who the bot token belongs to ("@scrutiny in Eastmoor"), asked of Slack once, without retries.

    Raises :class:`UserError` in one line when Slack cannot be reached or refuses the token.
    """
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=int(timeout),
                       retry_handlers=[])  # fmt: skip
    try:
        auth = client.auth_test()
    except SlackApiError as exc:
        raise _refused("SLACK_BOT_TOKEN", str(exc.response.get("error", "an error"))) from None
    except (SlackClientError, OSError, ValueError) as exc:
        raise _unreachable(settings.slack_api_url, exc) from None
    return f"@{auth.get('user', 'the bot')} in {auth.get('team', 'the workspace')}"


def serve(
    app: App,
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 3000,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve until interrupted: Socket Mode if an app-level token is set, else HTTP on ``host:port``."""
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        announce("Connecting to Slack over Socket Mode (no public URL needed). Ctrl-C stops.")
        try:
            SocketModeHandler(app, settings.slack_app_token).start()
        except SlackApiError as exc:
            raise _refused("SLACK_APP_TOKEN", str(exc.response.get("error", "an error"))) from None
        except (SlackClientError, OSError) as exc:
            raise _unreachable(settings.slack_api_url, exc) from None
        return
    with make_http_server(app, host, port, signing_secret=settings.slack_signing_secret or "") as server:
        announce(f"Listening on http://{host}:{server.server_port}{EVENTS_PATH}. Ctrl-C stops.")
        server.serve_forever()
