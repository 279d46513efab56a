r"""Energy of RO systems: pumps, energy recovery, specific energy and its thermodynamic minimum.

Pure vectorised functions in SI units (flows [m^3/s], pressures [Pa], powers [W]); the
train (:mod:`osmolab.ro.train`) composes them.

Pressure exchanger model: the concentrate leaving the last stage (flow :math:`Q_c`, pressure
:math:`P_c`) pressurises :math:`Q_{px} = (1 - l) Q_c` of feed to :math:`\eta P_c`
(:math:`l` leakage, i.e. lubrication flow, :math:`\eta` pressure-transfer efficiency); a
booster pump lifts it to the membrane feed pressure, and the high-pressure pump delivers the
rest, :math:`Q_f - Q_{px}`. Mixing inside the rotor carries a fraction :math:`x` of the
concentrate's excess salinity into the pressurised feed, raising the membrane-feed salinity
(handled in the train's mass balance). A turbine (Pelton wheel or turbocharger) returns
:math:`\eta_t Q_c P_c` to the high-pressure pump shaft.
"""

from __future__ import annotations

import numpy as np

from ..constants import HOUR
from ..errors import InputError

#: 1 kWh/m^3 in Pa (J/m^3)
KWH_PER_M3 = 1000.0 * HOUR


def pump_power(flow, pressure_rise, efficiency):
    r"""Shaft-plus-motor power of a pump [W].

    Parameters
    ----------
    flow : numeric
        Volumetric flow [m^3/s].
    pressure_rise : numeric
        Outlet minus inlet pressure [Pa]; negative values give zero.
    efficiency : numeric
        Overall (pump x motor) efficiency [-].

    Notes
    -----
    .. math:: W = Q\,\Delta P / \eta

    Examples
    --------
    >>> round(float(pump_power(100 / 3600, 60e5, 0.8)) / 1e3, 1)
    208.3
    """
    return (np.asarray(flow) * np.maximum(np.asarray(pressure_rise, dtype=float), 0.0)
            / _efficiency(efficiency, "pump efficiency"))


def pressure_exchanger(concentrate_flow, concentrate_pressure, feed_pressure, efficiency,
                       leakage, booster_efficiency):
    r"""Pressurised-feed flow and booster power of a pressure exchanger.

    Parameters
    ----------
    concentrate_flow : numeric
        High-pressure concentrate to the exchanger [m^3/s].
    concentrate_pressure : numeric
        Its pressure [Pa gauge].
    feed_pressure : numeric
        Membrane feed pressure the booster must reach [Pa gauge].
    efficiency : numeric
        Pressure-transfer efficiency [-].
    leakage : numeric
        Lubrication flow as a fraction of the concentrate [-].
    booster_efficiency : numeric
        Overall booster efficiency [-].

    Returns
    -------
    tuple
        (pressurised feed flow [m^3/s], booster power [W]).

    Examples
    --------
    >>> q, w = pressure_exchanger(55 / 3600, 58e5, 60e5, 0.96, 0.01, 0.8)
    >>> round(float(q) * 3600, 2), round(float(w) / 1e3, 2)
    (54.45, 8.17)
    """
    q = (1.0 - np.asarray(leakage)) * np.asarray(concentrate_flow)
    p_out = _efficiency(efficiency, "pressure-exchanger efficiency") * np.asarray(concentrate_pressure)
    return q, pump_power(q, np.asarray(feed_pressure) - p_out, booster_efficiency)


def turbine_power(concentrate_flow, concentrate_pressure, efficiency):
    r"""Power recovered by a turbine on the concentrate [W].

    Notes
    -----
    .. math:: W = \eta_t Q_c P_c

    Examples
    --------
    >>> round(float(turbine_power(55 / 3600, 58e5, 0.85)) / 1e3, 1)
    75.3
    """
    return (_efficiency(efficiency, "turbine efficiency") * np.asarray(concentrate_flow)
            * np.maximum(np.asarray(concentrate_pressure, dtype=float), 0.0))


def specific_energy(power, permeate_flow):
    """Specific energy consumption [kWh/m^3] of ``power`` [W] per ``permeate_flow`` [m^3/s].

    Examples
    --------
    >>> round(float(specific_energy(100e3, 45 / 3600)), 3)
    2.222
    """
    return np.asarray(power) / np.asarray(permeate_flow) / KWH_PER_M3


def minimum_specific_energy(feed_osmotic_pressure, recovery):
    r"""Reversible minimum work of separation per volume of permeate [kWh/m^3].

    Parameters
    ----------
    feed_osmotic_pressure : numeric
        Osmotic pressure of the feed [Pa].
    recovery : numeric
        Permeate / feed [-], 0 < r < 1.

    Notes
    -----
    For an ideal (van 't Hoff, osmotic pressure proportional to concentration) feed and
    perfect rejection, the reversible work of producing a volume of permeate is

    .. math:: W_{min} = \pi_f \, \frac{\ln[1/(1-r)]}{r}

    which tends to :math:`\pi_f` as :math:`r \to 0`. For 35 g/kg seawater at 25 degC and
    50 % recovery it is about 1.0 kWh/m^3 (Elimelech & Phillip 2011).

    References
    ----------
    .. [1] Elimelech, M. and Phillip, W. A., 2011, The future of seawater desalination: energy,
       technology, and the environment, Science 333, 712-717.

    Examples
    --------
    >>> round(float(minimum_specific_energy(25.9e5, 0.5)), 3)
    0.997
    """
    r = _recovery(recovery)
    r_safe = np.clip(r, 1e-12, 1.0 - 1e-12)
    factor = np.where(r < 1e-6, 1.0 + 0.5 * r_safe, -np.log1p(-r_safe) / r_safe)
    return np.asarray(feed_osmotic_pressure) * factor / KWH_PER_M3


def single_stage_minimum_specific_energy(feed_osmotic_pressure, recovery):
    r"""Least specific energy of one RO stage with an ideal ERD [kWh/m^3].

    Notes
    -----
    The applied pressure must at least equal the concentrate's osmotic pressure,
    :math:`\pi_f/(1-r)`, over the whole stage (Zhu, Christofides & Cohen 2009):

    .. math:: W_{ss} = \frac{\pi_f}{1-r}

    References
    ----------
    .. [1] Zhu, A., Christofides, P. D. and Cohen, Y., 2009, Effect of thermodynamic
       restriction on energy cost optimization of RO membrane water desalination, Ind. Eng.
       Chem. Res. 48, 6010-6021.

    Examples
    --------
    >>> round(float(single_stage_minimum_specific_energy(25.9e5, 0.5)), 3)
    1.439
    """
    r = np.clip(_recovery(recovery), 0.0, 1.0 - 1e-12)
    return np.asarray(feed_osmotic_pressure) / (1.0 - r) / KWH_PER_M3


def _efficiency(value, name):
    """``value`` as a float array; InputError unless 0 < value <= 1 (NaN passes through)."""
    try:
        eta = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number in (0, 1], got {value!r}") from None
    bad = (eta <= 0) | (eta > 1)
    if np.any(bad):
        raise InputError(f"{name} must be a fraction in (0, 1] (82 % = 0.82), got {eta[bad].flat[0]:g}")
    return eta


def _recovery(value):
    """``value`` as a float array; InputError unless 0 <= value < 1 (NaN passes through)."""
    r = np.asarray(value, dtype=float)
    bad = (r < 0) | (r >= 1)
    if np.any(bad):
        raise InputError(f"recovery must be a fraction in [0, 1) (45 % = 0.45), got {r[bad].flat[0]:g}")
    return r
