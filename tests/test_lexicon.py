"""The word lexicon: stems, abbreviations, acronyms mined from pages, initialisms, question words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.answers.lexicon import (
    ABBREVIATIONS,
    QUESTION_WORDS,
    STOP_WORDS,
    abbreviate,
    content_words,
    expand,
    initials,
    mine_definitions,
    place_short_forms,
    stem,
)

# --- stem --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        "apologies apologised apologise apology apologize apologising apologizing Apologies",
        "organisation organization organise organised organisations organisational organizing",
        "recognise recognised recognize recognized recognising",
        "prioritise prioritisation prioritised prioritized prioritising",
        "analyse analysis analysed analyze analyses analysing",
        "recommend recommended recommendations recommendation recommending",
        "modernise modernisation modernised modern",
        "criticise criticised criticism",
        "council councils council's Council’s councils'",
        "realise realised realisation realize",
    ],
)
def test_forms_of_a_word_share_a_stem(words):
    assert len({stem(w) for w in words.split()}) == 1, {w: stem(w) for w in words.split()}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("council", "counsel"),
        ("policy", "police"),
        ("council", "councillor"),
        ("organisation", "organ"),
        ("realise", "real"),
        ("advertise", "advert"),
        ("exercise", "exec"),
        ("premises", "prem"),
        ("member", "memory"),
        ("care", "career"),
        ("decision", "decide"),
        ("analysis", "analyst"),
    ],
)
def test_unrelated_words_keep_apart(one, other):
    assert stem(one) != stem(other)


@pytest.mark.parametrize("token", ["o&s", "2023/24", "covid-19", "s151", "£5m", "9.30am"])
def test_tokens_that_are_not_plain_words_are_only_lower_cased(token):
    assert stem(token.upper()) == token.lower()


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzAEIOUYSZ'’&/-0123456789 .", max_size=30))
def test_stem_ignores_case(text):
    assert stem(text) == stem(text.upper()) == stem(text).lower()


@given(st.text(max_size=30))
def test_stem_accepts_any_text(text):
    assert isinstance(stem(text), str)


# --- abbreviations -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cyp", "children and young people"),
        ("CYP", "children and young people"),
        ("O&S", "overview and scrutiny"),
        ("hwb", "health and wellbeing board"),
        ("ehcp", "education health and care plan"),
        ("EHCPs", "education health and care plan"),
        ("send", "special educational needs and disabilities"),
        ("tro", "traffic regulation order"),
        ("pcc", "police and crime commissioner"),
        ("Cllr", "councillor"),
        ("cllr.", "councillor"),
        ("cllrs", "councillors"),
        ("exec", "executive"),
        ("cttee", "committee"),
        ("s.151", "section 151 officer"),
        ("S151", "section 151 officer"),
        ("mtfs", "medium term financial strategy"),
        ("kpis", "key performance indicator"),
    ],
)
def test_expand_an_abbreviation(word, expected):
    assert expected in expand(word)


@pytest.mark.parametrize("word", ["sends", "rags", "council", "scrutiny", "xyz", "", "s"])
def test_words_that_are_not_abbreviations_expand_to_nothing(word):
    assert expand(word) == ()


def test_an_abbreviation_whose_plural_is_itself_an_abbreviation_keeps_its_own_meaning():
    assert expand("cps") == ("crown prosecution service",)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Children's Social Care", "csc"),
        ("childrens social care", "csc"),
        ("Education, Health and Care Plans", "ehcp"),
        ("Overview & Scrutiny", "o&s"),
        ("Health and Well-being Board", "hwb"),
        ("section 151 officer", "s151"),
        ("Councillors", "cllrs"),
        ("special educational needs and disability", "send"),
        ("looked after children", "lac"),
    ],
)
def test_abbreviate_a_phrase(phrase, expected):
    assert expected in abbreviate(phrase)


def test_abbreviate_an_unknown_phrase():
    assert abbreviate("a fictional phrase about nothing") == ()


def test_every_expansion_leads_back_to_its_abbreviation():
    for short, longs in ABBREVIATIONS.items():
        assert short == short.lower() and longs, short
        for long in longs:
            assert long == long.lower()
            assert short in abbreviate(long), (short, long)
            assert long in expand(short)


# --- acronyms defined in a page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        ("A letter from the Department for Education (DfE) was noted.", "dfe", "department for education"),
        ("Members of the Health and Wellbeing Board (HWB) met.", "hwb", "health and wellbeing board"),
        (
            "Support for Special Educational Needs and Disabilities (SEND) was reviewed.",
            "send",
            "special educational needs and disabilities",
        ),
        ("The Children and Young People (CYP) panel met.", "cyp", "children and young people"),
        ("The Overview & Scrutiny (O&S) function.", "o&s", "overview and scrutiny"),
        (
            "Requests for Education, Health and Care Plans (EHCPs) rose.",
            "ehcp",
            "education health and care plans",
        ),
        ("The Local Authority (“the LA”) agreed.", "la", "local authority"),
        ("The Medium Term Financial Strategy (MTFS) was approved.", "mtfs", "medium term financial strategy"),
        ("CYP (Children and Young People) was the theme.", "cyp", "children and young people"),
        (
            "The Wexcombe Children and Young People Scrutiny Committee (CYP) met.",
            "cyp",
            "children and young people scrutiny committee",
        ),
    ],
)
def test_mine_a_definition(text, short, long):
    assert mine_definitions(text) == {short: long}


@pytest.mark.parametrize(
    "text",
    [
        "The plan is attached (see Appendix A).",
        "The budget for next year (2023/24) was set.",
        "Councillor Ann Example (Chair) opened the meeting.",
        "This was deferred (Item 5).",
        "The report (Pages 5 - 10) was noted.",
        "Members agreed the plan (SEND).",
        "Parking was discussed (TRO).",
        "An unbalanced ( bracket and a stray ) one.",
        "Nested (brackets (HWB)) here.",
        "",
    ],
)
def test_mine_nothing_from_brackets_that_define_nothing(text):
    assert mine_definitions(text) == {}


def test_mine_several_definitions_and_keep_the_first():
    text = (
        "The Dedicated Schools Grant (DSG) was discussed. Later the Dedicated Schools Grant (DSG) again.\n"
        "Key Performance Indicators (KPIs) for Adult Social Care (ASC) were rated (Red)."
    )
    assert mine_definitions(text) == {
        "dsg": "dedicated schools grant",
        "kpi": "key performance indicators",
        "asc": "adult social care",
    }


# --- initialisms of names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Northmere, Eastwick and Southdale Council", {"nes"}),
        ("London Borough of Fenwick and Marsh", {"lbfm", "fm"}),
        ("Royal Borough of Kestrel and Thorne", {"rbkt", "kt"}),
        ("Wexcombe County Council", {"wcc"}),
        ("Children and Young People Scrutiny Committee", {"cyp"}),
        ("Health and Wellbeing Board", {"hwb"}),
        ("Policy Development and Scrutiny Committee", {"pds"}),
        ("Overview and Scrutiny Committee", {"osc"}),
        ("Adult Social Care Scrutiny Panel", {"asc"}),
        ("Fictional Metropolitan Borough Council", {"fmbc"}),
        ("Children's Services Sub-Committee", {"css", "cs"}),
    ],
)
def test_initials_of_a_name(name, expected):
    assert expected <= initials(name)


@pytest.mark.parametrize(
    ("name", "unexpected"),
    [
        ("Wexcombe County Council", {"wc", "w"}),
        ("Health and Wellbeing Board", {"hw"}),
        ("London Borough of Fenwick and Marsh", {"lfm"}),
    ],
)
def test_initials_leave_out_fragments_nobody_uses(name, unexpected):
    assert not unexpected & initials(name)


@pytest.mark.parametrize("name", ["Cabinet", "Wexcombe", "the Council", "", "&"])
def test_initials_are_at_least_two_letters(name):
    assert all(len(i) >= 2 for i in initials(name))
    assert initials(name) == set()


# --- words of a question -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what did the O&S cttee say about SEND transport?", ["o&s", "cttee", "send", "transport"]),
        ("did cllrs discuss the £5m overspend on EHCPs", ["cllrs", "£5m", "overspend", "ehcps"]),
        ("any recs re covid-19 and the s.151 officer's report", ["covid-19", "s151", "officer", "report"]),
        ("What was said about the council's apologies?", ["council", "apologies"]),
        ("o & s on a & e waits", ["o&s", "a&e", "waits"]),
        ("budget 2023/24 budget BUDGET 2023-24", ["budget", "2023/24", "2023-24"]),
        ("who was the chair at the last meeting?", ["chair"]),
        ("where was the venue", ["venue"]),
        ("a 5% rise at 9.30am", ["5%", "rise", "9.30am"]),
        ("can you tell me please what was discussed", []),
        ("", []),
    ],
)
def test_content_words(question, expected):
    assert content_words(question) == expected


@pytest.mark.parametrize(
    "word", ["what", "did", "say", "said", "recs", "covered", "considered", "decided", "resolved", "meeting", "going"]
)
def test_question_words_shape_a_question(word):
    assert word in QUESTION_WORDS


@pytest.mark.parametrize(
    "word",
    ["apologies", "venue", "chair", "budget", "send", "housing", "cabinet", "report", "may", "list", "cover"],
)
def test_topic_words_are_neither_question_nor_stop_words(word):
    assert word not in QUESTION_WORDS and word not in STOP_WORDS


@pytest.mark.parametrize(("past", "base"), [("undertook", "undertake"), ("sought", "seek"), ("held", "hold")])
def test_irregular_past_forms_share_the_present_forms_stem(past, base):
    assert stem(past) == stem(base)


def test_sent_is_not_read_as_send():
    assert stem("sent") != stem("send")  # SEND, the acronym, must not match every "sent"


@pytest.mark.parametrize(("name", "short"), [("Wexcombeshire County Council", "wexcs"), ("Ardenshire", "ardes")])
def test_a_shire_is_shortened_the_way_counties_are_written(name, short):
    assert short in place_short_forms(name)


def test_a_name_without_a_shire_has_no_short_form():
    assert place_short_forms("Eastmoor District Council") == set()


def test_names_for_exempt_business_expand_to_each_other():
    from knowledge.answers.lexicon import SYNONYMS

    assert "exempt" in expand("confidential") and "confidential" in expand("restricted")
    assert "part 2" in SYNONYMS["exempt"]
    assert expand("private") == ()  # "private sector housing" is not exempt business


def test_put_only_shapes_a_question():
    assert "put" in QUESTION_WORDS
