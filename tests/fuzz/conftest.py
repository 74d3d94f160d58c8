"""Hypothesis profiles for the fuzz suite: `ci` (default, bounded so the suite stays under a minute) and `long`.

A longer run: `HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/fuzz` (see docs/errors.md).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                      HealthCheck.data_too_large, HealthCheck.large_base_example])
settings.register_profile("ci", max_examples=50, **_COMMON)
settings.register_profile("long", max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "1000")), **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
