"""``scrutiny-bot serve`` before it serves: no route to Slack, a wrong or revoked token is one line
and a non-zero exit, never a traceback; and Bolt's start-up noise about the token is not printed."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_support import RunningApp, make_context, seeded_db, settings_for
from fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack

from bot import cli
from bot.slack_app import build_app
from bot.slack_serve import check_connection, serve
from knowledge.models import UserError


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


def _serve(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, api_url: str) -> int:
    for name, value in (("SLACK_BOT_TOKEN", BOT_TOKEN), ("SLACK_SIGNING_SECRET", SIGNING_SECRET),
                        ("SLACK_API_URL", api_url)):  # fmt: skip
        monkeypatch.setenv(name, value)
    for name in ("SLACK_APP_TOKEN", "SCRUTINY_BOT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return cli.main(["--db", str(tmp_path / "x.db"), "serve", "--port", "0", "--no-reminders"])


@pytest.mark.parametrize(
    ("error", "said"),
    [
        ("invalid_auth", "scrutiny-bot: Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the token again"),
        (
            "token_revoked",
            "scrutiny-bot: Slack says SLACK_BOT_TOKEN no longer works (token_revoked): reinstall",
        ),
    ],
)
def test_a_wrong_or_revoked_token_is_one_line_and_a_non_zero_exit(
    fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    error: str, said: str,
) -> None:  # fmt: skip
    fake.fail("auth.test", "", error)
    assert _serve(monkeypatch, tmp_path, fake.api_url) == 2
    err = capsys.readouterr().err
    assert err.startswith(said) and err.count("\n") == 1 and "Traceback" not in err
    assert fake.methods() == ["auth.test"]  # asked once, nothing served


def test_no_route_to_slack_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert _serve(monkeypatch, tmp_path, f"http://127.0.0.1:{port}/api/") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"scrutiny-bot: Cannot reach Slack at http://127.0.0.1:{port}/api/ (")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_good_token_says_whose_it_is(fake: FakeSlack) -> None:
    assert check_connection(settings_for(fake)) == "@scrutiny in Test"


def test_a_refused_app_token_in_socket_mode_is_one_line(fake: FakeSlack, tmp_path: Path) -> None:
    from dataclasses import replace

    fake.fail("apps.connections.open", "", "invalid_auth")
    settings = replace(settings_for(fake), slack_app_token="xapp-1-test")
    app = build_app(settings, make_context(seeded_db(tmp_path)))
    with pytest.raises(UserError, match=r"^Slack refused SLACK_APP_TOKEN \(invalid_auth\)"):
        serve(app, settings, announce=lambda line: None)


def test_bolt_does_not_warn_about_the_token_at_every_start(
    fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)  # Bolt reads it itself, and used to warn
    with caplog.at_level(logging.WARNING):
        with RunningApp(fake, make_context(seeded_db(tmp_path))):
            pass
    assert not [r for r in caplog.records if "token" in r.getMessage().lower()]
