"""Osmotic pressure (Luo-Roux walls), piston osmometer and reverse osmosis with pistons."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..errors import InputError
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
from .render import plot_membrane_cell, plot_osmosis
from .system import ParticleSystem, Species, Wall


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
        check_positive(solvent_density=self.solvent_density, solute_density=self.solute_density,
                        solute_diameter=self.solute_diameter, temperature=self.temperature,
                        duration=self.duration, wall_stiffness=self.wall_stiffness)
        if not 0.1 <= self.compartment <= 0.9:
            raise InputError(f"compartment must be a fraction of the box between 0.1 and 0.9, got {self.compartment}")
        check_dim(self.dim)
        check_box(self.box)
        check_seed(self.seed)
        check_nonnegative(equilibration=self.equilibration, animate_frames=self.animate_frames)
        box = tuple(self.box) if self.box is not None else ((10.0, 30.0, 30.0) if self.dim == 3 else (20.0, 200.0))
        dim = len(box)
        lx = box[0]
        area = cross_section(box)
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
        lower = system.add_wall(Wall(x1, kind="flat_lower", species=("solute",), strength=self.wall_stiffness,
                                     name="membrane left"))
        upper = system.add_wall(Wall(x2, kind="flat_upper", species=("solute",), strength=self.wall_stiffness,
                                     name="membrane right"))
        k_lower, k_upper = system.wall_index(lower), system.wall_index(upper)
        system.initialize()
        system.run(int(round(self.equilibration / self.dt)), progress="equilibrating" if self.progress else False)
        system.take_wall_force()
        n_samples = 200
        every = max(int(round(self.duration / n_samples / self.dt)), 1)
        solute = system.species_mask("solute")
        bins = 30
        hist = np.zeros(bins)
        rows = []
        frames = Frames(max(n_samples // self.animate_frames, 1) if self.animate_frames else None)
        t0 = system.time
        inner = (x1 + 0.25 * (x2 - x1), x2 - 0.25 * (x2 - x1))

        def sample(s):
            f = s.take_wall_force()
            x = s.pos[solute, 0]
            hist[:] += np.histogram(x, bins=bins, range=(0.0, lx))[0]
            rows.append({
                "time": s.time - t0,
                "pressure_left": f[k_lower] / area * -1.0,
                "pressure_right": f[k_upper] / area,
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
    """Result of a :class:`ReverseOsmosis` or :class:`PistonOsmometer` run (reduced units)."""

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
        check_positive(solvent_density=self.solvent_density, solute_density=self.solute_density,
                        temperature=self.temperature, duration=self.duration, compartment=self.compartment,
                        piston_mass=self.piston_mass)
        if self.pressure is None and not (np.isfinite(self.pressure_ratio) and self.pressure_ratio >= 0):
            raise InputError(f"pressure ratio must be >= 0, got {self.pressure_ratio}")
        if self.pressure is not None and not (np.isfinite(self.pressure) and self.pressure >= 0):
            raise InputError(f"applied pressure must be >= 0, got {self.pressure}")
        check_dim(self.dim)
        # Lx of a given box is ignored: only the cross-section is checked
        check_box(None if self.box is None else (1.0, *np.atleast_1d(np.asarray(self.box, dtype=object))[1:]))
        check_seed(self.seed)
        check_nonnegative(equilibration=self.equilibration, animate_frames=self.animate_frames)
        cross = tuple(self.box[1:]) if self.box is not None else ((12.0, 12.0) if self.dim == 3 else (40.0,))
        dim = len(cross) + 1
        w = self.compartment
        w_res = self.reservoir if self.reservoir is not None else w
        check_positive(reservoir=w_res)
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
        membrane = system.add_wall(Wall(x_m, kind="lower", species=("solute",), name="membrane"))
        right = system.add_wall(Wall(x_right, kind="upper", name="right piston", limits=(x_m + 2.0, lx - 1.0)))
        k_left, k_membrane, k_right = (system.wall_index(w) for w in (left, membrane, right))
        system.initialize()
        # 1) pistons held: equilibrate and measure the pressures on both
        system.run(int(round(self.equilibration / self.dt)), progress="equilibrating" if self.progress else False)
        system.take_wall_force()
        held = []
        n_eq = max(int(round(self.equilibration / self.dt)), 10)
        system.run(n_eq, sample_every=max(n_eq // 10, 1), sampler=lambda s: held.append(s.take_wall_force()))
        held = np.array(held)
        p_solvent = float(np.mean(-held[:, k_left] / area))
        difference = held[:, k_right] / area + held[:, k_left] / area  # held pistons: P_solution - P_solvent
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
        frames = Frames(max(n_samples // self.animate_frames, 1) if self.animate_frames else None)
        t0 = system.time

        def sample(s):
            walls = s.wall_positions
            x = s.pos[:, 0]
            rows.append({
                "time": s.time - t0,
                "solvent_in_solution": int(np.count_nonzero(solvent & (x > walls[k_membrane]))),
                "left_piston": walls[k_left],
                "right_piston": walls[k_right],
                "solute_density": n_solute / max((walls[k_right] - walls[k_membrane]) * area, 1e-9),
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


@dataclass
class PistonOsmometer(ReverseOsmosis):
    """Particle osmometer: solvent flows into the solution against a piston until Pi = load.

    The same membrane cell as :class:`ReverseOsmosis` with a light load (``pressure_ratio``
    < 1: the solution piston pushes with that fraction of the initial van 't Hoff pressure),
    a smaller solution compartment and a longer run, so that the solvent flowing in dilutes
    the solution until its osmotic pressure equals the load. Compare the applied pressure
    with van 't Hoff at the final (diluted) solute density (``summary()['ratio']``); the
    solvent flux is fitted over the first third of the run only.

    Not to be confused with :class:`osmolab.osmosis.Osmometer`, the continuum
    (Kedem-Katchalsky) model of a laboratory osmometer with a liquid column.

    Parameters (reduced units)
    --------------------------
    As :class:`ReverseOsmosis`; the defaults differ: ``pressure_ratio`` 0.7, ``duration``
    400 [tau], ``piston_damping`` 0.5 [1/tau], ``compartment`` 10 and ``reservoir`` 20 [sigma].
    """

    pressure_ratio: float = 0.7
    compartment: float = 10.0
    reservoir: float | None = 20.0
    duration: float = 400.0
    piston_damping: float = 0.5
    kind: str = "osmometer"
