"""A member's page at a glance (Slack's App Home): upcoming meetings, recent decisions, and the
improvement-plan actions that are red or overdue.

Panels are plain functions ``(request, context) -> Panel``; a feature adds its own to
:data:`DEFAULT_PANELS` or passes its own to :func:`build_home`.
The home page never quotes exempt (Part 2) material: it is shown without being asked for, on
whatever screen happens to be open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from knowledge.meetings import list_meetings
from knowledge.models import Citation, ParsedItem, minutes_status
from knowledge.plans import list_actions, list_plans
from knowledge.search import ItemFilter, find_items

from .context import Context
from .messages import Request, Section

__all__ = [
    "DEFAULT_PANELS",
    "MEETINGS_AHEAD_DAYS",
    "Home",
    "Panel",
    "PanelFn",
    "build_home",
    "red_or_overdue_actions",
    "recent_decisions",
    "upcoming_meetings",
]

MEETINGS_AHEAD_DAYS = 42
_MAX_ROWS = 8


@dataclass(frozen=True)
class Panel:
    """A titled list of short sections; ``empty`` is said when there are none."""

    title: str
    sections: tuple[Section, ...] = ()
    empty: str = "Nothing to show."


@dataclass(frozen=True)
class Home:
    """What a member sees on the bot's home page."""

    greeting: str
    panels: tuple[Panel, ...]


PanelFn = Callable[[Request, Context], Panel]


def upcoming_meetings(request: Request, context: Context) -> Panel:
    """Meetings in the next six weeks, from calendars and minutes."""
    today = context.today()
    with context.database() as db:
        meetings = list_meetings(db, date_from=today, date_to=today + timedelta(days=MEETINGS_AHEAD_DAYS))
    sections = []
    for m in meetings[:_MAX_ROWS]:
        when = m.date.strftime("%a %-d %B %Y") + (f", {m.time}" if m.time else "")
        status = "" if m.status == "confirmed" else f" ({m.status})"
        venue = f", {m.venue}" if m.venue else ""
        cite: tuple[Citation, ...] = ()
        if m.url:
            cite = (Citation(m.council, m.body, m.date, None, "meeting page", m.url),)
        sections.append(Section(f"{m.body}: {when}{venue}{status}", cite))
    more = len(meetings) - len(sections)
    if more > 0:
        sections.append(Section(f"and {more} more."))
    return Panel(
        "Upcoming meetings",
        tuple(sections),
        f"No meetings in the next {MEETINGS_AHEAD_DAYS // 7} weeks that I know of.",
    )


def _first_resolution(item: ParsedItem) -> str:
    texts = item.texts("resolution")
    if not texts:
        return ""
    text = texts[0]
    return text if len(text) <= 280 else text[:279].rstrip() + "…"


def recent_decisions(request: Request, context: Context) -> Panel:
    """The latest resolutions in the minutes I hold, newest first, never exempt ones."""
    today = context.today()
    flt = ItemFilter(date_to=today, include_restricted=False)
    with context.database() as db:
        hits, _ = find_items(db, flt, (), limit=_MAX_ROWS, needs_kinds=("resolution",))
    sections = []
    for hit in hits:
        item = hit.item
        cite = Citation(item.council, item.body, item.meeting_date, item.item, item.title, item.url or "",
                        status=minutes_status(item.markers))  # fmt: skip
        quote = _first_resolution(item)
        sections.append(Section(f"“{quote}”" if quote else "", (cite,), heading=cite.label()))
    return Panel("Recent decisions", tuple(sections), "No decisions in the minutes I hold yet.")


def red_or_overdue_actions(request: Request, context: Context) -> Panel:
    """Improvement-plan actions rated red (the plan's worst rating) or past due and not complete."""
    today = context.today()
    sections = []
    with context.database() as db:
        for plan in list_plans(db):
            worst = plan.key.worst.name
            for a in list_actions(db, plan):
                red = (a.rating or "").casefold() == worst.casefold()
                if not (red or a.is_overdue(today, plan.key)):
                    continue
                due = f"due {a.due:%-d %B %Y}" if a.due else "no due date"
                late = " (overdue)" if a.is_overdue(today, plan.key) else ""
                cite = Citation(None, plan.name, a.latest_update_at.date() if a.latest_update_at else None,
                                a.ref, a.action, a.evidence or plan.source, a.latest_update)  # fmt: skip
                sections.append(
                    (
                        not red,
                        a.due or today,
                        Section(f"{a.ref} [{a.rating or 'not rated'}] {a.action}: {due}{late}", (cite,)),
                    )
                )
    sections.sort(key=lambda t: (t[0], t[1]))
    shown = [s for _, _, s in sections[:_MAX_ROWS]]
    if len(sections) > len(shown):
        shown.append(Section(f"and {len(sections) - len(shown)} more: ask “which actions are overdue”."))
    return Panel("Plan actions that are red or overdue", tuple(shown), "No red or overdue actions.")


DEFAULT_PANELS: tuple[PanelFn, ...] = (upcoming_meetings, recent_decisions, red_or_overdue_actions)


def build_home(request: Request, context: Context, panels: Sequence[PanelFn] = DEFAULT_PANELS) -> Home:
    """The home page for the person in ``request``."""
    greeting = f"Hello {request.display_name}." if request.display_name else "Hello."
    return Home(greeting, tuple(panel(request, context) for panel in panels))
