"""Meeting facts: the kinds a passage of minutes states and the kinds a member's question asks for.

Every example is written for these tests (a fictional council, fictional people), in the shapes ModernGov
pages take: field lines ("Is subject to call in?: No"), item titles with document debris, table cells, and
the narrative of minutes; and questions typed as members type them.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.answers.facts import FACT_KINDS, describe, fact_kinds, wanted_kinds

REQUIRED = (
    "apologies", "present", "substitute", "late_or_left", "membership", "declaration", "chair", "minutes_approved",
    "urgent_business", "exclusion", "vote", "moved_seconded", "venue", "time", "contact", "decision_maker",
    "decision_date", "published", "effective", "call_in", "key_decision", "public_questions", "next_meeting",
)  # fmt: skip

#: Passages of minutes and exactly the kinds each states.
STATED = [
    # apologies
    ("Apologies for absence", {"apologies"}),
    ("Apologies for absence were received from Councillors Penhallow and Threlkeld.", {"apologies"}),
    ("To receive any apologies for absence.", {"apologies"}),
    ("Apologies: Councillor Marwood", {"apologies"}),
    ("There were no apologies.", {"apologies"}),
    ("Councillor Brindle sent her apologies.", {"apologies"}),
    ("Absent: Councillor Oakhurst", {"apologies"}),
    ("Councillors Fenwright and Lisle were absent.", {"apologies"}),
    # present
    ("Present: Councillors Aldous, Brindle (Chair), Corrigan and Dunmore", {"present", "chair"}),
    ("Councillors present: Aldous, Brindle and Corrigan", {"present"}),
    ("Also present: Councillor Ewart, Cabinet Member for Adult Care", {"present"}),
    ("Officers in attendance: Director of Place; Head of Legal Services", {"present"}),
    ("Attendance details", {"present"}),
    ("Ms Yelland was present observing the meeting.", {"present"}),
    # substitute
    ("Councillor Hartigan substituted for Councillor Moss.", {"substitute"}),
    ("Councillor Hartigan attended as a substitute for Councillor Moss.", {"substitute", "present"}),
    ("Substitute members", {"substitute"}),
    ("Named substitutes", {"substitute"}),
    ("There were no substitutions.", {"substitute"}),
    ("Inspector Calloway attended in his place.", {"substitute", "present"}),
    ("Councillor Verity deputised for the Cabinet Member.", {"substitute"}),
    # late_or_left
    ("Councillor Quill arrived at 6.15pm.", {"late_or_left", "time"}),
    ("Councillor Quill arrived during consideration of item 4.", {"late_or_left"}),
    ("Councillor Ruddock left the meeting during consideration of item 7.", {"late_or_left"}),
    ("Councillor Ruddock left the meeting at this point and did not return.", {"late_or_left"}),
    ("Councillor Sowerby joined the meeting after the vote on item 3.", {"late_or_left", "vote"}),
    ("Councillor Tarrant departed.", {"late_or_left"}),
    ("An apology was received from Councillor Moss, who was substituted by Councillor Hartigan.", {"apologies", "substitute"}),
    ("There were no matters which the Panel designated as being exempt from publication.", {"exclusion"}),
    ("Taking the Chair, Councillor Brindle thanked the panel.", {"chair"}),
    ("The Scrutiny Officer called for nominations for Chair.", {"chair"}),
    # membership
    ("Members welcomed Councillor Penhallow to the Cabinet as the new Cabinet Member for Housing.", {"membership"}),
    ("The Chair thanked the outgoing Cabinet Member, Councillor Lisle, for her work.", {"membership"}),
    ("Councillor Dunmore had stepped down from the committee.", {"membership"}),
    ("Councillor Tarrant was not present for the item.", {"late_or_left", "present"}),
    # declaration
    ("Declarations of interest", {"declaration"}),
    ("There were no declarations of interest.", {"declaration"}),
    ("No declarations were made.", {"declaration"}),
    ("Cllr Upton declared a personal interest in item 5 as a member of the parish council.", {"declaration"}),
    (
        "Councillor Vane declared a disclosable pecuniary interest and withdrew from the room.",
        {"declaration", "late_or_left"},
    ),
    ("Councillor Vane declared a prejudicial interest in the item.", {"declaration"}),
    ("Interests and Nature of Interests Declared:", {"declaration"}),
    ("Councillor Wilde had been granted a dispensation by the Standards Committee.", {"declaration"}),
    ("Declarations of Interests, Other Registrable Interests and Non-Registrable Interests", {"declaration"}),
    # chair
    ("Councillor Ashdown in the Chair", {"chair"}),
    ("Chair: Councillor Ashdown", {"chair"}),
    ("Chairman - Cllr Ashdown", {"chair"}),
    ("Councillor Ashdown (Vice-Chair, in the Chair)", {"chair"}),
    ("RESOLVED: That Councillor Bexley be elected Chair for the municipal year 2024/25.", {"chair"}),
    ("Councillor Bexley was appointed Chairman of the Panel.", {"chair"}),
    ("Appointment of Vice-Chair", {"chair"}),
    ("Election of Chairman", {"chair"}),
    ("In the absence of the Chair, the Vice-Chair took the chair.", {"chair"}),
    ("Councillor Carnaby chaired the meeting.", {"chair"}),
    ("The independent chair, Dr Rowan Ellery, opened the first meeting of the board.", {"chair"}),
    ("The Chair, Councillor Ashdown, welcomed everyone to the meeting.", {"chair"}),
    ("The Chair, Councillor Kemble, opened the meeting.", {"chair"}),  # names who chaired
    ("The meeting was chaired by Councillor Carnaby.", {"chair"}),
    # minutes_approved
    (
        "RESOLVED – That the minutes of the meeting held on 3 March 2020 be approved as a correct record and signed by the Chair.",
        {"minutes_approved"},
    ),
    ("Resolved: That the minutes of the previous meeting be agreed.", {"minutes_approved"}),
    (
        "The minutes of the meeting held on 9 May were confirmed as a true and accurate record.",
        {"minutes_approved"},
    ),
    ("To approve the minutes of the meeting held on 12 January 2025.", {"minutes_approved"}),
    ("Minutes pdf icon PDF 187 KB", {"minutes_approved"}),
    ("Minutes of the previous meeting", {"minutes_approved"}),
    ("Matters arising", {"minutes_approved"}),
    ("Minute 45 was amended to record that Councillor Dale had abstained.", {"minutes_approved", "vote"}),
    # urgent_business
    ("Urgent business", {"urgent_business"}),
    ("There were no items of urgent business.", {"urgent_business"}),
    ("Any other business", {"urgent_business"}),
    ("The Chair agreed to take one urgent item on the closure of the leisure centre.", {"urgent_business"}),
    # exclusion
    ("Exclusion of press and public", {"exclusion"}),
    (
        "RESOLVED: That the press and public be excluded from the meeting for the following item.",
        {"exclusion"},
    ),
    (
        "The item involves the likely disclosure of exempt information as defined in paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972.",
        {"exclusion"},
    ),
    ("Part II – not for publication", {"exclusion"}),
    ("Restricted enclosure", {"exclusion"}),
    ("The item was considered in private.", {"exclusion"}),
    # vote
    ("Upon a recorded vote, the motion was CARRIED: For 27, Against 3", {"vote"}),
    ("For: 12 Against: 4 Abstentions: 1", {"vote"}),
    ("The motion was put to the vote and carried unanimously.", {"vote"}),
    ("On being put to the meeting, the amendment was lost.", {"vote"}),
    ("The amendment fell.", {"vote"}),
    ("The recommendations were agreed nem. con.", {"vote"}),
    ("The Chair used her casting vote.", {"vote"}),
    ("A recorded vote was taken: 38 members voted for, 9 against and 2 abstained.", {"vote"}),
    # moved_seconded
    (
        "It was moved by Councillor Ainsley and seconded by Councillor Brook that the report be noted.",
        {"moved_seconded"},
    ),
    ("Councillor Ainsley moved and Councillor Brook seconded the motion.", {"moved_seconded"}),
    ("Councillor Ainsley moved the recommendations in the report.", {"moved_seconded"}),
    ("The recommendations were proposed by Councillor Ainsley.", {"moved_seconded"}),
    ("Cllr Brook proposed an amendment.", {"moved_seconded"}),
    ("The recommendations below were moved, seconded and agreed.", {"moved_seconded"}),
    # venue
    ("Venue: Council Chamber, Town Hall", {"venue"}),
    ("Venue:", {"venue"}),
    ("Committee Room 3, Civic Centre, Harbour Street", {"venue"}),
    ("The meeting was held at the Kestrel Room, Oakfield Library.", {"venue"}),
    ("Venue: Remote meeting held on Microsoft Teams", {"venue"}),
    ("This was a virtual meeting.", {"venue"}),
    ("Councillor Dunmore attended remotely.", {"venue"}),
    ("The meeting was held in person at County Hall.", {"venue"}),
    # time
    ("Planning Committee - Wednesday, 4th June, 2025 10.00 am", {"time"}),
    ("The meeting commenced at 10.02 and closed at 12.40 pm.", {"time"}),
    ("The meeting ended at 4.05 pm", {"time"}),
    ("RESOLVED: That meetings be held at 6.30pm on Tuesdays.", {"time"}),
    # contact
    ("Contact: Priya Lowther, Democratic Services Officer", {"contact"}),
    ("Contact:", {"contact"}),
    ("Contact officer: Ben Sallis Tel: 01632 000111", {"contact"}),
    # decision_maker, decision_date, published, effective, call_in, key_decision
    ("Decision Maker: Cabinet", {"decision_maker"}),
    ("Decision-maker: Cabinet Member for Highways", {"decision_maker"}),
    ("The decision was taken by the Corporate Director under delegated powers.", {"decision_maker"}),
    ("Date of decision: 11/03/2023", {"decision_date"}),
    ("Publication date: 02/03/2009", {"published"}),
    ("Effective from: 25/06/2021", {"effective"}),
    ("The decision will come into force on 1 April.", {"effective"}),
    ("The decision will take effect after the call-in period.", {"effective", "call_in"}),
    ("Decision status: Implemented", {"effective"}),
    ("Is subject to call in?: No", {"call_in"}),
    ("Is subject to call in?: Yes", {"call_in"}),
    ("The decision was called in by five members of the Overview and Scrutiny Committee.", {"call_in"}),
    (
        "This decision is exempt from call-in because the delay would harm the council's interests.",
        {"call_in"},
    ),
    ("The special urgency procedure was used.", {"call_in"}),
    ("Is key decision?: Yes", {"key_decision"}),
    ("This is a key decision.", {"key_decision"}),
    # public_questions and next_meeting
    ("Public questions", {"public_questions"}),
    ("Questions from members of the public", {"public_questions"}),
    ("A petition signed by 1,200 residents was presented.", {"public_questions"}),
    ("Deputations", {"public_questions"}),
    ("Two residents addressed the committee with the Chair's permission.", {"public_questions"}),
    ("Date of next meeting", {"next_meeting"}),
    ("The next meeting will be held on Tuesday 8 July 2025 at 2.00 pm.", {"next_meeting", "time"}),
    ("Dates of future meetings", {"next_meeting"}),
    # layouts: table cells, item numbers, bullets, curly quotes, non-breaking spaces
    ("| 2. | Apologies for absence |", {"apologies"}),
    ("58.\u00a0Declarations of interest", {"declaration"}),
    ("·\u00a0\u00a0Councillor Lisle left the meeting.", {"late_or_left"}),
    ("(a)\u00a0that the minutes be signed by the Chair", {"minutes_approved"}),
    # more narrative shapes
    ("Councillor Ainsley, seconded by Councillor Brook, moved an amendment.", {"moved_seconded"}),
    ("RESOLVED (by 7 votes to 2) that the application be refused.", {"vote"}),
    (
        "Councillor Finch declared that she was a trustee of the food bank and took no part in the debate.",
        {"declaration"},
    ),
    ("Councillor Lund was elected Vice-Chairman for the remainder of the municipal year.", {"chair"}),
    ("Councillors Price and Rowe were not present.", {"apologies", "present"}),
    ("The report was taken as urgent business under section 100B(4)(b).", {"urgent_business"}),
    ("Reason for urgency: the contract expires before the next Cabinet.", {"call_in"}),
    ("Call-in deadline: 21/03/2025", {"call_in"}),
    ("Subject to call-in: No", {"call_in"}),
    ("Key decision: No", {"key_decision"}),
    (
        "Decision will come into force and may be implemented on 22/03/2025 unless the decision is called in.",
        {"effective", "call_in"},
    ),
    ("Mr Nash spoke in objection to the application.", {"public_questions"}),
    ("Members met in the Council Chamber.", {"venue"}),
    ("The meeting adjourned at 8.10pm and reconvened at 8.25pm.", {"time"}),
]

#: Sentences of minutes that state no meeting fact, however close their words come.
STATES_NOTHING = [
    "The council's housing register had grown to 4,100 households.",
    "The Chairman introduced the report.",
    "The Chair said that the committee would return to the matter in the spring.",
    "The Vice-Chair asked how many families had been helped.",
    "The independent chair of the partnership wrote to the Director.",
    "Minutes:",
    "Agenda and minutes",
    "Persistent absence from school had risen to 22%.",
    "School exclusions had fallen for the second year.",
    "Children's contact with their birth families was arranged weekly.",
    "The social worker acted in the best interests of the child.",
    "Interest rates on the council's borrowing had risen.",
    "The review will be carried out in the summer.",
    "The number of fostering households fell from 168 to 151.",
    "Twelve children moved to placements closer to home.",
    "Several experienced staff left the council for agency roles.",
    "The grant was approved for 3 years.",
    "The service was seen as cost-effective.",
    "The letter set out an urgent review of placements.",
    "Officers would publish a summary for families.",
    "Residents living in private rented housing had complained.",
    "Within 30 minutes of a call a social worker would respond.",
    "The council offered an apology to the family.",
    "There was no substitute for face-to-face work with children.",
    "Budget pressures were reported to the Cabinet.",
    "£2.50 per hour was paid to carers.",
    "The Chair welcomed everyone to the meeting.",
    "The Leader declared that he was proud of the staff.",
    "The proposal was rejected by the Secretary of State.",
    "Ten of the recommendations were carried forward from last year.",
    "The Cabinet Member would meet young people in person at the hub.",
    "Officers were asked to present the findings to the next meeting of the Committee.",
    "The plan moved the council from recovery to consolidation.",
    "A regular item on the committee's forward plan.",
    "Date of Meeting: 12/03/2025",
    "Wards affected: All wards",
]

#: Questions as members type them and exactly the kinds each asks for.
ASKED = [
    ("who sent apologies to cabinet in march", {"apologies"}),
    ("any apologys?", {"apologies"}),
    ("apols for the last planning meeting", {"apologies"}),
    ("who gave appologies", {"apologies"}),
    ("which councillors couldn't attend the board", {"apologies"}),
    ("who couldnt come to scrutiny", {"apologies"}),
    ("was anyone absent", {"apologies"}),
    ("who was there", {"present"}),
    ("who was present at full council", {"present"}),
    ("who attended the improvement board", {"present"}),
    ("list the attendees", {"present"}),
    ("who subbed for cllr Moss", {"substitute"}),
    ("any subs at licensing?", {"substitute"}),
    ("was there a substitute", {"substitute"}),
    ("who substituted for councillor Moss", {"substitute"}),
    ("who stood in for the cabinet member", {"substitute"}),
    ("who declared an interest", {"declaration"}),
    ("any DPIs?", {"declaration"}),
    ("were there any declerations", {"declaration"}),
    ("did anyone have an interest in item 6", {"declaration"}),
    ("interests?", {"declaration"}),
    ("where did cabinet meet on 20 july", {"venue"}),
    ("venue?", {"venue"}),
    ("which room was the board in", {"venue"}),
    ("was it in person or remote", {"venue"}),
    ("was the meeting held on teams", {"venue"}),
    ("who chaired the meeting", {"chair"}),
    ("who was the chair", {"chair"}),
    ("who was vice chair in 2023", {"chair"}),
    ("who was chairman", {"chair"}),
    ("which minutes were approved", {"minutes_approved"}),
    ("were the minutes agreed", {"minutes_approved"}),
    ("were the previous minutes signed", {"minutes_approved"}),
    ("did they confirm the minutes of the last meeting", {"minutes_approved"}),
    ("was anyone late", {"late_or_left"}),
    ("did anybody arrive late", {"late_or_left"}),
    ("who left early", {"late_or_left"}),
    ("which reports were taken in privte", {"exclusion"}),
    ("which cllr left the eastmoor cabinet meeting for the care home item", {"late_or_left"}),
    ("when did cllr quill join the board on 3/3/21", {"late_or_left"}),
    ("who was welcomed to cabinet in may and who was leaving", {"membership"}),
    ("any new members on the panel", {"membership"}),
    ("how did they vote", {"vote"}),
    ("was it unanimous", {"vote"}),
    ("was it unanamous", {"vote"}),
    ("was there a recorded vote", {"vote"}),
    ("was the motion carried", {"vote"}),
    ("did the amendment pass", {"vote"}),
    ("who moved the motion", {"moved_seconded"}),
    ("who seconded it", {"moved_seconded"}),
    ("who proposed the amendment", {"moved_seconded"}),
    ("who moved and seconded", {"moved_seconded"}),
    ("any urgent business", {"urgent_business"}),
    ("was there any urgent buisness", {"urgent_business"}),
    ("anything under AOB?", {"urgent_business"}),
    ("why were the press and public excluded", {"exclusion"}),
    ("which exempt paragraph applied", {"exclusion"}),
    ("was it taken in private", {"exclusion"}),
    ("was the contract item part 2", {"exclusion"}),
    ("was it called in", {"call_in"}),
    ("was there a call-in", {"call_in"}),
    ("is it subject to call in", {"call_in"}),
    ("when does it take effect", {"effective"}),
    ("when does the decision take affect", {"effective"}),
    ("effective date?", {"effective"}),
    ("when was it published", {"published"}),
    ("publication date of the foster carer decision", {"published"}),
    ("who made the decision", {"decision_maker"}),
    ("who took the decison on fees", {"decision_maker"}),
    ("who was the decision maker", {"decision_maker"}),
    ("was it a key decision", {"key_decision"}),
    ("when was the decision made", {"decision_date"}),
    ("any public questions at cabinet", {"public_questions"}),
    ("was there a deputation", {"public_questions"}),
    ("were any petitons presented", {"public_questions"}),
    ("did any members of the public speak", {"public_questions"}),
    ("when is the next meeting", {"next_meeting"}),
    ("date of nxt board meeting", {"next_meeting"}),
    ("what time do meetings start", {"time"}),
    ("what time does cabinet start", {"time"}),
    ("start time?", {"time"}),
    ("how long did the meeting last", {"time"}),
    ("who is the contact officer", {"contact"}),
    ("who do i email about the agenda", {"contact"}),
    ("who wasn't at the meeting", {"apologies"}),
    ("which members were missing", {"apologies"}),
    ("Who couldn\u2019t come to Cabinet?", {"apologies"}),
    ("was cllr moss replaced by anyone", {"substitute"}),
    ("who sat on the panel", {"present"}),
    ("which councillors were there", {"present"}),
    ("decs of interest?", {"declaration"}),
    ("whre did they meet", {"venue"}),
    ("was it on zoom", {"venue"}),
    ("who was in the chair", {"chair"}),
    ("were there any amendments to the minutes", {"minutes_approved"}),
    ("what was the outcome of the motion", {"vote"}),
    ("why was it in part 2", {"exclusion"}),
    ("is it subject to callin", {"call_in"}),
    ("was urgency used", {"call_in"}),
    ("when did the decision come into force", {"effective"}),
    ("when's the next cabinet", {"next_meeting"}),
    ("who is the clerk", {"contact"}),
    # more than one kind
    ("who was there and who sent apologies", {"present", "apologies"}),
    ("who moved it and was it unanimous", {"moved_seconded", "vote"}),
    ("did councillors leave before the vote", {"late_or_left", "vote"}),
    ("when was it decided and who decided", {"decision_date", "decision_maker"}),
    ("WHO CHAIRED AND WHERE DID THEY MEET", {"chair", "venue"}),
    ("was the decision subject to call-in and when does it come into force", {"call_in", "effective"}),
]

#: Questions about a topic only: they ask for no meeting fact.
ASKS_NOTHING = [
    "what was said about SEND",
    "what did the chair say about SEND transport",
    "what did the vice-chair ask about early help",
    "what was decided about the budget",
    "what did they say about school exclusions",
    "what was said about school attendance",
    "persistent absence in secondary schools",
    "children missing education",
    "contact with birth parents",
    "interest rates on borrowing",
    "is the early help offer effective",
    "remote working for social workers",
    "urgent care waiting times",
    "children moved out of area",
    "what is the proposed budget for 2025/26",
    "when was the climate emergency declared",
    "private fostering arrangements",
    "which sub-committee looks at licensing",
    "agency staff leaving the council",
    "late payments to foster carers",
    "housing repairs",
    "what did members say about voting age",
    "did the cabinet member present the report",
    "when is the next ofsted visit",
    "when is the next phase of the plan due",
    "what did the leader say about the interests of care leavers",
    "was the budget approved",
    "what actions were agreed",
    "tell me about the last cabinet meeting",
    "",
]


@pytest.mark.parametrize(("text", "kinds"), STATED)
def test_passages_state_their_kinds(text, kinds):
    assert fact_kinds(text) == frozenset(kinds)


@pytest.mark.parametrize("text", STATES_NOTHING)
def test_passages_about_business_state_no_kind(text):
    assert fact_kinds(text) == frozenset()


@pytest.mark.parametrize(("question", "kinds"), ASKED)
def test_questions_ask_for_their_kinds(question, kinds):
    assert wanted_kinds(question) == frozenset(kinds)


@pytest.mark.parametrize("question", ASKS_NOTHING)
def test_topic_questions_ask_for_no_kind(question):
    assert wanted_kinds(question) == frozenset()


def test_the_kinds_are_the_ones_the_retrieval_expects():
    assert set(REQUIRED) <= set(FACT_KINDS)
    assert len(set(FACT_KINDS)) == len(FACT_KINDS)


@pytest.mark.parametrize("kind", FACT_KINDS)
def test_every_kind_is_described_stated_and_asked_for(kind):
    assert describe(kind) and describe(kind) == describe(kind).strip()
    assert any(kind in kinds for _, kinds in STATED), f"no passage states {kind}"
    assert any(kind in kinds for _, kinds in ASKED), f"no question asks for {kind}"


def test_describe_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown fact kind"):
        describe("weather")


def test_a_whole_decision_page_is_labelled_line_by_line():
    page = """Decision details
Decision maker: Cabinet Member for Waste and Recycling
Decision status: Implemented
Is Key decision?: No
Is subject to call in?: Yes
Decision:
That the charge for a second garden waste bin be set at £45 a year.
Contact: Tomas Greenhalgh, Waste Services Manager Email: waste@example.gov.uk
Publication date: 04/02/2025
Date of decision: 04/02/2025
Effective from: 12/02/2025"""
    labels = [sorted(fact_kinds(line)) for line in page.splitlines()]
    assert labels == [
        [], ["decision_maker"], ["effective"], ["key_decision"], ["call_in"], [], [], ["contact"],
        ["published"], ["decision_date"], ["effective"],
    ]  # fmt: skip


def test_a_passage_of_several_lines_gathers_the_kinds_of_each():
    passage = "Present:\nCouncillors Aldous (Chair), Brindle and Corrigan\nApologies: Councillor Dunmore"
    assert fact_kinds(passage) == {"present", "chair", "apologies"}


@given(st.text(max_size=300))
def test_any_text_gets_only_known_kinds(text):
    assert fact_kinds(text) <= set(FACT_KINDS)
    assert wanted_kinds(text) <= set(FACT_KINDS)


def test_a_long_pasted_question_is_read_quickly():
    question = "when was it declared excluded " * 1500 + "?"
    assert "published" not in wanted_kinds(question)


def test_every_kind_has_the_words_that_ask_for_it():
    from knowledge.answers.facts import FACT_WORDS

    assert set(FACT_WORDS) == set(FACT_KINDS)
    assert all(words and all(w == w.lower() for w in words) for words in FACT_WORDS.values())
