"""Addresses of a council's ModernGov pages, for citations and for the HTML fallback."""

from __future__ import annotations

__all__ = ["committee_meetings_url", "item_url", "meeting_url", "service_url"]


def _base(base: str) -> str:
    return base.rstrip("/")


def meeting_url(base: str, committee_id: int, meeting_id: int) -> str:
    """The page holding one meeting's agenda and minutes (``ieListDocuments.aspx``)."""
    return f"{_base(base)}/ieListDocuments.aspx?CId={committee_id}&MId={meeting_id}"


def item_url(base: str, item_id: int) -> str:
    """The page of one agenda item (``mgAi.aspx``)."""
    return f"{_base(base)}/mgAi.aspx?ID={item_id}"


def committee_meetings_url(base: str, committee_id: int) -> str:
    """The page listing a committee's meetings (``ieListMeetings.aspx``)."""
    return f"{_base(base)}/ieListMeetings.aspx?CId={committee_id}"


def service_url(base: str, method: str) -> str:
    """The plain-GET address of a web-service method, without its query."""
    return f"{_base(base)}/mgWebService.asmx/{method}"
