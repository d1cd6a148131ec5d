"""The Teams app package: a manifest Teams takes, two icons of the sizes it asks for, one command to zip them."""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from bot import cli
from bot.teams_package import APP_ID_PLACEHOLDER, AppDetails, files, manifest, package
from handlers.commands import build_registry
from knowledge.models import UserError

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "11111111-2222-4333-8444-555566667777"


def _pixels(png: bytes) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """Width, height and RGBA pixels of one of our PNGs (8-bit RGBA, no filtering)."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert (depth, colour) == (8, 6)
    idat = png.index(b"IDAT")
    length = struct.unpack(">I", png[idat - 4 : idat])[0]
    raw = zlib.decompress(png[idat + 4 : idat + 4 + length])
    stride = 1 + 4 * width
    pixels = [
        tuple(raw[r * stride + 1 + 4 * x : r * stride + 5 + 4 * x])
        for r in range(height)
        for x in range(width)
    ]
    return width, height, pixels  # type: ignore[return-value]


def test_the_icons_are_the_sizes_teams_asks_for() -> None:
    contents = files(AppDetails(), build_registry())
    width, height, colour = _pixels(contents["color.png"])
    assert (width, height) == (192, 192) and all(p[3] == 255 for p in colour) and len(set(colour)) == 2
    width, height, outline = _pixels(contents["outline.png"])
    assert (width, height) == (32, 32)
    assert {p for p in outline if p[3]} == {(255, 255, 255, 255)}  # white on transparent, nothing else
    assert any(p[3] == 0 for p in outline)


def test_the_manifest_names_the_bot_its_scopes_and_its_commands() -> None:
    data = manifest(AppDetails(app_id=APP_ID), build_registry())
    assert data["id"] == APP_ID and data["bots"][0]["botId"] == APP_ID
    assert data["bots"][0]["scopes"] == ["personal", "team", "groupChat"]
    commands = data["bots"][0]["commandLists"][0]["commands"]
    assert 0 < len(commands) <= 10 and commands[0]["title"] == "help"
    assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in commands)
    assert len(data["description"]["short"]) <= 80 and len(data["name"]["short"]) <= 30
    assert all(
        data["developer"][k].startswith("https://") for k in ("websiteUrl", "privacyUrl", "termsOfUseUrl")
    )


def test_the_repository_copy_is_what_the_command_makes() -> None:
    for name, data in files(AppDetails(), build_registry()).items():
        assert (ROOT / "teams" / name).read_bytes() == data, f"teams/{name} is out of date"
    assert (
        json.loads((ROOT / "teams" / "manifest.json").read_text(encoding="utf-8"))["id"] == APP_ID_PLACEHOLDER
    )


def test_the_package_is_a_zip_of_the_three_files_and_the_same_every_time() -> None:
    made = package(AppDetails(app_id=APP_ID), build_registry())
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        assert json.loads(archive.read("manifest.json"))["id"] == APP_ID
    assert package(AppDetails(app_id=APP_ID), build_registry()) == made


@pytest.mark.parametrize(
    ("details", "words"),
    [(AppDetails(), "--app-id must be the bot's Entra app (client) id"),
     (AppDetails(app_id=APP_ID, privacy="http://example.org"), "--privacy must be an https:// address")],
)  # fmt: skip
def test_a_package_teams_would_refuse_is_not_made(details: AppDetails, words: str) -> None:
    with pytest.raises(UserError, match=re.escape(words)):
        package(details, build_registry())


def test_the_command_writes_the_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "app.zip"
    assert cli.main(["teams", "package", "--app-id", APP_ID.upper(), "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read("manifest.json"))["bots"][0]["botId"] == APP_ID
    assert "Upload" in capsys.readouterr().err
    assert cli.main(["teams", "package", "--app-id", "not-a-guid", "--out", str(out)]) == 2
    assert "--app-id must be" in capsys.readouterr().err
