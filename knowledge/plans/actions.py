"""Improvement plans and their actions as stored: the values, reading them, finding one by reference.

Importing is in :mod:`knowledge.plans.imports`, officers' status updates in :mod:`knowledge.plans.status`.
Every rating and update is kept in ``action_updates``, which is append-only (a trigger refuses changes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import sqlite_utils
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from knowledge.models import UserError
from knowledge.plans.ratings import DEFAULT_KEY, RatingKey
from knowledge.store import column_int

__all__ = [
    "Action",
    "Plan",
    "RatingKey",
    "Update",
    "action_history",
    "action_row",
    "find_action",
    "find_plan",
    "list_actions",
    "list_plans",
    "plan_row",
    "ref_key",
    "update_row",
]


@dataclass(frozen=True)
class Plan:
    """An improvement plan: its name, rating key, announcement channel and owner restriction."""

    id: int
    name: str
    key: RatingKey = DEFAULT_KEY
    channel: str | None = None
    owner_only: bool = False
    source: str = ""

    @property
    def code(self) -> str:
        """The plan's initials ("CSIP"), used as "CSIP:2.3" when several plans share a reference."""
        return "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", self.name.replace("'s", ""))).upper()


@dataclass(frozen=True)
class Action:
    """One action of a plan as it stands now."""

    id: int
    plan: str
    ref: str
    action: str
    theme: str = ""
    owner: str = ""
    due: date | None = None
    rating: str | None = None
    latest_update: str = ""
    latest_update_at: datetime | None = None
    evidence: str = ""
    seq: int = 0

    def is_overdue(self, today: date, key: RatingKey) -> bool:
        """Past its due date and not rated complete."""
        return bool(self.due and self.due < today and not key.is_complete(self.rating))


@dataclass(frozen=True)
class Update:
    """One entry of an action's history: who, when, the rating before and after, the note."""

    id: int
    action_id: int
    at: datetime
    by: str
    by_name: str
    previous_rating: str | None
    new_rating: str | None
    note: str
    source: str  # import or chat

    @property
    def who(self) -> str:
        """The person's name if known, else their id ("the plan's import" for an imported row)."""
        if self.source == "import" and self.by == "import":
            return "the plan's import"
        return self.by_name or self.by

    @property
    def rating_changed(self) -> bool:
        return (self.previous_rating or None) != (self.new_rating or None)


# --- reading rows -------------------------------------------------------------------------------


def plan_row(row: Mapping[str, object]) -> Plan:
    """A :class:`Plan` from a row of ``plans``."""
    return Plan(
        id=column_int(row["id"]),
        name=str(row["name"]),
        key=RatingKey.from_json(str(row["rating_key"]) if row.get("rating_key") else None),
        channel=str(row["channel"]) if row.get("channel") else None,
        owner_only=bool(row.get("owner_only")),
        source=str(row.get("source") or ""),
    )


def _when(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def action_row(row: Mapping[str, object], plan_name: str) -> Action:
    """An :class:`Action` from a row of ``actions``."""
    return Action(
        id=column_int(row["id"]),
        plan=plan_name,
        ref=str(row["ref"]),
        action=str(row.get("action") or ""),
        theme=str(row.get("theme") or ""),
        owner=str(row.get("owner") or ""),
        due=date.fromisoformat(str(row["due"])) if row.get("due") else None,
        rating=str(row["rating"]) if row.get("rating") else None,
        latest_update=str(row.get("latest_update") or ""),
        latest_update_at=_when(row.get("latest_update_at")),
        evidence=str(row.get("evidence") or ""),
        seq=column_int(row.get("seq") or 0),
    )


def update_row(row: Mapping[str, object]) -> Update:
    """An :class:`Update` from a row of ``action_updates``."""
    return Update(
        id=column_int(row["id"]),
        action_id=column_int(row["action_id"]),
        at=datetime.fromisoformat(str(row["at"])),
        by=str(row.get("by") or ""),
        by_name=str(row.get("by_name") or ""),
        previous_rating=str(row["previous_rating"]) if row.get("previous_rating") else None,
        new_rating=str(row["new_rating"]) if row.get("new_rating") else None,
        note=str(row.get("note") or ""),
        source=str(row.get("source") or ""),
    )


def list_plans(db: sqlite_utils.Database) -> list[Plan]:
    """Every plan, by name."""
    return [plan_row(r) for r in db.query("SELECT * FROM plans ORDER BY name")]


def list_actions(db: sqlite_utils.Database, plan: Plan | None = None) -> list[Action]:
    """The actions of ``plan`` (every plan when None), in plan order."""
    plans = {p.id: p for p in ([plan] if plan else list_plans(db))}
    if not plans:
        return []
    marks = ",".join("?" * len(plans))
    rows = db.query(
        f"SELECT * FROM actions WHERE plan_id IN ({marks}) ORDER BY plan_id, seq, id", list(plans)
    )
    return [action_row(r, plans[int(r["plan_id"])].name) for r in rows]


def action_history(db: sqlite_utils.Database, action_id: int) -> list[Update]:
    """Every update of an action, oldest first."""
    rows = db.query("SELECT * FROM action_updates WHERE action_id = ? ORDER BY at, id", [action_id])
    return [update_row(r) for r in rows]


def find_plan(db: sqlite_utils.Database, name: str | None = None) -> Plan:
    """The plan called ``name`` (its name loosely, or its initials); with no name, the only plan."""
    plans = list_plans(db)
    if not plans:
        raise UserError("No improvement plan has been imported yet. An officer can import one with "
                        "`scrutiny-bot plan import FILE --plan NAME`.")  # fmt: skip
    names = ", ".join(p.name for p in plans)
    if not name or not name.strip():
        if len(plans) == 1:
            return plans[0]
        raise UserError(f"There are {len(plans)} plans: {names}. Say which one.")
    wanted = name.strip()
    for p in plans:
        if p.name.casefold() == wanted.casefold() or p.code == wanted.upper():
            return p
    hits = [p for p in plans if _names_plan(wanted, p.name)]
    if len(hits) == 1:
        return hits[0]
    raise UserError(f"I have no plan called “{wanted}”. Plans: {names}.")


_FILLER = {"the", "plan", "of", "and", "for"}


def _names_plan(wanted: str, name: str) -> bool:
    """True when every word typed (but "the", "plan"...) is a word of ``name``, allowing typos."""
    typed = [w for w in default_process(wanted.replace("'", "")).split() if w not in _FILLER]
    have = default_process(name.replace("'", "")).split()
    return bool(typed) and all(any(h.startswith(w) or fuzz.ratio(w, h) >= 80 for h in have) for w in typed)


# --- references ---------------------------------------------------------------------------------


def ref_key(text: str) -> str:
    """A reference as compared: 'Action 2.03' and '2.3' are the same action."""
    t = str(text).casefold().strip()
    t = re.sub(r"^(action|ref|reference|no)\b\.?\s*", "", t)
    t = re.sub(r"[\s_]+", "", t).strip(".:-")
    return re.sub(r"(?<![0-9])0+(?=[0-9])", "", t)


def find_action(db: sqlite_utils.Database, ref: str, plan: str | None = None) -> tuple[Plan, Action]:
    """The action ``ref`` names ("2.3", or "CSIP:2.3" to name the plan); suggestions on a typo."""
    text = ref.strip()
    if plan is None and ":" in text:
        plan, text = (s.strip() for s in text.split(":", 1))
    plans = [find_plan(db, plan)] if plan else list_plans(db)
    if not plans:
        find_plan(db)  # raises: no plan yet
    key = ref_key(text)
    by_id = {p.id: p for p in plans}
    marks = ",".join("?" * len(by_id))
    rows = list(db.query(f"SELECT * FROM actions WHERE ref_key = ? AND plan_id IN ({marks})", [key, *by_id]))
    if len(rows) == 1:
        found = by_id[int(rows[0]["plan_id"])]
        return found, action_row(rows[0], found.name)
    if rows:
        where = ", ".join(f"{by_id[int(r['plan_id'])].name} ({by_id[int(r['plan_id'])].code})" for r in rows)
        code = by_id[int(rows[0]["plan_id"])].code
        raise UserError(
            f"Action {text} is in {len(rows)} plans: {where}. Put the plan's code first, like {code}:{text}."
        )
    refs = [
        str(r["ref"]) for r in db.query(f"SELECT ref FROM actions WHERE plan_id IN ({marks})", list(by_id))
    ]
    hits = process.extract(key, refs, scorer=fuzz.ratio, processor=ref_key, score_cutoff=50, limit=6)
    best = hits[0][1] if hits else 0
    close = sorted({h[0] for h in hits if h[1] >= best - 5}, key=lambda r: [int(x) if x.isdigit() else x
                                                                          for x in re.split(r"(\d+)", r)])  # fmt: skip
    where = f"the {plans[0].name}" if len(plans) == 1 else "any plan"
    hint = f" Did you mean {', '.join(close[:3])}?" if close else ""
    raise UserError(f"No action {text} in {where}.{hint}")
