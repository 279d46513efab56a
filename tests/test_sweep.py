"""Sweeps (osmolab.studies.sweep) and the ``osmolab sweep`` command.

A sweep must give, case by case, what ``project()`` gives for the same plant and the same
overrides (the sweep only groups and chunks the cases), and a design field varied in a
sweep must equal the design file edited by hand.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from osmolab.cli import app
from osmolab.cli.studies import parse_vary
from osmolab.errors import InputError
from osmolab.ro.design import _read_yaml, bundled_example, load_design, project
from osmolab.studies.sweep import OUTPUTS, evaluate_cases, sweep, variable_names

runner = CliRunner()
SRC = Path(__file__).resolve().parents[1] / "src"


def test_factorial_matches_project_case_by_case():
    table = sweep("seawater_px", {"recovery": (0.40, 0.50, 3), "temperature": (15, 30, 4)})
    assert len(table) == 12
    assert list(table.columns[:2]) == ["target_recovery", "temperature_C"]
    # the first variable varies slowest
    assert_allclose(table["target_recovery"], np.repeat([0.40, 0.45, 0.50], 4))
    assert_allclose(table["temperature_C"], np.tile([15, 20, 25, 30], 3))
    direct = project("seawater_px", recovery=table["target_recovery"].to_numpy(),
                     temperature=table["temperature_C"].to_numpy())
    # same engine, same cases: only the recycle loop's stopping point (1e-8) may differ
    assert_allclose(table["feed_pressure_bar"], direct.feed_pressure / 1e5, rtol=1e-7)
    assert_allclose(table["permeate_tds_mg_L"], direct.permeate_tds, rtol=1e-6)
    assert_allclose(table["sec_kWh_m3"], direct.sec, rtol=1e-7)
    assert table["feasible"].all() and (table["reason"] == "").all()
    assert set(OUTPUTS) - {"lcow_usd_m3"} <= set(table.columns) | {"lcow_usd_m3"}


def test_design_field_equals_the_edited_design_file():
    table = sweep("seawater_px", {"array.stages.0.vessels": [36, 44],
                                  "pumps.high_pressure_efficiency": [0.85]})
    assert list(table["array.stages.0.vessels"]) == [36, 44]
    for vessels, row in zip((36, 44), table.itertuples(), strict=True):
        data = _read_yaml(bundled_example("seawater_px"))
        data["array"]["stages"][0]["vessels"] = vessels
        data["pumps"]["high_pressure_efficiency"] = 0.85
        expected = project(load_design(data))
        assert_allclose(row.feed_pressure_bar, expected.feed_pressure[0] / 1e5, rtol=1e-9)
        assert_allclose(row.sec_kWh_m3, expected.sec[0], rtol=1e-9)


def test_pressure_fields_and_strings_with_units():
    bare = sweep("brackish_2stage", {"array.stages.1.booster_pressure": [0, 4],
                                     "temperature": (10, 30, 2)})
    units = sweep("brackish_2stage", {"array.stages.1.booster_pressure": ["0 bar", "400 kPa"],
                                      "temperature": ("283.15 K", "30 degC", 2)})
    assert "array.stages.1.booster_pressure_bar" in bare.columns
    assert_allclose(units["array.stages.1.booster_pressure_bar"], [0, 0, 4, 4])
    assert_allclose(units["feed_pressure_bar"], bare["feed_pressure_bar"], rtol=1e-12)


def test_pre_stage_pressure_loss_is_a_sweep_field():
    """The vendor tools' fixed loss before a stage (ROSA/WAVE pre-stage dP; design field
    ``pre_stage_pressure_loss``) can be swept, and each row is the design projected with it."""
    table = sweep("brackish_2stage", {"array.stages.1.pre_stage_pressure_loss": [0.0, 1.0]})
    data = _read_yaml(bundled_example("brackish_2stage"))
    data["array"]["stages"][1]["pre_stage_pressure_loss"] = "1 bar"
    expected = project(load_design(data))
    assert_allclose(table["feed_pressure_bar"].iloc[1], expected.feed_pressure[0] / 1e5,
                    rtol=1e-9)
    assert table["feed_pressure_bar"].iloc[1] > table["feed_pressure_bar"].iloc[0]


def test_two_pass_design_fields_and_boron():
    names = variable_names(load_design("seawater_2pass").to_system())
    assert "array.passes.1.recovery" in names and "array.passes.1.stages.1.vessels" in names
    table = sweep("seawater_2pass", {"array.passes.1.recovery": [0.80, 0.90]})
    assert table["permeate_boron_mg_L"].between(0, 5).all()
    # a higher second-pass recovery returns less concentrate: the final permeate is saltier
    assert table["permeate_tds_mg_L"].iloc[1] > table["permeate_tds_mg_L"].iloc[0]


def test_latin_hypercube_is_seeded_stratified_and_in_range():
    vary = {"recovery": (0.35, 0.55), "temperature": (10, 30),
            "array.stages.0.vessels": (38, 42)}
    a = sweep("seawater_px", vary, method="latin", n=20, seed=7)
    b = sweep("seawater_px", vary, method="latin", n=20, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 20
    # one sample in each of the 20 equal strata of every continuous range (McKay et al. 1979)
    strata = np.floor((a["target_recovery"] - 0.35) / 0.20 * 20).astype(int)
    assert sorted(strata) == list(range(20))
    assert a["temperature_C"].between(10, 30).all()
    assert set(a["array.stages.0.vessels"]) <= {38, 39, 40, 41, 42}


def test_outputs_subset_and_evaluate_cases():
    table = sweep("seawater_px", {"recovery": [0.45]}, outputs=["sec_kWh_m3"])
    assert list(table.columns) == ["target_recovery", "sec_kWh_m3", "feasible", "reason"]
    cases = evaluate_cases("seawater_px", {"recovery": [0.45, 0.5], "feed_salinity": [35, 38],
                                           "array.stages.0.vessels": [40, 42]})
    assert list(cases["array.stages.0.vessels"]) == [40, 42]
    assert cases["feed_pressure_bar"].iloc[0] == pytest.approx(
        project("seawater_px").feed_pressure[0] / 1e5, rel=1e-7)
    assert cases["feed_pressure_bar"].iloc[1] > cases["feed_pressure_bar"].iloc[0] + 5


def test_infeasible_cases_carry_their_reason():
    table = sweep("seawater_px", {"recovery": [0.45, 0.7]})
    assert list(table["feasible"]) == [True, False]
    assert "maximum" in table["reason"].iloc[1]


@pytest.mark.parametrize("kwargs, message", [
    ({"vary": {"temprature": (10, 20, 3)}}, "Did you mean 'temperature'"),
    ({"vary": {"array.stages.0.vesels": [40]}}, "array.stages.0.vessels"),
    ({"vary": {"recovery": (0.3, 0.5, 0)}}, "empty range"),
    ({"vary": {"recovery": []}}, "empty list"),
    ({"vary": {}}, "at least one variable"),
    ({"vary": {"recovery": (0.3, 0.5)}}, "needs a count"),
    ({"vary": {"recovery": (0.3, 0.5)}, "method": "latin", "n": 0}, "n >= 1"),
    ({"vary": {"recovery": (0.3, 0.5)}, "method": "latin"}, "n >= 1"),
    ({"vary": {"recovery": (0.3, 0.5, 3)}, "n": 5}, "Latin hypercube"),
    ({"vary": {"recovery": (0.3, 0.5, 3)}, "method": "sobol"}, "factorial or latin"),
    ({"vary": {"recovery": (0.3, 1.2, 3)}}, "recovery must be a fraction"),
    ({"vary": {"recovery": [0.4], "feed_pressure": [60]}}, "at most one target"),
    ({"vary": {"array.stages.0.vessels": (30, 40, 4)}}, "non-whole"),
    ({"vary": {"array.stages.0.vessels": [0]}}, "vessels must be"),
    ({"vary": {"temperature": ["hot"]}}, "temperature"),
    ({"vary": {"recovery": [0.4]}, "outputs": ["lcow"]}, "unknown output"),
])
def test_bad_input_is_one_line(kwargs, message):
    with pytest.raises(InputError, match=message) as err:
        sweep("seawater_px", **kwargs)
    assert "\n" not in str(err.value)


@given(st.text(max_size=30))
def test_parse_vary_never_crashes(text):
    try:
        name, levels = parse_vary(text)
    except InputError:
        return
    assert isinstance(name, str) and isinstance(levels, (tuple, list))


# ------------------------------------------------------------------------------- the command


def test_cli_sweep_json_csv_parquet_and_plot(tmp_path):
    out = tmp_path / "r.parquet"
    fig = tmp_path / "f.png"
    result = runner.invoke(app, ["sweep", "seawater_px", "--vary", "recovery=0.4:0.5:3",
                                 "--vary", "temperature=15,25", "--output", str(out),
                                 "--plot", str(fig), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["cases"] == 6 and data["inputs"] == ["target_recovery", "temperature_C"]
    table = pd.read_parquet(out)
    assert len(table) == 6 and table["feasible"].all()
    assert fig.stat().st_size > 1000
    csv = tmp_path / "r.csv"
    result = runner.invoke(app, ["sweep", "seawater_px", "--vary", "recovery=0.4:0.5",
                                 "--latin", "5", "--seed", "1", "--output", str(csv)])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(csv)) == 5


@pytest.mark.parametrize("args, message", [
    (["--vary", "temprature=10:20:3"], "Did you mean 'temperature'"),
    (["--vary", "recovery=0.4:0.5:0"], "empty range"),
    (["--vary", "recovery"], "NAME=LOW:HIGH:N"),
    (["--vary", "recovery=0.4:0.5:x"], "whole number"),
    (["--vary", "recovery=0.4:0.5", "--latin", "0"], "n >= 1"),
    (["--vary", "recovery=0.4:0.5:2", "--output", "r.xlsx"], ".csv or .parquet"),
    (["--vary", "recovery=0.4:0.5:2", "--monte-carlo", "0"], "draws >= 1"),
    (["--vary", "recovery=0.4:0.5:2", "--dask", "--scheduler", "tcp://x:1"], "not both"),
])
def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "r.csv"
    args = [a if a != "r.xlsx" else str(tmp_path / a) for a in args]
    if "--output" not in args:
        args += ["--output", str(out)]
    result = runner.invoke(app, ["sweep", "seawater_px", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_keeps_the_finished_cases(tmp_path):
    """SIGINT to a running sweep: exit 130 and the finished chunks in the output file."""
    out = tmp_path / "part.csv"
    env = dict(os.environ, PYTHONPATH=str(SRC))
    process = subprocess.Popen(
        [sys.executable, "-m", "osmolab.cli", "sweep", "seawater_px", "--vary",
         "recovery=0.35:0.55:100", "--vary", "temperature=10:35:2000", "--chunk-size", "500",
         "--output", str(out)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env,
        text=True)
    try:
        line = process.stderr.readline()
        assert line.startswith("sweep: 200,000 cases"), line
        # long enough for a chunk to finish on a loaded 2-core machine, far from the ~60 s
        # the whole sweep takes
        time.sleep(8.0)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert "interrupted" in err
    table = pd.read_csv(out)
    assert 0 < len(table) < 200_000
    assert len(table) % 500 == 0  # whole chunks only
    assert table["feed_pressure_bar"].notna().all()


def test_lcow_column_from_the_design_files_costing_section():
    from osmolab.ro.costing import cost_projection

    table = sweep("seawater_px", {"recovery": [0.40, 0.50]})
    for row in table.itertuples():
        expected = cost_projection(project("seawater_px", recovery=row.target_recovery),
                                   load_design("seawater_px").costing.to_basis())
        assert row.lcow_usd_m3 == pytest.approx(expected["lcow_usd_m3"], rel=1e-7)
    assert "lcow_usd_m3" not in sweep("seawater_px", {"recovery": [0.4]}, costing=False)
    other = sweep("brackish_2stage", {"recovery": [0.7]}, costing="voutchkov2018")
    assert other["lcow_usd_m3"].iloc[0] > 0


_LEVEL = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=32),
                   st.integers(-5, 50), st.text(max_size=6))


@given(st.sampled_from(["recovery", "temperature", "feed_salinity", "array.stages.0.vessels",
                        "fouling_factor", "membrane_age", "pumps.high_pressure_efficiency"]),
       st.one_of(st.tuples(_LEVEL, _LEVEL, st.one_of(st.integers(-2, 3), _LEVEL)),
                 st.lists(_LEVEL, max_size=3)))
def test_random_levels_give_a_table_or_one_line(name, levels):
    """Any levels: a table without NaN in the numeric outputs, or one InputError line."""
    try:
        table = sweep("seawater_px", {name: levels}, outputs=["feed_pressure_bar"],
                      costing=False)
    except InputError as err:
        assert "\n" not in str(err)
        return
    assert table["feed_pressure_bar"].notna().all()
