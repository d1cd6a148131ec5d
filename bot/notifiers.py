"""Where reminders go: Slack (a channel, or a person's direct messages with the bot), a terminal, or a list.

Each notifier has one method, ``send(to, text)``, the :class:`bot.scheduler.Notifier` protocol.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from knowledge.calendar.custom_reminders import describe_target

from .config import Settings
from .slack_format import escape

if TYPE_CHECKING:  # the terminal imports the handlers; only its type is needed here
    from .terminal import Terminal

__all__ = ["RecordingNotifier", "SlackNotifier", "TerminalNotifier"]

SLACK_PREFIX = ":alarm_clock: "
TERMINAL_PREFIX = "⏰ reminder"


class SlackNotifier:
    """Posts with ``chat.postMessage``: to a channel id or name, or to a user id, which Slack delivers
    in that person's direct messages with the bot (no ``conversations.open`` needed)."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    @classmethod
    def from_settings(
        cls, settings: Settings, *, sleep: Callable[[float], None] = time.sleep
    ) -> SlackNotifier:
        """A notifier with the bot token, retrying connection errors and rate limits like the app does."""
        from .slack_app import make_client

        base = make_client(settings, sleep=sleep)
        client = WebClient(
            token=settings.slack_bot_token, base_url=base.base_url, retry_handlers=base.retry_handlers
        )
        return cls(client)

    def send(self, to: str, text: str) -> None:
        self.client.chat_postMessage(
            channel=to, text=escape(SLACK_PREFIX + text), unfurl_links=False, unfurl_media=False
        )


class TerminalNotifier:
    """Prints "⏰ reminder to #channel: ..." in a terminal chat as reminders fire, between the user's lines."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal

    def send(self, to: str, text: str) -> None:
        lead = "\n" if self.terminal.interactive else ""  # off the prompt line
        self.terminal.say(f"{lead}{TERMINAL_PREFIX} to {describe_target(to)}: {text}")


class RecordingNotifier:
    """Keeps what it was asked to send, for tests and dry runs; ``fail_for`` recipients raise."""

    def __init__(self, fail_for: tuple[str, ...] = ()) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail_for = fail_for
        self._lock = threading.Lock()

    def send(self, to: str, text: str) -> None:
        if to in self.fail_for:
            raise RuntimeError(f"cannot reach {to}")
        with self._lock:
            self.sent.append((to, text))
