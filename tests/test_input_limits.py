"""Chat and command-line text the bot cannot use as it is: over-long questions, lone surrogates,
control characters. Each gets a polite answer, never an apology for a fault or a traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from chat_support import make_context, seeded_db

from bot import cli
from bot.terminal import Terminal
from handlers.commands import build_registry
from handlers.context import Context
from handlers.messages import Request
from knowledge.text import MAX_QUESTION_CHARS, clean_text


@pytest.fixture
def context(tmp_path: Path) -> Context:
    return make_context(seeded_db(tmp_path))


def _chat(context: Context, lines: str, user: str | None = None) -> str:
    out = io.StringIO()
    terminal = Terminal(build_registry(), context, stdin=io.StringIO(lines), stdout=out, user=user,
                        interactive=False)  # fmt: skip
    assert terminal.run() == 0
    return out.getvalue()


def _distinct_words(n_chars: int) -> str:
    words, size, i = [], 0, 0
    while size < n_chars:
        word = f"w{i:x}q{i * 7919 % 100003:x}"
        words.append(word)
        size += len(word) + 1
        i += 1
    return " ".join(words)


def test_clean_text_drops_controls_and_lone_surrogates_and_keeps_the_rest():
    assert clean_text("caf\u00e9 \ud800budget\x00\x07 \u2013 2023\t\n") == "caf\u00e9 budget \u2013 2023\t\n"
    assert clean_text("plain text") == "plain text"


def test_a_lone_surrogate_in_chat_gets_a_normal_answer(context):
    out = _chat(context, "what did cabinet resolve in Dec 2022 \ud800\n")
    assert "revenue budget for 2023/24" in out
    assert "Sorry" not in out


def test_a_lone_surrogate_in_a_clerks_reminder_is_stored_without_it(context):
    out = _chat(context, "remind add 2023-02-06 09:00 me Papers \ud800due\x07\nremind list 14\n", user="U0CLERK")
    assert "Sorry" not in out
    assert "Papers due" in out


def test_a_chat_message_over_the_limit_is_refused_politely(context):
    reply = build_registry().dispatch(
        Request(user_id="U0MEMBER", text="a" * (MAX_QUESTION_CHARS + 1)), context
    )
    assert "40,000" in reply.text and "fewer words" in reply.text


def test_the_cli_refuses_a_megabyte_question_politely(tmp_path, capsys):
    db = seeded_db(tmp_path)
    code = cli.main(["--db", str(db), "ask", _distinct_words(1_000_000), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["found"] is False
    assert "40,000 characters" in out["answer"]
    assert len(out["question"]) < 300  # the question is not echoed back whole


def test_a_long_question_under_the_limit_is_searched_by_its_first_words(tmp_path, capsys):
    db = seeded_db(tmp_path)
    question = "what did cabinet resolve about the revenue budget " + _distinct_words(MAX_QUESTION_CHARS - 100)
    code = cli.main(["--db", str(db), "ask", question, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["intent"] != "error"


def test_the_terminal_chat_refuses_an_over_long_line_politely(context):
    out = _chat(context, "x" * (MAX_QUESTION_CHARS + 5) + "\nwhoami\n")
    assert "fewer words" in out and "I have you down as" in out
