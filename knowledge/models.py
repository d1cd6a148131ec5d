"""Plain dataclasses shared by the parser, the store and the answerer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from knowledge.text import day_words

__all__ = [
    "MINUTES_CONFIRMED",
    "MINUTES_DRAFT",
    "PASSAGE_KINDS",
    "RECORD_MARKERS",
    "Answer",
    "Citation",
    "quoted_citation",
    "DateRange",
    "Filters",
    "ParsedDocument",
    "ParsedItem",
    "Part",
    "Passage",
    "UserError",
    "minutes_status",
]

#: What a passage of an item can be. Resolutions, recommendations and actions are the
#: decisions of a meeting; the rest is what was said.
PASSAGE_KINDS = ("purpose", "narrative", "bullet", "resolution", "recommendation", "action")

#: Markers saying whether an item's minutes are still draft or were approved as a correct record.
MINUTES_DRAFT = "draft minutes"
MINUTES_CONFIRMED = "confirmed minutes"
#: Markers about the record rather than its words: stored, never searched ("decision": ModernGov's flag).
RECORD_MARKERS = frozenset({MINUTES_DRAFT, MINUTES_CONFIRMED, "decision"})


def minutes_status(markers: list[str] | tuple[str, ...]) -> str:
    """The status of an item's minutes as its markers say: draft, confirmed, or "" when not known."""
    if MINUTES_CONFIRMED in markers:
        return MINUTES_CONFIRMED
    return MINUTES_DRAFT if MINUTES_DRAFT in markers else ""


class UserError(Exception):
    """An expected problem with what a user gave (a bad date, an unknown file): shown politely."""


@dataclass(frozen=True)
class Passage:
    """One paragraph, bullet or list entry of an item, quoted as written."""

    kind: str
    text: str
    label: str = ""  # "a", "1", "(b)" for list entries


@dataclass
class ParsedItem:
    """One agenda item's minute as read from a page."""

    title: str
    council: str | None = None
    body: str | None = None
    meeting_date: date | None = None
    item: str | None = None
    passages: list[Passage] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)  # "minutes to follow", "truncated", ...
    url: str | None = None
    restricted: bool = False  # exempt (Part 2) material
    page_url: str | None = None  # the page it was read from, when not its own (a meeting's page)

    def texts(self, *kinds: str) -> list[str]:
        """The texts of this item's passages of the given kinds, in order."""
        return [p.text for p in self.passages if p.kind in kinds]


@dataclass
class ParsedDocument:
    """What the parser made of one file: its layout and its items."""

    layout: str
    items: list[ParsedItem]
    source: str = ""


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of days a question asks about, with the words it was read from."""

    start: date | None
    end: date | None
    text: str = ""
    note: str = ""  # e.g. "I read 'Dec 22' as December 2022."
    year_assumed: bool = False  # "18th August": the year is a guess (the most recent)

    def describe(self) -> str:
        """The range in words, for telling the user what was understood: 'December 2022', '2021'."""
        fmt = "%-d %B %Y"
        s, e = self.start, self.end
        if s and e:
            whole_months = s.day == 1 and (e + timedelta(days=1)).day == 1
            if s == e:
                return f"on {s.strftime(fmt)}"
            if whole_months and s.month == 1 and e.month == 12 and s.year == e.year:
                return f"in {s.year}"
            if whole_months and (s.year, s.month) == (e.year, e.month):
                return f"in {s.strftime('%B %Y')}"
            if whole_months:
                first = s.strftime("%B") if s.year == e.year else s.strftime("%B %Y")
                return f"from {first} to {e.strftime('%B %Y')}"
            return f"from {s.strftime(fmt)} to {e.strftime(fmt)}"
        if s:
            return f"since {s.strftime(fmt)}"
        if e:
            return f"up to {e.strftime(fmt)}"
        return "at any date"


@dataclass(frozen=True)
class Filters:
    """What a question was understood to ask for."""

    council: str | None = None
    body: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    topic: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {
            "council": self.council,
            "body": self.body,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "topic": self.topic,
        }


@dataclass(frozen=True)
class Citation:
    """Where a quote comes from: body, meeting date, item number, title and source."""

    council: str | None
    body: str | None
    meeting_date: date | None
    item: str | None
    title: str
    source: str
    quote: str = ""
    restricted: bool = False
    status: str = ""  # "draft minutes", "confirmed minutes", or "" when not known
    page: str = ""  # the meeting's page, when the source is the item's own page

    def source_lines(self) -> str:
        """The lines that say where to read it: 'Source: …', and 'Meeting page: …' when that differs."""
        lines = [f"Source: {self.source}"] if self.source else []
        if self.page and self.page != self.source:
            lines.append(f"Meeting page: {self.page}")
        return "\n".join(lines)

    def heading(self, with_council: bool = True) -> str:
        """The citation as an answer's block shows it: its label, then where to read it."""
        return "\n".join(t for t in (self.label(with_council), self.source_lines()) if t)

    def label(self, with_council: bool = True) -> str:
        """A one-line citation: 'Cabinet, 15 December 2022, item 181: Title (draft minutes)'."""
        when = day_words(self.meeting_date)
        council = self.council if with_council else None
        parts = [p for p in (council, self.body or "body not stated", when) if p]
        head = ", ".join(parts)
        item = f", item {self.item}" if self.item else ""
        status = f" ({self.status})" if self.status else ""
        return f"{head}{item}: {self.title}{status}"

    def as_json(self) -> dict[str, str | None]:
        return {
            "council": self.council,
            "body": self.body,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "item": self.item,
            "title": self.title,
            "source": self.source,
            "quote": self.quote,
            "status": self.status,
            "page": self.page,
        }


@dataclass(frozen=True)
class Part:
    """One block of an answer: the lines that cite it (label, source), then what it quotes or lists."""

    heading: str  # "Cabinet, 15 December 2022, item 181: Title\nSource: https://…"; "" when it cites nothing
    body: str  # the quotes and notes, never the citation lines
    citations: tuple[Citation, ...] = ()

    @property
    def text(self) -> str:
        """The block as plain text: its heading, then its body."""
        return "\n".join(t for t in (self.heading, self.body) if t)


@dataclass(frozen=True)
class Answer:
    """An extractive answer in three parts: a head (notes, summary), cited blocks and a tail.

    Transports render the parts their own way; :attr:`text` is the plain-text rendering.
    """

    question: str
    found: bool
    head: str  # everything before the blocks; the whole message when there are none
    intent: str
    filters: Filters
    citations: tuple[Citation, ...] = ()
    parts: tuple[Part, ...] = ()
    tail: str = ""  # after the blocks: "…and 3 more; `report` lists every action."

    @property
    def text(self) -> str:
        """The answer as plain text, as the terminal and `ask --json` show it."""
        return "\n\n".join(t for t in (self.head, *(p.text for p in self.parts), self.tail) if t).strip()

    def as_json(self) -> dict[str, object]:
        return {
            "question": self.question,
            "found": self.found,
            "answer": self.text,
            "intent": self.intent,
            "filters": self.filters.as_json(),
            "citations": [c.as_json() for c in self.citations],
        }


def quoted_citation(item: ParsedItem, lines: list[str] | tuple[str, ...]) -> Citation:
    """The citation of an item, quoting what its answer lines put between curly quotes."""
    quotes = [ln.strip() for ln in lines if "“" in ln]
    return Citation(
        council=item.council,
        body=item.body,
        meeting_date=item.meeting_date,
        item=item.item,
        title=item.title or "(untitled item)",
        source=item.url or "",
        quote="\n".join(q[q.index("“") + 1 : q.rindex("”")] for q in quotes),
        restricted=item.restricted,
        status=minutes_status(item.markers),
        page=item.page_url if item.page_url and item.page_url != item.url else "",
    )
