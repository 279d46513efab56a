"""A box of particles: species, walls, pistons, thermostat; reduced units and real molecules.

:class:`ParticleSystem` holds the configuration and the state arrays and drives the Numba
kernels of :mod:`osmolab.particles.engine`. Everything is in reduced Lennard-Jones units
(length sigma, energy epsilon, mass m, k_B = 1, time sigma*sqrt(m/epsilon));
:class:`ReducedUnits` converts to SI for a chosen real molecule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numba
import numpy as np
from scipy.spatial import cKDTree

from ..constants import N_A, k_B
from ..data import load_csv
from ..errors import InputError, suggest
from . import engine
from ._tools import check_seed

POTENTIALS = ("wca", "lj", "soft")
THERMOSTAT_KINDS = {
    "nve": engine.THERMOSTAT_NVE,
    "langevin": engine.THERMOSTAT_LANGEVIN,
    "rescale": engine.THERMOSTAT_RESCALE,
}
THERMOSTATS = tuple(THERMOSTAT_KINDS)
WALL_KINDS = {
    "upper": engine.WALL_UPPER,
    "lower": engine.WALL_LOWER,
    "partition": engine.WALL_PARTITION,
    "flat_upper": engine.WALL_FLAT_UPPER,
    "flat_lower": engine.WALL_FLAT_LOWER,
}
#: Close-packing fractions of equal spheres (3-D, fcc) and discs (2-D, hexagonal).
CLOSE_PACKING = {3: math.pi / (3.0 * math.sqrt(2.0)), 2: math.pi / (2.0 * math.sqrt(3.0))}


@dataclass(frozen=True)
class Species:
    """A kind of particle in reduced units (diameter sigma_i, well depth epsilon_i, mass m_i)."""

    name: str
    mass: float = 1.0
    diameter: float = 1.0
    epsilon: float = 1.0

    def __post_init__(self):
        for label in ("mass", "diameter", "epsilon"):
            value = getattr(self, label)
            if not (np.isfinite(value) and value > 0):
                raise InputError(f"species {self.name!r}: {label} must be a positive number, got {value}")


@dataclass(frozen=True)
class ReducedUnits:
    """Map reduced Lennard-Jones units to SI for one reference molecule.

    Parameters
    ----------
    sigma : float
        Length unit, the molecule's LJ diameter [m].
    epsilon : float
        Energy unit, the LJ well depth [J].
    mass : float
        Mass unit, the molecule's mass [kg].
    """

    sigma: float
    epsilon: float
    mass: float

    @classmethod
    def for_molecule(cls, name: str) -> ReducedUnits:
        """Units of the molecule ``name`` from ``data/particle_species.csv`` (N2, O2, Ar ...)."""
        row = molecule_parameters(name)
        return cls(sigma=row["sigma_angstrom"] * 1e-10, epsilon=row["epsilon_over_k_K"] * k_B,
                   mass=row["molar_mass_g_mol"] * 1e-3 / N_A)

    @property
    def time(self) -> float:
        """Time unit sigma*sqrt(m/epsilon) [s]."""
        return self.sigma * math.sqrt(self.mass / self.epsilon)

    @property
    def temperature(self) -> float:
        """Temperature unit epsilon/k_B [K]."""
        return self.epsilon / k_B

    @property
    def diffusivity(self) -> float:
        """Diffusivity unit sigma^2/time [m^2/s]."""
        return self.sigma**2 / self.time

    def pressure(self, dim: int = 3) -> float:
        """Pressure unit epsilon/sigma^dim [Pa] (3-D) or [N/m] (2-D)."""
        return self.epsilon / self.sigma**dim

    def number_density(self, dim: int = 3) -> float:
        """Number-density unit 1/sigma^dim [1/m^3]."""
        return 1.0 / self.sigma**dim


def molecule_parameters(name: str) -> dict:
    """Lennard-Jones sigma [angstrom], epsilon/k [K], molar mass [g/mol] and source of ``name``.

    Examples
    --------
    >>> molecule_parameters("N2")["sigma_angstrom"]
    3.621
    """
    table = load_csv("particle_species.csv")
    names = list(table["name"])
    lowered = {n.lower(): n for n in names}
    if name.lower() not in lowered:
        raise InputError(f"unknown molecule {name!r}; known: {', '.join(names)}.{suggest(name, names)}")
    row = table[table["name"] == lowered[name.lower()]].iloc[0]
    return row.to_dict()


def molecule_species(names: Sequence[str]) -> tuple[list[Species], ReducedUnits]:
    """Species in reduced units for real molecules; the first molecule sets the units.

    Examples
    --------
    >>> species, units = molecule_species(["N2", "O2"])
    >>> round(species[1].mass, 3), round(units.temperature, 2)
    (1.142, 97.53)
    """
    rows = [molecule_parameters(n) for n in names]
    units = ReducedUnits.for_molecule(names[0])
    ref = rows[0]
    species = [
        Species(name=r["name"], mass=r["molar_mass_g_mol"] / ref["molar_mass_g_mol"],
                diameter=r["sigma_angstrom"] / ref["sigma_angstrom"],
                epsilon=r["epsilon_over_k_K"] / ref["epsilon_over_k_K"])
        for r in rows
    ]
    return species, units


@dataclass
class Wall:
    """A plane x = ``position`` felt by the listed species (``None``: all species).

    ``kind``: "upper"/"lower" (WCA wall, particles live below/above it), "partition"
    (felt from both sides), "flat_upper"/"flat_lower" (flat-bottom harmonic restraint of
    stiffness ``strength``, Luo and Roux 2010). A ``mass`` > 0 makes it a piston pushed with
    ``external_force`` (along +x) and damped at rate ``damping``; ``remove_at`` switches it off.
    ``cutoff_diameter`` makes it a pore membrane felt only by species wider than the pores.
    """

    position: float
    kind: str = "partition"
    species: tuple[str, ...] | None = None
    strength: float = 1.0
    mass: float = 0.0
    external_force: float = 0.0
    damping: float = 0.0
    remove_at: float | None = None
    limits: tuple[float, float] = (-np.inf, np.inf)
    cutoff_diameter: float | None = None
    name: str = ""


@dataclass
class ParticleSystem:
    """A box of particles integrated with velocity Verlet (reduced LJ units).

    Parameters
    ----------
    species : list of Species
    box : sequence of float
        Box lengths (x, y[, z]) [sigma].
    periodic : sequence of bool
        Periodic (True) or specularly reflecting (False) along each axis.
    potential : {"wca", "lj", "soft"}
        Pair potential: WCA (LJ cut at 2^(1/6) sigma), LJ cut at 2.5 sigma, or
        soft-sphere epsilon (sigma/r)^12 cut at 1.5 sigma; all shifted to zero at the cutoff.
    temperature : float
        Temperature of the initial velocities and of the thermostat [epsilon/k_B].
    dt : float
        Time step [sigma sqrt(m/epsilon)].
    thermostat : {"nve", "langevin", "rescale"}
    friction : float
        Langevin friction rate gamma [1/time].
    tau : float
        Berendsen rescaling time [time].
    skin : float, optional
        Verlet-list skin [sigma]. Default from the density at initialisation: 0.6 below
        n sigma^3 = 0.5, else 0.3 (fastest in benchmarks/bench_particles.py; the gas rate
        is flat within ~5 % for skins 0.4-0.8).
    seed : int
    threads : int, optional
        Numba threads. Default: 1 below 20,000 particles (thread start-up and barriers
        cost more than they save there, badly so on a busy machine), else all.
    """

    species: list[Species]
    box: Sequence[float]
    periodic: Sequence[bool] = (True, True, True)
    potential: str = "wca"
    temperature: float = 1.0
    dt: float = 0.004
    thermostat: str = "nve"
    friction: float = 1.0
    tau: float = 0.5
    skin: float | None = None
    seed: int = 0
    threads: int | None = None
    walls: list[Wall] = field(default_factory=list)

    def __post_init__(self):
        check_seed(self.seed)
        self.dim = len(self.box)
        if self.dim not in (2, 3) or len(self.periodic) != self.dim:
            raise InputError("box and periodic must both have 2 or 3 entries (x, y[, z])")
        if self.potential not in POTENTIALS:
            raise InputError(f"unknown potential {self.potential!r}; use one of {POTENTIALS}.{suggest(self.potential, POTENTIALS)}")
        if self.thermostat not in THERMOSTATS:
            raise InputError(f"unknown thermostat {self.thermostat!r}; use one of {THERMOSTATS}.{suggest(self.thermostat, THERMOSTATS)}")
        if not self.species:
            raise InputError("the system needs at least one species")
        try:
            box_ok = all(np.isfinite(float(b)) and float(b) > 0 for b in self.box)
        except (TypeError, ValueError):
            box_ok = False
        if not box_ok:
            raise InputError(f"box lengths must be positive, got {tuple(self.box)}")
        for label, value in (("temperature", self.temperature), ("dt", self.dt)):
            if not (np.isfinite(value) and value > 0):
                raise InputError(f"{label} must be a positive number, got {value}")
        if self.dt > 0.05:
            raise InputError(f"time step dt={self.dt} is too large for these potentials; use dt <= 0.01 (default 0.004)")
        names = [s.name for s in self.species]
        if len(set(names)) != len(names):
            raise InputError(f"species names must be unique, got {names}")
        self.index = {s.name: i for i, s in enumerate(self.species)}
        self.rng = np.random.default_rng(self.seed)
        self._positions: list[np.ndarray] = []
        self._labels: list[np.ndarray] = []
        self.time = 0.0
        self.step = 0
        self._ready = False
        self._pair_tables()

    # ------------------------------------------------------------------ set-up
    def _pair_tables(self):
        ns = len(self.species)
        sig = np.array([[0.5 * (a.diameter + b.diameter) for b in self.species] for a in self.species])
        eps = np.array([[math.sqrt(a.epsilon * b.epsilon) for b in self.species] for a in self.species])
        if self.potential == "wca":
            rc = 2.0 ** (1.0 / 6.0) * sig
        elif self.potential == "lj":
            rc = 2.5 * sig
        else:
            rc = 1.5 * sig
        s6 = (sig / rc) ** 6
        shift = 4.0 * eps * (s6 * s6 - s6) if self.potential != "soft" else eps * s6 * s6
        self.pair_sigma, self.pair_epsilon, self.pair_cutoff = sig, eps, rc
        self._sig2 = np.ascontiguousarray(sig**2)
        self._eps = np.ascontiguousarray(eps)
        self._rc2 = np.ascontiguousarray(rc**2)
        self._shift = np.ascontiguousarray(shift)
        self._pot_kind = engine.POT_SOFT if self.potential == "soft" else engine.POT_LJ
        self._max_cutoff = float(rc.max())
        assert len(shift) == ns

    def pair_energy(self, r, a: str, b: str):
        """Pair potential between species ``a`` and ``b`` at distance r [epsilon] (NumPy)."""
        i, j = self._species_index(a), self._species_index(b)
        r = np.asarray(r, dtype=float)
        s, e, rc = self.pair_sigma[i, j], self.pair_epsilon[i, j], self.pair_cutoff[i, j]
        with np.errstate(divide="ignore", over="ignore"):
            if self.potential == "soft":
                u = e * (s / r) ** 12 - self._shift[i, j]
            else:
                u = 4 * e * ((s / r) ** 12 - (s / r) ** 6) - self._shift[i, j]
        return np.where(r < rc, u, 0.0)

    def _species_index(self, name: str) -> int:
        if name not in self.index:
            raise InputError(f"unknown species {name!r}; this system has {list(self.index)}.{suggest(name, list(self.index))}")
        return self.index[name]

    def add_particles(self, name: str, count: int, region: Sequence[tuple[float, float]] | None = None):
        """Place ``count`` particles of species ``name`` at random, without overlaps, in ``region``.

        ``region`` is ((x0, x1), (y0, y1)[, (z0, z1)]); default the whole box. Particles are
        put on randomly chosen sites of a grid that avoids the particles already placed.
        """
        idx = self._species_index(name)
        if isinstance(count, bool) or not (isinstance(count, (int, np.integer)) or
                                           (isinstance(count, float) and count.is_integer())):
            raise InputError(f"species {name!r}: the particle count must be a whole number, got {count!r}")
        count = int(count)
        if count <= 0:
            raise InputError(f"species {name!r} has {count} particles; give it at least 1")
        if region is None:
            region = [(0.0, b) for b in self.box]
        try:
            region = np.array(region, dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"region for species {name!r} must be {self.dim} pairs (low, high), got {region!r}") from None
        if region.shape != (self.dim, 2) or not np.all(np.isfinite(region)):
            raise InputError(f"region for species {name!r} must be {self.dim} finite pairs (low, high), got {region.tolist()}")
        box = np.asarray(self.box, dtype=float)
        if np.any(region[:, 0] < -1e-9 * box) or np.any(region[:, 1] > box * (1 + 1e-9)):
            raise InputError(f"region {region.tolist()} for species {name!r} lies outside the box {tuple(self.box)}")
        lengths = region[:, 1] - region[:, 0]
        if np.any(lengths <= 0):
            raise InputError(f"empty region {region.tolist()} for species {name!r}")
        d = self.species[idx].diameter
        volume = float(np.prod(lengths))
        packing = count * _sphere_volume(d, self.dim) / volume
        if packing > CLOSE_PACKING[self.dim]:
            raise InputError(
                f"{count} particles of {name!r} in a volume {volume:.4g} sigma^{self.dim} pack a fraction "
                f"{packing:.3g} above close packing {CLOSE_PACKING[self.dim]:.3f}; use fewer particles or a bigger box")
        existing = np.concatenate(self._positions) if self._positions else np.zeros((0, 3))
        existing_d = (np.concatenate([np.array([self.species[k].diameter for k in lab]) for lab in self._labels])
                      if self._labels else np.zeros(0))
        # periodic distances where the box is periodic (a box 10x larger elsewhere)
        boxsize = np.array([L if p else 10.0 * L for L, p in zip(self.box, self.periodic, strict=True)])
        tree = cKDTree(np.mod(existing[:, : self.dim], boxsize), boxsize=boxsize) if len(existing) else None
        spacing = (volume / count) ** (1.0 / self.dim)
        min_spacing = 0.92 * d
        while True:
            nper = np.maximum(np.floor(lengths / spacing).astype(int), 1)
            axes = [region[a, 0] + (np.arange(nper[a]) + 0.5) * lengths[a] / nper[a] for a in range(self.dim)]
            sites = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, self.dim)
            cell = lengths / nper
            # random shifts small enough that neighbouring sites stay >= 0.92 d apart
            sites = sites + (self.rng.random(sites.shape) - 0.5) * np.maximum(cell - min_spacing, 0.0) * 0.5
            if tree is not None and len(sites):
                reach = 0.5 * (d + existing_d.max())
                k = min(16, len(existing))
                dist, nearest = tree.query(np.mod(sites, boxsize), k=k, distance_upper_bound=reach)
                dist, nearest = dist.reshape(len(sites), k), nearest.reshape(len(sites), k)
                valid = nearest < len(existing)
                contact = 0.5 * (d + existing_d[np.where(valid, nearest, 0)]) * 0.95
                sites = sites[np.all(~valid | (dist >= contact), axis=1)]
            if len(sites) >= count:
                break
            spacing *= 0.97
            if spacing < min_spacing:
                raise InputError(
                    f"cannot place {count} particles of {name!r} without overlaps in region "
                    f"{region.round(3).tolist()} (density above close packing); use fewer particles or a bigger box")
        chosen = sites[self.rng.choice(len(sites), size=count, replace=False)]
        full = np.zeros((count, 3))
        full[:, : self.dim] = chosen
        self._positions.append(full)
        self._labels.append(np.full(count, idx, dtype=np.int32))
        self._ready = False

    def set_positions(self, positions, species_names):
        """Use explicit initial positions (array (N, dim)) with a species name per particle."""
        positions = np.asarray(positions, dtype=float)
        if positions.ndim != 2 or positions.shape[1] != self.dim or not np.all(np.isfinite(positions)):
            raise InputError(f"positions must be a finite array of shape (N, {self.dim})")
        labels = np.array([self._species_index(s) for s in species_names], dtype=np.int32)
        full = np.zeros((len(positions), 3))
        full[:, : self.dim] = positions
        self._positions = [full]
        self._labels = [labels]
        self._ready = False

    def add_wall(self, wall: Wall) -> Wall:
        """Add a wall (or partition, membrane, piston); returns it."""
        if wall.kind not in WALL_KINDS:
            raise InputError(f"unknown wall kind {wall.kind!r}; use one of {list(WALL_KINDS)}.{suggest(wall.kind, WALL_KINDS)}")
        if wall.species is not None:
            for s in wall.species:
                self._species_index(s)
        self.walls.append(wall)
        self._ready = False
        return wall

    def wall_index(self, wall: Wall) -> int:
        """Index of ``wall`` (the object :meth:`add_wall` returned) in :attr:`wall_positions`,
        :meth:`take_wall_force` and the other per-wall arrays."""
        for k, w in enumerate(self.walls):
            if w is wall:
                return k
        raise InputError(f"wall {wall.name or wall!r} is not part of this system; add it with add_wall()")

    def set_piston(self, wall: Wall, mass: float, external_force: float, damping: float = 0.0):
        """Turn ``wall`` into a piston (or change it): mass [m], force along +x [epsilon/sigma]."""
        _k = self.wall_index(wall)
        wall.mass, wall.external_force, wall.damping = float(mass), float(external_force), float(damping)
        if self._ready:
            self._wall_mass[_k] = wall.mass
            self._wall_fext[_k] = wall.external_force
            self._wall_damping[_k] = wall.damping

    # ------------------------------------------------------------------ state
    def initialize(self):
        """Build the state arrays, draw Maxwell velocities, check overlaps, compute forces."""
        if not self._positions:
            raise InputError("the system has no particles; add some with add_particles()")
        pos = np.concatenate(self._positions)
        labels = np.concatenate(self._labels)
        # spatial order (by cells of ~2 sigma) so neighbours sit close in memory
        cells = np.floor(pos / 2.0).astype(np.int64)
        order = np.lexsort((cells[:, 2], cells[:, 1], cells[:, 0]))
        self._pos = np.ascontiguousarray(pos[order])
        self._labels = np.ascontiguousarray(labels[order])
        for k, s in enumerate(self.species):
            if not np.any(self._labels == k):
                raise InputError(f"species {s.name!r} has zero particles; give it at least 1 or remove it")
        n = len(self._pos)
        self.n = n
        self._box3 = np.array(list(self.box) + [1.0] * (3 - self.dim), dtype=float)
        self._periodic3 = np.array(list(self.periodic) + [True] * (3 - self.dim), dtype=np.bool_)
        inside = np.all((self._pos >= 0) & (self._pos <= self._box3), axis=1)
        if not np.all(inside):
            raise InputError(f"{int(np.sum(~inside))} particles lie outside the box {tuple(self.box)}")
        self.mass = np.array([s.mass for s in self.species])
        self._inv_mass = 1.0 / self.mass
        self._vel = np.zeros((n, 3))
        m = self.mass[self._labels][:, None]
        self._vel[:, : self.dim] = self.rng.normal(size=(n, self.dim)) * np.sqrt(self.temperature / m)
        if n > 1:
            momentum = (m * self._vel).sum(axis=0) / m.sum()
            self._vel -= momentum
            ke = 0.5 * float(np.sum(m * self._vel**2))
            self._vel *= math.sqrt(0.5 * self.dim * n * self.temperature / ke)
        self._since_resort = 0
        self._ids = np.arange(n)  # original index of the particle in each slot
        self._slot = np.arange(n)  # slot of each original particle
        self._image = np.zeros((n, 3), dtype=np.int64)
        self._force = np.zeros((n, 3))
        self._ref = np.zeros((n, 3))
        self.nnbr = np.zeros(n, dtype=np.int64)
        density = n / float(np.prod(self.box))
        if self.skin is None:
            self.skin = 0.6 if density < 0.5 else 0.3
        self.rlist = self._max_cutoff + float(self.skin)
        guess = int(1.0 * density * _sphere_volume(2.0 * self.rlist, self.dim)) + 16  # half list
        self.nbr = np.zeros((n, guess), dtype=np.int32)
        self._rebuild()
        ratio = engine.closest_pair_ratio(self._particles(), self._box(), self._potential(), self._neighbours())
        if ratio < 0.8:
            raise InputError(f"initial particles overlap (closest pair at {ratio:.2f} of its contact distance); "
                             "space them at least 0.8 sigma apart")
        self._wall_arrays()
        self.wall_force_sum = np.zeros(len(self.walls))
        self._compute_forces()
        self.wall_force_steps = 0
        self._ready = True
        self.initial_energy = self.total_energy()

    def _rebuild(self):
        self.nbr = engine.rebuild_neighbour_list(self._particles(), self._box(), self._neighbours()).pairs

    # The engine's named bundles over the current state arrays. Arrays are replaced now and
    # then (re-sorting, a grown neighbour list, a new wall-force sum), so the bundles are
    # built for each kernel call (once per run_steps call, never per step).
    def _particles(self) -> engine.Particles:
        return engine.Particles(self._pos, self._vel, self._force, self._image, self._labels, self._inv_mass)

    def _box(self) -> engine.Box:
        return engine.Box(self._box3, self._periodic3, int(self.dim))

    def _potential(self) -> engine.Potential:
        return engine.Potential(int(self._pot_kind), self._sig2, self._eps, self._rc2, self._shift)

    def _neighbours(self) -> engine.Neighbours:
        return engine.Neighbours(self.nbr, self.nnbr, self._ref, float(self.rlist), float(self.skin))

    def _walls(self) -> engine.Walls:
        return engine.Walls(self._wall_pos, self._wall_kind, self._wall_active, self._wall_sigma, self._wall_eps,
                            self._scratch, self._on_wall, self.wall_force_sum)

    def _pistons(self) -> engine.Pistons:
        return engine.Pistons(self._wall_mass, self._wall_vel, self._wall_fext, self._wall_damping,
                              self._wall_min, self._wall_max)

    def _thermostat(self) -> engine.Thermostat:
        return engine.Thermostat(THERMOSTAT_KINDS[self.thermostat], float(self.temperature), float(self.friction),
                                 float(self.tau), int(self.seed))

    def _wall_arrays(self):
        nw, ns = len(self.walls), len(self.species)
        self._wall_pos = np.array([w.position for w in self.walls], dtype=float)
        self._wall_kind = np.array([WALL_KINDS[w.kind] for w in self.walls], dtype=np.int64)
        self._wall_active = np.array([1 if (w.remove_at is None or w.remove_at > self.time) else 0
                                      for w in self.walls], dtype=np.int64)
        self._wall_sigma = np.zeros((nw, ns))
        for k, w in enumerate(self.walls):
            for i, s in enumerate(self.species):
                felt = w.species is None or s.name in w.species
                if w.cutoff_diameter is not None:
                    felt = s.diameter > w.cutoff_diameter
                self._wall_sigma[k, i] = 0.5 * s.diameter if felt else 0.0
            if w.cutoff_diameter is not None and np.all(self._wall_sigma[k] > 0):
                smallest = min(s.diameter for s in self.species)
                raise InputError(f"membrane {w.name or k!r} with pores of {w.cutoff_diameter:g} sigma lets nothing "
                                 f"through (smallest particle {smallest:g}); use a pore diameter above {smallest:g}")
        self._wall_eps = np.array([w.strength for w in self.walls], dtype=float)
        self._wall_mass = np.array([w.mass for w in self.walls], dtype=float)
        self._wall_vel = np.zeros(nw)
        self._wall_fext = np.array([w.external_force for w in self.walls], dtype=float)
        self._wall_damping = np.array([w.damping for w in self.walls], dtype=float)
        self._wall_min = np.array([w.limits[0] for w in self.walls], dtype=float)
        self._wall_max = np.array([w.limits[1] for w in self.walls], dtype=float)
        self._scratch = np.zeros((self.n, max(nw, 1)))
        self._on_wall = np.zeros(nw)

    def _compute_forces(self):
        self.potential_energy, on_wall = engine.compute_forces(
            self._particles(), self._box(), self._potential(), self._neighbours(), self._walls())
        self._on_wall[:] = on_wall

    def kinetic_energy(self) -> float:
        """Kinetic energy of the particles [epsilon]."""
        return 0.5 * float(np.sum(self.mass[self._labels][:, None] * self._vel**2))

    def total_energy(self) -> float:
        """Kinetic plus potential energy of the particles [epsilon] (pistons excluded)."""
        return self.kinetic_energy() + float(self.potential_energy)

    def instantaneous_temperature(self) -> float:
        """2 KE / (dim N) [epsilon/k_B]."""
        return 2.0 * self.kinetic_energy() / (self.dim * self.n)

    def unwrapped(self) -> np.ndarray:
        """Positions without the periodic wrapping (for mean squared displacements), (N, dim)."""
        return (self._pos + self._image * self._box3)[self._slot, : self.dim]

    # Internally particles are re-sorted by cell now and then (memory locality); these views
    # always give the particles in their original order.
    @property
    def pos(self) -> np.ndarray:
        """Positions (N, 3) in the original particle order [sigma] (a copy)."""
        return self._pos[self._slot]

    @property
    def vel(self) -> np.ndarray:
        """Velocities (N, 3) in the original particle order [sigma/tau] (a copy)."""
        return self._vel[self._slot]

    @property
    def labels(self) -> np.ndarray:
        """Species index of each particle, original order."""
        return self._labels[self._slot]

    def _resort(self):
        """Reorder the particles in memory by cell so that neighbours sit close together."""
        cells = np.floor(self._pos / max(self.rlist, 2.0)).astype(np.int64)
        order = np.lexsort((cells[:, 2], cells[:, 1], cells[:, 0]))
        for name in ("_pos", "_vel", "_force", "_image", "_labels"):
            setattr(self, name, np.ascontiguousarray(getattr(self, name)[order]))
        self._ids = self._ids[order]
        self._slot[self._ids] = np.arange(self.n)
        self._rebuild()

    @property
    def wall_positions(self) -> np.ndarray:
        """Current x of each wall (pistons move) [sigma]."""
        return self._wall_pos.copy()

    def species_mask(self, name: str) -> np.ndarray:
        """Boolean mask of the particles of species ``name``."""
        return self.labels == self._species_index(name)

    def take_wall_force(self) -> np.ndarray:
        """Mean force of the particles on each wall since the last call [epsilon/sigma], then reset."""
        steps = max(self.wall_force_steps, 1)
        mean = self.wall_force_sum / steps
        self.wall_force_sum = np.zeros(len(self.walls))
        self.wall_force_steps = 0
        return mean

    # ------------------------------------------------------------------ dynamics
    def run(self, steps: int, sample_every: int | None = None,
            sampler: Callable[[ParticleSystem], None] | None = None, progress: bool | str = False):
        """Advance ``steps`` time steps; call ``sampler(self)`` every ``sample_every`` steps.

        Raises InputError when the energy blows up (time step too large).
        """
        for label, value in (("steps", steps), ("sample_every", sample_every or 1)):
            if isinstance(value, bool) or not (isinstance(value, (int, np.integer)) or
                                               (isinstance(value, float) and value.is_integer())):
                raise InputError(f"{label} must be a whole number, got {value!r}")
        if not 0 <= steps <= 10**9:
            raise InputError(f"steps must be between 0 and 1e9, got {steps}; shorten the duration or raise dt")
        if sample_every is not None and sample_every < 0:
            raise InputError(f"sample_every must be >= 0, got {sample_every}")
        if not self._ready:
            self.initialize()
        steps = int(steps)
        chunk = int(sample_every) if sample_every else steps
        ke_limit = 100.0 * 0.5 * self.dim * self.n * self.temperature + 1e3
        bar = _progress(progress, steps)
        reference_energy = self.total_energy()
        done = 0
        since = 0
        resort_every = 1000 if self.n >= 1000 else 0
        saved_threads = numba.get_num_threads()
        wanted = self.threads if self.threads else (1 if self.n < 20_000 else numba.config.NUMBA_NUM_THREADS)
        numba.set_num_threads(max(1, min(int(wanted), numba.config.NUMBA_NUM_THREADS)))
        # per-thread pair-force buffers (half neighbour lists write to both partners); at
        # most 8 (24 bytes per particle each), so many-core machines do not multiply memory
        buf = np.empty((min(numba.get_num_threads(), 8), self.n, 3))
        try:
            while done < steps:
                todo = min(chunk - since, steps - done)
                if resort_every:
                    if self._since_resort >= resort_every:
                        self._resort()
                        self._since_resort = 0
                    todo = min(todo, resort_every - self._since_resort)
                # stop at the next wall removal time
                for w in self.walls:
                    if w.remove_at is not None and self.time < w.remove_at:
                        until = int(math.ceil((w.remove_at - self.time) / self.dt - 1e-9))
                        if 0 < until < todo:
                            todo = until
                plan = engine.Steps(int(todo), float(self.dt), int(self.step), float(ke_limit))
                status, did, epot, _ke, nbr = engine.run_steps(
                    plan, self._particles(), self._box(), self._potential(), self._neighbours(), self._walls(),
                    self._pistons(), self._thermostat(), buf)
                self.nbr = nbr
                self.potential_energy = epot
                self.step += did
                self.time += did * self.dt
                self.wall_force_steps += did
                done += did
                since += did
                self._since_resort += did
                if status == engine.STATUS_BLOWUP:
                    self._blowup()
                if self.thermostat == "nve" and not any(w.mass > 0 for w in self.walls):
                    drift = abs(self.total_energy() - reference_energy) / self.n
                    if drift > 0.2 * self.temperature:
                        self._blowup()
                removed = False
                for k, w in enumerate(self.walls):
                    if w.remove_at is not None and self._wall_active[k] and self.time >= w.remove_at - 1e-9:
                        self._wall_active[k] = 0
                        removed = True
                if removed:
                    self._compute_forces()
                    reference_energy = self.total_energy()
                if bar is not None:
                    bar[0].update(bar[1], completed=done)
                if since >= chunk or done == steps:
                    since = 0
                    if sampler is not None:
                        sampler(self)
        finally:
            numba.set_num_threads(saved_threads)
            if bar is not None:
                bar[0].stop()

    def _blowup(self):
        # restore finite numbers so nothing downstream sees NaN
        raise InputError(
            f"the energy blew up at step {self.step} with time step dt={self.dt:g}; "
            f"use a smaller step (try dt={self.dt / 2:g})")


def _sphere_volume(diameter, dim):
    return math.pi * diameter**2 / 4.0 if dim == 2 else math.pi * diameter**3 / 6.0


def _progress(progress, total):
    if not progress:
        return None
    from rich.progress import (  # lazy: rich only when a progress bar is asked for
        BarColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                   TimeRemainingColumn(), transient=True)
    bar.start()
    task = bar.add_task(progress if isinstance(progress, str) else "simulating", total=total)
    return bar, task
