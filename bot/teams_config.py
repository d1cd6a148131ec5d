"""The Teams settings from the environment: the bot's Entra ID app registration, or anonymous mode.

The Microsoft 365 Agents SDK reads its connection from variables named
``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__<NAME>`` (the names its own samples and tools use):
``CLIENTID`` (the bot's Entra app id), ``TENANTID``, ``CLIENTSECRET`` and optionally ``AUTHTYPE``
(``ClientSecret`` by default; ``Certificate``, ``UserManagedIdentity``, ... as the SDK documents).
They are kept here as the SDK will read them and checked only when Teams is served.
``SCRUTINY_BOT_TEAMS_ANONYMOUS=1`` accepts requests without a token: for trying the bot on this
machine, never for a bot Teams can reach. Nothing here imports the SDK.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from knowledge.addresses import entra_object_id

__all__ = ["ANONYMOUS_VARIABLE", "SETTINGS_PREFIX", "TeamsSettings"]

ANONYMOUS_VARIABLE = "SCRUTINY_BOT_TEAMS_ANONYMOUS"
SETTINGS_PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
_SDK_PREFIXES = ("CONNECTIONS__", "CONNECTIONSMAP__")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")
_NEEDS_SECRET = ("", "clientsecret")


@dataclass(frozen=True)
class TeamsSettings:
    """How the Teams endpoint authenticates: the SDK's connection variables, or anonymous mode."""

    anonymous: bool = False
    #: The SDK's variables as found in the environment (secrets among them): never shown.
    sdk_environment: Mapping[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sdk_environment", MappingProxyType(dict(self.sdk_environment)))

    @classmethod
    def from_env(cls, environ: Mapping[str, str], problems: list[str]) -> TeamsSettings:
        """The Teams settings in ``environ``; a malformed value is appended to ``problems``."""
        flag = environ.get(ANONYMOUS_VARIABLE, "").strip().lower()
        if flag not in _TRUE + _FALSE:
            problems.append(
                f"{ANONYMOUS_VARIABLE} must be 1 (accept requests without a token) or 0, not {flag!r}"
            )
        sdk = {k: v for k, v in environ.items() if k.startswith(_SDK_PREFIXES)}
        return cls(anonymous=flag in _TRUE, sdk_environment=sdk)

    def setting(self, name: str) -> str:
        """One of the service connection's settings (``CLIENTID``, ``TENANTID``, ...), or ""."""
        return self.sdk_environment.get(SETTINGS_PREFIX + name, "").strip()

    @property
    def client_id(self) -> str:
        """The bot's Entra app id, or "" when not set."""
        return self.setting("CLIENTID")

    def problems(self) -> list[str]:
        """What serving Teams with JWT validation needs and is missing; nothing in anonymous mode
        unless an app id is given (then it must be one)."""
        found: list[str] = []
        client, tenant = self.client_id, self.setting("TENANTID")
        if client and not entra_object_id(client):
            found.append(f"{SETTINGS_PREFIX}CLIENTID must be the bot's Entra app (client) id, a GUID")
        if self.anonymous:
            return found
        if not client:
            found.append(f"{SETTINGS_PREFIX}CLIENTID is not set (the bot's Entra app (client) id); "
                         f"or set {ANONYMOUS_VARIABLE}=1 to try the bot locally without tokens")  # fmt: skip
        if not tenant:
            found.append(f"{SETTINGS_PREFIX}TENANTID is not set (the Entra tenant the app is registered in)")
        if self.setting("AUTHTYPE").lower() in _NEEDS_SECRET and not self.setting("CLIENTSECRET"):
            found.append(f"{SETTINGS_PREFIX}CLIENTSECRET is not set (a client secret of the app), "
                         f"or set {SETTINGS_PREFIX}AUTHTYPE to the credential the app uses")  # fmt: skip
        return found

    def as_sdk_configuration(self) -> dict[str, Any]:
        """The variables as the SDK's ``load_configuration_from_env`` expects them."""
        return dict(self.sdk_environment)
