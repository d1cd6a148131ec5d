"""The date grammar: phrases councillors type, formal dates on council pages, command-line dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge import dates
from knowledge.dates import find_date_range, parse_cli_date, read_day, strip_date
from knowledge.models import DateRange, UserError

TODAY = date(2026, 11, 22)  # a Sunday
NEW_YEAR = date(2024, 1, 5)  # a Friday, early in a leap year

D = date


@pytest.mark.parametrize(
    ("question", "start", "end", "text"),
    [
        # months
        ("minutes for December 2022", D(2022, 12, 1), D(2022, 12, 31), "December 2022"),
        ("what happened in dec 2022", D(2022, 12, 1), D(2022, 12, 31), "dec 2022"),
        ("DECEMBER 2022 budget", D(2022, 12, 1), D(2022, 12, 31), "DECEMBER 2022"),
        ("sept 2021 scrutiny", D(2021, 9, 1), D(2021, 9, 30), "sept 2021"),
        ("Sept. 2021 scrutiny", D(2021, 9, 1), D(2021, 9, 30), "Sept. 2021"),
        ("in December, of 2022", D(2022, 12, 1), D(2022, 12, 31), "December, of 2022"),
        ("reports 12/2022", D(2022, 12, 1), D(2022, 12, 31), "12/2022"),
        ("reports 2022-12", D(2022, 12, 1), D(2022, 12, 31), "2022-12"),
        ("in February 2024", D(2024, 2, 1), D(2024, 2, 29), "February 2024"),
        ("in February 2023", D(2023, 2, 1), D(2023, 2, 28), "February 2023"),
        ("may 2022 cabinet", D(2022, 5, 1), D(2022, 5, 31), "may 2022"),
        # single days
        ("meeting 28/10/21", D(2021, 10, 28), D(2021, 10, 28), "28/10/21"),
        ("meeting 28/10/2021", D(2021, 10, 28), D(2021, 10, 28), "28/10/2021"),
        ("meeting 28-10-2021", D(2021, 10, 28), D(2021, 10, 28), "28-10-2021"),
        ("meeting 28.10.2021", D(2021, 10, 28), D(2021, 10, 28), "28.10.2021"),
        ("meeting 28 Oct 2021", D(2021, 10, 28), D(2021, 10, 28), "28 Oct 2021"),
        ("meeting 28th October 2021", D(2021, 10, 28), D(2021, 10, 28), "28th October 2021"),
        ("meeting October 28, 2021", D(2021, 10, 28), D(2021, 10, 28), "October 28, 2021"),
        ("meeting 2021-10-28", D(2021, 10, 28), D(2021, 10, 28), "2021-10-28"),
        ("meeting 2021-01-02", D(2021, 1, 2), D(2021, 1, 2), "2021-01-02"),
        ("what was agreed on 15 December 2022", D(2022, 12, 15), D(2022, 12, 15), "15 December 2022"),
        ("the 15th of December, 2022", D(2022, 12, 15), D(2022, 12, 15), "15th of December, 2022"),
        ("on Thursday, 15th December 2022", D(2022, 12, 15), D(2022, 12, 15), "Thursday, 15th December 2022"),
        ("on 29/02/2024", D(2024, 2, 29), D(2024, 2, 29), "29/02/2024"),
        ("mid-May 2022", D(2022, 5, 1), D(2022, 5, 31), "May 2022"),
        # years and municipal years
        ("decisions in 2021", D(2021, 1, 1), D(2021, 12, 31), "2021"),
        ("2021", D(2021, 1, 1), D(2021, 12, 31), "2021"),
        ("housing during 1999", D(1999, 1, 1), D(1999, 12, 31), "1999"),
        ("the 2022/23 budget", D(2022, 5, 1), D(2023, 4, 30), "2022/23"),
        ("the 2022-23 budget", D(2022, 5, 1), D(2023, 4, 30), "2022-23"),
        ("the 2022/2023 budget", D(2022, 5, 1), D(2023, 4, 30), "2022/2023"),
        # ranges
        ("between May and July 2022", D(2022, 5, 1), D(2022, 7, 31), "between May and July 2022"),
        (
            "between March 2021 and June 2022",
            D(2021, 3, 1),
            D(2022, 6, 30),
            "between March 2021 and June 2022",
        ),
        ("from May to July 2022", D(2022, 5, 1), D(2022, 7, 31), "from May to July 2022"),
        ("May to July 2022", D(2022, 5, 1), D(2022, 7, 31), "May to July 2022"),
        ("May-July 2022", D(2022, 5, 1), D(2022, 7, 31), "May-July 2022"),
        ("May \u2013 July 2022", D(2022, 5, 1), D(2022, 7, 31), "May \u2013 July 2022"),
        ("from 1 May 2022 to 15 June 2022", D(2022, 5, 1), D(2022, 6, 15), "from 1 May 2022 to 15 June 2022"),
        ("from 1 May to 15 June 2022", D(2022, 5, 1), D(2022, 6, 15), "from 1 May to 15 June 2022"),
        ("between 2020 and 2022", D(2020, 1, 1), D(2022, 12, 31), "between 2020 and 2022"),
        ("2020-2022 reports", D(2020, 1, 1), D(2022, 12, 31), "2020-2022"),
        ("between Nov and Feb 2023", D(2022, 11, 1), D(2023, 2, 28), "between Nov and Feb 2023"),
        ("between 2022 and 2020", D(2020, 1, 1), D(2022, 12, 31), "between 2022 and 2020"),
        # open ranges
        ("since March 2023", D(2023, 3, 1), None, "since March 2023"),
        ("after March 2023", D(2023, 4, 1), None, "after March 2023"),
        ("from 2023 onwards", D(2023, 1, 1), None, "from 2023 onwards"),
        ("2023 onwards", D(2023, 1, 1), None, "2023 onwards"),
        ("before 2020", None, D(2019, 12, 31), "before 2020"),
        ("until June 2022", None, D(2022, 6, 30), "until June 2022"),
        ("up to June 2022", None, D(2022, 6, 30), "up to June 2022"),
        ("before 15 March 2022", None, D(2022, 3, 14), "before 15 March 2022"),
        ("before 1 March 2024", None, D(2024, 2, 29), "before 1 March 2024"),
        ("since 2022/23", D(2022, 5, 1), None, "since 2022/23"),
        # quarters
        ("Q1 2023 performance", D(2023, 1, 1), D(2023, 3, 31), "Q1 2023"),
        ("2023 q4 performance", D(2023, 10, 1), D(2023, 12, 31), "2023 q4"),
        # several phrases: the first wins, and a range wins over its parts
        ("in 2021 and again in 2023", D(2021, 1, 1), D(2021, 12, 31), "2021"),
        ("may we see the minutes for December 2022", D(2022, 12, 1), D(2022, 12, 31), "December 2022"),
        ("why did they march on 3 March 2023?", D(2023, 3, 3), D(2023, 3, 3), "3 March 2023"),
    ],
)
def test_find_date_range(question: str, start: date | None, end: date | None, text: str) -> None:
    rng = find_date_range(question, TODAY)
    assert rng is not None
    assert (rng.start, rng.end, rng.text) == (start, end, text)
    assert rng.text in question


@pytest.mark.parametrize(
    ("question", "today", "start", "end"),
    [
        ("last month", TODAY, D(2026, 10, 1), D(2026, 10, 31)),
        ("last month", NEW_YEAR, D(2023, 12, 1), D(2023, 12, 31)),
        ("previous month", date(2024, 3, 31), D(2024, 2, 1), D(2024, 2, 29)),
        ("this month", TODAY, D(2026, 11, 1), D(2026, 11, 30)),
        ("this month", date(2024, 2, 10), D(2024, 2, 1), D(2024, 2, 29)),
        ("last year", TODAY, D(2025, 1, 1), D(2025, 12, 31)),
        ("last year", NEW_YEAR, D(2023, 1, 1), D(2023, 12, 31)),
        ("this year", TODAY, D(2026, 1, 1), D(2026, 12, 31)),
        ("last week", TODAY, D(2026, 11, 9), D(2026, 11, 15)),
        ("this week", TODAY, D(2026, 11, 16), D(2026, 11, 22)),
        ("last week", NEW_YEAR, D(2023, 12, 25), D(2023, 12, 31)),
        ("yesterday", TODAY, D(2026, 11, 21), D(2026, 11, 21)),
        ("yesterday", date(2024, 3, 1), D(2024, 2, 29), D(2024, 2, 29)),
        ("today", TODAY, TODAY, TODAY),
        ("in the last 6 months", TODAY, D(2026, 5, 22), TODAY),
        ("past six months", TODAY, D(2026, 5, 22), TODAY),
        ("over the last twelve months", NEW_YEAR, D(2023, 1, 5), NEW_YEAR),
        ("last 3 years", TODAY, D(2023, 11, 22), TODAY),
        ("last 7 days", NEW_YEAR, D(2023, 12, 29), NEW_YEAR),
        ("past 2 weeks", TODAY, D(2026, 11, 8), TODAY),
        ("the past year", TODAY, D(2025, 11, 22), TODAY),
        ("in the last month", date(2024, 3, 31), D(2024, 2, 1), D(2024, 2, 29)),
        ("last 1 month", date(2024, 3, 31), D(2024, 2, 29), D(2024, 3, 31)),
    ],
)
def test_relative_phrases(question: str, today: date, start: date, end: date) -> None:
    rng = find_date_range(question, today)
    assert rng is not None
    assert (rng.start, rng.end) == (start, end)


@pytest.mark.parametrize(
    ("question", "today", "start", "end", "note"),
    [
        ("what about Dec 22?", TODAY, D(2022, 12, 1), D(2022, 12, 31), "I read 'Dec 22' as December 2022."),
        (
            "December",
            TODAY,
            D(2025, 12, 1),
            D(2025, 12, 31),
            "I read 'December' as December 2025: no year was given, so I took the most recent.",
        ),
        (
            "December",
            date(2026, 12, 1),
            D(2026, 12, 1),
            D(2026, 12, 31),
            "I read 'December' as December 2026: no year was given, so I took the most recent.",
        ),
        (
            "in May",
            TODAY,
            D(2026, 5, 1),
            D(2026, 5, 31),
            "I read 'May' as May 2026: no year was given, so I took the most recent.",
        ),
        (
            "on 29 February",
            date(2026, 3, 1),
            D(2024, 2, 29),
            D(2024, 2, 29),
            "I read '29 February' as 29 February 2024: no year was given, so I took the most recent.",
        ),
        (
            "between May and July",
            TODAY,
            D(2026, 5, 1),
            D(2026, 7, 31),
            "I read 'between May and July' as May to July 2026: "
            "no year was given, so I took the most recent.",
        ),
        (
            "between December and February",
            TODAY,
            D(2025, 12, 1),
            D(2026, 2, 28),
            "I read 'between December and February' as December 2025 to February 2026: "
            "no year was given, so I took the most recent.",
        ),
        (
            "the 2022/23 budget",
            TODAY,
            D(2022, 5, 1),
            D(2023, 4, 30),
            "I read '2022/23' as the municipal year, 1 May 2022 to 30 April 2023.",
        ),
        (
            "Q1 2023",
            TODAY,
            D(2023, 1, 1),
            D(2023, 3, 31),
            "I read 'Q1 2023' as the calendar quarter January to March 2023.",
        ),
        (
            "anything recently?",
            TODAY,
            D(2026, 8, 22),
            TODAY,
            "I read 'recently' as the last three months, 22 August 2026 to 22 November 2026.",
        ),
        (
            "2021-2022",
            TODAY,
            D(2021, 5, 1),
            D(2022, 4, 30),
            "I read '2021-2022' as the municipal year, 1 May 2021 to 30 April 2022.",
        ),
        ("since Dec 22", TODAY, D(2022, 12, 1), None, "I read 'since Dec 22' as 1 December 2022 onwards."),
    ],
)
def test_notes_for_ambiguous_phrases(
    question: str, today: date, start: date, end: date | None, note: str
) -> None:
    rng = find_date_range(question, today)
    assert rng is not None
    assert (rng.start, rng.end, rng.note) == (start, end, note)


@pytest.mark.parametrize(
    "question",
    ["December 2022", "28/10/2021", "2021-10-28", "in 2021", "between May and July 2022", "last month"],
)
def test_plain_phrases_have_no_note(question: str) -> None:
    rng = find_date_range(question, TODAY)
    assert rng is not None and rng.note == ""


@pytest.mark.parametrize(
    "question",
    [
        "may we see the minutes",
        "May I ask about the housing report?",
        "chaired by May",
        "item 3 may be deferred",
        "will they march on the town hall",
        "Jan said the report was late",
        "action 2.3",
        "item 181",
        "item 12/3",
        "item 2021",
        "appendix 12/2022",
        "£2021 was spent",
        "£1.5 million",
        "Appendix 1",
        "122a",
        "3 recommendations",
        "top 10",
        "second",
        "a",
        "",
        "12/22",
        "31/02/2022",
        "30/13/2022",
        "2022-02-30",
        "in 1850",
        "version 1.2.3",
        "at 2.30 pm",
        "the mayor and the marchers",
        "00/12/2022",
        "0 May 2022",
        "2022-0-15",
    ],
)
def test_no_false_dates(question: str) -> None:
    assert find_date_range(question, TODAY) is None


@pytest.mark.parametrize(
    ("question", "left"),
    [
        ("What did cabinet decide on housing in December 2022?", "What did cabinet decide on housing?"),
        ("housing decisions since March 2023", "housing decisions"),
        ("minutes of the meeting on 15 December 2022", "minutes of the meeting"),
        ("libraries between May and July 2022 please", "libraries please"),
        ("parking in the last 6 months", "parking"),
        ("today's agenda for cabinet", "agenda for cabinet"),
        ("budget, during 2021, for schools", "budget, for schools"),
        ("mid-May 2022 flooding", "flooding"),
        ("the 2022/23 budget", "budget"),
    ],
)
def test_strip_date(question: str, left: str) -> None:
    rng = find_date_range(question, TODAY)
    assert rng is not None
    assert strip_date(question, rng) == left


def test_strip_date_removes_the_phrase_that_was_read_not_an_earlier_number() -> None:
    question = "item 2021 from 2021"
    rng = find_date_range(question, TODAY)
    assert rng is not None and rng.text == "2021"
    assert strip_date(question, rng) == "item 2021"


def test_strip_date_without_a_match_only_collapses_spaces() -> None:
    assert strip_date("  parking   fines ", DateRange(None, None, "", "")) == "parking fines"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("15/12/2022", D(2022, 12, 15)),
        ("15/12/22", D(2022, 12, 15)),
        ("Thursday, 15th December, 2022", D(2022, 12, 15)),
        ("Thursday 15 December 2022 2.30 pm", D(2022, 12, 15)),
        ("15 December 2022", D(2022, 12, 15)),
        ("2022-12-15", D(2022, 12, 15)),
        ("Meeting of Cabinet held on Monday, 1st March, 2021 at 10.00 am", D(2021, 3, 1)),
        ("Date: 29/02/2024", D(2024, 2, 29)),
        ("December 15, 2022", D(2022, 12, 15)),
    ],
)
def test_read_day(text: str, day: date) -> None:
    assert read_day(text) == day


@pytest.mark.parametrize(
    "text", ["", "no date here", "December 2022", "29/02/2023", "31 April 2022", "item 181"]
)
def test_read_day_none(text: str) -> None:
    assert read_day(text) is None


@pytest.mark.parametrize(
    ("value", "day"),
    [("2022-12-15", D(2022, 12, 15)), ("15/12/2022", D(2022, 12, 15)), ("1/2/2024", D(2024, 2, 1))],
)
def test_parse_cli_date(value: str, day: date) -> None:
    assert parse_cli_date(value) == day


@pytest.mark.parametrize(
    "value",
    ["", "15 December 2022", "2022-12", "15/12/22", "2022-02-30", "31/02/2022", "tomorrow", "2022/12/15"],
)
def test_parse_cli_date_errors_name_the_value_and_the_form(value: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_cli_date(value)
    assert repr(value) in str(caught.value)
    assert "Use YYYY-MM-DD, for example 2022-12-15." in str(caught.value)


def test_public_names() -> None:
    defined = {
        name
        for name, value in vars(dates).items()
        if not name.startswith("_") and getattr(value, "__module__", "") == dates.__name__
    }
    assert sorted(dates.__all__) == sorted(defined)


@given(st.text(), st.dates())
def test_find_date_range_never_raises(text: str, today: date) -> None:
    rng = find_date_range(text, today)
    if rng is not None:
        assert rng.text and rng.text in text
        if rng.start and rng.end:
            assert rng.start <= rng.end
        assert isinstance(strip_date(text, rng), str)


_WORDS = st.sampled_from(
    [
        "in",
        "may",
        "march",
        "between",
        "and",
        "to",
        "since",
        "before",
        "-",
        "/",
        "2022",
        "22",
        "15th",
        "December",
        "Q1",
        "2022/23",
        "last",
        "6",
        "months",
        "item",
        "£",
        "onwards",
        "of",
        "the",
        ",",
        "31/02",
    ]
)


@given(st.lists(_WORDS, max_size=8).map(" ".join))
def test_find_date_range_on_date_like_words(text: str) -> None:
    rng = find_date_range(text, TODAY)
    if rng is not None and rng.start and rng.end:
        assert rng.start <= rng.end


@given(st.text())
def test_read_day_never_raises(text: str) -> None:
    result = read_day(text)
    assert result is None or isinstance(result, date)
