"""Benchmark: ingest a synthetic council of N items and time questions against it.

    .venv/bin/python benchmarks/bench_minutes.py [--sizes 1000,10000,100000] [--keep DIR]

For each size it writes the pages (deterministic, seeded) to a folder, then in a fresh subprocess ingests
them through ``knowledge.minutes.ingest.ingest_files`` (parsing included) and times ``knowledge.answers.ask.ask`` on a
fixed question mix; a second subprocess times a naive linear rapidfuzz scan of every passage on the same
questions; a third indexes the same titles and passages with bm25s, the reference (optional: ``pip
install -e '.[bench]'``; without it the column says so). Each size runs in its own processes so that
peak memory is that size's alone. It prints a markdown table with the targets (at 100k items, on 2
cores): ask p95 <= 20 ms, ingest >= 2,500 items/s, peak RSS <= 150 MB, database <= 2x the page text.

This is a benchmark to run on demand, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_reference import time_bm25s, time_passage_search  # noqa: E402
from questions import QUESTIONS  # noqa: E402
from synth_council import COUNCIL, write_council  # noqa: E402

TODAY = date(2026, 11, 22)
GENERATOR_VERSION = 1
TARGET_P95_MS = 20.0
TARGET_INGEST = 2500.0
TARGET_RSS_MB = 150.0
TARGET_SIZE = 2.0  # database size over the pages' size


def _pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _peak_rss_mb(who: str = "self") -> float:
    """Peak RSS of this process, or of its largest child that has ended (the ingest's parse workers)."""
    import resource

    rusage = resource.RUSAGE_CHILDREN if who == "children" else resource.RUSAGE_SELF
    return resource.getrusage(rusage).ru_maxrss / 1024  # Linux reports KiB


def _file_mb(*paths: Path) -> float:
    return sum(p.stat().st_size for p in paths if p.exists()) / 1e6


# --- workers (each in its own process) -------------------------------------------------------


def _worker_ask(root: Path, reps: int, profile: bool) -> dict[str, object]:
    from knowledge.answers.ask import ask
    from knowledge.answers.query import detect_intent
    from knowledge.minutes.ingest import ingest_files
    from knowledge.minutes.parse import PageMeta
    from knowledge.store import open_db

    db_path = root / "bench.db"
    rss_start = _peak_rss_mb()
    db = open_db(db_path)
    t0 = time.perf_counter()
    results = ingest_files(db, [root / "pages"], meta=PageMeta(council=COUNCIL))
    ingest_s = time.perf_counter() - t0
    items = int(db.execute("SELECT count(*) FROM items").fetchone()[0])
    failed = [f"{r.path}: {r.reason}" for r in results if r.status == "failed"]
    wal = Path(str(db_path) + "-wal")
    db_mb = _file_mb(db_path, wal)
    wal_mb = _file_mb(wal)
    db.close()
    rss_ingest = _peak_rss_mb()
    rss_workers = _peak_rss_mb("children")

    db = open_db(db_path)  # one fresh connection for all the questions
    found: dict[str, bool] = {}
    for _, q in QUESTIONS:  # warm-up: caches, the fts5vocab table, rapidfuzz
        found[q] = ask(db, q, today=TODAY).found
    per_q: dict[str, list[float]] = defaultdict(list)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    for _ in range(reps):
        for _, q in QUESTIONS:
            t = time.perf_counter()
            ask(db, q, today=TODAY)
            per_q[q].append((time.perf_counter() - t) * 1000)
    if profiler:
        import io
        import pstats

        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
        print(out.getvalue(), file=sys.stderr)
    db.close()

    # Retrieval alone, on the words bm25s is given (bench_reference.py)
    db = open_db(db_path)
    search = time_passage_search(db, [q for _, q in QUESTIONS], reps)
    db.close()

    # The bot opens a connection per request: time that too, once a question.
    per_request = []
    for _, q in QUESTIONS:
        t = time.perf_counter()
        conn = open_db(db_path)
        ask(conn, q, today=TODAY)
        conn.close()
        per_request.append((time.perf_counter() - t) * 1000)

    times = [t for ts in per_q.values() for t in ts]
    by_intent: dict[str, list[float]] = defaultdict(list)
    for label, q in QUESTIONS:
        by_intent[label].extend(per_q[q])
    medians = sorted(((statistics.median(per_q[q]), q) for _, q in QUESTIONS), reverse=True)
    return {
        "items": items,
        "files": len(results),
        "failed": failed[:5],
        "n_failed": len(failed),
        "ingest_s": ingest_s,
        "ingest_rate": items / ingest_s if ingest_s else 0.0,
        "db_mb": db_mb,
        "wal_mb": wal_mb,
        "rss_start_mb": rss_start,
        "rss_ingest_mb": rss_ingest,
        "rss_workers_mb": rss_workers,
        "rss_peak_mb": _peak_rss_mb(),
        "search_p50": search["p50"],
        "search_p95": search["p95"],
        "ask_p50": _pct(times, 50),
        "ask_p95": _pct(times, 95),
        "ask_max": max(times),
        "ask_n": len(times),
        "per_request_p50": _pct(per_request, 50),
        "per_request_p95": _pct(per_request, 95),
        "by_intent": {k: (_pct(v, 50), _pct(v, 95)) for k, v in by_intent.items()},
        "slowest": medians[:8],
        "found": sum(found.values()),
        "questions": len(QUESTIONS),
        "detected": dict(Counter(detect_intent(q) for _, q in QUESTIONS)),
    }


def _worker_bm25s(root: Path, reps: int) -> dict[str, object]:
    res = time_bm25s(root / "bench.db", [q for _, q in QUESTIONS], reps)
    return {**res, "rss_peak_mb": _peak_rss_mb()}


def _worker_baseline(root: Path, budget_s: float) -> dict[str, object]:
    from rapidfuzz import fuzz, process
    from rapidfuzz.utils import default_process

    from knowledge.store import open_db  # the `items` view reads the stored passages through its function

    t0 = time.perf_counter()
    conn = open_db(root / "bench.db", migrate=False)
    texts = []
    for (passages,) in conn.execute("SELECT passages FROM items"):
        texts.extend(default_process(text) for _, _, text in json.loads(passages))
    conn.close()
    load_s = time.perf_counter() - t0

    def one(q: str) -> float:
        t = time.perf_counter()
        process.extract(default_process(q), texts, scorer=fuzz.partial_ratio, processor=None, limit=10)
        return (time.perf_counter() - t) * 1000

    first = one(QUESTIONS[0][1])  # also the warm-up
    reps = max(1, min(3, int(budget_s * 1000 / max(first, 1e-3) / len(QUESTIONS))))
    times = [one(q) for _ in range(reps) for _, q in QUESTIONS]
    return {
        "passages": len(texts),
        "load_s": load_s,
        "reps": reps,
        "p50": _pct(times, 50),
        "p95": _pct(times, 95),
        "rss_peak_mb": _peak_rss_mb(),
    }


# --- the driver --------------------------------------------------------------------------------


def _prepare(root: Path, size: int, seed: int) -> dict[str, object]:
    """Write the pages unless the folder already holds this size and seed; remove any old database."""
    stamp = root / "pages.json"
    want = {"size": size, "seed": seed, "generator": GENERATOR_VERSION}
    info: dict[str, object]
    if stamp.exists() and json.loads(stamp.read_text()).get("params") == want:
        info = json.loads(stamp.read_text())
        info["generate_s"] = 0.0
    else:
        shutil.rmtree(root / "pages", ignore_errors=True)
        t = time.perf_counter()
        files, items, nbytes = write_council(root / "pages", size, seed)
        info = {"params": want, "files": files, "items": items, "bytes": nbytes}
        stamp.write_text(json.dumps(info))
        info["generate_s"] = time.perf_counter() - t
    for suffix in ("", "-wal", "-shm"):
        Path(str(root / "bench.db") + suffix).unlink(missing_ok=True)
    return info


def _run_worker(args: list[str]) -> dict[str, object]:
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"worker failed ({proc.returncode}): {' '.join(cmd)}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _revision() -> str:
    """The git commit of the code measured, with '+changes' if knowledge/ differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
        )
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "knowledge"], cwd=HERE.parent,
                               capture_output=True, text=True)  # fmt: skip
    except OSError:
        return "unknown"
    rev = head.stdout.strip() or "unknown"
    return rev + ("+changes" if dirty.stdout.strip() else "")


def _mark(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _table(rows: list[dict[str, object]]) -> str:
    head = (
        "| items | ingest items/s (>= 2,500) | ask p50 ms | ask p95 ms (<= 20) | passage search p50 / p95 ms "
        "| bm25s p50 / p95 ms | naive scan p50 / p95 ms | database MB (<= 2x text) | peak RSS MB (<= 150) |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    lines = [head]
    for r in rows:
        a, b, m, g = r["ask"], r.get("baseline"), r.get("bm25s"), r["pages"]
        naive = f"{b['p50']:,.0f} / {b['p95']:,.0f}" if b else "not run"
        ref = "not run" if not m else "not installed" if "missing" in m else f"{m['p50']:.1f} / {m['p95']:.1f}"
        ratio = a["db_mb"] / (g["bytes"] / 1e6)
        lines.append(
            f"| {a['items']:,} | {a['ingest_rate']:,.0f} {_mark(a['ingest_rate'] >= TARGET_INGEST)} "
            f"| {a['ask_p50']:.1f} | {a['ask_p95']:.1f} {_mark(a['ask_p95'] <= TARGET_P95_MS)} "
            f"| {a['search_p50']:.1f} / {a['search_p95']:.1f} | {ref} | {naive} "
            f"| {a['db_mb']:,.1f} ({ratio:.2f}x) {_mark(ratio <= TARGET_SIZE)} "
            f"| {a['rss_peak_mb']:.0f} {_mark(a['rss_peak_mb'] <= TARGET_RSS_MB)} |"
        )
    return "\n".join(lines)


def _details(r: dict[str, object]) -> str:
    a, b, g = r["ask"], r.get("baseline"), r["pages"]
    out = [
        f"### {a['items']:,} items",
        f"- pages: {a['files']:,} meetings, {g['bytes'] / 1e6:,.1f} MB of text ("
        + (f"generated in {g['generate_s']:.1f} s" if g["generate_s"] else "reused from --keep")
        + f"); ingest {a['ingest_s']:.1f} s, {a['n_failed']} file(s) failed",
        f"- database {a['db_mb']:,.1f} MB (of which WAL {a['wal_mb']:.1f} MB); peak RSS after start-up "
        f"{a['rss_start_mb']:.0f} MB, after ingest {a['rss_ingest_mb']:.0f} MB, after the questions "
        f"{a['rss_peak_mb']:.0f} MB; the largest parse worker {a['rss_workers_mb']:.0f} MB",
        f"- ask: {a['ask_n']} timings ({a['questions']} questions), p50 {a['ask_p50']:.1f} ms, p95 "
        f"{a['ask_p95']:.1f} ms, max {a['ask_max']:.1f} ms; with a new connection per question p50 "
        f"{a['per_request_p50']:.1f} ms, p95 {a['per_request_p95']:.1f} ms; {a['found']} of "
        f"{a['questions']} answered with quotes",
        "- by intent (p50 / p95 ms): "
        + ", ".join(f"{k} {v[0]:.1f} / {v[1]:.1f}" for k, v in sorted(a["by_intent"].items())),
        "- intents detected: " + ", ".join(f"{k} {v}" for k, v in sorted(a["detected"].items())),
        "- slowest questions (median ms): " + "; ".join(f"{q!r} {t:.1f}" for t, q in a["slowest"][:5]),
    ]
    m = r.get("bm25s")
    if m and "missing" in m:
        out.append(f"- bm25s: not run: {m['missing']}")
    elif m:
        out.append(
            f"- bm25s {m['version']}: {m['rows']:,} titles and passages read in {m['load_s']:.1f} s, indexed in "
            f"{m['index_s']:.1f} s, peak RSS {m['rss_peak_mb']:.0f} MB (all in memory; rebuilt to add a page)"
        )
    if b:
        out.append(
            f"- naive scan: {b['passages']:,} passages loaded in {b['load_s']:.1f} s, {b['reps']} pass(es), "
            f"peak RSS {b['rss_peak_mb']:.0f} MB"
        )
    for f in a["failed"]:
        out.append(f"- failed: {f}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000,100000", help="comma-separated item counts")
    p.add_argument("--keep", metavar="DIR", help="write pages and databases here and keep them (reused)")
    p.add_argument("--seed", type=int, default=20221215)
    p.add_argument("--reps", type=int, default=5, help="timed runs of each question (after one warm-up)")
    p.add_argument(
        "--baseline-budget", type=float, default=600, help="seconds the naive scan may take a size"
    )
    p.add_argument("--no-baseline", action="store_true", help="skip the naive rapidfuzz scan")
    p.add_argument("--no-bm25s", action="store_true", help="skip the bm25s reference")
    p.add_argument("--profile", action="store_true", help="cProfile the timed questions (to stderr)")
    p.add_argument("--json", metavar="FILE", help="also write the raw results here")
    p.add_argument("--worker", choices=("ask", "baseline", "bm25s"), help=argparse.SUPPRESS)
    p.add_argument("--dir", help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.worker:
        root = Path(args.dir)
        if args.worker == "ask":
            res = _worker_ask(root, args.reps, args.profile)
        elif args.worker == "bm25s":
            res = _worker_bm25s(root, args.reps)
        else:
            res = _worker_baseline(root, args.baseline_budget)
        print(json.dumps(res))
        return 0

    sizes = [int(s.replace("_", "").replace("k", "000")) for s in args.sizes.split(",") if s.strip()]
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-minutes-"))
    rows = []
    machine = (
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.system()} {platform.machine()}, code {_revision()}"
    )
    print(f"# machine: {machine}", file=sys.stderr)
    try:
        for size in sizes:
            root = base / f"n{size}"
            root.mkdir(parents=True, exist_ok=True)
            print(f"# {size:,} items: writing pages to {root}", file=sys.stderr, flush=True)
            pages = _prepare(root, size, args.seed)
            print(f"# {size:,} items: ingest and questions", file=sys.stderr, flush=True)
            extra = ["--profile"] if args.profile else []
            row: dict[str, object] = {
                "size": size,
                "pages": pages,
                "ask": _run_worker(["--worker", "ask", "--dir", str(root), "--reps", str(args.reps), *extra]),
            }
            a = row["ask"]
            print(f"# {size:,} items: ingest {a['ingest_rate']:,.0f} items/s, ask p50 {a['ask_p50']:.1f} ms "
                  f"p95 {a['ask_p95']:.1f} ms, database {a['db_mb']:,.1f} MB, peak RSS {a['rss_peak_mb']:.0f} MB",
                  file=sys.stderr, flush=True)  # fmt: skip
            if not args.no_bm25s:
                print(f"# {size:,} items: bm25s reference", file=sys.stderr, flush=True)
                row["bm25s"] = _run_worker(["--worker", "bm25s", "--dir", str(root), "--reps", str(args.reps)])
            if not args.no_baseline:
                print(f"# {size:,} items: naive rapidfuzz scan", file=sys.stderr, flush=True)
                row["baseline"] = _run_worker(
                    [
                        "--worker",
                        "baseline",
                        "--dir",
                        str(root),
                        "--baseline-budget",
                        str(args.baseline_budget),
                    ]
                )
            rows.append(row)
            print(_details(row), file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(f"Machine: {machine}; {args.reps} timed runs of each of {len(QUESTIONS)} questions.\n")
    print(_table(rows))
    print()
    print("\n\n".join(_details(r) for r in rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
