"""Recognising exempt (Part 2) business in minutes, failing closed when a page is unclear.

An item is exempt (stored as ``restricted``) when:

- its title says so: *exempt*, *Part 2*, *confidential*, *in private*, *NOT FOR PUBLICATION*, or a
  Schedule 12A paragraph (but not the procedural item that excludes the press and public, whose
  resolution is public business);
- its lines carry ModernGov's *Restricted enclosure* / *View the reasons why document is
  restricted* marker;
- it comes after the press and public were excluded, whether that was recorded as a resolution
  ("RESOLVED that the public be excluded ...") or as narrative ("The Chair moved that the press and
  public be excluded ... the motion was carried").

Failing closed: when the exclusion is recorded inside an item and more text follows it there, the
parser cannot tell where the public business ends, so that text becomes an exempt item of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from knowledge.models import ParsedItem, Passage

__all__ = ["apply_exclusions", "excludes_public", "is_exempt_title", "is_procedural_exclusion", "is_restricted_marker"]

_EXEMPT_TITLE = re.compile(
    r"\bexempt\b|\bpart (?:2|ii|two)\b|\bconfidential\b|\bin private\b|\bnot for publication\b|"
    r"\bschedule 12a\b|\bparagraphs? \d{1,2}(?:,? (?:and|&) \d{1,2})? of part (?:1|i|one)\b",
    re.I,
)
_PROCEDURAL = re.compile(
    r"^(?:exempt information\W*)?(?:possible |proposed |consideration of )?exclusion of (?:the )?(?:press|public)"
    r"(?: and (?:the )?(?:press|public))?(?:\W+(?:exempt information|schedule 12a|part (?:2|ii)))?\W*$",
    re.I,
)
#: "If the recommendation is accepted, to formally pass the following resolution:-" (a proposal).
_PROPOSAL = re.compile(r"\b(?:pass|passing|move|moving|adopt) the following resolution|\bto consider passing\b", re.I)
#: "There were no matters which the Board designated as being exempt": the proposal was not needed.
_NONE_TAKEN = re.compile(r"\b(?:no|not|nothing)\b[^.;]{0,80}\b(?:exempt|excluded|exclusion|in private)\b", re.I)
#: What follows an exclusion within its own item: the rest of its sentence, or which items and paragraphs.
_DETAIL = re.compile(r"\b(?:items?|paragraphs?|minutes?|schedule 12a|exempt|public interest)\b", re.I)
_MARKER = re.compile(
    r"^(?:· )?(?:restricted enclosure|view the reasons why (?:the |this )?document is restricted)\b", re.I
)
#: A line that opens the private part of a meeting: "PART 2 - EXEMPT ITEMS", "Not for publication".
_PRIVATE_HEADING = re.compile(
    r"^(?:· )?(?:not for publication\b.*|part (?:2|ii|two)\b.{0,60}|"
    r"(?:exempt|confidential|private) (?:items?|business|session)\b.{0,40})$",
    re.I,
)
_AFFIRMATIVE = re.compile(
    r"\bthat\b[^.;]{0,80}?\b(?:press|public)\b[^.;]{0,60}?\bbe excluded\b"
    r"|\b(?:press|public)\b[^.;]{0,60}?\b(?:were|was) (?:then |duly |accordingly )?excluded\b"
    r"|\b(?:agreed?|agrees|resolved|decided|voted) to exclude (?:the )?(?:press|public)\b"
    r"|\b(?:went|moved|go|proceeded) into (?:a )?(?:private|closed) session\b",
    re.I,
)
_DENIED = re.compile(r"\b(?:no|not|nor|whether|never)\b[^.;]{0,60}\bexclu", re.I)
_LOST = re.compile(r"\b(?:was|were|being) (?:lost|defeated|withdrawn)\b|\bnot (?:carried|agreed)\b|\bmotion fell\b", re.I)
#: A resolution that names the exclusion in other words ("... exempt information ... Schedule 12A").
_RESOLVED_EXCLUSION = re.compile(r"(?:public|press).{0,80}\bexclu|\bexclu.{0,200}(?:exempt information|schedule 12a)", re.I)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+")


def is_procedural_exclusion(title: str) -> bool:
    """Is this the item that excludes the press and public (public business in itself)?"""
    return bool(_PROCEDURAL.search(title.strip()))


def is_exempt_title(title: str) -> bool:
    """Does an item's title say that its business is exempt?"""
    return bool(_EXEMPT_TITLE.search(title)) and not is_procedural_exclusion(title)


def is_restricted_marker(line: str) -> bool:
    """Is this line ModernGov's marker of a restricted (exempt) document?"""
    return bool(_MARKER.match(line))


def excludes_public(text: str) -> bool:
    """Does this text record that the press and public were (or are to be) excluded?"""
    if "xclu" not in text and "session" not in text:
        return False
    for sentence in _SENTENCE.split(text):
        if _AFFIRMATIVE.search(sentence) and not _DENIED.search(sentence) and not _LOST.search(sentence):
            return True
    return False


def _exclusion_at(item: ParsedItem) -> int | None:
    """The index of the passage where this item records the exclusion, or None."""
    passages = item.passages
    for n, p in enumerate(passages):
        if p.kind == "purpose":
            continue
        said = bool(excludes_public(p.text) or _PRIVATE_HEADING.match(p.text))
        if not said and p.kind == "resolution":
            said = bool(_RESOLVED_EXCLUSION.search(p.text)) and not _DENIED.search(p.text)
        if not said:
            continue
        if n and _PROPOSAL.search(passages[n - 1].text) and any(
            _NONE_TAKEN.search(q.text) for q in passages[n + 1 : n + 3]
        ):
            continue  # an agenda's proposed resolution, and the minute says it was not needed
        return n
    return None


def apply_exclusions(items: Sequence[ParsedItem], *, one_meeting: bool) -> list[ParsedItem]:
    """Flag the items after an exclusion of the press and public as exempt, failing closed.

    ``one_meeting`` is true when the items are one meeting's agenda in order (the later items follow
    the exclusion); an issue page lists different meetings, where only the item itself is affected.
    """
    out: list[ParsedItem] = []
    excluded = False
    listed: set[str] = set()  # the items the exclusion names, when it names them
    for item in items:
        if excluded and (not listed or (item.item or "").lower() in listed or not item.item):
            item.restricted = True
        out.append(item)
        at = _exclusion_at(item)
        if at is None or item.restricted:
            continue
        if one_meeting:
            excluded = True
            # "... the following private reports: 61 and 62": those items, not every later one
            listed = _listed_items(item.passages[at:])
        procedural = is_procedural_exclusion(item.title)
        # after the exclusion, only the exclusion resolution's own list (which items, which
        # paragraphs) stays public, and only in the procedural item itself
        keep = [n for n in range(at + 1, len(item.passages)) if procedural and _is_detail(item.passages[n])]
        rest = [p for n, p in enumerate(item.passages) if n > at and n not in keep]
        if rest:
            item.passages = [p for n, p in enumerate(item.passages) if n <= at or n in keep]
            out.append(_private_part(item, rest))
    return out


_LISTED_LINE = re.compile(r"^(?:· )?(?:minute |item )?(?:no\.? ?)?(\d{1,4}[a-z]?)\.?\s+[A-Z(]")
_LISTED_WORDS = re.compile(r"\b(?:minutes?|items?)\s+(?:nos?\.?\s*)?(\d{1,4}[a-z]?(?:\s*(?:,|and|&)\s*\d{1,4}[a-z]?)*)", re.I)


def _listed_items(passages: Sequence[Passage]) -> set[str]:
    """The item numbers an exclusion names: "Minute No. 61 Sale of ...", "items 12 and 13"."""
    out: set[str] = set()
    for p in passages[:12]:
        m = _LISTED_LINE.match(p.text)
        if m and len(p.text) < 200:
            out.add(m.group(1).lower())
        for group in _LISTED_WORDS.findall(p.text):
            out.update(x.lower() for x in re.findall(r"\d{1,4}[a-z]?", group))
    return out


def _is_detail(p: Passage) -> bool:
    """Does this passage, after an exclusion in its own procedural item, still describe the exclusion?"""
    if p.kind == "resolution" or p.text[:1].islower():
        return True
    # "61 Sale of the Old Depot": which reports, a public agenda title
    return len(p.text) < 300 and bool(_DETAIL.search(p.text) or _LISTED_LINE.match(p.text))


def _private_part(item: ParsedItem, passages: list[Passage]) -> ParsedItem:
    """The text after an exclusion inside one item: business the parser cannot separate, held exempt."""
    return replace(item, passages=list(passages), markers=list(item.markers), restricted=True,
                   title=f"{item.title} (after the press and public were excluded)".strip())  # fmt: skip
