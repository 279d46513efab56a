"""Properties of pure liquid water at atmospheric pressure."""

from __future__ import annotations

import numpy as np

from ..constants import M_WATER, T0


def density_Kell(temperature):
    r"""Density of air-free pure water at 1 atm, Kell (1975).

    Parameters
    ----------
    temperature : numeric
        Temperature [K], valid 273.15–423 K.

    Returns
    -------
    numeric
        Density [kg/m^3].

    Notes
    -----
    .. math:: \rho = \frac{999.83952 + 16.945176 t - 7.9870401\times10^{-3} t^2
              - 46.170461\times10^{-6} t^3 + 105.56302\times10^{-9} t^4
              - 280.54253\times10^{-12} t^5}{1 + 16.879850\times10^{-3} t}

    with :math:`t` in degC (IPTS-68, the difference to ITS-90 is negligible here).

    References
    ----------
    .. [1] Kell, G. S., 1975, Density, thermal expansivity, and compressibility of liquid
       water from 0 to 150 degC, J. Chem. Eng. Data 20(1), 97-105.

    Examples
    --------
    >>> round(float(density_Kell(298.15)), 2)
    997.05
    """
    t = np.asarray(temperature, dtype=float) - T0
    numerator = (
        999.83952
        + 16.945176 * t
        - 7.9870401e-3 * t**2
        - 46.170461e-6 * t**3
        + 105.56302e-9 * t**4
        - 280.54253e-12 * t**5
    )
    return numerator / (1.0 + 16.879850e-3 * t)


def viscosity_Sharqawy(temperature):
    r"""Dynamic viscosity of pure water, Sharqawy et al. (2010) fit to IAPWS 2008.

    Parameters
    ----------
    temperature : numeric
        Temperature [K], valid 273–453 K (accuracy ±0.05 %).

    Returns
    -------
    numeric
        Dynamic viscosity [Pa s].

    Notes
    -----
    .. math:: \mu_w = 4.2844\times10^{-5} + \left[0.157 (t + 64.993)^2 - 91.296\right]^{-1}

    References
    ----------
    .. [1] Sharqawy, M. H., Lienhard, J. H. and Zubair, S. M., 2010, Thermophysical
       properties of seawater: a review of existing correlations and data,
       Desalination and Water Treatment 16, 354-380, eq. (22).

    Examples
    --------
    >>> round(float(viscosity_Sharqawy(298.15)) * 1e3, 4)
    0.8902
    """
    t = np.asarray(temperature, dtype=float) - T0
    return 4.2844e-5 + 1.0 / (0.157 * (t + 64.993) ** 2 - 91.296)


def molar_volume(temperature):
    """Molar volume of pure water [m^3/mol] at ``temperature`` [K] (Kell 1975 density).

    Examples
    --------
    >>> round(float(molar_volume(298.15)) * 1e6, 3)
    18.069
    """
    return M_WATER / density_Kell(temperature)
