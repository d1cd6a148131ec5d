"""What a sync remembers of each ModernGov site, in the tables of migration ``009_moderngov_sync``.

Per meeting: the hashes of its listing and of what was indexed, its minutes' status and the approvals
its minutes record, the calendar uid it was filed under, when it was last fetched. Per agenda item: a
hash. The caller writes a meeting's state in the same transaction as its items.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import urlsplit

import sqlite_utils

from .approvals import Approval, BodyMeeting

__all__ = [
    "KnownMeeting",
    "count_items",
    "item_hashes",
    "known_meetings",
    "save_item_hashes",
    "save_meeting",
    "save_site",
    "site_key",
    "site_row",
    "source_key",
]


def site_key(base_url: str) -> str:
    """The site a base address names, for keys: host (and port) and folder, lower-cased host."""
    parts = urlsplit(base_url.strip())
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"


def source_key(site: str, meeting_id: int) -> str:
    """The index's key for one meeting of a site: ``moderngov:<site>/<meeting id>``."""
    return f"moderngov:{site}/{meeting_id}"


@dataclass(frozen=True)
class KnownMeeting:
    """One meeting of a site as the last sync left it."""

    site: str
    meeting_id: int
    committee_id: int
    committee_title: str
    day: date
    site_status: str
    listing_hash: str = ""
    detail_hash: str = ""
    has_minutes: bool = False
    published_draft: bool | None = None
    minutes_status: str = ""
    approvals: tuple[Approval, ...] = ()
    calendar_uid: str = ""
    via: str = "service"
    gone: bool = False
    checked_at: datetime | None = None

    @property
    def source_key(self) -> str:
        """The key of its items in the index."""
        return source_key(self.site, self.meeting_id)

    def as_body_meeting(self, *, off: bool) -> BodyMeeting:
        """What deciding draft or confirmed needs of it."""
        return BodyMeeting(
            self.meeting_id,
            self.day,
            off or self.gone,
            self.has_minutes,
            self.published_draft,
            self.approvals,
        )

    def but(self, **changes: object) -> KnownMeeting:
        """A copy with ``changes``."""
        return replace(self, **changes)  # type: ignore[arg-type]  # field names checked by replace


def _bool(value: object) -> bool | None:
    return None if value is None else bool(value)


def _known(row: Mapping[str, object]) -> KnownMeeting:
    approvals = tuple(Approval(str(s), bool(p)) for s, p in json.loads(str(row["approvals"] or "[]")))
    checked = row["checked_at"]
    return KnownMeeting(
        site=str(row["site"]),
        meeting_id=int(str(row["meeting_id"])),
        committee_id=int(str(row["committee_id"] or 0)),
        committee_title=str(row["committee_title"] or ""),
        day=date.fromisoformat(str(row["meeting_date"])),
        site_status=str(row["site_status"] or ""),
        listing_hash=str(row["listing_hash"] or ""),
        detail_hash=str(row["detail_hash"] or ""),
        has_minutes=bool(row["has_minutes"]),
        published_draft=_bool(row["published_draft"]),
        minutes_status=str(row["minutes_status"] or ""),
        approvals=approvals,
        calendar_uid=str(row["calendar_uid"] or ""),
        via=str(row["via"] or "service"),
        gone=bool(row["gone"]),
        checked_at=datetime.fromisoformat(str(checked)) if checked else None,
    )


def known_meetings(db: sqlite_utils.Database, site: str) -> dict[int, KnownMeeting]:
    """Every meeting of ``site`` a sync has stored, by meeting id."""
    rows = db.query("SELECT * FROM moderngov_meetings WHERE site = ? ORDER BY meeting_date", [site])
    return {k.meeting_id: k for k in map(_known, rows)}


def save_meeting(db: sqlite_utils.Database, known: KnownMeeting) -> None:
    """Insert or replace one meeting's state."""
    db.table("moderngov_meetings").upsert(
        {
            "site": known.site,
            "meeting_id": known.meeting_id,
            "committee_id": known.committee_id,
            "committee_title": known.committee_title,
            "meeting_date": known.day.isoformat(),
            "site_status": known.site_status,
            "listing_hash": known.listing_hash,
            "detail_hash": known.detail_hash,
            "has_minutes": int(known.has_minutes),
            "published_draft": None if known.published_draft is None else int(known.published_draft),
            "minutes_status": known.minutes_status,
            "approvals": json.dumps([[a.sentence, a.previous] for a in known.approvals], ensure_ascii=False),
            "source_key": known.source_key,
            "calendar_uid": known.calendar_uid,
            "via": known.via,
            "gone": int(known.gone),
            "checked_at": known.checked_at.isoformat(timespec="seconds") if known.checked_at else None,
        },
        pk=("site", "meeting_id"),
    )


def item_hashes(db: sqlite_utils.Database, site: str, meeting_id: int) -> dict[str, str]:
    """The hash of each item of a meeting as last indexed, by item key."""
    rows = db.execute(
        "SELECT item_key, hash FROM moderngov_items WHERE site = ? AND meeting_id = ?", [site, meeting_id]
    ).fetchall()
    return {str(k): str(h) for k, h in rows}


def save_item_hashes(
    db: sqlite_utils.Database, site: str, meeting_id: int, hashes: Mapping[str, str]
) -> None:
    """Replace the item hashes of one meeting."""
    db.execute("DELETE FROM moderngov_items WHERE site = ? AND meeting_id = ?", [site, meeting_id])
    db.table("moderngov_items").insert_all(
        ({"site": site, "meeting_id": meeting_id, "item_key": k, "hash": h} for k, h in hashes.items()),
        batch_size=500,
    )


def count_items(db: sqlite_utils.Database, site: str, meeting_ids: Iterable[int]) -> int:
    """How many items the meetings had when last indexed."""
    ids = sorted(set(meeting_ids))
    total = 0
    for i in range(0, len(ids), 400):
        chunk = ids[i : i + 400]
        marks = ", ".join("?" for _ in chunk)
        total += int(
            db.execute(
                f"SELECT count(*) FROM moderngov_items WHERE site = ? AND meeting_id IN ({marks})",
                [site, *chunk],
            ).fetchone()[0]
        )
    return total


def site_row(db: sqlite_utils.Database, site: str) -> dict[str, object]:
    """The site's row (base address, council, last sync and last deep check), or {}."""
    return next(db.query("SELECT * FROM moderngov_sites WHERE site = ?", [site]), {})


def save_site(db: sqlite_utils.Database, site: str, **values: object) -> None:
    """Insert or update the site's row."""
    db.table("moderngov_sites").upsert({"site": site, **values}, pk="site")
