"""CLI: ``osmolab water`` (speciation, SI, LSI, S&DSI, concentrate; exit 2 on bad input)."""

import json

import pytest
from typer.testing import CliRunner

from osmolab.cli import app

runner = CliRunner()
ANALYSIS = ("Ca+2 82 mg/L, Mg+2 24 mg/L, Na+ 120 mg/L, HCO3- 240 mg/L, SO4-2 96 mg/L, "
            "Cl- 180 mg/L, SiO2 20 mg/L, B 0.5 mg/L")


def run(*args):
    return runner.invoke(app, list(args))


def test_water_json_keys_and_concentrate():
    result = run("water", ANALYSIS, "--ph", "7.7", "--concentrate", "4", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    feed, brine = data["feed"], data["concentrate"]
    assert {"ph", "temperature_C", "tds_mg_L", "charge_imbalance_percent", "speciation",
            "saturation_index", "lsi", "sdsi"} <= set(feed)
    assert set(feed["saturation_index"]) >= {"calcite", "gypsum", "amorphous_silica"}
    assert brine["recovery_percent"] == pytest.approx(75.0)
    assert brine["speciation"]["ph"] > feed["ph"]
    assert brine["saturation_index"]["calcite"] > feed["saturation_index"]["calcite"] + 0.5
    assert brine["lsi"] > feed["lsi"]
    assert feed["speciation"]["molality_mol_kg"]["B(OH)3"] > 0


def test_water_table_and_temperature_units_agree():
    bare = run("water", ANALYSIS, "--ph", "7.7", "--temperature", "30", "--json")
    kelvin = run("water", ANALYSIS, "--ph", "7.7", "--temperature", "303.15 K", "--json")
    assert json.loads(bare.stdout) == json.loads(kelvin.stdout)
    table = run("water", ANALYSIS, "--ph", "7.7", "-c", "2")
    assert table.exit_code == 0 and "LSI" in table.stdout and "calcite" in table.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--ph", "15"], "outside 0-14"),
        (["--ph", "7", "--concentrate", "0.5"], "--concentrate must be >= 1"),
        (["--ph", "7", "--temperature", "-300"], "absolute zero"),
        (["--ph", "7", "--balance", "Xx+"], "cannot balance"),
    ],
)
def test_water_bad_input_exit_2(args, message):
    result = run("water", ANALYSIS, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_water_bad_analysis_exit_2():
    for text, message in [("Ca+2 82 mg/L, Foo 3 mg/L", "unknown ion"),
                          ("Ca+2 82 mg/L, alkalinity -2 meq/L", "alkalinity must be >= 0"),
                          ("Ca+2 200 mg/L, HCO3- 10 mg/L", "out of charge balance")]:
        result = run("water", text, "--ph", "7")
        assert result.exit_code == 2, result.output
        assert message in result.output


def test_water_total_co2_aliases_and_carbonate_free_json():
    """Review r12 of issue 9, items 6, 15 and 19: total CO2 in the analysis, 'Ca2+' notation,
    null LSI/S&DSI without carbonate, no numpy warnings, no 'water 0:' prefix."""
    twice = run("water", "Ca2+ 82 mg/L, Ca++ 1 mg/L, Na+ 50 mg/L, HCO3- 244 mg/L, Cl- 70 mg/L",
                "--ph", "7.7", "--balance", "Cl-", "--json")
    assert twice.exit_code == 2 and "Ca+2 is given twice" in twice.output
    as_hco3 = run("water", "Ca2+ 82 mg/L, Na+ 50 mg/L, HCO3- 244 mg/L, Cl- 70 mg/L", "--ph", "7.7",
                  "--balance", "Cl-", "--json")
    carbon = json.loads(as_hco3.stdout)["feed"]["speciation"]["total_inorganic_carbon_mmol_kg"]
    as_tic = run("water", f"Ca++ 82 mg/L, Na+ 50 mg/L, total CO2 {carbon * 0.9969:.5g} mmol/L, "
                 "Cl- 70 mg/L", "--ph", "7.7", "--balance", "Cl-", "--json")
    assert as_tic.exit_code == 0, as_tic.output
    feed = json.loads(as_tic.stdout)["feed"]
    assert feed["speciation"]["total_inorganic_carbon_mmol_kg"] == pytest.approx(carbon, rel=1e-3)
    assert feed["lsi"] == pytest.approx(json.loads(as_hco3.stdout)["feed"]["lsi"], abs=0.01)
    free = run("water", "Ca+2 82 mg/L, Cl- 145 mg/L", "--ph", "7.5", "-c", "4", "--json")
    assert free.exit_code == 0 and "warning" not in free.output
    data = json.loads(free.stdout)
    for stream in (data["feed"], data["concentrate"]):
        assert stream["lsi"] is None and stream["sdsi"] is None
        assert stream["saturation_index"]["calcite"] is None
    table = run("water", "Ca+2 82 mg/L, Cl- 145 mg/L", "--ph", "7.5")
    assert table.exit_code == 0 and "warning" not in table.output
    bad = run("water", "Ca+2 82 mg/L, Na+ 50 mg/L, HCO3- 244 mg/L, Cl- 70 mg/L", "--ph", "3",
              "--balance", "Cl-")
    assert bad.exit_code == 2 and bad.output.startswith("error: ") and "water 0" not in bad.output


def test_degasser_has_its_own_table_and_no_dose_means_no_adjusted_column():
    """The water command's tables as an operator reads them: the degasser is not a chemical
    (no product strength), barite and celestite without Ba/Sr in the analysis show '-' in the
    limits table, and without any dose there is no 'adjusted' water column."""
    water = ("Ca+2 60 mg/L, Mg+2 12 mg/L, Na+ 115 mg/L, HCO3- 250 mg/L, SO4-2 40 mg/L, "
             "Cl- 150 mg/L")
    dosed = run("water", water, "--ph", "7.8", "--balance", "Cl-", "--acid", "H2SO4",
                "--target-ph", "6.5", "--recovery", "0.75", "--degas", "0.9")
    assert dosed.exit_code == 0, dosed.output
    assert "Degasser" in dosed.output and "CO2 removed" in dosed.output
    chemicals = dosed.output.split("Chemical doses")[1].split("Degasser")[0]
    assert "H2SO4" in chemicals and "CO2" not in chemicals
    barite = next(line for line in dosed.output.splitlines() if "│ barite" in line)
    assert barite.split("│")[2].strip() == "-"
    plain = run("water", water, "--ph", "7.8", "--balance", "Cl-", "--recovery", "0.75")
    assert plain.exit_code == 0, plain.output
    assert "adjusted" not in plain.output and "adjusted" in dosed.output


def test_a_constant_used_outside_its_range_is_noted():
    """Hydroxyapatite's constant (MINTEQA2, as in phreeqc.dat) is fitted over 5-40 degC
    (data/minerals.csv): at 45 degC the table still shows its SI, with a note saying it is
    an extrapolation; at 25 degC there is none."""
    water = "Ca+2 82 mg/L, Na+ 50 mg/L, HCO3- 244 mg/L, Cl- 70 mg/L, PO4-3 1 mg/L"
    hot = run("water", water, "--ph", "7.7", "--balance", "Cl-", "--temperature", "45", "--json")
    assert hot.exit_code == 0, hot.output
    assert json.loads(hot.output)["notes"] == [
        "hydroxyapatite: its solubility constant is fitted over 5-40 degC; at 45 degC its SI is "
        "an extrapolation"]
    text = run("water", water, "--ph", "7.7", "--balance", "Cl-", "--temperature", "45")
    assert "note: hydroxyapatite" in text.output
    mild = run("water", water, "--ph", "7.7", "--balance", "Cl-", "--json")
    assert json.loads(mild.output)["notes"] == []
