"""Fit the Pitzer self-interaction parameters of neutral solutes to freezing-point data.

Data: freezing-point depressions of aqueous sucrose, glucose, glycerol, urea and ethanol from
the CRC Handbook of Chemistry and Physics table "Concentrative properties of aqueous
solutions" (after Wolf 1966), in ``docs/pitzer_neutral_freezing_points.csv``.

Each depression theta is turned into the activity of water at the freezing point by
integrating the Gibbs-Helmholtz equation along the ice-liquid line,

    ln a_w = -int_{T0-theta}^{T0} dH_fus(T) / (R T^2) dT,  dH_fus(T) = dH0 - dCp (T0 - T),

with dH0 = 6009.5 J/mol and dCp = 38.1 J/(mol K) (this reproduces Robinson & Stokes' 1959
series -log10 a_w = 0.004207 theta + 2.1e-6 theta^2), then into the osmotic coefficient
phi = -ln a_w / (M_w m). For a single neutral solute the Pitzer model gives

    phi - 1 = lambda m + 2 mu m^2 + 3 nu m^3

(G_ex/(w RT) = lambda m^2 + mu m^3 + nu m^4), fitted here by weighted least squares with the
reading uncertainty of the table (theta to 0.01 K, m to 0.001 mol/kg) as weights. The fitted
numbers are written into ``src/osmolab/data/pitzer_neutral.csv`` by hand; run this script to
reproduce them and print the fit quality:

    .venv/bin/python docs/fit_pitzer_neutral.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.integrate import quad

R = 8.314462618
M_WATER = 0.01801528
T0 = 273.15
DH_FUS = 6009.5  # J/mol, enthalpy of fusion of ice at 273.15 K
DCP_FUS = 38.1  # J/(mol K), Cp(liquid) - Cp(ice) near 273 K
#: highest molality fitted per solute (beyond it three terms no longer follow the data)
MAX_MOLALITY = {"sucrose": 2.2, "glucose": 2.4, "glycerol": 7.3, "urea": 13.1, "ethanol": 10.3}
#: number of terms (lambda, mu, nu) used per solute
TERMS = {"sucrose": 2, "glucose": 2, "glycerol": 3, "urea": 3, "ethanol": 3}


def ln_water_activity_at_freezing_point(theta):
    """ln a_w of a solution freezing theta [K] below pure water."""

    def integrand(t):
        return (DH_FUS - DCP_FUS * (T0 - t)) / (R * t * t)

    return np.array([-quad(integrand, T0 - d, T0)[0] for d in np.atleast_1d(theta)])


def load():
    here = Path(__file__).parent
    return pd.read_csv(here / "pitzer_neutral_freezing_points.csv", comment="#")


def fit(solute, data):
    rows = data[(data.solute == solute) & (data.molality <= MAX_MOLALITY[solute])]
    m = rows.molality.to_numpy()
    theta = rows.freezing_point_depression.to_numpy()
    phi = -ln_water_activity_at_freezing_point(theta) / (M_WATER * m)
    relative = np.hypot(0.005 / theta, 0.0005 / m)
    sigma = phi * relative
    terms = TERMS[solute]
    design = np.stack([(k + 1) * m ** (k + 1) for k in range(terms)], axis=1)
    weights = 1.0 / sigma
    coefficients, *_ = np.linalg.lstsq(design * weights[:, None], (phi - 1.0) * weights, rcond=None)
    model = 1.0 + design @ coefficients
    return m, theta, phi, model, coefficients


def main():
    data = load()
    for solute in ("sucrose", "glucose", "glycerol", "urea", "ethanol"):
        m, theta, phi, model, coefficients = fit(solute, data)
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
