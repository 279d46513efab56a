"""Model-based monitoring: the membrane state that makes the RO engine match the plant.

For each operating point of a normalised log (a day's medians, or every valid hour), the
plant's design is projected at the logged feed pressure, feed flow, temperature and feed
salinity, and two factors of the membrane are fitted so that the projection reproduces the
plant:

* the **fouling factor** (multiplier of the water permeability A, 1 = clean) from the
  permeate flow, and
* the **salt-permeability factor** (multiplier of the salt permeability B, 1 = as
  designed) from the permeate salinity (conductivity or TDS).

All points are fitted at once: every iteration is one vectorised engine call over all of
them (per-case ``fouling_factor`` and ``salt_permeability_factor`` overrides of
:func:`osmolab.ro.design.project`). The first call is at the design state; the second takes a
proportional step (the permeate flow is nearly proportional to A and the permeate salinity to
B); each later estimate is a secant step through the last two calls, for the flow in the
fouling factor and for the ratio permeate salinity / B (nearly independent of B); three calls
fit the daily medians. An hourly fit (a year: 8,760 points) starts every hour at its day's
fitted state and takes one Newton step with the day's slopes after one vectorised call over
all hours. Unlike the ASTM D4516 normalised flow, the
projection accounts for how the flux moves between the elements of the train, so the season
does not show up as fouling; a rolling median over two weeks (within the periods between
cleanings) takes out most of the sensor noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..ro.config import System
from ..ro.design import load_design, project
from ..thermo.seawater import density as seawater_density

__all__ = ["fit_membrane_state", "fit_fouling_factor", "interpolate_columns", "FIT_CALLS", "HOURLY_CALLS"]

#: Engine calls of the fit (each one vectorised over all points): design state, proportional
#: step, then secant steps.
FIT_CALLS = 3
#: Engine calls over all the hours of an hourly fit (which starts from the daily fit): one
#: call and a Newton step with the day's slopes (a second call finds the median hour's
#: permeate flow within 0.1 % of the log on the bundled year).
HOURLY_CALLS = 1
#: Bounds of the fitted factors [-] (the engine accepts fouling factors in (0, 1.5]).
FOULING_BOUNDS = (0.2, 1.5)
SALT_BOUNDS = (0.05, 20.0)
_INPUTS = ("feed_pressure_bar", "feed_flow_m3_h", "temperature_C", "feed_salinity_g_kg",
           "permeate_flow_m3_h", "salt_passage_pct")


def interpolate_columns(values, table, grid):
    """Invert a table column by column: the grid value at which ``table`` equals ``values``.

    Parameters
    ----------
    values : array, shape (n,)
        Targets, one per column.
    table : array, shape (k, n)
        Increasing along axis 0 (one row per grid value).
    grid : array, shape (k,)
        The grid.

    Returns
    -------
    array, shape (n,)
        Piecewise-linear inverse, extrapolated linearly beyond the table.

    Examples
    --------
    >>> interpolate_columns([2.5, 0.0], [[1.0, 1.0], [2.0, 2.0], [3.0, 4.0]], [0.0, 1.0, 2.0])
    array([ 1.5, -1. ])
    """
    values = np.asarray(values, dtype=float)
    table = np.asarray(table, dtype=float)
    grid = np.asarray(grid, dtype=float)
    k, n = table.shape
    j = np.clip((table < values[None, :]).sum(axis=0) - 1, 0, k - 2)
    cols = np.arange(n)
    low, high = table[j, cols], table[j + 1, cols]
    weight = (values - low) / np.where(high != low, high - low, np.nan)
    return grid[j] + weight * (grid[j + 1] - grid[j])


def _points(normalization, hourly):
    source = normalization.frame[normalization.frame["valid"]] if hourly else normalization.daily
    missing = [c for c in _INPUTS if c not in source]
    if missing:
        raise InputError(f"model-based monitoring needs the {', '.join(missing)} of the log")
    points = source[list(_INPUTS)].replace([np.inf, -np.inf], np.nan).dropna()
    points = points[(points["permeate_flow_m3_h"] > 0) & (points["salt_passage_pct"] > 0)]
    if points.empty:
        raise InputError("model-based monitoring: no complete operating point in the log")
    return points


def _slopes(history):
    """Per point d(permeate flow)/d(fouling factor) and d(salinity/B)/d(fouling factor) from
    the last two calls (NaN where the two calls are too close)."""
    (f0, _, q0, h0), (f1, _, q1, h1) = history[-2], history[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        close = np.abs(f1 - f0) <= 1e-9 * np.abs(f1)
        return (np.where(close, np.nan, (q1 - q0) / (f1 - f0)),
                np.where(close, np.nan, (h1 - h0) / (f1 - f0)))


def _step(history, target_q, target_c, slopes):
    """The next estimate (f, b): a secant step through the last two calls, else a Newton step
    with the given slopes, else a proportional step (where a slope is missing or flat)."""
    f1, _, q1, h1 = history[-1]
    slope_q, slope_h = _slopes(history) if len(history) >= 2 else (slopes if slopes is not None else
                                                                     (np.full_like(f1, np.nan),) * 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        newton = f1 + (target_q - q1) / slope_q
        ok = np.isfinite(newton) & (np.abs(slope_q) > 0)
        f = np.where(ok, newton, f1 * target_q / q1)
        h = np.where(ok & np.isfinite(slope_h), h1 + slope_h * (f - f1), h1)
        f = np.clip(np.where(np.isfinite(f), f, f1), *FOULING_BOUNDS)
        b = np.clip(np.where(np.isfinite(h) & (h > 0), target_c / h, history[-1][1]), *SALT_BOUNDS)
    return f, b


def _fit(system, inputs, target_q, target_c, f, b, calls, slopes=None):
    """``calls`` vectorised engine calls from (f, b); returns the estimate, the feasibility,
    the permeate-flow residual of the last call [%] and the slopes of the last two calls."""
    history = []
    feasible = np.ones(len(target_q), dtype=bool)
    for call in range(calls):
        if call:
            f, b = _step(history, target_q, target_c, slopes)
        result = project(system, **inputs, fouling_factor=f, salt_permeability_factor=b)
        q = np.asarray(result.permeate_flow, dtype=float).reshape(-1) * 3600.0
        c = np.asarray(result.permeate_tds, dtype=float).reshape(-1)
        feasible &= np.asarray(result.feasible, dtype=bool).reshape(-1) & np.isfinite(q) & np.isfinite(c) & (c > 0)
        history.append((f, b, q, c / b))
    fitted_f, fitted_b = _step(history, target_q, target_c, slopes)
    with np.errstate(divide="ignore", invalid="ignore"):
        residual = 100.0 * (history[-1][2] / target_q - 1.0)
    return fitted_f, fitted_b, feasible, residual, (_slopes(history) if len(history) >= 2 else slopes)


def fit_membrane_state(normalization, design, hourly=False, calls=None, window_days=15):
    r"""Fouling factor and salt-permeability factor that make the RO engine match the plant.

    Parameters
    ----------
    normalization : osmolab.operations.Normalization
        A normalised log.
    design : path, dict, Design or System
        The plant's design file (see :func:`osmolab.ro.design.load_design`); its fouling
        factor is replaced, and its salt permeability multiplied, by the fitted values.
    hourly : bool, default False
        Fit every valid row of the log (8,760 points for a year of hourly data) instead of
        the daily medians; the daily columns are then the medians of the hourly fits.
    calls : int, optional
        Engine calls over all points: default 3 for the daily fit (at least 2) and 1 for the
        hourly one (at least 1), which starts from the daily fit.
    window_days : int, default 15
        Window of the centred rolling median of the smoothed series [days], applied within
        the periods between cleanings (never across one).

    Returns
    -------
    pandas.DataFrame
        Per day (index: UTC midnight): ``fouling_factor`` and ``salt_permeability_factor``
        (fitted, [-]), their ``*_smoothed`` rolling medians, ``feasible`` (every projection
        of the day converged) and ``points`` (operating points fitted that day). With
        ``hourly=True`` the frame of every hour is in ``result.attrs["points"]`` (with the
        ``permeate_flow_residual_pct`` of the last engine call).

    Notes
    -----
    With :math:`Q_m` and :math:`C_m` the measured permeate flow and salinity, and
    :math:`Q(f, b)`, :math:`C(f, b)` the engine's at fouling factor :math:`f` and
    salt-permeability factor :math:`b`, the daily fit makes call 1 at
    :math:`(f_0, b_0) = (f_d, 1)`, with :math:`f_d` the design's fouling factor; call 2 at
    :math:`f_1 = f_0 Q_m / Q_0`, :math:`b_1 = C_m / h_0` with :math:`h = C/b`; then
    :math:`f_{k+1} = f_k + (Q_m - Q_k)(f_k - f_{k-1})/(Q_k - Q_{k-1})` and
    :math:`b_{k+1} = C_m / h(f_{k+1})`, :math:`h` interpolated linearly in :math:`f`. The
    estimate returned is the step after the last call. The hourly fit starts every hour at
    its day's fitted state and takes a Newton step with the day's slopes
    :math:`\partial Q/\partial f` and :math:`\partial h/\partial f`, then secant steps.
    The measured permeate salinity [kg/kg] is taken to mg/L with the seawater density.
    """
    calls = (HOURLY_CALLS if hourly else FIT_CALLS) if calls is None else int(calls)
    if calls < (1 if hourly else 2):
        raise InputError(f"model-based monitoring needs at least {1 if hourly else 2} engine calls")
    system = design if isinstance(design, System) else load_design(design).to_system()

    def prepare(points):
        inputs = {"feed_pressure": points["feed_pressure_bar"].to_numpy(),
                  "feed_flow": points["feed_flow_m3_h"].to_numpy(),
                  "temperature": points["temperature_C"].to_numpy(),
                  "feed_salinity": points["feed_salinity_g_kg"].to_numpy()}
        permeate_s = (points["salt_passage_pct"].to_numpy() / 100.0
                      * points["feed_salinity_g_kg"].to_numpy() / 1000.0)
        target_c = permeate_s * seawater_density(permeate_s, 273.15 + inputs["temperature"]) * 1e3  # mg/L
        return inputs, points["permeate_flow_m3_h"].to_numpy(), target_c

    days = _points(normalization, hourly=False)
    inputs, target_q, target_c = prepare(days)
    n = len(days)
    f, b, feasible, residual, slopes = _fit(system, inputs, target_q, target_c,
                                            np.full(n, float(system.fouling_factor)), np.ones(n),
                                            FIT_CALLS if hourly else calls)
    points = pd.DataFrame({"fouling_factor": np.where(feasible, f, np.nan),
                           "salt_permeability_factor": np.where(feasible, b, np.nan),
                           "feasible": feasible, "permeate_flow_residual_pct": residual}, index=days.index)
    if hourly:
        hours = _points(normalization, hourly=True)
        position = np.clip(np.searchsorted(days.index.asi8 * _to_ns(days.index),
                                           hours.index.normalize().asi8 * _to_ns(hours.index), side="right") - 1,
                           0, n - 1)
        usable = feasible & np.isfinite(f) & np.isfinite(slopes[0])
        fill = {"f": np.nanmedian(f[usable]), "b": np.nanmedian(b[usable]),
                "q": np.nanmedian(slopes[0][usable]), "h": np.nanmedian(slopes[1][usable])}
        pick = usable[position]
        start_f = np.where(pick, f[position], fill["f"])
        start_b = np.where(pick, b[position], fill["b"])
        day_slopes = (np.where(pick, slopes[0][position], fill["q"]), np.where(pick, slopes[1][position], fill["h"]))
        inputs, target_q, target_c = prepare(hours)
        f, b, feasible, residual, _ = _fit(system, inputs, target_q, target_c, start_f, start_b, calls, day_slopes)
        points = pd.DataFrame({"fouling_factor": np.where(feasible, f, np.nan),
                               "salt_permeability_factor": np.where(feasible, b, np.nan),
                               "feasible": feasible, "permeate_flow_residual_pct": residual}, index=hours.index)

    day = points.index.normalize()
    out = points.groupby(day).agg(
        fouling_factor=("fouling_factor", "median"),
        salt_permeability_factor=("salt_permeability_factor", "median"),
        feasible=("feasible", "all"), points=("feasible", "size"))
    out.index.name = "time"
    cleanings = np.sort(np.asarray([pd.Timestamp(c).value for c in normalization.cleanings], dtype=np.int64))
    period = np.searchsorted(cleanings, out.index.asi8 * _to_ns(out.index), side="right")
    for name in ("fouling_factor", "salt_permeability_factor"):
        out[f"{name}_smoothed"] = (
            out[name].where(out["feasible"]).groupby(period)
            .transform(lambda s: s.rolling(window_days, center=True, min_periods=1).median()))
    if hourly:
        out.attrs["points"] = points
    return out


def fit_fouling_factor(normalization, design, window_days=15):
    """Daily fouling factor (and salt-permeability factor) fitted with the RO engine.

    The daily form of :func:`fit_membrane_state` (kept for its callers).

    Parameters
    ----------
    normalization : osmolab.operations.Normalization
        A normalised log (its daily medians give the operating points).
    design : path, dict or Design
        The plant's design file.
    window_days : int, default 15
        Window of the rolling median [days].

    Returns
    -------
    pandas.DataFrame
        As :func:`fit_membrane_state`.
    """
    return fit_membrane_state(normalization, design, hourly=False, window_days=window_days)


def _to_ns(index):
    """Factor taking ``index.asi8`` to nanoseconds (pandas may store other resolutions)."""
    return int(np.timedelta64(1, index.unit) / np.timedelta64(1, "ns"))
