"""Write the validation tables of docs/pitzer.md from osmolab.thermo.validation (the data
tests/test_pitzer.py asserts).

    .venv/bin/python docs/make_pitzer_validation.py

Replaces the text between the ``<!-- validation:start -->`` and ``<!-- validation:end -->``
markers of docs/pitzer.md. The PHREEQC table needs phreeqpython; without it the table says so.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from osmolab.thermo import pitzer
from osmolab.thermo import validation as cases

ROOT = Path(__file__).resolve().parents[1]

START, END = "<!-- validation:start -->", "<!-- validation:end -->"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def robinson_stokes():
    rows = []
    for name, molality, published in [*cases.ROBINSON_STOKES_25C, ("Na2SO4", 0.1, 0.793)]:
        phi = float(pitzer.osmotic_coefficient(cases.salt_molalities(name, molality), 298.15))
        rows.append((name, f"{molality:g}", f"{published:.3f}", f"{phi:.4f}",
                     f"{100 * (phi / published - 1):+.2f}"))  # fmt: skip
    return table(["salt", "m [mol/kg]", "R&S 1959", "osmolab", "dev. %"], rows)


def freezing_points():
    rows = []
    for name, molality, depression in cases.FREEZING_POINTS:
        published = float(cases.freezing_point_osmotic_coefficient(molality, depression, 2))
        phi = float(
            pitzer.osmotic_coefficient(cases.salt_molalities(name, molality), 273.15 - depression)
        )
        rows.append((name, f"{molality:g}", f"{-depression:.2f}", f"{published:.4f}",
                     f"{phi:.4f}", f"{100 * (phi / published - 1):+.2f}"))  # fmt: skip
    return table(
        ["salt", "m [mol/kg]", "T [degC]", "CRC (freezing pt.)", "osmolab", "dev. %"], rows
    )


def neutrals():
    data = cases.neutral_freezing_points()
    rows = []
    for solute in ("sucrose", "glucose", "glycerol", "urea", "ethanol"):
        m, theta, phi_data, _, coefficients = cases.fit_neutral_solute(solute, data)
        phi = pitzer.osmotic_coefficient({solute: m}, 273.15 - theta)
        big = m >= 0.3
        deviation = phi[big] / phi_data[big] - 1
        names = ("lambda", "mu", "nu")
        text = ", ".join(f"{n} {c:.4g}" for n, c in zip(names, coefficients, strict=False))
        one = float(pitzer.osmotic_coefficient({solute: 1.0}, 298.15))
        rows.append((solute, f"{m.min():.2f}-{m.max():.2f}", text,
                     f"{100 * np.sqrt(np.mean(deviation**2)):.2f}",
                     f"{100 * np.max(np.abs(deviation)):.2f}", f"{one:.4f}"))  # fmt: skip
    return table(["solute", "m range", "parameters", "rms dev. % (m >= 0.3)", "max dev. % (m >= 0.3)", "phi(1 m, 25 C)"],
                 rows)  # fmt: skip


def label(composition):
    return " ".join(f"{ion} {m:.3g}" for ion, m in composition.items() if m >= 1e-3)


def phreeqc():
    try:
        import phreeqpython  # noqa: F401
    except ImportError:
        return "(phreeqpython not installed: run with it installed to fill this table)"
    referee = cases.phreeqc_referee_cases()
    _, phi_phreeqc = cases.phreeqc_osmotic_coefficients(referee)
    rows = []
    for (composition, temperature), reference in zip(referee, phi_phreeqc, strict=True):
        phi = float(pitzer.osmotic_coefficient(composition, temperature))
        rows.append((label(composition), f"{temperature - 273.15:.0f}", f"{reference:.5f}",
                     f"{phi:.5f}", f"{100 * (phi / reference - 1):+.3f}"))  # fmt: skip
    return table(["composition [mol/kg]", "T [degC]", "PHREEQC", "osmolab", "dev. %"], rows)


def main():
    text = "\n\n".join(
        [
            "#### Osmotic coefficient at 25 degC vs Robinson & Stokes (1959), Appendix 8.10",
            robinson_stokes(),
            "#### Temperature: osmotic coefficient at the freezing point (CRC Handbook)",
            freezing_points(),
            "#### Neutral solutes: fit to the CRC freezing points (docs/fit_pitzer_neutral.py)",
            neutrals(),
            "#### PHREEQC 3 with pitzer.dat (phreeqpython), one batched run",
            phreeqc(),
        ]
    )
    page = ROOT / "docs" / "pitzer.md"
    content = page.read_text(encoding="utf-8")
    head, rest = content.split(START, 1)
    _, tail = rest.split(END, 1)
    page.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")
    print(f"wrote the validation tables into {page}")


if __name__ == "__main__":
    main()
