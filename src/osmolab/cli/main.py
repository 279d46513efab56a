"""Top-level commands: ``osmolab run`` (the main job) and ``osmolab version``."""

from __future__ import annotations

from pathlib import Path

import typer

from ._common import command, print_json


def register(app: typer.Typer) -> None:
    app.command("run", help="Project the bundled seawater RO plant and write its report.")(run)
    app.command("version", help="Print the osmolab version.")(version)


@command
def run(
    report: Path = typer.Option(Path("report.html"), "--report", help="Where to write the HTML report."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """The main job on embedded defaults: no input files, no network."""
    from ..report import run_default
    from .ro import show_projection

    # the job is the library's (osmolab.report.run_default); the CLI only prints it
    result = run_default(report, echo=lambda line: None)
    show_projection(result, report, json_output)


@command
def version(json_output: bool = typer.Option(False, "--json", help="Print JSON.")):
    from .. import __version__

    if json_output:
        print_json({"version": __version__})
    else:
        typer.echo(f"osmolab {__version__}")
