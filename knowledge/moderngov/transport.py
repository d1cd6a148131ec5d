"""The one-method HTTP transport the client sends through, and its standard-library implementation.

A transport sends one GET and returns the status, headers and body whatever the status (a 404 is an
answer). It raises ``TimeoutError`` when the site is too slow, ``ConnectionError`` when the
connection drops, and ``OSError`` when the site cannot be reached at all; the client decides what
to retry.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["HttpRequest", "HttpResponse", "Transport", "UrllibTransport"]


@dataclass(frozen=True)
class HttpRequest:
    """A GET to send: the address, its headers, the time-out and the most bytes to read."""

    url: str
    headers: Mapping[str, str]
    timeout: float
    max_bytes: int


@dataclass(frozen=True)
class HttpResponse:
    """What came back; header names are lower case. ``body`` holds at most ``max_bytes + 1`` bytes."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """The body decoded with the charset the headers name (UTF-8 otherwise)."""
        content_type = self.headers.get("content-type", "")
        charset = "utf-8"
        for part in content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            return self.body.decode(charset, "replace")
        except LookupError:
            return self.body.decode("utf-8", "replace")


class Transport(Protocol):
    """Sends one request and returns the answer (any status), or raises an OSError."""

    def send(self, request: HttpRequest) -> HttpResponse:
        """Send ``request`` and return what came back."""
        ...


class UrllibTransport:
    """The standard library's urllib: follows redirects and honours the usual proxy settings."""

    def __init__(self) -> None:
        self._opener = urllib.request.build_opener()

    def send(self, request: HttpRequest) -> HttpResponse:
        """GET ``request.url``; an HTTP error status is returned, not raised."""
        req = urllib.request.Request(request.url, headers=dict(request.headers), method="GET")
        try:
            with self._opener.open(req, timeout=request.timeout) as resp:
                body = resp.read(request.max_bytes + 1)
                return HttpResponse(resp.status, body, _headers(resp.headers.items()))
        except urllib.error.HTTPError as err:
            with err:
                try:
                    body = err.read(request.max_bytes + 1)
                except (OSError, http.client.HTTPException):
                    body = b""
                return HttpResponse(err.code, body, _headers(err.headers.items()))
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, OSError):
                raise reason from err
            raise OSError(str(reason)) from err
        except http.client.HTTPException as err:  # a truncated or garbled answer
            raise ConnectionError(f"the connection broke off ({type(err).__name__})") from err


def _headers(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Header names lower-cased (the last value wins)."""
    return {k.lower(): v for k, v in items}
