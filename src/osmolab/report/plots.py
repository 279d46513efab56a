"""Plots of an RO projection along its train (matplotlib, Agg backend).

The plots only draw what the engine computed: feed pressure, permeate flux, feed-channel
concentration and the concentration-polarisation factor (beta) of every element, in flow
order through the passes, stages and vessel positions.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence

#: (title, y label, candidate keys in the element records, limit key in the guideline dict)
PANELS = (
    ("Feed pressure", "pressure [bar]", ("feed_pressure_bar",), None),
    ("Permeate flux", "flux [L/(m² h)]", ("flux_LMH", "average_flux_LMH"), "max_element_flux_LMH"),
    (
        "Feed-channel concentration",
        "TDS [g/L]",
        ("feed_tds_mg_L", "concentrate_tds_mg_L"),
        None,
    ),
    ("Concentration polarisation", "beta [-]", ("beta",), "max_beta"),
)


def _value(record: Mapping, keys: Sequence[str]):
    for key in keys:
        value = record.get(key)
        if value is not None:
            try:
                return float(value)
            except (TypeError, ValueError):
                return None
    return None


def train_labels(elements: Sequence[Mapping]) -> list[str]:
    """Short labels 'P1 S1 E3' (pass, stage, element position) in flow order."""
    passes = {int(r.get("pass", 1) or 1) for r in elements}
    labels = []
    for index, record in enumerate(elements, start=1):
        stage = record.get("stage", 1)
        position = record.get("position", index)
        prefix = f"P{record.get('pass', 1)} " if len(passes) > 1 else ""
        labels.append(f"{prefix}S{stage} E{position}")
    return labels


def _draw_limits(axis, elements, key, limits, later_limits):
    """Dashed guideline of each pass over that pass's elements."""
    passes = [int(r.get("pass", 1) or 1) for r in elements]
    for number in sorted(set(passes)):
        lim = limits if number <= 1 else (later_limits or limits)
        if not lim or lim.get(key) is None:
            continue
        xs = [i + 1 for i, p in enumerate(passes) if p == number]
        axis.hlines(lim[key], min(xs) - 0.4, max(xs) + 0.4, color="#c0392b", ls="--", lw=1)


def train_profile_figure(elements: Sequence[Mapping], limits: Mapping | None = None,
                         later_limits: Mapping | None = None):
    """A 2 x 2 figure: pressure, flux, concentration and beta of each element along the train.

    Parameters
    ----------
    elements : sequence of dict
        Per-element records of a projection (``result.to_dict()["elements"]``).
    limits : dict, optional
        Design guideline (``osmolab.ro.guidelines.guideline(...)``) drawn as dashed lines over
        the first pass.
    later_limits : dict, optional
        Guideline of the second and later passes (default ``limits``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib  # lazy: matplotlib is heavy and only needed when plotting

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure  # lazy: as above

    figure = Figure(figsize=(10, 6.4), layout="constrained")
    axes = figure.subplots(2, 2, sharex=True)
    x = list(range(1, len(elements) + 1))
    labels = train_labels(elements)
    stage_breaks = [
        i + 0.5
        for i in range(1, len(elements))
        if (elements[i].get("pass"), elements[i].get("stage"))
        != (elements[i - 1].get("pass"), elements[i - 1].get("stage"))
    ]
    for axis, (title, ylabel, keys, limit_key) in zip(axes.flat, PANELS, strict=True):
        values = [_value(r, keys) for r in elements]
        if "TDS" in ylabel and all(v is None for v in values):
            # the engine reports the concentrate osmotic pressure of each element instead
            ylabel, keys = "concentrate osmotic pressure [bar]", ("concentrate_osmotic_pressure_bar",)
            values = [_value(r, keys) for r in elements]
        elif "TDS" in ylabel:
            values = [None if v is None else v / 1000.0 for v in values]
        xs = [xi for xi, v in zip(x, values, strict=True) if v is not None]
        ys = [v for v in values if v is not None]
        axis.plot(xs, ys, marker="o", color="#1f5fa8", lw=1.6, ms=4)
        if "TDS" in ylabel:
            conc = [_value(r, ("concentrate_tds_mg_L",)) for r in elements]
            cx = [xi for xi, v in zip(x, conc, strict=True) if v is not None]
            cy = [v / 1000.0 for v in conc if v is not None]
            if cy and keys[0] != "concentrate_tds_mg_L":
                axis.plot(cx, cy, marker="s", color="#c0392b", lw=1.2, ms=3, label="concentrate")
                axis.plot([], [], marker="o", color="#1f5fa8", label="feed")
                axis.legend(fontsize=8, frameon=False)
        if limit_key:
            _draw_limits(axis, elements, limit_key, limits, later_limits)
        positive = [v for v in ys if v > 0]
        if "osmotic" in ylabel or "TDS" in ylabel:
            if positive and max(positive) / min(positive) > 30:
                axis.set_yscale("log")
        for b in stage_breaks:
            axis.axvline(b, color="0.7", lw=0.8)
        axis.set_title(title, fontsize=10)
        axis.set_ylabel(ylabel, fontsize=9)
        axis.grid(alpha=0.3)
        axis.tick_params(labelsize=8)
    for axis in axes[1]:
        axis.set_xticks(x)
        axis.set_xticklabels(labels, rotation=90, fontsize=7)
        axis.set_xlabel("element (flow order)", fontsize=9)
    return figure


def figure_to_svg(figure) -> str:
    """Inline SVG text of a matplotlib figure (no XML header; fonts as paths, self-contained)."""
    import matplotlib  # lazy: matplotlib is heavy and only needed when plotting

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg")
    text = buffer.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def figure_to_png_base64(figure, dpi: int = 110) -> str:
    """Base64 PNG of a figure for an ``<img src="data:image/png;base64,...">``."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return base64.b64encode(buffer.getvalue()).decode("ascii")
