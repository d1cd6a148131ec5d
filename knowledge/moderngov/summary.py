"""What a sync reports: its progress as it goes, and a summary when it ends (data; the words are the caller's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["SyncFailure", "SyncProgress", "SyncSummary"]


@dataclass(frozen=True)
class SyncProgress:
    """One step, for a progress bar: ``stage`` is "listing", "meeting" or "notice"."""

    stage: str
    done: int
    total: int
    text: str


@dataclass(frozen=True)
class SyncFailure:
    """Something that could not be synced (a committee's listing, a meeting) and why."""

    what: str
    reason: str


@dataclass
class SyncSummary:
    """What a sync did: counts, failures, notices; ``stopped`` says why it stopped early, if it did."""

    site: str
    via: str = "service"
    since: date | None = None
    until: date | None = None
    committees: int = 0
    meetings: int = 0
    fetched: int = 0
    meetings_new: int = 0
    meetings_changed: int = 0
    meetings_unchanged: int = 0
    meetings_removed: int = 0
    items_new: int = 0
    items_changed: int = 0
    items_unchanged: int = 0
    items_removed: int = 0
    cancelled: int = 0
    moved: int = 0
    confirmed: int = 0
    failures: list[SyncFailure] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    stopped: str = ""

    @property
    def changed(self) -> bool:
        """True when the index or the calendar changed."""
        return any((self.meetings_new, self.meetings_changed, self.meetings_removed, self.cancelled,
                    self.moved, self.confirmed, self.items_new, self.items_changed, self.items_removed))  # fmt: skip

    @property
    def ok(self) -> bool:
        """True when nothing failed and the sync ran to the end."""
        return not self.failures and not self.stopped
