"""The Teams bot's handlers through the Agents SDK's own test harness (``TestAdapter`` and ``TestFlow``).

No HTTP at all: the adapter runs the bot's turn and keeps what it sends. Each adapter is one
conversation (Teams' 1:1 chat, a channel), with a person identified by their Entra object id.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from chat_support import make_context, seeded_db
from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ChannelId,
    ConversationAccount,
    ConversationReference,
    Entity,
)
from microsoft_agents.testing import TestAdapter, TestFlow
from teams_support import BOT, CHANNEL, MEMBER, OFFICER, TEAMS_ACCESS, dm

from bot.teams_app import GREETING, TeamsBot, build_bot
from bot.teams_config import TeamsSettings
from bot.teams_format import CARD_CONTENT_TYPE, card_text
from bot.teams_serve import make_connections

QUESTION = "what did cabinet resolve in Dec 2022"
EXEMPT = "sold to the preferred bidder"


def _bot(tmp_path: Path) -> TeamsBot:
    connections, _ = make_connections(TeamsSettings(anonymous=True))
    return build_bot(make_context(seeded_db(tmp_path), access=TEAMS_ACCESS), connections)


def _adapter(user: str, kind: str, conversation: str) -> TestAdapter:
    reference = ConversationReference(
        channel_id=ChannelId("msteams"),
        service_url="https://test.com",
        user=ChannelAccount(id=f"29:1{user[:8]}", name="", aad_object_id=user),
        bot=ChannelAccount(**BOT),
        conversation=ConversationAccount(
            id=conversation, conversation_type=kind, is_group=kind != "personal"
        ),
        locale="en-GB",
    )
    return TestAdapter(conversation=reference)


def _read(reply: Activity) -> str:
    return "\n".join(
        card_text(a.content) for a in reply.attachments or [] if a.content_type == CARD_CONTENT_TYPE
    )


def _has(*words: str, missing: tuple[str, ...] = ()) -> Any:
    def check(reply: Activity) -> None:
        assert reply.type == ActivityTypes.message, reply.type
        seen = _read(reply)
        for word in words:
            assert word in seen, (word, seen)
        for word in missing:
            assert word not in seen, (word, seen)

    return check


def _mention(text: str) -> Activity:
    tag = f"<at>{BOT['name']}</at>"
    entity = Entity.model_validate({"type": "mention", "text": tag, "mentioned": BOT})
    return Activity(type=ActivityTypes.message, text=f"{tag} {text}", entities=[entity])


def test_a_one_to_one_chat_gets_cards_with_quotes_citations_and_exempt_material_for_an_officer(
    tmp_path: Path,
) -> None:
    bot = _bot(tmp_path)

    async def flow() -> None:
        adapter = _adapter(OFFICER, "personal", dm(OFFICER))
        await (
            TestFlow(adapter, bot.app.on_turn)
            .send("help")
            .assert_typing_indicator()
            .assert_reply(_has("Ask me about council meetings in plain words", "ask [--share] QUESTION"))
            .send(QUESTION)
            .assert_typing_indicator()
            .assert_reply(
                _has(
                    "Cabinet, 15 December 2022, item 181: Budget & council tax 2023/24",
                    "That the revenue budget for 2023/24 be recommended to Council <as amended>.",
                    EXEMPT,
                    "Exempt (Part 2)",
                )
            )  # fmt: skip
            .start_test()
        )

    asyncio.run(flow())


def test_a_channel_mention_is_answered_in_the_channel_without_exempt_material(tmp_path: Path) -> None:
    bot = _bot(tmp_path)

    async def flow() -> None:
        adapter = _adapter(OFFICER, "channel", f"{CHANNEL};messageid=1700000000001")
        await (
            TestFlow(adapter, bot.app.on_turn)
            .send(_mention(QUESTION))
            .assert_reply(_has("item 181: Budget & council tax 2023/24", missing=(EXEMPT,)))
            .start_test()
        )
        assert adapter.activity_queue == []  # one answer, and no typing indicator in a channel

    asyncio.run(flow())


def test_the_bot_greets_a_person_who_adds_it_and_a_member_is_a_member(tmp_path: Path) -> None:
    bot = _bot(tmp_path)

    async def flow() -> None:
        adapter = _adapter(MEMBER, "personal", dm(MEMBER))
        await (
            TestFlow(adapter, bot.app.on_turn)
            .send_conversation_update(members_added=[ChannelAccount(**BOT)])
            .assert_reply(_has(GREETING))
            .send(QUESTION)
            .assert_typing_indicator()
            .assert_reply(_has("item 181", missing=(EXEMPT,)))
            .start_test()
        )

    asyncio.run(flow())
