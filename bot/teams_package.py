"""The Teams app package: ``manifest.json`` and two icons in a zip, for *Upload a custom app* in Teams.

The manifest and icons are made here (the icons drawn pixel by pixel into PNGs with ``zlib``), so the
package command works wherever the bot is installed; ``teams/`` in the repository holds the same files
with a placeholder app id, for reading and for Teams' Developer Portal, and a test keeps them in step.
The bot's commands (from the registry) become the manifest's command menu.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handlers.registry import Command
from knowledge.addresses import entra_object_id
from knowledge.models import UserError

__all__ = [
    "ACCENT",
    "APP_ID_PLACEHOLDER",
    "AppDetails",
    "color_icon",
    "files",
    "manifest",
    "outline_icon",
    "package",
    "write_package",
]

APP_ID_PLACEHOLDER = "${{BOT_APP_ID}}"
ACCENT = (0x1F, 0x5F, 0x7A)  # a deep teal
MANIFEST_VERSION = "1.19"
_MAX_COMMANDS = 10  # Teams shows at most ten commands per scope
RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class AppDetails:
    """What the manifest says about the app and who publishes it (a council sets its own)."""

    app_id: str = APP_ID_PLACEHOLDER
    version: str = "1.0.0"
    developer: str = "Democratic Services"
    website: str = "https://www.example.gov.uk/scrutiny-bot"
    privacy: str = "https://www.example.gov.uk/scrutiny-bot/privacy"
    terms: str = "https://www.example.gov.uk/scrutiny-bot/terms"


# --- icons ---------------------------------------------------------------------------------------


def _png(width: int, height: int, pixel: Callable[[int, int], RGBA]) -> bytes:
    """An RGBA PNG whose colour at (x, y) is ``pixel(x, y)``."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _page(x: float, y: float) -> str:
    """Where (x, y) in a unit square falls on the glyph: a page of minutes with lines of text."""
    if not (0.28 <= x <= 0.72 and 0.18 <= y <= 0.82):
        return "outside"
    if x > 0.60 and y < 0.18 + (x - 0.60):  # the folded corner
        return "outside"
    edge = min(x - 0.28, 0.72 - x, y - 0.18, 0.82 - y)
    if x > 0.60:
        edge = min(edge, (y - 0.18 - (x - 0.60)) / 1.42)  # the fold's own edge, at 45 degrees
    if edge < 0.045:
        return "edge"
    for top in (0.34, 0.46, 0.58, 0.70):
        if top <= y <= top + 0.05 and 0.36 <= x <= (0.56 if top == 0.70 else 0.64):
            return "line"
    return "inside"


def color_icon(size: int = 192) -> bytes:
    """The full-colour icon: a white page of minutes on the accent colour."""
    white, accent = (255, 255, 255, 255), (*ACCENT, 255)

    def pixel(x: int, y: int) -> RGBA:
        where = _page((x + 0.5) / size, (y + 0.5) / size)
        return accent if where in ("outside", "line") else white

    return _png(size, size, pixel)


def outline_icon(size: int = 32) -> bytes:
    """The outline icon Teams asks for: the page in white on a transparent background."""
    white, clear = (255, 255, 255, 255), (255, 255, 255, 0)

    def pixel(x: int, y: int) -> RGBA:
        return white if _page((x + 0.5) / size, (y + 0.5) / size) in ("edge", "line") else clear

    return _png(size, size, pixel)


# --- the manifest ------------------------------------------------------------------------------


def _commands(commands: Iterable[Command]) -> list[dict[str, str]]:
    ordered = sorted(commands, key=lambda c: c.role != "member")  # what everybody may use first
    return [{"title": c.name[:32], "description": _short(c.summary, 128)} for c in ordered[:_MAX_COMMANDS]]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def manifest(details: AppDetails, commands: Iterable[Command]) -> dict[str, Any]:
    """The Teams app manifest for the bot registered as ``details.app_id``."""
    scopes = ["personal", "team", "groupChat"]
    return {
        "$schema": f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json",
        "manifestVersion": MANIFEST_VERSION,
        "version": details.version,
        "id": details.app_id,
        "developer": {
            "name": details.developer,
            "websiteUrl": details.website,
            "privacyUrl": details.privacy,
            "termsOfUseUrl": details.terms,
        },  # fmt: skip
        "name": {"short": "Scrutiny bot", "full": "Scrutiny bot: council minutes, deadlines and reminders"},
        "description": {
            "short": "What committees decided, quoted from the minutes, with meetings and deadlines.",
            "full": "Ask what a committee resolved, recommended or discussed, and get the exact words of the "
            "minutes with the body, meeting date, item and a link. It knows the meeting calendar and the "
            "statutory deadlines, keeps improvement-plan actions with their ratings, and sends reminders. "
            "Exempt (Part 2) material is quoted only to officers, in a 1:1 chat or an officers' channel.",
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": details.app_id,
                "scopes": scopes,
                "isNotificationOnly": False,
                "supportsFiles": False,
                "commandLists": [{"scopes": scopes, "commands": _commands(commands)}],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def package(details: AppDetails, commands: Iterable[Command]) -> bytes:
    """The zip Teams takes: ``manifest.json``, ``color.png`` and ``outline.png`` at its top level."""
    if not entra_object_id(details.app_id):
        raise UserError(f"--app-id must be the bot's Entra app (client) id, a GUID, not {details.app_id!r}")
    for name, url in (("website", details.website), ("privacy", details.privacy), ("terms", details.terms)):
        if not url.startswith("https://"):
            raise UserError(f"--{name} must be an https:// address (Teams refuses others), not {url!r}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files(details, commands).items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # the same bytes every time
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def files(details: AppDetails, commands: Iterable[Command]) -> dict[str, bytes]:
    """The package's files by name."""
    text = json.dumps(manifest(details, commands), indent=2, ensure_ascii=False) + "\n"
    return {"manifest.json": text.encode("utf-8"), "color.png": color_icon(), "outline.png": outline_icon()}


def write_package(details: AppDetails, commands: Iterable[Command], out: Path) -> Path:
    """Write the package to ``out`` (a folder gets ``scrutiny-bot.zip``); returns the file written."""
    target = out / "scrutiny-bot.zip" if out.is_dir() else out
    target.write_bytes(package(details, commands))
    return target
