"""The chat commands of this issue: help, ask, share, whoami and roles."""

from __future__ import annotations

from knowledge.models import Answer, UserError

from .access import may_see_restricted
from .action_forms import register_action_commands
from .answer_pages import EXEMPT_NOTE, offer
from .context import Context
from .deadline_commands import register_deadline_commands
from .meeting_commands import register_meeting_commands
from .messages import ROLES, Reply, Request, Section, Visibility
from .plan_commands import register_plan_commands
from .registry import Command, Registry, indefinite, takes_no_words
from .reminder_commands import register_reminder_commands

__all__ = ["ask", "build_registry", "reply_from_answer", "roles", "share", "whoami"]

_EXAMPLE = "what did cabinet resolve in Dec 2022"
_ROLE_TITLES = {"officer": "Officers", "clerk": "Clerks", "admin": "Admins"}


def reply_from_answer(answer: Answer, visibility: Visibility) -> Reply:
    """A reply carrying an answer's text and its sections with their citations.

    When the answer quotes exempt (Part 2) items, a last section names them.
    """
    sections = tuple(Section(p.body, p.citations, p.heading) for p in answer.parts)
    head, tail = (answer.head, answer.tail) if sections else ("", "")
    if answer.citations and not sections:
        sections = (Section(answer.text, tuple(answer.citations)),)
    text = answer.text
    exempt = [c for c in answer.citations if c.restricted]
    if exempt:
        names = "; ".join(f"{c.body or 'body not stated'}, item {c.item or '?'}: {c.title}" for c in exempt)
        note = f"{EXEMPT_NOTE}{names}."
        sections += (Section(note),)
        text = f"{text}\n\n{note}"
    return Reply(text=text, sections=sections, visibility=visibility, head=head, tail=tail)


def _answer(request: Request, context: Context, question: str, *, share: bool) -> Reply:
    if not question:
        raise UserError(f"What would you like to know? For example: {_EXAMPLE}")
    with context.database() as db:
        answer = context.ask(
            db, question, today=context.today(), include_restricted=may_see_restricted(request),
            council=context.council,
        )  # fmt: skip
    private = context.replies_private and not share
    reply = reply_from_answer(answer, Visibility.ASKER if private else Visibility.CHANNEL)
    return offer(reply, request, context, question)


def ask(request: Request, context: Context) -> Reply:
    """Answer a question from the minutes; ``--share`` first makes a private answer public."""
    question = request.text.strip()
    share = question.startswith("--share")
    if share:
        question = question.removeprefix("--share").strip()
    return _answer(request, context, question, share=share)


def share(request: Request, context: Context) -> Reply:
    """Answer a question for everyone in the channel."""
    return _answer(request, context, request.text.strip(), share=True)


def whoami(request: Request, context: Context) -> Reply:
    """Say who the bot thinks the asker is, and what that means here."""
    name = request.display_name or request.user_id
    who = f"{name} ({request.user_id})" if request.display_name else request.user_id
    role = request.role if request.role in ROLES else "member"
    if request.direct:
        where = "In a direct conversation with me,"
    else:
        where = f"In this channel ({request.channel_id}, audience: {request.audience}),"
    exempt = "may" if may_see_restricted(request) else "never"
    lines = [
        f"You are {who}, and I have you down as {indefinite(role)} {role}.",
        f"{where} my answers {exempt} quote exempt (Part 2) material.",
    ]
    return Reply(text="\n".join(lines), visibility=Visibility.ASKER)


def roles(request: Request, context: Context) -> Reply:
    """List the configured officers, clerks and admins, and the channels' audiences."""
    access = context.access
    lines = []
    for role in ROLES[1:]:
        people = sorted(u for u, r in access.roles.items() if r == role)
        named = [f"{access.names[u]} ({u})" if u in access.names else u for u in people]
        lines.append(f"{_ROLE_TITLES[role]}: {', '.join(named) or 'none'}")
    channels = sorted(access.audiences.items())
    lines.append("Channels: " + (", ".join(f"{c} ({a})" for c, a in channels) or "none configured"))
    lines.append("Everybody else is a member; a channel not listed is public.")
    return Reply(text="\n".join(lines), visibility=Visibility.ASKER)


def _help(registry: Registry) -> Command:
    def help_(request: Request, context: Context) -> Reply:
        topic = request.text.strip().lower()
        command = registry.get(topic) if topic else None
        prefix = context.command_prefix
        if command is not None:
            text = registry.command_help(command, prefix=prefix)
        else:
            text = registry.help_text(request.role, prefix=prefix)
        return Reply(text=text, visibility=Visibility.ASKER)

    return Command(
        name="help",
        summary="what I can do, or how to use one command",
        usage="help [COMMAND]",
        handler=help_,
        examples=("help", "help ask"),
        accepts=lambda rest: not rest or rest.lower() in registry,
    )


def build_registry() -> Registry:
    """The registry with this issue's commands; later features add theirs with ``registry.add``."""
    registry = Registry(fallback="ask")
    registry.add(_help(registry))
    registry.add(
        Command(
            name="ask",
            summary="answer a question from the minutes, with quotes and citations",
            usage="ask [--share] QUESTION",
            handler=ask,
            examples=(f"ask {_EXAMPLE}", "ask --share when did the board discuss recruitment"),
        )
    )
    registry.add(
        Command(
            name="share",
            summary="answer a question for everyone in the channel, not just you",
            usage="share QUESTION",
            handler=share,
            examples=("share what did cabinet decide about the improvement plan",),
        )
    )
    registry.add(
        Command(
            name="whoami",
            summary="who I think you are, and whether I may quote exempt material here",
            usage="whoami",
            handler=whoami,
            examples=("whoami",),
            accepts=takes_no_words,
        )
    )
    registry.add(
        Command(
            name="roles",
            summary="the configured officers, clerks and admins and the channels' audiences",
            usage="roles",
            handler=roles,
            examples=("roles",),
            role="clerk",
            accepts=takes_no_words,
        )
    )
    register_meeting_commands(registry)
    register_deadline_commands(registry)
    register_reminder_commands(registry)
    register_plan_commands(registry)
    register_action_commands(registry)
    return registry
