"""Diffusion in liquids: ions, salts and neutral solutes in water.

* ions at infinite dilution: :func:`ion_diffusivity` (``data/species.csv``);
* salts: :func:`nernst_haskell` (any salt, :func:`salt_diffusivity`) and the measured
  concentration dependence of NaCl, :func:`nacl_diffusivity`;
* neutral solutes: :func:`Stokes_Einstein` and :func:`Wilke_Chang`;
* temperature scaling: :func:`stokes_einstein_temperature` (D mu / T constant).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..constants import T25, k_B
from ..errors import InputError, ModelRangeWarning
from ..thermo.species import resolve, salt_ions, species
from ..thermo.water import viscosity_Sharqawy

__all__ = [
    "LIQUID_RANGE",
    "NACL_SATURATION",
    "D_NA_25",
    "D_CL_25",
    "NACL_DIFFUSIVITY_25",
    "M_NACL",
    "nernst_haskell",
    "stokes_einstein_temperature",
    "nacl_diffusivity",
    "ion_diffusivity",
    "salt_diffusivity",
    "diffusivity_in_water",
    "Stokes_Einstein",
    "Wilke_Chang",
]

#: Temperatures [K] of liquid water accepted by the temperature scaling (the range of
#: osmolab.thermo.solution; the Sharqawy viscosity is fitted 0-180 degC and turns negative
#: below -41 degC).
LIQUID_RANGE = (243.15, 473.15)
#: Solubility of NaCl at 25 degC [mol/kg] (6.15; CRC Handbook): above it no measured
#: diffusivity exists.
NACL_SATURATION = 6.15


def _array(value, label, positive=False):
    """Float array of finite numbers (> 0 with ``positive``, else >= 0) or InputError."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{label} must be a number, got {value!r}") from None
    if not np.all(np.isfinite(array)) or (
        np.any(array <= 0) if positive else np.any(array < 0)
    ):
        raise InputError(f"{label} must be finite and {'> 0' if positive else '>= 0'}, "
                         f"got {value!r}")
    return array


def _liquid_temperature(temperature):
    t = _array(temperature, "temperature [K]", positive=True)
    lo, hi = LIQUID_RANGE
    if np.any(t < lo) or np.any(t > hi):
        raise InputError(
            f"temperature {float(np.min(t)) if np.any(t < lo) else float(np.max(t)):.6g} K is "
            f"outside liquid water (accepted {lo:g}-{hi:g} K, i.e. -30 to 200 degC)"
        )
    return t

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
    .. math:: D_s = \frac{(|z_+| + |z_-|)\,D_+ D_-}{|z_+| D_+ + |z_-| D_-}
              = \frac{|z_+| + |z_-|}{|z_+|/D_- + |z_-|/D_+}

    (for CaCl2: 1.335e-9 m^2/s, Robinson & Stokes 1959 Table 11.3).

    References
    ----------
    .. [1] Robinson, R. A. and Stokes, R. H., 1959, Electrolyte Solutions, 2nd ed.,
       Butterworths, ch. 11.

    Examples
    --------
    >>> round(float(nernst_haskell(1.334e-9, 2.032e-9, 1, -1)) * 1e9, 3)
    1.611
    """
    zp = _array(np.abs(_array_any(charge_cation, "charge")), "|charge| of the cation", True)
    zm = _array(np.abs(_array_any(charge_anion, "charge")), "|charge| of the anion", True)
    d_plus = _array(diffusivity_cation, "diffusivity of the cation [m^2/s]", positive=True)
    d_minus = _array(diffusivity_anion, "diffusivity of the anion [m^2/s]", positive=True)
    return (zp + zm) * d_plus * d_minus / (zp * d_plus + zm * d_minus)


def _array_any(value, label):
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{label} must be a number, got {value!r}") from None


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
    temperature = _liquid_temperature(temperature)
    diffusivity_25 = _array(diffusivity_25, "diffusivity at 25 degC [m^2/s]")
    mu25 = viscosity_Sharqawy(T25)
    return diffusivity_25 * (temperature / T25) * (mu25 / viscosity_Sharqawy(temperature))


#: Mutual diffusion coefficient of aqueous NaCl at 25 degC vs molarity [mol/L] -> [1e-9 m^2/s]:
#: c <= 0.01 M Harned & Hildreth (1951, conductometric); 0.05-5.3 M Vitagliano & Lyons (1956)
#: and Rard & Miller (1979, Gouy/Rayleigh interferometry), as tabulated by Robinson & Stokes
#: (1959) Appendix 11.1 and Rard & Miller (1979) Table III; infinite dilution = Nernst-Haskell.
NACL_DIFFUSIVITY_25 = (
    (0.0, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 2.5, 3.0,
     3.5, 4.0, 5.0, 5.3),
    (1.611, 1.585, 1.576, 1.560, 1.545, 1.507, 1.483, 1.475, 1.475, 1.474, 1.475, 1.484, 1.495,
     1.516, 1.534, 1.555, 1.574, 1.588, 1.595, 1.594),
)

#: Molar mass of NaCl [kg/mol]
M_NACL = 0.05844


def _nacl_molarity(molality):
    """Molarity [mol/L] of aqueous NaCl at 25 degC from molality [mol/kg].

    Uses the apparent molar volume phi_V = 16.62 + 1.868 sqrt(m) cm^3/mol (Millero 1972
    infinite-dilution value with the Debye-Hückel limiting slope); within 0.3 % of measured
    densities to 5 mol/kg.
    """
    m = np.asarray(molality, dtype=float)
    volume_l = (1.0 / 0.997047) + m * (16.62 + 1.868 * np.sqrt(m)) * 1e-3  # L per kg water
    return m / volume_l


def nacl_diffusivity(molality, temperature, concentration_dependent=True):
    """Mutual diffusion coefficient of NaCl in water [m^2/s].

    Parameters
    ----------
    molality : numeric
        NaCl molality [mol/kg]; values above 6 mol/kg (saturation) take the 5.3 mol/L value.
    temperature : numeric
        Temperature [K]; broadcast with ``molality``.
    concentration_dependent : bool, default True
        Interpolate the measured values at 25 degC (:data:`NACL_DIFFUSIVITY_25`, linear in
        sqrt(c)); False gives the infinite-dilution Nernst–Haskell value (1.611e-9).

    Returns
    -------
    numeric
        Diffusivity [m^2/s], scaled from 25 degC with D·μ/T = constant (the ratio
        D(c)/D(0) is taken as independent of temperature).

    Notes
    -----
    The diffusion coefficient drops from 1.611e-9 at infinite dilution to a flat minimum of
    1.474e-9 near 0.5 mol/L (the relaxation and electrophoretic effects; Onsager & Fuoss
    1932) and rises again to 1.59e-9 at 4-5 mol/L where the thermodynamic factor
    1 + d ln γ/d ln m grows faster than the viscosity.

    References
    ----------
    .. [1] Robinson, R. A. and Stokes, R. H., 1959, Electrolyte Solutions, 2nd ed.,
       Butterworths, ch. 11 and Appendix 11.1.
    .. [2] Vitagliano, V. and Lyons, P. A., 1956, Diffusion coefficients for aqueous solutions
       of sodium chloride and barium chloride, J. Am. Chem. Soc. 78, 1549-1552.
    .. [3] Rard, J. A. and Miller, D. G., 1979, The mutual diffusion coefficients of
       NaCl-H2O and CaCl2-H2O at 25 degC from Rayleigh interferometry, J. Solution Chem.
       8, 701-716.

    Examples
    --------
    >>> round(float(nacl_diffusivity(0.6, 298.15)) * 1e9, 3)
    1.474
    >>> round(float(nacl_diffusivity(0.6, 298.15, concentration_dependent=False)) * 1e9, 3)
    1.611
    """
    molality = _array(molality, "NaCl molality [mol/kg]")
    if np.any(molality > NACL_SATURATION):
        warnings.warn(
            f"NaCl molality up to {float(np.max(molality)):.3g} mol/kg exceeds saturation "
            f"({NACL_SATURATION} mol/kg at 25 degC); the value at 5.3 mol/L is used",
            ModelRangeWarning,
            stacklevel=2,
        )
    d0 = nernst_haskell(D_NA_25, D_CL_25, 1, -1)
    if concentration_dependent:
        c, d = NACL_DIFFUSIVITY_25
        # above ~8 mol/kg the molarity passes the last tabulated 5.3 mol/L anyway; the
        # cap keeps absurd molalities (1e300) from overflowing to NaN
        root_c = np.sqrt(np.clip(_nacl_molarity(np.minimum(molality, 10.0)), 0.0, c[-1]))
        ratio = np.interp(root_c, np.sqrt(c), np.asarray(d) / d[0])
    else:
        ratio = np.ones_like(molality)
    return stokes_einstein_temperature(d0, temperature) * ratio


def ion_diffusivity(name, temperature=T25):
    """Tracer diffusivity of a species at infinite dilution in water [m^2/s].

    Parameters
    ----------
    name : str
        Species name or spelling ("Na+", "Ca2+", "sulfate", "urea"); see
        :func:`osmolab.thermo.species.canonical_name`.
    temperature : numeric, default 298.15
        [K]; scaled from 25 degC with D·μ/T = constant.

    Returns
    -------
    numeric
        Diffusivity [m^2/s] from ``data/species.csv`` (CRC Handbook 2016, from limiting
        ionic conductivities, D = RTλ/(z²F²)).

    Examples
    --------
    >>> round(float(ion_diffusivity("Cl-")) * 1e9, 3)
    2.032
    """
    d25 = species(name).diffusivity
    if not np.isfinite(d25) or d25 <= 0:
        raise InputError(f"no diffusivity tabulated for {name!r}")
    return stokes_einstein_temperature(d25, temperature)


def salt_diffusivity(salt, temperature=T25):
    """Diffusivity of a single salt at infinite dilution (Nernst–Haskell) [m^2/s].

    Parameters
    ----------
    salt : str
        Salt name known to :func:`osmolab.thermo.species.salt_ions` ("NaCl", "CaCl2",
        "MgSO4", "Na2SO4") made of one cation and one anion.
    temperature : numeric, default 298.15
        [K].

    Examples
    --------
    >>> round(float(salt_diffusivity("CaCl2")) * 1e9, 3)
    1.335
    """
    ions = salt_ions(salt)
    cations = [k for k in ions if species(k).charge > 0]
    anions = [k for k in ions if species(k).charge < 0]
    if len(cations) != 1 or len(anions) != 1:
        raise InputError(f"{salt!r} is not a salt of one cation and one anion")
    cat, an = species(cations[0]), species(anions[0])
    d25 = nernst_haskell(cat.diffusivity, an.diffusivity, cat.charge, an.charge)
    return stokes_einstein_temperature(d25, temperature)


#: Which model :func:`diffusivity_in_water` used, by kind of solute.
MODEL_NAMES = {
    "nacl": "measured (Vitagliano & Lyons 1956; Rard & Miller 1979)",
    "salt": "Nernst-Haskell (infinite dilution)",
    "species": "tracer diffusivity at infinite dilution (CRC 2016)",
}


def diffusivity_in_water(solute, temperature=T25, molality=0.0):
    """Diffusion coefficient of an ion, a neutral species or a salt in water, best model.

    The convenience layer over the correlations above: NaCl uses its measured
    concentration dependence (:func:`nacl_diffusivity`), other salts Nernst–Haskell at
    infinite dilution (:func:`salt_diffusivity`), a single species its tracer diffusivity
    (:func:`ion_diffusivity`).

    Parameters
    ----------
    solute : str
        Species or salt name ("Na+", "urea", "NaCl", "epsom salt").
    temperature : float, default 298.15
        [K].
    molality : float, default 0
        Salt molality [mol/kg]; used for NaCl only (a ModelRangeWarning says so otherwise).

    Returns
    -------
    dict
        ``solute`` (canonical name), ``kind`` ("species" or "salt"), ``D_m2_s`` [m^2/s],
        ``model`` (which model, with its source).

    Examples
    --------
    >>> d = diffusivity_in_water("NaCl", 298.15, molality=0.5)
    >>> round(d["D_m2_s"] * 1e9, 3), d["kind"]
    (1.474, 'salt')
    """
    molality = float(molality)
    if not np.isfinite(molality) or molality < 0:
        raise InputError(f"molality must be a finite number >= 0 mol/kg, got {molality}")
    kind, name = resolve(solute)
    if kind == "salt" and name == "NaCl":
        d, model = float(nacl_diffusivity(molality, temperature)), MODEL_NAMES["nacl"]
    elif kind == "salt":
        d, model = float(salt_diffusivity(name, temperature)), MODEL_NAMES["salt"]
    else:
        d, model = float(ion_diffusivity(name, temperature)), MODEL_NAMES["species"]
    if molality > 0 and name != "NaCl":
        warnings.warn(f"the molality is used for NaCl only; {name} is given at infinite dilution",
                      ModelRangeWarning, stacklevel=2)
    return {"solute": name, "kind": kind, "D_m2_s": d, "model": model}


def Stokes_Einstein(T, viscosity, radius):
    r"""Diffusivity of a sphere in a continuum solvent (Stokes–Einstein).

    Parameters
    ----------
    T : numeric
        Temperature [K].
    viscosity : numeric
        Solvent dynamic viscosity [Pa s].
    radius : numeric
        Hydrodynamic radius [m].

    Returns
    -------
    numeric
        Diffusivity [m^2/s].

    Notes
    -----
    .. math:: D = \frac{k_B T}{6\pi\mu r}

    Stick boundary condition; valid for solutes much larger than the solvent molecules
    (for small molecules the "Stokes radius" is an effective size).

    References
    ----------
    .. [1] Einstein, A., 1905, Ann. Phys. 17, 549-560.

    Examples
    --------
    >>> round(float(Stokes_Einstein(298.15, 0.8902e-3, 0.5e-9)) * 1e9, 3)
    0.491
    """
    T = np.asarray(T, dtype=float)
    viscosity = np.asarray(viscosity, dtype=float)
    radius = np.asarray(radius, dtype=float)
    for label, value in (("temperature", T), ("viscosity", viscosity), ("radius", radius)):
        if np.any(~np.isfinite(value)) or np.any(value <= 0):
            raise InputError(f"{label} must be positive")
    return k_B * T / (6.0 * np.pi * viscosity * radius)


def Wilke_Chang(T, viscosity, molar_volume, solvent_molar_mass=0.018015, association=2.6):
    r"""Diffusivity of a dilute neutral solute in a liquid (Wilke–Chang 1955).

    Parameters
    ----------
    T : numeric
        Temperature [K].
    viscosity : numeric
        Solvent viscosity [Pa s].
    molar_volume : numeric
        Molar volume of the solute at its normal boiling point (Le Bas additive volumes)
        [m^3/mol].
    solvent_molar_mass : float, default 0.018015
        [kg/mol] (water).
    association : float, default 2.6
        Association factor φ of the solvent (2.6 water, 1.9 methanol, 1.5 ethanol, 1.0
        unassociated).

    Returns
    -------
    numeric
        Diffusivity [m^2/s].

    Notes
    -----
    .. math:: D_{AB}[\mathrm{cm^2/s}] = 7.4\times10^{-8}\,
              \frac{(\phi M_B)^{1/2}\,T}{\mu_B[\mathrm{cP}]\,V_A^{0.6}}

    with M_B in g/mol and V_A in cm^3/mol. Typical error 10–20 % (Poling et al. 2001,
    Table 11-5).

    References
    ----------
    .. [1] Wilke, C. R. and Chang, P., 1955, Correlation of diffusion coefficients in dilute
       solutions, AIChE J. 1(2), 264-270.
    .. [2] Poling, B. E., Prausnitz, J. M. and O'Connell, J. P., 2001, The Properties of
       Gases and Liquids, 5th ed., McGraw-Hill, §11-9.

    Examples
    --------
    Urea (Le Bas V_A = 58.0 cm^3/mol) in water at 25 degC (measured 1.38e-9):

    >>> round(float(Wilke_Chang(298.15, 0.8902e-3, 58.0e-6)) * 1e9, 2)
    1.48
    """
    T = np.asarray(T, dtype=float)
    viscosity = np.asarray(viscosity, dtype=float)
    molar_volume = np.asarray(molar_volume, dtype=float)
    for label, value in (("temperature", T), ("viscosity", viscosity),
                         ("molar volume", molar_volume), ("association", association),
                         ("solvent molar mass", solvent_molar_mass)):
        if np.any(~np.isfinite(value)) or np.any(np.asarray(value) <= 0):
            raise InputError(f"{label} must be positive")
    d_cm2 = (7.4e-8 * np.sqrt(association * solvent_molar_mass * 1e3) * T
             / (viscosity * 1e3 * (molar_volume * 1e6) ** 0.6))
    return d_cm2 * 1e-4
