"""What a handler is given besides the request: a database opener, a clock and the configuration."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Protocol

from knowledge.answers.ask import ask as knowledge_ask
from knowledge.calendar.reminders import ReminderSettings
from knowledge.models import Answer

from .access import Access

__all__ = ["AskFn", "Context", "local_now"]


class AskFn(Protocol):
    """Answers a question from the database: :func:`knowledge.answers.ask.ask`."""

    def __call__(
        self, db: Any, question: str, *, today: date, include_restricted: bool = False, council: str | None = None
    ) -> Answer: ...


def local_now() -> datetime:
    """The time now, aware, in the machine's time zone."""
    return datetime.now().astimezone()


@dataclass(frozen=True)
class Context:
    """Services for handlers, built once by the composition root; no SQL and no Slack in here.

    ``open_db`` opens a fresh connection (one per unit of work, closed after it). ``replies_private``
    is set by a transport whose requests nobody else sees (a slash command): answers then go only
    to the asker unless the asker shares them. ``command_prefix`` is what users type before a
    command there ("/scrutiny "), for help texts.
    """

    open_db: Callable[[], Any]
    access: Access = field(default_factory=Access)
    now: Callable[[], datetime] = local_now
    ask: AskFn = knowledge_ask
    replies_private: bool = False
    command_prefix: str = ""
    reminders: ReminderSettings = field(default_factory=ReminderSettings)  # channels, clerks, send time
    council: str | None = None  # the deployment's own council: questions naming none are about it

    def today(self) -> date:
        """Today's date by this context's clock."""
        return self.now().date()

    @contextmanager
    def database(self) -> Iterator[Any]:
        """A connection for one unit of work, closed afterwards."""
        db = self.open_db()
        try:
            yield db
        finally:
            db.close()

    def private(self, command_prefix: str = "") -> Context:
        """This context for an entry point whose replies default to the asker only."""
        return replace(self, replies_private=True, command_prefix=command_prefix)
