"""Saved ModernGov HTML pages turned into the text a browser shows, one paragraph a line."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag

__all__ = ["HtmlPage", "html_to_text", "looks_like_html"]

_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "ul", "ol", "table", "section",
    "article", "header", "footer", "blockquote", "dd", "dt", "dl", "td", "th", "caption", "form", "hr",
}  # fmt: skip
_DROP = {"script", "style", "noscript", "nav", "head", "button", "select", "iframe", "svg", "img", "input"}
#: Containers that hold the page's own content on ModernGov sites, best first.
_CONTENT_IDS = ("modgov", "mgContent", "content", "main-content", "maincontent", "main")


@dataclass(frozen=True)
class HtmlPage:
    """The text of a page and its <title>."""

    text: str
    title: str


def looks_like_html(raw: str) -> bool:
    """True if a file's text is HTML rather than a browser's plain-text rendering."""
    head = raw.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(html|body|div|p|table)\b", head)
    )


def html_to_text(raw: str) -> HtmlPage:
    """Render HTML as lines: block elements break lines, list items become '·' bullets."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(raw, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    root: Tag = soup.body or soup
    for ident in _CONTENT_IDS:
        found = soup.find(id=ident)
        if isinstance(found, Tag):
            root = found
            break
    for tag in root.find_all(list(_DROP)):
        tag.decompose()
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # skip comments, CDATA, doctype
                    current.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name or ""
            if name in _BLOCK:
                flush()
                if name == "li":
                    current.append("· ")
                walk(child)
                flush()
            else:
                walk(child)

    walk(root)
    flush()
    return HtmlPage(text="\n".join(lines), title=title)
