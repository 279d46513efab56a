"""Two gases mixing after a partition is removed: interdiffusion vs Chapman-Enskog."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..constants import ATM, k_B
from ..errors import InputError
from . import observables as obs
from . import theory
from ._tools import (
    Frames,
    check_box,
    check_dim,
    check_nonnegative,
    check_positive,
    check_seed,
    cross_section,
)
from .render import plot_mixing
from .system import ParticleSystem, ReducedUnits, Species, Wall, molecule_species


@dataclass
class MixingResult:
    """Result of a :class:`Mixing` run (reduced units; SI where ``units`` is given).

    ``kT`` is the reduced temperature [epsilon]; ``temperature_K`` the temperature in kelvin
    (only for real molecules, whose ``units`` map reduced to SI).
    """

    timeseries: pd.DataFrame
    profiles: pd.DataFrame
    D_measured: float
    D_fit_error: float
    D_theory: float
    D_self_measured: float
    D_self_theory: float
    box: tuple
    kT: float
    number_density: float
    species: list
    units: ReducedUnits | None = None
    temperature_K: float | None = None
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
            "temperature": self.kT,
            "number_density": self.number_density,
            "box": list(self.box),
            "particles": int(self.timeseries.attrs.get("particles", 0)),
            "theory": "Chapman-Enskog, first approximation, collision integral of the simulated potential, Enskog factor (Carnahan-Starling)",
        }
        if self.units is not None:
            u = self.units
            out.update({
                "molecules": [s.name for s in self.species],
                "temperature_K": self.temperature_K,
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
    kT : reduced temperature k_B T / epsilon [-]; default 1 for reduced-unit Species
    temperature : temperature [K]; only with molecule names (their epsilon/k_B maps kelvin
        to reduced units). Give ``kT`` or ``temperature``, not both; molecules need one.
    number_density : total n [1/sigma^dim]
    box : (Lx, Ly[, Lz]) [sigma]; ``dim`` sets 2 or 3 when box is None
    duration : simulated time after the removal [tau]; None = 1.6 L^2/(pi^2 D_theory)
    """

    species: Sequence = (Species("A"), Species("B"))
    kT: float | None = None
    temperature: float | None = None
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
        if self.kT is not None and self.temperature is not None:
            raise InputError(f"give the reduced temperature kT={self.kT} or the temperature={self.temperature} K, "
                             "not both")
        if species and isinstance(species[0], str):
            species, units = molecule_species(species)
            if self.temperature is not None:
                real_t = _number(self.temperature, "temperature [K]")
                if not (np.isfinite(real_t) and real_t > 0):
                    raise InputError(f"temperature must be above 0 K, got {real_t:g} K")
                temperature = real_t / units.temperature
            elif self.kT is not None:
                temperature = _number(self.kT, "kT")
                real_t = temperature * units.temperature
            else:
                raise InputError("real molecules need a temperature: give temperature [K] (e.g. 300) "
                                 "or the reduced kT")
            potential = self.potential or "lj"
        else:
            if self.temperature is not None:
                raise InputError(f"temperature={self.temperature} K needs real molecules (e.g. species=('N2', 'O2')) "
                                 "to map kelvin to reduced units; for reduced-unit Species give kT instead")
            temperature = 1.0 if self.kT is None else _number(self.kT, "kT")
            potential = self.potential or "wca"
        if len(species) != 2:
            raise InputError(f"mixing needs exactly two species, got {len(species)}")
        check_positive(temperature=temperature, number_density=self.number_density)
        check_dim(self.dim)
        check_box(self.box)
        check_seed(self.seed)
        check_nonnegative(equilibration=self.equilibration, animate_frames=self.animate_frames)
        check_positive(sample_interval=self.sample_interval)
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

    def effective_duration(self) -> float:
        """Simulated time after the removal that :meth:`run` uses [tau]: ``duration``, or
        1.6 mixing times :math:`L^2/(\\pi^2 D)` with the kinetic-theory D when it is None."""
        if self.duration is not None:
            return self.duration
        species, _, _, temperature, potential, box = self._setup()
        d_theory, _ = self._theory(species, temperature, potential, len(box))
        return _default_duration(box[0], d_theory)

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
        duration = self.duration if self.duration is not None else _default_duration(lx, d_theory)
        check_positive(duration=duration, dt=self.dt)
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
        frames = Frames(max(n_samples // self.animate_frames, 1) if self.animate_frames else None)
        profile_times = set(np.linspace(0, n_samples, 5).astype(int).tolist())
        periodic_axes = list(range(1, dim))

        def sample(s):
            t = s.time - t0
            x = s.pos[:, 0]
            slabs = obs.slab_counts(x, s.labels, 2, lx)
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
                prof = obs.concentration_profiles(x, s.labels, 2, lx, bins=20, cross_section=cross_section(box))
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
            n_1atm = ATM / (k_B * real_t) * units.sigma**3
            a, b = species
            d_1atm = theory.interdiffusion_Chapman_Enskog(
                n_1atm, temperature, a.mass, b.mass, 0.5 * (a.diameter + b.diameter),
                math.sqrt(a.epsilon * b.epsilon), potential, dim)
        return MixingResult(
            D_theory_1atm=d_1atm,
            timeseries=ts, profiles=pd.concat(snapshots, ignore_index=True), D_measured=d_measured,
            D_fit_error=d_err, D_theory=d_theory, D_self_measured=d_self, D_self_theory=d_self_theory,
            box=box, kT=temperature, number_density=self.number_density, species=species,
            units=units, temperature_K=real_t, frames=frames if self.animate_frames else None)

    def temperature_scan(self, kT: Sequence[float] | None = None,
                         temperature: Sequence[float] | None = None) -> pd.DataFrame:
        """D measured and from theory at each reduced ``kT`` [-] or each ``temperature`` [K].

        Give exactly one of the two lists (kelvin only for real molecules). The table has a
        ``kT`` column, and ``temperature_K`` for real molecules.
        """
        if (kT is None) == (temperature is None):
            raise InputError("temperature_scan needs either kT (reduced) or temperature [K] values, exactly one")
        values = list(kT if kT is not None else temperature)
        if not values:
            raise InputError("temperature_scan needs at least one temperature")
        rows = []
        for k, t in enumerate(values):
            given = {"kT": t, "temperature": None} if kT is not None else {"kT": None, "temperature": t}
            run = replace(self, **given, seed=self.seed + k).run()
            row = {"kT": run.kT}
            if run.temperature_K is not None:
                row["temperature_K"] = run.temperature_K
            row.update({"D_measured": run.D_measured, "D_theory": run.D_theory, "ratio": run.ratio,
                        "mixing_time": run.mixing_time})
            rows.append(row)
        return pd.DataFrame(rows)


def _number(value, label: str) -> float:
    """``value`` as a float; a clear InputError for a string or other non-number."""
    if isinstance(value, bool):
        raise InputError(f"{label} must be a number, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(f"{label} must be a number, got {value!r}") from None


def _default_duration(length, diffusivity):
    """1.6 decay times of the first composition mode, 1.6 L^2/(pi^2 D): mixing well advanced."""
    return 1.6 * length**2 / (math.pi**2 * diffusivity)
