r"""Spiral-wound RO elements discretised along their length: the compiled march.

A pass (stages of pressure vessels, elements in series) is marched segment by segment for
every case of a batch in parallel (Numba, ``prange`` over cases). In each segment of area
:math:`\Delta A` and length :math:`\Delta x` the local equations of
:mod:`osmolab.transport.membrane` are solved:

* bulk properties from the feed's property table (:mod:`osmolab.ro.feedwater`) at the
  segment's total molality and temperature; cross-flow velocity
  :math:`u = Q / (W h \varepsilon)`, :math:`Re = \rho u d_h/\mu`, :math:`Sc = \mu/(\rho D)`,
  :math:`k = Sh\,D/d_h` with :math:`Sh` from Schock & Miquel (1987) or Guillen & Hoek (2009);
* each solute's local permeate concentration by solution–diffusion with film-theory
  polarisation, :math:`c_{p,i} = B_i E c_{b,i}/(J_w + B_i E)`, :math:`E = e^{J_w/k}`, and the
  wall concentration :math:`c_{m,i} = c_{p,i} + (c_{b,i} - c_{p,i})E`;
* the water flux :math:`J_w = A[\Delta P - (\Pi(m_m) - \Pi(m_p))]`, an implicit equation in
  :math:`J_w` (both osmotic pressures depend on it) solved by safeguarded Newton within the
  bracket :math:`0 < J_w < A \Delta P` (the left side minus the right is strictly increasing,
  so the root is unique);
* permeate cations and anions are rescaled by a common factor to electroneutrality
  (:math:`\sqrt{eq_-/eq_+}`), since independent ion permeabilities do not conserve charge;
* pressure drop :math:`f \rho u^2 / (2 d_h)\,\Delta x` (or a fixed drop per element).

The step is second order: the two-step Adams–Bashforth formula (one local solve per
segment, fluxes extrapolated from the segment inlet and the previous inlet), restarted with
an explicit-midpoint step at the start of every stage and wherever the element type changes. The same fluxes
leave the feed channel and enter the permeate, so water and every solute balance to
round-off. Results converge as the number of segments grows (second order).

Units inside the kernel are SI: water mass flow [kg/s], solute flows [mol/s], pressures
[Pa gauge], temperature [K].
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

#: Fields of the per-element output array ``el_out[case, element, field]``
ELEMENT_FIELDS = ("feed_flow", "concentrate_flow", "permeate_flow", "permeate_water",
                  "average_flux", "beta", "ndp", "pressure_drop", "feed_pressure",
                  "feed_total_molality", "concentrate_total_molality", "max_flux")
#: Fields of the per-case output array ``case_out[case, field]``
CASE_FIELDS = ("feed_volume", "permeate_volume", "permeate_water", "concentrate_water",
               "concentrate_pressure", "concentrate_volume")

_F = {name: i for i, name in enumerate(ELEMENT_FIELDS)}
_C = {name: i for i, name in enumerate(CASE_FIELDS)}
N_EL_FIELDS = len(ELEMENT_FIELDS)
N_CASE_FIELDS = len(CASE_FIELDS)


@njit(cache=True)
def _interp(table, m, t_frac, m_step):
    """Bilinear interpolation in (sqrt(molality), temperature); linear extrapolation beyond
    the grid's end. ``m_step`` is the grid step in sqrt(molality)."""
    n_t, n_m = table.shape
    fm = math.sqrt(m) / m_step if m > 0.0 else 0.0
    im = int(fm)
    if im > n_m - 2:
        im = n_m - 2
    wm = fm - im
    it = int(t_frac)
    if it > n_t - 2:
        it = n_t - 2
    wt = t_frac - it
    v0 = table[it, im] + (table[it, im + 1] - table[it, im]) * wm
    v1 = table[it + 1, im] + (table[it + 1, im + 1] - table[it + 1, im]) * wm
    return v0 + (v1 - v0) * wt


@njit(cache=True)
def _slope(table, m, t_frac, m_step):
    """d(table)/dm of the bilinear interpolant."""
    n_t, n_m = table.shape
    sq = math.sqrt(m) if m > 1e-16 else 1e-8
    fm = sq / m_step
    im = int(fm)
    if im > n_m - 2:
        im = n_m - 2
    it = int(t_frac)
    if it > n_t - 2:
        it = n_t - 2
    wt = t_frac - it
    s0 = table[it, im + 1] - table[it, im]
    s1 = table[it + 1, im + 1] - table[it + 1, im]
    return (s0 + (s1 - s0) * wt) / m_step / (2.0 * sq)


@njit(cache=True)
def _local(qw, n, dp, t_frac, a_perm, b_salt, brel, mm, z, width, height, porosity, d_h,
           fixed_dpdx, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, j_guess, m, phi, js):
    """Local fluxes at one state of the feed channel (per unit membrane area).

    Fills ``js`` (solute fluxes [mol/(m^2 s)]); returns (J_w [m/s], dP/dx [Pa/m], NDP [Pa],
    beta [-], permeate water density [kg/m^3], total molality [mol/kg]).
    """
    n_sp = n.shape[0]
    mt = 0.0
    wsum = 0.0
    for i in range(n_sp):
        m[i] = n[i] / qw
        mt += m[i]
        wsum += m[i] * mm[i]
    rho = _interp(rho_t, mt, t_frac, m_step)
    cw = _interp(cw_t, mt, t_frac, m_step)
    mu = _interp(mu_t, mt, t_frac, m_step)
    diff = _interp(d_t, mt, t_frac, m_step)
    cw0 = _interp(cw_t, 0.0, t_frac, m_step)
    q = qw * (1.0 + wsum) / rho
    u = q / (width * height * porosity)
    re = rho * u * d_h / mu
    if re < 1e-6:
        re = 1e-6
    sc = mu / (rho * diff)
    if corr == 0:
        sh = 0.065 * re ** 0.875 * sc ** 0.25
        fr = 6.23 * re ** -0.3
    else:
        sh = 0.46 * (re * sc) ** 0.36
        fr = 0.42 + 189.3 / re
    k = sh * diff / d_h
    if fixed_dpdx >= 0.0:
        dpdx = fixed_dpdx
    else:
        dpdx = fr * rho * u * u / (2.0 * d_h)
    ratio = cw / cw0
    if dp <= 0.0:
        for i in range(n_sp):
            js[i] = 0.0
            phi[i] = 1.0
        return 0.0, dpdx, dp, 1.0, cw0, mt
    hi = a_perm * dp
    lo = 0.0
    jw = j_guess
    if not (jw > 0.0 and jw < hi):
        jw = 0.5 * hi
    mw = mt
    mp = 0.0
    pi_w = 0.0
    pi_p = 0.0
    for _it in range(60):
        e = math.exp(jw / k)
        mw = 0.0
        mp = 0.0
        dmw = 0.0
        dmp = 0.0
        for i in range(n_sp):
            be = b_salt * brel[i] * e
            den = jw + be
            ph = be / den
            dph = be * (jw / k - 1.0) / (den * den)
            phi[i] = ph
            mw += m[i] * (ph + (1.0 - ph) * e)
            dmw += m[i] * (dph * (1.0 - e) + (1.0 - ph) * e / k)
            mp += m[i] * ph
            dmp += m[i] * dph
        mp *= ratio
        dmp *= ratio
        pi_w = _interp(pi_t, mw, t_frac, m_step)
        pi_p = _interp(pi_t, mp, t_frac, m_step)
        f = jw - a_perm * (dp - pi_w + pi_p)
        if f > 0.0:
            hi = jw
        else:
            lo = jw
        dfdj = 1.0 + a_perm * (_slope(pi_t, mw, t_frac, m_step) * dmw
                               - _slope(pi_t, mp, t_frac, m_step) * dmp)
        if dfdj > 0.0:
            jn = jw - f / dfdj
        else:
            jn = 0.5 * (lo + hi)
        if jn <= lo or jn >= hi:
            jn = 0.5 * (lo + hi)
        if abs(jn - jw) <= 1e-8 * hi:  # quadratic convergence: the error left is ~1e-16
            jw = jn
            break
        jw = jn
    # electroneutral permeate: common factor on cations and its inverse on anions
    eq_c = 0.0
    eq_a = 0.0
    for i in range(n_sp):
        if z[i] > 0:
            eq_c += z[i] * phi[i] * m[i]
        elif z[i] < 0:
            eq_a -= z[i] * phi[i] * m[i]
    fc = 1.0
    if eq_c > 0.0 and eq_a > 0.0:
        fc = math.sqrt(eq_a / eq_c)
    for i in range(n_sp):
        ph = phi[i]
        if z[i] > 0:
            ph *= fc
        elif z[i] < 0:
            ph /= fc
        js[i] = jw * ph * m[i] * cw
    cwp = _interp(cw_t, mp, t_frac, m_step)
    return jw, dpdx, dp - pi_w + pi_p, mw / mt if mt > 0 else 1.0, cwp, mt


@njit(cache=True)
def _march_case(c, p_feed, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area, length,
                width, height, porosity, d_h, fixed_dp, el_stage, n_vessels, booster, p_perm,
                n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, write, el_out, el_perm_n,
                case_out, conc_n):
    """March case ``c`` through one pass at feed pressure ``p_feed``; return recovery."""
    n_el = area.shape[1]
    n_sp = n0.shape[1]
    tf = temp_frac[c]
    m = np.empty(n_sp)
    phi = np.empty(n_sp)
    js1 = np.empty(n_sp)
    js2 = np.empty(n_sp)
    nv = np.empty(n_sp)
    nmid = np.empty(n_sp)
    prev_js = np.empty(n_sp)
    have_prev = False
    prev_area = 1.0
    prev_j = 0.0
    prev_wf = 0.0
    prev_dpdx = 0.0
    prev_ndp = 0.0
    stage = 0
    vessels = n_vessels[c, 0]
    qw = qw0[c] / vessels
    for i in range(n_sp):
        nv[i] = n0[c, i] / vessels
    p = p_feed
    wsum = 0.0
    mt = 0.0
    for i in range(n_sp):
        wsum += nv[i] * mm[i]
        mt += nv[i] / qw
    feed_volume = qw * (1.0 + wsum / qw) / _interp(rho_t, mt, tf, m_step) * vessels
    perm_volume = 0.0
    perm_water = 0.0
    jw = -1.0
    for e in range(n_el):
        s = el_stage[e]
        if s != stage:
            ratio = vessels / n_vessels[c, s]
            vessels = n_vessels[c, s]
            qw *= ratio
            for i in range(n_sp):
                nv[i] *= ratio
            p += booster[c, s]
            stage = s
        pp = p_perm[c, s]
        d_area = area[c, e] / n_seg
        d_len = length[c, e] / n_seg
        fdp = -1.0
        if fixed_dp[c, e] >= 0.0:
            fdp = fixed_dp[c, e] / length[c, e]
        if write:
            wsum = 0.0
            mt = 0.0
            for i in range(n_sp):
                wsum += nv[i] * mm[i]
                mt += nv[i] / qw
            el_out[c, e, 0] = (qw + wsum) / _interp(rho_t, mt, tf, m_step)
            el_out[c, e, 8] = p
            el_out[c, e, 9] = mt
        p_in = p
        el_pv = 0.0
        el_pw = 0.0
        ndp_sum = 0.0
        jmax = 0.0
        if write:
            for i in range(n_sp):
                el_perm_n[c, e, i] = 0.0
        if e == 0 or el_stage[e] != el_stage[e - 1] or a_perm[c, e] != a_perm[c, e - 1] \
                or b_salt[c, e] != b_salt[c, e - 1] or area[c, e] != area[c, e - 1] \
                or length[c, e] != length[c, e - 1] or d_h[c, e] != d_h[c, e - 1]:
            have_prev = False  # restart the multistep scheme where the channel changes
        for _seg in range(n_seg):
            j1, dpdx1, ndp1, beta1, cwp1, mt1 = _local(
                qw, nv, p - pp, tf, a_perm[c, e], b_salt[c, e], brel[c, e], mm, z,
                width[c, e], height[c, e], porosity[c, e], d_h[c, e], fdp, corr, m_step,
                pi_t, rho_t, cw_t, mu_t, d_t, jw, m, phi, js1)
            if have_prev:
                # Adams-Bashforth 2: f* = (1 + w/2) f_n - (w/2) f_(n-1), w = h_n / h_(n-1)
                c0 = 0.5 * d_area / prev_area
                c1 = 1.0 + c0
                j2 = c1 * j1 - c0 * prev_j
                wf = c1 * j1 * cwp1 - c0 * prev_wf
                for i in range(n_sp):
                    js2[i] = c1 * js1[i] - c0 * prev_js[i]
                    if js2[i] < 0.0:
                        js2[i] = 0.0
                dpdx2 = c1 * dpdx1 - c0 * prev_dpdx
                ndp2 = c1 * ndp1 - c0 * prev_ndp
                if j2 < 0.0 or wf < 0.0:
                    j2 = 0.0
                    wf = 0.0
            else:
                # explicit midpoint for the first step
                half = 0.5 * d_area
                qmid = qw - half * j1 * cwp1
                if qmid < 0.5 * qw:
                    qmid = 0.5 * qw
                for i in range(n_sp):
                    nmid[i] = nv[i] - half * js1[i]
                    if nmid[i] < 0.0:
                        nmid[i] = 0.0
                pmid = p - 0.5 * d_len * dpdx1
                j2, dpdx2, ndp2, beta2, cwp2, mt2 = _local(
                    qmid, nmid, pmid - pp, tf, a_perm[c, e], b_salt[c, e], brel[c, e], mm,
                    z, width[c, e], height[c, e], porosity[c, e], d_h[c, e], fdp, corr,
                    m_step, pi_t, rho_t, cw_t, mu_t, d_t, j1, m, phi, js2)
                wf = j2 * cwp2
            have_prev = True
            prev_area = d_area
            prev_j = j1
            prev_wf = j1 * cwp1
            prev_dpdx = dpdx1
            prev_ndp = ndp1
            for i in range(n_sp):
                prev_js[i] = js1[i]
            jw = j1
            dw = wf * d_area
            if dw > 0.5 * qw:  # far beyond any feasible design: keep the channel wet
                scale = 0.5 * qw / dw
                dw *= scale
                for i in range(n_sp):
                    js2[i] *= scale
                j2 *= scale
            qw -= dw
            for i in range(n_sp):
                dn = js2[i] * d_area
                if dn > nv[i]:
                    dn = nv[i]
                nv[i] -= dn
                if write:
                    el_perm_n[c, e, i] += dn
            p -= dpdx2 * d_len
            el_pv += j2 * d_area
            el_pw += dw
            ndp_sum += ndp2 * d_area
            if j2 > jmax:
                jmax = j2
        perm_volume += el_pv * vessels
        perm_water += el_pw * vessels
        if write:
            wsum = 0.0
            mt = 0.0
            for i in range(n_sp):
                wsum += nv[i] * mm[i]
                mt += nv[i] / qw
            el_out[c, e, 1] = (qw + wsum) / _interp(rho_t, mt, tf, m_step)
            el_out[c, e, 2] = el_pv
            el_out[c, e, 3] = el_pw
            el_out[c, e, 4] = el_pv / area[c, e]
            # beta at the concentrate end: polarisation at the element outlet state
            jo, _d, _n, beta_out, _c, _m = _local(
                qw, nv, p - pp, tf, a_perm[c, e], b_salt[c, e], brel[c, e], mm, z,
                width[c, e], height[c, e], porosity[c, e], d_h[c, e], fdp, corr, m_step,
                pi_t, rho_t, cw_t, mu_t, d_t, jw, m, phi, js1)
            el_out[c, e, 5] = beta_out
            el_out[c, e, 6] = ndp_sum / area[c, e]
            el_out[c, e, 7] = p_in - p
            el_out[c, e, 10] = mt
            el_out[c, e, 11] = jmax
    if write:
        wsum = 0.0
        mt = 0.0
        for i in range(n_sp):
            wsum += nv[i] * mm[i]
            mt += nv[i] / qw
            conc_n[c, i] = nv[i] * vessels
        case_out[c, 0] = feed_volume
        case_out[c, 1] = perm_volume
        case_out[c, 2] = perm_water
        case_out[c, 3] = qw * vessels
        case_out[c, 4] = p
        case_out[c, 5] = (qw + wsum) / _interp(rho_t, mt, tf, m_step) * vessels
    return perm_volume / feed_volume


@njit(cache=True)
def _residual(recovery, target):
    """ln[(1 - target)/(1 - recovery)]: monotonic in recovery, nearly linear in pressure."""
    if recovery > 0.999999:
        recovery = 0.999999
    return math.log((1.0 - target) / (1.0 - recovery))


@njit(cache=True)
def _solve_case(c, target, p_max, p_guess, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z,
                area, length, width, height, porosity, d_h, fixed_dp, el_stage, n_vessels,
                booster, p_perm, n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, el_out,
                el_perm_n, case_out, conc_n, p_out, status, iters):
    r"""Feed pressure for a target recovery: safeguarded secant within a bracket.

    Recovery is 0 at zero pressure and increases monotonically with it, so [0, p_max]
    brackets the root when the recovery at p_max exceeds the target (else status 1 and the
    results at p_max). The residual is :math:`\ln[(1-r^*)/(1-r)]`, close to linear in the
    pressure, so secant steps converge in a few marches. Secant steps from ``p_guess`` (warm start) or from p_max and a linear
    estimate in the pressure above the mean osmotic pressure; any step leaving the current
    bracket, or three steps that fail to halve it, are replaced by bisection.
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
    # the first secant point: (p_max, f(p_max)) on a cold start, (0, -target) when warm
    x_prev = 0.0
    f_prev = _residual(0.0, tgt)
    x = p_guess[c]
    if not (x > 0.0 and x < p_top):
        f_top = _residual(_march_case(c, p_top, *args, False, el_out, el_perm_n, case_out,
                                      conc_n), tgt)
        k = 1
        if f_top < 0.0:
            st = 1
            x = p_top
        else:
            hi_known = True
            x_prev = p_top
            f_prev = f_top
            mt = 0.0
            for i in range(n0.shape[1]):
                mt += n0[c, i] / qw0[c]
            pi_f = _interp(pi_t, mt, temp_frac[c], m_step)
            frac = tgt if tgt < 0.95 else 0.95
            pi_eff = 0.5 * pi_f * (1.0 + 1.0 / (1.0 - frac))
            if pi_eff > 0.9 * p_top:
                pi_eff = 0.9 * p_top
            x = pi_eff + (p_top - pi_eff) * (-math.log(1.0 - tgt)) / (
                f_top - math.log(1.0 - tgt))
            if not (x > 0.0 and x < p_top):
                x = 0.5 * p_top
    if st == 0:
        stall = 0
        while k < 150:
            fx = _residual(_march_case(c, x, *args, False, el_out, el_perm_n, case_out, conc_n),
                           tgt)
            k += 1
            if abs(fx) < 1e-10:
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
            if fx != f_prev:
                xn = x - fx * (x - x_prev) / (fx - f_prev)
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
    _march_case(c, x, *args, True, el_out, el_perm_n, case_out, conc_n)
    p_out[c] = x
    status[c] = st
    iters[c] = k


@njit(cache=True, parallel=True)
def march_batch(p_feed, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area, length, width,
                height, porosity, d_h, fixed_dp, el_stage, n_vessels, booster, p_perm, n_seg,
                corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, el_out, el_perm_n, case_out,
                conc_n):
    """March every case at its given feed pressure (results written in the out arrays)."""
    for c in prange(qw0.shape[0]):
        _march_case(c, p_feed[c], qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area,
                    length, width, height, porosity, d_h, fixed_dp, el_stage, n_vessels,
                    booster, p_perm, n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, True,
                    el_out, el_perm_n, case_out, conc_n)


@njit(cache=True, parallel=True)
def solve_batch(target, p_max, p_guess, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area, length,
                width, height, porosity, d_h, fixed_dp, el_stage, n_vessels, booster, p_perm,
                n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, el_out, el_perm_n,
                case_out, conc_n, p_out, status, iters):
    """Solve every case's feed pressure for its target pass recovery (status 1: the target
    needs more than ``p_max``; the results are then those at ``p_max``)."""
    for c in prange(qw0.shape[0]):
        _solve_case(c, target, p_max, p_guess, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area,
                    length, width, height, porosity, d_h, fixed_dp, el_stage, n_vessels,
                    booster, p_perm, n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t,
                    el_out, el_perm_n, case_out, conc_n, p_out, status, iters)


@njit(cache=True)
def solve_serial(target, p_max, p_guess, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area,
                 length, width, height, porosity, d_h, fixed_dp, el_stage, n_vessels, booster,
                 p_perm, n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, el_out, el_perm_n,
                 case_out, conc_n, p_out, status, iters):
    """Serial twin of :func:`solve_batch` (no thread start-up cost for a single case)."""
    for c in range(qw0.shape[0]):
        _solve_case(c, target, p_max, p_guess, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area,
                    length, width, height, porosity, d_h, fixed_dp, el_stage, n_vessels,
                    booster, p_perm, n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t,
                    el_out, el_perm_n, case_out, conc_n, p_out, status, iters)


@njit(cache=True)
def march_serial(p_feed, qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area, length, width,
                 height, porosity, d_h, fixed_dp, el_stage, n_vessels, booster, p_perm, n_seg,
                 corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, el_out, el_perm_n, case_out,
                 conc_n):
    """Serial twin of :func:`march_batch`."""
    for c in range(qw0.shape[0]):
        _march_case(c, p_feed[c], qw0, n0, temp_frac, a_perm, b_salt, brel, mm, z, area,
                    length, width, height, porosity, d_h, fixed_dp, el_stage, n_vessels,
                    booster, p_perm, n_seg, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, True,
                    el_out, el_perm_n, case_out, conc_n)


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
             pressure_guess=None):
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
    pressure_guess : ndarray (N,), optional
        Feed pressures near the solution (warm start; 0 = none) [Pa].

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
        guess = np.zeros(n_case) if pressure_guess is None else pressure_guess
        guess = np.ascontiguousarray(np.broadcast_to(guess, (n_case,)), dtype=float)
        p_feed = np.zeros(n_case)
        (solve_serial if serial else solve_batch)(target, p_max, guess, *common, el_out, el_perm_n,
                                                  case_out, conc_n, p_feed, status, iters)
    return {"element": el_out, "element_solutes": el_perm_n, "case": case_out,
            "concentrate_solutes": conc_n, "feed_pressure": p_feed, "status": status,
            "iterations": iters}
