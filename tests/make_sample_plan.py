"""Write the sample plan's workbook from its CSV: ``python tests/make_sample_plan.py``.

The two files hold the same plan with the headers and date formats councils really use: the
CSV has "Ref.", "Lead officer", "Target date" and DD/MM/YYYY; the workbook has a title row,
"Action ref", "Owner", "Due", real Excel dates and hyperlinks. ``test_plans`` checks they agree.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "knowledge" / "sample" / "northbridge"
HEADERS = [
    "Action ref",
    "Theme",
    "Action",
    "Owner",
    "Due",
    "RAG",
    "Latest update",
    "Date of update",
    "Evidence",
]
FILLS = {"Blue": "9DC3E6", "Green": "A9D08E", "Amber": "FFD966", "Red": "F4B084"}


def build(csv_path: Path = SAMPLE / "plan.csv", out: Path = SAMPLE / "plan.xlsx") -> Path:
    """Write ``out`` from ``csv_path``; returns ``out``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    with csv_path.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    book = Workbook()
    sheet = book.active
    sheet.title = "Improvement plan"
    sheet.append(
        ["Northbridge Borough Council: Children's Services Improvement Plan (as at 10 November 2025)"]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for ref, theme, action, owner, due, rag, note, updated, link in rows:
        sheet.append([ref, theme, action, owner, datetime.strptime(due, "%d/%m/%Y"), rag, note,
                      datetime.strptime(updated, "%d/%m/%Y"), "Evidence" if link else None])  # fmt: skip
        row = sheet.max_row
        sheet.cell(row, 1).number_format = "@"
        for col in (5, 8):
            sheet.cell(row, col).number_format = "DD/MM/YYYY"
        sheet.cell(row, 6).fill = PatternFill("solid", fgColor=FILLS[rag])
        if link:
            sheet.cell(row, 9).hyperlink = link
            sheet.cell(row, 9).style = "Hyperlink"
    for col, width in zip("ABCDEFGHI", (10, 24, 60, 40, 12, 8, 60, 14, 10), strict=True):
        sheet.column_dimensions[col].width = width
    book.properties.creator = "scrutiny-bot sample"
    fixed = datetime(2025, 11, 10, 9, 0)  # a fixed date keeps the file the same each time it is built
    book.properties.created = book.properties.modified = fixed
    book.save(out)
    return out


if __name__ == "__main__":
    print(build())
