"""Chat commands for improvement plans and the recommendations tracker: status, progress, report, recs."""

from __future__ import annotations

import re

from knowledge.minutes.recs import (
    STATUSES,
    Recommendation,
    list_recommendations,
    open_recommendations,
    read_rec_status,
    set_rec_status,
    sync_recommendations,
)
from knowledge.models import Citation, UserError
from knowledge.plans.actions import list_actions, list_plans
from knowledge.plans.reports import build_report, report_csv, report_png, report_text, report_xlsx
from knowledge.plans.status import StatusChange, add_update, read_status_text, set_status
from knowledge.text import day_words

from .context import Context
from .messages import Attachment, Notice, Reply, Request, Section, Visibility
from .registry import Command, Registry, takes_no_words

__all__ = ["confirmation", "register_plan_commands"]

_PROGRESS = "update"  # the command's name, kept out of prose
_REF = re.compile(r"^(?:[A-Za-z]{1,8}:)?[A-Za-z]{0,4}[0-9]")
_REC_REF = re.compile(r"^(?:r|rec|#)?[0-9]+$", re.I)
_NOT_A_PLAN = {"on", "about", "of", "from", "for", "to", "by", "in", "what", "that", "back", "it", "the"}
_FORMATS = {
    "png": ("image/png", report_png),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", report_xlsx),
    "csv": ("text/csv", report_csv),
}


def _starts_with_ref(rest: str) -> bool:
    return bool(_REF.match(rest.strip()))


def _names(request: Request, context: Context) -> tuple[str, str]:
    """The configured name (it decides who owns an action) and the name the history records."""
    configured = context.access.names.get(request.user_id, "")
    return configured, configured or request.display_name or request.user_id


def confirmation(change: StatusChange, request: Request, who: str) -> Reply:
    """What the officer is told when an action's rating or progress is recorded, with the plan channel's notice."""
    a, u = change.action, change.update
    rated = f"is now {u.new_rating} (was {u.previous_rating or 'not rated'})" if u.rating_changed else (
        f"stays {a.rating or 'not rated'}")  # fmt: skip
    lines = [f"Recorded: action {a.ref} of the {change.plan.name} {rated}.", f"“{a.action}”"]
    if u.note:
        lines.append(f"Note: “{u.note}”")
    notices: tuple[Notice, ...] = ()
    if change.plan.channel:
        what = (
            f"is now {u.new_rating} (was {u.previous_rating or 'not rated'})"
            if u.rating_changed
            else "has news"
        )
        text = f"Action {a.ref} ({a.action}) {what}, from {who}: “{u.note}”"
        notices = (Notice(channel=change.plan.channel, text=text),)
        lines.append("I have posted a notice in the plan's channel.")
    cite = Citation(None, change.plan.name, u.at.date(), a.ref, a.action, a.evidence, quote=u.note)
    text = "\n".join(lines)
    return Reply(text=text, sections=(Section(text, (cite,)),), visibility=Visibility.ASKER, notices=notices)


def status(request: Request, context: Context) -> Reply:
    """Rate an action: ``status REF RATING NOTE``."""
    configured, who = _names(request, context)
    with context.database() as db:
        ref, rating, note = read_status_text(db, request.text)
        change = set_status(db, ref, rating, note, user_id=request.user_id, role=request.role, now=context.now(),
                            user_name=configured, by_name=who)  # fmt: skip
    return confirmation(change, request, who)


def progress(request: Request, context: Context) -> Reply:
    """Record progress on an action without changing its rating: ``update REF NOTE``."""
    configured, who = _names(request, context)
    words = request.text.split(None, 1)
    if not words:
        raise UserError(
            f"Say which action and what has happened, like: {_PROGRESS} 4.2 the second cohort has started"
        )
    with context.database() as db:
        change = add_update(db, words[0], words[1] if len(words) > 1 else "", user_id=request.user_id,
                            role=request.role, now=context.now(), user_name=configured, by_name=who)  # fmt: skip
    return confirmation(change, request, who)


def report(request: Request, context: Context) -> Reply:
    """A plan's report as text, with a chart (or ``xlsx``/``csv``) attached."""
    words = request.text.split()
    fmt = "png"
    if words and words[-1].lower().lstrip(".") in _FORMATS:
        fmt = words.pop().lower().lstrip(".")
    with context.database() as db:
        built = build_report(db, " ".join(words) or None, context.today())
    mimetype, render = _FORMATS[fmt]
    stem = re.sub(r"[^a-z0-9]+", "-", built.plan.name.lower().replace("'", "")).strip("-")
    attachment = Attachment(f"{stem}-{built.today.isoformat()}.{fmt}", render(built), title=built.plan.name,
                            mimetype=mimetype)  # fmt: skip
    private = context.replies_private
    return Reply(text=report_text(built), visibility=Visibility.ASKER if private else Visibility.CHANNEL,
                 attachments=(attachment,))  # fmt: skip


def plans(request: Request, context: Context) -> Reply:
    """The plans, their rating keys and who may rate their actions."""
    with context.database() as db:
        found = list_plans(db)
        counts = {p.name: len(list_actions(db, p)) for p in found}
    if not found:
        raise UserError("No improvement plan has been imported yet. An officer can import one with "
                        "`scrutiny-bot plan import FILE --plan NAME`.")  # fmt: skip
    lines = []
    for p in found:
        who = (
            "only each action's owner (and clerks and admins)"
            if p.owner_only
            else "officers, clerks and admins"
        )
        channel = f"; changes are announced in {p.channel}" if p.channel else ""
        lines.append(f"• {p.name} ({p.code}): {counts[p.name]} actions; ratings {p.key.describe()}; "
                     f"rated by {who}{channel}.")  # fmt: skip
    return Reply(text="\n".join(lines), visibility=Visibility.ASKER)


def _rec_line(r: Recommendation, today_flag: bool) -> str:
    flag = " — no response after two months" if today_flag else ""
    when = day_words(r.meeting_date)
    label = f"{r.label}) " if r.label else ""
    line = f"{r.ref} [{r.status}{flag}] {r.body or 'body not stated'}, {when}: {label}{r.text}"
    if r.response:
        line += f"\n  Response: “{r.response}”"
    return line


def recs(request: Request, context: Context) -> Reply:
    """The tracked recommendations: ``recs`` (all) or ``recs open``."""
    only_open = request.text.strip().lower().lstrip("-") == "open"
    today = context.today()
    with context.database() as db:
        sync_recommendations(db)
        found = open_recommendations(db, today) if only_open else list_recommendations(db)
    if not found:
        what = "open recommendations" if only_open else "recommendations"
        return Reply(text=f"I track no {what}: none of the minutes I hold records one that is.",
                     visibility=Visibility.ASKER)  # fmt: skip
    late = sum(r.response_overdue(today) for r in found)
    head = f"{len(found)} {'open ' if only_open else ''}recommendation{'s' if len(found) != 1 else ''}"
    head += f"; {late} with no response after two months." if late else "."
    sections = tuple(Section(_rec_line(r, r.response_overdue(today)), (r.citation(),)) for r in found)
    text = head + "\n\n" + "\n\n".join(s.text for s in sections)
    private = context.replies_private
    visibility = Visibility.ASKER if private else Visibility.CHANNEL
    return Reply(text=text, sections=sections, visibility=visibility, head=head)


def rec(request: Request, context: Context) -> Reply:
    """Record the executive's response: ``rec R3 partly accepted RESPONSE``."""
    words = request.text.split(None, 1)
    if len(words) < 2:
        raise UserError(f"Say which recommendation and its status ({', '.join(STATUSES)}), like: "
                        "rec R3 accepted Cabinet agreed it on 15 December")  # fmt: skip
    status_, response = read_rec_status(words[1])
    configured, who = _names(request, context)
    with context.database() as db:
        sync_recommendations(db)
        r = set_rec_status(db, words[0], status_, response, user_id=request.user_id, role=request.role,
                           now=context.now(), user_name=who)  # fmt: skip
    text = f"Recorded: {r.ref} is now {r.status}." + (f" Response: “{r.response}”" if response else "")
    return Reply(text=text, sections=(Section(text, (r.citation(),)),), visibility=Visibility.ASKER)


def register_plan_commands(registry: Registry) -> None:
    """Add the plan and recommendation commands to ``registry``."""
    registry.add(Command(
        name="status", summary="rate an improvement-plan action (a change of rating needs a note)",
        usage="status REF RATING NOTE", handler=status, role="officer", accepts=_starts_with_ref,
        examples=("status 4.2 Red agency rates cap delayed again", "status 2.3 amber audit moved to December"),
    ))  # fmt: skip
    registry.add(Command(
        name=_PROGRESS, summary="record progress on an action without changing its rating",
        usage=f"{_PROGRESS} REF NOTE", handler=progress, role="officer", accepts=_starts_with_ref,
        examples=(f"{_PROGRESS} 4.3 a fourth cohort starts in January",),
    ))  # fmt: skip
    registry.add(Command(
        name="report", summary="a plan's ratings by theme, red and overdue actions and flags, with a chart "
        "(or with the spreadsheet when FORMAT is xlsx or csv)",
        usage="report [PLAN] [FORMAT]", handler=report,
        accepts=lambda rest: not rest or rest.split()[0].lower() not in _NOT_A_PLAN,
        examples=("report", "report xlsx"),
    ))  # fmt: skip
    registry.add(Command(
        name="plans", summary="the improvement plans, their rating keys and who may rate them",
        usage="plans", handler=plans, examples=("plans",), accepts=takes_no_words,
    ))  # fmt: skip
    registry.add(Command(
        name="recs", summary="scrutiny recommendations and the executive's responses",
        usage="recs [open]", handler=recs, examples=("recs open",),
        accepts=lambda rest: rest.strip().lower().lstrip("-") in ("", "open", "all"),
    ))  # fmt: skip
    registry.add(Command(
        name="rec", summary="record the executive's response to a recommendation",
        usage="rec REF STATUS [RESPONSE]", handler=rec, role="officer",
        accepts=lambda rest: bool(rest.split() and _REC_REF.match(rest.split()[0])),
        examples=("rec R3 partly accepted Cabinet agreed part (a) only",),
    ))  # fmt: skip
