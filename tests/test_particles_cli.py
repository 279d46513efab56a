"""``osmolab simulate ...`` commands: exit codes, JSON keys, plots and animations (tiny systems)."""

import json

import pytest
from typer.testing import CliRunner

from osmolab.cli import app

runner = CliRunner()


def _json(args):
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_mixing_json_keys():
    data = _json(["simulate", "mixing", "--box", "24,8,8", "--duration", "40", "--seed", "2"])
    for key in ("D_measured", "D_theory", "ratio", "mixing_time", "units"):
        assert key in data
    # a 24 x 8 x 8 box is far too small for the 15 % (its ratio scatters by tens of
    # per cent between seeds): this only checks a sane number comes back; the 15 % check
    # is test_particles_scenarios.py::test_mixing_default_matches_chapman_enskog_within_15_percent
    assert 0.5 < data["ratio"] < 1.5


def test_mixing_real_gases_reports_si():
    data = _json(["simulate", "mixing", "--molecules", "N2,O2", "--temperature", "300 K",
                  "--box", "24,8,8", "--duration", "30"])
    assert data["molecules"] == ["N2", "O2"]
    assert data["temperature_K"] == pytest.approx(300.0)
    assert data["D_theory_m2_s"] > 0
    # N2-O2 at 300 K and 1 atm: 0.21 cm^2/s (Marrero & Mason 1972 correlation), Chapman-Enskog LJ;
    # within the 8 % that issue 5 asks of Chapman-Enskog against BSL Table 17.1-1
    assert data["D_theory_m2_s_at_1atm"] == pytest.approx(2.1e-5, rel=0.08)


def test_mixing_temperature_scan_json():
    data = _json(["simulate", "mixing", "--temperature-scan", "--scan-temperatures", "0.5,2",
                  "--box", "20,6,6", "--duration", "30"])
    scan = data["scan"]
    assert [row["kT"] for row in scan] == [0.5, 2.0]  # reduced particles: the scan is in kT
    assert scan[1]["D_theory"] > scan[0]["D_theory"]


def test_osmosis_json_keys():
    data = _json(["simulate", "osmosis", "--box", "8,10,10", "--duration", "10"])
    for key in ("osmotic_pressure_measured", "osmotic_pressure_van_t_hoff", "ratio", "units"):
        assert key in data


def test_reverse_osmosis_json_keys():
    data = _json(["simulate", "reverse-osmosis", "--pressure", "1.5x", "--box", "0,8,8", "--duration", "10"])
    for key in ("solvent_flux", "applied_pressure", "osmotic_pressure", "units"):
        assert key in data
    assert data["pressure_ratio"] == pytest.approx(1.5)


def test_plot_and_animation_files(tmp_path):
    png, gif = tmp_path / "mix.png", tmp_path / "mix.gif"
    result = runner.invoke(app, ["simulate", "mixing", "--dim", "2", "--box", "60,20", "--duration", "80",
                                 "--plot", str(png), "--animate", str(gif), "--json"])
    assert result.exit_code == 0, result.output
    assert png.stat().st_size > 1000 and gif.stat().st_size > 1000


def test_sieving_table():
    result = runner.invoke(app, ["simulate", "sieving", "--duration", "10"])
    assert result.exit_code == 0, result.output
    assert "water" in result.stdout


@pytest.mark.parametrize("args", [
    ["simulate", "mixing", "--dim", "4"],
    ["simulate", "mixing", "--density", "-1"],
    ["simulate", "mixing", "--density", "5"],
    ["simulate", "mixing", "--molecules", "N2,XX"],
    ["simulate", "mixing", "--box", "10,10"],
    ["simulate", "osmosis", "--solute-density", "0"],
    ["simulate", "reverse-osmosis", "--pressure", "abc"],
    ["simulate", "sieving", "--pore", "0.5"],
    ["simulate", "mixing", "--box", "24,8,8", "--duration", "5", "--animate", "x.avi"],
])
def test_bad_input_exit_2(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "error:" in result.output


@pytest.mark.parametrize("args", [
    ["mixing", "--seed", "-1"],
    ["mixing", "--box", "nan,5,5"],
    ["mixing", "--plot", "out.txt"],
    ["mixing", "--plot", "/nonexistent-osmolab-dir/x.png"],
    ["mixing", "--animate", "/nonexistent-osmolab-dir/a.gif"],
    ["mixing", "--temperature-scan", "--scan-temperatures", ""],
    ["osmosis", "--dim", "4"],
    ["sieving", "--dim", "4"],
    ["sieving", "--seed", "-1"],
    ["reverse-osmosis", "--sweep", "--sweep-ratios", ""],
])
def test_bad_options_exit_2_with_one_line(args):
    result = runner.invoke(app, ["simulate", *args, "--json"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
