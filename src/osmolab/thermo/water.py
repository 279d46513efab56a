"""Properties of pure liquid water at atmospheric pressure."""

from __future__ import annotations

import numpy as np

from ..constants import M_WATER, T0, R

#: Enthalpy of fusion of ice at 273.15 K [J/mol].
ENTHALPY_FUSION_ICE = 6009.5
#: Heat capacity of liquid water minus that of ice near 273 K [J/(mol K)].
HEAT_CAPACITY_FUSION_ICE = 38.1


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


def ln_water_activity_freezing_point(depression):
    r"""Log activity of water in a solution that freezes ``depression`` kelvin below pure water.

    Parameters
    ----------
    depression : numeric
        Freezing-point depression :math:`\theta` [K] (>= 0).

    Returns
    -------
    numpy.ndarray
        :math:`\ln a_w` at the freezing point :math:`T_0 - \theta` [-].

    Notes
    -----
    Ice and solution are in equilibrium at the freezing point; integrating the
    Gibbs-Helmholtz equation along the ice-liquid line with
    :math:`\Delta H_{fus}(T) = \Delta H_0 - \Delta C_p (T_0 - T)` gives

    .. math:: \ln a_w = -\int_{T_0-\theta}^{T_0} \frac{\Delta H_{fus}(T)}{R T^2}\,dT
        = -\frac{\Delta H_0 - \Delta C_p T_0}{R}\left(\frac{1}{T_0-\theta}
        - \frac{1}{T_0}\right) - \frac{\Delta C_p}{R}\ln\frac{T_0}{T_0-\theta}

    with :math:`\Delta H_0` = 6009.5 J/mol and :math:`\Delta C_p` = 38.1 J/(mol K). This
    reproduces Robinson & Stokes' series
    :math:`-\log_{10} a_w = 0.004207\,\theta + 2.1\times10^{-6}\theta^2` to 0.05 %
    over 0-10 K.

    References
    ----------
    .. [1] Robinson, R. A. and Stokes, R. H., 1959, Electrolyte Solutions, 2nd ed.,
       Butterworths, ch. 8.

    Examples
    --------
    >>> round(float(ln_water_activity_freezing_point(1.86)), 5)
    -0.01803
    """
    theta = np.asarray(depression, dtype=float)
    t_freeze = T0 - theta
    a = (ENTHALPY_FUSION_ICE - HEAT_CAPACITY_FUSION_ICE * T0) / R
    b = HEAT_CAPACITY_FUSION_ICE / R
    return -(a * (1.0 / t_freeze - 1.0 / T0) + b * np.log(T0 / t_freeze))
