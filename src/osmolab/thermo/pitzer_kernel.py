r"""Compiled Pitzer activity coefficients of one water, for the speciation kernel.

:func:`pitzer_ln_gamma` evaluates, for one composition, the same equations as
:func:`osmolab.thermo.pitzer.ln_activity_coefficients` (Harvie, Moller & Weare 1984, eqs. 2-3;
neutral solutes after Pitzer 1991) and the water activity of
:func:`osmolab.thermo.pitzer.ln_water_activity`, but as a Numba function that the speciation
kernel calls inside its loop over waters: no NumPy temporaries, no Python between the Newton
solves and the activity updates. The parameters are kept as sparse lists of the nonzero
interactions (:class:`PitzerNetwork`, built once per species set by :func:`pitzer_network`)
with their six temperature-fit coefficients, evaluated at each water's temperature from the
basis of :func:`osmolab.thermo.pitzer._temperature_basis`. The tests compare it with the NumPy
implementation on random mixtures.

Numba's on-disk cache keys a compiled function on its own source file only: after editing this
module, also touch ``speciation_kernel.py`` (or clear its ``__pycache__`` entries), whose cached
kernels include this code.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
from numba import njit

from ..constants import M_WATER
from .debye_huckel import _J_HIGH, _J_LOW, j_chebyshev
from .pitzer import B_PITZER, _System, _temperature_basis

__all__ = ["PitzerNetwork", "parameter_count", "pitzer_ln_gamma", "pitzer_network",
           "pitzer_parameters", "temperature_basis"]

#: below this ionic strength [mol/kg] the 1/I mixing terms are skipped (as in pitzer.py)
_TINY_IONIC_STRENGTH = 1e-20
#: q^(1/5) and q^(-1/10) of the charge products q = 0..9 (index 0 unused)
_Q_FIFTH = np.array([0.0] + [q**0.2 for q in range(1, 10)])
_Q_TENTH = np.array([0.0] + [q**-0.1 for q in range(1, 10)])


class PitzerNetwork(NamedTuple):
    """Nonzero Pitzer interactions of one ordered species set (indices into that set); each
    ``*_coef`` row holds the six temperature-fit coefficients of ``pitzer._temperature_basis``."""

    z: np.ndarray  # (ns,) charge numbers
    binary: np.ndarray  # (P, 2) int: cation, anion
    binary_coef: np.ndarray  # (P, 4, 6): beta0, beta1, beta2, Cphi
    binary_alpha: np.ndarray  # (P,) alpha1 (2, or 1.4 for 2-2 salts)
    binary_cfactor: np.ndarray  # (P,) 1 / (2 sqrt|z_c z_a|)
    like: np.ndarray  # (L, 2) int: like-sign pairs i < j (theta and E-theta)
    like_coef: np.ndarray  # (L, 6) theta
    psi: np.ndarray  # (Q, 3) int: like-sign pair i < j and an opposite ion k
    psi_coef: np.ndarray  # (Q, 6)
    lam: np.ndarray  # (R, 2) int: neutral n, any species j (as stored: lambda[n, j])
    lam_coef: np.ndarray  # (R, 6)
    zeta: np.ndarray  # (U, 3) int: neutral, cation, anion
    zeta_coef: np.ndarray  # (U, 6)
    mu_coef: np.ndarray  # (ns, 6) mu of neutrals (0 for ions)
    nu_coef: np.ndarray  # (ns, 6)
    j_low: np.ndarray  # Chebyshev coefficients of J(x), x <= 1
    j_high: np.ndarray  # and x > 1


@functools.lru_cache(maxsize=64)
def pitzer_network(names: tuple) -> PitzerNetwork:
    """The sparse interaction lists of an ordered tuple of species with Pitzer parameters."""
    system = _System(tuple(names))
    z = np.array([float(v) for v in
                  np.concatenate([system.z_cation, system.z_anion, np.zeros(system.nn)])])
    order = np.concatenate([system.cations, system.anions, system.neutrals]).astype(np.int64)
    charges = np.zeros(len(names))
    charges[order] = z
    cat, an, neu = system.cations, system.anions, system.neutrals
    binary, binary_coef, binary_alpha, binary_cfactor = [], [], [], []
    for i in range(system.nc):
        for j in range(system.na):
            coefficients = system.binary[:, i, j, :]
            if coefficients.any():
                binary.append((cat[i], an[j]))
                binary_coef.append(coefficients)
                binary_alpha.append(system.alpha1[i, j])
                binary_cfactor.append(system.c_factor[i, j])
    like, like_coef, psi, psi_coef = [], [], [], []
    for index, others, theta, triple in ((cat, an, system.theta_cc, system.psi_cca),
                                        (an, cat, system.theta_aa, system.psi_aac)):
        for i in range(len(index)):
            for j in range(i + 1, len(index)):
                like.append((index[i], index[j]))
                like_coef.append(theta[i, j])
                for k in range(len(others)):
                    if triple[i, j, k].any():
                        psi.append((index[i], index[j], others[k]))
                        psi_coef.append(triple[i, j, k])
    lam, lam_coef = [], []
    for i in range(system.nn):
        for j in range(len(names)):
            if system.lam[i, j].any():
                lam.append((neu[i], j))
                lam_coef.append(system.lam[i, j])
    zeta, zeta_coef = [], []
    for i in range(system.nn):
        for j in range(system.nc):
            for k in range(system.na):
                if system.zeta[i, j, k].any():
                    zeta.append((neu[i], cat[j], an[k]))
                    zeta_coef.append(system.zeta[i, j, k])
    mu_coef = np.zeros((len(names), 6))
    nu_coef = np.zeros((len(names), 6))
    mu_coef[neu] = system.mu
    nu_coef[neu] = system.nu

    def ints(rows, width):
        return np.array(rows, dtype=np.int64).reshape(-1, width)

    def floats(rows, shape):
        return np.array(rows, dtype=float).reshape((-1, *shape))

    return PitzerNetwork(
        z=charges,
        binary=ints(binary, 2), binary_coef=floats(binary_coef, (4, 6)),
        binary_alpha=np.array(binary_alpha, dtype=float),
        binary_cfactor=np.array(binary_cfactor, dtype=float),
        like=ints(like, 2), like_coef=floats(like_coef, (6,)),
        psi=ints(psi, 3), psi_coef=floats(psi_coef, (6,)),
        lam=ints(lam, 2), lam_coef=floats(lam_coef, (6,)),
        zeta=ints(zeta, 3), zeta_coef=floats(zeta_coef, (6,)),
        mu_coef=mu_coef, nu_coef=nu_coef,
        j_low=np.ascontiguousarray(_J_LOW, dtype=float),
        j_high=np.ascontiguousarray(_J_HIGH, dtype=float),
    )


def temperature_basis(temperature):
    """(N, 6) temperature basis of the parameter fits, one row per water (see pitzer.py)."""
    return np.ascontiguousarray(_temperature_basis(temperature))


@njit(cache=True, inline="always", error_model="numpy")
def _at(coef, basis):
    return (coef[0] * basis[0] + coef[1] * basis[1] + coef[2] * basis[2] + coef[3] * basis[3]
            + coef[4] * basis[4] + coef[5] * basis[5])


@njit(cache=True, error_model="numpy")
def _j_of(x, fifth, tenth, low, high):
    """Harvie's J(x) and x J'(x) (debye_huckel.j_chebyshev), given ``fifth`` = x^(1/5) and
    ``tenth`` = x^(-1/10) (shared by the charge products)."""
    if x <= 0.0:
        return 0.0, 0.0
    j, dj = j_chebyshev(x, fifth, tenth, low, high)
    return j, x * dj


@njit(cache=True, inline="always", error_model="numpy")
def _g(x):
    """Pitzer's g(x) and g'(x) (see pitzer._g)."""
    if x < 1e-4:
        return 1.0 - 2.0 * x / 3.0, -x / 3.0
    e = np.exp(-x)
    return (2.0 * (1.0 - (1.0 + x) * e) / (x * x),
            -2.0 * (1.0 - (1.0 + x + 0.5 * x * x) * e) / (x * x))


def parameter_count(net: PitzerNetwork) -> int:
    """Length of the parameter vector of :func:`pitzer_parameters`."""
    return (4 * net.binary.shape[0] + net.like.shape[0] + net.psi.shape[0] + net.lam.shape[0]
            + net.zeta.shape[0] + 2 * net.z.shape[0])


@njit(cache=True, error_model="numpy")
def pitzer_parameters(net, basis, out):
    """The interaction parameters at one temperature (its ``basis`` (6,)) into ``out``, in
    the order beta0, beta1, beta2, C (per binary pair), theta, psi, lambda, zeta, mu, nu."""
    at = 0
    for p in range(net.binary.shape[0]):
        for q in range(4):
            out[at] = _at(net.binary_coef[p, q], basis)
            at += 1
        out[at - 1] *= net.binary_cfactor[p]  # C = Cphi / (2 sqrt|z_c z_a|)
    for p in range(net.like.shape[0]):
        out[at] = _at(net.like_coef[p], basis)
        at += 1
    for p in range(net.psi.shape[0]):
        out[at] = _at(net.psi_coef[p], basis)
        at += 1
    for p in range(net.lam.shape[0]):
        out[at] = _at(net.lam_coef[p], basis)
        at += 1
    for p in range(net.zeta.shape[0]):
        out[at] = _at(net.zeta_coef[p], basis)
        at += 1
    for i in range(net.z.shape[0]):
        out[at] = _at(net.mu_coef[i], basis)
        out[at + net.z.shape[0]] = _at(net.nu_coef[i], basis)
        at += 1


@njit(cache=True, error_model="numpy")
def pitzer_ln_gamma(net, m, par, a_phi, ln_gamma):
    """ln gamma of every species of one water into ``ln_gamma`` (ns,); returns ln a_w.

    Interactions with an absent species (molality 0) are skipped: they add nothing to the
    water activity or to the other species' coefficients, so the ln gamma of absent species
    is left incomplete (their activity is 0 whatever it is).

    ``m`` (ns,) molalities [mol/kg], ``par`` the parameters at the water's temperature
    (:func:`pitzer_parameters`), ``a_phi`` the Debye-Huckel slope at its temperature.
    """
    ns = m.shape[0]
    z = net.z
    ionic = 0.0
    z_sum = 0.0
    total = 0.0
    for i in range(ns):
        ionic += 0.5 * z[i] * z[i] * m[i]
        z_sum += abs(z[i]) * m[i]
        total += m[i]
        ln_gamma[i] = 0.0
    sqrt_i = np.sqrt(ionic)
    b = B_PITZER
    positive = ionic > _TINY_IONIC_STRENGTH
    i_safe = ionic if positive else 1.0
    excess = -a_phi * ionic * sqrt_i / (1.0 + b * sqrt_i)
    f = -a_phi * (sqrt_i / (1.0 + b * sqrt_i) + 2.0 / b * np.log1p(b * sqrt_i))
    # binary terms; alpha1 is 2 or 1.4 (2-2 salts), alpha2 12
    c_sum = 0.0
    g2, gp2 = _g(12.0 * sqrt_i)
    e2 = np.exp(-12.0 * sqrt_i)
    g_two, gp_two = _g(2.0 * sqrt_i)
    e_two = np.exp(-2.0 * sqrt_i)
    g_other, gp_other = _g(1.4 * sqrt_i)
    e_other = np.exp(-1.4 * sqrt_i)
    at = 0
    for p in range(net.binary.shape[0]):
        c = net.binary[p, 0]
        a = net.binary[p, 1]
        beta0 = par[at]
        beta1 = par[at + 1]
        beta2 = par[at + 2]
        cc = par[at + 3]
        at += 4
        if m[c] == 0.0 or m[a] == 0.0:  # no term (an absent species' own gamma is unused)
            continue
        if net.binary_alpha[p] == 2.0:
            g1, gp1, e1 = g_two, gp_two, e_two
        elif net.binary_alpha[p] == 1.4:
            g1, gp1, e1 = g_other, gp_other, e_other
        else:
            alpha = net.binary_alpha[p]
            g1, gp1 = _g(alpha * sqrt_i)
            e1 = np.exp(-alpha * sqrt_i)
        mm = m[c] * m[a]
        c_sum += mm * cc
        excess += mm * (beta0 + beta1 * e1 + beta2 * e2)
        f += mm * (gp1 * beta1 + gp2 * beta2) / i_safe
        bg = 2.0 * (beta0 + g1 * beta1 + g2 * beta2) + z_sum * cc
        ln_gamma[c] += m[a] * bg
        ln_gamma[a] += m[c] * bg
    excess += z_sum * c_sum
    # like-charge mixing: theta and the electrostatic E-theta of unlike charges
    if net.like.shape[0] > 0:
        x_unit = 6.0 * a_phi * sqrt_i
        # x = q x_unit: x^(1/5) and x^(-1/10) from those of x_unit and of q
        unit_fifth = x_unit**0.2 if x_unit > 0.0 else 0.0
        unit_tenth = x_unit**-0.1 if x_unit > 0.0 else 0.0
        j_q = np.zeros(10)
        xdj_q = np.zeros(10)
        done_q = np.zeros(10, dtype=np.bool_)  # J(x) of a charge product, when first needed
        for p in range(net.like.shape[0]):
            i = net.like[p, 0]
            j = net.like[p, 1]
            theta = par[at]
            at += 1
            mm = m[i] * m[j]
            if mm == 0.0:
                continue
            e_theta = 0.0
            e_theta_p = 0.0
            e_phi = 0.0
            zi = abs(z[i])
            zj = abs(z[j])
            if zi != zj and positive:
                ij = int(zi * zj)
                ii = int(zi * zi)
                jj = int(zj * zj)
                for q in (ij, ii, jj):
                    if not done_q[q]:
                        j_q[q], xdj_q[q] = _j_of(
                            q * x_unit, _Q_FIFTH[q] * unit_fifth, _Q_TENTH[q] * unit_tenth,
                            net.j_low, net.j_high)
                        done_q[q] = True
                bracket = j_q[ij] - 0.5 * j_q[ii] - 0.5 * j_q[jj]
                xbracket = xdj_q[ij] - 0.5 * xdj_q[ii] - 0.5 * xdj_q[jj]
                e_theta = ij / (4.0 * i_safe) * bracket
                e_theta_p = -e_theta / i_safe + ij / (8.0 * i_safe * i_safe) * xbracket
                e_phi = ij / (8.0 * i_safe) * xbracket
            elif theta == 0.0:
                continue
            excess += mm * (theta + e_phi)
            f += mm * e_theta_p
            ln_gamma[i] += 2.0 * m[j] * (theta + e_theta)
            ln_gamma[j] += 2.0 * m[i] * (theta + e_theta)
        for p in range(net.psi.shape[0]):
            i = net.psi[p, 0]
            j = net.psi[p, 1]
            k = net.psi[p, 2]
            psi = par[at]
            at += 1
            if m[i] == 0.0 or m[j] == 0.0 or m[k] == 0.0:
                continue
            excess += m[i] * m[j] * m[k] * psi
            ln_gamma[i] += m[j] * m[k] * psi
            ln_gamma[j] += m[i] * m[k] * psi
            ln_gamma[k] += m[i] * m[j] * psi
    else:
        at += net.psi.shape[0]
    sum_phi_minus_1 = 2.0 * excess
    # neutral solutes
    for p in range(net.lam.shape[0]):
        n = net.lam[p, 0]
        j = net.lam[p, 1]
        lam = par[at]
        at += 1
        if m[n] == 0.0 or m[j] == 0.0:
            continue
        ln_gamma[n] += 2.0 * m[j] * lam
        if z[j] == 0.0:
            sum_phi_minus_1 += m[n] * m[j] * lam
        else:
            sum_phi_minus_1 += 2.0 * m[n] * m[j] * lam
            ln_gamma[j] += 2.0 * m[n] * lam
    for p in range(net.zeta.shape[0]):
        n = net.zeta[p, 0]
        c = net.zeta[p, 1]
        a = net.zeta[p, 2]
        zeta = par[at]
        at += 1
        if m[n] == 0.0 or m[c] == 0.0 or m[a] == 0.0:
            continue
        sum_phi_minus_1 += 2.0 * m[n] * m[c] * m[a] * zeta
        ln_gamma[n] += m[c] * m[a] * zeta
        ln_gamma[c] += m[n] * m[a] * zeta
        ln_gamma[a] += m[n] * m[c] * zeta
    for i in range(ns):
        if z[i] == 0.0:
            mu = par[at + i]
            nu = par[at + ns + i]
            if mu != 0.0 or nu != 0.0:
                mi = m[i]
                sum_phi_minus_1 += 2.0 * mi**3 * mu + 3.0 * mi**4 * nu
                ln_gamma[i] += 3.0 * mi * mi * mu + 4.0 * mi**3 * nu
        else:
            ln_gamma[i] += z[i] * z[i] * f + abs(z[i]) * c_sum
    # ln a_w = -M_w phi sum m, phi = 1 + sum_phi_minus_1 / sum m
    if total > 0.0:
        return -M_WATER * (total + sum_phi_minus_1)
    return 0.0
