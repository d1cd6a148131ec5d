"""Questions about plan actions through the ask pipeline: what is asked, what comes back, what is cited,
and the minutes questions that must not be taken for plan questions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from plan_support import LAST_BOARD, NOW, PLAN, TODAY, sample_plan_db

from knowledge.answers.ask import ask
from knowledge.plans.answers import answer_plan_question
from knowledge.plans.questions import last_board_meeting, stale_days
from knowledge.plans.status import set_status
from knowledge.store import open_db


@pytest.fixture(scope="module")
def db():
    database = sample_plan_db(minutes=True)
    yield database
    database.close()


def refs(answer) -> list[str]:
    return [c.item for c in answer.citations]


def plan_answer(db, question: str):
    answer = ask(db, question, today=TODAY)
    assert answer.intent == "plan", (question, answer.intent, answer.text)
    return answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("which actions are red", ["2.4", "3.3", "4.2", "5.2", "6.3"]),
        ("Which actions are RED?", ["2.4", "3.3", "4.2", "5.2", "6.3"]),
        ("red or amber actions on SEND", ["5.1", "5.2", "5.4"]),
        ("red actions on workforce", ["4.2"]),
        ("actions owned by Owen Pritchard", ["4.1", "4.2", "4.3", "4.4", "4.5"]),
        ("which actions is Mr Daniel Osei the lead officer for", ["6.1", "6.2", "6.3", "6.4"]),
        ("actions for Daniel Osei", ["6.1", "6.2", "6.3", "6.4"]),
        ("which actions have had no update for two months", ["1.5", "2.5", "5.1", "5.3", "6.2"]),
        ("actions not updated in 3 months", ["2.5", "5.1", "6.2"]),
        ("which actions does Owen Pritchard own", ["4.1", "4.2", "4.3", "4.4", "4.5"]),
        ("green actions past their due date", ["2.2", "3.4", "4.3"]),
        ("which actions are complete", ["1.1", "1.2", "1.3", "2.1", "3.1", "4.1", "4.4", "6.4"]),
        ("open actions on early help", ["6.1", "6.2", "6.3"]),
    ],
)
def test_questions_about_actions(db, question, expected):
    answer = plan_answer(db, question)
    assert answer.found and refs(answer) == expected


def test_overdue_actions_cite_the_plan_the_action_and_the_update(db):
    answer = plan_answer(db, "overdue actions")
    assert answer.text.startswith(f"11 actions in the {PLAN} are overdue:")
    assert "2.4 [Red] Agree a consent and information-sharing protocol" in answer.text
    assert (
        "(overdue)" in answer.text and "…and" in answer.text
    )  # too long for one message: the rest is offered
    cite = next(c for c in answer.citations if c.item == "2.4")
    assert cite.body == PLAN and cite.title.startswith("Agree a consent")
    assert (
        cite.quote.startswith("Health partners have not yet signed")
        and cite.meeting_date.isoformat() == "2025-10-30"
    )
    assert cite.source.startswith("https://www.northbridge.example/")
    assert len(answer.text) <= 3100


def test_red_actions_come_with_their_latest_notes(db):
    answer = plan_answer(db, "which actions are red")
    assert answer.parts
    for part in answer.parts:
        [cite] = part.citations
        assert f"“{cite.quote}”" in part.body and cite.quote


def test_status_of_one_action_with_its_history(tmp_path):
    db = sample_plan_db()
    set_status(db, "2.3", "Red", "Police analysts still missing", user_id="U1", role="officer", now=NOW,
               user_name="Olu Officer")  # fmt: skip
    answer = answer_plan_question(db, "status of action 2.3", today=TODAY)
    assert answer is not None and answer.found
    assert answer.text.startswith(f"Action 2.3 of the {PLAN} is Red.")
    assert "“Police analysts still missing”" in answer.text
    assert "20 November 2025: Amber → Red (Olu Officer)" in answer.text
    [cite] = answer.citations
    assert (cite.item, cite.quote, cite.meeting_date) == ("2.3", "Police analysts still missing", TODAY)
    again = answer_plan_question(db, "what is the RAG rating of 4.2?", today=TODAY)
    assert again is not None and refs(again) == ["4.2"]


def test_a_mistyped_action_gets_suggestions(db):
    answer = plan_answer(db, "what's the status of action 2.13")
    assert not answer.found and answer.text == f"No action 2.13 in the {PLAN}. Did you mean 2.1, 2.3?"


def test_what_changed_since_the_last_board_meeting(tmp_path):
    db = sample_plan_db(minutes=True)
    assert last_board_meeting(db, TODAY) == ("Children's Services Improvement Board", LAST_BOARD)
    set_status(
        db, "4.2", "Amber", "Regional cap agreed", user_id="U1", role="officer", now=NOW, user_name="Olu"
    )
    answer = plan_answer(db, "what changed since the last board meeting?")
    assert "since the last Children's Services Improvement Board meeting (13 October 2025)" in answer.text
    changed = refs(answer)
    assert "4.2" in changed and "3.4" not in changed  # 3.4's update was made on the day of the meeting
    assert "20 November 2025, Olu: Red → Amber: “Regional cap agreed”" in answer.text
    assert next(c for c in answer.citations if c.item == "4.2").quote == "Regional cap agreed"
    since = plan_answer(db, "which actions changed since 1 November 2025")
    assert refs(since) == ["1.4", "3.3", "4.2", "6.3"]


@pytest.mark.parametrize(
    "question",
    [
        "what actions were agreed",
        "actions agreed by scrutiny",
        "what actions did the board agree on recruitment",
        "what did CYP scrutiny recommend in 2022",
        "what did cabinet resolve in December 2022",
        "when did the board discuss recruitment",
        "what did cabinet say about the improvement plan",
        "what has changed since 2023",
        "what actions were taken on SEND",
        "status of the leisure centre",
        "",
    ],
)
def test_minutes_questions_are_left_to_the_minutes(db, question):
    assert answer_plan_question(db, question, today=TODAY) is None
    assert ask(db, question, today=TODAY).intent != "plan"


def test_words_that_match_no_action_are_left_out_and_said(db):
    answer = plan_answer(db, "which actions are currently red, please")
    assert refs(answer) == ["2.4", "3.3", "4.2", "5.2", "6.3"]
    nothing = plan_answer(db, "red actions about zebras")
    assert "No action mentions “zebras”" in nothing.text


def test_no_match_says_what_the_plan_holds(db):
    answer = plan_answer(db, "complete actions on SEND")
    assert not answer.found
    assert "No actions in the" in answer.text and "8 Blue, 8 Green, 6 Amber, 5 Red" in answer.text


def test_a_database_without_plans_leaves_every_question_to_the_minutes():
    db = open_db(":memory:")
    assert answer_plan_question(db, "which actions are red", today=TODAY) is None
    unmigrated = open_db(":memory:", migrate=False)
    assert answer_plan_question(unmigrated, "which actions are red", today=TODAY) is None


def test_renamed_ratings_are_still_found_by_colour(tmp_path):
    from knowledge.plans.imports import set_rating_key

    db = sample_plan_db()
    set_rating_key(db, None, "Complete=blue done,On track=green,At risk=amber,Off track=red")
    for question in ("which actions are red", "which actions are off track"):
        answer = answer_plan_question(db, question, today=TODAY)
        assert answer is not None and refs(answer) == ["2.4", "3.3", "4.2", "5.2", "6.3"], question
    assert "[Off track]" in answer.text


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("no update for two months", 60),
        ("no update in 6 weeks", 42),
        ("not updated for a year", 365),
        ("stale", 60),
    ],
)
def test_periods(text, days):
    assert stale_days(text) == days


def test_a_later_day_sees_more_stale_actions(db):
    later = TODAY + timedelta(days=30)
    answer = answer_plan_question(db, "which actions have had no update for two months", today=later)
    assert answer is not None and len(answer.citations) > 5
    assert re.search(r"no update since \d+ October 2025", answer.text)
