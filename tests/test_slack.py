"""The real Bolt app over HTTP on loopback, a fake Slack Web API, correctly signed requests.

Nothing sleeps: calls made after the acknowledgement are awaited on the fake's queue with a
time-out, and ``process_before_response=True`` is used where a test must know a listener is done.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chat_support import CABINET_URL, NOW, RunningApp, make_context, seeded_db
from fake_slack import BOT_USER, FakeSlack, command_body, event_body, post_signed

from bot.slack_actions import SHORTCUT_FIND, SUGGESTED_PROMPTS
from bot.slack_app import claim_event, plain_text
from bot.slack_format import (
    MAX_BLOCKS,
    MAX_SECTION_CHARS,
    chunks,
    escape,
    fallback_text,
    home_view,
    reply_blocks,
)
from handlers.commands import build_registry
from handlers.context import Context
from handlers.home import Home, Panel
from handlers.messages import Attachment, Notice, Reply, Request, Section, Visibility
from handlers.registry import Command
from knowledge.models import Answer, Citation
from knowledge.store import open_db

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "what did cabinet resolve in Dec 2022"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
def context(tmp_path: Path) -> Context:
    return make_context(seeded_db(tmp_path))


def mention(
    text: str, *, ts: str = "1700000000.000100", channel: str = "C0PUBLIC", user: str = "U0MEMBER"
) -> dict:
    return {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }


def dm(text: str, *, user: str = "U0MEMBER", **extra: Any) -> dict:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "D0DIRECT",
        "user": user,
        "text": text,
        "ts": "1700000001.000100",
        **extra,
    }


def block_text(blocks: list[dict[str, Any]]) -> str:
    """Every piece of text in ``blocks``, as Slack would read it (still escaped)."""
    out: list[str] = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        for e in block.get("elements", []):
            text = e.get("text")
            out.append(text["text"] if isinstance(text, dict) else text) if text else None
    return "\n".join(out)


# --- the flows ----------------------------------------------------------------------------------


def test_a_mention_is_answered_in_its_thread_with_citations(fake: FakeSlack, context: Context) -> None:
    with RunningApp(fake, context) as app:
        resp = post_signed(app.url, event_body(mention(QUESTION), "Ev001"), content_type=JSON)
        assert resp.status == 200
        call = fake.wait_for("chat.postMessage")
    assert call.args["channel"] == "C0PUBLIC"
    assert call.args["thread_ts"] == "1700000000.000100"
    assert "That the revenue budget" in call.args["text"]
    blocks = call.args["blocks"]
    assert blocks[-1]["type"] == "context_actions"  # 👍/👎 under every answer
    [cited] = [i for i, b in enumerate(blocks) if b["type"] == "context"]
    quoted = next(i for i, b in enumerate(blocks) if "That the revenue budget" in json.dumps(b))
    assert cited < quoted  # the citation first, then the quotes
    link = blocks[cited]["elements"][0]["text"]
    assert link.startswith("[1] <https://northbridge.example.gov.uk/mgIssue?ID=181&amp;Cabinet|")
    assert "item 181: Budget &amp; council tax 2023/24>" in link
    assert "&lt;as amended&gt;" in block_text(blocks)  # escaped, never markup
    assert "sold to the preferred bidder" not in block_text(blocks)  # exempt, public channel
    assert fake.methods()[0] == "auth.test"  # once, at the first request, not at start-up


def test_a_direct_message_is_answered(fake: FakeSlack, context: Context) -> None:
    with RunningApp(fake, context) as app:
        assert (
            post_signed(app.url, event_body(dm("housing repairs"), "Ev002"), content_type=JSON).status == 200
        )
        call = fake.wait_for("chat.postMessage")
    assert call.args["channel"] == "D0DIRECT"
    assert "thread_ts" not in call.args or call.args["thread_ts"] is None
    assert "monthly repairs dashboard" in block_text(call.args["blocks"])


def test_an_officer_sees_exempt_material_only_in_an_officers_channel(
    fake: FakeSlack, context: Context
) -> None:
    with RunningApp(fake, context, process_before_response=True) as app:
        post_signed(
            app.url,
            event_body(mention(QUESTION, channel="C0PUBLIC", user="U0OFFICER"), "Ev003"),
            content_type=JSON,
        )
        post_signed(
            app.url,
            event_body(mention(QUESTION, channel="C0OFFICERS", user="U0OFFICER"), "Ev004"),
            content_type=JSON,
        )
    public, officers = [c for c in fake.calls if c.method == "chat.postMessage"]
    assert "sold to the preferred bidder" not in public.args["text"]
    assert "sold to the preferred bidder" in officers.args["text"]
    assert "Exempt (Part 2)" in officers.args["text"]


def test_a_slash_command_is_answered_to_the_asker_only(fake: FakeSlack, context: Context) -> None:
    with RunningApp(fake, context) as app:
        resp = post_signed(app.url, command_body(QUESTION, fake.response_url()), content_type=FORM)
        assert (resp.status, resp.body) == (200, "")  # the acknowledgement comes first
        call = fake.wait_for("response_url")
    assert call.args["response_type"] == "ephemeral"
    assert "That the revenue budget" in block_text(call.args["blocks"])


def test_a_shared_slash_answer_goes_to_the_channel(fake: FakeSlack, context: Context) -> None:
    with RunningApp(fake, context, process_before_response=True) as app:
        post_signed(app.url, command_body(f"share {QUESTION}", fake.response_url()), content_type=FORM)
        post_signed(app.url, command_body("help", fake.response_url("r2")), content_type=FORM)
    shared, helped = [c for c in fake.calls if c.method == "response_url"]
    assert shared.args["response_type"] == "in_channel"
    assert helped.args["response_type"] == "ephemeral"
    for command in build_registry():
        assert f"/scrutiny {command.usage}" in helped.args["text"]


def test_a_forged_signature_or_an_old_timestamp_gets_401(fake: FakeSlack, context: Context) -> None:
    with RunningApp(fake, context, process_before_response=True) as app:
        forged = post_signed(app.url, event_body(mention(QUESTION), "Ev005"), content_type=JSON, forge=True)
        old = post_signed(
            app.url,
            command_body(QUESTION, fake.response_url()),
            content_type=FORM,
            timestamp=int(time.time()) - 600,
        )
    assert (forged.status, old.status) == (401, 401)
    assert fake.calls == []


def test_a_retried_delivery_is_answered_once(fake: FakeSlack, context: Context) -> None:
    body = event_body(mention(QUESTION), "Ev006")
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    with RunningApp(fake, context, process_before_response=True) as app:
        assert post_signed(app.url, body, content_type=JSON).status == 200
        assert post_signed(app.url, body, content_type=JSON, headers=retry).status == 200
        assert (
            post_signed(app.url, body, content_type=JSON, headers={**retry, "X-Slack-Retry-Num": "2"}).status
            == 200
        )
        # a retry whose first delivery never arrived is answered
        lost = event_body(mention("housing repairs", ts="1700000002.000100"), "Ev007")
        assert post_signed(app.url, lost, content_type=JSON, headers=retry).status == 200
    posted = [c for c in fake.calls if c.method == "chat.postMessage"]
    assert [c.args["thread_ts"] for c in posted] == ["1700000000.000100", "1700000002.000100"]


def test_a_rate_limited_call_is_retried_after_retry_after(fake: FakeSlack, context: Context) -> None:
    fake.rate_limit_once("chat.postMessage", retry_after=7)
    with RunningApp(fake, context) as app:
        post_signed(app.url, event_body(dm("housing repairs"), "Ev008"), content_type=JSON)
        call = fake.wait_for("chat.postMessage")
    assert "monthly repairs dashboard" in call.args["text"]
    assert "chat.postMessage#429" in fake.methods()
    assert app.sleeps == [7.0]  # the injected clock waited as Slack asked


def test_the_bot_ignores_its_own_messages_and_edits(fake: FakeSlack, context: Context) -> None:
    with RunningApp(fake, context, process_before_response=True) as app:
        post_signed(app.url, event_body(dm("budget", bot_id="B0000001"), "Ev009"), content_type=JSON)
        post_signed(app.url, event_body(dm("budget", subtype="message_changed"), "Ev010"), content_type=JSON)
    assert "chat.postMessage" not in fake.methods()


def _failing_ask(db: Any, question: str, **kw: Any) -> Answer:
    raise RuntimeError("the index is on fire")


def test_an_unexpected_error_apologises_with_a_reference_and_logs_the_traceback(
    fake: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    context = make_context(seeded_db(tmp_path), ask=_failing_ask)
    with caplog.at_level(logging.ERROR, logger="bot.slack_app"):
        with RunningApp(fake, context) as app:
            post_signed(app.url, event_body(mention(QUESTION), "Ev011"), content_type=JSON)
            ephemeral = fake.wait_for("chat.postEphemeral")
            post_signed(app.url, command_body(QUESTION, fake.response_url()), content_type=FORM)
            responded = fake.wait_for("response_url")
    ref = re.search(r"reference (\w+)", ephemeral.args["text"])
    assert ref and ephemeral.args["thread_ts"] == "1700000000.000100" and ephemeral.args["user"] == "U0MEMBER"
    assert responded.args["response_type"] == "ephemeral" and "reference" in responded.args["text"]
    logged = [r for r in caplog.records if ref.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info and "the index is on fire" in str(logged[0].exc_info[1])


def test_app_home_shows_meetings_and_recent_decisions_never_exempt(fake: FakeSlack, context: Context) -> None:
    event = {"type": "app_home_opened", "user": "U0OFFICER", "channel": "D0DIRECT", "tab": "home"}
    with RunningApp(fake, context) as app:
        post_signed(app.url, event_body(event, "Ev012"), content_type=JSON)
        call = fake.wait_for("views.publish")
    view = call.args["view"]
    assert call.args["user_id"] == "U0OFFICER" and view["type"] == "home"
    text = block_text(view["blocks"])
    assert "Upcoming meetings" in text and "No meetings in the next 6 weeks" in text
    assert "Recent decisions" in text and "item 181" in text
    assert "Mill Lane" not in text


def test_events_are_claimed_once_in_sqlite(tmp_path: Path) -> None:
    db = open_db(tmp_path / "x.db")
    try:
        assert claim_event(db, "Ev1", NOW) is True
        assert claim_event(db, "Ev1", NOW) is False
        assert claim_event(db, "Ev2", NOW.replace(year=2024)) is True  # and old ids are pruned
        assert [r["event_id"] for r in db["chat_events"].rows] == ["Ev2"]
    finally:
        db.close()


# --- text in, Block Kit out -----------------------------------------------------------------------


def test_incoming_markup_becomes_plain_words() -> None:
    text = f"<@{BOT_USER}> what did <#C1|cabinet> say about A&amp;E &lt;urgent&gt; <https://x.org|this> <@U2>"
    assert plain_text(text, BOT_USER) == "what did #cabinet say about A&E <urgent> this @U2"


def _citation(n: int, source: str = "https://example.org/minutes?a=1&b=2") -> Citation:
    return Citation("Northbridge", "Cabinet", None, str(n), f"Title <{n}> | part", source)


def test_blocks_respect_slacks_limits_and_escape_everything() -> None:
    long = "\n\n".join(f"Paragraph {i}: " + "word " * 150 for i in range(60))
    sections = tuple(Section(f"<!channel> section {i}\n{long[:4000]}", (_citation(i),)) for i in range(30))
    reply = Reply(text="head\n\n" + long, sections=sections)
    blocks = [b.to_dict() for b in reply_blocks(reply)]  # slack_sdk validates the limits here
    assert len(blocks) == MAX_BLOCKS
    assert all(len(b["text"]["text"]) <= MAX_SECTION_CHARS for b in blocks if b["type"] == "section")
    assert "<!channel>" not in json.dumps(blocks) and "&lt;!channel&gt;" in json.dumps(blocks)
    assert "one Slack message" in blocks[-1]["elements"][0]["text"]
    assert len(fallback_text(reply)) <= 3000


def test_many_citations_fit_one_context_block() -> None:
    reply = Reply(text="x", sections=(Section("x", tuple(_citation(i) for i in range(25))),))
    context = reply_blocks(reply)[0].to_dict()  # the citations come first
    assert len(context["elements"]) == 10
    assert context["elements"][0]["text"].startswith("[1] <https://example.org/minutes?a=1&amp;b=2|")
    assert "Title &lt;0&gt; / part" in context["elements"][0]["text"]
    assert "[25]" in context["elements"][-1]["text"]
    local = Reply(text="x", sections=(Section("x", (_citation(1, "minutes/cabinet.html"),)),))
    assert "(minutes/cabinet.html)" in reply_blocks(local)[0].to_dict()["elements"][0]["text"]


def test_chunks_cut_at_word_ends_and_never_inside_an_escape() -> None:
    words = escape("a&b " * 2000).strip()
    pieces = chunks(words)
    assert len(pieces) > 1 and all(len(p) <= MAX_SECTION_CHARS for p in pieces)
    assert " ".join(pieces) == words
    for piece in chunks(escape("&" * 5000), 2999):
        assert len(piece) <= 2999 and piece.endswith(";") and piece.startswith("&")
    assert chunks("") == ["(nothing to say)"]


def test_home_view_fits_slacks_limit() -> None:
    panel = Panel("Recent decisions", tuple(Section(f"d{i}", (_citation(i),)) for i in range(80)))
    view = home_view(
        Home("Hello.", (panel, Panel("Empty", (), "Nothing yet."))), "Try /scrutiny help."
    ).to_dict()
    assert len(view["blocks"]) == 100
    assert view["blocks"][1]["text"]["text"] == "Hello. Try /scrutiny help."


def test_an_answer_with_a_source_link_does_not_repeat_it_as_text() -> None:
    citation = Citation("Northbridge", "Cabinet", None, "181", "Budget", CABINET_URL)
    section = Section("Resolved:\n  “Yes”", (citation,), heading=f"{citation.label()}\nSource: {CABINET_URL}")
    reply = Reply(text="(plain text)", sections=(section,), head="Found 1.")
    blocks = [b.to_dict() for b in reply_blocks(reply)]
    assert blocks[0]["text"]["text"] == "Found 1."
    assert blocks[1]["type"] == "context" and blocks[1]["elements"][0]["text"].startswith("[1] <https://")
    assert blocks[2]["text"]["text"] == "Resolved:\n  “Yes”"  # the citation first, then the quote
    assert "Source:" not in str(blocks)  # the citation is shown once, as a link in its own block


# --- the manifest -------------------------------------------------------------------------------


def test_the_manifest_declares_what_the_app_listens_to() -> None:
    text = (ROOT / "slack" / "manifest.yml").read_text(encoding="utf-8")
    for needed in (
        "command: /scrutiny",
        "- app_mention",
        "- message.im",
        "- app_home_opened",
        "- app_mentions:read",
        "- chat:write",
        "- commands",
        "- im:history",
        "home_tab_enabled: true",
        "socket_mode_enabled: true",
        # issue 11: buttons and modals, the message shortcut, assistant threads
        "interactivity:\n    # Buttons",
        "    is_enabled: true",
        f"callback_id: {SHORTCUT_FIND}",
        "type: message",
        "assistant_view:",
        "- assistant:write",
        "- assistant_thread_started",
        "- assistant_thread_context_changed",
    ):
        assert needed in text, needed
    shortcut = re.search(r"- name: (.*)\n\s+type: message", text)
    assert shortcut and len(shortcut.group(1)) <= 24  # Slack's limit for a shortcut's name
    prompts = re.findall(r"- title: (.*)\n\s+message: (.*)", text)
    assert len(prompts) <= 4 and [{"title": t, "message": m} for t, m in prompts] == list(SUGGESTED_PROMPTS)
    assert "\t" not in text  # YAML indents with spaces only
    hint = re.search(r"usage_hint: \"(.*)\"", text)
    assert hint, "the slash command has a usage hint"
    assert hint.group(1).split(" or ")[0] == "[" + " | ".join(build_registry().names()) + "]"


# --- files and notices ----------------------------------------------------------------------------


def _registry_with(handler: Any) -> Any:
    registry = build_registry()
    registry.add(Command("chart", "a chart", "chart", handler, examples=("chart",)))
    return registry


def _private_chart(request: Request, context: Context) -> Reply:
    return Reply(
        text="Your chart.",
        attachments=(Attachment("chart.png", b"PNG", "Chart"),),
        notices=(Notice("C0PLANS", "Chart requested."),),
        visibility=Visibility.ASKER,
    )


def test_files_of_a_private_answer_go_to_the_askers_direct_messages(
    fake: FakeSlack, context: Context
) -> None:
    with RunningApp(
        fake, context, process_before_response=True, registry=_registry_with(_private_chart)
    ) as app:
        post_signed(app.url, event_body(mention("chart"), "Ev020"), content_type=JSON)
    assert fake.methods()[1:3] == ["chat.postEphemeral", "conversations.open"]
    [opened] = [c for c in fake.calls if c.method == "conversations.open"]
    [done] = [c for c in fake.calls if c.method == "files.completeUploadExternal"]
    assert opened.args["users"] == "U0MEMBER" and done.args["channel_id"] == "D0BOTDM"


def test_a_notice_that_cannot_be_posted_is_logged_and_the_asker_told(
    fake: FakeSlack, context: Context
) -> None:
    fake.fail("chat.postMessage", "C0PLANS", "not_in_channel")
    with RunningApp(
        fake, context, process_before_response=True, registry=_registry_with(_private_chart)
    ) as app:
        post_signed(app.url, command_body("chart", fake.response_url()), content_type=FORM)
    answered, told = [c for c in fake.calls if c.method == "response_url"]
    assert answered.args["text"] == "Your chart."
    assert "could not also post this to channel C0PLANS (not_in_channel)" in told.args["text"]
    assert told.args["response_type"] == "ephemeral"


# --- draft or confirmed minutes (issue 11): shown when a citation says -------------------------------


def test_a_citations_status_is_shown_when_it_has_one() -> None:
    from dataclasses import replace

    from bot.slack_format import citation_link
    from bot.terminal import render

    cite = replace(_citation(1), status="draft minutes")
    assert citation_link(cite).endswith("(draft minutes)>")
    assert "minutes" not in citation_link(_citation(1)).split("|")[-1]
    shown = render(Reply(text="x", sections=(Section("“Yes”", (cite,), heading=cite.label()),)))
    assert shown.splitlines()[0].endswith("(draft minutes)")


def test_an_item_with_a_page_of_its_own_links_its_meetings_page_too() -> None:
    from dataclasses import replace

    from bot.slack_format import citation_link

    meeting = "https://democracy.northbridge.example/ieListDocuments.aspx?CId=1&MId=9"
    shown = citation_link(replace(_citation(1), page=meeting))
    assert shown.endswith(f" · <{meeting.replace('&', '&amp;')}|meeting page>")
    assert "meeting page" not in citation_link(replace(_citation(1), page=_citation(1).source))
    assert "meeting page" not in citation_link(replace(_citation(1), page="minutes/cabinet.txt"))
