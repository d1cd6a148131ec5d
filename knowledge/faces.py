"""A package's public face: its names resolved from its modules on first use (PEP 562).

Importing one module of a package then never drags in the others; the domains (minutes, answers,
plans, calendar) use each other's modules, and eager imports in their ``__init__`` would form cycles.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["public_face"]


def public_face(package: str, where: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``, whose public names live in the modules ``where`` says."""

    def __getattr__(name: str) -> Any:  # noqa: N807 - the module attribute hook's own name
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(where[name], package), name)
        setattr(sys.modules[package], name, value)  # found once
        return value

    def __dir__() -> list[str]:  # noqa: N807
        return sorted(where)

    return __getattr__, __dir__
