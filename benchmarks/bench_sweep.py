"""Benchmark: a 10^5-case sweep of the bundled seawater plant, locally and on a LocalCluster.

Goals (issue 11): the local sweep in at most 15 s on 2 cores; the same sweep through a
``distributed.LocalCluster`` on the same machine within 1.3x of the local time. Prints both
times, the ratio and the Dask overhead (cluster time minus local time, and the cluster's
start-up, which is paid once per study).

Run: ``PYTHONPATH=src python benchmarks/bench_sweep.py [--cases 100000] [--workers N]``
"""

from __future__ import annotations

import argparse
import os
import time

from osmolab.studies import cluster
from osmolab.studies.sweep import sweep

PLANT = "seawater_px"


def vary_for(cases: int) -> dict:
    """recovery x temperature x salinity with about ``cases`` combinations (50 x 40 x 50)."""
    scale = (cases / 100_000) ** (1 / 3)
    return {"recovery": (0.35, 0.55, max(2, round(50 * scale))),
            "temperature": (12, 32, max(2, round(40 * scale))),
            "feed_salinity": (33, 40, max(2, round(50 * scale)))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--chunk-size", type=int, default=5000)
    args = parser.parse_args()
    vary = vary_for(args.cases)

    sweep(PLANT, {"recovery": (0.4, 0.5, 2)})  # compile/load the kernels once
    start = time.perf_counter()
    local = sweep(PLANT, vary, chunk_size=args.chunk_size)
    t_local = time.perf_counter() - start
    n = len(local)
    print(f"local sweep: {n:,} cases in {t_local:.2f} s ({n / t_local:,.0f} cases/s; "
          f"goal <= 15 s on 2 cores; {os.cpu_count()} cores here)")

    start = time.perf_counter()
    client = cluster.local_cluster(n_workers=args.workers)
    t_start = time.perf_counter() - start
    try:
        client.run(sweep, PLANT, {"recovery": (0.4, 0.5, 2)})  # warm each worker's kernels
        start = time.perf_counter()
        remote = sweep(PLANT, vary, client=client, chunk_size=args.chunk_size)
        t_dask = time.perf_counter() - start
    finally:
        client.close()
        client.cluster.close()
    same = remote.equals(local)
    print(f"LocalCluster ({args.workers} workers x 1 thread): {t_dask:.2f} s "
          f"({n / t_dask:,.0f} cases/s, {n / t_dask / args.workers:,.0f} per worker); "
          f"start-up {t_start:.2f} s")
    print(f"ratio cluster/local: {t_dask / t_local:.2f} (goal <= 1.3); Dask overhead "
          f"{t_dask - t_local:+.2f} s; same table: {same}")


if __name__ == "__main__":
    main()
