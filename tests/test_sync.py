"""``sync_site`` against the stand-in ModernGov site: the index, the calendar, draft or confirmed, exempt
items, and syncing again only what changed. Loopback only, on a fake clock: nothing sleeps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from moderngov_standin import DEMO_TODAY, EXEMPT, SiteItem, demo_site
from sync_support import AUDIT, CABINET, COUNCIL, NOW, SCRUTINY, TOMORROW, fetched, run_sync

from bot.notifiers import RecordingNotifier
from bot.scheduler import run_tick
from knowledge.answers.ask import ask
from knowledge.calendar.meetings import list_meetings, next_meeting
from knowledge.calendar.recurrence import LONDON
from knowledge.calendar.reminders import BodyReminders, ReminderSettings, occurrences
from knowledge.models import MINUTES_CONFIRMED, MINUTES_DRAFT, UserError
from knowledge.moderngov.approvals import BodyMeeting, approvals_in, minutes_status_of
from knowledge.moderngov.indexing import attendance_passages, calendar_status
from knowledge.moderngov.records import Attendee
from knowledge.store import open_db, source_items

pytest_plugins = ["moderngov_standin", "sync_support"]

REMINDERS = ReminderSettings(bodies={CABINET: BodyReminders(channel="C0CABINET")}, clerks=())


def items_of(db, meeting_id: int, site) -> list:
    return source_items(db, f"moderngov:{site.base_url.split('//')[1]}/{meeting_id}")


def item_ids(db) -> dict[str, list[tuple[int, str]]]:
    """Each page's items (id, and what they hold): a page stored again with other text shows here."""
    rows = db.execute("SELECT s.key, i.id, s.sha256 FROM items i JOIN sources s ON s.id = i.source_id ORDER BY i.id")
    found: dict[str, list[tuple[int, str]]] = {}
    for key, ident, sha in rows.fetchall():
        found.setdefault(key, []).append((ident, sha))
    return found


# --- a first sync -------------------------------------------------------------------------------------


def test_a_first_sync_fills_the_index_and_the_calendar(moderngov_standin, db, clock):
    summary = run_sync(moderngov_standin, db, clock)
    assert summary.ok and summary.via == "service"
    # the expired panel and the deleted sub-committee are left alone; the meeting 400 days ago is outside
    assert (summary.committees, summary.meetings, summary.meetings_new, summary.cancelled) == (3, 6, 6, 1)
    assert summary.items_new == 15 and summary.changed
    assert moderngov_standin.targets().count("GetMeetings") == 3
    assert sorted(fetched(moderngov_standin)) == ["101", "103", "104", "105", "106"]  # not the cancelled one
    assert set(clock.sleeps) == {1.0}  # spaced a second apart, never more
    calendar = {(m.body, m.date): m for m in list_meetings(db)}
    cancelled = calendar[(SCRUTINY, DEMO_TODAY - timedelta(days=32))]
    assert cancelled.status == "cancelled" and cancelled.council == COUNCIL
    cabinet = calendar[(CABINET, DEMO_TODAY - timedelta(days=20))]
    assert (cabinet.time, cabinet.venue, cabinet.status) == (
        "10:00",
        "Council Chamber, Eastmoor House",
        "confirmed",
    )
    assert cabinet.url == f"{moderngov_standin.base_url}/ieListDocuments.aspx?CId=20&MId=104"
    assert next_meeting(db, "cabinet", DEMO_TODAY).date == DEMO_TODAY + timedelta(days=10)
    assert len(calendar) == 6 and {m.source for m in list_meetings(db)} == {f"ModernGov {summary.site}"}


def test_items_carry_their_number_title_minute_link_and_flags(moderngov_standin, db, clock):
    run_sync(moderngov_standin, db, clock)
    details, item = items_of(db, 104, moderngov_standin)
    assert details.title == "Meeting details"
    assert (item.item, item.title, item.body, item.council) == (
        "23/5",
        "Town Centre Car Parking Charges",
        CABINET,
        COUNCIL,
    )
    assert item.url == f"{moderngov_standin.base_url}/mgAi.aspx?ID=9021"
    assert [(p.kind, p.text) for p in item.passages] == [
        ("resolution", "That the revised charges be approved from 1 April.")
    ]
    assert item.markers == ["decision", "subject to call-in", MINUTES_DRAFT]
    leisure = items_of(db, 101, moderngov_standin)[3]
    assert [p.kind for p in leisure.passages] == ["purpose", "resolution", "narrative"]
    assert "Leisure & Culture" in leisure.passages[0].text  # the double escaping undone once, and only once
    agenda = items_of(db, 105, moderngov_standin)[-1]
    assert "minutes to follow" in agenda.markers and agenda.passages[0].kind == "purpose"


def test_minutes_the_site_flags_unpublished_are_not_indexed(moderngov_standin, db, clock):
    cabinet = moderngov_standin.site.meeting(104)
    cabinet.minutes_published = False
    cabinet.items[0].minute_published = False  # the text is there, but the council has not published it
    run_sync(moderngov_standin, db, clock)
    item = items_of(db, 104, moderngov_standin)[-1]
    assert item.passages == [] and "minutes to follow" in item.markers and MINUTES_DRAFT not in item.markers


def test_status_markers_are_stored_but_never_searched(moderngov_standin, db, clock):
    run_sync(moderngov_standin, db, clock)
    assert db.execute("SELECT count(*) FROM items WHERE markers LIKE '%draft minutes%'").fetchone()[0] > 0
    for word in ("draft", "confirmed", "decision"):
        assert db.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?", [word]).fetchone()[0] == 0


def test_attendees_become_meeting_details_the_fact_answers_read(moderngov_standin, db, clock):
    run_sync(moderngov_standin, db, clock)
    details = items_of(db, 103, moderngov_standin)[0]
    assert [p.text for p in details.passages] == [
        "Venue: Council Chamber, Eastmoor House",
        "Time: 7.00 pm",
        "Present: Councillor Ada Pennick (Chair), Councillor Ravi Okafor (Vice-Chair) and Councillor Sam Treharne "
        "(substitute).",
        "Councillor Sam Treharne attended as substitute.",
        "Apologies: Councillor Jo Whitlock.",
    ]
    answer = ask(db, "who substituted at the overview and scrutiny committee in march 2026", today=DEMO_TODAY)
    assert answer.found and "Sam Treharne attended as substitute" in answer.text
    answer = ask(
        db, "who sent apologies to the overview and scrutiny committee in March 2026", today=DEMO_TODAY
    )
    assert "Apologies: Councillor Jo Whitlock." in answer.text


def test_attendance_in_its_other_words():
    said = attendance_passages([
        Attendee("Cllr A", "Committee Member", "Present"), Attendee("Cllr B", "Member", "Expected"),
        Attendee("Cllr C", "Chair", "Apologies, sent substitute"), Attendee("Ms D", "Officer", "In attendance"),
        Attendee("Cllr E", "Committee Member", "Absent"), Attendee("Cllr F", "Committee Member", "Virtual"),
        Attendee("Cllr G", "Committee Member", "Present, as expected"),
    ])  # fmt: skip
    assert [p.text for p in said] == [
        "Present: Cllr A, Cllr F and Cllr G.",
        "Apologies: Cllr C (a substitute attended).",
        "Absent: Cllr E.",
        "In attendance: Ms D (Officer).",
    ]


@pytest.mark.parametrize(
    ("text", "status"),
    [("Confirmed", "confirmed"), ("Cancelled", "cancelled"), ("CANCELLED - no business", "cancelled"),
     ("Postponed", "postponed"), ("Rescheduled", "moved"), ("Provisional", "tentative"), ("", "confirmed")],
)  # fmt: skip
def test_moderngov_statuses_in_the_calendars_words(text, status):
    assert calendar_status(text) == status


# --- answers ------------------------------------------------------------------------------------------


def test_asking_afterwards_cites_the_synced_minutes_with_links_and_their_status(moderngov_standin, db, clock):
    run_sync(moderngov_standin, db, clock)
    answer = ask(db, "what did cabinet resolve in February 2026", today=DEMO_TODAY)
    assert answer.found
    [cite] = answer.citations
    assert cite.source == f"{moderngov_standin.base_url}/mgAi.aspx?ID=9021" and cite.status == MINUTES_DRAFT
    assert cite.as_json()["status"] == "draft minutes"
    assert (
        "Cabinet, 24 February 2026, item 23/5: Town Centre Car Parking Charges (draft minutes)" in answer.text
    )
    assert f"Source: {moderngov_standin.base_url}/mgAi.aspx?ID=9021" in answer.text
    meeting_page = f"{moderngov_standin.base_url}/ieListDocuments.aspx?CId=20&MId=104"
    assert f"Meeting page: {meeting_page}" in answer.text and cite.page == meeting_page
    # approved as a correct record at the committee's next meeting
    answer = ask(db, "what did the overview and scrutiny committee resolve in January 2026", today=DEMO_TODAY)
    assert [c.status for c in answer.citations] == [MINUTES_CONFIRMED]
    assert "item 3: Leisure Centre Contract Review (confirmed minutes)" in answer.text


def test_app_home_says_draft_or_confirmed_and_shows_the_synced_calendar(
    moderngov_standin, db, clock, tmp_path
):
    from handlers.context import Context
    from handlers.home import recent_decisions, upcoming_meetings
    from handlers.messages import Request

    run_sync(moderngov_standin, db, clock)
    path = tmp_path / "sync.db"
    context = Context(open_db=lambda: open_db(path), now=lambda: NOW)
    labels = [s.heading for s in recent_decisions(Request(user_id="U1", text=""), context).sections]
    assert (
        f"{COUNCIL}, Cabinet, 24 February 2026, item 23/5: Town Centre Car Parking Charges (draft minutes)"
        in labels
    )
    assert any(label.endswith("(confirmed minutes)") for label in labels)
    assert not any("Waste Collection" in label for label in labels)  # never an exempt item
    [coming] = upcoming_meetings(Request(user_id="U1", text=""), context).sections
    assert coming.text.startswith("Cabinet: Thu 26 March 2026, 19:00, Council Chamber, Eastmoor House")


def test_a_restricted_item_is_exempt_and_never_quoted_to_a_member(moderngov_standin, db, clock):
    moderngov_standin.site.meeting(104).items.append(
        SiteItem(
            9022, "23/6", "Depot Disposal", minute_html="<p>RESOLVED: That the depot be sold to Bidder X.</p>"
        )
    )
    moderngov_standin.site.meeting(104).items[-1].display_allowed = False
    run_sync(moderngov_standin, db, clock)
    waste = items_of(db, 103, moderngov_standin)[-1]
    assert waste.restricted and f"exempt: {EXEMPT}" in waste.markers
    assert items_of(db, 104, moderngov_standin)[-1].restricted  # not displayable: held exempt too
    for question in (
        "what was decided about the waste collection contract",
        "what did cabinet resolve in February 2026",
    ):
        answer = ask(db, question, today=DEMO_TODAY)
        assert "exempt report" not in answer.text and "Bidder X" not in answer.text
    answer = ask(db, "what was decided about the waste collection contract", today=DEMO_TODAY)
    assert "Taken in private" in answer.text and "Waste Collection Contract" in answer.text
    discussed = "what did the overview and scrutiny committee discuss in March 2026"
    assert "exempt report" not in ask(db, discussed, today=DEMO_TODAY).text
    officer = ask(db, discussed, today=DEMO_TODAY, include_restricted=True)  # an officer in private
    assert "considered the exempt report" in officer.text


# --- draft or confirmed -------------------------------------------------------------------------------


def test_approvals_in_the_words_minutes_use():
    assert approvals_in(
        "Minutes", "RESOLVED: That the minutes of the previous meeting be approved as a correct record."
    )[0].previous
    assert approvals_in("Minutes of the last meeting", "The minutes were agreed and signed by the Chair.")[
        0
    ].previous
    dated = approvals_in(
        "Minutes", "To approve the minutes of the meeting held on 25 November 2025 as a correct record."
    )
    assert dated and not dated[0].previous
    assert (
        approvals_in("Minutes", "The minutes of the meeting held on 3 March were not approved; deferred.")
        == []
    )
    assert approvals_in("Health Board minutes", "The minutes of the Health Board were noted.") == []
    assert approvals_in("Budget", "The budget was approved.") == []


def test_draft_until_a_later_meeting_of_the_body_approves_them():
    day = DEMO_TODAY
    first = BodyMeeting(1, day - timedelta(days=60), False, True, None, ())
    called_off = BodyMeeting(2, day - timedelta(days=30), True, False, None, ())
    later = BodyMeeting(
        3, day, False, True, None, approvals_in("Minutes", "The minutes of the last meeting were approved.")
    )
    assert minutes_status_of(first, [first]) == MINUTES_DRAFT
    assert minutes_status_of(first, [first, called_off, later]) == MINUTES_CONFIRMED  # the last one held
    assert minutes_status_of(later, [first, called_off, later]) == MINUTES_DRAFT
    assert minutes_status_of(called_off, [first, called_off, later]) == ""  # no minutes
    final = BodyMeeting(4, day, False, True, False, ())  # the site itself calls them minutes, not draft
    assert minutes_status_of(final, [final]) == MINUTES_CONFIRMED


def test_minutes_become_confirmed_when_the_approving_meeting_is_synced_later(moderngov_standin, db, clock):
    early = run_sync(moderngov_standin, db, clock, until=DEMO_TODAY - timedelta(days=10))
    assert early.confirmed == 0
    assert {i.title: i.markers[-1] for i in items_of(db, 101, moderngov_standin)}[
        "Work Programme"
    ] == MINUTES_DRAFT
    n = len(moderngov_standin.requests)
    later = run_sync(moderngov_standin, db, clock, now=NOW + timedelta(hours=1))
    assert later.confirmed == 1 and "101" not in fetched(moderngov_standin, n)  # settled from what is held
    assert all(MINUTES_CONFIRMED in i.markers for i in items_of(db, 101, moderngov_standin))
    assert all(MINUTES_DRAFT in i.markers for i in items_of(db, 103, moderngov_standin))


# --- syncing again ------------------------------------------------------------------------------------


def test_a_second_sync_fetches_the_lists_only_and_changes_nothing(moderngov_standin, db, clock):
    run_sync(moderngov_standin, db, clock)
    before = (item_ids(db), list(db.query("SELECT * FROM meetings ORDER BY uid")))
    n = len(moderngov_standin.requests)
    again = run_sync(moderngov_standin, db, clock)
    assert moderngov_standin.targets()[n:] == ["GetCommittees", "GetMeetings", "GetMeetings", "GetMeetings"]
    assert not again.changed and again.ok and again.fetched == 0
    assert (again.meetings_unchanged, again.items_unchanged, again.items_new) == (6, 15, 0)
    assert (item_ids(db), list(db.query("SELECT * FROM meetings ORDER BY uid"))) == before


def test_a_day_later_unconfirmed_meetings_are_fetched_again_and_only_a_changed_one_reindexed(
    moderngov_standin, db, clock
):
    run_sync(moderngov_standin, db, clock)
    before = item_ids(db)
    moderngov_standin.site.meeting(104).items[
        0
    ].minute_html = "<p>RESOLVED: That the revised charges be approved from 1 May.</p>"
    n = len(moderngov_standin.requests)
    again = run_sync(moderngov_standin, db, clock, now=TOMORROW)
    # confirmed minutes (the January meeting's) are settled: not fetched again unless the listing changes
    assert sorted(fetched(moderngov_standin, n)) == ["103", "104", "105", "106"]
    assert (again.meetings_changed, again.meetings_unchanged, again.items_changed, again.items_unchanged) == (
        1,
        5,
        1,
        14,
    )
    after = item_ids(db)
    changed = [k for k in after if after[k] != before[k]]
    assert changed == [f"moderngov:{again.site}/104"]
    answer = ask(db, "what did cabinet resolve in February 2026", today=DEMO_TODAY)
    assert "from 1 May" in answer.text and "1 April" not in answer.text


def test_a_meeting_cancelled_on_the_site_is_cancelled_here_and_sends_no_reminder(
    moderngov_standin, db, clock
):
    run_sync(moderngov_standin, db, clock)
    meeting_day = DEMO_TODAY + timedelta(days=10)
    start = NOW.replace(hour=0, minute=0)
    coming = [o for o in occurrences(db, start, start + timedelta(days=14), REMINDERS) if o.kind == "meeting"]
    assert {o.due_at.date() for o in coming} == {
        meeting_day - timedelta(days=7),
        meeting_day - timedelta(days=1),
    }
    due_at = min(o.due_at for o in coming)
    moderngov_standin.site.meeting(105).status = "Cancelled"
    summary = run_sync(moderngov_standin, db, clock, now=NOW + timedelta(hours=1))
    assert (
        summary.cancelled == 1
        and summary.meetings_changed == 1
        and "105" not in fetched(moderngov_standin)[5:]
    )
    [cabinet] = [m for m in list_meetings(db, CABINET) if m.date == meeting_day]
    assert cabinet.status == "cancelled"
    assert items_of(db, 105, moderngov_standin) == []  # its agenda is no longer on any meeting's page
    notifier = RecordingNotifier()
    tick = run_tick(
        lambda: open_db(db.conn.execute("PRAGMA database_list").fetchone()[2]), due_at, notifier, REMINDERS
    )
    assert tick.sent == () and notifier.sent == []
    assert next_meeting(db, CABINET, DEMO_TODAY) is None


def test_a_meeting_moved_on_the_site_moves_here_with_its_reminders(moderngov_standin, db, clock):
    run_sync(moderngov_standin, db, clock)
    moved_to = DEMO_TODAY + timedelta(days=11)  # from Thursday 26 to Friday 27 March
    moderngov_standin.site.meeting(105).date = moved_to
    summary = run_sync(moderngov_standin, db, clock, now=NOW + timedelta(hours=1))
    assert summary.moved == 1 and summary.meetings_changed == 1
    assert [m.date for m in list_meetings(db, CABINET) if m.date > DEMO_TODAY] == [moved_to]
    start = NOW.replace(hour=0, minute=0)
    coming = [o for o in occurrences(db, start, start + timedelta(days=14), REMINDERS) if o.kind == "meeting"]
    assert {o.due_at.date() for o in coming} == {moved_to - timedelta(days=7), moved_to - timedelta(days=1)}
    assert {i.meeting_date for i in items_of(db, 105, moderngov_standin)} == {moved_to}


def test_a_meeting_gone_from_the_site_leaves_the_index_and_the_calendar(moderngov_standin, db, clock):
    run_sync(moderngov_standin, db, clock)
    moderngov_standin.site.meetings = [m for m in moderngov_standin.site.meetings if m.id != 104]
    summary = run_sync(moderngov_standin, db, clock, now=NOW + timedelta(hours=1))
    assert summary.ok and summary.meetings_removed == 1 and summary.items_removed == 2
    assert items_of(db, 104, moderngov_standin) == []
    assert [m.status for m in list_meetings(db, CABINET) if m.date < DEMO_TODAY] == ["cancelled"]
    assert any("no longer on the site" in n for n in summary.notices)


# --- the window and the committees ---------------------------------------------------------------------


def test_the_window_is_filtered_here_when_the_site_ignores_it(moderngov_standin, db, clock):
    moderngov_standin.site.ignore_window = True
    summary = run_sync(moderngov_standin, db, clock)
    assert summary.meetings == 6 and "107" not in fetched(moderngov_standin)


def test_a_first_full_sync_with_since_and_the_older_meetings_relisted_now_and_then(
    moderngov_standin, db, clock
):
    summary = run_sync(moderngov_standin, db, clock, since=DEMO_TODAY - timedelta(days=500))
    assert summary.committees == 4 and "107" in fetched(moderngov_standin)  # the expired panel is listed too
    n = len(moderngov_standin.requests)
    run_sync(moderngov_standin, db, clock, now=TOMORROW)
    windows = {r.query["sFromDate"] for r in moderngov_standin.requests[n:] if r.target == "GetMeetings"}
    assert windows == {(TOMORROW.date() - timedelta(weeks=8)).strftime("%d/%m/%Y")}
    n = len(moderngov_standin.requests)
    run_sync(moderngov_standin, db, clock, now=NOW + timedelta(days=29))
    windows = {r.query["sFromDate"] for r in moderngov_standin.requests[n:] if r.target == "GetMeetings"}
    assert windows == {(DEMO_TODAY - timedelta(days=400)).strftime("%d/%m/%Y")}  # the oldest meeting held


def test_committees_are_chosen_by_name_typo_or_id(moderngov_standin, db, clock):
    summary = run_sync(moderngov_standin, db, clock, committees=["cabinet", "30"])
    assert summary.committees == 2 and {m.body for m in list_meetings(db)} == {CABINET, AUDIT}
    with pytest.raises(UserError, match="did you mean Audit and Governance Committee"):
        run_sync(moderngov_standin, db, clock, committees=["Audit and Governence"])
    with pytest.raises(UserError, match="no committee called 'Planning'"):
        run_sync(moderngov_standin, db, clock, committees=["Planning"])


def test_minutes_escaped_twice_read_the_same(db, clock, tmp_path):
    from moderngov_standin import ModernGovStandIn

    with ModernGovStandIn(demo_site()) as plain, ModernGovStandIn(demo_site()) as twice:
        twice.site.double_escape = True
        other = open_db(tmp_path / "other.db")
        try:
            run_sync(plain, db, clock)
            run_sync(twice, other, clock)
            a = [(i.title, i.passages) for i in items_of(db, 101, plain)]
            b = [(i.title, i.passages) for i in items_of(other, 101, twice)]
        finally:
            other.close()
    assert a == b and a


def test_now_must_say_its_time_zone(moderngov_standin, db, clock):
    with pytest.raises(ValueError, match="aware"):
        run_sync(moderngov_standin, db, clock, now=NOW.replace(tzinfo=None))
    assert NOW.tzinfo is LONDON
