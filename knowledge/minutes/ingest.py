"""Ingesting minutes files into the store: each file wholly or not at all, a manifest for metadata.

Every file is checked first (see :mod:`knowledge.minutes.page_check`): a manifest's rows stay inside its
folder unless ``allow_outside``; only regular files under the size cap are read; a page that
shows no sign of ModernGov minutes is refused. A large ingest parses in worker processes while
the main process stores (:mod:`knowledge.minutes.parse_pool`). A write transaction holds a few hundred
items (a file is stored whole or refused before anything is written), takes the write lock first
and waits its turn; files that still cannot be written are reported, and the rest go on.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from importlib import resources
from pathlib import Path

import sqlite_utils

from knowledge.dates import parse_cli_date
from knowledge.minutes.page_check import MAX_FILE_BYTES, outside_reason, read_page_bytes
from knowledge.minutes.parse import PageMeta
from knowledge.minutes.parse_pool import PageJob, ParsedPage, parse_all, parse_job
from knowledge.minutes.passage_index import FTS_TABLE as PASSAGES_FTS
from knowledge.minutes.passage_index import IndexWriter
from knowledge.minutes.recs import sync_recommendations
from knowledge.models import UserError
from knowledge.plans.imports import import_plan_file
from knowledge.store import busy_timeout_seconds, is_busy, replace_source, source_sha, write_transaction

__all__ = [
    "FileResult",
    "ManifestRow",
    "ingest_files",
    "ingest_one",
    "load_sample",
    "sample_config_path",
    "read_manifest",
    "sample_manifest_path",
]

log = logging.getLogger(__name__)
_MANIFEST_COLUMNS = ("path", "council", "body", "date", "url")


@dataclass(frozen=True)
class FileResult:
    """What happened to one file: 'ingested', 'unchanged' or 'failed' (with the reason)."""

    path: str
    status: str
    items: int = 0
    reason: str = ""
    layout: str = ""


@dataclass(frozen=True)
class ManifestRow:
    """One file a manifest lists, with its metadata; ``refused`` says why it will not be read."""

    path: Path
    meta: PageMeta
    refused: str = ""


def _row_path(mpath: Path, text: str, *, allow_outside: bool) -> tuple[Path, str]:
    """The file a row names (relative to the manifest) and why it may not be read, if it may not."""
    try:
        p = Path(text).expanduser()
    except RuntimeError:  # "~someone" for an unknown user
        return Path(text), "it names a home folder that does not exist on this computer"
    if not p.is_absolute():
        p = mpath.parent / p
    return p, "" if allow_outside else outside_reason(p, mpath.parent)


def read_manifest(path: str | os.PathLike[str], *, allow_outside: bool = False) -> list[ManifestRow]:
    """Read a manifest CSV (path,council,body,date,url); paths are relative to the manifest.

    A row whose file lies outside the manifest's folder (after ``~``, ``..`` and symlinks) is
    marked refused, unless ``allow_outside``; bad rows of other kinds raise UserError together.
    """
    mpath = Path(path)
    try:
        text = mpath.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UserError(f"cannot read the manifest {mpath}: {exc.strerror or exc}") from exc
    reader = csv.DictReader(text.splitlines())
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "path" not in fields:
        raise UserError(
            f"the manifest {mpath} has no 'path' column; its first line must be: "
            + ",".join(_MANIFEST_COLUMNS)
        )
    rows: list[ManifestRow] = []
    problems: list[str] = []
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not row.get("path"):
            problems.append(f"line {n}: the path is empty")
            continue
        p, refused = _row_path(mpath, row["path"], allow_outside=allow_outside)
        try:
            day = parse_cli_date(row["date"]) if row.get("date") else None
        except UserError as exc:
            problems.append(f"line {n}: {exc}")
            continue
        meta = PageMeta(row.get("council") or None, row.get("body") or None, day, row.get("url") or None)
        rows.append(ManifestRow(p, meta, refused))
    if problems:
        raise UserError(f"the manifest {mpath} has problems:\n  " + "\n  ".join(problems))
    return rows


def _digest(raw: bytes, meta: PageMeta) -> str:
    h = hashlib.sha256(raw)
    h.update(repr((meta.council, meta.body, meta.meeting_date, meta.url)).encode())
    return h.hexdigest()


def ingest_one(
    db: sqlite_utils.Database,
    path: Path,
    meta: PageMeta,
    *,
    force: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
) -> FileResult:
    """Check, parse and store one file in its own transaction; never raises for a bad file or busy db."""
    job = _read(db, path, meta, force=force, max_bytes=max_bytes)
    if isinstance(job, FileResult):
        return job
    return _store(db, [(job, parse_job(job))])[0]


def _read(db: sqlite_utils.Database, path: Path, meta: PageMeta, *, force: bool, max_bytes: int,
          seen: dict[str, str] | None = None) -> PageJob | FileResult:  # fmt: skip
    """Read a file and decide whether it needs parsing: a job, or its result already."""
    name = str(path)
    try:
        raw = read_page_bytes(path, max_bytes=max_bytes)
    except UserError as exc:
        return FileResult(name, "failed", reason=str(exc))
    except OSError as exc:
        return FileResult(name, "failed", reason=f"cannot read it ({exc.strerror or exc})")
    key = str(path.resolve())
    digest = _digest(raw, meta)
    try:
        stored = (seen or {}).get(key) or source_sha(db, key)
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
        return FileResult(name, "failed", reason=_busy_reason(db))
    if not force and stored == digest:
        return FileResult(name, "unchanged")
    return PageJob(name, key, digest, raw, meta)


def _busy_reason(db: sqlite_utils.Database) -> str:
    return (
        "the database was busy: another program (another ingest, or the bot) was writing to it "
        f"for more than {busy_timeout_seconds(db):g} s; run the ingest again to add this file"
    )


def _store(db: sqlite_utils.Database, batch: Sequence[tuple[PageJob, ParsedPage]]) -> list[FileResult]:
    """Store parsed files in one write transaction (a file is refused whole or stored whole)."""
    results: list[FileResult | None] = [None] * len(batch)
    try:
        with write_transaction(db):
            index = IndexWriter(db)  # the index's changes, written sorted before the commit
            for n, (job, parsed) in enumerate(batch):
                if parsed.doc is None:
                    if parsed.crash:
                        log.error("parse failed path=%s\n%s", job.name, parsed.crash)
                    results[n] = FileResult(job.name, "failed", reason=parsed.reason)
                    continue
                results[n] = _store_one(db, job, parsed, index)
            index.flush()
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
        log.warning("database busy files=%d", len(batch))
        return [FileResult(job.name, "failed", reason=_busy_reason(db)) for job, _ in batch]
    return [r for r in results if r is not None]


def _store_one(db: sqlite_utils.Database, job: PageJob, parsed: ParsedPage, index: IndexWriter) -> FileResult:
    doc = parsed.doc
    if doc is None:  # the caller reports these before; here for the type checker's sake
        return FileResult(job.name, "failed", reason=parsed.reason)
    for item in doc.items:
        item.url = item.url or job.meta.url or job.key
    try:
        n = replace_source(db, job.key, doc.items, sha256=job.digest, layout=doc.layout, url=job.meta.url,
                           index=index, packed=parsed.packed)  # fmt: skip
    except UserError as exc:  # refused before anything was written: a day already holds all it can
        return FileResult(job.name, "failed", reason=str(exc))
    log.info("ingested path=%s layout=%s items=%d", job.name, doc.layout, n)
    return FileResult(job.name, "ingested", items=n, layout=doc.layout)


def _expand(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        path = Path(p).expanduser()
        if path.is_dir():
            out.extend(sorted(f for f in path.rglob("*") if f.suffix.lower() in {".txt", ".html", ".htm"}))
        else:
            out.append(path)
    return out


def ingest_files(
    db: sqlite_utils.Database,
    paths: Sequence[str | os.PathLike[str]] = (),
    *,
    meta: PageMeta | None = None,
    manifest: str | os.PathLike[str] | None = None,
    force: bool = False,
    allow_outside: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    on_progress: Callable[[int, int, FileResult], None] | None = None,
) -> list[FileResult]:
    """Ingest files (folders are searched for .txt and .html) and the files a manifest lists.

    ``meta`` fills in what pages do not state for the files named in ``paths``; a manifest row
    does the same for its file, and ``meta`` then fills what the row leaves empty. A manifest's
    rows outside its folder are reported failed unless ``allow_outside``; files larger than
    ``max_bytes`` are reported failed. Many files are parsed in worker processes while the ones
    parsed are stored, a few hundred items a transaction (each file wholly or not at all).
    """
    meta = meta or PageMeta()
    jobs = [ManifestRow(p, meta) for p in _expand(paths)]
    if manifest is not None:
        for job in read_manifest(manifest, allow_outside=allow_outside):
            row = job.meta
            merged = replace(
                row,
                council=row.council or meta.council,
                body=row.body or meta.body,
                meeting_date=row.meeting_date or meta.meeting_date,
                url=row.url or meta.url,
            )
            jobs.append(replace(job, meta=merged))
    report = _Report(len(jobs), on_progress)
    seen: dict[str, str] = {}  # key -> digest of the files read in this run (a file named twice is unchanged)
    in_flight: deque[tuple[int, PageJob]] = deque()  # read, not yet parsed: a bounded few

    def to_parse() -> Iterator[PageJob]:  # read as the parsers need them: few pages in memory at once
        for n, listed in enumerate(jobs):
            if listed.refused:
                report.done(n, FileResult(str(listed.path), "failed", reason=listed.refused))
                continue
            read = _read(db, listed.path, listed.meta, force=force, max_bytes=max_bytes, seen=seen)
            if isinstance(read, FileResult):
                report.done(n, read)
            else:
                seen[read.key] = read.digest
                in_flight.append((n, read))
                yield read

    batch: list[tuple[int, PageJob, ParsedPage]] = []
    for parsed in parse_all(to_parse(), len(jobs)):  # in the order read
        n, file = in_flight.popleft()
        batch.append((n, file, parsed))
        if sum(len(p.doc.items) for _, _, p in batch if p.doc) >= _BATCH_ITEMS or len(batch) >= _BATCH_FILES:
            _store_batch(db, batch, report)
            batch = []
    _store_batch(db, batch, report)
    results = report.results()
    if any(r.status == "ingested" for r in results):
        sync_recommendations(db)  # the tracker follows the minutes, at ingest, never when asked
        _tidy(db, sum(r.items for r in results))
    return results


#: A write transaction stores files until it holds this many items (or files): few commits, short locks.
_BATCH_ITEMS = 600
_BATCH_FILES = 60


def _store_batch(db: sqlite_utils.Database, batch: list[tuple[int, PageJob, ParsedPage]], report: _Report) -> None:
    if batch:
        for (n, _, _), result in zip(batch, _store(db, [(j, p) for _, j, p in batch]), strict=True):
            report.done(n, result)
        report.flush()


def _tidy(db: sqlite_utils.Database, items: int) -> None:
    """After a large ingest: merge the index's segments and give the write-ahead log's space back."""
    if items >= 5000:
        with write_transaction(db):
            db.execute(f"INSERT INTO {PASSAGES_FTS}({PASSAGES_FTS}, rank) VALUES ('merge', 500)")
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError as exc:  # a reader holds the log: it is reused instead
        if not is_busy(exc):
            raise


class _Report:
    """Results in the order of the files, passed to ``on_progress`` as soon as each and all before it are known."""

    def __init__(self, total: int, on_progress: Callable[[int, int, FileResult], None] | None) -> None:
        self._results: list[FileResult | None] = [None] * total
        self._told = 0
        self._on_progress = on_progress

    def done(self, n: int, result: FileResult) -> None:
        """Record file ``n``'s result."""
        self._results[n] = result

    def flush(self) -> None:
        """Tell ``on_progress`` of every result now known in order."""
        while self._told < len(self._results) and (r := self._results[self._told]) is not None:
            self._told += 1
            if self._on_progress:
                self._on_progress(self._told, len(self._results), r)

    def results(self) -> list[FileResult]:
        """Every result, in the order of the files."""
        self.flush()
        return [r for r in self._results if r is not None]


def sample_manifest_path() -> Path:
    """The manifest of the bundled fictional sample council."""
    return Path(str(resources.files("knowledge.sample").joinpath("northbridge", "manifest.csv")))


def load_sample(db: sqlite_utils.Database, *, today: date) -> int:
    """Load the bundled sample council (Northbridge Borough Council): its minutes, its improvement
    plan, the recommendations in its minutes and its meetings for the months after ``today``.
    Returns the items stored."""
    from knowledge.calendar.meetings import import_meetings
    from knowledge.calendar.sample import upcoming_sample_meetings

    results = ingest_files(db, manifest=sample_manifest_path())
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise UserError(
            "the bundled sample did not ingest: " + "; ".join(f"{r.path}: {r.reason}" for r in failed)
        )
    now = datetime.combine(today, time(9, 0), tzinfo=UTC)
    plan = sample_manifest_path().parent / "plan.xlsx"  # every row is dated; now only stamps the import
    import_plan_file(db, plan, "Children's Services Improvement Plan", now=now)
    sync_recommendations(db)
    import_meetings(db, upcoming_sample_meetings(today), "sample calendar", now=now)
    return int(db.execute("SELECT count(*) FROM items").fetchone()[0])


def sample_config_path() -> Path:
    """The sample council's bot settings (roles, channels and reminders for trying the bot)."""
    return sample_manifest_path().parent / "bot.toml"
