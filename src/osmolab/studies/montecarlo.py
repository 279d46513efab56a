r"""Monte Carlo uncertainty of an RO projection: percentiles and the chance of exceeding limits.

The plant is projected for ``n`` random draws of what varies in service — the feed salinity
and temperature over the seasons, the manufacturing spread of every element's water and salt
permeability (A, B), the fouling factor and the membrane age — in one vectorised engine call
(chunked, locally or on Dask). The result gives P5/P50/P95 of the feed pressure, permeate
TDS (and boron, as B), SEC and LCOW (with costing), the probability of exceeding each limit,
and the draws themselves for histograms (:func:`osmolab.studies.plots.histograms`).

Default distributions (:func:`default_distributions`; each but the fouling factor of a
clean design symmetric about, or with its median at, the design value):

* ``feed_salinity``: uniform, design value ±5 % — a seasonal swing of an open intake.
  Designers project at the site's extreme salinities and temperatures (FilmTec Reverse
  Osmosis Membranes Technical Manual, Form No. 45-D01504-en, "System Design"); without site
  data these defaults only stand in for that range: pass the site's own.
* ``temperature``: uniform, design value ±5 degC (within 1-45 degC).
* ``element_water_permeability``: each element's A relative to the datasheet, log-normal
  with median 1 and :math:`\sigma_{\ln} = \ln(1.15)/2`: FilmTec 8-inch datasheets state
  that "permeate flows for individual elements may vary ±15 %" (e.g. SW30HRLE-440i, Form
  No. 45-D00965-en), read here as the 95 % range (±2 sigma).
* ``element_salt_permeability``: each element's B, log-normal with median 1 and
  :math:`\sigma_{\ln} = \ln(SP_{max}/SP_{nom})/2`, with :math:`SP = 1 - R` the salt passage
  at the datasheet's stabilised and minimum rejection (SW30XLE-440i: 99.80 % and 99.60 %:
  the guaranteed minimum as the 2-sigma bound, B up to 2x); 1.5x for custom sheets.
* ``fouling_factor``: uniform from the design value -0.05 to +0.05 but at most 1 (a clean
  design, 1.0, draws 0.95-1.0: fouling only lowers A).
* ``membrane_age``: uniform between 0 and twice the design age (fixed when new).

The engine models one vessel per stage (the vessels of a stage are in parallel and alike),
so each element position stands for the mean of its stage's :math:`V` vessels: its A and B
multipliers are drawn with :math:`\sigma_{\ln}/\sqrt V` (independent elements).

Limits: permeate TDS 500 mg/L (US EPA secondary drinking-water standard, 40 CFR 143.3; WHO
2022 finds water under about 600 mg/L generally palatable), boron 2.4 mg/L (WHO Guidelines
for Drinking-water Quality, 4th ed. 2022), the elements' maximum feed pressure, and any
user limit on an output column.

Examples
--------
>>> mc = monte_carlo("seawater_px", 200, seed=1)
>>> round(float(mc.percentiles.loc["p50", "feed_pressure_bar"]))
55
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError, suggest
from ..ro.config import MembraneSheet, System
from ..ro.feedwater import feed_composition
from ..ro.library import datasheet
from . import cluster
from .sweep import (
    CHUNK_SIZE,
    OUTPUTS,
    StudyInterrupted,
    Variable,
    _check_overrides,
    _to_si,
    _with_field,
    case_table,
    design_system,
    plant_and_basis,
    resolve_variable,
    run_task,
)

__all__ = ["monte_carlo", "monte_carlo_sweep", "MonteCarloResult", "default_distributions",
           "DEFAULT_LIMITS", "DISTRIBUTION_KINDS", "QUANTILES"]

#: Upper limits checked by default (output column -> limit, with the source in the module
#: docstring); the feed-pressure limit is the elements' maximum, added per design
DEFAULT_LIMITS = {"permeate_tds_mg_L": 500.0, "permeate_boron_mg_L": 2.4}
#: Distribution kinds and their parameters (in the entry units of the variable)
DISTRIBUTION_KINDS = {"uniform": ("low", "high"), "normal": ("mean", "sd"),
                      "lognormal": ("median", "sigma_log"),
                      "triangular": ("low", "mode", "high"), "fixed": ("value",)}
#: Percentiles reported
QUANTILES = {"p5": 5, "p50": 50, "p95": 95}
_ELEMENT_KEYS = {"element_water_permeability": "water_permeability_factor",
                 "element_salt_permeability": "salt_permeability_factor"}
_SUMMARY = ("feed_pressure_bar", "permeate_tds_mg_L", "permeate_boron_mg_L", "sec_kWh_m3",
            "lcow_usd_m3", "concentrate_tds_mg_L")


@dataclass
class MonteCarloResult:
    """Draws and statistics of a Monte Carlo study.

    ``samples``: one row per draw (the drawn inputs in entry units, e.g. ``temperature_C``,
    and the outputs of :data:`osmolab.studies.sweep.OUTPUTS`); ``percentiles``: rows p5,
    p50, p95 by output column; ``exceedance``: output -> (limit, probability of exceeding
    it); ``distributions``: what was drawn; ``feasible_fraction``: share of draws the
    engine could meet the target in.
    """

    samples: pd.DataFrame
    percentiles: pd.DataFrame
    exceedance: dict
    distributions: dict
    n: int
    seed: object = None
    feasible_fraction: float = 1.0
    limits: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON view: percentiles by output, exceedance probabilities, distributions."""
        return {
            "n": self.n, "seed": self.seed,
            "feasible_fraction": self.feasible_fraction,
            "percentiles": {col: {q: float(self.percentiles.loc[q, col]) for q in QUANTILES}
                            for col in self.percentiles.columns},
            "exceedance": [{"output": k, "limit": v[0], "probability": v[1]}
                           for k, v in self.exceedance.items()],
            "distributions": {k: [v[0], *("datasheet" if p is None else _plain(p)
                                          for p in v[1:])]
                              for k, v in self.distributions.items()},
        }


def _plain(value):
    value = np.asarray(value, dtype=float)
    return float(value) if value.ndim == 0 else [float(v) for v in value.ravel()[:1]]


# --------------------------------------------------------------------------------------------
# distributions


def _centre(system: System) -> dict:
    """Design values in entry units (g/kg, degC, -, years)."""
    return {"feed_salinity": float(feed_composition(system.feed).salinity) * 1e3,
            "temperature": system.feed.temperature - 273.15,
            "fouling_factor": system.fouling_factor,
            "membrane_age": system.membrane_age}


def _salt_spread(element) -> float:
    """sigma_ln of an element's B from its datasheet (stabilised vs minimum rejection)."""
    if isinstance(element, MembraneSheet):
        return np.log(1.5) / 2
    try:
        row = datasheet(element)
        nominal = 100.0 - float(row["rejection_stabilized_pct"])
        worst = 100.0 - float(row["rejection_min_pct"])
    except (InputError, KeyError, TypeError, ValueError):
        return np.log(1.5) / 2
    if not (np.isfinite(nominal) and np.isfinite(worst)) or nominal <= 0 or worst <= nominal:
        return np.log(1.5) / 2
    return float(np.log(worst / nominal) / 2)


def default_distributions(design, centre: Mapping | None = None) -> dict:
    """The default distributions of a design (see the module docstring), in entry units.

    ``centre`` may move the centre of the feed salinity [g/kg], temperature [degC], fouling
    factor and membrane age [years] (numbers or arrays, one per case).
    """
    system = design_system(design)
    c = _centre(system)
    c.update(centre or {})
    salinity = np.asarray(c["feed_salinity"], float)
    temperature = np.asarray(c["temperature"], float)
    fouling = np.asarray(c["fouling_factor"], float)
    age = np.asarray(c["membrane_age"], float)
    width = np.minimum(5.0, np.minimum(temperature - 1.0, 45.0 - temperature).clip(0.0))
    spread = np.minimum(0.05, 1.0 - fouling).clip(0.0)
    out = {
        "feed_salinity": ("uniform", salinity * 0.95, salinity * 1.05),
        "temperature": ("uniform", temperature - width, temperature + width),
        "fouling_factor": ("uniform", fouling - 0.05, fouling + spread)
        if np.all(fouling > 0.05) else ("fixed", fouling),
        "membrane_age": ("uniform", age * 0.0, 2.0 * age) if np.any(age > 0)
        else ("fixed", age),
        "element_water_permeability": ("lognormal", 1.0, np.log(1.15) / 2),
        "element_salt_permeability": ("lognormal", 1.0, None),  # per element: datasheet
    }
    return out


def _draw(name, spec, size, rng):
    """Draw ``size`` values of a spec (parameters may be arrays of length ``size``)."""
    if not isinstance(spec, (tuple, list)) or not spec:
        if isinstance(spec, (int, float)) and not isinstance(spec, bool):
            return np.full(size, float(spec))
        raise InputError(f"distribution of {name}: give (kind, parameters...), e.g. "
                         f"('uniform', 10, 30); got {spec!r}")
    kind, *params = spec
    if kind not in DISTRIBUTION_KINDS:
        raise InputError(f"distribution of {name}: unknown kind {kind!r}."
                         f"{suggest(str(kind), DISTRIBUTION_KINDS)} Use: "
                         f"{', '.join(DISTRIBUTION_KINDS)}")
    wanted = DISTRIBUTION_KINDS[kind]
    if len(params) != len(wanted):
        raise InputError(f"distribution of {name}: {kind} takes {', '.join(wanted)}; got "
                         f"{len(params)} parameters")
    try:
        p = [np.asarray(v, dtype=float) for v in params]
    except (TypeError, ValueError):
        raise InputError(f"distribution of {name}: parameters must be numbers in the entry "
                         f"unit, got {params!r}") from None
    if not all(np.all(np.isfinite(v)) for v in p):
        raise InputError(f"distribution of {name}: parameters must be finite")
    if kind == "fixed":
        return np.broadcast_to(p[0], (size,)).astype(float)
    if kind == "uniform":
        if np.any(p[1] < p[0]):
            raise InputError(f"distribution of {name}: uniform needs low <= high")
        return rng.uniform(p[0], p[1], size)
    if kind == "normal":
        if np.any(p[1] < 0):
            raise InputError(f"distribution of {name}: sd must be >= 0")
        return rng.normal(p[0], p[1], size)
    if kind == "lognormal":
        if np.any(p[0] <= 0) or np.any(p[1] < 0):
            raise InputError(f"distribution of {name}: lognormal needs median > 0 and "
                             "sigma_log >= 0")
        return p[0] * np.exp(p[1] * rng.standard_normal(size))
    if np.any(p[0] > p[1]) or np.any(p[1] > p[2]) or np.any(p[0] == p[2]):
        raise InputError(f"distribution of {name}: triangular needs low <= mode <= high, "
                         "low < high")
    return rng.triangular(p[0], p[1], p[2], size)


def _positions(system: System):
    """Per element position of every pass: (element entry, vessels of its stage)."""
    out = []
    for p in system.passes:
        for stage in p.stages:
            for entry in stage.element_list:
                out.append((entry, stage.vessels))
    return out


def _element_factors(system, spec, name, n, rng) -> np.ndarray:
    """(n, positions) multipliers: each position the mean of its stage's vessels."""
    positions = _positions(system)
    kind = spec[0] if isinstance(spec, (tuple, list)) and spec else None
    if kind == "lognormal":
        median, sigma = spec[1], spec[2]
        out = np.empty((n, len(positions)))
        for j, (entry, vessels) in enumerate(positions):
            s = _salt_spread(entry) if sigma is None else float(sigma)
            if not np.isfinite(s) or s < 0 or not float(median) > 0:
                raise InputError(f"distribution of {name}: lognormal needs median > 0 and "
                                 "sigma_log >= 0")
            out[:, j] = float(median) * np.exp(s / np.sqrt(vessels) * rng.standard_normal(n))
        return out
    values = np.column_stack([_draw(name, spec, n, rng) for _ in positions])
    if np.any(values <= 0):
        raise InputError(f"distribution of {name}: multipliers must stay > 0")
    return values


def _resolve(system, distributions, centre=None, swept=()) -> dict:
    specs = default_distributions(system, centre)
    if distributions is None:
        return specs
    if not isinstance(distributions, Mapping):
        raise InputError("distributions must be a mapping of variable -> (kind, parameters)")
    for name, spec in distributions.items():
        key = name
        if name not in _ELEMENT_KEYS:
            key = resolve_variable(name, system).name  # InputError with near names
            if resolve_variable(name, system).kind != "override":
                raise InputError(f"{name}: only overrides and element_water_permeability / "
                                 "element_salt_permeability can be drawn")
        if key in swept:
            raise InputError(f"{key} is both swept and drawn; give it in one place")
        if spec is None:
            specs.pop(key, None)
        else:
            specs[key] = spec
    return specs


def _draw_all(system, specs, n, rng):
    """Drawn inputs: table columns (entry units) and engine overrides (SI)."""
    columns, overrides = {}, {}
    for name, spec in specs.items():
        if name in _ELEMENT_KEYS:
            factors = _element_factors(system, spec, name, n, rng)
            key = _ELEMENT_KEYS[name]
            overrides[key] = overrides.get(key, 1.0) * factors
            columns[f"{name}_mean"] = factors.mean(axis=1)
            continue
        var = resolve_variable(name, system)
        values = _draw(name, spec, n, rng)
        if var.key in ("water_permeability_factor", "salt_permeability_factor"):
            overrides[var.key] = overrides.get(var.key, 1.0) * values[:, None]
            columns[var.column] = values
            continue
        si = _to_si(var, values)
        try:
            _check_overrides([var], {var.name: si})
        except InputError as exc:
            raise InputError(f"distribution of {name} draws values out of range: {exc}; "
                             "narrow it") from None
        overrides[var.key] = si
        columns[var.column] = var.to_table(si)
    return columns, overrides


def _limits(system, limits) -> dict:
    out = dict(DEFAULT_LIMITS)
    first = [entry for stage in system.passes[0].stages for entry in stage.element_list]
    out["feed_pressure_bar"] = min(_max_pressure(entry) for entry in first)
    for key, value in (limits or {}).items():
        if key not in OUTPUTS or key in ("feasible", "reason"):
            raise InputError(f"unknown limit {key!r}.{suggest(str(key), OUTPUTS)} Limits are "
                             "upper bounds on output columns, e.g. permeate_tds_mg_L")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InputError(f"limit {key}: expected a number, got {value!r}") from None
        if not np.isfinite(value):
            raise InputError(f"limit {key}: expected a finite number, got {value!r}")
        out[key] = value
    return out


def _max_pressure(entry) -> float:
    if isinstance(entry, MembraneSheet):
        return entry.max_pressure / 1e5
    try:
        return float(datasheet(entry)["max_pressure_bar"])
    except (InputError, KeyError, TypeError, ValueError):
        return 83.0


def _exceed(frame, limits) -> dict:
    out = {}
    for key, limit in limits.items():
        if key not in frame:
            continue
        values = frame[key].to_numpy(float)
        if key == "feed_pressure_bar":  # the engine stops at the maximum: count those
            hit = values >= limit * (1 - 1e-6)
        else:
            hit = values > limit
        out[key] = (float(limit), float(np.mean(hit)))
    return out


def _run_draws(system, overrides, n, client, progress, chunk_size, basis=None):
    tasks = []
    for start in range(0, n, chunk_size):
        index = np.arange(start, min(start + chunk_size, n))
        tasks.append((system, {k: np.asarray(v)[index] if np.ndim(v) else v
                               for k, v in overrides.items()}, OUTPUTS, index, basis))
    frames = []
    try:
        for frame in cluster.run_tasks(run_task, tasks, client=client, progress=progress,
                                       sizes=[len(t[3]) for t in tasks]):
            frames.append(frame)
    except KeyboardInterrupt:
        raise StudyInterrupted(pd.concat(frames).sort_index() if frames else pd.DataFrame(),
                               n) from None
    return pd.concat(frames).sort_index()


def _check_n(n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
        raise InputError(f"the number of Monte Carlo draws must be a whole number >= 1, got "
                         f"{n!r}")
    return int(n)


def monte_carlo(design, n: int, distributions: Mapping | None = None, seed=None,
                client=None, limits: Mapping | None = None, progress=None,
                chunk_size: int = CHUNK_SIZE, costing=None) -> MonteCarloResult:
    """Monte Carlo projection of a design: ``n`` draws of the uncertain inputs.

    Parameters
    ----------
    design : path, dict, Design or System
        The plant.
    n : int
        Number of draws (>= 1).
    distributions : Mapping[str, tuple], optional
        Replace or add distributions: variable -> ``(kind, parameters...)`` in entry units
        (degC, g/kg, bar, m3/h, years, fractions), kinds :data:`DISTRIBUTION_KINDS`
        (e.g. ``{"temperature": ("normal", 25, 3)}``); ``None`` as a value removes a default.
        ``element_water_permeability`` / ``element_salt_permeability`` set the per-element
        spread (``("lognormal", 1, sigma_log)``; ``sigma_log`` None for the datasheet's).
    seed : int, optional
        Seed of :func:`numpy.random.default_rng` (repeatable draws).
    client : dask.distributed.Client, optional
        Run the chunks on this cluster.
    limits : Mapping[str, float], optional
        Extra or replaced upper limits on output columns (e.g. ``{"sec_kWh_m3": 3.0}``).
    progress : callable, optional
        ``progress(done, total)``.
    costing : None, str, CostBasis or False
        Cost basis of ``lcow_usd_m3`` (default: the design file's ``costing:`` section).

    Returns
    -------
    MonteCarloResult
    """
    n = _check_n(n)
    system, basis = plant_and_basis(design, costing)
    rng = np.random.default_rng(seed)
    specs = _resolve(system, distributions)
    checked_limits = _limits(system, limits)
    columns, overrides = _draw_all(system, specs, n, rng)
    if not overrides:
        overrides = {"temperature": np.full(n, system.feed.temperature)}
    for key in ("water_permeability_factor", "salt_permeability_factor"):
        if key in overrides and np.ndim(overrides[key]) == 2 and overrides[key].shape[0] != n:
            overrides[key] = np.broadcast_to(overrides[key], (n, overrides[key].shape[1]))
    outputs = _run_draws(system, overrides, n, client, progress, chunk_size, basis)
    samples = pd.DataFrame(columns).join(outputs)
    summary = [c for c in _SUMMARY if c in samples]
    percentiles = pd.DataFrame(
        {c: np.percentile(samples[c].to_numpy(float), list(QUANTILES.values()))
         for c in summary}, index=list(QUANTILES))
    return MonteCarloResult(
        samples=samples, percentiles=percentiles,
        exceedance=_exceed(samples, checked_limits), distributions=specs, n=n,
        seed=seed, feasible_fraction=float(samples["feasible"].mean()),
        limits=checked_limits)


def monte_carlo_sweep(design, vary: Mapping, n_draws: int, method: str = "factorial",
                      n: int | None = None, seed=None, distributions=None, client=None,
                      limits=None, progress=None, chunk_size: int = CHUNK_SIZE,
                      costing=None):
    """A sweep with ``n_draws`` Monte Carlo draws at every case.

    The default distributions are centred on each case (a swept temperature is the centre
    of that case's seasonal range). Returns one row per case: the inputs, then P5/P50/P95 of
    each output (``feed_pressure_bar_p50`` ...), the probability of exceeding each limit
    (``p_exceed_permeate_tds_mg_L`` ...) and ``feasible_fraction``.
    """
    n_draws = _check_n(n_draws)
    system, basis = plant_and_basis(design, costing)
    variables, cases = case_table(system, vary, method, n, seed)
    total = len(next(iter(cases.values())))
    rng = np.random.default_rng(seed)
    checked_limits = _limits(system, limits)
    design_vars = [v for v in variables if v.kind == "design"]
    override_vars = [v for v in variables if v.kind == "override"]
    swept = {v.name for v in override_vars}
    _check_overrides(variables, cases)
    # every case repeated n_draws times, grouped by design fields
    keys = list(zip(*(cases[v.name].tolist() for v in design_vars), strict=True)) \
        if design_vars else [()] * total
    groups: dict = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    rows = []
    done = [0]

    def bump(k, _total):
        if progress is not None:
            progress(done[0] + k, total * n_draws)

    try:
        for key, members in groups.items():
            sub = system
            for var, value in zip(design_vars, key, strict=True):
                sub = _with_field(sub, var, value)
            members = np.asarray(members)
            case_of = np.repeat(members, n_draws)
            centre = {}
            for var in override_vars:
                if var.name in ("feed_salinity", "temperature", "fouling_factor",
                                "membrane_age"):
                    centre[var.name] = var.to_table(cases[var.name][case_of])
            specs = _resolve(sub, distributions, centre, swept)
            for name in swept:
                specs.pop(name, None)
            columns, overrides = _draw_all(sub, specs, len(case_of), rng)
            for var in override_vars:
                overrides[var.key] = cases[var.name][case_of]
            frame = _run_draws(sub, overrides, len(case_of), client, bump, chunk_size, basis)
            done[0] += len(case_of)
            frame["case"] = case_of[frame.index.to_numpy()]
            rows.append(_case_statistics(frame, checked_limits))
    except StudyInterrupted:
        raise StudyInterrupted(_mc_table(variables, cases, rows), total) from None
    return _mc_table(variables, cases, rows)


def _case_statistics(frame, limits) -> pd.DataFrame:
    grouped = frame.groupby("case", sort=True)
    stats = {}
    for column in (c for c in _SUMMARY if c in frame):
        for label, q in QUANTILES.items():
            stats[f"{column}_{label}"] = grouped[column].quantile(q / 100)
    for key, limit in limits.items():
        if key in frame:
            hit = frame[key] >= limit * (1 - 1e-6) if key == "feed_pressure_bar" \
                else frame[key] > limit
            stats[f"p_exceed_{key}"] = hit.groupby(frame["case"]).mean()
    stats["feasible_fraction"] = grouped["feasible"].mean()
    return pd.DataFrame(stats)


def _mc_table(variables: list[Variable], cases, rows) -> pd.DataFrame:
    inputs = pd.DataFrame({v.column: v.to_table(cases[v.name]) for v in variables})
    if not rows:
        return inputs.iloc[:0]
    stats = pd.concat(rows).sort_index()
    return inputs.loc[stats.index].join(stats).reset_index(drop=True)

