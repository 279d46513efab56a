"""Small helpers shared by the particle scenarios (input checks, animation frames)."""

from __future__ import annotations

import numpy as np

from ..errors import InputError


def check_positive(**values):
    for name, value in values.items():
        if not (np.isfinite(value) and value > 0):
            raise InputError(f"{name} must be a positive number, got {value}")


def cross_section(box):
    return float(np.prod(box[1:]))


class Frames:
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
