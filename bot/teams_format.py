"""Adaptive Cards for replies in Teams: citations first, then the quotes, then the reply's choices.

Every line of text goes into a ``TextRun``, which Teams shows as written (no markdown), so nothing
a council or a user wrote can turn into a link or a heading. A citation shows its council, body,
date, item and title, whether the minutes are draft or confirmed when known, and an
``Action.OpenUrl`` to the source page. Choices become ``Action.Execute`` buttons (Teams sends them
back as an ``adaptiveCard/action`` invoke, handled in :mod:`bot.teams_app`): **Show more**,
**Share in channel** (a list of channels to pick from when there is more than one), 👍 and 👎
(which opens a *what was wrong?* box), an officer's **Update** (its form is a card too) and
commands. Plain dictionaries: nothing here imports the Agents SDK.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from handlers.action_forms import ActionForm
from handlers.messages import Choice, ChoiceKind, Reply, Section
from knowledge.models import Citation

__all__ = [
    "CARD_CONTENT_TYPE",
    "CARD_VERSION",
    "MAX_CARD_CHARS",
    "VERB_COMMAND",
    "VERB_EDIT",
    "VERB_EDIT_SAVE",
    "VERB_FEEDBACK",
    "VERB_MORE",
    "VERB_SHARE",
    "action_form_card",
    "card_text",
    "reply_card",
    "summary",
]

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"  # Action.Execute needs 1.4; Teams renders 1.5
#: Teams refuses a message of more than about 28 KB; a card is kept under this many characters of JSON.
MAX_CARD_CHARS = 24_000
_SUMMARY_CHARS = 200
_FALLBACK_CHARS = 2000
_TITLE_CHARS = 60

VERB_MORE = "more"
VERB_SHARE = "share"
VERB_FEEDBACK = "feedback"
VERB_EDIT = "edit"
VERB_EDIT_SAVE = "edit_save"
VERB_COMMAND = "command"

_TOO_LONG = (
    "That is all that fits in one Teams message: ask about a narrower period or one committee for the rest."
)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _run(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextRun", "text": text, **style}


def _line(text: str, **style: Any) -> dict[str, Any]:
    """One line as a RichTextBlock: shown as written, wrapped."""
    return {"type": "RichTextBlock", "inlines": [_run(text, **style)], "spacing": "None"}


def _lines(text: str, **style: Any) -> list[dict[str, Any]]:
    return [_line(line.rstrip(), **style) for line in text.strip("\n").splitlines() if line.strip()]


def _is_web(source: str) -> bool:
    return bool(re.match(r"https?://\S+$", source))


def _citation_items(citation: Citation) -> list[dict[str, Any]]:
    """The citation: its label in bold (with draft or confirmed minutes, when known), a button to the
    page, and one to the meeting's page when the item has a page of its own."""
    inlines = [_run(citation.label(), weight="Bolder")]
    items: list[dict[str, Any]] = [{"type": "RichTextBlock", "inlines": inlines}]
    if citation.restricted:
        items.append(
            _line("Exempt (Part 2): not for sharing beyond those entitled to see it", color="Attention")
        )
    actions = []
    if _is_web(citation.source):
        actions.append({"type": "Action.OpenUrl", "title": "Open the minutes", "url": citation.source})
    elif citation.source:
        items.append(_line(f"Source: {citation.source}", isSubtle=True))
    if citation.page and citation.page != citation.source and _is_web(citation.page):
        # an item with a page of its own: the whole meeting's page too
        actions.append({"type": "Action.OpenUrl", "title": "Open the meeting page", "url": citation.page})
    if actions:
        items.append({"type": "ActionSet", "actions": actions})
    return items


def _execute(title: str, verb: str, data: dict[str, Any], *, style: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "Action.Execute", "title": _short(title, _TITLE_CHARS), "verb": verb,
                              "data": {**data, "verb": verb}}  # fmt: skip
    if style:
        action["style"] = style
    return action


def _section(section: Section) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for citation in section.citations:
        items += _citation_items(citation)
    items += _lines(section.text)
    for choice in section.choices:
        if choice.kind is ChoiceKind.EDIT:
            items.append(
                {"type": "ActionSet", "actions": [_execute(choice.label, VERB_EDIT, {"value": choice.value})]}
            )
    return {"type": "Container", "separator": True, "spacing": "Medium", "items": items}


def _share_action(choice: Choice, targets: Sequence[tuple[str, str]]) -> dict[str, Any] | None:
    if len(targets) == 1:
        return _execute(choice.label, VERB_SHARE, {"answer": choice.value, "channel": targets[0][0]})
    if not targets:
        return None
    choices = [{"title": _short(title or key, 100), "value": key} for key, title in targets]
    return {"type": "Action.ShowCard", "title": choice.label, "card": {"type": "AdaptiveCard", "body": [
        {"type": "Input.ChoiceSet", "id": "channel", "label": "Channel", "isRequired": True, "choices": choices,
         "errorMessage": "Pick a channel"},
        _line("Exempt (Part 2) material is never shared where the channel's audience may not see it.", isSubtle=True),
    ], "actions": [_execute("Share", VERB_SHARE, {"answer": choice.value})]}}  # fmt: skip


def _feedback_actions(choice: Choice) -> list[dict[str, Any]]:
    bad = {"type": "AdaptiveCard", "body": [
        {"type": "Input.Text", "id": "note", "label": "What was wrong?", "isMultiline": True, "maxLength": 2000},
    ], "actions": [_execute("Send", VERB_FEEDBACK, {"answer": choice.value, "rating": "bad"})]}  # fmt: skip
    return [
        _execute("👍", VERB_FEEDBACK, {"answer": choice.value, "rating": "good"}),
        {"type": "Action.ShowCard", "title": "👎", "card": bad},
    ]


def _actions(choices: Sequence[Choice], share_to: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = []
    for choice in choices:
        if choice.kind is ChoiceKind.MORE:
            actions.append(_execute(choice.label, VERB_MORE, {"value": choice.value}, style="positive"))
        elif choice.kind is ChoiceKind.SHARE:
            share = _share_action(choice, share_to)
            actions += [share] if share else []
        elif choice.kind is ChoiceKind.COMMAND:
            actions.append(_execute(choice.label, VERB_COMMAND, {"value": choice.value}))
        elif choice.kind is ChoiceKind.EDIT:
            actions.append(_execute(choice.label, VERB_EDIT, {"value": choice.value}))
        elif choice.kind is ChoiceKind.FEEDBACK:
            actions += _feedback_actions(choice)
    return actions


def _card(body: list[dict[str, Any]], actions: list[dict[str, Any]], fallback: str) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body or [_line("(nothing to say)")],
        "fallbackText": _short(fallback.strip() or "(nothing to say)", _FALLBACK_CHARS),
        "msteams": {"width": "Full"},
    }
    if actions:
        card["actions"] = actions
    return card


def reply_card(reply: Reply, *, share_to: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """``reply`` as an Adaptive Card. ``share_to`` lists the channels (id, title) its Share may post to:
    one is shared to at a press, several are offered to pick from, none leaves Share out."""
    sections: Sequence[Section] = reply.sections or (Section(reply.text),)
    head = _lines(reply.head) if reply.sections else []
    tail = _lines(reply.tail) if reply.sections else []
    blocks = [_section(s) if (s.citations or s.choices) else {"type": "Container", "items": _lines(s.text)}
              for s in sections]  # fmt: skip
    actions = _actions(reply.choices, share_to)
    card = _card(head + blocks + tail, actions, reply.text)
    while len(json.dumps(card, ensure_ascii=False)) > MAX_CARD_CHARS and len(blocks) > 1:
        blocks = blocks[:-1]
        card = _card([*head, *blocks, _line(_TOO_LONG, isSubtle=True, italic=True)], actions, reply.text)
    return card


def action_form_card(form: ActionForm) -> dict[str, Any]:
    """An officer's form for one action: its rating from the plan's own key, a note, an evidence link."""
    due = f" · due {form.due:%-d %B %Y}" if form.due else ""
    body = [
        {"type": "RichTextBlock", "inlines": [_run(f"Action {form.ref} ", weight="Bolder"), _run(form.action)]},
        _line(f"{form.plan} · owner {form.owner or 'not named'}{due}", isSubtle=True),
        {"type": "Input.ChoiceSet", "id": "rating", "label": "Rating", "value": form.rating or "",
         "choices": [{"title": name, "value": name} for name in form.ratings]},
        {"type": "Input.Text", "id": "note", "label": "Note", "isMultiline": True, "maxLength": 2000,
         "placeholder": "What has happened; a change of rating needs a reason"},
        {"type": "Input.Text", "id": "evidence", "label": "Evidence link", "maxLength": 500,
         "value": form.evidence or "", "placeholder": "https://…"},
    ]  # fmt: skip
    save = _execute("Record", VERB_EDIT_SAVE, {"value": form.value}, style="positive")
    return _card(body, [save], f"Action {form.ref}: {form.action}")


def summary(reply: Reply) -> str:
    """A short line for notifications: the reply's first line."""
    first = next((line for line in reply.text.splitlines() if line.strip()), "")
    return _short(first.strip(), _SUMMARY_CHARS)


def card_text(card: dict[str, Any]) -> str:
    """What a person reads on a card, as plain text: its texts, and buttons as 'title (url)'."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kind = node.get("type")
            if kind in ("TextRun", "TextBlock"):
                parts.append(str(node.get("text", "")))
            elif kind == "RichTextBlock":
                parts.append("".join(str(i.get("text", "")) for i in node.get("inlines", [])))
                return
            elif kind == "Action.OpenUrl":
                parts.append(f"{node.get('title', '')} ({node.get('url', '')})")
            elif str(kind).startswith("Action."):
                parts.append(str(node.get("title", "")))
            for key in ("body", "items", "actions", "columns", "card", "inlines"):
                if key in node:
                    walk(node[key])

    walk(card)
    return "\n".join(p for p in parts if p)
