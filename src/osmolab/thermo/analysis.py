"""A water analysis as engineers write it, speciated and checked for scaling.

``"Ca+2 82 mg/L, Mg+2 24 mg/L, Na+ 120 mg/L, HCO3- 240 mg/L, SO4-2 96 mg/L, Cl- 180 mg/L,
SiO2 20 mg/L, B 0.5 mg/L"`` with a pH: :func:`parse_analysis` reads the items (mg/L, ppm,
mmol/L, meq/L, mol/kg, mmol/kg; boron as B, silica as SiO2, phosphate as PO4-3; the carbonate
one way: HCO3- and CO3-2 (they count as alkalinity), ``alkalinity 200 mg/L as CaCO3`` or
``alkalinity 4 meq/L``, the total inorganic carbon ``total CO2 4.1 mmol/L`` /
``TIC 49 mg/L as C``, or the free ``CO2 10 mg/L`` that goes with the pH),
:func:`water_analysis` checks the charge balance (adjusting a named ion, as WAVE does, or
refusing an imbalance above the limit), converts to molalities and speciates
(:func:`osmolab.thermo.speciation.speciate`), and :func:`concentrate` gives the water an RO
concentrate would be at a concentration factor: every solute but CO2 concentrated, CO2 passing
the membrane (the feed's CO2 is added to the concentrated HCO3- and CO3-2 as carbon, and the
concentrate re-speciated: its CO2 comes out higher than the feed's), the pH found from the
alkalinity and the carbon.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..constants import T25
from ..errors import InputError, finite_number, suggest
from .scaling import scaling_indices
from .speciation import Speciation, speciate
from .water import density_Kell

__all__ = [
    "ANALYSIS_SPECIES",
    "MAX_CONCENTRATE_IONIC_STRENGTH",
    "MAX_IMBALANCE",
    "WaterAnalysis",
    "check_factor",
    "concentrate",
    "parse_analysis",
    "water_analysis",
]

#: Names an analysis may use: name -> (speciation total, molar mass [g/mol], charge [eq/mol]).
#: HCO3- and CO3-2 go to the alkalinity (1 and 2 eq/mol); B, SiO2 and PO4-3 are totals.
ANALYSIS_SPECIES = {
    "Ca+2": ("Ca+2", 40.078, 2),
    "Mg+2": ("Mg+2", 24.305, 2),
    "Na+": ("Na+", 22.98977, 1),
    "K+": ("K+", 39.0983, 1),
    "Sr+2": ("Sr+2", 87.62, 2),
    "Ba+2": ("Ba+2", 137.327, 2),
    "NH4+": ("NH4+", 18.0385, 1),
    "Li+": ("Li+", 6.941, 1),
    "Cl-": ("Cl-", 35.453, -1),
    "SO4-2": ("SO4-2", 96.0626, -2),
    "F-": ("F-", 18.9984, -1),
    "NO3-": ("NO3-", 62.0049, -1),
    "Br-": ("Br-", 79.904, -1),
    "HCO3-": ("alkalinity", 61.0168, -1),
    "CO3-2": ("alkalinity", 60.0089, -2),
    "B": ("B", 10.811, 0),
    "SiO2": ("Si", 60.0843, 0),
    "PO4-3": ("P", 94.9714, -3),
    "alkalinity": ("alkalinity", 50.0436, -1),  # mg/L as CaCO3: 50.04 g per equivalent
    "total CO2": ("total_carbon", 44.0095, 0),  # mg/L as CO2 (or "as C"); mmol/L of carbon
    "CO2": ("free_co2", 44.0095, 0),  # dissolved (free) CO2 at the pH of the analysis
}
#: Ways to give the carbonate; an analysis uses one of them.
_CARBONATE_WAYS = {"HCO3-": "HCO3-/CO3-2", "CO3-2": "HCO3-/CO3-2", "alkalinity": "alkalinity",
                   "total CO2": "total CO2", "CO2": "free CO2"}
#: g per equivalent of alkalinity counted in the TDS: as HCO3- (what WAVE reports)
_HCO3_G_PER_EQ = 61.0168
#: Molar mass of the "as" bases of carbon amounts [g/mol]
_CARBON_BASES = {"C": 12.011, "CO2": 44.0095}
_ALIASES = {
    "Ca": "Ca+2", "Mg": "Mg+2", "Na": "Na+", "K": "K+", "Sr": "Sr+2", "Ba": "Ba+2",
    "Cl": "Cl-", "SO4": "SO4-2", "F": "F-", "NO3": "NO3-", "Br": "Br-", "HCO3": "HCO3-",
    "CO3": "CO3-2", "PO4": "PO4-3", "NH4": "NH4+", "Li": "Li+", "Si": "SiO2", "boron": "B",
    "silica": "SiO2", "Alk": "alkalinity", "Alkalinity": "alkalinity",
    "TIC": "total CO2", "DIC": "total CO2", "TCO2": "total CO2", "C_T": "total CO2",
    "total CO2": "total CO2", "CO2(aq)": "CO2", "free CO2": "CO2",
}


def _charge_spellings():
    """Other ways engineers write the charged names: "Ca2+", "Ca++", "Ca^2+", "SO42-", "Na+1"."""
    out = {}
    for name in ANALYSIS_SPECIES:
        match = re.fullmatch(r"(?P<base>[A-Za-z0-9]+?)(?P<sign>[+-])(?P<z>\d?)", name)
        if match is None:
            continue
        base, sign, z = match["base"], match["sign"], int(match["z"] or 1)
        spellings = ((f"{base}{z}{sign}", f"{base}^{z}{sign}", f"{base}{sign * z}",
                      f"{base}{sign}{z}", f"{base}({z}{sign})") if z > 1
                     else (f"{base}{sign}1", f"{base}^{sign}"))
        for spelling in spellings:
            if spelling != name:
                out.setdefault(spelling, name)
    return out


_ALIASES.update({k: v for k, v in _charge_spellings().items() if k not in _ALIASES})
_UNITS = {"mg/l": 1e-3, "ppm": 1e-3, "g/l": 1.0, "mmol/l": None, "meq/l": None,
          "mol/kg": None, "mmol/kg": None}
_ITEM = re.compile(
    r"^(?P<name>(?:(?:[Tt]otal|[Ff]ree)\s+)?\S+)\s+(?P<value>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*"
    r"(?P<unit>[A-Za-z/]+)(?:\s+as\s+(?P<basis>\S+))?$"
)
#: Largest charge imbalance |cations - anions| / (cations + anions) accepted without a
#: balancing ion (5 %: the usual acceptance limit of an analysis, Standard Methods 1030 E).
MAX_IMBALANCE = 0.05


def parse_analysis(text) -> dict:
    """Read an analysis into ``{name: (value, unit)}`` with canonical names.

    Parameters
    ----------
    text : str or mapping
        ``"Ca+2 82 mg/L, HCO3- 240 mg/L, ..."`` (items separated by commas or semicolons), or
        a mapping of name to ``"82 mg/L"`` or to a number in mg/L.

    Returns
    -------
    dict of str to (float, str)
        Value and unit (lower case) of each item. A total inorganic carbon given as a mass
        (``total CO2 180 mg/L`` as CO2, ``TIC 49 mg/L as C``; ``TIC``/``DIC`` are as C unless
        ``as CO2`` is written, ``total CO2`` as CO2) comes back in mmol/L of carbon.

    Notes
    -----
    The usual charge notations are read as the canonical names: ``Ca2+``, ``Ca++``,
    ``Ca^2+`` and ``Ca+2``; ``SO42-``, ``SO4--`` and ``SO4-2``; ``Na+1`` and ``Na+``.

    Examples
    --------
    >>> parse_analysis("Ca+2 82 mg/L, alkalinity 4 meq/L")
    {'Ca+2': (82.0, 'mg/l'), 'alkalinity': (4.0, 'meq/l')}
    >>> parse_analysis("Ca2+ 82 mg/L, TIC 48.04 mg/L as C")
    {'Ca+2': (82.0, 'mg/l'), 'total CO2': (4.0, 'mmol/l')}
    """
    if isinstance(text, Mapping):
        items = [f"{k} {v}" if isinstance(v, str) else f"{k} {v} mg/L" for k, v in text.items()]
    elif isinstance(text, str):
        items = [item.strip() for item in re.split(r"[,;]", text) if item.strip()]
    else:
        raise InputError("the analysis must be text like 'Ca+2 82 mg/L, HCO3- 240 mg/L'")
    if not items:
        raise InputError("the analysis is empty; write e.g. 'Ca+2 82 mg/L, HCO3- 240 mg/L'")
    out = {}
    for item in items:
        match = _ITEM.match(" ".join(item.split()))
        if match is None:
            raise InputError(
                f"cannot read {item!r}; write '<ion> <amount> <unit>', e.g. 'Ca+2 82 mg/L'"
            )
        written = re.sub(r"^(total|free)\s+", lambda m: m[1].lower() + " ", match["name"],
                         flags=re.IGNORECASE)
        name = _ALIASES.get(written, written)
        if name not in ANALYSIS_SPECIES:
            raise InputError(
                f"unknown ion {match['name']!r} in the analysis."
                f"{suggest(match['name'], list(ANALYSIS_SPECIES) + list(_ALIASES))}"
            )
        unit = match["unit"].lower()
        if unit not in _UNITS:
            raise InputError(f"unknown unit {match['unit']!r} in {item!r}; use one of "
                             "mg/L, ppm, g/L, mmol/L, meq/L, mol/kg, mmol/kg")
        basis = match["basis"]
        bases = {"alkalinity": ("CaCO3",), "total CO2": tuple(_CARBON_BASES), "CO2": ("CO2",)}
        if basis and basis not in bases.get(name, ()):
            raise InputError(f"'as {basis}' is understood for 'alkalinity ... as CaCO3', "
                             f"'total CO2 ... as C' or 'as CO2' only, in {item!r}")
        value = float(match["value"])
        if not np.isfinite(value) or value < 0:
            label = "alkalinity" if name == "alkalinity" else f"the amount of {name}"
            raise InputError(f"{label} must be >= 0, got {value:g} in {item!r}")
        if name in out:
            raise InputError(f"{name} is given twice in the analysis")
        if name == "total CO2" and _UNITS[unit] is not None:
            # a mass of carbon: "as C" (TIC/DIC analysers) or "as CO2" ("total CO2"); kept as
            # mmol/L of carbon so that the basis is not needed again
            if basis is None:
                basis = "CO2" if written == "total CO2" else "C"
            value, unit = value * _UNITS[unit] * 1e3 / _CARBON_BASES[basis], "mmol/l"
        out[name] = (value, unit)
    return out


@dataclass
class WaterAnalysis:
    """A parsed analysis: molal totals for :func:`speciate`, with its charge balance.

    Attributes
    ----------
    totals : dict of str to float
        Totals [mol/kg water] by speciation name.
    alkalinity : float
        Total alkalinity [eq/kg water].
    ph, temperature : float
        pH [-] and temperature [K].
    tds : float
        Total dissolved solids of the analysis [mg/L] (HCO3- as written).
    imbalance : float
        Charge imbalance before adjustment, (cations - anions)/(cations + anions) [-].
    adjusted : str or None
        The ion whose amount was changed to balance the charge.
    speciation : Speciation
        The speciated water.
    """

    totals: dict
    alkalinity: float
    ph: float
    temperature: float
    tds: float
    imbalance: float
    adjusted: str | None
    speciation: Speciation

    def to_dict(self):
        """Plain numbers with unit-named keys: analysis, speciation and scaling."""
        indices = scaling_indices(self.speciation)
        return {
            "ph": self.ph,
            "temperature_C": self.temperature - 273.15,
            "tds_mg_L": self.tds,
            "charge_imbalance_percent": 100.0 * self.imbalance,
            "balanced_with": self.adjusted,
            "speciation": self.speciation.to_dict(),
            "saturation_index": {k: float(v[0]) for k, v in indices["saturation_index"].items()},
            "lsi": float(indices["lsi"][0]),
            "sdsi": float(indices["sdsi"][0]),
        }


def water_analysis(text, ph, temperature=T25, balance=None, max_imbalance=MAX_IMBALANCE,
                   model="auto"):
    """Parse, charge-balance and speciate one water analysis.

    Parameters
    ----------
    text : str or mapping
        The analysis (see :func:`parse_analysis`); it gives the carbonate one way: HCO3- and
        CO3-2, the alkalinity, the total inorganic carbon (``total CO2``, ``TIC``) or the free
        CO2 at the pH (or none, for a water without carbonate).
    ph : float
        pH [-], 0-14.
    temperature : float, default 298.15
        Temperature [K].
    balance : str, optional
        Ion whose amount is adjusted to balance the charge (e.g. ``"Na+"`` or ``"Cl-"``).
    max_imbalance : float, default 0.05
        Largest imbalance accepted without ``balance`` [-].
    model : str, default "auto"
        Activity model of :func:`osmolab.thermo.speciation.speciate`.

    Returns
    -------
    WaterAnalysis

    Raises
    ------
    InputError
        Bad items, the carbonate given two ways, pH outside 0-14, or an imbalance above the
        limit without ``balance``.

    Notes
    -----
    HCO3- and CO3-2 make the (total) alkalinity of the speciation. A total inorganic carbon is
    speciated at the pH as it is; a free CO2 is turned into the total carbon that holds that
    much CO2(aq) at the pH. The charge balance then counts the carbonate alkalinity the
    speciation gives (HCO3- + 2 CO3-2) as anions. The TDS counts the carbonate as HCO3-
    (61.02 g per equivalent) when it is given as alkalinity or carbon, as WAVE reports it, and
    leaves dissolved CO2 out.

    Examples
    --------
    >>> w = water_analysis("Ca+2 80 mg/L, Na+ 46 mg/L, HCO3- 244 mg/L, Cl- 71 mg/L", ph=7.6)
    >>> round(float(w.speciation.ionic_strength[0]), 4)
    0.0078
    >>> c = water_analysis("Ca+2 80 mg/L, Na+ 46 mg/L, total CO2 4.3 mmol/L, Cl- 71 mg/L",
    ...                    ph=7.6)
    >>> round(float(c.speciation.alkalinity[0]) * 1e3, 2)
    4.13
    """
    items = parse_analysis(text)
    ph = finite_number(ph, "pH")
    if not 0.0 <= ph <= 14.0:
        raise InputError(f"pH {ph:g} is outside 0-14")
    temperature = finite_number(temperature, "temperature")
    ways = sorted({_CARBONATE_WAYS[n] for n in items if n in _CARBONATE_WAYS})
    if len(ways) > 1:
        raise InputError(
            f"the analysis gives the carbonate {len(ways)} ways ({', '.join(ways)}); give one: "
            "HCO3-/CO3-2, the alkalinity, the total CO2, or the free CO2 (with the pH)"
        )
    eq = {}  # name -> equivalents per litre (signed)
    mol_per_litre = {}
    tds = 0.0
    for name, (value, unit) in items.items():
        _, molar_mass, charge = ANALYSIS_SPECIES[name]
        if unit in ("mg/l", "ppm", "g/l"):
            grams = value * _UNITS[unit]
            moles = grams / molar_mass  # for the alkalinity: equivalents (50.04 g/eq as CaCO3)
        elif unit == "meq/l":
            if charge == 0:
                raise InputError(f"meq/L has no meaning for {name}; give mg/L or mmol/L")
            moles = value * 1e-3 / abs(charge)
        else:  # mmol/l, mol/kg and mmol/kg: treated per litre, the difference is the density
            moles = value * (1.0 if unit == "mol/kg" else 1e-3)
        if name == "alkalinity":
            tds += moles * _HCO3_G_PER_EQ * 1e3  # counted as HCO3-, as WAVE does
        elif name not in ("total CO2", "CO2"):  # carbon: counted once speciated, below
            tds += moles * molar_mass * 1e3
        mol_per_litre[name] = moles
        eq[name] = moles * (charge if name != "alkalinity" else -1)
    carbon_way = ways[0] if ways else None
    if carbon_way in ("total CO2", "free CO2"):
        # the carbonate alkalinity of the unbalanced water at its pH joins the anions
        per_kg = _water_per_litre(tds, temperature)
        first = _carbon_speciation(items, mol_per_litre, per_kg, ph, temperature, model)
        carbonate_eq = float(first.carbonate_alkalinity[0]) * per_kg
        eq["carbonate"] = -carbonate_eq
        tds += carbonate_eq * _HCO3_G_PER_EQ * 1e3
    cations = sum(v for v in eq.values() if v > 0)
    anions = -sum(v for v in eq.values() if v < 0)
    imbalance = (cations - anions) / (cations + anions) if cations + anions > 0 else 0.0
    adjusted = None
    if balance is not None:
        name = _ALIASES.get(balance, balance)
        if name not in ANALYSIS_SPECIES or ANALYSIS_SPECIES[name][2] == 0 or name in (
            "alkalinity", "HCO3-", "CO3-2"
        ):
            choices = [n for n, v in ANALYSIS_SPECIES.items() if v[2] != 0 and v[0] != "alkalinity"]
            raise InputError(f"cannot balance the charge with {balance!r}.{suggest(balance, choices)}")
        charge = ANALYSIS_SPECIES[name][2]
        needed = mol_per_litre.get(name, 0.0) - (cations - anions) / charge
        if needed < 0:
            raise InputError(
                f"balancing with {name} would need a negative amount ({needed * 1e3:.3g} mmol/L); "
                f"balance with an ion of the other charge"
            )
        tds += (needed - mol_per_litre.get(name, 0.0)) * ANALYSIS_SPECIES[name][1] * 1e3
        mol_per_litre[name] = needed
        adjusted = name
    elif abs(imbalance) > max_imbalance:
        raise InputError(
            f"the analysis is out of charge balance by {100 * imbalance:+.1f} % (cations "
            f"{cations * 1e3:.3g}, anions {anions * 1e3:.3g} meq/L; limit {100 * max_imbalance:g} %); "
            "name an ion to adjust (e.g. balance='Na+' or 'Cl-', CLI --balance Na+)"
        )
    water_per_litre = _water_per_litre(tds, temperature)
    if carbon_way in ("total CO2", "free CO2"):
        speciation = _carbon_speciation(items, mol_per_litre, water_per_litre, ph, temperature,
                                        model)
        totals = _molal_totals(mol_per_litre, water_per_litre)
        alkalinity = float(speciation.alkalinity[0])
    else:
        totals = _molal_totals(mol_per_litre, water_per_litre)
        alkalinity = sum(moles * (abs(ANALYSIS_SPECIES[name][2]) if name != "alkalinity" else 1)
                         for name, moles in mol_per_litre.items()
                         if ANALYSIS_SPECIES[name][0] == "alkalinity") / water_per_litre
        speciation = speciate(
            totals, ph, temperature, alkalinity=alkalinity if carbon_way else None, model=model
        )
    return WaterAnalysis(totals, alkalinity, ph, temperature, tds, imbalance, adjusted, speciation)


def _water_per_litre(tds, temperature):
    """kg of water per litre: the density (pure water plus 0.75 kg per kg of salts, the seawater
    value, Millero 2008) less the dissolved solids [mg/L]."""
    return density_Kell(temperature) / 1e3 + 0.75 * tds * 1e-6 - tds * 1e-6


def _molal_totals(mol_per_litre, water_per_litre):
    """Speciation totals [mol/kg water] of the non-carbonate items [mol/L]."""
    totals = {}
    for name, moles in mol_per_litre.items():
        target = ANALYSIS_SPECIES[name][0]
        if target not in ("alkalinity", "total_carbon", "free_co2"):
            totals[target] = totals.get(target, 0.0) + moles / water_per_litre
    return totals


def _carbon_speciation(items, mol_per_litre, water_per_litre, ph, temperature, model):
    """Speciation of a water whose carbon is given as total CO2 or as free CO2 at its pH."""
    totals = _molal_totals(mol_per_litre, water_per_litre)
    if "total CO2" in items:
        carbon = mol_per_litre["total CO2"] / water_per_litre
        return speciate(totals, ph, temperature, total_carbon=carbon, model=model)
    free = mol_per_litre["CO2"] / water_per_litre
    if free > 2.0:  # the speciation's own bound: CO2 at 100 bar is about 1.5 mol/kg
        raise InputError(f"{items['CO2'][0]:g} {items['CO2'][1]} of free CO2 is more than water "
                         "holds; check the amount and its unit")
    if free == 0.0:
        return speciate(totals, ph, temperature, total_carbon=0.0, model=model)
    # CO2(aq) is nearly proportional to the carbon at a fixed pH: scale until it matches
    carbon = free
    for _ in range(30):
        s = speciate(totals, ph, temperature, total_carbon=carbon, model=model)
        co2 = float(s["CO2"][0])
        if abs(co2 - free) <= 1e-10 * free:
            return s
        carbon *= free / co2
        if carbon > 10.0:
            raise InputError(
                f"{items['CO2'][0]:g} {items['CO2'][1]} of free CO2 at pH {ph:g} means more "
                "than 10 mol/kg of carbonate; check the pH and the CO2 (or give HCO3- or the "
                "alkalinity)"
            )
    return s  # pragma: no cover - the scaling converges in a few steps


def concentrate_summary(water: WaterAnalysis, factor: float) -> dict:
    """The RO concentrate of a water at one concentration factor, as plain values.

    What ``osmolab water --concentrate`` prints and the web API's water analysis returns:
    the factor, the recovery it means at full rejection [%], the concentrate's speciation
    (``Speciation.to_dict``), the saturation index of each mineral, the LSI and the S&DSI.

    Parameters
    ----------
    water : WaterAnalysis
        The feed.
    factor : float
        Concentration factor [-], >= 1.

    Returns
    -------
    dict
    """
    brine = concentrate(water, factor)
    indices = scaling_indices(brine)
    return {
        "concentration_factor": float(factor),
        "recovery_percent": 100.0 * (1.0 - 1.0 / float(factor)),
        "speciation": brine.to_dict(),
        "saturation_index": {k: float(v[0]) for k, v in indices["saturation_index"].items()},
        "lsi": float(indices["lsi"][0]),
        "sdsi": float(indices["sdsi"][0]),
    }


#: Largest ionic strength of a concentrate [mol/kg]: the upper limit of most binary Pitzer fits
#: (:func:`osmolab.thermo.pitzer.validity`; NaCl is fitted to 6 mol/kg, Pitzer & Mayorga 1973).
MAX_CONCENTRATE_IONIC_STRENGTH = 6.0


def check_factor(water: WaterAnalysis, factor):
    """The concentration factor(s) as an array, refused below 1 or where the concentrate would
    be beyond the activity models (ionic strength above :data:`MAX_CONCENTRATE_IONIC_STRENGTH`).

    Examples
    --------
    >>> w = water_analysis("Na+ 460 mg/L, Cl- 710 mg/L", ph=7.0)
    >>> check_factor(w, 4).tolist()
    [4.0]
    """
    factor = np.atleast_1d(np.asarray(factor, dtype=float))
    if not np.isfinite(factor).all() or (factor < 1).any():
        raise InputError(f"the concentration factor must be >= 1, got {factor.min():g}")
    ionic = float(water.speciation.ionic_strength[0]) * float(factor.max())
    if ionic > MAX_CONCENTRATE_IONIC_STRENGTH:
        most = MAX_CONCENTRATE_IONIC_STRENGTH / float(water.speciation.ionic_strength[0])
        raise InputError(
            f"the concentration factor {float(factor.max()):g} is too high for this water: its "
            f"concentrate would reach an ionic strength of about {ionic:.3g} mol/kg, beyond the "
            f"{MAX_CONCENTRATE_IONIC_STRENGTH:g} mol/kg the activity models cover; use a factor "
            f"up to {most:.3g} (recovery {100 * (1 - 1 / most):.3g} %)"
        )
    return factor


def concentrate(water: WaterAnalysis, factor, model="auto"):
    """Speciation of the RO concentrate of a water at a concentration factor.

    Parameters
    ----------
    water : WaterAnalysis
        The feed.
    factor : float or array
        Concentration factor [-], >= 1 (1/(1 - recovery) at full rejection).
    model : str, default "auto"
        Activity model.

    Returns
    -------
    Speciation
        The concentrate, one row per factor, its pH found from the alkalinity and carbon.

    Notes
    -----
    Every solute but CO2(aq) is multiplied by ``factor`` (full rejection); dissolved CO2 passes
    the membrane at the feed's molality, so the concentrate keeps
    :math:`C_T = f(C_{T,feed} - m_{CO_2}) + m_{CO_2}`. The pH follows from that carbon and the
    concentrated alkalinity (ion pairing in the concentrate moves some carbon back to CO2), by
    bisection on the pH (45 halvings from the feed pH - 2 to the feed pH + 3, or + 1 +
    log10(f) where that is higher, within 0-14). A trial pH at which the OH-,
    borate, silicate and phosphate alone carry more than the alkalinity (the carbon would have
    to be negative: a caustic-dosed, low-carbonate feed) counts as too basic.

    Examples
    --------
    >>> w = water_analysis("Ca+2 80 mg/L, Na+ 46 mg/L, HCO3- 244 mg/L, Cl- 71 mg/L", ph=7.6)
    >>> round(float(concentrate(w, 4.0).ph[0]), 2)
    7.82
    """
    factor = check_factor(water, factor)
    feed = water.speciation
    co2 = float(feed["CO2"][0])
    carbon = factor * (float(feed.total_carbon[0]) - co2) + co2
    totals = {k: v * factor for k, v in water.totals.items()}
    alkalinity = water.alkalinity * factor
    if alkalinity.max() <= 0:
        return speciate(totals, np.full(factor.shape, water.ph), water.temperature, model=model)
    # the pH usually rises (CO2 stays, the rest concentrates) but in saline water the activity
    # coefficients can turn it down: search from 2 units below the feed's pH up to 3 above it,
    # or to 1 + log10(f) above where that is higher (where OH- carries the alkalinity, its
    # molality and so the pH rise with the factor; the lower activity coefficients of a
    # concentrate take some of that back)
    low = np.full(factor.shape, max(0.0, water.ph - 2.0))
    high = np.minimum(14.0, water.ph + np.maximum(3.0, 1.0 + np.log10(factor)))
    bounds = (low.copy(), high.copy())
    for _ in range(45):
        middle = 0.5 * (low + high)
        too_acid = _too_acid(totals, middle, water.temperature, alkalinity, carbon, model)
        low = np.where(too_acid, middle, low)
        high = np.where(too_acid, high, middle)
    ph = 0.5 * (low + high)
    if (np.isclose(ph, bounds[0], atol=1e-6) | np.isclose(ph, bounds[1], atol=1e-6)).any():
        raise InputError(
            f"no concentrate pH between {float(bounds[0].min()):.3g} and "
            f"{float(bounds[1].max()):.3g} matches its carbon and alkalinity; check the analysis"
        )
    return speciate(totals, ph, water.temperature, alkalinity=alkalinity, model=model)




def _too_acid(totals, ph, temperature, alkalinity, carbon, model):
    """(N,) bool: whether each trial concentrate pH is below the root of :func:`concentrate`.

    At a trial pH the concentrated alkalinity asks for more carbon than the concentrate holds
    below the root, less above it. Where the OH-, borate, silicate and phosphate alone carry
    more than the alkalinity, :func:`~osmolab.thermo.speciation.speciate` refuses the trial:
    that water is then speciated alone, with its carbon instead of its alkalinity, and counts
    as too basic when it carries more alkalinity than the concentrate has (otherwise the
    refusal is passed on).
    """
    try:
        trial = speciate(totals, ph, temperature, alkalinity=alkalinity, model=model)
        return trial.total_carbon > carbon
    except InputError:
        if ph.size == 1:
            refused = speciate(totals, ph, temperature, total_carbon=carbon, model=model)
            if refused.alkalinity[0] > alkalinity[0]:
                return np.zeros(1, dtype=bool)
            raise
    # a batch with some trials refused: each water alone
    return np.concatenate([
        _too_acid({k: v[i:i + 1] for k, v in totals.items()}, ph[i:i + 1], temperature,
                  alkalinity[i:i + 1], carbon[i:i + 1], model)
        for i in range(ph.size)
    ])
