"""The ``osmolab`` command line (typer).

Each topic registers its commands from its own module (``cli/thermo.py``, ``cli/water.py``,
``cli/ro.py``, ``cli/particles.py``, ``cli/transport.py``); every command accepts ``--json``.
Bad input prints one ``error:`` line and exits with code 2.
"""

from __future__ import annotations

import importlib
import importlib.util

import typer

app = typer.Typer(
    name="osmolab",
    help="Diffusion, osmosis and reverse osmosis: from molecules to membrane plants.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def _root() -> None:
    """Diffusion, osmosis and reverse osmosis: from molecules to membrane plants."""


_TOPICS = ("thermo", "water", "ro", "transport", "particles", "operations", "studies", "optimize", "main")

for _topic in _TOPICS:
    if importlib.util.find_spec(f"{__name__}.{_topic}") is not None:
        importlib.import_module(f"{__name__}.{_topic}").register(app)


def main(argv=None) -> int:
    """Console-script entry point.

    Usage errors (an unknown option, a value of the wrong type) print one ``error:`` line
    and exit with code 2, like every other bad input.
    """
    import matplotlib

    matplotlib.use("Agg")
    try:
        code = app(args=argv, prog_name="osmolab", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        typer.echo("error: aborted", err=True)
        return 130
    except typer.TyperException as exc:  # usage errors: bad option, bad value, no command
        code = int(getattr(exc, "exit_code", 2) or 2)
        ctx = getattr(exc, "ctx", None)
        where = f"osmolab {ctx.command_path.partition(' ')[2]}".strip() if ctx else "osmolab"
        message = " ".join(exc.format_message().split())
        if not message:  # bare `osmolab`: the help has been printed
            return 0
        typer.echo(f"error: {message} (see '{where} --help')", err=True)
        return code
    except SystemExit as exc:
        return int(exc.code or 0)
    return int(code) if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
