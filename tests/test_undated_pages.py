"""Pages that state no date: they may answer a question about a day only if they name that day.

A saved ModernGov page often lacks its meeting's date (an item page, a pasted excerpt). Such a page can
answer "who sent apologies in March" loosely, but "on 23 January 2023" only when its text names that
day; a guessed year ("on 18th August") does not make it stricter. All pages are fictional.
"""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.answers.ask import ask
from knowledge.models import ParsedItem, Passage
from knowledge.store import open_db, replace_source, write_transaction

TODAY = date(2026, 12, 2)
COUNCIL = "Eastmoor District Council"


@pytest.fixture()
def db(tmp_path):
    database = open_db(tmp_path / "undated.db")
    undated = [
        ParsedItem(
            title="Apologies for absence", council=COUNCIL, body="Cabinet",
            passages=[Passage("narrative", "Apologies for absence were received from Councillor Threlkeld.")],
        ),
        ParsedItem(
            title="Site visit to the Moorside Care Centre", council=COUNCIL, body="Cabinet",
            passages=[Passage("narrative", "The Cabinet Member for Adult Care visited the Moorside Care Centre "
                                           "on 18th August to see the new day service.")],
        ),
    ]  # fmt: skip
    dated = [
        ParsedItem(
            title="Referral from the Executive of 9 April 2024", council=COUNCIL, body="Council",
            passages=[Passage("narrative", "At the Executive of 9 April 2024 the Leader moved and Councillor "
                                           "Aldous seconded the recommendation on the housing strategy.")],
        ),
    ]  # fmt: skip
    with write_transaction(database):
        replace_source(database, "undated", undated)
        replace_source(database, "names-the-day", dated)
    yield database
    database.close()


def test_an_undated_page_does_not_answer_for_a_stated_day(db):
    a = ask(db, "who sent apologies to eastmoor cabinet on 23 jan 2023?", today=TODAY)
    assert not a.found
    assert "Threlkeld" not in "\n".join(c.quote for c in a.citations)


def test_an_undated_page_answers_when_the_year_is_only_a_guess(db):
    a = ask(db, "which care centre did the adult care cabinet member visit on 18th august?", today=TODAY)
    assert a.found and "Moorside Care Centre" in a.text


def test_an_undated_page_that_names_the_day_answers_for_it(db):
    a = ask(db, "who moved and seconded the recs from the executive of 9 april 2024?", today=TODAY)
    assert a.found and "Aldous" in a.text
