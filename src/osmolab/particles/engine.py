"""Numba kernels of the particle engine: pair forces, walls, pistons, velocity Verlet.

Everything here works on plain NumPy arrays in reduced (Lennard-Jones) units: lengths in
sigma, energies in epsilon, masses in m, time in sigma*sqrt(m/epsilon), k_B = 1.

Positions are always stored with three columns; a 2-D system keeps z = 0 and a box of
height 1 with a single cell, so one set of kernels serves both dimensions.

Kernel arguments come in named bundles (``typing.NamedTuple`` s of arrays and scalars,
which Numba passes like tuples): :class:`Particles`, :class:`Box`, :class:`Potential`,
:class:`Neighbours`, :class:`Walls`, :class:`Pistons`, :class:`Thermostat` and
:class:`Steps`. :class:`~osmolab.particles.system.ParticleSystem` builds them once per call
of :func:`run_steps` (never per step); the arrays inside are updated in place.

Design
------
* Half Verlet neighbour lists (each pair once, Newton's third law) built from a cell list
  with the forward half of the 27-cell stencil, rebuilt when a particle has moved more than
  half the skin. With several threads each thread adds its pairs' forces into its own
  buffer (no write races) and the buffers are summed in the kick pass.
* Walls are planes normal to x acting on chosen species (``Walls.sigma[w, s] > 0``):
  WCA walls (one-sided or a two-sided partition) and flat-bottom harmonic restraints
  (Luo and Roux 2010). A wall with a mass is a piston: it moves under the particles' push
  and a constant external force.
* Thermostats: none (NVE), Langevin (an exact Ornstein-Uhlenbeck velocity update after
  the Verlet step, noise from a counter-based hash so parallel runs are reproducible),
  and Berendsen velocity rescaling.

The parallel kernels copy the fields they need into local variables before their
``prange`` loop, so the compiled loops are the same as with plain array arguments.

The single entry point :func:`run_steps` advances many steps inside compiled code and
returns a status code (:data:`STATUS_OK`, or :data:`STATUS_BLOWUP` on an energy blow-up).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit, prange

POT_LJ = 0  # 4 eps [(s/r)^12 - (s/r)^6] cut and shifted (WCA when cut at 2^(1/6) s)
POT_SOFT = 1  # eps (s/r)^12 cut and shifted

WALL_UPPER = 0  # WCA wall, particles live at x < position
WALL_LOWER = 1  # WCA wall, particles live at x > position
WALL_PARTITION = 2  # WCA wall felt from both sides
WALL_FLAT_UPPER = 3  # flat-bottom harmonic restraint: force -k (x - pos) when x > pos
WALL_FLAT_LOWER = 4  # flat-bottom harmonic restraint: force k (pos - x) when x < pos

THERMOSTAT_NVE = 0  # no thermostat (constant energy)
THERMOSTAT_LANGEVIN = 1  # Langevin friction and noise
THERMOSTAT_RESCALE = 2  # Berendsen velocity rescaling

STATUS_OK = 0
STATUS_BLOWUP = 2

_TWO_SIXTH = 2.0 ** (1.0 / 6.0)


# ---------------------------------------------------------------------- bundles
class Particles(NamedTuple):
    """State of the N particles (updated in place by the kernels)."""

    position: np.ndarray  # (N, 3) float, inside [0, L) on periodic axes [sigma]
    velocity: np.ndarray  # (N, 3) float [sigma/tau]
    force: np.ndarray  # (N, 3) float, force at the current positions [epsilon/sigma]
    image: np.ndarray  # (N, 3) int, periodic images crossed (unwrapped = position + image L)
    species: np.ndarray  # (N,) int, species index of each particle
    inverse_mass: np.ndarray  # (species,) float, 1/m of each species [1/m]


class Box(NamedTuple):
    """The simulation box (always three axes; a 2-D box has z of length 1, periodic)."""

    length: np.ndarray  # (3,) float [sigma]
    periodic: np.ndarray  # (3,) bool: periodic (True) or reflecting (False)
    dim: int  # 2 or 3: the axes that move


class Potential(NamedTuple):
    """Cut-and-shifted pair potential, tabulated per pair of species."""

    kind: int  # POT_LJ or POT_SOFT
    sigma_squared: np.ndarray  # (S, S) float [sigma^2]
    epsilon: np.ndarray  # (S, S) float [epsilon]
    cutoff_squared: np.ndarray  # (S, S) float [sigma^2]
    shift: np.ndarray  # (S, S) float, energy at the cutoff [epsilon]


class Neighbours(NamedTuple):
    """Half Verlet neighbour list (each pair once)."""

    pairs: np.ndarray  # (N, capacity) int32: partners j of particle i
    count: np.ndarray  # (N,) int: partners listed for each particle
    reference: np.ndarray  # (N, 3) float: unwrapped positions at the last build [sigma]
    list_radius: float  # cutoff plus skin [sigma]
    skin: float  # [sigma]; rebuild when a particle moved more than skin/2


class Walls(NamedTuple):
    """Planes normal to x, and the force the particles exert on them."""

    position: np.ndarray  # (W,) float, x of each wall [sigma] (pistons move)
    kind: np.ndarray  # (W,) int, WALL_* code
    active: np.ndarray  # (W,) int, 0 once a wall is removed
    sigma: np.ndarray  # (W, S) float, range for each species; 0: not felt [sigma]
    strength: np.ndarray  # (W,) float, WCA epsilon [epsilon] or spring constant [epsilon/sigma^2]
    reaction: np.ndarray  # (N, max(W, 1)) float scratch: force of particle i on wall w
    force: np.ndarray  # (W,) float, force of the particles on each wall now [epsilon/sigma]
    force_sum: np.ndarray  # (W,) float, that force summed over the steps done


class Pistons(NamedTuple):
    """Walls with a mass move as pistons (entries of walls without mass are ignored)."""

    mass: np.ndarray  # (W,) float, 0 for a fixed wall [m]
    velocity: np.ndarray  # (W,) float [sigma/tau]
    external_force: np.ndarray  # (W,) float, along +x [epsilon/sigma]
    damping: np.ndarray  # (W,) float, velocity damping rate [1/tau]
    lower: np.ndarray  # (W,) float, smallest position [sigma]
    upper: np.ndarray  # (W,) float, largest position [sigma]


class Thermostat(NamedTuple):
    """Which thermostat, at what temperature."""

    kind: int  # THERMOSTAT_NVE, THERMOSTAT_LANGEVIN or THERMOSTAT_RESCALE
    temperature: float  # [epsilon/k_B]
    friction: float  # Langevin friction rate gamma [1/tau]
    tau: float  # Berendsen rescaling time [tau]
    seed: int  # seed of the Langevin noise (counter-based, so reproducible on any threads)


class Steps(NamedTuple):
    """What :func:`run_steps` should do."""

    count: int  # steps to take
    dt: float  # time step [tau]
    first: int  # index of the first step (the Langevin noise counter)
    kinetic_energy_limit: float  # a larger kinetic energy is a blow-up [epsilon]


# ---------------------------------------------------------------------- helpers
@njit(cache=True, inline="always")
def _minimum_image(d, length, periodic):
    # positions stay inside [0, L), so |d| < L and one shift is enough (cheaper than floor)
    if periodic:
        if d > 0.5 * length:
            return d - length
        if d < -0.5 * length:
            return d + length
    return d


@njit(cache=True)
def _cell_index(pos, box, ncell):
    n = pos.shape[0]
    cell = np.empty(n, dtype=np.int64)
    for i in range(n):
        c = 0
        for a in range(3):
            k = int(pos[i, a] / box[a] * ncell[a])
            if k < 0:
                k = 0
            elif k >= ncell[a]:
                k = ncell[a] - 1
            c = c * ncell[a] + k
        cell[i] = c
    return cell


# ---------------------------------------------------------------------- neighbour list
@njit(cache=True, parallel=True, fastmath=True)
def build_neighbour_list(position, box, neighbours):
    """Fill the half Verlet list ``neighbours.pairs``/``.count``: every pair closer than
    ``neighbours.list_radius`` once.

    Cells of side >= the list radius; each particle scans its own cell (partners later in
    cell order) and the forward half of the 3x3x3 stencil (13 cells), so each pair is found
    once and the force loop uses Newton's third law. An axis with fewer than 3 cells gets
    a single cell (no double counting through the periodic wrap).

    Returns the largest neighbour count found (the caller enlarges ``pairs`` when it is
    larger than ``pairs.shape[1]``).
    """
    pos = position
    length = box.length
    periodic = box.periodic
    rlist = neighbours.list_radius
    nbr = neighbours.pairs
    nnbr = neighbours.count
    n = pos.shape[0]
    ncell = np.empty(3, dtype=np.int64)
    for a in range(3):
        k = int(length[a] / rlist)
        ncell[a] = k if k >= 3 else 1
    ntot = ncell[0] * ncell[1] * ncell[2]
    cell = _cell_index(pos, length, ncell)
    # counting sort of particles by cell
    start = np.zeros(ntot + 1, dtype=np.int64)
    for i in range(n):
        start[cell[i] + 1] += 1
    for c in range(ntot):
        start[c + 1] += start[c]
    fill = start[:ntot].copy()
    order = np.empty(n, dtype=np.int64)
    for i in range(n):
        order[fill[cell[i]]] = i
        fill[cell[i]] += 1
    # positions copied in cell order: the candidate loop then reads contiguous memory
    sorted_pos = np.empty((n, 3))
    for k in range(n):
        j = order[k]
        sorted_pos[k, 0] = pos[j, 0]
        sorted_pos[k, 1] = pos[j, 1]
        sorted_pos[k, 2] = pos[j, 2]
    # own cell first (offset 0), then the forward half of the stencil
    offs = np.zeros((14, 3), dtype=np.int64)
    m = 1
    for ox in range(-1, 2):
        for oy in range(-1, 2):
            for oz in range(-1, 2):
                if (ox != 0 and ncell[0] < 3) or (oy != 0 and ncell[1] < 3) or (oz != 0 and ncell[2] < 3):
                    continue
                if ox > 0 or (ox == 0 and (oy > 0 or (oy == 0 and oz > 0))):
                    offs[m, 0] = ox
                    offs[m, 1] = oy
                    offs[m, 2] = oz
                    m += 1
    rl2 = rlist * rlist
    maxnb = nbr.shape[1]
    bx, by, bz = length[0], length[1], length[2]
    px, py, pz = periodic[0], periodic[1], periodic[2]
    nx, ny, nz = ncell[0], ncell[1], ncell[2]
    lin = np.empty(m, dtype=np.int64)  # offsets as steps in the linear cell index
    for q in range(m):
        lin[q] = (offs[q, 0] * ny + offs[q, 1]) * nz + offs[q, 2]
    for kk in prange(n):
        i = order[kk]
        ci = cell[i]
        cz = ci % nz
        cy = (ci // nz) % ny
        cx = ci // (nz * ny)
        xi = sorted_pos[kk, 0]
        yi = sorted_pos[kk, 1]
        zi = sorted_pos[kk, 2]
        # away from the faces the stencil needs no wrapping (most cells)
        inner = ((nx == 1 or 0 < cx < nx - 1) and (ny == 1 or 0 < cy < ny - 1)
                 and (nz == 1 or 0 < cz < nz - 1))
        count = 0
        for q in range(m):
            if inner:
                cc = ci + lin[q]
            else:
                ccx = cx + offs[q, 0]
                if ccx < 0 or ccx >= nx:
                    if not px:
                        continue
                    ccx = (ccx + nx) % nx
                ccy = cy + offs[q, 1]
                if ccy < 0 or ccy >= ny:
                    if not py:
                        continue
                    ccy = (ccy + ny) % ny
                ccz = cz + offs[q, 2]
                if ccz < 0 or ccz >= nz:
                    if not pz:
                        continue
                    ccz = (ccz + nz) % nz
                cc = (ccx * ny + ccy) * nz + ccz
            k0 = kk + 1 if q == 0 else start[cc]
            for k in range(k0, start[cc + 1]):
                dx = _minimum_image(xi - sorted_pos[k, 0], bx, px)
                dy = _minimum_image(yi - sorted_pos[k, 1], by, py)
                dz = _minimum_image(zi - sorted_pos[k, 2], bz, pz)
                if dx * dx + dy * dy + dz * dz < rl2:
                    if count < maxnb:
                        nbr[i, count] = order[k]
                    count += 1
        nnbr[i] = count
    return nnbr.max()


@njit(cache=True)
def rebuild_neighbour_list(particles, box, neighbours):
    """Build the list (growing ``pairs`` when too small) and store the reference positions.

    Returns the :class:`Neighbours` bundle to use from now on (a new one when the list grew).
    """
    pos = particles.position
    most = build_neighbour_list(pos, box, neighbours)
    if most > neighbours.pairs.shape[1]:  # grow the list and build it again
        neighbours = Neighbours(np.empty((pos.shape[0], int(1.3 * most) + 8), dtype=np.int32),
                                neighbours.count, neighbours.reference, neighbours.list_radius,
                                neighbours.skin)
        build_neighbour_list(pos, box, neighbours)
    store_reference(particles, box, neighbours.reference)
    return neighbours


@njit(cache=True, parallel=True)
def store_reference(particles, box, reference):
    """Unwrapped positions into ``reference`` (the displacement check measures from them)."""
    pos = particles.position
    image = particles.image
    length = box.length
    for i in prange(pos.shape[0]):
        for a in range(3):
            reference[i, a] = pos[i, a] + image[i, a] * length[a]


@njit(cache=True, parallel=True)
def closest_pair_ratio(particles, box, potential, neighbours):
    """Smallest r_ij / sigma_ij over listed pairs (overlap check of initial positions)."""
    pos = particles.position
    species = particles.species
    length = box.length
    periodic = box.periodic
    sig2 = potential.sigma_squared
    nbr = neighbours.pairs
    nnbr = neighbours.count
    n = pos.shape[0]
    worst = np.inf
    for i in prange(n):
        best = np.inf
        for k in range(nnbr[i]):
            j = nbr[i, k]
            dx = _minimum_image(pos[i, 0] - pos[j, 0], length[0], periodic[0])
            dy = _minimum_image(pos[i, 1] - pos[j, 1], length[1], periodic[1])
            dz = _minimum_image(pos[i, 2] - pos[j, 2], length[2], periodic[2])
            r = (dx * dx + dy * dy + dz * dz) / sig2[species[i], species[j]]
            best = min(best, r)
        worst = min(worst, best)
    return np.sqrt(worst)


# ---------------------------------------------------------------------- pair forces
@njit(cache=True, fastmath=True)
def _pair_chunk(lo, hi, particles, box, potential, neighbours, f):
    """Pair forces of the half-list pairs of particles ``lo``..``hi``-1, added into ``f``
    (to both partners: Newton's third law); returns their potential energy."""
    pos = particles.position
    species = particles.species
    nbr = neighbours.pairs
    nnbr = neighbours.count
    sig2 = potential.sigma_squared
    eps = potential.epsilon
    rc2 = potential.cutoff_squared
    shift = potential.shift
    bx, by, bz = box.length[0], box.length[1], box.length[2]
    px, py, pz = box.periodic[0], box.periodic[1], box.periodic[2]
    single = sig2.shape[0] == 1
    s2c = sig2[0, 0]
    ec = eps[0, 0]
    rcc = rc2[0, 0]
    shc = shift[0, 0]
    lj = potential.kind == POT_LJ
    epot = 0.0
    for i in range(lo, hi):
        si = species[i]
        xi = pos[i, 0]
        yi = pos[i, 1]
        zi = pos[i, 2]
        fx = 0.0
        fy = 0.0
        fz = 0.0
        for k in range(nnbr[i]):
            j = nbr[i, k]
            dx = _minimum_image(xi - pos[j, 0], bx, px)
            dy = _minimum_image(yi - pos[j, 1], by, py)
            dz = _minimum_image(zi - pos[j, 2], bz, pz)
            r2 = dx * dx + dy * dy + dz * dz
            if single:
                s2ij, e, rcij, sh = s2c, ec, rcc, shc
            else:
                sj = species[j]
                s2ij, e, rcij, sh = sig2[si, sj], eps[si, sj], rc2[si, sj], shift[si, sj]
            if r2 < rcij:
                ir2 = 1.0 / r2
                s2 = s2ij * ir2
                s6 = s2 * s2 * s2
                if lj:
                    ff = 24.0 * e * (2.0 * s6 * s6 - s6) * ir2
                    u = 4.0 * e * (s6 * s6 - s6) - sh
                else:
                    ff = 12.0 * e * s6 * s6 * ir2
                    u = e * s6 * s6 - sh
                fx += ff * dx
                fy += ff * dy
                fz += ff * dz
                f[j, 0] -= ff * dx
                f[j, 1] -= ff * dy
                f[j, 2] -= ff * dz
                epot += u
        f[i, 0] += fx
        f[i, 1] += fy
        f[i, 2] += fz
    return epot


@njit(cache=True, parallel=True)
def _pair_threads(particles, box, potential, neighbours, buf):
    """Half-list pair forces on ``nt = buf.shape[0]`` threads, each into its own buffer
    ``buf[t]`` (no write races); the caller sums the buffers. Returns the pair potential
    energy."""
    nt = buf.shape[0]
    n = particles.position.shape[0]
    energies = np.zeros(nt)
    for t in prange(nt):
        b = buf[t]
        for i in range(n):
            b[i, 0] = 0.0
            b[i, 1] = 0.0
            b[i, 2] = 0.0
        energies[t] = _pair_chunk(t * n // nt, (t + 1) * n // nt, particles, box, potential, neighbours, b)
    return energies.sum()


@njit(cache=True)
def pair_forces_into(particles, box, potential, neighbours, buf):
    """Pair forces into ``buf`` (nt, N, 3) on ``nt = buf.shape[0]`` threads (the force on
    particle i is ``buf[:, i].sum(axis=0)``); returns the pair potential energy."""
    if buf.shape[0] == 1:
        b = buf[0]
        b[:, :] = 0.0
        return _pair_chunk(0, particles.position.shape[0], particles, box, potential, neighbours, b)
    return _pair_threads(particles, box, potential, neighbours, buf)


@njit(cache=True)
def pair_forces(particles, box, potential, neighbours):
    """Pair forces into ``particles.force`` (overwritten); returns the pair potential energy."""
    force = particles.force
    force[:, :] = 0.0
    return _pair_chunk(0, particles.position.shape[0], particles, box, potential, neighbours, force)


# ---------------------------------------------------------------------- walls
@njit(cache=True, inline="always")
def _wca_wall(h, sigma, epsilon):
    """Force magnitude (away from the wall) and energy of a WCA wall at distance h."""
    if h >= _TWO_SIXTH * sigma:
        return 0.0, 0.0
    hmin = 0.5 * sigma  # a particle this deep has blown up; keep numbers finite
    if h < hmin:
        h = hmin
    s6 = (sigma / h) ** 6
    return 24.0 * epsilon * (2.0 * s6 * s6 - s6) / h, 4.0 * epsilon * (s6 * s6 - s6) + epsilon


@njit(cache=True, inline="always")
def _wall_force(x, s, w, wall_pos, wall_kind, wall_active, wall_sigma, wall_eps):
    """Force along x and energy of wall ``w`` on a particle of species ``s`` at ``x``.

    Takes the fields of :class:`Walls` as arrays: it runs inside ``prange`` loops, where
    the arrays are loop invariants (a bundle captured by the loop is re-read on each pass).
    """
    sig = wall_sigma[w, s]
    if wall_active[w] == 0 or sig <= 0.0:
        return 0.0, 0.0
    kind = wall_kind[w]
    xw = wall_pos[w]
    if kind == WALL_UPPER:
        fm, u = _wca_wall(xw - x, sig, wall_eps[w])
        return -fm, u
    if kind == WALL_LOWER:
        fm, u = _wca_wall(x - xw, sig, wall_eps[w])
        return fm, u
    if kind == WALL_PARTITION:
        if x < xw:
            fm, u = _wca_wall(xw - x, sig, wall_eps[w])
            return -fm, u
        fm, u = _wca_wall(x - xw, sig, wall_eps[w])
        return fm, u
    if kind == WALL_FLAT_UPPER:
        if x > xw:
            return -wall_eps[w] * (x - xw), 0.5 * wall_eps[w] * (x - xw) ** 2
        return 0.0, 0.0
    if x < xw:
        return wall_eps[w] * (xw - x), 0.5 * wall_eps[w] * (xw - x) ** 2
    return 0.0, 0.0


@njit(cache=True, parallel=True, fastmath=True)
def wall_forces(particles, walls):
    """Add the wall forces to ``particles.force``; return (energy, force on each wall [x]).

    The force of each particle on each wall is left in ``walls.reaction``."""
    pos = particles.position
    species = particles.species
    force = particles.force
    wall_pos, wall_kind, wall_active = walls.position, walls.kind, walls.active
    wall_sigma, wall_eps, scratch = walls.sigma, walls.strength, walls.reaction
    n = pos.shape[0]
    nw = wall_pos.shape[0]
    epot = 0.0
    for i in prange(n):
        fsum = 0.0
        ui = 0.0
        for w in range(nw):
            f, u = _wall_force(pos[i, 0], species[i], w, wall_pos, wall_kind, wall_active, wall_sigma, wall_eps)
            scratch[i, w] = -f
            fsum += f
            ui += u
        force[i, 0] += fsum
        epot += ui
    return epot, _column_sums(scratch, nw)


@njit(cache=True)
def _column_sums(scratch, nw):
    out = np.zeros(nw)
    for i in range(scratch.shape[0]):
        for w in range(nw):
            out[w] += scratch[i, w]
    return out


@njit(cache=True)
def compute_forces(particles, box, potential, neighbours, walls):
    """All forces into ``particles.force``; returns (potential energy, force of the particles
    on each wall)."""
    u = pair_forces(particles, box, potential, neighbours)
    if walls.position.shape[0] > 0:
        uw, on_wall = wall_forces(particles, walls)
        return u + uw, on_wall
    return u, np.zeros(0)


# ---------------------------------------------------------------------- Langevin noise
@njit(cache=True, inline="always")
def _splitmix64(x):
    x = x + np.uint64(0x9E3779B97F4A7C15)
    z = x
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, inline="always")
def _gauss(seed, counter):
    """Standard normal number from a counter-based hash (reproducible in parallel)."""
    h1 = _splitmix64(seed ^ _splitmix64(counter * np.uint64(2)))
    h2 = _splitmix64(seed ^ _splitmix64(counter * np.uint64(2) + np.uint64(1)))
    u1 = ((h1 >> np.uint64(11)) + np.uint64(1)) * (1.0 / 9007199254740993.0)
    u2 = (h2 >> np.uint64(11)) * (1.0 / 9007199254740992.0)
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


# ---------------------------------------------------------------------- integration
@njit(inline="always")
def _move(x, v, i, a, length, periodic, image):
    """Put coordinate ``a`` of particle ``i`` back in the box after a drift to ``x``:
    wrap it (counting the image) on a periodic axis, reflect it specularly at 0 and L
    otherwise. Returns the new (x, v)."""
    if periodic[a]:
        if x >= length[a]:
            x -= length[a]
            image[i, a] += 1
        elif x < 0.0:
            x += length[a]
            image[i, a] -= 1
    else:
        if x < 0.0:
            x = -x
            v = -v
        elif x > length[a]:
            x = 2.0 * length[a] - x
            v = -v
    return x, v


@njit(inline="always")
def _pair_force_sum(i, buf):
    """Force on particle ``i`` from its per-thread pair-force buffers."""
    fx = buf[0, i, 0]
    fy = buf[0, i, 1]
    fz = buf[0, i, 2]
    for t in range(1, buf.shape[0]):
        fx += buf[t, i, 0]
        fy += buf[t, i, 1]
        fz += buf[t, i, 2]
    return fx, fy, fz


@njit(inline="always")
def _add_wall_forces(fx, x, si, i, wall_pos, wall_kind, wall_active, wall_sigma, wall_eps, scratch):
    """Add the walls' push on particle ``i`` (species ``si`` at ``x``) to ``fx``; the reaction
    on each wall goes to ``scratch[i]``. Returns (fx, the particle's wall potential energy)."""
    ui = 0.0
    for w in range(wall_pos.shape[0]):
        f, u = _wall_force(x, si, w, wall_pos, wall_kind, wall_active, wall_sigma, wall_eps)
        scratch[i, w] = -f  # reaction: force of the particle on the wall
        fx += f
        ui += u
    return fx, ui


@njit(cache=True, parallel=True, fastmath=True)
def _kick_drift(particles, box, dt, scale, ref):
    """v <- scale v + dt/2 F/m; x <- x + dt v (wrap or reflect); returns max squared
    displacement since the last neighbour-list build (from ``ref``)."""
    pos = particles.position
    vel = particles.velocity
    force = particles.force
    image = particles.image
    species = particles.species
    inv_mass = particles.inverse_mass
    length = box.length
    periodic = box.periodic
    dim = box.dim
    n = pos.shape[0]
    worst = 0.0
    for i in prange(n):
        im = inv_mass[species[i]]
        d2 = 0.0
        for a in range(dim):
            v = scale * vel[i, a] + 0.5 * dt * force[i, a] * im
            x, v = _move(pos[i, a] + dt * v, v, i, a, length, periodic, image)
            vel[i, a] = v
            pos[i, a] = x
            d = x + image[i, a] * length[a] - ref[i, a]
            d2 += d * d
        worst = max(worst, d2)
    return worst


@njit(cache=True, parallel=True, fastmath=True)
def _force_kick(particles, buf, walls, dim, dt, thermostat, step):
    """Sum the pair-force buffers, add the walls, and do the second half kick (and the
    Langevin noise) in one pass. Returns (wall potential energy, kinetic energy)."""
    pos = particles.position
    vel = particles.velocity
    force = particles.force
    species = particles.species
    inv_mass = particles.inverse_mass
    wall_pos, wall_kind, wall_active = walls.position, walls.kind, walls.active
    wall_sigma, wall_eps, scratch = walls.sigma, walls.strength, walls.reaction
    langevin = thermostat.kind == THERMOSTAT_LANGEVIN
    c1 = np.exp(-thermostat.friction * dt)
    seed = np.uint64(thermostat.seed)
    n = pos.shape[0]
    c2 = np.sqrt(max(1.0 - c1 * c1, 0.0) * thermostat.temperature)
    base = np.uint64(step) * np.uint64(n) * np.uint64(3)
    epot = 0.0
    ke2 = 0.0
    for i in prange(n):
        si = species[i]
        # total force: the per-thread pair-force buffers plus the walls
        fx, fy, fz = _pair_force_sum(i, buf)
        fx, ui = _add_wall_forces(fx, pos[i, 0], si, i, wall_pos, wall_kind, wall_active, wall_sigma,
                                  wall_eps, scratch)
        force[i, 0] = fx
        force[i, 1] = fy
        force[i, 2] = fz
        epot += ui
        im = inv_mass[si]
        sd = c2 * np.sqrt(im)
        s = 0.0
        for a in range(dim):
            v = vel[i, a] + 0.5 * dt * force[i, a] * im
            if langevin:
                v = c1 * v + sd * _gauss(seed, base + np.uint64(3 * i + a))
            vel[i, a] = v
            s += v * v
        ke2 += s / im
    return epot, 0.5 * ke2


@njit(cache=True, parallel=True, fastmath=True)
def _force_kick_drift(particles, buf, box, walls, dt, thermostat, step, ref):
    """:func:`_force_kick` of this step fused with :func:`_kick_drift` of the next (one pass
    over the particles and one thread barrier fewer per step; not for Berendsen scaling).

    Returns (wall potential energy, kinetic energy at the full step, max squared
    displacement since the last list build)."""
    pos = particles.position
    vel = particles.velocity
    force = particles.force
    image = particles.image
    species = particles.species
    inv_mass = particles.inverse_mass
    length = box.length
    periodic = box.periodic
    dim = box.dim
    wall_pos, wall_kind, wall_active = walls.position, walls.kind, walls.active
    wall_sigma, wall_eps, scratch = walls.sigma, walls.strength, walls.reaction
    langevin = thermostat.kind == THERMOSTAT_LANGEVIN
    c1 = np.exp(-thermostat.friction * dt)
    seed = np.uint64(thermostat.seed)
    n = pos.shape[0]
    c2 = np.sqrt(max(1.0 - c1 * c1, 0.0) * thermostat.temperature)
    base = np.uint64(step) * np.uint64(n) * np.uint64(3)
    epot = 0.0
    ke2 = 0.0
    worst = 0.0
    for i in prange(n):
        si = species[i]
        # total force: the per-thread pair-force buffers plus the walls
        fx, fy, fz = _pair_force_sum(i, buf)
        fx, ui = _add_wall_forces(fx, pos[i, 0], si, i, wall_pos, wall_kind, wall_active, wall_sigma,
                                  wall_eps, scratch)
        force[i, 0] = fx
        force[i, 1] = fy
        force[i, 2] = fz
        epot += ui
        im = inv_mass[si]
        sd = c2 * np.sqrt(im)
        s = 0.0
        d2 = 0.0
        for a in range(dim):
            h = 0.5 * dt * force[i, a] * im
            v = vel[i, a] + h
            if langevin:
                v = c1 * v + sd * _gauss(seed, base + np.uint64(3 * i + a))
            s += v * v
            # next step: first half kick and drift
            v += h
            x, v = _move(pos[i, a] + dt * v, v, i, a, length, periodic, image)
            vel[i, a] = v
            pos[i, a] = x
            d = x + image[i, a] * length[a] - ref[i, a]
            d2 += d * d
        ke2 += s / im
        worst = max(worst, d2)
    return epot, 0.5 * ke2, worst


@njit(cache=True, parallel=True)
def _scale(vel, factor, dim):
    for i in prange(vel.shape[0]):
        for a in range(dim):
            vel[i, a] *= factor


@njit(cache=True)
def _piston_start(dt, walls, pistons):
    """Pistons: half kick with the last forces, then drift (inside their range)."""
    wall_pos = walls.position
    on_wall = walls.force
    wall_vel = pistons.velocity
    for w in range(wall_pos.shape[0]):
        if pistons.mass[w] > 0.0 and walls.active[w] != 0:
            wall_vel[w] += 0.5 * dt * (on_wall[w] + pistons.external_force[w]) / pistons.mass[w]
            wall_pos[w] += dt * wall_vel[w]
            if wall_pos[w] < pistons.lower[w]:
                wall_pos[w] = pistons.lower[w]
                wall_vel[w] = 0.0
            elif wall_pos[w] > pistons.upper[w]:
                wall_pos[w] = pistons.upper[w]
                wall_vel[w] = 0.0


@njit(cache=True)
def _piston_finish(dt, walls, pistons):
    """Force on each wall from ``walls.reaction``; pistons: second half kick and damping."""
    on_wall = walls.force
    nw = on_wall.shape[0]
    if nw == 0:
        return
    wall_acc = walls.force_sum
    wall_vel = pistons.velocity
    sums = _column_sums(walls.reaction, nw)
    for w in range(nw):
        on_wall[w] = sums[w]
        wall_acc[w] += sums[w]
        if pistons.mass[w] > 0.0 and walls.active[w] != 0:
            wall_vel[w] += 0.5 * dt * (on_wall[w] + pistons.external_force[w]) / pistons.mass[w]
            wall_vel[w] *= np.exp(-pistons.damping[w] * dt)


@njit(cache=True)
def run_steps(steps, particles, box, potential, neighbours, walls, pistons, thermostat, buf):
    """Advance ``steps.count`` velocity-Verlet steps in place.

    ``walls.force_sum`` accumulates, per wall, the force the particles exert on it (summed
    over steps, divide by the steps done for the mean). ``buf`` (threads, N, 3) is scratch
    for the per-thread pair forces (its first dimension sets the number of force threads).
    ``particles.force`` and ``walls.force`` must hold the forces of the current positions on
    entry (the caller computes them once); both are updated in place.

    Per step: pair forces (half list, per-thread buffers), then one pass that sums them,
    adds the walls, finishes this step's kick and starts the next step's kick and drift
    (separate passes with Berendsen scaling and on the last step).

    Returns
    -------
    (status, steps_done, potential_energy, kinetic_energy, pairs)
        ``pairs`` is the neighbour array, a new, larger one when the list had to grow.
    """
    nsteps = steps.count
    dt = steps.dt
    dim = box.dim
    half_skin2 = 0.25 * neighbours.skin * neighbours.skin
    ke = 0.0
    epot = 0.0
    scale = 1.0
    fuse = thermostat.kind != THERMOSTAT_RESCALE
    if nsteps <= 0:
        return STATUS_OK, 0, epot, ke, neighbours.pairs
    _piston_start(dt, walls, pistons)
    worst = _kick_drift(particles, box, dt, scale, neighbours.reference)
    for step in range(nsteps):
        if worst > half_skin2:
            neighbours = rebuild_neighbour_list(particles, box, neighbours)
        epair = pair_forces_into(particles, box, potential, neighbours, buf)
        last = step == nsteps - 1
        if fuse and not last:
            ewall, ke, worst = _force_kick_drift(particles, buf, box, walls, dt, thermostat, steps.first + step,
                                                 neighbours.reference)
            epot = epair + ewall
            _piston_finish(dt, walls, pistons)
            if not np.isfinite(ke) or ke > steps.kinetic_energy_limit or not np.isfinite(epot):
                return STATUS_BLOWUP, step + 1, epot, ke, neighbours.pairs
            _piston_start(dt, walls, pistons)
            continue
        ewall, ke = _force_kick(particles, buf, walls, dim, dt, thermostat, steps.first + step)
        epot = epair + ewall
        _piston_finish(dt, walls, pistons)
        if thermostat.kind == THERMOSTAT_RESCALE and ke > 0.0:
            # Berendsen: the factor is applied to the velocities at the start of the next step
            current = 2.0 * ke / (dim * particles.position.shape[0])
            temperature = thermostat.temperature
            scale = np.sqrt(min(max(1.0 + dt / thermostat.tau * (temperature / current - 1.0), 0.25), 4.0))
        if not np.isfinite(ke) or ke > steps.kinetic_energy_limit or not np.isfinite(epot):
            return STATUS_BLOWUP, step + 1, epot, ke, neighbours.pairs
        if not last:
            _piston_start(dt, walls, pistons)
            worst = _kick_drift(particles, box, dt, scale, neighbours.reference)
            scale = 1.0
    if scale != 1.0:
        _scale(particles.velocity, scale, dim)
        ke *= scale * scale
    return STATUS_OK, nsteps, epot, ke, neighbours.pairs
