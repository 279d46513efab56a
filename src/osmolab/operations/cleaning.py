"""Cleaning triggers, cleaning events and robust trends of normalised plant data.

The triggers follow the FilmTec guidance: clean when, against the reference (the first days
after start-up or the last cleaning), the normalised permeate flow has fallen by 10 %, the
normalised salt passage has risen by 5-10 % or the normalised pressure drop has risen by
10-15 %. Trends are Theil-Sen lines (the median of the pairwise slopes), which a few
outliers do not move, fitted to daily medians since the last cleaning; the projected date of
the next clean is where the trend meets the first trigger.

References
----------
.. [1] DuPont Water Solutions, FilmTec Reverse Osmosis Membranes Technical Manual, Form No.
   45-D01504-en, "Cleaning and Sanitization: when to clean".
.. [2] Sen, P. K., 1968, Estimates of the regression coefficient based on Kendall's tau,
   Journal of the American Statistical Association 63, 1379-1389.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["TRIGGERS", "Trend", "daily_medians", "detect_cleanings", "trend", "triggers"]

#: Cleaning triggers [1]: change of the normalised quantity against the reference [-] and the
#: direction that calls for a clean.
TRIGGERS = {
    "permeate_flow_change": -0.10,   # normalised permeate flow down 10 %
    "salt_passage_change": 0.10,     # normalised salt passage up 5-10 % (the upper value)
    "pressure_drop_change": 0.15,    # normalised pressure drop up 10-15 % (the upper value)
}

#: A rise of the daily normalised permeate flow by more than this fraction from one day to the
#: next is taken as a cleaning.
CLEANING_JUMP = 0.04
#: Rises closer than this to a detected cleaning belong to it [days].
MIN_DAYS_BETWEEN_CLEANINGS = 5


def daily_medians(frame, columns):
    """Daily medians of ``columns`` over the valid rows (days without valid rows dropped)."""
    valid = frame[frame["valid"]] if "valid" in frame else frame
    return valid[list(columns)].resample("1D").median().dropna(how="all")


def detect_cleanings(daily, column="permeate_flow_change", jump=CLEANING_JUMP):
    """Days on which the daily normalised permeate flow jumps up by more than ``jump``.

    Parameters
    ----------
    daily : pandas.DataFrame
        Daily medians (index: days) with ``column`` (change against the reference [-]).
    column : str
        The column to watch.
    jump : float, default 0.04
        Smallest day-to-day rise taken as a cleaning [-, fraction of the reference].

    Returns
    -------
    list of pandas.Timestamp
    """
    series = daily[column].dropna()
    if len(series) < 2:
        return []
    values = series.to_numpy()
    before = np.concatenate([[values[0]], values[:-1]])
    # compare with the median of the three days before, so one noisy day is not a cleaning
    previous = pd.Series(before).rolling(3, min_periods=1).median().to_numpy()
    rises = [series.index[i] for i in np.flatnonzero(values - previous > jump)]
    # the days after a cleaning still rise against the three days before it: one event
    events = []
    for day in rises:
        if not events or day - events[-1] > pd.Timedelta(days=MIN_DAYS_BETWEEN_CLEANINGS):
            events.append(day)
    return events


@dataclass
class Trend:
    """A Theil-Sen line of a normalised change [-] against time, and when it meets a trigger.

    Attributes
    ----------
    quantity : str
        ``permeate_flow_change``, ``salt_passage_change`` or ``pressure_drop_change``.
    slope_per_day : float
        [1/day].
    value_now : float
        The line at the last day [-].
    since : pandas.Timestamp
        First day of the fit (the last cleaning, or the start of the log).
    trigger : float
        The trigger of :data:`TRIGGERS` [-].
    projected_date : pandas.Timestamp or None
        Where the line meets the trigger (None when it moves away from it).
    triggered : bool
        The last day's median is past the trigger.
    """

    quantity: str
    slope_per_day: float
    value_now: float
    since: pd.Timestamp
    trigger: float
    projected_date: pd.Timestamp | None
    triggered: bool

    def to_dict(self) -> dict:
        return {
            "slope_pct_per_day": 100.0 * self.slope_per_day,
            "change_now_pct": 100.0 * self.value_now,
            "since": str(self.since.date()),
            "trigger_pct": 100.0 * self.trigger,
            "triggered": bool(self.triggered),
            "projected_clean_date": None if self.projected_date is None else str(self.projected_date.date()),
        }


def trend(daily, quantity, since=None, trigger=None):
    """Theil-Sen trend of one daily series and the projected date it meets its trigger.

    Parameters
    ----------
    daily : pandas.DataFrame
        Daily medians with a ``quantity`` column [-].
    quantity : str
        A key of :data:`TRIGGERS`.
    since : pandas.Timestamp, optional
        First day of the fit (default: the whole series).
    trigger : float, optional
        Default: ``TRIGGERS[quantity]``.

    Returns
    -------
    Trend or None
        None when fewer than three days hold a value.
    """
    from scipy.stats import theilslopes  # lazy: scipy.stats is slow to import

    trigger = TRIGGERS[quantity] if trigger is None else trigger
    series = daily[quantity].dropna() if quantity in daily else pd.Series(dtype=float)
    if since is not None:
        series = series[series.index >= since]
    if len(series) < 3:
        return None
    days = (series.index - series.index[0]) / pd.Timedelta(days=1)
    days = np.asarray(days, dtype=float)
    slope, intercept, _, _ = theilslopes(series.to_numpy(), days)
    now = intercept + slope * days[-1]
    triggered = bool((series.iloc[-1] - trigger) * np.sign(trigger) >= 0)
    projected = None
    towards = slope * np.sign(trigger) > 0
    if triggered:
        projected = series.index[-1]
    elif towards:
        projected = series.index[0] + pd.Timedelta(days=float((trigger - intercept) / slope))
    return Trend(quantity, float(slope), float(now), series.index[0], float(trigger), projected, triggered)


def triggers(daily, cleanings=(), thresholds=None):
    """Trends since the last cleaning and the projected date of the next clean.

    Parameters
    ----------
    daily : pandas.DataFrame
        Daily medians with the columns of :data:`TRIGGERS`.
    cleanings : sequence of pandas.Timestamp
        Detected or known cleanings; the trends start at the last one.
    thresholds : dict, optional
        Replacements for :data:`TRIGGERS`, and triggers of further daily columns (the
        per-stage ``pressure_drop_stage1_change``, ...).

    Returns
    -------
    dict
        ``trends`` (quantity -> :class:`Trend`), ``next_clean`` (the earliest projected date,
        or None) and ``reason`` (the quantity that sets it).
    """
    limits = dict(TRIGGERS, **(thresholds or {}))  # stage keys (pressure_drop_stage1_change) too
    since = max(cleanings) if len(cleanings) else None
    trends = {}
    for quantity, limit in limits.items():
        fitted = trend(daily, quantity, since=since, trigger=limit)
        if fitted is not None:
            trends[quantity] = fitted
    dated = [(t.projected_date, q) for q, t in trends.items() if t.projected_date is not None]
    next_clean, reason = min(dated) if dated else (None, None)
    return {"trends": trends, "next_clean": next_clean, "reason": reason}
