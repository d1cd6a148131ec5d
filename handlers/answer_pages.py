"""Answers people can act on: kept for a while, shown a page at a time, shared, rated.

:func:`offer` keeps an answer (:mod:`knowledge.answers.kept`) and returns its first page with the
choices that go with it: **more** while pages remain, **share** while it is private to the asker,
and **feedback** always. The other functions act on a kept answer by its id, whatever the
transport, and check again who may see it: the asker, or anyone in the channel it was posted to;
exempt (Part 2) material only where :func:`~handlers.access.may_see_restricted` allows it now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from knowledge.answers.feedback import add_note, record_feedback
from knowledge.answers.kept import KeptAnswer, fetch_answer, keep_answer
from knowledge.models import Citation, UserError

from .access import may_see_restricted
from .context import Context
from .messages import Choice, ChoiceKind, Reply, Request, Section, Visibility

__all__ = [
    "EXEMPT_NOTE",
    "PAGE_CHARS",
    "PAGE_SECTIONS",
    "Rated",
    "note_feedback",
    "offer",
    "pages",
    "rate_answer",
    "share_answer",
    "show_more",
]

#: A page holds at most this many cited blocks, and about this many characters of them.
PAGE_SECTIONS = 5
PAGE_CHARS = 2000
#: How the note naming an answer's exempt items begins; it is shown on every page.
EXEMPT_NOTE = "Exempt (Part 2) material, not to be shared beyond those entitled to see it: "
_GONE = "That answer is too old for its buttons now (I keep answers for two weeks): please ask again."


@dataclass(frozen=True)
class Rated:
    """A rating recorded: the reply to the rater and the rating's id, for a note that may follow."""

    reply: Reply
    feedback_id: int


# --- keeping an answer ---------------------------------------------------------------------------


def _citation_json(c: Citation) -> dict[str, Any]:
    return {**c.as_json(), "restricted": c.restricted}


def _citation(d: dict[str, Any]) -> Citation:
    day = d.get("meeting_date")
    return Citation(d.get("council"), d.get("body"), date.fromisoformat(day) if day else None, d.get("item"),
                    str(d.get("title") or ""), str(d.get("source") or ""), str(d.get("quote") or ""),
                    bool(d.get("restricted")), str(d.get("status") or ""))  # fmt: skip


def _dump(reply: Reply) -> str:
    sections = [
        {"text": s.text, "heading": s.heading, "citations": [_citation_json(c) for c in s.citations]}
        for s in reply.sections
    ]
    return json.dumps({"text": reply.text, "head": reply.head, "tail": reply.tail, "sections": sections},
                      ensure_ascii=False)  # fmt: skip


def _load(payload: str) -> Reply:
    data = json.loads(payload)
    sections = tuple(
        Section(s["text"], tuple(_citation(c) for c in s["citations"]), s["heading"])
        for s in data["sections"]
    )
    return Reply(text=data["text"], sections=sections, head=data["head"], tail=data["tail"])


def _is_note(section: Section) -> bool:
    return not section.citations and section.text.startswith(EXEMPT_NOTE)


def pages(sections: tuple[Section, ...]) -> list[tuple[Section, ...]]:
    """The cited blocks in pages of at most :data:`PAGE_SECTIONS` and about :data:`PAGE_CHARS`.

    The note naming exempt items is not paged: :func:`show_more` adds it to every page.
    """
    out: list[tuple[Section, ...]] = []
    page: list[Section] = []
    size = 0
    for section in (s for s in sections if not _is_note(s)):
        length = len(section.text) + len(section.heading)
        if page and (len(page) >= PAGE_SECTIONS or size + length > PAGE_CHARS):
            out.append(tuple(page))
            page, size = [], 0
        page.append(section)
        size += length
    if page or not out:
        out.append(tuple(page))
    return out


def offer(reply: Reply, request: Request, context: Context, question: str) -> Reply:
    """Keep ``reply`` (an answer to ``question``) and return its first page with its choices."""
    restricted = any(c.restricted for s in reply.sections for c in s.citations)
    with context.database() as db:
        answer_id = keep_answer(
            db, user_id=request.user_id, channel_id=request.channel_id, direct=request.direct,
            visibility=str(reply.visibility), restricted=restricted, question=question,
            payload=_dump(reply), now=context.now(),
        )  # fmt: skip
    shareable = reply.visibility is Visibility.ASKER or request.direct
    return _page(reply, answer_id, 1, 1, shareable=shareable, visibility=reply.visibility)


def _page(
    whole: Reply, answer_id: str, first: int, last: int, *, shareable: bool, visibility: Visibility
) -> Reply:
    """Pages ``first`` to ``last`` of ``whole``, with its choices; the head on page 1, the tail at the end."""
    if not whole.sections:
        return replace(whole, visibility=visibility, choices=_choices(answer_id, 1, 1, shareable))
    split = pages(whole.sections)
    first, last = max(1, first), min(max(first, last), len(split))
    shown = tuple(s for page in split[first - 1 : last] for s in page)
    shown += tuple(s for s in whole.sections if _is_note(s))
    head = whole.head if first == 1 else f"(continued: {first} of {len(split)})"
    tail = whole.tail if last == len(split) else ""
    text = "\n\n".join(t for t in (head, *(_plain(s) for s in shown), tail) if t.strip())
    return Reply(text=text, sections=shown, visibility=visibility, head=head, tail=tail,
                 choices=_choices(answer_id, last, len(split), shareable))  # fmt: skip


def _plain(section: Section) -> str:
    return "\n".join(t for t in (section.heading, section.text) if t.strip())


def _choices(answer_id: str, shown: int, total: int, shareable: bool) -> tuple[Choice, ...]:
    choices = []
    if shown < total:
        left = total - shown
        label = f"Show more ({left} more page{'s' if left != 1 else ''})"
        choices.append(Choice(ChoiceKind.MORE, label, f"{answer_id}:{shown + 1}"))
    if shareable:
        choices.append(Choice(ChoiceKind.SHARE, "Share in channel", answer_id))
    choices.append(Choice(ChoiceKind.FEEDBACK, "Was this helpful?", answer_id))
    return tuple(choices)


# --- acting on a kept answer ------------------------------------------------------------------------


def _fetch(context: Context, answer_id: str) -> KeptAnswer:
    with context.database() as db:
        kept = fetch_answer(db, answer_id.strip(), context.now())
    if kept is None:
        raise UserError(_GONE)
    return kept


def _viewer(request: Request, kept: KeptAnswer) -> Request:
    """The request as the core sees it: the asker, back where Slack said was direct, is direct there."""
    here = request.user_id == kept.user_id and request.channel_id == kept.channel_id
    return replace(request, direct=True) if here and kept.direct else request


def _may_view(request: Request, kept: KeptAnswer) -> Request:
    viewer = _viewer(request, kept)
    public_here = kept.visibility == Visibility.CHANNEL and request.channel_id == kept.channel_id
    if request.user_id != kept.user_id and not public_here:
        raise UserError("That answer was given to somebody else: ask me yourself and I will answer you.")
    if kept.restricted and not may_see_restricted(viewer):
        raise UserError("That answer quotes exempt (Part 2) material, which may not be shown here.")
    return viewer


def show_more(request: Request, context: Context, value: str, *, from_first: bool = False) -> Reply:
    """The next page of a kept answer (``value`` is "ID:PAGE"); with ``from_first``, pages 1 to PAGE."""
    answer_id, _, page_text = value.partition(":")
    page = int(page_text) if page_text.isdigit() else 2
    kept = _fetch(context, answer_id)
    _may_view(request, kept)
    shareable = kept.visibility == Visibility.ASKER or kept.direct
    visibility = Visibility(kept.visibility) if kept.visibility in ("asker", "channel") else Visibility.ASKER
    return _page(_load(kept.payload), kept.id, 1 if from_first else page, page, shareable=shareable,
                 visibility=visibility)  # fmt: skip


def share_answer(request: Request, context: Context, answer_id: str, channel_id: str) -> Reply:
    """A kept private answer, again, for everyone in ``channel_id``: only its asker may share it, and
    never where its exempt material may not be seen (checked now, against the channel's audience)."""
    kept = _fetch(context, answer_id)
    if request.user_id != kept.user_id:
        raise UserError("Only the person who asked can share this answer: ask me yourself to share one.")
    channel = channel_id.strip()
    if not channel or channel.startswith("D") or channel == "terminal":
        raise UserError("Say which channel to share it in.")
    if kept.visibility == Visibility.CHANNEL and not kept.direct and channel == kept.channel_id:
        raise UserError("Everyone in the channel can see this answer already.")
    there = context.access.request(user_id=request.user_id, text="", channel_id=channel, role=request.role)
    if kept.restricted and not may_see_restricted(there):
        raise UserError(
            f"I cannot share this answer in {channel}: it quotes exempt (Part 2) material, which may be "
            f"shown only in a channel whose audience is officers, and this channel's is {there.audience}. "
            f"Ask me there with `share` and the question for the version without it."
        )
    whole = _load(kept.payload)
    with context.database() as db:
        shared_id = keep_answer(
            db, user_id=kept.user_id, channel_id=channel, direct=False, visibility=str(Visibility.CHANNEL),
            restricted=kept.restricted, question=kept.question, payload=kept.payload, now=context.now(),
        )  # fmt: skip
    return _page(whole, shared_id, 1, 1, shareable=False, visibility=Visibility.CHANNEL)


def rate_answer(request: Request, context: Context, answer_id: str, rating: str, note: str = "") -> Rated:
    """Record a 👍 (``good``) or 👎 (``bad``) for a kept answer, with the question and its citations."""
    kept = _fetch(context, answer_id)
    _may_view(request, kept)
    cites = [
        {"label": c.label(), "source": c.source, "restricted": c.restricted}
        for s in _load(kept.payload).sections
        for c in s.citations
    ]
    with context.database() as db:
        feedback_id = record_feedback(
            db, answer_id=kept.id, question=kept.question, citations=cites, user_id=request.user_id,
            rating=rating, at=context.now(), note=note, channel_id=request.channel_id,
        )  # fmt: skip
    if rating == "good":
        text = "Thank you: I have noted that this answer helped."
    elif note:
        text = "Thank you: I have noted what was wrong, for the clerks who look after me."
    else:
        text = "Thank you: I have noted that this answer did not help. What was wrong?"
    return Rated(Reply(text=text, visibility=Visibility.ASKER), feedback_id)


def note_feedback(request: Request, context: Context, feedback_id: int, note: str) -> Reply:
    """Add what was wrong to the asker's own 👎."""
    if not note.strip():
        return Reply(
            text="Thank you: I have noted that this answer did not help.", visibility=Visibility.ASKER
        )
    with context.database() as db:
        if not add_note(db, feedback_id, request.user_id, note):
            raise UserError("I cannot find that rating of yours; rate the answer again.")
    return Reply(text="Thank you: I have noted what was wrong, for the clerks who look after me.",
                 visibility=Visibility.ASKER)  # fmt: skip
