"""Generate the bundled plant log: a year of hourly data of the bundled seawater plant.

The plant (src/osmolab/data/example_seawater_px.yaml: 40 x 7 SW30XLE-440i, pressure exchanger,
45 % recovery at 400 m3/h) is projected by the RO engine at every logged time, in one
vectorised call per day (the fouling factor is a property of the system, so it changes per
day), with:

* a seasonal feed temperature, 17 to 27 degC (coldest mid-February), and feed salinity
  38 +- 0.6 g/kg;
* fouling: the water permeability falls linearly by 7 % per 100 days (fouling factor 1 to
  0.86 on day 200), a cleaning on day 200 restores it to 0.98, and it falls again at the same
  rate; the salt permeability B rises 10 % per year (membrane age) and, from day 250 on, by a
  further 12 % by the end of the year (a salt-passage increase a cleaning does not undo, as
  from oxidation or a worn O-ring), injected as the engine's per-case
  ``salt_permeability_factor``;
* two shutdowns (feed flow 0), a few duplicated and swapped rows and three spikes, so the
  reader has something to report;
* sensor noise: flows 0.5 %, pressures 0.1 bar, temperature 0.1 K, conductivities 1 %.

Conductivities come from the engine's TDS through the inverse of
:func:`osmolab.operations.salinity_from_conductivity` (PSS-78 above practical salinity 2, the
continuous linear ratio below), so the log reads like a plant's meters at 25 degC.

Run ``python scripts/make_operations_log.py`` (about a minute); it writes
src/osmolab/data/example_seawater_px_log.csv and example_seawater_px_log_truth.csv (per day
at noon: the noise-free log and the injected state, which the tests compare with).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from osmolab.operations import salinity_from_conductivity
from osmolab.ro.design import bundled_example, load_design, project

OUT = Path(__file__).resolve().parents[1] / "src" / "osmolab" / "data"
START = pd.Timestamp("2026-01-01 00:00", tz="UTC")
DAYS = 365
STEP_HOURS = 1
CLEANING_DAY = 200
DECLINE_PER_DAY = 0.0007
SALT_INCREASE_PER_YEAR = 0.10
SALT_RISE_START_DAY = 250
SALT_RISE = 0.12


def salt_rise(day):
    """Injected multiplier of B beyond the membrane age (1 before day 250, 1.12 on day 365)."""
    day = np.asarray(day, dtype=float)
    return 1.0 + SALT_RISE * np.clip((day - SALT_RISE_START_DAY) / (DAYS - SALT_RISE_START_DAY), 0.0, 1.0)


def fouling_factor(day):
    """Injected fouling factor (multiplies the water permeability) on ``day``."""
    day = np.asarray(day, dtype=float)
    return np.where(day < CLEANING_DAY, 1.0 - DECLINE_PER_DAY * day,
                    0.98 - DECLINE_PER_DAY * (day - CLEANING_DAY))


def conductivity_from_salinity(salinity):
    """Invert salinity_from_conductivity on a fine grid (monotonic): kg/kg -> S/m."""
    grid = np.concatenate([np.linspace(1e-4, 0.5, 5000), np.linspace(0.5, 8.0, 20000)[1:]])
    return np.interp(salinity, salinity_from_conductivity(grid), grid)


def main():
    rng = np.random.default_rng(12)
    design = load_design(bundled_example("seawater_px"))
    base = design.to_system()
    per_day = 24 // STEP_HOURS
    times = START + pd.to_timedelta(np.arange(DAYS * per_day) * STEP_HOURS, unit="h")
    t_days = np.arange(DAYS * per_day) / per_day
    temperature = 22.0 - 5.0 * np.cos(2 * np.pi * (t_days - 45) / 365.0)
    salinity = 38.0 + 0.6 * np.sin(2 * np.pi * t_days / 365.0 + 1.0)

    columns = {k: np.empty(len(times)) for k in (
        "feed_pressure", "concentrate_pressure", "permeate_flow", "permeate_tds", "feed_flow")}
    for d in range(DAYS):
        rows = slice(d * per_day, (d + 1) * per_day)
        system = dataclasses.replace(
            base, fouling_factor=float(fouling_factor(d)), membrane_age=d / 365.0,
            flux_decline_per_year=0.0, salt_passage_increase_per_year=SALT_INCREASE_PER_YEAR)
        result = project(system, temperature=temperature[rows], feed_salinity=salinity[rows],
                         salt_permeability_factor=np.full(per_day, float(salt_rise(d))))
        columns["feed_pressure"][rows] = result.feed_pressure / 1e5
        columns["concentrate_pressure"][rows] = result.passes[0]["concentrate_pressure"] / 1e5
        columns["permeate_flow"][rows] = result.permeate_flow * 3600.0
        columns["permeate_tds"][rows] = result.permeate_tds
        columns["feed_flow"][rows] = result.feed_flow * 3600.0
    feed_cond = conductivity_from_salinity(salinity / 1000.0) * 1e4  # uS/cm
    permeate_cond = conductivity_from_salinity(columns["permeate_tds"] * 1e-6) * 1e4

    n = len(times)
    noise = rng.standard_normal((7, n))
    log = pd.DataFrame({
        "Timestamp": times.strftime("%Y-%m-%dT%H:%M%z"),
        "Feed Flow [m3/h]": columns["feed_flow"] * (1 + 0.005 * noise[0]),
        "Permeate Flow [m3/h]": columns["permeate_flow"] * (1 + 0.005 * noise[1]),
        "Feed Pressure [bar]": columns["feed_pressure"] + 0.1 * noise[2],
        "Concentrate Pressure [bar]": columns["concentrate_pressure"] + 0.1 * noise[3],
        "Temperature [degC]": temperature + 0.1 * noise[4],
        "Feed Conductivity [uS/cm]": feed_cond * (1 + 0.01 * noise[5]),
        "Permeate Conductivity [uS/cm]": permeate_cond * (1 + 0.01 * noise[6]),
    })
    for start, hours in ((90 * per_day, 36), (250 * per_day + 2, 20)):  # shutdowns
        stop = start + hours // STEP_HOURS
        log.loc[start:stop, ["Feed Flow [m3/h]", "Permeate Flow [m3/h]"]] = 0.0
    log.loc[1000, "Feed Pressure [bar]"] += 15.0  # spikes
    log.loc[5500, "Permeate Conductivity [uS/cm]"] *= 4.0
    log.loc[6800, "Temperature [degC]"] += 20.0
    log = pd.concat([log, log.iloc[[300, 301]]]).sort_index(kind="stable")  # duplicates
    order = np.arange(len(log))
    order[[600, 601]] = order[[601, 600]]  # two rows swapped (out of order)
    log = log.iloc[order]
    log = log.drop(index=range(150 * per_day, 152 * per_day))  # a two-day gap
    log.round(4).to_csv(OUT / "example_seawater_px_log.csv", index=False)

    # what normalisation estimates: the permeate flow at the reference conditions (the first
    # week's feed pressure, temperature and salinity) with each day's membrane state
    week = slice(0, 7 * per_day)
    reference = {"feed_pressure": float(np.mean(columns["feed_pressure"][week])),
                 "temperature": float(np.mean(temperature[week])),
                 "feed_salinity": float(np.mean(salinity[week]))}
    at_reference = np.empty(DAYS)
    for d in range(DAYS):
        system = dataclasses.replace(
            base, fouling_factor=float(fouling_factor(d)), membrane_age=d / 365.0,
            flux_decline_per_year=0.0, salt_passage_increase_per_year=SALT_INCREASE_PER_YEAR)
        at_reference[d] = float(np.asarray(project(
            system, **reference, salt_permeability_factor=float(salt_rise(d))).permeate_flow).ravel()[0]) * 3600.0
    noon = np.arange(DAYS) * per_day + 12 // STEP_HOURS
    truth = pd.DataFrame({
        "Timestamp": times[noon].strftime("%Y-%m-%dT%H:%M%z"),
        "Feed Flow [m3/h]": columns["feed_flow"][noon],
        "Permeate Flow [m3/h]": columns["permeate_flow"][noon],
        "Feed Pressure [bar]": columns["feed_pressure"][noon],
        "Concentrate Pressure [bar]": columns["concentrate_pressure"][noon],
        "Temperature [degC]": temperature[noon],
        "Feed Conductivity [uS/cm]": feed_cond[noon],
        "Permeate Conductivity [uS/cm]": permeate_cond[noon],
        "fouling_factor": fouling_factor(np.arange(DAYS)),
        "salt_permeability_factor": ((1 + SALT_INCREASE_PER_YEAR) ** (np.arange(DAYS) / 365.0)
                                     * salt_rise(np.arange(DAYS))),
        "permeate_flow_at_reference_m3_h": at_reference,
    })
    truth.round(6).to_csv(OUT / "example_seawater_px_log_truth.csv", index=False)
    print(f"wrote {len(log)} rows to {OUT / 'example_seawater_px_log.csv'}")


if __name__ == "__main__":
    main()
