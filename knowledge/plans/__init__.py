"""Improvement plans: their actions with Red/Amber/Green ratings, imported from spreadsheets, updated by
their officers (with history), reported as text, CSV, XLSX and charts, and asked about in chat."""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Each public name and the module that holds it: imported when first used, so that importing one
#: module of the package never drags in the others (the domains use each other's modules).
_WHERE = {
    "Action": ".actions",
    "add_update": ".status",
    "answer_plan_question": ".answers",
    "build_report": ".reports",
    "find_action": ".actions",
    "import_plan_file": ".imports",
    "list_actions": ".actions",
    "list_plans": ".actions",
    "PermissionDenied": ".status",
    "Plan": ".actions",
    "set_status": ".status",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    """The public name ``name``, from the module of the package that holds it."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
