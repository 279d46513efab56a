"""Library of commercial RO elements: datasheets, the calibration of A and B, and lookup.

The datasheet table ``data/ro_elements.csv`` gives, for each 8-inch element, its area, feed
spacer and the vendor's standard test (NaCl feed, pressure, temperature, recovery) with the
permeate flow and stabilised salt rejection. The water permeability A and the NaCl
permeability B are not published; :func:`calibrate_library` finds them so that the element,
simulated by the same engine (same segments, same polarisation and channel correlations) at
its own test conditions, reproduces both figures. It solves the 2-D root problem

.. math:: Q_p(A, B) = Q_p^{sheet},\\qquad 1 - R(A, B) = 1 - R^{sheet}

by Newton's method in :math:`(\\ln A, \\ln B)` with a finite-difference Jacobian, all elements
at once in one batched march per iteration (about 5 iterations to 1e-12). Where the sheet
gives a boron rejection (test feed with 5 mg/L B at the test pH: 8 for FilmTec, 6.75-7 for
Hydranautics and Toray), the B(OH)3 permeability is calibrated in the same loop, the test's
boron split at its pH between boric acid and borate (which passes like a monovalent anion).
See ``docs/ro-calibration.md``.

Calibration is an explicit, cached step: ``scripts/calibrate_elements.py`` runs
:func:`calibrate_library` for the settings in :data:`STORED_SETTINGS` and writes
``data/ro_elements_calibrated.csv``; a test recomputes it and checks the file is current.
Element lookups (:func:`resolve_element`) read that table through :func:`calibration`; only
settings not stored there (another segment count) are calibrated on first use, in memory.

Names: :func:`canonical_element_name` turns what a user writes (``"filmtec sw30xle-440i"``)
into the library name (``"SW30XLE-440i"``); :func:`resolve_element` turns a design entry (a
library name or a :class:`~osmolab.ro.config.MembraneSheet`) into the :class:`ElementModel`
the engine marches.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import data
from ..constants import T0
from ..errors import InputError, suggest
from ..thermo import seawater
from .config import MembraneSheet
from .feedwater import nacl_composition, property_table
from .solver import run_pass

#: Feed-spacer porosity assumed for library elements (Schock & Miquel 1987 report 0.89-0.9
#: for commercial spiral-wound spacers) [-]
SPACER_POROSITY = 0.89
#: Boron concentration of the vendors' boron test [mg B / L]
BORON_TEST_MG_L = 5.0
_M_BORON = 10.811e-3


#: Calibrated table shipped with the package (regenerate: ``scripts/calibrate_elements.py``)
CALIBRATED_TABLE = "ro_elements_calibrated.csv"
#: (segments per element, spacer correlation) pairs stored in :data:`CALIBRATED_TABLE`
STORED_SETTINGS = ((5, "Schock_Miquel"), (5, "Guillen_Hoek"))
#: Maker prefixes accepted in front of an element name (``"FilmTec SW30XLE-440i"``)
MAKER_PREFIXES = ("filmtec", "dupont", "dow", "hydranautics", "nitto", "toray")


def element_table():
    """The datasheet table as a DataFrame (one row per element; cached, do not mutate)."""
    return data.load_csv("ro_elements.csv")


def element_names() -> list[str]:
    """Names of the library elements (``data/ro_elements.csv``)."""
    return list(element_table()["name"])


def canonical_element_name(name: str) -> str:
    """Library name of an element as a user may write it (any case, a maker's prefix allowed).

    Raises
    ------
    InputError
        For an unknown name, with the nearest library names.

    Examples
    --------
    >>> canonical_element_name("filmtec sw30xle-440i")
    'SW30XLE-440i'
    """
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"element must be a library name such as 'SW30XLE-440i', got {name!r}")
    return _canonical_name(name)


@functools.lru_cache(maxsize=512)
def _canonical_name(name: str) -> str:
    names = element_names()
    lowered = {n.lower(): n for n in names}
    text = name.strip().lower()
    for prefix in MAKER_PREFIXES:
        if text.startswith(prefix + " "):
            text = text[len(prefix) + 1:].strip()
    text = text.replace(" ", "")
    if text in lowered:
        return lowered[text]
    hint = suggest(name.strip(), names)
    raise InputError(f"unknown element {name!r}.{hint} Run 'osmolab elements' for the library.")


def datasheet(name: str) -> dict:
    """Datasheet row of element ``name`` as a dict (InputError with a suggestion if unknown).

    Examples
    --------
    >>> datasheet("SW30XLE-440i")["permeate_flow_m3_d"]
    37.5
    """
    table = element_table()
    hit = table[table["name"].str.lower() == str(name).lower()]
    if hit.empty:
        raise InputError(f"unknown RO element {name!r}; see `osmolab elements`."
                         + suggest(str(name), list(table["name"])))
    return hit.iloc[0].to_dict()


@functools.cache
def relative_permeability_table(kind: str = "seawater") -> dict:
    """``{species: B_i / B_NaCl}`` from ``data/ro_solute_passage.csv``.

    ``kind`` ``"brackish"`` reads the column ``relative_B_brackish`` where it has a value (the
    low-pressure brackish elements; see that file), every other kind the column
    ``relative_B``.

    Examples
    --------
    >>> relative_permeability_table()["Ca+2"], relative_permeability_table("brackish")["Ca+2"]
    (0.22, 0.4)
    """
    table = data.load_csv("ro_solute_passage.csv")
    values = table["relative_B"].astype(float)
    if kind == "brackish" and "relative_B_brackish" in table:
        brackish = pd.to_numeric(table["relative_B_brackish"], errors="coerce")
        values = brackish.where(brackish.notna(), values)
    return dict(zip(table["species"], values.astype(float), strict=True))


@dataclass(frozen=True)
class ElementModel:
    """A resolved element: transport parameters at 25 degC and channel geometry (SI)."""

    name: str
    water_permeability: float
    salt_permeability: float
    area: float
    length: float
    channel_width: float
    channel_height: float
    spacer_porosity: float
    max_pressure: float
    pressure_drop: float = -1.0
    relative_permeability: dict = field(default_factory=dict)
    solute_permeability: dict = field(default_factory=dict)
    max_feed_flow: float = float("inf")
    kind: str = "custom"

    def relative_permeabilities(self, species) -> np.ndarray:
        """B_i / B_salt for each of ``species`` [-]."""
        table = relative_permeability_table("brackish" if self.kind == "brackish" else "seawater")
        out = []
        for s in species:
            if s in self.solute_permeability:
                out.append(self.solute_permeability[s] / self.salt_permeability)
            elif s in self.relative_permeability:
                out.append(self.relative_permeability[s])
            else:
                out.append(table.get(s, 1.0))
        return np.array(out, dtype=float)


def _geometry(row) -> dict:
    length = float(row.get("length_m", 1.016) or 1.016)
    area = float(row["area_m2"])
    return {"area": area, "length": length, "channel_width": area / length / 2.0,
            "channel_height": float(row["feed_spacer_mil"]) * 25.4e-6,
            "spacer_porosity": SPACER_POROSITY}


def _test_conditions(rows):
    """Batch arrays of the vendors' test for the datasheet rows."""
    temp = np.array([T0 + float(r.get("test_temperature_C", 25.0)) for r in rows])
    conc = np.array([float(r["test_feed_nacl_mg_L"]) / 1e3 for r in rows])  # kg/m^3
    salinity = conc / 1000.0
    for _ in range(20):  # mass fraction from mass concentration: S = c / rho(S, T)
        salinity = conc / seawater.density(salinity, temp)
    rho = seawater.density(salinity, temp)
    m_nacl = salinity / ((1.0 - salinity) * 0.05844277)
    water_per_m3 = rho * (1.0 - salinity)
    boron = np.array([np.isfinite(float(r.get("boron_rejection_pct") or np.nan)) for r in rows])
    m_boron = np.where(boron, BORON_TEST_MG_L / 1e3 / _M_BORON / water_per_m3, 1e-12)
    # the test's boron at its pH: borate (B(OH)4-) beside boric acid, e.g. 11 % at pH 8 in
    # 32 g/L NaCl (pKa about 8.9 at that salinity), 1-2 % at the pH 6.75-7 of other vendors
    from .chemistry import borate_fraction  # lazy: speciation only for the boron test

    test_ph = np.array([float(r.get("test_pH") or 8.0) for r in rows])
    borate = borate_fraction(test_ph, temp, m_nacl)
    perm = np.array([float(r["permeate_flow_m3_d"]) for r in rows]) / 86400.0
    recovery = np.array([float(r["test_recovery"]) for r in rows])
    feed_volume = perm / recovery
    water = feed_volume * water_per_m3
    return {"temperature": temp, "conc": conc, "m_nacl": m_nacl, "m_boron": m_boron,
            "borate": borate, "water": water, "boron": boron, "permeate": perm,
            "pressure": np.array([float(r["test_pressure_bar"]) for r in rows]) * 1e5,
            "passage": 1.0 - np.array([float(r["rejection_stabilized_pct"]) for r in rows]) / 100,
            "boron_passage": 1.0 - np.array([float(r.get("boron_rejection_pct") or 0.0)
                                             for r in rows]) / 100.0}


def _simulate_test(rows, test, a_perm, b_salt, b_boron, n_segments, correlation):
    """Single element at its test conditions; returns permeate flow, NaCl and B passage.

    The test's boron is split at the test pH (``test["borate"]``): boric acid with the
    permeability ``b_boron`` being calibrated, borate (with its Na+) with the table's
    B(OH)4-/NaCl ratio, so the datasheet's total boron rejection calibrates boric acid alone.
    """
    comp = nacl_composition(0.03)
    geo = [_geometry(r) for r in rows]
    n = len(rows)
    reps = a_perm.shape[0] // n
    tile = lambda x: np.tile(np.asarray(x, float), reps)  # noqa: E731
    mm = np.array([0.02298977, 0.035453, 0.061833, 0.078840])
    table = property_table(comp, test["temperature"])
    b4 = test["m_boron"] * test["borate"]
    solutes = np.stack([test["m_nacl"] + b4, test["m_nacl"], test["m_boron"] - b4, b4], axis=1)
    water = tile(test["water"])
    ones = np.ones(a_perm.shape[0])
    brel = np.stack([ones, ones, b_boron / b_salt,
                     ones * relative_permeability_table().get("B(OH)4-", 0.3)],
                    axis=1)[:, None, :]
    out = run_pass(
        water_flow=water, solute_flow=np.tile(solutes, (reps, 1)) * water[:, None],
        temperature=tile(test["temperature"]), table=table,
        water_permeability=a_perm[:, None], salt_permeability=b_salt[:, None],
        relative_permeability=brel, molar_mass=mm, charge=np.array([1.0, -1.0, 0.0, -1.0]),
        area=tile([g["area"] for g in geo])[:, None],
        length=tile([g["length"] for g in geo])[:, None],
        width=tile([g["channel_width"] for g in geo])[:, None],
        channel_height=tile([g["channel_height"] for g in geo])[:, None],
        spacer_porosity=SPACER_POROSITY, pressure_drop=-1.0, element_stage=[0],
        vessels=1.0, booster_pressure=0.0, permeate_pressure=0.0, n_segments=n_segments,
        correlation=correlation, feed_pressure=tile(test["pressure"]))
    perm_volume = out["case"][:, 1]
    sol = out["element_solutes"][:, 0, :]
    cp_nacl = (sol[:, 0] * mm[0] + sol[:, 1] * mm[1]) / perm_volume
    passage = cp_nacl / tile(test["conc"])
    feed_b = tile(test["m_boron"]) * water / out["case"][:, 0]
    b_passage = (sol[:, 2] + sol[:, 3]) / perm_volume / feed_b
    return perm_volume, passage, b_passage


@functools.cache
def _calibrate(n_segments: int, correlation: str):
    table = element_table()
    rows = [r for _, r in table.iterrows()]
    test = _test_conditions(rows)
    n = len(rows)
    area = np.array([float(r["area_m2"]) for r in rows])
    flux = test["permeate"] / area
    pi_f = seawater.osmotic_pressure(test["conc"] / 1000.0, test["temperature"], warn=False)
    x = np.log(np.stack([flux / np.maximum(test["pressure"] - 1.2 * pi_f, 0.2 * test["pressure"]),
                         flux * test["passage"] / (1.0 - test["passage"])], axis=1))
    b_boron = np.exp(x[:, 1]) * 20.0
    target = np.log(np.stack([test["permeate"], test["passage"]], axis=1))
    h = 1e-6
    for _ in range(40):
        a_all = np.exp(np.concatenate([x[:, 0], x[:, 0] + h, x[:, 0]]))
        b_all = np.exp(np.concatenate([x[:, 1], x[:, 1], x[:, 1] + h]))
        bb_all = np.tile(b_boron, 3)
        q, sp, bp = _simulate_test(rows, test, a_all, b_all, bb_all, n_segments, correlation)
        y = np.log(np.stack([q, sp], axis=1))
        base, da, db = y[:n], y[n:2 * n], y[2 * n:]
        resid = base - target
        jac = np.stack([(da - base) / h, (db - base) / h], axis=2)  # (n, 2 eq, 2 var)
        step = np.linalg.solve(jac, -resid[:, :, None])[:, :, 0]
        x = x + np.clip(step, -2.0, 2.0)
        pb = bp[:n]
        want = test["boron_passage"]
        ok = test["boron"] & (pb > 0) & (pb < 1)
        b_boron = np.where(ok, b_boron * (want / (1 - want)) / np.where(ok, pb / (1 - pb), 1.0),
                           b_boron)
        if np.max(np.abs(resid)) < 1e-12 and np.max(np.abs(step)) < 1e-10:
            break
    a_perm, b_salt = np.exp(x[:, 0]), np.exp(x[:, 1])
    boron_rel = np.where(test["boron"], b_boron / b_salt,
                         relative_permeability_table().get("B(OH)3", 20.0))
    return pd.DataFrame({"name": table["name"], "A": a_perm, "B": b_salt,
                         "boron_relative_B": boron_rel})


def calibrate_library(n_segments: int = 5, correlation: str = "Schock_Miquel"):
    """A and B (25 degC) of every library element, calibrated on its datasheet.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``A`` [m/(s Pa)], ``B`` [m/s], ``boron_relative_B`` [-].

    Examples
    --------
    >>> cal = calibrate_library()
    >>> row = cal[cal.name == "SW30XLE-440i"].iloc[0]
    >>> round(float(row.A) * 3.6e6 * 1e5, 2)  # LMH/bar
    1.47
    """
    return _calibrate(int(n_segments), str(correlation)).copy()


@functools.cache
def _stored_calibrations() -> dict:
    """``{(segments, correlation): DataFrame}`` read from :data:`CALIBRATED_TABLE`."""
    try:
        with data.path(CALIBRATED_TABLE).open("r", encoding="utf-8") as handle:
            table = pd.read_csv(handle, comment="#")
    except FileNotFoundError:  # pragma: no cover - the file ships with the package
        return {}
    out = {}
    for (segments, correlation), rows in table.groupby(["segments", "correlation"], sort=False):
        out[(int(segments), str(correlation))] = rows[["name", "A", "B", "boron_relative_B"]] \
            .reset_index(drop=True)
    return out


def calibration(n_segments: int = 5, correlation: str = "Schock_Miquel"):
    """Calibrated A and B of every library element for these engine settings.

    Read from the shipped table (:data:`CALIBRATED_TABLE`) for the settings in
    :data:`STORED_SETTINGS`; other settings are calibrated on first use with
    :func:`calibrate_library` (a few seconds) and kept in memory.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``A`` [m/(s Pa)], ``B`` [m/s], ``boron_relative_B`` [-] (cached; do
        not mutate).
    """
    stored = _stored_calibrations().get((int(n_segments), str(correlation)))
    if stored is not None and list(stored["name"]) == element_names():
        return stored
    return _calibrate(int(n_segments), str(correlation))


def calibrated_table_frame(settings=STORED_SETTINGS):
    """The calibrated table as written to :data:`CALIBRATED_TABLE` (recomputed, not read).

    One row per (segments, correlation, element) with A [m/(s Pa)], B [m/s] and the
    B(OH)3/NaCl permeability ratio, all at 25 degC; ``scripts/calibrate_elements.py`` writes it
    and ``tests/test_library.py`` checks the shipped file against it.
    """
    frames = []
    for n_segments, correlation in settings:
        cal = calibrate_library(n_segments, correlation)
        cal.insert(0, "correlation", correlation)
        cal.insert(0, "segments", int(n_segments))
        frames.append(cal)
    return pd.concat(frames, ignore_index=True)


def write_calibrated_table(path, settings=STORED_SETTINGS) -> None:
    """Recompute the calibration and write it as CSV to ``path`` (full float precision)."""
    frame = calibrated_table_frame(settings)
    header = ("# Calibrated A and B (25 degC) of the library elements (data/ro_elements.csv) for\n"
              "# each (segments, correlation); generated by scripts/calibrate_elements.py with\n"
              "# osmolab.ro.library.calibrate_library -- do not edit by hand.\n")
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(header)
        frame.to_csv(handle, index=False, float_format="%.17g")


def calibration_markdown(n_segments: int = 5, correlation: str = "Schock_Miquel") -> str:
    """The calibration of every library element as a Markdown table (``docs/ro-calibration.md``).

    Columns: element, datasheet permeate flow [m^3/d] and rejection [%], calibrated A
    [LMH/bar] and B [LMH] at 25 degC, and the B(OH)3/NaCl permeability ratio.

    Examples
    --------
    >>> calibration_markdown().splitlines()[0]
    '| Element | Sheet flow [m³/d] | Sheet rejection [%] | A [LMH/bar] | B [LMH] | B(OH)₃ / NaCl |'
    """
    cal = calibration(int(n_segments), str(correlation))
    table = element_table()
    lines = ["| Element | Sheet flow [m³/d] | Sheet rejection [%] | A [LMH/bar] | B [LMH] "
             "| B(OH)₃ / NaCl |", "|---|---|---|---|---|---|"]
    lmh = 3.6e6
    for (_, row), (_, c) in zip(table.iterrows(), cal.iterrows(), strict=True):
        lines.append(f"| {row['name']} | {float(row['permeate_flow_m3_d']):.1f} | "
                     f"{float(row['rejection_stabilized_pct']):.2f} | {c['A'] * lmh * 1e5:.2f} | "
                     f"{c['B'] * lmh:.3f} | {c['boron_relative_B']:.1f} |")
    return "\n".join(lines)


def resolve_element(entry, n_segments: int = 5, correlation: str = "Schock_Miquel"):
    """The :class:`ElementModel` of a design entry: a library name or a
    :class:`~osmolab.ro.config.MembraneSheet`.

    Library elements carry A and B calibrated for the same segments and correlation
    (:func:`calibration`) and take the per-ion passage ratios of their type; a sheet takes
    those of its :attr:`~osmolab.ro.config.MembraneSheet.element_kind`.

    Examples
    --------
    >>> model = resolve_element("FilmTec SW30XLE-440i")
    >>> model.name, round(model.area, 1)
    ('SW30XLE-440i', 41.0)
    """
    if isinstance(entry, ElementModel):
        return entry
    if isinstance(entry, MembraneSheet):
        width = entry.width or entry.area / entry.length / entry.sheets_per_channel
        return ElementModel(
            name=entry.name, water_permeability=entry.water_permeability,
            salt_permeability=entry.salt_permeability, area=entry.area, length=entry.length,
            channel_width=width, channel_height=entry.channel_height,
            spacer_porosity=entry.spacer_porosity, max_pressure=entry.max_pressure,
            pressure_drop=-1.0 if entry.pressure_drop is None else entry.pressure_drop,
            solute_permeability=dict(entry.solute_permeability or {}), kind=entry.element_kind)
    if not isinstance(entry, str):
        raise InputError(f"an element must be a library name or a MembraneSheet, got {entry!r}")
    return _library_element(canonical_element_name(entry), int(n_segments), str(correlation))


@functools.lru_cache(maxsize=256)
def _library_element(name: str, n_segments: int, correlation: str) -> ElementModel:
    row = datasheet(name)
    cal = calibration(n_segments, correlation)
    c = cal[cal["name"] == row["name"]].iloc[0]
    geo = _geometry(row)
    max_flow = float(row.get("max_feed_flow_m3_h") or np.inf) / 3600.0
    return ElementModel(
        name=row["name"], water_permeability=float(c["A"]), salt_permeability=float(c["B"]),
        max_pressure=float(row["max_pressure_bar"]) * 1e5,
        relative_permeability={"B(OH)3": float(c["boron_relative_B"])},
        max_feed_flow=max_flow, kind=str(row["type"]), **geo)
