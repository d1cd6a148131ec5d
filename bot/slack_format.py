"""Block Kit for replies: escaped text, citations first as links, the reply's choices as buttons,
all within Slack's limits.

Choices become: **Show more** and **Share in channel** buttons in an actions block, Slack's
``feedback_buttons`` (👍/👎) in a ``context_actions`` block, an officer's **Update** button beside
each of their actions, and a **More** button under a home panel. The action ids are listed here;
:mod:`bot.slack_actions` handles them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextActionsBlock,
    ContextBlock,
    DividerBlock,
    FeedbackButtonObject,
    FeedbackButtonsElement,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from handlers.home import Home
from handlers.messages import Choice, ChoiceKind, Reply, Section
from knowledge.models import Citation

__all__ = [
    "ACTION_COMMAND",
    "ACTION_EDIT",
    "ACTION_FEEDBACK",
    "ACTION_MORE",
    "ACTION_SHARE",
    "MAX_BLOCKS",
    "MAX_CONTEXT_ELEMENTS",
    "MAX_SECTION_CHARS",
    "MAX_TEXT_CHARS",
    "choice_blocks",
    "chunks",
    "citation_link",
    "escape",
    "fallback_text",
    "home_view",
    "reply_blocks",
]

MAX_SECTION_CHARS = 3000  # a section block's text
MAX_BLOCKS = 50  # a message
MAX_HOME_BLOCKS = 100  # an App Home view
MAX_CONTEXT_ELEMENTS = 10  # a context block
MAX_TEXT_CHARS = 3000  # our own limit for the plain-text fallback (notifications, screen readers)
_ELEMENT_CHARS = 2000
_VALUE_CHARS = 2000  # a button's value

ACTION_MORE = "answer_more"
ACTION_SHARE = "answer_share"
ACTION_FEEDBACK = "answer_feedback"
ACTION_EDIT = "action_form"
ACTION_COMMAND = "run_command"


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn gives meaning to (so '<!channel>' stays text)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chunks(text: str, limit: int = MAX_SECTION_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters, at paragraph, line or word ends.

    A cut never falls inside an escape such as ``&amp;``.
    """
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep)
            if cut > limit // 2:
                break
        if cut <= 0:
            cut = limit
            amp = window.rfind("&", limit - 6)
            if amp != -1 and ";" not in window[amp:]:
                cut = amp
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces or ["(nothing to say)"]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def citation_link(citation: Citation) -> str:
    """One citation in mrkdwn: a link when its source is a web address, else the label and path
    (the label says whether the minutes are draft or confirmed, when known), then a link to the
    whole meeting's page when the item has a page of its own."""
    label = escape(citation.label().replace("|", "/"))
    source = citation.source or ""
    page = citation.page or ""
    after = ""
    if page != source and re.match(r"https?://", page):
        after = f" · <{escape(quote(page, safe=_URL_SAFE))}|meeting page>"
    if re.match(r"https?://", source):
        url = quote(source, safe=_URL_SAFE)
        return f"<{escape(url)}|{label}>{after}"
    if source:
        return f"{label} ({escape(source)}){after}"
    return label + after


def _citation_elements(citations: Sequence[Citation], first_number: int) -> list[MarkdownTextObject]:
    texts = [f"[{first_number + i}] {citation_link(c)}" for i, c in enumerate(citations)]
    if len(texts) > MAX_CONTEXT_ELEMENTS:
        keep = MAX_CONTEXT_ELEMENTS - 1
        rest = texts[keep:]
        joined = " · ".join(rest)
        if len(joined) > _ELEMENT_CHARS:
            shown: list[str] = []
            for t in rest:
                if len(" · ".join([*shown, t])) > _ELEMENT_CHARS - 40:
                    break
                shown.append(t)
            joined = " · ".join(shown) + f" · and {len(rest) - len(shown)} more"
        texts = [*texts[:keep], joined]
    return [MarkdownTextObject(text=_shorten(t, _ELEMENT_CHARS)) for t in texts]


def _button(choice: Choice, action_id: str, *, primary: bool = False) -> ButtonElement:
    return ButtonElement(text=_shorten(choice.label, 75), action_id=action_id, value=choice.value[:_VALUE_CHARS],
                         style="primary" if primary else None)  # fmt: skip


def choice_blocks(choices: Sequence[Choice]) -> list[Block]:
    """A reply's choices: Show more and Share in channel buttons, then 👍/👎 feedback buttons."""
    buttons = []
    for choice in choices:
        if choice.kind is ChoiceKind.MORE:
            buttons.append(_button(choice, ACTION_MORE, primary=True))
        elif choice.kind is ChoiceKind.SHARE:
            buttons.append(_button(choice, ACTION_SHARE))
        elif choice.kind is ChoiceKind.COMMAND:
            buttons.append(_button(choice, ACTION_COMMAND))
        elif choice.kind is ChoiceKind.EDIT:
            buttons.append(_button(choice, ACTION_EDIT))
    blocks: list[Block] = [ActionsBlock(elements=buttons[:25])] if buttons else []
    for choice in choices:
        if choice.kind is ChoiceKind.FEEDBACK:
            feedback = FeedbackButtonsElement(
                action_id=ACTION_FEEDBACK,
                positive_button=FeedbackButtonObject(text="👍", value=f"good:{choice.value}", accessibility_label="This helped"),
                negative_button=FeedbackButtonObject(text="👎", value=f"bad:{choice.value}", accessibility_label="This was wrong"),
            )  # fmt: skip
            blocks.append(ContextActionsBlock(elements=[feedback]))
    return blocks


def reply_blocks(reply: Reply) -> list[Block]:
    """The reply as Block Kit: each section's citations first, then its quotes; the choices last."""
    blocks: list[Block] = []
    sections: Sequence[Section] = reply.sections or (Section(reply.text),)
    head, tail = reply.head.strip(), reply.tail.strip()
    if head:
        blocks += [SectionBlock(text=MarkdownTextObject(text=c)) for c in chunks(escape(head))]
    number = 1
    for section in sections:
        blocks += _section_blocks(section, number)
        number += len(section.citations)
    if tail:
        blocks += [SectionBlock(text=MarkdownTextObject(text=c)) for c in chunks(escape(tail))]
    controls = choice_blocks(reply.choices)
    room = MAX_BLOCKS - len(controls)
    if len(blocks) > room:
        blocks = blocks[: room - 1]
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="_That is all that fits in one Slack message: ask about a narrower period "
                        "or one committee for the rest._"
                    )
                ]
            )
        )
    return blocks + controls


def fallback_text(reply: Reply) -> str:
    """The plain-text fallback Slack shows in notifications and to screen readers."""
    return _shorten(escape(reply.text.strip()) or "(nothing to say)", MAX_TEXT_CHARS)


def _section_blocks(section: Section, first_number: int) -> list[Block]:
    """A section's citations first (council, body, date, item, status, link), then its quotes; an
    Update choice sits beside its first block."""
    blocks: list[Block] = []
    if section.citations:
        blocks.append(ContextBlock(elements=_citation_elements(section.citations, first_number)))
    edit = next((c for c in section.choices if c.kind is ChoiceKind.EDIT), None)
    accessory = _button(edit, ACTION_EDIT) if edit else None
    text = section.text  # the citations are in their own block
    if text.strip():
        pieces = chunks(escape(text))
        blocks.append(SectionBlock(text=MarkdownTextObject(text=pieces[0]), accessory=accessory))
        blocks += [SectionBlock(text=MarkdownTextObject(text=c)) for c in pieces[1:]]
    elif accessory is not None:
        blocks.append(ActionsBlock(elements=[accessory]))
    return blocks


def home_view(home: Home, how_to: str) -> View:
    """The App Home tab: a greeting with ``how_to``, then each panel under its heading."""
    blocks: list[Block] = [
        HeaderBlock(text="Scrutiny bot"),
        SectionBlock(text=MarkdownTextObject(text=escape(f"{home.greeting} {how_to}".strip()))),
    ]
    for panel in home.panels:
        blocks += [DividerBlock(), HeaderBlock(text=_shorten(panel.title, 150))]
        if not panel.sections:
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(panel.empty))]))
        number = 1
        for section in panel.sections:
            blocks += _section_blocks(section, number)
            number += len(section.citations)
        if panel.more:
            more = Choice(ChoiceKind.COMMAND, panel.more_label or "More", panel.more)
            blocks.append(ActionsBlock(elements=[_button(more, ACTION_COMMAND)]))
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = blocks[: MAX_HOME_BLOCKS - 1]
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text="_There is more than fits here._")]))
    return View(type="home", blocks=blocks)
