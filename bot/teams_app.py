"""The Teams adapter: activities in, :class:`Request` to the core, its :class:`Reply` out as an Adaptive Card.

Build it with :func:`build_bot`; nothing happens at import. Questions come in a 1:1 chat with the bot
and as mentions in a channel or group chat (the mention is taken out of the text); the same command
registry answers them, in a thread of its own (the core is synchronous). Roles come from the sender's
Entra object id. A 1:1 chat is "direct" for exempt material; a channel or group chat never is, unless
the settings give it the officers' audience (:func:`handlers.access.may_see_restricted` decides).
Teams has no ephemeral messages: a reply meant for the asker alone, asked in a channel, goes to the
asker's 1:1 chat with the bot, and the channel is told so. The cards' buttons come back as
``adaptiveCard/action`` invokes; the core decides who may do what, as for Slack's buttons.
Each conversation's reference is stored as it is met, for reminders and notices later.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import uuid
from typing import Any

import aiohttp
from microsoft_agents.activity import Activity, ActivityTypes, AdaptiveCardInvokeResponse, DeliveryModes
from microsoft_agents.hosting.core import (
    AgentApplication,
    ApplicationOptions,
    Connections,
    MemoryStorage,
    TurnContext,
    TurnState,
)

from handlers.action_forms import ActionForm, open_form, submit_form
from handlers.answer_pages import rate_answer, share_answer, show_more
from handlers.commands import build_registry
from handlers.context import Context
from handlers.messages import ChoiceKind, Notice, Reply, Request, Visibility
from handlers.registry import Registry, apology
from knowledge.addresses import conversation_key
from knowledge.conversations import claim_delivery, forget_conversation, list_conversations
from knowledge.models import UserError
from knowledge.text import clean_text

from .teams_delivery import (
    TRANSPORT,
    NotReachable,
    card_activity,
    conversation_kind,
    message_activity,
    remember_turn,
    send_privately,
    send_to,
    user_id_of,
)
from .teams_format import (
    CARD_CONTENT_TYPE,
    VERB_COMMAND,
    VERB_EDIT,
    VERB_EDIT_SAVE,
    VERB_FEEDBACK,
    VERB_MORE,
    VERB_SHARE,
    action_form_card,
    reply_card,
)

__all__ = ["GREETING", "TeamsBot", "build_bot", "plain_text"]

log = logging.getLogger(__name__)

GREETING = ("Hello! Ask me about council meetings: what a committee decided or discussed, when a body meets next, "
            "its deadlines, or the improvement plan. Every answer quotes the minutes and says where from. "
            "In a channel, mention me with your question. Type help for my commands.")  # fmt: skip
_SENT_PRIVATELY = "I have sent you my answer in our 1:1 chat."
_NOT_PRIVATELY = ("I could not send you my answer privately: open a 1:1 chat with me (in Teams: Apps, then "
                  "Scrutiny bot) and ask me there.")  # fmt: skip
_UNREACHABLE = (NotReachable, aiohttp.ClientError, OSError)
_MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"
_AT = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^<>]{1,200}>")


def plain_text(text: str, bot_name: str | None = None) -> str:
    """What a person typed in Teams: other mentions as @name, a mention of the bot dropped, tags and
    entities undone, control characters removed, spaces collapsed."""

    def mention(m: re.Match[str]) -> str:
        name = m.group(1).strip()
        return "" if bot_name and name == bot_name else f"@{name}"

    undone = html.unescape(_TAG.sub(" ", _AT.sub(mention, text)))
    return " ".join(clean_text(undone).split())


def _message(text: str) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=_MESSAGE_RESPONSE, value=text)


def _card(card: dict[str, Any]) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=CARD_CONTENT_TYPE, value=card)


def _text_activity(text: str) -> Activity:
    return card_activity(Reply(text=text))


class TeamsBot:
    """The Agents SDK application and what it needs: the core's services and the command registry."""

    def __init__(self, services: Context, connections: Connections, registry: Registry | None = None) -> None:
        self.services = services
        self.registry = registry or build_registry()
        options = ApplicationOptions(
            storage=MemoryStorage(), start_typing_timer=False, remove_recipient_mention=True
        )
        self.app: AgentApplication[TurnState] = AgentApplication[TurnState](
            options, connection_manager=connections
        )
        self.app.adaptive_card.action_execute(re.compile(".*"))(self._on_card_action)
        self.app.activity(ActivityTypes.message)(self._on_message)
        self.app.activity(ActivityTypes.conversation_update)(self._on_conversation_update)
        self.app.activity(ActivityTypes.installation_update)(self._on_installation_update)
        self.app.error(self.on_error)

    # --- requests ---------------------------------------------------------------------------------

    def request_for(self, activity: Activity, text: str) -> Request:
        """The core's request for ``activity``: role by Entra object id, audience by conversation."""
        sender = activity.from_property
        return self.services.access.request(
            user_id=user_id_of(activity),
            text=text,
            channel_id=conversation_key(activity.conversation.id) if activity.conversation else "",
            direct=conversation_kind(activity) == "personal",
            thread=activity.conversation.id if activity.conversation else None,
            display_name=clean_text(sender.name or "") if sender else "",
        )

    async def _remember(self, context: TurnContext) -> None:
        await asyncio.to_thread(remember_turn, self.services.open_db, context, self.services.now())

    async def _first_delivery(self, activity: Activity) -> bool:
        """False for a delivery already handled (Teams retries a message it thinks was lost)."""
        if (
            not activity.id
            or activity.delivery_mode == DeliveryModes.expect_replies
            or not activity.conversation
        ):
            return True
        key = f"teams {conversation_key(activity.conversation.id)} {activity.id}"

        def claim() -> bool:
            with self.services.database() as db:
                return claim_delivery(db, key, self.services.now())

        return await asyncio.to_thread(claim)

    # --- messages ---------------------------------------------------------------------------------

    async def _on_message(self, context: TurnContext, state: TurnState) -> None:
        activity = context.activity
        recipient = activity.recipient.name if activity.recipient else None
        text = plain_text(activity.text or "", recipient)
        if not text and activity.value is not None:
            return  # a card's Action.Submit: this bot's cards use Action.Execute
        if not await self._first_delivery(activity):
            log.info("ignoring a repeated delivery of activity %s", activity.id)
            return
        await self._remember(context)
        request = self.request_for(activity, text)
        if request.direct and activity.delivery_mode != DeliveryModes.expect_replies:
            await context.send_activity(Activity(type=ActivityTypes.typing))
        reply = await asyncio.to_thread(self.registry.dispatch, request, self.services)
        await self.deliver(context, request, reply)

    async def deliver(self, context: TurnContext, request: Request, reply: Reply) -> None:
        """Send ``reply`` where it belongs (the asker's 1:1 chat when it is for them alone and was asked
        elsewhere), then post its notices."""
        share_to = await asyncio.to_thread(self._share_targets, request, reply)
        message = card_activity(reply, share_to=share_to)
        if reply.visibility is Visibility.ASKER and not request.direct:
            try:
                await send_privately(context, self.services.open_db, [message], self.services.now())
            except _UNREACHABLE as error:
                log.warning("could not reach %s in a 1:1 chat: %s", request.user_id, error)
                await context.send_activity(_text_activity(_NOT_PRIVATELY))
            else:
                await context.send_activity(_text_activity(_SENT_PRIVATELY))
        else:
            await context.send_activity(message)
        for notice in reply.notices:
            await self._post_notice(context, notice)

    async def _post_notice(self, context: TurnContext, notice: Notice) -> None:
        try:
            await send_to(
                context.adapter, self.services.open_db, notice.channel, [_text_activity(notice.text)]
            )
        except _UNREACHABLE as error:
            log.warning("could not post a notice to %s: %s", notice.channel, error)
            await context.send_activity(_text_activity(
                f"I could not also post this to channel {notice.channel}: add me there and try again, or pass "
                "the news on yourself."))  # fmt: skip

    def _share_targets(self, request: Request, reply: Reply | None = None) -> list[tuple[str, str]]:
        """Where a reply's Share may post (nowhere when it offers no Share): the channel a private answer
        was asked in, or, from a 1:1 chat, the channels and group chats the bot knows."""
        if reply is not None and not any(c.kind is ChoiceKind.SHARE for c in reply.choices):
            return []
        if not request.direct:
            return [(request.channel_id, "this channel")]
        with self.services.database() as db:
            known = list_conversations(db, TRANSPORT)
        return [(c.conversation_id, c.title or c.conversation_id) for c in known]

    # --- card buttons -------------------------------------------------------------------------------

    async def _on_card_action(
        self, context: TurnContext, state: TurnState, data: Any
    ) -> AdaptiveCardInvokeResponse:
        value = context.activity.value if isinstance(context.activity.value, dict) else {}
        verb = str((value.get("action") or {}).get("verb") or "")
        fields = (
            {k: str(v) for k, v in (data or {}).items() if isinstance(v, str | int)}
            if isinstance(data, dict)
            else {}
        )
        request = self.request_for(context.activity, "")
        try:
            await self._remember(context)
            return await self._act(context, request, verb, fields)
        except UserError as exc:
            return _message(str(exc))
        except Exception as error:  # the card's one error handler: log it, apologise to the presser
            ref = uuid.uuid4().hex[:8]
            log.error("unexpected error, reference %s, handling the %s button for %s", ref, verb, request.user_id,
                      exc_info=error)  # fmt: skip
            return _message(apology(ref).text)

    async def _act(
        self, context: TurnContext, request: Request, verb: str, data: dict[str, str]
    ) -> AdaptiveCardInvokeResponse:
        services = self.services
        if verb == VERB_MORE:
            reply = await asyncio.to_thread(
                show_more, request, services, data.get("value", ""), from_first=True
            )
            share_to = await asyncio.to_thread(self._share_targets, request, reply)
            return _card(reply_card(reply, share_to=share_to))
        if verb == VERB_SHARE:
            return await self._share(context, request, data.get("answer", ""), data.get("channel", ""))
        if verb == VERB_FEEDBACK:
            rating = data.get("rating", "")
            if rating not in ("good", "bad"):
                raise UserError("That button is out of date: ask me again.")
            rated = await asyncio.to_thread(rate_answer, request, services, data.get("answer", ""), rating,
                                            data.get("note", ""))  # fmt: skip
            return _message(rated.reply.text)
        if verb == VERB_EDIT:
            form = await asyncio.to_thread(open_form, request, services, data.get("value", ""))
            if request.direct:
                return _card(action_form_card(form))
            await send_privately(context, services.open_db, [_form_activity(form)], services.now())
            return _message(f"I have sent you the form for action {form.ref} in our 1:1 chat.")
        if verb == VERB_EDIT_SAVE:
            reply = await asyncio.to_thread(
                lambda: submit_form(request, services, data.get("value", ""), rating=data.get("rating") or None,
                                    note=data.get("note", ""), evidence=data.get("evidence", "")))  # fmt: skip
            for notice in reply.notices:
                await self._post_notice(context, notice)
            return _card(reply_card(reply))
        if verb == VERB_COMMAND:
            command = self.request_for(context.activity, data.get("value", ""))
            reply = await asyncio.to_thread(self.registry.dispatch, command, services)
            await self.deliver(context, command, reply)
            return _message("Done.")
        raise UserError("That button is out of date: ask me again.")

    async def _share(
        self, context: TurnContext, request: Request, answer_id: str, channel: str
    ) -> AdaptiveCardInvokeResponse:
        key = conversation_key(channel)
        targets = dict(await asyncio.to_thread(self._share_targets, request))
        if request.direct and key not in targets:
            raise UserError("Pick a channel I have been added to.")
        if not request.direct and key != request.channel_id:
            raise UserError("That button is out of date: ask me again.")
        reply = await asyncio.to_thread(share_answer, request, self.services, answer_id, key)
        try:
            await send_to(context.adapter, self.services.open_db, key, [card_activity(reply)])
        except _UNREACHABLE as error:
            log.warning("could not share an answer in %s: %s", key, error)
            raise UserError("I could not post there: add me to that channel and try again.") from None
        return _message(f"Shared in {targets.get(key) or 'the channel'}.")

    # --- installs -----------------------------------------------------------------------------------

    async def _on_conversation_update(self, context: TurnContext, state: TurnState) -> None:
        activity = context.activity
        me = activity.recipient.id if activity.recipient else None
        if any(m.id == me for m in activity.members_removed or []):
            await self._forget(activity)
            return
        await self._remember(context)
        added = any(m.id == me for m in activity.members_added or [])
        if added and conversation_kind(activity) == "personal":
            await context.send_activity(_text_activity(GREETING))

    async def _on_installation_update(self, context: TurnContext, state: TurnState) -> None:
        action = str(context.activity.action or "")
        if action.startswith("remove"):
            await self._forget(context.activity)
        else:
            await self._remember(context)

    async def _forget(self, activity: Activity) -> None:
        if not activity.conversation:
            return
        key = conversation_key(activity.conversation.id)

        def forget() -> None:
            with self.services.database() as db:
                forget_conversation(db, TRANSPORT, key)

        await asyncio.to_thread(forget)
        log.info("removed from Teams conversation %s", key)

    # --- errors -------------------------------------------------------------------------------------

    async def on_error(self, context: TurnContext, error: Exception) -> None:
        """The one error handler: the traceback to the log under a reference, an apology to the asker."""
        ref = uuid.uuid4().hex[:8]
        activity = context.activity
        log.error("unexpected error, reference %s, handling %s %s from %s", ref, activity.type, activity.id,
                  user_id_of(activity) if activity.from_property else "nobody", exc_info=error)  # fmt: skip
        if activity.type != ActivityTypes.message:
            return
        try:
            await context.send_activity(card_activity(apology(ref)))
        except Exception:  # the one place that must not raise: the apology itself failed
            log.exception("could not send the apology for reference %s", ref)


def _form_activity(form: ActionForm) -> Activity:
    return message_activity(action_form_card(form), f"Action {form.ref}: {form.action}")


def build_bot(services: Context, connections: Connections, registry: Registry | None = None) -> TeamsBot:
    """The Teams bot over ``services``; ``connections`` is the SDK's connection manager."""
    return TeamsBot(services, connections, registry)
