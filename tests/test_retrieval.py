"""The passage index and its ranked retrieval (knowledge.minutes.passage_index, knowledge.minutes.retrieval).

The ranking is checked against a brute-force scoring of every row (the same bm25 with tiers), for
random minutes, words and scopes, with and without the "rare word" path; the filters, exempt items
and the index's upkeep through replaces and deletes are checked on small fictional minutes.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.minutes.item_store import stored_items
from knowledge.minutes.passage_index import (
    BANDS,
    DECISION,
    FIELD_WEIGHTS,
    ITEMS_A_DAY,
    TITLE,
    index_rows,
    item_day,
    item_id_for,
    item_of_row,
    tier_of_row,
    undated_items,
)
from knowledge.minutes.retrieval import K1, B, FtsPassageSearch, PassageQuery, Scope
from knowledge.minutes.search import ItemFilter, find_items
from knowledge.models import ParsedItem, Passage, UserError
from knowledge.store import MIGRATIONS, delete_source, open_db, replace_source, write_transaction

# Words the Porter stemmer leaves as they are, so the brute force can match them by eye.
WORDS = ("zinc", "cobalt", "nickel", "copper", "iron", "tin", "lead", "gold")
COUNCILS = ("Testshire County Council", "Sampleton Borough Council")
BODIES = ("Alpha Committee", "Beta Panel", "Cabinet")
KINDS = ("narrative", "bullet", "purpose", "resolution", "recommendation", "action")
DAYS = (None, date(2021, 3, 4), date(2022, 7, 1), date(2022, 7, 2), date(2024, 1, 9))

texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join)
items = st.builds(
    lambda title, council, body, day, restricted, passages: ParsedItem(
        title=title, council=council, body=body, meeting_date=day, restricted=restricted,
        passages=[Passage(k, t) for k, t in passages],
    ),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
    st.sampled_from(COUNCILS), st.sampled_from(BODIES), st.sampled_from(DAYS), st.booleans(),
    st.lists(st.tuples(st.sampled_from(KINDS), texts), max_size=6),
)  # fmt: skip
scopes = st.builds(
    Scope,
    council=st.none() | st.sampled_from(COUNCILS),
    bodies=st.lists(st.sampled_from(BODIES), max_size=2, unique=True).map(tuple),
    first_day=st.none() | st.sampled_from([d.toordinal() for d in DAYS if d]),
    last_day=st.none() | st.sampled_from([d.toordinal() for d in DAYS if d]),
    restricted=st.sampled_from(["exclude", "include", "only"]),
    holds=st.lists(st.sampled_from(["resolution", "recommendation", "action"]), max_size=1).map(tuple),
    titles_only=st.booleans(),
)


def store(pages: list[list[ParsedItem]]):
    db = open_db(":memory:")
    with write_transaction(db):
        for n, page in enumerate(pages):
            replace_source(db, f"page-{n}", page)
    return db


def brute_force(db, query: PassageQuery) -> dict[int, float]:
    """Every item's score by scoring every row: g(tier) * the idf of the words it holds, its best row."""
    tiers = {t: (n, k) for t, n, k in db.execute("SELECT tier, rows, tokens FROM search_tiers") if n}
    total = sum(n for n, _ in tiers.values())
    mean = sum(k for _, k in tiers.values()) / total
    g = {t: FIELD_WEIGHTS[t // BANDS] * (K1 + 1) / (FIELD_WEIGHTS[t // BANDS] + K1 * (1 - B + B * k / n / mean))
         for t, (n, k) in tiers.items()}  # fmt: skip
    rows = [(r, item, source) for item_id, source, item in stored_items(db) for r in index_rows(item_id, source, item)]
    held = {r.rowid: set(r.text.split("\n")[0].split()) for r, _, _ in rows}
    df = Counter(w for words in held.values() for w in words)
    idf = {w: math.log(1 + (total - df[w] + 0.5) / (df[w] + 0.5)) for w in query.words}
    s = query.scope
    best: dict[int, float] = {}
    for r, item, _ in rows:
        day = item_day(item_of_row(r.rowid))
        if (s.council and item.council != s.council) or (s.bodies and item.body not in s.bodies) or (
            s.titles_only and r.tier >= BANDS) or (s.restricted == "exclude" and item.restricted) or (
            s.restricted == "only" and not item.restricted) or (
            s.holds and not any(p.kind in s.holds for p in item.passages)) or (
            day and not (s.first_day or 0) <= day <= (s.last_day or 10**7)):  # fmt: skip
            continue
        words = held[r.rowid] & set(query.words)
        if not words or (query.every and words != set(query.words)):
            continue
        score = g[r.tier] * sum(idf[w] for w in words)
        best[item_of_row(r.rowid)] = max(best.get(item_of_row(r.rowid), 0.0), score)
    return best


@settings(max_examples=60)
@given(
    pages=st.lists(st.lists(items, min_size=1, max_size=5), min_size=1, max_size=4),
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True),
    every=st.booleans(),
    scope=scopes,
    limit=st.integers(1, 8),
    rare_rows=st.sampled_from([0, 6, 10**9]),
)
def test_the_best_items_are_those_a_score_of_every_row_ranks_best(pages, words, every, scope, limit, rare_rows):
    db = store(pages)
    query = PassageQuery(tuple(words), every=every, scope=scope, limit=limit)
    expected = brute_force(db, query)
    got = FtsPassageSearch(db, rare_rows=rare_rows).top_items(query)
    db.close()
    assert len(got) == min(limit, len(expected))
    for hit in got:  # each item found with its true score, best first
        assert hit.score == pytest.approx(expected[hit.item_id])
    assert [h.score for h in got] == sorted((h.score for h in got), reverse=True)
    if got:  # nothing left out scores better than the worst item returned
        assert all(score <= got[-1].score + 1e-9 for item, score in expected.items() if item not in {h.item_id for h in got})


COUNCIL = "Testshire County Council"


def item(title: str, body: str, day: date | None, *texts: tuple[str, str], restricted: bool = False) -> ParsedItem:
    return ParsedItem(title=title, council=COUNCIL, body=body, meeting_date=day, restricted=restricted,
                      passages=[Passage(kind, text) for kind, text in texts])  # fmt: skip


@pytest.fixture()
def minutes():
    db = open_db(":memory:")
    with write_transaction(db):
        replace_source(db, "cabinet-2022", [
            item("Library opening hours", "Cabinet", date(2022, 7, 1),
                 ("narrative", "Members discussed the mobile library route."),
                 ("resolution", "That the opening hours be extended.")),
            item("Land at the old depot (exempt)", "Cabinet", date(2022, 7, 1),
                 ("narrative", "The valuation of the zeppelin hangar was noted."), restricted=True),
        ])
        replace_source(db, "panel-2023", [
            item("Libraries review", "Beta Panel", date(2023, 2, 3),
                 ("narrative", "The panel asked about library volunteers."),
                 ("recommendation", "That the library volunteers scheme continue.")),
        ])
        replace_source(db, "undated", [item("Library fees", "Beta Panel", None, ("bullet", "Fees for library cards."))])
    yield db
    db.close()


def titles(hits) -> list[str]:
    return [h.item.title for h in hits]


def test_filters_and_dates_apply_inside_the_index_and_undated_pages_stay_in(minutes):
    hits, how = find_items(minutes, ItemFilter(date_from=date(2023, 1, 1)), ["library"], any_word=True)
    assert how == "all" and set(titles(hits)) == {"Libraries review", "Library fees"}
    hits, _ = find_items(minutes, ItemFilter(bodies=("Cabinet",)), ["library"])
    assert titles(hits) == ["Library opening hours"]
    hits, _ = find_items(minutes, ItemFilter(), ["library"], needs_kinds=("recommendation",))
    assert titles(hits) == ["Libraries review"]


def test_an_exempt_minute_is_never_found_by_its_text_without_leave(minutes):
    assert find_items(minutes, ItemFilter(), ["zeppelin"]) == ([], "none")
    # by its public title only, for readers who may not see it
    assert find_items(minutes, ItemFilter(only_restricted=True), ["zeppelin"], title_only=True) == ([], "none")
    hits, _ = find_items(minutes, ItemFilter(only_restricted=True), ["depot"], title_only=True)
    assert titles(hits) == ["Land at the old depot (exempt)"]
    hits, _ = find_items(minutes, ItemFilter(include_restricted=True), ["zeppelin"])
    assert titles(hits) == ["Land at the old depot (exempt)"]


def test_a_title_match_outranks_a_passing_mention():
    db = store([[item("Highways maintenance", "Cabinet", date(2024, 1, 9), ("narrative", "A mobile mast was noted.")),
                 item("Mobile library", "Cabinet", date(2021, 3, 4), ("narrative", "Routes were agreed."))]])  # fmt: skip
    hits, _ = find_items(db, ItemFilter(), ["mobile"])
    db.close()
    assert titles(hits) == ["Mobile library", "Highways maintenance"]  # though older


def test_newest_first_without_words_dated_before_undated_in_page_order(minutes):
    hits, how = find_items(minutes, ItemFilter(include_restricted=True), ())
    assert how == "" and titles(hits) == ["Libraries review", "Library opening hours",
                                          "Land at the old depot (exempt)", "Library fees"]  # fmt: skip
    hits, _ = find_items(minutes, ItemFilter(bodies=("Beta Panel", "Cabinet")), (), limit=2)
    assert titles(hits) == ["Libraries review", "Library opening hours"]


def counts(db, word: str) -> tuple[int, int]:
    passages = db.execute("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", [word]).fetchone()[0]
    whole = db.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?", [word]).fetchone()[0]
    return passages, whole


def test_replacing_and_deleting_pages_keep_the_indexes_in_step(minutes):
    assert counts(minutes, "volunteers") == (2, 1)
    with write_transaction(minutes):  # twice in one transaction: the second replaces the first
        replace_source(minutes, "panel-2023", [item("Libraries review", "Beta Panel", date(2023, 2, 3),
                                                    ("narrative", "The panel asked about library opening."))])  # fmt: skip
        replace_source(minutes, "panel-2023", [item("Libraries review", "Beta Panel", date(2023, 2, 3),
                                                    ("narrative", "The panel asked about volunteers."))])  # fmt: skip
    assert counts(minutes, "volunteers") == (1, 1) and counts(minutes, "opening") == (1, 1)
    with write_transaction(minutes):
        assert delete_source(minutes, "panel-2023")
    assert counts(minutes, "volunteers") == (0, 0)
    total = minutes.execute("SELECT sum(rows) FROM search_tiers").fetchone()[0]
    assert total == sum(len(index_rows(i, s, it)) for i, s, it in stored_items(minutes))
    minutes.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')")


def test_the_index_counts_undated_items_and_a_range_of_days_skips_their_rows_only_if_none(minutes):
    dated = ItemFilter(date_from=date(2023, 1, 1))
    assert undated_items(minutes) == 1
    assert set(titles(find_items(minutes, dated, ["library"])[0])) == {"Libraries review", "Library fees"}
    with write_transaction(minutes):
        replace_source(minutes, "undated", [item("Library fees", "Beta Panel", None, ("bullet", "Fees for library cards.")),
                                            item("Library fines", "Beta Panel", None, ("bullet", "Library fines end."))])  # fmt: skip
    assert undated_items(minutes) == 2
    with write_transaction(minutes):
        delete_source(minutes, "undated")
    assert undated_items(minutes) == 0
    assert titles(find_items(minutes, dated, ["library"])[0]) == ["Libraries review"]
    with write_transaction(minutes):  # an undated page comes back: its rows are searched again
        replace_source(minutes, "undated", [item("Library fees", "Beta Panel", None, ("bullet", "Fees for library cards."))])
    assert set(titles(find_items(minutes, dated, ["library"])[0])) == {"Libraries review", "Library fees"}


def test_items_are_read_by_their_ids_whatever_else_the_filter_names(minutes):
    # without the unary plus, SQLite walks a committee's whole (body, meeting_date) index to check the ids
    with write_transaction(minutes):  # enough hits that the planner weighs the body's index against them
        replace_source(minutes, "cabinet-2022-09", [item(f"Library site {n}", "Cabinet", date(2022, 9, 1)) for n in range(40)])
    statements: list[str] = []
    minutes.conn.set_trace_callback(statements.append)
    flt = ItemFilter(council=COUNCIL, bodies=("Cabinet",), date_from=date(2022, 1, 1), date_to=date(2022, 12, 31))
    assert len(find_items(minutes, flt, ["library"])[0]) == 41
    minutes.conn.set_trace_callback(None)
    loads = [s for s in statements if "FROM item_rows WHERE id IN" in s]
    assert loads
    for sql in loads:
        plan = " ".join(str(r[3]) for r in minutes.execute("EXPLAIN QUERY PLAN " + sql).fetchall())
        assert "(id=?)" in plan and "idx_item_rows_body" not in plan, plan


def test_the_items_view_keeps_the_columns_readers_use(minutes):
    row = minutes.execute("SELECT title, narrative, passages, n_recommendations FROM items WHERE body = 'Beta Panel' "
                          "AND meeting_date IS NOT NULL").fetchone()  # fmt: skip
    assert row[0] == "Libraries review" and row[1] == "The panel asked about library volunteers."
    assert '"recommendation"' in row[2] and row[3] == 1


def test_a_day_that_cannot_take_a_page_refuses_it_before_writing():
    db = open_db(":memory:")
    day = date(2024, 5, 1)
    with write_transaction(db):
        replace_source(db, "big", [item(f"Item {n}", "Cabinet", day) for n in range(ITEMS_A_DAY)])
    with pytest.raises(UserError, match="items of meetings on 2024-05-01"), write_transaction(db):
        replace_source(db, "one-more", [item("Item x", "Cabinet", day)])
    with write_transaction(db):  # replacing the full page itself still works
        replace_source(db, "big", [item("Item y", "Cabinet", day)])
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 1
    db.close()


def test_row_ids_put_newer_meetings_first_and_undated_last():
    ids = [item_id_for(d, 0) for d in (date(2020, 1, 2), date(2020, 1, 1), None)]
    assert ids == sorted(ids)  # FTS5 reads row ids upwards cheaply: the newest come first
    assert [item_day(i) for i in ids] == [date(2020, 1, 2).toordinal(), date(2020, 1, 1).toordinal(), 0]
    rows = index_rows(ids[0], 7, item("A title", "Cabinet", date(2020, 1, 2), ("resolution", "agreed")))
    assert [tier_of_row(r.rowid) // BANDS for r in rows] == [TITLE, DECISION]
    assert {item_of_row(r.rowid) for r in rows} == {ids[0]}
    assert all("zzs7" in r.text.split() for r in rows)  # the page's facet


def old_database(path) -> None:
    """A database as the store made it before the passage index: migrations 001-006 and items with their text."""
    db = open_db(path, migrate=False)
    with write_transaction(db):
        db.table("_migrations").create({"name": str, "applied_at": str}, pk="name")
        for name, step in MIGRATIONS[:6]:
            step(db)
            db.table("_migrations").insert({"name": name, "applied_at": "2026-11-01T00:00:00+00:00"})
        pages = {"cabinet": [item("Library opening hours", "Cabinet", date(2022, 7, 1),
                                  ("narrative", "Members discussed the mobile library route."),
                                  ("resolution", "That the opening hours be extended.")),
                             item("Land at the old depot (exempt)", "Cabinet", date(2022, 7, 1),
                                  ("narrative", "The zeppelin hangar was valued."), restricted=True)],
                 "undated": [item("Library fees", "Beta Panel", None, ("bullet", "Fees for library cards."))]}  # fmt: skip
        for key, page in pages.items():
            source = db.table("sources").insert({"key": key, "items": len(page)}).last_rowid
            for seq, it in enumerate(page):
                texts = {k: "\n".join(p.text for p in it.passages if (p.kind == "resolution") == k) for k in (False, True)}
                db.table("items").insert({
                    "source_id": source, "seq": seq, "council": it.council, "body": it.body,
                    "meeting_date": it.meeting_date.isoformat() if it.meeting_date else None, "item": None,
                    "title": it.title, "narrative": texts[False], "decisions": texts[True],
                    "n_resolutions": sum(p.kind == "resolution" for p in it.passages), "n_recommendations": 0,
                    "n_actions": 0, "passages": json.dumps([[p.kind, p.label, p.text] for p in it.passages]),
                    "markers": "[]", "url": f"https://example.test/{key}", "restricted": int(it.restricted),
                })  # fmt: skip
            db.table("bodies").insert({"council": COUNCIL, "name": page[0].body}, ignore=True)
    db.close()


def test_a_database_of_the_old_schema_migrates_and_is_searchable(tmp_path):
    path = tmp_path / "old.db"
    old_database(path)
    db = open_db(path)
    try:
        hits, _ = find_items(db, ItemFilter(), ["library"], any_word=True)
        assert {h.item.title for h in hits} == {"Library opening hours", "Library fees"}
        assert hits[0].item.passages[0] == Passage("narrative", "Members discussed the mobile library route.")
        assert find_items(db, ItemFilter(), ["zeppelin"]) == ([], "none")  # exempt text stays out of reach
        hits, _ = find_items(db, ItemFilter(include_restricted=True), ["zeppelin"])
        assert [h.item.url for h in hits] == ["https://example.test/cabinet"]
        assert counts(db, "library") == (2, 2)  # two passages; items_fts still counts items
        assert db.execute("SELECT narrative FROM items WHERE title = 'Library fees'").fetchone()[0] == "Fees for library cards."
        assert {r[0] for r in db.execute("SELECT name FROM _migrations")} >= {"007_passage_index", "011_undated_count"}
        assert undated_items(db) == 1
        with write_transaction(db):  # and takes new pages as a new database does
            replace_source(db, "undated", [item("Library fees", "Beta Panel", None, ("bullet", "Fees waived."))])
        assert counts(db, "cards") == (0, 0) and counts(db, "waived") == (1, 1)
    finally:
        db.close()
