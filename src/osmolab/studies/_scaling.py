r"""Scaling of the final concentrate of every pass of every case of a batch, vectorised.

The optimiser's scale constraints (``"gypsum_saturation_pct<=230"``, ``"calcite_lsi<=1.8"``,
``"scaling"``) need the saturation of each mineral in the concentrate of thousands of
candidate designs. :func:`osmolab.ro.chemistry.stream_chemistry` re-speciates every stream of
one case (a few ms); here only the concentrate leaving the last element of each pass is
taken -- the most concentrated stream of a pass, the one scale limits are designed on -- for
all cases of a batch at once: per pass one feed speciation, one pH solve and one
:func:`osmolab.thermo.scaling.scaling_indices` call over the batch. A metric is the worst over
the passes: the concentrate of a second pass dosed with NaOH to pH 10 for boron can hold
calcite above saturation although it is a few grams per litre (see :func:`concentrate_scaling`).

Method (the same as :func:`~osmolab.ro.chemistry.stream_chemistry`, whose tables it uses):
the feed of each case is speciated at its pH and alkalinity; dissolved CO2 passes the membrane
(the concentrate holds the feed's CO2 molality), the charged carbon is concentrated with the
engine's HCO3-/CO3-2; the concentrate pH is the one at which its alkalinity holds that carbon
(:func:`osmolab.ro.chemistry.solve_ph`). A pass whose feed was dosed (NaOH) or degassed keeps
the carbon the engine carries through the dosing point, and its concentrate pH is bisected
from its alkalinity. Calcite is judged by the LSI (ASTM D3739) up to
10,000 mg/L TDS, by the Stiff & Davis index (ASTM D4582) above
(:data:`osmolab.ro.chemistry.SALINE_TDS`), and by its saturation index above pH 9
(:func:`osmolab.ro.chemistry.judged_calcite`); the other minerals as percent saturation
100 IAP/Ksp. Limits: :func:`osmolab.ro.chemistry.allowed_limits`, with an antiscalant when the
design's ``chemistry:`` section names one (its limits from ``data/antiscalant_limits.csv``,
:func:`osmolab.thermo.dosing.allowed_limits`).
"""

from __future__ import annotations

import re

import numpy as np

from ..errors import InputError, suggest
from ..ro.chemistry import (
    _ALKALINITY,
    _CARBON,
    _TOTALS,
    allowed_limits,
    judged_calcite,
    solve_ph,
    tds_molar_masses,
)
from ..ro.feedwater import interpolate
from ..ro.march import CASE_CONCENTRATE_WATER
from ..thermo import dosing
from ..thermo.dosing import _solve_ph as _bisect_ph
from ..thermo.scaling import MINERALS, scaling_indices
from ..thermo.speciation import speciate

__all__ = ["MINERAL_ALIASES", "SCALE_METRICS", "concentrate_scaling", "is_scale_metric",
           "mineral_metric", "scale_limits"]

#: Metric names of the concentrates' scaling: the worst over the final concentrate (last
#: element) of every pass, except ``concentrate_pH`` (the first pass's). A design of several
#: passes also has each pass's own as ``pass2_<name>`` (e.g. ``pass2_calcite_lsi``,
#: ``pass2_concentrate_pH``).
SCALE_METRICS = {
    **{f"{m}_saturation_pct": f"{m.replace('_', ' ')} saturation, highest over the final "
       "concentrate of every pass [%, 100 IAP/Ksp]" for m in MINERALS},
    "calcite_lsi": "Langelier index (ASTM D3739), highest over the final concentrate of every "
                   "pass, each at its own pH",
    "calcite_sdsi": "Stiff & Davis index (ASTM D4582), highest over the final concentrate of "
                    "every pass",
    "calcite_index": "the calcite index judged (LSI up to 10,000 mg/L TDS, S&DSI above, calcite "
                     "SI above pH 9), highest over the final concentrate of every pass",
    "concentrate_pH": "pH of the final first-pass concentrate [-] (CO2 passing the membrane; "
                      "pass2_concentrate_pH: the second pass's)",
    "scaling_excess": "largest excess of any scale over its allowed limit in the final "
                      "concentrate of any pass [log10 units; <= 0: all within limits]",
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
    prefix = re.match(r"pass\d+_", name)
    prefix = prefix.group(0) if prefix else ""
    given = name[len(prefix): -len("_saturation_pct")]
    mineral = MINERAL_ALIASES.get(given.lower(), given.lower())
    if mineral not in MINERALS:
        raise InputError(f"unknown mineral {given!r} in {name!r}."
                         f"{suggest(mineral, [*MINERALS, *MINERAL_ALIASES])} Known: "
                         f"{', '.join(MINERALS)} (as <mineral>_saturation_pct)")
    return f"{prefix}{mineral}_saturation_pct"


def is_scale_metric(name: str) -> bool:
    """Whether ``name`` is one of :data:`SCALE_METRICS`, also with a pass prefix
    (``pass2_calcite_lsi``).

    Examples
    --------
    >>> is_scale_metric("pass2_concentrate_pH"), is_scale_metric("pass2_average_flux_LMH")
    (True, False)
    """
    return re.sub(r"^pass\d+_", "", name) in SCALE_METRICS


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
    """Scale metrics of the final concentrate of every pass of every case (arrays over the
    batch).

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
        ``calcite_sdsi`` and ``calcite_index`` [-] (when the feed has calcium and carbonate) and
        ``scaling_excess`` [log10 units]: each the highest over the final concentrates of all
        passes, so a limit on it holds in every pass; ``concentrate_pH`` [-]: the first pass's.
        With more than one pass, the same names prefixed ``pass2_`` (``pass3_`` ...) give that
        pass's own concentrate (``pass2_concentrate_pH`` its pH). NaN for cases the engine could
        not solve.
    """
    n = len(result.recovery) if np.ndim(result.recovery) else 1
    per_pass = [_pass_scaling(result, k, allowed, n) for k in range(len(result.passes))]
    out = dict(per_pass[0])
    for k, values in enumerate(per_pass[1:], start=2):
        for name, value in values.items():
            if name != "concentrate_pH":
                out[name] = np.maximum(out[name], value)  # NaN (unsolved case) stays NaN
        out.update({f"pass{k}_{name}": value for name, value in values.items()})
    return out


def _pass_scaling(result, k: int, allowed: dict, n: int) -> dict:
    """The metrics of :func:`concentrate_scaling` for the final concentrate of pass ``k``.

    Its carbon and pH follow :func:`osmolab.ro.chemistry.stream_chemistry`: the concentrate of
    a pass whose feed is untreated holds the raw feed's CO2 (:func:`_indices`); that of a pass
    whose feed was dosed (NaOH before a second pass) or degassed holds the carbon the engine
    carries, and its pH is bisected from its alkalinity (:func:`_treated_indices`)."""
    species = tuple(result.species)
    this = result.passes[k]
    water = np.asarray(this["out"]["case"][:, CASE_CONCENTRATE_WATER], dtype=float)
    solutes = np.asarray(this["concentrate_solutes"], dtype=float)
    feed = np.broadcast_to(np.asarray(result.feed_molality, dtype=float), (n, len(species)))
    temperature = np.broadcast_to(np.asarray(result.temperature, dtype=float), (n,))
    feed_ph = float(getattr(result.system.feed, "ph", 7.0))
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
    if this.get("treated", this.get("feed_ph") is not None):
        set_ph = np.full(n, feed_ph if this.get("feed_ph") is None else float(this["feed_ph"]))
        free = np.broadcast_to(np.asarray(this.get("feed_free_co2", 0.0), dtype=float), (n,))

        def compute(rows):
            return _treated_indices(species, feed[rows], conc[rows], temperature[rows], feed_ph,
                                    set_ph[rows], free[rows])
    else:
        def compute(rows):
            return _indices(species, feed[rows], conc[rows], temperature[rows], feed_ph)

    idx = np.nonzero(ok)[0]
    values = compute(idx)
    if values is None:  # the batch's pH solve failed: case by case, failures left NaN
        rows = [compute(idx[[i]]) for i in range(idx.size)]
        keep = [j for j, r in enumerate(rows) if r is not None]
        if not keep:
            return out
        idx = idx[keep]
        values = {key: np.concatenate([rows[j][key] for j in keep]) for key in rows[keep[0]]}
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
        judged, _ = judged_calcite(lsi, sdsi, indices["calcite"], tds, spec_ph)
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
    totals, alkalinity, charged = _carbon_and_totals(species, np.concatenate([feed, conc]))
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
    return _scale_values(spec, n)


def _carbon_and_totals(species, both):
    """Speciation totals, alkalinity [eq/kg] and charged carbon [mol/kg] of waters (M, I)."""
    totals, alkalinity, charged = {}, np.zeros(both.shape[0]), np.zeros(both.shape[0])
    for j, s in enumerate(species):
        if s in _TOTALS:
            totals[_TOTALS[s]] = totals.get(_TOTALS[s], 0.0) + both[:, j]
        alkalinity = alkalinity + _ALKALINITY.get(s, 0.0) * both[:, j]
        if s in _CARBON:
            charged = charged + both[:, j]
    return totals, np.maximum(alkalinity, 0.0), charged


def _treated_indices(species, feed, conc, temperature, feed_ph, set_ph, free_co2):
    """As :func:`_indices` for the concentrates of a pass whose feed was dosed or degassed:
    their carbon is the charged carbon the engine carries plus the CO2 it carries (its ``CO2``
    solute, else the pass feed's free CO2 ``free_co2`` [mol/kg], which passes the membrane);
    their pH is bisected between 2.5 and 12.5 from their alkalinity, the set pH ``set_ph``
    where the bisection ends at a bound (as :func:`osmolab.ro.chemistry.stream_chemistry`)."""
    n = feed.shape[0]
    totals, alkalinity, charged = _carbon_and_totals(species, np.concatenate([feed, conc]))
    conc_totals = {key: value[n:] for key, value in totals.items()}
    ph = np.full(n, feed_ph)
    if (alkalinity[:n] > 0).all() and (charged[:n] > 0).all():
        co2 = conc[:, species.index("CO2")] if "CO2" in species else free_co2
        carbon = charged[n:] + co2
        own = alkalinity[n:] > 0
        if own.any():
            found = _bisect_ph({key: value[own] for key, value in conc_totals.items()},
                               alkalinity[n:][own], carbon[own], temperature[own],
                               np.full(own.sum(), 2.5), np.full(own.sum(), 12.5), strict=False)
            ph[own] = np.where(np.isfinite(found), found, set_ph[own])
        spec = speciate(conc_totals, ph, temperature, alkalinity=alkalinity[n:])
    else:
        spec = speciate(conc_totals, ph, temperature)
    return _scale_values(spec, n)


def _scale_values(spec, n):
    """SI of every mineral, LSI, S&DSI and pH of a speciation of ``n`` waters."""
    with np.errstate(divide="ignore", invalid="ignore"):  # absent ions: -inf
        indices = scaling_indices(spec)
    out = {m: np.asarray(indices["saturation_index"].get(m, np.full(n, -np.inf)), dtype=float)
           for m in MINERALS}
    out["lsi"] = np.asarray(indices["lsi"], dtype=float)
    out["sdsi"] = np.asarray(indices["sdsi"], dtype=float)
    out["ph"] = np.asarray(spec.ph, dtype=float)
    return out
