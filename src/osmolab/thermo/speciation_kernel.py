"""The compiled Newton iteration of :mod:`osmolab.thermo.speciation`.

One water per ``prange`` task: the unknowns are the logarithms of the free molalities of the
master species; each step builds the mass (and alkalinity) balances and their Jacobian from
the species the water has, and solves it (block elimination, then LU with partial pivoting; see
:func:`_block_factor`). The kernel takes two named
bundles, :class:`Network` (the species, shared by all waters) and :class:`Waters` (per-water
inputs), and writes its per-water status into the columns ``STATUS_ITERATIONS`` and
``STATUS_ERROR``.

With Pitzer activity coefficients (:func:`pitzer_kernel`), each water alternates
Newton solves with held coefficients and updates of the coefficients by the compiled Pitzer
model of :mod:`osmolab.thermo.pitzer_kernel` (Davies for the charged species it has no
parameters for, 1 for such neutral ones), until they change by less than a tolerance: the
whole loop runs per water inside the compiled code.
"""

from __future__ import annotations

import contextlib
from typing import NamedTuple

import numba
import numpy as np
from numba import njit, prange

from .pitzer_kernel import pitzer_ln_gamma, pitzer_parameters

__all__ = ["STATUS_ERROR", "STATUS_ITERATIONS", "Activity", "Network", "Start", "StartInputs",
           "Waters", "chunked", "gather_kernel", "gather_serial", "newton_kernel", "newton_serial",
           "pitzer_kernel", "pitzer_serial", "speciation_kernel", "speciation_serial"]


class Network(NamedTuple):
    """The species network, shared by all waters (species j, master species k)."""

    members: np.ndarray  # (S, M) int, the masters each species is built from (-1: none)
    coefficients: np.ndarray  # (S, M) their stoichiometric coefficients
    alkalinity: np.ndarray  # (S,) [eq/mol]
    charges: np.ndarray  # (S,) charge numbers
    water: np.ndarray  # (S,) coefficient of H2O in the formation reaction
    inert: np.ndarray  # (S,) True for the unpaired ions, held at their totals
    proton: np.ndarray  # (S,) coefficient of H+ in the formation reaction
    gamma_z2: np.ndarray  # (S,) sum_k nu_k z_k^2 - z_s^2 (Davies: ln gamma of ions ~ z^2)
    gamma_neutral: np.ndarray  # (S,) sum_k nu_k [z_k = 0] - [z_s = 0] (neutral species)
    inert_index: np.ndarray  # (S,) int: column of an unpaired ion in Waters.inert_molality
    diagonal: np.ndarray  # (K,) bool: masters no species holds together (not carbon)


class Waters(NamedTuple):
    """Per-water inputs of the Newton kernel; ln_gamma and ln_water_activity are updated in
    place when davies_a > 0 (Davies inside the iteration), else held."""

    ln_base: np.ndarray  # (N, S) ln K_j + nu_jH ln a_H
    ln_gamma: np.ndarray  # (N, S) ln gamma_j
    ln_water_activity: np.ndarray  # (N,)
    davies_a: np.ndarray  # (N,) Davies A (log10 basis), or 0 to hold the coefficients
    inert_molality: np.ndarray  # (N, I) molality of the unpaired ions (network.inert_index)
    target: np.ndarray  # (N, K) totals (the carbon row: alkalinity or total carbon)
    present: np.ndarray  # (N, K) bool, master present in the water
    carbon_is_alkalinity: np.ndarray  # (N,) bool
    ph_unknown: np.ndarray  # (N,) bool: pH solved from the alkalinity and the total carbon
    ln_h: np.ndarray  # (N,) ln a_H+ (start and result when ph_unknown; ln_base holds it else)
    alkalinity: np.ndarray  # (N,) [eq/kg] balanced when ph_unknown


class Activity(NamedTuple):
    """Per-water inputs and settings of the Pitzer activity updates."""

    basis: np.ndarray  # (N, 6) temperature basis of the Pitzer parameter fits
    a_phi: np.ndarray  # (N,) Debye-Huckel slope A_phi
    davies_a: np.ndarray  # (N,) Davies A (log10 basis) for the species Pitzer lacks
    pitzer_columns: np.ndarray  # (P,) int: speciation column of each Pitzer species
    neutral_missing: np.ndarray  # (S,) bool: neutral species without Pitzer parameters
    parameter_count: int  # length of the Pitzer parameter vector (pitzer_kernel)
    max_rounds: int  # Newton solves before giving up
    tolerance: float  # largest change of log10 gamma between rounds at convergence


#: waters per chunk of the threaded kernels inside :func:`chunked`
CHUNK = 512


@contextlib.contextmanager
def chunked(size=CHUNK):
    """Numba's parallel loops in chunks of ``size`` waters while inside (a dynamic schedule:
    threads take chunks as they finish, so a thread slowed by another job on its core does not
    hold up the batch); the previous setting is restored after."""
    previous = numba.set_parallel_chunksize(size)
    try:
        yield
    finally:
        numba.set_parallel_chunksize(previous)


#: columns of the kernel's per-water status output
STATUS_ITERATIONS = 0
STATUS_ERROR = 1


@njit(cache=True, error_model="numpy")
def _block_factor(a, diagonal, rest, rest_count, pivots):
    """Factor the Newton matrix ``a`` in place, the rows of ``diagonal`` (bool, first
    entries) eliminated first: no two of them share an off-diagonal entry (no species holds two
    of them), so their block is diagonal and their elimination is exact without pivoting; the
    Schur complement on the other rows ``rest[:rest_count]`` is then LU-factored with
    partial pivoting (rows swapped within those columns only, the chosen row of each column in
    ``pivots``). Solve with :func:`_block_solve`."""
    k_diag = diagonal.size
    for d in range(k_diag):
        if not diagonal[d] or a[d, d] == 0.0:
            continue
        inv = 1.0 / a[d, d]
        for ii in range(rest_count):
            i = rest[ii]
            f = a[i, d]
            if f != 0.0:
                f *= inv
                for jj in range(rest_count):
                    j = rest[jj]
                    a[i, j] -= f * a[d, j]
    for cc in range(rest_count):
        c = rest[cc]
        pivot = cc
        for rr in range(cc + 1, rest_count):
            if abs(a[rest[rr], c]) > abs(a[rest[pivot], c]):
                pivot = rr
        pivots[cc] = pivot
        if pivot != cc:
            p = rest[pivot]
            for kk in range(rest_count):
                k = rest[kk]
                a[c, k], a[p, k] = a[p, k], a[c, k]
        d = a[c, c]
        for rr in range(cc + 1, rest_count):
            r = rest[rr]
            f = a[r, c] / d if d != 0.0 else 0.0
            a[r, c] = f
            if f != 0.0:
                for kk in range(cc + 1, rest_count):
                    k = rest[kk]
                    a[r, k] -= f * a[c, k]


@njit(cache=True, error_model="numpy")
def _block_solve(a, diagonal, rest, rest_count, pivots, b):
    """Solve a x = b in place with the factors of :func:`_block_factor`; returns x (b)."""
    k_diag = diagonal.size
    for d in range(k_diag):  # the Schur complement's right-hand side
        if not diagonal[d] or a[d, d] == 0.0:
            continue
        v = b[d] / a[d, d]
        if v != 0.0:
            for ii in range(rest_count):
                i = rest[ii]
                b[i] -= a[i, d] * v
    for cc in range(rest_count):  # all the row swaps first, then L
        pivot = pivots[cc]
        if pivot != cc:
            c = rest[cc]
            p = rest[pivot]
            b[c], b[p] = b[p], b[c]
    for cc in range(rest_count):
        c = rest[cc]
        for rr in range(cc + 1, rest_count):
            r = rest[rr]
            f = a[r, c]
            if f != 0.0:
                b[r] -= f * b[c]
    for cc in range(rest_count - 1, -1, -1):
        c = rest[cc]
        total = b[c]
        for kk in range(cc + 1, rest_count):
            total -= a[c, rest[kk]] * b[rest[kk]]
        b[c] = total / a[c, c] if a[c, c] != 0.0 else 0.0
    for d in range(k_diag):  # the diagonal unknowns from the others
        if not diagonal[d]:
            continue
        if a[d, d] == 0.0:
            b[d] = 0.0
            continue
        total = b[d]
        for ii in range(rest_count):
            i = rest[ii]
            total -= a[d, i] * b[i]
        b[d] = total / a[d, d]
    return b


#: after a Newton step whose largest change is below this, the next step reuses the
#: factored Jacobian (a chord step: the error falls from e to about CHORD_BELOW * e, below the
#: tolerance from where such a step starts)
CHORD_BELOW = 1e-4


#: no exp(ln_base) given: the exp form of the molalities
_NO_BASE = np.empty(0)
#: largest molality a step may produce (ln m <= 50, as in the exp form)
_M_CAP = float(np.exp(50.0))
#: range of the integer exponents of the Davies factor e^P in the product form
_Z2_LOW = -8
_Z2_HIGH = 16


@njit(cache=True)
def _product_form(network, free_h):
    """True when each species' molality is a product of integer powers (the product form of
    :func:`_davies_factors`): every master coefficient 1, H2O and neutral terms in -1..1,
    sum nu z^2 - z^2 in ``_Z2_LOW``-``_Z2_HIGH``; pH given."""
    if free_h:
        return False
    s_count, m_count = network.members.shape
    for s in range(s_count):
        g = network.gamma_z2[s]
        if g != np.floor(g) or g < _Z2_LOW or g > _Z2_HIGH:
            return False
        if abs(network.water[s]) > 1.0 or network.water[s] != np.floor(network.water[s]):
            return False
        if abs(network.gamma_neutral[s]) > 1.0 or (
                network.gamma_neutral[s] != np.floor(network.gamma_neutral[s])):
            return False
        for q in range(m_count):
            if network.members[s, q] >= 0 and network.coefficients[s, q] != 1.0:
                return False
    return True


@njit(cache=True, error_model="numpy")
def _davies_factors(network, s_count, gamma_p, gamma_q, ln_aw, factor, powers):
    """Per species the factor exp(P gz_s + Q gn_s + nu_w ln a_w) of its molality, from
    e^P, e^Q and a_w and their integer powers (three exp instead of one per species)."""
    e_p = np.exp(gamma_p)
    powers[-_Z2_LOW] = 1.0
    for n in range(1, _Z2_HIGH + 1):
        powers[-_Z2_LOW + n] = powers[-_Z2_LOW + n - 1] * e_p
    for n in range(1, -_Z2_LOW + 1):
        powers[-_Z2_LOW - n] = powers[-_Z2_LOW - n + 1] / e_p
    e_q = np.exp(gamma_q)
    aw = np.exp(ln_aw)
    for s in range(s_count):
        f = powers[int(network.gamma_z2[s]) - _Z2_LOW]
        n = network.gamma_neutral[s]
        if n > 0.0:
            f *= e_q
        elif n < 0.0:
            f /= e_q
        v = network.water[s]
        if v > 0.0:
            f *= aw
        elif v < 0.0:
            f /= aw
        factor[s] = f


#: sweeps of the cheap fixed-point update of the masters before Newton's method (Davies)
PRESWEEPS = 2


@njit(cache=True, parallel=True)
def newton_kernel(network, waters, carbon_index, x, molality, status):
    """Damped Newton on x = ln(free molality of the masters), one water per prange task.

    Writes ``x`` (N, K), ``molality`` (N, S) and ``status`` (N, 2): iterations and the final
    largest relative balance error (inf: not converged in 200 iterations).
    """
    for w in prange(x.shape[0]):
        _presweep(network, waters, carbon_index, w, x, molality, PRESWEEPS, waters.ln_base[w],
                  _NO_BASE)
        _newton_one(network, waters, carbon_index, w, x, molality, status, waters.ln_base[w],
                    _NO_BASE)


@njit(cache=True)
def newton_serial(network, waters, carbon_index, x, molality, status):
    """:func:`newton_kernel` without threads (a few waters: no thread start-up)."""
    for w in range(x.shape[0]):
        _presweep(network, waters, carbon_index, w, x, molality, PRESWEEPS, waters.ln_base[w],
                  _NO_BASE)
        _newton_one(network, waters, carbon_index, w, x, molality, status, waters.ln_base[w],
                    _NO_BASE)


@njit(cache=True, error_model="numpy")
def _presweep(network, waters, carbon_index, w, x, molality, sweeps, ln_base, base):
    """A better start for Newton's method: ``sweeps`` simultaneous updates
    x_k += ln(T_k / sum_j nu_jk m_j) of every master (the alkalinity for carbon when it is
    given), each factor limited to e^2; Davies coefficients at the ionic strength of the
    previous sweep (the first: that of the totals), or the held coefficients. Leaves the
    molalities of the last sweep. ``base``: exp(ln_base) (S,) for the product form of the
    molalities (Davies, pH given, :func:`_product_form`), or an empty array."""
    if waters.ph_unknown[w]:
        return
    davies = waters.davies_a[w] > 0.0
    k_count = x.shape[1]
    s_count, m_count = network.members.shape
    ln10 = np.log(10.0)
    carbon_alk = waters.carbon_is_alkalinity[w]
    sums = np.empty(k_count)
    fast = davies and base.size == s_count
    factor = np.empty(s_count if fast else 0)
    powers = np.empty(_Z2_HIGH - _Z2_LOW + 1)
    masters = np.empty(k_count)
    ionic = 0.0
    for s in range(s_count):
        ionic += 0.5 * network.charges[s] ** 2 * molality[w, s]
    for _sweep in range(sweeps):
        ionic = max(ionic, 1e-12)
        root = np.sqrt(ionic)
        gamma_p = -ln10 * waters.davies_a[w] * (root / (1.0 + root) - 0.3 * ionic)
        gamma_q = ln10 * 0.1 * ionic
        ln_aw = waters.ln_water_activity[w]
        if fast:
            _davies_factors(network, s_count, gamma_p, gamma_q, ln_aw, factor, powers)
            for k in range(k_count):
                masters[k] = np.exp(x[w, k])
        sums[:] = 0.0
        alk = 0.0
        ionic = 0.0
        total = 0.0
        for s in range(s_count):
            if network.inert[s]:
                m = waters.inert_molality[w, network.inert_index[s]]
                ionic += 0.5 * network.charges[s] ** 2 * m
                total += m
                continue
            if fast:
                m = base[s] * factor[s]
                skip = False
                for q in range(m_count):
                    k = network.members[s, q]
                    if k < 0:
                        break
                    if not waters.present[w, k]:
                        skip = True
                        break
                    m *= masters[k]
                if skip:
                    continue
                if not m < _M_CAP:
                    m = _M_CAP
            else:
                ln_m = ln_base[s] + network.water[s] * ln_aw
                if davies:
                    ln_m += gamma_p * network.gamma_z2[s] + gamma_q * network.gamma_neutral[s]
                else:
                    ln_m -= waters.ln_gamma[w, s]
                skip = False
                for q in range(m_count):
                    k = network.members[s, q]
                    if k < 0:
                        break
                    if not waters.present[w, k]:
                        skip = True
                        break
                    ln_m += network.coefficients[s, q] * x[w, k]
                    if not davies:
                        ln_m += network.coefficients[s, q] * waters.ln_gamma[w, k]
                if skip:
                    continue
                m = np.exp(min(ln_m, 50.0))
            molality[w, s] = m
            total += m
            ionic += 0.5 * network.charges[s] ** 2 * m
            alk += network.alkalinity[s] * m
            for q in range(m_count):
                k = network.members[s, q]
                if k < 0:
                    break
                sums[k] += network.coefficients[s, q] * m
        if carbon_alk:
            sums[carbon_index] = alk
        for k in range(k_count):
            if waters.present[w, k] and sums[k] > 0.0:
                x[w, k] += min(2.0, max(-2.0, np.log(waters.target[w, k] / sums[k])))
        if davies:
            waters.ln_water_activity[w] = np.log(max(0.5, 1.0 - 0.017 * total))


@njit(cache=True, error_model="numpy",
      fastmath={"reassoc", "contract", "arcp", "afn"})  # keeps NaN/inf checks
def _newton_one(network, waters, carbon_index, w, x, molality, status, ln_base, base):
    """The Newton iteration of :func:`newton_kernel` for water ``w``.

    With Davies coefficients the ionic strength I is one more unknown (the last row,
    I - sum z^2 m / 2 = 0), so the coefficients move with the Newton step and the iteration
    stays quadratic; with held (Pitzer) coefficients the system is the masters alone. When
    the water's pH is unknown (``waters.ln_h`` finite at entry is its start, ``ph_unknown``),
    ln a_H+ is one more unknown (after the masters) with the alkalinity balance as its row,
    the carbon row then balancing the total carbon. ``base``: as in :func:`_presweep`.
    """
    k_count = x.shape[1]
    s_count, m_count = network.members.shape
    ln10 = np.log(10.0)
    davies = waters.davies_a[w] > 0.0
    free_h = waters.ph_unknown[w]
    h_row = k_count if free_h else -1
    size = k_count + (1 if free_h else 0)
    i_row = size if davies else -1
    size = size + (1 if davies else 0)
    jac = np.empty((size, size))
    pivots = np.empty(size, dtype=np.int64)
    # the unknowns outside the diagonal block of network.diagonal (see _block_factor)
    rest = np.empty(size, dtype=np.int64)
    rest_count = 0
    for k in range(size):
        if k >= k_count or not (network.diagonal[k] and k != carbon_index):
            rest[rest_count] = k
            rest_count += 1
    res = np.empty(size)
    error = np.inf
    carbon_alk = waters.carbon_is_alkalinity[w] and not free_h
    fast = davies and not free_h and base.size == s_count
    factor = np.empty(s_count if fast else 0)
    powers = np.empty(_Z2_HIGH - _Z2_LOW + 1)
    masters = np.empty(k_count)
    ionic = 0.0
    if davies:
        for s in range(s_count):
            ionic += 0.5 * network.charges[s] ** 2 * molality[w, s]
        ionic = max(ionic, 1e-12)
    # the species this water has (all their masters present), and the inert ions' sums
    active = np.empty(s_count, dtype=np.int64)
    n_active = 0
    inert_ionic = 0.0
    inert_total = 0.0
    for s in range(s_count):
        if network.inert[s]:
            m = waters.inert_molality[w, network.inert_index[s]]
            molality[w, s] = m
            inert_ionic += 0.5 * network.charges[s] ** 2 * m
            inert_total += m
            continue
        absent = False
        for q in range(m_count):
            k = network.members[s, q]
            if k < 0:
                break
            if not waters.present[w, k]:
                absent = True
                break
        if absent:
            molality[w, s] = 0.0
        else:
            active[n_active] = s
            n_active += 1
    it = 0
    gamma_p = 0.0
    gamma_q = 0.0
    expect = False  # the last step was tiny: check the balances before building a Jacobian
    chord = False  # the last step was small: this one with the Jacobian factored for it
    while it < 200:
        it += 1
        build = not expect and not chord
        slope_u = 0.0
        gamma_p = 0.0
        gamma_q = 0.0
        if davies:
            # ln gamma = P z^2 (ions), Q (neutral species); d ln gamma/dI = u z^2, v
            root = np.sqrt(ionic)
            davies_term = root / (1.0 + root) - 0.3 * ionic
            gamma_p = -ln10 * waters.davies_a[w] * davies_term
            gamma_q = ln10 * 0.1 * ionic
            slope_u = -ln10 * waters.davies_a[w] * (0.5 / (root * (1.0 + root) ** 2) - 0.3)
        res[:] = 0.0
        if build:
            jac[:, :] = 0.0
        alk = 0.0
        ionic_sum = inert_ionic
        ionic_slope = 0.0
        total = inert_total
        ln_aw = waters.ln_water_activity[w]
        ln_h = waters.ln_h[w]
        if fast:  # m_s = exp(ln_base_s) * exp(activity terms) * prod_k exp(x_k)
            _davies_factors(network, s_count, gamma_p, gamma_q, ln_aw, factor, powers)
            for k in range(k_count):
                masters[k] = np.exp(x[w, k])
        for index in range(n_active):
            s = active[index]
            p_s = network.proton[s]
            if fast:
                m = base[s] * factor[s]
                for q in range(m_count):
                    k = network.members[s, q]
                    if k < 0:
                        break
                    m *= masters[k]
                if not m < _M_CAP:
                    m = _M_CAP
            else:
                ln_m = ln_base[s] + network.water[s] * ln_aw
                if free_h:
                    ln_m += p_s * ln_h
                if davies:  # sum_k nu_k ln gamma_k - ln gamma_s
                    ln_m += gamma_p * network.gamma_z2[s] + gamma_q * network.gamma_neutral[s]
                    for q in range(m_count):
                        k = network.members[s, q]
                        if k < 0:
                            break
                        ln_m += network.coefficients[s, q] * x[w, k]
                else:
                    ln_m -= waters.ln_gamma[w, s]
                    for q in range(m_count):
                        k = network.members[s, q]
                        if k < 0:
                            break
                        ln_m += network.coefficients[s, q] * (x[w, k] + waters.ln_gamma[w, k])
                m = np.exp(min(ln_m, 50.0))
            molality[w, s] = m
            total += m
            half_z2 = 0.5 * network.charges[s] ** 2
            ionic_sum += half_z2 * m
            # h = d ln m_s / dI through the activity coefficients
            h = 0.0
            if davies and build:
                h = slope_u * network.gamma_z2[s] + 0.1 * ln10 * network.gamma_neutral[s]
                ionic_slope += half_z2 * m * h
                if free_h:
                    jac[i_row, h_row] -= half_z2 * p_s * m
            a_s = network.alkalinity[s]
            alk += a_s * m
            for q in range(m_count):
                k = network.members[s, q]
                if k < 0:
                    break
                c = network.coefficients[s, q]
                if not build:
                    if k != carbon_index or not carbon_alk:
                        res[k] += c * m
                    continue
                if davies:
                    jac[i_row, k] -= half_z2 * c * m
                if k != carbon_index or not carbon_alk:
                    res[k] += c * m
                    if davies:
                        jac[k, i_row] += c * m * h
                    if free_h:
                        jac[k, h_row] += c * m * p_s
                    for r in range(m_count):
                        col = network.members[s, r]
                        if col < 0:
                            break
                        jac[k, col] += c * network.coefficients[s, r] * m
            if build and a_s != 0.0 and (carbon_alk or free_h):
                row = h_row if free_h else carbon_index
                if davies:
                    jac[row, i_row] += a_s * m * h
                if free_h:
                    jac[row, h_row] += a_s * m * p_s
                for r in range(m_count):
                    col = network.members[s, r]
                    if col < 0:
                        break
                    jac[row, col] += a_s * network.coefficients[s, r] * m
        if carbon_alk:
            res[carbon_index] = alk
        error = 0.0
        for k in range(k_count):
            if waters.present[w, k]:
                scale = abs(waters.target[w, k])
                res[k] = (waters.target[w, k] - res[k]) / scale
                if build:
                    inv = 1.0 / scale
                    for col in range(size):
                        jac[k, col] *= inv
                error = max(error, abs(res[k]))
            else:
                res[k] = 0.0
                if build:
                    for col in range(size):
                        jac[k, col] = 0.0
                    jac[k, k] = 1.0
        if free_h:
            scale = abs(waters.alkalinity[w])
            res[h_row] = (waters.alkalinity[w] - alk) / scale
            if build:
                for col in range(size):
                    jac[h_row, col] /= scale
            error = max(error, abs(res[h_row]))
        if davies:
            # the row I - sum z^2 m / 2 = 0, relative to I (its Jacobian: -dI/dx, 1 - dI/dI)
            res[i_row] = (ionic_sum - ionic) / ionic
            if build:
                for col in range(i_row):
                    jac[i_row, col] /= ionic
                jac[i_row, i_row] = (1.0 - ionic_slope) / ionic
            error = max(error, abs(res[i_row]))
            waters.ln_water_activity[w] = np.log(max(0.5, 1.0 - 0.017 * total))
        if error < 1e-10:
            break
        if expect:  # not converged after all: this iteration again, with its Jacobian
            expect = False
            continue
        if build:
            _block_factor(jac, network.diagonal, rest, rest_count, pivots)
        step = _block_solve(jac, network.diagonal, rest, rest_count, pivots, res)
        largest = 0.0
        for k in range(k_count):
            d = step[k]
            if not np.isfinite(d):
                d = 0.0
            largest = max(largest, abs(d))
            x[w, k] += min(2.0, max(-2.0, d))
        if free_h:
            d = step[h_row]
            if not np.isfinite(d):
                d = 0.0
            # pH kept in 1-13 while iterating
            largest = max(largest, abs(d))
            waters.ln_h[w] = min(-ln10, max(-13.0 * ln10, waters.ln_h[w]
                                            + min(1.0, max(-1.0, d))))
        if davies:
            d = step[i_row]
            if not np.isfinite(d):
                d = 0.0
            largest = max(largest, abs(d) / ionic)
            ionic = min(max(ionic + d, 0.1 * ionic), 10.0 * ionic)
        # Newton converges quadratically: after a step below 1e-6 the balances should hold
        expect = largest < 1e-6
        chord = build and not expect and largest < CHORD_BELOW
    if davies:  # the coefficients the last molalities were computed with
        for s in range(s_count):
            z = network.charges[s]
            waters.ln_gamma[w, s] = gamma_q if z == 0.0 else gamma_p * z * z
    if it >= 200:
        error = np.inf
    status[w, STATUS_ITERATIONS] = it
    status[w, STATUS_ERROR] = error

@njit(cache=True, error_model="numpy")
def _pitzer_activity(network, pitzer, activity, w, molality, ln_gamma, scratch_m, scratch_g,
                     par):
    """ln gamma (S,) of water ``w`` into ``ln_gamma``: Davies for every species, then the
    Pitzer values where the model has parameters, 0 for neutral species it lacks; returns the
    Pitzer ln a_w."""
    ln10 = np.log(10.0)
    s_count = ln_gamma.shape[0]
    ionic = 0.0
    for s in range(s_count):
        ionic += 0.5 * network.charges[s] ** 2 * molality[w, s]
    root = np.sqrt(ionic)
    term = root / (1.0 + root) - 0.3 * ionic
    for s in range(s_count):
        z = network.charges[s]
        if z == 0.0:
            ln_gamma[s] = 0.0 if activity.neutral_missing[s] else ln10 * 0.1 * ionic
        else:
            ln_gamma[s] = -ln10 * activity.davies_a[w] * z * z * term
    for i in range(activity.pitzer_columns.shape[0]):
        scratch_m[i] = molality[w, activity.pitzer_columns[i]]
    ln_aw = pitzer_ln_gamma(pitzer, scratch_m, par, activity.a_phi[w], scratch_g)
    for i in range(activity.pitzer_columns.shape[0]):
        ln_gamma[activity.pitzer_columns[i]] = scratch_g[i]
    return ln_aw


@njit(cache=True, error_model="numpy")
def _pitzer_one(network, waters, pitzer, activity, carbon_index, w, x, molality, status,
                ln_base):
    """The rounds of :func:`pitzer_kernel` for water ``w``."""
    s_count = molality.shape[1]
    p_count = activity.pitzer_columns.shape[0]
    ln10 = np.log(10.0)
    scratch_m = np.empty(p_count)
    scratch_g = np.empty(p_count)
    new = np.empty(s_count)
    par = np.empty(activity.parameter_count)
    pitzer_parameters(pitzer, activity.basis[w], par)
    waters.ln_water_activity[w] = _pitzer_activity(
        network, pitzer, activity, w, molality, waters.ln_gamma[w], scratch_m, scratch_g, par)
    iterations = 0.0
    done = False
    _presweep(network, waters, carbon_index, w, x, molality, PRESWEEPS, ln_base, _NO_BASE)
    # the first coefficients from the swept molalities (ion pairs formed), not the totals
    waters.ln_water_activity[w] = _pitzer_activity(
        network, pitzer, activity, w, molality, waters.ln_gamma[w], scratch_m, scratch_g, par)
    _presweep(network, waters, carbon_index, w, x, molality, 2, ln_base, _NO_BASE)
    for _round in range(activity.max_rounds):
        _newton_one(network, waters, carbon_index, w, x, molality, status, ln_base, _NO_BASE)
        iterations += status[w, STATUS_ITERATIONS]
        if not status[w, STATUS_ERROR] < 1e-10:
            done = True
            break
        ln_aw = _pitzer_activity(network, pitzer, activity, w, molality, new, scratch_m,
                                 scratch_g, par)
        change = 0.0
        for s in range(s_count):
            if molality[w, s] > 0.0:  # absent species: gamma unused (pitzer_ln_gamma)
                change = max(change, abs(new[s] - waters.ln_gamma[w, s]))
            waters.ln_gamma[w, s] = new[s]
        waters.ln_water_activity[w] = ln_aw
        if change / ln10 < activity.tolerance:
            done = True
            break
    if not done:
        status[w, STATUS_ERROR] = np.inf
    status[w, STATUS_ITERATIONS] = iterations


class Start(NamedTuple):
    """Per-model constants of the starting values (see ``speciation._solve``)."""

    log_k: np.ndarray  # (6, S) log10 K on the basis 1, T, 1/T, log10 T, 1/T^2, T^2
    proton: np.ndarray  # (S,) coefficient of H+
    own_master: np.ndarray  # (S,) int: the master a species is made of with H+ alone, or -1
    own_alkalinity: np.ndarray  # (S,) alkalinity of those species (carbon column)
    inert_columns: np.ndarray  # (I,) int: columns of the unpaired ions
    carbon_index: int


class StartInputs(NamedTuple):
    """Per-water inputs of :func:`start_kernel`."""

    temperature: np.ndarray  # (N,) [K]
    ph: np.ndarray  # (N,) pH, or the starting pH when ph_unknown
    totals: np.ndarray  # (N, K) totals of the masters (0: absent)
    target: np.ndarray  # (N, K) the balances' targets (carbon: alkalinity or total carbon)
    present: np.ndarray  # (N, K) bool
    inert: np.ndarray  # (N, I) totals of the unpaired ions
    carbon_is_alkalinity: np.ndarray  # (N,) bool
    ph_unknown: np.ndarray  # (N,) bool


@njit(cache=True, error_model="numpy")
def _start_one(start, inputs, w, ln_base, x, molality, ln_water_activity, base):
    # ln_base: the row (S,) of water w
    """Starting values of water ``w``: ln K (+ the pH term unless it is unknown), the masters
    from their acid-base side reactions alone (gamma = 1), the molalities of the totals;
    exp(ln_base) into ``base`` unless it is empty (pH given)."""
    ln10 = np.log(10.0)
    t = inputs.temperature[w]
    basis = (1.0, t, 1.0 / t, np.log10(t), 1.0 / (t * t), t * t)
    s_count = ln_base.shape[0]
    k_count = x.shape[1]
    denominator = np.zeros(k_count)
    alkalinity_sum = 0.0
    ln_h = -inputs.ph[w] * ln10
    for s in range(s_count):
        log_k = 0.0
        for b in range(6):
            log_k += basis[b] * start.log_k[b, s]
        ln_k = log_k * ln10
        with_h = ln_k + start.proton[s] * ln_h
        ln_base[s] = ln_k if inputs.ph_unknown[w] else with_h
        k = start.own_master[s]
        if base.size:
            e = np.exp(with_h)
            base[s] = e
            if k >= 0:
                weight = e if with_h <= 300.0 else np.exp(300.0)
                denominator[k] += weight
                alkalinity_sum += start.own_alkalinity[s] * weight
        elif k >= 0:
            weight = np.exp(min(with_h, 300.0))
            denominator[k] += weight
            alkalinity_sum += start.own_alkalinity[s] * weight
        molality[w, s] = 0.0
    c = start.carbon_index
    if inputs.carbon_is_alkalinity[w]:
        denominator[c] = alkalinity_sum
    total = 0.0
    for k in range(k_count):
        value = inputs.target[w, k] if inputs.present[w, k] else 1e-30
        x[w, k] = np.log(max(value / denominator[k], 1e-300))
        if inputs.present[w, k]:
            molality[w, k] = inputs.totals[w, k]
            total += inputs.totals[w, k]
    for i in range(start.inert_columns.shape[0]):
        s = start.inert_columns[i]
        molality[w, s] = inputs.inert[w, i]
        total += inputs.inert[w, i]
    ln_water_activity[w] = np.log(min(1.0, max(0.5, 1.0 - 0.017 * total)))


@njit(cache=True, parallel=True)
def speciation_kernel(start, inputs, network, waters, carbon_index, x, molality, status):
    """Starting values (:func:`_start_one`), sweeps and Newton's method (Davies), one water
    per prange task, the water's ln K row kept in a local array (``waters.ln_base`` unused)."""
    product = _product_form(network, False)
    for w in prange(x.shape[0]):
        _davies_one(start, inputs, network, waters, carbon_index, w, x, molality, status,
                    product)


@njit(cache=True)
def speciation_serial(start, inputs, network, waters, carbon_index, x, molality, status):
    """:func:`speciation_kernel` without threads."""
    product = _product_form(network, False)
    for w in range(x.shape[0]):
        _davies_one(start, inputs, network, waters, carbon_index, w, x, molality, status,
                    product)


@njit(cache=True)
def _davies_one(start, inputs, network, waters, carbon_index, w, x, molality, status,
                product):
    ln_base = np.empty(molality.shape[1])
    # exp(ln K_s + nu_sH ln a_H) once per water (pH given, ``product``: _product_form): the
    # sweeps and Newton steps then form each molality as a product of powers
    base = np.empty(molality.shape[1] if product and not waters.ph_unknown[w] else 0)
    _start_one(start, inputs, w, ln_base, x, molality, waters.ln_water_activity, base)
    _presweep(network, waters, carbon_index, w, x, molality, PRESWEEPS, ln_base, base)
    _newton_one(network, waters, carbon_index, w, x, molality, status, ln_base, base)


@njit(cache=True, parallel=True)
def pitzer_kernel(start, inputs, network, waters, pitzer, activity, carbon_index, x, molality,
                  status):
    """Starting values and the Pitzer rounds (:func:`_pitzer_one`), one water per prange
    task, the water's ln K row kept in a local array."""
    for w in prange(x.shape[0]):
        ln_base = np.empty(molality.shape[1])
        _start_one(start, inputs, w, ln_base, x, molality, waters.ln_water_activity,
                   np.empty(0))
        _pitzer_one(network, waters, pitzer, activity, carbon_index, w, x, molality, status,
                    ln_base)


@njit(cache=True)
def pitzer_serial(start, inputs, network, waters, pitzer, activity, carbon_index, x, molality,
                  status):
    """:func:`pitzer_kernel` without threads."""
    for w in range(x.shape[0]):
        ln_base = np.empty(molality.shape[1])
        _start_one(start, inputs, w, ln_base, x, molality, waters.ln_water_activity,
                   np.empty(0))
        _pitzer_one(network, waters, pitzer, activity, carbon_index, w, x, molality, status,
                    ln_base)


@njit(cache=True, error_model="numpy")
def _gather_one(columns, rows, i, molality, log_gamma, out_molality, out_log_activity, weights,
                sums):
    w = rows[i]
    for c in range(weights.shape[1]):
        sums[w, c] = 0.0
    for s in range(columns.shape[0]):
        m = molality[i, s]
        out_molality[w, columns[s]] = m
        out_log_activity[w, columns[s]] = np.log10(m) + log_gamma[i, s] if m > 0.0 else -np.inf
        for c in range(weights.shape[1]):
            sums[w, c] += weights[s, c] * m


@njit(cache=True, parallel=True)
def gather_kernel(columns, rows, molality, log_gamma, out_molality, out_log_activity, weights,
                  sums):
    """Molalities and log10 activities (log10 m + log10 gamma, -inf where m = 0) of a group
    of waters ``rows`` into the columns ``columns`` of the union arrays, and per water the
    sums of the molalities weighted by each column of ``weights`` (S, C) into ``sums``."""
    for i in prange(rows.shape[0]):
        _gather_one(columns, rows, i, molality, log_gamma, out_molality, out_log_activity,
                    weights, sums)


@njit(cache=True)
def gather_serial(columns, rows, molality, log_gamma, out_molality, out_log_activity, weights,
                  sums):
    """:func:`gather_kernel` without threads."""
    for i in range(rows.shape[0]):
        _gather_one(columns, rows, i, molality, log_gamma, out_molality, out_log_activity,
                    weights, sums)
