"""The ModernGov web-service client: records, XML reading, and polite HTTP against a stand-in site.

The real answers kept in ``/work/shared/moderngov`` are read when present (skipped otherwise); our own
fixtures are in ``tests/data/moderngov``. Every HTTP test talks to :mod:`moderngov_standin` over
loopback with a fake clock, so no test sleeps: the recorded sleeps are what the client would wait.
"""

from __future__ import annotations

import importlib
import logging
import time
import urllib.request
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from moderngov_standin import (
    DEMO_TODAY,
    EXEMPT,
    Fault,
    ModernGovStandIn,
    demo_site,
    forbidden,
    html_instead,
    not_found,
    rate_limited,
    server_error,
    slow,
)
from sync_support import client_for

import knowledge.moderngov as moderngov
from knowledge.moderngov import (
    DEFAULT_USER_AGENT,
    AgendaItem,
    Attendee,
    BlockedError,
    Committee,
    HttpRequest,
    HttpResponse,
    HttpStatusError,
    LinkedDocument,
    Meeting,
    MeetingDetail,
    ModernGovClient,
    ModernGovError,
    NoServiceError,
    NotXmlError,
    UnavailableError,
    UnexpectedXmlError,
    item_url,
    meeting_url,
    parse_committees,
    parse_date,
    parse_meeting,
    parse_meetings,
    user_agent,
)

pytest_plugins = ["moderngov_standin", "sync_support"]  # no_proxy, clock

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "moderngov"
OURS = Path(__file__).parent / "data" / "moderngov"


def real(name: str) -> bytes:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"the shared ModernGov fixtures are not here ({SHARED})")
    return path.read_bytes()


def one_line(error: BaseException) -> str:
    text = str(error)
    assert text and "\n" not in text
    return text


# --- the package's face ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", ".errors", ".records", ".links", ".xml_read", ".transport", ".client"])
def test_public_names_are_listed_and_exist(name):
    module = importlib.import_module("knowledge.moderngov" + name)
    assert module.__all__, module.__name__
    assert [n for n in module.__all__ if not hasattr(module, n)] == []


def test_the_package_exports_every_public_name_of_its_modules():
    for name in (".errors", ".records", ".links", ".xml_read", ".transport", ".client"):
        module = importlib.import_module("knowledge.moderngov" + name)
        assert set(module.__all__) <= set(moderngov.__all__), name


def test_every_error_is_a_moderngov_error():
    for error in (
        NotXmlError,
        UnexpectedXmlError,
        BlockedError,
        UnavailableError,
        HttpStatusError,
        NoServiceError,
    ):
        assert issubclass(error, ModernGovError)
    assert str(ModernGovError("two\n  lines")) == "two lines"


def test_links():
    base = "https://democracy.eastmoor.example.gov.uk/"
    assert (
        meeting_url(base, 10, 101)
        == "https://democracy.eastmoor.example.gov.uk/ieListDocuments.aspx?CId=10&MId=101"
    )
    assert item_url(base, 9003) == "https://democracy.eastmoor.example.gov.uk/mgAi.aspx?ID=9003"


# --- records and their hashes ----------------------------------------------------------------------

MEETING = Meeting(
    101, 10, "Overview and Scrutiny Committee", date(2026, 1, 15), "7.00 pm", "Confirmed", "", None
)


def test_content_hash_is_stable_across_runs():
    # A sync stores these: a change here re-indexes every council, so it must be deliberate.
    assert MEETING.content_hash() == "1400badde4b430f02cc4d335814bdb92a3b148456c7d0105d6b097f5a32f97e7"
    assert Committee(10, "Cabinet", False, False, "Executive").content_hash() == (
        "c0cfae9b223c2c546f64f215ae4c298b5272d12272db81793fb0896ae00288ce"
    )


def test_content_hash_follows_every_field():
    assert MEETING.content_hash() == replace(MEETING).content_hash()
    changed = [
        replace(MEETING, status="Cancelled"),
        replace(MEETING, date=date(2026, 1, 16)),
        replace(MEETING, time=None),
        replace(MEETING, minutes_published=False),
    ]
    assert len({MEETING.content_hash(), *(m.content_hash() for m in changed)}) == 5


def test_content_hash_follows_nested_records():
    doc = LinkedDocument("Report", "https://example.org/1")
    item = AgendaItem(1, "1", "Minutes", "<p>Agreed.</p>", "", False, False, False, True, True, "", (doc,))
    other = replace(item, documents=(replace(doc, url="https://example.org/2"),))
    assert item.content_hash() != other.content_hash()
    detail = MeetingDetail(MEETING, (item,), ())
    assert detail.content_hash() != replace(detail, items=(other,)).content_hash()
    assert (
        detail.content_hash()
        != replace(detail, attendees=(Attendee("A", "Chair", "Present"),)).content_hash()
    )


# --- reading the real answers -------------------------------------------------------------------------


def test_real_committees():
    committees = parse_committees(real("committees.xml"))
    assert [c.id for c in committees] == [312, 163, 144]
    assert [c.expired for c in committees] == [True, False, False]
    assert not any(c.deleted for c in committees)
    assert committees[2].title == "Audit Committee"
    assert all(c.category == "Governance and Decision Making Committees" for c in committees)


def test_real_meetings():
    meetings = parse_meetings(real("meetings.xml"))
    assert [(m.id, m.date, m.status) for m in meetings] == [
        (4966, date(2026, 1, 13), "Cancelled"),
        (4967, date(2026, 2, 10), "Confirmed"),
    ]
    assert all(m.committee_id == 144 and m.committee_title == "Audit Committee" for m in meetings)
    assert all(m.time == "10.00 am" and m.minutes_published is None for m in meetings)
    assert meetings[0].is_cancelled and not meetings[1].is_cancelled


def test_real_meeting_with_minutes():
    detail = parse_meeting(real("meeting_with_minutes.xml"), committee_id=144)
    meeting = detail.meeting
    assert (meeting.id, meeting.date, meeting.status, meeting.minutes_published) == (
        4967,
        date(2026, 2, 10),
        "Confirmed",
        True,
    )
    assert meeting.committee_id == 144 and meeting.committee_title == "Audit Committee"  # from its papers
    assert meeting.venue and "\n" not in meeting.venue
    first, last = detail.items
    assert (first.id, first.number, first.title) == (18831, "1", "Minutes")
    assert (last.id, last.number, last.title) == (18833, "9", "Work Programme")  # printed, not internal 12
    for item in detail.items:
        assert item.minute_html.startswith('<div class="WordSection1">') and "<p " in item.minute_html
        assert item.agenda_text.startswith("<div") and "&lt;" not in item.minute_html
        assert item.is_minute_published and item.is_display_allowed
        assert not (item.is_decision or item.is_callin or item.is_restricted) and item.exempt_paragraph == ""
        assert len(item.documents) == 1
    assert "Work Programme for the remainder of 2025/26" in " ".join(last.minute_html.split())
    assert first.documents[0].url.endswith("/mgConvert2PDF.aspx?ID=60860")
    assert first.documents[0].title.startswith("6 - CHAIR APPROVED Minutes")  # spacing tidied
    (attendee,) = detail.attendees
    assert (attendee.role, attendee.attendance) == ("Committee Member", "Expected")
    assert attendee.name.startswith("Councillor ")


def test_real_cancelled_meeting_has_no_items():
    detail = parse_meeting(real("meeting_no_minutes.xml"))
    assert detail.items == ()
    assert detail.meeting.is_cancelled and detail.meeting.minutes_published is False
    assert detail.meeting.committee_id is None and detail.meeting.committee_title == ""
    assert len(detail.attendees) == 1


@pytest.mark.parametrize("parse", [parse_committees, parse_meetings, parse_meeting])
def test_real_redirect_page_is_not_xml(parse):
    with pytest.raises(NotXmlError) as caught:
        parse(real("not_xml_redirect.xml"))
    assert "HTML page or script" in one_line(caught.value)


def test_hashes_of_one_answer_read_twice_agree():
    data = real("meeting_with_minutes.xml")
    assert parse_meeting(data).content_hash() == parse_meeting(data.decode("utf-8")).content_hash()


# --- reading our own fixtures -------------------------------------------------------------------------


def test_minutes_escaped_twice_become_real_html():
    detail = parse_meeting((OURS / "meeting_double_escaped.xml").read_bytes())
    item = detail.items[0]
    assert item.minute_html == (
        '<p class="MsoNormal">RESOLVED: That the programme be approved, subject to a review of costs '
        "&amp; timescales &lt; 6 months.</p>"
    )
    assert item.agenda_text == "<p>Report of the Director of Place &amp; Environment.</p>"


def test_quirks_of_our_own_meeting():
    detail = parse_meeting((OURS / "meeting_double_escaped.xml").read_bytes())
    meeting = detail.meeting
    assert (meeting.date, meeting.time) == (date(2026, 3, 12), "19:00")  # the time rode on the date
    assert meeting.committee_title == "Cabinet"
    open_item, exempt_item = detail.items
    assert (open_item.number, open_item.title) == ("23/5", "Highways Maintenance Programme 2026/27")
    assert open_item.is_decision and open_item.is_callin
    assert open_item.documents == (
        LinkedDocument(
            "Highways programme report",
            "https://democracy.wexcombeshire.example.gov.uk/mgConvert2PDF.aspx?ID=99101",
        ),
    )  # listed twice, kept once
    assert exempt_item.number == "23/6" and exempt_item.is_restricted and not exempt_item.is_display_allowed
    assert exempt_item.exempt_paragraph == "Paragraph 3 of Part 1 of Schedule 12A"
    assert exempt_item.minute_html == "" and not exempt_item.is_minute_published
    assert [a.attendance for a in detail.attendees] == [
        "Present",
        "Apologies",
        "Present as substitute",
        "In attendance",
    ]
    assert detail.attendees[0].role == "Leader of the Council"


def test_meetings_of_two_committees():
    meetings = parse_meetings((OURS / "meetings_two_committees.xml").read_bytes())
    assert [(m.id, m.committee_id, m.date, m.time) for m in meetings] == [
        (8801, 501, date(2025, 11, 5), "2.00 pm"),
        (8802, 501, date(2026, 1, 21), "10:30"),
        (8810, 502, date(2026, 1, 20), "10.00 am"),
    ]
    assert meetings[2].committee_title == "Corporate Parenting Panel" and meetings[2].is_cancelled


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"Service Unavailable",
        b"<html><body><p>Maintenance</p></body></html>",
        b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"/>',
        b'<?xml version="1.0"?><!DOCTYPE meeting [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<meeting><meetingid>&b;</meetingid></meeting>",
    ],
    ids=["empty", "blank", "text", "html", "soap", "entities"],
)
def test_what_is_not_the_service_xml(data):
    with pytest.raises(NotXmlError) as caught:
        parse_meeting(data)
    one_line(caught.value)


def test_an_html_error_page_is_not_xml():
    with pytest.raises(NotXmlError, match="HTML page"):
        parse_committees((OURS / "error_page.html").read_bytes())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<meeting><meetingdate>12/03/2026</meetingdate></meeting>", "no usable <meetingid>"),
        (
            b"<meeting><meetingid>5</meetingid><meetingdate>31/02/2026</meetingdate></meeting>",
            "does not exist",
        ),
        (b"<meeting><meetingid>5</meetingid><meetingdate>\n  </meetingdate></meeting>", "meeting 5"),
        (b"<committees><committee><committeeid>x</committeeid></committee></committees>", "a committee"),
    ],
)
def test_xml_with_an_unreadable_field(data, message):
    parse = parse_committees if data.startswith(b"<committees") else parse_meeting
    with pytest.raises(UnexpectedXmlError, match=message) as caught:
        parse(data)
    one_line(caught.value)


def test_a_byte_order_mark_and_leading_blank_lines_are_fine():
    data = b"\xef\xbb\xbf\n\n" + real("committees.xml")
    assert len(parse_committees(data)) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13/01/2026", (date(2026, 1, 13), None)),
        (" 3/1/2026 ", (date(2026, 1, 3), None)),
        ("13/01/2026 10:00:00", (date(2026, 1, 13), "10:00")),
        ("13/01/2026 00:00:00", (date(2026, 1, 13), None)),
        ("13/01/2026 9:30", (date(2026, 1, 13), "09:30")),
        ("2026-01-13T18:30:00", (date(2026, 1, 13), "18:30")),
        ("2026-01-13", (date(2026, 1, 13), None)),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "31/02/2026", "13-01-2026", "01/13/2026"])
def test_dates_that_are_not(text):
    with pytest.raises(UnexpectedXmlError):
        parse_date(text)


@pytest.mark.parametrize(
    ("flag", "expected"), [("True", True), ("False", False), ("true", True), ("  True\n ", True), ("", False)]
)
def test_booleans(flag, expected):
    xml = f"<committees><committee><committeeid>1</committeeid><committeeexpired>{flag}</committeeexpired></committee></committees>"
    assert parse_committees(xml)[0].expired is expected


# --- the client against the stand-in ------------------------------------------------------------------


def test_committees_meetings_and_a_meeting(moderngov_standin, clock):
    client = client_for(moderngov_standin, clock)
    committees = client.committees()
    assert [c.id for c in committees] == [10, 20, 30, 40, 50]
    assert [c.title for c in committees if c.expired or c.deleted] == [
        "Housing Scrutiny Panel",
        "Licensing Sub-Committee (2019)",
    ]
    since, until = DEMO_TODAY - timedelta(days=90), DEMO_TODAY
    meetings = client.meetings(10, since, until)
    assert [(m.id, m.status) for m in meetings] == [
        (101, "Confirmed"),
        (102, "Cancelled"),
        (103, "Confirmed"),
    ]
    detail = client.meeting(103, committee_id=10, committee_title="Overview and Scrutiny Committee")
    assert detail is not None
    assert detail.meeting.venue == "Council Chamber, Eastmoor House" and detail.meeting.minutes_published
    assert [i.number for i in detail.items] == ["1", "2", "3", "5", "6"]
    exempt = detail.items[-1]
    assert exempt.is_restricted and exempt.exempt_paragraph == EXEMPT
    assert [d.title for d in exempt.documents] == [
        "Exempt report - commercial terms",
        "Draft minutes 12 March",
    ]
    assert detail.attendees[-1].attendance == "Present as substitute"
    assert moderngov_standin.targets() == ["GetCommittees", "GetMeetings", "GetMeeting"]


def test_meetings_sends_the_window_as_day_month_year(moderngov_standin, clock):
    client_for(moderngov_standin, clock).meetings(20, date(2026, 1, 1), date(2026, 3, 31))
    request = moderngov_standin.requests[-1]
    assert request.path == "/mgWebService.asmx/GetMeetings"
    assert request.query == {"lCommitteeId": "20", "sFromDate": "01/01/2026", "sToDate": "31/03/2026"}


def test_meetings_outside_the_window_are_dropped_when_the_site_ignores_it(moderngov_standin, clock):
    moderngov_standin.site.ignore_window = True
    url = f"{moderngov_standin.base_url}/mgWebService.asmx/GetMeetings?lCommitteeId=10&sFromDate=01/03/2026&sToDate=16/03/2026"
    with urllib.request.urlopen(url, timeout=5) as answer:  # the site sends the committee's four
        assert len(parse_meetings(answer.read())) == 4
    meetings = client_for(moderngov_standin, clock).meetings(10, date(2026, 3, 1), DEMO_TODAY)
    assert [m.id for m in meetings] == [103]


def test_a_window_that_ends_before_it_starts(moderngov_standin, clock):
    with pytest.raises(ValueError, match="ends"):
        client_for(moderngov_standin, clock).meetings(10, DEMO_TODAY, DEMO_TODAY - timedelta(days=1))


def test_requests_are_spaced(moderngov_standin, clock):
    client = client_for(moderngov_standin, clock, spacing=1.5)
    client.committees()
    client.committees()
    clock.now += 1.0  # a second of other work
    client.get_page("ieListMeetings.aspx?CId=10")
    clock.now += 5.0
    client.get_page("mgAi.aspx?ID=9003")
    assert clock.sleeps == pytest.approx([1.5, 0.5])


def test_a_server_error_is_retried_after_five_seconds(moderngov_standin, clock):
    moderngov_standin.inject("GetCommittees", server_error())
    assert len(client_for(moderngov_standin, clock).committees()) == 5
    assert clock.sleeps == pytest.approx([5.0])
    assert moderngov_standin.targets() == ["GetCommittees", "GetCommittees"]


def test_a_site_that_keeps_failing_is_given_up_after_5_10_20(moderngov_standin, clock):
    moderngov_standin.inject("GetMeeting", server_error(), times=None)
    with pytest.raises(UnavailableError, match="HTTP 500 on 4 tries") as caught:
        client_for(moderngov_standin, clock).meeting(101)
    one_line(caught.value)
    assert clock.sleeps == pytest.approx([5.0, 10.0, 20.0])


def test_rate_limiting_honours_retry_after(moderngov_standin, clock):
    moderngov_standin.inject("GetMeeting", rate_limited(7))
    detail = client_for(moderngov_standin, clock).meeting(104)
    assert detail is not None and detail.items[0].number == "23/5"
    assert clock.sleeps == pytest.approx([7.0])


def test_retry_after_longer_than_the_cap_is_not_waited_for(moderngov_standin, clock):
    moderngov_standin.inject("GetCommittees", rate_limited(3600))
    with pytest.raises(UnavailableError, match="asked us to wait 3600 s") as caught:
        client_for(moderngov_standin, clock, max_retry_after=120).committees()
    one_line(caught.value)
    assert clock.sleeps == [] and moderngov_standin.targets() == ["GetCommittees"]


def test_retry_after_as_a_date_falls_back_to_the_back_off(moderngov_standin, clock):
    moderngov_standin.inject("GetCommittees", rate_limited("Wed, 21 Oct 2026 07:28:00 GMT"))
    client_for(moderngov_standin, clock).committees()
    assert clock.sleeps == pytest.approx([5.0])


def test_a_missing_meeting_or_page_is_none(moderngov_standin, clock):
    client = client_for(moderngov_standin, clock)
    assert client.meeting(999) is None
    assert client.get_page("mgAi.aspx?ID=1") is None
    moderngov_standin.inject("GetMeeting", not_found())
    assert client.meeting(101) is None
    assert clock.sleeps == pytest.approx([1.0, 1.0])  # spaced, never retried


def test_a_missing_web_service_says_so(moderngov_standin, clock):
    moderngov_standin.inject("GetCommittees", not_found())
    with pytest.raises(NoServiceError, match="switched its web service off") as caught:
        client_for(moderngov_standin, clock).committees()
    one_line(caught.value)


def test_a_firewall_refusal_is_reported_not_retried(moderngov_standin, clock):
    moderngov_standin.inject("GetMeetings", forbidden(), times=None)
    with pytest.raises(BlockedError) as caught:
        client_for(moderngov_standin, clock).meetings(10, date(2026, 1, 1), DEMO_TODAY)
    message = one_line(caught.value)
    assert "HTTP 403" in message and "firewall" in message and DEFAULT_USER_AGENT in message
    assert caught.value.url and "GetMeetings" in caught.value.url
    assert moderngov_standin.targets() == ["GetMeetings"] and clock.sleeps == []


def test_html_instead_of_xml(moderngov_standin, clock):
    moderngov_standin.inject("GetMeeting", html_instead())
    with pytest.raises(NotXmlError) as caught:
        client_for(moderngov_standin, clock).meeting(101)
    message = one_line(caught.value)
    assert "GetMeeting?lMeetingId=101 did not answer with the web service's XML" in message
    assert "HttpRedirect" in message and moderngov_standin.targets() == ["GetMeeting"]


def test_another_status_is_an_error_without_retries(moderngov_standin, clock):
    moderngov_standin.inject("GetCommittees", Fault(400, b"Bad Request"))
    with pytest.raises(HttpStatusError) as caught:
        client_for(moderngov_standin, clock).committees()
    assert caught.value.status == 400 and clock.sleeps == []


def test_a_slow_answer_times_out_and_is_retried(moderngov_standin, clock):
    moderngov_standin.inject("GetCommittees", slow())
    started = time.monotonic()
    assert len(client_for(moderngov_standin, clock, timeout=0.2).committees()) == 5
    assert time.monotonic() - started < 5  # the stand-in's 30 s were never waited for
    assert clock.sleeps == pytest.approx([5.0])


def test_a_site_that_stays_slow_is_given_up(moderngov_standin, clock):
    moderngov_standin.inject("GetCommittees", slow(), times=None)
    with pytest.raises(UnavailableError, match=r"no answer within 0.2 s on 2 tries") as caught:
        client_for(moderngov_standin, clock, timeout=0.2, retries=1).committees()
    one_line(caught.value)


def test_a_refused_connection_is_retried_then_reported(clock):
    with ModernGovStandIn(demo_site()) as closed:
        base = closed.base_url
    client = ModernGovClient(base, clock=clock, sleep=clock.sleep)
    with pytest.raises(UnavailableError, match="connection failed"):
        client.committees()
    assert clock.sleeps == pytest.approx([5.0, 10.0, 20.0])


def test_an_answer_too_large_is_not_read(moderngov_standin, clock):
    with pytest.raises(ModernGovError, match="more than 100 bytes"):
        client_for(moderngov_standin, clock, max_bytes=100).committees()


def test_the_user_agent_is_honest_and_configurable(moderngov_standin, clock):
    client_for(moderngov_standin, clock).committees()
    agent = user_agent("https://example.org/scrutiny-bot")
    client_for(moderngov_standin, clock, user_agent=agent).committees()
    sent = [r.headers.get("User-Agent") for r in moderngov_standin.requests]
    assert sent == [
        DEFAULT_USER_AGENT,
        "scrutiny-bot/0.1 (+https://example.org/scrutiny-bot; council scrutiny minutes index)",
    ]
    assert "Mozilla" not in DEFAULT_USER_AGENT


@pytest.mark.parametrize("agent", ["scrutiny-bot/0.1 (+https://github.com/…)", "two\nlines", " "])
def test_a_user_agent_http_cannot_send_is_refused(agent):
    with pytest.raises(ValueError, match="User-Agent"):
        ModernGovClient("https://democracy.eastmoor.example.gov.uk", user_agent=agent)


@pytest.mark.parametrize(
    "base",
    ["democracy.eastmoor.example.gov.uk", "ftp://x.example", "https://x.example/ieListMeetings.aspx?CId=1"],
)
def test_a_base_address_that_is_not_a_site_folder_is_refused(base):
    with pytest.raises(ValueError):
        ModernGovClient(base)


def test_the_fallback_pages(moderngov_standin, clock):
    client = client_for(moderngov_standin, clock)
    listing = client.get_page("ieListMeetings.aspx?CId=10")
    assert (
        listing is not None
        and "ieListDocuments.aspx?CId=10&amp;MId=102" in listing
        and "CANCELLED" in listing
    )
    page = client.get_page(f"{moderngov_standin.base_url}/ieListDocuments.aspx?CId=10&MId=103")
    assert page is not None and "Agenda and draft minutes" in page and 'class="mgItemTable"' in page
    assert "Restricted enclosure" in page and 'class="mgSubItemTitleTxt">Minutes:' in page
    item = client.get_page("/mgAi.aspx?ID=9003")
    assert item is not None and "Agenda item - Leisure Centre Contract Review" in item
    with pytest.raises(ValueError):
        client.get_page("https://elsewhere.example/mgAi.aspx?ID=1")


def test_a_site_in_a_subfolder(clock):
    with ModernGovStandIn(demo_site(), prefix="democracy") as standin:
        client = ModernGovClient(standin.base_url + "/", clock=clock, sleep=clock.sleep)
        assert client.base_url.endswith("/democracy")
        assert len(client.committees()) == 5
        assert client.get_page("mgAi.aspx?ID=9003") is not None
        assert {r.path for r in standin.requests} == {
            "/democracy/mgWebService.asmx/GetCommittees",
            "/democracy/mgAi.aspx",
        }


def test_a_site_that_escapes_twice_reads_the_same(clock):
    with (
        ModernGovStandIn(demo_site()) as plain,
        ModernGovStandIn(replace(demo_site(), double_escape=True)) as twice,
    ):
        a = client_for(plain, clock).meeting(101)
        raw = urllib.request.urlopen(
            f"{twice.base_url}/mgWebService.asmx/GetMeeting?lMeetingId=101", timeout=5
        )
        with raw:
            assert b"&amp;lt;p class" in raw.read()
        b = client_for(twice, clock).meeting(101)
    assert a is not None and b is not None
    assert [i.minute_html for i in a.items] == [i.minute_html for i in b.items]
    assert "&amp; report back" in a.items[2].minute_html
    assert [d.title for d in a.items[2].documents] == [d.title for d in b.items[2].documents]
    assert len(a.items[2].documents) == 2  # the report listed twice is kept once


def test_requests_are_logged_as_structured_lines(moderngov_standin, clock, caplog):
    moderngov_standin.inject("GetCommittees", server_error())
    with caplog.at_level(logging.INFO, logger="scrutiny_bot.moderngov"):
        client_for(moderngov_standin, clock).committees()
    records = [r for r in caplog.records if r.name == "scrutiny_bot.moderngov"]
    fields = [(getattr(r, "status"), getattr(r, "attempt"), r.levelname) for r in records]  # noqa: B009 - set by extra=
    assert fields == [(500, 1, "WARNING"), (200, 2, "INFO")]
    assert all(getattr(r, "url").endswith("/GetCommittees") and getattr(r, "elapsed") >= 0 for r in records)  # noqa: B009


class BrokenDns:
    """A transport for a name that does not resolve."""

    def __init__(self) -> None:
        self.sent: list[HttpRequest] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        self.sent.append(request)
        raise OSError("Name or service not known")


def test_an_unknown_host_is_reported_at_once(clock):
    transport = BrokenDns()
    client = ModernGovClient(
        "https://democracy.nowhere.example", transport=transport, clock=clock, sleep=clock.sleep
    )
    with pytest.raises(UnavailableError, match="could not reach democracy.nowhere.example"):
        client.committees()
    assert len(transport.sent) == 1 and clock.sleeps == []
    assert transport.sent[0].headers["User-Agent"] == DEFAULT_USER_AGENT and transport.sent[0].timeout == 60.0
