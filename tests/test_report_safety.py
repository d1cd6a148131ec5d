"""Reports treat user text as text (issue 8): no live formulas in the XLSX or CSV, no control character
that breaks a report, and a malformed plan or meetings file gets a polite error instead of a traceback."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from plan_support import NOW, PLAN, TODAY, sample_plan_db, sample_plan_file, write_csv, write_xlsx

from bot.cli import main
from knowledge.minutes.recs import set_rec_status, sync_recommendations
from knowledge.models import ParsedItem, Passage
from knowledge.plans.actions import action_history, find_action
from knowledge.plans.imports import import_plan_file
from knowledge.plans.reports import build_report, report_csv, report_png, report_text, report_xlsx
from knowledge.plans.status import add_update, set_status
from knowledge.store import open_db, replace_source

#: The first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
HYPERLINK = '=HYPERLINK("http://evil.example","see evidence")'
#: Characters openpyxl refuses, or XML cannot hold.
CONTROLS = ["\x00", "\x07", "\x1b", "\x0b", "\x7f", "\x9b", "\ud800", "\uffff"]
HEADER = ["Ref", "Theme", "Action", "Owner", "Due", "RAG", "Latest update", "Evidence"]
UNSAFE_ROWS = [
    HEADER,
    ["1.1", "@SUM(1+1)*cmd|' /C calc'!A0", "+44 phone every family", "-Ms Dunmore", "31/03/2026", "Amber",
     "-10% on last quarter", "=1+1"],
    ["1.2", "Workforce", HYPERLINK, "Mr Osei", "2026-01-31", "Red", "@risk register", "http://ok.example"],
]  # fmt: skip


def _cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _csv_fields(data: bytes) -> list[str]:
    return [field for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for field in row]


def _dangerous_plan(tmp_path: Path, name: str = PLAN):
    db = open_db(":memory:")
    import_plan_file(db, write_csv(tmp_path / "plan.csv", UNSAFE_ROWS), name, now=NOW)
    return db


# --- formula injection ------------------------------------------------------------------------


def test_an_officers_formula_note_is_literal_text_in_the_xlsx():
    db = sample_plan_db()
    set_status(db, "2.3", "Red", HYPERLINK, user_id="U1", role="officer", now=NOW)
    cells = _cells(report_xlsx(build_report(db, None, TODAY)))
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    notes = [c for c in cells if c.value == HYPERLINK]
    assert notes and all(c.data_type == "s" for c in notes)


def test_imported_text_is_never_a_formula_in_the_xlsx(tmp_path: Path):
    db = _dangerous_plan(tmp_path, name="=2+2 plan")
    cells = _cells(report_xlsx(build_report(db, None, TODAY)))
    assert [(c.coordinate, c.value) for c in cells if c.data_type == "f"] == []
    values = {c.value for c in cells}
    for text in ("-10% on last quarter", "=1+1", HYPERLINK, "+44 phone every family", "=2+2 plan"):
        assert text in values  # shown as written, with no quote added
    assert "=2+2 plan: report on 20 November 2025" in values
    assert any(c.value == 2 and c.data_type == "n" for c in cells)  # counts stay numbers


def test_user_text_in_the_csv_is_quoted_and_our_dates_are_not(tmp_path: Path):
    db = _dangerous_plan(tmp_path, name="=2+2 plan")
    data = report_csv(build_report(db, None, TODAY))
    fields = _csv_fields(data)
    assert [f for f in fields if f.startswith(DANGEROUS)] == []
    rows = {r["Ref"]: r for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}
    assert rows["1.1"]["Latest update"] == "'-10% on last quarter"
    assert rows["1.1"]["Evidence"] == "'=1+1" and rows["1.1"]["Owner"] == "'-Ms Dunmore"
    assert rows["1.2"]["Action"] == "'" + HYPERLINK and rows["1.2"]["Plan"] == "'=2+2 plan"
    assert rows["1.1"]["Due"] == "2026-03-31" and rows["1.2"]["Evidence"] == "http://ok.example"
    assert rows["1.2"]["Rating"] == "Red" and rows["1.1"]["Overdue"] == ""


def test_a_tab_or_carriage_return_at_the_start_of_old_text_is_neutralised(tmp_path: Path):
    path = sample_plan_file(tmp_path)
    with sqlite3.connect(path) as conn:  # text stored before notes were folded and cleaned
        conn.execute("UPDATE actions SET latest_update = ? WHERE ref = '2.3'", ["\t=1+1"])
        conn.execute("UPDATE actions SET latest_update = ? WHERE ref = '2.4'", ["\r=1+1"])
    conn.close()
    db = open_db(path)
    report = build_report(db, None, TODAY)
    db.close()
    assert [f for f in _csv_fields(report_csv(report)) if f.startswith(DANGEROUS)] == []
    cells = _cells(report_xlsx(report))
    assert [c.value for c in cells if c.data_type == "f"] == []
    assert "\t=1+1" in {c.value for c in cells}


# --- control characters -------------------------------------------------------------------------


@pytest.mark.parametrize("control", CONTROLS)
def test_a_control_character_in_a_chat_note_is_dropped_on_the_way_in(control):
    db = sample_plan_db()
    change = set_status(db, "2.3", "Red", f"analysts{control} missing", user_id="U1", role="officer", now=NOW)
    assert change.action.latest_update == "analysts missing" and change.update.note == "analysts missing"
    change = add_update(db, "2.4", f"panel {control}met", user_id="U1", role="officer", now=NOW)
    assert change.action.latest_update == "panel met"
    _, action = find_action(db, "2.4")
    assert action_history(db, action.id)[-1].note == "panel met"
    report_xlsx(build_report(db, None, TODAY))


def test_control_characters_in_an_imported_plan_are_dropped(tmp_path: Path):
    rows = [
        HEADER,
        ["1\x07.1", "Work\x1bforce", "Hire\x7f staff", "Mr\x0b Osei", "", "Amber", "Bell\x07", ""],
    ]
    db = open_db(":memory:")
    _, result = import_plan_file(db, write_csv(tmp_path / "plan.csv", rows), "Plan\x1b[31m A", now=NOW)
    assert result.plan.name == "Plan[31m A"
    [action] = build_report(db, None, TODAY).actions
    assert (action.ref, action.theme, action.action, action.owner, action.latest_update) == (
        "1.1", "Workforce", "Hire staff", "Mr Osei", "Bell")  # fmt: skip


def test_a_control_character_in_a_recommendation_response_is_dropped():
    passage = Passage("recommendation", "Cabinet name a lead officer for every action", "a")
    minutes = ParsedItem(title="Plan", council="Northbridge", body="Scrutiny", meeting_date=date(2022, 12, 13),
                         item="41", passages=[passage], url="https://example.gov.uk/41")  # fmt: skip
    db = open_db(":memory:")
    with db.conn:
        replace_source(db, "scrutiny-2022-12-13", [minutes])
    sync_recommendations(db)
    rec = set_rec_status(
        db, "R1", "accepted", "Cabinet\x07 agreed\x00", user_id="U1", role="officer", now=NOW
    )
    assert rec.response == "Cabinet agreed"
    row = db.execute("SELECT response FROM recommendation_updates").fetchone()
    assert row[0] == "Cabinet agreed"


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "png", "text"])
def test_a_dirty_note_stored_before_the_fix_does_not_break_any_report(tmp_path: Path, capsys, fmt):
    path = sample_plan_file(tmp_path)
    dirty = "Bell\x07 escape\x1b[2J nul\x00 c1\x85 end\uffff"  # sqlite3 cannot store a lone surrogate
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE actions SET latest_update = ?, theme = ? WHERE ref = '2.4'", [dirty, "SEND\x07"])
        conn.execute(  # the history is append-only: an old dirty entry is a row added to it
            "INSERT INTO action_updates (action_id, at, by, by_name, new_rating, note, source) "
            "SELECT id, '2025-11-01T09:00:00+00:00', 'U1', '', rating, ?, 'chat' FROM actions WHERE ref = '2.4'",
            [dirty],
        )
        conn.execute("UPDATE plans SET name = ?", ["Children's\x1b Services Improvement Plan"])
    conn.close()
    out = tmp_path / f"pack.{fmt}"
    argv = ["--db", str(path), "plan", "report", "--format", fmt, "--out", str(out), "--today", "2025-11-20"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    clean = "Bell escape[2J nul c1 end"
    if fmt == "xlsx":
        assert clean in {c.value for c in _cells(out.read_bytes())}
    elif fmt == "csv":
        assert clean in _csv_fields(out.read_bytes())
    elif fmt == "text":
        assert clean in printed and "\x1b" not in printed and "\x07" not in printed


def test_every_writer_cleans_what_it_is_given():
    db = sample_plan_db()
    report = build_report(db, None, TODAY)
    db.close()
    dirty = replace(report.actions[0], latest_update="a\x07b", theme="T\x1b")
    report = replace(report, actions=(dirty, *report.actions[1:]), plan=replace(report.plan, name="P\x1b"))
    assert "\x07" not in report_text(report)
    assert b"\x07" not in report_csv(report) and b"\x1b" not in report_csv(report)
    assert "ab" in {c.value for c in _cells(report_xlsx(report))}
    assert report_png(report)[:4] == b"\x89PNG"


# --- malformed files through the command line ---------------------------------------------------


def _run(tmp_path: Path, capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["--db", str(tmp_path / "test.db"), *argv])
    out = capsys.readouterr()
    return status, out.out, out.err


def _polite(status: int, out: str, err: str, name: str) -> None:
    assert status == 2, (out, err)
    assert "Traceback" not in out + err and out == ""
    assert err.startswith("scrutiny-bot: ") and name in err and len(err.splitlines()) == 1
    assert err.rstrip("\n").isprintable()  # no control character from the file reaches the terminal


_BINARY = bytes(range(256)) * 8
_LONG = "x" * 140_000


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("lone-cr.csv", b"Ref,Action,RAG\r\n1.1,Hire\rstaff,Red\r\n", "CSV UTF-8"),
        ("long.csv", f"Ref,Action\r\n1.1,{_LONG}\r\n".encode(), "row 2"),
        ("junk.csv", _BINARY, "CSV UTF-8"),
        ("empty.csv", b"", "is empty"),
        ("blank.csv", b" \r\n\r\n", "is empty"),
        ("header-only.csv", b"Ref,Action,RAG,Owner\r\n", "no actions"),
        ("workbook.csv", _zip({"[Content_Types].xml": b"<x/>"}), ".xlsx"),
        ("junk.xlsx", _BINARY, "save it again"),
        ("notabook.xlsx", _zip({"hello.txt": b"hello"}), "save it again"),
    ],
)
def test_a_malformed_plan_file_gets_a_polite_error(tmp_path: Path, capsys, name, data, says):
    (tmp_path / name).write_bytes(data)
    status, out, err = _run(tmp_path, capsys, "plan", "import", str(tmp_path / name), "--plan", PLAN)
    _polite(status, out, err, name)
    assert says in err


def test_a_plan_workbook_with_only_a_header_gets_a_polite_error(tmp_path: Path, capsys):
    write_xlsx(tmp_path / "header.xlsx", [HEADER])
    status, out, err = _run(tmp_path, capsys, "plan", "import", str(tmp_path / "header.xlsx"), "--plan", PLAN)
    _polite(status, out, err, "header.xlsx")
    assert "no actions" in err


def test_plan_files_from_excel_in_utf16_or_old_mac_line_endings_import(tmp_path: Path, capsys):
    text = "Ref\tAction\tRAG\r\n1.1\tHire staff\tRed\r\n"
    (tmp_path / "unicode.csv").write_bytes(text.encode("utf-16"))  # Excel's "Unicode Text"
    (tmp_path / "mac.csv").write_bytes(b"Ref,Action,RAG\r1.1,Hire staff,Red\r1.2,Train staff,Amber\r")
    status, out, err = _run(tmp_path, capsys, "plan", "import", str(tmp_path / "unicode.csv"), "--plan", "A")
    assert status == 0 and "1 added" in out, err
    status, out, err = _run(tmp_path, capsys, "plan", "import", str(tmp_path / "mac.csv"), "--plan", "B")
    assert status == 0 and "2 added" in out, err


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("lone-cr.csv", b"Committee,Date\r\nCabinet\rBudget,2023-02-07\r\n", "CSV UTF-8"),
        ("long.csv", f"Committee,Date,Venue\r\nCabinet,2023-02-07,{_LONG}\r\n".encode(), "row 2"),
        ("junk.csv", _BINARY, "CSV UTF-8"),
        ("empty.csv", b"", "is empty"),
        ("header-only.csv", b"Committee,Date,Venue\r\n", "no meetings"),
        ("workbook.csv", _zip({"[Content_Types].xml": b"<x/>"}), "workbook"),
        ("junk.ics", b"BEGIN:VCALENDAR\r\n" + _BINARY, "iCal"),
        ("junk2.ics", _BINARY, "iCal"),
    ],
)
def test_a_malformed_meetings_file_gets_a_polite_error(tmp_path: Path, capsys, name, data, says):
    (tmp_path / name).write_bytes(data)
    status, out, err = _run(tmp_path, capsys, "meetings", "import", str(tmp_path / name))
    _polite(status, out, err, name)
    assert says in err


def test_control_characters_in_a_meetings_csv_are_dropped(tmp_path: Path, capsys):
    (tmp_path / "m.csv").write_bytes(b"Committee,Date,Venue\r\nCab\x07inet,2023-02-07,Town\x1b Hall\r\n")
    status, out, err = _run(tmp_path, capsys, "meetings", "import", str(tmp_path / "m.csv"))
    assert status == 0 and "added: Cabinet, Tue 7 Feb 2023 (confirmed)" in out, err
    status, out, _ = _run(tmp_path, capsys, "meetings", "list")
    assert "Town Hall" in out and "\x1b" not in out
