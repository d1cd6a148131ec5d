"""One contract, every transport: the terminal chat, Slack direct messages and ``/scrutiny``, and Teams.

Each driver sends text as a configured user and returns what that user would read, as plain text.
The oracle is the core's own reply to the same request: every transport must show all of its
lines, every citation's label and source, and nothing else of substance.
"""

from __future__ import annotations

import html
import io
import re
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from chat_support import RunningApp, make_context, seeded_db
from fake_connector import FakeConnector
from fake_slack import FakeSlack, command_body, event_body, post_signed
from teams_support import RunningTeams, bot_added, dm, read
from teams_support import files as teams_files

from bot.slack_format import escape
from bot.terminal import Terminal
from handlers.commands import build_registry
from handlers.context import Context
from handlers.messages import Attachment, Notice, Reply, Request, Visibility
from handlers.registry import Command, Registry
from knowledge.models import Answer

QUESTION = "what did cabinet resolve in Dec 2022"


def _flatten_slack(message: dict[str, Any]) -> str:
    """What a person reads in a Slack message: block texts, links as 'label (url)', unescaped."""
    parts: list[str] = []
    for block in message.get("blocks") or []:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    text = "\n".join(parts) if parts else message.get("text", "")
    text = re.sub(r"<([^|<>]+)\|([^<>]+)>", r"\2 (\1)", text)
    return html.unescape(text)


class TerminalDriver:
    name = "terminal"
    private = False
    prefix = ""

    def __init__(self, context: Context, stack: ExitStack, registry: Registry | None = None) -> None:
        self.context = context
        self.registry = registry or build_registry()
        self.save_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        self.output = ""

    def request_args(self) -> dict[str, Any]:
        return {"channel_id": "terminal", "direct": True}

    def send(self, user: str, text: str) -> str:
        out = io.StringIO()
        terminal = Terminal(
            self.registry,
            self.context,
            stdin=io.StringIO(),
            stdout=out,
            user=user,
            interactive=False,
            save_dir=self.save_dir,
        )
        terminal.handle(text)
        self.output += out.getvalue()
        return out.getvalue()

    def files(self) -> list[tuple[str, bytes]]:
        return sorted((p.name, p.read_bytes()) for p in self.save_dir.iterdir())

    def notices(self) -> list[tuple[str, str]]:
        return re.findall(r"^\(Also posted to (\S+): (.*)\)$", self.output, flags=re.M)


# Slack escapes &, < and > in what people type before sending it to the app; the drivers do too.


class SlackDirectMessageDriver:
    name = "slack-dm"
    private = False
    prefix = ""

    def __init__(self, context: Context, stack: ExitStack, registry: Registry | None = None) -> None:
        self.fake = stack.enter_context(FakeSlack())
        self.app = stack.enter_context(
            RunningApp(self.fake, context, process_before_response=True, registry=registry)
        )
        self.count = 0

    def request_args(self) -> dict[str, Any]:
        return {"channel_id": "D0DIRECT", "direct": True}

    def send(self, user: str, text: str) -> str:
        self.count += 1
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": "D0DIRECT",
            "user": user,
            "text": escape(text),
        }
        event["ts"] = f"1700000000.{self.count:06d}"
        resp = post_signed(
            self.app.url, event_body(event, f"EvC{self.count}"), content_type="application/json"
        )
        assert resp.status == 200
        return _flatten_slack(self.fake.wait_for("chat.postMessage").args)


class SlackSlashDriver:
    name = "slack-slash"
    private = True
    prefix = "/scrutiny "

    def __init__(self, context: Context, stack: ExitStack, registry: Registry | None = None) -> None:
        self.fake = stack.enter_context(FakeSlack())
        self.app = stack.enter_context(
            RunningApp(self.fake, context, process_before_response=True, registry=registry)
        )

    def request_args(self) -> dict[str, Any]:
        return {"channel_id": "D0DIRECT", "direct": True, "display_name": "sam"}  # Slack sends user_name

    def send(self, user: str, text: str) -> str:
        channel = self.fake.im_with(user)  # each person's own conversation with the bot, as Slack says
        body = command_body(escape(text), self.fake.response_url(), user=user, channel=channel)
        resp = post_signed(self.app.url, body, content_type="application/x-www-form-urlencoded")
        assert (resp.status, resp.body) == (200, "")
        call = self.fake.wait_for("response_url")
        assert call.args["response_type"] in ("ephemeral", "in_channel")
        return _flatten_slack(call.args)


class _SlackFiles:
    fake: FakeSlack

    def files(self) -> list[tuple[str, bytes]]:
        names = [c.args["filename"] for c in self.fake.calls if c.method == "files.getUploadURLExternal"]
        data = [c.args["data"] for c in self.fake.calls if c.method == "file_upload"]
        return sorted(zip(names, data, strict=True))

    def notices(self) -> list[tuple[str, str]]:
        posted = [c.args for c in self.fake.calls if c.method == "chat.postMessage"]
        return [(a["channel"], html.unescape(a["text"])) for a in posted if a["channel"].startswith("C")]


for _cls in (SlackDirectMessageDriver, SlackSlashDriver):
    _cls.files = _SlackFiles.files  # type: ignore[attr-defined]
    _cls.notices = _SlackFiles.notices  # type: ignore[attr-defined]

class TeamsDriver:
    """A 1:1 chat in Teams: Activity JSON posted to /api/messages (expectReplies), Adaptive Cards back.

    The bot was added to the channel C0PLANS first, so it can post a notice there (to the stand-in
    for the Bot Connector); the people are the configured ids, sent as Teams' ``aadObjectId``.
    """

    name = "teams"
    private = False
    prefix = ""
    chat = dm("contract")

    def __init__(self, context: Context, stack: ExitStack, registry: Registry | None = None) -> None:
        self.connector = stack.enter_context(FakeConnector())
        self.teams = stack.enter_context(RunningTeams(context, registry=registry))
        self.seen: list[tuple[str, bytes]] = []
        status, _ = self.teams.post(bot_added("C0PLANS", service_url=self.connector.url))
        assert status in (200, 202)

    def request_args(self) -> dict[str, Any]:
        return {"channel_id": self.chat, "direct": True}

    def send(self, user: str, text: str) -> str:
        answered = self.teams.ask(text, user=user, conversation=self.chat, service_url=self.connector.url)
        self.seen += teams_files(answered)
        return read(answered)

    def files(self) -> list[tuple[str, bytes]]:
        return sorted(self.seen)

    def notices(self) -> list[tuple[str, str]]:
        return [(c.conversation, c.text()) for c in self.connector.sent() if c.conversation != self.chat]


DRIVERS = [TerminalDriver, SlackDirectMessageDriver, SlackSlashDriver, TeamsDriver]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return seeded_db(tmp_path)


@pytest.fixture(params=DRIVERS, ids=[d.name for d in DRIVERS])
def driver(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Any]:
    with ExitStack() as stack:
        yield request.param(make_context(db_path), stack)


def _oracle(driver: Any, db_path: Path, user: str, text: str) -> Reply:
    context = make_context(db_path)
    ctx = context.private(driver.prefix) if driver.private else context
    request = context.access.request(user_id=user, text=text, **driver.request_args())
    return build_registry().dispatch(request, ctx)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _fragments(reply: Reply) -> list[str]:
    """What any transport must show of ``reply``: its lines, and its citations' labels (the council
    may be left out when there is only one) and sources."""
    citations = [c for s in reply.sections for c in s.citations]
    texts = [reply.head, *(s.text for s in reply.sections), reply.tail] if reply.sections else [reply.text]
    lines = [line.strip() for t in texts for line in t.splitlines() if line.strip()]
    return (
        lines + [c.label(with_council=False) for c in citations] + [c.source for c in citations if c.source]
    )


CASES = [
    ("U0MEMBER", QUESTION),
    ("U0OFFICER", QUESTION),
    ("U0MEMBER", "housing repairs"),
    ("U0MEMBER", "help"),
    ("U0MEMBER", "help roles"),
    ("U0MEMBER", "roles"),
    ("U0CLERK", "roles"),
    ("U0OFFICER", "whoami"),
    ("U0MEMBER", "ask"),
    ("U0MEMBER", "co-op & council's <b>A-12</b> \"unbalanced ( $5,000 C++"),
    ("U0MEMBER", "something nobody ever minuted"),
]


#: Every example of every command, as an admin: the registry routes them alike everywhere.
EXAMPLES = [("U0ADMIN", example) for command in build_registry() for example in command.examples]


@pytest.mark.parametrize(("user", "text"), CASES + EXAMPLES)
def test_every_transport_shows_the_whole_reply(driver: Any, db_path: Path, user: str, text: str) -> None:
    seen = _squash(driver.send(user, text))
    for fragment in _fragments(_oracle(driver, db_path, user, text)):
        assert _squash(fragment) in seen, (driver.name, fragment)


def test_answers_carry_quotes_and_citations(driver: Any) -> None:
    seen = driver.send("U0MEMBER", QUESTION)
    assert "That the revenue budget for 2023/24 be recommended to Council <as amended>." in seen
    assert "Cabinet, 15 December 2022, item 181: Budget & council tax 2023/24" in seen
    assert "https://northbridge.example.gov.uk/mgIssue?ID=181&Cabinet" in seen
    assert "sold to the preferred bidder" not in seen  # exempt: at most its title is listed


def test_exempt_material_reaches_an_officer_one_to_one_and_is_named(driver: Any) -> None:
    seen = driver.send("U0OFFICER", QUESTION)
    assert "sold to the preferred bidder" in seen and "Exempt (Part 2) material" in seen
    assert "item 185: Disposal of land at Mill Lane" in seen.split("Exempt (Part 2) material")[-1]
    assert "sold to the preferred bidder" not in driver.send("U0MEMBER", QUESTION)


def test_refusals_are_alike(driver: Any) -> None:
    seen = driver.send("U0MEMBER", "roles")
    assert "Sorry, `roles` is for clerks and admins, and I have you down as a member." in seen
    assert "Officers: Olu Officer (U0OFFICER)" in driver.send("U0ADMIN", "roles")


def test_help_lists_every_command(driver: Any) -> None:
    seen = driver.send("U0MEMBER", "help")
    for command in build_registry():
        assert f"{driver.prefix}{command.usage}: {command.summary}" in seen


def test_an_unexpected_error_is_an_apology_with_a_reference(db_path: Path) -> None:
    def broken(db: Any, question: str, **kw: Any) -> Answer:
        raise RuntimeError("boom")

    for cls in DRIVERS:
        with ExitStack() as stack:
            seen = cls(make_context(db_path, ask=broken), stack).send("U0MEMBER", QUESTION)
        assert re.search(r"Sorry, something went wrong on my side\. .* reference [0-9a-f]{8}\.", seen), (
            cls.name
        )


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def _chart(request: Request, context: Context) -> Reply:
    return Reply(
        text="Here is the repairs chart.",
        attachments=(Attachment("chart.png", PNG, "Repairs chart", "image/png"),),
        notices=(Notice("C0PLANS", f"{request.user_id} asked for the repairs chart."),),
        visibility=Visibility.CHANNEL,
    )


def test_files_reach_the_asker_and_notices_go_out(driver: Any, db_path: Path) -> None:
    registry = build_registry()
    registry.add(Command("chart", "a chart", "chart", _chart, examples=("chart",)))
    with ExitStack() as stack:
        drv = type(driver)(make_context(db_path), stack, registry)
        assert "Here is the repairs chart." in drv.send("U0MEMBER", "chart")
        assert drv.files() == [("chart.png", PNG)]
        assert drv.notices() == [("C0PLANS", "U0MEMBER asked for the repairs chart.")]
