"""PHREEQC as the referee of the speciation and saturation indices (optional phreeqpython).

:func:`phreeqc_saturation_indices` runs PHREEQC (through phreeqpython, the ``test`` extra) on
waters given as in :func:`osmolab.thermo.scaling.referee_waters`, all in one PHREEQC run with a
SELECTED_OUTPUT block, with phreeqc.dat for the waters osmolab speciates with the Davies
ion-association model and pitzer.dat for the saline ones. :func:`compare_with_phreeqc` lines up
both answers; the tests, the docs' validation table and the benchmark all call it.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from .scaling import MINERALS, referee_waters, scaling_indices
from .speciation import speciate

__all__ = ["PHREEQC_NAMES", "compare_with_phreeqc", "phreeqc_saturation_indices"]

#: PHREEQC phase names of the minerals.
PHREEQC_NAMES = {
    "calcite": "Calcite",
    "gypsum": "Gypsum",
    "barite": "Barite",
    "celestite": "Celestite",
    "fluorite": "Fluorite",
    "amorphous_silica": "SiO2(a)",
    "hydroxyapatite": "Hydroxyapatite",
}
#: Minerals and elements pitzer.dat lacks (no F or P there): left out of its runs.
PITZER_MISSING_MINERALS = ("fluorite", "hydroxyapatite")
PITZER_MISSING_ELEMENTS = ("F", "P", "NO3")
_PHREEQC_ELEMENTS = {
    "Ca": "Ca", "Mg": "Mg", "Na": "Na", "K": "K", "Sr": "Sr", "Ba": "Ba", "Cl": "Cl",
    "SO4": "S(6)", "F": "F", "NO3": "N(5)", "Br": "Br", "B": "B", "Si": "Si", "P": "P",
}


def _phreeqc_input(waters, rows, minerals, skip):
    lines = [
        "SELECTED_OUTPUT",
        " -reset false",
        " -ionic_strength true",
        " -si " + " ".join(PHREEQC_NAMES[m] for m in minerals),
    ]
    for number, i in enumerate(rows, start=1):
        lines += [
            f"SOLUTION {number}",
            " units mmol/kgw",
            f" temp {waters['temperature'][i] - 273.15:.6f}",
            f" pH {waters['ph'][i]:.6f}",
            f" Alkalinity {waters['alkalinity'][i] * 1e3:.10g}",
        ]
        for column, element in _PHREEQC_ELEMENTS.items():
            value = waters["elements"][column][i]
            if value > 0 and column not in skip:
                lines.append(f" {element} {value:.10g}")
    return "\n".join(lines) + "\nEND\n"


def phreeqc_saturation_indices(waters, rows, database, minerals=MINERALS):
    """Saturation indices and ionic strength from PHREEQC for some of the waters.

    Parameters
    ----------
    waters : dict
        As returned by :func:`osmolab.thermo.scaling.referee_waters` (``elements`` in mmol/kg).
    rows : sequence of int
        The waters to run.
    database : {"phreeqc.dat", "pitzer.dat"}
        The PHREEQC database shipped with phreeqpython.
    minerals : sequence of str
        Names from :data:`osmolab.thermo.scaling.MINERALS`.

    Returns
    -------
    dict
        ``ionic_strength`` [mol/kg] and the SI [-] of each mineral, arrays over ``rows``.
    """
    import phreeqpython  # lazy: optional referee (test extra), never needed at run time

    skip = PITZER_MISSING_ELEMENTS if database == "pitzer.dat" else ()
    session = phreeqpython.PhreeqPython(database=database)
    session.ip.run_string(_phreeqc_input(waters, list(rows), minerals, skip))
    table = session.ip.get_selected_output_array()
    if len(table) != len(rows) + 1:
        raise InputError(f"PHREEQC ({database}) returned {len(table) - 1} of {len(rows)} waters")
    values = np.array(table[1:], dtype=float).reshape(len(rows), len(minerals) + 1)
    out = {"ionic_strength": values[:, 0]}
    for k, mineral in enumerate(minerals):
        out[mineral] = values[:, 1 + k]
    return out


def compare_with_phreeqc(waters=None):
    """osmolab and PHREEQC side by side on the referee waters.

    Each water is speciated by osmolab with ``model="auto"`` and by PHREEQC with the matching
    database (phreeqc.dat for the ion-association waters, pitzer.dat for the Pitzer ones; the
    pitzer.dat runs leave out F, P and NO3, which it lacks, on both sides).

    Returns
    -------
    dict
        ``name``, ``kind``, ``model`` (lists), ``temperature_C``, ``ionic_strength``
        (osmolab) and ``phreeqc_ionic_strength``, and ``si`` / ``phreeqc_si``: dicts of mineral
        to arrays (NaN where PHREEQC has no value).
    """
    waters = referee_waters() if waters is None else waters
    ours = speciate(waters["totals"], waters["ph"], waters["temperature"],
                    alkalinity=waters["alkalinity"])
    pitzer_rows = np.flatnonzero(ours.model == "pitzer")
    if pitzer_rows.size:  # speciate the Pitzer waters again without what pitzer.dat lacks
        totals = {k: v.copy() for k, v in waters["totals"].items()}
        for name in ("F-", "P", "NO3-"):
            totals[name][pitzer_rows] = 0.0
        ours = speciate(totals, waters["ph"], waters["temperature"],
                        alkalinity=waters["alkalinity"])
    indices = scaling_indices(ours)
    n = len(waters["name"])
    phreeqc_si = {m: np.full(n, np.nan) for m in MINERALS}
    phreeqc_ionic = np.full(n, np.nan)
    for database, model in (("phreeqc.dat", "ion_association"), ("pitzer.dat", "pitzer")):
        rows = np.flatnonzero(ours.model == model)
        if rows.size == 0:
            continue
        minerals = [m for m in MINERALS
                    if database == "phreeqc.dat" or m not in PITZER_MISSING_MINERALS]
        result = phreeqc_saturation_indices(waters, rows, database, minerals)
        phreeqc_ionic[rows] = result["ionic_strength"]
        for m in minerals:
            phreeqc_si[m][rows] = result[m]
    return {
        "name": waters["name"],
        "kind": waters["kind"],
        "model": [str(m) for m in ours.model],
        "temperature_C": waters["temperature"] - 273.15,
        "ph": waters["ph"],
        "ionic_strength": ours.ionic_strength,
        "phreeqc_ionic_strength": phreeqc_ionic,
        "si": indices["saturation_index"],
        "phreeqc_si": phreeqc_si,
    }
