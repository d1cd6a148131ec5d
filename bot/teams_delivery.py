"""How the bot reaches Teams conversations unprompted: stored references, 1:1 chats, reminders.

Every conversation the bot is installed in or spoken to is remembered (:mod:`knowledge.conversations`)
with the Agents SDK's own serialisation (``Conversation``: the reference and the claims it came
with); a channel's reference is kept without its thread, so what is sent later starts a new post.
:func:`send_to` continues a stored conversation (``continue_conversation_with_claims``): that is how
reminders, notices and shared answers arrive. :func:`send_privately` reaches a person's own 1:1 chat,
creating it through the turn's connector when the bot has none stored. :class:`TeamsNotifier` is
the scheduler's notifier: it runs each send to completion on its own event loop, in the scheduler's
thread, and never blocks the web server's loop.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from microsoft_agents.activity import Activity, ChannelAccount, ConversationParameters
from microsoft_agents.hosting.core import ChannelAdapter, ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.app.proactive import Conversation
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from handlers.messages import Attachment, Reply
from knowledge.addresses import conversation_key, entra_object_id, is_teams_address
from knowledge.conversations import KnownConversation, find_conversation, remember_conversation

from .teams_format import CARD_CONTENT_TYPE, reply_card, summary

__all__ = [
    "TRANSPORT",
    "NotReachable",
    "TeamsNotifier",
    "card_activity",
    "conversation_kind",
    "message_activity",
    "remember_turn",
    "send_privately",
    "send_to",
    "user_id_of",
]

log = logging.getLogger(__name__)

#: The send log's and the conversations table's name for this transport.
TRANSPORT = "teams"
_KINDS = {"personal": "personal", "channel": "channel", "groupChat": "group"}
_REMINDER = "⏰ Reminder: "
#: The bot writes British English.
LOCALE = "en-GB"


class NotReachable(LookupError):
    """The bot knows no conversation for a channel or a person (never installed there, never spoken to)."""


def conversation_kind(activity: Activity) -> str:
    """personal, channel or group; a conversation Teams did not describe counts as a group (never 1:1)."""
    kind = activity.conversation.conversation_type if activity.conversation else None
    return _KINDS.get(kind or "", "group")


def user_id_of(activity: Activity) -> str:
    """Who sent ``activity``: the Entra object id Teams gives (roles are keyed by it), lower-case when a
    GUID; without one, the channel's own id prefixed by the channel, which no role ever names."""
    sender = activity.from_property
    aad = (sender.aad_object_id or "").strip() if sender else ""
    if aad:
        return entra_object_id(aad) or aad
    return f"{activity.channel_id}:{sender.id if sender else ''}"


def _title(activity: Activity) -> str | None:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = (data.get("team") or {}).get("name")
    channel = (data.get("channel") or {}).get("name")
    names = [n for n in (team, channel) if isinstance(n, str) and n.strip()]
    if names:
        return " / ".join(n.strip() for n in names)
    name = activity.conversation.name if activity.conversation else None
    return name.strip() if isinstance(name, str) and name.strip() else None


def _reference_json(activity: Activity, identity: ClaimsIdentity | None, key: str, kind: str) -> str:
    stored = Conversation(identity or {}, activity.get_conversation_reference())  # as from_turn_context does
    reference = stored.conversation_reference
    reference.conversation = reference.conversation.model_copy(update={"id": key})
    reference.activity_id = None  # a new post, not a reply to whatever was said then
    reference.request_id = None
    if kind != "personal":
        reference.user = None  # whoever spoke last is not part of where the channel is
    data = stored.store_item_to_json()
    data.pop("_span_context", None)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def remember_turn(open_db: Callable[[], Any], context: TurnContext, now: datetime) -> bool:
    """Store the reference of the conversation ``context`` is in (sync: call it in a thread); True if new
    or changed. Nothing is stored for an activity without a service URL (a reply could not go there)."""
    return _remember(open_db, context.activity, context.identity, now)


def _remember(
    open_db: Callable[[], Any], activity: Activity, identity: ClaimsIdentity | None, now: datetime
) -> bool:
    if not activity.service_url or not activity.conversation or not activity.conversation.id:
        return False
    kind = conversation_kind(activity)
    key = conversation_key(activity.conversation.id)
    user = user_id_of(activity) if kind == "personal" else None
    db = open_db()
    try:
        return remember_conversation(db, transport=TRANSPORT, conversation_id=key, kind=kind,
                                     reference=_reference_json(activity, identity, key, kind), now=now, user_id=user,
                                     title=_title(activity))  # fmt: skip
    finally:
        db.close()


def message_activity(card: dict[str, Any], summary_line: str, files: Sequence[Attachment] = ()) -> Activity:
    """A message activity carrying ``card``, with ``files`` as attachments (data: URLs)."""
    attachments: list[dict[str, Any]] = [{"contentType": CARD_CONTENT_TYPE, "content": card}]
    for file in files:
        data = base64.b64encode(file.content).decode("ascii")
        attachments.append({"contentType": file.mimetype, "contentUrl": f"data:{file.mimetype};base64,{data}",
                            "name": file.filename})  # fmt: skip
    return Activity.model_validate(
        {"type": "message", "summary": summary_line, "attachments": attachments, "locale": LOCALE}
    )  # the conversation's own locale wins when it has one


def card_activity(reply: Reply, *, share_to: Sequence[tuple[str, str]] = ()) -> Activity:
    """A message activity carrying ``reply`` as an Adaptive Card, with its files as attachments."""
    return message_activity(reply_card(reply, share_to=share_to), summary(reply), reply.attachments)


async def _continue(
    adapter: ChannelAdapter, stored: KnownConversation, activities: Sequence[Activity]
) -> None:
    data = json.loads(stored.reference)
    conversation = Conversation.from_json_to_store_item(data)
    claims = Conversation.identity_from_claims(conversation.claims)
    failure: list[BaseException] = []

    async def deliver(context: TurnContext) -> None:
        try:
            await context.send_activities([a.model_copy(deep=True) for a in activities])
        except Exception as error:  # the adapter logs and swallows it otherwise
            failure.append(error)

    continuation = conversation.conversation_reference.get_continuation_activity()
    await adapter.continue_conversation_with_claims(claims, continuation, deliver)
    if failure:
        raise failure[0]


def _find(open_db: Callable[[], Any], target: str) -> KnownConversation | None:
    db = open_db()
    try:
        return find_conversation(db, TRANSPORT, target)
    finally:
        db.close()


async def send_to(adapter: ChannelAdapter, open_db: Callable[[], Any], target: str,
                  activities: Sequence[Activity]) -> KnownConversation:  # fmt: skip
    """Send ``activities`` to the conversation ``target`` names (a conversation id, or a person's Entra
    object id for their 1:1 chat); :class:`NotReachable` when the bot knows none."""
    stored = await asyncio.to_thread(_find, open_db, conversation_key(target))
    if stored is None:
        raise NotReachable(f"I have no Teams conversation for {target}: add me there (or, for a person, "
                           "have them open a chat with me) first.")  # fmt: skip
    await _continue(adapter, stored, activities)
    return stored


async def send_privately(context: TurnContext, open_db: Callable[[], Any], activities: Sequence[Activity],
                         now: datetime) -> None:  # fmt: skip
    """Send ``activities`` to the sender's own 1:1 chat with the bot: the stored one, else one created
    through this turn's connector (and then stored). :class:`NotReachable` when neither can be had."""
    activity = context.activity
    user = user_id_of(activity)
    stored = await asyncio.to_thread(_find, open_db, user)
    if stored is not None and stored.kind == "personal":
        await _continue(context.adapter, stored, activities)
        return
    connector = context.services.get(ConnectorClientBase)  # type: ignore[type-abstract]  # the SDK's key
    if connector is None or activity.from_property is None or activity.conversation is None:
        raise NotReachable("no 1:1 chat with this person is known, and no connector to open one")
    tenant = activity.conversation.tenant_id
    parameters: dict[str, Any] = {
        "isGroup": False,
        "bot": activity.recipient,
        "members": [ChannelAccount(id=activity.from_property.id)],
    }
    if tenant:
        parameters |= {"tenantId": tenant, "channelData": {"tenant": {"id": tenant}}}
    created = await connector.conversations.create_conversation(
        ConversationParameters.model_validate(parameters)
    )
    if not created.id:
        raise NotReachable("Teams did not open a 1:1 chat")
    personal = activity.model_copy(deep=True, update={
        "conversation": activity.conversation.model_copy(update={"id": created.id, "conversation_type": "personal",
                                                                 "is_group": False, "name": None}),
        "channel_data": None})  # fmt: skip
    await asyncio.to_thread(_remember, open_db, personal, context.identity, now)
    for outgoing in activities:
        message = outgoing.model_copy(deep=True)
        message.apply_conversation_reference(personal.get_conversation_reference())
        message = message.model_copy(update={"reply_to_id": None})  # a new message, not a reply
        await connector.conversations.send_to_conversation(created.id, message)


class TeamsNotifier:
    """Sends reminders to Teams: a channel or group chat by its id, a person by Entra object id (in their
    1:1 chat with the bot). It can reach only what the bot was installed in or spoken to."""

    def __init__(self, adapter: ChannelAdapter, open_db: Callable[[], Any]) -> None:
        self.adapter = adapter
        self.open_db = open_db

    def accepts(self, to: str) -> bool:
        """True for a Teams recipient (a Slack channel or user is left for the Slack app)."""
        return is_teams_address(to) or _find(self.open_db, conversation_key(to)) is not None

    def send(self, to: str, text: str) -> None:
        """Send one reminder, waiting for Teams to take it."""
        reply = Reply(text=_REMINDER + text)
        asyncio.run(send_to(self.adapter, self.open_db, to, [card_activity(reply)]))
