"""Reminders in Teams: sent proactively to the conversations the bot was added to or spoken in, once.

The bot is served on 127.0.0.1 and told of a channel and a clerk's 1:1 chat, whose ``serviceUrl`` is
a stand-in for the Bot Connector on loopback; the scheduler's tick (called directly, at fixed times)
sends through the Teams notifier and the shared send log.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from chat_support import make_context
from fake_connector import FakeConnector
from reminder_support import db_with, london, meeting, opener
from teams_support import CHANNEL, CLERK, TEAMS_ACCESS, RunningTeams, activity, bot_added, dm

from bot.scheduler import run_tick
from bot.teams_delivery import TRANSPORT, TeamsNotifier
from knowledge.calendar.custom_reminders import add_reminder, describe_target
from knowledge.calendar.reminders import BodyReminders, ReminderSettings, send_log
from knowledge.store import open_db

SLACK_CHANNEL = "C0SCRUTINY"
SETTINGS = ReminderSettings(
    bodies={"Cabinet": BodyReminders(channel=CHANNEL), "Overview and Scrutiny Committee": BodyReminders(channel=SLACK_CHANNEL)},
    clerks=(),
)  # fmt: skip
DUE = london(2026, 12, 3, 9, 1)  # a minute after the 7-day reminders of 10 December's meetings


class Setup:
    def __init__(self, path: Path, stack: ExitStack) -> None:
        self.path = path
        self.connector = stack.enter_context(FakeConnector())
        self.teams = stack.enter_context(RunningTeams(make_context(path, access=TEAMS_ACCESS)))
        self.notifier = TeamsNotifier(self.teams.adapter, opener(path))

    def tick(self, now: Any) -> Any:
        return run_tick(opener(self.path), now, self.notifier, SETTINGS, transport=TRANSPORT,
                        accepts=self.notifier.accepts)  # fmt: skip

    def log(self) -> list[dict[str, Any]]:
        db = open_db(self.path)
        try:
            return send_log(db)
        finally:
            db.close()


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    path = db_with(tmp_path / "bot.db", meeting("Cabinet", date(2026, 12, 10)),
                   meeting("Overview and Scrutiny Committee", date(2026, 12, 10)))  # fmt: skip
    with ExitStack() as stack:
        s = Setup(path, stack)
        assert s.teams.post(bot_added(CHANNEL, service_url=s.connector.url))[0] in (200, 202)
        assert s.teams.post(activity("help", user=CLERK, service_url=s.connector.url))[0] == 200
        yield s


def test_a_due_reminder_reaches_the_teams_channel_once(setup: Setup) -> None:
    first = setup.tick(DUE)
    assert [o.to for o in first.sent] == [CHANNEL]
    [posted] = setup.connector.sent(CHANNEL)
    assert posted.conversation == CHANNEL  # the channel itself, not a thread of it: a new post
    assert "⏰ Reminder:" in posted.text() and "Cabinet" in posted.text()
    assert setup.tick(DUE).sent == () and setup.tick(london(2026, 12, 3, 9, 30)).sent == ()
    assert len(setup.connector.sent(CHANNEL)) == 1
    teams_log = [(r["recipient"], r["status"]) for r in setup.log() if r["transport"] == TRANSPORT]
    assert teams_log == [(CHANNEL, "sent")]  # the Slack channel's reminder is left for the Slack app


def test_a_clerks_reminder_reaches_their_one_to_one_chat_by_entra_object_id(setup: Setup) -> None:
    db = open_db(setup.path)
    try:
        reminder = add_reminder(db, f"2026-12-03 10:00 @{CLERK.upper()} Chase the Cabinet report", user_id=CLERK,
                                role="clerk", now=london(2026, 12, 1, 12))  # fmt: skip
    finally:
        db.close()
    assert reminder.to == CLERK and describe_target(reminder.to) == f"@{CLERK}"
    setup.tick(DUE)
    sent = setup.tick(london(2026, 12, 3, 10, 1))
    assert [o.to for o in sent.sent] == [CLERK]
    [posted] = setup.connector.sent(dm(CLERK))
    assert "Chase the Cabinet report" in posted.text()
    assert setup.tick(london(2026, 12, 3, 10, 2)).sent == ()


def test_a_person_the_bot_never_met_is_logged_as_failed_not_retried(setup: Setup) -> None:
    stranger = "99999999-8888-4777-8666-555544443333"
    db = open_db(setup.path)
    try:
        add_reminder(
            db,
            f"2026-12-03 10:00 @{stranger} Hello",
            user_id=CLERK,
            role="clerk",
            now=london(2026, 12, 1, 12),
        )
    finally:
        db.close()
    setup.tick(DUE)
    tick = setup.tick(london(2026, 12, 3, 10, 1))
    assert [o.to for o in tick.failed] == [stranger] and tick.sent == ()
    assert setup.tick(london(2026, 12, 3, 10, 2)).failed == ()
    assert [r["status"] for r in setup.log() if r["recipient"] == stranger] == ["failed"]


def test_the_teams_notifier_takes_teams_recipients_and_leaves_slack_ones(setup: Setup) -> None:
    accepts = setup.notifier.accepts
    assert accepts(CHANNEL) and accepts(CLERK) and accepts("19:other@thread.v2")
    assert not accepts(SLACK_CHANNEL) and not accepts("#scrutiny") and not accepts("U0CLERK")
