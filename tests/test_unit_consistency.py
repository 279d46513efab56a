"""The unit rule at every entry point (docs/units.md), checked over the whole CLI.

A bare temperature is degC, a bare pressure bar, a bare salinity g/kg, and any value may carry
its own unit. The test walks the typer app: every option whose name or help mentions a
temperature, a pressure or a salinity is found automatically and run three ways (bare, with
the bare unit, in another unit); the three JSON outputs must agree, and differ from a run
without the option (so an option that ignores its value is caught too). Options in reduced
(dimensionless) particle units say "reduced" in their help and must refuse a physical unit
rather than misread it.

A new command with such an option fails here until it is given small, fast arguments in
``BASE_ARGS``; a new option needs nothing: it is found and checked.
"""

import json
import math
import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

import osmolab.cli
from osmolab.cli import app

runner = CliRunner()

KINDS = ("temperature", "pressure", "salinity")

#: A bare number, the same with the bare unit, the same in another unit (all must agree); each
#: differs from every default, so the option's effect shows.
SAME_VALUE = {
    "temperature": ("30", "30 degC", "303.15 K"),
    "pressure": ("2", "2 bar", "200 kPa"),
    "salinity": ("38", "38 g/kg", "3.8 %"),
}
#: Options that need other values to run (or to differ from their default).
SAME_VALUE_FOR = {
    ("design", "--feed-pressure"): ("60", "60 bar", "6 MPa"),
}
#: The bare unit each physical option's help must name.
BARE_UNIT = {"temperature": "degC", "pressure": "bar", "salinity": "g/kg"}
#: A physical value a reduced option must refuse.
PHYSICAL_VALUE = {"temperature": "300 K", "pressure": "1 bar", "salinity": "35 g/kg"}

#: Small, fast arguments for each command that has a temperature, pressure or salinity option.
BASE_ARGS = {
    ("osmotic",): ["NaCl 0.5 mol/kg"],
    ("tonicity",): ["NaCl 0.9 %"],
    ("diffusion", "gas"): ["N2", "O2"],
    ("diffusion", "box"): ["--cells", "20"],
    ("diffusion", "liquid"): ["NaCl"],
    ("osmometer",): ["--solution", "NaCl 10 mmol/L"],
    ("cell",): ["NaCl 0.9 %"],
    ("design",): ["seawater_px"],
    ("water",): ["Ca+2 82 mg/L, HCO3- 240 mg/L", "--ph", "7.7"],
    ("simulate", "mixing"): ["--box", "24,8,8", "--duration", "5"],
    ("simulate", "osmosis"): ["--box", "8,10,10", "--duration", "5"],
    ("simulate", "reverse-osmosis"): ["--box", "0,8,8", "--duration", "5"],
}
#: Arguments under which a command's "reduced ...; physical ..." options are physical.
PHYSICAL_CONTEXT = {("simulate", "mixing"): ["--molecules", "N2,O2"]}
#: Arguments without which an option is not used at all.
OPTION_CONTEXT = {
    ("simulate", "mixing", "--scan-temperatures"): ["--temperature-scan"],
    ("simulate", "reverse-osmosis", "--sweep-ratios"): ["--sweep"],
}


def _commands(group, path=()):
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):  # a group (typer vendors click: no isinstance)
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


def _kind(option):
    """The quantity an option takes, from its name first, then its help; None if none."""
    name = " ".join(option.opts).lower()
    for kind in KINDS:
        if kind in name:
            return kind
    text = (option.help or "").lower()
    found = [(text.find(kind), kind) for kind in KINDS if kind in text]
    return min(found)[1] if found else None


def _unit_options():
    rows = []
    for path, command in _commands(typer.main.get_command(app)):
        for option in command.params:
            if getattr(option, "param_type_name", None) != "option" or option.is_flag:
                continue
            kind = _kind(option)
            if kind is None:
                continue
            help_text = (option.help or "").lower()
            reduced = "reduced" in help_text
            physical = not reduced or "physical" in help_text or path in PHYSICAL_CONTEXT
            rows.append((path, max(option.opts, key=len), kind, reduced, physical, option.help or ""))
    return rows


UNIT_OPTIONS = _unit_options()
PHYSICAL = [r for r in UNIT_OPTIONS if r[4]]
REDUCED = [r for r in UNIT_OPTIONS if r[3]]


def _id(row):
    return " ".join((*row[0], row[1]))


def _run(args):
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, f"osmolab {' '.join(args)}: {result.output}"
    return json.loads(result.stdout)


def _same(a, b, where=""):
    """JSON values equal, numbers to a relative 1e-6 (particle runs amplify rounding)."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), where
        return all(_same(a[k], b[k], f"{where}.{k}") for k in a)
    if isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), where
        return all(_same(x, y, f"{where}[{i}]") for i, (x, y) in enumerate(zip(a, b, strict=True)))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        assert math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12), f"{where}: {a} != {b}"
        return True
    assert a == b, f"{where}: {a!r} != {b!r}"
    return True


def _differs(a, b) -> bool:
    try:
        _same(a, b)
    except AssertionError:
        return True
    return False


def test_the_walk_finds_the_known_options():
    # a guard on the introspection itself: these must be among the options found
    found = {(path, name, kind) for path, name, kind, *_ in UNIT_OPTIONS}
    for expected in [
        (("osmotic",), "--temperature", "temperature"),
        (("diffusion", "gas"), "--temperature", "temperature"),
        (("diffusion", "gas"), "--pressure", "pressure"),
        (("osmometer",), "--applied-pressure", "pressure"),
        (("design",), "--feed-salinity", "salinity"),
        (("simulate", "mixing"), "--temperature", "temperature"),
        (("simulate", "reverse-osmosis"), "--pressure", "pressure"),
    ]:
        assert expected in found


@pytest.mark.parametrize("row", UNIT_OPTIONS, ids=_id)
def test_every_unit_option_has_fast_arguments_and_says_its_unit(row):
    path, name, kind, reduced, physical, help_text = row
    assert path in BASE_ARGS, (
        f"'osmolab {' '.join(path)}' takes a {kind} ({name}): add small, fast arguments for it "
        "to BASE_ARGS in tests/test_unit_consistency.py"
    )
    if physical:
        assert BARE_UNIT[kind] in help_text, (
            f"{_id(row)}: the help must say a bare number is {BARE_UNIT[kind]} "
            "(use TEMPERATURE_HELP, PRESSURE_HELP or SALINITY_HELP from cli/_common.py)"
        )
    if reduced and physical:
        assert path in PHYSICAL_CONTEXT, f"{_id(row)}: name the arguments that make it physical"


@pytest.mark.parametrize("row", PHYSICAL, ids=_id)
def test_a_bare_number_means_the_same_as_with_its_unit(row):
    path, name, kind = row[:3]
    args = [*path, *BASE_ARGS[path], *PHYSICAL_CONTEXT.get(path, []),
            *OPTION_CONTEXT.get((*path, name), [])]
    values = SAME_VALUE_FOR.get((" ".join(path), name), SAME_VALUE[kind])
    bare, *with_units = [_run([*args, name, value]) for value in values]
    for other, value in zip(with_units, values[1:], strict=True):
        _same(bare, other, f"{name} {values[0]!r} vs {value!r}")
    assert _differs(bare, _run(args)), f"{_id(row)} {values[0]} changes nothing in the output"


@pytest.mark.parametrize("row", REDUCED, ids=_id)
def test_a_reduced_option_refuses_a_physical_unit(row):
    path, name, kind = row[:3]
    args = [*path, *BASE_ARGS[path], *OPTION_CONTEXT.get((*path, name), []),
            name, PHYSICAL_VALUE[kind], "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, f"osmolab {' '.join(args)}: {result.output}"
    assert "Traceback" not in result.output


def test_the_cli_parses_units_only_through_units_py():
    # one parser per quantity (osmolab.units.parse_temperature, ...): no command picks its
    # own default unit for a temperature, pressure or salinity
    folder = Path(osmolab.cli.__file__).parent
    pattern = re.compile(r"parse_quantity\([^)]*[\"'](temperature|pressure|salinity)[\"']")
    for path in folder.glob("*.py"):
        assert not pattern.search(path.read_text()), f"{path.name}: use osmolab.units.parse_{{kind}}"
