"""Pure functions that read the web service's XML answers into records.

The standard library's ElementTree is enough here, without defusedxml: it never fetches external
entities or DTDs, the bundled expat (2.4+) refuses "billion laughs" expansion, and before parsing we
refuse any answer that declares a DOCTYPE or an ENTITY at all: the web service never sends one, so
nothing can be expanded. Anything that is not the expected XML raises :class:`NotXmlError`.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import date

from .errors import NotXmlError, UnexpectedXmlError
from .records import AgendaItem, Attendee, Committee, LinkedDocument, Meeting, MeetingDetail

__all__ = ["parse_committees", "parse_date", "parse_meeting", "parse_meetings"]

_BOM = b"\xef\xbb\xbf"
_DECLARES = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_HTML_ROOTS = {"html", "head", "body", "script", "div", "p", "title", "meta", "form", "table", "span", "a"}
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]+(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?")
_TAG = re.compile(r"<[A-Za-z!/]")
_ESCAPED_TAG = re.compile(r"&lt;\s*[A-Za-z!/]")


def _root(data: bytes | str, expected: str) -> ET.Element:
    """The document element of an answer, or NotXmlError when the answer is not the expected XML."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    raw = raw.removeprefix(_BOM).lstrip()
    if not raw:
        raise NotXmlError("the answer was empty, not XML")
    start = _start(raw)
    if _DECLARES.search(raw):
        kind = "an HTML page" if b"<html" in raw[:4000].lower() else "a document with a DOCTYPE"
        raise NotXmlError(f"the answer was {kind}, not the web service's XML (it begins {start})")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as err:
        raise NotXmlError(f"the answer was not XML ({err}); it begins {start}") from err
    if root.tag != expected:
        local = root.tag.rsplit("}", 1)[-1].lower()
        kind = "an HTML page or script" if local in _HTML_ROOTS else f"a <{root.tag}> document"
        raise NotXmlError(
            f"the answer was {kind}, not the web service's <{expected}> XML (it begins {start})"
        )
    return root


def _start(raw: bytes) -> str:
    """The first few characters of an answer, on one line, quoted for an error message."""
    text = " ".join(raw[:200].decode("utf-8", "replace").split())
    return repr(text[:60] + ("…" if len(text) > 60 else ""))


def _text(el: ET.Element, tag: str) -> str:
    """A child's text with the padding stripped ("" when missing or empty)."""
    child = el.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _flag(el: ET.Element, tag: str) -> bool | None:
    """A child holding "True"/"False" (any case, or 1/0); None when missing or empty."""
    value = _text(el, tag).lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    return None


def _int(el: ET.Element, tag: str, what: str) -> int:
    """A child holding a whole number (counts come padded: " 2")."""
    value = _text(el, tag)
    try:
        return int(value)
    except ValueError:
        raise UnexpectedXmlError(f"{what} has no usable <{tag}> (found {value!r})") from None


def _optional_int(el: ET.Element, tag: str) -> int | None:
    value = _text(el, tag)
    return int(value) if value.isdigit() else None


def parse_date(value: str) -> tuple[date, str | None]:
    """Read "dd/mm/yyyy" (or ISO), perhaps with a time: the date, and "HH:MM" when a time is given."""
    text = value.strip()
    match = _DMY.fullmatch(text)
    if match:
        day, month, year, hour, minute = match.groups()
    elif match := _ISO.fullmatch(text):
        year, month, day, hour, minute = match.groups()
    else:
        raise UnexpectedXmlError(f"the date {value!r} is not dd/mm/yyyy")
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        raise UnexpectedXmlError(f"the date {value!r} does not exist") from None
    at = f"{int(hour):02d}:{minute}" if hour is not None and (int(hour), minute) != (0, "00") else None
    return when, at


def _html(value: str) -> str:
    """Minute or agenda text as real HTML: unescaped once more when the XML held escaped HTML."""
    text = value.strip()
    if not _TAG.search(text) and _ESCAPED_TAG.search(text):
        text = html.unescape(text).strip()
    return text


def parse_committees(data: bytes | str) -> list[Committee]:
    """Read ``GetCommittees``: every committee, in the order given."""
    root = _root(data, "committees")
    return [
        Committee(
            id=_int(el, "committeeid", "a committee"),
            title=_text(el, "committeetitle"),
            deleted=_flag(el, "committeedeleted") is True,
            expired=_flag(el, "committeeexpired") is True,
            category=_text(el, "committeecategory"),
        )
        for el in root.findall("committee")
    ]


def _meeting(el: ET.Element, committee_id: int | None, committee_title: str) -> Meeting:
    """One <meeting> element (from ``GetMeetings`` or ``GetMeeting``) as a Meeting."""
    meeting_id = _int(el, "meetingid", "a meeting")
    raw_date = _text(el, "meetingdate")
    try:
        when, at = parse_date(raw_date)
    except UnexpectedXmlError as err:
        raise UnexpectedXmlError(f"meeting {meeting_id}: {err}") from None
    return Meeting(
        id=meeting_id,
        committee_id=committee_id,
        committee_title=committee_title,
        date=when,
        time=_text(el, "meetingtime") or at,
        status=_text(el, "meetingstatus"),
        venue=_text(el, "meetinglocation"),
        minutes_published=_flag(el, "minutepublished"),
    )


def parse_meetings(data: bytes | str) -> list[Meeting]:
    """Read ``GetMeetings``: the meetings under each committee, in the order given."""
    root = _root(data, "getmeetings")
    found: list[Meeting] = []
    for committee in root.findall("committee"):
        committee_id = _optional_int(committee, "committeeid")
        title = _text(committee, "committeetitle")
        for el in committee.iterfind("committeemeetings/meeting"):
            found.append(_meeting(el, committee_id, title))
    for el in root.findall("meeting"):  # some calls list meetings directly under the root
        found.append(_meeting(el, _optional_int(el, "committeeid"), _text(el, "committeetitle")))
    return found


def _documents(item: ET.Element) -> tuple[LinkedDocument, ...]:
    """An item's linked papers, each address once (ModernGov can list one twice)."""
    seen: dict[str, LinkedDocument] = {}
    for doc in item.iterfind("linkeddocuments/linkeddoc"):
        url = _text(doc, "url")
        if url and url not in seen:
            seen[url] = LinkedDocument(title=" ".join(_text(doc, "title").split()), url=url)
    return tuple(seen.values())


def _exempt_paragraph(item: ET.Element) -> str:
    """The item's restriction reference, else the first of its papers' (Schedule 12A paragraph)."""
    own = _text(item, "restrictionsRef") or _text(item, "restrictionsref")
    if own:
        return own
    for doc in item.iterfind("linkeddocuments/linkeddoc"):
        if ref := _text(doc, "restrictionsRef"):
            return ref
    return ""


def _item(el: ET.Element) -> AgendaItem:
    """One <agendaitem> as an AgendaItem."""
    item_id = _int(el, "agendaitemid", "an agenda item")
    return AgendaItem(
        id=item_id,
        number=_text(el, "fulldisplaynumberformat").rstrip(".").strip(),
        title=" ".join(_text(el, "agendaitemtitle").split()),
        minute_html=_html(_text(el, "minutesnonemptyhtmlbody")),
        agenda_text=_html(_text(el, "agendatext")),
        is_decision=_flag(el, "isdecision") is True,
        is_callin=_flag(el, "iscallin") is True,
        is_restricted=_flag(el, "isrestricted") is True,
        is_display_allowed=_flag(el, "isdisplayallowed") is not False,
        is_minute_published=_flag(el, "isminutepublished") is True,
        exempt_paragraph=_exempt_paragraph(el),
        documents=_documents(el),
    )


def _attendee(el: ET.Element) -> Attendee:
    """One <attendee>: its facts are attributes (child elements accepted too)."""

    def value(name: str) -> str:
        return " ".join((el.get(name) or _text(el, name)).split())

    return Attendee(name=value("name"), role=value("roledescription"), attendance=value("attendance"))


def parse_meeting(
    data: bytes | str, *, committee_id: int | None = None, committee_title: str | None = None
) -> MeetingDetail:
    """Read ``GetMeeting``: the meeting with its items and attendees.

    The answer does not name its committee: pass what ``GetMeetings`` said; without it the
    title falls back to the committee named on the meeting's papers.
    """
    root = _root(data, "meeting")
    if committee_id is None:
        committee_id = _optional_int(root, "committeeid")
    if committee_title is None:
        committee_title = _text(root, "committeetitle") or next(
            (t for d in root.iterfind(".//linkeddoc") if (t := _text(d, "committeetitle"))), ""
        )
    return MeetingDetail(
        meeting=_meeting(root, committee_id, committee_title),
        items=tuple(_item(el) for el in root.iterfind("agendaitems/agendaitem")),
        attendees=tuple(_attendee(el) for el in root.iterfind("attendees/attendee")),
    )
