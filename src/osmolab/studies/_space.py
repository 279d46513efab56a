"""Search space, metrics and constraints of the design optimiser (:mod:`osmolab.studies.optimize`).

Three small pieces, kept apart from the search itself:

* **variables** -- what may change: the projection's target (``recovery``, ``feed_pressure``
  or ``permeate_flow``; solved for many values in one vectorised call of
  :func:`osmolab.ro.project`), discrete design choices (``element``, ``stages``, ``vessels``,
  ``elements_per_vessel``, ``erd`` or any path such as ``array.stages.0.vessels``) and
  continuous design fields (``array.stages.1.booster_pressure``, ``array.passes.1.recovery``,
  ``array.stages.0.permeate_pressure``), each needing its own design;
* **metrics** -- named quantities of a batch projection, vectorised, with their unit in the
  name (``permeate_tds_mg_L``, ``max_element_flux_LMH``, ``permeate_boron_mg_L``...);
* **constraints** -- ``"metric<=limit"`` or ``"metric>=limit"`` on those metrics, including the
  design guidelines of the feed-water source (:func:`osmolab.ro.guidelines.guideline`) and the
  datasheet maximum pressure of every element.

Units at this entry (as everywhere): bare pressures are bar, flows m3/h.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
from dataclasses import dataclass, replace

import numpy as np

from ..constants import HOUR
from ..errors import InputError, suggest
from ..ro.guidelines import guideline
from ..ro.library import canonical_element_name, element_names
from ..ro.march import (
    EL_AVERAGE_FLUX,
    EL_BETA,
    EL_CONCENTRATE_FLOW,
    EL_FEED_FLOW,
    EL_FEED_PRESSURE,
    EL_OUTLET_FLUX,
    EL_PERMEATE_FLOW,
    EL_PRESSURE_DROP,
)
from ..thermo.scaling import langelier_index_Carrier
from ..thermo.species import canonical_name
from ._scaling import SCALE_METRICS, concentrate_scaling, mineral_metric

_BAR = 1e5
#: Boron molar mass [kg/mol] (IUPAC 2021 standard atomic weight 10.81)
_BORON = 10.81e-3

# --------------------------------------------------------------------------------------------
# variables

#: Targets solved for many values in one vectorised projection: name -> (unit of a bare number)
TARGET_VARIABLES = {"recovery": "-", "feed_pressure": "bar", "permeate_flow": "m3/h"}
#: Shorthand variables (the first pass of the design): name -> what they change
SHORTHANDS = {
    "element": "element model of every stage of the first pass (library names)",
    "stages": "number of stages of the first pass (1-3; added stages halve the vessels)",
    "vessels": "vessels of the first stage (later stages keep their ratio to it)",
    "elements_per_vessel": "elements per vessel of every stage of the first pass",
    "erd": "energy-recovery device: none, pressure_exchanger or turbine",
}
#: Leaf fields a path variable may end in, and whether they are integers
PATH_FIELDS = {"vessels": int, "elements_per_vessel": int, "element": str, "booster_pressure": float,
               "permeate_pressure": float, "recovery": float, "feed_pressure": float,
               "concentrate_recycle": float, "type": str, "efficiency": float,
               "blend_fraction": float, "area": float}
_INTEGER = {"stages", "vessels", "elements_per_vessel"}
_PRESSURE_LEAVES = {"booster_pressure", "permeate_pressure", "feed_pressure"}
ERD_TYPES = ("none", "pressure_exchanger", "turbine")


@dataclass(frozen=True)
class Variable:
    """One decision variable: ``levels`` (discrete) or ``bounds`` (continuous)."""

    name: str
    kind: str  # "target" (vectorised), "discrete" or "continuous" (a design field)
    levels: tuple = ()
    bounds: tuple = ()
    label: str = ""  # the name the user gave (``name`` is the normalised design path)

    @property
    def is_integer(self) -> bool:
        return self.name.rsplit(".", 1)[-1] in _INTEGER


def known_variables() -> list[str]:
    """Names accepted as variables (shorthands, targets and example paths)."""
    return [*TARGET_VARIABLES, *SHORTHANDS, "array.stages.0.vessels",
            "array.stages.1.booster_pressure", "array.stages.0.permeate_pressure",
            "array.passes.1.recovery", "erd.type"]


def _normalise_path(name: str) -> str:
    """``array.stages.i...`` -> ``array.passes.0.stages.i...``; ``erd`` -> ``erd.type``."""
    name = name.strip()
    name = re.sub(r"\[(\d+)\]", r".\1", name)
    if name.startswith("array.stages."):
        name = "array.passes.0." + name[len("array."):]
    return "erd.type" if name == "erd" else name


def _check_name(name: str) -> str:
    if name in TARGET_VARIABLES or name in SHORTHANDS:
        return name
    path = _normalise_path(name)
    leaf = path.rsplit(".", 1)[-1]
    ok = (path == "erd.type" or path == "array.blend_fraction"
          or re.fullmatch(r"array\.passes\.\d\.stages\.\d\.(vessels|elements_per_vessel|element|"
                          r"booster_pressure|permeate_pressure)", path)
          or re.fullmatch(r"array\.passes\.\d\.(recovery|feed_pressure|concentrate_recycle)", path)
          or re.fullmatch(r"array\.passes\.\d\.stages\.\d\.element\.area", path))
    if not ok or leaf not in PATH_FIELDS:
        raise InputError(f"unknown variable {name!r}.{suggest(name, known_variables())} "
                         f"Use {', '.join([*TARGET_VARIABLES, *SHORTHANDS])} or a design path "
                         "such as array.stages.0.vessels")
    return path


def _numbers(text, name):
    try:
        return [float(t) for t in text]
    except (TypeError, ValueError):
        raise InputError(f"variable {name!r}: cannot read {text!r} as numbers") from None


def parse_variable(name: str, spec) -> Variable:
    """A :class:`Variable` from a name and a spec.

    ``spec`` is a 2-tuple ``(low, high)`` (a continuous range; all integers for integer fields),
    a list of levels (discrete), or a string as on the command line: ``"0.35:0.55"`` (range),
    ``"30:50:10"`` (30, 40, 50), ``"SW30XLE-440i,SW30HRLE-440i"`` (levels).

    Examples
    --------
    >>> parse_variable("array.stages.0.vessels", "30:50:10").levels
    (30, 40, 50)
    >>> parse_variable("recovery", (0.35, 0.55)).bounds
    (0.35, 0.55)
    """
    key = _check_name(name)
    if isinstance(spec, str):
        text = spec.strip()
        if not text:
            raise InputError(f"variable {name!r}: empty range")
        if ":" in text:
            parts = text.split(":")
            if len(parts) not in (2, 3):
                raise InputError(f"variable {name!r}: write a range as LOW:HIGH or LOW:HIGH:STEP, got {text!r}")
            nums = _numbers(parts, name)
            if len(nums) == 3:
                low, high, step = nums
                if not all(math.isfinite(x) for x in nums) or step <= 0 or high < low:
                    raise InputError(f"variable {name!r}: empty range {text!r} (need LOW <= HIGH, STEP > 0)")
                _check_count(name, (high - low) / step + 1)
                spec = list(np.arange(low, high + step * 1e-9, step))
            else:
                spec = (nums[0], nums[1])
        else:
            spec = [t.strip() for t in text.split(",") if t.strip()]
    if isinstance(spec, range):
        spec = list(spec)
    integer = key.rsplit(".", 1)[-1] in _INTEGER
    if isinstance(spec, tuple) and len(spec) == 2 and not any(isinstance(v, str) for v in spec):
        low, high = _numbers(spec, name)
        if not (math.isfinite(low) and math.isfinite(high)) or high < low or (high == low and not integer):
            raise InputError(f"variable {name!r}: empty range {low:g}:{high:g} (need LOW < HIGH)")
        if integer:
            _check_count(name, math.floor(high) - math.ceil(low) + 1)
            return _discrete(key, name, list(range(int(math.ceil(low)), int(math.floor(high)) + 1)))
        kind = "target" if key in TARGET_VARIABLES else "continuous"
        if kind == "continuous" and key.rsplit(".", 1)[-1] not in ("booster_pressure", "permeate_pressure",
                                                                  "recovery", "feed_pressure",
                                                                  "concentrate_recycle", "efficiency",
                                                                  "blend_fraction", "area"):
            raise InputError(f"variable {name!r} is a choice; give a list of levels, not a range")
        return Variable(key, kind, bounds=(low, high))
    if isinstance(spec, (list, tuple, np.ndarray)):
        return _discrete(key, name, list(spec))
    raise InputError(f"variable {name!r}: give a range (low, high) or a list of levels, got {spec!r}")


#: Most levels one variable may have
MAX_LEVELS = 1000


def _check_count(name, count) -> None:
    if count > MAX_LEVELS:
        raise InputError(f"variable {name!r}: the range gives {count:.3g} levels; at most {MAX_LEVELS} "
                         "(use a larger step)")


def _discrete(key, name, values) -> Variable:
    leaf = key.rsplit(".", 1)[-1]
    if leaf == "element" and len(values) == 1 and str(values[0]).strip().lower() in ("library", "all"):
        values = element_names()
    if not values:
        raise InputError(f"variable {name!r}: empty range (no levels)")
    out = []
    for v in values:
        if leaf == "element":
            out.append(canonical_element_name(str(v)))
        elif key in ("erd.type",):
            text = str(v).strip().lower().replace("-", "_")
            text = {"px": "pressure_exchanger"}.get(text, text)
            if text not in ERD_TYPES:
                raise InputError(f"variable {name!r}: unknown ERD type {v!r}.{suggest(text, ERD_TYPES)} "
                                 f"Use {', '.join(ERD_TYPES)}")
            out.append(text)
        else:
            number = _numbers([v], name)[0]
            if leaf in _INTEGER or key in _INTEGER:
                if number != int(number):
                    raise InputError(f"variable {name!r}: {v!r} is not a whole number")
                number = int(number)
            out.append(number)
    if key == "stages" and not all(1 <= s <= 3 for s in out):
        raise InputError(f"variable 'stages': the optimiser tries 1 to 3 stages, got {out}")
    if key in TARGET_VARIABLES:
        return Variable(key, "target", levels=tuple(dict.fromkeys(out)))
    return Variable(key, "discrete", levels=tuple(dict.fromkeys(out)))


def parse_variables(variables) -> list[Variable]:
    """Variables from a mapping name -> spec (see :func:`parse_variable`)."""
    out = [replace(parse_variable(k, v), label=str(k).strip()) for k, v in dict(variables).items()]
    keys = [v.name for v in out]
    if len(set(keys)) != len(keys):
        raise InputError(f"a variable is given twice: {', '.join(v.label for v in out)}")
    targets = [v.name for v in out if v.kind == "target"]
    if len(targets) > 1:
        raise InputError(f"vary at most one of {', '.join(TARGET_VARIABLES)}, not {' and '.join(targets)}")
    return out


# --------------------------------------------------------------------------------------------
# design dicts


def as_passes(raw: dict) -> dict:
    """A deep copy of a design dict with its array written as ``passes``."""
    raw = copy.deepcopy(dict(raw))
    array = dict(raw.get("array") or {})
    if "stages" in array and "passes" not in array:
        array["passes"] = [{"stages": array.pop("stages")}]
    raw["array"] = array
    return raw


def compact(raw: dict) -> dict:
    """The design dict written back with ``array.stages`` when it has one pass."""
    raw = copy.deepcopy(raw)
    passes = raw["array"].get("passes")
    if passes and len(passes) == 1 and set(passes[0]) == {"stages"}:
        raw["array"] = {k: v for k, v in raw["array"].items() if k != "passes"}
        raw["array"] = {"stages": passes[0]["stages"], **raw["array"]}
    return raw


def _set_path(raw: dict, path: str, value) -> bool:
    """Set ``path`` in the dict; False when an index is beyond the design (e.g. stage 3 of 2)."""
    node = raw
    parts = path.split(".")
    for part in parts[:-1]:
        if part.isdigit():
            if not isinstance(node, list) or int(part) >= len(node):
                return False
            node = node[int(part)]
        else:
            node = node.setdefault(part, {})
    leaf = parts[-1]
    if leaf == "area" and isinstance(node, dict) and node.get("width") is not None \
            and all(isinstance(node.get(k), (int, float)) for k in ("length", "area")):
        # a custom sheet of fixed width: its length follows its area (as in a 0D model)
        node["length"] = float(node["length"]) * float(value) / float(node["area"])
    if leaf in _PRESSURE_LEAVES and isinstance(value, (int, float)):
        value = f"{float(value)} bar"
    node[leaf] = value
    return True


def apply(raw: dict, values: dict) -> dict:
    """A new design dict (passes form) with the variable ``values`` set (targets excluded)."""
    raw = copy.deepcopy(raw)
    stages = raw["array"]["passes"][0]["stages"]
    if "stages" in values:
        n = int(values["stages"])
        while len(stages) < n:
            extra = copy.deepcopy(stages[-1])
            extra["vessels"] = max(1, int(round(int(stages[-1]["vessels"]) / 2)))
            stages.append(extra)
        del stages[n:]
    if "vessels" in values:
        first = int(stages[0]["vessels"])
        for stage in stages[1:]:
            stage["vessels"] = max(1, int(round(int(stage["vessels"]) * int(values["vessels"]) / first)))
        stages[0]["vessels"] = int(values["vessels"])
    for name in ("element", "elements_per_vessel"):
        if name in values:
            for stage in stages:
                stage[name] = values[name]
    for name, value in values.items():
        if name in SHORTHANDS or name in TARGET_VARIABLES:
            continue
        _set_path(raw, name, value)
    return raw


def design_key(raw: dict) -> str:
    """A string identifying a design dict (to skip duplicate combinations)."""
    return json.dumps(raw, sort_keys=True, default=str)


def combinations(variables: list[Variable], continuous_levels: int):
    """All combinations of the discrete variables and a grid of the continuous design fields."""
    axes, names = [], []
    for v in variables:
        if v.kind == "discrete":
            axes.append(v.levels)
        elif v.kind == "continuous":
            n = max(int(continuous_levels), 2)
            low, high = v.bounds
            # ranges over decades (a membrane area of 1-1500 m2) are sampled geometrically
            spaced = np.geomspace(low, high, n) if low > 0 and high / low >= 10 else np.linspace(low, high, n)
            axes.append(tuple(float(x) for x in spaced))
        else:
            continue
        names.append(v.name)
    return names, axes, itertools.product(*axes) if axes else iter([()])


# --------------------------------------------------------------------------------------------
# metrics of a batch projection

#: Metric name -> (description, unit); permeate/concentrate ions are added as
#: ``permeate_<species>_mg_L`` (e.g. ``permeate_Cl-_mg_L``) and ``permeate_boron_mg_L`` (as B)
METRICS = {
    "feed_pressure_bar": "first-pass feed pressure",
    "recovery": "system recovery [-]",
    "permeate_flow_m3_h": "final permeate flow",
    "permeate_tds_mg_L": "final permeate TDS",
    "product_tds_mg_L": "permeate plus blend TDS",
    "concentrate_tds_mg_L": "first-pass concentrate TDS",
    "sec_kWh_m3": "specific energy consumption",
    "lcow_usd_m3": "levelised cost of water (osmolab.ro.costing)",
    "permeate_boron_mg_L": "final permeate boron, as B",
    "max_element_flux_LMH": "highest element average flux, first pass",
    "min_element_flux_LMH": "lowest element average flux, first pass",
    "max_element_recovery": "highest element recovery, first pass [-]",
    "max_beta": "highest polarisation factor, first pass [-]",
    "max_element_dp_bar": "highest element pressure drop, first pass",
    "max_vessel_dp_bar": "highest vessel pressure drop, first pass",
    "max_feed_per_vessel_m3_h": "highest vessel feed flow, first pass",
    "min_concentrate_per_vessel_m3_h": "lowest vessel concentrate flow, first pass",
    "average_flux_LMH": "average flux of the first pass",
    "element_pressure_margin_bar": "highest element feed pressure minus its datasheet maximum",
    "concentrate_lsi": "Langelier index of the first-pass concentrate (Carrier), at the feed pH",
    "min_flux_lmh": "lowest local water flux at an element outlet, first pass [L/(m2 h)]",
    **SCALE_METRICS,
}
#: The constraint ``"scaling"``: every scale within its allowed limit (design's antiscalant)
SCALING = "scaling_excess"
#: Metrics whose constraint slack is absolute (divided by a fixed scale, not by the limit):
#: indices that may have a limit of 0
_ABSOLUTE = {"element_pressure_margin_bar": 80.0, "concentrate_lsi": 1.0, "calcite_lsi": 1.0,
             "calcite_sdsi": 1.0, "calcite_index": 1.0, SCALING: 1.0}
_GUIDELINE_METRICS = {  # guideline column -> (metric, relation)
    "max_element_flux_LMH": ("max_element_flux_LMH", "<="),
    "max_element_recovery": ("max_element_recovery", "<="),
    "max_beta": ("max_beta", "<="),
    "max_dp_element_bar": ("max_element_dp_bar", "<="),
    "max_dp_vessel_bar": ("max_vessel_dp_bar", "<="),
    "max_feed_m3_h": ("max_feed_per_vessel_m3_h", "<="),
    "min_concentrate_m3_h": ("min_concentrate_per_vessel_m3_h", ">="),
    "avg_flux_min_LMH": ("average_flux_LMH", ">="),
    "avg_flux_max_LMH": ("average_flux_LMH", "<="),
}


def is_named_metric(name: str) -> bool:
    """Whether ``name`` is one of :data:`METRICS`, or one of them for a later pass
    (``pass2_max_beta``, ``pass2_calcite_lsi``).

    Examples
    --------
    >>> is_named_metric("max_beta"), is_named_metric("pass2_max_beta"), is_named_metric("permeate_Na+_mg_L")
    (True, True, False)
    """
    return re.sub(r"^pass\d+_", "", name) in METRICS


def _pass_metrics(result, k: int) -> dict:
    p = result.passes[k]
    setup = p["setup"]
    el = p["out"]["element"]  # [case, element, column], per vessel
    out = {
        "max_element_flux_LMH": el[:, :, EL_AVERAGE_FLUX].max(axis=1) * 3.6e6,
        "min_element_flux_LMH": el[:, :, EL_AVERAGE_FLUX].min(axis=1) * 3.6e6,
        "max_element_recovery": (el[:, :, EL_PERMEATE_FLOW] / np.maximum(el[:, :, EL_FEED_FLOW], 1e-300)).max(axis=1),
        "max_beta": el[:, :, EL_BETA].max(axis=1),
        "max_element_dp_bar": el[:, :, EL_PRESSURE_DROP].max(axis=1) / _BAR,
        "min_flux_lmh": el[:, :, EL_OUTLET_FLUX].min(axis=1) * 3.6e6,
    }
    max_p = np.array([m.max_pressure for m in setup.models])
    out["element_pressure_margin_bar"] = (el[:, :, EL_FEED_PRESSURE] - max_p).max(axis=1) / _BAR
    vessel_dp, feed, conc = [], [], []
    permeate = np.zeros(el.shape[0])
    area = 0.0
    for s in range(len(setup.vessels)):
        idx = np.nonzero(setup.stage_of == s)[0]
        vessel_dp.append(el[:, idx, EL_PRESSURE_DROP].sum(axis=1) / _BAR)
        feed.append(el[:, idx[0], EL_FEED_FLOW] * HOUR)
        conc.append(el[:, idx[-1], EL_CONCENTRATE_FLOW] * HOUR)
        permeate = permeate + el[:, idx, EL_PERMEATE_FLOW].sum(axis=1) * setup.vessels[s]
        area += sum(setup.models[e].area for e in idx) * setup.vessels[s]
    out["max_vessel_dp_bar"] = np.max(vessel_dp, axis=0)
    out["max_feed_per_vessel_m3_h"] = np.max(feed, axis=0)
    out["min_concentrate_per_vessel_m3_h"] = np.min(conc, axis=0)
    out["average_flux_LMH"] = permeate / area * 3.6e6
    return out


def batch_metrics(result, lcow=None, scaling=None) -> dict:
    """Named metrics (arrays over the batch) of a projection; ``lcow`` adds ``lcow_usd_m3``,
    ``scaling`` (allowed limits ``{mineral: limit}``) the scale metrics of the final
    concentrate of every pass (:func:`osmolab.studies._scaling.concentrate_scaling`)."""
    last = result.passes[-1]
    out = {
        "feed_pressure_bar": np.asarray(result.feed_pressure) / _BAR,
        "recovery": np.asarray(result.recovery, dtype=float),
        "permeate_flow_m3_h": np.asarray(result.permeate_flow) * HOUR,
        "permeate_tds_mg_L": np.asarray(result.permeate_tds),
        "product_tds_mg_L": np.asarray(result.product_tds),
        "concentrate_tds_mg_L": np.asarray(result.concentrate_tds),
        "sec_kWh_m3": np.asarray(result.sec, dtype=float),
    }
    volume = np.maximum(last["permeate_volume"], 1e-300)
    boron = [i for i, s in enumerate(result.species) if s in ("B(OH)3", "B(OH)4-")]
    if boron:
        out["permeate_boron_mg_L"] = last["permeate_solutes"][:, boron].sum(axis=1) * _BORON / volume * 1e3
    for i, s in enumerate(result.species):
        out[f"permeate_{s}_mg_L"] = last["permeate_solutes"][:, i] * result.molar_mass[i] / volume * 1e3
    for k in range(len(result.passes)):
        prefix = "" if k == 0 else f"pass{k + 1}_"
        out.update({prefix + name: value for name, value in _pass_metrics(result, k).items()})
    lsi = _concentrate_lsi(result)
    if lsi is not None:
        out["concentrate_lsi"] = lsi
    if lcow is not None:
        out["lcow_usd_m3"] = np.asarray(lcow, dtype=float)
    if scaling is not None:
        out.update(concentrate_scaling(result, scaling))
    return out


def _concentrate_lsi(result):
    """Langelier index of the first-pass concentrate [-] (Carrier's vendor formula,
    :func:`osmolab.thermo.scaling.langelier_index_Carrier`), or None for a feed without calcium
    or bicarbonate. The concentrate is taken at the feed pH: its own pH is usually a little
    higher (CO2 passes the membrane), so the index is a slight underestimate."""
    species = list(result.species)
    if "Ca+2" not in species or "HCO3-" not in species:
        return None
    first = result.passes[0]
    litres = np.maximum(first["concentrate_volume"], 1e-300) * 1e3  # [L/s]
    solutes = first["concentrate_solutes"]  # [mol/s]
    calcium = solutes[:, species.index("Ca+2")] / litres
    alkalinity = sum(n * solutes[:, species.index(s)] for s, n in (("HCO3-", 1), ("CO3-2", 2), ("OH-", 1))
                     if s in species) / litres
    tds = np.asarray(result.concentrate_tds) / 1e3  # [kg/m3]
    ph = float(getattr(result.system.feed, "ph", 7.0))
    return langelier_index_Carrier(ph, calcium, alkalinity, tds, np.asarray(result.temperature, dtype=float))


# --------------------------------------------------------------------------------------------
# constraints

_CONSTRAINT = re.compile(r"^\s*([A-Za-z][\w\-\+\(\)\.]*?)\s*(<=|>=|<|>|=<|=>)\s*([-+]?[0-9.]+(?:[eE][-+]?\d+)?)\s*$")


@dataclass(frozen=True)
class Constraint:
    """``metric relation limit`` (relation ``<=`` or ``>=``); ``source`` says where from."""

    metric: str
    relation: str
    limit: float
    source: str = "user"

    @property
    def text(self) -> str:
        return f"{self.metric}{self.relation}{self.limit:g}"

    def slack(self, metrics: dict) -> np.ndarray:
        """Relative slack (>= 0 when met; NaN values count as violated)."""
        value = np.asarray(metrics[self.metric], dtype=float)
        scale = _ABSOLUTE.get(self.metric.split("_", 1)[1] if self.metric.startswith("pass") else self.metric,
                              max(abs(self.limit), 1e-9))
        slack = (self.limit - value if self.relation == "<=" else value - self.limit) / scale
        return np.where(np.isfinite(slack), slack, -np.inf)


def _metric_name(name: str, known) -> str:
    if name in known:
        return name
    scale = mineral_metric(name)
    if scale is not None:
        return scale
    match = re.fullmatch(r"(pass\d_)?permeate_(.+)_mg_L", name)
    if match and match.group(2) not in ("tds", "boron"):
        try:
            species = canonical_name(match.group(2))
        except InputError:
            species = None
        if species is not None:
            return f"{match.group(1) or ''}permeate_{species}_mg_L"
    if re.fullmatch(r"pass2_(" + "|".join(re.escape(m) for m in METRICS) + ")", name):
        return name
    raise InputError(f"unknown constraint quantity {name!r}.{suggest(name, known)} "
                     f"Use e.g. {', '.join(list(known)[:6])}, permeate_Cl-_mg_L")


def parse_constraint(text: str) -> Constraint:
    """A :class:`Constraint` from ``"permeate_tds_mg_L<=200"``.

    Examples
    --------
    >>> parse_constraint("permeate_tds_mg_L <= 200").text
    'permeate_tds_mg_L<=200'
    >>> parse_constraint("permeate_chloride_mg_L<=150").metric
    'permeate_Cl-_mg_L'
    >>> parse_constraint("silica_saturation_pct<=100").metric
    'amorphous_silica_saturation_pct'
    >>> parse_constraint("scaling").text
    'scaling_excess<=0'
    """
    if isinstance(text, Constraint):
        return text
    if str(text).strip().lower() == "scaling":
        return Constraint(SCALING, "<=", 0.0, "scale limits of the design's antiscalant")
    match = _CONSTRAINT.match(str(text))
    if not match:
        raise InputError(f"cannot read constraint {text!r}; write e.g. 'permeate_tds_mg_L<=200' "
                         "or 'recovery>=0.45'")
    name, relation, limit = match.groups()
    relation = {"<": "<=", "=<": "<=", ">": ">=", "=>": ">="}.get(relation, relation)
    limit = float(limit)
    if not math.isfinite(limit):
        raise InputError(f"constraint {text!r}: the limit must be a finite number")
    return Constraint(_metric_name(name, METRICS), relation, limit)


def guideline_constraints(water_source: str, n_passes: int) -> list[Constraint]:
    """Design-guideline limits of the feed water (first pass) and of RO permeate (second pass),
    and the datasheet maximum pressure of every element, as constraints."""
    out = [Constraint("element_pressure_margin_bar", "<=", 0.0, "element datasheet maximum pressure")]
    for k in range(n_passes):
        lim = guideline(water_source if k == 0 else "ro_permeate")
        prefix = "" if k == 0 else f"pass{k + 1}_"
        if k:
            out.append(Constraint(prefix + "element_pressure_margin_bar", "<=", 0.0,
                                  "element datasheet maximum pressure"))
        for column, (metric, relation) in _GUIDELINE_METRICS.items():
            if lim.get(column) is not None:
                out.append(Constraint(prefix + metric, relation, float(lim[column]), lim["label"]))
    return out
