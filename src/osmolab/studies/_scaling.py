r"""Scaling of the final first-pass concentrate of every case of a batch, vectorised.

The optimiser's scale constraints (``"gypsum_saturation_pct<=230"``, ``"calcite_lsi<=1.8"``,
``"scaling"``) need the saturation of each mineral in the concentrate of thousands of
candidate designs. :func:`osmolab.ro.chemistry.stream_chemistry` re-speciates every stream of
one case (a few ms); here only the concentrate leaving the last element of the first pass is
taken -- the most concentrated stream of a pass, the one scale limits are designed on -- for
all cases of a batch at once: one feed speciation, one pH solve and one
:func:`osmolab.thermo.scaling.scaling_indices` call over the batch.

Method (the same as :func:`~osmolab.ro.chemistry.stream_chemistry`, whose tables it uses):
the feed of each case is speciated at its pH and alkalinity; dissolved CO2 passes the membrane
(the concentrate holds the feed's CO2 molality), the charged carbon is concentrated with the
engine's HCO3-/CO3-2; the concentrate pH is the one at which its alkalinity holds that carbon
(:func:`osmolab.ro.chemistry.solve_ph`). Calcite is judged by the LSI (ASTM D3739) up to
10,000 mg/L TDS and by the Stiff & Davis index (ASTM D4582) above
(:data:`osmolab.ro.chemistry.SALINE_TDS`); the other minerals as percent saturation
100 IAP/Ksp. Limits: :func:`osmolab.ro.chemistry.allowed_limits`, with an antiscalant when the
design's ``chemistry:`` section names one (its limits from ``data/antiscalant_limits.csv``,
:func:`osmolab.thermo.dosing.allowed_limits`).
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError, suggest
from ..ro.chemistry import (
    _ALKALINITY,
    _CARBON,
    _TOTALS,
    SALINE_TDS,
    allowed_limits,
    solve_ph,
    tds_molar_masses,
)
from ..ro.feedwater import interpolate
from ..ro.march import CASE_CONCENTRATE_WATER
from ..thermo import dosing
from ..thermo.scaling import MINERALS, scaling_indices
from ..thermo.speciation import speciate

__all__ = ["MINERAL_ALIASES", "SCALE_METRICS", "concentrate_scaling", "mineral_metric",
           "scale_limits"]

#: Metric names of the concentrate's scaling (first pass, last element)
SCALE_METRICS = {
    **{f"{m}_saturation_pct": f"{m.replace('_', ' ')} saturation of the final first-pass "
       "concentrate [%, 100 IAP/Ksp]" for m in MINERALS},
    "calcite_lsi": "Langelier index of the final first-pass concentrate (ASTM D3739), at its own pH",
    "calcite_sdsi": "Stiff & Davis index of the final first-pass concentrate (ASTM D4582)",
    "calcite_index": "the calcite index judged: LSI up to 10,000 mg/L TDS, S&DSI above",
    "concentrate_pH": "pH of the final first-pass concentrate [-] (CO2 passing the membrane)",
    "scaling_excess": "largest excess of any scale over its allowed limit in the final "
                      "first-pass concentrate [log10 units; <= 0: all within limits]",
}
#: Other names of minerals accepted in constraints
MINERAL_ALIASES = {"silica": "amorphous_silica", "sio2": "amorphous_silica", "caso4": "gypsum",
                   "baso4": "barite", "srso4": "celestite", "caf2": "fluorite",
                   "calcium_phosphate": "hydroxyapatite", "caco3": "calcite"}
#: SI floor of a mineral whose ions are absent (its saturation is then 0 %, not -inf)
_SI_FLOOR = -30.0


def mineral_metric(name: str) -> str | None:
    """``"silica_saturation_pct"`` -> ``"amorphous_silica_saturation_pct"``; None when ``name``
    is not a ``<mineral>_saturation_pct`` name; an InputError naming the near minerals when the
    mineral is unknown."""
    if not name.endswith("_saturation_pct"):
        return None
    mineral = name[: -len("_saturation_pct")].lower()
    mineral = MINERAL_ALIASES.get(mineral, mineral)
    if mineral not in MINERALS:
        raise InputError(f"unknown mineral {name[: -len('_saturation_pct')]!r} in {name!r}."
                         f"{suggest(mineral, [*MINERALS, *MINERAL_ALIASES])} Known: "
                         f"{', '.join(MINERALS)} (as <mineral>_saturation_pct)")
    return f"{mineral}_saturation_pct"


def scale_limits(design) -> tuple[dict, bool]:
    """Allowed limits ``{mineral: limit}`` (calcite as an index [-], the others [%]) and whether
    an antiscalant is dosed, from the design's ``chemistry:`` section (none: no antiscalant)."""
    chem = getattr(design, "chemistry", None)
    name = getattr(chem, "antiscalant", None) or "none"
    table = dosing.allowed_limits(name)
    limits = {("calcite" if k == "lsi" else k): v for k, v in table.items() if k != "sdsi"}
    antiscalant = name != "none"
    return allowed_limits(antiscalant, limits), antiscalant


def concentrate_scaling(result, allowed: dict) -> dict:
    """Scale metrics of the final first-pass concentrate of every case (arrays over the batch).

    Parameters
    ----------
    result : osmolab.ro.results.ROResult
        A batch projection (:func:`osmolab.ro.train.simulate`).
    allowed : dict
        ``{mineral: limit}`` (:func:`scale_limits`).

    Returns
    -------
    dict of str to numpy.ndarray
        ``<mineral>_saturation_pct`` [%] for every mineral of
        :data:`osmolab.thermo.scaling.MINERALS` (0 when its ions are absent), ``calcite_lsi``,
        ``calcite_sdsi`` and ``calcite_index`` [-] (when the feed has calcium and carbonate),
        ``scaling_excess`` [log10 units], ``concentrate_pH`` [-]. NaN for cases the engine could
        not solve.
    """
    species = tuple(result.species)
    n = len(result.recovery) if np.ndim(result.recovery) else 1
    first = result.passes[0]
    water = np.asarray(first["out"]["case"][:, CASE_CONCENTRATE_WATER], dtype=float)
    solutes = np.asarray(first["concentrate_solutes"], dtype=float)
    feed = np.broadcast_to(np.asarray(result.feed_molality, dtype=float), (n, len(species)))
    temperature = np.broadcast_to(np.asarray(result.temperature, dtype=float), (n,))
    with np.errstate(divide="ignore", invalid="ignore"):
        conc = solutes / water[:, None]  # [mol/kg water]
    ok = np.isfinite(conc).all(axis=1) & (water > 0)
    out = {name: np.full(n, np.nan) for name in SCALE_METRICS}
    calcite = "Ca+2" in species and any(s in species for s in _CARBON)
    if not calcite:
        for name in ("calcite_lsi", "calcite_sdsi", "calcite_index"):
            out.pop(name)
    if not ok.any():
        return out
    idx = np.nonzero(ok)[0]
    values = _indices(species, feed[idx], conc[idx], temperature[idx],
                      float(getattr(result.system.feed, "ph", 7.0)))
    if values is None:  # the batch's pH solve failed: case by case, failures left NaN
        rows = [_indices(species, feed[[i]], conc[[i]], temperature[[i]],
                         float(getattr(result.system.feed, "ph", 7.0))) for i in idx]
        keep = [k for k, r in enumerate(rows) if r is not None]
        if not keep:
            return out
        idx = idx[keep]
        values = {k: np.concatenate([rows[j][k] for j in keep]) for k in rows[keep[0]]}
    spec_ph, indices = values["ph"], values
    out["concentrate_pH"][idx] = spec_ph
    mm_tds = tds_molar_masses(species, result.molar_mass)
    density = interpolate(result.table, result.table.water_density, conc[idx].sum(axis=1),
                          temperature[idx])
    tds = (conc[idx] @ mm_tds) * density * 1e3  # [mg/L]
    excess = np.full(idx.size, _SI_FLOOR)
    for mineral in MINERALS:
        si = np.maximum(np.nan_to_num(indices[mineral], nan=_SI_FLOOR, neginf=_SI_FLOOR), _SI_FLOOR)
        out[f"{mineral}_saturation_pct"][idx] = np.where(si > _SI_FLOOR, 100.0 * 10.0 ** si, 0.0)
        if mineral != "calcite":
            excess = np.maximum(excess, si - np.log10(allowed[mineral] / 100.0))
    if calcite:
        lsi, sdsi = indices["lsi"], indices["sdsi"]
        judged = np.where(tds > SALINE_TDS, sdsi, lsi)
        out["calcite_lsi"][idx] = lsi
        out["calcite_sdsi"][idx] = sdsi
        out["calcite_index"][idx] = judged
        finite = np.isfinite(judged)
        excess = np.where(finite, np.maximum(excess, judged - allowed["calcite"]), excess)
    out["scaling_excess"][idx] = excess
    return out


#: Feed carbon of the last few distinct feeds: (feed molalities, T, pH) -> (CO2, C_T) [mol/kg]
_FEED_CACHE: dict = {}


def _feed_carbon(feed, feed_totals, alkalinity, temperature, feed_ph):
    """Dissolved CO2 and total inorganic carbon [mol/kg] of the feeds (one speciation; the
    candidates of a search share their feed, so the last few are kept)."""
    key = (feed.tobytes(), np.asarray(temperature, dtype=float).tobytes(), float(feed_ph))
    if key not in _FEED_CACHE:
        spec = speciate(feed_totals, np.full(feed.shape[0], feed_ph), temperature, alkalinity=alkalinity)
        if len(_FEED_CACHE) >= 64:
            _FEED_CACHE.pop(next(iter(_FEED_CACHE)))
        _FEED_CACHE[key] = (np.asarray(spec["CO2"], dtype=float), np.asarray(spec.total_carbon, dtype=float))
    return _FEED_CACHE[key]


def _indices(species, feed, conc, temperature, feed_ph):
    """pH, SI of every mineral, LSI and S&DSI of the concentrates ``conc`` (N, I) [mol/kg] of
    feeds ``feed`` (N, I); None when the pH solve fails."""
    n = feed.shape[0]
    both = np.concatenate([feed, conc])
    totals, alkalinity, charged = {}, np.zeros(2 * n), np.zeros(2 * n)
    for j, s in enumerate(species):
        if s in _TOTALS:
            totals[_TOTALS[s]] = totals.get(_TOTALS[s], 0.0) + both[:, j]
        alkalinity = alkalinity + _ALKALINITY.get(s, 0.0) * both[:, j]
        if s in _CARBON:
            charged = charged + both[:, j]
    alkalinity = np.maximum(alkalinity, 0.0)
    feed_totals = {k: v[:n] for k, v in totals.items()}
    conc_totals = {k: v[n:] for k, v in totals.items()}
    if (alkalinity[:n] > 0).all() and (charged[:n] > 0).all() and (alkalinity[n:] > 0).all():
        co2, carbon_feed = _feed_carbon(feed, feed_totals, alkalinity[:n], temperature, feed_ph)
        kappa = (carbon_feed - co2) / charged[:n]
        carbon = co2 + kappa * charged[n:]
        guess = feed_ph + np.log10(np.maximum(charged[n:] / charged[:n], 1e-12))
        try:
            spec = solve_ph(conc_totals, alkalinity[n:], carbon, temperature, guess)
        except InputError:
            return None
    else:
        spec = speciate(conc_totals, np.full(n, feed_ph), temperature)
    with np.errstate(divide="ignore", invalid="ignore"):  # absent ions: -inf
        indices = scaling_indices(spec)
    out = {m: np.asarray(indices["saturation_index"].get(m, np.full(n, -np.inf)), dtype=float)
           for m in MINERALS}
    out["lsi"] = np.asarray(indices["lsi"], dtype=float)
    out["sdsi"] = np.asarray(indices["sdsi"], dtype=float)
    out["ph"] = np.asarray(spec.ph, dtype=float)
    return out
