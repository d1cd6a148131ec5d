"""Ingesting minutes files into the store: one transaction a file, a manifest for metadata.

Every file is checked first (see :mod:`knowledge.page_check`): a manifest's rows stay inside its
folder unless ``allow_outside``; only regular files under the size cap are read; a page that
shows no sign of ModernGov minutes is refused. Each file's transaction takes the write lock
first and waits its turn; a file that still cannot be written is reported, and the rest go on.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from importlib import resources
from pathlib import Path

import sqlite_utils

from .dates import parse_cli_date
from .models import UserError
from .page_check import MAX_FILE_BYTES, check_minutes, outside_reason, read_page_bytes
from .parse import PageMeta, parse_page
from .plan_import import import_plan_file
from .recs import sync_recommendations
from .store import busy_timeout_seconds, is_busy, replace_source, source_sha, write_transaction

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


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def ingest_one(
    db: sqlite_utils.Database,
    path: Path,
    meta: PageMeta,
    *,
    force: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
) -> FileResult:
    """Check, parse and store one file in its own transaction; never raises for a bad file or busy db."""
    name = str(path)
    try:
        raw = read_page_bytes(path, max_bytes=max_bytes)
    except UserError as exc:
        return FileResult(name, "failed", reason=str(exc))
    except OSError as exc:
        return FileResult(name, "failed", reason=f"cannot read it ({exc.strerror or exc})")
    try:
        return _parse_and_store(db, path, raw, meta, force=force)
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
        log.warning("database busy path=%s", name)
        return FileResult(name, "failed", reason=_busy_reason(db))


def _busy_reason(db: sqlite_utils.Database) -> str:
    return (
        "the database was busy: another program (another ingest, or the bot) was writing to it "
        f"for more than {busy_timeout_seconds(db):g} s; run the ingest again to add this file"
    )


def _parse_and_store(
    db: sqlite_utils.Database, path: Path, raw: bytes, meta: PageMeta, *, force: bool
) -> FileResult:
    name = str(path)
    key = str(path.resolve())
    digest = _digest(raw, meta)
    if not force and source_sha(db, key) == digest:
        return FileResult(name, "unchanged")
    page = _decode(raw)
    try:
        doc = parse_page(page, meta, source=meta.url or name)
    except UserError as exc:
        return FileResult(name, "failed", reason=str(exc))
    except Exception as exc:  # a parser bug must not stop the other files; log it for the developers
        log.exception("parse failed path=%s", name)
        return FileResult(name, "failed", reason=f"the parser failed ({type(exc).__name__}: {exc})")
    try:
        check_minutes(doc, page)
    except UserError as exc:
        return FileResult(name, "failed", reason=str(exc))
    for item in doc.items:
        item.url = item.url or meta.url or key
    with write_transaction(db):
        n = replace_source(db, key, doc.items, sha256=digest, layout=doc.layout, url=meta.url)
    log.info("ingested path=%s layout=%s items=%d", name, doc.layout, n)
    return FileResult(name, "ingested", items=n, layout=doc.layout)


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
    ``max_bytes`` are reported failed.
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
    results = []
    for n, job in enumerate(jobs, start=1):
        if job.refused:
            result = FileResult(str(job.path), "failed", reason=job.refused)
        else:
            result = ingest_one(db, job.path, job.meta, force=force, max_bytes=max_bytes)
        results.append(result)
        if on_progress:
            on_progress(n, len(jobs), result)
    if any(r.status == "ingested" for r in results):
        sync_recommendations(db)  # the tracker follows the minutes, at ingest, never when asked
    return results


def sample_manifest_path() -> Path:
    """The manifest of the bundled fictional sample council."""
    return Path(str(resources.files("knowledge.sample").joinpath("northbridge", "manifest.csv")))


def load_sample(db: sqlite_utils.Database, *, today: date) -> int:
    """Load the bundled sample council (Northbridge Borough Council): its minutes, its improvement
    plan, the recommendations in its minutes and its meetings for the months after ``today``.
    Returns the items stored."""
    from .meetings import import_meetings
    from .sample_calendar import upcoming_sample_meetings

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
