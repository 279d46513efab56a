"""Benchmark: 1-D closed-box interdiffusion, 1,000 cells x 1,000 implicit time steps.

Target: <= 0.05 s for osmolab's finite-volume solver, and >= 50x faster than FiPy
(PyPI ``fipy``; measured in the same run when installed, otherwise the recorded reference
of 4.4 s measured on the project machine is printed).

Run: .venv/bin/python benchmarks/bench_fick.py
"""

from __future__ import annotations

import time

import numpy as np

from osmolab.transport.fick import closed_box_exact, partition_initial, solve_diffusion

N_CELLS, N_STEPS = 1000, 1000
LENGTH, D, T_END = 0.1, 2.0e-5, 100.0
FIPY_REFERENCE_S = 4.4  # recorded in issue 5 on the project machine
TARGET_S, TARGET_RATIO = 0.05, 50.0


def run_osmolab(scheme="backward-euler"):
    c0 = partition_initial(N_CELLS)
    start = time.perf_counter()
    result = solve_diffusion(c0, LENGTH, D, T_END, n_steps=N_STEPS, scheme=scheme, n_records=2)
    return time.perf_counter() - start, result


def run_fipy():
    import fipy

    mesh = fipy.Grid1D(nx=N_CELLS, dx=LENGTH / N_CELLS)
    phi = fipy.CellVariable(mesh=mesh, value=0.0)
    x = mesh.cellCenters[0]
    phi.setValue(1.0, where=x < LENGTH / 2)
    equation = fipy.TransientTerm() == fipy.DiffusionTerm(coeff=D)  # no-flux walls by default
    dt = T_END / N_STEPS
    start = time.perf_counter()
    for _ in range(N_STEPS):
        equation.solve(var=phi, dt=dt)
    return time.perf_counter() - start, np.array(phi.value)


def main():
    run_osmolab()  # compile / load the Numba kernel (cached on disk)
    timings = {}
    for scheme in ("backward-euler", "crank-nicolson"):
        best = min(run_osmolab(scheme)[0] for _ in range(5))
        timings[scheme] = best
    elapsed, result = run_osmolab("crank-nicolson")
    z = result.centers[0]
    error = np.max(np.abs(result.fields[-1] - closed_box_exact(z, T_END, LENGTH, D,
                                                                cell_width=LENGTH / N_CELLS)))
    drift = abs(result.amount[-1] - result.amount[0]) / result.amount[0]
    print(f"osmolab fick 1-D, {N_CELLS} cells x {N_STEPS} steps:")
    for scheme, t in timings.items():
        flag = "OK" if t <= TARGET_S else "SLOW"
        print(f"  {scheme:15s} {t * 1e3:8.2f} ms  (target <= {TARGET_S * 1e3:.0f} ms: {flag})")
    print(f"  max |FV - exact| = {error:.2e}, relative mass drift = {drift:.1e}")
    ours = timings["backward-euler"]
    try:
        fipy_time, fipy_field = run_fipy()
        source = "measured now"
        fipy_error = np.max(np.abs(fipy_field - closed_box_exact(
            z, T_END, LENGTH, D, cell_width=LENGTH / N_CELLS)))
        print(f"FiPy {__import__('fipy').__version__} (backward Euler, same grid): "
              f"{fipy_time:.3f} s, max |FiPy - exact| = {fipy_error:.2e}")
    except Exception as exc:  # FiPy missing or broken
        fipy_time, source = FIPY_REFERENCE_S, "recorded reference"
        print(f"FiPy not available ({type(exc).__name__}: {exc}); "
              f"using the recorded reference {FIPY_REFERENCE_S} s")
    ratio = fipy_time / ours
    flag = "OK" if ratio >= TARGET_RATIO else "BELOW TARGET"
    print(f"speed-up vs FiPy ({source}): {ratio:.0f}x  (target >= {TARGET_RATIO:.0f}x: {flag})")


if __name__ == "__main__":
    main()
