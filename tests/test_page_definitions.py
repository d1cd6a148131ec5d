"""Abbreviations the minutes define themselves ("Youth Justice Board (YJB)") are read both ways.

The general lexicon does not know every body's initials; a page that spells one out teaches the
bot what it stands for. Fictional minutes.
"""

from __future__ import annotations

from datetime import date

from knowledge.answers.ask import ask
from knowledge.answers.lexicon import expand
from knowledge.models import ParsedItem, Passage
from knowledge.store import open_db, replace_source, write_transaction

TODAY = date(2026, 12, 2)


def _item(title: str, day: date, text: str) -> ParsedItem:
    return ParsedItem(title=title, council="Eastmoor District Council", body="Communities Panel", meeting_date=day,
                      passages=[Passage("narrative", text)])  # fmt: skip


def test_an_abbreviation_defined_in_the_minutes_finds_its_spelled_out_form_and_back(tmp_path):
    assert expand("qyb") == ()  # not in the general lexicon
    db = open_db(tmp_path / "defs.db")
    with write_transaction(db):
        replace_source(db, "a", [_item("Annual report", date(2025, 1, 9),
                                       "The Quarry Youth Board (QYB) published its annual report.")])
        replace_source(db, "b", [_item("Custody review", date(2025, 3, 6),
                                       "The Quarry Youth Board asked the council to review remand custody places.")])
        replace_source(db, "c", [_item("Summer programme", date(2025, 6, 5),
                                       "The QYB funded the summer programme at the lido.")])
    short = ask(db, "what did the qyb ask about remand custody", today=TODAY)
    assert short.found and "review remand custody places" in short.text
    spelled = ask(db, "what did the quarry youth board fund in the summer", today=TODAY)
    assert spelled.found and "summer programme at the lido" in spelled.text
    db.close()
