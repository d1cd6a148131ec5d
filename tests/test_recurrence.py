"""Send times and the words for them: repeats, weekends and bank holidays, the clock changes."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reminder_support import london

from knowledge.calendar import recurrence
from knowledge.calendar.custom_reminders import active_reminders
from knowledge.calendar.recurrence import (
    LONDON,
    REPEATS,
    Schedule,
    read_when,
    send_at,
    working_day_on_or_before,
)
from knowledge.models import UserError
from knowledge.store import open_db

NOW = london(2026, 11, 27, 10, 0)  # a Friday


def test_public_names_exist() -> None:
    for name in recurrence.__all__:
        assert hasattr(recurrence, name), name


@pytest.mark.parametrize(
    ("words", "described"),
    [
        ("2026-12-01 09:00", "on Tue 1 Dec 2026 at 09:00"),
        ("01/12/2026 2.30 pm", "on Tue 1 Dec 2026 at 14:30"),
        ("on 1 Dec 10:00", "on Tue 1 Dec 2026 at 10:00"),
        ("December 3rd at noon", "on Thu 3 Dec 2026 at 12:00"),
        ("1 Jan 10am", "on Fri 1 Jan 2027 at 10:00"),
        ("friday 11am", "on Fri 27 Nov 2026 at 11:00"),
        ("friday 9am", "on Fri 4 Dec 2026 at 09:00"),  # 09:00 today has passed: next week
        ("next monday", "on Mon 30 Nov 2026 at 09:00"),
        ("16:00", "on Fri 27 Nov 2026 at 16:00"),
        ("every monday 09:00", "every Monday at 09:00 (from Mon 30 Nov 2026)"),
        ("Mondays at 2pm", "every Monday at 14:00 (from Mon 30 Nov 2026)"),
        ("weekly on tue", "every Tuesday at 09:00 (from Tue 1 Dec 2026)"),
        ("every week", "every Friday at 09:00 (from Fri 4 Dec 2026)"),
        ("every day 7.30pm", "every day at 19:30"),
        ("daily", "every day at 09:00"),
        ("every working day 08:30", "every working day at 08:30"),
        ("every month on the 15th", "every month on the 15th at 09:00 (from Tue 15 Dec 2026)"),
        ("monthly on 31 9am", "every month on the 31st at 09:00 (from Thu 31 Dec 2026)"),
        ("every monday from 2027-01-04 9:00", "every Monday at 09:00 (from Mon 4 Jan 2027)"),
    ],
)
def test_the_words_clerks_use(words: str, described: str) -> None:
    assert read_when(words, now=NOW).describe() == described


@pytest.mark.parametrize(
    ("words", "error"),
    [
        ("tomorrow 01:30", "between 01:00 and 02:00"),
        ("every day 1.15 am", "between 01:00 and 02:00"),
        ("today 9am", "Fri 27 Nov 2026 at 09:00 has passed. Give a later time."),
        (
            "tomorrow 10:00",
            "Sat 28 Nov 2026 is a Saturday, so it would go on the working day before, "
            "Fri 27 Nov 2026 10:00, which has passed",
        ),  # fmt: skip
        ("yesterday", "can't read 'yesterday' as a day"),
        ("every fortnight", "can't read 'every fortnight'"),
        ("31 feb 2027", "not a real date"),
        ("2026-13-01", "can't read '2026-13-01' as a date"),
        ("25:00 tomorrow", "not a time I can read"),
    ],
)
def test_bad_words_are_refused_politely(words: str, error: str) -> None:
    with pytest.raises(UserError, match=error.replace("(", r"\(").replace(")", r"\)")):
        read_when(words, now=NOW)


def test_a_one_off_on_a_bank_holiday_goes_the_working_day_before() -> None:
    s = read_when("25 dec 10am", now=NOW)
    assert s.next_time(NOW) == london(2026, 12, 24, 10)
    assert send_at(date(2026, 12, 28), time(9)) == london(2026, 12, 24, 9)  # Boxing Day substitute


def test_monthly_repeats_keep_to_the_month_end() -> None:
    s = Schedule(date(2027, 1, 31), time(9), "monthly")
    assert list(s.days(date(2027, 1, 1), date(2027, 5, 31))) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
    ]
    # 31 Jan 2027 is a Sunday and 30 Apr a Friday: sent on Fri 29 Jan and Fri 30 Apr.
    assert [t.date() for t in s.due_times(london(2027, 1, 1), london(2027, 5, 1))] == [
        date(2027, 1, 29),
        date(2027, 2, 26),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]


def test_weekly_and_working_day_repeats() -> None:
    weekly = Schedule(date(2026, 12, 1), time(9), "weekly")
    assert list(weekly.days(date(2026, 12, 10), date(2026, 12, 31))) == [
        date(2026, 12, 15),
        date(2026, 12, 22),
        date(2026, 12, 29),
    ]
    working = Schedule(date(2026, 12, 23), time(9), "working-days")
    assert list(working.days(date(2026, 12, 23), date(2027, 1, 4))) == [
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 4),
    ]


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(0, 23), st.integers(0, 59)
)
def test_send_times_are_working_days_at_the_wall_clock_time(day: date, hour: int, minute: int) -> None:
    if hour == 1:
        return
    at = send_at(day, time(hour, minute))
    local = at.astimezone(LONDON)
    assert (local.hour, local.minute) == (hour, minute)
    assert local.date() == working_day_on_or_before(day) <= day
    assert (day - local.date()).days <= 10


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)), st.sampled_from(REPEATS)
        ),
        min_size=1,
        max_size=8,
    ),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
    st.integers(0, 40),
)
def test_the_reminders_loaded_for_a_window_are_all_that_send_in_it(
    schedules: list[tuple[date, str]], first: date, days: int
) -> None:
    db = open_db(":memory:")
    with db.conn:
        for start, repeat in schedules:
            db.execute(
                "INSERT INTO reminders (target, text, start_date, at_time, repeat, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                ["#x", "x", start.isoformat(), "09:00", repeat, "2025-01-01T00:00:00+00:00"],
            )
    last = first + timedelta(days=days)
    start, end = london(first.year, first.month, first.day), london(last.year, last.month, last.day, 23, 59)

    def sends(reminders: list) -> set[tuple[int, object]]:
        return {(r.id, t) for r in reminders for t in r.schedule.due_times(start, end)}

    assert sends(active_reminders(db, first=first, last=last)) == sends(active_reminders(db))
    db.close()
