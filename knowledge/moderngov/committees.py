"""Choosing which of a site's committees to sync, by name (any case, a typo) or by ModernGov id."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils

from knowledge.calendar.meetings import body_key
from knowledge.models import UserError

from .records import Committee

__all__ = ["choose_committees"]


def _one(wanted: str, committees: Sequence[Committee]) -> Committee:
    text = wanted.strip()
    if text.isdigit():
        found = next((c for c in committees if c.id == int(text)), None)
        if found is None and not committees:  # no list to check against (the pages have none)
            return Committee(int(text), "", False, False, "")
        if found is not None:
            return found
    exact = [c for c in committees if body_key(c.title) == body_key(text)]
    live = [c for c in exact if not c.deleted] or exact
    if live:
        return live[0]
    within = [c for c in committees if body_key(text) in body_key(c.title) and not c.deleted]
    if len(within) == 1:
        return within[0]
    titles = [c.title for c in committees if not c.deleted]
    close = process.extract(
        text, titles, scorer=fuzz.token_sort_ratio, processor=utils.default_process, limit=3
    )
    best = close[0][1] if close else 0
    hint = "; ".join(t for t, score, _ in close if score >= max(50, best - 10)) or "; ".join(titles[:6])
    several = (
        f"{len(within)} committees' names hold {text!r}"
        if len(within) > 1
        else f"no committee called {text!r}"
    )
    raise UserError(f"the site has {several}: did you mean {hint}? (a committee's id works too)")


def choose_committees(
    committees: Sequence[Committee], wanted: Sequence[str], *, include_expired: bool
) -> list[Committee]:
    """The committees named in ``wanted`` (names or ids), or every live one when none is named:
    never deleted ones, expired ones only with ``include_expired`` (a first full sync)."""
    if wanted:
        chosen: dict[int, Committee] = {}
        for text in wanted:
            c = _one(text, committees)
            chosen.setdefault(c.id, c)
        return list(chosen.values())
    if not committees:
        raise UserError(
            "the site lists no committees (its pages have no committee list): name them with --committee ID"
        )
    return [c for c in committees if not c.deleted and (include_expired or not c.expired)]
