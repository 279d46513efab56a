"""Diffusion in liquids: ions, salts and neutral solutes in water."""

from __future__ import annotations

import numpy as np

from ..constants import T25
from ..thermo.water import viscosity_Sharqawy

#: Tracer diffusivities of Na+ and Cl- at infinite dilution, 25 degC [m^2/s]
#: (Robinson & Stokes 1959, Appendix 6.2; CRC Handbook, "Ionic conductivity and diffusion").
D_NA_25 = 1.334e-9
D_CL_25 = 2.032e-9


def nernst_haskell(diffusivity_cation, diffusivity_anion, charge_cation, charge_anion):
    r"""Diffusivity of a single salt at infinite dilution (Nernst–Haskell).

    Parameters
    ----------
    diffusivity_cation, diffusivity_anion : numeric
        Ionic diffusivities at infinite dilution [m^2/s].
    charge_cation, charge_anion : numeric
        Charge numbers (the sign is ignored) [-].

    Returns
    -------
    numeric
        Salt diffusivity [m^2/s].

    Notes
    -----
    .. math:: D_s = \frac{|z_+| + |z_-|}{|z_+|/D_+ + |z_-|/D_-}

    References
    ----------
    .. [1] Robinson, R. A. and Stokes, R. H., 1959, Electrolyte Solutions, 2nd ed.,
       Butterworths, ch. 11.

    Examples
    --------
    >>> round(float(nernst_haskell(1.334e-9, 2.032e-9, 1, -1)) * 1e9, 3)
    1.611
    """
    zp = np.abs(charge_cation)
    zm = np.abs(charge_anion)
    return (zp + zm) / (zp / np.asarray(diffusivity_cation) + zm / np.asarray(diffusivity_anion))


def stokes_einstein_temperature(diffusivity_25, temperature):
    r"""Scale a diffusivity at 25 degC to ``temperature`` with D·μ/T = constant.

    Parameters
    ----------
    diffusivity_25 : numeric
        Diffusivity at 298.15 K [m^2/s].
    temperature : numeric
        Temperature [K].

    Returns
    -------
    numeric
        Diffusivity at ``temperature`` [m^2/s].

    Examples
    --------
    >>> round(float(stokes_einstein_temperature(1.611e-9, 308.15)) * 1e9, 3)
    2.061
    """
    temperature = np.asarray(temperature, dtype=float)
    mu25 = viscosity_Sharqawy(T25)
    return diffusivity_25 * (temperature / T25) * (mu25 / viscosity_Sharqawy(temperature))


def nacl_diffusivity(molality, temperature):
    """Diffusivity of NaCl in water [m^2/s] at ``molality`` [mol/kg] and ``temperature`` [K].

    The Nernst–Haskell value at infinite dilution scaled with temperature by Stokes–Einstein;
    the concentration dependence below 3 mol/kg is within about 8 % of it (Robinson &
    Stokes 1959, Table 11.3) and is not modelled here.

    Examples
    --------
    >>> round(float(nacl_diffusivity(0.6, 298.15)) * 1e9, 3)
    1.611
    """
    molality = np.asarray(molality, dtype=float)
    d25 = nernst_haskell(D_NA_25, D_CL_25, 1, -1)
    return stokes_einstein_temperature(d25, temperature) * np.ones_like(molality)
