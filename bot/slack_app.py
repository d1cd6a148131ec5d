"""The Slack adapter: converts Slack requests to :class:`Request`, dispatches, converts replies back.

Build the app with :func:`build_app`; nothing happens at import. Questions come in direct
messages, @mentions (answered in the mention's thread) and the ``/scrutiny`` slash command
(answered to the asker only unless shared). Every delivery is claimed once in SQLite (an event by
its ``event_id``, a slash command by its ``trigger_id``), so a retried, duplicated or replayed
delivery gets no second answer. Exempt material follows :func:`handlers.access.may_see_restricted`;
a conversation is "direct" only when Slack says it is the bot's own with the asker.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped, warning_token_skipped
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from handlers.commands import build_registry
from handlers.context import Context
from handlers.home import DEFAULT_PANELS, PanelFn, build_home
from handlers.messages import Reply
from handlers.registry import Registry, apology
from knowledge.conversations import claim_delivery
from knowledge.text import clean_text

from .config import Settings
from .slack_actions import register_actions, register_assistant
from .slack_delivery import deliver, plain_text, respond
from .slack_format import fallback_text, home_view
from .slack_guard import ResponseUrls, SignatureCheck

__all__ = ["SLASH_COMMAND", "build_app", "claim_event", "make_client"]

log = logging.getLogger(__name__)

SLASH_COMMAND = "/scrutiny"
_HOW_TO = "Ask me in a direct message, mention me in a channel, or type /scrutiny help."


class _QuietStart(logging.Filter):
    """Drops Bolt's start-up warning that SLACK_BOT_TOKEN "will be unused": Bolt reads the variable
    itself, but our ``authorize`` hands it the same token (checked once, at the first request)."""

    _NOISE = frozenset({warning_client_prioritized_and_token_skipped(), warning_token_skipped()})

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self._NOISE


_QUIET_START = _QuietStart()


# --- the Web API client ------------------------------------------------------------------------


class _RateLimitRetry(RateLimitErrorRetryHandler):
    """Retries an HTTP 429 after its Retry-After, with an injectable ``sleep`` and a cap."""

    def __init__(self, max_retry_count: int, sleep: Callable[[float], None], max_wait: float = 30.0):
        super().__init__(max_retry_count=max_retry_count)
        self._sleep = sleep
        self._max_wait = max_wait

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:  # pragma: no cover - _can_retry only accepts responses
            raise error or RuntimeError("no response to retry")
        wait = 1.0
        for name, values in response.headers.items():
            if name.lower() == "retry-after" and values:
                try:
                    wait = float(values[0])
                except ValueError:
                    wait = 1.0
        state.next_attempt_requested = True
        self._sleep(min(max(wait, 0.0), self._max_wait))
        state.increment_current_attempt()


def make_client(settings: Settings, *, sleep: Callable[[float], None] = time.sleep) -> WebClient:
    """A Web API client for ``settings.slack_api_url`` that retries connection errors and 429s.

    It holds no token: Bolt copies it for each request with the token ``authorize`` gives.
    """
    handlers: list[RetryHandler] = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        _RateLimitRetry(max_retry_count=3, sleep=sleep),
    ]
    return WebClient(base_url=settings.slack_api_url, retry_handlers=handlers)


def _authorizer(token: str) -> Callable[..., AuthorizeResult]:
    """Bolt's ``authorize`` for our one bot token: ``auth.test`` once, at the first request, not at start."""
    lock = threading.Lock()
    cache: list[AuthorizeResult] = []

    def authorize(enterprise_id: str | None, team_id: str | None, client: WebClient) -> AuthorizeResult:
        with lock:
            if not cache:
                response = client.auth_test(token=token)
                cache.append(
                    AuthorizeResult.from_auth_test_response(auth_test_response=response, bot_token=token)
                )
            return cache[0]

    return authorize


# --- once only ----------------------------------------------------------------------------------


def claim_event(db: Any, event_id: str, now: Any) -> bool:
    """Record ``event_id`` (or a slash command's id) as handled; False when it already was."""
    return claim_delivery(db, event_id, now)


def _delivery_id(body: Mapping[str, Any], request: BoltRequest) -> str | None:
    """What tells one delivery from another: an event's ``event_id``; for a slash command (which
    has none) its ``trigger_id``, else a hash of its signed timestamp and body."""
    if body.get("event_id"):
        return str(body["event_id"])
    if not body.get("command"):
        return None
    if body.get("trigger_id"):
        return f"command {body['trigger_id']}"
    stamp = (request.headers.get("x-slack-request-timestamp") or [""])[0]
    # Socket Mode has no raw body: its payload came over Slack's own connection
    signed = request.raw_body or json.dumps(dict(body), sort_keys=True, default=str)
    return "command " + hashlib.sha256(f"{stamp}\n{signed}".encode()).hexdigest()


# --- where nobody else reads ------------------------------------------------------------------------


def _is_own_direct_message(client: WebClient, command: Mapping[str, Any]) -> bool:
    """True when Slack says a slash command came from the bot's own direct conversation with its user.

    A direct message between two people is also a ``directmessage`` with a ``D`` id, so Slack is
    asked: ``conversations.info`` must say ``is_im`` and name the asker. The bot cannot see other
    people's conversations (Slack answers an error), and any error means "not direct".
    """
    channel, user = str(command.get("channel_id", "")), str(command.get("user_id", ""))
    if command.get("channel_name") != "directmessage" or not channel or not user:
        return False  # Slack calls every direct message "directmessage": nothing else can be one
    try:
        info = client.conversations_info(channel=channel).get("channel") or {}
    except SlackApiError as error:
        reason = error.response.get("error", "an error")
        level = logging.WARNING if reason == "missing_scope" else logging.INFO
        log.log(level, "conversations.info %s: %s; answering as in a shared channel", channel, reason)
        return False
    except (SlackClientError, OSError) as error:
        log.warning("conversations.info %s failed (%s); answering as in a shared channel", channel, error)
        return False
    return info.get("is_im") is True and info.get("user") == user


# --- the app ------------------------------------------------------------------------------------


def build_app(
    settings: Settings,
    services: Context,
    client: WebClient | None = None,
    *,
    registry: Registry | None = None,
    home_panels: Sequence[PanelFn] = DEFAULT_PANELS,
    process_before_response: bool = False,
) -> App:
    """The Bolt app: listeners for mentions, direct messages, ``/scrutiny``, App Home and errors.

    ``process_before_response=True`` finishes each listener before answering Slack's HTTP request
    (for FaaS hosts and tests); by default Slack gets its acknowledgement first.
    """
    settings.check_slack()
    registry = registry or build_registry()
    access = services.access
    response_urls = ResponseUrls.for_api(settings.slack_api_url)
    bolt_log = logging.getLogger("bot.slack_app.bolt")
    bolt_log.addFilter(_QUIET_START)  # the same filter object: adding it again changes nothing
    app = App(
        name="scrutiny-bot",
        client=client or make_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=False,  # Bolt's check raises on a bad timestamp: ours refuses
        before_authorize=SignatureCheck(settings.slack_signing_secret or ""),
        authorize=_authorizer(str(settings.slack_bot_token)),
        process_before_response=process_before_response,
        logger=bolt_log,
    )

    def once(  # Bolt passes `next` by that name
        body: Mapping[str, Any], request: BoltRequest, next: Callable[[], None]
    ) -> BoltResponse | None:
        delivery = _delivery_id(body, request)
        if delivery:
            with services.database() as db:
                if not claim_event(db, delivery, services.now()):
                    log.info("ignoring a repeated delivery: %s", delivery)
                    return BoltResponse(status=200, body="")
        next()
        return None

    @app.event("app_mention", middleware=[once])
    def on_mention(event: Mapping[str, Any], client: WebClient, context: Mapping[str, Any]) -> None:
        thread = event.get("thread_ts") or event.get("ts")
        request = access.request(
            user_id=str(event.get("user", "")),
            text=plain_text(str(event.get("text", "")), context.get("bot_user_id")),
            channel_id=str(event.get("channel", "")),
            direct=str(event.get("channel_type", "")) == "im",
            thread=thread,
        )
        deliver(client, request, registry.dispatch(request, services), thread=thread)

    @app.event("message", middleware=[once])
    def on_message(event: Mapping[str, Any], client: WebClient, context: Mapping[str, Any]) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return  # edits, joins and bots' messages (our own included) are not questions
        if not event.get("user"):
            return
        thread = event.get("thread_ts")
        request = access.request(
            user_id=str(event["user"]),
            text=plain_text(str(event.get("text", "")), context.get("bot_user_id")),
            channel_id=str(event.get("channel", "")),
            direct=True,
            thread=thread,
        )
        deliver(client, request, registry.dispatch(request, services), thread=thread)

    @app.command(SLASH_COMMAND, middleware=[once])
    def on_command(
        ack: Callable[..., None],
        command: Mapping[str, Any],
        body: Mapping[str, Any],
        client: WebClient,
        context: BoltContext,
    ) -> None:
        ack()  # within Slack's 3 seconds; the answer follows on the response_url
        try:
            _answer_command(command, client)
        except Exception as error:  # see on_error: Bolt 1.30 loses the ack when an acked listener raises
            on_error(error, body, client, context)

    def _answer_command(command: Mapping[str, Any], client: WebClient) -> None:
        response_url = str(command.get("response_url", ""))
        if not response_urls.allows(response_url):
            log.warning("ignoring a command from %s: not a Slack response URL", command.get("user_id"))
            return
        request = access.request(
            user_id=str(command.get("user_id", "")),
            text=plain_text(str(command.get("text", ""))),
            channel_id=str(command.get("channel_id", "")),
            direct=_is_own_direct_message(client, command),
            display_name=clean_text(str(command.get("user_name", ""))),
        )
        reply = registry.dispatch(request, services.private(SLASH_COMMAND + " "))
        deliver(client, request, reply, response_url=response_url)

    @app.event("app_home_opened", middleware=[once])
    def on_home(event: Mapping[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        request = access.request(user_id=str(event.get("user", "")), text="", direct=True)
        home = build_home(request, services, home_panels)
        client.views_publish(user_id=request.user_id, view=home_view(home, _HOW_TO).to_dict())

    @app.error
    def on_error(
        error: Exception, body: Mapping[str, Any], client: WebClient, context: BoltContext
    ) -> BoltResponse:
        """The one error handler: the traceback to the log under a reference, an apology to the user.

        Bolt calls it for errors in middleware and event listeners. The slash command calls it
        itself: when a listener that already called ack() raises, Bolt 1.30 may drop the
        acknowledgement and answer Slack 404 after 3 seconds. Slack is answered 200 either way:
        the user has the apology, and a retry would be a duplicate. A request that was not yet
        verified and authorised is never acted on: its body is the sender's word only.
        """
        ref = uuid.uuid4().hex[:8]
        if context.authorize_result is None:
            log.error("unexpected error, reference %s, in a request not authorised", ref, exc_info=error)
            return BoltResponse(status=500, body="")
        log.error("unexpected error, reference %s, handling %s", ref, _describe(body), exc_info=error)
        try:
            _apologise(client, body, apology(ref), response_urls)
        except Exception:  # the one place that must not raise: the apology itself failed
            log.exception("could not send the apology for reference %s", ref)
        return BoltResponse(status=200, body="")

    register_actions(app, services, registry, response_urls, on_error, home_panels=home_panels, how_to=_HOW_TO,
                     private_prefix=SLASH_COMMAND + " ")  # fmt: skip
    register_assistant(app, services, registry, once)
    return app


def _describe(body: Mapping[str, Any]) -> str:
    if body.get("command"):
        return f"command {body.get('command')} from {body.get('user_id')}"
    event = body.get("event") or {}
    if event:
        return f"event {event.get('type')} {body.get('event_id')} from {event.get('user')}"
    return f"request of type {body.get('type')}"


def _apologise(client: WebClient, body: Mapping[str, Any], reply: Reply, response_urls: ResponseUrls) -> None:
    if body.get("response_url"):
        if response_urls.allows(str(body["response_url"])):
            respond(str(body["response_url"]), reply)
        else:
            log.warning("no apology sent to %s: not a Slack response URL", body.get("user_id"))
        return
    event = body.get("event") or {}
    channel, user = event.get("channel"), event.get("user")
    if not (channel and user) or event.get("type") == "app_home_opened":
        return
    thread = event.get("thread_ts") or (event.get("ts") if event.get("type") == "app_mention" else None)
    if event.get("channel_type") == "im":
        client.chat_postMessage(channel=channel, text=fallback_text(reply), thread_ts=thread)
    else:
        client.chat_postEphemeral(channel=channel, user=user, text=fallback_text(reply), thread_ts=thread)
