"""The ``osmolab`` command line (typer).

Each topic registers its commands from its own module (``cli/thermo.py``, ``cli/ro.py``,
``cli/particles.py``, ``cli/transport.py``); every command accepts ``--json``. Bad input
prints one ``error:`` line and exits with code 2.
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


_TOPICS = ("thermo", "ro", "transport", "particles", "main")

for _topic in _TOPICS:
    if importlib.util.find_spec(f"{__name__}.{_topic}") is not None:
        importlib.import_module(f"{__name__}.{_topic}").register(app)


def main(argv=None) -> int:
    """Console-script entry point."""
    import matplotlib

    matplotlib.use("Agg")
    try:
        app(args=argv, prog_name="osmolab", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
