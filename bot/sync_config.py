"""The scheduled sync in the TOML file: ``[sync]``.

::

    [sync]
    base_url = "https://democracy.example.gov.uk"   # the folder holding the site's mg*.aspx pages
    at = "02:30"                  # when `serve` syncs each day, London time (not 01:00-01:59)
    council = "Eastmoor District Council"   # default: [council] name
    committees = ["Cabinet", 123] # default: every current committee
    spacing = 1.0                 # seconds between requests to the site

Every problem is listed at once, with the rest of the configuration's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from knowledge.calendar.recurrence import check_send_time
from knowledge.models import UserError
from knowledge.moderngov import check_base_url

__all__ = ["DEFAULT_SYNC_TIME", "SyncSettings", "parse_sync"]

DEFAULT_SYNC_TIME = time(2, 30)
_KEYS = ("base_url", "at", "council", "committees", "spacing")


@dataclass(frozen=True)
class SyncSettings:
    """Where and when ``serve`` syncs from a council's ModernGov site."""

    base_url: str
    at: time = DEFAULT_SYNC_TIME
    council: str | None = None
    committees: tuple[str, ...] = ()
    spacing: float = 1.0


def _at(value: Any, problems: list[str], where: str) -> time:
    try:
        at = time.fromisoformat(str(value).strip())
        check_send_time(at)
    except ValueError:
        problems.append(f'{where}: [sync] at must be a time like "02:30", not {value!r}')
        return DEFAULT_SYNC_TIME
    except UserError as exc:
        problems.append(f"{where}: [sync] at: {exc}")
        return DEFAULT_SYNC_TIME
    return at


def parse_sync(
    data: Mapping[str, Any], problems: list[str], *, where: str = "config", council: str | None = None
) -> SyncSettings | None:
    """The ``[sync]`` settings (None without the section); ``council`` is the default council."""
    table = data.get("sync")
    if table is None:
        return None
    if not isinstance(table, Mapping):
        problems.append(f"{where}: [sync] must be a table")
        return None
    for key in table:
        if key not in _KEYS:
            problems.append(f"{where}: [sync] unknown setting {key!r} (known: {', '.join(_KEYS)})")
    base = table.get("base_url")
    if not isinstance(base, str) or not base.strip():
        problems.append(
            f'{where}: [sync] base_url must be the site\'s address in quotes, like "https://democracy.example.gov.uk"'
        )
        base = ""
    else:
        try:
            base = check_base_url(base)
        except ValueError as exc:
            problems.append(f"{where}: [sync] base_url: {exc}")
    at = _at(table["at"], problems, where) if "at" in table else DEFAULT_SYNC_TIME
    name = table.get("council", council)
    if name is not None and (not isinstance(name, str) or not name.strip()):
        problems.append(f"{where}: [sync] council must be the council's name in quotes")
        name = council
    committees = table.get("committees", [])
    ok = isinstance(committees, list) and all(
        (isinstance(c, str) and c.strip()) or (isinstance(c, int) and not isinstance(c, bool) and c > 0)
        for c in committees
    )
    if not ok:
        problems.append(f'{where}: [sync] committees must be a list of names or ids, like ["Cabinet", 123]')
        committees = []
    spacing = table.get("spacing", 1.0)
    if isinstance(spacing, bool) or not isinstance(spacing, int | float) or not 0 <= spacing <= 60:  # NaN too
        problems.append(f"{where}: [sync] spacing must be a number of seconds from 0 to 60, not {spacing!r}")
        spacing = 1.0
    return SyncSettings(
        base_url=base,
        at=at,
        council=" ".join(name.split()) if isinstance(name, str) else None,
        committees=tuple(str(c).strip() for c in committees),
        spacing=float(spacing),
    )
