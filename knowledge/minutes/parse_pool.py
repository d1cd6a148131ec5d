"""Parsing pages for an ingest: bytes in, a document (or why not) out, in worker processes when many.

Parsing touches no database, so a large ingest parses in worker processes while the caller
stores what is already parsed (:mod:`knowledge.minutes.ingest`). Pages are read lazily and a bounded number
are in flight, so memory does not grow with the number of files.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice

from knowledge.minutes.item_store import pack_passages
from knowledge.minutes.page_check import check_minutes
from knowledge.minutes.parse import PageMeta, parse_page
from knowledge.models import ParsedDocument, UserError

__all__ = ["PARALLEL_FROM", "PageJob", "ParsedPage", "decode_page", "parse_all", "parse_job"]

#: Files to parse before worker processes are worth starting.
PARALLEL_FROM = 40
#: Pages each worker may have queued or parsed ahead of the caller: the caller stores a few hundred
#: items at a time (about 55 pages), and the workers must have more than that to do meanwhile or they
#: sit idle (8 a worker: 4,100 items/s; 40: 5,000). Pages are small, so memory barely moves.
AHEAD_PER_WORKER = 40


@dataclass(frozen=True)
class PageJob:
    """A file read and found changed: what it holds, and what to store it under."""

    name: str
    key: str
    digest: str
    raw: bytes
    meta: PageMeta


@dataclass(frozen=True)
class ParsedPage:
    """What parsing one file gave: its document, or why it cannot be stored (and a parser's traceback)."""

    doc: ParsedDocument | None
    reason: str = ""
    crash: str = ""
    packed: tuple[bytes, ...] = ()  # each item's passages as stored (item_store.pack_passages)


def decode_page(raw: bytes) -> str:
    """A page's text: UTF-8 (with or without a byte-order mark), else Windows-1252, else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def parse_job(job: PageJob) -> ParsedPage:
    """Decode, parse and check one page; never raises for a bad page (a parser bug is reported)."""
    page = decode_page(job.raw)
    try:
        doc = parse_page(page, job.meta, source=job.meta.url or job.name)
    except UserError as exc:
        return ParsedPage(None, str(exc))
    except Exception as exc:  # a parser bug must not stop the other files; the caller logs it
        return ParsedPage(None, f"the parser failed ({type(exc).__name__}: {exc})", traceback.format_exc())
    try:
        check_minutes(doc, page)
    except UserError as exc:
        return ParsedPage(None, str(exc))
    return ParsedPage(doc, packed=tuple(pack_passages(it.passages) for it in doc.items))


def parse_all(jobs: Iterable[PageJob], expected: int) -> Iterator[ParsedPage]:
    """Each job parsed, in order: in worker processes when ``expected`` jobs are many and there are CPUs."""
    workers = min(os.cpu_count() or 1, 4)
    if expected < PARALLEL_FROM or workers < 2:
        yield from (parse_job(j) for j in jobs)
        return
    # fork is safe and quick from a single-threaded program; one with threads starts fresh workers
    method = "fork" if threading.active_count() == 1 and "fork" in mp.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=mp.get_context(method)) as pool:
        ahead = iter(jobs)
        pending = deque(pool.submit(parse_job, j) for j in islice(ahead, workers * AHEAD_PER_WORKER))
        while pending:
            done = pending.popleft().result()
            pending.extend(pool.submit(parse_job, j) for j in islice(ahead, 1))
            yield done
