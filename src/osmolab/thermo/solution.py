"""Aqueous solutions: composition, concentration scales, density, TDS and charge balance.

A :class:`Solution` holds the molality of each solute species [mol/kg water] and the
temperature [K]. Salts are expanded into their ions when the solution is built. Everything
else (molarity, mass concentration, TDS, salinity, ionic strength, charge balance) derives from those two; the osmotic properties are computed from a
Solution by :mod:`osmolab.thermo.osmotic` (``osmotic_pressure(solution)``).

Molalities may be NumPy arrays (all of the same shape): ``feed.scaled(cf)`` with an array of
concentration factors gives one vectorised solution, which is how the RO code walks along a
membrane without Python loops.

Examples
--------
>>> s = Solution.from_string("NaCl 0.5 mol/kg, urea 100 mmol/kg")
>>> s.molalities
{'Na+': 0.5, 'Cl-': 0.5, 'urea': 0.1}
>>> round(s.ionic_strength, 3), round(s.tds, 2)
(0.5, 34.66)
>>> round(Solution.seawater(0.035).density, 1)
1023.7
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import numpy as np

from ..constants import T25
from ..data import load_csv
from ..errors import InputError
from . import species as _species
from .concentration import (
    A_V_DEBYE_HUCKEL,
    REFERENCE_SALINITY,  # noqa: F401  (re-exported)
    amount_items,
    density_apparent_volume,
    is_seawater_name,
    parse_amount,
)
from .seawater import density as seawater_density
from .water import density_Kell

__all__ = [
    "Solution",
    "as_solution",
    "density_apparent_volume",
    "parse_amount",
    "A_V_DEBYE_HUCKEL",
    "MAX_TOTAL_MOLALITY",
    "MAX_SEAWATER_SALINITY",
]

#: Largest total molality accepted [mol/kg]: beyond it no aqueous model means anything
MAX_TOTAL_MOLALITY = 200.0

#: Highest salinity [kg/kg] the seawater preset accepts (sea salts precipitate long before)
MAX_SEAWATER_SALINITY = 0.30


# --------------------------------------------------------------------------------------
# species properties as arrays (cached per tuple of names: the hot path stays in NumPy)
# --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=256)
def _properties(names: tuple[str, ...]):
    table = _species.species_table()
    molar_mass = np.array([table[n].molar_mass for n in names])
    charge = np.array([float(table[n].charge) for n in names])
    volume = np.array([table[n].partial_molar_volume for n in names])
    for array in (molar_mass, charge, volume):
        array.setflags(write=False)
    return molar_mass, charge, volume


@functools.cache
def _seawater_per_kg_salt() -> dict[str, float]:
    """Moles of each species per kg of sea salt of reference composition [mol/kg]."""
    table = load_csv("seawater_composition.csv")
    species = _species.species_table()
    amounts = {
        str(row.species): float(row.mol_per_kg_solution) for row in table.itertuples(index=False)
    }
    # normalise by the mass of the listed solutes (35.16505 g, S_R to 1e-7) so that the
    # preset's salinity is exactly the requested one
    mass = sum(n * species[sp].molar_mass for sp, n in amounts.items())
    return {sp: n / mass for sp, n in amounts.items()}


def _column(values, shape):
    return values.reshape((-1,) + (1,) * len(shape))


def _scalar(x):
    """Return a Python float for 0-d results, the array otherwise."""
    x = np.asarray(x)
    return float(x) if x.ndim == 0 else x


# --------------------------------------------------------------------------------------
# the Solution
# --------------------------------------------------------------------------------------
class Solution:
    """An aqueous solution: solute molalities [mol/kg water] at a temperature [K].

    Parameters
    ----------
    composition : mapping
        Species or salt name (any accepted spelling, see
        :func:`osmolab.thermo.species.canonical_name`) -> molality [mol/kg water]. Salts
        are expanded into their ions; repeated species add up. Values may be arrays of
        one common shape (a batch of solutions).
    temperature : float, default 298.15
        Temperature [K].
    balance : str, optional
        Name of an ion to add so that the solution is electrically neutral, or ``"auto"``
        (adds Cl- for a cation excess, Na+ for an anion excess).
    max_imbalance : float or None, default 0.05
        Largest relative charge imbalance accepted without ``balance`` (see
        :attr:`charge_imbalance`); ``None`` accepts any (e.g. a permeate computed ion by
        ion).
    name : str, optional
        A label (used in tables and reports).

    Raises
    ------
    InputError
        Unknown names, negative or non-finite amounts, a charge imbalance above
        ``max_imbalance`` without ``balance``.

    Examples
    --------
    >>> s = Solution({"Na+": 0.5, "Cl-": 0.5})
    >>> round(s.density, 2), round(s.salinity * 1e3, 2)
    (1017.08, 28.39)
    >>> Solution({"CaCl2": 0.01}).molalities
    {'Ca+2': 0.01, 'Cl-': 0.02}
    """

    __slots__ = ("_names", "_m", "_temperature", "_kind", "name", "_cache")

    def __init__(
        self,
        composition: Mapping[str, float],
        temperature: float = T25,
        *,
        balance: str | None = None,
        max_imbalance: float | None = 0.05,
        name: str | None = None,
    ):
        if isinstance(composition, Solution):
            composition = composition.molalities
        if not isinstance(composition, Mapping):
            raise InputError(
                "composition must map species or salt names to molalities, "
                "e.g. {'Na+': 0.5, 'Cl-': 0.5}; use Solution.from_string for text"
            )
        totals: dict[str, np.ndarray] = {}
        for key, value in composition.items():
            if is_seawater_name(str(key)):
                raise InputError(
                    "seawater is a composition, not a species: use "
                    "Solution.seawater(salinity) or 'seawater 35 g/kg'"
                )
            amount = _as_amount(value, key)
            for sp, nu in _species.expand(str(key)).items():
                try:
                    totals[sp] = totals.get(sp, 0.0) + nu * amount
                except ValueError:  # arrays of shapes that do not broadcast
                    raise InputError(
                        "molality arrays of different shapes; give one common shape"
                    ) from None
        self._init_from_totals(totals, temperature, "custom", balance, max_imbalance, name)

    # -- construction helpers -----------------------------------------------------------
    def _init_from_totals(self, totals, temperature, kind, balance, max_imbalance, name):
        if not totals:
            raise InputError("the solution has no solutes; give at least one species or salt")
        try:
            arrays = np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in totals.values()])
        except ValueError:
            raise InputError("molality arrays of different shapes; give one common shape") from None
        self._names = tuple(totals)
        self._m = np.array(arrays, dtype=float)
        self._temperature = _check_temperature(temperature)
        self._kind = kind
        self.name = name
        self._cache = {}
        if balance is not None:
            self._balance_on(balance)
        self._m.setflags(write=False)  # shared by scaled()/with_temperature(): keep it immutable
        with np.errstate(over="ignore"):
            total = np.sum(self._m, axis=0)
        if np.any(total > MAX_TOTAL_MOLALITY):
            raise InputError(
                f"total molality {float(np.max(total)):.4g} mol/kg is beyond any aqueous "
                f"solution (limit {MAX_TOTAL_MOLALITY:g} mol/kg); check the amounts and units"
            )
        if max_imbalance is not None and (
            isinstance(max_imbalance, bool)
            or not isinstance(max_imbalance, int | float | np.number)
            or not max_imbalance >= 0
            or not np.isfinite(max_imbalance)
        ):
            raise InputError(
                f"max_imbalance must be a number >= 0 (e.g. 0.05) or None, got {max_imbalance!r}"
            )
        if max_imbalance is not None and balance is None:
            imbalance = np.asarray(self.charge_imbalance)
            if np.any(np.abs(imbalance) > max_imbalance):
                worst = float(imbalance.flat[np.argmax(np.abs(imbalance))])
                excess = "cations exceed anions" if worst > 0 else "anions exceed cations"
                raise InputError(
                    f"charge imbalance {abs(worst) * 100:.1f} % ({excess}) is above "
                    f"{max_imbalance * 100:g} %; correct the analysis or balance it on an ion "
                    f"(balance='Cl-' or 'Na+', CLI --balance Cl-)"
                )

    def _balance_on(self, ion: str) -> None:
        self._names, self._m = _balanced(self._names, self._m, ion)

    @classmethod
    def from_arrays(cls, names, molalities, temperature, kind="custom", name=None) -> Solution:
        """Build from canonical species names and a molality array, without validation.

        For code that derives a solution from a checked one (a subset of its species, a
        scaling): the names must be canonical, ``molalities`` a float array of shape
        ``(len(names), ...)`` [mol/kg] and ``temperature`` a checked float [K].

        Examples
        --------
        >>> import numpy as np
        >>> Solution.from_arrays(("Na+", "Cl-"), np.array([0.1, 0.1]), 298.15).molalities
        {'Na+': 0.1, 'Cl-': 0.1}
        """
        obj = cls.__new__(cls)
        obj._names = names
        obj._m = molalities
        molalities.setflags(write=False)
        obj._temperature = temperature
        obj._kind = kind
        obj.name = name
        obj._cache = {}
        return obj

    @classmethod
    def seawater(
        cls, salinity: float = 0.035, temperature: float = T25, *, name: str | None = None
    ) -> Solution:
        """Seawater of reference composition (Millero et al. 2008) at any salinity.

        Parameters
        ----------
        salinity : float or array_like, default 0.035
            Absolute salinity, the mass fraction of dissolved material [kg/kg] (35 g/kg is
            0.035). The reference composition (Table 4 of [1]_) is scaled at fixed ratios.
        temperature : float, default 298.15
            Temperature [K].

        Notes
        -----
        Molality of species *i*: :math:`m_i = n_i^{ref} S / (S_R (1 - S))` with
        :math:`n_i^{ref}` its amount per kg of Standard Seawater at
        :math:`S_R` = 35.16504 g/kg.

        References
        ----------
        .. [1] Millero, F. J., Feistel, R., Wright, D. G. and McDougall, T. J., 2008, The
           composition of Standard Seawater and the definition of the Reference-Composition
           Salinity Scale, Deep-Sea Research I 55, 50-72.

        Examples
        --------
        >>> sw = Solution.seawater(0.035)
        >>> round(sw.molalities["Na+"], 4), round(sw.salinity, 6)
        (0.4837, 0.035)
        """
        s = np.asarray(salinity, dtype=float)
        if np.any(~np.isfinite(s)) or np.any(s < 0):
            raise InputError("seawater salinity must be a finite mass fraction >= 0 [kg/kg]")
        if np.any(s > MAX_SEAWATER_SALINITY):
            raise InputError(
                f"seawater salinity {float(np.max(s)) * 1e3:.0f} g/kg is far outside any "
                f"seawater model (sea salts precipitate above about 250 g/kg; correlations "
                f"hold to 120 g/kg); give a salinity below {MAX_SEAWATER_SALINITY * 1e3:.0f} g/kg"
            )
        salt_per_water = s / (1.0 - s)  # kg sea salt per kg water
        totals = {sp: n * salt_per_water for sp, n in _seawater_per_kg_salt().items()}
        obj = cls.__new__(cls)
        obj._init_from_totals(totals, temperature, "seawater", None, None, name or "seawater")
        return obj

    @classmethod
    def from_string(
        cls,
        text: str,
        temperature: float = T25,
        *,
        balance: str | None = None,
        max_imbalance: float | None = 0.05,
        name: str | None = None,
    ) -> Solution:
        """Build a solution from text such as ``"NaCl 0.5 mol/kg, urea 100 mmol/kg"``.

        Parameters
        ----------
        text : str
            Comma- or semicolon-separated items ``<species | salt | seawater> <amount>
            <unit>``. Units: mol/kg, mmol/kg (molality); mol/L, mmol/L, M, mM (molarity);
            g/L, mg/L (mass concentration); g/kg, mg/kg, ppm (mass per kg of solution);
            % (w/v, g per 100 mL; for seawater % is a salinity, w/w); % w/w, wt %. Amounts
            per volume or per kg of solution are converted to molality through the
            solution density (iterated to convergence).
        temperature : float, default 298.15
            Temperature [K].
        balance, max_imbalance, name
            As for :class:`Solution`.

        Examples
        --------
        >>> s = Solution.from_string("NaCl 0.9 %")
        >>> round(s.molalities["Na+"], 4)
        0.1549
        >>> round(Solution.from_string("seawater 35 g/kg").salinity, 4)
        0.035
        """
        if not isinstance(text, str) or not text.strip():
            raise InputError(
                "empty solution; write e.g. 'NaCl 0.5 mol/kg, urea 100 mmol/kg' "
                "or 'seawater 35 g/kg'"
            )
        items = [part for part in re.split(r"[,;\n]", text)]
        if any(not part.strip() for part in items):
            raise InputError(f"empty item in {text.strip()!r}; separate items with one comma")
        return cls.from_amounts(
            [parse_amount(part) for part in items],
            temperature,
            balance=balance,
            max_imbalance=max_imbalance,
            name=name,
        )

    @classmethod
    def from_amounts(
        cls,
        amounts,
        temperature: float = T25,
        *,
        unit: str | None = None,
        balance: str | None = None,
        max_imbalance: float | None = 0.05,
        name: str | None = None,
    ) -> Solution:
        """Build a solution from amounts in any concentration unit.

        Parameters
        ----------
        amounts : mapping or sequence
            Either a mapping name -> number (in ``unit``) or name -> string with a unit
            (``{"Na+": "10.5 mg/L"}``), or a sequence of ``(name, value, kind, factor)``
            tuples as returned by :func:`parse_amount`.
        temperature : float, default 298.15
            Temperature [K].
        unit : str, optional
            Unit of bare numbers in a mapping (``"mg/L"``).

        Examples
        --------
        >>> s = Solution.from_amounts({"Ca+2": 40.08, "Cl-": 70.9}, unit="mg/L")
        >>> round(s.molalities["Ca+2"] * 1e3, 3)
        1.003
        """
        items = amount_items(amounts, unit)
        temperature = _check_temperature(temperature)
        seawater_only = all(is_seawater_name(n) for n, *_ in items)
        resolved = []
        for raw, value, kind, factor in items:
            if is_seawater_name(raw):
                expansion = _seawater_per_kg_salt()
                mass = 1.0  # one "unit" of sea salt is 1 kg
            else:
                expansion = _species.expand(raw)
                mass = sum(
                    nu * _species.species_table()[sp].molar_mass for sp, nu in expansion.items()
                )
            resolved.append((raw, value * factor, kind, expansion, mass))
        totals = _solve_molalities(
            resolved, temperature, "seawater" if seawater_only else "custom", balance
        )
        obj = cls.__new__(cls)
        obj._init_from_totals(
            totals,
            temperature,
            "seawater" if seawater_only else "custom",
            balance,
            max_imbalance,
            name or ("seawater" if seawater_only else None),
        )
        if seawater_only and np.any(obj.salinity > MAX_SEAWATER_SALINITY):
            cls.seawater(float(np.max(obj.salinity)))  # raises the one-line error
        return obj

    # -- state ---------------------------------------------------------------------------
    @property
    def species(self) -> tuple[str, ...]:
        """Canonical names of the solutes present."""
        return self._names

    @property
    def molalities(self) -> dict:
        """Species -> molality [mol/kg water] (floats, or arrays for a batch)."""
        out = self._cache.get("molalities")
        if out is None:
            if self._m.ndim == 1:
                out = {n: float(v) for n, v in zip(self._names, self._m, strict=True)}
            else:
                out = dict(zip(self._names, self._m, strict=True))
            self._cache["molalities"] = out
        return dict(out)

    @property
    def molality_array(self) -> np.ndarray:
        """Molalities as a read-only array of shape (n_species, ...), in the order of
        :attr:`species` [mol/kg]."""
        return self._m

    @property
    def temperature(self) -> float:
        """Temperature [K]."""
        return self._temperature

    @property
    def kind(self) -> str:
        """``"seawater"`` for the reference-composition preset (and its scalings), else
        ``"custom"``."""
        return self._kind

    @property
    def is_seawater(self) -> bool:
        """True when the composition is seawater of reference composition."""
        return self._kind == "seawater"

    @property
    def shape(self) -> tuple[int, ...]:
        """Batch shape (``()`` for one solution)."""
        return self._m.shape[1:]

    @property
    def memo(self) -> dict:
        """Per-solution store of derived quantities (a Solution is immutable, so what a
        model computes from it once, e.g. its validity notes, stays valid)."""
        return self._cache

    # -- derived quantities -------------------------------------------------------------
    def _arrays(self):
        return _properties(self._names)

    @property
    def total_molality(self):
        """Sum of solute molalities (ideal osmolality) [mol/kg]."""
        return _scalar(np.sum(self._m, axis=0))

    @property
    def solute_mass_ratio(self):
        """Mass of solutes per mass of water [kg/kg]."""
        if "x" not in self._cache:
            mm, _, _ = self._arrays()
            self._cache["x"] = np.sum(self._m * _column(mm, self.shape), axis=0)
        return _scalar(self._cache["x"])

    @property
    def salinity(self):
        """Mass fraction of dissolved solutes [kg/kg] (absolute salinity for seawater)."""
        x = np.asarray(self.solute_mass_ratio)
        return _scalar(x / (1.0 + x))

    @property
    def ionic_strength(self):
        """Molal ionic strength I = 1/2 sum m z^2 [mol/kg]."""
        if "I" not in self._cache:
            _, z, _ = self._arrays()
            self._cache["I"] = 0.5 * np.sum(self._m * _column(z * z, self.shape), axis=0)
        return _scalar(self._cache["I"])

    @property
    def density(self):
        """Density [kg/m^3]: Sharqawy et al. (2010) for seawater up to 160 g/kg, else the
        apparent-molar-volume model :func:`density_apparent_volume`."""
        if "rho" not in self._cache:
            self._cache["rho"] = _density(self._names, self._m, self._temperature, self._kind)
        return _scalar(self._cache["rho"])

    @property
    def water_per_volume(self):
        """Mass of water per volume of solution [kg/m^3] (molality -> molarity factor)."""
        return _scalar(np.asarray(self.density) / (1.0 + np.asarray(self.solute_mass_ratio)))

    @property
    def molarities(self) -> dict:
        """Species -> amount concentration [mol/m^3] (= mmol/L)."""
        factor = np.asarray(self.water_per_volume)
        return {n: _scalar(m * factor) for n, m in zip(self._names, self._m, strict=True)}

    @property
    def mass_concentrations(self) -> dict:
        """Species -> mass concentration [kg/m^3] (= g/L)."""
        factor = np.asarray(self.water_per_volume)
        mm, _, _ = self._arrays()
        return {
            n: _scalar(m * factor * w) for n, m, w in zip(self._names, self._m, mm, strict=True)
        }

    @property
    def tds(self):
        """Total dissolved solids [kg/m^3] (= g/L): all solutes, as dissolved (no loss of
        CO2 or bicarbonate on drying)."""
        x = np.asarray(self.solute_mass_ratio)
        return _scalar(x * np.asarray(self.water_per_volume))

    @property
    def charge_imbalance(self):
        """Relative charge imbalance (sum z+ m - sum |z-| m) / (sum z+ m + sum |z-| m) [-].

        Positive when cations are in excess; 0 when there are no ions.
        """
        if "cb" not in self._cache:
            _, z, _ = self._arrays()
            eq = self._m * _column(z, self.shape)
            cations = np.sum(np.where(eq > 0, eq, 0.0), axis=0)
            anions = -np.sum(np.where(eq < 0, eq, 0.0), axis=0)
            total = cations + anions
            with np.errstate(invalid="ignore", divide="ignore"):
                self._cache["cb"] = np.where(
                    total > 0, (cations - anions) / np.where(total > 0, total, 1.0), 0.0
                )
        return _scalar(self._cache["cb"])

    # -- new solutions ------------------------------------------------------------------
    def scaled(self, factor) -> Solution:
        """A solution with every molality multiplied by ``factor`` (concentration or
        dilution at fixed ratios; an array gives a batch).

        Examples
        --------
        >>> Solution({"NaCl": 0.1}).scaled(2.0).molalities
        {'Na+': 0.2, 'Cl-': 0.2}
        """
        f = np.asarray(factor, dtype=float)
        if f.ndim == 0:
            value = float(f)
            if not np.isfinite(value) or value < 0:
                raise InputError(f"scale factor must be a finite number >= 0, got {factor!r}")
            m = self._m * value
        else:
            if not np.all(np.isfinite(f)) or np.any(f < 0):
                raise InputError("scale factors must be finite numbers >= 0")
            m = (
                self._m.reshape(self._m.shape + (1,) * f.ndim) * f
                if self._m.ndim == 1
                else self._m * f
            )
        if np.any(np.sum(m, axis=0) > MAX_TOTAL_MOLALITY):
            raise InputError(
                f"scaling by {np.max(f):.4g} gives a total molality above "
                f"{MAX_TOTAL_MOLALITY:g} mol/kg"
            )
        return Solution.from_arrays(self._names, m, self._temperature, self._kind, self.name)

    def mixed(self, other: Solution, fraction: float) -> Solution:
        """Mixture with ``other``, ``fraction`` being its mass fraction [kg/kg of mixture].

        Solute amounts and water add by mass; the temperature is the mass-weighted mean
        (heat of mixing and heat-capacity differences neglected). Scalar solutions only.

        Examples
        --------
        >>> a, b = Solution({"NaCl": 1.0}), Solution({"urea": 1.0})
        >>> {k: round(v, 4) for k, v in a.mixed(b, 0.5).molalities.items()}
        {'Na+': 0.5004, 'Cl-': 0.5004, 'urea': 0.4996}
        """
        if not isinstance(other, Solution):
            raise InputError("can only mix with another Solution")
        try:
            f = float(fraction)
        except (TypeError, ValueError):
            raise InputError(
                f"mixing fraction must be a number in [0, 1], got {fraction!r}"
            ) from None
        if not 0.0 <= f <= 1.0:
            raise InputError(f"mixing fraction must be in [0, 1], got {fraction!r}")
        if self.shape or other.shape:
            raise InputError("mixed() takes single solutions, not batches")
        water_a = (1.0 - f) / (1.0 + self.solute_mass_ratio)  # kg water per kg mixture
        water_b = f / (1.0 + other.solute_mass_ratio)
        moles: dict[str, float] = {}
        for sol, water in ((self, water_a), (other, water_b)):
            for name, m in sol.molalities.items():
                moles[name] = moles.get(name, 0.0) + m * water
        water = water_a + water_b
        names = tuple(moles)
        m = np.array([moles[n] / water for n in names])
        kind = "seawater" if self.is_seawater and other.is_seawater else "custom"
        temperature = (1.0 - f) * self.temperature + f * other.temperature
        return Solution.from_arrays(names, m, temperature, kind, self.name)

    def with_temperature(self, temperature: float) -> Solution:
        """The same composition at another temperature [K]."""
        return Solution.from_arrays(
            self._names, self._m, _check_temperature(temperature), self._kind, self.name
        )

    def __getitem__(self, index) -> Solution:
        """Select solutions from a batch (``batch[3]``)."""
        if self._m.ndim == 1:
            raise IndexError("a single solution cannot be indexed")
        m = self._m[(slice(None),) + (index if isinstance(index, tuple) else (index,))]
        return Solution.from_arrays(
            self._names, np.ascontiguousarray(m), self._temperature, self._kind, self.name
        )

    # -- output -------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """Plain-data description (JSON-ready after ``osmolab.report.jsonable.json_safe``)."""
        return {
            "name": self.name,
            "kind": self._kind,
            "temperature_K": self._temperature,
            "molalities_mol_per_kg": self.molalities,
            "density_kg_m3": self.density,
            "tds_g_L": self.tds,
            "salinity_g_kg": _scalar(np.asarray(self.salinity) * 1e3),
            "ionic_strength_mol_kg": self.ionic_strength,
            "charge_imbalance": self.charge_imbalance,
        }

    def __repr__(self) -> str:
        if self._m.ndim == 1:
            parts = ", ".join(f"{n}={v:.6g}" for n, v in zip(self._names, self._m, strict=True))
            comp = f"{{{parts}}} mol/kg"
        else:
            comp = f"{len(self._names)} species x batch {self.shape}"
        label = f"{self.name!r}, " if self.name else ""
        return f"Solution({label}{comp}, T={self._temperature:.2f} K)"


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def as_solution(solution_or_molalities, temperature=None) -> Solution:
    """A :class:`Solution` from a Solution, a solution string or a mapping of molalities.

    The input form every function of :mod:`osmolab.thermo.osmotic` and
    :mod:`osmolab.thermo.tonicity` accepts.

    Parameters
    ----------
    solution_or_molalities : Solution, str or mapping
        A Solution (returned as is, or at ``temperature``), a solution string
        (``"NaCl 0.9 %"``) or a mapping species -> molality [mol/kg water] (no charge-balance
        check: a permeate computed ion by ion may be slightly unbalanced).
    temperature : float, optional
        Temperature [K]; default the solution's own (298.15 K for a string or a mapping).

    Returns
    -------
    Solution

    Examples
    --------
    >>> as_solution({"NaCl": 0.1}, 310.15)
    Solution({Na+=0.1, Cl-=0.1} mol/kg, T=310.15 K)
    """
    if isinstance(solution_or_molalities, Solution):
        if temperature is not None and not _same_temperature(temperature, solution_or_molalities):
            return solution_or_molalities.with_temperature(temperature)
        return solution_or_molalities
    if isinstance(solution_or_molalities, str):
        return Solution.from_string(
            solution_or_molalities, T25 if temperature is None else temperature
        )
    if not isinstance(solution_or_molalities, Mapping):
        raise InputError(
            "expected a Solution, a solution string or a mapping species -> molality "
            f"[mol/kg], got {type(solution_or_molalities).__name__}"
        )
    return Solution(
        solution_or_molalities, T25 if temperature is None else temperature, max_imbalance=None
    )


def _same_temperature(temperature, solution) -> bool:
    try:
        return float(temperature) == solution.temperature
    except (TypeError, ValueError):
        return False


def _check_temperature(temperature) -> float:
    try:
        t = float(temperature)
    except (TypeError, ValueError):
        raise InputError(f"temperature must be a number of kelvin, got {temperature!r}") from None
    if not np.isfinite(t) or t < 243.15 or t > 473.15:
        raise InputError(
            f"temperature {t:.6g} K is outside liquid water at ambient pressure "
            f"(accepted 243-473 K, i.e. -30 to 200 degC)"
        )
    return t


def _as_amount(value, key) -> np.ndarray | float:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        raise InputError(f"molality of {key!r} must be a number [mol/kg], got {value!r}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"molality of {key!r} must be a number [mol/kg], got {value!r}") from None
    if array.size == 0:
        raise InputError(f"molality of {key!r} is an empty array; give at least one value")
    if np.any(~np.isfinite(array)) or np.any(array < 0):
        raise InputError(f"molality of {key!r} must be finite and >= 0 [mol/kg], got {value!r}")
    return float(array) if array.ndim == 0 else array


def _balanced(names, m, ion):
    """Add (or remove) ``ion`` so that sum z m = 0; returns new (names, molalities)."""
    _, charge, _ = _properties(names)
    excess = np.sum(m * _column(charge, m.shape[1:]), axis=0)  # eq/kg, + for cations
    if isinstance(ion, str) and ion.strip().lower() == "auto":
        if np.any(excess > 0) and np.any(excess < 0):
            raise InputError(
                "balance='auto' needs one sign of imbalance for a whole batch; name the ion instead"
            )
        target = "Cl-" if np.all(excess >= 0) else "Na+"
    else:
        target = _species.canonical_name(ion)
    z = _species.species_table()[target].charge
    if z == 0:
        raise InputError(
            f"cannot balance charge on the neutral species {target!r}; "
            f"name an ion such as 'Cl-' or 'Na+'"
        )
    names = list(names)
    if target not in names:
        names.append(target)
        m = np.concatenate([m, np.zeros((1,) + m.shape[1:])])
    else:
        m = m.copy()
    index = names.index(target)
    new = m[index] - excess / z
    if np.any(new < -1e-12 * np.maximum(1.0, np.abs(m[index]))):
        other = "a cation such as 'Na+'" if z < 0 else "an anion such as 'Cl-'"
        raise InputError(
            f"cannot balance on {target}: removing it cannot offset the excess charge; "
            f"balance on {other}"
        )
    m[index] = np.maximum(new, 0.0)
    return tuple(names), m


def _density(names, m, temperature, kind):
    mm, z, v = _properties(names)
    shape = m.shape[1:]
    x = np.sum(m * _column(mm, shape), axis=0)
    salinity = x / (1.0 + x)
    if kind == "seawater" and np.all(salinity <= 0.16):
        return seawater_density(salinity, temperature)
    ionic_strength = 0.5 * np.sum(m * _column(z * z, shape), axis=0)
    return density_apparent_volume(m, mm, v, ionic_strength, temperature)


def _solve_molalities(resolved, temperature, kind, balance=None):
    """Molality of each species from amounts on mixed scales (iterates on the density).

    With formula units j of molar mass M_j and X = sum_j n_j M_j the solute mass per kg of
    water, the amounts give n_j = a_j (molality), a_j (1+X)/rho (molarity),
    a_j (1+X)/(rho M_j) (mass concentration) or a_j (1+X)/M_j (mass fraction). For a given
    density X = (A + B)/(1 - B) in closed form; the density is iterated.
    """
    rho = float(density_Kell(temperature))
    added = 0.0  # solute mass per kg water added by charge balancing
    totals: dict[str, float] = {}
    for _ in range(200):
        a_fixed = added  # solute mass per kg water from molal amounts (and balancing)
        b = 0.0  # solute mass per kg solution from the other scales
        for _raw, amount, kind_j, _expansion, mass in resolved:
            if kind_j == "molality":
                a_fixed += amount * mass
            elif kind_j == "molarity":
                b += amount * mass / rho
            elif kind_j == "mass_concentration":
                b += amount / rho
            else:
                b += amount
        if b >= 1.0:
            raise InputError(
                "the amounts add up to more solute than solution (mass fraction >= 1); "
                "check the amounts and units"
            )
        x = (a_fixed + b) / (1.0 - b)
        totals = {}
        for _raw, amount, kind_j, expansion, mass in resolved:
            if kind_j == "molality":
                n = amount
            elif kind_j == "molarity":
                n = amount * (1.0 + x) / rho
            elif kind_j == "mass_concentration":
                n = amount * (1.0 + x) / (rho * mass)
            else:
                n = amount * (1.0 + x) / mass
            for sp, nu in expansion.items():
                totals[sp] = totals.get(sp, 0.0) + nu * n
        if sum(totals.values()) > MAX_TOTAL_MOLALITY:
            raise InputError(
                f"total molality {sum(totals.values()):.4g} mol/kg is beyond any aqueous "
                f"solution; check the amounts and units"
            )
        names = tuple(totals)
        m = np.array([totals[n] for n in names])
        new_added = 0.0
        if balance is not None:  # balance inside the loop: density and X include the ion
            before = np.sum(m * _properties(names)[0])
            names, m = _balanced(names, m, balance)
            totals = dict(zip(names, m.tolist(), strict=True))
            new_added = float(np.sum(m * _properties(names)[0]) - before)
        new_rho = float(_density(names, m, temperature, kind))
        if not np.isfinite(new_rho) or new_rho <= 0:
            raise InputError("the amounts give no physical density; check the amounts and units")
        converged = abs(new_rho - rho) < 1e-10 * rho and abs(new_added - added) < 1e-13
        rho, added = new_rho, new_added
        if converged:
            break
    return totals
