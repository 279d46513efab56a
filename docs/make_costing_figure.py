"""Draw docs/img/costing-breakdown.png and print the numbers of docs/costing.md.

    .venv/bin/python docs/make_costing_figure.py

Bars: WaterTAP's own operating point of its RO-with-energy-recovery flowsheet (pressure
exchanger) costed with the "watertap" basis; osmolab's projection of the mirror design
(data/example_watertap_ro_erd.yaml) with the same basis; the bundled seawater_px plant with
both bases.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from osmolab.data import path as data_path  # noqa: E402
from osmolab.ro.costing import BREAKDOWN_ITEMS, PlantQuantities, cost_projection, lcow  # noqa: E402
from osmolab.ro.design import load_design, project  # noqa: E402

OUT = Path(__file__).resolve().parent / "img" / "costing-breakdown.png"


def main():
    ref = json.loads(data_path("watertap_reference.json").read_text(encoding="utf-8"))
    cases = {}
    for name, case in ref["cases"].items():
        i = case["inputs"]
        q = PlantQuantities(i["product_flow_m3_s"], i["feed_flow_m3_s"], i["membrane_area_m2"],
                            0, 0, i["pump_work_W"], 0.0, i["electric_power_kW"],
                            i["pressure_exchanger_flow_m3_h"], i["turbine_flow_m3_h"])
        costs = lcow(q, "watertap")
        print(f"{name}: osmolab watertap basis {float(costs['lcow_usd_m3']):.4f}, WaterTAP "
              f"{case['published']['lcow_usd_m3']:.4f} USD/m3")
        if name == "px_simulation":
            cases["WaterTAP point,\nwatertap basis"] = costs
    mirror = load_design(str(data_path("example_watertap_ro_erd.yaml")))
    result = project(mirror)
    d = result.to_dict(detail=False)
    costs = cost_projection(result, mirror.costing.to_basis())
    print(f"mirror: feed {d['feed_pressure_bar']:.2f} bar g, SEC {d['sec_kWh_m3']:.3f} kWh/m3, "
          f"permeate {d['permeate_tds_mg_L']:.0f} mg/L, HP {d['high_pressure_pump_kW']:.2f} kW, "
          f"booster {d['booster_pump_kW']:.2f} kW, LCOW {costs['lcow_usd_m3']:.4f}")
    cases["osmolab mirror,\nwatertap basis"] = costs
    plant = load_design("seawater_px")
    result = project(plant)
    for basis in ("watertap", "voutchkov2018"):
        costs = cost_projection(result, basis)
        print(f"seawater_px {basis}: LCOW {costs['lcow_usd_m3']:.4f} USD/m3, capital "
              f"{costs['capital_usd']:,.0f} USD; " + ", ".join(
                  f"{k} {v:.4f}" for k, v in costs["breakdown"].items()))
        cases[f"seawater_px,\n{basis} basis"] = costs

    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    names = list(cases)
    bottom = [0.0] * len(names)
    colors = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"]
    for item, color in zip(BREAKDOWN_ITEMS, colors, strict=True):
        values = [float(cases[n]["breakdown"][f"{item}_usd_m3"]) for n in names]
        if not any(values):
            continue
        ax.bar(names, values, bottom=bottom, color=color, label=item.replace("_", " "))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for x, total in enumerate(bottom):
        ax.text(x, total + 0.01, f"{total:.3f}", ha="center", fontsize=9)
    ax.set_ylabel("LCOW [USD/m³, USD of 2018]")
    ax.set_ylim(0, max(bottom) * 1.15)
    ax.legend(fontsize=8, loc="upper left", ncols=3)
    ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    fig.savefig(OUT, dpi=120)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
