"""A client for a council's ModernGov web service (``mgWebService.asmx``) and its pages.

Records (frozen, each with ``content_hash()``), pure XML readers, and a polite HTTP client::

    client = ModernGovClient("https://democracy.eastmoor.example.gov.uk")
    for committee in client.committees():
        for meeting in client.meetings(committee.id, since, until):
            detail = client.meeting(meeting.id, committee_id=committee.id,
                                    committee_title=committee.title)

Every error is a :class:`ModernGovError` whose ``str()`` is one line a clerk can act on.

:func:`sync_site` keeps the index and the meeting calendar current from a site (``scrutiny-bot sync``):
see :mod:`knowledge.moderngov.sync`.
"""

from __future__ import annotations

from .client import DEFAULT_USER_AGENT, ModernGovClient, check_base_url, user_agent
from .errors import (
    BlockedError,
    HttpStatusError,
    ModernGovError,
    NoServiceError,
    NotXmlError,
    UnavailableError,
    UnexpectedXmlError,
)
from .links import committee_meetings_url, item_url, meeting_url, service_url
from .records import AgendaItem, Attendee, Committee, LinkedDocument, Meeting, MeetingDetail
from .sync import SyncFailure, SyncProgress, SyncSummary, last_synced, sync_site
from .transport import HttpRequest, HttpResponse, Transport, UrllibTransport
from .xml_read import parse_committees, parse_date, parse_meeting, parse_meetings

__all__ = [
    "DEFAULT_USER_AGENT",
    "AgendaItem",
    "Attendee",
    "BlockedError",
    "Committee",
    "HttpRequest",
    "HttpResponse",
    "HttpStatusError",
    "LinkedDocument",
    "Meeting",
    "MeetingDetail",
    "ModernGovClient",
    "ModernGovError",
    "NoServiceError",
    "NotXmlError",
    "SyncFailure",
    "SyncProgress",
    "SyncSummary",
    "Transport",
    "UnavailableError",
    "UnexpectedXmlError",
    "UrllibTransport",
    "check_base_url",
    "committee_meetings_url",
    "item_url",
    "last_synced",
    "meeting_url",
    "parse_committees",
    "parse_date",
    "parse_meeting",
    "parse_meetings",
    "service_url",
    "sync_site",
    "user_agent",
]
