"""Part 2 (exempt) minutes in the layouts councils publish them, and what each audience sees.

The pages in tests/data/exempt are written in the shapes real ModernGov pages take (a fictional
council): a title that says NOT FOR PUBLICATION, an agenda item carrying the "Restricted enclosure"
marker, and an exclusion of the press and public recorded as narrative rather than as a resolution,
with and without a heading for the business that follows.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.cli import main
from handlers.context import Context
from handlers.home import recent_decisions
from handlers.messages import Request
from knowledge.answers.ask import ask
from knowledge.minutes.ingest import ingest_files
from knowledge.minutes.parse import PageMeta, parse_page
from knowledge.store import open_db

DATA = Path(__file__).parent / "data" / "exempt"
TODAY = date(2026, 11, 22)
COUNCIL = "Eastmoor District Council"
#: Words that appear only in the exempt minutes: no public answer may contain them.
SECRETS = ("Tidewater", "2.35 million", "Quennell", "48,200", "Varga", "overcharging", "Ferriter", "Lantern")


def parse(name: str, **meta):
    return parse_page((DATA / name).read_text(encoding="utf-8"), PageMeta(**meta))


def agenda(doc) -> list:
    """The agenda items, without the meeting's details (venue, contact)."""
    return [i for i in doc.items if i.title != "Meeting details"]


def public_text(doc) -> str:
    return "\n".join(p.text for it in doc.items if not it.restricted for p in it.passages)


# --- the parser flags each layout --------------------------------------------------------------


def test_not_for_publication_title_is_exempt():
    doc = parse("not_for_publication.txt")
    assert [(i.item, i.restricted) for i in agenda(doc)] == [
        ("61", False), ("62", False), ("63", False), ("64", True)
    ]  # fmt: skip
    assert "Quayside Warehouse" in agenda(doc)[3].title  # the title is public; the minute is not
    assert not any(s in public_text(doc) for s in SECRETS)


def test_restricted_enclosure_marker_makes_an_agenda_item_exempt():
    doc = parse("restricted_enclosure.txt")
    assert len(doc.items) == 1 and doc.items[0].restricted
    assert doc.items[0].title == "Staffing Restructure - Legal Services"


def test_restricted_enclosure_in_a_whole_meeting_flags_that_item_only():
    page = (DATA / "not_for_publication.txt").read_text(encoding="utf-8")
    page = page.replace("NOT FOR PUBLICATION by virtue of paragraph 3 of Part 1 of Schedule 12A of the "
                        "Local Government Act 1972 - ", "")  # fmt: skip
    page = page.replace("Acquisition of Quayside Warehouse\n", "Acquisition of Quayside Warehouse\nRestricted enclosure\n"
                        "View the reasons why document is restricted\n")  # fmt: skip
    doc = parse_page(page)
    assert [i.restricted for i in agenda(doc)] == [False, False, False, True]


def test_narrative_exclusion_makes_the_following_items_exempt():
    doc = parse("narrative_exclusion.txt")
    assert [(i.item, i.restricted) for i in agenda(doc)] == [
        ("21", False), ("22", False), ("23", False), ("24", True)
    ]  # fmt: skip
    # the public resolution before the exclusion stays public
    assert "six week consultation" in public_text(doc)
    assert not any(s in public_text(doc) for s in SECRETS)


def test_exclusion_without_a_heading_after_it_fails_closed():
    doc = parse("narrative_exclusion_unsplit.txt")
    public = public_text(doc)
    assert "be excluded" in public  # the motion to exclude is public business
    assert not any(s in public for s in SECRETS), public  # what followed it is not
    assert any(it.restricted for it in doc.items)


@pytest.mark.parametrize(
    "sentence",
    [
        "He noted that no member had asked for the press and public to be excluded during the debate.",
        "There were no items of business for which the press and public needed to be excluded.",
        "To consider whether the press and public should be excluded for the following item.",
        "The Chair moved that the press and public be excluded but, on being put to the vote, the motion was lost.",
    ],
)
def test_a_mention_of_exclusion_that_is_not_one_leaves_the_page_public(sentence):
    page = (DATA / "narrative_exclusion.txt").read_text(encoding="utf-8")
    start = page.index("The Chair moved")
    end = page.index("\n", start)
    doc = parse_page(page[:start] + sentence + page[end:])
    assert not any(i.restricted for i in doc.items)


def test_the_exclusion_procedure_item_itself_stays_public():
    page = (DATA / "narrative_exclusion.txt").read_text(encoding="utf-8").replace(
        "RESOLVED: That the draft policy be published for a six week consultation.\n",
        "RESOLVED: That the draft policy be published for a six week consultation.\n23a.\n"
        "Exempt Information - Exclusion of the Press and Public\nMinutes:\n",
    )
    doc = parse_page(page)
    assert [(i.item, i.restricted) for i in agenda(doc)][-2:] == [("23a", False), ("24", True)]


# --- what each audience sees -------------------------------------------------------------------


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("exempt") / "bot.db"
    db = open_db(path)
    meta = PageMeta(council=COUNCIL, body="Licensing Sub-Committee", meeting_date=date(2023, 10, 2))
    results = ingest_files(db, sorted(DATA.glob("*.txt")), meta=meta)
    assert all(r.status == "ingested" for r in results), results
    db.close()
    return path


def answer_text(answer) -> str:
    return answer.text + "\n" + json.dumps(answer.as_json(), ensure_ascii=False, default=str)


QUESTIONS = [
    "what did cabinet resolve in march 2023",
    "what did the employment committee decide in june 2023",
    "what did the licensing and regulatory committee resolve in september 2023",
    "what was said about the licensing committee in september 2023",
    "tidewater holdings",
    "who is harriet quennell",
    "dominic varga",
    "overcharging complaints",
    "lantern bar",
    "redundancy costs",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_member_never_sees_exempt_minutes(db_path, question):
    db = open_db(db_path)
    try:
        answer = ask(db, question, today=TODAY)
    finally:
        db.close()
    text = answer_text(answer).lower()
    asked = [s for s in SECRETS if s.lower() in question]  # the question itself is echoed back
    assert not any(s.lower() in text for s in SECRETS if s not in asked), text
    assert not any(c.restricted for c in answer.citations)


@pytest.mark.parametrize("question", ["tidewater holdings", "dominic varga", "lantern bar", "harriet quennell"])
def test_a_word_found_only_inside_an_exempt_minute_is_not_confirmed(db_path, question):
    db = open_db(db_path)
    try:
        answer = ask(db, question, today=TODAY)
    finally:
        db.close()
    assert not answer.found
    assert "in private" not in answer.text  # naming the item would confirm the word is in it
    assert "looked for" not in answer.text  # nor may a spelling hint come from exempt words


def test_an_exempt_item_is_still_named_by_its_public_title(db_path):
    db = open_db(db_path)
    try:
        answer = ask(db, "quayside warehouse", today=TODAY)
    finally:
        db.close()
    assert "Taken in private" in answer.text and "Quayside Warehouse" in answer.text
    assert not any(s.lower() in answer.text.lower() for s in SECRETS)


def test_officers_in_private_still_get_the_exempt_minutes(db_path):
    db = open_db(db_path)
    try:
        answer = ask(db, "tidewater holdings", today=TODAY, include_restricted=True)
    finally:
        db.close()
    assert answer.found and "Tidewater" in answer.text


def test_app_home_recent_decisions_leave_out_exempt_items(db_path):
    context = Context(open_db=lambda: open_db(db_path), now=lambda: datetime(2026, 11, 22, 9, 0))
    panel = recent_decisions(Request(user_id="U1", text="", role="admin", direct=True), context)
    shown = "\n".join(s.text for s in panel.sections)
    assert "six week consultation" in shown
    assert not any(s in shown for s in SECRETS)


def test_cli_ask_without_include_exempt_quotes_none(db_path, capsys):
    code = main(["--db", str(db_path), "ask", "what did the employment committee decide in june 2023", "--json"])
    out = capsys.readouterr().out
    assert code == 0 and not any(s in out for s in SECRETS)
    code = main(["--db", str(db_path), "ask", "tidewater holdings", "--include-exempt"])
    assert code == 0 and "Tidewater" in capsys.readouterr().out


def test_an_agendas_proposed_exclusion_that_the_minute_says_was_not_needed_leaves_the_page_public():
    page = """Agenda and minutes
Planning Committee - Monday, 6th November, 2023 7.00 pm
Venue: Council Chamber, Civic Offices, Eastmoor
Items
Apologies
Minutes:
Apologies were received from Councillor Brandt.
Exempt Information - Possible Exclusion of the Press and Public
1 To identify any reports containing exempt information.
2 If so agreed, to pass the following resolution:-
RESOLVED - That the public be excluded from the meeting during consideration of those parts of the agenda designated as exempt.
No items on the agenda were considered in private.
Quarry Extension Appeal
Minutes:
Members noted the outcome of the appeal against refusal of the quarry extension.
"""
    doc = parse_page(page)
    assert not any(i.restricted for i in doc.items)
    assert "appeal against refusal" in public_text(doc)


def test_an_exclusion_that_names_its_items_restricts_those_items_only():
    page = """Agenda and minutes
Cabinet - Tuesday, 7th November, 2023 2.00 pm
Venue: Committee Room 2, Civic Offices, Eastmoor
Items
No. Item
30.
Exclusion of Press and Public
Minutes:
RESOLVED that the press and public be excluded under Section 100A(4) of the Local Government Act 1972 for the following private reports, as they involve the likely disclosure of exempt information defined in Paragraph 3 of Schedule 12A:
Minute No. Report title
44 Sale of the Old Depot
45 Leisure Contract Extension
31.
Street Lighting Upgrade pdf icon PDF 90 KB
Minutes:
RESOLVED that the upgrade of street lighting to LED be approved.
44.
Sale of the Old Depot
Minutes:
RESOLVED that the depot be sold to Tidewater Holdings Limited.
"""
    doc = parse_page(page)
    by_number = {i.item: i.restricted for i in agenda(doc) if "(after" not in i.title}
    assert by_number == {"30": False, "31": False, "44": True}
    assert "LED be approved" in public_text(doc) and "Tidewater" not in public_text(doc)
