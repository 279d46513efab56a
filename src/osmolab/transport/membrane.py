r"""Transport through reverse-osmosis membranes and in spacer-filled feed channels.

Pure vectorised functions in SI units: solution–diffusion and Spiegler–Kedem–Katchalsky
fluxes, film-theory concentration polarisation, spacer-channel mass-transfer and friction
correlations, and the temperature, fouling and ageing corrections of the permeabilities.
The spacer-channel correlations and the channel pressure gradient are written once, as
scalar Numba kernels (``*_scalar``) that the RO element march (:mod:`osmolab.ro.march`)
calls segment by segment; the names without the suffix are their vectorised twins.

Symbols: :math:`J_w` volumetric water flux [m/s], :math:`A` water permeability
[m/(s Pa)], :math:`B` solute permeability [m/s], :math:`\Delta P` transmembrane pressure
[Pa], :math:`\Delta\Pi` osmotic-pressure difference [Pa], :math:`k` mass-transfer
coefficient [m/s], :math:`c` concentrations [mol/m^3 or kg/m^3, any consistent unit].
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..constants import T25, R
from ..errors import InputError

__all__ = [
    "water_flux", "solute_flux", "spiegler_kedem_rejection", "kedem_katchalsky_solute_flux",
    "concentration_polarization_factor", "wall_concentration", "permeate_concentration",
    "hydraulic_diameter_spacer", "Schock_Miquel", "Schock_Miquel_friction", "Guillen_Hoek",
    "Guillen_Hoek_friction", "channel_pressure_gradient", "temperature_correction_DuPont",
    "temperature_correction_Arrhenius", "membrane_age_factors", "CORRELATIONS",
    "correlation_code", "Schock_Miquel_scalar", "Schock_Miquel_friction_scalar",
    "Guillen_Hoek_scalar", "Guillen_Hoek_friction_scalar", "spacer_channel_scalar",
    "channel_pressure_gradient_scalar", "water_flux_scalar", "film_theory_passage_scalar",
    "wall_concentration_scalar",
]

# Each law the RO march needs is written once, as a scalar Numba kernel (``*_scalar``: plain
# floats in and out, called by :mod:`osmolab.ro.march`); the function without the suffix is
# its vectorised twin for users and runs the same source with NumPy on arrays.


def _vectorised(kernel, *args):
    """Evaluate the scalar kernel's own source with NumPy on float arrays (broadcast)."""
    return kernel.py_func(*(np.asarray(a, dtype=float) for a in args))



def water_flux(water_permeability, pressure_difference, osmotic_difference,
               reflection_coefficient=1.0):
    r"""Volumetric water flux by solution–diffusion / Kedem–Katchalsky.

    Parameters
    ----------
    water_permeability : numeric
        A [m/(s Pa)].
    pressure_difference : numeric
        Feed minus permeate hydraulic pressure :math:`\Delta P` [Pa].
    osmotic_difference : numeric
        Osmotic pressure at the membrane wall minus that of the permeate [Pa].
    reflection_coefficient : numeric, default 1
        Staverman reflection coefficient :math:`\sigma` [-] (1: ideal semipermeable).

    Returns
    -------
    numeric
        :math:`J_w` [m/s]; negative (reverse osmosis turns into forward osmosis) when
        :math:`\Delta P < \sigma\Delta\Pi`.

    Notes
    -----
    .. math:: J_w = A\,(\Delta P - \sigma\,\Delta\Pi)

    References
    ----------
    .. [1] Wijmans, J. G. and Baker, R. W., 1995, The solution-diffusion model: a review,
       J. Membr. Sci. 107, 1-21.
    .. [2] Kedem, O. and Katchalsky, A., 1958, Thermodynamic analysis of the permeability of
       biological membranes to non-electrolytes, Biochim. Biophys. Acta 27, 229-246.

    Examples
    --------
    >>> round(float(water_flux(1e-12, 55e5, 25e5)) * 3.6e6, 2)  # LMH
    10.8
    >>> float(water_flux(1e-12, 20e5, 25e5)) < 0
    True
    """
    return _vectorised(water_flux_scalar, water_permeability, pressure_difference,
                       osmotic_difference, reflection_coefficient)


@njit(cache=True)
def water_flux_scalar(water_permeability, pressure_difference, osmotic_difference,
                      reflection_coefficient):
    r"""Scalar kernel of :func:`water_flux`: :math:`J_w = A(\Delta P - \sigma\Delta\Pi)` [m/s].

    The RO march (:mod:`osmolab.ro.march`) solves its local water flux with this law.

    Examples
    --------
    >>> round(water_flux_scalar(1e-12, 55e5, 25e5, 1.0) * 3.6e6, 2)  # LMH
    10.8
    """
    return water_permeability * (pressure_difference - reflection_coefficient * osmotic_difference)


def solute_flux(solute_permeability, wall_concentration, permeate_concentration):
    r"""Diffusive solute flux of the solution–diffusion model.

    Parameters
    ----------
    solute_permeability : numeric
        B [m/s].
    wall_concentration, permeate_concentration : numeric
        Concentrations at the feed-side membrane surface and in the permeate [mol/m^3].

    Returns
    -------
    numeric
        :math:`J_s = B (c_m - c_p)` [mol/(m^2 s)].

    References
    ----------
    .. [1] Wijmans, J. G. and Baker, R. W., 1995, J. Membr. Sci. 107, 1-21.

    Examples
    --------
    >>> round(float(solute_flux(3.5e-8, 600.0, 2.0)) * 1e6, 3)
    20.93
    """
    return np.asarray(solute_permeability) * (np.asarray(wall_concentration)
                                              - np.asarray(permeate_concentration))


def spiegler_kedem_rejection(water_flux, reflection_coefficient, solute_permeability):
    r"""Intrinsic rejection of the Spiegler–Kedem model.

    Parameters
    ----------
    water_flux : numeric
        :math:`J_w` [m/s].
    reflection_coefficient : numeric
        :math:`\sigma` [-].
    solute_permeability : numeric
        Local solute permeability :math:`P_s` (diffusive, per membrane thickness) [m/s].

    Returns
    -------
    numeric
        :math:`R = 1 - c_p/c_m` [-].

    Notes
    -----
    .. math:: R = \frac{\sigma (1 - F)}{1 - \sigma F},\quad
              F = \exp\left(-\frac{1-\sigma}{P_s} J_w\right)

    It tends to :math:`\sigma` at high flux; with :math:`\sigma = 1` it reduces to the
    solution–diffusion rejection :math:`J_w/(J_w + B)`.

    References
    ----------
    .. [1] Spiegler, K. S. and Kedem, O., 1966, Thermodynamics of hyperfiltration (reverse
       osmosis): criteria for efficient membranes, Desalination 1, 311-326.

    Examples
    --------
    >>> round(float(spiegler_kedem_rejection(5e-6, 0.99, 1e-7)), 4)
    0.975
    """
    jw = np.asarray(water_flux, dtype=float)
    sigma = np.asarray(reflection_coefficient, dtype=float)
    ps = np.asarray(solute_permeability, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.exp(-(1.0 - sigma) * jw / ps)
        r_sk = sigma * (1.0 - f) / (1.0 - sigma * f)
        r_sd = jw / (jw + ps)
    return np.where(sigma >= 1.0, r_sd, r_sk)


def kedem_katchalsky_solute_flux(solute_permeability, wall_concentration,
                                 permeate_concentration, water_flux, reflection_coefficient):
    r"""Solute flux with diffusion and convection (Kedem–Katchalsky, linearised).

    Notes
    -----
    .. math:: J_s = B (c_m - c_p) + (1 - \sigma) J_w \bar c,\quad
              \bar c = (c_m + c_p)/2

    Examples
    --------
    >>> round(float(kedem_katchalsky_solute_flux(3.5e-8, 600., 2., 5e-6, 0.99)) * 1e6, 2)
    35.98
    """
    cm = np.asarray(wall_concentration)
    cp = np.asarray(permeate_concentration)
    return (np.asarray(solute_permeability) * (cm - cp)
            + (1.0 - np.asarray(reflection_coefficient)) * np.asarray(water_flux)
            * 0.5 * (cm + cp))


def concentration_polarization_factor(water_flux, mass_transfer_coefficient):
    r"""Film-theory polarisation exponential :math:`\exp(J_w/k)` [-].

    Notes
    -----
    Film theory gives :math:`(c_m - c_p)/(c_b - c_p) = \exp(J_w/k)`; with complete rejection
    this is the concentration-polarisation factor :math:`\beta = c_m/c_b`.

    References
    ----------
    .. [1] Sherwood, T. K., Brian, P. L. T., Fisher, R. E. and Dresner, L., 1965, Salt
       concentration at phase boundaries in desalination by reverse osmosis, Ind. Eng. Chem.
       Fundam. 4, 113-118.

    Examples
    --------
    >>> round(float(concentration_polarization_factor(5e-6, 3e-5)), 4)
    1.1814
    """
    return np.exp(np.asarray(water_flux) / np.asarray(mass_transfer_coefficient))


def permeate_concentration(bulk_concentration, water_flux, solute_permeability,
                           mass_transfer_coefficient):
    r"""Local permeate concentration with film-theory polarisation (solution–diffusion).

    Parameters
    ----------
    bulk_concentration : numeric
        :math:`c_b` [mol/m^3].
    water_flux : numeric
        :math:`J_w` [m/s], > 0.
    solute_permeability : numeric
        B [m/s].
    mass_transfer_coefficient : numeric
        k [m/s].

    Returns
    -------
    numeric
        :math:`c_p` [mol/m^3].

    Notes
    -----
    Combining :math:`J_s = B(c_m - c_p) = J_w c_p` with film theory
    :math:`c_m - c_p = (c_b - c_p)E`, :math:`E = e^{J_w/k}`:

    .. math:: c_p = \frac{B E}{J_w + B E}\, c_b

    Examples
    --------
    >>> round(float(permeate_concentration(600.0, 5e-6, 3.5e-8, 3e-5)), 3)
    4.921
    """
    e = concentration_polarization_factor(water_flux, mass_transfer_coefficient)
    return _vectorised(film_theory_passage_scalar, water_flux, solute_permeability,
                       e) * np.asarray(bulk_concentration)


@njit(cache=True)
def film_theory_passage_scalar(water_flux, solute_permeability, polarization_factor):
    r"""Local solute passage :math:`c_p/c_b` of solution–diffusion with film theory [-].

    Parameters
    ----------
    water_flux : float
        :math:`J_w` [m/s], > 0.
    solute_permeability : float
        B [m/s].
    polarization_factor : float
        :math:`E = \exp(J_w/k)` [-] (:func:`concentration_polarization_factor`).

    Returns
    -------
    float
        :math:`c_p/c_b = B E / (J_w + B E)` [-]; the scalar kernel of
        :func:`permeate_concentration`, called by the RO march for every solute group.

    Examples
    --------
    >>> round(film_theory_passage_scalar(5e-6, 3.5e-8, 1.1814) * 100, 3)  # percent
    0.82
    """
    be = solute_permeability * polarization_factor
    return be / (water_flux + be)


def wall_concentration(bulk_concentration, permeate_concentration, water_flux,
                       mass_transfer_coefficient):
    r"""Concentration at the membrane wall by film theory [mol/m^3].

    Notes
    -----
    .. math:: c_m = c_p + (c_b - c_p) \exp(J_w / k)

    Examples
    --------
    >>> round(float(wall_concentration(600.0, 4.921, 5e-6, 3e-5)), 1)
    707.9
    """
    return _vectorised(wall_concentration_scalar, bulk_concentration, permeate_concentration,
                       concentration_polarization_factor(water_flux, mass_transfer_coefficient))


@njit(cache=True)
def wall_concentration_scalar(bulk_concentration, permeate_concentration, polarization_factor):
    r"""Scalar kernel of :func:`wall_concentration`: :math:`c_m = c_p + (c_b - c_p) E`.

    ``polarization_factor`` is :math:`E = \exp(J_w/k)` [-]; concentrations in any one unit
    (the RO march passes them relative to the bulk, :math:`c_b = 1`).

    Examples
    --------
    >>> round(wall_concentration_scalar(600.0, 4.921, 1.1814), 1)
    707.9
    """
    return permeate_concentration + (bulk_concentration - permeate_concentration) * polarization_factor


def hydraulic_diameter_spacer(channel_height, spacer_porosity):
    r"""Hydraulic diameter of a spacer-filled channel (Schock & Miquel 1987).

    Parameters
    ----------
    channel_height : numeric
        h [m].
    spacer_porosity : numeric
        :math:`\varepsilon` [-].

    Returns
    -------
    numeric
        :math:`d_h` [m].

    Notes
    -----
    .. math:: d_h = \frac{4\varepsilon}{2/h + (1-\varepsilon)\,8/h}

    (spacer filaments of diameter h/2, specific surface 8/h.)

    References
    ----------
    .. [1] Schock, G. and Miquel, A., 1987, Mass transfer and pressure loss in spiral wound
       modules, Desalination 64, 339-352.

    Examples
    --------
    >>> round(float(hydraulic_diameter_spacer(1e-3, 0.85)) * 1e3, 3)
    1.062
    """
    h = np.asarray(channel_height, dtype=float)
    eps = np.asarray(spacer_porosity, dtype=float)
    return 4.0 * eps / (2.0 / h + (1.0 - eps) * 8.0 / h)


# --------------------------------------------------------------------------------------
# Spacer-channel correlations. Each law is written once, as a scalar Numba kernel
# (``*_scalar``: plain floats in and out, called by the RO march in
# :mod:`osmolab.ro.march`); the function without the suffix is its vectorised twin for
# users: it runs the same source with NumPy on arrays (scalars or arrays, broadcast).
# --------------------------------------------------------------------------------------
@njit(cache=True)
def Schock_Miquel_scalar(Re, Sc):
    r"""Sherwood number in spiral-wound feed channels, Schock & Miquel (1987).

    Parameters
    ----------
    Re : float
        Reynolds number on the hydraulic diameter, :math:`\rho u d_h/\mu` [-].
    Sc : float
        Schmidt number :math:`\mu/(\rho D)` [-].

    Returns
    -------
    float
        :math:`Sh = k d_h / D` [-].

    Notes
    -----
    .. math:: Sh = 0.065\, Re^{0.875} Sc^{0.25}

    Fitted to mass-transfer measurements in commercial spiral-wound elements with net-type
    spacers, roughly 100 < Re < 1000.

    References
    ----------
    .. [1] Schock, G. and Miquel, A., 1987, Mass transfer and pressure loss in spiral wound
       modules, Desalination 64, 339-352.

    Examples
    --------
    >>> round(Schock_Miquel_scalar(200.0, 600.0), 2)
    33.18
    """
    return 0.065 * Re**0.875 * np.sqrt(np.sqrt(Sc))


def Schock_Miquel(Re, Sc):
    r"""Sherwood number of Schock & Miquel (1987), vectorised :func:`Schock_Miquel_scalar`.

    Parameters
    ----------
    Re, Sc : numeric
        Reynolds and Schmidt numbers [-] (broadcast together).

    Returns
    -------
    numeric
        :math:`Sh = 0.065\, Re^{0.875} Sc^{0.25}` [-].

    Examples
    --------
    >>> [round(float(sh), 2) for sh in Schock_Miquel([100.0, 200.0], 600.0)]
    [18.09, 33.18]
    """
    return _vectorised(Schock_Miquel_scalar, Re, Sc)


@njit(cache=True)
def Schock_Miquel_friction_scalar(Re):
    r"""Darcy friction factor of spiral-wound feed channels, Schock & Miquel (1987).

    Parameters
    ----------
    Re : float
        Reynolds number on the hydraulic diameter [-].

    Returns
    -------
    float
        :math:`\lambda` [-], for :math:`-dP/dx = \lambda \rho u^2/(2 d_h)`.

    Notes
    -----
    .. math:: \lambda = 6.23\, Re^{-0.3}

    Same measurements and range as :func:`Schock_Miquel_scalar` (100 < Re < 1000).

    References
    ----------
    .. [1] Schock, G. and Miquel, A., 1987, Desalination 64, 339-352.

    Examples
    --------
    >>> round(Schock_Miquel_friction_scalar(200.0), 3)
    1.271
    """
    return 6.23 * Re**-0.3


def Schock_Miquel_friction(Re):
    r"""Friction factor of Schock & Miquel (1987), vectorised
    :func:`Schock_Miquel_friction_scalar`.

    Examples
    --------
    >>> round(float(Schock_Miquel_friction(200.0)), 3)
    1.271
    """
    return _vectorised(Schock_Miquel_friction_scalar, Re)


@njit(cache=True)
def Guillen_Hoek_scalar(Re, Sc):
    r"""Sherwood number of a spacer-filled flat channel, Guillen & Hoek (2009) form.

    Parameters
    ----------
    Re : float
        Reynolds number on the hydraulic diameter [-].
    Sc : float
        Schmidt number [-].

    Returns
    -------
    float
        :math:`Sh` [-].

    Notes
    -----
    .. math:: Sh = 0.46\, (Re\, Sc)^{0.36}

    The form used by WaterTAP's RO models for a calculated mass-transfer coefficient;
    laminar flow in spacer-filled channels.

    References
    ----------
    .. [1] Guillen, G. and Hoek, E. M. V., 2009, Modeling the impacts of feed spacer geometry
       on reverse osmosis and nanofiltration processes, Chem. Eng. J. 149, 221-231.

    Examples
    --------
    >>> round(Guillen_Hoek_scalar(200.0, 600.0), 2)
    30.99
    """
    return 0.46 * (Re * Sc) ** 0.36


def Guillen_Hoek(Re, Sc):
    r"""Sherwood number of Guillen & Hoek (2009), vectorised :func:`Guillen_Hoek_scalar`.

    Examples
    --------
    >>> round(float(Guillen_Hoek(200.0, 600.0)), 2)
    30.99
    """
    return _vectorised(Guillen_Hoek_scalar, Re, Sc)


@njit(cache=True)
def Guillen_Hoek_friction_scalar(Re):
    r"""Friction factor of a spacer-filled flat channel, Guillen & Hoek (2009).

    Parameters
    ----------
    Re : float
        Reynolds number on the hydraulic diameter [-].

    Returns
    -------
    float
        :math:`f` [-], for :math:`-dP/dx = f \rho u^2/(2 d_h)`.

    Notes
    -----
    .. math:: f = 0.42 + 189.3 / Re

    Laminar flow in spacer-filled channels (the form WaterTAP uses).

    References
    ----------
    .. [1] Guillen, G. and Hoek, E. M. V., 2009, Chem. Eng. J. 149, 221-231.

    Examples
    --------
    >>> round(Guillen_Hoek_friction_scalar(200.0), 4)
    1.3665
    """
    return 0.42 + 189.3 / Re


def Guillen_Hoek_friction(Re):
    r"""Friction factor of Guillen & Hoek (2009), vectorised
    :func:`Guillen_Hoek_friction_scalar`.

    Examples
    --------
    >>> round(float(Guillen_Hoek_friction(200.0)), 4)
    1.3665
    """
    return _vectorised(Guillen_Hoek_friction_scalar, Re)


#: Mass-transfer and friction correlations of spacer-filled channels by name:
#: ``(Sherwood(Re, Sc), friction(Re))``, vectorised. The one list of valid
#: ``correlation`` names (configuration and schema import it); the kernel selects a
#: correlation by its position in this dict (:func:`correlation_code`).
CORRELATIONS = {
    "Schock_Miquel": (Schock_Miquel, Schock_Miquel_friction),
    "Guillen_Hoek": (Guillen_Hoek, Guillen_Hoek_friction),
}


def correlation_code(name):
    """Position of correlation ``name`` in :data:`CORRELATIONS` (the kernel's code).

    Examples
    --------
    >>> correlation_code("Guillen_Hoek")
    1
    """
    try:
        return list(CORRELATIONS).index(name)
    except ValueError:
        raise InputError(f"unknown correlation {name!r}; use one of "
                         f"{', '.join(CORRELATIONS)}") from None


@njit(cache=True)
def spacer_channel_scalar(code, Re, Sc):
    """Sherwood number and friction factor of correlation ``code`` (:func:`correlation_code`).

    Examples
    --------
    >>> sh, f = spacer_channel_scalar(0, 200.0, 600.0)
    >>> round(sh, 2), round(f, 3)
    (33.18, 1.271)
    """
    if code == 0:
        return Schock_Miquel_scalar(Re, Sc), Schock_Miquel_friction_scalar(Re)
    return Guillen_Hoek_scalar(Re, Sc), Guillen_Hoek_friction_scalar(Re)


@njit(cache=True)
def channel_pressure_gradient_scalar(friction_factor, density, velocity, hydraulic_diameter):
    r"""Frictional pressure gradient along a feed channel (Darcy–Weisbach form).

    Parameters
    ----------
    friction_factor : float
        :math:`f` of the channel's correlation [-].
    density : float
        :math:`\rho` [kg/m^3].
    velocity : float
        Superficial cross-flow velocity in the open channel, :math:`u = Q/(W h \varepsilon)`
        [m/s].
    hydraulic_diameter : float
        :math:`d_h` [m].

    Returns
    -------
    float
        :math:`-dP/dx` [Pa/m].

    Notes
    -----
    .. math:: -\frac{dP}{dx} = \frac{f \rho u^2}{2 d_h}

    References
    ----------
    .. [1] Schock, G. and Miquel, A., 1987, Desalination 64, 339-352 (the form with
       their friction factor).

    Examples
    --------
    >>> round(channel_pressure_gradient_scalar(1.273, 1025.0, 0.15, 8.8e-4))
    16681
    """
    return friction_factor * density * velocity * velocity / (2.0 * hydraulic_diameter)


def channel_pressure_gradient(friction_factor, density, velocity, hydraulic_diameter):
    r"""Frictional pressure gradient [Pa/m], vectorised
    :func:`channel_pressure_gradient_scalar`.

    Examples
    --------
    >>> round(float(channel_pressure_gradient(1.273, 1025.0, 0.15, 8.8e-4)))
    16681
    """
    return _vectorised(channel_pressure_gradient_scalar, friction_factor, density, velocity,
                       hydraulic_diameter)


def temperature_correction_DuPont(temperature):
    r"""Temperature-correction factor of A and B used by DuPont FilmTec.

    Parameters
    ----------
    temperature : numeric
        [K].

    Returns
    -------
    numeric
        TCF [-], 1 at 25 degC.

    Notes
    -----
    .. math:: TCF = \exp\left[K\left(\frac{1}{298} - \frac{1}{T}\right)\right],\quad
              K = 2640 \text{ for } T \ge 298\,\mathrm{K},\ 3020 \text{ below}

    with T = 273 + t (degC) as in the manual.

    References
    ----------
    .. [1] DuPont Water Solutions, FilmTec Reverse Osmosis Membranes Technical Manual, Form
       No. 45-D01504-en, section "Temperature correction factor".

    Examples
    --------
    >>> round(float(temperature_correction_DuPont(288.15)), 3)
    0.703
    >>> round(float(temperature_correction_DuPont(308.15)), 3)
    1.333
    """
    t_dupont = _kelvin(temperature) - 0.15
    k = np.where(t_dupont >= 298.0, 2640.0, 3020.0)
    return np.exp(k * (1.0 / 298.0 - 1.0 / t_dupont))


def temperature_correction_Arrhenius(temperature, activation_energy, reference_temperature=T25):
    r"""Arrhenius temperature-correction factor of a permeability.

    Parameters
    ----------
    temperature : numeric
        [K].
    activation_energy : numeric
        [J/mol]; 2640 K x R = 21.9 kJ/mol reproduces DuPont above 25 degC.
    reference_temperature : numeric
        [K].

    Notes
    -----
    .. math:: TCF = \exp\left[-\frac{E_a}{R}\left(\frac1T - \frac1{T_{ref}}\right)\right]

    Examples
    --------
    >>> round(float(temperature_correction_Arrhenius(308.15, 21950.0)), 3)
    1.333
    """
    return np.exp(-np.asarray(activation_energy) / R
                  * (1.0 / _kelvin(temperature) - 1.0 / _kelvin(reference_temperature)))


def membrane_age_factors(age, flux_decline_per_year, salt_passage_increase_per_year):
    r"""Multipliers of A and B after ``age`` years of service.

    Parameters
    ----------
    age : numeric
        [yr].
    flux_decline_per_year, salt_passage_increase_per_year : numeric
        Fractional changes per year [1/yr] (Hydranautics design limits: 3-15 % and 5-12 %).

    Returns
    -------
    tuple of numeric
        :math:`(1-d)^{t}` for A and :math:`(1+s)^{t}` for B.

    Examples
    --------
    >>> a, b = membrane_age_factors(3, 0.07, 0.10)
    >>> round(float(a), 4), round(float(b), 3)
    (0.8044, 1.331)
    """
    age = np.asarray(age, dtype=float)
    if np.any(age < 0):
        raise InputError(f"membrane age must be >= 0 years, got {age[age < 0].flat[0]:g}")
    for name, rate in (("flux_decline_per_year", flux_decline_per_year),
                       ("salt_passage_increase_per_year", salt_passage_increase_per_year)):
        rate = np.asarray(rate, dtype=float)
        bad = (rate < 0) | (rate >= 1)
        if np.any(bad):
            raise InputError(f"{name} is a fraction per year in [0, 1) (7 %/yr = 0.07), "
                             f"got {rate[bad].flat[0]:g}")
    return ((1.0 - np.asarray(flux_decline_per_year)) ** age,
            (1.0 + np.asarray(salt_passage_increase_per_year)) ** age)


def _kelvin(temperature):
    """``temperature`` as a float array [K]; InputError for values that cannot be kelvin."""
    t = np.asarray(temperature, dtype=float)
    bad = t < 200.0  # NaN passes through (NaN in, NaN out)
    if np.any(bad):
        raise InputError(f"temperature is in kelvin (25 degC = 298.15), got {t[bad].flat[0]:g}")
    return t
