"""Improvement plans: their actions with Red/Amber/Green ratings, imported from spreadsheets, updated by
their officers (with history), reported as text, CSV, XLSX and charts, and asked about in chat."""

from __future__ import annotations

from knowledge.faces import public_face

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
__getattr__, __dir__ = public_face(__name__, _WHERE)
