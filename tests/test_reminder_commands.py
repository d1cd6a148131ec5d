"""``remind list|add|cancel`` through the registry, for every role, and ``scrutiny-bot reminders``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from chat_support import ACCESS
from reminder_support import CABINET_CHANNEL, SETTINGS, db_with, london, meeting

from bot.cli import main
from handlers import reminder_commands
from handlers.commands import build_registry
from handlers.context import Context
from handlers.messages import Reply, Visibility
from knowledge.store import open_db

NOW = london(2026, 11, 27, 10, 0)  # Friday; Cabinet meets on Thu 3 Dec, its 7-day reminder is today's past
USERS = {"member": "U0MEMBER", "officer": "U0OFFICER", "clerk": "U0CLERK", "admin": "U0ADMIN"}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return db_with(tmp_path / "r.db", meeting("Cabinet", date(2026, 12, 3), url="https://example.gov.uk/m/3"))


@pytest.fixture
def context(path: Path) -> Context:
    return Context(open_db=lambda: open_db(path), access=ACCESS, now=lambda: NOW, reminders=SETTINGS)


def say(context: Context, role: str, text: str) -> Reply:
    request = context.access.request(user_id=USERS[role], text=text, channel_id="C0PUBLIC")
    assert request.role == role
    return build_registry().dispatch(request, context)


def test_public_names_exist() -> None:
    for name in reminder_commands.__all__:
        assert hasattr(reminder_commands, name), name


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("remind", "remind"),
        ("remind list", "remind"),
        ("remind add tomorrow 10:00 me x", "remind"),
        ("remind cancel 3", "remind"),
        ("remind me what cabinet decided about the budget", "ask"),
    ],
)
def test_routing(text: str, command: str) -> None:
    assert build_registry().resolve(text)[0].name == command


@pytest.mark.parametrize("role", ["member", "officer"])
def test_members_and_officers_see_meeting_reminders_but_not_clerks_messages(
    context: Context, role: str
) -> None:
    reply = say(context, role, "remind list")
    assert reply.visibility is Visibility.ASKER
    assert (
        "• Wed 2 Dec 2026 09:00 to #C0CABINET (meeting): Cabinet meets on Thursday 3 December 2026"
        in reply.text
    )
    assert "(deadline)" not in reply.text and "Reminders clerks have set" not in reply.text
    assert "You see meeting reminders and your own; clerks see the rest." in reply.text


@pytest.mark.parametrize("role", ["clerk", "admin"])
def test_clerks_and_admins_see_everything_and_the_reminders_set(context: Context, role: str) -> None:
    reply = say(context, role, "remind list 20")
    assert reply.text.splitlines()[0] == "Reminders from now to Thu 17 Dec 2026 10:00 (London time):"
    assert "to @U0CLERK (deadline): Draft minutes due in 2 working days: Cabinet" in reply.text
    assert "No clerk has set a reminder of their own." in reply.text


@pytest.mark.parametrize("role", ["member", "officer"])
def test_only_clerks_and_admins_set_and_cancel(context: Context, role: str) -> None:
    add = say(context, role, "remind add every monday 09:00 #scrutiny Check the forward plan")
    assert (
        add.text
        == f"Only clerks and admins can set reminders; I have you down as {'a member' if role == 'member' else 'an officer'}."
    )
    assert add.visibility is Visibility.ASKER
    say(context, "clerk", "remind add every monday 09:00 #scrutiny Check the forward plan")
    cancel = say(context, role, "remind cancel 1")
    assert cancel.text.startswith("Only clerks and admins can cancel reminders")


@pytest.mark.parametrize("role", ["clerk", "admin"])
def test_a_clerk_sets_lists_and_cancels_a_reminder(context: Context, role: str) -> None:
    added = say(context, role, "remind add every monday 09:00 #scrutiny Check the forward plan")
    assert added.text.splitlines() == [
        "Reminder #1 set: every Monday at 09:00 (from Mon 30 Nov 2026) to #scrutiny.",
        "The first goes out Mon 30 Nov 2026 09:00.",
        "Weekend and bank-holiday days go on the working day before.",
    ]
    again = say(context, role, "remind add every monday 09:00 #scrutiny Check the forward plan")
    assert again.text == added.text  # the same reminder, not a second copy
    listed = say(context, role, "remind list").text
    assert "• Mon 30 Nov 2026 09:00 to #scrutiny (custom): Check the forward plan" in listed
    assert "• #1 every Monday at 09:00 (from Mon 30 Nov 2026) to #scrutiny: Check the forward plan" in listed
    cancelled = say(context, role, "remind cancel 1")
    assert cancelled.text == (
        "Cancelled reminder #1 every Monday at 09:00 (from Mon 30 Nov 2026) to #scrutiny: Check the forward plan"
    )
    assert "(custom)" not in say(context, role, "remind list").text
    assert say(context, role, "remind cancel #1").text == "Reminder #1 was already cancelled on 2026-11-27."


def test_a_one_off_on_a_bank_holiday_says_when_it_really_goes(context: Context) -> None:
    reply = say(context, "clerk", "remind add 25 dec 10am to me Send the Christmas rota")
    assert reply.text.splitlines() == [
        "Reminder #1 set: on Fri 25 Dec 2026 at 10:00 to @U0CLERK.",
        "The first goes out Thu 24 Dec 2026 10:00.",
        "Fri 25 Dec 2026 is Christmas Day, so it goes on the working day before.",
    ]


def test_people_by_name_and_slack_links(context: Context) -> None:
    assert (
        "to @U0OFFICER."
        in say(context, "clerk", "remind add tomorrow 11:00 @Olu chase item 6").text.splitlines()[0]
    )
    assert (
        "to #C0123ABCD." in say(context, "clerk", "remind add 2026-12-01 10:00 <#C0123ABCD|general> hi").text
    )
    assert (
        "I don't know who @nobody is" in say(context, "clerk", "remind add 2026-12-01 10:00 @nobody hi").text
    )


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("remind add", "Who should get it?"),
        ("remind add tomorrow 10:00 Check things", "Who should get it?"),
        ("remind add #general hello", "When should I send it?"),
        ("remind add tomorrow 10:00 #general", "What should the reminder say?"),
        ("remind add every fortnight #general hi", "I can't read 'every fortnight'"),
        ("remind add 2026-11-20 09:00 #general hi", "has passed"),
        ("remind add tomorrow 01:30 #general hi", "between 01:00 and 02:00"),
        ("remind cancel", "Which reminder?"),
        ("remind cancel seven", "Give the reminder's number"),
        ("remind cancel 99", "There is no reminder #99"),
        ("remind list 500", "from 1 to 62"),
    ],
)
def test_bad_input_gets_a_polite_answer(context: Context, text: str, answer: str) -> None:
    reply = say(context, "clerk", text)
    assert answer in reply.text and reply.visibility is Visibility.ASKER and reply.error_ref is None


def test_a_clerk_is_told_when_no_channel_is_configured(path: Path) -> None:
    context = Context(open_db=lambda: open_db(path), access=ACCESS, now=lambda: NOW)
    text = say(context, "clerk", "remind list").text
    assert (
        "No body has a channel for meeting reminders yet: set [reminders] channel in the config file." in text
    )


# --- scrutiny-bot reminders ----------------------------------------------------------------------

CONFIG = f"""
[roles]
clerks = ["U0CLERK"]

[reminders]
time = "08:30"

[bodies."Cabinet"]
channel = "{CABINET_CHANNEL}"
"""


def run(capsys: pytest.CaptureFixture[str], path: Path, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    config = tmp_path / "bot.toml"
    config.write_text(CONFIG, encoding="utf-8")
    status = main(["--db", str(path), "reminders", "--config", str(config), *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_lists_a_window_as_json_lines(
    capsys: pytest.CaptureFixture[str], path: Path, tmp_path: Path
) -> None:
    status, out, _ = run(capsys, path, tmp_path, "--from", "2026-11-23T00:00", "--to", "2026-12-03", "--json")
    assert status == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["at"], r["to"], r["kind"]) for r in rows] == [
        ("2026-11-23T08:30:00+00:00", "U0CLERK", "deadline"),
        ("2026-11-25T08:30:00+00:00", "U0CLERK", "deadline"),
        ("2026-11-26T08:30:00+00:00", CABINET_CHANNEL, "meeting"),
        ("2026-12-02T08:30:00+00:00", CABINET_CHANNEL, "meeting"),
    ]
    assert rows[2]["text"].startswith("Cabinet meets on Thursday 3 December 2026 at 18:00")


def test_cli_lists_a_window_as_a_table(
    capsys: pytest.CaptureFixture[str], path: Path, tmp_path: Path
) -> None:
    status, out, _ = run(
        capsys, path, tmp_path, "--from", "2026-12-02 08:00+00:00", "--to", "2026-12-02T12:00"
    )
    assert status == 0
    assert out.splitlines() == [
        "Reminders from Wed 2 Dec 2026 08:00 to Wed 2 Dec 2026 12:00 (London time): 1",
        "Wed 2 Dec 2026 08:30   meeting   to C0CABINET: Cabinet meets on Thursday 3 December 2026 at 18:00, "
        "Council Chamber.",
        "                         Papers: https://example.gov.uk/m/3",
    ]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--from", "soon"], "I can't read 'soon' as a date-time"),
        (["--from", "2026-12-02", "--to", "2026-12-01"], "must be after --from"),
    ],
)
def test_cli_refuses_bad_windows(
    capsys: pytest.CaptureFixture[str], path: Path, tmp_path: Path, args: list[str], error: str
) -> None:
    status, _, err = run(capsys, path, tmp_path, *args)
    assert status == 2 and error in err
