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
[Pa gauge], temperature [K]. The feed-pressure solver and the Python entry
(:func:`osmolab.ro.solver.run_pass`) live in :mod:`osmolab.ro.solver`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

#: Fields of the per-element output array ``el_out[case, element, field]``
ELEMENT_FIELDS = ("feed_flow", "concentrate_flow", "permeate_flow", "permeate_water",
                  "average_flux", "beta", "ndp", "pressure_drop", "feed_pressure",
                  "feed_total_molality", "concentrate_total_molality", "max_flux",
                  "feed_solute_mass", "concentrate_solute_mass")
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
def _weights(m, t_frac, m_step, n_t, n_m):
    """Grid cell and weights of (molality, temperature) for :func:`_at`."""
    sq = math.sqrt(m) if m > 0.0 else 0.0
    fm = sq / m_step
    im = int(fm)
    if im > n_m - 2:
        im = n_m - 2
    it = int(t_frac)
    if it > n_t - 2:
        it = n_t - 2
    return it, im, t_frac - it, fm - im, sq


@njit(cache=True)
def _at(table, it, im, wt, wm):
    v0 = table[it, im] + (table[it, im + 1] - table[it, im]) * wm
    v1 = table[it + 1, im] + (table[it + 1, im + 1] - table[it + 1, im]) * wm
    return v0 + (v1 - v0) * wt


@njit(cache=True)
def _value_slope(table, m, t_frac, m_step):
    """Interpolated value and d/dm at (m, T)."""
    n_t, n_m = table.shape
    it, im, wt, wm, sq = _weights(m, t_frac, m_step, n_t, n_m)
    a0 = table[it, im]
    a1 = table[it + 1, im]
    s0 = table[it, im + 1] - a0
    s1 = table[it + 1, im + 1] - a1
    v0 = a0 + s0 * wm
    v1 = a1 + s1 * wm
    if sq < 1e-8:
        sq = 1e-8
    return v0 + (v1 - v0) * wt, (s0 + (s1 - s0) * wt) / m_step / (2.0 * sq)


@njit(cache=True)
def _local(qw, n, dp, t_frac, a_perm, b_salt, group_of, group_b, mm, z, width, height,
           porosity, d_h, fixed_dpdx, corr, m_step, pi_t, rho_t, cw_t, mu_t, d_t, cw0, j_guess,
           m, gm, gphi, js):
    """Local fluxes at one state of the feed channel (per unit membrane area).

    Solutes sharing a permeability (``group_of`` -> ``group_b``, relative to the salt B)
    share their passage, so the Newton iteration runs over groups. Fills ``js`` (solute
    fluxes [mol/(m^2 s)]); returns (J_w [m/s], dP/dx [Pa/m], NDP [Pa], beta [-], permeate
    water density [kg/m^3], total molality [mol/kg]).
    """
    n_sp = n.shape[0]
    n_g = group_b.shape[0]
    mt = 0.0
    wsum = 0.0
    for g in range(n_g):
        gm[g] = 0.0
    inv_qw = 1.0 / qw
    for i in range(n_sp):
        mi = n[i] * inv_qw
        m[i] = mi
        mt += mi
        wsum += mi * mm[i]
        gm[group_of[i]] += mi
    n_t, n_m = rho_t.shape
    it, im, wt, wm, _sq = _weights(mt, t_frac, m_step, n_t, n_m)
    rho = _at(rho_t, it, im, wt, wm)
    cw = _at(cw_t, it, im, wt, wm)
    mu = _at(mu_t, it, im, wt, wm)
    diff = _at(d_t, it, im, wt, wm)
    q = qw * (1.0 + wsum) / rho
    u = q / (width * height * porosity)
    re = rho * u * d_h / mu
    if re < 1e-6:
        re = 1e-6
    sc = mu / (rho * diff)
    if corr == 0:
        lr = math.log(re)
        sh = 0.065 * math.exp(0.875 * lr) * math.sqrt(math.sqrt(sc))
        fr = 6.23 * math.exp(-0.3 * lr)
    else:
        sh = 0.46 * math.exp(0.36 * math.log(re * sc))
        fr = 0.42 + 189.3 / re
    k = sh * diff / d_h
    inv_k = 1.0 / k
    if fixed_dpdx >= 0.0:
        dpdx = fixed_dpdx
    else:
        dpdx = fr * rho * u * u / (2.0 * d_h)
    ratio = cw / cw0
    if dp <= 0.0:
        for i in range(n_sp):
            js[i] = 0.0
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
        x_cp = jw * inv_k
        if x_cp > 40.0:  # extreme polarisation (a nearly stagnant channel): keep it finite
            x_cp = 40.0
        e = math.exp(x_cp)
        jk1 = x_cp - 1.0
        mw = 0.0
        mp = 0.0
        dmw = 0.0
        dmp = 0.0
        for g in range(n_g):
            be = b_salt * group_b[g] * e
            inv_den = 1.0 / (jw + be)
            ph = be * inv_den
            dph = ph * jk1 * inv_den
            gphi[g] = ph
            mg = gm[g]
            mw += mg * (ph + (1.0 - ph) * e)
            dmw += mg * (dph * (1.0 - e) + (1.0 - ph) * e * inv_k)
            mp += mg * ph
            dmp += mg * dph
        mp *= ratio
        dmp *= ratio
        pi_w, s_w = _value_slope(pi_t, mw, t_frac, m_step)
        pi_p, s_p = _value_slope(pi_t, mp, t_frac, m_step)
        f = jw - a_perm * (dp - pi_w + pi_p)
        if f > 0.0:
            hi = jw
        else:
            lo = jw
        dfdj = 1.0 + a_perm * (s_w * dmw - s_p * dmp)
        if dfdj > 0.0:
            jn = jw - f / dfdj
        else:
            jn = 0.5 * (lo + hi)
        if jn <= lo or jn >= hi:
            jn = 0.5 * (lo + hi)
        if abs(jn - jw) <= 1e-7 * hi:  # quadratic convergence: the error left is ~1e-14
            jw = jn
            break
        jw = jn
    # electroneutral permeate: common factor on cations and its inverse on anions
    eq_c = 0.0
    eq_a = 0.0
    for i in range(n_sp):
        if z[i] > 0:
            eq_c += z[i] * gphi[group_of[i]] * m[i]
        elif z[i] < 0:
            eq_a -= z[i] * gphi[group_of[i]] * m[i]
    fc = 1.0
    if eq_c > 0.0 and eq_a > 0.0:
        fc = math.sqrt(eq_a / eq_c)
    jcw = jw * cw
    for i in range(n_sp):
        ph = gphi[group_of[i]]
        if z[i] > 0:
            ph *= fc
        elif z[i] < 0:
            ph /= fc
        js[i] = jcw * ph * m[i]
    it, im, wt, wm, _sq = _weights(mp, t_frac, m_step, n_t, n_m)
    cwp = _at(cw_t, it, im, wt, wm)
    return jw, dpdx, dp - pi_w + pi_p, mw / mt if mt > 0 else 1.0, cwp, mt


@njit(cache=True)
def _groups(brel_row, group_of, group_b):
    """Group solutes with equal relative permeability; return the number of groups."""
    n_g = 0
    for i in range(brel_row.shape[0]):
        found = -1
        for g in range(n_g):
            if group_b[g] == brel_row[i]:
                found = g
                break
        if found < 0:
            group_b[n_g] = brel_row[i]
            found = n_g
            n_g += 1
        group_of[i] = found
    return n_g


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
    gm = np.empty(n_sp)
    gphi = np.empty(n_sp)
    group_of = np.empty(n_sp, dtype=np.int64)
    group_b = np.empty(n_sp)
    n_g = 0
    cw0 = _interp(cw_t, 0.0, tf, m_step)
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
            el_out[c, e, 12] = wsum
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
        if e == 0 or not np.array_equal(brel[c, e], brel[c, e - 1]):
            n_g = _groups(brel[c, e], group_of, group_b)
        gb = group_b[:n_g]
        for _seg in range(n_seg):
            j1, dpdx1, ndp1, beta1, cwp1, mt1 = _local(
                qw, nv, p - pp, tf, a_perm[c, e], b_salt[c, e], group_of, gb, mm, z,
                width[c, e], height[c, e], porosity[c, e], d_h[c, e], fdp, corr, m_step,
                pi_t, rho_t, cw_t, mu_t, d_t, cw0, jw, m, gm, gphi, js1)
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
                    qmid, nmid, pmid - pp, tf, a_perm[c, e], b_salt[c, e], group_of, gb, mm,
                    z, width[c, e], height[c, e], porosity[c, e], d_h[c, e], fdp, corr,
                    m_step, pi_t, rho_t, cw_t, mu_t, d_t, cw0, j1, m, gm, gphi, js2)
                wf = j2 * cwp2
            # next inlet flux, extrapolated: a close start for the next Newton solve
            jw = j1 + (j1 - prev_j) if have_prev else j1
            if jw <= 0.0:
                jw = j1
            have_prev = True
            prev_area = d_area
            prev_j = j1
            prev_wf = j1 * cwp1
            prev_dpdx = dpdx1
            prev_ndp = ndp1
            for i in range(n_sp):
                prev_js[i] = js1[i]
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
            if p < 0.0:  # the feed channel cannot fall below atmospheric: a flow far too high
                p = 0.0
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
                qw, nv, p - pp, tf, a_perm[c, e], b_salt[c, e], group_of, gb, mm, z,
                width[c, e], height[c, e], porosity[c, e], d_h[c, e], fdp, corr, m_step,
                pi_t, rho_t, cw_t, mu_t, d_t, cw0, jw, m, gm, gphi, js1)
            el_out[c, e, 5] = beta_out
            el_out[c, e, 6] = ndp_sum / area[c, e]
            el_out[c, e, 7] = p_in - p
            el_out[c, e, 10] = mt
            el_out[c, e, 11] = jmax
            el_out[c, e, 13] = wsum
    # the pass totals are always written (the solver reads them after every march)
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
