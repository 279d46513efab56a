"""The compiled Newton iteration of :mod:`osmolab.thermo.speciation`.

One water per ``prange`` task: the unknowns are the logarithms of the free molalities of the
master species; each step builds the mass (and alkalinity) balances and their Jacobian from
the species the water has, and solves it by Gaussian elimination. The kernel takes two named
bundles, :class:`Network` (the species, shared by all waters) and :class:`Waters` (per-water
inputs), and writes its per-water status into the columns ``STATUS_ITERATIONS`` and
``STATUS_ERROR``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit, prange

__all__ = ["STATUS_ERROR", "STATUS_ITERATIONS", "Network", "Waters", "newton_kernel"]


class Network(NamedTuple):
    """The species network, shared by all waters (species j, master species k)."""

    members: np.ndarray  # (S, M) int, the masters each species is built from (-1: none)
    coefficients: np.ndarray  # (S, M) their stoichiometric coefficients
    alkalinity: np.ndarray  # (S,) [eq/mol]
    charges: np.ndarray  # (S,) charge numbers
    water: np.ndarray  # (S,) coefficient of H2O in the formation reaction
    inert: np.ndarray  # (S,) True for the unpaired ions, held at their totals


class Waters(NamedTuple):
    """Per-water inputs of the Newton kernel; ln_gamma and ln_water_activity are updated in
    place when davies_a > 0 (Davies inside the iteration), else held."""

    ln_base: np.ndarray  # (N, S) ln K_j + nu_jH ln a_H
    ln_gamma: np.ndarray  # (N, S) ln gamma_j
    ln_water_activity: np.ndarray  # (N,)
    davies_a: np.ndarray  # (N,) Davies A (log10 basis), or 0 to hold the coefficients
    inert_molality: np.ndarray  # (N, S) molality of the unpaired ions (0 elsewhere)
    target: np.ndarray  # (N, K) totals (the carbon row: alkalinity or total carbon)
    present: np.ndarray  # (N, K) bool, master present in the water
    carbon_is_alkalinity: np.ndarray  # (N,) bool


#: columns of the kernel's per-water status output
STATUS_ITERATIONS = 0
STATUS_ERROR = 1


@njit(cache=True)
def _solve_linear(a, b):
    """Solve a x = b in place (Gaussian elimination, partial pivoting); returns x (b)."""
    size = b.size
    for col in range(size):
        pivot = col
        for row in range(col + 1, size):
            if abs(a[row, col]) > abs(a[pivot, col]):
                pivot = row
        if pivot != col:
            for k in range(size):
                a[col, k], a[pivot, k] = a[pivot, k], a[col, k]
            b[col], b[pivot] = b[pivot], b[col]
        d = a[col, col]
        if d == 0.0:
            continue
        for row in range(col + 1, size):
            f = a[row, col] / d
            if f != 0.0:
                for k in range(col, size):
                    a[row, k] -= f * a[col, k]
                b[row] -= f * b[col]
    for col in range(size - 1, -1, -1):
        total = b[col]
        for k in range(col + 1, size):
            total -= a[col, k] * b[k]
        b[col] = total / a[col, col] if a[col, col] != 0.0 else 0.0
    return b


@njit(cache=True, parallel=True)
def newton_kernel(network, waters, carbon_index, x, molality, status):
    """Damped Newton on x = ln(free molality of the masters), one water per prange task.

    Writes ``x`` (N, K), ``molality`` (N, S) and ``status`` (N, 2): iterations and the final
    largest relative balance error (inf: not converged in 200 iterations).
    """
    for w in prange(x.shape[0]):
        _newton_one(network, waters, carbon_index, w, x, molality, status)


@njit(cache=True, inline="always")
def _davies_slope(charge, davies_a, slope, ln10):
    """d ln gamma / dI of Davies' equation (0.1 ln10 for neutral species)."""
    if charge == 0.0:
        return 0.1 * ln10
    return -ln10 * davies_a * charge * charge * slope


@njit(cache=True, fastmath={"reassoc", "contract", "arcp", "afn"})  # keeps NaN/inf checks
def _newton_one(network, waters, carbon_index, w, x, molality, status):
    """The Newton iteration of :func:`newton_kernel` for water ``w``.

    With Davies coefficients the ionic strength I is one more unknown (the last row,
    I - sum z^2 m / 2 = 0), so the coefficients move with the Newton step and the iteration
    stays quadratic; with held (Pitzer) coefficients the system is the masters alone.
    """
    k_count = x.shape[1]
    s_count, m_count = network.members.shape
    ln10 = np.log(10.0)
    davies = waters.davies_a[w] > 0.0
    size = k_count + 1 if davies else k_count
    jac = np.empty((size, size))
    res = np.empty(size)
    error = np.inf
    carbon_alk = waters.carbon_is_alkalinity[w]
    ionic = 0.0
    if davies:
        for s in range(s_count):
            ionic += 0.5 * network.charges[s] ** 2 * molality[w, s]
        ionic = max(ionic, 1e-12)
    it = 0
    while it < 200:
        it += 1
        slope = 0.0
        if davies:
            root = np.sqrt(ionic)
            davies_term = root / (1.0 + root) - 0.3 * ionic
            slope = 0.5 / (root * (1.0 + root) ** 2) - 0.3
            for s in range(s_count):
                z = network.charges[s]
                if z == 0.0:
                    waters.ln_gamma[w, s] = ln10 * 0.1 * ionic
                else:
                    waters.ln_gamma[w, s] = -ln10 * waters.davies_a[w] * z * z * davies_term
        res[:] = 0.0
        jac[:, :] = 0.0
        alk = 0.0
        ionic_sum = 0.0
        ionic_slope = 0.0
        total = 0.0
        ln_aw = waters.ln_water_activity[w]
        for s in range(s_count):
            if network.inert[s]:
                m = waters.inert_molality[w, s]
                molality[w, s] = m
                ionic_sum += 0.5 * network.charges[s] ** 2 * m
                total += m
                continue
            ln_m = waters.ln_base[w, s] + network.water[s] * ln_aw - waters.ln_gamma[w, s]
            skip = False
            for q in range(m_count):
                k = network.members[s, q]
                if k < 0:
                    break
                if not waters.present[w, k]:
                    skip = True
                    break
                ln_m += network.coefficients[s, q] * (x[w, k] + waters.ln_gamma[w, k])
            if skip:
                molality[w, s] = 0.0
                continue
            m = np.exp(min(ln_m, 50.0))
            molality[w, s] = m
            total += m
            half_z2 = 0.5 * network.charges[s] ** 2
            ionic_sum += half_z2 * m
            # h = d ln m_s / dI through the activity coefficients
            h = 0.0
            if davies:
                h = -_davies_slope(network.charges[s], waters.davies_a[w], slope, ln10)
                for q in range(m_count):
                    k = network.members[s, q]
                    if k < 0:
                        break
                    h += network.coefficients[s, q] * _davies_slope(
                        network.charges[k], waters.davies_a[w], slope, ln10
                    )
                ionic_slope += half_z2 * m * h
            a_s = network.alkalinity[s]
            alk += a_s * m
            for q in range(m_count):
                k = network.members[s, q]
                if k < 0:
                    break
                c = network.coefficients[s, q]
                if davies:
                    jac[k_count, k] -= half_z2 * c * m
                if k != carbon_index or not carbon_alk:
                    res[k] += c * m
                    if davies:
                        jac[k, k_count] += c * m * h
                    for r in range(m_count):
                        col = network.members[s, r]
                        if col < 0:
                            break
                        jac[k, col] += c * network.coefficients[s, r] * m
            if carbon_alk and a_s != 0.0:
                if davies:
                    jac[carbon_index, k_count] += a_s * m * h
                for r in range(m_count):
                    col = network.members[s, r]
                    if col < 0:
                        break
                    jac[carbon_index, col] += a_s * network.coefficients[s, r] * m
        if carbon_alk:
            res[carbon_index] = alk
        error = 0.0
        for k in range(k_count):
            if waters.present[w, k]:
                scale = abs(waters.target[w, k])
                res[k] = (waters.target[w, k] - res[k]) / scale
                for col in range(size):
                    jac[k, col] /= scale
                error = max(error, abs(res[k]))
            else:
                res[k] = 0.0
                for col in range(size):
                    jac[k, col] = 0.0
                jac[k, k] = 1.0
        if davies:
            # the row I - sum z^2 m / 2 = 0, relative to I (its Jacobian: -dI/dx, 1 - dI/dI)
            res[k_count] = (ionic_sum - ionic) / ionic
            for col in range(k_count):
                jac[k_count, col] /= ionic
            jac[k_count, k_count] = (1.0 - ionic_slope) / ionic
            error = max(error, abs(res[k_count]))
            waters.ln_water_activity[w] = np.log(max(0.5, 1.0 - 0.017 * total))
        if error < 1e-10:
            break
        step = _solve_linear(jac, res)
        for k in range(k_count):
            d = step[k]
            if not np.isfinite(d):
                d = 0.0
            x[w, k] += min(2.0, max(-2.0, d))
        if davies:
            d = step[k_count]
            if not np.isfinite(d):
                d = 0.0
            ionic = min(max(ionic + d, 0.1 * ionic), 10.0 * ionic)
    if it >= 200:
        error = np.inf
    status[w, STATUS_ITERATIONS] = it
    status[w, STATUS_ERROR] = error
