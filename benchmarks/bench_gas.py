"""Benchmark: gas diffusion coefficients for 10^6 (T, P) points (target <= 1 s).

Run: .venv/bin/python benchmarks/bench_gas.py
"""

from __future__ import annotations

import time

import numpy as np

from osmolab.transport.gas import gas_diffusivity

N = 1_000_000
TARGET_S = 1.0


def main():
    rng = np.random.default_rng(0)
    temperature = rng.uniform(250.0, 1500.0, N)
    pressure = rng.uniform(0.1e5, 20e5, N)  # dilute-gas range (no dense-gas warning)
    gas_diffusivity("N2", "O2", 300.0)  # load the gas table once
    for method in ("chapman-enskog", "fuller"):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            d = gas_diffusivity("N2", "O2", temperature, pressure, method=method)
            best = min(best, time.perf_counter() - start)
        flag = "OK" if best <= TARGET_S else "SLOW"
        print(f"{method:15s} {N:,} points: {best:.3f} s ({N / best / 1e6:.1f} M points/s; "
              f"target <= {TARGET_S} s: {flag}); D range {d.min() * 1e4:.3g}-"
              f"{d.max() * 1e4:.3g} cm^2/s")


if __name__ == "__main__":
    main()
