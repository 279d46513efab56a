"""Top-level commands: ``osmolab run`` (the main job) and ``osmolab version``."""

from __future__ import annotations

import typer

from ._common import command, print_json


def register(app: typer.Typer) -> None:
    app.command("version", help="Print the osmolab version.")(version)


@command
def version(json_output: bool = typer.Option(False, "--json", help="Print JSON.")):
    from .. import __version__

    if json_output:
        print_json({"version": __version__})
    else:
        typer.echo(f"osmolab {__version__}")
