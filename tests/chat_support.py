"""Shared test helpers for the chat transports: a small seeded council, a context, a running app."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from loopback import OnLoopback

from bot.config import Settings
from bot.slack_app import build_app, make_client
from bot.slack_serve import EVENTS_PATH, make_http_server
from handlers.access import Access
from handlers.context import Context
from knowledge.models import ParsedItem, Passage
from knowledge.store import open_db, replace_source

NOW = datetime(2023, 2, 1, 9, 30, tzinfo=timezone.utc)  # noqa: UP017 - explicit for readers
TODAY = NOW.date()

ACCESS = Access(
    roles={"U0OFFICER": "officer", "U0CLERK": "clerk", "U0ADMIN": "admin"},
    audiences={"C0OFFICERS": "officers", "C0MEMBERS": "members"},
    names={"U0OFFICER": "Olu Officer", "U0CLERK": "Cleo Clerk", "U0MEMBER": "Sam Member"},
)

CABINET_URL = "https://northbridge.example.gov.uk/mgIssue?ID=181&Cabinet"

ITEMS = [
    ParsedItem(
        title="Budget & council tax 2023/24",
        council="Northbridge Borough Council",
        body="Cabinet",
        meeting_date=date(2022, 12, 15),
        item="181",
        passages=[
            Passage("narrative", "The Leader introduced the draft budget for 2023/24."),
            Passage(
                "resolution", "That the revenue budget for 2023/24 be recommended to Council <as amended>."
            ),
        ],
        url=CABINET_URL,
    ),
    ParsedItem(
        title="Disposal of land at Mill Lane",
        council="Northbridge Borough Council",
        body="Cabinet",
        meeting_date=date(2022, 12, 15),
        item="185",
        passages=[Passage("resolution", "That the land at Mill Lane be sold to the preferred bidder.")],
        url="https://northbridge.example.gov.uk/mgIssue?ID=185",
        restricted=True,
    ),
    ParsedItem(
        title="Housing repairs backlog",
        council="Northbridge Borough Council",
        body="Overview and Scrutiny Committee",
        meeting_date=date(2023, 1, 10),
        item="42",
        passages=[Passage("recommendation", "That Cabinet publish a monthly repairs dashboard.")],
        url="https://northbridge.example.gov.uk/mgIssue?ID=42",
    ),
]


def seeded_db(folder: Path) -> Path:
    """A database file holding :data:`ITEMS`, migrated and closed."""
    path = folder / "bot.db"
    db = open_db(path)
    with db.conn:
        replace_source(db, "test-minutes", ITEMS)
    db.close()
    return path


def make_context(path: Path, access: Access = ACCESS, **kwargs: object) -> Context:
    """A context over the database at ``path`` with a fixed clock."""
    return Context(open_db=lambda: open_db(path), access=access, now=lambda: NOW, **kwargs)  # type: ignore[arg-type]


def settings_for(fake: FakeSlack, access: Access = ACCESS) -> Settings:
    return Settings(
        access=access,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
    )


class RunningApp(OnLoopback):
    """The real Bolt app served by our WSGI server on 127.0.0.1, talking to ``fake``."""

    def __init__(
        self, fake: FakeSlack, context: Context, *, process_before_response: bool = False, **kw: object
    ):
        self.sleeps: list[float] = []
        settings = settings_for(fake, context.access)
        client = make_client(settings, sleep=self.sleeps.append)
        self.app = build_app(
            settings,
            context,
            client,
            process_before_response=process_before_response,
            **kw,  # type: ignore[arg-type]
        )
        self._serve(make_http_server(self.app, "127.0.0.1", 0, signing_secret=settings.slack_signing_secret), "bolt-app")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}{EVENTS_PATH}"

