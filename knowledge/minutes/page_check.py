"""What a file must be before its text is stored: inside the folder it was listed from, a regular
file of a sensible size, and a page that holds ModernGov minutes.

A manifest is data that may come from someone else: without these checks a row naming
``/etc/shadow``, ``~/.bash_history`` or ``/dev/zero`` would be read, stored and quoted to anyone
who asks (or, for a device, read for ever).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from knowledge.minutes.html import html_to_text, looks_like_html
from knowledge.minutes.parse import LAYOUT_DECISION, LAYOUT_ISSUE, LAYOUT_MEETING
from knowledge.models import ParsedDocument, UserError

__all__ = [
    "MAX_FILE_BYTES",
    "NOT_MINUTES",
    "check_minutes",
    "outside_reason",
    "read_page_bytes",
]

#: The largest file read. A saved ModernGov page, even a long meeting's, is well under 2 MB.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: The reason given for a file that parsed but shows nothing of a minutes page.
NOT_MINUTES = "it holds no ModernGov minutes: no meeting, agenda item or decision was found in it"

_MB = 1024 * 1024
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the stat check must not block the open
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)

# --- where and what the file is ---------------------------------------------------------------


def outside_reason(path: Path, folder: Path) -> str:
    """Why ``path`` lies outside ``folder`` once symlinks are resolved, or "" when it is inside."""
    root = folder.resolve()
    target = path.resolve()
    if target == root or target.is_relative_to(root):
        return ""
    via = f" (it leads to {target})" if target != path.absolute() else ""
    return (
        f"it is outside the manifest's folder {root}{via}; "
        "list only files in that folder, or pass --allow-outside if you trust the manifest"
    )


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_regular(mode: int) -> UserError:
    return UserError(f"it is {_kind(mode)}, not a regular file, so it was not read")


def _size(n: int) -> str:
    return f"{n / _MB:.3g} MB" if n >= _MB else f"{n:,} bytes"


def _too_big(max_bytes: int, size: int | None = None) -> UserError:
    actual = f"it is {_size(size)}" if size is not None else "it holds more"
    return UserError(
        f"{actual}, more than the {_size(max_bytes)} a file may hold (a ModernGov page is far smaller)"
    )


def read_page_bytes(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; raises UserError saying why not.

    Devices, FIFOs, sockets and folders are refused before they are opened, and checked again on
    the open file; at most ``max_bytes + 1`` bytes are ever read. OSError passes through.
    """
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(st.st_mode)
    if st.st_size > max_bytes:
        raise _too_big(max_bytes, st.st_size)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        fst = os.fstat(fd)
        if not stat.S_ISREG(fst.st_mode):  # replaced between the two looks
            raise _not_regular(fst.st_mode)
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, _MB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > max_bytes:  # it grew, or it is a file (/proc) that states no size
        raise _too_big(max_bytes)
    return raw


# --- does it hold minutes? --------------------------------------------------------------------

_RECOGNISED_LAYOUTS = {LAYOUT_ISSUE, LAYOUT_MEETING, LAYOUT_DECISION}
_DECISIONS = ("resolution", "recommendation", "action")
#: Lines and fragments that only a ModernGov minutes page shows.
_PAGE_SIGNS = re.compile(
    r"(?i:^\s*(?:agenda item|minutes:?|issue\s*[-–]\s*meetings?|decision details|additional documents:?)\s*$)"
    r"|\b(?:ie|mg)[A-Z][A-Za-z]+\.aspx\b"  # a ModernGov page's address: ieListDocuments.aspx, mgAi.aspx
    r"|(?i:\bpdf icon\b)"
    r"|\bRESOLVED\b|(?i:\bit was (?:unanimously )?resolved\b)",
    re.MULTILINE,
)
#: Words of council business. Minutes use many of them; /etc/passwd, a shell history or
#: random text none.
_BUSINESS_WORDS = re.compile(
    r"\b(councillors?|cllr|committees?|cabinet|scrutiny|council|chair(?:man|person)?|agenda|minutes|"
    r"meetings?|resolved|recommend(?:s|ed|ations?)?|apologies|declarations? of (?:\w+ ){0,3}interests?|"
    r"members|officers?|report|items?|deferred|portfolio holder|executive|motion|seconded|ward)\b",
    re.IGNORECASE,
)
_SCAN_CHARS = 200_000


def _business_words(text: str) -> int:
    return len({m.group(1).lower().rstrip("s") for m in _BUSINESS_WORDS.finditer(text[:_SCAN_CHARS])})


def check_minutes(doc: ParsedDocument, page: str) -> None:
    """Raise UserError (:data:`NOT_MINUTES`) unless a parsed page shows clear signs of minutes.

    Any one suffices: a layout the parser recognised (an issue, a whole meeting, a decision), a
    ModernGov label or address in the text, decisions found together with a word of council
    business, or at least three different words of council business.
    """
    if doc.layout in _RECOGNISED_LAYOUTS:
        return
    text = html_to_text(page).text if looks_like_html(page) else page
    if _PAGE_SIGNS.search(text[:_SCAN_CHARS]):
        return
    words = _business_words(text)
    decided = any(p.kind in _DECISIONS for it in doc.items for p in it.passages)
    if words >= 3 or (decided and words >= 1):
        return
    raise UserError(NOT_MINUTES)
