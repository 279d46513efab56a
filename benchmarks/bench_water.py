"""Benchmark: speciation + all saturation indices of 10^5 waters vs PHREEQC, per water.

osmolab speciates 10^5 waters and computes the SI of the seven minerals, the LSI and the
S&DSI in one vectorised call (the compiled kernels run in parallel over chunks of the waters
and solve blocks of 64 waters with the same masters at once, each loop vectorised across the
block: osmolab.thermo.speciation_lanes). Two batches are timed separately because their cost
differs: dilute waters (brackish and surface waters and their concentrates below
I = 0.1 mol/kg: Davies ion association) and saline ones (seawater 20-45 g/kg and
concentrates: Pitzer activity coefficients, osmolab.thermo.pitzer_kernel, updated water by
water between the block's Newton solves). The waters are
the referee table
(data/chemistry_waters.csv) repeated with the pH and temperature jittered, so every water
differs.

PHREEQC (phreeqpython; phreeqc.dat for the dilute waters, pitzer.dat for the saline ones) runs
500 waters of each batch in one ``run_string`` with SELECTED_OUTPUT of the same SIs; its time
is scaled per water, and the ratio printed is PHREEQC's time per water over osmolab's, both
measured in this run. Goal (issue 9): 10^5 waters in <= 1 s on 2 cores, >= 100x PHREEQC.
osmolab's time is the best of 3 (the median is printed too); the load average and the number
of Numba threads are printed first: on a machine whose cores other jobs use, both sides slow
down, osmolab's threads most.

    .venv/bin/python benchmarks/bench_water.py
"""

from __future__ import annotations

import os
import time

import numba
import numpy as np

from osmolab.thermo.referee import PITZER_MISSING_MINERALS, phreeqc_saturation_indices
from osmolab.thermo.scaling import MINERALS, referee_waters, scaling_indices
from osmolab.thermo.speciation import speciate

N_OSMOLAB = 100_000
N_PHREEQC = 500


def batch(waters, rows, n, seed):
    """n waters drawn from ``rows`` of the table, pH +-0.2 and temperature +-3 K jittered."""
    rng = np.random.default_rng(seed)
    pick = np.asarray(rows)[np.arange(n) % len(rows)]
    return {
        "name": [waters["name"][i] for i in pick],
        "temperature": waters["temperature"][pick] + rng.uniform(-3, 3, n),
        "ph": waters["ph"][pick] + rng.uniform(-0.2, 0.2, n),
        "alkalinity": waters["alkalinity"][pick],
        "totals": {k: v[pick] for k, v in waters["totals"].items()},
        "elements": {k: v[pick] for k, v in waters["elements"].items()},
    }


def run_osmolab(waters, model):
    s = speciate(waters["totals"], waters["ph"], waters["temperature"],
                 alkalinity=waters["alkalinity"], model=model)
    return s, scaling_indices(s)


def best_of(function, repeat=3):
    """(best wall time, median wall time, CPU time of all threads in the best run, result)."""
    times, result = [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = function()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    best = min(times)
    return best[0], float(np.median([t[0] for t in times])), best[1], result


def main():
    waters = referee_waters()
    first = speciate(waters["totals"], waters["ph"], waters["temperature"],
                     alkalinity=waters["alkalinity"])
    for model in ("ion_association", "pitzer"):  # compile the kernels, serial and threaded
        for n in (10, 1000):
            run_osmolab(batch(waters, [0], n, 0), model)
    print(f"load average (1 min) {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"{numba.get_num_threads()} Numba threads")
    print(f"{'batch':<9} {'model':<16} {'osmolab 1e5 [s]':>16} {'median [s]':>11} "
          f"{'per water [us]':>15} {'PHREEQC per water [us]':>23} {'ratio':>7} "
          f"{'CPU us/water':>13} {'PHREEQC CPU':>12} {'CPU ratio':>10} {'max |dSI|':>10}")
    for label, model, database in (("dilute", "ion_association", "phreeqc.dat"),
                                   ("saline", "pitzer", "pitzer.dat")):
        rows = np.flatnonzero(first.model == model)
        big = batch(waters, rows, N_OSMOLAB, 1)
        if model == "pitzer":  # pitzer.dat has no F, P or NO3: leave them out on both sides
            for name in ("F-", "P", "NO3-"):
                big["totals"][name] = np.zeros(N_OSMOLAB)
        seconds, median, cpu, (s, indices) = best_of(
            lambda big=big, model=model: run_osmolab(big, model))
        small = {k: (v[:N_PHREEQC] if not isinstance(v, dict) else
                     {e: a[:N_PHREEQC] for e, a in v.items()}) for k, v in big.items()}
        minerals = [m for m in MINERALS if model == "ion_association"
                    or m not in PITZER_MISSING_MINERALS]
        start, start_cpu = time.perf_counter(), time.process_time()
        reference = phreeqc_saturation_indices(small, range(N_PHREEQC), database, minerals)
        phreeqc_seconds = time.perf_counter() - start
        phreeqc_cpu = (time.process_time() - start_cpu) / N_PHREEQC * 1e6
        worst = max(float(np.abs(indices["saturation_index"][m][:N_PHREEQC] - reference[m]).max())
                    for m in minerals)
        ours_us = seconds / N_OSMOLAB * 1e6
        theirs_us = phreeqc_seconds / N_PHREEQC * 1e6
        ours_cpu = cpu / N_OSMOLAB * 1e6
        print(f"{label:<9} {model:<16} {seconds:16.2f} {median:11.2f} {ours_us:15.2f} "
              f"{theirs_us:23.1f} {theirs_us / ours_us:7.0f} {ours_cpu:13.2f} "
              f"{phreeqc_cpu:12.1f} {phreeqc_cpu / ours_cpu:10.0f} {worst:10.3f}")
    print(f"(osmolab: {N_OSMOLAB} waters, best of 3; PHREEQC: {N_PHREEQC} waters of the same "
          "batch in one run, scaled per water. CPU: process time of all threads per water, "
          "less sensitive to other jobs than the wall time; on free cores osmolab's wall time "
          "is about its CPU time / threads)")


if __name__ == "__main__":
    main()
