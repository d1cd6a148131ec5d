"""The terminal chat: the same registry as Slack, with line editing and history on a terminal.

It reads standard input line by line when that is not a terminal, so pipes and tests drive it.
``:as USER`` switches to a configured user (id or name) or a role; ``:quit`` ends.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from handlers.context import Context
from handlers.messages import Attachment, Reply, Request
from handlers.registry import Registry, apology, indefinite
from knowledge.models import UserError
from knowledge.text import clean_text

__all__ = ["Terminal", "completions", "render"]

log = logging.getLogger(__name__)

_COLON_HELP = """\
:as USER   talk as a configured user (id or name) or a role: member, officer, clerk, admin
:as        say who you are talking as
:help      this list (type help for the bot's commands)
:quit      leave (Ctrl-D too)"""


def render(reply: Reply) -> str:
    """A reply as plain text: its head, its sections (each with the lines that cite it), its tail."""
    if not reply.sections:
        return reply.text.strip()
    parts = [reply.head.strip()]
    for section in reply.sections:
        lines = [t for t in (section.heading, section.text.rstrip()) if t.strip()]
        if not section.heading:
            lines += [f"  — {c.label()}" + (f" ({c.source})" if c.source else "") for c in section.citations]
        parts.append("\n".join(lines))
    parts.append(reply.tail.strip())
    return "\n\n".join(p for p in parts if p)


def completions(registry: Registry) -> list[str]:
    """The words Tab completes: the registry's commands and the terminal's own."""
    return [*registry.names(), ":as", ":help", ":quit"]


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
        """Print ``reply``, save its files to :attr:`save_dir` and say where, and print its notices."""
        lines = [render(reply)]
        for attachment in reply.attachments:
            path = self._save(attachment)
            lines.append(f"Saved {attachment.title or attachment.filename} to {path}")
        lines += [f"(Also posted to {n.channel}: {n.text})" for n in reply.notices]
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
            reply = self.registry.dispatch(self.request(text), self.context)
        except Exception:  # the terminal's one error handler: log the traceback, apologise
            ref = uuid.uuid4().hex[:8]
            log.exception("unexpected error, reference %s, handling %r", ref, text)
            reply = apology(ref)
        self.show(reply)
        return True

    def _colon(self, text: str) -> bool:
        word, _, rest = text[1:].partition(" ")
        word = word.lower()
        if word in ("q", "quit", "exit"):
            return False
        if word == "as":
            if not rest.strip():
                self.say(f"You are {self._who()}.")
            else:
                try:
                    self.say(self.become(rest))
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
