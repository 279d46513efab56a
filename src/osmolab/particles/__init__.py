"""Particle simulations (Numba): mixing gases, osmosis and reverse osmosis at molecular level.

>>> from osmolab.particles import Mixing
>>> Mixing().theory()[0] > 0
True

Scenarios (:mod:`~osmolab.particles.scenarios`): :class:`Mixing`, :class:`Osmosis`,
:func:`Osmometer`, :class:`ReverseOsmosis`, :class:`Sieving`. The engine
(:mod:`~osmolab.particles.engine`, :mod:`~osmolab.particles.system`) works in reduced
Lennard-Jones units; :class:`ReducedUnits` maps them to real molecules.
"""

from .scenarios import Mixing, Osmometer, Osmosis, ReverseOsmosis, Sieving
from .system import ParticleSystem, ReducedUnits, Species, Wall

__all__ = ["Mixing", "Osmometer", "Osmosis", "ReverseOsmosis", "Sieving", "ParticleSystem",
           "ReducedUnits", "Species", "Wall"]
