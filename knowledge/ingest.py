"""Ingesting minutes files into the store: one transaction a file, a manifest for metadata."""

from __future__ import annotations

import csv
import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from importlib import resources
from pathlib import Path

import sqlite_utils

from .dates import parse_cli_date
from .models import UserError
from .parse import PageMeta, parse_page
from .plan_import import import_plan_file
from .recs import sync_recommendations
from .store import replace_source, source_sha

__all__ = [
    "FileResult",
    "ingest_files",
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


def read_manifest(path: str | os.PathLike[str]) -> list[tuple[Path, PageMeta]]:
    """Read a manifest CSV (path,council,body,date,url); paths are relative to the manifest."""
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
    rows: list[tuple[Path, PageMeta]] = []
    problems: list[str] = []
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not row.get("path"):
            problems.append(f"line {n}: the path is empty")
            continue
        p = Path(row["path"]).expanduser()
        if not p.is_absolute():
            p = mpath.parent / p
        try:
            day = parse_cli_date(row["date"]) if row.get("date") else None
        except UserError as exc:
            problems.append(f"line {n}: {exc}")
            continue
        meta = PageMeta(row.get("council") or None, row.get("body") or None, day, row.get("url") or None)
        rows.append((p, meta))
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


def ingest_one(db: sqlite_utils.Database, path: Path, meta: PageMeta, *, force: bool = False) -> FileResult:
    """Parse and store one file in its own transaction; never raises for a bad file."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return FileResult(name, "failed", reason=f"cannot read it ({exc.strerror or exc})")
    key = str(path.resolve())
    digest = _digest(raw, meta)
    if not force and source_sha(db, key) == digest:
        return FileResult(name, "unchanged")
    try:
        doc = parse_page(_decode(raw), meta, source=meta.url or name)
    except UserError as exc:
        return FileResult(name, "failed", reason=str(exc))
    except Exception as exc:  # a parser bug must not stop the other files; log it for the developers
        log.exception("parse failed path=%s", name)
        return FileResult(name, "failed", reason=f"the parser failed ({type(exc).__name__}: {exc})")
    for item in doc.items:
        item.url = item.url or meta.url or key
    with db.atomic():
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
    on_progress: Callable[[int, int, FileResult], None] | None = None,
) -> list[FileResult]:
    """Ingest files (folders are searched for .txt and .html) and the files a manifest lists.

    ``meta`` fills in what pages do not state for the files named in ``paths``; a manifest row
    does the same for its file, and ``meta`` then fills what the row leaves empty.
    """
    meta = meta or PageMeta()
    jobs: list[tuple[Path, PageMeta]] = [(p, meta) for p in _expand(paths)]
    if manifest is not None:
        for p, row in read_manifest(manifest):
            merged = replace(
                row,
                council=row.council or meta.council,
                body=row.body or meta.body,
                meeting_date=row.meeting_date or meta.meeting_date,
                url=row.url or meta.url,
            )
            jobs.append((p, merged))
    results = []
    for n, (path, page_meta) in enumerate(jobs, start=1):
        result = ingest_one(db, path, page_meta, force=force)
        results.append(result)
        if on_progress:
            on_progress(n, len(jobs), result)
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
