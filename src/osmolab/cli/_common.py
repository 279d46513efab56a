"""Helpers shared by the CLI commands: error handling, JSON output, tables.

Interfaces only translate; no physics lives here.
"""

from __future__ import annotations

import functools
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import typer

from ..errors import InputError
from ..report.jsonable import json_safe

#: Exit code for bad input (documented in the README).
EXIT_BAD_INPUT = 2

# The unit rule of every entry point (docs/units.md): a bare number is degC, bar or g/kg;
# any value may carry its unit. Options that follow it end their help with one of these;
# options in reduced (dimensionless) particle units say "reduced" instead.
TEMPERATURE_HELP = "bare number = degC, or with a unit, e.g. '298.15 K'"
PRESSURE_HELP = "bare number = bar, or with a unit, e.g. '5 atm', '500 kPa'"
SALINITY_HELP = "bare number = g/kg, or with a unit, e.g. '3.5 %', '35000 ppm'"


#: Plain JSON values of a result (NaN -> null); one rule for the CLI and the web API.
to_jsonable = json_safe


def print_json(data) -> None:
    """Print ``data`` as indented JSON on standard output."""
    typer.echo(json.dumps(to_jsonable(data), indent=2, ensure_ascii=False))


def fail(message: str, code: int = EXIT_BAD_INPUT):
    """Print one ``error:`` line on standard error and exit with ``code``."""
    typer.echo(f"error: {' '.join(str(message).split())}", err=True)
    raise typer.Exit(code)


#: File types a figure may be written to.
PLOT_SUFFIXES = (".png", ".pdf", ".svg", ".jpg", ".jpeg", ".eps", ".tif", ".tiff", ".webp")


def check_folder(path, option: str) -> None:
    """Fail before a long run when ``path`` cannot be written (no folder, or a folder)."""
    folder = Path(path).expanduser().resolve().parent
    if not folder.is_dir():
        raise InputError(f"{option}: folder {str(folder)!r} does not exist; create it or choose another path")
    if Path(path).is_dir():
        raise InputError(f"{option}: {str(path)!r} is a folder; give a file name")


def check_plot(plot, option: str = "--plot") -> Path | None:
    """The figure path of ``option`` as a Path (None if not asked for), checked up front."""
    if plot is None:
        return None
    suffix = Path(plot).suffix.lower()
    if suffix not in PLOT_SUFFIXES:
        raise InputError(f"{option} file must end in one of {', '.join(PLOT_SUFFIXES)}, got {Path(plot).name!r}")
    check_folder(plot, option)
    return Path(plot)


def command(func):
    """Decorate a CLI command: InputError -> one line and exit 2; warnings captured.

    Unexpected exceptions also print one line (exit 1) unless ``OSMOLAB_DEBUG`` is set.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        import os

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default")
                warnings.showwarning = _show_warning
                return func(*args, **kwargs)
        except typer.Exit:
            raise
        except InputError as exc:
            fail(str(exc))
        except (KeyboardInterrupt, BrokenPipeError):
            raise typer.Exit(130) from None
        except Exception as exc:  # pragma: no cover - the safety net
            if os.environ.get("OSMOLAB_DEBUG"):
                raise
            fail(f"internal error ({type(exc).__name__}: {exc}); please report it", code=1)

    return wrapper


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """Print a warning as one ``warning:`` line on standard error (no source line)."""
    typer.echo(f"warning: {' '.join(str(message).split())}", err=True)


def print_table(title: str, rows, columns=None, width: int | None = None) -> None:
    """Print rows (list of dicts or a DataFrame) as a rich table on standard output
    (``width`` characters; default 100, or 12 per column when more)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    try:
        import pandas as pd

        if isinstance(rows, pd.DataFrame):
            columns = list(rows.columns) if columns is None else columns
            rows = rows.to_dict("records")
    except ImportError:  # pragma: no cover
        pass
    rows = list(rows)
    if columns is None:
        columns = list(rows[0]) if rows else []
    table = Table(title=title)
    for col in columns:
        # escape: a heading such as "dose [mg/L]" is text, not rich markup
        table.add_column(escape(str(col)), justify="right" if rows and _numeric(rows[0].get(col)) else "left")
    for row in rows:
        table.add_row(*[escape(_fmt(row.get(col))) for col in columns])
    Console(file=sys.stdout, width=width or max(100, 12 * len(columns))).print(table)


def _numeric(value) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if not math.isfinite(v):
            return "-"
        if 1e4 <= abs(v) < 1e12:  # plain, with thousands separators: 13,550,000 not 1.355e+07
            return f"{v:,.0f}"
        if v != 0 and (abs(v) >= 1e12 or abs(v) < 1e-3):
            return f"{v:.3e}"
        return f"{v:.4g}"
    return str(value)
