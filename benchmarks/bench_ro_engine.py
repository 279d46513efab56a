"""Speed and robustness of the RO engine (osmolab.ro.train.simulate), standalone.

Run: ``.venv/bin/python benchmarks/bench_ro_engine.py [--quick]``

Prints
* one single-pass projection (100 m3/h seawater, 7 vessels x 7 SW30XLE-440i, pressure solved
  for 45 % recovery), with and without a pressure exchanger: median of warm runs [ms];
* a vectorised batch of 10,000 projections (salinity 20-45 g/kg, recovery 30-55 %):
  projections per second;
* the ratio against WaterTAP's recorded time on this machine class (WaterTAP cannot be
  installed here with a real IPOPT; issue 3 records build + initialise 0.9-1.5 s and solve
  0.13-0.21 s for RO with a pressure exchanger);
* robustness: 1,000 random valid designs (feed 0.5-45 g/kg, 5-35 degC, recovery 10-80 %,
  1-3 stages, 1-8 elements per vessel): converged / stated reason / NaN counts.
"""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np

from osmolab.ro.config import EnergyRecovery, Feed, Pass, Stage, System, Target
from osmolab.ro.train import simulate

WATERTAP_BUILD_INIT_S = (0.9, 1.5)
WATERTAP_SOLVE_S = (0.13, 0.21)


def seawater(erd="pressure_exchanger"):
    return System(Feed(flow=100 / 3600, salinity=0.035),
                  [Pass([Stage(vessels=7, elements_per_vessel=7, element="SW30XLE-440i")])],
                  target=Target("recovery", 0.45), erd=EnergyRecovery(erd))


def time_single(system, repeats=200):
    simulate(system)  # warm: compile, calibrate, tables
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        simulate(system)
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def time_batch(system, n=10_000, repeats=3):
    rng = np.random.default_rng(0)
    salinity = rng.uniform(0.020, 0.045, n)
    recovery = rng.uniform(0.30, 0.55, n)
    simulate(system, salinity=salinity[:16], recovery=recovery[:16])
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = simulate(system, salinity=salinity, recovery=recovery)
        best = min(best, time.perf_counter() - t0)
    return best, result


def robustness(n=1000, seed=7):
    rng = np.random.default_rng(seed)
    counts = {"converged": 0, "stated_reason": 0, "nan": 0, "error": 0}
    for _ in range(n):
        salinity = rng.uniform(0.0005, 0.045)
        element = "SW30XLE-440i" if salinity > 0.01 else str(rng.choice(
            ["BW30-400", "XLE-440", "ESPA2-LD", "TM720D-400"]))
        flow = rng.uniform(5, 200) / 3600
        v0 = max(1, round(flow * 3600 / 12))
        per_vessel = int(rng.integers(1, 9))
        stages = [Stage(vessels=max(1, v0 // 2**s), elements_per_vessel=per_vessel,
                        element=element, booster_pressure=3e5 if s and rng.random() < .5 else 0.)
                  for s in range(int(rng.integers(1, 4)))]
        system = System(Feed(flow=flow, salinity=salinity,
                             temperature=273.15 + rng.uniform(5, 35)), [Pass(stages)],
                        target=Target("recovery", rng.uniform(0.10, 0.80)),
                        erd=EnergyRecovery(str(rng.choice(["none", "pressure_exchanger"]))))
        try:
            d = simulate(system).to_dict()
        except Exception as exc:  # noqa: BLE001 - counted and printed, never hidden
            counts["error"] += 1
            print("error:", exc)
            continue
        text = json.dumps(d)
        if "NaN" in text or "Infinity" in text:
            counts["nan"] += 1
        counts["converged" if d["feasible"] else "stated_reason"] += 1
    return counts


def main():
    quick = "--quick" in sys.argv
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    for erd in ("none", "pressure_exchanger"):
        t = time_single(seawater(erd), 50 if quick else 200)
        print(f"single projection, ERD {erd:18s}: {t * 1e3:.2f} ms "
              f"(target <= 5 ms; WaterTAP solve alone {WATERTAP_SOLVE_S[0]:.2f}-"
              f"{WATERTAP_SOLVE_S[1]:.2f} s: x{WATERTAP_SOLVE_S[0] / t:.0f}-"
              f"{WATERTAP_SOLVE_S[1] / t:.0f}; with build+initialise x"
              f"{(WATERTAP_BUILD_INIT_S[0] + WATERTAP_SOLVE_S[0]) / t:.0f}-"
              f"{(WATERTAP_BUILD_INIT_S[1] + WATERTAP_SOLVE_S[1]) / t:.0f})")
    n = 2000 if quick else 10_000
    for erd in ("none", "pressure_exchanger"):
        dt, result = time_batch(seawater(erd), n, 1 if quick else 3)
        print(f"batch of {n}, ERD {erd:18s}: {dt:.3f} s = {n / dt:,.0f} projections/s "
              f"(target >= 10,000/s on 2 cores); feasible {int(result.feasible.sum())}, "
              f"NaN {int(np.isnan(result.sec).sum())}")
    t0 = time.perf_counter()
    counts = robustness(200 if quick else 1000)
    print(f"robustness: {counts} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
