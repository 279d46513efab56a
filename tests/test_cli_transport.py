"""CLI: osmolab diffusion gas|box|liquid, osmometer, cell."""

import json

import pytest
from typer.testing import CliRunner

from osmolab.cli import app

runner = CliRunner()


def _json(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_diffusion_gas_json():
    # a bare temperature is degC (docs/units.md); 273.2 K = 0.05 degC
    data = _json(["diffusion", "gas", "N2", "O2", "--temperature", "273.2 K", "--json"])
    assert abs(data["D_cm2_s"] / 0.181 - 1) < 0.08  # BSL Table 17.1-1
    assert data["method"] == "chapman-enskog"
    assert data["temperature_K"] == 273.2 and data["pressure_Pa"] == 101325.0
    data = _json(["diffusion", "gas", "H2", "N2", "--temperature", "0 degC", "--pressure",
                  "1 atm", "--method", "fuller", "--json"])
    assert data["method"] == "fuller" and abs(data["D_cm2_s"] / 0.674 - 1) < 0.08


@pytest.mark.parametrize("args", [
    ["diffusion", "gas", "N22", "O2"],
    ["diffusion", "gas", "N2", "O2", "--temperature", "-300"],  # degC: below 0 K
    ["diffusion", "gas", "N2", "O2", "--temperature", "-3 K"],
    ["diffusion", "gas", "N2", "O2", "--pressure", "0 bar"],
    ["diffusion", "gas", "N2", "O2", "--method", "magic"],
    ["diffusion", "box", "--length", "-1 m"],
    ["osmometer", "--sigma", "1.5"],
    ["osmometer", "--permeability", "-1e-7"],
    ["osmometer", "--lp", "-1e-12"],
    ["cell", "NaCl 0.45 %", "--cell", "neuron"],
    ["cell", "NaCl -1 %"],
    # hardening regressions (old behaviour in brackets)
    ["osmometer", "--temperature", "1000 degC"],  # (exit 1: internal ValueError)
    ["osmometer", "--solution", "foo 1 mol/L"],  # (exit 0: any name accepted)
    ["osmometer", "--solution", "seawater 35 g/kg"],
    ["osmometer", "--solution", "sucrose 10 mol/L"],  # (exit 0: 3.4 kg of sugar per litre)
    ["osmometer", "--applied-pressure", "-1000 bar"],  # (exit 0: a 10 km column)
    ["diffusion", "liquid", "NaCl", "--molality", "nan"],  # (exit 0: D = nan)
    ["diffusion", "liquid", "NaCl", "--temperature", "200 K"],  # (exit 0: negative D)
    ["diffusion", "liquid", "NaCl", "--temperature", "0 K"],  # (exit 0: D = 0)
    ["diffusion", "box", "--partition", "0.0001"],  # (exit 0: finite-volume time null)
    ["diffusion", "box", "--length", "1e300 m"],  # (exit 1: OverflowError)
    ["diffusion", "box", "--mixing", "1e-300"],  # (exit 1: brentq ValueError)
    ["diffusion", "box", "--mixing", "0.9999999999999999"],  # (finite volume: nan s)
    ["diffusion", "gas", "N2", "O2", "--temperature", "1e300"],  # (D = inf -> null)
    ["diffusion", "gas", "N2", "O2", "--pressure", "1e300 Pa"],
    ["osmometer", "--volume", "1e300 L"],  # (overflow warnings, ran for minutes)
    ["osmometer", "--capillary-diameter", "1e300 m"],  # (exit 1: OverflowError)
    ["osmometer", "--lp", "1e300"],
    ["osmometer", "--applied-pressure", "1e300 bar"],
])
def test_bad_input_exits_2_with_one_line(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.output.strip().startswith("error:")
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_unknown_gas_suggests():
    result = runner.invoke(app, ["diffusion", "gas", "N22", "O2"])
    assert "Did you mean 'N2'" in result.output


def test_diffusion_box(tmp_path):
    png = tmp_path / "box.png"
    data = _json(["diffusion", "box", "--gases", "N2", "O2", "--length", "0.1m", "--plot",
                  str(png), "--json"])
    assert 200 < data["mixing_time_s"] < 300
    assert abs(data["mixing_time_fv_s"] / data["mixing_time_s"] - 1) < 1e-2
    assert data["fv_max_error_vs_exact"] < 1e-3
    assert png.exists() and png.stat().st_size > 1000


def test_diffusion_liquid():
    data = _json(["diffusion", "liquid", "NaCl", "--json"])
    assert abs(data["D_m2_s"] / 1.61e-9 - 1) < 0.005
    assert _json(["diffusion", "liquid", "Ca2+", "--json"])["solute"] == "Ca+2"


def test_osmometer_defaults(tmp_path):
    png = tmp_path / "osm.png"
    data = _json(["osmometer", "--json", "--plot", str(png)])
    for key in ("equilibrium_height_m", "time_to_equilibrium_s", "flow_direction",
                "final_effective_delta_pi_bar"):
        assert key in data
    assert 2.0 < data["equilibrium_height_m"] < 2.3
    assert png.exists()


def test_osmometer_reverse_osmosis():
    data = _json(["osmometer", "--solution", "NaCl 100 mmol/L", "--capillary-diameter", "0",
                  "--applied-pressure", "10 bar", "--outer-volume", "1 L", "--json"])
    assert data["flow_direction"].startswith("out")


@pytest.mark.parametrize("medium, tonicity, outcome, lyses", [
    ("NaCl 0.9 %", "isotonic", "unchanged", False),
    ("NaCl 0.45 %", "hypotonic", "swells", False),
    ("urea 290 mmol/kg", "hypotonic", "lyses", True),
    ("NaCl 3 %", "hypertonic", "shrinks (crenates)", False),
])
def test_cell(medium, tonicity, outcome, lyses):
    data = _json(["cell", medium, "--cell", "red-blood-cell", "--json"])
    assert data["tonicity"] == tonicity
    assert data["outcome"] == outcome and data["lyses"] is lyses
    for key in ("equilibrium_volume_ratio", "time_to_equilibrium_s"):
        assert key in data


def test_cell_half_saline_volume_and_plot(tmp_path):
    png = tmp_path / "cell.png"
    data = _json(["cell", "NaCl 0.45 %", "--plot", str(png), "--json"])
    assert abs(data["equilibrium_volume_ratio"] - 1.6) < 0.03
    assert png.exists()


def test_cell_with_dmso():
    data = _json(["cell", "NaCl 0.9 %, DMSO 1.4 mol/kg", "--json"])
    assert data["min_volume_ratio"] < 0.7 and not data["lyses"]


def test_osmometer_names_are_checked_and_repeats_add_up():
    result = runner.invoke(app, ["osmometer", "--solution", "sucrsoe 10 mmol/L"])
    assert result.exit_code == 2 and "Did you mean 'sucrose'" in result.output
    twice = _json(["osmometer", "--solution", "NaCl 1 mM, NaCl 1 mM", "--json"])
    once = _json(["osmometer", "--solution", "NaCl 2 mM", "--json"])
    assert twice["equilibrium_height_m"] == pytest.approx(once["equilibrium_height_m"])


def test_liquid_molality_of_other_salts_is_flagged():
    result = runner.invoke(app, ["diffusion", "liquid", "CaSO4", "--molality", "2", "--json"])
    assert result.exit_code == 0
    assert "warning: the molality is used for NaCl only" in result.stderr


def test_bare_numbers_follow_the_unit_rule():
    # docs/units.md: a bare temperature is degC and a bare pressure bar at every entry (these
    # options read kelvin and pascal before)
    data = _json(["diffusion", "gas", "N2", "O2", "--temperature", "25", "--pressure", "2", "--json"])
    assert data["temperature_K"] == pytest.approx(298.15) and data["pressure_Pa"] == 2e5
    assert _json(["diffusion", "liquid", "NaCl", "--temperature", "35", "--json"])[
        "temperature_K"] == pytest.approx(308.15)
    assert _json(["osmometer", "--temperature", "30", "--json"])["temperature_K"] == pytest.approx(303.15)
