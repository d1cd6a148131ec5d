"""Reference retrievers for ``bench_minutes.py``: bm25s and our passage search on the same words.

bm25s (sparse-matrix BM25, MIT; ``pip install -e '.[bench]'``) indexes the same titles and passages
the store holds, in memory, and answers each benchmark question's words; our passage search
(:mod:`knowledge.minutes.retrieval`) answers the same words, so the two columns compare retrieval alone.
bm25s is optional: without it the column says so and the rest of the benchmark runs.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["TOP_K", "content_words", "time_bm25s", "time_passage_search"]

#: Items (ours) or passages (bm25s) retrieved a question.
TOP_K = 60
_WORD = re.compile(r"[a-z0-9]+")
# The question words that are not topic words (a small list: the two retrievers get the same words).
_STOP = set(
    "a about after agreed all an and any anyone are as at be been between by can cabinet committee council did "
    "discuss discussed discussion do does for from full had has have how i in is it its last mention me meeting "
    "meetings minutes of on or recommend recommendations recs resolutions resolve said since so than that the "
    "their them then there these they this to was were what when which who why with".split()
)


def content_words(question: str) -> list[str]:
    """The words of a question a retriever is given: lower-case, without question and filler words."""
    return [w for w in _WORD.findall(question.lower()) if w not in _STOP and not w.isdigit()]


def _pct(values: Sequence[float], q: float) -> float:
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def time_passage_search(db: object, questions: Sequence[str], reps: int) -> dict[str, float]:
    """p50/p95 ms of our passage search (any of the words, best TOP_K items) on each question's words."""
    from knowledge.minutes.retrieval import PassageQuery
    from knowledge.minutes.search import passage_search

    search = passage_search(db)  # type: ignore[arg-type]  # a sqlite_utils.Database
    queries = [PassageQuery(tuple(content_words(q)), limit=TOP_K) for q in questions]
    for query in queries:  # warm-up: word counts are cached per state of the index
        search.top_items(query)
    times = []
    for _ in range(reps):
        for query in queries:
            t = time.perf_counter()
            search.top_items(query)
            times.append((time.perf_counter() - t) * 1000)
    return {"p50": _pct(times, 50), "p95": _pct(times, 95), "mean": statistics.fmean(times)}


def time_bm25s(db_path: Path, questions: Sequence[str], reps: int) -> dict[str, object]:
    """Index the store's titles and passages with bm25s and time TOP_K retrieval for each question."""
    try:
        import bm25s
        import snowballstemmer
    except ImportError as exc:
        return {"missing": f"bm25s is not installed ({exc.name}); pip install -e '.[bench]'"}
    from knowledge.store import open_db  # the `items` view reads the stored passages through its function

    t0 = time.perf_counter()
    db = open_db(db_path, migrate=False)
    texts = []
    for title, passages in db.execute("SELECT title, passages FROM items"):
        texts.append(title or "")
        texts.extend(text for _, _, text in json.loads(passages))
    db.close()
    load_s = time.perf_counter() - t0
    stemmer = snowballstemmer.stemmer("english")
    t0 = time.perf_counter()
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    index_s = time.perf_counter() - t0
    del texts
    queries = [" ".join(content_words(q)) or q for q in questions]

    def one(q: str) -> float:
        t = time.perf_counter()
        words = bm25s.tokenize([q], stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False)
        retriever.retrieve(words, k=TOP_K, show_progress=False)
        return (time.perf_counter() - t) * 1000

    for q in queries:
        one(q)
    times = [one(q) for _ in range(reps) for q in queries]
    return {
        "rows": len(tokens.ids),
        "load_s": load_s,
        "index_s": index_s,
        "p50": _pct(times, 50),
        "p95": _pct(times, 95),
        "version": bm25s.__version__,
    }
