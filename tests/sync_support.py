"""Shared helpers for the sync tests: the demo site's clock, a client on a fake clock, one sync.

A test module names it in ``pytest_plugins`` for its fixture (PYTEST_DONT_REWRITE: pytest takes the
already imported module as a plugin without a warning).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from moderngov_standin import DEMO_TODAY, FakeClock, ModernGovStandIn

from knowledge.calendar.recurrence import LONDON
from knowledge.moderngov import ModernGovClient, SyncSummary, sync_site
from knowledge.store import open_db

COUNCIL = "Eastmoor District Council"
#: The night of the demo site's "today", when a scheduled sync runs.
NOW = datetime.combine(DEMO_TODAY, time(2, 30), tzinfo=LONDON)
TOMORROW = NOW + timedelta(days=1)
SCRUTINY, CABINET, AUDIT = "Overview and Scrutiny Committee", "Cabinet", "Audit and Governance Committee"


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback requests go straight to the stand-in, whatever proxy the environment names."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def clock() -> FakeClock:
    """The sync's clock: requests are spaced and retried by it, never by sleeping."""
    return FakeClock()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    """A fresh database for one sync test."""
    database = open_db(tmp_path / "sync.db")
    yield database
    database.close()


def client_for(standin: ModernGovStandIn, clock: FakeClock, **options: Any) -> ModernGovClient:
    """A client of the stand-in whose waits only move the fake clock."""
    return ModernGovClient(standin.base_url, clock=clock, sleep=clock.sleep, **options)


def run_sync(
    standin: ModernGovStandIn, db: Any, clock: FakeClock, *, now: datetime = NOW, **kw: Any
) -> SyncSummary:
    """One sync of the stand-in into ``db``, for the demo council."""
    kw.setdefault("council", COUNCIL)
    return sync_site(db, client_for(standin, clock), now=now, **kw)


def fetched(standin: ModernGovStandIn, since: int = 0) -> list[str]:
    """The meetings (GetMeeting ids) and pages fetched after request ``since``."""
    out = []
    for r in standin.requests[since:]:
        if r.target == "GetMeeting":
            out.append(r.query["lMeetingId"])
        elif r.target.endswith(".aspx"):
            out.append(r.target)
    return out
