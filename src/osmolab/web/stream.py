"""The classroom's WebSocket: live particle scenarios streamed as binary frames.

``/ws/classroom`` runs one particle simulation per connection on the server (the Numba
engine of :mod:`osmolab.particles`) and streams its frames to the page's canvas. The
scenarios are the library's (:class:`~osmolab.particles.Mixing`,
:class:`~osmolab.particles.Osmosis`, :class:`~osmolab.particles.ReverseOsmosis`,
:class:`~osmolab.particles.Sieving`) laid out in 2-D and stepped a few hundred time steps
per frame so the class can play with them; the numbers shown beside them come from the
library's observables and theory (Chapman-Enskog interdiffusion, van 't Hoff).

Protocol
--------
Client to server, JSON text messages with a ``type``:

``start``  ``{"type": "start", "scenario": "mixing" | "osmosis" | "reverse_osmosis" |
           "sieving", "particles": 2000, "temperature": 1.0, "concentration": ...,
           "pressure_ratio": ..., "pore_diameter": ...}`` builds the scenario (sizes capped
           at ``Settings.max_particles``) and plays it.
``play``, ``pause``, ``reset`` (rebuild with the same parameters), ``remove_partition``
           (mixing), ``set`` with ``temperature`` and/or ``pressure_ratio`` (live changes),
           ``ping`` (answered by ``pong``).

Server to client: JSON ``setup`` (box, species, walls), JSON ``stats`` a few times a
second (the scenario's measured numbers against theory), JSON ``error`` (one line) and
binary frames, little-endian::

    float32[4]   frame number, simulated time [tau], particles n, walls w
    float32[w]   x of each wall [sigma] (NaN once removed)
    float32[2n]  x, y of each particle [sigma]
    uint8[n]     species index of each particle

A token-protected server (``Settings.token``) closes a WebSocket without the token with
code 1008 (policy violation).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import math
import time
from dataclasses import dataclass, field

import numpy as np
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from ..errors import InputError
from ..particles import SIEVING_SPECIES, Mixing, ParticleSystem, Species, Wall, theory
from ..particles import observables as obs
from .security import presented_token, token_ok

__all__ = ["router", "SCENARIOS", "Classroom", "encode_frame", "decode_frame", "FRAME_HEADER"]

router = APIRouter(tags=["classroom"])

#: Scenario names and their one-line description (shown on the page).
SCENARIOS = {
    "mixing": "Two gases separated by a partition; remove it and watch them interdiffuse. "
              "The measured D comes from the decay of the first composition mode.",
    "osmosis": "A membrane that only the solute feels: the solvent crosses freely, the solute "
               "bounces. The force on the membrane per length is the osmotic pressure.",
    "reverse_osmosis": "Pure solvent | membrane | solution, each closed by a piston. Push the "
                       "solution's piston harder than the osmotic pressure and the solvent flows back.",
    "sieving": "A porous membrane: water passes, Na+, Cl-, glucose, urea and a bacterium are "
               "too big for the pores.",
}
#: Number of float32 values before the wall positions in a binary frame.
FRAME_HEADER = 4
FRAME_RATE = 30.0  # frames per second aimed at
STATS_EVERY = 6  # frames between two stats messages
MIN_PARTICLES = 50
PISTON_MASS, PISTON_DAMPING = 20.0, 2.0  # [m], [1/tau]: lighter damping than ReverseOsmosis (10) so the flow shows within a minute
RO_SOLVENT_DENSITY = 0.35  # [1/sigma^2]
#: Message types a client may send.
MESSAGES = ("start", "play", "pause", "reset", "remove_partition", "set", "ping")


def encode_frame(number: int, sim_time: float, walls, xy, species) -> bytes:
    """Pack one frame: header, wall positions, float32 (x, y) pairs and uint8 species."""
    walls = np.asarray(walls, dtype=np.float32)
    xy = np.ascontiguousarray(xy, dtype=np.float32)
    head = np.array([number, sim_time, len(species), len(walls)], dtype=np.float32)
    return (head.tobytes() + walls.tobytes() + xy.tobytes()
            + np.asarray(species, dtype=np.uint8).tobytes())


def decode_frame(data: bytes) -> dict:
    """Unpack a binary frame into ``frame``, ``time``, ``walls``, ``xy`` (n, 2), ``species``."""
    head = np.frombuffer(data, dtype=np.float32, count=FRAME_HEADER)
    n, w = int(head[2]), int(head[3])
    walls = np.frombuffer(data, dtype=np.float32, count=w, offset=4 * FRAME_HEADER)
    offset = 4 * (FRAME_HEADER + w)
    xy = np.frombuffer(data, dtype=np.float32, count=2 * n, offset=offset).reshape(n, 2)
    species = np.frombuffer(data, dtype=np.uint8, count=n, offset=offset + 8 * n)
    return {"frame": int(head[0]), "time": float(head[1]), "walls": walls, "xy": xy,
            "species": species}


def _number(params: dict, key: str, default: float, low: float, high: float) -> float:
    value = params.get(key, default)
    if value is None:
        value = default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{key} must be a number, got {value!r}")
    if not low <= value <= high:
        raise InputError(f"{key} must be between {low:g} and {high:g}, got {value:g}")
    return float(value)


# ---------------------------------------------------------------------- scenarios
@dataclass
class Classroom:
    """One live scenario: the particle system, its walls and what the page is shown.

    Built by :meth:`build` from the client's parameters; :meth:`advance` steps it,
    :meth:`frame` and :meth:`stats` report it. Reduced Lennard-Jones units throughout
    (length sigma, energy epsilon, time tau, k_B = 1); 2-D boxes, closed along x and
    periodic along y.
    """

    scenario: str
    params: dict
    system: ParticleSystem = None
    steps_per_frame: int = 100
    walls: list = field(default_factory=list)
    removed: set = field(default_factory=set)
    history: dict = field(default_factory=dict)
    frame_number: int = 0

    @classmethod
    def build(cls, params: dict, max_particles: int) -> Classroom:
        """Validate ``params`` and build the scenario's particle system."""
        scenario = params.get("scenario", "mixing")
        if scenario not in SCENARIOS:
            raise InputError(f"unknown scenario {scenario!r}; use one of {', '.join(SCENARIOS)}")
        n = params.get("particles", 2000)
        if isinstance(n, bool) or not isinstance(n, int):
            raise InputError(f"particles must be a whole number, got {n!r}")
        if n > max_particles:
            raise InputError(f"particles: {n} is above this server's limit of {max_particles}")
        if n < MIN_PARTICLES:
            raise InputError(f"particles: give at least {MIN_PARTICLES}, got {n}")
        room = cls(scenario=scenario, params=dict(params))
        getattr(room, f"_build_{scenario}")(n, _number(params, "temperature", 1.0, 0.2, 5.0))
        room.system.initialize()
        return room

    def _system(self, species, box, temperature, dt=0.005):
        self.system = ParticleSystem(species, box=box, periodic=(False, True), temperature=temperature,
                                     dt=dt, thermostat="rescale", seed=int(time.time() * 1000) % 100_000)

    def _wall(self, wall: Wall) -> Wall:
        self.walls.append(self.system.add_wall(wall))
        return wall

    def _build_mixing(self, n, temperature):
        density = _number(self.params, "concentration", 0.1, 0.02, 0.4)
        side = math.sqrt(n / density)
        box = (side, side)
        self._system([Species("A"), Species("B")], box, temperature)
        half = 0.5 * side
        self.system.add_particles("A", n // 2, [(0.0, half - 0.6), (0.0, side)])
        self.system.add_particles("B", n - n // 2, [(half + 0.6, side), (0.0, side)])
        self._wall(Wall(half, kind="partition", name="partition"))
        self.density = density
        self.steps_per_frame = 150  # 0.75 tau a frame: the first mode decays within ~10 s

    def _build_osmosis(self, n, temperature):
        solute_fraction = _number(self.params, "concentration", 0.15, 0.02, 0.5)
        solvent_density = 0.3
        n_solute = max(int(round(solute_fraction * n / 2)), 1)
        n_solvent = n - n_solute
        # closed along x: pure solvent left of the membrane, solution right of it
        ly = math.sqrt(n_solvent / solvent_density / 2.0)
        lx = 2.0 * ly
        self._system([Species("solvent"), Species("solute", diameter=1.5, mass=2.0)], (lx, ly), temperature)
        half = 0.5 * lx
        self.system.add_particles("solute", n_solute, [(half + 1.0, lx - 0.8), (0.0, ly)])
        self.system.add_particles("solvent", n_solvent, [(0.0, lx), (0.0, ly)])
        self.membrane = self._wall(Wall(half, kind="partition", species=("solute",), name="membrane"))
        self.solute_area = (lx - half) * ly
        self.n_solute = n_solute
        self.solute_diameter = 1.5
        self.steps_per_frame = 100

    def _build_reverse_osmosis(self, n, temperature):
        solute_density = _number(self.params, "concentration", 0.08, 0.02, 0.2)
        self.pressure_ratio = _number(self.params, "pressure_ratio", 1.5, 0.0, 3.0)
        solvent_density = RO_SOLVENT_DENSITY
        width = math.sqrt(n / (2.0 * solvent_density * 1.5))  # each compartment width x 1.5 width
        ly = 1.5 * width
        x_left = 1.0 + 0.25 * width
        x_m = x_left + width
        x_right = x_m + width
        lx = x_right + 1.2 * width
        n_solute = max(int(round(solute_density * width * ly)), 1)
        # the solute displaces as much solvent (equal sizes): both sides start near balance
        n_side = n // 2
        self._system([Species("solvent"), Species("solute")], (lx, ly), temperature)
        self.system.add_particles("solute", n_solute, [(x_m + 1.0, x_right - 1.0), (0.0, ly)])
        self.system.add_particles("solvent", n_side, [(x_left + 0.6, x_m), (0.0, ly)])
        self.system.add_particles("solvent", n - n_solute - n_side, [(x_m, x_right - 0.6), (0.0, ly)])
        self.left = self._wall(Wall(x_left, kind="lower", name="left piston", limits=(1.0, x_m - 2.0)))
        self.membrane = self._wall(Wall(x_m, kind="lower", species=("solute",), name="membrane"))
        self.right = self._wall(Wall(x_right, kind="upper", name="right piston", limits=(x_m + 2.0, lx - 1.0)))
        self.n_solute = n_solute
        self.ly = ly
        self.hold_steps = 1500  # pistons held while the solvent pressure is measured
        self.held_forces = []
        self.solvent_pressure = None
        self.steps_per_frame = 100

    def _build_sieving(self, n, temperature):
        pore = _number(self.params, "pore_diameter", 1.2, 1.05, 9.0)
        counts = {"Na+": 25, "Cl-": 25, "glucose": 25, "urea": 25, "bacterium": 2}
        counts = {"water": n - sum(counts.values()), **counts}
        if counts["water"] < 1:
            raise InputError(f"particles: sieving needs more than {n - counts['water']} particles")
        sizes = {"water": "water", "Na+": "ion", "Cl-": "ion", "glucose": "glucose", "urea": "urea",
                 "bacterium": "bacterium"}
        # the bacterium (~1 um) is drawn at 6 water diameters: the library's display size 8
        # lengthens every neighbour list and halves the frame rate
        species = [Species(name, diameter=min(SIEVING_SPECIES[sizes[name]][0], 6.0),
                           mass=SIEVING_SPECIES[sizes[name]][1]) for name in counts]
        ly = math.sqrt(n / 0.3 / 1.0)
        lx = 2.0 * ly
        self._system(species, (lx, ly), temperature, dt=0.004)
        half = 0.5 * lx
        for s in sorted(species, key=lambda s: -s.diameter):
            self.system.add_particles(s.name, counts[s.name], [(0.0, half - 0.6 * s.diameter), (0.0, ly)])
        self.membrane = self._wall(Wall(half, kind="partition", cutoff_diameter=pore, name="membrane"))
        self.pore = pore
        self.steps_per_frame = 40  # the bacterium's long neighbour lists make these steps dearer

    # ------------------------------------------------------------------ live changes
    def remove_partition(self) -> None:
        """Switch the mixing partition off from the next step on."""
        if self.scenario != "mixing" or "partition" in self.removed:
            return
        self.walls[0].remove_at = self.system.time
        self.removed.add("partition")
        self.history = {"time": [], "amplitude": [], "t0": self.system.time}

    def set(self, params: dict) -> None:
        """Live changes: ``temperature`` (thermostat) and ``pressure_ratio`` (RO piston)."""
        if "temperature" in params:
            self.system.temperature = _number(params, "temperature", 1.0, 0.2, 5.0)
            self.params["temperature"] = self.system.temperature
        if "pressure_ratio" in params and self.scenario == "reverse_osmosis":
            self.pressure_ratio = _number(params, "pressure_ratio", 1.5, 0.0, 3.0)
            self.params["pressure_ratio"] = self.pressure_ratio
            self._push_pistons()

    # ------------------------------------------------------------------ stepping
    def advance(self) -> None:
        """Run one frame's worth of time steps and record what the stats need."""
        s = self.system
        s.run(self.steps_per_frame)
        self.frame_number += 1
        if self.scenario == "mixing" and "partition" in self.removed:
            lx = s.box[0]
            self.history["time"].append(s.time - self.history["t0"])
            self.history["amplitude"].append(obs.first_mode_amplitude(s.pos[:, 0], s.labels == 0, lx))
        elif self.scenario == "reverse_osmosis":
            if self.solvent_pressure is None:
                self.held_forces.append(s.take_wall_force())
                if s.step >= self.hold_steps:
                    forces = np.array(self.held_forces[len(self.held_forces) // 3:])
                    k_left = s.wall_index(self.left)
                    self.solvent_pressure = float(np.mean(-forces[:, k_left]) / self.ly)
                    self.history = {"time": [], "solvent_in_solution": [], "t0": s.time}
                    self._push_pistons()
            else:
                walls = s.wall_positions
                solvent_right = np.count_nonzero((s.labels == 0) & (s.pos[:, 0] > walls[s.wall_index(self.membrane)]))
                self.history["time"].append(s.time - self.history["t0"])
                self.history["solvent_in_solution"].append(int(solvent_right))
        elif self.scenario == "osmosis":
            force = s.take_wall_force()[s.wall_index(self.membrane)]
            forces = self.history.setdefault("force", [])
            forces.append(float(force))

    def _osmotic_pressure_vh(self) -> float:
        """Van 't Hoff n k T of the solution compartment as it is now [epsilon/sigma^2]."""
        s = self.system
        walls = s.wall_positions
        area = (walls[s.wall_index(self.right)] - walls[s.wall_index(self.membrane)]) * self.ly
        return float(theory.van_t_hoff(self.n_solute / area, s.temperature))

    def _push_pistons(self) -> None:
        if self.solvent_pressure is None:
            return
        s = self.system
        self.applied_pressure = self.pressure_ratio * self._osmotic_pressure_vh()
        s.set_piston(self.left, PISTON_MASS, self.solvent_pressure * self.ly, PISTON_DAMPING)
        s.set_piston(self.right, PISTON_MASS, -(self.solvent_pressure + self.applied_pressure) * self.ly,
                     PISTON_DAMPING)

    # ------------------------------------------------------------------ reports
    def setup(self) -> dict:
        """The page's description of the scenario: box, species, walls."""
        s = self.system
        return {
            "type": "setup", "scenario": self.scenario, "description": SCENARIOS[self.scenario],
            "box": [float(b) for b in s.box], "particles": int(s.n),
            "species": [{"name": sp.name, "diameter": sp.diameter} for sp in s.species],
            "walls": [{"name": w.name, "kind": w.kind, "piston": "piston" in w.name} for w in self.walls],
            "params": self.params, "units": "reduced LJ units: sigma, epsilon, tau; k_B = 1",
        }

    def frame(self) -> bytes:
        """The current picture as a binary frame (see the module docstring)."""
        s = self.system
        walls = s.wall_positions.astype(np.float32)
        for k, w in enumerate(self.walls):
            if w.name in self.removed:
                walls[k] = np.nan
        return encode_frame(self.frame_number, s.time, walls, s.pos[:, :2], s.labels)

    def stats(self) -> dict:
        """The scenario's measured numbers against theory (reduced units)."""
        s = self.system
        out = {"type": "stats", "time": float(s.time), "temperature": float(s.instantaneous_temperature()),
               "set_temperature": float(s.temperature), "frame": self.frame_number}
        getattr(self, f"_stats_{self.scenario}")(out)
        return out

    def _stats_mixing(self, out):
        s = self.system
        lx = s.box[0]
        out["degree_of_mixing"] = obs.degree_of_mixing(obs.slab_counts(s.pos[:, 0], s.labels, 2, lx))
        out["D_theory"] = _mixing_theory(float(s.temperature), self.density, tuple(s.box))
        out["partition"] = "removed" if "partition" in self.removed else "in place"
        out["D_measured"] = None
        if "partition" in self.removed and len(self.history["time"]) >= 8:
            out["time_since_removal"] = self.history["time"][-1]
            with contextlib.suppress(InputError, ValueError, np.linalg.LinAlgError):
                d, err = obs.diffusivity_from_mode_decay(self.history["time"], self.history["amplitude"], lx)
                out["D_measured"], out["D_measured_rel_error"] = float(d), float(err)
        return out

    def _stats_osmosis(self, out):
        s = self.system
        forces = self.history.get("force", [])
        ly = s.box[1]
        if forces:
            # skip the start (the solute reaches the membrane): the first 10 tau at least
            recent = forces[max(len(forces) // 5, 20):] or forces[-1:]
            out["osmotic_pressure_measured"] = obs.wall_pressure(np.mean(recent), ly)
        density = self.n_solute / self.solute_area
        out["osmotic_pressure_van_t_hoff"] = float(theory.van_t_hoff(density, s.temperature))
        out["osmotic_pressure_virial"] = float(theory.osmotic_pressure_virial(
            density, s.temperature, _second_virial_2d(float(s.temperature), self.solute_diameter)))
        half = s.box[0] / 2
        solvent = s.labels == 0
        out["solvent_left"] = int(np.count_nonzero(solvent & (s.pos[:, 0] < half)))
        out["solvent_right"] = int(np.count_nonzero(solvent & (s.pos[:, 0] >= half)))
        out["solute_right"] = int(np.count_nonzero(~solvent & (s.pos[:, 0] >= half)))
        out["solute_total"] = self.n_solute

    def _stats_reverse_osmosis(self, out):
        out["osmotic_pressure_van_t_hoff"] = self._osmotic_pressure_vh()
        out["pressure_ratio"] = self.pressure_ratio
        if self.solvent_pressure is None:
            out["phase"] = "pistons held: measuring the solvent pressure"
            return
        out["phase"] = "pistons free"
        out["applied_pressure"] = self.applied_pressure
        h = self.history
        if h["solvent_in_solution"]:
            out["solvent_in_solution"] = h["solvent_in_solution"][-1]
        if len(h["time"]) >= 10:
            window = slice(-min(len(h["time"]), 120), None)
            with contextlib.suppress(InputError, ValueError, np.linalg.LinAlgError):
                out["solvent_flux"] = obs.flux_from_counts(h["time"][window], h["solvent_in_solution"][window], self.ly)
                out["flow"] = "osmosis: into the solution" if out["solvent_flux"] > 0 else \
                    "reverse osmosis: out of the solution"

    def _stats_sieving(self, out):
        s = self.system
        half = s.box[0] / 2
        right = s.pos[:, 0] > half
        out["pore_diameter"] = self.pore
        out["crossed_fraction"] = {sp.name: float(np.count_nonzero(right & (s.labels == k)) / np.count_nonzero(s.labels == k))
                                   for k, sp in enumerate(s.species)}
        out["diameter"] = {sp.name: sp.diameter for sp in s.species}


@functools.lru_cache(maxsize=64)
def _mixing_theory(kT: float, density: float, box: tuple) -> float:
    """Chapman-Enskog interdiffusion coefficient of the mixing box [sigma^2/tau]."""
    return Mixing(kT=kT, number_density=density, box=box).theory()[0]


@functools.lru_cache(maxsize=64)
def _second_virial_2d(kT: float, diameter: float) -> float:
    """B2 of WCA discs of ``diameter`` at ``kT`` [sigma^2] (the solute-solute correction)."""
    return theory.second_virial(kT, lambda r: theory.pair_potential(r / diameter, "wca"), dim=2,
                                r_max=3.0 * diameter)


# ---------------------------------------------------------------------- the WebSocket
class _Session:
    """A connection's state: the scenario, play/pause and the task that streams frames."""

    #: Sessions open now (each holds a simulation); back to 0 once every client has left.
    active = 0

    def __init__(self, websocket: WebSocket, max_particles: int):
        self.ws = websocket
        self.max_particles = max_particles
        self.room: Classroom | None = None
        self.playing = asyncio.Event()
        self.lock = asyncio.Lock()

    async def send_error(self, message: str) -> None:
        await self.ws.send_json({"type": "error", "detail": message})

    async def start(self, params: dict) -> None:
        async with self.lock:
            self.room = await asyncio.to_thread(Classroom.build, params, self.max_particles)
        await self.ws.send_json(self.room.setup())
        await self.ws.send_bytes(self.room.frame())
        self.playing.set()

    async def handle(self, message: dict) -> None:
        kind = message.get("type")
        if kind not in MESSAGES:
            await self.send_error(f"unknown message type {kind!r}; use {', '.join(MESSAGES)}")
        elif kind == "start":
            await self.start(message)
        elif kind == "reset":
            if self.room is not None:
                await self.start(self.room.params)
        elif kind == "play":
            self.playing.set()
        elif kind == "pause":
            self.playing.clear()
        elif kind == "ping":
            await self.ws.send_json({"type": "pong", "frame": self.room.frame_number if self.room else 0})
        elif self.room is None:
            await self.send_error(f"{kind!r} needs a scenario: send a 'start' message first")
        elif kind == "remove_partition":
            self.room.remove_partition()
        else:  # set
            self.room.set(message)

    async def stream(self) -> None:
        """Step and send frames while playing, at most FRAME_RATE a second."""
        period = 1.0 / FRAME_RATE
        while True:
            await self.playing.wait()
            started = time.perf_counter()
            async with self.lock:
                room = self.room
                if room is None:
                    self.playing.clear()
                    continue
                try:
                    await asyncio.to_thread(room.advance)
                except InputError as exc:
                    self.playing.clear()
                    await self.send_error(str(exc))
                    continue
                frame = room.frame()
                stats = room.stats() if room.frame_number % STATS_EVERY == 1 else None
            await self.ws.send_bytes(frame)
            if stats is not None:
                await self.ws.send_json(stats)
            await asyncio.sleep(max(period - (time.perf_counter() - started), 0.0))


@router.websocket("/ws/classroom")
async def classroom(websocket: WebSocket) -> None:
    """Live particle scenarios for the classroom page (protocol in the module docstring)."""
    settings = websocket.app.state.settings
    await websocket.accept()
    if not token_ok(settings, presented_token(websocket.headers, websocket.cookies,
                                              websocket.query_params)):
        await websocket.close(code=1008, reason="missing or wrong token")
        return
    session = _Session(websocket, settings.max_particles)
    streamer = asyncio.create_task(session.stream())
    _Session.active += 1
    try:
        while True:
            message = await websocket.receive_json()
            if not isinstance(message, dict):
                await session.send_error("messages must be JSON objects with a 'type'")
                continue
            try:
                await session.handle(message)
            except InputError as exc:
                await session.send_error(str(exc))
    except (WebSocketDisconnect, RuntimeError):
        pass
    except ValueError:  # not JSON
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close(code=1003, reason="messages must be JSON")
    finally:
        streamer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await streamer
        session.room = None  # the particle system goes with the connection
        _Session.active -= 1
