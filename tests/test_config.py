"""Settings: parsed once from a mapping and a TOML file, every problem listed at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_SLACK_API_URL, ConfigError, Settings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_documented_form_works(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[roles]
officers = ["U123"]
clerks = ["U456"]
admins = ["U789"]

[channels]
C123 = "officers"
C456 = "members"

[users]
U123 = "Sam Patel"
""",
    )
    settings = Settings.from_env({}, config_path=path)
    access = settings.access
    assert dict(access.roles) == {"U123": "officer", "U456": "clerk", "U789": "admin"}
    assert dict(access.audiences) == {"C123": "officers", "C456": "members"}
    assert access.role_of("U999") == "member" and access.audience_of("C999") == "public"
    assert access.names["U123"] == "Sam Patel"
    assert settings.config_path == path


def test_one_user_per_line_and_somebody_listed_twice_keeps_the_higher_role(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[roles]
officers = ["U1", "U2"]
clerks = ["U2"]
U3 = "admin"
U4 = "Officers"
members = ["U5"]
""",
    )
    roles = Settings.from_env({}, config_path=path).access.roles
    assert dict(roles) == {"U1": "officer", "U2": "clerk", "U3": "admin", "U4": "officer"}


def test_the_config_file_may_come_from_the_environment_and_the_option_wins(tmp_path: Path) -> None:
    env_file = _write(tmp_path, '[roles]\nclerks = ["UENV"]\n')
    option = tmp_path / "other.toml"
    option.write_text('[roles]\nclerks = ["UOPT"]\n', encoding="utf-8")
    assert "UENV" in Settings.from_env({"SCRUTINY_BOT_CONFIG": str(env_file)}).access.roles
    both = Settings.from_env({"SCRUTINY_BOT_CONFIG": str(env_file)}, config_path=option)
    assert dict(both.access.roles) == {"UOPT": "clerk"}


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[roles]
officers = "U1"
clerks = ["U2", 7, "two words"]
U3 = "mayor"

[channels]
C1 = "everyone"

[slack]
bot_token = "xoxb-oops"

[users]
U1 = 3
""",
    )
    env = {"SLACK_API_URL": "ftp://example", "SLACK_BOT_TOKEN": "xoxp-user", "SLACK_APP_TOKEN": "nope"}
    with pytest.raises(ConfigError) as err:
        Settings.from_env(env, config_path=path)
    problems = err.value.problems
    expected = [
        "slack.bot_token looks like a secret",
        "unknown section [slack]",
        "[roles] officers must be a list",
        "7 is not a user id",
        "'two words' is not a user id",
        "[roles] U3 = 'mayor'",
        "[channels] C1 = 'everyone'",
        "[users] U1 must be a name",
        "SLACK_API_URL must be an http(s) URL",
        "SLACK_BOT_TOKEN must be a bot token",
        "SLACK_APP_TOKEN must be an app-level token",
    ]
    for words in expected:
        assert any(words in p for p in problems), (words, problems)
    assert len(problems) == len(expected)
    assert str(err.value).startswith(f"the configuration has {len(expected)} problems:")


@pytest.mark.parametrize(
    ("text", "words"),
    [(None, "not found"), ("[roles\n", "not valid TOML"), ("roles = 3\n", "[roles] must be a table")],
)
def test_an_unreadable_file_is_a_listed_problem(tmp_path: Path, text: str | None, words: str) -> None:
    path = tmp_path / "missing.toml" if text is None else _write(tmp_path, text)
    with pytest.raises(ConfigError, match="a problem") as err:
        Settings.from_env({}, config_path=path)
    assert words in err.value.problems[0]


def test_the_environment_gives_secrets_and_the_api_url() -> None:
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": "shh",
            "SLACK_API_URL": "http://127.0.0.1:9999/api",
            "SCRUTINY_BOT_DB": "/tmp/x.db",
        }
    )
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"  # the trailing slash matters
    assert settings.slack_bot_token == "xoxb-1" and settings.slack_signing_secret == "shh"
    assert str(settings.db_path) == "/tmp/x.db"
    assert not settings.socket_mode
    assert "xoxb-1" not in repr(settings) and "shh" not in repr(settings)
    settings.check_slack()
    assert Settings.from_env({}).slack_api_url == DEFAULT_SLACK_API_URL


def test_slack_needs_a_token_and_a_signing_secret_unless_in_socket_mode() -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_env({}).check_slack()
    assert [p.split(" ")[0] for p in err.value.problems] == ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]
    socket = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert socket.socket_mode
    socket.check_slack()


def test_settings_are_frozen() -> None:
    settings = Settings.from_env({})
    with pytest.raises(AttributeError):
        settings.slack_bot_token = "xoxb-2"  # type: ignore[misc]
