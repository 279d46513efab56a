r"""Chemical adjustment of an RO feed: acid, caustic, CO2 degassing and antiscalant limits.

:func:`acid_dose` finds the sulfuric or hydrochloric acid that brings a water to a target pH,
or its RO concentrate (at a concentration factor) to a target Langelier index;
:func:`caustic_dose` the sodium hydroxide that raises a water (a second-pass feed, for boron
rejection) to a target pH; :func:`degas` the pH after CO2 is stripped (a forced-draft
degasifier on the permeate); :func:`allowed_limits` the concentrate limits of each scale
without and with an antiscalant (``data/antiscalant_limits.csv``, each row with its source).

The chemistry is that of :func:`osmolab.thermo.speciation.speciate`. A strong acid adds
:math:`n` equivalents of H+ per kg of water: the alkalinity falls by exactly :math:`n`
(:math:`\mathrm{Alk}' = \mathrm{Alk} - n`; HCO3- + H+ -> CO2), the total inorganic carbon
:math:`C_T` is unchanged (the CO2 stays dissolved), and :math:`n/2` mol of SO4-2 (or :math:`n`
of Cl-) joins the water. Caustic is the mirror image (alkalinity up by :math:`n`, Na+ added).
Degassing removes a fraction of the CO2(aq): :math:`C_T` falls, the alkalinity does not. In every
case the new pH is the one at which the speciation of the new totals with :math:`C_T` carries the
new alkalinity (bisection on the pH, all candidate waters at once). For a target pH the dose is
found directly, :math:`n = \mathrm{Alk} - \mathrm{Alk}(pH_{target}, C_T)`, iterated a few times
because the added sulfate pairs a little of the calcium and sodium.

Doses are kept in kg/m3 (= g/L) of 100 % chemical inside; :meth:`Adjustment.to_dict` gives mg/L of
100 % chemical and of the commercial product (98 % H2SO4, 33 % HCl, 50 % NaOH by mass) and, given
a flow, kg/day.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from ..data import load_csv
from ..errors import InputError, finite_number, suggest
from .analysis import WaterAnalysis, check_factor, concentrate
from .scaling import HIGH_PH, MINERALS, scaling_indices
from .speciation import speciate
from .water import density_Kell

__all__ = [
    "ACIDS",
    "BASES",
    "MIN_PH",
    "Adjustment",
    "acid_dose",
    "allowed_limits",
    "antiscalant_names",
    "carbonate_end_point",
    "caustic_dose",
    "check_limits",
    "chemical_adjustment",
    "degas",
    "limit_sources",
]

#: Acids: molar mass [g/mol], H+ per mol, the anion added, mass fraction of the commercial
#: product and its density [kg/L] (98 % sulfuric acid 1.84 kg/L; 33 % hydrochloric acid
#: 1.16 kg/L; CRC Handbook of Chemistry and Physics, concentrative properties of aqueous
#: solutions).
ACIDS = {
    "H2SO4": {"molar_mass": 98.079, "equivalents": 2, "ion": "SO4-2", "ion_per_mol": 1.0,
              "ion_molar_mass": 96.0626, "strength": 0.98, "density_kg_L": 1.84},
    "HCl": {"molar_mass": 36.461, "equivalents": 1, "ion": "Cl-", "ion_per_mol": 1.0,
            "ion_molar_mass": 35.453, "strength": 0.33, "density_kg_L": 1.16},
}
#: Bases: as :data:`ACIDS`, OH- per mol (50 % NaOH, 1.52 kg/L).
BASES = {
    "NaOH": {"molar_mass": 39.997, "equivalents": 1, "ion": "Na+", "ion_per_mol": 1.0,
             "ion_molar_mass": 22.98977, "strength": 0.50, "density_kg_L": 1.52},
}
#: Lowest pH an acid dose may drive a water to [-]: below it the dose is a mistake (the
#: alkalinity is gone near pH 4.5 and every further drop only adds free acid).
MIN_PH = 2.0
_HCO3_G_PER_EQ = 61.0168
_CO2_G_PER_MOL = 44.0095
_BISECTIONS = 40


@dataclass
class Adjustment:
    """A chemical adjustment of a water: the dose and the adjusted water.

    Attributes
    ----------
    chemical : str
        ``"H2SO4"``, ``"HCl"``, ``"NaOH"`` or ``"CO2 removed"`` (degassing).
    dose : float
        Dose of 100 % chemical [kg/m^3 of water] (for degassing: CO2 removed).
    strength : float
        Mass fraction of the commercial product [-] (1 for degassing).
    feed, water : WaterAnalysis
        The water before and after the adjustment.
    target : dict
        What the dose was solved for (``target_ph``, ``target_lsi``, ``concentration_factor``,
        ``co2_removal``).
    """

    chemical: str
    dose: float
    strength: float
    feed: WaterAnalysis
    water: WaterAnalysis
    target: dict = field(default_factory=dict)

    @property
    def commercial_dose(self):
        """Dose of the commercial product [kg/m^3]."""
        return self.dose / self.strength

    def kg_per_day(self, flow):
        """Consumption of 100 % chemical [kg/day] at a flow [m^3/s]."""
        flow = finite_number(flow, "flow")
        if flow < 0:
            raise InputError(f"the flow must be >= 0, got {flow:g} m3/s")
        return self.dose * flow * 86400.0

    def to_dict(self, flow=None):
        """Plain numbers with unit-named keys; ``flow`` [m^3/s] adds kg/day."""
        out = {
            "chemical": self.chemical,
            **self.target,
            "dose_mg_L": 1e3 * self.dose,
            "commercial_strength_percent": 100.0 * self.strength,
            "commercial_dose_mg_L": 1e3 * self.commercial_dose,
            "ph_before": self.feed.ph,
            "ph_after": self.water.ph,
        }
        if flow is not None:
            out["flow_m3_h"] = 3600.0 * finite_number(flow, "flow")
            out["dose_kg_day"] = self.kg_per_day(flow)
            out["commercial_dose_kg_day"] = self.kg_per_day(flow) / self.strength
        return out


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def _water_per_litre(tds_mg_l, temperature):
    """kg of water per litre of solution (pure water density plus 0.75 kg per kg of salts)."""
    return density_Kell(temperature) / 1e3 - 0.25 * tds_mg_l * 1e-6


def _rows(totals, n):
    return {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy() for k, v in totals.items()}


def _solve_ph(totals, alkalinity, total_carbon, temperature, low, high, model="auto",
              strict=True):
    """pH at which the speciation of ``totals`` with ``total_carbon`` carries ``alkalinity``.

    All arrays of one length; bisection between ``low`` and ``high`` (the alkalinity at fixed
    carbon rises with the pH). Raises InputError when the answer is at a bound (``strict``),
    else returns NaN there.
    """
    low = np.asarray(low, dtype=float).copy()
    high = np.asarray(high, dtype=float).copy()
    bounds = (low.copy(), high.copy())
    for _ in range(_BISECTIONS):
        middle = 0.5 * (low + high)
        trial = speciate(totals, middle, temperature, total_carbon=total_carbon, model=model)
        too_acid = trial.alkalinity < alkalinity
        low = np.where(too_acid, middle, low)
        high = np.where(too_acid, high, middle)
    ph = 0.5 * (low + high)
    at_low = np.isclose(ph, bounds[0], atol=1e-6)
    at_high = np.isclose(ph, bounds[1], atol=1e-6)
    if not strict:
        return np.where(at_low | at_high, np.nan, ph)
    if (at_low & (bounds[0] <= MIN_PH)).any():
        raise InputError(f"the dose would drive the pH below {MIN_PH:g}; ask for a smaller dose "
                         "or a higher target")
    if (at_low | at_high).any():
        raise InputError(
            f"no pH between {float(bounds[0].min()):.3g} and {float(bounds[1].max()):.3g} carries "
            "the adjusted alkalinity and carbon; check the analysis and the dose"
        )
    return ph


def _with_ion(totals, ion, amount):
    out = dict(totals)
    out[ion] = out.get(ion, 0.0) + amount
    return out


def _adjusted_water(feed: WaterAnalysis, totals, ph, total_carbon, tds, model="auto"):
    """A WaterAnalysis of new totals at a pH with total carbon conserved."""
    s = speciate(totals, ph, feed.temperature, total_carbon=total_carbon, model=model)
    alkalinity = float(s.alkalinity[0]) if total_carbon > 0 else 0.0
    return WaterAnalysis(
        totals={k: float(np.asarray(v).reshape(-1)[0]) for k, v in totals.items()},
        alkalinity=alkalinity, ph=float(ph), temperature=feed.temperature, tds=float(tds),
        imbalance=feed.imbalance, adjusted=feed.adjusted, speciation=s,
    )


def _check_water(water):
    if not isinstance(water, WaterAnalysis):
        raise InputError("give the water as a WaterAnalysis (osmolab.thermo.analysis.water_analysis)")


def _chemical(name, table, kind):
    if name not in table:
        raise InputError(f"unknown {kind} {name!r}.{suggest(str(name), table)} Known: "
                         f"{', '.join(table)}.")
    return table[name]


def _strong_dose(feed, chem, sign, target_ph, model="auto"):
    """Equivalents per kg water of a strong acid (sign -1) or base (+1) to reach ``target_ph``.

    ``target_ph`` an array: one dose per target, all solved together. Returns (n, totals) with
    n [eq/kg water] and the adjusted totals (arrays).
    """
    target_ph = np.atleast_1d(np.asarray(target_ph, dtype=float))
    size = target_ph.size
    carbon = np.full(size, float(feed.speciation.total_carbon[0]))
    alk0 = float(feed.speciation.alkalinity[0])
    ion_per_eq = chem["ion_per_mol"] / chem["equivalents"]
    base = _rows(feed.totals, size)
    n = np.zeros(size)
    for _ in range(5):
        totals = _with_ion(base, chem["ion"], np.maximum(n, 0.0) * ion_per_eq)
        s = speciate(totals, target_ph, feed.temperature, total_carbon=carbon, model=model)
        new = sign * (s.alkalinity - alk0)
        if np.allclose(new, n, rtol=1e-9, atol=1e-12):
            n = new
            break
        n = new
    return n, _with_ion(base, chem["ion"], np.maximum(n, 0.0) * ion_per_eq)


def _dose_kg_m3(feed, chem, n):
    """kg/m3 of 100 % chemical from eq/kg water."""
    litre_water = _water_per_litre(feed.tds, feed.temperature)
    return n * litre_water * chem["molar_mass"] / chem["equivalents"]


def _tds_after(feed, chem, n, acid):
    """TDS [mg/L] after the dose: the ion added, and for an acid HCO3- lost to CO2 (not TDS)."""
    litre_water = _water_per_litre(feed.tds, feed.temperature)
    ion = n * chem["ion_per_mol"] / chem["equivalents"] * chem["ion_molar_mass"] * 1e3
    change = ion - (n * _HCO3_G_PER_EQ * 1e3 if acid else 0.0)
    return np.maximum(feed.tds + change * litre_water, 0.0)


def _concentrate_lsi(feed, totals, alkalinity, carbon, ph, factor, model="auto",
                     co2_removal=0.0):
    """LSI of the concentrates (factor f, CO2 passing) of candidate feeds (arrays), each
    degassed first by ``co2_removal`` (a degasser between the acid and the membrane)."""
    s = speciate(totals, ph, feed.temperature, total_carbon=carbon, model=model)
    co2 = s["CO2"]
    if co2_removal > 0.0:
        carbon = carbon - co2_removal * co2
        ph = _solve_ph(totals, alkalinity, carbon, feed.temperature, np.maximum(ph - 0.05, 0.0),
                       np.minimum(ph + 6.0, 14.0), model)
        s = speciate(totals, ph, feed.temperature, total_carbon=carbon, model=model)
        co2 = s["CO2"]
    c_totals = {k: v * factor for k, v in totals.items()}
    c_alk = alkalinity * factor
    c_carbon = factor * (carbon - co2) + co2
    lsi = np.full(ph.shape, -np.inf)  # no alkalinity left: no calcium carbonate scale
    rows = np.flatnonzero(c_alk > 0)
    if rows.size == 0:
        return lsi
    c_totals = {k: v[rows] for k, v in c_totals.items()}
    c_ph = _solve_ph(c_totals, c_alk[rows], c_carbon[rows], feed.temperature,
                     np.maximum(ph[rows] - 2.0, 0.5), np.minimum(ph[rows] + 3.0, 14.0), model,
                     strict=False)
    good = np.isfinite(c_ph)
    if not good.all():
        raise InputError("no concentrate pH within 2 units below to 3 above the feed's matches "
                         "its carbon and alkalinity; check the analysis")
    brine = speciate(c_totals, c_ph, feed.temperature, total_carbon=c_carbon[rows], model=model)
    with np.errstate(invalid="ignore", divide="ignore"):
        lsi[rows] = scaling_indices(brine, minerals=("calcite",))["lsi"]
    return lsi


# --------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------
def carbonate_end_point(water: WaterAnalysis, model="auto") -> float:
    """pH at which an acid has used up the water's alkalinity (its carbonate end point) [-].

    The pH at which the water's totals with its total inorganic carbon :math:`C_T` carry zero
    total alkalinity (HCO3- + 2 CO3-2 + OH- + borate ... = H+): about 4.3-4.5 for brackish
    waters, lower the more carbon they hold. Below it every further dose is free mineral acid,
    all the carbon is CO2, and the alkalinity is negative: :func:`acid_dose` refuses such
    targets.

    Parameters
    ----------
    water : WaterAnalysis
        The water.
    model : str, default "auto"
        Activity model.

    Returns
    -------
    float
        pH of the end point [-] (bisection to 1e-6 between pH 1 and 14).

    Examples
    --------
    >>> from osmolab.thermo.analysis import water_analysis
    >>> w = water_analysis("Ca+2 60 mg/L, Na+ 115 mg/L, HCO3- 250 mg/L, Cl- 150 mg/L", ph=7.8,
    ...                    balance="Cl-")
    >>> round(carbonate_end_point(w), 1)
    4.4
    """
    _check_water(water)
    return _end_point(water, model)


def _end_point(water, model="auto"):
    carbon = np.array([float(water.speciation.total_carbon[0])])
    totals = _rows(water.totals, 1)
    low, high = 1.0, 14.0
    for _ in range(24):  # the alkalinity at fixed carbon rises with the pH
        middle = 0.5 * (low + high)
        trial = speciate(totals, np.array([middle]), water.temperature, total_carbon=carbon,
                         model=model)
        if float(trial.alkalinity[0]) < 0.0:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def acid_dose(water: WaterAnalysis, acid="H2SO4", target_ph=None, target_lsi=None,
              concentration_factor=1.0, model="auto", co2_removal=0.0) -> Adjustment:
    r"""Acid dose to a target pH of the water, or to a target LSI of its RO concentrate.

    Parameters
    ----------
    water : WaterAnalysis
        The feed (:func:`osmolab.thermo.analysis.water_analysis`).
    acid : {"H2SO4", "HCl"}
        The acid.
    target_ph : float, optional
        pH of the acidified water [-], below the water's and at least :data:`MIN_PH`.
    target_lsi : float, optional
        LSI (ASTM D3739) the concentrate should reach [-]; give it instead of ``target_ph``.
    concentration_factor : float, default 1
        Concentration factor of the concentrate for ``target_lsi`` [-], 1/(1 - recovery).
    model : str, default "auto"
        Activity model of the speciation.
    co2_removal : float, default 0
        For ``target_lsi``: the fraction of CO2 a degasser strips between the acid and the
        membrane [-], 0-1 (the LSI target is for the concentrate of the degassed water; the
        acidified water returned is before the degasser, see :func:`degas`).

    Returns
    -------
    Adjustment
        The dose [kg/m^3 of 100 % acid] and the acidified water (sulfate or chloride added,
        the alkalinity consumed into CO2, total carbon conserved).

    Raises
    ------
    InputError
        An unknown acid, neither or both targets, a target pH above the water's, below 2 or
        below the water's carbonate end point (:func:`carbonate_end_point`, where the acid has
        used up the alkalinity), a concentration factor below 1 or too high, a target LSI
        that no feed pH above the end point reaches.

    Notes
    -----
    For ``target_lsi`` the feed pH is searched (33 candidate feeds at once, refined three
    times, to 1e-4 pH) from 0.1 above the carbonate end point (or 5 below the water's pH,
    whichever is higher) up to the water's pH: for each candidate the dose follows from its
    pH, the concentrate is speciated as :func:`osmolab.thermo.analysis.concentrate` does
    (every solute but CO2 concentrated) and its LSI compared with the target. A target
    already met needs no acid (dose 0); one below the LSI at the lowest candidate is refused.

    Examples
    --------
    >>> from osmolab.thermo.analysis import water_analysis
    >>> w = water_analysis("Ca+2 60 mg/L, Na+ 115 mg/L, HCO3- 250 mg/L, Cl- 150 mg/L", ph=7.8,
    ...                    balance="Cl-")
    >>> a = acid_dose(w, "H2SO4", target_ph=6.5)
    >>> round(1e3 * a.dose), round(a.water.ph, 2)
    (75, 6.5)
    """
    _check_water(water)
    chem = _chemical(acid, ACIDS, "acid")
    if (target_ph is None) == (target_lsi is None):
        raise InputError("give one target for the acid: target_ph or target_lsi")
    carbon = float(water.speciation.total_carbon[0])
    if target_ph is not None:
        target_ph = finite_number(target_ph, "target pH")
        if not 0.0 <= target_ph <= 14.0:
            raise InputError(f"target pH {target_ph:g} is outside 0-14")
        if target_ph < MIN_PH:
            raise InputError(f"target pH {target_ph:g} is below {MIN_PH:g}: no RO feed is dosed "
                             "that far; check the target")
        if target_ph > water.ph + 1e-9:
            raise InputError(f"acid lowers the pH: the target {target_ph:g} is above the water's "
                             f"pH {water.ph:g}; use caustic to raise it")
        end_point = _end_point(water, model)
        if target_ph < end_point and carbon <= 0.0:
            raise InputError(
                f"the water holds no carbonate: acid has no alkalinity to neutralise and only adds "
                f"free acid below pH {end_point:.2f}; give the HCO3- (or alkalinity) of the water"
            )
        if target_ph < end_point:
            raise InputError(
                f"target pH {target_ph:g} is below the carbonate end point of this water (pH "
                f"{end_point:.2f}), where the acid has used up all its alkalinity and more acid "
                f"only adds free acid; choose a target above pH {end_point:.2f}"
            )
        n, totals = _strong_dose(water, chem, -1.0, target_ph, model)
        target = {"target_ph": target_ph}
        ph = target_ph
    else:
        target_lsi = finite_number(target_lsi, "target LSI")
        factor = finite_number(concentration_factor, "concentration factor")
        if factor < 1.0:
            raise InputError(f"the concentration factor must be >= 1, got {factor:g}")
        check_factor(water, factor)
        removal = finite_number(co2_removal, "CO2 removal")
        if not 0.0 <= removal <= 1.0:
            raise InputError(f"the CO2 removal is a fraction 0-1, got {removal:g}")
        target = {"target_lsi": target_lsi, "concentration_factor": factor}
        if removal > 0.0:
            target["co2_removal_before_membrane"] = removal
        alk0 = float(water.speciation.alkalinity[0])
        lsi_now = _concentrate_lsi(water, _rows(water.totals, 1), np.array([alk0]),
                                   np.array([carbon]), np.array([water.ph]), factor, model,
                                   removal)[0]
        if np.isnan(lsi_now):
            raise InputError("the water has no calcium or no carbonate: its concentrate has no "
                             "LSI to bring to a target; give a target pH instead")
        if lsi_now <= target_lsi:
            return Adjustment(acid, 0.0, chem["strength"], water, water,
                              {**target, "concentrate_lsi": float(lsi_now)})
        end_point = _end_point(water, model)
        low, high = max(end_point + 0.1, water.ph - 5.0), water.ph
        if low >= high:
            raise InputError(
                f"the water's pH {water.ph:g} is at its carbonate end point (pH {end_point:.2f}): "
                "acid cannot lower its concentrate LSI"
            )
        for step in range(3):
            grid = np.linspace(low, high, 33)
            n, totals = _strong_dose(water, chem, -1.0, grid, model)
            lsi = _concentrate_lsi(water, totals, alk0 - n, np.full(grid.size, carbon), grid,
                                   factor, model, removal)
            above = lsi > target_lsi  # the last candidate, the water's own pH, always is
            if above.all():
                if step == 0:
                    raise InputError(
                        f"target LSI {target_lsi:g} cannot be reached above pH {low:.2f} (0.1 "
                        f"above the carbonate end point, pH {end_point:.2f}, where the acid has "
                        f"used up the alkalinity): the lowest concentrate LSI an acid dose "
                        f"reaches there is {float(lsi[0]):.2f}"
                    )
                raise InputError(  # pragma: no cover - the bracket holds the crossing
                    f"no acid dose down to pH {low:.3g} brings the concentrate LSI to "
                    f"{target_lsi:g}; check the analysis"
                )
            first = int(np.argmax(above))  # lowest candidate pH still above the target
            low, high = grid[first - 1], grid[first]
        ph = float(low)  # the side of the bracket that meets the target (within 1e-4 pH)
        n, totals = _strong_dose(water, chem, -1.0, ph, model)
    n = np.atleast_1d(n)
    if n[0] < -1e-12:
        raise InputError("the target needs a base, not an acid")  # pragma: no cover
    n0 = max(float(n[0]), 0.0)
    tds = float(_tds_after(water, chem, n0, acid=True))
    adjusted = _adjusted_water(water, totals, ph, carbon, tds, model)
    if target_lsi is not None:
        target["feed_ph"] = float(ph)
    return Adjustment(acid, float(_dose_kg_m3(water, chem, n0)), chem["strength"], water,
                      adjusted, target)


def caustic_dose(water: WaterAnalysis, target_ph, base="NaOH", model="auto") -> Adjustment:
    """Caustic dose raising a water to a target pH (e.g. a second-pass feed, for boron).

    Parameters
    ----------
    water : WaterAnalysis
        The water (e.g. the first-pass permeate).
    target_ph : float
        pH after dosing [-], above the water's and at most 14.
    base : {"NaOH"}
        The base.
    model : str, default "auto"
        Activity model.

    Returns
    -------
    Adjustment
        Dose [kg/m^3 of 100 % NaOH] and the adjusted water (Na+ added; CO2 turned into HCO3-
        and CO3-2, boric acid into borate; total carbon conserved).

    Examples
    --------
    >>> from osmolab.thermo.analysis import water_analysis
    >>> w = water_analysis("Na+ 100 mg/L, Cl- 150 mg/L, B 0.8 mg/L", ph=6.0, balance="Cl-")
    >>> round(caustic_dose(w, 10.0).water.ph, 2)
    10.0
    """
    _check_water(water)
    chem = _chemical(base, BASES, "base")
    target_ph = finite_number(target_ph, "target pH")
    if not 0.0 <= target_ph <= 14.0:
        raise InputError(f"target pH {target_ph:g} is outside 0-14")
    if target_ph < water.ph - 1e-9:
        raise InputError(f"caustic raises the pH: the target {target_ph:g} is below the water's "
                         f"pH {water.ph:g}; use acid to lower it")
    carbon = float(water.speciation.total_carbon[0])
    n, totals = _strong_dose(water, chem, +1.0, target_ph, model)
    n0 = max(float(n[0]), 0.0)
    tds = float(_tds_after(water, chem, n0, acid=False))
    adjusted = _adjusted_water(water, totals, target_ph, carbon, tds, model)
    return Adjustment(base, float(_dose_kg_m3(water, chem, n0)), chem["strength"], water,
                      adjusted, {"target_ph": target_ph})


def degas(water: WaterAnalysis, co2_removal=0.9, model="auto") -> Adjustment:
    """Strip a fraction of the dissolved CO2 (forced-draft degasifier): the pH rises.

    Parameters
    ----------
    water : WaterAnalysis
        The water (e.g. an RO permeate, rich in CO2 that passed the membrane).
    co2_removal : float, default 0.9
        Fraction of CO2(aq) removed [-], 0-1. Forced-draft decarbonators remove 85-90 % of the
        CO2 (Europrogetti, "Decarbonating unit / degaser", product note; an outlet of 5-15 mg/L
        CO2 is the usual guarantee), hence the default 0.9.
    model : str, default "auto"
        Activity model.

    Returns
    -------
    Adjustment
        ``dose``: CO2 removed [kg/m^3]; the degassed water (alkalinity unchanged, total carbon
        lowered by the CO2 removed, pH re-solved).

    Examples
    --------
    >>> from osmolab.thermo.analysis import water_analysis
    >>> w = water_analysis("Na+ 5 mg/L, HCO3- 10 mg/L, Cl- 1.9 mg/L", ph=5.5)
    >>> round(degas(w, 0.9).water.ph, 1)
    6.5
    """
    _check_water(water)
    removal = finite_number(co2_removal, "CO2 removal")
    if not 0.0 <= removal <= 1.0:
        raise InputError(f"the CO2 removal is a fraction 0-1, got {removal:g}")
    s = water.speciation
    co2 = float(s["CO2"][0])
    carbon = float(s.total_carbon[0]) - removal * co2
    alkalinity = float(s.alkalinity[0])
    totals = _rows(water.totals, 1)
    if removal == 0.0 or co2 <= 0.0:
        ph = water.ph
    else:
        # the pH rises (less CO2, the same alkalinity): bracket from just below the water's
        ph = float(_solve_ph(totals, np.array([alkalinity]), np.array([carbon]),
                             water.temperature, np.array([max(water.ph - 0.05, 0.0)]),
                             np.array([min(14.0, water.ph + 6.0)]), model)[0])
        ph = max(ph, water.ph)  # a vanishing removal: the bisection's last digits
    adjusted = _adjusted_water(water, totals, ph, carbon, water.tds, model)
    removed = removal * co2 * _CO2_G_PER_MOL * _water_per_litre(water.tds, water.temperature)
    return Adjustment("CO2 removed", float(removed), 1.0, water, adjusted,
                      {"co2_removal": removal})


# --------------------------------------------------------------------------------------
# antiscalant limits
# --------------------------------------------------------------------------------------
@functools.cache
def _limit_table():
    table = load_csv("antiscalant_limits.csv")
    out = {}
    for row in table.itertuples(index=False):
        out.setdefault(str(row.antiscalant), {})[str(row.index)] = {
            "limit": float(row.limit), "unit": str(row.unit),
            "confidence": str(row.confidence), "source": str(row.source),
        }
    return out


def antiscalant_names():
    """Names of the antiscalant rows in ``data/antiscalant_limits.csv`` (``"none"`` first)."""
    return list(_limit_table())


def _limits_of(antiscalant):
    name = "none" if antiscalant is None else str(antiscalant)
    table = _limit_table()
    if name not in table:
        raise InputError(f"unknown antiscalant {name!r}.{suggest(name, table)} Known: "
                         f"{', '.join(table)}.")
    return table[name]


def allowed_limits(antiscalant=None) -> dict:
    """Largest LSI, S&DSI and percent saturation allowed in a concentrate.

    Parameters
    ----------
    antiscalant : str, optional
        ``None`` or ``"none"``: no antiscalant; ``"generic"``: a modern antiscalant; or a
        name from :func:`antiscalant_names`.

    Returns
    -------
    dict of str to float
        ``"lsi"``, ``"sdsi"`` [-] and each mineral of :data:`osmolab.thermo.scaling.MINERALS`
        [% saturation, 100 IAP/Ksp]. Sources in :func:`limit_sources`.

    Examples
    --------
    >>> allowed_limits("generic")["gypsum"], allowed_limits()["lsi"]
    (230.0, 0.0)
    """
    return {k: v["limit"] for k, v in _limits_of(antiscalant).items()}


def limit_sources(antiscalant=None) -> dict:
    """The rows behind :func:`allowed_limits`: limit, unit, confidence and cited source."""
    return {k: dict(v) for k, v in _limits_of(antiscalant).items()}


def check_limits(speciation, antiscalant=None) -> dict:
    """Indices of speciated waters (first row) against the allowed limits.

    Parameters
    ----------
    speciation : Speciation
        E.g. a concentrate from :func:`osmolab.thermo.analysis.concentrate`.
    antiscalant : str, optional
        As :func:`allowed_limits`.

    Returns
    -------
    dict
        Per index: ``value`` (LSI, S&DSI [-] or percent saturation [%]), ``limit``, ``unit``
        and ``exceeded`` (bool). Above pH 9 (:data:`osmolab.thermo.scaling.HIGH_PH`) the LSI
        and S&DSI rows are judged by the calcite SI instead (``judged_by``, ``si``): both
        indices take the carbonate alkalinity as bicarbonate and read high there.
    """
    limits = limit_sources(antiscalant)
    indices = scaling_indices(speciation)
    values = {"lsi": float(indices["lsi"][0]), "sdsi": float(indices["sdsi"][0])}
    for mineral in MINERALS:
        si = float(indices["saturation_index"][mineral][0])
        values[mineral] = 100.0 * 10.0**si if np.isfinite(si) else 0.0
    calcite_si = float(indices["saturation_index"]["calcite"][0])
    high_ph = float(np.atleast_1d(speciation.ph)[0]) > HIGH_PH
    out = {}
    for name, row in limits.items():
        if name not in values:
            continue
        value = values[name]
        exceeded = bool(value > row["limit"])
        if high_ph and name in ("lsi", "sdsi"):
            # above pH 9 the indices read high (judged_calcite): calcite's own SI is judged
            exceeded = bool(np.isfinite(calcite_si) and calcite_si > row["limit"])
            out[name] = {"value": value, "limit": row["limit"], "unit": row["unit"],
                         "exceeded": exceeded, "judged_by": "calcite SI", "si": calcite_si}
            continue
        out[name] = {"value": value, "limit": row["limit"], "unit": row["unit"],
                     "exceeded": exceeded}
    return out


def chemical_adjustment(water: WaterAnalysis, acid=None, caustic=None, degas_co2=None,
                        antiscalant=None, concentration_factor=None, flow=None, model="auto"):
    """Acid or caustic, then degassing, with the concentrate checked against the limits.

    The one entry point the CLI (``osmolab water --acid ...``) and the design file's
    ``chemistry:`` section share.

    Parameters
    ----------
    water : WaterAnalysis
        The water to adjust.
    acid : dict, optional
        ``{"chemical": "H2SO4" | "HCl", "target_ph": ...}`` or ``{"chemical": ...,
        "target_lsi": ...}`` (the LSI of the concentrate at ``concentration_factor``).
    caustic : dict, optional
        ``{"target_ph": ..., "chemical": "NaOH"}``; not together with ``acid``.
    degas_co2 : float, optional
        Fraction of the CO2 stripped after the dosing [-]: a degasser (decarbonator) between
        the dosing point and the membrane. An acid's ``target_lsi`` is solved for the degassed
        water, the one whose concentrate is checked.
    antiscalant : str, optional
        Name for :func:`allowed_limits` (``None``: no antiscalant).
    concentration_factor : float, optional
        Concentration factor [-] of the concentrate to check (and of an LSI target).
    flow : float, optional
        Flow dosed [m^3/s], for kg/day.
    model : str, default "auto"
        Activity model.

    Returns
    -------
    tuple of (WaterAnalysis, dict)
        The adjusted water and a JSON-ready report: ``doses`` (list of
        :meth:`Adjustment.to_dict`), ``adjusted_water``, ``antiscalant``, ``allowed_limits``
        and, with a concentration factor, ``concentrate`` (each index against its limit).

    Examples
    --------
    >>> from osmolab.thermo.analysis import water_analysis
    >>> w = water_analysis("Ca+2 60 mg/L, Na+ 115 mg/L, HCO3- 250 mg/L, Cl- 150 mg/L", ph=7.8,
    ...                    balance="Cl-")
    >>> adjusted, report = chemical_adjustment(w, acid={"chemical": "HCl", "target_ph": 7.0})
    >>> round(report["doses"][0]["dose_mg_L"])
    22
    """
    if acid is not None and caustic is not None:
        raise InputError("dose acid or caustic, not both")
    limits = allowed_limits(antiscalant)  # checks the name first
    factor = None
    if concentration_factor is not None:
        factor = finite_number(concentration_factor, "concentration factor")
        if factor < 1.0:
            raise InputError(f"the concentration factor must be >= 1, got {factor:g}")
        check_factor(water, factor)
    if flow is not None:
        flow = finite_number(flow, "flow")
        if flow < 0:
            raise InputError(f"the flow must be >= 0, got {flow:g} m3/s")
    steps = []
    current = water
    if acid is not None:
        acid = dict(acid)
        unknown = set(acid) - {"chemical", "target_ph", "target_lsi"}
        if unknown:
            raise InputError(f"unknown acid setting {sorted(unknown)[0]!r}; use chemical and "
                             "target_ph or target_lsi")
        if acid.get("target_lsi") is not None and factor is None:
            raise InputError("an LSI target needs the concentration factor (or the recovery) of "
                             "the concentrate")
        # an LSI target is for the water that reaches the membrane: after the degasser
        removal = (degas_co2 if degas_co2 is not None and acid.get("target_lsi") is not None
                   else 0.0)
        steps.append(acid_dose(current, acid.get("chemical", "H2SO4"), acid.get("target_ph"),
                               acid.get("target_lsi"), factor or 1.0, model, removal))
        current = steps[-1].water
    if caustic is not None:
        caustic = dict(caustic)
        unknown = set(caustic) - {"chemical", "target_ph"}
        if unknown or caustic.get("target_ph") is None:
            raise InputError("caustic takes target_ph (and chemical: NaOH)")
        steps.append(caustic_dose(current, caustic["target_ph"], caustic.get("chemical", "NaOH"),
                                  model))
        current = steps[-1].water
    if degas_co2 is not None:
        steps.append(degas(current, degas_co2, model))
        current = steps[-1].water
    report = {
        "doses": [step.to_dict(flow) for step in steps],
        "adjusted_water": current.to_dict(),
        "antiscalant": "none" if antiscalant is None else str(antiscalant),
        "allowed_limits": limits,
    }
    if factor is not None:
        report["concentrate"] = {
            "concentration_factor": factor,
            "recovery_percent": 100.0 * (1.0 - 1.0 / factor),
            "indices": check_limits(concentrate(current, factor, model), antiscalant),
        }
    return current, report
