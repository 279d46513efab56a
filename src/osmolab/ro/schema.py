"""Schema of RO design files: pydantic models, unit parsing and one-line error messages.

The models mirror what WAVE or IMSDesign asks for: the feed (flow, temperature, composition,
water source), the array (passes, stages, vessels, elements per vessel, element model or a
custom membrane sheet), pumps, energy recovery, the target (exactly one of recovery, permeate
flow or feed pressure), membrane age, fouling factor and discretisation. Quantities are parsed
at this edge (``"100 m3/h"``, ``"25 degC"``, ``"60 bar"``, ``"35 g/kg"``; bare numbers take the
field's default unit) and stored in SI. :meth:`Design.to_system` maps a validated design onto the
engine's configuration (:class:`osmolab.ro.config.System`). :func:`validation_message` turns a
pydantic ``ValidationError`` into the one line that :func:`osmolab.ro.design.load_design` raises.

Examples
--------
>>> spec = StageSpec(vessels=10, element="filmtec bw30-400", booster_pressure="3 bar")
>>> spec.element, spec.booster_pressure
('BW30-400', 300000.0)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from ..errors import InputError, suggest
from ..thermo import dosing as _dosing
from ..thermo.seawater import density as seawater_density
from ..thermo.solution import Solution
from ..thermo.species import canonical_name, charge, molar_mass
from ..units import parse_quantity, parse_salinity, registry
from . import config as S
from . import costing as _costing
from .config import LimitError
from .guidelines import resolve_water_source
from .library import canonical_element_name

__all__ = [
    "Design",
    "FeedSpec",
    "ArraySpec",
    "PassSpec",
    "StageSpec",
    "MembraneSheetSpec",
    "PumpsSpec",
    "ERDSpec",
    "TargetSpec",
    "CostingSpec",
    "ChemistrySpec",
    "AcidSpec",
    "CausticSpec",
    "validation_message",
]

# --------------------------------------------------------------------------------------------
# quantity parsing (interfaces only: everything leaves this module in SI)


def _number_or_text(value, what):
    if isinstance(value, bool) or value is None:
        raise ValueError(f"expected {what}, got {value!r}")
    if isinstance(value, (int, float)):
        if not math.isfinite(float(value)):
            raise ValueError(f"expected a finite {what}, got {value!r}")
        return value
    if isinstance(value, str) and value.strip():
        return value
    raise ValueError(f"expected {what} such as '{_EXAMPLE[what]}', got {value!r}")


_EXAMPLE = {
    "flow": "100 m3/h",
    "temperature": "25 degC",
    "pressure": "60 bar",
    "salinity": "35 g/kg",
    "time": "3 years",
}


def _parse(dimension: str, default_unit: str):
    def parse(value):
        value = _number_or_text(value, dimension)
        try:
            return parse_quantity(value, dimension, default_unit=default_unit)
        except InputError as exc:
            raise ValueError(str(exc)) from None

    return parse


def _parse_salinity(value) -> float:
    """Salinity as a mass fraction [kg/kg] from '35 g/kg', '35 ppt', '35000 mg/L' or 35: the
    one rule of :func:`osmolab.units.parse_salinity` (a bare number, also written as a string,
    is g/kg; below 0.3 it is refused as ambiguous), a concentration converted with the
    seawater density."""
    value = _number_or_text(value, "salinity")
    try:
        return parse_salinity(value, from_concentration=_concentration_to_salinity)
    except InputError as exc:
        raise ValueError(str(exc)) from None


def _concentration_to_salinity(tds_kg_m3: float, temperature: float = 298.15) -> float:
    """Mass fraction [kg/kg] from total dissolved solids [kg/m^3] with the seawater density
    (its range is checked with the configuration, :data:`osmolab.ro.config.LIMITS`)."""
    salinity = tds_kg_m3 / 1000.0
    for _ in range(4):
        salinity = tds_kg_m3 / float(seawater_density(min(max(salinity, 0.0), 0.16), temperature))
    return salinity


Flow = Annotated[float, BeforeValidator(_parse("flow", "m**3/h"))]
Temperature = Annotated[float, BeforeValidator(_parse("temperature", "degC"))]
Pressure = Annotated[float, BeforeValidator(_parse("pressure", "bar"))]
Salinity = Annotated[float, BeforeValidator(_parse_salinity)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_numbers(cls, value, info):
        # YAML reads yes/no/true/false as booleans; pydantic would take them as 1 and 0
        if isinstance(value, bool):
            annotation = str(cls.model_fields[info.field_name].annotation)
            if "int" in annotation or "float" in annotation:
                raise ValueError(f"expected a number, got {str(value).lower()}")
        return value


# --------------------------------------------------------------------------------------------
# the schema


class MembraneSheetSpec(_Model):
    """A custom membrane sheet in place of a library element."""

    water_permeability: float = Field(description="A at 25 degC [m/(s Pa)] or a string '1.2 LMH/bar'")
    salt_permeability: float = Field(description="B at 25 degC [m/s] or a string '0.05 LMH'")
    area: float = Field(description="active area [m2] (number) or '41 m2'")
    length: float = 0.94
    width: float | None = None
    channel_height: float = 28 * 25.4e-6
    spacer_porosity: float = 0.89
    max_pressure: Pressure = 83e5
    name: str = "custom"
    kind: str | None = Field(None, description="'brackish' or 'seawater': which per-ion passage "
                             "ratios the sheet takes; default by max_pressure (brackish at or "
                             "below 55 bar)")

    @field_validator("water_permeability", mode="before")
    @classmethod
    def _a(cls, value):
        return _permeability(value, "m/(s*Pa)", "water_permeability", "1.2 LMH/bar")

    @field_validator("salt_permeability", mode="before")
    @classmethod
    def _b(cls, value):
        return _permeability(value, "m/s", "salt_permeability", "0.05 LMH")

    @field_validator("area", mode="before")
    @classmethod
    def _area(cls, value):
        return _parse("area", "m**2")(value)

    @field_validator("length", "channel_height", mode="before")
    @classmethod
    def _length(cls, value):
        return _parse("length", "m")(value)

def _permeability(value, unit, what, example):
    value = _number_or_text(value, what) if value is not None else value
    if isinstance(value, (int, float)):
        return float(value)
    text = value.replace("LMH", "lmh")
    try:
        return float(registry().Quantity(text).to(unit).magnitude)
    except Exception:
        raise ValueError(f"cannot read {what} {value!r}; give it in SI ({unit}) or e.g. '{example}'") from None


ElementSpec = str | MembraneSheetSpec


class StageSpec(_Model):
    """Pressure vessels in parallel, each with elements in series."""

    vessels: int = Field(description="pressure vessels in parallel (1-10,000)")
    elements_per_vessel: int = Field(7, description="elements in series per vessel (1-8)")
    element: ElementSpec | list[ElementSpec] = Field(
        "SW30XLE-440i", description="library name, custom sheet, or one entry per position"
    )
    booster_pressure: Pressure = Field(0.0, description="interstage booster pressure rise [bar]")
    permeate_pressure: Pressure = Field(0.0, description="permeate back-pressure [bar]")
    pre_stage_pressure_loss: Pressure = Field(
        0.0, description="piping pressure loss before the stage [bar] (ROSA/WAVE pre-stage dP)")

    @field_validator("element")
    @classmethod
    def _element(cls, value):
        def one(entry):
            if isinstance(entry, str):
                try:
                    return canonical_element_name(entry)
                except InputError as exc:
                    raise ValueError(str(exc)) from None
            return entry

        if isinstance(value, list):
            return [one(v) for v in value]
        return one(value)

class PassSpec(_Model):
    """Stages in series; for a second pass, its own recovery (or feed pressure)."""

    stages: list[StageSpec] = Field(description="1-4 stages in series")
    recovery: float | None = Field(None, description="recovery of this pass (second pass) [-]")
    feed_pressure: Pressure | None = None
    concentrate_recycle: float = Field(0.0, description="fraction of the concentrate [-]")

class ArraySpec(_Model):
    """The RO array: either ``passes`` (list) or, for one pass, ``stages`` directly."""

    passes: list[PassSpec] | None = Field(None, description="one or two passes")
    stages: list[StageSpec] | None = Field(None, description="the stages of a single pass")
    blend_fraction: float = Field(0.0, description="raw feed bypassing the RO [-]")

    @model_validator(mode="after")
    def _one_form(self):
        if self.passes is None and self.stages is None:
            raise ValueError("give 'stages' (one pass) or 'passes'")
        if self.passes is not None and self.stages is not None:
            raise ValueError("give either 'stages' or 'passes', not both")
        if self.passes is None:  # one pass given by its stages (frozen: set once, here)
            object.__setattr__(self, "passes", [PassSpec(stages=self.stages)])
            object.__setattr__(self, "stages", None)
        return self


class FeedSpec(_Model):
    """Raw feed water."""

    flow: Flow = Field(description="raw feed flow, e.g. '100 m3/h'")
    temperature: Temperature = Field(298.15, description="e.g. '25 degC'")
    composition: str | None = Field(None, description="solution string, e.g. 'seawater 35 g/kg'")
    salinity: Salinity | None = Field(None, description="seawater salinity, e.g. '35 g/kg'")
    tds: Salinity | None = Field(None, description="NaCl-equivalent TDS, e.g. '2000 mg/L'")
    ions: dict[str, float] | None = Field(None, description="ion table [mg/L]")
    water_source: str = Field("seawater_uf", description="design-guideline row")
    pH: float = Field(7.0, description="0-14")
    balance: str | None = Field(
        None, description="ion of 'ions' adjusted to balance its charge, e.g. 'Na+' or 'Cl-'")
    #: the adjustment made by ``balance``: (ion, mg/L added, imbalance before [-]), or None
    _balanced: tuple | None = PrivateAttr(None)

    @property
    def flow_m3_s(self):
        return self.flow

    @property
    def balance_note(self) -> str | None:
        """One line saying how ``balance`` changed the ion table (None when it did not)."""
        if self._balanced is None:
            return None
        ion, added, before = self._balanced
        return (f"feed.ions: charge imbalance {100 * before:+.1f} % balanced with {ion} "
                f"({added:+.4g} mg/L, feed.balance)")

    @field_validator("water_source")
    @classmethod
    def _source(cls, value):
        try:
            return resolve_water_source(value)
        except InputError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("ions")
    @classmethod
    def _ions(cls, value):
        if value is None:
            return value
        if not value:
            raise ValueError("ion table is empty")
        out = {}
        for name, conc in value.items():
            try:
                key = canonical_name(str(name))
            except InputError as exc:
                raise ValueError(str(exc)) from None
            if isinstance(conc, bool) or not isinstance(conc, (int, float)) or not math.isfinite(conc) or conc < 0:
                raise ValueError(f"ion {name!r}: concentration must be a number >= 0 in mg/L, got {conc!r}")
            out[key] = out.get(key, 0.0) + float(conc)
        total = sum(out.values())
        if total <= 0:
            raise ValueError("ion table has no dissolved solids")
        if total >= 300_000:
            raise ValueError(f"ion table totals {total:.3g} mg/L; a feed water has less than 300,000 mg/L")
        return out

    @model_validator(mode="after")
    def _one_composition(self):
        given = [k for k in ("composition", "salinity", "tds", "ions") if getattr(self, k) is not None]
        if not given:
            raise ValueError("give the feed composition: 'composition', 'salinity', 'tds' or 'ions'")
        if len(given) > 1:
            raise ValueError(f"give one feed composition, not {' and '.join(given)}")
        if self.balance is not None and self.ions is None:
            raise ValueError("'balance' adjusts an ion table: give the feed as 'ions'")
        if self.ions is not None:
            ions, self._balanced = balance_ion_table(self.ions, self.balance)
            object.__setattr__(self, "ions", ions)
        return self


def balance_ion_table(ions: Mapping[str, float], balance: str | None = None):
    """Check, or restore, the electroneutrality of an ion table, as WAVE's feed screen does.

    Parameters
    ----------
    ions : mapping of str to float
        Canonical ion names to concentrations [mg/L].
    balance : str, optional
        Ion whose concentration is changed (or added) to balance the charge.

    Returns
    -------
    (dict, tuple or None)
        The table (balanced when ``balance`` is given) and ``(ion, mg/L added, imbalance
        before)`` of the adjustment (None without ``balance``).

    Raises
    ------
    ValueError
        An imbalance above :data:`osmolab.thermo.analysis.MAX_IMBALANCE` (5 %, the usual
        acceptance limit of an analysis, Standard Methods 1030 E) without ``balance``, an
        unknown or neutral balancing ion, or a balance that would need a negative amount.

    Examples
    --------
    >>> table, note = balance_ion_table({"Na+": 400.0, "Cl-": 500.0}, "Na+")
    >>> round(table["Na+"], 1), round(100 * note[2], 1)
    (324.2, 10.5)
    """
    from ..thermo.analysis import MAX_IMBALANCE  # lazy: the analysis module is chemistry-only

    eq = {name: mg / 1e3 / molar_mass(name) * charge(name) for name, mg in ions.items()}
    cations = sum(v for v in eq.values() if v > 0)
    anions = -sum(v for v in eq.values() if v < 0)
    imbalance = (cations - anions) / (cations + anions) if cations + anions > 0 else 0.0
    if balance is None:
        if abs(imbalance) > MAX_IMBALANCE:
            raise ValueError(
                f"the ion table is out of charge balance by {100 * imbalance:+.1f} % (cations "
                f"{cations:.4g}, anions {anions:.4g} meq/L; limit {100 * MAX_IMBALANCE:g} %): "
                "check the analysis, or name an ion to adjust with 'balance: Na+' (or Cl-)")
        return dict(ions), None
    try:
        name = canonical_name(str(balance))
        z = charge(name)
    except InputError as exc:
        raise ValueError(f"balance: {exc}") from None
    if z == 0:
        raise ValueError(f"balance: {name} has no charge; name a cation (Na+) or an anion (Cl-)")
    mass = molar_mass(name)
    old = ions.get(name, 0.0)
    new = old - (cations - anions) / z * mass * 1e3  # mg/L
    if new < 0:
        raise ValueError(f"balance: balancing with {name} would need a negative amount "
                         f"({new:.4g} mg/L); name an "
                         "ion of the other charge")
    out = dict(ions)
    out[name] = new
    return out, (name, new - old, imbalance)


def _parse_composition(text: str, temperature: float):
    """('seawater'|'NaCl'|None, salinity, solution) from a composition string."""
    match = re.fullmatch(r"\s*(sea\s*water|seawater|nacl|sodium chloride)\s+(.+)", text, re.I)
    if match:
        salt = "NaCl" if match.group(1).lower() in ("nacl", "sodium chloride") else "seawater"
        amount = match.group(2).strip()
        try:
            salinity = _parse_salinity(amount)
        except ValueError:
            salinity = None
        if salinity is not None:
            return salt, salinity, None
    try:
        solution = Solution.from_string(text, temperature=temperature)
    except InputError as exc:
        raise ValueError(f"composition {text!r}: {exc}") from None
    return None, None, solution


class PumpsSpec(_Model):
    high_pressure_efficiency: float = 0.80
    booster_efficiency: float = 0.80
    motor_efficiency: float = 0.96


class ERDSpec(_Model):
    type: str = Field("none", description="none, pressure_exchanger or turbine")
    efficiency: float = 0.96
    leakage: float = Field(0.01, description="PX lubrication flow / concentrate")
    mixing: float = Field(0.05, description="PX volumetric mixing")

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value):
        aliases = {"px": "pressure_exchanger", "pressure exchanger": "pressure_exchanger",
                   "isobaric": "pressure_exchanger", "pelton": "turbine", "turbocharger": "turbine",
                   "francis": "turbine", None: "none", "no": "none"}
        if isinstance(value, str):
            key = value.strip().lower().replace("-", "_")
            return aliases.get(key, key)
        if value is None or value is False:  # YAML reads a bare `no` as false
            return "none"
        return value


def _percent_to_fraction(value, what: str, example: str):
    """A fraction given as ``"45 %"`` to 0.45; anything else unchanged (pydantic checks it)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return float(value.strip()[:-1]) / 100
        except ValueError:
            raise ValueError(f"cannot read {what} {value!r}; write {example}") from None
    return value


def _known(value, names, what: str):
    """``value`` if it is one of ``names``, else a one-line error suggesting near names."""
    if value not in names:
        raise ValueError(f"unknown {what} {value!r}.{suggest(str(value), names)} "
                         f"Known: {', '.join(names)}")
    return value


class TargetSpec(_Model):
    recovery: float | None = Field(None, description="permeate / RO feed [-], e.g. 0.45")
    permeate_flow: Flow | None = Field(None, description="e.g. '45 m3/h'")
    feed_pressure: Pressure | None = Field(None, description="e.g. '60 bar'")

    @field_validator("recovery", mode="before")
    @classmethod
    def _percent(cls, value):
        return _percent_to_fraction(value, "recovery", "0.45 or '45 %'")

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [k for k in ("recovery", "permeate_flow", "feed_pressure") if getattr(self, k) is not None]
        if len(given) != 1:
            what = "none" if not given else " and ".join(given)
            raise ValueError(
                f"give exactly one of recovery, permeate_flow or feed_pressure (got {what})"
            )
        return self

    @property
    def kind(self) -> str:
        for k in ("recovery", "permeate_flow", "feed_pressure"):
            if getattr(self, k) is not None:
                return k
        raise AssertionError("unreachable")  # pragma: no cover

    @property
    def value(self) -> float:
        return getattr(self, self.kind)


class CostingSpec(_Model):
    """The optional ``costing:`` section: a cost basis (:mod:`osmolab.ro.costing`) and
    overrides of its parameters. Costing does not change the projection."""

    basis: str = Field("watertap", description="cost basis: watertap or voutchkov2018")
    electricity_price_usd_kWh: float | None = None
    interest_rate: float | None = Field(None, description="per year, e.g. 0.06 or '6 %'")
    plant_life_yr: float | None = None
    utilisation: float | None = Field(None, description="fraction of the year on line")
    membrane_replacement_per_yr: float | None = None
    maintenance_per_yr: float | None = None
    labour_usd_m3: float | None = None
    installation_factor: float | None = None
    total_investment_factor: float | None = None
    membrane_cost_usd_m2: float | None = None
    membrane_element_cost_usd: float | None = None
    pressure_vessel_cost_usd: float | None = None
    high_pressure_pump_cost_usd_W: float | None = None
    booster_pump_cost_usd_W: float | None = None
    pressure_exchanger_cost_usd_per_m3_h: float | None = None
    turbine_cost_usd_per_m3_h: float | None = None
    intake_pretreatment_cost_usd_per_m3_d: float | None = None
    chemical_prices_usd_kg: dict[str, float] | None = None
    chemical_doses_mg_L: dict[str, float] | None = Field(
        None, description="dose per litre of RO feed [mg/L], e.g. {antiscalant: 3}")

    _basis: object = PrivateAttr(None)

    @field_validator("interest_rate", "utilisation", mode="before")
    @classmethod
    def _percent(cls, value):
        return _percent_to_fraction(value, "the rate", "0.06 or '6 %'")

    @model_validator(mode="after")
    def _build_basis(self):
        overrides = {name: getattr(self, name) for name in type(self).model_fields
                     if name not in ("basis", "chemical_doses_mg_L")
                     and getattr(self, name) is not None}
        if self.chemical_doses_mg_L is not None:
            overrides["chemical_doses_kg_m3"] = {
                k: (v * 1e-3 if isinstance(v, (int, float)) else v)
                for k, v in self.chemical_doses_mg_L.items()}
        self._basis = _costing.cost_basis(self.basis, **overrides)
        return self

    def to_basis(self):
        """The :class:`osmolab.ro.costing.CostBasis` with this section's overrides."""
        return self._basis


class AcidSpec(_Model):
    """``chemistry.acid``: acid dosed to the feed, to a target feed pH or concentrate LSI."""

    chemical: str = Field("H2SO4", description="H2SO4 or HCl")
    target_ph: float | None = Field(None, description="feed pH after the acid, 2-14")
    target_lsi: float | None = Field(None, description="LSI of the final concentrate")

    @field_validator("chemical")
    @classmethod
    def _acid(cls, value):
        return _known(value, _dosing.ACIDS, "acid")

    @field_validator("target_ph")
    @classmethod
    def _ph(cls, value):
        if value is not None and not (_dosing.MIN_PH <= value <= 14.0):
            raise ValueError(f"target pH must be {_dosing.MIN_PH:g}-14 (an acid dose driving the "
                             f"pH below {_dosing.MIN_PH:g} is refused), got {value:g}")
        return value

    @model_validator(mode="after")
    def _one_target(self):
        if (self.target_ph is None) == (self.target_lsi is None):
            raise ValueError("give one acid target: target_ph or target_lsi")
        return self


class CausticSpec(_Model):
    """``chemistry.caustic_second_pass``: NaOH dosed to the second-pass feed (boron)."""

    chemical: str = Field("NaOH", description="NaOH")
    target_ph: float = Field(description="second-pass feed pH, 0-14")

    @field_validator("chemical")
    @classmethod
    def _base(cls, value):
        return _known(value, _dosing.BASES, "base")

    @field_validator("target_ph")
    @classmethod
    def _ph(cls, value):
        if not 0.0 <= value <= 14.0:
            raise ValueError(f"target pH must be 0-14, got {value:g}")
        return value


class ChemistrySpec(_Model):
    """The optional ``chemistry:`` section (:mod:`osmolab.thermo.dosing`): acid to the feed,
    antiscalant (the allowed concentrate limits), permeate degassing, a degasser and caustic
    before pass 2."""

    acid: AcidSpec | None = None
    antiscalant: str | None = Field(None, description="none, generic or a named row")
    degas_permeate: float | None = Field(None, description="fraction of CO2 stripped, 0-1")
    degas_second_pass: float | None = Field(
        None, description="fraction of the second-pass feed's CO2 stripped before the caustic, 0-1")
    caustic_second_pass: CausticSpec | None = None

    @field_validator("antiscalant")
    @classmethod
    def _antiscalant(cls, value):
        return value if value is None else _known(value, _dosing.antiscalant_names(),
                                                  "antiscalant")

    @field_validator("degas_permeate", "degas_second_pass")
    @classmethod
    def _fraction(cls, value):
        if value is not None and not 0.0 <= value <= 1.0:
            raise ValueError(f"the CO2 removal is a fraction 0-1, got {value:g}")
        return value


class Design(_Model):
    """A validated RO design file (all quantities in SI; frozen). Validation builds the
    engine's configuration once (:meth:`to_system`), checking every limit on the way."""

    name: str = "RO plant"
    description: str = ""
    feed: FeedSpec
    array: ArraySpec
    pumps: PumpsSpec = PumpsSpec()
    erd: ERDSpec = ERDSpec()
    target: TargetSpec
    membrane_age: float = Field(0.0, description="years in service")
    fouling_factor: float = Field(1.0, description="multiplies A")
    flux_decline_per_year: float = 0.07
    salt_passage_increase_per_year: float = 0.10
    segments: int = Field(5, description="segments per element")
    correlation: str = Field("Schock_Miquel", description="spacer-channel correlation")
    costing: CostingSpec | None = Field(None, description="cost basis and overrides (LCOW)")
    chemistry: ChemistrySpec | None = Field(
        None, description="acid, antiscalant, permeate degassing, caustic before pass 2")

    @field_validator("membrane_age", mode="before")
    @classmethod
    def _age(cls, value):
        if isinstance(value, str):
            try:
                return float(registry().Quantity(value.replace("yr", "year")).to("year").magnitude)
            except Exception:
                raise ValueError(f"cannot read membrane_age {value!r}; write e.g. '3 years'") from None
        return value

    _system: S.System | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _configure(self):
        # the engine's configuration is built (and every limit checked) once, here
        self._system = _build_system(self)
        return self

    def to_system(self) -> S.System:
        """The frozen :class:`osmolab.ro.config.System` this design describes (SI units),
        built once when the design was validated (designs are frozen too)."""
        return self._system


@contextmanager
def _at(path: str, fields: Mapping[str, str] | None = None):
    """Prefix a configuration error with the design-file path of the field it names."""
    try:
        yield
    except LimitError as exc:
        name = (fields or {}).get(exc.field, exc.field)
        where = f"{path}.{name}" if path and name else path or name
        raise InputError(f"{where}: {exc}" if where else str(exc)) from None
    except InputError:  # already names its path
        raise
    except ValueError as exc:  # a parse problem
        raise InputError(f"{path}: {exc}" if path else str(exc)) from None


def _build_system(design: Design) -> S.System:
    feed = design.feed
    salt, salinity, solution = "seawater", None, None
    given = "salinity"
    if feed.composition is not None:
        given = "composition"
        with _at("feed.composition"):
            salt, salinity, solution = _parse_composition(feed.composition, feed.temperature)
        salt = salt or "seawater"
    elif feed.salinity is not None:
        salinity = feed.salinity
    elif feed.tds is not None:
        given = "tds"
        salt, salinity = "NaCl", feed.tds
    else:
        with _at("feed.ions"):
            solution = _ions_to_molalities(feed.ions, feed.temperature)
    with _at("feed", {"ph": "pH", "salinity": given, "salt": given}):
        system_feed = S.Feed(flow=feed.flow, temperature=feed.temperature, solution=solution,
                             salinity=salinity, salt=salt, water_source=feed.water_source,
                             ph=feed.pH)
    passes = []
    for k, spec in enumerate(design.array.passes):
        where = f"array.passes[{k}]" if len(design.array.passes) > 1 else "array"
        stages = []
        for i, st in enumerate(spec.stages):
            with _at(f"{where}.stages[{i}]"):
                stages.append(S.Stage(vessels=st.vessels, elements_per_vessel=st.elements_per_vessel,
                                      element=_element_config(st.element, f"{where}.stages[{i}]"),
                                      booster_pressure=st.booster_pressure,
                                      permeate_pressure=st.permeate_pressure,
                                      pre_stage_pressure_loss=st.pre_stage_pressure_loss))
        with _at(where):
            passes.append(S.Pass(stages=stages, concentrate_recycle=spec.concentrate_recycle,
                                 recovery=spec.recovery, feed_pressure=spec.feed_pressure))
    with _at("target"):
        target = S.Target(design.target.kind, design.target.value)
    pumps = design.pumps
    with _at("pumps", {"efficiency": "high_pressure_efficiency"}):
        high_pressure_pump = S.Pump(pumps.high_pressure_efficiency, pumps.motor_efficiency)
    with _at("pumps", {"efficiency": "booster_efficiency"}):
        booster_pump = S.Pump(pumps.booster_efficiency, pumps.motor_efficiency)
    with _at("erd", {"kind": "type"}):
        erd = S.EnergyRecovery(kind=design.erd.type, efficiency=design.erd.efficiency,
                               leakage=design.erd.leakage, mixing=design.erd.mixing)
    with _at("", {"n_segments": "segments", "passes": "array.passes",
                  "blend_fraction": "array.blend_fraction"}):
        return S.System(
            feed=system_feed, passes=passes, target=target,
            high_pressure_pump=high_pressure_pump, booster_pump=booster_pump, erd=erd,
            blend_fraction=design.array.blend_fraction, fouling_factor=design.fouling_factor,
            membrane_age=design.membrane_age, flux_decline_per_year=design.flux_decline_per_year,
            salt_passage_increase_per_year=design.salt_passage_increase_per_year,
            n_segments=design.segments, correlation=design.correlation, name=design.name)


def _element_config(element, path: str):
    def one(entry, where):
        if isinstance(entry, MembraneSheetSpec):
            with _at(where):
                return S.MembraneSheet(
                    water_permeability=entry.water_permeability,
                    salt_permeability=entry.salt_permeability, area=entry.area,
                    length=entry.length, width=entry.width,
                    channel_height=entry.channel_height, spacer_porosity=entry.spacer_porosity,
                    max_pressure=entry.max_pressure, name=entry.name, kind=entry.kind)
        return entry

    if isinstance(element, list):
        return [one(e, f"{path}.element[{i}]") for i, e in enumerate(element)]
    return one(element, f"{path}.element")


def _ions_to_molalities(ions_mg_L: Mapping[str, float], temperature: float) -> dict[str, float]:
    """Molalities [mol/kg water] from an ion table [mg/L] (density from Sharqawy seawater)."""

    tds = sum(ions_mg_L.values()) / 1000.0  # kg/m^3
    salinity = _concentration_to_salinity(tds, temperature)
    water_kg_per_m3 = float(seawater_density(salinity, temperature)) * (1 - salinity)
    return {
        name: (mg / 1e6) / molar_mass(name) / (water_kg_per_m3 / 1000.0)
        for name, mg in ions_mg_L.items()
    }


# --------------------------------------------------------------------------------------------
# errors: pydantic -> one line


def _path(loc) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in ("str", "MembraneSheetSpec", "list[union[str,MembraneSheetSpec]]") or "function-" in str(part):
            continue
        else:
            text += ("." if text else "") + str(part)
    return text or "design"


def validation_message(error: ValidationError, model=None) -> str:
    """One line from a pydantic ``ValidationError``: the first problem with its field path."""
    errors = error.errors(include_url=False)
    # prefer errors that are not an alternative of a union (the string branch of 'element')
    branch_types = {"string_type", "model_type", "list_type", "dict_type", "model_attributes_type"}
    first = next((e for e in errors if e["type"] not in branch_types), errors[0])
    path = _path(first["loc"])
    message = first["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    if first["type"] == "extra_forbidden":
        field_name = str(first["loc"][-1])
        known = _known_fields(first["loc"][:-1], model)
        message = f"unknown field {field_name!r}.{suggest(field_name, known)}"
        if known:
            message += f" Allowed here: {', '.join(known)}"
    elif first["type"] == "missing":
        message = "required field is missing"
    elif "input" in first and first["type"] not in ("value_error", "assertion_error"):
        shown = first["input"]
        if isinstance(shown, (str, int, float)) and len(repr(shown)) < 40:
            message += f" (got {shown!r})"
    real = [e for e in errors if e["type"] not in branch_types]
    more = max(len(real) - 1, 0)
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    if not first["loc"] and re.match(r"^[\w.\[\]]+: ", message):
        return f"{message}{suffix}"  # a whole-design check that names its own fields
    return f"{path}: {message}{suffix}"


def _known_fields(loc, model) -> list[str]:
    model = model or Design
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part))
        if info is None:
            return []
        annotation = info.annotation
        nested = _nested_model(annotation)
        if nested is None:
            return []
        model = nested
    return list(model.model_fields)


def _nested_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _nested_model(arg)
        if found is not None:
            return found
    return None
