"""The recommendations tracker: recommendations in the minutes become tracked items that keep their status
through re-ingests, officers and clerks record responses, and members ask what is still open."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bot.cli import main
from knowledge.answers.ask import ask
from knowledge.minutes.recs import (
    SyncResult,
    find_recommendation,
    list_recommendations,
    open_recommendations,
    read_rec_status,
    set_rec_status,
    sync_recommendations,
)
from knowledge.models import ParsedItem, Passage, UserError
from knowledge.plans.status import PermissionDenied
from knowledge.store import delete_source, open_db, replace_source

NOW = datetime(2023, 3, 1, 10, 0, tzinfo=timezone.utc)  # noqa: UP017 - explicit for readers
SCRUTINY = "Children and Young People Scrutiny Committee"


def item(texts: list[str], *, title: str = "Improvement action plan", day: date = date(2022, 12, 13),
         restricted: bool = False, number: str = "41") -> ParsedItem:  # fmt: skip
    passages = [Passage("narrative", "Members discussed the plan.")]
    passages += [Passage("recommendation", t, label) for label, t in zip("abc", texts, strict=False)]
    passages.append(Passage("action", "The scrutiny officer to add a review to the work programme.", "1"))
    return ParsedItem(title=title, council="Northbridge Borough Council", body=SCRUTINY, meeting_date=day,
                      item=number, passages=passages, url="https://example.gov.uk/mgAi?ID=41", restricted=restricted)  # fmt: skip


TEXTS = ["Cabinet name a lead officer for every action", "SEND measures be added by March 2023"]


@pytest.fixture
def db():
    database = open_db(":memory:")
    with database.conn:
        replace_source(database, "scrutiny-2022-12-13", [item(TEXTS)])
    yield database
    database.close()


def test_recommendations_in_the_minutes_become_tracked_items(db):
    result = sync_recommendations(db)
    assert (result.added, result.reworded, result.missing) == (2, 0, 0)
    recs = list_recommendations(db)
    assert [(r.ref, r.label, r.text, r.status) for r in recs] == [
        ("R1", "a", TEXTS[0], "awaiting response"), ("R2", "b", TEXTS[1], "awaiting response")]  # fmt: skip
    assert recs[0].body == SCRUTINY and recs[0].meeting_date == date(2022, 12, 13) and recs[0].item == "41"
    cite = recs[0].citation()
    assert cite.quote == TEXTS[0] and cite.title == "Improvement action plan (recommendation a)"


def test_re_ingesting_never_duplicates_or_loses_a_status(db):
    sync_recommendations(db)
    set_rec_status(
        db, "R1", "accepted", "Cabinet agreed on 15 December", user_id="U1", role="officer", now=NOW
    )
    with db.conn:
        replace_source(db, "scrutiny-2022-12-13", [item(TEXTS)])  # the same page again
    assert sync_recommendations(db).added == 0
    reworded = [TEXTS[0] + ".", TEXTS[1]]  # a corrected full stop
    with db.conn:
        replace_source(db, "scrutiny-2022-12-13", [item(reworded)])
    result = sync_recommendations(db)
    assert (result.added, result.reworded) == (0, 1)
    [first, _] = list_recommendations(db)
    assert (
        first.status == "accepted"
        and first.text == reworded[0]
        and first.response.startswith("Cabinet agreed")
    )


def test_a_recommendation_published_on_two_pages_is_tracked_once(db):
    with db.conn:
        replace_source(db, "issue-page-41", [item(TEXTS)])
    sync_recommendations(db)
    assert len(list_recommendations(db)) == 2


def test_a_sync_reads_only_the_pages_changed_since_the_last(db):
    assert sync_recommendations(db).added == 2
    assert sync_recommendations(db) == SyncResult(0, 0, 0)  # nothing changed since
    set_rec_status(db, "R1", "accepted", "", user_id="U1", role="officer", now=NOW)
    with db.conn:  # another meeting's page, and the first page published again at another address
        replace_source(
            db, "scrutiny-2023-01-10", [item(["Publish the sufficiency strategy"], day=date(2023, 1, 10))]
        )
        replace_source(db, "issue-page-41", [item(TEXTS)])
    assert sync_recommendations(db) == SyncResult(1, 0, 0)
    assert [(r.text, r.status) for r in list_recommendations(db)] == [
        (TEXTS[0], "accepted"), (TEXTS[1], "awaiting response"), ("Publish the sufficiency strategy", "awaiting response")]  # fmt: skip


def test_removed_minutes_hide_a_recommendation_and_restoring_them_brings_it_back(db):
    sync_recommendations(db)
    set_rec_status(db, 2, "rejected", "", user_id="U1", role="clerk", now=NOW)
    with db.conn:
        delete_source(db, "scrutiny-2022-12-13")
    assert sync_recommendations(db).missing == 2 and list_recommendations(db) == []
    with db.conn:
        replace_source(db, "scrutiny-2022-12-13", [item(TEXTS)])
    sync_recommendations(db)
    assert [r.status for r in list_recommendations(db)] == ["awaiting response", "rejected"]


def test_exempt_items_are_not_tracked(db):
    with db.conn:
        replace_source(db, "part-2", [item(["Sell the land"], title="Land", number="50", restricted=True)])
    sync_recommendations(db)
    assert all(r.text != "Sell the land" for r in list_recommendations(db))


@pytest.mark.parametrize("role", ["officer", "clerk", "admin"])
def test_officers_clerks_and_admins_record_responses(db, role):
    sync_recommendations(db)
    rec = set_rec_status(db, "R2", "partly accepted", "Only for new plans", user_id="U1", role=role, now=NOW,
                         user_name="Cleo Clerk")  # fmt: skip
    assert (rec.status, rec.response, rec.response_date) == (
        "partly accepted",
        "Only for new plans",
        date(2023, 3, 1),
    )
    row = db.execute("SELECT previous_status, new_status, by, by_name FROM recommendation_updates").fetchone()
    assert tuple(row) == ("awaiting response", "partly accepted", "U1", "Cleo Clerk")


@pytest.mark.parametrize("role", ["member", ""])
def test_members_may_not_record_responses(db, role):
    sync_recommendations(db)
    with pytest.raises(PermissionDenied, match="only officers, clerks and admins"):
        set_rec_status(db, "R1", "accepted", "", user_id="U9", role=role, now=NOW)
    assert find_recommendation(db, "R1").status == "awaiting response"


@pytest.mark.parametrize(
    ("text", "status", "rest"),
    [("accepted Cabinet agreed", "accepted", "Cabinet agreed"), ("Partly accepted (a) only", "partly accepted", "(a) only"),
     ("partially-accepted", "partly accepted", ""), ("REJECTED: no money", "rejected", "no money"),
     ("acepted by cabinet", "accepted", "by cabinet"), ("implemented", "implemented", "")],
)  # fmt: skip
def test_statuses_are_read_loosely(text, status, rest):
    assert read_rec_status(text) == (status, rest)


def test_an_unknown_status_or_reference(db):
    sync_recommendations(db)
    with pytest.raises(UserError, match="Say the status"):
        read_rec_status("maybe later")
    with pytest.raises(UserError, match="not a status"):
        set_rec_status(db, "R1", "maybe", "", user_id="U1", role="officer", now=NOW)
    with pytest.raises(UserError, match="no recommendation R99"):
        find_recommendation(db, "R99")
    assert find_recommendation(db, "#2").ref == find_recommendation(db, 2).ref == "R2"


def test_no_response_after_two_months_is_flagged(db):
    sync_recommendations(db)
    rec = find_recommendation(db, "R1")
    assert not rec.response_overdue(date(2023, 2, 13)) and rec.response_overdue(date(2023, 2, 14))
    set_rec_status(db, "R1", "accepted", "", user_id="U1", role="officer", now=NOW)
    assert not find_recommendation(db, "R1").response_overdue(date(2024, 1, 1))
    set_rec_status(db, "R2", "implemented", "", user_id="U1", role="officer", now=NOW)
    assert [r.ref for r in open_recommendations(db, date(2024, 1, 1))] == ["R1"]


def test_members_ask_which_recommendations_are_still_open(db):
    sync_recommendations(db)  # as every ingest does
    answer = ask(db, "which of our recommendations are still open?", today=date(2023, 3, 1))
    assert answer.found and answer.intent == "recommendations"
    assert answer.text.startswith("2 of the 2 recommendations I track are still open. 2 have had no response")
    assert [c.quote for c in answer.citations] == TEXTS
    set_rec_status(db, "R1", "implemented", "Done", user_id="U1", role="officer", now=NOW)
    assert [c.quote for c in ask(db, "which recommendations are still open", today=date(2023, 3, 1)).citations] == [
        TEXTS[1]]  # fmt: skip
    rejected = ask(db, "which recommendations were rejected?", today=date(2023, 3, 1))
    assert not rejected.found and "None of the 2 recommendations I track is rejected" in rejected.text
    minutes = ask(db, "what did the scrutiny committee recommend?", today=date(2023, 3, 1))
    assert minutes.intent == "recommendations" and minutes.citations[0].item == "41"  # the minutes answerer


def test_a_recommendations_question_about_a_topic_gets_the_recommendations_about_it(db):
    sync_recommendations(db)
    send = ask(db, "which SEND recommendations are still open?", today=date(2023, 3, 1))
    assert send.found and [c.quote for c in send.citations] == [TEXTS[1]]
    # nothing tracked is about the task group: the minutes answer, not the tracker
    other = ask(db, "what happens with the cabinet's response to the task group recs on libraries?",
                today=date(2023, 3, 1))  # fmt: skip
    assert "recommendations I track" not in other.text


def test_the_sample_council_has_recommendations_to_track():
    from knowledge.minutes.ingest import load_sample

    db = open_db(":memory:")
    load_sample(db, today=date(2025, 11, 22))
    recs = list_recommendations(db)
    assert len(recs) == 7 and {r.body for r in recs} >= {SCRUTINY}
    assert any("SEND" in r.text for r in recs)


def test_the_command_line_lists_open_recommendations(tmp_path: Path, capsys):
    path = tmp_path / "recs.db"
    db = open_db(path)
    with db.conn:
        replace_source(db, "scrutiny", [item(TEXTS)])
    db.close()
    assert main(["--db", str(path), "recs", "--open", "--today", "2023-03-01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0]
        == f"R1\tawaiting response (no response after two months)\t{SCRUTINY}, 2022-12-13: a) {TEXTS[0]}"
    )


def test_with_nothing_tracked_the_question_goes_to_the_minutes_and_writes_nothing(db):
    answer = ask(db, "which of our recommendations are still open?", today=date(2023, 3, 1))
    assert "I track no recommendations" not in answer.text
    assert db.execute("SELECT count(*) FROM recommendations").fetchone()[0] == 0  # asking never writes
