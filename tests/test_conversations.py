"""Conversations the bot may post to unprompted, and the shapes of the ids people and channels have."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from knowledge.addresses import (
    conversation_key,
    entra_object_id,
    is_teams_address,
    slack_channel_id,
    slack_user_id,
    teams_conversation_id,
)
from knowledge.conversations import (
    claim_delivery,
    find_conversation,
    forget_conversation,
    list_conversations,
    remember_conversation,
)
from knowledge.store import MIGRATIONS, open_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # noqa: UP017 - explicit for readers
PERSON = "0f8e5c1a-6b2d-4e7f-9a3c-1d2e3f4a5b6c"


@pytest.fixture
def db():  # noqa: ANN201 - a fresh in-memory store
    database = open_db(":memory:")
    yield database
    database.close()


def test_the_conversations_table_is_a_numbered_migration() -> None:
    assert "010_conversations" in [name for name, _ in MIGRATIONS]


def test_a_conversation_is_written_only_when_new_or_changed(db) -> None:  # noqa: ANN001
    remember = dict(transport="teams", conversation_id="19:a@thread.tacv2", kind="channel", now=NOW)
    assert remember_conversation(db, reference='{"v": 1}', title="Scrutiny / General", **remember) is True
    assert remember_conversation(db, reference='{"v": 1}', **remember) is False  # the title is kept
    assert (
        remember_conversation(db, reference='{"v": 2}', **{**remember, "now": NOW + timedelta(days=1)})
        is True
    )
    found = find_conversation(db, "teams", "19:a@thread.tacv2")
    assert found is not None and (found.reference, found.title, found.kind) == (
        '{"v": 2}',
        "Scrutiny / General",
        "channel",
    )
    assert found.updated_at.startswith("2026-03-03")
    with pytest.raises(ValueError):
        remember_conversation(db, reference="{}", **{**remember, "kind": "meeting"})


def test_a_person_is_found_by_their_id_in_their_one_to_one_chat(db) -> None:  # noqa: ANN001
    remember_conversation(db, transport="teams", conversation_id="a:1xyz", kind="personal", user_id=PERSON,
                          reference="{}", now=NOW)  # fmt: skip
    remember_conversation(db, transport="teams", conversation_id="19:b@thread.v2", kind="group", reference="{}",
                          title="Chairs", now=NOW)  # fmt: skip
    remember_conversation(db, transport="teams", conversation_id="19:a@thread.tacv2", kind="channel", reference="{}",
                          now=NOW)  # fmt: skip
    found = find_conversation(db, "teams", PERSON)
    assert found is not None and found.conversation_id == "a:1xyz"
    assert find_conversation(db, "slack", PERSON) is None and find_conversation(db, "teams", "nobody") is None
    assert [c.conversation_id for c in list_conversations(db, "teams")] == [
        "19:a@thread.tacv2",
        "19:b@thread.v2",
    ]
    assert [c.conversation_id for c in list_conversations(db, "teams", ("personal",))] == ["a:1xyz"]
    assert forget_conversation(db, "teams", "19:b@thread.v2") and not forget_conversation(
        db, "teams", "19:b@thread.v2"
    )


def test_a_delivery_is_claimed_once_and_old_claims_are_dropped(db) -> None:  # noqa: ANN001
    assert claim_delivery(db, "teams c 1", NOW) is True
    assert claim_delivery(db, "teams c 1", NOW) is False
    assert claim_delivery(db, "teams c 2", NOW + timedelta(days=3)) is True
    assert claim_delivery(db, "teams c 1", NOW + timedelta(days=3)) is True  # forgotten after two days


@pytest.mark.parametrize(
    ("text", "user", "channel", "teams"),
    [("U0123ABCD", "U0123ABCD", None, False), ("C0123ABCD", None, "C0123ABCD", False),
     (PERSON.upper(), PERSON, None, True), ("19:a1b2@thread.tacv2;messageid=17", None, "19:a1b2@thread.tacv2", True),
     ("19:meeting_x@thread.v2", None, "19:meeting_x@thread.v2", True), ("#scrutiny", None, None, False),
     ("sam@example.gov.uk", None, None, False), ("a:1personal", None, None, False)],
)  # fmt: skip
def test_ids_are_recognised_by_their_shape(
    text: str, user: str | None, channel: str | None, teams: bool
) -> None:
    assert (slack_user_id(text) or entra_object_id(text)) == user
    assert (slack_channel_id(text) or teams_conversation_id(text)) == channel
    assert is_teams_address(text) is teams
    assert conversation_key("19:x@thread.tacv2;messageid=1") == "19:x@thread.tacv2"
