"""Benchmark: the Solution hot path the RO engine uses (scaled() and osmotic pressure).

Measures, in one run:

1. ``Solution.from_string`` (units parsed with pint once, then cached);
2. ``feed.scaled(cf)`` + ``molalities`` (the RO march along a membrane);
3. ``osmotic_pressure(feed.scaled(cf))`` one solution per call (default model);
4. the same for 10^5 concentration factors in one vectorised call, and its ratio to (3);
5. the PHREEQC peer (phreeqpython with pitzer.dat, seawater 35 g/kg at 100 concentration
   factors batched in one ``run_string``, carbonate system from the alkalinity at pH 8.1)
   when installed, and the largest osmotic-coefficient difference; otherwise says so.

Run: .venv/bin/python benchmarks/bench_solution.py
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from osmolab.thermo.osmotic import osmotic_pressure, osmotic_properties
from osmolab.thermo.solution import Solution


def per_call(func, repeat):
    func()  # warm caches
    start = time.perf_counter()
    for _ in range(repeat):
        func()
    return (time.perf_counter() - start) / repeat


def phreeqc_per_solution(feed, factors):
    """(seconds per solution, osmotic coefficients) from PHREEQC pitzer.dat, or None."""
    try:
        from phreeqpython import PhreeqPython
    except ImportError:
        return None
    pp = PhreeqPython(database="pitzer.dat")
    element = {
        "Na+": "Na",
        "Mg+2": "Mg",
        "Ca+2": "Ca",
        "K+": "K",
        "Sr+2": "Sr",
        "Cl-": "Cl",
        "SO4-2": "S(6)",
        "Br-": "Br",
        "F-": "F",
    }
    m = feed.molalities
    alkalinity = m["HCO3-"] + 2 * m["CO3-2"] + m["B(OH)4-"] + m["OH-"]
    blocks = []
    for k, cf in enumerate(factors, start=1):
        lines = [f"SOLUTION {k}", "  temp 25", "  units mol/kgw", "  pH 8.1"]
        lines += [f"  {element[n]} {v * cf:.8g}" for n, v in m.items() if n in element]
        lines.append(f"  Alkalinity {alkalinity * cf:.8g}")
        blocks.append("\n".join(lines))
    text = "\n".join(blocks) + (
        "\nSELECTED_OUTPUT\n  -reset false\nUSER_PUNCH\n  -headings aw phi\n"
        '  10 PUNCH ACT("H2O"), OSMOTIC\nEND\n'
    )
    start = time.perf_counter()
    pp.ip.run_string(text)
    seconds = (time.perf_counter() - start) / len(factors)
    rows = pp.ip.get_selected_output_array()[1:]
    return seconds, np.array([row[1] for row in rows], dtype=float)


def main():
    warnings.simplefilter("ignore")
    t_parse = per_call(lambda: Solution.from_string("NaCl 0.5 mol/kg, urea 100 mmol/kg"), 200)
    feed = Solution.seawater(0.035)
    t_scaled = per_call(lambda: feed.scaled(1.5).molalities, 2000)
    t_pi = per_call(lambda: osmotic_pressure(feed.scaled(1.5)), 200)
    factors = np.linspace(1.0, 2.5, 100_000)
    start = time.perf_counter()
    pi = osmotic_pressure(feed.scaled(factors))
    t_batch = (time.perf_counter() - start) / factors.size
    print(f"Solution.from_string              {t_parse * 1e6:10.1f} us per call")
    print(f"scaled() + molalities             {t_scaled * 1e6:10.1f} us per call")
    print(f"scaled() + osmotic_pressure()     {t_pi * 1e6:10.1f} us per solution (one per call)")
    print(
        f"same, 1e5 solutions in one call   {t_batch * 1e6:10.3f} us per solution "
        f"(x{t_pi / t_batch:.0f} faster than one per call); Pi = "
        f"{pi[0] / 1e5:.2f}-{pi[-1] / 1e5:.2f} bar"
    )
    check = np.linspace(1.0, 2.5, 100)
    peer = phreeqc_per_solution(feed, check)
    if peer is None:
        print("phreeqpython not installed: PHREEQC peer not measured")
        return
    t_phreeqc, phi_phreeqc = peer
    phi_osmolab = osmotic_properties(feed.scaled(check)).osmotic_coefficient
    worst = float(np.max(np.abs(phi_osmolab / phi_phreeqc - 1))) * 100
    print(
        f"PHREEQC pitzer.dat, batched        {t_phreeqc * 1e6:10.1f} us per solution; "
        f"osmolab batch is x{t_phreeqc / t_batch:.0f} faster, one-per-call "
        f"x{t_phreeqc / t_pi:.2f}"
    )
    print(f"seawater 35-88 g/kg (cf 1-2.5): largest phi difference to PHREEQC {worst:.3f} %")


if __name__ == "__main__":
    main()
