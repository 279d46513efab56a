"""Figures and numbers of docs/studies.md: a sweep of the bundled seawater plant (contours and
lines) and a Monte Carlo study (histograms).

Run from the repository root: ``PYTHONPATH=src python docs/make_studies_figures.py``; writes
docs/img/sweep-contours.png, docs/img/sweep-lines.png and docs/img/montecarlo-histograms.png
and prints the tables quoted on the page.
"""

from pathlib import Path

from osmolab.studies.montecarlo import monte_carlo
from osmolab.studies.plots import histograms, sweep_figure
from osmolab.studies.sweep import sweep

IMG = Path(__file__).resolve().parent / "img"
PLANT = "seawater_px"


def main() -> None:
    grid = sweep(PLANT, {"recovery": (0.35, 0.60, 26), "temperature": (10, 35, 6)})
    sweep_figure(grid, ["target_recovery", "temperature_C"], IMG / "sweep-contours.png",
                 title="seawater_px: recovery x temperature (156 cases)")
    best = grid.loc[grid["lcow_usd_m3"].idxmin()]
    print(f"contours: {len(grid)} cases, {int(grid['feasible'].sum())} feasible; lowest LCOW "
          f"{best['lcow_usd_m3']:.4f} USD/m3 at recovery {best['target_recovery']:.2f}, "
          f"{best['temperature_C']:.0f} degC")
    lines = sweep(PLANT, {"recovery": (0.35, 0.60, 11), "array.stages.0.vessels": [36, 40, 44]})
    sweep_figure(lines, ["target_recovery", "array.stages.0.vessels"],
                 IMG / "sweep-lines.png", title="seawater_px: recovery x vessels")
    print(lines[["target_recovery", "array.stages.0.vessels", "feed_pressure_bar",
                 "sec_kWh_m3", "lcow_usd_m3"]].round(3).to_string(index=False))
    mc = monte_carlo(PLANT, 5000, seed=2026, limits={"permeate_tds_mg_L": 250.0})
    histograms(mc.samples, IMG / "montecarlo-histograms.png", limits=mc.limits,
               title="seawater_px: 5,000 Monte Carlo draws (default distributions)")
    print(mc.percentiles.round(3).to_string())
    for key, (limit, p) in mc.exceedance.items():
        print(f"P({key} > {limit:g}) = {p:.4f}")


if __name__ == "__main__":
    main()
