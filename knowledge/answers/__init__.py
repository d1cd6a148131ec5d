"""Answers: a member's question, in stages around one Question value.

understand (:mod:`.query`, with :mod:`.facts` and :mod:`.lexicon`), route (:mod:`.ask`), find
(:mod:`.findings`, :mod:`.passages`, :mod:`.listing`, :mod:`.meetings`) and compose (:mod:`.compose`)
into an :class:`~knowledge.models.Answer`; answers kept for their buttons (:mod:`.kept`) and members'
ratings of them (:mod:`.feedback`).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Each public name and the module that holds it: imported when first used, so that importing one
#: module of the package never drags in the others (the domains use each other's modules).
_WHERE = {
    "ask": ".ask",
    "BodyRef": ".query",
    "expand": ".lexicon",
    "FACT_KINDS": ".facts",
    "fact_kinds": ".facts",
    "Feedback": ".feedback",
    "list_feedback": ".feedback",
    "MAX_ANSWER_CHARS": ".ask",
    "Question": ".query",
    "record_feedback": ".feedback",
    "stem": ".lexicon",
    "understand": ".query",
    "wanted_kinds": ".facts",
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
