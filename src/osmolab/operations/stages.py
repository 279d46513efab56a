"""Per-stage comparison of a plant log with its model: where does the plant depart from it?

The daily operating points of a normalised log (feed pressure, feed flow, temperature, feed
salinity) are projected with the plant's design, in one vectorised engine call, at the design's
membrane state or at a fitted one (:func:`osmolab.operations.fit_membrane_state`), and what the
log measured per stage is set beside what the engine projects:

* the feed pressure of stage 2 (the interstage pressure, read as the first stage's
  concentrate pressure before any booster, plus the design's booster),
* the feed-to-concentrate pressure drop of each stage (from the interstage pressure),
* the permeate flow of each stage (stage 1 from a logged first-stage permeate flow, stage 2
  the rest; a single-stage train: the permeate flow).

A membrane state fitted to the whole train absorbs what all the stages share (fouling of the
lead elements, a rise of B everywhere); what is left is local. Scaling of the last stage shows
as its pressure drop (and permeate flow) departing from the model while stage 1 stays on it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..ro.config import System
from ..ro.design import load_design, project
from .cleaning import TRIGGERS

__all__ = ["compare_stages", "stage_summary", "STAGE_QUANTITIES"]

#: Quantities compared per stage: name -> (label, unit, trigger of a departure [-], direction:
#: +1 a rise departs, -1 a fall, 0 either). The triggers are the cleaning triggers of
#: :data:`osmolab.operations.TRIGGERS` (pressure drop +15 %, permeate flow -10 %).
STAGE_QUANTITIES = {
    "feed_pressure": ("feed pressure", "bar", 0.05, 0),
    "pressure_drop": ("pressure drop", "bar", TRIGGERS["pressure_drop_change"], 1),
    "permeate_flow": ("permeate flow", "m3/h", -TRIGGERS["permeate_flow_change"], -1),
}
_INPUTS = ("feed_pressure_bar", "feed_flow_m3_h", "temperature_C", "feed_salinity_g_kg")


def _state(days, membrane_state):
    """Per-day fouling and salt-permeability factors (smoothed where given), or none."""
    if membrane_state is None:
        return {}
    out = {}
    for name in ("fouling_factor", "salt_permeability_factor"):
        for column in (f"{name}_smoothed", name):
            if column in membrane_state:
                values = membrane_state[column].reindex(days).to_numpy(dtype=float)
                if np.isfinite(values).any():
                    fill = float(np.nanmedian(values))
                    out[name] = np.where(np.isfinite(values), values, fill)
                break
    return out


def _measured(daily, stage, stages, booster):
    """Measured feed pressure, pressure drop and permeate flow of ``stage`` (1-based) [bar, m3/h]."""
    nan = np.full(len(daily), np.nan)

    def column(name):
        return daily[name].to_numpy(dtype=float) if name in daily else nan

    total = column("permeate_flow_m3_h")
    stage1_flow = column("stage1_permeate_flow_m3_h")
    if stages == 1:
        drop = column("pressure_drop_bar")
        drop = np.where(drop > 0, drop, np.nan)  # no concentrate pressure in the log
        return {"feed_pressure": column("feed_pressure_bar"), "pressure_drop": drop, "permeate_flow": total}
    if stage == 1:
        return {"feed_pressure": column("feed_pressure_bar"), "pressure_drop": column("pressure_drop_stage1_bar"),
                "permeate_flow": stage1_flow}
    if stage == 2 and stages == 2:  # the interstage pressure is read before the booster
        return {"feed_pressure": column("interstage_pressure_bar") + booster,
                "pressure_drop": column("pressure_drop_stage2_bar") + booster,
                "permeate_flow": total - stage1_flow}
    return {"feed_pressure": nan, "pressure_drop": nan, "permeate_flow": nan}


def compare_stages(normalization, design, membrane_state=None):
    """Measured against projected per stage, day by day.

    Parameters
    ----------
    normalization : osmolab.operations.Normalization
        A normalised log (its daily medians are projected).
    design : path, dict, Design or System
        The plant's design file.
    membrane_state : pandas.DataFrame, optional
        From :func:`osmolab.operations.fit_membrane_state`: the projection takes each day's
        fitted (smoothed) fouling and salt-permeability factors; default the design's state.

    Returns
    -------
    pandas.DataFrame
        Long table, one row per day, stage and quantity: ``time``, ``stage``, ``quantity``
        (``feed_pressure`` [bar], ``pressure_drop`` [bar], ``permeate_flow`` [m3/h]),
        ``measured``, ``projected`` and ``deviation_pct`` (measured / projected - 1, [%]);
        rows whose quantity the log does not hold are left out. The first pass of the design
        is compared (the log is of one train).
    """
    daily = normalization.daily
    missing = [c for c in _INPUTS if c not in daily]
    if missing:
        raise InputError(f"the stage comparison needs the daily {', '.join(missing)}")
    days = daily.dropna(subset=list(_INPUTS))
    if days.empty:
        raise InputError("the stage comparison: no day with a complete operating point")
    system = design if isinstance(design, System) else load_design(design).to_system()
    result = project(system, feed_pressure=days["feed_pressure_bar"].to_numpy(),
                     feed_flow=days["feed_flow_m3_h"].to_numpy(), temperature=days["temperature_C"].to_numpy(),
                     feed_salinity=days["feed_salinity_g_kg"].to_numpy(), **_state(days.index, membrane_state))
    feasible = np.asarray(result.feasible, dtype=bool).reshape(-1)
    tables = [result.stages_frame(case) for case in range(len(days))]
    stages = int((tables[0]["pass"] == 1).sum())
    rows = []
    for stage in range(1, stages + 1):
        projected = {q: np.array([float(t.loc[(t["pass"] == 1) & (t["stage"] == stage), f"{q}_{u}"].iloc[0])
                                  if ok else np.nan for t, ok in zip(tables, feasible, strict=True)])
                     for q, u in (("feed_pressure", "bar"), ("pressure_drop", "bar"), ("permeate_flow", "m3_h"))}
        first = tables[0]
        booster = float(first.loc[(first["pass"] == 1) & (first["stage"] == stage), "booster_pressure_bar"].iloc[0])
        measured = _measured(days, stage, stages, booster)
        for quantity in STAGE_QUANTITIES:
            if stage == 1 and quantity == "feed_pressure":
                continue  # the projection's input: equal by construction
            m = measured[quantity]
            if not np.isfinite(m).any():
                continue
            with np.errstate(divide="ignore", invalid="ignore"):
                deviation = 100.0 * (m / projected[quantity] - 1.0)
            rows.append(pd.DataFrame({"time": days.index, "stage": stage, "quantity": quantity, "measured": m,
                                      "projected": projected[quantity], "deviation_pct": deviation}))
    if not rows:
        raise InputError("the log holds no per-stage quantity to compare with the model")
    return pd.concat(rows, ignore_index=True)


def stage_summary(comparison, days=14):
    """Per stage and quantity: measured, projected and their deviation at the start and now.

    Parameters
    ----------
    comparison : pandas.DataFrame
        From :func:`compare_stages`.
    days : int, default 14
        Days of the first and the last window (medians).

    Returns
    -------
    pandas.DataFrame
        One row per stage and quantity: ``stage``, ``quantity``, ``unit``, ``measured`` and
        ``projected`` (medians of the last window), ``deviation_start_pct``,
        ``deviation_now_pct``, ``change_pct`` (now - start, percentage points) and
        ``departs`` (the change passes the quantity's trigger of :data:`STAGE_QUANTITIES`:
        +15 % for a pressure drop, -10 % for a permeate flow, +-5 % for a feed pressure).
    """
    out = []
    for (stage, quantity), group in comparison.groupby(["stage", "quantity"], sort=True):
        group = group.sort_values("time").dropna(subset=["deviation_pct"])
        if group.empty:
            continue
        start, now = group.iloc[:days], group.iloc[-days:]
        _, unit, trigger, direction = STAGE_QUANTITIES[quantity]
        change = float(now["deviation_pct"].median() - start["deviation_pct"].median())
        departs = abs(change) > 100 * trigger if direction == 0 else direction * change > 100 * trigger
        out.append({"stage": int(stage), "quantity": quantity, "unit": unit,
                    "measured": float(now["measured"].median()), "projected": float(now["projected"].median()),
                    "deviation_start_pct": float(start["deviation_pct"].median()),
                    "deviation_now_pct": float(now["deviation_pct"].median()),
                    "change_pct": change, "departs": bool(departs)})
    return pd.DataFrame(out)
