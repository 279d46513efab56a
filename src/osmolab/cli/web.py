"""The workbench command: ``osmolab serve`` (the web app on uvicorn).

Interfaces only translate: this command turns its options into the web app's settings,
prints where the workbench listens and runs uvicorn. The CLI and the web app are sibling
layers that do not import each other (``.importlinter``: ``cli | web``); like uvicorn
itself, the command names the app factory and its settings by their import strings.
"""

from __future__ import annotations

import typer

from ._common import command, print_json

#: Import strings of the web app's settings, its ``--database`` rule and its factory.
SETTINGS = "osmolab.web.security:Settings"
DATABASE_URL = "osmolab.web.security:database_url"
APP_FACTORY = "osmolab.web.app:create_app"


def register(app: typer.Typer) -> None:
    app.command(
        "serve", help="Start the web workbench (plant designer, projects, classroom) in a browser."
    )(serve)


@command
def serve(
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to bind; any address but loopback needs --token."
    ),
    port: int = typer.Option(8000, "--port", help="TCP port (0-65535).", min=0, max=65535),
    database: str | None = typer.Option(
        None, "--database",
        help="Project database: a file path (SQLite) or a SQLAlchemy URL such as "
        "postgresql://user@host/osmolab; default: projects.sqlite in the user data folder.",
    ),
    token: str | None = typer.Option(
        None, "--token", help="Shared secret required on every request (or OSMOLAB_TOKEN)."
    ),
    json_output: bool = typer.Option(
        False, "--json", help="Print the settings as JSON instead of the banner (still serves)."
    ),
):
    import uvicorn
    from uvicorn.importer import import_from_string

    settings_class = import_from_string(SETTINGS)
    database_url = import_from_string(DATABASE_URL)
    settings = settings_class(host=host, port=port, database_url=database_url(database),
                              token=token, warm_up=True)
    app = import_from_string(APP_FACTORY)(settings)
    info = settings.describe()
    if json_output:
        print_json(info)
    else:
        access = ("token required (header 'Authorization: Bearer TOKEN' or ?token=TOKEN)"
                  if info["token_required"] else "no token (loopback only)")
        typer.echo(f"osmolab workbench on {info['url']} - {access} - projects in "
                   f"{info['database_url']} (Ctrl+C stops it)")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning",
                access_log=False)
