"""The Teams endpoint itself: real Activity JSON posted to /api/messages through aiohttp's test client.

Anonymous mode answers ``expectReplies`` in the response; without it, a request needs a valid token
(refused before anything is read); malformed or oversized bodies are refused; the anonymous warning
is logged at start.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from chat_support import CABINET_URL, make_context, seeded_db
from teams_support import MEMBER, TEAMS_ACCESS, activity, card_action, cards, read

from bot.teams_app import build_bot
from bot.teams_config import TeamsSettings
from bot.teams_format import CARD_CONTENT_TYPE
from bot.teams_serve import (
    ANONYMOUS_WARNING,
    MAX_BODY_BYTES,
    MESSAGES_PATH,
    make_adapter,
    make_connections,
    make_web_app,
    serve,
)

QUESTION = "what did cabinet resolve in December 2022"
APP_ID = "11111111-2222-4333-8444-555566667777"


def _client_call(
    tmp_path: Path, environ: dict[str, str], call: Callable[[TestClient], Awaitable[Any]]
) -> Any:
    problems: list[str] = []
    teams = TeamsSettings.from_env(environ, problems)
    assert problems == []
    connections, auth = make_connections(teams)
    context = make_context(seeded_db(tmp_path), access=TEAMS_ACCESS)
    app = make_web_app(
        build_bot(context, connections), make_adapter(connections, anonymous=teams.anonymous), auth
    )

    async def run() -> Any:
        async with TestClient(TestServer(app)) as client:
            return await call(client)

    return asyncio.run(run())


ANONYMOUS = {"SCRUTINY_BOT_TEAMS_ANONYMOUS": "1"}
WITH_APP = {
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": APP_ID,
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": "c0ffee00-1111-4222-8333-444455556666",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "not-a-real-secret",
}


def test_expect_replies_returns_an_adaptive_card_quoting_the_resolutions(tmp_path: Path) -> None:
    async def call(client: TestClient) -> tuple[int, Any]:
        response = await client.post(MESSAGES_PATH, json=activity(QUESTION))
        return response.status, await response.json()

    status, body = _client_call(tmp_path, ANONYMOUS, call)
    assert status == 200
    [reply] = body["activities"]
    assert reply["type"] == "message" and reply["attachments"][0]["contentType"] == CARD_CONTENT_TYPE
    card = reply["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    seen = read(body["activities"])
    assert (
        "Northbridge Borough Council, Cabinet, 15 December 2022, item 181: Budget & council tax 2023/24"
        in seen
    )
    assert "That the revenue budget for 2023/24 be recommended to Council <as amended>." in seen
    assert f"Open the minutes ({CABINET_URL})" in seen
    assert (
        reply["summary"] == "Taken in private (exempt information, Part 2), so its minute is not shown here:"
    )
    assert "sold to the preferred bidder" not in seen  # a member: the exempt item is not quoted


def test_a_card_button_is_answered_in_the_response(tmp_path: Path) -> None:
    async def call(client: TestClient) -> Any:
        answered = await (await client.post(MESSAGES_PATH, json=activity(QUESTION))).json()
        good = next(a for a in _actions(cards(answered["activities"])[0]) if a.get("title") == "👍")
        pressed = await client.post(MESSAGES_PATH, json=card_action("feedback", good["data"]))
        return pressed.status, await pressed.json()

    status, body = _client_call(tmp_path, ANONYMOUS, call)
    assert status == 200
    assert body == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                    "value": "Thank you: I have noted that this answer helped."}  # fmt: skip


def _actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return list(card.get("actions") or [])


@pytest.mark.parametrize(
    ("headers", "why"),
    [({}, "Authorization header not found"), ({"Authorization": "Basic abc"}, "Invalid authorization header format"),
     ({"Authorization": "Bearer not.a.token"}, "Invalid token or authentication failed.")],
)  # fmt: skip
def test_without_anonymous_mode_a_request_needs_a_valid_token(
    tmp_path: Path, headers: dict[str, str], why: str
) -> None:
    async def call(client: TestClient) -> tuple[int, Any]:
        response = await client.post(MESSAGES_PATH, json=activity(QUESTION), headers=headers)
        return response.status, await response.json()

    assert _client_call(tmp_path, WITH_APP, call) == (401, {"error": why})


@pytest.mark.parametrize(
    ("change", "words"),
    [({"serviceUrl": "https://smba.trafficmanager.net/uk/"}, "serviceUrl must be on this machine"),
     ({"serviceUrl": None}, "needs a serviceUrl"), ({"from": None}, "needs from.id"),
     ({"conversation": {"name": "x"}}, "needs conversation.id"), ({"channelId": None}, "needs a type and a channelId"),
     ({"timestamp": "yesterday"}, "That is not an Activity")],
)  # fmt: skip
def test_a_malformed_or_foreign_activity_is_refused_before_the_bot_acts(
    tmp_path: Path, change: dict[str, Any], words: str
) -> None:
    body = {k: v for k, v in {**activity(QUESTION), **change}.items() if v is not None}

    async def call(client: TestClient) -> tuple[int, str]:
        response = await client.post(MESSAGES_PATH, json=body)
        return response.status, (await response.json())["error"]

    status, error = _client_call(tmp_path, ANONYMOUS, call)
    assert status == 400 and words in error


def test_bodies_that_are_not_json_or_too_large_are_refused(tmp_path: Path) -> None:
    async def call(client: TestClient) -> list[int]:
        bad = await client.post(MESSAGES_PATH, data=b"\xff{", headers={"Content-Type": "application/json"})
        huge = await client.post(MESSAGES_PATH, data=io.BytesIO(b"{" + b" " * MAX_BODY_BYTES + b"}"),
                                 headers={"Content-Type": "application/json"})  # fmt: skip
        other = await client.get(MESSAGES_PATH)
        health = await client.get("/healthz")
        return [bad.status, huge.status, other.status, health.status]

    assert _client_call(tmp_path, ANONYMOUS, call) == [400, 413, 405, 200]


def test_an_unknown_card_verb_or_a_stale_answer_is_told_politely(tmp_path: Path) -> None:
    async def call(client: TestClient) -> list[Any]:
        unknown = await client.post(MESSAGES_PATH, json=card_action("launch", {}))
        stale = await client.post(MESSAGES_PATH, json=card_action("more", {"value": "nope:2"}))
        return [await unknown.json(), await stale.json()]

    unknown, stale = _client_call(tmp_path, ANONYMOUS, call)
    assert unknown["value"] == "That button is out of date: ask me again."
    assert "too old for its buttons" in stale["value"]


def test_anonymous_mode_warns_when_it_starts(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from aiohttp import web

    started: list[dict[str, Any]] = []
    monkeypatch.setattr(web, "run_app", lambda app, **kw: started.append(kw))  # not our code: aiohttp's loop
    said: list[str] = []
    with caplog.at_level(logging.WARNING, logger="bot.teams_serve"):
        serve(web.Application(), host="127.0.0.1", port=3978, anonymous=True, announce=said.append)
    assert ANONYMOUS_WARNING in caplog.text
    assert said == ["Listening for Teams on http://127.0.0.1:3978/api/messages. Ctrl-C stops."]
    assert started and started[0]["host"] == "127.0.0.1" and started[0]["port"] == 3978


def test_the_replies_are_json_an_sdk_client_can_read(tmp_path: Path) -> None:
    from microsoft_agents.activity import ExpectedReplies

    async def call(client: TestClient) -> str:
        return await (await client.post(MESSAGES_PATH, json=activity("help", user=MEMBER))).text()

    replies = ExpectedReplies.model_validate(json.loads(_client_call(tmp_path, ANONYMOUS, call)))
    assert replies.activities and replies.activities[0].attachments[0].content_type == CARD_CONTENT_TYPE
