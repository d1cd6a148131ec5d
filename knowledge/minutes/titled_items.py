"""Items of a meeting page that prints no item numbers and no "Minutes:" labels.

A ModernGov "agenda and minutes" page pasted as text loses its item numbers (table cells or
images); what is left to mark an item are its title's document icon ("... pdf icon PDF 196 KB")
and the standing items every meeting has (apologies, declarations of interest, the last minutes).
"""

from __future__ import annotations

import re

from knowledge.text import clean_title

__all__ = ["split_by_titles"]

_ICON = re.compile(r"\bpdf icon\b|\b(?:PDF|DOCX?)\s*[\d.,]+\s*[KM]B\s*$", re.I)
#: Standing items, as their titles read on their own line.
_STANDING = re.compile(
    r"^(?:apologies(?: for absence)?(?: and substitut\w+)?|(?:declarations?|disclosures?) of (?:\w+ ){0,2}interests?"
    r"|minutes(?: of (?:the )?(?:previous|last) meeting)?|(?:chair(?:man)?'?s?|leader'?s?|mayor'?s?) announcements"
    r"|urgent (?:business|items?)|any other (?:urgent )?business|exclusion of (?:the )?press and public"
    r"|petitions(?: and requests to address the meeting)?|public (?:questions|participation|speaking)"
    r"|(?:questions|statements|deputations) (?:from|by) (?:the public|members of the public)(?: under [\w .]{1,40})?"
    r"|date of (?:the )?next meeting|work programme"
    r"|forward plan(?: of key decisions)?|membership|substitute members|urgent items(?: / order of business)?)$",
    re.I,
)


def _is_title(line: str) -> bool:
    if line.rstrip().endswith((".", ",", ";", ":")) or len(line) > 160:
        return False
    title = clean_title(line)
    words = title.split()
    if not words or len(words) > 16 or not (title[0].isupper() or title[0].isdigit()):
        return False
    return bool(_ICON.search(line)) or bool(_STANDING.match(title.rstrip(" -–")))


def split_by_titles(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, title) of each item, when at least two lines read as item titles; else []."""
    heads = [(i, clean_title(line)) for i, line in enumerate(lines) if _is_title(line)]
    if len(heads) < 2:
        return []
    # a title with no lines before the next one is a document list's entry, not an item
    kept = [h for n, h in enumerate(heads) if n + 1 == len(heads) or heads[n + 1][0] > h[0] + 1]
    return kept if len(kept) >= 2 else []
