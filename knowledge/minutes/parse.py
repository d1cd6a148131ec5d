"""Parsing ModernGov minutes pages (plain text or saved HTML) into items.

Layouts: "Issue - meetings", "Agenda item", "Agenda and minutes" (a whole meeting) and
decision pages. Each page becomes a :class:`ParsedDocument` of :class:`ParsedItem`; the
minute's own words are kept as written, only white space is normalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from knowledge.dates import read_day
from knowledge.minutes.exempt import apply_exclusions, is_exempt_title, is_restricted_marker
from knowledge.minutes.html import html_to_text, looks_like_html
from knowledge.minutes.items import parse_item_body
from knowledge.minutes.titled_items import split_by_titles
from knowledge.models import (
    MINUTES_CONFIRMED,
    MINUTES_DRAFT,
    RECORD_MARKERS,
    ParsedDocument,
    ParsedItem,
    Passage,
    UserError,
)
from knowledge.text import clean_title, normalise_lines

__all__ = ["PageMeta", "parse_page"]

LAYOUT_ISSUE = "issue"
LAYOUT_AGENDA_ITEM = "agenda_item"
LAYOUT_MEETING = "meeting"
LAYOUT_DECISION = "decision"

#: A whole meeting's page heading: "Agenda and minutes", "Agenda and draft minutes", "Minutes"
_MEETING_HEADING = re.compile(r"^(agenda,? )?(decisions? )?(and )?minutes$|^agenda and (draft )?minutes$", re.I)
_LAYOUT_MARKERS = [
    (re.compile(r"^issue\s*[-–]\s*meetings?$", re.I), LAYOUT_ISSUE),
    (re.compile(r"^agenda item$", re.I), LAYOUT_AGENDA_ITEM),
    (_MEETING_HEADING, LAYOUT_MEETING),
    (re.compile(r"^decision details$|^decision$", re.I), LAYOUT_DECISION),
]
_MEETING_LINE = re.compile(
    r"^meeting:\s*(\d{1,2}/\d{1,2}/\d{2,4})\s*[-–]\s*(.+?)\s*(?:\(\s*item\s+([0-9]+[a-z]?)\s*\))?\s*$", re.I
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MEETING_HEADER = re.compile(rf"^(.{{3,120}}?)\s+[-–]\s+({_WEEKDAY}\b.*\d{{4}}.*)$", re.I)
_TITLE_META = re.compile(
    rf"^(?:agenda|minutes|decisions?|agenda and minutes)\s+(?:for|of)\s+(.+?)\s+on\s+({_WEEKDAY}.*?\d{{4}})",
    re.I,
)
_FIELD = re.compile(r"^([A-Z][A-Za-z ?'/()-]{2,60}?):\s*(.*)$")
#: Item numbers as councils print them: "117.", "122a", "23/5", "CL75-24/25" (a number alone on its line).
_NUMBER_ONLY = re.compile(r"^((?:[A-Z]{1,4})?\d{1,4}(?:/\d{1,3})?(?:-\d{2}/\d{2})?[a-z]?)\.?$")
_NUMBERED = re.compile(r"^(\d{1,4}(?:/\d{1,3})?[a-z]?)[.)]?\s+(\S.*)$", re.I)
_TABLE_ROW = re.compile(r"^\|(.*)\|$")
_TO_FOLLOW = re.compile(r"minutes (are )?to follow|minutes (have )?not yet (been )?published", re.I)


@dataclass(frozen=True)
class PageMeta:
    """What the caller knows about a page that the page itself may not state."""

    council: str | None = None
    body: str | None = None
    meeting_date: date | None = None
    url: str | None = None


def parse_page(raw: str, meta: PageMeta | None = None, source: str = "") -> ParsedDocument:
    """Parse one page's text (or saved HTML) into items; raises UserError if it holds no minutes."""
    meta = meta or PageMeta()
    page_title = ""
    if looks_like_html(raw):
        page = html_to_text(raw)
        raw, page_title = page.text, page.title
    lines = _vote_rows(_untable(normalise_lines(raw)))
    if not lines:
        raise UserError("the page is empty")
    layout, start = _detect_layout(lines)
    lines = _without_footer(lines, start)
    title_body, title_date, title_council = _meta_from_title(page_title)
    council = title_council or meta.council
    if layout == LAYOUT_ISSUE:
        items = _parse_issue(lines[start:])
    elif layout == LAYOUT_DECISION:
        items = _parse_decision(lines[start:])
    elif layout == LAYOUT_MEETING:
        items = _parse_meeting(lines[start:])
    elif len(split_by_titles(lines[start:])) >= 3 and not _has_minutes_marks(lines[start:]):
        items = _parse_meeting(lines[start:])  # a meeting's page without its header: its items by their titles
    else:
        items = [_parse_single(lines[start:])]
    items = [it for it in items if it.title or it.passages]
    items = apply_exclusions(items, one_meeting=layout == LAYOUT_MEETING)
    if not items or not any(it.passages or it.markers for it in items):
        raise UserError("no minutes, decisions or agenda items were found in it")
    status = _minutes_status(lines[start - 1]) if layout == LAYOUT_MEETING and start else ""
    if any("minutes to follow" in it.markers for it in items):
        status = ""  # an agenda whose minutes are to follow: no minutes to be draft or confirmed
    for it in items:
        if status and not any(m in RECORD_MARKERS for m in it.markers):
            it.markers.append(status)
        it.council = it.council or council
        it.body = it.body or title_body or meta.body
        it.meeting_date = it.meeting_date or title_date or meta.meeting_date
        it.url = it.url or meta.url
    return ParsedDocument(layout=layout, items=items, source=source)


_VOTE_WORD = re.compile(r"^(for|against|abstain(?:ed)?|abstentions?|absent|not voting|total)\s*:?$", re.I)


def _vote_rows(lines: list[str]) -> list[str]:
    """A vote table read cell by cell ("For", "8", "Against", "0") as one line: "For: 8; Against: 0".

    Left apart, its numbers read as item numbers and its words as their titles.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        cells: list[str] = []
        j = i
        while j + 1 < len(lines) and _VOTE_WORD.match(lines[j]) and re.fullmatch(r"\d{1,3}", lines[j + 1].strip()):
            cells.append(f"{lines[j].strip().rstrip(':')}: {lines[j + 1].strip()}")
            j += 2
        if len(cells) >= 2:
            out.append("; ".join(cells))
            i = j
        else:
            out.append(lines[i])
            i += 1
    return out


_TABLE_DEBRIS = re.compile(r"^[|\-: ]+$")
_INLINE_MINUTES = re.compile(r"\s+(Minutes:)\s+")


def _untable(lines: list[str]) -> list[str]:
    """A page copied from ModernGov's table view: one row a line, "Title ... Minutes: text |"."""
    out: list[str] = []
    for line in lines:
        if _TABLE_DEBRIS.match(line):
            continue  # "|", "---|---|"
        if line.endswith("|") and not line.startswith("|"):
            line = line.rstrip("| ").strip()
        parts = _INLINE_MINUTES.split(line, maxsplit=1)
        if len(parts) == 3 and parts[0] and parts[2]:
            # "| | Minutes: |": the cells either side may be table debris alone
            out.extend(p for p in parts if not _TABLE_DEBRIS.match(p))
        elif line:
            out.append(line)
    return out


_FOOTER = re.compile(
    r"^(back to top|top of page|print this page|©|\(c\) |copyright\b|accessibility( statement)?$|cookies?( policy| settings)?$|"
    r"privacy( notice| policy)?$|contact us$|site ?map$|powered by modern\.?gov|follow us\b|terms (and|&) conditions$|"
    r"your council$|help and support$|about this site$)",
    re.I,
)


def _without_footer(lines: list[str], start: int) -> list[str]:
    """The page without the site's footer that a browser copies along with it."""
    for i in range(start, len(lines)):
        if len(lines[i].split()) <= 8 and _FOOTER.match(lines[i]):
            return lines[:i]
    return lines


def _minutes_status(heading: str) -> str:
    """Draft or confirmed, as a whole meeting's page heads its minutes: ModernGov says "Agenda and
    draft minutes" until they are approved, then "Agenda and minutes" (as the sync reads it too)."""
    low = heading.strip().lower()
    if not _MEETING_HEADING.match(low):
        return ""
    return MINUTES_DRAFT if "draft minutes" in low else MINUTES_CONFIRMED


def _detect_layout(lines: list[str]) -> tuple[str, int]:
    for i, line in enumerate(lines[:200]):  # a pasted page may start with the site's menus
        for pattern, layout in _LAYOUT_MARKERS:
            if pattern.match(line):
                return layout, i + 1
    if any(line.lower().startswith(("decision maker:", "date of decision:")) for line in lines[:80]):
        return LAYOUT_DECISION, 0
    if any(_MEETING_LINE.match(line) for line in lines[:40]):
        return LAYOUT_ISSUE, 0
    if any(_MEETING_HEADER.match(line) for line in lines[:10]):
        return LAYOUT_MEETING, 0
    return LAYOUT_AGENDA_ITEM, 0


def _meta_from_title(title: str) -> tuple[str | None, date | None, str | None]:
    if not title:
        return None, None, None
    body = day = council = None
    m = _TITLE_META.match(title)
    if m:
        body, day = m.group(1).strip(), read_day(m.group(2))
    tail = title.rsplit(" - ", 1)[-1].strip() if " - " in title else ""
    if re.search(r"\b(council|borough|county|district|city|authority)\b", tail, re.I) and len(tail) < 80:
        if not re.search(r"\b(modern\.?gov|committee)\b", tail, re.I):
            council = tail
    return body, day, council


# --- issue pages ------------------------------------------------------------------------------


def _parse_issue(lines: list[str]) -> list[ParsedItem]:
    issue_title = ""
    starts = [i for i, line in enumerate(lines) if _MEETING_LINE.match(line)]
    if not starts:
        return [_parse_single(lines)]
    if starts[0] > 0:
        issue_title = clean_title(lines[0])
    items = []
    for n, s in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        m = _MEETING_LINE.match(lines[s])
        assert m is not None
        block = lines[s + 1 : end]
        number = m.group(3)
        title = issue_title
        if block:
            head = _NUMBERED.match(block[0])
            if head and (number is None or head.group(1).lower() == number.lower()):
                number = number or head.group(1)
                title = clean_title(head.group(2)) or title
                block = block[1:]
            elif number and block[0].strip().rstrip(".") == number:
                block = block[1:]  # the number in a cell of its own, then the title
                if block:
                    title, block = clean_title(block[0]) or title, block[1:]
        item = _build_item(title, block)
        item.body = m.group(2).strip()
        item.meeting_date = read_day(m.group(1))
        item.item = number
        items.append(item)
    return items


# --- single agenda items ----------------------------------------------------------------------


def _parse_single(lines: list[str]) -> ParsedItem:
    if not lines:
        return ParsedItem(title="")
    title_line = lines[0]
    number = None
    head = _NUMBERED.match(title_line)
    if head and not head.group(2)[:1].islower():
        number, title_line = head.group(1), head.group(2)
    title, rest = clean_title(title_line), lines[1:]
    if len(title) > 90 and not _titlelike(title):
        # the page opens with its wording, not a title ("To receive the report ... with a view to ...")
        title, rest = _shortened(title), [title_line, *rest]
    item = _build_item(title, rest)
    item.item = number
    return item


def _build_item(title: str, block: list[str]) -> ParsedItem:
    body = parse_item_body(block)
    item = ParsedItem(title=title, passages=body.passages, markers=body.markers)
    if is_exempt_title(title) or any(is_restricted_marker(line) for line in block):
        item.restricted = True
    return item


# --- whole meetings ---------------------------------------------------------------------------


def _parse_meeting(lines: list[str]) -> list[ParsedItem]:
    body = day = None
    for line in lines[:12]:
        m = _MEETING_HEADER.match(line)
        if m:
            # "Moved from 14th June 2021, Cabinet - Monday, 7th June, 2021": the body is Cabinet
            body, day = _MOVED.sub("", m.group(1)).strip(), read_day(m.group(2))
            break
    lines = _unflatten_tables(lines)
    page_to_follow = any("minutes" in line.lower() and _TO_FOLLOW.search(line) for line in lines)
    heads = _find_headings(lines)
    items: list[ParsedItem] = []
    details = _meeting_details(lines[: heads[0][0]] if heads else _before_first_minute(lines))
    if details:
        items.append(details)
    if heads:
        for n, (idx, number, title, skip) in enumerate(heads):
            end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
            item = _build_item(title, lines[idx + skip : end])
            item.item = number
            items.append(item)
    elif titled := split_by_titles(lines) if not _has_minutes_marks(lines) else []:
        details = _meeting_details(lines[: titled[0][0]])
        items = [details] if details else []
        for n, (idx, title) in enumerate(titled):
            end = titled[n + 1][0] if n + 1 < len(titled) else len(lines)
            items.append(_build_item(title, lines[idx + 1 : end]))
    else:
        items.extend(_split_unnumbered(lines))
    for item in items:
        item.body, item.meeting_date = body, day
        if page_to_follow and not any(p.kind != "purpose" for p in item.passages):
            if "minutes to follow" not in item.markers:
                item.markers.append("minutes to follow")
    return items


_MOVED = re.compile(
    r"^(?:(?:moved|rescheduled|postponed|rearranged)\s+(?:from|to)\s+[^,]{3,40}|virtual|remote|hybrid|online),\s*", re.I
)
_NOT_DETAIL = re.compile(r"^(items?|no\.? items?|agenda( and (draft )?minutes)?|minutes|media|webcast.*|printed .*)$", re.I)


def _has_minutes_marks(lines: list[str]) -> bool:
    return any(line.lower().rstrip(":") == "minutes" for line in lines)


def _meeting_details(lines: list[str]) -> ParsedItem | None:
    """What a meeting page says before its first item (venue, contact, who attended), as an item."""
    kept = [ln for ln in lines if not _NOT_DETAIL.match(ln) and not _MEETING_HEADER.match(ln)]
    moved = [m.group(0).strip(" ,") for ln in lines if _MEETING_HEADER.match(ln) and (m := _MOVED.match(ln))]
    kept = moved + kept  # "Moved from 14th June 2021"
    if not kept:
        return None
    return ParsedItem(title="Meeting details", passages=[Passage("detail", ln) for ln in kept])


def _before_first_minute(lines: list[str]) -> list[str]:
    marks = [i for i, line in enumerate(lines) if line.lower().rstrip(":") == "minutes"]
    return lines[: max(0, marks[0] - 1)] if marks else []


def _unflatten_tables(lines: list[str]) -> list[str]:
    """Rows like '| 117. | Apologies |' become '117.' and 'Apologies' lines."""
    out: list[str] = []
    for line in lines:
        m = _TABLE_ROW.match(line)
        if not m:
            out.append(line)
            continue
        cells = [c.strip() for c in m.group(1).split("|")]
        cells = [c for c in cells if c]
        if [c.lower().rstrip(".") for c in cells] in (["no", "item"], ["item"], ["no"]):
            continue
        out.extend(cells)
    return out


def _number_key(number: str) -> tuple[int, ...]:
    """An item number's place in the agenda's order: "122a" after "122", "23/6" after "23/5"."""
    digits = [int(d) for d in re.findall(r"\d+", number)] or [0]
    letter = re.search(r"(?<=\d)([a-z])$", number.lower())
    return (*digits, ord(letter.group(1)) - 96 if letter else 0)


def _titlelike(text: str) -> bool:
    words = text.split()
    if len(words) > 18 and is_exempt_title(text) and len(words) <= 45 and not text.endswith("."):
        return True  # "NOT FOR PUBLICATION by virtue of paragraph 3 of Part 1 of Schedule 12A ... - Title"
    if not words or len(words) > 18 or not (text[0].isupper() or text[0].isdigit()):
        return False
    if text.endswith((";", ",", ":")) or words[0].lower() in {"that", "the", "to"} and len(words) > 8:
        return False
    return not re.match(r"^(that|resolved|it was)\b", text, re.I)


def _find_headings(lines: list[str]) -> list[tuple[int, str, str, int]]:
    """(line index, number, title, lines the heading takes) of each numbered item."""
    found: list[tuple[int, str, str, int, tuple[int, ...], int]] = []  # ..., key, list label before it
    prev_list_label = 0
    for i, line in enumerate(lines):
        m_only = _NUMBER_ONLY.match(line)
        m = _NUMBERED.match(line)
        if m_only and i + 1 < len(lines) and _titlelike(lines[i + 1]):
            number, title, skip = m_only.group(1), lines[i + 1], 2
        elif m and _titlelike(m.group(2)) and not line.rstrip().endswith("."):
            number, title, skip = m.group(1), m.group(2), 1
        else:
            lm = re.match(r"^\(?(\d{1,2})[.)]\s", line)
            prev_list_label = int(lm.group(1)) if lm else prev_list_label
            continue
        found.append((i, number, clean_title(title), skip, _number_key(number), prev_list_label))
    heads: list[tuple[int, str, str, int]] = []
    last: tuple[int, ...] | None = None
    for n, (i, number, title, skip, key, list_label) in enumerate(found):
        if last is not None and key <= last:
            continue
        if last is not None and key[0] == list_label + 1 and key[0] < last[0] + 1:
            continue
        if last is not None and key[0] > last[0] + 1 and any(k[0] == last[0] + 1 for *_, k, _ in found[n + 1 :]):
            continue  # "53 Disposal of ..." in a list of exempt reports, while item 42 is still to come
        heads.append((i, number, title, skip))
        last = key
    # A page whose only "headings" are a short list 1., 2., 3. has no numbered items.
    if len(heads) < 2:
        return []
    return heads


def _split_unnumbered(lines: list[str]) -> list[ParsedItem]:
    """Items without numbers: each 'Minutes:' line is preceded by its item's title (and purpose)."""
    marks = [i for i, line in enumerate(lines) if line.lower().rstrip(":") == "minutes"]
    if not marks:
        return [_parse_single(lines)]
    items: list[ParsedItem] = []
    bounds: list[tuple[int, int]] = []  # (title index, end of its minute)
    prev_end = 0
    for mark in marks:
        t = mark - 1
        for back in range(mark - 1, max(prev_end, mark - 4) - 1, -1):
            if _titlelike(lines[back]) and not lines[back].endswith("."):
                t = back
                break
        bounds.append((max(t, prev_end), mark))
        prev_end = mark + 1
    for n, (t, _mark) in enumerate(bounds):
        end = bounds[n + 1][0] if n + 1 < len(bounds) else len(lines)
        item = _build_item(clean_title(lines[t]), lines[t + 1 : end])
        items.append(item)
    return items


# --- decision pages ---------------------------------------------------------------------------

_DECISION_SECTIONS = {
    "purpose": "purpose",
    "decision": "decision",
    "reasons for the decision": "narrative",
    "reasons for decision": "narrative",
    "alternative options considered": "narrative",
    "alternative options considered and rejected": "narrative",
}


def _parse_decision(lines: list[str]) -> list[ParsedItem]:
    title = ""
    fields: dict[str, str] = {}
    details: list[str] = []
    asides: list[str] = []
    block: list[str] = []
    mode = "skip"
    for line in lines:
        fm = _FIELD.match(line)
        label = fm.group(1).strip().lower().rstrip("?") if fm else ""
        if fm and label in _DECISION_SECTIONS:
            mode = _DECISION_SECTIONS[label]
            rest = fm.group(2).strip()
            if mode == "decision":
                block.append("Decision: " + rest if rest else "Decision:")
            elif mode == "purpose":
                block.append("Purpose: " + rest if rest else "Purpose:")
            elif rest:
                block.append(rest)
            continue
        if fm and len(label) < 50 and (not block or mode == "skip" or _is_meta_field(label)):
            fields[label] = fm.group(2).strip()
            if fm.group(2).strip():
                details.append(line)  # "Is subject to call in?: No" is what members ask about
            mode = "skip"
            continue
        if mode == "skip":
            if _ASIDE.match(line):
                asides.append(line)  # "(Councillor X declared a personal interest ...)": said, not decided
                continue
            if not title and not fm and not block and not (fields and _LIST_ENTRY.match(line)):
                title = clean_title(line)
                if len(title) > 90 and not _titlelike(title):
                    # the page opens with its decision's wording, not a title: keep it whole as a passage
                    block.append("Purpose: " + title)
                    title = _shortened(title)
            elif not fm and title and not block and line[:1].islower() and not title.endswith((".", ":", ")")):
                title = f"{title} {line}"  # a title the page broke across two lines
            elif not fm:
                # a page that gives the decision without its "Decision:" label, right under the title
                block.extend([line] if block else ["Decision:", line])  # "(a) that ..." keeps its label
                mode = "decision"
            continue
        block.append(line)
    maker = fields.get("decision maker") or fields.get("decision-maker") or None
    # a page copied from below its title (it opens with its fields, then its decision): named by who decided
    item = _build_item(title or (f"Decision of {maker}" if maker else "Decision"), block)
    item.passages = [Passage("detail", d) for d in details] + [Passage("narrative", a) for a in asides] + item.passages
    item.body = maker
    item.meeting_date = read_day(fields.get("date of decision", "")) or read_day(fields.get("meeting", ""))
    if fields.get("effective from"):
        item.markers.append(f"effective from {fields['effective from']} (after the call-in period)")
    if fields.get("is subject to call in", "").lower().startswith("yes"):
        item.markers.append("subject to call-in")
    if fields.get("is key decision", "").lower().startswith("yes"):
        item.markers.append("key decision")
    return [item]


#: A list entry: "(a) that ...", "1. That ...", "ii) ..." (after a decision page's fields, the decision, not a title)
_LIST_ENTRY = re.compile(r"^(?:\((?:[a-z]{1,3}|\d{1,2})\)|(?:[a-z]{1,3}|\d{1,2})[.)])\s", re.I)
#: A line wholly in brackets: "(Councillor X declared an interest and left the meeting)."
_ASIDE = re.compile(r"^\((?![a-z]{1,3}\)|[ivx]+\)|\d+\)).*\)\.?$", re.I)


def _shortened(text: str, limit: int = 80) -> str:
    """A sentence cut at a word to serve as a title: 'To receive the report of the … Group …'."""
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;: ")
    return cut + "…"


def _is_meta_field(label: str) -> bool:
    return label.startswith(
        ("decision maker", "decision status", "is key", "is subject", "date of decision", "effective from",
         "publication date", "wards affected", "contact", "report author", "reason key", "lead officer",
         "notice of proposed", "accompanying", "interests", "meeting", "declarations")
    )  # fmt: skip
