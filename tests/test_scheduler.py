"""The ticker: APScheduler's one in-memory job, and reminders reaching Slack and the terminal chat.

APScheduler is started paused and its job's function called by hand, or left to fire its first
tick at start while the test waits on an event with a time-out. The tick's clock is always fixed.
"""

from __future__ import annotations

import io
import logging
import os
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.triggers.interval import IntervalTrigger
from chat_support import ACCESS, make_context, settings_for
from fake_slack import BOT_TOKEN, FakeSlack
from reminder_support import CABINET_CHANNEL, CLERK, MEETINGS_ONLY, SETTINGS, db_with, london, meeting, opener

from bot import scheduler as scheduler_module
from bot.notifiers import RecordingNotifier, SlackNotifier, TerminalNotifier
from bot.scheduler import JOB_ID, ReminderScheduler, run_tick, ticking
from bot.terminal import Terminal
from handlers.commands import build_registry
from knowledge.store import open_db

DUE = london(2026, 12, 3, 9, 0)  # the 7-day reminder of Cabinet on Thu 10 Dec


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 10)))


def test_public_names_exist() -> None:
    for name in scheduler_module.__all__:
        assert hasattr(scheduler_module, name), name


def test_one_tick_job_in_memory_that_runs_late_once_and_never_twice_at_a_time(path: Path) -> None:
    reminders = ReminderScheduler(opener(path), RecordingNotifier(), MEETINGS_ONLY, clock=lambda: DUE)
    reminders.start(paused=True)
    try:
        [job] = reminders.scheduler.get_jobs()
        assert job.id == JOB_ID and isinstance(job.trigger, IntervalTrigger)
        assert job.trigger.interval.total_seconds() == 60
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
        assert isinstance(reminders.scheduler._lookup_jobstore("default"), MemoryJobStore)
    finally:
        reminders.shutdown()
    assert not reminders.scheduler.running


def test_the_job_sends_at_the_injected_clocks_time(path: Path) -> None:
    clock = [london(2026, 12, 3, 8, 59)]
    notifier = RecordingNotifier()
    reminders = ReminderScheduler(opener(path), notifier, MEETINGS_ONLY, clock=lambda: clock[0])
    reminders.start(paused=True)
    try:
        job = reminders.scheduler.get_job(JOB_ID)
        job.func()
        assert notifier.sent == []
        clock[0] = DUE
        job.func()
        job.func()
    finally:
        reminders.shutdown()
    assert [to for to, _ in notifier.sent] == [CABINET_CHANNEL]


def test_a_failing_tick_is_logged_and_the_next_one_runs(path: Path, caplog: pytest.LogCaptureFixture) -> None:
    broken = [True]

    def open_database() -> Any:
        if broken[0]:
            raise OSError("disk unplugged")
        return open_db(path)

    notifier = RecordingNotifier()
    reminders = ReminderScheduler(open_database, notifier, MEETINGS_ONLY, clock=lambda: DUE)
    with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
        assert reminders.tick() is None
    assert "the reminder tick failed" in caplog.text
    broken[0] = False
    assert [o.to for o in reminders.tick().sent] == [CABINET_CHANNEL]  # type: ignore[union-attr]


def test_ticking_starts_at_once_and_stops_cleanly(path: Path) -> None:
    fired = threading.Event()

    class Notifier(RecordingNotifier):
        def send(self, to: str, text: str) -> None:
            super().send(to, text)
            fired.set()

    notifier = Notifier()
    with ticking(path, notifier, MEETINGS_ONLY, clock=lambda: DUE) as reminders:
        assert reminders is not None and reminders.scheduler.running
        assert fired.wait(timeout=10), "the first tick runs when the scheduler starts"
    assert not reminders.scheduler.running
    assert [to for to, _ in notifier.sent] == [CABINET_CHANNEL]
    with ticking(path, notifier, MEETINGS_ONLY, enabled=False) as nothing:
        assert nothing is None


# --- Slack --------------------------------------------------------------------------------------


def test_a_tick_posts_to_the_channel_and_to_the_clerk_in_slack(path: Path) -> None:
    with FakeSlack() as fake:
        notifier = SlackNotifier.from_settings(settings_for(fake), sleep=lambda s: None)
        tick = run_tick(opener(path), london(2026, 12, 2, 9), notifier, SETTINGS)  # publication deadline day
        assert [o.to for o in tick.sent] == [CLERK]
        tick = run_tick(opener(path), DUE, notifier, SETTINGS)
        assert [o.to for o in tick.sent] == [CABINET_CHANNEL]
        calls = [fake.wait_for("chat.postMessage"), fake.wait_for("chat.postMessage")]
    dm, post = calls
    assert dm.args["channel"] == CLERK  # posting to a user id lands in their direct messages with the bot
    assert dm.args["text"].startswith(":alarm_clock: Agenda publication deadline today: Cabinet")
    assert post.args["channel"] == CABINET_CHANNEL
    assert (
        post.args["text"]
        == ":alarm_clock: Cabinet meets on Thursday 10 December 2026 at 18:00, Council Chamber."
    )
    assert post.headers.get("Authorization") == f"Bearer {BOT_TOKEN}"


def test_slack_text_is_escaped(tmp_path: Path) -> None:
    with FakeSlack() as fake:
        SlackNotifier.from_settings(settings_for(fake)).send("C0X", "Budget & <!channel> review")
        call = fake.wait_for("chat.postMessage")
    assert call.args["text"] == ":alarm_clock: Budget &amp; &lt;!channel&gt; review"


# --- the terminal chat --------------------------------------------------------------------------


def test_the_terminal_prints_reminders_as_they_fire(path: Path) -> None:
    out = io.StringIO()
    terminal = Terminal(
        build_registry(), make_context(path), stdin=io.StringIO(), stdout=out, interactive=False
    )
    run_tick(opener(path), DUE, TerminalNotifier(terminal), MEETINGS_ONLY, transport="terminal")
    assert out.getvalue() == (
        "⏰ reminder to #C0CABINET: Cabinet meets on Thursday 10 December 2026 at 18:00, Council Chamber.\n\n"
    )


def test_reminders_print_while_the_chat_waits_for_a_line(path: Path) -> None:
    read_fd, write_fd = os.pipe()
    stdin = os.fdopen(read_fd, "r", encoding="utf-8")
    out = _LockedBuffer()
    context = make_context(path, ACCESS)
    terminal = Terminal(build_registry(), context, stdin=stdin, stdout=out, user="U0CLERK", interactive=False)
    reminders = ReminderScheduler(
        opener(path), TerminalNotifier(terminal), MEETINGS_ONLY, clock=lambda: DUE, transport="terminal"
    )
    chat = threading.Thread(target=terminal.run, name="chat")
    chat.start()  # blocked reading a line nobody has typed
    reminders.start(paused=True)
    try:
        reminders.scheduler.get_job(JOB_ID).func()  # the scheduler's thread would do this
        assert "⏰ reminder to #C0CABINET: Cabinet meets on Thursday 10 December 2026" in out.text()
        assert chat.is_alive()
    finally:
        reminders.shutdown()
        with os.fdopen(write_fd, "w", encoding="utf-8") as typing:
            typing.write("whoami\n:quit\n")
        chat.join(timeout=10)
        stdin.close()
    assert not chat.is_alive()
    assert "I have you down as a clerk" in out.text()


class _LockedBuffer(io.StringIO):
    """A StringIO two threads may write to and read from."""

    def __init__(self) -> None:
        super().__init__()
        self._guard = threading.Lock()

    def write(self, text: str) -> int:
        with self._guard:
            return super().write(text)

    def text(self) -> str:
        with self._guard:
            return self.getvalue()
