"""Regenerate the figures of docs/gas-diffusion.md, liquid-diffusion.md, fick.md, osmometer.md
and cells.md.

Run: .venv/bin/python docs/img/transport_figures.py
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from osmolab.constants import R  # noqa: E402
from osmolab.osmosis.cell import simulate_cell  # noqa: E402
from osmolab.osmosis.osmometer import Osmometer, Solute  # noqa: E402
from osmolab.transport.fick import (  # noqa: E402
    closed_box_exact,
    partition_initial,
    solve_diffusion,
)
from osmolab.transport.gas import gas_diffusivity  # noqa: E402
from osmolab.transport.liquid import (  # noqa: E402
    M_NACL,
    NACL_DIFFUSIVITY_25,
    nacl_diffusivity,
)

HERE = Path(__file__).parent
DPI = 80


def gas_figure():
    T = np.linspace(200, 1000, 200)
    fig, ax = plt.subplots(figsize=(6, 4))
    # BSL Table 17.1-1 experimental points at 1 atm
    measured = {("N2", "O2"): [(273.2, 0.181)], ("H2", "N2"): [(273.2, 0.674)],
                ("CO2", "N2"): [(273.2, 0.144), (288.2, 0.158), (298.2, 0.165)],
                ("H2O", "O2"): [(352, 0.357)]}
    for k, pair in enumerate(measured):
        ce = gas_diffusivity(*pair, T) * 1e4
        fu = gas_diffusivity(*pair, T, method="fuller") * 1e4
        ax.plot(T, ce, color=f"C{k}", label=f"{pair[0]}-{pair[1]} Chapman-Enskog")
        ax.plot(T, fu, color=f"C{k}", ls="--", lw=1)
        pts = np.array(measured[pair])
        ax.plot(pts[:, 0], pts[:, 1], "o", color=f"C{k}", mfc="none")
    ax.set_yscale("log")
    ax.set_xlabel("temperature [K]")
    ax.set_ylabel("D at 1 atm [cm$^2$/s]")
    ax.set_title("solid: Chapman-Enskog, dashed: Fuller, o: BSL Table 17.1-1", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(HERE / "gas-diffusion.png", dpi=DPI)
    plt.close(fig)


def liquid_figure():
    molality = np.linspace(0.0, 6.0, 300)
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for t_c in (15, 25, 35):
        ax.plot(molality, nacl_diffusivity(molality, 273.15 + t_c) * 1e9, label=f"osmolab, {t_c} degC")
    # the tabulated 25 degC data are per litre of solution: plot them at their molality
    molarity, d = (np.array(v) for v in NACL_DIFFUSIVITY_25)
    density = 997.05 + 40.5 * molarity  # NaCl(aq) at 25 degC, within 0.3 % to 5 mol/L
    plotted = molarity / (density / 1000.0 - molarity * M_NACL)
    ax.plot(plotted, d, "ko", ms=3, label="measured, 25 degC (R&S 1959; Rard & Miller 1979)")
    ax.set_xlabel("NaCl molality [mol/kg]")
    ax.set_ylabel("D [1e-9 m^2/s]")
    ax.set_title("mutual diffusion coefficient of aqueous NaCl", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(HERE / "liquid-diffusion.png", dpi=DPI)
    plt.close(fig)


def fick_figure():
    L, D, n = 0.1, 2.0e-5, 100
    res = solve_diffusion(partition_initial(n, 0.3), L, D, 300.0, 600, n_records=601)
    z = res.centers[0]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.5))
    zz = np.linspace(0, L, 400)
    for k, t in enumerate([1.0, 10.0, 50.0, 150.0]):
        i = int(np.argmin(np.abs(res.times - t)))
        a1.plot(z * 100, res.fields[i], "o", ms=2, color=f"C{k}")
        a1.plot(zz * 100, closed_box_exact(zz, res.times[i], L, D, 0.3), color=f"C{k}",
                label=f"t = {res.times[i]:g} s")
    a1.set_xlabel("z [cm]")
    a1.set_ylabel("x_A")
    a1.set_title("partition at 0.3 L: FV (dots) vs exact (lines)", fontsize=9)
    a1.legend(fontsize=7)
    a2.semilogy(res.times, 1 - res.mixing)
    a2.set_xlabel("time [s]")
    a2.set_ylabel("1 - degree of mixing")
    fig.tight_layout()
    fig.savefig(HERE / "fick.png", dpi=DPI)
    plt.close(fig)


def osmometer_figure():
    ideal = Osmometer([Solute("sucrose", inner=10.0)]).run()
    leaky = Osmometer([Solute("sucrose", inner=10.0, reflection=0.9,
                              permeability=2e-7 / (R * 298.15))], outer_volume=1e-3).run()
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(ideal.times / 3600, ideal.height, label="ideal membrane (sigma = 1)")
    ax.plot(leaky.times / 3600, leaky.height, label="leaky: sigma = 0.9, P_s = 2e-7 m/s")
    ax.axhline(ideal.equilibrium_height, color="k", ls=":", lw=0.8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("time [h]")
    ax.set_ylabel("column height [m]")
    ax.set_title("10 mmol/L sucrose vs water, 1 mm capillary", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(HERE / "osmometer.png", dpi=DPI)
    plt.close(fig)


def cell_figure():
    media = {"0.9 % NaCl": {"NaCl": 0.286}, "0.45 % NaCl": {"NaCl": 0.145},
             "3 % NaCl": {"NaCl": 0.95}, "290 mM urea": {"urea": 0.29},
             "0.9 % NaCl + 1 M glycerol": {"NaCl": 0.286, "glycerol": 1.0}}
    fig, ax = plt.subplots(figsize=(6, 3.8))
    for label, medium in media.items():
        r = simulate_cell(medium)
        ax.plot(r.times, r.volume_ratio, label=f"{label}: {r.outcome}")
    ax.axhline(r.critical_volume_ratio, color="r", ls="--", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlim(1e-3, 300)
    ax.set_xlabel("time [s]")
    ax.set_ylabel("V / V_iso")
    ax.set_title("human red cell (b = 0.4, lysis at the sphere volume)", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(HERE / "cells.png", dpi=DPI)
    plt.close(fig)


if __name__ == "__main__":
    gas_figure()
    liquid_figure()
    fick_figure()
    osmometer_figure()
    cell_figure()
