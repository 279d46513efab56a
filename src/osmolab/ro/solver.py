r"""Feed-pressure solver of an RO pass and the Python entry to the compiled march.

:func:`run_pass` assembles the kernel arguments of one pass for a batch of cases and either
marches it at given feed pressures (:func:`osmolab.ro.element.march_batch`) or solves, per
case and in parallel, the feed pressure that gives a target recovery
(:func:`solve_batch`).

Solver: recovery is 0 at zero pressure and rises monotonically with the feed pressure, so
[0, p_max] brackets the root whenever the recovery at p_max reaches the target (otherwise
the case is returned at p_max with status 1). The residual
:math:`\ln[(1-r^*)/(1-r(P))]` is nearly linear in P. A cold start begins at the pressure of a
lumped model (total A x area, mean osmotic pressure along the pass) and takes a first Newton
step with its slope; a warm start begins at a previous solution with its slope; then secant
steps, replaced by bisection when they leave the bracket or stall.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from .element import (
    N_CASE_FIELDS,
    N_EL_FIELDS,
    _interp,
    _march_case,
    march_batch,
    march_serial,
)


@njit(cache=True)
def _residual(recovery, target):
    """ln[(1 - target)/(1 - recovery)]: monotonic in recovery, nearly linear in pressure."""
    if recovery > 0.999999:
        recovery = 0.999999
    return math.log((1.0 - target) / (1.0 - recovery))


@njit(cache=True)
def _solve_case(c, target, p_max, p_guess, tol, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z,
                area, length, width, height, porosity, d_h, fixed_dp, el_stage, n_vessels,
                booster, p_perm, n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, el_out,
                el_perm_n, case_out, conc_n, p_out, status, iters):
    r"""Feed pressure for a target recovery: safeguarded secant within a bracket.

    Recovery is 0 at zero pressure and increases monotonically with it, so [0, p_max]
    brackets the root when the recovery at p_max exceeds the target (else status 1 and the
    results at p_max). The residual is :math:`\ln[(1-r^*)/(1-r)]`, close to linear in the
    pressure, so secant steps converge in a few marches. A warm start begins at
    ``p_guess``; a cold start at the pressure of a lumped model (total A x area, mean
    osmotic pressure along the pass) with a first Newton step on that model's slope. Any
    step leaving the current bracket, or three steps that fail to halve it, are replaced by
    bisection; a step beyond p_max evaluates p_max, and a shortfall there is status 1.
    """
    args = (qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area, length, width, height,
            porosity, d_h, fixed_dp, el_stage, n_vessels, booster, p_perm, n_seg, corr,
            m_step, pi_t, rho_t, cw_t, mu_t, d_t)
    tgt = target[c]
    p_top = p_max[c]
    lo = 0.0
    hi = p_top
    hi_known = False
    st = 0
    k = 0
    # lumped model of the pass: r = (sum A S / Q_f)(P - mean osmotic pressure(r)); it gives
    # the cold-start pressure and, warm or cold, the slope for a first Newton step
    x_prev = 0.0
    f_prev = _residual(0.0, tgt)
    mt = 0.0
    wsum = 0.0
    for i in range(n0.shape[1]):
        mt += n0[c, i] / qw0[c]
        wsum += n0[c, i] * mm[i]
    q_feed = (qw0[c] + wsum) / _interp(rho_t, mt, temp_frac[c], m_step)
    a_area = 0.0
    for e in range(area.shape[1]):
        a_area += a_perm[c, e] * area[c, e] * n_vessels[c, el_stage[e]]
    pi_f = _interp(pi_t, mt, temp_frac[c], m_step)
    frac = tgt if tgt < 0.95 else 0.95
    g = a_area / q_feed
    # d ln(1/(1-r))/dP of the lumped model
    slope = g / (1.0 + g * 0.5 * pi_f / (1.0 - frac) ** 2) / (1.0 - frac)
    warm = p_guess[c, 0] > 0.0 and p_guess[c, 0] < p_top
    x = p_guess[c, 0]
    if warm and p_guess[c, 1] > 0.0:
        slope = p_guess[c, 1]  # the previous solution's own slope
    last_slope = 0.0
    if not warm:
        x = 0.5 * pi_f * (1.0 + 1.0 / (1.0 - frac)) + frac / g
        if not (x > 0.0 and x < p_top):
            x = 0.5 * p_top
    written = False
    if st == 0:
        stall = 0
        while k < 150:
            # write the results of marches likely to be the last one: warm starts, and any
            # step taken from a residual already below 1e-4 (secant steps then land on it)
            write = warm or abs(f_prev) < 1e-4 * max(1.0, tol * 1e8)
            fx = _residual(_march_case(c, x, *args, write, el_out, el_perm_n, case_out,
                                       conc_n), tgt)
            k += 1
            if abs(fx) < tol:
                written = write
                break
            width_before = hi - lo
            if fx < 0.0:
                lo = x
                if x >= p_top:
                    st = 1
                    break
            else:
                hi = x
                hi_known = True
            if hi - lo < 1e-3:
                break
            stall = stall + 1 if hi - lo > 0.5 * width_before else 0
            xn = -1.0
            if slope > 0.0:  # first step of a cold start: Newton with the lumped slope
                xn = x - fx / slope
                slope = 0.0
            elif fx != f_prev:
                last_slope = (fx - f_prev) / (x - x_prev)
                xn = x - fx / last_slope
            if hi_known:
                if not (xn > lo and xn < hi) or stall >= 3:
                    xn = 0.5 * (lo + hi)
                    stall = 0
            else:
                if not (xn > lo):
                    xn = lo + 2.0 * (x - x_prev if x > x_prev else x)
                if xn >= p_top:
                    xn = p_top
            x_prev = x
            f_prev = fx
            x = xn
    if not written:
        _march_case(c, x, *args, True, el_out, el_perm_n, case_out, conc_n)
    p_out[c, 0] = x
    p_out[c, 1] = last_slope if last_slope > 0.0 else 0.0
    status[c] = st
    iters[c] = k


@njit(cache=True, parallel=True)
def solve_batch(target, p_max, p_guess, tol, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area, length,
                width, height, porosity, d_h, fixed_dp, el_stage, n_vessels, booster, p_perm,
                n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, el_out, el_perm_n,
                case_out, conc_n, p_out, status, iters):
    """Solve every case's feed pressure for its target pass recovery (status 1: the target
    needs more than ``p_max``; the results are then those at ``p_max``)."""
    for c in prange(qw0.shape[0]):
        _solve_case(c, target, p_max, p_guess, tol, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area,
                    length, width, height, porosity, d_h, fixed_dp, el_stage, n_vessels,
                    booster, p_perm, n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t,
                    el_out, el_perm_n, case_out, conc_n, p_out, status, iters)


@njit(cache=True)
def solve_serial(target, p_max, p_guess, tol, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area,
                 length, width, height, porosity, d_h, fixed_dp, el_stage, n_vessels, booster,
                 p_perm, n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, el_out, el_perm_n,
                 case_out, conc_n, p_out, status, iters):
    """Serial twin of :func:`solve_batch` (no thread start-up cost for a single case)."""
    for c in range(qw0.shape[0]):
        _solve_case(c, target, p_max, p_guess, tol, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area,
                    length, width, height, porosity, d_h, fixed_dp, el_stage, n_vessels,
                    booster, p_perm, n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t,
                    el_out, el_perm_n, case_out, conc_n, p_out, status, iters)


# --------------------------------------------------------------------------------------
# Python entry: assemble the kernel arguments for one pass
# --------------------------------------------------------------------------------------
def _c2(x, n, m):
    return np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=float), (n, m)))


def run_pass(*, water_flow, solute_flow, temperature, table, water_permeability,
             salt_permeability, relative_permeability, molar_mass, charge, area, length,
             width, channel_height, spacer_porosity, pressure_drop, element_stage, vessels,
             booster_pressure, permeate_pressure, n_segments, correlation,
             feed_pressure=None, target_recovery=None, max_pressure=None,
             pressure_guess=None, tolerance=1e-8):
    """March (``feed_pressure`` given) or solve (``target_recovery`` given) one pass.

    Parameters
    ----------
    water_flow : ndarray (N,)
        Water mass flow into the pass [kg/s].
    solute_flow : ndarray (N, I)
        Solute molar flows into the pass [mol/s].
    temperature : ndarray (N,)
        [K].
    table : osmolab.ro.feedwater.PropertyTable
    water_permeability, salt_permeability : array (N, E)
        A [m/(s Pa)] and salt B [m/s] of each element position at the feed temperature.
    relative_permeability : array (N, E, I)
        B of each solute relative to the salt B [-].
    molar_mass, charge : array (I,)
    area, length, width, channel_height, spacer_porosity : array (N, E) or (E,)
        Element geometry: ``width`` is the width of the feed channel [m].
    pressure_drop : array (E,)
        Fixed pressure drop per element [Pa], or -1 to use the friction correlation.
    element_stage : int array (E,)
        Stage index of each position.
    vessels, booster_pressure, permeate_pressure : array (N, S) or (S,)
    n_segments : int
    correlation : {"Schock_Miquel", "Guillen_Hoek"}
    feed_pressure : ndarray (N,), optional
        [Pa gauge].
    target_recovery, max_pressure : ndarray (N,), optional
        Pass recovery (volumetric permeate / feed) to reach and the upper pressure bound.
    tolerance : float
        Convergence of the residual ln[(1-r*)/(1-r)] (about the absolute recovery error).
    pressure_guess : ndarray (N,) or (N, 2), optional
        Feed pressures near the solution (warm start; 0 = none) [Pa], optionally with the
        slope of the residual there (``residual_slope`` of a previous solve) [1/Pa].

    Returns
    -------
    dict
        ``element`` (N, E, fields of ELEMENT_FIELDS), ``element_solutes`` (N, E, I) permeate
        solute flows per vessel [mol/s], ``case`` (N, fields of CASE_FIELDS),
        ``concentrate_solutes`` (N, I) [mol/s], ``feed_pressure`` (N,), ``status`` (N,) and
        ``iterations`` (N,).
    """
    from ..transport.membrane import hydraulic_diameter_spacer

    qw0 = np.ascontiguousarray(water_flow, dtype=float)
    n0 = np.ascontiguousarray(solute_flow, dtype=float)
    n_case, n_sp = n0.shape
    el_stage = np.ascontiguousarray(element_stage, dtype=np.int64)
    n_el = el_stage.shape[0]
    n_st = int(el_stage.max()) + 1
    temp_frac = np.ascontiguousarray(
        np.clip((np.broadcast_to(temperature, (n_case,)) - table.t_start) / table.t_step, 0.0,
                table.osmotic_pressure.shape[0] - 1.0))
    geo = [_c2(x, n_case, n_el) for x in (area, length, width, channel_height,
                                          spacer_porosity)]
    d_h = np.ascontiguousarray(hydraulic_diameter_spacer(geo[3], geo[4]))
    a_perm = _c2(water_permeability, n_case, n_el)
    b_salt = _c2(salt_permeability, n_case, n_el)
    brel = np.ascontiguousarray(np.broadcast_to(np.asarray(relative_permeability, float),
                                                (n_case, n_el, n_sp)))
    mm = np.ascontiguousarray(molar_mass, dtype=float)
    z = np.ascontiguousarray(charge, dtype=float)
    fixed = _c2(pressure_drop, n_case, n_el)
    nv = _c2(vessels, n_case, n_st)
    boost = _c2(booster_pressure, n_case, n_st)
    pp = _c2(permeate_pressure, n_case, n_st)
    corr = {"Schock_Miquel": 0, "Guillen_Hoek": 1}[correlation]
    el_out = np.zeros((n_case, n_el, N_EL_FIELDS))
    el_perm_n = np.zeros((n_case, n_el, n_sp))
    case_out = np.zeros((n_case, N_CASE_FIELDS))
    conc_n = np.zeros((n_case, n_sp))
    tab = (table.m_step, table.osmotic_pressure, table.density, table.water_density,
           table.viscosity, table.diffusivity)
    common = (qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, *geo[:3], geo[3], geo[4], d_h,
              fixed, el_stage, nv, boost, pp, int(n_segments), corr, *tab)
    status = np.zeros(n_case, dtype=np.int64)
    iters = np.zeros(n_case, dtype=np.int64)
    serial = n_case < 8
    if target_recovery is None:
        p_feed = np.ascontiguousarray(np.broadcast_to(feed_pressure, (n_case,)), dtype=float)
        (march_serial if serial else march_batch)(p_feed, *common, el_out, el_perm_n, case_out,
                                                  conc_n)
    else:
        target = np.ascontiguousarray(np.broadcast_to(target_recovery, (n_case,)), dtype=float)
        p_max = np.ascontiguousarray(np.broadcast_to(max_pressure, (n_case,)), dtype=float)
        guess = np.zeros((n_case, 2))
        if pressure_guess is not None:
            given = np.asarray(pressure_guess, dtype=float)
            if given.ndim == 2:
                guess[:] = given
            else:
                guess[:, 0] = given
        solution = np.zeros((n_case, 2))
        (solve_serial if serial else solve_batch)(target, p_max, guess, float(tolerance),
                                                  *common, el_out, el_perm_n,
                                                  case_out, conc_n, solution, status, iters)
        p_feed = solution[:, 0].copy()
        slope = solution[:, 1].copy()
    out = {"element": el_out, "element_solutes": el_perm_n, "case": case_out,
           "concentrate_solutes": conc_n, "feed_pressure": p_feed, "status": status,
           "iterations": iters}
    if target_recovery is not None:
        out["residual_slope"] = slope
    return out
