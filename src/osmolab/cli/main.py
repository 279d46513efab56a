"""Top-level commands: ``osmolab run`` (the main job) and ``osmolab version``."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import typer

from ._common import command, print_json, print_table


def register(app: typer.Typer) -> None:
    app.command("run", help="Project the bundled seawater RO plant and write its report.")(run)
    app.command("version", help="Print the osmolab version.")(version)


@command
def run(
    report: Path = typer.Option(Path("report.html"), "--report", help="Where to write the HTML report."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """The main job on embedded defaults: no input files, no network."""
    if importlib.util.find_spec("osmolab.ro.design") is not None:
        from ..ro.design import run_default

        run_default(report_path=report, json_output=json_output)
        return
    from ..thermo.osmotic import examples_table

    table = examples_table()
    if json_output:
        print_json(table.to_dict("records"))
    else:
        print_table("Osmotic pressure and tonicity of built-in examples", table)


@command
def version(json_output: bool = typer.Option(False, "--json", help="Print JSON.")):
    from .. import __version__

    if json_output:
        print_json({"version": __version__})
    else:
        typer.echo(f"osmolab {__version__}")
