"""Plots and animations of the particle scenarios (matplotlib, Agg backend; GIF via Pillow)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np

from ..errors import InputError

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def _figure(nrows=1, ncols=2, size=(10, 4)):
    import matplotlib  # lazy: matplotlib only when plotting

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # lazy: matplotlib only when plotting

    fig, axes = plt.subplots(nrows, ncols, figsize=size)
    return fig, np.atleast_1d(axes).ravel()


def _finish(fig, path):
    if path is not None:
        fig.tight_layout()
        fig.savefig(path, dpi=90)
    return fig


def plot_mixing(result, path=None):
    """Left: first-mode decay vs Fick with D_theory; right: concentration profiles."""
    ts = result.timeseries
    fig, (ax1, ax2) = _figure()
    lx = result.box[0]
    a0 = ts["mode_amplitude"].iloc[0]
    ax1.semilogy(ts["time"], ts["mode_amplitude"] / a0, ".", ms=3, label="particles")
    t = ts["time"].to_numpy()
    ax1.semilogy(t, np.exp(-math.pi**2 * result.D_theory * t / lx**2), "-", label="Fick, D Chapman-Enskog")
    ax1.semilogy(t, np.exp(-math.pi**2 * result.D_measured * t / lx**2), "--", label="Fick, D fitted")
    ax1.set_ylim(0.03, 1.5)
    ax1.set_xlabel("time after removal [tau]")
    ax1.set_ylabel("first-mode amplitude a(t)/a(0)")
    ax1.set_title(f"D measured / Chapman-Enskog = {result.ratio:.3f}")
    ax1.legend(fontsize=8)
    ax1b = ax1.twinx()
    ax1b.plot(ts["time"], ts["degree_of_mixing"], color="grey", lw=1)
    ax1b.set_ylabel("degree of mixing [-]", color="grey")
    ax1b.set_ylim(0, 1.05)
    for k, (time, grp) in enumerate(result.profiles.groupby("time")):
        c = grp["n_A"] / (grp["n_A"] + grp["n_B"]).replace(0, np.nan)
        ax2.plot(grp["x"], c, "o-", ms=3, color=f"C{k}", label=f"t = {time:.0f}")
    ax2.set_xlabel("x [sigma]")
    ax2.set_ylabel("mole fraction of A")
    ax2.set_ylim(-0.05, 1.05)
    ax2.legend(fontsize=8)
    return _finish(fig, path)


def plot_temperature_scan(table, path=None):
    """D measured and Chapman-Enskog against temperature (kelvin for real molecules, else kT)."""
    fig, (ax,) = _figure(1, 1, (5, 4))
    column, label = ("temperature_K", "temperature [K]") if "temperature_K" in table else ("kT", "k T / epsilon")
    ax.plot(table[column], table["D_measured"], "o", label="particles")
    ax.plot(table[column], table["D_theory"], "-", label="Chapman-Enskog")
    ax.set_xlabel(label)
    ax.set_ylabel("interdiffusion coefficient")
    ax.legend()
    return _finish(fig, path)


def plot_sieving(result, path=None):
    """Fraction of each species past the pore membrane against time."""
    fig, (ax,) = _figure(1, 1, (6, 4))
    for name in result.table["species"]:
        ax.plot(result.timeseries["time"], result.timeseries[name], label=name)
    ax.set_xlabel("time [tau]")
    ax.set_ylabel("fraction past the membrane")
    ax.set_title(f"pores of {result.pore_diameter:g} water diameters")
    ax.legend(fontsize=8)
    return _finish(fig, path)


def plot_osmosis(result, path=None):
    """Left: running osmotic pressure vs van 't Hoff; right: solute density profile."""
    ts = result.timeseries
    fig, (ax1, ax2) = _figure()
    running = ts["osmotic_pressure"].expanding().mean()
    ax1.plot(ts["time"], ts["osmotic_pressure"], ".", ms=2, alpha=0.4, label="wall force / area")
    ax1.plot(ts["time"], running, "-", label="running mean")
    ax1.axhline(result.osmotic_pressure_van_t_hoff, color="k", ls="--", label="van 't Hoff n k T")
    ax1.axhline(result.osmotic_pressure_virial, color="grey", ls=":", label="n k T (1 + B2 n)")
    ax1.set_xlabel("time [tau]")
    ax1.set_ylabel("osmotic pressure [epsilon/sigma^3]")
    ax1.set_title(f"measured / van 't Hoff = {result.ratio:.3f}")
    ax1.legend(fontsize=8)
    ax2.plot(result.profile["x"], result.profile["solute_density"], "-")
    for x in result.compartment:
        ax2.axvline(x, color="k", lw=1)
    ax2.set_xlabel("x [sigma]")
    ax2.set_ylabel("solute density [1/sigma^3]")
    return _finish(fig, path)


def plot_membrane_cell(result, path=None):
    """Solvent count on the solution side and piston positions against time."""
    ts = result.timeseries
    fig, (ax1, ax2) = _figure()
    ax1.plot(ts["time"], ts["solvent_in_solution"], "-")
    ax1.set_xlabel("time [tau]")
    ax1.set_ylabel("solvent particles on the solution side")
    ax1.set_title(f"dP/Pi = {result.pressure_ratio:.2f}, flux = {result.solvent_flux:.3g}")
    ax2.plot(ts["time"], ts["left_piston"], label="solvent piston")
    ax2.plot(ts["time"], ts["right_piston"], label="solution piston")
    ax2.axhline(result.membrane, color="k", ls="--", label="membrane")
    ax2.set_xlabel("time [tau]")
    ax2.set_ylabel("x [sigma]")
    ax2.legend(fontsize=8)
    return _finish(fig, path)


def plot_sweep(table, path=None):
    """Solvent flux against applied pressure / osmotic pressure."""
    fig, (ax,) = _figure(1, 1, (5, 4))
    ax.errorbar(table["pressure_ratio"], table["solvent_flux"], yerr=table["solvent_flux_std_error"], fmt="o-")
    ax.axhline(0, color="k", lw=1)
    ax.axvline(1, color="grey", ls="--")
    ax.set_xlabel("applied pressure / van 't Hoff osmotic pressure")
    ax.set_ylabel("solvent flux into the solution [1/(sigma^2 tau)]")
    return _finish(fig, path)


def animate(result, path, fps=15, names=None):
    """Write the recorded frames of a run as a GIF (Pillow) or MP4 (ffmpeg) file.

    The scenario must have been run with ``animate_frames`` > 0. Shows x-y positions
    (3-D runs are projected), species by colour and walls as vertical lines.
    """
    frames = getattr(result, "frames", None)
    if frames is None or not frames.frames:
        raise InputError("no frames were recorded; run the scenario with animate_frames > 0")
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".gif", ".mp4"):
        raise InputError(f"animation file must end in .gif or .mp4, got {path.name!r}")
    if suffix == ".mp4" and shutil.which("ffmpeg") is None:
        raise InputError("writing .mp4 needs ffmpeg on the PATH; use a .gif file instead")
    import matplotlib  # lazy: matplotlib only when plotting

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # lazy: matplotlib only when plotting
    from matplotlib import animation  # lazy: matplotlib only when plotting

    box = result.box
    fig, ax = plt.subplots(figsize=(8, max(2.5, 8 * box[1] / box[0] + 0.8)))
    ax.set_xlim(0, box[0])
    ax.set_ylim(0, box[1])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    nspecies = int(max(lab.max() for _t, _p, lab in frames.frames)) + 1
    diameters = np.ones(nspecies)
    table = getattr(result, "table", None)
    if table is not None and "diameter" in getattr(table, "columns", ()):
        diameters[: len(table)] = table["diameter"].to_numpy()
    for k, sp in enumerate(getattr(result, "species", None) or []):
        if k < nspecies and hasattr(sp, "diameter"):
            diameters[k] = sp.diameter
    # marker area in points^2 from the particle diameter in data units
    points_per_sigma = fig.get_figwidth() * 72.0 * 0.78 / box[0]
    scat = [ax.scatter([], [], s=max((diameters[k] * points_per_sigma) ** 2, 2.0), color=_COLOURS[k % len(_COLOURS)],
                       label=(names[k] if names else None)) for k in range(nspecies)]
    lines = [ax.axvline(x, color="k", lw=1.5) for x in frames.walls[0] if np.isfinite(x)]
    title = ax.set_title("")
    if names:
        ax.legend(loc="upper right", fontsize=7)

    def update(k):
        time, pos, lab = frames.frames[k]
        for s, sc in enumerate(scat):
            sc.set_offsets(pos[lab == s])
        for line, x in zip(lines, frames.walls[k], strict=False):
            line.set_xdata([x, x])
        title.set_text(f"t = {time:.1f} tau")
        return [*scat, *lines, title]

    anim = animation.FuncAnimation(fig, update, frames=len(frames.frames), blit=False)
    writer = animation.PillowWriter(fps=fps) if suffix == ".gif" else animation.FFMpegWriter(fps=fps)
    anim.save(str(path), writer=writer)
    plt.close(fig)
    return path
