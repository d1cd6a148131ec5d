"""Several councils in one index, and a deployment that sets its own council once (issue 9 §5).

Fictional councils and minutes throughout.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import ConfigError, Settings
from knowledge.answers.ask import ask
from knowledge.models import ParsedItem, Passage
from knowledge.store import open_db, replace_source, write_transaction

TODAY = date(2026, 12, 2)
EAST, WEST = "Eastmoor District Council", "Wexcombe Borough Council"


def _item(council: str, day: date, title: str, resolved: str) -> ParsedItem:
    return ParsedItem(title=title, council=council, body="Cabinet", meeting_date=day, item="7",
                      passages=[Passage("resolution", resolved)])  # fmt: skip


@pytest.fixture()
def db(tmp_path):
    database = open_db(tmp_path / "two.db")
    with write_transaction(database):
        replace_source(database, "east", [_item(EAST, date(2022, 12, 14), "Leisure centres",
                                                 "That the leisure centre fees for 2023/24 be approved.")])
        replace_source(database, "west", [_item(WEST, date(2022, 12, 8), "Car parking",
                                                 "That the car parking tariffs for 2023/24 be approved.")])
        replace_source(database, "west-jan", [_item(WEST, date(2023, 1, 12), "Waste strategy",
                                                     "That the waste strategy be adopted.")])
    yield database
    database.close()


def test_without_a_home_council_both_councils_answer_each_citation_naming_its_own(db):
    a = ask(db, "what did cabinet resolve in december 2022", today=TODAY)
    assert a.found and "Which body" not in a.text
    assert {c.council for c in a.citations} == {EAST, WEST}
    assert EAST in a.text and WEST in a.text


def test_only_the_council_with_a_meeting_that_month_answers(db):
    a = ask(db, "what did cabinet resolve in january 2023", today=TODAY)
    assert a.found and {c.council for c in a.citations} == {WEST}


def test_a_home_council_is_the_default(db):
    a = ask(db, "what did cabinet resolve in december 2022", today=TODAY, council=EAST)
    assert a.found and {c.council for c in a.citations} == {EAST}
    # spelt without "Council", or in another case, it is the same council
    b = ask(db, "what did cabinet resolve in december 2022", today=TODAY, council="eastmoor district")
    assert {c.council for c in b.citations} == {EAST}


def test_a_question_naming_another_council_still_gets_that_council(db):
    a = ask(db, "what did wexcombe cabinet resolve in december 2022", today=TODAY, council=EAST)
    assert a.found and {c.council for c in a.citations} == {WEST}


def test_a_home_council_the_index_does_not_hold_changes_nothing(db):
    a = ask(db, "what did cabinet resolve in december 2022", today=TODAY, council="Nowhere Parish Council")
    assert {c.council for c in a.citations} == {EAST, WEST}


def test_the_settings_file_sets_the_council_once(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[council]\nname = "Eastmoor  District Council"\n', encoding="utf-8")
    assert Settings.from_env({}, config_path=path).council == EAST
    assert Settings.from_env({}).council is None


@pytest.mark.parametrize("table", ['[council]\nname = ""\n', "[council]\nname = 3\n", '[council]\ntown = "x"\n'])
def test_a_bad_council_setting_is_explained(tmp_path, table):
    path = tmp_path / "settings.toml"
    path.write_text(table, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[council\]"):
        Settings.from_env({}, config_path=path)
