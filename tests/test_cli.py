"""The command-line frame: usage errors, the main job, version."""

import json

from osmolab.cli import main


def test_usage_errors_are_one_line_exit_2(capsys):
    # an unknown option, a missing argument, an unknown command: one line, exit 2
    for argv in (
        ["osmotic", "--modle", "x", "NaCl 1 mol/kg"],
        ["diffusion", "gas", "N2"],
        ["nonsense"],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1


def test_bad_input_is_one_line_exit_2(capsys):
    assert main(["osmotic", "NaCll 1 mol/kg"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "NaCl" in err and err.count("\n") == 1


def test_version_and_bare_command(capsys):
    assert main(["version", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["version"]
    assert main([]) == 0  # prints the help


def test_run_projects_the_bundled_plant(tmp_path, capsys):
    report = tmp_path / "report.html"
    assert main(["run", "--report", str(report), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # the bundled seawater plant: 45 % recovery, feed pressure between the osmotic pressure
    # of the concentrate (~47 bar) and the elements' 83 bar limit
    assert abs(data["recovery"] - 0.45) < 1e-6
    assert 47 < data["feed_pressure_bar"] < 83
    assert data["sec_kWh_m3"] > data["min_sec_kWh_m3"] > 0
    assert report.stat().st_size > 10_000
