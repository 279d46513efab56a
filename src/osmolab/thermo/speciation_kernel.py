"""The compiled Newton iteration of :mod:`osmolab.thermo.speciation`.

One water per ``prange`` task: the unknowns are the logarithms of the free molalities of the
master species; each step builds the mass (and alkalinity) balances and their Jacobian from
the species the water has, and solves it (block elimination, then LU with partial pivoting; see
:func:`_block_factor`, :func:`_positions`). The kernel takes two named
bundles, :class:`Network` (the species, shared by all waters) and :class:`Waters` (per-water
inputs), and writes its per-water status into the columns ``STATUS_ITERATIONS`` and
``STATUS_ERROR``.

With Pitzer activity coefficients (:func:`_pitzer_one`), each water alternates
Newton solves with held coefficients and updates of the coefficients by the compiled Pitzer
model of :mod:`osmolab.thermo.pitzer_kernel` (Davies for the charged species it has no
parameters for, 1 for such neutral ones), until they change by less than a tolerance: the
whole loop runs per water inside the compiled code.

Batches run these one-water iterations only for the waters that do not fill a block of
waters with the same masters: :mod:`osmolab.thermo.speciation_lanes` solves the blocks.
"""

from __future__ import annotations

import contextlib
from typing import NamedTuple

import numba
import numpy as np
from numba import njit, prange

from .pitzer_kernel import pitzer_ln_gamma, pitzer_parameters

__all__ = ["POWER_COUNT", "STATUS_ERROR", "STATUS_ITERATIONS", "Activity", "Network", "Start",
           "StartInputs", "Waters", "chunked", "gather_kernel", "gather_serial", "newton_kernel",
           "newton_serial", "power_index"]


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
    power_index: np.ndarray  # (S, 3) int: the species' entries of the Davies power table


class Waters(NamedTuple):
    """Per-water inputs of the Newton kernel; ln_gamma and ln_water_activity are updated in
    place when davies_a > 0 (Davies inside the iteration), else held (the product form,
    ``_davies_product``, writes the log10 activities but not ln_gamma)."""

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
    log_activity: np.ndarray  # (N, S) log10 activity at the solution (out), or (0, S): none
    sums: np.ndarray  # (N, 3) ionic strength, alkalinity, total carbon (out), or (0, 3): none


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


@njit(cache=True)
def _positions(diagonal, carbon_index, position):
    """Order of the masters in the Newton matrix into ``position`` (K,): first those of
    ``diagonal`` (no species holds two of them; carbon excluded: its row may be the
    alkalinity), then the others in their order; returns the count of the first. The extra
    unknowns (ln a_H+, I) follow the masters."""
    k_count = diagonal.size
    first = 0
    for k in range(k_count):
        if diagonal[k] and k != carbon_index:
            position[k] = first
            first += 1
    following = first
    for k in range(k_count):
        if not (diagonal[k] and k != carbon_index):
            position[k] = following
            following += 1
    return first


@njit(cache=True, error_model="numpy", fastmath={"reassoc", "contract", "arcp", "afn"})
def _block_factor(a, first, size, pivots):
    """Factor the leading ``size`` x ``size`` Newton matrix ``a`` in place, whose first
    ``first`` rows and columns form a diagonal block (masters no species holds together,
    :func:`_positions`): their elimination is exact without pivoting, and the Schur
    complement on the trailing rows is then LU-factored with partial pivoting within them
    (the chosen row of each column in ``pivots``). Solve with :func:`_block_solve`."""
    for d in range(first):
        if a[d, d] == 0.0:
            continue
        inv = 1.0 / a[d, d]
        for i in range(first, size):
            f = a[i, d] * inv
            if f != 0.0:
                for j in range(first, size):
                    a[i, j] -= f * a[d, j]
    for c in range(first, size):
        pivot = c
        for r in range(c + 1, size):
            if abs(a[r, c]) > abs(a[pivot, c]):
                pivot = r
        pivots[c] = pivot
        if pivot != c:
            for k in range(first, size):
                a[c, k], a[pivot, k] = a[pivot, k], a[c, k]
        inv = 1.0 / a[c, c] if a[c, c] != 0.0 else 0.0
        for r in range(c + 1, size):
            f = a[r, c] * inv
            a[r, c] = f
            if f != 0.0:
                for k in range(c + 1, size):
                    a[r, k] -= f * a[c, k]


@njit(cache=True, error_model="numpy", fastmath={"reassoc", "contract", "arcp", "afn"})
def _block_solve(a, first, size, pivots, b):
    """Solve a x = b in place with the factors of :func:`_block_factor`; returns x (b)."""
    for d in range(first):  # the Schur complement's right-hand side
        if a[d, d] == 0.0:
            continue
        v = b[d] / a[d, d]
        if v != 0.0:
            for i in range(first, size):
                b[i] -= a[i, d] * v
    for c in range(first, size):  # all the row swaps first, then L
        pivot = pivots[c]
        if pivot != c:
            b[c], b[pivot] = b[pivot], b[c]
    for c in range(first, size):
        v = b[c]
        if v != 0.0:
            for r in range(c + 1, size):
                b[r] -= a[r, c] * v
    for c in range(size - 1, first - 1, -1):
        total = b[c]
        for k in range(c + 1, size):
            total -= a[c, k] * b[k]
        b[c] = total / a[c, c] if a[c, c] != 0.0 else 0.0
    for d in range(first):  # the diagonal unknowns from the others
        if a[d, d] == 0.0:
            b[d] = 0.0
            continue
        total = b[d]
        for k in range(first, size):
            total -= a[d, k] * b[k]
        b[d] = total / a[d, d]
    return b


@njit(cache=True, error_model="numpy")
def _master_rows(present, target, w, position, res, jac, size, build):
    """The mass-balance rows of the Newton system: the residual (target - sum) / target of
    each present master of water ``w`` in ``res`` (the sums in, at the master's
    ``position``), and its Jacobian row (when ``build``) divided by the target; an absent
    master's row is x_k = const. Returns the largest residual. (``present``, ``target``:
    the waters' arrays, not the bundle, for a cheap call in a loop.)"""
    error = 0.0
    for k in range(position.size):
        row = position[k]
        if present[w, k]:
            scale = abs(target[w, k])
            res[row] = (target[w, k] - res[row]) / scale
            if build:
                inv = 1.0 / scale
                for col in range(size):
                    jac[row, col] *= inv
            error = max(error, abs(res[row]))
        else:
            res[row] = 0.0
            if build:
                for col in range(size):
                    jac[row, col] = 0.0
                jac[row, row] = 1.0
    return error


@njit(cache=True, error_model="numpy")
def _ionic_row(res, jac, i_row, ionic, ionic_sum, ionic_slope, build):
    """The row I - sum z^2 m / 2 = 0 of the Davies Newton system, relative to I (its
    Jacobian: -dI/dx, already summed into the row, and 1 - dI/dI); returns abs residual."""
    res[i_row] = (ionic_sum - ionic) / ionic
    if build:
        for col in range(i_row):
            jac[i_row, col] /= ionic
        jac[i_row, i_row] = (1.0 - ionic_slope) / ionic
    return abs(res[i_row])


#: after a Newton step whose largest change is below this, the next step reuses the
#: factored Jacobian (a chord step: the error falls from e to about CHORD_BELOW * e, below the
#: tolerance from where such a step starts)
CHORD_BELOW = 1e-4


#: largest molality a step of the product form may produce (ln m <= 50, as in the exp form)
_M_CAP = float(np.exp(50.0))
#: range of the integer exponents n of e^(nP) in the Davies power table
_Z2_LOW = -8
_Z2_HIGH = 16
#: positions in the Davies power table (:func:`_davies_powers`) of e^-Q, 1, e^Q and of
#: 1/a_w, 1, a_w
_Q_AT = _Z2_HIGH - _Z2_LOW + 1
_W_AT = _Q_AT + 3
#: length of the Davies power table
POWER_COUNT = _W_AT + 3


def power_index(gamma_z2, gamma_neutral, water):
    """(S, 3) int: per species the entries of the Davies power table whose product is
    exp(P gz + Q gn + nu_w ln a_w) (:func:`_davies_powers`), for integral gz in
    ``_Z2_LOW``-``_Z2_HIGH`` and gn, nu_w in -1..1 (:func:`_product_form`; other species get
    entries of 1 and the network is solved in the exp form)."""
    gz = np.asarray(gamma_z2, dtype=float)
    gn = np.asarray(gamma_neutral, dtype=float)
    nu = np.asarray(water, dtype=float)
    fits = ((gz == np.floor(gz)) & (gz >= _Z2_LOW) & (gz <= _Z2_HIGH)
            & np.isin(gn, (-1.0, 0.0, 1.0)) & np.isin(nu, (-1.0, 0.0, 1.0)))
    index = np.empty((gz.size, 3), dtype=np.int64)
    index[:, 0] = np.where(fits, gz, 0).astype(np.int64) - _Z2_LOW
    index[:, 1] = _Q_AT + 1 + np.where(fits, gn, 0).astype(np.int64)
    index[:, 2] = _W_AT + 1 + np.where(fits, nu, 0).astype(np.int64)
    return index


@njit(cache=True)
def _product_form(network, free_h):
    """True when each species' molality is a product of integer powers (the product form of
    :func:`_davies_product`): at most two masters per species, every master coefficient 1,
    H2O and neutral terms in -1..1, sum nu z^2 - z^2 in ``_Z2_LOW``-``_Z2_HIGH``; pH
    given."""
    if free_h:
        return False
    s_count, m_count = network.members.shape
    if m_count > 2:
        return False
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
def _davies_powers(gamma_p, gamma_q, ln_aw, powers):
    """The Davies power table of one step into ``powers`` (:data:`POWER_COUNT`): e^(nP) for
    n in ``_Z2_LOW``-``_Z2_HIGH``, then e^-Q, 1, e^Q, then 1/a_w, 1, a_w; a species' factor
    exp(P gz + Q gn + nu_w ln a_w) is the product of its three entries
    (``Network.power_index``): three exp per step instead of one per species."""
    zero = -_Z2_LOW
    e_p = np.exp(gamma_p)
    inverse = 1.0 / e_p
    powers[zero] = 1.0
    for n in range(1, _Z2_HIGH + 1):
        powers[zero + n] = powers[zero + n - 1] * e_p
    for n in range(1, zero + 1):
        powers[zero - n] = powers[zero - n + 1] * inverse
    e_q = np.exp(gamma_q)
    powers[_Q_AT] = 1.0 / e_q
    powers[_Q_AT + 1] = 1.0
    powers[_Q_AT + 2] = e_q
    a_w = np.exp(ln_aw)
    powers[_W_AT] = 1.0 / a_w
    powers[_W_AT + 1] = 1.0
    powers[_W_AT + 2] = a_w


@njit(cache=True)
def _has_masters(members, present, w, s):
    """True when water ``w`` has every master of species ``s`` (``members``: the network's,
    ``present``: the waters'; arrays, not the bundles, for a cheap call in a loop)."""
    for q in range(members.shape[1]):
        k = members[s, q]
        if k < 0:
            break
        if not present[w, k]:
            return False
    return True


#: sweeps of the cheap fixed-point update of the masters before Newton's method (Davies)
PRESWEEPS = 2


@njit(cache=True, parallel=True)
def newton_kernel(network, waters, carbon_index, x, molality, status):
    """Damped Newton on x = ln(free molality of the masters), one water per prange task.

    Writes ``x`` (N, K), ``molality`` (N, S) and ``status`` (N, 2): iterations and the final
    largest relative balance error (inf: not converged in 200 iterations).
    """
    for w in prange(x.shape[0]):
        _presweep(network, waters, carbon_index, w, x, molality, PRESWEEPS, waters.ln_base[w])
        _newton_one(network, waters, carbon_index, w, x, molality, status, waters.ln_base[w])


@njit(cache=True)
def newton_serial(network, waters, carbon_index, x, molality, status):
    """:func:`newton_kernel` without threads (a few waters: no thread start-up)."""
    for w in range(x.shape[0]):
        _presweep(network, waters, carbon_index, w, x, molality, PRESWEEPS, waters.ln_base[w])
        _newton_one(network, waters, carbon_index, w, x, molality, status, waters.ln_base[w])


@njit(cache=True, error_model="numpy")
def _presweep(network, waters, carbon_index, w, x, molality, sweeps, ln_base):
    """A better start for Newton's method: ``sweeps`` simultaneous updates
    x_k += ln(T_k / sum_j nu_jk m_j) of every master (the alkalinity for carbon when it is
    given), each factor limited to e^2; Davies coefficients at the ionic strength of the
    previous sweep (the first: that of the totals), or the held coefficients. Leaves the
    molalities of the last sweep."""
    if waters.ph_unknown[w]:
        return
    davies = waters.davies_a[w] > 0.0
    k_count = x.shape[1]
    s_count, m_count = network.members.shape
    ln10 = np.log(10.0)
    carbon_alk = waters.carbon_is_alkalinity[w]
    sums = np.empty(k_count)
    ionic = 0.0
    for s in range(s_count):
        ionic += 0.5 * network.charges[s] ** 2 * molality[w, s]
    for _sweep in range(sweeps):
        ionic = max(ionic, 1e-12)
        root = np.sqrt(ionic)
        gamma_p = -ln10 * waters.davies_a[w] * (root / (1.0 + root) - 0.3 * ionic)
        gamma_q = ln10 * 0.1 * ionic
        ln_aw = waters.ln_water_activity[w]
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
                if not waters.present[w, k]:  # a master the water lacks: no such species
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
def _newton_one(network, waters, carbon_index, w, x, molality, status, ln_base):
    """The Newton iteration of :func:`newton_kernel` for water ``w``.

    With Davies coefficients the ionic strength I is one more unknown (the last row,
    I - sum z^2 m / 2 = 0), so the coefficients move with the Newton step and the iteration
    stays quadratic; with held (Pitzer) coefficients the system is the masters alone. When
    the water's pH is unknown (``waters.ln_h`` finite at entry is its start, ``ph_unknown``),
    ln a_H+ is one more unknown (after the masters) with the alkalinity balance as its row,
    the carbon row then balancing the total carbon. (Davies waters of given pH run
    :func:`_davies_product` instead where the network allows.)
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
    # the place of each master in the matrix: the diagonal block first (_positions), then the
    # other masters; ln a_H+ and I follow at their own indices
    position = np.empty(k_count, dtype=np.int64)
    first = _positions(network.diagonal, carbon_index, position)
    res = np.empty(size)
    error = np.inf
    carbon_alk = waters.carbon_is_alkalinity[w] and not free_h
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
            absent = absent or not waters.present[w, k]
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
        for index in range(n_active):
            s = active[index]
            p_s = network.proton[s]
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
                        res[position[k]] += c * m
                    continue
                if davies:
                    jac[i_row, position[k]] -= half_z2 * c * m
                if k != carbon_index or not carbon_alk:
                    res[position[k]] += c * m
                    if davies:
                        jac[position[k], i_row] += c * m * h
                    if free_h:
                        jac[position[k], h_row] += c * m * p_s
                    for r in range(m_count):
                        col = network.members[s, r]
                        if col < 0:
                            break
                        jac[position[k], position[col]] += c * network.coefficients[s, r] * m
            if build and a_s != 0.0 and (carbon_alk or free_h):
                row = h_row if free_h else position[carbon_index]
                if davies:
                    jac[row, i_row] += a_s * m * h
                if free_h:
                    jac[row, h_row] += a_s * m * p_s
                for r in range(m_count):
                    col = network.members[s, r]
                    if col < 0:
                        break
                    jac[row, position[col]] += a_s * network.coefficients[s, r] * m
        if carbon_alk:
            res[position[carbon_index]] = alk
        error = _master_rows(waters.present, waters.target, w, position, res, jac, size, build)
        if free_h:
            scale = abs(waters.alkalinity[w])
            res[h_row] = (waters.alkalinity[w] - alk) / scale
            if build:
                for col in range(size):
                    jac[h_row, col] /= scale
            error = max(error, abs(res[h_row]))
        if davies:
            error = max(error, _ionic_row(res, jac, i_row, ionic, ionic_sum, ionic_slope, build))
            waters.ln_water_activity[w] = np.log(max(0.5, 1.0 - 0.017 * total))
        if error < 1e-10:
            break
        if expect:  # not converged after all: this iteration again, with its Jacobian
            expect = False
            continue
        if build:
            _block_factor(jac, first, size, pivots)
        step = _block_solve(jac, first, size, pivots, res)
        largest = 0.0
        for k in range(k_count):
            d = step[position[k]]
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


@njit(cache=True)
def _species_table(network, waters, carbon_index, w, scratch):
    """The species table of water ``w`` in ``scratch`` (:func:`_scratch`), unless it holds that
    of the same masters (and the same carbon row) already: per species the water has, the
    species, its two master columns and mass-balance rows, and its alkalinity row (the spare
    row where there is none); the unpaired and the absent species; their counts."""
    (table, carbon_of, inert, absent, counts, key, position) = scratch[:7]
    k_count = position.shape[0]
    s_count, m_count = network.members.shape
    spare = k_count + 1
    carbon_row = position[carbon_index]
    carbon_alk = waters.carbon_is_alkalinity[w]
    same = counts[3] == 1 and key[k_count] == carbon_alk
    for k in range(k_count):
        if not same:
            break
        same = key[k] == waters.present[w, k]
    if same:
        return
    n_active = 0
    n_inert = 0
    n_absent = 0
    for s in range(s_count):
        if network.inert[s]:
            inert[n_inert] = s
            n_inert += 1
            continue
        a = network.members[s, 0]
        b = network.members[s, 1] if m_count > 1 else -1
        if not _has_masters(network.members, waters.present, w, s):
            absent[n_absent] = s
            n_absent += 1
            continue
        table[n_active, 0] = s
        table[n_active, 1] = position[a] if a >= 0 else spare
        table[n_active, 2] = position[b] if b >= 0 else spare
        table[n_active, 3] = (position[a] if a >= 0 and not (carbon_alk and a == carbon_index)
                              else spare)
        table[n_active, 4] = (position[b] if b >= 0 and not (carbon_alk and b == carbon_index)
                              else spare)
        table[n_active, 5] = (carbon_row if carbon_alk and network.alkalinity[s] != 0.0
                              else spare)
        carbon_of[n_active] = 1.0 if a == carbon_index or b == carbon_index else 0.0
        n_active += 1
    counts[0] = n_active
    counts[1] = n_inert
    counts[2] = n_absent
    counts[3] = 1
    for k in range(k_count):
        key[k] = waters.present[w, k]
    key[k_count] = carbon_alk


@njit(cache=True, error_model="numpy",
      fastmath={"reassoc", "contract", "arcp", "afn"})  # keeps NaN/inf checks
def _davies_product(network, waters, carbon_index, w, x, molality, status, scratch):
    """:data:`PRESWEEPS` sweeps (:func:`_presweep`) and Newton's method (:func:`_newton_one`)
    for a Davies water of given pH whose network has the product form
    (:func:`_product_form`), with the same equations and tolerance, and its log10
    activities and sums into ``waters.log_activity`` and ``waters.sums`` (``waters.ln_gamma``
    is not written). ``scratch``: :func:`_scratch`, with ``ln_base`` and ``base`` (exp of
    ln K + nu_H ln a_H) of the water.

    The water activity of the next pass is that of the molalities after the step, to first
    order, once steps are below 0.1 (the exp form lags it by a pass: its last steps then
    converge linearly, these quadratically).

    Each molality is ``base`` times three entries of the Davies power table
    (:func:`_davies_powers`) and the exp(x) of its (at most two) masters. Each species'
    Jacobian entries go to rows and columns fixed for the water before the iteration (and
    kept for the next water when it has the same masters): those of a missing second master,
    and the carbon mass balance where the alkalinity replaces it, point to a spare row and
    column that the solve never reads, so the loop over species has no branches.
    """
    (table, carbon_of, inert, absent, counts, key, position, jac, res, pivots, powers, masters,
     mass, ln_masters, ln_base, base) = scratch
    k_count = x.shape[1]
    s_count, m_count = network.members.shape
    ln10 = np.log(10.0)
    i_row = k_count  # the ionic strength: the last unknown
    size = k_count + 1
    spare = size
    first = counts[4]
    carbon_row = position[carbon_index]
    carbon_alk = waters.carbon_is_alkalinity[w]
    logs = waters.log_activity.shape[0] > 0
    _species_table(network, waters, carbon_index, w, scratch)
    n_active = counts[0]
    n_inert = counts[1]
    ionic = 0.0  # of the totals (the starting molalities: the masters are the first species)
    for k in range(k_count):
        ionic += 0.5 * network.charges[k] ** 2 * molality[w, k]
    inert_ionic = 0.0
    inert_alk = 0.0
    inert_total = 0.0
    for index in range(n_inert):
        s = inert[index]
        m = waters.inert_molality[w, network.inert_index[s]]
        molality[w, s] = m
        inert_ionic += 0.5 * network.charges[s] ** 2 * m
        inert_alk += network.alkalinity[s] * m
        inert_total += m
    ionic += inert_ionic
    for index in range(counts[2]):
        s = absent[index]
        molality[w, s] = 0.0
        if logs:
            waters.log_activity[w, s] = -np.inf
    davies_a = waters.davies_a[w]
    # per master the sum of the molalities of its species, and sum m dln m/dI (last Jacobian):
    # they predict the total molality after a step, hence the water activity of the next pass
    mass[:] = 0.0
    mass_h = 0.0
    slope_q = 0.1 * ln10
    gamma_p = 0.0
    gamma_q = 0.0
    ln_aw = waters.ln_water_activity[w]
    error = np.inf
    sweeps = 0
    it = 0
    expect = False  # as in _newton_one
    chord = False
    while it < 200:
        sweeping = sweeps < PRESWEEPS
        if sweeping:
            sweeps += 1
            ionic = max(ionic, 1e-12)
        else:
            it += 1
        build = not sweeping and not expect and not chord
        root = np.sqrt(ionic)
        gamma_p = -ln10 * davies_a * (root / (1.0 + root) - 0.3 * ionic)
        gamma_q = slope_q * ionic
        slope_u = -ln10 * davies_a * (0.5 / (root * (1.0 + root) ** 2) - 0.3)
        ln_aw = waters.ln_water_activity[w]
        _davies_powers(gamma_p, gamma_q, ln_aw, powers)
        for k in range(k_count):
            masters[position[k]] = np.exp(x[w, k])
        res[:] = 0.0
        if build:
            jac[:, :] = 0.0
        alk = inert_alk
        ionic_sum = inert_ionic
        ionic_slope = 0.0
        total = inert_total
        carbon_mass = 0.0
        sum_h = 0.0
        for index in range(n_active):
            s = table[index, 0]
            col_a = table[index, 1]
            col_b = table[index, 2]
            row_a = table[index, 3]
            row_b = table[index, 4]
            m = (base[s] * powers[network.power_index[s, 0]]
                 * powers[network.power_index[s, 1]] * powers[network.power_index[s, 2]]
                 * masters[col_a] * masters[col_b])
            if not m < _M_CAP:
                m = _M_CAP
            molality[w, s] = m
            total += m
            half_z2_m = 0.5 * network.charges[s] ** 2 * m
            ionic_sum += half_z2_m
            alk_m = network.alkalinity[s] * m
            alk += alk_m
            res[row_a] += m
            res[row_b] += m
            carbon_mass += carbon_of[index] * m
            if build:
                h = slope_u * network.gamma_z2[s] + slope_q * network.gamma_neutral[s]
                ionic_slope += half_z2_m * h
                sum_h += m * h
                row_c = table[index, 5]
                jac[row_a, col_a] += m
                jac[row_a, col_b] += m
                jac[row_b, col_a] += m
                jac[row_b, col_b] += m
                jac[row_a, i_row] += m * h
                jac[row_b, i_row] += m * h
                jac[i_row, col_a] -= half_z2_m
                jac[i_row, col_b] -= half_z2_m
                jac[row_c, col_a] += alk_m
                jac[row_c, col_b] += alk_m
                jac[row_c, i_row] += alk_m * h
        for k in range(k_count):
            mass[k] = res[k]
        mass[carbon_row] = carbon_mass
        if build:
            mass_h = sum_h
        if carbon_alk:
            res[carbon_row] = alk
        if sweeping:  # x_k += ln(T_k / sum_k), each factor limited to e^2
            for k in range(k_count):
                row = position[k]
                if waters.present[w, k] and res[row] > 0.0:
                    x[w, k] += min(2.0, max(-2.0, np.log(waters.target[w, k] / res[row])))
            waters.ln_water_activity[w] = np.log(max(0.5, 1.0 - 0.017 * total))
            ionic = ionic_sum
            continue
        error = max(_master_rows(waters.present, waters.target, w, position, res, jac, size,
                                 build),
                    _ionic_row(res, jac, i_row, ionic, ionic_sum, ionic_slope, build))
        waters.ln_water_activity[w] = np.log(max(0.5, 1.0 - 0.017 * total))
        if error < 1e-10:
            break
        if expect:
            expect = False
            continue
        if build:
            _block_factor(jac, first, size, pivots)
        step = _block_solve(jac, first, size, pivots, res)
        largest = 0.0
        change = 0.0  # of the total molality, to first order
        for k in range(k_count):
            d = step[position[k]]
            if not np.isfinite(d):
                d = 0.0
            largest = max(largest, abs(d))
            d = min(2.0, max(-2.0, d))
            x[w, k] += d
            change += mass[position[k]] * d
        d = step[i_row]
        if not np.isfinite(d):
            d = 0.0
        largest = max(largest, abs(d) / ionic)
        d = min(max(ionic + d, 0.1 * ionic), 10.0 * ionic) - ionic
        ionic += d
        change += mass_h * d
        if largest < 0.1:  # near the solution: the water activity of the stepped molalities
            waters.ln_water_activity[w] = np.log(max(0.5, 1.0 - 0.017 * (total + change)))
        expect = largest < 1e-6
        chord = build and not expect and largest < CHORD_BELOW
    if it >= 200:
        error = np.inf
    status[w, STATUS_ITERATIONS] = it
    status[w, STATUS_ERROR] = error
    if waters.sums.shape[0] > 0:  # of the last molalities
        carbon = 0.0
        for index in range(n_active):
            if table[index, 1] == carbon_row or table[index, 2] == carbon_row:
                carbon += molality[w, table[index, 0]]
        waters.sums[w, 0] = ionic_sum
        waters.sums[w, 1] = alk
        waters.sums[w, 2] = carbon
    if not logs:
        return
    # log10 activities, ln a = ln m + ln gamma (Davies: P z^2, or Q for neutral species): for
    # the species the water has, sums of the logarithms their molalities were formed from
    ln_masters[spare] = 0.0
    for k in range(k_count):
        ln_masters[position[k]] = x[w, k]
    for index in range(n_active):
        s = table[index, 0]
        m = molality[w, s]
        z = network.charges[s]
        ln_gamma = gamma_q if z == 0.0 else gamma_p * z * z
        if m < _M_CAP:
            ln_a = (ln_base[s] + gamma_p * network.gamma_z2[s]
                    + gamma_q * network.gamma_neutral[s] + network.water[s] * ln_aw + ln_gamma
                    + ln_masters[table[index, 1]] + ln_masters[table[index, 2]])
        else:
            ln_a = np.log(m) + ln_gamma
        waters.log_activity[w, s] = ln_a / ln10 if m > 0.0 else -np.inf
    for index in range(n_inert):
        s = inert[index]
        m = molality[w, s]
        z = network.charges[s]
        ln_gamma = gamma_q if z == 0.0 else gamma_p * z * z
        waters.log_activity[w, s] = (np.log(m) + ln_gamma) / ln10 if m > 0.0 else -np.inf


@njit(cache=True)
def _sums(network, waters, carbon_index, w, molality):
    """Ionic strength, alkalinity and total carbon of water ``w`` into ``waters.sums``,
    unless it is empty."""
    if waters.sums.shape[0] == 0:
        return
    s_count, m_count = network.members.shape
    ionic = 0.0
    alkalinity = 0.0
    carbon = 0.0
    for s in range(s_count):
        m = molality[w, s]
        ionic += 0.5 * network.charges[s] ** 2 * m
        alkalinity += network.alkalinity[s] * m
        for q in range(m_count):
            if network.members[s, q] == carbon_index:
                carbon += network.coefficients[s, q] * m
    waters.sums[w, 0] = ionic
    waters.sums[w, 1] = alkalinity
    waters.sums[w, 2] = carbon


@njit(cache=True, error_model="numpy")
def _log_activities(network, waters, w, molality):
    """log10 activities of water ``w`` (log10 m + ln gamma / ln 10, -inf where m = 0) into
    ``waters.log_activity``, unless it is empty."""
    if waters.log_activity.shape[0] == 0:
        return
    ln10 = np.log(10.0)
    for s in range(network.members.shape[0]):
        m = molality[w, s]
        waters.log_activity[w, s] = (
            (np.log(m) + waters.ln_gamma[w, s]) / ln10 if m > 0.0 else -np.inf)


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
    _presweep(network, waters, carbon_index, w, x, molality, PRESWEEPS, ln_base)
    # the first coefficients from the swept molalities (ion pairs formed), not the totals
    waters.ln_water_activity[w] = _pitzer_activity(
        network, pitzer, activity, w, molality, waters.ln_gamma[w], scratch_m, scratch_g, par)
    _presweep(network, waters, carbon_index, w, x, molality, 2, ln_base)
    for _round in range(activity.max_rounds):
        _newton_one(network, waters, carbon_index, w, x, molality, status, ln_base)
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
    _log_activities(network, waters, w, molality)


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


@njit(cache=True)
def _scratch(network, k_count, carbon_index):
    """Work arrays of :func:`_davies_product` (and the ln K row of :func:`_davies_one`),
    allocated once per chunk of waters: the species table of the last water's masters (its
    counts, whether valid and the key it was built for), the places of the masters in the
    Newton matrix (:func:`_positions`), the matrix, right-hand side, pivots, power table,
    exp and ln of the masters, their species' sums, ln K + nu_H ln a_H and its exp."""
    s_count = network.members.shape[0]
    size = k_count + 1
    counts = np.zeros(5, dtype=np.int64)  # active, unpaired, absent species; valid; first
    position = np.empty(k_count, dtype=np.int64)
    counts[4] = _positions(network.diagonal, carbon_index, position)
    return (np.empty((s_count, 6), dtype=np.int64), np.empty(s_count),
            np.empty(s_count, dtype=np.int64), np.empty(s_count, dtype=np.int64), counts,
            np.zeros(k_count + 1, dtype=np.bool_), position, np.empty((size + 1, size + 1)),
            np.empty(size + 1), np.empty(size, dtype=np.int64), np.empty(POWER_COUNT),
            np.ones(size + 1), np.zeros(size + 1), np.zeros(size + 1), np.empty(s_count),
            np.empty(s_count))


@njit(cache=True)
def _davies_one(start, inputs, network, waters, w, x, molality, status, product, scratch):
    carbon_index = start.carbon_index
    for s in range(network.members.shape[0], molality.shape[1]):  # columns of other models
        molality[w, s] = 0.0
        if waters.log_activity.shape[0] > 0:
            waters.log_activity[w, s] = -np.inf
    ln_base = scratch[-2]
    # exp(ln K_s + nu_sH ln a_H) once per water (pH given, ``product``: _product_form): the
    # sweeps and Newton steps then form each molality as a product of powers
    base = scratch[-1] if product and not waters.ph_unknown[w] else scratch[-1][:0]
    _start_one(start, inputs, w, ln_base, x, molality, waters.ln_water_activity, base)
    if base.size:  # (with the log10 activities and the sums)
        _davies_product(network, waters, carbon_index, w, x, molality, status, scratch)
        return
    _presweep(network, waters, carbon_index, w, x, molality, PRESWEEPS, ln_base)
    _newton_one(network, waters, carbon_index, w, x, molality, status, ln_base)
    _log_activities(network, waters, w, molality)
    _sums(network, waters, carbon_index, w, molality)


@njit(cache=True, error_model="numpy")
def _gather_one(columns, rows, i, molality, log_activity, out_molality, out_log_activity,
                weights, sums):
    w = rows[i]
    for c in range(weights.shape[1]):
        sums[w, c] = 0.0
    for s in range(columns.shape[0]):
        m = molality[i, s]
        out_molality[w, columns[s]] = m
        out_log_activity[w, columns[s]] = log_activity[i, s]
        for c in range(weights.shape[1]):
            sums[w, c] += weights[s, c] * m


@njit(cache=True, parallel=True)
def gather_kernel(columns, rows, molality, log_activity, out_molality, out_log_activity,
                  weights, sums):
    """Molalities and log10 activities of a group of waters ``rows`` into the columns
    ``columns`` of the union arrays, and per water the sums of the molalities weighted by
    each column of ``weights`` (S, C) into ``sums``."""
    for i in prange(rows.shape[0]):
        _gather_one(columns, rows, i, molality, log_activity, out_molality, out_log_activity,
                    weights, sums)


@njit(cache=True)
def gather_serial(columns, rows, molality, log_activity, out_molality, out_log_activity,
                  weights, sums):
    """:func:`gather_kernel` without threads."""
    for i in range(rows.shape[0]):
        _gather_one(columns, rows, i, molality, log_activity, out_molality, out_log_activity,
                    weights, sums)
