"""Keeping the index and the meeting calendar current from a council's ModernGov site.

:func:`sync_site` lists the chosen committees' meetings in a window (by default 8 weeks back and 2
ahead; every 28 days it also re-lists the older meetings it holds), fetches the agenda and minutes of
each meeting that is new, changed in the listing, or not yet confirmed and not checked for a day, and
re-indexes a meeting only when what it fetched hashes differently. Each meeting is stored in one
transaction (its items, its calendar entry, its state), so a sync interrupted anywhere is finished by
running it again. Draft or confirmed is settled at the end from every meeting of each body. When the
web service is switched off or answers with HTML, the site's pages are read instead.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlite_utils

from knowledge.calendar.meetings import OFF_STATUSES, import_meetings
from knowledge.calendar.recurrence import LONDON
from knowledge.minutes.recs import sync_recommendations
from knowledge.models import MINUTES_CONFIRMED, ParsedItem, UserError
from knowledge.store import (
    delete_source,
    is_busy,
    replace_source,
    source_items,
    source_sha,
    write_transaction,
)

from . import pages
from .approvals import BodyMeeting, minutes_status_of
from .client import ModernGovClient
from .committees import choose_committees
from .errors import BlockedError, ModernGovError, NoServiceError, NotXmlError
from .indexing import (
    CONVERTER_VERSION,
    calendar_entry,
    calendar_status,
    detail_approvals,
    has_minutes,
    item_hash,
    meeting_items,
    with_status,
)
from .links import meeting_url
from .records import Committee, Meeting
from .summary import SyncFailure, SyncProgress, SyncSummary
from .sync_state import (
    KnownMeeting,
    count_items,
    item_hashes,
    known_meetings,
    save_item_hashes,
    save_meeting,
    save_site,
    site_key,
    site_row,
)

__all__ = ["DEFAULT_AHEAD", "DEFAULT_BACK", "SyncFailure", "SyncProgress", "SyncSummary", "last_synced", "sync_site"]

log = logging.getLogger(__name__)

DEFAULT_BACK = timedelta(weeks=8)
DEFAULT_AHEAD = timedelta(weeks=2)
#: A meeting whose minutes are not yet confirmed is fetched again once this long has passed.
RECHECK_AFTER = timedelta(hours=20)
#: How often the meetings older than the window are listed again.
DEEP_EVERY = timedelta(days=28)


@dataclass
class _Run:
    """One sync as it goes: what it works with, what it has found, what it will report."""

    db: sqlite_utils.Database
    client: ModernGovClient
    now: datetime
    council: str | None
    summary: SyncSummary
    progress: Callable[[SyncProgress], None]
    known: dict[int, KnownMeeting]
    views: dict[int, dict[int, BodyMeeting]] = field(default_factory=dict)

    @property
    def site(self) -> str:
        """The site's key."""
        return self.summary.site

    def notice(self, text: str) -> None:
        """Something the person running the sync should read, as it happens and in the summary."""
        self.summary.notices.append(text)
        self.progress(SyncProgress("notice", 0, 0, text))

    def fail(self, what: str, reason: str) -> None:
        """Something that could not be synced; the sync goes on."""
        self.summary.failures.append(SyncFailure(what, reason))
        log.warning("sync failed what=%s reason=%s", what, reason)


def _ignore(_: SyncProgress) -> None:
    return None


def sync_site(
    db: sqlite_utils.Database,
    client: ModernGovClient,
    *,
    now: datetime,
    council: str | None = None,
    committees: Sequence[str] = (),
    since: date | None = None,
    until: date | None = None,
    recheck: bool = False,
    progress: Callable[[SyncProgress], None] | None = None,
) -> SyncSummary:
    """Sync one site into the index and the calendar. The site's failures are in the summary, never
    raised; UserError for a committee the site does not have or a window that ends before it starts;
    the database's own errors (a full disk) propagate, each meeting stored so far whole."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    today = now.astimezone(LONDON).date()
    start, end = since or today - DEFAULT_BACK, until or today + DEFAULT_AHEAD
    if end < start:
        raise UserError(f"the window ends ({end}) before it starts ({start})")
    site = site_key(client.base_url)
    run = _Run(db, client, now, council, SyncSummary(site, since=start, until=end), progress or _ignore,
               known_meetings(db, site))  # fmt: skip
    try:
        chosen = choose_committees(_committees(run), committees, include_expired=since is not None)
        deep = since is None and _deep_due(site_row(db, site), now)
        held = [k.day for k in run.known.values() if not k.gone]
        if deep and held:
            start = min(start, *held)  # now and then, the older meetings too
        plan = _plan(run, chosen, start, end, recheck)
        for n, (meeting, fetch) in enumerate(plan, start=1):
            run.progress(
                SyncProgress("meeting", n, len(plan), f"{meeting.committee_title}, {meeting.date:%-d %b %Y}")
            )
            _one(run, meeting, fetch)
        _settle(run, {c.id for c in chosen})
        values: dict[str, object] = {
            "base_url": client.base_url,
            "council": council,
            "synced_at": _stamp(now),
        }
        if since is not None or deep:  # a first full sync is a deep check too
            values["deep_checked_at"] = _stamp(now)
        with write_transaction(db):
            save_site(db, site, **values)
    except ModernGovError as err:  # a firewall's 403, or the committee list itself could not be had
        run.summary.stopped = str(err)
    if run.summary.changed:
        sync_recommendations(db)  # the tracker follows the minutes
    return run.summary


def last_synced(db: sqlite_utils.Database, base_url: str) -> datetime | None:
    """When a sync of the site at ``base_url`` last finished (None: never)."""
    stamp = site_row(db, site_key(base_url)).get("synced_at")
    return datetime.fromisoformat(str(stamp)) if stamp else None


def _stamp(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _deep_due(row: dict[str, object], now: datetime) -> bool:
    last = row.get("deep_checked_at")
    return not last or now - datetime.fromisoformat(str(last)) >= DEEP_EVERY


def _committees(run: _Run) -> list[Committee]:
    """The site's committees, from the web service or, when it is off or answers HTML, its pages."""
    try:
        return run.client.committees()
    except (NotXmlError, NoServiceError) as err:
        run.summary.via = "pages"
        run.notice(f"The web service cannot be used ({err}); reading the site's pages instead.")
        return pages.committees_from_pages(run.client)


def _listing(run: _Run, c: Committee, start: date, end: date) -> list[Meeting] | None:
    try:
        if run.summary.via == "pages":  # the page lists every date: a meeting held here is followed anywhere
            _, found = pages.meetings_from_page(run.client, c)
            return [m for m in found if start <= m.date <= end or m.id in run.known]
        return run.client.meetings(c.id, start, end)
    except BlockedError:
        raise
    except ModernGovError as err:
        run.fail(c.title or f"committee {c.id}", str(err))
        return None


def _plan(
    run: _Run, chosen: list[Committee], start: date, end: date, recheck: bool
) -> list[tuple[Meeting, bool]]:
    """Each meeting to look at, newest first within each committee, and whether to fetch it."""
    plan: list[tuple[Meeting, bool]] = []
    for n, c in enumerate(chosen, start=1):
        run.progress(SyncProgress("listing", n, len(chosen), c.title or f"committee {c.id}"))
        listed = _listing(run, c, start, end)
        if listed is None:
            continue
        run.summary.committees += 1
        ids = {m.id for m in listed}
        for k in run.known.values():  # held, in the window, but no longer listed: moved away or removed
            if k.committee_id == c.id and k.meeting_id not in ids and start <= k.day <= end and not k.gone and (
                calendar_status(k.site_status) not in OFF_STATUSES
            ):  # fmt: skip
                listed.append(
                    Meeting(k.meeting_id, c.id, k.committee_title, k.day, None, k.site_status, "", None)
                )
        view = run.views.setdefault(c.id, {})
        for k in run.known.values():
            if k.committee_id == c.id:
                view[k.meeting_id] = k.as_body_meeting(off=calendar_status(k.site_status) in OFF_STATUSES)
        for m in sorted(listed, key=lambda m: m.date, reverse=True):
            known = run.known.get(m.id)
            off = calendar_status(m.status) in OFF_STATUSES
            if m.id not in view or off:
                view[m.id] = BodyMeeting(m.id, m.date, off, bool(known and known.has_minutes), None, ())
            plan.append((m, not off and _needs_fetch(m, known, run.now, recheck, m.id in ids)))
    run.summary.meetings = len(plan)
    return plan


def _needs_fetch(m: Meeting, known: KnownMeeting | None, now: datetime, recheck: bool, listed: bool) -> bool:
    if known is None or not known.detail_hash or known.gone or recheck or not listed:
        return True
    if known.listing_hash != m.content_hash():
        return True
    if known.minutes_status == MINUTES_CONFIRMED:
        return False  # settled: fetched again only when the listing changes
    return known.checked_at is None or now - known.checked_at >= RECHECK_AFTER


def _one(run: _Run, m: Meeting, fetch: bool) -> None:
    """Look at one meeting: fetch it if due, and store what changed in one transaction."""
    what = f"{m.committee_title or 'committee ' + str(m.committee_id)}, {m.date:%-d %B %Y}"
    known = run.known.get(m.id)
    try:
        if not fetch:
            _unfetched(run, m, known)
        elif run.summary.via == "pages":
            _from_pages(run, m, known)
        else:
            _from_service(run, m, known)
    except BlockedError:
        raise
    except ModernGovError as err:
        run.fail(what, str(err))
    except sqlite3.OperationalError as err:  # a database that stayed busy: the others go on
        if not is_busy(err):
            raise
        run.fail(what, "the database was busy (another program was writing to it); run the sync again")


def _unfetched(run: _Run, m: Meeting, known: KnownMeeting | None) -> None:
    """A meeting not fetched: unchanged, or cancelled (its calendar entry follows, its agenda goes)."""
    if known is not None and known.listing_hash == m.content_hash():
        run.summary.meetings_unchanged += 1
        run.summary.items_unchanged += count_items(run.db, run.site, [m.id])
        return
    base = known or KnownMeeting(run.site, m.id, m.committee_id or 0, m.committee_title, m.date, m.status)
    keep = bool(known and known.has_minutes)  # minutes of a meeting later called off stay indexed
    state = base.but(listing_hash=m.content_hash(), site_status=m.status, day=m.date, committee_title=m.committee_title,
                     detail_hash=base.detail_hash if keep else "")  # fmt: skip
    _store(run, m, state, items=None if keep else [], hashes=None if keep else {}, known=known)


def _status(run: _Run, m: Meeting, body: BodyMeeting) -> str:
    view = run.views.setdefault(m.committee_id or 0, {})
    view[m.id] = body
    return minutes_status_of(body, view.values())


def _from_service(run: _Run, m: Meeting, known: KnownMeeting | None) -> None:
    detail = run.client.meeting(m.id, committee_id=m.committee_id, committee_title=m.committee_title)
    run.summary.fetched += 1
    if detail is None:
        _gone(run, m, known)
        return
    meeting = detail.meeting
    approvals = tuple(detail_approvals(detail))
    body = BodyMeeting(m.id, meeting.date, False, has_minutes(detail), None, approvals)
    status = _status(run, meeting, body)
    items = meeting_items(detail, base=run.client.base_url, council=run.council, status=status)
    hashes = {str(i.id): item_hash(CONVERTER_VERSION, i.content_hash(), run.council) for i in detail.items}
    if detail.attendees:
        hashes["details"] = item_hash(
            CONVERTER_VERSION, [a.content_hash() for a in detail.attendees], meeting.venue
        )
    state = KnownMeeting(
        run.site, m.id, m.committee_id or 0, m.committee_title, meeting.date, meeting.status,
        listing_hash=m.content_hash(), detail_hash=item_hash(CONVERTER_VERSION, detail.content_hash(), run.council),
        has_minutes=body.has_minutes, minutes_status=status, approvals=approvals,
        calendar_uid=known.calendar_uid if known else "", via="service", checked_at=run.now,
    )  # fmt: skip
    _store(run, meeting, state, items=items, hashes=hashes, known=known)


def _from_pages(run: _Run, m: Meeting, known: KnownMeeting | None) -> None:
    page = pages.meeting_from_page(run.client, m, run.council)
    run.summary.fetched += 1
    if page is None:
        _gone(run, m, known)
        return
    body = BodyMeeting(m.id, m.date, False, page.has_minutes, page.published_draft, page.approvals)
    status = _status(run, m, body)
    meeting = Meeting(m.id, m.committee_id, m.committee_title, m.date, m.time, m.status, page.venue, None)
    state = KnownMeeting(
        run.site, m.id, m.committee_id or 0, m.committee_title, m.date, m.status,
        listing_hash=m.content_hash(), detail_hash=item_hash(CONVERTER_VERSION, page.page_hash, run.council),
        has_minutes=page.has_minutes, published_draft=page.published_draft, minutes_status=status,
        approvals=page.approvals, calendar_uid=known.calendar_uid if known else "", via="pages", checked_at=run.now,
    )  # fmt: skip
    _store(run, meeting, state, items=with_status(list(page.items), status), hashes=page.hashes, known=known)


def _gone(run: _Run, m: Meeting, known: KnownMeeting | None) -> None:
    """The site has no such meeting any more: out of the index, and off the calendar (cancelled)."""
    base = known or KnownMeeting(run.site, m.id, m.committee_id or 0, m.committee_title, m.date, m.status)
    removed = Meeting(m.id, m.committee_id, m.committee_title, base.day, None, "Cancelled", "", None)
    run.notice(f"{m.committee_title}, {base.day:%-d %B %Y} is no longer on the site: taken off the calendar.")
    state = base.but(gone=True, checked_at=run.now, has_minutes=False, detail_hash="", minutes_status="")
    _store(run, removed, state, items=[], hashes={}, known=known)
    run.summary.meetings_removed += 1


def _store(
    run: _Run,
    meeting: Meeting,
    state: KnownMeeting,
    *,
    items: list[ParsedItem] | None,
    hashes: dict[str, str] | None,
    known: KnownMeeting | None = None,
) -> None:
    """Write one meeting (items, calendar entry, state) in one transaction, and count what changed.

    ``items`` None keeps what the index holds; ``hashes`` None keeps the item hashes (and counts)."""
    db, s = run.db, run.summary
    old = item_hashes(db, run.site, meeting.id) if hashes is not None else {}
    same = (
        known is not None
        and hashes is not None
        and known.detail_hash == state.detail_hash
        and known.minutes_status == state.minutes_status
        and not known.gone
    )
    uid = state.calendar_uid or state.source_key
    entry = calendar_entry(meeting, base=run.client.base_url, council=run.council, uid=uid)
    with write_transaction(db):
        if items is not None and not same:
            url = meeting_url(run.client.base_url, meeting.committee_id or 0, meeting.id)
            if items:
                replace_source(
                    db, state.source_key, items, sha256=state.detail_hash, layout="moderngov", url=url
                )
            else:
                delete_source(db, state.source_key)
        result = import_meetings(db, [entry], f"ModernGov {run.site}", now=run.now)
        used = (*result.added, *result.updated, *result.unchanged)
        save_meeting(db, state.but(calendar_uid=used[0] if used else uid))
        if hashes is not None and not same:
            save_item_hashes(db, run.site, meeting.id, hashes)
    run.known[meeting.id] = state.but(calendar_uid=used[0] if used else uid)
    if (
        state.minutes_status == MINUTES_CONFIRMED
        and known is not None
        and known.minutes_status != MINUTES_CONFIRMED
    ):
        s.confirmed += 1
    s.cancelled += len(result.cancelled)
    s.moved += len(result.moved)
    if hashes is None:
        s.meetings_changed += 1 if known else 0
        s.meetings_new += 0 if known else 1
        return
    s.items_new += len(set(hashes) - set(old))
    s.items_removed += len(set(old) - set(hashes))
    s.items_changed += sum(1 for k, h in hashes.items() if k in old and old[k] != h)
    s.items_unchanged += sum(1 for k, h in hashes.items() if old.get(k) == h)
    if state.gone:
        return
    if known is None or not known.detail_hash:
        s.meetings_new += 1
    elif same:
        s.meetings_unchanged += 1
    else:
        s.meetings_changed += 1


def _settle(run: _Run, committee_ids: set[int]) -> None:
    """Draft or confirmed, decided again from every meeting of each body; items re-marked where it changed."""
    known = known_meetings(run.db, run.site)
    for committee_id in committee_ids:
        mine = [k for k in known.values() if k.committee_id == committee_id]
        view = [k.as_body_meeting(off=calendar_status(k.site_status) in OFF_STATUSES) for k in mine]
        for k, body in zip(mine, view, strict=True):
            status = minutes_status_of(body, view)
            if k.gone or status == k.minutes_status:
                continue
            with write_transaction(run.db):
                items = source_items(run.db, k.source_key)
                if items:
                    replace_source(run.db, k.source_key, with_status(items, status), sha256=source_sha(
                        run.db, k.source_key) or "", layout="moderngov",
                        url=meeting_url(run.client.base_url, committee_id, k.meeting_id))  # fmt: skip
                save_meeting(run.db, k.but(minutes_status=status))
            if status == MINUTES_CONFIRMED:
                run.summary.confirmed += 1
