"""Shared pytest configuration.

Hypothesis runs derandomised so that CI gives the same verdict on every run; a failure
seen once is reproducible by the next run (no flaky red CI). Set
``HYPOTHESIS_PROFILE=explore`` to search with fresh random examples.
"""

import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
