"""The find stage for minutes: which items answer a question, and which of their passages to quote.

Candidates come from the store (FTS5, with the body, council and date filters first); this module
scores them without SQL. Every question word weighs by its rarity in the index; a passage scores
by the share of that weight it covers, plus a bonus when it states a meeting fact the question
asks for ("who sent apologies": a passage about apologies). An item scores by its best passage and
its title. ``coverage`` (the share of the question's weight that the title and the chosen
passages hold between them) is what decides "found": one stray word is never an answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from knowledge.models import ParsedItem, Passage
from knowledge.text import fold, split_sentences

__all__ = ["Finding", "Term", "make_terms", "rank_items", "term_weight"]

_WORD = re.compile(r"[a-z0-9£][a-z0-9&£/]*")
#: Passages that open a minute's account, and how many of them answer for a title that alone matches.
_OPENING = ("narrative", "bullet", "purpose")
_OPENING_PASSAGES = 3
#: A heading-like passage ("Apologies for absence") brings the passage after it along.
_SHORT = 70
_CARRIED = re.compile(r"\b(?:carried|unanimous\w*|recorded vote|nem\.? con|lost|defeated)\b", re.I)


@dataclass(frozen=True)
class Term:
    """One question word: how it is matched (stems, and expansions of several words) and its weight."""

    word: str
    stems: frozenset[str]
    phrases: tuple[tuple[str, ...], ...] = ()  # expansions of several words, each a tuple of stems
    weight: float = 1.0


@dataclass
class Finding:
    """An item that answers, the passages to quote (indices, in page order) and why."""

    item_id: int
    item: ParsedItem
    score: float
    coverage: float
    chosen: list[int] = field(default_factory=list)
    facts: bool = False  # a chosen passage states a fact the question asked for
    priority: list[int] = field(default_factory=list)  # the chosen passages, most telling first


def term_weight(documents: int, containing: int) -> float:
    """The weight of a word found in ``containing`` of ``documents`` items: rare words count most."""
    return math.log(1.0 + (documents + 1) / (containing + 0.5))


def make_terms(
    words: Sequence[str],
    weights: Mapping[str, float],
    stem: Callable[[str], str],
    expand: Callable[[str], Sequence[str]] = lambda w: (),
) -> list[Term]:
    """Terms for the question's content words, with their weights and expansions."""
    out = []
    for w in words:
        stems = {stem(w)}
        phrases = []
        for e in expand(w):
            parts = tuple(stem(x) for x in _WORD.findall(fold(e)) if len(x) > 2 or x.isdigit())
            if len(parts) == 1:
                stems.add(parts[0])
            elif parts:
                phrases.append(parts)
        out.append(Term(w, frozenset(stems), tuple(phrases), weights.get(w, 1.0)))
    return out


@dataclass(frozen=True)
class _Words:
    """A text's stems, and its words as written (folded) for spotting a typo in the question."""

    stems: frozenset[str]
    words: frozenset[str]


#: "re-wording", "co-operate", "pre-application": also read whole, as a question may spell them
_HYPHENATED = re.compile(r"\b(?:re|co|pre|non|sub|post|de|mid|multi|inter|over|under|cross)-[a-z]+")


@lru_cache(maxsize=32768)
def _words_of(text: str) -> frozenset[str]:
    folded = fold(text)
    return frozenset(_WORD.findall(folded)) | {w.replace("-", "") for w in _HYPHENATED.findall(folded)}


@lru_cache(maxsize=16384)
def _stems_of(text: str, stem: Callable[[str], str], probe: frozenset[str] | None = None) -> _Words:
    """A text's words and stems; with ``probe``, only the words that begin like a question's words
    (their first two letters): the rest can match no term, and stemming them is most of the cost."""
    words = _words_of(text)
    if probe is not None:
        words = frozenset(w for w in words if w[:2] in probe)
    return _Words(frozenset(stem(w) for w in words), words)


def _forms(terms: Sequence[Term]) -> set[str]:
    """Every form a term may take in a text: the word typed, its stems, its expansions' stems."""
    return {t.word for t in terms} | {s for t in terms for s in t.stems} | {s for t in terms for ph in t.phrases for s in ph}


def _screens(terms: Sequence[Term]) -> tuple[str, ...]:
    """Short pieces one of which any text a term can match holds (the first four letters of each
    form): a text holding none is passed over without reading its words."""
    return tuple(sorted({f[:4] for f in _forms(terms) if f}))


def _may_hold(text: str, screens: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(s in low for s in screens)


def _probe(terms: Sequence[Term]) -> frozenset[str]:
    """The first two letters of every form a term may take."""
    return frozenset(f[:2] for f in _forms(terms) if f)


@dataclass(frozen=True)
class _Near:
    """What a term matches loosely among the candidates' words: stems it begins, words spelled like it."""

    prefixed: frozenset[str] = frozenset()
    spelled: frozenset[str] = frozenset()


def _near(terms: Sequence[Term], stems: set[str], words: set[str]) -> dict[str, _Near]:
    """Each term's loose matches among the candidates' stems and words, found once (not per passage)."""
    out = {}
    pool = list(words)
    for t in terms:
        prefixed = frozenset(w for s in t.stems if len(s) >= 4 for w in stems if w.startswith(s))
        spelled: frozenset[str] = frozenset()
        if len(t.word) >= 5 and pool:
            close = process.extract(t.word, pool, scorer=fuzz.ratio, score_cutoff=85, limit=None)
            spelled = frozenset(w for w, _, _ in close if abs(len(w) - len(t.word)) <= 2 and w[:1] == t.word[:1])
        out[t.word] = _Near(prefixed, spelled)
    # under "": every stem and word any term may match, to pass over passages that hold none at once
    loose = set().union(*(t.stems for t in terms), *(n.prefixed for n in out.values()))
    loose |= {p for t in terms for phrase in t.phrases for p in phrase}
    out[""] = _Near(frozenset(loose), frozenset(w for n in out.values() for w in n.spelled))
    return out


def _match(term: Term, text: _Words, near: _Near | None = None) -> float:
    """How well a text (its stems) holds a term: 1 exact or by expansion, less for a prefix or a typo."""
    stems, words = text.stems, text.words
    if term.stems & stems:
        return 1.0
    for phrase in term.phrases:
        if all(p in stems for p in phrase):
            return 1.0
    if near is not None:
        if near.prefixed & stems:
            return 0.8
        return 0.7 if near.spelled & words else 0.0
    for s in term.stems:
        if len(s) >= 4 and any(w.startswith(s) for w in stems):
            return 0.8
    if len(term.word) >= 5 and words:
        # a typo in the question ("recrutment", "safeguardng"): the word as written, spelled closely
        w = term.word
        if any(abs(len(x) - len(w)) <= 2 and x[:1] == w[:1] and fuzz.ratio(w, x) >= 85 for x in words):
            return 0.7
    return 0.0


def _heading_like(text: str) -> bool:
    """A short line that introduces what follows ("Apologies for absence"), not a field or a sentence."""
    return len(text) < _SHORT and ":" not in text and not text.rstrip().endswith((".", ";", ","))


def cue_bonus(pattern: re.Pattern[str] | None, text: str) -> float:
    """A small bonus for a passage that uses the words of what is asked (raised, resolved ...)."""
    return 0.15 if pattern is not None and pattern.search(text) else 0.0


@dataclass
class _Scored:
    index: int
    score: float
    covered: dict[str, float]
    fact: bool


def _score_passage(
    p: Passage, title: str, terms: Sequence[Term], total: float, facts: Callable[[str, str], bool],
    near: dict[str, _Near], words: _Words | None,
) -> _Scored:  # fmt: skip
    """A passage's score, given its words (None: it holds no form of a question word)."""
    covered: dict[str, float] = {}
    if words is not None:
        hints = near.get("")
        if hints is None or hints.prefixed & words.stems or hints.spelled & words.words:
            covered = {t.word: t.weight * m for t in terms if (m := _match(t, words, near.get(t.word)))}
    share = sum(covered.values()) / total if total else 0.0
    fact = facts(p.text, title)
    return _Scored(-1, share + (0.6 if fact else 0.0), covered, fact)


def rank_items(
    candidates: Sequence[tuple[int, ParsedItem]],
    terms: Sequence[Term],
    *,
    stem: Callable[[str], str],
    facts: Callable[[str, str], bool] = lambda text, title: False,
    decides: Callable[[Passage], bool] | None = None,
    wants_facts: bool = False,
    cue: re.Pattern[str] | None = None,
) -> list[Finding]:
    """Score each candidate item and choose its passages; best first.

    ``decides`` says whether a passage is what the question asks for (a resolution, say); ``facts`` whether
    a passage (read under its item's title) states a fact the question asks for (apologies, a venue).
    """
    total = sum(t.weight for t in terms)
    out: list[Finding] = []
    all_stems: set[str] = set()
    all_words: set[str] = set()
    probe, screens = _probe(terms), _screens(terms)

    def whole(text: str) -> _Words:
        """A text's words; only those of a text that may hold a question word go to the loose matches."""
        found = _stems_of(text, stem, probe)
        if _may_hold(text, screens):
            all_stems.update(found.stems)
            all_words.update(found.words)
        return found

    def read(text: str) -> _Words | None:
        """A passage's words, or None when it holds no form of a question word (read once a passage)."""
        if not _may_hold(text, screens):
            return None
        found = _stems_of(text, stem, probe)
        all_stems.update(found.stems)
        all_words.update(found.words)
        return found

    read_items = []
    for _, item in candidates:  # each text read once, for the loose matches and then for the scores
        title = whole(item.title or "")
        meta = whole(f"{item.body or ''} {item.council or ''}")
        read_items.append((title, meta, [read(p.text) for p in item.passages]))
    near = _near(terms, all_stems, all_words)
    for (item_id, item), (title_words, meta_words, passage_words) in zip(candidates, read_items, strict=True):
        in_title = {t.word: t.weight * m for t in terms if (m := _match(t, title_words, near.get(t.word)))}
        title_share = sum(in_title.values()) / total if total else 0.0
        decided_here = [decides(p) for p in item.passages] if decides is not None else [False] * len(item.passages)
        scored = []
        for n, p in enumerate(item.passages):
            s = _score_passage(p, item.title or "", terms, total, facts, near, passage_words[n])
            s.index = n
            if p.kind == "detail" and not s.fact:
                s.score *= 0.5  # "Venue: Town House" answers where, seldom what about housing
            if decided_here[n]:
                s.score += 0.25
            if s.score > 0:
                s.score += cue_bonus(cue, p.text)
            scored.append(s)
        if not scored:
            continue
        chosen = _choose(item.passages, scored, bool(terms), wants_facts)
        if not chosen and terms and title_share >= 0.99 and not wants_facts:
            # the title holds every word and no passage repeats them: the minute is about the topic
            # throughout, so its opening passages say what was discussed
            chosen = [n for n, p in enumerate(item.passages) if p.kind in _OPENING][:_OPENING_PASSAGES]
        if decides is not None and (chosen or title_share >= 0.5):
            # an item that answers "what did they resolve": all of its resolutions, in order
            decided = {n for n, d in enumerate(decided_here) if d}
            # and how each was carried: "CARRIED unanimously", "Upon a recorded vote"
            decided |= {m for n in decided for m in (n - 1, n + 1)
                        if 0 <= m < len(item.passages) and _CARRIED.search(item.passages[m].text)}  # fmt: skip
            chosen = sorted(set(chosen) | decided)
        # the body and council are fields of every passage: "eastmoor licensing PDS apologies"
        covered: dict[str, float] = {t.word: t.weight * m for t in terms if (m := _match(t, meta_words, near.get(t.word)))}
        for w, v in in_title.items():
            covered[w] = max(covered.get(w, 0.0), v)
        for s in scored:
            if s.index in chosen:
                for w, v in s.covered.items():
                    covered[w] = max(covered.get(w, 0.0), v)
        coverage = sum(covered.values()) / total if total else 1.0
        best = max((s.score for s in scored if s.index in chosen), default=0.0)
        fact = any(s.fact for s in scored if s.index in chosen)
        score = best + 0.5 * title_share + 0.5 * coverage
        by_index = {s.index: s.score + (1.0 if decided_here[s.index] else 0.0)
                    + (1.0 if wants_facts and s.fact else 0.0) for s in scored}  # fmt: skip
        for i in chosen:  # a list's entries rank with the line that introduces it
            if i > 0 and item.passages[i].kind == "bullet" and by_index.get(i, 0) < by_index.get(i - 1, 0):
                by_index[i] = by_index[i - 1] * 0.95
        priority = sorted(chosen, key=lambda i: (-by_index.get(i, 0.0), i))
        out.append(Finding(item_id, item, score, coverage, sorted(chosen), fact, priority))
    # near-equal answers: the newest meeting first
    out.sort(key=lambda f: (-round(f.score, 1), -(f.item.meeting_date.toordinal() if f.item.meeting_date else 0), -f.score))
    return out


def _choose(passages: Sequence[Passage], scored: Sequence[_Scored], has_terms: bool, wants_facts: bool) -> list[int]:
    """The passages worth quoting: those close to the best, and the passage after a matching heading."""
    best = max(s.score for s in scored)
    if best <= 0:
        return []
    floor = max(best * 0.5, 0.15)
    facts = [s.index for s in scored if s.fact]
    if wants_facts and facts:
        # the facts asked for, and what else matches the topic best
        others = sorted((s for s in scored if not s.fact and s.score >= floor), key=lambda s: -s.score)
        keep = facts[:14] + ([s.index for s in others[:2]] if has_terms else [])
    else:
        keep = [s.index for s in scored if s.score >= floor]
    out = set(keep[:14] if wants_facts else keep[:6])
    for i in list(out):
        if _heading_like(passages[i].text) and i + 1 < len(passages):
            out.add(i + 1)  # "Apologies for absence" then who sent them
        if passages[i].text.rstrip().endswith((":", ":-", ":–")):
            # "Members raised these concerns:" brings its list, which rarely repeats the words
            j = i + 1
            while j < len(passages) and j <= i + 8 and passages[j].kind in ("bullet", passages[i].kind):
                out.add(j)
                j += 1
    return sorted(out)


def quote_text(
    p: Passage, terms: Sequence[Term], stem: Callable[[str], str], limit: int = 420,
    prefer: Callable[[str], bool] | None = None,
) -> str:  # fmt: skip
    """A passage as quoted: whole when short, else its sentences that match (verbatim, in order).

    ``prefer`` picks out sentences that state what was asked (who seconded) before the rest.
    """
    if len(p.text) <= limit or not (terms or prefer):
        return p.text
    sentences = split_sentences(p.text)
    total = sum(t.weight for t in terms) or 1.0
    probe = _probe(terms)
    scored = [(sum(t.weight * _match(t, _stems_of(s, stem, probe)) for t in terms) / total
               + (1.0 if prefer is not None and prefer(s) else 0.0), i) for i, s in enumerate(sentences)]  # fmt: skip
    top = sorted(scored, reverse=True)
    keep: list[int] = []
    size = 0
    for score, i in top:
        if score <= 0 and keep:
            break
        if size + len(sentences[i]) > limit and keep:
            break
        keep.append(i)
        size += len(sentences[i]) + 1
    out = ""
    last = -2
    for i in sorted(keep):
        out += (" " if i == last + 1 else " … ") + sentences[i] if out else sentences[i]
        last = i
    return out
