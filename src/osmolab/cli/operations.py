"""Plant-operation command: ``osmolab normalize LOG.csv`` (ASTM D4516 normalisation).

Interfaces only translate: the command parses its options, calls
:func:`osmolab.operations.normalize_log` and prints a table, JSON or an HTML report.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import InputError
from ._common import check_folder, command, print_json, print_table


def register(app: typer.Typer) -> None:
    app.command("normalize", help="Normalise an RO plant log (ASTM D4516) and project the next clean.")(normalize)


@command
def normalize(
    log: str = typer.Argument(..., help="Plant log (.csv or .xlsx), or 'example' for the bundled log."),
    design: str | None = typer.Option(
        None, "--design",
        help="Design file (.yaml, or a bundled name) whose projection is the reference; also fits the membrane state."),
    reference: str | None = typer.Option(
        None, "--reference", help="Reference period START..END, e.g. 2026-01-01..2026-01-07 (default: first 7 days)."),
    mapping: str | None = typer.Option(None, "--mapping", help="Column mapping (.yaml): quantity: heading."),
    sheet: str | None = typer.Option(None, "--sheet", help="Sheet of an Excel log (default: the first)."),
    timezone: str = typer.Option("UTC", "--timezone", help="Time zone of timestamps written without one."),
    json_output: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    report: Path | None = typer.Option(None, "--report", help="Write an HTML report with trend plots to this file."),
    daily: Path | None = typer.Option(None, "--daily-csv", help="Write the daily normalised values to this CSV."),
    tcf_table: Path | None = typer.Option(
        None, "--tcf-table",
        help="TCF table of a manual instead of FilmTec's TCF: a .csv with a column in degC (heading "
             "ending '_C') or degF ('_F') and a 'factor' column."),
    tcf_multiplier: bool = typer.Option(
        False, "--tcf-multiplier", help="The table's factors multiply the measured flow (above 1 in cold water)."),
    osmotic: str = typer.Option(
        "seawater", "--osmotic",
        help="Osmotic estimate: 'seawater' (thermodynamic, the default) or 'tds_rule' (1 psi per 100 mg/L of TDS)."),
):
    """Normalise LOG against a reference and print trends, triggers and the next clean."""
    from ..operations import (  # lazy: pandas and scipy load only for this command
        compare_stages,
        fit_membrane_state,
        normalize_log,
        stage_summary,
    )
    from ..operations.normalization import read_temperature_correction_table  # lazy: as above

    if design is not None and reference is not None:
        raise InputError("give either --design or --reference, not both")
    for path, option in ((report, "--report"), (daily, "--daily-csv")):
        if path is not None:
            check_folder(path, option)
    if design is not None:
        from ..ro.design import EXAMPLES, bundled_example  # lazy: only a design reference needs it

        design = bundled_example(design) if design in EXAMPLES else design
    tcf = None if tcf_table is None else read_temperature_correction_table(tcf_table, multiplier=tcf_multiplier)
    result = normalize_log(log, mapping=mapping, reference=reference, design=design, timezone=timezone,
                           sheet=sheet, temperature_correction=tcf, osmotic=osmotic)
    summary = result.to_dict()
    summary["method"] = {"temperature_correction": "FilmTec" if tcf_table is None else str(tcf_table),
                         "osmotic": osmotic}
    fouling = stages = None
    if design is not None:
        fouling = fit_membrane_state(result, design)
        summary["model"] = model_summary(fouling)
        stages = compare_stages(result, design, membrane_state=fouling)
        summary["model"]["stages"] = stage_summary(stages).to_dict(orient="records")
    if report is not None:
        from ..report.operations import write_operations_report  # lazy: matplotlib for the plots

        write_operations_report(result, report, fouling=fouling, stages=stages)
        summary["report"] = str(report)
    if daily is not None:
        result.daily.to_csv(daily)
    if json_output:
        print_json(summary)
        return
    typer.echo(result.quality.summary())
    ref = summary["reference"]
    typer.echo(f"reference: {ref['source']}; permeate flow {ref['permeate_flow_m3_h']:.1f} m3/h, "
               f"NDP {ref['ndp_bar']:.2f} bar, salt passage {ref['salt_passage_pct']:.3f} %")
    rows = [{"quantity": q, "change now %": t["change_now_pct"], "slope %/day": t["slope_pct_per_day"],
             "trigger %": t["trigger_pct"], "triggered": "yes" if t["triggered"] else "no",
             "projected": t["projected_clean_date"] or "-"} for q, t in summary["trends"].items()]
    print_table("Trends since the last cleaning (daily medians)", rows)
    typer.echo(f"cleanings found: {', '.join(summary['cleanings']) or 'none'}")
    typer.echo(f"next clean: {summary['next_clean_date'] or 'not within the trend'}"
               + (f" ({summary['next_clean_reason']})" if summary["next_clean_reason"] else ""))
    if fouling is not None:
        model = summary["model"]
        salt = model["salt_permeability_factor_now"]
        typer.echo(f"model (fitted with the RO engine): fouling factor {model['fouling_factor_now']:.3f}"
                   + (f", salt-permeability factor {salt:.3f}" if salt is not None else "")
                   + f" on {model['date']} ({model['days_fitted']} days fitted)")
        print_table("Measured against the model, per stage (last 14 days; deviation %)", [
            {"stage": r["stage"], "quantity": r["quantity"], "measured": r["measured"], "projected": r["projected"],
             "unit": r["unit"], "deviation start %": r["deviation_start_pct"],
             "deviation now %": r["deviation_now_pct"], "departs": "yes" if r["departs"] else "no"}
            for r in model["stages"]])
    if report is not None:
        typer.echo(f"report written to {report}")


def model_summary(fouling) -> dict:
    """The JSON of the model-based monitoring: the smoothed fouling factor and salt-permeability
    factor now and at the start."""
    smoothed = fouling["fouling_factor_smoothed"].dropna()
    salt = fouling["salt_permeability_factor_smoothed"].dropna() if (
        "salt_permeability_factor_smoothed" in fouling) else smoothed.iloc[:0]
    return {
        "date": str(smoothed.index[-1].date()) if len(smoothed) else None,
        "fouling_factor_now": float(smoothed.iloc[-1]) if len(smoothed) else None,
        "fouling_factor_start": float(smoothed.iloc[0]) if len(smoothed) else None,
        "fouling_factor_min": float(smoothed.min()) if len(smoothed) else None,
        "salt_permeability_factor_now": float(salt.iloc[-1]) if len(salt) else None,
        "salt_permeability_factor_start": float(salt.iloc[0]) if len(salt) else None,
        "days_fitted": int(len(smoothed)),
        "days_not_converged": int((~fouling["feasible"]).sum()),
    }
