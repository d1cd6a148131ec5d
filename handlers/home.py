"""A member's page at a glance (Slack's App Home): upcoming meetings and deadlines, an officer's own
actions, the improvement-plan actions that are red or overdue, and recent decisions.

Panels are plain functions ``(request, context) -> Panel | None`` (None: nothing for this viewer);
a feature adds its own to :data:`DEFAULT_PANELS` or passes its own to :func:`build_home`. Each panel
is short and names the command that shows the rest (``more``).
The home page never quotes exempt (Part 2) material: it is shown without being asked for, on
whatever screen happens to be open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from knowledge.answers.deadlines import short_day
from knowledge.calendar.deadlines import DEADLINE_LABELS, compute_deadlines
from knowledge.calendar.meetings import list_meetings
from knowledge.minutes.search import ItemFilter, find_items
from knowledge.models import Citation, ParsedItem, minutes_status
from knowledge.plans.actions import list_actions, list_plans
from knowledge.text import day_words

from .access import has_role
from .action_forms import action_section, owned_actions
from .context import Context
from .messages import Request, Section

__all__ = [
    "DEFAULT_PANELS",
    "MEETINGS_AHEAD_DAYS",
    "Home",
    "Panel",
    "PanelFn",
    "DEADLINES_AHEAD_DAYS",
    "build_home",
    "coming_deadlines",
    "red_or_overdue_actions",
    "recent_decisions",
    "upcoming_meetings",
    "your_actions",
]

MEETINGS_AHEAD_DAYS = 42
DEADLINES_AHEAD_DAYS = 14
_MAX_ROWS = 8
_SHORT = 5  # the deadlines and an officer's own actions


@dataclass(frozen=True)
class Panel:
    """A titled list of short sections; ``empty`` is said when there are none; ``more`` is the
    command (or question) that shows everything, ``more_label`` its button's words."""

    title: str
    sections: tuple[Section, ...] = ()
    empty: str = "Nothing to show."
    more: str = ""
    more_label: str = ""


@dataclass(frozen=True)
class Home:
    """What a member sees on the bot's home page."""

    greeting: str
    panels: tuple[Panel, ...]


PanelFn = Callable[[Request, Context], Panel | None]


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
        more="meetings",
        more_label="All meetings in the next six weeks",
    )


def coming_deadlines(request: Request, context: Context) -> Panel:
    """The deadlines of the next two weeks, for the meetings ahead (as ``deadlines`` computes them)."""
    today = context.today()
    rules = context.reminders.deadline_rules
    config = {b: dict(v) for b, v in rules.items()} if rules else None
    with context.database() as db:
        meetings = [m for m in list_meetings(db, date_from=today, date_to=today + timedelta(days=MEETINGS_AHEAD_DAYS))
                    if not m.is_off]  # fmt: skip
    due = []
    for m in meetings:
        for d in compute_deadlines(m.body, m.date, config):
            if today <= d.date <= today + timedelta(days=DEADLINES_AHEAD_DAYS):
                due.append((d.date, f"{short_day(d.date)}: {DEADLINE_LABELS[d.kind]}, {m.body} on {day_words(m.date)}"))
    due.sort()
    sections = tuple(Section(text) for _, text in due[:_SHORT])
    if len(due) > len(sections):
        sections += (Section(f"and {len(due) - len(sections)} more."),)
    return Panel("Deadlines in the next two weeks", sections, "No deadlines in the next two weeks that I know of.",
                 more="deadlines", more_label="Deadlines of the meetings ahead")  # fmt: skip


def your_actions(request: Request, context: Context) -> Panel | None:
    """An officer's own plan actions, each with the choice that opens its form; nothing for members."""
    if not has_role(request.role, "officer"):
        return None
    mine = owned_actions(request, context)
    sections = tuple(action_section(request, context, p, a) for p, a in mine[:_SHORT])
    if len(mine) > len(sections):
        sections += (Section(f"and {len(mine) - len(sections)} more."),)
    return Panel("Your actions", sections, "No plan action names you as its owner.", more="my actions",
                 more_label="All your actions")  # fmt: skip


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
    return Panel("Recent decisions", tuple(sections), "No decisions in the minutes I hold yet.",
                 more="recent decisions", more_label="More recent decisions")  # fmt: skip


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
    return Panel("Plan actions that are red or overdue", tuple(shown), "No red or overdue actions.",
                 more="which actions are red or overdue", more_label="All red or overdue actions")  # fmt: skip


DEFAULT_PANELS: tuple[PanelFn, ...] = (
    upcoming_meetings,
    coming_deadlines,
    your_actions,
    red_or_overdue_actions,
    recent_decisions,
)


def build_home(request: Request, context: Context, panels: Sequence[PanelFn] = DEFAULT_PANELS) -> Home:
    """The home page for the person in ``request``."""
    greeting = f"Hello {request.display_name}." if request.display_name else "Hello."
    shown = (panel(request, context) for panel in panels)
    return Home(greeting, tuple(p for p in shown if p is not None))
