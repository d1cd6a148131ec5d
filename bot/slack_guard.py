"""What the Slack transport refuses before anything acts on a request.

Over HTTP a body is capped before it is read (413), must be UTF-8 in a shape Bolt can read (400)
and must carry Slack's signature with a well-formed timestamp (401). A slash command's answer, or
an apology, goes only to a response URL on Slack's hooks host (or the host of a configured
``SLACK_API_URL``, such as a test stand-in).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import SplitResult, urlsplit

from slack_bolt import BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest

__all__ = ["MAX_BODY_BYTES", "Refused", "ResponseUrls", "SignatureCheck", "is_signed", "read_request"]

#: The largest body accepted: Slack's own payloads are far smaller (a message holds 40,000 characters).
MAX_BODY_BYTES = 1024 * 1024

_SLACK_HOOKS = ("https", "hooks.slack.com", 443)  # where Slack's response URLs point
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # seconds since 1970, ASCII digits only, as Slack sends it
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_MAX_AGE_SECONDS = 5 * 60  # as Slack and Bolt: older requests may be replays
_READ_SIZE = 64 * 1024


class Refused(Exception):
    """A request refused before it reached the app, with the HTTP status to answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


# --- the signature ----------------------------------------------------------------------------------


def is_signed(secret: str, body: str | bytes, timestamp: str | None, signature: str | None) -> bool:
    """True when ``signature`` is Slack's signature of ``body`` at ``timestamp`` (at most 5 minutes old).

    Unlike ``SignatureVerifier.is_valid`` it never raises: a timestamp that is not ASCII digits,
    or a signature of the wrong form, is simply not signed.
    """
    if not secret.strip() or timestamp is None or signature is None:
        return False
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        return False
    if abs(time.time() - int(timestamp)) > _MAX_AGE_SECONDS:
        return False
    raw = body.encode("utf-8") if isinstance(body, str) else body
    base = b"v0:" + timestamp.encode("ascii") + b":" + raw  # over the bytes: a non-UTF-8 body is never valid
    expected = "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


class SignatureCheck(Middleware):
    """Bolt's request verification without its crash: anything not signed by Slack gets 401.

    Bolt's own check raises on a timestamp that is not a number, and the error handler then saw
    the unverified body. Socket Mode requests come over Slack's own connection and are not signed.
    """

    def __init__(self, signing_secret: str) -> None:
        self._secret = signing_secret

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        """Continue with a signed (or Socket Mode) request; answer anything else 401."""
        if req.mode == "socket_mode":
            return next()
        timestamp = _first(req.headers, "x-slack-request-timestamp")
        signature = _first(req.headers, "x-slack-signature")
        if is_signed(self._secret, req.raw_body, timestamp, signature):
            return next()
        return BoltResponse(status=401, body={"error": "invalid request"})


def _first(headers: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None


# --- the body -------------------------------------------------------------------------------------


def read_request(
    environ: Mapping[str, Any], limit: int = MAX_BODY_BYTES, *, signing_secret: str | None = None
) -> BoltRequest:
    """The Bolt request a WSGI ``environ`` carries, its body read only up to ``limit`` bytes.

    Raises :class:`Refused`: 413 for a body over the limit (announced or found), 411 for a
    chunked body this server cannot measure, 401 (given ``signing_secret``) for a body Slack did
    not sign, before anything is parsed, and 400 for a signed body that is not UTF-8 or not in a
    shape Slack sends. :class:`SignatureCheck` inside the app checks the signature again.
    """
    body = _read_body(environ, limit)
    if signing_secret is not None:
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE")
        if not is_signed(signing_secret, body, timestamp, signature):
            raise Refused(401, "the request is not signed by Slack")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8") from None
    try:
        request = BoltRequest(
            body=text, query=str(environ.get("QUERY_STRING", "")), headers=_headers(environ)
        )
    except (ValueError, TypeError, AttributeError, LookupError, RecursionError):
        # Bolt parses the body and reads its ids while building the request; these are its errors
        raise Refused(400, "the body is not a Slack request") from None
    if not _is_slack_shaped(request.body):
        raise Refused(400, "the body is not a Slack request")
    return request


def _headers(environ: Mapping[str, Any]) -> dict[str, str | Sequence[str]]:
    headers: dict[str, str | Sequence[str]] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].lower().replace("_", "-")] = str(value)
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            headers[key.lower().replace("_", "-")] = str(value)
    return headers


def _read_body(environ: Mapping[str, Any], limit: int) -> bytes:
    try:
        return _read_capped(environ, limit)
    except OSError:  # the client stalled past the server's time-out, or went away
        raise Refused(408, "the body did not arrive") from None


def _read_capped(environ: Mapping[str, Any], limit: int) -> bytes:
    stream: IO[bytes] | None = environ.get("wsgi.input")
    length_text = str(environ.get("CONTENT_LENGTH") or "").strip()
    if stream is None:
        return b""
    if length_text:
        if not length_text.isascii() or not length_text.isdigit():
            raise Refused(400, "the Content-Length is not a number")
        length = int(length_text) if len(length_text) <= 18 else limit + 1  # int() refuses 4,300 digits
        if length > limit:
            raise Refused(413, f"the body is over {limit} bytes")
        body = stream.read(length)
        if len(body) != length:
            raise Refused(400, "the body is shorter than its Content-Length")
        return body
    if environ.get("wsgi.input_terminated"):  # the server decoded a chunked body and marks its end
        chunks: list[bytes] = []
        size = 0
        while chunk := stream.read(min(_READ_SIZE, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise Refused(413, f"the body is over {limit} bytes")
        return b"".join(chunks)
    if environ.get("HTTP_TRANSFER_ENCODING"):
        raise Refused(411, "a body needs a Content-Length here")
    return b""  # no length and no encoding: no body (PEP 3333)


def _is_slack_shaped(body: Mapping[str, Any]) -> bool:
    """True for an Events API envelope, an interactivity payload, a slash command or an SSL check."""
    if body.get("type") == "event_callback":
        event = body.get("event")
        return isinstance(event, Mapping) and isinstance(event.get("type"), str)
    if "type" in body:
        return isinstance(body["type"], str)
    return isinstance(body.get("command"), str) or body.get("ssl_check") == "1"


# --- where answers may go ----------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseUrls:
    """The origins a slash command's ``response_url`` may point to; anything else is never called."""

    origins: frozenset[tuple[str, str, int]]

    @classmethod
    def for_api(cls, api_url: str) -> ResponseUrls:
        """Slack's hooks host, and the host of ``api_url`` when that is not Slack's (a stand-in)."""
        api = _safe_origin(api_url)
        if api is None or api[1] == "slack.com":
            return cls(frozenset({_SLACK_HOOKS}))
        return cls(frozenset({_SLACK_HOOKS, api}))

    def allows(self, url: str) -> bool:
        """True when ``url`` is on one of the allowed origins, with no user name or password in it."""
        return _safe_origin(url) in self.origins


def _safe_origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        if parts.username is not None or parts.password is not None:
            return None
        return _origin(parts)
    except ValueError:  # an invalid IPv6 address or port
        return None


def _origin(parts: SplitResult) -> tuple[str, str, int] | None:
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in ("https", "http") or not host:
        return None
    return scheme, host, parts.port or (443 if scheme == "https" else 80)
