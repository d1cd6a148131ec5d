"""A sync when the site misbehaves or the run is cut short: the pages when the web service is off, retries,
a firewall's 403, a failure that leaves the rest done, and an interrupted sync finished by running it
again. Loopback only, on a fake clock: the waits are recorded, never slept."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from moderngov_standin import (
    DEMO_TODAY,
    FakeClock,
    forbidden,
    html_instead,
    not_found,
    rate_limited,
    server_error,
    slow,
)
from sync_support import CABINET, NOW, SCRUTINY, client_for, fetched, run_sync

from knowledge.answers.ask import ask
from knowledge.calendar.meetings import list_meetings
from knowledge.models import MINUTES_CONFIRMED, MINUTES_DRAFT
from knowledge.moderngov import SyncProgress, sync_site
from knowledge.store import open_db, source_items

pytest_plugins = ["moderngov_standin", "sync_support"]


def snapshot(db) -> tuple[list, list, list]:
    """What the index and the calendar hold, without row ids or times."""
    items = db.execute(
        "SELECT s.key, i.seq, i.item, i.title, i.passages, i.markers, i.url, i.restricted FROM items i "
        "JOIN sources s ON s.id = i.source_id ORDER BY s.key, i.seq"
    ).fetchall()
    meetings = db.execute(
        "SELECT uid, body, date, time, venue, status, url FROM meetings ORDER BY uid"
    ).fetchall()
    state = db.execute(
        "SELECT meeting_id, detail_hash, minutes_status FROM moderngov_meetings ORDER BY meeting_id"
    ).fetchall()
    return items, meetings, state


# --- the pages, when the web service cannot be used ----------------------------------------------------


@pytest.mark.parametrize("fault", [html_instead(), not_found()], ids=["html-instead-of-xml", "service-off"])
def test_the_site_pages_are_read_when_the_web_service_cannot_be(moderngov_standin, db, clock, fault):
    moderngov_standin.inject("GetCommittees", fault, times=None)
    said: list[SyncProgress] = []
    summary = run_sync(moderngov_standin, db, clock, progress=said.append)
    assert summary.ok and summary.via == "pages"
    [notice] = summary.notices
    assert notice.startswith("The web service cannot be used (") and notice.endswith(
        "reading the site's pages instead."
    )
    assert "\n" not in notice and [p.text for p in said if p.stage == "notice"] == [notice]
    assert moderngov_standin.targets().count("GetCommittees") == 1  # asked once, then the pages
    assert {"mgListCommittees.aspx", "ieListMeetings.aspx", "ieListDocuments.aspx"} <= set(
        moderngov_standin.targets()
    )
    calendar = {m.date: m for m in list_meetings(db, SCRUTINY)}
    assert calendar[DEMO_TODAY - timedelta(days=32)].status == "cancelled"
    held = calendar[DEMO_TODAY - timedelta(days=4)]
    assert (held.time, held.venue) == ("19:00", "Council Chamber, Eastmoor House")
    answer = ask(db, "what did the overview and scrutiny committee resolve in January 2026", today=DEMO_TODAY)
    [cite] = answer.citations
    assert (
        cite.source == f"{moderngov_standin.base_url}/mgAi.aspx?ID=9003" and cite.status == MINUTES_CONFIRMED
    )
    march = source_items(db, f"moderngov:{summary.site}/103")
    assert {i.title: i.restricted for i in march}["Waste Collection Contract - Commercial Terms"]
    assert all(MINUTES_DRAFT in i.markers for i in march)  # "Agenda and draft minutes"
    again = run_sync(moderngov_standin, db, clock)
    assert not again.changed and again.fetched == 0


# --- retries, refusals and failures -------------------------------------------------------------------


def test_a_500_is_tried_again_after_a_back_off(moderngov_standin, db, clock):
    moderngov_standin.inject("GetMeeting", server_error(), times=1)
    summary = run_sync(moderngov_standin, db, clock)
    assert summary.ok and summary.meetings_new == 6
    assert 5.0 in clock.sleeps and moderngov_standin.targets().count("GetMeeting") == 6


def test_a_429_is_honoured_for_as_long_as_it_asks(moderngov_standin, db, clock):
    moderngov_standin.inject("GetMeetings", rate_limited(7), times=1)
    summary = run_sync(moderngov_standin, db, clock)
    assert summary.ok and 7.0 in clock.sleeps


def test_a_429_asking_too_long_fails_that_committee_and_the_rest_go_on(moderngov_standin, db, clock):
    moderngov_standin.inject("GetMeetings", rate_limited(600), times=1)
    summary = run_sync(moderngov_standin, db, clock)
    [failure] = summary.failures
    assert failure.what == SCRUTINY and "asked us to wait 600 s" in failure.reason
    assert not summary.ok and summary.committees == 2 and summary.meetings_new == 3
    assert max(clock.sleeps) <= 120  # never slept the 600 s it asked for


def test_a_firewall_403_stops_the_sync_and_is_reported_not_worked_around(moderngov_standin, db, clock):
    moderngov_standin.inject("GetMeeting", forbidden(), times=None)
    summary = run_sync(moderngov_standin, db, clock)
    assert "refused the bot (HTTP 403)" in summary.stopped and "will not try to get round" in summary.stopped
    assert "\n" not in summary.stopped and not summary.ok
    assert moderngov_standin.targets().count("GetMeeting") == 1  # one refusal, no retries, no tricks
    agents = {r.headers.get("User-Agent") for r in moderngov_standin.requests}
    assert len(agents) == 1 and agents.pop().startswith("scrutiny-bot/")
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 0


def test_a_meeting_that_keeps_failing_is_reported_and_the_others_are_stored(moderngov_standin, db, clock):
    moderngov_standin.inject("GetMeeting", server_error(), times=4)  # the first meeting's four tries
    summary = run_sync(moderngov_standin, db, clock)
    [failure] = summary.failures
    assert failure.what == f"{SCRUTINY}, 12 March 2026" and "HTTP 500 on 4 tries" in failure.reason
    assert summary.meetings_new == 5 and sorted(clock.sleeps, reverse=True)[:3] == [20.0, 10.0, 5.0]
    retry = run_sync(moderngov_standin, db, clock)  # next time, only what is missing is fetched
    assert retry.ok and retry.meetings_new == 1 and retry.fetched == 1


def test_a_slow_meeting_times_out_and_is_reported(moderngov_standin, db, clock):
    moderngov_standin.inject("GetMeeting", slow(30), times=1)
    client = client_for(moderngov_standin, clock, timeout=0.2, retries=0)
    summary = sync_site(db, client, now=NOW, committees=["cabinet"])
    [failure] = summary.failures
    assert "no answer within 0.2 s" in failure.reason and summary.meetings_new == 1


# --- cut short ----------------------------------------------------------------------------------------


def test_an_interrupted_sync_is_finished_by_running_it_again(moderngov_standin, db, clock, tmp_path):
    def interrupt(p: SyncProgress) -> None:
        if p.stage == "meeting" and p.done == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sync(moderngov_standin, db, clock, progress=interrupt)
    assert db.execute("SELECT count(*) FROM moderngov_meetings").fetchone()[0] == 3
    n = len(moderngov_standin.requests)
    summary = run_sync(moderngov_standin, db, clock)
    assert summary.ok and summary.meetings_new == 3 and summary.meetings_unchanged == 3
    assert sorted(fetched(moderngov_standin, n)) == ["104", "105", "106"]  # only what was not stored
    fresh = open_db(tmp_path / "fresh.db")
    try:
        run_sync(moderngov_standin, fresh, FakeClock())
        assert snapshot(db) == snapshot(fresh)
    finally:
        fresh.close()


def test_a_failure_inside_a_meetings_transaction_leaves_none_of_it(moderngov_standin, db, clock):
    db.execute(
        "CREATE TRIGGER disk_full BEFORE INSERT ON moderngov_meetings WHEN NEW.meeting_id = 104 "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="disk is full"):
        run_sync(moderngov_standin, db, clock)
    site = moderngov_standin.base_url.split("//")[1]
    assert source_items(db, f"moderngov:{site}/104") == []  # its items were written, then rolled back
    # and its calendar entry with them (the next cabinet, synced before it, newest first, stays)
    assert [m.date for m in list_meetings(db, CABINET)] == [DEMO_TODAY + timedelta(days=10)]
    assert len(source_items(db, f"moderngov:{site}/103")) == 6  # meetings before it stay whole
    db.execute("DROP TRIGGER disk_full")
    summary = run_sync(moderngov_standin, db, clock)
    assert summary.ok and len(source_items(db, f"moderngov:{site}/104")) == 2


def test_the_stand_in_takes_faults_by_hand():
    import argparse

    from moderngov_standin import parse_fault

    target, fault, times = parse_fault("GetMeeting=500x2")
    assert (target, fault.status, times) == ("GetMeeting", 500, 2)
    target, fault, times = parse_fault("GetCommittees=html")
    assert (target, fault.status, fault.body is not None, times) == ("GetCommittees", 200, True, None)
    assert dict(parse_fault("GetMeetings=429")[1].headers) == {"Retry-After": "7"}
    with pytest.raises(argparse.ArgumentTypeError, match="TARGET=KIND"):
        parse_fault("GetMeeting=teapot")
