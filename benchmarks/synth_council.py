"""A deterministic synthetic council: whole-meeting "Agenda and minutes" pages in the ModernGov shape.

Everything is drawn from one seeded ``random.Random``, so a seed and a size always give the same pages.
The text is word salad with a Zipf-like word distribution (function words and council words at the top,
invented words in the long tail) plus per-item themes, so that some words are in most items and some in
a handful, as in real minutes. The layout is the real one: numbered items, a purpose line, ``Minutes:``,
paragraphs, ``·`` bullets, ``RESOLVED:`` with ``(a)`` lists, ``RECOMMENDATIONS:`` and ``ACTIONS AGREED:``.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from synth_words import (
    BANNED,
    COMMON_WORDS,
    EXCLUSION,
    FUNCTION_WORDS,
    MID_WORDS,
    MONTHS,
    NAMES,
    OPENERS,
    RARE_PHRASES,
    ROLES,
    SYLLABLES,
    THEMES,
    VENUES,
)

__all__ = ["COUNCIL", "BODIES", "Meeting", "plan_meetings", "render_meeting", "write_council"]

COUNCIL = "Benchbridge Borough Council"
FIRST_DAY = date(2010, 1, 4)
LAST_DAY = date(2026, 11, 20)


@dataclass(frozen=True)
class Body:
    name: str
    weight: float  # share of the meetings
    decisions: tuple[tuple[str, float], ...]  # (kind, probability an item records it)
    themes: tuple[str, ...]  # themes it mostly considers
    time: str


BODIES: tuple[Body, ...] = (
    Body("Cabinet", 14, (("resolution", 0.85),), ("budget", "send", "ofsted", "housing", "highways", "waste"), "2.30 pm"),
    Body("Council", 6, (("resolution", 0.9),), ("budget", "council tax", "governance", "housing"), "10.00 am"),
    Body("Children and Young People Scrutiny Committee", 10,
         (("recommendation", 0.55), ("action", 0.35), ("resolution", 0.2)),
         ("send", "ofsted", "placements", "recruitment", "caseloads"), "10.00 am"),
    Body("Adults and Wellbeing Scrutiny Committee", 8,
         (("recommendation", 0.5), ("action", 0.3), ("resolution", 0.2)),
         ("home care", "recruitment", "public health", "budget"), "2.00 pm"),
    Body("Environment and Sustainability Scrutiny Committee", 6,
         (("recommendation", 0.5), ("action", 0.3), ("resolution", 0.2)),
         ("highways", "waste", "climate", "planning"), "2.00 pm"),
    Body("Scrutiny Management Board", 6,
         (("recommendation", 0.5), ("resolution", 0.4)), ("budget", "governance", "recruitment"), "10.30 am"),
    Body("Children's Services Improvement Board", 8,
         (("action", 0.7), ("resolution", 0.25)), ("ofsted", "recruitment", "caseloads", "placements", "send"),
         "9.30 am"),
    Body("Health and Wellbeing Board", 5, (("resolution", 0.6), ("action", 0.3)), ("public health", "home care"),
         "2.00 pm"),
    Body("Planning and Regulatory Committee", 16, (("resolution", 0.95),), ("planning", "housing"), "10.00 am"),
    Body("Audit and Governance Committee", 6, (("resolution", 0.7), ("recommendation", 0.3)),
         ("treasury", "risk", "governance"), "2.00 pm"),
    Body("Corporate Parenting Panel", 4, (("recommendation", 0.5), ("action", 0.4)),
         ("placements", "send", "caseloads"), "4.00 pm"),
)  # fmt: skip

# --- vocabulary ---------------------------------------------------------------------------------


def _pseudo_words(rng: random.Random, n: int, taken: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if w not in taken and len(w) >= 4:
            taken.add(w)
            out.append(w)
    return out


class Vocabulary:
    """About 4,000 words ranked by frequency (Zipf, s = 1.05)."""

    def __init__(self, seed: int, size: int = 4000) -> None:
        rng = random.Random(seed * 7 + 1)
        ranked: list[tuple[float, str]] = [(i * 0.6, w) for i, w in enumerate(FUNCTION_WORDS)]
        ranked += [(8 + i * 1.6, w) for i, w in enumerate(COMMON_WORDS)]
        ranked += [(120 + i * 2.5, w) for i, w in enumerate(dict.fromkeys(MID_WORDS))]
        taken = {w for _, w in ranked} | BANNED | {"zeppelins", "xylophone", "quantum", "computing", "send"}
        tail = _pseudo_words(rng, size - len(ranked), taken)
        ranked += [(700 + i, w) for i, w in enumerate(tail)]
        self.words = [w for _, w in sorted(ranked)]
        self.cum = list(accumulate(1.0 / (r + 1) ** 1.05 for r in range(len(self.words))))

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum, k=k)


# --- meetings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meeting:
    body: Body
    day: date
    first_number: int
    n_items: int


def plan_meetings(n_items: int, seed: int) -> list[Meeting]:
    """Meetings (8-12 items each, the last cut short) adding up to exactly ``n_items``, in date order."""
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    cum = list(accumulate(b.weight for b in BODIES))
    slots: set[tuple[str, date]] = set()
    planned: list[tuple[date, Body, int]] = []
    total = 0
    while total < n_items:
        body = BODIES[bisect.bisect(cum, rng.random() * cum[-1])]
        day = FIRST_DAY + timedelta(days=rng.randrange(span))
        day -= timedelta(days=max(0, day.weekday() - 3))  # Monday to Thursday
        if (body.name, day) in slots:
            continue
        slots.add((body.name, day))
        k = min(rng.randint(8, 12), n_items - total)
        planned.append((day, body, k))
        total += k
    planned.sort(key=lambda t: (t[0], t[1].name))
    numbers: dict[tuple[str, int], int] = {}
    meetings = []
    for day, body, k in planned:
        municipal_year = day.year if day.month >= 5 else day.year - 1  # numbering restarts in May
        first = numbers.get((body.name, municipal_year), 1)
        numbers[(body.name, municipal_year)] = first + k
        meetings.append(Meeting(body, day, first, k))
    return meetings


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _long_day(d: date) -> str:
    return f"{d.strftime('%A')}, {_ordinal(d.day)} {MONTHS[d.month - 1]}, {d.year}"


class _Writer:
    """Sentences and item texts for one meeting."""

    def __init__(self, rng: random.Random, vocab: Vocabulary, theme: str) -> None:
        self.rng, self.vocab, self.theme = rng, vocab, theme

    def words(self, lo: int, hi: int) -> str:
        rng = self.rng
        ws = self.vocab.draw(rng, rng.randint(lo, hi))
        keys = THEMES[self.theme][1]
        for _ in range(max(1, len(ws) // 9)):
            ws[rng.randrange(len(ws))] = rng.choice(keys)
        if rng.random() < 0.15:
            ws.insert(
                rng.randrange(len(ws)), rng.choice(("£1.5 million", "12 months", "23%", "£340,000", "2,150"))
            )
        return " ".join(ws)

    def sentence(self, lo: int = 8, hi: int = 22, opener: float = 0.6) -> str:
        rng = self.rng
        body = self.words(lo, hi)
        if rng.random() < opener:
            head = rng.choice(OPENERS).format(role=rng.choice(ROLES), name=rng.choice(NAMES))
            return f"{head} {body}."
        return f"{body[0].upper()}{body[1:]}."

    def paragraph(self, lo: int = 2, hi: int = 4) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def decision(self, verb: str, last: bool) -> str:
        key = self.rng.choice(THEMES[self.theme][1])
        return f"the {key} {self.words(5, 14)} be {verb}" + ("." if last else ";")


def _procedural(rng: random.Random, title: str, previous: date) -> list[str]:
    if title.startswith("Apologies"):
        a, b = rng.sample(NAMES, 2)
        return [f"Apologies for absence were received from Councillors {a} and {b}."]
    if title.startswith("Declarations"):
        if rng.random() < 0.7:
            return ["No declarations of interest were made."]
        return [
            f"Councillor {rng.choice(NAMES)} declared an other registrable interest as a school governor."
        ]
    return [
        "RESOLVED: That the minutes of the meeting held on "
        f"{previous.day} {MONTHS[previous.month - 1]} {previous.year} be confirmed as a correct record and be "
        "signed by the Chair."
    ]


def _substantive(w: _Writer, body: Body) -> list[str]:
    rng = w.rng
    out = [f"To {rng.choice(('receive', 'consider', 'review', 'note'))} {w.words(6, 16)}.", "Minutes:"]
    out += [w.paragraph(2, 5) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.6:
        out.append("During discussion the following principal points were noted:")
        out += ["· " + w.sentence(10, 30, opener=0.3) for _ in range(rng.randint(2, 6))]
    if rng.random() < 0.02:
        out.append(f"Members also discussed {rng.choice(RARE_PHRASES)} and {w.words(4, 10)}.")
    for kind, p in body.decisions:
        if rng.random() >= p:
            continue
        n = rng.randint(1, 4)
        if kind == "resolution":
            style = rng.random()
            if n == 1 and style < 0.5:
                out.append("RESOLVED: That " + w.decision("noted", True))
                continue
            out.append("RESOLVED:" if style < 0.7 else "It was resolved that:")
            verbs = ("approved", "noted", "endorsed", "delegated to the Director")
            fmt = "({})" if style < 0.7 else "{})"
            out += [fmt.format("abcd"[i]) + " " + w.decision(rng.choice(verbs), i == n - 1) for i in range(n)]
        elif kind == "recommendation":
            out.append("RECOMMENDATIONS:")
            out += [
                f"{'abcd'[i]}) That the Cabinet {w.words(6, 18)}" + ("." if i == n - 1 else ";")
                for i in range(n)
            ]
        else:
            out.append("ACTIONS AGREED:")
            out += [f"{i + 1}. The {rng.choice(ROLES)} to {w.words(6, 16)}." for i in range(n)]
    if rng.random() < 0.25:
        out.append(w.paragraph(1, 2))
    return out


def render_meeting(m: Meeting, vocab: Vocabulary, rng: random.Random) -> str:
    """The text of one meeting's "Agenda and minutes" page."""
    head = [
        "Agenda and minutes",
        f"{m.body.name} - {_long_day(m.day)} {m.body.time}",
        f"Venue: {rng.choice(VENUES)}",
        f"Contact: {rng.choice(NAMES)} Smith, Democratic Services Officer",
        "Items",
    ]
    lines = list(head)
    procedural = ["Apologies for absence", "Declarations of interest", "Minutes of the previous meeting"]
    previous = m.day - timedelta(days=rng.randint(21, 70))
    exclusion = m.n_items - 2 if m.n_items >= 6 and rng.random() < 0.03 else -1
    for i in range(m.n_items):
        number = m.first_number + i
        if i < len(procedural) and m.n_items > 4:
            title, text = procedural[i], _procedural(rng, procedural[i], previous)
        elif i == exclusion:
            title, text = "Exclusion of the press and public", [EXCLUSION]
        else:
            theme = rng.choice(m.body.themes) if rng.random() < 0.75 else rng.choice(list(THEMES))
            w = _Writer(rng, vocab, theme)
            title = rng.choice(THEMES[theme][0])
            if rng.random() < 0.3:
                title += f" - {rng.choice(('Progress Update', 'Quarter 2', 'Annual Report', 'Outcome'))}"
            text = _substantive(w, m.body)
            if exclusion >= 0 and i > exclusion:
                title += " (exempt)"
        if rng.random() < 0.25:
            title += f" pdf icon PDF {rng.randint(90, 900)} KB"
        if rng.random() < 0.85:
            lines += [f"{number}.", title]
        else:
            lines.append(f"{number}. {title}")
        lines += text
    return "\n\n".join(lines) + "\n"


def iter_pages(n_items: int, seed: int) -> Iterator[tuple[Meeting, str]]:
    """Each planned meeting with its page text, deterministically."""
    vocab = Vocabulary(seed)
    for n, m in enumerate(plan_meetings(n_items, seed)):
        yield m, render_meeting(m, vocab, random.Random(seed * 1_000_003 + n))


def write_council(folder: Path, n_items: int, seed: int) -> tuple[int, int, int]:
    """Write the pages under ``folder`` (100 a sub-folder); returns (files, items, bytes)."""
    files = items = size = 0
    for n, (m, text) in enumerate(iter_pages(n_items, seed)):
        sub = folder / f"{n // 100:04d}"
        if n % 100 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        slug = "".join(ch for ch in m.body.name.lower().replace(" ", "-") if ch.isalnum() or ch == "-")
        data = text.encode("utf-8")
        (sub / f"{m.day.isoformat()}_{slug}.txt").write_bytes(data)
        files, items, size = files + 1, items + m.n_items, size + len(data)
    return files, items, size
