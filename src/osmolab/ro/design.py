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
from . import train
from .guidelines import check_design
from .library import canonical_element_name, element_names
from .schema import Design, _parse, _parse_salinity, validation_message
from .system import System

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
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise InputError(f"design file is not valid YAML{where}: {problem}") from None
    if data is None:
        raise InputError("design file is empty")
    return data


# -- projection ------------------------------------------------------------------------------

_OVERRIDES = {
    "feed_salinity": ("salinity", _parse_salinity),
    "temperature": ("temperature", _parse("temperature", "K")),
    "recovery": ("recovery", None),
    "feed_pressure": ("pressure", _parse("pressure", "Pa")),
    "feed_flow": ("flow", _parse("flow", "m**3/s")),
    "permeate_flow": ("flow", _parse("flow", "m**3/s")),
}


def _override_value(name, value):
    """An override as a float or float array in SI (strings with units are parsed)."""
    _, parser = _OVERRIDES[name]

    def one(v):
        if isinstance(v, str):
            if name == "recovery":
                text = v.strip()
                try:
                    return float(text[:-1]) / 100 if text.endswith("%") else float(text)
                except ValueError:
                    raise InputError(f"cannot read recovery {v!r}; write 0.45 or '45 %'") from None
            try:
                return parser(v)
            except ValueError as exc:
                raise InputError(f"{name}: {exc}") from None
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise InputError(f"{name} must be a number or a string with units, got {v!r}")
        if name == "feed_salinity" and float(v) >= 0.3:
            raise InputError(f"feed_salinity is a mass fraction [kg/kg]: 35 g/kg = 0.035, got {v!r}")
        return float(v)

    if isinstance(value, (list, tuple, np.ndarray)):
        array = np.asarray([one(v) for v in np.ravel(np.asarray(value, dtype=object))], dtype=float)
        if array.size == 0:
            raise InputError(f"{name}: empty array")
        out = array.reshape(np.shape(value))
    else:
        out = one(value)
    arr = np.asarray(out, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} must be finite")
    def shown(bad):  # the value as given, or the first bad entry of an array (one line)
        return repr(value) if np.ndim(arr) == 0 else f"{arr[bad].flat[0]:g} (in an array)"

    if name == "recovery" and (np.any(arr <= 0) or np.any(arr >= 1)):
        raise InputError(f"recovery must be a fraction between 0 and 1, got {shown((arr <= 0) | (arr >= 1))}")
    if name != "recovery" and np.any(arr <= 0) and name != "feed_salinity":
        raise InputError(f"{name} must be > 0, got {shown(arr <= 0)}")
    if name == "feed_salinity" and np.any(arr <= 0):
        raise InputError(f"feed_salinity must be > 0, got {shown(arr <= 0)}")
    if name in ("feed_flow", "permeate_flow") and np.any(arr > 100.0):
        hint = "" if isinstance(value, str) else (
            "; numbers are m^3/s (100 m3/h = 0.0278), strings carry units ('100 m3/h')")
        got = value if isinstance(value, str) else f"{arr[arr > 100.0].flat[0]:g}"
        raise InputError(f"{name} must be at most 100 m^3/s (360,000 m3/h) per train, got {got!r}{hint}")
    if name == "feed_pressure" and np.any(arr < 1e4):
        hint = "" if isinstance(value, str) else (
            "; numbers are Pa gauge (60 bar = 6e6), strings carry units ('60 bar')")
        got = value if isinstance(value, str) else f"{arr[arr < 1e4].flat[0]:g}"
        raise InputError(f"feed_pressure must be at least 0.1 bar, got {got!r}{hint}")
    return out


def project(design, **overrides):
    """Project an RO plant: solve its operating point and return the full result.

    Parameters
    ----------
    design : Design, path, dict or osmolab.ro.system.System
        The plant (see :func:`load_design`).
    **overrides
        Any of ``feed_salinity`` [kg/kg], ``temperature`` [K], ``recovery`` [-],
        ``feed_pressure`` [Pa gauge], ``feed_flow`` [m^3/s], ``permeate_flow`` [m^3/s]; numbers
        are SI, strings carry units (``"60 bar"``, ``"35 g/kg"``, ``"20 degC"``). Any may be an
        array: all arrays broadcast together and the engine runs one vectorised call for all of
        them. ``recovery``, ``feed_pressure`` and ``permeate_flow`` replace the design's target.
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
    unknown = [k for k in overrides if k not in _OVERRIDES]
    if unknown:
        raise InputError(
            f"unknown override {unknown[0]!r}.{suggest(unknown[0], _OVERRIDES)} "
            f"Use: {', '.join(_OVERRIDES)}"
        )
    targets = [k for k in ("recovery", "feed_pressure", "permeate_flow") if k in overrides]
    if len(targets) > 1:
        raise InputError(f"give at most one target override, not {' and '.join(targets)}")
    values = {k: _override_value(k, v) for k, v in overrides.items()}

    if isinstance(design, System):
        system = design
        source = water_source or getattr(design.feed, "water_source", "seawater_uf")
    else:
        design = load_design(design)
        system = design.to_system()
        source = water_source or design.feed.water_source

    engine_names = {"feed_salinity": "salinity"}
    values = {engine_names.get(k, k): v for k, v in values.items()}
    result = train.simulate(system, **values)
    _add_guideline_warnings(result, source)
    return result


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
        data = result.to_dict(case=case) if n > 1 or getattr(result, "is_batch", False) else result.to_dict()
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
    return [
        f"  feed pressure     {g('feed_pressure_bar', '.1f', ' bar')}",
        f"  recovery          {rec}",
        f"  permeate          {g('permeate_flow_m3_h', '.2f', ' m3/h')}, {g('permeate_tds_mg_L', '.1f', ' mg/L TDS')}",
        f"  SEC               {g('sec_kWh_m3', '.3f', ' kWh/m3')} (thermodynamic minimum {g('min_sec_kWh_m3', '.3f', ' kWh/m3')})",
    ]
