"""How a reply reaches Slack: the message where it belongs, then its files and its notices.

Also the reverse: Slack's message markup turned back into the words a person typed.
"""

from __future__ import annotations

import logging
import re
from html import unescape

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from handlers.messages import Notice, Reply, Request, Visibility
from knowledge.text import clean_text

from .slack_format import escape, fallback_text, reply_blocks

__all__ = ["deliver", "delete_original", "plain_text", "post_notices", "respond", "send"]

log = logging.getLogger(__name__)

_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


def plain_text(text: str, bot_user_id: str | None = None) -> str:
    """Slack's message markup as the words a person typed: mentions of the bot dropped, links
    and channel names shown, ``&amp;`` and friends unescaped, control characters and lone
    surrogates removed."""

    def link(m: re.Match[str]) -> str:
        target, label = m.group(1), m.group(2)
        if target.startswith("@"):
            return "" if bot_user_id and target[1:] == bot_user_id else f"@{label or target[1:]}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!"):
            return f"@{label or target[1:].split('^')[0]}"
        return label or target

    return " ".join(clean_text(unescape(_LINK.sub(link, text))).split())


def send(client: WebClient, request: Request, reply: Reply, thread: str | None) -> None:
    """Post ``reply`` in the request's channel (and thread): to the asker only if it is private."""
    blocks = [b.to_dict() for b in reply_blocks(reply)]
    text = fallback_text(reply)
    if reply.visibility is Visibility.ASKER and not request.direct:
        client.chat_postEphemeral(
            channel=request.channel_id, user=request.user_id, text=text, blocks=blocks, thread_ts=thread
        )
    else:
        client.chat_postMessage(
            channel=request.channel_id,
            text=text,
            blocks=blocks,
            thread_ts=thread,
            unfurl_links=False,
            unfurl_media=False,
        )


def respond(response_url: str, reply: Reply, *, replace: bool = False) -> None:
    """Answer on a response URL (a slash command's, a button's): to the channel if shared, else to the
    asker only; with ``replace``, in place of the message whose button was pressed."""
    response_type = "in_channel" if reply.visibility is Visibility.CHANNEL else "ephemeral"
    WebhookClient(url=response_url).send(
        text=fallback_text(reply),
        blocks=[b.to_dict() for b in reply_blocks(reply)],
        response_type=response_type,
        replace_original=replace,
    )


def delete_original(response_url: str) -> None:
    """Remove the message whose button was pressed (an ephemeral answer once it is shared)."""
    WebhookClient(url=response_url).send_dict({"delete_original": True})


def post_notices(client: WebClient, reply: Reply) -> None:
    """Post ``reply``'s notices (a plan channel's), logging any that cannot be posted."""
    for notice in reply.notices:
        try:
            client.chat_postMessage(channel=notice.channel, text=escape(notice.text), unfurl_links=False)
        except SlackApiError as exc:
            log.warning("could not post a notice to %s: %s", notice.channel, exc.response.get("error"))


def deliver(
    client: WebClient,
    request: Request,
    reply: Reply,
    *,
    thread: str | None = None,
    response_url: str | None = None,
) -> None:
    """Send ``reply`` (on ``response_url`` for a slash command), then upload its files and post its notices.

    Files cannot be ephemeral: those of a private reply go to the asker's direct messages with
    the bot. A notice that cannot be posted (the bot is not in that channel) is logged and the
    asker is told.
    """
    if response_url:
        respond(response_url, reply)
    else:
        send(client, request, reply, thread)
    if reply.attachments:
        _upload(client, request, reply, thread if not response_url else None, via_command=bool(response_url))
    for notice in reply.notices:
        _post_notice(client, request, notice, thread=thread, response_url=response_url)


def _upload(
    client: WebClient, request: Request, reply: Reply, thread: str | None, *, via_command: bool
) -> None:
    if reply.visibility is Visibility.CHANNEL or (request.direct and not via_command):
        channel = request.channel_id
    else:
        channel = client.conversations_open(users=request.user_id)["channel"]["id"]
        thread = None
    client.files_upload_v2(
        channel=channel,
        thread_ts=thread,
        file_uploads=[
            {"content": a.content, "filename": a.filename, "title": a.title or a.filename}
            for a in reply.attachments
        ],
    )


def _post_notice(
    client: WebClient, request: Request, notice: Notice, *, thread: str | None, response_url: str | None
) -> None:
    try:
        client.chat_postMessage(channel=notice.channel, text=escape(notice.text), unfurl_links=False)
    except SlackApiError as exc:
        error = exc.response.get("error", "an error")
        log.warning("could not post a notice to %s: %s", notice.channel, error)
        note = Reply(
            text=f"I could not also post this to channel {notice.channel} ({error}). Invite me there "
            "and try again, or pass the news on yourself.",
            visibility=Visibility.ASKER,
        )
        if response_url:
            respond(response_url, note)
        else:
            send(client, request, note, thread)
