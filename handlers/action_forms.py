"""Officers' own plan actions, and the form that rates one: `my actions`, then a choice each to open the form.

The form is data (:class:`ActionForm`); a transport draws it (a Slack modal) and hands back what
was filled in to :func:`submit_form`, which records it through the same permission check and
history as the `status` and progress commands. Whoever may not rate an action gets no choice,
and a crafted request for the form or its submission is refused here, in the core.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from knowledge.models import Citation, UserError
from knowledge.plans.actions import Action, Plan, find_action, list_actions, list_plans
from knowledge.plans.status import add_update, is_owner, may_update, set_status
from knowledge.text import day_words

from .context import Context
from .messages import Choice, ChoiceKind, Reply, Request, Section, Visibility
from .plan_commands import confirmation
from .registry import Command, Registry

__all__ = [
    "ActionForm",
    "action_choice",
    "action_section",
    "my_actions",
    "open_form",
    "owned_actions",
    "register_action_commands",
    "submit_form",
]

_MAX_SHOWN = 15
_BUTTON = "Update"  # the choice's word, kept out of prose
_MAX_EVIDENCE = 500


@dataclass(frozen=True)
class ActionForm:
    """What the form for one action shows: the action, its plan's own ratings, the current values."""

    value: str  # hands the action back to submit_form
    plan: str
    ref: str
    action: str
    owner: str
    ratings: tuple[str, ...]  # the plan's key, best first
    rating: str | None
    evidence: str
    due: date | None


def _value(plan: Plan, action: Action) -> str:
    return json.dumps({"plan": plan.name, "ref": action.ref}, ensure_ascii=False)


def _read_value(value: str) -> tuple[str, str]:
    try:
        data = json.loads(value)
        plan, ref = str(data["plan"]), str(data["ref"])
    except (ValueError, TypeError, KeyError):
        raise UserError("That button is out of date: say `my actions` for the current list.") from None
    return plan, ref


def _names(request: Request, context: Context) -> tuple[str, str]:
    configured = context.access.names.get(request.user_id, "")
    return configured, configured or request.display_name or request.user_id


def action_choice(request: Request, context: Context, plan: Plan, action: Action) -> Choice | None:
    """The choice that opens the form for ``action``, or None when ``request``'s user may not rate it."""
    try:
        may_update(request.role, plan, action, _names(request, context)[0])
    except UserError:
        return None
    return Choice(ChoiceKind.EDIT, f"{_BUTTON} {action.ref}", _value(plan, action))


def owned_actions(request: Request, context: Context) -> list[tuple[Plan, Action]]:
    """The actions whose owner is the name configured for ``request``'s user, in plan order."""
    name = context.access.names.get(request.user_id, "")
    if not name:
        return []
    with context.database() as db:
        return [(p, a) for p in list_plans(db) for a in list_actions(db, p) if is_owner(a.owner, name)]


def action_section(request: Request, context: Context, plan: Plan, a: Action) -> Section:
    """One action as a block: reference, rating, due date, latest update, and its choice if any."""
    today = context.today()
    due = f"due {day_words(a.due)}" if a.due else "no due date"
    late = " (overdue)" if a.is_overdue(today, plan.key) else ""
    lines = [f"{a.ref} [{a.rating or 'not rated'}] {a.action}", f"  {due}{late}"]
    if a.latest_update:
        when = f" ({day_words(a.latest_update_at.date())})" if a.latest_update_at else ""
        lines.append(f"  Latest update{when}: “{a.latest_update}”")
    updated = a.latest_update_at.date() if a.latest_update_at else None
    cite = Citation(None, plan.name, updated, a.ref, a.action, a.evidence or plan.source)
    choice = action_choice(request, context, plan, a)
    return Section("\n".join(lines), (cite,), choices=(choice,) if choice else ())


def my_actions(request: Request, context: Context) -> Reply:
    """The asker's own plan actions, each with the form's choice when they may rate it."""
    mine = owned_actions(request, context)
    if not mine:
        name = context.access.names.get(request.user_id)
        who = f"“{name}”" if name else "you (no name is configured for you in the roles file's [users])"
        return Reply(
            text=f"No improvement-plan action names {who} as its owner.", visibility=Visibility.ASKER
        )
    sections = tuple(action_section(request, context, p, a) for p, a in mine[:_MAX_SHOWN])
    head = f"Your actions ({len(mine)}):"
    tail = (
        f"…and {len(mine) - _MAX_SHOWN} more; `report` lists every action." if len(mine) > _MAX_SHOWN else ""
    )
    text = "\n\n".join(t for t in (head, *(s.text for s in sections), tail) if t)
    return Reply(text=text, sections=sections, visibility=Visibility.ASKER, head=head, tail=tail)


def open_form(request: Request, context: Context, value: str) -> ActionForm:
    """The form for the action ``value`` names; refused unless ``request``'s user may rate it."""
    plan_name, ref = _read_value(value)
    may_update(request.role)  # a member learns nothing about the action
    with context.database() as db:
        plan, action = find_action(db, ref, plan_name)
    may_update(request.role, plan, action, _names(request, context)[0])
    return ActionForm(_value(plan, action), plan.name, action.ref, action.action, action.owner,
                      tuple(plan.key.names()), action.rating, action.evidence, action.due)  # fmt: skip


def submit_form(
    request: Request, context: Context, value: str, *, rating: str | None, note: str, evidence: str = ""
) -> Reply:
    """Record what the form says: a new rating (with its note) or progress, through the usual checks."""
    plan_name, ref = _read_value(value)
    configured, who = _names(request, context)
    evidence = evidence.strip()
    if len(evidence) > _MAX_EVIDENCE:
        raise UserError(
            f"The evidence link is {len(evidence)} characters long; give one of up to {_MAX_EVIDENCE}."
        )
    may_update(request.role)
    with context.database() as db:
        _, action = find_action(db, ref, plan_name)
        if rating and rating != action.rating:
            change = set_status(db, ref, rating, note, user_id=request.user_id, role=request.role, now=context.now(),
                                plan=plan_name, user_name=configured, by_name=who, evidence=evidence)  # fmt: skip
        else:
            change = add_update(db, ref, note, user_id=request.user_id, role=request.role, now=context.now(),
                                plan=plan_name, user_name=configured, by_name=who, evidence=evidence)  # fmt: skip
    return confirmation(change, request, who)


def register_action_commands(registry: Registry) -> None:
    """Add `my actions`."""
    registry.add(
        Command(
            name="my",
            summary="your own improvement-plan actions, each with a button to rate it or record progress",
            usage="my actions",
            handler=my_actions,
            examples=("my actions",),
            accepts=lambda rest: rest.strip().lower().rstrip("?") in ("actions", "plan actions"),
        )
    )
