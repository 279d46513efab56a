"""Data tables shipped with osmolab (CSV/YAML files with a ``source`` column).

Tables are loaded once, lazily. Lines starting with ``#`` in a CSV are comments (used for
the file's provenance notes).
"""

from __future__ import annotations

import functools
from importlib import resources

import yaml

__all__ = ["load_csv", "load_yaml", "path"]


def path(name: str):
    """Path-like object of the data file ``name`` (e.g. ``"species.csv"``)."""
    return resources.files(__name__).joinpath(name)


@functools.cache
def load_csv(name: str):
    """Return the CSV table ``name`` as a pandas DataFrame (cached; do not mutate it)."""
    import pandas as pd  # lazy: pandas takes ~1 s to import; read on a table's first use

    with path(name).open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, comment="#", skipinitialspace=True)


@functools.cache
def load_yaml(name: str):
    """Return the YAML file ``name`` as plain Python objects (cached; do not mutate it)."""
    with path(name).open("r", encoding="utf-8") as handle:
        return yaml.safe_load(handle)
