"""Reading an improvement plan from a CSV or XLSX file: tolerant headers, row-by-row problems."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from knowledge.csv_text import csv_rows, decode_csv
from knowledge.dates import read_day
from knowledge.models import UserError
from knowledge.plans.ratings import DEFAULT_KEY, RatingKey
from knowledge.text import clean_text

__all__ = [
    "FIELDS",
    "FIELD_NAMES",
    "ParsedAction",
    "ParsedPlan",
    "Problem",
    "match_headers",
    "read_date",
    "read_plan_file",
]

#: What a plan's columns can hold, in the order they are reported.
FIELDS = ("ref", "theme", "action", "owner", "due", "rating", "latest_update", "updated", "evidence")
#: Each field in words, for telling the user which column was taken for what.
FIELD_NAMES = {
    "ref": "reference",
    "theme": "priority or theme",
    "action": "action",
    "owner": "owner",
    "due": "due date",
    "rating": "RAG rating",
    "latest_update": "latest update",
    "updated": "date of the update",
    "evidence": "evidence link",
}
_ALIASES = {
    "ref": ["ref", "reference", "action ref", "action reference", "action no", "action number", "ref no", "no",
            "number", "id", "action id"],
    "theme": ["theme", "priority", "priority area", "priority theme", "area", "workstream", "strand", "objective",
              "improvement theme", "outcome"],
    "action": ["action", "actions", "action description", "description", "what we will do", "task", "activity",
               "improvement action", "action required"],
    "owner": ["owner", "lead officer", "lead", "responsible officer", "responsible", "action owner",
              "accountable officer", "officer", "who"],
    "due": ["due", "due date", "target date", "deadline", "completion date", "target completion date", "by when",
            "timescale", "date due", "target", "due by"],
    "rating": ["rag", "rag rating", "rag status", "status", "rating", "progress rating", "rag rating status",
               "current rag"],
    "latest_update": ["latest update", "update", "progress", "progress update", "commentary", "comments",
                      "latest position", "current position", "notes", "progress to date", "update note"],
    "updated": ["update date", "date of update", "last updated", "updated", "date updated", "as at",
                "last update", "updated on", "date of last update"],
    "evidence": ["evidence", "evidence link", "link", "evidence of impact", "url", "supporting evidence",
                 "evidence url", "evidence location"],
}  # fmt: skip
_ALIAS_FIELD = {default_process(a): f for f, names in _ALIASES.items() for a in names}
_ALIAS_RANK = {default_process(a): i for names in _ALIASES.values() for i, a in enumerate(names)}
_REQUIRED = ("ref", "action")
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Problem:
    """Why one row (or the file, row 0) could not be used as it is."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "the file"
        column = f", column “{self.column}”" if self.column else ""
        return f"{where}{column}: {self.reason}"


@dataclass(frozen=True)
class ParsedAction:
    """One action as read from a row of the plan."""

    row: int
    ref: str
    action: str
    theme: str = ""
    owner: str = ""
    due: date | None = None
    rating: str = ""  # a name from the rating key, or "" when the row gives none
    latest_update: str = ""
    updated: date | None = None
    evidence: str = ""


@dataclass
class ParsedPlan:
    """What a plan file held: its actions, which column was taken for what, and the problems."""

    actions: list[ParsedAction]
    column_map: dict[str, str]  # field -> the header it was read from
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # headers not used
    header_row: int = 1
    source: str = ""

    def describe_columns(self) -> list[str]:
        """One line a field: 'reference ← “Action ref”', then the columns not used."""
        lines = [f"{FIELD_NAMES[f]} ← “{self.column_map[f]}”" for f in FIELDS if f in self.column_map]
        if self.ignored:
            lines.append("not used: " + ", ".join(f"“{h}”" for h in self.ignored))
        return lines


def match_headers(headers: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Which column holds each field (exact names first, then close spellings), and the headers not used.

    Each field takes one column and each column one field; "RAG" beats "Status" for the rating.
    """
    scored: list[tuple[float, int, int, str]] = []  # (score, rank of the alias, column, field)
    for col, header in enumerate(headers):
        text = default_process(str(header or ""))
        if not text:
            continue
        cutoff = 100 if len(text) <= 4 else 80  # "Stauts" is the status; "No" is not "Not"
        hit = process.extractOne(text, list(_ALIAS_FIELD), scorer=fuzz.ratio, score_cutoff=cutoff)
        if hit is None:  # "Action ref (new)" still names the reference
            hit = process.extractOne(text, list(_ALIAS_FIELD), scorer=fuzz.token_set_ratio, score_cutoff=100)
            hit = (hit[0], hit[1] - 20, hit[2]) if hit else None
        if hit:
            alias = hit[0]
            scored.append((float(hit[1]), _ALIAS_RANK[alias], col, _ALIAS_FIELD[alias]))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    taken: dict[str, int] = {}
    used: set[int] = set()
    for _, _, col, fld in scored:
        if fld not in taken and col not in used:
            taken[fld] = col
            used.add(col)
    ignored = [str(h).strip() for i, h in enumerate(headers) if i not in used and str(h or "").strip()]
    return taken, ignored


_MONTH_YEAR = re.compile(r"^([a-z]{3,9})\.?\s+([0-9]{4})$", re.I)
_NUMERIC = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{2}|[0-9]{4})$")


def read_date(value: object) -> date | None:
    """A date from a cell: a real date, an Excel serial number, DD/MM/YYYY, YYYY-MM-DD, "31 March 2024",
    or "March 2024" (its last day). None for an empty cell; ValueError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(f"{value!r} is not a date")
    text = " ".join(str(value).split())
    if re.fullmatch(r"[0-9]{5}(\.0+)?", text) and 20000 <= float(text) <= 80000:
        return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    iso = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ][0-9:.]+)?", text)
    uk = _NUMERIC.fullmatch(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            year = int(uk[3]) + (2000 if len(uk[3]) == 2 else 0)
            return date(year, int(uk[2]), int(uk[1]))
    except ValueError:
        raise ValueError(f"“{text}” is not a real date") from None
    day = read_day(text)
    if day:
        return day
    month = _MONTH_YEAR.fullmatch(text)
    if month:
        found = read_day(f"1 {month[1]} {month[2]}")
        if found:
            nxt = date(found.year + found.month // 12, found.month % 12 + 1, 1)
            return nxt - timedelta(days=1)
    raise ValueError(f"I can't read “{text}” as a date (use DD/MM/YYYY or YYYY-MM-DD)")


def _cell_text(value: object) -> str:
    """A cell as one line of text: white space folded, control characters dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(word for word in map(clean_text, str(value).split()) if word)


def _ref_text(value: object) -> str:
    # Excel turns "2.10" into the number 2.1; a plain number is shown as typed
    return _cell_text(value).removeprefix("Action ").strip()


def _rows_csv(path: Path) -> list[tuple[int, list[object]]]:
    text = decode_csv(path.read_bytes(), path.name)
    if not text.strip():
        raise UserError(f"{path.name} is empty. Save the plan from Excel as “CSV UTF-8”, headers first.")
    if "\n" not in text:  # "CSV (Macintosh)" ends its lines with a carriage return alone
        text = text.replace("\r", "\n")
    # the delimiter the header line uses most: a sniffer is misled by semicolons inside notes
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count)
    return [(n, list(r)) for n, r in enumerate(csv_rows(text, path.name, delimiter=delimiter, what="plan"), start=1)]


def _rows_xlsx(path: Path) -> list[tuple[int, list[object]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        why = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise UserError(f"{path.name} is not a readable .xlsx workbook ({why}). Open it in Excel and save "
                        "it again as “Excel Workbook (.xlsx)”, or save it as “CSV UTF-8”.") from exc  # fmt: skip
    try:
        sheets = [book.active, *[s for s in book.worksheets if s is not book.active]]
        best: list[tuple[int, list[object]]] = []
        for sheet in sheets:
            rows: list[tuple[int, list[object]]] = []
            for row in sheet.iter_rows():
                values: list[object] = []
                for cell in row:
                    link = getattr(cell, "hyperlink", None)
                    values.append(link.target if link is not None and link.target else cell.value)
                rows.append((row[0].row if row else len(rows) + 1, values))
            if _find_header(rows)[0]:
                return rows
            best = best or rows
        return best
    finally:
        book.close()


def _find_header(
    rows: Sequence[tuple[int, list[object]]],
) -> tuple[int, dict[str, int], list[str], list[str]]:
    """The header row among the first ten: the one naming most fields (a title row may come first)."""
    best: tuple[int, dict[str, int], list[str], list[str]] = (0, {}, [], [])
    for n, values in rows[:10]:
        headers = [_cell_text(v) for v in values]
        taken, ignored = match_headers(headers)
        if len(taken) >= 2 and len(taken) > len(best[1]):
            best = (n, taken, ignored, headers)
    return best


def read_plan_file(path: str | Path, *, key: RatingKey = DEFAULT_KEY) -> ParsedPlan:
    """Read a plan from a .csv or .xlsx file; rows with problems are reported and left out."""
    p = Path(path)
    if not p.exists():
        raise UserError(f"there is no file {p}")
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise UserError(
            f"{p.name}: I read plans from .csv and .xlsx files, not {suffix or 'files without a suffix'}"
        )
    try:
        rows = _rows_csv(p) if suffix == ".csv" else _rows_xlsx(p)
    except OSError as exc:
        raise UserError(f"cannot read {p}: {exc.strerror or exc}") from None
    header_row, taken, ignored, headers = _find_header(rows)
    missing = [f for f in _REQUIRED if f not in taken]
    if not header_row or missing:
        what = " and ".join(FIELD_NAMES[f] for f in missing or _REQUIRED)
        if not header_row:  # show the first line that has anything in it
            headers = next(
                ([_cell_text(v) for v in vals] for _, vals in rows if any(_cell_text(v) for v in vals)), []
            )
        seen = ", ".join(f"“{h}”" for h in headers if h) or "none I could read"
        seen = seen if len(seen) <= 300 else seen[:300] + "…"
        examples = "; ".join(f"{FIELD_NAMES[f]}: {', '.join(_ALIASES[f][:4])}" for f in _REQUIRED)
        raise UserError(
            f"{p.name}: I found no column for the {what}. Headers: {seen}. I look for ({examples})."
        )
    column_map = {f: headers[c] for f, c in taken.items()}
    plan = ParsedPlan([], column_map, ignored=ignored, header_row=header_row, source=str(p))
    seen_refs: dict[str, int] = {}
    for n, values in rows:
        if n <= header_row or not any(_cell_text(v) for v in values):
            continue
        action = _read_row(n, values, taken, column_map, key, plan.problems)
        if action is None:
            continue
        folded = action.ref.casefold()
        if folded in seen_refs:
            plan.problems.append(
                Problem(n, column_map["ref"], f"reference {action.ref} is also on row {seen_refs[folded]}")
            )
            continue
        seen_refs[folded] = n
        plan.actions.append(action)
    if not plan.actions and not plan.problems:
        raise UserError(f"{p.name} has headers (row {header_row}) but no actions under them: "
                        "is it the right file, or the right sheet?")  # fmt: skip
    return plan


def _read_row(
    n: int,
    values: list[object],
    taken: dict[str, int],
    column_map: dict[str, str],
    key: RatingKey,
    problems: list[Problem],
) -> ParsedAction | None:
    def raw(fld: str) -> object:
        col = taken.get(fld)
        return values[col] if col is not None and col < len(values) else None

    found: list[Problem] = []
    ref = _ref_text(raw("ref"))
    text = _cell_text(raw("action"))
    if not ref:
        found.append(Problem(n, column_map["ref"], "the reference is empty"))
    if not text:
        found.append(Problem(n, column_map["action"], "the action is empty"))
    dates: dict[str, date | None] = {}
    for fld in ("due", "updated"):
        try:
            dates[fld] = read_date(raw(fld))
        except ValueError as exc:
            found.append(Problem(n, column_map[fld], str(exc)))
    rating_text = _cell_text(raw("rating"))
    rating = key.find(rating_text) if rating_text else None
    if rating_text and rating is None:
        found.append(
            Problem(n, column_map["rating"], f"“{rating_text}” is not a rating in the key ({key.describe()})")
        )
    if found:
        problems.extend(found)
        return None
    return ParsedAction(
        row=n,
        ref=ref,
        action=text,
        theme=_cell_text(raw("theme")),
        owner=_cell_text(raw("owner")),
        due=dates.get("due"),
        rating=rating.name if rating else "",
        latest_update=_cell_text(raw("latest_update")),
        updated=dates.get("updated"),
        evidence=_cell_text(raw("evidence")),
    )
