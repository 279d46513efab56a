"""Water-chemistry command: ``osmolab water`` (speciation, saturation indices, LSI, S&DSI).

Interfaces only translate: the analysis string and options are parsed, the library
(:mod:`osmolab.thermo.analysis`) speciates the water and its concentrate, and the
answer is printed as tables or JSON.
"""

from __future__ import annotations

import math

import typer

from ._common import TEMPERATURE_HELP, command, print_json, print_table

_ANALYSIS_HELP = (
    "Water analysis: comma-separated '<ion> <amount> <unit>', e.g. 'Ca+2 82 mg/L, "
    "HCO3- 240 mg/L, SO4-2 96 mg/L, Cl- 180 mg/L, Na+ 120 mg/L, SiO2 20 mg/L, B 0.5 mg/L' "
    "(boron as B, silica as SiO2; 'Ca2+' and 'Ca++' also read; the carbonate one way: HCO3-/CO3-2, "
    "'alkalinity 200 mg/L as CaCO3' / 'alkalinity 4 meq/L', 'total CO2 4.1 mmol/L' / "
    "'TIC 49 mg/L as C' (total CO2 in mg/L is as CO2), or the free 'CO2 10 mg/L' at the pH)."
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
        help="Concentration factor of an RO concentrate to show as well (e.g. 4 = 75 % recovery); "
        "it is also the concentrate checked against the limits and of --target-lsi. Give it or "
        "--recovery (both only if they agree).",
    ),
    balance: str | None = typer.Option(
        None, "--balance", help="Ion adjusted to balance the charge, e.g. 'Na+' or 'Cl-'."
    ),
    acid: str | None = typer.Option(
        None, "--acid", help="Dose acid: H2SO4 or HCl (with --target-ph or --target-lsi)."
    ),
    caustic: bool = typer.Option(False, "--caustic", help="Dose NaOH to --target-ph."),
    target_ph: float | None = typer.Option(None, "--target-ph", help="pH after the dose."),
    target_lsi: float | None = typer.Option(
        None, "--target-lsi",
        help="LSI of the concentrate the acid should reach (needs --recovery or --concentrate).",
    ),
    recovery: float | None = typer.Option(
        None, "--recovery",
        help="Recovery (0-1, or percent above 1) of the concentrate checked and shown: the "
        "concentration factor 1/(1 - recovery), the same as --concentrate.",
    ),
    degas_co2: float | None = typer.Option(
        None, "--degas",
        help="Fraction of the CO2 stripped after dosing, before the membrane (a decarbonator), "
        "e.g. 0.9; --target-lsi is then solved for the degassed water.",
    ),
    antiscalant: str | None = typer.Option(
        None, "--antiscalant", help="Antiscalant for the allowed limits: 'none' or 'generic'."
    ),
    flow: str | None = typer.Option(
        None, "--flow", help="Flow dosed, for kg/day (bare number = m3/h), e.g. '100 m3/h'."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
):
    from ..errors import InputError
    from ..thermo import scaling
    from ..thermo.analysis import concentrate_summary, water_analysis
    from ..units import parse_temperature

    if not concentrate >= 1.0:
        raise InputError(f"--concentrate must be >= 1 (a concentration factor), got {concentrate:g}")
    if recovery is not None:  # one concentration factor for the table and the limits
        factor = _recovery_factor(recovery)
        if concentrate != 1.0 and abs(factor - concentrate) > 1e-6 * concentrate:
            raise InputError(
                f"--concentrate {concentrate:g} and --recovery {recovery:g} (a factor of "
                f"{factor:.4g}) disagree; give one of them"
            )
        concentrate = factor
    feed = water_analysis(analysis, ph, parse_temperature(temperature), balance=balance)
    data = {"analysis": analysis, "feed": feed.to_dict()}
    dosing_asked = any(v is not None for v in (acid, target_ph, target_lsi, recovery, degas_co2,
                                               antiscalant, flow)) or caustic
    if dosing_asked:
        feed, data["chemistry"] = _chemistry(
            feed, acid, caustic, target_ph, target_lsi,
            concentrate if concentrate > 1.0 or recovery is not None else None,
            degas_co2, antiscalant, flow
        )
        adjusted = data["chemistry"].pop("adjusted_water")
        if data["chemistry"].get("doses"):  # a column only when something was dosed
            data["adjusted"] = adjusted
    if concentrate > 1.0:  # the concentrate of the adjusted water when a dose was asked
        data["concentrate"] = concentrate_summary(feed, concentrate)
    present = [m for m, si in data["feed"]["saturation_index"].items()
               if si is not None and math.isfinite(si)]
    data["notes"] = scaling.range_notes(feed.temperature, present)
    if json_output:
        print_json(data)
        return
    streams = {"feed": data["feed"]}
    if "adjusted" in data:
        streams["adjusted"] = data["adjusted"]
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
    if "chemistry" in data:
        _print_chemistry(data["chemistry"])
    for note in data["notes"]:
        typer.echo(f"note: {note}")


def _recovery_factor(recovery):
    from ..errors import InputError

    value = recovery / 100.0 if recovery > 1.0 else recovery
    if not 0.0 <= value < 1.0:
        raise InputError(f"--recovery must be 0-1 (or a percent below 100), got {recovery:g}")
    return 1.0 / (1.0 - value)


def _chemistry(feed, acid, caustic, target_ph, target_lsi, factor, degas_co2, antiscalant,
               flow):
    """Translate the dosing options into :func:`osmolab.thermo.dosing.chemical_adjustment`."""
    from ..errors import InputError
    from ..thermo.dosing import chemical_adjustment
    from ..units import is_bare, parse_quantity

    if acid is not None and caustic:
        raise InputError("give --acid or --caustic, not both")
    if (target_ph is not None or target_lsi is not None) and acid is None and not caustic:
        raise InputError("--target-ph/--target-lsi need --acid H2SO4|HCl or --caustic")
    if acid is not None and (target_ph is None) == (target_lsi is None):
        raise InputError("--acid needs one of --target-ph or --target-lsi")
    if caustic and (target_ph is None or target_lsi is not None):
        raise InputError("--caustic needs --target-ph (and no --target-lsi)")
    if target_lsi is not None and factor is None:
        raise InputError("--target-lsi needs --recovery or --concentrate (the concentrate's LSI "
                         "is the target)")
    flow_si = None
    if flow is not None:
        text = flow.strip()
        flow_si = parse_quantity(f"{text} m3/h" if is_bare(text) else text, "flow")
    acid_spec = None
    if acid is not None:
        acid_spec = {"chemical": acid}
        acid_spec["target_ph" if target_ph is not None else "target_lsi"] = (
            target_ph if target_ph is not None else target_lsi)
    return chemical_adjustment(
        feed, acid=acid_spec, caustic={"target_ph": target_ph} if caustic else None,
        degas_co2=degas_co2, antiscalant=antiscalant, concentration_factor=factor, flow=flow_si,
    )


def _print_chemistry(chemistry):
    degassers = [d for d in chemistry["doses"] if "co2_removal" in d]
    rows = [
        {"chemical": d["chemical"], "mg/L (100 %)": d["dose_mg_L"],
         "product %": d["commercial_strength_percent"], "mg/L product": d["commercial_dose_mg_L"],
         "kg/day": d.get("dose_kg_day"), "pH before": d["ph_before"], "pH after": d["ph_after"]}
        for d in chemistry["doses"] if "co2_removal" not in d
    ]
    if rows:
        print_table("Chemical doses", rows)
    if degassers:
        print_table("Degasser", [
            {"CO2 stripped %": 100 * d["co2_removal"], "CO2 removed mg/L": d["dose_mg_L"],
             "kg/day": d.get("dose_kg_day"), "pH before": d["ph_before"],
             "pH after": d["ph_after"]} for d in degassers])
    if "concentrate" in chemistry:
        c = chemistry["concentrate"]
        print_table(
            f"Concentrate x{c['concentration_factor']:.3g} against the limits "
            f"(antiscalant: {chemistry['antiscalant']})",
            [{"index": k if "judged_by" not in v else
              f"{k} (above pH 9: calcite SI {v['si']:.2f} judged)",
              # a percent index of 0: its ions are not in the analysis (as the feed table's -)
              "value": "-" if v["unit"] == "%" and not v["value"] else v["value"],
              "limit": v["limit"], "unit": v["unit"],
              "exceeded": "YES" if v["exceeded"] else "no"} for k, v in c["indices"].items()],
        )
