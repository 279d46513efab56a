"""Errors and warnings raised by osmolab.

Every problem a user can cause (an unknown species, a negative amount, an impossible
pressure, a design that cannot reach its target) raises :class:`InputError` with a one-line
message saying what is wrong and what to do. Interfaces turn it into exit code 2 (CLI) or
HTTP 422 (web) without a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class InputError(ValueError):
    """Bad user input: the message is one line naming the problem and the remedy."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


class ModelRangeWarning(UserWarning):
    """A model was evaluated outside the range it was fitted or validated over."""


def finite_number(value, label: str) -> float:
    """Return ``value`` as a finite float, or raise :class:`InputError` naming ``label``.

    Examples
    --------
    >>> finite_number("2.5", "membrane area")
    2.5
    """
    if isinstance(value, bool):
        raise InputError(f"{label} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{label} must be a number, got {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InputError(f"{label} must be finite, got {value!r}")
    return number


def suggest(name: str, choices: Iterable[str], n: int = 3) -> str:
    """Return a ``" Did you mean ...?"`` hint with the nearest names, or ``""``.

    Examples
    --------
    >>> suggest("NaCll", ["NaCl", "KNO3"])
    " Did you mean 'NaCl'?"
    """
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    near = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    if not near:
        return ""
    names = " or ".join(repr(lowered[c]) for c in near)
    return f" Did you mean {names}?"
