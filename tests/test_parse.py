"""Parsing ModernGov pages: the real corpus pages, and every layout as text and as HTML."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest

from knowledge.minutes.html import html_to_text
from knowledge.minutes.parse import PageMeta, parse_page
from knowledge.models import UserError

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus(name: str) -> str:
    matches = sorted(CORPUS.glob(f"{name}_*.txt")) if CORPUS.is_dir() else []
    if not matches:
        pytest.skip("../shared/corpus is not beside this checkout")
    return matches[0].read_text(encoding="utf-8")


def as_saved_html(text: str, title: str = "Issue - Northbridge Borough Council") -> str:
    """The same page as a browser saves it: paragraphs, bullets in a list, site debris around it."""
    parts = []
    bullets: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("·"):
            bullets.append(f"<li>{html.escape(line.lstrip('·').strip())}</li>")
            continue
        if bullets:
            parts.append('<ul class="mgBulletList">' + "".join(bullets) + "</ul>")
            bullets = []
        if line:
            parts.append(f'<p class="mgWordPara">{html.escape(line).replace(chr(160), "&nbsp;")}</p>')
    if bullets:
        parts.append('<ul class="mgBulletList">' + "".join(bullets) + "</ul>")
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title><script>var x = 1;</script></head><body>"
        '<nav><a href="/">Home</a> <a href="/mgListCommittees.aspx">Councillors and committees</a></nav>'
        '<div id="modgov">'
        + "\n".join(parts)
        + "</div><footer>Cookies | Accessibility</footer></body></html>"
    )


# --- the real pages ---------------------------------------------------------------------------


def test_issue_page_cabinet_2021():
    doc = parse_page(corpus("000"))
    assert doc.layout == "issue"
    (item,) = doc.items
    assert (item.body, item.meeting_date, item.item) == ("Cabinet", date(2021, 10, 28), "62")
    assert item.title == "Improvement Plan for Children and Families"
    assert item.texts("purpose") == [
        "To endorse the draft Strategic Improvement Plan and draft Operational Plan."
    ]
    res = [p for p in item.passages if p.kind == "resolution"]
    assert [p.label for p in res] == ["a", "b"]
    assert res[0].text.startswith("Cabinet note the activity undertaken")
    assert "SEND was not mentioned enough in the plan;" in item.texts("bullet")
    # the closing remarks after the resolutions are narrative again
    assert item.passages[-1].kind == "narrative" and item.passages[-1].text.startswith(
        "The leader of the council"
    )


def test_agenda_item_page_states_no_date_or_body():
    doc = parse_page(corpus("001"))
    assert doc.layout == "agenda_item"
    (item,) = doc.items
    assert item.body is None and item.meeting_date is None and item.item is None
    assert item.title == "Children Improvement Plan - Progress Update"
    recs = [p for p in item.passages if p.kind == "recommendation"]
    assert [p.label for p in recs] == ["a", "b"]
    assert recs[1].text == "Work on mental health in schools be highlighted in the Committee work programme"
    acts = [p for p in item.passages if p.kind == "action"]
    assert [(p.label, p.text[:30]) for p in acts] == [("1", "That the rag rating system use")]
    assert len(item.texts("bullet")) == 20
    assert all("\u00a0" not in p.text for p in item.passages)


def test_newer_issue_rendering_is_truncated():
    doc = parse_page(corpus("002"))
    (item,) = doc.items
    assert (item.body, item.meeting_date, item.item) == ("Cabinet", date(2025, 7, 17), "17")
    assert item.title == "Children and Young Persons' Improvement Plan - Phase 3"
    assert "truncated" in item.markers
    assert not any("Appendix" in p.text or "PDF" in p.text for p in item.passages)
    assert item.passages[-1].text.endswith("…")
    assert "view the full minutes" not in item.passages[-1].text


def test_agenda_item_with_resolution_intro():
    (item,) = parse_page(corpus("003")).items
    res = [p for p in item.passages if p.kind == "resolution"]
    assert [p.text for p in res] == [
        "Reflect on the progress and impact of improvement activity; and",
        "note the development of version two of the Improvement Plan.",
    ]


def test_issue_page_december_2022_has_three_resolutions_and_clean_title():
    (item,) = parse_page(corpus("004")).items
    assert item.meeting_date == date(2022, 12, 15)
    assert item.title == "Children’s Improvement Action Plan"  # no "pdf icon PDF 468 KB"
    res = [p for p in item.passages if p.kind == "resolution"]
    assert [p.label for p in res] == ["a", "b", "c"]
    assert res[2].text.endswith("no later than 20 December 2022.")
    # the other dates inside (13 December 2022, 20 December 2022) are not the meeting's
    assert item.meeting_date == date(2022, 12, 15)


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_saved_html_of_the_same_page_parses_alike(name):
    text = corpus(name)
    from_text = parse_page(text)
    from_html = parse_page(as_saved_html(text))
    assert from_html.layout == from_text.layout
    assert [(i.title, i.body, i.meeting_date, i.item) for i in from_html.items] == [
        (i.title, i.body, i.meeting_date, i.item) for i in from_text.items
    ]
    assert [(p.kind, p.label, p.text) for p in from_html.items[0].passages] == [
        (p.kind, p.label, p.text) for p in from_text.items[0].passages
    ]


# --- whole meetings ---------------------------------------------------------------------------

MEETING = """Agenda and minutes
Cabinet - Thursday, 15th December, 2022 2.30 pm
Venue: Council Chamber, Town Hall, Northbridge
Contact: Democratic Services
Items
No. Item
117.
Apologies for absence
Minutes:
Apologies were received from Councillor Reed.
118.
Minutes of the previous meeting pdf icon PDF 210 KB
To approve the minutes of the meeting held on 24 November 2022.
Minutes:
RESOLVED: That the minutes of the meeting held on 24 November 2022 be approved as a correct record.
119. Budget monitoring quarter 2 pdf icon PDF 300 KB
Minutes:
The Cabinet Member for Finance introduced the report.
Resolved to RECOMMEND:
(a) that Full Council approve a supplementary estimate of £1.2m; and
(b) that the reserves policy be reviewed.
122a. Exclusion of the press and public
Minutes:
RESOLVED: That under Section 100A(4) of the Local Government Act 1972 the public be excluded from the meeting for the following item on the grounds that it involves the likely disclosure of exempt information as defined in paragraph 3 of Part 1 of Schedule 12A.
123. Residential placements contract
Minutes:
Resolved:
1. That the contract be awarded to the preferred bidder.
2. That the Director be authorised to finalise terms.
"""


def test_whole_meeting_numbered_items():
    doc = parse_page(MEETING)
    assert doc.layout == "meeting"
    # what the page says before its first item (venue, contact) is kept, as the meeting's details
    details = doc.items.pop(0)
    assert details.title == "Meeting details" and details.item is None and not details.restricted
    assert details.texts("detail") == ["Venue: Council Chamber, Town Hall, Northbridge", "Contact: Democratic Services"]
    assert [(i.item, i.title) for i in doc.items] == [
        ("117", "Apologies for absence"),
        ("118", "Minutes of the previous meeting"),
        ("119", "Budget monitoring quarter 2"),
        ("122a", "Exclusion of the press and public"),
        ("123", "Residential placements contract"),
    ]
    assert {i.meeting_date for i in doc.items} == {date(2022, 12, 15)}  # not 24 November 2022
    assert {i.body for i in doc.items} == {"Cabinet"}
    budget = doc.items[2]
    assert [p.label for p in budget.passages if p.kind == "resolution"] == ["a", "b"]
    placements = doc.items[4]
    assert [p.text for p in placements.passages if p.kind == "resolution"] == [
        "That the contract be awarded to the preferred bidder.",
        "That the Director be authorised to finalise terms.",
    ]
    # items after the press and public were excluded are exempt (Part 2); the exclusion itself is not
    assert [i.restricted for i in doc.items] == [False, False, False, False, True]


def test_whole_meeting_flattened_table():
    flat = MEETING.replace("117.\nApologies for absence", "| No. | Item |\n| 117. | Apologies for absence |")
    flat = flat.replace(
        "118.\nMinutes of the previous meeting pdf icon PDF 210 KB",
        "| 118. | Minutes of the previous meeting |",
    )
    doc = parse_page(flat)
    assert [i.item for i in doc.items] == [None, "117", "118", "119", "122a", "123"]
    assert doc.items[2].texts("resolution") == [
        "That the minutes of the meeting held on 24 November 2022 be approved as a correct record."
    ]


def test_a_table_rows_empty_cells_are_not_passages():
    text = """Agenda and minutes
Cabinet - Thursday, 15th December, 2022 2.30 pm
Items
| No. | Item |
| 1. | Apologies for absence |
| | Minutes: |
| | Apologies were received from Councillor Reed. |
| 2. | Declarations of interest |
| | Minutes: |
| | There were no declarations of interest. |
"""
    doc = parse_page(text)
    assert [[p.text for p in i.passages] for i in doc.items if i.item] == [
        ["Apologies were received from Councillor Reed."], ["There were no declarations of interest."]]  # fmt: skip


def test_whole_meeting_without_item_numbers():
    text = """Agenda and minutes
Children's Services Improvement Board - Monday, 6th March, 2023 10.00 am
Venue: Room 2
Apologies for absence
Minutes:
None were received.
Performance report
To consider the monthly performance report.
Minutes:
The board noted improved timeliness of assessments.
· Caseloads had fallen to 18 per worker.
RESOLVED: That the report be noted.
"""
    doc = parse_page(text)
    assert [i.title for i in doc.items] == ["Meeting details", "Apologies for absence", "Performance report"]
    assert doc.items[0].texts("detail") == ["Venue: Room 2"]
    perf = doc.items[2]
    assert perf.texts("purpose") == ["To consider the monthly performance report."]
    assert perf.texts("bullet") == ["Caseloads had fallen to 18 per worker."]
    assert perf.texts("resolution") == ["That the report be noted."]
    assert perf.meeting_date == date(2023, 3, 6)


def test_a_meeting_page_says_whether_its_minutes_are_draft_or_confirmed():
    # ModernGov heads a meeting's page "Agenda and draft minutes" until the minutes are approved
    draft = parse_page(MEETING.replace("Agenda and minutes", "Agenda and draft minutes", 1))
    assert all("draft minutes" in i.markers and "confirmed minutes" not in i.markers for i in draft.items)
    assert all("confirmed minutes" in i.markers for i in parse_page(MEETING).items)
    pasted = "Northbridge Borough Council\nMeetings\n" + MEETING  # the site's menu pasted above it
    assert all("confirmed minutes" in i.markers for i in parse_page(pasted).items)


def test_agenda_with_minutes_to_follow():
    text = """Agenda and minutes
Children's Services Improvement Board - Monday, 9th October, 2023 10.00 am
Minutes are to follow
1. Welcome and apologies
2. Practice improvement update
To receive an update on practice quality.
"""
    doc = parse_page(text)
    assert [i.title for i in doc.items] == ["Meeting details", "Welcome and apologies", "Practice improvement update"]
    assert all("minutes to follow" in i.markers for i in doc.items[1:])
    assert not any(m in i.markers for i in doc.items for m in ("draft minutes", "confirmed minutes"))


def test_decision_page():
    text = """Decision details
Family hubs programme funding
Decision maker: Cabinet Member for Children and Families
Decision status: Implemented
Is Key decision?: Yes
Is subject to call in?: Yes
Purpose:
To accept grant funding for the family hubs programme.
Decision:
That:
a) the grant of £900,000 be accepted; and
b) the Director of Children's Services be authorised to spend it.
Reasons for the decision:
Accepting the grant allows the programme to start in April.
Date of decision: 03/03/2023
Effective from: 11/03/2023
"""
    for page in (text, as_saved_html(text, "Decision - Family hubs programme funding")):
        doc = parse_page(page)
        assert doc.layout == "decision"
        (item,) = doc.items
        assert item.title == "Family hubs programme funding"
        assert item.body == "Cabinet Member for Children and Families"
        assert item.meeting_date == date(2023, 3, 3)
        assert item.texts("resolution") == [
            "the grant of £900,000 be accepted; and",
            "the Director of Children's Services be authorised to spend it.",
        ]
        assert item.texts("purpose") == ["To accept grant funding for the family hubs programme."]
        assert "key decision" in item.markers and any("call-in" in m for m in item.markers)


@pytest.mark.parametrize(
    "line,expected",
    [
        ("RESOLVED: That the report be noted.", ["That the report be noted."]),
        ("Resolved - that the report be noted.", ["that the report be noted."]),
        ("It was RESOLVED that the report be noted.", ["the report be noted."]),
        ("The Board resolved that the report be noted.", ["the report be noted."]),
        ("Decision: That the report be noted.", ["That the report be noted."]),
        ("The Executive resolves:\n1.1 To note the report.", ["To note the report."]),
    ],
)
def test_resolution_forms(line, expected):
    (item,) = parse_page(f"Agenda item\nQuarterly report\nMinutes:\nThe report was introduced.\n{line}").items
    assert item.texts("resolution") == expected


def test_a_numbered_minute_recommending_to_council_on_a_day_introduces_recommendations():
    text = "Agenda item\nRent setting\nMinutes:\n33/2025 The Cabinet recommended to Council on 3 March 2025:\n(i) A rent increase of 2.7%.\n(ii) A service charge increase of 3%."
    (item,) = parse_page(text).items
    assert item.texts("recommendation") == ["A rent increase of 2.7%.", "A service charge increase of 3%."]


def test_metadata_fills_only_what_the_page_does_not_state():
    meta = PageMeta(council="Northbridge Borough Council", body="Full Council", meeting_date=date(2020, 1, 1))
    (issue,) = parse_page(corpus("004"), meta).items
    assert (issue.body, issue.meeting_date, issue.council) == (
        "Cabinet",
        date(2022, 12, 15),
        "Northbridge Borough Council",
    )
    (agenda,) = parse_page(corpus("001"), meta).items
    assert (agenda.body, agenda.meeting_date) == ("Full Council", date(2020, 1, 1))


def test_council_and_body_from_the_html_title():
    page = as_saved_html("Agenda item\nQuarterly report\nMinutes:\nIt was noted.",
                         "Agenda for Cabinet on Thursday, 15th December, 2022, 2.30 pm - Northbridge Borough Council")  # fmt: skip
    (item,) = parse_page(page).items
    assert (item.council, item.body, item.meeting_date) == (
        "Northbridge Borough Council",
        "Cabinet",
        date(2022, 12, 15),
    )


@pytest.mark.parametrize("junk", ["", "   \n\n", "<html><body><p>Cookies</p></body></html>"])
def test_pages_without_minutes_are_refused_politely(junk):
    with pytest.raises(UserError):
        parse_page(junk)


def test_html_to_text_keeps_structure():
    page = html_to_text('<html><head><title>T</title></head><body><div id="modgov"><table class="mgItemTable">'
                        '<tr><td class="mgItemNumberCell">117.</td><td><p class="mgAiTitleTxt">Apologies</p>'
                        '<p class="mgSubItemTitleTxt">Minutes:</p><ul><li>One&nbsp;point</li></ul></td></tr>'
                        "</table></div></body></html>")  # fmt: skip
    assert page.title == "T"
    assert page.text.splitlines() == ["117.", "Apologies", "Minutes:", "· One point"]


@pytest.mark.parametrize(
    "line,kind,expected",
    [
        (
            "It was moved, seconded and RESOLVED that the report be noted.",
            "resolution",
            ["the report be noted."],
        ),
        (
            "On being put to the vote it was RESOLVED: That the report be noted.",
            "resolution",
            ["That the report be noted."],
        ),
        (
            "It was proposed, seconded and unanimously resolved that the report be noted.",
            "resolution",
            ["the report be noted."],
        ),
        ("Members RESOLVED that the report be noted.", "resolution", ["the report be noted."]),
        (
            "RECOMMENDED to Cabinet that the strategy be adopted.",
            "recommendation",
            ["the strategy be adopted."],
        ),
        (
            "The Committee recommends that the strategy be adopted.",
            "recommendation",
            ["the strategy be adopted."],
        ),
    ],
)
def test_more_ways_of_recording_a_decision(line, kind, expected):
    (item,) = parse_page(f"Agenda item\nQuarterly report\nMinutes:\nThe report was introduced.\n{line}").items
    assert item.texts(kind) == expected


@pytest.mark.parametrize(
    "line",
    ["The committee had resolved last year to review the policy.", "Members moved on to the next report."],
)
def test_prose_about_decisions_is_not_a_decision(line):
    (item,) = parse_page(f"Agenda item\nQuarterly report\nMinutes:\n{line}").items
    assert item.texts("resolution") == [] and item.texts("narrative") == [line]


def test_issue_page_across_two_meetings_gives_an_item_for_each():
    text = """Issue - meetings
Children's Services Improvement Action Plan
Meeting: 13/12/2022 - Children and Young People Scrutiny Committee (Item 30)
30 Children's Services Improvement Action Plan pdf icon PDF 468 KB
To review the draft plan.
Minutes:
Members reviewed the plan.
RESOLVED: That three recommendations be made to Cabinet.
Meeting: 15/12/2022 - Cabinet (Item 181)
181 Children's Services Improvement Action Plan pdf icon PDF 468 KB
To approve the plan.
Minutes:
It was resolved that the plan be approved.
"""
    doc = parse_page(text)
    assert [(i.body, i.meeting_date, i.item) for i in doc.items] == [
        ("Children and Young People Scrutiny Committee", date(2022, 12, 13), "30"),
        ("Cabinet", date(2022, 12, 15), "181"),
    ]
    assert doc.items[1].texts("resolution") == ["the plan be approved."]
    assert doc.items[0].texts("purpose") == ["To review the draft plan."]


def test_a_pasted_page_with_the_sites_menus_and_footer():
    menus = "\n".join(
        ["Skip to main content", "Home", "Councillors and committees", "Meetings", "Calendar"] * 12
    )
    footer = "Back to top\nContact us\nAccessibility statement\n© Northbridge Borough Council 2025\nCookies"
    (item,) = parse_page(f"{menus}\n{corpus('004')}\n{footer}").items
    assert item.title == "Children’s Improvement Action Plan" and item.meeting_date == date(2022, 12, 15)
    assert not any("Contact us" in p.text or "©" in p.text for p in item.passages)
    assert item.passages[-1].kind == "resolution"


@pytest.mark.parametrize(("first", "second"), [("23/5", "23/6"), ("CL75-24/25", "CL76-24/25")])
def test_item_numbers_as_some_councils_print_them(first, second):
    page = f"""Agenda and minutes
Licensing Committee - Monday 4th March, 2024 4.30 pm
Venue: Committee Room 3, Civic Centre
{first}
Apologies for Absence
Minutes:
Apologies were received from Councillor Ahmed.
{second}
Street Trading Policy
Minutes:
RESOLVED that the revised policy be adopted.
"""
    doc = parse_page(page)
    assert [(i.item, i.title) for i in doc.items] == [
        (None, "Meeting details"), (first, "Apologies for Absence"), (second, "Street Trading Policy")
    ]  # fmt: skip
    assert doc.items[0].texts("detail") == ["Venue: Committee Room 3, Civic Centre"]


def test_a_page_that_opens_with_its_wording_keeps_it_as_a_passage():
    """An excerpt that starts mid-decision: the long first sentence is content, not a title."""
    wording = ("To receive the report of the Housing Task Group and accept it for consideration, with a view "
               "to the Cabinet's response to its recommendations being reported to a future meeting.")  # fmt: skip
    doc = parse_page(wording + "\nThis item was deferred to the next meeting.\n")
    (item,) = doc.items
    assert len(item.title) <= 81 and item.title.endswith("…")
    texts = " ".join(p.text for p in item.passages)
    assert "reported to a future meeting" in texts and "deferred to the next meeting" in texts
    short = parse_page("Housing Task Group Report\nThis item was deferred to the next meeting.\n")
    assert short.items[0].title == "Housing Task Group Report"


def test_a_vote_table_read_cell_by_cell_is_one_line_not_items():
    page = """Agenda and minutes
Cabinet - Monday, 3rd March, 2025 6.00 pm
Items
41.
Apologies for absence
Minutes:
None.
42.
Leisure centre fees
Minutes:
The Chair moved the recommendations. Votes were recorded as follows:
For
8
Against
0
Abstain
1
The recommendations were therefore carried, and it was RESOLVED:
1. That the leisure centre fees for 2025/26 be approved.
2. That the concessions scheme be extended to care leavers.
43.
Date of next meeting
Minutes:
7 April 2025.
"""
    doc = parse_page(page)
    titles = [it.title for it in doc.items]
    assert "Against" not in titles and "Abstain" not in titles
    fees = next(it for it in doc.items if it.title == "Leisure centre fees")
    assert "For: 8; Against: 0; Abstain: 1" in fees.texts("narrative")
    assert fees.texts("resolution") == [
        "That the leisure centre fees for 2025/26 be approved.",
        "That the concessions scheme be extended to care leavers.",
    ]


def test_a_decision_page_copied_from_below_its_title():
    # it opens with its fields; a bracketed line says who declared an interest; the decision follows
    text = """Decision Maker: Cabinet
Decision status: Recommendations Approved
Is Key decision?: Yes
(Councillor Hale declared a personal interest as a foster carer and left the meeting for this item).
(a) that the short breaks service at the children's home continue; and
(b) that £1 million be moved from the external placements budget.
Publication date: 13/03/2024
Date of decision: 13/03/2024
"""
    (item,) = parse_page(text).items
    assert item.title == "Decision of Cabinet" and item.body == "Cabinet"
    assert item.texts("resolution") == ["that the short breaks service at the children's home continue; and",
                                        "that £1 million be moved from the external placements budget."]  # fmt: skip
    assert item.texts("narrative") == [
        "(Councillor Hale declared a personal interest as a foster carer and left the meeting for this item)."]  # fmt: skip


def test_a_sentence_the_page_broke_across_lines_is_one_passage():
    text = """Agenda item
Library opening hours
Minutes:
Members noted that the mobile library had been withdrawn from
three villages in the spring, and asked for
a report on its replacement.
The Cabinet Member agreed.
a) the report be brought to the next meeting.
"""
    (item,) = parse_page(text).items
    assert [p.text for p in item.passages][:2] == [
        "Members noted that the mobile library had been withdrawn from three villages in the spring, and asked for a "
        "report on its replacement.",
        "The Cabinet Member agreed.",
    ]


def test_a_decision_page_whose_title_comes_after_its_fields_and_breaks_across_lines():
    text = """Decision Maker: Cabinet
Decision status: Recommendations Approved
To seek approval from Cabinet on the proposed
library consultation and timeline
1) That the consultation questionnaire be approved.
2) That the timeline be agreed.
Date of decision: 21/11/2017
"""
    (item,) = parse_page(text).items
    assert item.title == "To seek approval from Cabinet on the proposed library consultation and timeline"
    assert item.texts("resolution") == ["That the consultation questionnaire be approved.", "That the timeline be agreed."]
