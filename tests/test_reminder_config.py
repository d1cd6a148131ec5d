"""The reminder settings in the TOML file: defaults, bodies, owners, and every problem listed at once."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot import reminder_config
from bot.config import ConfigError, Settings
from knowledge.calendar.reminders import BodyReminders, ReminderSettings

GOOD = """
[roles]
clerks = ["U0CLERK1", "U0CLERK2"]
admins = ["U0ADMIN1"]

[users]
U0OFFICER = "Olu Officer"

[reminders]
time = "08:45"
channel = "#democratic-services"
reminder_days = [7, 14]
reminder_working_days = [1]
deadline_working_days = 3
action_working_days = 1

[bodies."Cabinet"]
channel = "C0CABINET"
reminder_working_days = [2, 1]
clerks = ["U0CLERK2"]
executive = true
report_deadline = 7

[bodies."Licensing Committee"]
draft_minutes = false

[owners]
"Director of Children's Services" = "U0DIRECTOR"
"""


def settings(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "bot.toml"
    path.write_text(text, encoding="utf-8")
    return Settings.from_env({}, config_path=path)


def test_public_names_exist() -> None:
    for name in reminder_config.__all__:
        assert hasattr(reminder_config, name), name


def test_no_file_means_the_defaults() -> None:
    r = Settings.from_env({}).reminders
    assert r == ReminderSettings()
    assert (r.send_time, r.default.days, r.default.working_days, r.default.channel) == (
        time(9),
        (7,),
        (1,),
        None,
    )


def test_a_full_file(tmp_path: Path) -> None:
    r = settings(tmp_path, GOOD).reminders
    assert r.send_time == time(8, 45)
    assert r.clerks == ("U0CLERK1", "U0CLERK2")  # the clerks in [roles] unless [reminders] names others
    assert (r.deadline_working_days, r.action_working_days) == (3, 1)
    assert r.for_body("CABINET") == BodyReminders("C0CABINET", (14, 7), (2, 1), ("U0CLERK2",))
    assert r.for_body("Licensing Committee") == BodyReminders("#democratic-services", (14, 7), (1,), None)
    assert r.for_body("Planning") == r.default and r.default.channel == "#democratic-services"
    assert r.clerks_for("Cabinet") == ("U0CLERK2",) and r.clerks_for("Planning") == ("U0CLERK1", "U0CLERK2")
    assert r.owner_id("Director of  children's services") == "U0DIRECTOR"
    assert r.owner_id("Olu Officer") == "U0OFFICER"  # [users] names are owners too
    assert r.owner_id("U0SOMEONE") == "U0SOMEONE" and r.owner_id("Head of Housing") is None
    assert r.deadline_rules == {
        "Cabinet": {"executive": True, "report_deadline": 7},
        "Licensing Committee": {"draft_minutes": False},
    }


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    bad = """
[reminders]
time = "01:30"
channel = "general"
reminder_days = [7, -1]
deadline_working_days = "two"
clerks = "U0CLERK1"
colour = "red"

[bodies."Cabinet"]
channel = "#cabinet"
report_deadline = "soon"
reminder_working_days = 1
mascot = "owl"

[owners]
"Head of Housing" = "Sam"
"""
    with pytest.raises(ConfigError) as caught:
        settings(tmp_path, bad)
    problems = " | ".join(caught.value.problems)
    for words in (
        "[reminders] unknown setting 'colour'",
        "[reminders] time: I don't send anything between 01:00 and 02:00",
        "[reminders] channel must be a channel id (like C0123ABCD) or #name, not 'general'",
        "[reminders] reminder_days must be a list of numbers of days from 0 to 60",
        "[reminders] deadline_working_days must be a number of working days from 0 to 20, not 'two'",
        "[reminders] clerks must be a list of user ids",
        "[bodies.\"Cabinet\"] unknown setting 'mascot'",
        '[bodies."Cabinet"] reminder_working_days must be a list',
        "Cabinet: 'report_deadline' must be a number of days",
        '[owners] "Head of Housing" must be a user id',
    ):
        assert words in problems, words
    assert len(caught.value.problems) == 10


def test_a_time_that_is_not_a_time(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="time must be like \"09:00\", not 'nine'"):
        settings(tmp_path, '[reminders]\ntime = "nine"\n')
