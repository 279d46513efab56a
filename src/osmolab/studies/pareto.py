"""Pareto fronts of RO designs: the non-dominated candidates of the optimiser's search.

``pareto(design, ("lcow", "recovery"), variables, constraints)`` runs the global search of
:func:`osmolab.studies.optimize.optimize` (every combination of the discrete levels, each
design projected over a dense grid of its target in one vectorised call) and keeps every
feasible candidate that no other is at least as good as in every objective and better in one;
:func:`plot_pareto` draws the front.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from .optimize import OBJECTIVES, _global_search, _history, _infeasible_message, _problem

__all__ = ["pareto", "non_dominated", "plot_pareto"]


def pareto(design, objectives=("sec", "permeate_tds"), variables=None, constraints=(), *, guidelines=True,
           seed=0, grid=41, continuous_levels=5, max_designs=2000, water_source=None, cost_basis=None,
           client=None, progress=None) -> pd.DataFrame:
    """Non-dominated designs for two or more objectives (e.g. ``("lcow", "recovery")``).

    Every feasible candidate of the global search of :func:`optimize` (same variables and
    constraints) is kept when no other is at least as good in every objective and better in
    one (senses from :data:`OBJECTIVES`: ``recovery`` and ``permeate_flow`` are maximised).

    Returns
    -------
    pandas.DataFrame
        One row per non-dominated design: the variables, the objectives' metrics
        (``sec_kWh_m3``, ``permeate_tds_mg_L``, ``lcow_usd_m3``, ``recovery``...), the other
        metrics; sorted by the first objective.

    Examples
    --------
    >>> front = pareto("seawater_px", ("sec", "recovery"), {"recovery": (0.40, 0.50)}, grid=6)
    >>> list(front["recovery"].round(2))[:2]
    [0.44, 0.46]
    """
    objectives = tuple(objectives)
    if len(objectives) < 2:
        raise InputError(f"a Pareto front needs two objectives or more, got {objectives!r}")
    if len(set(objectives)) != len(objectives):
        raise InputError(f"objectives repeat: {objectives!r}")
    problem = _problem(design, objectives[0], variables, constraints, guidelines, grid, water_source,
                       cost_basis, objectives=objectives)
    extra = tuple(OBJECTIVES[o][0] for o in objectives)
    search, _ = _global_search(problem, seed, max_designs, continuous_levels, progress, client, extra)
    history = _history(search)
    feasible = history[history["feasible"]]
    if feasible.empty:
        raise InputError(_infeasible_message(problem, search, history))
    scores = np.column_stack([OBJECTIVES[o][1] * feasible[OBJECTIVES[o][0]].to_numpy(float) for o in objectives])
    keep = non_dominated(scores)
    front = feasible.iloc[np.nonzero(keep)[0]].copy()
    front = front.drop(columns=["slack", "feasible", "engine_reason"]).sort_values(extra[0])
    front.attrs["objectives"] = objectives
    return front.reset_index(drop=True)


def non_dominated(scores) -> np.ndarray:
    """Mask of the rows of ``scores`` (n x k, minimised) that no other row dominates.

    Examples
    --------
    >>> non_dominated([[1, 3], [2, 2], [3, 3], [1, 3]]).tolist()
    [True, True, False, True]
    """
    scores = np.asarray(scores, dtype=float)
    n = scores.shape[0]
    keep = np.ones(n, dtype=bool)
    for start in range(0, n, 512):  # chunks keep the n x n comparison small
        block = scores[start:start + 512]
        no_worse = (scores[None, :, :] <= block[:, None, :]).all(axis=2)
        better = (scores[None, :, :] < block[:, None, :]).any(axis=2)
        keep[start:start + 512] = ~(no_worse & better).any(axis=1)
    return keep


def plot_pareto(front: pd.DataFrame, objectives=None, path=None, ax=None, label_by=None):
    """Scatter the Pareto front (first objective on x); written to ``path`` if given.

    Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt  # lazy: matplotlib only when plotting

    objectives = tuple(objectives or front.attrs.get("objectives", ()))
    if len(objectives) < 2:
        raise InputError("give the two objectives to plot")
    x, y = (OBJECTIVES[o][0] for o in objectives[:2])
    fig = ax.figure if ax is not None else plt.figure(figsize=(6, 4.2))
    ax = ax or fig.add_subplot(1, 1, 1)
    if label_by and label_by in front:
        for label, group in front.groupby(label_by):
            ax.plot(group[x], group[y], "o", ms=4, label=str(label))
        ax.legend(title=label_by, fontsize=8)
    else:
        ax.plot(front[x], front[y], "o-", ms=4)
    ax.set_xlabel(OBJECTIVES[objectives[0]][2])
    ax.set_ylabel(OBJECTIVES[objectives[1]][2])
    ax.set_title("Pareto front")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig
