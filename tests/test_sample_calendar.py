"""The sample council's coming meetings, laid out from any day."""

from __future__ import annotations

from datetime import date

from knowledge.calendar.deadlines import is_working_day
from knowledge.calendar.sample import upcoming_sample_meetings


def test_meetings_follow_each_body_pattern_from_the_given_day():
    meetings = upcoming_sample_meetings(date(2026, 11, 22))
    assert meetings[0].date >= date(2026, 11, 22)
    cabinet = [m.date for m in meetings if m.body == "Cabinet"]
    assert cabinet[:3] == [date(2026, 12, 17), date(2027, 1, 21), date(2027, 2, 18)]  # third Thursdays
    assert all(m.time and m.venue and m.uid and m.council == "Northbridge Borough Council" for m in meetings)


def test_no_meetings_in_august_and_none_on_a_bank_holiday():
    meetings = upcoming_sample_meetings(date(2027, 3, 1), months=8)
    assert not [m for m in meetings if m.date.month == 8]
    assert all(is_working_day(m.date) for m in meetings)
    # the last Monday of May 2027 is the spring bank holiday: the board meets the next day
    board = [m.date for m in meetings if m.body == "Children's Services Improvement Board"]
    assert date(2027, 6, 1) in board and date(2027, 5, 31) not in board
    # and Easter Monday 2027 (29 March) moves the March board to the Tuesday
    assert date(2027, 3, 30) in board


def test_the_same_day_gives_the_same_meetings():
    assert upcoming_sample_meetings(date(2026, 1, 5)) == upcoming_sample_meetings(date(2026, 1, 5))


def test_nobody_meets_between_christmas_and_new_year():
    for year in (2026, 2027, 2028):
        meetings = upcoming_sample_meetings(date(year, 12, 1), months=1)
        assert not [m for m in meetings if date(year, 12, 24) <= m.date <= date(year + 1, 1, 1)], year
