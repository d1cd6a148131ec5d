"""Attacks on the Slack transport (issue 8), each against the real Bolt app served on 127.0.0.1.

An unsigned or unverifiable request makes the bot do nothing at all; a direct message between two
people is not a direct message with the bot; bodies are capped before they are read and refused
when malformed; a replayed slash command runs once; odd characters in Slack text get a normal
answer; a bad ``SLACK_API_URL`` is never echoed whole. Nothing sleeps: ``process_before_response``
finishes each listener before the HTTP answer, and calls after it are awaited on a queue.
"""

from __future__ import annotations

import io
import json
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from chat_support import RunningApp, make_context, seeded_db
from fake_slack import (
    BOT_USER,
    SIGNING_SECRET,
    FakeSlack,
    command_body,
    event_body,
    post,
    post_signed,
    sign,
)
from plan_support import plan_context, sample_plan_file
from slack_sdk.signature import SignatureVerifier

from bot.config import ConfigError, Settings
from bot.slack_delivery import plain_text
from bot.slack_guard import MAX_BODY_BYTES, ResponseUrls
from bot.slack_serve import EVENTS_PATH, make_http_server
from handlers.context import Context
from knowledge.models import Answer
from knowledge.plans.actions import action_history, find_action
from knowledge.store import open_db

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
QUESTION = "what did cabinet resolve in Dec 2022"
EXEMPT = "sold to the preferred bidder"  # only in the exempt (Part 2) item of the seeded minutes
SORRY = "Sorry, something went wrong"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
def attacker() -> Iterator[FakeSlack]:
    """A second recording server on loopback: wherever an attacker would like the bot to post."""
    with FakeSlack() as server:
        yield server


@pytest.fixture
def context(tmp_path: Path) -> Context:
    return make_context(seeded_db(tmp_path))


def _mention(text: str, *, channel: str = "C0PUBLIC", user: str = "U0MEMBER") -> dict[str, Any]:
    ts = "1700000000.000100"
    return {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}", "ts": ts,
            "channel": channel, "event_ts": ts}  # fmt: skip


def _dm(text: str, event_id: str) -> str:
    event = {"type": "message", "channel_type": "im", "channel": "D0DIRECT", "user": "U0MEMBER",
             "text": text, "ts": "1700000001.000100"}  # fmt: skip
    return event_body(event, event_id)


# --- 1. nothing is done for a request that was not verified -----------------------------------------


def test_the_test_signature_is_slacks() -> None:
    stamp, body = "1700000000", "token=x&text=caf%C3%A9"
    expected = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)
    assert sign(SIGNING_SECRET, stamp, body.encode()) == expected


def _unverifiable(body: str, kind: str) -> dict[str, str]:
    """Headers that Bolt's own check raised on (or, for a missing timestamp, refused)."""
    now = str(int(time.time()))
    if kind == "no timestamp":
        return {"X-Slack-Signature": sign(SIGNING_SECRET, now, body.encode())}
    if kind == "signature not ASCII":  # hmac.compare_digest raises on such a str
        return {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=\u00e9" + "0" * 63}
    stamp = {"timestamp abc": "abc", "empty timestamp": "", "timestamp 1e9": "1e9"}[kind]
    signature = sign(SIGNING_SECRET, stamp, body.encode())
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


@pytest.mark.parametrize(
    "kind", ["timestamp abc", "no timestamp", "empty timestamp", "timestamp 1e9", "signature not ASCII"]
)
def test_an_unverifiable_request_gets_401_and_nothing_is_sent_anywhere(
    fake: FakeSlack, attacker: FakeSlack, context: Context, kind: str
) -> None:
    command = command_body(QUESTION, attacker.response_url(), user="U0OFFICER", channel="C0PUBLIC")
    event = json.loads(event_body(_mention(QUESTION), "EvS1"))
    event["response_url"] = attacker.response_url("r2")  # where an apology would have gone
    bodies = [(command, FORM), (json.dumps(event), JSON)]
    with RunningApp(fake, context, process_before_response=True) as app:
        answers = [
            post(app.url, body.encode(), {"Content-Type": content_type, **_unverifiable(body, kind)})
            for body, content_type in bodies
        ]
    assert [a.status for a in answers] == [401, 401]
    assert fake.calls == [] and attacker.calls == []


def test_a_response_url_off_slack_is_never_called_even_when_signed(
    fake: FakeSlack, attacker: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(db: Any, question: str, **kw: Any) -> Answer:
        raise RuntimeError("boom")

    context = make_context(seeded_db(tmp_path), ask=broken)
    with RunningApp(fake, context, process_before_response=True) as app:
        for text in ("help", QUESTION):  # an answer, and an error that would be apologised for
            body = command_body(text, attacker.response_url())
            assert post_signed(app.url, body, content_type=FORM).status == 200
        post_signed(app.url, command_body("help", fake.response_url()), content_type=FORM)
        assert "reference" not in fake.wait_for("response_url").args["text"]  # Slack's own URL works
    assert attacker.calls == []
    assert sum("not a Slack response URL" in r.getMessage() for r in caplog.records) == 2


def test_response_urls_are_slacks_hooks_or_the_configured_api_host() -> None:
    slack = ResponseUrls.for_api("https://slack.com/api/")
    assert slack.allows("https://hooks.slack.com/commands/T0/1/abc")
    for url in ("http://hooks.slack.com/commands/T0/1/abc", "https://hooks.slack.com:8443/commands/x",
                "https://hooks.slack.com@evil.example/x", "https://evil.example/#@hooks.slack.com/",
                "https://user:pw@hooks.slack.com/x", "https://hooks.slack.com.evil.example/x",
                "https://slack.com/api/", "hooks.slack.com/x", "", "https://[::1/x"):  # fmt: skip
        assert not slack.allows(url), url
    local = ResponseUrls.for_api("http://127.0.0.1:9999/api/")
    assert local.allows("http://127.0.0.1:9999/respond/r1") and local.allows("https://hooks.slack.com/x")
    assert not local.allows("http://127.0.0.1:9998/respond/r1")


# --- 2. "direct" is what Slack says about the conversation ----------------------------------------


def test_a_slash_command_in_a_dm_between_two_people_never_quotes_exempt_minutes(
    fake: FakeSlack, context: Context
) -> None:
    fake.add_conversation("D0OTHERS", is_im=True, user="U0MEMBER")  # the bot's DM with somebody else
    fake.fail("conversations.info", "D0NOSCOPE", "missing_scope")
    own = fake.im_with("U0OFFICER")
    channels = ["D0PEOPLE", "D0OTHERS", "D0NOSCOPE", own]  # D0PEOPLE: Slack says channel_not_found
    texts = {"ask": f"ask {QUESTION}", "share": f"share {QUESTION}", "whoami": "whoami"}
    with RunningApp(fake, context, process_before_response=True) as app:
        for channel in channels:
            for verb, text in texts.items():
                url = fake.response_url(f"{channel}-{verb}")
                body = command_body(text, url, user="U0OFFICER", channel=channel)
                assert post_signed(app.url, body, content_type=FORM).status == 200
    said = {c.path.rsplit("/", 1)[-1]: c.args["text"] for c in fake.calls if c.method == "response_url"}
    asked = {c.args["channel"] for c in fake.calls if c.method == "conversations.info"}
    assert asked == set(channels)
    for channel in channels[:-1]:
        assert EXEMPT not in said[f"{channel}-ask"] and EXEMPT not in said[f"{channel}-share"], channel
        assert "never quote exempt" in said[f"{channel}-whoami"], channel
    assert EXEMPT in said[f"{own}-ask"]  # the officer's own conversation with the bot
    assert "In a direct conversation with me" in said[f"{own}-whoami"]


def test_an_event_is_direct_only_when_its_channel_type_is_im(fake: FakeSlack, context: Context) -> None:
    mention = _mention(QUESTION, channel="D0PEOPLE", user="U0OFFICER")  # an @mention in a people's DM
    with RunningApp(fake, context, process_before_response=True) as app:
        post_signed(app.url, event_body(mention, "EvS2"), content_type=JSON)
    [answer] = [c for c in fake.calls if c.method in ("chat.postMessage", "chat.postEphemeral")]
    assert EXEMPT not in answer.args["text"]


# --- 3. capped, then parsed; refused with 413, 400 or 401 -----------------------------------------


def _raw_exchange(port: int, head: bytes, data: bytes = b"") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head + data)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:  # the server closed with our unread body in its buffer
            pass
    return answer


def test_a_body_over_the_cap_gets_413_without_being_read(fake: FakeSlack, context: Context) -> None:
    head = (f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {JSON}\r\n"
            f"Content-Length: {300 * 1024 * 1024}\r\n\r\n").encode()  # fmt: skip
    with RunningApp(fake, context, process_before_response=True) as app:
        port = urlsplit(app.url).port
        assert port
        started = time.monotonic()
        answer = _raw_exchange(port, head, b"{" * 1024)  # 300 MB announced, 1 KB sent
        assert time.monotonic() - started < 5
        chunked = head.replace(f"Content-Length: {300 * 1024 * 1024}".encode(), b"Transfer-Encoding: chunked")
        refused = _raw_exchange(port, chunked, b"400\r\n" + b"{" * 1024 + b"\r\n")
    assert answer.split(b"\r\n")[0].split(b" ")[1] == b"413"
    assert refused.split(b"\r\n")[0].split(b" ")[1] == b"411"  # no length: this server cannot cap it
    assert fake.calls == []


def test_a_stream_of_unknown_length_is_read_only_up_to_the_cap(fake: FakeSlack, context: Context) -> None:
    class Endless(io.RawIOBase):
        served = 0

        def readinto(self, buffer: Any) -> int:
            self.served += len(buffer)
            buffer[:] = b"{" * len(buffer)
            return len(buffer)

    stream = Endless()
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        statuses.append(status)

    # what a server that decodes a chunked body passes on: no length, the end of input marked
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": EVENTS_PATH, "CONTENT_TYPE": JSON,
               "wsgi.input": stream, "wsgi.input_terminated": True}  # fmt: skip
    with RunningApp(fake, context) as app, make_http_server(app.app, "127.0.0.1", 0) as server:
        application = server.get_app()
        assert application is not None
        b"".join(application(environ, start_response))
    assert statuses == ["413 Request Entity Too Large"]
    assert stream.served <= MAX_BODY_BYTES + 64 * 1024


MALFORMED: list[tuple[str, bytes, str]] = [
    ("half an object", b"{", JSON),
    ("a list", b"[]", JSON),
    ("a null event", b'{"type":"event_callback","event":null}', JSON),
    ("an event that is a number", b'{"type":"event_callback","event":5}', JSON),
    ("a team that is a number", b'{"type":"event_callback","team":5,"event":{"type":"app_mention"}}', JSON),
    ("not UTF-8", b'{"type":"event_callback","event":{"type":"message","text":"\xff\xfe"}}', JSON),
    ("a payload that is not JSON", b"payload=%7Bnot-json", FORM),
    ("a payload that is a list", b"payload=%5B%5D", FORM),
    ("form junk", b"%%%=&&&hello", FORM),
    ("a nest too deep to parse", b"[" * 200_000, JSON),
]


@pytest.mark.parametrize(("body", "content_type"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_a_signed_malformed_body_gets_400_and_no_traceback(
    fake: FakeSlack, context: Context, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    with caplog.at_level(logging.INFO), RunningApp(fake, context, process_before_response=True) as app:
        answer = post_signed(app.url, body, content_type=content_type)
    assert answer.status == 400
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
    assert fake.calls == []


def test_an_unsigned_body_gets_401(fake: FakeSlack, context: Context) -> None:
    with RunningApp(fake, context, process_before_response=True) as app:
        answer = post(app.url, event_body(_mention(QUESTION), "EvS3").encode(), {"Content-Type": JSON})
    assert answer.status == 401 and fake.calls == []


@pytest.mark.parametrize(("name", "body", "content_type"), MALFORMED)
def test_an_unsigned_malformed_body_gets_401_before_it_is_parsed(
    fake: FakeSlack, context: Context, name: str, body: bytes, content_type: str
) -> None:
    with RunningApp(fake, context, process_before_response=True) as app:
        answer = post(app.url, body, {"Content-Type": content_type})
    assert answer.status == 401 and fake.calls == []


# --- 4. a replayed slash command runs once ---------------------------------------------------------


def _history(path: Path, ref: str) -> list[Any]:
    db = open_db(path)
    try:
        _, found = find_action(db, ref)
        return action_history(db, found.id)
    finally:
        db.close()


@pytest.mark.parametrize("trigger", [True, False], ids=["with trigger_id", "without trigger_id"])
def test_a_replayed_slash_command_runs_once(fake: FakeSlack, tmp_path: Path, trigger: bool) -> None:
    path = sample_plan_file(tmp_path, channel="C0PLANS", minutes=True)
    before = len(_history(path, "4.2"))
    body = command_body("status 4.2 amber cap agreed", fake.response_url(), user="U0OFFICER")
    if not trigger:
        body = "&".join(p for p in body.split("&") if not p.startswith("trigger_id="))
    stamp = int(time.time())
    with RunningApp(fake, plan_context(path), process_before_response=True) as app:
        first = post_signed(app.url, body, content_type=FORM, timestamp=stamp)
        again = post_signed(app.url, body, content_type=FORM, timestamp=stamp)
        other = post_signed(app.url, body, content_type=FORM, timestamp=stamp + 1)  # another delivery
    assert (first.status, again.status, other.status) == (200, 200, 200)
    answered = [c for c in fake.calls if c.method == "response_url"]
    expected = 1 if trigger else 2  # with no trigger_id, the signed timestamp tells deliveries apart
    assert len(answered) == expected
    assert len(_history(path, "4.2")) == before + expected


# --- 5. lone surrogates and control characters ------------------------------------------------------


def test_odd_characters_in_slack_text_get_a_normal_answer(fake: FakeSlack, context: Context) -> None:
    with RunningApp(fake, context, process_before_response=True) as app:
        post_signed(app.url, _dm("housing \ud800repairs\x07\x00", "EvS4"), content_type=JSON)
        body = command_body("housing repairs\x1b[2J", fake.response_url(), channel="C0PUBLIC")
        post_signed(app.url, body, content_type=FORM)
    [posted] = [c for c in fake.calls if c.method == "chat.postMessage"]
    [responded] = [c for c in fake.calls if c.method == "response_url"]
    for call in (posted, responded):
        assert SORRY not in call.args["text"] and "monthly repairs dashboard" in call.args["text"]


def test_slack_markup_becomes_words_without_control_characters_or_lone_surrogates() -> None:
    typed = f"<@{BOT_USER}> housing \ud800repairs\x07 &#x1b;[2J&lt;b&gt;"
    assert plain_text(typed, BOT_USER) == "housing repairs [2J<b>"


def test_a_slash_commands_user_name_is_cleaned_too(fake: FakeSlack, context: Context) -> None:
    body = command_body("whoami", fake.response_url(), user="U0STRANGER", user_name="sam\x1b[2J\x07\x9b")
    with RunningApp(fake, context, process_before_response=True) as app:
        post_signed(app.url, body, content_type=FORM)
    [said] = [c.args["text"] for c in fake.calls if c.method == "response_url"]
    assert said.startswith("You are sam[2J (U0STRANGER)")


# --- 6. a bad SLACK_API_URL is not echoed whole -----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "htp://user:secret@host.example/x?token=secret",
        "secret",
        "ftp://[::1/secret",
        "https://",
        "xoxb-1-secret:x",
        "https://user:secret@[::1]:99999/x",
    ],
)
def test_a_bad_slack_api_url_is_reported_without_its_credentials(url: str) -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_env({"SLACK_API_URL": url})
    [problem] = err.value.problems
    assert problem.startswith("SLACK_API_URL must be an http(s) URL")
    assert "secret" not in str(err.value)
    if url.startswith("htp://"):
        assert "htp://host.example" in problem  # enough to find the mistake
