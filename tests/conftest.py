"""Hypothesis settings for the whole suite: the same examples on every CI run, fresh ones locally.

CI (the ``CI`` environment variable set, as ``.ci/run`` and CI services do) loads the "ci" profile:
examples are derived from each test (``derandomize``), no example database carries failures from run
to run, nothing depends on timing (no per-example deadline, no "too slow" health check: a busy runner
is slow, not wrong), and a failure prints the blob that replays it (``@reproduce_failure``).
Elsewhere the "dev" profile keeps Hypothesis's defaults, so local runs keep exploring new examples.
``CI=true .venv/bin/python -m pytest`` runs as CI does.

A test's own ``@settings(...)`` overrides only what it names, and the profile is loaded here, before
any test module is imported, so those decorators build on it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Hypothesis loads its own "ci" profile when it sees a CI variable (even an empty one): both ours are
# built on its library defaults, so neither inherits what it loaded.
_DEFAULTS = settings.get_profile("default")
settings.register_profile(
    "ci",
    parent=_DEFAULTS,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],  # timed, as the deadline is
)
settings.register_profile("dev", parent=_DEFAULTS)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
