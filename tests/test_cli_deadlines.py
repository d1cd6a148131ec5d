"""`deadlines` and `calendar export` read the same per-body rules as the reminders."""

from __future__ import annotations

import json

from bot.cli import main


def test_per_body_rules_from_the_settings_file(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SCRUTINY_BOT_CONFIG", raising=False)
    config = tmp_path / "bot.toml"
    config.write_text('[bodies."Cabinet"]\nreport_deadline = 7\n', encoding="utf-8")
    args = [
        "--db",
        str(tmp_path / "x.db"),
        "deadlines",
        "--body",
        "Cabinet",
        "--meeting",
        "2027-01-07",
        "--json",
    ]
    assert main(args) == 0
    plain = {d["kind"]: d["date"] for d in json.loads(capsys.readouterr().out)["deadlines"]}
    assert main([*args, "--config", str(config)]) == 0
    configured = {d["kind"]: d["date"] for d in json.loads(capsys.readouterr().out)["deadlines"]}
    # agenda by Tue 29 Dec 2026; reports 5 (or 7) working days before, skipping Christmas and Boxing Day
    assert plain["report_deadline"] == "2026-12-18" and configured["report_deadline"] == "2026-12-16"
    assert plain["agenda_publication"] == configured["agenda_publication"] == "2026-12-29"


def test_a_broken_settings_file_is_a_polite_error(tmp_path, capsys):
    config = tmp_path / "bot.toml"
    config.write_text("[bodies.Cabinet\n", encoding="utf-8")
    code = main(["--db", str(tmp_path / "x.db"), "deadlines", "--body", "Cabinet", "--meeting", "2027-01-07",
                 "--config", str(config)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and "bot.toml" in err
