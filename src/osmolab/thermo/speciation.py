r"""Speciation of natural waters: pH, carbonate, borate, silicate, phosphate and ion pairs.

Given the analysed totals of a water (calcium, magnesium, sodium, ..., sulfate, boron, silica)
with its pH and its alkalinity (or total inorganic carbon), :func:`speciate` finds the molality
of every aqueous species: CO2(aq), HCO3-, CO3-2, OH-, H+, B(OH)3, B(OH)4-, H4SiO4, H3SiO4-,
the phosphate acids and the ion pairs (CaCO3, CaHCO3+, CaSO4, MgSO4, NaSO4-, ...), with the
ionic strength, the alkalinity and the activity of every species for the saturation indices of
:mod:`osmolab.thermo.scaling`.

Two models, chosen per water by its ionic strength (``model="auto"``):

* ``"ion_association"`` (ionic strength up to :data:`PITZER_ABOVE`, 0.1 mol/kg): the species and
  constants of PHREEQC's phreeqc.dat (the WATEQ4F compilation of Nordstrom et al. 1990, the
  carbonic acid and calcium carbonate pairs of Plummer & Busenberg 1982), activity coefficients
  of Davies (1962), :math:`\log_{10}\gamma_i = -A z_i^2 [\sqrt I/(1 + \sqrt I) - 0.3 I]`, and
  :math:`\log_{10}\gamma = 0.1 I` for neutral species, as PHREEQC does.
* ``"pitzer"`` (above): the species and constants of pitzer.dat (Harvie, Moller & Weare 1984,
  Appelo 2015) with the activity coefficients and water activity of
  :func:`osmolab.thermo.pitzer.ln_activity_coefficients`; the few species the Pitzer tables of
  osmolab have no parameters for (MgOH+, MgCO3, CaB(OH)4+, MgB(OH)4+, polyborates, H3SiO4-,
  the phosphate acids, HF) take Davies coefficients (charged) or 1 (neutral). They are minor in
  seawater and its concentrates; the tests measure the effect against PHREEQC.

The equations are the mass balances of each master species (and the alkalinity balance when
the alkalinity is given) in the logarithms of the free molalities, solved water by water by a
damped Newton iteration in compiled code (:mod:`osmolab.thermo.speciation_kernel`, threaded
over the waters of large batches), started from two cheap fixed-point sweeps of the masters.
Dilute waters of given pH are solved in blocks of waters with the same masters, each loop
vectorised across the block's waters (:mod:`osmolab.thermo.speciation_lanes`).
Davies coefficients move with the Newton step (the ionic strength is an unknown); Pitzer
coefficients (the compiled model of :mod:`osmolab.thermo.pitzer_kernel`) are updated between
Newton solves inside the same compiled loop. The pH is an input (the activity of H+), or,
given both the alkalinity and the total carbon, an unknown with the alkalinity balance as its
equation.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..constants import T25
from ..data import load_csv
from ..errors import InputError, suggest
from . import pitzer
from .debye_huckel import Debye_Huckel_slope
from .pitzer_kernel import parameter_count, pitzer_network, temperature_basis
from .speciation_kernel import (
    STATUS_ERROR,
    STATUS_ITERATIONS,
    Activity,
    Network,
    Start,
    StartInputs,
    Waters,
    chunked,
    gather_kernel,
    gather_serial,
    newton_kernel,
    power_index,
)
from .speciation_lanes import (
    davies_kernel,
    davies_serial,
    master_order,
    pitzer_lanes_kernel,
    pitzer_lanes_serial,
)

__all__ = [
    "MASTER_SPECIES",
    "INERT_IONS",
    "PITZER_ABOVE",
    "Speciation",
    "Davies",
    "log_k",
    "speciate",
]

#: Master species whose totals the solver balances, with the name of the total in ``totals``
#: (boron as B, silica as Si, phosphate as P; carbon is the alkalinity or ``total_carbon``).
MASTER_SPECIES = {
    "Ca+2": "Ca+2",
    "Mg+2": "Mg+2",
    "Na+": "Na+",
    "K+": "K+",
    "Sr+2": "Sr+2",
    "Ba+2": "Ba+2",
    "SO4-2": "SO4-2",
    "F-": "F-",
    "CO3-2": "C",
    "B(OH)3": "B",
    "H4SiO4": "Si",
    "PO4-3": "P",
}
#: Ions that form no pair in either model: they count in the ionic strength and the Pitzer terms.
INERT_IONS = ("Cl-", "NO3-", "Br-", "Li+", "NH4+")
#: Ionic strength [mol/kg] above which ``model="auto"`` uses Pitzer activity coefficients.
PITZER_ABOVE = 0.1
#: Alkalinity of each master species in PHREEQC's convention [eq/mol] (species inherit theirs).
_MASTER_ALKALINITY = {"H+": -1.0, "CO3-2": 2.0, "PO4-3": 2.0}
_LN10 = np.log(10.0)
_R = 8.314462618e-3  # kJ/(mol K)
#: Newton solves (with the Pitzer coefficients updated between them) before giving up.
_MAX_ROUNDS = 30
#: Relative balance error the kernel converges to (its own constant, repeated here).
_TOLERANCE = 1e-10
#: Largest change of log10 gamma between Pitzer rounds at convergence.
_GAMMA_TOLERANCE = 1e-7
#: Batches of at least this many waters run the threaded kernels (below, starting the threads
#: costs more than they save, and much more on a loaded machine).
_THREADED_FROM = 256
_MODELS = ("auto", "ion_association", "pitzer")
#: species names of the Pitzer tables that differ from the speciation names
_PITZER_NAMES = {"H4SiO4": "SiO2"}


@functools.cache
def _charge(name: str) -> int:
    match = re.search(r"([+-])(\d*)$", name)
    if not match:
        return 0
    return (1 if match.group(1) == "+" else -1) * int(match.group(2) or 1)


def log_k(log_k25, delta_h, analytic, temperature):
    r"""Equilibrium constant at a temperature, PHREEQC's two forms.

    Parameters
    ----------
    log_k25 : float
        :math:`\log_{10} K` at 25 degC [-].
    delta_h : float
        Standard reaction enthalpy [kJ/mol] (van't Hoff form; used when ``analytic`` is None).
    analytic : sequence of 6 float or None
        :math:`a_1 \dots a_6` of :math:`\log_{10} K = a_1 + a_2 T + a_3/T + a_4\log_{10}T +
        a_5/T^2 + a_6 T^2`.
    temperature : numeric
        Temperature [K].

    Returns
    -------
    numeric
        :math:`\log_{10} K` [-].

    Notes
    -----
    Van't Hoff: :math:`\log_{10} K(T) = \log_{10} K_{25} - \Delta H^\circ/(R \ln 10)
    (1/T - 1/298.15)`. The analytic form is the one of PHREEQC (Parkhurst & Appelo 2013).

    References
    ----------
    .. [1] Parkhurst, D. L. and Appelo, C. A. J., 2013, Description of input and examples for
       PHREEQC version 3, USGS Techniques and Methods 6-A43.

    Examples
    --------
    The ion product of water at 25 degC (pKw 13.995, Harned & Owen 1958):

    >>> round(-float(log_k(-14.0, 55.8, (293.29227, 0.1360833, -10576.913, -123.73158, 0,
    ...                                   -6.996455e-5), 298.15)), 3)
    13.995
    """
    t = np.asarray(temperature, dtype=float)
    if analytic is not None:
        a1, a2, a3, a4, a5, a6 = analytic
        return a1 + a2 * t + a3 / t + a4 * np.log10(t) + a5 / (t * t) + a6 * t * t
    return log_k25 - delta_h / (_R * _LN10) * (1.0 / t - 1.0 / T25)


def Davies(ionic_strength, charge, temperature=T25):
    r"""Activity coefficient of an ion, Davies equation, as :math:`\log_{10}\gamma` [-].

    Parameters
    ----------
    ionic_strength : numeric
        Ionic strength [mol/kg].
    charge : numeric
        Charge number of the ion [-]; 0 gives PHREEQC's :math:`0.1 I` for neutral species.
    temperature : numeric, default 298.15
        Temperature [K].

    Returns
    -------
    numeric
        :math:`\log_{10}\gamma` [-].

    Notes
    -----
    .. math:: \log_{10}\gamma = -A z^2\left(\frac{\sqrt I}{1 + \sqrt I} - 0.3 I\right),
        \quad A = 3 A_\phi/\ln 10

    with the Debye-Huckel slope :math:`A_\phi(T)` of
    :func:`osmolab.thermo.debye_huckel.Debye_Huckel_slope` (A = 0.510 at 25 degC). Davies'
    equation is good to about 0.1 mol/kg (a few hundredths in log gamma); above it use Pitzer.

    References
    ----------
    .. [1] Davies, C. W., 1962, Ion Association, Butterworths, London, 39-43.

    Examples
    --------
    >>> round(float(Davies(0.01, 2)), 3)
    -0.179
    """
    i = np.asarray(ionic_strength, dtype=float)
    z = np.asarray(charge, dtype=float)
    a = 3.0 * Debye_Huckel_slope(temperature) / _LN10
    root = np.sqrt(i)
    charged = -a * z * z * (root / (1.0 + root) - 0.3 * i)
    return np.where(z == 0, 0.1 * i, charged)


# --------------------------------------------------------------------------------------
# the species sets
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _SpeciesSet:
    names: tuple  # species, masters first (in MASTER order), then H+, then inert ions, then others
    masters: tuple  # master species (columns of the stoichiometry)
    stoichiometry: np.ndarray  # (S, K) in masters
    proton: np.ndarray  # (S,) coefficient of H+
    water: np.ndarray  # (S,) coefficient of H2O
    charges: np.ndarray  # (S,)
    alkalinity: np.ndarray  # (S,) [eq/mol]
    constants: tuple  # per species: (log_k25, delta_h, analytic or None)


def _parse_reaction(text):
    terms = {}
    for term in text.split(" + "):
        coefficient, name = term.strip().split(" ", 1)
        terms[name.strip()] = terms.get(name.strip(), 0.0) + float(coefficient)
    return terms


@functools.cache
def _species_set(model: str) -> _SpeciesSet:
    table = load_csv("aqueous_species.csv")
    rows = table[(table.model == model) | (table.model == "both")]
    masters = tuple(MASTER_SPECIES)
    # each species as (terms in masters/H+/H2O, list of constants to add)
    resolved = {m: ({m: 1.0}, []) for m in (*masters, "H+", *INERT_IONS)}
    for record in rows.itertuples(index=False):
        analytic = [getattr(record, f"a{k}") for k in range(1, 7)]
        if all(np.isnan(a) for a in analytic):
            analytic = None
        else:
            analytic = tuple(0.0 if np.isnan(a) else float(a) for a in analytic)
        own = (float(record.log_k), float(record.delta_h_kJ), analytic)
        terms, constants = {}, [own]
        for name, coefficient in _parse_reaction(record.reaction).items():
            if name == "H2O":
                terms["H2O"] = terms.get("H2O", 0.0) + coefficient
                continue
            sub_terms, sub_constants = resolved[name]  # earlier rows only
            for sub_name, sub_coefficient in sub_terms.items():
                terms[sub_name] = terms.get(sub_name, 0.0) + coefficient * sub_coefficient
            constants.extend(sub_constants * int(coefficient))
        resolved[record.species] = (terms, constants)
    names = tuple(resolved)
    stoichiometry = np.array([[resolved[s][0].get(m, 0.0) for m in masters] for s in names])
    proton = np.array([resolved[s][0].get("H+", 0.0) for s in names])
    water = np.array([resolved[s][0].get("H2O", 0.0) for s in names])
    alkalinity = np.array(
        [sum(c * _MASTER_ALKALINITY.get(m, 0.0) for m, c in resolved[s][0].items()) for s in names]
    )
    return _SpeciesSet(
        names=names,
        masters=masters,
        stoichiometry=stoichiometry,
        proton=proton,
        water=water,
        charges=np.array([_charge(s) for s in names], dtype=float),
        alkalinity=alkalinity,
        constants=tuple(tuple(resolved[s][1]) for s in names),
    )


def _log_k_matrix(species_set: _SpeciesSet, temperature):
    """(N, S) log10 K of every species' formation from the masters (reference form)."""
    t = np.asarray(temperature, dtype=float).reshape(-1)
    out = np.zeros((t.size, len(species_set.names)))
    for j, constants in enumerate(species_set.constants):
        for log_k25, delta_h, analytic in constants:
            out[:, j] += log_k(log_k25, delta_h, analytic, t)
    return out


@functools.cache
def _log_k_coefficients(model: str) -> np.ndarray:
    """(6, S) coefficients of log10 K on the basis 1, T, 1/T, log10 T, 1/T^2, T^2.

    Both of PHREEQC's forms are linear in that basis (van't Hoff: log K25 + dH/(R ln10 T25)
    - dH/(R ln10) / T), so the constants of a species built from several reactions add up.
    """
    species_set = _species_set(model)
    out = np.zeros((6, len(species_set.names)))
    for j, constants in enumerate(species_set.constants):
        for log_k25, delta_h, analytic in constants:
            if analytic is not None:
                out[:, j] += analytic
            else:
                slope = delta_h / (_R * _LN10)
                out[0, j] += log_k25 + slope / T25
                out[2, j] -= slope
    return out


def _log_k_fast(model: str, temperature):
    """(N, S) log10 K, as :func:`_log_k_matrix`, by one product with the basis of each
    distinct temperature (one per case in an RO projection)."""
    t = np.asarray(temperature, dtype=float).reshape(-1)
    first = t[0] if t.size else T25
    if t.size and (t == first).all():
        single = np.array([first])
    else:
        single = t
    basis = np.stack([np.ones_like(single), single, 1.0 / single, np.log10(single),
                      1.0 / (single * single), single * single], axis=-1)
    values = basis @ _log_k_coefficients(model)
    if single.size != t.size:
        values = np.broadcast_to(values, (t.size, values.shape[1]))
    return values


# --------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------
@dataclass
class Speciation:
    """Result of :func:`speciate`: arrays of shape (N,) or (N, S), one row per water.

    Attributes
    ----------
    species : tuple of str
        Names of the columns of ``molality`` and ``log_activity``.
    molality : numpy.ndarray
        Molality of each species [mol/kg water], shape (N, S).
    log_activity : numpy.ndarray
        :math:`\\log_{10}` activity of each species [-], shape (N, S).
    log_water_activity : numpy.ndarray
        :math:`\\log_{10} a_w` [-].
    ph, temperature, ionic_strength, alkalinity, total_carbon : numpy.ndarray
        pH [-], temperature [K], ionic strength [mol/kg], alkalinity [eq/kg water] and total
        inorganic carbon [mol/kg water].
    model : numpy.ndarray of str
        ``"ion_association"`` or ``"pitzer"`` for each water.
    iterations : int
        Newton iterations used (the largest over the waters).
    """

    species: tuple
    molality: np.ndarray
    log_activity: np.ndarray
    log_water_activity: np.ndarray
    ph: np.ndarray
    temperature: np.ndarray
    ionic_strength: np.ndarray
    alkalinity: np.ndarray
    total_carbon: np.ndarray
    model: np.ndarray
    iterations: int

    def __getitem__(self, name):
        """Molality of one species [mol/kg water] (shape (N,)), or 0 where the model lacks it."""
        if name not in self.species:
            return np.zeros(self.ph.shape)
        return self.molality[:, self.species.index(name)]

    @property
    def carbonate_alkalinity(self):
        """Alkalinity carried by the carbonate species [eq/kg water], shape (N,).

        :math:`[HCO_3^-] + 2[CO_3^{2-}]` with their ion pairs (CaHCO3+, CaCO3, NaCO3-, ...):
        the total :attr:`alkalinity` less what OH-, H+, borate, silicate, phosphate and the
        hydroxide pairs carry (PHREEQC's alkalinity weights of the carbon species).
        """
        setup = _union_setup()  # the columns of every Speciation are the union's
        weights = np.zeros(len(self.species))
        weights[setup["carbon_columns"]] = setup["alkalinity"][setup["carbon_columns"]]
        return self.molality @ weights

    def log_activity_of(self, name):
        """log10 activity of one species [-] (-inf where absent); ``"H2O"``: water."""
        if name == "H2O":
            return self.log_water_activity
        if name not in self.species:
            return np.full(self.ph.shape, -np.inf)
        return self.log_activity[:, self.species.index(name)]

    def to_dict(self, index=0):
        """One water as plain numbers, with unit-named keys (``molality_mol_kg`` per species)."""
        return {
            "model": str(self.model[index]),
            "ph": float(self.ph[index]),
            "temperature_C": float(self.temperature[index] - 273.15),
            "ionic_strength_mol_kg": float(self.ionic_strength[index]),
            "alkalinity_meq_kg": float(self.alkalinity[index] * 1e3),
            "total_inorganic_carbon_mmol_kg": float(self.total_carbon[index] * 1e3),
            "molality_mol_kg": {
                name: float(self.molality[index, j])
                for j, name in enumerate(self.species)
                if self.molality[index, j] > 0
            },
        }


# --------------------------------------------------------------------------------------
# the solver
# --------------------------------------------------------------------------------------
def _as_column(value, label, n):
    try:
        array = np.asarray(value, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError(f"{label} must be a number or an array of numbers, got {value!r}") from None
    if array.size not in (1, n):
        raise InputError(f"{label} has {array.size} values; the other inputs have {n}")
    if not np.isfinite(array).all():
        raise InputError(f"{label} must be finite, got {value!r}")
    return np.broadcast_to(array, (n,)).astype(float)


def _activity_logs(species_set, molality, temperature, model_is_pitzer):
    """(N, S) log10 gamma and (N,) log10 a_w for the current molalities."""
    z = species_set.charges
    ionic = 0.5 * molality @ (z * z)
    log_gamma = Davies(ionic[:, None], z[None, :], temperature[:, None])
    log_aw = np.log10(np.clip(1.0 - 0.017 * molality.sum(axis=1), 0.5, 1.0))
    if model_is_pitzer:
        supported = pitzer.supported_species()
        columns = {}
        for j, name in enumerate(species_set.names):
            key = _PITZER_NAMES.get(name, name)
            if key in supported and key not in columns:
                columns[key] = j
        lng = pitzer.ln_activity_coefficients(
            {key: molality[:, j] for key, j in columns.items()}, temperature
        )
        for key, j in columns.items():
            log_gamma[:, j] = lng[key] / _LN10
        log_aw = lng["H2O"] / _LN10
        neutral_missing = [
            j for j, name in enumerate(species_set.names)
            if z[j] == 0 and _PITZER_NAMES.get(name, name) not in columns
        ]
        log_gamma[:, neutral_missing] = 0.0
    return log_gamma, log_aw, ionic


def _network(species_set):
    nu = species_set.stoichiometry
    width = int((nu != 0).sum(axis=1).max())
    members = -np.ones((nu.shape[0], width), dtype=np.int64)
    coefficients = np.zeros((nu.shape[0], width))
    for j in range(nu.shape[0]):
        ks = np.flatnonzero(nu[j])
        members[j, : ks.size] = ks
        coefficients[j, : ks.size] = nu[j, ks]
    inert = np.isin(np.array(species_set.names), INERT_IONS)
    gamma_z2, gamma_neutral = _davies_sums(species_set, members, coefficients)
    water = species_set.water.astype(float)
    return Network(
        members, coefficients, species_set.alkalinity.astype(float),
        species_set.charges.astype(float), water, inert,
        species_set.proton.astype(float), gamma_z2, gamma_neutral,
        np.array([INERT_IONS.index(s) if s in INERT_IONS else -1 for s in species_set.names],
                 dtype=np.int64),
        _diagonal_masters(species_set, members),
        power_index(gamma_z2, gamma_neutral, water),
    )


def _diagonal_masters(species_set, members):
    """(K,) bool: a set of masters (carbon excluded: its row may be the alkalinity) no species
    holds two of, taken greedily in order: their block of the Newton matrix is diagonal
    (``speciation_kernel._block_factor``)."""
    k_count = species_set.stoichiometry.shape[1]
    carbon = species_set.masters.index("CO3-2")
    paired = np.zeros((k_count, k_count), dtype=bool)
    for row in members:
        ks = row[row >= 0]
        for a in ks:
            for b in ks:
                paired[a, b] |= a != b
    diagonal = np.zeros(k_count, dtype=bool)
    for k in range(k_count):
        if k != carbon and not (paired[k] & diagonal).any():
            diagonal[k] = True
    return diagonal


def _davies_sums(species_set, members, coefficients):
    """(S,) sum_k nu_k z_k^2 - z_s^2 and sum_k nu_k [z_k = 0] - [z_s = 0] over the masters k
    of each species: with Davies' ln gamma = P z^2 (ions), Q (neutral),
    sum_k nu_k ln gamma_k - ln gamma_s = P * first + Q * second."""
    z = species_set.charges
    z2 = -z * z
    neutral = -(z == 0).astype(float)
    for j in range(members.shape[0]):
        for q in range(members.shape[1]):
            k = members[j, q]
            if k < 0:
                break
            z2[j] += coefficients[j, q] * z[k] ** 2
            neutral[j] += coefficients[j, q] * (z[k] == 0)
    return z2.astype(float), neutral.astype(float)


def _log10_activity(molality, log_gamma):
    """log10 m + log10 gamma, -inf where m = 0."""
    with np.errstate(divide="ignore"):
        return np.where(molality > 0, np.log10(molality) + log_gamma, -np.inf)


def _solve_reference(species_set, totals, inert, carbon, carbon_is_alkalinity, ph, temperature,
                     pitzer_model):
    """Speciate one group of waters with the compiled Newton kernel, the Pitzer coefficients
    by :mod:`osmolab.thermo.pitzer` between kernel calls (the reference for :func:`_solve`).

    Davies coefficients are updated inside the kernel; Pitzer coefficients are held during a
    kernel call and updated between calls until they change by < 1e-7 in log10.
    Returns (molality (N, S), log10 activity (N, S), log10 a_w (N,), Newton iterations, pH).
    """
    n = ph.size
    k_count = species_set.stoichiometry.shape[1]
    names = species_set.names
    log_k_all = _log_k_matrix(species_set, temperature)  # (N, S)
    c_index = species_set.masters.index("CO3-2")
    present = totals > 0
    present[:, c_index] = carbon > 0
    tiny = 1e-30
    target = totals.copy()
    target[:, c_index] = carbon
    ln_base = log_k_all * _LN10 + np.outer(-ph * _LN10, species_set.proton)
    # start each master from its acid-base side reactions alone (gamma = 1): free = total /
    # sum of K a_H^nu over the species made of it and H+ (the alkalinity-weighted sum for
    # carbonate when the alkalinity is given); without it, e.g. PO4-3 at pH 7 would start
    # 10^5 too high and take many damped steps down
    nu = species_set.stoichiometry
    own = (np.count_nonzero(nu, axis=1) == 1) & (np.abs(nu).sum(axis=1) == 1)
    weights = np.exp(np.minimum(ln_base, 300.0))
    x = np.empty((n, k_count))
    for k in range(k_count):
        columns = np.flatnonzero(own & (nu[:, k] == 1))
        denominator = weights[:, columns].sum(axis=1)
        if k == c_index:
            alk_sum = weights[:, columns] @ species_set.alkalinity[columns]
            denominator = np.where(carbon_is_alkalinity, alk_sum, denominator)
        start = np.where(present[:, k], target[:, k], tiny) / denominator
        x[:, k] = np.log(np.maximum(start, 1e-300))
    inert_molality = np.zeros((n, len(names)))
    inert_molality[:, [names.index(s) for s in INERT_IONS]] = inert
    molality = inert_molality.copy()
    molality[:, :k_count] = np.where(present, totals, 0.0)
    log_gamma, log_aw, _ = _activity_logs(species_set, molality, temperature, pitzer_model)
    davies_a = (
        np.zeros(n) if pitzer_model else 3.0 * Debye_Huckel_slope(temperature) / _LN10
    )
    waters = Waters(
        ln_base=ln_base,
        ln_gamma=log_gamma * _LN10,
        ln_water_activity=log_aw * _LN10,
        davies_a=np.broadcast_to(davies_a, (n,)).astype(float),
        inert_molality=np.ascontiguousarray(inert),
        target=target,
        present=present,
        carbon_is_alkalinity=carbon_is_alkalinity,
        ph_unknown=np.zeros(n, dtype=bool),
        ln_h=-ph * _LN10,
        alkalinity=np.zeros(n),
        log_activity=np.empty((0, len(names))),
        sums=np.empty((0, 3)),
    )
    network = _network(species_set)
    status = np.zeros((n, 2))
    newton = 0
    for _round in range(_MAX_ROUNDS):
        newton_kernel(network, waters, c_index, x, molality, status)
        newton += int(status[:, STATUS_ITERATIONS].max(initial=0))
        if not (status[:, STATUS_ERROR] < _TOLERANCE).all():
            break
        if not pitzer_model:
            return (molality, _log10_activity(molality, waters.ln_gamma / _LN10),
                    waters.ln_water_activity / _LN10, newton, ph)
        new_gamma, log_aw, _ = _activity_logs(species_set, molality, temperature, pitzer_model)
        change = float(np.abs(new_gamma * _LN10 - waters.ln_gamma).max(initial=0.0)) / _LN10
        waters.ln_gamma[:] = new_gamma * _LN10
        waters.ln_water_activity[:] = log_aw * _LN10
        if change < _GAMMA_TOLERANCE:
            return molality, _log10_activity(molality, new_gamma), log_aw, newton, ph
    return _failure(status, x, species_set.masters.index("CO3-2"), carbon, carbon_is_alkalinity,
                    ph)


def _which(index, count, before="water ", after=": "):
    """``"water 3: "`` naming the water at fault in a batch; nothing for a single water."""
    return f"{before}{index}{after}" if count > 1 else ""


def _failure(status, x, c_index, carbon, carbon_is_alkalinity, ph):
    """Raise the InputError that says why the worst water did not converge."""
    errors = status[:, STATUS_ERROR]
    bad = int(np.argmax(np.where(np.isfinite(errors), errors, np.inf)))
    if carbon_is_alkalinity[bad] and x[bad, c_index] < np.log(1e-12):
        raise InputError(
            f"{_which(bad, ph.size)}the alkalinity {carbon[bad] * 1e3:.4g} meq/kg is below what its OH-, "
            f"borate, silicate and phosphate alone give at pH {ph[bad]:.3g}; check the pH and "
            "the alkalinity"
        )
    if carbon_is_alkalinity[bad] and ph[bad] < 4.5:
        raise InputError(
            f"{_which(bad, ph.size)}a positive alkalinity ({carbon[bad] * 1e3:.4g} meq/kg) at pH "
            f"{ph[bad]:.3g} needs more CO2 than water holds (below pH 4.5 the alkalinity of a "
            "water is negative); check the pH, or give the total inorganic carbon"
        )
    raise InputError(
        f"the speciation{_which(bad, ph.size, ' of water ', '')} did not converge (largest relative balance error "
        f"{float(errors[bad]):.2g}); check its totals and pH"
    )



@dataclass(frozen=True)
class _Setup:
    """What the solver needs of one model, computed once."""

    species_set: _SpeciesSet
    network: Network
    c_index: int
    own: np.ndarray  # (S, K) the species made of one master and H+ alone (starting values)
    own_alkalinity: np.ndarray  # (S,) their alkalinity in the carbon column
    inert_columns: np.ndarray  # (len(INERT_IONS),) int
    pitzer: object  # PitzerNetwork or None
    pitzer_columns: np.ndarray  # (P,) int
    neutral_missing: np.ndarray  # (S,) bool
    start: Start  # constants of the compiled starting values


@functools.cache
def _setup(model: str) -> _Setup:
    species_set = _species_set(model)
    names = species_set.names
    nu = species_set.stoichiometry
    k_count = nu.shape[1]
    c_index = species_set.masters.index("CO3-2")
    single = (np.count_nonzero(nu, axis=1) == 1) & (np.abs(nu).sum(axis=1) == 1)
    own = np.zeros(nu.shape)
    for k in range(k_count):
        own[:, k] = single & (nu[:, k] == 1)
    own_alkalinity = own[:, c_index] * species_set.alkalinity
    inert_columns = np.array([names.index(s) for s in INERT_IONS], dtype=np.int64)
    pitzer_net, pitzer_columns = None, np.zeros(0, dtype=np.int64)
    neutral_missing = np.zeros(len(names), dtype=bool)
    if model == "pitzer":
        supported = pitzer.supported_species()
        columns = {}
        for j, name in enumerate(names):
            key = _PITZER_NAMES.get(name, name)
            if key in supported and key not in columns:
                columns[key] = j
        pitzer_net = pitzer_network(tuple(columns))
        pitzer_columns = np.array(list(columns.values()), dtype=np.int64)
        neutral_missing = np.array([
            species_set.charges[j] == 0 and _PITZER_NAMES.get(name, name) not in columns
            for j, name in enumerate(names)])
    own_master = np.where(own.any(axis=1), own.argmax(axis=1), -1).astype(np.int64)
    start = Start(
        log_k=np.ascontiguousarray(_log_k_coefficients(model)),
        proton=species_set.proton.astype(float), own_master=own_master,
        own_alkalinity=own_alkalinity.astype(float), inert_columns=inert_columns,
        carbon_index=c_index,
    )
    return _Setup(species_set, _network(species_set), c_index, own, own_alkalinity,
                  inert_columns, pitzer_net, pitzer_columns, neutral_missing, start)


def _per_temperature(function, temperature):
    """function(temperature) evaluated once when all temperatures are equal (and remembered
    for that temperature: an RO case has one)."""
    if temperature.size and (temperature == temperature[0]).all():
        return np.full(temperature.shape, _at_temperature(function, float(temperature[0])))
    return np.asarray(function(temperature), dtype=float)


@functools.lru_cache(maxsize=256)
def _at_temperature(function, temperature):
    return float(np.asarray(function(np.array([temperature])), dtype=float)[0])


def _solve(species_set, totals, inert, carbon, carbon_is_alkalinity, ph, temperature, pitzer_model,
           alkalinity=None, out=None):
    """Speciate one group of waters with the compiled kernels.

    Davies coefficients are updated inside the Newton iteration; Pitzer coefficients are held
    during a Newton solve and updated between solves, per water inside the compiled
    :func:`~osmolab.thermo.speciation_lanes.pitzer_lanes_kernel`, until they change by
    < 1e-7 in log10. Same equations and tolerances as :func:`_solve_reference`. With
    ``alkalinity`` (N,) [eq/kg], ``carbon`` is the total carbon, ``ph`` the starting pH, and
    the pH is solved for too. Waters of fewer than :data:`_THREADED_FROM` run without threads.
    Returns (molality (N, S), log10 activity (N, S; -inf where m = 0), log10 a_w (N,), Newton
    iterations, pH (N,)). ``out`` (Davies only): (molality (N, U), log10 activity (N, U), sums
    (N, 3)) arrays whose first S columns the kernel fills, with the ionic strength, alkalinity
    and total carbon of each water (then returned as molality and log10 activity).
    """
    model = "pitzer" if pitzer_model else "ion_association"
    setup = _setup(model)
    n = ph.size
    s_count = len(species_set.names)
    k_count = species_set.stoichiometry.shape[1]
    c_index = setup.c_index
    present = totals > 0
    present[:, c_index] = carbon > 0
    target = totals.copy()
    target[:, c_index] = carbon
    ph_unknown = alkalinity is not None
    threaded = n >= _THREADED_FROM
    # all compiled, per water: the starting values (ln K at the water's temperature, + the pH
    # term; each master from its acid-base side reactions alone, see _solve_reference; the
    # molalities of the totals and the first water activity), the sweeps and the Newton
    # iteration (with the Pitzer rounds for saline waters)
    x = np.empty((n, k_count))
    if out is None:
        molality, log_activity, sums = (np.empty((n, s_count)), np.empty((n, s_count)),
                                        np.empty((0, 3)))
    else:
        molality, log_activity, sums = out
    inputs = StartInputs(
        temperature=temperature, ph=ph, totals=totals, target=target, present=present,
        inert=np.ascontiguousarray(inert), carbon_is_alkalinity=carbon_is_alkalinity,
        ph_unknown=np.full(n, ph_unknown),
    )
    a_phi = _per_temperature(Debye_Huckel_slope, temperature)
    davies_a = 3.0 * a_phi / _LN10
    status = np.zeros((n, 2))
    waters = Waters(
        ln_base=np.empty((0, s_count)),  # kept per water inside the kernels
        ln_gamma=np.empty((n, s_count)), ln_water_activity=np.empty(n),
        davies_a=np.zeros(n) if pitzer_model else davies_a, inert_molality=inputs.inert,
        target=target, present=present, carbon_is_alkalinity=carbon_is_alkalinity,
        ph_unknown=inputs.ph_unknown, ln_h=-ph * _LN10,
        alkalinity=alkalinity if ph_unknown else np.zeros(n),
        log_activity=log_activity, sums=sums,
    )
    if pitzer_model:
        activity = Activity(
            basis=temperature_basis(temperature), a_phi=a_phi, davies_a=davies_a,
            pitzer_columns=setup.pitzer_columns, neutral_missing=setup.neutral_missing,
            parameter_count=parameter_count(setup.pitzer), max_rounds=_MAX_ROUNDS,
            tolerance=_GAMMA_TOLERANCE,
        )
        order = master_order(present, carbon_is_alkalinity)
        with chunked(1):  # the kernel's tasks are chunks of waters
            (pitzer_lanes_kernel if threaded else pitzer_lanes_serial)(
                setup.start, inputs, setup.network, waters, setup.pitzer, activity, order, x,
                molality, status)
    else:
        # waters of the same masters next to each other: the kernel solves them in blocks
        order = master_order(present, carbon_is_alkalinity)
        with chunked(1):  # the kernel's tasks are chunks of waters
            (davies_kernel if threaded else davies_serial)(
                setup.start, inputs, setup.network, waters, c_index, order, x, molality,
                status)
    if not (status[:, STATUS_ERROR] < _TOLERANCE).all():
        _failure(status, x, c_index, carbon, carbon_is_alkalinity, ph)
    iterations = int(status[:, STATUS_ITERATIONS].max(initial=0))
    if ph_unknown:
        ph = -waters.ln_h / _LN10
    return molality, waters.log_activity, waters.ln_water_activity / _LN10, iterations, ph


def _union_species():
    names = list(_species_set("ion_association").names)
    names += [s for s in _species_set("pitzer").names if s not in names]
    return tuple(names)


def speciate(totals, ph, temperature=T25, alkalinity=None, total_carbon=None, model="auto"):
    r"""Speciate waters from their totals, pH and alkalinity (or total inorganic carbon).

    Parameters
    ----------
    totals : mapping of str to numeric
        Total molality of each element or ion [mol/kg water], scalars or arrays of one shape:
        ``"Ca+2"``, ``"Mg+2"``, ``"Na+"``, ``"K+"``, ``"Sr+2"``, ``"Ba+2"``, ``"SO4-2"``,
        ``"F-"``, ``"B"`` (all boron), ``"Si"`` (all silica), ``"P"`` (all phosphate) and the
        unpaired ions ``"Cl-"``, ``"NO3-"``, ``"Br-"``, ``"Li+"``, ``"NH4+"``.
    ph : numeric or None
        pH, :math:`-\log_{10} a_{H^+}` [-], 0-14. ``None``: solved for, from the alkalinity
        and the total carbon (both then required, both > 0; the alkalinity balance replaces
        the pH, e.g. for a concentrate or permeate whose carbon and alkalinity are known).
    temperature : numeric, default 298.15
        Temperature [K].
    alkalinity : numeric, optional
        Total alkalinity [eq/kg water] (PHREEQC's definition: HCO3- + 2 CO3-2 + OH- - H+ +
        B(OH)4- + H3SiO4- + ... with the ion pairs). Give it or ``total_carbon``.
    total_carbon : numeric, optional
        Total inorganic carbon, CO2 + HCO3- + CO3-2 + pairs [mol/kg water].
    model : {"auto", "ion_association", "pitzer"}
        Activity model; ``"auto"`` takes Pitzer above :data:`PITZER_ABOVE` (0.1 mol/kg),
        judged from the ionic strength of the totals.

    Returns
    -------
    Speciation
        Molalities and activities of every species, ionic strength, alkalinity, carbon.

    Raises
    ------
    InputError
        pH outside 0-14, a negative total or alkalinity, an unknown name, both alkalinity and
        total carbon with a pH (or not both without one), an alkalinity the pH cannot carry,
        or no convergence (with the water).

    Notes
    -----
    For each master species k (Ca+2, ..., CO3-2, B(OH)3, H4SiO4, PO4-3) with total
    :math:`T_k`, :math:`\sum_j \nu_{jk} m_j = T_k`, with
    :math:`\ln m_j = \ln K_j + \sum_k \nu_{jk}\ln a_k + \nu_{jH}\ln a_H + \nu_{jw}\ln a_w -
    \ln\gamma_j`; when the alkalinity is given the carbon row is :math:`\sum_j
    \mathrm{alk}_j m_j = \mathrm{Alk}`. Newton's method in :math:`\ln m_k`, steps limited to a
    factor :math:`e^2`, the activity coefficients updated every step (Davies) or between
    solves until they change by < 1e-7 in log10 (Pitzer), to a relative balance error of
    1e-10. Without a pH, :math:`\ln a_H` is one more unknown, the carbon row balances the
    total carbon and the alkalinity balance is added.

    References
    ----------
    .. [1] Parkhurst, D. L. and Appelo, C. A. J., 2013, USGS Techniques and Methods 6-A43.
    .. [2] Plummer, L. N. and Busenberg, E., 1982, Geochim. Cosmochim. Acta 46, 1011-1040.
    .. [3] Nordstrom, D. K. et al., 1990, ACS Symposium Series 416, 398-413.

    Examples
    --------
    A hard groundwater at pH 7.5 and 2 meq/kg of alkalinity:

    >>> s = speciate({"Ca+2": 2e-3, "Cl-": 2e-3}, ph=7.5, alkalinity=2e-3)
    >>> round(float(s["HCO3-"][0] * 1e3), 3), round(float(s["CO2"][0] * 1e3), 3)
    (1.945, 0.127)

    The same water from its alkalinity and total carbon:

    >>> c = float(s.total_carbon[0])
    >>> round(float(speciate({"Ca+2": 2e-3, "Cl-": 2e-3}, None, alkalinity=2e-3,
    ...                      total_carbon=c).ph[0]), 6)
    7.5
    """
    return _speciate(totals, ph, temperature, alkalinity, total_carbon, model, _solve)


@functools.cache
def _union_setup():
    """Columns, charges, alkalinities and carbon columns of the union of both species sets."""
    union = _union_species()
    alk_union = np.zeros(len(union))
    columns = {}
    for name in ("ion_association", "pitzer"):
        species_set = _species_set(name)
        for j, s in enumerate(species_set.names):
            alk_union[union.index(s)] = species_set.alkalinity[j]
        columns[name] = np.array([union.index(s) for s in species_set.names], dtype=np.int64)
    z = np.array([_charge(s) for s in union], dtype=float)
    carbon_columns = np.array([j for j, s in enumerate(union) if "CO3" in s or s == "CO2"])
    masters = tuple(MASTER_SPECIES)
    charges = np.array([_charge(m) for m in masters])
    charges[masters.index("CO3-2")] = 0
    inert_charges = np.array([_charge(s) for s in INERT_IONS])
    known = {**{v: k for k, v in MASTER_SPECIES.items() if v != "C"},
             **{s: s for s in INERT_IONS}}
    missing = {name: np.setdiff1d(np.arange(len(union)), cols)
               for name, cols in columns.items()}
    carbon = np.zeros(len(union))
    carbon[carbon_columns] = 1.0
    # per species set (S, 3): z^2 / 2, alkalinity [eq/mol] and carbon [mol/mol] of each species
    weights = {name: np.ascontiguousarray(np.stack(
        [0.5 * z[cols] ** 2, alk_union[cols], carbon[cols]], axis=1))
        for name, cols in columns.items()}
    return {"union": union, "alkalinity": alk_union, "columns": columns, "z": z,
            "missing": missing, "weights": weights,
            "carbon_columns": carbon_columns, "master_z2": charges * charges,
            "inert_z2": inert_charges**2, "known": known, "h": union.index("H+"),
            # the Davies species are the first columns of the union (see _speciate)
            "davies_prefix": bool((columns["ion_association"]
                                   == np.arange(columns["ion_association"].size)).all()),
            "co2": union.index("CO2")}


def _carbonate_ph(alkalinity, total_carbon, temperature):
    """Starting pH of waters of given alkalinity and total carbon: the carbonate system
    alone, ideal (pK1 and pK2 of Plummer & Busenberg 1982), kept in 3-12."""
    set_ = _species_set("ion_association")
    log_k_all = _log_k_fast("ion_association", temperature)
    pk1 = log_k_all[:, set_.names.index("CO2")] - log_k_all[:, set_.names.index("HCO3-")]
    pk2 = log_k_all[:, set_.names.index("HCO3-")]
    below = alkalinity < total_carbon
    with np.errstate(divide="ignore", invalid="ignore"):
        acid = pk1 + np.log10(alkalinity / np.maximum(total_carbon - alkalinity, 1e-300))
        base = pk2 + np.log10(np.maximum(alkalinity - total_carbon, 1e-300)
                              / np.maximum(2.0 * total_carbon - alkalinity, 1e-300))
    return np.clip(np.nan_to_num(np.where(below, acid, base), nan=7.0), 3.0, 12.0)


def _speciate(totals, ph, temperature, alkalinity, total_carbon, model, solver):
    """:func:`speciate` with a given group solver (:func:`_solve` or :func:`_solve_reference`)."""
    if not isinstance(totals, Mapping):
        raise InputError("totals must be a mapping of name to molality [mol/kg], e.g. {'Ca+2': 1e-3}")
    if model not in _MODELS:
        raise InputError(f"unknown speciation model {model!r}.{suggest(str(model), _MODELS)}")
    fixed = _union_setup()
    known = fixed["known"]
    for name in totals:
        if name not in known:
            hint = suggest(str(name), known) or f" Known: {' '.join(known)}."
            raise InputError(f"no speciation for {name!r}.{hint}")
    sizes = [np.size(v) for v in (ph, temperature, alkalinity, total_carbon, *totals.values())]
    n = max(sizes)
    ph_unknown = ph is None
    if ph_unknown:
        if alkalinity is None or total_carbon is None:
            raise InputError("give the pH, or both the alkalinity and the total inorganic carbon")
        given_alkalinity = _as_column(alkalinity, "alkalinity", n)
        if not (given_alkalinity > 0).all():
            raise InputError("without a pH the alkalinity must be > 0 [eq/kg]")
        alkalinity = None
    else:
        ph = _as_column(ph, "pH", n)
        if ((ph < 0) | (ph > 14)).any():
            raise InputError(f"pH {float(ph[(ph < 0) | (ph > 14)][0]):g} is outside 0-14")
    temperature = _as_column(temperature, "temperature", n)
    if ((temperature < 273.15) | (temperature > 373.15)).any():
        raise InputError("temperature outside 0-100 degC: the constants are fitted for liquid water")
    if alkalinity is not None and total_carbon is not None:
        raise InputError("give the alkalinity or the total inorganic carbon, not both")
    carbon_is_alkalinity = np.full(n, alkalinity is not None)
    carbon = _as_column(0.0 if alkalinity is None and total_carbon is None else
                        (alkalinity if alkalinity is not None else total_carbon),
                        "alkalinity" if alkalinity is not None else "total carbon", n)
    if (carbon < 0).any():
        label = "alkalinity" if alkalinity is not None else "total inorganic carbon"
        raise InputError(f"{label} must be >= 0, got {float(carbon.min()):g}")
    masters = tuple(MASTER_SPECIES)
    master_totals = np.zeros((n, len(masters)))
    for k, master in enumerate(masters):
        key = MASTER_SPECIES[master]
        if key in totals:
            master_totals[:, k] = _as_column(totals[key], f"total {key}", n)
    inert = np.zeros((n, len(INERT_IONS)))
    for k, ion in enumerate(INERT_IONS):
        if ion in totals:
            inert[:, k] = _as_column(totals[ion], f"total {ion}", n)
    if (master_totals < 0).any() or (inert < 0).any():
        raise InputError("totals must be >= 0 [mol/kg]")
    if float(master_totals.sum(axis=1).max(initial=0) + inert.sum(axis=1).max(initial=0)) > 20:
        raise InputError("totals above 20 mol/kg are beyond any natural water; check the units")
    if ph_unknown:
        if not (carbon > 0).all():
            raise InputError("without a pH the total inorganic carbon must be > 0 [mol/kg]")
        ph = _carbonate_ph(given_alkalinity, carbon, temperature)
    estimate = 0.5 * (
        master_totals @ fixed["master_z2"] + inert @ fixed["inert_z2"]
        + (given_alkalinity if ph_unknown
           else np.where(carbon_is_alkalinity, carbon, 0.5 * carbon))
    )
    if model == "auto":
        use_pitzer = estimate > PITZER_ABOVE
    else:
        use_pitzer = np.full(n, model == "pitzer")
    union = fixed["union"]
    molality = np.empty((n, len(union)))
    log_activity = np.empty((n, len(union)))
    # all the waters Davies: the kernel fills the union arrays (whose first columns are the
    # Davies species; the others it sets to 0 and -inf) and the sums itself
    direct = solver is _solve and n > 0 and not use_pitzer.any() and fixed["davies_prefix"]
    if use_pitzer.any() and not use_pitzer.all():  # the columns a group's model lacks
        molality[:] = 0.0
        log_activity[:] = -np.inf
    elif not direct:
        missing = fixed["missing"]["pitzer" if use_pitzer.all() and n else "ion_association"]
        molality[:, missing] = 0.0
        log_activity[:, missing] = -np.inf
    log_aw = np.zeros(n)
    sums = np.empty((n, 3))  # ionic strength, alkalinity, total carbon
    iterations = 0
    for flag, name in ((False, "ion_association"), (True, "pitzer")):
        rows = np.flatnonzero(use_pitzer == flag)
        if rows.size == 0:
            continue
        species_set = _species_set(name)
        extra = (given_alkalinity[rows],) if ph_unknown else ()
        m, log_act, aw, used, ph_rows = solver(
            species_set, master_totals[rows], inert[rows], carbon[rows],
            carbon_is_alkalinity[rows], ph[rows], temperature[rows], flag, *extra,
            **({"out": (molality, log_activity, sums)} if direct else {}),
        )
        if ph_unknown:
            ph[rows] = ph_rows
        if not direct:
            (gather_kernel if rows.size >= _THREADED_FROM else gather_serial)(
                fixed["columns"][name], rows, m, np.ascontiguousarray(log_act), molality,
                log_activity, fixed["weights"][name], sums)
        log_activity[rows, fixed["h"]] = -ph[rows]
        log_aw[rows] = aw
        iterations = max(iterations, used)
    co2 = molality[:, fixed["co2"]]
    if (co2 > 2.0).any():  # CO2 solubility at 1 atm is 0.03 mol/kg, at 100 bar about 1.5
        bad = int(np.argmax(co2))
        raise InputError(
            f"{_which(bad, ph.size)}pH {ph[bad]:.3g} with alkalinity {carbon[bad] * 1e3:.4g} meq/kg "
            f"needs {co2[bad]:.3g} mol/kg of dissolved CO2, more than water holds; check the "
            "pH and the alkalinity"
        )
    return Speciation(
        species=union,
        molality=molality,
        log_activity=log_activity,
        log_water_activity=log_aw,
        ph=ph,
        temperature=temperature,
        ionic_strength=sums[:, 0],
        alkalinity=sums[:, 1],
        total_carbon=sums[:, 2],
        model=np.where(use_pitzer, "pitzer", "ion_association"),
        iterations=iterations,
    )
