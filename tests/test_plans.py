"""Improvement plans: rating keys, reading CSV and XLSX with messy headers and bad rows, importing and
re-importing with history, finding actions by reference, and officers' status updates with permissions."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from plan_support import NOW, PLAN, SAMPLE, sample_plan_db, write_csv, write_xlsx

from knowledge.models import UserError
from knowledge.plans.actions import action_history, find_action, find_plan, list_actions, list_plans, ref_key
from knowledge.plans.files import match_headers, read_date, read_plan_file
from knowledge.plans.imports import import_plan, import_plan_file, set_plan_options, set_rating_key
from knowledge.plans.ratings import DEFAULT_KEY, RatingKey
from knowledge.plans.status import PermissionDenied, add_update, is_owner, read_status_text, set_status
from knowledge.store import open_db

HEADER = ["Ref", "Theme", "Action", "Owner", "Due", "RAG", "Latest update"]


@pytest.fixture
def db():
    database = sample_plan_db()
    yield database
    database.close()


# --- rating keys -----------------------------------------------------------------------------------


def test_the_default_key_is_blue_green_amber_red_with_blue_complete():
    assert DEFAULT_KEY.names() == ["Blue", "Green", "Amber", "Red"]
    assert DEFAULT_KEY.is_complete("Blue") and not DEFAULT_KEY.is_complete("Green")
    assert DEFAULT_KEY.worst.name == "Red" and DEFAULT_KEY.on_track.name == "Green"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("typed", "rating"),
    [("red", "Red"), ("RED", "Red"), (" Amber ", "Amber"), ("g", "Green"), ("complete", "Blue"),
     ("on track", "Green"), ("purple", None), ("", None), ("A/R", None)],
)  # fmt: skip
def test_a_rating_is_read_loosely(typed, rating):
    found = DEFAULT_KEY.find(typed)
    assert (found.name if found else None) == rating


def test_a_council_may_rename_and_add_ratings_and_keep_their_roles():
    key = RatingKey.parse("Complete=blue done,On track=green,At risk=amber,Off track=red,Not started=grey")
    assert key.names() == ["Complete", "On track", "At risk", "Off track", "Not started"]
    assert key.worst.name == "Off track" and key.on_track.name == "On track"  # type: ignore[union-attr]
    assert key.find("red").name == "Off track"  # type: ignore[union-attr]
    assert key.is_complete("Complete") and key.colour_of("At risk") == "#f0a500"
    assert RatingKey.from_json(key.to_json()) == key
    with pytest.raises(UserError, match="more than once"):
        RatingKey.parse("Red,Amber,red")


# --- reading files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Action ref", "Priority", "Action", "Lead officer", "Target date", "RAG", "Latest update", "Evidence"],
         {"ref": "Action ref", "theme": "Priority", "owner": "Lead officer", "due": "Target date", "rating": "RAG"}),
        (["Ref.", "Theme", "Action", "Owner", "Due", "Status"],
         {"ref": "Ref.", "owner": "Owner", "due": "Due", "rating": "Status"}),
        (["  ACTION REF ", "action", "Lead Officer", "Stauts"], {"ref": "ACTION REF", "owner": "Lead Officer",
                                                                  "rating": "Stauts"}),
        (["No.", "Workstream", "What we will do", "Responsible officer", "Deadline", "RAG rating", "Commentary"],
         {"ref": "No.", "theme": "Workstream", "action": "What we will do", "due": "Deadline"}),
    ],
)  # fmt: skip
def test_headers_are_matched_tolerantly(headers, expected):
    taken, _ = match_headers(headers)
    got = {field: headers[col].strip() for field, col in taken.items()}
    assert {k: got.get(k) for k in expected} == expected


def test_rag_beats_status_and_unused_columns_are_reported():
    headers = ["Ref", "Action", "Status", "RAG", "Directorate"]
    taken, ignored = match_headers(headers)
    assert headers[taken["rating"]] == "RAG"
    assert ignored == ["Status", "Directorate"]


@pytest.mark.parametrize(
    ("value", "day"),
    [("31/03/2024", date(2024, 3, 31)), ("2024-03-31", date(2024, 3, 31)), ("31 March 2024", date(2024, 3, 31)),
     ("March 2024", date(2024, 3, 31)), (45382, date(2024, 3, 31)), ("45382", date(2024, 3, 31)),
     (datetime(2024, 3, 31, 0, 0), date(2024, 3, 31)), ("1/2/24", date(2024, 2, 1)), ("", None), (None, None)],
)  # fmt: skip
def test_dates_in_every_form_plans_use(value, day):
    assert read_date(value) == day


@pytest.mark.parametrize("value", ["soon", "31/02/2024", "Q3", 12])
def test_a_date_that_cannot_be_read_is_an_error(value):
    with pytest.raises(ValueError):
        read_date(value)


def test_the_sample_csv_and_workbook_hold_the_same_plan():
    from_csv = read_plan_file(SAMPLE / "plan.csv")
    from_xlsx = read_plan_file(SAMPLE / "plan.xlsx")
    assert from_csv.problems == [] and from_xlsx.problems == []
    strip = [(a.ref, a.theme, a.action, a.owner, a.due, a.rating, a.latest_update, a.updated, a.evidence)
             for a in from_csv.actions]  # fmt: skip
    assert strip == [(a.ref, a.theme, a.action, a.owner, a.due, a.rating, a.latest_update, a.updated, a.evidence)
                     for a in from_xlsx.actions]  # fmt: skip
    assert len(strip) >= 25
    assert from_xlsx.header_row == 3  # a title row and a blank row come first
    assert from_csv.column_map["owner"] == "Lead officer" and from_xlsx.column_map["owner"] == "Owner"
    assert "due date ← “Target date”" in from_csv.describe_columns()


def test_an_xlsx_with_excel_dates_serial_numbers_and_hyperlinks(tmp_path: Path):
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        [["Action ref", "Action", "Target date", "RAG", "Evidence"],
         ["A1", "Recruit", datetime(2024, 3, 31), "Amber", "see link"],
         ["A2", "Retain", 45382, "green", None]],
        links={(2, 5): "https://example.gov.uk/evidence/a1"},
    )  # fmt: skip
    plan = read_plan_file(path)
    assert plan.problems == []
    a1, a2 = plan.actions
    assert a1.due == a2.due == date(2024, 3, 31)
    assert a1.evidence == "https://example.gov.uk/evidence/a1" and a2.rating == "Green"


def test_bad_rows_are_reported_by_row_column_and_reason_and_good_rows_still_import(tmp_path: Path):
    path = write_csv(
        tmp_path / "plan.csv",
        [HEADER,
         ["1.1", "Governance", "Set up the board", "Ms Okafor", "31/07/2021", "Blue", "Done"],
         ["", "Governance", "No reference", "Ms Okafor", "31/07/2021", "Green", ""],
         ["1.2", "Governance", "Bad date", "Ms Okafor", "soon", "Green", ""],
         ["1.3", "Governance", "Bad rating", "Ms Okafor", "31/07/2021", "Purple", ""],
         ["1.1", "Governance", "Same reference again", "Ms Okafor", "", "Red", ""],
         ["", "", "", "", "", "", ""],
         ["1.4", "Governance", "Good, not rated yet", "", "", "", ""]],
    )  # fmt: skip
    plan = read_plan_file(path)
    assert [a.ref for a in plan.actions] == ["1.1", "1.4"]
    problems = [(p.row, p.column) for p in plan.problems]
    assert problems == [(3, "Ref"), (4, "Due"), (5, "RAG"), (6, "Ref")]
    assert "“soon”" in str(plan.problems[1]) and str(plan.problems[1]).startswith("row 4, column “Due”")
    assert "Purple" in plan.problems[2].reason and "Blue (complete)" in plan.problems[2].reason
    assert "also on row 2" in plan.problems[3].reason
    db = open_db(":memory:")
    result = import_plan(db, "Test plan", plan, now=NOW)
    assert result.added == ["1.1", "1.4"] and len(result.problems) == 4
    assert [a.rating for a in list_actions(db)] == ["Blue", None]


def test_a_file_without_the_columns_it_needs_says_what_it_found(tmp_path: Path):
    path = write_csv(tmp_path / "plan.csv", [["Name", "Colour"], ["x", "red"]])
    with pytest.raises(UserError, match=r"no column for the reference and action.*“Name”, “Colour”"):
        read_plan_file(path)


def test_semicolons_windows_encoding_and_other_suffixes(tmp_path: Path):
    rows = [HEADER, ["1", "Équipe", "Café hubs; east and west", "Mr Osei", "01/04/2025", "R", ""]]
    plan = read_plan_file(write_csv(tmp_path / "p.csv", rows, delimiter=";", encoding="cp1252"))
    assert plan.actions[0].theme == "Équipe" and plan.actions[0].rating == "Red"
    (tmp_path / "p.pdf").write_bytes(b"%PDF")
    with pytest.raises(UserError, match=".csv and .xlsx"):
        read_plan_file(tmp_path / "p.pdf")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(UserError, match="not a readable .xlsx"):
        read_plan_file(tmp_path / "broken.xlsx")


# --- importing -----------------------------------------------------------------------------------


def test_importing_the_sample_plan(db):
    [plan] = list_plans(db)
    assert plan.name == PLAN and plan.code == "CSIP" and plan.key == DEFAULT_KEY
    actions = list_actions(db)
    assert len(actions) == 27 and {a.theme for a in actions} >= {
        "SEND",
        "Workforce",
        "Front door",
        "Early help",
    }
    first = actions[0]
    assert first.ref == "1.1" and first.latest_update_at is not None
    assert first.latest_update_at.date() == date(2021, 6, 21)  # the row's date of update, not the import's


def test_re_importing_updates_actions_and_keeps_their_history(tmp_path: Path):
    db = open_db(":memory:")
    v1 = write_csv(tmp_path / "v1.csv", [HEADER, ["1", "Front door", "Open the hub", "Ms Dunmore", "31/03/2025",
                                                  "Amber", "Building works"],
                                         ["2", "Workforce", "Recruit", "Mr Pritchard", "", "Green", "On track"]])  # fmt: skip
    import_plan_file(db, v1, "P", now=NOW)
    v2 = write_csv(tmp_path / "v2.csv", [HEADER, ["1", "Front door", "Open the hub", "Ms Dunmore", "30/06/2025",
                                                  "Red", "Contractor went bust"],
                                         ["2", "Workforce", "Recruit", "Mr Pritchard", "", "Green", "On track"]])  # fmt: skip
    _, result = import_plan_file(db, v2, "P", now=NOW + timedelta(days=1))
    assert result.updated == ["1"] and result.unchanged == 1 and result.added == []
    plan, one = find_action(db, "1")
    assert (
        one.rating == "Red" and one.due == date(2025, 6, 30) and one.latest_update == "Contractor went bust"
    )
    history = action_history(db, one.id)
    assert [(u.previous_rating, u.new_rating, u.source) for u in history] == [(None, "Amber", "import"),
                                                                              ("Amber", "Red", "import")]  # fmt: skip
    assert history[0].note == "Building works"
    _, again = import_plan_file(db, v2, "P", now=NOW + timedelta(days=2))
    assert again.unchanged == 2 and len(action_history(db, one.id)) == 2


def test_an_older_spreadsheet_does_not_overwrite_a_newer_chat_update(tmp_path: Path):
    db = open_db(":memory:")
    header = [*HEADER, "Date of update"]
    old = [header, ["1", "T", "Open the hub", "Ms Dunmore", "", "Amber", "Works started", "01/10/2025"],
           ["2", "T", "Recruit", "Mr Osei", "", "Green", "", ""]]  # fmt: skip
    import_plan_file(db, write_csv(tmp_path / "a.csv", old), "P", now=NOW)
    set_status(db, "1", "red", "Contractor went bust", user_id="U1", role="officer", now=NOW)
    old[1][2] = "Open the family hub"
    _, result = import_plan_file(db, write_csv(tmp_path / "b.csv", old[:2]), "P", now=NOW)
    _, action = find_action(db, "1")
    assert action.rating == "Red" and action.latest_update == "Contractor went bust"
    assert action.action == "Open the family hub"  # the other fields still follow the file
    assert result.kept == ["1"] and result.not_in_file == ["2"]


def test_history_is_append_only(db):
    _, action = find_action(db, "2.3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE action_updates SET note = 'rewritten' WHERE action_id = ?", [action.id])


def test_import_is_one_transaction(tmp_path: Path):
    db = open_db(":memory:")
    plan = read_plan_file(SAMPLE / "plan.csv")
    plan.actions.append(plan.actions[0].__class__(row=99, ref="9.9", action="x", rating="NotARating"))
    result = import_plan(db, PLAN, plan, now=NOW)
    assert [str(p) for p in result.problems] == ["row 99, column “Status”: “NotARating” is not a rating in the key "
                                                 "(Blue (complete), Green (on track), Amber (at risk), Red (off track))"]  # fmt: skip
    assert len(list_actions(db)) == 27


# --- finding actions -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["2.3", "Action 2.3", "action 2.03", " 2.3. ", "CSIP:2.3", "ref 2.3"])
def test_references_are_matched_tolerantly(db, typed):
    _, action = find_action(db, typed)
    assert action.ref == "2.3"


def test_a_typo_gets_suggestions(db):
    with pytest.raises(UserError) as err:
        find_action(db, "2.13")
    assert str(err.value) == f"No action 2.13 in the {PLAN}. Did you mean 2.1, 2.3?"
    assert ref_key("Action 02.10") == "2.10"


def test_two_plans_with_the_same_reference(db, tmp_path: Path):
    import_plan_file(db, write_csv(tmp_path / "s.csv", [HEADER, ["2.3", "SEND", "x", "", "", "Red", ""]]),
                     "SEND Priority Action Plan", now=NOW)  # fmt: skip
    with pytest.raises(UserError, match=r"in 2 plans.*like CSIP:2.3"):
        find_action(db, "2.3")
    assert find_action(db, "SPAP:2.3")[0].name == "SEND Priority Action Plan"
    assert find_action(db, "2.3", plan="children's services")[0].name == PLAN
    with pytest.raises(UserError, match="Say which one"):
        find_plan(db)


# --- status updates and permissions --------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "clerk", "admin"])
def test_officers_clerks_and_admins_may_rate_an_action(db, role):
    change = set_status(db, "2.3", "RED", "Analysts still missing", user_id="U1", role=role, now=NOW,
                        user_name="Olu Officer")  # fmt: skip
    assert (change.update.previous_rating, change.update.new_rating) == ("Amber", "Red")
    assert change.action.rating == "Red" and change.action.latest_update == "Analysts still missing"
    assert change.update.by == "U1" and change.update.who == "Olu Officer" and change.update.at == NOW


@pytest.mark.parametrize("role", ["member", "", "visitor"])
def test_a_member_is_refused_politely_and_told_who_may(db, role):
    with pytest.raises(PermissionDenied) as err:
        set_status(db, "2.3", "Red", "x", user_id="U9", role=role, now=NOW)
    assert "only officers, clerks and admins" in str(err.value)
    with pytest.raises(PermissionDenied):
        add_update(db, "2.3", "x", user_id="U9", role=role, now=NOW)
    _, action = find_action(db, "2.3")
    assert action.rating == "Amber" and len(action_history(db, action.id)) == 1


def test_a_change_of_rating_needs_a_note(db):
    with pytest.raises(UserError, match="needs a note"):
        set_status(db, "2.3", "red", "  ", user_id="U1", role="officer", now=NOW)
    with pytest.raises(UserError, match="already Amber.*update 2.3"):
        set_status(db, "2.3", "amber", "", user_id="U1", role="officer", now=NOW)
    with pytest.raises(UserError, match="not a rating"):
        set_status(db, "2.3", "purple", "x", user_id="U1", role="officer", now=NOW)


def test_progress_without_a_change_of_rating(db):
    change = add_update(db, "4.3", "A fourth cohort starts in January", user_id="U1", role="officer", now=NOW)
    assert change.action.rating == "Green" and not change.update.rating_changed
    with pytest.raises(UserError, match="Say what has happened"):
        add_update(db, "4.3", "", user_id="U1", role="officer", now=NOW)


def test_every_update_is_kept_and_never_overwritten(db):
    for n, rating in enumerate(["Red", "Amber", "Green"]):
        set_status(
            db, "2.3", rating, f"note {n}", user_id=f"U{n}", role="officer", now=NOW + timedelta(hours=n)
        )
    _, action = find_action(db, "2.3")
    history = action_history(db, action.id)
    assert [(u.previous_rating, u.new_rating, u.note, u.by) for u in history[1:]] == [
        ("Amber", "Red", "note 0", "U0"), ("Red", "Amber", "note 1", "U1"), ("Amber", "Green", "note 2", "U2")]  # fmt: skip


def test_status_text_is_split_into_reference_rating_and_note(db):
    assert read_status_text(db, "2.3 AMBER police analysts back") == ("2.3", "Amber", "police analysts back")
    assert read_status_text(db, "2.3 on track all good") == ("2.3", "Green", "all good")
    with pytest.raises(UserError, match="Did you mean"):
        read_status_text(db, "2.13 red x")
    with pytest.raises(UserError, match="“Purple” is not a rating"):
        read_status_text(db, "2.3 Purple x")


@pytest.mark.parametrize(
    ("owner", "name", "owns"),
    [("Mr Owen Pritchard, Head of Workforce Development", "Owen Pritchard", True),
     ("Mr Owen Pritchard, Head of Workforce Development", "Dr Owen Pritchard", True),
     ("Ms Amara Okafor / Mr Owen Pritchard", "owen pritchard", True),
     ("Mr Owen Pritchard, Head of Workforce Development", "Owen", True),
     ("Mr Owen Pritchard, Head of Workforce Development", "Daniel Osei", False),
     ("Mr Owen Pritchard", "", False), ("", "Owen Pritchard", False)],
)  # fmt: skip
def test_owners_are_recognised_by_their_configured_name(owner, name, owns):
    assert is_owner(owner, name) is owns


def test_a_plan_may_be_restricted_to_owners(db):
    set_plan_options(db, PLAN, owner_only=True)
    kwargs = {"user_id": "U1", "now": NOW}
    set_status(db, "4.2", "Amber", "rates cap agreed", role="officer", user_name="Owen Pritchard", **kwargs)
    with pytest.raises(
        PermissionDenied, match=r"only an action's owner.*Mr Owen Pritchard.*Clerks and admins"
    ):
        set_status(db, "4.2", "Red", "x", role="officer", user_name="Daniel Osei", **kwargs)
    with pytest.raises(PermissionDenied):
        add_update(db, "4.2", "x", role="officer", user_name="", **kwargs)
    set_status(db, "4.2", "Red", "reported at the board", role="clerk", user_name="Hannah Greaves", **kwargs)
    set_status(db, "4.2", "Amber", "corrected", role="admin", **kwargs)
    assert set_plan_options(db, None, owner_only=False).owner_only is False


def test_changing_the_rating_key_re_rates_actions_but_not_their_history(db):
    set_status(db, "2.3", "Red", "x", user_id="U1", role="officer", now=NOW)
    plan, moves = set_rating_key(db, None, "Complete=blue done,On track=green,At risk=amber,Off track=red")
    assert moves == {"Blue": "Complete", "Green": "On track", "Amber": "At risk", "Red": "Off track"}
    _, action = find_action(db, "2.3")
    assert action.rating == "Off track"
    assert action_history(db, action.id)[-1].new_rating == "Red"  # history is never rewritten
    with pytest.raises(UserError, match="--rename Complete=Done"):
        set_rating_key(db, None, "Done=finished,Green,Amber,Red")
    _, moves = set_rating_key(db, None, "Done=finished,Green,Amber,Red", renames={"complete": "Done"})
    assert moves["Complete"] == "Done" and find_plan(db).key.is_complete("Done")
    change = set_status(db, "2.3", "done", "finished at last", user_id="U1", role="officer", now=NOW)
    assert change.action.rating == "Done"


def test_the_sample_loads_with_its_plan():
    from knowledge.minutes.ingest import load_sample

    db = open_db(":memory:")
    load_sample(db, today=date(2025, 11, 22))
    assert [p.name for p in list_plans(db)] == [PLAN] and len(list_actions(db)) == 27
    assert db.execute("SELECT count(*) FROM recommendations").fetchone()[0] >= 5
