"""A command or setting that is not documented fails a test."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(f"{prefix}{name}")
                found += _subcommands(sub, f"{prefix}{name} ")
    return found


def test_every_subcommand_is_in_the_readme():
    missing = [c for c in _subcommands(build_parser()) if f"scrutiny-bot {c}" not in README]
    assert missing == []


def test_every_environment_variable_is_in_the_readme():
    for name in ("SCRUTINY_BOT_DB", "SCRUTINY_BOT_CONFIG", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN",
                 "SLACK_SIGNING_SECRET", "SLACK_API_URL", "SCRUTINY_BOT_TEAMS_ANONYMOUS",
                 "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID",
                 "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID",
                 "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET"):  # fmt: skip
        assert f"`{name}`" in README, name


def test_the_two_setup_commands_and_ci_agree():
    run = "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/scrutiny-bot chat --sample"
    test = "python3 -m venv .venv && .venv/bin/pip install -q '.[test]' && .venv/bin/python -m pytest"
    assert run in README and test in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    # the README's test command exactly as written, then the lint and type checks in its environment
    steps = [test, ".venv/bin/ruff check .", ".venv/bin/mypy bot handlers knowledge"]
    assert [c for c in commands if c in steps] == steps
    assert "||" not in ci  # no step's failure is forgiven
