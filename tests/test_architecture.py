"""The shape of the code: imports point one way, public names are listed, importing has no effects."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: What each layer may not import (knowledge <- handlers <- bot).
FORBIDDEN = {
    "knowledge": ("slack_bolt", "slack_sdk", "microsoft_agents", "aiohttp", "apscheduler", "handlers", "bot",
                  "argparse"),
    "handlers": ("slack_bolt", "slack_sdk", "microsoft_agents", "aiohttp", "apscheduler", "bot", "sqlite3",
                 "sqlite_utils"),
}


def modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_one_way(package):
    offenders = {
        str(p.relative_to(ROOT)): sorted(imported(p) & set(FORBIDDEN[package]))
        for p in modules(package)
        if imported(p) & set(FORBIDDEN[package])
    }
    assert offenders == {}


def test_handlers_hold_no_sql():
    for path in modules("handlers"):
        text = path.read_text(encoding="utf-8").upper()
        assert (
            "SELECT " not in text
            and "INSERT " not in text
            and "UPDATE " not in text.replace("UPDATE REF", "")
        ), path


@pytest.mark.parametrize("package", ["knowledge", "handlers", "bot"])
def test_public_modules_list_their_names_and_import_cleanly(package):
    pkg = importlib.import_module(package)
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_") or info.ispkg:
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        exported = getattr(module, "__all__", None)
        assert exported is not None, f"{module.__name__} has no __all__"
        missing = [name for name in exported if not hasattr(module, name)]
        assert not missing, f"{module.__name__}.__all__ names what it lacks: {missing}"
