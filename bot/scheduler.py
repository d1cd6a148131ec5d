"""The reminder ticker: APScheduler runs one job every minute inside the bot; our tables hold the reminders.

The same scheduler runs daily jobs (the ModernGov sync at 02:30) on an executor of their own, so a long
job never holds up a tick; a daily job that fails is logged and runs again the next day.

A tick opens its own database connection, asks :func:`knowledge.calendar.reminders.due` what is due, claims
each occurrence in the send log and only then sends it through a :class:`Notifier`. APScheduler
keeps nothing but that one job, in memory: no pickled job store, nothing two processes share but
the database, where the claims make sure each occurrence goes out at most once. The clock is
injected, so tests call :func:`run_tick` (or the job's function) with a fixed time and never sleep.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from knowledge.calendar.recurrence import LONDON
from knowledge.calendar.reminders import DEFAULT_LOOKBACK, Occurrence, ReminderSettings, claim, due, record
from knowledge.store import open_db

__all__ = [
    "TICK_SECONDS",
    "DailyJob",
    "Notifier",
    "ReminderScheduler",
    "Tick",
    "run_daily",
    "run_tick",
    "ticking",
    "utc_now",
]

log = logging.getLogger(__name__)

TICK_SECONDS = 60
JOB_ID = "tick"
DAILY_EXECUTOR = "daily"


class Notifier(Protocol):
    """Delivers one reminder: ``to`` is a channel id or name, or a user id."""

    def send(self, to: str, text: str) -> None: ...


@dataclass(frozen=True)
class DailyJob:
    """A job run once a day at ``at`` (London time), such as the ModernGov sync."""

    name: str
    at: time
    run: Callable[[], object]


def run_daily(job: DailyJob) -> bool:
    """Run a daily job; an error is logged (never raised) and the job simply runs again next time."""
    try:
        job.run()
    except Exception:  # the daily executor's one error handler
        log.exception(
            "the daily job %r failed; it will run again at %s tomorrow", job.name, job.at.strftime("%H:%M")
        )
        return False
    return True


@dataclass(frozen=True)
class Tick:
    """What one tick did: the occurrences it sent and those whose sending failed."""

    sent: tuple[Occurrence, ...] = ()
    failed: tuple[Occurrence, ...] = ()


def utc_now() -> datetime:
    """The real clock, aware, in UTC."""
    return datetime.now(UTC)


def run_tick(
    open_db: Callable[[], Any],
    now: datetime,
    notifier: Notifier,
    settings: ReminderSettings,
    *,
    transport: str = "",
    lookback: timedelta = DEFAULT_LOOKBACK,
    accepts: Callable[[str], bool] | None = None,
) -> Tick:
    """Send what is due at ``now``: claim each occurrence first, then send it, then record how it went.

    A failed send is logged and recorded as "failed" and not retried: Slack has no idempotency key,
    so the choice is between at most once and at least once, and a reminder twice is worse.
    ``accepts`` says which recipients this transport can reach (a Teams bot cannot post to a Slack
    channel): the others are left alone, neither claimed nor logged, for the transport that can.
    """
    db = open_db()
    sent: list[Occurrence] = []
    failed: list[Occurrence] = []
    try:
        for occurrence in due(db, now, settings, lookback, transport=transport):
            if accepts is not None and not accepts(occurrence.to):
                continue  # another transport's recipient
            if not claim(db, occurrence, now=now, transport=transport):
                continue  # another tick or process has it
            try:
                notifier.send(occurrence.to, occurrence.message(now))
            except Exception:  # one bad recipient must not stop the others
                log.exception("could not send the %s reminder %s to %s", occurrence.kind, occurrence.reminder_key,
                              occurrence.to)  # fmt: skip
                record(db, occurrence, "failed", now=now, transport=transport)
                failed.append(occurrence)
            else:
                record(db, occurrence, "sent", now=now, transport=transport)
                sent.append(occurrence)
    finally:
        db.close()
    return Tick(tuple(sent), tuple(failed))


class ReminderScheduler:
    """APScheduler's ``BackgroundScheduler`` with one in-memory job, "tick", every ``interval`` seconds.

    ``coalesce=True`` and ``max_instances=1``: after a pause the tick runs once, never twice at a time;
    ``misfire_grace_time=None``: a late tick still runs. The first tick runs as soon as it starts.
    """

    def __init__(
        self,
        open_db: Callable[[], Any],
        notifier: Notifier,
        settings: ReminderSettings,
        *,
        clock: Callable[[], datetime] = utc_now,
        interval: float = TICK_SECONDS,
        transport: str = "",
        lookback: timedelta = DEFAULT_LOOKBACK,
        on_tick: Callable[[Tick], None] | None = None,
        remind: bool = True,
        accepts: Callable[[str], bool] | None = None,
    ) -> None:
        self.open_db = open_db
        self.notifier = notifier
        self.settings = settings
        self.clock = clock
        self.transport = transport
        self.lookback = lookback
        self.on_tick = on_tick
        self.accepts = accepts
        self.scheduler = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            executors={
                "default": ThreadPoolExecutor(max_workers=1),
                DAILY_EXECUTOR: ThreadPoolExecutor(max_workers=1),
            },
            timezone=UTC,
        )
        self.job = None
        if remind:  # without reminders the scheduler may still run daily jobs
            self.job = self.scheduler.add_job(
                self.tick,
                "interval",
                seconds=interval,
                id=JOB_ID,
                name="send due reminders",
                coalesce=True,
                max_instances=1,
                misfire_grace_time=None,
                next_run_time=utc_now(),
            )

    def add_daily(self, job: DailyJob) -> None:
        """Run ``job`` every day at its time, London time, on the daily executor: once at a time, and a
        run missed by up to an hour (the bot was busy or restarting) still happens."""
        self.scheduler.add_job(
            run_daily,
            CronTrigger(hour=job.at.hour, minute=job.at.minute, timezone=LONDON),
            args=[job],
            id=f"daily:{job.name}",
            name=job.name,
            executor=DAILY_EXECUTOR,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
        )

    def tick(self) -> Tick | None:
        """One tick at the injected clock's time; an error is logged and the next tick tries again."""
        try:
            result = run_tick(
                self.open_db,
                self.clock(),
                self.notifier,
                self.settings,
                transport=self.transport,
                lookback=self.lookback,
                accepts=self.accepts,
            )
        except Exception:  # the scheduler thread's one error handler
            log.exception("the reminder tick failed; the next one will try again")
            return None
        if self.on_tick is not None:
            self.on_tick(result)
        return result

    def start(self, *, paused: bool = False) -> None:
        """Start the scheduler's thread (``paused``: start it without running any job, for tests)."""
        self.scheduler.start(paused=paused)

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop the scheduler, waiting for a running tick to finish."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=wait)

    def __enter__(self) -> ReminderScheduler:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


@contextmanager
def ticking(
    db_path: str | Path,
    notifier: Notifier,
    settings: ReminderSettings,
    *,
    enabled: bool = True,
    transport: str = "",
    clock: Callable[[], datetime] = utc_now,
    daily: Sequence[DailyJob] = (),
    accepts: Callable[[str], bool] | None = None,
) -> Iterator[ReminderScheduler | None]:
    """Reminders from the database at ``db_path`` ticking in the background while the block runs
    (``enabled=False``: not at all), and the ``daily`` jobs at their times. The composition root's one
    line for ``chat`` and ``serve``."""
    if not enabled and not daily:
        yield None
        return
    scheduler = ReminderScheduler(
        lambda: open_db(db_path), notifier, settings, clock=clock, transport=transport, remind=enabled,
        accepts=accepts,
    )
    for job in daily:
        scheduler.add_daily(job)
    scheduler.start()
    if enabled:
        log.info("reminders are on: a tick every %s seconds", TICK_SECONDS)
    for job in daily:
        log.info("the daily job %r runs at %s London time", job.name, job.at.strftime("%H:%M"))
    try:
        yield scheduler
    finally:
        scheduler.shutdown()
