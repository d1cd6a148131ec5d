"""A large ingest: pages parsed in worker processes, stored a batch a transaction, reported in order.

The pages are fictional agenda-item pages; the database is a real file.
"""

from __future__ import annotations

from pathlib import Path

from knowledge.minutes.ingest import ingest_files
from knowledge.minutes.search import ItemFilter, find_items
from knowledge.store import open_db

PAGES = 45  # more than ingest parses in one process


def page(title: str) -> str:
    return (
        f"Agenda item\n{title}\nTo receive an update on {title.lower()}.\nMinutes:\n"
        "Members welcomed the update.\nRESOLVED: That the update be noted.\n"
    )


def test_many_pages_are_parsed_apart_stored_in_batches_and_reported_in_order(tmp_path: Path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(PAGES):
        (folder / f"p{n:03}.txt").write_text(page(f"Allotment site {n}"), encoding="utf-8")
    (folder / "p020.txt").write_text("   \n", encoding="utf-8")  # one bad page among them
    seen: list[tuple[int, int, str]] = []
    db = open_db(tmp_path / "x.db")
    try:
        results = ingest_files(db, [folder, folder / "p001.txt"], on_progress=lambda n, total, r: seen.append((n, total, r.path)))
        assert [n for n, _, _ in seen] == list(range(1, PAGES + 2))
        assert [p for _, _, p in seen] == [r.path for r in results]
        assert [r.status for r in results].count("ingested") == PAGES - 1
        assert results[20].status == "failed" and results[-1].status == "unchanged"  # the same file named twice
        hits, _ = find_items(db, ItemFilter(), ["allotment"], limit=100)
        assert sorted(h.item.title for h in hits) == sorted(f"Allotment site {n}" for n in range(PAGES) if n != 20)
        again = ingest_files(db, [folder])
        assert {r.status for r in again} == {"unchanged", "failed"}
    finally:
        db.close()
