"""Figures of studies: sweep line and contour plots, Monte Carlo histograms (matplotlib).

matplotlib is imported inside each function (it is slow to import and only figures need it);
each function writes the figure to ``path`` and returns the path.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["sweep_figure", "histograms", "PLOTTED"]

#: Outputs shown in sweep figures, with their axis labels
PLOTTED = {
    "feed_pressure_bar": "feed pressure [bar]",
    "permeate_tds_mg_L": "permeate TDS [mg/L]",
    "sec_kWh_m3": "SEC [kWh/m3]",
    "lcow_usd_m3": "LCOW [$/m3]",
}


def _pyplot():
    import matplotlib  # lazy: figures only

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # lazy: figures only

    return plt


def sweep_figure(table, inputs, path, title: str = "") -> Path:
    """Line plots (one continuous input) or filled contours (two) of a sweep table.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`osmolab.studies.sweep.sweep` table.
    inputs : sequence of str
        Its input columns. Contours over the two finest-sampled numeric inputs when both have
        5 values or more (the others at their first value, named in the title); otherwise
        lines over the finest-sampled input, one per combination of the others.
    path : str or pathlib.Path
        Figure file (.png, .pdf, .svg ...).

    Returns
    -------
    pathlib.Path
    """
    plt = _pyplot()
    outputs = [k for k in PLOTTED if k in table.columns]
    labels = {k: PLOTTED[k] for k in outputs}
    band = {}
    if not outputs:  # a Monte Carlo sweep: the P50 of each output, P5-P95 as a band
        outputs = [f"{k}_p50" for k in PLOTTED if f"{k}_p50" in table.columns]
        labels = {f"{k}_p50": f"{PLOTTED[k]}, P50" for k in PLOTTED}
        band = {f"{k}_p50": (f"{k}_p5", f"{k}_p95") for k in PLOTTED}
    if not outputs:
        from ..errors import InputError  # lazy: only this message needs it

        raise InputError("nothing to plot: the table has no feed pressure, TDS, SEC or LCOW")
    numeric = [c for c in inputs if np.issubdtype(table[c].dtype, np.number)
               and table[c].nunique() > 1]
    fig, axes = plt.subplots(1, len(outputs), figsize=(4.2 * len(outputs), 3.6),
                             squeeze=False)
    axes = axes[0]
    numeric.sort(key=lambda c: -table[c].nunique())  # the finest-sampled inputs on the axes
    if len(numeric) >= 2 and table[numeric[1]].nunique() >= 5:
        x, y = numeric[:2]
        data = table
        others = [c for c in inputs if c not in (x, y) and table[c].nunique() > 1]
        fixed = []
        for c in others:
            data = data[data[c] == data[c].iloc[0]]
            fixed.append(f"{c} = {data[c].iloc[0]}")
        feasible = (data["feasible"].to_numpy(bool) if "feasible" in data else
                    data["feasible_fraction"].to_numpy(float) >= 1.0
                    if "feasible_fraction" in data else np.ones(len(data), bool))
        for ax, key in zip(axes, outputs, strict=True):
            z = data[key].to_numpy(float)
            levels = 12
            contour = ax.tricontourf(data[x], data[y], z, levels=levels, cmap="viridis")
            ax.tricontour(data[x], data[y], z, levels=levels, colors="k", linewidths=0.3)
            fig.colorbar(contour, ax=ax, label=labels[key])
            if not feasible.all():
                ax.plot(data[x][~feasible], data[y][~feasible], "x", color="red", ms=3,
                        label="infeasible")
                ax.legend(loc="best", fontsize=7)
            ax.set_xlabel(x)
            ax.set_ylabel(y)
        if fixed:
            title = f"{title} ({', '.join(fixed)})".strip()
    else:
        x = numeric[0] if numeric else inputs[0]
        others = [c for c in inputs if c != x and table[c].nunique() > 1]
        groups = table.groupby(others, sort=True) if others else [((), table)]
        for key_values, group in groups:
            label = ", ".join(f"{c} = {v}" for c, v in zip(others, np.atleast_1d(key_values),
                                                             strict=False)) or None
            group = group.sort_values(x)
            for ax, key in zip(axes, outputs, strict=True):
                line, = ax.plot(group[x], group[key], "-",
                                marker="." if len(group) < 30 else None, label=label)
                if key in band and set(band[key]) <= set(group.columns):
                    ax.fill_between(group[x], group[band[key][0]], group[band[key][1]],
                                    color=line.get_color(), alpha=0.2, lw=0)
        for ax, key in zip(axes, outputs, strict=True):
            ax.set_xlabel(x)
            ax.set_ylabel(labels[key])
            ax.grid(alpha=0.3)
        if others:
            axes[0].legend(fontsize=7)
    return _save(plt, fig, path, title)


def _save(plt, fig, path, title: str) -> Path:
    """Title, lay out, write and close a figure; return its path."""
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def histograms(samples, path, limits=None, title: str = "") -> Path:
    """Histograms of Monte Carlo outputs with their P5, P50, P95 and the limits.

    Parameters
    ----------
    samples : pandas.DataFrame
        The ``samples`` of a :class:`osmolab.studies.montecarlo.MonteCarloResult`.
    path : str or pathlib.Path
        Figure file.
    limits : Mapping[str, float], optional
        Output column -> upper limit, drawn as a red line.
    """
    plt = _pyplot()
    outputs = [k for k in (*PLOTTED, "permeate_boron_mg_L") if k in samples.columns]
    fig, axes = plt.subplots(1, len(outputs), figsize=(3.8 * len(outputs), 3.2),
                             squeeze=False)
    for ax, key in zip(axes[0], outputs, strict=True):
        values = samples[key].to_numpy(float)
        ax.hist(values, bins=40, color="#4c72b0", alpha=0.85)
        for q, style in ((5, ":"), (50, "-"), (95, ":")):
            ax.axvline(np.percentile(values, q), color="k", ls=style, lw=1)
        limit = (limits or {}).get(key)
        span = values.max() - values.min() or abs(values.max()) or 1.0
        if limit is not None and values.min() - span <= limit <= values.max() + span:
            ax.axvline(limit, color="red", lw=1.5, label=f"limit {limit:g}")
            ax.legend(fontsize=7)
        elif limit is not None:  # far off: name it rather than squash the histogram
            ax.set_title(f"limit {limit:g} off scale", fontsize=8)
        ax.set_xlabel(PLOTTED.get(key, "permeate boron [mg/L]"))
        ax.set_ylabel("cases")
    return _save(plt, fig, path, title)
