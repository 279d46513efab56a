r"""ASTM D4516 normalisation of reverse-osmosis plant data.

Pure vectorised functions in SI units (flows [m^3/s], pressures [Pa], temperatures [K],
conductivities [S/m], concentrations [kg/m^3]) and :func:`normalize`, which composes them
over a whole log (one NumPy expression per quantity, no loop over rows).

The equations are those of ASTM D4516 ("Standard Practice for Standardizing Reverse Osmosis
Performance Data") as reproduced in the FilmTec technical manual's chapter on data
normalisation; the temperature-correction factor is the one of
:func:`osmolab.transport.membrane.temperature_correction_DuPont` (one home per equation) and
the osmotic pressure that of :func:`osmolab.thermo.seawater.osmotic_pressure`.

References
----------
.. [1] ASTM D4516-19a, Standard Practice for Standardizing Reverse Osmosis Performance Data,
   ASTM International, West Conshohocken, 2019, sections 6.1 (permeate flow) and 6.2 (salt
   passage).
.. [2] DuPont Water Solutions, FilmTec Reverse Osmosis Membranes Technical Manual, Form No.
   45-D01504-en, "Normalization of Performance Data" and "Cleaning and Sanitization".
.. [3] UNESCO, 1983, Algorithms for computation of fundamental properties of seawater
   (Fofonoff, N. P. and Millard, R. C.), UNESCO Technical Papers in Marine Science 44
   (the Practical Salinity Scale 1978).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from ..constants import T25
from ..errors import InputError
from ..thermo.seawater import density as seawater_density
from ..thermo.seawater import osmotic_pressure as seawater_osmotic_pressure
from ..transport.membrane import temperature_correction_DuPont

__all__ = [
    "practical_salinity_PSS78", "salinity_from_conductivity", "log_mean_concentration_factor",
    "net_driving_pressure", "normalized_permeate_flow", "normalized_salt_passage",
    "normalized_pressure_drop", "normalize", "temperature_correction_table",
    "read_temperature_correction_table",
    "osmotic_pressure_tds_rule", "OSMOTIC_METHODS",
]

#: Conductivity of standard seawater (S = 35) at 15 degC and 0 dbar, C(35, 15, 0) [S/m] [3].
STANDARD_SEAWATER_CONDUCTIVITY = 4.2914
#: TEOS-10 reference-composition factor: absolute salinity = 35.16504/35 x practical salinity.
ABSOLUTE_SALINITY_FACTOR = 35.16504 / 35.0
#: Lowest practical salinity of PSS-78's range (it holds for 2 <= S <= 42) [3].
PSS78_MIN_SALINITY = 2.0

_PSS_A = (0.0080, -0.1692, 25.3851, 14.0941, -7.0261, 2.7081)
_PSS_B = (0.0005, -0.0056, -0.0066, -0.0375, 0.0636, -0.0144)
_PSS_K = 0.0162
_PSS_C = (0.6766097, 2.00564e-2, 1.104259e-4, -6.9698e-7, 1.0031e-9)


def practical_salinity_PSS78(conductivity, temperature=T25):
    r"""Practical salinity from conductivity at atmospheric pressure (PSS-78).

    Parameters
    ----------
    conductivity : numeric
        Electrical conductivity at ``temperature`` [S/m].
    temperature : numeric, default 298.15
        Temperature of the measurement [K] (25 degC for a temperature-compensated reading).

    Returns
    -------
    numeric
        Practical salinity [-] (numerically close to g/kg), valid for 2 to 42.

    Notes
    -----
    With :math:`R_t = C / (C_{35,15,0}\, r_t(t))` and :math:`t` in degC (IPTS-68 ~ ITS-90
    here),

    .. math:: S = \sum_{i=0}^{5} a_i R_t^{i/2} + \frac{t-15}{1 + k(t-15)}
              \sum_{i=0}^{5} b_i R_t^{i/2}

    References
    ----------
    .. [1] UNESCO, 1983, Technical Papers in Marine Science 44, eqs. for PSS-78.

    Examples
    --------
    >>> round(float(practical_salinity_PSS78(4.2914, 288.15)), 4)
    35.0
    >>> round(float(practical_salinity_PSS78(5.3, 298.15)), 2)
    34.95
    """
    t = np.asarray(temperature, dtype=float) - 273.15
    rt = sum(c * t**i for i, c in enumerate(_PSS_C))
    ratio = np.maximum(np.asarray(conductivity, dtype=float), 0.0) / STANDARD_SEAWATER_CONDUCTIVITY / rt
    root = np.sqrt(ratio)
    powers = [root**i for i in range(6)]
    s = sum(a * p for a, p in zip(_PSS_A, powers, strict=True))
    s = s + (t - 15.0) / (1.0 + _PSS_K * (t - 15.0)) * sum(b * p for b, p in zip(_PSS_B, powers, strict=True))
    return s


def salinity_from_conductivity(conductivity, temperature=T25, factor=None):
    r"""Absolute salinity of a saline water from its conductivity.

    Parameters
    ----------
    conductivity : numeric
        Conductivity [S/m], temperature-compensated to ``temperature``.
    temperature : numeric, default 298.15
        Reference temperature of the reading [K].
    factor : float, optional
        TDS/conductivity ratio [(mg/L)/(uS/cm)]. Without it, PSS-78 gives the salinity where
        it holds (practical salinity >= 2) and, below, a linear ratio continuous with PSS-78 at
        S = 2 (about 0.67 (mg/L)/(uS/cm), inside the 0.55-0.7 of Standard Methods 2510 [2]).

    Returns
    -------
    numeric
        Absolute salinity [kg/kg]: 35.16504/35 x practical salinity / 1000 (reference
        composition), or the TDS of the ratio divided by the density.

    References
    ----------
    .. [1] UNESCO, 1983, Technical Papers in Marine Science 44 (PSS-78).
    .. [2] APHA, AWWA, WEF, Standard Methods for the Examination of Water and Wastewater,
       method 2510 A (conductivity: TDS ~ 0.55 to 0.7 x conductivity).

    Examples
    --------
    >>> round(float(salinity_from_conductivity(5.3)) * 1000, 2)
    35.12
    """
    conductivity = np.asarray(conductivity, dtype=float)
    if factor is None:
        practical = practical_salinity_PSS78(conductivity, temperature)
        low = practical < PSS78_MIN_SALINITY
        if not np.any(low):
            return ABSOLUTE_SALINITY_FACTOR * practical / 1000.0
        factor = _continuous_factor(temperature)
        linear = _salinity_from_ratio(conductivity, temperature, factor)
        return np.where(low, linear, ABSOLUTE_SALINITY_FACTOR * practical / 1000.0)
    return _salinity_from_ratio(conductivity, temperature, factor)


def _continuous_factor(temperature):
    """The TDS/conductivity ratio [(mg/L)/(uS/cm)] that meets PSS-78 at S = 2."""
    grid = np.linspace(0.2, 0.6, 4001)  # S/m, brackets S = 2 from 0 to 40 degC
    s = practical_salinity_PSS78(grid, np.mean(temperature))
    c2 = float(np.interp(PSS78_MIN_SALINITY, s, grid))
    sa = ABSOLUTE_SALINITY_FACTOR * PSS78_MIN_SALINITY / 1000.0
    tds_mg_l = sa * float(seawater_density(sa, np.mean(temperature))) * 1000.0
    return tds_mg_l / (c2 * 1e4)


def _salinity_from_ratio(conductivity, temperature, factor):
    tds = factor * conductivity * 1e4 / 1000.0  # kg/m^3
    rho = seawater_density(np.clip(tds / 1000.0, 0.0, 0.15), temperature)
    return tds / rho


def log_mean_concentration_factor(recovery):
    r"""Ratio of the average feed-concentrate concentration to the feed concentration.

    Parameters
    ----------
    recovery : numeric
        Permeate flow / feed flow [-], 0 <= Y < 1.

    Returns
    -------
    numeric
        :math:`C_{fc}/C_f` [-].

    Notes
    -----
    For a fully rejected solute the log-mean average along the feed channel is

    .. math:: \frac{C_{fc}}{C_f} = \frac{\ln\left[1/(1-Y)\right]}{Y}

    (1 at Y = 0), used by the FilmTec manual's normalisation when the concentrate is not
    measured; with a measured concentrate ASTM D4516 takes the arithmetic mean
    :math:`(C_f + C_c)/2`.

    References
    ----------
    .. [1] DuPont Water Solutions, FilmTec Technical Manual, Form 45-D01504-en,
       "Normalization of Performance Data".

    Examples
    --------
    >>> round(float(log_mean_concentration_factor(0.45)), 4)
    1.3285
    """
    y = np.clip(np.asarray(recovery, dtype=float), 1e-9, 1.0 - 1e-9)
    return np.log(1.0 / (1.0 - y)) / y


def temperature_correction_table(temperatures, factors, multiplier=False):
    r"""A temperature-correction factor interpolated in a vendor's printed table.

    Many operating manuals give the temperature correction as a table rather than as the
    FilmTec exponential; to reproduce their normalisations exactly, pass the table's
    factor as ``temperature_correction=`` to :func:`normalized_permeate_flow`,
    :func:`normalized_salt_passage`, :func:`normalize` or
    :func:`osmolab.operations.normalize_log`.

    Parameters
    ----------
    temperatures : sequence of float
        Table temperatures [K], increasing (at least two).
    factors : sequence of float
        The table's factors [-], positive.
    multiplier : bool, default False
        False: the factors are permeability factors (1 at the table's reference
        temperature, below 1 in colder water), the convention of
        :func:`osmolab.transport.membrane.temperature_correction_DuPont`. True: they
        multiply a measured flow to bring it to the reference temperature (above 1 in colder
        water), the convention of the USFilter and chart tables cited in
        ``tests/test_operations_published.py``; they are inverted.

    Returns
    -------
    callable
        ``tcf(temperature)`` [K] -> permeability factor [-], linear between the table's
        rows and NaN outside them (such rows are not normalised; its attribute ``range``,
        the table's first and last temperature [K], lets
        :func:`osmolab.operations.normalize_log` refuse valid rows outside the table).

    Examples
    --------
    >>> tcf = temperature_correction_table([288.7056, 298.15], [1.44, 1.0], multiplier=True)
    >>> round(float(tcf(288.7056)), 4)
    0.6944
    """
    t = np.asarray(temperatures, dtype=float)
    f = np.asarray(factors, dtype=float)
    if t.ndim != 1 or t.shape != f.shape or t.size < 2:
        raise InputError("a temperature-correction table needs two or more (temperature, factor) rows")
    if not (np.all(np.isfinite(t)) and np.all(np.diff(t) > 0.0)):
        raise InputError("the temperatures of a temperature-correction table must increase")
    if not (np.all(np.isfinite(f)) and np.all(f > 0.0)):
        raise InputError("the factors of a temperature-correction table must be positive")
    f = 1.0 / f if multiplier else f
    low, high = float(t[0]), float(t[-1])

    def tcf(temperature):
        temperature = np.asarray(temperature, dtype=float)
        inside = (temperature >= low - 1e-9) & (temperature <= high + 1e-9)
        return np.where(inside, np.interp(temperature, t, f), np.nan)

    tcf.range = (low, high)
    return tcf


def read_temperature_correction_table(path, multiplier=False):
    """A vendor's temperature-correction table from a CSV file.

    Parameters
    ----------
    path : str or Path
        CSV with a heading row and two columns: the temperature, in degC under a heading
        ending in ``_C`` (e.g. ``temperature_C``) or in degF under one ending in ``_F``, and
        ``factor``; rows in increasing temperature.
    multiplier : bool, default False
        As in :func:`temperature_correction_table`.

    Returns
    -------
    callable
        See :func:`temperature_correction_table`.
    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InputError(f"cannot read the temperature-correction table {path}: {exc.strerror or exc}") from None
    if not rows:
        raise InputError(f"the temperature-correction table {path} has no rows")
    names = {name.strip().lower(): name for name in rows[0] if name}
    unit = next((n for n in names if n != "factor" and n.endswith(("_c", "_f"))), None)
    if unit is None or "factor" not in names:
        raise InputError(f"the temperature-correction table {path} needs a column in degC (heading ending "
                         f"'_C', e.g. temperature_C) or degF ('_F') and a 'factor' column; "
                         f"found {', '.join(names.values())}")
    try:
        t = np.array([float(row[names[unit]]) for row in rows])
        f = np.array([float(row[names["factor"]]) for row in rows])
    except (TypeError, ValueError):
        raise InputError(f"the temperature-correction table {path} has a value that is not a number") from None
    kelvin = (t - 32.0) / 1.8 + 273.15 if unit.endswith("_f") else t + 273.15
    return temperature_correction_table(kelvin, f, multiplier=multiplier)


def _temperature_correction(method):
    """The TCF function [K] -> [-] that ``method`` names (None: the FilmTec one)."""
    if method is None or (isinstance(method, str) and method.lower() in ("dupont", "filmtec")):
        return temperature_correction_DuPont
    if callable(method):
        return method
    raise InputError(f"unknown temperature correction {method!r}; use 'dupont', a function of the "
                     "temperature [K] or osmolab.operations.normalization.temperature_correction_table")


def _tcf_ratio(reference_temperature, temperature, method):
    tcf = _temperature_correction(method)
    return tcf(reference_temperature) / tcf(temperature)


#: Pressure of the "1 psi per 100 mg/L of TDS" rule [Pa per (kg/m^3)].
TDS_RULE_PA_PER_KG_M3 = 6894.757 / 100.0 * 1000.0


def osmotic_pressure_tds_rule(tds):
    r"""Osmotic pressure by the operators' rule of 1 psi per 100 mg/L of dissolved solids.

    Parameters
    ----------
    tds : numeric
        Total dissolved solids [kg/m^3] (1 kg/m^3 = 1000 mg/L).

    Returns
    -------
    numeric
        Osmotic pressure [Pa]: :math:`\pi\,[\mathrm{psi}] = \mathrm{TDS}\,[\mathrm{mg/L}]/100`.

    Notes
    -----
    The rule is printed in small-system manuals (e.g. Culligan, "Aqua-Cleer / Good Water
    Machine drinking water systems", Specifications, p. 18: 1000 mg/L gives 10 psi) and is
    the osmotic estimate of simplified normalisations. It is about 10 % below the
    thermodynamic osmotic pressure of seawater (24.1 against 27 bar at 35 g/kg, 25 degC,
    :func:`osmolab.thermo.seawater.osmotic_pressure`), which osmolab uses by default.

    Examples
    --------
    >>> round(float(osmotic_pressure_tds_rule(1.0)) / 6894.757, 6)   # 1000 mg/L -> psi
    10.0
    """
    return TDS_RULE_PA_PER_KG_M3 * np.asarray(tds, dtype=float)


#: Osmotic-pressure estimates of :func:`operating_state` (``osmotic=``).
OSMOTIC_METHODS = ("seawater", "tds_rule")


def net_driving_pressure(feed_pressure, pressure_drop, permeate_pressure,
                         feed_concentrate_osmotic_pressure, permeate_osmotic_pressure=0.0):
    r"""Net driving pressure of ASTM D4516.

    Parameters
    ----------
    feed_pressure : numeric
        Feed pressure, gauge [Pa].
    pressure_drop : numeric
        Feed-to-concentrate pressure drop [Pa].
    permeate_pressure : numeric
        Permeate pressure, gauge [Pa].
    feed_concentrate_osmotic_pressure : numeric
        Osmotic pressure at the average feed-concentrate concentration [Pa].
    permeate_osmotic_pressure : numeric, default 0
        Osmotic pressure of the permeate [Pa].

    Returns
    -------
    numeric
        NDP [Pa].

    Notes
    -----
    .. math:: NDP = P_f - \frac{\Delta P_{fc}}{2} - P_p - \pi_{fc} + \pi_p

    References
    ----------
    .. [1] ASTM D4516-19a, section 6.1.

    Examples
    --------
    >>> round(float(net_driving_pressure(60e5, 1.2e5, 0.5e5, 33e5, 0.3e5)) / 1e5, 2)
    26.2
    """
    return (np.asarray(feed_pressure, dtype=float) - 0.5 * np.asarray(pressure_drop, dtype=float)
            - permeate_pressure - feed_concentrate_osmotic_pressure + permeate_osmotic_pressure)


def normalized_permeate_flow(permeate_flow, net_driving_pressure, temperature,
                             reference_net_driving_pressure, reference_temperature,
                             temperature_correction=None):
    r"""Permeate flow standardised to reference conditions (ASTM D4516, 6.1).

    Parameters
    ----------
    permeate_flow : numeric
        Actual permeate flow [m^3/s] (any flow unit; the result has the same).
    net_driving_pressure : numeric
        Actual NDP [Pa].
    temperature : numeric
        Actual feed temperature [K].
    reference_net_driving_pressure : numeric
        NDP at the standard (reference) conditions [Pa].
    reference_temperature : numeric
        Temperature of the standard conditions [K].
    temperature_correction : str or callable, optional
        The temperature-correction factor: ``None`` or ``"dupont"`` (the FilmTec one), a
        function of the temperature [K], or :func:`temperature_correction_table`.

    Returns
    -------
    numeric
        Standardised permeate flow [m^3/s].

    Notes
    -----
    .. math:: Q_{p,s} = Q_{p,a}\,\frac{NDP_s}{NDP_a}\,\frac{TCF_s}{TCF_a}

    with the temperature-correction factor of
    :func:`osmolab.transport.membrane.temperature_correction_DuPont` unless another is given.

    References
    ----------
    .. [1] ASTM D4516-19a, section 6.1.

    Examples
    --------
    >>> round(float(normalized_permeate_flow(180.0, 25e5, 293.15, 26e5, 298.15)), 2)
    222.54
    """
    tcf_ratio = _tcf_ratio(reference_temperature, temperature, temperature_correction)
    ndp = np.asarray(net_driving_pressure, dtype=float)
    safe = np.where(ndp > 0.0, ndp, np.nan)
    return np.asarray(permeate_flow, dtype=float) * reference_net_driving_pressure / safe * tcf_ratio


def normalized_salt_passage(salt_passage, permeate_flow, concentration_ratio, temperature,
                            reference_permeate_flow, reference_concentration_ratio,
                            reference_temperature, temperature_correction=None):
    r"""Salt passage standardised to reference conditions (ASTM D4516, 6.2).

    Parameters
    ----------
    salt_passage : numeric
        Actual salt passage, permeate / feed concentration [-].
    permeate_flow : numeric
        Actual permeate flow [m^3/s].
    concentration_ratio : numeric
        Actual average feed-concentrate concentration over feed concentration,
        :math:`C_{fc}/C_f` [-].
    temperature : numeric
        Actual temperature [K].
    reference_permeate_flow, reference_concentration_ratio, reference_temperature : numeric
        The same at the standard conditions [m^3/s], [-], [K].
    temperature_correction : str or callable, optional
        As in :func:`normalized_permeate_flow`.

    Returns
    -------
    numeric
        Standardised salt passage [-].

    Notes
    -----
    The salt flux follows :math:`B\, C_{fc}` and the permeate concentration is the salt flux
    over the water flux, so

    .. math:: SP_s = SP_a\,\frac{Q_{p,a}}{Q_{p,s}}\,
              \frac{(C_{fc}/C_f)_s}{(C_{fc}/C_f)_a}\,\frac{TCF_s}{TCF_a}

    (the FilmTec manual writes the element permeate flows EPF for the flows and uses the same
    temperature factor for the salt permeability).

    References
    ----------
    .. [1] ASTM D4516-19a, section 6.2.
    .. [2] DuPont Water Solutions, FilmTec Technical Manual, Form 45-D01504-en,
       "Normalization of Performance Data".

    Examples
    --------
    >>> round(float(normalized_salt_passage(0.004, 170.0, 1.30, 293.15, 180.0, 1.33, 298.15)), 5)
    0.00459
    """
    tcf_ratio = _tcf_ratio(reference_temperature, temperature, temperature_correction)
    return (np.asarray(salt_passage, dtype=float) * np.asarray(permeate_flow, dtype=float)
            / reference_permeate_flow * reference_concentration_ratio
            / np.asarray(concentration_ratio, dtype=float) * tcf_ratio)


#: Exponent of the feed-concentrate flow in the pressure-drop normalisation [2].
PRESSURE_DROP_FLOW_EXPONENT = 1.5
#: Relative change of the pressure drop per kelvin (viscosity), per the normalisation
#: spreadsheets derived from ASTM D4516 (UNSW Desalination wiki, "ASTM on Data Normalisation").
PRESSURE_DROP_TEMPERATURE_COEFFICIENT = 0.017


def normalized_pressure_drop(pressure_drop, feed_concentrate_flow, temperature,
                             reference_feed_concentrate_flow, reference_temperature,
                             exponent=PRESSURE_DROP_FLOW_EXPONENT):
    r"""Feed-to-concentrate pressure drop standardised to a reference flow and temperature.

    Parameters
    ----------
    pressure_drop : numeric
        Actual pressure drop of a stage or train [Pa].
    feed_concentrate_flow : numeric
        Actual average of feed and concentrate flows, :math:`(Q_f + Q_c)/2` [m^3/s].
    temperature : numeric
        Actual temperature [K].
    reference_feed_concentrate_flow, reference_temperature : numeric
        The same at the reference conditions [m^3/s], [K].
    exponent : float, default 1.5
        Flow exponent of the pressure drop in a spacer-filled channel.

    Returns
    -------
    numeric
        Standardised pressure drop [Pa].

    Notes
    -----
    .. math:: \Delta P_s = \Delta P_a \left(\frac{Q_{fc,s}}{Q_{fc,a}}\right)^{1.5}
              \frac{1 + 0.017\,(t_a - 25)}{1 + 0.017\,(t_s - 25)}

    with :math:`t` in degC (the pressure drop falls about 1.7 % per kelvin as the viscosity
    falls; a reference at 25 degC gives the wiki's form).

    References
    ----------
    .. [1] DuPont Water Solutions, FilmTec Technical Manual, Form 45-D01504-en,
       "Normalization of Performance Data" (pressure drop against the 1.5th power of the
       average feed-concentrate flow).
    .. [2] UNSW Desalination wiki, "ASTM on Data Normalisation" (normalised differential
       pressure with the 1.5 exponent and the 0.017 per kelvin factor).

    Examples
    --------
    >>> round(float(normalized_pressure_drop(1.0e5, 250.0, 293.15, 300.0, 298.15)) / 1e5, 4)
    1.2028
    """
    k = PRESSURE_DROP_TEMPERATURE_COEFFICIENT
    flow = np.asarray(feed_concentrate_flow, dtype=float)
    safe = np.where(flow > 0.0, flow, np.nan)
    return (np.asarray(pressure_drop, dtype=float) * (reference_feed_concentrate_flow / safe) ** exponent
            * (1.0 + k * (np.asarray(temperature, dtype=float) - T25))
            / (1.0 + k * (reference_temperature - T25)))


# -- a whole log ----------------------------------------------------------------------------

#: Inputs of the standard conditions (the reference): name -> description [SI unit].
REFERENCE_KEYS = {
    "feed_pressure": "feed pressure, gauge [Pa]",
    "pressure_drop": "feed-to-concentrate pressure drop [Pa]",
    "permeate_pressure": "permeate pressure, gauge [Pa]",
    "feed_concentrate_osmotic_pressure": "average feed-concentrate osmotic pressure [Pa]",
    "permeate_osmotic_pressure": "permeate osmotic pressure [Pa]",
    "temperature": "feed temperature [K]",
    "permeate_flow": "permeate flow [m^3/s]",
    "concentration_ratio": "C_fc/C_f [-]",
    "feed_concentrate_flow": "(feed + concentrate flow)/2 [m^3/s]",
    "salt_passage": "salt passage [-]",
}


def operating_state(log, conductivity_factor=None, osmotic="seawater"):
    """The quantities of the ASTM D4516 equations, one array per column of ``log``.

    Parameters
    ----------
    log : pandas.DataFrame
        A log as returned by :func:`osmolab.operations.read_log` (SI columns ``feed_flow``,
        ``permeate_flow``, ``feed_pressure``, ``temperature``, ``feed_conductivity`` or
        ``feed_tds``, ...).
    conductivity_factor : float, optional
        TDS/conductivity ratio [(mg/L)/(uS/cm)] instead of PSS-78 (see
        :func:`salinity_from_conductivity`).
    osmotic : {"seawater", "tds_rule"}, default "seawater"
        Osmotic pressures from :func:`osmolab.thermo.seawater.osmotic_pressure` at the logged
        temperature, or by the rule of 1 psi per 100 mg/L of TDS
        (:func:`osmotic_pressure_tds_rule`) of simplified vendor normalisations.

    Returns
    -------
    dict
        Arrays named as :data:`REFERENCE_KEYS` plus ``net_driving_pressure`` [Pa],
        ``recovery`` [-], ``feed_salinity`` [kg/kg], ``permeate_salinity`` [kg/kg].
    """
    if osmotic not in OSMOTIC_METHODS:
        raise InputError(f"unknown osmotic-pressure method {osmotic!r}; "
                         f"use {' or '.join(repr(m) for m in OSMOTIC_METHODS)}")
    col = _columns(log)
    temperature = col("temperature")
    feed_flow, permeate_flow = col("feed_flow"), col("permeate_flow")
    concentrate_flow = col("concentrate_flow", default=None)
    if concentrate_flow is None:
        concentrate_flow = feed_flow - permeate_flow
    recovery = permeate_flow / np.where(feed_flow > 0, feed_flow, np.nan)

    feed_s = _salinity(col, "feed", temperature, conductivity_factor)
    permeate_s = _salinity(col, "permeate", temperature, conductivity_factor)
    concentrate_s = _salinity(col, "concentrate", temperature, conductivity_factor, required=False)
    if concentrate_s is None:
        ratio = log_mean_concentration_factor(recovery)
    else:
        ratio = 0.5 * (feed_s + concentrate_s) / np.where(feed_s > 0, feed_s, np.nan)
    fc_salinity = np.clip(feed_s * ratio, 0.0, 0.12)

    feed_pressure = col("feed_pressure")
    concentrate_pressure = col("concentrate_pressure", default=None)
    pressure_drop = (np.zeros_like(feed_pressure) if concentrate_pressure is None
                     else feed_pressure - concentrate_pressure)
    permeate_pressure = col("permeate_pressure", default=0.0)
    pi_fc = _osmotic_pressure(fc_salinity, temperature, osmotic)
    pi_p = _osmotic_pressure(np.clip(permeate_s, 0.0, 0.12), temperature, osmotic)
    ndp = net_driving_pressure(feed_pressure, pressure_drop, permeate_pressure, pi_fc, pi_p)
    stages = _stages(col, feed_pressure, concentrate_pressure, feed_flow, concentrate_flow)
    return stages | {
        "feed_pressure": feed_pressure, "pressure_drop": pressure_drop,
        "permeate_pressure": permeate_pressure * np.ones_like(feed_pressure),
        "feed_concentrate_osmotic_pressure": pi_fc, "permeate_osmotic_pressure": pi_p,
        "temperature": temperature, "permeate_flow": permeate_flow,
        "concentration_ratio": ratio, "feed_concentrate_flow": 0.5 * (feed_flow + concentrate_flow),
        "salt_passage": permeate_s / np.where(feed_s > 0, feed_s, np.nan),
        "net_driving_pressure": ndp, "recovery": recovery,
        "feed_salinity": feed_s, "permeate_salinity": permeate_s,
    }


def _stages(col, feed_pressure, concentrate_pressure, feed_flow, concentrate_flow):
    """Pressure drops and feed-concentrate flows of two stages, from an interstage pressure.

    Without a logged first-stage permeate flow, both stages take the train's average
    feed-concentrate flow (their flow correction is then approximate).
    """
    interstage = col("interstage_pressure", default=None)
    if interstage is None or concentrate_pressure is None:
        return {}
    stage1_permeate = col("stage1_permeate_flow", default=None)
    if stage1_permeate is None:
        train = 0.5 * (feed_flow + concentrate_flow)
        flows = (train, train)
    else:
        stage1_concentrate = feed_flow - stage1_permeate
        flows = (0.5 * (feed_flow + stage1_concentrate), 0.5 * (stage1_concentrate + concentrate_flow))
    return {
        "pressure_drop_stage1": feed_pressure - interstage,
        "pressure_drop_stage2": interstage - concentrate_pressure,
        "feed_concentrate_flow_stage1": flows[0],
        "feed_concentrate_flow_stage2": flows[1],
    }


#: Stages whose pressure drop is normalised when the log has an interstage pressure.
STAGES = (1, 2)


def _osmotic_pressure(salinity, temperature, method="seawater"):
    """Osmotic pressure [Pa] on the finite rows, NaN elsewhere (missing data)."""
    salinity, temperature = np.broadcast_arrays(np.asarray(salinity, dtype=float),
                                                np.asarray(temperature, dtype=float))
    ok = np.isfinite(salinity) & np.isfinite(temperature) & (temperature > 250.0)
    out = np.full(salinity.shape, np.nan)
    if method == "tds_rule":  # TDS [kg/m^3] = salinity x density
        tds = salinity[ok] * seawater_density(salinity[ok], temperature[ok])
        out[ok] = osmotic_pressure_tds_rule(tds)
        return out
    out[ok] = seawater_osmotic_pressure(salinity[ok], temperature[ok], warn=False)
    return out


def _columns(log):
    def col(name, default=np.nan):
        if name in log.columns:
            return log[name].to_numpy(dtype=float)
        if default is None:
            return None
        if isinstance(default, float) and np.isnan(default):
            raise InputError(f"the log has no {name!r} column, which normalisation needs")
        return np.full(len(log), float(default))
    return col


def _salinity(col, stream, temperature, factor, required=True):
    tds = col(f"{stream}_tds", default=None)
    if tds is not None:  # kg/m^3 -> kg/kg with the seawater density
        return tds / seawater_density(np.clip(tds / 1000.0, 0.0, 0.15), temperature)
    conductivity = col(f"{stream}_conductivity", default=None)
    if conductivity is None:
        if not required:
            return None
        raise InputError(f"the log has neither {stream}_conductivity nor {stream}_tds; "
                         "normalisation needs one of them")
    return salinity_from_conductivity(conductivity, T25, factor)


def reference_conditions(state, mask):
    """Standard conditions: the median of each quantity over the rows in ``mask``.

    Parameters
    ----------
    state : dict
        From :func:`operating_state`.
    mask : array of bool
        Rows of the reference period (valid rows only).

    Returns
    -------
    dict
        One float per key of :data:`REFERENCE_KEYS`, plus ``net_driving_pressure`` [Pa].
    """
    mask = np.asarray(mask, dtype=bool)
    if mask.sum() < 1:
        raise InputError("the reference period holds no valid row; choose other dates")
    keys = list(REFERENCE_KEYS) + [k for k in state if k.startswith(("pressure_drop_stage",
                                                                      "feed_concentrate_flow_stage"))]
    ref = {key: float(np.nanmedian(state[key][mask])) for key in keys}
    ref["net_driving_pressure"] = float(net_driving_pressure(
        ref["feed_pressure"], ref["pressure_drop"], ref["permeate_pressure"],
        ref["feed_concentrate_osmotic_pressure"], ref["permeate_osmotic_pressure"]))
    return ref


def normalize(state, reference, temperature_correction=None):
    """Normalised permeate flow, salt passage and pressure drop of every row.

    Parameters
    ----------
    state : dict
        From :func:`operating_state`.
    reference : dict
        From :func:`reference_conditions` (or given values with the keys of
        :data:`REFERENCE_KEYS`, SI).
    temperature_correction : str or callable, optional
        As in :func:`normalized_permeate_flow` (default: the FilmTec factor).

    Returns
    -------
    dict of arrays
        ``normalized_permeate_flow`` [m^3/s], ``normalized_salt_passage`` [-],
        ``normalized_pressure_drop`` [Pa], and their changes against the reference values
        ``permeate_flow_change``, ``salt_passage_change``, ``pressure_drop_change`` [-]; with
        an interstage pressure also ``normalized_pressure_drop_stage1`` (and 2) [Pa] and
        ``pressure_drop_stage1_change`` (and 2) [-].
    """
    missing = [k for k in REFERENCE_KEYS if k not in reference]
    if missing:
        raise InputError(f"reference values miss {', '.join(missing)}")
    ndp_ref = reference.get("net_driving_pressure")
    if ndp_ref is None:
        ndp_ref = float(net_driving_pressure(
            reference["feed_pressure"], reference["pressure_drop"], reference["permeate_pressure"],
            reference["feed_concentrate_osmotic_pressure"], reference["permeate_osmotic_pressure"]))
    t_ref = reference["temperature"]
    flow = normalized_permeate_flow(state["permeate_flow"], state["net_driving_pressure"],
                                    state["temperature"], ndp_ref, t_ref, temperature_correction)
    passage = normalized_salt_passage(state["salt_passage"], state["permeate_flow"],
                                      state["concentration_ratio"], state["temperature"],
                                      reference["permeate_flow"], reference["concentration_ratio"], t_ref,
                                      temperature_correction)
    drop = normalized_pressure_drop(state["pressure_drop"], state["feed_concentrate_flow"],
                                    state["temperature"], reference["feed_concentrate_flow"], t_ref)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_stage = {}
        for n in STAGES:
            keys = (f"pressure_drop_stage{n}", f"feed_concentrate_flow_stage{n}")
            if not all(k in state and k in reference for k in keys):
                continue
            stage_drop = normalized_pressure_drop(state[keys[0]], state[keys[1]], state["temperature"],
                                                  reference[keys[1]], t_ref)
            per_stage[f"normalized_pressure_drop_stage{n}"] = stage_drop
            per_stage[f"pressure_drop_stage{n}_change"] = (
                stage_drop / reference[keys[0]] - 1.0 if reference[keys[0]] > 0
                else np.full_like(stage_drop, np.nan))
        return per_stage | {
            "normalized_permeate_flow": flow,
            "normalized_salt_passage": passage,
            "normalized_pressure_drop": drop,
            "permeate_flow_change": flow / reference["permeate_flow"] - 1.0,
            "salt_passage_change": passage / reference["salt_passage"] - 1.0,
            "pressure_drop_change": (drop / reference["pressure_drop"] - 1.0
                                     if reference["pressure_drop"] > 0 else np.full_like(drop, np.nan)),
        }

