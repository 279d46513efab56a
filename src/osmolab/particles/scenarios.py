"""Particle scenarios: gases mixing, osmotic pressure, piston osmometer, reverse osmosis, sieving.

Each scenario is a small class holding its configuration (reduced LJ units unless stated)
with a ``run()`` that builds a :class:`~osmolab.particles.system.ParticleSystem`, samples
observables and returns a result dataclass with pandas time series, a ``summary()`` dict
(the CLI's JSON) and ``plot()``. They live in :mod:`~osmolab.particles.mixing`,
:mod:`~osmolab.particles.osmosis` and :mod:`~osmolab.particles.sieving`.
"""

from .mixing import Mixing, MixingResult
from .osmosis import MembraneCellResult, Osmosis, OsmosisResult, PistonOsmometer, ReverseOsmosis
from .sieving import SIEVING_SPECIES, Sieving, SievingResult

__all__ = ["Mixing", "MixingResult", "Osmosis", "OsmosisResult", "PistonOsmometer", "ReverseOsmosis",
           "MembraneCellResult", "Sieving", "SievingResult", "SIEVING_SPECIES"]
