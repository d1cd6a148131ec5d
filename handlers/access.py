"""Who may do what: roles, channel audiences and the rule for exempt (Part 2) material."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .messages import ROLES, Request

__all__ = [
    "AUDIENCES",
    "Access",
    "has_role",
    "may_see_restricted",
    "role_rank",
    "roles_from",
]

#: Who may read a channel, from widest to narrowest. A channel nobody configured is "public".
AUDIENCES = ("public", "members", "officers")

_PLURALS = {"member": "members", "officer": "officers", "clerk": "clerks", "admin": "admins"}


def role_rank(role: str) -> int:
    """The position of ``role`` in :data:`ROLES`; an unknown role ranks as a member."""
    return ROLES.index(role) if role in ROLES else 0


def has_role(role: str, required: str) -> bool:
    """True when somebody with ``role`` may use what needs ``required`` (an admin may do everything)."""
    return role_rank(role) >= role_rank(required)


def roles_from(required: str) -> str:
    """The roles that may use what needs ``required``, in words: 'clerks and admins'."""
    names = [_PLURALS[r] for r in ROLES[role_rank(required) :]]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def may_see_restricted(request: Request) -> bool:
    """True when an answer to ``request`` may quote exempt (Part 2) material.

    Only officers, clerks and admins, and only where nobody else reads the answer: in a direct
    message (or the terminal chat), or in a channel whose configured audience is "officers". A
    member never does, and nobody does in a public or members' channel, even in a reply only
    they can see: an answer there is one click from being shared.
    """
    if not has_role(request.role, "officer"):
        return False
    return request.direct or request.audience == "officers"


def _frozen(mapping: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Access:
    """The configured people and channels: user id -> role, channel id -> audience, user id -> name."""

    roles: Mapping[str, str] = field(default_factory=dict)
    audiences: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("roles", "audiences", "names"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def role_of(self, user_id: str) -> str:
        """The role of ``user_id``; anybody not configured is a member."""
        return self.roles.get(user_id, "member")

    def audience_of(self, channel_id: str) -> str:
        """Who may read ``channel_id``; a channel nobody configured is public."""
        return self.audiences.get(channel_id, "public")

    def request(
        self,
        *,
        user_id: str,
        text: str,
        channel_id: str = "",
        direct: bool = False,
        thread: str | None = None,
        display_name: str = "",
        role: str | None = None,
    ) -> Request:
        """A :class:`Request` with role, channel audience and (configured) name filled in."""
        return Request(
            user_id=user_id,
            text=text,
            role=role or self.role_of(user_id),
            display_name=self.names.get(user_id) or display_name,
            channel_id=channel_id,
            direct=direct,
            thread=thread,
            audience=self.audience_of(channel_id),
        )

    def find_user(self, who: str) -> tuple[str, str] | None:
        """(user id, role) for a configured user id or name, or a made-up user for a role name."""
        key = who.strip()
        if key in self.roles or key in self.names:
            return key, self.role_of(key)
        for user_id, name in self.names.items():
            if name.casefold() == key.casefold():
                return user_id, self.role_of(user_id)
        role = key.lower().removesuffix("s")
        if role in ROLES:
            return f"any-{role}", role
        return None
