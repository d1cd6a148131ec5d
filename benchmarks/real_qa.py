"""Score the bot on the public set of real ModernGov minutes and members' questions.

    .venv/bin/python benchmarks/real_qa.py [SET_DIR] [--json] [--only KIND] [--show ID]

SET_DIR defaults to ``../shared/qa`` beside the repository (see its README for the set and the
scoring rules). The script builds a fresh temporary SQLite database, copies each page's excerpt (the
text after its ``URL:`` and ``SOURCE:`` header lines, as the set's ``check.py`` reads it) beside a
manifest CSV whose rows carry the council, body and date from ``pages/INDEX.tsv`` (empty -> None) and
the ``URL:`` line, and ingests them with ``knowledge.minutes.ingest.ingest_files(db, manifest=...)`` as
``scrutiny-bot ingest --manifest`` does. Each question then goes through ``knowledge.answers.ask.ask`` with
``include_restricted=False`` and a fixed ``today``, and its ``Answer.as_json()`` dict is scored, as
``scrutiny-bot ask --json`` prints it.

Length ("1,500 characters, citations included"): the JSON's ``answer`` is the text a user is shown.
Quote answers already render each citation in it (label and ``Source:`` line); a meeting list shows
the body, date and address. So the length is ``len(answer)`` plus, for each citation whose ``source``
does not appear in that text, one rendered citation (its label and ``Source:`` line) and a newline.

This is a measurement to run on demand; ``tests/test_real_qa.py`` keeps a floor under the score.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a script: measure this checkout, not an installed copy
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.answers.ask import ask  # noqa: E402
from knowledge.minutes.ingest import ingest_files  # noqa: E402
from knowledge.models import Answer  # noqa: E402
from knowledge.store import open_db  # noqa: E402

__all__ = ["DEFAULT_SET", "MAX_CHARS", "TODAY", "Failure", "Summary", "main", "normalise", "score_set"]

DEFAULT_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "qa"
TODAY = date(2026, 12, 2)
MAX_CHARS = 1500
_HEADERS = ("URL:", "SOURCE:")
_FOLD = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


@dataclass(frozen=True)
class Failure:
    """One question scored wrong, and why."""

    id: str
    kind: str
    question: str
    not_found: bool = False
    wrongly_found: bool = False
    missing: tuple[str, ...] = ()
    length: int | None = None  # set when the answer is too long
    missing_date: str | None = None

    def reasons(self) -> list[str]:
        """The reasons in words: not found, missing phrases, too long, no citation dated X, wrongly found."""
        return [f"{code}{detail}" for code, detail in self._reasons()]

    def codes(self) -> list[str]:
        """The reasons without their details, for counting."""
        return [code for code, _ in self._reasons()]

    def _reasons(self) -> list[tuple[str, str]]:
        out = [("not found", "")] if self.not_found else []
        out += [("wrongly found", "")] if self.wrongly_found else []
        out += [("missing phrases", f" {list(self.missing)}")] if self.missing else []
        out += [("too long", f" ({self.length} chars)")] if self.length is not None else []
        out += [("no citation dated", f" {self.missing_date}")] if self.missing_date else []
        return out


@dataclass
class Summary:
    """Right and total by kind, none-questions declined, the failures, and every answer's JSON."""

    right: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    answers: dict[str, dict[str, object]] = field(default_factory=dict)
    ingest_failures: list[str] = field(default_factory=list)  # "file: reason"

    @property
    def right_total(self) -> int:
        """Questions scored right, all kinds."""
        return sum(self.right.values())

    @property
    def questions(self) -> int:
        """Questions asked, all kinds."""
        return sum(self.total.values())

    @property
    def declined(self) -> int:
        """``none`` questions the bot declined (found = false)."""
        return self.right.get("none", 0)

    def reason_counts(self) -> dict[str, int]:
        """How many failures have each reason (a failure may have several)."""
        counts: Counter[str] = Counter()
        for f in self.failures:
            counts.update(f.codes())
        return dict(counts.most_common())


def normalise(text: str) -> str:
    """Casefold; curly quotes to straight, en/em dashes to '-'; whitespace runs (NBSP too) to one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").translate(_FOLD)).strip().casefold()


def _build_manifest(set_dir: Path, folder: Path) -> Path:
    """Copy each page's excerpt into ``folder`` and write the manifest beside it."""
    with (set_dir / "pages" / "INDEX.tsv").open(encoding="utf-8", newline="") as fh:
        index = list(csv.DictReader(fh, delimiter="\t"))
    manifest = folder / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["path", "council", "body", "date", "url"])
        for row in index:
            lines = (set_dir / "pages" / row["file"]).read_text(encoding="utf-8").split("\n")
            url = next((ln[4:].strip() for ln in lines[:2] if ln.startswith("URL:")), "")
            while lines and lines[0].startswith(_HEADERS):
                lines.pop(0)
            (folder / row["file"]).write_text("\n".join(lines), encoding="utf-8")
            writer.writerow([row["file"], row["council"], row["body"], row["meeting_date"], url])
    return manifest


def _shown_length(answer: Answer) -> int:
    """The answer text, plus each citation the text does not already show (label and source)."""
    extra = 0
    for c in answer.citations:
        if c.source and c.source in answer.text:
            continue
        extra += len(c.label() + (f"\nSource: {c.source}" if c.source else "")) + 1
    return len(answer.text) + extra


def _score(q: dict[str, Any], answer: Answer, shown: dict[str, Any]) -> Failure | None:
    qid, kind, question = str(q["id"]), str(q["kind"]), str(q["question"])
    found = bool(shown["found"])
    if kind == "none":
        return Failure(qid, kind, question, wrongly_found=True) if found else None
    if not found:
        return Failure(qid, kind, question, not_found=True)
    text = normalise(str(shown["answer"]))
    missing = tuple(p for p in q["expect_phrases"] if normalise(p) not in text)
    length = _shown_length(answer)
    want = q.get("expect_date")
    dated = want is None or any(c["meeting_date"] == want for c in shown["citations"])
    if not missing and length <= MAX_CHARS and dated:
        return None
    return Failure(qid, kind, question, missing=missing, length=length if length > MAX_CHARS else None,
                   missing_date=None if dated else str(want))  # fmt: skip


def score_set(set_dir: str | Path = DEFAULT_SET, *, only: str | None = None) -> Summary:
    """Ingest the set's pages into a fresh database, ask every question, and score the answers."""
    set_dir = Path(set_dir)
    questions = [
        json.loads(ln) for ln in (set_dir / "questions.jsonl").read_text("utf-8").splitlines() if ln.strip()
    ]
    summary = Summary()
    with tempfile.TemporaryDirectory(prefix="real_qa-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        db = open_db(Path(tmp) / "qa.db")
        try:
            for r in ingest_files(db, manifest=_build_manifest(set_dir, folder)):
                if r.status == "failed":
                    summary.ingest_failures.append(f"{Path(r.path).name}: {r.reason}")
            for q in questions:
                kind = q["kind"]
                if only and kind != only:
                    continue
                answer = ask(db, q["question"], today=TODAY, include_restricted=False)
                shown = answer.as_json()
                summary.answers[q["id"]] = shown
                summary.total[kind] = summary.total.get(kind, 0) + 1
                failure = _score(q, answer, shown)
                summary.right[kind] = summary.right.get(kind, 0) + (failure is None)
                if failure:
                    summary.failures.append(failure)
        finally:
            db.close()
    return summary


def _pct(right: int, total: int) -> str:
    return f"{100 * right / total:.0f}%" if total else "-"


def _report(s: Summary) -> str:
    lines = [f"could not ingest {f}" for f in s.ingest_failures]
    lines += [f"Score: {s.right_total}/{s.questions} ({_pct(s.right_total, s.questions)})", "",
             "| kind | right | total | % |", "| --- | ---: | ---: | ---: |"]  # fmt: skip
    for kind in sorted(s.total, key=lambda k: (-s.total[k], k)):
        lines.append(f"| {kind} | {s.right[kind]} | {s.total[kind]} | {_pct(s.right[kind], s.total[kind])} |")
    lines.append(
        f"| **all** | **{s.right_total}** | **{s.questions}** | **{_pct(s.right_total, s.questions)}** |"
    )
    if "none" in s.total:
        lines += ["", f"none questions declined: {s.declined}/{s.total['none']}"]
    lines += [
        "",
        "Failures by reason: " + (", ".join(f"{r} {n}" for r, n in s.reason_counts().items()) or "none"),
    ]
    lines += ["", f"Failures ({len(s.failures)}):"]
    for f in s.failures:
        lines.append(f"  {f.id} [{f.kind}] {f.question}\n      " + "; ".join(f.reasons()))
    return "\n".join(lines)


def _as_json(s: Summary) -> dict[str, object]:
    kinds = {k: {"right": s.right[k], "total": s.total[k]} for k in s.total}
    failures = [{**asdict(f), "reasons": f.reasons()} for f in s.failures]
    return {
        "right": s.right_total,
        "total": s.questions,
        "by_kind": kinds,
        "none_declined": s.declined,
        "reasons": s.reason_counts(),
        "failures": failures,
        "ingest_failures": s.ingest_failures,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the set and print the score table and failures (or JSON, or one answer)."""
    p = argparse.ArgumentParser(description="Score the bot on real minutes and members' questions.")
    p.add_argument(
        "set_dir", nargs="?", type=Path, default=DEFAULT_SET, help="the set (default ../shared/qa)"
    )
    p.add_argument("--json", action="store_true", help="print a machine-readable summary")
    p.add_argument("--only", metavar="KIND", help="ask only the questions of this kind")
    p.add_argument("--show", metavar="ID", help="print the full answer to one question")
    args = p.parse_args(argv)
    if not (args.set_dir / "questions.jsonl").is_file():
        print(f"no questions.jsonl in {args.set_dir}", file=sys.stderr)
        return 2
    summary = score_set(args.set_dir, only=args.only)
    if args.show:
        shown = summary.answers.get(args.show)
        if shown is None:
            print(f"no question {args.show!r} was asked", file=sys.stderr)
            return 2
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        print("\n" + str(shown["answer"]))
        failure = next((f for f in summary.failures if f.id == args.show), None)
        print("\nScored: " + ("; ".join(failure.reasons()) if failure else "right"))
    elif args.json:
        print(json.dumps(_as_json(summary), ensure_ascii=False, indent=2))
    else:
        print(_report(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
