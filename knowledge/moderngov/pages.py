"""The fallback when a site's web service is switched off or answers with HTML: its public pages.

``mgListCommittees.aspx`` lists the committees, ``ieListMeetings.aspx?CId=`` a committee's meetings,
``ieListDocuments.aspx?CId=&MId=`` one meeting's agenda and minutes, read by the same parser as saved
pages (:func:`knowledge.minutes.parse.parse_page`); each item is linked to its ``mgAi.aspx?ID=`` page.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from knowledge.minutes.parse import PageMeta, parse_page
from knowledge.models import ParsedItem, UserError

from .approvals import Approval, approvals_in
from .client import ModernGovClient
from .indexing import item_hash
from .links import committee_meetings_url, item_url, meeting_url
from .records import Committee, Meeting

__all__ = ["PageMeeting", "committees_from_pages", "meeting_from_page", "meetings_from_page"]

_COMMITTEE_LINK = re.compile(
    r"(?:ieListMeetings\.aspx\?(?:.*&)?CId|mgCommitteeDetails\.aspx\?(?:.*&)?ID)=(\d+)", re.I
)
_MEETING_LINK = re.compile(r"ieListDocuments\.aspx\?(?:.*&)?(?:MId|MeetingId|MID)=(\d+)", re.I)
_ITEM_LINK = re.compile(r"mgAi\.aspx\?(?:.*&)?ID=(\d+)", re.I)
_DAY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_TIME = re.compile(r"\b(\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?m\.?)", re.I)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_STATUS = (("cancel", "Cancelled"), ("postpon", "Postponed"), ("moved", "Moved"), ("resched", "Moved"))


def _soup(page: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(page, "html.parser")


def _words(text: str) -> str:
    return " ".join(text.split())


def _heading(soup: BeautifulSoup) -> str:
    h1 = soup.find("h1")
    return _words(h1.get_text(" ")) if h1 else _words(soup.title.get_text(" ")) if soup.title else ""


def committees_from_pages(client: ModernGovClient) -> list[Committee]:
    """The committees the site's committee list links to ([] when it has no such page)."""
    page = client.get_page("mgListCommittees.aspx")
    if page is None:
        return []
    found: dict[int, Committee] = {}
    for a in _soup(page).find_all("a", href=_COMMITTEE_LINK):
        m = _COMMITTEE_LINK.search(str(a.get("href", "")))
        title = _words(a.get_text(" "))
        if m and title and int(m.group(1)) not in found:
            found[int(m.group(1))] = Committee(int(m.group(1)), title, False, False, "")
    return list(found.values())


def _day(text: str) -> date | None:
    m = _DAY.search(text)
    month = _MONTHS.get(m.group(2)[:3].lower()) if m else None
    if not m or month is None:
        return None
    try:
        return date(int(m.group(3)), month, int(m.group(1)))
    except ValueError:
        return None


def meetings_from_page(client: ModernGovClient, committee: Committee) -> tuple[str, list[Meeting]]:
    """The committee's title (as its page gives it) and the meetings ``ieListMeetings.aspx`` lists."""
    page = client.get_page(committee_meetings_url(client.base_url, committee.id))
    if page is None:
        return committee.title, []
    soup = _soup(page)
    title = committee.title or re.sub(r"^browse meetings\s*[-–]\s*", "", _heading(soup), flags=re.I)
    found: dict[int, Meeting] = {}
    for a in soup.find_all("a", href=_MEETING_LINK):
        m = _MEETING_LINK.search(str(a.get("href", "")))
        text = _words(a.get_text(" "))
        day = _day(text)
        if not m or day is None or int(m.group(1)) in found:
            continue
        time = _TIME.search(text)
        status = next((s for word, s in _STATUS if word in text.lower()), "Confirmed")
        found[int(m.group(1))] = Meeting(
            int(m.group(1)), committee.id, title, day, time.group(1) if time else None, status, "", None
        )
    return title, sorted(found.values(), key=lambda x: x.date)


@dataclass(frozen=True)
class PageMeeting:
    """What one meeting's page held: its items (keyed, with hashes), and what the sync records of it."""

    items: tuple[ParsedItem, ...]
    hashes: dict[str, str]
    page_hash: str
    venue: str
    has_minutes: bool
    published_draft: bool | None
    approvals: tuple[Approval, ...]


def _item_links(soup: BeautifulSoup) -> dict[str, int]:
    links: dict[str, int] = {}
    for a in soup.find_all("a", href=_ITEM_LINK):
        m = _ITEM_LINK.search(str(a.get("href", "")))
        if m:
            links.setdefault(_words(a.get_text(" ")).casefold(), int(m.group(1)))
    return links


def meeting_from_page(client: ModernGovClient, meeting: Meeting, council: str | None) -> PageMeeting | None:
    """One meeting's page read into items, each linked to its agenda-item page; None when it is gone."""
    committee_id = meeting.committee_id or 0
    url = meeting_url(client.base_url, committee_id, meeting.id)
    page = client.get_page(url)
    if page is None:
        return None
    soup = _soup(page)
    heading = _heading(soup).lower()
    meta = PageMeta(council, meeting.committee_title, meeting.date, url)
    try:  # a page of an agenda alone is left to the calendar: its layout does not say where items begin
        items = parse_page(page, meta, source=url).items if "minutes" in heading else []
    except UserError:  # no agenda published yet, a cancelled meeting's notice
        items = []
    links = _item_links(soup)
    hashes: dict[str, str] = {}
    venue = ""
    for n, it in enumerate(items):
        it.council, it.body, it.meeting_date = council, meeting.committee_title, meeting.date
        ident = links.get(_words(it.title).casefold())
        it.url = item_url(client.base_url, ident) if ident else url
        if it.title == "Meeting details":
            venue = next(
                (p.text.split(":", 1)[1].strip() for p in it.passages if p.text.startswith("Venue:")), ""
            )
        key = f"ai{ident}" if ident else f"n{n}"
        hashes[key] = item_hash(it.title, it.item, [(p.kind, p.label, p.text) for p in it.passages],
                                it.markers, it.restricted)  # fmt: skip
    minuted = [it for it in items if any(p.kind not in ("purpose", "detail") for p in it.passages)]
    has_minutes = "minutes" in heading and bool(minuted)
    approvals = tuple(
        a
        for it in minuted
        for a in approvals_in(it.title, "\n".join(p.text for p in it.passages if p.kind != "purpose"))
    )
    return PageMeeting(
        items=tuple(items),
        hashes=hashes,
        page_hash=item_hash(page),
        venue=venue,
        has_minutes=has_minutes,
        published_draft=("draft minutes" in heading) if has_minutes else None,
        approvals=approvals,
    )
