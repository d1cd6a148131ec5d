"""Handlers through the registry: routing, roles, visibility, exempt material, help and docs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from chat_support import ACCESS, make_context, seeded_db

from handlers.access import Access, has_role, may_see_restricted, roles_from
from handlers.commands import build_registry
from handlers.context import Context
from handlers.messages import Reply, Request, Visibility
from handlers.registry import Command, Registry
from knowledge.models import Answer, Filters, UserError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def context(tmp_path: Path) -> Context:
    return make_context(seeded_db(tmp_path))


def _request(text: str, role: str = "member", **kw: Any) -> Request:
    base = {"user_id": "U0X", "channel_id": "C0PUBLIC", "direct": False, "audience": "public"}
    return Request(text=text, role=role, **{**base, **kw})


class RecordingAsk:
    """A fake answerer that records what it was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, date, bool]] = []

    def __call__(
        self, db: Any, question: str, *, today: date, include_restricted: bool = False, council: str | None = None
    ) -> Answer:
        self.calls.append((question, today, include_restricted))
        return Answer(question, False, f"No answer to {question}", "topic", Filters())


# --- routing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "rest"),
    [
        ("help", "help", ""),
        ("HELP ask", "help", "ask"),
        ("help me find the housing report", "ask", "help me find the housing report"),
        ("", "help", ""),
        ("   ", "help", ""),
        ("whoami", "whoami", ""),
        ("whoami, and what did cabinet decide", "ask", "whoami, and what did cabinet decide"),
        ("ask what did cabinet resolve", "ask", "what did cabinet resolve"),
        ("Ask: budget", "ask", "budget"),
        ("share budget 2023", "share", "budget 2023"),
        ("roles", "roles", ""),
        ("roles of the scrutiny committee", "ask", "roles of the scrutiny committee"),
        ("what did cabinet resolve in Dec 2022", "ask", "what did cabinet resolve in Dec 2022"),
    ],
)
def test_text_resolves_to_a_command_or_falls_back_to_a_question(text: str, name: str, rest: str) -> None:
    command, words = build_registry().resolve(text)
    assert (command.name, words) == (name, rest)


def test_commands_are_checked_when_registered() -> None:
    registry = Registry()
    handler = build_registry().get("whoami").handler  # type: ignore[union-attr]
    registry.add(Command("x", "s", "x", handler))
    with pytest.raises(ValueError, match="twice"):
        registry.add(Command("x", "s", "x", handler))
    with pytest.raises(ValueError, match="role"):
        Command("y", "s", "y", handler, role="mayor")
    with pytest.raises(ValueError, match="one lower-case word"):
        Command("Two words", "s", "y", handler)


# --- roles -------------------------------------------------------------------------------------


def test_role_order_and_words() -> None:
    assert has_role("admin", "clerk") and has_role("clerk", "clerk") and not has_role("officer", "clerk")
    assert has_role("nonsense", "member") and not has_role("nonsense", "officer")
    assert roles_from("clerk") == "clerks and admins"
    assert roles_from("officer") == "officers, clerks and admins"
    assert roles_from("admin") == "admins"


@pytest.mark.parametrize("role", ["member", "officer"])
def test_a_member_calling_a_clerk_command_is_refused_politely_naming_who_can(
    context: Context, role: str
) -> None:
    reply = build_registry().dispatch(_request("roles", role), context)
    assert reply.visibility is Visibility.ASKER
    assert reply.text.startswith("Sorry, `roles` is for clerks and admins")
    assert f"as {'an' if role == 'officer' else 'a'} {role}" in reply.text


@pytest.mark.parametrize("role", ["clerk", "admin"])
def test_clerks_and_admins_may_list_roles(context: Context, role: str) -> None:
    reply = build_registry().dispatch(_request("roles", role), context)
    assert "Officers: Olu Officer (U0OFFICER)" in reply.text
    assert "Admins: U0ADMIN" in reply.text
    assert "C0OFFICERS (officers)" in reply.text


def test_access_fills_in_role_audience_and_name() -> None:
    req = ACCESS.request(user_id="U0OFFICER", text="hi", channel_id="C0OFFICERS")
    assert (req.role, req.audience, req.display_name) == ("officer", "officers", "Olu Officer")
    nobody = ACCESS.request(user_id="U0NEW", text="hi", channel_id="C0ELSE")
    assert (nobody.role, nobody.audience) == ("member", "public")
    assert ACCESS.find_user("Cleo Clerk") == ("U0CLERK", "clerk")
    assert ACCESS.find_user("U0ADMIN") == ("U0ADMIN", "admin")
    assert ACCESS.find_user("officers") == ("any-officer", "officer")
    assert ACCESS.find_user("the mayor") is None


def test_access_cannot_be_changed_after_it_is_built() -> None:
    roles = {"U1": "clerk"}
    access = Access(roles=roles)
    roles["U1"] = "admin"
    assert access.role_of("U1") == "clerk"
    with pytest.raises(TypeError):
        access.roles["U2"] = "admin"  # type: ignore[index]


# --- exempt (Part 2) material ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "direct", "audience", "allowed"),
    [
        ("member", True, "public", False),
        ("member", False, "officers", False),
        ("officer", True, "public", True),
        ("officer", False, "officers", True),
        ("officer", False, "members", False),
        ("officer", False, "public", False),
        ("clerk", True, "public", True),
        ("admin", False, "members", False),
        ("admin", False, "officers", True),
    ],
)
def test_exempt_material_only_for_officers_and_up_where_nobody_else_reads(
    tmp_path: Path, role: str, direct: bool, audience: str, allowed: bool
) -> None:
    request = _request("what did cabinet resolve", role, direct=direct, audience=audience)
    assert may_see_restricted(request) is allowed
    fake = RecordingAsk()
    context = make_context(seeded_db(tmp_path), ask=fake)
    build_registry().dispatch(request, context)
    assert fake.calls == [("what did cabinet resolve", date(2023, 2, 1), allowed)]


def test_an_answer_quoting_exempt_items_names_them(context: Context) -> None:
    question = "what did cabinet resolve in Dec 2022"
    officer = build_registry().dispatch(_request(question, "officer", direct=True), context)
    member = build_registry().dispatch(_request(question, "member", direct=True), context)
    assert "sold to the preferred bidder" in officer.text
    assert "sold to the preferred bidder" not in member.text
    assert officer.sections[-1].text.startswith("Exempt (Part 2) material")
    assert "item 185: Disposal of land at Mill Lane" in officer.sections[-1].text
    assert "Exempt" not in member.text


# --- answers and visibility ---------------------------------------------------------------------


def test_an_answer_carries_sections_with_citations(context: Context) -> None:
    reply = build_registry().dispatch(_request("what did cabinet resolve in Dec 2022"), context)
    assert "That the revenue budget for 2023/24 be recommended" in reply.text
    [section] = reply.sections
    [citation] = section.citations
    assert citation.label().endswith("item 181: Budget & council tax 2023/24")
    assert citation.source.startswith("https://northbridge.example.gov.uk/")


@pytest.mark.parametrize(
    ("text", "private", "visibility"),
    [
        ("budget", False, Visibility.CHANNEL),
        ("budget", True, Visibility.ASKER),
        ("ask budget", True, Visibility.ASKER),
        ("ask --share budget", True, Visibility.CHANNEL),
        ("share budget", True, Visibility.CHANNEL),
        ("help", False, Visibility.ASKER),
        ("whoami", False, Visibility.ASKER),
    ],
)
def test_slash_answers_are_private_unless_shared(
    context: Context, text: str, private: bool, visibility: Visibility
) -> None:
    ctx = context.private("/scrutiny ") if private else context
    assert build_registry().dispatch(_request(text), ctx).visibility is visibility


def test_an_empty_question_is_a_user_error_shown_politely(context: Context) -> None:
    for text in ("ask", "share", "ask --share"):
        reply = build_registry().dispatch(_request(text), context)
        assert reply.text.startswith("What would you like to know?")
        assert reply.visibility is Visibility.ASKER


def test_user_errors_are_replies_and_other_errors_propagate(context: Context) -> None:
    registry = Registry()

    def polite(request: Request, ctx: Context) -> Reply:
        raise UserError("I do not know that committee.")

    def broken(request: Request, ctx: Context) -> Reply:
        raise RuntimeError("disk on fire")

    registry.add(Command("ask", "s", "ask", polite))
    registry.add(Command("boom", "s", "boom", broken))
    assert registry.dispatch(_request("anything"), context).text == "I do not know that committee."
    with pytest.raises(RuntimeError):
        registry.dispatch(_request("boom"), context)


def test_whoami_says_role_and_what_that_means_here(context: Context) -> None:
    request = ACCESS.request(user_id="U0OFFICER", text="whoami", channel_id="C0OFFICERS")
    text = build_registry().dispatch(request, context).text
    assert "Olu Officer (U0OFFICER)" in text and "an officer" in text
    assert "audience: officers" in text and "may quote exempt" in text
    public = replace(request, channel_id="C0PUBLIC", audience="public")
    assert "never quote exempt" in build_registry().dispatch(public, context).text


# --- help and the command table ----------------------------------------------------------------


def test_help_lists_every_command_with_the_transport_prefix(context: Context) -> None:
    registry = build_registry()
    text = registry.dispatch(_request("help"), context.private("/scrutiny ")).text
    for command in registry:
        assert f"/scrutiny {command.usage}: {command.summary}" in text
    one = registry.dispatch(_request("help roles"), context).text
    assert one.splitlines()[0] == "roles" and "For clerks and admins." in one


def test_every_example_runs_the_command_it_illustrates() -> None:
    registry = build_registry()
    for command in registry:
        assert command.examples, f"{command.name} has no example"
        for example in command.examples:
            assert registry.resolve(example)[0].name == command.name, example


def test_markdown_table_has_a_row_per_command() -> None:
    registry = build_registry()
    table = registry.markdown_table().splitlines()
    assert table[0] == "| Command | What it does | Who | Example |"
    assert len(table) == 2 + len(registry.names())
    assert any(row.startswith("| `/scrutiny roles` |") and "clerks and admins" in row for row in table)


def test_the_command_table_in_the_docs_is_the_registrys() -> None:
    start, end = "<!-- commands:start -->", "<!-- commands:end -->"
    documented = [ROOT / "README.md"]
    for path in documented:
        text = path.read_text(encoding="utf-8")
        table = text[text.index(start) + len(start) : text.index(end)].strip()
        assert table == build_registry().markdown_table(), (
            f"{path.name}: regenerate the table from the registry"
        )


def test_the_terminal_completes_every_command_name() -> None:
    from bot.terminal import completions

    assert set(build_registry().names()) <= set(completions(build_registry()))
