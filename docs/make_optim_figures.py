"""Figures of docs/optimisation.md: two Pareto fronts of the bundled seawater plant.
Run: ``PYTHONPATH=src python docs/make_optim_figures.py`` (prints the numbers quoted on the page)."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from osmolab.studies.optimize import optimize  # noqa: E402
from osmolab.studies.pareto import pareto, plot_pareto  # noqa: E402

HERE = Path(__file__).resolve().parent / "img"
ELEMENTS = ["SW30XLE-440i", "SW30HRLE-440i", "SW30ULE-440i"]
SPACE = {"element": ELEMENTS, "vessels": "36:48:4", "recovery": (0.35, 0.55)}

# LCOW (WaterTAP cost basis, the example's costing section) against recovery
front = pareto("seawater_px", ("lcow", "recovery"), SPACE, ["permeate_tds_mg_L<=300"], grid=41)
print(front[["element", "vessels", "recovery", "lcow_usd_m3", "sec_kWh_m3", "permeate_tds_mg_L"]]
      .iloc[::max(len(front) // 8, 1)].to_string(index=False))
fig = plot_pareto(front, ("lcow", "recovery"), label_by="element")
fig.axes[0].set_title("seawater_px: LCOW vs recovery (TDS <= 300 mg/L, guidelines)")
fig.savefig(HERE / "optim-pareto-lcow-recovery.png", dpi=90)
plt.close(fig)

# SEC against permeate TDS
front = pareto("seawater_px", ("sec", "permeate_tds"), SPACE, grid=41)
print(front[["element", "vessels", "recovery", "sec_kWh_m3", "permeate_tds_mg_L"]]
      .iloc[::max(len(front) // 8, 1)].to_string(index=False))
fig = plot_pareto(front, ("sec", "permeate_tds"), label_by="element")
fig.axes[0].set_title("seawater_px: SEC vs permeate TDS (guidelines)")
fig.savefig(HERE / "optim-pareto-sec-tds.png", dpi=90)
plt.close(fig)

best = optimize("seawater_px", "lcow", SPACE, ["permeate_tds_mg_L<=300"])
print(best.variables, round(best.value, 4), best.binding, best.evaluations, round(best.time_s, 2))
