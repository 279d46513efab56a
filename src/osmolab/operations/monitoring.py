"""Model-based monitoring: the fouling factor that makes the RO engine match the plant.

For each day of a normalised log, the plant's design is projected at the logged feed
pressure, feed flow, temperature and feed salinity for a few fouling factors (one vectorised
engine call per factor, all days at once), and the fouling factor whose projected permeate
flow equals the logged one is interpolated. Unlike the ASTM D4516 normalised flow, this
accounts for how the flux moves between the elements of the train, so the season does not
show up as fouling; a rolling median over two weeks (within the periods between cleanings) takes out most of
the sensor noise.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..errors import InputError
from ..ro.design import load_design, project

__all__ = ["FOULING_GRID", "fit_fouling_factor", "interpolate_columns"]

#: Fouling factors (multipliers of the water permeability A) projected for every day [-].
FOULING_GRID = (0.6, 0.75, 0.9, 1.05, 1.2)
_INPUTS = ("feed_pressure_bar", "feed_flow_m3_h", "temperature_C", "feed_salinity_g_kg",
           "permeate_flow_m3_h")


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


def fit_fouling_factor(normalization, design, grid=FOULING_GRID, window_days=15):
    """Daily fouling factor of the plant fitted with the RO engine.

    Parameters
    ----------
    normalization : osmolab.operations.Normalization
        A normalised log (its daily medians give the operating points).
    design : path, dict or Design
        The plant's design file (see :func:`osmolab.ro.design.load_design`); its own fouling
        factor is replaced by the grid values.
    grid : sequence of float, default (0.6, 0.75, 0.9, 1.05, 1.2)
        Fouling factors projected [-].
    window_days : int, default 15
        Window of the centred rolling median of the smoothed series [days], applied within
        the periods between cleanings (never across one).

    Returns
    -------
    pandas.DataFrame
        Per day: ``fouling_factor`` (fitted, [-]), ``fouling_factor_smoothed`` (rolling
        median) and ``feasible`` (all projections of the day converged).
    """
    daily = normalization.daily
    missing = [c for c in _INPUTS if c not in daily]
    if missing:
        raise InputError(f"model-based monitoring needs the daily {', '.join(missing)}")
    days = daily[list(_INPUTS)].dropna()
    if days.empty:
        raise InputError("model-based monitoring: no day with a complete operating point")
    system = load_design(design).to_system()
    flows, feasible = [], np.ones(len(days), dtype=bool)
    for factor in grid:  # one vectorised engine call per fouling factor, all days at once
        result = project(dataclasses.replace(system, fouling_factor=float(factor)),
                         feed_pressure=days["feed_pressure_bar"].to_numpy(),
                         feed_flow=days["feed_flow_m3_h"].to_numpy(),
                         temperature=days["temperature_C"].to_numpy(),
                         feed_salinity=days["feed_salinity_g_kg"].to_numpy())
        flows.append(np.asarray(result.permeate_flow, dtype=float) * 3600.0)
        feasible &= np.asarray(result.feasible, dtype=bool)
    fitted = interpolate_columns(days["permeate_flow_m3_h"].to_numpy(), np.array(flows), grid)
    out = pd.DataFrame({"fouling_factor": fitted, "feasible": feasible}, index=days.index)
    # smooth within the periods between cleanings, never across one (a cleaning is a step)
    cleanings = np.sort(np.asarray([pd.Timestamp(c).value for c in normalization.cleanings], dtype=np.int64))
    period = np.searchsorted(cleanings, out.index.asi8 * _to_ns(out.index), side="right")
    out["fouling_factor_smoothed"] = (
        out["fouling_factor"].where(out["feasible"]).groupby(period)
        .transform(lambda s: s.rolling(window_days, center=True, min_periods=1).median()))
    return out


def _to_ns(index):
    """Factor taking ``index.asi8`` to nanoseconds (pandas may store other resolutions)."""
    return int(np.timedelta64(1, index.unit) / np.timedelta64(1, "ns"))
