"""Solution-thermodynamics commands: ``osmolab osmotic``, ``osmolab tonicity``, ``osmolab species``.

Interfaces only translate: they parse the solution string and options, call
:mod:`osmolab.thermo.osmotic`, and print a rich table or JSON.
"""

from __future__ import annotations

import typer

from ._common import TEMPERATURE_HELP, command, print_json, print_table

_SOLUTION_HELP = (
    "Solution: comma-separated '<species | salt | seawater> <amount> <unit>', "
    "e.g. 'NaCl 0.5 mol/kg, urea 100 mmol/kg' or 'seawater 35 g/kg'."
)


def register(app: typer.Typer) -> None:
    app.command(
        "osmotic", help="Osmotic pressure, osmotic coefficient and water activity of a solution."
    )(osmotic)
    app.command("tonicity", help="Iso-, hypo- or hypertonic against plasma across a membrane.")(
        tonicity
    )
    app.command("species", help="List the solute species and salts osmolab knows.")(species)


def _solution(text: str, temperature: str, balance: str | None):
    from ..thermo.solution import Solution
    from ..units import parse_temperature

    return Solution.from_string(text, parse_temperature(temperature), balance=balance)


@command
def osmotic(
    solution: str = typer.Argument(..., help=_SOLUTION_HELP),
    temperature: str = typer.Option(
        "25", "--temperature", "-t", "-T", help=f"Temperature ({TEMPERATURE_HELP})."
    ),
    model: str | None = typer.Option(
        None,
        "--model",
        "-m",
        help="pitzer | seawater | ideal (default: the most accurate valid model).",
    ),
    balance: str | None = typer.Option(
        None, "--balance", help="Ion to add for charge balance ('Cl-', 'Na+', 'auto')."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
):
    from ..thermo.osmotic import osmotic_properties

    sol = _solution(solution, temperature, balance)
    result = osmotic_properties(sol, model=model)
    data = result.to_dict()
    data.update(
        {
            "ionic_strength_mol_kg": sol.ionic_strength,
            "tds_g_L": sol.tds,
            "salinity_g_kg": sol.salinity * 1e3,
            "density_kg_m3": sol.density,
            "charge_imbalance": _clean(sol.charge_imbalance),
            "solution": solution,
            "molalities_mol_per_kg": sol.molalities,
        }
    )
    if json_output:
        print_json(data)
        return
    rows = [
        {"quantity": "osmotic pressure", "value": data["osmotic_pressure_bar"], "unit": "bar"},
        {"quantity": "osmotic coefficient", "value": data["osmotic_coefficient"], "unit": "-"},
        {"quantity": "water activity", "value": data["water_activity"], "unit": "-"},
        {"quantity": "osmolality", "value": data["osmolality_mOsm_per_kg"], "unit": "mOsm/kg"},
        {"quantity": "osmolarity", "value": data["osmolarity_mOsm_per_L"], "unit": "mOsm/L"},
        {"quantity": "ionic strength", "value": data["ionic_strength_mol_kg"], "unit": "mol/kg"},
        {"quantity": "TDS", "value": data["tds_g_L"], "unit": "g/L"},
        {"quantity": "density", "value": data["density_kg_m3"], "unit": "kg/m3"},
        {"quantity": "charge imbalance", "value": data["charge_imbalance"], "unit": "-"},
    ]
    print_table(
        f"{solution}, {data['temperature_C']:.1f} degC, {result.model}",
        rows,
        ["quantity", "value", "unit"],
    )
    _print_warnings(result.warnings)


@command
def tonicity(
    solution: str = typer.Argument(..., help=_SOLUTION_HELP),
    reference: str = typer.Option(
        "plasma",
        "--reference",
        "-r",
        help="'plasma' (285-295 mOsm/kg) or an osmolality in mOsm/kg.",
    ),
    membrane: str = typer.Option(
        "cell", "--membrane", help="cell (red cell) | ro (ideal RO membrane) | ideal."
    ),
    temperature: str = typer.Option(
        "25", "--temperature", "-t", "-T", help=f"Temperature ({TEMPERATURE_HELP})."
    ),
    model: str | None = typer.Option(None, "--model", "-m", help="pitzer | seawater | ideal."),
    balance: str | None = typer.Option(None, "--balance", help="Ion to add for charge balance."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
):
    from ..thermo.tonicity import tonicity as tonicity_of

    sol = _solution(solution, temperature, balance)
    ref = _reference(reference, sol.temperature)
    result = tonicity_of(sol, reference=ref, membrane=membrane, model=model)
    data = result.to_dict()
    data["solution"] = solution
    if json_output:
        print_json(data)
        return
    lo, hi = data["reference_range_mOsm_per_kg"]
    rows = [
        {"quantity": "tonicity", "value": data["tonicity"], "unit": ""},
        {
            "quantity": "effective osmolality",
            "value": data["effective_osmolality_mOsm_per_kg"],
            "unit": "mOsm/kg",
        },
        {
            "quantity": "osmolality (all solutes)",
            "value": data["osmolality_mOsm_per_kg"],
            "unit": "mOsm/kg",
        },
        {"quantity": "reference band", "value": f"{lo:.0f}-{hi:.0f}", "unit": "mOsm/kg"},
        {"quantity": "membrane", "value": data["membrane"], "unit": ""},
    ]
    print_table(f"{solution}, {result.model}", rows, ["quantity", "value", "unit"])
    _print_warnings(result.warnings)


@command
def species(json_output: bool = typer.Option(False, "--json", help="Print JSON.")):
    from ..thermo import species as table

    rows = []
    for name in table.species_names():
        sp = table.species(name)
        rows.append(
            {
                "species": sp.name,
                "charge": sp.charge,
                "molar_mass_g_mol": sp.molar_mass * 1e3,
                "diffusivity_1e-9_m2_s": sp.diffusivity * 1e9,
                "radius_nm": sp.radius * 1e9,
                "aliases": ", ".join(sp.aliases[:3]),
            }
        )
    salts = [
        {"salt": s, "ions": " + ".join(f"{nu:g} {ion}" for ion, nu in table.salt_ions(s).items())}
        for s in table.salt_names()
    ]
    if json_output:
        print_json({"species": rows, "salts": salts})
        return
    print_table("Species (25 degC, infinite dilution)", rows)
    print_table("Salts", salts)


_OSMOLALITY_UNITS = {"mosm/kg": 1e-3, "mosmol/kg": 1e-3, "osm/kg": 1.0, "osmol/kg": 1.0}


def _reference(text: str, temperature: float):
    """--reference: 'plasma' (or an alias), mOsm/kg ('290', '290 mOsm/kg') or a solution."""
    import re

    from ..errors import InputError
    from ..thermo.solution import Solution
    from ..thermo.tonicity import REFERENCES

    raw = " ".join(str(text).split())
    match = re.fullmatch(r"([-+0-9.eE]+)\s*([A-Za-z/]*)", raw)
    if match:
        unit = match.group(2).lower() or "mosm/kg"  # a bare number is mOsm/kg
        try:
            value = float(match.group(1)) * _OSMOLALITY_UNITS[unit]
        except (ValueError, KeyError):
            value = None
        if value is not None:
            if not 0 < value < float("inf"):
                raise InputError(f"reference osmolality must be > 0 mOsm/kg, got {text!r}")
            return value
    if any(ch.isdigit() for ch in raw) and raw.lower() not in REFERENCES:
        try:
            return Solution.from_string(raw, temperature)  # e.g. 'NaCl 0.9 %'
        except InputError as error:
            raise InputError(
                f"cannot read --reference {text!r} as an osmolality ('290' or '290 mOsm/kg') "
                f"or a solution ({error})"
            ) from None
    from ..errors import suggest
    from ..thermo.tonicity import REFERENCE_ALIASES

    names = list(REFERENCES) + list(REFERENCE_ALIASES)
    if raw.lower() not in names:
        raise InputError(
            f"unknown reference {text!r}; use {', '.join(REFERENCES)}, an osmolality in mOsm/kg "
            f"('290' or '290 mOsm/kg') or a solution ('NaCl 0.9 %').{suggest(raw, names)}"
        )
    return raw


def _clean(value: float) -> float:
    """Round away floating-point dust (a balanced analysis shows 0, not 1e-17)."""
    return 0.0 if abs(value) < 1e-12 else value


def _print_warnings(notes) -> None:
    for note in notes:
        typer.echo(f"warning: {note}", err=True)
