"""Plan reports: counts, red and overdue actions, consistency flags; the text, CSV, XLSX and PNG outputs,
and ``scrutiny-bot plan report`` through the command line."""

from __future__ import annotations

import csv
import io
import struct
from pathlib import Path

import pytest
from openpyxl import load_workbook
from plan_support import PLAN, TODAY, sample_plan_db, sample_plan_file

from bot.cli import main
from knowledge.plans.reports import build_report, report_csv, report_png, report_text, report_xlsx


@pytest.fixture(scope="module")
def report():
    db = sample_plan_db()
    built = build_report(db, None, TODAY)
    db.close()
    return built


def test_counts_by_rating_and_theme(report):
    assert report.by_rating == (("Blue", 8), ("Green", 8), ("Amber", 6), ("Red", 5))
    themes = dict(report.by_theme)
    assert themes["SEND"] == (0, 1, 2, 1) and themes["Workforce"] == (2, 1, 1, 1)
    assert sum(sum(row) for row in themes.values()) == len(report.actions) == 27


def test_red_and_overdue_actions(report):
    assert [a.ref for a in report.red] == ["2.4", "3.3", "4.2", "5.2", "6.3"]
    assert [a.ref for a in report.overdue][:3] == ["3.4", "5.1", "2.2"]  # oldest due date first
    assert all(a.rating != "Blue" for a in report.overdue) and len(report.overdue) == 11


def test_consistency_flags(report):
    kinds: dict[str, list[str]] = {}
    for flag in report.flags:
        kinds.setdefault(flag.kind, []).append(flag.ref)
    assert kinds["past due but on track"] == ["2.2", "3.4", "4.3"]
    assert kinds["complete without evidence"] == ["1.3"]
    assert kinds["no recent update"] == ["1.5", "2.5", "5.1", "5.3", "6.2"]


def test_the_stale_period_is_a_setting():
    db = sample_plan_db()
    late = build_report(db, PLAN, TODAY, stale_days=30)
    assert len([f for f in late.flags if f.kind == "no recent update"]) > 5


def test_text(report):
    text = report_text(report)
    assert text.startswith(
        f"{PLAN}: report on 20 November 2025\n27 actions: 8 Blue (complete), 8 Green (on track)"
    )
    assert "SEND                          0      1      2    1      4" in text
    assert "Latest update (28 October 2025): 41% were issued within 20 weeks" in text
    assert "1.3: rated Blue (complete) with no evidence linked." in text
    assert "2.2: rated Green but its due date, 30 June 2023, has passed." in text


def test_csv_holds_every_action_with_its_flags(report):
    data = report_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 27 and rows[0]["Ref"] == "1.1" and rows[0]["Plan"] == PLAN
    by_ref = {r["Ref"]: r for r in rows}
    assert by_ref["2.2"]["Flags"] == "past due but on track" and by_ref["2.2"]["Overdue"] == "yes"
    assert by_ref["5.2"]["Due"] == "2025-08-31" and by_ref["5.2"]["Rating"] == "Red"


def test_the_xlsx_opens_and_holds_the_right_rows(report):
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    assert book.sheetnames == ["Summary", "Actions", "Red and overdue", "Flags"]
    actions = list(book["Actions"].iter_rows(values_only=True))
    assert actions[0][:7] == ("Plan", "Ref", "Theme", "Action", "Owner", "Due", "Rating")
    assert [r[1] for r in actions[1:]] == [a.ref for a in report.actions]
    assert actions[1][5].date().isoformat() == "2021-07-31"  # a real date, not text
    red_and_late = {r[1] for r in book["Red and overdue"].iter_rows(min_row=2, values_only=True)}
    assert red_and_late == {a.ref for a in report.red} | {a.ref for a in report.overdue}
    flags = list(book["Flags"].iter_rows(min_row=2, values_only=True))
    assert ("1.3", "complete without evidence") in [(f[0], f[1]) for f in flags]
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert ("Red", 5) in [r[:2] for r in summary] and ("Total", 27) in [r[:2] for r in summary]
    red_fill = book["Actions"].cell(1 + [r[1] for r in actions].index("2.4"), 7).fill.fgColor.rgb
    assert red_fill.endswith("C62828")


def test_the_png_is_a_real_image(report):
    data = report_png(report)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (700, 400)
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        colours = {c for _, c in image.convert("RGB").getcolors(maxcolors=100000)}
    assert (0xC6, 0x28, 0x28) in colours and (0x1F, 0x5F, 0xBF) in colours  # red and blue bars


def test_building_a_chart_leaves_matplotlibs_global_backend_alone(report):
    import matplotlib

    before = matplotlib.get_backend()
    report_png(report)
    assert matplotlib.get_backend() == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "png"])
def test_the_command_line_writes_each_format(tmp_path: Path, capsys, fmt):
    db = sample_plan_file(tmp_path)
    out = tmp_path / f"pack.{fmt}"
    code = main(
        ["--db", str(db), "plan", "report", "--format", fmt, "--out", str(out), "--today", "2025-11-20"]
    )
    assert code == 0 and out.exists() and out.stat().st_size > 100
    assert f"Wrote {out} (27 actions)." in capsys.readouterr().out


def test_the_command_line_prints_the_text_and_names_a_file_by_default(tmp_path: Path, capsys, monkeypatch):
    db = sample_plan_file(tmp_path)
    assert main(["--db", str(db), "plan", "report", "--today", "2025-11-20"]) == 0
    assert "Consistency flags (9):" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path)
    assert main(["--db", str(db), "plan", "report", "csip", "--format", "csv", "--today", "2025-11-20"]) == 0
    assert (tmp_path / "childrens-services-improvement-plan-2025-11-20.csv").exists()
    assert main(["--db", str(db), "plan", "report", "no such plan"]) == 2
    assert "no plan called" in capsys.readouterr().err
