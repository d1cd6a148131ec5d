"""Who and where, as the chat platforms write them: Slack ids, Entra object ids, Teams conversation ids.

Plain string shapes, no chat library: the settings file, the reminders and the transports all read
ids through here, so a person or a channel is recognised the same way everywhere. An Entra object
id (what Teams sends as ``aadObjectId``) is a GUID and is kept lower-case; a Teams conversation id
is kept without the ``;messageid=...`` that names one thread of a channel.
"""

from __future__ import annotations

import re

__all__ = [
    "ENTRA_EXAMPLE",
    "TEAMS_CHANNEL_EXAMPLE",
    "conversation_key",
    "entra_object_id",
    "is_teams_address",
    "slack_channel_id",
    "slack_user_id",
    "teams_conversation_id",
]

#: Examples for messages about ids (made up).
ENTRA_EXAMPLE = "8f0c5a1e-2b3d-4c5e-9f60-7a8b9c0d1e2f"
TEAMS_CHANNEL_EXAMPLE = "19:a1b2c3d4e5f6@thread.tacv2"

_SLACK_USER = re.compile(r"[UW][A-Z0-9]+")
_SLACK_CHANNEL = re.compile(r"[CG][A-Z0-9]+")
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
#: A channel (``@thread.tacv2``, older ``@thread.skype``) or a group or meeting chat (``@thread.v2``).
_TEAMS_THREAD = re.compile(r"19:[\w.=-]+@thread\.[a-z0-9]+")


def slack_user_id(text: str) -> str | None:
    """``text`` if it is a Slack user id (``U0123ABCD``, ``W0123ABCD``), else None."""
    word = text.strip()
    return word if _SLACK_USER.fullmatch(word) else None


def slack_channel_id(text: str) -> str | None:
    """``text`` if it is a Slack channel id (``C0123ABCD``, ``G0123ABCD``), else None."""
    word = text.strip()
    return word if _SLACK_CHANNEL.fullmatch(word) else None


def entra_object_id(text: str) -> str | None:
    """``text`` as an Entra object id (a GUID, lower-case), or None if it is not one."""
    word = text.strip()
    return word.lower() if _GUID.fullmatch(word) else None


def conversation_key(conversation_id: str) -> str:
    """A Teams conversation id without the thread it names: ``19:x@thread.tacv2;messageid=1`` -> ``19:x@thread.tacv2``."""
    return conversation_id.strip().split(";", 1)[0]


def teams_conversation_id(text: str) -> str | None:
    """``text`` as a Teams channel or group chat id (without any thread part), or None."""
    key = conversation_key(text)
    return key if _TEAMS_THREAD.fullmatch(key) else None


def is_teams_address(to: str) -> bool:
    """True when a reminder's target is a Teams conversation or a person by Entra object id."""
    return bool(entra_object_id(to) or teams_conversation_id(to))
