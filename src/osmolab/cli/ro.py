"""RO commands: ``osmolab design FILE.yaml`` (projection) and ``osmolab elements`` (library).

Interfaces only translate: they parse options, call :func:`osmolab.ro.design.project`, and
format its result as rich tables, JSON or an HTML report.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ._common import (
    PRESSURE_HELP,
    SALINITY_HELP,
    TEMPERATURE_HELP,
    command,
    print_json,
    print_table,
)

#: Columns of the per-stage and per-element tables: result key -> short heading (shown when
#: present in the result; recoveries are shown in %)
STAGE_COLUMNS = {
    "pass": "pass", "stage": "stage", "vessels": "vessels", "elements_per_vessel": "el/PV",
    "feed_flow_m3_h": "feed m3/h", "feed_pressure_bar": "feed bar",
    "booster_pressure_bar": "boost bar", "permeate_flow_m3_h": "perm m3/h",
    "concentrate_flow_m3_h": "conc m3/h", "recovery": "rec %", "average_flux_LMH": "flux LMH",
    "permeate_tds_mg_L": "perm mg/L", "pressure_drop_bar": "dp bar",
}
ELEMENT_COLUMNS = {
    "pass": "pass", "stage": "stage", "position": "pos", "element": "element",
    "feed_flow_m3_h": "feed m3/h", "feed_pressure_bar": "feed bar",
    "permeate_flow_m3_h": "perm m3/h", "flux_LMH": "flux LMH", "recovery": "rec %",
    "beta": "beta", "ndp_bar": "NDP bar", "pressure_drop_bar": "dp bar",
    "permeate_tds_mg_L": "perm mg/L", "concentrate_osmotic_pressure_bar": "conc osm bar",
}
SUMMARY_KEYS = (
    "feed_flow_m3_h", "feed_pressure_bar", "recovery", "permeate_flow_m3_h",
    "permeate_tds_mg_L", "concentrate_tds_mg_L", "average_flux_LMH", "sec_kWh_m3",
    "min_sec_kWh_m3", "sec_ratio",
)


def register(app: typer.Typer) -> None:
    app.command("design", help="Project an RO plant described by a YAML design file.")(design)
    app.command("elements", help="List the library of commercial 8-inch RO elements.")(elements)


def _display(rows, headings):
    """Rows with short headings (only the columns present) and recoveries in percent."""
    present = set()
    for row in rows:
        present.update(row)
    keys = [k for k in headings if k in present]
    out = []
    for row in rows:
        shown = {}
        for key in keys:
            value = row.get(key)
            if key == "recovery" and isinstance(value, (int, float)):
                value = 100.0 * value
            shown[headings[key]] = value
        out.append(shown)
    return out


@command
def design(
    file: str = typer.Argument(
        ..., help="Design file (.yaml) or a bundled example: seawater_px, brackish_2stage, "
        "seawater_2pass, brackish_acid, seawater_2pass_caustic."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print the projection as JSON."),
    report: Path | None = typer.Option(None, "--report", help="Write an HTML report to this file."),
    recovery: str | None = typer.Option(None, "--recovery", help="Target recovery, e.g. 0.45 or '45 %'."),
    feed_pressure: str | None = typer.Option(None, "--feed-pressure", help=f"Fixed feed pressure, gauge ({PRESSURE_HELP})."),
    permeate_flow: str | None = typer.Option(None, "--permeate-flow", help="Target permeate flow, e.g. '180 m3/h'."),
    feed_flow: str | None = typer.Option(None, "--feed-flow", help="Feed flow, e.g. '400 m3/h'."),
    temperature: str | None = typer.Option(None, "--temperature", help=f"Feed temperature ({TEMPERATURE_HELP})."),
    feed_salinity: str | None = typer.Option(None, "--feed-salinity", help=f"Feed salinity ({SALINITY_HELP})."),
    water_source: str | None = typer.Option(None, "--water-source", help="Guideline set, e.g. seawater_uf."),
    costing: str | None = typer.Option(
        None, "--costing", help="Cost basis (watertap, voutchkov2018): adds LCOW and its breakdown; "
        "default: the design file's costing: section, if any."),
    monte_carlo: int | None = typer.Option(None, "--monte-carlo", help="N Monte Carlo draws of feed, membranes, fouling and age: P5/P50/P95 and limit exceedance."),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the Monte Carlo draws."),
):
    from ..errors import InputError
    from ..ro.design import load_design, project
    from ..units import BARE_UNITS, UNIT_PARSERS, is_bare

    plant = load_design(file)
    overrides = {}
    # temperature, pressure and salinity follow the unit rule (bare degC, bar, g/kg): the one
    # parser of each checks the value; project() gets it as a string that names its unit
    for name, value, kind in (
        ("temperature", temperature, "temperature"),
        ("feed_pressure", feed_pressure, "pressure"),
        ("feed_salinity", feed_salinity, "salinity"),
    ):
        if value is None:
            continue
        text = value.strip()
        try:
            UNIT_PARSERS[kind](text)
        except InputError as error:
            if not (kind == "salinity" and _is_concentration(text)):  # '2000 mg/L': project()
                raise InputError(f"--{name.replace('_', '-')}: {error}") from None  # knows rho
        overrides[name] = f"{text} {BARE_UNITS[kind]}" if is_bare(text) else text
    for name, value, unit in (
        ("recovery", recovery, None),
        ("permeate_flow", permeate_flow, "m3/h"),
        ("feed_flow", feed_flow, "m3/h"),
    ):
        if value is None:
            continue
        text = value.strip()
        if unit is not None:
            try:  # a bare flow on the command line takes the engineer's unit, not SI
                float(text)
                text = f"{text} {unit}"
            except ValueError:
                pass
        overrides[name] = text
    if water_source is not None:
        overrides["water_source"] = water_source
    basis = None
    if costing is not None:
        from ..ro.costing import cost_basis

        basis = cost_basis(costing)
    elif plant.costing is not None:
        basis = plant.costing.to_basis()
    if monte_carlo is not None:  # the draws centre on the design file's values
        from .studies import show_monte_carlo

        return show_monte_carlo(plant, monte_carlo, seed, overrides, json_output, basis)
    result = project(plant, **overrides)
    costs = None
    if basis is not None and result.to_dict(detail=False).get("feasible") is not False:
        from ..ro.costing import cost_projection

        costs = cost_projection(result, basis)
    if report is not None and result.to_dict().get("feasible") is not False:
        from ..report import write_report

        write_report(result, report, design=plant, water_source=water_source, costing=costs)
    show_projection(result, report, json_output, costing=costs)


def show_projection(result, report=None, json_output=False, costing=None):
    """Print a projection: JSON (its ``to_dict()``), or the summary, stage and element tables;
    ``costing`` (the dict of :func:`osmolab.ro.costing.cost_projection`) adds ``"costing"`` to
    the JSON and a cost table to the text."""
    from ..errors import InputError
    from ..ro.design import summary_lines

    data = result.to_dict()
    name = data.get("system") or "design"
    if data.get("feasible") is False:
        # the engine stopped with a reason (e.g. the target needs more than the maximum
        # pressure): bad input for this plant, one line and exit 2
        raise InputError(f"{name}: {data.get('reason') or 'infeasible design'}")
    if json_output:
        payload = dict(data)
        payload.setdefault("name", name)
        if report is not None:
            payload["report"] = str(report)
        if costing is not None:
            payload["costing"] = costing
        print_json(payload)
        return
    typer.echo(name)
    for line in summary_lines(data):
        typer.echo(line)
    if data.get("permeate_pH") is not None and data.get("concentrate_pH") is not None:
        typer.echo(f"pH: permeate {data['permeate_pH']:.2f}, concentrate "
                   f"{data['concentrate_pH']:.2f} (scaling per stream: --json 'scaling')")
    _print_doses(data)
    stages = _frame_or_list(result, "stages_frame", data.get("stages"))
    element_rows = _frame_or_list(result, "elements_frame", data.get("elements"))
    if stages:
        print_table("Stages", _display(stages, STAGE_COLUMNS))
    if element_rows:
        print_table("Elements (flows per vessel)", _display(element_rows, ELEMENT_COLUMNS))
    if costing is not None:
        _print_costs(costing)
    for line in data.get("warnings") or []:
        typer.echo(f"warning: {line}")
    if report is not None:
        typer.echo(f"report written to {report}")


def _print_doses(data) -> None:
    """The design's chemicals and degassers (``data["chemistry"]``) as two tables."""
    from ..report.markdown import dose_tables

    for title, (head, rows) in zip(("Chemicals", "Degassers"), dose_tables(data, arrow="->"),
                                   strict=True):
        if rows:  # "pH before -> after" as two columns, each row on one line
            head = head[:-1] + ["pH before", "pH after"]
            rows = [row[:-1] + row[-1].split(" -> ") for row in rows]
            print_table(title, [dict(zip(head, row, strict=True)) for row in rows], head,
                        width=130)


def _print_costs(costs) -> None:
    from ..report.costs import capital_rows, cost_rows

    def whole(x):
        return None if x is None else f"{x:,.0f}"

    rows = [{"item": label, "USD/m3": None if a is None else f"{a:.4f}", "USD/yr": whole(b)}
            for label, a, b in cost_rows(costs)]
    print_table(f"Cost (basis {costs.get('basis')}, USD of {costs.get('currency_year')})", rows)
    print_table("Installed capital", [{"item": label, "USD": whole(v)}
                                      for label, v in capital_rows(costs)])


def _is_concentration(text) -> bool:
    """True for a mass concentration such as '2000 mg/L' (not a mass ratio)."""
    from ..errors import InputError
    from ..units import is_bare, parse_quantity

    if is_bare(text):
        return False
    try:
        parse_quantity(text, "mass_concentration")
    except InputError:
        return False
    return True


def _frame_or_list(result, method, fallback):
    frame = getattr(result, method, None)
    if callable(frame):
        try:
            return frame().to_dict("records")
        except Exception:
            pass
    return list(fallback or [])


@command
def elements(
    json_output: bool = typer.Option(False, "--json", help="Print the library as JSON."),
    element_type: str | None = typer.Option(None, "--type", help="seawater or brackish."),
):
    from ..data import load_csv
    from ..errors import InputError, suggest

    table = load_csv("ro_elements.csv")
    if element_type is not None:
        kind = element_type.strip().lower()
        kinds = sorted(set(table["type"]))
        if kind not in kinds:
            raise InputError(f"unknown element type {element_type!r}.{suggest(kind, kinds)} Use: {', '.join(kinds)}")
        table = table[table["type"] == kind]
    if json_output:
        print_json(table.to_dict("records"))
        return
    shown = {
        "name": "element", "manufacturer": "maker", "type": "type", "area_m2": "m2",
        "permeate_flow_m3_d": "m3/d", "rejection_stabilized_pct": "rej %",
        "boron_rejection_pct": "B rej %", "test_feed_nacl_mg_L": "NaCl mg/L",
        "test_pressure_bar": "bar", "test_recovery": "rec", "max_pressure_bar": "max bar",
        "confidence": "conf",
    }
    print_table(
        "RO elements: datasheet permeate flow and rejection at the test (NaCl, bar, rec, 25 degC)",
        table[list(shown)].rename(columns=shown),
    )
