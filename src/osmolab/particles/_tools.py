"""Small helpers shared by the particle scenarios (input checks, animation frames)."""

from __future__ import annotations

import numpy as np

from ..errors import InputError


def check_positive(**values):
    for name, value in values.items():
        if not (np.isfinite(value) and value > 0):
            raise InputError(f"{name} must be a positive number, got {value}")


def check_nonnegative(**values):
    for name, value in values.items():
        if isinstance(value, bool) or not (np.isfinite(value) and value >= 0):
            raise InputError(f"{name} must be a number >= 0, got {value}")


def check_dim(dim):
    if isinstance(dim, bool) or dim not in (2, 3):
        raise InputError(f"dim must be 2 or 3, got {dim}")


def check_box(box, dim=None):
    """Validate optional box lengths: finite, positive, one per dimension."""
    if box is None:
        return
    try:
        lengths = [float(b) for b in box]
    except (TypeError, ValueError):
        raise InputError(f"box must be 2 or 3 lengths, got {box!r}") from None
    if len(lengths) not in (2, 3) or (dim is not None and len(lengths) != dim):
        raise InputError(f"box needs {dim or '2 or 3'} lengths, got {tuple(box)}")
    if not all(np.isfinite(b) and 0 < b < 1e6 for b in lengths):
        raise InputError(f"box lengths must be positive numbers below 1e6 sigma, got {tuple(box)}")


def check_seed(seed):
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed must be a whole number >= 0, got {seed!r}")


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
