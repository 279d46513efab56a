"""Parsing of user-facing quantities ("35 g/kg", "25 degC", "100 m3/h") into SI floats.

Only interfaces (CLI, design files, web) call this module; the physics takes SI floats.
"""

from __future__ import annotations

import functools
import re

from .errors import InputError

_DIMENSIONS = {
    "temperature": ("K", "[temperature]"),
    "pressure": ("Pa", "[pressure]"),
    "length": ("m", "[length]"),
    "time": ("s", "[time]"),
    "flow": ("m**3/s", "[length] ** 3 / [time]"),
    "flux": ("m/s", "[length] / [time]"),
    "area": ("m**2", "[length] ** 2"),
    "power": ("W", "[power]"),
    "mass_concentration": ("kg/m**3", "[mass] / [length] ** 3"),
    "molar_concentration": ("mol/m**3", "[substance] / [length] ** 3"),
    "molality": ("mol/kg", "[substance] / [mass]"),
    "diffusivity": ("m**2/s", "[length] ** 2 / [time]"),
}


@functools.cache
def registry():
    """The shared pint unit registry (created lazily; pint is slow to import)."""
    import pint

    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.define("gpd = gallon / day")
    ureg.define("gpm = gallon / minute")
    ureg.define("lmh = liter / meter**2 / hour = LMH")
    ureg.define("mgd = 1e6 gallon / day = MGD")
    return ureg


_ALIASES = [
    (re.compile(r"°\s*C\b|\bdeg\s*C\b|\bdegC\b|\bcelsius\b", re.I), "degC"),
    (re.compile(r"°\s*F\b|\bdeg\s*F\b|\bdegF\b", re.I), "degF"),
    (re.compile(r"\bm3\b"), "m**3"),
    (re.compile(r"\bm2\b"), "m**2"),
    (re.compile(r"\bcm2\b"), "cm**2"),
    (re.compile(r"\bft2\b"), "ft**2"),
    (re.compile(r"\bL\b"), "liter"),
    (re.compile(r"\bmL\b"), "milliliter"),
]


def _normalise(text: str) -> str:
    text = text.strip()
    for pattern, repl in _ALIASES:
        text = pattern.sub(repl, text)
    return text


def parse_quantity(text, dimension: str, default_unit: str | None = None) -> float:
    """Parse ``text`` (e.g. ``"25 degC"``, ``"100 m3/h"``) and return it in SI units.

    Parameters
    ----------
    text : str or float
        A number with a unit. A bare number takes ``default_unit``.
    dimension : str
        One of ``temperature``, ``pressure``, ``length``, ``time``, ``flow``, ``flux``,
        ``area``, ``power``, ``mass_concentration``, ``molar_concentration``, ``molality``,
        ``diffusivity``.
    default_unit : str, optional
        Unit of a bare number; without it a bare number is taken as SI.

    Returns
    -------
    float
        The value in the SI unit of ``dimension`` (K, Pa, m, s, m^3/s, ...).

    Examples
    --------
    >>> parse_quantity("25 degC", "temperature")
    298.15
    >>> round(parse_quantity("100 m3/h", "flow"), 6)
    0.027778
    >>> parse_quantity("55", "pressure", default_unit="bar")
    5500000.0
    """
    import pint

    if dimension not in _DIMENSIONS:
        raise InputError(f"unknown dimension {dimension!r}; use one of {sorted(_DIMENSIONS)}")
    si_unit, _ = _DIMENSIONS[dimension]
    ureg = registry()
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
        if default_unit is None:
            return _finite(value, text, dimension)
        text = f"{value} {default_unit}"
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"expected a {dimension} such as '1 {si_unit}', got {text!r}")
    raw = text
    text = _normalise(text)
    try:
        float(text)
        bare = True
    except ValueError:
        bare = False
    if bare:
        if default_unit is None:
            return _finite(float(text), raw, dimension)
        text = f"{text} {_normalise(default_unit)}"
    try:
        quantity = ureg.Quantity(text)
        value = quantity.to(si_unit).magnitude
    except pint.errors.DimensionalityError:
        raise InputError(
            f"{raw!r} is not a {dimension}; give it in units like {si_unit}"
        ) from None
    except Exception:
        raise InputError(
            f"cannot read {raw!r} as a {dimension}; write a number and a unit, e.g. '1 {si_unit}'"
        ) from None
    return _finite(float(value), raw, dimension)


def _finite(value: float, raw, dimension: str) -> float:
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(f"{raw!r} is not a finite {dimension}")
    return value
