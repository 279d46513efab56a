r"""Feed-pressure solver of an RO pass and the Python entry to the compiled march.

:func:`run_pass` assembles the kernel bundles of one pass for a batch of cases
(:mod:`osmolab.ro.march`: ``Feed``, ``Membrane``, ``Channel``, ``Layout``, ``PropertyTable``,
``Outputs``; here :class:`RecoveryTarget`, :class:`PxMixing` and :class:`Solution`) and either
marches it at given feed pressures (:func:`osmolab.ro.march.march_batch`) or solves, per
case and in parallel, the feed pressure that gives a target recovery
(:func:`solve_batch`).

Solver: recovery is 0 at zero pressure and rises monotonically with the feed pressure, so
[0, p_max] brackets the root whenever the recovery at p_max reaches the target (otherwise
the case is returned at p_max with status 1). The residual
:math:`\ln[(1-r^*)/(1-r(P))]` is nearly linear in P. A cold start begins at the pressure of a
lumped model of the pass (the water flux integrated against an osmotic pressure that rises
as 1/(1-r)) and its second step refits that model to the first march; a warm start begins
at a previous solution with its slope; then secant steps, replaced by bisection when they
leave the bracket or stall. A pressure exchanger's mixing (single pass) can be closed
inside the same iteration (``px_mixing``).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit, prange

from ..transport.membrane import correlation_code, hydraulic_diameter_spacer
from .feedwater import table_value, temperature_row
from .march import (
    CASE_CONCENTRATE_PRESSURE,
    CASE_CONCENTRATE_WATER,
    CASE_FEED_VOLUME,
    CASE_PERMEATE_WATER,
    Channel,
    Feed,
    Layout,
    Membrane,
    _march_case,
    empty_outputs,
    march_batch,
    march_serial,
)


class RecoveryTarget(NamedTuple):
    """What the feed-pressure solver aims at, per case (N cases)."""

    recovery: np.ndarray      #: (N,) pass recovery, permeate over feed volume [-]
    max_pressure: np.ndarray  #: (N,) upper bound of the feed pressure [Pa gauge]
    guess: np.ndarray         #: (N, 2) warm start: pressure [Pa] (0: none), slope [1/Pa]
    tolerance: float          #: on the residual ln[(1-r*)/(1-r)] [-]


class PxMixing(NamedTuple):
    """Pressure-exchanger mixing closed inside the solve (all zero: none)."""

    kappa: np.ndarray                 #: (N,) mixing fraction x (1 - leakage) [-]
    low_pressure_solutes: np.ndarray  #: (N, I) feed solutes before mixing [mol/s]
    product: np.ndarray               #: (N,) target permeate flow [m^3/s]


class Solution(NamedTuple):
    """What the solver returns besides the march outputs."""

    pressure: np.ndarray    #: (N, 2) feed pressure [Pa gauge] and residual slope [1/Pa]
    status: np.ndarray      #: (N,) 0 converged, 1 the target needs more than max_pressure
    iterations: np.ndarray  #: (N,) marches used


@njit(cache=True)
def _residual(recovery, target):
    """ln[(1 - target)/(1 - recovery)]: monotonic in recovery, nearly linear in pressure."""
    if recovery > 0.999999:
        recovery = 0.999999
    return math.log((1.0 - target) / (1.0 - recovery))


@njit(cache=True)
def _lumped_flow(p, s, r):
    r"""Left side of the lumped pass model: :math:`r + (s/p)\ln[(p-s)/(p(1-r)-s)]`.

    Integrating :math:`dr/dS = (A/Q_f)[p - s/(1-r)]` (water flux against an osmotic pressure
    that rises as the concentrate concentrates, no salt passage, constant pressure ``p`` and
    polarised feed osmotic pressure ``s``) over the pass area gives
    :math:`g\,p = r + (s/p)\ln[(p-s)/(p(1-r)-s)]` with :math:`g = A S/Q_f`.
    """
    return r + (s / p) * math.log((p - s) / (p * (1.0 - r) - s))


@njit(cache=True)
def _lumped_pressure(g, s, r):
    """Mean net pressure ``p`` of the lumped model giving recovery ``r`` (bisection)."""
    if s <= 0.0:
        return r / g
    lo = s / (1.0 - r)
    step = r / g if r / g > 1e-3 * lo else 1e-3 * lo
    hi = lo + step
    for _ in range(60):
        if g * hi - _lumped_flow(hi, s, r) >= 0.0:
            break
        lo = hi
        step *= 2.0
        hi = lo + step
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if g * mid - _lumped_flow(mid, s, r) < 0.0:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-10 * hi:
            break
    return 0.5 * (lo + hi)


@njit(cache=True)
def _lumped_derivatives(g, s, p, r):
    """d r/d p and d p/d s of the lumped model at (g, s, p, r) (``p`` solving it)."""
    if s <= 0.0:
        return g, 0.0
    d = p * (1.0 - r) - s
    log_term = math.log((p - s) / d)
    dg_dr = 1.0 + s / d
    dg_dp = -(s / (p * p)) * log_term + (s / p) * (1.0 / (p - s) - (1.0 - r) / d)
    dg_ds = log_term / p + (s / p) * (1.0 / d - 1.0 / (p - s))
    den = g - dg_dp
    if den <= 0.0:
        return g, 0.0
    return den / dg_dr, dg_ds / den


@njit(cache=True)
def _lumped_fit(gp, p, r):
    """Polarised osmotic pressure ``s`` with which the lumped model gives recovery ``r`` at
    mean net pressure ``p`` (bisection; ``gp`` = g p must exceed r); -1 when none exists."""
    if not (r > 1e-6 and r < 0.999 and p > 0.0 and gp > r):
        return -1.0
    lo = 0.0
    hi = p * (1.0 - r)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if _lumped_flow(p, mid, r) < gp:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-10 * hi:
            break
    return 0.5 * (lo + hi)


@njit(cache=True)
def _px_mixing(c, x, p_top, tgt, recovery, mixing, feed, out, new_mix):
    r"""Solutes carried into the membrane feed by pressure-exchanger mixing, from a march.

    With :math:`\kappa = x(1-l)` (mixing fraction times the share of the concentrate that
    passes the exchanger) and the march's concentrate pass-through ratio
    :math:`r_{n,i} = n_{c,i}/n_{f,i}`, the balance of the carried-over solute is linear:
    :math:`n_{mix,i} = \kappa\, n_{lp,i}(r_{n,i} - W_c/W_f)/(1 - \kappa r_{n,i})`. Below the
    maximum pressure the concentrate water is that at the target recovery,
    :math:`W_c = W_f - W_p r^*/r`, so the update does not follow the pressure iterates.
    Fills ``new_mix``; returns the change relative to the low-pressure feed's solute mass.
    """
    n0 = feed.solutes
    n_lp = mixing.low_pressure_solutes
    mm = feed.molar_mass
    conc_n = out.concentrate_solutes
    w_f = feed.water[c]
    w_c = out.case[c, CASE_CONCENTRATE_WATER]
    if x < p_top and recovery > 0.0:
        ratio = tgt / recovery
        if ratio > 2.0:
            ratio = 2.0
        elif ratio < 0.5:
            ratio = 0.5
        w_c = w_f - out.case[c, CASE_PERMEATE_WATER] * ratio
    if w_c < 1e-3 * w_f:
        w_c = 1e-3 * w_f
    k = mixing.kappa[c]
    change = 0.0
    salt = 0.0
    for i in range(n0.shape[1]):
        rn = conc_n[c, i] / n0[c, i] if n0[c, i] > 0.0 else 0.0
        if rn > 1.0:
            rn = 1.0
        gain = k * rn
        if gain > 0.9:
            gain = 0.9
        v = k * n_lp[c, i] * (rn - w_c / w_f) / (1.0 - gain)
        if v < 0.0:
            v = 0.0
        new_mix[i] = v
        change += abs(v - (n0[c, i] - n_lp[c, i])) * mm[i]
        salt += n_lp[c, i] * mm[i]
    return change / salt if salt > 0.0 else 0.0


@njit(cache=True)
def _solve_case(c, target, mixing, feed, membrane, channel, layout, table, out, solution):
    r"""Feed pressure for a target recovery: safeguarded secant within a bracket.

    Recovery is 0 at zero pressure and increases monotonically with it, so [0, p_max]
    brackets the root when the recovery at p_max exceeds the target (else status 1 and the
    results at p_max). The residual is :math:`\ln[(1-r^*)/(1-r)]`, close to linear in the
    pressure, so secant steps converge in a few marches. A warm start begins at
    ``p_guess``. A cold start begins at the pressure of a lumped model of the pass
    (:func:`_lumped_flow`, polarised osmotic pressure 1.1 x the feed's); its second step
    refits the lumped model's osmotic pressure to the first march (with that march's
    pressure drop) and solves it for the target. Any step leaving the current bracket, or
    three steps that fail to halve it, are replaced by bisection; a step beyond p_max
    evaluates p_max, and a shortfall there is status 1.

    With ``mixing.kappa[c] > 0`` the membrane feed ``feed.solutes[c]`` is the low-pressure
    feed ``mixing.low_pressure_solutes[c]`` plus the pressure-exchanger mixing
    (:func:`_px_mixing`), updated after every march, and the target recovery is
    ``mixing.product[c]`` over the current feed volume; the case converges
    when the residual and the mixing change (relative to the feed's solute mass) are both
    below their tolerances. After an update the bracket is widened by twice the relative
    change times the pressure (the root moves less than that: the osmotic part of the
    pressure scales with the feed's solutes).
    """
    n0 = feed.solutes
    qw0 = feed.water
    mm = feed.molar_mass
    n_lp = mixing.low_pressure_solutes
    product = mixing.product
    a_perm = membrane.water_permeability
    area = membrane.area
    n_vessels = layout.vessels
    el_stage = layout.element_stage
    case_out = out.case
    p_guess = target.guess
    tol = target.tolerance
    tf = feed.temperature_row[c]
    tgt = target.recovery[c]
    p_top = target.max_pressure[c]
    mixes = mixing.kappa[c] > 0.0
    mix_tol = 2e-9
    new_mix = np.empty(n0.shape[1])
    lo = 0.0
    hi = p_top
    hi_known = False
    lo_known = False
    st = 0
    k = 0
    x_prev = 0.0
    f_prev = _residual(0.0, tgt)
    mt = 0.0
    wsum = 0.0
    for i in range(n0.shape[1]):
        mt += n0[c, i] / qw0[c]
        wsum += n0[c, i] * mm[i]
    q_feed = (qw0[c] + wsum) / table_value(table.density, mt, tf, table.m_step)
    if mixes:
        tgt = min(max(product[c] / q_feed, 1e-4), 0.98)
    a_area = 0.0
    for e in range(area.shape[1]):
        a_area += a_perm[c, e] * area[c, e] * n_vessels[c, el_stage[e]]
    pi_f = table_value(table.osmotic_pressure, mt, tf, table.m_step)
    frac = tgt if tgt < 0.95 else 0.95
    g = a_area / q_feed
    pp0 = layout.permeate_pressure[c, 0]
    # lumped model of the pass (polarised osmotic pressure s_mod, mean net pressure p_mod):
    # the cold start, the refit after the first march, the slope of the residual (sl) and
    # the move of the root when the mixing changes the feed
    s_mod = 1.1 * pi_f
    p_mod = _lumped_pressure(g, s_mod, frac)
    dr_dp, dp_ds = _lumped_derivatives(g, s_mod, p_mod, frac)
    sl = dr_dp / (1.0 - frac)
    warm = p_guess[c, 0] > 0.0 and p_guess[c, 0] < p_top
    x = p_guess[c, 0]
    if warm and p_guess[c, 1] > 0.0:
        sl = p_guess[c, 1]  # the previous solution's own slope
    fit_step = False
    if not warm:
        x = p_mod + pp0
        if not x > 0.0:
            x = 0.5 * p_top
        elif x > p_top:
            x = p_top
        fit_step = True
    written = False
    have_prev = False
    stall = 0
    while k < 150:
        # write the results of marches likely to be the last one: warm starts, and any
        # step taken from a residual already below 1e-4 (secant steps then land on it)
        write = warm or (have_prev and abs(f_prev) < 1e-4 * max(1.0, tol * 1e8))
        rec = _march_case(c, x, feed, membrane, channel, layout, table, write, out)
        if mixes:
            tgt = min(max(product[c] / case_out[c, CASE_FEED_VOLUME], 1e-4), 0.98)
        fx = _residual(rec, tgt)
        k += 1
        change = 0.0
        if mixes:
            change = _px_mixing(c, x, p_top, tgt, rec, mixing, feed, out, new_mix)
        if abs(fx) < tol and change < mix_tol:
            written = write
            break
        width_before = hi - lo
        at_top = False
        if fx < 0.0:
            lo = x
            lo_known = True
            at_top = x >= p_top
        else:
            hi = x
            hi_known = True
        # the slope: a secant through the last two marches when it is plausible (positive,
        # within a factor 10 of the current estimate), else the estimate
        if have_prev and x != x_prev:
            secant = (fx - f_prev) / (x - x_prev)
            if secant > 0.1 * sl and secant < 10.0 * sl:
                sl = secant
        shift = 0.0
        if change >= mix_tol:
            # move the feed to the new mixing. The root moves by less than the pressure
            # times the relative change of the solutes: widen the bracket by twice that;
            # the lumped model predicts the move (dp/ds s dsalt/salt)
            dsalt = 0.0
            salt = 0.0
            for i in range(n0.shape[1]):
                dsalt += (n_lp[c, i] + new_mix[i] - n0[c, i]) * mm[i]
                salt += n0[c, i] * mm[i]
                n0[c, i] = n_lp[c, i] + new_mix[i]
            widen = 2.0 * change * x
            lo = lo - widen if lo > widen else 0.0
            if hi_known:
                hi = hi + widen if hi + widen < p_top else p_top
            if salt > 0.0:
                shift = dp_ds * s_mod * dsalt / salt
        if at_top:
            if change < 1e-6:
                st = 1
                break
            continue  # at the maximum pressure: march there again with the new mixing
        if hi - lo < 1e-3:
            break
        # stalls count only once both sides of the root are known (a one-sided secant
        # approach converges without halving the bracket)
        if lo_known and hi_known:
            stall = stall + 1 if hi - lo > 0.5 * width_before else 0
        if fit_step:  # second march of a cold start: refit the lumped model to the first
            fit_step = False
            drop = x - case_out[c, CASE_CONCENTRATE_PRESSURE]
            pm = x - 0.5 * drop - pp0
            s_fit = _lumped_fit(g * pm, pm, rec)
            if s_fit > 0.0:
                s_mod = s_fit
                p_mod = _lumped_pressure(g, s_mod, frac)
                dr_dp, dp_ds = _lumped_derivatives(g, s_mod, p_mod, frac)
                sl = dr_dp / (1.0 - frac)
                xn = p_mod + 0.5 * drop + pp0
            else:
                xn = x - fx / sl
        else:
            xn = x - fx / sl
        xn += shift
        if hi_known:
            if not (xn > lo and xn < hi) or stall >= 3:
                xn = 0.5 * (lo + hi)
                stall = 0
        else:
            if not (xn > lo):
                xn = lo + 2.0 * (x - x_prev if x > x_prev else x)
            if xn >= p_top:
                xn = p_top
        # the last march, moved with the root, is a point of the updated residual
        x_prev = x + shift
        f_prev = fx
        have_prev = True
        x = xn
    if not written:
        _march_case(c, x, feed, membrane, channel, layout, table, True, out)
    solution.pressure[c, 0] = x
    solution.pressure[c, 1] = sl if sl > 0.0 else 0.0
    solution.status[c] = st
    solution.iterations[c] = k


@njit(cache=True, parallel=True)
def solve_batch(target, mixing, feed, membrane, channel, layout, table, out, solution):
    """Solve every case's feed pressure for its target pass recovery (status 1: the target
    needs more than ``target.max_pressure``; the results are then those at that pressure)."""
    for c in prange(feed.water.shape[0]):
        _solve_case(c, target, mixing, feed, membrane, channel, layout, table, out, solution)


@njit(cache=True)
def solve_serial(target, mixing, feed, membrane, channel, layout, table, out, solution):
    """Serial twin of :func:`solve_batch` (no thread start-up cost for a single case)."""
    for c in range(feed.water.shape[0]):
        _solve_case(c, target, mixing, feed, membrane, channel, layout, table, out, solution)


# --------------------------------------------------------------------------------------
# Python entry: assemble the kernel bundles for one pass
# --------------------------------------------------------------------------------------
def _c1(x, n):
    return np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=float), (n,)))


def _c2(x, n, m):
    return np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=float), (n, m)))


def run_pass(*, water_flow, solute_flow, temperature, table, water_permeability,
             salt_permeability, relative_permeability, molar_mass, charge, area, length,
             width, channel_height, spacer_porosity, pressure_drop, element_stage, vessels,
             booster_pressure, permeate_pressure, n_segments, correlation,
             feed_pressure=None, target_recovery=None, max_pressure=None,
             pressure_guess=None, tolerance=1e-8, px_mixing=None):
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
    px_mixing : tuple (kappa, low_pressure_solutes, product), optional
        Close a pressure exchanger's mixing inside the solve (single pass, no recycle):
        ``kappa`` (N,) = mixing x (1 - leakage), ``low_pressure_solutes`` (N, I) the feed's
        solutes before mixing [mol/s], ``product`` (N,) the target permeate flow [m^3/s]
        (the target recovery is then product / membrane feed volume). ``solute_flow`` is
        the first estimate of the membrane feed; the one used is returned as
        ``feed_solutes``.

    Returns
    -------
    dict
        ``element`` (N, E, columns ``EL_*`` of :mod:`osmolab.ro.march`), ``element_solutes``
        (N, E, I) permeate solute flows per vessel [mol/s], ``case`` (N, columns
        ``CASE_*``),
        ``concentrate_solutes`` (N, I) [mol/s], ``feed_pressure`` (N,), ``status`` (N,) and
        ``iterations`` (N,).
    """
    water = np.ascontiguousarray(water_flow, dtype=float)
    solutes = np.array(solute_flow, dtype=float, order="C")  # a copy: the solver may update it
    n_case, n_sp = solutes.shape
    element_stage = np.ascontiguousarray(element_stage, dtype=np.int64)
    n_el = element_stage.shape[0]
    n_st = int(element_stage.max()) + 1
    feed = Feed(water, solutes,
                np.ascontiguousarray(temperature_row(table, np.broadcast_to(temperature,
                                                                            (n_case,)))),
                np.ascontiguousarray(molar_mass, dtype=float),
                np.ascontiguousarray(charge, dtype=float))
    membrane = Membrane(_c2(water_permeability, n_case, n_el),
                        _c2(salt_permeability, n_case, n_el),
                        np.ascontiguousarray(np.broadcast_to(
                            np.asarray(relative_permeability, float), (n_case, n_el, n_sp))),
                        _c2(area, n_case, n_el))
    height = _c2(channel_height, n_case, n_el)
    porosity = _c2(spacer_porosity, n_case, n_el)
    channel = Channel(_c2(length, n_case, n_el), _c2(width, n_case, n_el), height, porosity,
                      np.ascontiguousarray(hydraulic_diameter_spacer(height, porosity)),
                      _c2(pressure_drop, n_case, n_el), correlation_code(correlation))
    layout = Layout(element_stage, _c2(vessels, n_case, n_st),
                    _c2(booster_pressure, n_case, n_st), _c2(permeate_pressure, n_case, n_st),
                    int(n_segments))
    out = empty_outputs(n_case, n_el, n_sp)
    bundles = (feed, membrane, channel, layout, table)
    serial = n_case < 8
    if target_recovery is None:
        p_feed = np.ascontiguousarray(np.broadcast_to(feed_pressure, (n_case,)), dtype=float)
        (march_serial if serial else march_batch)(p_feed, *bundles, out)
        iterations = np.zeros(n_case, dtype=np.int64)
        status = np.zeros(n_case, dtype=np.int64)
    else:
        guess = np.zeros((n_case, 2))
        if pressure_guess is not None:
            given = np.asarray(pressure_guess, dtype=float)
            if given.ndim == 2:
                guess[:] = given
            else:
                guess[:, 0] = given
        target = RecoveryTarget(_c1(target_recovery, n_case), _c1(max_pressure, n_case),
                                guess, float(tolerance))
        if px_mixing is None:
            mixing = PxMixing(np.zeros(n_case), np.zeros((n_case, n_sp)), np.zeros(n_case))
        else:
            mixing = PxMixing(_c1(px_mixing[0], n_case),
                              np.ascontiguousarray(px_mixing[1], dtype=float),
                              _c1(px_mixing[2], n_case))
        solution = Solution(np.zeros((n_case, 2)), np.zeros(n_case, dtype=np.int64),
                            np.zeros(n_case, dtype=np.int64))
        (solve_serial if serial else solve_batch)(target, mixing, *bundles, out, solution)
        p_feed = solution.pressure[:, 0].copy()
        status, iterations = solution.status, solution.iterations
    result = {"element": out.element, "element_solutes": out.element_solutes,
              "case": out.case, "concentrate_solutes": out.concentrate_solutes,
              "feed_pressure": p_feed, "status": status, "iterations": iterations,
              "feed_solutes": solutes}
    if target_recovery is not None:
        result["residual_slope"] = solution.pressure[:, 1].copy()
    return result
