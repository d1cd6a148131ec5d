"""A polite HTTP client for one council's ModernGov web service and pages.

One request at a time per site, at least ``spacing`` seconds apart; a generous time-out (self-hosted
sites are slow); time-outs, dropped connections, 5xx and 429 retried after 5, 10 and 20 seconds (or
the site's own ``Retry-After``, when it asks for no more than ``max_retry_after``); a 404 is an
answer (None); a 403 is a firewall saying no, reported and never worked around. Time is measured
with the injected ``clock`` and waited with the injected ``sleep``, so tests never sleep.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import TypeVar
from urllib.parse import urlencode, urlsplit

from .errors import (
    BlockedError,
    HttpStatusError,
    ModernGovError,
    NoServiceError,
    NotXmlError,
    UnavailableError,
    UnexpectedXmlError,
)
from .links import service_url
from .records import Committee, Meeting, MeetingDetail
from .transport import HttpRequest, HttpResponse, Transport, UrllibTransport
from .xml_read import parse_committees, parse_meeting, parse_meetings

__all__ = ["DEFAULT_USER_AGENT", "ModernGovClient", "check_base_url", "user_agent"]

log = logging.getLogger("scrutiny_bot.moderngov")
T = TypeVar("T")

_PRODUCT = "scrutiny-bot/0.1"
_PURPOSE = "council scrutiny minutes index"
#: Says who we are and why; :func:`user_agent` adds the project's address once it has one.
DEFAULT_USER_AGENT = f"{_PRODUCT} ({_PURPOSE})"
_BACKOFF = (5.0, 10.0, 20.0)
_GONE = frozenset({404, 410})
_RETRIED = frozenset({408, 429})
_DATE_FORMAT = "%d/%m/%Y"


def user_agent(project_url: str) -> str:
    """The honest User-Agent naming the project's home page: ``scrutiny-bot/0.1 (+URL; purpose)``."""
    return f"{_PRODUCT} (+{project_url}; {_PURPOSE})"


def check_base_url(base_url: str) -> str:
    """The base address without its trailing slash; ValueError when it is not a site's folder."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"the ModernGov address must start with https:// (got {base_url!r})")
    if parts.query or parts.path.lower().endswith((".aspx", ".asmx")):
        raise ValueError(
            f"give the folder that holds the site's mg*.aspx pages, not a page (got {base_url!r})"
        )
    return base_url.strip().rstrip("/")


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds; None when absent or given as a date (then the back-off applies)."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return max(seconds, 0.0)


class ModernGovClient:
    """Reads one council's committees, meetings and minutes from its ModernGov web service."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: Transport | None = None,
        spacing: float = 1.0,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: Sequence[float] = _BACKOFF,
        max_retry_after: float = 120.0,
        max_bytes: int = 20_000_000,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = DEFAULT_USER_AGENT,
    ) -> None:
        if not user_agent.isascii() or not user_agent.isprintable() or not user_agent.strip():
            raise ValueError("the User-Agent must be printable ASCII (HTTP headers are)")
        if spacing < 0 or timeout <= 0 or retries < 0 or not backoff or max_bytes <= 0:
            raise ValueError("spacing, retries and backoff must be >= 0, timeout and max_bytes > 0")
        self._base = check_base_url(base_url)
        self._host = urlsplit(self._base).netloc
        self._transport: Transport = transport if transport is not None else UrllibTransport()
        self._spacing = spacing
        self._timeout = timeout
        self._retries = retries
        self._backoff = tuple(backoff)
        self._max_retry_after = max_retry_after
        self._max_bytes = max_bytes
        self._clock = clock
        self._sleep = sleep
        self._user_agent = user_agent
        # One request at a time to this site; the end of the last one spaces the next.
        self._lock = threading.Lock()
        self._last_end: float | None = None

    @property
    def base_url(self) -> str:
        """The site's folder, without a trailing slash."""
        return self._base

    # --- the web service ----------------------------------------------------------------------

    def committees(self) -> list[Committee]:
        """Every committee the site lists, expired and deleted ones included."""
        url = service_url(self._base, "GetCommittees")
        return parse_committees(self._service_answer(url))

    def meetings(self, committee_id: int, since: date, until: date) -> list[Meeting]:
        """A committee's meetings dated ``since`` to ``until`` inclusive (filtered here too)."""
        if until < since:
            raise ValueError(f"the window ends ({until}) before it starts ({since})")
        query = urlencode(
            {
                "lCommitteeId": committee_id,
                "sFromDate": since.strftime(_DATE_FORMAT),
                "sToDate": until.strftime(_DATE_FORMAT),
            },
            safe="/",
        )
        url = f"{service_url(self._base, 'GetMeetings')}?{query}"
        found = self._read(url, parse_meetings, self._service_answer(url))
        kept = [m for m in found if since <= m.date <= until]
        if len(kept) < len(found):
            log.info(
                "moderngov window ignored url=%s listed=%d kept=%d", url, len(found), len(kept),
                extra={"url": url, "listed": len(found), "kept": len(kept)},
            )  # fmt: skip
        return [m if m.committee_id is not None else _with_committee(m, committee_id) for m in kept]

    def meeting(
        self, meeting_id: int, *, committee_id: int | None = None, committee_title: str | None = None
    ) -> MeetingDetail | None:
        """One meeting with its agenda items, minutes and attendees; None when the site has none."""
        url = f"{service_url(self._base, 'GetMeeting')}?{urlencode({'lMeetingId': meeting_id})}"
        answer = self._fetch(url)
        if answer is None:
            return None
        return self._read(
            url,
            lambda body: parse_meeting(body, committee_id=committee_id, committee_title=committee_title),
            answer.body,
        )

    # --- the HTML pages -----------------------------------------------------------------------

    def get_page(self, path: str) -> str | None:
        """The HTML of one of the site's pages (``ieListDocuments.aspx?CId=1&MId=2``); None on 404."""
        if path.startswith(("http://", "https://")):
            if not path.startswith(self._base + "/"):
                raise ValueError(f"{path!r} is not a page of {self._base}")
            url = path
        else:
            url = f"{self._base}/{path.lstrip('/')}"
        answer = self._fetch(url)
        return None if answer is None else answer.text()

    # --- one polite request -------------------------------------------------------------------

    def _service_answer(self, url: str) -> bytes:
        """The body of a listing call; a 404 there means the web service itself is missing."""
        answer = self._fetch(url)
        if answer is None:
            raise NoServiceError(
                f"{url} was not found (HTTP 404): check the ModernGov address, or the council has "
                "switched its web service off",
                url=url,
            )
        return answer.body

    @staticmethod
    def _read(url: str, parse: Callable[[bytes], T], body: bytes) -> T:
        """Parse an answer, naming the address in any error."""
        try:
            return parse(body)
        except NotXmlError as err:
            raise NotXmlError(
                f"{url} did not answer with the web service's XML: {err}. The service may be switched "
                "off or moved: check the address in a browser",
                url=url,
            ) from None
        except UnexpectedXmlError as err:
            raise UnexpectedXmlError(f"{url}: {err}", url=url) from None

    def _fetch(self, url: str) -> HttpResponse | None:
        """GET ``url`` politely: the answer, None on 404/410, or a ModernGovError."""
        request = HttpRequest(
            url=url,
            headers={"User-Agent": self._user_agent, "Accept": "text/xml, application/xml, text/html;q=0.9"},
            timeout=self._timeout,
            max_bytes=self._max_bytes,
        )
        with self._lock:
            not_before: float | None = None
            attempt = 0
            while True:
                attempt += 1
                self._wait(not_before)
                answer, problem = self._try(request, attempt)
                if answer is not None:
                    if 200 <= answer.status < 300:
                        return self._checked(url, answer)
                    if answer.status in _GONE:
                        return None
                    self._refuse(url, answer)
                not_before = self._clock() + self._delay(url, answer, attempt, problem)

    def _try(self, request: HttpRequest, attempt: int) -> tuple[HttpResponse | None, str]:
        """One request: the answer (None after a time-out or a failed connection) and its problem."""
        started = self._clock()
        answer: HttpResponse | None = None
        try:
            answer = self._transport.send(request)
            status: int | str = answer.status
            problem = f"HTTP {answer.status}"
        except TimeoutError:
            status, problem = "timeout", f"no answer within {self._timeout:g} s"
        except ConnectionError as err:
            status, problem = "no connection", f"the connection failed ({type(err).__name__})"
        except OSError as err:  # no such host, no route: retrying will not help
            self._done(request.url, "unreachable", attempt, started)
            raise UnavailableError(f"could not reach {self._host}: {err}", url=request.url) from None
        self._done(request.url, status, attempt, started)
        return answer, problem

    def _refuse(self, url: str, answer: HttpResponse) -> None:
        """Raise for an answer no retry will change: a firewall's 403, or another 4xx."""
        if answer.status == 403:
            raise BlockedError(
                f"{self._host} refused the bot (HTTP 403): the council's firewall blocks it. "
                f"Ask the council's web team to allow the User-Agent '{self._user_agent}'; "
                "the bot will not try to get round the block",
                url=url,
            )
        if answer.status < 500 and answer.status not in _RETRIED:
            raise HttpStatusError(f"{url} answered HTTP {answer.status}", status=answer.status, url=url)

    def _delay(self, url: str, answer: HttpResponse | None, attempt: int, problem: str) -> float:
        """Seconds to wait before trying again: Retry-After, else the back-off; or give up."""
        asked = _retry_after(answer.headers.get("retry-after")) if answer is not None else None
        if asked is not None and asked > self._max_retry_after:
            raise UnavailableError(
                f"{self._host} asked us to wait {asked:g} s before trying again ({problem}); try again later",
                url=url,
            )
        if attempt > self._retries:
            raise UnavailableError(
                f"{self._host} is not answering properly: {problem} on {attempt} tries of {url}", url=url
            )
        return asked if asked is not None else self._backoff[min(attempt - 1, len(self._backoff) - 1)]

    def _wait(self, not_before: float | None) -> None:
        """Sleep until ``spacing`` has passed since the last request and any back-off is over."""
        targets = [t for t in (not_before,) if t is not None]
        if self._last_end is not None:
            targets.append(self._last_end + self._spacing)
        if targets:
            pause = max(targets) - self._clock()
            if pause > 0:
                self._sleep(pause)

    def _done(self, url: str, status: int | str, attempt: int, started: float) -> None:
        """Note the end of a request and log it as one structured line."""
        self._last_end = self._clock()
        elapsed = self._last_end - started
        answered = isinstance(status, int) and (status < 300 or status in _GONE)
        log.log(
            logging.INFO if answered else logging.WARNING,
            "moderngov get url=%s status=%s attempt=%d elapsed=%.3f", url, status, attempt, elapsed,
            extra={"url": url, "status": status, "attempt": attempt, "elapsed": round(elapsed, 3)},
        )  # fmt: skip

    def _checked(self, url: str, answer: HttpResponse) -> HttpResponse:
        """The answer, unless it is larger than ``max_bytes``."""
        if len(answer.body) > self._max_bytes:
            raise ModernGovError(
                f"{url} sent more than {self._max_bytes:,} bytes; not read (raise max_bytes if expected)",
                url=url,
            )
        return answer


def _with_committee(meeting: Meeting, committee_id: int) -> Meeting:
    """The meeting, with the committee asked for when the answer did not say."""
    return replace(meeting, committee_id=committee_id)
