"""Benchmark: osmolab's Pitzer osmotic coefficient vs PHREEQC (pitzer.dat), per solution.

osmolab evaluates 10^5 NaCl compositions (0.1-6 mol/kg, 25 degC) in one vectorised call;
PHREEQC (phreeqpython, pitzer.dat) evaluates 2,000 of them batched in one ``run_string``
(one SOLUTION block each, USER_PUNCH of ACT("H2O") and OSMOTIC). Both are timed per solution
in the same run, and the osmotic coefficients are compared on the common compositions.
Goals: issue 2, >= 100x faster per solution, same answers within 0.5 %; issue 9 (item 6),
the NaCl osmotic coefficient 0.1-6 mol/kg batched >= 1,000x PHREEQC in the same run.

    .venv/bin/python benchmarks/bench_pitzer.py
"""

from __future__ import annotations

import os
import time

import numpy as np

from osmolab.thermo import pitzer

N_OSMOLAB = 100_000
N_PHREEQC = 2_000
SEAWATER = {  # Millero et al. 2008 major ions at S = 35 g/kg, mol/kg water
    "Na+": 0.4860, "Mg+2": 0.05474, "Ca+2": 0.01066, "K+": 0.01058, "Sr+2": 9.4e-5,
    "Cl-": 0.5657, "SO4-2": 0.02926, "Br-": 8.73e-4,
}  # fmt: skip
_ELEMENT = {"Na+": "Na", "Mg+2": "Mg", "Ca+2": "Ca", "K+": "K", "Sr+2": "Sr", "Cl-": "Cl",
            "SO4-2": "S(6)", "Br-": "Br"}  # fmt: skip


def best_of(function, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def phreeqc_run(compositions):
    import phreeqpython

    engine = phreeqpython.PhreeqPython(database="pitzer.dat")
    blocks = []
    for k, composition in enumerate(compositions, start=1):
        lines = [f"SOLUTION {k}", " temp 25", " units mol/kgw"]
        lines += [f" {_ELEMENT[ion]} {m!r}" for ion, m in composition.items()]
        blocks.append("\n".join(lines))
    text = "\n".join(blocks) + (
        "\nSELECTED_OUTPUT\n -reset false\nUSER_PUNCH\n -headings aw phi\n"
        ' 10 PUNCH ACT("H2O"), OSMOTIC\nEND\n'
    )
    start = time.perf_counter()
    engine.ip.run_string(text)
    table = np.array(engine.ip.get_selected_output_array()[1:], dtype=float)
    return time.perf_counter() - start, table[:, 1]


def main():
    molality = np.linspace(0.1, 6.0, N_OSMOLAB)
    nacl = {"Na+": molality, "Cl-": molality}
    pitzer.osmotic_coefficient({"Na+": 1.0, "Cl-": 1.0})  # load tables, compile J(x)
    print(f"load average (1 min) {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    t_ours, phi = best_of(lambda: pitzer.osmotic_coefficient(nacl, 298.15))
    per_ours = t_ours / N_OSMOLAB
    print(f"osmolab  NaCl: {N_OSMOLAB:,} compositions in {t_ours * 1e3:.1f} ms "
          f"= {per_ours * 1e6:.3f} us per solution")  # fmt: skip

    factor = np.linspace(0.3, 3.5, N_OSMOLAB)
    sea = {ion: value * factor for ion, value in SEAWATER.items()}
    t_sea, _ = best_of(lambda: pitzer.osmotic_coefficient(sea, 298.15), repeat=3)
    print(f"osmolab  seawater (8 ions): {N_OSMOLAB:,} compositions in {t_sea * 1e3:.1f} ms "
          f"= {t_sea / N_OSMOLAB * 1e6:.3f} us per solution")  # fmt: skip

    try:
        import phreeqpython  # noqa: F401
    except ImportError:
        print("phreeqpython is not installed: PHREEQC comparison skipped "
              "(pip install phreeqpython).")  # fmt: skip
        return

    pick = np.linspace(0, N_OSMOLAB - 1, N_PHREEQC).astype(int)
    compositions = [{"Na+": float(molality[i]), "Cl-": float(molality[i])} for i in pick]
    t_phreeqc, phi_phreeqc = phreeqc_run(compositions)
    per_phreeqc = t_phreeqc / N_PHREEQC
    difference = np.max(np.abs(phi[pick] / phi_phreeqc - 1.0)) * 100
    print(f"PHREEQC  NaCl: {N_PHREEQC:,} solutions in one run_string in {t_phreeqc:.2f} s "
          f"= {per_phreeqc * 1e6:.1f} us per solution")  # fmt: skip
    ratio = per_phreeqc / per_ours
    print(f"speed-up per solution: {ratio:,.0f}x (goal >= 1,000x: "
          f"{'met' if ratio >= 1000 else 'NOT met'})")
    print(f"max |phi_osmolab / phi_PHREEQC - 1| = {difference:.4f} % (goal <= 0.5 %)")

    sea_pick = np.linspace(0, N_OSMOLAB - 1, 500).astype(int)
    sea_compositions = [{ion: float(v[i]) for ion, v in sea.items()} for i in sea_pick]
    t_phreeqc_sea, phi_sea = phreeqc_run(sea_compositions)
    ours_sea = pitzer.osmotic_coefficient(sea, 298.15)[sea_pick]
    print(f"PHREEQC  seawater: 500 solutions in {t_phreeqc_sea:.2f} s = "
          f"{t_phreeqc_sea / 500 * 1e6:.1f} us per solution; speed-up "
          f"{t_phreeqc_sea / 500 / (t_sea / N_OSMOLAB):,.0f}x; max |dphi/phi| = "
          f"{np.max(np.abs(ours_sea / phi_sea - 1)) * 100:.4f} %")  # fmt: skip


if __name__ == "__main__":
    main()
