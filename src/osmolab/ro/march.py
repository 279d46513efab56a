r"""Spiral-wound RO elements discretised along their length: the compiled march.

A pass (stages of pressure vessels, elements in series) is marched segment by segment for
every case of a batch in parallel (Numba, ``prange`` over cases). In each segment of area
:math:`\Delta A` and length :math:`\Delta x` the local equations of
:mod:`osmolab.transport.membrane` are solved:

* bulk properties from the feed's property table (:mod:`osmolab.ro.feedwater`) at the
  segment's total molality and temperature; cross-flow velocity
  :math:`u = Q / (W h \varepsilon)`, :math:`Re = \rho u d_h/\mu`, :math:`Sc = \mu/(\rho D)`,
  :math:`k = Sh\,D/d_h` with :math:`Sh` from Schock & Miquel (1987) or Guillen & Hoek (2009)
  (the kernels of :mod:`osmolab.transport.membrane`);
* each solute's local permeate concentration by solution–diffusion with film-theory
  polarisation, :math:`c_{p,i} = B_i E c_{b,i}/(J_w + B_i E)`, :math:`E = e^{J_w/k}`, and the
  wall concentration :math:`c_{m,i} = c_{p,i} + (c_{b,i} - c_{p,i})E`;
* the water flux :math:`J_w = A[\Delta P - (\Pi(m_m) - \Pi(m_p))]`, an implicit equation in
  :math:`J_w` (both osmotic pressures depend on it) solved by safeguarded Newton within the
  bracket :math:`0 < J_w < A \Delta P` (the left side minus the right is strictly increasing,
  so the root is unique);
* independent ion permeabilities do not conserve charge: the permeate imbalance
  :math:`F = eq_-/eq_+` is removed by scaling cations by :math:`F^a` and anions by
  :math:`F^{a-1}`, with the counter-ion share :math:`a` of a Donnan membrane
  (:func:`counter_ion_share`: 1/2 in seawater, 1 in dilute brackish water);
* pressure drop :math:`f \rho u^2 / (2 d_h)\,\Delta x` (or a fixed drop per element).

The step is second order: the two-step Adams–Bashforth formula (one local solve per
segment, fluxes extrapolated from the segment inlet and the previous inlet), restarted with
an explicit-midpoint step at the start of every stage and wherever the element type changes. The same fluxes
leave the feed channel and enter the permeate, so water and every solute balance to
round-off. Results converge as the number of segments grows (second order).

Kernel arguments are named bundles (``typing.NamedTuple`` s of arrays and scalars, which
Numba compiles as structs): :class:`Feed` (what enters the pass), :class:`Membrane` and
:class:`Channel` (each element position), :class:`Layout` (stages, vessels, segments),
:class:`osmolab.ro.feedwater.PropertyTable` and :class:`Outputs` (filled by the march). The
output columns are named by the ``EL_*`` and ``CASE_*`` constants below; read them by name.

Units inside the kernel are SI: water mass flow [kg/s], solute flows [mol/s], pressures
[Pa gauge], temperature [K]. The feed-pressure solver and the Python entry
(:func:`osmolab.ro.solver.run_pass`) live in :mod:`osmolab.ro.solver`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit, prange

from ..transport.membrane import (
    channel_pressure_gradient_scalar,
    film_theory_passage_scalar,
    spacer_channel_scalar,
    wall_concentration_scalar,
    water_flux_scalar,
)
from .feedwater import PropertyTable, table_at, table_cell, table_value, table_value_slope

# --------------------------------------------------------------------------------------
# Output columns
# --------------------------------------------------------------------------------------
#: Columns of the per-element output ``Outputs.element[case, element, column]`` (per vessel)
EL_FEED_FLOW = 0                   # feed volume flow [m^3/s]
EL_CONCENTRATE_FLOW = 1            # concentrate volume flow [m^3/s]
EL_PERMEATE_FLOW = 2               # permeate volume flow [m^3/s]
EL_PERMEATE_WATER = 3              # permeate water mass flow [kg/s]
EL_AVERAGE_FLUX = 4                # permeate flow per area [m/s]
EL_BETA = 5                        # polarisation (wall/bulk) at the element outlet [-]
EL_NDP = 6                         # area-averaged net driving pressure [Pa]
EL_PRESSURE_DROP = 7               # feed-channel pressure drop [Pa]
EL_FEED_PRESSURE = 8               # feed pressure [Pa gauge]
EL_FEED_TOTAL_MOLALITY = 9         # [mol/kg]
EL_CONCENTRATE_TOTAL_MOLALITY = 10  # [mol/kg]
EL_MAX_FLUX = 11                   # largest local water flux [m/s]
EL_FEED_SOLUTE_MASS = 12           # solute mass flow into the element [kg/s]
EL_CONCENTRATE_SOLUTE_MASS = 13    # solute mass flow out with the concentrate [kg/s]
EL_OUTLET_FLUX = 14                # local water flux at the element outlet [m/s]
#: Names of the element columns, in column order
ELEMENT_FIELDS = ("feed_flow", "concentrate_flow", "permeate_flow", "permeate_water",
                  "average_flux", "beta", "ndp", "pressure_drop", "feed_pressure",
                  "feed_total_molality", "concentrate_total_molality", "max_flux",
                  "feed_solute_mass", "concentrate_solute_mass", "outlet_flux")
N_EL_FIELDS = len(ELEMENT_FIELDS)

#: Columns of the per-case pass totals ``Outputs.case[case, column]`` (all vessels)
CASE_FEED_VOLUME = 0               # membrane feed volume flow [m^3/s]
CASE_PERMEATE_VOLUME = 1           # permeate volume flow [m^3/s]
CASE_PERMEATE_WATER = 2            # permeate water mass flow [kg/s]
CASE_CONCENTRATE_WATER = 3         # concentrate water mass flow [kg/s]
CASE_CONCENTRATE_PRESSURE = 4      # concentrate pressure at the pass outlet [Pa gauge]
CASE_CONCENTRATE_VOLUME = 5        # concentrate volume flow [m^3/s]
#: Names of the case columns, in column order
CASE_FIELDS = ("feed_volume", "permeate_volume", "permeate_water", "concentrate_water",
               "concentrate_pressure", "concentrate_volume")
N_CASE_FIELDS = len(CASE_FIELDS)


#: Fixed charge of the polyamide active layer [mol/kg]: the largest concentration of ionised
#: carboxylic groups measured in the fully aromatic polyamide layers of commercial RO/NF
#: membranes, about 0.45 +- 0.25 mol/L (Coronell, Gonzalez, Marinas and Cahill 2010,
#: Environ. Sci. Technol. 44, 6808-6814, abstract).
FIXED_CHARGE = 0.45


@njit(cache=True)
def counter_ion_share(salt_concentration, fixed_charge):
    r"""Share of a permeate charge imbalance carried by the counter-ions (cations) [-].

    Ideal Donnan uptake of a 1:1 salt of concentration :math:`c` into a membrane of fixed
    negative charge :math:`X` gives counter-ions :math:`c_+ = X/2 + s` and co-ions
    :math:`c_- = -X/2 + s`, :math:`s = \sqrt{X^2/4 + c^2}`. The model assumes that the
    electric potential which makes the permeate electroneutral corrects each kind of ion in
    proportion to its uptake, so that the counter-ions carry the share

    .. math:: a = \frac{c_+}{c_+ + c_-} = \frac12 + \frac{X/2}{2\sqrt{X^2/4 + c^2}}

    of the correction: 1/2 (a geometric mean) when :math:`c \gg X` (seawater), 1 when
    :math:`c \ll X` (brackish water: the excluded co-ions set the salt passage and the
    counter-ions follow, which is why trace counter-ions such as Na+ in a Ca(HCO3)2 water pass
    more than in NaCl; Yaroshchuk 2008, Adv. Colloid Interface Sci. 139, 150-173).

    Parameters
    ----------
    salt_concentration : float
        Salt concentration at the membrane wall [mol/kg]; the engine passes half the total
        solute molality at the wall.
    fixed_charge : float
        Fixed negative charge of the active layer [mol/kg].

    Returns
    -------
    float
        Counter-ion share of the correction, between 1/2 and 1 [-].

    Examples
    --------
    >>> round(counter_ion_share(0.005, 0.45), 4), round(counter_ion_share(0.6, 0.45), 3)
    (0.9999, 0.676)
    """
    half = 0.5 * fixed_charge
    return 0.5 + 0.5 * half / math.sqrt(half * half + salt_concentration * salt_concentration)


# --------------------------------------------------------------------------------------
# Kernel bundles (N cases, E element positions, S stages, I solutes; SI units)
# --------------------------------------------------------------------------------------
class Feed(NamedTuple):
    """What enters the pass, per case."""

    water: np.ndarray            #: (N,) water mass flow [kg/s]
    solutes: np.ndarray          #: (N, I) solute flows [mol/s] (updated by PX mixing)
    temperature_row: np.ndarray  #: (N,) fractional temperature row of the property table
    molar_mass: np.ndarray       #: (I,) [kg/mol]
    charge: np.ndarray           #: (I,) charge numbers [-]


class Membrane(NamedTuple):
    """Membrane of each element position."""

    water_permeability: np.ndarray     #: (N, E) A at the feed temperature [m/(s Pa)]
    salt_permeability: np.ndarray      #: (N, E) salt B at the feed temperature [m/s]
    relative_permeability: np.ndarray  #: (N, E, I) B of each solute / salt B [-]
    area: np.ndarray                   #: (N, E) [m^2]


class Channel(NamedTuple):
    """Feed channel of each element position."""

    length: np.ndarray               #: (N, E) [m]
    width: np.ndarray                #: (N, E) feed-channel width [m]
    height: np.ndarray               #: (N, E) [m]
    porosity: np.ndarray             #: (N, E) spacer porosity [-]
    hydraulic_diameter: np.ndarray   #: (N, E) [m]
    fixed_pressure_drop: np.ndarray  #: (N, E) per element [Pa]; < 0: use the correlation
    correlation: int                 #: code of the correlation (transport.membrane)


class Layout(NamedTuple):
    """Stages, vessels and discretisation of the pass."""

    element_stage: np.ndarray      #: (E,) stage index of each position (int)
    vessels: np.ndarray            #: (N, S) vessels in parallel per stage
    booster_pressure: np.ndarray   #: (N, S) added before each stage [Pa]
    permeate_pressure: np.ndarray  #: (N, S) [Pa gauge]
    n_segments: int                #: segments per element


class Outputs(NamedTuple):
    """Arrays the march writes (columns: the ``EL_*`` and ``CASE_*`` constants)."""

    element: np.ndarray              #: (N, E, N_EL_FIELDS), per vessel
    element_solutes: np.ndarray      #: (N, E, I) permeate solute flows per vessel [mol/s]
    case: np.ndarray                 #: (N, N_CASE_FIELDS), pass totals
    concentrate_solutes: np.ndarray  #: (N, I) [mol/s], all vessels


def empty_outputs(n_case, n_elements, n_solutes) -> Outputs:
    """Zeroed :class:`Outputs` for a batch."""
    return Outputs(np.zeros((n_case, n_elements, N_EL_FIELDS)),
                   np.zeros((n_case, n_elements, n_solutes)),
                   np.zeros((n_case, N_CASE_FIELDS)), np.zeros((n_case, n_solutes)))


class _Site(NamedTuple):
    """One element position of one case, constant along the element (built in the kernel)."""

    water_permeability: float  # A [m/(s Pa)]
    salt_permeability: float   # B [m/s]
    width: float               # feed-channel width [m]
    height: float              # [m]
    porosity: float            # [-]
    hydraulic_diameter: float  # [m]
    fixed_gradient: float      # fixed pressure gradient [Pa/m]; < 0: from the correlation
    correlation: int           # code of the correlation (transport.membrane)
    temperature_row: float     # fractional temperature row of the property table
    pure_water: float          # water mass per volume of pure water [kg/m^3]
    group_of: np.ndarray       # (I,) permeability group of each solute
    group_b: np.ndarray        # (groups,) B of each group relative to the salt B


class _Work(NamedTuple):
    """Scratch arrays of a case (I solutes)."""

    molality: np.ndarray
    group_molality: np.ndarray
    group_passage: np.ndarray


@njit(cache=True)
def _local(site, table, feed, qw, n, dp, j_guess, work, js):
    """Local fluxes at one state of the feed channel (per unit membrane area).

    ``qw`` water flow [kg/s], ``n`` solute flows [mol/s] and ``dp`` transmembrane pressure
    [Pa] per vessel; ``j_guess`` a start for the flux. Solutes sharing a permeability
    (``site.group_of`` -> ``site.group_b``, relative to the salt B) share their passage, so
    the Newton iteration runs over groups. Fills ``js`` (solute fluxes [mol/(m^2 s)]);
    returns (J_w [m/s], dP/dx [Pa/m], NDP [Pa], beta [-], permeate water density
    [kg/m^3], total molality [mol/kg]).
    """
    mm = feed.molar_mass
    z = feed.charge
    group_of = site.group_of
    group_b = site.group_b
    t_frac = site.temperature_row
    m_step = table.m_step
    a_perm = site.water_permeability
    b_salt = site.salt_permeability
    d_h = site.hydraulic_diameter
    m = work.molality
    gm = work.group_molality
    gphi = work.group_passage
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
    n_t, n_m = table.density.shape
    it, im, wt, wm, _sq = table_cell(mt, t_frac, m_step, n_t, n_m)
    rho = table_at(table.density, it, im, wt, wm)
    cw = table_at(table.water_density, it, im, wt, wm)
    mu = table_at(table.viscosity, it, im, wt, wm)
    diff = table_at(table.diffusivity, it, im, wt, wm)
    q = qw * (1.0 + wsum) / rho
    u = q / (site.width * site.height * site.porosity)
    re = rho * u * d_h / mu
    if re < 1e-6:
        re = 1e-6
    sc = mu / (rho * diff)
    sh, fr = spacer_channel_scalar(site.correlation, re, sc)
    k = sh * diff / d_h
    inv_k = 1.0 / k
    if site.fixed_gradient >= 0.0:
        dpdx = site.fixed_gradient
    else:
        dpdx = channel_pressure_gradient_scalar(fr, rho, u, d_h)
    ratio = cw / site.pure_water
    if dp <= 0.0:
        for i in range(n_sp):
            js[i] = 0.0
        return 0.0, dpdx, dp, 1.0, site.pure_water, mt
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
            b_g = b_salt * group_b[g]
            ph = film_theory_passage_scalar(jw, b_g, e)
            dph = ph * jk1 / (jw + b_g * e)  # d(passage)/dJ_w, E = exp(J_w/k) included
            gphi[g] = ph
            mg = gm[g]
            mw += mg * wall_concentration_scalar(1.0, ph, e)
            dmw += mg * (dph * (1.0 - e) + (1.0 - ph) * e * inv_k)
            mp += mg * ph
            dmp += mg * dph
        mp *= ratio
        dmp *= ratio
        pi_w, s_w = table_value_slope(table.osmotic_pressure, mw, t_frac, m_step)
        pi_p, s_p = table_value_slope(table.osmotic_pressure, mp, t_frac, m_step)
        f = jw - water_flux_scalar(a_perm, dp, pi_w - pi_p, 1.0)
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
    # electroneutral permeate: the charge imbalance F = eq_-/eq_+ of the independent passages
    # is shared between cations (x F^a) and anions (x F^(a-1)) in the proportion of their
    # uptake in the negatively charged membrane (Donnan): a = 1/2 in concentrated feeds
    # (geometric mean), a -> 1 in dilute feeds, where the excluded co-ions (anions) set the
    # salt passage and the counter-ions follow (counter_ion_share)
    eq_c = 0.0
    eq_a = 0.0
    for i in range(n_sp):
        if z[i] > 0:
            eq_c += z[i] * gphi[group_of[i]] * m[i]
        elif z[i] < 0:
            eq_a -= z[i] * gphi[group_of[i]] * m[i]
    fc = 1.0
    fa = 1.0
    if eq_c > 0.0 and eq_a > 0.0:
        share = counter_ion_share(0.5 * mw, FIXED_CHARGE)
        ratio_eq = eq_a / eq_c
        fc = ratio_eq ** share
        fa = fc / ratio_eq
    jcw = jw * cw
    for i in range(n_sp):
        ph = gphi[group_of[i]]
        if z[i] > 0:
            ph *= fc
        elif z[i] < 0:
            ph *= fa
        js[i] = jcw * ph * m[i]
    it, im, wt, wm, _sq = table_cell(mp, t_frac, m_step, n_t, n_m)
    cwp = table_at(table.water_density, it, im, wt, wm)
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
def _stream_totals(qw, nv, mm):
    """Solute mass flow [kg/s] and total molality [mol/kg] of a stream of water ``qw``
    [kg/s] and solutes ``nv`` [mol/s]."""
    wsum = 0.0
    mt = 0.0
    for i in range(nv.shape[0]):
        wsum += nv[i] * mm[i]
        mt += nv[i] / qw
    return wsum, mt


@njit(cache=True)
def _march_case(c, p_feed, feed, membrane, channel, layout, table, write, out):
    """March case ``c`` through one pass at feed pressure ``p_feed`` [Pa gauge]; return the
    recovery (permeate over feed volume). Writes the element columns (``write``) and the
    pass totals into ``out``."""
    a_perm = membrane.water_permeability
    b_salt = membrane.salt_permeability
    brel = membrane.relative_permeability
    area = membrane.area
    length = channel.length
    d_h = channel.hydraulic_diameter
    el_stage = layout.element_stage
    n_vessels = layout.vessels
    n_seg = layout.n_segments
    mm = feed.molar_mass
    el_out = out.element
    el_perm_n = out.element_solutes
    n_el = area.shape[1]
    n_sp = feed.solutes.shape[1]
    tf = feed.temperature_row[c]
    m_step = table.m_step
    work = _Work(np.empty(n_sp), np.empty(n_sp), np.empty(n_sp))
    group_of = np.empty(n_sp, dtype=np.int64)
    group_b = np.empty(n_sp)
    n_g = 0
    cw0 = table_value(table.water_density, 0.0, tf, m_step)
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
    qw = feed.water[c] / vessels
    for i in range(n_sp):
        nv[i] = feed.solutes[c, i] / vessels
    p = p_feed + layout.booster_pressure[c, 0]  # a loss before the first stage is negative
    wsum = 0.0
    mt = 0.0
    for i in range(n_sp):
        wsum += nv[i] * mm[i]
        mt += nv[i] / qw
    feed_volume = qw * (1.0 + wsum / qw) / table_value(table.density, mt, tf, m_step) * vessels
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
            p += layout.booster_pressure[c, s]
            stage = s
        pp = layout.permeate_pressure[c, s]
        d_area = area[c, e] / n_seg
        d_len = length[c, e] / n_seg
        fdp = -1.0
        if channel.fixed_pressure_drop[c, e] >= 0.0:
            fdp = channel.fixed_pressure_drop[c, e] / length[c, e]
        if write:
            wsum, mt = _stream_totals(qw, nv, mm)
            el_out[c, e, EL_FEED_FLOW] = (qw + wsum) / table_value(table.density, mt, tf, m_step)
            el_out[c, e, EL_FEED_PRESSURE] = p
            el_out[c, e, EL_FEED_TOTAL_MOLALITY] = mt
            el_out[c, e, EL_FEED_SOLUTE_MASS] = wsum
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
        site = _Site(a_perm[c, e], b_salt[c, e], channel.width[c, e], channel.height[c, e],
                     channel.porosity[c, e], d_h[c, e], fdp, channel.correlation, tf, cw0,
                     group_of, group_b[:n_g])
        for _seg in range(n_seg):
            j1, dpdx1, ndp1, beta1, cwp1, mt1 = _local(site, table, feed, qw, nv, p - pp, jw,
                                                       work, js1)
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
                j2, dpdx2, ndp2, beta2, cwp2, mt2 = _local(site, table, feed, qmid, nmid,
                                                           pmid - pp, j1, work, js2)
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
            wsum, mt = _stream_totals(qw, nv, mm)
            el_out[c, e, EL_CONCENTRATE_FLOW] = (qw + wsum) / table_value(table.density, mt,
                                                                          tf, m_step)
            el_out[c, e, EL_PERMEATE_FLOW] = el_pv
            el_out[c, e, EL_PERMEATE_WATER] = el_pw
            el_out[c, e, EL_AVERAGE_FLUX] = el_pv / area[c, e]
            # beta at the concentrate end: polarisation at the element outlet state
            jo, _d, _n, beta_out, _c, _m = _local(site, table, feed, qw, nv, p - pp, jw, work,
                                                  js1)
            el_out[c, e, EL_BETA] = beta_out
            el_out[c, e, EL_NDP] = ndp_sum / area[c, e]
            el_out[c, e, EL_PRESSURE_DROP] = p_in - p
            el_out[c, e, EL_CONCENTRATE_TOTAL_MOLALITY] = mt
            el_out[c, e, EL_MAX_FLUX] = jmax
            el_out[c, e, EL_CONCENTRATE_SOLUTE_MASS] = wsum
            el_out[c, e, EL_OUTLET_FLUX] = jo
    # the pass totals are always written (the solver reads them after every march)
    wsum, mt = _stream_totals(qw, nv, mm)
    for i in range(n_sp):
        out.concentrate_solutes[c, i] = nv[i] * vessels
    case_out = out.case
    case_out[c, CASE_FEED_VOLUME] = feed_volume
    case_out[c, CASE_PERMEATE_VOLUME] = perm_volume
    case_out[c, CASE_PERMEATE_WATER] = perm_water
    case_out[c, CASE_CONCENTRATE_WATER] = qw * vessels
    case_out[c, CASE_CONCENTRATE_PRESSURE] = p
    case_out[c, CASE_CONCENTRATE_VOLUME] = ((qw + wsum) / table_value(table.density, mt, tf,
                                                                      m_step) * vessels)
    return perm_volume / feed_volume


@njit(cache=True, parallel=True)
def march_batch(p_feed, feed, membrane, channel, layout, table, out):
    """March every case at its feed pressure ``p_feed`` (N,) [Pa gauge] (results in ``out``)."""
    for c in prange(feed.water.shape[0]):
        _march_case(c, p_feed[c], feed, membrane, channel, layout, table, True, out)


@njit(cache=True)
def march_serial(p_feed, feed, membrane, channel, layout, table, out):
    """Serial twin of :func:`march_batch` (no thread start-up cost for a few cases)."""
    for c in range(feed.water.shape[0]):
        _march_case(c, p_feed[c], feed, membrane, channel, layout, table, True, out)


__all__ = ["Feed", "Membrane", "Channel", "Layout", "PropertyTable", "Outputs",
           "empty_outputs", "march_batch", "march_serial", "ELEMENT_FIELDS", "CASE_FIELDS",
           "N_EL_FIELDS", "N_CASE_FIELDS", "EL_FEED_FLOW", "EL_CONCENTRATE_FLOW",
           "EL_PERMEATE_FLOW", "EL_PERMEATE_WATER", "EL_AVERAGE_FLUX", "EL_BETA", "EL_NDP",
           "EL_PRESSURE_DROP", "EL_FEED_PRESSURE", "EL_FEED_TOTAL_MOLALITY",
           "EL_CONCENTRATE_TOTAL_MOLALITY", "EL_MAX_FLUX", "EL_FEED_SOLUTE_MASS",
           "EL_CONCENTRATE_SOLUTE_MASS", "EL_OUTLET_FLUX", "CASE_FEED_VOLUME",
           "CASE_PERMEATE_VOLUME", "CASE_PERMEATE_WATER", "CASE_CONCENTRATE_WATER", "CASE_CONCENTRATE_PRESSURE",
           "CASE_CONCENTRATE_VOLUME"]
