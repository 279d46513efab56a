r"""Costing of RO plants: capital, operating cost and the levelised cost of water (LCOW).

Pure, vectorised NumPy functions (arrays in, arrays out; the unit is in every name) and one
composer on top, :func:`cost_projection`, that costs a projection (:class:`ROResult`, one case
or a batch of thousands) with a named :class:`CostBasis` from ``data/cost_bases.csv``.

Public names (kept stable; the optimiser and the studies call them)
------------------------------------------------------------------
* :func:`cost_projection` ``(result, basis="watertap", **overrides) -> dict`` -- floats for a
  single projection, arrays over the batch for a batch. Keys: ``lcow_usd_m3``,
  ``capital_usd``, ``annual_capital_usd_yr``, ``annual_operating_usd_yr``,
  ``annual_cost_usd_yr``, ``annual_production_m3_yr``, ``capital_recovery_factor_per_yr``,
  ``breakdown`` (per m^3 of product: ``capital_usd_m3``, ``electricity_usd_m3``,
  ``membrane_replacement_usd_m3``, ``maintenance_usd_m3``, ``chemicals_usd_m3``,
  ``labour_usd_m3``), ``annual_usd_yr`` (the same items per year, ``capital_usd_yr``...),
  ``capital_items_usd`` (installed capital: ``membranes_usd``, ``pressure_vessels_usd``,
  ``high_pressure_pumps_usd``, ``booster_pumps_usd``, ``energy_recovery_usd``,
  ``intake_pretreatment_usd``), ``basis`` and ``currency_year``.
* :func:`plant_quantities` ``(result) -> PlantQuantities`` -- what is costed (flows, areas,
  counts, powers) taken from a projection; :func:`lcow` ``(quantities, basis) -> dict`` costs
  them (same keys as above, always arrays).
* :class:`CostBasis`, :func:`cost_basis` ``(name="watertap", **overrides)``,
  :func:`basis_names`, :data:`BREAKDOWN_ITEMS`, :data:`CAPITAL_ITEMS`.
* Unit functions: :func:`capital_recovery_factor`, :func:`membrane_capital_usd`,
  :func:`pressure_vessel_capital_usd`, :func:`pump_capital_usd`,
  :func:`low_pressure_pump_capital_usd`, :func:`flow_capital_usd` (pressure exchanger,
  turbine), :func:`intake_pretreatment_capital_usd`, :func:`annual_production_m3_yr`,
  :func:`electricity_cost_usd_yr`, :func:`chemical_cost_usd_yr`.

The equations (WaterTAP's ``WaterTAPCosting`` when the basis is ``"watertap"``)::

    equipment   = membrane + vessels + pumps + ERD + intake/pretreatment     [USD]
    installed   = installation_factor * equipment          (WaterTAP: TIC = 2)
    capital_usd = total_investment_factor * installed
    annual      = CRF * capital_usd + electricity + membrane replacement
                  + maintenance_per_yr * installed + chemicals + labour     [USD/yr]
    LCOW        = annual / (product flow * utilisation * one year)          [USD/m3]

A year is 365.25 days (8766 h), as in WaterTAP. The currency is that of the basis
(``currency_year``); nothing is escalated.

Examples
--------
>>> round(float(capital_recovery_factor(0.09307339771758532, 30)), 4)
0.1
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import NamedTuple

import numpy as np

from ..data import load_csv
from ..errors import InputError, finite_number, suggest

__all__ = [
    "HOURS_PER_YEAR", "SECONDS_PER_YEAR", "BREAKDOWN_ITEMS", "CAPITAL_ITEMS",
    "CostBasis", "PlantQuantities", "basis_names", "cost_basis", "basis_table",
    "capital_recovery_factor", "membrane_capital_usd", "pressure_vessel_capital_usd",
    "pump_capital_usd", "low_pressure_pump_capital_usd", "flow_capital_usd",
    "intake_pretreatment_capital_usd", "annual_production_m3_yr", "electricity_cost_usd_yr",
    "chemical_cost_usd_yr", "plant_quantities", "lcow", "cost_projection",
]

#: Hours in a year of 365.25 days (WaterTAP's year, through pint)
HOURS_PER_YEAR = 8766.0
#: Seconds in a year of 365.25 days
SECONDS_PER_YEAR = HOURS_PER_YEAR * 3600.0
#: The items of the LCOW breakdown, in order (keys ``<item>_usd_m3`` and ``<item>_usd_yr``)
BREAKDOWN_ITEMS = ("capital", "electricity", "membrane_replacement", "maintenance", "chemicals",
                   "labour")
#: The installed-capital items (keys ``<item>_usd``)
CAPITAL_ITEMS = ("membranes", "pressure_vessels", "high_pressure_pumps", "booster_pumps",
                 "energy_recovery", "intake_pretreatment")

_DATA_FILE = "cost_bases.csv"


# --------------------------------------------------------------------------------------------
# the basis


@dataclass(frozen=True)
class CostBasis:
    """A named set of cost parameters (one basis of ``data/cost_bases.csv``).

    Every number is in the unit its name says; USD of ``currency_year``. Build one with
    :func:`cost_basis` (by name, with overrides) or change a copy with :meth:`with_overrides`.
    ``chemical_prices_usd_kg`` maps a chemical to its price; ``chemical_doses_kg_m3`` maps a
    chemical to its dose per m^3 of RO feed (a dose of 1 mg/L is 0.001 kg/m^3).
    """

    name: str
    currency_year: int = 2018
    membrane_cost_usd_m2: float = 0.0
    membrane_element_cost_usd: float = 0.0
    pressure_vessel_cost_usd: float = 0.0
    high_pressure_pump_cost_usd_W: float = 0.0
    booster_pump_cost_usd_W: float = 0.0
    pressure_exchanger_cost_usd_per_m3_h: float = 0.0
    turbine_cost_usd_per_m3_h: float = 0.0
    intake_pretreatment_cost_usd_per_m3_d: float = 0.0
    installation_factor: float = 1.0
    total_investment_factor: float = 1.0
    electricity_price_usd_kWh: float = 0.0
    interest_rate: float = 0.0
    plant_life_yr: float = 20.0
    utilisation: float = 1.0
    membrane_replacement_per_yr: float = 0.0
    maintenance_per_yr: float = 0.0
    labour_usd_m3: float = 0.0
    chemical_prices_usd_kg: Mapping = field(default_factory=dict)
    chemical_doses_kg_m3: Mapping = field(default_factory=dict)

    def __post_init__(self):
        for f in fields(self):
            if f.name in ("name", "chemical_prices_usd_kg", "chemical_doses_kg_m3"):
                continue
            value = getattr(self, f.name)
            number = finite_number(value, f.name)
            if f.name == "plant_life_yr" and not number > 0:
                raise InputError(f"plant_life_yr must be > 0 years, got {value!r}")
            if number < 0:
                raise InputError(f"{f.name} must be a finite number >= 0, got {value!r}")
            object.__setattr__(self, f.name, int(number) if f.name == "currency_year"
                               else number)
        if not 0 < self.utilisation <= 1:
            raise InputError(f"utilisation must be a fraction in (0, 1], got "
                             f"{self.utilisation:g}")
        for name in ("installation_factor", "total_investment_factor"):
            if getattr(self, name) <= 0:
                raise InputError(f"{name} must be > 0, got {getattr(self, name):g}")
        prices = _positive_map(self.chemical_prices_usd_kg, "chemical price", "USD/kg")
        doses = _positive_map(self.chemical_doses_kg_m3, "chemical dose", "kg/m3")
        for chemical in doses:
            if chemical not in prices:
                raise InputError(f"no price for chemical {chemical!r} in basis "
                                 f"{self.name!r}.{suggest(chemical, prices)} Give "
                                 f"chemical_prices_usd_kg: {{{chemical}: ...}}")
        object.__setattr__(self, "chemical_prices_usd_kg", prices)
        object.__setattr__(self, "chemical_doses_kg_m3", doses)

    def with_overrides(self, **overrides) -> CostBasis:
        """A copy with some parameters changed (unknown names: one-line InputError).

        Chemical maps are merged into the basis's own (``chemical_doses_kg_m3={"antiscalant":
        0.003}`` changes one dose and keeps the others).
        """
        if not overrides:
            return self
        known = [f.name for f in fields(self) if f.name != "name"]
        changes = {}
        for key, value in overrides.items():
            if key not in known:
                raise InputError(f"unknown costing parameter {key!r}.{suggest(key, known)} "
                                 f"Known: {', '.join(known)}")
            if key in ("chemical_prices_usd_kg", "chemical_doses_kg_m3"):
                if not isinstance(value, Mapping):
                    raise InputError(f"{key} must be a mapping chemical -> number, "
                                     f"got {value!r}")
                value = {**getattr(self, key), **value}
            changes[key] = value
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """JSON-ready parameters (keys carry their unit)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["chemical_prices_usd_kg"] = dict(self.chemical_prices_usd_kg)
        out["chemical_doses_kg_m3"] = dict(self.chemical_doses_kg_m3)
        return out


def _positive_map(mapping, what, unit) -> dict:
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise InputError(f"{what}s must be a mapping chemical -> number [{unit}], "
                         f"got {mapping!r}")
    out = {}
    for key, value in mapping.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{what} of {key!r} must be a number [{unit}], "
                             f"got {value!r}") from None
        if isinstance(value, bool) or not np.isfinite(number) or number < 0:
            raise InputError(f"{what} of {key!r} must be a finite number >= 0 "
                             f"[{unit}], got {value!r}")
        out[str(key)] = number
    return out


def basis_table():
    """The cost-basis table (pandas DataFrame: basis, parameter, value, unit, source, note)."""
    return load_csv(_DATA_FILE)


def basis_names() -> list[str]:
    """Names of the cost bases in ``data/cost_bases.csv``.

    Examples
    --------
    >>> basis_names()
    ['voutchkov2018', 'watertap']
    """
    return sorted(set(basis_table()["basis"]))


@functools.cache
def _basis_from_table(name: str) -> CostBasis:
    table = basis_table()
    rows = table[table["basis"] == name]
    values, prices, doses = {}, {}, {}
    for parameter, value in zip(rows["parameter"], rows["value"], strict=True):
        if parameter.startswith("chemical_price_usd_kg."):
            prices[parameter.split(".", 1)[1]] = float(value)
        elif parameter.startswith("chemical_dose_kg_m3."):
            doses[parameter.split(".", 1)[1]] = float(value)
        else:
            values[parameter] = float(value)
    return CostBasis(name=name, chemical_prices_usd_kg=prices, chemical_doses_kg_m3=doses,
                     **values)


def cost_basis(name: str | CostBasis = "watertap", **overrides) -> CostBasis:
    """The cost basis ``name`` from ``data/cost_bases.csv``, with ``overrides`` applied.

    Parameters
    ----------
    name : str or CostBasis
        ``"watertap"`` (WaterTAP's default costing parameters) or ``"voutchkov2018"``
        (an element-based SWRO basis; see the data file for every source), or a basis.
    **overrides
        Any :class:`CostBasis` field, e.g. ``electricity_price_usd_kWh=0.1``.

    Examples
    --------
    >>> cost_basis("watertap").electricity_price_usd_kWh
    0.07
    >>> cost_basis("watertap", plant_life_yr=20).plant_life_yr
    20.0
    >>> cost_basis("watertapp")
    Traceback (most recent call last):
    ...
    osmolab.errors.InputError: unknown cost basis 'watertapp'. Did you mean 'watertap'? Known: voutchkov2018, watertap
    """
    if isinstance(name, CostBasis):
        return name.with_overrides(**overrides)
    if not isinstance(name, str):
        raise InputError(f"cost basis must be a name, got {name!r}")
    key = name.strip().lower()
    names = basis_names()
    if key not in names:
        raise InputError(f"unknown cost basis {name!r}.{suggest(key, names)} "
                         f"Known: {', '.join(names)}")
    return _basis_from_table(key).with_overrides(**overrides)


# --------------------------------------------------------------------------------------------
# unit functions (vectorised; units in the names)


def capital_recovery_factor(interest_rate, plant_life_yr):
    r"""Capital recovery factor: the annual payment that repays one unit of capital [1/yr].

    Parameters
    ----------
    interest_rate : numeric
        Interest rate or weighted average cost of capital [1/yr], >= 0.
    plant_life_yr : numeric
        Plant (loan) life [yr], > 0.

    Returns
    -------
    numeric
        CRF [1/yr]; ``1 / plant_life_yr`` at zero interest.

    Notes
    -----
    .. math:: \mathrm{CRF} = \frac{i}{1 - (1 + i)^{-n}}

    WaterTAP's ``capital_recovery_factor_constraint`` (watertap_costing_package.py); its
    default WACC of 0.0930734 over 30 years gives exactly 0.1.

    References
    ----------
    .. [1] Peters, M. S., Timmerhaus, K. D. and West, R. E., 2003, Plant Design and Economics
       for Chemical Engineers, 5th ed., McGraw-Hill, ch. 7.

    Examples
    --------
    >>> round(float(capital_recovery_factor(0.06, 25)), 5)
    0.07823
    >>> float(capital_recovery_factor(0.0, 20))
    0.05
    """
    i = np.asarray(interest_rate, dtype=float)
    n = np.asarray(plant_life_yr, dtype=float)
    safe = np.where(i > 1e-12, i, 1.0)
    crf = safe / (1.0 - (1.0 + safe) ** (-n))
    return np.where(i > 1e-12, crf, 1.0 / n)


def membrane_capital_usd(area_m2, cost_usd_m2, n_elements=0.0, cost_usd_element=0.0):
    r"""Purchase cost of the membranes [USD].

    Parameters
    ----------
    area_m2 : numeric
        Total active membrane area [m^2].
    cost_usd_m2 : numeric
        Cost per m^2 of membrane (WaterTAP: 30 USD_2018/m^2) [USD/m^2].
    n_elements : numeric
        Number of elements [-].
    cost_usd_element : numeric
        Cost per element (element-based bases) [USD].

    Notes
    -----
    .. math:: C = c_A A + c_e N_e

    WaterTAP ``cost_membrane`` (watertap/costing/util.py) without its installation factor.

    Examples
    --------
    >>> float(membrane_capital_usd(54.3, 30.0))
    1629.0
    """
    return (np.asarray(area_m2, float) * cost_usd_m2
            + np.asarray(n_elements, float) * cost_usd_element)


def pressure_vessel_capital_usd(n_vessels, cost_usd_vessel):
    """Purchase cost of the pressure vessels [USD] (count times cost per vessel).

    Examples
    --------
    >>> float(pressure_vessel_capital_usd(14, 4000.0))
    56000.0
    """
    return np.asarray(n_vessels, float) * cost_usd_vessel


def pump_capital_usd(shaft_power_W, cost_usd_W):
    r"""Purchase cost of a high-pressure or booster pump from its shaft power [USD].

    Parameters
    ----------
    shaft_power_W : numeric
        Mechanical (shaft) power [W].
    cost_usd_W : numeric
        Cost per W (WaterTAP high-pressure pump: 53 USD/(bar m^3/h) = 1.908 USD_2018/W) [USD/W].

    Notes
    -----
    .. math:: C = c_W\,W

    WaterTAP ``cost_high_pressure_pump`` (watertap/costing/unit_models/pump.py), after Malek,
    Hawlader and Ho (1996), without its installation factor.

    References
    ----------
    .. [1] Malek, A., Hawlader, M. N. A. and Ho, J. C., 1996, Design and economics of RO
       seawater desalination, Desalination 105, 245-261.

    Examples
    --------
    >>> round(float(pump_capital_usd(4570.0, 1.908)), 1)
    8719.6
    """
    return np.maximum(np.asarray(shaft_power_W, float), 0.0) * cost_usd_W


def low_pressure_pump_capital_usd(flow_m3_s, cost_usd_per_L_s=889.0):
    """Purchase cost of a low-pressure pump from its flow [USD] (WaterTAP
    ``cost_low_pressure_pump``: 889 USD_2018 per L/s).

    Examples
    --------
    >>> float(low_pressure_pump_capital_usd(0.01))
    8890.0
    """
    return np.asarray(flow_m3_s, float) * 1e3 * cost_usd_per_L_s


def flow_capital_usd(flow_m3_h, cost_usd_per_m3_h):
    r"""Purchase cost of a device costed by its flow (pressure exchanger, turbine) [USD].

    Parameters
    ----------
    flow_m3_h : numeric
        Flow through the device [m^3/h] (WaterTAP: the pressure exchanger's low-pressure
        feed-side inlet; the turbine's inlet).
    cost_usd_per_m3_h : numeric
        Cost per m^3/h (WaterTAP: 535 USD_2018 per m^3/h) [USD/(m^3/h)].

    Notes
    -----
    WaterTAP ``cost_pressure_exchanger`` / ``cost_pressure_exchanger_erd`` through
    ``cost_by_flow_volume`` (watertap/costing/util.py), without the installation factor.

    Examples
    --------
    >>> round(float(flow_capital_usd(1.819, 535.0)), 1)
    973.2
    """
    return np.maximum(np.asarray(flow_m3_h, float), 0.0) * cost_usd_per_m3_h


def intake_pretreatment_capital_usd(capacity_m3_d, cost_usd_per_m3_d):
    """Purchase cost of intake, pretreatment and outfall per m^3/d of product capacity [USD].

    Examples
    --------
    >>> float(intake_pretreatment_capital_usd(10000.0, 300.0))
    3000000.0
    """
    return np.asarray(capacity_m3_d, float) * cost_usd_per_m3_d


def annual_production_m3_yr(product_flow_m3_s, utilisation):
    """Water produced in a year [m^3/yr] at flow ``product_flow_m3_s`` and the
    ``utilisation`` (load factor, fraction of the year on line).

    Examples
    --------
    >>> round(float(annual_production_m3_yr(4.954e-4, 0.9)), 1)
    14070.2
    """
    return np.asarray(product_flow_m3_s, float) * SECONDS_PER_YEAR * utilisation


def electricity_cost_usd_yr(power_kW, price_usd_kWh, utilisation):
    r"""Electricity bill [USD/yr] of a plant drawing ``power_kW`` while on line.

    Notes
    -----
    .. math:: C = P\,p_e\,8766\,u

    (WaterTAP: the aggregate electricity flow times ``electricity_cost`` times
    ``utilization_factor``.)

    Examples
    --------
    >>> round(float(electricity_cost_usd_yr(4.956, 0.07, 0.9)), 1)
    2737.0
    """
    return np.asarray(power_kW, float) * price_usd_kWh * HOURS_PER_YEAR * utilisation


def chemical_cost_usd_yr(feed_flow_m3_s, doses_kg_m3, prices_usd_kg, utilisation):
    """Chemicals bill [USD/yr]: feed volume per year times the sum of dose x price.

    Parameters
    ----------
    feed_flow_m3_s : numeric
        Dosed (RO feed) flow [m^3/s].
    doses_kg_m3, prices_usd_kg : Mapping[str, float]
        Dose per m^3 of feed [kg/m^3] and price [USD/kg] of each chemical.
    utilisation : float
        Fraction of the year on line [-].

    Examples
    --------
    >>> round(float(chemical_cost_usd_yr(0.1, {"antiscalant": 0.002},
    ...                                  {"antiscalant": 2.5}, 1.0)), 1)
    15778.8
    """
    usd_per_m3 = sum(float(dose) * float(prices_usd_kg[name]) for name, dose in doses_kg_m3.items())
    return np.asarray(feed_flow_m3_s, float) * SECONDS_PER_YEAR * utilisation * usd_per_m3


# --------------------------------------------------------------------------------------------
# what is costed


class PlantQuantities(NamedTuple):
    """What a cost basis prices (arrays over the batch; SI or the unit in the name).

    ``high_pressure_pump_W``: shaft power of the first-pass high-pressure pump (gross, before
    a turbine's recovery) plus the second-pass pump; ``booster_pump_W``: shaft power of the
    pressure-exchanger booster and the interstage boosters; ``electric_power_kW``: the
    plant's net electrical draw; ``pressure_exchanger_flow_m3_h``, ``turbine_flow_m3_h``:
    flows through the energy-recovery device (zero when absent).
    """

    product_flow_m3_s: np.ndarray
    feed_flow_m3_s: np.ndarray
    membrane_area_m2: np.ndarray
    n_elements: np.ndarray
    n_vessels: np.ndarray
    high_pressure_pump_W: np.ndarray
    booster_pump_W: np.ndarray
    electric_power_kW: np.ndarray
    pressure_exchanger_flow_m3_h: np.ndarray
    turbine_flow_m3_h: np.ndarray


def plant_quantities(result) -> PlantQuantities:
    """The costed quantities of a projection (:class:`osmolab.ro.results.ROResult`).

    Membrane area, elements and vessels come from the resolved array of each pass; the pump
    powers from the energy balance (electrical powers times the motor efficiency give the
    shaft powers that size the pumps); the energy-recovery flows from the first-pass
    concentrate (less the pressure exchanger's leakage).
    """
    system = result.system
    n = len(result)
    ones = np.ones(n)
    area = elements = vessels = 0.0
    for p in result.passes:
        setup = p["setup"]
        for e, model in enumerate(setup.models):
            v = float(setup.vessels[setup.stage_of[e]])
            area += float(model.area) * v
            elements += v
        vessels += float(np.sum(setup.vessels))
    hp_motor = float(system.high_pressure_pump.motor_efficiency)
    booster_motor = float(system.booster_pump.motor_efficiency)
    erd = system.erd
    first = result.passes[0]
    concentrate = np.asarray(first["concentrate_volume"], float) * (
        1.0 - float(system.passes[0].concentrate_recycle))
    hp_electric = np.asarray(result.high_pressure_pump_power, float)
    px_flow = turbine_flow = np.zeros(n)
    if erd.kind == "pressure_exchanger":
        px_flow = (1.0 - float(erd.leakage)) * concentrate * 3600.0
    elif erd.kind == "turbine":
        turbine_flow = concentrate * 3600.0
        hp_electric = hp_electric + np.asarray(result.erd_recovered_power, float)
    high_pressure = (hp_electric + np.asarray(result.second_pass_power, float)) * hp_motor
    booster = (np.asarray(result.booster_power, float)
               + np.asarray(result.interstage_power, float)) * booster_motor
    return PlantQuantities(
        product_flow_m3_s=np.asarray(result.product_flow, float) * ones,
        feed_flow_m3_s=np.asarray(result.ro_feed_flow, float) * ones,
        membrane_area_m2=area * ones, n_elements=elements * ones, n_vessels=vessels * ones,
        high_pressure_pump_W=high_pressure * ones, booster_pump_W=booster * ones,
        electric_power_kW=np.asarray(result.total_power, float) / 1e3 * ones,
        pressure_exchanger_flow_m3_h=px_flow * ones, turbine_flow_m3_h=turbine_flow * ones)


# --------------------------------------------------------------------------------------------
# LCOW


def lcow(quantities: PlantQuantities, basis: CostBasis | str = "watertap", **overrides) -> dict:
    r"""Levelised cost of water and its breakdown for costed quantities (arrays).

    Parameters
    ----------
    quantities : PlantQuantities
        Flows, areas, counts and powers (:func:`plant_quantities`, or built by hand).
    basis : CostBasis or str
        A basis or its name; ``overrides`` change its parameters.

    Returns
    -------
    dict
        Arrays: ``lcow_usd_m3`` [USD/m^3 of product], ``capital_usd`` [USD],
        ``annual_capital_usd_yr``, ``annual_operating_usd_yr``, ``annual_cost_usd_yr``
        [USD/yr], ``annual_production_m3_yr`` [m^3/yr], ``capital_recovery_factor_per_yr``,
        ``breakdown`` (``<item>_usd_m3``), ``annual_usd_yr`` (``<item>_usd_yr``),
        ``capital_items_usd`` (``<item>_usd``, installed), plus ``basis`` and
        ``currency_year``. A case that produces no water has an infinite LCOW.

    Notes
    -----
    .. math::

        C_{cap} = f_{inv} f_{inst} \sum_k C_k, \qquad
        \mathrm{LCOW} = \frac{\mathrm{CRF}\,C_{cap} + C_{el} + f_{mem} C_{mem}
        + f_{m} f_{inst} \sum_k C_k + C_{chem} + c_{lab} V}{V}

    with :math:`V` the product volume per year at the basis's utilisation. With the
    ``"watertap"`` basis these are the equations of WaterTAP's ``WaterTAPCosting``
    (``build_process_costs`` and ``add_LCOW`` in watertap/costing/watertap_costing_package.py,
    WaterTAP 1.7.dev0).

    Examples
    --------
    The pressure-exchanger case of WaterTAP's RO-with-energy-recovery flowsheet (its test
    gives LCOW = 0.4405 USD/m^3):

    >>> q = PlantQuantities(4.954e-4, 1e-3, 54.3, 0, 0, 4950.0, 0.0, 4.956, 1.819, 0.0)
    >>> round(float(lcow(q, "watertap")["lcow_usd_m3"]), 3)
    0.44
    """
    b = cost_basis(basis, **overrides)
    q = PlantQuantities(*(np.asarray(x, dtype=float) for x in quantities))
    membrane_usd = membrane_capital_usd(q.membrane_area_m2, b.membrane_cost_usd_m2,
                                        q.n_elements, b.membrane_element_cost_usd)
    equipment = {
        "membranes": membrane_usd,
        "pressure_vessels": pressure_vessel_capital_usd(q.n_vessels, b.pressure_vessel_cost_usd),
        "high_pressure_pumps": pump_capital_usd(q.high_pressure_pump_W,
                                                b.high_pressure_pump_cost_usd_W),
        "booster_pumps": pump_capital_usd(q.booster_pump_W, b.booster_pump_cost_usd_W),
        "energy_recovery": (flow_capital_usd(q.pressure_exchanger_flow_m3_h,
                                             b.pressure_exchanger_cost_usd_per_m3_h)
                            + flow_capital_usd(q.turbine_flow_m3_h, b.turbine_cost_usd_per_m3_h)),
        "intake_pretreatment": intake_pretreatment_capital_usd(
            q.product_flow_m3_s * 86400.0, b.intake_pretreatment_cost_usd_per_m3_d),
    }
    shape = np.broadcast(*equipment.values(), q.product_flow_m3_s, q.electric_power_kW).shape
    installed_equipment = b.installation_factor * sum(equipment.values())
    capital = b.total_investment_factor * installed_equipment
    crf = float(capital_recovery_factor(b.interest_rate, b.plant_life_yr))
    production = annual_production_m3_yr(q.product_flow_m3_s, b.utilisation)
    annual = {
        "capital": crf * capital,
        "electricity": electricity_cost_usd_yr(q.electric_power_kW, b.electricity_price_usd_kWh,
                                               b.utilisation),
        "membrane_replacement": b.membrane_replacement_per_yr * membrane_usd,
        "maintenance": b.maintenance_per_yr * installed_equipment,
        "chemicals": chemical_cost_usd_yr(q.feed_flow_m3_s, b.chemical_doses_kg_m3,
                                          b.chemical_prices_usd_kg, b.utilisation),
        "labour": b.labour_usd_m3 * production,
    }
    annual = {k: np.broadcast_to(np.asarray(v, float), shape) for k, v in annual.items()}
    total = sum(annual.values())
    produces = production > 0
    per_m3 = np.where(produces, 1.0 / np.where(produces, production, 1.0), 0.0)

    def per_product(v):  # USD/yr -> USD/m3; a cost without product is infinite, never NaN
        return np.where(produces, v * per_m3, np.where(v > 0, np.inf, 0.0))

    breakdown = {f"{k}_usd_m3": per_product(v) for k, v in annual.items()}
    scale = b.total_investment_factor * b.installation_factor
    return {
        "basis": b.name,
        "currency_year": b.currency_year,
        "lcow_usd_m3": np.where(produces, total * per_m3, np.inf),
        "capital_usd": np.broadcast_to(capital, shape) * 1.0,
        "annual_capital_usd_yr": annual["capital"],
        "annual_operating_usd_yr": total - annual["capital"],
        "annual_cost_usd_yr": total,
        "annual_production_m3_yr": np.broadcast_to(production, shape) * 1.0,
        "capital_recovery_factor_per_yr": crf,
        "breakdown": breakdown,
        "annual_usd_yr": {f"{k}_usd_yr": v for k, v in annual.items()},
        "capital_items_usd": {f"{k}_usd": np.broadcast_to(scale * v, shape) * 1.0
                              for k, v in equipment.items()},
    }


def _scalar(value):
    if isinstance(value, dict):
        return {k: _scalar(v) for k, v in value.items()}
    if isinstance(value, np.ndarray) or isinstance(value, np.floating):
        x = float(np.asarray(value).reshape(-1)[0])
        return x if np.isfinite(x) else None
    return value


def cost_projection(result, basis: CostBasis | str = "watertap", **overrides) -> dict:
    """Cost a projection: LCOW [USD/m^3], capital [USD], operating cost [USD/yr], breakdown.

    Parameters
    ----------
    result : osmolab.ro.results.ROResult
        One projection (``project(...)``) or a batch.
    basis : CostBasis or str
        ``"watertap"`` (default), ``"voutchkov2018"``, or a :class:`CostBasis`.
    **overrides
        :class:`CostBasis` fields, e.g. ``electricity_price_usd_kWh=0.1``.

    Returns
    -------
    dict
        The keys of :func:`lcow`. For a single projection every number is a float (``None``
        where not finite, e.g. the LCOW of a case without product); for a batch, arrays over
        the batch (infeasible cases are costed too: mask them with ``result.feasible``).

    Examples
    --------
    >>> import osmolab
    >>> plant = osmolab.load_design(osmolab.example_path("seawater_px"))  # doctest: +SKIP
    >>> cost_projection(osmolab.project(plant))["lcow_usd_m3"]  # doctest: +SKIP
    0.41
    """
    costs = lcow(plant_quantities(result), basis, **overrides)
    return costs if getattr(result, "is_batch", False) else _scalar(costs)
