"""Fit the Pitzer self-interaction parameters of neutral solutes to freezing-point data.

Data: freezing-point depressions of aqueous sucrose, glucose, glycerol, urea and ethanol from
the CRC Handbook of Chemistry and Physics table "Concentrative properties of aqueous
solutions" (after Wolf 1966), in ``src/osmolab/data/pitzer_neutral_freezing_points.csv``.

Each depression theta is turned into the activity of water at the freezing point by
integrating the Gibbs-Helmholtz equation along the ice-liquid line
(:func:`osmolab.thermo.water.ln_water_activity_freezing_point`), then into the osmotic
coefficient phi = -ln a_w / (M_w m). For a single neutral solute the Pitzer model gives

    phi - 1 = lambda m + 2 mu m^2 + 3 nu m^3

(G_ex/(w RT) = lambda m^2 + mu m^3 + nu m^4), fitted by weighted least squares
(:func:`osmolab.thermo.validation.fit_neutral_solute`). The fitted numbers are written into
``src/osmolab/data/pitzer_neutral.csv`` by hand; run this script to reproduce them and print
the fit quality:

    .venv/bin/python docs/fit_pitzer_neutral.py
"""

from __future__ import annotations

import numpy as np

from osmolab.thermo.validation import NEUTRAL_FIT_TERMS, fit_neutral_solute, neutral_freezing_points


def main():
    data = neutral_freezing_points()
    for solute in NEUTRAL_FIT_TERMS:
        m, theta, phi, model, coefficients = fit_neutral_solute(solute, data)
        names = ["lambda", "mu", "nu"][: len(coefficients)]
        text = ", ".join(f"{n} = {c:.6g}" for n, c in zip(names, coefficients, strict=True))
        big = m >= 0.3
        worst = np.max(np.abs(model[big] / phi[big] - 1.0)) * 100
        print(
            f"{solute:9s} {len(m):3d} points, m {m.min():.3f}-{m.max():.3f} mol/kg, "
            f"T_f down to {-theta.max():.1f} degC: {text}; "
            f"max |dev| (m >= 0.3) {worst:.2f} %"
        )


if __name__ == "__main__":
    main()
