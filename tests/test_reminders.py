"""Reminders: occurrences derived from meetings, deadlines, actions and clerks' reminders, and sending
each once through restarts, repeated ticks and two schedulers on one database. No test sleeps:
every time is an argument."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from reminder_support import (
    CABINET_CHANNEL,
    CLERK,
    MEETINGS_ONLY,
    OFFICER,
    SECOND_CLERK,
    SETTINGS,
    db_with,
    london,
    meeting,
    opener,
)

from bot.notifiers import RecordingNotifier
from bot.scheduler import run_tick
from knowledge.calendar import reminders as reminders_module
from knowledge.calendar.action_reminders import action_occurrences
from knowledge.calendar.custom_reminders import add_reminder
from knowledge.calendar.meetings import import_meetings
from knowledge.calendar.reminders import (
    BodyReminders,
    Occurrence,
    ReminderSettings,
    claim,
    due,
    occurrences,
    send_log,
)
from knowledge.models import ParsedItem, Passage
from knowledge.store import open_db, replace_source


def _at(found: list[Occurrence], kind: str | None = None) -> list[str]:
    return [o.as_json()["at"] for o in found if kind is None or o.kind == kind]


def _window(path: Path, start, end, settings: ReminderSettings = MEETINGS_ONLY) -> list[Occurrence]:
    db = open_db(path)
    try:
        return occurrences(db, start, end, settings)
    finally:
        db.close()


def test_public_names_exist() -> None:
    for name in reminders_module.__all__:
        assert hasattr(reminders_module, name), name


# --- when: summer time, weekends, bank holidays -----------------------------------------------


def test_nine_oclock_stays_nine_across_the_spring_change(tmp_path: Path) -> None:
    # Clocks go forward on Sunday 29 March 2026: 7 days before is GMT, 1 working day before is BST.
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 4, 2)))
    found = _window(path, london(2026, 3, 20), london(2026, 4, 3))
    assert _at(found) == ["2026-03-26T09:00:00+00:00", "2026-04-01T09:00:00+01:00"]
    assert [o.due_at.astimezone(UTC).hour for o in found] == [9, 8]


def test_nine_oclock_stays_nine_across_the_autumn_change(tmp_path: Path) -> None:
    # Clocks go back on Sunday 25 October 2026.
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 10, 29)))
    found = _window(path, london(2026, 10, 20), london(2026, 10, 30))
    assert _at(found) == ["2026-10-22T09:00:00+01:00", "2026-10-28T09:00:00+00:00"]


def test_a_window_across_a_clock_change_has_each_day_once(tmp_path: Path) -> None:
    path = db_with(tmp_path / "r.db")
    db = open_db(path)
    add_reminder(
        db, "every day 08:30 #general Stand-up", user_id=CLERK, role="clerk", now=london(2026, 10, 19)
    )
    found = occurrences(db, london(2026, 10, 23), london(2026, 10, 28), MEETINGS_ONLY)
    db.close()
    # Saturday and Sunday go to Friday; Friday is BST, Monday GMT; nothing twice, nothing lost.
    assert _at(found) == [
        "2026-10-23T08:30:00+01:00",
        "2026-10-26T08:30:00+00:00",
        "2026-10-27T08:30:00+00:00",
    ]


def test_working_days_skip_easter(tmp_path: Path) -> None:
    # Good Friday 3 April and Easter Monday 6 April 2026: a Tuesday meeting's working day before is Thursday.
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 4, 7)))
    assert _at(_window(path, london(2026, 3, 25), london(2026, 4, 8))) == [
        "2026-03-31T09:00:00+01:00",
        "2026-04-02T09:00:00+01:00",
    ]


def test_christmas_meeting_is_reminded_on_christmas_eve(tmp_path: Path) -> None:
    # 25 Dec (Friday) and 28 Dec (Boxing Day substitute) are bank holidays in 2026.
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 29)))
    found = _window(path, london(2026, 12, 14), london(2026, 12, 30))
    assert _at(found) == ["2026-12-22T09:00:00+00:00", "2026-12-24T09:00:00+00:00"]


def test_the_publication_deadline_after_christmas_is_told_to_clerks(tmp_path: Path) -> None:
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2027, 1, 7)))
    found = [
        o
        for o in _window(path, london(2026, 12, 20), london(2027, 1, 1), SETTINGS)
        if "agenda" in o.reminder_key
    ]
    assert [(o.as_json()["at"], o.to) for o in found] == [
        ("2026-12-23T09:00:00+00:00", CLERK),  # 2 working days before Tue 29 Dec (24 Dec is one)
        ("2026-12-29T09:00:00+00:00", CLERK),
    ]
    assert found[0].text.startswith(
        "Agenda publication deadline in 2 working days: Cabinet, meeting Thu 7 Jan 2027."
    )
    assert "The last day is Tue 29 Dec 2026." in found[0].text
    assert "bank holidays (New Year's Day 1 Jan 2027) excluded" in found[0].text  # the rule, in words
    assert found[1].text.startswith("Agenda publication deadline today: Cabinet")


def test_a_reminder_due_on_saturday_goes_on_friday(tmp_path: Path) -> None:
    settings = ReminderSettings(
        bodies={"Cabinet": BodyReminders(CABINET_CHANNEL, days=(2,), working_days=())}
    )
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 7)))  # a Monday
    assert _at(_window(path, london(2026, 12, 1), london(2026, 12, 8), settings)) == [
        "2026-12-04T09:00:00+00:00"
    ]
    db = open_db(path)
    add_reminder(
        db, "2026-12-05 10:00 #general Saturday's note", user_id=CLERK, role="clerk", now=london(2026, 12, 1)
    )
    found = occurrences(db, london(2026, 12, 1), london(2026, 12, 8), MEETINGS_ONLY)
    db.close()
    assert _at(found, "custom") == ["2026-12-04T10:00:00+00:00"]


def test_a_deadline_on_a_weekend_is_told_on_the_friday_before(tmp_path: Path) -> None:
    # A key decision for Monday 7 Dec 2026 needs notice 28 clear days before: by Sunday 8 Nov.
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 7)))
    found = _window(path, london(2026, 11, 1), london(2026, 11, 9), SETTINGS)
    found = [o for o in found if "key_decision" in o.reminder_key]
    assert [o.reminder_key.split(":")[3] for o in found] == ["2wd", "day"]
    assert _at(found) == ["2026-11-05T09:00:00+00:00", "2026-11-06T09:00:00+00:00"]
    assert found[1].text.startswith(
        "Key decision notice deadline on Sun 8 Nov 2026, not a working day: Cabinet"
    )


def test_windows_need_aware_times(tmp_path: Path) -> None:
    db = open_db(":memory:")
    with pytest.raises(ValueError, match="time zone"):
        occurrences(db, london(2026, 1, 1).replace(tzinfo=None), london(2026, 1, 2), SETTINGS)


# --- what: meetings, agendas, deadlines, actions ------------------------------------------------


def test_meeting_reminders_list_the_agenda_and_link(tmp_path: Path) -> None:
    path = db_with(
        tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 10), url="https://example.gov.uk/m/1")
    )
    db = open_db(path)
    items = [
        ParsedItem(
            "Budget 2027/28",
            body="Cabinet",
            meeting_date=date(2026, 12, 10),
            item="5",
            passages=[Passage("purpose", "x")],
        ),
        ParsedItem(
            "Land at Mill Lane", body="Cabinet", meeting_date=date(2026, 12, 10), item="6", restricted=True
        ),
    ]
    with db.conn:
        replace_source(db, "agenda", items)
    found = occurrences(db, london(2026, 12, 3), london(2026, 12, 4), SETTINGS)
    db.close()
    [o] = [o for o in found if o.kind == "meeting"]
    assert o.to == CABINET_CHANNEL
    assert o.text.splitlines() == [
        "Cabinet meets on Thursday 10 December 2026 at 18:00, Council Chamber.",
        "Agenda:",
        "• 5. Budget 2027/28",
        "• 6. Land at Mill Lane (exempt: Part 2)",
        "Papers: https://example.gov.uk/m/1",
    ]
    assert o.useful_until == london(2026, 12, 10, 18)


def test_bodies_without_a_channel_get_no_meeting_reminders(tmp_path: Path) -> None:
    path = db_with(tmp_path / "r.db", meeting("Licensing Committee", date(2026, 12, 10)))
    assert _window(path, london(2026, 12, 1), london(2026, 12, 11)) == []
    default = ReminderSettings(default=BodyReminders(channel="#democracy"))
    assert {o.to for o in _window(path, london(2026, 12, 1), london(2026, 12, 11), default)} == {"#democracy"}


def test_every_clerk_hears_of_each_deadline(tmp_path: Path) -> None:
    settings = ReminderSettings(clerks=(CLERK, SECOND_CLERK), deadline_working_days=0)
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 10)))
    found = _window(path, london(2026, 12, 1), london(2026, 12, 3), settings)
    assert [(o.to, o.reminder_key.split(":")[2:4]) for o in found] == [
        (CLERK, ["agenda_publication", "day"]),
        (SECOND_CLERK, ["agenda_publication", "day"]),
    ]


def _plan(db: sqlite_utils.Database, ref: str, due: str, owner: str, rating: str | None = "Amber") -> None:
    key = '[{"name": "Blue", "complete": true}, {"name": "Amber", "complete": false}]'
    with db.conn:
        db["plans"].insert(
            {"id": 1, "name": "Children's Services Improvement Plan", "rating_key": key}, replace=True
        )
        db["actions"].insert(
            {"plan_id": 1, "ref": ref, "ref_key": ref, "action": "Recruit 12 social workers", "owner": owner,
             "due": due, "rating": rating},
        )  # fmt: skip


def test_action_owners_hear_before_the_due_date_and_when_overdue(tmp_path: Path) -> None:
    db = open_db(tmp_path / "r.db")
    _plan(db, "2.3", "2026-12-04", "Director of Children's Services")
    _plan(db, "2.4", "2026-12-04", "Somebody nobody mapped")
    found = occurrences(db, london(2026, 11, 30), london(2026, 12, 12), SETTINGS)
    assert [(o.as_json()["at"], o.to, o.reminder_key.split(":")[2]) for o in found] == [
        ("2026-12-02T09:00:00+00:00", OFFICER, "before"),
        ("2026-12-07T09:00:00+00:00", OFFICER, "overdue"),
    ]
    assert found[0].text == (
        "Action 2.3 of Children's Services Improvement Plan is due on Fri 4 Dec 2026, in 2 working days.\n"
        "Recruit 12 social workers"
    )
    assert "is now overdue (rated Amber). Please give an update." in found[1].text
    db.execute("UPDATE actions SET rating = 'Blue'")
    assert occurrences(db, london(2026, 11, 30), london(2026, 12, 12), SETTINGS) == []
    db.close()


def test_no_actions_table_means_no_action_reminders() -> None:
    bare = sqlite_utils.Database(memory=True)
    assert action_occurrences(bare, london(2026, 1, 1), london(2027, 1, 1), SETTINGS) == []


# --- once only: restarts, repeated ticks, two schedulers ----------------------------------------


def test_a_restart_in_the_middle_of_the_due_window_sends_each_once(tmp_path: Path) -> None:
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 10)))
    first = RecordingNotifier()
    assert run_tick(opener(path), london(2026, 12, 3, 8, 59), first, MEETINGS_ONLY).sent == ()
    # The process dies at 08:59:30 and is back at 09:20: the 09:00 reminder goes out late, once.
    second = RecordingNotifier()
    tick = run_tick(opener(path), london(2026, 12, 3, 9, 20), second, MEETINGS_ONLY)
    assert [o.reminder_key for o in tick.sent] == ["meeting:cabinet-2026-12-10:7d"]
    assert second.sent[0][1].startswith("(Sent late: this was due Thu 3 Dec 2026 09:00.)\nCabinet meets on")
    for minute in (20, 21, 22):
        assert run_tick(opener(path), london(2026, 12, 3, 9, minute), second, MEETINGS_ONLY).sent == ()
    assert len(second.sent) == 1
    db = open_db(path)
    assert [(r["status"], r["reminder_key"]) for r in send_log(db)] == [
        ("sent", "meeting:cabinet-2026-12-10:7d")
    ]
    db.close()


def test_a_tick_on_time_is_not_called_late(tmp_path: Path) -> None:
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 10)))
    notifier = RecordingNotifier()
    run_tick(
        opener(path),
        london(
            2026,
            12,
            3,
            9,
            0,
        ),
        notifier,
        MEETINGS_ONLY,
    )
    assert notifier.sent == [(CABINET_CHANNEL, notifier.sent[0][1])] and "late" not in notifier.sent[0][1]


def test_two_schedulers_on_one_database_send_once(tmp_path: Path) -> None:
    meetings = [meeting("Cabinet", date(2026, 12, 7) + timedelta(days=n), uid=f"c{n}") for n in range(40)]
    path = db_with(tmp_path / "r.db", *meetings)
    db = open_db(path)
    for n in range(20):
        add_reminder(
            db, f"2026-12-02 09:00 #general Note {n}", user_id=CLERK, role="clerk", now=london(2026, 12, 1)
        )
    db.close()
    notifiers = [RecordingNotifier(), RecordingNotifier()]
    start = threading.Barrier(2)
    now = london(2026, 12, 2, 9, 0)
    db = open_db(path)
    expected = occurrences(db, london(2026, 12, 2), now + timedelta(seconds=1), SETTINGS)
    db.close()
    assert {o.kind for o in expected} == {"custom", "meeting", "deadline"}

    def tick(notifier: RecordingNotifier) -> None:
        start.wait(timeout=10)
        for _ in range(3):  # and each ticks more than once
            run_tick(opener(path), now, notifier, SETTINGS)

    threads = [threading.Thread(target=tick, args=(n,)) for n in notifiers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    sent = notifiers[0].sent + notifiers[1].sent
    assert len(sent) == len(set(sent)) == len(expected)
    assert {to for to, _ in sent} == {o.to for o in expected}


def test_claims_are_per_transport(tmp_path: Path) -> None:
    db = open_db(tmp_path / "r.db")
    o = Occurrence("custom:1", london(2026, 12, 3, 9), "#general", "custom", "x", london(2026, 12, 4))
    assert claim(db, o, now=london(2026, 12, 3, 9)) is True
    assert claim(db, o, now=london(2026, 12, 3, 9)) is False
    assert claim(db, o, now=london(2026, 12, 3, 9), transport="terminal") is True
    db.close()


def test_a_cancelled_meeting_sends_nothing(tmp_path: Path) -> None:
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 10), uid="c1"))
    db = open_db(path)
    import_meetings(db, [meeting("Cabinet", date(2026, 12, 10), uid="c1", status="cancelled")], "update.ics")
    db.close()
    notifier = RecordingNotifier()
    for day, hour in ((3, 9), (9, 9)):
        run_tick(opener(path), london(2026, 12, day, hour), notifier, SETTINGS)
    assert notifier.sent == []
    assert _window(path, london(2026, 11, 1), london(2027, 1, 1), SETTINGS) == []


def test_a_moved_meeting_is_reminded_for_its_new_date(tmp_path: Path) -> None:
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 10), uid="c1"))
    notifier = RecordingNotifier()
    run_tick(opener(path), london(2026, 12, 3, 9), notifier, MEETINGS_ONLY)  # the 7-day reminder for the 10th
    db = open_db(path)
    result = import_meetings(db, [meeting("Cabinet", date(2026, 12, 17), uid="c1")], "update.ics")
    db.close()
    assert [(m.old_date, m.new_date) for m in result.moved] == [(date(2026, 12, 10), date(2026, 12, 17))]
    assert (
        run_tick(opener(path), london(2026, 12, 9, 9), notifier, MEETINGS_ONLY).sent == ()
    )  # not the old 1wd
    run_tick(opener(path), london(2026, 12, 10, 9), notifier, MEETINGS_ONLY)
    run_tick(opener(path), london(2026, 12, 16, 9), notifier, MEETINGS_ONLY)
    assert [text.splitlines()[0] for _, text in notifier.sent] == [
        "Cabinet meets on Thursday 10 December 2026 at 18:00, Council Chamber.",
        "Cabinet meets on Thursday 17 December 2026 at 18:00, Council Chamber.",
        "Cabinet meets on Thursday 17 December 2026 at 18:00, Council Chamber.",
    ]


def test_a_missed_reminder_past_its_use_is_dropped_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 10)))
    notifier = RecordingNotifier()
    run_tick(opener(path), london(2026, 12, 1, 9), notifier, MEETINGS_ONLY)
    with caplog.at_level(logging.WARNING, logger="knowledge.calendar.reminders"):
        run_tick(opener(path), london(2026, 12, 11, 9), notifier, MEETINGS_ONLY)  # down for ten days
        run_tick(opener(path), london(2026, 12, 11, 9, 1), notifier, MEETINGS_ONLY)
    assert notifier.sent == []
    dropped = [r.getMessage() for r in caplog.records]
    assert len(dropped) == 2 and all(m.startswith("dropped the meeting reminder") for m in dropped)
    assert "no longer useful after Thu 10 Dec 2026 18:00" in dropped[0]
    db = open_db(path)
    assert {r["status"] for r in send_log(db)} == {"dropped"}
    db.close()


def test_of_several_missed_reminders_only_the_latest_goes(tmp_path: Path) -> None:
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 10)))
    notifier = RecordingNotifier()
    run_tick(opener(path), london(2026, 12, 2, 9), notifier, MEETINGS_ONLY)
    run_tick(opener(path), london(2026, 12, 10, 8), notifier, MEETINGS_ONLY)  # missed the 3rd and the 9th
    assert len(notifier.sent) == 1 and "due Wed 9 Dec 2026 09:00" in notifier.sent[0][1]
    db = open_db(path)
    assert sorted((r["reminder_key"][-3:], r["status"]) for r in send_log(db)) == [
        ("1wd", "sent"),
        (":7d", "superseded"),
    ]
    db.close()


def test_a_new_database_sends_no_backlog_from_before_today(tmp_path: Path) -> None:
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 10)))
    db = open_db(path)
    # First tick ever on Wednesday 9 Dec at 10:00: the 7-day reminder of the 3rd is not sent, today's is.
    assert [o.reminder_key for o in due(db, london(2026, 12, 9, 10), MEETINGS_ONLY)] == [
        "meeting:cabinet-2026-12-10:1wd"
    ]
    db.close()


def test_a_failed_send_is_recorded_and_not_repeated_and_others_still_go(tmp_path: Path) -> None:
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 10)))
    notifier = RecordingNotifier(fail_for=(CLERK,))
    settings = ReminderSettings(bodies=SETTINGS.bodies, clerks=(CLERK, SECOND_CLERK), deadline_working_days=0)
    tick = run_tick(opener(path), london(2026, 12, 2, 9), notifier, settings)
    assert [o.to for o in tick.failed] == [CLERK] and [o.to for o in tick.sent] == [SECOND_CLERK]
    assert run_tick(opener(path), london(2026, 12, 2, 9, 1), notifier, settings) == type(tick)()
    db = open_db(path)
    assert sorted((r["recipient"], r["status"]) for r in send_log(db)) == [
        (CLERK, "failed"),
        (SECOND_CLERK, "sent"),
    ]
    db.close()


@pytest.mark.parametrize("day", [date(2026, 11, 20) + timedelta(days=n) for n in range(0, 60, 3)])
def test_what_a_tick_looks_at_is_what_the_whole_window_holds(tmp_path: Path, day: date) -> None:
    # The tick's shortcut (only what is still useful, or due since the last tick) must agree with
    # working through the whole window and filtering.
    meetings = [
        meeting("Cabinet", date(2026, 11, 23) + timedelta(days=4 * n), uid=f"c{n}") for n in range(16)
    ]
    meetings += [meeting("Overview and Scrutiny Committee", date(2026, 12, 1) + timedelta(days=9 * n), at=None,
                         uid=f"s{n}") for n in range(6)]  # fmt: skip
    path = db_with(tmp_path / "r.db", *meetings)
    db = open_db(path)
    for text in ("every day 09:00 #a daily", "every monday 10:00 #b weekly", "every month on the 31st #c monthly",
                 "2026-12-26 09:00 #d boxing day", "every working day 16:00 me wd"):  # fmt: skip
        add_reminder(db, text, user_id=CLERK, role="clerk", now=london(2026, 11, 1))
    _plan(db, "1.1", "2026-12-24", OFFICER)
    now = london(day.year, day.month, day.day, 9, 30)
    since, recent = now - timedelta(days=14), now - timedelta(hours=30)
    everything = occurrences(db, since, now, SETTINGS)
    expected = [o for o in everything if o.useful_until > now or o.due_at >= recent]
    assert occurrences(db, since, now, SETTINGS, useful_at=now, due_from=recent) == expected
    db.close()
