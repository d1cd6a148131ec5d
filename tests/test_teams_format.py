"""Adaptive Cards for Teams: citations first with their status and a link, text shown as written, the
choices as buttons, and every card within Teams' size limit."""

from __future__ import annotations

import json

from bot.teams_format import MAX_CARD_CHARS, VERB_FEEDBACK, VERB_MORE, VERB_SHARE, card_text, reply_card
from handlers.messages import Choice, ChoiceKind, Reply, Section
from knowledge.models import Citation

URL = "https://democracy.northbridge.example/mgIssue?ID=181&x=<y>"


def WithStatus(*args: object) -> Citation:  # noqa: N802 - reads like the citation it makes
    return Citation(*args, status="draft minutes")  # type: ignore[arg-type]


def _cite(n: int = 181, source: str = URL, **kw: object) -> Citation:
    return Citation("Northbridge Borough Council", "Cabinet", None, str(n), "Budget", source, **kw)  # type: ignore[arg-type]


def test_a_citation_shows_council_body_item_status_and_a_button_to_its_page() -> None:
    cite = WithStatus("Northbridge Borough Council", "Cabinet", None, "181", "Budget", URL)
    card = reply_card(Reply(text="x", sections=(Section("“Yes”", (cite,)),), head="Found 1."))
    seen = card_text(card)
    assert seen.splitlines()[:4] == [
        "Found 1.",
        "Northbridge Borough Council, Cabinet, date not stated, item 181: Budget (draft minutes)",
        f"Open the minutes ({URL})",
        "“Yes”",
    ]
    plain = card_text(
        reply_card(Reply(text="x", sections=(Section("q", (_cite(source="minutes/181.txt"),)),)))
    )
    assert "Source: minutes/181.txt" in plain and "draft" not in plain and "Open the minutes" not in plain


def test_text_is_shown_as_written_never_as_markdown() -> None:
    typed = "**Bold** [a link](https://evil.example) <at>x</at> # heading"
    card = reply_card(Reply(text=typed))
    runs = [i for b in card["body"][0]["items"] for i in b["inlines"]]
    assert runs == [{"type": "TextRun", "text": typed}]
    assert '"TextBlock"' not in json.dumps(card)  # a TextBlock reads markdown: none is used


def test_choices_become_buttons_and_share_lists_channels_to_pick_from() -> None:
    choices = (Choice(ChoiceKind.MORE, "Show more (1 more page)", "a1:2"), Choice(ChoiceKind.SHARE, "Share in channel", "a1"),
               Choice(ChoiceKind.FEEDBACK, "Was this helpful?", "a1"))  # fmt: skip
    reply = Reply(text="x", sections=(Section("q", (_cite(),)),), choices=choices)
    none = [a["title"] for a in reply_card(reply)["actions"]]
    assert none == ["Show more (1 more page)", "👍", "👎"]  # nowhere to share to: no Share
    one = reply_card(reply, share_to=[("19:a@thread.tacv2", "this channel")])["actions"]
    assert one[1]["data"] == {"answer": "a1", "channel": "19:a@thread.tacv2", "verb": VERB_SHARE}
    assert (
        one[0]["verb"] == VERB_MORE and one[0]["data"]["value"] == "a1:2" and one[2]["verb"] == VERB_FEEDBACK
    )
    two = reply_card(
        reply, share_to=[("19:a@thread.tacv2", "Scrutiny / General"), ("19:b@thread.v2", "Chairs")]
    )
    picker = two["actions"][1]
    assert picker["type"] == "Action.ShowCard"
    assert [c["title"] for c in picker["card"]["body"][0]["choices"]] == ["Scrutiny / General", "Chairs"]


def test_a_long_answer_is_cut_to_what_one_teams_message_holds() -> None:
    sections = tuple(Section("x" * 2000, (_cite(n),)) for n in range(40))
    card = reply_card(Reply(text="long", sections=sections))
    assert len(json.dumps(card, ensure_ascii=False)) <= MAX_CARD_CHARS
    assert card_text(card).endswith("ask about a narrower period or one committee for the rest.")
    assert "item 0: Budget" in card_text(card)


def test_an_item_with_a_page_of_its_own_has_a_button_to_its_meetings_page_too() -> None:
    meeting = "https://democracy.northbridge.example/ieListDocuments.aspx?CId=1&MId=9"
    seen = card_text(reply_card(Reply(text="x", sections=(Section("“Yes”", (_cite(page=meeting),)),))))
    assert f"Open the minutes ({URL})" in seen and f"Open the meeting page ({meeting})" in seen
    same = card_text(reply_card(Reply(text="x", sections=(Section("“Yes”", (_cite(page=URL),)),))))
    assert "meeting page" not in same
