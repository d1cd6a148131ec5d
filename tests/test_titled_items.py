"""Meeting pages that print no item numbers and no "Minutes:" labels: items by their titles.

Fictional pages in the shape ModernGov's "agenda and minutes" page takes when pasted as text.
"""

from __future__ import annotations

from knowledge.minutes.parse import parse_page
from knowledge.minutes.titled_items import split_by_titles

PAGE = """Agenda and minutes
Cabinet - Monday 7 April 2025 5.00 pm
Venue: Town Hall, Eastmoor. View directions
No. Item
Declarations of Pecuniary Interest
Under the Cabinet's rules, a member with an interest must declare it.
There were none.
Minutes of Previous Meeting pdf icon PDF 196 KB
To approve the minutes of the meeting held on 10 March 2025.
RESOLVED: That the minutes of the meeting held on 10 March 2025 be approved.
Questions from the Public Under Standing Order No. 19
No questions had been received from the public.
Leisure Strategy 2025-30 pdf icon PDF 106 KB
Key decision
Cabinet Member for Culture: Councillor Aldous
RESOLVED: That the Leisure Strategy 2025-30 be adopted.
"""


def test_items_are_found_by_their_icons_and_standing_titles():
    doc = parse_page(PAGE)
    assert [it.title for it in doc.items] == [
        "Meeting details",
        "Declarations of Pecuniary Interest",
        "Minutes of Previous Meeting",
        "Questions from the Public Under Standing Order No. 19",
        "Leisure Strategy 2025-30",
    ]
    leisure = doc.items[-1]
    assert leisure.texts("resolution") == ["That the Leisure Strategy 2025-30 be adopted."]
    assert {it.body for it in doc.items} == {"Cabinet"}


def test_one_title_alone_does_not_split_a_page():
    assert split_by_titles(["Minutes of Previous Meeting pdf icon PDF 196 KB", "Approved."]) == []


def test_a_list_of_documents_is_not_a_list_of_items():
    lines = ["Report pdf icon PDF 20 KB", "Appendix A pdf icon PDF 30 KB", "Appendix B pdf icon PDF 31 KB"]
    assert split_by_titles(lines) == []


def test_a_meeting_page_cut_above_its_first_item_is_still_split():
    cut = PAGE.split("No. Item\n", 1)[1]
    doc = parse_page(cut)
    assert [it.title for it in doc.items][-2:] == [
        "Questions from the Public Under Standing Order No. 19",
        "Leisure Strategy 2025-30",
    ]
