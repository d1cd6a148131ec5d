"""The scheduled sync: ``[sync]`` in the settings, and ``serve``'s daily job on the reminders' scheduler.

The job runs by hand against the stand-in site (its demo dated today, so the default window finds it);
the scheduler is started paused and its jobs inspected, never waited for.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from moderngov_standin import ModernGovStandIn, demo_site, forbidden

from bot.cli_sync import daily_sync
from bot.config import ConfigError, Settings
from bot.notifiers import RecordingNotifier
from bot.scheduler import DAILY_EXECUTOR, JOB_ID, DailyJob, ReminderScheduler, run_daily, ticking
from bot.sync_config import SyncSettings
from knowledge.calendar.meetings import list_meetings
from knowledge.calendar.recurrence import LONDON
from knowledge.calendar.reminders import ReminderSettings
from knowledge.store import open_db

pytest_plugins = ["sync_support"]


def _settings(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "bot.toml"
    path.write_text(text, encoding="utf-8")
    return Settings.from_env({}, config_path=path)


# --- the settings -------------------------------------------------------------------------------------


def test_sync_settings_with_their_defaults(tmp_path):
    settings = _settings(tmp_path, '[council]\nname = "Eastmoor District Council"\n\n'
                                   '[sync]\nbase_url = "https://democracy.eastmoor.example.gov.uk/"\n')  # fmt: skip
    assert settings.sync == SyncSettings(
        base_url="https://democracy.eastmoor.example.gov.uk",
        at=time(2, 30),
        council="Eastmoor District Council",
        committees=(),
        spacing=1.0,
    )
    assert _settings(tmp_path, "[roles]\n").sync is None


def test_every_sync_setting(tmp_path):
    settings = _settings(tmp_path, '[sync]\nbase_url = "https://democracy.example.gov.uk/democracy"\nat = "03:15"\n'
                                   'council = "Wexcombe Borough Council"\ncommittees = ["Cabinet", 123]\n'
                                   "spacing = 2\n")  # fmt: skip
    assert settings.sync == SyncSettings("https://democracy.example.gov.uk/democracy", time(3, 15),
                                         "Wexcombe Borough Council", ("Cabinet", "123"), 2.0)  # fmt: skip


def test_every_problem_in_sync_is_listed_at_once(tmp_path):
    with pytest.raises(ConfigError) as caught:
        _settings(tmp_path, '[sync]\nbase_url = "democracy.example.gov.uk"\nat = "01:30"\ncommittees = "Cabinet"\n'
                            'spacing = -1\nevery = "day"\n')  # fmt: skip
    problems = caught.value.problems
    assert len(problems) == 5, problems
    assert any("unknown setting 'every'" in p for p in problems)
    assert any("base_url: the ModernGov address must start with https://" in p for p in problems)
    assert any("[sync] at:" in p and "between 01:00 and 02:00" in p for p in problems)
    assert any("committees must be a list of names or ids" in p for p in problems)
    assert any("spacing must be a number of seconds from 0 to 60" in p for p in problems)
    with pytest.raises(ConfigError, match="base_url must be the site's address"):
        _settings(tmp_path, '[sync]\nat = "02:30"\n')


# --- the daily job on the reminders' scheduler ----------------------------------------------------------


def test_the_daily_sync_runs_on_the_reminders_scheduler_at_its_london_time(tmp_path):
    job = DailyJob("sync", time(2, 30), lambda: None)
    reminders = ReminderScheduler(lambda: open_db(tmp_path / "s.db"), RecordingNotifier(), ReminderSettings())
    reminders.add_daily(job)
    reminders.start(paused=True)
    try:
        daily = reminders.scheduler.get_job("daily:sync")
        assert isinstance(daily.trigger, CronTrigger) and str(daily.trigger.timezone) == "Europe/London"
        assert (str(daily.trigger.fields[5]), str(daily.trigger.fields[6])) == ("2", "30")  # hour, minute
        assert daily.executor == DAILY_EXECUTOR and (daily.coalesce, daily.max_instances) == (True, 1)
        assert reminders.scheduler.get_job(JOB_ID) is not None  # the tick goes on beside it
    finally:
        reminders.shutdown()


def test_without_reminders_the_scheduler_still_syncs(tmp_path):
    job = DailyJob("sync", time(2, 30), lambda: None)
    with ticking(
        tmp_path / "s.db", RecordingNotifier(), ReminderSettings(), enabled=False, daily=[job]
    ) as running:
        assert running is not None and [j.id for j in running.scheduler.get_jobs()] == ["daily:sync"]
    with ticking(tmp_path / "s.db", RecordingNotifier(), ReminderSettings(), enabled=False) as nothing:
        assert nothing is None


def test_a_failed_daily_job_is_logged_and_never_raised(caplog):
    def broken() -> None:
        raise OSError("no route to host")

    with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
        assert run_daily(DailyJob("sync", time(2, 30), broken)) is False
    assert "the daily job 'sync' failed; it will run again at 02:30 tomorrow" in caplog.text
    assert run_daily(DailyJob("sync", time(2, 30), lambda: None)) is True


def test_serve_runs_the_daily_sync_when_settings_name_a_site_never_over_the_sample(tmp_path):
    from argparse import Namespace

    from bot.cli_chat import daily_jobs

    settings = _settings(tmp_path, '[sync]\nbase_url = "https://democracy.eastmoor.example"\n')
    assert [j.name for j in daily_jobs(Namespace(sample=False), settings, tmp_path / "b.db")] == ["sync"]
    assert daily_jobs(Namespace(sample=True), settings, tmp_path / "b.db") == []
    assert daily_jobs(Namespace(sample=False), _settings(tmp_path, ""), tmp_path / "b.db") == []


def test_the_daily_sync_fills_the_database_and_logs_one_line(tmp_path, caplog):
    path = tmp_path / "bot.db"
    now = [datetime.now(UTC)]
    with ModernGovStandIn(demo_site(date.today())) as standin:
        settings = SyncSettings(standin.base_url, council="Eastmoor District Council", spacing=0)
        job = daily_sync(path, settings, clock=lambda: now[0])
        assert (job.name, job.at) == ("sync", time(2, 30))
        with caplog.at_level(logging.INFO, logger="bot.cli_sync"):
            assert run_daily(job) is True
        assert "sync: Synced Eastmoor District Council (127.0.0.1:" in caplog.text
        # the other serve of this database (Slack and Teams both run it) finds it done: no request
        asked = len(standin.targets())
        caplog.clear()
        now[0] += timedelta(hours=11)
        with caplog.at_level(logging.INFO, logger="bot.cli_sync"):
            assert run_daily(daily_sync(path, settings, clock=lambda: now[0])) is True
        assert "was synced at" in caplog.text and "not again today" in caplog.text
        assert len(standin.targets()) == asked
        now[0] += timedelta(hours=13)  # the next day
        standin.inject("GetMeetings", forbidden(), times=None)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="bot.cli_sync"):
            assert run_daily(job) is True  # refused: logged, and tried again tomorrow
        assert "sync stopped: 127.0.0.1:" in caplog.text and "HTTP 403" in caplog.text
    db = open_db(path)
    try:
        assert len(list_meetings(db)) == 6 and all(
            m.council == "Eastmoor District Council" for m in list_meetings(db)
        )
    finally:
        db.close()
    assert LONDON.key == "Europe/London"
