r"""Water chemistry of the streams of an RO projection: pH, carbon, scaling and its limits.

After the engine has solved a projection (:func:`osmolab.ro.train.simulate`), every stream it
reports -- the raw feed, the concentrate leaving each element (``element 1-2-6`` is pass 1,
stage 2, position 6), each stage and pass concentrate, each pass permeate and the product --
is re-speciated at the feed temperature with :func:`osmolab.thermo.speciation.speciate`, all
streams of a case in one vectorised call, and checked for scaling with
:func:`osmolab.thermo.scaling.scaling_indices`.

Carbon. The engine carries the ions of the analysis (HCO3-, CO3-2, B(OH)4-, ...) with their own
membrane passage. Dissolved CO2 is a small uncharged molecule that the polyamide membrane does
not reject ("CO2 is not rejected": DuPont FilmTec Reverse Osmosis Membranes Technical Manual,
Form 45-D01504, section on permeate pH and CO2; passage taken as 1), so its molality is the same
in the feed channel, the concentrate and the permeate of every element, and equal to the raw
feed's. The feed is speciated from its pH and alkalinity (HCO3- + 2 CO3-2 + B(OH)4- + OH- of the
analysis), giving its total inorganic carbon :math:`C_{T,f}` and CO2 :math:`m_{CO_2,f}`; a stream
s then holds :math:`C_{T,s} = m_{CO_2,f} + \kappa\,(m_{HCO_3^-,s} + m_{CO_3^{2-},s})`, with the
engine's molalities of the charged carbon and :math:`\kappa = (C_{T,f} - m_{CO_2,f}) /
(m_{HCO_3^-,f} + m_{CO_3^{2-},f})`, and the alkalinity the engine's alkalinity-bearing ions give
it. Its pH is the one at which the speciation with that alkalinity holds that carbon (Newton
iteration on the pH, all streams at once), the method of :func:`osmolab.thermo.analysis.concentrate`
generalised to permeates (whose pH falls: the CO2 passes, the bicarbonate does not). Carbon and
boron balance across every element and stage as the engine's solutes do.

TDS excludes dissolved CO2 (Standard Methods 2540 C dries the residue at 180 degC: the CO2 is
gone; WAVE reports TDS the same way); :func:`tds_molar_masses` gives the masses that count.

Limits. :func:`allowed_limits` gives the largest saturation allowed in a concentrate, without or
with an antiscalant (calcite as the Langelier index of ASTM D3739 below 10 g/L TDS and the Stiff &
Davis index above; the other minerals as percent saturation). The defaults are the usual vendor
guidance; a ``limits`` mapping (e.g. an antiscalant's data, :mod:`osmolab.thermo.dosing`) replaces
any of them. Streams over a limit give warnings that name the stream, the mineral and the remedy.

This module computes on request (``ROResult.to_dict()`` calls :func:`stream_chemistry` once per
case); the projection itself does not wait for it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from ..errors import InputError, suggest
from ..thermo.dosing import _solve_ph as _bisect_ph
from ..thermo.scaling import (
    HIGH_PH,
    SALINE_TDS,
    judged_calcite,
    range_notes,
    scaling_indices,
)
from ..thermo.speciation import speciate
from .feedwater import interpolate
from .march import (
    CASE_CONCENTRATE_WATER,
    CASE_PERMEATE_WATER,
    EL_PERMEATE_WATER,
)

__all__ = [
    "DEFAULT_LIMITS",
    "borate_fraction",
    "resplit_boron",
    "SALINE_TDS",
    "HIGH_PH",
    "judged_calcite",
    "allowed_limits",
    "pass_element_streams",
    "solve_ph",
    "stream_chemistry",
    "tds_molar_masses",
]

#: engine solute -> (speciation total, moles of the total per mole of solute)
_TOTALS = {
    "Ca+2": "Ca+2", "Mg+2": "Mg+2", "Na+": "Na+", "K+": "K+", "Sr+2": "Sr+2", "Ba+2": "Ba+2",
    "SO4-2": "SO4-2", "F-": "F-", "Cl-": "Cl-", "NO3-": "NO3-", "Br-": "Br-", "Li+": "Li+",
    "NH4+": "NH4+", "B(OH)3": "B", "B(OH)4-": "B", "SiO2": "Si", "PO4-3": "P", "HPO4-2": "P",
    "H2PO4-": "P",
}
#: engine solutes that carry alkalinity [eq/mol] (PHREEQC's definition)
_ALKALINITY = {"HCO3-": 1.0, "CO3-2": 2.0, "B(OH)4-": 1.0, "OH-": 1.0, "H+": -1.0,
               "PO4-3": 2.0, "HPO4-2": 1.0}
#: engine solutes of the charged (membrane-rejected) inorganic carbon
_CARBON = ("HCO3-", "CO3-2")
_M_CO2 = 44.0095  # g/mol
_M_CACO3_EQ = 50.0435  # g per equivalent "as CaCO3"

#: Allowed saturation in a concentrate, without and with an antiscalant: calcite as an index
#: (LSI/S&DSI) [-], the other minerals as percent saturation [%]. Usual vendor guidance (e.g.
#: DuPont FilmTec Technical Manual 45-D01504, "scale control"; antiscalant suppliers' limits):
#: no scale above saturation without antiscalant (LSI 0, 100 %); with one, LSI 1.8, gypsum
#: 230 %, celestite 800 %, barite 6,000 %, fluorite 12,000 %, amorphous silica 100 % (silica is
#: not inhibited by ordinary antiscalants), calcium phosphate (hydroxyapatite) 100 %.
DEFAULT_LIMITS = {
    False: {"calcite": 0.0, "gypsum": 100.0, "barite": 100.0, "celestite": 100.0,
            "fluorite": 100.0, "amorphous_silica": 100.0, "hydroxyapatite": 100.0},
    True: {"calcite": 1.8, "gypsum": 230.0, "barite": 6000.0, "celestite": 800.0,
           "fluorite": 12000.0, "amorphous_silica": 100.0, "hydroxyapatite": 100.0},
}
_MINERAL_LABEL = {"calcite": "calcite", "gypsum": "gypsum (CaSO4)", "barite": "barite (BaSO4)",
                  "celestite": "celestite (SrSO4)", "fluorite": "fluorite (CaF2)",
                  "amorphous_silica": "amorphous silica",
                  "hydroxyapatite": "calcium phosphate (hydroxyapatite)"}


def allowed_limits(antiscalant: bool = False, limits: Mapping | None = None) -> dict:
    """Allowed saturation of each scale in a concentrate.

    Parameters
    ----------
    antiscalant : bool, default False
        Whether an antiscalant is dosed (the defaults of :data:`DEFAULT_LIMITS`).
    limits : mapping, optional
        Replacements ``{mineral: limit}``: ``"calcite"`` as an LSI/S&DSI [-], the others as
        percent saturation [%] (e.g. an antiscalant's limits from ``data/antiscalant_limits.csv``).

    Returns
    -------
    dict of str to float
        ``{mineral: limit}`` in those units.

    Raises
    ------
    InputError
        An unknown mineral or a limit that is not a finite number (percent > 0).

    Examples
    --------
    >>> allowed_limits(True)["calcite"], allowed_limits()["gypsum"]
    (1.8, 100.0)
    >>> allowed_limits(True, {"gypsum": 300})["gypsum"]
    300.0
    """
    out = dict(DEFAULT_LIMITS[bool(antiscalant)])
    for name, value in (limits or {}).items():
        if name not in out:
            raise InputError(f"no scaling limit for {name!r}.{suggest(str(name), list(out))}")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InputError(f"scaling limit of {name} must be a number, got {value!r}") from None
        if not math.isfinite(value) or (name != "calcite" and value <= 0):
            raise InputError(f"scaling limit of {name} must be finite (and > 0 %), got {value!r}")
        out[name] = value
    return out


def borate_fraction(ph, temperature, ionic_strength=0.0):
    """Fraction of the boron present as borate (B(OH)4- and its pairs) at a pH.

    Parameters
    ----------
    ph : numeric
        pH [-].
    temperature : numeric
        [K].
    ionic_strength : numeric, default 0
        Ionic strength [mol/kg] of an NaCl background standing for the water's salts.

    Returns
    -------
    numpy.ndarray
        Borate fraction [-] (the rest is B(OH)3).

    Notes
    -----
    From :func:`osmolab.thermo.speciation.speciate` on a trace of boron in NaCl: pKa of boric
    acid 9.24 at 25 degC in dilute water (Nordstrom et al. 1990, phreeqc.dat), lower in salt
    water (Pitzer model above 0.1 mol/kg: about 8.9 in 0.7 mol/kg NaCl; Dickson 1990 gives
    8.60 for seawater at S = 35 on the total scale, its Mg and Ca pairs lowering it further).
    An NaCl background is a simplification for seawater-like feeds.

    Examples
    --------
    >>> [round(float(f), 2) for f in borate_fraction([8.0, 9.24, 10.0], 298.15)]
    [0.05, 0.5, 0.85]
    """
    ph = np.atleast_1d(np.asarray(ph, dtype=float))
    n = max(ph.size, np.size(temperature), np.size(ionic_strength))
    salt = np.broadcast_to(np.asarray(ionic_strength, dtype=float), (n,)) + 1e-6
    spec = speciate({"B": np.full(n, 1e-6), "Na+": salt, "Cl-": salt},
                    np.broadcast_to(ph, (n,)), np.broadcast_to(temperature, (n,)))
    return 1.0 - spec["B(OH)3"] / 1e-6


def resplit_boron(solutes, species, ph, temperature, ionic_strength=0.0):
    """Solute flows with the boron split between B(OH)3 and B(OH)4- at a pH.

    The hook for a pass whose feed pH is set (caustic before a second pass): the engine
    carries the two boron species with their own membrane passage (B(OH)3 calibrated per
    element from its datasheet boron rejection, B(OH)4- at 0.3 times NaCl,
    ``data/ro_solute_passage.csv``), so the boron rejection follows the pH.

    Parameters
    ----------
    solutes : numpy.ndarray
        (N, I) solute flows [mol/s] (or molalities).
    species : sequence of str
        The I solute names; both ``"B(OH)3"`` and ``"B(OH)4-"`` must be among them, else the
        flows come back unchanged.
    ph, temperature, ionic_strength : numeric or (N,) arrays
        pH [-], [K], [mol/kg].

    Returns
    -------
    numpy.ndarray
        A copy with the boron re-split (total boron unchanged).
    """
    species = tuple(species)
    out = np.array(solutes, dtype=float, copy=True)
    if "B(OH)3" not in species or "B(OH)4-" not in species:
        return out
    j3, j4 = species.index("B(OH)3"), species.index("B(OH)4-")
    total = out[..., j3] + out[..., j4]
    fraction = borate_fraction(ph, temperature, ionic_strength)
    out[..., j4] = total * fraction
    out[..., j3] = total - out[..., j4]
    return out


def tds_molar_masses(species, molar_mass) -> np.ndarray:
    """Molar masses [kg/mol] with dissolved CO2 set to 0: what counts in the TDS.

    Examples
    --------
    >>> tds_molar_masses(("Na+", "CO2"), np.array([0.023, 0.044])).tolist()
    [0.023, 0.0]
    """
    mm = np.array(molar_mass, dtype=float)
    for j, name in enumerate(species):
        if name == "CO2":
            mm[j] = 0.0
    return mm


def pass_element_streams(pass_, case: int):
    """Concentrate of each element of a pass (all parallel vessels), by mass balance.

    Parameters
    ----------
    pass_ : dict
        One entry of ``ROResult.passes``.
    case : int

    Returns
    -------
    (feed_water, feed_solutes, water, solutes)
        Pass feed water [kg/s] and solutes [mol/s] (permeate plus concentrate), and per
        element its concentrate water [kg/s] (E,) and solutes [mol/s] (E, I): the pass feed less
        the permeate of that element and those before it.
    """
    setup, out = pass_["setup"], pass_["out"]
    v_el = setup.vessels[setup.stage_of]
    case_out = out["case"][case]
    feed_water = case_out[CASE_PERMEATE_WATER] + case_out[CASE_CONCENTRATE_WATER]
    feed_solutes = pass_["permeate_solutes"][case] + pass_["concentrate_solutes"][case]
    perm_water = out["element"][case][:, EL_PERMEATE_WATER] * v_el
    perm_solutes = out["element_solutes"][case] * v_el[:, None]
    water = feed_water - np.cumsum(perm_water)
    solutes = feed_solutes[None, :] - np.cumsum(perm_solutes, axis=0)
    return feed_water, feed_solutes, water, np.maximum(solutes, 0.0)


def solve_ph(totals, alkalinity, total_carbon, temperature, guess, iterations=12):
    """pH at which waters of given alkalinity hold given total inorganic carbon.

    Parameters
    ----------
    totals : mapping of str to array
        Speciation totals [mol/kg water] (as :func:`osmolab.thermo.speciation.speciate`).
    alkalinity, total_carbon : array
        [eq/kg water] and [mol/kg water], > 0.
    temperature : float or array
        [K].
    guess : array
        Starting pH [-].
    iterations : int, default 12
        Largest number of Newton steps.

    Returns
    -------
    Speciation
        The waters at their pH.

    Notes
    -----
    The speciation solves for the pH with the alkalinity and the carbon balances
    (``speciate(totals, None, alkalinity=..., total_carbon=...)``, one compiled Newton
    iteration per water). Should that fail or leave 3-12: Newton's method from ``guess`` on
    :math:`\\ln C_T(pH) - \\ln C_T^*`, the derivative by a forward difference
    (0.001 pH) evaluated in the same vectorised call, steps limited to 1 pH unit, the pH kept in
    3-12; converged when the carbon matches to 1e-8 relative.

    Examples
    --------
    >>> s = solve_ph({"Ca+2": [2e-3], "Cl-": [2e-3]}, [2e-3], [2.13e-3], 298.15, [7.0])
    >>> round(float(s.ph[0]), 2)
    7.45
    """
    alkalinity = np.asarray(alkalinity, dtype=float)
    try:
        spec = speciate(totals, None, temperature, alkalinity=alkalinity,
                        total_carbon=total_carbon)
        if ((spec.ph >= 3.0) & (spec.ph <= 12.0)).all():
            return spec
    except InputError:
        pass
    target = np.log(np.asarray(total_carbon, dtype=float))
    ph = np.clip(np.asarray(guess, dtype=float).copy(), 3.0, 12.0)
    n = ph.size
    twice = {k: np.concatenate([np.broadcast_to(np.asarray(v, float), (n,))] * 2)
             for k, v in totals.items()}
    temperature2 = np.concatenate([np.broadcast_to(np.asarray(temperature, float), (n,))] * 2)
    dx = 1e-3
    for _ in range(iterations):
        trial = speciate(twice, np.concatenate([ph, ph + dx]), temperature2,
                         alkalinity=np.concatenate([alkalinity, alkalinity]))
        log_c = np.log(np.maximum(trial.total_carbon, 1e-300))
        f = log_c[:n] - target
        if np.all(np.abs(f) < 1e-8):
            return _rows(trial, n)
        slope = (log_c[n:] - log_c[:n]) / dx
        step = np.clip(-f / np.where(slope < 0, slope, -1e-3), -1.0, 1.0)
        ph = np.clip(ph + step, 3.0, 12.0)
    raise InputError(f"no pH between 3 and 12 gives water {int(np.argmax(np.abs(f)))} its "
                     "carbon and alkalinity; check the feed pH and analysis")


def _rows(spec, n):
    """The first ``n`` waters of a Speciation."""
    return replace(spec, **{name: getattr(spec, name)[:n] for name in (
        "molality", "log_activity", "log_water_activity", "ph", "temperature",
        "ionic_strength", "alkalinity", "total_carbon", "model")})


def _streams(result, c):
    """Names, kinds, water [kg/s] and solutes [mol/s] of every stream of case ``c``."""
    names, kinds, water, solutes = [], [], [], []
    t = float(result.temperature[c])
    feed_m = result.feed_molality[c]
    rho_w = float(interpolate(result.table, result.table.water_density, feed_m.sum(), t))
    names.append("feed")
    kinds.append("feed")
    water.append(1.0)
    solutes.append(feed_m)
    for k, p in enumerate(result.passes):
        setup = p["setup"]
        _fw, _fs, el_water, el_solutes = pass_element_streams(p, c)
        for e in range(len(setup.models)):
            names.append(f"element {k + 1}-{int(setup.stage_of[e]) + 1}-"
                         f"{int(setup.position[e])} concentrate")
            kinds.append("element concentrate")
            water.append(el_water[e])
            solutes.append(el_solutes[e])
        perm_water = float(p["out"]["case"][c][CASE_PERMEATE_WATER])
        names.append(f"pass {k + 1} permeate")
        kinds.append("permeate")
        water.append(perm_water)
        solutes.append(p["permeate_solutes"][c])
    last = result.passes[-1]
    blend_water = float(result.blend_flow[c]) * rho_w
    perm_water = float(last["out"]["case"][c][CASE_PERMEATE_WATER])
    names.append("product")
    kinds.append("product")
    water.append(perm_water + blend_water)
    solutes.append(last["permeate_solutes"][c] + blend_water * feed_m)
    return names, kinds, np.array(water), np.array(solutes)


def _volume_per_water(result, molality, c):
    """Solution volume per kg of water [m^3/kg] of waters of molalities (S, I)."""
    t = float(result.temperature[c])
    m_tot = molality.sum(axis=1)
    return 1.0 / interpolate(result.table, result.table.water_density, m_tot,
                             np.full(m_tot.shape, t))


def stream_chemistry(result, case: int = 0, limits: Mapping | None = None,
                     antiscalant: bool = False, degas_permeate: float | None = None) -> dict:
    """pH, carbon and scaling of every stream of one case of a projection.

    Parameters
    ----------
    result : osmolab.ro.results.ROResult
    case : int, default 0
    limits : mapping, optional
        Allowed saturations replacing the defaults (see :func:`allowed_limits`).
    antiscalant : bool, default False
        Judge the concentrates against the limits with an antiscalant.
    degas_permeate : float, optional
        Fraction of the product's CO2 a degasser strips [-]: adds the stream ``product,
        degassed`` (kind ``product``), the water delivered after the degasser.

    Returns
    -------
    dict
        ``streams`` (per stream: ``stream``, ``kind``, ``pH``, ``tds_mg_L``,
        ``alkalinity_mg_L_as_CaCO3``, ``co2_mg_L``, ``total_inorganic_carbon_mmol_kg``,
        ``boron_mg_L``, ``boron_mmol_kg``, ``ionic_strength_mol_kg``, ``lsi``, ``sdsi`` (None where there is
        no calcium or carbonate), ``calcite_index`` (``"lsi"``, ``"sdsi"`` or, above pH 9,
        ``"si"`` with the calcite SI as ``si``: the one judged, :func:`judged_calcite`)
        and ``minerals``: per mineral present ``si``, ``saturation_percent``, ``limit_si``,
        ``limit`` and ``exceeds``, true only for concentrates: the limits apply in the
        membrane), ``warnings`` (list of str: the worst element of each pass per mineral),
        ``permeate_pH`` (last pass), ``concentrate_pH`` (pass 1), ``antiscalant`` and
        ``limits``. Stream kinds: ``feed``, ``element concentrate``, ``stage concentrate``,
        ``pass concentrate``, ``permeate``, ``product`` (``product, degassed`` too with
        ``degas_permeate``).

    Examples
    --------
    >>> from osmolab.ro.design import bundled_example, load_design, project
    >>> chem = stream_chemistry(project(load_design(bundled_example("brackish_2stage"))))
    >>> chem["permeate_pH"] < 7.4 < chem["concentrate_pH"]
    True
    """
    c = int(case)
    allowed = allowed_limits(antiscalant, limits)
    species = tuple(result.species)
    names, kinds, water, solutes = _streams(result, c)
    molality = solutes / np.maximum(water, 1e-300)[:, None]  # [mol/kg water]
    t = float(result.temperature[c])
    totals = {}
    for j, s in enumerate(species):
        if s in _TOTALS:
            key = _TOTALS[s]
            totals[key] = totals.get(key, 0.0) + molality[:, j]
    alkalinity = np.zeros(len(names))
    charged_carbon = np.zeros(len(names))
    for j, s in enumerate(species):
        alkalinity = alkalinity + _ALKALINITY.get(s, 0.0) * molality[:, j]
        if s in _CARBON:
            charged_carbon = charged_carbon + molality[:, j]
    alkalinity = np.maximum(alkalinity, 0.0)
    feed_ph = float(getattr(result.system.feed, "ph", 7.0))
    n = len(names)
    if alkalinity[0] > 0 and charged_carbon[0] > 0:
        feed = speciate({k: v[:1] for k, v in totals.items()}, feed_ph, t,
                        alkalinity=alkalinity[:1])
        co2 = float(feed["CO2"][0])
        kappa = (float(feed.total_carbon[0]) - co2) / charged_carbon[0]
        carbon = co2 + kappa * charged_carbon
        ratio = np.maximum(charged_carbon / charged_carbon[0], 1e-12)
        guess = feed_ph + np.log10(ratio)
        guess[0] = feed_ph
        dosed, free_co2 = _dosed_ph(result, names, c)  # streams of treated passes: own carbon
        own = np.isfinite(dosed) & (alkalinity > 0)
        if own.any():
            co2_engine = molality[:, species.index("CO2")] if "CO2" in species else free_co2
            carbon = np.where(own, charged_carbon + co2_engine, carbon)
        carried = (alkalinity > 0) & ~own
        spec = solve_ph({k: v[carried] for k, v in totals.items()}, alkalinity[carried],
                        carbon[carried], t, guess[carried])
        ph = np.full(n, feed_ph)
        ph[carried] = spec.ph
        if own.any():  # bracketed: these waters span pH 5 to 11
            found = _bisect_ph({k: v[own] for k, v in totals.items()}, alkalinity[own],
                               carbon[own], t, np.full(own.sum(), 2.5),
                               np.full(own.sum(), 12.5), strict=False)
            ph[own] = np.where(np.isfinite(found), found, dosed[own])
            carried = carried | own
        if carried.all() and not own.any():
            spec.ph[0] = feed_ph
        else:  # streams without alkalinity keep the feed pH (no carbonate to set it)
            spec = speciate(totals, ph, t, alkalinity=alkalinity)
    else:
        spec = speciate(totals, np.full(n, feed_ph), t)
    indices = _indices(spec)  # absent ions: -inf, left out
    volume = _volume_per_water(result, molality, c)  # m^3 per kg water
    mm_tds = tds_molar_masses(species, result.molar_mass)
    tds = (molality @ mm_tds) / volume * 1e3  # mg/L
    per_litre = 1e-3 / volume  # kg water per litre
    boron = totals.get("B", np.zeros(n))
    rows, warnings = [], []
    worst = {}  # (pass, mineral) -> (excess, row index)
    columns = _columns(spec, indices, tds, per_litre, boron)
    for i, name in enumerate(names):
        rows.append(_stream_row(name, kinds[i], columns, i, allowed))
        for mineral, data in rows[-1]["minerals"].items():
            if data["exceeds"]:
                # the worst element by the saturation index itself: the calcite index
                # switches from LSI to S&DSI along a pass, and the two are not comparable
                key = (name.split()[1].split("-")[0], mineral)
                if key not in worst or data["si"] > worst[key][0]:
                    worst[key] = (data["si"], i)
    if degas_permeate:
        rows.append(_degassed_product(names.index("product"), spec, totals, alkalinity, t,
                                      float(degas_permeate), tds, per_litre, boron, allowed))
    pass_ph = [p.get("feed_ph") for p in result.passes]  # a pass feed dosed to a pH (NaOH)
    for (k, mineral), (_excess, i) in sorted(worst.items(), key=lambda kv: kv[1][1]):
        caustic = pass_ph[int(k) - 1] if int(k) > 1 else None
        warnings.append(_warning(rows[i], mineral, antiscalant, feed_ph, caustic))
    present = dict.fromkeys(m for r in rows for m in r["minerals"])
    warnings.extend(f"water chemistry: {note}" for note in range_notes(t, present))
    rows = _with_stage_rows(result, rows)
    permeates = [r for r in rows if r["kind"] == "permeate"]
    first_concentrate = [r for r in rows if r["kind"] == "element concentrate"
                         and r["stream"].startswith("element 1-")]
    return {
        "streams": rows,
        "warnings": warnings,
        "permeate_pH": permeates[-1]["pH"],
        "concentrate_pH": first_concentrate[-1]["pH"] if first_concentrate else None,
        "antiscalant": bool(antiscalant),
        "limits": allowed,
    }


def _dosed_ph(result, names, case=0):
    """Per stream: the pH its pass feed was dosed to (NaOH before a second pass,
    :func:`osmolab.ro.train.dose_pass_feed`; the raw feed's pH where a pass feed was only
    degassed or an earlier pass was treated), NaN for streams of untreated passes, and the CO2
    [mol/kg] those streams hold beside the engine's solutes (0 where the engine carries CO2).
    Treated streams take their carbon from the engine (the dose re-split it, the degasser took
    CO2), not from the raw feed's CO2."""
    feed_ph = float(getattr(result.system.feed, "ph", 7.0))
    set_ph, free = [], []
    for p in result.passes:
        treated = p.get("treated", p.get("feed_ph") is not None)
        set_ph.append(p.get("feed_ph") if p.get("feed_ph") is not None
                      else (feed_ph if treated else None))
        free.append(p.get("feed_free_co2"))
    out, co2 = np.full(len(names), np.nan), np.zeros(len(names))
    for i, name in enumerate(names):
        word = name.split()
        if word[0] == "element":
            k = int(word[1].split("-")[0]) - 1
        elif word[0] == "pass":
            k = int(word[1]) - 1
        elif word[0] == "product":
            k = len(set_ph) - 1
        else:
            continue
        if set_ph[k] is not None:
            out[i] = set_ph[k]
            co2[i] = 0.0 if free[k] is None else float(np.asarray(free[k]).reshape(-1)[case])
    return out, co2


def _with_stage_rows(result, rows):
    """Rows with the stage and pass concentrates (copies of the last element of each) after
    the last element of each stage."""
    out = []
    by_name = {r["stream"]: r for r in rows}
    for row in rows:
        out.append(row)
        if row["kind"] != "permeate":
            continue
        k = int(row["stream"].split()[1]) - 1
        setup = result.passes[k]["setup"]
        for s in range(len(setup.vessels)):
            last = np.nonzero(setup.stage_of == s)[0][-1]
            element = by_name[f"element {k + 1}-{s + 1}-{int(setup.position[last])} concentrate"]
            out.insert(len(out) - 1, dict(element, stream=f"pass {k + 1} stage {s + 1} concentrate",
                                          kind="stage concentrate"))
        out.insert(len(out) - 1, dict(out[-2], stream=f"pass {k + 1} concentrate",
                                      kind="pass concentrate"))
    return out


def _judged(indices, tds, ph):
    """:func:`judged_calcite` of every water of ``indices`` (NaN SI without calcite)."""
    saturation = indices["saturation_index"]
    si = saturation["calcite"] if "calcite" in saturation else np.full(np.shape(tds), np.nan)
    return judged_calcite(indices["lsi"], indices["sdsi"], si, tds, ph)


def _columns(spec, indices, tds, per_litre, boron):
    """Per-water values of the scaling rows as Python lists (converted once per column, not
    once per row: the rows are built in a Python loop)."""
    value, name = _judged(indices, tds, spec.ph)
    with np.errstate(invalid="ignore", over="ignore"):
        arrays = {
            "pH": spec.ph, "tds_mg_L": tds,
            "alkalinity_mg_L_as_CaCO3": spec.alkalinity * per_litre * _M_CACO3_EQ * 1e3,
            "co2_mg_L": spec["CO2"] * per_litre * _M_CO2 * 1e3,
            "total_inorganic_carbon_mmol_kg": spec.total_carbon * 1e3,
            "boron_mg_L": boron * per_litre * 10.811e3, "boron_mmol_kg": boron * 1e3,
            "ionic_strength_mol_kg": spec.ionic_strength,
            "lsi": indices["lsi"], "sdsi": indices["sdsi"], "si": value, "calcite_index": name,
        }
    columns = {key: np.asarray(v).tolist() for key, v in arrays.items()}
    columns["minerals"] = {m: np.asarray(si, dtype=float).tolist()
                           for m, si in indices["saturation_index"].items()}
    return columns


def _stream_row(name, kind, columns, i, allowed):
    """The scaling row of water ``i`` (see :func:`stream_chemistry`) from :func:`_columns`."""
    value, index_name = columns["si"][i], columns["calcite_index"][i]
    finite = math.isfinite
    minerals = {}
    for mineral, values in columns["minerals"].items():
        si_i = values[i]
        if not finite(si_i):
            continue
        limit = allowed[mineral]
        if mineral == "calcite":
            limit_si = limit
            exceeds = finite(value) and value > limit
        else:
            limit_si = math.log10(limit / 100.0)
            exceeds = si_i > limit_si
        minerals[mineral] = {"si": si_i, "saturation_percent": 100.0 * 10.0 ** si_i,
                             "limit_si": limit_si, "limit": limit,
                             "exceeds": bool(exceeds and kind == "element concentrate")}
    row = {"stream": name, "kind": kind}
    for key in ("pH", "tds_mg_L", "alkalinity_mg_L_as_CaCO3", "co2_mg_L",
                "total_inorganic_carbon_mmol_kg", "boron_mg_L", "boron_mmol_kg",
                "ionic_strength_mol_kg"):
        x = columns[key][i]
        row[key] = x if finite(x) else None
    for key in ("lsi", "sdsi"):  # null without calcium or carbonate
        row[key] = columns[key][i] if finite(columns[key][i]) else None
    if index_name == "si" and finite(value):
        row["si"] = value
    row["calcite_index"] = index_name
    row["minerals"] = minerals
    return row


def _degassed_product(p, spec, totals, alkalinity, t, fraction, tds, per_litre, boron, allowed):
    """The product after a degasser stripping ``fraction`` of its CO2: the same alkalinity,
    less carbon, a higher pH (a forced-draft decarbonator, e.g. 85-90 % of the CO2; see
    :func:`osmolab.thermo.dosing.degas`). TDS excludes CO2, so it is the product's."""
    carbon = float(spec.total_carbon[p]) - fraction * float(spec["CO2"][p])
    if not (alkalinity[p] > 0 and carbon > 0):  # no carbonate: nothing to strip
        out, i = spec, p
    else:
        out = solve_ph({k: v[p:p + 1] for k, v in totals.items()}, alkalinity[p:p + 1],
                       np.array([carbon]), t, spec.ph[p:p + 1] + 1.0)
        i = 0
    m = out.ph.size  # the degassed water alone, or (no carbonate) the product among all
    columns = _columns(out, _indices(out), np.full(m, tds[p]), np.full(m, per_litre[p]),
                       np.full(m, boron[p]))
    return _stream_row("product, degassed", "product", columns, i, allowed)


def _indices(spec):
    """:func:`osmolab.thermo.scaling.scaling_indices`, absent ions left as -inf quietly."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return scaling_indices(spec)


def _warning(row, mineral, antiscalant, feed_ph, caustic_ph=None):
    """One warning line: the stream, the mineral, its value and limit, and the remedies.

    ``caustic_ph``: the pH a later pass's feed was dosed to (NaOH), for a stream of that pass;
    its calcite remedy is a lower dose, not acid on the raw feed. For the raw feed the pH to
    aim at is the index excess taken off the feed pH (the index falls about one unit per pH
    unit; the acid's CO2 makes the true drop a little larger, so the estimate errs on the
    safe side), and ``chemistry.acid`` with ``target_lsi`` computes the dose itself.
    """
    data = row["minerals"][mineral]
    where = "with" if antiscalant else "without"
    stronger = "use a stronger antiscalant" if antiscalant else "use an antiscalant"
    if mineral == "calcite":
        index = row["calcite_index"]
        value = row[index]
        head = (f"{row['stream']}: calcite {index.upper()} {value:.2f} above {data['limit']:g} "
                f"{where} antiscalant: ")
        if caustic_ph is not None:
            return (head + f"dose less caustic before this pass (its feed is at pH "
                    f"{float(caustic_ph):.1f}), {stronger}, or lower the recovery")
        target = feed_ph - (value - data["limit"])
        return (head + f"dose acid (feed pH from {feed_ph:.1f} to about {target:.1f}; "
                f"chemistry.acid with target_lsi: {data['limit']:g} gives the exact dose), "
                f"{stronger}, or lower the recovery")
    label = _MINERAL_LABEL[mineral]
    remedy = {
        "gypsum": "use an antiscalant for sulfate scales (and HCl, not H2SO4, for pH control)",
        "barite": "use an antiscalant for sulfate scales",
        "celestite": "use an antiscalant for sulfate scales",
        "fluorite": "use an antiscalant",
        "amorphous_silica": "raise the temperature or the pH, or use a silica dispersant",
        "hydroxyapatite": "dose acid or remove phosphate",
    }[mineral]
    if antiscalant and mineral in ("gypsum", "barite", "celestite", "fluorite"):
        remedy = remedy.replace("use an antiscalant", "use a stronger antiscalant")
    return (f"{row['stream']}: {label} at {data['saturation_percent']:,.0f} % saturation, above "
            f"{data['limit']:,g} % {where} antiscalant: {remedy}, or lower the recovery")
