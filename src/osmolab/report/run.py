"""The ``osmolab run`` job: project the bundled seawater plant and write its HTML report.

This sits in the report layer because it composes the RO engine (:mod:`osmolab.ro`) with the
HTML report (:mod:`osmolab.report.html`); nothing in :mod:`osmolab.ro` imports the report.
"""

from __future__ import annotations

from ..ro.design import bundled_example, load_design, project, summary_lines
from .html import write_report

__all__ = ["run_default"]


def run_default(report_path="report.html", echo=print):
    """Project the bundled seawater plant, print its summary and write the HTML report.

    Parameters
    ----------
    report_path : str or Path, optional
        Where to write the report; ``None`` skips it.
    echo : callable
        Prints one line (``print`` by default; the CLI passes its own).

    Returns
    -------
    result
        The projection (:class:`osmolab.ro.results.ROResult`).
    """
    design = load_design(bundled_example("seawater_px"))
    result = project(design)
    data = result.to_dict()
    echo(f"{design.name}")
    for line in summary_lines(data):
        echo(line)
    for line in data.get("warnings") or []:
        echo(f"warning: {line}")
    if report_path is not None:
        path = write_report(result, report_path, design=design)
        echo(f"report written to {path}")
    return result
