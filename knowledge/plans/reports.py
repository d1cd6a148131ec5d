"""Plan reports for the scrutiny report pack: counts by rating and theme, red and overdue actions,
consistency flags; as text, CSV, XLSX and a PNG chart.

User text (plan names, actions, notes, evidence...) is written as text: control characters are dropped
on the way out as well as on the way in, so a note stored before that cannot break a report; in the
XLSX every text cell is stored as a string, never a formula; in the CSV a text cell starting with
= + - @, a tab or a carriage return gets a leading ' so a spreadsheet shows it instead of running it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import sqlite_utils

from knowledge.plans.actions import Action, Plan, find_plan, list_actions
from knowledge.plans.ratings import RatingKey
from knowledge.text import clean_text, day_words

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "Flag",
    "PlanReport",
    "build_report",
    "report_csv",
    "report_png",
    "report_text",
    "report_xlsx",
]

_UNRATED = "not rated"
#: What a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_COLUMNS = ["Plan", "Ref", "Theme", "Action", "Owner", "Due", "Rating", "Overdue", "Latest update",
                "Update date", "Evidence", "Flags"]  # fmt: skip


@dataclass(frozen=True)
class Flag:
    """Something in the plan that does not add up, for one action."""

    ref: str
    kind: str  # "past due but on track", "complete without evidence", "no recent update"
    text: str


@dataclass(frozen=True)
class PlanReport:
    """A plan as it stands on ``today``."""

    plan: Plan
    today: date
    stale_days: int
    actions: tuple[Action, ...]
    by_rating: tuple[tuple[str, int], ...]  # in the key's order; "not rated" last
    by_theme: tuple[tuple[str, tuple[int, ...]], ...]  # theme -> a count for each of by_rating's ratings
    red: tuple[Action, ...]
    overdue: tuple[Action, ...]
    flags: tuple[Flag, ...]

    def flags_for(self, ref: str) -> list[Flag]:
        """The flags raised for action ``ref``."""
        return [f for f in self.flags if f.ref == ref]


def build_report(
    db: sqlite_utils.Database, plan: str | Plan | None, today: date, stale_days: int = 60
) -> PlanReport:
    """Build the report of ``plan`` (a name, or None for the only plan) as it stands on ``today``."""
    found = plan if isinstance(plan, Plan) else find_plan(db, plan)
    key = found.key
    actions = tuple(list_actions(db, found))
    names = key.names() + ([_UNRATED] if any(not a.rating for a in actions) else [])
    by_rating = tuple((n, sum(1 for a in actions if (a.rating or _UNRATED) == n)) for n in names)
    themes: dict[str, list[int]] = {}
    for a in actions:
        counts = themes.setdefault(a.theme or "(no theme)", [0] * len(names))
        counts[names.index(a.rating or _UNRATED)] += 1
    red = tuple(a for a in actions if a.rating == key.worst.name)
    overdue = tuple(sorted((a for a in actions if a.is_overdue(today, key)), key=lambda a: (a.due, a.seq)))
    flags: list[Flag] = []
    on_track = key.on_track
    cutoff = today - timedelta(days=stale_days)
    for a in actions:
        if on_track and a.rating == on_track.name and a.is_overdue(today, key):
            flags.append(Flag(a.ref, "past due but on track",
                              f"rated {a.rating} but its due date, {day_words(a.due, '')}, has passed"))  # fmt: skip
        if key.is_complete(a.rating) and not a.evidence:
            flags.append(
                Flag(
                    a.ref, "complete without evidence", f"rated {a.rating} (complete) with no evidence linked"
                )
            )
        last = a.latest_update_at.date() if a.latest_update_at else None
        if not key.is_complete(a.rating) and (last is None or last < cutoff):
            since = f"since {day_words(last, '')}" if last else "ever"
            flags.append(
                Flag(a.ref, "no recent update", f"no update for more than {stale_days} days ({since})")
            )
    return PlanReport(found, today, stale_days, actions, by_rating,
                      tuple((t, tuple(c)) for t, c in themes.items()), red, overdue, tuple(flags))  # fmt: skip


def _action_line(a: Action, today: date, report: PlanReport) -> list[str]:
    due = f"due {day_words(a.due, '')}" if a.due else "no due date"
    if a.is_overdue(today, report.plan.key):
        due += " (overdue)"
    lines = [f"  {a.ref} [{a.rating or _UNRATED}] {a.action}", f"      {a.owner or 'no owner'}; {due}"]
    if a.latest_update:
        when = f" ({day_words(a.latest_update_at.date(), '')})" if a.latest_update_at else ""
        lines.append(f"      Latest update{when}: {a.latest_update}")
    return lines


def _rating_label(key: RatingKey, name: str) -> str:
    rating = key.get(name)
    return rating.label() if rating else name


def report_text(report: PlanReport) -> str:
    """The report as plain text with a table of counts by theme."""
    key = report.plan.key
    total = len(report.actions)
    counts = ", ".join(f"{n} {_rating_label(key, r)}" for r, n in report.by_rating)
    lines = [
        f"{report.plan.name}: report on {day_words(report.today, '')}",
        f"{total} actions: {counts}.",
        "",
    ]
    names = [r for r, _ in report.by_rating]
    width = max([len(t) for t, _ in report.by_theme] + [5])
    cols = [max(len(n), 3) for n in names]
    lines.append(
        "Theme".ljust(width)
        + "  "
        + "  ".join(n.rjust(c) for n, c in zip(names, cols, strict=True))
        + "  Total"
    )
    for theme, row in report.by_theme:
        cells = "  ".join(str(v).rjust(c) for v, c in zip(row, cols, strict=True))
        lines.append(f"{theme.ljust(width)}  {cells}  {str(sum(row)).rjust(5)}")
    worst = key.worst.name
    lines += ["", f"{worst} ({len(report.red)}):"]
    for a in report.red:
        lines += _action_line(a, report.today, report)
    if not report.red:
        lines.append(f"  No action is rated {worst}.")
    late = [a for a in report.overdue if a not in report.red]
    lines += ["", f"Overdue and not complete ({len(report.overdue)}, {len(late)} of them not {worst}):"]
    for a in late:
        lines += _action_line(a, report.today, report)
    lines += ["", f"Consistency flags ({len(report.flags)}):"]
    lines += [f"  {f.ref}: {f.text}." for f in report.flags] or ["  None."]
    return clean_text("\n".join(lines))


def _rows(report: PlanReport) -> list[list[object]]:
    key = report.plan.key
    rows: list[list[object]] = []
    for a in report.actions:
        rows.append([report.plan.name, a.ref, a.theme, a.action, a.owner, a.due, a.rating or "",
                     "yes" if a.is_overdue(report.today, key) else "", a.latest_update,
                     a.latest_update_at.date() if a.latest_update_at else None, a.evidence,
                     "; ".join(f.kind for f in report.flags_for(a.ref))])  # fmt: skip
    return rows


def _csv_cell(value: object) -> object:
    """A value for the CSV: our dates as ISO dates, text cleaned and never read as a formula."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = clean_text(value)
        return "'" + text if text.startswith(_FORMULA_START) else text
    return value


def report_csv(report: PlanReport) -> bytes:
    """Every action with its rating, latest update and flags, as CSV (UTF-8 with a BOM, for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_CSV_COLUMNS)
    for row in _rows(report):
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _append(sheet: Worksheet, values: Sequence[object]) -> None:
    """Add a row to ``sheet``: text cleaned and stored as a string, so "=..." is shown, not run."""
    sheet.append([clean_text(v) if isinstance(v, str) else v for v in values])
    if not values:
        return
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl makes a string starting with "=" a formula


def report_xlsx(report: PlanReport) -> bytes:
    """A workbook: a summary, every action, the red and overdue ones, and the flags."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    key = report.plan.key
    bold = Font(bold=True)

    def fill(rating: str | None) -> PatternFill | None:
        return PatternFill("solid", fgColor=key.colour_of(rating).lstrip("#").upper()) if rating else None

    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    _append(summary, [f"{report.plan.name}: report on {day_words(report.today, '')}"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([])
    _append(summary, ["Rating", "Actions"])
    for name, n in report.by_rating:
        _append(summary, [name, n])
        summary.cell(summary.max_row, 1).fill = fill(name) or PatternFill()
    _append(summary, ["Total", len(report.actions)])
    summary.append([])
    names = [r for r, _ in report.by_rating]
    _append(summary, ["Theme", *names, "Total"])
    for theme, row in report.by_theme:
        _append(summary, [theme, *row, sum(row)])
    for r in summary.iter_rows():
        if r[0].value in ("Rating", "Theme", "Total"):
            for c in r:
                c.font = bold

    def table(title: str, actions: list[Action] | tuple[Action, ...]) -> None:
        sheet = book.create_sheet(title)
        _append(sheet, _CSV_COLUMNS)
        for c in sheet[1]:
            c.font = bold
        wanted = {a.ref for a in actions}
        for row in _rows(report):
            if row[1] in wanted:
                _append(sheet, row)
                sheet.cell(sheet.max_row, 7).fill = fill(str(row[6]) or None) or PatternFill()
                for col in (6, 10):
                    sheet.cell(sheet.max_row, col).number_format = "DD/MM/YYYY"
        for letter, width in zip("ABCDEFGHIJKL", (24, 8, 22, 60, 36, 12, 9, 9, 60, 12, 40, 30), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"

    table("Actions", report.actions)
    table("Red and overdue", [a for a in report.actions if a in report.red or a in report.overdue])
    flags = book.create_sheet("Flags")
    _append(flags, ["Ref", "Flag", "Detail"])
    for c in flags[1]:
        c.font = bold
    for f in report.flags:
        _append(flags, [f.ref, f.kind, f.text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _chart_text(text: str) -> str:
    """User text for a chart label: cleaned, and "$" literal (matplotlib reads $...$ as mathematics)."""
    return clean_text(text).replace("$", r"\$")


def report_png(report: PlanReport) -> bytes:
    """A bar chart of the actions by rating, each bar in its rating's colour, as PNG."""
    # The object-oriented API with the Agg canvas: no pyplot, no global backend, nothing at import.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    key = report.plan.key
    names = [_chart_text(r) for r, _ in report.by_rating]
    colours = [key.colour_of(r) for r, _ in report.by_rating]
    counts = [n for _, n in report.by_rating]
    figure = Figure(figsize=(7, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.bar(names, counts, color=colours, edgecolor="#333333")
    axes.bar_label(bars, padding=2)
    axes.set_ylabel("Actions")
    axes.set_title(
        f"{_chart_text(report.plan.name)}\n{len(report.actions)} actions on {day_words(report.today, '')}",
        fontsize=11,
    )
    axes.set_ylim(0, max(counts + [1]) * 1.2)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
