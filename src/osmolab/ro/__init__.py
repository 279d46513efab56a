"""Reverse-osmosis systems: configuration, element library, the run, energy and design files.

Where things are
----------------
* :mod:`~osmolab.ro.config` -- the frozen configuration (:class:`System`, :class:`Feed`,
  :class:`Pass`, :class:`Stage`, ...) and the one table of limits (:data:`LIMITS`).
* :mod:`~osmolab.ro.schema` -- the design-file schema (pydantic); :class:`Design` builds the
  configuration once.
* :mod:`~osmolab.ro.design` -- :func:`load_design` and :func:`project` (the user entry point:
  unit strings, bare numbers in degC, bar, g/kg, m3/h, design-guideline warnings).
* :mod:`~osmolab.ro.library` -- commercial elements, their calibration (explicit, shipped as
  a table) and :func:`resolve_element`.
* :mod:`~osmolab.ro.train` -- :func:`simulate`, the run as named steps; the compiled march
  and feed-pressure solver are :mod:`~osmolab.ro.march` and :mod:`~osmolab.ro.solver`, the
  feed composition and property tables :mod:`~osmolab.ro.feedwater`.
* :mod:`~osmolab.ro.energy`, :mod:`~osmolab.ro.guidelines`, :mod:`~osmolab.ro.results`.

Examples
--------
>>> from osmolab import ro
>>> result = ro.project("seawater_px", recovery=0.45)
>>> round(result.to_dict()["recovery"], 3)
0.45
"""

from __future__ import annotations

from . import energy
from .config import (
    LIMITS,
    EnergyRecovery,
    Feed,
    MembraneSheet,
    Pass,
    Pump,
    Stage,
    System,
    Target,
    check_limit,
)
from .design import EXAMPLES, bundled_example, load_design, project
from .guidelines import check_design, guideline, water_sources
from .library import (
    ElementModel,
    calibrate_library,
    calibration,
    canonical_element_name,
    datasheet,
    element_names,
    resolve_element,
)
from .results import ROResult
from .schema import Design
from .train import simulate

__all__ = [
    # entry points
    "load_design", "project", "simulate", "bundled_example", "EXAMPLES",
    # configuration
    "Design", "System", "Feed", "Pass", "Stage", "MembraneSheet", "Pump", "EnergyRecovery",
    "Target", "LIMITS", "check_limit",
    # element library
    "element_names", "datasheet", "canonical_element_name", "resolve_element", "ElementModel",
    "calibration", "calibrate_library",
    # results, guidelines, energy
    "ROResult", "check_design", "guideline", "water_sources", "energy",
]
