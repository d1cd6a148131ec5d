"""Understanding questions: bodies by name, alias and typo; intents; topics; councils."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.answers.query import (
    BodyRef,
    body_aliases,
    detect_intent,
    match_bodies,
    topic_terms,
    understand,
)
from knowledge.minutes.search import fts_query, score_passage

NB = "Northbridge Borough Council"
BODIES = [
    BodyRef(NB, "Cabinet"),
    BodyRef(NB, "Children and Young People Scrutiny Committee"),
    BodyRef(NB, "Children's Services Improvement Board"),
    BodyRef(NB, "Council"),
]
TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    "question,body",
    [
        ("what did cabinet resolve", "Cabinet"),
        ("what did cabnet resolve", "Cabinet"),
        ("what did the cabinett decide", "Cabinet"),
        ("what did the executive decide", "Cabinet"),
        ("what did CYP scrutiny recommend", "Children and Young People Scrutiny Committee"),
        ("what did the scrutiny committee recommend", "Children and Young People Scrutiny Committee"),
        ("children and young people scrutiny", "Children and Young People Scrutiny Committee"),
        ("what did the childrens scrutiny commitee say", "Children and Young People Scrutiny Committee"),
        ("what actions were agreed by the cyp committee", "Children and Young People Scrutiny Committee"),
        ("children and young people committee recs", "Children and Young People Scrutiny Committee"),
        ("what did the board discuss", "Children's Services Improvement Board"),
        ("improvement board minutes", "Children's Services Improvement Board"),
        ("what did the improvment board agree", "Children's Services Improvement Board"),
        ("what did full council approve", "Council"),
    ],
)
def test_bodies_by_name_alias_and_typo(question, body):
    found, words = match_bodies(question, BODIES)
    assert [b.name for b in found] == [body], words


@pytest.mark.parametrize(
    "question",
    [
        "what did the council decide about SEND",
        "recruitment of social workers",
        "may we see the budget",
        "who is the chair",
    ],
)
def test_no_body_when_none_is_named(question):
    assert match_bodies(question, BODIES) == ((), "")


def test_two_equally_likely_bodies_are_ambiguous():
    bodies = [*BODIES, BodyRef(NB, "Adults and Health Scrutiny Committee")]
    found, words = match_bodies("what did the scrutiny committee recommend", bodies)
    assert {b.name for b in found} == {
        "Children and Young People Scrutiny Committee",
        "Adults and Health Scrutiny Committee",
    }
    assert words == "scrutiny committee"
    # but a specific name is not
    found, _ = match_bodies("what did adults scrutiny recommend", bodies)
    assert [b.name for b in found] == ["Adults and Health Scrutiny Committee"]


def test_same_body_name_in_two_councils_is_ambiguous_until_the_council_is_named():
    bodies = [*BODIES, BodyRef("Herefordshire Council", "Cabinet")]
    q = understand("what did cabinet resolve", bodies, today=TODAY, councils=[NB, "Herefordshire Council"])
    assert q.ambiguous
    q = understand(
        "what did herefordshire cabinet resolve", bodies, today=TODAY, councils=[NB, "Herefordshire Council"]
    )
    assert q.council == "Herefordshire Council" and q.body == BodyRef("Herefordshire Council", "Cabinet")


def test_aliases_include_initials():
    aliases = body_aliases("Children and Young People Scrutiny Committee")
    assert {"cyp scrutiny", "cyp scrutiny committee", "children and young people scrutiny"} <= aliases


@pytest.mark.parametrize(
    "question,intent",
    [
        ("what did cabinet resolve in December 2022", "resolutions"),
        ("what was decided about the budget", "resolutions"),
        ("what did the board agree", "resolutions"),
        ("which meeting approved the budget", "resolutions"),
        ("what did scrutiny recommend", "recommendations"),
        ("recommendations on SEND", "recommendations"),
        ("what actions were agreed", "actions"),
        ("actions agreed by scrutiny", "actions"),
        ("what concerns were raised about SEND", "discussion"),
        ("what did members say about recruitment", "discussion"),
        ("was caseloads mentioned", "discussion"),
        ("when did cabinet discuss recruitment", "discussion"),
        ("when was the placement sufficiency strategy adopted", "resolutions"),
        ("when is the next improvement board", "meeting"),
        ("which meetings looked at family hubs", "meeting"),
        ("when did the board last meet", "meeting"),
        ("family hubs", "topic"),
        ("cabinet decisons 15/12/2022", "resolutions"),  # misspelt asking words ask all the same
        ("what was discused about send", "discussion"),
        ("resolutons of cabinet", "resolutions"),
    ],
)
def test_intent(question, intent):
    assert detect_intent(question) == intent


def test_topic_words_leave_out_bodies_dates_and_stop_words():
    q = understand("what concerns did CYP scrutiny raise about SEND in 2023?", BODIES, today=TODAY)
    assert q.body.name == "Children and Young People Scrutiny Committee"
    assert q.terms == ("send",)
    assert (q.dates.start, q.dates.end) == (date(2023, 1, 1), date(2023, 12, 31))
    assert understand("what did cabinet resolve in December 2022", BODIES, today=TODAY).terms == ()


@pytest.mark.parametrize(
    ("question", "wanted", "terms"),
    [
        ("who was elected chair of cyp scrutiny in 2020", {"chair"}, ()),  # minutes say "appointed"
        ("who was appointed vice chair of the board", {"chair"}, ()),
        ("what did cabinet hear from the deputation in june 2014", {"public_questions"}, ()),
        ("result of the recorded vote on the budget", {"vote"}, ("budget",)),
    ],
)
def test_words_that_ask_for_a_fact_are_not_its_topic(question, wanted, terms):
    q = understand(question, BODIES, today=TODAY)
    assert q.wanted >= frozenset(wanted) and q.terms == terms


def test_dec_22_is_read_as_december_2022_and_said_so():
    q = understand("what did cabnet decide in dec 22", BODIES, today=TODAY)
    assert (q.dates.start, q.dates.end) == (date(2022, 12, 1), date(2022, 12, 31))
    assert any("December 2022" in n for n in q.notes)


@pytest.mark.parametrize(
    "text", ["A-12", "co-op", "council's", "AND", "(", "*", "C++", "$5,000", '"unbalanced', "NEAR(a b)"]
)
def test_fts_queries_are_always_quoted(text):
    query = fts_query(topic_terms(text) or (text,))
    assert query.count('"') % 2 == 0


def test_score_passage_matches_stems_and_typos():
    assert score_passage("Recruitment and retention of social workers", ["recruiting"]) > 0
    assert score_passage("Recruitment and retention of social workers", ["recrutment"]) > 0
    assert score_passage("The budget was set", ["recruitment"]) == 0


@given(st.text(max_size=200))
def test_understand_never_raises(text):
    q = understand(text, BODIES, today=TODAY)
    assert q.intent in {"resolutions", "recommendations", "actions", "discussion", "meeting", "topic"}
    assert fts_query(q.terms).count('"') % 2 == 0


def test_how_long_asks_for_a_length_of_time_and_long_term_is_a_topic():
    asked = understand("how long can members of the public speak at the licensing panel", [], today=date(2026, 12, 2))
    assert "long" not in asked.terms and "speak" in asked.terms
    topic = understand("long term plan for housing", [], today=date(2026, 12, 2))
    assert "long" in topic.terms


@pytest.mark.parametrize(
    ("question", "body"),
    [
        ("what did the cef pds recommend in july 2014", "Children, Education and Families Policy Development and Scrutiny Committee"),
        ("health pds apologies", "Adult Care and Health Policy Development and Scrutiny Committee"),
        ("what did cyp o&s say about send", "Children and Young People Overview and Scrutiny Committee"),
        ("cyp osc minutes", "Children and Young People Overview and Scrutiny Committee"),
    ],
)
def test_a_scrutiny_committee_by_its_kinds_short_form(question, body):
    bodies = [BodyRef(NB, "Children, Education and Families Policy Development and Scrutiny Committee"),
              BodyRef(NB, "Adult Care and Health Policy Development and Scrutiny Committee"),
              BodyRef(NB, "Children and Young People Overview and Scrutiny Committee"), BodyRef(NB, "Cabinet")]  # fmt: skip
    found, words = match_bodies(question, bodies)
    assert [b.name for b in found] == [body], words
