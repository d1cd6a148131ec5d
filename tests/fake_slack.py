"""A stand-in for the Slack Web API on loopback that records calls, and helpers to drive a Bolt app.

``FakeSlack`` answers ``ok`` JSON for the Web API methods the bot uses and for response URLs,
records every call on a queue (wait with a time-out, never sleep), and can answer one call of
a method with HTTP 429 and a Retry-After header. ``conversations.info`` knows only the
conversations registered with :meth:`FakeSlack.add_conversation` or :meth:`FakeSlack.im_with`;
for any other channel it answers ``channel_not_found``, as Slack does for a conversation the bot
is not in (a direct message between two people, say).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode

from loopback import OnLoopback

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
BOT_USER = "UBOT0001"
TEAM = "T0000001"

_ANSWERS: dict[str, dict[str, Any]] = {
    "auth.test": {
        "user_id": BOT_USER,
        "bot_id": "B0000001",
        "team_id": TEAM,
        "user": "scrutiny",
        "team": "Test",
    },
    "chat.postMessage": {"channel": "C1", "ts": "1700000000.000200", "message": {}},
    "chat.postEphemeral": {"message_ts": "1700000000.000300"},
    "views.publish": {"view": {"id": "V1"}},
    "views.open": {"view": {"id": "V2"}},
    "views.push": {"view": {"id": "V3"}},
    "views.update": {"view": {"id": "V2"}},
    "assistant.threads.setStatus": {},
    "assistant.threads.setSuggestedPrompts": {},
    "assistant.threads.setTitle": {},
    "conversations.open": {"channel": {"id": "D0BOTDM"}},
    "files.completeUploadExternal": {"files": [{"id": "F0000001", "title": "file"}]},
}


@dataclass
class Call:
    """One request the fake received: the Web API method (or ``response_url``) and its arguments."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    path: str = ""


class FakeSlack(OnLoopback):
    """The fake server. Use as a context manager; ``api_url`` goes in ``SLACK_API_URL``."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._queue: queue.Queue[Call] = queue.Queue()
        self._rate_limited: dict[str, int] = {}
        self._errors: dict[tuple[str, str], str] = {}
        self._conversations: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._serve_posts("fake-slack", self._handle)

    @property
    def api_url(self) -> str:
        return self.url + "api/"

    def response_url(self, name: str = "r1") -> str:
        """A response URL the fake records as method ``response_url``."""
        return self.url + f"respond/{name}"


    def rate_limit_once(self, method: str, retry_after: int = 1) -> None:
        """Answer the next call of ``method`` with HTTP 429 and ``Retry-After``."""
        with self._lock:
            self._rate_limited[method] = retry_after

    def fail(self, method: str, channel: str, error: str) -> None:
        """Answer every call of ``method`` for ``channel`` with ``{"ok": false, "error": error}``."""
        with self._lock:
            self._errors[(method, channel)] = error

    def add_conversation(self, channel: str, **info: Any) -> None:
        """Make ``conversations.info`` describe ``channel`` with ``info`` (``is_im=True, user=...``)."""
        with self._lock:
            self._conversations[channel] = {"id": channel, **info}

    def im_with(self, user: str) -> str:
        """The bot's own direct-message conversation with ``user`` (``D`` and the rest of the user id)."""
        channel = "D" + user[1:]
        self.add_conversation(channel, is_im=True, user=user, is_user_deleted=False)
        return channel

    def wait_for(self, method: str, timeout: float = 5.0) -> Call:
        """The next recorded call of ``method``, waiting at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(
                    f"no {method} call within {timeout} s; calls: {[c.method for c in self.calls]}"
                )
            try:
                call = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            if call.method == method:
                return call

    def methods(self) -> list[str]:
        """The methods called so far, in order."""
        with self._lock:
            return [c.method for c in self.calls]

    def _handle(self, handler: BaseHTTPRequestHandler, data: bytes) -> None:
        path, _, query = handler.path.partition("?")
        if path.startswith("/upload/"):
            self._record(Call("file_upload", {"name": path.removeprefix("/upload/"), "data": data}))
            self._reply(handler, 200, None)
            return
        if path.startswith("/api/"):
            method = path.removeprefix("/api/")
        elif path.startswith("/respond/"):
            method = "response_url"
        else:
            self._reply(handler, 404, {"ok": False, "error": "unknown_path"})
            return
        raw = data.decode("utf-8")
        args: dict[str, Any] = {k: v[0] for k, v in parse_qs(query).items()}
        if "json" in handler.headers.get("Content-Type", "") and raw:
            args.update(json.loads(raw))
        else:
            args.update({k: v[0] for k, v in parse_qs(raw).items()})
            for key in ("blocks", "view", "files", "prompts"):
                if isinstance(args.get(key), str):
                    args[key] = json.loads(args[key])
        with self._lock:
            retry_after = self._rate_limited.pop(method, None)
            error = self._errors.get((method, str(args.get("channel", ""))))
            conversation = self._conversations.get(str(args.get("channel", "")))
        if retry_after is not None:
            self._record(Call(f"{method}#429", args, dict(handler.headers), path))
            self._reply(
                handler, 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
            )
            return
        self._record(Call(method, args, dict(handler.headers), path))
        if error:
            self._reply(handler, 200, {"ok": False, "error": error})
        elif method == "response_url":
            self._reply(handler, 200, None)
        elif method == "conversations.info":
            if conversation is None:
                self._reply(handler, 200, {"ok": False, "error": "channel_not_found"})
            else:
                self._reply(handler, 200, {"ok": True, "channel": conversation})
        elif method == "files.getUploadURLExternal":
            self._reply(
                handler, 200, {"ok": True, "upload_url": self.url + "upload/F0000001", "file_id": "F0000001"}
            )
        elif method in _ANSWERS:
            self._reply(handler, 200, {"ok": True, **_ANSWERS[method]})
        else:
            self._reply(handler, 200, {"ok": False, "error": "unknown_method"})

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
        self._queue.put(call)

    @staticmethod
    def _reply(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any] | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = b"ok" if body is None else json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "text/plain" if body is None else "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(data)


# --- signed requests to the app ------------------------------------------------------------------


@dataclass
class Response:
    status: int
    body: str


def post_signed(
    url: str,
    body: str | bytes,
    *,
    content_type: str,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
    forge: bool = False,
) -> Response:
    """POST ``body`` to ``url`` signed as Slack signs it; ``forge`` signs with the wrong secret."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    data = body.encode("utf-8") if isinstance(body, str) else body
    signature = sign("not-the-secret" if forge else secret, ts, data)
    return post(
        url,
        data,
        {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
            **(headers or {}),
        },
    )


def sign(secret: str, timestamp: str, data: bytes) -> str:
    """Slack's signature of ``data`` sent at ``timestamp``: HMAC-SHA256 of ``v0:timestamp:body`` bytes."""
    base = b"v0:" + timestamp.encode("latin-1") + b":" + data
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def post(url: str, data: bytes, headers: dict[str, str]) -> Response:
    """POST ``data`` to ``url`` with exactly ``headers`` (signed or not) and return the answer."""
    req = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return Response(resp.status, resp.read().decode("utf-8"))
    except urllib.error.HTTPError as err:
        with err:
            return Response(err.code, err.read().decode("utf-8"))


def event_body(event: dict[str, Any], event_id: str) -> str:
    """An Events API envelope around ``event``."""
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0000001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": 1700000000,
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
    )


def command_body(
    text: str,
    response_url: str,
    *,
    user: str = "U0MEMBER",
    channel: str = "C0PUBLIC",
    trigger_id: str | None = None,
    user_name: str = "sam",
) -> str:
    """A slash command's form body for ``/scrutiny text``; each gets its own ``trigger_id``, as in Slack."""
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM,
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "general",
            "user_id": user,
            "user_name": user_name,
            "command": "/scrutiny",
            "text": text,
            "response_url": response_url,
            "trigger_id": trigger_id or f"1.{uuid.uuid4().hex}",
            "api_app_id": "A0000001",
        }
    )


# --- interactivity: buttons, modals, shortcuts ----------------------------------------------------


def interaction_body(payload: dict[str, Any]) -> str:
    """An interactivity request's form body: ``payload=`` and the JSON, as Slack sends it."""
    return urlencode({"payload": json.dumps(payload)})


def block_action(
    action_id: str,
    value: str,
    *,
    user: str = "U0MEMBER",
    channel: str | None = "C0PUBLIC",
    response_url: str | None = None,
    ephemeral: bool = True,
    view_type: str | None = None,
    action_type: str = "button",
) -> dict[str, Any]:
    """A ``block_actions`` payload: a button pressed on a message in ``channel`` (or in a view)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "test"},
        "user": {"id": user, "username": "sam", "team_id": TEAM},
        "api_app_id": "A0000001",
        "token": "legacy",
        "trigger_id": f"1.{uuid.uuid4().hex}",
        "actions": [{"action_id": action_id, "block_id": "b1", "value": value, "type": action_type,
                     "action_ts": "1700000100.000100"}],  # fmt: skip
    }
    if view_type:
        payload["container"] = {"type": "view", "view_id": "V1"}
        payload["view"] = {"id": "V1", "type": view_type, "callback_id": "", "private_metadata": ""}
    else:
        payload["container"] = {"type": "message", "message_ts": "1700000000.000900", "channel_id": channel,
                                "is_ephemeral": ephemeral}  # fmt: skip
        payload["channel"] = {"id": channel, "name": "general"}
    if response_url:
        payload["response_url"] = response_url
    return payload


def view_submission(
    callback_id: str, private_metadata: str, values: dict[str, dict[str, Any]], *, user: str = "U0MEMBER"
) -> dict[str, Any]:
    """A ``view_submission`` payload: a modal sent with ``values`` (block id -> action id -> value)."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "test"},
        "user": {"id": user, "username": "sam", "team_id": TEAM},
        "api_app_id": "A0000001",
        "token": "legacy",
        "trigger_id": f"1.{uuid.uuid4().hex}",
        "view": {
            "id": "V2",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
        },
    }


def message_shortcut(
    callback_id: str, text: str, response_url: str, *, user: str = "U0MEMBER", channel: str = "C0PUBLIC"
) -> dict[str, Any]:
    """A message shortcut's payload (``message_action``) on a message saying ``text``."""
    return {
        "type": "message_action",
        "callback_id": callback_id,
        "team": {"id": TEAM, "domain": "test"},
        "user": {"id": user, "name": "sam", "team_id": TEAM},
        "channel": {"id": channel, "name": "general"},
        "api_app_id": "A0000001",
        "token": "legacy",
        "trigger_id": f"1.{uuid.uuid4().hex}",
        "response_url": response_url,
        "message_ts": "1700000000.000500",
        "message": {"type": "message", "user": "U0SOMEONE", "text": text, "ts": "1700000000.000500"},
    }
