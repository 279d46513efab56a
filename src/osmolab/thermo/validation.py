"""Validation of the solution thermodynamics against published numbers.

:func:`validation_table` evaluates every case of :data:`CASES` (a published value, its
source and the tolerance we claim) and reports the agreement; ``tests/test_osmotic.py``
asserts every row and ``docs/osmotic-pressure.md`` prints the table
(``python -m osmolab.thermo.validation`` regenerates it).

Examples
--------
>>> table = validation_table()
>>> bool(table["ok"].all())
True
"""

from __future__ import annotations

from dataclasses import dataclass

from ..constants import T0


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
    from .osmotic import osmotic_properties
    from .solution import Solution

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
    import pandas as pd

    from .osmotic import choose_model
    from .solution import Solution

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


if __name__ == "__main__":  # pragma: no cover
    print(validation_markdown())
