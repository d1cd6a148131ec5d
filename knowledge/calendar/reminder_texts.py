"""The words of each reminder, and the agenda items a meeting reminder lists when they are known."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from knowledge.calendar.custom_reminders import CustomReminder
from knowledge.calendar.deadlines import DEADLINE_LABELS, Deadline
from knowledge.calendar.meetings import Meeting, body_key
from knowledge.calendar.recurrence import fmt_day

__all__ = ["AgendaItem", "action_text", "agenda_for", "custom_text", "deadline_text", "meeting_text"]

MAX_AGENDA_ITEMS = 12

AgendaItem = tuple[str, str, bool]  # (item number or "", title, exempt)


def _long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def agenda_for(db: Any, meetings: Iterable[tuple[str, date]]) -> dict[tuple[str, date], list[AgendaItem]]:
    """Agenda items known for each (body, day), from ingested agenda or minutes pages, in page order."""
    wanted = {(body_key(b), d) for b, d in meetings}
    if not wanted:
        return {}
    days = sorted({d.isoformat() for _, d in wanted})
    marks = ", ".join("?" for _ in days)
    rows = db.execute(
        "SELECT body, meeting_date, item, title, restricted FROM items "
        f"WHERE meeting_date IN ({marks}) AND body IS NOT NULL ORDER BY source_id, seq",
        days,
    ).fetchall()
    found: dict[tuple[str, date], list[AgendaItem]] = {}
    for body, day, item, title, restricted in rows:
        key = (body_key(body), date.fromisoformat(day))
        if key in wanted and title:
            items = found.setdefault(key, [])
            entry = (str(item or ""), str(title), bool(restricted))
            if entry not in items:
                items.append(entry)
    return found


def meeting_text(m: Meeting, agenda: list[AgendaItem]) -> str:
    """'Cabinet meets on Thursday 10 December 2026 at 18:00, Council Chamber.' with its agenda."""
    at = f" at {m.time}" if m.time else ""
    where = f", {m.venue}" if m.venue else ""
    note = " (provisional)" if m.status == "tentative" else ""
    lines = [f"{m.body} meets on {_long_day(m.date)}{at}{where}{note}."]
    if agenda:
        lines.append("Agenda:")
        for number, title, exempt in agenda[:MAX_AGENDA_ITEMS]:
            label = f"{number}. " if number else ""
            lines.append(f"• {label}{title}" + (" (exempt: Part 2)" if exempt else ""))
        if len(agenda) > MAX_AGENDA_ITEMS:
            lines.append(f"…and {len(agenda) - MAX_AGENDA_ITEMS} more items.")
    if m.url:
        lines.append(f"Papers: {m.url}")
    return "\n".join(lines)


def deadline_text(m: Meeting, d: Deadline, *, days_before: int, sent_on: date) -> str:
    """A clerk's message about one deadline of one meeting, ``days_before`` working days ahead or on the day."""
    label = DEADLINE_LABELS.get(d.kind, d.kind.replace("_", " ").capitalize())
    meeting = f"{m.body}, meeting {fmt_day(m.date)}"
    if days_before and sent_on < d.date:
        days = "1 working day" if days_before == 1 else f"{days_before} working days"
        head = f"{label} in {days}: {meeting}. The last day is {fmt_day(d.date)}."
    elif sent_on == d.date:
        head = f"{label} today: {meeting}."
    else:  # the deadline falls on a weekend or bank holiday: this is the last working day before it
        head = f"{label} on {fmt_day(d.date)}, not a working day: {meeting}. Today is the last working day before it."
    lines = [head, d.rule]
    if m.url:
        lines.append(f"Meeting page: {m.url}")
    return "\n".join(lines)


def action_text(row: Mapping[str, Any], due: date, *, overdue: bool, working_days: int) -> str:
    """An owner's message about a plan action falling due or overdue."""
    ref = f"Action {row['ref']}" if row.get("ref") else "An action"
    plan = f" of {row['plan']}" if row.get("plan") else ""
    what = " ".join(str(row.get("action") or "").split())
    what = what if len(what) <= 300 else what[:299] + "…"
    if overdue:
        rated = f" (rated {row['rating']})" if row.get("rating") else ""
        head = f"{ref}{plan} was due on {fmt_day(due)} and is now overdue{rated}. Please give an update."
    else:
        days = "1 working day" if working_days == 1 else f"{working_days} working days"
        head = f"{ref}{plan} is due on {fmt_day(due)}, in {days}."
    return f"{head}\n{what}" if what else head


def custom_text(r: CustomReminder) -> str:
    """A clerk's reminder as sent: their words, then which reminder it is and how to stop it."""
    how = f"{r.schedule.describe()}; remind cancel {r.id} stops it" if r.schedule.repeat else "once"
    return f"{r.text}\n(Reminder #{r.id}, {how}.)"
