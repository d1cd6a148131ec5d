"""Answers: a member's question, in stages around one Question value.

understand (:mod:`.query`, with :mod:`.facts` and :mod:`.lexicon`), route (:mod:`.ask`), find
(:mod:`.findings`, :mod:`.passages`, :mod:`.listing`, :mod:`.meetings`) and compose (:mod:`.compose`)
into an :class:`~knowledge.models.Answer`; answers kept for their buttons (:mod:`.kept`) and members'
ratings of them (:mod:`.feedback`).
"""

from __future__ import annotations

from knowledge.faces import public_face

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
__getattr__, __dir__ = public_face(__name__, _WHERE)
