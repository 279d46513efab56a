"""CLI: ``osmolab osmotic``, ``osmolab tonicity``, ``osmolab species`` (exit codes, JSON keys)."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from osmolab.cli import app

runner = CliRunner()

OSMOTIC_KEYS = {
    "osmotic_pressure_bar",
    "osmotic_coefficient",
    "water_activity",
    "osmolality_mOsm_per_kg",
    "model",
    "warnings",
    "osmolarity_mOsm_per_L",
    "ionic_strength_mol_kg",
    "tds_g_L",
    "charge_imbalance",
}
TONICITY_KEYS = {"tonicity", "effective_osmolality_mOsm_per_kg", "reference_mOsm_per_kg"}


def run(*args):
    return runner.invoke(app, list(args))


def test_osmotic_json():
    result = run("osmotic", "NaCl 1 mol/kg", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert OSMOTIC_KEYS <= set(data)
    assert data["model"] == "pitzer"
    assert data["osmotic_coefficient"] == pytest.approx(0.936, rel=0.005)
    # -RT ln(a_w)/V_w with Robinson & Stokes (1959) a_w = 0.96686: 46.24 bar; 0.5 % as phi
    assert data["osmotic_pressure_bar"] == pytest.approx(46.24, rel=0.005)


def test_osmotic_seawater_model_and_temperature():
    result = run(
        "osmotic", "seawater 35 g/kg", "--model", "seawater", "--temperature", "25", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["model"] == "seawater"
    assert data["osmotic_pressure_bar"] == pytest.approx(25.9, rel=0.01)
    assert data["tds_g_L"] == pytest.approx(35.83, abs=0.05)


def test_osmotic_table_output():
    result = run("osmotic", "seawater 35 g/kg")
    assert result.exit_code == 0
    assert "osmotic pressure" in result.stdout


def test_tonicity_json():
    result = run("tonicity", "NaCl 0.9 %", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert TONICITY_KEYS <= set(data)
    assert data["tonicity"] == "isotonic"
    assert data["reference_mOsm_per_kg"] == pytest.approx(290)
    urea = json.loads(run("tonicity", "urea 300 mmol/kg", "--membrane", "cell", "--json").stdout)
    assert urea["tonicity"] == "hypotonic"
    assert run("tonicity", "NaCl 0.9 %", "--reference", "plasma", "--membrane", "ro").exit_code == 0


def test_species_command():
    result = run("species", "--json")
    assert result.exit_code == 0
    assert any(row["species"] == "SO4-2" for row in json.loads(result.stdout)["species"])


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("osmotic", "NaCl -1 mol/kg"), "negative"),
        (("osmotic", "sodium chloridee 1 mol/kg"), "Did you mean"),
        (("osmotic", "NaCl 1 furlongs"), "unit"),
        (("osmotic", ""), "empty"),
        (("osmotic", "seawater 500 g/kg"), "far outside"),
        (("osmotic", "seawater 500 g/kg", "--model", "seawater"), "far outside"),
        (("osmotic", "Na+ 10 mmol/kg, Cl- 5 mmol/kg"), "charge imbalance"),
        (("osmotic", "NaCl 1 mol/kg", "--model", "magic"), "unknown osmotic model"),
        (("osmotic", "NaCl 1 mol/kg", "--temperature", "hot"), "temperature"),
        (("tonicity", "NaCl 0.9 %", "--membrane", "kidney"), "unknown membrane"),
        (("tonicity", "NaCl 0.9 %", "--reference", "-5"), "reference"),
        # hardening regressions: far beyond every fit the default model used to fall back
        # to 'ideal' with "no Pitzer parameters for ;" (NaCl) or give phi = 7.2 (sucrose)
        (("osmotic", "NaCl 30 mol/kg"), "far outside"),
        (("osmotic", "MgSO4 10 mol/kg", "--json"), "far outside"),
        (("osmotic", "sucrose 20 mol/kg"), "far outside"),
        (("osmotic", "sucrose 20 mol/kg", "--model", "pitzer"), "far outside"),
        (("tonicity", "NaCl 30 mol/kg"), "far outside"),
        (("osmotic", "NaCl 1 mol/kg", "--temperature", "-300"), "-26.85 K"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, fragment):
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:")
    assert fragment in lines[0]
    assert "Traceback" not in result.output


def test_balance_option():
    result = run("osmotic", "Na+ 10 mmol/kg, Cl- 5 mmol/kg", "--balance", "Cl-", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["charge_imbalance"] == 0.0


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_random_solution_strings_exit_0_or_2(text):
    result = run("osmotic", text, "--json")
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 0:
        # a result is a real number (never NaN/inf, which json.loads accepts) and not negative
        value = json.loads(result.stdout)["osmotic_pressure_bar"]
        assert isinstance(value, float | int) and math.isfinite(value) and value >= 0


def test_far_outside_still_available_with_explicit_ideal_model():
    result = run("osmotic", "sucrose 20 mol/kg", "--model", "ideal", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["model"] == "ideal"


def test_tonicity_reference_with_unit_or_solution():
    # old: '290 mOsm/kg' (the unit the help names) and 'NaCl 0.9 %' were "unknown reference"
    for reference in ("290", "290 mOsm/kg", "0.29 osmol/kg"):
        result = run("tonicity", "NaCl 0.9 %", "--reference", reference, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["reference_mOsm_per_kg"] == pytest.approx(290.0)
    result = run("tonicity", "NaCl 0.9 %", "--reference", "NaCl 0.9 %", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["tonicity"] == "isotonic"
    result = run("tonicity", "NaCl 0.9 %", "--reference", "plasm")
    assert result.exit_code == 2 and "Did you mean 'plasma'" in result.stderr
    assert "mOsm/kg" in result.stderr
