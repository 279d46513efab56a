r"""Design optimisation of RO plants: discrete and continuous choices, constraints, Pareto fronts.

``optimize(design, objective="sec", variables=..., constraints=[...])`` finds the design that
minimises (or maximises) an objective -- specific energy (``sec``), permeate TDS
(``permeate_tds``), levelised cost of water (``lcow``, :mod:`osmolab.ro.costing`) -- over

* the projection's target (``recovery``, ``feed_pressure`` or ``permeate_flow``), solved for
  many values in one vectorised call of :func:`osmolab.ro.project`;
* discrete design choices (element model, number of stages, vessels, elements per vessel,
  energy-recovery device, any ``array.stages.i.vessels``...);
* continuous design fields (booster pressures, permeate back-pressure, second-pass recovery),

subject to the feed water's design guidelines, the element datasheet maximum pressure, and
the user's limits (``"permeate_tds_mg_L<=200"``, ``"permeate_boron_mg_L<=1"``, scale limits of
the concentrate such as ``"gypsum_saturation_pct<=230"`` or ``"scaling"``, WaterTAP's
outlet-flux floor ``"min_flux_lmh>=1"``...).
:func:`osmolab.studies.pareto.pareto` returns the non-dominated designs of two objectives
with the same search.

Method
------
1. **Global search** (exhaustive where it fits): every combination of the discrete levels
   and of a few levels of each continuous design field is one design; each design is
   projected in *one* vectorised call over a dense grid of the target variable (``grid``
   points). Spaces with more than ``max_designs`` combinations are sampled (seeded), and a
   neighbourhood search then tries the neighbouring levels of each discrete variable around
   the best designs until none improves.
2. **Local polish**: from the best grid point of each of the ``polish`` best designs,
   :func:`scipy.optimize.minimize` (SLSQP, which lands exactly on an active limit, and
   COBYQA, derivative-free, for flat objectives; bounded, the constraints as inequalities)
   refines
   the continuous variables; a polished point replaces the grid point only if it is feasible
   and better. When the target is the only continuous variable, a vectorised zoom replaces
   them: five grids of 21 target values around the best point, one engine call each.

The design spaces of RO plants are small in their discrete part (a few elements x a few
stage layouts x tens of vessel counts) and one-dimensional and smooth in the part the engine
vectorises, so enumeration is both exact over the grid and fast (thousands of projections per
call); a genetic algorithm would spend its evaluations rediscovering that grid. Reproducible:
the seed fixes the sampling of large spaces; small spaces do not use it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..errors import InputError, suggest
from ..ro.costing import cost_projection
from ..ro.design import _apply_chemistry, _read_yaml, load_design, project
from ..ro.schema import Design
from ..ro.train import simulate
from . import _space
from ._scaling import is_scale_metric, scale_limits
from ._space import Constraint, Variable
from .cluster import run_tasks

__all__ = ["optimize", "OptimizationResult", "OBJECTIVES"]

#: Objective name -> (metric, sense: +1 minimise, -1 maximise, description)
OBJECTIVES = {
    "sec": ("sec_kWh_m3", 1, "specific energy consumption [kWh/m3]"),
    "permeate_tds": ("permeate_tds_mg_L", 1, "final permeate TDS [mg/L]"),
    "lcow": ("lcow_usd_m3", 1, "levelised cost of water [USD/m3]"),
    "recovery": ("recovery", -1, "system recovery [-] (maximised)"),
    "feed_pressure": ("feed_pressure_bar", 1, "first-pass feed pressure [bar]"),
    "permeate_flow": ("permeate_flow_m3_h", -1, "permeate flow [m3/h] (maximised)"),
    "permeate_boron": ("permeate_boron_mg_L", 1, "final permeate boron [mg/L as B]"),
}
#: Bare units of the target variables -> SI (recovery [-], feed pressure bar, permeate flow m3/h)
_TO_SI = {"recovery": 1.0, "feed_pressure": 1e5, "permeate_flow": 1 / 3600}
#: Relative slack the polish keeps from every limit (a point on the limit, within SLSQP's
#: tolerance, could fall a hair outside)
_MARGIN = 1e-7
#: Relative slack below which a constraint is reported as binding
BINDING_TOLERANCE = 0.01


@dataclass
class OptimizationResult:
    """The best design found and how it was found.

    ``design`` is the design dict (YAML-ready, with the optimal target); ``value`` the
    objective in the unit of ``metric``; ``projection`` the engine's result of that design;
    ``binding`` the constraints (and variable bounds) within 1 % of their limit; ``history``
    one row per evaluated candidate; ``evaluations`` the number of projections; ``time_s``.
    """

    objective: str
    metric: str
    value: float
    design: dict
    variables: dict
    projection: object
    binding: list
    constraints: list
    history: pd.DataFrame
    evaluations: int
    time_s: float
    method: str = "enumeration+slsqp/cobyqa"
    metrics: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON view (keys carry units)."""
        data = self.projection.to_dict(detail=False)
        return {
            "objective": self.objective,
            self.metric: self.value,
            "variables": self.variables,
            "binding_constraints": self.binding,
            "constraints": self.constraints,
            "evaluations": self.evaluations,
            "time_s": self.time_s,
            "method": self.method,
            "metrics": self.metrics,
            "design": self.design,
            "projection": {k: v for k, v in data.items() if k not in ("passes",)},
        }


# --------------------------------------------------------------------------------------------
# the problem: a design dict, variables, constraints and the objective


def _raw_design(design) -> dict:
    """The design as a plain dict of the file's fields (passes form)."""
    if isinstance(design, Design):
        raise InputError("give the design as a file path, a YAML string or a dict "
                         "(the optimiser writes new designs from its fields)")
    if isinstance(design, dict):
        load_design(design)  # validate once, with the design's own error messages
        return _space.as_passes(design)
    raw = _read_yaml(design)
    load_design(dict(raw))
    return _space.as_passes(raw)


def _default_variables(raw: dict) -> dict:
    target = raw["target"]
    if "recovery" in target:
        r0 = float(load_design(raw).target.value)
        return {"recovery": (max(0.05, round(r0 - 0.15, 2)), min(0.95, round(r0 + 0.15, 2)))}
    if "feed_pressure" in target:
        p0 = load_design(raw).target.value / 1e5
        return {"feed_pressure": (max(1.0, round(0.7 * p0, 1)), round(1.2 * p0, 1))}
    q0 = load_design(raw).target.value * 3600
    return {"permeate_flow": (round(0.7 * q0, 2), round(1.2 * q0, 2))}


@dataclass
class _Problem:
    raw: dict
    objective: str
    metric: str
    sense: int
    variables: list
    constraints: list
    grid: int
    water_source: str
    cost_basis: object = None

    @property
    def target(self) -> Variable | None:
        return next((v for v in self.variables if v.kind == "target"), None)

    @property
    def continuous(self) -> list:
        return [v for v in self.variables if v.kind == "continuous"]

    def needs_lcow(self, extra=()) -> bool:
        return any(m == "lcow_usd_m3" for m in (self.metric, *extra, *(c.metric for c in self.constraints)))

    def needs_scaling(self, extra=()) -> bool:
        """Whether a scale metric is asked for (the concentrate chemistry costs ~ms a batch)."""
        return any(is_scale_metric(m) for m in (self.metric, *extra, *(c.metric for c in self.constraints)))

    def design_for(self, values: dict) -> dict:
        return _space.apply(self.raw, values)

    def evaluate(self, raw: dict, target_values=None, extra=()):
        """Project ``raw`` over the target values; (metrics, engine reasons) or an InputError."""
        design = load_design(raw)
        target = self.target
        system, options = _system(design)
        if target is not None and target_values is not None:
            values = np.atleast_1d(np.asarray(target_values, dtype=float))
            result = simulate(system, **{target.name: values * _TO_SI[target.name]}, **options)
        else:
            kind = design.target.kind
            result = simulate(system, **{kind: np.array([design.target.value])}, **options)
        lcow = _lcow(result, design, self.cost_basis) if self.needs_lcow(extra) else None
        limits = scale_limits(design)[0] if self.needs_scaling(extra) else None
        metrics = _space.batch_metrics(result, lcow, limits)
        for c in self.constraints:
            if c.metric not in metrics:
                raise InputError(f"constraint {c.text}: this design has no {c.metric!r}."
                                 f"{suggest(c.metric, metrics)}")
        return result, metrics

    def score(self, metrics, reasons) -> tuple:
        """(objective to minimise, min slack, feasible) arrays over the batch."""
        value = np.asarray(metrics[self.metric], dtype=float)
        slack = np.full(value.shape, np.inf)
        for c in self.constraints:
            slack = np.minimum(slack, c.slack(metrics))
        engine_ok = np.array([not r for r in reasons])
        feasible = engine_ok & (slack >= 0.0) & np.isfinite(value)
        return self.sense * value, slack, feasible


def _system(design):
    """The engine's System of a design, with the acid of its ``chemistry:`` section dosed to
    the feed (the dose of the design's own target, as :func:`osmolab.ro.project` doses a batch),
    the caustic's pH for the boron split of the second pass and its degasser (as
    :func:`osmolab.ro.project` sets them); and simulate's options."""
    system = design.to_system()
    chem = design.chemistry
    if chem is None or (chem.acid is None and chem.caustic_second_pass is None
                        and chem.degas_second_pass is None):
        return system, {}
    system, _ = _apply_chemistry(design, system)
    options = {}
    rest = (None,) * (len(system.passes) - 2)
    if chem.caustic_second_pass is not None:
        options["pass_feed_ph"] = (None, chem.caustic_second_pass.target_ph) + rest
    if chem.degas_second_pass is not None:
        options["pass_feed_co2_removal"] = (None, chem.degas_second_pass) + rest
    return system, options


def _lcow(result, design, cost_basis):
    """LCOW [USD/m3] of each case (:func:`osmolab.ro.costing.cost_projection`) with
    ``cost_basis``, else the design's ``costing:`` section, else WaterTAP's parameters."""
    basis = cost_basis
    if basis is None:
        section = design.costing
        basis = section.to_basis() if section is not None else "watertap"
    return np.asarray(cost_projection(result, basis)["lcow_usd_m3"], dtype=float)


def _problem(design, objective, variables, constraints, guidelines, grid, water_source, cost_basis,
             objectives=None) -> _Problem:
    raw = _raw_design(design)
    names = objectives or (objective,)
    for name in names:
        if name not in OBJECTIVES:
            raise InputError(f"unknown objective {name!r}.{suggest(str(name), OBJECTIVES)} "
                             f"Use {', '.join(OBJECTIVES)}")
    metric, sense, _ = OBJECTIVES[names[0]]
    parsed = _space.parse_variables(variables if variables is not None else _default_variables(raw))
    if not parsed:
        raise InputError("nothing to optimise: give at least one variable")
    if isinstance(constraints, str):
        constraints = [constraints]
    cons = [_space.parse_constraint(c) for c in (constraints or [])]
    loaded = load_design(raw)
    if any(c.metric == _space.SCALING for c in cons):
        antiscalant = getattr(loaded.chemistry, "antiscalant", None) or "none"
        where = "without antiscalant" if antiscalant == "none" else f"with antiscalant {antiscalant!r}"
        cons = [replace(c, source=f"scale limits {where}, data/antiscalant_limits.csv")
                if c.metric == _space.SCALING else c
                for c in cons]
    source = water_source or loaded.feed.water_source
    if guidelines:
        n_passes = len(raw["array"]["passes"])
        cons = _space.guideline_constraints(source, n_passes) + cons
    else:
        cons = [Constraint("element_pressure_margin_bar", "<=", 0.0, "element datasheet maximum pressure"), *cons]
    if not isinstance(grid, (int, np.integer)) or isinstance(grid, bool) or grid < 2:
        raise InputError(f"grid must be a whole number >= 2, got {grid!r}")
    return _Problem(raw, names[0], metric, sense, parsed, cons, int(grid), source, cost_basis)


# --------------------------------------------------------------------------------------------
# global search


def _target_grid(problem: _Problem):
    target = problem.target
    if target is None:
        return None
    if target.levels:
        return np.asarray(target.levels, dtype=float)
    return np.linspace(target.bounds[0], target.bounds[1], problem.grid)


@dataclass
class _Search:
    problem: _Problem
    extra: tuple = ()
    rows: list = field(default_factory=list)
    seen: dict = field(default_factory=dict)
    evaluations: int = 0
    errors: list = field(default_factory=list)

    def run_design(self, names, combo):
        """Evaluate one combination over the target grid; its best (score, index) or None."""
        values = dict(zip(names, combo, strict=True))
        raw = self.problem.design_for(values)
        key = _space.design_key(raw)
        if key in self.seen:
            return self.seen[key]
        try:
            grid = _target_grid(self.problem)
            result, metrics = self.problem.evaluate(raw, grid, self.extra)
        except InputError as exc:
            if "constraint" in str(exc):
                raise
            self.errors.append(f"{values}: {exc}")
            self.seen[key] = None
            return None
        n = len(result)
        self.evaluations += n
        score, slack, feasible = self.problem.score(metrics, result.reasons)
        frame = {name: [values[name]] * n for name in names}
        if self.problem.target is not None:
            frame[self.problem.target.name] = grid if grid is not None else metrics["recovery"]
        frame.update({k: v for k, v in metrics.items() if "_mg_L" not in k or k in (
            "permeate_tds_mg_L", "product_tds_mg_L", "concentrate_tds_mg_L", "permeate_boron_mg_L")
            or k == self.problem.metric or any(c.metric == k for c in self.problem.constraints)})
        frame["slack"] = slack
        frame["feasible"] = feasible
        frame["engine_reason"] = ["; ".join(r) for r in result.reasons]
        frame["design_id"] = len(self.seen)
        self.rows.append(pd.DataFrame(frame))
        best = None
        if feasible.any():
            i = int(np.argmin(np.where(feasible, score, np.inf)))
            best = (float(score[i]), i, values)
        self.seen[key] = best
        return best


def _global_search(problem, seed, max_designs, continuous_levels, progress, client, extra=()):
    names, axes, combos = _space.combinations(problem.variables, continuous_levels)
    total = int(np.prod([len(a) for a in axes])) if axes else 1
    search = _Search(problem, tuple(extra))
    if total <= max_designs:
        todo = list(combos)
    else:
        rng = np.random.default_rng(seed)
        picks = rng.choice(total, size=max_designs, replace=False)
        todo = [tuple(axis[i] for axis, i in zip(axes, np.unravel_index(p, [len(a) for a in axes]), strict=True))
                for p in sorted(picks)]
    if client is not None:
        _run_on_client(search, names, todo, client, progress)
    else:
        for k, combo in enumerate(todo):
            search.run_design(names, combo)
            if progress is not None:
                progress(k + 1, len(todo))
    if total > max_designs:
        _neighbourhood(search, names, axes, progress)
    return search, names


def _neighbourhood(search, names, axes, progress, rounds=20):
    """Try the neighbouring levels of each variable around the best designs until none improves."""
    for _ in range(rounds):
        best = sorted((b for b in search.seen.values() if b is not None), key=lambda b: b[0])[:3]
        improved = False
        for score, _, values in best:
            for j, name in enumerate(names):
                axis = list(axes[j])
                i = axis.index(values[name])
                for step in (-1, 1):
                    if 0 <= i + step < len(axis):
                        combo = tuple(axis[i + step] if n == name else values[n] for n in names)
                        found = search.run_design(names, combo)
                        if found is not None and found[0] < score - 1e-12:
                            improved = True
        if progress is not None:
            progress(1, 1)
        if not improved:
            return


def _evaluate_chunk(task):
    """Evaluate a chunk of combinations (one Dask task): ``task`` is (problem, names, combos);
    returns the search's rows, designs seen, projections and errors."""
    problem, names, combos = task
    search = _Search(problem)
    for combo in combos:
        search.run_design(names, combo)
    return search.rows, list(search.seen.items()), search.evaluations, search.errors


def _run_on_client(search, names, todo, client, progress, chunk=16):
    """Chunks of designs as tasks on a Dask client (:func:`osmolab.studies.cluster.run_tasks`:
    a failed chunk is resubmitted), gathered into ``search``."""
    tasks = [(search.problem, names, todo[i:i + chunk]) for i in range(0, len(todo), chunk)]
    sizes = [len(t[2]) for t in tasks]
    for rows, seen, evaluations, errors in run_tasks(_evaluate_chunk, tasks, client=client, progress=progress,
                                                     sizes=sizes):
        offset = len(search.seen)
        for frame in rows:
            frame["design_id"] += offset
        search.rows.extend(rows)
        for key, best in seen:
            search.seen.setdefault(key, best)
        search.evaluations += evaluations
        search.errors.extend(errors)


# --------------------------------------------------------------------------------------------
# local polish


def _polish(problem, values, target_value, evaluations, step):
    """SLSQP and COBYQA on the continuous variables from a grid point; (score, values, target) or None."""
    from scipy.optimize import minimize  # lazy: scipy.optimize loads in ~0.3 s

    target = problem.target
    conts = problem.continuous
    dims = ([target] if target is not None and not target.levels else []) + conts
    if not dims:
        return None
    low = np.array([v.bounds[0] for v in dims])
    span = np.array([v.bounds[1] - v.bounds[0] for v in dims])
    start = [target_value] if dims and dims[0] is target else []
    start = np.array(start + [values[v.name] for v in conts], dtype=float)
    x0 = (start - low) / span
    cache = {}

    def run(x):
        key = tuple(np.round(np.clip(x, 0, 1), 12))
        if key not in cache:
            point = low + span * np.clip(x, 0, 1)
            vals = dict(values)
            vals.update({v.name: float(p) for v, p in zip(dims, point, strict=True) if v.kind == "continuous"})
            t = point[0] if dims[0] is target else None
            try:
                result, metrics = problem.evaluate(problem.design_for(vals), None if t is None else [t])
                evaluations[0] += 1
                s, _, _ = problem.score(metrics, result.reasons)
                slacks = np.array([c.slack(metrics)[0] for c in problem.constraints])
                engine = 0.0 if not result.reasons[0] else -1.0
                cache[key] = (float(s[0]), np.append(slacks, engine), vals, t)
            except InputError:
                cache[key] = (np.inf, np.full(len(problem.constraints) + 1, -1.0), vals, t)
        return cache[key]

    f0 = run(x0)[0]
    scale = max(abs(f0), 1e-9)

    def objective(x):
        return 100.0 * (run(x)[0] - f0) / scale

    limits = [{"type": "ineq", "fun": lambda x: np.nan_to_num(run(x)[1], neginf=-1e3) - _MARGIN}]
    bounds = [(0.0, 1.0)] * len(dims)
    found = []
    # SLSQP lands exactly on an active limit; COBYQA (derivative-free) copes with flat
    # objectives where SLSQP's finite-difference line search wanders: both run, the best wins
    for method, options in (("SLSQP", {"maxiter": 10, "ftol": 1e-9, "eps": 1e-5}),
                            ("COBYQA", {"initial_tr_radius": step, "final_tr_radius": 1e-7,
                                        "maxfev": 40 * len(dims)})):
        try:
            solution = minimize(objective, x0, method=method, bounds=bounds, constraints=limits,
                                options=options)
        except (ValueError, ArithmeticError):  # pragma: no cover - defensive
            continue
        x = np.clip(solution.x, 0, 1)
        if not _feasible(run(x)):
            x = _back_inside(run, x0, x)
        score, slacks, vals, t = run(x)
        if _feasible(run(x)):
            found.append((score, vals, t))
    return min(found, key=lambda item: item[0]) if found else None


def _zoom(problem, values, grid_values, index, evaluations, rounds=5, points=21):
    """Refine the target alone (no continuous design field): grids of ``points`` target
    values between the neighbours of the best point, ``rounds`` times, each one vectorised
    projection (a resolution of ``(2/(points-1))**rounds`` grid steps). Cheaper than SLSQP's
    and COBYQA's single-case evaluations when a case is costly (a scale constraint speciates
    every concentrate), and it stays feasible: the best feasible point of each grid."""
    low_bound, high_bound = problem.target.bounds
    low = float(grid_values[max(index - 1, 0)])
    high = float(grid_values[min(index + 1, len(grid_values) - 1)])
    raw = problem.design_for(values)
    best = None
    for _ in range(rounds):
        xs = np.linspace(low, high, points)
        try:
            result, metrics = problem.evaluate(raw, xs)
        except InputError:  # pragma: no cover - the same design was evaluated in the search
            break
        evaluations[0] += len(xs)
        score, _, feasible = problem.score(metrics, result.reasons)
        if not feasible.any():
            break
        j = int(np.argmin(np.where(feasible, score, np.inf)))
        if best is None or score[j] < best[0]:
            best = (float(score[j]), values, float(xs[j]))
        step = xs[1] - xs[0]
        low, high = max(xs[j] - step, low_bound), min(xs[j] + step, high_bound)
        if high - low <= 1e-12 * max(abs(high), 1.0):
            break
    return best


def _feasible(evaluation) -> bool:
    score, slacks = evaluation[0], evaluation[1]
    return bool(np.all(slacks >= 0.0) and np.isfinite(score))


def _back_inside(run, x0, x, steps=16):
    """The point nearest ``x`` on the segment from the feasible start ``x0`` that meets every
    limit (bisection): a polish that ends a hair outside an active limit is pulled back onto it."""
    inside, outside = 0.0, 1.0
    for _ in range(steps):
        middle = 0.5 * (inside + outside)
        if _feasible(run(x0 + middle * (x - x0))):
            inside = middle
        else:
            outside = middle
    return x0 + inside * (x - x0)


# --------------------------------------------------------------------------------------------
# public functions


def optimize(design, objective="sec", variables=None, constraints=(), *, guidelines=True, seed=0,
             method="auto", grid=41, continuous_levels=5, max_designs=2000, polish=3,
             water_source=None, cost_basis=None, client=None, progress=None) -> OptimizationResult:
    """Find the RO design that minimises an objective under constraints.

    Parameters
    ----------
    design : path, YAML string or dict
        The starting design (file path, bundled example name such as ``"seawater_px"``, YAML
        text or the parsed dict); fields not varied stay as given.
    objective : str
        ``"sec"`` [kWh/m3], ``"permeate_tds"`` [mg/L], ``"lcow"`` [USD/m3], ``"feed_pressure"``
        [bar], ``"permeate_boron"`` [mg/L] (minimised) or ``"recovery"``, ``"permeate_flow"``
        (maximised).
    variables : dict, optional
        Name -> range ``(low, high)``, list of levels, or CLI string (``"0.35:0.55"``,
        ``"30:50:5"``, ``"SW30XLE-440i,SW30HRLE-440i"``). Names: ``recovery``,
        ``feed_pressure`` [bar], ``permeate_flow`` [m3/h] (the target, at most one),
        ``element``, ``stages``, ``vessels``, ``elements_per_vessel``, ``erd``, or a design path
        (``array.stages.0.vessels``, ``array.stages.1.booster_pressure`` [bar],
        ``array.stages.0.permeate_pressure`` [bar], ``array.passes.1.recovery``). Default: the
        design's target within +-0.15 (recovery) or -30 %/+20 %.
    constraints : list of str
        ``"metric<=limit"`` / ``"metric>=limit"`` on :data:`osmolab.studies._space.METRICS`
        (``permeate_tds_mg_L``, ``permeate_boron_mg_L``, ``permeate_Cl-_mg_L``, ``recovery``,
        ``feed_pressure_bar``, ``max_element_flux_LMH``, ``lcow_usd_m3``, ``min_flux_lmh`` (local
        outlet flux [L/(m2 h)]), the worst over the final concentrates of all passes of
        ``<mineral>_saturation_pct`` [%], ``calcite_lsi``, ``calcite_sdsi``, ``calcite_index``,
        the first-pass ``concentrate_pH``, each also as ``pass2_...`` for the second pass's
        own), or ``"scaling"``: every scale of every pass's concentrate within the limit of the
        design's ``chemistry.antiscalant`` (:mod:`osmolab.studies._scaling`; computed only when
        asked for).
    guidelines : bool
        Add the design guidelines of the feed water (element flux, recovery, beta, pressure
        drops, vessel flows, average flux range) as constraints; the element datasheet
        maximum pressure is always a constraint.
    seed : int
        Seeds the sampling of spaces larger than ``max_designs`` (reproducible).
    method : str
        ``"auto"`` (enumeration, then SLSQP/COBYQA polish, or a vectorised zoom of the
        target when it is the only continuous variable) or ``"grid"`` (no polish).
    grid : int
        Points of the target variable per design (one vectorised projection).
    continuous_levels : int
        Levels of each continuous design field in the global search (polish refines them).
    max_designs : int
        Largest number of designs enumerated exhaustively; beyond it, a seeded sample plus a
        neighbourhood search.
    polish : int
        How many of the best designs get a local polish.
    water_source : str, optional
        Guideline set (default: the design's ``feed.water_source``).
    cost_basis : str or osmolab.ro.costing.CostBasis, optional
        Cost basis of ``lcow`` (default: the design's ``costing:`` section, else
        ``"watertap"``).
    client : distributed.Client, optional
        Evaluate the designs on a Dask cluster (chunks of designs per task).
    progress : callable, optional
        ``progress(done, total)`` after each design.

    Returns
    -------
    OptimizationResult

    Raises
    ------
    InputError
        Unknown objective or variable (with near names), empty range, malformed constraint, or
        no feasible design (naming the constraint that cannot be met and the best value reached).

    Examples
    --------
    >>> best = optimize("seawater_px", "sec", {"recovery": (0.40, 0.50)}, grid=11, polish=0)
    >>> round(best.variables["recovery"], 2), round(best.value, 2)
    (0.44, 2.08)
    """
    start = time.perf_counter()
    if method not in ("auto", "grid"):
        raise InputError(f"unknown method {method!r}.{suggest(str(method), ('auto', 'grid'))} Use auto or grid")
    problem = _problem(design, objective, variables, constraints, guidelines, grid, water_source, cost_basis)
    search, names = _global_search(problem, seed, max_designs, continuous_levels, progress, client)
    history = _history(search)
    ranked = sorted((b for b in search.seen.values() if b is not None), key=lambda b: b[0])
    if not ranked:
        raise InputError(_infeasible_message(problem, search, history))
    score, index, values = ranked[0]
    grid_values = _target_grid(problem)
    target_value = None if grid_values is None else float(grid_values[index])
    best = (score, values, target_value)
    evaluations = [search.evaluations]
    # the polish starts with steps of one grid spacing (normalised variables)
    step = 0.5 / (min([problem.grid] + [continuous_levels] * bool(problem.continuous)) - 1)
    if method == "auto":
        for cand_score, cand_index, cand_values in ranked[:max(int(polish), 0)]:
            t0 = None if grid_values is None else float(grid_values[cand_index])
            if problem.target is not None and not problem.target.levels and not problem.continuous:
                polished = _zoom(problem, cand_values, grid_values, cand_index, evaluations)
            else:
                polished = _polish(problem, cand_values, t0, evaluations, step)
            if polished is not None and polished[0] < best[0] - 1e-12:
                best = polished
            elif cand_score < best[0] - 1e-12:  # pragma: no cover - ranked[0] is the best
                best = (cand_score, cand_values, t0)
    return _finish(problem, best, history, evaluations[0], time.perf_counter() - start, method)


def _history(search) -> pd.DataFrame:
    if not search.rows:
        detail = f": {search.errors[0]}" if search.errors else ""
        raise InputError(f"no design of the search space could be built{detail}")
    frame = pd.concat(search.rows, ignore_index=True)
    labels = {v.name: v.label for v in search.problem.variables if v.label and v.label != v.name}
    return frame.rename(columns=labels)


def _finish(problem, best, history, evaluations, elapsed, method) -> OptimizationResult:
    score, values, target_value = best
    raw = problem.design_for(values)
    target = problem.target
    if target is not None:
        raw["target"] = {target.name: float(target_value)}
    _, metrics = problem.evaluate(raw, None)
    result = project(raw, water_source=problem.water_source)
    point = {k: float(v[0]) for k, v in metrics.items()}
    labels = {v.name: v.label or v.name for v in problem.variables}
    variables = {labels.get(name, name): (float(v) if isinstance(v, (float, np.floating)) else v)
                 for name, v in values.items()}
    if target is not None:
        variables[target.label or target.name] = float(target_value)
    binding = []
    for c in problem.constraints:
        slack = float(c.slack(metrics)[0])
        if slack <= BINDING_TOLERANCE:
            binding.append(f"{c.text} ({c.source}; value {point[c.metric]:.4g})")
    for v in problem.variables:
        name = v.label or v.name
        if v.bounds and name in variables:
            low, high = v.bounds
            tol = 1e-3 * (high - low)
            if variables[name] <= low + tol or variables[name] >= high - tol:
                edge = "lower" if variables[name] <= low + tol else "upper"
                binding.append(f"{name} at its {edge} bound {low if edge == 'lower' else high:g}")
    return OptimizationResult(
        objective=problem.objective, metric=problem.metric, value=point[problem.metric],
        design=_space.compact(raw), variables=variables, projection=result, binding=binding,
        constraints=[f"{c.text} ({c.source})" for c in problem.constraints], history=history,
        evaluations=int(evaluations), time_s=float(elapsed),
        method=("enumeration" if method != "auto" else "enumeration+zoom"
                if problem.target is not None and not problem.target.levels and not problem.continuous
                else "enumeration+slsqp/cobyqa"),
        metrics={k: point[k] for k in point if _space.is_named_metric(k)})


def _infeasible_message(problem, search, history) -> str:
    """Which constraint cannot be met, and the best value reached for it."""
    if history.empty:  # pragma: no cover
        return "no design could be evaluated"
    engine_ok = history["engine_reason"] == ""
    if not engine_ok.any():
        reason = history["engine_reason"].iloc[0]
        return f"no design of the search space can be operated: {reason}"
    ok = history[engine_ok]
    for c in problem.constraints:
        values = ok[c.metric].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        if values.size == 0:
            continue
        best = values.min() if c.relation == "<=" else values.max()
        met = best <= c.limit if c.relation == "<=" else best >= c.limit
        if not met:
            word = "lowest" if c.relation == "<=" else "highest"
            return (f"infeasible: no design meets {c.text} ({c.source}); the {word} {c.metric} "
                    f"reachable over the search space is {best:.4g}")
    # each constraint alone can be met, not all together: name those the closest design violates
    slack = ok["slack"].to_numpy()
    closest = ok.iloc[int(np.argmax(slack))]
    violated = [c.text for c in problem.constraints
                if float(c.slack({c.metric: np.array([closest[c.metric]])})[0]) < -1e-9]
    return (f"infeasible: each constraint can be met alone, not all together; the closest design "
            f"violates {', '.join(violated)}")
