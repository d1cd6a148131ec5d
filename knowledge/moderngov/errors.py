"""What can go wrong talking to a council's ModernGov web service, each with a one-line message."""

from __future__ import annotations

__all__ = [
    "BlockedError",
    "HttpStatusError",
    "ModernGovError",
    "NoServiceError",
    "NotXmlError",
    "UnavailableError",
    "UnexpectedXmlError",
]


class ModernGovError(Exception):
    """The base of every error this package raises; ``str()`` is one line a clerk can act on."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(" ".join(message.split()))
        self.url = url

    @property
    def message(self) -> str:
        """The one-line message."""
        return str(self)


class NotXmlError(ModernGovError):
    """The answer was not the web service's XML: an HTML page, a script redirect, an empty body."""


class UnexpectedXmlError(ModernGovError):
    """The answer was the web service's XML but a field could not be read (a date, an id)."""


class BlockedError(ModernGovError):
    """The council's site refused us (HTTP 403), usually its firewall: report it, never work around it."""


class UnavailableError(ModernGovError):
    """The site kept failing (time-outs, 5xx, 429, dropped connections) or could not be reached."""


class HttpStatusError(ModernGovError):
    """The site answered with an HTTP status this client does not retry (400, 401, 405 ...)."""

    def __init__(self, message: str, *, status: int, url: str | None = None) -> None:
        super().__init__(message, url=url)
        self.status = status


class NoServiceError(ModernGovError):
    """The web service itself is missing (HTTP 404 on a listing call): wrong address or switched off."""
