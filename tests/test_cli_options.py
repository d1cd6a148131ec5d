"""The command line's options: ``--db`` and ``--log-level`` before or after any subcommand, and
``ask -``, which answers every line of standard input, blank ones included."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pytest
from chat_support import seeded_db

from bot.cli import build_parser, main

QUESTION = "what did cabinet resolve about the budget"
TODAY = ["--today", "2023-02-01"]
CALENDAR = Path(__file__).parent / "data" / "calendar" / "moderngov.ics"
SAMPLE = Path(__file__).resolve().parents[1] / "knowledge" / "sample" / "northbridge"
MINUTES = SAMPLE / "006_cabinet-2022-12-15.txt"


@pytest.fixture
def default_db(tmp_path, monkeypatch):
    """The file a command would open if it ignored ``--db``; no test here should create it."""
    path = tmp_path / "default" / "scrutiny-bot.db"
    monkeypatch.setenv("SCRUTINY_BOT_DB", str(path))
    monkeypatch.delenv("SCRUTINY_BOT_CONFIG", raising=False)
    return path


@pytest.fixture
def seeded(tmp_path) -> str:
    return str(seeded_db(tmp_path))


@pytest.fixture
def empty(tmp_path) -> str:
    return str(tmp_path / "empty.db")


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def _stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from _commands(sub, (*path, name))


# --- ask -: one answer a line ---------------------------------------------------------------


def test_ask_json_answers_every_line_blank_ones_included(capsys, monkeypatch, seeded, default_db):
    lines = [QUESTION, "", "housing repairs dashboard", "   ", "\t"]
    _stdin(monkeypatch, "\n".join(lines) + "\n")
    code, out = _run(capsys, "--db", seeded, "ask", "-", "--json", *TODAY)
    assert code == 0
    answers = [json.loads(line) for line in out.splitlines()]
    assert len(answers) == len(lines)
    assert answers[0]["found"] is True and answers[2]["found"] is True
    # a blank line is answered as an empty question is: not found, with how to ask
    _, alone = _run(capsys, "--db", seeded, "ask", "", "--json", *TODAY)
    how_to_ask = json.loads(alone)["answer"]
    assert how_to_ask.strip()
    for blank in (answers[1], answers[3], answers[4]):
        assert blank["found"] is False and blank["answer"] == how_to_ask
    assert not default_db.exists()


@pytest.mark.parametrize(
    "stdin",
    ["\n", "\n\n\n", f"{QUESTION}\n\n", f"\n{QUESTION}", f"{QUESTION}\r\n\r\nhousing repairs\r\n"],
    ids=["one blank", "three blanks", "trailing blank", "no final newline", "windows line ends"],
)
def test_ask_json_prints_one_line_per_input_line(capsys, monkeypatch, seeded, stdin):
    _stdin(monkeypatch, stdin)
    code, out = _run(capsys, "--db", seeded, "ask", "-", "--json", *TODAY)
    assert code == 0
    assert len(out.splitlines()) == len(stdin.splitlines())
    assert all(isinstance(json.loads(line)["found"], bool) for line in out.splitlines())


def test_ask_text_prints_one_answer_block_per_line(capsys, monkeypatch, seeded):
    lines = [QUESTION, "", "housing repairs dashboard"]
    _stdin(monkeypatch, "\n".join(lines) + "\n")
    code, out = _run(capsys, "--db", seeded, "ask", "-", *TODAY)
    assert code == 0
    # each line's block is what asking it alone prints, followed by a blank line
    blocks = [_run(capsys, "--db", seeded, "ask", line, *TODAY)[1] + "\n" for line in lines]
    assert out == "".join(blocks)
    assert blocks[1].strip()  # the blank line got an answer too


# --- --db and --log-level after the subcommand ------------------------------------------------


def test_db_after_the_subcommand_is_the_database(capsys, seeded, default_db):
    code, out = _run(capsys, "ask", QUESTION, "--db", seeded, "--json", *TODAY)
    assert code == 0 and json.loads(out)["found"] is True
    assert not default_db.exists()


def test_db_after_the_subcommand_wins_over_db_before_it(capsys, seeded, empty, default_db):
    _, out = _run(capsys, "--db", empty, "ask", QUESTION, "--db", seeded, "--json", *TODAY)
    assert json.loads(out)["found"] is True
    _, out = _run(capsys, "--db", seeded, "ask", QUESTION, "--db", empty, "--json", *TODAY)
    assert json.loads(out)["found"] is False
    _, out = _run(capsys, "--db", seeded, "ask", QUESTION, "--json", *TODAY)
    assert json.loads(out)["found"] is True
    assert not default_db.exists()


def test_ask_dash_reads_the_db_given_after_it(capsys, monkeypatch, seeded, default_db):
    _stdin(monkeypatch, QUESTION + "\n")
    code, out = _run(capsys, "ask", "-", "--json", "--db", seeded, *TODAY)
    assert code == 0 and json.loads(out)["found"] is True
    assert not default_db.exists()


def test_ingest_then_ask_with_db_after_the_subcommand(capsys, tmp_path, default_db):
    db = str(tmp_path / "minutes.db")
    code, out = _run(capsys, "ingest", str(MINUTES), "--db", db)
    assert code == 0 and out.startswith("1 file(s) ingested")
    code, out = _run(capsys, "ask", "what did cabinet decide in december 2022", "--json", "--db", db, *TODAY)
    assert code == 0 and json.loads(out)["found"] is True
    assert not default_db.exists()


def test_nested_subcommands_take_db_at_every_level(capsys, tmp_path, empty, default_db):
    db = str(tmp_path / "meetings.db")
    code, out = _run(capsys, "meetings", "import", str(CALENDAR), "--council", "Anytown", "--db", db)
    assert code == 0 and out.startswith("8 added")
    _, before = _run(capsys, "--db", db, "meetings", "list")
    _, after = _run(capsys, "meetings", "list", "--db", db)
    _, between = _run(capsys, "meetings", "--db", db, "list")
    assert before == after == between and "No meetings found" not in before
    _, overridden = _run(capsys, "--db", db, "meetings", "list", "--db", empty)
    assert overridden.startswith("No meetings found")
    assert not default_db.exists()


def test_plan_commands_take_db_after_them(capsys, tmp_path, empty, default_db):
    db = str(tmp_path / "plans.db")
    code, _ = _run(
        capsys, "plan", "import", str(SAMPLE / "plan.csv"), "--plan", "Improvement plan", "--db", db
    )
    assert code == 0
    code, listed = _run(capsys, "plan", "list", "--db", db)
    assert code == 0 and listed.startswith("Improvement plan")
    assert _run(capsys, "--db", db, "plan", "list", "--db", empty)[0] == 2  # none imported there
    assert not default_db.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["recs", "--today", "2023-02-01"],
        ["reminders", "--from", "2023-02-01", "--to", "2023-02-02"],
        ["calendar", "export", "out.ics"],
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_other_database_commands_take_db_after_them(capsys, tmp_path, monkeypatch, default_db, argv):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "after.db"
    code = main([*argv, "--db", str(db)])
    capsys.readouterr()
    assert code == 0 and db.exists() and not default_db.exists()


def test_every_subcommand_takes_the_global_options():
    commands = dict(_commands(build_parser()))
    assert {("ask",), ("ingest",), ("chat",), ("serve",), ("meetings", "list"), ("plan", "import"),
            ("reminders",)} <= set(commands)  # fmt: skip
    for path, parser in commands.items():
        for option in ("--db", "--log-level"):
            action = parser._option_string_actions.get(option)
            assert action is not None, f"scrutiny-bot {' '.join(path)} has no {option}"
            assert action.default is argparse.SUPPRESS, path  # the value before the subcommand stands


@pytest.mark.parametrize(
    ("argv", "db", "log_level"),
    [
        (["ask", "q"], None, "WARNING"),
        (["--db", "a", "--log-level", "INFO", "ask", "q"], "a", "INFO"),
        (["ask", "q", "--db", "b", "--log-level", "DEBUG"], "b", "DEBUG"),
        (["--db", "a", "--log-level", "INFO", "ask", "q", "--db", "b", "--log-level", "DEBUG"], "b", "DEBUG"),
        (["--db", "a", "meetings", "--db", "b", "list"], "b", "WARNING"),
        (["--db", "a", "meetings", "--db", "b", "list", "--db", "c"], "c", "WARNING"),
        (["plan", "report", "--log-level", "ERROR"], None, "ERROR"),
    ],
)
def test_the_last_global_option_given_wins(argv, db, log_level):
    args = build_parser().parse_args(argv)
    assert (args.db, args.log_level) == (db, log_level)


def test_subcommand_help_lists_the_global_options(capsys):
    with pytest.raises(SystemExit):
        main(["ask", "--help"])
    out = capsys.readouterr().out
    assert "--db DB" in out and "--log-level LOG_LEVEL" in out
