r"""Multi-electrolyte Pitzer model (Harvie-Moller-Weare form), vectorised over compositions.

The osmotic coefficient, the activity of water and the activity coefficients of the solutes
of an aqueous mixture of ions and neutral solutes, from the ion-interaction equations of
Pitzer in the form of Harvie, Moller & Weare (1984): binary parameters
:math:`\beta^{(0)}, \beta^{(1)}, \beta^{(2)}, C^\phi`, mixing parameters :math:`\theta, \psi`
with the unsymmetrical electrostatic mixing terms :math:`{}^E\theta(I)` (Pitzer 1975; the
integral :math:`J(x)` by Harvie's Chebyshev expansion, Pitzer 1991), and neutral solutes
through :math:`\lambda, \zeta, \mu`. The Debye-Huckel slope :math:`A_\phi(T)` comes from the
dielectric constant of Bradley & Pitzer (1979) and the density of water of Kell (1975).

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

import numba
import numpy as np

from ..constants import ELEMENTARY_CHARGE, M_WATER, N_A, T0, T25, k_B
from ..errors import InputError, suggest
from .water import density_Kell

__all__ = [
    "SPECIES",  # noqa: F822 (module __getattr__: read from the data files on first use)
    "Debye_Huckel_slope",
    "activity_coefficients",
    "dielectric_constant_Bradley_Pitzer",
    "ln_water_activity",
    "osmotic_coefficient",
    "validity",
    "water_activity",
]

#: Pitzer's universal parameter b [kg^0.5/mol^0.5] (Pitzer 1973).
B_PITZER = 1.2
#: Reference temperature of the parameter temperature functions [K].
T_REFERENCE = T25
#: Neutral solutes known to the model (charge 0).
NEUTRAL_SPECIES = frozenset(
    {"B(OH)3", "SiO2", "CO2", "glucose", "sucrose", "urea", "glycerol", "ethanol"}
)
_PARAMETER_COLUMNS = ["a0", "a1", "a2", "a3", "a4", "a5"]
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
    """Parameter tables as dicts keyed by species tuples -> (coefficients[6], tmin, tmax, source)."""
    from ..data import load_csv

    def rows(frame, keys):
        out = {}
        for record in frame.itertuples(index=False):
            key = tuple(
                str(getattr(record, k)) for k in keys if isinstance(getattr(record, k), str)
            )
            coefficients = np.array([float(getattr(record, c)) for c in _PARAMETER_COLUMNS])
            out[key] = (coefficients, float(record.tmin_C), float(record.tmax_C), record.source)
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
def _supported_species() -> frozenset:
    tables = _tables()
    ions = set()
    for cation, anion in tables["beta0"]:
        ions.update((cation, anion))
    neutrals = {key[0] for key in tables["lambda"]} | {key[0] for key in tables["mu"]}
    return frozenset(ions | neutrals)


def __getattr__(name):
    # SPECIES is read from the data files on first use, keeping ``import`` cheap.
    if name == "SPECIES":
        return _supported_species()
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
# Debye-Huckel slope
# --------------------------------------------------------------------------------------
def dielectric_constant_Bradley_Pitzer(temperature, pressure=1.01325):
    r"""Relative permittivity of liquid water, Bradley & Pitzer (1979).

    Parameters
    ----------
    temperature : numeric
        Temperature [K], fitted 273-623 K.
    pressure : numeric, default 1.01325
        Pressure [bar].

    Returns
    -------
    numeric
        Dielectric constant of water [-].

    Notes
    -----
    .. math:: \varepsilon = \varepsilon_{1000} + C \ln\frac{B + P}{B + 1000},\quad
              \varepsilon_{1000} = U_1 e^{U_2 T + U_3 T^2},\quad
              C = U_4 + \frac{U_5}{U_6 + T},\quad B = U_7 + \frac{U_8}{T} + U_9 T

    with U1..U9 = 342.79, -5.0866e-3, 9.4690e-7, -2.0525, 3115.9, -182.89, -8032.5,
    4.2142e6, 2.1417 (P in bar).

    References
    ----------
    .. [1] Bradley, D. J. and Pitzer, K. S., 1979, Thermodynamics of electrolytes. 12.
       Dielectric properties of water and Debye-Hueckel parameters to 350 degC and 1 kbar,
       J. Phys. Chem. 83(12), 1599-1603.

    Examples
    --------
    >>> round(float(dielectric_constant_Bradley_Pitzer(298.15)), 2)
    78.38
    """
    t = np.asarray(temperature, dtype=float)
    eps1000 = 342.79 * np.exp(-5.0866e-3 * t + 9.4690e-7 * t * t)
    c = -2.0525 + 3115.9 / (t - 182.89)
    b = -8032.5 + 4.2142e6 / t + 2.1417 * t
    return eps1000 + c * np.log((b + pressure) / (b + 1000.0))


def Debye_Huckel_slope(temperature):
    r"""Debye-Huckel slope for the osmotic coefficient, :math:`A_\phi` [kg^0.5/mol^0.5].

    Parameters
    ----------
    temperature : numeric
        Temperature [K], 273-423 K (water density of Kell 1975 at 1 atm).

    Returns
    -------
    numeric
        :math:`A_\phi` [(kg/mol)^0.5].

    Notes
    -----
    .. math:: A_\phi = \frac{1}{3}\sqrt{2\pi N_A \rho_w}
              \left(\frac{e^2}{4\pi\varepsilon_0\varepsilon k_B T}\right)^{3/2}

    with the permittivity :math:`\varepsilon` of Bradley & Pitzer (1979) and the density
    :math:`\rho_w` [kg/m^3] of Kell (1975). At 25 degC this gives 0.39145, against 0.3915
    tabulated by Pitzer (1991) and 0.392 used by Harvie et al. (1984).

    References
    ----------
    .. [1] Pitzer, K. S., 1991, Ion interaction approach: theory and data correlation, in
       Activity Coefficients in Electrolyte Solutions, 2nd ed., CRC Press, ch. 3.
    .. [2] Bradley, D. J. and Pitzer, K. S., 1979, J. Phys. Chem. 83(12), 1599-1603.

    Examples
    --------
    >>> round(float(Debye_Huckel_slope(298.15)), 4)
    0.3914
    """
    t = np.asarray(temperature, dtype=float)
    epsilon_0 = 8.8541878128e-12
    bjerrum = ELEMENTARY_CHARGE**2 / (
        4.0 * np.pi * epsilon_0 * dielectric_constant_Bradley_Pitzer(t) * k_B * t
    )
    return np.sqrt(2.0 * np.pi * N_A * density_Kell(t)) * bjerrum**1.5 / 3.0


# --------------------------------------------------------------------------------------
# unsymmetrical mixing: J(x) by Harvie's Chebyshev approximation
# --------------------------------------------------------------------------------------
# Chebyshev coefficients of Harvie (1981), as tabulated by Pitzer (1991, Appendix B); checked
# against direct quadrature of J(x) = x^-1 int_0^inf (1 + q + q^2/2 - e^q) y^2 dy,
# q = -(x/y) e^-y, to 1e-9 (see tests/test_pitzer.py).
_J_LOW = np.array([
    1.925154014814667, -0.060076477753119, -0.029779077456514, -0.007299499690937,
    0.000388260636404, 0.000636874599598, 0.000036583601823, -0.000045036975204,
    -0.000004537895710, 0.000002937706971, 0.000000396566462, -0.000000202099617,
    -0.000000025267769, 0.000000013522610, 0.000000001229405, -0.000000000821969,
    -0.000000000050847, 0.000000000046333, 0.000000000001943, -0.000000000002563,
    -0.000000000010991,
])  # fmt: skip
_J_HIGH = np.array([
    0.628023320520852, 0.462762985338493, 0.150044637187895, -0.028796057604906,
    -0.036552745910311, -0.001668087945272, 0.006519840398744, 0.001130378079086,
    -0.000887171310131, -0.000242107641309, 0.000087294451594, 0.000034682122751,
    -0.000004583768938, -0.000003548684306, -0.000000250453880, 0.000000216991779,
    0.000000080779570, 0.000000004558555, -0.000000006944757, -0.000000002849257,
    0.000000000237816,
])  # fmt: skip


def J_Harvie(x):
    r"""The electrostatic mixing integral :math:`J(x)` and its derivative :math:`J'(x)`.

    Parameters
    ----------
    x : numeric
        :math:`x_{ij} = 6 z_i z_j A_\phi \sqrt{I}` [-], x >= 0.

    Returns
    -------
    tuple of numeric
        ``(J, dJ/dx)``.

    Notes
    -----
    For :math:`x \le 1`, :math:`z = 4x^{1/5} - 2`; otherwise :math:`z = \tfrac{40}{9}
    x^{-1/10} - \tfrac{22}{9}`. With the Clenshaw recursions
    :math:`b_k = z b_{k+1} - b_{k+2} + a_k`, :math:`d_k = b_{k+1} + z d_{k+1} - d_{k+2}`:
    :math:`J = x/4 - 1 + (b_0 - b_2)/2` and :math:`J' = 1/4 + (dz/dx)(d_0 - d_2)/2`.

    References
    ----------
    .. [1] Pitzer, K. S., 1975, Thermodynamics of electrolytes. V. Effects of higher-order
       electrostatic terms, J. Solution Chem. 4(3), 249-265.
    .. [2] Harvie, C. E., 1981, PhD thesis, University of California, San Diego; coefficients
       tabulated in Pitzer (1991), Activity Coefficients in Electrolyte Solutions, App. B.

    Examples
    --------
    >>> round(float(J_Harvie(1.0)[0]), 6)
    0.116437
    """
    x = np.asarray(x, dtype=float)
    flat = np.ascontiguousarray(x.reshape(-1))
    j = np.empty_like(flat)
    dj = np.empty_like(flat)
    _j_kernel(flat, _J_LOW, _J_HIGH, j, dj)
    return j.reshape(x.shape), dj.reshape(x.shape)


@numba.njit(cache=True)
def _j_kernel(x, low, high, j, dj):  # pragma: no cover - compiled
    for i in range(x.size):
        xi = x[i]
        if xi <= 0.0:
            j[i] = 0.0
            dj[i] = 0.0
            continue
        if xi <= 1.0:
            z = 4.0 * xi**0.2 - 2.0
            dz = 0.8 * xi**-0.8
            a = low
        else:
            z = 40.0 / 9.0 * xi**-0.1 - 22.0 / 9.0
            dz = -4.0 / 9.0 * xi**-1.1
            a = high
        b0 = b1 = b2 = d0 = d1 = d2 = 0.0
        for k in range(20, -1, -1):
            b2 = b1
            b1 = b0
            d2 = d1
            d1 = d0
            b0 = z * b1 - b2 + a[k]
            d0 = b1 + z * d1 - d2
        j[i] = 0.25 * xi - 1.0 + 0.5 * (b0 - b2)
        dj[i] = 0.25 + 0.5 * dz * (d0 - d2)


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
        self.alpha2 = np.full_like(self.alpha1, 12.0)
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

        def at(coefficients):
            return np.einsum("...k,nk->n...", coefficients, basis)  # (K, ...)

        values = {
            "binary": at(self.binary),
            "theta_cc": at(self.theta_cc),
            "theta_aa": at(self.theta_aa),
            "psi_cca": at(self.psi_cca),
            "psi_aac": at(self.psi_aac),
            "lam": at(self.lam),
            "zeta": at(self.zeta),
            "mu": at(self.mu),
            "nu": at(self.nu),
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
    supported = _supported_species()
    unknown = [str(s) for s in molalities if s not in supported]
    if unknown:
        hint = suggest(unknown[0], supported) if len(unknown) == 1 else ""
        raise InputError(
            f"the Pitzer model has no parameters for {', '.join(map(repr, unknown))}."
            f"{hint} Supported species: {' '.join(sorted(supported))}."
        )
    names = tuple(molalities)
    try:
        arrays = [np.asarray(molalities[s], dtype=float) for s in names]
        temperature = np.asarray(temperature, dtype=float)
        broadcast = np.broadcast_arrays(*arrays, temperature)
    except (TypeError, ValueError) as error:
        raise InputError(
            f"molalities and temperature must be numbers or arrays of one common shape ({error})."
        ) from None
    shape = broadcast[-1].shape
    for name, value in zip(names, broadcast[:-1], strict=True):
        if not np.all(np.isfinite(value)) or np.any(value < 0):
            raise InputError(f"molality of {name!r} must be a finite number >= 0 [mol/kg].")
    t = broadcast[-1]
    if not np.all(np.isfinite(t)) or np.any(t <= 0):
        raise InputError("temperature must be a finite absolute temperature > 0 [K].")
    if np.any(t < 250.0) or np.any(t > 523.15):
        raise InputError(
            "temperature outside 250-523 K: the Pitzer parameters are fitted for liquid water "
            "(0-50 degC for most salts, to 200 degC for the major ones)."
        )
    matrix = (
        np.stack([b.reshape(-1) for b in broadcast[:-1]], axis=-1)
        if names
        else np.zeros((int(np.prod(shape)), 0))
    )
    if t.ndim == 0 or np.all(t == t.flat[0]):
        t_used = float(t.flat[0]) if t.size else T25
    else:
        t_used = t.reshape(-1)
    return names, matrix, t_used, shape


# --------------------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------------------
def _per_row(array, n_rows):
    """Parameter array with leading axis K (1 or N) -> (subscript prefix, array)."""
    return ("n", array) if array.shape[0] == n_rows and n_rows != 1 else ("", array[0])


def _g(x):
    """Pitzer's g(x) = 2[1 - (1 + x) e^-x]/x^2 and g'(x) = -2[1 - (1 + x + x^2/2) e^-x]/x^2."""
    small = x < 1e-4
    xs = np.where(small, 1.0, x)
    e = np.exp(-xs)
    g = np.where(small, 1.0 - 2.0 * x / 3.0, 2.0 * (1.0 - (1.0 + xs) * e) / (xs * xs))
    gp = np.where(small, -x / 3.0, -2.0 * (1.0 - (1.0 + xs + 0.5 * xs * xs) * e) / (xs * xs))
    return g, gp


def _electrostatic(pairs, onehot, a_phi, sqrt_i, ionic):
    """E-theta terms for like-sign ions: (Phi^phi_E, Phi_E = E-theta, Phi'_E = E-theta') (N, n, n)."""
    n_rows = sqrt_i.shape[0]
    size = onehot.shape[1]
    if len(pairs) == 0:
        zero = np.zeros((1, size, size))
        return zero, zero, zero
    positive = ionic > 0
    i_safe = np.where(positive, ionic, 1.0)
    base = 6.0 * a_phi * sqrt_i  # (N,)
    e_theta = np.empty((n_rows, len(pairs)))
    e_theta_p = np.empty((n_rows, len(pairs)))
    e_phi = np.empty((n_rows, len(pairs)))
    products = sorted({q for zi, zj in pairs for q in (zi * zj, zi * zi, zj * zj)})
    # x J'(x) and J(x) for each distinct charge product q, x = 6 q A_phi sqrt(I)
    x = np.outer(products, base)
    j_all, dj_all = J_Harvie(x)
    j_of = {q: j_all[k] for k, q in enumerate(products)}
    xdj_of = {q: x[k] * dj_all[k] for k, q in enumerate(products)}
    for p, (zi, zj) in enumerate(pairs):
        ij, ii, jj = zi * zj, zi * zi, zj * zj
        bracket = j_of[ij] - 0.5 * j_of[ii] - 0.5 * j_of[jj]
        xbracket = xdj_of[ij] - 0.5 * xdj_of[ii] - 0.5 * xdj_of[jj]
        theta = ij / (4.0 * i_safe) * bracket
        theta_p = -theta / i_safe + ij / (8.0 * i_safe * i_safe) * xbracket
        e_theta[:, p] = np.where(positive, theta, 0.0)
        e_theta_p[:, p] = np.where(positive, theta_p, 0.0)
        e_phi[:, p] = np.where(positive, ij / (8.0 * i_safe) * xbracket, 0.0)
    expand = functools.partial(np.einsum, "np,pcd->ncd", optimize=False)
    return expand(e_phi, onehot), expand(e_theta, onehot), expand(e_theta_p, onehot)


def _vec(m, x):
    """sum_j m_nj X_nij -> (N, i); X has leading axis 1 (shared) or N."""
    # einsum, not matmul: BLAS threads cost more than they give on these skinny products
    if x.shape[0] == 1:
        return np.einsum("nj,ij->ni", m, x[0])
    return np.einsum("nij,nj->ni", x, m)


def _pair(m1, m2, x):
    """sum_ij m1_ni m2_nj X_nij -> (N,)."""
    return np.einsum("ni,ni->n", m1, _vec(m2, x))


def _triple_vec(m2, m3, p):
    """sum_jk m2_nj m3_nk P_ijk -> (N, i); P has leading axis 1 (shared) or N."""
    if p.shape[0] == 1:
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

    # binary cation-anion terms
    beta0, beta1, beta2, cphi = (par["binary"][:, k] for k in range(4))  # (K, nc, na)
    s = sqrt_i[:, None, None]
    x1 = system.alpha1 * s
    x2 = system.alpha2 * s
    b_phi = beta0 + beta1 * np.exp(-x1) + beta2 * np.exp(-x2)
    c_ca = cphi * system.c_factor  # (K, nc, na)
    c_sum = _pair(mc, ma, c_ca)  # sum_ca m_c m_a C_ca
    excess = -a_phi * ionic * sqrt_i / (1.0 + b * sqrt_i) + _pair(mc, ma, b_phi) + z_sum * c_sum

    # like-charge mixing
    if system.has_mixing:
        ephi_c, etheta_c, ethetap_c = _electrostatic(
            system.epairs_c, system.eonehot_c, a_phi, sqrt_i, ionic
        )
        ephi_a, etheta_a, ethetap_a = _electrostatic(
            system.epairs_a, system.eonehot_a, a_phi, sqrt_i, ionic
        )
        psi_cca, psi_aac = par["psi_cca"], par["psi_aac"]
        excess = excess + 0.5 * (_pair(mc, mc, par["theta_cc"]) + _pair(mc, mc, ephi_c))
        excess = excess + 0.5 * (_pair(ma, ma, par["theta_aa"]) + _pair(ma, ma, ephi_a))
        excess = excess + 0.5 * np.einsum("nc,nc->n", mc, _triple_vec(mc, ma, psi_cca))
        excess = excess + 0.5 * np.einsum("na,na->n", ma, _triple_vec(ma, mc, psi_aac))
    sum_phi_minus_1 = 2.0 * excess

    # neutral solutes
    if system.nn:
        lam = par["lam"]  # (K, nn, ns)
        lam_ion = lam.copy()
        lam_ion[:, :, system.neutrals] = 0.0
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
    i_safe = np.where(ionic > 0, ionic, 1.0)
    g1, gp1 = _g(x1)
    g2, gp2 = _g(x2)
    b_ca = beta0 + beta1 * g1 + beta2 * g2  # (N, nc, na)
    bp_ca = (beta1 * gp1 + beta2 * gp2) / i_safe[:, None, None]
    f = -a_phi * (sqrt_i / (1.0 + b * sqrt_i) + 2.0 / b * np.log1p(b * sqrt_i))
    f = f + _pair(mc, ma, bp_ca)
    two_b = 2.0 * b_ca
    gamma_c = _vec(ma, two_b) + z_sum[:, None] * _vec(ma, c_ca)
    gamma_a = _vec(mc, np.swapaxes(two_b, 1, 2)) + z_sum[:, None] * _vec(mc, np.swapaxes(c_ca, 1, 2))
    if system.has_mixing:
        f = f + 0.5 * (_pair(mc, mc, ethetap_c) + _pair(ma, ma, ethetap_a))
        gamma_c = gamma_c + 2.0 * (_vec(mc, par["theta_cc"]) + _vec(mc, etheta_c))
        gamma_a = gamma_a + 2.0 * (_vec(ma, par["theta_aa"]) + _vec(ma, etheta_a))
        gamma_c = gamma_c + _triple_vec(mc, ma, psi_cca)
        gamma_a = gamma_a + 0.5 * _triple_vec(mc, mc, np.moveaxis(psi_cca, 3, 1))
        gamma_a = gamma_a + _triple_vec(ma, mc, psi_aac)
        gamma_c = gamma_c + 0.5 * _triple_vec(ma, ma, np.moveaxis(psi_aac, 3, 1))
    gamma_c = gamma_c + (zc * zc) * f[:, None] + zc * c_sum[:, None]
    gamma_a = gamma_a + (za * za) * f[:, None] - za * c_sum[:, None]
    if system.nn:
        ion_from_neutral = 2.0 * _vec(mn, np.swapaxes(lam_ion, 1, 2))  # (N, ns)
        gamma_c = gamma_c + ion_from_neutral[:, system.cations]
        gamma_a = gamma_a + ion_from_neutral[:, system.anions]
        gamma_n = 2.0 * _vec(m, lam_ion) + 2.0 * _vec(mn, lam_nn)
        gamma_n = gamma_n + 3.0 * mn * mn * mu + 4.0 * mn**3 * nu
        if system.nc and system.na:
            zeta = par["zeta"]  # (K, nn, nc, na)
            gamma_n = gamma_n + zeta_terms
            gamma_c = gamma_c + _triple_vec(mn, ma, np.moveaxis(zeta, 2, 1))
            gamma_a = gamma_a + _triple_vec(mn, mc, np.moveaxis(zeta, 3, 1))
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


def activity_coefficients(molalities, temperature=T25):
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
    Harvie, Moller & Weare (1984) eqs. 2-3 for ions, with
    :math:`F = -A_\phi[\sqrt I/(1 + b\sqrt I) + (2/b)\ln(1 + b\sqrt I)]
    + \sum_c\sum_a m_c m_a B'_{ca} + \sum_{c<c'} m_c m_{c'}\Phi'_{cc'}
    + \sum_{a<a'} m_a m_{a'}\Phi'_{aa'}`; for a neutral n,
    :math:`\ln\gamma_n = 2\sum_i m_i\lambda_{ni} + \sum_c\sum_a m_c m_a\zeta_{nca}
    + 3\mu_{nnn} m_n^2`. Mean activity coefficients follow as
    :math:`\ln\gamma_\pm = (\nu_M\ln\gamma_M + \nu_X\ln\gamma_X)/\nu`.

    References
    ----------
    .. [1] Harvie, C. E., Moller, N. and Weare, J. H., 1984, Geochim. Cosmochim. Acta 48,
       723-751.

    Examples
    --------
    Mean activity coefficient of NaCl 1 mol/kg (Robinson & Stokes 1959: 0.657):

    >>> lng = activity_coefficients({"Na+": 1.0, "Cl-": 1.0})
    >>> round(float(np.exp((lng["Na+"] + lng["Cl-"]) / 2)), 3)
    0.657
    """
    result = _evaluate(molalities, temperature, gamma=True)
    shape = result["shape"]
    out = {name: result["ln_gamma"][:, k].reshape(shape) for k, name in enumerate(result["names"])}
    out["H2O"] = (-M_WATER * result["phi"] * result["total"]).reshape(shape)
    return out


def validity(molalities, temperature=T25):
    """Warnings about using the Pitzer model outside its fitted range (list of one-line str).

    Checks the temperature against 0-50 degC (the range of this model's validation) and the
    fitted range of the parameters of the salts present, and the ionic strength against
    6 mol/kg (the range of most binary fits; Harvie et al. 1984 go to ~20 for some salts).

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
        warnings.append(
            f"temperature {float(t_c.min()):.0f}-{float(t_c.max()):.0f} degC is outside 0-50 degC, "
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
    major = m.max(axis=0) if m.size else np.zeros(len(names))
    for i, c in enumerate(names):
        if z[i] <= 0 or major[i] < 1e-3:
            continue
        for j, a in enumerate(names):
            if z[j] >= 0 or major[j] < 1e-3:
                continue
            row = tables["beta0"].get((c, a))
            if row is None:
                outside.append(f"{c}/{a} (no binary parameters)")
                continue
            tmin, tmax = row[1], row[2]
            lo, hi = float(t_c.min()), float(t_c.max())
            if tmin == tmax == 25.0:
                if abs(lo - 25.0) > 5.0 or abs(hi - 25.0) > 5.0:
                    outside.append(f"{c}/{a} (25 degC values)")
            elif lo < tmin - 0.01 or hi > tmax + 0.01:
                outside.append(f"{c}/{a} (fitted {tmin:.0f}-{tmax:.0f} degC)")
    if outside:
        warnings.append(
            "Pitzer parameters used outside their temperature fit: " + ", ".join(outside) + "."
        )
    return warnings
