"""Concentration scales: reading user amounts and the density that links them.

:func:`parse_amount` reads ``"<species | salt | seawater> <amount> <unit>"`` items (units
parsed once with pint, then cached), and :func:`density_apparent_volume` gives the solution
density that converts amounts per volume (mol/L, g/L, % w/v) to molalities.

Examples
--------
>>> parse_amount("Ca2+ 40 mg/L")
('Ca2+', 40.0, 'mass_concentration', 0.001)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import numpy as np

from ..errors import InputError
from ..units import registry
from . import species
from .water import density_Kell

__all__ = [
    "A_V_DEBYE_HUCKEL",
    "REFERENCE_SALINITY",
    "amount_items",
    "density_apparent_volume",
    "is_seawater_name",
    "parse_amount",
]

#: Debye-Hueckel limiting slope of the apparent molar volume at 25 degC, molality scale,
#: for the ionic-strength form V_ex = A_V I^(3/2) [m^3 kg^(1/2) mol^(-3/2)] (Millero 1972;
#: Redlich & Meyer 1964: 1.868 cm^3 kg^(1/2) mol^(-3/2)).
A_V_DEBYE_HUCKEL = 1.868e-6

#: Absolute salinity of the reference composition of Millero et al. (2008) [kg/kg]
REFERENCE_SALINITY = 0.03516504
_UNIT_HELP = "mol/kg, mmol/kg, mol/L, mmol/L, meq/L, g/L, mg/L, g/kg, ppm (mg/kg) or % (w/v)"


# --------------------------------------------------------------------------------------
# physics: density of an electrolyte/non-electrolyte solution
# --------------------------------------------------------------------------------------
def density_apparent_volume(
    molalities, molar_masses, partial_molar_volumes, ionic_strength, temperature
):
    r"""Solution density from additive standard partial molar volumes.

    Parameters
    ----------
    molalities : array_like, shape (n, ...)
        Molality of each solute [mol/kg water].
    molar_masses : array_like, shape (n,)
        Molar mass of each solute [kg/mol].
    partial_molar_volumes : array_like, shape (n,)
        Standard partial molar volume of each solute at 25 degC [m^3/mol].
    ionic_strength : numeric
        Molal ionic strength [mol/kg].
    temperature : numeric
        Temperature [K] (enters through the density of water only).

    Returns
    -------
    numeric
        Density [kg/m^3].

    Notes
    -----
    The volume of the solution holding 1 kg of water is that of the water plus the
    standard partial molar volumes of the solutes plus the Debye-Hueckel limiting-law
    excess volume of the ions:

    .. math:: \rho = \frac{1 + \sum_i m_i M_i}{1/\rho_w(T) + \sum_i m_i \bar V_i^\circ
              + A_V I^{3/2}}

    With :math:`A_V` = 1.868 cm^3 kg^1/2 mol^-3/2 this reproduces the density of NaCl
    solutions to 0.05 % up to 20 wt % and of sucrose solutions to 0.1 % (CRC Handbook,
    "Concentrative properties of aqueous solutions"; tested). The partial molar volumes
    are those at 25 degC; away from it only the water term follows temperature, which
    costs about 0.1 % at 0 and 50 degC for seawater-strength solutions.

    References
    ----------
    .. [1] Millero, F. J., 1972, The partial molal volumes of electrolytes in aqueous
       solutions, in Horne, R. A. (ed.), Water and Aqueous Solutions, Wiley, 519-595.
    .. [2] Redlich, O. and Meyer, D. M., 1964, The molal volumes of electrolytes,
       Chem. Rev. 64, 221-227.

    Examples
    --------
    >>> m = [[1.901], [1.901]]   # 10 wt % NaCl as Na+ and Cl-
    >>> rho = density_apparent_volume(m, [0.02299, 0.035453], [-1.21e-6, 17.83e-6], 1.901,
    ...                               293.15)
    >>> round(float(rho[0]), 1)
    1070.1
    """
    m = np.asarray(molalities, dtype=float)
    mm = np.asarray(molar_masses, dtype=float)
    v = np.asarray(partial_molar_volumes, dtype=float)
    shape = (-1,) + (1,) * (m.ndim - 1)
    mass = 1.0 + np.sum(m * mm.reshape(shape), axis=0)
    volume = (
        1.0 / density_Kell(temperature)
        + np.sum(m * v.reshape(shape), axis=0)
        + A_V_DEBYE_HUCKEL * np.asarray(ionic_strength, dtype=float) ** 1.5
    )
    return mass / volume


# --------------------------------------------------------------------------------------
# parsing user amounts ("0.5 mol/kg", "35 g/kg", "0.9 %")
# --------------------------------------------------------------------------------------
#: Units pint does not read (or reads otherwise): unit -> (amount kind, factor to SI).
#: Amount kinds: molality [mol/kg water], molarity [mol/m^3], mass_concentration [kg/m^3],
#: mass_fraction [kg/kg solution].
_SPECIAL_UNITS = {
    "%": ("mass_concentration", 10.0),
    "% w/v": ("mass_concentration", 10.0),
    "%w/v": ("mass_concentration", 10.0),
    "% (w/v)": ("mass_concentration", 10.0),
    "w/v %": ("mass_concentration", 10.0),
    "% w/w": ("mass_fraction", 0.01),
    "%w/w": ("mass_fraction", 0.01),
    "% (w/w)": ("mass_fraction", 0.01),
    "wt%": ("mass_fraction", 0.01),
    "wt %": ("mass_fraction", 0.01),
    "ppm": ("mass_fraction", 1e-6),
    "ppb": ("mass_fraction", 1e-9),
    "ppt": ("mass_fraction", 1e-3),
    "‰": ("mass_fraction", 1e-3),
    "molal": ("molality", 1.0),
    "g/100ml": ("mass_concentration", 10.0),
    "g/100 ml": ("mass_concentration", 10.0),
    "mg/100ml": ("mass_concentration", 0.01),
    "mg/100 ml": ("mass_concentration", 0.01),
    "mmol/kgw": ("molality", 1e-3),
    "mol/kgw": ("molality", 1.0),
}


@functools.lru_cache(maxsize=512)
def _unit_kind(unit: str) -> tuple[str, float]:
    """Classify a concentration unit: (kind, factor to the SI magnitude of that kind)."""
    raw = unit
    unit = " ".join(unit.strip().split())
    if not unit:
        raise InputError(f"missing unit; use {_UNIT_HELP}")
    if unit == "m":  # molal; pint would read metre (and "M" is molar)
        return "molality", 1.0
    if unit.lower() in _SPECIAL_UNITS:
        return _SPECIAL_UNITS[unit.lower()]
    import pint  # lazy: pint takes ~0.5 s to import; only parsing a new unit string needs it

    text = re.sub(r"(?<=[A-Za-z])([23])\b", r"**\1", unit).replace("µ", "u").replace("μ", "u")
    try:
        quantity = registry().Quantity(1.0, text)
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        AttributeError,
        TypeError,
        ValueError,
        SyntaxError,
        KeyError,
        AssertionError,
    ):
        raise InputError(f"unknown unit {raw!r}; use {_UNIT_HELP}") from None
    except Exception:
        raise InputError(f"unknown unit {raw!r}; use {_UNIT_HELP}") from None
    dims = dict(quantity.dimensionality)
    targets = (
        ("molality", {"[substance]": 1, "[mass]": -1}, "mol/kg"),
        ("molarity", {"[substance]": 1, "[length]": -3}, "mol/m**3"),
        ("mass_concentration", {"[mass]": 1, "[length]": -3}, "kg/m**3"),
        ("mass_fraction", {}, "dimensionless"),
    )
    for kind, want, si in targets:
        if dims == want:
            factor = float(quantity.to(si).magnitude)
            return kind, float(f"{factor:.12g}")
    raise InputError(f"{raw!r} is not a concentration unit; use {_UNIT_HELP}")


_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_ITEM = re.compile(
    rf"^(?P<name>.*[^\s:=])(?:\s*[:=]\s*|\s+)(?P<value>{_NUMBER})\s*(?P<unit>[^\d\s].*)?$"
)


def parse_amount(text: str) -> tuple[str, float, str, float]:
    """Read one ``"<species | salt | seawater> <amount> <unit>"`` item.

    Returns
    -------
    tuple
        ``(name, value, kind, factor)``: the name as written, the number, the amount kind
        (``molality``, ``molarity``, ``mass_concentration``, ``mass_fraction``) and the
        factor taking the number to SI (mol/kg, mol/m^3, kg/m^3, kg/kg).

    Examples
    --------
    >>> parse_amount("NaCl 0.9 %")
    ('NaCl', 0.9, 'mass_concentration', 10.0)
    >>> parse_amount("SO4 2- 10 mmol/L")
    ('SO4 2-', 10.0, 'molarity', 1.0)
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError(
            "empty solution item; write '<species or salt> <amount> <unit>', e.g. 'NaCl 0.5 mol/kg'"
        )
    item = " ".join(text.split())
    match = _ITEM.match(item)
    if match is None:
        raise InputError(
            f"cannot read {item!r}; write '<species or salt> <amount> <unit>', "
            f"e.g. 'NaCl 0.5 mol/kg' (amount a plain number)"
        )
    name, value, unit = match["name"].strip(), float(match["value"]), match["unit"]
    if unit is None:
        raise InputError(f"no unit in {item!r}; give one of {_UNIT_HELP}")
    if value < 0:
        raise InputError(f"negative amount in {item!r}; amounts must be >= 0")
    if not np.isfinite(value):
        raise InputError(f"amount in {item!r} is not a finite number")
    unit = unit.strip()
    if is_seawater_name(name) and unit.lower() in ("%", "percent"):
        return name, value, "mass_fraction", 0.01  # a salinity in percent is w/w
    if unit.lower() == "psu":
        if not is_seawater_name(name):
            raise InputError(f"'psu' (practical salinity) applies to seawater only, not {name!r}")
        # reference-composition salinity S_R = (35.16504/35) S_P  (Millero et al. 2008)
        return name, value, "mass_fraction", REFERENCE_SALINITY / 35.0
    equivalents = _EQUIVALENT_UNIT.match(unit)
    if equivalents:
        return name, value, *_equivalent_kind(name, equivalents, item)
    kind, factor = _unit_kind(unit)
    return name, value, kind, factor


#: milli-/micro-equivalents per litre or per kg of water (water analyses)
_EQUIVALENT_UNIT = re.compile(r"^(?P<prefix>[mµμu]?)eq\s*/\s*(?P<base>L|l|kg|kgw)$")


def _equivalent_kind(name: str, match, item: str) -> tuple[str, float]:
    """(kind, factor) of an amount in (m)eq/L or (m)eq/kg for species or salt ``name``."""
    expansion = species.expand(name)
    table = species.species_table()
    charge = sum(nu * table[sp].charge for sp, nu in expansion.items() if table[sp].charge > 0)
    if len(expansion) == 1:
        charge = abs(table[next(iter(expansion))].charge)
    if charge == 0:
        raise InputError(f"{item!r}: equivalents need an ion or a salt, {name!r} is neutral")
    prefix = {"": 1.0, "m": 1e-3}.get(match["prefix"], 1e-6)
    if match["base"].lower() in ("kg", "kgw"):
        return "molality", prefix / charge
    return "molarity", prefix * 1e3 / charge


def is_seawater_name(name: str) -> bool:
    """True when ``name`` means seawater of reference composition (``"sea water"``, ...).

    Examples
    --------
    >>> is_seawater_name("Sea  Water"), is_seawater_name("NaCl")
    (True, False)
    """
    return isinstance(name, str) and " ".join(name.lower().split()) in (
        "seawater",
        "sea water",
        "standard seawater",
        "sea salt",
        "seasalt",
    )


def amount_items(amounts, unit=None) -> list[tuple[str, float, str, float]]:
    """Amounts as ``(name, value, kind, factor)`` tuples (those of :func:`parse_amount`).

    Parameters
    ----------
    amounts : mapping or sequence
        A mapping name -> number (in ``unit``) or name -> string with a unit
        (``{"Na+": "10.5 mg/L"}``), or a sequence of tuples returned by :func:`parse_amount`.
    unit : str, optional
        Unit of bare numbers in a mapping (``"mg/L"``).

    Examples
    --------
    >>> amount_items({"Na+": 23.0}, "mg/L")
    [('Na+', 23.0, 'mass_concentration', 0.001)]
    """
    if isinstance(amounts, Mapping):
        items = []
        for key, value in amounts.items():
            if isinstance(value, str):
                number = value.strip()
                name, v, kind, factor = parse_amount(
                    f"{key} {number}"
                    if unit is None or not _bare_number(number)
                    else f"{key} {number} {unit}"
                )
            else:
                if unit is None:
                    raise InputError(
                        f"amount of {key!r} has no unit; pass unit='mg/L' or a "
                        f"string such as '10 mg/L'"
                    )
                if isinstance(value, bool) or value is None:
                    raise InputError(f"amount of {key!r} must be a number, got {value!r}")
                try:
                    v = float(value)
                except (TypeError, ValueError):
                    raise InputError(f"amount of {key!r} must be a number, got {value!r}") from None
                if not np.isfinite(v) or v < 0:
                    raise InputError(f"amount of {key!r} must be finite and >= 0, got {value!r}")
                kind, factor = _unit_kind(unit)
                name = str(key)
            items.append((name, v, kind, factor))
        if not items:
            raise InputError("no amounts given")
        return items
    items = list(amounts)
    if not items:
        raise InputError("no amounts given")
    return items


def _bare_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
