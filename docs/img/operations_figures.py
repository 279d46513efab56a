"""Figure of docs/operations.md: the bundled plant log normalised (daily medians, triggers,
the detected cleaning) and the fouling and salt-permeability factors fitted with the engine. Run: ``PYTHONPATH=src python docs/img/operations_figures.py``."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from osmolab.operations import fit_membrane_state, normalize_log  # noqa: E402
from osmolab.report.operations import trend_figure  # noqa: E402
from osmolab.ro.design import bundled_example  # noqa: E402

HERE = Path(__file__).resolve().parent

result = normalize_log("example")
fouling = fit_membrane_state(result, bundled_example("seawater_px"))
figure = trend_figure(result.daily, result.to_dict(), fouling)
figure.savefig(HERE / "operations-normalized.png", dpi=90)
