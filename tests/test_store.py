"""The store's typed helpers for rows: a new row's integer key, an INTEGER column's value."""

from __future__ import annotations

import pytest

from knowledge.store import column_int, insert_row, open_db


def test_insert_row_returns_the_new_rows_id():
    db = open_db(":memory:")
    first = insert_row(db, "plans", {"name": "Plan A", "owner_only": 0})
    second = insert_row(db, "plans", {"name": "Plan B", "owner_only": 0})
    assert second == first + 1
    assert db.execute("SELECT id FROM plans WHERE name = 'Plan B'").fetchone()[0] == second


@pytest.mark.parametrize(("value", "expected"), [(7, 7), ("7", 7), (True, 1), (7.0, 7)])
def test_column_int_reads_what_sqlite_returns(value, expected):
    assert column_int(value) == expected


@pytest.mark.parametrize("value", [None, b"7", [7]])
def test_column_int_refuses_null_and_other_types(value):
    with pytest.raises(TypeError):
        column_int(value)
