"""Read the dates councillors type ("Dec 22", "since March 2023", "2022/23") as inclusive ranges.

A small grammar of our own: regular expressions over the question (UK day-first), with each
phrase resolved against a `today` that is always passed in. Ambiguous phrases carry a note
saying how they were read, so the answer can tell the user.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from knowledge.models import DateRange, UserError

__all__ = ["date_phrases", "find_date_range", "mentions_day", "parse_cli_date", "read_day", "strip_date"]

_FLAGS = re.IGNORECASE | re.ASCII
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
#: Month words that are also everyday English ("may we see", "march on", "Jan said").
_WEAK_MONTHS = {"may", "mar", "march", "jan"}
#: Words after which a weak month word without a year is read as a month.
_MONTH_CUES = set("in since before after until till from between during of on to early mid late the".split())
#: Words that make a following number a label, not a date ("item 2021", "appendix 12/2022").
_LABELS = set(
    "item items action actions minute appendix annex page pages para paragraph section ref reference no"
    " number rec recommendation decision motion question clause table figure schedule version room".split()
)
_NUMBER_WORDS = {
    w: i for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)
}
#: Prepositions left dangling once a date phrase is removed from a question.
_DANGLING = re.compile(
    r"(?:\b(?:in|on|during|since|between|from|of|for|at|over|within|around|about|by)\s+)?"
    r"(?:\bthe\s+)?(?:\b(?:early|mid|late)[-\s]*)?$",
    _FLAGS,
)

_Y4 = r"(?:199[0-9]|20[0-9]{2})(?![0-9])"
_YY = r"'?[0-9]{2}(?![0-9])"
_MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])(?:\.(?=\s*[0-9]))?"
)
_WD = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_DAY = r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?(?![0-9a-z])"
_DAY_FORMS = [
    rf"(?P<y>{_Y4})-(?P<m>[0-9]{{1,2}})-(?P<d>[0-9]{{1,2}})(?![0-9])",
    rf"(?P<d>[0-9]{{1,2}})(?P<sep>[/.-])(?P<m>[0-9]{{1,2}})(?P=sep)(?P<y>{_Y4}|[0-9]{{2}}(?![0-9]))",
    rf"{_WD}{_DAY}\s+(?:of\s+)?(?P<mon>{_MON}),?\s+(?P<y>{_Y4}|{_YY})",
    rf"{_WD}(?P<mon>{_MON})\s+{_DAY},?\s+(?P<y>{_Y4})",
]
_POINT_FORMS = [
    *_DAY_FORMS[:2],
    rf"(?P<y>{_Y4})[/-](?P<y2>[0-9]{{2}}(?![0-9])|{_Y4})",
    rf"(?P<y>{_Y4})-(?P<m>0[1-9]|1[0-2])(?![0-9])",
    rf"(?P<m>0?[1-9]|1[0-2])/(?P<y>{_Y4})",
    rf"q(?P<q>[1-4])(?:\s+of)?,?\s*(?P<y>{_Y4})",
    rf"(?P<y>{_Y4})\s*q(?P<q>[1-4])(?![0-9a-z])",
    rf"{_WD}{_DAY}\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<y>{_Y4}|{_YY}))?",
    _DAY_FORMS[3],
    rf"(?P<mon>{_MON}),?\s+(?:of\s+)?(?P<y>{_Y4}|{_YY})",
    rf"(?P<mon>{_MON})",
    rf"(?P<y>{_Y4})",
]
_POINT_RXS = [re.compile(f, _FLAGS) for f in _POINT_FORMS]


def _anonymous(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern).replace("(?P=sep)", "[/.-]")


_POINT = "(?:" + "|".join(_anonymous(f) for f in _POINT_FORMS) + ")"
_START = r"(?<![\w£$€#@/.])(?<![0-9][,:-])"
_END = r"(?![\w%]|[.,:/-][0-9])"
_UNITS = r"(?P<unit>day|week|month|year)s?"
_UNITS_N = r"(?P<units>day|week|month|year)s?"
_COUNT = r"(?P<n>[0-9]{1,3}|" + "|".join(_NUMBER_WORDS) + ")"
#: (kind, pattern), in the order that breaks ties between phrases with the same span.
_PATTERNS = [
    ("point", rf"{_START}(?P<a>{_POINT}){_END}"),
    (
        "range",
        rf"{_START}(?:(?P<kw>between|from)\s+)?(?P<a>{_POINT})"
        rf"(?:\s+(?P<sep>and|to|until|till|through)\s+|\s*-\s*)(?P<b>{_POINT}){_END}",
    ),
    (
        "open",
        rf"\b(?P<kw>since|after|before|until|till|up\s+to|up\s+until|prior\s+to|by|as\s+of"
        rf"|starting(?:\s+(?:from|in))?)\s+(?P<a>{_POINT}){_END}",
    ),
    ("open", rf"{_START}(?:(?P<kw>from)\s+)?(?P<a>{_POINT})\s+(?:onwards?|and\s+after|or\s+later)\b"),
    (
        "relative",
        rf"\b(?:(?P<which>this|current|last|previous|past)\s+{_UNITS}"
        rf"|(?:last|past|previous)\s+{_COUNT}\s+{_UNITS_N}"
        r"|(?P<word>today|yesterday|recently|lately))\b",
    ),
]
_SCANNERS = [(kind, re.compile(p, _FLAGS)) for kind, p in _PATTERNS]


@dataclass(frozen=True)
class _Point:
    """One date expression before resolution: any of its fields may be missing."""

    y: int | None = None
    m: int | None = None
    d: int | None = None
    q: int | None = None
    why: str = ""  # "muni", "quarter", "short" (a two-digit year after a month name)
    weak: bool = False  # a weak month word ("may") with no year
    numeric: bool = False  # starts with a digit, so a preceding label makes it a number


def _read_point(text: str) -> _Point | None:
    for rx in _POINT_RXS:
        m = rx.fullmatch(text)
        if m is None:
            continue
        g = {k: v for k, v in m.groupdict().items() if v is not None}
        raw = g.get("y", "").lstrip("'")
        year = None if not raw else int(raw) if len(raw) == 4 else 2000 + int(raw)
        why = "short" if len(raw) == 2 and "mon" in g and "d" not in g else ""
        if "y2" in g:
            nxt = int(g["y2"])
            if year is None or nxt != (year + 1 if nxt > 99 else (year + 1) % 100):
                continue
            why = "muni"
        word = g.get("mon", "").lower().rstrip(".")
        month = int(g["m"]) if "m" in g else _MONTHS[word[:3]] if word else None
        return _Point(
            y=year,
            m=month,
            d=int(g["d"]) if "d" in g else None,
            q=int(g["q"]) if "q" in g else None,
            why=why or ("quarter" if "q" in g else ""),
            weak=word in _WEAK_MONTHS and year is None,
            numeric=text[:1].isdigit(),
        )
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _bounds(p: _Point) -> tuple[date, date]:
    y = p.y if p.y is not None else 0
    if p.why == "muni":
        return date(y, 5, 1), date(y + 1, 4, 30)
    if p.q:
        return date(y, 3 * p.q - 2, 1), _month_end(y, 3 * p.q)
    if p.m is not None and p.d is not None:
        return date(y, p.m, p.d), date(y, p.m, p.d)
    if p.m is not None:
        return date(y, p.m, 1), _month_end(y, p.m)
    return date(y, 1, 1), date(y, 12, 31)


def _assume_year(p: _Point, today: date) -> _Point:
    """The most recent such month or day on or before today."""
    for year in range(today.year, today.year - 9, -1):
        try:
            if _bounds(replace(p, y=year))[0] <= today:
                return replace(p, y=year, why="assumed")
        except ValueError:
            continue  # 29 February in a year that has none
    raise ValueError(f"no year for {p}")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _words(start: date | None, end: date | None) -> str:
    if start and end:
        if start == end:
            return _fmt(start)
        if start.day == 1 and end == _month_end(end.year, end.month):
            if (start.year, start.month) == (end.year, end.month):
                return f"{end:%B %Y}"
            first = f"{start:%B}" if start.year == end.year else f"{start:%B %Y}"
            return f"{first} to {end:%B %Y}"
        return f"{_fmt(start)} to {_fmt(end)}"
    if start:
        return f"{_fmt(start)} onwards"
    return f"up to {_fmt(end)}" if end else "any date"


def _note(text: str, start: date | None, end: date | None, why: str) -> str:
    words = _words(start, end)
    if why == "muni":
        return (
            f"I read '{text}' as the municipal year, {_fmt(start)} to {_fmt(end)}."
            if start and end
            else f"I read '{text}' as {words}, taking the municipal year to run from 1 May to 30 April."
        )
    if why == "quarter":
        return f"I read '{text}' as the calendar quarter {words}."
    if why == "assumed":
        return f"I read '{text}' as {words}: no year was given, so I took the most recent."
    if why == "recent":
        return f"I read '{text}' as the last three months, {words}."
    return f"I read '{text}' as {words}." if why else ""


def _prev_word(text: str, index: int) -> str:
    m = re.search(r"([a-z]+)[^a-z0-9]*$", text[max(0, index - 40) : index], _FLAGS)
    return m.group(1).lower() if m else ""


def _weak_ok(p: _Point, cue: str) -> bool:
    return not p.weak or (cue in _MONTH_CUES and not (cue == "the" and p.m == 3))


def _resolve_point(m: re.Match[str], text: str, today: date) -> tuple[date, date, str] | None:
    p = _read_point(m.group("a"))
    prev = _prev_word(text, m.start())
    if p is None or not _weak_ok(p, prev) or (p.numeric and prev in _LABELS):
        return None
    if p.y is None:
        p = _assume_year(p, today)
    start, end = _bounds(p)
    return start, end, p.why


def _resolve_range(m: re.Match[str], text: str, today: date) -> tuple[date, date, str] | None:
    kw, sep = (m.group("kw") or "").lower(), (m.group("sep") or "-").lower()
    a, b = _read_point(m.group("a")), _read_point(m.group("b"))
    if a is None or b is None or (sep == "and" and kw != "between") or (kw == "between" and sep == "to"):
        return None
    if (a.weak and b.weak and not kw) or (not kw and a.numeric and _prev_word(text, m.start()) in _LABELS):
        return None
    why = ""
    if a.y is None and b.y is None:
        b = _assume_year(b, today)
        why = "assumed"
    if b.y is None:
        b = replace(b, y=a.y)
        if _bounds(b)[1] < _bounds(a)[0]:
            b = replace(b, y=(a.y or 0) + 1)
    if a.y is None:
        a = replace(a, y=b.y)
        if _bounds(a)[0] > _bounds(b)[1]:
            a = replace(a, y=(b.y or 0) - 1)
    (s1, e1), (s2, e2) = _bounds(a), _bounds(b)
    start, end = (s1, e2) if s1 <= e2 else (s2, e1)
    return start, end, why or a.why or b.why


def _resolve_open(m: re.Match[str], text: str, today: date) -> tuple[date | None, date | None, str] | None:
    kw = re.sub(r"\s+", " ", (m.group("kw") or "since").lower())
    p = _read_point(m.group("a"))
    if p is None or (p.weak and kw in ("by", "as of", "prior to")):
        return None
    if p.y is None:
        p = _assume_year(p, today)
    start, end = _bounds(p)
    if kw == "after":
        return end + timedelta(days=1), None, p.why
    if kw in ("before", "prior to"):
        return None, start - timedelta(days=1), p.why
    if kw in ("until", "till", "up to", "up until", "by"):
        return None, end, p.why
    return start, None, p.why


def _resolve_relative(m: re.Match[str], today: date) -> tuple[date, date, str]:
    word, which, unit = (m.group(g) and m.group(g).lower() for g in ("word", "which", "unit"))
    unit = unit or (m.group("units") or "").lower()
    if word in ("today", "yesterday"):
        day = today - timedelta(days=word == "yesterday")
        return day, day, ""
    if word:
        return _add_months(today, -3), today, "recent"
    if which in ("this", "current", "last", "previous"):
        back = which in ("last", "previous")
        if unit == "day":
            day = today - timedelta(days=back)
            return day, day, ""
        if unit == "week":
            monday = today - timedelta(days=today.weekday() + 7 * back)
            return monday, monday + timedelta(days=6), ""
        if unit == "month":
            first = _add_months(today.replace(day=1), -back)
            return first, _month_end(first.year, first.month), ""
        year = today.year - back
        return date(year, 1, 1), date(year, 12, 31), ""
    raw = (m.group("n") or "1").lower()
    n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    if unit in ("day", "week"):
        return today - timedelta(days=n * (7 if unit == "week" else 1)), today, ""
    return _add_months(today, -n * (12 if unit == "year" else 1)), today, ""


def _readings(question: str, today: date) -> Iterator[tuple[int, int, DateRange]]:
    """Every phrase in the question that reads as a date: (start, end, range), first first."""
    text = question.translate(str.maketrans("\u2013\u2014\u2212\u00a0\u2009\u202f", "---   "))
    found = sorted(
        (
            (m.start(), m.end(), rank, kind, m)
            for rank, (kind, rx) in enumerate(_SCANNERS)
            for m in rx.finditer(text)
        ),
        key=lambda f: (f[0], f[0] - f[1], f[2]),
    )
    for start, end, _rank, kind, m in found:
        got: tuple[date | None, date | None, str] | None
        try:
            if kind == "point":
                got = _resolve_point(m, text, today)
            elif kind == "range":
                got = _resolve_range(m, text, today)
            elif kind == "open":
                got = _resolve_open(m, text, today)
            else:
                got = _resolve_relative(m, today)
        except (ValueError, OverflowError):
            got = None  # 31/02/2022, or a phrase that runs off the calendar
        if got is not None:
            phrase = question[start:end]
            yield start, end, DateRange(got[0], got[1], phrase, _note(phrase, got[0], got[1], got[2]),
                                        year_assumed=got[2] == "assumed")


def date_phrases(question: str, today: date) -> list[tuple[int, int, DateRange]]:
    """Every date phrase in a question, with where it stands: (start, end, range), in order."""
    return sorted(_readings(question, today), key=lambda t: (t[0], -t[1]))


def mentions_day(text: str, day: date) -> bool:
    """Does a minute's text name this day ("3 March 2021", "3rd March", "03/03/2021")?"""
    month = day.strftime("%B")
    pattern = (rf"\b{day.day}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{month}|{month[:3]})\b|"
               rf"\b0?{day.day}[/.]0?{day.month}[/.](?:{day.year}|{day.year % 100:02d})\b")  # fmt: skip
    return re.search(pattern, text, re.I) is not None


def find_date_range(question: str, today: date) -> DateRange | None:
    """The date range a chat question asks about, read day-first, or None if it names no date."""
    best: tuple[int, int, DateRange] | None = None
    for start, end, rng in _readings(question, today):
        if best is not None and start >= best[1]:
            break  # past the first phrase and everything overlapping it
        if best is None or end - start > best[1] - best[0]:
            best = (start, end, rng)
    return best[2] if best else None


def strip_date(question: str, rng: DateRange) -> str:
    """The question without its date phrase and any preposition left dangling, spaces collapsed."""
    # Which words read as a date does not depend on the day, so any fixed day finds the span.
    spans = [(s, e) for s, e, r in _readings(question, date(2000, 1, 1)) if rng.text and r.text == rng.text]
    if not spans and rng.text and rng.text in question:
        index = question.index(rng.text)
        spans = [(index, index + len(rng.text))]
    if spans:
        start, end = spans[0]
        suffix = re.sub(r"^['\u2019]s\b", "", question[end:])
        question = _DANGLING.sub("", question[:start], count=1) + " " + suffix
    question = re.sub(r"\s+", " ", question)
    question = re.sub(r"\s+([?.!,;:])", r"\1", question)
    question = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", question)
    return question.strip(" ,;:")


_READ_DAY = re.compile(_START + "(?:" + "|".join(_anonymous(f) for f in _DAY_FORMS) + ")" + _END, _FLAGS)


def read_day(text: str) -> date | None:
    """The first formal date printed in the text ("Thursday, 15th December, 2022"), or None."""
    m = _READ_DAY.search(text)
    p = _read_point(m.group(0)) if m else None
    if p is None or p.y is None or p.m is None or p.d is None:
        return None
    try:
        return date(p.y, p.m, p.d)
    except ValueError:
        return None


def parse_cli_date(value: str) -> date:
    """A date given on the command line or in a manifest: YYYY-MM-DD, or DD/MM/YYYY."""
    text = value.strip()
    iso = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text, _FLAGS)
    uk = re.fullmatch(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", text, _FLAGS)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        pass
    raise UserError(f"I can't read {value!r} as a date. Use YYYY-MM-DD, for example 2022-12-15.")
