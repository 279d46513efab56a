"""Self-contained HTML report of an RO projection.

One file, no internet: the CSS is inline and the plots are inline SVG. The report holds the
design summary, the totals, per-stage and per-element projection tables, the warnings, and
plots of pressure, flux, concentration and beta along the train. It only formats what the
engine computed (``result.to_dict()``).
"""

from __future__ import annotations

import datetime as _dt
import html
import math
from collections.abc import Mapping
from pathlib import Path

from ..errors import InputError
from ..ro.guidelines import guideline
from .costs import capital_rows, cost_rows, costing_for
from .markdown import average_flux, dose_tables, scaling_rows
from .plots import figure_to_svg, train_profile_figure

#: (JSON key, column title, format) of the summary table, in order; missing keys are skipped
SUMMARY_ROWS = (
    ("feed_flow_m3_h", "Feed flow", "{:.2f} m³/h"),
    ("feed_tds_mg_L", "Feed TDS", "{:,.0f} mg/L"),
    ("feed_temperature_C", "Temperature", "{:.1f} °C"),
    ("feed_osmotic_pressure_bar", "Feed osmotic pressure", "{:.1f} bar"),
    ("feed_pressure_bar", "Feed pressure", "{:.2f} bar"),
    ("recovery", "Recovery", "pct"),
    ("permeate_flow_m3_h", "Permeate flow", "{:.2f} m³/h"),
    ("permeate_tds_mg_L", "Permeate TDS", "{:.1f} mg/L"),
    ("concentrate_flow_m3_h", "Concentrate flow", "{:.2f} m³/h"),
    ("concentrate_tds_mg_L", "Concentrate TDS", "{:,.0f} mg/L"),
    ("average_flux_LMH", "Average flux", "{:.1f} L/(m² h)"),
    ("high_pressure_pump_kW", "High-pressure pump", "{:.1f} kW"),
    ("booster_pump_kW", "Booster pump (PX)", "{:.1f} kW"),
    ("interstage_booster_kW", "Interstage boosters", "{:.1f} kW"),
    ("second_pass_pump_kW", "Second-pass pump", "{:.1f} kW"),
    ("erd_recovered_kW", "Recovered by the ERD", "{:.1f} kW"),
    ("total_power_kW", "Total power", "{:.1f} kW"),
    ("sec_kWh_m3", "Specific energy (SEC)", "{:.3f} kWh/m³"),
    ("min_sec_kWh_m3", "Thermodynamic minimum", "{:.3f} kWh/m³"),
    ("sec_ratio", "SEC / minimum", "{:.2f}"),
)

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;
max-width:1150px;color:#1d2733;line-height:1.4;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #1f5fa8;
padding-bottom:.2rem}.meta{color:#5a6775;font-size:.9rem}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}th,td{padding:.25rem .6rem;
border-bottom:1px solid #dde3ea;text-align:right;white-space:nowrap}th{background:#f0f4f8;
text-align:center}td.l,th.l{text-align:left}.summary td:first-child{text-align:left;color:#3b4a5a}
.warn{background:#fff6e5;border-left:4px solid #e69b00;padding:.5rem 1rem;margin:.6rem 0}
.warn li{margin:.15rem 0}.ok{background:#eaf7ee;border-left:4px solid #2e9d57;padding:.5rem 1rem}
.scroll{overflow-x:auto}svg{max-width:100%;height:auto}footer{margin-top:2.5rem;color:#5a6775;font-size:.8rem}
"""


def _fmt(value, fmt: str = "{:.4g}") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)) or hasattr(value, "__float__"):
        try:
            v = float(value)
        except (TypeError, ValueError):
            return html.escape(str(value))
        if not math.isfinite(v):
            return "–"
        if fmt == "pct":
            return f"{100 * v:.1f} %"
        if fmt == "pct-bare":
            return f"{100 * v:.2f}"
        if isinstance(value, int) and fmt == "{:.4g}":
            return str(value)
        if fmt == "{:.4g}":
            if abs(v) >= 1000:
                return f"{v:,.0f}"
            if v != 0 and abs(v) < 0.01:
                return f"{v:.2e}"
        return fmt.format(v)
    return html.escape(str(value))


def _table(rows, columns=None, css_class="") -> str:
    """HTML table of a list of dicts or a DataFrame."""
    try:
        import pandas as pd  # lazy: pandas only when a DataFrame may be given

        if isinstance(rows, pd.DataFrame):
            columns = list(rows.columns) if columns is None else columns
            rows = rows.to_dict("records")
    except ImportError:  # pragma: no cover
        pass
    rows = list(rows or [])
    if not rows:
        return "<p><em>none</em></p>"
    if columns is None:
        columns = []
        for row in rows:
            for key, value in row.items():
                if key not in columns and not isinstance(value, (dict, list, tuple)):
                    columns.append(key)
    head = "".join(f"<th>{html.escape(_title(c))}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            fmt = "pct-bare" if column in ("recovery",) else "{:.4g}"
            css = ' class="l"' if isinstance(value, str) else ""
            cells.append(f"<td{css}>{_fmt(value, fmt)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cls = f' class="{css_class}"' if css_class else ""
    return f'<div class="scroll"><table{cls}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


_UNITS = (
    ("_m3_h", " [m³/h]"),
    ("_mg_L", " [mg/L]"),
    ("_LMH", " [LMH]"),
    ("_bar", " [bar]"),
    ("_kWh_m3", " [kWh/m³]"),
    ("_kW", " [kW]"),
    ("_m2", " [m²]"),
    ("_C", " [°C]"),
)


def _title(key: str) -> str:
    text = str(key)
    unit = ""
    for suffix, shown in _UNITS:
        if text.endswith(suffix):
            text, unit = text[: -len(suffix)], shown
            break
    if text == "recovery":
        unit = " [%]"
    text = text.replace("_", " ").replace("tds", "TDS").replace("ndp", "NDP")
    return text + unit


def _records(result, key: str, frame_method: str):
    """Per-stage or per-element records: the result's DataFrame if it has one, else the dict."""
    method = getattr(result, frame_method, None)
    if callable(method):
        try:
            frame = method()
            return frame.to_dict("records"), list(frame.columns)
        except Exception:  # the dict below is the contract; a frame is a nicety
            pass
    data = result if isinstance(result, Mapping) else result.to_dict()
    return list(data.get(key) or []), None


def render_html(result, design=None, title: str | None = None, water_source: str | None = None,
                costing=None) -> str:
    """The report as one HTML string.

    Parameters
    ----------
    result : projection result or dict
        The engine's result (``to_dict()`` with the JSON keys, optionally ``stages_frame()``
        and ``elements_frame()``) or that dict.
    design : osmolab.ro.design.Design, optional
        The design file behind the result (adds its name and the array description).
    title : str, optional
    water_source : str, optional
        Guideline row drawn on the plots (default: the design's feed water source).
    costing : str, CostBasis or dict, optional
        Adds a cost table: a basis name or basis (:mod:`osmolab.ro.costing`), or the dict of
        ``cost_projection``; by default the design's ``costing:`` section, if any.
    """
    if not isinstance(result, Mapping) and not callable(getattr(result, "to_dict", None)):
        raise InputError("the report needs a projection result from osmolab.project(...), "
                         f"got {type(result).__name__}")
    data = result if isinstance(result, Mapping) else result.to_dict()
    if not isinstance(data, Mapping):
        raise InputError("the report needs a projection result (with to_dict())")
    data = dict(data)
    if data.get("average_flux_LMH") is None:
        data["average_flux_LMH"] = average_flux(data.get("stages") or [])
    name = title or (getattr(design, "name", None) or data.get("name") or "RO projection")
    stages, stage_columns = _records(result, "stages", "stages_frame")
    elements, element_columns = _records(result, "elements", "elements_frame")

    limits = None
    source = water_source or getattr(getattr(design, "feed", None), "water_source", None)
    if source:
        try:
            limits = guideline(source)
        except InputError:
            limits = None

    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(str(name))} – osmolab projection</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(str(name))}</h1>",
        f"<p class='meta'>Reverse-osmosis projection by osmolab · {_dt.datetime.now(_dt.UTC):%Y-%m-%d %H:%M} UTC"
        + (f" · guidelines: {html.escape(limits['label'])}" if limits else "")
        + "</p>",
    ]
    if design is not None:
        parts.append(f"<p>{html.escape(_describe(design))}</p>")

    parts.append("<h2>Summary</h2>")
    summary = []
    for key, label, fmt in SUMMARY_ROWS:
        if key in _OPTIONAL_POWERS and not data.get(key):
            continue
        if data.get(key) is not None:
            summary.append(f"<tr><td>{html.escape(label)}</td><td>{_fmt(data[key], fmt)}</td></tr>")
    parts.append(f"<table class='summary'><tbody>{''.join(summary)}</tbody></table>")
    costs = costing_for(result, design, costing)
    if costs is not None:
        parts.append(_cost_section(costs))

    warnings = list(data.get("warnings") or [])
    parts.append("<h2>Warnings</h2>")
    if warnings:
        items = "".join(f"<li>{html.escape(str(w))}</li>" for w in warnings)
        parts.append(f"<div class='warn'><ul>{items}</ul></div>")
    else:
        parts.append("<div class='ok'>No design-guideline warnings.</div>")

    if elements:
        parts.append("<h2>Profiles along the train</h2>")
        later = None
        if limits:
            later = guideline("ro_permeate")
        figure = train_profile_figure(elements, limits, later)
        parts.append(figure_to_svg(figure))

    ions = _ion_rows(data)
    if ions:
        parts.append("<h2>Water quality</h2>")
        parts.append(_table(ions, ["species", "permeate_mg_L", "concentrate_mg_L"]))

    parts.extend(_chemicals_section(data))

    head, rows = scaling_rows(data)
    if rows:
        parts.append("<h2>Water chemistry and scaling</h2>")
        parts.append("<p class='meta'>Saturation in % (calcite as LSI, ASTM D3739; S&amp;DSI "
                     "above 10 g/L; its SI above pH 9); boron as B; * above the allowed limit"
                     + (" with antiscalant" if data["scaling"].get("antiscalant") else
                        " without antiscalant") + ".</p>")
        cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                       for row in rows)
        parts.append(f"<table class='scaling'><thead><tr>{cells}</tr></thead>"
                     f"<tbody>{body}</tbody></table>")

    parts.append("<h2>Stages</h2>")
    parts.append(_table(stages, stage_columns))
    parts.append("<h2>Elements</h2>")
    parts.append(_table(elements, element_columns))
    parts.append(
        "<footer>Solution–diffusion model with film-theory concentration polarisation, marched "
        "segment by segment along each element; element A and B calibrated to the datasheet test "
        "conditions. A projection, not a guarantee: compare with the membrane maker's software "
        "before procurement.</footer></body></html>"
    )
    return "\n".join(parts)


def _text_table(head, rows, css_class) -> str:
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    left = ' class="l"'  # the first two columns are names
    body = "".join("<tr>" + "".join(
        f"<td{left if i < 2 else ''}>{html.escape(c)}</td>" for i, c in enumerate(row))
        + "</tr>" for row in rows)
    return (f"<div class='scroll'><table class='{css_class}'><thead><tr>{cells}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def _chemicals_section(data) -> list[str]:
    """The "Chemicals" section: the doses of the design's ``chemistry:`` (acid, caustic) and
    its degassers (:func:`osmolab.report.markdown.dose_tables`); nothing without doses."""
    (chem_head, chem_rows), (degas_head, degas_rows) = dose_tables(data)
    if not chem_rows and not degas_rows:
        return []
    antiscalant = (data.get("chemistry") or {}).get("antiscalant")
    parts = ["<h2>Chemicals</h2>",
             "<p class='meta'>Doses as 100 % chemical and as the commercial product; "
             "kg/day at the flow where each is added; antiscalant: "
             f"{html.escape(str(antiscalant or 'none'))}.</p>"]
    if chem_rows:
        parts.append(_text_table(chem_head, chem_rows, "chemicals"))
    if degas_rows:
        parts.append(_text_table(degas_head, degas_rows, "degassers"))
    return parts


def _cost_section(costs) -> str:
    """The cost tables: LCOW breakdown (per m3 and per year) and installed capital."""
    head = (f"<h2>Cost</h2><p class='meta'>Basis {html.escape(str(costs.get('basis')))}, "
            f"USD of {costs.get('currency_year')}</p>")
    rows = "".join(f"<tr><td>{html.escape(label)}</td><td>{_fmt(a, '{:.4f}')}</td>"
                   f"<td>{_fmt(b, '{:,.0f}')}</td></tr>" for label, a, b in cost_rows(costs))
    table = ("<table class='summary'><thead><tr><th>item</th><th>USD/m³</th><th>USD/yr</th>"
             f"</tr></thead><tbody>{rows}</tbody></table>")
    capital = "".join(f"<tr><td>{html.escape(label)}</td><td>{_fmt(v, '{:,.0f}')}</td></tr>"
                      for label, v in capital_rows(costs))
    return (head + table + "<table class='summary'><thead><tr><th>installed capital</th>"
            f"<th>USD</th></tr></thead><tbody>{capital}</tbody></table>")


_OPTIONAL_POWERS = ("booster_pump_kW", "interstage_booster_kW", "second_pass_pump_kW", "erd_recovered_kW")


def _ion_rows(data: Mapping) -> list[dict]:
    """Per-species permeate and concentrate concentrations [mg/L] when the result has them."""
    permeate = data.get("permeate_ions_mg_L") or {}
    concentrate = data.get("concentrate_ions_mg_L") or {}
    if not isinstance(permeate, Mapping) or not isinstance(concentrate, Mapping):
        return []
    species = list(dict.fromkeys([*concentrate, *permeate]))
    species.sort(key=lambda s: -float(concentrate.get(s) or 0.0))
    return [
        {"species": s, "permeate_mg_L": permeate.get(s), "concentrate_mg_L": concentrate.get(s)}
        for s in species
    ]


def _describe(design) -> str:
    """One sentence describing the array of a Design."""
    try:
        passes = design.array.passes
        text = []
        for number, spec in enumerate(passes, start=1):
            stages = ", ".join(
                f"{st.vessels} × {st.elements_per_vessel} "
                + (st.element if isinstance(st.element, str) else "custom/mixed")
                for st in spec.stages
            )
            text.append(f"pass {number}: {stages}")
        erd = design.erd.type.replace("_", " ")
        return "; ".join(text) + f"; energy recovery: {erd}; target: {design.target.kind}."
    except AttributeError:
        return ""


def write_report(result, path="report.html", design=None, **kwargs) -> Path:
    """Write the HTML report of ``result`` to ``path`` and return the path.

    Raises
    ------
    InputError
        When the file cannot be written.
    """
    path = Path(path)
    text = render_html(result, design=design, **kwargs)
    try:
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the report to {str(path)!r}: {exc.strerror or exc}") from None
    return path
