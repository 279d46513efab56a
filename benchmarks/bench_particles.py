"""Speed of the particle engine: particle-steps per second, and against OpenMM's CPU platform.

Systems (reduced LJ units, velocity Verlet, NVE, dt = 0.004, default skin):
  1. WCA gas, n sigma^3 = 0.1, N = 10,000, 3-D, 2 threads  (issue 4 goal: >= 20 M/s, >= 5x OpenMM)
  2. Lennard-Jones liquid, n sigma^3 = 0.8, T* = 1, cut at 2.5 sigma, N = 10,000

OpenMM (benchmark-only dependency: ``pip install openmm``) runs the same particles on its CPU
platform with 2 threads in the same run (sigma = 1 nm, epsilon = 1 kJ/mol, m = 1 amu, so
tau = 1 ps). When it is missing, the recorded reference of ~6 M particle-steps/s
(OpenMM 8.6.1, this 2-core machine, quiet) is printed instead.

Run: ``.venv/bin/python benchmarks/bench_particles.py [--steps 2000] [--threads 2] [--repeat 3]``
(``--repeat`` times each system that often and prints best and median of both engines).
"""

from __future__ import annotations

import argparse
import math
import os
import time

import numpy as np

# OpenMP wait policy of numba's worker threads (GNU libgomp; read when numba starts). The
# default (spin a while, then sleep) is fastest on a quiet machine: 2 threads ran the WCA gas
# at ~44 M/s here against ~20 M/s with OMP_WAIT_POLICY=PASSIVE, whose futex wake-ups cost
# ~100 us per barrier. On a busy machine PASSIVE is better (spinning steals the partner's
# core); run with OMP_WAIT_POLICY=PASSIVE there, or use 1 thread.
WAIT_POLICY = os.environ.get("OMP_WAIT_POLICY", "default")

RECORDED_OPENMM_WCA = 6.0e6  # particle-steps/s, OpenMM 8.6.1 CPU, 2 threads, measured on this machine


def ours(density, potential, n, steps, threads, temperature=1.0):
    from osmolab.particles.system import ParticleSystem, Species

    length = (n / density) ** (1.0 / 3.0)
    system = ParticleSystem([Species("A")], box=(length,) * 3, potential=potential, temperature=temperature,
                            dt=0.004, thermostat="nve", seed=1, threads=threads)
    system.add_particles("A", n)
    system.initialize()
    system.run(2000 if density < 0.5 else 500)  # compile (cached) and melt the lattice start
    start = time.perf_counter()
    system.run(steps)
    elapsed = time.perf_counter() - start
    return n * steps / elapsed, system


def openmm_rate(system, potential, steps, threads):
    try:
        import openmm
        from openmm import unit
    except ImportError:
        return None
    n = system.n
    length = float(system.box[0])
    omm = openmm.System()
    omm.setDefaultPeriodicBoxVectors(openmm.Vec3(length, 0, 0), openmm.Vec3(0, length, 0), openmm.Vec3(0, 0, length))
    nb = openmm.NonbondedForce()
    nb.setNonbondedMethod(openmm.NonbondedForce.CutoffPeriodic)
    cutoff = 2.0 ** (1.0 / 6.0) if potential == "wca" else 2.5
    nb.setCutoffDistance(cutoff)
    nb.setUseDispersionCorrection(False)
    nb.setUseSwitchingFunction(False)
    for _ in range(n):
        omm.addParticle(1.0)
        nb.addParticle(0.0, 1.0, 1.0)  # charge, sigma [nm], epsilon [kJ/mol]: forces = WCA / LJ
    omm.addForce(nb)
    integrator = openmm.VerletIntegrator(0.004 * unit.picoseconds)
    platform = openmm.Platform.getPlatformByName("CPU")
    context = openmm.Context(omm, integrator, platform, {"Threads": str(threads)})
    context.setPositions(system.pos * unit.nanometer)
    context.setVelocities(system.vel * unit.nanometer / unit.picosecond)
    integrator.step(100)
    start = time.perf_counter()
    integrator.step(steps)
    context.getState(getEnergy=True)  # make sure the work is done
    return n * steps / (time.perf_counter() - start)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    import numba

    threads = min(args.threads, numba.config.NUMBA_NUM_THREADS)
    print(f"osmolab particle engine benchmark: N = {args.n}, {args.steps} steps, {threads} threads for both "
          f"engines (numba {numba.__version__}, threading layer after the first run below, "
          f"OMP_WAIT_POLICY={WAIT_POLICY}); the 1-thread line is for context on a shared machine")
    cases = [("WCA gas n=0.1", 0.1, "wca", threads), ("LJ liquid n=0.8", 0.8, "lj", threads)]
    if threads != 1:
        cases.insert(1, ("WCA gas n=0.1", 0.1, "wca", 1))
    repeat = max(1, args.repeat)
    for label, density, potential, nthreads in cases:
        rates, peers = [], []
        for _ in range(repeat):
            rate, system = ours(density, potential, args.n, args.steps, nthreads)
            rates.append(rate)
            peer = openmm_rate(system, potential, max(args.steps // 4, 200), nthreads)
            if peer is not None:
                peers.append(peer)
        rate = max(rates)
        peer = max(peers) if peers else None
        line = f"{label:16s} {nthreads} thr  osmolab {rate / 1e6:7.2f} M particle-steps/s"
        if repeat > 1:
            line += f" (median {float(np.median(rates)) / 1e6:.2f})"
        if peer is not None:
            line += f" | OpenMM CPU {peer / 1e6:6.2f} M/s"
            if repeat > 1:
                line += f" (median {float(np.median(peers)) / 1e6:.2f})"
            line += f" | ratio {rate / peer:5.2f}x"
            if repeat > 1:
                line += f" (medians {np.median(rates) / np.median(peers):.2f}x)"
        elif potential == "wca":
            line += (f" | OpenMM not installed (pip install openmm); recorded reference "
                     f"{RECORDED_OPENMM_WCA / 1e6:.1f} M/s -> ratio {rate / RECORDED_OPENMM_WCA:5.2f}x")
        else:
            line += " | OpenMM not installed"
        if potential == "wca":
            line += f" | goal >= 20 M/s: {'met' if rate >= 20e6 else 'NOT met'}"
            if peer is not None:
                line += f", >= 5x OpenMM: {'met' if rate >= 5.0 * peer else 'NOT met'}"
        print(line, flush=True)
        if label == cases[0][0] and nthreads == threads:
            print(f"  (numba threading layer: {numba.threading_layer()}, skin {system.skin} sigma)", flush=True)
    e = system.total_energy() / system.n
    assert math.isfinite(e) and np.isfinite(system.pos).all()


if __name__ == "__main__":
    main()
