"""Helpers for the Teams tests: Activity JSON as Teams sends it, and the bot served on 127.0.0.1.

``RunningTeams`` serves the real aiohttp application (``bot.teams_serve.make_web_app``) on a free
loopback port, on an event loop in a thread of its own, and posts to it over HTTP. The ids are made
up: Entra object ids for people, a Teams channel id, a 1:1 chat id.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import threading
import urllib.error
import urllib.request
from typing import Any

from aiohttp import web

from bot.teams_app import TeamsBot, build_bot
from bot.teams_config import TeamsSettings
from bot.teams_format import CARD_CONTENT_TYPE, card_text
from bot.teams_serve import make_adapter, make_connections, make_web_app
from handlers.access import Access
from handlers.context import Context
from handlers.registry import Registry

TENANT = "c0ffee00-1111-4222-8333-444455556666"
MEMBER = "5b0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d"
OFFICER = "0f8e5c1a-6b2d-4e7f-9a3c-1d2e3f4a5b6c"
CLERK = "7c9d0e1f-2a3b-4c5d-8e6f-708192a3b4c5"
CHANNEL = "19:aa11bb22cc33dd44ee55ff6677889900@thread.tacv2"  # a public channel
OFFICERS_CHANNEL = "19:0ff1ce0ff1ce0ff1ce0ff1ce0ff1ce00@thread.tacv2"
GROUP = "19:group0chat0with0three0people@thread.v2"
BOT = {"id": "28:bot-app-id", "name": "Scrutiny bot"}

TEAMS_ACCESS = Access(
    roles={OFFICER: "officer", CLERK: "clerk"},
    audiences={OFFICERS_CHANNEL: "officers"},
    names={OFFICER: "Olu Officer", CLERK: "Cleo Clerk", MEMBER: "Sam Member"},
)

_IDS = itertools.count(1)


def dm(user: str) -> str:
    """A person's 1:1 chat with the bot (Teams' ids for these start ``a:``)."""
    return f"a:1personal-{user}"


def _conversation(kind: str, conversation: str, thread: str | None) -> dict[str, Any]:
    ident = f"{conversation};messageid={thread}" if thread else conversation
    return {"id": ident, "conversationType": kind, "tenantId": TENANT, "isGroup": kind != "personal"}


def activity(
    text: str | None = None,
    *,
    user: str = MEMBER,
    conversation: str | None = None,
    kind: str = "personal",
    service_url: str = "http://127.0.0.1:9/",
    expect_replies: bool = True,
    mention: bool = False,
    type: str = "message",  # noqa: A002 - the Activity's own name
    activity_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An Activity as Teams posts it: ``kind`` personal, channel or groupChat; a mention of the bot first."""
    conversation = conversation or (dm(user) if kind == "personal" else CHANNEL)
    ident = activity_id or f"17000000000{next(_IDS):02d}"
    body: dict[str, Any] = {
        "type": type,
        "id": ident,
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": f"29:1{user[:8]}", "name": "", "aadObjectId": user},
        "recipient": BOT,
        "conversation": _conversation(kind, conversation, ident if kind == "channel" else None),
        "channelData": {"tenant": {"id": TENANT}},
        **extra,
    }
    if kind == "channel":
        body["channelData"] |= {
            "channel": {"id": conversation},
            "team": {"id": conversation, "name": "Scrutiny"},
        }
    if text is not None:
        body["text"] = f"<at>{BOT['name']}</at> {text}" if mention else text
        if mention:
            body["entities"] = [{"type": "mention", "text": f"<at>{BOT['name']}</at>", "mentioned": BOT}]
    if expect_replies:
        body["deliveryMode"] = "expectReplies"
    return body


def card_action(verb: str, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """An ``adaptiveCard/action`` invoke: a card's Action.Execute button pressed (inputs merged into data)."""
    value = {
        "action": {"type": "Action.Execute", "verb": verb, "data": {**data, "verb": verb}},
        "trigger": "manual",
    }
    return activity(type="invoke", name="adaptiveCard/action", value=value, expect_replies=False, **kwargs)


def bot_added(conversation: str, kind: str = "channel", **kwargs: Any) -> dict[str, Any]:
    """The conversationUpdate Teams sends when the bot is added to a team, a group chat or a 1:1 chat."""
    return activity(type="conversationUpdate", conversation=conversation, kind=kind, membersAdded=[BOT],
                    expect_replies=False, **kwargs)  # fmt: skip


def cards(activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Adaptive Cards in ``activities``, in order."""
    return [a["content"] for act in activities for a in act.get("attachments") or []
            if a.get("contentType") == CARD_CONTENT_TYPE]  # fmt: skip


def read(activities: list[dict[str, Any]]) -> str:
    """What a person reads in ``activities``: each card's text, each message's text."""
    return "\n".join(
        [*(card_text(c) for c in cards(activities)), *(a.get("text") or "" for a in activities)]
    ).strip()


def files(activities: list[dict[str, Any]]) -> list[tuple[str, bytes]]:
    """The files sent with ``activities`` (data: URLs), by name."""
    found = []
    for act in activities:
        for a in act.get("attachments") or []:
            url = a.get("contentUrl") or ""
            if url.startswith("data:"):
                found.append((a.get("name", ""), base64.b64decode(url.split(",", 1)[1])))
    return found


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every action on a card, shown or behind a Show card, in order."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action."):
                found.append(node)
            for value in node.values():
                walk(value)

    walk(card)
    return found


class RunningTeams:
    """The Teams bot's web application served on 127.0.0.1 (anonymous mode), with :meth:`post`."""

    def __init__(self, context: Context, *, registry: Registry | None = None, anonymous: bool = True,
                 environ: dict[str, str] | None = None) -> None:  # fmt: skip
        problems: list[str] = []
        teams = TeamsSettings.from_env({"SCRUTINY_BOT_TEAMS_ANONYMOUS": "1" if anonymous else "0", **(environ or {})},
                                       problems)  # fmt: skip
        assert problems == []
        connections, auth = make_connections(teams)
        self.adapter = make_adapter(connections, anonymous=anonymous)
        self.bot: TeamsBot = build_bot(context, connections, registry)
        self.app = make_web_app(self.bot, self.adapter, auth)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="teams-app", daemon=True)
        self._runner = web.AppRunner(self.app)
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    def __enter__(self) -> RunningTeams:
        self._thread.start()

        async def start() -> int:
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            return int(self._runner.addresses[0][1])

        self.port = asyncio.run_coroutine_threadsafe(start(), self.loop).result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()

    def post(
        self, body: Any, headers: dict[str, str] | None = None, raw: bytes | None = None
    ) -> tuple[int, Any]:
        """POST ``body`` as JSON (or ``raw`` bytes); the status and the JSON answered (None if empty)."""
        data = raw if raw is not None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url, data=data, method="POST",
                                         headers={"Content-Type": "application/json", **(headers or {})})  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                text = response.read().decode("utf-8")
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            with error:
                text = error.read().decode("utf-8")
            return error.code, json.loads(text) if text.startswith("{") else text

    def ask(self, text: str, **kwargs: Any) -> list[dict[str, Any]]:
        """Send ``text`` (expectReplies) and return the activities answered."""
        status, body = self.post(activity(text, **kwargs))
        assert status == 200, (status, body)
        return list(body["activities"])
