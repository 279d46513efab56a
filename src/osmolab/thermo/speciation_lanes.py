"""The speciation of many waters in lanes: blocks of waters with the same masters solved
together, each loop running over the waters of the block so that the compiler vectorises it.

Davies waters (:func:`davies_kernel`): the equations, the starting values, the sweeps and
Newton's method are those of the one-water kernel
(:func:`osmolab.thermo.speciation_kernel._davies_product`, whose docstring describes the product
form). Pitzer waters (:func:`pitzer_lanes_kernel`): the rounds of
:func:`osmolab.thermo.speciation_kernel._pitzer_one`, the sweeps and the Newton solves with held
coefficients in lanes (:func:`_held_steps`, exp form), the Pitzer coefficients updated water by
water between them. What differs from the one-water kernels:

- **Lanes.** Every per-water quantity is an array whose last axis is the block's waters
  (:data:`LANES`), and every loop over a block's waters is the innermost one, so that each
  operation of the iteration is a vector operation across waters (AVX-512: 8 waters per
  instruction). The species table is the block's (its waters have the same masters and
  carbon row: :func:`master_order` sorts a batch so that they follow each other).
- **One iteration count per block.** The block steps until every water's balances hold to
  the kernel's tolerance (1e-10 relative); a water that has converged takes the small extra
  steps of the others (its answer only gets closer). The counts are the block's largest.
- **No pivoting in the elimination.** The Newton matrix of a block is factored without row
  exchanges (:func:`_lanes_factor`): its rows are the mass balances divided by their totals,
  whose diagonal is at least the free fraction of the master and whose other entries are at
  most the stoichiometric coefficients, then the alkalinity and ionic-strength rows. A block
  that does not converge (a non-finite step, or 200 iterations) is solved again water by
  water by the one-water kernel, with its pivoting.
- **A vectorisable exp** (:func:`_exp`): Cody-Waite reduction and a degree-12 Taylor
  polynomial, within 3 ulp of the C library's exp over the range used here, which the compiler
  cannot vectorise (it calls the library once per value).

Results agree with the one-water kernel to the solver tolerance (tests:
``tests/test_speciation_lanes.py``); the speed is in ``benchmarks/bench_water.py``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit, prange, types
from numba.extending import intrinsic

from .pitzer_kernel import pitzer_parameters
from .speciation_kernel import (
    _M_CAP,
    _Q_AT,
    _W_AT,
    _Z2_HIGH,
    _Z2_LOW,
    CHORD_BELOW,
    CHUNK,
    POWER_COUNT,
    PRESWEEPS,
    STATUS_ERROR,
    STATUS_ITERATIONS,
    _davies_one,
    _pitzer_activity,
    _pitzer_one,
    _product_form,
    _scratch,
    _species_table,
    _start_one,
)

__all__ = ["LANES", "LaneScratch", "PitzerScratch", "Problem", "davies_kernel", "davies_serial",
           "master_order", "pitzer_lanes_kernel", "pitzer_lanes_serial"]

#: waters per block (a divisor of ``speciation_kernel.CHUNK``): blocks of 64 run 1.8x faster
#: per water than blocks of 8, whose loops are too short to vectorise well
LANES = 64


def master_order(present, carbon_is_alkalinity):
    """(N,) int: the order of a batch's waters that puts those with the same masters (the
    columns of ``present``, (N, K) bool) and the same carbon row next to each other (a stable
    sort: waters of one set keep their order)."""
    present = np.asarray(present, dtype=bool)
    key = present.astype(np.int64) @ (np.int64(1) << np.arange(present.shape[1], dtype=np.int64))
    key = key * 2 + np.asarray(carbon_is_alkalinity, dtype=np.int64)
    return np.argsort(key, kind="stable").astype(np.int64)


@intrinsic
def _float_from_bits(typingctx, bits):
    """The float64 whose IEEE 754 bits are the int64 ``bits``."""
    if not isinstance(bits, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.float64))

    return types.float64(types.int64), codegen


_LOG2_E = 1.4426950408889634
#: ln 2 in two parts, the first with its last 32 bits zero: k ln2_high is exact for |k| < 2^20
_LN2_HIGH = 0.6931471803691238
_LN2_LOW = 1.9082149292705877e-10


@njit(cache=True, fastmath={"contract"})
def _exp(x):
    """exp(x) for x in -708..709 (clipped to it), within 3 ulp of the C library's, in
    arithmetic the compiler vectorises: x = k ln 2 + r with |r| <= ln(2)/2 (Cody & Waite,
    1980), e^r by its Taylor polynomial of degree 12 (remainder < 2e-16 relative), 2^k from the
    bits of the exponent."""
    x = min(max(x, -708.0), 709.0)
    k = np.floor(x * _LOG2_E + 0.5)
    r = x - k * _LN2_HIGH - k * _LN2_LOW
    p = 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    return p * _float_from_bits((np.int64(k) + 1023) << 52)


@njit(cache=True)
def exp_array(x, out):
    """:func:`_exp` of each value of ``x`` into ``out`` (for the tests)."""
    for i in range(x.shape[0]):
        out[i] = _exp(x[i])


class Problem(NamedTuple):
    """What every block of a batch shares: the kernel's inputs and outputs."""

    start: object  # speciation_kernel.Start
    inputs: object  # speciation_kernel.StartInputs
    network: object  # speciation_kernel.Network
    waters: object  # speciation_kernel.Waters
    carbon_index: int
    x: np.ndarray  # (N, K) ln of the free molalities of the masters (out)
    molality: np.ndarray  # (N, S+) (out)
    status: np.ndarray  # (N, 2) iterations and largest balance error (out)


class LaneScratch(NamedTuple):
    """Work arrays of a block (:func:`_davies_lanes`), the lanes on the last axis; rows of the
    masters in the Newton matrix's order (:func:`speciation_kernel._positions`)."""

    base: np.ndarray  # (S, L) exp(ln K + nu_H ln a_H)
    ln_base: np.ndarray  # (S, L) ln K + nu_H ln a_H
    molality: np.ndarray  # (S, L)
    x: np.ndarray  # (K + 2, L) ln m of the masters
    target: np.ndarray  # (K, L) the balances' targets (by master)
    masters: np.ndarray  # (K + 2, L) exp(x), 1 in the spare row
    mass: np.ndarray  # (K + 2, L) per master the sum of its species' molalities
    jac: np.ndarray  # (K + 2, K + 2, L) Newton matrices
    res: np.ndarray  # (K + 2, L) right-hand sides, then steps
    powers: np.ndarray  # (POWER_COUNT, L) Davies power tables
    ionic: np.ndarray  # (L,) ionic strength (the unknown)
    ln_aw: np.ndarray  # (L,) ln a_w
    inert_sums: np.ndarray  # (3, L) the unpaired ions' ionic strength, alkalinity, molality
    gamma_p: np.ndarray  # (L,) Davies ln gamma / z^2
    gamma_q: np.ndarray  # (L,) Davies ln gamma of neutral species
    ionic_sum: np.ndarray  # (L,) sum z^2 m / 2 of the last molalities
    alkalinity: np.ndarray  # (L,) their alkalinity
    error: np.ndarray  # (L,) largest relative balance error


@njit(cache=True)
def _lane_scratch(network, k_count, lanes):
    """:class:`LaneScratch` of ``lanes`` lanes (:data:`LANES`, or 0 for a batch too small for
    a block), allocated once per chunk."""
    s_count = network.members.shape[0]
    size = k_count + 1
    return LaneScratch(
        np.empty((s_count, lanes)), np.empty((s_count, lanes)), np.empty((s_count, lanes)),
        np.empty((size + 1, lanes)), np.empty((k_count, lanes)), np.ones((size + 1, lanes)),
        np.zeros((size + 1, lanes)), np.empty((size + 1, size + 1, lanes)),
        np.empty((size + 1, lanes)), np.empty((POWER_COUNT, lanes)), np.empty(lanes),
        np.empty(lanes), np.empty((3, lanes)), np.empty(lanes), np.empty(lanes),
        np.empty(lanes), np.empty(lanes), np.empty(lanes))


@njit(cache=True, error_model="numpy", fastmath={"contract"})
def _lanes_start(problem, lanes, scratch, block):
    """The starting values of :func:`speciation_kernel._start_one` for the waters ``lanes``
    (pH given) into ``block`` (:class:`LaneScratch`): ln K + nu_H ln a_H and its exp per
    species, x of each master from its acid-base side reactions alone, the targets, the water
    activity and the ionic strength of the totals, the unpaired ions' molalities and sums."""
    start, inputs, network, waters = problem.start, problem.inputs, problem.network, problem.waters
    inert, counts, position = scratch[2], scratch[4], scratch[6]
    base, ln_base, molality, xl, target = (block.base, block.ln_base, block.molality, block.x,
                                           block.target)
    ln_aw, ionic, inert_sums = block.ln_aw, block.ionic, block.inert_sums
    n_lanes = lanes.shape[0]
    ln10 = np.log(10.0)
    s_count = network.members.shape[0]
    k_count = target.shape[0]
    c = start.carbon_index
    t = np.empty(n_lanes)
    ln_h = np.empty(n_lanes)
    basis = np.empty((6, n_lanes))
    for lane in range(n_lanes):
        w = lanes[lane]
        t[lane] = inputs.temperature[w]
        ln_h[lane] = -inputs.ph[w] * ln10
    for lane in range(n_lanes):
        basis[0, lane] = 1.0
        basis[1, lane] = t[lane]
        basis[2, lane] = 1.0 / t[lane]
        basis[3, lane] = np.log10(t[lane])
        basis[4, lane] = 1.0 / (t[lane] * t[lane])
        basis[5, lane] = t[lane] * t[lane]
    denominator = np.zeros((k_count, n_lanes))
    alkalinity_sum = np.zeros(n_lanes)
    cap = np.exp(300.0)
    for s in range(s_count):
        k = start.own_master[s]
        proton = start.proton[s]
        own_alk = start.own_alkalinity[s]
        for lane in range(n_lanes):
            log_k = (basis[0, lane] * start.log_k[0, s] + basis[1, lane] * start.log_k[1, s]
                     + basis[2, lane] * start.log_k[2, s] + basis[3, lane] * start.log_k[3, s]
                     + basis[4, lane] * start.log_k[4, s] + basis[5, lane] * start.log_k[5, s])
            with_h = log_k * ln10 + proton * ln_h[lane]
            ln_base[s, lane] = with_h
            base[s, lane] = _exp(with_h)
        if k >= 0:
            for lane in range(n_lanes):
                weight = base[s, lane] if ln_base[s, lane] <= 300.0 else cap
                denominator[k, lane] += weight
                alkalinity_sum[lane] += own_alk * weight
    for lane in range(n_lanes):
        if inputs.carbon_is_alkalinity[lanes[lane]]:
            denominator[c, lane] = alkalinity_sum[lane]
    for lane in range(n_lanes):
        total = 0.0
        charge_sum = 0.0
        w = lanes[lane]
        for k in range(k_count):
            present = inputs.present[w, k]
            value = inputs.target[w, k] if present else 1e-30
            xl[position[k], lane] = np.log(max(value / denominator[k, lane], 1e-300))
            target[k, lane] = inputs.target[w, k]
            if present:
                total += inputs.totals[w, k]
                charge_sum += 0.5 * network.charges[k] ** 2 * inputs.totals[w, k]
        inert_ionic = 0.0
        inert_alk = 0.0
        inert_total = 0.0
        for index in range(counts[1]):
            s = inert[index]
            m = waters.inert_molality[w, network.inert_index[s]]
            molality[s, lane] = m
            inert_ionic += 0.5 * network.charges[s] ** 2 * m
            inert_alk += network.alkalinity[s] * m
            inert_total += m
        total += inert_total
        ln_aw[lane] = np.log(min(1.0, max(0.5, 1.0 - 0.017 * total)))
        ionic[lane] = charge_sum + inert_ionic
        inert_sums[0, lane] = inert_ionic
        inert_sums[1, lane] = inert_alk
        inert_sums[2, lane] = inert_total


@njit(cache=True, error_model="numpy", fastmath={"reassoc", "contract", "arcp", "afn"})
def _lanes_factor(a, first, size):
    """Factor the leading ``size`` x ``size`` Newton matrices ``a`` (rows, columns, lanes) in
    place without row exchanges: the diagonal block of the first ``first`` masters
    (:func:`speciation_kernel._block_factor`), then the LU factors of the Schur complement.
    A zero pivot gives a zero step in its unknown; solve with :func:`_lanes_solve`."""
    n_lanes = a.shape[2]
    inverse = np.empty(n_lanes)
    factor = np.empty(n_lanes)
    for d in range(first):
        for lane in range(n_lanes):
            inverse[lane] = 1.0 / a[d, d, lane] if a[d, d, lane] != 0.0 else 0.0
        for i in range(first, size):
            nonzero = False
            for lane in range(n_lanes):
                factor[lane] = a[i, d, lane] * inverse[lane]
                nonzero |= factor[lane] != 0.0
            if nonzero:  # (the same species couple the masters in every lane)
                for j in range(first, size):
                    for lane in range(n_lanes):
                        a[i, j, lane] -= factor[lane] * a[d, j, lane]
    for c in range(first, size):
        for lane in range(n_lanes):
            inverse[lane] = 1.0 / a[c, c, lane] if a[c, c, lane] != 0.0 else 0.0
        for r in range(c + 1, size):
            nonzero = False
            for lane in range(n_lanes):
                factor[lane] = a[r, c, lane] * inverse[lane]
                a[r, c, lane] = factor[lane]
                nonzero |= factor[lane] != 0.0
            if nonzero:
                for k in range(c + 1, size):
                    for lane in range(n_lanes):
                        a[r, k, lane] -= factor[lane] * a[c, k, lane]


@njit(cache=True, error_model="numpy", fastmath={"reassoc", "contract", "arcp", "afn"})
def _lanes_solve(a, first, size, b):
    """Solve a x = b (rows, lanes) in place with the factors of :func:`_lanes_factor`."""
    n_lanes = a.shape[2]
    for d in range(first):  # the Schur complement's right-hand side
        for lane in range(n_lanes):
            b[d, lane] = b[d, lane] / a[d, d, lane] if a[d, d, lane] != 0.0 else 0.0
        for i in range(first, size):
            for lane in range(n_lanes):
                b[i, lane] -= a[i, d, lane] * b[d, lane]
    for c in range(first, size):
        for r in range(c + 1, size):
            for lane in range(n_lanes):
                b[r, lane] -= a[r, c, lane] * b[c, lane]
    for c in range(size - 1, first - 1, -1):
        for k in range(c + 1, size):
            for lane in range(n_lanes):
                b[c, lane] -= a[c, k, lane] * b[k, lane]
        for lane in range(n_lanes):
            b[c, lane] = b[c, lane] / a[c, c, lane] if a[c, c, lane] != 0.0 else 0.0
    for d in range(first):  # the diagonal unknowns from the others (b[d]: already / a[d, d])
        for k in range(first, size):
            for lane in range(n_lanes):
                if a[d, d, lane] != 0.0:
                    b[d, lane] -= a[d, k, lane] * b[k, lane] / a[d, d, lane]


@njit(cache=True, error_model="numpy")
def _lanes_sweep(present, position, target, res, xl):
    """The sweep update x_k += ln(T_k / sum_k) of each master of the block (``present``: its
    masters), each factor limited to e^2; ``res``: the sums, by position."""
    for k in range(target.shape[0]):
        if not present[k]:
            continue
        row = position[k]
        for lane in range(target.shape[1]):
            if res[row, lane] > 0.0:
                xl[row, lane] += min(2.0, max(-2.0, np.log(target[k, lane] / res[row, lane])))


@njit(cache=True, error_model="numpy", fastmath={"reassoc", "contract", "arcp", "afn"})
def _lanes_balances(present, position, target, res, jac, error, work, size, build):
    """The mass-balance rows of the block's Newton systems, as
    :func:`speciation_kernel._master_rows`: the residual (target - sum) / target of each
    present master in ``res`` (the sums in) and its Jacobian row divided by the target (when
    ``build``); an absent master's row is x_k = const. The largest residual of each lane into
    ``error``; ``work`` (L,): scratch."""
    n_lanes = target.shape[1]
    for lane in range(n_lanes):
        error[lane] = 0.0
    for k in range(target.shape[0]):
        row = position[k]
        if present[k]:
            for lane in range(n_lanes):
                inverse = 1.0 / abs(target[k, lane])
                value = (target[k, lane] - res[row, lane]) * inverse
                res[row, lane] = value
                error[lane] = max(error[lane], abs(value))
                work[lane] = inverse
            if build:
                for col in range(size):
                    for lane in range(n_lanes):
                        jac[row, col, lane] *= work[lane]
        else:
            for lane in range(n_lanes):
                res[row, lane] = 0.0
            if build:
                for col in range(size):
                    for lane in range(n_lanes):
                        jac[row, col, lane] = 0.0
                for lane in range(n_lanes):
                    jac[row, row, lane] = 1.0


@njit(cache=True, error_model="numpy", fastmath={"reassoc", "contract", "arcp", "afn"})
def _davies_lanes(problem, lanes, scratch, block):
    """Sweeps and Newton's method of :func:`speciation_kernel._davies_product` for the waters
    ``lanes`` at once (same masters and carbon row, pH given), with their starting values, and
    their molalities, log10 activities, sums, x, water activity and status written
    (``problem``: :class:`Problem`; ``scratch``: the one-water kernel's work arrays, for the
    species table; ``block``: :class:`LaneScratch`). Returns False, writing nothing to the
    problem's outputs, when the block does not converge."""
    network, waters, carbon_index = problem.network, problem.waters, problem.carbon_index
    table, carbon_of, counts, position = scratch[0], scratch[1], scratch[4], scratch[6]
    base, mol, xl, target = block.base, block.molality, block.x, block.target
    masters, mass, jac, res, powers = block.masters, block.mass, block.jac, block.res, block.powers
    ionic, ln_aw, inert_sums, error = block.ionic, block.ln_aw, block.inert_sums, block.error
    gamma_p, gamma_q = block.gamma_p, block.gamma_q
    alk, ionic_sum = block.alkalinity, block.ionic_sum
    n_lanes = lanes.shape[0]
    k_count = problem.x.shape[1]
    ln10 = np.log(10.0)
    i_row = k_count  # the ionic strength: the last unknown
    size = k_count + 1
    spare = size
    first = counts[4]
    w0 = lanes[0]
    _species_table(network, waters, carbon_index, w0, scratch)
    n_active = counts[0]
    carbon_row = position[carbon_index]
    carbon_alk = waters.carbon_is_alkalinity[w0]
    _lanes_start(problem, lanes, scratch, block)
    for lane in range(n_lanes):
        masters[spare, lane] = 1.0
        masters[i_row, lane] = 1.0
    # per lane: the Davies terms, the sums over the species, the error and the step
    slope_u = np.empty(n_lanes)
    e_p = np.empty(n_lanes)
    inverse_p = np.empty(n_lanes)
    ionic_slope = np.empty(n_lanes)
    total = np.empty(n_lanes)
    carbon_mass = np.empty(n_lanes)
    sum_h = np.empty(n_lanes)
    mass_h = np.zeros(n_lanes)
    largest = np.empty(n_lanes)
    change = np.empty(n_lanes)
    m_h = np.empty(n_lanes)
    davies_a = np.empty(n_lanes)
    for lane in range(n_lanes):
        davies_a[lane] = waters.davies_a[lanes[lane]]
    mass[:, :] = 0.0
    slope_q = 0.1 * ln10
    zero = -_Z2_LOW
    worst = np.inf
    sweeps = 0
    it = 0
    expect = False  # as in _davies_product
    chord = False
    while it < 200:
        sweeping = sweeps < PRESWEEPS
        if sweeping:
            sweeps += 1
            for lane in range(n_lanes):
                ionic[lane] = max(ionic[lane], 1e-12)
        else:
            it += 1
        build = not sweeping and not expect and not chord
        for lane in range(n_lanes):
            root = np.sqrt(ionic[lane])
            gamma_p[lane] = -ln10 * davies_a[lane] * (root / (1.0 + root) - 0.3 * ionic[lane])
            gamma_q[lane] = slope_q * ionic[lane]
            slope_u[lane] = -ln10 * davies_a[lane] * (0.5 / (root * (1.0 + root) ** 2) - 0.3)
        # the Davies power tables (speciation_kernel._davies_powers), lane by lane
        for lane in range(n_lanes):
            e_p[lane] = _exp(gamma_p[lane])
            inverse_p[lane] = 1.0 / e_p[lane]
            e_q = _exp(gamma_q[lane])
            a_w = _exp(ln_aw[lane])
            powers[zero, lane] = 1.0
            powers[_Q_AT, lane] = 1.0 / e_q
            powers[_Q_AT + 1, lane] = 1.0
            powers[_Q_AT + 2, lane] = e_q
            powers[_W_AT, lane] = 1.0 / a_w
            powers[_W_AT + 1, lane] = 1.0
            powers[_W_AT + 2, lane] = a_w
        for n in range(1, _Z2_HIGH + 1):
            for lane in range(n_lanes):
                powers[zero + n, lane] = powers[zero + n - 1, lane] * e_p[lane]
        for n in range(1, zero + 1):
            for lane in range(n_lanes):
                powers[zero - n, lane] = powers[zero - n + 1, lane] * inverse_p[lane]
        for k in range(k_count):
            for lane in range(n_lanes):
                masters[k, lane] = _exp(xl[k, lane])
        res[:, :] = 0.0
        if build:
            jac[:, :, :] = 0.0
        for lane in range(n_lanes):
            alk[lane] = inert_sums[1, lane]
            ionic_sum[lane] = inert_sums[0, lane]
            ionic_slope[lane] = 0.0
            total[lane] = inert_sums[2, lane]
            carbon_mass[lane] = 0.0
            sum_h[lane] = 0.0
        for index in range(n_active):
            s = table[index, 0]
            col_a = table[index, 1]
            col_b = table[index, 2]
            row_a = table[index, 3]
            row_b = table[index, 4]
            p_0 = network.power_index[s, 0]
            p_1 = network.power_index[s, 1]
            p_2 = network.power_index[s, 2]
            half_z2 = 0.5 * network.charges[s] ** 2
            alk_s = network.alkalinity[s]
            carbon_s = carbon_of[index]
            for lane in range(n_lanes):
                m = (base[s, lane] * powers[p_0, lane] * powers[p_1, lane] * powers[p_2, lane]
                     * masters[col_a, lane] * masters[col_b, lane])
                m = m if m < _M_CAP else _M_CAP
                mol[s, lane] = m
                total[lane] += m
                ionic_sum[lane] += half_z2 * m
                alk[lane] += alk_s * m
                carbon_mass[lane] += carbon_s * m
            for lane in range(n_lanes):
                res[row_a, lane] += mol[s, lane]
            for lane in range(n_lanes):
                res[row_b, lane] += mol[s, lane]
            if not build:
                continue
            # one loop per Jacobian entry: loops that store into one array vectorise
            h_z2 = network.gamma_z2[s]
            h_neutral = slope_q * network.gamma_neutral[s]
            row_c = table[index, 5]
            for lane in range(n_lanes):
                value = mol[s, lane] * (slope_u[lane] * h_z2 + h_neutral)
                m_h[lane] = value
                ionic_slope[lane] += half_z2 * value
                sum_h[lane] += value
            for lane in range(n_lanes):
                jac[row_a, col_a, lane] += mol[s, lane]
            for lane in range(n_lanes):
                jac[row_a, col_b, lane] += mol[s, lane]
            for lane in range(n_lanes):
                jac[row_b, col_a, lane] += mol[s, lane]
            for lane in range(n_lanes):
                jac[row_b, col_b, lane] += mol[s, lane]
            for lane in range(n_lanes):
                jac[row_a, i_row, lane] += m_h[lane]
            for lane in range(n_lanes):
                jac[row_b, i_row, lane] += m_h[lane]
            for lane in range(n_lanes):
                jac[i_row, col_a, lane] -= half_z2 * mol[s, lane]
            for lane in range(n_lanes):
                jac[i_row, col_b, lane] -= half_z2 * mol[s, lane]
            for lane in range(n_lanes):
                jac[row_c, col_a, lane] += alk_s * mol[s, lane]
            for lane in range(n_lanes):
                jac[row_c, col_b, lane] += alk_s * mol[s, lane]
            for lane in range(n_lanes):
                jac[row_c, i_row, lane] += alk_s * m_h[lane]
        for k in range(k_count):
            for lane in range(n_lanes):
                mass[k, lane] = res[k, lane]
        for lane in range(n_lanes):
            mass[carbon_row, lane] = carbon_mass[lane]
        if build:
            for lane in range(n_lanes):
                mass_h[lane] = sum_h[lane]
        if carbon_alk:
            for lane in range(n_lanes):
                res[carbon_row, lane] = alk[lane]
        if sweeping:  # x_k += ln(T_k / sum_k), each factor limited to e^2
            _lanes_sweep(waters.present[w0], position, target, res, xl)
            for lane in range(n_lanes):
                ln_aw[lane] = np.log(max(0.5, 1.0 - 0.017 * total[lane]))
                ionic[lane] = ionic_sum[lane]
            continue
        # the balances relative to their targets (speciation_kernel._master_rows, _ionic_row)
        _lanes_balances(waters.present[w0], position, target, res, jac, error, m_h, size, build)
        for lane in range(n_lanes):
            value = (ionic_sum[lane] - ionic[lane]) / ionic[lane]
            res[i_row, lane] = value
            error[lane] = max(error[lane], abs(value))
            ln_aw[lane] = np.log(max(0.5, 1.0 - 0.017 * total[lane]))
        if build:
            for col in range(i_row):
                for lane in range(n_lanes):
                    jac[i_row, col, lane] /= ionic[lane]
            for lane in range(n_lanes):
                jac[i_row, i_row, lane] = (1.0 - ionic_slope[lane]) / ionic[lane]
        worst = 0.0
        for lane in range(n_lanes):
            worst = max(worst, error[lane])
        if not worst >= 1e-10:  # converged (or NaN: given up below)
            break
        if expect:
            expect = False
            continue
        if build:
            _lanes_factor(jac, first, size)
        _lanes_solve(jac, first, size, res)
        for lane in range(n_lanes):
            largest[lane] = 0.0
            change[lane] = 0.0  # of the total molality, to first order
        for k in range(k_count):
            row = position[k]
            for lane in range(n_lanes):
                d = res[row, lane]
                d = d if np.isfinite(d) else 0.0
                largest[lane] = max(largest[lane], abs(d))
                d = min(2.0, max(-2.0, d))
                xl[row, lane] += d
                change[lane] += mass[row, lane] * d
        step = 0.0
        for lane in range(n_lanes):
            d = res[i_row, lane]
            d = d if np.isfinite(d) else 0.0
            largest[lane] = max(largest[lane], abs(d) / ionic[lane])
            d = min(max(ionic[lane] + d, 0.1 * ionic[lane]), 10.0 * ionic[lane]) - ionic[lane]
            ionic[lane] += d
            change[lane] += mass_h[lane] * d
            if largest[lane] < 0.1:  # the water activity of the stepped molalities
                ln_aw[lane] = np.log(max(0.5, 1.0 - 0.017 * (total[lane] + change[lane])))
            step = max(step, largest[lane])
        expect = step < 1e-6
        chord = build and not expect and step < CHORD_BELOW
    if not worst < 1e-10 or it >= 200:
        return False
    _lanes_results(problem, lanes, it, scratch, block)
    return True


@njit(cache=True, error_model="numpy")
def _lanes_results(problem, lanes, it, scratch, block):
    """Write a converged block's results (``it`` Newton iterations): status, x, the water
    activity, the molalities, the sums and the log10 activities (when the waters' arrays for
    them are not empty), as :func:`speciation_kernel._davies_product`."""
    network, waters, x = problem.network, problem.waters, problem.x
    molality, status = problem.molality, problem.status
    table, carbon_of, inert, absent, counts, position = (scratch[0], scratch[1], scratch[2],
                                                         scratch[3], scratch[4], scratch[6])
    ln_base, mol, xl, masters = block.ln_base, block.molality, block.x, block.masters
    error, ln_aw, ionic_sum, alk = block.error, block.ln_aw, block.ionic_sum, block.alkalinity
    gamma_p, gamma_q = block.gamma_p, block.gamma_q
    logs = waters.log_activity.shape[0] > 0
    n_lanes = lanes.shape[0]
    k_count = x.shape[1]
    s_count = network.members.shape[0]
    ln10 = np.log(10.0)
    spare = k_count + 1
    n_active = counts[0]
    n_inert = counts[1]
    for lane in range(n_lanes):
        w = lanes[lane]
        status[w, STATUS_ITERATIONS] = it
        status[w, STATUS_ERROR] = error[lane]
        waters.ln_water_activity[w] = ln_aw[lane]
        for k in range(k_count):
            x[w, k] = xl[position[k], lane]
        for s in range(s_count, molality.shape[1]):  # columns of other models
            molality[w, s] = 0.0
            if logs:
                waters.log_activity[w, s] = -np.inf
        for index in range(counts[2]):
            s = absent[index]
            molality[w, s] = 0.0
            if logs:
                waters.log_activity[w, s] = -np.inf
        for index in range(n_active):
            s = table[index, 0]
            molality[w, s] = mol[s, lane]
        for index in range(n_inert):
            s = inert[index]
            molality[w, s] = mol[s, lane]
        if waters.sums.shape[0] > 0:
            carbon = 0.0
            for index in range(n_active):
                carbon += carbon_of[index] * mol[table[index, 0], lane]
            waters.sums[w, 0] = ionic_sum[lane]
            waters.sums[w, 1] = alk[lane]
            waters.sums[w, 2] = carbon
    if not logs:
        return
    # log10 activities from the logarithms the molalities were formed from (_davies_product)
    for lane in range(n_lanes):
        masters[spare, lane] = 0.0  # now ln of the masters
    for k in range(k_count):
        for lane in range(n_lanes):
            masters[k, lane] = xl[k, lane]
    for index in range(n_active):
        s = table[index, 0]
        z = network.charges[s]
        col_a = table[index, 1]
        col_b = table[index, 2]
        for lane in range(n_lanes):
            m = mol[s, lane]
            ln_gamma = gamma_q[lane] if z == 0.0 else gamma_p[lane] * z * z
            if m < _M_CAP:
                ln_a = (ln_base[s, lane] + gamma_p[lane] * network.gamma_z2[s]
                        + gamma_q[lane] * network.gamma_neutral[s]
                        + network.water[s] * ln_aw[lane] + ln_gamma
                        + masters[col_a, lane] + masters[col_b, lane])
            else:
                ln_a = np.log(m) + ln_gamma
            waters.log_activity[lanes[lane], s] = ln_a / ln10 if m > 0.0 else -np.inf
    for index in range(n_inert):
        s = inert[index]
        z = network.charges[s]
        for lane in range(n_lanes):
            m = mol[s, lane]
            ln_gamma = gamma_q[lane] if z == 0.0 else gamma_p[lane] * z * z
            waters.log_activity[lanes[lane], s] = ((np.log(m) + ln_gamma) / ln10 if m > 0.0
                                                  else -np.inf)


@njit(cache=True)
def _same_masters(waters, w, u):
    """True when waters ``w`` and ``u`` have the same masters and carbon row."""
    if waters.carbon_is_alkalinity[w] != waters.carbon_is_alkalinity[u]:
        return False
    for k in range(waters.present.shape[1]):
        if waters.present[w, k] != waters.present[u, k]:
            return False
    return True


@njit(cache=True)
def _davies_chunk(problem, order, begin, end, product, scratch, block):
    """The waters ``order[begin:end]``: runs of :data:`LANES` waters with the same masters as
    blocks (:func:`_davies_lanes`), the others (and the waters of a block that did not
    converge) one by one (:func:`speciation_kernel._davies_one`)."""
    start, inputs, network, waters = problem.start, problem.inputs, problem.network, problem.waters
    x, molality, status = problem.x, problem.molality, problem.status
    i = begin
    while i < end:
        w = order[i]
        j = i + 1
        if product and not waters.ph_unknown[w]:
            while j < end and j - i < LANES and _same_masters(waters, w, order[j]):
                j += 1
            if j - i == LANES and _davies_lanes(problem, order[i:j], scratch, block):
                i = j
                continue
        for q in range(i, j):
            _davies_one(start, inputs, network, waters, order[q], x, molality, status, product,
                        scratch)
        i = j


@njit(cache=True, parallel=True)
def davies_kernel(start, inputs, network, waters, carbon_index, order, x, molality, status):
    """The Davies speciation of every water: starting values, sweeps and Newton's method, in
    blocks of :data:`LANES` waters of the same masters where the network has the product form
    and the pH is given (``order``: :func:`master_order`), else water by water; one chunk of
    ``speciation_kernel.CHUNK`` positions of ``order`` per prange task (run it with
    ``speciation_kernel.chunked(1)``), with work arrays per chunk."""
    product = _product_form(network, False)
    n = x.shape[0]
    for chunk in prange((n + CHUNK - 1) // CHUNK):
        # (made inside the parallel loop: the threads' closure takes arrays, not bundles)
        problem = Problem(start, inputs, network, waters, carbon_index, x, molality, status)
        scratch = _scratch(network, x.shape[1], carbon_index)
        block = _lane_scratch(network, x.shape[1], LANES)
        _davies_chunk(problem, order, chunk * CHUNK, min(n, (chunk + 1) * CHUNK), product,
                      scratch, block)


@njit(cache=True)
def davies_serial(start, inputs, network, waters, carbon_index, order, x, molality, status):
    """:func:`davies_kernel` without threads (the same chunks, hence the same blocks)."""
    product = _product_form(network, False)
    problem = Problem(start, inputs, network, waters, carbon_index, x, molality, status)
    n = x.shape[0]
    scratch = _scratch(network, x.shape[1], carbon_index)
    block = _lane_scratch(network, x.shape[1], LANES if n >= LANES else 0)
    for chunk in range((n + CHUNK - 1) // CHUNK):
        _davies_chunk(problem, order, chunk * CHUNK, min(n, (chunk + 1) * CHUNK), product,
                      scratch, block)


# --------------------------------------------------------------------------------------
# Pitzer waters in lanes
# --------------------------------------------------------------------------------------
class PitzerScratch(NamedTuple):
    """Work arrays of a Pitzer block (:func:`_pitzer_lanes`), besides :class:`LaneScratch`."""

    ln_gamma: np.ndarray  # (S, L) the held ln gamma
    held: np.ndarray  # (S, L) ln K + nu_H ln a_H - ln gamma_s + sum nu_k ln gamma_k + nu_w ln a_w
    parameters: np.ndarray  # (L, P) the Pitzer parameters at each lane's temperature
    gamma: np.ndarray  # (S,) one water's new ln gamma
    pitzer_m: np.ndarray  # (P,) work arrays of speciation_kernel._pitzer_activity
    pitzer_g: np.ndarray  # (P,)
    done: np.ndarray  # (L,) bool: the lane's coefficients have converged


@njit(cache=True)
def _pitzer_scratch(network, activity, lanes):
    """:class:`PitzerScratch` of ``lanes`` lanes (as :func:`_lane_scratch`)."""
    s_count = network.members.shape[0]
    p_count = activity.pitzer_columns.shape[0]
    return PitzerScratch(
        np.empty((s_count, lanes)), np.empty((s_count, lanes)),
        np.empty((lanes, activity.parameter_count)), np.empty(s_count), np.empty(p_count),
        np.empty(p_count), np.zeros(lanes, dtype=np.bool_))


@njit(cache=True, error_model="numpy", fastmath={"reassoc", "contract", "arcp", "afn"})
def _held_steps(problem, lanes, scratch, block, pz, sweeps):
    """``sweeps`` fixed-point sweeps (``sweeps`` > 0), else Newton's method, of the masters of
    the waters ``lanes`` with held activity coefficients (``pz.held``), as
    :func:`speciation_kernel._presweep` and :func:`speciation_kernel._newton_one` do for one
    water: molalities exp(held + sum nu x) (the exp form: the coefficients of the polyborates
    are 3 and 4). Returns the Newton iterations, or -1 when they do not converge."""
    network, waters = problem.network, problem.waters
    table, counts, position = scratch[0], scratch[4], scratch[6]
    mol, xl, target, jac, res = block.molality, block.x, block.target, block.jac, block.res
    inert_sums, error, alk = block.inert_sums, block.error, block.alkalinity
    held = pz.held
    n_lanes = lanes.shape[0]
    k_count = target.shape[0]
    size = k_count  # the masters alone: no ionic-strength row
    first = counts[4]
    n_active = counts[0]
    w0 = lanes[0]
    carbon_row = position[problem.carbon_index]
    carbon_alk = waters.carbon_is_alkalinity[w0]
    largest = np.empty(n_lanes)
    it = 0
    sweep = 0
    expect = False
    chord = False
    while it < 200:
        sweeping = sweep < sweeps
        if sweeping:
            sweep += 1
        else:
            it += 1
        build = not sweeping and not expect and not chord
        res[:, :] = 0.0
        if build:
            jac[:, :, :] = 0.0
        for lane in range(n_lanes):
            alk[lane] = inert_sums[1, lane]
        for index in range(n_active):
            s = table[index, 0]
            col_a = table[index, 1]
            col_b = table[index, 2]
            row_a = table[index, 3]
            row_b = table[index, 4]
            nu_a = network.coefficients[s, 0]
            nu_b = network.coefficients[s, 1] if col_b != k_count + 1 else 0.0
            alk_s = network.alkalinity[s]
            for lane in range(n_lanes):
                ln_m = held[s, lane] + nu_a * xl[col_a, lane] + nu_b * xl[col_b, lane]
                m = _exp(min(ln_m, 50.0))
                mol[s, lane] = m
                alk[lane] += alk_s * m
            for lane in range(n_lanes):
                res[row_a, lane] += nu_a * mol[s, lane]
            for lane in range(n_lanes):
                res[row_b, lane] += nu_b * mol[s, lane]
            if not build:
                continue
            row_c = table[index, 5]
            for lane in range(n_lanes):
                jac[row_a, col_a, lane] += nu_a * nu_a * mol[s, lane]
            for lane in range(n_lanes):
                jac[row_a, col_b, lane] += nu_a * nu_b * mol[s, lane]
            for lane in range(n_lanes):
                jac[row_b, col_a, lane] += nu_b * nu_a * mol[s, lane]
            for lane in range(n_lanes):
                jac[row_b, col_b, lane] += nu_b * nu_b * mol[s, lane]
            for lane in range(n_lanes):
                jac[row_c, col_a, lane] += alk_s * nu_a * mol[s, lane]
            for lane in range(n_lanes):
                jac[row_c, col_b, lane] += alk_s * nu_b * mol[s, lane]
        if carbon_alk:
            for lane in range(n_lanes):
                res[carbon_row, lane] = alk[lane]
        if sweeping:  # x_k += ln(T_k / sum_k), each factor limited to e^2
            _lanes_sweep(waters.present[w0], position, target, res, xl)
            if sweep == sweeps:
                return 0
            continue
        _lanes_balances(waters.present[w0], position, target, res, jac, error, largest, size,
                        build)
        worst = 0.0
        for lane in range(n_lanes):
            worst = max(worst, error[lane])
        if not worst >= 1e-10:
            return it if worst < 1e-10 else -1
        if expect:
            expect = False
            continue
        if build:
            _lanes_factor(jac, first, size)
        _lanes_solve(jac, first, size, res)
        step = 0.0
        for lane in range(n_lanes):
            largest[lane] = 0.0
        for k in range(k_count):
            row = position[k]
            for lane in range(n_lanes):
                d = res[row, lane]
                d = d if np.isfinite(d) else 0.0
                largest[lane] = max(largest[lane], abs(d))
                xl[row, lane] += min(2.0, max(-2.0, d))
        for lane in range(n_lanes):
            step = max(step, largest[lane])
        expect = step < 1e-6
        chord = build and not expect and step < CHORD_BELOW
    return -1


@njit(cache=True, error_model="numpy")
def _hold(problem, lanes, scratch, block, pz):
    """The held ln factor of each species (``pz.held``) from the lanes' ln gamma and ln a_w."""
    network = problem.network
    table, counts = scratch[0], scratch[4]
    n_lanes = lanes.shape[0]
    for index in range(counts[0]):
        s = table[index, 0]
        for lane in range(n_lanes):
            value = (block.ln_base[s, lane] - pz.ln_gamma[s, lane]
                     + network.water[s] * block.ln_aw[lane])
            for q in range(network.members.shape[1]):
                k = network.members[s, q]
                if k >= 0:
                    value += network.coefficients[s, q] * pz.ln_gamma[k, lane]
            pz.held[s, lane] = value


@njit(cache=True, error_model="numpy")
def _lane_activity(problem, pitzer, activity, lanes, lane, scratch, block, pz, first):
    """ln gamma of lane ``lane`` from its molalities (the water's row of ``problem.molality``
    holds them on return) into ``pz.gamma``; returns ln a_w. ``first``: the starting
    molalities (the totals), as :func:`speciation_kernel._start_one` writes them."""
    network, inputs, molality = problem.network, problem.inputs, problem.molality
    table, inert, absent, counts = scratch[0], scratch[2], scratch[3], scratch[4]
    w = lanes[lane]
    if first:
        for s in range(molality.shape[1]):
            molality[w, s] = 0.0
        for k in range(block.target.shape[0]):
            if inputs.present[w, k]:
                molality[w, k] = inputs.totals[w, k]
    else:
        for index in range(counts[0]):
            s = table[index, 0]
            molality[w, s] = block.molality[s, lane]
        for index in range(counts[2]):
            molality[w, absent[index]] = 0.0
    for index in range(counts[1]):
        s = inert[index]
        molality[w, s] = block.molality[s, lane]
    return _pitzer_activity(network, pitzer, activity, w, molality, pz.gamma, pz.pitzer_m,
                            pz.pitzer_g, pz.parameters[lane])


@njit(cache=True, error_model="numpy")
def _pitzer_lanes(problem, pitzer, activity, lanes, scratch, block, pz):
    """The rounds of :func:`speciation_kernel._pitzer_one` for the waters ``lanes`` at once
    (same masters and carbon row, pH given): sweeps and Newton solves with held Pitzer
    coefficients vectorised across the lanes (:func:`_held_steps`), the coefficients
    updated water by water between them (a water whose coefficients have converged keeps
    them, and its molalities, while the others go on). Writes the molalities, log10 activities,
    x, water activity and status; returns False, writing nothing to the problem's outputs but
    the rows of ``molality``, when the block does not converge."""
    network, waters = problem.network, problem.waters
    table, inert, absent, counts, position = (scratch[0], scratch[2], scratch[3], scratch[4],
                                              scratch[6])
    n_lanes = lanes.shape[0]
    s_count = network.members.shape[0]
    k_count = block.target.shape[0]
    ln10 = np.log(10.0)
    _species_table(network, waters, problem.carbon_index, lanes[0], scratch)
    _lanes_start(problem, lanes, scratch, block)
    for lane in range(n_lanes):
        block.x[k_count, lane] = 0.0
        block.x[k_count + 1, lane] = 0.0  # the spare column: species of one master
        pitzer_parameters(pitzer, activity.basis[lanes[lane]], pz.parameters[lane])
        pz.done[lane] = False
    # the coefficients at the totals, two sweeps, the coefficients of the swept molalities
    # (ion pairs formed), two more sweeps: as _pitzer_one
    for step in range(2):
        for lane in range(n_lanes):
            block.ln_aw[lane] = _lane_activity(problem, pitzer, activity, lanes, lane, scratch,
                                               block, pz, step == 0)
            for s in range(s_count):
                pz.ln_gamma[s, lane] = pz.gamma[s]
        _hold(problem, lanes, scratch, block, pz)
        _held_steps(problem, lanes, scratch, block, pz, PRESWEEPS if step == 0 else 2)
    iterations = 0
    converged = False
    for _round in range(activity.max_rounds):
        used = _held_steps(problem, lanes, scratch, block, pz, 0)
        if used < 0:
            return False
        iterations += used
        converged = True
        for lane in range(n_lanes):
            if pz.done[lane]:
                continue
            ln_aw = _lane_activity(problem, pitzer, activity, lanes, lane, scratch, block, pz,
                                   False)
            change = 0.0
            for index in range(counts[0]):  # absent species: gamma unused
                s = table[index, 0]
                if block.molality[s, lane] > 0.0:
                    change = max(change, abs(pz.gamma[s] - pz.ln_gamma[s, lane]))
            for index in range(counts[1]):
                s = inert[index]
                if block.molality[s, lane] > 0.0:
                    change = max(change, abs(pz.gamma[s] - pz.ln_gamma[s, lane]))
            for s in range(s_count):
                pz.ln_gamma[s, lane] = pz.gamma[s]
            block.ln_aw[lane] = ln_aw
            pz.done[lane] = change / ln10 < activity.tolerance
            converged = converged and pz.done[lane]
        if converged:
            break
        _hold(problem, lanes, scratch, block, pz)
    if not converged:
        return False
    # results: the molalities of the last solve (the rows of molality hold those of the
    # activity updates, which for a converged lane are the same)
    x, molality, status = problem.x, problem.molality, problem.status
    for lane in range(n_lanes):
        w = lanes[lane]
        status[w, STATUS_ITERATIONS] = iterations
        status[w, STATUS_ERROR] = block.error[lane]
        waters.ln_water_activity[w] = block.ln_aw[lane]
        for k in range(k_count):
            x[w, k] = block.x[position[k], lane]
        for s in range(s_count, molality.shape[1]):
            molality[w, s] = 0.0
            waters.log_activity[w, s] = -np.inf
        for index in range(counts[2]):
            s = absent[index]
            molality[w, s] = 0.0
        for index in range(counts[0]):
            s = table[index, 0]
            molality[w, s] = block.molality[s, lane]
        for index in range(counts[1]):
            s = inert[index]
            molality[w, s] = block.molality[s, lane]
        for s in range(s_count):
            m = molality[w, s]
            waters.ln_gamma[w, s] = pz.ln_gamma[s, lane]
            waters.log_activity[w, s] = ((np.log(m) + pz.ln_gamma[s, lane]) / ln10 if m > 0.0
                                         else -np.inf)
    return True


@njit(cache=True)
def _pitzer_chunk(problem, pitzer, activity, order, begin, end, scratch, block, pz):
    """The waters ``order[begin:end]``: runs of :data:`LANES` waters with the same masters
    and given pH as blocks (:func:`_pitzer_lanes`), the others (and the waters of a block that
    did not converge) one by one (:func:`speciation_kernel._pitzer_one`)."""
    waters, x, molality = problem.waters, problem.x, problem.molality
    i = begin
    while i < end:
        w = order[i]
        j = i + 1
        if not waters.ph_unknown[w]:
            while j < end and j - i < LANES and _same_masters(waters, w, order[j]):
                j += 1
            if j - i == LANES and _pitzer_lanes(problem, pitzer, activity, order[i:j],
                                                scratch, block, pz):
                i = j
                continue
        for q in range(i, j):
            u = order[q]
            ln_base = scratch[-2]
            _start_one(problem.start, problem.inputs, u, ln_base, x, molality,
                       waters.ln_water_activity, scratch[-1][:0])
            _pitzer_one(problem.network, waters, pitzer, activity, problem.carbon_index, u, x,
                        molality, problem.status, ln_base)
        i = j


@njit(cache=True, parallel=True)
def pitzer_lanes_kernel(start, inputs, network, waters, pitzer, activity, order, x, molality,
                        status):
    """The Pitzer speciation of every water in blocks of :data:`LANES` waters of the same
    masters and given pH (``order``: :func:`master_order`), else water by water, one chunk of
    ``speciation_kernel.CHUNK`` positions of ``order`` per prange task (run it with
    ``speciation_kernel.chunked(1)``)."""
    n = x.shape[0]
    for chunk in prange((n + CHUNK - 1) // CHUNK):
        problem = Problem(start, inputs, network, waters, start.carbon_index, x, molality,
                          status)
        scratch = _scratch(network, x.shape[1], start.carbon_index)
        _pitzer_chunk(problem, pitzer, activity, order, chunk * CHUNK,
                      min(n, (chunk + 1) * CHUNK), scratch,
                      _lane_scratch(network, x.shape[1], LANES),
                      _pitzer_scratch(network, activity, LANES))


@njit(cache=True)
def pitzer_lanes_serial(start, inputs, network, waters, pitzer, activity, order, x, molality,
                        status):
    """:func:`pitzer_lanes_kernel` without threads (the same chunks, hence the same blocks)."""
    n = x.shape[0]
    problem = Problem(start, inputs, network, waters, start.carbon_index, x, molality, status)
    scratch = _scratch(network, x.shape[1], start.carbon_index)
    lanes = LANES if n >= LANES else 0
    block = _lane_scratch(network, x.shape[1], lanes)
    pz = _pitzer_scratch(network, activity, lanes)
    for chunk in range((n + CHUNK - 1) // CHUNK):
        _pitzer_chunk(problem, pitzer, activity, order, chunk * CHUNK,
                      min(n, (chunk + 1) * CHUNK), scratch, block, pz)
