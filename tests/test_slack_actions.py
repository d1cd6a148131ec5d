"""Issue 11 through the real Bolt app on loopback, against the local Slack stand-in, with signed
``block_actions``, ``view_submission``, shortcut and assistant-thread payloads, tried as a new user would.

Nothing sleeps: ``process_before_response=True`` makes each listener finish before the HTTP answer.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from chat_support import RunningApp, make_context, seeded_db
from fake_slack import (
    FakeSlack,
    block_action,
    command_body,
    event_body,
    interaction_body,
    message_shortcut,
    post_signed,
    view_submission,
)

from bot import cli
from handlers.access import Access
from handlers.context import Context
from knowledge.calendar.meetings import next_meeting
from knowledge.minutes.ingest import load_sample
from knowledge.plans.actions import action_history, find_action
from knowledge.store import open_db

QUESTION = "what did cabinet resolve in Dec 2022"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
SAMPLE_NOW = datetime(2025, 11, 22, 9, 0, tzinfo=ZoneInfo("Europe/London"))
SAMPLE_ACCESS = Access(
    roles={"U0OWEN": "officer", "U0CLERK": "clerk"},
    names={"U0OWEN": "Owen Pritchard", "U0CLERK": "Cleo Clerk", "U0MEMBER": "Sam Member"},
)


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    db = open_db(path)
    load_sample(db, today=SAMPLE_NOW.date())
    db.close()
    return path


@pytest.fixture
def sample(sample_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "sample.db"
    shutil.copy(sample_file, path)
    return path


def sample_context(path: Path) -> Context:
    return Context(open_db=lambda: open_db(path), access=SAMPLE_ACCESS, now=lambda: SAMPLE_NOW)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


def click(app: RunningApp, payload: dict[str, Any]) -> Any:
    resp = post_signed(app.url, interaction_body(payload), content_type=FORM)
    assert resp.status == 200, resp
    return resp


def calls(fake: FakeSlack, method: str) -> list[dict[str, Any]]:
    return [c.args for c in fake.calls if c.method == method]


def buttons(blocks: list[dict[str, Any]]) -> dict[str, str]:
    """action id -> value of every button in ``blocks`` (accessories, actions and feedback buttons)."""
    found: dict[str, str] = {}
    for block in blocks:
        elements = list(block.get("elements", [])) + ([block["accessory"]] if "accessory" in block else [])
        for e in elements:
            if e.get("type") == "button":
                found.setdefault(e["action_id"], e["value"])
            if e.get("type") == "feedback_buttons":
                found[e["action_id"]] = e["positive_button"]["value"].partition(":")[2]
    return found


def flat(args: dict[str, Any]) -> str:
    return json.dumps(args.get("blocks") or args.get("view") or args, ensure_ascii=False)


# --- a member's private answer: paged, shared, rated ---------------------------------------------


def test_a_members_private_answer_pages_in_place_and_is_shared(fake: FakeSlack, sample: Path) -> None:
    with RunningApp(fake, sample_context(sample), process_before_response=True) as app:
        post_signed(
            app.url, command_body("which actions are overdue", fake.response_url("q")), content_type=FORM
        )
        [first] = calls(fake, "response_url")
        assert first["response_type"] == "ephemeral"
        found = buttons(first["blocks"])
        assert set(found) == {"answer_more", "answer_share", "answer_feedback"}
        assert "item 3.4" in flat(first) and "item 4.2" not in flat(first)  # later actions wait for Show more
        assert first["blocks"][-1]["type"] == "context_actions"

        click(app, block_action("answer_more", found["answer_more"], response_url=fake.response_url("more")))
        paged = calls(fake, "response_url")[1]
        assert paged["replace_original"] is True  # in place
        assert "item 1.5" in flat(paged) and "item 5.2" in flat(paged)  # pages 1 and 2
        assert "answer_more" not in buttons(paged["blocks"])  # nothing more to show

        click(
            app, block_action("answer_share", found["answer_share"], response_url=fake.response_url("share"))
        )
        shared, deleted = calls(fake, "response_url")[2:]
    assert shared["response_type"] == "in_channel" and "item 1.5" in flat(shared)
    assert "answer_share" not in buttons(shared["blocks"]) and "answer_feedback" in buttons(shared["blocks"])
    assert deleted == {"delete_original": True}


def test_share_is_checked_again_against_the_channels_audience(fake: FakeSlack, tmp_path: Path) -> None:
    path = seeded_db(tmp_path)
    with RunningApp(fake, make_context(path), process_before_response=True) as app:
        body = command_body(QUESTION, fake.response_url("q"), user="U0OFFICER", channel="C0OFFICERS")
        post_signed(app.url, body, content_type=FORM)
        [answer] = calls(fake, "response_url")
    assert "sold to the preferred bidder" in flat(answer)  # exempt: an officers' channel
    answer_id = buttons(answer["blocks"])["answer_share"]
    # the channel is made public in the roles file before the officer presses Share
    opened = Access(roles={"U0OFFICER": "officer"}, audiences={})
    with RunningApp(fake, make_context(path, access=opened), process_before_response=True) as app:
        click(app, block_action("answer_share", answer_id, user="U0OFFICER", channel="C0OFFICERS",
                                response_url=fake.response_url("s")))  # fmt: skip
        click(app, block_action("answer_share", answer_id, user="U0MEMBER", channel="C0OFFICERS",
                                response_url=fake.response_url("x")))  # fmt: skip
    refused, stranger = calls(fake, "response_url")[1:]
    assert refused["response_type"] == "ephemeral"
    assert "I cannot share this answer in C0OFFICERS: it quotes exempt (Part 2) material" in refused["text"]
    assert "this channel's is public" in refused["text"]
    assert "Only the person who asked can share" in stranger["text"]
    assert not any("sold to the preferred bidder" in flat(c) for c in calls(fake, "response_url")[1:])


def test_a_direct_answer_is_shared_through_a_channel_picker(fake: FakeSlack, tmp_path: Path) -> None:
    dm = {"type": "message", "channel_type": "im", "channel": "D0DIRECT", "user": "U0OFFICER", "text": QUESTION,
          "ts": "1700000001.000100"}  # fmt: skip
    with RunningApp(fake, make_context(seeded_db(tmp_path)), process_before_response=True) as app:
        post_signed(app.url, event_body(dm, "EvShare1"), content_type=JSON)
        [answer] = calls(fake, "chat.postMessage")
        answer_id = buttons(answer["blocks"])["answer_share"]
        click(
            app,
            block_action("answer_share", answer_id, user="U0OFFICER", channel="D0DIRECT", ephemeral=False),
        )
        [picker] = calls(fake, "views.open")
        assert picker["view"]["callback_id"] == "share_pick"
        pick = {"channel": {"channel": {"type": "conversations_select", "selected_conversation": "C0PUBLIC"}}}
        public = click(app, view_submission("share_pick", answer_id, pick, user="U0OFFICER"))
        pick["channel"]["channel"]["selected_conversation"] = "C0OFFICERS"
        officers = click(app, view_submission("share_pick", answer_id, pick, user="U0OFFICER"))
    assert json.loads(public.body)["response_action"] == "errors"
    assert "quotes exempt (Part 2) material" in json.loads(public.body)["errors"]["channel"]
    assert officers.body == ""  # the modal closes
    posted = calls(fake, "chat.postMessage")[1:]
    assert [p["channel"] for p in posted] == ["C0OFFICERS"] and "sold to the preferred bidder" in flat(
        posted[0]
    )


def test_a_thumbs_down_with_a_note_is_listed_by_the_feedback_command(
    fake: FakeSlack, sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with RunningApp(fake, sample_context(sample), process_before_response=True) as app:
        post_signed(app.url, command_body("what did cabinet resolve in Dec 2022", fake.response_url("q")),
                    content_type=FORM)  # fmt: skip
        answer_id = buttons(calls(fake, "response_url")[0]["blocks"])["answer_feedback"]
        click(app, block_action("answer_feedback", f"bad:{answer_id}", action_type="feedback_buttons",
                                response_url=fake.response_url("f")))  # fmt: skip
        [modal] = calls(fake, "views.open")
        assert modal["view"]["callback_id"] == "feedback_note"
        note = {"note": {"note": {"type": "plain_text_input", "value": "It missed the budget decision"}}}
        sent = click(app, view_submission("feedback_note", modal["view"]["private_metadata"], note))
        click(app, block_action("answer_feedback", f"good:{answer_id}", action_type="feedback_buttons",
                                response_url=fake.response_url("g")))  # fmt: skip
    assert json.loads(sent.body)["response_action"] == "update"
    assert "Thank you" in calls(fake, "response_url")[-1]["text"]
    assert cli.main(["--db", str(sample), "feedback", "--bad"]) == 0
    out = capsys.readouterr().out
    assert "👎  U0MEMBER  “what did cabinet resolve in Dec 2022”" in out
    assert "What was wrong: It missed the budget decision" in out
    assert "Cited: Northbridge Borough Council, Cabinet, 15 December 2022, item 121" in out
    assert cli.main(["--db", str(sample), "feedback", "--csv", "--since", "2025-11-22"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "at,rating,user,question,note,citations" and len(rows) == 3


# --- clerks and officers -------------------------------------------------------------------------------


def _cli_dates(capsys: pytest.CaptureFixture[str], path: Path, body: str, day: date) -> list[str]:
    assert cli.main(["--db", str(path), "deadlines", "--body", body, "--meeting", day.isoformat()]) == 0
    table = capsys.readouterr().out.split("\n\n")[0]
    return re.findall(r"\b[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4}\b", table)[1:]  # after the meeting's own


def test_a_clerk_gets_the_next_cabinets_deadlines_in_chat_as_the_cli_gives_them(
    fake: FakeSlack, sample: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCRUTINY_BOT_CONFIG", raising=False)
    with open_db(sample) as db:
        cabinet = next_meeting(db, "Cabinet", SAMPLE_NOW.date())
    assert cabinet is not None
    expected = _cli_dates(capsys, sample, "Cabinet", cabinet.date)
    assert len(expected) == 4
    dm = {"type": "message", "channel_type": "im", "channel": "D0CLERK", "user": "U0CLERK",
          "text": "when is the agenda deadline for cabinet?", "ts": "1700000001.000100"}  # fmt: skip
    with RunningApp(fake, sample_context(sample), process_before_response=True) as app:
        post_signed(app.url, command_body("deadlines cabinet next", fake.response_url(), user="U0CLERK"),
                    content_type=FORM)  # fmt: skip
        post_signed(app.url, event_body(dm, "EvDeadline"), content_type=JSON)
    [command] = calls(fake, "response_url")
    [question] = calls(fake, "chat.postMessage")
    for said in (command["text"], question["text"]):
        assert "Deadlines for the next meeting of Cabinet" in said
        assert all(day in said for day in expected), (expected, said)
    assert question["text"].startswith("Agenda publication deadline for Cabinet on ")


def test_an_officer_rates_an_action_in_the_modal_and_the_history_shows_it(
    fake: FakeSlack, sample: Path
) -> None:
    dm = {"type": "message", "channel_type": "im", "channel": "D0OWEN", "user": "U0OWEN", "text": "my actions",
          "ts": "1700000001.000100"}  # fmt: skip
    with RunningApp(fake, sample_context(sample), process_before_response=True) as app:
        post_signed(app.url, event_body(dm, "EvMine"), content_type=JSON)
        [mine] = calls(fake, "chat.postMessage")
        forms = [
            b["accessory"]["value"]
            for b in mine["blocks"]
            if b.get("accessory", {}).get("action_id") == "action_form"
        ]
        assert len(forms) == 5  # one beside each of Owen's actions
        value = next(v for v in forms if json.loads(v)["ref"] == "4.2")
        click(app, block_action("action_form", value, user="U0OWEN", channel="D0OWEN", ephemeral=False))
        [modal] = calls(fake, "views.open")
        view = modal["view"]
        rating = next(b for b in view["blocks"] if b.get("block_id") == "rating")
        assert [o["value"] for o in rating["element"]["options"]] == ["Blue", "Green", "Amber", "Red"]
        assert rating["element"]["initial_option"]["value"] == "Red"
        values = {
            "rating": {"rating": {"type": "static_select", "selected_option": {"value": "Amber"}}},
            "note": {"note": {"type": "plain_text_input", "value": "Agency share down to 18% in November"}},
            "evidence": {
                "evidence": {"type": "plain_text_input", "value": "https://intranet.example/agency"}
            },
        }
        done = click(app, view_submission("action_form", view["private_metadata"], values, user="U0OWEN"))
    answer = json.loads(done.body)
    assert answer["response_action"] == "update"
    assert "Recorded: action 4.2" in flat(answer) and "is now Amber (was Red)" in flat(answer)
    with open_db(sample) as db:
        plan, action = find_action(db, "4.2")
        last = action_history(db, action.id)[-1]
    assert (last.previous_rating, last.new_rating, last.by, last.by_name) == (
        "Red",
        "Amber",
        "U0OWEN",
        "Owen Pritchard",
    )
    assert action.evidence == "https://intranet.example/agency" and "evidence:" in last.note


def test_a_member_sees_no_update_button_and_a_crafted_one_is_refused(fake: FakeSlack, sample: Path) -> None:
    with open_db(sample) as db:
        plan, action = find_action(db, "4.2")
        before = len(action_history(db, action.id))
    value = json.dumps({"plan": plan.name, "ref": "4.2"})
    home = {"type": "app_home_opened", "user": "U0MEMBER", "channel": "D0MEMBER", "tab": "home"}
    values = {"rating": {"rating": {"type": "static_select", "selected_option": {"value": "Blue"}}},
              "note": {"note": {"type": "plain_text_input", "value": "done, honestly"}}}  # fmt: skip
    with RunningApp(fake, sample_context(sample), process_before_response=True) as app:
        post_signed(app.url, event_body(home, "EvHomeMember"), content_type=JSON)
        click(app, block_action("action_form", value, user="U0MEMBER", view_type="home"))
        crafted = click(
            app, view_submission("action_form", json.dumps({"value": value}), values, user="U0MEMBER")
        )
    [published] = calls(fake, "views.publish")
    assert "action_form" not in flat(published) and "Your actions" not in flat(published)
    [told] = calls(fake, "views.open")  # no form: a modal saying why
    assert "callback_id" not in told["view"] or told["view"]["callback_id"] != "action_form"
    assert "only officers, clerks and admins may update" in flat(told)
    refusal = json.loads(crafted.body)
    assert refusal["response_action"] == "errors" and "only officers" in refusal["errors"]["note"]
    with open_db(sample) as db:
        assert len(action_history(db, action.id)) == before


def test_an_officers_home_has_their_actions_deadlines_and_more_buttons(fake: FakeSlack, sample: Path) -> None:
    home = {"type": "app_home_opened", "user": "U0OWEN", "channel": "D0OWEN", "tab": "home"}
    with RunningApp(fake, sample_context(sample), process_before_response=True) as app:
        post_signed(app.url, event_body(home, "EvHomeOwen"), content_type=JSON)
        [published] = calls(fake, "views.publish")
        view = published["view"]
        text = flat(view)
        more = [e["value"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == "run_command"]  # fmt: skip
        click(app, block_action("run_command", "deadlines", user="U0OWEN", view_type="home"))
        click(app, block_action("run_command", "my actions", user="U0OWEN", view_type="home"))
        deadlines, mine = calls(fake, "views.open")
        value = buttons(mine["view"]["blocks"])["action_form"]
        click(app, block_action("action_form", value, user="U0OWEN", view_type="modal"))  # from that modal
        [pushed] = calls(fake, "views.push")
        click(app, block_action("action_form", value, user="U0OWEN", view_type="home"))  # from the home tab
        form = calls(fake, "views.open")[-1]["view"]
        progress = {"note": {"note": {"type": "plain_text_input", "value": "Interviews held for four posts"}}}
        click(app, view_submission("action_form", form["private_metadata"], progress, user="U0OWEN"))
    for title in ("Upcoming meetings", "Deadlines in the next two weeks", "Your actions",
                  "Plan actions that are red or overdue", "Recent decisions"):  # fmt: skip
        assert title in text
    assert text.count('"action_id": "action_form"') == 5
    assert more == [
        "meetings",
        "deadlines",
        "my actions",
        "which actions are red or overdue",
        "recent decisions",
    ]
    assert "Deadlines for the meetings of the next 6 weeks" in flat(deadlines)
    assert pushed["view"]["callback_id"] == "action_form"
    assert json.loads(form["private_metadata"])["home"] is True
    republished = calls(fake, "views.publish")[-1]
    assert len(calls(fake, "views.publish")) == 2 and "Interviews held for four posts" in flat(republished)


# --- the shortcut and assistant threads ----------------------------------------------------------------


def test_the_message_shortcut_asks_about_that_messages_words(fake: FakeSlack, tmp_path: Path) -> None:
    shortcut = message_shortcut("find_in_minutes", "Did the O&amp;S committee ask about housing repairs?",
                                fake.response_url("m"))  # fmt: skip
    empty = message_shortcut("find_in_minutes", "", fake.response_url("e"))
    with RunningApp(fake, make_context(seeded_db(tmp_path)), process_before_response=True) as app:
        click(app, shortcut)
        click(app, empty)
    answered, nothing = calls(fake, "response_url")
    assert answered["response_type"] == "ephemeral" and "monthly repairs dashboard" in flat(answered)
    assert "no words I can look for" in nothing["text"]


def test_an_assistant_thread_suggests_prompts_and_shows_a_status_while_searching(
    fake: FakeSlack, tmp_path: Path
) -> None:
    thread = {"user_id": "U0MEMBER", "channel_id": "D0ASSIST", "thread_ts": "1700000300.000100",
              "context": {"channel_id": "C0PUBLIC", "team_id": "T0000001"}}  # fmt: skip
    started = {
        "type": "assistant_thread_started",
        "assistant_thread": thread,
        "event_ts": "1700000300.000200",
    }
    asked = {"type": "message", "channel_type": "im", "channel": "D0ASSIST", "user": "U0MEMBER",
             "text": "housing repairs", "ts": "1700000301.000100", "thread_ts": "1700000300.000100"}  # fmt: skip
    with RunningApp(fake, make_context(seeded_db(tmp_path)), process_before_response=True) as app:
        post_signed(app.url, event_body(started, "EvAssist1"), content_type=JSON)
        post_signed(app.url, event_body(asked, "EvAssist2"), content_type=JSON)
        post_signed(app.url, event_body(asked, "EvAssist2"), content_type=JSON)  # Slack's retry: once only
    [prompts] = calls(fake, "assistant.threads.setSuggestedPrompts")
    assert [p["message"] for p in prompts["prompts"]][:2] == [
        "recent decisions",
        "when is the agenda deadline for cabinet?",
    ]
    [status] = calls(fake, "assistant.threads.setStatus")
    assert status["status"] == "is searching the minutes…" and status["thread_ts"] == "1700000300.000100"
    greeting, answer = calls(fake, "chat.postMessage")
    assert "Ask me about council meetings" in greeting["text"]
    assert answer["thread_ts"] == "1700000300.000100" and "monthly repairs dashboard" in answer["text"]


def test_an_assistant_status_slack_refuses_does_not_stop_the_answer(fake: FakeSlack, tmp_path: Path) -> None:
    fake.fail("assistant.threads.setStatus", "", "not_allowed")
    asked = {"type": "message", "channel_type": "im", "channel": "D0ASSIST", "user": "U0MEMBER",
             "text": "housing repairs", "ts": "1700000301.000100", "thread_ts": "1700000300.000100"}  # fmt: skip
    with RunningApp(fake, make_context(seeded_db(tmp_path)), process_before_response=True) as app:
        post_signed(app.url, event_body(asked, "EvAssist3"), content_type=JSON)
    [answer] = calls(fake, "chat.postMessage")
    assert "monthly repairs dashboard" in answer["text"]
