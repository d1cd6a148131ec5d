"""Shared test helpers for improvement plans: a fixed clock, the sample plan, files to import."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from handlers.access import Access
from handlers.context import Context
from knowledge.plans.imports import import_plan_file
from knowledge.store import open_db

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "knowledge" / "sample" / "northbridge"
PLAN = "Children's Services Improvement Plan"
NOW = datetime(2025, 11, 20, 9, 30, tzinfo=timezone.utc)  # noqa: UP017 - explicit for readers
TODAY = NOW.date()
LAST_BOARD = date(2025, 10, 13)  # the last Children's Services Improvement Board in the sample minutes

#: Who is who in the plan tests: the officer is named as the owner of the workforce actions.
ACCESS = Access(
    roles={"U0OFFICER": "officer", "U0OTHER": "officer", "U0CLERK": "clerk", "U0ADMIN": "admin"},
    names={"U0OFFICER": "Owen Pritchard", "U0OTHER": "Daniel Osei", "U0CLERK": "Hannah Greaves",
           "U0MEMBER": "Sam Member"},
)  # fmt: skip
USERS = {"member": "U0MEMBER", "officer": "U0OFFICER", "clerk": "U0CLERK", "admin": "U0ADMIN"}


def sample_plan_db(
    path: Path | str = ":memory:", *, channel: str | None = None, minutes: bool = False
) -> Any:
    """A database holding the sample plan (and the sample minutes if asked), open."""
    db = open_db(path)
    if minutes:
        from knowledge.minutes.ingest import load_sample

        load_sample(db, today=date(2025, 11, 22))  # imports the plan from plan.xlsx as well
        if channel:
            from knowledge.plans.imports import set_plan_options

            set_plan_options(db, PLAN, channel=channel)
    else:
        import_plan_file(db, SAMPLE / "plan.xlsx", PLAN, now=NOW, channel=channel)
    return db


def sample_plan_file(folder: Path, **kwargs: Any) -> Path:
    """A closed database file holding the sample plan."""
    path = folder / "plans.db"
    sample_plan_db(path, **kwargs).close()
    return path


def plan_context(path: Path, access: Access = ACCESS, **kwargs: Any) -> Context:
    """A context over the database at ``path`` with the fixed clock."""
    return Context(open_db=lambda: open_db(path), access=access, now=lambda: NOW, **kwargs)


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    """Write ``rows`` (the first is the header) as a CSV file."""
    with path.open("w", newline="", encoding=encoding) as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(
    path: Path, rows: Sequence[Sequence[object]], *, links: dict[tuple[int, int], str] | None = None
) -> Path:
    """Write ``rows`` to the first sheet of a workbook; ``links`` maps (row, column), 1-based, to a URL."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for (r, c), url in (links or {}).items():
        sheet.cell(r, c).hyperlink = url
    book.save(path)
    return path
