"""Solute species and salts: names, molar masses, charges, diffusivities and sizes.

Canonical species names follow PHREEQC's spelling (``Na+``, ``Ca+2``, ``SO4-2``, ``B(OH)3``,
``glucose``). :func:`canonical_name` maps the spellings people write ("Ca2+", "Ca++",
"SO4 2-", "sulfate", "boric acid", "Glucose") to them; :func:`salt_ions` expands salts
("NaCl", "CaCl2", "sodium sulfate") into their ions.

The data live in ``data/species.csv`` and ``data/salts.csv`` (with their sources) and are
loaded once, lazily.

Examples
--------
>>> canonical_name("Ca2+"), canonical_name("SO4 2-"), canonical_name("boric acid")
('Ca+2', 'SO4-2', 'B(OH)3')
>>> salt_ions("CaCl2")
{'Ca+2': 1.0, 'Cl-': 2.0}
>>> round(molar_mass("NaCl") * 1e3, 3)
58.443
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..data import load_csv
from ..errors import InputError, suggest

__all__ = [
    "Species",
    "species",
    "species_names",
    "salt_names",
    "canonical_name",
    "canonical_salt",
    "resolve",
    "salt_ions",
    "expand",
    "molar_mass",
    "charge",
    "species_table",
]


@dataclass(frozen=True)
class Species:
    """One solute species (SI units).

    Attributes
    ----------
    name : str
        Canonical name (``"Ca+2"``).
    formula : str
        Formula without charge (``"Ca"``).
    molar_mass : float
        Molar mass [kg/mol].
    charge : int
        Charge number [-].
    diffusivity : float
        Tracer diffusivity at infinite dilution in water at 25 degC [m^2/s].
    radius : float
        Hydrated (Nightingale 1959) or Stokes-Einstein radius [m], see ``radius_kind``.
    radius_kind : str
        ``"hydrated"`` or ``"stokes"``.
    partial_molar_volume : float
        Standard partial molar volume at 25 degC, conventional scale V(H+) = 0 [m^3/mol].
    aliases : tuple of str
        Other accepted names.
    source : str
        Where the numbers come from (see the header of ``data/species.csv``).
    """

    name: str
    formula: str
    molar_mass: float
    charge: int
    diffusivity: float
    radius: float
    radius_kind: str
    partial_molar_volume: float
    aliases: tuple[str, ...]
    source: str

    @property
    def is_ion(self) -> bool:
        """True for charged species."""
        return self.charge != 0


def _key(text: str) -> str:
    """Lower-case, whitespace-collapsed lookup key."""
    return " ".join(text.lower().split())


def _compact(text: str) -> str:
    """Lower-case key without whitespace, brackets or carets (for formula spellings)."""
    return re.sub(r"[\s^{}()\[\]]", "", text.lower())


@functools.cache
def species_table() -> dict[str, Species]:
    """Canonical name -> :class:`Species` for every row of ``data/species.csv`` (cached;
    do not mutate it)."""
    table = load_csv("species.csv")
    out = {}
    for row in table.itertuples(index=False):
        aliases = tuple(a.strip() for a in str(row.aliases).split(";") if a.strip())
        out[row.name] = Species(
            name=str(row.name),
            formula=str(row.formula),
            molar_mass=float(row.molar_mass_g_mol) * 1e-3,
            charge=int(row.charge),
            diffusivity=float(row.diffusivity_m2_s),
            radius=float(row.radius_m),
            radius_kind=str(row.radius_kind),
            partial_molar_volume=float(row.partial_molar_volume_cm3_mol) * 1e-6,
            aliases=aliases,
            source=str(row.source),
        )
    return out


@functools.cache
def _salt_table() -> dict[str, tuple[dict[str, float], tuple[str, ...]]]:
    known = species_table()
    out = {}
    for row in load_csv("salts.csv").itertuples(index=False):
        ions = {}
        for pair in str(row.ions).split():
            ion, _, nu = pair.rpartition(":")
            if ion not in known:  # pragma: no cover - data error caught by the tests
                raise RuntimeError(f"salts.csv: {row.name} uses unknown species {ion!r}")
            ions[ion] = float(nu)
        aliases = tuple(a.strip() for a in str(row.aliases).split(";") if a.strip())
        out[str(row.name)] = (ions, aliases)
    return out


@functools.cache
def _lookup() -> tuple[
    dict[str, str], dict[tuple[str, int], str], dict[str, list[str]], dict[str, str]
]:
    """Build the name maps: plain keys, (formula, charge) keys, bare formulas, salts."""
    names: dict[str, str] = {}
    by_formula_charge: dict[tuple[str, int], str] = {}
    by_formula: dict[str, list[str]] = {}
    for sp in species_table().values():
        for text in (sp.name, *sp.aliases):
            names.setdefault(_key(text), sp.name)
            names.setdefault(_compact(text), sp.name)
        by_formula_charge[(_compact(sp.formula), sp.charge)] = sp.name
        by_formula.setdefault(_compact(sp.formula), []).append(sp.name)
    salts: dict[str, str] = {}
    for salt, (_, aliases) in _salt_table().items():
        for text in (salt, *aliases):
            salts.setdefault(_key(text), salt)
            salts.setdefault(_compact(text), salt)
    return names, by_formula_charge, by_formula, salts


_SIGN_THEN_DIGITS = re.compile(r"^(?P<formula>.+?)(?P<sign>[+-])(?P<n>\d+)$")
_SIGNS = re.compile(r"^(?P<formula>.+?)(?P<signs>\++|-+)$")
_DIGITS_THEN_SIGN = re.compile(r"^(?P<head>.+?)(?P<sign>[+-])$")


def _charge_candidates(compact: str):
    """Yield (formula, charge) readings of a compact spelling such as 'so42-' or 'ca+2'."""
    m = _SIGN_THEN_DIGITS.match(compact)
    if m:
        sign = 1 if m["sign"] == "+" else -1
        yield m["formula"], sign * int(m["n"])
    m = _SIGNS.match(compact)
    if m:
        sign = 1 if m["signs"][0] == "+" else -1
        yield m["formula"], sign * len(m["signs"])
    m = _DIGITS_THEN_SIGN.match(compact)
    if m:
        head, sign = m["head"], (1 if m["sign"] == "+" else -1)
        # "so42-" may be SO4 with charge 2- or SO with 42-: try every split of trailing digits
        digits = len(head) - len(head.rstrip("0123456789"))
        for k in range(1, digits + 1):
            yield head[:-k], sign * int(head[-k:])


def _match_species(text: str) -> str | None:
    names, by_formula_charge, by_formula, _ = _lookup()
    if text in species_table():
        return text
    for key in (_key(text), _compact(text)):
        if key in names:
            return names[key]
    compact = _compact(text)
    for formula, z in _charge_candidates(compact):
        if (formula, z) in by_formula_charge:
            return by_formula_charge[(formula, z)]
    # a bare formula ("Ca", "SO4", "HCO3") names the only species with that formula
    candidates = by_formula.get(compact, [])
    if len(candidates) == 1:
        return candidates[0]
    return None


def _match_salt(text: str) -> str | None:
    _, _, _, salts = _lookup()
    if text in _salt_table():
        return text
    for key in (_key(text), _compact(text)):
        if key in salts:
            return salts[key]
    return None


def _all_names() -> list[str]:
    names = list(species_table())
    names += list(_salt_table())
    for sp in species_table().values():
        names += list(sp.aliases)
    return names


def _check_text(text, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"expected a {what} name such as 'Na+' or 'NaCl', got {text!r}")
    return text.strip()


def canonical_name(text: str) -> str:
    """Canonical name of the species written ``text``.

    Parameters
    ----------
    text : str
        A species name or formula in a common spelling: ``"Na+"``, ``"Ca2+"``, ``"Ca+2"``,
        ``"Ca++"``, ``"SO4-2"``, ``"SO4 2-"``, ``"SO4--"``, ``"sulfate"``, ``"boric acid"``,
        ``"Glucose"``. A bare formula (``"Ca"``, ``"HCO3"``) names the species with that
        formula.

    Returns
    -------
    str
        The canonical (PHREEQC-like) name, e.g. ``"SO4-2"``.

    Raises
    ------
    InputError
        Unknown species (the message suggests the nearest names); a salt name (use
        :func:`salt_ions`).

    Examples
    --------
    >>> [canonical_name(t) for t in ("Na+", "Ca++", "SO4--", "sulphate", "GLUCOSE")]
    ['Na+', 'Ca+2', 'SO4-2', 'SO4-2', 'glucose']
    """
    text = _check_text(text, "species")
    found = _match_species(text)
    if found is not None:
        return found
    salt = _match_salt(text)
    if salt is not None:
        raise InputError(
            f"{text!r} is a salt, not a species; it dissociates into {' + '.join(salt_ions(salt))}"
        )
    hint = suggest(text, _all_names())
    raise InputError(
        f"unknown species {text!r}."
        + (hint if hint else " Known species: osmolab.thermo.species.species_names()")
    )


def canonical_salt(text: str) -> str:
    """Canonical name of the salt written ``text`` (``"sodium chloride"`` -> ``"NaCl"``).

    Examples
    --------
    >>> canonical_salt("magnesium sulphate")
    'MgSO4'
    """
    text = _check_text(text, "salt")
    found = _match_salt(text)
    if found is None:
        hint = suggest(text, list(_salt_table()))
        raise InputError(f"unknown salt {text!r}." + (hint or " Known salts: salt_names()"))
    return found


def resolve(text: str) -> tuple[str, str]:
    """Classify ``text`` as a species or a salt.

    Returns
    -------
    tuple of str
        ``("species", canonical_name)`` or ``("salt", salt_name)``.

    Examples
    --------
    >>> resolve("Mg2+"), resolve("epsom salt")
    (('species', 'Mg+2'), ('salt', 'MgSO4'))
    """
    text = _check_text(text, "species or salt")
    found = _match_species(text)
    if found is not None:
        return "species", found
    salt = _match_salt(text)
    if salt is not None:
        return "salt", salt
    hint = suggest(text, _all_names())
    raise InputError(
        f"unknown species or salt {text!r}."
        + (hint if hint else " Known names: osmolab.thermo.species.species_names(), salt_names()")
    )


def salt_ions(name: str) -> dict[str, float]:
    """Ions released by one formula unit of a salt (full dissociation).

    Examples
    --------
    >>> salt_ions("sodium sulfate")
    {'Na+': 2.0, 'SO4-2': 1.0}
    """
    return dict(_salt_table()[canonical_salt(name)][0])


def expand(name: str) -> dict[str, float]:
    """Species released by one mole of ``name`` (a species maps to itself).

    Examples
    --------
    >>> expand("Ca2+"), expand("KCl")
    ({'Ca+2': 1.0}, {'K+': 1.0, 'Cl-': 1.0})
    """
    kind, canonical = resolve(name)
    if kind == "species":
        return {canonical: 1.0}
    return dict(_salt_table()[canonical][0])


def species(name: str) -> Species:
    """The :class:`Species` record of ``name`` (any accepted spelling).

    Examples
    --------
    >>> sp = species("Cl-")
    >>> sp.charge, sp.diffusivity
    (-1, 2.032e-09)
    """
    return species_table()[canonical_name(name)]


def species_names() -> tuple[str, ...]:
    """All canonical species names, in table order."""
    return tuple(species_table())


def salt_names() -> tuple[str, ...]:
    """All salt names, in table order."""
    return tuple(_salt_table())


def molar_mass(name: str) -> float:
    """Molar mass of a species or salt [kg/mol].

    Examples
    --------
    >>> round(molar_mass("glucose") * 1e3, 2)
    180.16
    """
    return sum(nu * species_table()[sp].molar_mass for sp, nu in expand(name).items())


def charge(name: str) -> int:
    """Charge number of a species (0 for a salt, which is neutral).

    Examples
    --------
    >>> charge("PO4 3-")
    -3
    """
    return int(round(sum(nu * species_table()[sp].charge for sp, nu in expand(name).items())))
