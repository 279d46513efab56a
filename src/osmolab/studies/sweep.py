"""Parameter sweeps of an RO design: full factorial or Latin hypercube, one tidy table.

A sweep varies any engine override (feed salinity, temperature, recovery, feed pressure,
feed or permeate flow, fouling factor, membrane age, A and B multipliers) and any design
field (``array.stages.0.vessels``, ``array.stages.1.booster_pressure``,
``pumps.high_pressure_efficiency``, ``erd.efficiency`` ...). Cases that share their design
fields run as one vectorised engine call (:func:`osmolab.ro.train.simulate`), in chunks of
:data:`CHUNK_SIZE` cases; each chunk is one task, run here or on a Dask cluster
(:mod:`osmolab.studies.cluster`).

Values follow the unit rule of every entry point: bare numbers are degC, bar, g/kg, m3/h
(years for the membrane age); strings may carry their unit (``"300 K"``, ``"3.5 %"``).
Table columns carry their unit in the name (``temperature_C``, ``feed_pressure_bar``).

Examples
--------
>>> table = sweep("seawater_px", vary={"recovery": (0.40, 0.50, 3)})
>>> list(table["target_recovery"])
[0.4, 0.45, 0.5]
>>> [round(p, 1) for p in table["feed_pressure_bar"]]
[50.2, 54.7, 60.0]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..errors import InputError, suggest
from ..ro import train
from ..ro.config import LimitError, System, check_limit
from ..ro.design import OVERRIDES as PROJECT_OVERRIDES
from ..ro.design import _override_value, load_design
from ..ro.library import canonical_element_name
from . import cluster

__all__ = [
    "sweep", "evaluate_cases", "design_system", "plant_and_basis", "resolve_variable",
    "case_table",
    "variable_names", "Variable", "OUTPUTS", "CHUNK_SIZE", "StudyInterrupted",
]

#: Cases per engine call and per Dask task
CHUNK_SIZE = 5000
#: Most cases in one sweep (split larger studies)
MAX_CASES = 20_000_000

#: Output columns of a sweep (``feasible`` and ``reason`` are always included);
#: ``permeate_boron_mg_L`` (as B) when the feed has boron, ``lcow_usd_m3`` when the design
#: has costing (:mod:`osmolab.ro.costing`)
OUTPUTS = ("feed_pressure_bar", "permeate_tds_mg_L", "sec_kWh_m3", "recovery",
           "permeate_flow_m3_h", "concentrate_tds_mg_L", "permeate_boron_mg_L", "lcow_usd_m3",
           "feasible", "reason")

_BORON = 10.811e-3  # kg/mol, boron reported as B


class StudyInterrupted(KeyboardInterrupt):
    """Ctrl-C during a study; ``partial`` holds the cases finished so far (a DataFrame)."""

    def __init__(self, partial, total: int):
        super().__init__(f"interrupted after {len(partial)} of {total} cases")
        self.partial = partial
        self.total = total


# --------------------------------------------------------------------------------------------
# variables


@dataclass(frozen=True)
class Variable:
    """One swept quantity.

    ``name``: as the user writes it (``"temperature"``, ``"array.stages.0.vessels"``);
    ``column``: the table column (unit in the name); ``kind``: ``"override"`` (an engine
    override, ``key`` its name in :func:`osmolab.ro.train.simulate`) or ``"design"`` (a
    design field, ``key`` the tuple of its path); ``scale``/``offset``: table value =
    SI value * scale + offset; ``integer``/``text``: whole numbers / names only.
    """

    name: str
    column: str
    kind: str
    key: object
    scale: float = 1.0
    offset: float = 0.0
    integer: bool = False
    text: bool = False

    def to_table(self, si):
        """SI values to the table's unit."""
        if self.text:
            return np.asarray(si, dtype=object)
        values = np.asarray(si, dtype=float) * self.scale + self.offset
        return values.round().astype(int) if self.integer else values


#: Override variables: name -> (engine key, column, scale, offset)
_OVERRIDE_VARIABLES = {
    "feed_salinity": ("salinity", "feed_salinity_g_kg", 1e3, 0.0),
    "temperature": ("temperature", "temperature_C", 1.0, -273.15),
    "recovery": ("recovery", "target_recovery", 1.0, 0.0),
    "feed_pressure": ("feed_pressure", "target_feed_pressure_bar", 1e-5, 0.0),
    "feed_flow": ("feed_flow", "feed_flow_m3_h", 3600.0, 0.0),
    "permeate_flow": ("permeate_flow", "target_permeate_flow_m3_h", 3600.0, 0.0),
    "fouling_factor": ("fouling_factor", "fouling_factor", 1.0, 0.0),
    "membrane_age": ("membrane_age", "membrane_age_years", 1.0, 0.0),
    "water_permeability_factor": ("water_permeability_factor", "water_permeability_factor",
                                  1.0, 0.0),
    "salt_permeability_factor": ("salt_permeability_factor", "salt_permeability_factor",
                                 1.0, 0.0),
}
_ALIASES = {
    "salinity": "feed_salinity", "feed.salinity": "feed_salinity",
    "feed.temperature": "temperature", "feed.flow": "feed_flow",
    "target.recovery": "recovery", "target.feed_pressure": "feed_pressure",
    "target.permeate_flow": "permeate_flow",
}

#: Design fields: last path part -> (System attribute, kind) with kind one of "int",
#: "fraction", "bar", "element", "text", "number"
_STAGE_FIELDS = {"vessels": "int", "elements_per_vessel": "int", "element": "element",
                 "booster_pressure": "bar", "permeate_pressure": "bar",
                 "pre_stage_pressure_loss": "bar"}
_PASS_FIELDS = {"recovery": "fraction", "concentrate_recycle": "fraction",
                "feed_pressure": "bar"}
_TOP_FIELDS = {"segments": ("n_segments", "int"), "correlation": ("correlation", "text"),
               "flux_decline_per_year": ("flux_decline_per_year", "number"),
               "salt_passage_increase_per_year": ("salt_passage_increase_per_year", "number"),
               "array.blend_fraction": ("blend_fraction", "fraction")}
_PUMP_FIELDS = {"high_pressure_efficiency": ("high_pressure_pump", "efficiency"),
                "booster_efficiency": ("booster_pump", "efficiency"),
                "motor_efficiency": (None, "motor_efficiency")}
_ERD_FIELDS = {"type": "kind", "efficiency": "efficiency", "leakage": "leakage",
               "mixing": "mixing"}


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[.\[\]]+", name.strip()) if t]


def variable_names(system: System) -> list[str]:
    """Every name a sweep of ``system`` can vary (overrides and design fields)."""
    names = list(_OVERRIDE_VARIABLES)
    one = len(system.passes) == 1
    for k, p in enumerate(system.passes):
        prefix = "array" if one else f"array.passes.{k}"
        if k > 0:
            names += [f"{prefix}.{f}" for f in _PASS_FIELDS]
        elif not one:
            names.append(f"{prefix}.concentrate_recycle")
        else:
            names.append("array.concentrate_recycle")
        for s in range(len(p.stages)):
            names += [f"{prefix}.stages.{s}.{f}" for f in _STAGE_FIELDS]
    names += list(_TOP_FIELDS) + [f"pumps.{f}" for f in _PUMP_FIELDS]
    names += [f"erd.{f}" for f in _ERD_FIELDS]
    return names


def resolve_variable(name: str, system: System) -> Variable:
    """The :class:`Variable` a name stands for in ``system``; InputError with near names."""
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"a variable name must be a non-empty string, got {name!r}")
    raw = name.strip()
    key = _ALIASES.get(raw, raw)
    if key in _OVERRIDE_VARIABLES:
        engine, column, scale, offset = _OVERRIDE_VARIABLES[key]
        return Variable(key, column, "override", engine, scale, offset)
    tokens = _tokens(raw)
    canonical = ".".join(tokens)
    if canonical in variable_names(system):
        return _design_variable(canonical, tokens)
    known = variable_names(system)
    raise InputError(f"unknown variable {raw!r}.{suggest(canonical, known + list(_ALIASES))} "
                     f"Vary an override ({', '.join(_OVERRIDE_VARIABLES)}) or a design field "
                     "such as array.stages.0.vessels")


def _design_variable(name, tokens) -> Variable:
    last = tokens[-1]
    kind = (_STAGE_FIELDS.get(last) if "stages" in tokens else
            _PASS_FIELDS.get(last) if tokens[0] == "array" and last in _PASS_FIELDS else
            _TOP_FIELDS[name][1] if name in _TOP_FIELDS else
            "text" if name == "erd.type" else "number")
    if name == "array.concentrate_recycle" or last == "concentrate_recycle":
        kind = "fraction"
    if kind == "bar":
        return Variable(name, f"{name}_bar", "design", tuple(tokens), 1e-5)
    return Variable(name, name, "design", tuple(tokens), integer=kind == "int",
                    text=kind in ("element", "text"))


# --------------------------------------------------------------------------------------------
# values


def _to_si(var: Variable, values) -> np.ndarray:
    """Values as written (bare numbers in the entry unit, or strings with units) to SI."""
    values = list(values)
    if var.kind == "override":
        project_name = var.name
        if project_name not in PROJECT_OVERRIDES:  # pragma: no cover - tables agree
            raise InputError(f"{var.name}: not an override")
        return np.asarray(_override_value(project_name, values), dtype=float).reshape(-1)
    if var.text:
        out = []
        for v in values:
            if not isinstance(v, str) or not v.strip():
                raise InputError(f"{var.name}: expected a name, got {v!r}")
            out.append(canonical_element_name(v) if var.key[-1] == "element" else v.strip())
        return np.asarray(out, dtype=object)
    out = []
    for v in values:
        if isinstance(v, bool):
            raise InputError(f"{var.name}: expected a number, got {v!r}")
        if isinstance(v, str) and var.scale != 1.0:
            out.append(_override_value("feed_pressure", v))
            continue
        try:
            number = float(v)
        except (TypeError, ValueError):
            raise InputError(f"{var.name}: expected a number, got {v!r}") from None
        if not np.isfinite(number):
            raise InputError(f"{var.name}: expected a finite number, got {v!r}")
        if var.integer and number != round(number):
            raise InputError(f"{var.name}: expected whole numbers, got {v!r}")
        out.append(number / var.scale)
    return np.asarray(out, dtype=float)


def _levels(var: Variable, spec, method: str):
    """Factorial levels (SI array) or, for a Latin hypercube, ("range", lo, hi) in SI or
    ("choice", levels)."""
    if isinstance(spec, tuple):
        if len(spec) not in (2, 3):
            raise InputError(f"{var.name}: a range is (low, high, count) or, for a Latin "
                             f"hypercube, (low, high); got {spec!r}")
        if var.text:
            raise InputError(f"{var.name}: names cannot form a range; give a list")
        if len(spec) == 3:
            count = spec[2]
            if isinstance(count, bool) or not isinstance(count, (int, np.integer)) \
                    and not (isinstance(count, float) and count.is_integer()):
                raise InputError(f"{var.name}: the count of a range must be a whole number, "
                                 f"got {count!r}")
            if int(count) <= 0:
                raise InputError(f"{var.name}: empty range (count {int(count)}); give 1 or more")
            if int(count) > MAX_CASES:
                raise InputError(f"{var.name}: {int(count):,} levels is too many for one sweep "
                                 f"(at most {MAX_CASES:,} cases)")
        elif method == "factorial":
            raise InputError(f"{var.name}: a factorial range needs a count: (low, high, n)")
        low, high = _to_si(var, spec[:2])
        if method == "latin":
            if var.integer:
                return ("choice", np.arange(round(min(low, high)), round(max(low, high)) + 1,
                                            dtype=float))
            return ("range", float(low), float(high))
        levels = np.linspace(low, high, int(spec[2]))
        if var.integer and np.any(levels != np.round(levels)):
            raise InputError(f"{var.name}: the range {spec!r} gives non-whole numbers")
        return levels
    if isinstance(spec, (str, int, float, np.number)):
        spec = [spec]
    if not isinstance(spec, (list, np.ndarray)):
        raise InputError(f"{var.name}: give a range (low, high, count) or a list of values, "
                         f"got {spec!r}")
    if len(spec) == 0:
        raise InputError(f"{var.name}: empty list of values")
    levels = _to_si(var, spec)
    return ("choice", levels) if method == "latin" else levels


def case_table(system: System, vary: Mapping, method: str = "factorial", n=None,
               seed=None) -> tuple[list[Variable], dict]:
    """The cases of a sweep: the variables and ``{name: SI array}``, one entry per case.

    Factorial: every combination of the levels (the first variable varies slowest).
    Latin hypercube (:class:`scipy.stats.qmc.LatinHypercube`, seeded): ``n`` cases, ranges
    sampled uniformly, lists (and integer ranges) as equally likely choices.
    """
    if not isinstance(vary, Mapping) or not vary:
        raise InputError("give at least one variable to vary, e.g. vary={'recovery': "
                         "(0.35, 0.60, 26)}")
    if method not in ("factorial", "latin"):
        raise InputError(f"unknown sweep method {method!r}.{suggest(str(method), ['factorial', 'latin'])} "
                         "Use factorial or latin")
    variables = [resolve_variable(name, system) for name in vary]
    seen = {}
    for var in variables:
        if var.name in seen:
            raise InputError(f"variable {var.name!r} given twice")
        seen[var.name] = var
    targets = [v.name for v in variables if v.key in ("recovery", "feed_pressure",
                                                        "permeate_flow")]
    if len(targets) > 1:
        raise InputError(f"vary at most one target, not {' and '.join(targets)}")
    levels = [_levels(var, spec, method) for var, spec in zip(variables, vary.values(),
                                                              strict=True)]
    if method == "factorial":
        if n is not None:
            raise InputError("n is the number of cases of a Latin hypercube (method='latin'); "
                             "a factorial sweep takes its counts from the ranges")
        sizes = [len(lv) for lv in levels]
        total = int(np.prod(sizes))
        if total > MAX_CASES:
            raise InputError(f"{total:,} cases is too many for one sweep (at most "
                             f"{MAX_CASES:,}); use fewer levels or a Latin hypercube")
        index = np.indices(sizes).reshape(len(sizes), -1)
        cases = {v.name: np.asarray(lv)[ix] for v, lv, ix in zip(variables, levels, index,
                                                                strict=True)}
        return variables, cases
    if n is None or isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
        raise InputError(f"a Latin hypercube needs a number of cases n >= 1, got {n!r}")
    if n > MAX_CASES:
        raise InputError(f"n = {n:,} is too many cases for one sweep (at most {MAX_CASES:,})")
    from scipy.stats import qmc  # lazy: scipy.stats is slow to import

    try:
        unit = qmc.LatinHypercube(d=len(variables), seed=seed).random(int(n))
    except (TypeError, ValueError) as exc:
        raise InputError(f"seed: {exc}") from None
    cases = {}
    for j, (var, lv) in enumerate(zip(variables, levels, strict=True)):
        if lv[0] == "range":
            cases[var.name] = lv[1] + (lv[2] - lv[1]) * unit[:, j]
        else:
            choices = np.asarray(lv[1])
            cases[var.name] = choices[np.minimum((unit[:, j] * len(choices)).astype(int),
                                                 len(choices) - 1)]
    return variables, cases


# --------------------------------------------------------------------------------------------
# design fields on the engine's configuration


def design_system(design) -> System:
    """The engine's :class:`~osmolab.ro.config.System` of a design (path, dict, Design or
    System)."""
    return plant_and_basis(design, False)[0]


def plant_and_basis(design, costing=None):
    """The System of a design and the cost basis of its LCOW (None: no LCOW).

    ``costing``: None takes the design file's ``costing:`` section (none for a System);
    a basis name (``"watertap"``, ``"voutchkov2018"``) or a
    :class:`osmolab.ro.costing.CostBasis` uses that; False turns costing off.
    """
    if isinstance(design, System):
        system, section = design, None
    else:
        plant = load_design(design)
        system, section = plant.to_system(), getattr(plant, "costing", None)
    if costing is False:
        return system, None
    if costing is None:
        return system, section.to_basis() if section is not None else None
    from ..ro.costing import cost_basis  # lazy: costing only when asked for

    return system, cost_basis(costing)


def _with_field(system: System, var: Variable, value) -> System:
    """``system`` with one design field changed (checked by the configuration's limits)."""
    tokens = list(var.key)
    value = value if var.text else (int(round(value)) if var.integer else float(value))
    try:
        if tokens[0] == "array" and "stages" in tokens:
            k = int(tokens[2]) if tokens[1] == "passes" else 0
            s = int(tokens[tokens.index("stages") + 1])
            passes = list(system.passes)
            stages = list(passes[k].stages)
            stages[s] = replace(stages[s], **{tokens[-1]: value})
            passes[k] = replace(passes[k], stages=stages)
            return replace(system, passes=passes)
        if tokens[0] == "array" and tokens[-1] in _PASS_FIELDS and var.name not in _TOP_FIELDS:
            k = int(tokens[2]) if tokens[1] == "passes" else 0
            passes = list(system.passes)
            passes[k] = replace(passes[k], **{tokens[-1]: value})
            return replace(system, passes=passes)
        if var.name in _TOP_FIELDS:
            return replace(system, **{_TOP_FIELDS[var.name][0]: value})
        if tokens[0] == "pumps":
            pump, attribute = _PUMP_FIELDS[tokens[1]]
            if pump is None:
                return replace(system, high_pressure_pump=replace(
                    system.high_pressure_pump, motor_efficiency=value),
                    booster_pump=replace(system.booster_pump, motor_efficiency=value))
            return replace(system, **{pump: replace(getattr(system, pump),
                                                    **{attribute: value})})
        if tokens[0] == "erd":
            if tokens[1] == "type":
                value = {"px": "pressure_exchanger"}.get(value.lower(), value.lower())
            return replace(system, erd=replace(system.erd, **{_ERD_FIELDS[tokens[1]]: value}))
    except (LimitError, InputError) as exc:
        raise InputError(f"{var.name}: {exc}") from None
    raise InputError(f"{var.name}: cannot be varied")  # pragma: no cover - names are checked


# --------------------------------------------------------------------------------------------
# evaluation


def _outputs(result, outputs, basis=None) -> dict:
    """The output columns of an engine result (a batch)."""
    columns = {}
    want = set(outputs)
    if "feed_pressure_bar" in want:
        columns["feed_pressure_bar"] = result.feed_pressure / 1e5
    if "permeate_tds_mg_L" in want:
        columns["permeate_tds_mg_L"] = result.permeate_tds
    if "sec_kWh_m3" in want:
        columns["sec_kWh_m3"] = result.sec
    if "recovery" in want:
        columns["recovery"] = result.recovery
    if "permeate_flow_m3_h" in want:
        columns["permeate_flow_m3_h"] = result.permeate_flow * 3600.0
    if "concentrate_tds_mg_L" in want:
        columns["concentrate_tds_mg_L"] = result.concentrate_tds
    boron = [i for i, s in enumerate(result.species) if s in ("B(OH)3", "B(OH)4-")]
    if "permeate_boron_mg_L" in want and boron:
        last = result.passes[-1]
        moles = last["permeate_solutes"][:, boron].sum(axis=1)
        columns["permeate_boron_mg_L"] = moles * _BORON / np.maximum(
            last["permeate_volume"], 1e-300) * 1e3
    if "lcow_usd_m3" in want and basis is not None:
        from ..ro.costing import cost_projection  # lazy: costing only when asked for

        columns["lcow_usd_m3"] = np.asarray(cost_projection(result, basis)["lcow_usd_m3"],
                                            dtype=float)
    columns["feasible"] = np.array([not r for r in result.reasons], dtype=bool)
    columns["reason"] = np.array(["; ".join(r) for r in result.reasons], dtype=object)
    return columns


def run_task(task) -> pd.DataFrame:
    """Run one chunk: ``(system, {engine override: SI array}, outputs, case index, cost
    basis or None)``.

    A module-level function so that Dask workers can unpickle it; returns the output
    columns with the case index as the DataFrame index.
    """
    system, overrides, outputs, index, basis = task
    result = train.simulate(system, **{k: np.asarray(v, dtype=float)
                                       for k, v in overrides.items()})
    return pd.DataFrame(_outputs(result, outputs, basis), index=np.asarray(index))


def _check_outputs(outputs) -> tuple:
    if outputs is None:
        return OUTPUTS
    if isinstance(outputs, str):
        outputs = [outputs]
    for name in outputs:
        if name not in OUTPUTS:
            raise InputError(f"unknown output {name!r}.{suggest(str(name), OUTPUTS)} "
                             f"Use: {', '.join(OUTPUTS)}")
    return tuple(dict.fromkeys([*outputs, "feasible", "reason"]))


def _tasks(system, variables, cases, outputs, chunk_size, basis=None):
    """Group the cases by their design fields; one task per chunk of a group."""
    n = len(next(iter(cases.values())))
    design_vars = [v for v in variables if v.kind == "design"]
    override_vars = [v for v in variables if v.kind == "override"]
    if design_vars:
        keys = list(zip(*(cases[v.name].tolist() for v in design_vars), strict=True))
        groups = {}
        for i, key in enumerate(keys):
            groups.setdefault(key, []).append(i)
    else:
        groups = {(): list(range(n))}
    tasks = []
    for key, members in groups.items():
        sub = system
        for var, value in zip(design_vars, key, strict=True):
            sub = _with_field(sub, var, value)
        members = np.asarray(members)
        for start in range(0, len(members), chunk_size):
            index = members[start:start + chunk_size]
            overrides = {v.key: cases[v.name][index] for v in override_vars}
            if not overrides:  # a batch of identical cases: give the engine its size
                overrides = {"temperature": np.full(len(index), system.feed.temperature)}
            tasks.append((sub, overrides, outputs, index, basis))
    return tasks


def _check_overrides(variables, cases) -> None:
    """Check every override value before anything runs (nothing half done on bad input)."""
    limits = {"salinity": "feed.salinity", "temperature": "feed.temperature",
              "feed_flow": "feed.flow", "recovery": "target.recovery",
              "permeate_flow": "target.permeate_flow", "feed_pressure": "target.feed_pressure",
              "fouling_factor": "system.fouling_factor", "membrane_age": "system.membrane_age"}
    for var in variables:
        if var.kind != "override":
            continue
        values = np.asarray(cases[var.name], dtype=float)
        if var.key in limits:
            try:
                check_limit(limits[var.key], values, var.name)
            except LimitError as exc:
                raise InputError(str(exc)) from None
        elif not np.all(np.isfinite(values)) or np.any(values <= 0):
            raise InputError(f"{var.name} must be finite and > 0")


def evaluate_cases(design, cases, outputs=None, *, client=None, progress=None,
                   chunk_size: int = CHUNK_SIZE, si: bool = False,
                   costing=None) -> pd.DataFrame:
    """Evaluate a table of cases: one row per case, the input and output columns.

    Parameters
    ----------
    design : path, dict, Design or System
        The plant.
    cases : Mapping[str, array_like] or pandas.DataFrame
        Variable name -> values, one per case (all the same length): overrides
        (``temperature``, ``recovery`` ...) in the entry units (degC, bar, g/kg, m3/h;
        strings with units accepted) or, with ``si=True``, in SI; design fields
        (``array.stages.0.vessels``) as written in a design file.
    outputs : sequence of str, optional
        Subset of :data:`OUTPUTS` (``feasible`` and ``reason`` always come).
    client : dask.distributed.Client, optional
        Run the chunks on this cluster; default: here, vectorised.
    progress : callable, optional
        Called as ``progress(done_cases, total_cases)`` after each chunk.
    chunk_size : int
        Cases per engine call and per task.
    si : bool
        Override values are already SI (K, Pa, kg/kg, m^3/s).
    costing : None, str, CostBasis or False
        Cost basis of ``lcow_usd_m3`` (see :func:`plant_and_basis`).

    Returns
    -------
    pandas.DataFrame
        The input columns (units in the names, e.g. ``temperature_C``) and the outputs, in
        the order of ``cases``.

    Raises
    ------
    InputError
        An unknown variable or output, or a value out of range (before anything runs).
    StudyInterrupted
        Ctrl-C: ``.partial`` has the finished cases.
    """
    system, basis = plant_and_basis(design, costing)
    if isinstance(cases, pd.DataFrame):
        cases = {c: cases[c].to_numpy() for c in cases.columns}
    if not isinstance(cases, Mapping) or not cases:
        raise InputError("cases must be a mapping of variable names to values")
    variables = [resolve_variable(name, system) for name in cases]
    lengths = {len(np.atleast_1d(np.asarray(v, dtype=object))) for v in cases.values()}
    if len(lengths) != 1:
        raise InputError(f"every variable needs one value per case; got lengths {sorted(lengths)}")
    if lengths == {0}:
        raise InputError("no cases to evaluate")
    si_cases = {}
    for var, values in zip(variables, cases.values(), strict=True):
        values = np.atleast_1d(np.asarray(values, dtype=object))
        if si and not var.text:
            si_cases[var.name] = np.asarray(values, dtype=float)
        else:
            si_cases[var.name] = _to_si(var, values)
    return _run(system, variables, si_cases, _check_outputs(outputs), client, progress,
                chunk_size, basis)


def _run(system, variables, cases, outputs, client, progress, chunk_size,
         basis=None) -> pd.DataFrame:
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) \
            or chunk_size <= 0:
        raise InputError(f"chunk_size must be a whole number >= 1, got {chunk_size!r}")
    _check_overrides(variables, cases)
    n = len(next(iter(cases.values())))
    inputs = pd.DataFrame({v.column: v.to_table(cases[v.name]) for v in variables})
    tasks = _tasks(system, variables, cases, outputs, int(chunk_size), basis)
    done = []
    try:
        for frame in cluster.run_tasks(run_task, tasks, client=client, progress=progress,
                                       sizes=[len(t[3]) for t in tasks]):
            done.append(frame)
    except KeyboardInterrupt:
        raise StudyInterrupted(_assemble(inputs, done, outputs), n) from None
    return _assemble(inputs, done, outputs)


def _assemble(inputs, frames, outputs) -> pd.DataFrame:
    if not frames:
        return inputs.iloc[:0].assign(**{k: pd.Series(dtype=float) for k in outputs})
    out = pd.concat(frames).sort_index()
    table = inputs.loc[out.index].join(out)
    return table.reset_index(drop=True) if len(out) == len(inputs) else table


def sweep(design, vary: Mapping, method: str = "factorial", n: int | None = None,
          seed=None, outputs: Sequence[str] | None = None, client=None,
          progress: bool | Callable = False, chunk_size: int = CHUNK_SIZE,
          costing=None) -> pd.DataFrame:
    """Sweep an RO design over overrides and design fields; one row per case.

    Parameters
    ----------
    design : path, dict, Design or System
        The plant (a design file, a bundled example name, or its content).
    vary : Mapping[str, tuple or list]
        Variable -> levels: ``(low, high, count)`` (evenly spaced, ends included), a list of
        values, or for a Latin hypercube ``(low, high)``. Variables: ``feed_salinity``
        [g/kg], ``temperature`` [degC], ``recovery`` [-], ``feed_pressure`` [bar],
        ``feed_flow``, ``permeate_flow`` [m3/h], ``fouling_factor`` [-], ``membrane_age``
        [years], ``water_permeability_factor``, ``salt_permeability_factor`` [-], and design
        fields such as ``array.stages.0.vessels``, ``array.stages.1.booster_pressure`` [bar],
        ``array.passes.1.recovery``, ``pumps.high_pressure_efficiency``, ``erd.efficiency``
        (:func:`variable_names`). Strings with units are accepted (``"300 K"``).
    method : {"factorial", "latin"}
        Every combination, or ``n`` cases of a Latin hypercube (``seed`` for repeatability).
    n : int, optional
        Number of cases of a Latin hypercube.
    seed : int, optional
        Seed of the Latin hypercube.
    outputs : sequence of str, optional
        Subset of :data:`OUTPUTS`.
    client : dask.distributed.Client, optional
        Run on a Dask cluster (chunks of ``chunk_size`` cases per task, retried twice).
    progress : bool or callable
        True: a rich progress bar on standard error; a callable: ``progress(done, total)``.
    chunk_size : int
        Cases per engine call and per task.
    costing : None, str, CostBasis or False
        Cost basis of ``lcow_usd_m3``: None takes the design file's ``costing:`` section (no
        LCOW without one), a name (``"watertap"``) or a CostBasis that basis, False none.

    Returns
    -------
    pandas.DataFrame
        Input columns with units in their names (``target_recovery``, ``temperature_C``,
        ``array.stages.0.vessels`` ...) and the outputs ``feed_pressure_bar``,
        ``permeate_tds_mg_L``, ``sec_kWh_m3``, ``recovery``, ``permeate_flow_m3_h``,
        ``concentrate_tds_mg_L`` (``permeate_boron_mg_L``, ``lcow_usd_m3`` when available),
        ``feasible`` and ``reason`` (why a case is infeasible; its numbers are those at the
        limit the engine stopped at).

    Raises
    ------
    InputError
        An unknown variable (with the nearest names), an empty range, ``n <= 0``, a value out
        of range: before anything runs.
    StudyInterrupted
        Ctrl-C (a ``KeyboardInterrupt``); ``.partial`` holds the finished cases.
    """
    system, basis = plant_and_basis(design, costing)
    variables, cases = case_table(system, vary, method, n, seed)
    checked = _check_outputs(outputs)
    if progress is True:
        with cluster.progress_bar("sweep") as bar:
            return _run(system, variables, cases, checked, client, bar, chunk_size, basis)
    return _run(system, variables, cases, checked, client, progress or None, chunk_size,
                basis)

