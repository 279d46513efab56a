"""Sanity of the RO element library (osmolab/data/ro_elements.csv).

The figures are manufacturer datasheet values (sources in the table); these tests check
units, ranges and provenance, not the physics (the calibration tests of osmolab.ro.library
do that).
"""

import math

import pytest

from osmolab.data import load_csv

GPD_TO_M3_D = 3.785411784e-3
FT2_TO_M2 = 0.09290304


@pytest.fixture(scope="module")
def table():
    return load_csv("ro_elements.csv")


def test_at_least_twelve_elements_of_both_types(table):
    assert len(table) >= 12
    assert set(table["type"]) == {"seawater", "brackish"}
    assert (table["type"] == "seawater").sum() >= 5
    assert (table["type"] == "brackish").sum() >= 5
    assert table["name"].is_unique


def test_required_elements_present(table):
    names = set(table["name"])
    for name in ("SW30HRLE-440i", "SW30XLE-440i", "SWC5-LD", "TM820V-400", "BW30-400",
                 "BW30HR-440i", "XLE-440", "ESPA2-LD", "CPA5-LD", "TM720D-400"):
        assert name in names


def test_every_row_has_a_source_and_confidence(table):
    assert table["source"].map(lambda s: isinstance(s, str) and len(s) > 20).all()
    assert set(table["confidence"]) <= {"V", "S", "M"}


def test_units_and_ranges(table):
    # 8-inch elements: 300-440 ft2 (28-41 m2), 40-inch long, 26-34 mil spacers
    assert table["area_m2"].between(28, 42).all()
    assert table["feed_spacer_mil"].between(26, 34).all()
    assert (table["length_m"] == 1.016).all()
    assert table["test_temperature_C"].eq(25).all()
    assert table["test_recovery"].between(0.05, 0.2).all()
    assert table["test_pH"].between(6, 8.5).all()
    assert table["rejection_stabilized_pct"].between(98, 99.95).all()
    assert (table["rejection_min_pct"] <= table["rejection_stabilized_pct"]).all()
    assert table["max_pressure_drop_bar"].between(0.5, 1.1).all()
    sea = table[table["type"] == "seawater"]
    brack = table[table["type"] == "brackish"]
    assert sea["test_feed_nacl_mg_L"].eq(32000).all()
    assert sea["test_pressure_bar"].between(55, 56).all()
    assert sea["max_pressure_bar"].between(80, 84).all()
    assert brack["test_feed_nacl_mg_L"].between(500, 2000).all()
    assert brack["test_pressure_bar"].between(6.5, 16).all()
    assert brack["max_pressure_bar"].between(40, 42).all()
    # boron rejection is a seawater-element specification
    assert sea["boron_rejection_pct"].between(85, 96).all()
    assert brack["boron_rejection_pct"].isna().all()


def test_datasheet_conversions():
    """Spot checks of gpd -> m3/d and ft2 -> m2 as printed on the sheets."""
    table = load_csv("ro_elements.csv").set_index("name")
    # SW30XLE-440i: 9,900 gpd, 440 ft2 (DuPont form 45-D00974)
    assert math.isclose(table.loc["SW30XLE-440i", "permeate_flow_m3_d"], 9900 * GPD_TO_M3_D, rel_tol=0.01)
    assert math.isclose(table.loc["SW30XLE-440i", "area_m2"], 440 * FT2_TO_M2, rel_tol=0.01)
    # BW30-400: 10,500 gpd, 400 ft2
    assert math.isclose(table.loc["BW30-400", "permeate_flow_m3_d"], 10500 * GPD_TO_M3_D, rel_tol=0.01)
    # SW30HRLE-400 (Dow form 609-00425-1109, verified): 7,500 gpd
    assert math.isclose(table.loc["SW30HRLE-400", "permeate_flow_m3_d"], 7500 * GPD_TO_M3_D, rel_tol=0.01)


def test_test_pressure_exceeds_osmotic_pressure(table):
    """The datasheet test must have a positive net driving pressure (~0.79 bar per g/L NaCl)."""
    osmotic_bar = table["test_feed_nacl_mg_L"] / 1000 * 0.79
    assert (table["test_pressure_bar"] > 1.1 * osmotic_bar).all()
    # implied permeability between 0.8 and 9 L/(m2 h bar): seawater ~1, brackish 3-8
    flux = table["permeate_flow_m3_d"] / 24 / table["area_m2"] * 1000
    permeability = flux / (table["test_pressure_bar"] - osmotic_bar)
    assert permeability.between(0.8, 9).all()
