"""The plan commands through the registry with a real database, for every role; the terminal chat;
and the Slack flow: a signed slash command, the stored update, the notice in the plan's channel."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from chat_support import RunningApp
from fake_slack import FakeSlack, command_body, post_signed
from plan_support import ACCESS, NOW, PLAN, USERS, plan_context, sample_plan_file

from bot.terminal import Terminal
from handlers.commands import build_registry
from handlers.context import Context
from handlers.messages import Reply, Visibility
from knowledge.plans.actions import action_history, find_action
from knowledge.store import open_db

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return sample_plan_file(tmp_path, channel="C0PLANS", minutes=True)


@pytest.fixture
def context(path: Path) -> Context:
    return plan_context(path)


def send(context: Context, role: str, text: str, *, user: str | None = None) -> Reply:
    request = context.access.request(user_id=user or USERS[role], text=text, channel_id="C0GENERAL")
    return build_registry().dispatch(request, context)


def action(path: Path, ref: str) -> Any:
    db = open_db(path)
    try:
        _, found = find_action(db, ref)
        return found, action_history(db, found.id)
    finally:
        db.close()


# --- status and progress -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "clerk", "admin"])
def test_officers_clerks_and_admins_rate_an_action(context: Context, path: Path, role: str) -> None:
    reply = send(context, role, "status 4.2 AMBER the regional rates cap was agreed on Monday")
    assert reply.text.startswith(f"Recorded: action 4.2 of the {PLAN} is now Amber (was Red).")
    assert "Note: “the regional rates cap was agreed on Monday”" in reply.text
    assert reply.visibility is Visibility.ASKER
    [notice] = reply.notices
    assert (
        notice.channel == "C0PLANS" and "Action 4.2" in notice.text and "now Amber (was Red)" in notice.text
    )
    found, history = action(path, "4.2")
    assert found.rating == "Amber"
    last = history[-1]
    assert (last.previous_rating, last.new_rating, last.by, last.source, last.at) == (
        "Red", "Amber", USERS[role], "chat", NOW)  # fmt: skip
    assert last.by_name == ACCESS.names.get(USERS[role], USERS[role])


@pytest.mark.parametrize("text", ["status 4.2 Amber the cap was agreed", "update 4.2 the cap was agreed",
                                  "rec R1 accepted Cabinet agreed"])  # fmt: skip
def test_a_member_gets_a_polite_refusal_that_says_who_can(context: Context, path: Path, text: str) -> None:
    reply = send(context, "member", text)
    assert "is for officers, clerks and admins" in reply.text and "I have you down as a member" in reply.text
    assert reply.visibility is Visibility.ASKER and not reply.notices
    assert action(path, "4.2")[0].rating == "Red"


def test_a_member_asking_about_status_gets_an_answer_not_a_refusal(context: Context) -> None:
    reply = send(context, "member", "status of action 4.2")
    assert "Action 4.2 of the" in reply.text and "is Red" in reply.text
    reply = send(context, "member", "update on SEND actions that are red")
    assert "5.2 [Red]" in reply.text


def test_a_member_asks_for_red_actions_and_gets_their_latest_notes(context: Context) -> None:
    reply = send(context, "member", "which actions are red?")
    assert reply.text.startswith(f"5 actions in the {PLAN} are red:")
    assert "Latest update (28 October 2025): “41% were issued within 20 weeks" in reply.text
    assert [c.item for s in reply.sections for c in s.citations] == ["2.4", "3.3", "4.2", "5.2", "6.3"]


def test_typos_and_mistakes_are_explained(context: Context) -> None:
    assert (
        send(context, "officer", "status 4.12 red x").text
        == f"No action 4.12 in the {PLAN}. Did you mean 4.1, 4.2?"
    )
    assert "needs a note" in send(context, "officer", "status 4.2 amber").text
    assert "“purple” is not a rating" in send(context, "officer", "status 4.2 purple x").text
    assert "already Red" in send(context, "officer", "status 4.2 red").text


def test_progress_keeps_the_rating(context: Context, path: Path) -> None:
    reply = send(context, "officer", "update 4.3 a fourth cohort starts in January")
    assert "stays Green" in reply.text and "has news" in reply.notices[0].text
    found, history = action(path, "4.3")
    assert found.rating == "Green" and found.latest_update == "a fourth cohort starts in January"
    assert not history[-1].rating_changed


def test_no_notice_when_the_plan_has_no_channel(tmp_path: Path) -> None:
    context = plan_context(sample_plan_file(tmp_path))
    reply = send(context, "officer", "status 2.3 red analysts")
    assert reply.notices == () and "posted a notice" not in reply.text


def test_owners_only(context: Context, path: Path) -> None:
    from knowledge.plans.imports import set_plan_options

    db = open_db(path)
    set_plan_options(db, PLAN, owner_only=True)
    db.close()
    owen = send(context, "officer", "status 4.2 amber cap agreed")  # U0OFFICER is Owen Pritchard, 4.2's owner
    assert owen.text.startswith("Recorded")
    daniel = send(context, "officer", "status 6.3 amber worker found", user="U0OTHER")  # Daniel Osei owns 6.3
    assert daniel.text.startswith("Recorded")
    refused = send(context, "officer", "status 4.2 red x", user="U0OTHER")
    assert "only an action's owner" in refused.text and "Mr Owen Pritchard" in refused.text
    assert send(context, "clerk", "status 4.2 red reported at the board").text.startswith("Recorded")


# --- reports, plans, recommendations -------------------------------------------------------------


def test_report_has_a_chart_and_a_table(context: Context) -> None:
    reply = send(context, "member", "report")
    assert reply.text.startswith(f"{PLAN}: report on 20 November 2025")
    [chart] = reply.attachments
    assert (
        chart.filename == "childrens-services-improvement-plan-2025-11-20.png"
        and chart.mimetype == "image/png"
    )
    assert chart.content[:8] == b"\x89PNG\r\n\x1a\n"
    [sheet] = send(context, "member", "report children's services xlsx").attachments
    assert sheet.filename.endswith(".xlsx") and sheet.content[:2] == b"PK"
    assert "No improvement plan" not in send(context, "member", "report csip csv").text
    assert "no plan called" in send(context, "member", "report zebras").text


def test_report_about_something_is_a_question(context: Context) -> None:
    assert build_registry().resolve("report on the leisure centre")[0].name == "ask"


def test_plans_lists_the_plans(context: Context) -> None:
    text = send(context, "member", "plans").text
    assert text.startswith(f"• {PLAN} (CSIP): 27 actions; ratings Blue (complete)")
    assert "announced in C0PLANS" in text


def test_recs_and_rec(context: Context) -> None:
    listed = send(context, "member", "recs open").text
    assert listed.startswith("7 open recommendations; 5 with no response after two months.")
    reply = send(context, "clerk", "rec R1 partly accepted Cabinet agreed part (a) only")
    assert reply.text == "Recorded: R1 is now partly accepted. Response: “Cabinet agreed part (a) only”"
    assert "R1 [partly accepted] " in send(context, "member", "recs").text
    assert (
        "Say the status: one of awaiting response, accepted" in send(context, "officer", "rec R2 maybe").text
    )
    answer = send(context, "member", "which of our recommendations are still open?")
    assert answer.text.startswith("7 of the 7 recommendations I track are still open.")


def test_help_lists_the_plan_commands_with_who_may_use_them(context: Context) -> None:
    text = send(context, "member", "help").text
    assert "• status REF RATING NOTE: rate an improvement-plan action" in text
    assert "(officers, clerks and admins only)" in text and "• report [PLAN] [FORMAT]: " in text


# --- the terminal chat ---------------------------------------------------------------------------


def test_the_terminal_officer_rates_the_member_cannot_and_the_chart_is_saved(context: Context, tmp_path: Path,
                                                                              path: Path) -> None:  # fmt: skip
    out = io.StringIO()
    lines = "status 4.2 amber cap agreed\n:as member\nstatus 4.2 red x\nwhich actions are red\nreport\n"
    terminal = Terminal(build_registry(), context, stdin=io.StringIO(lines), stdout=out, user="officer",
                        interactive=False, save_dir=tmp_path / "files")  # fmt: skip
    assert terminal.run() == 0
    text = out.getvalue()
    assert "Recorded: action 4.2" in text and "(Also posted to C0PLANS: Action 4.2" in text
    assert "`status` is for officers, clerks and admins" in text
    assert "4 actions in the" in text and "are red:" in text
    saved = tmp_path / "files" / "childrens-services-improvement-plan-2025-11-20.png"
    assert f"Saved {PLAN} to {saved}" in text and saved.read_bytes()[:4] == b"\x89PNG"
    assert action(path, "4.2")[0].rating == "Amber"


# --- Slack ---------------------------------------------------------------------------------------


def test_slack_slash_command_stores_the_update_and_posts_a_notice(path: Path, context: Context) -> None:
    with FakeSlack() as fake, RunningApp(fake, context, process_before_response=True) as app:
        body = command_body("status 4.2 amber cap agreed", fake.response_url(), user="U0OFFICER")
        assert post_signed(app.url, body, content_type=FORM).status == 200
        answered = fake.wait_for("response_url")
        notice = fake.wait_for("chat.postMessage")
        refused = post_signed(
            app.url, command_body("status 4.2 red x", fake.response_url("r2")), content_type=FORM
        )
        assert refused.status == 200
        refusal = fake.wait_for("response_url")
    assert (
        answered.args["text"].startswith("Recorded: action 4.2")
        and answered.args["response_type"] == "ephemeral"
    )
    assert notice.args["channel"] == "C0PLANS" and "Action 4.2" in notice.args["text"]
    assert "is for officers, clerks and admins" in refusal.args["text"]
    found, history = action(path, "4.2")
    assert found.rating == "Amber" and history[-1].by == "U0OFFICER" and len(history) == 2


def test_slack_report_uploads_the_chart(path: Path, context: Context) -> None:
    with FakeSlack() as fake, RunningApp(fake, context, process_before_response=True) as app:
        post_signed(app.url, command_body("report", fake.response_url()), content_type=FORM)
        fake.wait_for("response_url")
        uploaded = fake.wait_for("file_upload")
        done = fake.wait_for("files.completeUploadExternal")
    assert uploaded.args["data"][:8] == b"\x89PNG\r\n\x1a\n"
    files = done.args["files"]
    files = json.loads(files) if isinstance(files, str) else files
    assert files[0]["title"] == PLAN
