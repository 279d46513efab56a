"""Write the tables of docs/water-chemistry.md: the constants (from data/minerals.csv) and the
PHREEQC validation (osmolab.thermo.referee.compare_with_phreeqc, the data
tests/test_scaling_phreeqc.py asserts).

    .venv/bin/python docs/make_water_validation.py

Replaces the text between the ``<!-- name:start -->`` and ``<!-- name:end -->`` markers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from osmolab.data import load_csv
from osmolab.thermo.referee import compare_with_phreeqc
from osmolab.thermo.scaling import MINERALS

PAGE = Path(__file__).resolve().parent / "water-chemistry.md"
SHORT = {"calcite": "calcite", "gypsum": "gypsum", "barite": "barite",
         "celestite": "celestite", "fluorite": "fluorite", "amorphous_silica": "SiO2(a)",
         "hydroxyapatite": "HAP"}  # fmt: skip


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def constants():
    rows = []
    for r in load_csv("minerals.csv").itertuples(index=False):
        analytic = [getattr(r, f"a{k}") for k in range(1, 7)]
        form = ("analytic " + ", ".join(f"{a:g}" for a in analytic if not np.isnan(a))
                if not all(np.isnan(a) for a in analytic)
                else f"van't Hoff, dH = {r.delta_h_kJ:g} kJ/mol")
        rows.append((r.mineral, r.formula, r.model, f"{r.log_k:g}", form,
                     f"{r.tmin_C:g}-{r.tmax_C:g}", r.source))
    return table(["mineral", "formula", "model", "log K 25 degC", "temperature function",
                  "range degC", "source"], rows)


def validation():
    c = compare_with_phreeqc()
    rows = []
    for i, name in enumerate(c["name"]):
        cells = [name, c["model"][i].replace("_", " "), f"{c['temperature_C'][i]:.0f}",
                 f"{c['ph'][i]:.2f}", f"{c['ionic_strength'][i]:.4f}"]
        for m in MINERALS:
            ours, theirs = c["si"][m][i], c["phreeqc_si"][m][i]
            cells.append("-" if not np.isfinite(theirs) or not np.isfinite(ours)
                         else f"{ours:.2f} ({ours - theirs:+.3f})")
        rows.append(cells)
    worst = ["**max abs(dSI)**", "", "", "", ""]
    for m in MINERALS:
        d = np.abs(c["si"][m] - c["phreeqc_si"][m])
        worst.append(f"**{np.nanmax(d):.3f}**")
    rows.append(worst)
    header = ["water", "model", "T degC", "pH", "I mol/kg"] + [SHORT[m] for m in MINERALS]
    return table(header, rows)


def replace(text, name, body):
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{body}\n{end}{tail}"


def main():
    text = PAGE.read_text(encoding="utf-8")
    text = replace(text, "constants", constants())
    text = replace(text, "validation", validation())
    PAGE.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
