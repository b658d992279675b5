"""Hypothesis settings shared by the ``tests/test_fuzz_*.py`` modules.

Two profiles, chosen with the ``HYPOTHESIS_PROFILE`` environment variable:

- ``ci`` (the default): derandomized, so every run of the gate tries the same
  examples and a failure is reproducible; each test's budget is the modest number it
  passes to :func:`examples`, and the whole fuzz suite stays within ~30 s here.
- ``long``: random examples (a new seed each run) and 20 times each budget, for a
  hunt before a release: ``HYPOTHESIS_PROFILE=long pytest tests/test_fuzz_*.py``.

Hypothesis's own deadline is off in both: the machine is shared, and a test that
needs a time bound (the query parser's) measures it itself with a generous limit.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "long",
    derandomize=False,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)

#: How many times each test's CI budget the long profile runs.
SCALE = 20 if PROFILE == "long" else 1


def examples(budget: int) -> settings:
    """``@examples(n)``: ``n`` examples on CI, ``n * SCALE`` in the long profile."""
    return settings(max_examples=budget * SCALE)
