"""The two small values that carry chat: a transport-neutral request and reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from knowledge.models import Citation

__all__ = [
    "ROLES",
    "Attachment",
    "Choice",
    "ChoiceKind",
    "Notice",
    "Reply",
    "Request",
    "Section",
    "Visibility",
]

#: Roles from least to most privileged. An admin may do everything.
ROLES = ("member", "officer", "clerk", "admin")


class Visibility(StrEnum):
    """Who sees a reply: only the asker, or everyone in the channel."""

    ASKER = "asker"
    CHANNEL = "channel"


@dataclass(frozen=True)
class Request:
    """What somebody said to the bot, wherever they said it."""

    user_id: str
    text: str
    role: str = "member"
    display_name: str = ""
    channel_id: str = ""
    direct: bool = False
    thread: str | None = None
    audience: str = "public"  # who may read the channel: public, members or officers


class ChoiceKind(StrEnum):
    """What a choice offered with a reply does; transports render them (buttons, numbered lines)."""

    MORE = "more"  # the next page of a long answer (value: answer id and page)
    SHARE = "share"  # a private answer posted for the channel (value: answer id)
    FEEDBACK = "feedback"  # was the answer right? (value: answer id)
    EDIT = "edit"  # an officer's form for one plan action (value: the action, as the core reads it)
    COMMAND = "command"  # run a command for more (value: the command's text)


@dataclass(frozen=True)
class Choice:
    """Something the asker may do next with a reply; ``value`` is what the core needs to do it."""

    kind: ChoiceKind
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """One block of an answer: what it quotes or lists, the citations behind it, and the lines
    that show those citations in plain text (a transport with its own way of citing leaves them out)."""

    text: str  # never the citation lines
    citations: tuple[Citation, ...] = ()
    heading: str = ""  # "Cabinet, 15 December 2022, item 181: Title\nSource: https://…"
    choices: tuple[Choice, ...] = ()  # what may be done with this block alone (an action's form)


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply (a chart, a spreadsheet): uploaded in Slack, saved in a terminal."""

    filename: str
    content: bytes
    title: str = ""
    mimetype: str = "application/octet-stream"


@dataclass(frozen=True)
class Notice:
    """A short message the bot also posts elsewhere because of a request (e.g. to a plan's channel)."""

    channel: str
    text: str


@dataclass(frozen=True)
class Reply:
    """What the bot answers; adapters own all formatting."""

    text: str  # the whole reply as plain text
    sections: tuple[Section, ...] = field(default_factory=tuple)
    visibility: Visibility = Visibility.CHANNEL
    error_ref: str | None = None  # set when something went wrong and was logged under this reference
    attachments: tuple[Attachment, ...] = ()
    notices: tuple[Notice, ...] = ()
    head: str = ""  # with sections: what comes before them (notes, a summary)
    tail: str = ""  # with sections: what comes after them
    choices: tuple[Choice, ...] = ()  # what the asker may do next: more, share, feedback


