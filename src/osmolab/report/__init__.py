"""Reports (HTML) and plots of results.

:func:`write_report` writes a self-contained HTML report (inline CSS and SVG plots, no
internet) of an RO projection; :func:`render_html` returns it as a string.
"""

from __future__ import annotations

__all__ = ["render_html", "write_report"]


def __getattr__(name):
    if name in __all__:
        from . import html

        return getattr(html, name)
    raise AttributeError(f"module 'osmolab.report' has no attribute {name!r}")
