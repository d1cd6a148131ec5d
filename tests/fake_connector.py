"""A stand-in for the Bot Connector service (Teams' ``serviceUrl``) on loopback, recording what the bot sends.

It answers the calls the Agents SDK makes for a bot: ``POST v3/conversations`` (open a 1:1 chat: it
answers a new conversation id) and ``POST v3/conversations/{id}/activities[/{replyToId}]`` (send a
message: it answers a new activity id). A conversation is matched with its threads. Every call is recorded on a queue (wait with a time-out,
never sleep). ``fail(conversation, status)`` makes sends to one conversation fail with that status.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote

from loopback import OnLoopback

from bot.teams_format import card_text


@dataclass
class Sent:
    """One call the stand-in received: ``create`` (a new conversation) or ``send`` (an activity)."""

    kind: str
    conversation: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    reply_to: str | None = None

    def thread_of(self, conversation: str) -> bool:
        """True when the call went to ``conversation`` or to one of its threads (``;messageid=``)."""
        return self.conversation.split(";", 1)[0] == conversation

    def text(self) -> str:
        """What a person reads in the sent activity: its cards' text and its text."""
        parts = [card_text(a["content"]) for a in self.body.get("attachments") or []
                 if isinstance(a.get("content"), dict)]  # fmt: skip
        return "\n".join([*parts, self.body.get("text") or ""]).strip()


class FakeConnector(OnLoopback):
    """The stand-in. Use as a context manager; ``url`` goes in an activity's ``serviceUrl``."""

    def __init__(self) -> None:
        self.calls: list[Sent] = []
        self._queue: queue.Queue[Sent] = queue.Queue()
        self._lock = threading.Lock()
        self._failing: dict[str, int] = {}
        self._count = 0
        self._serve_posts("fake-connector", self._handle)


    def fail(self, conversation: str, status: int = 403) -> None:
        """Answer every send to ``conversation`` with HTTP ``status``."""
        with self._lock:
            self._failing[conversation] = status

    def wait_for(self, kind: str = "send", conversation: str | None = None, timeout: float = 5.0) -> Sent:
        """The next recorded call of ``kind`` (to ``conversation``), waiting at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(
                    f"no {kind} to {conversation} within {timeout} s; calls: {self.summary()}"
                )
            try:
                call = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            if call.kind == kind and (conversation is None or call.thread_of(conversation)):
                return call

    def sent(self, conversation: str | None = None) -> list[Sent]:
        """The messages sent so far (to ``conversation``), typing indicators left out."""
        with self._lock:
            return [c for c in self.calls if c.kind == "send" and c.body.get("type") == "message"
                    and (conversation is None or c.thread_of(conversation))]  # fmt: skip

    def summary(self) -> list[tuple[str, str]]:
        with self._lock:
            return [(c.kind, c.conversation) for c in self.calls]

    def _handle(self, handler: BaseHTTPRequestHandler, data: bytes) -> None:
        path = handler.path.partition("?")[0]
        parts = [unquote(p) for p in path.strip("/").split("/")]
        body = json.loads(data or b"{}")
        headers = dict(handler.headers)
        with self._lock:
            self._count += 1
            number = self._count
        if parts == ["v3", "conversations"]:
            conversation = f"a:created-{number}"
            self._record(Sent("create", conversation, body, headers))
            self._reply(handler, 201, {"id": conversation, "activityId": f"m-{number}"})
        elif len(parts) in (4, 5) and parts[:2] == ["v3", "conversations"] and parts[3] == "activities":
            conversation = parts[2]
            self._record(Sent("send", conversation, body, headers, parts[4] if len(parts) == 5 else None))
            with self._lock:
                status = self._failing.get(conversation)
            if status:
                self._reply(handler, status, {"error": {"code": "Forbidden", "message": "not allowed"}})
            else:
                self._reply(handler, 201, {"id": f"m-{number}"})
        else:
            self._reply(handler, 404, {"error": {"code": "NotFound", "message": handler.path}})

    def _record(self, call: Sent) -> None:
        with self._lock:
            self.calls.append(call)
        self._queue.put(call)

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
