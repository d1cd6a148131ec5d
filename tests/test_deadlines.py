"""Deadline arithmetic, checked against days counted by hand on a calendar.

Bank holidays used below (GOV.UK, England and Wales):
2022: Mon 26 Dec Boxing Day, Tue 27 Dec Christmas Day (substitute day; 25 Dec was a Sunday).
2023: Mon 2 Jan New Year's Day (substitute day), Fri 7 Apr Good Friday, Mon 10 Apr Easter Monday,
      Mon 1 May, Mon 8 May (Coronation), Mon 29 May, Mon 28 Aug, Mon 25 Dec, Tue 26 Dec.
2024: Mon 1 Jan, Fri 29 Mar Good Friday, Mon 1 Apr Easter Monday, Wed 25 Dec, Thu 26 Dec.
2025: Wed 1 Jan, Fri 18 Apr Good Friday, Mon 21 Apr Easter Monday, Thu 25 Dec, Fri 26 Dec.
2026: Thu 1 Jan.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.calendar import deadlines
from knowledge.calendar.deadlines import (
    DEADLINE_KINDS,
    add_working_days,
    bank_holiday_name,
    clear_working_days_before,
    compute_deadlines,
    config_problems,
    deadlines_as_json,
    is_executive,
    is_working_day,
    rules_for,
)
from knowledge.models import UserError


def by_kind(body: str, meeting: date, config=None) -> dict[str, date]:
    return {d.kind: d.date for d in compute_deadlines(body, meeting, config)}


def rule_of(body: str, meeting: date, kind: str, config=None) -> str:
    return next(d.rule for d in compute_deadlines(body, meeting, config) if d.kind == kind)


def test_public_names_exist():
    for name in deadlines.__all__:
        assert hasattr(deadlines, name), name


# --- bank holidays and working days -----------------------------------------------------------


def test_weekday_bank_holidays_of_2023_match_gov_uk():
    weekday_holidays = [
        d
        for d in (date(2023, 1, 1) + timedelta(days=i) for i in range(365))
        if d.weekday() < 5 and bank_holiday_name(d)
    ]
    assert weekday_holidays == [
        date(2023, 1, 2),
        date(2023, 4, 7),
        date(2023, 4, 10),
        date(2023, 5, 1),
        date(2023, 5, 8),
        date(2023, 5, 29),
        date(2023, 8, 28),
        date(2023, 12, 25),
        date(2023, 12, 26),
    ]


def test_substitute_days_are_named_as_gov_uk_names_them():
    assert bank_holiday_name(date(2022, 12, 27)) == "Christmas Day (substitute day)"
    assert bank_holiday_name(date(2023, 1, 2)) == "New Year's Day (substitute day)"
    assert bank_holiday_name(date(2023, 1, 3)) is None


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2022, 12, 23), True),  # Friday
        (date(2022, 12, 24), False),  # Saturday
        (date(2022, 12, 26), False),  # Boxing Day
        (date(2022, 12, 27), False),  # substitute Christmas Day
        (date(2022, 12, 28), True),
        (date(2023, 1, 2), False),  # substitute New Year's Day
        (date(2023, 4, 7), False),  # Good Friday
        (date(2023, 5, 8), False),  # Coronation
        (date(2024, 12, 24), True),  # Christmas Eve is not a bank holiday
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_add_working_days_forwards_and_back():
    # Fri 23 Dec 2022 + 1: Sat 24, Sun 25, Mon 26 (hol), Tue 27 (hol) skipped -> Wed 28.
    assert add_working_days(date(2022, 12, 23), 1) == date(2022, 12, 28)
    # Tue 3 Jan 2023 - 1: Mon 2 (hol), Sun 1, Sat 31 skipped -> Fri 30 Dec.
    assert add_working_days(date(2023, 1, 3), -1) == date(2022, 12, 30)
    # Thu 6 Apr 2023 + 2: Fri 7 (Good Friday), weekend, Mon 10 (Easter Monday) -> Tue 11 (1), Wed 12 (2).
    assert add_working_days(date(2023, 4, 6), 2) == date(2023, 4, 12)
    assert add_working_days(date(2023, 4, 8), 0) == date(2023, 4, 8)


def test_clear_working_days_before_rejects_negative():
    with pytest.raises(ValueError):
        clear_working_days_before(date(2023, 1, 10), -1)


# --- agenda publication: 5 clear working days ------------------------------------------------


@pytest.mark.parametrize(
    ("meeting", "last_publication"),
    [
        # Tue 10 Jan 2023. Clear days: Mon 9, Fri 6, Thu 5, Wed 4, Tue 3 (5). Mon 2 Jan is the
        # substitute New Year bank holiday, so publication falls back over the weekend to Fri 30 Dec.
        (date(2023, 1, 10), date(2022, 12, 30)),
        # Thu 5 Jan 2023. Clear: Wed 4, Tue 3, [Mon 2 hol], Fri 30, Thu 29, Wed 28 (5).
        # Then Tue 27 (hol), Mon 26 (hol), Sun 25, Sat 24 -> Fri 23 Dec 2022.
        (date(2023, 1, 5), date(2022, 12, 23)),
        # Thu 4 Jan 2024. Clear: Wed 3, Tue 2, [Mon 1 hol], Fri 29, Thu 28, Wed 27 (5).
        # Then Tue 26 (hol), Mon 25 (hol), weekend -> Fri 22 Dec 2023.
        (date(2024, 1, 4), date(2023, 12, 22)),
        # Tue 6 Jan 2026. Clear: Mon 5, Fri 2, [Thu 1 hol], Wed 31, Tue 30, Mon 29 (5).
        # Then weekend, Fri 26 (hol), Thu 25 (hol) -> Wed 24 Dec 2025.
        (date(2026, 1, 6), date(2025, 12, 24)),
        # Fri 30 Dec 2022, only the 2022 Christmas holidays. Clear: Thu 29, Wed 28, [Tue 27, Mon 26
        # hol], Fri 23, Thu 22, Wed 21 (5) -> Tue 20 Dec 2022.
        (date(2022, 12, 30), date(2022, 12, 20)),
        # Easter 2023, Thu 13 Apr. Clear: Wed 12, Tue 11, [Mon 10 hol, weekend, Fri 7 hol],
        # Thu 6, Wed 5, Tue 4 (5) -> Mon 3 Apr.
        (date(2023, 4, 13), date(2023, 4, 3)),
        # Easter 2024, Thu 4 Apr. Clear: Wed 3, Tue 2, [Mon 1 hol, weekend, Fri 29 Mar hol],
        # Thu 28, Wed 27, Tue 26 (5) -> Mon 25 Mar.
        (date(2024, 4, 4), date(2024, 3, 25)),
        # Easter 2025, Tue 22 Apr. [Mon 21 hol, weekend, Fri 18 hol], clear: Thu 17, Wed 16,
        # Tue 15, Mon 14, Fri 11 (5) -> Thu 10 Apr.
        (date(2025, 4, 22), date(2025, 4, 10)),
        # Late May 2023, Thu 1 Jun. Clear: Wed 31, Tue 30, [Mon 29 hol], Fri 26, Thu 25, Wed 24 (5)
        # -> Tue 23 May.
        (date(2023, 6, 1), date(2023, 5, 23)),
        # August 2023, Tue 29 Aug. [Mon 28 hol], clear: Fri 25, Thu 24, Wed 23, Tue 22, Mon 21 (5)
        # -> Fri 18 Aug.
        (date(2023, 8, 29), date(2023, 8, 18)),
        # A Monday with no holiday near, Mon 13 Mar 2023. Clear: Fri 10, Thu 9, Wed 8, Tue 7,
        # Mon 6 (5) -> Fri 3 Mar.
        (date(2023, 3, 13), date(2023, 3, 3)),
        # A Monday after the Coronation holiday, Mon 15 May 2023. Clear: Fri 12, Thu 11, Wed 10,
        # Tue 9, [Mon 8 hol, weekend], Fri 5 (5) -> Thu 4 May.
        (date(2023, 5, 15), date(2023, 5, 4)),
    ],
)
def test_agenda_publication(meeting, last_publication):
    assert clear_working_days_before(meeting, 5) == last_publication
    assert by_kind("Overview and Scrutiny Committee", meeting)["agenda_publication"] == last_publication


def test_agenda_rule_names_the_weekday_holidays_skipped():
    rule = rule_of("Cabinet", date(2023, 1, 5), "agenda_publication")
    assert "5 clear working days" in rule
    assert "s100B LGA 1972" in rule
    assert "Boxing Day 26 Dec 2022" in rule
    assert "Christmas Day (substitute day) 27 Dec 2022" in rule
    assert "New Year's Day (substitute day) 2 Jan 2023" in rule
    # Christmas Day 2022 fell on a Sunday: a weekend, not a skipped bank holiday.
    assert "Christmas Day 25 Dec" not in rule

    rule = rule_of("Cabinet", date(2024, 1, 4), "agenda_publication")
    assert "Christmas Day 25 Dec 2023, Boxing Day 26 Dec 2023, New Year's Day 1 Jan 2024" in rule

    rule = rule_of("Cabinet", date(2023, 3, 13), "agenda_publication")
    assert "no bank holiday" in rule


# --- report deadline: 5 working days before publication --------------------------------------


def test_report_deadline_counts_back_from_publication():
    # Meeting Thu 5 Jan 2023, publication Fri 23 Dec 2022. Back 5: Thu 22, Wed 21, Tue 20,
    # Mon 19, Fri 16 -> Fri 16 Dec.
    assert by_kind("Cabinet", date(2023, 1, 5))["report_deadline"] == date(2022, 12, 16)
    # Meeting Tue 10 Jan 2023, publication Fri 30 Dec 2022. Back 5: Thu 29, Wed 28,
    # [Tue 27, Mon 26 hol, weekend], Fri 23, Thu 22, Wed 21 -> Wed 21 Dec.
    assert by_kind("Cabinet", date(2023, 1, 10))["report_deadline"] == date(2022, 12, 21)
    rule = rule_of("Cabinet", date(2023, 1, 10), "report_deadline")
    assert "30 Dec 2022" in rule and "Boxing Day 26 Dec 2022" in rule


def test_report_deadline_configured_per_body():
    config = {"Cabinet": {"report_deadline": 7}}
    # Publication Fri 23 Dec 2022. Back 7: Thu 22, Wed 21, Tue 20, Mon 19, Fri 16, Thu 15, Wed 14.
    assert by_kind("Cabinet", date(2023, 1, 5), config)["report_deadline"] == date(2022, 12, 14)
    # Another body keeps the default.
    assert by_kind("Audit Committee", date(2023, 1, 5), config)["report_deadline"] == date(2022, 12, 16)


# --- key decision notice: 28 clear calendar days, executive bodies only ----------------------


def test_key_decision_notice_28_clear_days():
    # Meeting Thu 5 Jan 2023. Notice Wed 7 Dec 2022: the days strictly between are
    # 8-31 Dec (24) and 1-4 Jan (4) = 28.
    found = by_kind("Cabinet", date(2023, 1, 5))
    assert found["key_decision_notice"] == date(2022, 12, 7)
    assert (date(2023, 1, 5) - date(2022, 12, 7)).days - 1 == 28


def test_key_decision_notice_only_for_executive_bodies():
    assert "key_decision_notice" not in by_kind("Overview and Scrutiny Committee", date(2023, 1, 5))
    assert "key_decision_notice" in by_kind("CABINET", date(2023, 1, 5))
    config = {"executive": {"executive": True}, "cabinet": {"executive": False}}
    assert "key_decision_notice" in by_kind("Executive", date(2023, 1, 5), config)
    assert "key_decision_notice" not in by_kind("Cabinet", date(2023, 1, 5), config)
    assert is_executive("Cabinet Member Decisions")
    assert not is_executive("Cabinet", config)


def test_key_decision_notice_on_a_weekend_or_holiday_says_so():
    # Mon 13 Mar 2023 - 29 days = Sun 12 Feb 2023.
    assert by_kind("Cabinet", date(2023, 3, 13))["key_decision_notice"] == date(2023, 2, 12)
    assert "a Sunday" in rule_of("Cabinet", date(2023, 3, 13), "key_decision_notice")
    # Tue 9 May 2023 - 29 days = Mon 10 Apr 2023, Easter Monday.
    assert by_kind("Cabinet", date(2023, 5, 9))["key_decision_notice"] == date(2023, 4, 10)
    assert "Easter Monday" in rule_of("Cabinet", date(2023, 5, 9), "key_decision_notice")


# --- draft minutes: 10 working days after ----------------------------------------------------


def test_draft_minutes_across_christmas():
    # Tue 20 Dec 2022: Wed 21 (1), Thu 22 (2), Fri 23 (3), [Mon 26, Tue 27 hol], Wed 28 (4),
    # Thu 29 (5), Fri 30 (6), [Mon 2 Jan hol], Tue 3 (7), Wed 4 (8), Thu 5 (9), Fri 6 (10).
    assert by_kind("Audit Committee", date(2022, 12, 20))["draft_minutes"] == date(2023, 1, 6)
    rule = rule_of("Audit Committee", date(2022, 12, 20), "draft_minutes")
    assert "10 working days" in rule and "New Year's Day (substitute day) 2 Jan 2023" in rule
    # Thu 19 Dec 2024: Fri 20 (1), Mon 23 (2), Tue 24 (3), [Wed 25, Thu 26 hol], Fri 27 (4),
    # Mon 30 (5), Tue 31 (6), [Wed 1 Jan hol], Thu 2 (7), Fri 3 (8), Mon 6 (9), Tue 7 (10).
    assert by_kind("Audit Committee", date(2024, 12, 19))["draft_minutes"] == date(2025, 1, 7)


# --- configuration and output ----------------------------------------------------------------


def test_kinds_can_be_switched_off_and_days_changed():
    config = {"Licensing Committee": {"draft_minutes": False, "agenda_publication": 3}}
    found = by_kind("licensing committee", date(2023, 3, 13), config)
    assert "draft_minutes" not in found
    # 3 clear: Fri 10, Thu 9, Wed 8 -> Tue 7 Mar.
    assert found["agenda_publication"] == date(2023, 3, 7)
    assert [r.days for r in rules_for("Licensing Committee", config)] == [3, 5]


def test_bad_configuration_lists_every_problem():
    config = {"Cabinet": {"report_deadline": "ten", "agenda": 5, "executive": "yes"}}
    with pytest.raises(UserError) as err:
        compute_deadlines("Cabinet", date(2023, 1, 5), config)
    text = str(err.value)
    assert "'report_deadline'" in text and "'agenda'" in text and "'executive'" in text
    # Another body's bad settings are reported too, whichever body is asked about.
    with pytest.raises(UserError, match="Audit: 'draft_minutes' must be a number of days"):
        compute_deadlines("Cabinet", date(2023, 1, 5), {"Audit": {"draft_minutes": -1}})
    assert config_problems({"Audit": 5}) == ["Audit: expected a table of settings, not 5"]
    assert config_problems({"Cabinet": {"executive": True, "report_deadline": 7}}) == []


def test_deadlines_are_in_date_order_and_json_shaped():
    found = compute_deadlines("Cabinet", date(2023, 1, 5))
    assert [d.kind for d in found] == [
        "key_decision_notice",
        "report_deadline",
        "agenda_publication",
        "draft_minutes",
    ]
    shaped = deadlines_as_json("Cabinet", date(2023, 1, 5), found)
    assert shaped["body"] == "Cabinet" and shaped["meeting_date"] == "2023-01-05"
    assert shaped["deadlines"][2] == {
        "kind": "agenda_publication",
        "date": "2022-12-23",
        "rule": found[2].rule,
    }
    assert set(DEADLINE_KINDS) == {d.kind for d in found}


# --- properties ------------------------------------------------------------------------------


def _working_days_strictly_between(a: date, b: date) -> int:
    return sum(1 for i in range(1, (b - a).days) if is_working_day(a + timedelta(days=i)))


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(meeting=days, n=st.integers(min_value=0, max_value=25))
def test_publication_leaves_exactly_n_clear_working_days(meeting, n):
    published = clear_working_days_before(meeting, n)
    assert is_working_day(published)
    assert published < meeting
    assert _working_days_strictly_between(published, meeting) == n
    # It is the last such day: the next working day would leave one clear day too few.
    assert _working_days_strictly_between(add_working_days(published, 1), meeting) == n - 1 or n == 0


@given(meeting=days)
def test_agenda_publication_property(meeting):
    published = by_kind("Overview and Scrutiny Committee", meeting)["agenda_publication"]
    assert is_working_day(published)
    assert published < meeting
    assert _working_days_strictly_between(published, meeting) == 5


@given(start=days, n=st.integers(min_value=-30, max_value=30))
def test_add_working_days_moves_over_exactly_n_working_days(start, n):
    end = add_working_days(start, n)
    if n == 0:
        assert end == start
        return
    assert is_working_day(end)
    lo, hi = sorted((start, end))
    counted = _working_days_strictly_between(lo, hi) + 1  # the end day itself counts
    assert counted == abs(n)
