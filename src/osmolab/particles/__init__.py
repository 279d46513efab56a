"""Particle simulations (Numba): mixing gases, osmosis and reverse osmosis at molecular level.

>>> from osmolab.particles import Mixing
>>> Mixing().theory()[0] > 0
True

Scenarios (:mod:`~osmolab.particles.scenarios`): :class:`Mixing`, :class:`Osmosis`,
:class:`PistonOsmometer`, :class:`ReverseOsmosis`, :class:`Sieving`, each returning a result
dataclass (:class:`MixingResult`, :class:`OsmosisResult`, :class:`MembraneCellResult`,
:class:`SievingResult`). The engine (:mod:`~osmolab.particles.engine` kernels,
:class:`ParticleSystem`) works in reduced Lennard-Jones units; :class:`ReducedUnits` maps
them to real molecules. The theory the runs are compared with (kinetic theory, virial
expansion) is in :mod:`~osmolab.particles.theory`.

:class:`PistonOsmometer` is a particle scenario; the continuum osmometer with a liquid
column is :class:`osmolab.osmosis.Osmometer`.
"""

from .scenarios import (
    SIEVING_SPECIES,
    MembraneCellResult,
    Mixing,
    MixingResult,
    Osmosis,
    OsmosisResult,
    PistonOsmometer,
    ReverseOsmosis,
    Sieving,
    SievingResult,
)
from .system import (
    ParticleSystem,
    ReducedUnits,
    Species,
    Wall,
    molecule_parameters,
    molecule_species,
)
from .theory import (
    Barker_Henderson_diameter,
    contact_value_Carnahan_Starling,
    interdiffusion_Chapman_Enskog,
    omega11,
    omega11_Neufeld,
    osmotic_pressure_virial,
    pair_potential,
    second_virial,
    van_t_hoff,
)

__all__ = [
    # scenarios and their results
    "Mixing", "MixingResult", "Osmosis", "OsmosisResult", "PistonOsmometer", "ReverseOsmosis",
    "MembraneCellResult", "Sieving", "SievingResult", "SIEVING_SPECIES",
    # the particle box and units
    "ParticleSystem", "Species", "Wall", "ReducedUnits", "molecule_parameters", "molecule_species",
    # theory the runs are compared with
    "interdiffusion_Chapman_Enskog", "omega11", "omega11_Neufeld", "Barker_Henderson_diameter",
    "contact_value_Carnahan_Starling", "second_virial", "van_t_hoff", "osmotic_pressure_virial",
    "pair_potential",
]
