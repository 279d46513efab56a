r"""Binary diffusion coefficients of gases at low density.

Two models, each a pure vectorised function of temperature and pressure:

* :func:`Chapman_Enskog` — kinetic theory with a Lennard-Jones 12-6 potential and the
  collision integral of Neufeld et al. (1972), :func:`collision_integral_Neufeld`;
* :func:`Fuller_Schettler_Giddings` — the empirical correlation with diffusion volumes.

:func:`gas_diffusivity` looks the gases up by name in ``data/gases.csv`` (molar masses,
Lennard-Jones parameters and diffusion volumes with their sources).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..constants import ATM
from ..data import load_csv
from ..errors import InputError, ModelRangeWarning, suggest

__all__ = [
    "NEUFELD_COEFFICIENTS",
    "METHODS",
    "LJ_SETS",
    "DENSE_GAS_PRESSURE",
    "MIN_PRESSURE",
    "MAX_PRESSURE",
    "Gas",
    "collision_integral_Neufeld",
    "Chapman_Enskog",
    "Fuller_Schettler_Giddings",
    "gas",
    "gas_names",
    "gas_diffusivity",
]

#: Neufeld, Janzen & Aziz (1972) coefficients A..H of the diffusion collision integral.
NEUFELD_COEFFICIENTS = (1.06036, 0.15610, 0.19300, 0.47635, 1.03587, 1.52996, 1.76474, 3.89411)

#: Names accepted by ``method`` in :func:`gas_diffusivity`.
METHODS = ("chapman-enskog", "fuller")

#: Names accepted by ``lj_set`` in :func:`gas_diffusivity`.
LJ_SETS = ("preferred", "svehla")


def _positive(name, value):
    try:
        value = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a positive number (SI units), got {value!r}") from None
    if value.size == 0:
        raise InputError(f"{name} is an empty array; give at least one value")
    if not np.all(np.isfinite(value)) or np.any(value <= 0):
        raise InputError(f"{name} must be a positive finite number, got {_show(value)}")
    return value


def _same_shape(*arrays):
    """InputError unless the arrays broadcast together (temperature with pressure ...)."""
    try:
        np.broadcast_shapes(*(np.shape(a) for a in arrays))
    except ValueError:
        raise InputError(
            "temperature, pressure and the gas parameters must broadcast to one shape, got "
            + " and ".join(str(np.shape(a)) for a in arrays)
        ) from None


def _show(value):
    value = np.asarray(value)
    if value.size == 1:
        return repr(float(value.reshape(-1)[0]))
    bad = value[~np.isfinite(value) | (value <= 0)]
    return f"{bad.size} bad values such as {float(bad.reshape(-1)[0])!r}"


def collision_integral_Neufeld(T_star):
    r"""Lennard-Jones collision integral for diffusion, :math:`\Omega_D = \Omega^{(1,1)*}`.

    Parameters
    ----------
    T_star : numeric
        Reduced temperature :math:`T^* = k_B T/\varepsilon` [-], fitted for 0.3–100.

    Returns
    -------
    numeric
        Collision integral :math:`\Omega_D` [-].

    Notes
    -----
    .. math:: \Omega_D = \frac{A}{T^{*B}} + C e^{-D T^*} + E e^{-F T^*} + G e^{-H T^*}

    with A..H = 1.06036, 0.15610, 0.19300, 0.47635, 1.03587, 1.52996, 1.76474, 3.89411.
    The fit reproduces the tabulated integral (Hirschfelder, Curtiss & Bird 1954; BSL
    Table E.2) within about 0.1 % for 0.3 ≤ T* ≤ 100.

    References
    ----------
    .. [1] Neufeld, P. D., Janzen, A. R. and Aziz, R. A., 1972, Empirical equations to
       calculate 16 of the transport collision integrals Ω(l,s)* for the Lennard-Jones
       (12-6) potential, J. Chem. Phys. 57(3), 1100-1102.
    .. [2] Bird, R. B., Stewart, W. E. and Lightfoot, E. N., 2002, Transport Phenomena,
       2nd ed., Wiley, Table E.2.

    Examples
    --------
    >>> round(float(collision_integral_Neufeld(1.0)), 3)
    1.44
    >>> round(float(collision_integral_Neufeld(3.0)), 3)
    0.95
    """
    t = _positive("reduced temperature T*", T_star)
    a, b, c, d, e, f, g, h = NEUFELD_COEFFICIENTS
    return a / t**b + c * np.exp(-d * t) + e * np.exp(-f * t) + g * np.exp(-h * t)


#: Above this pressure [Pa] the dilute-gas result needs a dense-gas correction.
DENSE_GAS_PRESSURE = 2e6


#: Lowest pressure accepted [Pa]: below it the mean free path exceeds any container
#: (Knudsen regime) and the continuum diffusivity loses meaning.
MIN_PRESSURE = 1e-3


#: Highest pressure accepted [Pa] (10 kbar: the "gas" is as dense as a liquid there and a
#: dilute-gas diffusivity means nothing).
MAX_PRESSURE = 1e9
#: Temperatures accepted [K]: below 1 K nothing but helium is a gas (and that one a quantum
#: fluid), above 1e5 K the gas is an ionised plasma.
MIN_TEMPERATURE, MAX_TEMPERATURE = 1.0, 1e5


def _check_temperature(T):
    lo, hi = float(np.min(T)), float(np.max(T))
    if lo < MIN_TEMPERATURE or hi > MAX_TEMPERATURE:
        bad = lo if lo < MIN_TEMPERATURE else hi
        raise InputError(
            f"temperature {bad:.3g} K is outside {MIN_TEMPERATURE:g}-{MAX_TEMPERATURE:g} K, "
            "where a neutral gas exists; check the value and its unit"
        )


def _check_pressure(P):
    if float(np.max(P)) > MAX_PRESSURE:
        raise InputError(
            f"pressure {float(np.max(P)):.3g} Pa is above {MAX_PRESSURE:g} Pa (10 kbar): no "
            "dilute gas exists there; check the value and its unit"
        )
    if float(np.min(P)) < MIN_PRESSURE:
        raise InputError(
            f"pressure {float(np.min(P)):.3g} Pa is below {MIN_PRESSURE:g} Pa: the gas is in the "
            "free-molecular (Knudsen) regime where a binary diffusion coefficient does not apply"
        )
    if float(np.max(P)) > DENSE_GAS_PRESSURE:
        warnings.warn(
            f"pressure up to {float(np.max(P)) / 1e5:.3g} bar: the dilute-gas result "
            "(D proportional to 1/P) overestimates D of dense gases; no dense-gas "
            "correction (e.g. Takahashi 1974) is applied",
            ModelRangeWarning,
            stacklevel=3,
        )


def _check_range(T_star):
    lo, hi = float(np.min(T_star)), float(np.max(T_star))
    if lo < 0.3 or hi > 100.0:
        warnings.warn(
            f"reduced temperature T* = {lo:.3g}..{hi:.3g} lies outside 0.3-100, the range "
            "of the Neufeld collision-integral fit",
            ModelRangeWarning,
            stacklevel=3,
        )


def Chapman_Enskog(T, P, M_A, M_B, sigma_A, sigma_B, epsilon_A, epsilon_B):
    r"""Binary diffusion coefficient of a dilute gas pair, Chapman–Enskog theory.

    Parameters
    ----------
    T : numeric
        Temperature [K].
    P : numeric
        Pressure [Pa].
    M_A, M_B : numeric
        Molar masses [kg/mol].
    sigma_A, sigma_B : numeric
        Lennard-Jones collision diameters [m].
    epsilon_A, epsilon_B : numeric
        Lennard-Jones well depths divided by Boltzmann's constant, ε/k_B [K].

    Returns
    -------
    numeric
        Binary diffusion coefficient :math:`D_{AB}` [m^2/s]; broadcast over the inputs.

    Notes
    -----
    First Chapman–Enskog approximation with Lorentz–Berthelot combining rules:

    .. math::

        D_{AB} = \frac{3}{16}\,\frac{\sqrt{2\pi (k_B T)^3/\mu}}{P\,\pi\sigma_{AB}^2\,
                 \Omega_D(T^*)}, \quad
        \sigma_{AB} = \tfrac12(\sigma_A+\sigma_B),\;
        \varepsilon_{AB} = \sqrt{\varepsilon_A\varepsilon_B},\;
        T^* = T/\varepsilon_{AB}

    with :math:`\mu = m_A m_B/(m_A+m_B)` the reduced molecular mass; in practical units
    :math:`D_{AB}[\mathrm{cm^2/s}] = 0.0018583\sqrt{T^3(1/M_A+1/M_B)}/(p[\mathrm{atm}]
    \sigma_{AB}[\mathrm{Å}]^2\Omega_D)` (BSL eq. 17.3-12). Typical accuracy for nonpolar
    pairs is 5–10 %; polar gases (H2O, NH3) are described less well by a 12-6 potential.

    References
    ----------
    .. [1] Chapman, S. and Cowling, T. G., 1970, The Mathematical Theory of Non-uniform
       Gases, 3rd ed., Cambridge University Press.
    .. [2] Bird, R. B., Stewart, W. E. and Lightfoot, E. N., 2002, Transport Phenomena,
       2nd ed., Wiley, eq. (17.3-12) and Table 17.1-1.
    .. [3] Neufeld, P. D., Janzen, A. R. and Aziz, R. A., 1972, J. Chem. Phys. 57, 1100.

    Examples
    --------
    N2–O2 at 273.2 K and 1 atm (measured: 0.181 cm^2/s, BSL Table 17.1-1):

    >>> D = Chapman_Enskog(273.2, 101325.0, 0.0280134, 0.0319988,
    ...                    3.667e-10, 3.433e-10, 99.8, 113.0)
    >>> round(float(D) * 1e4, 3)
    0.174
    """
    T = _positive("temperature", T)
    P = _positive("pressure", P)
    M_A = _positive("molar mass", M_A)
    M_B = _positive("molar mass", M_B)
    sigma_AB = 0.5 * (_positive("sigma", sigma_A) + _positive("sigma", sigma_B))
    _same_shape(T, P, M_A, M_B, sigma_A, sigma_B, epsilon_A, epsilon_B)
    epsilon_AB = np.sqrt(_positive("epsilon", epsilon_A) * _positive("epsilon", epsilon_B))
    T_star = T / epsilon_AB
    _check_temperature(T)
    _check_range(T_star)
    _check_pressure(P)
    omega = collision_integral_Neufeld(T_star)
    # practical BSL form, converted: D[m2/s] = 1e-4 * 0.0018583 * sqrt(T^3 (1/M_A + 1/M_B)[mol/g])
    #                                          / (P[atm] * sigma[Å]^2 * Omega)
    inv_mass = 1e-3 * (1.0 / M_A + 1.0 / M_B)  # [mol/g]
    sigma_angstrom = sigma_AB * 1e10
    return (
        1.8583e-7 * np.sqrt(T**3 * inv_mass) / ((P / ATM) * sigma_angstrom**2 * omega)
    )


def Fuller_Schettler_Giddings(T, P, M_A, M_B, volume_A, volume_B):
    r"""Binary diffusion coefficient of a gas pair, Fuller–Schettler–Giddings correlation.

    Parameters
    ----------
    T : numeric
        Temperature [K].
    P : numeric
        Pressure [Pa].
    M_A, M_B : numeric
        Molar masses [kg/mol].
    volume_A, volume_B : numeric
        Diffusion volumes Σv (sums of atomic increments) [cm^3/mol, as tabulated].

    Returns
    -------
    numeric
        Binary diffusion coefficient :math:`D_{AB}` [m^2/s].

    Notes
    -----
    .. math:: D_{AB}[\mathrm{cm^2/s}] = \frac{10^{-3}\,T^{1.75}\sqrt{1/M_A + 1/M_B}}
              {p[\mathrm{atm}]\,\left[(\Sigma v)_A^{1/3} + (\Sigma v)_B^{1/3}\right]^2}

    with M in g/mol. Poling et al. (2001) report an average error of about 5 % over
    their test set; the correlation needs no potential parameters and also handles polar
    gases reasonably.

    References
    ----------
    .. [1] Fuller, E. N., Schettler, P. D. and Giddings, J. C., 1966, A new method for
       prediction of binary gas-phase diffusion coefficients, Ind. Eng. Chem. 58(5), 18-27.
    .. [2] Fuller, E. N., Ensley, K. and Giddings, J. C., 1969, J. Phys. Chem. 73, 3679.
    .. [3] Poling, B. E., Prausnitz, J. M. and O'Connell, J. P., 2001, The Properties of
       Gases and Liquids, 5th ed., McGraw-Hill, eq. (11-4.4) and Table 11-1.

    Examples
    --------
    CO2–N2 at 298.2 K and 1 atm (measured: 0.165 cm^2/s, BSL Table 17.1-1):

    >>> D = Fuller_Schettler_Giddings(298.2, 101325.0, 0.0440095, 0.0280134, 26.9, 18.5)
    >>> round(float(D) * 1e4, 3)
    0.163
    """
    T = _positive("temperature", T)
    P = _positive("pressure", P)
    _same_shape(T, P, M_A, M_B, volume_A, volume_B)
    _check_temperature(T)
    _check_pressure(P)
    inv_mass = 1e-3 * (1.0 / _positive("molar mass", M_A) + 1.0 / _positive("molar mass", M_B))
    volumes = np.cbrt(_positive("diffusion volume", volume_A)) + np.cbrt(
        _positive("diffusion volume", volume_B)
    )
    return 1e-7 * T**1.75 * np.sqrt(inv_mass) / ((P / ATM) * volumes**2)


# --------------------------------------------------------------------------------------
# The gas table
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gas:
    """Molecular data of one gas from ``data/gases.csv`` (SI units)."""

    name: str
    formula: str
    molar_mass: float  #: [kg/mol]
    sigma: float  #: preferred Lennard-Jones diameter [m]
    epsilon: float  #: preferred ε/k_B [K]
    lj_source: str
    sigma_svehla: float  #: [m]
    epsilon_svehla: float  #: [K]
    fuller_volume: float  #: [cm^3/mol]
    fuller_source: str


def _table():
    return load_csv("gases.csv")


def _index():
    """Map lower-case names, formulas and aliases to table rows (built once)."""
    global _INDEX
    if _INDEX is None:
        index = {}
        for row in _table().itertuples(index=False):
            keys = [row.name, row.formula]
            if isinstance(row.aliases, str):
                keys += row.aliases.split(";")
            for key in keys:
                index.setdefault(key.strip().lower(), row)
        _INDEX = index
    return _INDEX


_INDEX = None


def _display_names():
    table = _table()
    names = list(table["name"]) + list(table["formula"])
    for aliases in table["aliases"].dropna():
        names += [a.strip() for a in aliases.split(";")]
    return list(dict.fromkeys(names))


def gas_names():
    """Names of the gases in ``data/gases.csv``.

    Examples
    --------
    >>> len(gas_names()) >= 30
    True
    """
    return list(_table()["name"])


def gas(name) -> Gas:
    """Look up a gas by name, formula or alias (case-insensitive).

    Raises
    ------
    InputError
        Unknown gas; the message suggests near names.

    Examples
    --------
    >>> gas("nitrogen").formula
    'N2'
    """
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"expected a gas name such as 'N2', got {name!r}")
    row = _index().get(name.strip().lower())
    if row is None:
        hint = suggest(name.strip(), _display_names())
        raise InputError(
            f"unknown gas {name!r}.{hint} Known gases: {', '.join(gas_names())}"
        )
    return Gas(
        name=row.name,
        formula=row.formula,
        molar_mass=row.molar_mass_g_mol * 1e-3,
        sigma=row.sigma_A * 1e-10,
        epsilon=float(row.epsilon_K),
        lj_source=row.lj_source,
        sigma_svehla=row.sigma_svehla_A * 1e-10,
        epsilon_svehla=float(row.epsilon_svehla_K),
        fuller_volume=float(row.fuller_volume),
        fuller_source=row.fuller_source,
    )


def _method(method):
    key = str(method).strip().lower().replace("_", "-").replace(" ", "-")
    aliases = {
        "chapman-enskog": "chapman-enskog",
        "ce": "chapman-enskog",
        "chapman": "chapman-enskog",
        "fuller": "fuller",
        "fsg": "fuller",
        "fuller-schettler-giddings": "fuller",
    }
    if key not in aliases:
        raise InputError(
            f"unknown method {method!r}; use one of {', '.join(METHODS)}."
            f"{suggest(key, list(aliases))}"
        )
    return aliases[key]


def gas_diffusivity(gas_A, gas_B, temperature, pressure=ATM, method="chapman-enskog",
                    lj_set="preferred"):
    r"""Binary diffusion coefficient of two gases named in ``data/gases.csv``.

    Parameters
    ----------
    gas_A, gas_B : str
        Gas names, formulas or aliases ("N2", "oxygen", "air", "H2O", "benzene").
    temperature : numeric
        Temperature [K]; arrays broadcast with ``pressure``.
    pressure : numeric, default 101325
        Pressure [Pa].
    method : {"chapman-enskog", "fuller"}
        :func:`Chapman_Enskog` (Neufeld collision integral) or
        :func:`Fuller_Schettler_Giddings`.
    lj_set : {"preferred", "svehla"}
        Lennard-Jones parameters: the preferred set of the table (BSL Table E.1 where it
        lists the gas, otherwise Svehla 1962) or Svehla (1962) for every gas.

    Returns
    -------
    numeric
        Binary diffusion coefficient [m^2/s].

    Examples
    --------
    >>> round(float(gas_diffusivity("H2", "N2", 273.2)) * 1e4, 3)
    0.653
    >>> round(float(gas_diffusivity("H2O", "air", 298.15, method="fuller")) * 1e4, 3)
    0.251
    """
    a, b = gas(gas_A), gas(gas_B)
    method = _method(method)
    if method == "fuller":
        return Fuller_Schettler_Giddings(
            temperature, pressure, a.molar_mass, b.molar_mass, a.fuller_volume, b.fuller_volume
        )
    lj = str(lj_set).strip().lower()
    if lj == "preferred":
        sa, sb, ea, eb = a.sigma, b.sigma, a.epsilon, b.epsilon
    elif lj == "svehla":
        sa, sb, ea, eb = a.sigma_svehla, b.sigma_svehla, a.epsilon_svehla, b.epsilon_svehla
    else:
        raise InputError(f"unknown lj_set {lj_set!r}; use one of {', '.join(LJ_SETS)}")
    return Chapman_Enskog(temperature, pressure, a.molar_mass, b.molar_mass, sa, sb, ea, eb)
