"""osmolab: diffusion, osmosis and reverse osmosis, from molecules to membrane plants.

The top-level names are imported lazily so that ``import osmolab`` stays fast.

Examples
--------
>>> import osmolab
>>> issubclass(osmolab.InputError, ValueError)
True
"""

from __future__ import annotations

import importlib

from .errors import InputError, ModelRangeWarning

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "Solution": "osmolab.thermo.solution",
    "osmotic_pressure": "osmolab.thermo.osmotic",
    "osmotic_coefficient": "osmolab.thermo.osmotic",
    "water_activity": "osmolab.thermo.osmotic",
    "tonicity": "osmolab.thermo.tonicity",
    "effective_osmolality": "osmolab.thermo.tonicity",
    "load_design": "osmolab.ro.design",
    "project": "osmolab.ro.design",
}

__all__ = ["InputError", "ModelRangeWarning", "__version__", *_LAZY]


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'osmolab' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
