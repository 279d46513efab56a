"""Water analyses as engineers write them (osmolab.thermo.analysis) and the calcite indices
at high pH (osmolab.thermo.scaling): review r12 of issue 9, items 2, 6, 7, 15 and 19.

References: the carbonate equilibria and the activity model are those of
:func:`osmolab.thermo.speciation.speciate` (Plummer & Busenberg 1982; PHREEQC's phreeqc.dat),
whose published checks live in tests/test_speciation.py and tests/test_scaling_phreeqc.py;
here the same water written in different ways must give the same speciation, and the LSI of
ASTM D3739 must keep its value in ordinary waters while it stops counting OH- and borate as
carbonate above pH 9 (the pool industry's "carbonate alkalinity" correction, Orenda
Technologies 2017; Langelier 1936 writes pHs with HCO3-).
"""

import dataclasses
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osmolab.errors import InputError
from osmolab.thermo.analysis import _water_per_litre, concentrate, parse_analysis, water_analysis
from osmolab.thermo.dosing import caustic_dose
from osmolab.thermo.scaling import _total_calcium, langelier_index, scaling_indices
from osmolab.thermo.speciation import speciate

BASE = "Ca+2 82 mg/L, Na+ 50 mg/L, Cl- 70 mg/L"


def _water(carbonate, ph=7.7, **kwargs):
    return water_analysis(f"{BASE}, {carbonate}", ph, balance="Cl-", **kwargs)


# -- item 7: TDS and molalities do not depend on how the alkalinity is written ---------------
def test_alkalinity_spellings_give_the_same_tds_and_water():
    # 200 mg/L as CaCO3 = 4.00 meq/L = 244 mg/L HCO3- (61.02 g/eq, 50.04 g/eq as CaCO3)
    waters = [_water("HCO3- 244 mg/L"), _water("alkalinity 200 mg/L as CaCO3"),
              _water("alkalinity 3.9965 meq/L")]
    tds = [w.tds for w in waters]
    assert tds[0] == pytest.approx(456.4, abs=0.5)  # the sum of the ions as written
    for value in tds[1:]:
        assert value == pytest.approx(tds[0], rel=0.01)
    for w in waters[1:]:
        assert w.speciation.alkalinity[0] == pytest.approx(waters[0].speciation.alkalinity[0],
                                                           rel=1e-3)
        assert w.totals["Ca+2"] == pytest.approx(waters[0].totals["Ca+2"], rel=1e-4)


# -- item 6: the total inorganic carbon, or the free CO2 with the pH --------------------------
def test_total_co2_spellings_agree_with_the_bicarbonate_water():
    reference = _water("HCO3- 244 mg/L")
    per_litre = _water_per_litre(reference.tds, reference.temperature)  # kg water per L
    carbon_mmol_l = float(reference.speciation.total_carbon[0]) * 1e3 * per_litre
    spellings = [f"total CO2 {carbon_mmol_l:.6g} mmol/L",
                 f"TIC {carbon_mmol_l * 12.011:.6g} mg/L as C",
                 f"DIC {carbon_mmol_l * 12.011:.6g} mg/L",
                 f"total CO2 {carbon_mmol_l * 44.0095:.6g} mg/L",
                 f"TIC {carbon_mmol_l * 44.0095:.6g} mg/L as CO2"]
    for text in spellings:
        w = _water(text)
        s = w.speciation
        assert s.total_carbon[0] == pytest.approx(reference.speciation.total_carbon[0], rel=2e-3)
        assert s.alkalinity[0] == pytest.approx(reference.speciation.alkalinity[0], rel=2e-3)
        assert w.alkalinity == pytest.approx(float(s.alkalinity[0]))
        assert w.tds == pytest.approx(reference.tds, rel=0.01)  # carbonate as HCO3-, no CO2
        assert w.imbalance == pytest.approx(reference.imbalance, abs=2e-3)


def test_free_co2_with_the_ph_fixes_the_carbon():
    reference = _water("HCO3- 244 mg/L")
    per_litre = _water_per_litre(reference.tds, reference.temperature)
    co2_mg_l = float(reference.speciation["CO2"][0]) * 44.0095e3 * per_litre
    w = _water(f"CO2 {co2_mg_l:.6g} mg/L")
    assert w.speciation["CO2"][0] == pytest.approx(reference.speciation["CO2"][0], rel=1e-6)
    assert w.speciation.total_carbon[0] == pytest.approx(reference.speciation.total_carbon[0],
                                                         rel=2e-3)
    # the concentrate of a water given by its carbon is the same water's concentrate
    assert concentrate(w, 4.0).ph[0] == pytest.approx(concentrate(reference, 4.0).ph[0],
                                                       abs=0.01)


def test_total_carbon_reaches_speciate_as_total_carbon():
    w = _water("total CO2 4 mmol/L", ph=6.0)  # mostly CO2 at pH 6: alkalinity < C_T
    s = w.speciation
    assert s.total_carbon[0] == pytest.approx(4e-3 / _water_per_litre(w.tds, w.temperature),
                                              rel=1e-9)
    assert s["CO2"][0] > s["HCO3-"][0]
    direct = speciate(w.totals, 6.0, w.temperature, total_carbon=float(s.total_carbon[0]))
    assert direct.alkalinity[0] == pytest.approx(s.alkalinity[0], rel=1e-9)


@pytest.mark.parametrize("text, message", [
    ("HCO3- 244 mg/L, total CO2 4 mmol/L", "2 ways"),
    ("alkalinity 200 mg/L as CaCO3, total CO2 4 mmol/L, HCO3- 244 mg/L", "3 ways"),
    ("alkalinity 4 meq/L, HCO3- 244 mg/L", "2 ways"),
    ("HCO3- 244 mg/L, CO2 10 mg/L", "free CO2"),
    ("total CO2 4 meq/L", "meq/L has no meaning"),
    ("total CO2 4 mg/L as CaCO3", "as C"),
    ("Ca+2 3 mg/L as C", "as CaCO3"),
    ("CO2 1e4 g/L", "more than water holds"),
])
def test_bad_carbonate_input_is_one_line(text, message):
    with pytest.raises(InputError, match=message) as info:
        water_analysis(f"Na+ 50 mg/L, Cl- 70 mg/L, {text}", 7.7, balance="Cl-")
    assert "\n" not in str(info.value)


# -- item 19: the usual charge notations ----------------------------------------------------
def test_charge_notations_are_aliases():
    written = parse_analysis("Ca2+ 82 mg/L, Mg++ 24 mg/L, Na+1 50 mg/L, SO42- 96 mg/L, "
                             "Cl^- 70 mg/L, HCO3- 240 mg/L, PO4--- 0.1 mg/L, Sr^2+ 1 mg/L")
    assert set(written) == {"Ca+2", "Mg+2", "Na+", "SO4-2", "Cl-", "HCO3-", "PO4-3", "Sr+2"}
    with pytest.raises(InputError, match="unknown ion"):
        parse_analysis("Ca3+ 82 mg/L")


# -- item 2: LSI and S&DSI take the carbonate alkalinity ------------------------------------
def _caustic(calcium, boron, ph):
    water = water_analysis(f"Ca+2 {calcium} mg/L, Na+ 10 mg/L, HCO3- 10 mg/L, Cl- 14 mg/L, "
                           f"B {boron} mg/L", 7.0, balance="Cl-")
    return caustic_dose(water, ph).water.speciation


@pytest.mark.parametrize("calcium, boron, ph, si, lsi", [
    # the review's water: total-alkalinity LSI 1.14 against a calcite SI of 0.06
    (2.0, 1.0, 10.5, 0.06, 0.78),
    # total-alkalinity LSI +0.20 (scale) against SI -0.45: now both below zero
    (1.0, 2.0, 10.0, -0.45, -0.10),
])
def test_lsi_agrees_in_sign_with_the_calcite_si_at_high_ph(calcium, boron, ph, si, lsi):
    s = _caustic(calcium, boron, ph)
    indices = scaling_indices(s)
    si_calcite = float(indices["saturation_index"]["calcite"][0])
    assert si_calcite == pytest.approx(si, abs=0.01)
    assert float(indices["lsi"][0]) == pytest.approx(lsi, abs=0.01)
    assert np.sign(indices["lsi"][0]) == np.sign(si_calcite)
    assert np.sign(indices["sdsi"][0]) == np.sign(si_calcite)
    # OH- and borate carry more than half the total alkalinity here
    assert s.carbonate_alkalinity[0] < 0.6 * s.alkalinity[0]
    total = langelier_index(s.ph, _total_calcium(s), s.alkalinity, s.ionic_strength,
                            s.temperature)
    assert float(total[0]) > float(indices["lsi"][0]) + 0.25


def test_lsi_unchanged_in_ordinary_waters():
    """Below pH 8.5 the carbonate alkalinity is the total alkalinity to well under 1 %: the
    LSI and S&DSI are those of ASTM D3739/D4582 with the total alkalinity, within 0.005."""
    for text, ph in [(f"{BASE}, HCO3- 244 mg/L, SiO2 20 mg/L, B 0.5 mg/L", 7.7),
                     ("Ca+2 60 mg/L, Mg+2 12 mg/L, Na+ 115 mg/L, HCO3- 250 mg/L, SO4-2 40 mg/L, "
                      "Cl- 150 mg/L, B 1 mg/L", 8.3)]:
        s = water_analysis(text, ph, balance="Cl-").speciation
        total = langelier_index(s.ph, _total_calcium(s), s.alkalinity, s.ionic_strength,
                                s.temperature)
        assert float(scaling_indices(s)["lsi"][0]) == pytest.approx(float(total[0]), abs=0.005)


# -- item 15: no carbonate, no LSI; no RuntimeWarnings -------------------------------------
def test_carbonate_free_water_has_no_lsi_and_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = water_analysis("Ca+2 82 mg/L, Cl- 145 mg/L", 7.5)
        data = w.to_dict()
        brine = concentrate(w, 4.0)
        indices = scaling_indices(brine)
    assert math.isnan(data["lsi"]) and math.isnan(data["sdsi"])
    assert data["saturation_index"]["calcite"] == -math.inf
    assert np.isnan(indices["lsi"]).all()
    no_calcium = water_analysis("Na+ 100 mg/L, HCO3- 244 mg/L, Cl- 13 mg/L", 7.5)
    assert math.isnan(no_calcium.to_dict()["lsi"])


# -- item 19: a concentration factor beyond the models; single-water messages -------------
def test_too_high_a_concentration_factor_says_so():
    w = _water("HCO3- 244 mg/L")
    with pytest.raises(InputError, match="concentration factor 1000 is too high") as info:
        concentrate(w, 1000.0)
    assert "\n" not in str(info.value) and "CO2" not in str(info.value)
    assert concentrate(w, 50.0).ionic_strength[0] < 6.0


def test_single_water_errors_name_no_water_index():
    with pytest.raises(InputError) as info:
        speciate({"Ca+2": 1e-3, "Cl-": 2e-3}, 3.0, alkalinity=4e-3)
    assert not str(info.value).startswith("water 0")
    with pytest.raises(InputError, match="^water 1: "):
        speciate({"Ca+2": 1e-3, "Cl-": 2e-3}, [7.0, 3.0], alkalinity=4e-3)


@settings(max_examples=25, deadline=None)
@given(value=st.floats(0.0, 500.0), unit=st.sampled_from(["mg/L", "mmol/L", "ppm"]),
       basis=st.sampled_from(["", " as C", " as CO2"]),
       name=st.sampled_from(["total CO2", "TIC", "DIC", "CO2", "Total CO2"]),
       ph=st.floats(4.0, 10.0))
def test_carbon_items_answer_or_say_why(value, unit, basis, name, ph):
    text = f"Na+ 50 mg/L, Cl- 70 mg/L, {name} {value:.6g} {unit}{basis if unit != 'mmol/L' else ''}"
    try:
        w = water_analysis(text, ph, balance="Cl-")
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert np.isfinite(w.speciation.total_carbon[0]) and np.isfinite(w.tds)


def test_web_water_analysis_reads_total_co2(tmp_path):
    from fastapi.testclient import TestClient

    from osmolab.web.app import create_app
    from osmolab.web.security import Settings

    body = {"analysis": f"{BASE}, TIC 49 mg/L as C", "ph": 7.7, "balance": "Cl-",
            "concentrate": 4}
    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'w.sqlite'}"))) as client:
        answer = client.post("/api/water-analysis", json=body)
        assert answer.status_code == 200, answer.text
        feed = answer.json()["feed"]
        expected = _water("TIC 49 mg/L as C")
        assert feed["speciation"]["total_inorganic_carbon_mmol_kg"] == pytest.approx(
            float(expected.speciation.total_carbon[0]) * 1e3, rel=1e-9)
        assert feed["tds_mg_L"] == pytest.approx(expected.tds, rel=1e-9)
        bad = client.post("/api/water-analysis",
                          json={**body, "analysis": f"{BASE}, TIC 49 mg/L, HCO3- 244 mg/L"})
        assert bad.status_code == 422 and "2 ways" in bad.json()["detail"]


# -- review r12b item 1: the concentrate of a caustic-dosed, low-alkalinity feed -----------
def _boron(s):
    """Total boron [mol/kg] of a speciation, from its boron species."""
    atoms = {"B3O3(OH)4-": 3, "B4O5(OH)4-2": 4}
    return sum(s[name] * atoms.get(name, 1) for name in s.species if "B(OH)" in name
               or name in atoms)


@pytest.mark.parametrize("recovery", [0.75, 0.85, 0.9])
def test_caustic_low_alkalinity_feed_concentrates(recovery):
    """The pass-2 boron case (review r12b item 1): the review's low-alkalinity water, NaOH to
    pH 10.5. Trial pHs above the root, where OH- and borate alone carry more than the
    alkalinity, count as too basic instead of failing; carbon (CO2 passing, the module's
    rule) and boron are conserved, and the concentrate is more basic than its feed."""
    feed = caustic_dose(water_analysis("Ca+2 2 mg/L, Na+ 10 mg/L, HCO3- 10 mg/L, Cl- 14 mg/L, "
                                       "B 1 mg/L", 7.0, balance="Cl-"), 10.5).water
    factor = 1.0 / (1.0 - recovery)
    brine = concentrate(feed, factor)
    assert np.isfinite(brine.ph[0]) and 10.5 < brine.ph[0] < 12.0
    f = feed.speciation
    co2 = float(f["CO2"][0])
    carbon = factor * (float(f.total_carbon[0]) - co2) + co2
    assert float(brine.total_carbon[0]) == pytest.approx(carbon, rel=1e-6)
    assert float(_boron(brine)[0]) == pytest.approx(factor * float(_boron(f)[0]), rel=1e-9)
    assert float(brine.alkalinity[0]) == pytest.approx(factor * feed.alkalinity, rel=1e-9)
    # a batch whose trials are refused for some factors and not others gives the same pHs
    batch = concentrate(feed, [1.0, 2.0, factor])
    assert batch.ph[0] == pytest.approx(10.5, abs=1e-9)
    assert batch.ph[2] == pytest.approx(brine.ph[0], abs=1e-9)
    assert batch.ph[0] < batch.ph[1] < batch.ph[2]


def test_an_alkalinity_no_ph_carries_is_one_line():
    """An alkalinity below what the borate alone gives at every pH of the search: one line."""
    feed = caustic_dose(water_analysis("Ca+2 2 mg/L, Na+ 10 mg/L, HCO3- 10 mg/L, Cl- 14 mg/L, "
                                       "B 1 mg/L", 7.0, balance="Cl-"), 10.5).water
    impossible = dataclasses.replace(feed, alkalinity=1e-9)
    with pytest.raises(InputError, match="no concentrate pH between 8.5 and 13.5") as info:
        concentrate(impossible, 4.0)
    assert "\n" not in str(info.value)
