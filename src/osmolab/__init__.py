"""osmolab: diffusion, osmosis and reverse osmosis, from molecules to membrane plants.

The main entry points of each topic are re-exported here; each is imported on first use,
so ``import osmolab`` stays fast and loads no subpackage. Everything else lives in its
subpackage (see docs/architecture.md for the layers and where each equation lives).

Solutions and osmotic pressure (:mod:`osmolab.thermo`)
    ``Solution``, ``osmotic_pressure``, ``osmotic_coefficient``, ``water_activity``,
    ``tonicity``, ``effective_osmolality``
Transport laws (:mod:`osmolab.transport`)
    ``gas_diffusivity``, ``salt_diffusivity``, ``ion_diffusivity``, ``solve_diffusion``,
    ``closed_box_exact``, ``water_flux``, ``solute_flux``
Osmotic systems (:mod:`osmolab.osmosis`)
    ``Osmometer``, ``simulate_cell``, ``cell_type``
Particle simulations (:mod:`osmolab.particles`)
    ``Mixing``, ``Osmosis``, ``ReverseOsmosis``, ``Sieving``
Reverse-osmosis systems (:mod:`osmolab.ro`)
    ``load_design``, ``project``, ``simulate``
Studies (:mod:`osmolab.studies`)
    ``optimize``, ``pareto``
Errors (:mod:`osmolab.errors`)
    ``InputError``, ``ModelRangeWarning``

Examples
--------
>>> import osmolab
>>> issubclass(osmolab.InputError, ValueError)
True
>>> round(osmolab.osmotic_coefficient({"Na+": 1.0, "Cl-": 1.0}, temperature=298.15), 3)
0.936
"""

from __future__ import annotations

import importlib

from .errors import InputError, ModelRangeWarning

__version__ = "0.1.0"

# public name -> module that defines it (imported on first access, see __getattr__)
_LAZY = {
    # thermo
    "Solution": "osmolab.thermo.solution",
    "osmotic_pressure": "osmolab.thermo.osmotic",
    "osmotic_coefficient": "osmolab.thermo.osmotic",
    "water_activity": "osmolab.thermo.osmotic",
    "tonicity": "osmolab.thermo.tonicity",
    "effective_osmolality": "osmolab.thermo.tonicity",
    # transport
    "gas_diffusivity": "osmolab.transport.gas",
    "salt_diffusivity": "osmolab.transport.liquid",
    "ion_diffusivity": "osmolab.transport.liquid",
    "solve_diffusion": "osmolab.transport.fick",
    "closed_box_exact": "osmolab.transport.fick",
    "water_flux": "osmolab.transport.membrane",
    "solute_flux": "osmolab.transport.membrane",
    # osmosis
    "Osmometer": "osmolab.osmosis.osmometer",
    "simulate_cell": "osmolab.osmosis.cell",
    "cell_type": "osmolab.osmosis.cell",
    # particles
    "Mixing": "osmolab.particles",
    "Osmosis": "osmolab.particles",
    "ReverseOsmosis": "osmolab.particles",
    "Sieving": "osmolab.particles",
    # ro
    "load_design": "osmolab.ro.design",
    "project": "osmolab.ro.design",
    "simulate": "osmolab.ro.train",
    # studies
    "optimize": "osmolab.studies.optimize",
    "pareto": "osmolab.studies.pareto",
}

__all__ = ["InputError", "ModelRangeWarning", "__version__", *_LAZY]


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'osmolab' has no attribute {name!r}")
    # importlib rather than an import statement: the root package is no layer of its own and
    # must not appear in the import graph as importing every layer
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
