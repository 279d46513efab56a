"""Cost tables for the reports: rows from the dict of :func:`osmolab.ro.costing.cost_projection`.

The reports only format: :func:`costing_for` calls the costing library (when the design has a
``costing:`` section or a basis is asked for) and :func:`cost_rows` / :func:`capital_rows`
turn its dict into labelled rows.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..ro.costing import BREAKDOWN_ITEMS, CAPITAL_ITEMS, cost_projection

__all__ = ["costing_for", "cost_rows", "capital_rows"]

_LABELS = {
    "capital": "Capital (annualised)", "electricity": "Electricity",
    "membrane_replacement": "Membrane replacement", "maintenance": "Maintenance",
    "chemicals": "Chemicals", "labour": "Labour",
    "membranes": "Membranes", "pressure_vessels": "Pressure vessels",
    "high_pressure_pumps": "High-pressure pumps", "booster_pumps": "Booster pumps",
    "energy_recovery": "Energy recovery", "intake_pretreatment": "Intake and pretreatment",
}


def costing_for(result, design=None, costing=None):
    """The cost dict of a projection, or ``None`` when no costing is asked for.

    ``costing``: a basis name, a :class:`~osmolab.ro.costing.CostBasis` or an already computed
    cost dict; otherwise the design's ``costing:`` section, if any.
    """
    if isinstance(costing, Mapping):
        return dict(costing)
    if costing is None:
        section = getattr(design, "costing", None)
        if section is None:
            return None
        costing = section.to_basis()
    if isinstance(result, Mapping):
        return None  # a bare dict carries no engine result to cost
    return cost_projection(result, costing)


def cost_rows(costs: Mapping) -> list[tuple[str, float | None, float | None]]:
    """(item, USD per m3, USD per year) for each breakdown item with a cost, then the total."""
    per_m3 = costs.get("breakdown") or {}
    per_yr = costs.get("annual_usd_yr") or {}
    rows = []
    for item in BREAKDOWN_ITEMS:
        a, b = per_m3.get(f"{item}_usd_m3"), per_yr.get(f"{item}_usd_yr")
        if a or b:
            rows.append((_LABELS[item], a, b))
    rows.append(("Levelised cost of water", costs.get("lcow_usd_m3"),
                 costs.get("annual_cost_usd_yr")))
    return rows


def capital_rows(costs: Mapping) -> list[tuple[str, float | None]]:
    """(item, installed capital USD) for each capital item with a cost, then the total."""
    items = costs.get("capital_items_usd") or {}
    rows = [(_LABELS[k], items.get(f"{k}_usd")) for k in CAPITAL_ITEMS if items.get(f"{k}_usd")]
    rows.append(("Total capital", costs.get("capital_usd")))
    return rows
