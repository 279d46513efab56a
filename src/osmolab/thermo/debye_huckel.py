r"""Electrostatics of aqueous electrolytes: permittivity of water, Debye-Huckel slope, J(x).

The long-range pieces of the Pitzer model (:mod:`osmolab.thermo.pitzer`): the relative
permittivity of water of Bradley & Pitzer (1979), the Debye-Huckel osmotic slope
:math:`A_\phi(T)` and the electrostatic mixing integral :math:`J(x)` of the unsymmetrical
mixing terms (Pitzer 1975), by Harvie's Chebyshev expansion in a Numba kernel.
"""

from __future__ import annotations

import numba
import numpy as np

from ..constants import ELEMENTARY_CHARGE, N_A, k_B
from ..errors import InputError
from .water import density_Kell

__all__ = ["Debye_Huckel_slope", "J_Harvie", "dielectric_constant_Bradley_Pitzer"]

#: Temperatures [K] accepted by the correlations here: the Bradley & Pitzer fit (273-623 K)
#: extended down to supercooled water (the Pitzer model accepts 250 K); outside it the
#: permittivity has a pole (182.9 K) or turns negative.
TEMPERATURE_RANGE = (240.0, 623.15)


def _temperature(temperature):
    """Temperature as a float array [K]; InputError unless finite and in TEMPERATURE_RANGE."""
    try:
        t = np.asarray(temperature, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"temperature must be a number [K], got {temperature!r}") from None
    lo, hi = TEMPERATURE_RANGE
    if t.size and (not np.all(np.isfinite(t)) or t.min() < lo or t.max() > hi):
        raise InputError(
            f"temperature must be finite and within {lo:g}-{hi:g} K (liquid water) for the "
            f"permittivity of water (Bradley & Pitzer 1979), got {temperature!r}"
        )
    return t


# --------------------------------------------------------------------------------------
# Debye-Huckel slope
# --------------------------------------------------------------------------------------
def dielectric_constant_Bradley_Pitzer(temperature, pressure=1.01325):
    r"""Relative permittivity of liquid water, Bradley & Pitzer (1979).

    Parameters
    ----------
    temperature : numeric
        Temperature [K], fitted 273-623 K.
    pressure : numeric, default 1.01325
        Pressure [bar].

    Returns
    -------
    numeric
        Dielectric constant of water [-].

    Notes
    -----
    .. math:: \varepsilon = \varepsilon_{1000} + C \ln\frac{B + P}{B + 1000},\quad
              \varepsilon_{1000} = U_1 e^{U_2 T + U_3 T^2},\quad
              C = U_4 + \frac{U_5}{U_6 + T},\quad B = U_7 + \frac{U_8}{T} + U_9 T

    with U1..U9 = 342.79, -5.0866e-3, 9.4690e-7, -2.0525, 3115.9, -182.89, -8032.5,
    4.2142e6, 2.1417 (P in bar).

    References
    ----------
    .. [1] Bradley, D. J. and Pitzer, K. S., 1979, Thermodynamics of electrolytes. 12.
       Dielectric properties of water and Debye-Hueckel parameters to 350 degC and 1 kbar,
       J. Phys. Chem. 83(12), 1599-1603.

    Examples
    --------
    >>> round(float(dielectric_constant_Bradley_Pitzer(298.15)), 2)
    78.38
    """
    t = _temperature(temperature)
    try:
        p = np.asarray(pressure, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"pressure must be a number [bar], got {pressure!r}") from None
    if p.size and (not np.all(np.isfinite(p)) or p.min() < 0 or p.max() > 5000.0):
        raise InputError(
            f"pressure must be finite and within 0-5000 bar (Bradley & Pitzer fit to 1 kbar), "
            f"got {pressure!r}"
        )
    pressure = p
    eps1000 = 342.79 * np.exp(-5.0866e-3 * t + 9.4690e-7 * t * t)
    c = -2.0525 + 3115.9 / (t - 182.89)
    b = -8032.5 + 4.2142e6 / t + 2.1417 * t
    return eps1000 + c * np.log((b + pressure) / (b + 1000.0))


def Debye_Huckel_slope(temperature):
    r"""Debye-Huckel slope for the osmotic coefficient, :math:`A_\phi` [kg^0.5/mol^0.5].

    Parameters
    ----------
    temperature : numeric
        Temperature [K], 273-423 K (water density of Kell 1975 at 1 atm).

    Returns
    -------
    numeric
        :math:`A_\phi` [(kg/mol)^0.5].

    Notes
    -----
    .. math:: A_\phi = \frac{1}{3}\sqrt{2\pi N_A \rho_w}
              \left(\frac{e^2}{4\pi\varepsilon_0\varepsilon k_B T}\right)^{3/2}

    with the permittivity :math:`\varepsilon` of Bradley & Pitzer (1979) and the density
    :math:`\rho_w` [kg/m^3] of Kell (1975). At 25 degC this gives 0.39145, against 0.3915
    tabulated by Pitzer (1991) and 0.392 used by Harvie et al. (1984).

    References
    ----------
    .. [1] Pitzer, K. S., 1991, Ion interaction approach: theory and data correlation, in
       Activity Coefficients in Electrolyte Solutions, 2nd ed., CRC Press, ch. 3.
    .. [2] Bradley, D. J. and Pitzer, K. S., 1979, J. Phys. Chem. 83(12), 1599-1603.

    Examples
    --------
    >>> round(float(Debye_Huckel_slope(298.15)), 4)
    0.3914
    """
    t = _temperature(temperature)
    epsilon_0 = 8.8541878128e-12
    bjerrum = ELEMENTARY_CHARGE**2 / (
        4.0 * np.pi * epsilon_0 * dielectric_constant_Bradley_Pitzer(t) * k_B * t
    )
    return np.sqrt(2.0 * np.pi * N_A * density_Kell(t)) * bjerrum**1.5 / 3.0


# --------------------------------------------------------------------------------------
# unsymmetrical mixing: J(x) by Harvie's Chebyshev approximation
# --------------------------------------------------------------------------------------
# Chebyshev coefficients of Harvie (1981), as tabulated by Pitzer (1991, Appendix B); checked
# against direct quadrature of J(x) = x^-1 int_0^inf (1 + q + q^2/2 - e^q) y^2 dy,
# q = -(x/y) e^-y, to 1e-9 (see tests/test_pitzer.py).
_J_LOW = np.array([
    1.925154014814667, -0.060076477753119, -0.029779077456514, -0.007299499690937,
    0.000388260636404, 0.000636874599598, 0.000036583601823, -0.000045036975204,
    -0.000004537895710, 0.000002937706971, 0.000000396566462, -0.000000202099617,
    -0.000000025267769, 0.000000013522610, 0.000000001229405, -0.000000000821969,
    -0.000000000050847, 0.000000000046333, 0.000000000001943, -0.000000000002563,
    -0.000000000010991,
])  # fmt: skip
_J_HIGH = np.array([
    0.628023320520852, 0.462762985338493, 0.150044637187895, -0.028796057604906,
    -0.036552745910311, -0.001668087945272, 0.006519840398744, 0.001130378079086,
    -0.000887171310131, -0.000242107641309, 0.000087294451594, 0.000034682122751,
    -0.000004583768938, -0.000003548684306, -0.000000250453880, 0.000000216991779,
    0.000000080779570, 0.000000004558555, -0.000000006944757, -0.000000002849257,
    0.000000000237816,
])  # fmt: skip


def J_Harvie(x):
    r"""The electrostatic mixing integral :math:`J(x)` and its derivative :math:`J'(x)`.

    Parameters
    ----------
    x : numeric
        :math:`x_{ij} = 6 z_i z_j A_\phi \sqrt{I}` [-], x >= 0.

    Returns
    -------
    tuple of numeric
        ``(J, dJ/dx)``.

    Notes
    -----
    For :math:`x \le 1`, :math:`z = 4x^{1/5} - 2`; otherwise :math:`z = \tfrac{40}{9}
    x^{-1/10} - \tfrac{22}{9}`. With the Clenshaw recursions
    :math:`b_k = z b_{k+1} - b_{k+2} + a_k`, :math:`d_k = b_{k+1} + z d_{k+1} - d_{k+2}`:
    :math:`J = x/4 - 1 + (b_0 - b_2)/2` and :math:`J' = 1/4 + (dz/dx)(d_0 - d_2)/2`.

    References
    ----------
    .. [1] Pitzer, K. S., 1975, Thermodynamics of electrolytes. V. Effects of higher-order
       electrostatic terms, J. Solution Chem. 4(3), 249-265.
    .. [2] Harvie, C. E., 1981, PhD thesis, University of California, San Diego; coefficients
       tabulated in Pitzer (1991), Activity Coefficients in Electrolyte Solutions, App. B.

    Examples
    --------
    >>> round(float(J_Harvie(1.0)[0]), 6)
    0.116437
    """
    try:
        x = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"x must be a number >= 0, got {x!r}") from None
    if x.size and not np.all(np.isfinite(x)):
        raise InputError("x must be finite (x = 6 z_i z_j A_phi sqrt(I) >= 0)")
    flat = np.ascontiguousarray(x.reshape(-1))
    j = np.empty_like(flat)
    dj = np.empty_like(flat)
    _j_kernel(flat, _J_LOW, _J_HIGH, j, dj)
    return j.reshape(x.shape), dj.reshape(x.shape)


@numba.njit(cache=True, inline="always")
def j_chebyshev(x, fifth, tenth, low, high):  # pragma: no cover - compiled
    """Harvie's J(x) and dJ/dx for one x > 0 from the Chebyshev sums of :func:`J_Harvie`,
    given ``fifth`` = x^(1/5) and ``tenth`` = x^(-1/10) (callers that evaluate several x of
    the same ionic strength share those powers); ``low``/``high`` the two coefficient sets."""
    if x <= 1.0:
        z = 4.0 * fifth - 2.0
        dz = 0.8 * fifth / x  # 0.8 x^-0.8
        a = low
    else:
        z = 40.0 / 9.0 * tenth - 22.0 / 9.0
        dz = -4.0 / 9.0 * tenth / x  # -4/9 x^-1.1
        a = high
    b0 = b1 = b2 = d0 = d1 = d2 = 0.0
    for k in range(20, -1, -1):
        b2 = b1
        b1 = b0
        d2 = d1
        d1 = d0
        b0 = z * b1 - b2 + a[k]
        d0 = b1 + z * d1 - d2
    return 0.25 * x - 1.0 + 0.5 * (b0 - b2), 0.25 + 0.5 * dz * (d0 - d2)


@numba.njit(cache=True)
def _j_kernel(x, low, high, j, dj):  # pragma: no cover - compiled
    for i in range(x.size):
        xi = x[i]
        if xi <= 0.0:
            j[i] = 0.0
            dj[i] = 0.0
        else:
            j[i], dj[i] = j_chebyshev(xi, xi**0.2, xi**-0.1, low, high)
