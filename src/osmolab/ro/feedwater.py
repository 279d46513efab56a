"""Feed composition for the RO engine and its tabulated properties.

The march along an RO train needs the osmotic pressure, density, viscosity and salt
diffusivity of the feed-channel water thousands of times per projection. They depend mainly
on how far the feed has been concentrated, so for each feed composition this module builds
a table over the total solute molality (the feed shape scaled by a concentration factor)
and the temperature, evaluated once with the foundation models; the compiled kernels and
the Python side interpolate it bilinearly with the one helper here (:func:`table_value`,
vectorised as :func:`interpolate`).

Osmotic pressure: ``osmolab.thermo.osmotic.osmotic_pressure`` (Pitzer) when available,
otherwise the Sharqawy et al. (2010) seawater osmotic coefficient at the salinity of the same
total molality (sea salt's mean molar mass) times the van 't Hoff term,
:math:`\\Pi = \\phi\\, m_{tot}\\, R T \\rho_w`. Density and viscosity: Sharqawy et al. (2010) at
the solution's mass fraction of solutes. Salt diffusivity: NaCl (Nernst–Haskell,
Stokes–Einstein in temperature).
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numba import njit

from .. import data
from ..constants import T25, R
from ..errors import InputError
from ..thermo import seawater
from ..thermo.osmotic import osmotic_pressure
from ..thermo.species import canonical_name
from ..thermo.water import density_Kell
from ..transport.liquid import nacl_diffusivity

#: Molar masses [g/mol] and charges of solutes missing from data/species.csv (IUPAC 2013)
_EXTRA_SPECIES = {"CO2": (44.0095, 0), "urea": (60.0553, 0), "glucose": (180.156, 0),
                  "sucrose": (342.297, 0), "glycerol": (92.0938, 0), "ethanol": (46.0684, 0)}
_M_NACL = 0.05844277


@functools.cache
def _species_data() -> dict:
    out = {k: (v[0] / 1e3, v[1]) for k, v in _EXTRA_SPECIES.items()}
    try:
        table = data.load_csv("species.csv")
        for row in table.itertuples():
            out[row.name] = (float(row.molar_mass_g_mol) / 1e3, int(row.charge))
    except FileNotFoundError:  # pragma: no cover - the table ships with osmolab
        out.update({"Na+": (0.02298977, 1), "Cl-": (0.035453, -1)})
    return out


def _canonical(name: str) -> str:
    return canonical_name(name)


@dataclass(frozen=True)
class Composition:
    """Feed composition as arrays over its solutes.

    Attributes
    ----------
    species : tuple of str
        Canonical solute names.
    molality : ndarray
        Molalities [mol/kg water].
    molar_mass : ndarray
        [kg/mol].
    charge : ndarray
        Charge numbers [-].
    """

    species: tuple
    molality: np.ndarray
    molar_mass: np.ndarray
    charge: np.ndarray

    @property
    def total_molality(self) -> float:
        return float(self.molality.sum())

    @property
    def solute_mass_per_kg_water(self) -> float:
        return float(self.molality @ self.molar_mass)

    @property
    def salinity(self) -> float:
        """Mass fraction of solutes [kg/kg]."""
        w = self.solute_mass_per_kg_water
        return w / (1.0 + w)

    def factor_for_salinity(self, salinity):
        """Scale factor of the molalities giving the salinity ``salinity`` [kg/kg]."""
        salinity = np.asarray(salinity, dtype=float)
        return salinity / ((1.0 - salinity) * self.solute_mass_per_kg_water)

    def key(self) -> tuple:
        return (self.species, tuple(np.round(self.molality, 12)))


def seawater_composition(salinity: float) -> Composition:
    """Millero et al. (2008) reference-composition seawater at ``salinity`` [kg/kg]."""
    table = data.load_csv("seawater_composition.csv")
    species = tuple(table["species"])
    per_kg_solution = table["mol_per_kg_solution"].to_numpy(float)
    spec = _species_data()
    mm = np.array([spec[s][0] for s in species])
    s_ref = float(per_kg_solution @ mm)
    molality = per_kg_solution / (1.0 - s_ref)
    base = Composition(species, molality, mm, np.array([spec[s][1] for s in species], float))
    return Composition(species, molality * float(base.factor_for_salinity(salinity)), mm,
                       base.charge)


def nacl_composition(salinity: float) -> Composition:
    """NaCl solution of mass fraction ``salinity`` [kg/kg]."""
    m = float(salinity) / ((1.0 - float(salinity)) * _M_NACL)
    spec = _species_data()
    return Composition(("Na+", "Cl-"), np.array([m, m]),
                       np.array([spec["Na+"][0], spec["Cl-"][0]]), np.array([1.0, -1.0]))


def composition_from_molalities(molalities: Mapping) -> Composition:
    """Composition from ``{species: molality [mol/kg]}`` (names are canonicalised)."""
    spec = _species_data()
    names, values = [], []
    for name, m in molalities.items():
        canon = _canonical(str(name))
        if canon not in spec:
            raise InputError(f"no molar mass known for solute {name!r} in an RO feed")
        m = float(np.asarray(m, dtype=float))
        if m < 0 or not np.isfinite(m):
            raise InputError(f"molality of {name!r} must be >= 0, got {m}")
        if m > 0:
            names.append(canon)
            values.append(m)
    if not names:
        raise InputError("the RO feed has no solutes; give a salinity or a composition")
    return Composition(tuple(names), np.array(values), np.array([spec[n][0] for n in names]),
                       np.array([spec[n][1] for n in names], float))


def feed_composition(feed) -> Composition:
    """Composition of an :class:`osmolab.ro.config.Feed` (before salinity overrides)."""
    if feed.solution is not None:
        molalities = getattr(feed.solution, "molalities", feed.solution)
        comp = composition_from_molalities(molalities)
        if feed.salinity is not None:
            f = float(comp.factor_for_salinity(feed.salinity))
            comp = Composition(comp.species, comp.molality * f, comp.molar_mass, comp.charge)
        return comp
    if feed.salt == "NaCl":
        return nacl_composition(feed.salinity)
    return seawater_composition(feed.salinity)


def _osmotic_pressure(comp: Composition, factor, temperature):
    """Osmotic pressure [Pa] of ``comp`` scaled by ``factor`` (arrays broadcast)."""
    try:  # the Pitzer model; the Sharqawy fallback below covers what it refuses
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mol = {s: m * factor for s, m in zip(comp.species, comp.molality, strict=True)}
            value = np.asarray(osmotic_pressure(mol, temperature=temperature), float)
        if np.all(np.isfinite(value)):
            return value
    except (InputError, KeyError, TypeError, ValueError):
        pass  # species outside the Pitzer database: use the seawater fallback below
    m_tot = comp.total_molality * factor
    s_eq = np.minimum(m_tot * seawater.M_SEA_SALT / (1.0 + m_tot * seawater.M_SEA_SALT), 0.25)
    phi = seawater.osmotic_coefficient(s_eq, temperature, warn=False)
    return phi * m_tot * R * temperature * density_Kell(temperature)


class PropertyTable(NamedTuple):
    r"""Properties on a grid of sqrt(total molality) x temperature.

    Arrays have shape (n_temperature, n_grid): osmotic pressure [Pa], density [kg/m^3],
    water mass per solution volume [kg/m^3], viscosity [Pa s], salt diffusivity [m^2/s].
    The grid is uniform in :math:`\sqrt{m_{tot}}` (step ``m_step`` [sqrt(mol/kg)]; fine at
    brackish and coarse at brine concentrations, where the properties are smooth) and in
    temperature (``t_start`` [K], ``t_step`` [K]). A ``typing.NamedTuple``: the compiled RO
    kernels take it as one argument.
    """

    m_step: float
    t_start: float
    t_step: float
    osmotic_pressure: np.ndarray
    density: np.ndarray
    water_density: np.ndarray
    viscosity: np.ndarray
    diffusivity: np.ndarray


# --------------------------------------------------------------------------------------
# Interpolation in a property table: the one bilinear helper (compiled), used by the march
# kernels and, through :func:`interpolate`, by the Python side of the RO engine.
# --------------------------------------------------------------------------------------
@njit(cache=True)
def table_cell(m, t_frac, m_step, n_t, n_m):
    """Grid cell and weights of (total molality ``m`` [mol/kg], fractional temperature row
    ``t_frac``) in a table of shape (n_t, n_m); linear extrapolation beyond the last cell.

    Returns (row, column, row weight, column weight, sqrt(m)).
    """
    sq = math.sqrt(m) if m > 0.0 else 0.0
    fm = sq / m_step
    im = int(fm)
    if im > n_m - 2:
        im = n_m - 2
    it = int(t_frac)
    if it > n_t - 2:
        it = n_t - 2
    return it, im, t_frac - it, fm - im, sq


@njit(cache=True)
def table_at(values, it, im, wt, wm):
    """Bilinear value of ``values`` in the cell (it, im) with weights (wt, wm)."""
    v0 = values[it, im] + (values[it, im + 1] - values[it, im]) * wm
    v1 = values[it + 1, im] + (values[it + 1, im + 1] - values[it + 1, im]) * wm
    return v0 + (v1 - v0) * wt


@njit(cache=True)
def table_value(values, m, t_frac, m_step):
    """Bilinear interpolation of ``values`` at (sqrt(m), t_frac) (see :func:`table_cell`)."""
    n_t, n_m = values.shape
    it, im, wt, wm, _sq = table_cell(m, t_frac, m_step, n_t, n_m)
    return table_at(values, it, im, wt, wm)


@njit(cache=True)
def table_value_slope(values, m, t_frac, m_step):
    """Interpolated value of ``values`` and its derivative d/dm at (m, t_frac)."""
    n_t, n_m = values.shape
    it, im, wt, wm, sq = table_cell(m, t_frac, m_step, n_t, n_m)
    a0 = values[it, im]
    a1 = values[it + 1, im]
    s0 = values[it, im + 1] - a0
    s1 = values[it + 1, im + 1] - a1
    v0 = a0 + s0 * wm
    v1 = a1 + s1 * wm
    if sq < 1e-8:
        sq = 1e-8
    return v0 + (v1 - v0) * wt, (s0 + (s1 - s0) * wt) / m_step / (2.0 * sq)


def temperature_row(table, temperature):
    """Fractional row of ``temperature`` [K] in ``table``, clipped to the grid [-]."""
    return np.clip((np.asarray(temperature, dtype=float) - table.t_start) / table.t_step, 0.0,
                   table.osmotic_pressure.shape[0] - 1.0)


@njit(cache=True)
def _interpolate_flat(values, m, t_frac, m_step, out):
    for i in range(m.shape[0]):
        out[i] = table_value(values, m[i], t_frac[i], m_step)


def interpolate(table, values, molality, temperature):
    """A property of ``table`` at total molalities and temperatures (arrays broadcast).

    Parameters
    ----------
    table : PropertyTable
    values : ndarray
        One of the table's arrays (``table.osmotic_pressure``, ``table.density``...).
    molality : array_like
        Total solute molality [mol/kg].
    temperature : array_like
        [K] (clipped to the table's range).

    Returns
    -------
    ndarray
        The interpolated property, in the unit of ``values``.

    Examples
    --------
    >>> t = property_table(seawater_composition(0.035))
    >>> round(float(interpolate(t, t.osmotic_pressure, 1.15, 298.15)) / 1e5, 1)  # 25 degC
    25.8
    """
    m, temp = np.broadcast_arrays(np.asarray(molality, dtype=float),
                                  np.asarray(temperature, dtype=float))
    out = np.empty(m.size)
    _interpolate_flat(np.ascontiguousarray(values, dtype=float), m.ravel(),
                      temperature_row(table, temp).ravel(), float(table.m_step), out)
    return out.reshape(m.shape)


#: Default table range: total molality up to 8 mol/kg (about 200 g/kg of sea salt) and
#: 0-50 degC, widened when a feed lies outside
TABLE_MAX_MOLALITY = 8.0
TABLE_TEMPERATURES = (273.15, 323.15)
TABLE_T_STEP = 2.5


@functools.lru_cache(maxsize=64)
def _table_cached(key, t_lo, t_hi, n_m):
    comp = _TABLE_COMPS[key]
    n_t = int(round((t_hi - t_lo) / TABLE_T_STEP)) + 1
    temps = t_lo + TABLE_T_STEP * np.arange(n_t)
    sqrt_grid = np.linspace(0.0, np.sqrt(TABLE_MAX_MOLALITY), n_m)
    m_grid = sqrt_grid**2
    factor = m_grid / comp.total_molality
    tt, ff = np.meshgrid(temps, factor, indexing="ij")
    pi = _osmotic_pressure(comp, ff, tt)
    w = comp.solute_mass_per_kg_water * ff
    salinity = w / (1.0 + w)
    s_clip = np.minimum(salinity, 0.16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rho = seawater.density(s_clip, tt)
        mu = seawater.viscosity(s_clip, tt)
    rho = rho + (salinity - s_clip) * 700.0  # gentle extrapolation beyond the fit
    water_density = rho / (1.0 + w)
    diff = nacl_diffusivity(m_grid / 2.0, tt)
    return PropertyTable(sqrt_grid[1], temps[0], TABLE_T_STEP,
                         *(np.ascontiguousarray(a, dtype=float)
                           for a in (pi, rho, water_density, mu, diff)))


_TABLE_COMPS: dict = {}


def property_table(comp: Composition, temperatures=TABLE_TEMPERATURES, n_molality=257):
    """Build (cached per composition shape) the property table of ``comp``.

    Parameters
    ----------
    comp : Composition
        Shape of the composition (scaled along the molality axis; its own scale is
        irrelevant).
    temperatures : array_like
        Temperatures the table must cover [K] (the table spans at least 0-50 degC).

    Examples
    --------
    >>> t = property_table(seawater_composition(0.035))
    >>> round(float(t.osmotic_pressure[10, 97]) / 1e5, 1)  # 25 degC, 1.15 mol/kg
    25.6
    """
    temperatures = np.asarray(temperatures, dtype=float)
    t_lo = min(TABLE_TEMPERATURES[0],
               TABLE_TEMPERATURES[0] + TABLE_T_STEP * np.floor(
                   (temperatures.min() - TABLE_TEMPERATURES[0]) / TABLE_T_STEP))
    t_hi = max(TABLE_TEMPERATURES[1],
               TABLE_TEMPERATURES[0] + TABLE_T_STEP * np.ceil(
                   (temperatures.max() - TABLE_TEMPERATURES[0]) / TABLE_T_STEP))
    shape = comp.molality / comp.total_molality
    key = (comp.species, tuple(np.round(shape, 12)))
    if key not in _TABLE_COMPS:
        _TABLE_COMPS[key] = Composition(comp.species, shape, comp.molar_mass, comp.charge)
    return _table_cached(key, float(t_lo), float(t_hi), int(n_molality))


__all__ = ["Composition", "PropertyTable", "property_table", "interpolate", "temperature_row",
           "table_cell", "table_at", "table_value", "table_value_slope", "feed_composition",
           "seawater_composition", "nacl_composition", "composition_from_molalities", "T25"]
