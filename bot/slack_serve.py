"""Serving the Slack app: Socket Mode when ``SLACK_APP_TOKEN`` is set, else HTTP on a threaded WSGI server."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from .config import Settings

__all__ = ["EVENTS_PATH", "make_http_server", "serve"]

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"  # events, slash commands and interactivity all arrive here


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _LoggingHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        log.info("%s %s", self.address_string(), format % args)


def _wsgi(app: App) -> Callable[..., Iterable[bytes]]:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        return slack(environ, start_response)

    return application


def make_http_server(app: App, host: str = "127.0.0.1", port: int = 3000) -> WSGIServer:
    """A threaded WSGI server for ``app`` on ``host:port`` (port 0 picks a free one); not started."""
    return make_server(
        host, port, _wsgi(app), server_class=_ThreadingWSGIServer, handler_class=_LoggingHandler
    )


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
        SocketModeHandler(app, settings.slack_app_token).start()
        return
    with make_http_server(app, host, port) as server:
        announce(f"Listening on http://{host}:{server.server_port}{EVENTS_PATH}. Ctrl-C stops.")
        server.serve_forever()
