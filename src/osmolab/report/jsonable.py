"""Results as plain JSON values: what ``--json`` prints and the web API answers.

NumPy scalars and arrays become numbers and lists, NaN and infinities become ``None`` (JSON
has no NaN), and objects with a ``to_dict()`` (an RO projection, a Monte Carlo result) are
converted through it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

__all__ = ["json_safe"]


def json_safe(value):
    """``value`` with NumPy values as plain ones, NaN/inf as ``None``, ``to_dict()`` applied.

    Examples
    --------
    >>> json_safe({"a": np.float64("nan"), "b": np.arange(2), "c": (1.5, float("inf"))})
    {'a': None, 'b': [0, 1], 'c': [1.5, None]}
    """
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return json_safe(value.tolist())
    if isinstance(value, np.generic):
        return json_safe(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return json_safe(value.to_dict())
    return value
