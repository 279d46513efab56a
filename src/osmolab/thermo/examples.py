"""Built-in example solutions: osmotic pressure, osmotic coefficient and tonicity.

The table ``osmolab run`` printed before the RO engine existed, kept for the docs
(``docs/osmotic-pressure.md``, section 4) and as a smoke test of the whole thermo layer.

Examples
--------
>>> table = examples_table()
>>> table.loc[table.solution == "NaCl 0.9 %", "tonicity"].item()
'isotonic'
"""

from __future__ import annotations

from ..constants import T25
from .osmotic import osmotic_properties
from .solution import Solution
from .tonicity import tonicity

__all__ = ["EXAMPLES", "examples_table"]

#: The example solutions (solution strings of :meth:`Solution.from_string`).
EXAMPLES = (
    "NaCl 0.1 mol/kg",
    "NaCl 1 mol/kg",
    "NaCl 2 mol/kg",
    "seawater 35 g/kg",
    "NaCl 0.9 %",
    "NaCl 0.45 %",
    "NaCl 3 %",
    "urea 300 mmol/kg",
    "glucose 5 %",
)


def examples_table(temperature=T25):
    """Osmotic pressure, osmotic coefficient, osmolality and tonicity of :data:`EXAMPLES`.

    Parameters
    ----------
    temperature : float, default 298.15
        Temperature [K].

    Returns
    -------
    pandas.DataFrame
        One row per example: ``solution``, ``model``, ``osmotic_pressure_bar``,
        ``osmotic_coefficient``, ``osmolality_mOsm_per_kg``,
        ``effective_osmolality_mOsm_per_kg`` (red cell), ``tonicity`` (vs plasma).
    """
    import pandas as pd  # lazy: pandas takes ~1 s to import; only this table needs it

    rows = []
    for text in EXAMPLES:
        solution = Solution.from_string(text, temperature)
        result = osmotic_properties(solution)
        tone = tonicity(solution)
        rows.append(
            {
                "solution": text,
                "model": result.model,
                "osmotic_pressure_bar": result.osmotic_pressure / 1e5,
                "osmotic_coefficient": result.osmotic_coefficient,
                "osmolality_mOsm_per_kg": result.osmolality * 1e3,
                "effective_osmolality_mOsm_per_kg": tone.effective_osmolality * 1e3,
                "tonicity": tone.tonicity,
            }
        )
    return pd.DataFrame(rows)
