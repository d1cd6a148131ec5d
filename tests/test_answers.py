"""Questions and answers over the bundled sample council (ground truth: tests/sample_facts.md)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.answers.ask import MAX_ANSWER_CHARS, ask
from knowledge.minutes.ingest import load_sample
from knowledge.store import open_db

TODAY = date(2026, 11, 22)
CABINET = "Cabinet"
CYP = "Children and Young People Scrutiny Committee"
BOARD = "Children's Services Improvement Board"
SECRETS = ("Bidder B", "£4,950", "£6.9 million")  # the exempt contract award's details


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = open_db(tmp_path_factory.mktemp("sample") / "sample.db")
    load_sample(database, today=TODAY)
    yield database
    database.close()


def q(db, text: str, **kw):
    answer = ask(db, text, today=TODAY, **kw)
    assert len(answer.text) <= MAX_ANSWER_CHARS
    return answer


def cited(answer) -> set[tuple[str | None, date | None, str | None]]:
    return {(c.body, c.meeting_date, c.item) for c in answer.citations}


def quotes(answer) -> str:
    return "\n".join(c.quote for c in answer.citations)


# --- resolutions --------------------------------------------------------------------------------


def test_cabinet_resolutions_in_december_2022(db):
    a = q(db, "what did cabinet resolve in December 2022")
    assert a.found and a.intent == "resolutions"
    assert a.filters.body == CABINET and (a.filters.date_from, a.filters.date_to) == (
        date(2022, 12, 1),
        date(2022, 12, 31),
    )
    assert (CABINET, date(2022, 12, 15), "121") in cited(a)
    assert "submit it to Ofsted no later than 21 December 2022" in quotes(a)
    assert "Source: https://democracy.northbridge.example/" in a.text


def test_the_same_item_on_two_pages_is_quoted_once(db):
    a = q(db, "what did cabinet resolve on 15 Dec 2022?")
    items = [c.item for c in a.citations]
    assert items.count("121") == 1 and {"121", "122", "122a"} <= set(items)


def test_procedural_items_are_left_out_when_there_is_substance(db):
    a = q(db, "what did cabinet resolve in December 2022")
    assert not any(c.title == "Minutes" for c in a.citations)


def test_typo_and_two_digit_year(db):
    a = q(db, "what did the cabnet decide about the improvement action plan in Dec 22")
    assert a.filters.body == CABINET and a.filters.date_from == date(2022, 12, 1)
    assert "December 2022" in a.text.splitlines()[0]  # says how "Dec 22" was read
    assert (CABINET, date(2022, 12, 15), "121") in cited(a)
    assert "a) “The executive response" in a.text  # all of the item's resolutions


def test_day_first_short_date(db):
    a = q(db, "what did cabinet decide on 21/10/21")
    assert cited(a) == {(CABINET, date(2021, 10, 21), "58")}
    assert "Cabinet endorse the Children’s Services Improvement Plan 2021–2023" in quotes(a)


def test_a_day_with_no_meeting_offers_the_nearest(db):
    a = q(db, "what was decided at cabinet on 28/10/21")
    assert not a.found and not a.citations
    assert "21 October 2021" in a.text


def test_full_council_motion(db):
    a = q(db, "what did full council decide in sept 2023")
    assert a.found and a.filters.body == "Council"
    assert ("Council", date(2023, 9, 21), "41") in cited(a)
    assert "protected characteristic" in quotes(a)


def test_which_meeting_approved_the_budget_puts_the_budget_first(db):
    a = q(db, "which meeting approved the budget")
    first = a.citations[0]
    assert "Budget 2023/24" in first.title
    assert ("Council", date(2023, 2, 23), "71") in cited(a)


def test_decision_page_by_its_maker(db):
    a = q(db, "what did the cabinet member for children and families decide in march 2023")
    assert a.found and "12.4%" in quotes(a)


def test_call_in_is_reported(db):
    a = q(db, "was the foster carer decision subject to call in")
    assert "subject to call-in" in a.text and "11/03/2023" in a.text


def test_first_meeting_of_a_body(db):
    a = q(db, "what did the board resolve at its first meeting")
    assert {d for _, d, _ in cited(a)} == {date(2021, 6, 21)}


def test_numbered_resolutions(db):
    a = q(db, "when was the placement sufficiency strategy adopted")
    assert (CABINET, date(2023, 7, 20), "24") in cited(a)
    assert "That the Placement Sufficiency Strategy 2023–2026 be adopted." in quotes(a)


def test_resolved_to_recommend(db):
    a = q(db, "what did cabinet decide about placements in dec 2022")
    assert (CABINET, date(2022, 12, 15), "122a") in cited(a)
    assert "supplementary revenue estimate of £2.1 million" in quotes(a)


# --- recommendations and actions ---------------------------------------------------------------


def test_cyp_scrutiny_recommendations(db):
    a = q(db, "what did CYP scrutiny recommend in december 2022")
    assert a.intent == "recommendations" and a.filters.body == CYP
    assert (CYP, date(2022, 12, 13), None) in cited(a)
    assert "costed workforce strategy" in quotes(a)


def test_recommendations_include_resolutions_to_recommend(db):
    a = q(db, "what were the scrutiny SEND recommendations in Sept 2023")
    assert (CYP, date(2023, 9, 12), "27") in cited(a)
    assert "recommend to Cabinet that timeliness of new EHCPs" in quotes(a)


def test_board_recommendations_about_recruitment(db):
    a = q(db, "what did the improvement board recommend about recruitment and retention")
    assert cited(a) == {(BOARD, date(2022, 5, 16), None)}
    assert "market supplement of £3,000" in quotes(a)


def test_actions_agreed_on_a_day(db):
    a = q(db, "what actions were agreed at the scrutiny committee on 13/12/22")
    assert a.intent == "actions"
    assert (CYP, date(2022, 12, 13), None) in cited(a)
    assert "circulate caseload figures" in quotes(a)


def test_actions_agreed_by_the_board_in_march_2024(db):
    a = q(db, "what actions did the board agree in march 2024")
    assert (BOARD, date(2024, 3, 18), "63") in cited(a)


def test_undated_item_is_kept_after_dated_ones_and_says_so(db):
    a = q(db, "what did CYP scrutiny recommend in december 2022")
    dates = [c.meeting_date for c in a.citations]
    assert dates[0] == date(2022, 12, 13) and dates[-1] is None
    assert "date not stated" in a.text and "does not state the meeting date" in a.text


def test_undated_item_without_a_date_filter(db):
    a = q(db, "what did the committee recommend about early help")
    (c,) = a.citations
    assert c.meeting_date is None and "date not stated" in a.text and "three-year funding" in c.quote


# --- discussion --------------------------------------------------------------------------------


def test_concerns_about_send_include_the_bullets_of_the_list(db):
    a = q(db, "what concerns were raised about SEND?")
    assert a.intent == "discussion" and a.found
    assert (CYP, date(2023, 9, 12), "27") in cited(a)
    assert "Only 34% of new education, health and care plans" in quotes(a)


def test_when_did_cabinet_discuss_recruitment(db):
    a = q(db, "when did cabinet discuss recruitment")
    assert {(CABINET, date(2021, 10, 21), "58"), (CABINET, date(2022, 12, 15), "121")} <= cited(a)
    assert all(c.body == CABINET for c in a.citations)


def test_named_person(db):
    a = q(db, "what did Ms Okafor say about placements")
    assert (CABINET, date(2023, 7, 20), "24") in cited(a) and "412 children in care" in quotes(a)


def test_independent_chair_on_retention(db):
    a = q(db, "what did the independent chair say about retention")
    assert "retention deserved as much attention as recruitment" in quotes(a)


def test_body_named_after_at_is_the_meeting(db):
    a = q(db, "what did the scrutiny chair say at cabinet in december 2022")
    assert a.filters.body == CABINET
    assert "Councillor Tom Ellery" in quotes(a)


def test_since_a_month(db):
    a = q(db, "what has the board discussed since March 2023")
    assert a.filters.date_from == date(2023, 3, 1) and a.filters.date_to is None
    assert {d for _, d, _ in cited(a)} <= {date(2024, 3, 18), date(2025, 10, 13)}


def test_between_months(db):
    a = q(db, "what happened between May and July 2022")
    assert (a.filters.date_from, a.filters.date_to) == (date(2022, 5, 1), date(2022, 7, 31))
    assert (BOARD, date(2022, 5, 16), None) in cited(a)


def test_before_a_year(db):
    a = q(db, "what did scrutiny do before 2022?")
    assert a.filters.date_to == date(2021, 12, 31) and a.filters.body == CYP
    assert (CYP, date(2021, 3, 22), None) in cited(a)


def test_in_a_year(db):
    a = q(db, "what did the board do in 2022")
    assert {d for _, d, _ in cited(a)} == {date(2022, 5, 16)}


def test_financial_year_is_a_topic_not_a_meeting_date(db):
    a = q(db, "what was the council tax increase for 2023/24")
    assert a.filters.date_from is None
    assert "4.99%" in quotes(a)


def test_truncated_minutes_are_flagged(db):
    a = q(db, "what did cabinet say about SEND in july 2025")
    assert "cut short" in a.text


def test_minutes_to_follow(db):
    a = q(db, "what are the minutes of the improvement board on 13 October 2025")
    assert "Minutes are to follow" in a.text
    assert {i for _, _, i in cited(a)} >= {"34", "35"}


def test_typo_in_topic_word(db):
    a = q(db, "what was said about recrutment")
    assert a.found and "recruit" in a.text.lower()
    assert a.text.startswith("No minute contains “recrutment”")


def test_one_wrong_letter_in_a_short_word_and_chat_spellings_of_question_words(db):
    a = q(db, "wat did cabnet agree on the budjet feb 23")
    assert a.found and "No minute contains “budjet”; I looked for “budget…” instead." in a.text
    assert a.filters.body == "Cabinet" and "(resolutions of Cabinet about budget in February 2023)" in a.text  # not "wat"


# --- meetings ------------------------------------------------------------------------------------


def test_a_month_with_no_meeting_says_so(db):
    a = q(db, "were there any meetings in August 2023?")
    assert not a.found and a.intent == "meeting"
    assert "no meetings" in a.text and "20 July 2023" in a.text and "12 September 2023" in a.text


def test_a_month_with_no_meeting_of_the_board(db):
    a = q(db, "what did the board discuss in jan 2024")
    assert not a.found
    assert "January 2024" in a.text and "18 March 2024" in a.text


def test_list_cabinet_meetings_in_2023(db):
    a = q(db, "list cabinet meetings in 2023")
    assert a.intent == "meeting"
    assert {c.meeting_date for c in a.citations} == {date(2023, 2, 9), date(2023, 7, 20)}


def test_when_did_the_board_last_meet(db):
    a = q(db, "when did the board last meet")
    assert [c.meeting_date for c in a.citations] == [date(2025, 10, 13)]


def test_next_meeting_comes_from_the_calendar(db):
    a = q(db, "when is the next improvement board?")
    assert a.found and "Monday 30 November 2026 at 14:00" in a.text


def test_next_meeting_without_a_calendar_says_so(tmp_path):
    from knowledge.minutes.ingest import ingest_files, sample_manifest_path

    database = open_db(tmp_path / "minutes-only.db")
    ingest_files(database, manifest=sample_manifest_path())
    a = q(database, "when is the next improvement board?")
    assert not a.found and "no future meeting" in a.text and "13 October 2025" in a.text


# --- exempt material ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "what contract did cabinet award in july 2023",
        "residential placements contract",
        "what did cabinet decide in July 2023",
        "Bidder B",
        "what did cabinet resolve about the award of contract",
    ],
)
def test_exempt_minutes_never_reach_a_public_answer(db, question):
    a = q(db, question)
    assert not any(secret in a.text for secret in SECRETS)
    assert not any(c.restricted for c in a.citations)


def test_exempt_item_is_named_as_taken_in_private(db):
    a = q(db, "what contract did cabinet award in july 2023")
    assert "Taken in private" in a.text and "item 26" in a.text


def test_exempt_minutes_are_shown_where_allowed(db):
    a = q(db, "what did cabinet resolve about the award of contract in july 2023", include_restricted=True)
    assert any(c.restricted for c in a.citations) and "Bidder B" in a.text


# --- not found and odd input --------------------------------------------------------------------


def test_nothing_matches(db):
    a = q(db, "what was decided about the zebra crossing on Acacia Avenue")
    assert not a.found and not a.citations and "found no" in a.text


@pytest.mark.parametrize("text", ["", "   ", "?", "AND (", "*", '"', "-- ; DROP TABLE items"])
def test_empty_or_symbol_questions_get_help(db, text):
    a = q(db, text)
    assert not a.found and "what did cabinet resolve" in a.text.lower()


def test_json_shape(db):
    obj = q(db, "what did cabinet resolve in December 2022").as_json()
    assert list(obj) == ["question", "found", "answer", "intent", "filters", "citations"]
    assert list(obj["filters"]) == ["council", "body", "date_from", "date_to", "topic"]
    assert set(obj["citations"][0]) == {"council", "body", "meeting_date", "item", "title", "source", "quote", "status", "page"}
    assert obj["citations"][0]["status"] == "confirmed minutes"  # a saved "Agenda and minutes" page


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=120))
def test_any_question_gets_an_answer_and_never_an_exception(db, text):
    a = ask(db, text, today=TODAY)
    assert a.intent != "error"
    assert isinstance(a.text, str) and a.text and len(a.text) <= MAX_ANSWER_CHARS


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["cabinet", "cabnet", "board", "scrutiny", "SEND", "dec 22", "in 2021", "since March 2023",
                                 "recommend", "resolved", "discussed", "when", "£1.5m", "A-12", "co-op", "council's",
                                 "OR", "NEAR", "(", "*", "'", "12/2022", "28/10/21"]), max_size=8))  # fmt: skip
def test_member_style_word_salad_never_fails(db, words):
    a = ask(db, " ".join(words), today=TODAY)
    assert a.intent != "error" and len(a.text) <= MAX_ANSWER_CHARS


def test_the_last_meeting_of_a_body(db):
    a = q(db, "Show me the minutes from the last board meeting")
    assert {d for _, d, _ in cited(a)} == {date(2025, 10, 13)}
    assert "Minutes are to follow" in a.text


def test_most_recent_meeting_without_resolutions_lists_its_items(db):
    a = q(db, "what was decided at the most recent cabinet meeting")
    assert not a.found and "24 July 2025" in a.text and "item 23" in a.text


def test_a_word_no_minute_holds_is_set_aside_when_enough_of_the_question_is_left(db):
    # "hovercraft" is in no minute: the other three words still find the Ofsted submission, and say so
    a = q(db, "submitting the improvement plan to ofsted hovercraft")
    assert a.found and a.text.startswith("No minute mentions “hovercraft”; this answers the rest.")
    assert "hovercraft" not in a.filters.topic and "Ofsted" in a.text
    # with only two words left, a question about something nothing holds is still declined
    assert not q(db, "ofsted hovercraft plan").found
    assert not q(db, "what did cabinet resolve about hovercraft").found
    # as many words nothing holds as words left: declined, not half answered
    assert not q(db, "hovercraft zeppelin marmalade ofsted plan budget").found
    # the words left found nothing either: the note does not promise an answer
    none = q(db, "hovercraft fathers autism caseloads")
    assert not none.found and none.text.startswith("No minute mentions “hovercraft”.\n")


def test_a_meeting_fact_not_found_says_which_fact_not_that_the_body_has_no_minutes(db):
    a = q(db, "was there any urgent business at cabinet")
    assert not a.found and "I found nothing on urgent business in the minutes of Cabinet." in a.text
    assert "no minutes of Cabinet" not in a.text
    # a fact about one body's meetings is not answered from another body's minutes that do not name it
    june = q(db, "who chaired the improvement board in june 2023")
    assert not june.found and june.citations == ()
    assert "I found nothing on who chaired in the minutes of Children's Services Improvement Board in June 2023." in june.text


def test_the_chair_named_beside_the_word_answers_who_chaired(db):
    a = q(db, "who chaired the improvement board")
    assert a.found and "The independent chair, Dr Sian Pryce" in a.text


def test_a_word_in_an_exempt_items_public_title_is_not_taken_for_a_typo(db):
    a = q(db, "what did cabinet decide about the childrens home contract")
    assert "No minute contains “contract”" not in a.text and "contact" not in a.text
    assert "Award of contract: residential children’s home placements (Exempt)" in a.text
    assert all(not c.restricted for c in a.citations)


def test_a_typo_the_plain_cut_misses_is_corrected_as_the_index_stems_it(db):
    a = q(db, "was the ehcp timelyness target met")  # Porter cuts it to "timely", the index holds "timeli"
    assert a.found and a.text.startswith("No minute contains “timelyness”; I looked for “timeli…” instead.")
    assert "Timeliness of new education, health and care plans" in a.text


def test_what_was_on_one_meetings_agenda_lists_its_items_in_order_a_line_each(db):
    a = q(db, "what was on the agenda at cabinet on 15 dec 2022")
    items = [c.item for c in a.citations if c.item]
    assert a.found and items[:4] == ["117", "118", "119", "120"]  # apologies and the like are on it too
    assert all(len(p.body) <= 200 for p in a.parts)  # a line an item, not its whole minute
    assert "narrower period" not in a.text
    same = q(db, "what did cabinet consider on 15 dec 2022")
    assert [c.item for c in same.citations] == [c.item for c in a.citations]


def test_who_attended_is_answered_by_the_apologies_when_the_minutes_list_no_attendance(db):
    a = q(db, "who attended cabinet on 15 december 2022")
    assert a.found and a.text.startswith(
        "The minutes I hold do not record who was present; this is what they record of attendance:")
    assert "Apologies were received from Councillor Gareth Lyle" in a.text


def test_when_is_it_due_asks_a_date_not_about_due(db):
    a = q(db, "when is the sufficiency strategy due")
    assert a.found and "Placement Sufficiency Strategy 2023–2026" in a.text
