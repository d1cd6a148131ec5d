"""Slack's interactive side: buttons, modals, the message shortcut and assistant threads.

Each listener converts the payload to a :class:`~handlers.messages.Request`, calls the core
(:mod:`handlers.answer_pages`, :mod:`handlers.action_forms`, the registry) and renders what it
returns; the core decides who may do what. A :class:`~knowledge.models.UserError` is told to the
person (ephemerally, or as a modal's field error); anything else goes to the app's one error handler.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slack_bolt import Ack, App, Assistant, BoltContext
from slack_bolt.middleware import CustomMiddleware
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.action_forms import open_form, submit_form
from handlers.answer_pages import note_feedback, rate_answer, share_answer, show_more
from handlers.context import Context
from handlers.home import PanelFn, build_home
from handlers.messages import Reply, Request, Visibility
from handlers.registry import Registry
from knowledge.models import UserError

from .slack_delivery import delete_original, deliver, plain_text, post_notices, respond, send
from .slack_format import ACTION_COMMAND, ACTION_EDIT, ACTION_FEEDBACK, ACTION_MORE, ACTION_SHARE, home_view
from .slack_guard import ResponseUrls
from .slack_views import (
    CALLBACK_ACTION,
    CALLBACK_FEEDBACK,
    CALLBACK_SHARE,
    action_form_view,
    feedback_view,
    field,
    message_view,
    share_view,
)

__all__ = ["SHORTCUT_FIND", "SUGGESTED_PROMPTS", "register_actions", "register_assistant"]

log = logging.getLogger(__name__)

#: The message shortcut's callback id (slack/manifest.yml).
SHORTCUT_FIND = "find_in_minutes"
#: What an assistant thread suggests asking.
SUGGESTED_PROMPTS = (
    {"title": "Recent decisions", "message": "recent decisions"},
    {"title": "Next Cabinet's deadlines", "message": "when is the agenda deadline for cabinet?"},
    {"title": "Red or overdue actions", "message": "which actions are red or overdue"},
    {"title": "Meetings ahead", "message": "meetings"},
)
_SEARCHING = "is searching the minutes…"
_GREETING = "Ask me about council meetings: what a committee decided or discussed, when a body meets next, " \
            "its deadlines, or the improvement plan. Every answer quotes the minutes and says where from."  # fmt: skip
_MAX_ERROR_CHARS = 300

OnError = Callable[[Exception, Mapping[str, Any], WebClient, BoltContext], Any]


def _user(body: Mapping[str, Any]) -> str:
    return str((body.get("user") or {}).get("id", ""))


def _channel(body: Mapping[str, Any]) -> str:
    return str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")


def _short(text: str) -> str:
    return text if len(text) <= _MAX_ERROR_CHARS else text[: _MAX_ERROR_CHARS - 1] + "…"


def register_actions(
    app: App,
    services: Context,
    registry: Registry,
    response_urls: ResponseUrls,
    on_error: OnError,
    *,
    home_panels: Sequence[PanelFn],
    how_to: str,
    private_prefix: str,
) -> None:
    """Listen for the answers' buttons and modals, officers' forms, App Home's More and the shortcut."""
    access = services.access
    private = services.private(private_prefix)

    def request_for(body: Mapping[str, Any], text: str = "") -> Request:
        return access.request(user_id=_user(body), text=text, channel_id=_channel(body))

    def tell(client: WebClient, body: Mapping[str, Any], text: str) -> None:
        """Say ``text`` to whoever pressed: under the message if there is one, else in a small modal."""
        url = str(body.get("response_url") or "")
        if url and response_urls.allows(url):
            respond(url, Reply(text=text, visibility=Visibility.ASKER))
        elif body.get("trigger_id"):
            client.views_open(
                trigger_id=body["trigger_id"], view=message_view("Scrutiny bot", Reply(text)).to_dict()
            )
        else:
            log.info("nowhere to tell %s: %s", _user(body), text)

    def guarded(
        body: Mapping[str, Any], client: WebClient, context: BoltContext, work: Callable[[], None]
    ) -> None:
        try:
            work()
        except UserError as exc:
            tell(client, body, str(exc))
        except Exception as error:  # as on_command: Bolt may lose an ack when an acked listener raises
            on_error(error, body, client, context)

    def response_url(body: Mapping[str, Any]) -> str | None:
        url = str(body.get("response_url") or "")
        return url if url and response_urls.allows(url) else None

    @app.action(ACTION_MORE)
    def on_more(ack: Ack, body: Mapping[str, Any], action: Mapping[str, Any], client: WebClient,
                context: BoltContext) -> None:  # fmt: skip
        ack()

        def work() -> None:
            reply = show_more(request_for(body), services, str(action.get("value", "")), from_first=True)
            url = response_url(body)
            if url:
                respond(url, reply, replace=True)

        guarded(body, client, context, work)

    @app.action(ACTION_SHARE)
    def on_share(ack: Ack, body: Mapping[str, Any], action: Mapping[str, Any], client: WebClient,
                 context: BoltContext) -> None:  # fmt: skip
        ack()

        def work() -> None:
            answer_id = str(action.get("value", ""))
            url = response_url(body)
            if not (body.get("container") or {}).get("is_ephemeral") or url is None:
                client.views_open(trigger_id=body["trigger_id"], view=share_view(answer_id).to_dict())
                return
            reply = share_answer(request_for(body), services, answer_id, _channel(body))
            respond(url, reply)  # in the channel, for everyone
            delete_original(url)

        guarded(body, client, context, work)

    @app.view(CALLBACK_SHARE)
    def on_share_picked(ack: Ack, body: Mapping[str, Any], view: Mapping[str, Any], client: WebClient,
                        context: BoltContext) -> None:  # fmt: skip
        channel = field(view.get("state") or {}, "channel", "channel")
        request = access.request(user_id=_user(body), text="", channel_id=channel)
        try:
            reply = share_answer(request, services, str(view.get("private_metadata", "")), channel)
            send(client, request, reply, None)
        except UserError as exc:
            ack(response_action="errors", errors={"channel": _short(str(exc))})
            return
        except SlackApiError as exc:
            error = exc.response.get("error", "an error")
            ack(response_action="errors", errors={"channel": f"I could not post there ({error}): invite me "
                                                             "with /invite @scrutiny and try again."})  # fmt: skip
            return
        except Exception as error:
            ack()
            on_error(error, body, client, context)
            return
        ack()

    @app.action(ACTION_FEEDBACK)
    def on_feedback(ack: Ack, body: Mapping[str, Any], action: Mapping[str, Any], client: WebClient,
                    context: BoltContext) -> None:  # fmt: skip
        ack()

        def work() -> None:
            rating, _, answer_id = str(action.get("value", "")).partition(":")
            rated = rate_answer(request_for(body), services, answer_id, rating)
            if rating == "bad" and body.get("trigger_id"):
                client.views_open(
                    trigger_id=body["trigger_id"], view=feedback_view(rated.feedback_id).to_dict()
                )
            else:
                tell(client, body, rated.reply.text)

        guarded(body, client, context, work)

    @app.view(CALLBACK_FEEDBACK)
    def on_feedback_note(ack: Ack, body: Mapping[str, Any], view: Mapping[str, Any], client: WebClient,
                         context: BoltContext) -> None:  # fmt: skip
        try:
            feedback_id = int(json.loads(str(view.get("private_metadata") or "{}")).get("feedback", 0))
            note = field(view.get("state") or {}, "note", "note")
            reply = note_feedback(access.request(user_id=_user(body), text=""), services, feedback_id, note)
        except (UserError, ValueError, AttributeError) as exc:
            ack(response_action="errors", errors={"note": _short(str(exc))})
            return
        ack(response_action="update", view=message_view("Thank you", reply).to_dict())

    @app.action(ACTION_EDIT)
    def on_edit(ack: Ack, body: Mapping[str, Any], action: Mapping[str, Any], client: WebClient,
                context: BoltContext) -> None:  # fmt: skip
        ack()

        def work() -> None:
            form = open_form(request_for(body), services, str(action.get("value", "")))
            where = (body.get("view") or {}).get("type")
            view = action_form_view(form, from_home=where == "home").to_dict()
            if where == "modal":
                client.views_push(trigger_id=body["trigger_id"], view=view)
            else:
                client.views_open(trigger_id=body["trigger_id"], view=view)

        guarded(body, client, context, work)

    @app.view(CALLBACK_ACTION)
    def on_edit_submitted(ack: Ack, body: Mapping[str, Any], view: Mapping[str, Any], client: WebClient,
                          context: BoltContext) -> None:  # fmt: skip
        state = view.get("state") or {}
        request = access.request(user_id=_user(body), text="")
        try:
            meta = json.loads(str(view.get("private_metadata") or "{}"))
            reply = submit_form(request, services, str(meta.get("value", "")), rating=field(state, "rating", "rating"),
                                note=field(state, "note", "note"), evidence=field(state, "evidence", "evidence"))  # fmt: skip
        except UserError as exc:
            ack(response_action="errors", errors={"note": _short(str(exc))})
            return
        except (ValueError, AttributeError):
            ack(response_action="errors", errors={"note": "That form is out of date: open it again."})
            return
        ack(response_action="update", view=message_view("Recorded", reply).to_dict())
        try:
            post_notices(client, reply)
            if meta.get("home"):
                home = build_home(request, services, home_panels)
                client.views_publish(user_id=request.user_id, view=home_view(home, how_to).to_dict())
        except Exception as error:  # the update is recorded; only the notice or the refresh failed
            on_error(error, body, client, context)

    @app.action(ACTION_COMMAND)
    def on_command_button(ack: Ack, body: Mapping[str, Any], action: Mapping[str, Any], client: WebClient,
                          context: BoltContext) -> None:  # fmt: skip
        ack()

        def work() -> None:
            request = access.request(user_id=_user(body), text=str(action.get("value", "")))  # never direct
            reply = registry.dispatch(request, private)
            client.views_open(
                trigger_id=body["trigger_id"], view=message_view("Scrutiny bot", reply).to_dict()
            )

        guarded(body, client, context, work)

    @app.shortcut(SHORTCUT_FIND)
    def on_find(ack: Ack, body: Mapping[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()

        def work() -> None:
            message = body.get("message") or {}
            text = plain_text(str(message.get("text", "")), context.get("bot_user_id")).lstrip("-").strip()
            if not text:
                raise UserError("That message has no words I can look for in the minutes.")
            request = access.request(user_id=_user(body), text=f"ask {text}", channel_id=_channel(body))
            reply = registry.dispatch(request, private)
            url = response_url(body)
            if url:
                respond(url, reply)
            else:
                deliver(client, request, reply)

        guarded(body, client, context, work)


def register_assistant(app: App, services: Context, registry: Registry, once: Callable[..., Any]) -> None:
    """Slack's assistant threads: suggested prompts when one starts, a "searching" status while answering.

    Where the workspace has no assistant threads these events never come, and direct messages are
    answered as always; a status or prompts call Slack refuses is logged and the answer still goes.
    """
    bolt_log = logging.getLogger("bot.slack_app.bolt")
    assistant = Assistant(logger=bolt_log)
    access = services.access

    def claimed() -> list[Any]:  # a fresh list each time: Bolt inserts its own middleware into it
        return [CustomMiddleware(app_name="scrutiny-bot", func=once, base_logger=bolt_log)]

    @assistant.thread_started(middleware=claimed())  # type: ignore[arg-type]  # its hint says one; its code takes a list
    def on_started(say: Callable[..., Any], set_suggested_prompts: Callable[..., Any]) -> None:
        try:
            set_suggested_prompts(prompts=list(SUGGESTED_PROMPTS), title="Try asking")
        except SlackApiError as exc:
            log.info("suggested prompts refused: %s", exc.response.get("error"))
        say(_GREETING)

    @assistant.thread_context_changed
    def on_context_changed() -> None:
        """The channel the user is viewing changed: nothing to keep (answers never depend on it)."""

    @assistant.user_message(middleware=claimed())  # type: ignore[arg-type]  # as above
    def on_message(payload: Mapping[str, Any], client: WebClient, context: BoltContext,
                   set_status: Callable[..., Any]) -> None:  # fmt: skip
        try:
            set_status(status=_SEARCHING)
        except SlackApiError as exc:
            log.info("assistant status refused: %s", exc.response.get("error"))
        thread = payload.get("thread_ts")
        request = access.request(
            user_id=str(payload.get("user", "")),
            text=plain_text(str(payload.get("text", "")), context.get("bot_user_id")),
            channel_id=str(payload.get("channel", "")),
            direct=True,  # Slack says so: the assistant's messages are events with channel_type "im"
            thread=thread,
        )
        deliver(client, request, registry.dispatch(request, services), thread=thread)

    app.assistant(assistant)
