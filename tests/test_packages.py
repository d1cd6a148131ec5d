"""knowledge/ is grouped by domain; each package's public face lists its names, and every one resolves."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["knowledge.minutes", "knowledge.answers", "knowledge.plans", "knowledge.calendar", "knowledge.moderngov"]


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_name_resolves(name):
    package = importlib.import_module(name)
    assert package.__all__ and package.__doc__
    for public in package.__all__:
        assert getattr(package, public) is not None, f"{name}.{public}"


@pytest.mark.parametrize("name", PACKAGES)
def test_each_package_imports_on_its_own(name):
    """A fresh interpreter imports the package first: no import cycle between the domains."""
    code = f"import {name} as p; [getattr(p, n) for n in p.__all__]"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_installed_packages_are_the_folders():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for folder in (ROOT / "knowledge").iterdir():
        if (folder / "__init__.py").exists():
            assert f'"knowledge.{folder.name}"' in text, f"knowledge.{folder.name} is not in pyproject.toml"
