"""Text normalisation shared by the parser and the search: white space, bullets, quotes."""

from __future__ import annotations

import re
import threading
import unicodedata
from datetime import date
from functools import cache
from typing import Any

import snowballstemmer

__all__ = [
    "BULLET",
    "MAX_QUESTION_CHARS",
    "clean_text",
    "clean_title",
    "day_words",
    "fold",
    "normalise_lines",
    "snowball_stem",
    "split_sentences",
]

#: The longest question or chat text the bot reads (Slack's own limit on a message).
MAX_QUESTION_CHARS = 40_000

BULLET = "·"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_BULLET_START = re.compile(r"^(?:[·•▪●◦‣∙○■□]|-(?=\s)|\*(?=\s))\s*")
_DEBRIS = re.compile(
    r"\s*(?:pdf icon\s*)?\b(?:PDF|DOC|DOCX|XLSX?)\s*[\d.,]+\s*[KM]B\b\s*|\s*\(\s*Pages?\s*\d+\s*[-–]\s*\d+\s*\)\s*",
    re.I,
)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "′": "'"})


# C0 and C1 control characters other than tab, newline and carriage return; lone surrogates;
# the two non-characters U+FFFE and U+FFFF. None of them can be stored in XML (XLSX) or mean anything.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """User text made safe to store and to write anywhere: no control characters or lone surrogates."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE.sub("", text)


def normalise_lines(raw: str) -> list[str]:
    """Split a page into its non-empty lines, white space folded, bullets marked with '· '."""
    out: list[str] = []
    # the page's invisible characters and runs of spaces at once, not line by line (a third of parsing)
    raw = _SPACES.sub(" ", _INVISIBLE.sub("", raw.replace("\r\n", "\n").replace("\r", "\n")))
    for line in raw.split("\n"):
        line = line.strip()
        if not line:
            continue
        m = _BULLET_START.match(line)
        if m and len(line) > m.end():
            line = f"{BULLET} {line[m.end() :].strip()}"
        elif m:
            continue  # a bullet with nothing after it
        out.append(line)
    return out


def clean_title(title: str) -> str:
    """An item title without document debris such as 'pdf icon PDF 173 KB' or '(Pages 5 - 20)'."""
    title = _DEBRIS.sub(" ", title)
    return " ".join(title.split()).strip(" -–")


#: Letters that may carry an accent (Latin-1 and Latin Extended): only these are decomposed.
_ACCENTED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")


def fold(text: str) -> str:
    """Lower-case, straight quotes, no accents: for matching, never for quoting."""
    text = text.translate(_QUOTES)
    if text.isascii() or not _ACCENTED.search(text):  # "£" and dashes need no decomposing
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9'\"‘“(£])")


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, keeping each as written."""
    parts = [p.strip() for p in _SENTENCE_END.split(paragraph)]
    return [p for p in parts if p]


def day_words(d: date | None, missing: str = "date not stated") -> str:
    """A day as people write it, '15 December 2022', or ``missing`` when there is none."""
    return f"{d.day} {d:%B %Y}" if d else missing


_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer object keeps state between calls: one at a time


@cache
def _stemmer(algorithm: str) -> Any:  # snowballstemmer's own class, or PyStemmer's when that is installed
    return snowballstemmer.stemmer(algorithm)


def snowball_stem(word: str, algorithm: str = "english") -> str:
    """A word's Snowball stem ("porter" is the algorithm of FTS5's porter tokenizer); safe across threads."""
    with _STEMMER_LOCK:
        return str(_stemmer(algorithm).stemWord(word))
