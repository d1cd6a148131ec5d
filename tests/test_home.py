"""The App Home panels, through the handlers, on the sample council."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.context import Context
from handlers.home import build_home, red_or_overdue_actions
from handlers.messages import Request
from knowledge.minutes.ingest import load_sample
from knowledge.store import open_db

TODAY = date(2025, 11, 22)


@pytest.fixture(scope="module")
def context(tmp_path_factory) -> Context:
    path = tmp_path_factory.mktemp("home") / "sample.db"
    db = open_db(path)
    load_sample(db, today=TODAY)
    db.close()
    return Context(
        open_db=lambda: open_db(path), now=lambda: datetime(2025, 11, 22, 9, tzinfo=ZoneInfo("Europe/London"))
    )


def test_red_actions_come_first_then_overdue(context):
    panel = red_or_overdue_actions(Request(user_id="U1", text=""), context)
    lines = [s.text for s in panel.sections]
    assert lines[0].startswith("2.4 [Red]")
    reds = [line for line in lines if "[Red]" in line]
    assert len(reds) == 5 and lines[: len(reds)] == reds
    assert any("(overdue)" in line and "[Red]" not in line for line in lines)
    assert all(
        s.citations[0].body == "Children's Services Improvement Plan" for s in panel.sections if s.citations
    )


def test_home_has_its_panels(context):
    home = build_home(Request(user_id="U1", text="", display_name="Sam"), context)
    assert [p.title for p in home.panels] == [  # an officer would also see "Your actions"
        "Upcoming meetings",
        "Deadlines in the next two weeks",
        "Plan actions that are red or overdue",
        "Recent decisions",
    ]
    assert all(p.more for p in home.panels)  # each short, with the command that shows the rest
    assert home.greeting == "Hello Sam."
    assert home.panels[0].sections  # the sample's calendar has meetings ahead


def test_meetings_command_through_the_registry(context):
    from handlers.commands import build_registry

    registry = build_registry()
    reply = registry.dispatch(Request(user_id="U1", text="meetings cabinet next"), context)
    assert (
        reply.text.startswith("The next meeting of Cabinet:")
        and "Thursday 18 December 2025 at 14:30" in reply.text
    )
    reply = registry.dispatch(Request(user_id="U1", text="meetings"), context)
    assert "Meetings of any body in the next six weeks:" in reply.text
    reply = registry.dispatch(Request(user_id="U1", text="meetings cabinet december 2022"), context)
    assert "Thursday 15 December 2022" in reply.text
    reply = registry.dispatch(Request(user_id="U1", text="meetings cabinet august 2026"), context)
    assert "none that I know of" in reply.text


_WORDS = st.sampled_from(["status", "update", "remind", "add", "cancel", "report", "recs", "rec", "meetings", "help",
                          "ask", "share", "whoami", "roles", "plans", "2.3", "R1", "red", "AMBER", "next", "tomorrow",
                          "09:00", "#scrutiny", "@U1", "me", "every", "monday", "xlsx", "--share", "cabinet", "'", "("])  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    role=st.sampled_from(["member", "officer", "clerk", "admin"]),
    words=st.lists(_WORDS, max_size=6),
    tail=st.text(max_size=30),
)
def test_any_chat_text_gets_a_reply_never_an_exception(context, role, words, tail):
    from handlers.commands import build_registry

    reply = build_registry().dispatch(
        Request(user_id="U1", text=" ".join(words) + " " + tail, role=role), context
    )
    assert isinstance(reply.text, str) and reply.text.strip()
