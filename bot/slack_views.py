"""Slack modals: what was wrong with an answer, an officer's form for one action, the channel to share
an answer in, and a reply shown in a modal (App Home's "More", confirmations and refusals)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from handlers.action_forms import ActionForm
from handlers.messages import Reply, Visibility

from .slack_format import chunks, escape, reply_blocks

__all__ = [
    "CALLBACK_ACTION",
    "CALLBACK_FEEDBACK",
    "CALLBACK_SHARE",
    "action_form_view",
    "feedback_view",
    "field",
    "message_view",
    "share_view",
]

CALLBACK_FEEDBACK = "feedback_note"
CALLBACK_ACTION = "action_form"
CALLBACK_SHARE = "share_pick"
_MAX_MODAL_BLOCKS = 100


def _title(text: str) -> PlainTextObject:
    return PlainTextObject(text=text if len(text) <= 24 else text[:23] + "…")


def feedback_view(feedback_id: int) -> View:
    """The 👎 modal: what was wrong? (optional; the 👎 is kept either way)."""
    note = PlainTextInputElement(action_id="note", multiline=True, max_length=2000,
                                 placeholder="The wrong meeting, a decision it missed, not what I asked…")  # fmt: skip
    return View(
        type="modal",
        callback_id=CALLBACK_FEEDBACK,
        title=_title("What was wrong?"),
        submit=_title("Send"),
        close=_title("Skip"),
        private_metadata=json.dumps({"feedback": feedback_id}),
        blocks=[
            InputBlock(block_id="note", label="What was wrong with the answer?", element=note, optional=True)
        ],
    )


def action_form_view(form: ActionForm, *, from_home: bool = False) -> View:
    """An officer's form for one action: its rating from the plan's own key, a note, an evidence link."""
    options = [Option(text=name, value=name) for name in form.ratings]
    current = next((o for o in options if o.value == form.rating), None)
    rating = StaticSelectElement(action_id="rating", options=options, initial_option=current,
                                 placeholder="Choose a rating")  # fmt: skip
    note = PlainTextInputElement(action_id="note", multiline=True, max_length=2000,
                                 placeholder="What has happened; a change of rating needs a reason")  # fmt: skip
    evidence = PlainTextInputElement(action_id="evidence", max_length=500, initial_value=form.evidence or None,
                                     placeholder="https://…")  # fmt: skip
    due = f" · due {form.due:%-d %B %Y}" if form.due else ""
    about = f"*{escape(form.ref)}* {escape(form.action)}\n_{escape(form.plan)} · owner {escape(form.owner or 'not named')}{due}_"
    return View(
        type="modal",
        callback_id=CALLBACK_ACTION,
        title=_title(f"Action {form.ref}"),
        submit=_title("Record"),
        close=_title("Cancel"),
        private_metadata=json.dumps({"value": form.value, "home": from_home}, ensure_ascii=False),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=chunks(about)[0])),
            InputBlock(block_id="rating", label="Rating", element=rating),
            InputBlock(block_id="note", label="Note", element=note, optional=True),
            InputBlock(block_id="evidence", label="Evidence link", element=evidence, optional=True),
        ],
    )


def share_view(answer_id: str) -> View:
    """Which channel to share a direct message's answer in (checked against its audience when sent)."""
    picker = ConversationSelectElement(
        action_id="channel",
        placeholder="Pick a channel",
        filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
    )
    return View(
        type="modal",
        callback_id=CALLBACK_SHARE,
        title=_title("Share in a channel"),
        submit=_title("Share"),
        close=_title("Cancel"),
        private_metadata=answer_id,
        blocks=[
            InputBlock(block_id="channel", label="Channel", element=picker),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="Exempt (Part 2) material is never shared where "
                        "the channel's audience may not see it."
                    )
                ]
            ),  # fmt: skip
        ],
    )


def message_view(title: str, reply: Reply) -> View:
    """A reply shown in a modal: its text and citations; an action's Update button stays."""
    blocks: list[Block] = reply_blocks(replace(reply, choices=(), visibility=Visibility.ASKER))
    return View(type="modal", title=_title(title), close=_title("Close"), blocks=blocks[:_MAX_MODAL_BLOCKS])


def field(state: Mapping[str, Any], block: str, action: str) -> str:
    """What a modal's input ``block``/``action`` holds: text, a chosen option's value or a conversation."""
    value = ((state.get("values") or {}).get(block) or {}).get(action) or {}
    if value.get("selected_option"):
        return str(value["selected_option"].get("value") or "")
    if value.get("selected_conversation"):
        return str(value["selected_conversation"])
    return str(value.get("value") or "")
