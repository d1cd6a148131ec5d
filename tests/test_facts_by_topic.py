"""A meeting fact asked of the meeting a topic names: "who was elected chair at the meeting on X".

The topic finds the item; another item of the same meeting's minutes states the fact. Fictional pages.
"""

from __future__ import annotations

from datetime import date

from knowledge.answers.ask import ask
from knowledge.minutes.parse import PageMeta, parse_page
from knowledge.store import open_db, replace_source, write_transaction

PANEL = """Agenda and minutes
Housing Scrutiny Panel - Tuesday, 4th March, 2025 7.00 pm
Items
1.
Election of Chair and Vice Chair
Minutes:
1.1 The Scrutiny Officer called for nominations for Chair. Cllr Aldous proposed Cllr Brindle and Cllr Corrigan seconded.
1.2 Taking the Chair, Cllr Brindle called for nominations for Vice Chair.
2.
Tenant engagement in repairs
Minutes:
2.1 The Head of Tenancy Services described the new repairs forum for tenants.
"""
OTHER = """Agenda and minutes
Licensing Panel - Monday, 3rd February, 2025 7.00 pm
Items
1.
Election of Chair
Minutes:
Cllr Dunmore was elected Chair for the municipal year.
2.
Taxi licensing fees
Minutes:
The Panel noted the fees.
"""


def test_the_fact_comes_from_the_meeting_that_took_the_topic(tmp_path):
    db = open_db(tmp_path / "facts.db")
    meta = PageMeta(council="Eastmoor District Council")
    with write_transaction(db):
        replace_source(db, "panel", parse_page(PANEL, meta).items)
        replace_source(db, "other", parse_page(OTHER, meta).items)
    a = ask(db, "who was elected chair at the meeting on tenant engagement in repairs?", today=date(2026, 12, 2))
    assert a.found and "Cllr Aldous proposed Cllr Brindle" in a.text
    assert "Dunmore" not in a.text
    assert {c.body for c in a.citations} == {"Housing Scrutiny Panel"}
    db.close()
