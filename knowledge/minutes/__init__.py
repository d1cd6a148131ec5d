"""Minutes: reading council pages into items (parse), storing them once and indexing every title and
passage (item store, passage index, retrieval), finding the items a question may draw on (search),
and the recommendations the minutes record (recs).

The answer engine (:mod:`knowledge.answers`) reads through :func:`find_items`; ingest and sync write
through :func:`ingest_files` and the store.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Each public name and the module that holds it: imported when first used, so that importing one
#: module of the package never drags in the others (the domains use each other's modules).
_WHERE = {
    "correct_terms": ".search",
    "FileResult": ".ingest",
    "find_items": ".search",
    "Hit": ".search",
    "ingest_files": ".ingest",
    "ingest_one": ".ingest",
    "is_exempt_title": ".exempt",
    "ItemFilter": ".search",
    "list_recommendations": ".recs",
    "load_sample": ".ingest",
    "nearest_meetings": ".search",
    "PageMeta": ".parse",
    "parse_page": ".parse",
    "read_manifest": ".ingest",
    "Recommendation": ".recs",
    "set_rec_status": ".recs",
    "sync_recommendations": ".recs",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    """The public name ``name``, from the module of the package that holds it."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
