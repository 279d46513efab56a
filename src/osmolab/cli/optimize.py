"""``osmolab optimize FILE.yaml``: the best design under constraints, or a Pareto front.

Interfaces only translate: the options become the arguments of
:func:`osmolab.studies.optimize.optimize` (or :func:`~osmolab.studies.optimize.pareto`); the
result is printed as a table or JSON, the best design written as YAML when asked.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import typer

from ._common import check_folder, check_plot, command, print_json, print_table


def register(app: typer.Typer) -> None:
    app.command("optimize", help="Optimise an RO design (discrete and continuous choices) under constraints.")(
        optimize)


def _variables(vary: list[str]) -> dict | None:
    from ..errors import InputError

    if not vary:
        return None
    out = {}
    for item in vary:
        name, sep, spec = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--vary {item!r}: write NAME=LOW:HIGH, NAME=LOW:HIGH:STEP or NAME=A,B,C")
        out[name.strip()] = spec
    return out


@contextmanager
def _progress(show: bool, what: str):
    """A rich progress bar on standard error (a terminal only), started on the first design;
    yields the ``progress(done, total)`` callback."""
    if not show or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(file=sys.stderr), transient=True)
    task = bar.add_task(what, total=None)

    def update(done, total):
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if bar.live.is_started:
            bar.stop()


@command
def optimize(
    file: str = typer.Argument(..., help="Design file (.yaml) or a bundled example, e.g. seawater_px."),
    objective: str = typer.Option("sec", "--objective", help="lcow, sec or permeate_tds; the others are listed "
                                  "in docs/optimisation.md (recovery and permeate_flow are maximised)."),
    constraint: list[str] = typer.Option([], "--constraint", help="A limit such as 'permeate_tds_mg_L<=200', "
                                         "'permeate_boron_mg_L<=1', 'gypsum_saturation_pct<=230', "
                                         "'calcite_lsi<=1.8', 'min_flux_lmh>=1' or 'scaling' (every scale within "
                                         "the limit of the design's antiscalant) (repeatable)."),
    vary: list[str] = typer.Option([], "--vary", help="NAME=LOW:HIGH (range), NAME=LOW:HIGH:STEP or NAME=A,B "
                                   "(levels); names: recovery, element, stages, vessels, elements_per_vessel, erd, "
                                   "or a design path such as array.stages.0.vessels; all names and their units in "
                                   "docs/optimisation.md (repeatable)."),
    pareto_objectives: str | None = typer.Option(None, "--pareto", help="Two objectives, e.g. 'lcow,recovery' "
                                                 "or 'sec,permeate_tds': print the Pareto front."),
    plot: Path | None = typer.Option(None, "--plot", help="With --pareto: write the front's figure (.png...)."),
    no_guidelines: bool = typer.Option(False, "--no-guidelines", help="Do not impose the design guidelines."),
    grid: int = typer.Option(41, "--grid", help="Points of the target variable per design."),
    seed: int = typer.Option(0, "--seed", help="Seed of the sampling of large search spaces."),
    output: Path | None = typer.Option(None, "--output", help="Write the best design as YAML to this file."),
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    dask: bool = typer.Option(False, "--dask", help="Evaluate the designs on a Dask LocalCluster (one worker per core)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Evaluate on an existing Dask cluster, "
                                         "e.g. tcp://HOST:8786."),
):
    from ..errors import InputError
    from ..studies import cluster
    from ..studies import optimize as opt

    plot_path = check_plot(plot)
    if plot_path is not None and pareto_objectives is None:
        raise InputError("--plot draws a Pareto front; give --pareto as well")
    if output is not None:
        if pareto_objectives is not None:
            raise InputError("--output writes the best design; it does not apply with --pareto")
        if output.suffix.lower() not in (".yaml", ".yml"):
            raise InputError(f"--output must end in .yaml or .yml, got {output.name!r}")
        check_folder(output, "--output")
    if dask and scheduler:
        raise InputError("give either --dask or --scheduler, not both")
    variables = _variables(vary)
    client = cluster.connect(scheduler) if scheduler else cluster.local_cluster() if dask else None
    try:
        _run(opt, file, objective, variables, constraint, pareto_objectives, vary, plot_path, output, json_output,
             {"guidelines": not no_guidelines, "grid": grid, "seed": seed, "client": client})
    finally:
        if client is not None:
            local = client.cluster if dask else None
            client.close()
            if local is not None:
                local.close()


def _run(opt, file, objective, variables, constraint, pareto_objectives, vary, plot_path, output, json_output,
         kwargs):
    from ..studies import pareto as fronts

    if pareto_objectives is not None:
        objectives = tuple(o.strip() for o in pareto_objectives.split(",") if o.strip())
        with _progress(not json_output, "Pareto search") as progress:
            front = fronts.pareto(file, objectives, variables, constraint, progress=progress, **kwargs)
        if plot_path is not None:
            fronts.plot_pareto(front, objectives, path=plot_path)
        if json_output:
            print_json({"objectives": list(objectives), "front": front.to_dict("records"),
                        "plot": str(plot_path) if plot_path else None})
            return
        columns = [c for c in front.columns if c in {v.split("=")[0].strip() for v in vary}
                   or c in ("element", "vessels", "stages", "recovery", "feed_pressure_bar", "sec_kWh_m3",
                            "permeate_tds_mg_L", "lcow_usd_m3", "permeate_flow_m3_h")]
        print_table(f"Pareto front: {objectives[0]} vs {objectives[1]} ({len(front)} designs)", front, columns)
        if plot_path is not None:
            typer.echo(f"figure written to {plot_path}")
        return
    with _progress(not json_output, "Searching designs") as progress:
        best = opt.optimize(file, objective, variables, constraint, progress=progress, **kwargs)
    if output is not None:
        import yaml

        output.write_text(yaml.safe_dump(best.design, sort_keys=False), encoding="utf-8")
    if json_output:
        data = best.to_dict()
        data["output"] = str(output) if output else None
        print_json(data)
        return
    _show(best, output)


def _show(best, output) -> None:
    from ..ro.design import summary_lines

    typer.echo(f"Best design for {best.objective} ({best.metric} = {best.value:.5g}), "
               f"{best.evaluations} projections in {best.time_s:.2f} s ({best.method})")
    print_table("Variables", [{"variable": k, "value": v} for k, v in best.variables.items()])
    for line in summary_lines(best.projection.to_dict(detail=False)):
        typer.echo(line)
    typer.echo("Binding constraints:" if best.binding else "Binding constraints: none")
    for line in best.binding:
        typer.echo(f"  {line}")
    if output is not None:
        typer.echo(f"best design written to {output}")
