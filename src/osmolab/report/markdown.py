"""Markdown tables of an RO projection (for the README and docs).

``python -m osmolab.report.markdown [example]`` prints the projection of a bundled example
(default ``seawater_px``); ``docs/ro-example-projection.md`` is produced that way.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping

from ..ro.design import load_design, project
from .costs import capital_rows, cost_rows, costing_for

_SUMMARY = (
    ("feed_flow_m3_h", "Feed flow", "{:.1f} m³/h"),
    ("feed_tds_mg_L", "Feed TDS", "{:,.0f} mg/L"),
    ("feed_osmotic_pressure_bar", "Feed osmotic pressure", "{:.1f} bar"),
    ("feed_pressure_bar", "Feed pressure", "{:.1f} bar"),
    ("recovery", "Recovery", "pct"),
    ("permeate_flow_m3_h", "Permeate flow", "{:.1f} m³/h"),
    ("permeate_tds_mg_L", "Permeate TDS", "{:.0f} mg/L"),
    ("concentrate_tds_mg_L", "Concentrate TDS", "{:,.0f} mg/L"),
    ("average_flux_LMH", "Average flux", "{:.1f} L/(m² h)"),
    ("sec_kWh_m3", "Specific energy", "{:.2f} kWh/m³"),
    ("min_sec_kWh_m3", "Thermodynamic minimum", "{:.2f} kWh/m³"),
    ("sec_ratio", "SEC / minimum", "{:.2f}"),
)

_ELEMENT_COLUMNS = (
    ("position", "Element", "{:.0f}"),
    ("feed_pressure_bar", "Feed p [bar]", "{:.1f}"),
    ("feed_flow_m3_h", "Feed [m³/h]", "{:.2f}"),
    ("permeate_flow_m3_h", "Permeate [m³/h]", "{:.3f}"),
    ("flux_LMH", "Flux [LMH]", "{:.1f}"),
    ("recovery", "Recovery", "pct"),
    ("beta", "Beta", "{:.3f}"),
    ("permeate_tds_mg_L", "Permeate TDS [mg/L]", "{:.0f}"),
    ("concentrate_tds_mg_L", "Concentrate TDS [mg/L]", "{:,.0f}"),
)


def _number(value, missing):
    """``(float, None)`` for a finite number, else ``(None, text)``: ``missing`` for None, the
    value's text for a non-number, "–" for a non-finite one."""
    if value is None:
        return None, missing
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None, str(value)
    return (v, None) if math.isfinite(v) else (None, "–")


def _fmt(value, fmt):
    v, text = _number(value, "")
    if text is not None:
        return text
    return f"{100 * v:.1f} %" if fmt == "pct" else fmt.format(v)


def projection_markdown(result, title: str | None = None, design=None, costing=None) -> str:
    """Markdown summary and per-element tables of a projection (result or its dict).

    ``costing`` (a basis name, a basis or a cost dict) or the ``costing:`` section of
    ``design`` adds the cost table (:mod:`osmolab.ro.costing`)."""
    data = dict(result if isinstance(result, Mapping) else result.to_dict())
    if data.get("average_flux_LMH") is None:
        data["average_flux_LMH"] = average_flux(data.get("stages") or [], first_pass=True)
    lines = []
    if title:
        lines += [f"### {title}", ""]
    lines += ["| Quantity | Value |", "|---|---|"]
    for key, label, fmt in _SUMMARY:
        if data.get(key) is not None:
            lines.append(f"| {label} | {_fmt(data[key], fmt)} |")
    costs = costing_for(result, design, costing)
    if costs is not None:
        lines += ["", f"Cost (basis {costs.get('basis')}, USD of {costs.get('currency_year')}):",
                  "", "| Item | USD/m³ | USD/yr |", "|---|---|---|"]
        lines += [f"| {label} | {_fmt(a, '{:.4f}')} | {_fmt(b, '{:,.0f}')} |"
                  for label, a, b in cost_rows(costs)]
        lines += ["", "| Installed capital | USD |", "|---|---|"]
        lines += [f"| {label} | {_fmt(v, '{:,.0f}')} |" for label, v in capital_rows(costs)]
    elements = list(data.get("elements") or [])
    if elements:
        columns = [c for c in _ELEMENT_COLUMNS if any(c[0] in e for e in elements)]
        passes = {e.get("pass", 1) for e in elements}
        head = ["Pass"] if len(passes) > 1 else []
        head += ["Stage"] + [c[1] for c in columns]
        lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for e in elements:
            row = [str(e.get("pass", 1))] if len(passes) > 1 else []
            row += [str(e.get("stage", 1))] + [_fmt(e.get(c[0]), c[2]) for c in columns]
            lines.append("| " + " | ".join(row) + " |")
    chemicals, degassers = dose_tables(data)
    if chemicals[1] or degassers[1]:
        lines += ["", "Chemicals" + _antiscalant_note(data) + ":"]
    for head, rows in (chemicals, degassers):
        if rows:
            lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            lines += ["| " + " | ".join(row) + " |" for row in rows]
    head, rows = scaling_rows(data)
    if rows:
        lines += ["", "Water chemistry and scaling (saturation in %; calcite by LSI, S&DSI above 10 g/L, "
                  "its SI above pH 9; * above the allowed limit):",
                  "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    warnings = list(data.get("warnings") or [])
    lines += ["", "Warnings: " + ("none." if not warnings else "")]
    lines += [f"- {w}" for w in warnings]
    return "\n".join(lines) + "\n"


#: stream kinds of the scaling table (the element rows stay in the JSON)
_SCALING_KINDS = ("feed", "stage concentrate", "permeate", "product")


def scaling_rows(data: Mapping) -> tuple[list, list]:
    """Header and text rows of the scaling table of a projection dict (``data["scaling"]``):
    per stream pH, TDS, CO2, boron as B (when the water has boron), the calcite index judged
    (LSI, S&DSI, or its SI above pH 9) and the percent saturation of each mineral, ``*``
    marking a value above its allowed limit; ``([], [])`` without it."""
    scaling = data.get("scaling") if isinstance(data, Mapping) else None
    streams = [s for s in (scaling or {}).get("streams", []) if s.get("kind") in _SCALING_KINDS]
    if not streams:
        return [], []
    minerals = list(dict.fromkeys(m for s in streams for m in s.get("minerals", {})))
    boron = any((s.get("boron_mg_L") or 0.0) > 0 for s in streams)
    head = ["Stream", "pH", "TDS [mg/L]", "CO2 [mg/L]"] + (["B [mg/L]"] if boron else []) + [
        "LSI / S&DSI"] + [
        m.replace("_", " ") for m in minerals if m != "calcite"] + (
        ["calcite"] if "calcite" in minerals else [])
    order = [m for m in minerals if m != "calcite"] + (["calcite"] if "calcite" in minerals
                                                       else [])
    rows = []
    for s in streams:
        index = s.get("calcite_index", "lsi")
        calcite = s.get("minerals", {}).get("calcite", {})
        value = s.get(index)
        mark = "*" if calcite.get("exceeds") else ""
        row = [str(s["stream"]), _fmt(s.get("pH"), "{:.2f}"), _fmt(s.get("tds_mg_L"), "{:,.0f}"),
               _fmt(s.get("co2_mg_L"), "{:.2f}")]
        if boron:  # as B, the figure limits are written in (WHO 2.4 mg/L)
            row.append(_fmt(s.get("boron_mg_L"), "{:.3g}"))
        row.append(f"{index.upper()} {value:.2f}{mark}" if value is not None else "–")
        for m in order:
            entry = s.get("minerals", {}).get(m)
            if entry is None:
                row.append("–")
            else:
                row.append(saturation_text(entry["saturation_percent"])
                           + ("*" if entry.get("exceeds") and m != "calcite" else ""))
        rows.append(row)
    return head, rows


def saturation_text(percent) -> str:
    """Percent saturation as an engineer reads it: plain notation, thousands separators.

    Three significant figures below 100 %, whole percent above (``"42.6"``, ``"3,450"``,
    ``"13,550,000"``: never ``"3.45e+03"``), ``"<0.01"`` for less than 0.01 % (a permeate's
    3e-30 %); ``"–"`` for a missing or non-finite value.

    Examples
    --------
    >>> [saturation_text(p) for p in (2.9e-30, 0.0123, 42.6039, 3450.2, 1.355e7, None)]
    ['<0.01', '0.0123', '42.6', '3,450', '13,550,000', '–']
    """
    v, text = _number(percent, "–")
    if text is not None:
        return text
    if 0 < abs(v) < 0.01:
        return "<0.01"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def _dose_text(value) -> str:
    """A dose [mg/L or kg/day] in plain notation (2.14, 36.0, 1,234); "–" when missing."""
    if value is None:
        return "–"
    v = float(value)
    if not math.isfinite(v):
        return "–"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"


def _ph_change(dose, arrow) -> str:
    def ph(key):
        value = dose.get(key)
        return "–" if value is None else f"{float(value):.2f}"

    after = dose.get("ph_after", dose.get("target_ph"))
    return f"{ph('ph_before')} {arrow} {'–' if after is None else f'{float(after):.2f}'}"


#: Headers of the dose tables (:func:`dose_tables`)
CHEMICAL_HEAD = ["Chemical", "Added to", "Dose 100 % [mg/L]", "Strength", "Product [mg/L]",
                 "100 % [kg/day]", "Product [kg/day]", "pH before → after"]
DEGASSER_HEAD = ["Degasser on", "CO2 stripped", "CO2 removed [mg/L]", "CO2 removed [kg/day]",
                 "pH before → after"]


def dose_tables(data: Mapping, arrow: str = "→") -> tuple[tuple[list, list], tuple[list, list]]:
    """The chemicals and the degassers of a projection dict (``data["chemistry"]``, the doses
    of a design's ``chemistry:`` section) as ``((head, rows), (head, rows))`` of text.

    A chemical row: the chemical, where it is added, the dose as 100 % chemical and as the
    commercial product (its strength, mg/L and kg/day) and the pH before and after; a degasser
    row: where it strips CO2, the fraction, the CO2 removed (mg/L, kg/day) and the pH. Empty
    rows without a ``chemistry`` key."""
    chemistry = data.get("chemistry") if isinstance(data, Mapping) else None
    doses = (chemistry or {}).get("doses") or {}
    chemicals, degassers = [], []
    for dose in doses.values():
        if dose.get("type") == "degasser":
            removal = dose.get("co2_removal")
            degassers.append([
                str(dose.get("point", "")),
                "–" if removal is None else f"{100 * float(removal):.0f} %",
                _dose_text(dose.get("co2_removed_mg_L")),
                _dose_text(dose.get("co2_removed_kg_day")),
                _ph_change(dose, arrow)])
            continue
        strength = dose.get("commercial_strength_percent")
        chemicals.append([
            str(dose.get("chemical", "")), str(dose.get("point", "")),
            _dose_text(dose.get("dose_mg_L")),
            "–" if strength is None else f"{float(strength):.0f} %",
            _dose_text(dose.get("commercial_dose_mg_L")),
            _dose_text(dose.get("dose_kg_day")),
            _dose_text(dose.get("commercial_dose_kg_day")),
            _ph_change(dose, arrow)])
    return (([h.replace("→", arrow) for h in CHEMICAL_HEAD], chemicals),
            ([h.replace("→", arrow) for h in DEGASSER_HEAD], degassers))


def _antiscalant_note(data: Mapping) -> str:
    name = (data.get("chemistry") or {}).get("antiscalant")
    return f" (antiscalant: {name})" if name and name != "none" else " (no antiscalant)"


def average_flux(stages, first_pass: bool = True):
    """Area-weighted average flux [LMH] of the stages (of the first pass) from their records."""
    permeate = area = 0.0
    for record in stages:
        if first_pass and int(record.get("pass", 1) or 1) != 1:
            continue
        q, flux = record.get("permeate_flow_m3_h"), record.get("average_flux_LMH")
        if q is None or not flux:
            continue
        permeate += float(q)
        area += 1000.0 * float(q) / float(flux)
    return 1000.0 * permeate / area if area > 0 else None


def example_markdown(name: str = "seawater_px") -> str:
    """The projection of a bundled example as Markdown, with the command that made it."""
    design = load_design(name)
    result = project(design)
    header = (
        f"<!-- produced by `python -m osmolab.report.markdown {name}`; do not edit by hand -->\n\n"
        f"Projection of the bundled plant `{name}` ({design.name}): "
        f"{design.description or ''}\n\n"
    )
    return header + projection_markdown(result, design=design)


if __name__ == "__main__":  # pragma: no cover
    print(example_markdown(sys.argv[1] if len(sys.argv) > 1 else "seawater_px"), end="")
