"""Osmotic systems: the two-compartment osmometer and living cells.

:class:`Osmometer` is the Kedem-Katchalsky two-compartment osmometer (a membrane between a
solution and a bath, the solution rising in a capillary); :func:`simulate_cell` follows the
volume of a living cell (red blood cell, ...) in a medium.

Examples
--------
>>> from osmolab.osmosis import simulate_cell
>>> simulate_cell({"urea": 0.29}).outcome
'lyses'
"""

from .cell import (
    CELL_TYPES,
    CellResult,
    CellType,
    boyle_van_t_hoff,
    cell_rates,
    cell_type,
    medium_from_text,
    medium_tonicity,
    simulate_cell,
    sphere_volume_from_area,
)
from .osmometer import (
    Osmometer,
    OsmometerResult,
    Solute,
    ideal_equilibrium_height,
    kedem_katchalsky_fluxes,
    van_t_hoff_pressure,
)

__all__ = [
    # osmometer (Kedem-Katchalsky)
    "Osmometer",
    "OsmometerResult",
    "Solute",
    "ideal_equilibrium_height",
    "kedem_katchalsky_fluxes",
    "van_t_hoff_pressure",
    # living cells
    "CELL_TYPES",
    "CellResult",
    "CellType",
    "boyle_van_t_hoff",
    "cell_rates",
    "cell_type",
    "medium_from_text",
    "medium_tonicity",
    "simulate_cell",
    "sphere_volume_from_area",
]
