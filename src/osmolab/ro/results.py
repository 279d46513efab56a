"""Results of an RO projection: arrays over the batch, dicts with unit-named keys, DataFrames.

:class:`ROResult` holds every quantity as an array whose first axis is the batch (length 1
for a single projection). ``result[i]`` is case ``i``; ``to_dict()`` gives the JSON view
(keys carry units: ``feed_pressure_bar``, ``flux_LMH``, ``permeate_tds_mg_L``...);
``elements_frame()``, ``stages_frame()`` and, for batches, ``summary_frame()`` give pandas
tables.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd

from ..constants import HOUR
from ..errors import InputError
from .chemistry import pass_element_streams, stream_chemistry, tds_molar_masses
from .feedwater import interpolate
from .march import (
    EL_AVERAGE_FLUX,
    EL_BETA,
    EL_CONCENTRATE_FLOW,
    EL_CONCENTRATE_SOLUTE_MASS,
    EL_CONCENTRATE_TOTAL_MOLALITY,
    EL_FEED_FLOW,
    EL_FEED_PRESSURE,
    EL_FEED_SOLUTE_MASS,
    EL_FEED_TOTAL_MOLALITY,
    EL_MAX_FLUX,
    EL_NDP,
    EL_OUTLET_FLUX,
    EL_PERMEATE_FLOW,
    EL_PRESSURE_DROP,
)

_BAR = 1e5


def _slice(obj, i, n):
    if isinstance(obj, np.ndarray):
        return obj[i:i + 1] if obj.ndim and obj.shape[0] == n else obj
    if isinstance(obj, dict):
        return {k: _slice(v, i, n) for k, v in obj.items()}
    if isinstance(obj, list) and len(obj) == n and all(isinstance(x, list) for x in obj):
        return [obj[i]]
    if isinstance(obj, list):
        return [_slice(v, i, n) for v in obj]
    return obj


def _finite(x):
    """A float for JSON; ``None`` (JSON null) when not finite, never a silent number."""
    x = float(x)
    return x if np.isfinite(x) else None


@dataclass
class ROResult:
    """Projection of an RO system (arrays over the batch; SI units).

    Main attributes: ``recovery`` [-], ``permeate_flow`` [m^3/s] (final-pass permeate),
    ``sec`` and ``min_sec`` [kWh/m^3], powers [W], ``feed_osmotic_pressure`` [Pa],
    ``passes`` (per-pass arrays, including the per-element kernel output), ``reasons``
    (per case: why a case is infeasible; empty when feasible) and ``warnings`` (per case,
    filled by the design guidelines). ``chemistry``: options of the water chemistry that
    ``to_dict()`` adds (:func:`osmolab.ro.chemistry.stream_chemistry`): ``{"antiscalant": bool,
    "limits": {mineral: limit}}`` (None: no antiscalant, default limits; ``{"skip": True}``
    leaves the chemistry out). ``dosing``: the chemical doses of a design file's
    ``chemistry:`` section (set by :func:`osmolab.ro.design.project`; None without one), which
    ``to_dict()`` gives as ``"chemistry"`` (:func:`dosing_json`). TDS values exclude dissolved
    CO2.
    """

    system: object
    species: tuple
    molar_mass: np.ndarray
    charge: np.ndarray
    passes: list
    temperature: np.ndarray
    feed_flow: np.ndarray
    ro_feed_flow: np.ndarray
    feed_molality: np.ndarray
    feed_osmotic_pressure: np.ndarray
    feed_tds: np.ndarray
    px_mixing_solutes: np.ndarray
    recovery: np.ndarray
    permeate_flow: np.ndarray
    blend_flow: np.ndarray
    high_pressure_pump_power: np.ndarray
    booster_power: np.ndarray
    interstage_power: np.ndarray
    second_pass_power: np.ndarray
    erd_recovered_power: np.ndarray
    total_power: np.ndarray
    sec: np.ndarray
    min_sec: np.ndarray
    min_sec_single_stage: np.ndarray
    reasons: list
    table: object = None
    is_batch: bool = False
    warnings: list = field(default_factory=list)
    chemistry: dict | None = None
    dosing: dict | None = None

    def __post_init__(self):
        if not self.warnings:
            self.warnings = [[] for _ in range(len(self))]

    # ---------------------------------------------------------------- batch access
    def __len__(self) -> int:
        return int(np.asarray(self.recovery).shape[0])

    def __getitem__(self, i: int) -> ROResult:
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"case {i} out of range for a batch of {n}")
        i = i % n
        kw = {f.name: _slice(getattr(self, f.name), i, n) for f in fields(self)
              if f.name not in ("system", "species", "table", "is_batch", "molar_mass",
                                "charge", "dosing")}
        return replace(self, is_batch=False, **kw)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    # ---------------------------------------------------------------- derived
    @property
    def feasible(self) -> np.ndarray:
        return np.array([not r for r in self.reasons])

    @property
    def feed_pressure(self) -> np.ndarray:
        """First-pass membrane feed pressure [Pa gauge]."""
        return self.passes[0]["feed_pressure"]

    @property
    def tds_molar_mass(self) -> np.ndarray:
        """Molar masses [kg/mol] that count in the TDS (dissolved CO2 excluded)."""
        return tds_molar_masses(self.species, self.molar_mass)

    def _tds(self, solutes, volume):
        return (solutes @ self.tds_molar_mass) / np.maximum(volume, 1e-300) * 1e3  # mg/L

    @property
    def permeate_tds(self) -> np.ndarray:
        """Final permeate TDS [mg/L]."""
        last = self.passes[-1]
        return self._tds(last["permeate_solutes"], last["permeate_volume"])

    @property
    def product_flow(self) -> np.ndarray:
        """Permeate plus blended feed [m^3/s]."""
        return self.permeate_flow + self.blend_flow

    @property
    def product_tds(self) -> np.ndarray:
        """TDS of permeate plus blend [mg/L]."""
        last = self.passes[-1]
        feed_mass = self.feed_molality @ self.tds_molar_mass  # kg solute per kg water
        rho_w = 997.0
        blend_solutes_mass = self.blend_flow * rho_w * feed_mass
        mass = last["permeate_solutes"] @ self.tds_molar_mass + blend_solutes_mass
        return mass / np.maximum(self.product_flow, 1e-300) * 1e3

    @property
    def concentrate_tds(self) -> np.ndarray:
        """First-pass concentrate TDS [mg/L]."""
        first = self.passes[0]
        return self._tds(first["concentrate_solutes"], first["concentrate_volume"])

    def _ions(self, solutes, volume, case):
        conc = solutes[case] * self.molar_mass / max(float(volume[case]), 1e-300) * 1e3
        return {s: _finite(c) for s, c in zip(self.species, conc, strict=True)}

    # ---------------------------------------------------------------- tables
    def elements_frame(self, case: int = 0):
        """Per-element table of case ``case`` (one row per position, values per vessel)."""
        return pd.DataFrame(self._element_dicts(case))

    def stages_frame(self, case: int = 0):
        """Per-stage table of case ``case`` (totals over the stage's vessels)."""
        return pd.DataFrame(self._stage_dicts(case))

    def summary_frame(self):
        """One row per case with the main results (for batches)."""
        keys = ("feed_pressure_bar", "recovery", "permeate_flow_m3_h", "permeate_tds_mg_L",
                "sec_kWh_m3", "min_sec_kWh_m3", "feasible", "reason")
        rows = []
        for i in range(len(self)):
            d = self.to_dict(case=i, detail=False)
            rows.append({k: d[k] for k in keys})
        return pd.DataFrame(rows)

    def _element_dicts(self, c):
        rows = []
        for k, p in enumerate(self.passes):
            setup = p["setup"]
            el = p["out"]["element"][c]
            sol = p["out"]["element_solutes"][c]
            pi_feed = self._osmotic(el[:, EL_FEED_TOTAL_MOLALITY], c)
            pi_conc = self._osmotic(el[:, EL_CONCENTRATE_TOTAL_MOLALITY], c)
            co2_feed, co2_conc = self._element_co2_mass(p, c)
            for e, model in enumerate(setup.models):
                feed_q, perm_q = el[e, EL_FEED_FLOW], el[e, EL_PERMEATE_FLOW]
                conc_q = el[e, EL_CONCENTRATE_FLOW]
                tds = float(sol[e] @ self.tds_molar_mass) / max(perm_q, 1e-300) * 1e3
                rows.append({
                    "pass": k + 1, "stage": int(setup.stage_of[e]) + 1,
                    "position": int(setup.position[e]), "element": model.name,
                    "feed_flow_m3_h": _finite(feed_q * HOUR),
                    "concentrate_flow_m3_h": _finite(conc_q * HOUR),
                    "permeate_flow_m3_h": _finite(perm_q * HOUR),
                    "recovery": _finite(perm_q / max(feed_q, 1e-300)),
                    "flux_LMH": _finite(el[e, EL_AVERAGE_FLUX] * 3.6e6),
                    "max_flux_LMH": _finite(el[e, EL_MAX_FLUX] * 3.6e6),
                    "outlet_flux_LMH": _finite(el[e, EL_OUTLET_FLUX] * 3.6e6),
                    "beta": _finite(el[e, EL_BETA]),
                    "ndp_bar": _finite(el[e, EL_NDP] / _BAR),
                    "feed_pressure_bar": _finite(el[e, EL_FEED_PRESSURE] / _BAR),
                    "pressure_drop_bar": _finite(el[e, EL_PRESSURE_DROP] / _BAR),
                    "permeate_tds_mg_L": _finite(tds),
                    "feed_tds_mg_L": _finite((el[e, EL_FEED_SOLUTE_MASS] - co2_feed[e])
                                             / max(feed_q, 1e-300) * 1e3),
                    "concentrate_tds_mg_L": _finite((el[e, EL_CONCENTRATE_SOLUTE_MASS]
                                                     - co2_conc[e])
                                                    / max(conc_q, 1e-300) * 1e3),
                    "feed_osmotic_pressure_bar": _finite(pi_feed[e] / _BAR),
                    "concentrate_osmotic_pressure_bar": _finite(pi_conc[e] / _BAR),
                })
        return rows

    def _element_co2_mass(self, p, c):
        """Mass flow of dissolved CO2 [kg/s, per vessel] into and out of each element of a
        pass (zeros when the engine carries no CO2): subtracted from the element TDS."""
        n_el = len(p["setup"].models)
        if "CO2" not in self.species:
            return np.zeros(n_el), np.zeros(n_el)
        j = self.species.index("CO2")
        setup = p["setup"]
        v_el = setup.vessels[setup.stage_of]
        _w, feed_solutes, _water, solutes = pass_element_streams(p, c)
        conc = solutes[:, j] / v_el
        feed = np.r_[feed_solutes[j], solutes[:-1, j]] / v_el  # the stage feed splits
        mm = self.molar_mass[j]
        return feed * mm, conc * mm

    def _osmotic(self, m_total, c):
        """Osmotic pressure [Pa] of the feed-channel water at total molalities ``m_total``
        (array) of case ``c``, from the feed's property table."""
        m = np.atleast_1d(np.asarray(m_total, dtype=float))
        return interpolate(self.table, self.table.osmotic_pressure, m,
                           np.full(m.shape, float(self.temperature[c])))

    def _stage_dicts(self, c):
        rows = []
        for k, p in enumerate(self.passes):
            setup = p["setup"]
            el = p["out"]["element"][c]
            sol = p["out"]["element_solutes"][c]
            stage_spec = self.system.passes[k].stages
            for s in range(len(setup.vessels)):
                idx = np.nonzero(setup.stage_of == s)[0]
                v = setup.vessels[s]
                feed_q = el[idx[0], EL_FEED_FLOW] * v
                perm_q = el[idx, EL_PERMEATE_FLOW].sum() * v
                area = sum(setup.models[e].area for e in idx) * v
                tds = float(sol[idx].sum(axis=0) @ self.tds_molar_mass) * v / max(perm_q, 1e-300)
                rows.append({
                    "pass": k + 1, "stage": s + 1, "vessels": int(v),
                    "elements_per_vessel": len(idx),
                    "feed_flow_m3_h": _finite(feed_q * HOUR),
                    "feed_pressure_bar": _finite(el[idx[0], EL_FEED_PRESSURE] / _BAR),
                    "booster_pressure_bar": _finite(stage_spec[s].booster_pressure / _BAR),
                    "concentrate_flow_m3_h": _finite(el[idx[-1], EL_CONCENTRATE_FLOW] * v
                                                     * HOUR),
                    "concentrate_pressure_bar": _finite(
                        (el[idx[-1], EL_FEED_PRESSURE] - el[idx[-1], EL_PRESSURE_DROP])
                        / _BAR),
                    "permeate_flow_m3_h": _finite(perm_q * HOUR),
                    "recovery": _finite(perm_q / max(feed_q, 1e-300)),
                    "average_flux_LMH": _finite(perm_q / area * 3.6e6),
                    "pressure_drop_bar": _finite(el[idx, EL_PRESSURE_DROP].sum() / _BAR),
                    "permeate_tds_mg_L": _finite(tds * 1e3),
                })
        return rows

    # ---------------------------------------------------------------- dict / JSON
    def to_dict(self, case: int | None = None, detail: bool = True,
                chemistry: bool = True) -> dict:
        """JSON-ready dict of one case (``case``), or ``{"cases": [...]}`` for a batch.

        ``chemistry=False`` leaves out the per-stream water chemistry (``scaling``, the pH
        keys), which costs about as much as the projection itself."""
        if case is None:
            if self.is_batch:
                return {"cases": [self.to_dict(i, detail, chemistry) for i in range(len(self))]}
            case = 0
        c = case
        passes = []
        for k, p in enumerate(self.passes):
            passes.append({
                "pass": k + 1,
                "feed_pressure_bar": _finite(p["feed_pressure"][c] / _BAR),
                "feed_flow_m3_h": _finite(p["feed_volume"][c] * HOUR),
                "permeate_flow_m3_h": _finite(p["permeate_volume"][c] * HOUR),
                "recovery": _finite(p["permeate_volume"][c] / max(p["feed_volume"][c], 1e-300)),
                "permeate_tds_mg_L": _finite(self._tds(p["permeate_solutes"],
                                                       p["permeate_volume"])[c]),
                "concentrate_flow_m3_h": _finite(p["concentrate_volume"][c] * HOUR),
                "concentrate_tds_mg_L": _finite(self._tds(p["concentrate_solutes"],
                                                          p["concentrate_volume"])[c]),
            })
        first, last = self.passes[0], self.passes[-1]
        feed_mass = float(self.feed_molality[c] @ self.tds_molar_mass)
        reason = "; ".join(self.reasons[c])
        out = {
            "system": getattr(self.system, "name", "RO system"),
            "feasible": not self.reasons[c],
            "reason": reason,
            "feed_flow_m3_h": _finite(self.feed_flow[c] * HOUR),
            "feed_temperature_C": _finite(self.temperature[c] - 273.15),
            "feed_tds_mg_L": _finite(self.feed_tds[c]),
            "feed_salinity_g_kg": _finite(feed_mass / (1.0 + feed_mass) * 1e3),
            "feed_osmotic_pressure_bar": _finite(self.feed_osmotic_pressure[c] / _BAR),
            "feed_pressure_bar": _finite(self.feed_pressure[c] / _BAR),
            "recovery": _finite(self.recovery[c]),
            "permeate_flow_m3_h": _finite(self.permeate_flow[c] * HOUR),
            "permeate_tds_mg_L": _finite(self.permeate_tds[c]),
            "product_flow_m3_h": _finite(self.product_flow[c] * HOUR),
            "product_tds_mg_L": _finite(self.product_tds[c]),
            "concentrate_flow_m3_h": _finite(first["concentrate_volume"][c] * HOUR),
            "concentrate_pressure_bar": _finite(first["concentrate_pressure"][c] / _BAR),
            "concentrate_tds_mg_L": _finite(self.concentrate_tds[c]),
            "high_pressure_pump_kW": _finite(self.high_pressure_pump_power[c] / 1e3),
            "booster_pump_kW": _finite(self.booster_power[c] / 1e3),
            "interstage_booster_kW": _finite(self.interstage_power[c] / 1e3),
            "second_pass_pump_kW": _finite(self.second_pass_power[c] / 1e3),
            "erd_recovered_kW": _finite(self.erd_recovered_power[c] / 1e3),
            "total_power_kW": _finite(self.total_power[c] / 1e3),
            "sec_kWh_m3": _finite(self.sec[c]),
            "min_sec_kWh_m3": _finite(self.min_sec[c]),
            "min_sec_single_stage_kWh_m3": _finite(self.min_sec_single_stage[c]),
            "sec_ratio": _finite(self.sec[c] / max(self.min_sec[c], 1e-300)),
            "passes": passes,
            "warnings": list(self.reasons[c]) + list(self.warnings[c]),
        }
        if self.dosing is not None:
            out["chemistry"] = dosing_json(self.dosing)
        if detail:
            out["permeate_ions_mg_L"] = self._ions(last["permeate_solutes"],
                                                   last["permeate_volume"], c)
            out["concentrate_ions_mg_L"] = self._ions(first["concentrate_solutes"],
                                                      first["concentrate_volume"], c)
            out["stages"] = self._stage_dicts(c)
            out["elements"] = self._element_dicts(c)
            if chemistry:
                self._add_chemistry(out, c)
        return out

    def water_chemistry(self, case: int = 0) -> dict:
        """pH, carbon and scaling of every stream of case ``case`` (see
        :func:`osmolab.ro.chemistry.stream_chemistry`; options from ``self.chemistry``)."""
        options = self.chemistry or {}
        # computed once per case and options: project() reads to_dict() for the guideline
        # checks and the caller reads it again
        key = (case, json.dumps(options, sort_keys=True, default=str))
        cache = self.__dict__.setdefault("_chemistry_cache", {})
        if key not in cache:
            cache[key] = stream_chemistry(self, case, limits=options.get("limits"),
                                          antiscalant=bool(options.get("antiscalant", False)),
                                          degas_permeate=options.get("degas_permeate"))
        return copy.deepcopy(cache[key])

    def _add_chemistry(self, out, c):
        """``scaling``, ``permeate_pH``, ``concentrate_pH`` and the scale warnings; CO2 in
        the ion tables."""
        if (self.chemistry or {}).get("skip"):
            return
        try:
            chem = self.water_chemistry(c)
        except InputError as exc:
            out["warnings"].append(f"water chemistry not computed: {exc}")
            return
        out["permeate_pH"] = chem["permeate_pH"]
        out["concentrate_pH"] = chem["concentrate_pH"]
        out["scaling"] = {k: chem[k] for k in ("streams", "warnings", "antiscalant", "limits")}
        out["warnings"].extend(chem["warnings"])
        streams = {row["stream"]: row for row in chem["streams"]}
        permeate = streams.get(f"pass {len(self.passes)} permeate", {})
        concentrate = [r for r in chem["streams"] if r["stream"].startswith("element 1-")]
        # CO2 at the feed pH from the chemistry (the engine's own CO2, if any, is a fixed
        # share of the composition): listed in the ion tables, never in the TDS
        if permeate.get("co2_mg_L") is not None:
            out["permeate_ions_mg_L"]["CO2"] = permeate["co2_mg_L"]
        if concentrate:
            out["concentrate_ions_mg_L"]["CO2"] = concentrate[-1]["co2_mg_L"]


# -------------------------------------------------------------------------------- doses (JSON)

#: Where each dose of a design's ``chemistry:`` section is added (keys of ``doses``)
DOSING_POINTS = {
    "acid": "RO feed",
    "degas_second_pass": "pass-2 feed",
    "caustic_second_pass": "pass-2 feed",
    "degas_permeate": "permeate",
}
#: Keys of a chemical dose in the JSON, in order (those present are kept)
_CHEMICAL_KEYS = ("chemical", "target_ph", "target_lsi", "concentration_factor", "dose_mg_L",
                  "dose_kg_day", "commercial_strength_percent", "commercial_dose_mg_L",
                  "commercial_dose_kg_day", "ph_before", "ph_after", "flow_m3_h",
                  "applied_to_engine")


def _json_clean(value):
    """``value`` with non-finite floats as None (JSON has no NaN or infinity)."""
    if isinstance(value, dict):
        return {str(k): _json_clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_clean(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return _finite(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _dose_json(kind, dose):
    """One dose of the record as JSON: a chemical (mg/L and kg/day as 100 % and as the
    commercial product) or a degasser (CO2 removed), with its point of addition."""
    out = {"point": DOSING_POINTS.get(kind, kind)}
    if kind.startswith("degas"):
        # a degasser removes CO2: no product strength, the "dose" is the CO2 stripped
        out["type"] = "degasser"
        for key, name in (("co2_removal", "co2_removal"), ("dose_mg_L", "co2_removed_mg_L"),
                          ("dose_kg_day", "co2_removed_kg_day"), ("ph_before", "ph_before"),
                          ("ph_after", "ph_after"), ("flow_m3_h", "flow_m3_h")):
            if key in dose:
                out[name] = dose[key]
        return out
    out["type"] = "chemical"
    out.update({key: dose[key] for key in _CHEMICAL_KEYS if key in dose})
    if kind == "caustic_second_pass":
        out.setdefault("chemical", "NaOH")
    return out


def dosing_json(record: dict) -> dict:
    """The ``"chemistry"`` of a projection's JSON: the doses of a design's ``chemistry:``.

    Parameters
    ----------
    record : dict
        ``result.dosing`` (:func:`osmolab.ro.design.project`): ``antiscalant``,
        ``allowed_limits``, ``doses`` by point (``acid``, ``degas_second_pass``,
        ``caustic_second_pass``, ``degas_permeate``), and optionally ``feed_water``,
        ``feed_ions_mg_L``, ``concentrate`` and ``note``.

    Returns
    -------
    dict
        The record with JSON values only (non-finite numbers as null). Each dose carries its
        ``point`` of addition and a ``type``: ``"chemical"`` (``chemical``, ``dose_mg_L`` and
        ``dose_kg_day`` of 100 % chemical, ``commercial_strength_percent``,
        ``commercial_dose_mg_L`` and ``commercial_dose_kg_day`` of the product as delivered,
        ``ph_before``, ``ph_after``) or ``"degasser"`` (``co2_removal`` [-],
        ``co2_removed_mg_L``, ``co2_removed_kg_day``, ``ph_before``, ``ph_after``). In the
        concentrate check a mineral whose ions the analysis lacks (0 % saturation) is null.

    Examples
    --------
    >>> record = {"antiscalant": "none", "allowed_limits": {}, "doses": {
    ...     "degas_permeate": {"chemical": "CO2 removed", "co2_removal": 0.9, "dose_mg_L": 40.4,
    ...                        "commercial_strength_percent": 100.0, "ph_before": 5.2,
    ...                        "ph_after": 6.2}}}
    >>> degasser = dosing_json(record)["doses"]["degas_permeate"]
    >>> degasser["type"], degasser["co2_removed_mg_L"], "commercial_strength_percent" in degasser
    ('degasser', 40.4, False)
    """
    out = {key: value for key, value in record.items()
           if key != "doses" and not key.startswith("_")}
    out["doses"] = {kind: _dose_json(kind, dict(dose))
                    for kind, dose in (record.get("doses") or {}).items()}
    indices = (out.get("concentrate") or {}).get("indices")
    if isinstance(indices, dict):
        out["concentrate"] = dict(out["concentrate"])
        out["concentrate"]["indices"] = {
            name: ({**entry, "value": None}
                   if entry.get("unit") == "%" and entry.get("value") == 0.0 else entry)
            for name, entry in indices.items()}
    return _json_clean(out)
