"""A size-selective membrane: particles wider than the pores cannot cross."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError, suggest
from ._tools import Frames, check_box, check_dim, check_nonnegative, check_positive, check_seed
from .render import plot_sieving
from .system import ParticleSystem, Species, Wall

#: Particle sizes for the size-selective membrane demo, diameters relative to water
#: (0.28 nm). Hydrated Na+ 0.72 nm (Nightingale 1959, J. Phys. Chem. 63, 1381); urea and
#: glucose Stokes diameters 0.38 nm and 0.72 nm (Schultz and Solomon 1961, J. Gen. Physiol.
#: 44, 1189); a bacterium (~1 um, 3600 water diameters) is drawn at 8 for display.
#: Masses relative to water from molar masses (bacterium capped).
SIEVING_SPECIES = {
    "water": (1.0, 1.0),
    "urea": (1.36, 3.33),
    "ion": (2.56, 1.28),
    "glucose": (2.57, 10.0),
    "bacterium": (8.0, 200.0),
}


@dataclass
class SievingResult:
    """Fraction of each species found past the membrane over time."""

    timeseries: pd.DataFrame
    table: pd.DataFrame
    pore_diameter: float
    box: tuple
    membrane: float
    frames: object = None

    def summary(self) -> dict:
        return {
            "units": "diameters in water diameters (0.28 nm)",
            "pore_diameter": self.pore_diameter,
            "crossed_fraction": dict(zip(self.table["species"], self.table["crossed_fraction"], strict=True)),
            "passes": [s for s, p in zip(self.table["species"], self.table["passes"], strict=True) if p],
        }

    def plot(self, path=None):
        """Fraction of each species past the membrane against time; saves to ``path``."""
        return plot_sieving(self, path)


@dataclass
class Sieving:
    """A size-selective membrane: particles wider than the pores cannot cross it.

    All particles start left of a membrane at x = L/2 (closed box along x); the membrane is
    felt only by species whose diameter exceeds ``pore_diameter``.
    """

    pore_diameter: float = 1.2
    counts: dict = field(default_factory=lambda: {"water": 400, "urea": 20, "ion": 20, "glucose": 20, "bacterium": 2})
    dim: int = 2
    box: Sequence[float] | None = None
    temperature: float = 1.0
    dt: float = 0.004
    duration: float = 100.0
    seed: int = 1
    progress: bool = False
    animate_frames: int = 0

    def run(self) -> SievingResult:
        check_positive(pore_diameter=self.pore_diameter, duration=self.duration)
        check_dim(self.dim)
        check_box(self.box)
        check_seed(self.seed)
        check_nonnegative(animate_frames=self.animate_frames)
        if not self.counts:
            raise InputError("counts is empty; give at least one species, e.g. {'water': 400}")
        for name in self.counts:
            if name not in SIEVING_SPECIES:
                raise InputError(f"unknown particle {name!r}; use {list(SIEVING_SPECIES)}.{suggest(name, SIEVING_SPECIES)}")
        smallest = min(SIEVING_SPECIES[n][0] for n in self.counts)
        if self.pore_diameter <= smallest:
            raise InputError(f"a membrane with pores of {self.pore_diameter:g} lets nothing through "
                             f"(smallest particle {smallest:g}); use a pore diameter above {smallest:g}")
        box = tuple(self.box) if self.box is not None else ((80.0, 40.0) if self.dim == 2 else (40.0, 16.0, 16.0))
        dim = len(box)
        species = [Species(n, mass=SIEVING_SPECIES[n][1], diameter=SIEVING_SPECIES[n][0]) for n in self.counts]
        system = ParticleSystem(species, box=box, periodic=(False,) + (True,) * (dim - 1), temperature=self.temperature,
                                dt=self.dt, thermostat="rescale", seed=self.seed)
        half = 0.5 * box[0]
        rest = [(0.0, L) for L in box[1:]]
        for s in sorted(species, key=lambda s: -s.diameter):
            system.add_particles(s.name, self.counts[s.name], [(0.0, half - 0.6 * s.diameter)] + rest)
        system.add_wall(Wall(half, kind="partition", cutoff_diameter=self.pore_diameter, name="membrane"))
        system.initialize()
        masks = {s.name: system.species_mask(s.name) for s in species}
        rows = []
        n_samples = 100
        every = max(int(round(self.duration / n_samples / self.dt)), 1)
        frames = Frames(max(n_samples // self.animate_frames, 1) if self.animate_frames else None)

        def sample(s):
            right = s.pos[:, 0] > half
            row = {"time": s.time}
            for name, m in masks.items():
                row[name] = float(np.count_nonzero(right & m) / np.count_nonzero(m))
            rows.append(row)
            frames.maybe(s, s.time)

        sample(system)
        system.run(every * n_samples, sample_every=every, sampler=sample, progress="sieving" if self.progress else False)
        ts = pd.DataFrame(rows)
        final = ts.iloc[-1]
        table = pd.DataFrame({
            "species": [s.name for s in species],
            "diameter": [s.diameter for s in species],
            "crossed_fraction": [float(final[s.name]) for s in species],
            "passes": [s.diameter <= self.pore_diameter for s in species],
        })
        return SievingResult(timeseries=ts, table=table, pore_diameter=self.pore_diameter, box=box,
                             membrane=half, frames=frames if self.animate_frames else None)
