"""Understanding a question about plan actions: ratings, overdue, owner, no recent update, changes since."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from knowledge.answers.query import topic_terms
from knowledge.dates import find_date_range, strip_date
from knowledge.plans.actions import Plan
from knowledge.text import day_words, fold

__all__ = [
    "PLAN_WORDS",
    "PlanQuestion",
    "last_board_meeting",
    "owner_matches",
    "rating_words",
    "read_plan_question",
    "stale_days",
]

_MINUTES = re.compile(
    r"\bagree|\bminuted\b|\baction log\b|\bresol|\bdecid|\brecorded\b|\bactions? (?:from|at) the\b"
)
_ACTIONS = re.compile(r"\bactions?\b")
_DUE = re.compile(r"\b(?:due|deadline|target date)\b")
_REF = re.compile(r"\b(?:action|ref(?:erence)?)\s*(?:no\.?\s*)?([a-z]{0,4}[0-9]+(?:\.[0-9]+)*[a-z]?)\b")
_DOTTED = re.compile(r"\b(?:status|rag|rating|progress|update|rated)\b.*?\b([0-9]{1,2}\.[0-9]{1,2}[a-z]?)\b")
_OVERDUE = re.compile(r"\boverdue\b|\bpast (?:their |its |the )?(?:due|target|deadline)|\blate\b|\bbehind schedule\b"
                      r"|\bmissed (?:their |its |the )?(?:due|target|deadline)")  # fmt: skip
_STALE = re.compile(
    r"\bno (?:updates?|progress|news)\b|\bnot (?:been )?updated\b|\bhave ?n[o']t been updated\b|\bstale\b"
)
_SINCE = re.compile(r"\b(?:changed?|changes|updated|updates|moved|new|happened)\b.*\bsince\b")
_BOARD = re.compile(
    r"\bsince (?:the )?(?:last|previous|latest|most recent) (?:(?:improvement )?board|meeting)\b"
)
_OWNER = re.compile(
    r"\b(?:owned by|led by|assigned to|belonging to|(?:owner|lead officer|lead) is|for)\s+(.+?)\s*(?:[?!]|$)",
    re.I,
)
_OWNER_AFTER = re.compile(
    r"\bactions?\b(?: (?:is|are|does|do))? (.+?) (?:responsible for|the (?:lead officer|lead|owner) (?:for|of|on)"
    r"|leads?|leading|owns?)\b",
    re.I,
)
_OPEN = re.compile(r"\b(?:open|outstanding|incomplete|unfinished|not (?:yet )?complete[d]?)\b")
PLAN_WORDS = re.compile(r"\bimprovement plan\b|\bplan'?s? actions?\b|\brag\b|\bthe plan\b")
_DURATION = re.compile(
    r"\b([0-9]+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(day|week|month|year)s?\b"
)
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "twelve": 12}  # fmt: skip
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_NOT_TOPIC = set(
    """action actions rated rating ratings rag status overdue late plan plans improvement owned owner owners led lead
    officer update updates updated progress month months week weeks day days year years currently current now still
    open outstanding complete completed incomplete board changed change changes since past due target deadline
    whose there rated show list which ones one many how number count behind schedule missed new moved happened
    stale no not been haven't hasn't for by assigned belonging our all""".split()
)  # fmt: skip


def stale_days(text: str, default: int = 60) -> int:
    """The period in "no update for two months" as days (a month is 30 days)."""
    m = _DURATION.search(fold(text))
    if not m:
        return default
    n = int(m[1]) if m[1].isdigit() else _NUMBERS[m[1]]
    return n * _UNIT_DAYS[m[2]]


def last_board_meeting(db: sqlite_utils.Database, today: date) -> tuple[str, date] | None:
    """The last meeting of the improvement board up to ``today``, from the minutes or the calendar."""
    for like in ("%Improvement Board%", "%Board%"):
        row = db.execute(
            "SELECT body, max(d) FROM (SELECT body, meeting_date AS d FROM items WHERE body LIKE ? AND meeting_date <= ? "
            "UNION ALL SELECT body, date AS d FROM meetings WHERE body LIKE ? AND date <= ? AND status != 'cancelled')",
            [like, today.isoformat(), like, today.isoformat()],
        ).fetchone()
        if row and row[1]:
            return str(row[0]), date.fromisoformat(str(row[1]))
    return None


@dataclass
class PlanQuestion:
    """What a plan question was understood to ask."""

    ref: str | None = None
    ratings: set[str] = field(default_factory=set)  # words: "red", "on track", "complete"
    open_only: bool = False
    overdue: bool = False
    owner: str | None = None
    stale: int | None = None
    since: date | None = None
    since_words: str = ""
    due_from: date | None = None  # "actions due this month": due in this window
    due_to: date | None = None
    due_words: str = ""
    terms: tuple[str, ...] = ()


def rating_words(plans: Sequence[Plan]) -> set[str]:
    """Every word a question may use for a rating of these plans: names, meanings, colours."""
    words = {"complete", "completed"}
    for p in plans:
        for r in p.key.ratings:
            words |= {fold(r.name), fold(r.meaning)} | ({r.colour} if r.colour else set())
    return {w for w in words if w}


def read_plan_question(
    db: sqlite_utils.Database, text: str, plans: Sequence[Plan], owners: Sequence[str], today: date
) -> PlanQuestion | None:
    """What a question asks of the plans, or None when it is not about plan actions."""
    low = fold(text)
    if _MINUTES.search(low):
        return None
    ask = PlanQuestion()
    ref = _REF.search(low) or _DOTTED.search(low)
    if ref and any(ch.isdigit() for ch in ref[1]) and not re.fullmatch(r"(19|20)[0-9]{2}", ref[1]):
        ask.ref = ref[1]
    rest = low
    if _OPEN.search(rest):
        ask.open_only = True
        rest = _OPEN.sub(" ", rest)
    ask.ratings = {w for w in rating_words(plans) if re.search(rf"\b{re.escape(w)}\b", rest)}
    ask.overdue = bool(_OVERDUE.search(low))
    stale = _STALE.search(low)
    if stale:
        ask.stale = stale_days(low[stale.start() :])
        rest = _DURATION.sub(" ", rest)
    board = _BOARD.search(low)
    plan_words = bool(_ACTIONS.search(low) or PLAN_WORDS.search(low) or board)
    if _SINCE.search(low) and plan_words:
        if board:
            last = last_board_meeting(db, today)
            if last is None:
                return None  # no board in the minutes or the calendar: not a question for the plan
            ask.since, ask.since_words = (
                last[1],
                f"since the last {last[0]} meeting ({day_words(last[1], 'no date')})",
            )
            rest = rest.replace(board[0], " ")
        else:
            rng = find_date_range(text, today)
            if rng and (rng.start or rng.end):
                ask.since = rng.start or rng.end
                ask.since_words = f"since {day_words(ask.since, 'no date')}"
                rest = fold(strip_date(text, rng))
    plain = re.sub(r"\s+", " ", _DURATION.sub(" ", text))
    after = _OWNER_AFTER.search(plain)
    owner = _OWNER.search(plain)
    name = ""
    if after and any(owner_matches(o, after[1]) for o in owners):
        name = after[1].strip(" .")
    elif owner and _ACTIONS.search(fold(plain[: owner.start()]) + " "):
        name = owner[1].strip(" .")
        if owner[0].lower().startswith("for ") and not any(owner_matches(o, name) for o in owners):
            name = ""
    if name:
        ask.owner = name
        rest = rest.replace(fold(name), " ")
    due = _DUE.search(low)
    if due and not ask.since:
        rng = find_date_range(text, today)
        if rng and rng.start and rng.end:
            ask.due_from, ask.due_to, ask.due_words = rng.start, rng.end, f"due {rng.describe()}"
            rest = fold(strip_date(text, rng))
    signal = (ask.ref or ask.ratings or ask.overdue or ask.stale or ask.since or ask.owner or ask.open_only
              or ask.due_from)  # fmt: skip
    if not signal:
        return None
    # "what is overdue?" alone: the plan, since minutes are not overdue
    bare_overdue = ask.overdue and len(low.split()) <= 5
    if not (_ACTIONS.search(low) or PLAN_WORDS.search(low) or ask.since or (ask.ref and _DOTTED.search(low))
            or bare_overdue):  # fmt: skip
        return None
    ask.terms = tuple(t for t in topic_terms(rest) if t not in _NOT_TOPIC and t not in ask.ratings
                      and not re.fullmatch(r"[0-9.]+", t))  # fmt: skip
    return ask


def owner_matches(owner: str, wanted: str) -> bool:
    """True when the name or post a question gives is the action's ``owner`` ("Owen Pritchard")."""
    words = [
        w for w in re.findall(r"[a-z0-9'-]+", fold(wanted)) if w not in {"mr", "ms", "mrs", "dr", "the", "of"}
    ]
    have = re.findall(r"[a-z0-9'-]+", fold(owner))
    if words and all(any(h.startswith(w) for h in have) for w in words):
        return True
    return fuzz.partial_ratio(wanted, owner, processor=default_process) >= 90
