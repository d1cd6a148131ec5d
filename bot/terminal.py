"""The terminal chat: the same registry as Slack, with line editing and history on a terminal.

It reads standard input line by line when that is not a terminal, so pipes and tests drive it.
``:as USER`` switches to a configured user (id or name) or a role; ``:quit`` ends.
"""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from handlers.action_forms import open_form
from handlers.answer_pages import rate_answer, share_answer, show_more
from handlers.context import Context
from handlers.messages import Attachment, Choice, ChoiceKind, Reply, Request
from handlers.registry import Registry, apology, indefinite
from knowledge.models import UserError
from knowledge.text import clean_text

__all__ = ["Terminal", "choice_lines", "completions", "render"]

log = logging.getLogger(__name__)

_COLON_HELP = """\
:as USER   talk as a configured user (id or name) or a role: member, officer, clerk, admin
:as        say who you are talking as
:feedback good | bad [WHAT WAS WRONG]   rate the last answer
:help      this list (type help for the bot's commands)
:quit      leave (Ctrl-D too)
After an answer, type a choice's number, or more, share #CHANNEL, :feedback."""
_CHANNEL = re.compile(r"#?[A-Za-z0-9][\w.-]{0,79}")
_HOW = {
    ChoiceKind.MORE: "more",
    ChoiceKind.SHARE: "share #CHANNEL",
    ChoiceKind.FEEDBACK: ":feedback good | bad [what was wrong]",
}


def render(reply: Reply) -> str:
    """A reply as plain text: its head, its sections (each with the lines that cite it), its tail."""
    if not reply.sections:
        return reply.text.strip()
    parts = [reply.head.strip()]
    for section in reply.sections:
        # a citation's label says whether its minutes are draft or confirmed, when known
        lines = [t for t in (section.heading, section.text.rstrip()) if t.strip()]
        if not section.heading:
            lines += [f"  — {c.label()}" + (f" ({c.source})" if c.source else "") for c in section.citations]
        parts.append("\n".join(lines))
    parts.append(reply.tail.strip())
    return "\n\n".join(p for p in parts if p)


def _offered(reply: Reply) -> list[Choice]:
    return [*reply.choices, *(c for s in reply.sections for c in s.choices)]


def choice_lines(reply: Reply) -> str:
    """The reply's choices as numbered lines: what to type for each."""
    lines = []
    for n, choice in enumerate(_offered(reply), 1):
        how = _HOW.get(choice.kind, "")
        lines.append(f"  [{n}] {choice.label}" + (f" (or type {how})" if how else ""))
    return "\n".join(lines)


def completions(registry: Registry) -> list[str]:
    """The words Tab completes: the registry's commands and the terminal's own."""
    return [*registry.names(), "more", ":as", ":feedback", ":help", ":quit"]


class Terminal:
    """A chat session over ``stdin``/``stdout`` as one user, who may become another with ``:as``."""

    def __init__(
        self,
        registry: Registry,
        context: Context,
        *,
        stdin: TextIO,
        stdout: TextIO,
        user: str | None = None,
        interactive: bool | None = None,
        history_file: Path | None = None,
        save_dir: Path | None = None,
    ) -> None:
        self.registry = registry
        self.context = context
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = stdin.isatty() if interactive is None else interactive
        self.history_file = history_file
        self.save_dir = save_dir or Path.cwd()
        self._lock = threading.Lock()
        self._choices: list[Choice] = []
        self.user_id, self.role = "terminal", context.access.role_of("terminal")
        if user:
            self.become(user)

    # --- who -------------------------------------------------------------------------------------

    def become(self, who: str) -> str:
        """Talk as ``who`` from now on; returns a sentence saying so. Unknown names are a UserError."""
        found = self.context.access.find_user(who)
        if found is None:
            raise UserError(
                f"I do not know {who!r}: give a user id or name from the config file, "
                "or a role: member, officer, clerk or admin."
            )
        self.user_id, self.role = found
        return f"You are now {self._who()}."

    def _who(self) -> str:
        role = f"{indefinite(self.role)} {self.role}"
        if self.user_id == f"any-{self.role}":
            return f"any {self.role}"
        if self.user_id == "terminal":
            return f"the terminal's user, {role}"
        name = self.context.access.names.get(self.user_id)
        return f"{name} ({self.user_id}), {role}" if name else f"{self.user_id}, {role}"

    def request(self, text: str) -> Request:
        """The request for ``text`` from the current user, in a one-to-one conversation."""
        return self.context.access.request(
            user_id=self.user_id, text=clean_text(text), channel_id="terminal", direct=True, role=self.role
        )

    # --- talk ------------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        """Print ``text`` and a blank line (thread-safe, so a scheduler can print as messages fire)."""
        with self._lock:
            self.stdout.write(text.rstrip() + "\n\n")
            self.stdout.flush()

    def notify(self, reply: Reply) -> None:
        """Print a message the bot sends unprompted (a reminder) as it fires."""
        self.show(reply)

    def show(self, reply: Reply) -> None:
        """Print ``reply``, save its files to :attr:`save_dir` and say where, print its notices and
        its choices, numbered."""
        lines = [render(reply)]
        for attachment in reply.attachments:
            path = self._save(attachment)
            lines.append(f"Saved {attachment.title or attachment.filename} to {path}")
        lines += [f"(Also posted to {n.channel}: {n.text})" for n in reply.notices]
        offered = _offered(reply)
        if offered:
            self._choices = offered
            lines.append("\n" + choice_lines(reply))
        self.say("\n".join(line for line in lines if line))

    def _save(self, attachment: Attachment) -> Path:
        name = Path(attachment.filename).name or "file"
        self.save_dir.mkdir(parents=True, exist_ok=True)
        path, n = self.save_dir / name, 1
        while path.exists():
            path, n = self.save_dir / f"{Path(name).stem}-{n}{Path(name).suffix}", n + 1
        path.write_bytes(attachment.content)
        return path

    def handle(self, line: str) -> bool:
        """Act on one line; False when the session should end."""
        text = line.strip()
        if not text:
            return True
        if text.startswith(":"):
            return self._colon(text)
        try:
            if not self._choose(text):
                self.show(self.registry.dispatch(self.request(text), self.context))
        except UserError as exc:
            self.say(str(exc))
        except Exception:  # the terminal's one error handler: log the traceback, apologise
            ref = uuid.uuid4().hex[:8]
            log.exception("unexpected error, reference %s, handling %r", ref, text)
            self.show(apology(ref))
        return True

    # --- choices ---------------------------------------------------------------------------------

    def _find(self, kind: ChoiceKind) -> Choice | None:
        return next((c for c in self._choices if c.kind is kind), None)

    def _choose(self, text: str) -> bool:
        """Act on a choice of the last reply (its number, ``more``, ``share #CHANNEL``); False if none."""
        word, _, rest = text.partition(" ")
        word, rest = word.lower(), rest.strip()
        choice: Choice | None = None
        if text.isdigit() and 1 <= int(text) <= len(self._choices):
            choice = self._choices[int(text) - 1]
        elif word == "more" and not rest and self._choices:
            choice = self._find(ChoiceKind.MORE)
            if choice is None:
                self.say("That was the whole answer.")
                return True
        elif word == "share" and (not rest or _CHANNEL.fullmatch(rest)):
            choice = self._find(ChoiceKind.SHARE)
        if choice is None:
            return False
        self._act(choice, rest if word == "share" else "")
        return True

    def _act(self, choice: Choice, channel: str) -> None:
        request = self.request("")
        if choice.kind is ChoiceKind.MORE:
            self.show(show_more(request, self.context, choice.value))
        elif choice.kind is ChoiceKind.SHARE:
            if not channel:
                self.say("Say which channel to share it in: share #CHANNEL (or the channel's id).")
                return
            reply = share_answer(request, self.context, choice.value, channel)
            self.say(f"(Shared in {channel}:)\n{render(reply)}")
        elif choice.kind is ChoiceKind.FEEDBACK:
            self.say("Type :feedback good, or :feedback bad and what was wrong.")
        elif choice.kind is ChoiceKind.EDIT:
            form = open_form(request, self.context, choice.value)
            self.say(
                f"Action {form.ref} of the {form.plan} is {form.rating or 'not rated'}: “{form.action}”.\n"
                f"Ratings: {', '.join(form.ratings)}. Type status {form.ref} RATING NOTE to rate it, or "
                f"update {form.ref} NOTE to record progress."
            )
        elif choice.kind is ChoiceKind.COMMAND:
            self.show(self.registry.dispatch(self.request(choice.value), self.context))

    def _feedback(self, rest: str) -> None:
        choice = self._find(ChoiceKind.FEEDBACK)
        rating, _, note = rest.strip().partition(" ")
        rating = {"good": "good", "bad": "bad", "+": "good", "-": "bad", "yes": "good", "no": "bad"}.get(
            rating.lower(), ""
        )
        if choice is None:
            self.say("There is no answer to rate yet: ask me something first.")
        elif not rating:
            self.say("Type :feedback good, or :feedback bad and what was wrong.")
        else:
            self.say(rate_answer(self.request(""), self.context, choice.value, rating, note).reply.text)

    def _colon(self, text: str) -> bool:
        word, _, rest = text[1:].partition(" ")
        word = word.lower()
        if word in ("q", "quit", "exit"):
            return False
        if word == "feedback":
            try:
                self._feedback(rest)
            except UserError as exc:
                self.say(str(exc))
        elif word == "as":
            if not rest.strip():
                self.say(f"You are {self._who()}.")
            else:
                try:
                    self.say(self.become(rest))
                    self._choices = []  # the last reply's choices were somebody else's
                except UserError as exc:
                    self.say(str(exc))
        else:
            self.say(_COLON_HELP)
        return True

    def _lines(self) -> Iterator[str]:
        if not self.interactive:
            yield from self.stdin
            return
        while True:
            try:
                yield input(f"{self.role}> ")
            except EOFError:
                self.stdout.write("\n")
                return

    def run(self) -> int:
        """Read and answer lines until ``:quit`` or the end of input; returns the exit status."""
        if self.interactive:
            self._start_readline()
            self.say(
                "Ask me about council meetings, or type help for my commands and :help for the "
                f"terminal's. You are {self._who()}."
            )
        try:
            for line in self._lines():
                if not self.handle(line):
                    break
        except KeyboardInterrupt:
            self.stdout.write("\n")
        finally:
            if self.interactive:
                self._save_history()
        return 0

    # --- line editing ----------------------------------------------------------------------------

    def _start_readline(self) -> None:
        try:
            import readline
        except ImportError:  # Windows without pyreadline: plain input() still works
            return
        words = completions(self.registry)

        def complete(prefix: str, state: int) -> str | None:
            matches = [w for w in words if w.startswith(prefix)]
            return matches[state] if state < len(matches) else None

        readline.set_completer(complete)
        readline.parse_and_bind("tab: complete")
        readline.set_history_length(1000)
        if self.history_file and self.history_file.exists():
            try:
                readline.read_history_file(str(self.history_file))
            except OSError:
                log.warning("could not read the history file %s", self.history_file)

    def _save_history(self) -> None:
        try:
            import readline
        except ImportError:
            return
        if self.history_file:
            try:
                self.history_file.parent.mkdir(parents=True, exist_ok=True)
                readline.write_history_file(str(self.history_file))
            except OSError:
                log.warning("could not save the history file %s", self.history_file)
