"""Observables of particle configurations: profiles, mixing, diffusion, wall pressure, flux.

Pure NumPy functions on positions (reduced units); the scenarios sample them over time.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError


def counts_per_half(x, labels, n_species, length):
    """Number of particles of each species in the left half (x < L/2), array (n_species,).

    Examples
    --------
    >>> counts_per_half(np.array([1.0, 3.0, 6.0]), np.array([0, 1, 0]), 2, 10.0).tolist()
    [1, 1]
    """
    left = np.asarray(x) < 0.5 * length
    return np.bincount(np.asarray(labels)[left], minlength=n_species)


def slab_counts(x, labels, n_species, length, bins=20):
    """Number of particles of each species in ``bins`` equal slabs along x, array
    (bins, n_species) (what :func:`mixing_entropy` and :func:`degree_of_mixing` read).

    Examples
    --------
    >>> slab_counts(np.array([1.0, 3.0, 6.0]), np.array([0, 1, 0]), 2, 10.0, bins=2).tolist()
    [[1.0, 1.0], [1.0, 0.0]]
    """
    slabs = np.zeros((bins, n_species))
    index = np.clip((np.asarray(x) / length * bins).astype(int), 0, bins - 1)
    np.add.at(slabs, (index, np.asarray(labels)), 1.0)
    return slabs


def concentration_profiles(x, labels, n_species, length, bins=20, cross_section=1.0, x0=0.0):
    """Number density of each species in slabs along x, array (bins, n_species) [1/sigma^dim]."""
    edges = np.linspace(x0, x0 + length, bins + 1)
    idx = np.clip(np.searchsorted(edges, np.asarray(x), side="right") - 1, 0, bins - 1)
    counts = np.zeros((bins, n_species))
    np.add.at(counts, (idx, np.asarray(labels)), 1.0)
    return counts / (cross_section * length / bins)


def mixing_entropy(counts):
    r"""Mixing entropy per particle from species counts per slab [k_B].

    .. math:: S/(N k) = -\frac{1}{N}\sum_b N_b \sum_s x_{bs} \ln x_{bs}

    Parameters
    ----------
    counts : array (bins, n_species)
        Particle numbers per slab and species.

    Examples
    --------
    >>> round(mixing_entropy(np.array([[5, 5], [5, 5]])), 4)
    0.6931
    """
    counts = np.asarray(counts, dtype=float)
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(total > 0, counts / total, 0.0)
        term = np.where(frac > 0, frac * np.log(frac), 0.0)
    return float(-(total[:, 0] * term.sum(axis=1)).sum() / max(counts.sum(), 1.0))


def degree_of_mixing(counts):
    """Mixing entropy divided by that of a uniform mixture of the same composition [-], 0..1.

    Examples
    --------
    >>> degree_of_mixing(np.array([[10, 0], [0, 10]]))
    0.0
    """
    counts = np.asarray(counts, dtype=float)
    overall = counts.sum(axis=0) / counts.sum()
    overall = overall[overall > 0]
    ideal = float(-(overall * np.log(overall)).sum())
    return mixing_entropy(counts) / ideal if ideal > 0 else 1.0


def first_mode_amplitude(x, is_a, length):
    r"""Amplitude of the first cosine mode of the composition in a closed box [-].

    .. math:: a(t) = \langle\cos(\pi x/L)\rangle_A - \langle\cos(\pi x/L)\rangle_B

    For A filling the left half and B the right half a(0) = 4/pi; in a closed box with
    no-flux walls this projection decays exactly as exp(-pi^2 D t / L^2) (Fick).

    Examples
    --------
    >>> round(first_mode_amplitude(np.array([0.0, 10.0]), np.array([True, False]), 10.0), 3)
    2.0
    """
    c = np.cos(np.pi * np.asarray(x) / length)
    is_a = np.asarray(is_a, dtype=bool)
    if is_a.all() or not is_a.any():
        return math.nan  # one species absent (a small random group): no composition mode
    return float(c[is_a].mean() - c[~is_a].mean())


def diffusivity_from_mode_decay(time, amplitude, length, lower=0.15, upper=0.85):
    r"""Interdiffusion coefficient from the decay of the first Fourier mode [sigma^2/time].

    Fits ln a(t) = ln a_0 - (pi/L)^2 D t by least squares over the samples where
    ``lower`` < a/a(0) < ``upper`` (skipping the ballistic start and the noisy tail).

    Returns
    -------
    (D, rate_error)
        The coefficient and the standard error of the fitted rate as a fraction.

    References
    ----------
    .. [1] Crank, J., 1975, The Mathematics of Diffusion, 2nd ed., Oxford, eq. 4.17.
    """
    t = np.asarray(time, dtype=float)
    a = np.asarray(amplitude, dtype=float)
    a0 = a[0]
    rel = a / a0
    sel = (rel < upper) & (rel > lower)
    # keep only the first passage through the window (noise can bring a back up)
    below = np.nonzero(rel <= lower)[0]
    if len(below):
        sel[below[0]:] = False
    if sel.sum() < 5:
        raise InputError("the composition did not decay enough to fit a diffusion coefficient; run longer")
    coef, cov = np.polyfit(t[sel], np.log(rel[sel]), 1, cov=True)
    rate = -coef[0]
    if rate <= 0:
        raise InputError("no decay of the composition difference was measured; run longer")
    return rate * (length / math.pi) ** 2, float(math.sqrt(cov[0, 0]) / rate)


def mean_squared_displacement(unwrapped, reference, axes=None):
    """Mean squared displacement over the chosen axes [sigma^2] (unwrapped coordinates)."""
    d = np.asarray(unwrapped) - np.asarray(reference)
    if axes is not None:
        d = d[:, list(axes)]
    return float(np.mean(np.sum(d * d, axis=1)))


def self_diffusion_from_msd(time, msd, n_axes, start_fraction=0.3):
    r"""Self-diffusion coefficient from the Einstein relation MSD = 2 d D t [sigma^2/time].

    Fits the slope over the last (1 - ``start_fraction``) of the run, after the ballistic
    regime.

    Examples
    --------
    >>> t = np.linspace(0, 10, 11)
    >>> round(self_diffusion_from_msd(t, 4 * 0.5 * t, 2), 3)
    0.5
    """
    t = np.asarray(time, dtype=float)
    m = np.asarray(msd, dtype=float)
    sel = t >= start_fraction * t[-1]
    if sel.sum() < 2:
        raise InputError("too few samples to fit the mean squared displacement; run longer")
    slope = np.polyfit(t[sel], m[sel], 1)[0]
    return float(slope / (2 * n_axes))


def wall_pressure(mean_force, area):
    """Pressure on a wall from the mean normal force on it [epsilon/sigma^dim].

    Examples
    --------
    >>> wall_pressure(-5.0, 100.0)
    0.05
    """
    return abs(float(mean_force)) / float(area)


def flux_from_counts(time, counts, area):
    """Particle flux [1/(sigma^(dim-1) time)]: slope of a particle count vs time over area."""
    t = np.asarray(time, dtype=float)
    c = np.asarray(counts, dtype=float)
    if len(t) < 3:
        raise InputError("too few samples to fit a flux; run longer")
    slope, _ = np.polyfit(t, c, 1)
    return float(slope / area)
