"""Officers' status updates of plan actions, and who may make them.

Who may update: officers, clerks and admins (roles rank member < officer < clerk < admin, and an
admin may do everything). Clerks may, because they record what owners report at board meetings.
A plan may be restricted to its owners (``owner_only``): an officer may then update only actions
whose owner is the name configured for them; clerks and admins may still update any action.
Every update is appended to the action's history with who, when, and the rating before and after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from knowledge.models import UserError
from knowledge.plans.actions import Action, Plan, Update, action_row, find_action, update_row
from knowledge.store import insert_row
from knowledge.text import clean_text

__all__ = [
    "UPDATE_ROLES",
    "PermissionDenied",
    "StatusChange",
    "add_update",
    "is_owner",
    "may_update",
    "read_status_text",
    "set_status",
]

_RANKS = ("member", "officer", "clerk", "admin")  # as handlers.messages.ROLES; knowledge imports no handlers
#: The roles that may rate and update actions.
UPDATE_ROLES = ("officer", "clerk", "admin")
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "cllr", "councillor", "sir", "dame"}


class PermissionDenied(UserError):
    """The user's role (or ownership) does not allow what they asked; the message says who may."""


@dataclass(frozen=True)
class StatusChange:
    """What a status update did: the plan, the action as it now stands, and the history entry."""

    plan: Plan
    action: Action
    update: Update


# --- permissions --------------------------------------------------------------------------------


def _name_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9'-]+", text.casefold()) if w not in _TITLES]


def is_owner(owner: str, user_name: str) -> bool:
    """True when ``user_name`` (as configured) is named in an action's ``owner`` text.

    Titles are ignored, so "Owen Pritchard" owns "Mr Owen Pritchard, Head of Workforce Development".
    """
    mine = _name_words(user_name)
    if not mine or not owner:
        return False
    for person in re.split(r"\s*(?:/|;|&|\band\b|\n)\s*", owner.casefold()):
        theirs = set(_name_words(person))
        if all(w in theirs for w in mine):
            return True
    return False


def may_update(
    role: str, plan: Plan | None = None, action: Action | None = None, user_name: str = ""
) -> None:
    """Raise :class:`PermissionDenied`, saying who may, unless ``role`` may update ``action``."""
    rank = _RANKS.index(role) if role in _RANKS else 0
    if rank < _RANKS.index("officer"):
        who = f" Its owner is {action.owner}." if action and action.owner else ""
        raise PermissionDenied(
            "Sorry, only officers, clerks and admins may update improvement-plan actions, and I have you "
            f"down as a member.{who} Ask an officer to record it, or ask me about the plan instead."
        )
    if plan and action and plan.owner_only and role == "officer" and not is_owner(action.owner, user_name):
        raise PermissionDenied(
            f"Sorry, in the {plan.name} only an action's owner may update it, and action {action.ref} "
            f"belongs to {action.owner or 'nobody yet'}. Clerks and admins may update any action."
        )


# --- status updates -----------------------------------------------------------------------------


def read_status_text(db: sqlite_utils.Database, text: str, plan: str | None = None) -> tuple[str, str, str]:
    """Split "2.3 amber NOTE" into the reference, the rating (as the plan's key names it) and the note."""
    words = text.split()
    if len(words) < 2:
        raise UserError(
            "Give the action, the rating and a note, like: status 2.3 Amber recruitment is behind plan"
        )
    found_plan, _ = find_action(db, words[0], plan)
    for n in (3, 2, 1):
        rating = found_plan.key.find(" ".join(words[1 : 1 + n])) if len(words) > n else None
        if rating:
            return words[0], rating.name, " ".join(words[1 + n :])
    raise UserError(f"“{words[1]}” is not a rating in the {found_plan.name}. Use one of "
                    f"{found_plan.key.describe()}, like: status {words[0]} Amber WHY")  # fmt: skip


def _one_line(text: str) -> str:
    """A note as stored: white space folded to single spaces, control characters dropped."""
    return " ".join(word for word in map(clean_text, text.split()) if word)


def _updatable(
    db: sqlite_utils.Database, ref: str, plan: str | None, role: str, user_name: str
) -> tuple[Plan, Action]:
    """The plan and action ``ref`` names, once the role (checked before any look-up) may update it."""
    may_update(role)
    found, action = find_action(db, ref, plan)
    may_update(role, found, action, user_name)
    return found, action


def set_status(
    db: sqlite_utils.Database,
    ref: str,
    rating: str,
    note: str,
    *,
    user_id: str,
    role: str,
    now: datetime,
    plan: str | None = None,
    user_name: str = "",
    by_name: str = "",
    evidence: str = "",
) -> StatusChange:
    """Rate an action (a change of rating needs a note); the history keeps who, when, before and after.

    ``user_name`` is the name configured for the user, which decides whether they own an action;
    ``by_name`` is how the history names them (by default ``user_name``). ``evidence`` (a link)
    becomes the action's evidence and is named in the history's note.
    """
    found, action = _updatable(db, ref, plan, role, user_name)
    new = found.key.find(rating)
    if new is None:
        raise UserError(f"“{rating}” is not a rating in the {found.name}. Use one of {found.key.describe()}.")
    note = _one_line(note)
    if new.name != action.rating and not note:
        raise UserError(
            f"A change of rating needs a note saying why, like: status {action.ref} {new.name} WHY"
        )
    if new.name == action.rating and not note:
        raise UserError(
            f"Action {action.ref} is already {new.name}. To record progress, use: update {action.ref} NOTE"
        )
    return _record(db, found, action, new.name, note, user_id, by_name or user_name, now, "chat", evidence)


def add_update(
    db: sqlite_utils.Database,
    ref: str,
    note: str,
    *,
    user_id: str,
    role: str,
    now: datetime,
    plan: str | None = None,
    user_name: str = "",
    by_name: str = "",
    evidence: str = "",
) -> StatusChange:
    """Record progress on an action without changing its rating (names and evidence as for :func:`set_status`)."""
    found, action = _updatable(db, ref, plan, role, user_name)
    note = _one_line(note)
    if not note and not _one_line(evidence):
        raise UserError(f"Say what has happened, like: update {action.ref} the panel met on 3 March")
    return _record(db, found, action, action.rating, note, user_id, by_name or user_name, now, "chat", evidence)


def _record(
    db: sqlite_utils.Database,
    plan: Plan,
    action: Action,
    rating: str | None,
    note: str,
    by: str,
    by_name: str,
    at: datetime,
    source: str,
    evidence: str = "",
) -> StatusChange:
    stamp = at.isoformat(timespec="seconds")
    evidence = _one_line(evidence)
    if evidence:
        note = f"{note} (evidence: {evidence})" if note else f"Evidence: {evidence}"
    with db.atomic():
        entry = {"action_id": action.id, "at": stamp, "by": by, "by_name": by_name,
                 "previous_rating": action.rating, "new_rating": rating, "note": note, "source": source}  # fmt: skip
        update_id = insert_row(db, "action_updates", entry)
        changes: dict[str, object] = {"rating": rating, "updated_at": stamp}
        if note:
            changes.update(latest_update=note, latest_update_at=stamp)
        if evidence:
            changes["evidence"] = evidence
        db.table("actions").update(action.id, changes)
    row = db.table("actions").get(action.id)
    return StatusChange(
        plan, action_row(row, plan.name), update_row(db.table("action_updates").get(update_id))
    )
