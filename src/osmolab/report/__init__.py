"""Reports (HTML, Markdown) and plots of results.

:func:`write_report` writes a self-contained HTML report (inline CSS and SVG plots, no
internet) of an RO projection; :func:`render_html` returns it as a string;
:func:`projection_markdown` gives the Markdown tables; :func:`run_default` is the
``osmolab run`` job (project the bundled seawater plant and write its report).
"""

from __future__ import annotations

from .html import render_html, write_report
from .markdown import example_markdown, projection_markdown
from .run import run_default

__all__ = ["render_html", "write_report", "projection_markdown", "example_markdown",
           "run_default"]
