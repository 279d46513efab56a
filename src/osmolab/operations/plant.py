"""Normalise a plant log end to end: read, clean, choose the reference, normalise, trend.

:func:`normalize_log` composes :mod:`osmolab.operations.logs`,
:mod:`osmolab.operations.normalization` and :mod:`osmolab.operations.cleaning` and returns a
:class:`Normalization` whose ``frame`` is a pandas DataFrame with unit-named columns and whose
``to_dict()`` feeds the CLI's JSON and the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..constants import BAR
from ..data import path as data_path
from ..errors import InputError
from ..ro.design import project
from . import cleaning, normalization
from .logs import LogQuality, clean_log, read_log

__all__ = ["Normalization", "normalize_log", "reference_from_design", "parse_period", "BUNDLED_LOGS"]

#: Bundled logs: name -> file in osmolab/data (see scripts/make_operations_log.py).
BUNDLED_LOGS = {"example": "example_seawater_px_log.csv"}

_M3H = 1.0 / 3600.0


def parse_period(text):
    """``"2026-01-01..2026-01-07"`` -> (start, end) UTC timestamps (the end day included)."""
    if not isinstance(text, str) or ".." not in text:
        raise InputError(f"a reference period is written START..END, e.g. 2026-01-01..2026-01-07, got {text!r}")
    start_text, end_text = (part.strip() for part in text.split("..", 1))
    try:
        start, end = pd.Timestamp(start_text), pd.Timestamp(end_text)
    except ValueError:
        raise InputError(f"cannot read the reference period {text!r}; write e.g. 2026-01-01..2026-01-07") from None
    start = start.tz_localize("UTC") if start.tzinfo is None else start.tz_convert("UTC")
    end = end.tz_localize("UTC") if end.tzinfo is None else end.tz_convert("UTC")
    if len(end_text) <= 10:  # a date: include the whole day
        end = end + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    if end < start:
        raise InputError(f"reference period {text!r} ends before it starts")
    return start, end


def reference_from_design(design):
    """Standard conditions from a plant's design projection (the design point as reference).

    Parameters
    ----------
    design : path, dict or Design
        A design file (see :func:`osmolab.ro.design.load_design`).

    Returns
    -------
    dict
        The keys of :data:`osmolab.operations.normalization.REFERENCE_KEYS` [SI].
    """
    result = project(design)
    data = result.to_dict()
    feed_flow = data["feed_flow_m3_h"] * _M3H
    permeate_flow = data["permeate_flow_m3_h"] * _M3H
    recovery = permeate_flow / feed_flow
    feed_pressure = data["feed_pressure_bar"] * BAR
    pressure_drop = feed_pressure - data["concentrate_pressure_bar"] * BAR
    temperature = float(result.system.feed.temperature)
    feed_s = float(result.system.feed.salinity)
    permeate_s = data["permeate_tds_mg_L"] * 1e-6
    ratio = float(normalization.log_mean_concentration_factor(recovery))
    pi = normalization.seawater_osmotic_pressure
    return {
        "feed_pressure": feed_pressure, "pressure_drop": pressure_drop, "permeate_pressure": 0.0,
        "feed_concentrate_osmotic_pressure": float(pi(min(feed_s * ratio, 0.12), temperature, warn=False)),
        "permeate_osmotic_pressure": float(pi(permeate_s, temperature, warn=False)),
        "temperature": temperature, "permeate_flow": permeate_flow, "concentration_ratio": ratio,
        "feed_concentrate_flow": 0.5 * (feed_flow + feed_flow - permeate_flow),
        "salt_passage": permeate_s / feed_s,
    }


@dataclass
class Normalization:
    """A normalised log.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per log row (index: UTC time) with unit-named columns: the measured
        ``feed_flow_m3_h``, ``feed_salinity_g_kg`` (from the conductivity), ``permeate_flow_m3_h``, ``feed_pressure_bar``, ``temperature_C``, ``recovery``,
        ``ndp_bar``, ``salt_passage_pct``; the normalised ``normalized_permeate_flow_m3_h``,
        ``normalized_salt_passage_pct``, ``normalized_pressure_drop_bar``; their changes against
        the reference ``permeate_flow_change_pct``, ``salt_passage_change_pct``,
        ``pressure_drop_change_pct``; with an interstage pressure in the log, per stage
        ``normalized_pressure_drop_stage1_bar`` and ``pressure_drop_stage1_change_pct`` (and
        stage 2), the measured ``pressure_drop_stage1_bar`` (and 2) and
        ``interstage_pressure_bar``; with a first-stage permeate flow in the log,
        ``stage1_permeate_flow_m3_h``; ``valid`` and the file's ``row``.
    daily : pandas.DataFrame
        Daily medians of the valid rows.
    quality : LogQuality
        What reading and cleaning found.
    reference : dict
        The standard conditions [SI] and how they were chosen (``source``).
    cleanings : list of pandas.Timestamp
        Cleanings detected in the normalised flow (or given).
    assessment : dict
        From :func:`osmolab.operations.cleaning.triggers`.
    """

    frame: pd.DataFrame
    daily: pd.DataFrame
    quality: LogQuality
    reference: dict
    cleanings: list = field(default_factory=list)
    assessment: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Summary with unit-named keys (JSON-ready)."""
        ref = self.reference
        last = self.daily.iloc[-1] if len(self.daily) else pd.Series(dtype=float)
        trends = self.assessment.get("trends", {})
        next_clean = self.assessment.get("next_clean")

        def value(key):
            return float(last[key]) if key in last and np.isfinite(last[key]) else None

        return {
            "rows": int(len(self.frame)), "valid_rows": int(self.frame["valid"].sum()),
            "start": str(self.frame.index[0]) if len(self.frame) else None,
            "end": str(self.frame.index[-1]) if len(self.frame) else None,
            "reference": {
                "source": ref.get("source"),
                "permeate_flow_m3_h": ref["permeate_flow"] / _M3H,
                "feed_pressure_bar": ref["feed_pressure"] / BAR,
                "pressure_drop_bar": ref["pressure_drop"] / BAR,
                "temperature_C": ref["temperature"] - 273.15,
                "ndp_bar": ref["net_driving_pressure"] / BAR,
                "salt_passage_pct": 100.0 * ref["salt_passage"],
            },
            "latest_day": {
                "date": str(self.daily.index[-1].date()) if len(self.daily) else None,
                "normalized_permeate_flow_m3_h": value("normalized_permeate_flow_m3_h"),
                "normalized_salt_passage_pct": value("normalized_salt_passage_pct"),
                "normalized_pressure_drop_bar": value("normalized_pressure_drop_bar"),
                "permeate_flow_change_pct": value("permeate_flow_change_pct"),
                "salt_passage_change_pct": value("salt_passage_change_pct"),
                "pressure_drop_change_pct": value("pressure_drop_change_pct"),
            } | {key: value(key) for key in self.daily.columns if "_stage" in key},
            "cleanings": [str(day.date()) for day in self.cleanings],
            "trends": {q: t.to_dict() for q, t in trends.items()},
            "next_clean_date": None if next_clean is None else str(next_clean.date()),
            "next_clean_reason": self.assessment.get("reason"),
            "quality": self.quality.to_dict(),
        }


def _reference_mask(frame, reference, days):
    valid = frame["valid"].to_numpy()
    if reference is None:
        start = frame.index[valid][0] if valid.any() else frame.index[0]
        mask = np.asarray(frame.index < start + pd.Timedelta(days=days))
        return mask & valid, f"first {days:g} days ({start.date()} on)"
    start, end = parse_period(reference) if isinstance(reference, str) else reference
    mask = np.asarray((frame.index >= start) & (frame.index <= end))
    if not (mask & valid).any():
        raise InputError(f"no valid row of the log lies in the reference period {start.date()}..{end.date()}; "
                         f"the log runs from {frame.index[0].date()} to {frame.index[-1].date()}")
    return mask & valid, f"{start.date()}..{end.date()}"


def normalize_log(source, mapping=None, reference=None, reference_days=7.0, design=None,
                  reference_values=None, timezone="UTC", conductivity_factor=None,
                  cleanings=None, thresholds=None, shutdown_fraction=0.5, sheet=None,
                  temperature_correction=None, osmotic="seawater"):
    """Normalise a plant log (ASTM D4516) and assess when to clean.

    Parameters
    ----------
    source : str, Path or pandas.DataFrame
        The log (CSV, Excel, a frame with the file's headings, or a name of
        :data:`BUNDLED_LOGS`).
    mapping : dict or path, optional
        Column mapping (see :func:`osmolab.operations.logs.load_mapping`).
    reference : str or (Timestamp, Timestamp), optional
        Reference period, ``"2026-01-01..2026-01-07"``; default: the first
        ``reference_days`` days of valid data.
    reference_days : float, default 7
        Length of the default reference period [days].
    design : path or dict, optional
        A design file whose projection gives the standard conditions (the design point).
    reference_values : dict, optional
        Standard conditions given directly (keys of
        :data:`osmolab.operations.normalization.REFERENCE_KEYS`, SI).
    timezone : str, default "UTC"
        Time zone of timestamps written without one.
    conductivity_factor : float, optional
        TDS/conductivity ratio [(mg/L)/(uS/cm)] instead of PSS-78.
    cleanings : sequence of str or Timestamp, optional
        Known cleaning dates (default: detected from jumps of the normalised flow).
    thresholds : dict, optional
        Replacements for :data:`osmolab.operations.cleaning.TRIGGERS` [-].
    shutdown_fraction : float, default 0.5
        Feed flow below this fraction of its median marks a shutdown.
    sheet : str, optional
        Sheet of an Excel log (default: the first).
    temperature_correction : str or callable, optional
        Temperature-correction factor (default: FilmTec's; a vendor's table through
        :func:`osmolab.operations.normalization.temperature_correction_table`).
    osmotic : {"seawater", "tds_rule"}, default "seawater"
        Osmotic-pressure estimate (see
        :func:`osmolab.operations.normalization.operating_state`); ``"tds_rule"`` needs the
        reference from the log or from ``reference_values``.

    Returns
    -------
    Normalization

    Examples
    --------
    >>> result = normalize_log("example")
    >>> round(float(result.frame["normalized_permeate_flow_m3_h"].iloc[:24].median()), -1)
    180.0
    >>> result.to_dict()["cleanings"]
    ['2026-07-20']
    """
    if design is not None and reference_values is None and osmotic != "seawater":
        raise InputError(f"osmotic={osmotic!r} cannot be used with a design reference (its osmotic "
                         "pressures are the seawater ones); give a reference period or reference_values")
    if isinstance(source, str) and source in BUNDLED_LOGS:
        source = data_path(BUNDLED_LOGS[source])
    frame, quality = read_log(source, mapping=mapping, timezone=timezone, sheet=sheet)
    frame = clean_log(frame, quality, shutdown_fraction=shutdown_fraction)
    state = normalization.operating_state(frame, conductivity_factor=conductivity_factor, osmotic=osmotic)
    if reference_values is not None:
        ref = dict(reference_values)
        ref.setdefault("source", "given values")
    elif design is not None:
        ref = reference_from_design(design)
        ref["source"] = "design projection"
    else:
        mask, label = _reference_mask(frame, reference, reference_days)
        ref = normalization.reference_conditions(state, mask)
        ref["source"] = label
    ref.setdefault("net_driving_pressure", float(normalization.net_driving_pressure(
        ref["feed_pressure"], ref["pressure_drop"], ref["permeate_pressure"],
        ref["feed_concentrate_osmotic_pressure"], ref["permeate_osmotic_pressure"])))
    table_range = getattr(temperature_correction, "range", None)
    if table_range is not None:  # a vendor's table: every valid row must lie inside it
        t = state["temperature"]
        outside = frame["valid"].to_numpy() & ((t < table_range[0] - 1e-9) | (t > table_range[1] + 1e-9))
        if outside.any():
            raise InputError(f"{int(outside.sum())} valid rows of the log lie outside the temperature-correction "
                             f"table ({table_range[0] - 273.15:.1f} to {table_range[1] - 273.15:.1f} degC), "
                             f"e.g. {t[outside][0] - 273.15:.1f} degC; extend the table")
    result = normalization.normalize(state, ref, temperature_correction=temperature_correction)

    out = pd.DataFrame({
        "row": frame["row"].to_numpy(),
        "valid": frame["valid"].to_numpy(),
        "feed_flow_m3_h": frame["feed_flow"].to_numpy() / _M3H,
        "feed_salinity_g_kg": 1000.0 * state["feed_salinity"],
        "permeate_flow_m3_h": state["permeate_flow"] / _M3H,
        "feed_pressure_bar": state["feed_pressure"] / BAR,
        "pressure_drop_bar": state["pressure_drop"] / BAR,
        "temperature_C": state["temperature"] - 273.15,
        "recovery": state["recovery"],
        "ndp_bar": state["net_driving_pressure"] / BAR,
        "salt_passage_pct": 100.0 * state["salt_passage"],
        "normalized_permeate_flow_m3_h": result["normalized_permeate_flow"] / _M3H,
        "normalized_salt_passage_pct": 100.0 * result["normalized_salt_passage"],
        "normalized_pressure_drop_bar": result["normalized_pressure_drop"] / BAR,
        "permeate_flow_change_pct": 100.0 * result["permeate_flow_change"],
        "salt_passage_change_pct": 100.0 * result["salt_passage_change"],
        "pressure_drop_change_pct": 100.0 * result["pressure_drop_change"],
    }, index=frame.index)
    for n in normalization.STAGES:  # the measured per-stage values (model comparison)
        if f"pressure_drop_stage{n}" in state:
            out[f"pressure_drop_stage{n}_bar"] = state[f"pressure_drop_stage{n}"] / BAR
    if "interstage_pressure" in frame:
        out["interstage_pressure_bar"] = frame["interstage_pressure"].to_numpy() / BAR
    if "stage1_permeate_flow" in frame:
        out["stage1_permeate_flow_m3_h"] = frame["stage1_permeate_flow"].to_numpy() / _M3H
    limits = dict(cleaning.TRIGGERS, **(thresholds or {}))
    for n in normalization.STAGES:
        if f"normalized_pressure_drop_stage{n}" in result:
            out[f"normalized_pressure_drop_stage{n}_bar"] = result[f"normalized_pressure_drop_stage{n}"] / BAR
            out[f"pressure_drop_stage{n}_change_pct"] = 100.0 * result[f"pressure_drop_stage{n}_change"]
            limits.setdefault(f"pressure_drop_stage{n}_change", limits["pressure_drop_change"])
    columns = [c for c in out.columns if c not in ("row", "valid")]
    daily = cleaning.daily_medians(out, columns)
    changes = pd.DataFrame({q: daily[f"{q}_pct"] / 100.0 for q in limits}, index=daily.index)
    if cleanings is None:
        found = cleaning.detect_cleanings(changes)
    else:
        found = [_utc_day(day) for day in cleanings]
    assessment = cleaning.triggers(changes, found, limits)
    return Normalization(out, daily, quality, ref, found, assessment)


def _utc_day(day):
    try:
        stamp = pd.Timestamp(day)
    except ValueError:
        raise InputError(f"cannot read the cleaning date {day!r}; write e.g. 2026-07-20") from None
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
