r"""The membrane osmometer: two compartments, a membrane and a hydrostatic head.

Compartment 1 (the *inner* solution, e.g. sucrose in a thistle funnel) is separated from
compartment 2 (the *outer* bath, e.g. water in a beaker) by a membrane of area A_m with
hydraulic permeability L_p and, for every solute k, a reflection coefficient σ_k and a
solute permeability ω_k (Kedem–Katchalsky). Water entering compartment 1 rises in a vertical
capillary of cross-section A_c until the hydrostatic pressure ρ·g·h balances the effective
osmotic pressure difference; an applied pressure on compartment 1 larger than the osmotic
pressure difference drives water the other way (reverse osmosis).

:func:`kedem_katchalsky_fluxes` holds the physics; :class:`Osmometer` is the system
(configuration), :meth:`Osmometer.run` integrates it to equilibrium and returns an
:class:`OsmometerResult`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..constants import ATM, T25, R, g
from ..errors import InputError, finite_number, suggest
from ..thermo.osmotic import osmotic_pressure
from ..thermo.species import molar_mass, resolve, salt_ions
from ..thermo.water import density_Kell

#: Temperatures [K] of liquid water accepted (those of osmolab.thermo.solution; the Kell
#: density overflows far outside).
LIQUID_RANGE = (243.15, 473.15)

#: van 't Hoff factors (ideal number of particles) of common salts given as one solute.
VAN_T_HOFF_FACTORS = {
    "NaCl": 2, "KCl": 2, "LiCl": 2, "NH4Cl": 2, "NaNO3": 2, "KNO3": 2, "NaHCO3": 2,
    "CaCl2": 3, "MgCl2": 3, "Na2SO4": 3, "K2SO4": 3, "MgSO4": 2, "CaSO4": 2,
}

#: Ions of the salts above, for the non-ideal ("thermo") osmotic model.
_SALT_IONS = {
    "NaCl": {"Na+": 1, "Cl-": 1}, "KCl": {"K+": 1, "Cl-": 1}, "LiCl": {"Li+": 1, "Cl-": 1},
    "NH4Cl": {"NH4+": 1, "Cl-": 1}, "NaNO3": {"Na+": 1, "NO3-": 1},
    "KNO3": {"K+": 1, "NO3-": 1}, "NaHCO3": {"Na+": 1, "HCO3-": 1},
    "CaCl2": {"Ca+2": 1, "Cl-": 2}, "MgCl2": {"Mg+2": 1, "Cl-": 2},
    "Na2SO4": {"Na+": 2, "SO4-2": 1}, "K2SO4": {"K+": 2, "SO4-2": 1},
    "MgSO4": {"Mg+2": 1, "SO4-2": 1}, "CaSO4": {"Ca+2": 1, "SO4-2": 1},
}

OSMOTIC_MODELS = ("van-t-hoff", "thermo")

#: Physically sensible bounds of the configuration (SI): far outside them the integration
#: overflows or never ends, and no experiment looks like that.
ENVELOPE = {
    "inner_volume": (1e-15, 1e6, "m^3"),
    "outer_volume": (1e-15, 1e6, "m^3"),
    "membrane_area": (1e-12, 1e6, "m^2"),
    "outer_surface_area": (1e-12, 1e6, "m^2"),
    "capillary_area": (1e-14, 1e2, "m^2"),
    "density": (500.0, 3000.0, "kg/m^3"),
}
#: Largest hydraulic permeability [m/(s Pa)] (porous filters reach ~1e-8), largest solute
#: permeability P_s = omega R T [m/s] and largest |applied pressure| [Pa] (10 kbar).
MAX_HYDRAULIC_PERMEABILITY = 1e-6
MAX_SOLUTE_PERMEABILITY = 1.0
MAX_APPLIED_PRESSURE = 1e9

#: Largest dissolved mass per volume [kg/m^3] accepted on a side: no aqueous solution holds
#: more (saturated sucrose ~0.9 kg/L, CsCl ~1.2 kg/L; CRC Handbook).
MAX_SOLUTE_MASS_CONCENTRATION = 1500.0


_number = finite_number


def _finite_array(value, label):
    try:
        array = np.atleast_1d(np.asarray(value, dtype=float))
    except (TypeError, ValueError):
        raise InputError(f"{label} must be numbers, got {value!r}") from None
    if not np.all(np.isfinite(array)):
        raise InputError(f"{label} must be finite, got {value!r}")
    return array


def kedem_katchalsky_fluxes(delta_pressure, delta_pi, mean_concentration, hydraulic_permeability,
                            reflection, solute_permeability):
    r"""Volume and solute fluxes through a membrane, Kedem–Katchalsky.

    Parameters
    ----------
    delta_pressure : numeric
        Hydrostatic pressure difference :math:`\Delta P = P_1 - P_2` [Pa].
    delta_pi : array_like
        Osmotic pressure difference of each solute, :math:`\Delta\pi_k = \pi_{k,1}-\pi_{k,2}`
        [Pa].
    mean_concentration : array_like
        Mean concentration of each solute in the membrane, :math:`\bar c_k` [mol/m^3].
    hydraulic_permeability : float
        :math:`L_p` [m/(s Pa)].
    reflection : array_like
        Reflection coefficients :math:`\sigma_k` [-], 0 ≤ σ ≤ 1.
    solute_permeability : array_like
        :math:`\omega_k` [mol/(m^2 s Pa)]; the diffusive permeability is
        :math:`P_s = \omega RT` [m/s].

    Returns
    -------
    volume_flux : numeric
        :math:`J_v` from side 2 into side 1 [m/s] (positive = osmotic inflow into side 1).
    solute_flux : ndarray
        :math:`J_{s,k}` from side 2 into side 1 [mol/(m^2 s)].

    Notes
    -----
    With fluxes counted positive into compartment 1:

    .. math::

        J_v = L_p\left(\sum_k \sigma_k\Delta\pi_k - \Delta P\right), \qquad
        J_{s,k} = -\omega_k\Delta\pi_k + (1-\sigma_k)\,\bar c_k\,J_v

    References
    ----------
    .. [1] Kedem, O. and Katchalsky, A., 1958, Thermodynamic analysis of the permeability of
       biological membranes to non-electrolytes, Biochim. Biophys. Acta 27, 229-246.

    Examples
    --------
    Ideal membrane, 0.1 MPa osmotic difference, no pressure, L_p = 1e-12 m/(s Pa):

    >>> jv, js = kedem_katchalsky_fluxes(0.0, [1e5], [20.0], 1e-12, [1.0], [0.0])
    >>> jv
    1e-07
    """
    delta_pressure = _number(delta_pressure, "pressure difference [Pa]")
    delta_pi = _finite_array(delta_pi, "osmotic pressure differences [Pa]")
    c_mean = _finite_array(mean_concentration, "mean concentrations [mol/m^3]")
    sigma = _finite_array(reflection, "reflection coefficients")
    omega = _finite_array(solute_permeability, "solute permeabilities omega")
    if _number(hydraulic_permeability, "hydraulic permeability L_p") < 0:
        raise InputError(f"hydraulic permeability L_p must be >= 0, got {hydraulic_permeability!r}")
    if np.any(sigma < 0) or np.any(sigma > 1):
        raise InputError(f"reflection coefficients sigma must lie in [0, 1], got {reflection!r}")
    if np.any(omega < 0):
        raise InputError(f"solute permeabilities omega must be >= 0, got {solute_permeability!r}")
    if np.any(c_mean < 0):
        raise InputError(f"mean concentrations must be >= 0, got {mean_concentration!r}")
    try:
        np.broadcast_shapes(delta_pi.shape, c_mean.shape, sigma.shape, omega.shape)
    except ValueError:
        raise InputError("give one value per solute for delta_pi, mean_concentration, "
                         "reflection and solute_permeability") from None
    return _kk_fluxes(delta_pressure, delta_pi, c_mean, hydraulic_permeability, sigma, omega)


def _kk_fluxes(delta_pressure, delta_pi, c_mean, hydraulic_permeability, sigma, omega):
    """Kedem-Katchalsky fluxes on checked arrays (the integrator's inner loop)."""
    jv = hydraulic_permeability * (float(np.sum(sigma * delta_pi)) - delta_pressure)
    js = -omega * delta_pi + (1.0 - sigma) * c_mean * jv
    return jv, js


def van_t_hoff_pressure(concentration, temperature, factor=1.0):
    r"""Ideal osmotic pressure :math:`\pi = i\,c\,RT` [Pa].

    Parameters
    ----------
    concentration : numeric
        Molar concentration [mol/m^3].
    temperature : numeric
        Temperature [K].
    factor : numeric, default 1
        van 't Hoff factor i (particles per formula unit) [-].

    Examples
    --------
    >>> round(float(van_t_hoff_pressure(10.0, 298.15)) / 1e3, 2)
    24.79
    """
    if np.any(_finite_array(concentration, "concentration [mol/m^3]") < 0):
        raise InputError(f"concentration must be >= 0 [mol/m^3], got {concentration!r}")
    if np.any(_finite_array(temperature, "temperature [K]") <= 0):
        raise InputError(f"temperature must be > 0 K, got {temperature!r}")
    if np.any(_finite_array(factor, "van 't Hoff factor") <= 0):
        raise InputError(f"van 't Hoff factor must be > 0, got {factor!r}")
    return factor * np.asarray(concentration, dtype=float) * R * np.asarray(temperature, float)


@dataclass
class Solute:
    """One solute of the osmometer and how the membrane treats it.

    Attributes
    ----------
    name : str
        Name (a species such as "sucrose" or a salt such as "NaCl").
    inner : float
        Initial concentration in compartment 1 [mol/m^3].
    outer : float
        Initial concentration in compartment 2 [mol/m^3].
    reflection : float
        Reflection coefficient σ [-] (1 = fully rejected).
    permeability : float
        Solute permeability ω [mol/(m^2 s Pa)].
    factor : float or None
        van 't Hoff factor; None looks it up (salts) or uses 1.
    """

    name: str
    inner: float = 0.0
    outer: float = 0.0
    reflection: float = 1.0
    permeability: float = 0.0
    factor: float | None = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError(f"a solute needs a name such as 'sucrose', got {self.name!r}")
        self.inner = _number(self.inner, f"inner concentration of {self.name}")
        self.outer = _number(self.outer, f"outer concentration of {self.name}")
        self.reflection = _number(self.reflection, f"reflection coefficient of {self.name}")
        self.permeability = _number(self.permeability, f"permeability of {self.name}")
        for label, value in (("inner concentration", self.inner),
                             ("outer concentration", self.outer)):
            if not np.isfinite(value) or value < 0:
                raise InputError(f"{label} of {self.name} must be >= 0, got {value!r}")
        if not np.isfinite(self.reflection) or not 0.0 <= self.reflection <= 1.0:
            raise InputError(
                f"reflection coefficient sigma of {self.name} must lie in [0, 1], "
                f"got {self.reflection!r}"
            )
        if not np.isfinite(self.permeability) or self.permeability < 0:
            raise InputError(
                f"solute permeability omega of {self.name} must be >= 0, got {self.permeability!r}"
            )
        if self.factor is None:
            self.factor = float(VAN_T_HOFF_FACTORS.get(self.name, 0) or _ions_per_unit(self.name))
        elif _number(self.factor, f"van 't Hoff factor of {self.name}") <= 0:
            raise InputError(f"van 't Hoff factor of {self.name} must be > 0, got {self.factor!r}")


def _molar_mass(name):
    """Molar mass [kg/mol] of a species or salt known to osmolab.thermo.species, or None."""
    try:
        return float(molar_mass(str(name)))
    except InputError:
        return None


def _ions_per_unit(name) -> int:
    """Particles per formula unit of a salt known to osmolab.thermo.species, else 1."""
    try:
        kind, canonical = resolve(str(name))
    except InputError:
        return 1
    return int(round(sum(salt_ions(canonical).values()))) if kind == "salt" else 1


def solute_permeability_coefficient(permeability, temperature=T25):
    r"""Kedem–Katchalsky solute permeability ω from a diffusive permeability P_s.

    Parameters
    ----------
    permeability : numeric
        Diffusive solute permeability P_s [m/s] (the flux per concentration difference).
    temperature : numeric, default 298.15
        [K].

    Returns
    -------
    numeric
        ω [mol/(m^2 s Pa)].

    Notes
    -----
    .. math:: \omega = \frac{P_s}{R T}

    since the solute flux :math:`J_s = \omega\,\Delta\pi = P_s\,\Delta c` with
    :math:`\Delta\pi = R T \Delta c` (Kedem & Katchalsky 1958).

    References
    ----------
    .. [1] Kedem, O. and Katchalsky, A., 1958, Thermodynamic analysis of the permeability of
       biological membranes to non-electrolytes, Biochim. Biophys. Acta 27, 229-246.

    Examples
    --------
    >>> round(float(solute_permeability_coefficient(1e-6, 298.15)) * 1e10, 4)
    4.034
    """
    p = np.asarray(permeability, dtype=float)
    if np.any(~np.isfinite(p)) or np.any(p < 0):
        raise InputError(f"solute permeability P_s must be >= 0 m/s, got {permeability!r}")
    return p / (R * np.asarray(temperature, dtype=float))


def capillary_area(diameter):
    """Cross-section [m^2] of a riser of the given bore [m]; None for 0 (no riser).

    Examples
    --------
    >>> round(capillary_area(1e-3) * 1e7, 3)
    7.854
    """
    d = finite_number(diameter, "capillary diameter")
    if not 0.0 <= d <= 10.0:
        raise InputError(f"the capillary diameter must lie between 0 (no riser) and 10 m, got {d!r}")
    return np.pi * d**2 / 4.0 if d > 0 else None


@dataclass
class OsmometerResult:
    """Time course of an osmometer run (SI units) and its summary."""

    times: np.ndarray            #: [s]
    inner_volume: np.ndarray     #: [m^3]
    outer_volume: np.ndarray     #: [m^3]
    height: np.ndarray           #: liquid column above the outer level [m]
    delta_pressure: np.ndarray   #: P1 - P2 (applied + hydrostatic) [Pa]
    effective_delta_pi: np.ndarray  #: sum sigma_k * delta pi_k [Pa]
    volume_flow: np.ndarray      #: into compartment 1 [m^3/s]
    inner_concentrations: dict   #: name -> [mol/m^3]
    outer_concentrations: dict   #: name -> [mol/m^3]
    time_to_equilibrium: float   #: [s]
    equilibrium_reached: bool
    lysed: bool = False
    notes: list = field(default_factory=list)

    @property
    def equilibrium_height(self) -> float:
        """Height of the column at the end of the run [m]."""
        return float(self.height[-1])

    @property
    def max_height(self) -> float:
        """Largest height reached [m]."""
        return float(np.max(self.height))

    @property
    def flow_direction(self) -> str:
        """Net direction of the water flow over the run."""
        change = self.inner_volume[-1] - self.inner_volume[0]
        scale = max(abs(self.inner_volume[0]), 1e-30) * 1e-9
        if change > scale:
            return "into the solution (osmosis)"
        if change < -scale:
            return "out of the solution (reverse osmosis)"
        return "none"

    def to_frame(self):
        """The time course as a pandas DataFrame (one row per output time)."""
        import pandas as pd  # lazy: pandas takes ~1 s to import; only this export needs it

        data = {
            "time_s": self.times,
            "height_m": self.height,
            "inner_volume_mL": self.inner_volume * 1e6,
            "outer_volume_mL": self.outer_volume * 1e6,
            "delta_P_bar": self.delta_pressure / 1e5,
            "effective_delta_pi_bar": self.effective_delta_pi / 1e5,
            "volume_flow_mL_h": self.volume_flow * 1e6 * 3600.0,
        }
        for name, values in self.inner_concentrations.items():
            data[f"{name}_inner_mol_m3"] = values
        for name, values in self.outer_concentrations.items():
            data[f"{name}_outer_mol_m3"] = values
        return pd.DataFrame(data)

    def summary(self) -> dict:
        """Key numbers with units in the keys (what the CLI prints)."""
        return {
            "equilibrium_height_m": self.equilibrium_height,
            "max_height_m": self.max_height,
            "time_to_equilibrium_s": self.time_to_equilibrium,
            "time_to_equilibrium_h": self.time_to_equilibrium / 3600.0,
            "equilibrium_reached": self.equilibrium_reached,
            "final_inner_volume_mL": float(self.inner_volume[-1] * 1e6),
            "final_delta_pressure_bar": float(self.delta_pressure[-1] / 1e5),
            "final_effective_delta_pi_bar": float(self.effective_delta_pi[-1] / 1e5),
            "initial_effective_delta_pi_bar": float(self.effective_delta_pi[0] / 1e5),
            "flow_direction": self.flow_direction,
            "notes": list(self.notes),
        }


@dataclass
class Osmometer:
    r"""Two compartments, a Kedem–Katchalsky membrane and an optional capillary head.

    Attributes
    ----------
    solutes : list of Solute
        The solutes and their initial concentrations on both sides.
    inner_volume : float, default 10e-6
        Initial volume of compartment 1 [m^3] (10 mL).
    outer_volume : float or None, default None
        Initial volume of compartment 2 [m^3]; None = an infinite bath of constant
        composition.
    membrane_area : float, default 1e-3
        Membrane area A_m [m^2] (10 cm^2).
    hydraulic_permeability : float, default 6e-12
        L_p [m/(s Pa)]; the default is that of a low-flux regenerated-cellulose membrane
        (ultrafiltration coefficient ≈ 3 mL/(h mmHg m^2)).
    capillary_area : float or None, default 7.85e-7
        Cross-section of the riser on compartment 1 [m^2] (1 mm bore); None = no riser
        (compartment 1 is a flexible bag at the applied pressure).
    outer_surface_area : float or None, default None
        Free-surface area of compartment 2 [m^2]; None = its level does not move.
    applied_pressure : float, default 0
        Extra pressure applied to compartment 1 [Pa] (a piston).
    temperature : float, default 298.15
        [K].
    density : float or None
        Liquid density for the head [kg/m^3]; None = pure water at ``temperature``.
    osmotic_model : {"van-t-hoff", "thermo"}
        Ideal van 't Hoff osmotic pressure, or the non-ideal model of
        :mod:`osmolab.thermo.osmotic` (applied as an osmotic coefficient).
    """

    solutes: list
    inner_volume: float = 10e-6
    outer_volume: float | None = None
    membrane_area: float = 1e-3
    hydraulic_permeability: float = 6e-12
    capillary_area: float | None = 7.85e-7
    outer_surface_area: float | None = None
    applied_pressure: float = 0.0
    temperature: float = T25
    density: float | None = None
    osmotic_model: str = "van-t-hoff"

    def __post_init__(self):
        if isinstance(self.solutes, Solute | Mapping):
            self.solutes = [self.solutes]
        if not isinstance(self.solutes, list | tuple) or not self.solutes:
            raise InputError("give at least one solute, e.g. [Solute('sucrose', inner=10.0)]")
        if not all(isinstance(s, Solute | Mapping) for s in self.solutes):
            raise InputError("solutes must be Solute objects or mappings of their fields, "
                             "e.g. {'name': 'sucrose', 'inner': 10.0}")
        try:
            self.solutes = [s if isinstance(s, Solute) else Solute(**s) for s in self.solutes]
        except TypeError as error:  # a mapping with an unknown field
            raise InputError(f"cannot build a Solute: {error}") from None
        names = [s.name for s in self.solutes]
        if len(set(names)) != len(names):
            raise InputError(f"solute names must be unique, got {names}")
        for side in ("inner", "outer"):
            masses = [getattr(s, side) * (_molar_mass(s.name) or 0.0) for s in self.solutes]
            if sum(masses) >= MAX_SOLUTE_MASS_CONCENTRATION:
                raise InputError(
                    f"the {side} solution would hold {sum(masses):.4g} kg of solute per m^3 "
                    f"(more than {MAX_SOLUTE_MASS_CONCENTRATION / 1e3:g} kg/L: no aqueous "
                    "solution does); check the concentrations and their units"
                )
        positive = {
            "inner_volume": self.inner_volume,
            "membrane_area": self.membrane_area,
            "temperature": self.temperature,
        }
        for key in ("outer_volume", "capillary_area", "outer_surface_area", "density"):
            if getattr(self, key) is not None:
                positive[key] = getattr(self, key)
        for key, value in positive.items():
            if _number(value, key) <= 0:
                raise InputError(f"{key} must be positive, got {value!r}")
            if key in ENVELOPE and not ENVELOPE[key][0] <= value <= ENVELOPE[key][1]:
                low, high, unit = ENVELOPE[key]
                raise InputError(f"{key} {value:.3g} {unit} is outside {low:g}-{high:g} {unit}; "
                                 "check the value and its unit")
        if self.hydraulic_permeability > MAX_HYDRAULIC_PERMEABILITY:
            raise InputError(
                f"hydraulic permeability L_p {self.hydraulic_permeability:.3g} m/(s Pa) is above "
                f"{MAX_HYDRAULIC_PERMEABILITY:g} (more than any porous filter); check the value"
            )
        for solute in self.solutes:
            if solute.permeability * R * self.temperature > MAX_SOLUTE_PERMEABILITY:
                raise InputError(
                    f"permeability of {solute.name} P_s = omega R T "
                    f"{solute.permeability * R * self.temperature:.3g} m/s is above "
                    f"{MAX_SOLUTE_PERMEABILITY:g} m/s; check the value"
                )
        if _number(self.hydraulic_permeability, "hydraulic permeability L_p") < 0:
            raise InputError(
                f"hydraulic permeability L_p must be >= 0, got {self.hydraulic_permeability!r}"
            )
        lo, hi = LIQUID_RANGE
        if not lo <= self.temperature <= hi:
            raise InputError(
                f"temperature {self.temperature:.6g} K is outside liquid water (accepted "
                f"{lo:g}-{hi:g} K, i.e. -30 to 200 degC)"
            )
        if abs(_number(self.applied_pressure, "applied_pressure [Pa]")) > MAX_APPLIED_PRESSURE:
            raise InputError(
                f"applied pressure {self.applied_pressure / 1e5:.4g} bar is beyond "
                f"{MAX_APPLIED_PRESSURE / 1e5:g} bar; check the value and its unit"
            )
        if self.applied_pressure < -ATM:
            raise InputError(
                f"applied pressure {self.applied_pressure / 1e5:.4g} bar is below -1 atm "
                "(a vacuum on the solution): impossible; to press on the outer bath, put "
                "the solutions the other way round"
            )
        model = str(self.osmotic_model).lower().replace("_", "-").replace("'", "")
        model = {"vant-hoff": "van-t-hoff", "van-t-hoff": "van-t-hoff", "ideal": "van-t-hoff",
                 "thermo": "thermo", "pitzer": "thermo"}.get(model)
        if model is None:
            raise InputError(
                f"unknown osmotic model {self.osmotic_model!r}; use one of "
                f"{', '.join(OSMOTIC_MODELS)}.{suggest(str(self.osmotic_model), OSMOTIC_MODELS)}"
            )
        self.osmotic_model = model
        if self.density is None:
            self.density = float(density_Kell(self.temperature))

    # -- osmotic pressures ---------------------------------------------------------------

    def _osmotic_coefficient(self, concentrations):
        """Osmotic coefficient of a side (1 for van 't Hoff)."""
        if self.osmotic_model == "van-t-hoff":
            return 1.0
        total = sum(c * s.factor for c, s in zip(concentrations, self.solutes, strict=True))
        if total <= 0:
            return 1.0
        water = self.density  # kg water per m^3, dilute approximation for molality
        molalities = {}
        for c, s in zip(concentrations, self.solutes, strict=True):
            for ion, nu in _SALT_IONS.get(s.name, {s.name: 1}).items():
                molalities[ion] = molalities.get(ion, 0.0) + nu * c / water
        pi = float(osmotic_pressure(molalities, temperature=self.temperature))
        return pi / (total * R * self.temperature)

    def partial_osmotic_pressures(self, concentrations):
        """Osmotic pressure contributed by each solute on one side [Pa]."""
        c = np.asarray(concentrations, dtype=float)
        factors = np.array([s.factor for s in self.solutes])
        phi = self._osmotic_coefficient(c)
        return phi * factors * c * R * self.temperature

    # -- integration ---------------------------------------------------------------------

    def _state0(self):
        inner = np.array([s.inner for s in self.solutes]) * self.inner_volume
        if self.outer_volume is None:
            outer = np.zeros(len(self.solutes))
            v2 = 1.0
        else:
            outer = np.array([s.outer for s in self.solutes]) * self.outer_volume
            v2 = self.outer_volume
        return np.concatenate([[self.inner_volume, v2], inner, outer])

    def _pressures(self, v1, v2):
        head = 0.0
        if self.capillary_area is not None:
            head += (v1 - self.inner_volume) / self.capillary_area
        if self.outer_surface_area is not None and self.outer_volume is not None:
            head -= (v2 - self.outer_volume) / self.outer_surface_area
        return head, self.applied_pressure + self.density * g * head

    def _rates(self, y):
        n = len(self.solutes)
        v1, v2 = y[0], y[1]
        c1 = y[2:2 + n] / v1
        if self.outer_volume is None:
            c2 = np.array([s.outer for s in self.solutes])
        else:
            c2 = y[2 + n:] / v2
        sigma = np.array([s.reflection for s in self.solutes])
        omega = np.array([s.permeability for s in self.solutes])
        dpi = self.partial_osmotic_pressures(c1) - self.partial_osmotic_pressures(c2)
        # solutes cross as formula units: the osmotic driving force per unit of c is i*RT
        factors = np.array([s.factor for s in self.solutes])
        _, dp = self._pressures(v1, v2)
        jv, js = _kk_fluxes(dp, dpi, 0.5 * (c1 + c2), self.hydraulic_permeability,
                                         sigma, omega / factors)
        area = self.membrane_area
        dy = np.empty_like(y)
        dy[0] = area * jv
        dy[1] = 0.0 if self.outer_volume is None else -area * jv
        dy[2:2 + n] = area * js
        dy[2 + n:] = 0.0 if self.outer_volume is None else -area * js
        return dy, jv, dpi, sigma, dp

    def time_constant(self):
        """Slowest relaxation time of the system, estimated from its parameters [s]."""
        lp, area = self.hydraulic_permeability, self.membrane_area
        if lp == 0:
            scales = []
        elif self.capillary_area is not None:
            scales = [self.capillary_area / (lp * area * self.density * g)]
        else:
            scales = []
        c_total = sum(max(s.inner, s.outer) * s.factor for s in self.solutes)
        if lp > 0 and c_total > 0:
            # volume relaxation by dilution: d(pi)/dV ~ pi / V
            scales.append(self.inner_volume / (lp * area * c_total * R * self.temperature))
        water_scale = max(scales) if scales else None
        for s in self.solutes:
            if s.permeability > 0:
                ps = s.permeability * R * self.temperature
                volume = self.inner_volume
                if self.outer_volume is not None:
                    volume = self.inner_volume * self.outer_volume / (
                        self.inner_volume + self.outer_volume)
                leak = volume / (ps * area)
                # a solute leaking a million times slower than water moves is, over any
                # time a user watches, impermeant: do not stretch the horizon to its decay
                if water_scale is None or leak <= 1e6 * water_scale:
                    scales.append(leak)
        if not scales:
            raise InputError("nothing can cross the membrane (L_p = 0 and no permeable solute)")
        return max(scales)

    def run(self, t_end=None, n_points=400, rtol=1e-8):
        """Integrate volumes and amounts until equilibrium.

        Parameters
        ----------
        t_end : float, optional
            End time [s]; by default 12 time constants, extended (up to 4 times) until
            the flows have died out.
        n_points : int, default 400
            Number of output times (log-spaced after the first time constant / 1000).
        rtol : float, default 1e-8
            Relative tolerance of the stiff integrator (scipy Radau).

        Returns
        -------
        OsmometerResult
        """
        from scipy.integrate import solve_ivp  # lazy: scipy takes ~1 s to import

        if isinstance(n_points, bool) or not isinstance(n_points, int | np.integer) or n_points < 3:
            raise InputError(f"n_points must be a whole number >= 3, got {n_points!r}")
        if not 0 < _number(rtol, "rtol") < 1:
            raise InputError(f"rtol must lie between 0 and 1, e.g. 1e-8, got {rtol!r}")
        try:
            with np.errstate(over="raise", under="ignore", divide="raise", invalid="raise"):
                tau = float(self.time_constant())
        except (ZeroDivisionError, OverflowError, FloatingPointError):
            tau = float("nan")
        if not np.isfinite(tau) or not 0 < tau < 1e16:
            raise InputError(
                "these parameters give no finite time scale (about nothing crosses the "
                "membrane, or everything at once); check L_p, the permeabilities and the "
                "concentrations"
            )
        horizon = _number(t_end, "t_end [s]") if t_end is not None else 12.0 * tau
        if horizon <= 0:
            raise InputError(f"t_end must be positive, got {t_end!r}")
        y0 = self._state0()
        scale = np.abs(y0) + np.concatenate(
            [[self.inner_volume, self.inner_volume],
             np.full(y0.size - 2, 1e-9 * max(np.max(np.abs(y0[2:])), 1e-12))]
        )

        def rhs(_t, y):
            return self._rates(y)[0]

        def emptied(_t, y):
            return y[0] - 1e-3 * self.inner_volume

        emptied.terminal = True
        emptied.direction = -1

        notes = []
        for _attempt in range(4):
            t_eval = np.unique(np.concatenate([
                [0.0], np.geomspace(min(tau, horizon) * 1e-4, horizon, n_points - 1)]))
            solution = solve_ivp(rhs, (0.0, horizon), y0, method="Radau", t_eval=t_eval,
                                 rtol=rtol, atol=1e-12 * scale, events=emptied)
            if not solution.success:  # pragma: no cover - safety net
                raise InputError(f"the osmometer integration failed: {solution.message}")
            y_end = solution.y[:, -1]
            rate = abs(self._rates(y_end)[0][0])
            if solution.status == 1:
                notes.append("compartment 1 emptied: the applied pressure exceeds the osmotic "
                             "pressure the solution can reach")
                break
            excursion = np.max(np.abs(solution.y[0] - y_end[0]))
            if t_end is not None or rate * tau <= 1e-4 * max(excursion, 1e-6 * y0[0]):
                break
            horizon *= 4.0
        else:
            notes.append("not fully at equilibrium at the end of the run")
        return self._result(solution, notes)

    def _result(self, solution, notes):
        n = len(self.solutes)
        times, y = solution.t, solution.y
        v1, v2 = y[0], y[1]
        heights, dps, dpis, flows = [], [], [], []
        for column in y.T:
            dy, jv, dpi, sigma, dp = self._rates(column)
            heights.append(self._pressures(column[0], column[1])[0])
            dps.append(dp)
            dpis.append(float(np.sum(sigma * dpi)))
            flows.append(dy[0])
        inner = {s.name: y[2 + k] / v1 for k, s in enumerate(self.solutes)}
        if self.outer_volume is None:
            outer = {s.name: np.full(times.size, s.outer) for s in self.solutes}
            v2 = np.full(times.size, np.inf)
        else:
            outer = {s.name: y[2 + n + k] / v2 for k, s in enumerate(self.solutes)}
        # time to equilibrium: after it the inner volume stays within 1 % of its largest
        # excursion from the final value
        deviation = np.abs(v1 - v1[-1])
        tolerance = 0.01 * max(float(np.max(deviation)), 1e-12 * v1[0])
        outside = np.nonzero(deviation > tolerance)[0]
        t_eq = float(times[outside[-1] + 1]) if outside.size else 0.0
        flow_end = abs(flows[-1])
        reached = solution.status != 1 and flow_end * (times[-1] + 1.0) < 0.02 * max(
            float(np.max(deviation)), 1e-9 * v1[0])
        return OsmometerResult(
            times=times, inner_volume=v1, outer_volume=v2, height=np.array(heights),
            delta_pressure=np.array(dps), effective_delta_pi=np.array(dpis),
            volume_flow=np.array(flows), inner_concentrations=inner,
            outer_concentrations=outer, time_to_equilibrium=t_eq,
            equilibrium_reached=bool(reached), notes=notes,
        )


def ideal_equilibrium_height(concentration, inner_volume, capillary_area, temperature=T25,
                             density=None, factor=1.0):
    r"""Equilibrium head of an ideal osmometer (σ = 1, ω = 0) against pure water.

    Parameters
    ----------
    concentration : float
        Initial solute concentration in compartment 1 [mol/m^3].
    inner_volume : float
        Initial volume of compartment 1 [m^3].
    capillary_area : float
        Cross-section of the riser [m^2].
    temperature : float, default 298.15
        [K].
    density : float, optional
        Liquid density [kg/m^3]; default pure water at ``temperature``.
    factor : float, default 1
        van 't Hoff factor [-].

    Returns
    -------
    float
        Height h [m] with :math:`\rho g h = \pi(h)`.

    Notes
    -----
    The inflow A_c·h dilutes the solution, so
    :math:`\rho g h = i n R T/(V_0 + A_c h)`, a quadratic in h:

    .. math:: h = \frac{-\rho g V_0 + \sqrt{(\rho g V_0)^2 + 4 \rho g A_c\, i n R T}}
              {2\rho g A_c}

    Examples
    --------
    >>> round(ideal_equilibrium_height(10.0, 10e-6, 7.85e-7), 3)
    2.167
    """
    if _number(concentration, "concentration [mol/m^3]") < 0:
        raise InputError(f"concentration must be >= 0 [mol/m^3], got {concentration!r}")
    for label, value in (("inner_volume", inner_volume), ("capillary_area", capillary_area),
                         ("factor", factor)) + ((("density", density),) if density is not None else ()):
        if _number(value, label) <= 0:
            raise InputError(f"{label} must be positive, got {value!r}")
    temperature = _number(temperature, "temperature [K]")
    lo, hi = LIQUID_RANGE
    if not lo <= temperature <= hi:
        raise InputError(f"temperature {temperature:.6g} K is outside liquid water (accepted "
                         f"{lo:g}-{hi:g} K)")
    if density is None:
        density = float(density_Kell(temperature))
    moles = factor * concentration * inner_volume
    a = density * g * capillary_area
    b = density * g * inner_volume
    c = -moles * R * temperature
    return float((-b + np.sqrt(b * b - 4 * a * c)) / (2 * a))


__all__ = [
    "Osmometer",
    "OsmometerResult",
    "Solute",
    "capillary_area",
    "ideal_equilibrium_height",
    "kedem_katchalsky_fluxes",
    "solute_permeability_coefficient",
    "van_t_hoff_pressure",
]
