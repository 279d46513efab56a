r"""Osmotic response of living cells: Boyle–van 't Hoff and Kedem–Katchalsky dynamics.

A cell is a water-permeable bag holding impermeant solutes (haemoglobin, K+ salts …) and an
osmotically inactive volume (solids). Put into a medium of another osmolality, it gains or
loses water until the osmolalities inside and outside are equal (Boyle–van 't Hoff);
permeant solutes (urea, glycerol, DMSO) enter more slowly and drag water in with them, so a
cell in iso-osmotic urea swells until it bursts (lyses). A red cell lyses when its volume
reaches that of a sphere with its (nearly inextensible) membrane area.

:func:`boyle_van_t_hoff` is the equilibrium law, :func:`cell_rates` the two-parameter
Kedem–Katchalsky dynamics, :class:`CellType` the parameters (:data:`CELL_TYPES` holds
sourced defaults), :func:`simulate_cell` integrates a cell in a medium to equilibrium or
lysis.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from ..constants import T25, R
from ..errors import InputError, ModelRangeWarning, finite_number, suggest
from ..thermo.osmotic import osmotic_coefficient
from ..thermo.solution import Solution, parse_amount
from ..thermo.tonicity import tonicity
from ..thermo.water import density_Kell

#: Outcome names.
SWELLS, LYSES, SHRINKS, UNCHANGED = "swells", "lyses", "shrinks (crenates)", "unchanged"

#: Relative volume change below which the outcome is "unchanged".
UNCHANGED_TOLERANCE = 0.02
#: Largest medium osmolality accepted [osmol/kg] (the total-molality limit of
#: osmolab.thermo.solution).
MAX_MEDIUM_OSMOLALITY = 200.0
#: Temperatures [K] of living cells for which the tabulated parameters hold (0-45 degC);
#: outside it a ModelRangeWarning is emitted (the run still proceeds).
CELL_RANGE = (273.15, 318.15)
#: Temperatures [K] accepted (liquid water, as osmolab.thermo.solution).
LIQUID_RANGE = (243.15, 473.15)


_number = finite_number


def _temperature(value) -> float:
    t = _number(value, "temperature [K]")
    lo, hi = LIQUID_RANGE
    if not lo <= t <= hi:
        raise InputError(f"temperature {t:.6g} K is outside liquid water (accepted {lo:g}-{hi:g} "
                         "K, i.e. -30 to 200 degC)")
    return t


def boyle_van_t_hoff(osmolality, isotonic_osmolality=0.290, inactive_fraction=0.4):
    r"""Equilibrium cell volume relative to the isotonic volume (Boyle–van 't Hoff).

    Parameters
    ----------
    osmolality : numeric
        Effective (impermeant) osmolality of the medium [osmol/kg].
    isotonic_osmolality : numeric, default 0.290
        Osmolality at which the cell has its isotonic volume [osmol/kg].
    inactive_fraction : numeric, default 0.4
        Osmotically inactive fraction b of the isotonic volume [-].

    Returns
    -------
    numeric
        :math:`V/V_{iso}` [-].

    Notes
    -----
    .. math:: \frac{V}{V_{iso}} = b + (1-b)\,\frac{\mathrm{Osm}_{iso}}{\mathrm{Osm}}

    References
    ----------
    .. [1] Lucké, B. and McCutcheon, M., 1932, The living cell as an osmotic system and its
       permeability to water, Physiol. Rev. 12, 68-139.
    .. [2] Mazur, P., 1984, Freezing of living cells: mechanisms and implications,
       Am. J. Physiol. 247, C125-C142 (b ≈ 0.4 for human red cells).

    Examples
    --------
    Half-isotonic medium (≈ 0.45 % NaCl):

    >>> round(float(boyle_van_t_hoff(0.145)), 2)
    1.6
    """
    try:
        osmolality = np.asarray(osmolality, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"the medium osmolality must be a number, got {osmolality!r}") from None
    if np.any(~np.isfinite(osmolality)) or np.any(osmolality <= 0):
        raise InputError("the medium osmolality must be positive for an equilibrium volume "
                         "(pure water has no equilibrium: the cell swells until it lyses)")
    if _number(isotonic_osmolality, "isotonic osmolality") <= 0:
        raise InputError(f"the isotonic osmolality must be > 0, got {isotonic_osmolality!r}")
    _check_fraction(inactive_fraction)
    return inactive_fraction + (1.0 - inactive_fraction) * isotonic_osmolality / osmolality


def _check_fraction(b):
    try:
        b = np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"the inactive fraction must be a number in [0, 1), got {b!r}") from None
    if not np.all(np.isfinite(b)) or np.any(np.asarray(b) < 0) or np.any(np.asarray(b) >= 1):
        raise InputError(f"the inactive fraction must lie in [0, 1), got {b!r}")


def sphere_volume_from_area(area):
    r"""Volume of the sphere with surface ``area`` [m^3]: :math:`A^{3/2}/(6\sqrt\pi)`.

    Examples
    --------
    >>> round(sphere_volume_from_area(135e-12) * 1e18, 1)
    147.5
    """
    area = _number(area, "membrane area [m^2]")
    if area <= 0:
        raise InputError(f"membrane area must be > 0 [m^2], got {area!r}")
    return float(area) ** 1.5 / (6.0 * float(np.sqrt(np.pi)))


@dataclass(frozen=True)
class CellType:
    """Osmotic parameters of a cell type (SI units).

    Attributes
    ----------
    name : str
    isotonic_volume : float
        Volume in an isotonic medium [m^3].
    area : float
        Membrane area [m^2] (taken as constant).
    inactive_fraction : float
        Osmotically inactive fraction b of the isotonic volume [-].
    isotonic_osmolality : float
        Osmolality of the cytoplasm at the isotonic volume [osmol/kg].
    hydraulic_permeability : float
        L_p [m/(s Pa)].
    solute_permeability : dict
        Permeant solute name -> P_s [m/s].
    reflection : dict
        Permeant solute name -> σ [-] (missing = 1, the two-parameter formalism).
    partial_molar_volume : dict
        Permeant solute name -> partial molar volume [m^3/mol].
    lysis_volume : float or None
        Volume at which the cell lyses [m^3]; None = sphere of the membrane area.
    lp_activation_energy : float
        Arrhenius activation energy of L_p [J/mol] (0 = no temperature dependence).
    reference_temperature : float
        Temperature of the tabulated L_p and P_s [K].
    sources : dict
        Parameter -> reference.
    """

    name: str
    isotonic_volume: float
    area: float
    inactive_fraction: float
    isotonic_osmolality: float
    hydraulic_permeability: float
    solute_permeability: dict = field(default_factory=dict)
    reflection: dict = field(default_factory=dict)
    partial_molar_volume: dict = field(default_factory=dict)
    lysis_volume: float | None = None
    lp_activation_energy: float = 0.0
    reference_temperature: float = T25
    sources: dict = field(default_factory=dict)

    def __post_init__(self):
        for key in ("isotonic_volume", "area", "isotonic_osmolality", "reference_temperature"):
            value = _number(getattr(self, key), f"{key} of cell {self.name!r}")
            if value <= 0:
                raise InputError(f"{key} of cell {self.name!r} must be positive, got {value!r}")
        _check_fraction(self.inactive_fraction)
        _number(self.lp_activation_energy, "activation energy of L_p [J/mol]")
        if self.lysis_volume is not None and not (
            _number(self.lysis_volume, "lysis volume [m^3]") > self.isotonic_volume
        ):
            raise InputError(f"the lysis volume of cell {self.name!r} must exceed its isotonic "
                             f"volume {self.isotonic_volume:g} m^3, got {self.lysis_volume!r}")
        if _number(self.hydraulic_permeability, "L_p") < 0:
            raise InputError(f"hydraulic permeability L_p must be >= 0, got "
                             f"{self.hydraulic_permeability!r}")
        for name, value in self.solute_permeability.items():
            if _number(value, f"permeability of {name}") < 0:
                raise InputError(f"permeability of {name} must be >= 0, got {value!r}")
        for name, value in self.reflection.items():
            if not 0.0 <= _number(value, f"reflection coefficient of {name}") <= 1.0:
                raise InputError(f"reflection coefficient of {name} must lie in [0, 1], "
                                 f"got {value!r}")

    def hydraulic_permeability_at(self, temperature) -> float:
        """L_p at ``temperature`` [K] (Arrhenius from the reference temperature)."""
        temperature = _temperature(temperature)
        return float(self.hydraulic_permeability * np.exp(
            -self.lp_activation_energy / R * (1.0 / temperature - 1.0 / self.reference_temperature)))

    @property
    def critical_volume(self) -> float:
        """Volume at which the cell lyses [m^3]."""
        if self.lysis_volume is not None:
            return float(self.lysis_volume)
        return sphere_volume_from_area(self.area)

    @property
    def critical_volume_ratio(self) -> float:
        """Lysis volume relative to the isotonic volume [-]."""
        return self.critical_volume / self.isotonic_volume

    def with_(self, **changes) -> CellType:
        """A copy with some parameters changed."""
        unknown = [k for k in changes if k not in self.__dataclass_fields__]
        if unknown:
            raise InputError(
                f"unknown cell parameter {unknown[0]!r}."
                f"{suggest(unknown[0], list(self.__dataclass_fields__))} "
                f"Parameters: {', '.join(self.__dataclass_fields__)}"
            )
        return replace(self, **changes)


def _rbc_lp():
    # P_f = 2.0e-2 cm/s at 23 degC -> L_p = P_f * V_w / (R T)
    return 2.0e-4 * 1.807e-5 / (R * 296.15)


#: Savitz & Solomon (1971) omega [mol/(dyn s)] * 1e-15 -> P_s = omega * R * T [m/s]
def _savitz(omega_1e15, temperature=T25):
    return omega_1e15 * 1e-15 / 1e-5 * R * temperature


CELL_TYPES = {
    "red-blood-cell": CellType(
        name="red-blood-cell",
        isotonic_volume=90e-18,
        area=135e-12,
        inactive_fraction=0.4,
        isotonic_osmolality=0.290,
        hydraulic_permeability=_rbc_lp(),
        lp_activation_energy=3.3 * 4184.0,
        reference_temperature=296.15,
        solute_permeability={
            "urea": _savitz(13.0),
            "ethylene glycol": _savitz(6.0),
            "formamide": _savitz(22.0),
            "methanol": _savitz(131.0),
            "glycerol": 1.0e-7,
            "DMSO": 1.0e-7,
        },
        partial_molar_volume={
            "urea": 44.2e-6, "ethylene glycol": 54.7e-6, "formamide": 38.5e-6,
            "methanol": 38.2e-6, "glycerol": 71.5e-6, "DMSO": 71.0e-6,
        },
        sources={
            "isotonic_volume": "Mohandas, N. and Gallagher, P. G., 2008, Red cell membrane: "
                               "past, present, and future, Blood 112, 3939 (MCV 90 fL)",
            "area": "Evans, E. and Fung, Y.-C., 1972, Improved measurements of the erythrocyte "
                    "geometry, Microvasc. Res. 4, 335 (135 um^2)",
            "inactive_fraction": "Mazur 1984, Am. J. Physiol. 247, C125; Boyle-van 't Hoff "
                                 "plots of human red cells give b = 0.4",
            "isotonic_osmolality": "normal plasma 275-295 mOsm/kg (clinical reference range)",
            "hydraulic_permeability": "Mlekoday, H. J., Moore, R. and Levitt, D. G., 1983, "
                                      "J. Gen. Physiol. 81, 213: P_f = 2.0e-2 cm/s at 23 degC; "
                                      "L_p = P_f V_w/(RT) = 1.47e-12 m/(s Pa); activation "
                                      "energy 3.3 kcal/mol (7-37 degC): Vieira, Sha'afi and "
                                      "Solomon 1970, J. Gen. Physiol. 55, 451",
            "urea, ethylene glycol, formamide, methanol": (
                "Savitz, D. and Solomon, A. K., 1971, J. Gen. Physiol. 58, 259: omega = 13, 6, "
                "22, 131 x 1e-15 mol/(dyn s); P_s = omega R T"),
            "solute permeability temperature": "P_s values are at 20-25 degC and are not "
                                               "corrected for temperature",
            "glycerol, DMSO": "order-of-magnitude values (1e-5 cm/s) from the cryobiology "
                              "literature; not validated - give measured values for your "
                              "conditions",
            "lysis": "sphere of the membrane area (critical haemolytic volume, ~1.64 V_iso); "
                     "Ponder 1948, Hemolysis and Related Phenomena",
        },
    ),
}


def cell_type(name) -> CellType:
    """Look up a cell type in :data:`CELL_TYPES` (also accepts "rbc", "erythrocyte").

    Examples
    --------
    >>> round(cell_type("rbc").critical_volume_ratio, 2)
    1.64
    """
    if isinstance(name, CellType):
        return name
    key = str(name).strip().lower().replace("_", "-").replace(" ", "-")
    key = {"rbc": "red-blood-cell", "erythrocyte": "red-blood-cell",
           "red-cell": "red-blood-cell", "red-blood-cells": "red-blood-cell"}.get(key, key)
    if key not in CELL_TYPES:
        raise InputError(f"unknown cell type {name!r}.{suggest(str(name), list(CELL_TYPES))} "
                         f"Known: {', '.join(CELL_TYPES)}")
    return CELL_TYPES[key]


def cell_rates(water_volume, permeant_amounts, impermeant_amount, medium_impermeant,
               medium_permeant, area, hydraulic_permeability, solute_permeability,
               reflection=None, temperature=T25, water_density=997.05):
    r"""Rates of change of cell water and permeant solutes (Kedem–Katchalsky).

    Parameters
    ----------
    water_volume : float
        Osmotically active water volume of the cell, V_w [m^3].
    permeant_amounts : array_like
        Amounts of the permeant solutes in the cell [mol].
    impermeant_amount : float
        Osmoles of impermeant solute in the cell [osmol].
    medium_impermeant : float
        Impermeant osmolality of the medium [osmol/kg].
    medium_permeant : array_like
        Osmolality of each permeant solute in the medium [osmol/kg].
    area : float
        Membrane area [m^2].
    hydraulic_permeability : float
        L_p [m/(s Pa)].
    solute_permeability : array_like
        P_s of each permeant solute [m/s].
    reflection : array_like, optional
        σ of each permeant solute; default 1 (the two-parameter formalism).
    temperature : float
        [K].
    water_density : float
        Density of water [kg/m^3] (osmolality -> concentration).

    Returns
    -------
    dVw_dt : float
        [m^3/s].
    dN_dt : ndarray
        [mol/s].

    Notes
    -----
    With :math:`M` osmolalities and :math:`\rho_w` the density of water,

    .. math::

        \frac{dV_w}{dt} = L_p A R T \rho_w\left[(M^i_n - M^e_n) +
            \sum_s\sigma_s(M^i_s - M^e_s)\right], \qquad
        \frac{dN_s}{dt} = P_s A\rho_w (M^e_s - M^i_s) + (1-\sigma_s)\bar c_s \frac{dV_w}{dt}

    References
    ----------
    .. [1] Kedem, O. and Katchalsky, A., 1958, Biochim. Biophys. Acta 27, 229-246.
    .. [2] Kleinhans, F. W., 1998, Membrane permeability modeling: Kedem-Katchalsky vs a
       two-parameter formalism, Cryobiology 37, 271-289.
    """
    n = np.asarray(permeant_amounts, dtype=float)
    ps = np.asarray(solute_permeability, dtype=float)
    sigma = np.ones_like(ps) if reflection is None else np.asarray(reflection, dtype=float)
    water_mass = water_density * water_volume
    inside_n = impermeant_amount / water_mass
    inside_s = n / water_mass
    outside_s = np.asarray(medium_permeant, dtype=float)
    drive = (inside_n - medium_impermeant) + float(np.sum(sigma * (inside_s - outside_s)))
    dvw = hydraulic_permeability * area * R * temperature * water_density * drive
    mean_c = 0.5 * (inside_s + outside_s) * water_density
    dn = ps * area * water_density * (outside_s - inside_s) + (1.0 - sigma) * mean_c * dvw
    return dvw, dn


@dataclass
class CellResult:
    """Time course of a cell in a medium."""

    times: np.ndarray               #: [s]
    volume_ratio: np.ndarray        #: V / V_iso [-]
    permeant_osmolality: dict       #: name -> intracellular osmolality [osmol/kg]
    outcome: str
    lyses: bool
    equilibrium_volume_ratio: float  #: final (or at lysis) V/V_iso [-]
    boyle_van_t_hoff_ratio: float   #: equilibrium volume if the medium were impermeant [-]
    time_to_equilibrium: float      #: [s] (to lysis if it lyses)
    time_to_lysis: float | None     #: [s]
    critical_volume_ratio: float    #: [-]
    min_volume_ratio: float
    max_volume_ratio: float
    cell: str

    def to_frame(self):
        """The time course as a pandas DataFrame."""
        import pandas as pd  # lazy: pandas takes ~1 s to import; only this export needs it

        data = {"time_s": self.times, "volume_ratio": self.volume_ratio}
        for name, values in self.permeant_osmolality.items():
            data[f"{name}_inside_osmol_kg"] = values
        return pd.DataFrame(data)

    def summary(self) -> dict:
        return {
            "cell": self.cell,
            "outcome": self.outcome,
            "lyses": self.lyses,
            "equilibrium_volume_ratio": self.equilibrium_volume_ratio,
            "boyle_van_t_hoff_volume_ratio": self.boyle_van_t_hoff_ratio,
            "min_volume_ratio": self.min_volume_ratio,
            "max_volume_ratio": self.max_volume_ratio,
            "critical_volume_ratio": self.critical_volume_ratio,
            "time_to_equilibrium_s": self.time_to_equilibrium,
            "time_to_lysis_s": self.time_to_lysis,
        }


def _medium(medium, cell):
    """Split a medium {name: osmolality} into impermeant total and permeant array."""
    if isinstance(medium, str):
        raise InputError("the medium is a mapping solute -> osmolality [osmol/kg] (or one "
                         "number); for a text such as 'NaCl 0.9 %' use the CLI 'osmolab cell'")
    if not isinstance(medium, Mapping):
        medium = {"impermeant": _number(medium, "medium osmolality [osmol/kg]")}
    values = {}
    for name, value in medium.items():
        value = _number(value, f"osmolality of {name} [osmol/kg]")
        if value < 0:
            raise InputError(f"osmolality of {name} must be >= 0, got {value!r}")
        values[name] = value
    if sum(values.values()) > MAX_MEDIUM_OSMOLALITY:
        raise InputError(
            f"medium osmolality {sum(values.values()):.4g} osmol/kg is beyond any aqueous "
            f"solution (limit {MAX_MEDIUM_OSMOLALITY:g}); check the amounts and units"
        )
    permeant_names = [k for k in values if k in cell.solute_permeability]
    impermeant = sum(v for k, v in values.items() if k not in cell.solute_permeability)
    return impermeant, permeant_names, np.array([values[k] for k in permeant_names])


def simulate_cell(medium, cell="red-blood-cell", temperature=T25, t_end=None, n_points=400,
                  initial_volume_ratio=1.0):
    r"""Volume of a cell put into ``medium`` at t = 0, until equilibrium or lysis.

    Parameters
    ----------
    medium : dict or float
        Osmolality of each solute of the medium [osmol/kg] (``{"NaCl": 0.286}``,
        ``{"urea": 0.29}``); names listed in the cell's ``solute_permeability`` are
        permeant, all others impermeant. A number is an impermeant osmolality.
    cell : str or CellType, default "red-blood-cell"
    temperature : float, default 298.15
        [K].
    t_end : float, optional
        End time [s]; default: 30 time constants of the slowest process.
    n_points : int, default 400
        Output times (log-spaced).
    initial_volume_ratio : float, default 1
        Starting V/V_iso; the cell starts in equilibrium with an impermeant medium.

    Returns
    -------
    CellResult

    Notes
    -----
    The cell holds :math:`N_n = \mathrm{Osm}_{iso}\rho_w(1-b)V_{iso}` osmoles of impermeant
    solute; its volume is :math:`V = V_w + bV_{iso} + \sum_s N_s\bar v_s`. Rates follow
    :func:`cell_rates`; the integration (scipy Radau, stiff) stops when V reaches the lysis
    volume. Outcome: "lyses" if it does; otherwise "swells" / "shrinks (crenates)" if the
    final volume differs from the isotonic one by more than 2 %, else "unchanged".

    Examples
    --------
    >>> r = simulate_cell({"NaCl": 0.145})
    >>> round(r.equilibrium_volume_ratio, 2), r.outcome
    (1.6, 'swells')
    >>> simulate_cell({"urea": 0.29}).outcome
    'lyses'
    """
    from scipy.integrate import solve_ivp  # lazy: scipy takes ~1 s to import

    cell = cell_type(cell)
    temperature = _temperature(temperature)
    if not CELL_RANGE[0] <= temperature <= CELL_RANGE[1]:
        warnings.warn(
            f"{temperature - 273.15:.1f} degC is outside 0-45 degC, where the cell parameters "
            "(L_p and its Arrhenius activation energy, permeabilities) were measured; living "
            "cells do not survive far outside it",
            ModelRangeWarning,
            stacklevel=2,
        )
    if t_end is not None and not _number(t_end, "t_end [s]") > 0:
        raise InputError(f"t_end must be > 0 [s], got {t_end!r}")
    if isinstance(n_points, bool) or not isinstance(n_points, int | np.integer) or n_points < 2:
        raise InputError(f"n_points must be a whole number >= 2, got {n_points!r}")
    impermeant_out, names, permeant_out = _medium(medium, cell)
    rho = float(density_Kell(temperature))
    b_volume = cell.inactive_fraction * cell.isotonic_volume
    water_iso = cell.isotonic_volume - b_volume
    n_impermeant = cell.isotonic_osmolality * rho * water_iso
    lp = cell.hydraulic_permeability_at(temperature)
    ps = np.array([cell.solute_permeability[k] for k in names])
    sigma = np.array([cell.reflection.get(k, 1.0) for k in names])
    vbar = np.array([cell.partial_molar_volume.get(k, 0.0) for k in names])
    ratio0 = _number(initial_volume_ratio, "initial_volume_ratio")
    if ratio0 <= cell.inactive_fraction:
        raise InputError("initial_volume_ratio must exceed the inactive fraction")
    water0 = ratio0 * cell.isotonic_volume - b_volume
    y0 = np.concatenate([[water0], np.zeros(len(names))])

    def volume(y):
        return y[0] + b_volume + float(np.dot(y[1:], vbar))

    def rhs(_t, y):
        dvw, dn = cell_rates(max(y[0], 1e-30), y[1:], n_impermeant, impermeant_out,
                             permeant_out, cell.area, lp, ps, sigma, temperature, rho)
        return np.concatenate([[dvw], dn])

    def lysis(_t, y):
        return volume(y) - cell.critical_volume

    lysis.terminal = True
    lysis.direction = 1

    # time constants: water exchange and permeant uptake
    total_out = impermeant_out + float(np.sum(permeant_out))
    osm_scale = max(total_out, cell.isotonic_osmolality)
    tau_w = water_iso / max(lp * cell.area * R * temperature * rho * osm_scale, 1e-300)
    taus = [tau_w] + [water_iso / (p * cell.area) for p in ps if p > 0]
    if cell.hydraulic_permeability == 0:
        raise InputError("L_p = 0: water cannot cross the membrane")
    horizon = float(t_end) if t_end is not None else 30.0 * max(taus)
    for _attempt in range(8):
        t_eval = np.unique(np.concatenate([[0.0], np.geomspace(
            min(min(taus) * 1e-3, 1e-3 * horizon), horizon, n_points - 1)]))
        sol = solve_ivp(rhs, (0.0, horizon), y0, method="Radau", t_eval=t_eval, rtol=1e-8,
                        atol=np.concatenate([[1e-12 * water_iso], np.full(len(names), 1e-22)]),
                        events=lysis, dense_output=False)
        if not sol.success:  # pragma: no cover
            raise InputError(f"the cell integration failed: {sol.message}")
        if t_end is not None or sol.status == 1:
            break
        # still moving at the end? (a concentrated permeant solute, e.g. urea 10 mol/kg,
        # swells the cell only as fast as the solute follows the water: much slower than
        # either time constant alone) -> run longer
        rate = abs(float(rhs(0.0, sol.y[:, -1])[0]))
        if rate * horizon <= 1e-4 * cell.isotonic_volume:
            break
        horizon *= 8.0
    times = sol.t
    ys = sol.y
    lysed = sol.status == 1
    if lysed:
        t_lysis = float(sol.t_events[0][0])
        times = np.append(times, t_lysis)
        ys = np.column_stack([ys, sol.y_events[0][0]])
    ratios = np.array([volume(col) for col in ys.T]) / cell.isotonic_volume
    inside = {k: ys[1 + j] / (rho * ys[0]) for j, k in enumerate(names)}
    final = float(ratios[-1])
    if impermeant_out > 0:
        bvh = float(boyle_van_t_hoff(impermeant_out, cell.isotonic_osmolality,
                                     cell.inactive_fraction))
    else:
        bvh = float("inf")
    if lysed:
        outcome = LYSES
        t_eq = t_lysis
    else:
        deviation = np.abs(ratios - final)
        tol = 0.01 * max(float(np.max(deviation)), 1e-9)
        outside = np.nonzero(deviation > tol)[0]
        t_eq = float(times[outside[-1] + 1]) if outside.size else 0.0
        if final > 1.0 + UNCHANGED_TOLERANCE:
            outcome = SWELLS
        elif final < 1.0 - UNCHANGED_TOLERANCE:
            outcome = SHRINKS
        else:
            outcome = UNCHANGED
    return CellResult(
        times=times, volume_ratio=ratios, permeant_osmolality=inside, outcome=outcome,
        lyses=bool(lysed), equilibrium_volume_ratio=final, boyle_van_t_hoff_ratio=bvh,
        time_to_equilibrium=t_eq, time_to_lysis=t_lysis if lysed else None,
        critical_volume_ratio=float(cell.critical_volume_ratio),
        min_volume_ratio=float(ratios.min()), max_volume_ratio=float(ratios.max()),
        cell=cell.name,
    )


def medium_from_text(text, cell_type, temperature):
    """Osmolalities of a medium written as a solution string, for the cell model.

    Parameters
    ----------
    text : str
        The medium, e.g. ``"NaCl 0.9 %"``, ``"urea 300 mmol/kg"`` or ``"water"``.
    cell_type : CellType
        The cell; its permeant solutes (urea, glycerol, ...) are kept apart.
    temperature : float
        Temperature [K].

    Returns
    -------
    medium : dict
        Species -> osmolality [osmol/kg]. Impermeant solutes (ions, sugars) carry the
        osmotic coefficient of the impermeant mixture (``osmolab.thermo.osmotic``, default
        model); permeant solutes count ideally.
    solution : Solution or None
        The impermeant part as a :class:`~osmolab.thermo.solution.Solution`.
    notes : list of str
    """
    notes = []
    if not isinstance(text, str) or not text.strip():
        raise InputError("give a medium, e.g. 'NaCl 0.9 %' or 'water'")
    if text.strip().lower() in ("water", "pure water", "distilled water", "h2o"):
        return {}, None, ["pure water"]
    permeant = {k.lower(): k for k in cell_type.solute_permeability}
    medium, rest = {}, []
    for part in [p for p in text.split(",") if p.strip()]:
        name, value, kind, factor = parse_amount(part)
        if name.lower() in permeant:
            if kind not in ("molality", "molarity"):
                raise InputError(f"give {name} in mol/kg or mol/L, got {part.strip()!r}")
            m = value * factor if kind == "molality" else value * factor / 1000.0
            key = permeant[name.lower()]
            medium[key] = medium.get(key, 0.0) + m
        else:
            rest.append(part)
    if medium:
        notes.append("permeant solutes (" + ", ".join(medium) + ") counted ideally (phi = 1)")
    solution = Solution.from_string(",".join(rest), temperature) if rest else None
    if solution is not None:
        molalities = {k: float(v) for k, v in solution.molalities.items() if float(v) > 0}
        if molalities:
            phi = float(osmotic_coefficient(molalities, temperature=temperature, model=None))
            for name, m in molalities.items():
                medium[name] = medium.get(name, 0.0) + phi * m
        else:
            solution = None
    return medium, solution, notes


def medium_tonicity(solution, medium, cell_type):
    """Tonicity of a medium's impermeant part against plasma.

    Returns ``(label, effective osmolality [osmol/kg])``; pure water is hypotonic.
    """
    if solution is None:
        return "hypotonic", 0.0
    result = tonicity(solution, reference="plasma", membrane="cell")
    return result.tonicity, float(result.effective_osmolality)
