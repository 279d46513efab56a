"""Self-contained HTML report of a normalised plant log (trend plots, triggers, data quality).

It only formats what :func:`osmolab.operations.normalize_log` computed: the summary of
``result.to_dict()`` and the daily medians ``result.daily``.
"""

from __future__ import annotations

import datetime as _dt
import html
from pathlib import Path

from ..errors import InputError
from .html import _CSS
from .plots import figure_to_svg

#: (daily column, axis label, trigger key) of the trend panels.
PANELS = (
    ("normalized_permeate_flow_m3_h", "normalised permeate flow [m³/h]", "permeate_flow_change"),
    ("normalized_salt_passage_pct", "normalised salt passage [%]", "salt_passage_change"),
    ("normalized_pressure_drop_bar", "normalised ΔP [bar]", "pressure_drop_change"),
)
#: (column, axis label) of the model-based panels (from osmolab.operations.fit_membrane_state).
_MODEL_PANELS = (("fouling_factor", "fitted fouling factor [-]"),
                 ("salt_permeability_factor", "fitted salt-permeability factor [-]"))
_REFERENCE = {"permeate_flow_change": "permeate_flow_m3_h", "salt_passage_change": "salt_passage_pct",
              "pressure_drop_change": "pressure_drop_bar"}


def trend_figure(daily, summary, fouling=None):
    """Panels of daily normalised values, the trigger levels and the cleanings (and the
    fouling and salt-permeability factors fitted with the engine, when given)."""
    import matplotlib.pyplot as plt  # lazy: matplotlib is heavy and only needed when plotting
    import pandas as pd  # lazy: only the plot needs timestamps

    model_panels = () if fouling is None else tuple(p for p in _MODEL_PANELS if p[0] in fouling)
    panels = 3 + len(model_panels)
    figure, axes = plt.subplots(panels, 1, figsize=(9, 2.7 * panels), sharex=True, constrained_layout=True)
    for axis, (column, label) in zip(axes[3:], model_panels, strict=True):
        axis.plot(fouling.index, fouling[column], ".", ms=3, color="#9aaabb", label="daily fit")
        axis.plot(fouling.index, fouling[f"{column}_smoothed"], "-", color="#1f5fa8",
                  label="rolling median")
        for day in summary.get("cleanings", []):
            axis.axvline(pd.Timestamp(day), color="#2e9d57", lw=1)
        axis.set_ylabel(label, fontsize=9)
        axis.tick_params(labelsize=8)
        axis.legend(fontsize=7, loc="best")
    for axis, (column, label, key) in zip(axes[:3], PANELS, strict=True):
        if column in daily:
            axis.plot(daily.index, daily[column], ".", ms=3, color="#1f5fa8")
        trend = summary.get("trends", {}).get(key)
        reference = summary["reference"].get(_REFERENCE[key])
        if trend is not None and reference:
            level = reference * (1 + trend["trigger_pct"] / 100.0)
            axis.axhline(level, color="#c0392b", lw=1, ls="--", label="cleaning trigger")
            axis.axhline(reference, color="#5a6775", lw=0.8, label="reference")
        for day in summary.get("cleanings", []):
            axis.axvline(pd.Timestamp(day), color="#2e9d57", lw=1, label="cleaning")
        axis.set_ylabel(label, fontsize=9)
        axis.tick_params(labelsize=8)
        handles, labels = axis.get_legend_handles_labels()
        unique = dict(zip(labels, handles, strict=True))
        if unique:
            axis.legend(unique.values(), unique.keys(), fontsize=7, loc="best")
    return figure


def stage_figure(comparison, summary):
    """Deviation of the plant from the model per stage and quantity, day by day [%]."""
    import matplotlib.pyplot as plt  # lazy: matplotlib is heavy and only needed when plotting
    import pandas as pd  # lazy: only the plot needs timestamps

    quantities = [q for q in ("pressure_drop", "permeate_flow", "feed_pressure") if q in set(comparison["quantity"])]
    figure, axes = plt.subplots(len(quantities), 1, figsize=(9, 2.5 * len(quantities)), sharex=True,
                                constrained_layout=True, squeeze=False)
    for axis, quantity in zip(axes[:, 0], quantities, strict=True):
        for stage, group in comparison[comparison["quantity"] == quantity].groupby("stage"):
            axis.plot(group["time"], group["deviation_pct"], ".-", ms=3, lw=0.8, label=f"stage {stage}")
        for day in summary.get("cleanings", []):
            axis.axvline(pd.Timestamp(day), color="#2e9d57", lw=1)
        axis.axhline(0.0, color="#5a6775", lw=0.8)
        axis.set_ylabel(f"{quantity.replace('_', ' ')}\nmeasured/model - 1 [%]", fontsize=9)
        axis.tick_params(labelsize=8)
        axis.legend(fontsize=7, loc="best")
    return figure


def _stage_section(stages, summary):
    """The per-stage comparison: a table of the last two weeks and the deviation plot."""
    if stages is None or len(stages) == 0:
        return ""
    import matplotlib.pyplot as plt  # lazy: matplotlib is heavy and only needed when plotting

    from ..operations import stage_summary  # lazy: the report formats, the table is computed there

    figure = stage_figure(stages, summary)
    svg = figure_to_svg(figure)
    plt.close(figure)
    esc = html.escape
    rows = "".join(
        f"<tr><td>{r.stage}</td><td class='l'>{esc(r.quantity.replace('_', ' '))}</td><td>{r.measured:.3f}</td>"
        f"<td>{r.projected:.3f}</td><td class='l'>{esc(r.unit)}</td><td>{r.deviation_start_pct:.1f}</td>"
        f"<td>{r.deviation_now_pct:.1f}</td><td>{'yes' if r.departs else 'no'}</td></tr>"
        for r in stage_summary(stages).itertuples())
    return f"""<h2>Measured against the model, per stage</h2>
<p>Each day's operating point projected with the design at the fitted membrane state; a stage whose
deviation changes past the trigger (pressure drop +15 %, permeate flow −10 %) departs from the model.</p>
<table><tr><th>stage</th><th class='l'>quantity</th><th>measured</th><th>model</th><th class='l'>unit</th>
<th>deviation at start %</th><th>deviation now %</th><th>departs</th></tr>{rows}</table>
<div class="scroll">{svg}</div>"""


def render_operations_html(result, title="Plant normalisation (ASTM D4516)", fouling=None, stages=None) -> str:
    """The HTML report of a :class:`osmolab.operations.Normalization` (with the membrane state
    fitted by :func:`osmolab.operations.fit_membrane_state` and the per-stage comparison of
    :func:`osmolab.operations.compare_stages`, when given)."""
    import matplotlib.pyplot as plt  # lazy: matplotlib is heavy and only needed when plotting

    summary = result.to_dict()
    figure = trend_figure(result.daily, summary, fouling)
    svg = figure_to_svg(figure)
    plt.close(figure)
    stage_html = _stage_section(stages, summary)
    esc = html.escape
    ref = summary["reference"]
    rows = "".join(f"<tr><td class='l'>{esc(k)}</td><td>{esc(_fmt(v))}</td></tr>" for k, v in ref.items())
    trends = "".join(
        f"<tr><td class='l'>{esc(q)}</td><td>{t['change_now_pct']:.1f}</td><td>{t['slope_pct_per_day']:.3f}</td>"
        f"<td>{t['trigger_pct']:.0f}</td><td>{'yes' if t['triggered'] else 'no'}</td>"
        f"<td>{esc(str(t['projected_clean_date']))}</td></tr>" for q, t in summary["trends"].items())
    quality = result.quality
    found = "".join(f"<li>{esc(line)}</li>" for line in _quality_lines(summary["quality"]))
    next_clean = summary["next_clean_date"] or "not within the trend"
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>{_CSS}</style></head><body><h1>{esc(title)}</h1>
<p class="meta">{esc(summary['start'] or '')} to {esc(summary['end'] or '')}; {summary['rows']} rows,
{summary['valid_rows']} used. Generated {_dt.datetime.now(_dt.UTC):%Y-%m-%d %H:%M} UTC by osmolab.</p>
<div class="{'warn' if summary['next_clean_reason'] else 'ok'}">Projected next clean: <b>{esc(next_clean)}</b>
({esc(str(summary['next_clean_reason']))}); cleanings found: {esc(', '.join(summary['cleanings']) or 'none')}.</div>
<h2>Trends (daily medians)</h2><div class="scroll">{svg}</div>
<h2>Cleaning triggers (change against the reference, Theil–Sen since the last cleaning)</h2>
<table><tr><th class='l'>quantity</th><th>now %</th><th>slope %/day</th><th>trigger %</th><th>triggered</th>
<th>projected date</th></tr>{trends}</table>
{stage_html}
<h2>Reference conditions</h2><table class="summary">{rows}</table>
<h2>Data quality</h2><p>{esc(quality.summary())}</p><ul>{found}</ul>
<footer>Normalisation per ASTM D4516-19a; triggers per the FilmTec technical manual (Form 45-D01504-en).
</footer></body></html>"""


def _fmt(value):
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _quality_lines(quality, shown=20):
    lines = []
    for key in ("duplicates", "out_of_order", "missing", "shutdown"):
        rows = quality[key]["rows"]
        if rows:
            more = f" (+{len(rows) - shown} more)" if len(rows) > shown else ""
            lines.append(f"{key.replace('_', ' ')}: rows {', '.join(map(str, rows[:shown]))}{more}")
    for column, found in quality["outliers"].items():
        lines.append(f"outliers in {column}: rows {', '.join(map(str, found['rows'][:shown]))}")
    for gap in quality["gaps"]:
        lines.append(f"gap of {gap['hours']:.1f} h from {gap['from']} to {gap['to']}")
    return lines


def write_operations_report(result, path="ops.html", **kwargs) -> Path:
    """Write the HTML report of a normalised log to ``path`` and return the path."""
    path = Path(path)
    text = render_operations_html(result, **kwargs)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the report to {str(path)!r}: {exc.strerror or exc}") from None
    return path
