"""Teams in the settings: Entra object ids and Teams channel ids in the same file as Slack's, and the
Entra app's settings from the environment, every problem listed at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from bot.teams_config import SETTINGS_PREFIX

OFFICER = "0F8E5C1A-6B2D-4E7F-9A3C-1D2E3F4A5B6C"  # as the Entra admin centre may show it
CHANNEL = "19:aa11bb22cc33dd44ee55ff6677889900@thread.tacv2"
APP = {f"{SETTINGS_PREFIX}CLIENTID": "11111111-2222-4333-8444-555566667777",
       f"{SETTINGS_PREFIX}TENANTID": "c0ffee00-1111-4222-8333-444455556666",
       f"{SETTINGS_PREFIX}CLIENTSECRET": "not-a-real-secret"}  # fmt: skip


def _settings(tmp_path: Path, text: str, environ: dict[str, str] | None = None) -> Settings:
    path = tmp_path / "bot.toml"
    path.write_text(text, encoding="utf-8")
    return Settings.from_env(environ or {}, config_path=path)


def test_slack_and_teams_people_and_channels_share_one_file(tmp_path: Path) -> None:
    settings = _settings(tmp_path, f"""
[roles]
officers = ["U0123ABCD", "{OFFICER}"]

[channels]
C0123ABCD = "officers"
"{CHANNEL};messageid=1700000000001" = "members"

[users]
"{OFFICER}" = "Olu Officer"

[reminders]
channel = "{CHANNEL}"
clerks = ["{OFFICER}"]

[owners]
"Head of Housing" = "{OFFICER}"
""")  # fmt: skip
    officer = OFFICER.lower()
    assert dict(settings.access.roles) == {"U0123ABCD": "officer", officer: "officer"}
    assert dict(settings.access.audiences) == {"C0123ABCD": "officers", CHANNEL: "members"}
    assert settings.access.names[officer] == "Olu Officer" and settings.access.role_of(officer) == "officer"
    assert settings.reminders.default.channel == CHANNEL and settings.reminders.clerks == (officer,)
    assert settings.reminders.owners["head of housing"] == officer


def test_every_problem_with_teams_ids_is_listed_at_once(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        _settings(tmp_path, """
[roles]
officers = ["sam.patel@eastmoor.example.gov.uk", "3f2504e0-4f89-11d3"]

[channels]
General = "officers"
"19:abc@thread.tacv2" = "everyone"

[users]
"not an id" = "Sam"

[reminders]
channel = "General"
clerks = ["sam.patel@eastmoor.example.gov.uk"]
""", {"SCRUTINY_BOT_TEAMS_ANONYMOUS": "maybe"})  # fmt: skip
    problems = err.value.problems
    expected = [
        "'sam.patel@eastmoor.example.gov.uk' is not a user id",
        "'3f2504e0-4f89-11d3' is not a user id",
        "[channels] 'General' is not a channel id",
        "[channels] 19:abc@thread.tacv2 = 'everyone'",
        "[users] 'not an id' is not a user id",
        "[reminders] channel must be a channel id",
        "[reminders] clerks must be a list of user ids",
        "SCRUTINY_BOT_TEAMS_ANONYMOUS must be 1",
    ]
    for words in expected:
        assert any(words in p for p in problems), (words, problems)
    assert len(problems) == len(expected)
    assert "not their e-mail" in problems[0]


def test_serving_teams_needs_the_entra_app_unless_anonymous() -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_env({}).check_teams()
    assert [p.split(" ")[0] for p in err.value.problems] == [
        f"{SETTINGS_PREFIX}CLIENTID", f"{SETTINGS_PREFIX}TENANTID", f"{SETTINGS_PREFIX}CLIENTSECRET"]  # fmt: skip
    Settings.from_env(APP).check_teams()
    Settings.from_env({"SCRUTINY_BOT_TEAMS_ANONYMOUS": "1"}).check_teams()
    certificate = {**APP, f"{SETTINGS_PREFIX}AUTHTYPE": "Certificate"}
    del certificate[f"{SETTINGS_PREFIX}CLIENTSECRET"]
    Settings.from_env(certificate).check_teams()
    with pytest.raises(ConfigError, match="CLIENTID must be the bot's Entra app"):
        Settings.from_env(
            {"SCRUTINY_BOT_TEAMS_ANONYMOUS": "1", f"{SETTINGS_PREFIX}CLIENTID": "my-bot"}
        ).check_teams()


def test_the_app_secret_is_never_shown() -> None:
    settings = Settings.from_env(APP)
    assert "not-a-real-secret" not in repr(settings) and "not-a-real-secret" not in repr(settings.teams)
    assert settings.teams.client_id == APP[f"{SETTINGS_PREFIX}CLIENTID"] and not settings.teams.anonymous


def test_a_secret_in_the_settings_file_points_to_the_environment(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CLIENTSECRET"):
        _settings(tmp_path, '[teams]\nclient_secret = "oops"\n')
