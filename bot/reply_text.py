"""Reading a reply's plain text for the transports: what surrounds its sections, which lines cite."""

from __future__ import annotations

from handlers.messages import Reply, Section
from knowledge.models import Citation

__all__ = ["citation_lines", "head_and_tail", "without_citation_lines"]


def citation_lines(citation: Citation) -> set[str]:
    """The lines an answer's text may use to show ``citation``: its label (with or without the
    council) and its source."""
    lines = {citation.label(), citation.label(with_council=False)}
    if citation.source:
        lines.add(f"Source: {citation.source}")
    return lines


def without_citation_lines(section: Section) -> str:
    """The section's text without the lines that show its citations (a transport shows them its way)."""
    repeated = set().union(*(citation_lines(c) for c in section.citations))
    return "\n".join(line for line in section.text.splitlines() if line.strip() not in repeated).strip("\n")


def head_and_tail(reply: Reply) -> tuple[str, str]:
    """The reply's text before its first section and after its last (notes, summaries), if any."""
    texts = [s.text.strip() for s in reply.sections if s.text.strip()]
    if not texts:
        return "", ""
    start = reply.text.find(texts[0])
    if start < 0:
        return "", ""
    end = reply.text.find(texts[-1], start)
    tail = reply.text[end + len(texts[-1]) :].strip() if end >= 0 else ""
    return reply.text[:start].strip(), tail
