"""Configuration of a reverse-osmosis system: frozen dataclasses in SI units, and its limits.

These classes hold configuration only; the physics lives in
:mod:`osmolab.transport.membrane` and the march kernels, the run in :mod:`osmolab.ro.train`.
Design files (YAML, :mod:`osmolab.ro.schema`) are parsed at the edge by pydantic and build
these objects once (:meth:`osmolab.ro.schema.Design.to_system`); Python users may build them
directly. Every numeric limit of the configuration and of the engine's overrides is in one
table, :data:`LIMITS`, checked by one function, :func:`check_limit`.

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
  mixed vessels allowed); optional booster pump pressure rise before the stage,
  a fixed piping pressure loss before the stage (ROSA's and WAVE's "pre-stage ΔP") and
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

All classes are frozen: change a copy with :func:`dataclasses.replace`.

Examples
--------
>>> feed = Feed(flow=100 / 3600, temperature=298.15, salinity=0.035)
>>> system = System(feed=feed, passes=[Pass(stages=[Stage(vessels=2, elements_per_vessel=7,
...                 element="SW30XLE-440i")])], target=Target("recovery", 0.45))
>>> system.passes[0].stages[0].n_elements
7
>>> Feed(flow=-1.0, salinity=0.035)
Traceback (most recent call last):
...
osmolab.ro.config.LimitError: feed flow must be > 0 m3/h, got -3600 m3/h
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from ..constants import T25
from ..errors import InputError, suggest
from ..transport.membrane import CORRELATIONS as _CORRELATION_FUNCTIONS

__all__ = [
    "Feed", "MembraneSheet", "Stage", "Pass", "Pump", "EnergyRecovery", "Target", "System",
    "Limit", "LIMITS", "check_limit", "LimitError",
    "CORRELATIONS", "TEMPERATURE_CORRECTIONS", "ERD_KINDS", "TARGET_KINDS", "ELEMENT_KINDS",
    "BRACKISH_MAX_PRESSURE",
]

#: Spacer-channel correlations understood by the engine (the registry in
#: :data:`osmolab.transport.membrane.CORRELATIONS`)
CORRELATIONS = tuple(_CORRELATION_FUNCTIONS)
#: Temperature-correction models for A and B
TEMPERATURE_CORRECTIONS = ("dupont", "arrhenius")
#: Energy-recovery device kinds
ERD_KINDS = ("none", "pressure_exchanger", "turbine")
#: Target kinds
TARGET_KINDS = ("recovery", "permeate_flow", "feed_pressure")
#: Element kinds: which column of ``data/ro_solute_passage.csv`` gives the per-ion passage
ELEMENT_KINDS = ("brackish", "seawater")
#: A custom sheet rated at or below this feed pressure is a brackish element [Pa gauge]. The
#: library's brackish elements are rated 41-41.6 bar (600 psi) and its seawater elements
#: 82.7-83 bar (1200 psi) (``data/ro_elements.csv``, ``max_pressure_bar``); 55 bar (800 psi)
#: sits between the two ratings, so the rule gives every library element its ``type``.
BRACKISH_MAX_PRESSURE = 55e5


# --------------------------------------------------------------------------------------------
# limits: one table, one check


class Limit(NamedTuple):
    """Allowed range of one configuration value (SI) and how to show it in a message.

    ``low``/``high`` are bounds (``None``: unbounded); ``low_open``/``high_open`` exclude the
    bound itself. ``unit``, ``scale`` and ``offset`` turn an SI value into the one a user
    writes (``shown = value * scale + offset``); ``phrase`` is ``"between"`` to state both
    bounds at once, ``"fraction"`` for a fraction, or ``""`` to name the bound crossed.
    """

    label: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    unit: str = ""
    scale: float = 1.0
    offset: float = 0.0
    phrase: str = ""
    integer: bool = False


_FLOW = {"unit": "m3/h", "scale": 3600.0}
_BAR = {"unit": "bar", "scale": 1e-5}
_MAX_FLOW = 100.0  # m^3/s = 360,000 m3/h per train
_FRACTION = {"phrase": "fraction"}

#: Every numeric limit of the RO configuration and of the engine's overrides (SI values).
#: Keys are ``"<object>.<field>"``; the design-file schema, the configuration classes and
#: :func:`osmolab.ro.train.simulate` all check through this table and nowhere else.
LIMITS: dict[str, Limit] = {
    # feed
    "feed.flow": Limit("feed flow", 0.0, _MAX_FLOW, low_open=True, **_FLOW),
    "feed.temperature": Limit("temperature", 273.15, 373.15, True, True, "degC",
                              offset=-273.15, phrase="between"),
    "feed.salinity": Limit("salinity", 0.0, 0.3, True, True, "g/kg", 1e3),
    "feed.ph": Limit("pH", 0.0, 14.0, phrase="between"),
    "feed.molality": Limit("feed molality", 0.0, None, unit="mol/kg"),
    # targets and the engine's overrides
    "target.recovery": Limit("recovery", 0.0, 1.0, True, True, **_FRACTION),
    "target.permeate_flow": Limit("permeate flow", 0.0, _MAX_FLOW, low_open=True, **_FLOW),
    "target.feed_pressure": Limit("feed pressure", 0.0, 300e5, low_open=True, **_BAR),
    # array
    "stage.vessels": Limit("vessels", 1, 10000, integer=True, phrase="between"),
    "stage.elements_per_vessel": Limit("elements per vessel", 1, 8, integer=True,
                                       phrase="between"),
    "stage.booster_pressure": Limit("booster pressure", 0.0, None, **_BAR),
    "stage.permeate_pressure": Limit("permeate pressure", 0.0, None, **_BAR),
    "stage.pre_stage_pressure_loss": Limit("pre-stage pressure loss", 0.0, 10e5, **_BAR),
    "pass.stages": Limit("stages per pass", 1, 4, integer=True, phrase="between"),
    "pass.concentrate_recycle": Limit("concentrate recycle", 0.0, 0.95, high_open=True,
                                      **_FRACTION),
    "pass.recovery": Limit("pass recovery", 0.0, 0.99, True, True, **_FRACTION),
    "pass.feed_pressure": Limit("pass feed pressure", 0.0, 300e5, low_open=True, **_BAR),
    "system.passes": Limit("passes", 1, 2, integer=True, phrase="between"),
    # membrane sheet
    "sheet.water_permeability": Limit("water permeability A", 0.0, None, low_open=True,
                                      unit="m/(s Pa)"),
    "sheet.salt_permeability": Limit("salt permeability B", 0.0, None, low_open=True,
                                     unit="m/s"),
    "sheet.area": Limit("membrane area", 0.0, None, low_open=True, unit="m2"),
    "sheet.length": Limit("element length", 0.0, None, low_open=True, unit="m"),
    "sheet.width": Limit("channel width", 0.0, None, low_open=True, unit="m"),
    "sheet.channel_height": Limit("channel height", 0.0, None, low_open=True, unit="m"),
    "sheet.spacer_porosity": Limit("spacer porosity", 0.0, 1.0, True, True, **_FRACTION),
    "sheet.max_pressure": Limit("maximum pressure", 0.0, None, low_open=True, **_BAR),
    "sheet.pressure_drop": Limit("pressure drop", 0.0, None, **_BAR),
    "sheet.solute_permeability": Limit("solute permeability", 0.0, None, unit="m/s"),
    # pumps and energy recovery
    "pump.efficiency": Limit("pump efficiency", 0.0, 1.0, low_open=True, **_FRACTION),
    "pump.motor_efficiency": Limit("motor efficiency", 0.0, 1.0, low_open=True, **_FRACTION),
    "erd.efficiency": Limit("ERD efficiency", 0.0, 1.0, low_open=True, **_FRACTION),
    "erd.leakage": Limit("ERD leakage", 0.0, 0.5, high_open=True, **_FRACTION),
    "erd.mixing": Limit("ERD mixing", 0.0, 0.5, high_open=True, **_FRACTION),
    # whole system
    "system.blend_fraction": Limit("blend fraction", 0.0, 1.0, high_open=True, **_FRACTION),
    "system.fouling_factor": Limit("fouling factor", 0.0, 1.5, low_open=True, phrase="between"),
    "system.membrane_age": Limit("membrane age", 0.0, 30.0, unit="years", phrase="between"),
    "system.flux_decline_per_year": Limit("flux decline per year", 0.0, 1.0, high_open=True,
                                          **_FRACTION),
    "system.salt_passage_increase_per_year": Limit("salt-passage increase per year", 0.0, 5.0,
                                                   high_open=True, phrase="between"),
    "system.n_segments": Limit("segments per element", 1, 200, integer=True, phrase="between"),
    "system.activation_energy_water": Limit("activation energy of A", 0.0, None,
                                            unit="J/mol"),
    "system.activation_energy_salt": Limit("activation energy of B", 0.0, None, unit="J/mol"),
}


class LimitError(InputError):
    """A value outside its :data:`LIMITS` entry; ``field`` names the field (for paths)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def _show(value: float, limit: Limit, bound: bool = False) -> str:
    shown = value * limit.scale + limit.offset
    if shown == 0:
        shown = 0.0  # no "-0"
    text = format(shown, ",.6g" if bound else ".6g")
    return f"{text} {limit.unit}".rstrip()


def _range_text(limit: Limit) -> str:
    lo = _show(limit.low, limit, True).removesuffix(f" {limit.unit}") if limit.unit else \
        _show(limit.low, limit, True)
    hi = _show(limit.high, limit, True)
    return f"between {lo} and {hi}"


def check_limit(key: str, value, name: str | None = None):
    """Check ``value`` (a number or an array, SI) against ``LIMITS[key]``.

    Parameters
    ----------
    key : str
        Entry of :data:`LIMITS`, e.g. ``"feed.flow"``.
    value : numeric or array_like
        The value in SI units; ``None`` passes through.
    name : str, optional
        Name used in the message (default: the entry's label), e.g. the override's name.

    Returns
    -------
    float, int or numpy.ndarray
        The value as a float (an int for integer entries), or the array unchanged.

    Raises
    ------
    LimitError
        One line: ``"<name> must be ..., got <value as the user writes it>"``.

    Examples
    --------
    >>> check_limit("feed.temperature", 298.15)
    298.15
    >>> check_limit("feed.temperature", 423.15)
    Traceback (most recent call last):
    ...
    osmolab.ro.config.LimitError: temperature must be between 0 and 100 degC, got 150 degC
    """
    if value is None:
        return None
    limit = LIMITS[key]
    field_name = key.split(".", 1)[1]
    what = name or limit.label
    if isinstance(value, bool):
        raise LimitError(f"{what} must be a number, got {value!r}", field_name)
    if isinstance(value, (np.ndarray, list, tuple)):
        array = np.asarray(value, dtype=float)
        scalar = False
    else:
        try:
            array = np.asarray(float(value))
        except (TypeError, ValueError):
            raise LimitError(f"{what} must be a number, got {value!r}", field_name) from None
        scalar = True
    if not np.all(np.isfinite(array)):
        raise LimitError(f"{what} must be finite, got {value!r}", field_name)
    bad_low = np.zeros(array.shape, bool)
    bad_high = np.zeros(array.shape, bool)
    if limit.low is not None:
        bad_low = array <= limit.low if limit.low_open else array < limit.low
    if limit.high is not None:
        bad_high = array >= limit.high if limit.high_open else array > limit.high
    bad_integer = (array != np.round(array)) if limit.integer else np.zeros(array.shape, bool)
    if np.any(bad_low | bad_high | bad_integer):
        first = float(array[bad_low | bad_high | bad_integer].flat[0])
        got = _show(first, limit) + ("" if scalar else " (in an array)")
        if limit.phrase == "fraction":
            rule = f"a fraction {_range_text(limit)}"
        elif limit.phrase == "between" or limit.integer and limit.high is not None:
            rule = _range_text(limit)
            rule = ("a whole number " if limit.integer else "") + rule
        elif np.any(bad_high):
            rule = f"{'below' if limit.high_open else 'at most'} {_show(limit.high, limit, True)}"
        elif limit.integer:
            rule = f"a whole number >= {_show(limit.low, limit, True)}"
        else:
            rule = f"{'>' if limit.low_open else '>='} {_show(limit.low, limit, True)}"
        raise LimitError(f"{what} must be {rule}, got {got}", field_name)
    if scalar:
        number = float(array)
        return int(number) if limit.integer else number
    return value


def _check_choice(value: str, choices: Sequence[str], what: str, field_name: str) -> str:
    if value not in choices:
        raise LimitError(f"unknown {what} {value!r}; choose one of {', '.join(choices)}."
                         + suggest(str(value), choices), field_name)
    return value


def _set(obj, **values) -> None:
    """Store checked values on a frozen dataclass (in ``__post_init__`` only)."""
    for name, value in values.items():
        object.__setattr__(obj, name, value)


# --------------------------------------------------------------------------------------------
# configuration objects


@dataclass(frozen=True)
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
        _set(self, flow=check_limit("feed.flow", self.flow),
             temperature=check_limit("feed.temperature", self.temperature),
             salinity=check_limit("feed.salinity", self.salinity),
             ph=check_limit("feed.ph", self.ph))
        if self.solution is None and self.salinity is None:
            raise LimitError("feed needs a composition: give solution=... or salinity=...",
                             "salinity")
        _check_choice(self.salt, ("seawater", "NaCl"), "feed salt", "salt")
        if isinstance(self.solution, Mapping):
            for name, m in self.solution.items():
                check_limit("feed.molality", m, f"feed molality of {name!r}")


@dataclass(frozen=True)
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
    kind : {"brackish", "seawater"}, optional
        Which per-ion passage ratios the sheet takes (``relative_B_brackish`` or ``relative_B``
        of ``data/ro_solute_passage.csv``), as a library element takes them by its type.
        Default: from the rated ``max_pressure``, as the library's elements are rated:
        brackish at or below :data:`BRACKISH_MAX_PRESSURE` (55 bar), else seawater
        (:attr:`element_kind`).
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
    kind: str | None = None

    def __post_init__(self):
        _set(self, **{name: check_limit(f"sheet.{name}", getattr(self, name)) for name in (
            "water_permeability", "salt_permeability", "area", "length", "width",
            "channel_height", "spacer_porosity", "max_pressure", "pressure_drop")})
        if self.sheets_per_channel not in (1, 2):
            raise LimitError("sheets_per_channel must be 1 (flat sheet) or 2 (spiral-wound "
                             "leaf)", "sheets_per_channel")
        for species, b in (self.solute_permeability or {}).items():
            check_limit("sheet.solute_permeability", b, f"solute permeability of {species!r}")
        if self.kind is not None:
            kind = str(self.kind).strip().lower()
            if kind not in ELEMENT_KINDS:
                _check_choice(str(self.kind), ELEMENT_KINDS, "element kind", "kind")
            _set(self, kind=kind)

    @property
    def element_kind(self) -> str:
        """``"brackish"`` or ``"seawater"``: the given ``kind``, else by the rated pressure.

        Examples
        --------
        >>> MembraneSheet(1e-12, 2e-8, 37.0, max_pressure=41e5).element_kind
        'brackish'
        >>> MembraneSheet(1e-12, 2e-8, 37.0).element_kind  # rated 83 bar
        'seawater'
        """
        if self.kind is not None:
            return self.kind
        return "brackish" if self.max_pressure <= BRACKISH_MAX_PRESSURE else "seawater"


@dataclass(frozen=True)
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
    pre_stage_pressure_loss : float
        Fixed pressure loss of the piping and headers before this stage [Pa]: the first
        stage's elements see the pump pressure less this loss, a later stage its
        predecessor's concentrate pressure plus any booster less this loss (the "pre-stage
        ΔP" of ROSA and WAVE; ROSA 9.1 reports print 0.34-0.35 bar, see
        ``data/published_projections.yaml``).
    """

    vessels: int
    elements_per_vessel: int = 7
    element: Any = "SW30XLE-440i"
    booster_pressure: float = 0.0
    permeate_pressure: float = 0.0
    pre_stage_pressure_loss: float = 0.0

    def __post_init__(self):
        _set(self, vessels=check_limit("stage.vessels", self.vessels),
             elements_per_vessel=check_limit("stage.elements_per_vessel",
                                             self.elements_per_vessel),
             booster_pressure=check_limit("stage.booster_pressure", self.booster_pressure),
             permeate_pressure=check_limit("stage.permeate_pressure", self.permeate_pressure),
             pre_stage_pressure_loss=check_limit("stage.pre_stage_pressure_loss",
                                                 self.pre_stage_pressure_loss))
        if isinstance(self.element, (list, tuple)):
            if len(self.element) != self.elements_per_vessel:
                raise LimitError(f"{len(self.element)} elements listed for "
                                 f"{self.elements_per_vessel} positions per vessel", "element")
            _set(self, element=tuple(self.element))

    @property
    def n_elements(self) -> int:
        return self.elements_per_vessel

    @property
    def element_list(self) -> list:
        """One element entry (name or sheet) per position in the vessel."""
        if isinstance(self.element, tuple):
            return list(self.element)
        return [self.element] * self.elements_per_vessel


@dataclass(frozen=True)
class Pass:
    """Stages in series; the concentrate of each stage feeds the next.

    Parameters
    ----------
    stages : sequence of Stage
    concentrate_recycle : float
        Fraction of this pass's concentrate returned to its own feed [-].
    recovery : float, optional
        Recovery target of this pass (used for passes after the first) [-].
    feed_pressure : float, optional
        Feed pressure of this pass (passes after the first, when no recovery) [Pa gauge].
    """

    stages: Sequence
    concentrate_recycle: float = 0.0
    recovery: float | None = None
    feed_pressure: float | None = None

    def __post_init__(self):
        stages = tuple(self.stages or ())
        check_limit("pass.stages", len(stages))
        _set(self, stages=stages,
             concentrate_recycle=check_limit("pass.concentrate_recycle",
                                             self.concentrate_recycle),
             recovery=check_limit("pass.recovery", self.recovery),
             feed_pressure=check_limit("pass.feed_pressure", self.feed_pressure))


@dataclass(frozen=True)
class Pump:
    """A pump: hydraulic efficiency times motor (and drive) efficiency."""

    efficiency: float = 0.80
    motor_efficiency: float = 0.96

    def __post_init__(self):
        _set(self, efficiency=check_limit("pump.efficiency", self.efficiency),
             motor_efficiency=check_limit("pump.motor_efficiency", self.motor_efficiency))

    @property
    def total_efficiency(self) -> float:
        return self.efficiency * self.motor_efficiency


@dataclass(frozen=True)
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
        _check_choice(self.kind, ERD_KINDS, "energy-recovery device", "kind")
        _set(self, efficiency=check_limit("erd.efficiency", self.efficiency),
             leakage=check_limit("erd.leakage", self.leakage),
             mixing=check_limit("erd.mixing", self.mixing))


@dataclass(frozen=True)
class Target:
    """The fixed quantity: ``recovery`` [-], ``permeate_flow`` [m^3/s] or ``feed_pressure``
    [Pa gauge]; ``value`` a number or an array of numbers."""

    kind: str
    value: Any

    def __post_init__(self):
        _check_choice(self.kind, TARGET_KINDS, "target", "kind")
        check_limit(f"target.{self.kind}", self.value)


@dataclass(frozen=True)
class System:
    """A complete RO system (one or two passes).

    Parameters
    ----------
    feed : Feed
    passes : sequence of Pass
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
        Spacer-channel mass-transfer and friction correlation
        (:data:`osmolab.transport.membrane.CORRELATIONS`).
    temperature_correction : {"dupont", "arrhenius"}
    activation_energy_water, activation_energy_salt : float
        Activation energies for the Arrhenius correction [J/mol].
    name : str
    """

    feed: Feed
    passes: Sequence
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
        passes = tuple(self.passes or ())
        check_limit("system.passes", len(passes))
        _set(self, passes=passes)
        if len(passes) == 2 and passes[1].recovery is None and passes[1].feed_pressure is None:
            raise LimitError("the second pass needs 'recovery' (e.g. 0.9) or 'feed_pressure'",
                             "passes")
        _check_choice(self.correlation, CORRELATIONS, "correlation", "correlation")
        _check_choice(self.temperature_correction, TEMPERATURE_CORRECTIONS,
                      "temperature correction", "temperature_correction")
        _set(self, **{name: check_limit(f"system.{name}", getattr(self, name)) for name in (
            "blend_fraction", "fouling_factor", "membrane_age", "flux_decline_per_year",
            "salt_passage_increase_per_year", "n_segments", "activation_energy_water",
            "activation_energy_salt")})
        if self.target.kind == "permeate_flow" and np.ndim(self.target.value) == 0 \
                and math.isfinite(float(self.target.value)) \
                and float(self.target.value) >= self.feed.flow:
            raise LimitError(
                "target.permeate_flow: must be below feed.flow "
                f"({float(self.target.value) * 3600:g} >= {self.feed.flow * 3600:g} m3/h)")
