"""A test server on 127.0.0.1, served from a thread while a ``with`` block runs (the stand-ins share it)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from typing import Any, Self

__all__ = ["OnLoopback"]


class OnLoopback:
    """Serves ``self._server`` (set by :meth:`_serve`) from a thread between ``__enter__`` and ``__exit__``."""

    _server: HTTPServer
    _thread: threading.Thread

    def _serve(self, server: HTTPServer, name: str) -> None:
        self._server = server
        server.daemon_threads = True  # type: ignore[attr-defined] - a ThreadingHTTPServer's switch
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), name=name, daemon=True)

    def _serve_posts(self, name: str, handle: Callable[[BaseHTTPRequestHandler, bytes], None]) -> None:
        """Serve POST requests on a free port of 127.0.0.1, each body handed to ``handle`` with its request."""

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                handle(self, self.rfile.read(length) if length else b"")

        self._serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler), name)

    @property
    def url(self) -> str:
        """Where the server listens: ``http://127.0.0.1:PORT/``."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
