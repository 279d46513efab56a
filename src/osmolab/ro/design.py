"""RO design files (YAML): schema, validation, and projection of the plant they describe.

A design file says what WAVE or IMSDesign asks for: the feed (flow, temperature, composition,
water source), the array (passes, stages, vessels, elements per vessel, element model or a
custom membrane sheet), pumps, energy recovery, the target (exactly one of recovery, permeate
flow or feed pressure), membrane age, fouling factor and discretisation. The schema is a set of
pydantic models; any problem raises :class:`osmolab.errors.InputError` with one line naming the
field path and what is wrong. :func:`load_design` reads and validates; :func:`project` runs the
engine (:func:`osmolab.ro.train.simulate`) on the plant, optionally with overrides that may be
arrays (one vectorised call), and adds the design-guideline warnings
(:func:`osmolab.ro.guidelines.check_design`).

Quantities are written with units as strings (``"100 m3/h"``, ``"25 degC"``, ``"60 bar"``,
``"35 g/kg"``); bare numbers take the default unit of the field (m3/h, degC, bar, g/kg).

Examples
--------
>>> design = load_design({
...     "feed": {"flow": "100 m3/h", "temperature": "25 degC", "composition": "seawater 35 g/kg"},
...     "array": {"stages": [{"vessels": 15, "elements_per_vessel": 7, "element": "SW30XLE-440i"}]},
...     "target": {"recovery": 0.45},
... })
>>> round(design.feed.flow_m3_s * 3600, 3), design.target.kind
(100.0, 'recovery')
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import yaml
from pydantic import ValidationError

from ..data import path as data_path
from ..errors import InputError, suggest
from ..units import parse_pressure, parse_quantity, parse_temperature, registry
from . import train
from .config import System
from .guidelines import check_design
from .library import canonical_element_name, element_names
from .schema import Design, _parse_salinity, validation_message

__all__ = [
    "Design",
    "load_design",
    "project",
    "element_names",
    "canonical_element_name",
    "validation_message",
    "bundled_example",
    "summary_lines",
    "EXAMPLES",
]

#: Bundled example plants: name -> file in ``osmolab/data`` (copies live in ``examples/``)
EXAMPLES = {
    "seawater_px": "example_seawater_px.yaml",
    "brackish_2stage": "example_brackish_2stage.yaml",
    "seawater_2pass": "example_seawater_2pass.yaml",
    "brackish_acid": "example_brackish_acid.yaml",
    "seawater_2pass_caustic": "example_seawater_2pass_caustic.yaml",
}

# --------------------------------------------------------------------------------------------
# public API


def load_design(path_or_dict) -> Design:
    """Read and validate a design (a YAML file path, a YAML string, or a dict).

    Parameters
    ----------
    path_or_dict : str, pathlib.Path, Mapping or Design
        A path to a ``.yaml``/``.yml`` file, the name of a bundled example
        (``"seawater_px"``, ``"brackish_2stage"``, ``"seawater_2pass"``), or the parsed content.

    Returns
    -------
    Design
        The validated design; quantities in SI units.

    Raises
    ------
    InputError
        One line naming the field path and the problem, e.g.
        ``"feed.flow: feed flow must be > 0, got -5 m3/h"``.
    """
    if isinstance(path_or_dict, Design):
        return path_or_dict
    data = path_or_dict
    if isinstance(data, (str, Path)):
        data = _read_yaml(data)
    if not isinstance(data, Mapping):
        raise InputError(f"a design must be a mapping of fields (feed, array, target ...), got {type(data).__name__}")
    try:
        return Design.model_validate(dict(data))
    except ValidationError as exc:
        raise InputError(validation_message(exc)) from None
    except InputError:
        raise
    except (TypeError, ValueError, ArithmeticError) as exc:  # defensive: never a traceback
        raise InputError(f"design: {exc}") from None


def bundled_example(name: str = "seawater_px") -> Path:
    """Path of a bundled example design file (``seawater_px``, ``brackish_2stage``, ``seawater_2pass``)."""
    key = name.removesuffix(".yaml").removeprefix("example_")
    if key not in EXAMPLES:
        raise InputError(f"unknown example {name!r}.{suggest(key, EXAMPLES)} Examples: {', '.join(EXAMPLES)}")
    return Path(str(data_path(EXAMPLES[key])))


def yaml_error_place(exc) -> str:
    """Where and what a YAML parse error is: ``" at line L, column C: problem"``."""
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return f"{where}: {getattr(exc, 'problem', None) or 'invalid YAML'}"


def _read_yaml(source) -> Mapping:
    text = None
    path = Path(source)
    if isinstance(source, str) and ("\n" in source or ":" in source and not path.suffix):
        text = source
    elif isinstance(source, str) and source.removesuffix(".yaml").removeprefix("example_") in EXAMPLES \
            and not path.exists():
        path = bundled_example(source)
    if text is None:
        if not path.exists():
            hint = suggest(str(source).removesuffix(".yaml"), EXAMPLES) if not path.parent.name else ""
            hint = f"{hint.rstrip('?')} (a bundled example)?" if hint else ""
            raise InputError(f"design file {str(source)!r} not found.{hint}".rstrip("."))
        if path.is_dir():
            raise InputError(f"{str(source)!r} is a folder; give a design .yaml file")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read design file {str(source)!r}: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"design file is not valid YAML{yaml_error_place(exc)}") from None
    if data is None:
        raise InputError("design file is empty")
    return data


# -- projection ------------------------------------------------------------------------------

#: ``project()`` overrides: name -> (name in :func:`osmolab.ro.train.simulate`, dimension, unit
#: of a bare number). One rule at every entry: bare temperatures are degC, pressures bar,
#: salinities g/kg and flows m3/h (as in design files); strings may carry any unit.
OVERRIDES = {
    "feed_salinity": ("salinity", "salinity", "g/kg"),
    "temperature": ("temperature", "temperature", "degC"),
    "recovery": ("recovery", None, None),
    "feed_pressure": ("feed_pressure", "pressure", "bar"),
    "feed_flow": ("feed_flow", "flow", "m3/h"),
    "permeate_flow": ("permeate_flow", "flow", "m3/h"),
    # membrane state per case (studies, Monte Carlo): fractions, and the age in years
    "fouling_factor": ("fouling_factor", None, None),
    "membrane_age": ("membrane_age", "age", "years"),
    "water_permeability_factor": ("water_permeability_factor", None, None),
    "salt_permeability_factor": ("salt_permeability_factor", None, None),
}


def _recovery(text: str) -> float:
    text = text.strip()
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise InputError(f"cannot read recovery {text!r}; write 0.45 or '45 %'") from None


def _years(value) -> float:
    """A membrane age: a bare number of years or a string such as '3 years' or '18 months'."""
    if not isinstance(value, str):
        return float(value)
    try:
        return float(registry().Quantity(value.replace("yr", "year")).to("year").magnitude)
    except Exception:
        raise InputError(f"membrane_age: cannot read {value!r}; write e.g. 3 or '3 years'") from None


def _one_override(name: str, value) -> float:
    """One override value (a number in the bare unit, or a string with units) in SI."""
    _, dimension, unit = OVERRIDES[name]
    if isinstance(value, bool) or not isinstance(value, (str, int, float, np.integer, np.floating)):
        raise InputError(f"{name} must be a number or a string with units, got {value!r}")
    if isinstance(value, str) and dimension is None:
        return _recovery(value)
    if dimension is None:
        return float(value)
    if dimension == "age":
        return _years(value)
    value = value if isinstance(value, str) else float(value)
    try:
        if dimension == "salinity":
            return _parse_salinity(value)
        if dimension == "temperature":
            return parse_temperature(value)
        if dimension == "pressure":
            return parse_pressure(value)
        return parse_quantity(value, dimension, default_unit=unit)
    except ValueError as exc:  # InputError included
        raise InputError(f"{name}: {exc}") from None


def _bare_array_to_si(name: str, array: np.ndarray) -> np.ndarray:
    """Bare numbers in the override's unit to SI, vectorised (affine units: degC, bar, ...)."""
    _, dimension, unit = OVERRIDES[name]
    if dimension in (None, "age"):
        return array
    if dimension == "salinity":
        ambiguous = (array > 0) & (array < 0.3)
        if np.any(ambiguous):
            _one_override(name, float(array[ambiguous].flat[0]))  # raises the one-line error
        return array / 1000.0
    zero = parse_quantity(0.0, dimension, default_unit=unit)
    one = parse_quantity(1.0, dimension, default_unit=unit)
    return zero + (one - zero) * array


def _override_value(name, value):
    """An override as a float or a float array in SI (the engine checks its limits)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        items = np.asarray(value, dtype=object)
        if items.size == 0:
            raise InputError(f"{name}: empty array")
        flat = items.ravel()
        if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
               for v in flat):
            return _bare_array_to_si(name, np.asarray(value, dtype=float))
        return np.asarray([_one_override(name, v) for v in flat], dtype=float).reshape(items.shape)
    return _one_override(name, value)


def project(design, **overrides):
    """Project an RO plant: solve its operating point and return the full result.

    Parameters
    ----------
    design : Design, path, dict or osmolab.ro.config.System
        The plant (see :func:`load_design`).
    **overrides
        Any of ``feed_salinity`` [g/kg], ``temperature`` [degC], ``recovery`` [-],
        ``feed_pressure`` [bar gauge], ``feed_flow`` [m3/h], ``permeate_flow`` [m3/h]: bare
        numbers take these units (as in design files and the CLI), strings carry their own
        (``"60 bar"``, ``"35 g/kg"``, ``"293.15 K"``, ``"100 m3/h"``); a bare salinity below
        0.3 is refused as ambiguous (g/kg or a fraction?). Any may be an array: all arrays
        broadcast together and the engine runs one vectorised call for all of them. ``recovery``, ``feed_pressure`` and ``permeate_flow`` replace the design's target.
        ``fouling_factor`` [-] and ``membrane_age`` [years] replace the design's values per
        case; ``water_permeability_factor`` and ``salt_permeability_factor`` [-] multiply A
        and B of every element, per case or per case and element position (shape ``(n, E)``,
        see :mod:`osmolab.ro.train`).
        ``water_source`` (str) changes the guideline set used for the warnings.

    Returns
    -------
    result
        The engine's result (``.to_dict()`` with the JSON keys, ``.elements_frame()``,
        ``.stages_frame()``), its ``warnings`` extended with the design-guideline checks.

    Raises
    ------
    InputError
        Bad design or override, or a target the plant cannot reach (the engine's reason).
    """
    water_source = overrides.pop("water_source", None)
    unknown = [k for k in overrides if k not in OVERRIDES]
    if unknown:
        raise InputError(
            f"unknown override {unknown[0]!r}.{suggest(unknown[0], OVERRIDES)} "
            f"Use: {', '.join(OVERRIDES)}"
        )
    targets = [k for k in ("recovery", "feed_pressure", "permeate_flow") if k in overrides]
    if len(targets) > 1:
        raise InputError(f"give at most one target override, not {' and '.join(targets)}")
    values = {OVERRIDES[k][0]: _override_value(k, v) for k, v in overrides.items()}

    chemistry = None
    if isinstance(design, System):
        system = design
        source = water_source or getattr(design.feed, "water_source", "seawater_uf")
    else:
        design = load_design(design)
        system = design.to_system()
        source = water_source or design.feed.water_source
        if design.chemistry is not None:
            system, chemistry = _apply_chemistry(design, system, values.get("recovery"))
            caustic = design.chemistry.caustic_second_pass
            rest = (None,) * (len(system.passes) - 2)
            if caustic is not None and "pass_feed_ph" not in values:
                # the engine re-splits the boron of the second pass's feed at the dosed pH
                values["pass_feed_ph"] = (None, caustic.target_ph) + rest
            degas = design.chemistry.degas_second_pass
            if degas is not None and "pass_feed_co2_removal" not in values:
                # a degasser on the second pass's feed, before its caustic dose
                values["pass_feed_co2_removal"] = (None, degas) + rest

    result = train.simulate(system, **values)
    _add_guideline_warnings(result, source)
    note = None if isinstance(design, System) else design.feed.balance_note
    if note is not None and isinstance(getattr(result, "warnings", None), list):
        for lines in result.warnings:
            if isinstance(lines, list) and note not in lines:
                lines.insert(0, note)
    if chemistry is not None:
        _finish_chemistry(design, result, chemistry)
    return result


# -- chemistry (the design file's ``chemistry:`` section) -------------------------------------

#: Ion-table names of the design file that :func:`osmolab.thermo.analysis.water_analysis` reads.
_ANALYSIS_IONS = ("Ca+2", "Mg+2", "Na+", "K+", "Sr+2", "Ba+2", "NH4+", "Li+", "Cl-", "SO4-2",
                  "F-", "NO3-", "Br-", "HCO3-", "CO3-2", "B", "SiO2", "PO4-3")


def _feed_analysis(design):
    """The design's feed ion table as a :class:`~osmolab.thermo.analysis.WaterAnalysis`."""
    from ..thermo.analysis import water_analysis  # lazy: chemistry only when a design asks

    ions = design.feed.ions
    if ions is None:
        raise InputError("chemistry: acid and caustic need the feed as an ion table (feed.ions) "
                         "with its HCO3-")
    unknown = [k for k in ions if k not in _ANALYSIS_IONS]
    if unknown:
        raise InputError(f"chemistry: feed.ions {unknown[0]!r} has no speciation; the water "
                         f"analysis takes {', '.join(_ANALYSIS_IONS)}")
    with _chemistry_errors("chemistry"):  # the engine takes the table as given: no balance check
        return water_analysis({k: f"{v} mg/L" for k, v in ions.items()}, design.feed.pH,
                              design.feed.temperature, max_imbalance=1.0)


class _chemistry_errors:
    """Prefix an InputError of the chemistry with the design-file field it concerns."""

    def __init__(self, where):
        self.where = where

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if isinstance(error, InputError) and not str(error).startswith("chemistry"):
            raise InputError(f"{self.where}: {error}") from None
        return False


def _design_factor(design, recovery):
    """Concentration factor 1/(1 - recovery) of the design's target (None without one)."""
    if recovery is None and design.target.kind == "recovery":
        recovery = design.target.value
    if recovery is None or np.ndim(recovery) > 0:
        return None
    return 1.0 / (1.0 - float(recovery))


def _apply_chemistry(design, system, recovery=None):
    """Acid dosed to the feed: the System with the adjusted feed, and the chemistry record."""
    import dataclasses  # lazy: chemistry only

    from ..thermo import dosing  # lazy: chemistry only when a design asks

    chem = design.chemistry
    record = {"antiscalant": chem.antiscalant or "none",
              "allowed_limits": dosing.allowed_limits(chem.antiscalant),
              "doses": {}}
    factor = _design_factor(design, recovery)
    if chem.acid is not None:
        feed = _feed_analysis(design)
        if chem.acid.target_lsi is not None and factor is None:
            raise InputError("chemistry.acid.target_lsi needs a recovery target (target.recovery) "
                             "to know the concentrate")
        with _chemistry_errors("chemistry.acid"):
            acid = dosing.acid_dose(feed, chem.acid.chemical, chem.acid.target_ph,
                                    chem.acid.target_lsi, factor or 1.0)
        record["doses"]["acid"] = acid.to_dict(flow=design.feed.flow)
        record["feed_water"] = acid.water.to_dict()
        record["_feed"] = acid.water
        ions = dict(design.feed.ions)
        spec = dosing.ACIDS[chem.acid.chemical]
        litre_water = dosing._water_per_litre(feed.tds, feed.temperature)
        added = acid.dose / spec["molar_mass"] * spec["ion_per_mol"] * spec["ion_molar_mass"] * 1e3
        ions[spec["ion"]] = ions.get(spec["ion"], 0.0) + added
        # the alkalinity left, written as HCO3- (the engine's carbonate species)
        ions["HCO3-"] = max(acid.water.alkalinity, 0.0) * litre_water * 61.0168 * 1e3
        ions.pop("CO3-2", None)
        from .schema import _ions_to_molalities  # lazy: the schema's own conversion

        new_feed = dataclasses.replace(
            system.feed, solution=_ions_to_molalities(ions, design.feed.temperature),
            ph=acid.water.ph)
        system = dataclasses.replace(system, feed=new_feed)
        record["feed_ions_mg_L"] = ions
    if chem.caustic_second_pass is not None:
        if len(design.array.passes) < 2:
            raise InputError("chemistry.caustic_second_pass: the array has one pass")
        # the dose is computed on the first-pass permeate after the projection
        # (_finish_chemistry); the engine doses the second pass's feed to the pH itself
        # (simulate's pass_feed_ph: the NaOH's Na+, carbon and boron re-split)
        record["doses"]["caustic_second_pass"] = {"target_ph": chem.caustic_second_pass.target_ph,
                                                  "applied_to_engine": _CAUSTIC_IN_ENGINE}
    if chem.degas_second_pass is not None:
        if len(design.array.passes) < 2:
            raise InputError("chemistry.degas_second_pass: the array has one pass; use "
                             "degas_permeate to strip the product's CO2")
        record["doses"]["degas_second_pass"] = {"co2_removal": chem.degas_second_pass}
    if chem.degas_permeate is not None:
        record["doses"]["degas_permeate"] = {"co2_removal": chem.degas_permeate}
    return system, record


#: what the engine does with ``chemistry.caustic_second_pass`` (osmolab.ro.train.dose_pass_feed)
_CAUSTIC_IN_ENGINE = "NaOH dosed to the pass-2 feed (Na+, carbon and boron re-split)"


def _permeate_water(ions_mg_l, temperature, feed_water=None):
    """A permeate (the engine's species, mg/L) as a WaterAnalysis: boric acid and borate as B,
    HCO3-/CO3-2 as the alkalinity, and the CO2 that passed the membrane in the total carbon
    (the feed's CO2(aq), passing freely, when the engine does not carry CO2)."""
    from ..thermo import dosing  # lazy: chemistry only
    from ..thermo.analysis import water_analysis  # lazy: chemistry only

    carbonate = ("HCO3-", "CO3-2")
    ions = {k: v for k, v in ions_mg_l.items()
            if k in _ANALYSIS_IONS and k not in carbonate and v > 0}
    boron = sum(ions_mg_l.get(name, 0.0) / mass * 10.811
                for name, mass in (("B(OH)3", 61.833), ("B(OH)4-", 78.840)))
    if boron > 0:
        ions["B"] = ions.get("B", 0.0) + boron
    base = water_analysis({k: f"{v:.10g} mg/L" for k, v in ions.items()}, 7.0, temperature,
                          max_imbalance=1.0)
    litre_water = dosing._water_per_litre(base.tds, temperature)
    # mol/kg water of the engine's carbonate and base species, with their alkalinity [eq/mol]
    molal = {name: ions_mg_l.get(name, 0.0) * 1e-3 / mass / litre_water
             for name, mass in (("HCO3-", 61.0168), ("CO3-2", 60.0089), ("CO2", 44.0095),
                                ("B(OH)4-", 78.840), ("OH-", 17.0073))}
    alkalinity = (molal["HCO3-"] + 2.0 * molal["CO3-2"] + molal["B(OH)4-"] + molal["OH-"])
    carbon = molal["HCO3-"] + molal["CO3-2"] + molal["CO2"]
    if "CO2" not in ions_mg_l and feed_water is not None:
        carbon += float(feed_water.speciation["CO2"][0])
    totals = dosing._rows(base.totals, 1)
    ph = dosing._solve_ph(totals, np.array([alkalinity]), np.array([carbon]), temperature,
                          np.array([2.5]), np.array([12.0]))[0]
    return dosing._adjusted_water(base, totals, float(ph), carbon, base.tds)


def _first_pass_permeate(result):
    """mg/L of each species in the first-pass permeate (design case)."""
    first = result.passes[0]
    volume = max(float(np.asarray(first["permeate_volume"]).reshape(-1)[0]), 1e-300)
    solutes = np.asarray(first["permeate_solutes"]).reshape(-1, len(result.species))[0]
    mg = solutes * np.asarray(result.molar_mass) / volume * 1e3
    return {s: float(c) for s, c in zip(result.species, mg, strict=True)}


def _finish_chemistry(design, result, record):
    """Caustic and degassing on the permeate, the concentrate check: ``result.dosing``, and
    the antiscalant's limits as ``result.chemistry`` (the options of the scaling check)."""
    from ..thermo import dosing  # lazy: chemistry only
    from ..thermo.analysis import concentrate  # lazy: chemistry only

    feed_water = record.pop("_feed", None)
    chem = design.chemistry
    data = None
    if getattr(result, "is_batch", False) or (hasattr(result, "__len__") and len(result) > 1):
        record["note"] = "doses computed for the design case; batches keep the design's doses"
    else:
        data = result.to_dict()
    needs_feed = (chem.caustic_second_pass is not None or chem.degas_permeate is not None
                  or chem.degas_second_pass is not None)
    if feed_water is None and design.feed.ions is not None and data is not None:
        try:
            feed_water = _feed_analysis(design)
        except InputError:
            feed_water = None
    if data is not None and data.get("feasible") is not False and feed_water is not None:
        recovery = data.get("recovery")
        if recovery is not None and 0 <= recovery < 1:
            factor = 1.0 / (1.0 - recovery)
            record["concentrate"] = {
                "concentration_factor": factor,
                "note": "full rejection, CO2 passing (the engine's streams are re-speciated "
                        "in the scaling section)",
                "indices": dosing.check_limits(concentrate(feed_water, factor),
                                               chem.antiscalant),
            }
    if data is not None and data.get("feasible") is not False and needs_feed:
        passes = data.get("passes") or []
        with _chemistry_errors("chemistry"):
            if chem.caustic_second_pass is not None or chem.degas_second_pass is not None:
                first = passes[0] if passes else {}
                pass_flow = first.get("permeate_flow_m3_h")
                permeate = _permeate_water(_first_pass_permeate(result), design.feed.temperature,
                                           feed_water)
                if chem.degas_second_pass is not None:
                    stripped = dosing.degas(permeate, chem.degas_second_pass)
                    record["doses"]["degas_second_pass"] = stripped.to_dict(
                        None if pass_flow is None else pass_flow / 3600.0)
                    permeate = stripped.water
            if chem.caustic_second_pass is not None:
                caustic = dosing.caustic_dose(permeate, chem.caustic_second_pass.target_ph,
                                              chem.caustic_second_pass.chemical)
                record["doses"]["caustic_second_pass"] = {
                    **caustic.to_dict(None if pass_flow is None else pass_flow / 3600.0),
                    "applied_to_engine": _CAUSTIC_IN_ENGINE,
                }
            if chem.degas_permeate is not None:
                permeate = _permeate_water(data["permeate_ions_mg_L"], design.feed.temperature,
                                           feed_water)
                flow = data.get("permeate_flow_m3_h")
                stripped = dosing.degas(permeate, chem.degas_permeate)
                record["doses"]["degas_permeate"] = stripped.to_dict(
                    None if flow is None else flow / 3600.0)
    # the doses go on ``result.dosing``; ``result.chemistry`` holds the options of the engine's
    # per-stream scaling check (osmolab.ro.chemistry.stream_chemistry): the antiscalant's limits
    limits = {("calcite" if k == "lsi" else k): v for k, v in record["allowed_limits"].items()
              if k != "sdsi"}
    options = {"antiscalant": record["antiscalant"] != "none", "limits": limits}
    if chem.degas_permeate is not None:  # the scaling table adds the degassed product
        options["degas_permeate"] = chem.degas_permeate
    for name, value in (("dosing", record), ("chemistry", options)):
        try:
            setattr(result, name, value)
        except (AttributeError, TypeError):  # a frozen result: set it all the same
            object.__setattr__(result, name, value)


#: Batches up to this size get the design-guideline warnings case by case (larger batches are
#: sweeps where the per-case check would cost more than the projection; call
#: ``check_design(result[i], ...)`` on the cases of interest).
GUIDELINE_BATCH_LIMIT = 200


def _add_guideline_warnings(result, water_source) -> None:
    """Append the design-guideline warnings of each case to ``result.warnings[case]``."""
    warnings = getattr(result, "warnings", None)
    if not isinstance(warnings, list):
        return
    n = len(result) if hasattr(result, "__len__") else 1
    if n > GUIDELINE_BATCH_LIMIT:
        return
    for case in range(n):
        if len(warnings) <= case or not isinstance(warnings[case], list):
            return
        reasons = result.reasons[case] if hasattr(result, "reasons") else []
        if reasons:  # an infeasible case: its reason is the message, limits are moot
            continue
        # the guidelines read flows, fluxes and pressures, not the water chemistry
        data = result.to_dict(case=case if n > 1 or getattr(result, "is_batch", False) else None,
                              chemistry=False)
        for line in check_design(data, water_source):
            if line not in warnings[case]:
                warnings[case].append(line)


# -- summary lines (the CLI and the report's `run_default` print them) ------------------------


def summary_lines(data: Mapping) -> list[str]:
    """Short human summary of a projection dict (the JSON keys)."""
    def g(key, fmt, unit=""):
        value = data.get(key)
        if value is None:
            return "-"
        try:
            return f"{format(float(value), fmt)}{unit}"
        except (TypeError, ValueError):
            return str(value)

    recovery = data.get("recovery")
    rec = "-" if recovery is None else f"{100 * float(recovery):.1f} %"
    lines = [
        f"  feed pressure     {g('feed_pressure_bar', '.1f', ' bar')}",
        f"  recovery          {rec}",
        f"  permeate          {g('permeate_flow_m3_h', '.2f', ' m3/h')}, {g('permeate_tds_mg_L', '.1f', ' mg/L TDS')}",
        f"  SEC               {g('sec_kWh_m3', '.3f', ' kWh/m3')} (thermodynamic minimum {g('min_sec_kWh_m3', '.3f', ' kWh/m3')})",
    ]
    streams = {s.get("stream"): s for s in (data.get("scaling") or {}).get("streams", [])}
    product = streams.get("product, degassed") or streams.get("product")
    if product is not None and (product.get("boron_mg_L") or 0.0) > 0:
        feed = streams.get("feed", {}).get("boron_mg_L")
        lines.append(f"  product boron     {product['boron_mg_L']:.3f} mg/L as B"
                     + (f" (feed {feed:.2f} mg/L)" if feed else ""))
    return lines
