"""Design-guideline checks of an RO projection (the warnings of WAVE, ROSA and IMSDesign).

The limits live in ``osmolab/data/design_guidelines.csv`` (one row per feed-water source, with
its source cited); the maximum pressure of each element model comes from its datasheet row in
``ro_elements.csv``. :func:`check_design` compares a projection with them and returns one warning
string per violation, naming the pass, stage and element, the value and the limit.

References
----------
.. [1] DuPont Water Solutions, Membrane System Design Guidelines for 8-inch FilmTec Elements,
   Form No. 45-D01695-en.
.. [2] DuPont Water Solutions, FilmTec Reverse Osmosis Membranes Technical Manual,
   Form No. 45-D01504-en.
.. [3] Hydranautics (Nitto), RO system design, Technical Service Bulletin 106 (beta <= 1.2).

Examples
--------
>>> limits = guideline("seawater_uf")
>>> limits["max_element_flux_LMH"], limits["max_feed_m3_h"]
(36.0, 16.0)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

from ..data import load_csv
from ..errors import InputError, suggest

#: Short names accepted for ``water_source`` in design files, mapped to a row of the table.
WATER_SOURCE_ALIASES = {
    "seawater": "seawater_conventional",
    "seawater_well": "seawater_uf",
    "seawater_beach_well": "seawater_uf",
    "seawater_uf_pretreatment": "seawater_uf",
    "open_intake": "seawater_open_intake",
    "permeate": "ro_permeate",
    "second_pass": "ro_permeate",
    "brackish": "well_water",
    "well": "well_water",
    "brackish_well": "well_water",
    "groundwater": "well_water",
    "surface": "surface_conventional",
    "surface_water": "surface_conventional",
    "surface_uf": "surface_mf_uf",
    "surface_mf": "surface_mf_uf",
    "wastewater": "wastewater_conventional",
    "wastewater_uf": "wastewater_mf_uf",
    "wastewater_mf": "wastewater_mf_uf",
}

_LIMIT_COLUMNS = (
    "max_element_recovery",
    "avg_flux_min_LMH",
    "avg_flux_max_LMH",
    "max_element_flux_LMH",
    "min_concentrate_m3_h",
    "max_feed_m3_h",
    "max_dp_element_bar",
    "max_dp_vessel_bar",
    "max_beta",
    "sdi_max",
)


@functools.cache
def guideline_table():
    """The design-guideline table as a DataFrame indexed by ``water_source`` (cached, read-only)."""
    return load_csv("design_guidelines.csv").set_index("water_source", drop=False)


def water_sources() -> list[str]:
    """Names accepted as ``water_source`` (table rows and their aliases)."""
    return sorted(set(guideline_table().index) | set(WATER_SOURCE_ALIASES))


def resolve_water_source(name: str) -> str:
    """Map a user's water-source name (any case, spaces or hyphens) to a table row.

    Raises
    ------
    InputError
        For an unknown name, with the nearest valid names.

    Examples
    --------
    >>> resolve_water_source("Seawater UF")
    'seawater_uf'
    """
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"water_source must be a name such as 'seawater_uf', got {name!r}")
    key = "_".join(name.strip().lower().replace("-", " ").replace("/", " ").split())
    table = guideline_table()
    if key in table.index:
        return key
    if key in WATER_SOURCE_ALIASES:
        return WATER_SOURCE_ALIASES[key]
    raise InputError(
        f"unknown water_source {name!r}.{suggest(key, water_sources())} "
        f"Valid: {', '.join(sorted(table.index))}"
    )


def guideline(water_source: str) -> dict:
    """Design limits for ``water_source`` as a dict (floats; ``None`` where no limit).

    Parameters
    ----------
    water_source : str
        A row of ``design_guidelines.csv`` (``seawater_uf``, ``well_water`` ...) or an alias
        (``seawater``, ``brackish``, ``wastewater`` ...).

    Returns
    -------
    dict
        ``label``, ``type``, ``source`` and the limits ``max_element_recovery`` [-],
        ``avg_flux_min_LMH``, ``avg_flux_max_LMH``, ``max_element_flux_LMH`` [L/(m^2 h)],
        ``min_concentrate_m3_h``, ``max_feed_m3_h`` [m^3/h per vessel], ``max_dp_element_bar``,
        ``max_dp_vessel_bar`` [bar], ``max_beta`` [-].
    """
    return dict(_guideline(resolve_water_source(water_source)))


@functools.cache
def _guideline(key: str) -> dict:
    """Row ``key`` of the guideline table as a dict (cached)."""
    row = guideline_table().loc[key]
    out = {
        "water_source": key,
        "label": str(row["label"]),
        "type": str(row["type"]),
        "source": str(row["source"]),
    }
    for column in _LIMIT_COLUMNS:
        value = row[column]
        out[column] = None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
    return out


# --------------------------------------------------------------------------------------------
# checking a projection


def _get(record: Mapping, *names, default=None):
    """First present, finite value among ``names`` in ``record``."""
    for name in names:
        if name in record and record[name] is not None:
            value = record[name]
            try:
                if isinstance(value, float) and math.isnan(value):
                    continue
            except TypeError:  # pragma: no cover
                pass
            return value
    return default


def _as_dict(result) -> dict:
    if isinstance(result, Mapping):
        return dict(result)
    if hasattr(result, "to_dict"):
        return result.to_dict()
    raise InputError(f"cannot check a {type(result).__name__}: expected a projection result or dict")


def _where(record: Mapping, n_passes: int, element: bool = True) -> str:
    stage = int(_get(record, "stage", default=1))
    text = f"stage {stage}"
    pass_no = int(_get(record, "pass", "pass_number", "pass_index", default=1))
    if n_passes > 1:
        text = f"pass {pass_no} {text}"
    if element:
        position = _get(record, "position", "element", "element_index")
        if isinstance(position, (int, float)):
            text += f" element {int(position)}"
    return text


def _fmt(value: float, unit: str) -> str:
    if unit == "%":
        return f"{100 * value:.3g} %"
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return f"{text} {unit}".rstrip()


def _max_pressures(elements_table) -> dict:
    """Element name (lower case) -> datasheet maximum pressure [bar]."""
    key = id(elements_table)
    cached = _MAX_PRESSURE_CACHE.get(key)
    if cached is not None and cached[0] is elements_table:
        return cached[1]
    try:
        names = [str(n).lower() for n in elements_table["name"]]
        values = [float(v) for v in elements_table["max_pressure_bar"]]
    except (KeyError, TypeError, ValueError):
        names, values = [], []
    table = {n: v for n, v in zip(names, values, strict=True) if not math.isnan(v)}
    _MAX_PRESSURE_CACHE[key] = (elements_table, table)
    return table


_MAX_PRESSURE_CACHE: dict = {}


def _element_max_pressure(model, elements_table) -> float | None:
    if model is None or elements_table is None:
        return None
    return _max_pressures(elements_table).get(str(model).lower())


def check_design(result, water_source: str = "seawater_uf", elements=None, second_pass_source="ro_permeate"):
    """Compare a projection with the design guidelines of its feed water.

    Parameters
    ----------
    result : projection result or dict
        Anything with ``to_dict()`` giving the JSON keys of a projection (``elements``: list of
        per-element records with ``stage``, ``position``, ``flux_LMH``, ``recovery``, ``beta``,
        ``feed_flow_m3_h`` and ``concentrate_flow_m3_h`` per vessel, ``pressure_drop_bar``,
        ``feed_pressure_bar``, ``model``; ``stages``: per-stage records with ``vessels``,
        ``feed_flow_m3_h`` and ``pressure_drop_bar``), or that dict itself.
    water_source : str
        Feed-water source of the first pass (a row of ``design_guidelines.csv`` or an alias).
    elements : pandas.DataFrame, optional
        Element datasheet table (default ``ro_elements.csv``) for the maximum pressure of each model.
    second_pass_source : str
        Guideline row used for the second and later passes (their feed is RO permeate).

    Returns
    -------
    list of str
        One line per violated limit, e.g.
        ``"stage 1 element 1: flux 38.2 LMH above 36 LMH (DuPont seawater, UF ... )"``.

    Examples
    --------
    >>> fake = {"elements": [{"stage": 1, "position": 1, "flux_LMH": 38.2, "recovery": 0.12,
    ...                       "beta": 1.1}], "stages": []}
    >>> check_design(fake, "seawater_uf")[0][:45]
    'stage 1 element 1: flux 38.2 LMH above 36 LMH'
    """
    data = _as_dict(result)
    if elements is None:
            elements = load_csv("ro_elements.csv")
    first = guideline(water_source)
    later = guideline(second_pass_source)
    element_records = list(data.get("elements") or [])
    stage_records = list(data.get("stages") or [])
    passes = {int(_get(r, "pass", "pass_number", "pass_index", default=1)) for r in element_records + stage_records}
    n_passes = max(passes) if passes else 1
    warnings: list[str] = []

    def limits_for(record):
        return first if int(_get(record, "pass", "pass_number", "pass_index", default=1)) <= 1 else later

    def warn(where, what, value, relation, limit, unit, lim):
        warnings.append(f"{where}: {what} {_fmt(value, unit)} {relation} {_fmt(limit, unit)} ({lim['label']})")

    # per element ----------------------------------------------------------------------------
    vessel_dp: dict[tuple, float] = {}
    for record in element_records:
        lim = limits_for(record)
        where = _where(record, n_passes)
        flux = _get(record, "flux_LMH", "average_flux_LMH")
        if flux is not None and lim["max_element_flux_LMH"] is not None and flux > lim["max_element_flux_LMH"]:
            warn(where, "flux", flux, "above", lim["max_element_flux_LMH"], "LMH", lim)
        recovery = _get(record, "recovery")
        if recovery is not None and lim["max_element_recovery"] is not None and recovery > lim["max_element_recovery"]:
            warn(where, "recovery", recovery, "above", lim["max_element_recovery"], "%", lim)
        beta = _get(record, "beta")
        if beta is not None and lim["max_beta"] is not None and beta > lim["max_beta"]:
            warnings.append(f"{where}: beta {beta:.3f} above {lim['max_beta']:g} ({lim['label']})")
        dp = _get(record, "pressure_drop_bar")
        if dp is not None:
            if lim["max_dp_element_bar"] is not None and dp > lim["max_dp_element_bar"]:
                warn(where, "pressure drop", dp, "above", lim["max_dp_element_bar"], "bar", lim)
            key = (
                int(_get(record, "pass", "pass_number", "pass_index", default=1)),
                int(_get(record, "stage", default=1)),
            )
            vessel_dp[key] = vessel_dp.get(key, 0.0) + float(dp)
        pressure = _get(record, "feed_pressure_bar")
        max_pressure = _element_max_pressure(_get(record, "model", "element", "element_model", "element_name"), elements)
        if pressure is not None and max_pressure is not None and pressure > max_pressure:
            warnings.append(
                f"{where}: feed pressure {pressure:.1f} bar above the element maximum "
                f"{max_pressure:.1f} bar (datasheet of {_get(record, 'model', 'element', 'element_model', 'element_name')})"
            )

    # per stage (vessel feed and concentrate, vessel pressure drop) ----------------------------
    for record in stage_records:
        lim = limits_for(record)
        where = _where(record, n_passes, element=False)
        vessels = _get(record, "vessels", "n_vessels", default=None)
        feed = _get(record, "feed_flow_per_vessel_m3_h")
        if feed is None and vessels:
            total = _get(record, "feed_flow_m3_h")
            feed = None if total is None else total / vessels
        if feed is not None and lim["max_feed_m3_h"] is not None and feed > lim["max_feed_m3_h"]:
            warn(where, "feed flow per vessel", feed, "above", lim["max_feed_m3_h"], "m3/h", lim)
        conc = _get(record, "concentrate_flow_per_vessel_m3_h")
        if conc is None and vessels:
            total = _get(record, "concentrate_flow_m3_h")
            conc = None if total is None else total / vessels
        if conc is not None and lim["min_concentrate_m3_h"] is not None and conc < lim["min_concentrate_m3_h"]:
            warn(where, "concentrate flow per vessel", conc, "below", lim["min_concentrate_m3_h"], "m3/h", lim)
        dp = _get(record, "pressure_drop_bar")
        key = (int(_get(record, "pass", "pass_number", "pass_index", default=1)), int(_get(record, "stage", default=1)))
        if dp is None:
            dp = vessel_dp.pop(key, None)
        else:
            vessel_dp.pop(key, None)
        if dp is not None and lim["max_dp_vessel_bar"] is not None and dp > lim["max_dp_vessel_bar"]:
            warn(where, "vessel pressure drop", dp, "above", lim["max_dp_vessel_bar"], "bar", lim)

    # stages known only through their elements
    for (pass_no, stage), dp in vessel_dp.items():
        lim = first if pass_no <= 1 else later
        if lim["max_dp_vessel_bar"] is not None and dp > lim["max_dp_vessel_bar"]:
            where = _where({"stage": stage, "pass": pass_no}, n_passes, element=False)
            warn(where, "vessel pressure drop", dp, "above", lim["max_dp_vessel_bar"], "bar", lim)

    # average flux of each pass ----------------------------------------------------------------
    for pass_no, flux in _average_flux_by_pass(data, stage_records).items():
        lim = first if pass_no <= 1 else later
        low, high = lim["avg_flux_min_LMH"], lim["avg_flux_max_LMH"]
        where = f"pass {pass_no}" if n_passes > 1 else "system"
        if high is not None and flux > high:
            warnings.append(
                f"{where}: average flux {flux:.1f} LMH above the recommended {low:g}-{high:g} LMH ({lim['label']})"
            )
        elif low is not None and flux < low:
            warnings.append(
                f"{where}: average flux {flux:.1f} LMH below the recommended {low:g}-{high:g} LMH ({lim['label']})"
            )
    return warnings


def _average_flux_by_pass(data: Mapping, stage_records) -> dict[int, float]:
    """Average flux [LMH] of each pass from stage permeate flows and areas (or the totals)."""
    permeate: dict[int, float] = {}
    area: dict[int, float] = {}
    for record in stage_records:
        pass_no = int(_get(record, "pass", "pass_number", "pass_index", default=1))
        q = _get(record, "permeate_flow_m3_h")
        a = _get(record, "area_m2", "membrane_area_m2")
        flux = _get(record, "average_flux_LMH", "flux_LMH")
        if a is None and q is not None and flux:
            a = 1000.0 * float(q) / float(flux)
        if q is None or a is None:
            continue
        permeate[pass_no] = permeate.get(pass_no, 0.0) + float(q)
        area[pass_no] = area.get(pass_no, 0.0) + float(a)
    out = {p: 1000.0 * permeate[p] / area[p] for p in permeate if area[p] > 0}
    if not out:
        flux = _get(data, "average_flux_LMH")
        if flux is not None:
            out[1] = float(flux)
    return out
