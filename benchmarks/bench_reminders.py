"""Benchmark: one reminder-scheduler tick over 10,000 meetings and 10,000 clerks' reminders.

    .venv/bin/python benchmarks/bench_reminders.py [--meetings 10000] [--reminders 10000] [--years 2] [--ticks 30]

It builds a database (deterministic, seeded) with the meetings spread over ``--years`` years across
40 bodies, each with a channel and three clerks for deadlines, plus clerks' reminders (a mix of
one-off, daily, working-day, weekly and monthly), and a send log holding everything sent in the
two weeks before. Then, in a fresh subprocess so that peak memory is the ticker's alone, it times
``bot.scheduler.run_tick`` (a connection opened and closed per tick, as the bot does): the 09:00
tick that sends the morning's reminders, then steady ticks a minute apart that find nothing new.
It prints a markdown table with the target: a tick under 50 ms. Only the project's own
dependencies are used.

This is a benchmark to run on demand, not a test.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

TARGET_MS = 50.0
START = date(2026, 1, 5)
NOW = (2026, 12, 2, 9, 0)  # a Wednesday, 09:00 London time: the morning's reminders are due
N_BODIES = 40
CLERKS = ("U0CLERKA1", "U0CLERKB2", "U0CLERKC3")
REPEATS = ("", "", "daily", "working-days", "weekly", "monthly")


def _pct(values: list[float], q: float) -> float:
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _settings():  # noqa: ANN202 - imported late so the driver stays light
    from knowledge.calendar.reminders import BodyReminders, ReminderSettings

    bodies = {f"Committee {n:02d}": BodyReminders(channel=f"C0BODY{n:04d}") for n in range(N_BODIES)}
    return ReminderSettings(bodies=bodies, clerks=CLERKS)


def _now() -> datetime:
    from knowledge.calendar.recurrence import LONDON

    return datetime(*NOW, tzinfo=LONDON)


# --- building (its own process) ------------------------------------------------------------------


def _build(path: Path, meetings: int, reminders: int, years: int, seed: int) -> dict[str, object]:
    from knowledge.calendar.reminders import occurrences
    from knowledge.store import open_db

    rng = random.Random(seed)
    t0 = time.perf_counter()
    db = open_db(path)
    days = 365 * years
    rows = []
    for n in range(meetings):
        day = START + timedelta(days=rng.randrange(days))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        body = f"Committee {rng.randrange(N_BODIES):02d}"
        status = "cancelled" if rng.random() < 0.03 else "confirmed"
        rows.append(
            {"uid": f"bench-{n}", "council": "Benchmark Borough Council", "body": body, "date": day.isoformat(),
             "time": rng.choice(["10:00", "14:00", "18:00", "18:30"]), "venue": "Council Chamber",
             "status": status, "url": f"https://example.gov.uk/mgMeeting?ID={n}", "source": "bench.ics",
             "updated_at": "2026-01-01T00:00:00+00:00"}
        )  # fmt: skip
    now = _now()
    custom = []
    for n in range(reminders):
        start = (now - timedelta(days=rng.randrange(60)) + timedelta(days=rng.randrange(90))).date()
        custom.append(
            {"target": f"C0CHAN{n % 50:04d}", "text": f"Benchmark reminder {n}", "start_date": start.isoformat(),
             "at_time": rng.choice(["08:30", "09:00", "09:00", "12:00", "16:00"]), "repeat": rng.choice(REPEATS),
             "created_by": CLERKS[0], "created_at": "2025-12-01T00:00:00+00:00",
             "cancelled_at": "2026-06-01T00:00:00+00:00" if rng.random() < 0.1 else None}
        )  # fmt: skip
    with db.conn:
        db["meetings"].insert_all(rows, batch_size=1000)
        db["reminders"].insert_all(custom, batch_size=1000)
    # Everything due in the two weeks before now has been sent.
    past = occurrences(db, now - timedelta(days=14), now - timedelta(seconds=1), _settings())
    with db.conn:
        db["send_log"].insert_all(
            (
                {"transport": "", "reminder_key": o.reminder_key, "due_at": o.due_at.astimezone(UTC).isoformat(timespec="seconds"),
                 "status": "sent", "claimed_at": o.due_at.isoformat(), "recipient": o.to, "kind": o.kind}
                for o in past
            ),
            batch_size=1000,
        )  # fmt: skip
        # The bot has been running: its first tick was long ago.
        db.execute(
            "INSERT OR REPLACE INTO reminder_state (name, value) VALUES ('first_tick:', '2026-01-01T00:00:00+00:00')"
        )
    db.close()
    return {"build_s": time.perf_counter() - t0, "sent_before": len(past)}


# --- measuring (a fresh process) -------------------------------------------------------------------


def _measure(path: Path, ticks: int, profile: bool) -> dict[str, object]:
    from bot.notifiers import RecordingNotifier
    from bot.scheduler import run_tick
    from knowledge.calendar.reminders import occurrences
    from knowledge.store import open_db

    settings = _settings()
    now = _now()
    rss_start = _peak_rss_mb()
    open_database = lambda: open_db(path)  # noqa: E731 - as the bot does: a connection per tick
    notifier = RecordingNotifier()
    t = time.perf_counter()
    first = run_tick(open_database, now, notifier, settings)
    first_ms = (time.perf_counter() - t) * 1000
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    steady, cpu = [], []
    for minute in range(1, ticks + 1):
        t, c = time.perf_counter(), time.process_time()
        result = run_tick(open_database, now + timedelta(minutes=minute), notifier, settings)
        steady.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert not result.sent, "a steady tick found something new"
    if profiler:
        import io
        import pstats

        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue(), file=sys.stderr)
    db = open_db(path)
    t = time.perf_counter()
    week = occurrences(db, now, now + timedelta(days=7), settings)
    week_ms = (time.perf_counter() - t) * 1000
    counts = {
        "meetings": db.execute("SELECT count(*) FROM meetings").fetchone()[0],
        "reminders": db.execute("SELECT count(*) FROM reminders").fetchone()[0],
        "send_log": db.execute("SELECT count(*) FROM send_log").fetchone()[0],
    }
    db.close()
    return {
        **counts,
        "first_ms": first_ms,
        "first_sent": len(first.sent),
        "p50": statistics.median(steady),
        "p95": _pct(steady, 95),
        "max": max(steady),
        "cpu_p50": statistics.median(cpu),
        "cpu_p95": _pct(cpu, 95),
        "ticks": len(steady),
        "week_ms": week_ms,
        "week_n": len(week),
        "rss_start_mb": rss_start,
        "rss_peak_mb": _peak_rss_mb(),
    }


def _subprocess(*args: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    if out.stderr:
        print(out.stderr, file=sys.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=10_000)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=2, help="the years the meetings are spread over")
    parser.add_argument("--ticks", type=int, default=30, help="steady ticks to time")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a profile of the steady ticks")
    parser.add_argument("--build", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--measure", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(_build(Path(args.build), args.meetings, args.reminders, args.years, args.seed)))
        return 0
    if args.measure:
        print(json.dumps(_measure(Path(args.measure), args.ticks, args.profile)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as folder:
        db = str(Path(folder) / "bench.db")
        common = [
            "--meetings",
            str(args.meetings),
            "--reminders",
            str(args.reminders),
            "--years",
            str(args.years),
        ]
        built = _subprocess("--build", db, *common, "--seed", str(args.seed))
        measured = _subprocess(
            "--measure", db, "--ticks", str(args.ticks), *(["--profile"] if args.profile else [])
        )
    ok = "yes" if measured["p95"] < TARGET_MS else "NO"  # type: ignore[operator]
    print(f"Reminder scheduler benchmark: Python {platform.python_version()}, {platform.machine()}, "
          f"{args.meetings:,} meetings over {args.years} years, {args.reminders:,} clerks' reminders, "
          f"send log {measured['send_log']:,} rows; build {built['build_s']:.1f} s\n")  # fmt: skip
    print("| measure | value |")
    print("|---|---|")
    print(f"| tick at 09:00 (sends {measured['first_sent']:,}) | {measured['first_ms']:.1f} ms |")
    print(f"| steady tick p50 / p95 / max ({measured['ticks']} ticks) | "
          f"{measured['p50']:.1f} / {measured['p95']:.1f} / {measured['max']:.1f} ms |")  # fmt: skip
    print(f"| steady tick CPU time p50 / p95 | {measured['cpu_p50']:.1f} / {measured['cpu_p95']:.1f} ms |")
    print(f"| target: steady tick p95 < {TARGET_MS:.0f} ms | {ok} |")
    print(f"| list a week ({measured['week_n']:,} reminders) | {measured['week_ms']:.1f} ms |")
    print(f"| peak RSS of the ticking process | {measured['rss_peak_mb']:.0f} MB "
          f"(at start {measured['rss_start_mb']:.0f} MB) |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
