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
fouling factor and for the ratio permeate salinity / B (nearly independent of B), so two
engine calls give the fit and a third confirms it. Unlike the ASTM D4516 normalised flow, the
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

__all__ = ["fit_membrane_state", "fit_fouling_factor", "interpolate_columns", "FIT_CALLS"]

#: Engine calls of the fit (each one vectorised over all points): design state, proportional
#: step, then secant steps.
FIT_CALLS = 3
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


def _secant(x0, y0, x1, y1, target):
    """One secant step per point towards ``y = target`` (proportional where flat)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (y1 - y0) / (x1 - x0)
        step = x1 + (target - y1) / slope
        proportional = x1 * target / y1
    ok = np.isfinite(step) & (np.abs(x1 - x0) > 1e-9 * np.abs(x1))
    return np.where(ok, step, proportional)


def fit_membrane_state(normalization, design, hourly=False, calls=FIT_CALLS, window_days=15):
    """Fouling factor and salt-permeability factor that make the RO engine match the plant.

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
    calls : int, default 3
        Engine calls (each vectorised over all points), at least 2.
    window_days : int, default 15
        Window of the centred rolling median of the smoothed series [days], applied within
        the periods between cleanings (never across one).

    Returns
    -------
    pandas.DataFrame
        Per day (index: UTC midnight): ``fouling_factor`` and ``salt_permeability_factor``
        (fitted, [-]), their ``*_smoothed`` rolling medians, ``feasible`` (every projection
        of the day converged) and ``points`` (operating points fitted that day). With
        ``hourly=True`` the frame of every hour is in ``result.attrs["points"]``.

    Notes
    -----
    With :math:`Q_m` and :math:`C_m` the measured permeate flow and salinity, and
    :math:`Q(f, b)`, :math:`C(f, b)` the engine's at fouling factor :math:`f` and
    salt-permeability factor :math:`b`: call 1 at :math:`(f_0, b_0) = (f_d, 1)`, with
    :math:`f_d` the design's fouling factor; call 2 at :math:`f_1 = f_0 Q_m / Q_0`,
    :math:`b_1 = C_m / h_0` with :math:`h = C/b`; then
    :math:`f_{k+1} = f_k + (Q_m - Q_k)(f_k - f_{k-1})/(Q_k - Q_{k-1})` and
    :math:`b_{k+1} = C_m / h(f_{k+1})`, :math:`h` interpolated linearly in :math:`f`.
    The measured permeate salinity [kg/kg] is taken to mg/L with the seawater density.
    """
    if int(calls) < 2:
        raise InputError("model-based monitoring needs at least 2 engine calls")
    points = _points(normalization, hourly)
    system = design if isinstance(design, System) else load_design(design).to_system()
    inputs = {"feed_pressure": points["feed_pressure_bar"].to_numpy(),
              "feed_flow": points["feed_flow_m3_h"].to_numpy(),
              "temperature": points["temperature_C"].to_numpy(),
              "feed_salinity": points["feed_salinity_g_kg"].to_numpy()}
    target_q = points["permeate_flow_m3_h"].to_numpy()
    permeate_s = points["salt_passage_pct"].to_numpy() / 100.0 * points["feed_salinity_g_kg"].to_numpy() / 1000.0
    target_c = permeate_s * seawater_density(permeate_s, 273.15 + inputs["temperature"]) * 1e3  # mg/L

    n = len(points)
    f = np.full(n, float(system.fouling_factor))
    b = np.ones(n)
    history = []
    feasible = np.ones(n, dtype=bool)
    for call in range(int(calls)):
        result = project(system, **inputs, fouling_factor=f, salt_permeability_factor=b)
        q = np.asarray(result.permeate_flow, dtype=float).reshape(n) * 3600.0
        c = np.asarray(result.permeate_tds, dtype=float).reshape(n)
        ok = np.asarray(result.feasible, dtype=bool).reshape(n) & np.isfinite(q) & np.isfinite(c) & (c > 0)
        feasible = ok if call == 0 else feasible & ok
        history.append((f, b, q, c / b))
        if call == int(calls) - 1:
            break
        if call == 0:
            f_new = f * target_q / q
            h_new = c / b
        else:
            (f0, _, q0, h0), (f1, _, q1, h1) = history[-2], history[-1]
            f_new = _secant(f0, q0, f1, q1, target_q)
            with np.errstate(divide="ignore", invalid="ignore"):
                h_new = np.where(np.abs(f1 - f0) > 1e-9, h1 + (h1 - h0) * (f_new - f1) / (f1 - f0), h1)
        f = np.clip(np.where(np.isfinite(f_new), f_new, f), *FOULING_BOUNDS)
        with np.errstate(divide="ignore", invalid="ignore"):
            b = np.clip(np.where(np.isfinite(h_new) & (h_new > 0), target_c / h_new, b), *SALT_BOUNDS)
    # the last call checks the fit: the calls' last point is the estimate, refined once more
    (f0, _, q0, h0), (f1, _, q1, h1) = history[-2], history[-1]
    fitted_f = np.clip(_secant(f0, q0, f1, q1, target_q), *FOULING_BOUNDS)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(np.abs(f1 - f0) > 1e-9, h1 + (h1 - h0) * (fitted_f - f1) / (f1 - f0), h1)
        fitted_b = np.clip(target_c / h, *SALT_BOUNDS)
    hours = pd.DataFrame({
        "fouling_factor": np.where(feasible, fitted_f, np.nan),
        "salt_permeability_factor": np.where(feasible, fitted_b, np.nan),
        "feasible": feasible,
        "permeate_flow_residual_pct": 100.0 * (q1 / target_q - 1.0),
    }, index=points.index)

    day = hours.index.normalize()
    out = hours.groupby(day).agg(
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
        out.attrs["points"] = hours
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
