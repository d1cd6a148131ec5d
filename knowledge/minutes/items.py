"""The body of one agenda item: purpose, narrative, bullets and the decisions in it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.models import Passage
from knowledge.text import BULLET

__all__ = ["ItemBody", "parse_item_body"]


@dataclass
class ItemBody:
    """Passages and markers found in an item's lines."""

    passages: list[Passage] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)


_PHRASES: list[tuple[str, str]] = [
    (r"actions? agreed|agreed actions?|actions?", "action"),
    (
        r"recommendations?|recommended(?: to (?:the )?(?:cabinet|council|full council|executive))?|"
        r"it was (?:unanimously )?recommended|"
        r"the (?:committee|board|panel|sub-committee|cabinet)(?: members)? (?:unanimously )?recommend(?:s|ed)"
        r"(?: to (?:the )?(?:cabinet|council|full council|executive))?|"
        r"the (?:committee|board|panel) agreed the following recommendations?",
        "recommendation",
    ),
    (
        r"it was (?:unanimously )?resolved(?: unanimously)?|resolved(?: unanimously)?(?: to recommend)?|"
        r"(?:the )?(?:committee|board|cabinet|council|panel|executive|sub-committee|members|councillors)(?: unanimously)? resolve[sd]|"
        # "It was moved, seconded and RESOLVED that", "On being put to the vote it was RESOLVED:"
        r"(?:it was |on being )?(?:moved|proposed|put to the vote|put to a vote|following a vote|upon a vote|on a vote)"
        r"[\w ,]{0,60}? (?:and |it was )?(?:unanimously )?resolved|"
        r"decisions?|it was (?:unanimously )?agreed|agreed",
        "resolution",
    ),
]
_THAT = r"\s+that\b\s*[:\-–]?\s*|"
#: A header is its phrase followed by a colon or dash, by "that", or by nothing at all.
_HEADERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^(?:{phrase})(?:\s*[:\-–]\s*|{'' if kind == 'action' else _THAT}\s*$)(.*)$", re.I), kind)
    for phrase, kind in _PHRASES
]
_LIST_ITEM = re.compile(
    r"^(?:\(([a-z]{1,2}|[ivx]{1,5}|\d{1,2})\)|([a-z]|[ivx]{1,5}|\d{1,2})[.)])\s+(\S.*)$", re.I
)
#: "1.1 To designate the parish ...": a numbered paragraph of a report's recommendations
_DOTTED_ITEM = re.compile(r"^()(\d{1,2}\.\d{1,2})\.?\s+(\S.*)$")
_DOC_HEADERS = re.compile(r"^(additional|supporting|background) (documents|papers):?$", re.I)
_DOC_LINE = re.compile(
    r"\b(pdf|docx?|xlsx?|pptx?)\b\s*[\d.,]+\s*[km]b\b|^(?:· )?(appendix|annex|enclosure|report|schedule)\b.*\bitem \d+[a-z]?$"
    r"|^(?:· )?[^.]{0,160}\bitem \d+[a-z]?$|^pdf icon",
    re.I,
)
_TRUNCATED = re.compile(r"\s*(?:\.\.\.|…)?\s*view the full (?:minutes|decision) text for item \S+\s*$", re.I)
_TO_FOLLOW = re.compile(
    r"^(?:the )?minutes (?:are |will be )?to follow\.?$|minutes (?:have )?not yet (?:been )?published", re.I
)
_SKIP = re.compile(
    r"^(?:· )?(?:minutes|purpose|view the (?:background|reasons).*|webcast.*|printed minutes.*|"
    r"link: .*|documents?:?|top of page|back to top|restricted enclosure|view directions|"
    r"last updated:? .*|decided at meeting:? .*|the meeting (?:ended|closed|finished|concluded) at .*|"
    r"chair(?:man|person)?|vice[- ]chair|mayor|leader of the council|signed|date)\.?$",
    re.I,
)
#: "... the tenders received. RESOLVED: That ..." — a resolution run into a paragraph.
_INLINE_RESOLVED = re.compile(r"(?<=[.;:])\s+(?=(?:RESOLVED|It was resolved that|It was RESOLVED)\b)")


#: A sentence that ends by introducing the decisions after it: "..., and it was RESOLVED:".
_LEADS_INTO = re.compile(r"\b(?:it was|and|were|was) (?:unanimously )?(resolved|recommended)(?: that)?\s*[:\-–]\s*$", re.I)


def _continues(section: str, text: str, n_in_section: int) -> bool:
    """Does a plain paragraph after a decision header still belong to that decision?"""
    if n_in_section == 0:
        return True
    return bool(re.match(r"^(that|and|to)\b", text, re.I)) or text[:1].islower()


#: How a line that finishes what it says ends: a full stop, a colon, a closing bracket or quote ...
_FINISHED = (".", ":", ";", "!", "?", ")", "”", '"', "'", "’", "-", "–", ",")


def _rejoined(lines: list[str]) -> list[str]:
    """Lines a page broke mid-sentence joined again: "... excluded from the meeting during" then
    "consideration of the following item ..." (the second starts in lower case, the first is unfinished)."""
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if (prev and line[:1].islower() and not prev.rstrip().endswith(_FINISHED) and not prev.startswith(BULLET)
                and not _LIST_ITEM.match(line)):  # fmt: skip
            out[-1] = f"{prev.rstrip()} {line.lstrip()}"
        else:
            out.append(line)
    return out


def parse_item_body(lines: list[str]) -> ItemBody:
    """Read an item's lines (title already removed) into passages and markers."""
    out = ItemBody()
    section = "narrative"
    n_in_section = 0
    in_docs = False
    seen_minutes_header = any(line.lower().rstrip(":") == "minutes" for line in lines)
    before_minutes = seen_minutes_header
    split: list[str] = []
    for line in _rejoined(lines):
        split.extend(_INLINE_RESOLVED.split(line) if "esolved" in line or "ESOLVED" in line else (line,))
    for raw in split:
        text = raw
        low = text.lower()
        if "view the full" in low and _TRUNCATED.search(text):
            text = _TRUNCATED.sub(" …", text).strip()
            _mark(out, "truncated")
            if text == "…":
                continue
        if "minutes" in low and _TO_FOLLOW.search(text):
            _mark(out, "minutes to follow")
            continue
        if _DOC_HEADERS.match(text):
            in_docs = True
            if text.lower().startswith("additional"):
                before_minutes = False  # the purpose comes before the list of documents
            continue
        if in_docs:
            if _DOC_LINE.search(text) or re.fullmatch(r"(?:pdf|docx?)\s*[\d.,]+\s*[km]b", low):
                continue
            in_docs = False
        if low.rstrip(":") == "minutes":
            before_minutes = False
            section = "narrative"
            continue
        if re.match(r"^purpose\s*:\s*", text, re.I):
            rest = re.sub(r"^purpose\s*:\s*", "", text, flags=re.I)
            if rest:
                out.passages.append(Passage("purpose", rest))
            before_minutes = True
            continue
        if _SKIP.match(text) or re.fullmatch(r"(?:pdf|docx?)\s*[\d.,]+\s*[km]b", low):
            continue
        header = _match_header(text)
        if header:
            kind, rest = header
            section, n_in_section, before_minutes = kind, 0, False
            if rest and not rest.endswith(":"):
                # "Action: JB to send the figures" is quoted as written; "RESOLVED: That ..." as its decision
                said = text if kind == "action" and len(text) < 200 else _strip_that_colon(rest)
                out.passages.append(Passage(kind, said))
                n_in_section = 1
            elif rest and len(rest.split()) >= 3:
                # "RESOLVED that the following recommendations be referred to Council:" says what
                # the list is; it is quoted as written, as the line that introduces the list
                out.passages.append(Passage("narrative", text))
            continue
        if before_minutes or (not out.passages and _looks_like_purpose(text) and not seen_minutes_header):
            out.passages.append(Passage("purpose", text))
            if not seen_minutes_header:
                before_minutes = False
            continue
        lm = _LIST_ITEM.match(text) or _DOTTED_ITEM.match(text)
        if section != "narrative":
            if lm:
                out.passages.append(
                    Passage(section, lm.group(3).strip(), (lm.group(1) or lm.group(2)).lower())
                )
                n_in_section += 1
                continue
            if text.startswith(BULLET):
                out.passages.append(Passage(section, text[2:].strip()))
                n_in_section += 1
                continue
            if text.endswith(":") and len(text) < 80:
                continue  # an introduction to the list that follows ("That:", "The Cabinet agreed:")
            if _continues(section, text, n_in_section):
                out.passages.append(Passage(section, text))
                n_in_section += 1
                continue
            section = "narrative"
        if text.startswith(BULLET):
            out.passages.append(Passage("bullet", text[2:].strip()))
        else:
            out.passages.append(Passage("narrative", text))
            led = _LEADS_INTO.search(text) if text.rstrip()[-1:] in _INTRODUCING else None
            if led:
                # "The recommendations were carried, and it was RESOLVED:" introduces the decisions
                section, n_in_section = led.group(1).lower().replace("resolved", "resolution"), 0
                section = "recommendation" if section.startswith("recommend") else section
    out.passages = _dedupe(out.passages)
    return out


def _dedupe(passages: list[Passage]) -> list[Passage]:
    """ModernGov prints a decision twice (under "Decision:" and in the minute): keep it once."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for p in passages:
        key = (p.kind, " ".join(p.text.split()))
        if key in seen and p.kind != "narrative":
            continue
        seen.add(key)
        kept.append(p)
    return kept


#: "33/2005 The Cabinet recommended ...": a minute's number before its header
_MINUTE_NUMBER = re.compile(r"^(?:\d{1,4}/\d{2,4}|\d{1,4}[.)])\s+(?=[A-Z])")
#: "... recommended to Council on 3 March 2005:": the day of a decision before the colon
_ON_DAY = re.compile(r"\s+(?:on|at (?:its|the) meeting (?:on|held on))\s+\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}(?=\s*[:\-–]\s*$)")


#: The last character of a line that introduces what follows ("... on 3 March 2005:")
_INTRODUCING = (":", "-", "–")


def _match_header(text: str) -> tuple[str, str] | None:
    if text[:1].isdigit():
        text = _MINUTE_NUMBER.sub("", text, count=1)
    if text.rstrip()[-1:] in _INTRODUCING:
        text = _ON_DAY.sub("", text, count=1)
    for pattern, kind in _HEADERS:
        m = pattern.match(text)
        if m:
            return kind, m.group(1).strip()
    return None


def _strip_that_colon(text: str) -> str:
    return re.sub(r"^that\s*:\s*", "", text, flags=re.I).strip() or text


def _looks_like_purpose(text: str) -> bool:
    return bool(
        re.match(
            r"^(to (receive|consider|note|approve|endorse|provide|agree|review|present|update|"
            r"scrutinise|adopt|seek|set|accept|discuss|inform|recommend|determine|appoint|"
            r"be updated|be informed)\b|the purpose of this (report|item)|this report)",
            text,
            re.I,
        )
    )


def _mark(out: ItemBody, marker: str) -> None:
    if marker not in out.markers:
        out.markers.append(marker)
