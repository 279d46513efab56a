"""Thermophysical properties of seawater (Sharqawy, Lienhard & Zubair 2010).

Salinity here is the absolute salinity as a mass fraction of dissolved salts [kg/kg]
(35 g/kg is 0.035). Temperatures are in kelvin.

References
----------
.. [1] Sharqawy, M. H., Lienhard, J. H. and Zubair, S. M., 2010, Thermophysical properties
   of seawater: a review of existing correlations and data, Desalination and Water
   Treatment 16, 354-380.
.. [2] Millero, F. J., Feistel, R., Wright, D. G. and McDougall, T. J., 2008, The composition
   of Standard Seawater and the definition of the Reference-Composition Salinity Scale,
   Deep-Sea Research I 55, 50-72.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..constants import M_WATER, T0, R
from ..errors import InputError, ModelRangeWarning
from .water import density_Kell, viscosity_Sharqawy

#: Mean molar mass of sea salt of reference composition [kg/mol] (Millero et al. 2008)
M_SEA_SALT = 0.0314038

#: Range of the osmotic-coefficient correlation: salinity [kg/kg] and temperature [K]
OSMOTIC_RANGE = {"salinity": (0.0, 0.120), "temperature": (273.15, 393.15)}

_PHI = (0.89453, 4.1561e-4, -4.6262e-6, 2.2211e-11, -0.11445, -1.4783e-3, -1.3526e-8,
        7.0132, 5.696e-2, -2.8624e-4)


def _check(salinity, temperature, name, hard_limit=0.3):
    salinity = np.asarray(salinity, dtype=float)
    temperature = np.asarray(temperature, dtype=float)
    if np.any(~np.isfinite(salinity)) or np.any(salinity < 0):
        raise InputError(f"{name}: salinity must be a finite mass fraction >= 0 [kg/kg]")
    if np.any(salinity > hard_limit):
        raise InputError(
            f"{name}: salinity {float(np.max(salinity)) * 1e3:.0f} g/kg is far outside the "
            f"seawater correlations (0-120 g/kg); use model='pitzer' with an ion composition"
        )
    if np.any(~np.isfinite(temperature)) or np.any(temperature <= 0):
        raise InputError(f"{name}: temperature must be a positive number of kelvin")
    return salinity, temperature


def salinity_to_molality(salinity):
    """Molality of sea salt [mol/kg water] for a salinity [kg/kg].

    Notes
    -----
    :math:`m = S / ((1 - S) M_S)` with :math:`M_S` = 31.4038 g/mol [2]_.

    Examples
    --------
    >>> round(float(salinity_to_molality(0.035)), 4)
    1.1549
    """
    salinity = np.asarray(salinity, dtype=float)
    return salinity / ((1.0 - salinity) * M_SEA_SALT)


def density(salinity, temperature):
    r"""Density of seawater at 1 atm, Sharqawy et al. (2010) eq. (8).

    Parameters
    ----------
    salinity : numeric
        Absolute salinity [kg/kg], valid 0–0.16.
    temperature : numeric
        Temperature [K], valid 273–453 K.

    Returns
    -------
    numeric
        Density [kg/m^3].

    Notes
    -----
    .. math:: \rho_{sw} = \rho_w + S(802.0 - 2.001 t + 1.677\times10^{-2} t^2
              - 3.060\times10^{-5} t^3 - 1.613\times10^{-5} S t^2)

    with :math:`\rho_w` of pure water from Kell (1975) in place of the paper's own fit
    (they agree within 0.01 %).

    Examples
    --------
    >>> round(float(density(0.035, 298.15)), 1)
    1023.7
    """
    salinity, temperature = _check(salinity, temperature, "seawater density")
    t = temperature - T0
    s = salinity
    return density_Kell(temperature) + s * (
        802.0 - 2.001 * t + 1.677e-2 * t**2 - 3.060e-5 * t**3 - 1.613e-5 * s * t**2
    )


def viscosity(salinity, temperature):
    r"""Dynamic viscosity of seawater, Sharqawy et al. (2010) eq. (22)-(23).

    Parameters
    ----------
    salinity : numeric
        Absolute salinity [kg/kg], valid 0–0.15.
    temperature : numeric
        Temperature [K], valid 273–453 K.

    Returns
    -------
    numeric
        Dynamic viscosity [Pa s].

    Notes
    -----
    .. math:: \mu_{sw} = \mu_w (1 + A S + B S^2),\quad A = 1.541 + 1.998\times10^{-2} t
              - 9.52\times10^{-5} t^2,\quad B = 7.974 - 7.561\times10^{-2} t
              + 4.724\times10^{-4} t^2

    Examples
    --------
    >>> round(float(viscosity(0.035, 298.15)) * 1e3, 3)
    0.959
    """
    salinity, temperature = _check(salinity, temperature, "seawater viscosity")
    t = temperature - T0
    a = 1.541 + 1.998e-2 * t - 9.52e-5 * t**2
    b = 7.974 - 7.561e-2 * t + 4.724e-4 * t**2
    return viscosity_Sharqawy(temperature) * (1.0 + a * salinity + b * salinity**2)


def osmotic_coefficient(salinity, temperature, warn=True):
    r"""Osmotic coefficient of seawater, Sharqawy et al. (2010) eq. (49).

    Parameters
    ----------
    salinity : numeric
        Absolute salinity [kg/kg], valid 0.01–0.12.
    temperature : numeric
        Temperature [K], valid 273–393 K (0–120 degC).
    warn : bool, default True
        Emit :class:`~osmolab.errors.ModelRangeWarning` outside the validity range.

    Returns
    -------
    numeric
        Molal osmotic coefficient of sea salt [-].

    Notes
    -----
    .. math:: \phi = a_1 + a_2 t + a_3 t^2 + a_4 t^4 + S(a_5 + a_6 t + a_7 t^3)
              + S^2 (a_8 + a_9 t + a_{10} t^2)

    with :math:`t` in degC and :math:`S` in kg/kg. The fit is to the data of Bromley et al.
    (1974) and Millero & Leung (1976); accuracy ±1.4 %.

    Examples
    --------
    >>> round(float(osmotic_coefficient(0.035, 298.15)), 4)
    0.9068
    """
    salinity, temperature = _check(salinity, temperature, "seawater osmotic coefficient")
    if warn and (
        np.any(salinity > OSMOTIC_RANGE["salinity"][1])
        or np.any(temperature < OSMOTIC_RANGE["temperature"][0])
        or np.any(temperature > OSMOTIC_RANGE["temperature"][1])
    ):
        warnings.warn(
            "seawater osmotic coefficient evaluated outside 0-120 g/kg, 0-120 degC "
            "(Sharqawy et al. 2010)",
            ModelRangeWarning,
            stacklevel=2,
        )
    a = _PHI
    t = temperature - T0
    s = salinity
    return (
        a[0] + a[1] * t + a[2] * t**2 + a[3] * t**4
        + s * (a[4] + a[5] * t + a[6] * t**3)
        + s**2 * (a[7] + a[8] * t + a[9] * t**2)
    )


def water_activity(salinity, temperature, warn=True):
    r"""Activity of water in seawater [-].

    Notes
    -----
    .. math:: \ln a_w = -\phi\, m\, M_w

    Examples
    --------
    >>> round(float(water_activity(0.035, 298.15)), 5)
    0.98131
    """
    phi = osmotic_coefficient(salinity, temperature, warn=warn)
    return np.exp(-phi * salinity_to_molality(salinity) * M_WATER)


def osmotic_pressure(salinity, temperature, warn=True):
    r"""Osmotic pressure of seawater [Pa].

    Parameters
    ----------
    salinity : numeric
        Absolute salinity [kg/kg].
    temperature : numeric
        Temperature [K].

    Returns
    -------
    numeric
        Osmotic pressure [Pa].

    Notes
    -----
    .. math:: \Pi = -\frac{R T}{\bar V_w} \ln a_w = \frac{R T \rho_w}{M_w}\,\phi\, m\, M_w

    with the molar volume of pure water :math:`\bar V_w = M_w/\rho_w` at the same
    temperature. Sharqawy et al. (2010) give 25.9 bar for 35 g/kg at 25 degC.

    Examples
    --------
    >>> round(float(osmotic_pressure(0.035, 298.15)) / 1e5, 1)
    25.9
    """
    phi = osmotic_coefficient(salinity, temperature, warn=warn)
    temperature = np.asarray(temperature, dtype=float)
    ln_aw = -phi * salinity_to_molality(salinity) * M_WATER
    return -R * temperature * density_Kell(temperature) / M_WATER * ln_aw
