"""Speed of RO projections: one design, a vectorised batch, and the ratio to WaterTAP.

Run: ``.venv/bin/python benchmarks/bench_ro.py [--batch 10000] [--repeat 30]``

* single: the bundled seawater plant (40 vessels x 7 SW30XLE-440i, pressure exchanger), feed
  pressure solved for 45 % recovery; timed through the engine (``osmolab.ro.train.simulate``)
  and through the public API (``osmolab.project``: validated design + guideline warnings).
  Goal: <= 5 ms.
* batch: the same plant with ``recovery`` (and temperature) given as arrays, one vectorised
  call. Goal: >= 10,000 projections/s.
* WaterTAP: it cannot be installed here with a working IPOPT, so its time is the one recorded
  on this machine for the RO flowsheet with a pressure exchanger (build + initialise 0.9-1.5 s,
  solve 0.13-0.21 s); the ratio uses the middle of each range. If ``watertap`` imports, say so
  (we still do not time it: its solver binary is the point).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

#: Recorded WaterTAP 1.8 times on this machine [s] (RO + pressure exchanger flowsheet)
WATERTAP_BUILD_INIT_S = (0.9, 1.5)
WATERTAP_SOLVE_S = (0.13, 0.21)
GOAL_SINGLE_MS = 5.0
GOAL_BATCH_PER_S = 10_000


def _median_time(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=10_000, help="cases in the vectorised batch")
    parser.add_argument("--repeat", type=int, default=30, help="timed repetitions of the single case")
    args = parser.parse_args(argv)

    from osmolab.ro import train
    from osmolab.ro.design import load_design, project

    design = load_design("seawater_px")
    system = design.to_system()

    start = time.perf_counter()
    first = train.simulate(system)  # compiles (or loads the Numba cache) and calibrates
    warm_s = time.perf_counter() - start
    project(design)

    engine_s, engine_min = _median_time(lambda: train.simulate(system), args.repeat)
    api_s, _ = _median_time(lambda: project(design), args.repeat)

    rng = np.random.default_rng(1)
    recovery = rng.uniform(0.30, 0.55, args.batch)
    temperature = rng.uniform(288.15, 303.15, args.batch)
    train.simulate(system, recovery=recovery[:8], temperature=temperature[:8])
    start = time.perf_counter()
    batch = train.simulate(system, recovery=recovery, temperature=temperature)
    batch_s = time.perf_counter() - start
    per_second = args.batch / batch_s
    feasible = int(np.sum(batch.feasible))
    nan = int(np.sum(~np.isfinite(np.asarray(batch.feed_pressure, dtype=float))))

    wt_build = sum(WATERTAP_BUILD_INIT_S) / 2
    wt_solve = sum(WATERTAP_SOLVE_S) / 2
    try:
        import watertap  # noqa: F401

        watertap_note = "watertap imports, but no IPOPT binary here: recorded times used"
    except ImportError:
        watertap_note = "WaterTAP is not installed (no IPOPT binary on this machine): recorded times used"

    d = first.to_dict()
    print("osmolab RO projection benchmark")
    print(f"  plant: {design.name}: {d['feed_pressure_bar']:.2f} bar at {100 * d['recovery']:.1f} % "
          f"recovery, SEC {d['sec_kWh_m3']:.3f} kWh/m3")
    print(f"  first call (compile/cache load + calibration): {warm_s:.2f} s")
    print(f"  single projection, engine (simulate):   {1e3 * engine_s:7.2f} ms median "
          f"({1e3 * engine_min:.2f} ms best)   goal <= {GOAL_SINGLE_MS:g} ms "
          f"{'PASS' if engine_s * 1e3 <= GOAL_SINGLE_MS else 'MISS'}")
    print(f"  single projection, API (project):       {1e3 * api_s:7.2f} ms median "
          "(design validation + guideline warnings)")
    print(f"  vectorised batch of {args.batch}: {batch_s:.3f} s = {per_second:,.0f} projections/s   "
          f"goal >= {GOAL_BATCH_PER_S:,} /s {'PASS' if per_second >= GOAL_BATCH_PER_S else 'MISS'} "
          f"({feasible} feasible, {nan} NaN)")
    print(f"  WaterTAP ({watertap_note})")
    print(f"    build+initialise {WATERTAP_BUILD_INIT_S[0]}-{WATERTAP_BUILD_INIT_S[1]} s, solve "
          f"{WATERTAP_SOLVE_S[0]}-{WATERTAP_SOLVE_S[1]} s per design")
    print(f"    speed-up, single design vs WaterTAP solve only:        {wt_solve / engine_s:8.0f}x")
    print(f"    speed-up, single design vs WaterTAP build+init+solve:  {(wt_build + wt_solve) / engine_s:8.0f}x")
    print(f"    speed-up, batch throughput vs WaterTAP solve only:     {wt_solve * per_second:8.0f}x")
    return {
        "engine_ms": 1e3 * engine_s,
        "api_ms": 1e3 * api_s,
        "batch_per_s": per_second,
        "batch_nan": nan,
        "ratio_solve": wt_solve / engine_s,
    }


if __name__ == "__main__":
    main()
