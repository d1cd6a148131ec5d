"""Meeting calendars: iCal and CSV import, the meetings table, listing, iCal export and the CLI."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest

from bot.cli import main
from knowledge.calendar import ical as calendar_io
from knowledge.calendar import meetings as meetings_module
from knowledge.calendar.deadlines import compute_deadlines
from knowledge.calendar.ical import export_ics, parse_csv, parse_ics, parse_time, read_meetings_file
from knowledge.calendar.meetings import (
    Meeting,
    Moved,
    import_meetings,
    list_meetings,
    meetings_from_minutes,
    next_meeting,
)
from knowledge.models import ParsedItem, UserError
from knowledge.store import open_db, replace_source

DATA = Path(__file__).parent / "data" / "calendar"
COUNCIL = "Anytown Borough Council"
NOW = datetime(2023, 1, 1, 9, 0, tzinfo=UTC)


def uid(n: int) -> str:
    return f"mg-meeting-{n}@democracy.anytown.gov.uk"


@pytest.fixture
def db():
    database = open_db(":memory:")
    yield database
    database.close()


def ics(*events: str) -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n"


@pytest.mark.parametrize("module", [meetings_module, calendar_io])
def test_public_names_exist(module):
    for name in module.__all__:
        assert hasattr(module, name), name


def test_names_that_moved_to_calendar_io_still_import_from_meetings():
    from knowledge.calendar.meetings import export_ics as old_export_ics
    from knowledge.calendar.meetings import parse_ics as old_parse_ics

    assert old_parse_ics is parse_ics and old_export_ics is export_ics
    with pytest.raises(AttributeError):
        meetings_module.no_such_name  # noqa: B018 - the attribute access is the test


# --- reading values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:00", "10:00"),
        ("10.00 am", "10:00"),
        ("10.00am", "10:00"),
        ("2.30 pm", "14:30"),
        ("2pm", "14:00"),
        ("2 p.m.", "14:00"),
        ("12.00 pm", "12:00"),
        ("12.30 am", "00:30"),
        ("12 noon", "12:00"),
        ("18:30", "18:30"),
        ("09:15:00", "09:15"),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13 pm", "10", "ten", "10:75", ""])
def test_parse_time_rejects(text):
    with pytest.raises(UserError):
        parse_time(text)


# --- iCal -------------------------------------------------------------------------------------


def test_parse_moderngov_ics():
    parsed = read_meetings_file(DATA / "moderngov.ics", council=COUNCIL)
    assert parsed.problems == []
    found = {m.uid: m for m in parsed.meetings}
    assert len(found) == 8
    cabinet = found[uid(4101)]
    assert (cabinet.body, cabinet.date, cabinet.time, cabinet.status) == (
        "Cabinet",
        date(2023, 1, 10),
        "18:00",
        "confirmed",
    )
    assert cabinet.venue == "Council Chamber, Town Hall, Market Street, Anytown AT1 1AA"
    assert (
        cabinet.url.endswith("MId=4101") and cabinet.council == COUNCIL and cabinet.source == "moderngov.ics"
    )
    # URL taken from the description when there is no URL property.
    assert found[uid(4102)].url.endswith("MId=4102")
    # 09:00 UTC in July is 10:00 in London (BST).
    assert found[uid(4103)].time == "10:00"
    # A floating time is London time.
    assert found[uid(4104)].time == "14:30"
    # An all-day event has no time; "Council - Annual Meeting" is the body "Council".
    assert (found[uid(4105)].body, found[uid(4105)].time) == ("Council", None)
    # Cancelled in the summary, by STATUS, and postponed in brackets.
    assert (found[uid(4106)].body, found[uid(4106)].status) == ("Licensing Committee", "cancelled")
    assert found[uid(4107)].status == "cancelled"
    assert (found[uid(4108)].body, found[uid(4108)].status) == (
        "Children's Services Scrutiny Panel",
        "postponed",
    )
    assert found[uid(4108)].is_off and not cabinet.is_off


@pytest.mark.parametrize(
    ("summary", "body", "status"),
    [
        ("Cabinet", "Cabinet", "confirmed"),
        ("Cabinet - Meeting", "Cabinet", "confirmed"),
        ("CANCELLED: Audit Committee", "Audit Committee", "cancelled"),
        ("Audit Committee (Cancelled)", "Audit Committee", "cancelled"),
        ("Planning Committee - Postponed", "Planning Committee", "postponed"),
        ("Council - Extraordinary Meeting", "Council", "confirmed"),
        ("Health & Wellbeing Board - MOVED", "Health & Wellbeing Board", "moved"),
    ],
)
def test_summary_gives_body_and_status(summary, body, status):
    parsed = parse_ics(ics(f"UID:x\r\nDTSTART:20230110T100000\r\nSUMMARY:{summary}"))
    assert [(m.body, m.status) for m in parsed.meetings] == [(body, status)]


def test_ics_bad_events_are_problems_and_good_ones_import():
    parsed = parse_ics(
        ics(
            "UID:a\r\nDTSTART:20230110T100000\r\nSUMMARY:Cabinet",
            "UID:b\r\nSUMMARY:Audit Committee",
            "UID:c\r\nDTSTART:2023xx10\r\nSUMMARY:Planning Committee",
            "UID:d\r\nDTSTART:20230110T100000\r\nSUMMARY:Cancelled",
            "UID:e\r\nDTSTART:20230110T100000\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:Surgery",
            "UID:a\r\nDTSTART:20230110T100000\r\nSUMMARY:Cabinet",
        )
    )
    assert [m.uid for m in parsed.meetings] == ["a"]
    assert [p.row for p in parsed.problems] == [2, 3, 4, 5, 6]
    assert "DTSTART" in parsed.problems[0].reason and "Audit Committee" in parsed.problems[0].reason
    assert "no body name" in parsed.problems[2].reason
    assert str(parsed.problems[4]) == "row 6: the same meeting as row 1; the first was kept"


def test_not_ical_is_a_user_error():
    with pytest.raises(UserError, match="not an iCal calendar"):
        parse_ics(b"this is not a calendar", source="x.ics")


# --- CSV --------------------------------------------------------------------------------------


def test_parse_messy_csv():
    parsed = read_meetings_file(DATA / "meetings_messy.csv")
    assert [str(p) for p in parsed.problems] == [
        "row 4: '31/02/2023' is not a real date",
        "row 5: '25:00' is not a time I can read: use 14:30 or 2.30 pm",
        "row 7: no body (committee) name",
        "row 10: unknown status 'Maybe' (known: cancelled, confirmed, moved, postponed, tentative)",
        "row 11: the same meeting as row 8; the first was kept",
    ]
    got = [(m.body, m.date, m.time, m.status) for m in parsed.meetings]
    assert got == [
        ("Cabinet", date(2023, 1, 10), "18:00", "confirmed"),
        ("overview & scrutiny committee", date(2023, 1, 12), "19:00", "confirmed"),
        ("Standards Committee", date(2023, 3, 14), "10:00", "cancelled"),
        ("Licensing Sub-Committee", date(2023, 3, 21), "14:30", "tentative"),
        ("Corporate Parenting Panel", date(2023, 4, 4), "14:00", "confirmed"),
        ("Cabinet", date(2023, 2, 7), "12:00", "confirmed"),
    ]
    first = parsed.meetings[0]
    assert first.venue == "Council Chamber, Town Hall"  # from "Venue / Location"
    assert first.council == COUNCIL and first.url.endswith("MId=4101")


def test_csv_semicolons_other_header_names_and_default_council():
    text = "Decision maker;Date;Time;Where;Web page\nCabinet;15/12/2022;10.00 am;Town Hall;\n"
    parsed = parse_csv(text, council="Other Council")
    assert parsed.problems == []
    [m] = parsed.meetings
    assert (m.council, m.body, m.date, m.time, m.venue) == (
        "Other Council",
        "Cabinet",
        date(2022, 12, 15),
        "10:00",
        "Town Hall",
    )


def test_csv_without_a_date_column_is_a_user_error():
    with pytest.raises(UserError, match="no column for date; columns found: Committee, Venue"):
        parse_csv("Committee,Venue\nCabinet,Town Hall\n", source="the CSV")
    with pytest.raises(UserError, match="empty"):
        parse_csv(b"")


def test_cp1252_csv_is_read():
    data = "Committee,Date\nCabinet \u2013 Budget,2023-02-07\n".encode("cp1252")
    [m] = parse_csv(data).meetings
    assert m.body == "Cabinet \u2013 Budget"


# --- the store --------------------------------------------------------------------------------


def load(db, name, council=COUNCIL, now=NOW):
    return import_meetings(db, read_meetings_file(DATA / name, council=council), name, now=now)


def test_import_then_update_counts_moves_and_cancellations(db):
    first = load(db, "moderngov.ics")
    assert len(first.added) == 8 and first.updated == () and first.problems == ()
    # Imported already cancelled or postponed: the reminder engine should not remind about them.
    assert set(first.cancelled) == {uid(4106), uid(4107), uid(4108)}

    second = load(db, "moderngov_update.ics")
    assert second.added == (uid(4110),)
    assert set(second.updated) == {uid(4101), uid(4102), uid(4104)}
    assert len(second.unchanged) == 5
    assert second.cancelled == (uid(4102),)
    assert second.moved == (Moved(uid(4101), date(2023, 1, 10), date(2023, 1, 17)),)
    assert [p.row for p in second.problems] == [10]

    third = load(db, "moderngov_update.ics")
    assert (third.added, third.updated, third.cancelled, third.moved) == ((), (), (), ())
    assert len(third.unchanged) == 9

    stored = {m.uid: m for m in list_meetings(db)}
    assert stored[uid(4101)].date == date(2023, 1, 17)
    # The Guildhall, from an event with a Windows time zone name.
    assert (
        stored[uid(4104)].venue == "The Guildhall, High Street, Anytown" and stored[uid(4104)].time == "14:30"
    )
    row = db.execute("SELECT updated_at, source FROM meetings WHERE uid = ?", [uid(4103)]).fetchone()
    assert row == ("2023-01-01T09:00:00+00:00", "moderngov.ics")  # unchanged rows are not rewritten


def test_csv_without_uids_updates_the_same_body_and_day(db):
    load(db, "moderngov.ics")
    result = load(db, "meetings_messy.csv", council=None)
    # "overview & scrutiny committee" on 12 Jan is the calendar's meeting, spelt as first stored.
    assert uid(4102) in result.unchanged
    # Cabinet 10 Jan is the calendar's 4101; the CSV's shorter venue replaces the stored one.
    assert result.updated == (uid(4101),)
    assert len(result.added) == 4 and len(result.problems) == 5
    names = {m.body for m in list_meetings(db)}
    assert "overview & scrutiny committee" not in names
    # Derived uids are stable: a second import changes nothing.
    again = load(db, "meetings_messy.csv", council=None)
    assert again.added == () and again.updated == ()


def test_body_names_take_the_minutes_spelling(db):
    db["bodies"].insert({"council": COUNCIL, "name": "Overview and Scrutiny Committee"})
    result = import_meetings(
        db, [Meeting(COUNCIL, "OVERVIEW AND SCRUTINY COMMITTEE", date(2023, 3, 2))], "x.csv"
    )
    [m] = list_meetings(db)
    assert m.body == "Overview and Scrutiny Committee" and m.uid == result.added[0]


def test_import_is_one_transaction(db):
    good = Meeting(COUNCIL, "Cabinet", date(2023, 1, 10), uid="a")
    bad = Meeting(COUNCIL, "Cabinet", date(2023, 1, 17), uid="b", status=None)  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        import_meetings(db, [good, bad], "x.ics")
    assert list_meetings(db) == []


def add_minutes(db, key, body, day, council=COUNCIL):
    items = [
        ParsedItem(title=f"Item {n}", council=council, body=body, meeting_date=day, item=str(n))
        for n in (1, 2)
    ]
    with db.atomic():
        replace_source(db, key, items, url=f"https://example.org/{key}")


def test_meetings_from_minutes_are_listed_and_merged(db):
    load(db, "moderngov.ics")
    add_minutes(db, "cab", "cabinet", date(2023, 1, 10))  # also in the calendar: merged
    add_minutes(db, "cab2", "Cabinet", date(2022, 12, 15))  # only in the minutes
    add_minutes(db, "cab3", "CABINET", date(2022, 12, 15))  # same meeting, other spelling
    add_minutes(db, "undated", "Cabinet", None)
    from_minutes = list(meetings_from_minutes(db))
    assert [(m.body, m.date, m.source) for m in from_minutes] == [
        ("CABINET", date(2022, 12, 15), "minutes"),
        ("cabinet", date(2023, 1, 10), "minutes"),
    ]
    cabinet = list_meetings(db, body="CaBiNeT")
    assert [(m.date, m.source) for m in cabinet] == [
        (date(2022, 12, 15), "minutes"),
        (date(2023, 1, 10), "moderngov.ics"),
    ]
    assert cabinet[0].uid == from_minutes[0].uid  # stable, derived
    assert list_meetings(db, body="Cabinet", include_minutes=False)[0].source == "moderngov.ics"


def test_list_meetings_filters_by_body_and_inclusive_dates(db):
    load(db, "moderngov.ics")
    january = list_meetings(db, date_from=date(2023, 1, 10), date_to=date(2023, 1, 26))
    assert [m.date.day for m in january] == [10, 12, 24, 26]
    assert [m.body for m in list_meetings(db, body="audit committee")] == ["Audit Committee"]
    assert list_meetings(db, body="Nonexistent Board") == []


def test_next_meeting_skips_cancelled_and_past(db):
    load(db, "moderngov.ics")
    assert next_meeting(db, "cabinet", date(2023, 1, 10)).date == date(2023, 1, 10)
    assert next_meeting(db, "Cabinet", date(2023, 1, 11)) is None
    # Licensing Committee's only meeting (24 Jan) is cancelled.
    assert next_meeting(db, "Licensing Committee", date(2023, 1, 1)) is None
    load(db, "moderngov_update.ics")
    assert next_meeting(db, "Cabinet", date(2023, 1, 11)).date == date(2023, 1, 17)


# --- iCal export ------------------------------------------------------------------------------


def exported(db, stamp=None):
    found = list_meetings(db)
    deadlines = {m.uid: compute_deadlines(m.body, m.date) for m in found}
    return found, export_ics(found, deadlines, name="Anytown meetings", stamp=stamp)


def test_export_ics(db):
    load(db, "moderngov.ics")
    found, data = exported(db)
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "Anytown meetings" and str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    assert len(cal.walk("VTIMEZONE")) == 1
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    cabinet = events[uid(4101)]
    assert cabinet["DTSTART"].params["TZID"] == "Europe/London"
    assert cabinet.decoded("DTSTART").astimezone(UTC) == datetime(2023, 1, 10, 18, 0, tzinfo=UTC)  # GMT
    audit = events[uid(4103)]
    assert audit.decoded("DTSTART").astimezone(UTC) == datetime(2023, 7, 13, 9, 0, tzinfo=UTC)  # BST
    assert events[uid(4105)].decoded("DTSTART") == date(2023, 5, 17)  # all day
    assert str(events[uid(4107)]["STATUS"]) == "CANCELLED"
    assert str(events[uid(4107)]["SUMMARY"]) == "CANCELLED: Health and Wellbeing Board"
    agenda = events["agenda_publication-mg-meeting-4101.democracy.anytown.gov.uk@scrutiny-bot"]
    assert str(agenda["SUMMARY"]) == "Agenda publication deadline: Cabinet 10 Jan 2023"
    assert agenda.decoded("DTSTART") == date(2022, 12, 30)
    assert "s100B" in str(agenda["DESCRIPTION"])
    # No deadlines for cancelled or postponed meetings; four for Cabinet, three for the rest.
    assert str(events[uid(4108)]["SUMMARY"]) == "POSTPONED: Children's Services Scrutiny Panel"
    assert not [
        u
        for u in events
        if u.endswith(
            ("4107.democracy.anytown.gov.uk@scrutiny-bot", "4108.democracy.anytown.gov.uk@scrutiny-bot")
        )
    ]
    assert len(events) == 8 + 4 + 4 * 3
    # Stable: the same meetings give the same bytes.
    assert exported(db)[1] == data


def test_export_uses_the_stamp_given(db):
    load(db, "moderngov.ics")
    _, data = exported(db, stamp=datetime(2024, 5, 1, 12, 0, tzinfo=UTC))
    assert b"DTSTAMP:20240501T120000Z" in data


# --- the command line -------------------------------------------------------------------------


def run(tmp_path, capsys, *argv):
    status = main(["--db", str(tmp_path / "test.db"), *argv])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_cli_import_and_list(tmp_path, capsys):
    status, out, _ = run(
        tmp_path, capsys, "meetings", "import", str(DATA / "moderngov.ics"), "--council", COUNCIL
    )
    assert status == 0
    assert out.splitlines()[0] == "8 added, 0 updated, 0 unchanged, 3 cancelled, 0 moved, 0 not imported"
    assert "added: Cabinet, Tue 10 Jan 2023 18:00 (confirmed)" in out

    status, out, _ = run(tmp_path, capsys, "meetings", "import", str(DATA / "moderngov_update.ics"))
    assert status == 1
    assert "moved: Cabinet from Tue 10 Jan 2023 to Tue 17 Jan 2023" in out
    assert "cancelled: Overview and Scrutiny Committee, Thu 12 Jan 2023 19:00 (cancelled)" in out
    assert "problem: row 10: no readable start date (DTSTART) (SUMMARY 'Standards Committee')" in out

    status, out, _ = run(tmp_path, capsys, "meetings", "list", "--body", "cabinet", "--from", "01/01/2023")
    assert status == 0
    assert out.splitlines() == [
        "2023-01-17  18:00  Cabinet  [confirmed, moderngov_update.ics]  "
        "Council Chamber, Town Hall, Market Street, Anytown AT1 1AA",
        "2023-02-07  18:00  Cabinet  [confirmed, moderngov_update.ics]  Council Chamber, Town Hall",
    ]
    status, out, _ = run(tmp_path, capsys, "meetings", "list", "--from", "2023-01-24", "--to", "2023-01-24")
    assert "Licensing Committee  [cancelled, moderngov.ics]" in out and len(out.splitlines()) == 1


def test_cli_import_reports_bad_rows(tmp_path, capsys):
    status, out, _ = run(tmp_path, capsys, "meetings", "import", str(DATA / "meetings_messy.csv"))
    assert status == 1
    assert "6 added" in out and "5 not imported" in out
    assert "problem: row 4: '31/02/2023' is not a real date" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["meetings", "list", "--from", "31/31/2023"], "can't read '31/31/2023' as a date"),
        (["meetings", "list", "--from", "2023-02-01", "--to", "2023-01-01"], "is before --from"),
        (["meetings", "import", "missing.ics"], "cannot read missing.ics"),
        (["meetings", "import", "pyproject.toml"], "give an iCal (.ics) or CSV (.csv) file"),
        (["deadlines", "--body", "Cabinet", "--meeting", "next week"], "can't read 'next week'"),
    ],
)
def test_cli_errors_are_polite(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(Path(__file__).parent.parent)
    status, out, err = run(tmp_path, capsys, *argv)
    assert status == 2
    assert message in err and "Traceback" not in err


def test_cli_bad_ics_file(tmp_path, capsys):
    bad = tmp_path / "bad.ics"
    bad.write_text("not a calendar\n")
    status, _, err = run(tmp_path, capsys, "meetings", "import", str(bad))
    assert status == 2 and "bad.ics is not an iCal calendar" in err


def test_cli_deadlines_json_and_table(tmp_path, capsys):
    status, out, _ = run(
        tmp_path, capsys, "deadlines", "--body", "Cabinet", "--meeting", "2023-01-05", "--json"
    )
    assert status == 0
    shaped = json.loads(out)
    assert shaped["body"] == "Cabinet" and shaped["meeting_date"] == "2023-01-05"
    assert {d["kind"]: d["date"] for d in shaped["deadlines"]} == {
        "key_decision_notice": "2022-12-07",
        "report_deadline": "2022-12-16",
        "agenda_publication": "2022-12-23",
        "draft_minutes": "2023-01-19",
    }
    status, out, _ = run(
        tmp_path, capsys, "deadlines", "--body", "Audit Committee", "--meeting", "05/01/2023"
    )
    assert status == 0
    assert "Agenda publication deadline  Fri 23 Dec 2022" in out
    assert "Key decision" not in out


def test_cli_calendar_export(tmp_path, capsys):
    run(tmp_path, capsys, "meetings", "import", str(DATA / "moderngov.ics"))
    target = tmp_path / "out.ics"
    status, out, _ = run(tmp_path, capsys, "calendar", "export", str(target), "--body", "Cabinet")
    assert status == 0 and out.strip() == f"Wrote 1 meetings and 4 deadlines to {target}."
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    assert len(cal.walk("VEVENT")) == 5


def test_cli_group_without_action_shows_help(tmp_path, capsys):
    status, out, _ = run(tmp_path, capsys, "meetings")
    assert status == 2 and "import" in out and "list" in out


def test_cli_next_meeting(tmp_path, capsys):
    # The fixture's meetings are all in 2023, before the real today the command uses.
    run(tmp_path, capsys, "meetings", "import", str(DATA / "moderngov.ics"))
    status, out, _ = run(tmp_path, capsys, "meetings", "next", "--body", "cabinet")
    assert status == 0 and out.strip() == "No coming meeting of cabinet is known."
