"""Issue 11 in the core: kept answers, pages, sharing, feedback, deadlines in chat and officers' forms,
through the handlers (no transport), on a real store and a fixed clock."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from chat_support import NOW, make_context, seeded_db
from hypothesis import given
from hypothesis import strategies as st

from handlers.access import Access
from handlers.action_forms import open_form, submit_form
from handlers.answer_pages import PAGE_SECTIONS, pages, rate_answer, share_answer, show_more
from handlers.commands import build_registry
from handlers.context import Context
from handlers.messages import ChoiceKind, Reply, Request, Section
from knowledge.answers.deadlines import find_deadlines, read_deadline_question
from knowledge.answers.feedback import feedback_csv, list_feedback, record_feedback
from knowledge.answers.kept import KEEP_FOR, fetch_answer, keep_answer
from knowledge.calendar.deadlines import compute_deadlines
from knowledge.models import Citation, UserError
from knowledge.store import open_db
from knowledge.text import clean_text

QUESTION = "what did cabinet resolve in Dec 2022"


@pytest.fixture
def context(tmp_path: Path) -> Context:
    return make_context(seeded_db(tmp_path))


def ask(context: Context, user: str, text: str, *, channel: str = "D0DIRECT", direct: bool = True) -> Reply:
    request = context.access.request(user_id=user, text=text, channel_id=channel, direct=direct)
    return build_registry().dispatch(request, context)


def choice(reply: Reply, kind: ChoiceKind) -> str:
    return next(c.value for c in reply.choices if c.kind is kind)


# --- pages ----------------------------------------------------------------------------------------


def _section(n: int, size: int = 100) -> Section:
    cite = Citation(None, "Cabinet", date(2022, 12, 15), str(n), f"Item {n}", "")
    return Section("x" * size, (cite,))


@given(st.lists(st.integers(min_value=1, max_value=3000), max_size=30))
def test_pages_keep_every_block_in_order_and_within_bounds(sizes: list[int]) -> None:
    sections = tuple(_section(i, size) for i, size in enumerate(sizes))
    split = pages(sections)
    assert tuple(s for page in split for s in page) == sections
    assert all(1 <= len(page) <= PAGE_SECTIONS for page in split if sections)
    assert all(sum(len(s.text) for s in page) <= 2000 or len(page) == 1 for page in split)


def test_an_answer_offers_more_share_and_feedback_where_each_makes_sense(context: Context) -> None:
    direct = ask(context, "U0MEMBER", QUESTION)
    assert [c.kind for c in direct.choices] == [ChoiceKind.SHARE, ChoiceKind.FEEDBACK]
    in_channel = ask(context, "U0MEMBER", QUESTION, channel="C0PUBLIC", direct=False)
    assert [c.kind for c in in_channel.choices] == [ChoiceKind.FEEDBACK]  # everyone sees it already
    private = build_registry().dispatch(
        context.access.request(user_id="U0MEMBER", text=QUESTION, channel_id="C0PUBLIC"), context.private()
    )
    assert ChoiceKind.SHARE in [c.kind for c in private.choices]


# --- who may act on a kept answer --------------------------------------------------------------------


def test_only_the_asker_or_the_channel_may_page_an_answer_and_exempt_stays_where_it_may(
    context: Context,
) -> None:
    reply = ask(context, "U0OFFICER", QUESTION)  # a direct message: exempt material quoted
    assert "sold to the preferred bidder" in reply.text
    answer_id = choice(reply, ChoiceKind.FEEDBACK)
    mine = context.access.request(
        user_id="U0OFFICER", text="", channel_id="D0DIRECT"
    )  # Slack's button: not "direct"
    assert "sold to the preferred bidder" in show_more(mine, context, f"{answer_id}:1").text
    for user, channel in (("U0MEMBER", "D0DIRECT"), ("U0OFFICER", "C0PUBLIC")):
        someone = context.access.request(user_id=user, text="", channel_id=channel)
        with pytest.raises(UserError):
            show_more(someone, context, f"{answer_id}:1")


def test_sharing_is_refused_where_the_audience_may_not_see_exempt_material(context: Context) -> None:
    answer_id = choice(ask(context, "U0OFFICER", QUESTION), ChoiceKind.SHARE)
    officer = context.access.request(user_id="U0OFFICER", text="", channel_id="D0DIRECT")
    for channel in ("C0PUBLIC", "C0MEMBERS"):
        with pytest.raises(UserError, match=f"I cannot share this answer in {channel}"):
            share_answer(officer, context, answer_id, channel)
    shared = share_answer(officer, context, answer_id, "C0OFFICERS")
    assert "sold to the preferred bidder" in shared.text and shared.visibility == "channel"
    with pytest.raises(UserError, match="Only the person who asked"):
        share_answer(replace(officer, user_id="U0ADMIN"), context, answer_id, "C0OFFICERS")
    with pytest.raises(UserError, match="Say which channel"):
        share_answer(officer, context, answer_id, "D0ELSEWHERE")
    # a member's answer never quoted exempt material, so it may go anywhere
    member_id = choice(ask(context, "U0MEMBER", QUESTION), ChoiceKind.SHARE)
    member = context.access.request(user_id="U0MEMBER", text="", channel_id="D0DIRECT")
    assert "sold to the preferred bidder" not in share_answer(member, context, member_id, "C0PUBLIC").text


def test_kept_answers_expire_and_are_bounded(tmp_path: Path) -> None:
    db = open_db(tmp_path / "k.db")
    try:
        kept = [keep_answer(db, user_id="U1", channel_id="C1", direct=False, visibility="asker", restricted=False,
                            question=f"q{i}", payload="{}", now=NOW + timedelta(seconds=i), limit=3)
                for i in range(5)]  # fmt: skip
        assert [fetch_answer(db, k, NOW) is not None for k in kept] == [False, False, True, True, True]
        assert fetch_answer(db, kept[-1], NOW + KEEP_FOR + timedelta(minutes=1)) is None
        assert fetch_answer(db, "", NOW) is None and fetch_answer(db, "x" * 100, NOW) is None
    finally:
        db.close()


def test_a_stale_or_unknown_answer_is_a_polite_error(context: Context) -> None:
    later = replace(context, now=lambda: NOW + KEEP_FOR + timedelta(days=1))
    answer_id = choice(ask(context, "U0MEMBER", QUESTION), ChoiceKind.FEEDBACK)
    member = context.access.request(user_id="U0MEMBER", text="", channel_id="D0DIRECT")
    with pytest.raises(UserError, match="too old"):
        rate_answer(member, later, answer_id, "good")
    with pytest.raises(UserError, match="too old"):
        show_more(member, context, "not-an-id:2")


# --- feedback ---------------------------------------------------------------------------------------


def test_feedback_keeps_the_question_citations_user_and_note(context: Context) -> None:
    answer_id = choice(ask(context, "U0MEMBER", QUESTION), ChoiceKind.FEEDBACK)
    member = context.access.request(user_id="U0MEMBER", text="", channel_id="D0DIRECT")
    rated = rate_answer(member, context, answer_id, "bad", '=HYPERLINK("x") wrong meeting')
    with context.database() as db:
        [row] = list_feedback(db, NOW.date())
        assert list_feedback(db, NOW.date() + timedelta(days=1)) == []
    assert (row.id, row.rating, row.user_id, row.question) == (rated.feedback_id, "bad", "U0MEMBER", QUESTION)
    assert "item 181: Budget & council tax 2023/24" in row.cited()
    assert row.at == NOW
    [header, cells] = list(csv.reader(io.StringIO(feedback_csv([row]))))
    assert header[4] == "note" and cells[4].startswith("'=HYPERLINK")  # never a formula
    with pytest.raises(UserError):
        rate_answer(member, context, answer_id, "meh")


def test_feedback_notes_are_cleaned_and_bounded(tmp_path: Path) -> None:
    db = open_db(tmp_path / "f.db")
    try:
        record_feedback(db, answer_id="a", question="q\x00", citations=[], user_id="U1", rating="bad", at=NOW,
                        note="line\none\x07 " + "x" * 3000)  # fmt: skip
        [row] = list_feedback(db)
    finally:
        db.close()
    assert row.question == "q" and row.note.startswith("line one ") and len(row.note) == 2000
    assert clean_text(row.note) == row.note


# --- deadlines in chat --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("when is the agenda deadline for cabinet?", "when is the agenda deadline for cabinet"),
        (
            "What are the deadlines for the next Overview and Scrutiny Committee",
            "What are the deadlines for the next Overview and Scrutiny Committee",
        ),
        ("when must the cabinet papers be published by", "when must the cabinet papers be published by"),
        ("key decision notice for cabinet in March 2023", "key decision notice for cabinet in March 2023"),
        ("what did cabinet say about the deadline for the consultation?", None),
        ("what did cabinet resolve in Dec 2022", None),
        ("what is the deadline for responses to the consultation?", None),
        ("deadline", "deadline"),
    ],
)
def test_deadline_questions_are_told_from_questions_about_the_minutes(text: str, words: str | None) -> None:
    assert read_deadline_question(text) == words


def test_deadlines_in_chat_are_those_the_rules_give(context: Context) -> None:
    rules = {"Cabinet": {"report_deadline": 7}}
    with context.database() as db:
        found = find_deadlines(db, "deadlines cabinet 05/01/2023", today=NOW.date(), rules=rules)
        [one] = found.meetings
        assert one.deadlines == tuple(compute_deadlines("Cabinet", date(2023, 1, 5), rules))
        assert "no meeting of Cabinet" in found.note
        asked = find_deadlines(
            db, "when is the agenda deadline for cabinet on 15 December 2022", today=NOW.date()
        )
        assert (
            asked.kind == "agenda_publication" and asked.meetings[0].meeting is not None
        )  # from the minutes
        with pytest.raises(UserError, match="I know no body called “parks panel”"):
            find_deadlines(db, "deadlines parks panel next", today=NOW.date())
        with pytest.raises(UserError, match="no coming meeting of Cabinet"):
            find_deadlines(db, "cabinet", today=NOW.date())


def test_a_command_named_first_wins_over_a_question_for_another_command(context: Context) -> None:
    registry = build_registry()
    assert registry.resolve("when is the agenda deadline for cabinet?")[0].name == "deadlines"
    assert registry.resolve("ask when is the agenda deadline for cabinet?")[0].name == "ask"
    assert registry.resolve("what is the deadline for responses to the consultation?")[0].name == "ask"


def test_the_deadlines_command_and_the_question_agree(context: Context) -> None:
    clerk = ask(context, "U0CLERK", "deadlines cabinet 2023-01-05")
    question = ask(context, "U0MEMBER", "When is the report deadline for Cabinet on 5 January 2023?")
    for reply in (clerk, question):
        assert "Agenda publication deadline: Fri 23 Dec 2022" in reply.text
        assert "Report deadline: Fri 16 Dec 2022" in reply.text
        assert "Key decision notice deadline: Wed 7 Dec 2022" in reply.text
    assert question.text.startswith("Report deadline for Cabinet on Thu 5 Jan 2023: Fri 16 Dec 2022.")


# --- officers' forms ----------------------------------------------------------------------------------


@pytest.fixture
def plan_context(tmp_path: Path) -> Context:
    from knowledge.minutes.ingest import load_sample

    path = tmp_path / "plan.db"
    db = open_db(path)
    load_sample(db, today=date(2025, 11, 22))
    db.close()
    access = Access(roles={"U0OWEN": "officer", "U0OTHER": "officer", "U0CLERK": "clerk"},
                    names={"U0OWEN": "Owen Pritchard", "U0OTHER": "Callum Reid"})  # fmt: skip
    return Context(
        open_db=lambda: open_db(path), access=access, now=lambda: NOW.replace(year=2025, month=11, day=22)
    )


def test_my_actions_offers_a_form_only_to_who_may_rate(plan_context: Context) -> None:
    owen = ask(plan_context, "U0OWEN", "my actions")
    assert [c.label for s in owen.sections for c in s.choices] == [f"Update 4.{n}" for n in range(1, 6)]
    member = ask(plan_context, "U0MEMBER", "my actions")
    assert "No improvement-plan action names you" in member.text and not member.sections


def test_the_form_goes_through_the_same_checks_and_history(plan_context: Context) -> None:
    owen = plan_context.access.request(user_id="U0OWEN", text="")
    value = next(c.value for s in ask(plan_context, "U0OWEN", "my actions").sections for c in s.choices
                 if json.loads(c.value)["ref"] == "4.3")  # fmt: skip
    form = open_form(owen, plan_context, value)
    assert (form.ref, form.rating, form.ratings) == ("4.3", "Green", ("Blue", "Green", "Amber", "Red"))
    with pytest.raises(UserError, match="needs a note"):
        submit_form(owen, plan_context, value, rating="Amber", note="")
    progress = submit_form(
        owen, plan_context, value, rating="Green", note="a fourth cohort starts in January"
    )
    assert "stays Green" in progress.text
    member = Request(user_id="U0MEMBER", text="")
    for attempt in (lambda: open_form(member, plan_context, value),
                    lambda: submit_form(member, plan_context, value, rating="Blue", note="done")):  # fmt: skip
        with pytest.raises(UserError, match="only officers, clerks and admins may update"):
            attempt()
    with pytest.raises(UserError, match="out of date"):
        open_form(owen, plan_context, "not json")


def test_an_owner_only_plan_keeps_other_officers_out_of_the_form(plan_context: Context) -> None:
    with plan_context.database() as db:
        db.execute("UPDATE plans SET owner_only = 1")
    other = plan_context.access.request(user_id="U0OTHER", text="")
    value = json.dumps({"plan": "Children's Services Improvement Plan", "ref": "4.2"})
    with pytest.raises(UserError, match="only an action's owner may update it"):
        open_form(other, plan_context, value)
    clerk = plan_context.access.request(user_id="U0CLERK", text="")
    assert open_form(clerk, plan_context, value).ref == "4.2"
