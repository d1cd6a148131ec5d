"""Commands are data: one registry drives Slack, the terminal chat, ``help`` and the README's table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from knowledge.models import UserError
from knowledge.text import MAX_QUESTION_CHARS, clean_text

from .access import has_role, roles_from
from .context import Context
from .messages import ROLES, Reply, Request, Visibility

__all__ = ["Command", "Handler", "Registry", "apology", "indefinite", "refusal", "takes_no_words"]

Handler = Callable[[Request, Context], Reply]


def _anything(rest: str) -> bool:
    return True


def takes_no_words(rest: str) -> bool:
    """For commands that take no words: 'whoami' alone is the command, 'whoami ...' a question."""
    return not rest


@dataclass(frozen=True)
class Command:
    """One thing a user can ask the bot to do."""

    name: str
    summary: str
    usage: str
    handler: Handler
    examples: tuple[str, ...] = ()
    role: str = "member"
    #: Whether the words after the name belong to this command; if not, the whole text is a question.
    accepts: Callable[[str], bool] = field(default=_anything, compare=False)
    #: A question in plain words this command answers: the words for it, or None ("when is the
    #: agenda deadline for cabinet?" -> `deadlines`). Asked, in registration order, before the fallback.
    recognise: Callable[[str], str | None] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r} for command {self.name!r}")
        if not self.name.isidentifier() or self.name != self.name.lower():
            raise ValueError(f"a command name is one lower-case word, not {self.name!r}")


def refusal(command: Command, request: Request) -> Reply:
    """The polite answer to somebody whose role does not allow ``command``."""
    you = request.role if request.role in ROLES else "member"
    return Reply(
        text=(
            f"Sorry, `{command.name}` is for {roles_from(command.role)}, and I have you down as "
            f"{indefinite(you)} {you}. If you think that is wrong, ask whoever looks after the bot's roles."
        ),
        visibility=Visibility.ASKER,
    )


def apology(ref: str) -> Reply:
    """What a user sees when something unexpected went wrong, logged under ``ref``."""
    return Reply(
        text=f"Sorry, something went wrong on my side. It has been logged under reference {ref}.",
        visibility=Visibility.ASKER,
        error_ref=ref,
    )


def indefinite(word: str) -> str:
    """'a' or 'an' for ``word``."""
    return "an" if word[:1] in "aeiou" else "a"


class Registry:
    """The commands, and how text becomes a command: "NAME rest", else a question for ``fallback``."""

    def __init__(self, fallback: str = "ask") -> None:
        self._commands: dict[str, Command] = {}
        self.fallback = fallback

    def add(self, command: Command) -> Command:
        """Register ``command``; names are unique."""
        if command.name in self._commands:
            raise ValueError(f"command {command.name!r} is registered twice")
        self._commands[command.name] = command
        return command

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())

    def __contains__(self, name: object) -> bool:
        return name in self._commands

    def get(self, name: str) -> Command | None:
        """The command called ``name``, if any."""
        return self._commands.get(name.lower())

    def names(self) -> list[str]:
        """Command names in registration order."""
        return list(self._commands)

    def resolve(self, text: str) -> tuple[Command, str]:
        """The command ``text`` calls and the words left for it."""
        words = text.strip().split(None, 1)
        if words:
            command = self.get(words[0].rstrip(":"))
            rest = words[1].strip() if len(words) > 1 else ""
            if command is not None and command.accepts(rest):
                return command, rest
        if not words and "help" in self._commands:
            return self._commands["help"], ""
        for command in self:
            words_for = command.recognise(text) if command.recognise else None
            if words_for is not None:
                return command, words_for
        return self._commands[self.fallback], text.strip()

    def dispatch(self, request: Request, context: Context) -> Reply:
        """Run the command ``request.text`` calls, checking the requester's role first.

        A :class:`UserError` becomes a polite reply to the asker; anything else propagates to
        the transport's one error handler.
        """
        if len(request.text) > MAX_QUESTION_CHARS:
            return Reply(
                text=f"That message is {len(request.text):,} characters long; I read up to "
                f"{MAX_QUESTION_CHARS:,}. Please say it in fewer words.",
                visibility=Visibility.ASKER,
            )
        request = replace(request, text=clean_text(request.text))
        command, rest = self.resolve(request.text)
        if not has_role(request.role, command.role):
            return refusal(command, request)
        try:
            return command.handler(replace(request, text=rest), context)
        except UserError as exc:
            return Reply(text=str(exc), visibility=Visibility.ASKER)

    # --- documentation ------------------------------------------------------------------------

    def help_text(self, role: str = "member", *, prefix: str = "") -> str:
        """Every command with its summary; ``prefix`` is how the transport calls it ('/scrutiny ')."""
        lines = [
            "Ask me about council meetings in plain words, or use a command:",
            "",
        ]
        for c in self:
            who = "" if c.role == "member" else f" ({roles_from(c.role)} only)"
            lines.append(f"• {prefix}{c.usage}: {c.summary}{who}")
        lines += ["", f"Anything that is not a command is a question, e.g. {prefix}{self._example()}"]
        if any(not has_role(role, c.role) for c in self):
            lines.append("Some commands are not open to you; `whoami` says what I think you are.")
        return "\n".join(lines)

    def command_help(self, command: Command, *, prefix: str = "") -> str:
        """Usage, summary, who may use it and examples of one command."""
        lines = [f"{prefix}{command.usage}", command.summary]
        if command.role != "member":
            lines.append(f"For {roles_from(command.role)}.")
        if command.examples:
            lines.append("Examples:")
            lines += [f"  {prefix}{e}" for e in command.examples]
        return "\n".join(lines)

    def markdown_table(self, *, prefix: str = "/scrutiny ") -> str:
        """The command table for the README: usage, summary, who may use it, an example."""
        rows = [
            "| Command | What it does | Who | Example |",
            "|---|---|---|---|",
        ]
        for c in self:
            example = f"`{prefix}{c.examples[0]}`" if c.examples else ""
            who = "everyone" if c.role == "member" else roles_from(c.role)
            rows.append(f"| `{prefix}{c.usage}` | {c.summary} | {who} | {example} |")
        return "\n".join(rows)

    def _example(self) -> str:
        fallback = self._commands.get(self.fallback)
        if fallback and fallback.examples:
            return fallback.examples[0].split(None, 1)[-1]
        return "what did cabinet resolve in December 2022?"
