"""Benchmark: ASTM D4516 normalisation of 10^5 plant-log rows (goal: <= 2 s) and model-based
monitoring of a year of hourly data (8,760 projections, goal: <= 5 s on 2 cores).

The bundled year of hourly data (src/osmolab/data/example_seawater_px_log.csv) is repeated
with new hourly timestamps to 10^5 rows and normalised end to end (units, quality checks,
outlier filter, PSS-78, osmotic pressures, normalisation, daily medians, Theil-Sen trends),
once from a DataFrame and once from a CSV file. Then the membrane state (fouling factor and
salt-permeability factor) is fitted with the RO engine at every valid hour of the bundled year
(:func:`osmolab.operations.fit_membrane_state` with ``hourly=True``: the daily fit, three
vectorised calls over the days, then one vectorised call over all the hours and a Newton step
with each day's slopes), and at the daily medians. Best of three runs.

Run: ``PYTHONPATH=src python benchmarks/bench_operations.py``
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from osmolab.data import path as data_path
from osmolab.operations import fit_membrane_state, normalize_log
from osmolab.operations.monitoring import FIT_CALLS, HOURLY_CALLS
from osmolab.ro.design import bundled_example

ROWS = 100_000
GOAL_S = 2.0
MONITORING_GOAL_S = 5.0


def big_log(rows=ROWS):
    base = pd.read_csv(data_path("example_seawater_px_log.csv"))
    repeats = int(np.ceil(rows / len(base)))
    log = pd.concat([base] * repeats, ignore_index=True).iloc[:rows].copy()
    times = pd.date_range("2026-01-01", periods=rows, freq="h", tz="UTC")
    log["Timestamp"] = times.strftime("%Y-%m-%dT%H:%M%z")
    return log


def best_of(func, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def _verdict(seconds, goal):
    return f"goal <= {goal:.0f} s: {'met' if seconds <= goal else 'MISSED'}"


def main():
    log = big_log()
    normalize_log(log.iloc[:2000])  # warm-up: imports, pint registry
    frame_s = best_of(lambda: normalize_log(log))
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "log.csv"
        log.to_csv(csv, index=False)
        csv_s = best_of(lambda: normalize_log(csv))
    print(f"normalize_log, {ROWS:,} rows from a DataFrame: {frame_s:.2f} s "
          f"({ROWS / frame_s:,.0f} rows/s; {_verdict(frame_s, GOAL_S)})")
    print(f"normalize_log, {ROWS:,} rows from a CSV file:  {csv_s:.2f} s")

    year = normalize_log("example")
    design = bundled_example("seawater_px")
    fit_membrane_state(year, design)  # warm-up: the engine's compiled kernels
    daily_s = best_of(lambda: fit_membrane_state(year, design))
    print(f"fit_membrane_state, {len(year.daily)} daily points x {FIT_CALLS} engine calls: {daily_s:.2f} s")
    hours = int(year.frame["valid"].sum())
    hourly_s = best_of(lambda: fit_membrane_state(year, design, hourly=True))
    print(f"fit_membrane_state(hourly=True), {hours:,} hourly points x {HOURLY_CALLS} vectorised engine call(s) "
          f"after the daily fit ({HOURLY_CALLS * hours + FIT_CALLS * len(year.daily):,} projections): "
          f"{hourly_s:.2f} s ({_verdict(hourly_s, MONITORING_GOAL_S)})")
    two_s = best_of(lambda: fit_membrane_state(year, design, hourly=True, calls=2))
    print(f"  with 2 engine calls over the hours ({2 * hours:,} hourly projections): {two_s:.2f} s")


if __name__ == "__main__":
    main()
