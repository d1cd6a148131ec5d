"""Understanding a question the way a councillor types it: body, council, dates, intent, topic."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from types import MappingProxyType

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from knowledge.answers.facts import FACT_WORDS, wanted_kinds
from knowledge.answers.lexicon import QUESTION_WORDS, STOP_WORDS, expand, initials, place_short_forms
from knowledge.dates import date_phrases, find_date_range, strip_date
from knowledge.models import DateRange
from knowledge.text import fold

__all__ = [
    "INTENTS",
    "BodyRef",
    "Question",
    "body_aliases",
    "detect_intent",
    "match_bodies",
    "topic_terms",
    "impossible_date",
    "understand",
]

#: What a question can ask for, and the passage kinds that answer it.
INTENTS = {
    "resolutions": ("resolution",),
    "recommendations": ("recommendation",),
    "actions": ("action",),
    "discussion": ("narrative", "bullet", "purpose"),
    "meeting": ("resolution", "recommendation", "action", "narrative", "bullet", "purpose"),
    "topic": ("resolution", "recommendation", "action", "narrative", "bullet", "purpose"),
}

_INTENT_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("actions", re.compile(r"\bwho (?:has|have|is|was|were) (?:to|going to)\b|\bundert(?:ake|ook|aken)\b|"
                           r"\b(?:he|she|they)(?:'d| would| will) (?:do|look into|follow)\b|"
                           r"\bactions? (were |was |have been |had been )?agreed\b|\bagreed actions?\b|\bactions agreed\b|"
                           r"\bactions? (did|has|have|had) .{0,40}\bagree")),
    ("recommendations", re.compile(r"\brecomm?end|\brecs?\b")),
    ("resolutions", re.compile(r"\bresol|\bdecid|\bdecision|\bagree|\bapprov|\bendors|\bvoted?\b|\bauthoris|\badopt|\bruled?\b")),
    ("discussion", re.compile(r"\bdiscuss|\bsaid\b|\bsay\b|\bconcern|\bmention|\btalk|\braised?\b|\bdebat|\bcomment|"
                              r"\bquer(y|ies|ied)\b|\bworr|\bquestion(ed|s)? (about|on)\b|\bwhat happened\b|\bnoted\b")),
    ("meeting", re.compile(r"^(when|which meetings?|what meetings?|what date|who)\b|\bwhen (did|was|were|is)\b|"
                           r"\bany meetings?\b|^(list|show)( me)?( all)?( the)? .*\bmeetings\b|\bmeetings? (in|on|during|since)\b|"
                           r"\bwhich meetings?\b|\bwhat date\b|\bwho (said|raised|chaired|introduced|attended)\b")),
]  # fmt: skip

_STOP = set(
    """a about above across after again all also am an and any are as asked at be been before being below between
    both but by can cabinet's could council's did do does doing done during each either else ever every few for from
    further get gets give go had has have having he her here hers him his how i if in into is it its itself just
    last let me more most my no nor not now of off on once only or other our ours out over own please same she
    should show so some such tell than that the their theirs them then there these they this those through to too
    under until up upon us very was we were what whats when where which while who whom whose why will with within
    would you your yours find list any anything everything something thing things happen happened happening
    meeting meetings minutes minute item items say said says mention mentioned mentions talk talked discuss discussed
    discussion discussions concern concerns concerned raise raised raising comment comments commented debate
    debated note noted resolve resolved resolution resolutions decide decided decision decisions agree agreed
    agreement approve approved approval endorse endorsed recommend recommended recommendation recommendations
    action actions date dates time latest recent recently regarding re around our we committee committees
    hi hello thanks thank know want wanted need see look looking summary summarise summarize
    meet met meets held hold holds sat sit next upcoming future previous forthcoming coming much many
    whats what's looked anyone anybody someone everyone somebody ever""".split()
)  # fmt: skip

_FINANCIAL_YEAR = re.compile(r"(19|20)\d\d\s*[/-]\s*\d{2}(\d{2})?")
_GENERIC_WORDS = {"committee", "board", "panel", "sub-committee", "subcommittee", "meeting", "group", "forum"}
_MINOR_WORDS = {"and", "of", "the", "for", "on", "in", "&"}
#: Kinds of scrutiny committee and the short forms members type for them.
_SCRUTINY_KINDS = {"policy development and scrutiny": ("pds",), "overview and scrutiny": ("o s", "osc", "o and s")}
#: Words that never begin or end a body's name in a question.
_EDGE_STOP = (_STOP | _MINOR_WORDS) - _GENERIC_WORDS - {"committees", "meetings"}
#: Words anyone may use for a kind of body, resolved against the bodies that exist.
_GENERIC_ALIASES: dict[str, tuple[str, ...]] = {
    "executive": ("cabinet", "executive"),
    "the executive": ("cabinet", "executive"),
    "full council": ("full council", "council"),
    "council meeting": ("full council", "council"),
    "scrutiny": ("scrutiny",),
    "scrutiny committee": ("scrutiny",),
    "the committee": ("scrutiny", "committee"),
    "board": ("board",),
    "the board": ("board",),
    "improvement board": ("improvement board",),
}


@dataclass(frozen=True)
class BodyRef:
    """A body the index knows, by council and name."""

    council: str
    name: str


@dataclass(frozen=True)
class Question:
    """What a question was understood to ask."""

    text: str
    intent: str
    bodies: tuple[BodyRef, ...] = ()  # one when resolved; several when the user must choose
    body_words: str = ""
    council: str | None = None
    dates: DateRange | None = None
    terms: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    wanted: frozenset[str] = frozenset()  # the meeting facts asked for (apologies, venue, call-in ...)
    minutes_of: DateRange | None = None  # "the meeting that approved the 24 May minutes": that earlier day
    bad_date: str = ""  # a date that cannot be ("31/02/2023", "13/2022"), said why
    next_agenda: bool = False  # "what is on the agenda for the next cabinet": the calendar's business
    one_meeting: str = ""  # "its first meeting" -> "first", "the last board meeting" -> "last"
    other_dates: tuple[DateRange, ...] = ()  # other dates the question names (a meeting's, say)

    @property
    def body(self) -> BodyRef | None:
        return self.bodies[0] if len(self.bodies) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.bodies) > 1

    @property
    def topic(self) -> str | None:
        return " ".join(self.terms) or None


def detect_intent(text: str) -> str:
    """The kind of answer a question wants: resolutions, recommendations, actions, discussion, meeting or topic.

    A misspelt word that asks ("decisons", "discusion", "resolutons") asks as if spelt right."""
    low = fold(text)
    for candidate in (low, _respelt(low)):
        for intent, pattern in _INTENT_RULES:
            if pattern.search(candidate):
                return intent
    return "topic"


#: Words that ask for a kind of answer, to read a misspelt one as (six letters or more).
_ASKING_WORDS = ("decision", "decisions", "decided", "resolved", "resolution", "resolutions", "recommended",
                 "recommendation", "recommendations", "discussed", "discussion", "concerns", "approved", "endorsed",
                 "agreed")  # fmt: skip


def _respelt(low: str) -> str:
    """The question with each word of six letters or more spelt like the asking word it is closest to."""
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        hit = process.extractOne(word, _ASKING_WORDS, scorer=fuzz.ratio, score_cutoff=85)
        return str(hit[0]) if hit else word

    return re.sub(r"[a-z]{6,}", fix, low)


@lru_cache(maxsize=4096)
def body_aliases(name: str) -> frozenset[str]:
    """Names people use for a body: its name, without 'Committee', initials such as 'CYP scrutiny'."""
    base = fold(name).replace("’", "'")
    words = re.findall(r"[a-z0-9']+", base)
    if words in (["council"], ["full", "council"], ["county", "council"]):
        # "the council" in a question means the authority, not its full meeting
        return frozenset({"full council", "council meeting", "meeting of council", "meeting of full council"})
    aliases = {" ".join(words)}
    core = [w for w in words if w not in _GENERIC_WORDS]
    if core and core != words:
        aliases.add(" ".join(core))
    # initials of the descriptive words before a keyword: "children and young people scrutiny" -> "cyp scrutiny"
    for i, w in enumerate(words):
        if w in {"scrutiny", "improvement", "overview", "select"} | _GENERIC_WORDS and i >= 2:
            lead = [x for x in words[:i] if x not in _MINOR_WORDS]
            if len(lead) >= 2:
                initials = "".join(x[0] for x in lead)
                rest = words[i:]
                aliases.add(" ".join([initials, *rest]))
                rest_core = [x for x in rest if x not in _GENERIC_WORDS]
                for short in (initials, lead[0], lead[-1], " ".join(lead)):
                    aliases.add(" ".join([short, *rest]))
                    if rest_core:
                        aliases.add(" ".join([short, *rest_core]))
                kind = [x for x in rest if x in _GENERIC_WORDS]
                if kind and rest_core:  # "the cyp committee": its initials and the kind of body it is
                    aliases |= {" ".join([initials, *kind]), " ".join([*lead, *kind])}
            break
    # a scrutiny committee by its kind's short form: "cef pds", "cyp o&s" (typed o&s reads as "o s")
    joined = " ".join(words)
    for phrase, shorts in _SCRUTINY_KINDS.items():
        at = joined.find(phrase)
        before = [x for x in joined[:at].split() if x not in _MINOR_WORDS] if at > 0 else []
        if before:
            letters = "".join(x[0] for x in before)
            aliases |= {f"{x} {short}" for short in shorts for x in (letters, before[0], before[-1], " ".join(before))}
    # a possessive form is typed without its apostrophe
    aliases |= {a.replace("'s", "s").replace("'", "") for a in aliases}
    return frozenset(a for a in aliases if a)


def _ngrams(tokens: Sequence[str], max_n: int = 7) -> Iterable[tuple[int, int, str]]:
    for n in range(min(max_n, len(tokens)), 0, -1):
        for i in range(len(tokens) - n + 1):
            yield i, i + n, " ".join(tokens[i : i + n])


@lru_cache(maxsize=16)
def _alias_table(bodies: tuple[BodyRef, ...]) -> Mapping[str, frozenset[BodyRef]]:
    """Every name a question may use for the bodies, and the bodies each names (built once a body list)."""
    table: dict[str, set[BodyRef]] = {}
    for b in bodies:
        for alias in body_aliases(b.name):
            table.setdefault(alias, set()).add(b)
    for alias, needles in _GENERIC_ALIASES.items():
        hits = {b for b in bodies if any(nd in fold(b.name) for nd in needles)}
        if hits and alias not in table:
            table[alias] = hits
    return MappingProxyType({alias: frozenset(found) for alias, found in table.items()})  # shared: read only


def match_bodies(text: str, bodies: Sequence[BodyRef]) -> tuple[tuple[BodyRef, ...], str]:
    """The bodies a question names (several if it is ambiguous) and the words that named them."""
    if not bodies:
        return (), ""
    tokens = re.findall(r"[a-z0-9']+", fold(text).replace("’", "'"))
    table = _alias_table(tuple(bodies))
    names = list(table)
    best: tuple[float, int, int, str] | None = None
    for start, end, gram in _ngrams(tokens):
        if len(gram) < 3 or gram in _STOP or tokens[start] in _EDGE_STOP or tokens[end - 1] in _EDGE_STOP:
            continue
        cutoff = 100 if len(gram) <= 4 else 84
        hit = process.extractOne(
            gram, names, scorer=fuzz.ratio, processor=default_process, score_cutoff=cutoff
        )
        if not hit:
            continue
        alias, score, _ = hit
        if not _words_align(gram, alias):
            continue
        # prefer the body named right after "at" ("what did the chair say at cabinet"), then the
        # longest stretch of the question, then the closest spelling
        after_at = start > 0 and tokens[start - 1] in {"at", "before"}
        rank = after_at * 10_000 + (end - start) * 100 + score
        if best is None or rank > best[0]:
            best = (rank, start, end, alias)
    if best is None:
        return (), ""
    _, start, end, alias = best
    found = tuple(sorted(table[alias], key=lambda b: (b.council, b.name)))
    return found, " ".join(tokens[start:end])


def _words_align(gram: str, alias: str) -> bool:
    """Every word of a multi-word match is spelled like its counterpart: 'improvement plan' is no board."""
    a, b = gram.split(), alias.split()
    if len(a) != len(b):
        return fuzz.ratio(gram, alias) >= 90
    return all(fuzz.ratio(x, y) >= 70 for x, y in zip(a, b, strict=True))


#: Verbs that only carry a fact question ("who sent apologies", "where did they meet").
_FACT_VERBS = {"sent", "gave", "give", "given", "made", "make", "take", "took", "taken", "put", "come", "came",
               "meet", "met", "held", "attend", "attended", "left", "arrive", "arrived", "happen", "anyone"}  # fmt: skip
_APPROVING = {"approved", "agreed", "confirmed", "signed", "accepted", "approving", "confirming"}
#: Words that carry no topic in a member's question.
_FILLER = {"per", "via", "etc", "info", "information", "extra", "anything", "stuff", "bit", "cllr", "cllrs"}
#: The words members use to ask for each meeting fact; in a fact question they are not its topic.
_SHAPING_LONG = sorted(w for w in QUESTION_WORDS | {"decision", "decisions", "resolution", "resolutions"} if len(w) >= 7)


def _topic_only(terms: tuple[str, ...], wanted: frozenset[str], text: str) -> tuple[str, ...]:
    """The words that say what a question is about: not its shaping words, typed right or not
    ("recomendations", "resolvd"), not the words that ask for a fact it wants, not date debris."""
    asking = _fact_words(text, wanted) if wanted else set()
    if re.search(r"\b(?:take|took|taken|taking|takes) place\b", fold(text)):
        asking |= {"take", "took", "taken", "taking", "takes", "place"}  # "did it take place"
    if re.search(r"\bhow (?:long|much time)\b", fold(text)):
        asking |= {"long", "much", "time"}  # "how long can the public speak": a length of time is asked
    out = []
    for t in terms:
        bare = t.replace("'", "").replace("’", "")
        if bare in QUESTION_WORDS or bare in STOP_WORDS or re.fullmatch(r"[\d/.]+", t):
            continue
        if len(bare) <= 2 and not bare.isdigit() and not expand(bare):
            continue  # "2j" left by a terminal escape, a stray initial
        if len(t) >= 6 and process.extractOne(t, _SHAPING_LONG, scorer=fuzz.ratio, score_cutoff=85):
            continue
        if t in asking or bare in _FILLER or re.fullmatch(r"(?:he|she|they|we|i|you|it)['’](?:d|ll|s|ve|re)", t):
            continue  # "what did the leader say he'd do"
        if wanted and (t in _FACT_VERBS or any(t in FACT_WORDS.get(k, ()) for k in wanted)):
            continue
        out.append(t)
    return tuple(out)


def _fact_words(text: str, wanted: frozenset[str]) -> set[str]:
    """The words a question needs to ask for a wanted fact: in "subject to call in", each of them;
    in "options take effect", not "options" (the phrase asks without it)."""
    tokens = re.findall(r"[a-z0-9'&-]+", fold(text))[:60]
    out: set[str] = set()
    for lo in range(len(tokens)):
        for hi in range(lo + 1, min(len(tokens), lo + 5) + 1):
            window = tokens[lo:hi]
            if not wanted_kinds(" ".join(window)) & wanted:
                continue
            for i, w in enumerate(window):
                if not wanted_kinds(" ".join(window[:i] + window[i + 1 :])) & wanted:
                    out.add(w)
            break  # the shortest window from here is enough
    return out


#: The most content words of one question that are searched for.
MAX_TERMS = 24


def topic_terms(text: str, remove: Iterable[str] = ()) -> tuple[str, ...]:
    """The content words of a question, without stop words, body names or dates."""
    low = fold(text)
    for phrase in remove:
        if phrase:
            low = re.sub(rf"\b{re.escape(phrase)}\b", " ", low)
    words = re.findall(r"[a-z0-9£$][a-z0-9'’.\-£$]*[a-z0-9]|[a-z0-9]", low)
    out = []
    for w in words:
        w = w.strip("'’.-").replace("'s", "")
        if w and w not in _STOP and not w.isdigit() and w not in out:
            out.append(w)
            if len(out) == MAX_TERMS:
                break  # a question is a few words; a pasted document is not searched word by word
    return tuple(out)


#: "what is on the agenda for the next cabinet": the calendar knows the next meeting; no minutes do.
_NEXT_AGENDA = re.compile(r"\b(?:agenda|coming up|on the table)\b.*\b(?:next|upcoming|forthcoming)\b|"
                          r"\b(?:next|upcoming|forthcoming)\b.*\bagenda\b", re.I)  # fmt: skip
#: "its first meeting", "the last board meeting": one meeting of a body, whatever its date.
_ONE_MEETING = re.compile(r"\b(first|earliest|last|latest|most recent|previous)\s+(?:[\w'’]+\s+){0,4}?meeting\b", re.I)
_ONE_MEETING_WORDS = {"first", "earliest", "latest", "recent", "previous"}


def understand(
    text: str,
    bodies: Sequence[BodyRef],
    *,
    today: date,
    councils: Sequence[str] = (),
) -> Question:
    """Read a question into intent, bodies, council, date range and topic words."""
    notes: list[str] = []
    bad_date = impossible_date(text)
    minutes_of, text_for_dates = _minutes_date(text, today)
    dates = find_date_range(text_for_dates, today)
    year_label = ""
    if (
        dates
        and _FINANCIAL_YEAR.fullmatch(dates.text.strip())
        and not re.search(
            rf"\b(in|during|over|throughout|municipal year)\s+(the\s+)?{re.escape(dates.text.strip())}",
            text,
            re.I,
        )
    ):
        # "the budget for 2023/24" names a financial year; it is what to look for, not when the meeting was
        year_label, dates = dates.text.strip(), None
    rest = strip_date(text_for_dates, dates) if dates else text_for_dates
    if dates and dates.note:
        notes.append(dates.note)
    council = None
    if len(councils) > 1:
        council, council_words = _match_council(rest, councils)
        if council:
            rest = re.sub(re.escape(council_words), " ", fold(rest))
            bodies = [b for b in bodies if b.council == council]
    found, body_words = match_bodies(rest, bodies)
    intent = detect_intent(text)
    remove = [body_words] if body_words else []
    terms = topic_terms(rest.replace(year_label, " ") if year_label else rest, remove)
    if body_words:  # "children, education, libraries and safeguarding cttee": its words, however punctuated
        named = set(body_words.split())
        terms = tuple(t for t in terms if t not in named)
    wanted = wanted_kinds(text)
    if re.search(r"\bthe call[- ]?in (?:of|on|into|about)\b", fold(text)):
        wanted -= {"call_in"}  # "in the call-in of the parking decision": what the call-in was about, not a fact
    if minutes_of and len(wanted) > 1 and re.search(r"\b(?:that|which|where|when)\s+(?:approved|agreed|confirmed|signed|accepted)\b", fold(text)):
        wanted -= {"minutes_approved"}  # "the meeting that approved the May minutes" names the meeting
    terms = _topic_only(terms, wanted, text)
    if minutes_of:  # "the meeting that confirmed the 3 March minutes": those words name the meeting
        terms = tuple(t for t in terms if t not in _APPROVING)
    if year_label:
        terms = (*terms, year_label)
    which = _ONE_MEETING.search(text) if not dates else None
    one_meeting = ""
    if which:
        one_meeting = "first" if which.group(1).lower() in ("first", "earliest") else "last"
        terms = tuple(t for t in terms if t not in _ONE_MEETING_WORDS)
    others = tuple(r for _, _, r in date_phrases(text, today) if dates and r.text != dates.text and (r.start or r.end))
    return Question(
        text=text,
        intent=intent,
        wanted=wanted,
        minutes_of=minutes_of,
        bad_date=bad_date,
        bodies=found,
        body_words=body_words,
        council=council,
        dates=dates,
        terms=terms,
        notes=tuple(notes),
        next_agenda=bool(_NEXT_AGENDA.search(text)) and not dates,
        one_meeting=one_meeting,
        other_dates=others,
    )


_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?![\d/])|(?<![\d/])(\d{1,2})/((?:19|20)\d\d)(?![\d/])")


def impossible_date(text: str) -> str:
    """Why a date typed in the question cannot be ("there is no month 13"), or "" when all can."""
    for m in _SLASHED.finditer(text):
        if m.group(4):
            month = int(m.group(4))
            if not 1 <= month <= 12:
                return f"“{m.group(0)}” is not a month I can read: there is no month {month}."
            continue
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if year < 100 else 0
        if not 1 <= month <= 12:
            return f"“{m.group(0)}” is not a date I can read: there is no month {month} (I read dates day first)."
        try:
            date(year, month, day)
        except ValueError:
            return f"“{m.group(0)}” is not a date: {date(year, month, 1):%B %Y} has no day {day}."
    return ""


_MINUTES_AFTER = re.compile(r"^\s*(?:['’]s\s+)?(?:meeting\s+)?minutes\b", re.I)
_MINUTES_BEFORE = re.compile(r"\bminutes\s+(?:of|from|for)\s+(?:the\s+)?(?:\w+\s+)?(?:meeting\s+)?(?:held\s+)?(?:on\s+)?$", re.I)


def _minutes_date(text: str, today: date) -> tuple[DateRange | None, str]:
    """A date that names earlier minutes ("the meeting that approved the 3 march 2021 minutes"), not
    the meeting asked about, and the question without it for reading the meeting's own date."""
    for start, end, rng in date_phrases(text, today):
        if rng.start != rng.end:
            continue
        if _MINUTES_AFTER.match(text[end : end + 30]) or _MINUTES_BEFORE.search(text[max(0, start - 60) : start]):
            return rng, f"{text[:start]} {text[end:]}"
    return None, text


def _match_council(text: str, councils: Sequence[str]) -> tuple[str | None, str]:
    generic = {"council", "borough", "county", "district", "city", "metropolitan", "of", "the", "and"}
    tokens = [re.sub(r"'s$", "", t) for t in re.findall(r"[a-z0-9']+", fold(text))]  # "essex's"
    keyed = {}
    for c in councils:
        core = " ".join(w for w in re.findall(r"[a-z0-9']+", fold(c)) if w not in generic)
        if core:
            keyed[core] = c
        shorts = initials(c) | place_short_forms(c)
        shorts |= {"lb" + i for i in initials(c)}  # a London borough: "lb" and its initials
        shorts |= {w.lower() for w in re.findall(r"\b[A-Z]{2,6}\b", c)}  # an initialism the name itself gives: "ABC (Alderley, ...)"
        for short in shorts:
            if len(short) >= 3:
                keyed.setdefault(short, c)  # initialisms, "lb" forms, shortened shires ("wexcs")
    for _, _, gram in _ngrams(tokens, 4):
        if gram in _STOP:
            continue
        if len(gram) < 4:
            if gram in keyed and len(gram) == 3:
                return keyed[gram], gram  # an initialism typed exactly ("abc")
            continue
        hit = process.extractOne(
            gram, list(keyed), scorer=fuzz.ratio, processor=default_process, score_cutoff=85
        )
        if hit:
            return keyed[hit[0]], gram
    return None, ""
