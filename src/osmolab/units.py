"""Parsing of user-facing quantities ("35 g/kg", "25 degC", "100 m3/h") into SI floats.

Only interfaces (CLI, design files, web, ``project()`` override strings) call this module; the
physics takes SI floats (K, Pa, kg/kg, m^3, ...).

One rule at every user entry (see docs/units.md): a bare number is

* a temperature in degC (:func:`parse_temperature`),
* a pressure in bar (:func:`parse_pressure`),
* a salinity in g/kg (:func:`parse_salinity`),

and any value may carry its own unit ("298.15 K", "5 atm", "3.5 %"). Other quantities take
their SI unit when bare (:func:`parse_volume`: m^3; :func:`parse_quantity` with no
``default_unit``).
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
    "volume": ("m**3", "[length] ** 3"),
    "power": ("W", "[power]"),
    "mass_concentration": ("kg/m**3", "[mass] / [length] ** 3"),
    "molar_concentration": ("mol/m**3", "[substance] / [length] ** 3"),
    "molality": ("mol/kg", "[substance] / [mass]"),
    "diffusivity": ("m**2/s", "[length] ** 2 / [time]"),
}


#: The unit of a bare number at every user entry (CLI options, design files, override strings).
BARE_UNITS = {"temperature": "degC", "pressure": "bar", "salinity": "g/kg"}


@functools.cache
def registry():
    """The shared pint unit registry (created lazily; pint is slow to import)."""
    import pint  # lazy: pint takes ~0.3 s to import and only the edges parse units

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
    # molar: "0.1 M", "10 mM", "5 uM"/"5 µM" (not the M of MPa or MGD)
    (re.compile(r"(?<=[\d\s])([mu\u00b5\u03bc]?)M\b"), r" \1mol/liter"),
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
        ``area``, ``volume``, ``power``, ``mass_concentration``, ``molar_concentration``, ``molality``,
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
    import pint  # lazy: pint takes ~0.3 s to import and only the edges parse units

    if dimension not in _DIMENSIONS:
        raise InputError(f"unknown dimension {dimension!r}; use one of {sorted(_DIMENSIONS)}")
    si_unit, _ = _DIMENSIONS[dimension]
    shown_unit = default_unit or si_unit  # the unit a user of this entry would write
    ureg = registry()
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
        if default_unit is None:
            return _finite(value, text, dimension)
        text = f"{value} {default_unit}"
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"expected a {dimension} such as '1 {shown_unit}', got {text!r}")
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
            f"{raw!r} is not a {dimension}; give it in units like {shown_unit}"
        ) from None
    except Exception:
        raise InputError(
            f"cannot read {raw!r} as a {dimension}; write a number and a unit, e.g. '1 {shown_unit}'"
        ) from None
    return _finite(float(value), raw, dimension)


def _finite(value: float, raw, dimension: str) -> float:
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(f"{raw!r} is not a finite {dimension}")
    return value


def is_bare(value) -> bool:
    """True for a number or a string holding only a number (no unit), which takes the bare unit.

    Examples
    --------
    >>> is_bare("25"), is_bare("25 degC")
    (True, False)
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        float(str(value).strip())
    except (TypeError, ValueError):
        return False
    return True


def parse_temperature(text) -> float:
    """A user's temperature in kelvin: a bare number is degC, a string may carry its unit.

    Parameters
    ----------
    text : str or float
        ``25``, ``"25"``, ``"25 degC"``, ``"25 °C"``, ``"298.15 K"`` or ``"77 degF"``.

    Returns
    -------
    float
        Absolute temperature [K], above 0 K.

    Raises
    ------
    InputError
        Not a temperature, not finite, or at or below absolute zero.

    Examples
    --------
    >>> parse_temperature("25")
    298.15
    >>> parse_temperature("300 K")
    300.0
    """
    kelvin = parse_quantity(text, "temperature", default_unit=BARE_UNITS["temperature"])
    if not kelvin > 0:
        shown = f"{text:g} degC" if isinstance(text, (int, float)) else repr(text)
        raise InputError(
            f"temperature {shown} is {kelvin:.6g} K, at or below absolute zero; a bare number "
            "is degC, write '300 K' for kelvin"
        )
    return kelvin


def parse_pressure(text) -> float:
    """A user's pressure in pascal: a bare number is bar, a string may carry its unit.

    Parameters
    ----------
    text : str or float
        ``60``, ``"60"``, ``"60 bar"``, ``"5 atm"``, ``"500 kPa"`` or ``"870 psi"``.

    Returns
    -------
    float
        Pressure [Pa] (gauge or absolute as the caller's quantity is defined).

    Examples
    --------
    >>> parse_pressure("60")
    6000000.0
    >>> parse_pressure("1 atm")
    101325.0
    """
    return parse_quantity(text, "pressure", default_unit=BARE_UNITS["pressure"])


_SALINITY_ALIASES = [
    (re.compile(r"\s*(%|\bpercent\b)", re.I), " percent"),
    (re.compile(r"\s*(\bppt\b|\bpsu\b|‰|\bpermil\b)", re.I), " g/kg"),
    (re.compile(r"\bppm\b", re.I), " mg/kg"),
]


def parse_salinity(text, from_concentration=None) -> float:
    """A user's salinity as a mass fraction: a bare number is g/kg, a string may carry its unit.

    Parameters
    ----------
    text : str or float
        ``35``, ``"35"``, ``"35 g/kg"``, ``"3.5 %"``, ``"35 ppt"``, ``"35 psu"``,
        ``"35000 ppm"`` or ``"0.035 kg/kg"``. A bare number between 0 and 0.3 is refused as
        ambiguous (0.035 g/kg or a mass fraction of 0.035?).
    from_concentration : callable, optional
        Converts a mass concentration [kg/m^3] (``"2000 mg/L"``) to a mass fraction [kg/kg];
        it needs a solution density, which this module does not know. Without it a
        concentration is refused.

    Returns
    -------
    float
        Salinity as a mass fraction [kg/kg], 0 <= S < 1.

    Examples
    --------
    >>> parse_salinity("35")
    0.035
    >>> parse_salinity("3.5 %")
    0.035
    """
    if is_bare(text):
        number = float(str(text).strip()) if not isinstance(text, (int, float)) else float(text)
        number = _finite(number, text, "salinity")
        if 0 < number < 0.3:
            raise InputError(
                f"bare salinity {number:g} is ambiguous: write '{number:g} g/kg' or "
                f"'{number * 1000:g} g/kg' ({number:g} kg/kg)"
            )
        fraction = number / 1000.0
    else:
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"expected a salinity such as '35 g/kg', got {text!r}")
        normalised = text.strip()
        for pattern, repl in _SALINITY_ALIASES:
            normalised = pattern.sub(repl, normalised).strip()
        try:
            concentration = parse_quantity(normalised, "mass_concentration")
        except InputError:
            concentration = None
        if concentration is not None:
            if from_concentration is None:
                raise InputError(
                    f"{text!r} is a concentration; give the salinity as a mass ratio, "
                    "e.g. '35 g/kg' or '3.5 %'"
                )
            fraction = float(from_concentration(concentration))
        else:
            try:
                fraction = float(registry().Quantity(normalised).to("").magnitude)
            except Exception:
                raise InputError(
                    f"cannot read salinity {text!r}; write a mass ratio such as '35 g/kg', "
                    "'3.5 %' or '35000 ppm'"
                ) from None
        fraction = _finite(fraction, text, "salinity")
    if not 0 <= fraction < 1:
        raise InputError(f"salinity {text!r} is not a mass fraction between 0 and 1000 g/kg")
    return fraction


def parse_volume(text) -> float:
    """A user's volume in m^3 (``"10 mL"``, ``"1 L"``, ``"2e-5 m3"``; a bare number is m^3).

    Returns
    -------
    float
        Volume [m^3], positive and finite.

    Examples
    --------
    >>> round(parse_volume("10 mL"), 12)
    1e-05
    """
    value = parse_quantity(text, "volume")
    if not value > 0:
        raise InputError(f"volume must be positive and finite, got {text!r}")
    return value


#: The parser of each quantity that has a bare unit at user entries (see :data:`BARE_UNITS`).
UNIT_PARSERS = {
    "temperature": parse_temperature,
    "pressure": parse_pressure,
    "salinity": parse_salinity,
}
