r"""Multi-electrolyte Pitzer model (Harvie-Moller-Weare form), vectorised over compositions.

The osmotic coefficient, the activity of water and the activity coefficients of the solutes
of an aqueous mixture of ions and neutral solutes, from the ion-interaction equations of
Pitzer in the form of Harvie, Moller & Weare (1984): binary parameters
:math:`\beta^{(0)}, \beta^{(1)}, \beta^{(2)}, C^\phi`, mixing parameters :math:`\theta, \psi`
with the unsymmetrical electrostatic mixing terms :math:`{}^E\theta(I)` (Pitzer 1975; the
integral :math:`J(x)` by Harvie's Chebyshev expansion, Pitzer 1991), and neutral solutes
through :math:`\lambda, \zeta, \mu` (and :math:`\nu`, a fourth-order self term used for
wide molality ranges). The Debye-Huckel slope :math:`A_\phi(T)` comes from the
dielectric constant of Bradley & Pitzer (1979) and the density of water of Kell (1975); these
electrostatic pieces live in :mod:`osmolab.thermo.debye_huckel`.

Every function takes ``molalities``, a mapping of canonical species names (``"Na+"``,
``"SO4-2"``, ``"sucrose"``, ...) to molalities [mol/kg water] given as scalars or arrays
that broadcast together (and with ``temperature`` [K]); the result has the broadcast shape.
The work is done with NumPy over the composition axis; parameter matrices are built once per
species set and temperature, so 10^5 compositions take milliseconds.

Parameters live in ``data/pitzer_binary.csv``, ``data/pitzer_mixing.csv`` and
``data/pitzer_neutral.csv`` (one row per parameter with its source and temperature fit).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import numpy as np

from ..constants import M_WATER, T0, T25
from ..data import load_csv
from ..errors import InputError, suggest
from .debye_huckel import Debye_Huckel_slope, J_Harvie, dielectric_constant_Bradley_Pitzer

__all__ = [
    "SPECIES",  # noqa: F822 (module __getattr__: read from the data files on first use)
    "Debye_Huckel_slope",
    "J_Harvie",
    "activity_coefficients",
    "ln_activity_coefficients",
    "dielectric_constant_Bradley_Pitzer",
    "ln_water_activity",
    "neutral_fit_limits",
    "osmotic_coefficient",
    "supported_species",
    "validity",
    "water_activity",
]

#: Pitzer's universal parameter b [kg^0.5/mol^0.5] (Pitzer 1973).
B_PITZER = 1.2
#: Reference temperature of the parameter temperature functions [K].
T_REFERENCE = T25
#: Molality [mol/kg] from which a cation-anion pair counts for the validity warnings: below it
#: the pair's binary terms change phi by < 0.1 % even with a 25 degC parameter used at 50 degC
#: or no parameters at all (e.g. Mg-HCO3 in seawater and brackish water, 1-5 mmol/kg).
MAJOR_MOLALITY = 0.01
#: Neutral solutes known to the model (charge 0).
NEUTRAL_SPECIES = frozenset(
    {"B(OH)3", "SiO2", "CO2", "glucose", "sucrose", "urea", "glycerol", "ethanol"}
)
#: Total molality [mol/kg] above which no input is an aqueous solution (the same limit as
#: :data:`osmolab.thermo.solution.MAX_TOTAL_MOLALITY`); refused with an InputError.
MAX_TOTAL_MOLALITY = 200.0
_PARAMETER_COLUMNS = ["a0", "a1", "a2", "a3", "a4", "a5"]
#: below this ionic strength [mol/kg] the 1/I factors of the mixing terms are skipped (their
#: products with m^2 vanish; this avoids overflow for denormal molalities)
_TINY_IONIC_STRENGTH = 1e-20
_BINARY_NAMES = ("beta0", "beta1", "beta2", "cphi")


def charge(species: str) -> int:
    """Charge number of a canonical species name (``"SO4-2"`` -> -2, ``"urea"`` -> 0)."""
    if species in NEUTRAL_SPECIES:
        return 0
    match = re.search(r"([+-])(\d*)$", species)
    if match is None:
        return 0
    return (1 if match.group(1) == "+" else -1) * int(match.group(2) or 1)


# --------------------------------------------------------------------------------------
# parameter tables
# --------------------------------------------------------------------------------------
@functools.cache
def _tables():
    """Parameter tables: species tuple -> (coefficients[6], tmin_C, tmax_C, source, max_molality)."""

    def rows(frame, keys):
        out = {}
        for record in frame.itertuples(index=False):
            key = tuple(
                str(getattr(record, k)) for k in keys if isinstance(getattr(record, k), str)
            )
            coefficients = np.array([float(getattr(record, c)) for c in _PARAMETER_COLUMNS])
            limit = float(getattr(record, "max_molality", np.nan))
            out[key] = (
                coefficients,
                float(record.tmin_C),
                float(record.tmax_C),
                record.source,
                limit,
            )
        return out

    binary = load_csv("pitzer_binary.csv")
    mixing = load_csv("pitzer_mixing.csv")
    neutral = load_csv("pitzer_neutral.csv")
    tables = {
        name: rows(binary[binary.parameter == name], ["cation", "anion"]) for name in _BINARY_NAMES
    }
    for name in ("theta", "psi"):
        tables[name] = rows(mixing[mixing.parameter == name], ["species1", "species2", "species3"])
    for name in ("lambda", "zeta", "mu", "nu"):
        tables[name] = rows(neutral[neutral.parameter == name], ["neutral", "species2", "species3"])
    return tables


@functools.cache
def supported_species() -> frozenset:
    """Canonical names of the species with Pitzer parameters (ions with a binary set,
    neutral solutes with a lambda or mu term).

    Examples
    --------
    >>> {"Na+", "Cl-", "sucrose"} <= supported_species()
    True
    """
    tables = _tables()
    ions = set()
    for cation, anion in tables["beta0"]:
        ions.update((cation, anion))
    neutrals = {key[0] for key in tables["lambda"]} | {key[0] for key in tables["mu"]}
    return frozenset(ions | neutrals)


def __getattr__(name):
    # SPECIES is read from the data files on first use, keeping ``import`` cheap.
    if name == "SPECIES":
        return supported_species()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _temperature_basis(temperature):
    """Rows [1, 1/T-1/Tr, ln(T/Tr), T-Tr, T^2-Tr^2, 1/T^2-1/Tr^2] for each temperature [K]."""
    t = np.asarray(temperature, dtype=float).reshape(-1)
    tr = T_REFERENCE
    return np.stack(
        [
            np.ones_like(t),
            1.0 / t - 1.0 / tr,
            np.log(t / tr),
            t - tr,
            t * t - tr * tr,
            1.0 / (t * t) - 1.0 / (tr * tr),
        ],
        axis=-1,
    )


# --------------------------------------------------------------------------------------
# a species set with its parameter coefficient arrays
# --------------------------------------------------------------------------------------
class _System:
    """Index arrays and temperature-fit coefficient arrays for one ordered species set."""

    def __init__(self, species: tuple[str, ...]):
        tables = _tables()
        self.species = species
        z = np.array([charge(s) for s in species])
        self.cations = np.flatnonzero(z > 0)
        self.anions = np.flatnonzero(z < 0)
        self.neutrals = np.flatnonzero(z == 0)
        cat = [species[i] for i in self.cations]
        an = [species[i] for i in self.anions]
        neu = [species[i] for i in self.neutrals]
        self.z_cation = z[self.cations].astype(float)
        self.z_anion = z[self.anions].astype(float)
        nc, na, nn = len(cat), len(an), len(neu)
        self.nc, self.na, self.nn = nc, na, nn

        def lookup(name, *keys):
            row = tables[name].get(tuple(keys))
            return None if row is None else row[0]

        # binary: (4, nc, na, 6)
        self.binary = np.zeros((4, nc, na, 6))
        for p, name in enumerate(_BINARY_NAMES):
            for i, c in enumerate(cat):
                for j, a in enumerate(an):
                    coefficients = lookup(name, c, a)
                    if coefficients is not None:
                        self.binary[p, i, j] = coefficients
        zz = np.abs(np.outer(self.z_cation, self.z_anion))
        two_two = zz == 4
        # alpha1 = 2 (1.4 for 2-2 salts) and alpha2 = 12 (HMW 1984); the beta2 that Appelo
        # (2015) gives CaCl2 and NaHCO3 also goes with alpha2 = 12 (checked against PHREEQC).
        self.alpha1 = np.where(two_two, 1.4, 2.0)
        # (alpha, index of the beta in `binary`, mask of the pairs using that alpha)
        self.alpha_terms = [
            (alpha, 1, (self.alpha1 == alpha).astype(float)) for alpha in np.unique(self.alpha1)
        ] + [(12.0, 2, np.ones_like(self.alpha1))]
        self.c_factor = 1.0 / (2.0 * np.sqrt(np.where(zz > 0, zz, 1.0)))

        # mixing of like-charged ions: theta (n, n, 6) symmetric, zero diagonal; psi (n, n, m, 6)
        def like(names, others):
            n, m = len(names), len(others)
            theta = np.zeros((n, n, 6))
            psi = np.zeros((n, n, m, 6))
            for i in range(n):
                for j in range(i + 1, n):
                    pair = tuple(sorted((names[i], names[j])))
                    coefficients = lookup("theta", *pair)
                    if coefficients is not None:
                        theta[i, j] = theta[j, i] = coefficients
                    for k, other in enumerate(others):
                        coefficients = lookup("psi", *pair, other)
                        if coefficients is not None:
                            psi[i, j, k] = psi[j, i, k] = coefficients
            return theta, psi

        self.theta_cc, self.psi_cca = like(cat, an)
        self.theta_aa, self.psi_aac = like(an, cat)

        # unsymmetrical electrostatic mixing: distinct unlike charge pairs among like-sign ions
        def charge_pairs(zs):
            pairs, index = [], np.full((len(zs), len(zs)), -1)
            for i in range(len(zs)):
                for j in range(i + 1, len(zs)):
                    if zs[i] != zs[j]:
                        key = (min(abs(zs[i]), abs(zs[j])), max(abs(zs[i]), abs(zs[j])))
                        if key not in pairs:
                            pairs.append(key)
                        index[i, j] = index[j, i] = pairs.index(key)
            onehot = np.zeros((len(pairs), len(zs), len(zs)))
            for p in range(len(pairs)):
                onehot[p][index == p] = 1.0
            return np.array(pairs, dtype=float).reshape(-1, 2), onehot

        self.epairs_c, self.eonehot_c = charge_pairs(self.z_cation)
        self.epairs_a, self.eonehot_a = charge_pairs(self.z_anion)

        # neutrals: lambda with every species (nn, ns, 6), zeta (nn, nc, na, 6), mu (nn, 6)
        self.lam = np.zeros((nn, len(species), 6))
        self.zeta = np.zeros((nn, nc, na, 6))
        self.mu = np.zeros((nn, 6))
        self.nu = np.zeros((nn, 6))
        for i, n in enumerate(neu):
            for j, other in enumerate(species):
                coefficients = lookup("lambda", n, other)
                if coefficients is None and other in NEUTRAL_SPECIES:
                    coefficients = lookup("lambda", other, n)
                if coefficients is not None:
                    self.lam[i, j] = coefficients
            for j, c in enumerate(cat):
                for k, a in enumerate(an):
                    coefficients = lookup("zeta", n, c, a)
                    if coefficients is not None:
                        self.zeta[i, j, k] = coefficients
            for name, target in (("mu", self.mu), ("nu", self.nu)):
                coefficients = lookup(name, n)
                if coefficients is not None:
                    target[i] = coefficients
        self.has_mixing = nc > 1 or na > 1
        self._cache: dict = {}

    def parameters(self, temperature):
        """Parameter arrays at ``temperature`` (scalar -> leading axis 1, array -> leading N)."""
        t = np.asarray(temperature, dtype=float)
        key = float(t) if t.ndim == 0 else None
        if key is not None and key in self._cache:
            return self._cache[key]
        basis = _temperature_basis(t)  # (K, 6)
        shared_weights: dict = {}

        def at(coefficients):
            if basis.shape[0] > 1:
                # one temperature per row: keep the fit coefficients and fold the basis into
                # the molality sums (no (N, n, n, n) parameter arrays)
                return _PerRow(coefficients, basis, shared_weights)
            return np.einsum("...k,nk->n...", coefficients, basis)  # (K, ...)

        values = {
            "binary": at(self.binary),
            "theta_cc": at(self.theta_cc),
            "theta_aa": at(self.theta_aa),
            "psi_cca": at(self.psi_cca),
            "psi_aac": at(self.psi_aac),
            "lam": at(self.lam),
            "zeta": at(self.zeta),
            "mu": np.einsum("...k,nk->n...", self.mu, basis),
            "nu": np.einsum("...k,nk->n...", self.nu, basis),
            "A_phi": np.asarray(Debye_Huckel_slope(t), dtype=float).reshape(-1),
        }
        if key is not None:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = values
        return values


@functools.lru_cache(maxsize=256)
def _system(species: tuple[str, ...]) -> _System:
    return _System(species)


# --------------------------------------------------------------------------------------
# input handling
# --------------------------------------------------------------------------------------
def _prepare(molalities, temperature):
    """Validate and broadcast; return (species tuple, (N, ns) molality matrix, T, shape)."""
    if not isinstance(molalities, Mapping):
        raise InputError(
            "molalities must be a mapping of species name to molality [mol/kg], "
            "e.g. {'Na+': 0.5, 'Cl-': 0.5}."
        )
    supported = supported_species()
    unknown = [str(s) for s in molalities if s not in supported]
    if unknown:
        hint = suggest(unknown[0], supported) if len(unknown) == 1 else ""
        raise InputError(
            f"the Pitzer model has no parameters for {', '.join(map(repr, unknown))}."
            f"{hint} Supported species: {' '.join(sorted(supported))}."
        )
    names = tuple(molalities)
    values = [molalities[s] for s in names]
    scalar_t = isinstance(temperature, float | int) and not isinstance(temperature, bool)
    if scalar_t and all(isinstance(v, float | int) and not isinstance(v, bool) for v in values):
        # fast path for one composition given as plain numbers
        matrix = np.array([values], dtype=float).reshape(1, len(names))
        t = np.asarray(float(temperature))
        shape = ()
    else:
        try:
            arrays = [np.asarray(v, dtype=float) for v in values]
            t = np.asarray(temperature, dtype=float)
            broadcast = np.broadcast_arrays(*arrays, t)
        except (TypeError, ValueError) as error:
            raise InputError(
                "molalities and temperature must be numbers or arrays of one common shape "
                f"({error})."
            ) from None
        t = broadcast[-1]
        shape = t.shape
        size = int(np.prod(shape))
        matrix = np.empty((size, len(names)))
        for k, value in enumerate(broadcast[:-1]):
            matrix[:, k] = value.reshape(-1)
    if not np.isfinite(matrix).all() or (matrix < 0).any():
        bad = ~np.isfinite(matrix) | (np.nan_to_num(matrix) < 0)
        name = names[int(np.flatnonzero(bad.any(axis=0))[0])]
        raise InputError(f"molality of {name!r} must be a finite number >= 0 [mol/kg].")
    if matrix.size and float(matrix.sum(axis=1).max()) > MAX_TOTAL_MOLALITY:
        raise InputError(
            f"total molality {float(matrix.sum(axis=1).max()):.4g} mol/kg is beyond any aqueous "
            f"solution (limit {MAX_TOTAL_MOLALITY:g} mol/kg; the Pitzer fits reach about "
            "6 mol/kg); check the amounts and units."
        )
    if not np.isfinite(t).all() or (t <= 0).any():
        raise InputError("temperature must be a finite absolute temperature > 0 [K].")
    if (t < 250.0).any() or (t > 523.15).any():
        raise InputError(
            "temperature outside 250-523 K: the Pitzer parameters are fitted for liquid water "
            "(0-50 degC for most salts, to 200 degC for the major ones)."
        )
    if t.ndim == 0:
        t_used = float(t)
    elif t.size and (t == t.flat[0]).all():
        t_used = float(t.flat[0])
    elif t.size:
        t_used = t.reshape(-1)
    else:
        t_used = T25
    return names, matrix, t_used, shape


# --------------------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------------------
def _g(x):
    """Pitzer's g(x) = 2[1 - (1 + x) e^-x]/x^2 and g'(x) = -2[1 - (1 + x + x^2/2) e^-x]/x^2."""
    small = x < 1e-4
    xs = np.where(small, 1.0, x)
    e = np.exp(-xs)
    g = np.where(small, 1.0 - 2.0 * x / 3.0, 2.0 * (1.0 - (1.0 + xs) * e) / (xs * xs))
    gp = np.where(small, -x / 3.0, -2.0 * (1.0 - (1.0 + xs + 0.5 * xs * xs) * e) / (xs * xs))
    return g, gp


def _j_tables(pair_lists, a_phi, sqrt_i):
    """J(x) and x J'(x), x = 6 q A_phi sqrt(I), for each distinct charge product q of the pairs."""
    products = sorted(
        {q for pairs in pair_lists for zi, zj in pairs for q in (zi * zj, zi * zi, zj * zj)}
    )
    if not products:
        return {}, {}
    x = np.outer(products, 6.0 * a_phi * sqrt_i)
    j_all, dj_all = J_Harvie(x)
    j_of = {q: j_all[k] for k, q in enumerate(products)}
    xdj_of = {q: x[k] * dj_all[k] for k, q in enumerate(products)}
    return j_of, xdj_of


def _electrostatic(pairs, j_of, xdj_of, ionic):
    """E-theta terms per unlike charge pair p: (Phi^phi_E, E-theta, E-theta'), each (N, P)."""
    n_rows = ionic.shape[0]
    positive = ionic > _TINY_IONIC_STRENGTH
    i_safe = np.where(positive, ionic, 1.0)
    e_theta = np.empty((n_rows, len(pairs)))
    e_theta_p = np.empty((n_rows, len(pairs)))
    e_phi = np.empty((n_rows, len(pairs)))
    for p, (zi, zj) in enumerate(pairs):
        ij, ii, jj = zi * zj, zi * zi, zj * zj
        bracket = j_of[ij] - 0.5 * j_of[ii] - 0.5 * j_of[jj]
        xbracket = xdj_of[ij] - 0.5 * xdj_of[ii] - 0.5 * xdj_of[jj]
        theta = ij / (4.0 * i_safe) * bracket
        theta_p = -theta / i_safe + ij / (8.0 * i_safe * i_safe) * xbracket
        e_theta[:, p] = np.where(positive, theta, 0.0)
        e_theta_p[:, p] = np.where(positive, theta_p, 0.0)
        e_phi[:, p] = np.where(positive, ij / (8.0 * i_safe) * xbracket, 0.0)
    return e_phi, e_theta, e_theta_p


def _mixing_pair_sums(m, onehot):
    """sum_{ij} m_i m_j [pair(i, j) = p] -> (N, P), and sum_j m_j [pair(i, j) = p] -> (N, P, n)."""
    per_ion = np.einsum("nj,pij->npi", m, onehot)
    return np.einsum("ni,npi->np", m, per_ion), per_ion


class _PerRow:
    """Parameter array X_n... = sum_k C_...k B_nk of a batch with one temperature per row.

    Indexing, products with constant arrays and axis moves act on the parameter axes (the
    leading row axis of the equivalent (N, ...) array is implicit); the sums of :func:`_vec`
    and :func:`_triple_vec` contract the basis together with the molalities.
    """

    def __init__(self, coefficients, basis, weights=None):
        self.coefficients = coefficients  # (..., 6)
        self.basis = basis  # (N, 6)
        # m_nj B_nk per molality array, shared by the parameters of one evaluation; keyed by
        # id with the array kept alive in the entry, so an id is never reused while cached
        self.weights = {} if weights is None else weights

    def _derived(self, coefficients):
        return _PerRow(coefficients, self.basis, self.weights)

    def __getitem__(self, key):
        key = key if isinstance(key, tuple) else (key,)
        if key[0] != slice(None):
            raise IndexError("the row axis of a per-row parameter is implicit")
        return self._derived(self.coefficients[key[1:]])

    def __mul__(self, factor):
        return self._derived(self.coefficients * np.asarray(factor)[..., None])

    def swapaxes(self, a, b):
        return self._derived(np.swapaxes(self.coefficients, a - 1, b - 1))

    def moveaxis(self, a, b):
        return self._derived(np.moveaxis(self.coefficients, a - 1, b - 1))

    def without(self, columns):
        coefficients = self.coefficients.copy()
        coefficients[:, columns] = 0.0
        return self._derived(coefficients)

    def contract(self, m):
        """sum_{j,k} m_nj B_nk C_{...jk} -> (N, ...) for the last parameter axis j."""
        c = self.coefficients
        n = m.shape[0]
        entry = self.weights.get(id(m))
        if entry is None or entry[0] is not m:
            weights = (m[:, :, None] * self.basis[:, None, :]).reshape(n, -1)
            entry = self.weights[id(m)] = (m, weights)
        weights = entry[1]
        flat = c.reshape(int(np.prod(c.shape[:-2])), c.shape[-2] * c.shape[-1])
        # most mixing and neutral parameters are zero: multiply only the nonzero block
        rows, columns = flat.any(axis=1), flat.any(axis=0)
        out = np.zeros((n, flat.shape[0]))
        if rows.any():
            # einsum, not matmul (see _vec)
            out[:, rows] = np.einsum("nk,ik->ni", weights[:, columns], flat[np.ix_(rows, columns)])
        return out.reshape((n,) + c.shape[:-2])


def _swapaxes(x, a, b):
    return x.swapaxes(a, b) if isinstance(x, _PerRow) else np.swapaxes(x, a, b)


def _moveaxis(x, a, b):
    return x.moveaxis(a, b) if isinstance(x, _PerRow) else np.moveaxis(x, a, b)


def _without(x, columns):
    """Copy of a (K, i, j) parameter array with the columns j zeroed."""
    if isinstance(x, _PerRow):
        return x.without(columns)
    out = x.copy()
    out[:, :, columns] = 0.0
    return out


def _vec(m, x):
    """sum_j m_nj X_nij -> (N, i); X has leading axis 1 (shared) or N."""
    if isinstance(x, _PerRow):
        return x.contract(m)
    # einsum, not matmul: BLAS threads cost more than they give on these skinny products
    if x.shape[0] == 1:
        return np.einsum("nj,ij->ni", m, x[0])
    return np.einsum("nij,nj->ni", x, m)


def _pair(m1, m2, x):
    """sum_ij m1_ni m2_nj X_nij -> (N,)."""
    return np.einsum("ni,ni->n", m1, _vec(m2, x))


def _triple_vec(m2, m3, p):
    """sum_jk m2_nj m3_nk P_ijk -> (N, i); P has leading axis 1 (shared) or N."""
    if isinstance(p, _PerRow):
        q = p.contract(m3)
    elif p.shape[0] == 1:
        q = np.einsum("nk,ijk->nij", m3, p[0])
    else:
        q = np.einsum("nijk,nk->nij", p, m3)
    return np.einsum("nij,nj->ni", q, m2)


def _evaluate(molalities, temperature, gamma=False):
    names, m, temperature_used, shape = _prepare(molalities, temperature)
    n_rows = m.shape[0]
    total = m.sum(axis=1)
    if not names:
        out = {"phi": np.ones(n_rows), "total": total, "names": names, "shape": shape}
        if gamma:
            out["ln_gamma"] = np.zeros((n_rows, 0))
        return out
    system = _system(names)
    par = system.parameters(temperature_used)
    mc = m[:, system.cations]
    ma = m[:, system.anions]
    mn = m[:, system.neutrals]
    zc, za = system.z_cation, system.z_anion
    ionic = 0.5 * (np.einsum("nc,c->n", mc, zc * zc) + np.einsum("na,a->n", ma, za * za))
    z_sum = np.einsum("nc,c->n", mc, zc) - np.einsum("na,a->n", ma, za)
    sqrt_i = np.sqrt(ionic)
    a_phi = par["A_phi"] if par["A_phi"].shape[0] == n_rows else np.full(n_rows, par["A_phi"][0])
    b = B_PITZER

    # binary cation-anion terms; B^phi = beta0 + sum_alpha beta_alpha exp(-alpha sqrt I): the
    # exponentials depend on alpha only, so the pair sums are taken per alpha (no N x nc x na).
    binary = par["binary"]  # (K, 4, nc, na)
    beta0 = binary[:, 0]
    terms = [(alpha, binary[:, k] * mask) for alpha, k, mask in system.alpha_terms]
    c_ca = binary[:, 3] * system.c_factor  # (K, nc, na)
    c_sum = _pair(mc, ma, c_ca)  # sum_ca m_c m_a C_ca
    pair_b = _pair(mc, ma, beta0)
    for alpha, beta in terms:
        pair_b = pair_b + np.exp(-alpha * sqrt_i) * _pair(mc, ma, beta)
    excess = -a_phi * ionic * sqrt_i / (1.0 + b * sqrt_i) + pair_b + z_sum * c_sum

    # like-charge mixing
    if system.has_mixing:
        j_of, xdj_of = _j_tables((system.epairs_c, system.epairs_a), a_phi, sqrt_i)
        ephi_c, etheta_c, ethetap_c = _electrostatic(system.epairs_c, j_of, xdj_of, ionic)
        ephi_a, etheta_a, ethetap_a = _electrostatic(system.epairs_a, j_of, xdj_of, ionic)
        pairs_c, per_cation = _mixing_pair_sums(mc, system.eonehot_c)
        pairs_a, per_anion = _mixing_pair_sums(ma, system.eonehot_a)
        psi_cca, psi_aac = par["psi_cca"], par["psi_aac"]
        excess = excess + 0.5 * (_pair(mc, mc, par["theta_cc"]) + (ephi_c * pairs_c).sum(1))
        excess = excess + 0.5 * (_pair(ma, ma, par["theta_aa"]) + (ephi_a * pairs_a).sum(1))
        excess = excess + 0.5 * np.einsum("nc,nc->n", mc, _triple_vec(mc, ma, psi_cca))
        excess = excess + 0.5 * np.einsum("na,na->n", ma, _triple_vec(ma, mc, psi_aac))
    sum_phi_minus_1 = 2.0 * excess

    # neutral solutes
    if system.nn:
        lam = par["lam"]  # (K, nn, ns)
        lam_ion = _without(lam, system.neutrals)
        lam_nn = lam[:, :, system.neutrals]
        sum_phi_minus_1 = sum_phi_minus_1 + 2.0 * _pair(mn, m, lam_ion) + _pair(mn, mn, lam_nn)
        mu, nu = par["mu"], par["nu"]  # (K, nn)
        sum_phi_minus_1 = sum_phi_minus_1 + (2.0 * mn**3 * mu + 3.0 * mn**4 * nu).sum(axis=1)
        if system.nc and system.na:
            zeta_terms = _triple_vec(mc, ma, par["zeta"])  # (N, nn)
            sum_phi_minus_1 = sum_phi_minus_1 + 2.0 * np.einsum("nk,nk->n", mn, zeta_terms)

    positive = total > 0
    phi = 1.0 + np.where(positive, sum_phi_minus_1 / np.where(positive, total, 1.0), 0.0)
    out = {"phi": phi, "total": total, "names": names, "shape": shape, "ionic": ionic}
    if not gamma:
        return out

    # activity coefficients (HMW 1984 eqs. 2-3; neutrals Pitzer 1991)
    ln_gamma = np.zeros_like(m)
    i_safe = np.where(ionic > _TINY_IONIC_STRENGTH, ionic, 1.0)
    f = -a_phi * (sqrt_i / (1.0 + b * sqrt_i) + 2.0 / b * np.log1p(b * sqrt_i))
    beta0_t = _swapaxes(beta0, 1, 2)
    gamma_c = 2.0 * _vec(ma, beta0) + z_sum[:, None] * _vec(ma, c_ca)
    gamma_a = 2.0 * _vec(mc, beta0_t) + z_sum[:, None] * _vec(mc, _swapaxes(c_ca, 1, 2))
    for alpha, beta in terms:
        g, gp = _g(alpha * sqrt_i)
        f = f + gp / i_safe * _pair(mc, ma, beta)
        gamma_c = gamma_c + 2.0 * g[:, None] * _vec(ma, beta)
        gamma_a = gamma_a + 2.0 * g[:, None] * _vec(mc, _swapaxes(beta, 1, 2))
    if system.has_mixing:
        f = f + 0.5 * ((ethetap_c * pairs_c).sum(1) + (ethetap_a * pairs_a).sum(1))
        gamma_c = gamma_c + 2.0 * (
            _vec(mc, par["theta_cc"]) + np.einsum("np,npi->ni", etheta_c, per_cation)
        )
        gamma_a = gamma_a + 2.0 * (
            _vec(ma, par["theta_aa"]) + np.einsum("np,npi->ni", etheta_a, per_anion)
        )
        gamma_c = gamma_c + _triple_vec(mc, ma, psi_cca)
        gamma_a = gamma_a + 0.5 * _triple_vec(mc, mc, _moveaxis(psi_cca, 3, 1))
        gamma_a = gamma_a + _triple_vec(ma, mc, psi_aac)
        gamma_c = gamma_c + 0.5 * _triple_vec(ma, ma, _moveaxis(psi_aac, 3, 1))
    gamma_c = gamma_c + (zc * zc) * f[:, None] + zc * c_sum[:, None]
    gamma_a = gamma_a + (za * za) * f[:, None] - za * c_sum[:, None]
    if system.nn:
        ion_from_neutral = 2.0 * _vec(mn, _swapaxes(lam_ion, 1, 2))  # (N, ns)
        gamma_c = gamma_c + ion_from_neutral[:, system.cations]
        gamma_a = gamma_a + ion_from_neutral[:, system.anions]
        gamma_n = 2.0 * _vec(m, lam_ion) + 2.0 * _vec(mn, lam_nn)
        gamma_n = gamma_n + 3.0 * mn * mn * mu + 4.0 * mn**3 * nu
        if system.nc and system.na:
            zeta = par["zeta"]  # (K, nn, nc, na)
            gamma_n = gamma_n + zeta_terms
            gamma_c = gamma_c + _triple_vec(mn, ma, _moveaxis(zeta, 2, 1))
            gamma_a = gamma_a + _triple_vec(mn, mc, _moveaxis(zeta, 3, 1))
        ln_gamma[:, system.neutrals] = gamma_n
    ln_gamma[:, system.cations] = gamma_c
    ln_gamma[:, system.anions] = gamma_a
    out["ln_gamma"] = ln_gamma
    return out


# --------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------
def osmotic_coefficient(molalities, temperature=T25):
    r"""Osmotic coefficient of an aqueous mixture, Pitzer model (Harvie-Moller-Weare form).

    Parameters
    ----------
    molalities : mapping of str to numeric
        Molality of each species [mol/kg water], canonical names (``"Na+"``, ``"Ca+2"``,
        ``"SO4-2"``, ``"sucrose"``); scalars or arrays broadcasting together.
    temperature : numeric, default 298.15
        Temperature [K]; broadcasts with the molalities.

    Returns
    -------
    numpy.ndarray
        Osmotic coefficient :math:`\phi` [-] (1 where all molalities are zero).

    Raises
    ------
    InputError
        A species without Pitzer parameters (the message names it), a negative or non-finite
        molality, or a temperature outside liquid water.

    Notes
    -----
    .. math::
        \sum_i m_i(\phi - 1) = 2\Big[-\frac{A_\phi I^{3/2}}{1 + b\sqrt I}
        + \sum_c\sum_a m_c m_a (B^\phi_{ca} + Z C_{ca})
        + \sum_{c<c'} m_c m_{c'}\big(\Phi^\phi_{cc'} + \sum_a m_a \psi_{cc'a}\big)
        + \sum_{a<a'} m_a m_{a'}\big(\Phi^\phi_{aa'} + \sum_c m_c \psi_{aa'c}\big)
        + \sum_n\sum_i m_n m_i \lambda_{ni} + \sum_n\sum_c\sum_a m_n m_c m_a\zeta_{nca}\Big]
        + \sum_n\sum_{n'} m_n m_{n'}\lambda_{nn'} + 2\sum_n \mu_{nnn} m_n^3
        + 3\sum_n \nu_{nnnn} m_n^4

    with :math:`B^\phi = \beta^{(0)} + \beta^{(1)} e^{-\alpha_1\sqrt I} + \beta^{(2)}
    e^{-\alpha_2\sqrt I}`, :math:`C = C^\phi/(2\sqrt{|z_c z_a|})`, :math:`Z = \sum|z_i| m_i`,
    :math:`\Phi^\phi = \theta + {}^E\theta(I) + I\,{}^E\theta'(I)`, b = 1.2, alpha1 = 2
    (1.4 for 2-2 salts) and alpha2 = 12 (also for the beta2 that Appelo 2015 gives CaCl2 and
    NaHCO3).

    References
    ----------
    .. [1] Harvie, C. E., Moller, N. and Weare, J. H., 1984, The prediction of mineral
       solubilities in natural waters: the Na-K-Mg-Ca-H-Cl-SO4-OH-HCO3-CO3-CO2-H2O system to
       high ionic strengths at 25 degC, Geochim. Cosmochim. Acta 48, 723-751.
    .. [2] Pitzer, K. S., 1991, Activity Coefficients in Electrolyte Solutions, 2nd ed., CRC.
    .. [3] Appelo, C. A. J., 2015, Principles, caveats and improvements in databases for
       calculating hydrogeochemical reactions in saline waters from 0 to 200 degC and 1 to
       1000 atm, Appl. Geochem. 55, 62-71.

    Examples
    --------
    NaCl 1 mol/kg at 25 degC (Robinson & Stokes 1959 give 0.936):

    >>> round(float(osmotic_coefficient({"Na+": 1.0, "Cl-": 1.0})), 3)
    0.936
    """
    result = _evaluate(molalities, temperature)
    return result["phi"].reshape(result["shape"])


def ln_water_activity(molalities, temperature=T25):
    r"""Natural logarithm of the activity of water, Pitzer model.

    Parameters
    ----------
    molalities : mapping of str to numeric
        Molality of each species [mol/kg water] (see :func:`osmotic_coefficient`).
    temperature : numeric, default 298.15
        Temperature [K].

    Returns
    -------
    numpy.ndarray
        :math:`\ln a_w` [-].

    Notes
    -----
    .. math:: \ln a_w = -M_w \phi \sum_i m_i, \quad M_w = 0.01801528 \text{ kg/mol}

    References
    ----------
    .. [1] Pitzer, K. S., 1991, Activity Coefficients in Electrolyte Solutions, 2nd ed., CRC.

    Examples
    --------
    >>> round(float(np.exp(ln_water_activity({"Na+": 1.0, "Cl-": 1.0}))), 4)
    0.9668
    """
    result = _evaluate(molalities, temperature)
    return (-M_WATER * result["phi"] * result["total"]).reshape(result["shape"])


def water_activity(molalities, temperature=T25):
    """Activity of water [-], Pitzer model: ``exp(ln_water_activity(...))``.

    Examples
    --------
    >>> round(float(water_activity({"Na+": 2.0, "Cl-": 2.0})), 4)
    0.9316
    """
    return np.exp(ln_water_activity(molalities, temperature))


def ln_activity_coefficients(molalities, temperature=T25):
    r"""Natural logarithms of the molal activity coefficients of all species, Pitzer model.

    Parameters
    ----------
    molalities : mapping of str to numeric
        Molality of each species [mol/kg water] (see :func:`osmotic_coefficient`).
    temperature : numeric, default 298.15
        Temperature [K].

    Returns
    -------
    dict of str to numpy.ndarray
        :math:`\ln\gamma_i` [-] of each species, and ``"H2O"``: :math:`\ln a_w`.

    Notes
    -----
    Harvie, Moller & Weare (1984) eqs. 2-3 for ions,

    .. math::
        \ln\gamma_M = z_M^2 F + \sum_a m_a (2B_{Ma} + Z C_{Ma})
        + \sum_c m_c\big(2\Phi_{Mc} + \sum_a m_a\psi_{Mca}\big)
        + \sum_{a<a'} m_a m_{a'}\psi_{aa'M} + |z_M|\sum_c\sum_a m_c m_a C_{ca}
        + 2\sum_n m_n\lambda_{nM} + \sum_n\sum_a m_n m_a\zeta_{nMa}

    (anions alike), with :math:`F = -A_\phi[\sqrt I/(1 + b\sqrt I) + (2/b)\ln(1 + b\sqrt I)]
    + \sum_c\sum_a m_c m_a B'_{ca} + \sum_{c<c'} m_c m_{c'}\Phi'_{cc'}
    + \sum_{a<a'} m_a m_{a'}\Phi'_{aa'}`; for a neutral n,
    :math:`\ln\gamma_n = 2\sum_i m_i\lambda_{ni} + \sum_c\sum_a m_c m_a\zeta_{nca}
    + 3\mu_{nnn} m_n^2 + 4\nu_{nnnn} m_n^3`. They are the derivatives of the same excess Gibbs
    energy as :func:`osmotic_coefficient` (checked numerically in the tests). Mean activity
    coefficients follow as :math:`\ln\gamma_\pm = (\nu_M\ln\gamma_M + \nu_X\ln\gamma_X)/\nu`.

    References
    ----------
    .. [1] Harvie, C. E., Moller, N. and Weare, J. H., 1984, Geochim. Cosmochim. Acta 48,
       723-751.
    .. [2] Pitzer, K. S., 1991, Activity Coefficients in Electrolyte Solutions, 2nd ed., CRC.

    Examples
    --------
    Mean activity coefficient of NaCl 1 mol/kg (Robinson & Stokes 1959: 0.657):

    >>> lng = ln_activity_coefficients({"Na+": 1.0, "Cl-": 1.0})
    >>> round(float(np.exp((lng["Na+"] + lng["Cl-"]) / 2)), 3)
    0.657
    """
    result = _evaluate(molalities, temperature, gamma=True)
    shape = result["shape"]
    out = {name: result["ln_gamma"][:, k].reshape(shape) for k, name in enumerate(result["names"])}
    out["H2O"] = (-M_WATER * result["phi"] * result["total"]).reshape(shape)
    return out


def activity_coefficients(molalities, temperature=T25):
    """Molal activity coefficients of all species [-], Pitzer model (``"H2O"``: a_w).

    ``exp`` of :func:`ln_activity_coefficients`; for saturation indices use the logarithms.

    Examples
    --------
    >>> round(float(activity_coefficients({"Ca+2": 0.01, "Cl-": 0.02})["Ca+2"]), 3)
    0.514
    """
    return {
        name: np.exp(value)
        for name, value in ln_activity_coefficients(molalities, temperature).items()
    }


def neutral_fit_limits() -> dict[str, float]:
    """Highest molality [mol/kg] each neutral solute's self-interaction parameters were
    fitted to (``max_molality`` of ``data/pitzer_neutral.csv``).

    Examples
    --------
    >>> neutral_fit_limits()["sucrose"]
    2.12
    """
    limits = {}
    for (first, second), row in _tables()["lambda"].items():
        if first == second and np.isfinite(row[4]):
            limits[first] = float(row[4])
    return limits


def validity(molalities, temperature=T25):
    """Warnings about using the Pitzer model outside its fitted range (list of one-line str).

    Checks the temperature against 0-50 degC (the range of this model's validation) and the
    fitted range of the parameters of the salts whose ions both reach ``MAJOR_MOLALITY``
    (0.01 mol/kg; the largest molality over the batch counts), the ionic strength against 6 mol/kg
    (the range of most binary fits; Harvie et al. 1984 go to ~20 for some salts), and each
    neutral solute against the highest molality its parameters were fitted to.

    Examples
    --------
    >>> validity({"Na+": 1.0, "Cl-": 1.0}, 298.15)
    []
    >>> validity({"Na+": 8.0, "Cl-": 8.0}, 298.15)[0][:40]
    'ionic strength up to 8 mol/kg exceeds 6 '
    """
    names, m, temperature_used, _ = _prepare(molalities, temperature)
    warnings = []
    t = np.atleast_1d(temperature_used)
    t_c = t - T0
    if np.any(t_c < -0.01) or np.any(t_c > 50.01):
        span = f"{float(t_c.min()):.0f}"
        if float(t_c.max()) - float(t_c.min()) >= 0.5:
            span += f" to {float(t_c.max()):.0f}"
        warnings.append(
            f"temperature {span} degC is outside 0-50 degC, "
            "the range over which this Pitzer model was validated."
        )
    if not names:
        return warnings
    z = np.array([charge(s) for s in names])
    ionic = 0.5 * np.einsum("ni,i->n", m, z * z)
    if ionic.size and float(ionic.max()) > 6.0:
        warnings.append(
            f"ionic strength up to {float(ionic.max()):.3g} mol/kg exceeds 6 mol/kg, "
            "the upper limit of most binary Pitzer fits used here."
        )
    tables = _tables()
    outside = []
    unparameterised = []
    major = m.max(axis=0) if m.size else np.zeros(len(names))
    for i, c in enumerate(names):
        if z[i] <= 0 or major[i] < MAJOR_MOLALITY:
            continue
        for j, a in enumerate(names):
            if z[j] >= 0 or major[j] < MAJOR_MOLALITY:
                continue
            rows = [tables[k][(c, a)] for k in _BINARY_NAMES[:3] if (c, a) in tables[k]]
            if not rows:
                unparameterised.append(f"{c}/{a}")
                continue
            # the narrowest fitted range of the pair's betas (Cphi, a third-virial term, matters
            # only at high molality and often has no temperature derivative published)
            tmin, tmax = max(r[1] for r in rows), min(r[2] for r in rows)
            lo, hi = float(t_c.min()), float(t_c.max())
            if tmin == tmax == 25.0:
                if abs(lo - 25.0) > 5.0 or abs(hi - 25.0) > 5.0:
                    outside.append(f"{c}/{a} (25 degC values)")
            elif lo < tmin - 0.01 or hi > tmax + 0.01:
                outside.append(f"{c}/{a} (fitted {tmin:.0f}-{tmax:.0f} degC)")
    for i, name in enumerate(names):
        row = tables["lambda"].get((name, name)) if z[i] == 0 else None
        if row is not None and np.isfinite(row[4]) and major[i] > row[4]:
            warnings.append(
                f"{name} up to {major[i]:.3g} mol/kg exceeds {row[4]:.3g} mol/kg, the highest "
                "molality its Pitzer parameters were fitted to."
            )
    if outside:
        warnings.append(
            "Pitzer parameters used outside their temperature fit: " + ", ".join(outside) + "."
        )
    if unparameterised:
        warnings.append(
            "no binary Pitzer parameters for " + ", ".join(unparameterised) + ": only the "
            "Debye-Huckel term describes these pairs (reliable only below about 0.01 mol/kg)."
        )
    return warnings
