"""Random valid RO designs, and their classification: converged, stated reason, NaN or crash.

Shared by the robustness test (``tests/test_ro_robustness.py``, 50 designs) and the robustness
benchmark (``benchmarks/robustness_ro.py``, 1,000 designs).

Each design is drawn at random (feed 0.5-45 g/kg seawater or NaCl, 5-35 degC, recovery
10-80 %, 1-3 stages of 1-8 elements per vessel, library elements of the type that suits the
salinity, random vessel counts, energy recovery and water source), validated through the
design-file schema and projected with :func:`osmolab.ro.design.project`. Outcomes:

* converged: feasible, every reported number finite;
* stated reason: the engine returns the case infeasible with a reason, or raises
  ``InputError`` with one line (e.g. the concentrate osmotic pressure exceeds the maximum
  pressure);
* NaN: a feasible result with a non-finite number (must be 0);
* crash: any other exception (must be 0).
"""

from __future__ import annotations

import collections
import re
import time

import numpy as np

from ..errors import InputError
from .design import project

__all__ = ["random_design", "classify", "run", "SEAWATER_ELEMENTS", "BRACKISH_ELEMENTS",
           "SOURCES"]

SEAWATER_ELEMENTS = ("SW30HRLE-440i", "SW30XLE-440i", "SW30ULE-440i", "SWC5-LD", "SWC6-LD",
                     "TM820V-400", "TM820C-440", "SW30HR-380")
BRACKISH_ELEMENTS = ("BW30-400", "BW30-440i", "BW30HR-440i", "LE-440i", "XLE-440", "ESPA2-LD",
                     "CPA5-LD", "TM720D-400")
SOURCES = ("seawater_uf", "seawater_conventional", "well_water", "surface_mf_uf",
           "wastewater_conventional")


def random_design(rng: np.random.Generator) -> dict:
    """One random but schema-valid design dict (see the module docstring for the ranges)."""
    salinity = rng.uniform(0.5, 45.0)  # g/kg
    temperature = rng.uniform(5.0, 35.0)
    recovery = rng.uniform(0.10, 0.80)
    n_stages = int(rng.integers(1, 4))
    per_vessel = int(rng.integers(1, 9))
    seawater = salinity > 8.0 or rng.random() < 0.15
    element = str(rng.choice(SEAWATER_ELEMENTS if seawater else BRACKISH_ELEMENTS))
    feed_flow = rng.uniform(5.0, 500.0)  # m3/h
    vessels = max(1, int(round(feed_flow / rng.uniform(6.0, 15.0))))
    stages = []
    for _ in range(n_stages):
        stages.append({"vessels": vessels, "elements_per_vessel": per_vessel, "element": element})
        vessels = max(1, int(round(vessels * rng.uniform(0.4, 0.75))))
    salt = "seawater" if rng.random() < 0.7 else "NaCl"
    erd = str(rng.choice(["none", "pressure_exchanger", "turbine"])) if seawater else "none"
    return {
        "name": "random design",
        "feed": {
            "flow": f"{feed_flow:.3f} m3/h",
            "temperature": f"{temperature:.2f} degC",
            "composition": f"{salt} {salinity:.3f} g/kg",
            "water_source": str(rng.choice(SOURCES)),
        },
        "array": {"stages": stages},
        "erd": {"type": erd},
        "target": {"recovery": round(float(recovery), 4)},
        "membrane_age": float(rng.uniform(0, 5)),
        "fouling_factor": float(rng.uniform(0.8, 1.0)),
    }


def _finite_result(result) -> bool:
    """Every number the engine reports is finite (checked on the raw arrays, not the dict)."""
    arrays = [result.feed_pressure, result.recovery, result.permeate_flow, result.permeate_tds,
              result.sec, result.min_sec, result.total_power, result.concentrate_tds]
    for p in result.passes:
        out = p.get("out", {}) if isinstance(p, dict) else {}
        if "element" in out:
            arrays.append(out["element"])
    return all(np.all(np.isfinite(np.asarray(a, dtype=float))) for a in arrays)


def classify(design: dict) -> tuple[str, str]:
    """('converged' | 'reason' | 'nan' | 'crash', detail) for one design dict."""
    try:
        result = project(design)
    except InputError as exc:
        return "reason", str(exc)
    except Exception as exc:  # noqa: BLE001 - counted, the goal is zero
        return "crash", f"{type(exc).__name__}: {exc}"
    reasons = result.reasons[0] if result.reasons else []
    if reasons:
        return "reason", "; ".join(reasons)
    if not _finite_result(result):
        return "nan", "non-finite number in a feasible result"
    if _has_null(result.to_dict()):
        return "nan", "null (non-finite) value in the result dict of a feasible case"
    return "converged", ""


#: keys whose None means "undefined for this water", not a failed number: the calcite
#: indices of a stream without calcium or carbonate (osmolab.ro.chemistry.stream_chemistry)
_UNDEFINED_OK = ("lsi", "sdsi")


def _has_null(obj) -> bool:
    """Whether a result dict holds None anywhere (to_dict writes non-finite numbers as None),
    other than the keys of :data:`_UNDEFINED_OK`."""
    if obj is None:
        return True
    if isinstance(obj, dict):
        return any(_has_null(v) for k, v in obj.items()
                   if not (k in _UNDEFINED_OK and v is None))
    if isinstance(obj, list):
        return any(_has_null(v) for v in obj)
    return False


def run(n: int = 1000, seed: int = 0, progress=None) -> dict:
    """Project ``n`` random designs; return the counts and the reasons met.

    ``progress``, if given, wraps the list of designs for display (e.g. ``rich.progress.track``).
    """
    rng = np.random.default_rng(seed)
    counts = collections.Counter()
    reasons = collections.Counter()
    crashes = []
    designs = [random_design(rng) for _ in range(n)]
    iterator = progress(designs) if progress is not None else designs
    start = time.perf_counter()
    for design in iterator:
        outcome, detail = classify(design)
        counts[outcome] += 1
        if outcome == "reason":
            reasons[_reason_kind(detail)] += 1
        elif outcome in ("crash", "nan"):
            crashes.append((design, detail))
    return {"counts": counts, "reasons": reasons, "failures": crashes,
            "seconds": time.perf_counter() - start, "n": n}


def _reason_kind(text: str) -> str:
    """Group reasons by their wording without the numbers."""
    return re.sub(r"[-+]?\d[\d.,e+-]*", "#", text)[:110]
