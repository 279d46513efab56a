"""CLI: ``osmolab design`` and ``osmolab elements`` (typer CliRunner on osmolab.cli.app)."""

import json

import pytest
from typer.testing import CliRunner

from osmolab.cli import app
from osmolab.ro.design import EXAMPLES, bundled_example

runner = CliRunner()

JSON_KEYS = {"feed_pressure_bar", "recovery", "permeate_flow_m3_h", "permeate_tds_mg_L",
             "sec_kWh_m3", "min_sec_kWh_m3", "stages", "elements", "warnings"}


def run(*args):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_design_json_on_each_example(name):
    result = run("design", str(bundled_example(name)), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert JSON_KEYS <= set(data)
    assert data["elements"] and data["stages"]
    for element in data["elements"]:
        assert {"flux_LMH", "recovery", "beta"} <= set(element)
    assert all(isinstance(w, str) for w in data["warnings"])
    assert 0 < data["recovery"] < 1 and data["feed_pressure_bar"] > 0


def test_design_tables_and_report(tmp_path):
    report = tmp_path / "r.html"
    result = run("design", "seawater_px", "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "feed pressure" in result.stdout and "Elements" in result.stdout
    assert report.exists() and "<svg" in report.read_text(encoding="utf-8")


def test_design_overrides():
    base = json.loads(run("design", "seawater_px", "--json").stdout)
    higher = run("design", "seawater_px", "--json", "--recovery", "0.5", "--temperature", "20")
    assert higher.exit_code == 0, higher.output
    data = json.loads(higher.stdout)
    assert data["recovery"] == pytest.approx(0.5, abs=1e-3)
    assert data["feed_pressure_bar"] > base["feed_pressure_bar"]
    fixed = json.loads(run("design", "seawater_px", "--json", "--feed-pressure", "60").stdout)
    assert fixed["feed_pressure_bar"] == pytest.approx(60, abs=0.05)


@pytest.mark.parametrize(
    "args, message",
    [
        (("design", "no_such_file.yaml"), "not found"),
        (("design", "seawater_px", "--recovery", "1.5"), "recovery"),
        (("design", "seawater_px", "--feed-flow", "-3"), "feed_flow"),
        (("design", "seawater_px", "--recovery", "0.4", "--feed-pressure", "60"), "at most one target"),
        (("design", "seawater_px", "--water-source", "sewage"), "water_source"),
        (("elements", "--type", "river"), "unknown element type"),
        (("design", "seawater_px", "--recovery", "0.75"), "maximum"),
        (("design", "seawater_px", "--feed-flow", "1e300"), "feed_flow must be at most"),
        (("design", "seawater_px", "--permeate-flow", "500"), "99 % or more of the RO feed flow"),
        (("design", "seawater_pxx"), "Did you mean 'seawater_px'"),
        (("design", "seawater_px", "--feed-salinity", "0.035"), "ambiguous: write '0.035 g/kg' or '35 g/kg'"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]
    assert "Traceback" not in result.output


def test_bad_design_file_exits_2(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(bundled_example("seawater_px").read_text().replace("SW30XLE-440i", "SW30XLE-44i"))
    result = run("design", str(path))
    assert result.exit_code == 2
    assert "array.stages[0].element: unknown element 'SW30XLE-44i'. Did you mean 'SW30XLE-440i'" in result.output


def test_elements_json_and_filter():
    result = run("elements", "--json", "--type", "seawater")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert rows and {r["type"] for r in rows} == {"seawater"}
    assert {"name", "area_m2", "permeate_flow_m3_d", "source"} <= set(rows[0])
    table = run("elements")
    assert table.exit_code == 0 and "BW30-400" in table.stdout


def test_huge_ion_concentration_exits_2_not_1(tmp_path):
    path = tmp_path / "ions.yaml"
    path.write_text(bundled_example("brackish_2stage").read_text().replace("Na+: 480", "Na+: 1e300"))
    result = run("design", str(path))
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: feed.ions: ion table totals 1e+300 mg/L")
