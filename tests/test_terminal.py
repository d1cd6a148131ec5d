"""The terminal chat and the ``chat``/``serve`` subcommands, driven through stdin and the CLI runner."""

from __future__ import annotations

import io
import json
import re
import threading
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from chat_support import RunningApp, make_context, seeded_db
from fake_slack import FakeSlack

from bot import cli
from bot.terminal import Terminal, render
from handlers.commands import build_registry
from handlers.context import Context
from handlers.messages import Reply, Section
from knowledge.models import Citation


@pytest.fixture
def context(tmp_path: Path) -> Context:
    return make_context(seeded_db(tmp_path))


def _run(context: Context, lines: str, *, user: str | None = None, tmp: Path | None = None) -> str:
    out = io.StringIO()
    terminal = Terminal(
        build_registry(),
        context,
        stdin=io.StringIO(lines),
        stdout=out,
        user=user,
        interactive=False,
        save_dir=tmp,
    )
    assert terminal.run() == 0
    return out.getvalue()


def test_reads_lines_from_a_pipe_and_answers_each(context: Context) -> None:
    out = _run(context, "what did cabinet resolve in Dec 2022\n\nwhoami\n")
    assert "“That the revenue budget for 2023/24 be recommended to Council <as amended>.”" in out
    assert "Source: https://northbridge.example.gov.uk/mgIssue?ID=181&Cabinet" in out
    assert "I have you down as a member" in out
    assert "member>" not in out  # no prompt when not at a terminal


def test_as_switches_user_or_role_and_quit_ends(context: Context) -> None:
    out = _run(context, ":as\n:as Cleo Clerk\nroles\n:as officer\nwhoami\n:as the mayor\n:quit\nwhoami\n")
    assert "You are the terminal's user, a member." in out
    assert "You are now Cleo Clerk (U0CLERK), a clerk." in out
    assert "Officers: Olu Officer (U0OFFICER)" in out
    assert "You are now any officer." in out and "I have you down as an officer" in out
    assert "I do not know 'the mayor'" in out
    assert out.count("I have you down as") == 1  # nothing after :quit


def test_colon_help_lists_the_terminal_commands(context: Context) -> None:
    out = _run(context, ":help\n")
    assert ":as USER" in out and ":quit" in out


def test_an_unknown_user_at_start_is_a_user_error(context: Context) -> None:
    with pytest.raises(Exception, match="I do not know 'U0NOBODY'"):
        _run(context, "", user="U0NOBODY")


def test_render_shows_head_sections_with_their_citations_and_tail() -> None:
    cite = Citation("Northbridge", "Cabinet", date(2022, 12, 15), "181", "Budget", "https://x.org/181")
    reply = Reply(text="(plain)", sections=(Section("All agreed.", (cite,)),), head="Note.", tail="The end.")
    assert render(reply) == (
        "Note.\n\nAll agreed.\n  — Northbridge, Cabinet, 15 December 2022, item 181: Budget (https://x.org/181)"
        "\n\nThe end."
    )
    heading = f"{cite.label(with_council=False)}\nSource: https://x.org/181"
    shown = Section("All agreed.", (cite,), heading=heading)
    assert render(Reply(text="(plain)", sections=(shown,))) == heading + "\nAll agreed."


def test_notify_prints_as_a_message_fires(context: Context) -> None:
    out = io.StringIO()
    terminal = Terminal(build_registry(), context, stdin=io.StringIO(), stdout=out, interactive=False)
    fired = threading.Thread(target=terminal.notify, args=(Reply(text="Reminder: Cabinet tomorrow."),))
    fired.start()
    terminal.handle("whoami")
    fired.join(timeout=5)
    text = out.getvalue()
    assert "Reminder: Cabinet tomorrow.\n\n" in text and "I have you down as a member.\n" in text


# --- the command line ---------------------------------------------------------------------------


def test_chat_on_a_database_with_a_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = seeded_db(tmp_path)
    config = tmp_path / "roles.toml"
    config.write_text('[roles]\nclerks = ["U0CLERK"]\n[users]\nU0CLERK = "Cleo Clerk"\n', encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("roles\nhousing repairs\n"))
    assert cli.main(["--db", str(db), "chat", "--config", str(config), "--as", "Cleo Clerk"]) == 0
    out = capsys.readouterr().out
    assert "Clerks: Cleo Clerk (U0CLERK)" in out
    assert "“That Cabinet publish a monthly repairs dashboard.”" in out


def test_chat_reports_every_config_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "roles.toml"
    config.write_text('[roles]\nofficers = "U1"\n[channels]\nC1 = "all"\n', encoding="utf-8")
    assert cli.main(["--db", str(tmp_path / "x.db"), "chat", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "the configuration has 2 problems" in err and "officers must be a list" in err and "C1" in err


def test_chat_sample_uses_the_bundled_council(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("what did cabinet resolve in Dec 2022\n"))
    assert cli.main(["chat", "--sample"]) == 0
    captured = capsys.readouterr()
    assert "Loaded the sample council (Northbridge Borough Council)" in captured.err
    assert (
        "Cabinet, 15 December 2022" in captured.out
        and "Source: https://democracy.northbridge.example/" in captured.out
    )


def test_serve_without_slack_settings_lists_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SCRUTINY_BOT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["--db", str(tmp_path / "x.db"), "serve"]) == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN is not set" in err and "SLACK_SIGNING_SECRET is not set" in err


def test_the_http_server_has_a_health_check(tmp_path: Path) -> None:
    with FakeSlack() as fake, RunningApp(fake, make_context(seeded_db(tmp_path))) as app:
        url = app.url.replace("/slack/events", "/healthz")
        with urllib.request.urlopen(url, timeout=5) as resp:
            assert (resp.status, resp.read()) == (200, b"ok\n")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(app.url.replace("/slack/events", "/other"), timeout=5)
        err.value.close()
        assert err.value.code == 404
    assert json.dumps(fake.methods()) == "[]"


# --- the choices that go with an answer (issue 11) --------------------------------------------------


def test_an_answer_offers_numbered_choices_share_and_feedback(context: Context) -> None:
    from knowledge.answers.feedback import list_feedback

    lines = "what did cabinet resolve in Dec 2022\nshare\nshare C0PUBLIC\n:feedback\n2\n:feedback bad it missed item 185\n"
    out = _run(context, lines, user="U0OFFICER")
    assert "  [1] Share in channel (or type share #CHANNEL)" in out
    assert "  [2] Was this helpful? (or type :feedback good | bad [what was wrong])" in out
    assert "Say which channel to share it in" in out
    assert "I cannot share this answer in C0PUBLIC: it quotes exempt (Part 2) material" in out
    assert out.count("Type :feedback good, or :feedback bad and what was wrong.") == 2
    assert "Thank you: I have noted what was wrong" in out
    with context.database() as db:
        [row] = list_feedback(db)
    assert (row.user_id, row.rating, row.note) == ("U0OFFICER", "bad", "it missed item 185")


def test_a_shared_answer_is_shown_as_the_channel_would_see_it(context: Context) -> None:
    out = _run(context, "what did cabinet resolve in Dec 2022\nshare #scrutiny\n")
    assert "(Shared in #scrutiny:)" in out
    assert out.count("That the revenue budget for 2023/24") == 2


def test_more_pages_through_a_long_answer(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("which actions are overdue\nmore\nmore\n"))
    assert cli.main(["chat", "--sample", "--no-reminders"]) == 0
    out = capsys.readouterr().out
    first, _, rest = out.partition("(continued: 2 of")
    assert "Show more (" in first and "(or type more)" in first
    assert re.search(r"…and \d+ more; `report` lists every action\.", rest)  # the last page ends the answer
    assert rest.rstrip().endswith("That was the whole answer.")


def test_an_officer_opens_the_form_for_an_action_by_its_number(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SCRUTINY_BOT_CONFIG", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("my actions\n2\n"))
    assert cli.main(["chat", "--sample", "--no-reminders", "--as", "Owen Pritchard"]) == 0
    out = capsys.readouterr().out
    assert "[1] Update 4.1" in out and "[5] Update 4.5" in out
    assert "Action 4.2 of the Children's Services Improvement Plan is Red" in out
    assert "Ratings: Blue, Green, Amber, Red. Type status 4.2 RATING NOTE" in out
