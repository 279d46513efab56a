"""``osmolab simulate ...``: particle simulations of mixing, osmosis and reverse osmosis.

The commands only translate options into scenario objects of :mod:`osmolab.particles`
and print their summaries; physics lives there.

Options are in reduced Lennard-Jones units (lengths in sigma, energies and k T in epsilon,
times in tau; pressures in epsilon/sigma^dim) and say "reduced" in their help. The one
physical exception, ``simulate mixing --molecules``, takes physical temperatures under the
unit rule of every entry point (bare number = degC; docs/units.md).
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import InputError
from ._common import TEMPERATURE_HELP, check_folder, check_plot, command, print_json, print_table

simulate = typer.Typer(help="Particle simulations: gases mixing, osmosis, reverse osmosis, pore sieving. "
                            "Options are in reduced Lennard-Jones units (sigma, epsilon, tau, k T/epsilon) "
                            "unless their help says physical.",
                       no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(simulate, name="simulate")


def _floats(text: str, label: str, count: int | None = None) -> list[float]:
    try:
        values = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
    except ValueError:
        raise InputError(f"{label} must be comma-separated numbers, got {text!r}") from None
    if not values:
        raise InputError(f"{label} needs at least one number, got {text!r}")
    if count is not None and len(values) != count:
        raise InputError(f"{label} needs {count} numbers, got {len(values)} in {text!r}")
    return values


def _box(text: str | None, dim: int):
    if text is None:
        return None
    values = _floats(text, "--box")
    if len(values) != dim:
        raise InputError(f"--box needs {dim} lengths for --dim {dim}, got {text!r}")
    return tuple(values)


def _check_animation(animate: Path | None, plot: Path | None = None) -> None:
    """Fail before a long run when the animation or the figure cannot be written."""
    import shutil

    check_plot(plot)
    if animate is None:
        return
    check_folder(animate, "--animate")
    suffix = Path(animate).suffix.lower()
    if suffix not in (".gif", ".mp4"):
        raise InputError(f"--animate file must end in .gif or .mp4, got {Path(animate).name!r}")
    if suffix == ".mp4" and shutil.which("ffmpeg") is None:
        raise InputError("writing .mp4 needs ffmpeg on the PATH; use a .gif file instead")


def _outputs(result, plot: Path | None, animate: Path | None, names=None) -> dict:
    from ..particles import render

    written = {}
    if plot is not None:
        result.plot(plot)
        written["plot"] = str(plot)
    if animate is not None:
        render.animate(result, animate, names=names)
        written["animation"] = str(animate)
    return written


def _show(title: str, summary: dict, json_output: bool) -> None:
    if json_output:
        print_json(summary)
        return
    rows = [{"quantity": k, "value": v} for k, v in summary.items() if not isinstance(v, (list, dict))]
    print_table(title, rows, ["quantity", "value"])


DIM = typer.Option(3, "--dim", help="2 or 3 dimensions.")
SEED = typer.Option(1, "--seed", help="Random seed (runs are reproducible).")
JSON = typer.Option(False, "--json", help="Print a JSON summary.")
PLOT = typer.Option(None, "--plot", help="Write the key figure to this PNG file.")
ANIMATE = typer.Option(None, "--animate", help="Write an animation (.gif, or .mp4 with ffmpeg).")


@simulate.command("mixing")
@command
def mixing(
    molecules: str = typer.Option(None, "--molecules", help="Two real gases, e.g. 'N2,O2' (LJ table), in physical units; default reduced-unit particles A, B."),
    temperature: str = typer.Option(None, "--temperature", help="Temperature: reduced k T/epsilon (dimensionless, default 1); with --molecules physical "
                                    f"({TEMPERATURE_HELP}; default 300 K)."),
    density: float = typer.Option(0.05, "--density", help="Total number density n sigma^dim (reduced)."),
    mass_ratio: float = typer.Option(1.0, "--mass-ratio", help="m_B / m_A (dimensionless; reduced particles)."),
    diameter_ratio: float = typer.Option(1.0, "--diameter-ratio", help="sigma_B / sigma_A (dimensionless; reduced particles)."),
    box: str = typer.Option(None, "--box", help="Box lengths 'Lx,Ly[,Lz]' in sigma (reduced; default 60,48,48 or 120,120)."),
    duration: float = typer.Option(None, "--duration", help="Time after the partition is removed in tau (reduced); default 1.6 mixing times."),
    temperature_scan: bool = typer.Option(False, "--temperature-scan", help="Repeat at several temperatures: D rises with T."),
    scan_temperatures: str = typer.Option(None, "--scan-temperatures", help="Comma-separated temperatures of the scan: reduced k T/epsilon (default 0.5,1,2,4); "
                                          f"with --molecules physical, each {TEMPERATURE_HELP} (default 0,100,200,300)."),
    dim: int = DIM, seed: int = SEED, json_output: bool = JSON, plot: Path = PLOT, animate: Path = ANIMATE,
):
    """Two gases separated by a partition mix once it is removed; D vs Chapman-Enskog."""
    from ..particles.scenarios import Mixing
    from ..particles.system import Species
    from ..units import parse_temperature

    _check_animation(animate, plot)
    if molecules:
        names = [m.strip() for m in molecules.split(",") if m.strip()]
        if len(names) != 2:
            raise InputError(f"--molecules needs two names such as 'N2,O2', got {molecules!r}")
        species = names
        t = parse_temperature("300 K" if temperature is None else temperature)
        temps = [parse_temperature(v) for v in _items("0,100,200,300" if scan_temperatures is None else scan_temperatures,
                                                      "--scan-temperatures")]
    else:
        _check_ratio(mass_ratio, "--mass-ratio")
        _check_ratio(diameter_ratio, "--diameter-ratio")
        species = (Species("A"), Species("B", mass=mass_ratio, diameter=diameter_ratio))
        t = _reduced("1" if temperature is None else temperature, "--temperature", 1,
                     _MOLECULES_HINT)[0]
        temps = _reduced("0.5,1,2,4" if scan_temperatures is None else scan_temperatures,
                         "--scan-temperatures", hint=_MOLECULES_HINT)
    given = {"temperature": t} if molecules else {"kT": t}  # kelvin for real molecules, else reduced k T
    scenario = Mixing(species=species, **given, number_density=density, box=_box(box, dim), dim=dim,
                      duration=duration, seed=seed, progress=not json_output,
                      animate_frames=80 if animate else 0)
    if temperature_scan:
        from ..particles.render import plot_temperature_scan

        scenario.animate_frames = 0
        table = scenario.temperature_scan(temperature=temps) if molecules else scenario.temperature_scan(kT=temps)
        if plot is not None:
            plot_temperature_scan(table, plot)
        if json_output:
            print_json({"units": "reduced LJ units" if not molecules else "temperature K, D in sigma^2/tau",
                        "scan": table.to_dict("records")})
        else:
            print_table("Interdiffusion against temperature", table)
        return
    result = scenario.run()
    summary = result.summary()
    summary.update(_outputs(result, plot, animate, names=[s.name for s in result.species]))
    _show("Mixing after the partition is removed (reduced units)", summary, json_output)


def _items(text: str, label: str) -> list[str]:
    items = [v.strip() for v in str(text).replace(";", ",").split(",") if v.strip()]
    if not items:
        raise InputError(f"{label} needs at least one value, got {text!r}")
    return items


_MOLECULES_HINT = "; name real gases with --molecules to give it in degC or K"


def _reduced(text: str, label: str, count: int | None = None, hint: str = "") -> list[float]:
    """Reduced temperatures k T/epsilon; a physical unit is refused (``hint`` says how)."""
    try:
        return _floats(text, label, count)
    except InputError:
        if not any(ch.isalpha() or ch in "°%" for ch in text):
            raise
        raise InputError(
            f"{label} is a reduced temperature k T/epsilon (dimensionless) for the reduced "
            f"particles, got {text!r}{hint}"
        ) from None


def _check_ratio(value, label):
    if not (value > 0 and value < 1e3):
        raise InputError(f"{label} must be a positive number, got {value}")


@simulate.command("osmosis")
@command
def osmosis(
    solute_density: float = typer.Option(None, "--solute-density", help="Solute number density in its compartment in 1/sigma^dim (reduced; default 0.015; osmometer 0.08)."),
    solvent_density: float = typer.Option(None, "--solvent-density", help="Solvent number density in 1/sigma^dim (reduced; default 0.2; osmometer 0.3)."),
    solute_diameter: float = typer.Option(1.0, "--solute-diameter", help="Solute diameter in sigma (reduced; solvent: 1)."),
    temperature: str = typer.Option("1", "--temperature", help="Temperature as k T/epsilon (reduced, dimensionless)."),
    duration: float = typer.Option(None, "--duration", help="Sampling time in tau (reduced; default 300, osmometer 400)."),
    box: str = typer.Option(None, "--box", help="Box lengths 'Lx,Ly[,Lz]' in sigma (reduced)."),
    osmometer: bool = typer.Option(False, "--osmometer", help="Osmometer: solvent flows in against a piston until equilibrium."),
    load: float = typer.Option(0.7, "--load", help="Osmometer piston pressure as a multiple of the initial van 't Hoff Pi (dimensionless ratio, reduced)."),
    dim: int = DIM, seed: int = SEED, json_output: bool = JSON, plot: Path = PLOT, animate: Path = ANIMATE,
):
    """Osmotic pressure from walls felt only by the solute vs van 't Hoff n k T."""
    from ..particles.scenarios import Osmosis, PistonOsmometer

    _check_animation(animate, plot)
    temperature = _reduced(temperature, "--temperature", 1)[0]
    if osmometer:
        scenario = PistonOsmometer(pressure_ratio=load, duration=duration or 400.0, solute_density=0.08 if solute_density is None else solute_density,
                                   solvent_density=0.3 if solvent_density is None else solvent_density, solute_diameter=solute_diameter,
                                   temperature=temperature, dim=dim, seed=seed, progress=not json_output,
                                   animate_frames=80 if animate else 0,
                                   box=_box(box, dim))
    else:
        scenario = Osmosis(solute_density=0.015 if solute_density is None else solute_density, solvent_density=0.2 if solvent_density is None else solvent_density,
                           solute_diameter=solute_diameter, temperature=temperature,
                           duration=duration or 300.0, box=_box(box, dim), dim=dim, seed=seed,
                           progress=not json_output, animate_frames=80 if animate else 0)
    result = scenario.run()
    summary = result.summary()
    summary.update(_outputs(result, plot, animate, names=["solvent", "solute"]))
    _show("Osmotic pressure (reduced units)", summary, json_output)


def _pressure(text: str):
    """'1.5x' or '1.5Pi' -> (ratio, None); '0.02' -> (None, pressure in reduced units)."""
    t = text.strip().lower().replace(" ", "")
    for suffix in ("xpi", "pi", "x", "*pi"):
        if t.endswith(suffix):
            return _floats(t[: -len(suffix)], "--pressure", 1)[0], None
    try:
        return None, _floats(t, "--pressure", 1)[0]
    except InputError:
        raise InputError(
            f"--pressure is reduced: '1.5x' (1.5 times van 't Hoff Pi) or one number in "
            f"epsilon/sigma^dim, got {text!r}"
        ) from None


@simulate.command("reverse-osmosis")
@command
def reverse_osmosis(
    pressure: str = typer.Option("1.5x", "--pressure", help="Applied pressure difference (reduced): '1.5x' = 1.5 times van 't Hoff Pi, or a number in epsilon/sigma^dim."),
    sweep: bool = typer.Option(False, "--sweep", help="Sweep the applied pressure over 0, 0.5, 1, 1.5, 2 x Pi."),
    sweep_ratios: str = typer.Option("0,0.5,1,1.5,2", "--sweep-ratios", help="Pressure ratios of the sweep (dimensionless multiples of van 't Hoff Pi, reduced)."),
    solute_density: float = typer.Option(0.08, "--solute-density", help="Solute density on the solution side in 1/sigma^dim (reduced)."),
    solvent_density: float = typer.Option(0.3, "--solvent-density", help="Solvent density in 1/sigma^dim (reduced)."),
    duration: float = typer.Option(150.0, "--duration", help="Time the pistons push in tau (reduced)."),
    box: str = typer.Option(None, "--box", help="Cross-section 'Ly[,Lz]' as 'Lx,Ly[,Lz]' (Lx is ignored) in sigma (reduced)."),
    dim: int = DIM, seed: int = SEED, json_output: bool = JSON, plot: Path = PLOT, animate: Path = ANIMATE,
):
    """A piston pushes a solution against a semi-permeable wall: solvent flux vs pressure."""
    from ..particles.render import plot_sweep
    from ..particles.scenarios import ReverseOsmosis

    _check_animation(animate, plot)
    ratio, absolute = _pressure(pressure)
    scenario = ReverseOsmosis(pressure_ratio=ratio if ratio is not None else 1.0, pressure=absolute,
                              solute_density=solute_density, solvent_density=solvent_density,
                              duration=duration, box=_box(box, dim), dim=dim, seed=seed,
                              progress=not json_output, animate_frames=80 if animate else 0)
    if sweep:
        table = scenario.sweep(_floats(sweep_ratios, "--sweep-ratios"))
        if plot is not None:
            plot_sweep(table, plot)
        if json_output:
            print_json({"units": "reduced LJ units: pressure epsilon/sigma^dim, flux 1/(sigma^(dim-1) tau), positive into the solution",
                        "sweep": table.to_dict("records")})
        else:
            print_table("Solvent flux against applied pressure (reduced units)", table)
        return
    result = scenario.run()
    summary = result.summary()
    summary.update(_outputs(result, plot, animate, names=["solvent", "solute"]))
    _show("Reverse osmosis through a semi-permeable wall (reduced units)", summary, json_output)


@simulate.command("sieving")
@command
def sieving(
    pore: float = typer.Option(1.2, "--pore", help="Pore size in sigma of water (reduced): particles wider than this cannot cross."),
    duration: float = typer.Option(100.0, "--duration", help="Simulated time in tau (reduced)."),
    dim: int = typer.Option(2, "--dim", help="2 or 3 dimensions."),
    seed: int = SEED, json_output: bool = JSON, plot: Path = PLOT, animate: Path = ANIMATE,
):
    """Size-selective membrane: water crosses, ions, urea, glucose and bacteria do not."""
    from ..particles.scenarios import Sieving

    _check_animation(animate, plot)
    result = Sieving(pore_diameter=pore, duration=duration, dim=dim, seed=seed, progress=not json_output,
                     animate_frames=80 if animate else 0).run()
    summary = result.summary()
    summary.update(_outputs(result, plot, animate, names=list(result.table["species"])))
    if json_output:
        print_json(summary)
    else:
        print_table("Fraction of each species that crossed the membrane", result.table)
