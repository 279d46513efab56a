"""Kinetic theory and statistical mechanics for the simulated particles (reduced units).

Chapman-Enskog interdiffusion with collision integrals of the potential actually simulated,
the Enskog dense-gas factor, the second virial coefficient and van 't Hoff's law.

All functions work in reduced Lennard-Jones units: length sigma, energy epsilon, mass m,
k_B = 1. Pair potentials are named like in :class:`osmolab.particles.system.ParticleSystem`:
"wca" (LJ cut and shifted at 2^(1/6) sigma), "lj" (LJ cut at 2.5 sigma), "soft"
(epsilon (sigma/r)^12 cut and shifted at 1.5 sigma).
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy.special import roots_genlaguerre, roots_legendre

from ..errors import InputError

#: Neufeld, Janzen and Aziz (1972) fit of the LJ diffusion collision integral Omega(1,1)*.
NEUFELD_OMEGA_D = (1.06036, 0.15610, 0.19300, 0.47635, 1.03587, 1.52996, 1.76474, 3.89411)

_CUTOFF = {"wca": 2.0 ** (1.0 / 6.0), "lj": 2.5, "soft": 1.5}


def pair_potential(r, potential="wca"):
    """Reduced pair potential u(r) [epsilon] for sigma = epsilon = 1 (cut and shifted).

    Examples
    --------
    >>> round(float(pair_potential(1.0, "wca")), 6)
    1.0
    """
    if potential not in _CUTOFF:
        raise InputError(f"unknown potential {potential!r}; use one of {list(_CUTOFF)}")
    r = np.asarray(r, dtype=float)
    rc = _CUTOFF[potential]
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        if potential == "soft":
            u = r**-12.0 - rc**-12.0
        else:
            u = 4.0 * (r**-12.0 - r**-6.0) - 4.0 * (rc**-12.0 - rc**-6.0)
    return np.where(r < rc, u, 0.0)


def omega11_Neufeld(reduced_temperature):
    r"""Diffusion collision integral Omega(1,1)* of the Lennard-Jones 12-6 potential.

    Parameters
    ----------
    reduced_temperature : numeric
        T* = k T / epsilon [-], valid 0.3 <= T* <= 100.

    Returns
    -------
    numeric
        Omega(1,1)* [-] (1 for hard spheres).

    Notes
    -----
    .. math:: \Omega^* = A/T^{*B} + C e^{-D T^*} + E e^{-F T^*} + G e^{-H T^*}

    References
    ----------
    .. [1] Neufeld, P. D., Janzen, A. R. and Aziz, R. A., 1972, Empirical equations to
       calculate 16 of the transport collision integrals Omega(l,s)* for the Lennard-Jones
       (12-6) potential, J. Chem. Phys. 57, 1100-1102.

    Examples
    --------
    >>> round(float(omega11_Neufeld(1.0)), 4)
    1.4405
    """
    a, b, c, d, e, f, g, h = NEUFELD_OMEGA_D
    t = np.asarray(reduced_temperature, dtype=float)
    return a / t**b + c * np.exp(-d * t) + e * np.exp(-f * t) + g * np.exp(-h * t)


def _deflection(b, energy, potential, rc, nodes, weights):
    """Classical deflection angle chi(b, E) for arrays b, E (same shape)."""
    b = np.asarray(b, dtype=float)
    energy = np.asarray(energy, dtype=float)

    def f(r):
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            return 1.0 - (b / r) ** 2 - pair_potential(r, potential) / energy

    # outermost turning point: scan inwards from max(b, rc) for the first F < 0, then bisect
    r_hi = np.maximum(b, rc) * (1.0 + 1e-12)
    grid = np.linspace(1.0, 0.05, 200)
    hi = r_hi.copy()
    lo = np.full_like(hi, np.nan)
    found = np.zeros(hi.shape, dtype=bool)
    prev = r_hi.copy()
    for g in grid[1:]:
        r = r_hi * g
        neg = (f(r) < 0) & ~found
        lo[neg] = r[neg]
        hi[neg] = prev[neg]
        found |= neg
        prev = r
        if found.all():
            break
    lo = np.where(found, lo, hi)  # F >= 0 everywhere: the turning point is at r_hi (no force)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        neg = f(mid) < 0
        lo = np.where(neg, mid, lo)
        hi = np.where(neg, hi, mid)
    r0 = hi
    # chi = pi - 2 (b / r0) int_0^1 du / sqrt(F(r0/u)),  u = 1 - s^2
    s = nodes[:, None] if b.ndim == 0 else nodes.reshape((-1,) + (1,) * b.ndim)
    u = 1.0 - s**2
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        r = r0 / u
        val = 1.0 - (b / r) ** 2 - pair_potential(r, potential) / energy
        integrand = 2.0 * s / np.sqrt(np.maximum(val, 1e-300))
    w = weights if b.ndim == 0 else weights.reshape((-1,) + (1,) * b.ndim)
    integral = np.sum(w * integrand, axis=0)
    return np.pi - 2.0 * (b / r0) * integral


@functools.lru_cache(maxsize=256)
def _omega11_numeric(reduced_temperature: float, potential: str) -> float:
    rc = _CUTOFF[potential]
    bmax = rc if potential != "lj" else 2.5
    x, wx = roots_genlaguerre(32, 2.0)  # energy E = x T*, weight x^2 e^-x
    sb, wb = roots_legendre(96)
    b = 0.5 * bmax * (sb + 1.0)
    wb = 0.5 * bmax * wb
    su, wu = roots_legendre(64)
    su = 0.5 * (su + 1.0)
    wu = 0.5 * wu
    energy = x[:, None] * reduced_temperature * np.ones_like(b)[None, :]
    bb = np.ones_like(x)[:, None] * b[None, :]
    chi = _deflection(bb, energy, potential, rc, su, wu)
    q = 2.0 * np.sum(wb[None, :] * (1.0 - np.cos(chi)) * b[None, :], axis=1)  # Q(1) / (pi sigma^2)
    return float(0.5 * np.sum(wx * q))


def omega11(reduced_temperature, potential="wca"):
    r"""Diffusion collision integral Omega(1,1)* of a simulated pair potential.

    For "wca" and "soft" it is computed from classical scattering: the deflection angle
    chi(b, E), the momentum-transfer cross-section Q(1)(E) and its thermal average; "lj"
    uses the Neufeld et al. fit (the 2.5 sigma cut barely matters in a dilute gas).

    Parameters
    ----------
    reduced_temperature : numeric
        T* = k T / epsilon_ij [-].
    potential : {"wca", "soft", "lj"}

    Returns
    -------
    numeric
        Omega(1,1)* relative to hard spheres of diameter sigma_ij [-].

    Notes
    -----
    .. math::

        \chi = \pi - 2 b \int_{r_0}^\infty \frac{dr}{r^2\sqrt{1 - b^2/r^2 - u(r)/E}},\quad
        Q^{(1)} = 2\pi\int_0^\infty (1-\cos\chi)\, b\, db,\quad
        \Omega^{(1,1)*} = \frac{1}{2}\int_0^\infty x^2 e^{-x}\,
        \frac{Q^{(1)}(x k T)}{\pi\sigma^2}\,dx

    (Hirschfelder, Curtiss and Bird 1954, eqs. 8.2-5 and 8.2-9; Gauss-Laguerre in x,
    Gauss-Legendre in b and in the substituted radial integral.)

    References
    ----------
    .. [1] Hirschfelder, J. O., Curtiss, C. F. and Bird, R. B., 1954, Molecular Theory of
       Gases and Liquids, Wiley, chapter 8.

    Examples
    --------
    >>> round(float(omega11(1.0, "wca")), 3)
    0.946
    """
    if potential == "lj":
        return omega11_Neufeld(reduced_temperature)
    if potential not in _CUTOFF:
        raise InputError(f"unknown potential {potential!r}; use one of {list(_CUTOFF)}")
    t = np.asarray(reduced_temperature, dtype=float)
    if np.any(~np.isfinite(t)) or np.any(t <= 0):
        raise InputError(f"reduced temperature must be positive, got {reduced_temperature}")
    out = np.vectorize(lambda v: _omega11_numeric(float(v), potential))(t)
    return float(out) if out.ndim == 0 else out


def omega11_numeric_lj(reduced_temperature: float, cutoff: float = 8.0) -> float:
    """Omega(1,1)* of the LJ potential by the same quadrature (checks it against Neufeld)."""
    saved = _CUTOFF["lj"]
    try:
        _CUTOFF["lj"] = cutoff
        rc = cutoff
        x, wx = roots_genlaguerre(32, 2.0)
        sb, wb = roots_legendre(160)
        b = 0.5 * rc * (sb + 1.0)
        wb = 0.5 * rc * wb
        su, wu = roots_legendre(96)
        su, wu = 0.5 * (su + 1.0), 0.5 * wu
        energy = x[:, None] * reduced_temperature * np.ones_like(b)[None, :]
        bb = np.ones_like(x)[:, None] * b[None, :]
        chi = _deflection(bb, energy, "lj", rc, su, wu)
        q = 2.0 * np.sum(wb[None, :] * (1.0 - np.cos(chi)) * b[None, :], axis=1)
        return float(0.5 * np.sum(wx * q))
    finally:
        _CUTOFF["lj"] = saved


def Barker_Henderson_diameter(reduced_temperature, potential="wca"):
    r"""Hard-sphere diameter equivalent to a repulsive potential [sigma].

    .. math:: d = \int_0^{r_c} \left(1 - e^{-u(r)/kT}\right) dr

    References
    ----------
    .. [1] Barker, J. A. and Henderson, D., 1967, Perturbation theory and equation of state
       for fluids. II. A successful theory of liquids, J. Chem. Phys. 47, 4714-4721.

    Examples
    --------
    >>> round(Barker_Henderson_diameter(1.0, "wca"), 3)
    1.016
    """
    rc = _CUTOFF[potential] if potential != "lj" else 2.0 ** (1.0 / 6.0)
    pot = potential if potential != "lj" else "wca"  # repulsive part (WCA split)
    s, w = roots_legendre(200)
    r = 0.5 * rc * (s + 1.0)
    with np.errstate(over="ignore"):
        integrand = 1.0 - np.exp(-pair_potential(r, pot) / reduced_temperature)
    return float(0.5 * rc * np.sum(w * integrand))


def contact_value_Carnahan_Starling(packing_fraction):
    r"""Hard-sphere radial distribution at contact g(sigma) (Carnahan-Starling).

    .. math:: g(\sigma) = \frac{1 - \eta/2}{(1-\eta)^3}

    References
    ----------
    .. [1] Carnahan, N. F. and Starling, K. E., 1969, Equation of state for nonattracting
       rigid spheres, J. Chem. Phys. 51, 635-636.

    Examples
    --------
    >>> round(contact_value_Carnahan_Starling(0.1), 4)
    1.3032
    """
    eta = np.asarray(packing_fraction, dtype=float)
    out = (1.0 - 0.5 * eta) / (1.0 - eta) ** 3
    return float(out) if out.ndim == 0 else out


def interdiffusion_Chapman_Enskog(number_density, temperature, mass_a=1.0, mass_b=1.0,
                                  sigma_ab=1.0, epsilon_ab=1.0, potential="wca", dim=3,
                                  enskog=True):
    r"""Interdiffusion coefficient D_AB of two particle species (reduced units).

    First Chapman-Enskog approximation with the collision integral of the simulated
    potential, optionally divided by the Enskog contact value g(d) of hard spheres of the
    Barker-Henderson diameter d (Carnahan-Starling).

    Parameters
    ----------
    number_density : numeric
        Total number density n [1/sigma^dim].
    temperature : numeric
        k T [epsilon].
    mass_a, mass_b : float
        Particle masses [m].
    sigma_ab, epsilon_ab : float
        Cross diameter and well depth of the pair potential [sigma], [epsilon].
    potential : {"wca", "soft", "lj"}
    dim : {2, 3}
        3: Chapman-Enskog for spheres. 2: hard discs of the Barker-Henderson diameter
        (Gass 1971), an approximation.
    enskog : bool
        Apply the Enskog dense-gas factor 1/g(d).

    Returns
    -------
    numeric
        D_AB [sigma^2 / time], time = sigma sqrt(m/epsilon).

    Notes
    -----
    .. math::

        D_{AB} = \frac{3}{8 n \sigma_{AB}^2 \Omega^{(1,1)*}(T^*)}
                 \sqrt{\frac{kT}{2\pi\mu}}\;\frac{1}{g(d)},\qquad
        \mu = \frac{m_A m_B}{m_A + m_B}

    In 2-D: :math:`D = \frac{1}{2 n d}\sqrt{kT/(2\pi\mu)}/g_2(d)` with the Henderson
    contact value :math:`g_2 = (1 - 7\eta/16)/(1-\eta)^2`.

    References
    ----------
    .. [1] Chapman, S. and Cowling, T. G., 1970, The Mathematical Theory of Non-uniform
       Gases, 3rd ed., Cambridge University Press, eq. 14.1.
    .. [2] Gass, D. M., 1971, Enskog theory for a rigid disk fluid, J. Chem. Phys. 54,
       1898-1902.

    Examples
    --------
    >>> round(float(interdiffusion_Chapman_Enskog(0.05, 1.0, enskog=False)), 3)
    4.474
    """
    n = np.asarray(number_density, dtype=float)
    kt = np.asarray(temperature, dtype=float)
    if np.any(n <= 0) or np.any(kt <= 0):
        raise InputError("number density and temperature must be positive")
    mu = mass_a * mass_b / (mass_a + mass_b)
    tstar = kt / epsilon_ab
    d = sigma_ab * np.vectorize(lambda t: Barker_Henderson_diameter(float(t), potential))(tstar)
    speed = np.sqrt(kt / (2.0 * np.pi * mu))
    if dim == 3:
        dilute = 3.0 / (8.0 * n * sigma_ab**2 * omega11(tstar, potential)) * speed
        g = contact_value_Carnahan_Starling(np.pi * n * d**3 / 6.0) if enskog else 1.0
    elif dim == 2:
        dilute = 1.0 / (2.0 * n * d) * speed
        eta = np.pi * n * d**2 / 4.0
        g = (1.0 - 7.0 * eta / 16.0) / (1.0 - eta) ** 2 if enskog else 1.0
    else:
        raise InputError(f"dim must be 2 or 3, got {dim}")
    out = dilute / g
    return float(out) if np.ndim(out) == 0 else out


def second_virial(temperature, potential_function, dim=3, r_max=None):
    r"""Second virial coefficient B2 of a pair potential [sigma^dim].

    Parameters
    ----------
    temperature : float
        k T [epsilon].
    potential_function : callable
        u(r) [epsilon], vectorised, zero beyond ``r_max``.
    dim : {2, 3}
    r_max : float
        Range of the potential [sigma] (default 5).

    Notes
    -----
    .. math:: B_2 = -2\pi \int_0^\infty \left(e^{-u(r)/kT} - 1\right) r^2\, dr \quad (3D)

    (In 2-D: :math:`-\pi\int (e^{-u/kT}-1)\, r\, dr`.) Hard spheres: :math:`2\pi\sigma^3/3`.

    References
    ----------
    .. [1] McQuarrie, D. A., 1976, Statistical Mechanics, Harper & Row, eq. 12-23.

    Examples
    --------
    >>> round(second_virial(1.0, lambda r: pair_potential(r, "wca")), 3)
    2.205
    """
    r_max = 5.0 if r_max is None else r_max
    # composite Simpson on a fine grid: robust for steep cores and cut-offs (kinks, steps)
    r = np.linspace(0.0, r_max, 40001)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        u = np.asarray(potential_function(np.maximum(r, 1e-9)), dtype=float)
        mayer = np.where(np.isfinite(u), np.exp(-np.where(np.isfinite(u), u, 0.0) / temperature), 0.0) - 1.0
    mayer[u == np.inf] = -1.0
    integrand = mayer * (r**2 if dim == 3 else r)
    h = r[1] - r[0]
    total = h / 3.0 * (integrand[0] + integrand[-1] + 4.0 * integrand[1:-1:2].sum() + 2.0 * integrand[2:-1:2].sum())
    return float(-2.0 * math.pi * total if dim == 3 else -math.pi * total)


def van_t_hoff(number_density, temperature):
    r"""Van 't Hoff osmotic pressure of an ideal dilute solute, Pi = n k T.

    Parameters
    ----------
    number_density : numeric
        Solute number density [1/sigma^dim] (or [1/m^3]).
    temperature : numeric
        k T [epsilon] (or [J]).

    Returns
    -------
    numeric
        Osmotic pressure [epsilon/sigma^dim] (or [Pa]).

    References
    ----------
    .. [1] van 't Hoff, J. H., 1887, Die Rolle des osmotischen Druckes in der Analogie
       zwischen Lösungen und Gasen, Z. Phys. Chem. 1, 481-508.

    Examples
    --------
    >>> van_t_hoff(0.02, 1.5)
    0.03
    """
    return np.asarray(number_density) * np.asarray(temperature) if np.ndim(number_density) else number_density * temperature


def osmotic_pressure_virial(number_density, temperature, b2):
    r"""Osmotic pressure to second order in the solute density: n k T (1 + B2 n).

    Examples
    --------
    >>> round(osmotic_pressure_virial(0.1, 1.0, 2.2), 3)
    0.122
    """
    return number_density * temperature * (1.0 + b2 * number_density)
