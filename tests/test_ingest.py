"""Ingest and ask through the command line, against a real SQLite file."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from knowledge.minutes.ingest import ingest_files, read_manifest
from knowledge.minutes.parse import PageMeta
from knowledge.models import UserError
from knowledge.store import open_db

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "shared" / "corpus"

ISSUE = """Issue - meetings
Quarterly performance
Meeting: 06/03/2023 - Children's Services Improvement Board (Item 12)
12 Quarterly performance pdf icon PDF 100 KB
To receive the quarterly performance report.
Additional documents:
The Board noted that caseloads had fallen.
It was resolved that:
a) the report be noted; and
b) a workforce update be brought to the next meeting.
"""
AGENDA_ITEM = """Agenda item
Early help update
To receive an update on early help.
Minutes:
Members welcomed the growth of family hubs.
RESOLVED: That the update be noted.
"""


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "issue.txt").write_text(ISSUE, encoding="utf-8")
    (folder / "agenda.txt").write_text(AGENDA_ITEM, encoding="utf-8")
    return folder


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def count(db_path: Path, table: str = "items") -> int:
    db = open_db(db_path)
    try:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        db.close()


def test_ingest_twice_changes_nothing(tmp_path, pages, capsys):
    db = tmp_path / "x.db"
    code, out, _ = run(capsys, "--db", str(db), "ingest", str(pages))
    assert code == 0 and "2 file(s) ingested (2 items)" in out
    snapshot = open_db(db).execute("SELECT * FROM items ORDER BY id").fetchall()
    code, out, _ = run(capsys, "--db", str(db), "ingest", str(pages))
    assert code == 0 and "0 file(s) ingested" in out and "2 unchanged" in out
    assert open_db(db).execute("SELECT * FROM items ORDER BY id").fetchall() == snapshot


def test_changed_file_replaces_its_rows(tmp_path, pages, capsys):
    db = tmp_path / "x.db"
    run(capsys, "--db", str(db), "ingest", str(pages))
    (pages / "issue.txt").write_text(
        ISSUE.replace("caseloads had fallen", "caseloads had risen"), encoding="utf-8"
    )
    code, out, _ = run(capsys, "--db", str(db), "ingest", str(pages))
    assert code == 0 and "1 file(s) ingested" in out
    assert count(db) == 2
    texts = " ".join(r[0] for r in open_db(db).execute("SELECT narrative FROM items").fetchall())
    assert "risen" in texts and "fallen" not in texts
    # and the full-text index follows
    assert (
        open_db(db).execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'fallen'").fetchone()[0]
        == 0
    )


def test_bad_file_is_reported_others_still_ingest_exit_nonzero(tmp_path, pages, capsys):
    (pages / "empty.txt").write_text("   \n", encoding="utf-8")
    (pages / "binary.html").write_bytes(b"\x00\x01\x02garbage")
    db = tmp_path / "x.db"
    code, out, err = run(capsys, "--db", str(db), "ingest", str(pages), str(tmp_path / "missing.txt"))
    assert code == 1
    assert "2 file(s) ingested" in out and "3 failed" in out
    assert "empty.txt" in out and "missing.txt" in out and "cannot read" in out
    assert count(db) == 2


def test_flags_fill_only_what_the_page_does_not_state(tmp_path, pages, capsys):
    db = tmp_path / "x.db"
    code, _, _ = run(capsys, "--db", str(db), "ingest", str(pages), "--body", "Cabinet", "--date", "2023-01-05",
                     "--council", "Northbridge Borough Council", "--url", "https://example.test/x")  # fmt: skip
    assert code == 0
    rows = (
        open_db(db)
        .execute("SELECT title, body, meeting_date, council, url FROM items ORDER BY title")
        .fetchall()
    )
    assert rows == [
        ("Early help update", "Cabinet", "2023-01-05", "Northbridge Borough Council", "https://example.test/x"),
        ("Quarterly performance", "Children's Services Improvement Board", "2023-03-06",
         "Northbridge Borough Council", "https://example.test/x"),
    ]  # fmt: skip


def test_bad_date_flag_is_a_polite_error(tmp_path, pages, capsys):
    code, out, err = run(capsys, "--db", str(tmp_path / "x.db"), "ingest", str(pages), "--date", "15/13/2022")
    assert code == 2 and "YYYY-MM-DD" in err and "Traceback" not in err


def test_manifest_paths_are_relative_to_it_and_empty_means_unknown(tmp_path, pages, capsys):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,council,body,date,url\n"
        "pages/agenda.txt,Northbridge Borough Council,Cabinet,,https://example.test/agenda\n"
        f"{pages / 'issue.txt'},Northbridge Borough Council,,2020-01-01,\n",
        encoding="utf-8",
    )
    db = tmp_path / "x.db"
    code, out, _ = run(capsys, "--db", str(db), "ingest", "--manifest", str(manifest))
    assert code == 0, out
    rows = dict(open_db(db).execute("SELECT title, meeting_date FROM items").fetchall())
    # the agenda item's date stays unknown; the issue page states its own date
    assert rows == {"Early help update": None, "Quarterly performance": "2023-03-06"}


def test_manifest_problems_are_listed_together(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,council,body,date,url\n,,,,\na.txt,,,31/31/2020,\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        read_manifest(manifest)
    assert "line 2" in str(err.value) and "line 3" in str(err.value)
    (tmp_path / "n.csv").write_text("file,body\n", encoding="utf-8")
    with pytest.raises(UserError, match="no 'path' column"):
        read_manifest(tmp_path / "n.csv")


def test_progress_is_shown_for_many_files(tmp_path, pages):
    for n in range(25):
        shutil.copy(pages / "agenda.txt", pages / f"copy{n:02}.txt")
    seen = []
    db = open_db(tmp_path / "x.db")
    ingest_files(db, [pages], on_progress=lambda n, total, r: seen.append((n, total, r.status)))
    assert [n for n, _, _ in seen] == list(range(1, 28)) and {t for _, t, _ in seen} == {27}


def test_ask_json_and_stdin_lines(tmp_path, pages, capsys, monkeypatch):
    db = tmp_path / "x.db"
    run(capsys, "--db", str(db), "ingest", str(pages))
    code, out, _ = run(
        capsys, "--db", str(db), "ask", "what did the improvement board resolve in March 2023", "--json"
    )
    assert code == 0
    obj = json.loads(out)
    assert set(obj) == {"question", "found", "answer", "intent", "filters", "citations"}
    assert obj["found"] is True and obj["intent"] == "resolutions"
    assert obj["filters"] == {"council": None, "body": "Children's Services Improvement Board",
                              "date_from": "2023-03-01", "date_to": "2023-03-31", "topic": None}  # fmt: skip
    (cite,) = obj["citations"]
    assert (
        cite["meeting_date"] == "2023-03-06" and cite["item"] == "12" and cite["source"].endswith("issue.txt")
    )
    assert "a workforce update be brought to the next meeting." in cite["quote"]

    monkeypatch.setattr("sys.stdin", io.StringIO("what did the board resolve\n\nAND (\nfamily hubs\n"))
    code, out, _ = run(capsys, "--db", str(db), "ask", "--json", "-")
    lines = [json.loads(line) for line in out.splitlines()]  # one a line, the blank one too
    assert [obj["question"] for obj in lines] == ["what did the board resolve", "", "AND (", "family hubs"]
    assert [obj["found"] for obj in lines] == [True, False, False, True]


def test_no_arguments_is_a_polite_error(tmp_path, capsys):
    code, _, err = run(capsys, "--db", str(tmp_path / "x.db"), "ingest")
    assert code == 2 and "name the files" in err


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")
def test_real_corpus_december_2022(tmp_path, capsys):
    db = tmp_path / "x.db"
    code, out, _ = run(capsys, "--db", str(db), "ingest", *map(str, sorted(CORPUS.glob("*.txt"))))
    assert code == 0 and "5 file(s) ingested" in out
    code, out, _ = run(capsys, "--db", str(db), "ask", "what did cabinet resolve in December 2022", "--json")
    obj = json.loads(out)
    (cite,) = obj["citations"]
    assert (cite["body"], cite["meeting_date"], cite["item"]) == ("Cabinet", "2022-12-15", "181")
    assert len(cite["quote"].splitlines()) == 3
    assert "no later than 20 December 2022" in obj["answer"]
    code, out, _ = run(capsys, "--db", str(db), "ask", "what did cabinet resolve in August 2023")
    assert "no resolutions of Cabinet in August 2023" in out and "15 December 2022" in out


def test_meta_merges_with_manifest_rows(tmp_path, pages):
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,council,body,date,url\npages/agenda.txt,,,,\n", encoding="utf-8")
    db = open_db(tmp_path / "x.db")
    results = ingest_files(db, manifest=manifest, meta=PageMeta(body="Cabinet"))
    assert [r.status for r in results] == ["ingested"]
    assert db.execute("SELECT body FROM items").fetchone()[0] == "Cabinet"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")
def test_two_councils_a_council_named_in_the_question_filters(tmp_path, capsys):
    from knowledge.minutes.ingest import sample_manifest_path

    db = tmp_path / "x.db"
    run(
        capsys,
        "--db",
        str(db),
        "ingest",
        *map(str, sorted(CORPUS.glob("*.txt"))),
        "--council",
        "Herefordshire Council",
    )
    run(capsys, "--db", str(db), "ingest", "--manifest", str(sample_manifest_path()))
    code, out, _ = run(capsys, "--db", str(db), "ask", "what did cabinet resolve in December 2022", "--json")
    obj = json.loads(out)
    # both councils' Cabinets met that month: each answer names its council, nobody is asked back
    assert {c["council"] for c in obj["citations"]} == {"Herefordshire Council", "Northbridge Borough Council"}
    assert "Herefordshire Council, Cabinet, 15 December 2022" in obj["answer"]
    assert "Northbridge Borough Council, Cabinet, 15 December 2022" in obj["answer"]
    code, out, _ = run(
        capsys, "--db", str(db), "ask", "what did herefordshire cabinet resolve in December 2022", "--json"
    )
    obj = json.loads(out)
    assert obj["filters"]["council"] == "Herefordshire Council"
    assert {c["council"] for c in obj["citations"]} == {"Herefordshire Council"}
    assert [c["item"] for c in obj["citations"]] == ["181"]
    assert obj["answer"].count("Herefordshire Council, Cabinet, 15 December 2022") == 1
