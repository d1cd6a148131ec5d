"""Everyday phrasing a new user tried on the sample council, and the answer's length by construction."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.answers.ask import ask
from knowledge.answers.passages import ANSWER_CHARS
from knowledge.minutes.ingest import load_sample
from knowledge.store import open_db

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = open_db(tmp_path_factory.mktemp("sample") / "sample.db")
    load_sample(database, today=TODAY)
    yield database
    database.close()


def test_what_is_overdue_goes_to_the_plan(db):
    a = ask(db, "what is overdue", today=TODAY)
    assert a.found and "are overdue" in a.text and "Improvement Plan" in a.text


def test_actions_due_in_a_month_go_to_the_plan(db):
    a = ask(db, "which actions are due in december 2025", today=TODAY)
    assert a.found and "due in December 2025" in a.text
    assert {c.item for c in a.citations} == {"2.3", "5.3"}
    none_due = ask(db, "actions due this month", today=TODAY)
    assert "due in November 2026" in none_due.text  # the plan answers, even when nothing is due


def test_the_executive_means_cabinet_without_asking(db):
    a = ask(db, "what did the executive resolve in december 2022", today=TODAY)
    assert a.found and "Which body" not in a.text
    assert {c.body for c in a.citations} == {"Cabinet"}


def test_the_next_cabinets_agenda_says_what_is_known_of_the_next_meeting(db):
    a = ask(db, "what is on the agenda for the next cabinet", today=TODAY)
    assert a.found and a.text.startswith("The next meeting of Cabinet is on")
    assert "I hold no agenda for it" in a.text


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("what did cabinet resolve in 13/2022", "there is no month 13"),
        ("what did cabinet resolve on 31/02/2023", "February 2023 has no day 31"),
    ],
)
def test_an_impossible_date_is_pointed_out(db, question, why):
    a = ask(db, question, today=TODAY)
    assert not a.found and why in a.text and not a.citations


def test_a_not_found_answer_does_not_contradict_itself(db):
    a = ask(db, "what did the cyp scrutiny committee say about zeppelins in 2021", today=TODAY)
    assert not a.found
    assert "met then on 22 March 2021" in a.text
    assert "No meeting in the minutes I hold is dated" not in a.text


WORDS = st.sampled_from(
    "cabinet scrutiny board sen send ehcp budget ofsted recruitment placements apologies venue chair declared "
    "interest call-in effective resolved recommend discussed 2022 dec 22 march 2023 who where when what the of".split()
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(WORDS, min_size=1, max_size=12))
def test_a_quoted_answer_fits_its_length_by_construction(db, words):
    a = ask(db, " ".join(words), today=TODAY)
    if a.filters.topic and a.intent != "meeting":
        # every answer about a topic is quoted passage by passage, within its limit
        assert len(a.text) <= ANSWER_CHARS
