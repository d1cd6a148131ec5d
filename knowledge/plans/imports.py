"""Importing an improvement plan from a file, and a plan's settings (channel, owners only, rating key)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from pathlib import Path

import sqlite_utils

from knowledge.models import UserError
from knowledge.plans.actions import Action, Plan, find_plan, list_actions, plan_row, ref_key
from knowledge.plans.files import ParsedAction, ParsedPlan, Problem, read_plan_file
from knowledge.plans.ratings import DEFAULT_KEY, RatingKey
from knowledge.store import insert_row
from knowledge.text import clean_text

__all__ = ["ImportResult", "import_plan", "import_plan_file", "set_plan_options", "set_rating_key"]


@dataclass
class ImportResult:
    """What an import did to a plan."""

    plan: Plan
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # a newer update in the database was kept
    not_in_file: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- import -------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """Text as stored: white space folded to single spaces, control characters dropped."""
    return " ".join(word for word in map(clean_text, text.split()) if word)


def _clean(item: ParsedAction) -> ParsedAction:
    """``item`` with its text stored safely, whoever parsed it."""
    return replace(item, ref=_one_line(item.ref), action=_one_line(item.action), theme=_one_line(item.theme),
                   owner=_one_line(item.owner), rating=_one_line(item.rating),
                   latest_update=_one_line(item.latest_update), evidence=_one_line(item.evidence))  # fmt: skip


def _plan_named(db: sqlite_utils.Database, name: str) -> Plan | None:
    row = db.execute("SELECT id FROM plans WHERE name = ? COLLATE NOCASE", [_one_line(name)]).fetchone()
    return plan_row(db.table("plans").get(row[0])) if row else None


def import_plan_file(
    db: sqlite_utils.Database, path: str | Path, plan_name: str, *, now: datetime, channel: str | None = None
) -> tuple[ParsedPlan, ImportResult]:
    """Read a plan file with the plan's own rating key, then import its good rows."""
    existing = _plan_named(db, plan_name)
    parsed = read_plan_file(path, key=existing.key if existing else DEFAULT_KEY)
    return parsed, import_plan(db, plan_name, parsed, now=now, channel=channel)


def import_plan(
    db: sqlite_utils.Database,
    plan_name: str,
    parsed: ParsedPlan,
    *,
    now: datetime,
    by: str = "import",
    channel: str | None = None,
) -> ImportResult:
    """Store a parsed plan in one transaction: new actions added, changed ones updated, history kept.

    A row dated before the action's latest update leaves that newer rating and note alone.
    """
    name = _one_line(plan_name)
    if not name:
        raise UserError('Give the plan a name, like --plan "Children\'s Services Improvement Plan"')
    stamp = now.isoformat(timespec="seconds")
    with db.atomic():
        plan = _plan_named(db, name)
        if plan is None:
            pid = insert_row(db, "plans", {"name": name, "rating_key": DEFAULT_KEY.to_json(), "owner_only": 0,
                                           "channel": channel, "created_at": stamp})  # fmt: skip
            plan = plan_row(db.table("plans").get(pid))
        db.table("plans").update(plan.id, {"source": parsed.source, "updated_at": stamp,
                                           **({"channel": channel} if channel else {})})  # fmt: skip
        plan = plan_row(db.table("plans").get(plan.id))
        result = ImportResult(plan, problems=list(parsed.problems))
        existing = {ref_key(a.ref): a for a in list_actions(db, plan)}
        seen: set[str] = set()
        for seq, item in enumerate(map(_clean, parsed.actions)):
            rating = plan.key.find(item.rating) if item.rating else None
            if item.rating and rating is None:
                result.problems.append(Problem(item.row, parsed.column_map.get("rating", ""),
                                               f"“{item.rating}” is not a rating in the key ({plan.key.describe()})"))  # fmt: skip
                continue
            k = ref_key(item.ref)
            seen.add(k)
            at = datetime.combine(item.updated, time(0), tzinfo=now.tzinfo) if item.updated else now
            _import_row(
                db,
                plan,
                item,
                seq,
                k,
                rating.name if rating else None,
                existing.get(k),
                at,
                stamp,
                by,
                result,
            )
        result.not_in_file = [a.ref for k, a in existing.items() if k not in seen]
    return result


def _import_row(
    db: sqlite_utils.Database,
    plan: Plan,
    item: ParsedAction,
    seq: int,
    k: str,
    rating: str | None,
    old: Action | None,
    at: datetime,
    stamp: str,
    by: str,
    result: ImportResult,
) -> None:
    fields = {"theme": item.theme, "action": item.action, "owner": item.owner,
              "due": item.due.isoformat() if item.due else None, "evidence": item.evidence, "seq": seq}  # fmt: skip
    when = at.isoformat(timespec="seconds")
    if old is None:
        aid = insert_row(db, "actions", {"plan_id": plan.id, "ref": item.ref, "ref_key": k, **fields, "rating": rating,
                                         "latest_update": item.latest_update or None,
                                         "latest_update_at": when if item.latest_update else None,
                                         "updated_at": stamp})  # fmt: skip
        if rating or item.latest_update:
            db.table("action_updates").insert({"action_id": aid, "at": when, "by": by, "by_name": "", "previous_rating": None,
                                               "new_rating": rating, "note": item.latest_update, "source": "import"})  # fmt: skip
        result.added.append(item.ref)
        return
    newer = (
        old.latest_update_at is not None
        and item.updated is not None
        and item.updated < old.latest_update_at.date()
    )
    new_rating = rating or old.rating
    new_note = item.latest_update or old.latest_update
    status_changed = (new_rating != old.rating or new_note != old.latest_update) and not newer
    current = {"theme": old.theme, "action": old.action, "owner": old.owner,
               "due": old.due.isoformat() if old.due else None, "evidence": old.evidence, "seq": old.seq}  # fmt: skip
    if newer and (new_rating != old.rating or new_note != old.latest_update):
        result.kept.append(item.ref)
    if not status_changed and fields == current:
        result.unchanged += 1
        return
    changes: dict[str, object] = {**fields, "updated_at": stamp}
    if status_changed:
        changes.update(rating=new_rating, latest_update=new_note, latest_update_at=when)
        db.table("action_updates").insert({"action_id": old.id, "at": when, "by": by, "by_name": "",
                                           "previous_rating": old.rating, "new_rating": new_rating,
                                           "note": item.latest_update, "source": "import"})  # fmt: skip
    db.table("actions").update(old.id, changes)
    result.updated.append(item.ref)


# --- settings -----------------------------------------------------------------------------------


def set_plan_options(
    db: sqlite_utils.Database, name: str | None, *, channel: str | None = None, owner_only: bool | None = None
) -> Plan:
    """Set a plan's announcement channel ("" to clear) and whether only owners may update."""
    plan = find_plan(db, name)
    changes: dict[str, object] = {}
    if channel is not None:
        changes["channel"] = channel.strip() or None
    if owner_only is not None:
        changes["owner_only"] = int(owner_only)
    if changes:
        with db.atomic():
            db.table("plans").update(plan.id, changes)
    return plan_row(db.table("plans").get(plan.id))


def set_rating_key(
    db: sqlite_utils.Database, name: str | None, key_text: str, *, renames: Mapping[str, str] | None = None
) -> tuple[Plan, dict[str, str]]:
    """Give a plan a new rating key and re-rate its actions; the history keeps the old names.

    A rating the new key lacks moves to ``renames[old]``, else to the one new rating of the same
    colour ("Blue" to "Complete=blue"). Returns the plan and the moves made (old name -> new name).
    """
    plan = find_plan(db, name)
    key = RatingKey.parse(key_text)
    moves: dict[str, str] = {}
    for old, new in (renames or {}).items():
        target = key.get(new)
        if target is None:
            raise UserError(
                f"cannot rename {old} to {new}: the new key has no rating {new} ({key.describe()})"
            )
        moves[old.strip().casefold()] = target.name
    actions = list_actions(db, plan)
    stranded = []
    for old in sorted({a.rating for a in actions if a.rating}):
        if old.casefold() in moves:
            continue
        kept = key.get(old)
        if kept is not None:
            moves[old.casefold()] = kept.name
            continue
        was = plan.key.get(old)
        same = [r for r in key.ratings if was and was.colour and r.colour == was.colour]
        if len(same) == 1:
            moves[old.casefold()] = same[0].name
        else:
            stranded.append(old)
    if stranded:
        raise UserError(f"actions are rated {', '.join(stranded)}, which the new key does not have: keep "
                        f"{'it' if len(stranded) == 1 else 'them'} in the key, or say where they go, "
                        f"like --rename {stranded[0]}={key.ratings[0].name}")  # fmt: skip
    made: dict[str, str] = {}
    with db.atomic():
        db.table("plans").update(plan.id, {"rating_key": key.to_json()})
        for a in actions:
            moved_to = moves.get((a.rating or "").casefold())
            if a.rating and moved_to and moved_to != a.rating:
                db.table("actions").update(a.id, {"rating": moved_to})
                made[a.rating] = moved_to
    return plan_row(db.table("plans").get(plan.id)), made
