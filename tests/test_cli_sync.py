"""``scrutiny-bot sync`` through its entry point, as a clerk would run it, against the stand-in site.

The command's waits go through the clock and sleep given to :func:`bot.cli_sync.run_sync`, so retries
and spacing cost no time; commands that make no retries run through ``bot.cli.main`` itself.
"""

from __future__ import annotations

import io
import json
import sys

import pytest
from moderngov_standin import FakeClock, Fault, forbidden, html_instead, rate_limited, server_error
from sync_support import COUNCIL

from bot.cli import build_parser, main
from bot.cli_sync import run_sync
from knowledge.moderngov import UrllibTransport

pytest_plugins = ["moderngov_standin", "sync_support"]

TODAY = "2026-03-16"


@pytest.fixture
def db_file(tmp_path):
    return str(tmp_path / "bot.db")


def sync(db_file: str, *argv: str, clock: FakeClock | None = None, **kw) -> int:
    """``scrutiny-bot sync ARGV`` with the waits on a fake clock."""
    clock = clock or FakeClock()
    args = build_parser().parse_args(["--db", db_file, "sync", *argv, "--today", TODAY])
    return run_sync(args, clock=clock, sleep=clock.sleep, **kw)


def test_sync_then_ask_as_a_clerk_would(moderngov_standin, db_file, capsys):
    base = moderngov_standin.base_url
    assert sync(db_file, base, "--council", COUNCIL) == 0
    out, err = capsys.readouterr()
    assert out == (
        f"Synced {COUNCIL} ({base.split('//')[1]}): 3 committees, 6 meetings (6 new, 0 changed, 0 unchanged, "
        "1 newly cancelled); items 15 new, 0 changed, 0 unchanged; 0 failures.\n"
    )
    assert err == ""  # no terminal: no progress bar
    assert (
        main(
            ["--db", db_file, "ask", "what did cabinet resolve in February 2026", "--json", "--today", TODAY]
        )
        == 0
    )
    answer = json.loads(capsys.readouterr().out)
    [cite] = answer["citations"]
    assert cite["source"] == f"{base}/mgAi.aspx?ID=9021" and cite["status"] == "draft minutes"
    assert "item 23/5: Town Centre Car Parking Charges (draft minutes)" in answer["answer"]
    assert main(["--db", db_file, "meetings", "list", "--body", "cabinet"]) == 0
    assert "2026-03-26  19:00  Cabinet  [confirmed, ModernGov 127.0.0.1:" in capsys.readouterr().out


def test_a_second_sync_says_nothing_changed(moderngov_standin, db_file, capsys):
    sync(db_file, moderngov_standin.base_url, "--council", COUNCIL)
    capsys.readouterr()
    assert main(["--db", db_file, "sync", moderngov_standin.base_url, "--council", COUNCIL, "--spacing", "0",
                 "--today", TODAY]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith(f"Nothing changed at {COUNCIL} (") and out.endswith(
        "3 committees and 6 meetings checked, 0 fetched again; items 0 new, 0 changed, 15 unchanged; 0 failures.\n"
    )


def test_a_progress_bar_on_a_terminal(moderngov_standin, db_file, capsys, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert sync(db_file, moderngov_standin.base_url) == 0
    shown = screen.getvalue()
    assert "\rListing meetings: committee 3/3, Audit and Governance Committee" in shown
    assert "[########################] 6/6 meetings, Audit and Governance Committee, 30 Jan 2026" in shown
    assert shown.endswith("\r")  # the bar is wiped before the summary is printed
    assert capsys.readouterr().out.startswith("Synced 127.0.0.1:")


def test_html_instead_of_xml_is_said_in_one_line_and_the_pages_are_read(moderngov_standin, db_file, capsys):
    moderngov_standin.inject("GetCommittees", html_instead(), times=None)
    assert sync(db_file, moderngov_standin.base_url) == 0
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and err.startswith("The web service cannot be used (")
    assert "not the web service's <committees> XML" in err and "Traceback" not in err
    assert "from the site's pages: 5 committees, 6 meetings" in out


def test_a_500_then_success_and_a_429_with_retry_after(moderngov_standin, db_file, capsys):
    moderngov_standin.inject("GetMeeting", server_error(), times=2)
    moderngov_standin.inject("GetMeetings", rate_limited(9), times=1)
    clock = FakeClock()
    assert sync(db_file, moderngov_standin.base_url, clock=clock) == 0
    assert {5.0, 10.0, 9.0} <= set(clock.sleeps)
    out, err = capsys.readouterr()
    assert "0 failures" in out and err == ""


def test_a_site_that_keeps_failing_is_reported_with_a_non_zero_exit(moderngov_standin, db_file, capsys):
    moderngov_standin.inject("GetMeetings", rate_limited(600), times=1)
    assert sync(db_file, moderngov_standin.base_url) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].endswith("; 1 failure.") and lines[1].startswith(
        "  could not sync Overview and Scrutiny Committee:"
    )
    assert "asked us to wait 600 s" in lines[1] and err == ""


@pytest.mark.parametrize("target", ["GetCommittees", "GetMeeting"])
def test_a_firewall_403_is_one_polite_line_and_exit_1(moderngov_standin, db_file, capsys, target):
    moderngov_standin.inject(target, forbidden(), times=None)
    assert (
        main(["--db", db_file, "sync", moderngov_standin.base_url, "--spacing", "0", "--today", TODAY]) == 1
    )
    out, err = capsys.readouterr()
    [line] = err.splitlines()
    assert line.startswith("scrutiny-bot sync: 127.0.0.1:") and "refused the bot (HTTP 403)" in line
    assert "Traceback" not in out + err and "WARNING" not in err
    assert out == ""  # nothing was stored, so nothing more to say


def test_a_403_after_some_meetings_says_what_was_stored(moderngov_standin, db_file, capsys):
    moderngov_standin.inject("GetMeeting", Fault(), times=1)  # the first meeting is answered
    moderngov_standin.inject("GetMeeting", forbidden(), times=None)
    assert (
        main(["--db", db_file, "sync", moderngov_standin.base_url, "--spacing", "0", "--today", TODAY]) == 1
    )
    out, err = capsys.readouterr()
    assert (
        out.startswith("Stopped early at 127.0.0.1:")
        and "(2 new, 0 changed, 0 unchanged, 1 newly cancelled)" in out
    )
    assert err.startswith("scrutiny-bot sync: ") and err.count("\n") == 1


def test_an_interrupted_sync_says_how_to_finish_and_finishes(moderngov_standin, db_file, capsys):
    class Interrupting(UrllibTransport):
        calls = 0

        def send(self, request):  # type: ignore[no-untyped-def]
            self.calls += 1
            if self.calls == 7:
                raise KeyboardInterrupt
            return super().send(request)

    assert sync(db_file, moderngov_standin.base_url, transport=Interrupting()) == 130
    err = capsys.readouterr().err
    assert err == "Interrupted: every meeting stored so far is whole; run the same command again to finish.\n"
    assert sync(db_file, moderngov_standin.base_url) == 0
    assert "6 meetings (3 new, 0 changed, 3 unchanged" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["democracy.example.gov.uk"], "must start with https://"),
        (["https://democracy.example.gov.uk/mgAi.aspx?ID=1"], "not a page"),
        ([], "give the site's address"),
        (["https://democracy.example.gov.uk", "--since", "16/13/2026"], "can't read '16/13/2026' as a date"),
        (["https://democracy.example.gov.uk", "--spacing", "-1"], "--spacing takes a number of seconds"),
    ],
)
def test_mistakes_on_the_command_line_are_polite(db_file, capsys, argv, message):
    assert main(["--db", db_file, "sync", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scrutiny-bot: ") and message in err and err.count("\n") == 1


def test_committees_by_name_and_the_address_after_them(moderngov_standin, db_file, capsys):
    assert main(["--db", db_file, "sync", "--committee", "cabinet", "30", moderngov_standin.base_url,
                 "--spacing", "0", "--today", TODAY]) == 0  # fmt: skip
    assert "2 committees, 3 meetings" in capsys.readouterr().out
    assert main(["--db", db_file, "sync", moderngov_standin.base_url, "--committee", "Planing Committee",
                 "--spacing", "0", "--today", TODAY]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert err.startswith("scrutiny-bot: the site has no committee called 'Planing Committee': did you mean")


def test_a_database_that_cannot_be_written_is_one_line(moderngov_standin, db_file, capsys):
    from knowledge.store import open_db

    db = open_db(db_file)
    db.execute(
        "CREATE TRIGGER full BEFORE INSERT ON moderngov_meetings BEGIN SELECT RAISE(ABORT, 'disk is full'); END"
    )
    db.close()
    assert sync(db_file, moderngov_standin.base_url) == 1
    out, err = capsys.readouterr()
    assert err.startswith("scrutiny-bot sync: the database could not be written (disk is full)")
    assert err.count("\n") == 1 and "Traceback" not in err and out == ""


def test_the_summary_line_names_every_kind_of_change():
    from bot.cli_sync import describe
    from knowledge.moderngov import SyncFailure, SyncSummary

    s = SyncSummary("x.example", committees=2, meetings=5, meetings_new=1, meetings_changed=2,
                    meetings_unchanged=1, meetings_removed=1, cancelled=1, moved=1, confirmed=1, items_new=3,
                    items_removed=2, failures=[SyncFailure("Cabinet", "HTTP 500")])  # fmt: skip
    assert describe(s, COUNCIL) == (
        f"Synced {COUNCIL} (x.example): 2 committees, 5 meetings (1 new, 2 changed, 1 unchanged, 1 removed, "
        "1 newly cancelled, 1 moved, minutes of 1 now confirmed); items 3 new, 0 changed, 0 unchanged, 2 removed; "
        "1 failure."
    )
    assert describe(SyncSummary("x.example", via="pages", committees=1, meetings=1, fetched=1)) == (
        "Nothing changed at x.example from the site's pages: 1 committee and 1 meeting checked, 1 fetched again; "
        "items 0 new, 0 changed, 0 unchanged; 0 failures."
    )
