"""Design-file feed analysis: the charge-balance check and WAVE's "adjust an ion" (issue 9, Bad
input: "an analysis whose charge imbalance exceeds the allowed limit without a named balancing
ion -> one clear line, CLI exit 2, HTTP 422"); the scale warnings' worst element and remedy; the
product after a permeate degasser.

The 5 % acceptance limit is the usual one of an analysis' cation-anion balance (Standard
Methods 1030 E), the same as ``osmolab water``'s.
"""

from __future__ import annotations

import math

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from osmolab.cli import app
from osmolab.errors import InputError
from osmolab.ro.chemistry import _warning, stream_chemistry
from osmolab.ro.design import bundled_example, load_design, project
from osmolab.ro.schema import balance_ion_table
from osmolab.thermo.species import charge, molar_mass
from osmolab.web.app import create_app
from osmolab.web.security import Settings


def _brackish(**feed):
    raw = yaml.safe_load(bundled_example("brackish_2stage").read_text(encoding="utf-8"))
    raw["feed"].update(feed)
    return raw


def _meq(ions):
    return sum(mg / molar_mass(name) * charge(name) for name, mg in ions.items())


def test_an_unbalanced_ion_table_is_one_line_without_balance():
    raw = _brackish()
    raw["feed"]["ions"]["Cl-"] = 100.0  # 780 -> 100 mg/L: +40 % excess of cations
    with pytest.raises(InputError) as info:
        load_design(raw)
    message = str(info.value)
    assert "\n" not in message and "+40.2 %" in message and "balance: Na+" in message


def test_balance_adjusts_the_named_ion_and_says_so():
    raw = _brackish(balance="Cl-")
    raw["feed"]["ions"]["Cl-"] = 100.0
    design = load_design(raw)
    ions = design.feed.ions
    assert abs(_meq(ions)) < 1e-9 * sum(abs(mg / molar_mass(n) * charge(n)) for n, mg in ions.items())
    assert ions["Cl-"] == pytest.approx(726.2, abs=0.1)  # 100 + 626.2 mg/L
    assert all(ions[k] == v for k, v in _brackish()["feed"]["ions"].items() if k != "Cl-")
    warnings = project(raw).to_dict()["warnings"]
    assert warnings[0] == ("feed.ions: charge imbalance +40.2 % balanced with Cl- (+626.2 mg/L, "
                           "feed.balance)")


def test_a_balanced_table_and_the_bundled_examples_are_untouched():
    # the brackish example is -2.4 % out of balance: inside the limit, kept as written
    raw = _brackish()
    assert load_design(raw).feed.ions == raw["feed"]["ions"]
    assert load_design(raw).feed.balance_note is None
    # balancing an already neutral table changes nothing
    neutral = {"Na+": molar_mass("Na+"), "Cl-": molar_mass("Cl-")}  # 1 mmol/L each
    table, (ion, added, before) = balance_ion_table(neutral, "Na+")
    assert ion == "Na+" and abs(added) < 1e-6 and abs(before) < 1e-6


@pytest.mark.parametrize("feed, message", [
    ({"balance": "SiO2"}, "has no charge"),
    ({"balance": "Xq+"}, "unknown species"),
    ({"balance": "K+", "ions": {"Na+": 100.0, "K+": 5.0, "Cl-": 60.0}}, "negative"),
    ({"balance": "Na+", "ions": None, "salinity": "2 g/kg"}, "ion table"),
])
def test_bad_balance_is_one_line(feed, message):
    raw = _brackish(**feed)
    if feed.get("ions", 1) is None:
        del raw["feed"]["ions"]
    with pytest.raises(InputError) as info:
        load_design(raw)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_unbalanced_design_exits_2_on_the_cli_and_422_on_the_web(tmp_path):
    raw = _brackish()
    raw["feed"]["ions"]["Cl-"] = 100.0
    path = tmp_path / "unbalanced.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = CliRunner().invoke(app, ["design", str(path), "--json"])
    assert result.exit_code == 2, result.output
    assert "charge balance" in result.output and "Traceback" not in result.output
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'p.sqlite'}")
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/project", json={"design": raw})
        assert response.status_code == 422, response.text
        assert "charge balance" in str(response.json()["detail"])
        raw["feed"]["balance"] = "Na+"
        response = client.post("/api/project", json={"design": raw})
        assert response.status_code == 200, response.text


# ------------------------------------------------------------------------------------------
# scale warnings: the worst element and the remedy


def test_the_worst_calcite_element_is_the_one_most_supersaturated():
    """Ca 400, SO4 1100, Cl 500 mg/L (Na+ balancing): the tail element's concentrate passes
    10 g/L and is judged by S&DSI (ASTM D4582, 1.95), the one before by LSI (D3739, 1.96).
    The warning must name the tail element (the highest calcite SI), not the element whose
    index number happens to be larger."""
    raw = _brackish(balance="Na+")
    raw["feed"]["ions"].update({"Ca+2": 400.0, "SO4-2": 1100.0, "Cl-": 500.0})
    data = project(raw).to_dict()
    rows = {r["stream"]: r for r in data["scaling"]["streams"]}
    tail, before = rows["element 1-2-6 concentrate"], rows["element 1-2-5 concentrate"]
    assert tail["calcite_index"] == "sdsi" and before["calcite_index"] == "lsi"
    assert before["lsi"] > tail["sdsi"]  # the trap: the larger index is upstream
    assert tail["minerals"]["calcite"]["si"] > before["minerals"]["calcite"]["si"]
    calcite = [w for w in data["warnings"] if "calcite" in w]
    assert len(calcite) == 1 and calcite[0].startswith("element 1-2-6 concentrate: calcite SDSI")


def test_acid_remedy_gives_the_feed_ph_and_points_to_the_exact_dose():
    """The brackish example (feed pH 7.4, concentrate LSI 1.59): acid to about pH 5.8 (the excess
    taken off the feed pH), and the design file's acid with target_lsi gives the dose; that
    dose lands at pH 6.05 (122 mg/L H2SO4), above the estimate as the acid's CO2 lowers the
    index further, so the estimate is on the safe side."""
    data = project(bundled_example("brackish_2stage")).to_dict()
    (line,) = [w for w in data["warnings"] if "calcite" in w]
    assert "feed pH from 7.4 to about 5.8" in line and "target_lsi: 0" in line
    raw = _brackish()
    raw["chemistry"] = {"acid": {"chemical": "H2SO4", "target_lsi": 0}}
    acid = project(raw).dosing["doses"]["acid"]
    assert acid["ph_after"] == pytest.approx(6.05, abs=0.02) and acid["ph_after"] > 5.8
    assert acid["dose_mg_L"] == pytest.approx(122.3, abs=0.5)


def test_a_caustic_pass_is_judged_by_calcite_si_and_told_to_dose_less_caustic():
    """NaOH to pH 10 before pass 2 (the bundled seawater_2pass_caustic): its concentrate, at
    pH 10.7, has LSI +0.90 (carbonate alkalinity) but calcite SI -0.21, undersaturated; the LSI
    takes the carbonate alkalinity as bicarbonate, which fails as CO3-2 grows, so above pH 9
    calcite is judged by its SI and no calcite warning names pass 2. Where a dosed pass does
    exceed, the remedy is less caustic, not acid on the raw feed."""
    data = project(bundled_example("seawater_2pass_caustic")).to_dict()
    rows = {r["stream"]: r for r in data["scaling"]["streams"]}
    tail = rows["pass 2 concentrate"]
    assert tail["pH"] > 10.5 and tail["calcite_index"] == "si"
    assert tail["si"] == pytest.approx(-0.21, abs=0.02) and tail["lsi"] > 0.8
    assert not any(w.startswith("element 2-") and "calcite" in w for w in data["warnings"])
    row = dict(tail, minerals={"calcite": dict(tail["minerals"]["calcite"], limit=-1.0)})
    line = _warning(row, "calcite", False, 8.0, caustic_ph=10.0)
    assert "calcite SI -0.21 above -1" in line
    assert "dose less caustic before this pass (its feed is at pH 10.0)" in line
    assert "dose acid" not in line


# ------------------------------------------------------------------------------------------
# the product after a permeate degasser


def test_degassed_product_row_matches_the_degasser_record():
    """The acid example strips 90 % of the permeate's CO2 (a forced-draft decarbonator): the
    scaling table's ``product, degassed`` has 90 % of the product's CO2 less carbon, the same
    alkalinity and TDS, and the pH of the design's degasser record (``dosing.degas``) to
    0.01."""
    result = project(str(bundled_example("brackish_2stage").parent / "example_brackish_acid.yaml"))
    record = result.dosing["doses"]["degas_permeate"]
    chem = stream_chemistry(result, limits=result.chemistry["limits"], antiscalant=True,
                            degas_permeate=result.chemistry["degas_permeate"])
    rows = {r["stream"]: r for r in chem["streams"]}
    product, degassed = rows["product"], rows["product, degassed"]
    assert degassed["kind"] == "product"
    stripped = 0.9 * product["co2_mg_L"] / 44.0095  # mmol/L, about mmol/kg in a permeate
    assert degassed["total_inorganic_carbon_mmol_kg"] == pytest.approx(
        product["total_inorganic_carbon_mmol_kg"] - stripped, rel=0.01)
    # 10 % of the CO2 is left, plus the little that the fall in H+ at the higher pH turns
    # from HCO3- back into CO2 (the alkalinity, HCO3- - H+, is kept): 4.77 against 4.52 mg/L
    assert 0.1 * product["co2_mg_L"] < degassed["co2_mg_L"] < 0.11 * product["co2_mg_L"]
    assert degassed["alkalinity_mg_L_as_CaCO3"] == pytest.approx(
        product["alkalinity_mg_L_as_CaCO3"], rel=1e-6)
    assert degassed["tds_mg_L"] == product["tds_mg_L"]
    assert product["pH"] == pytest.approx(record["ph_before"], abs=0.01)
    assert degassed["pH"] == pytest.approx(record["ph_after"], abs=0.01)
    assert degassed["pH"] > product["pH"] + 0.8
    assert math.isfinite(degassed["lsi"]) and degassed["lsi"] > product["lsi"]
    # the projection's JSON (to_dict, the web API and the reports) carries the same row
    streams = {r["stream"]: r for r in result.to_dict()["scaling"]["streams"]}
    assert streams["product, degassed"]["pH"] == pytest.approx(degassed["pH"], abs=1e-9)


def test_a_projection_outside_a_constant_range_says_so():
    """The brackish plant with 0.2 mg/L phosphate at 42 degC: hydroxyapatite's constant is
    fitted over 5-40 degC, so the projection's warnings say its SI is an extrapolation; at
    the design's 20 degC they do not."""
    raw = _brackish(balance="Na+")
    raw["feed"]["ions"]["PO4-3"] = 0.2
    note = ("water chemistry: hydroxyapatite: its solubility constant is fitted over 5-40 degC; "
            "at 42 degC its SI is an extrapolation")
    assert note in project(raw, temperature=42).to_dict()["warnings"]
    assert not any("extrapolation" in w for w in project(raw).to_dict()["warnings"])


def test_water_limits_judge_calcite_by_si_above_ph_9():
    """The water command's limit check follows the projection's rule (judged_calcite): a
    permeate-like water dosed with NaOH to pH 10.5 and concentrated twice is at pH 10.75 with
    LSI +0.73 but calcite SI -0.26: not exceeded, and the row says what was judged."""
    from osmolab.thermo.analysis import water_analysis
    from osmolab.thermo.dosing import chemical_adjustment

    water = water_analysis("Ca+2 0.25 mg/L, Na+ 10 mg/L, HCO3- 10 mg/L, Cl- 14 mg/L, B 1 mg/L",
                           7.0, balance="Cl-")
    _, record = chemical_adjustment(water, caustic={"target_ph": 10.5}, concentration_factor=2.0)
    lsi = record["concentrate"]["indices"]["lsi"]
    assert lsi["value"] > 0.7 and lsi["si"] == pytest.approx(-0.26, abs=0.02)
    assert lsi["judged_by"] == "calcite SI" and not lsi["exceeded"]


def test_boron_as_b_in_the_summary_and_the_scaling_table():
    """Boron limits are written as B (WHO 2.4 mg/L): the two two-pass examples print their
    product boron as B in the summary (0.266 and 0.036 mg/L, docs/water-chemistry.md), and the
    scaling table of the reports has a B column; a water without boron has neither."""
    from osmolab.report.markdown import scaling_rows
    from osmolab.ro.design import summary_lines

    for name, boron in (("seawater_2pass", 0.266), ("seawater_2pass_caustic", 0.036)):
        data = project(bundled_example(name)).to_dict()
        (line,) = [x for x in summary_lines(data) if "product boron" in x]
        assert f"{boron:.3f} mg/L as B" in line
        head, rows = scaling_rows(data)
        column = head.index("B [mg/L]")
        product = next(r for r in rows if r[0] == "product")
        assert float(product[column]) == pytest.approx(boron, abs=6e-4)
    plain = project(bundled_example("brackish_2stage")).to_dict()
    assert not any("boron" in x for x in summary_lines(plain))
    assert "B [mg/L]" not in scaling_rows(plain)[0]
