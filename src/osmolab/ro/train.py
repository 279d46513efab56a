r"""RO trains: passes, stages, recycles, energy recovery and the feed-pressure solver.

Entry point
-----------
``simulate(system, **overrides) -> ROResult``

* ``system`` -- an :class:`osmolab.ro.config.System`.
* ``overrides`` (each a scalar or an array; arrays broadcast together into a batch, solved in
  one vectorised call): ``salinity`` [kg/kg] (rescales the feed composition),
  ``temperature`` [K], ``feed_flow`` [m^3/s], and at most one target that replaces the
  system's: ``recovery`` [-], ``permeate_flow`` [m^3/s] or ``feed_pressure`` [Pa gauge].
* Membrane state per case (for studies and Monte Carlo; the system's values when absent):
  ``fouling_factor`` [-] and ``membrane_age`` [yr] (per case, like the overrides above), and
  ``water_permeability_factor`` / ``salt_permeability_factor`` [-], multipliers of every
  element's A and B: per case (shape ``(n,)``), or per case and element position (shape
  ``(n, E)``, ``E`` the element positions of all passes in order: pass 1 stage 1 position 1
  first). A position stands for all the parallel vessels of its stage.
* ``pass_feed_ph``: one pH or None per pass (e.g. ``(None, 10.0)``: caustic before the
  second pass): NaOH (HCl where the pH is lowered) is dosed to that pass's feed to reach
  the pH (:func:`dose_pass_feed`): the feed gains the Na+ (Cl-) of the dose, its carbon
  (CO2, HCO3-, CO3-2) and boron (B(OH)3, B(OH)4-) are re-split at the pH with their totals
  kept, and OH- carries the rest of the alkalinity, so the boron rejection follows the pH
  and Na, carbon and boron balance. The dose is ``passes[k]["feed_dose"]`` [mol/s].
* ``pass_feed_co2_removal``: one fraction (0-1) or None per pass: that share of the CO2 of
  the pass's feed is stripped (a degasser) before any dose, which lowers the NaOH a set pH
  needs (``passes[k]["feed_co2_removed"]`` [mol/s]).
* Returns an :class:`osmolab.ro.results.ROResult`; with array overrides ``len(result)`` is
  the batch size and ``result[i]`` one case.

Steps
-----
``simulate`` composes five named steps, each a function of its own (pvlib's ModelChain is
the model): :func:`resolve_targets` (overrides, feed streams, property table, pass setups,
target and the infeasibility that is known before solving) -> :func:`solve_passes` (one
sweep through pass 1 and pass 2 at given recycle flows) inside :func:`close_recycles` (the
outer iteration on the recycled flows and the exchanger's mixing) -> :func:`flag_infeasible`
(the reasons known after solving) -> :func:`pass_streams` and :func:`energy_balance` (per-pass
streams, pumps, energy recovery, SEC) -> :func:`build_result` (the :class:`ROResult`).

Method
------
Each pass is marched element by element (:mod:`osmolab.ro.march`, compiled, parallel over
the batch). With a recovery or permeate-flow target, the first-pass recovery follows from
the flow balance in closed form (second-pass recovery and concentrate recycle included) and
the feed pressure is found per case by a bracketed Illinois iteration between 0 and the
lowest maximum pressure of the pass's elements: no initial guess is needed, and a target
beyond that pressure returns the result at maximum pressure flagged infeasible with a
reason. For a single pass with a pressure exchanger the mixing is closed inside the same
compiled iteration as the feed pressure (:func:`osmolab.ro.solver.run_pass`,
``px_mixing``). Recycles (second-pass concentrate to the first-pass feed, a concentrate
recycle on either pass) and the mixing in the other configurations are closed by an outer
fixed-point iteration whose recycle update uses the measured pass-through ratios (exact for
linear passes, so a few iterations reach 1e-10).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError, suggest
from ..thermo.speciation import speciate
from ..transport.membrane import (
    membrane_age_factors,
    temperature_correction_Arrhenius,
    temperature_correction_DuPont,
)
from . import energy
from .chemistry import _ALKALINITY, _TOTALS, resplit_boron, tds_molar_masses
from .config import check_limit
from .feedwater import feed_composition, interpolate, property_table
from .library import resolve_element
from .march import (
    CASE_CONCENTRATE_PRESSURE,
    CASE_CONCENTRATE_VOLUME,
    CASE_CONCENTRATE_WATER,
    CASE_FEED_VOLUME,
    CASE_PERMEATE_VOLUME,
    CASE_PERMEATE_WATER,
    EL_FEED_FLOW,
)
from .results import ROResult
from .solver import run_pass

OVERRIDES = ("salinity", "temperature", "feed_flow", "recovery", "permeate_flow",
             "feed_pressure", "fouling_factor", "membrane_age")
#: multipliers of A and B that may also vary per element position (shape (n, E))
FACTOR_OVERRIDES = ("water_permeability_factor", "salt_permeability_factor")
_TARGETS = ("recovery", "permeate_flow", "feed_pressure")
#: override -> its entry in osmolab.ro.config.LIMITS
_OVERRIDE_LIMITS = {"salinity": "feed.salinity", "temperature": "feed.temperature",
                    "feed_flow": "feed.flow", "recovery": "target.recovery",
                    "permeate_flow": "target.permeate_flow",
                    "feed_pressure": "target.feed_pressure",
                    "fouling_factor": "system.fouling_factor",
                    "membrane_age": "system.membrane_age"}


@dataclass(frozen=True)
class PassSetup:
    """Resolved elements and stage arrays of one pass (``stage_of``/``position``: stage index
    and position in the vessel of each element; per stage: ``vessels``, ``booster`` pressure
    [Pa], ``permeate_pressure`` [Pa]; ``max_pressure``: lowest element maximum [Pa])."""

    models: list
    stage_of: np.ndarray
    position: np.ndarray
    vessels: np.ndarray
    booster: np.ndarray
    permeate_pressure: np.ndarray
    max_pressure: float
    pre_stage_loss: np.ndarray | None = None


def setup_pass(pass_, n_segments, correlation) -> PassSetup:
    """Resolve the elements of a :class:`~osmolab.ro.config.Pass` (library or custom sheets)."""
    models, stage_of, position = [], [], []
    for s, stage in enumerate(pass_.stages):
        for k, entry in enumerate(stage.element_list):
            models.append(resolve_element(entry, n_segments, correlation))
            stage_of.append(s)
            position.append(k + 1)
    return PassSetup(models, np.array(stage_of), np.array(position),
                     np.array([float(st.vessels) for st in pass_.stages]),
                     np.array([float(st.booster_pressure) for st in pass_.stages]),
                     np.array([float(st.permeate_pressure) for st in pass_.stages]),
                     min(m.max_pressure for m in models),
                     np.array([float(st.pre_stage_pressure_loss) for st in pass_.stages]))


def _as_batch(overrides):
    unknown = [k for k in overrides if k not in OVERRIDES]
    if unknown:
        raise InputError(f"unknown override {unknown[0]!r}; use one of {', '.join(OVERRIDES)}."
                         + suggest(unknown[0], OVERRIDES))
    arrays = {}
    for k, v in overrides.items():
        if v is None:
            continue
        try:
            a = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"override {k} must be a number or an array of numbers") from None
        if not np.all(np.isfinite(a)):
            raise InputError(f"override {k} has non-finite values")
        arrays[k] = a
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
    except ValueError:
        raise InputError("array overrides have shapes that do not broadcast together") from None
    batch = len(shape) > 0
    n = int(np.prod(shape)) if batch else 1
    flat = {k: np.broadcast_to(a, shape).reshape(n).astype(float) for k, a in arrays.items()}
    return flat, n, batch


def _tcf(system, temperature):
    if system.temperature_correction == "dupont":
        tcf = temperature_correction_DuPont(temperature)
        return tcf, tcf
    return (temperature_correction_Arrhenius(temperature, system.activation_energy_water),
            temperature_correction_Arrhenius(temperature, system.activation_energy_salt))


def _factors(factors, n, setups):
    """Per-case (and per-position) A and B multipliers, split per pass: None when absent."""
    sizes = [len(s.models) for s in setups]
    total = sum(sizes)
    out = {}
    for name in FACTOR_OVERRIDES:
        value = factors.get(name)
        if value is None:
            out[name] = [None] * len(setups)
            continue
        try:
            a = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"override {name} must be a number or an array of numbers") from None
        if not np.all(np.isfinite(a)) or np.any(a <= 0):
            raise InputError(f"override {name} must be finite and > 0")
        if a.ndim <= 1:
            a = np.broadcast_to(a.reshape(-1, 1) if a.ndim else a, (n, 1))
        if a.ndim != 2 or a.shape[0] not in (1, n) or a.shape[1] not in (1, total):
            raise InputError(f"override {name} must have shape (n,) or (n, {total}) for {n} "
                             f"cases and {total} element positions, got {np.shape(value)}")
        a = np.broadcast_to(a, (n, a.shape[1]))
        edges = np.cumsum([0] + sizes)
        out[name] = [a if a.shape[1] == 1 else a[:, edges[k]:edges[k + 1]]
                     for k in range(len(setups))]
    return out


def _pass_arrays(setup, system, temperature, species, membrane=None, factors=(None, None)):
    membrane = membrane or {}
    tcf_a, tcf_b = _tcf(system, temperature)
    age_a, age_b = membrane_age_factors(membrane.get("membrane_age", system.membrane_age),
                                        system.flux_decline_per_year,
                                        system.salt_passage_increase_per_year)
    fouling = membrane.get("fouling_factor", system.fouling_factor)
    a25 = np.array([m.water_permeability for m in setup.models])
    b25 = np.array([m.salt_permeability for m in setup.models])
    water = a25[None, :] * (tcf_a * fouling * age_a)[:, None]
    salt = b25[None, :] * (tcf_b * age_b)[:, None]
    if factors[0] is not None:
        water = water * factors[0]
    if factors[1] is not None:
        salt = salt * factors[1]
    return {
        "water_permeability": water,
        "salt_permeability": salt,
        "relative_permeability": np.stack([m.relative_permeabilities(species)
                                           for m in setup.models])[None],
        "area": np.array([m.area for m in setup.models]),
        "length": np.array([m.length for m in setup.models]),
        "width": np.array([m.channel_width for m in setup.models]),
        "channel_height": np.array([m.channel_height for m in setup.models]),
        "spacer_porosity": np.array([m.spacer_porosity for m in setup.models]),
        "pressure_drop": np.array([m.pressure_drop for m in setup.models]),
        "element_stage": setup.stage_of,
        "vessels": setup.vessels, "booster_pressure": _stage_pressure_change(setup),
        "permeate_pressure": setup.permeate_pressure,
    }


def _stage_pressure_change(setup):
    """Pressure change before each stage [Pa]: the booster (later stages) less the piping loss
    (the first stage's loss is taken from the pump pressure inside the march)."""
    change = np.array(setup.booster, dtype=float)
    change[0] = 0.0
    if setup.pre_stage_loss is not None:
        change = change - setup.pre_stage_loss
    return change


def _volume(water, solutes, molar_mass, table, temperature):
    """Volumetric flow [m^3/s] of a stream of ``water`` [kg/s] and ``solutes`` [mol/s]."""
    w = np.maximum(water, 1e-300)
    m_tot = solutes.sum(axis=1) / w
    rho = interpolate(table, table.density, m_tot, temperature)
    return (water + solutes @ molar_mass) / rho


# --------------------------------------------------------------------------------------------
# step 1: resolve targets


@dataclass(frozen=True)
class OperatingPoint:
    """The batch a train is solved for: feeds, property table, pass setups and target (SI).

    Arrays have the batch (``n`` cases) as first axis; ``reasons`` holds, per case, the
    reasons found so far why the case is infeasible (steps append to them).
    """

    n: int
    is_batch: bool
    species: tuple
    molar_mass: np.ndarray
    charge: np.ndarray
    temperature: np.ndarray            # [K]
    feed_flow: np.ndarray              # raw feed [m^3/s]
    ro_feed_flow: np.ndarray           # feed to the membranes after blending [m^3/s]
    molality: np.ndarray               # (n, species) [mol/kg]
    table: object                      # feedwater.PropertyTable
    feed_water: np.ndarray             # [kg/s]
    feed_solutes: np.ndarray           # (n, species) [mol/s]
    feed_osmotic_pressure: np.ndarray  # [Pa]
    mode: str                          # "recovery", "permeate_flow" or "feed_pressure"
    value: np.ndarray                  # the target per case [-, m^3/s or Pa]
    product: np.ndarray | None         # final permeate flow wanted [m^3/s]; None: pressure given
    setups: list                       # PassSetup per pass
    pass_arrays: list                  # run_pass keyword arrays per pass
    kernel_options: dict               # run_pass keywords common to both passes
    reasons: list = field(default_factory=list)
    pass_feed_ph: tuple = ()           # per pass: pH its feed is set to (None: as it comes)
    pass_feed_co2_removal: tuple = ()  # per pass: share of its feed's CO2 stripped [-]
    feed_free_co2: np.ndarray | float = 0.0  # CO2 the solutes do not carry [mol/kg]


def resolve_targets(system, **overrides) -> OperatingPoint:
    """Step 1: overrides, feed streams, property table, pass setups and the target.

    Parameters
    ----------
    system : osmolab.ro.config.System
    **overrides
        See the module docstring (SI numbers or arrays of them).

    Returns
    -------
    OperatingPoint
        With the reasons known before solving (a target beyond 99 % recovery, a concentrate
        osmotic pressure above the maximum pressure).
    """
    factor_values = {k: overrides.pop(k) for k in FACTOR_OVERRIDES if k in overrides}
    pass_feed_ph = _pass_feed_ph(overrides.pop("pass_feed_ph", None), len(system.passes))
    co2_removal = _pass_feed_ph(overrides.pop("pass_feed_co2_removal", None),
                                len(system.passes), "pass_feed_co2_removal")
    flat, n, batch = _as_batch(overrides)
    if not batch and any(np.ndim(v) > 0 for v in factor_values.values()):
        n = max(np.shape(v)[0] for v in factor_values.values() if np.ndim(v) > 0)
        batch = True
        flat = {k: np.full(n, v[0]) for k, v in flat.items()}
    feed = system.feed
    comp = feed_composition(feed)
    species = comp.species
    mm = comp.molar_mass
    # overrides are checked against the same limits as the configuration (config.LIMITS)
    for name, key in _OVERRIDE_LIMITS.items():
        if name in flat:
            check_limit(key, flat[name], name)
    salinity = flat.get("salinity", np.full(n, comp.salinity))
    temperature = flat.get("temperature", np.full(n, feed.temperature))
    feed_flow = flat.get("feed_flow", np.full(n, feed.flow))
    given = [k for k in _TARGETS if k in flat]
    if len(given) > 1:
        raise InputError(f"contradictory targets {given}: give only one of recovery, "
                         "permeate_flow or feed_pressure")
    if given:
        mode, value = given[0], flat[given[0]]
    else:
        mode = system.target.kind
        try:
            value = np.broadcast_to(np.asarray(system.target.value, float), (n,)).copy()
        except (TypeError, ValueError):
            raise InputError(f"target {mode} must be a number, got "
                             f"{system.target.value!r}") from None

    factor = np.asarray(comp.factor_for_salinity(salinity))
    molality = comp.molality[None, :] * factor[:, None]          # (N, I) [mol/kg]
    m_tot = molality.sum(axis=1)
    table = property_table(comp, temperature)
    ro_fraction = 1.0 - system.blend_fraction
    water_density = interpolate(table, table.water_density, m_tot, temperature)
    ro_feed = feed_flow * ro_fraction
    w0 = ro_feed * water_density
    n0 = molality * w0[:, None]
    pi_feed = interpolate(table, table.osmotic_pressure, m_tot, temperature)

    setups = [setup_pass(p, system.n_segments, system.correlation) for p in system.passes]
    membrane = {k: flat[k] for k in ("fouling_factor", "membrane_age") if k in flat}
    factors = _factors(factor_values, n, setups)
    arrays = [_pass_arrays(s, system, temperature, species, membrane,
                           (factors[FACTOR_OVERRIDES[0]][k], factors[FACTOR_OVERRIDES[1]][k]))
              for k, s in enumerate(setups)]
    common = {"temperature": temperature, "table": table, "molar_mass": mm,
              "charge": comp.charge, "n_segments": system.n_segments,
              "correlation": system.correlation}

    reasons = [[] for _ in range(n)]
    if mode == "recovery":
        product = value * ro_feed
    elif mode == "permeate_flow":
        product = value.copy()
    else:
        product = None
    if product is not None:
        r_sys = product / ro_feed
        pi_conc = pi_feed / np.maximum(1.0 - np.minimum(r_sys, 0.999), 1e-3)
        for i in np.nonzero(r_sys >= 0.99)[0]:
            reasons[i].append(
                f"target permeate flow {product[i] * 3600:.4g} m3/h is 99 % or more of the RO "
                f"feed flow {ro_feed[i] * 3600:.4g} m3/h (no concentrate left)")
        for i in np.nonzero((pi_conc > setups[0].max_pressure) & (r_sys < 0.99))[0]:
            reasons[i].append(
                f"concentrate osmotic pressure {pi_conc[i] / 1e5:.0f} bar at recovery "
                f"{r_sys[i]:.0%} exceeds the maximum pressure "
                f"{setups[0].max_pressure / 1e5:.0f} bar")
    return OperatingPoint(
        n=n, is_batch=batch, species=species, molar_mass=mm, charge=comp.charge,
        temperature=temperature, feed_flow=feed_flow, ro_feed_flow=ro_feed, molality=molality,
        table=table, feed_water=w0, feed_solutes=n0, feed_osmotic_pressure=pi_feed, mode=mode,
        value=value, product=product, setups=setups, pass_arrays=arrays,
        kernel_options=common, reasons=reasons, pass_feed_ph=pass_feed_ph,
        pass_feed_co2_removal=co2_removal,
        feed_free_co2=_free_co2(feed, species, molality, temperature, pass_feed_ph,
                                co2_removal))


def _pass_feed_ph(value, n_passes, name="pass_feed_ph"):
    """``pass_feed_ph`` (or ``pass_feed_co2_removal``) as a tuple of one value or None per
    pass, checked: a pH 0-14, a removal 0-1."""
    if value is None:
        return (None,) * n_passes
    example = "(None, 10.0)" if name == "pass_feed_ph" else "(None, 0.9)"
    try:
        values = list(value)
    except TypeError:
        raise InputError(f"{name} must give one value (or None) per pass, e.g. "
                         f"{example}") from None
    if len(values) != n_passes:
        raise InputError(f"{name} has {len(values)} values for {n_passes} passes")
    if name == "pass_feed_ph":
        return tuple(None if v is None else float(check_limit("feed.ph", v, "pass feed pH"))
                     for v in values)
    out = []
    for v in values:
        try:
            v = None if v is None else float(v)
        except (TypeError, ValueError):
            raise InputError(f"{name} must be numbers 0-1 or None, got {v!r}") from None
        if v is not None and not 0.0 <= v <= 1.0:
            raise InputError(f"{name} must be between 0 and 1, got {v!r}")
        out.append(v)
    return tuple(out)


def _free_co2(feed, species, molality, temperature, pass_feed_ph, co2_removal):
    """CO2 of the raw feed [mol/kg water] when its solutes do not list it and a pass feed is
    dosed or degassed (from the feed pH and the alkalinity of its solutes); else 0."""
    n = molality.shape[0]
    treated = any(v is not None for v in pass_feed_ph) or any(co2_removal)
    if not treated or "CO2" in species:
        return np.zeros(n)
    totals, alkalinity = {}, np.zeros(n)
    for j, s in enumerate(species):
        if s in _TOTALS:
            totals[_TOTALS[s]] = totals.get(_TOTALS[s], 0.0) + molality[:, j]
        alkalinity = alkalinity + _ALKALINITY.get(s, 0.0) * molality[:, j]
    if not np.any(alkalinity > 0):
        return np.zeros(n)
    ph = float(getattr(feed, "ph", 7.0))
    spec = speciate(totals, np.full(n, ph), temperature, alkalinity=np.maximum(alkalinity, 0.0))
    return np.where(alkalinity > 0, spec["CO2"], 0.0)


def _set_pass_feed_ph(point, k, water, solutes, free_co2):
    """Pass ``k``'s feed degassed and dosed to its set pH.

    ``free_co2`` [mol/kg water] is the CO2 the engine does not carry (feeds whose solutes
    lack CO2; it passes the membranes freely). Returns (solutes [mol/s], dose [mol/s], CO2
    stripped [mol/s], free CO2 after [mol/kg]); unchanged when neither is set.
    """
    ph = point.pass_feed_ph[k] if k < len(point.pass_feed_ph) else None
    removal = (point.pass_feed_co2_removal[k] if k < len(point.pass_feed_co2_removal)
               else None) or 0.0
    n = solutes.shape[0]
    stripped = removal * free_co2 * water
    free_co2 = (1.0 - removal) * free_co2
    if removal > 0 and "CO2" in point.species:
        j = point.species.index("CO2")
        stripped = removal * solutes[:, j]
        solutes = solutes.copy()
        solutes[:, j] -= stripped
    if ph is None:
        return solutes, np.zeros(n), stripped, free_co2
    dosed, dose, co2 = dose_pass_feed(solutes, water, point.species, ph, point.temperature,
                                      free_co2=free_co2)
    return dosed, dose, stripped, (np.zeros(n) if "CO2" in point.species else co2)


#: engine solutes of inorganic carbon
_CARBON_SPECIES = ("CO2", "HCO3-", "CO3-2")


def dose_pass_feed(solutes, water, species, ph, temperature, free_co2=0.0):
    """A pass feed with NaOH (or HCl) dosed to a pH: the caustic before a second pass.

    Parameters
    ----------
    solutes : numpy.ndarray
        (N, I) solute flows of the feed [mol/s].
    water : numpy.ndarray
        (N,) water flow [kg/s].
    species : sequence of str
        The I engine solutes.
    ph : float
        pH after the dose [-].
    temperature : numeric or (N,) array
        [K].
    free_co2 : numeric or (N,) array, default 0
        Dissolved CO2 [mol/kg water] the solutes do not list (a feed without a CO2 solute:
        the raw feed's CO2, which passes the membranes freely); counted in the carbon.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        The dosed solute flows [mol/s], the dose [mol/s] per case (NaOH when positive, HCl
        when negative) and the CO2 after the dose [mol/kg water].

    Notes
    -----
    The feed's totals (inorganic carbon :math:`C_T` = CO2 + HCO3- + CO3-2, boron as B(OH)3 +
    B(OH)4-, the other ions) are speciated at the set pH with
    :func:`osmolab.thermo.speciation.speciate` (carbon given as its total). The dose is the
    alkalinity gained [eq/kg water], each mole of NaOH adding one equivalent (PHREEQC's
    alkalinity, as :func:`osmolab.thermo.dosing.caustic_dose`); its Na+ (Cl- for acid) is
    added. The engine's carbon and boron solutes are set to the speciation, their totals kept
    (the ion pairs counted with their carbonate, bicarbonate or borate), and OH- takes the rest
    of the alkalinity, so the engine's charge balance is kept exactly. A feed whose solutes
    lack CO2, CO3-2 or OH- keeps what it can carry (CO3-2 counted as HCO3-, no OH-): the dose
    is still the speciation's. Without carbon or OH- among the solutes only the boron is
    re-split (:func:`osmolab.ro.chemistry.resplit_boron`), with the Na+ of the borate formed.

    Examples
    --------
    >>> sp = ("Na+", "Cl-", "HCO3-", "CO2", "B(OH)3", "B(OH)4-", "OH-")
    >>> feed = np.array([[5e-3, 5e-3, 1e-4, 1e-4, 7e-5, 0.0, 0.0]])  # mol per kg water
    >>> dosed, dose, co2 = dose_pass_feed(feed, np.ones(1), sp, 10.0, 298.15)
    >>> round(float(dose[0]) * 1e3, 3)  # mmol NaOH per kg
    0.347
    >>> bool(np.isclose(dosed[0, 0] - feed[0, 0], dose[0], rtol=1e-12))
    True
    """
    species = tuple(species)
    idx = {s: j for j, s in enumerate(species)}
    solutes = np.asarray(solutes, dtype=float)
    n = solutes.shape[0]
    w = np.maximum(np.asarray(water, dtype=float) * np.ones(n), 1e-300)
    m = solutes / w[:, None]  # mol/kg water
    temperature = np.broadcast_to(np.asarray(temperature, dtype=float), (n,))
    free_co2 = (0.0 if "CO2" in idx else 1.0) * np.broadcast_to(
        np.asarray(free_co2, dtype=float), (n,))
    alk_before = sum(_ALKALINITY.get(s, 0.0) * m[:, j] for s, j in idx.items())
    has_carbon = any(s in idx for s in _CARBON_SPECIES)
    boron = "B(OH)3" in idx and "B(OH)4-" in idx
    out = m.copy()
    co2_after = np.zeros(n)
    if has_carbon or "OH-" in idx:
        totals = {}
        for s, j in idx.items():
            if s in _TOTALS:
                totals[_TOTALS[s]] = totals.get(_TOTALS[s], 0.0) + m[:, j]
        carried = sum(m[:, idx[s]] for s in _CARBON_SPECIES if s in idx) * np.ones(n)
        carbon = carried + free_co2
        spec = speciate(totals, np.full(n, float(ph)), temperature,
                        total_carbon=np.maximum(carbon, 1e-15))
        co2_after = np.minimum(spec["CO2"], carbon)
        co3 = np.minimum(sum(spec[s] for s in spec.species if "CO3" in s and "HCO3" not in s),
                         carbon - co2_after)
        charged = carbon - co2_after  # HCO3- and CO3-2 with their pairs
        if "CO2" in idx:
            out[:, idx["CO2"]] = co2_after
        if "CO3-2" in idx:
            out[:, idx["CO3-2"]] = co3
            if "HCO3-" in idx:
                out[:, idx["HCO3-"]] = charged - co3
        elif "HCO3-" in idx:
            out[:, idx["HCO3-"]] = charged
        if boron:
            total_b = m[:, idx["B(OH)3"]] + m[:, idx["B(OH)4-"]]
            out[:, idx["B(OH)3"]] = np.minimum(spec["B(OH)3"], total_b)
            out[:, idx["B(OH)4-"]] = total_b - out[:, idx["B(OH)3"]]
        if "OH-" in idx:
            rest = sum(_ALKALINITY.get(s, 0.0) * out[:, j] for s, j in idx.items()
                       if s != "OH-")
            out[:, idx["OH-"]] = np.maximum(spec.alkalinity - rest, 0.0)
        dose = spec.alkalinity - alk_before  # mol/kg water: NaOH (> 0) or HCl (< 0)
    else:
        if boron:
            charge = np.array([_charge_of(s) for s in species])
            ionic = 0.5 * (m @ (charge * charge))
            out = resplit_boron(m, species, ph, temperature, ionic)
        dose = sum(_ALKALINITY.get(s, 0.0) * out[:, j] for s, j in idx.items()) - alk_before
    counter = np.where(dose >= 0, idx.get("Na+", -1), idx.get("Cl-", -1))
    if np.any(counter < 0) and np.any(dose != 0):
        raise InputError("a pass feed pH needs Na+ and Cl- among the feed's ions (the NaOH or "
                         "HCl dosed to reach it)")
    rows = np.arange(n)
    out[rows, counter] += np.abs(dose)
    return out * w[:, None], dose * w, co2_after


def _charge_of(name):
    """Charge of an engine solute from its name (``"SO4-2"`` -> -2, ``"B(OH)3"`` -> 0)."""
    for sign, char in ((1, "+"), (-1, "-")):
        if name.endswith(char):
            return sign
        head, _, tail = name.rpartition(char)
        if head and tail.isdigit():
            return sign * int(tail)
    return 0


# --------------------------------------------------------------------------------------------
# step 2: solve each pass (at given recycle flows)


@dataclass
class RecycleState:
    """Flows returned to the pass feeds, updated while the recycles close.

    ``water``/``solutes``: added to the first-pass feed by its concentrate recycle and the
    second-pass concentrate [kg/s, mol/s]; ``px_solutes``: salt the pressure exchanger mixes
    into the first-pass feed [mol/s]; ``water2``/``solutes2``: the second pass's own
    concentrate recycle; ``second_pass_recovery``: final permeate per first-pass permeate
    (estimate); ``guess1``/``guess2``: the solver's (pressure, slope) start per case.
    """

    water: np.ndarray
    solutes: np.ndarray
    px_solutes: np.ndarray
    water2: np.ndarray
    solutes2: np.ndarray
    second_pass_recovery: np.ndarray
    guess1: np.ndarray | None = None
    guess2: np.ndarray | None = None

    @classmethod
    def start(cls, system, point: OperatingPoint) -> RecycleState:
        """No recycled flows yet; the exchanger's mixing estimated with complete rejection
        when the solver closes it (:func:`mixing_in_kernel`)."""
        n, n0, w0 = point.n, point.feed_solutes, point.feed_water
        two = len(system.passes) == 2
        pass2 = system.passes[1] if two else None
        state = cls(water=np.zeros(n), solutes=np.zeros_like(n0), px_solutes=np.zeros_like(n0),
                    water2=np.zeros(n), solutes2=np.zeros_like(n0),
                    second_pass_recovery=np.full(
                        n, pass2.recovery if two and pass2.recovery else 0.9))
        if mixing_in_kernel(system, point):
            erd = system.erd
            # first estimate of the exchanger's salt carry-over, with complete rejection
            r_est = np.clip(point.product / point.ro_feed_flow, 0.0, 0.95)
            w_c = w0 * (1.0 - r_est)
            w_px = (1.0 - erd.leakage) * w_c
            gain = erd.mixing * w_px / w_c
            state.px_solutes = (erd.mixing * w_px * (1.0 / w_c - 1.0 / w0)
                                / (1.0 - gain))[:, None] * n0
        return state


@dataclass
class PassSweep:
    """One sweep through the passes: the solver outputs and the streams the recycles need."""

    first: dict                       # run_pass output of pass 1
    second: dict | None               # run_pass output of pass 2 (None for one pass)
    feed_water: np.ndarray            # pass-1 membrane feed water [kg/s]
    feed_solutes: np.ndarray          # pass-1 membrane feed solutes [mol/s]
    concentrate_water: np.ndarray     # pass-1 concentrate water [kg/s]
    concentrate_solutes: np.ndarray   # pass-1 concentrate solutes [mol/s]
    returned_water: np.ndarray        # second-pass concentrate back to pass 1 [kg/s]
    returned_solutes: np.ndarray      # ... solutes [mol/s]
    second_pass_change: np.ndarray | float  # change of the pass-2 estimates in this sweep
    clipped: np.ndarray               # cases whose pass-1 recovery target was clipped
    feed_dose: tuple = ()             # per pass: NaOH (> 0) or HCl (< 0) dosed [mol/s]
    feed_co2_removed: tuple = ()      # per pass: CO2 stripped from its feed [mol/s]
    feed_free_co2: tuple = ()         # per pass: CO2 the solutes do not carry [mol/kg]


def mixing_in_kernel(system, point: OperatingPoint) -> bool:
    """Whether the solver closes the pressure exchanger's mixing itself: single pass, no
    recycle, pressure solved (one solve instead of an outer iteration)."""
    erd = system.erd
    return (erd.kind == "pressure_exchanger" and erd.mixing > 0 and point.product is not None
            and len(system.passes) == 1 and system.passes[0].concentrate_recycle == 0)


def solve_passes(system, point: OperatingPoint, state: RecycleState) -> PassSweep:
    """Step 2: solve pass 1, then pass 2 on its permeate, at the recycle flows of ``state``.

    Pass 1 is marched at the target feed pressure, or its feed pressure is solved for the
    recovery that gives the product with the second pass's current recovery estimate. Pass 2
    is solved for its own recovery (or marched at its feed pressure) with its own
    concentrate recycle closed by the pass-through update. ``state`` keeps the solver's
    starting points, the second pass's recycle and recovery estimate, and (when the solver
    closes it) the exchanger's mixing.
    """
    n, species, mm = point.n, point.species, point.molar_mass
    table, temperature = point.table, point.temperature
    w0, n0, product = point.feed_water, point.feed_solutes, point.product
    setups, arrays, common = point.setups, point.pass_arrays, point.kernel_options
    two = len(system.passes) == 2
    pass2 = system.passes[1] if two else None
    recycle2 = pass2.concentrate_recycle if two else 0.0
    erd = system.erd
    kernel_mix = mixing_in_kernel(system, point)
    r2_est = state.second_pass_recovery

    clipped = np.zeros(n, bool)
    w1 = w0 + state.water
    n1, dose1, co2_out1, free1 = _set_pass_feed_ph(
        point, 0, w1, n0 + state.solutes + state.px_solutes, point.feed_free_co2)
    q1 = _volume(w1, n1, mm, table, temperature)
    kw = dict(common, water_flow=w1, solute_flow=n1, **arrays[0])
    if product is None:
        out1 = run_pass(feed_pressure=point.value, **kw)
    else:
        p1_needed = product / np.maximum(r2_est, 1e-6) if two else product
        r1 = p1_needed / q1
        clipped = (r1 > 0.98) | (r1 <= 0)
        mixing = ((erd.mixing * (1.0 - erd.leakage)) * np.ones(n), n0, product) \
            if kernel_mix else None
        out1 = run_pass(target_recovery=np.clip(r1, 1e-4, 0.98),
                        max_pressure=np.full(n, setups[0].max_pressure),
                        pressure_guess=state.guess1, px_mixing=mixing, **kw)
        if kernel_mix:
            n1 = out1["feed_solutes"]
            state.px_solutes = n1 - n0 - state.solutes
        state.guess1 = np.where((out1["status"] == 0)[:, None], np.stack(
            [out1["feed_pressure"], out1["residual_slope"]], axis=1), 0.0)
    c1 = out1["case"]
    w1c, n1c = c1[:, CASE_CONCENTRATE_WATER], out1["concentrate_solutes"]
    w1p = c1[:, CASE_PERMEATE_WATER]
    n1p = out1["element_solutes"].reshape(n, -1, len(species))
    n1p = np.einsum("nei,e->ni", n1p, setups[0].vessels[setups[0].stage_of])
    w2c = np.zeros(n)
    n2c = np.zeros_like(n0)
    dose2 = co2_out2 = free2 = np.zeros(n)
    r2_change = 0.0
    out2 = None
    if two:
        w_add2, n_add2 = state.water2, state.solutes2
        w2 = w1p + w_add2
        n2, dose2, co2_out2, free2 = _set_pass_feed_ph(point, 1, w2, n1p + n_add2, free1)
        kw2 = dict(common, water_flow=np.maximum(w2, 1e-300), solute_flow=n2, **arrays[1])
        if pass2.recovery is not None:
            # the pass recovery is permeate per first-pass permeate; with a concentrate
            # recycle the membrane feed is larger by the recycled flow
            target2 = np.full(n, pass2.recovery)
            if recycle2 > 0:
                q2 = _volume(np.maximum(w2, 1e-300), n2, mm, table, temperature)
                target2 = np.clip(pass2.recovery * c1[:, CASE_PERMEATE_VOLUME]
                                  / np.maximum(q2, 1e-300), 1e-4, 0.98)
            out2 = run_pass(target_recovery=target2,
                            max_pressure=np.full(n, setups[1].max_pressure),
                            pressure_guess=state.guess2, **kw2)
            state.guess2 = np.where((out2["status"] == 0)[:, None], np.stack(
                [out2["feed_pressure"], out2["residual_slope"]], axis=1), 0.0)
        else:
            out2 = run_pass(feed_pressure=np.full(n, pass2.feed_pressure), **kw2)
        c2 = out2["case"]
        w2c, n2c = c2[:, CASE_CONCENTRATE_WATER], out2["concentrate_solutes"]
        if recycle2 > 0:
            # second-pass feed W2 = W1p + f W2c: same pass-through update as pass 1
            rw2 = np.clip(w2c / np.maximum(w2, 1e-300), 0.0, 1.0)
            rn2 = np.clip(n2c / np.maximum(n2, 1e-300), 0.0, 1.0)
            new_w_add2 = w1p / np.maximum(1.0 - recycle2 * rw2, 0.02) - w1p
            new_n_add2 = n1p / np.maximum(1.0 - recycle2 * rn2, 0.02) - n1p
            recycle2_change = np.maximum(np.abs(new_w_add2 - w_add2) / w0,
                                         np.abs(new_n_add2 - n_add2) @ mm / (n0 @ mm))
            state.water2, state.solutes2 = new_w_add2, new_n_add2
            # only the rest of the second-pass concentrate returns to the first pass
            w2c, n2c = (1.0 - recycle2) * w2c, (1.0 - recycle2) * n2c
        # final permeate per first-pass permeate volume (both measured by the march)
        r2_new = np.where(c1[:, CASE_PERMEATE_VOLUME] > 0, c2[:, CASE_PERMEATE_VOLUME]
                          / np.maximum(c1[:, CASE_PERMEATE_VOLUME], 1e-300), r2_est)
        r2_change = np.abs(r2_new - r2_est)
        if recycle2 > 0:
            r2_change = np.maximum(r2_change, recycle2_change)
        state.second_pass_recovery = r2_new
    return PassSweep(first=out1, second=out2, feed_water=w1, feed_solutes=n1,
                     concentrate_water=w1c, concentrate_solutes=n1c, returned_water=w2c,
                     returned_solutes=n2c, second_pass_change=r2_change, clipped=clipped,
                     feed_dose=(dose1, dose2), feed_co2_removed=(co2_out1, co2_out2),
                     feed_free_co2=(free1, free2))


# --------------------------------------------------------------------------------------------
# step 3: close the recycles


@dataclass
class ClosedTrain:
    """The passes solved with every recycle closed."""

    sweep: PassSweep
    state: RecycleState
    iterations: int
    converged: bool


def close_recycles(system, point: OperatingPoint, max_iterations: int = 100) -> ClosedTrain:
    """Step 3: iterate :func:`solve_passes` until the recycled flows stop changing.

    The recycle update uses the pass-through ratios measured in each sweep: the pass-1 feed
    :math:`W_1 = W_0 + f\\,r_w W_1 + k_2 W_1` closes both recycles exactly if the passes were
    linear (:math:`r_w = W_{1c}/W_1`, :math:`k_2` the second-pass concentrate per
    :math:`W_1`; likewise per solute), with the pressure exchanger's mixing solved in the same
    update and a secant acceleration of the recycled flows. Without any recycle one sweep is
    the answer. A batch that does not converge gets a reason in ``point.reasons``.
    """
    n0, w0, mm = point.feed_solutes, point.feed_water, point.molar_mass
    two = len(system.passes) == 2
    recycle = system.passes[0].concentrate_recycle
    erd = system.erd
    px = erd.kind == "pressure_exchanger"
    needs_loop = two or recycle > 0 or (px and erd.mixing > 0)
    state = RecycleState.start(system, point)
    x_prev = d_prev = None
    iterations = 1
    for outer in range(max_iterations):
        sweep = solve_passes(system, point, state)
        if not needs_loop:
            break
        w_add, n_add, n_mix = state.water, state.solutes, state.px_solutes
        w1, n1 = sweep.feed_water, sweep.feed_solutes
        w1c, n1c = sweep.concentrate_water, sweep.concentrate_solutes
        rw = np.clip(w1c / np.maximum(w1, 1e-300), 0.0, 1.0)
        rn = np.clip(n1c / np.maximum(n1, 1e-300), 0.0, 1.0)
        k2w = np.clip(sweep.returned_water / np.maximum(w1, 1e-300), 0.0, 1.0)
        k2n = np.clip(sweep.returned_solutes / np.maximum(n1, 1e-300), 0.0, 1.0)
        den_w = np.maximum(1.0 - recycle * rw - k2w, 0.02)
        den_n = np.maximum(1.0 - recycle * rn - k2n, 0.02)
        new_w_add = w0 / den_w - w0
        new_mix = np.zeros_like(n0)
        if px and erd.mixing > 0:
            # n_mix = x W_px (m_c - m_lp) with m_c = rn (n_lp + n_mix) / W_c: linear in n_mix
            w_px = (1.0 - erd.leakage) * (1.0 - recycle) * w1c
            w_lp = w0 + new_w_add
            n_lp2 = n0 + n_add
            gain = erd.mixing * w_px[:, None] * rn / np.maximum(w1c, 1e-300)[:, None]
            new_mix = erd.mixing * w_px[:, None] * n_lp2 * (
                rn / np.maximum(w1c, 1e-300)[:, None] - 1.0 / w_lp[:, None])
            new_mix = np.maximum(new_mix / (1.0 - np.minimum(gain, 0.9)), 0.0)
        new_n_add = (n0 + new_mix) / den_n - (n0 + new_mix)
        # convergence on water and on the solute mass (trace solutes need not converge
        # relatively: they do not feed back on the flows)
        change = np.maximum(np.abs(new_w_add - w_add) / w0,
                            np.abs(new_n_add + new_mix - n_add - n_mix) @ mm / (n0 @ mm))
        change = np.maximum(change, sweep.second_pass_change)
        # secant acceleration of the recycled flows (elementwise): the ratios themselves move
        # with the recycled flow when the feed pressure is fixed
        x_now = np.concatenate([w_add[:, None], n_add], axis=1)
        d_now = np.concatenate([new_w_add[:, None], new_n_add], axis=1) - x_now
        x_next = x_now + d_now
        if d_prev is not None:
            den = d_now - d_prev
            ok = np.abs(den) > 1e-14 * (np.abs(x_now) + 1e-30)
            step = np.where(ok, -d_now * (x_now - x_prev) / np.where(ok, den, 1.0), d_now)
            step = np.where(np.abs(step) > 4 * np.abs(d_now) + 1e-300, d_now, step)
            x_next = np.maximum(x_now + step, 0.0)
        x_prev, d_prev = x_now, d_now
        state.water, state.solutes, state.px_solutes = x_next[:, 0], x_next[:, 1:], new_mix
        iterations = outer + 1
        # cases held at the maximum pressure converge linearly (their recovery moves with
        # the feed salinity); they are flagged infeasible, so 1e-4 is enough for them
        held = sweep.first["status"] == 1
        if np.all(change[~held] < 1e-8) and np.all(change[held] < 1e-4):
            break
    else:  # pragma: no cover - recycles converge geometrically
        for r in point.reasons:
            r.append(f"recycle balance did not converge in {max_iterations} iterations")
        return ClosedTrain(sweep, state, iterations, False)
    return ClosedTrain(sweep, state, iterations, True)


# --------------------------------------------------------------------------------------------
# step 4: infeasibility known after solving; streams and energy


def flag_infeasible(system, point: OperatingPoint, train: ClosedTrain) -> None:
    """Append to ``point.reasons`` why solved cases are infeasible: a target beyond the
    maximum pressure, an unreachable permeate flow, a starved second pass, a feed pressure
    above the maximum or below the osmotic pressure, no permeate, or a pressure drop that
    exceeds the feed pressure."""
    reasons, setups = point.reasons, point.setups
    out1, out2 = train.sweep.first, train.sweep.second
    for i in np.nonzero(out1["status"] == 1)[0]:
        if not reasons[i]:
            reasons[i].append(f"target needs more than the maximum feed pressure "
                              f"{setups[0].max_pressure / 1e5:.0f} bar (results at that "
                              f"pressure)")
    for i in np.nonzero(train.sweep.clipped)[0]:
        if not reasons[i]:
            reasons[i].append("target permeate flow is not reachable with this feed flow")
    if out2 is not None:
        for i in np.nonzero(out2["status"] == 1)[0]:
            reasons[i].append(f"second-pass recovery needs more than its maximum pressure "
                              f"{setups[1].max_pressure / 1e5:.0f} bar")
    if point.mode == "feed_pressure":
        value, pi_feed = point.value, point.feed_osmotic_pressure
        for i in np.nonzero(value > setups[0].max_pressure)[0]:
            reasons[i].append(f"feed pressure {value[i] / 1e5:.1f} bar exceeds the maximum "
                              f"{setups[0].max_pressure / 1e5:.0f} bar of the elements")
        for i in np.nonzero(value <= pi_feed)[0]:
            reasons[i].append(f"feed pressure {value[i] / 1e5:.1f} bar is below the feed "
                              f"osmotic pressure {pi_feed[i] / 1e5:.1f} bar: almost no "
                              "permeate")
    last = out2 if out2 is not None else out1
    product_volume = last["case"][:, CASE_PERMEATE_VOLUME]
    for i in np.nonzero(~(product_volume > 1e-12 * point.ro_feed_flow))[0]:
        reasons[i].append("no permeate: the feed pressure does not drive water through")
    for i in np.nonzero(out1["case"][:, CASE_CONCENTRATE_PRESSURE] <= 0.0)[0]:
        reasons[i].append("the feed-channel pressure drop exceeds the feed pressure: feed flow "
                          "per vessel far too high")


def pass_streams(point: OperatingPoint, train: ClosedTrain) -> list[dict]:
    """Per-pass streams of the solved train (the ``passes`` of :class:`ROResult`): feed,
    permeate and concentrate volumes [m^3/s], solutes [mol/s], pressures [Pa] and the feed
    of each stage [m^3/s], with the solver's output (``out``) and the pass setup."""
    train.sweep.first["outer_iterations"] = train.iterations
    outs = [train.sweep.first] + ([train.sweep.second] if train.sweep.second is not None
                                  else [])
    passes = []
    for k, (setup, out) in enumerate(zip(point.setups, outs, strict=True)):
        v_el = setup.vessels[setup.stage_of]
        el = out["element"]
        stage_feed = np.stack([el[:, np.nonzero(setup.stage_of == s)[0][0], EL_FEED_FLOW]
                               * setup.vessels[s]
                               for s in range(len(setup.vessels))], axis=1)
        passes.append({
            "setup": setup, "out": out, "feed_pressure": out["feed_pressure"],
            "feed_volume": out["case"][:, CASE_FEED_VOLUME],
            "permeate_volume": out["case"][:, CASE_PERMEATE_VOLUME],
            "permeate_solutes": np.einsum("nei,e->ni", out["element_solutes"], v_el),
            "concentrate_volume": out["case"][:, CASE_CONCENTRATE_VOLUME],
            "concentrate_solutes": out["concentrate_solutes"],
            "concentrate_pressure": out["case"][:, CASE_CONCENTRATE_PRESSURE],
            "stage_feed": stage_feed,
            "feed_ph": point.pass_feed_ph[k] if k < len(point.pass_feed_ph) else None,
            "feed_dose": train.sweep.feed_dose[k] if k < len(train.sweep.feed_dose)
            else np.zeros(point.n),
            "feed_co2_removal": (point.pass_feed_co2_removal[k]
                                 if k < len(point.pass_feed_co2_removal) else None),
            "feed_co2_removed": (train.sweep.feed_co2_removed[k]
                                 if k < len(train.sweep.feed_co2_removed) else np.zeros(point.n)),
            "feed_free_co2": (train.sweep.feed_free_co2[k]
                              if k < len(train.sweep.feed_free_co2) else np.zeros(point.n)),
            "treated": any(v is not None for v in point.pass_feed_ph[:k + 1])
            or any(point.pass_feed_co2_removal[:k + 1])})
    return passes


@dataclass(frozen=True)
class EnergyBalance:
    """Pump and energy-recovery powers [W] and specific energies [kWh/m^3] per case."""

    high_pressure_pump: np.ndarray
    booster: np.ndarray
    interstage: np.ndarray
    second_pass: np.ndarray
    erd_recovered: np.ndarray
    total: np.ndarray
    sec: np.ndarray
    min_sec: np.ndarray
    min_sec_single_stage: np.ndarray


def energy_balance(system, point: OperatingPoint, passes: list[dict]) -> EnergyBalance:
    """Step 4: pumps, interstage boosters, energy recovery and the specific energy.

    The high-pressure pump lifts the first-pass feed (less the flow the pressure exchanger
    pressurises, whose booster lifts it the rest of the way; a turbine's recovered power is
    subtracted); interstage boosters lift each later stage's feed by their pressure; the
    second-pass pump lifts the pass-2 feed from the first-pass permeate pressure
    (:mod:`osmolab.ro.energy`). Also stores each pass's ``interstage_power`` in ``passes``.
    """
    n = point.n
    erd = system.erd
    eta_hp = system.high_pressure_pump.total_efficiency
    eta_b = system.booster_pump.total_efficiency
    for p in passes:
        setup, stage_feed = p["setup"], p["stage_feed"]
        interstage = sum(energy.pump_power(stage_feed[:, s], setup.booster[s], eta_b)
                         for s in range(1, len(setup.vessels)))
        p["interstage_power"] = np.asarray(interstage, float) * np.ones(n)
    p1 = passes[0]
    q_feed1, p_feed1 = p1["feed_volume"], p1["feed_pressure"]
    q_conc1 = p1["concentrate_volume"] * (1.0 - system.passes[0].concentrate_recycle)
    p_conc1 = p1["concentrate_pressure"]
    erd_recovered = np.zeros(n)
    booster_power = np.zeros(n)
    if erd.kind == "pressure_exchanger":
        q_px, booster_power = energy.pressure_exchanger(q_conc1, p_conc1, p_feed1,
                                                        erd.efficiency, erd.leakage, eta_b)
        q_px = np.minimum(q_px, q_feed1)
        booster_power = energy.pump_power(q_px, p_feed1 - erd.efficiency * p_conc1, eta_b)
        hp_power = energy.pump_power(q_feed1 - q_px, p_feed1, eta_hp)
        erd_recovered = q_px * erd.efficiency * p_conc1
    elif erd.kind == "turbine":
        hp_power = energy.pump_power(q_feed1, p_feed1, eta_hp)
        erd_recovered = energy.turbine_power(q_conc1, p_conc1, erd.efficiency)
        hp_power = np.maximum(hp_power - erd_recovered, 0.0)
    else:
        hp_power = energy.pump_power(q_feed1, p_feed1, eta_hp)
    pass2_power = np.zeros(n)
    if len(passes) == 2:
        p_perm1 = point.setups[0].permeate_pressure.min()
        pass2_power = energy.pump_power(passes[1]["feed_volume"],
                                        passes[1]["feed_pressure"] - p_perm1, eta_hp)
    interstage_power = sum(p["interstage_power"] for p in passes)
    total_power = hp_power + booster_power + interstage_power + pass2_power
    product_volume = passes[-1]["permeate_volume"]
    recovery = product_volume / point.ro_feed_flow
    produces = product_volume > 1e-12 * point.ro_feed_flow
    sec = np.where(produces, energy.specific_energy(
        total_power, np.where(produces, product_volume, 1.0)), 0.0)
    pi_feed = point.feed_osmotic_pressure
    min_sec = energy.minimum_specific_energy(pi_feed, np.clip(recovery, 0.0, 0.999999))
    min_ss = energy.single_stage_minimum_specific_energy(pi_feed,
                                                         np.clip(recovery, 0.0, 0.999999))
    return EnergyBalance(
        high_pressure_pump=hp_power, booster=booster_power,
        interstage=np.asarray(interstage_power) * np.ones(n), second_pass=pass2_power,
        erd_recovered=erd_recovered, total=total_power, sec=sec, min_sec=min_sec,
        min_sec_single_stage=min_ss)


# --------------------------------------------------------------------------------------------
# step 5: results


def build_result(system, point: OperatingPoint, train: ClosedTrain, passes: list[dict],
                 power: EnergyBalance) -> ROResult:
    """Step 5: the :class:`~osmolab.ro.results.ROResult` of the solved train."""
    table, mm = point.table, point.molar_mass
    product_volume = passes[-1]["permeate_volume"]
    return ROResult(
        system=system, species=point.species, molar_mass=mm, charge=point.charge,
        passes=passes, temperature=point.temperature, feed_flow=point.feed_flow,
        ro_feed_flow=point.ro_feed_flow, feed_molality=point.molality,
        feed_osmotic_pressure=point.feed_osmotic_pressure,
        feed_tds=(point.molality @ tds_molar_masses(point.species, mm)) * interpolate(
            table, table.water_density, point.molality.sum(axis=1), point.temperature) * 1e3,
        px_mixing_solutes=train.state.px_solutes,
        recovery=product_volume / point.ro_feed_flow, permeate_flow=product_volume,
        blend_flow=point.feed_flow * system.blend_fraction,
        high_pressure_pump_power=power.high_pressure_pump, booster_power=power.booster,
        interstage_power=power.interstage, second_pass_power=power.second_pass,
        erd_recovered_power=power.erd_recovered, total_power=power.total, sec=power.sec,
        min_sec=power.min_sec, min_sec_single_stage=power.min_sec_single_stage,
        reasons=point.reasons, table=table, is_batch=point.is_batch)


# --------------------------------------------------------------------------------------------
# the run


def simulate(system, **overrides) -> ROResult:
    """Project an RO system; see the module docstring for the overrides and the steps.

    Examples
    --------
    >>> from osmolab.ro.config import Feed, Pass, Stage, System, Target
    >>> system = System(Feed(flow=100 / 3600, salinity=0.035), [Pass([Stage(
    ...     vessels=7, elements_per_vessel=7, element="SW30XLE-440i")])],
    ...     target=Target("recovery", 0.45))
    >>> result = simulate(system)
    >>> round(result.to_dict()["feed_pressure_bar"], 1)
    58.4
    >>> batch = simulate(system, recovery=[0.40, 0.45, 0.50])
    >>> [round(float(p) / 1e5, 1) for p in batch.feed_pressure]
    [53.8, 58.4, 63.6]
    """
    point = resolve_targets(system, **overrides)
    train = close_recycles(system, point)
    flag_infeasible(system, point, train)
    passes = pass_streams(point, train)
    power = energy_balance(system, point, passes)
    return build_result(system, point, train, passes, power)
