r"""Scaling of waters: saturation indices of the RO scales, Langelier and Stiff & Davis indices.

:func:`saturation_index` takes a :class:`~osmolab.thermo.speciation.Speciation` and returns
:math:`SI = \log_{10}(IAP/K_{sp})` of calcite, gypsum, barite, celestite, fluorite, amorphous
silica and hydroxyapatite (the calcium phosphate of RO scaling checks; brushite has no constant
in the referee databases), each with its solubility constant :math:`K_{sp}(T)` from
``data/minerals.csv`` (source and temperature range in each row): the constants that go with the
phreeqc.dat species for the Davies (ion-association) model and those of pitzer.dat for the Pitzer
model, as the referee PHREEQC uses them.

:func:`langelier_index` is the Langelier saturation index of ASTM D3739 (:math:`LSI = pH -
pH_s`, :math:`pH_s = pK_2 - pK_s + pCa + pAlk + 5\,pf_m`, with :math:`f_m` from the Davies
equation), and :func:`stiff_davis_index` its form for saline water (Stiff & Davis 1952, ASTM
D4582), with the activity coefficients of Ca+2 and HCO3- from the speciation model in place of
the empirical chart K(I, T). :func:`scaling_indices` gives them all for a speciation, the two
indices with the carbonate alkalinity of the speciation (HCO3- + 2 CO3-2: not the OH- and
borate of a caustic pass) and NaN where the water has no calcium or no carbonate.
"""

from __future__ import annotations

import functools

import numpy as np

from ..data import load_csv
from ..errors import InputError, suggest
from .speciation import Davies, Speciation, log_k

__all__ = [
    "HIGH_PH",
    "MINERALS",
    "SALINE_TDS",
    "judged_calcite",
    "langelier_index",
    "langelier_index_Carrier",
    "log_ksp",
    "mineral_table",
    "range_notes",
    "referee_waters",
    "saturation_index",
    "scaling_indices",
    "stiff_davis_index",
]

#: Minerals with a solubility constant, in the order of ``data/minerals.csv``.
MINERALS = (
    "calcite",
    "gypsum",
    "barite",
    "celestite",
    "fluorite",
    "amorphous_silica",
    "hydroxyapatite",
)

#: mg of CaCO3 per mol (100.087 g/mol) and per equivalent: "as CaCO3" units.
_CACO3_MG_PER_MOL = 100087.0
_CACO3_MG_PER_EQ = 50043.5

_MODELS = ("ion_association", "pitzer")
_LN10 = np.log(10.0)


def _parse_terms(text):
    terms = {}
    for term in text.split(" + "):
        coefficient, name = term.strip().split(" ", 1)
        terms[name.strip()] = float(coefficient)
    return terms


@functools.cache
def mineral_table() -> dict:
    """Rows of ``data/minerals.csv`` by (mineral, model): reaction terms, constants, range, source.

    Examples
    --------
    >>> mineral_table()[("calcite", "ion_association")]["source"]
    'PB82'
    """
    table = {}
    for record in load_csv("minerals.csv").itertuples(index=False):
        analytic = [getattr(record, f"a{k}") for k in range(1, 7)]
        analytic = (
            None
            if all(np.isnan(a) for a in analytic)
            else tuple(0.0 if np.isnan(a) else float(a) for a in analytic)
        )
        row = {
            "formula": record.formula,
            "terms": _parse_terms(record.reaction),
            "constants": (float(record.log_k), float(record.delta_h_kJ), analytic),
            "tmin_C": float(record.tmin_C),
            "tmax_C": float(record.tmax_C),
            "source": record.source,
        }
        models = _MODELS if record.model == "both" else (record.model,)
        for model in models:
            table[(record.mineral, model)] = row
    return table


#: TDS [mg/L] above which the calcite limit is judged by S&DSI (ASTM D4582) instead of LSI
#: (ASTM D3739 applies to brackish water up to about 10,000 mg/L)
SALINE_TDS = 10_000.0
#: pH above which calcite is judged by its saturation index: the LSI and S&DSI take the
#: carbonate alkalinity as bicarbonate (pHs = pK2 - pKs + pCa + pAlk; Langelier 1936), which
#: fails as CO3-2 grows (pK2 about 10.3 at 25 degC: a tenth of the carbon is carbonate at pH
#: 9.3); in a pass fed at pH 10 after caustic the LSI reads about 1 unit above the SI
HIGH_PH = 9.0


def judged_calcite(lsi, sdsi, si, tds, ph):
    """The calcite index judged against the allowed limit, and its name.

    LSI (ASTM D3739) up to :data:`SALINE_TDS`, S&DSI (ASTM D4582) above, and the calcite
    saturation index itself above pH :data:`HIGH_PH`, where both overstate the scaling.

    Parameters
    ----------
    lsi, sdsi, si : array
        Langelier and Stiff & Davis indices and calcite SI [-].
    tds : array
        [mg/L].
    ph : array
        [-].

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The judged value [-] and its name (``"lsi"``, ``"sdsi"`` or ``"si"``).

    Examples
    --------
    >>> value, name = judged_calcite([1.75], [1.2], [-0.21], [5000.0], [10.7])
    >>> float(value[0]), str(name[0])
    (-0.21, 'si')
    """
    lsi, sdsi, si, tds, ph = np.broadcast_arrays(*(np.asarray(x, dtype=float)
                                                   for x in (lsi, sdsi, si, tds, ph)))
    name = np.where(ph > HIGH_PH, "si", np.where(tds > SALINE_TDS, "sdsi", "lsi"))
    value = np.where(name == "si", si, np.where(name == "sdsi", sdsi, lsi))
    return value, name


def range_notes(temperature, minerals, model="ion_association") -> list[str]:
    """Notes for minerals whose solubility constant is used outside its fitted range.

    Parameters
    ----------
    temperature : float or array
        [K]; every value is checked.
    minerals : iterable of str
        The minerals whose SI is reported (those with ions present).
    model : str, default "ion_association"
        Whose constants (``data/minerals.csv`` keeps a range per model).

    Returns
    -------
    list of str
        One line per mineral out of its ``tmin_C``-``tmax_C`` range; empty when all are in.

    Examples
    --------
    >>> range_notes(273.15 + 50, ["calcite", "hydroxyapatite"])
    ['hydroxyapatite: its solubility constant is fitted over 5-40 degC; at 50 degC its SI is an extrapolation']
    """
    t = np.atleast_1d(np.asarray(temperature, dtype=float)) - 273.15
    table = mineral_table()
    notes = []
    for mineral in minerals:
        row = table.get((mineral, model)) or table.get((mineral, "ion_association"))
        if row is None or t.size == 0:
            continue
        low, high = float(np.min(t)), float(np.max(t))
        if low < row["tmin_C"] - 1e-9 or high > row["tmax_C"] + 1e-9:
            at = f"{low:.0f}" if abs(high - low) < 0.5 else f"{low:.0f}-{high:.0f}"
            notes.append(f"{mineral}: its solubility constant is fitted over "
                         f"{row['tmin_C']:g}-{row['tmax_C']:g} degC; at {at} degC its SI is an "
                         "extrapolation")
    return notes


def _check_mineral(name):
    if name not in MINERALS:
        raise InputError(
            f"unknown mineral {name!r}.{suggest(str(name), MINERALS)} Known: {', '.join(MINERALS)}."
        )


def log_ksp(mineral, temperature, model="ion_association"):
    r"""Solubility product of a mineral, :math:`\log_{10} K_{sp}(T)` [-].

    Parameters
    ----------
    mineral : str
        One of :data:`MINERALS`.
    temperature : numeric
        Temperature [K].
    model : {"ion_association", "pitzer"}
        Which constant: the one consistent with the Davies ion-association species
        (phreeqc.dat) or with the Pitzer model (pitzer.dat).

    Returns
    -------
    numeric
        :math:`\log_{10} K_{sp}` [-].

    References
    ----------
    .. [1] Plummer, L. N. and Busenberg, E., 1982, Geochim. Cosmochim. Acta 46, 1011-1040.
    .. [2] Appelo, C. A. J., 2015, Applied Geochemistry 55, 62-71.

    Examples
    --------
    Calcite at 25 degC (Plummer & Busenberg 1982: -8.48):

    >>> round(float(log_ksp("calcite", 298.15)), 2)
    -8.48
    """
    _check_mineral(mineral)
    if model not in _MODELS:
        raise InputError(f"unknown model {model!r}.{suggest(str(model), _MODELS)}")
    log_k25, delta_h, analytic = mineral_table()[(mineral, model)]["constants"]
    return log_k(log_k25, delta_h, analytic, temperature)


def saturation_index(speciation: Speciation, minerals=None):
    r"""Saturation index :math:`SI = \log_{10}(IAP/K_{sp})` of minerals in speciated waters.

    Parameters
    ----------
    speciation : Speciation
        The waters, from :func:`osmolab.thermo.speciation.speciate`.
    minerals : sequence of str, optional
        Names from :data:`MINERALS` (all by default).

    Returns
    -------
    dict of str to numpy.ndarray
        SI of each mineral [-], one value per water; ``-inf`` where an ion of the mineral is
        absent. Percent saturation is :math:`100\cdot 10^{SI}`.

    Notes
    -----
    :math:`\log_{10} IAP = \sum_i \nu_i \log_{10} a_i` over the dissolved side of the
    reaction in ``data/minerals.csv`` (water and H+ included); each water takes the constant of
    its own activity model.

    Examples
    --------
    >>> from osmolab.thermo.speciation import speciate
    >>> s = speciate({"Ca+2": 2e-3, "Cl-": 2e-3}, ph=8.3, alkalinity=2e-3)
    >>> round(float(saturation_index(s, ["calcite"])["calcite"][0]), 2)
    0.83
    """
    names = MINERALS if minerals is None else tuple(minerals)
    for name in names:
        _check_mineral(name)
    table = mineral_table()
    pitzer_rows = speciation.model == "pitzer"
    # log10 IAP of all minerals as one product (waters x species) @ (species x minerals); an
    # absent species (-inf) is floored to -1e300 so that its zero coefficients elsewhere give 0
    # (its own coefficient is > 0: only H2O and H+ have negative ones, and they are finite)
    terms = [table[(name, "ion_association")]["terms"] for name in names]
    species = sorted({sp for t in terms for sp in t if sp != "H2O"})
    coefficients = np.array([[t.get(sp, 0.0) for t in terms] for sp in species]).reshape(
        len(species), len(names))
    water = np.array([t.get("H2O", 0.0) for t in terms])
    logs = np.full((speciation.ph.size, len(species)), -np.inf)
    known = [j for j, sp in enumerate(species) if sp in speciation.species]
    logs[:, known] = speciation.log_activity[:, [speciation.species.index(species[j])
                                                 for j in known]]
    np.maximum(logs, _ABSENT, out=logs)
    log_iap = logs @ coefficients + np.outer(speciation.log_water_activity, water)
    out = {}
    for j, name in enumerate(names):
        if pitzer_rows.all() or not pitzer_rows.any():
            ksp = _log_ksp_of(name, speciation.temperature,
                              "pitzer" if pitzer_rows.any() else "ion_association")
        else:
            ksp = np.where(
                pitzer_rows,
                _log_ksp_of(name, speciation.temperature, "pitzer"),
                _log_ksp_of(name, speciation.temperature, "ion_association"),
            )
        out[name] = np.where(log_iap[:, j] < 0.5 * _ABSENT, -np.inf, log_iap[:, j] - ksp)
    return out


#: log10 activity standing for an absent species in the IAP product (see saturation_index)
_ABSENT = -1e300


def _log_ksp_of(mineral, temperature, model):
    """:func:`log_ksp` of waters (N,), evaluated once when they share one temperature."""
    t = np.asarray(temperature, dtype=float)
    if t.ndim == 1 and t.size and (t == t[0]).all():
        return np.full(t.shape, _log_ksp_at(mineral, float(t[0]), model))
    return log_ksp(mineral, t, model)


@functools.lru_cache(maxsize=1024)
def _log_ksp_at(mineral, temperature, model):
    return float(log_ksp(mineral, temperature, model))


def langelier_index(ph, calcium, alkalinity, ionic_strength, temperature):
    r"""Langelier saturation index of ASTM D3739, :math:`LSI = pH - pH_s` [-].

    Parameters
    ----------
    ph : numeric
        pH of the water [-].
    calcium : numeric
        Total calcium [mol/kg water] (the standard's mol/L; the difference is below 0.01 in LSI
        for brackish water).
    alkalinity : numeric
        Alkalinity [eq/kg water]: the standard's total alkalinity, or (as
        :func:`scaling_indices` passes it) the carbonate alkalinity HCO3- + 2 CO3-2.
    ionic_strength : numeric
        Ionic strength [mol/kg].
    temperature : numeric
        Temperature [K].

    Returns
    -------
    numeric
        LSI [-]; positive: calcium carbonate tends to precipitate.

    Notes
    -----
    .. math:: pH_s = pK_2 - pK_s + pCa + pAlk + 5\,pf_m

    with :math:`pK_2` of HCO3- and :math:`pK_s` of calcite of Plummer & Busenberg (1982) and the
    monovalent activity coefficient :math:`f_m` of Davies' equation (ASTM D3739 uses the same
    form; its total alkalinity stands for HCO3-, which holds below pH about 9, hence the
    carbonate alkalinity in :func:`scaling_indices`).

    References
    ----------
    .. [1] ASTM D3739-19, Standard Practice for Calculation and Adjustment of the Langelier
       Saturation Index for Reverse Osmosis.
    .. [2] Langelier, W. F., 1936, J. Am. Water Works Assoc. 28, 1500-1521.

    Examples
    --------
    >>> round(float(langelier_index(7.5, 2e-3, 2e-3, 0.006, 298.15)), 2)
    0.07
    """
    pk2 = _pk2(temperature)
    pks = -log_ksp("calcite", temperature)
    pfm = -Davies(ionic_strength, 1, temperature)
    with np.errstate(divide="ignore"):
        phs = pk2 - pks - np.log10(calcium) - np.log10(alkalinity) + 5.0 * pfm
    return np.asarray(ph, dtype=float) - phs


def langelier_index_Carrier(ph, calcium, alkalinity, tds, temperature):
    r"""Langelier index by the empirical formula of Carrier (1965) that vendors print [-].

    Parameters
    ----------
    ph : numeric
        pH of the water [-].
    calcium : numeric
        Total calcium [mol/kg water]; converted to mg/L as CaCO3 taking 1 kg of water as 1 L.
    alkalinity : numeric
        Total alkalinity [eq/kg water]; converted to mg/L as CaCO3 the same way.
    tds : numeric
        Total dissolved solids [kg/m^3] (= g/L).
    temperature : numeric
        Temperature [K].

    Returns
    -------
    numeric
        LSI [-].

    Notes
    -----
    .. math:: pH_s = (9.3 + A + B) - (C + D)

    with :math:`A = (\log_{10} TDS - 1)/10`, :math:`B = -13.12\log_{10}(t + 273) + 34.55`,
    :math:`C = \log_{10} Ca - 0.4`, :math:`D = \log_{10} Alk` (TDS in mg/L, t in degC, Ca and
    Alk in mg/L as CaCO3). Its constants imply :math:`pK_2 - pK_s` = 2.09 at 25 degC against
    1.85 from Plummer & Busenberg (1982), and its salinity term A is smaller than the
    :math:`5\,pf_m` of :func:`langelier_index`: at 25 degC the thermodynamic index is 0.19,
    0.11 and 0.00 above this one at 300, 1000 and 3000 mg/L TDS. Use it to compare with
    vendors' calculators; :func:`langelier_index` is the ASTM D3739 form.

    References
    ----------
    .. [1] Carrier Air Conditioning Company, 1965, Handbook of Air Conditioning System Design,
       McGraw-Hill, New York.

    Examples
    --------
    Corrosion Doctors' worked example (pH 7.5, 25 degC, TDS 320 mg/L, Ca 150 and alkalinity
    34 mg/L as CaCO3) prints LSI -0.7:

    >>> ca, alk = 150e-3 / 100.087, 34e-3 / 50.0435
    >>> round(float(langelier_index_Carrier(7.5, ca, alk, 0.320, 298.15)), 1)
    -0.7
    """
    tds_mg_l = np.asarray(tds, dtype=float) * 1e3
    t_c = np.asarray(temperature, dtype=float) - 273.15
    with np.errstate(divide="ignore", invalid="ignore"):
        a = (np.log10(tds_mg_l) - 1.0) / 10.0
        b = -13.12 * np.log10(t_c + 273.0) + 34.55
        c = np.log10(np.asarray(calcium, dtype=float) * _CACO3_MG_PER_MOL) - 0.4
        d = np.log10(np.asarray(alkalinity, dtype=float) * _CACO3_MG_PER_EQ)
    return np.asarray(ph, dtype=float) - ((9.3 + a + b) - (c + d))


def stiff_davis_index(ph, calcium, alkalinity, log_gamma_calcium, log_gamma_bicarbonate,
                      temperature):
    r"""Stiff & Davis stability index for saline water, :math:`S\&DSI = pH - pH_s` [-].

    Parameters
    ----------
    ph : numeric
        pH [-].
    calcium, alkalinity : numeric
        Total calcium [mol/kg water] and alkalinity [eq/kg water] (total, or carbonate as
        :func:`scaling_indices` passes it; see :func:`langelier_index`).
    log_gamma_calcium, log_gamma_bicarbonate : numeric
        :math:`\log_{10}` activity coefficients of Ca+2 and HCO3- [-] (Pitzer for saline water).
    temperature : numeric
        Temperature [K].

    Returns
    -------
    numeric
        S&DSI [-].

    Notes
    -----
    Stiff & Davis write :math:`pH_s = pCa + pAlk + K(I, T)` with K read from their chart;
    here :math:`K = pK_2 - pK_s - \log_{10}\gamma_{Ca} - \log_{10}\gamma_{HCO_3}`, the
    thermodynamic quantity the chart tabulates, with the activity coefficients of the model.

    References
    ----------
    .. [1] Stiff, H. A. and Davis, L. E., 1952, Petroleum Transactions AIME 195, 213-216.
    .. [2] ASTM D4582-17, Standard Practice for Calculation and Adjustment of the Stiff and
       Davis Stability Index for Reverse Osmosis.

    Examples
    --------
    >>> round(float(stiff_davis_index(8.1, 0.0107, 0.0024, -0.64, -0.17, 298.15)), 2)
    0.85
    """
    k = _pk2(temperature) + log_ksp("calcite", temperature) - log_gamma_calcium
    k = k - log_gamma_bicarbonate
    with np.errstate(divide="ignore"):
        phs = -np.log10(calcium) - np.log10(alkalinity) + k
    return np.asarray(ph, dtype=float) - phs


def _pk2(temperature):
    """pK2 of carbonic acid (HCO3- = CO3-2 + H+), Plummer & Busenberg 1982."""
    return log_k(10.329, -14.9, (107.8871, 0.03252849, -5151.79, -38.92561, 563713.9, 0.0),
                 temperature)


def scaling_indices(speciation: Speciation, minerals=None):
    r"""SI of every mineral, LSI and S&DSI of speciated waters, as arrays.

    The LSI and S&DSI take the carbonate alkalinity of the speciation
    (:attr:`~osmolab.thermo.speciation.Speciation.carbonate_alkalinity`, HCO3- + 2 CO3-2 with
    their pairs), not the total alkalinity: ASTM D3739 and D4582 write the indices with the
    total alkalinity, which is the carbonate alkalinity in ordinary waters (below pH about 9
    OH-, borate and silicate carry well under 1 % of it, and the two give the same index to
    0.005). Above pH 9 (a caustic second pass for boron) OH- and borate carry much of the total
    alkalinity but none of the calcium carbonate; counting them put the LSI of a pH 10.5
    water 1.1 above zero where its calcite SI is 0.06. Langelier's pHs stands for
    :math:`pK_2 - pK_s + pCa + pHCO_3` (Langelier 1936), and the pool industry corrects the
    measured alkalinity to the carbonate alkalinity for the same reason (Orenda Technologies,
    "What is carbonate alkalinity?", 2017, https://blog.orendatech.com/total-vs-carbonate-alkalinity).
    Even so, above pH about 10 the CO3-2 in the carbonate alkalinity makes the LSI exceed the
    calcite SI (by about :math:`\log_{10}(1 + 2[CO_3^{2-}]/[HCO_3^-])`): judge calcite there by
    its SI. Without calcium or carbonate the indices are undefined: NaN.

    Parameters
    ----------
    speciation : Speciation
        From :func:`osmolab.thermo.speciation.speciate`.
    minerals : sequence of str, optional
        Names from :data:`MINERALS` (all by default).

    Returns
    -------
    dict
        ``saturation_index`` (dict of mineral to array [-]), ``lsi`` and ``sdsi`` [-].

    Examples
    --------
    >>> from osmolab.thermo.speciation import speciate
    >>> s = speciate({"Ca+2": 2e-3, "Cl-": 2e-3}, ph=7.5, alkalinity=2e-3)
    >>> round(float(scaling_indices(s)["lsi"][0]), 2)
    0.08
    """
    calcium_total = _total_calcium(speciation)
    carbonate = speciation.carbonate_alkalinity
    with np.errstate(divide="ignore", invalid="ignore"):  # no Ca or no HCO3-: undefined, NaN
        log_gamma_ca = speciation.log_activity_of("Ca+2") - np.log10(speciation["Ca+2"])
        log_gamma_hco3 = speciation.log_activity_of("HCO3-") - np.log10(speciation["HCO3-"])
        lsi = langelier_index(speciation.ph, calcium_total, carbonate,
                              speciation.ionic_strength, speciation.temperature)
        sdsi = stiff_davis_index(speciation.ph, calcium_total, carbonate, log_gamma_ca,
                                 log_gamma_hco3, speciation.temperature)
    undefined = ~((carbonate > 0) & (calcium_total > 0))
    return {
        "saturation_index": saturation_index(speciation, minerals),
        "lsi": np.where(undefined, np.nan, lsi),
        "sdsi": np.where(undefined, np.nan, sdsi),
    }


def _total_calcium(speciation):
    calcium = np.array([name.startswith("Ca") for name in speciation.species], dtype=float)
    return speciation.molality @ calcium


#: Element columns of ``data/chemistry_waters.csv`` and the speciation totals they fill.
_WATER_COLUMNS = {
    "Ca": "Ca+2", "Mg": "Mg+2", "Na": "Na+", "K": "K+", "Sr": "Sr+2", "Ba": "Ba+2",
    "Cl": "Cl-", "SO4": "SO4-2", "F": "F-", "NO3": "NO3-", "Br": "Br-", "B": "B", "Si": "Si",
    "P": "P",
}


def referee_waters() -> dict:
    """The referee waters of ``data/chemistry_waters.csv`` as speciation inputs.

    Brackish wells, surface waters, seawater 20-45 g/kg and RO concentrates 1.5-10x at
    5-40 degC, used by the PHREEQC referee tests, the docs' validation table and the benchmark.

    Returns
    -------
    dict
        ``name``, ``kind`` (lists of str), ``temperature`` [K], ``ph`` [-], ``alkalinity``
        [eq/kg water] and ``totals`` (dict of speciation name to molality [mol/kg water]),
        plus ``elements`` (the same totals by element column, [mmol/kg water]).

    Examples
    --------
    >>> len(referee_waters()["name"]) >= 30
    True
    """
    table = load_csv("chemistry_waters.csv")
    return {
        "name": list(table["name"]),
        "kind": list(table["kind"]),
        "temperature": table["temperature_C"].to_numpy(dtype=float) + 273.15,
        "ph": table["ph"].to_numpy(dtype=float),
        "alkalinity": table["alkalinity_meq_kg"].to_numpy(dtype=float) * 1e-3,
        "totals": {
            name: table[f"{column}_mmol_kg"].to_numpy(dtype=float) * 1e-3
            for column, name in _WATER_COLUMNS.items()
        },
        "elements": {
            column: table[f"{column}_mmol_kg"].to_numpy(dtype=float)
            for column in _WATER_COLUMNS
        },
    }
