"""Validation of the solution thermodynamics against published numbers.

:func:`validation_table` evaluates every case of :data:`CASES` (a published value, its
source and the tolerance we claim) and reports the agreement; ``tests/test_osmotic.py``
asserts every row and ``docs/osmotic-pressure.md`` prints the table
(``python -m osmolab.thermo.validation`` regenerates it).

The Pitzer engine's own reference data live here too (:data:`ROBINSON_STOKES_25C`,
:data:`FREEZING_POINTS`, the CRC freezing points of neutral solutes and their fit
:func:`fit_neutral_solute`, the PHREEQC referee cases): ``tests/test_pitzer.py`` asserts them
and ``docs/make_pitzer_validation.py`` prints them into ``docs/pitzer.md``.

Examples
--------
>>> table = validation_table()
>>> bool(table["ok"].all())
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..constants import M_WATER, T0
from ..data import load_csv
from .osmotic import choose_model, osmotic_properties
from .solution import Solution
from .water import ln_water_activity_freezing_point


@dataclass(frozen=True)
class Case:
    """One published value to reproduce."""

    name: str
    quantity: str
    solution: str
    temperature_C: float
    model: str | None
    published: float
    tolerance: float  # relative
    source: str


#: Published values we must reproduce (relative tolerances are the claims of the docs).
CASES = (
    Case(
        "NaCl 0.1 mol/kg",
        "osmotic_coefficient",
        "NaCl 0.1 mol/kg",
        25,
        "pitzer",
        0.932,
        0.005,
        "Robinson & Stokes 1959, App. 8.10",
    ),
    Case(
        "NaCl 1.0 mol/kg",
        "osmotic_coefficient",
        "NaCl 1 mol/kg",
        25,
        "pitzer",
        0.936,
        0.005,
        "Robinson & Stokes 1959, App. 8.10",
    ),
    Case(
        "NaCl 2.0 mol/kg",
        "osmotic_coefficient",
        "NaCl 2 mol/kg",
        25,
        "pitzer",
        0.983,
        0.005,
        "Robinson & Stokes 1959, App. 8.10",
    ),
    Case(
        "NaCl 1.0 mol/kg",
        "water_activity",
        "NaCl 1 mol/kg",
        25,
        "pitzer",
        0.96686,
        0.0003,
        "Robinson & Stokes 1959, App. 8.10",
    ),
    Case(
        "seawater 35 g/kg",
        "osmotic_pressure_bar",
        "seawater 35 g/kg",
        25,
        "seawater",
        25.9,
        0.01,
        "Sharqawy, Lienhard & Zubair 2010",
    ),
    Case(
        "seawater 35 g/kg",
        "osmotic_pressure_bar",
        "seawater 35 g/kg",
        25,
        None,
        25.9,
        0.01,
        "Sharqawy et al. 2010 (TEOS-10: 25.8)",
    ),
    Case(
        "0.9 % NaCl",
        "osmolality_mOsm_per_kg",
        "NaCl 0.9 %",
        25,
        None,
        287,
        0.01,
        "154 mmol/L x 2 x phi 0.93 (Robinson & Stokes 1959): the 286-287 mOsm/kg of normal saline",
    ),
    Case(
        "NaCl 10 % w/w",
        "density_kg_m3",
        "NaCl 10 % w/w",
        20,
        None,
        1070.7,
        0.001,
        "CRC Handbook, concentrative properties",
    ),
    Case(
        "NaCl 20 % w/w",
        "density_kg_m3",
        "NaCl 20 % w/w",
        20,
        None,
        1147.8,
        0.001,
        "CRC Handbook, concentrative properties",
    ),
    Case(
        "KCl 10 % w/w",
        "density_kg_m3",
        "KCl 10 % w/w",
        20,
        None,
        1063.3,
        0.001,
        "CRC Handbook, concentrative properties",
    ),
    Case(
        "CaCl2 5 % w/w",
        "density_kg_m3",
        "CaCl2 5 % w/w",
        20,
        None,
        1040.1,
        0.002,
        "CRC Handbook, concentrative properties",
    ),
    Case(
        "MgSO4 5 % w/w",
        "density_kg_m3",
        "MgSO4 5 % w/w",
        20,
        None,
        1049.7,
        0.002,
        "CRC Handbook, concentrative properties",
    ),
    Case(
        "glucose 20 % w/w",
        "density_kg_m3",
        "glucose 20 % w/w",
        20,
        None,
        1079.7,
        0.001,
        "CRC Handbook, concentrative properties",
    ),
    Case(
        "urea 20 % w/w",
        "density_kg_m3",
        "urea 20 % w/w",
        20,
        None,
        1053.0,
        0.0015,
        "CRC Handbook, concentrative properties",
    ),
    Case(
        "sucrose 20 % w/w",
        "density_kg_m3",
        "sucrose 20 % w/w",
        20,
        None,
        1081.0,
        0.001,
        "CRC Handbook, concentrative properties",
    ),
    Case(
        "NaCl 1 mol/L",
        "molality_mol_kg",
        "NaCl 1 mol/L",
        20,
        None,
        1.020,
        0.002,
        "CRC Handbook, concentrative properties (interpolated)",
    ),
    Case(
        "seawater 35 g/kg",
        "tds_g_L",
        "seawater 35 g/kg",
        25,
        None,
        35.83,
        0.001,
        "S x rho, rho = 1023.7 kg/m^3 (Sharqawy et al. 2010)",
    ),
)


def _compute(case: Case) -> float:
    solution = Solution.from_string(case.solution, T0 + case.temperature_C)
    if case.quantity == "density_kg_m3":
        return float(solution.density)
    if case.quantity == "tds_g_L":
        return float(solution.tds)
    if case.quantity == "molality_mol_kg":
        return float(max(solution.molalities.values()))
    result = osmotic_properties(solution, model=case.model)
    return {
        "osmotic_coefficient": result.osmotic_coefficient,
        "water_activity": result.water_activity,
        "osmotic_pressure_bar": result.osmotic_pressure / 1e5,
        "osmolality_mOsm_per_kg": result.osmolality * 1e3,
    }[case.quantity]


def validation_table():
    """Computed against published values for every case of :data:`CASES`.

    Returns
    -------
    pandas.DataFrame
        Columns ``case``, ``quantity``, ``model``, ``published``, ``computed``,
        ``deviation_percent``, ``tolerance_percent``, ``ok``, ``source``.
    """
    import pandas as pd  # lazy: pandas takes ~1 s to import; only this table needs it

    rows = []
    for case in CASES:
        computed = _compute(case)
        model = case.model
        if model is None and case.quantity not in ("density_kg_m3", "tds_g_L", "molality_mol_kg"):
            model = (
                "default: "
                + choose_model(Solution.from_string(case.solution, T0 + case.temperature_C))[0]
            )
        deviation = (computed - case.published) / case.published
        rows.append(
            {
                "case": f"{case.name}, {case.temperature_C:g} degC",
                "quantity": case.quantity,
                "model": model or "-",
                "published": case.published,
                "computed": computed,
                "deviation_percent": 100 * deviation,
                "tolerance_percent": 100 * case.tolerance,
                "ok": abs(deviation) <= case.tolerance,
                "source": case.source,
            }
        )
    return pd.DataFrame(rows)


def validation_markdown() -> str:
    """The validation table as Markdown (for ``docs/osmotic-pressure.md``)."""
    table = validation_table()
    head = (
        "| case | quantity | model | published | osmolab | deviation | tolerance | source |\n"
        "|---|---|---|---:|---:|---:|---:|---|\n"
    )
    lines = [
        f"| {r.case} | {r.quantity} | {r.model} | {r.published:.6g} | {r.computed:.6g} | "
        f"{r.deviation_percent:+.2f} % | ±{r.tolerance_percent:g} % | {r.source} |"
        for r in table.itertuples()
    ]
    return head + "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# the Pitzer engine: published osmotic coefficients, freezing points, PHREEQC referee
# --------------------------------------------------------------------------------------
#: Ions per formula unit of the salts in the Pitzer validation cases.
SALTS = {
    "NaCl": {"Na+": 1, "Cl-": 1},
    "KCl": {"K+": 1, "Cl-": 1},
    "CaCl2": {"Ca+2": 1, "Cl-": 2},
    "MgCl2": {"Mg+2": 1, "Cl-": 2},
    "Na2SO4": {"Na+": 2, "SO4-2": 1},
    "MgSO4": {"Mg+2": 1, "SO4-2": 1},
    "K2SO4": {"K+": 2, "SO4-2": 1},
}

#: Millero et al. (2008) reference composition, mol per kg of seawater at S_R = 35.16504 g/kg
#: (major ions; the carbonate, borate and fluoride traces are speciated by PHREEQC and left
#: out of the referee comparison).
SEAWATER_MAJOR = {
    "Na+": 0.4689674,
    "Mg+2": 0.0528171,
    "Ca+2": 0.0102821,
    "K+": 0.0102077,
    "Sr+2": 0.0000907,
    "Cl-": 0.5458696,
    "SO4-2": 0.0282352,
    "Br-": 0.0008421,
}

#: Robinson, R. A. and Stokes, R. H., 1959, Electrolyte Solutions, 2nd ed., Appendix 8.10:
#: osmotic coefficients at 25 degC, (salt, molality [mol/kg], phi).
ROBINSON_STOKES_25C = [
    ("NaCl", 0.1, 0.932),
    ("NaCl", 1.0, 0.936),
    ("NaCl", 2.0, 0.983),
    ("NaCl", 4.0, 1.116),
    ("NaCl", 6.0, 1.271),
    ("KCl", 0.1, 0.927),
    ("KCl", 1.0, 0.897),
    ("KCl", 2.0, 0.912),
    ("CaCl2", 0.1, 0.854),
    ("CaCl2", 1.0, 1.046),
    ("MgCl2", 0.1, 0.861),
    ("MgCl2", 1.0, 1.108),
    ("Na2SO4", 1.0, 0.641),
    ("MgSO4", 1.0, 0.527),
]

#: CRC Handbook of Chemistry and Physics, "Concentrative properties of aqueous solutions"
#: (from Wolf 1966): (salt, molality [mol/kg], freezing-point depression [K]).
FREEZING_POINTS = [
    ("NaCl", 0.529, 1.79),
    ("NaCl", 1.092, 3.70),
    ("NaCl", 2.115, 7.35),
    ("NaCl", 3.020, 10.89),
    ("KCl", 0.706, 2.32),
    ("KCl", 1.010, 3.29),
]

#: Highest molality [mol/kg] of the CRC freezing points fitted per neutral solute (beyond it
#: the three-term series no longer follows the data).
NEUTRAL_FIT_MAX_MOLALITY = {
    "sucrose": 2.2,
    "glucose": 2.4,
    "glycerol": 7.3,
    "urea": 13.1,
    "ethanol": 10.3,
}
#: Number of terms (lambda, mu, nu) fitted per neutral solute.
NEUTRAL_FIT_TERMS = {"sucrose": 2, "glucose": 2, "glycerol": 3, "urea": 3, "ethanol": 3}

#: PHREEQC element names of the ions in the referee cases.
PHREEQC_ELEMENT = {
    "Na+": "Na",
    "K+": "K",
    "Ca+2": "Ca",
    "Mg+2": "Mg",
    "Sr+2": "Sr",
    "Cl-": "Cl",
    "SO4-2": "S(6)",
    "Br-": "Br",
}


def salt_molalities(name, molality) -> dict:
    """Ion molalities [mol/kg] of ``molality`` of the salt ``name`` (one of :data:`SALTS`).

    Examples
    --------
    >>> salt_molalities("CaCl2", 0.5)
    {'Ca+2': 0.5, 'Cl-': 1.0}
    """
    return {ion: n * molality for ion, n in SALTS[name].items()}


def seawater_major_ions(salinity_g_per_kg) -> dict:
    """Major-ion molalities [mol/kg water] of seawater at an absolute salinity [g/kg]
    (:data:`SEAWATER_MAJOR` scaled at fixed ratios)."""
    factor = salinity_g_per_kg / 35.16504 / (1.0 - salinity_g_per_kg / 1000.0)
    return {ion: value * factor for ion, value in SEAWATER_MAJOR.items()}


def freezing_point_osmotic_coefficient(molality, depression, particles=1):
    r"""Osmotic coefficient [-] at the freezing point from a freezing-point depression.

    Parameters
    ----------
    molality : numeric
        Molality of the solute [mol/kg water].
    depression : numeric
        Freezing-point depression [K].
    particles : int, default 1
        Particles per formula unit (2 for NaCl).

    Notes
    -----
    :math:`\phi = -\ln a_w / (M_w \nu m)` with :math:`\ln a_w` from
    :func:`osmolab.thermo.water.ln_water_activity_freezing_point`.

    Examples
    --------
    >>> round(float(freezing_point_osmotic_coefficient(1.092, 3.70, 2)), 4)
    0.9126
    """
    ln_aw = ln_water_activity_freezing_point(depression)
    return -ln_aw / (M_WATER * np.asarray(molality, dtype=float) * particles)


def neutral_freezing_points():
    """CRC freezing-point depressions of aqueous neutral solutes (``data/
    pitzer_neutral_freezing_points.csv``): columns ``solute``, ``molality`` [mol/kg],
    ``freezing_point_depression`` [K] (a cached DataFrame; do not mutate it)."""
    return load_csv("pitzer_neutral_freezing_points.csv")


def fit_neutral_solute(solute, data=None):
    r"""Fit the Pitzer self-interaction terms of a neutral solute to its freezing points.

    For a single neutral solute the Pitzer model gives
    :math:`\phi - 1 = \lambda m + 2\mu m^2 + 3\nu m^3`; the terms are fitted by weighted
    least squares to the osmotic coefficients of :func:`neutral_freezing_points` up to
    :data:`NEUTRAL_FIT_MAX_MOLALITY`, weighted by the reading uncertainty of the table
    (theta to 0.01 K, m to 0.001 mol/kg). The fitted numbers are in
    ``data/pitzer_neutral.csv``.

    Parameters
    ----------
    solute : str
        One of :data:`NEUTRAL_FIT_TERMS`.
    data : pandas.DataFrame, optional
        The freezing points; default :func:`neutral_freezing_points`.

    Returns
    -------
    molality, depression, phi, phi_fit, coefficients : numpy.ndarray
        The fitted points [mol/kg], [K], their osmotic coefficients from the data and
        from the fit [-], and (lambda, mu[, nu]).

    Examples
    --------
    >>> *_, coefficients = fit_neutral_solute("sucrose")
    >>> [round(float(c), 4) for c in coefficients]
    [0.0978, 0.0054]
    """
    data = neutral_freezing_points() if data is None else data
    rows = data[(data.solute == solute) & (data.molality <= NEUTRAL_FIT_MAX_MOLALITY[solute])]
    m = rows.molality.to_numpy()
    theta = rows.freezing_point_depression.to_numpy()
    phi = freezing_point_osmotic_coefficient(m, theta)
    relative = np.hypot(0.005 / theta, 0.0005 / m)
    sigma = phi * relative
    terms = NEUTRAL_FIT_TERMS[solute]
    design = np.stack([(k + 1) * m ** (k + 1) for k in range(terms)], axis=1)
    weights = 1.0 / sigma
    coefficients, *_ = np.linalg.lstsq(design * weights[:, None], (phi - 1.0) * weights, rcond=None)
    model = 1.0 + design @ coefficients
    return m, theta, phi, model, coefficients


def phreeqc_referee_cases() -> list[tuple[dict, float]]:
    """Compositions [mol/kg] and temperatures [K] compared with PHREEQC (pitzer.dat).

    Single salts to 6 mol/kg, mixtures, seawater major ions (Millero 2008) 10-120 g/kg and
    0-50 degC; the first two (NaCl 1 mmol/kg at 0 and 50 degC) check the Debye-Huckel slope.
    """
    salt = salt_molalities
    cases = [(salt("NaCl", 0.001), t) for t in (273.15, 323.15)]
    cases += [(salt("NaCl", m), 298.15) for m in (0.1, 1.0, 3.0, 6.0)]
    cases += [(salt("KCl", m), 298.15) for m in (1.0, 4.5)]
    cases += [(salt("CaCl2", m), 298.15) for m in (0.5, 3.0, 6.0)]
    cases += [(salt("MgCl2", m), 298.15) for m in (0.5, 3.0, 5.0)]
    cases += [(salt("Na2SO4", m), 298.15) for m in (0.5, 3.0)]
    cases += [(salt("MgSO4", m), 298.15) for m in (0.5, 2.5)]
    cases += [(salt("K2SO4", 0.6), 298.15)]
    cases += [(salt("NaCl", 2.0), t) for t in (273.15, 323.15)]
    cases += [(salt("CaCl2", 2.0), t) for t in (273.15, 323.15)]
    cases += [({"Na+": 1.0, "K+": 1.0, "Cl-": 2.0}, 298.15)]
    cases += [({"Na+": 2.0, "Mg+2": 0.5, "Cl-": 3.0}, 298.15)]
    cases += [({"Na+": 2.0, "Ca+2": 0.5, "Cl-": 2.0, "SO4-2": 0.5}, 298.15)]
    cases += [({"Na+": 3.0, "Cl-": 1.0, "SO4-2": 1.0}, 298.15)]
    cases += [({"Mg+2": 1.0, "K+": 1.0, "Cl-": 1.0, "SO4-2": 1.0}, 298.15)]
    cases += [(seawater_major_ions(s), 298.15) for s in (10, 35, 70, 120)]
    cases += [(seawater_major_ions(35), t) for t in (273.15, 313.15)]
    cases += [(seawater_major_ions(120), 323.15)]
    return cases


def phreeqc_osmotic_coefficients(cases):
    """Water activity and osmotic coefficient of each case from PHREEQC (pitzer.dat), in
    one batched run.

    Needs ``phreeqpython`` (the ``test`` extra).

    Parameters
    ----------
    cases : sequence of (mapping, float)
        Ion molalities [mol/kg water] (ions of :data:`PHREEQC_ELEMENT`) and temperature [K].

    Returns
    -------
    water_activity, osmotic_coefficient : numpy.ndarray
    """
    import phreeqpython  # lazy: optional referee (test extra), not a runtime dependency

    engine = phreeqpython.PhreeqPython(database="pitzer.dat")
    blocks = []
    for k, (composition, temperature) in enumerate(cases, start=1):
        lines = [f"SOLUTION {k}", f" temp {temperature - 273.15}", " units mol/kgw"]
        lines += [f" {PHREEQC_ELEMENT[ion]} {m!r}" for ion, m in composition.items()]
        blocks.append("\n".join(lines))
    text = "\n".join(blocks) + (
        "\nSELECTED_OUTPUT\n -reset false\nUSER_PUNCH\n -headings aw phi\n"
        ' 10 PUNCH ACT("H2O"), OSMOTIC\nEND\n'
    )
    engine.ip.run_string(text)
    table = np.array(engine.ip.get_selected_output_array()[1:], dtype=float)
    return table[:, 0], table[:, 1]


if __name__ == "__main__":  # pragma: no cover
    print(validation_markdown())
