"""Particle scenarios: gases mixing, osmotic pressure, osmometer, reverse osmosis, pore sieving.

Each scenario is a small class holding its configuration (reduced LJ units unless stated)
with a ``run()`` that builds a :class:`~osmolab.particles.system.ParticleSystem`, samples
observables and returns a result dataclass with pandas time series, a ``summary()`` dict
(the CLI's JSON) and ``plot()``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..errors import InputError
from . import observables as obs
from . import theory
from .system import ParticleSystem, ReducedUnits, Species, Wall, molecule_species


def _check_positive(**values):
    for name, value in values.items():
        if not (np.isfinite(value) and value > 0):
            raise InputError(f"{name} must be a positive number, got {value}")


def _cross_section(box):
    return float(np.prod(box[1:]))


class _Frames:
    """Positions recorded for an animation."""

    def __init__(self, every: int | None):
        self.every = every
        self.frames: list[tuple[float, np.ndarray, np.ndarray]] = []
        self.walls: list[np.ndarray] = []
        self._count = 0

    def maybe(self, system, time):
        if not self.every:
            return
        if self._count % self.every == 0:
            self.frames.append((time, system.pos[:, :2].copy(), system.labels.copy()))
            self.walls.append(system.wall_positions)
        self._count += 1


# ====================================================================== mixing
@dataclass
class MixingResult:
    """Result of a :class:`Mixing` run (reduced units; SI where ``units`` is given)."""

    timeseries: pd.DataFrame
    profiles: pd.DataFrame
    D_measured: float
    D_fit_error: float
    D_theory: float
    D_self_measured: float
    D_self_theory: float
    box: tuple
    temperature: float
    number_density: float
    species: list
    units: ReducedUnits | None = None
    real_temperature: float | None = None
    frames: object = None
    D_theory_1atm: float | None = None

    @property
    def ratio(self) -> float:
        """Measured over Chapman-Enskog interdiffusion coefficient [-]."""
        return self.D_measured / self.D_theory

    @property
    def mixing_time(self) -> float:
        """e-folding time of the composition difference, L^2 / (pi^2 D) [time]."""
        return self.box[0] ** 2 / (math.pi**2 * self.D_measured)

    def summary(self) -> dict:
        out = {
            "units": "reduced LJ units (sigma, epsilon, m, tau = sigma sqrt(m/epsilon))",
            "D_measured": self.D_measured,
            "D_measured_std_error": self.D_measured * self.D_fit_error,
            "D_theory": self.D_theory,
            "ratio": self.ratio,
            "D_self_measured": self.D_self_measured,
            "D_self_theory": self.D_self_theory,
            "self_diffusion_ratio": self.D_self_measured / self.D_self_theory,
            "mixing_time": self.mixing_time,
            "final_degree_of_mixing": float(self.timeseries["degree_of_mixing"].iloc[-1]),
            "temperature": self.temperature,
            "number_density": self.number_density,
            "box": list(self.box),
            "particles": int(self.timeseries.attrs.get("particles", 0)),
            "theory": "Chapman-Enskog, first approximation, collision integral of the simulated potential, Enskog factor (Carnahan-Starling)",
        }
        if self.units is not None:
            u = self.units
            out.update({
                "molecules": [s.name for s in self.species],
                "temperature_K": self.real_temperature,
                "D_measured_m2_s": self.D_measured * u.diffusivity,
                "D_theory_m2_s": self.D_theory * u.diffusivity,
                "mixing_time_s": self.mixing_time * u.time,
                "number_density_m3": self.number_density * u.number_density(len(self.box)),
            })
            if self.D_theory_1atm is not None:
                # n D is constant in a dilute gas: scale with the theory's density dependence
                out["D_theory_m2_s_at_1atm"] = self.D_theory_1atm * u.diffusivity
                out["D_measured_m2_s_at_1atm"] = self.D_measured * self.D_theory_1atm / self.D_theory * u.diffusivity
        return out

    def plot(self, path=None):
        """Degree of mixing, first-mode decay vs Fick, and profiles; saves to ``path``."""
        from .render import plot_mixing

        return plot_mixing(self, path)


@dataclass
class Mixing:
    """Two gases separated by a partition mix once it is removed (closed box along x).

    Species A fills the left half, B the right half of a box closed by reflecting walls at
    x = 0 and x = L (periodic in y, z); the partition at L/2 is removed after
    ``equilibration`` time. The interdiffusion coefficient comes from the decay of the
    first cosine mode of the composition and is compared with Chapman-Enskog for the same
    particles; self-diffusion from the mean squared displacement along y, z.

    Parameters (reduced units)
    --------------------------
    species : two Species, or molecule names such as ("N2", "O2")
    temperature : k T [epsilon]; with molecules, the temperature [K]
    number_density : total n [1/sigma^dim]
    box : (Lx, Ly[, Lz]) [sigma]; ``dim`` sets 2 or 3 when box is None
    duration : simulated time after the removal [tau]; None = 1.6 L^2/(pi^2 D_theory)
    """

    species: Sequence = (Species("A"), Species("B"))
    temperature: float = 1.0
    number_density: float = 0.05
    box: Sequence[float] | None = None
    dim: int = 3
    potential: str | None = None
    dt: float = 0.004
    duration: float | None = None
    equilibration: float = 2.0
    sample_interval: float = 0.5
    seed: int = 1
    progress: bool = False
    animate_frames: int = 0

    def _setup(self):
        units = None
        real_t = None
        species = list(self.species)
        if species and isinstance(species[0], str):
            species, units = molecule_species(species)
            real_t = float(self.temperature)
            temperature = real_t / units.temperature
            potential = self.potential or "lj"
        else:
            temperature = float(self.temperature)
            potential = self.potential or "wca"
        if len(species) != 2:
            raise InputError(f"mixing needs exactly two species, got {len(species)}")
        _check_positive(temperature=temperature, number_density=self.number_density)
        if self.dim not in (2, 3):
            raise InputError(f"dim must be 2 or 3, got {self.dim}")
        box = tuple(self.box) if self.box is not None else ((60.0, 48.0, 48.0) if self.dim == 3 else (120.0, 120.0))
        return species, units, real_t, temperature, potential, box

    def theory(self):
        """(D_AB, D_self of A) from Chapman-Enskog for the configured particles."""
        species, _u, _t, temperature, potential, box = self._setup()
        return self._theory(species, temperature, potential, len(box))

    def _theory(self, species, temperature, potential, dim):
        a, b = species
        sig_ab = 0.5 * (a.diameter + b.diameter)
        eps_ab = math.sqrt(a.epsilon * b.epsilon)
        n = self.number_density
        d_ab = theory.interdiffusion_Chapman_Enskog(n, temperature, a.mass, b.mass, sig_ab, eps_ab, potential, dim)
        d_aa = theory.interdiffusion_Chapman_Enskog(n, temperature, a.mass, a.mass, a.diameter, a.epsilon, potential, dim)
        # Blanc's law for a tracer in the 50/50 mixture
        d_self = 1.0 / (0.5 / d_aa + 0.5 / d_ab)
        return d_ab, d_self

    def run(self) -> MixingResult:
        species, units, real_t, temperature, potential, box = self._setup()
        dim = len(box)
        d_theory, d_self_theory = self._theory(species, temperature, potential, dim)
        volume = float(np.prod(box))
        n_total = int(round(self.number_density * volume))
        n_a = n_total // 2
        n_b = n_total - n_a
        if n_a < 1 or n_b < 1:
            raise InputError("the box holds less than one particle per species; raise the density or the box")
        lx = box[0]
        duration = self.duration if self.duration is not None else 1.6 * lx**2 / (math.pi**2 * d_theory)
        _check_positive(duration=duration, dt=self.dt)
        system = ParticleSystem(species, box=box, periodic=(False,) + (True,) * (dim - 1),
                                potential=potential, temperature=temperature, dt=self.dt,
                                thermostat="nve", seed=self.seed)
        a, b = species
        half = 0.5 * lx
        rest = [(0.0, L) for L in box[1:]]
        system.add_particles(a.name, n_a, [(0.0, half - 0.6 * a.diameter)] + rest)
        system.add_particles(b.name, n_b, [(half + 0.6 * b.diameter, lx)] + rest)
        system.add_wall(Wall(position=half, kind="partition", remove_at=self.equilibration, name="partition"))
        system.initialize()
        if self.equilibration > 0:
            system.run(int(round(self.equilibration / self.dt)))
        is_a = system.species_mask(a.name)
        # 8 random groups of particles: the spread of their D estimates gives an honest error
        # (the residuals of one fit are correlated in time, so its own error is too small)
        groups = np.random.default_rng(self.seed + 7).integers(0, 8, size=system.n)
        ref = system.unwrapped().copy()
        t0 = system.time
        rows = []
        snapshots = []
        n_samples = max(int(duration / self.sample_interval), 20)
        every = max(int(round(duration / n_samples / self.dt)), 1)
        total_steps = every * n_samples
        frames = _Frames(max(n_samples // self.animate_frames, 1) if self.animate_frames else None)
        profile_times = set(np.linspace(0, n_samples, 5).astype(int).tolist())
        periodic_axes = list(range(1, dim))

        def sample(s):
            t = s.time - t0
            x = s.pos[:, 0]
            slabs = np.zeros((20, 2))
            np.add.at(slabs, (np.clip((x / lx * 20).astype(int), 0, 19), s.labels), 1.0)
            left = obs.counts_per_half(x, s.labels, 2, lx)
            rows.append({
                "time": t,
                "A_left": int(left[0]), "B_left": int(left[1]),
                "mode_amplitude": obs.first_mode_amplitude(x, is_a, lx),
                **{f"mode_amplitude_{g}": obs.first_mode_amplitude(x[groups == g], is_a[groups == g], lx)
                   for g in range(8)},
                "mixing_entropy": obs.mixing_entropy(slabs),
                "degree_of_mixing": obs.degree_of_mixing(slabs),
                "msd": obs.mean_squared_displacement(s.unwrapped(), ref, periodic_axes),
                "temperature": s.instantaneous_temperature(),
            })
            k = len(rows) - 1
            if k in profile_times:
                prof = obs.concentration_profiles(x, s.labels, 2, lx, bins=20, cross_section=_cross_section(box))
                centres = (np.arange(20) + 0.5) * lx / 20
                snapshots.append(pd.DataFrame({"time": t, "x": centres, "n_A": prof[:, 0], "n_B": prof[:, 1]}))
            frames.maybe(s, t)

        sample(system)
        system.run(total_steps, sample_every=every, sampler=sample,
                   progress="mixing" if self.progress else False)
        ts = pd.DataFrame(rows)
        ts.attrs["particles"] = system.n
        d_measured, _fit_err = obs.diffusivity_from_mode_decay(ts["time"], ts["mode_amplitude"], lx)
        d_groups = []
        for g in range(8):
            try:
                d_groups.append(obs.diffusivity_from_mode_decay(ts["time"], ts[f"mode_amplitude_{g}"], lx)[0])
            except InputError:
                continue
        d_err = (float(np.std(d_groups, ddof=1) / math.sqrt(len(d_groups)) / d_measured)
                 if len(d_groups) >= 3 else _fit_err)
        ts = ts.drop(columns=[f"mode_amplitude_{g}" for g in range(8)])
        d_self = obs.self_diffusion_from_msd(ts["time"], ts["msd"], len(periodic_axes))
        d_1atm = None
        if units is not None and dim == 3:
            from ..constants import ATM, k_B

            n_1atm = ATM / (k_B * real_t) * units.sigma**3
            a, b = species
            d_1atm = theory.interdiffusion_Chapman_Enskog(
                n_1atm, temperature, a.mass, b.mass, 0.5 * (a.diameter + b.diameter),
                math.sqrt(a.epsilon * b.epsilon), potential, dim)
        return MixingResult(
            D_theory_1atm=d_1atm,
            timeseries=ts, profiles=pd.concat(snapshots, ignore_index=True), D_measured=d_measured,
            D_fit_error=d_err, D_theory=d_theory, D_self_measured=d_self, D_self_theory=d_self_theory,
            box=box, temperature=temperature, number_density=self.number_density, species=species,
            units=units, real_temperature=real_t, frames=frames if self.animate_frames else None)

    def temperature_scan(self, temperatures: Sequence[float]) -> pd.DataFrame:
        """D measured and from theory at each temperature (same units as ``temperature``)."""
        rows = []
        for k, t in enumerate(temperatures):
            run = replace(self, temperature=t, seed=self.seed + k).run()
            rows.append({"temperature": t, "D_measured": run.D_measured, "D_theory": run.D_theory,
                         "ratio": run.ratio, "mixing_time": run.mixing_time})
        return pd.DataFrame(rows)


# ====================================================================== osmotic pressure
def _block_error(values, blocks=10):
    """Standard error of the mean of a correlated series by block averaging."""
    v = np.asarray(values, dtype=float)
    if len(v) < 2 * blocks:
        return float(np.std(v) / math.sqrt(max(len(v) - 1, 1)))
    means = np.array([b.mean() for b in np.array_split(v, blocks)])
    return float(means.std(ddof=1) / math.sqrt(blocks))


@dataclass
class OsmosisResult:
    """Result of an :class:`Osmosis` run (reduced units)."""

    timeseries: pd.DataFrame
    profile: pd.DataFrame
    osmotic_pressure_measured: float
    osmotic_pressure_error: float
    solute_density: float
    solute_bulk_density: float
    temperature: float
    second_virial: float
    box: tuple
    compartment: tuple
    frames: object = None

    @property
    def osmotic_pressure_van_t_hoff(self) -> float:
        """n k T with n = solute number / compartment volume [epsilon/sigma^dim]."""
        return theory.van_t_hoff(self.solute_density, self.temperature)

    @property
    def osmotic_pressure_virial(self) -> float:
        """n k T (1 + B2 n) with the bare solute-solute B2 [epsilon/sigma^dim]."""
        return theory.osmotic_pressure_virial(self.solute_density, self.temperature, self.second_virial)

    @property
    def ratio(self) -> float:
        """Measured over van 't Hoff osmotic pressure [-]."""
        return self.osmotic_pressure_measured / self.osmotic_pressure_van_t_hoff

    def summary(self) -> dict:
        return {
            "units": "reduced LJ units: pressure epsilon/sigma^dim, density 1/sigma^dim",
            "osmotic_pressure_measured": self.osmotic_pressure_measured,
            "osmotic_pressure_std_error": self.osmotic_pressure_error,
            "osmotic_pressure_van_t_hoff": self.osmotic_pressure_van_t_hoff,
            "ratio": self.ratio,
            "osmotic_pressure_virial": self.osmotic_pressure_virial,
            "ratio_virial": self.osmotic_pressure_measured / self.osmotic_pressure_virial,
            "second_virial_B2": self.second_virial,
            "solute_density": self.solute_density,
            "solute_bulk_density_measured": self.solute_bulk_density,
            "ratio_bulk_density": self.osmotic_pressure_measured / theory.van_t_hoff(self.solute_bulk_density, self.temperature),
            "temperature": self.temperature,
            "box": list(self.box),
            "compartment": list(self.compartment),
            "method": "Luo & Roux 2010 flat-bottom walls felt only by the solute; Pi = mean wall force / area",
        }

    def plot(self, path=None):
        from .render import plot_osmosis

        return plot_osmosis(self, path)


@dataclass
class Osmosis:
    """Osmotic pressure from the force on walls that only the solute feels (Luo and Roux 2010).

    A periodic box of solvent; the solute is held in the slab ``compartment`` (fraction of
    Lx, centred) by flat-bottom harmonic restraints of stiffness ``wall_stiffness`` acting on
    solute only. Solvent crosses freely. Temperature held by velocity rescaling. The solute
    density is the number of solute particles over the compartment volume, the width
    widened by the restraint's thermal penetration sqrt(pi k T / (2 k)) on each side.
    A thin, wide box gives the most wall area per particle (the best statistics). The osmotic pressure is the mean force on the two
    walls per area; van 't Hoff uses the solute density in the middle of the compartment.

    Parameters (reduced units)
    --------------------------
    solvent_density : n of the solvent [1/sigma^dim]
    solute_density : n of the solute inside its compartment [1/sigma^dim]
    solute_diameter : sigma of the solute [sigma] (solvent: 1)
    """

    solvent_density: float = 0.2
    solute_density: float = 0.015
    solute_diameter: float = 1.0
    temperature: float = 1.0
    box: Sequence[float] | None = None
    dim: int = 3
    compartment: float = 0.6
    wall_stiffness: float = 20.0
    potential: str = "wca"
    dt: float = 0.004
    duration: float = 300.0
    equilibration: float = 20.0
    seed: int = 1
    progress: bool = False
    animate_frames: int = 0

    def run(self) -> OsmosisResult:
        _check_positive(solvent_density=self.solvent_density, solute_density=self.solute_density,
                        solute_diameter=self.solute_diameter, temperature=self.temperature,
                        duration=self.duration, wall_stiffness=self.wall_stiffness)
        if not 0.1 <= self.compartment <= 0.9:
            raise InputError(f"compartment must be a fraction of the box between 0.1 and 0.9, got {self.compartment}")
        box = tuple(self.box) if self.box is not None else ((10.0, 30.0, 30.0) if self.dim == 3 else (20.0, 200.0))
        dim = len(box)
        lx = box[0]
        area = _cross_section(box)
        x1 = 0.5 * lx * (1.0 - self.compartment)
        x2 = 0.5 * lx * (1.0 + self.compartment)
        n_solute = int(round(self.solute_density * (x2 - x1) * area))
        n_solvent = int(round(self.solvent_density * float(np.prod(box))))
        if n_solute < 1:
            raise InputError("fewer than one solute particle; raise solute_density or the box")
        if n_solvent < 1:
            raise InputError("zero solvent particles; raise solvent_density")
        species = [Species("solvent"), Species("solute", diameter=self.solute_diameter)]
        system = ParticleSystem(species, box=box, periodic=(True,) * dim, potential=self.potential,
                                temperature=self.temperature, dt=self.dt, thermostat="rescale",
                                seed=self.seed)
        rest = [(0.0, L) for L in box[1:]]
        system.add_particles("solute", n_solute, [(x1, x2)] + rest)
        system.add_particles("solvent", n_solvent)
        system.add_wall(Wall(x1, kind="flat_lower", species=("solute",), strength=self.wall_stiffness, name="membrane left"))
        system.add_wall(Wall(x2, kind="flat_upper", species=("solute",), strength=self.wall_stiffness, name="membrane right"))
        system.initialize()
        system.run(int(round(self.equilibration / self.dt)), progress="equilibrating" if self.progress else False)
        system.take_wall_force()
        n_samples = 200
        every = max(int(round(self.duration / n_samples / self.dt)), 1)
        solute = system.species_mask("solute")
        bins = 30
        hist = np.zeros(bins)
        rows = []
        frames = _Frames(max(n_samples // self.animate_frames, 1) if self.animate_frames else None)
        t0 = system.time
        inner = (x1 + 0.25 * (x2 - x1), x2 - 0.25 * (x2 - x1))

        def sample(s):
            f = s.take_wall_force()
            x = s.pos[solute, 0]
            hist[:] += np.histogram(x, bins=bins, range=(0.0, lx))[0]
            rows.append({
                "time": s.time - t0,
                "pressure_left": f[0] / area * -1.0,
                "pressure_right": f[1] / area,
                "solute_bulk_density": np.count_nonzero((x > inner[0]) & (x < inner[1])) / ((inner[1] - inner[0]) * area),
                "temperature": s.instantaneous_temperature(),
            })
            frames.maybe(s, s.time - t0)

        system.run(every * n_samples, sample_every=every, sampler=sample,
                   progress="osmosis" if self.progress else False)
        ts = pd.DataFrame(rows)
        ts["osmotic_pressure"] = 0.5 * (ts["pressure_left"] + ts["pressure_right"])
        pi = float(ts["osmotic_pressure"].mean())
        err = _block_error(ts["osmotic_pressure"])
        n_bulk = float(ts["solute_bulk_density"].mean())
        penetration = math.sqrt(math.pi * self.temperature / (2.0 * self.wall_stiffness))
        n_nominal = n_solute / ((x2 - x1 + 2.0 * penetration) * area)
        centres = (np.arange(bins) + 0.5) * lx / bins
        profile = pd.DataFrame({"x": centres, "solute_density": hist / len(rows) / (lx / bins * area)})
        sigma_ss = self.solute_diameter
        b2 = theory.second_virial(self.temperature,
                                  lambda r: theory.pair_potential(r / sigma_ss, self.potential), dim=dim,
                                  r_max=3.0 * sigma_ss)
        return OsmosisResult(timeseries=ts, profile=profile, osmotic_pressure_measured=pi,
                             osmotic_pressure_error=err, solute_density=n_nominal, solute_bulk_density=n_bulk,
                             temperature=self.temperature,
                             second_virial=b2, box=box, compartment=(x1, x2),
                             frames=frames if self.animate_frames else None)


# ====================================================================== membrane cell with pistons
@dataclass
class MembraneCellResult:
    """Result of a :class:`ReverseOsmosis` or :class:`Osmometer` run (reduced units)."""

    timeseries: pd.DataFrame
    applied_pressure: float
    osmotic_pressure: float
    solvent_flux: float
    solvent_flux_error: float
    temperature: float
    area: float
    solvent_pressure: float
    osmotic_pressure_pistons: float
    osmotic_pressure_pistons_error: float
    final_solute_density: float
    second_virial: float
    box: tuple
    membrane: float
    frames: object = None
    kind: str = "reverse-osmosis"

    @property
    def pressure_ratio(self) -> float:
        """Applied pressure difference over van 't Hoff osmotic pressure [-]."""
        return self.applied_pressure / self.osmotic_pressure

    def summary(self) -> dict:
        out = {
            "units": "reduced LJ units: pressure epsilon/sigma^dim, flux particles/(sigma^(dim-1) tau)",
            "applied_pressure": self.applied_pressure,
            "osmotic_pressure": self.osmotic_pressure,
            "pressure_ratio": self.pressure_ratio,
            "solvent_flux": self.solvent_flux,
            "solvent_flux_std_error": self.solvent_flux_error,
            "flux_direction": "into the solution (osmosis)" if self.solvent_flux > 0 else "out of the solution (reverse osmosis)",
            "osmotic_pressure_pistons": self.osmotic_pressure_pistons,
            "osmotic_pressure_pistons_std_error": self.osmotic_pressure_pistons_error,
            "solvent_pressure": self.solvent_pressure,
            "final_solute_density": self.final_solute_density,
            "temperature": self.temperature,
            "box": list(self.box),
        }
        if self.kind == "osmometer":
            pi_vh = theory.van_t_hoff(self.final_solute_density, self.temperature)
            out.update({
                "osmotic_pressure_van_t_hoff_final": pi_vh,
                "osmotic_pressure_virial_final": theory.osmotic_pressure_virial(
                    self.final_solute_density, self.temperature, self.second_virial),
                "ratio": self.applied_pressure / pi_vh,
            })
        return out

    def plot(self, path=None):
        from .render import plot_membrane_cell

        return plot_membrane_cell(self, path)


@dataclass
class ReverseOsmosis:
    """A semi-permeable wall between pure solvent and a solution, each closed by a piston.

    The membrane at x_m is a WCA wall felt only by the solute. The left piston pushes the
    solvent with the solvent's own pressure P_0 (measured first with the pistons held);
    the right piston pushes the solution with P_0 + ``pressure`` (``pressure_ratio`` times
    the van 't Hoff osmotic pressure n k T when ``pressure`` is None). The net solvent flux
    through the membrane (particles per area per time, positive into the solution) is the
    slope of the solvent count on the solution side: positive (osmosis) when the applied
    pressure is below the osmotic pressure, negative (reverse osmosis) above it.

    Parameters (reduced units)
    --------------------------
    solvent_density, solute_density : number densities [1/sigma^dim]
    compartment, reservoir : initial widths of the solution and solvent sides [sigma]
    pressure : applied pressure difference [epsilon/sigma^dim], or None
    pressure_ratio : applied pressure / van 't Hoff Pi, used when ``pressure`` is None
    piston_mass, piston_damping : piston inertia [m] and damping rate [1/tau]
    """

    pressure_ratio: float = 1.5
    pressure: float | None = None
    solvent_density: float = 0.3
    solute_density: float = 0.08
    solute_diameter: float = 1.0
    temperature: float = 1.0
    box: Sequence[float] | None = None
    dim: int = 3
    compartment: float = 20.0
    reservoir: float | None = None
    potential: str = "wca"
    dt: float = 0.004
    duration: float = 150.0
    equilibration: float = 25.0
    piston_mass: float = 20.0
    piston_damping: float = 10.0
    seed: int = 1
    progress: bool = False
    animate_frames: int = 0
    kind: str = "reverse-osmosis"

    def run(self) -> MembraneCellResult:
        _check_positive(solvent_density=self.solvent_density, solute_density=self.solute_density,
                        temperature=self.temperature, duration=self.duration, compartment=self.compartment,
                        piston_mass=self.piston_mass)
        if self.pressure is None and not (np.isfinite(self.pressure_ratio) and self.pressure_ratio >= 0):
            raise InputError(f"pressure ratio must be >= 0, got {self.pressure_ratio}")
        if self.pressure is not None and not (np.isfinite(self.pressure) and self.pressure >= 0):
            raise InputError(f"applied pressure must be >= 0, got {self.pressure}")
        if self.dim not in (2, 3):
            raise InputError(f"dim must be 2 or 3, got {self.dim}")
        cross = tuple(self.box[1:]) if self.box is not None else ((12.0, 12.0) if self.dim == 3 else (40.0,))
        dim = len(cross) + 1
        w = self.compartment
        w_res = self.reservoir if self.reservoir is not None else w
        _check_positive(reservoir=w_res)
        x_left = 1.0 + 0.25 * w_res
        x_m = x_left + w_res
        x_right = x_m + w
        lx = x_right + 1.5 * w
        box = (lx,) + cross
        area = float(np.prod(cross))
        n_solute = int(round(self.solute_density * w * area))
        # start near osmotic equilibrium: the solute displaces solvent, except for the
        # compression of the solution by Pi (total density up by n_s S(0), Carnahan-Starling)
        d_hs = theory.Barker_Henderson_diameter(self.temperature, self.potential)
        eta = math.pi * self.solvent_density * d_hs**3 / 6.0
        s0 = (1.0 - eta) ** 4 / (1.0 + 4.0 * eta + 4.0 * eta**2 - 4.0 * eta**3 + eta**4)
        solvent_in_solution = max(self.solvent_density - self.solute_density * (1.0 - s0), 0.0)
        n_solvent_left = int(round(self.solvent_density * w_res * area))
        n_solvent_right = int(round(solvent_in_solution * w * area))
        n_solvent = n_solvent_left + n_solvent_right
        if n_solute < 1 or n_solvent < 1:
            raise InputError("fewer than one solute or solvent particle; raise the densities or the box")
        species = [Species("solvent"), Species("solute", diameter=self.solute_diameter)]
        system = ParticleSystem(species, box=box, periodic=(False,) + (True,) * (dim - 1),
                                potential=self.potential, temperature=self.temperature, dt=self.dt,
                                thermostat="rescale", seed=self.seed)
        rest = [(0.0, L) for L in cross]
        ds = self.solute_diameter
        system.add_particles("solute", n_solute, [(x_m + 0.6 * ds, x_right - 0.6 * ds)] + rest)
        system.add_particles("solvent", n_solvent_left, [(x_left + 0.6, x_m)] + rest)
        if n_solvent_right > 0:
            system.add_particles("solvent", n_solvent_right, [(x_m, x_right - 0.6)] + rest)
        left = system.add_wall(Wall(x_left, kind="lower", name="left piston", limits=(1.0, x_m - 2.0)))
        system.add_wall(Wall(x_m, kind="lower", species=("solute",), name="membrane"))
        right = system.add_wall(Wall(x_right, kind="upper", name="right piston", limits=(x_m + 2.0, lx - 1.0)))
        system.initialize()
        # 1) pistons held: equilibrate and measure the pressures on both
        system.run(int(round(self.equilibration / self.dt)), progress="equilibrating" if self.progress else False)
        system.take_wall_force()
        held = []
        n_eq = max(int(round(self.equilibration / self.dt)), 10)
        system.run(n_eq, sample_every=max(n_eq // 10, 1), sampler=lambda s: held.append(s.take_wall_force()))
        held = np.array(held)
        p_solvent = float(np.mean(-held[:, 0] / area))
        difference = held[:, 2] / area + held[:, 0] / area  # held pistons: P_solution - P_solvent
        osmotic_measured = float(np.mean(difference))
        osmotic_measured_error = float(np.std(difference, ddof=1) / math.sqrt(len(difference)))
        solute = system.species_mask("solute")
        solvent = ~solute
        n_sol = n_solute / ((x_right - x_m) * area)
        pi_vh = theory.van_t_hoff(n_sol, self.temperature)
        applied = self.pressure if self.pressure is not None else self.pressure_ratio * pi_vh
        # 2) release the pistons: solvent side at p_solvent, solution side at p_solvent + applied
        system.set_piston(left, self.piston_mass, p_solvent * area, self.piston_damping)
        system.set_piston(right, self.piston_mass, -(p_solvent + applied) * area, self.piston_damping)
        rows = []
        n_samples = 150
        every = max(int(round(self.duration / n_samples / self.dt)), 1)
        frames = _Frames(max(n_samples // self.animate_frames, 1) if self.animate_frames else None)
        t0 = system.time

        def sample(s):
            walls = s.wall_positions
            x = s.pos[:, 0]
            rows.append({
                "time": s.time - t0,
                "solvent_in_solution": int(np.count_nonzero(solvent & (x > walls[1]))),
                "left_piston": walls[0],
                "right_piston": walls[2],
                "solute_density": n_solute / max((walls[2] - walls[1]) * area, 1e-9),
                "temperature": s.instantaneous_temperature(),
            })
            frames.maybe(s, s.time - t0)

        sample(system)
        system.run(every * n_samples, sample_every=every, sampler=sample,
                   progress=self.kind if self.progress else False)
        ts = pd.DataFrame(rows)
        fit = ts if self.kind != "osmometer" else ts.iloc[: max(len(ts) // 3, 5)]
        coef, cov = np.polyfit(fit["time"], fit["solvent_in_solution"], 1, cov=True)
        flux = float(coef[0] / area)
        flux_err = float(math.sqrt(cov[0, 0]) / area)
        tail = ts.iloc[-len(ts) // 3:]
        b2 = theory.second_virial(self.temperature,
                                  lambda r: theory.pair_potential(r / self.solute_diameter, self.potential),
                                  dim=dim, r_max=3.0 * self.solute_diameter)
        return MembraneCellResult(
            timeseries=ts, applied_pressure=float(applied), osmotic_pressure=float(pi_vh),
            solvent_flux=flux, solvent_flux_error=flux_err, temperature=self.temperature, area=area,
            solvent_pressure=float(p_solvent), osmotic_pressure_pistons=osmotic_measured,
            osmotic_pressure_pistons_error=osmotic_measured_error,
            final_solute_density=float(tail["solute_density"].mean()),
            second_virial=b2, box=box, membrane=x_m, frames=frames if self.animate_frames else None,
            kind=self.kind)

    def sweep(self, ratios: Sequence[float] = (0.0, 0.5, 1.0, 1.5, 2.0)) -> pd.DataFrame:
        """Solvent flux at several applied pressures (multiples of van 't Hoff Pi)."""
        rows = []
        for r in ratios:
            res = replace(self, pressure_ratio=float(r), pressure=None).run()
            rows.append({"pressure_ratio": r, "applied_pressure": res.applied_pressure,
                         "osmotic_pressure": res.osmotic_pressure, "solvent_flux": res.solvent_flux,
                         "solvent_flux_std_error": res.solvent_flux_error})
        return pd.DataFrame(rows)


def Osmometer(pressure_ratio: float = 0.7, duration: float = 400.0, piston_damping: float = 0.5,
              compartment: float = 10.0, reservoir: float = 20.0, **kwargs) -> ReverseOsmosis:
    """Osmometer: solvent flows into the solution against a piston until Pi = applied pressure.

    The same cell as :class:`ReverseOsmosis` with a light load (``pressure_ratio`` < 1) run
    long enough to reach equilibrium; compare the applied pressure with van 't Hoff at the
    final (diluted) solute density (``summary()['ratio']``).
    """
    return ReverseOsmosis(pressure_ratio=pressure_ratio, duration=duration, piston_damping=piston_damping,
                          compartment=compartment, reservoir=reservoir, kind="osmometer", **kwargs)


# ====================================================================== pore sieving
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
        from .render import _figure, _finish

        fig, (ax,) = _figure(1, 1, (6, 4))
        for name in self.table["species"]:
            ax.plot(self.timeseries["time"], self.timeseries[name], label=name)
        ax.set_xlabel("time [tau]")
        ax.set_ylabel("fraction past the membrane")
        ax.set_title(f"pores of {self.pore_diameter:g} water diameters")
        ax.legend(fontsize=8)
        return _finish(fig, path)


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
        _check_positive(pore_diameter=self.pore_diameter, duration=self.duration)
        smallest = min(SIEVING_SPECIES[n][0] for n in self.counts)
        if self.pore_diameter <= smallest:
            raise InputError(f"a membrane with pores of {self.pore_diameter:g} lets nothing through "
                             f"(smallest particle {smallest:g}); use a pore diameter above {smallest:g}")
        for name in self.counts:
            if name not in SIEVING_SPECIES:
                from ..errors import suggest

                raise InputError(f"unknown particle {name!r}; use {list(SIEVING_SPECIES)}.{suggest(name, SIEVING_SPECIES)}")
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
        frames = _Frames(max(n_samples // self.animate_frames, 1) if self.animate_frames else None)

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
