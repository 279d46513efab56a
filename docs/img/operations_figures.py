"""Figure of docs/operations.md: the bundled plant log normalised (daily medians, triggers,
the detected cleaning). Run: ``PYTHONPATH=src python docs/img/operations_figures.py``."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from osmolab.operations import normalize_log  # noqa: E402
from osmolab.report.operations import trend_figure  # noqa: E402

HERE = Path(__file__).resolve().parent

result = normalize_log("example")
figure = trend_figure(result.daily, result.to_dict())
figure.savefig(HERE / "operations-normalized.png", dpi=90)
