"""Minutes: reading council pages into items (parse), storing them once and indexing every title and
passage (item store, passage index, retrieval), finding the items a question may draw on (search),
and the recommendations the minutes record (recs).

The answer engine (:mod:`knowledge.answers`) reads through :func:`find_items`; ingest and sync write
through :func:`ingest_files` and the store.
"""

from __future__ import annotations

from knowledge.faces import public_face

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
__getattr__, __dir__ = public_face(__name__, _WHERE)
