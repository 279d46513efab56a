"""Study command: ``osmolab sweep FILE.yaml --vary NAME=LOW:HIGH:N ...``.

Interfaces only translate: the command parses its options, calls
:func:`osmolab.studies.sweep.sweep` (or :func:`osmolab.studies.montecarlo.monte_carlo_sweep`)
and writes the table (CSV or Parquet), a figure, a summary or JSON. Ctrl-C keeps the cases
finished so far in the output file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer

from ..errors import InputError
from ._common import check_folder, check_plot, command, print_json, print_table

#: Output columns printed in the text summary (the file and --json have them all)
SHOWN = ("feed_pressure_bar", "permeate_tds_mg_L", "sec_kWh_m3", "lcow_usd_m3", "feasible",
         "feed_pressure_bar_p50", "permeate_tds_mg_L_p95", "p_exceed_permeate_tds_mg_L",
         "feasible_fraction")
#: Table formats by file suffix
OUTPUT_SUFFIXES = (".csv", ".parquet")


def register(app: typer.Typer) -> None:
    app.command("sweep", help="Sweep an RO design over overrides and design fields "
                              "(factorial or Latin hypercube), locally or on Dask.")(sweep)


def parse_vary(text: str):
    """``NAME=LOW:HIGH:N`` (a range), ``NAME=LOW:HIGH`` (Latin hypercube range) or
    ``NAME=A,B,C`` (values) -> (name, levels)."""
    if "=" not in text:
        raise InputError(f"--vary {text!r}: write NAME=LOW:HIGH:N or NAME=A,B,C, e.g. "
                         "recovery=0.35:0.60:26")
    name, _, spec = text.partition("=")
    name, spec = name.strip(), spec.strip()
    if not name or not spec:
        raise InputError(f"--vary {text!r}: write NAME=LOW:HIGH:N or NAME=A,B,C")
    if ":" in spec and "," not in spec:
        parts = [p.strip() for p in spec.split(":")]
        if len(parts) not in (2, 3) or not all(parts):
            raise InputError(f"--vary {text!r}: a range is LOW:HIGH:N (or LOW:HIGH with --latin)")
        low, high = (_value(p) for p in parts[:2])
        if len(parts) == 2:
            return name, (low, high)
        try:
            count = int(parts[2])
        except ValueError:
            raise InputError(f"--vary {text!r}: the count N must be a whole number, got "
                             f"{parts[2]!r}") from None
        return name, (low, high, count)
    values = [p.strip() for p in spec.split(",")]
    if not all(values):
        raise InputError(f"--vary {text!r}: empty value in the list")
    return name, [_value(v) for v in values]


def _value(text: str):
    """A bare number as a float (entry units), anything else as a string with its unit."""
    try:
        return float(text)
    except ValueError:
        return text


def write_table(table, path: Path) -> None:
    """Write a table to CSV or Parquet atomically (a temporary file, then a rename)."""
    fd, tmp = tempfile.mkstemp(prefix=".osmolab-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        if path.suffix.lower() == ".parquet":
            table.to_parquet(tmp, index=False)
        else:
            table.to_csv(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


@command
def sweep(
    file: str = typer.Argument(..., help="Design file (.yaml) or a bundled example: seawater_px, brackish_2stage, seawater_2pass."),
    vary: list[str] = typer.Option(..., "--vary", help="NAME=LOW:HIGH:N or NAME=A,B,C; bare numbers in degC, bar, g/kg, m3/h (repeat for more variables)."),
    latin: int | None = typer.Option(None, "--latin", help="Latin hypercube of N cases instead of the full factorial."),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the Latin hypercube and of the Monte Carlo draws."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the table to this .csv or .parquet file."),
    plot: Path | None = typer.Option(None, "--plot", help="Write a figure: line plot (one variable) or contours (two)."),
    monte_carlo: int | None = typer.Option(None, "--monte-carlo", help="N Monte Carlo draws per case: P5/P50/P95 and exceedance probabilities."),
    dask: bool = typer.Option(False, "--dask", help="Run on a Dask LocalCluster (one worker per core)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Run on an existing Dask cluster, e.g. tcp://HOST:8786."),
    costing: str | None = typer.Option(None, "--costing", help="Cost basis of lcow_usd_m3 (watertap, voutchkov2018); default: the design file's costing: section."),
    chunk_size: int = typer.Option(5000, "--chunk-size", help="Cases per engine call and per Dask task."),
    json_output: bool = typer.Option(False, "--json", help="Print the table as JSON records."),
):
    """Project FILE over every combination of the --vary levels (or a Latin hypercube)."""
    from ..studies import cluster  # lazy: pandas, scipy and dask load only for studies
    from ..studies.sweep import StudyInterrupted, case_table, plant_and_basis
    from ..studies.sweep import sweep as run_sweep

    if dask and scheduler:
        raise InputError("give either --dask or --scheduler, not both")
    if output is not None:
        if output.suffix.lower() not in OUTPUT_SUFFIXES:
            raise InputError(f"--output file must end in .csv or .parquet, got {output.name!r}")
        check_folder(output, "--output")
    plot = check_plot(plot)
    if monte_carlo is not None and monte_carlo <= 0:
        raise InputError(f"--monte-carlo must be a number of draws >= 1, got {monte_carlo}")
    levels = dict(parse_vary(v) for v in vary)
    if len(levels) != len(vary):
        raise InputError("a variable is given twice in --vary")
    system, basis = plant_and_basis(file, costing)
    costing_arg = basis if basis is not None else False
    method = "latin" if latin is not None else "factorial"
    variables, cases = case_table(system, levels, method, latin, seed)  # bad input: here
    total = len(next(iter(cases.values())))
    if monte_carlo is not None and total * monte_carlo > 20_000_000:
        raise InputError(f"{total:,} cases x {monte_carlo:,} draws is too many for one run")

    client = None
    if scheduler:
        client = cluster.connect(scheduler)
    elif dask:
        client = cluster.local_cluster()
    where = f" on {scheduler}" if scheduler else " on a Dask LocalCluster" if dask else ""
    size = f"{total:,} cases" + (f" x {monte_carlo:,} draws" if monte_carlo else "")
    typer.echo(f"sweep: {size}{where}", err=True)
    interrupted = None
    try:
        with cluster.progress_bar("sweep", enabled=not json_output) as bar:
            try:
                if monte_carlo is not None:
                    from ..studies.montecarlo import monte_carlo_sweep  # lazy: as above

                    table = monte_carlo_sweep(system, levels, monte_carlo, method=method,
                                              n=latin, seed=seed, client=client,
                                              progress=bar, costing=costing_arg)
                else:
                    table = run_sweep(system, levels, method=method, n=latin, seed=seed,
                                      client=client, progress=bar or False,
                                      chunk_size=chunk_size, costing=costing_arg)
            except StudyInterrupted as stop:
                interrupted, table = stop, stop.partial
    finally:
        if client is not None:
            _close(client, dask)
    inputs = [v.column for v in variables]
    if output is not None:
        write_table(table, output)
    if interrupted is not None:
        where = f" to {output}" if output is not None else ""
        typer.echo(f"interrupted: {len(table):,} of {total:,} cases done, written{where}"
                   if output is not None else
                   f"interrupted: {len(table):,} of {total:,} cases done (not saved: no --output)",
                   err=True)
        raise typer.Exit(130)
    if plot is not None:
        from ..studies.plots import sweep_figure  # lazy: matplotlib

        sweep_figure(table, inputs, plot, title=system.name)
    if json_output:
        payload = {"design": system.name, "cases": len(table), "inputs": inputs,
                   "rows": table.to_dict("records")}
        if output is not None:
            payload["output"] = str(output)
        if plot is not None:
            payload["plot"] = str(plot)
        print_json(payload)
        return
    feasible = int(table["feasible"].sum()) if "feasible" in table else len(table)
    typer.echo(f"{system.name}: {len(table):,} cases, {feasible:,} feasible")
    shown = table if len(table) <= 20 else table.iloc[:: max(len(table) // 20, 1)].head(20)
    keep = [c for c in shown.columns if c in inputs or c in SHOWN]
    print_table("Sweep (every case)" if len(table) <= 20 else "Sweep (a sample of the cases)",
                shown[keep])
    if output is not None:
        typer.echo(f"table written to {output}")
    if plot is not None:
        typer.echo(f"figure written to {plot}")


def _close(client, local: bool) -> None:
    cluster = client.cluster if local else None
    client.close()
    if cluster is not None:
        cluster.close()


def show_monte_carlo(plant, n: int, seed, overrides, json_output: bool, basis=None) -> None:
    """``osmolab design FILE --monte-carlo N``: the projection's percentiles and limits."""
    from ..studies import cluster  # lazy: pandas and numpy for studies only
    from ..studies.montecarlo import monte_carlo

    if overrides:
        raise InputError("--monte-carlo draws around the design file's values; leave out "
                         f"--{next(iter(overrides)).replace('_', '-')} (edit the file, or use "
                         "'osmolab sweep FILE --vary ... --monte-carlo N')")
    if n <= 0:
        raise InputError(f"--monte-carlo must be a number of draws >= 1, got {n}")
    with cluster.progress_bar("Monte Carlo", enabled=not json_output) as bar:
        result = monte_carlo(plant, n, seed=seed, progress=bar,
                             costing=basis if basis is not None else False)
    data = result.to_dict()
    name = getattr(plant, "name", "design")
    if json_output:
        print_json({"name": name, "monte_carlo": data})
        return
    typer.echo(f"{name}: {n:,} Monte Carlo draws ({result.feasible_fraction:.1%} feasible)")
    rows = [{"output": col, **{q: vals[q] for q in ("p5", "p50", "p95")}}
            for col, vals in data["percentiles"].items()]
    print_table("Percentiles", rows)
    print_table("Limits", [{"output": e["output"], "limit": e["limit"],
                            "P(exceed)": e["probability"]} for e in data["exceedance"]])
    print_table("Distributions", [{"input": k, "kind": v[0],
                                   "parameters": ", ".join(f"{p:.4g}" if isinstance(p, float)
                                                           else str(p) for p in v[1:])}
                                  for k, v in data["distributions"].items()])
