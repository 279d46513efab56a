"""Water-chemistry command: ``osmolab water`` (speciation, saturation indices, LSI, S&DSI).

Interfaces only translate: the analysis string and options are parsed, the library
(:mod:`osmolab.thermo.analysis`) speciates the water and its concentrate, and the
answer is printed as tables or JSON.
"""

from __future__ import annotations

import typer

from ._common import TEMPERATURE_HELP, command, print_json, print_table

_ANALYSIS_HELP = (
    "Water analysis: comma-separated '<ion> <amount> <unit>', e.g. 'Ca+2 82 mg/L, "
    "HCO3- 240 mg/L, SO4-2 96 mg/L, Cl- 180 mg/L, Na+ 120 mg/L, SiO2 20 mg/L, B 0.5 mg/L' "
    "(boron as B, silica as SiO2; or 'alkalinity 200 mg/L as CaCO3' / 'alkalinity 4 meq/L')."
)


def register(app: typer.Typer) -> None:
    app.command(
        "water",
        help="Speciation, saturation indices, LSI and S&DSI of a water (and its RO concentrate).",
    )(water)


@command
def water(
    analysis: str = typer.Argument(..., help=_ANALYSIS_HELP),
    ph: float = typer.Option(..., "--ph", help="pH of the water (0-14)."),
    temperature: str = typer.Option(
        "25", "--temperature", "-t", "-T", help=f"Temperature ({TEMPERATURE_HELP})."
    ),
    concentrate: float = typer.Option(
        1.0, "--concentrate", "-c",
        help="Concentration factor of an RO concentrate to show as well (e.g. 4 = 75 % recovery).",
    ),
    balance: str | None = typer.Option(
        None, "--balance", help="Ion adjusted to balance the charge, e.g. 'Na+' or 'Cl-'."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
):
    from ..errors import InputError
    from ..thermo import scaling
    from ..thermo.analysis import concentrate as concentrate_water
    from ..thermo.analysis import water_analysis
    from ..units import parse_temperature

    if not concentrate >= 1.0:
        raise InputError(f"--concentrate must be >= 1 (a concentration factor), got {concentrate:g}")
    feed = water_analysis(analysis, ph, parse_temperature(temperature), balance=balance)
    data = {"analysis": analysis, "feed": feed.to_dict()}
    if concentrate > 1.0:
        brine = concentrate_water(feed, concentrate)
        indices = scaling.scaling_indices(brine)
        data["concentrate"] = {
            "concentration_factor": concentrate,
            "recovery_percent": 100.0 * (1.0 - 1.0 / concentrate),
            "speciation": brine.to_dict(),
            "saturation_index": {k: float(v[0]) for k, v in indices["saturation_index"].items()},
            "lsi": float(indices["lsi"][0]),
            "sdsi": float(indices["sdsi"][0]),
        }
    if json_output:
        print_json(data)
        return
    streams = {"feed": data["feed"]}
    if "concentrate" in data:
        streams[f"concentrate x{concentrate:g}"] = data["concentrate"]
    rows = []
    for label, key, unit in (
        ("pH", "ph", "-"),
        ("ionic strength", "ionic_strength_mol_kg", "mol/kg"),
        ("alkalinity", "alkalinity_meq_kg", "meq/kg"),
        ("total inorganic carbon", "total_inorganic_carbon_mmol_kg", "mmol/kg"),
    ):
        rows.append({"quantity": label, "unit": unit,
                     **{name: s["speciation"][key] for name, s in streams.items()}})
    for species in ("CO2", "HCO3-", "CO3-2", "B(OH)3", "B(OH)4-", "H4SiO4", "H3SiO4-"):
        rows.append({"quantity": species, "unit": "mmol/kg", **{
            name: 1e3 * s["speciation"]["molality_mol_kg"].get(species, 0.0)
            for name, s in streams.items()}})
    rows.append({"quantity": "activity model", "unit": "",
                 **{name: s["speciation"]["model"] for name, s in streams.items()}})
    print_table("Speciation", rows, ["quantity", *streams, "unit"])
    scale_rows = [
        {"index": f"SI {mineral}", **{name: s["saturation_index"][mineral]
                                      for name, s in streams.items()}}
        for mineral in scaling.MINERALS
    ]
    scale_rows.append({"index": "LSI (ASTM D3739)", **{n: s["lsi"] for n, s in streams.items()}})
    scale_rows.append({"index": "S&DSI (Stiff & Davis)",
                       **{n: s["sdsi"] for n, s in streams.items()}})
    print_table("Scaling (SI > 0: supersaturated)", scale_rows, ["index", *streams])
    if feed.adjusted:
        typer.echo(f"charge balanced with {feed.adjusted} (imbalance was "
                   f"{100 * feed.imbalance:+.1f} %)")
