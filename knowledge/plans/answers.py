"""Questions about improvement-plan actions and tracked recommendations, answered from their tables.

:func:`answer_plan_question` returns None for anything else, so the minutes answerer takes it:
"what actions were agreed" is about the ACTIONS AGREED in minutes, never the plan.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import sqlite_utils

from knowledge.answers.lexicon import content_words, expand, stem
from knowledge.minutes.recs import OPEN_STATUSES, Recommendation, list_recommendations
from knowledge.models import Answer, Citation, Filters, Part, UserError
from knowledge.plans.actions import Action, Plan, Update, find_action, list_actions, list_plans, update_row
from knowledge.plans.questions import PlanQuestion, owner_matches, read_plan_question
from knowledge.text import day_words, fold

__all__ = ["MAX_CHARS", "answer_plan_question", "answer_recs_question"]

MAX_CHARS = 3000
_RECS = re.compile(r"\b(?:recommendations?|recs)\b")
_REC_STATE = re.compile(r"\b(?:open|outstanding|still|awaiting|response|responded|implemented|accepted|rejected|"
                        r"track(?:er|ed|ing)?|status|progress|unanswered|pending|where are)\b")  # fmt: skip


def _hay(a: Action) -> str:
    return fold(f"{a.theme} {a.action}")


def _matches_term(a: Action, term: str) -> bool:
    return re.search(rf"\b{re.escape(term)}", _hay(a)) is not None


def _select(
    ask: PlanQuestion, actions: list[Action], plans: dict[str, Plan], today: date
) -> tuple[list[Action], list[str]]:
    """The actions the question asks for, and the words describing what was understood."""
    said: list[str] = []
    if ask.ratings:
        keep = []
        for a in actions:
            key = plans[a.plan].key
            wanted = {r.name for w in ask.ratings for r in [key.find(w)] if r}
            if a.rating in wanted:
                keep.append(a)
        actions = keep
        first = next(iter(plans.values())).key

        def in_key(word: str) -> tuple[int, str]:  # in the key's order, whatever order they were asked in
            rating = first.find(word)
            return (first.order(rating.name) if rating else len(first.ratings), word)

        said.append(" or ".join(sorted(ask.ratings, key=in_key)))
    if ask.open_only:
        actions = [a for a in actions if not plans[a.plan].key.is_complete(a.rating)]
        said.append("not complete")
    if ask.overdue:
        actions = [a for a in actions if a.is_overdue(today, plans[a.plan].key)]
        said.append("overdue")
    if ask.due_from and ask.due_to:
        start, end = ask.due_from, ask.due_to
        actions = [a for a in actions if a.due and start <= a.due <= end]
        said.append(ask.due_words)
    if ask.owner:
        actions = [a for a in actions if owner_matches(a.owner, ask.owner)]
        said.append(f"owned by {ask.owner}")
    if ask.stale:
        cutoff = today - timedelta(days=ask.stale)
        actions = [a for a in actions if not plans[a.plan].key.is_complete(a.rating)
                   and (a.latest_update_at is None or a.latest_update_at.date() < cutoff)]  # fmt: skip
        said.append(f"not complete, with no update since {day_words(cutoff, 'no date')}")
    return actions, said


def _citation(a: Action, plan: Plan, update: Update | None = None) -> Citation:
    when = update.at.date() if update else (a.latest_update_at.date() if a.latest_update_at else None)
    source = a.evidence or (Path(plan.source).name if plan.source else plan.name)
    quote = update.note if update else a.latest_update
    return Citation(None, plan.name, when, a.ref, a.action, source, quote=quote)


def _block(a: Action, plan: Plan, today: date) -> str:
    due = (
        f"due {day_words(a.due, 'no date')}" + (" (overdue)" if a.is_overdue(today, plan.key) else "")
        if a.due
        else "no due date"
    )
    lines = [f"{a.ref} [{a.rating or 'not rated'}] {a.action}", f"  Owner: {a.owner or 'not named'}; {due}."]
    if a.latest_update:
        when = day_words(a.latest_update_at.date(), "no date") if a.latest_update_at else "undated"
        lines.append(f"  Latest update ({when}): “{a.latest_update}”")
    else:
        lines.append("  No update recorded.")
    if plan.key.is_complete(a.rating) and not a.evidence:
        lines.append("  (Rated complete, but no evidence is linked.)")
    return "\n".join(lines)


def _compose(
    question: str, head: str, blocks: list[tuple[str, Citation]], topic: str | None, intent: str = "plan"
) -> Answer:
    parts: list[Part] = []
    used = len(head) + 120
    for text, cite in blocks:
        if used + len(text) > MAX_CHARS and parts:
            break
        parts.append(Part("", text, (cite,)))
        used += len(text) + 2
    tail = ""
    if len(parts) < len(blocks):
        more = "`report` lists every action" if intent == "plan" else "`recs` lists them all"
        tail = f"…and {len(blocks) - len(parts)} more; {more}."
    cites = tuple(c for p in parts for c in p.citations)
    return Answer(question, bool(blocks), head, intent, Filters(topic=topic), cites, tuple(parts), tail)


def answer_plan_question(db: sqlite_utils.Database, question: str, *, today: date) -> Answer | None:
    """Answer a question about plan actions or tracked recommendations; None when it is about neither."""
    text = " ".join(str(question).split())
    tables = {
        r[0]
        for r in db.execute("SELECT name FROM sqlite_master WHERE name IN ('actions', 'recommendations')")
    }
    if len(tables) < 2:
        return None  # a database from before the plan tables (opened without migrating)
    if _RECS.search(fold(text)):
        return answer_recs_question(db, text, today=today)
    if not db.execute("SELECT 1 FROM actions LIMIT 1").fetchone():
        return None
    plans = list_plans(db)
    actions = list_actions(db)
    ask = read_plan_question(db, text, plans, sorted({a.owner for a in actions}), today)
    if ask is None:
        return None
    by_name = {p.name: p for p in plans}
    if ask.ref and not (ask.ratings or ask.overdue or ask.owner or ask.stale or ask.since):
        return _one_action(db, text, ask.ref, today)
    chosen, said = _select(ask, actions, by_name, today)
    ignored = []
    matched = []
    for term in ask.terms:
        if any(_matches_term(a, term) for a in actions):
            chosen = [a for a in chosen if _matches_term(a, term)]
            matched.append(term)
        else:
            ignored.append(term)
    if matched:
        said.append(f"about “{' '.join(matched)}”")
    where = plans[0].name if len(plans) == 1 else f"{len(plans)} plans"
    note = (
        f" (No action mentions {', '.join(f'“{t}”' for t in ignored)}, so I left that out.)"
        if ignored
        else ""
    )
    if ask.since:
        return _changes(db, text, ask, chosen, by_name, said, where, note)
    what = ", ".join(said) or "all"
    if not chosen:
        counts = _counts(actions, by_name)
        return Answer(text, False, f"No actions in the {where} are {what}.{note} The plan has {counts}.", "plan",
                      Filters(topic=what))  # fmt: skip
    n = len(chosen)
    head = f"{n} action{'s' if n != 1 else ''} in the {where} {'are' if n != 1 else 'is'} {what}:{note}"
    if ask.owner:
        head = f"{n} action{'s' if n != 1 else ''} in the {where} {what}:{note}"
    blocks = [(_block(a, by_name[a.plan], today), _citation(a, by_name[a.plan])) for a in chosen]
    return _compose(text, head, blocks, what)


def _counts(actions: list[Action], plans: dict[str, Plan]) -> str:
    tally: dict[str, int] = {}
    for a in actions:
        tally[a.rating or "not rated"] = tally.get(a.rating or "not rated", 0) + 1
    order = {n: i for p in plans.values() for i, n in enumerate(p.key.names())}
    return ", ".join(f"{v} {k}" for k, v in sorted(tally.items(), key=lambda kv: order.get(kv[0], 99)))


def _one_action(db: sqlite_utils.Database, question: str, ref: str, today: date) -> Answer:
    try:
        plan, action = find_action(db, ref)
    except UserError as exc:
        return Answer(question, False, str(exc), "plan", Filters(topic=f"action {ref}"))
    rows = db.query(
        "SELECT * FROM action_updates WHERE action_id = ? ORDER BY at DESC, id DESC LIMIT 4", [action.id]
    )
    history = [update_row(r) for r in rows]
    lines = [_block(action, plan, today)]
    earlier = [u for u in history if u.rating_changed][:3]
    if earlier:
        lines.append("  Rating history:")
        for u in earlier:
            change = f"{u.previous_rating} → {u.new_rating}" if u.previous_rating else f"rated {u.new_rating}"
            lines.append(f"    {day_words(u.at.date(), 'no date')}: {change} ({u.who})")
    head = f"Action {action.ref} of the {plan.name} is {action.rating or 'not rated'}."
    return _compose(question, head, [("\n".join(lines), _citation(action, plan))], f"action {action.ref}")


def _changes(
    db: sqlite_utils.Database,
    question: str,
    ask: PlanQuestion,
    chosen: list[Action],
    plans: dict[str, Plan],
    said: list[str],
    where: str,
    note: str,
) -> Answer:
    since = ask.since or date.min
    ids = {a.id: a for a in chosen}
    strict = ask.since_words.startswith(
        "since the last"
    )  # updates made at the meeting itself are not "since"
    op = ">" if strict else ">="
    rows = db.query(f"SELECT * FROM action_updates WHERE substr(at, 1, 10) {op} ? ORDER BY at DESC, id DESC",
                    [since.isoformat()])  # fmt: skip
    by_action: dict[int, list[Update]] = {}
    for r in rows:
        if int(r["action_id"]) in ids:
            by_action.setdefault(int(r["action_id"]), []).append(update_row(r))
    what = " ".join([", ".join(said)] if said else []) or ""
    if not by_action:
        text = f"No action in the {where}{' that is ' + what if what else ''} has been updated {ask.since_words}.{note}"
        return Answer(question, False, text, "plan", Filters(date_from=since))
    blocks = []
    for a in sorted((ids[i] for i in by_action), key=lambda a: (a.plan, a.seq)):
        plan = plans[a.plan]
        lines = [f"{a.ref} [{a.rating or 'not rated'}] {a.action}"]
        for u in by_action[a.id][:3]:
            change = f"{u.previous_rating} → {u.new_rating}" if u.rating_changed and u.previous_rating else ""
            change = change or (
                f"rated {u.new_rating}" if u.previous_rating is None and u.new_rating else "update"
            )
            lines.append(
                f"  {day_words(u.at.date(), 'no date')}, {u.who}: {change}"
                + (f": “{u.note}”" if u.note else "")
            )
        blocks.append(("\n".join(lines), _citation(a, plan, by_action[a.id][0])))
    n = len(blocks)
    head = f"{n} action{'s' if n != 1 else ''} in the {where} changed {ask.since_words}" + (
        f" ({what})" if what else ""
    )
    return _compose(question, head + ":" + note, blocks, what or None)


# --- recommendations ----------------------------------------------------------------------------


def answer_recs_question(db: sqlite_utils.Database, question: str, *, today: date) -> Answer | None:
    """Answer "which of our recommendations are still open?"; None for questions about what was recommended."""
    low = fold(question)
    if not (_RECS.search(low) and _REC_STATE.search(low)):
        return None
    tracked = list_recommendations(db)
    if not tracked:
        return None  # nothing tracked: the minutes may still say what became of them
    wanted: tuple[str, ...] = OPEN_STATUSES
    what = "still open"
    for word, statuses, words in (
        (r"\bimplemented\b", ("implemented",), "implemented"),
        (r"\brejected\b", ("rejected",), "rejected"),
        (r"\bpart(?:ly|ially) accepted\b", ("partly accepted",), "partly accepted"),
        (r"\baccepted\b", ("accepted", "partly accepted"), "accepted or partly accepted"),
        (r"\bawaiting\b|\bno response\b|\bunanswered\b|\bnot (?:been )?responded\b|\bpending\b",
         ("awaiting response",), "awaiting a response"),
    ):  # fmt: skip
        if re.search(word, low):
            wanted, what = statuses, words
            break
    topic = _rec_topic(low)
    if topic:
        # "the response to the task group's recs on dementia": only the recommendations about that
        tracked = [r for r in tracked if _about(r, topic)]
        if not tracked:
            return None  # none tracked about it: the minutes may still say what became of them
    recs = [r for r in tracked if r.status in wanted]
    recs.sort(key=lambda r: (not r.response_overdue(today), r.meeting_date or date.max, r.id))
    if not recs:
        text = f"None of the {len(tracked)} recommendations I track is {what}."
        return Answer(question, False, text, "recommendations", Filters())
    late = sum(r.response_overdue(today) for r in recs)
    head = f"{len(recs)} of the {len(tracked)} recommendations I track {'are' if len(recs) != 1 else 'is'} {what}."
    if late:
        head += f" {late} {'have' if late != 1 else 'has'} had no response after two months."
    return _compose(
        question, head, [(_rec_block(r, today), r.citation()) for r in recs], what, "recommendations"
    )


#: Words of a question about the tracker itself, not about what the recommendations concern.
_TRACKER_WORDS = frozenset(
    """recommendation recommendations recs rec open outstanding still awaiting response responses responded
    implemented accepted rejected partly partially track tracker tracked tracking status progress unanswered
    pending our scrutiny committee committees made make executive cabinet overview happens happened""".split()
)


def _rec_topic(question: str) -> list[str]:
    """The words of a recommendations question that say what they are about (none for "which are open")."""
    return [w for w in content_words(question) if w not in _TRACKER_WORDS and not w.isdigit()]


def _about(r: Recommendation, topic: list[str]) -> bool:
    """Does a tracked recommendation (its words, item title or body) concern every topic word?"""
    hay = {stem(w) for w in re.findall(r"[a-z0-9&]+", fold(f"{r.text} {r.title} {r.body or ''}"))}
    for word in topic:
        forms = [word, *expand(word)]
        if not any(all(stem(x) in hay for x in re.findall(r"[a-z0-9&]+", fold(f))) for f in forms):
            return False
    return True


def _rec_block(r: Recommendation, today: date) -> str:
    flag = " — no response after two months" if r.response_overdue(today) else ""
    where = f"{r.body or 'body not stated'}, {day_words(r.meeting_date, 'no date')}: {r.title}"
    lines = [f"{r.ref} [{r.status}{flag}] {where}", f"  “{r.label + ') ' if r.label else ''}{r.text}”"]
    if r.response:
        lines.append(f"  Response ({day_words(r.response_date, 'no date')}): “{r.response}”")
    return "\n".join(lines)
