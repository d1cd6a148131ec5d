"""The `meetings` chat command: when bodies meet, from the calendar and the minutes."""

from __future__ import annotations

from knowledge.answers.meetings import describe_meetings

from .context import Context
from .messages import Reply, Request, Visibility
from .registry import Command, Registry

__all__ = ["meetings", "register_meeting_commands"]


def meetings(request: Request, context: Context) -> Reply:
    """Upcoming meetings, the next one of a body, or a month's meetings."""
    with context.database() as db:
        answer = describe_meetings(db, request.text, today=context.today())
    from .commands import reply_from_answer  # commands registers this module's command

    return reply_from_answer(answer, Visibility.ASKER if context.replies_private else Visibility.CHANNEL)


def register_meeting_commands(registry: Registry) -> None:
    """Add `meetings`."""
    registry.add(
        Command(
            name="meetings",
            summary="meetings in the next six weeks, the next meeting of a body, or a month's meetings",
            usage="meetings [BODY] [next or MONTH]",
            handler=meetings,
            examples=("meetings", "meetings cabinet next", "meetings improvement board march 2027"),
        )
    )
