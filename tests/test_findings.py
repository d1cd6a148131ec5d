"""The find stage: scoring items and choosing passages, without SQL (knowledge.answers.findings).

Fictional minutes. Properties run derandomised in CI (see conftest).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from knowledge.answers.findings import make_terms, quote_text, rank_items
from knowledge.answers.lexicon import expand, stem
from knowledge.models import ParsedItem, Passage


def _item(title: str, *texts: str) -> ParsedItem:
    return ParsedItem(title=title, council="Eastmoor District Council", body="Cabinet",
                      passages=[Passage("narrative", t) for t in texts])  # fmt: skip


def _rank(words, *items):
    terms = make_terms(words, {}, stem, expand)
    return rank_items(list(enumerate(items)), terms, stem=stem)


def test_the_item_that_holds_every_word_ranks_first_and_quotes_the_passage_that_does():
    leisure = _item("Leisure centres", "Members asked about the opening hours.", "Fees for swimming lessons rise.")
    parking = _item("Car parking", "Members asked about parking fees.")
    best = _rank(["swimming", "fees"], parking, leisure)[0]
    assert best.item is leisure and best.coverage == 1.0
    assert [best.item.passages[i].text for i in best.chosen] == ["Fees for swimming lessons rise."]


def test_a_title_that_alone_holds_every_word_answers_with_the_minutes_opening_passages():
    hubs = _item("Voluntary sector partners update", "The Chair opened the discussion.", "Partners described demand.",
                 "The Panel asked for figures.", "A fourth point.")  # fmt: skip
    [found] = _rank(["voluntary", "sector"], hubs)
    assert found.coverage == 1.0 and found.chosen == [0, 1, 2]
    assert _rank(["voluntary", "budget"], hubs)[0].chosen == []  # the title holds only some of the words


def test_a_hyphenated_word_matches_its_unhyphenated_spelling():
    survey = _item("Libraries survey", "The Cabinet agreed the re-wording of Question 4 of the survey.")
    [found] = _rank(["reworded", "question"], survey)
    assert found.coverage == 1.0 and found.chosen == [0]


def test_a_typo_in_the_question_still_finds_the_word_but_counts_for_less():
    item = _item("Workforce", "Recruitment of social workers remains difficult.")
    [found] = _rank(["recrutment"], item)
    assert 0.5 < found.coverage < 1.0 and found.chosen == [0]


def test_one_stray_word_of_several_is_low_coverage():
    item = _item("Highways", "The budget for pothole repairs was noted.")
    [found] = _rank(["budget", "ofsted", "inspection", "safeguarding"], item)
    assert found.coverage < 0.5


def test_a_long_passage_is_quoted_by_its_matching_sentences_verbatim():
    text = ("The Chair opened the item. " * 30) + "The panel asked for a report on the waiting list for adaptations."
    terms = make_terms(["adaptations"], {}, stem, expand)
    quote = quote_text(Passage("narrative", text), terms, stem, limit=200)
    assert quote == "The panel asked for a report on the waiting list for adaptations."


_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz -", min_size=0, max_size=40)


@given(st.lists(_words, min_size=1, max_size=5), st.lists(st.lists(_words, max_size=4), min_size=1, max_size=4))
def test_rank_items_is_total_and_bounded(question_words, items):
    """Any words, any passages: scores are finite, coverage within [0, 1], chosen passages exist."""
    made = [_item(f"Item {n}", *texts) for n, texts in enumerate(items)]
    words = [w.strip() for w in question_words if w.strip()]
    for f in _rank(words, *made):
        assert 0.0 <= f.coverage <= 1.0 + 1e-9 and f.score == f.score
        assert all(0 <= i < len(f.item.passages) for i in f.chosen)
        assert set(f.priority) == set(f.chosen)
