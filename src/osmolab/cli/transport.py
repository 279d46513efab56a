"""CLI: ``osmolab diffusion gas|box|liquid``, ``osmolab osmometer`` and ``osmolab cell``.

Interfaces only translate: parse the user's strings, call the library, format the output.
"""

from __future__ import annotations

import typer

from ._common import (
    PRESSURE_HELP,
    TEMPERATURE_HELP,
    check_plot,
    command,
    print_json,
    print_table,
)

diffusion_app = typer.Typer(
    help="Diffusion coefficients of gases and liquids; interdiffusion in a closed box.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(diffusion_app, name="diffusion")
    app.command("osmometer", help="Two compartments, a membrane and a rising liquid column.")(
        osmometer
    )
    app.command("cell", help="What a solution does to a living cell (swells, lyses, shrinks).")(
        cell
    )


class _Warnings:
    """Collect warnings of a command; report each once as one 'warning:' line on stderr."""

    def __enter__(self):
        import warnings

        self._context = warnings.catch_warnings(record=True)
        self.records = self._context.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc):
        self._context.__exit__(*exc)
        return False

    @property
    def messages(self):
        return list(dict.fromkeys(str(w.message) for w in self.records))

    def echo(self):
        for message in self.messages:
            typer.echo(f"warning: {' '.join(message.split())}", err=True)


# --------------------------------------------------------------------------------------
# diffusion gas
# --------------------------------------------------------------------------------------


@diffusion_app.command("gas")
@command
def gas(
    gas_a: str = typer.Argument(..., help="First gas (name or formula, e.g. N2, air, H2O)."),
    gas_b: str = typer.Argument(..., help="Second gas."),
    temperature: str = typer.Option("25", "--temperature", "-T",
                                    help=f"Temperature ({TEMPERATURE_HELP})."),
    pressure: str = typer.Option("1 atm", "--pressure", "-P",
                                 help=f"Absolute pressure ({PRESSURE_HELP})."),
    method: str = typer.Option("chapman-enskog", "--method",
                               help="chapman-enskog or fuller."),
    lj_set: str = typer.Option("preferred", "--lj-set",
                               help="Lennard-Jones set: preferred (BSL/Svehla) or svehla."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Binary diffusion coefficient of two gases at low density."""
    from ..transport import gas as gasmod
    from ..units import parse_pressure, parse_temperature

    T = parse_temperature(temperature)
    P = parse_pressure(pressure)
    method_key = gasmod._method(method)
    with _Warnings() as caught:
        d = float(gasmod.gas_diffusivity(gas_a, gas_b, T, P, method=method_key, lj_set=lj_set))
    caught.echo()
    a, b = gasmod.gas(gas_a), gasmod.gas(gas_b)
    data = {
        "gas_a": a.name,
        "gas_b": b.name,
        "D_cm2_s": d * 1e4,
        "D_m2_s": d,
        "method": method_key,
        "temperature_K": T,
        "pressure_Pa": P,
    }
    if method_key == "chapman-enskog":
        data["lj_parameters"] = ("svehla" if lj_set.lower() == "svehla"
                                 else f"{a.lj_source}/{b.lj_source}")
    data["warnings"] = caught.messages
    if json_output:
        print_json(data)
    else:
        typer.echo(f"D({a.name}-{b.name}) = {d * 1e4:.4g} cm^2/s at {T:.2f} K, "
                   f"{P / 1e5:.4g} bar ({method_key})")


# --------------------------------------------------------------------------------------
# diffusion box
# --------------------------------------------------------------------------------------


@diffusion_app.command("box")
@command
def box(
    gases: tuple[str, str] = typer.Option(("N2", "O2"), "--gases",
                                          help="The two gases, left and right of the partition."),
    length: str = typer.Option("0.1 m", "--length", help="Box length (bare number = m)."),
    temperature: str = typer.Option("25", "--temperature", "-T",
                                    help=f"Temperature ({TEMPERATURE_HELP})."),
    pressure: str = typer.Option("1 atm", "--pressure", "-P",
                                 help=f"Absolute pressure ({PRESSURE_HELP})."),
    method: str = typer.Option("chapman-enskog", "--method", help="chapman-enskog or fuller."),
    partition: float = typer.Option(0.5, "--partition",
                                    help="Partition position as a fraction of the length."),
    mixing: float = typer.Option(0.99, "--mixing",
                                 help="Degree of mixing to reach (0.99 = within 1 %)."),
    cells: int = typer.Option(200, "--cells", help="Finite-volume cells for the check."),
    plot: str = typer.Option(None, "--plot", help="Write profile plots to this PNG."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Remove the partition between two gases: time to mix, exact and finite-volume."""
    import numpy as np

    from ..errors import InputError
    from ..transport import fick
    from ..transport import gas as gasmod
    from ..units import parse_pressure, parse_quantity, parse_temperature

    T = parse_temperature(temperature)
    P = parse_pressure(pressure)
    L = parse_quantity(length, "length", default_unit="m")
    if L <= 0:
        raise InputError(f"length must be positive, got {length!r}")
    # the library checks these too; here the message names the option
    if not fick.CELLS_RANGE[0] <= cells <= fick.CELLS_RANGE[1]:
        raise InputError(f"--cells must lie between {fick.CELLS_RANGE[0]} and "
                         f"{fick.CELLS_RANGE[1]}, got {cells}")
    method_key = gasmod._method(method)
    with _Warnings() as caught:
        D = float(gasmod.gas_diffusivity(gases[0], gases[1], T, P, method=method_key))
    caught.echo()
    check = fick.closed_box_comparison(L, D, partition=partition, mixing=mixing, n_cells=cells)
    t_mix, t_fv, result = check.mixing_time, check.mixing_time_fv, check.run
    z = result.centers[0]
    data = {
        "gases": list(gases),
        "D_cm2_s": D * 1e4,
        "method": method_key,
        "temperature_K": T,
        "pressure_Pa": P,
        "length_m": L,
        "partition": partition,
        "mixing": mixing,
        "mixing_time_s": t_mix,
        "mixing_time_fv_s": t_fv,
        "time_constant_s": check.time_constant,
        "fv_max_error_vs_exact": check.max_error,
        "fv_mass_drift": check.mass_drift,
        "warnings": caught.messages,
    }
    if plot:
        path = check_plot(plot)
        import matplotlib.pyplot as plt

        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
        for frac in (0.0, 0.02, 0.1, 0.3, 1.0):
            t = frac * t_mix
            i = int(np.argmin(np.abs(result.times - t)))
            ax1.plot(z * 100, result.fields[i], label=f"t = {result.times[i]:.3g} s")
        zz = np.linspace(0, L, 400)
        ax1.plot(zz * 100, check.exact(zz, result.times[-1]), "k:",
                 label="exact (last)")
        ax1.set_xlabel("position z [cm]")
        ax1.set_ylabel(f"mole fraction of {gases[0]}")
        ax1.legend(fontsize=8)
        ax2.semilogy(result.times, np.maximum(1 - result.mixing, 1e-6))
        ax2.axhline(1 - mixing, color="k", ls="--", lw=0.8)
        ax2.axvline(t_mix, color="r", ls=":", lw=0.8)
        ax2.set_xlabel("time [s]")
        ax2.set_ylabel("1 - degree of mixing")
        fig.suptitle(f"{gases[0]}-{gases[1]}, L = {L:g} m, D = {D * 1e4:.3g} cm$^2$/s")
        fig.tight_layout()
        fig.savefig(path, dpi=90)
        plt.close(fig)
        data["plot"] = str(path)
    if json_output:
        print_json(data)
    else:
        typer.echo(f"{gases[0]}-{gases[1]}: D = {D * 1e4:.4g} cm^2/s; box {L:g} m mixes to "
                   f"{mixing:.0%} in {t_mix:.4g} s (finite volume: "
                   + (f"{t_fv:.4g} s)" if np.isfinite(t_fv) else "not reached in the run)"))


# --------------------------------------------------------------------------------------
# diffusion liquid
# --------------------------------------------------------------------------------------


@diffusion_app.command("liquid")
@command
def liquid(
    solute: str = typer.Argument(..., help="Ion, neutral species or salt (Na+, urea, NaCl)."),
    temperature: str = typer.Option("25", "--temperature", "-T",
                                    help=f"Temperature ({TEMPERATURE_HELP})."),
    molality: float = typer.Option(0.0, "--molality",
                                   help="Salt molality [mol/kg] (NaCl: measured dependence)."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Diffusion coefficient of an ion, a neutral solute or a salt in water."""
    from ..transport.liquid import diffusivity_in_water
    from ..units import parse_temperature

    T = parse_temperature(temperature)
    found = diffusivity_in_water(solute, T, molality=molality)
    name, kind, d, model = found["solute"], found["kind"], found["D_m2_s"], found["model"]
    data = {"solute": name, "kind": kind, "D_m2_s": d, "D_cm2_s": d * 1e4, "model": model,
            "temperature_K": T}
    if json_output:
        print_json(data)
    else:
        typer.echo(f"D({name}) = {d:.4g} m^2/s at {T:.2f} K ({model})")


# --------------------------------------------------------------------------------------
# osmometer
# --------------------------------------------------------------------------------------


def _solute_items(text):
    """'sucrose 10 mmol/L, NaCl 5 mmol/L' -> [(name, mol/m^3)]."""
    from ..errors import InputError
    from ..thermo.species import resolve
    from ..units import parse_quantity

    items = []
    if not text or not text.strip():
        return items
    for part in text.split(","):
        bits = part.strip().split(None, 1)
        if len(bits) != 2:
            raise InputError(f"cannot read {part.strip()!r}; write '<solute> <concentration>', "
                             "e.g. 'sucrose 10 mmol/L'")
        name, amount = bits
        if name.strip().lower() == "seawater":
            raise InputError("the osmometer takes species and salts, not 'seawater'; give its "
                             "main salt instead, e.g. 'NaCl 0.55 mol/L'")
        _, name = resolve(name)  # unknown names: InputError with the nearest names
        amount = amount.strip()
        try:
            value = parse_quantity(amount, "molar_concentration", default_unit="mol/L")
        except InputError:
            raise InputError(
                f"cannot read {part.strip()!r}: the osmometer takes molar concentrations, "
                "e.g. '10 mmol/L', '0.1 mol/L' or '0.1 M'"
            ) from None
        if value < 0:
            raise InputError(f"negative concentration in {part.strip()!r}")
        items.append((name, value))
    merged: dict = {}
    for name, value in items:  # a repeated solute adds up (as in solution strings)
        merged[name] = merged.get(name, 0.0) + value
    return list(merged.items())


@command
def osmometer(
    solution: str = typer.Option("sucrose 10 mmol/L", "--solution",
                                 help="Inner solution (rises in the capillary)."),
    outside: str = typer.Option("", "--outside", help="Outer bath (default pure water)."),
    sigma: float = typer.Option(1.0, "--sigma", help="Reflection coefficient of the solutes."),
    permeability: float = typer.Option(0.0, "--permeability",
                                       help="Solute permeability P_s = omega R T [m/s]."),
    lp: float = typer.Option(6e-12, "--lp", help="Hydraulic permeability L_p [m/(s Pa)]."),
    membrane_area: str = typer.Option("10 cm2", "--membrane-area", help="Membrane area."),
    volume: str = typer.Option("10 mL", "--volume", help="Inner volume (bare number = m^3)."),
    outer_volume: str = typer.Option(None, "--outer-volume",
                                     help="Outer volume (default: infinite bath; bare number = "
                                          "m^3)."),
    capillary_diameter: str = typer.Option("1 mm", "--capillary-diameter",
                                           help="Bore of the riser; 0 = no riser."),
    applied_pressure: str = typer.Option("0", "--applied-pressure",
                                         help="Pressure applied to the solution, gauge (RO) "
                                              f"({PRESSURE_HELP})."),
    temperature: str = typer.Option("25", "--temperature", "-T",
                                    help=f"Temperature ({TEMPERATURE_HELP})."),
    osmotic_model: str = typer.Option("van-t-hoff", "--osmotic-model",
                                      help="van-t-hoff or thermo."),
    plot: str = typer.Option(None, "--plot", help="Write height/volume vs time to this PNG."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Integrate a membrane osmometer to equilibrium (or reverse osmosis under pressure)."""
    from ..errors import InputError
    from ..osmosis.osmometer import (
        Osmometer,
        Solute,
        capillary_area,
        solute_permeability_coefficient,
    )
    from ..units import parse_pressure, parse_quantity, parse_temperature, parse_volume

    T = parse_temperature(temperature)
    inner = dict(_solute_items(solution))
    outer = dict(_solute_items(outside))
    if not inner and not outer:
        raise InputError("give a solution, e.g. --solution 'sucrose 10 mmol/L'")
    omega = solute_permeability_coefficient(permeability, T)
    solutes = [Solute(name, inner=inner.get(name, 0.0), outer=outer.get(name, 0.0),
                      reflection=sigma, permeability=float(omega))
               for name in dict.fromkeys([*inner, *outer])]
    cap_area = capillary_area(parse_quantity(capillary_diameter, "length", default_unit="m"))
    outer_v = parse_volume(outer_volume) if outer_volume else None
    system = Osmometer(
        solutes=solutes,
        inner_volume=parse_volume(volume),
        outer_volume=outer_v,
        membrane_area=parse_quantity(membrane_area, "area", default_unit="m**2"),
        hydraulic_permeability=lp,
        capillary_area=cap_area,
        applied_pressure=parse_pressure(applied_pressure),
        temperature=T,
        osmotic_model=osmotic_model,
    )
    result = system.run()
    data = {
        "solution": solution,
        "outside": outside or "water",
        "temperature_K": T,
        "osmotic_model": system.osmotic_model,
        **result.summary(),
    }
    if plot:
        path = check_plot(plot)
        import matplotlib.pyplot as plt

        hours = result.times / 3600.0
        shown = hours <= max(3.0 * result.time_to_equilibrium / 3600.0, hours[1])
        if result.time_to_equilibrium <= 0 or shown.sum() < 10:
            shown = hours >= 0
        fig, ax1 = plt.subplots(figsize=(7, 4))
        if cap_area is not None:
            ax1.plot(hours[shown], result.height[shown], label="column height")
            ax1.set_ylabel("height of the column [m]")
        else:
            ax1.plot(hours[shown], result.inner_volume[shown] * 1e6, label="inner volume")
            ax1.set_ylabel("inner volume [mL]")
        ax1.set_xlabel("time [h]")
        ax2 = ax1.twinx()
        ax2.plot(hours[shown], result.effective_delta_pi[shown] / 1e5, "C1--",
                 label="effective Δπ")
        ax2.plot(hours[shown], result.delta_pressure[shown] / 1e5, "C2:", label="ΔP")
        ax2.set_ylabel("pressure [bar]")
        fig.legend(loc="center right", fontsize=8, bbox_to_anchor=(0.85, 0.5))
        ax1.set_title(f"osmometer: {solution} vs {outside or 'water'}")
        fig.tight_layout()
        fig.savefig(path, dpi=90)
        plt.close(fig)
        data["plot"] = str(path)
    if json_output:
        print_json(data)
    else:
        print_table("osmometer", [{"quantity": k, "value": v} for k, v in data.items()
                                  if not isinstance(v, list)])


# --------------------------------------------------------------------------------------
# cell
# --------------------------------------------------------------------------------------


@command
def cell(
    medium: str = typer.Argument("NaCl 0.9 %", help="Medium, e.g. 'NaCl 0.45 %' or "
                                 "'NaCl 0.9 %, glycerol 1 mol/kg' or 'urea 290 mmol/kg'."),
    cell_name: str = typer.Option("red-blood-cell", "--cell", help="Cell type."),
    temperature: str = typer.Option("25", "--temperature", "-T",
                                    help=f"Temperature ({TEMPERATURE_HELP})."),
    plot: str = typer.Option(None, "--plot", help="Write V(t) to this PNG."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Put a cell into a medium: tonicity, equilibrium volume, lysis, time course."""
    from ..osmosis.cell import cell_type, simulate_cell
    from ..units import parse_temperature

    T = parse_temperature(temperature)
    kind = cell_type(cell_name)
    from ..osmosis.cell import medium_from_text, medium_tonicity

    osmolalities, solution, notes = medium_from_text(medium, kind, T)
    tonicity, effective = medium_tonicity(solution, osmolalities, kind)
    result = simulate_cell(osmolalities, kind, temperature=T)
    data = {
        "medium": medium,
        "cell": kind.name,
        "tonicity": tonicity,
        "effective_osmolality_osmol_kg": effective,
        "total_osmolality_osmol_kg": float(sum(osmolalities.values())),
        **result.summary(),
        "notes": notes,
    }
    if plot:
        path = check_plot(plot)
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(result.times, result.volume_ratio, label="V / V_iso")
        ax.axhline(result.critical_volume_ratio, color="r", ls="--", lw=0.8, label="lysis")
        ax.axhline(1.0, color="k", ls=":", lw=0.8)
        ax.set_xscale("symlog", linthresh=max(result.times[1], 1e-6))
        ax.set_xlabel("time [s]")
        ax.set_ylabel("V / V_iso")
        ax.set_title(f"{kind.name} in {medium}: {result.outcome}")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(path, dpi=90)
        plt.close(fig)
        data["plot"] = str(path)
    if json_output:
        print_json(data)
    else:
        typer.echo(
            f"{kind.name} in {medium}: {tonicity}; {result.outcome}; V/V_iso = "
            f"{result.equilibrium_volume_ratio:.3g} after {result.time_to_equilibrium:.3g} s"
            + (" (lysed)" if result.lyses else "")
        )
