"""Schema of RO design files: pydantic models, unit parsing and one-line error messages.

The models mirror what WAVE or IMSDesign asks for: the feed (flow, temperature, composition,
water source), the array (passes, stages, vessels, elements per vessel, element model or a
custom membrane sheet), pumps, energy recovery, the target (exactly one of recovery, permeate
flow or feed pressure), membrane age, fouling factor and discretisation. Quantities are parsed
at this edge (``"100 m3/h"``, ``"25 degC"``, ``"60 bar"``, ``"35 g/kg"``; bare numbers take the
field's default unit) and stored in SI. :meth:`Design.to_system` maps a validated design onto the
engine's configuration (:class:`osmolab.ro.system.System`). :func:`validation_message` turns a
pydantic ``ValidationError`` into the one line that :func:`osmolab.ro.design.load_design` raises.

Examples
--------
>>> spec = StageSpec(vessels=10, element="filmtec bw30-400", booster_pressure="3 bar")
>>> spec.element, spec.booster_pressure
('BW30-400', 300000.0)
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ..errors import InputError, suggest
from ..thermo.seawater import density as seawater_density
from ..thermo.solution import Solution
from ..thermo.species import canonical_name, molar_mass
from ..units import parse_quantity, registry
from . import system as S
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
    """Salinity as a mass fraction [kg/kg] from '35 g/kg', '35 ppt', '35000 mg/L', 0.035 or 35."""
    value = _number_or_text(value, "salinity")
    if isinstance(value, (int, float)):
        value = float(value)
        # a bare number is g/kg (35); below 0.3 it may be meant as a mass fraction (0.035), and
        # reading it either way can be a 1000-fold mistake, so ask for the unit
        if 0 < value < 0.3:
            raise ValueError(f"bare salinity {value:g} is ambiguous: write '{value:g} g/kg' "
                             f"or '{value * 1000:g} g/kg' ({value:g} kg/kg)")
        return value / 1000.0
    return _parse_salinity_text(value)


@functools.lru_cache(maxsize=512)
def _parse_salinity_text(value: str) -> float:
    text = value.strip()
    text = re.sub(r"(?i)\s*(\bppt\b|\bpsu\b|‰|\bpermil\b)", " g/kg", text).strip()
    text = re.sub(r"(?i)\bppm\b", "mg/kg", text).strip()
    try:
        concentration = parse_quantity(text, "mass_concentration")
    except InputError:
        concentration = None
    if concentration is not None:
        return _concentration_to_salinity(concentration)
    try:
        quantity = registry().Quantity(text)
        fraction = float(quantity.to("").magnitude)
    except Exception:
        raise ValueError(
            f"cannot read salinity {value!r}; write a mass ratio ('35 g/kg') or a concentration ('2000 mg/L')"
        ) from None
    if not 0 <= fraction < 0.3:
        raise ValueError(f"salinity {value!r} is not between 0 and 300 g/kg")
    return fraction


def _concentration_to_salinity(tds_kg_m3: float, temperature: float = 298.15) -> float:
    """Mass fraction [kg/kg] from total dissolved solids [kg/m^3] with the seawater density."""
    if tds_kg_m3 < 0:
        raise ValueError(f"concentration must be >= 0, got {tds_kg_m3} kg/m3")
    salinity = tds_kg_m3 / 1000.0
    for _ in range(4):
        salinity = tds_kg_m3 / float(seawater_density(min(salinity, 0.16), temperature))
    if not 0 <= salinity < 0.3:
        raise ValueError(f"{tds_kg_m3 * 1000:.4g} mg/L is not a feed water (above 300 g/kg)")
    return salinity


Flow = Annotated[float, BeforeValidator(_parse("flow", "m**3/h"))]
Temperature = Annotated[float, BeforeValidator(_parse("temperature", "degC"))]
Pressure = Annotated[float, BeforeValidator(_parse("pressure", "bar"))]
Salinity = Annotated[float, BeforeValidator(_parse_salinity)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_numbers(cls, value, info):
        # YAML reads yes/no/true/false as booleans; pydantic would take them as 1 and 0
        if isinstance(value, bool):
            annotation = str(cls.model_fields[info.field_name].annotation)
            if "int" in annotation or "float" in annotation:
                raise ValueError(f"expected a number, got {str(value).lower()}")
        return value


def _fraction(value: float, what: str, upper: float = 1.0, closed: bool = False) -> float:
    if not (0 < value < upper or (closed and value == upper)):
        raise ValueError(f"{what} must be a fraction between 0 and {upper:g}, got {value!r}")
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

    @field_validator("area", "length", "channel_height", "water_permeability", "salt_permeability")
    @classmethod
    def _positive(cls, value, info):
        if not value > 0:
            raise ValueError(f"{info.field_name} must be > 0, got {value!r}")
        return value

    @field_validator("spacer_porosity")
    @classmethod
    def _porosity(cls, value):
        return _fraction(value, "spacer_porosity")


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

    vessels: int = Field(ge=1, le=10000, description="pressure vessels in parallel")
    elements_per_vessel: int = Field(7, ge=1, le=8, description="elements in series per vessel (1-8)")
    element: ElementSpec | list[ElementSpec] = Field(
        "SW30XLE-440i", description="library name, custom sheet, or one entry per position"
    )
    booster_pressure: Pressure = Field(0.0, description="interstage booster pressure rise [bar]")
    permeate_pressure: Pressure = Field(0.0, description="permeate back-pressure [bar]")

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
            if not value:
                raise ValueError("element list is empty")
            return [one(v) for v in value]
        return one(value)

    @field_validator("booster_pressure", "permeate_pressure")
    @classmethod
    def _non_negative(cls, value, info):
        if value < 0:
            raise ValueError(f"{info.field_name} must be >= 0, got {value / 1e5:g} bar")
        return value

    @model_validator(mode="after")
    def _positions(self):
        if isinstance(self.element, list) and len(self.element) != self.elements_per_vessel:
            raise ValueError(
                f"{len(self.element)} elements listed for {self.elements_per_vessel} positions per vessel"
            )
        return self


class PassSpec(_Model):
    """Stages in series; for a second pass, its own recovery (or feed pressure)."""

    stages: list[StageSpec] = Field(min_length=1, max_length=4)
    recovery: float | None = Field(None, description="recovery of this pass (second pass) [-]")
    feed_pressure: Pressure | None = None
    concentrate_recycle: float = Field(0.0, ge=0, lt=0.95)

    @field_validator("recovery")
    @classmethod
    def _recovery(cls, value):
        return None if value is None else _fraction(value, "recovery", 0.99)


class ArraySpec(_Model):
    """The RO array: either ``passes`` (list) or, for one pass, ``stages`` directly."""

    passes: list[PassSpec] | None = Field(None, min_length=1, max_length=2)
    stages: list[StageSpec] | None = Field(None, min_length=1, max_length=4)
    blend_fraction: float = Field(0.0, ge=0, lt=1, description="raw feed bypassing the RO [-]")

    @model_validator(mode="after")
    def _one_form(self):
        if self.passes is None and self.stages is None:
            raise ValueError("give 'stages' (one pass) or 'passes'")
        if self.passes is not None and self.stages is not None:
            raise ValueError("give either 'stages' or 'passes', not both")
        if self.passes is None:
            self.passes = [PassSpec(stages=self.stages)]
            self.stages = None
        if len(self.passes) == 2 and self.passes[1].recovery is None and self.passes[1].feed_pressure is None:
            raise ValueError("the second pass needs 'recovery' (e.g. 0.9) or 'feed_pressure'")
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
    pH: float = Field(7.0, ge=0, le=14)

    @property
    def flow_m3_s(self):
        return self.flow

    @field_validator("flow")
    @classmethod
    def _flow(cls, value):
        if not value > 0:
            raise ValueError(f"feed flow must be > 0, got {value * 3600:g} m3/h")
        if value > 100.0:
            raise ValueError(f"feed flow must be at most 360,000 m3/h per train, got {value * 3600:.3g} m3/h")
        return value

    @field_validator("salinity", "tds")
    @classmethod
    def _dissolved(cls, value, info):
        if value is not None and not value > 0:
            raise ValueError(f"{info.field_name} must be > 0 (a feed water holds dissolved salts)")
        return value

    @field_validator("temperature")
    @classmethod
    def _temperature(cls, value):
        if not 273.15 < value < 373.15:
            raise ValueError(f"temperature must be between 0 and 100 degC, got {value - 273.15:g} degC")
        return value

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

    @field_validator("composition")
    @classmethod
    def _composition(cls, value):
        if value is not None:
            _parse_composition(value, 298.15)  # validate now, build later
        return value

    @model_validator(mode="after")
    def _one_composition(self):
        given = [k for k in ("composition", "salinity", "tds", "ions") if getattr(self, k) is not None]
        if not given:
            raise ValueError("give the feed composition: 'composition', 'salinity', 'tds' or 'ions'")
        if len(given) > 1:
            raise ValueError(f"give one feed composition, not {' and '.join(given)}")
        return self


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
            if salinity <= 0:
                raise ValueError(f"composition {text!r}: salinity must be > 0")
            return salt, salinity, None
    try:
        solution = Solution.from_string(text, temperature=temperature)
    except InputError as exc:
        raise ValueError(f"composition {text!r}: {exc}") from None
    return None, None, solution


class PumpsSpec(_Model):
    high_pressure_efficiency: float = Field(0.80, gt=0, le=1)
    booster_efficiency: float = Field(0.80, gt=0, le=1)
    motor_efficiency: float = Field(0.96, gt=0, le=1)


class ERDSpec(_Model):
    type: Literal["none", "pressure_exchanger", "turbine"] = "none"
    efficiency: float = Field(0.96, gt=0, le=1)
    leakage: float = Field(0.01, ge=0, lt=0.5, description="PX lubrication flow / concentrate")
    mixing: float = Field(0.05, ge=0, lt=0.5, description="PX volumetric mixing")

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


class TargetSpec(_Model):
    recovery: float | None = Field(None, description="permeate / RO feed [-], e.g. 0.45")
    permeate_flow: Flow | None = Field(None, description="e.g. '45 m3/h'")
    feed_pressure: Pressure | None = Field(None, description="e.g. '60 bar'")

    @field_validator("recovery", mode="before")
    @classmethod
    def _percent(cls, value):
        if isinstance(value, str) and value.strip().endswith("%"):
            try:
                return float(value.strip()[:-1]) / 100
            except ValueError:
                raise ValueError(f"cannot read recovery {value!r}; write 0.45 or '45 %'") from None
        return value

    @field_validator("recovery")
    @classmethod
    def _recovery(cls, value):
        return None if value is None else _fraction(value, "recovery", 0.99)

    @field_validator("permeate_flow", "feed_pressure")
    @classmethod
    def _positive(cls, value, info):
        if value is not None and not value > 0:
            raise ValueError(f"{info.field_name} must be > 0")
        return value

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


class Design(_Model):
    """A validated RO design file (all quantities in SI)."""

    name: str = "RO plant"
    description: str = ""
    feed: FeedSpec
    array: ArraySpec
    pumps: PumpsSpec = PumpsSpec()
    erd: ERDSpec = ERDSpec()
    target: TargetSpec
    membrane_age: float = Field(0.0, ge=0, le=30, description="years in service")
    fouling_factor: float = Field(1.0, gt=0, le=1.5, description="multiplies A")
    flux_decline_per_year: float = Field(0.07, ge=0, lt=1)
    salt_passage_increase_per_year: float = Field(0.10, ge=0, lt=5)
    segments: int = Field(5, ge=1, le=200, description="segments per element")
    correlation: Literal["Schock_Miquel", "Guillen_Hoek"] = "Schock_Miquel"

    @field_validator("membrane_age", mode="before")
    @classmethod
    def _age(cls, value):
        if isinstance(value, str):
            try:
                return float(registry().Quantity(value.replace("yr", "year")).to("year").magnitude)
            except Exception:
                raise ValueError(f"cannot read membrane_age {value!r}; write e.g. '3 years'") from None
        return value

    @model_validator(mode="after")
    def _permeate_below_feed(self):
        if self.target.permeate_flow is not None:
            if self.target.permeate_flow >= self.feed.flow:
                raise ValueError(
                    "target.permeate_flow: must be below feed.flow "
                    f"({self.target.permeate_flow * 3600:g} >= {self.feed.flow * 3600:g} m3/h)"
                )
        return self

    # -- mapping onto the engine's configuration -------------------------------------------
    def to_system(self):
        """The :class:`osmolab.ro.system.System` this design describes (SI units)."""
        feed = self.feed
        salt, salinity, solution = "seawater", None, None
        if feed.composition is not None:
            salt, salinity, solution = _parse_composition(feed.composition, feed.temperature)
            salt = salt or "seawater"
        elif feed.salinity is not None:
            salinity = feed.salinity
        elif feed.tds is not None:
            salt, salinity = "NaCl", feed.tds
        else:
            try:
                solution = _ions_to_molalities(feed.ions, feed.temperature)
            except ValueError as exc:
                raise InputError(f"feed.ions: {exc}") from None
        system_feed = S.Feed(
            flow=feed.flow,
            temperature=feed.temperature,
            solution=solution,
            salinity=salinity,
            salt=salt,
            water_source=feed.water_source,
            ph=feed.pH,
        )
        passes = []
        for spec in self.array.passes:
            stages = [
                S.Stage(
                    vessels=st.vessels,
                    elements_per_vessel=st.elements_per_vessel,
                    element=_element_config(st.element),
                    booster_pressure=st.booster_pressure,
                    permeate_pressure=st.permeate_pressure,
                )
                for st in spec.stages
            ]
            passes.append(
                S.Pass(
                    stages=stages,
                    concentrate_recycle=spec.concentrate_recycle,
                    recovery=spec.recovery,
                    feed_pressure=spec.feed_pressure,
                )
            )
        return S.System(
            feed=system_feed,
            passes=passes,
            target=S.Target(self.target.kind, self.target.value),
            high_pressure_pump=S.Pump(self.pumps.high_pressure_efficiency, self.pumps.motor_efficiency),
            booster_pump=S.Pump(self.pumps.booster_efficiency, self.pumps.motor_efficiency),
            erd=S.EnergyRecovery(
                kind=self.erd.type,
                efficiency=self.erd.efficiency,
                leakage=self.erd.leakage,
                mixing=self.erd.mixing,
            ),
            blend_fraction=self.array.blend_fraction,
            fouling_factor=self.fouling_factor,
            membrane_age=self.membrane_age,
            flux_decline_per_year=self.flux_decline_per_year,
            salt_passage_increase_per_year=self.salt_passage_increase_per_year,
            n_segments=self.segments,
            correlation=self.correlation,
            name=self.name,
        )


def _element_config(element):
    def one(entry):
        if isinstance(entry, MembraneSheetSpec):
            return S.MembraneSheet(
                water_permeability=entry.water_permeability,
                salt_permeability=entry.salt_permeability,
                area=entry.area,
                length=entry.length,
                width=entry.width,
                channel_height=entry.channel_height,
                spacer_porosity=entry.spacer_porosity,
                max_pressure=entry.max_pressure,
                name=entry.name,
            )
        return entry

    return [one(e) for e in element] if isinstance(element, list) else one(element)


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
