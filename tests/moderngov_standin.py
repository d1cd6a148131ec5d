"""A stand-in ModernGov site on loopback: the web service, the fallback pages, and faults on request.

``ModernGovStandIn(site)`` serves, from an in-memory :class:`Site` built in Python, the plain-GET web
service (``mgWebService.asmx/GetCommittees``, ``GetMeetings``, ``GetMeeting``) rendered in the real
format of the fixtures in ``/work/shared/moderngov`` (padded counts, ``True``/``False``, empty
elements holding a newline, HTML escaped inside the XML), and the pages ``ieListMeetings.aspx``,
``ieListDocuments.aspx`` and ``mgAi.aspx``. It records every request (path, query, headers), and
:meth:`ModernGovStandIn.inject` makes the next calls of one method or page fail: a 500, a 429 with
``Retry-After``, a 404, a 403, an HTML page instead of XML, or a slow answer (released at shutdown,
so nothing waits on it). Used by the tests through the ``moderngov_standin`` fixture; try it by hand
with ``python tests/moderngov_standin.py --port 8765`` (a fictional council's demo site), adding
``--fault GetCommittees=html`` or ``--fault GetMeeting=500x1`` to see how a client copes.

A test module imports its helpers and names it in ``pytest_plugins`` for the fixture; the marker
PYTEST_DONT_REWRITE lets pytest take an already imported module as a plugin without a warning.
"""

from __future__ import annotations

import argparse
import html
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape, quoteattr

import pytest

# --- the site -------------------------------------------------------------------------------------


@dataclass
class SiteDocument:
    """A paper attached to an item; served at ``mgConvert2PDF.aspx?ID=<id>``."""

    id: int
    title: str
    restricted: str = ""


@dataclass
class SiteItem:
    """An agenda item; a non-empty ``restricted`` (the Schedule 12A paragraph) makes it exempt."""

    id: int
    number: str
    title: str
    agenda_html: str = ""
    minute_html: str = ""
    is_decision: bool = False
    is_callin: bool = False
    restricted: str = ""
    minute_published: bool = True
    documents: list[SiteDocument] = field(default_factory=list)
    #: False: the council does not allow the item to be shown (ModernGov's ``isdisplayallowed``).
    display_allowed: bool = True


@dataclass
class SiteMeeting:
    """A meeting; ``attendees`` are (name, role, attendance)."""

    id: int
    committee_id: int
    date: date
    time: str = "7.00 pm"
    status: str = "Confirmed"
    venue: str = "Council Chamber, Eastmoor House"
    minutes_published: bool = True
    items: list[SiteItem] = field(default_factory=list)
    attendees: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class SiteCommittee:
    id: int
    title: str
    category: str = "Scrutiny"
    deleted: bool = False
    expired: bool = False


@dataclass
class Site:
    """What the stand-in publishes, and two install quirks it can imitate."""

    name: str
    committees: list[SiteCommittee] = field(default_factory=list)
    meetings: list[SiteMeeting] = field(default_factory=list)
    #: Answer GetMeetings with every meeting of the committee, whatever the dates asked.
    ignore_window: bool = False
    #: Escape minute and agenda HTML twice (``&amp;lt;p&amp;gt;``), as some installs do.
    double_escape: bool = False

    def committee(self, committee_id: int) -> SiteCommittee | None:
        return next((c for c in self.committees if c.id == committee_id), None)

    def meeting(self, meeting_id: int) -> SiteMeeting | None:
        return next((m for m in self.meetings if m.id == meeting_id), None)

    def item(self, item_id: int) -> tuple[SiteMeeting, SiteItem] | None:
        return next(((m, i) for m in self.meetings for i in m.items if i.id == item_id), None)


# --- the web service's XML, in the real format ----------------------------------------------------

#: An element: its tag, and its text or its children.
Node = tuple[str, "str | int | bool | list[Node]"]


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _render(node: Node, pad: int) -> str:
    """One element as ModernGov writes it: True/False, and an empty one holding a newline and indent."""
    tag, value = node
    indent = " " * pad
    if isinstance(value, list):
        inner = "".join(_render(child, pad + 2) + "\n" for child in value)
        return f"{indent}<{tag}>\n{inner}{indent}</{tag}>"
    text = ("True" if value else "False") if isinstance(value, bool) else str(value)
    return f"{indent}<{tag}>{escape(text) if text else chr(10) + indent}</{tag}>"


def _document(root: Node) -> str:
    return f'<?xml version="1.0" encoding="utf-8"?>\n{_render(root, 0)}\n'


def _count(n: int) -> str:
    return f" {n}"  # counts come padded with a space


def committees_xml(site: Site) -> str:
    """``GetCommittees``."""
    # fmt: off
    rows: list[Node] = [("committee", [
        ("committeeid", c.id), ("committeetitle", c.title), ("committeedeleted", c.deleted),
        ("committeeexpired", c.expired), ("committeecategory", c.category),
    ]) for c in site.committees]
    # fmt: on
    return _document(("committees", [("committeescount", _count(len(rows))), *rows]))


def meetings_xml(site: Site, committee_id: int, since: date, until: date) -> str:
    """``GetMeetings`` for one committee (every date when the site ignores the window)."""
    committee = site.committee(committee_id)
    chosen = [m for m in site.meetings if m.committee_id == committee_id]
    if not site.ignore_window:
        chosen = [m for m in chosen if since <= m.date <= until]
    # fmt: off
    rows: list[Node] = [("meeting", [
        ("meetingid", m.id), ("meetingdate", _dmy(m.date)), ("meetingstatus", m.status),
        ("meetingtime", m.time), ("iswebcast", False),
    ]) for m in chosen]
    found: list[Node] = [("committee", [
        ("committeeid", committee.id), ("committeetitle", committee.title),
        ("committeemeetingcount", _count(len(rows))), ("committeemeetings", rows),
    ])] if committee else []
    # fmt: on
    counts: list[Node] = [("meetingscount", _count(len(rows))), ("committeescount", _count(len(found)))]
    return _document(("getmeetings", [*counts, *found]))


def _markup(site: Site, text: str) -> str:
    """HTML as the XML carries it (``_render`` adds the XML escaping); escaped twice over when asked."""
    return html.escape(text, quote=False) if site.double_escape else text


def _item_node(site: Site, base: str, m: SiteMeeting, item: SiteItem, committee_title: str) -> Node:
    # fmt: off
    docs: list[Node] = [("linkeddoc", [
        ("attachmentid", d.id), ("title", d.title), ("isurl", False),
        ("url", f"{base}/mgConvert2PDF.aspx?ID={d.id}"), ("isrestricted", bool(d.restricted)),
        ("restrictionsRef", d.restricted), ("meetingdate", _dmy(m.date)),
        ("committeetitle", committee_title), ("ownertitle", item.title),
    ]) for d in item.documents]
    return ("agendaitem", [
        ("agendaitemid", item.id), ("agendaitemtitle", item.title),
        ("agendatext", _markup(site, item.agenda_html)), ("agendaitemnumber", item.id % 97),
        ("fulldisplaynumberformat", f"{item.number}." if item.number else ""),
        ("minutesnonemptyhtmlbody", _markup(site, item.minute_html)),
        ("iscallin", item.is_callin), ("isdecision", item.is_decision),
        ("isminutepublished", item.minute_published and bool(item.minute_html)),
        ("isrestricted", bool(item.restricted)), ("isdisplayallowed", item.display_allowed),
        ("meetingdate", _dmy(m.date)), ("meetingtime", m.time), ("minutesitemnumber", item.number),
        ("linkeddocuments", docs),
    ])
    # fmt: on


def meeting_xml(site: Site, base: str, m: SiteMeeting) -> str:
    """``GetMeeting``: the meeting, its items and its attendees (their facts as attributes)."""
    committee = site.committee(m.committee_id)
    items = [_item_node(site, base, m, item, committee.title if committee else "") for item in m.items]
    # fmt: off
    fields: list[Node] = [
        ("meetingid", m.id), ("meetingdate", _dmy(m.date)), ("meetingstatus", m.status),
        ("isdisplayallowed", True), ("meetingtime", m.time), ("meetingactualstarttime", ""),
        ("meetinglocation", m.venue), ("iswebcast", False), ("agendaid", m.id),
        ("agendapublished", bool(m.items)), ("minutepublished", m.minutes_published), ("agendaitems", items),
    ]
    # fmt: on
    body = _render(("meeting", fields), 0).removesuffix("\n</meeting>")
    people = "\n".join(
        f'    <attendee membertype="U" memberid="{n}" name={quoteattr(name)} roledescription={quoteattr(role)}'
        f" attendance={quoteattr(attendance)}>\n      <url>{base}/mgUserInfo.aspx?UID={n}</url>\n    </attendee>"
        for n, (name, role, attendance) in enumerate(m.attendees, start=1)
    )
    attendees = f"  <attendees>\n{people}\n  </attendees>" if people else "  <attendees>\n  </attendees>"
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n{attendees}\n</meeting>\n'


# --- the fallback pages ---------------------------------------------------------------------------


def _page(site: Site, title: str, body: str, *, heading: str | None = None) -> str:
    t = html.escape(title)
    h = html.escape(title if heading is None else heading)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><title>{t} | {html.escape(site.name)}</title></head>\n'
        f'<body><div id="modgov"><h1 class="mgMainTitleTxt">{h}</h1>\n{body}\n</div></body></html>\n'
    )


def _long_date(m: SiteMeeting) -> str:
    day = m.date.day
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{m.date:%A}, {day}{suffix} {m.date:%B}, {m.date.year} {m.time}"


def list_meetings_page(site: Site, committee: SiteCommittee) -> str:
    """``ieListMeetings.aspx?CId=``: the committee's meetings, newest first."""
    rows = []
    for m in sorted(
        (m for m in site.meetings if m.committee_id == committee.id), key=lambda m: m.date, reverse=True
    ):
        note = " CANCELLED" if "cancel" in m.status.lower() else ""
        rows.append(
            f'<li><a href="ieListDocuments.aspx?CId={committee.id}&amp;MId={m.id}">'
            f"{m.date:%d %b %Y} {html.escape(m.time)}{note}</a></li>"
        )
    return _page(
        site, f"Browse meetings - {committee.title}", f'<ul class="mgBulletList">{"".join(rows)}</ul>'
    )


def _kind(m: SiteMeeting) -> str:
    if "cancel" in m.status.lower():
        return "Meeting cancelled"
    if not m.minutes_published:
        return "Agenda"
    draft = any("draft" in d.title.lower() for i in m.items for d in i.documents)
    return "Agenda and draft minutes" if draft else "Agenda and minutes"


def _item_cells(item: SiteItem, *, link: bool) -> str:
    title = html.escape(item.title)
    if link:
        title = f'<a href="mgAi.aspx?ID={item.id}">{title}</a>'
    parts = [f'<p class="mgAiTitleTxt">{title}</p>']
    if item.restricted:
        parts.append(f'<p class="mgWordPara">Restricted enclosure. {html.escape(item.restricted)}</p>')
    if item.agenda_html:
        parts.append(f'<div class="mgWordPara">{item.agenda_html}</div>')
    if item.minute_html and item.minute_published:
        parts.append(
            f'<p class="mgSubItemTitleTxt">Minutes:</p><div class="mgWordPara">{item.minute_html}</div>'
        )
    docs = "".join(
        f'<li><a href="mgConvert2PDF.aspx?ID={d.id}">{html.escape(d.title)}</a></li>' for d in item.documents
    )
    if docs:
        parts.append(f'<p class="mgSubItemTitleTxt">Documents:</p><ul class="mgBulletList">{docs}</ul>')
    return "".join(parts)


def meeting_page(site: Site, m: SiteMeeting) -> str:
    """``ieListDocuments.aspx?CId=&MId=``: one meeting's agenda and minutes, laid out as ModernGov does:
    the kind of page ("Agenda and draft minutes"), then "Committee - Thursday, 12th March, 2026 7.00 pm"."""
    committee = site.committee(m.committee_id)
    title = f"{_kind(m)} - {committee.title if committee else ''}, {_long_date(m)}"
    rows = "".join(
        f'<tr><td class="mgItemNumberCell"><p>{html.escape(i.number)}.</p></td>'
        f"<td>{_item_cells(i, link=True)}</td></tr>"
        for i in m.items
    )
    header = (
        f'<h2 class="mgSubTitleTxt">{html.escape(committee.title if committee else "")} - '
        f"{html.escape(_long_date(m))}</h2>\n"
        f'<p class="mgSubTitleTxt">Venue: {html.escape(m.venue)}</p>'
    )
    table = f'<p>Items</p><table class="mgItemTable">{rows}</table>' if rows else ""
    return _page(site, title, header + table, heading=_kind(m))


def item_page(site: Site, m: SiteMeeting, item: SiteItem) -> str:
    """``mgAi.aspx?ID=``: one agenda item."""
    committee = site.committee(m.committee_id)
    meta = f'<p class="mgSubTitleTxt">Meeting: {_long_date(m)} - {html.escape(committee.title if committee else "")}</p>'
    return _page(site, f"Agenda item - {item.title}", meta + _item_cells(item, link=False))


# --- faults -----------------------------------------------------------------------------------------

REDIRECT_PAGE = (
    b'<!-- beginning of HttpRedirect.htm file -->\n<script type="text/javascript">\n'
    b'window.location = "https://" + window.location.hostname + window.location.pathname;\n'
    b"</script>\n<!-- end of HttpRedirect.htm file -->\n"
)


@dataclass(frozen=True)
class Fault:
    """How to answer instead: a status and body (None: the normal body), after ``delay`` seconds."""

    status: int = 200
    body: bytes | None = None
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0


def server_error() -> Fault:
    return Fault(500, b"<html><body><h1>Server Error in '/' Application.</h1></body></html>")


def rate_limited(retry_after: float | str = 7) -> Fault:
    return Fault(429, b"Too many requests", "text/plain", (("Retry-After", str(retry_after)),))


def not_found() -> Fault:
    return Fault(404, b"<html><body><h1>404 - File or directory not found.</h1></body></html>")


def forbidden() -> Fault:
    return Fault(
        403, b"<html><body><h1>Access denied</h1><p>Request blocked by the firewall.</p></body></html>"
    )


def html_instead(body: bytes = REDIRECT_PAGE) -> Fault:
    return Fault(200, body)


def slow(delay: float = 30.0) -> Fault:
    return Fault(delay=delay)


# --- the server -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """One request received: its path, query and headers."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]

    @property
    def target(self) -> str:
        """The web-service method or page asked for ("GetMeeting", "mgAi.aspx")."""
        return self.path.rsplit("/", 1)[-1]


@dataclass
class _Pending:
    fault: Fault
    left: int | None


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler thread: nothing outlives a test


class ModernGovStandIn:
    """The stand-in site on 127.0.0.1 (port 0 picks a free one); use as a context manager."""

    def __init__(self, site: Site, *, port: int = 0, prefix: str = "", quiet: bool = True) -> None:
        self.site = site
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""
        self.requests: list[Recorded] = []
        self.errors: list[BaseException] = []
        self._faults: dict[str, list[_Pending]] = {}
        self._lock = threading.Lock()
        self._closing = threading.Event()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
                if not quiet:
                    super().log_message(format, *args)

            def do_GET(self) -> None:
                try:
                    standin._handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a time-out test): nothing to answer
                except Exception as err:  # recorded for the fixture to report, not printed
                    standin.errors.append(err)

        self._server = _Server(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="moderngov-standin"
        )

    @property
    def base_url(self) -> str:
        """The site's folder, as a council's ModernGov address."""
        return f"http://127.0.0.1:{self._server.server_port}{self.prefix}"

    def __enter__(self) -> ModernGovStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def inject(self, target: str, fault: Fault, times: int | None = 1) -> None:
        """Answer the next ``times`` requests of ``target`` (a method or page name) with ``fault``."""
        with self._lock:
            self._faults.setdefault(target.lower(), []).append(_Pending(fault, times))

    def targets(self) -> list[str]:
        """The methods and pages asked for so far, in order."""
        with self._lock:
            return [r.target for r in self.requests]

    def _fault(self, target: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get(target.lower(), [])
            if not queue:
                return None
            pending = queue[0]
            if pending.left is not None:
                pending.left -= 1
                if pending.left <= 0:
                    queue.pop(0)
            return pending.fault

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = {k.lower(): v for k, v in parse_qsl(parts.query)}
        record = Recorded(parts.path, dict(parse_qsl(parts.query)), dict(handler.headers.items()))
        with self._lock:
            self.requests.append(record)
        fault = self._fault(record.target)
        if fault is not None and fault.delay:
            self._closing.wait(fault.delay)
        if fault is not None and (fault.status != 200 or fault.body is not None):
            self._send(handler, fault.status, fault.body or b"", fault.content_type, fault.headers)
            return
        status, body, content_type = self._answer(parts.path, query)
        self._send(handler, status, body.encode("utf-8"), content_type)

    def _answer(self, path: str, q: dict[str, str]) -> tuple[int, str, str]:
        """Status, body and type for a request that is not faulted."""
        xml, page, text = "text/xml; charset=utf-8", "text/html; charset=utf-8", "text/plain; charset=utf-8"
        if not path.startswith(self.prefix + "/"):
            return 404, "Not found", text
        name = path[len(self.prefix) + 1 :].lower()
        site, base = self.site, self.base_url
        try:
            if name == "mgwebservice.asmx/getcommittees":
                return 200, committees_xml(site), xml
            if name == "mgwebservice.asmx/getmeetings":
                since, until = (datetime.strptime(q[k], "%d/%m/%Y").date() for k in ("sfromdate", "stodate"))
                return 200, meetings_xml(site, int(q["lcommitteeid"]), since, until), xml
            if name == "mgwebservice.asmx/getmeeting":
                m = site.meeting(int(q["lmeetingid"]))
                return (200, meeting_xml(site, base, m), xml) if m else (404, "Not found", text)
            if name == "ielistmeetings.aspx":
                c = site.committee(int(q["cid"]))
                return (200, list_meetings_page(site, c), page) if c else (404, "Not found", page)
            if name == "ielistdocuments.aspx":
                m = site.meeting(int(q.get("mid") or q["meetingid"]))
                return (200, meeting_page(site, m), page) if m else (404, "Not found", page)
            if name == "mgai.aspx":
                found = site.item(int(q["id"]))
                return (200, item_page(site, *found), page) if found else (404, "Not found", page)
            if name == "mgconvert2pdf.aspx":
                return 200, f"%PDF-1.4 stand-in paper {int(q['id'])}", "application/pdf"
            if name in ("", "mgcommitteestructure.aspx", "mglistcommittees.aspx"):
                links = "".join(
                    f'<li><a href="ieListMeetings.aspx?CId={c.id}">{html.escape(c.title)}</a></li>'
                    for c in site.committees
                )
                return 200, _page(site, "Committee structure", f'<ul class="mgBulletList">{links}</ul>'), page
        except (KeyError, ValueError) as err:  # what ASP.NET says about a missing or bad parameter
            return 500, f"System.InvalidOperationException: Missing or invalid parameter: {err}.", text
        return 404, "Not found", page

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        content_type: str,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in headers:
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)


class FakeClock:
    """A clock that moves only when slept on: give the client ``clock=c, sleep=c.sleep``."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


# --- a fictional council ----------------------------------------------------------------------------

DEMO_TODAY = date(2026, 3, 16)
_MEMBERS = [
    ("Councillor Ada Pennick", "Chair", "Present"),
    ("Councillor Ravi Okafor", "Vice-Chair", "Present"),
    ("Councillor Jo Whitlock", "Committee Member", "Apologies"),
    ("Councillor Sam Treharne", "Committee Member", "Present as substitute"),
]
EXEMPT = "Paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972"


def demo_site(today: date = DEMO_TODAY) -> Site:
    """Eastmoor District Council: five committees, a cancelled meeting, a restricted item, draft minutes,
    and minutes approved as a correct record at the committee's next meeting."""

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def p(text: str) -> str:
        return f'<p class="MsoNormal">{text}</p>'

    # fmt: off
    routine = [
        SiteItem(9001, "1", "Apologies for absence", minute_html=p("Apologies were received from Councillor Jo Whitlock.")),
        SiteItem(9002, "2", "Declarations of interest", minute_html=p("There were no declarations of interest.")),
    ]
    pack = SiteDocument(7001, "Leisure Centre Contract Review - report")
    scrutiny = [*routine, SiteItem(
        9003, "3", "Leisure Centre Contract Review", is_decision=True,
        agenda_html=p("To consider the report of the Head of Leisure &amp; Culture."),
        minute_html=p("RESOLVED: That the Cabinet be asked to re-tender the leisure centre contract &amp; report "
                      "back by June.") + p("Moved by Councillor Pennick, seconded by Councillor Okafor."),
        documents=[pack, pack, SiteDocument(7002, "Appendix A - Usage figures")],  # listed twice, as happens
    ), SiteItem(9004, "4", "Work Programme", minute_html=p("The Committee noted its work programme for 2025/26."))]
    draft = [
        SiteItem(9011, "5", "Exclusion of the press and public",
                 minute_html=p(f"RESOLVED: That the press and public be excluded ({EXEMPT}).")),
        SiteItem(9012, "6", "Waste Collection Contract - Commercial Terms", restricted=EXEMPT,
                 minute_html=p("The Committee considered the exempt report and agreed its recommendations."),
                 documents=[SiteDocument(7011, "Exempt report - commercial terms", restricted=EXEMPT),
                            SiteDocument(7012, "Draft minutes 12 March")]),
    ]
    approved = ago(46)
    minutes = SiteItem(
        9010, "3", "Minutes of the previous meeting",
        minute_html=p(f"RESOLVED: That the minutes of the meeting held on {approved.day} {approved:%B %Y} be "
                      "approved as a correct record and signed by the Chair."),
    )
    cabinet = [SiteItem(9021, "23/5", "Town Centre Car Parking Charges", is_decision=True, is_callin=True,
                        minute_html=p("RESOLVED: That the revised charges be approved from 1 April."))]
    future = [SiteItem(9031, "1", "Budget Monitoring - Quarter 3", agenda_html=p("Report of the Section 151 Officer."))]
    return Site(
        name="Eastmoor District Council",
        committees=[
            SiteCommittee(10, "Overview and Scrutiny Committee"), SiteCommittee(20, "Cabinet", "Executive"),
            SiteCommittee(30, "Audit and Governance Committee", "Governance"),
            SiteCommittee(40, "Housing Scrutiny Panel", expired=True),
            SiteCommittee(50, "Licensing Sub-Committee (2019)", "Regulatory", deleted=True),
        ],
        meetings=[
            SiteMeeting(101, 10, ago(46), items=scrutiny, attendees=_MEMBERS),
            SiteMeeting(102, 10, ago(32), status="Cancelled", minutes_published=False, attendees=_MEMBERS[:1]),
            SiteMeeting(103, 10, ago(4), items=[*routine, minutes, *draft], attendees=_MEMBERS),
            SiteMeeting(104, 20, ago(20), time="10.00 am", items=cabinet, attendees=_MEMBERS[:2]),
            SiteMeeting(105, 20, today + timedelta(days=10), items=future, minutes_published=False),
            SiteMeeting(106, 30, ago(45), venue="Committee Room 2, Eastmoor House", items=routine[:1]),
            SiteMeeting(107, 10, ago(400), items=routine, attendees=_MEMBERS),
        ],
    )
    # fmt: on


@pytest.fixture
def moderngov_standin() -> Iterator[ModernGovStandIn]:
    """The demo site served on loopback for one test, shut down (threads joined) after it."""
    with ModernGovStandIn(demo_site()) as standin:
        yield standin
    assert not standin.errors, standin.errors


#: The faults ``--fault`` can inject by hand, by name.
FAULTS = {"html": html_instead, "500": server_error, "429": rate_limited, "403": forbidden, "404": not_found, "slow": slow}


def parse_fault(text: str) -> tuple[str, Fault, int | None]:
    """``TARGET=KIND`` or ``TARGET=KINDxN`` (the next N requests only): "GetMeeting=500x2", "GetCommittees=html"."""
    target, _, kind = text.partition("=")
    kind, _, times = kind.partition("x")
    if not target or kind not in FAULTS or (times and not times.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r}: use TARGET=KIND[xN], KIND one of {', '.join(FAULTS)}")
    return target, FAULTS[kind](), int(times) if times else None


def main(argv: list[str] | None = None) -> None:
    """Serve the demo site until Ctrl-C."""
    parser = argparse.ArgumentParser(description="Serve a fictional council's ModernGov site on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--fault", type=parse_fault, action="append", default=[], metavar="TARGET=KIND[xN]",
        help="answer a web-service method or page (GetCommittees, GetMeetings, GetMeeting, mgAi.aspx ...) with "
        "html (a page instead of XML), 500, 429 (Retry-After: 7), 403, 404 or slow (30 s), for every request or "
        "the next N; repeat for more",
    )  # fmt: skip
    args = parser.parse_args(argv)
    with ModernGovStandIn(demo_site(date.today()), port=args.port, quiet=False) as standin:
        for target, fault, times in args.fault:
            standin.inject(target, fault, times=times)
        print(f"Eastmoor District Council's stand-in ModernGov site: {standin.base_url}/  (Ctrl-C stops)")
        print(f"  try {standin.base_url}/mgWebService.asmx/GetCommittees")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print()


if __name__ == "__main__":
    main()
