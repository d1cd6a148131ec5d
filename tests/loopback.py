"""A test server on 127.0.0.1, served from a thread while a ``with`` block runs (the stand-ins share it)."""

from __future__ import annotations

import threading
from http.server import HTTPServer
from typing import Self

__all__ = ["OnLoopback"]


class OnLoopback:
    """Serves ``self._server`` (set by :meth:`_serve`) from a thread between ``__enter__`` and ``__exit__``."""

    _server: HTTPServer
    _thread: threading.Thread

    def _serve(self, server: HTTPServer, name: str) -> None:
        self._server = server
        server.daemon_threads = True  # type: ignore[attr-defined] - a ThreadingHTTPServer's switch
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), name=name, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
