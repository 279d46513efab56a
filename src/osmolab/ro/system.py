"""Configuration of a reverse-osmosis system: plain dataclasses in SI units.

These classes hold configuration only; the physics lives in
:mod:`osmolab.transport.membrane` and :mod:`osmolab.ro.element`, the march and the solver in
:mod:`osmolab.ro.train`. Design files (YAML, :mod:`osmolab.ro.design`) map onto them.

Units: flows [m^3/s], pressures [Pa, gauge, i.e. above atmospheric], temperatures [K],
lengths [m], areas [m^2], water permeability A [m/(s Pa)], solute permeability B [m/s],
salinity [kg/kg], molalities [mol/kg water], time [years] for membrane age.

Structure
---------
``System(feed, passes=[Pass(stages=[Stage(...), ...]), ...], target=Target(...), ...)``

* :class:`Feed` -- raw feed: flow, temperature and composition, given as a
  :class:`osmolab.thermo.solution.Solution`, a mapping ``{species: molality}``, or a salinity
  with ``salt="seawater"`` (Millero 2008 reference composition) or ``salt="NaCl"``.
* :class:`MembraneSheet` -- a custom membrane (flat sheet or spiral-wound leaf set) defined
  by A, B, area, length, width, channel height and spacer porosity.
* :class:`Stage` -- ``vessels`` pressure vessels in parallel, each with
  ``elements_per_vessel`` elements in series; ``element`` is a library name
  (``osmolab elements``), a :class:`MembraneSheet`, or a list of those (one per position,
  mixed vessels allowed); optional booster pump pressure rise before the stage and
  permeate back-pressure.
* :class:`Pass` -- stages in series (concentrate of one feeds the next), optional
  concentrate recycle to the pass feed; for the second pass, its own recovery target (or feed
  pressure). The second-pass concentrate is always recycled to the first-pass feed.
* :class:`Pump`, :class:`EnergyRecovery` -- efficiencies; ERD ``"none"``,
  ``"pressure_exchanger"`` (efficiency, leakage, mixing) or ``"turbine"``.
* :class:`Target` -- what is fixed: ``"recovery"`` (final permeate / RO feed),
  ``"permeate_flow"`` [m^3/s, final-pass permeate before blending] or ``"feed_pressure"``
  [Pa gauge, first-pass membrane feed]. The others are solved for.
* :class:`System` -- everything above plus blending, fouling factor, membrane age,
  discretisation (``n_segments`` per element) and the spacer-channel correlation.

Examples
--------
>>> feed = Feed(flow=100 / 3600, temperature=298.15, salinity=0.035)
>>> system = System(feed=feed, passes=[Pass(stages=[Stage(vessels=2, elements_per_vessel=7,
...                 element="SW30XLE-440i")])], target=Target("recovery", 0.45))
>>> system.passes[0].stages[0].n_elements
7
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..constants import T25
from ..errors import InputError, suggest

#: Spacer-channel correlations understood by the engine (see osmolab.transport.membrane)
CORRELATIONS = ("Schock_Miquel", "Guillen_Hoek")
#: Temperature-correction models for A and B
TEMPERATURE_CORRECTIONS = ("dupont", "arrhenius")
#: Energy-recovery device kinds
ERD_KINDS = ("none", "pressure_exchanger", "turbine")
#: Target kinds
TARGET_KINDS = ("recovery", "permeate_flow", "feed_pressure")


def _check_choice(value: str, choices: Sequence[str], what: str) -> str:
    if value not in choices:
        raise InputError(f"unknown {what} {value!r}; choose one of {', '.join(choices)}."
                         + suggest(str(value), choices))
    return value


def _positive(value, what: str, allow_zero: bool = False):
    if value is None:
        return value
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number, got {value!r}") from None
    if not (v == v) or v in (float("inf"), float("-inf")) or v < 0 or (v == 0 and not allow_zero):
        raise InputError(f"{what} must be {'>= 0' if allow_zero else '> 0'}, got {value!r}")
    return v


@dataclass
class Feed:
    """Raw feed water.

    Parameters
    ----------
    flow : float
        Raw feed flow to the RO system (after blending bypass is taken off) [m^3/s].
    temperature : float
        Feed temperature [K].
    solution : Solution or Mapping[str, float], optional
        Composition: an ``osmolab.thermo.solution.Solution`` or molalities [mol/kg water].
    salinity : float, optional
        Salinity [kg/kg]; with ``salt`` it defines the composition when ``solution`` is None,
        and with ``solution`` it rescales that composition to this salinity.
    salt : {"seawater", "NaCl"}
        Composition shape used with ``salinity`` alone.
    water_source : str
        Water-source key for the design guidelines (e.g. ``"seawater_uf"``,
        ``"brackish_well"``); the engine does not use it.
    ph : float
        Feed pH (reported; boron speciation is taken from the composition as given).
    """

    flow: float
    temperature: float = T25
    solution: Any = None
    salinity: float | None = None
    salt: str = "seawater"
    water_source: str = "seawater_uf"
    ph: float = 7.0

    def __post_init__(self):
        self.flow = _positive(self.flow, "feed flow [m^3/s]")
        self.temperature = _positive(self.temperature, "feed temperature [K]")
        if not 273.15 <= self.temperature <= 373.15:
            raise InputError(f"feed temperature {self.temperature:.2f} K is outside 0-100 degC")
        if self.salinity is not None:
            self.salinity = _positive(self.salinity, "feed salinity [kg/kg]")
            if self.salinity >= 0.3:
                raise InputError(f"feed salinity {self.salinity} kg/kg is not a feed water; "
                                 "give it as a mass fraction (35 g/kg = 0.035)")
        if self.solution is None and self.salinity is None:
            raise InputError("feed needs a composition: give solution=... or salinity=...")
        _check_choice(self.salt, ("seawater", "NaCl"), "feed salt")
        if isinstance(self.solution, Mapping):
            for name, m in self.solution.items():
                _positive(m, f"feed molality of {name!r} [mol/kg]", allow_zero=True)


@dataclass
class MembraneSheet:
    """A custom membrane element defined by its transport and channel parameters.

    Parameters
    ----------
    water_permeability : float
        Pure-water permeability A at 25 degC [m/(s Pa)].
    salt_permeability : float
        NaCl (salt-average) permeability B at 25 degC [m/s].
    area : float
        Active membrane area [m^2].
    length : float
        Flow-path length [m].
    width : float, optional
        Feed-channel width summed over leaves [m]; default ``area / length / sheets_per_channel``.
    channel_height : float
        Feed-spacer (channel) height [m].
    spacer_porosity : float
        Void fraction of the feed spacer [-].
    sheets_per_channel : int
        Membrane faces bounding one feed channel: 2 in spiral-wound leaves, 1 for a flat
        sheet in a test cell (WaterTAP's convention).
    solute_permeability : Mapping[str, float], optional
        Per-species B at 25 degC [m/s] replacing the salt-average one scaled by relative passage.
    max_pressure : float
        Maximum feed pressure [Pa gauge].
    pressure_drop : float, optional
        Fixed feed-channel pressure drop over the element [Pa]; default: from the friction
        correlation.
    name : str
        Label in results.
    """

    water_permeability: float
    salt_permeability: float
    area: float
    length: float = 0.94
    width: float | None = None
    channel_height: float = 28 * 25.4e-6
    spacer_porosity: float = 0.89
    sheets_per_channel: int = 2
    solute_permeability: Mapping[str, float] | None = None
    max_pressure: float = 83e5
    pressure_drop: float | None = None
    name: str = "custom"

    def __post_init__(self):
        self.water_permeability = _positive(self.water_permeability, "water permeability A")
        self.salt_permeability = _positive(self.salt_permeability, "salt permeability B")
        self.area = _positive(self.area, "membrane area [m^2]")
        self.length = _positive(self.length, "element length [m]")
        self.width = _positive(self.width, "channel width [m]")
        self.channel_height = _positive(self.channel_height, "channel height [m]")
        self.spacer_porosity = _positive(self.spacer_porosity, "spacer porosity")
        if self.spacer_porosity >= 1:
            raise InputError("spacer porosity must be below 1")
        if self.sheets_per_channel not in (1, 2):
            raise InputError("sheets_per_channel must be 1 (flat sheet) or 2 (spiral-wound leaf)")
        self.max_pressure = _positive(self.max_pressure, "maximum pressure [Pa]")
        self.pressure_drop = _positive(self.pressure_drop, "pressure drop [Pa]", allow_zero=True)


@dataclass
class Stage:
    """Pressure vessels in parallel, each holding elements in series.

    Parameters
    ----------
    vessels : int
        Number of pressure vessels in parallel.
    elements_per_vessel : int
        Elements in series in each vessel (1-8).
    element : str or MembraneSheet or sequence of those
        Library element name, custom sheet, or one entry per position (mixed vessel).
    booster_pressure : float
        Pressure added by an interstage booster pump before this stage [Pa].
    permeate_pressure : float
        Permeate back-pressure of this stage [Pa gauge].
    """

    vessels: int
    elements_per_vessel: int = 7
    element: Any = "SW30XLE-440i"
    booster_pressure: float = 0.0
    permeate_pressure: float = 0.0

    def __post_init__(self):
        if int(self.vessels) != self.vessels or self.vessels < 1:
            raise InputError(f"vessels must be a whole number >= 1, got {self.vessels!r}")
        self.vessels = int(self.vessels)
        n = self.elements_per_vessel
        if int(n) != n or not 1 <= n <= 8:
            raise InputError(f"elements per vessel must be 1-8, got {n!r}")
        self.elements_per_vessel = int(n)
        if isinstance(self.element, (list, tuple)) and len(self.element) != self.elements_per_vessel:
            raise InputError(f"{len(self.element)} element names given for "
                             f"{self.elements_per_vessel} positions per vessel")
        self.booster_pressure = _positive(self.booster_pressure, "booster pressure [Pa]", True)
        self.permeate_pressure = _positive(self.permeate_pressure, "permeate pressure [Pa]", True)

    @property
    def n_elements(self) -> int:
        return self.elements_per_vessel

    @property
    def element_list(self) -> list:
        """One element entry (name or sheet) per position in the vessel."""
        if isinstance(self.element, (list, tuple)):
            return list(self.element)
        return [self.element] * self.elements_per_vessel


@dataclass
class Pass:
    """Stages in series; the concentrate of each stage feeds the next.

    Parameters
    ----------
    stages : list of Stage
    concentrate_recycle : float
        Fraction of this pass's concentrate returned to its own feed [-].
    recovery : float, optional
        Recovery target of this pass (used for passes after the first) [-].
    feed_pressure : float, optional
        Feed pressure of this pass (passes after the first, when no recovery) [Pa gauge].
    """

    stages: list
    concentrate_recycle: float = 0.0
    recovery: float | None = None
    feed_pressure: float | None = None

    def __post_init__(self):
        if not self.stages:
            raise InputError("a pass needs at least one stage")
        self.stages = list(self.stages)
        self.concentrate_recycle = _positive(self.concentrate_recycle, "concentrate recycle",
                                             True)
        if self.concentrate_recycle >= 0.95:
            raise InputError("concentrate recycle must be below 0.95 of the concentrate")
        if self.recovery is not None:
            self.recovery = _positive(self.recovery, "pass recovery")
            if self.recovery >= 1:
                raise InputError("pass recovery must be a fraction below 1 (e.g. 0.9)")
        self.feed_pressure = _positive(self.feed_pressure, "pass feed pressure [Pa]")


@dataclass
class Pump:
    """A pump: hydraulic efficiency times motor (and drive) efficiency."""

    efficiency: float = 0.80
    motor_efficiency: float = 0.96

    def __post_init__(self):
        for name in ("efficiency", "motor_efficiency"):
            v = _positive(getattr(self, name), f"pump {name}")
            if v > 1:
                raise InputError(f"pump {name} must be a fraction <= 1, got {v}")
            setattr(self, name, v)

    @property
    def total_efficiency(self) -> float:
        return self.efficiency * self.motor_efficiency


@dataclass
class EnergyRecovery:
    """Energy-recovery device on the first-pass concentrate.

    Parameters
    ----------
    kind : {"none", "pressure_exchanger", "turbine"}
    efficiency : float
        Pressure exchanger: pressure-transfer efficiency (pressurised-feed pressure /
        concentrate pressure); turbine: hydraulic-to-shaft efficiency [-].
    leakage : float
        Pressure exchanger: lubrication (leakage) flow as a fraction of the concentrate [-].
    mixing : float
        Pressure exchanger: volumetric mixing, the fraction of concentrate salinity excess
        carried into the pressurised feed [-].
    """

    kind: str = "none"
    efficiency: float = 0.96
    leakage: float = 0.01
    mixing: float = 0.05

    def __post_init__(self):
        _check_choice(self.kind, ERD_KINDS, "energy-recovery device")
        self.efficiency = _positive(self.efficiency, "ERD efficiency")
        self.leakage = _positive(self.leakage, "ERD leakage", True)
        self.mixing = _positive(self.mixing, "ERD mixing", True)
        for name in ("efficiency", "leakage", "mixing"):
            if getattr(self, name) > 1:
                raise InputError(f"ERD {name} must be a fraction <= 1")


@dataclass
class Target:
    """The fixed quantity: ``recovery`` [-], ``permeate_flow`` [m^3/s] or ``feed_pressure``
    [Pa gauge]."""

    kind: str
    value: Any

    def __post_init__(self):
        _check_choice(self.kind, TARGET_KINDS, "target")


@dataclass
class System:
    """A complete RO system (one or two passes).

    Parameters
    ----------
    feed : Feed
    passes : list of Pass
        One or two passes; pass 2 treats the pass-1 permeate and its concentrate returns to
        the pass-1 feed.
    target : Target
    high_pressure_pump, booster_pump : Pump
    erd : EnergyRecovery
    blend_fraction : float
        Fraction of the raw feed bypassing the RO into the product [-].
    fouling_factor : float
        Multiplies A (1 = clean, 0.85 typical design value) [-].
    membrane_age : float
        Years in service [yr].
    flux_decline_per_year : float
        Fractional A loss per year (compounded) [1/yr].
    salt_passage_increase_per_year : float
        Fractional B increase per year (compounded) [1/yr].
    n_segments : int
        Segments per element along its length.
    correlation : {"Schock_Miquel", "Guillen_Hoek"}
        Spacer-channel mass-transfer and friction correlation.
    temperature_correction : {"dupont", "arrhenius"}
    activation_energy_water, activation_energy_salt : float
        Activation energies for the Arrhenius correction [J/mol].
    name : str
    """

    feed: Feed
    passes: list
    target: Target = field(default_factory=lambda: Target("recovery", 0.45))
    high_pressure_pump: Pump = field(default_factory=Pump)
    booster_pump: Pump = field(default_factory=Pump)
    erd: EnergyRecovery = field(default_factory=EnergyRecovery)
    blend_fraction: float = 0.0
    fouling_factor: float = 1.0
    membrane_age: float = 0.0
    flux_decline_per_year: float = 0.07
    salt_passage_increase_per_year: float = 0.10
    n_segments: int = 5
    correlation: str = "Schock_Miquel"
    temperature_correction: str = "dupont"
    activation_energy_water: float = 2640 * 8.314462618
    activation_energy_salt: float = 2640 * 8.314462618
    name: str = "RO system"

    def __post_init__(self):
        if not self.passes or len(self.passes) > 2:
            raise InputError(f"a system has 1 or 2 passes, got {len(self.passes or [])}")
        self.passes = list(self.passes)
        if len(self.passes) == 2 and self.passes[1].recovery is None \
                and self.passes[1].feed_pressure is None:
            raise InputError("the second pass needs a recovery (e.g. 0.9) or a feed pressure")
        _check_choice(self.correlation, CORRELATIONS, "correlation")
        _check_choice(self.temperature_correction, TEMPERATURE_CORRECTIONS,
                      "temperature correction")
        self.blend_fraction = _positive(self.blend_fraction, "blend fraction", True)
        if self.blend_fraction >= 1:
            raise InputError("blend fraction must be below 1")
        self.fouling_factor = _positive(self.fouling_factor, "fouling factor")
        if self.fouling_factor > 1.5:
            raise InputError("fouling factor multiplies A and is normally 0.65-1")
        self.membrane_age = _positive(self.membrane_age, "membrane age [yr]", True)
        self.flux_decline_per_year = _positive(self.flux_decline_per_year,
                                               "flux decline per year", True)
        self.salt_passage_increase_per_year = _positive(
            self.salt_passage_increase_per_year, "salt-passage increase per year", True)
        if self.flux_decline_per_year >= 1:
            raise InputError("flux decline per year must be a fraction below 1")
        if int(self.n_segments) != self.n_segments or not 1 <= self.n_segments <= 200:
            raise InputError(f"n_segments must be a whole number 1-200, got {self.n_segments!r}")
        self.n_segments = int(self.n_segments)
