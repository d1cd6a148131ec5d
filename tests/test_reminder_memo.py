"""A tick reuses the day's occurrences only while the tables they come from are unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.notifiers import RecordingNotifier
from bot.scheduler import run_tick
from knowledge.calendar.custom_reminders import add_reminder
from knowledge.calendar.meetings import import_meetings
from knowledge.store import open_db
from tests.reminder_support import CLERK, MEETINGS_ONLY, db_with, london, meeting, opener


def test_a_meeting_cancelled_between_two_ticks_of_a_day_is_not_reminded(tmp_path: Path) -> None:
    path = db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 10), uid="c1"))
    notifier = RecordingNotifier()
    run_tick(opener(path), london(2026, 12, 3, 8, 0), notifier, MEETINGS_ONLY)  # works the day out
    db = open_db(path)
    import_meetings(db, [meeting("Cabinet", date(2026, 12, 10), uid="c1", status="cancelled")], "u.ics",
                    now=london(2026, 12, 3, 8, 30))  # fmt: skip
    db.close()
    run_tick(opener(path), london(2026, 12, 3, 9, 0), notifier, MEETINGS_ONLY)
    assert notifier.sent == []


def test_a_reminder_added_between_two_ticks_of_a_day_is_sent(tmp_path: Path) -> None:
    path = db_with(tmp_path / "r.db")
    notifier = RecordingNotifier()
    run_tick(opener(path), london(2026, 12, 3, 9, 0), notifier, MEETINGS_ONLY)
    db = open_db(path)
    add_reminder(
        db,
        "2026-12-03 10:00 #scrutiny Papers are due",
        user_id=CLERK,
        role="clerk",
        now=london(2026, 12, 3, 9, 5),
    )
    db.close()
    run_tick(opener(path), london(2026, 12, 3, 9, 59), notifier, MEETINGS_ONLY)
    assert notifier.sent == []
    run_tick(opener(path), london(2026, 12, 3, 10, 0), notifier, MEETINGS_ONLY)
    run_tick(opener(path), london(2026, 12, 3, 10, 1), notifier, MEETINGS_ONLY)
    assert [to for to, _ in notifier.sent] == ["#scrutiny"]
    assert "Papers are due" in notifier.sent[0][1]
