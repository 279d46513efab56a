"""Speciation of waters (osmolab.thermo.speciation, analysis) and scaling indices."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from osmolab.errors import InputError
from osmolab.thermo import analysis, scaling, speciation
from osmolab.thermo.speciation import speciate


def test_public_names():
    for module in (speciation, scaling, analysis):
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)


def test_water_ion_product_Harned_Owen():
    # pKw of Harned & Owen (1958): 14.943 at 0 degC, 13.995 at 25 degC, 13.535 at 40 degC
    constants = speciation._species_set("ion_association").constants
    oh = speciation._species_set("ion_association").names.index("OH-")
    log_k25, delta_h, analytic = constants[oh][0]
    pkw = -speciation.log_k(log_k25, delta_h, analytic, np.array([273.15, 298.15, 313.15]))
    assert_allclose(pkw, [14.943, 13.995, 13.535], atol=0.01)


def test_carbonic_acid_constants_Plummer_Busenberg():
    # Plummer & Busenberg (1982) Table: pK1 6.352, pK2 10.329 and pKsp(calcite) 8.48 at 25 degC
    s = speciation._species_set("ion_association")
    logk = speciation._log_k_matrix(s, 298.15)[0]
    pk2 = logk[s.names.index("HCO3-")]
    pk1 = logk[s.names.index("CO2")] - pk2
    assert_allclose([pk1, pk2], [6.352, 10.329], atol=0.002)
    assert_allclose(scaling.log_ksp("calcite", 298.15), -8.48, atol=0.005)


def test_balances_hold():
    w = scaling.referee_waters()
    s = speciate(w["totals"], w["ph"], w["temperature"], alkalinity=w["alkalinity"])
    assert_allclose(s.alkalinity, w["alkalinity"], rtol=1e-8)
    calcium = sum(s.molality[:, j] for j, n in enumerate(s.species) if n.startswith("Ca"))
    assert_allclose(calcium, w["totals"]["Ca+2"], rtol=1e-8)
    boron = s["B(OH)3"] + s["B(OH)4-"] + s["B3O3(OH)4-"] * 3 + s["B4O5(OH)4-2"] * 4 + s[
        "CaB(OH)4+"] + s["MgB(OH)4+"]
    assert_allclose(boron, w["totals"]["B"], rtol=1e-8)
    assert set(s.model) == {"ion_association", "pitzer"}


def test_total_carbon_and_alkalinity_agree():
    first = speciate({"Ca+2": 2e-3, "Cl-": 2e-3, "B": 1e-4}, ph=8.0, alkalinity=3e-3)
    second = speciate({"Ca+2": 2e-3, "Cl-": 2e-3, "B": 1e-4}, ph=8.0,
                      total_carbon=first.total_carbon)
    assert_allclose(second.alkalinity, 3e-3, rtol=1e-8)


def test_boric_acid_half_dissociated_at_its_pK():
    # pKa of boric acid 9.24 at 25 degC (phreeqc.dat / Nordstrom et al. 1990); at pH = pKa
    # in dilute water B(OH)4- / B(OH)3 = gamma(B(OH)3) / gamma(B(OH)4-) ~ 1.0
    s = speciate({"B": 1e-5, "Na+": 1e-5, "Cl-": 1e-5}, ph=9.24)
    assert_allclose(s["B(OH)4-"] / s["B(OH)3"], 1.0, rtol=0.01)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"ph": 14.5, "alkalinity": 1e-3}, "outside 0-14"),
        ({"ph": -1, "alkalinity": 1e-3}, "outside 0-14"),
        ({"ph": 7, "alkalinity": -1e-3}, "alkalinity must be >= 0"),
        ({"ph": 7, "alkalinity": 1e-3, "total_carbon": 1e-3}, "not both"),
        ({"ph": 7, "model": "pitzr"}, "Did you mean 'pitzer'"),
        ({"ph": 11.5, "alkalinity": 1e-4}, "below what its OH-"),
        ({"ph": 3.0, "alkalinity": 0.02}, "more than water holds"),
    ],
)
def test_bad_input_one_line(kwargs, message):
    with pytest.raises(InputError, match=message) as error:
        speciate({"Ca+2": 1e-3, "Cl-": 2e-3}, **kwargs)
    assert "\n" not in str(error.value)


def test_unknown_total_and_mineral():
    with pytest.raises(InputError, match="Did you mean 'Ca\\+2'"):
        speciate({"Ca+": 1e-3}, ph=7)
    s = speciate({"Ca+2": 1e-3, "Cl-": 2e-3}, ph=7)
    with pytest.raises(InputError, match="Did you mean 'calcite'"):
        scaling.saturation_index(s, ["calcit"])


def test_analysis_charge_balance():
    text = "Ca+2 82 mg/L, Na+ 10 mg/L, HCO3- 240 mg/L, Cl- 180 mg/L"
    with pytest.raises(InputError, match="out of charge balance") as error:
        analysis.water_analysis(text, ph=7.7)
    assert "\n" not in str(error.value)
    balanced = analysis.water_analysis(text, ph=7.7, balance="Na+")
    assert balanced.adjusted == "Na+" and balanced.imbalance < -0.05
    assert balanced.totals["Na+"] > 10e-3 / 22.99 * 3
    lowered = analysis.water_analysis(text, ph=7.7, balance="Cl-")
    assert lowered.totals["Cl-"] < 180e-3 / 35.453 / 3
    with pytest.raises(InputError, match="negative amount"):
        analysis.water_analysis(text + ", NO3- 5 mg/L", ph=7.7, balance="NO3-")


def test_analysis_units_agree():
    # 200 mg/L as CaCO3 = 4 meq/L = 244 mg/L HCO3-
    base = "Ca+2 80 mg/L, Cl- 141.8 mg/L"
    a = analysis.water_analysis(base + ", alkalinity 200 mg/L as CaCO3", ph=7.5,
                                      balance="Na+")
    b = analysis.water_analysis(base + ", alkalinity 4 meq/L", ph=7.5, balance="Na+")
    c = analysis.water_analysis(base + ", HCO3- 244.07 mg/L", ph=7.5, balance="Na+")
    assert_allclose([a.alkalinity, b.alkalinity], c.alkalinity, rtol=2e-3)
    with pytest.raises(InputError, match="alkalinity must be >= 0"):
        analysis.parse_analysis("alkalinity -3 meq/L")


def test_concentrate_keeps_co2_passing():
    w = analysis.water_analysis(
        "Ca+2 80 mg/L, Na+ 46 mg/L, HCO3- 244 mg/L, Cl- 71 mg/L", ph=7.6)
    brine = analysis.concentrate(w, [1.0, 4.0])
    assert_allclose(brine.ph[0], 7.6, atol=1e-6)
    assert brine.ph[1] > 7.6
    co2 = float(w.speciation["CO2"][0])
    assert_allclose(brine.total_carbon[1], 4 * (w.speciation.total_carbon[0] - co2) + co2,
                    rtol=1e-6)
    assert_allclose(brine.alkalinity[1], 4 * w.alkalinity, rtol=1e-8)
    # seawater: its concentrate's pH falls (Pitzer activity coefficients), carbon still balances
    sea = analysis.water_analysis(
        "Na+ 10780 mg/L, Mg+2 1290 mg/L, Ca+2 412 mg/L, K+ 399 mg/L, Cl- 19350 mg/L, "
        "SO4-2 2710 mg/L, HCO3- 142 mg/L, B 4.5 mg/L", ph=8.1)
    brine = analysis.concentrate(sea, 2.0)
    co2 = float(sea.speciation["CO2"][0])
    assert brine.model[0] == "pitzer"
    assert_allclose(brine.total_carbon[0], 2 * (sea.speciation.total_carbon[0] - co2) + co2,
                    rtol=1e-6)


def test_langelier_index_form():
    # LSI = pH - pHs with pHs = pK2 - pKs + pCa + pAlk + 5 pfm (ASTM D3739): at 25 degC,
    # Ca 2 mmol/L, alkalinity 2 meq/L, I = 0.006: pK2 - pKs = 10.329 - 8.48,
    # pCa = pAlk = 2.699, pfm = 0.0358 -> pHs = 7.426
    assert_allclose(scaling.langelier_index(7.5, 2e-3, 2e-3, 0.006, 298.15), 7.5 - 7.426,
                    atol=0.002)


def test_lsi_tracks_calcite_si_in_dilute_water():
    # For HCO3- waters below pH 9 the LSI is the calcite SI in pH units (both from the
    # same constants), within the ion pairing the LSI leaves out (a few hundredths)
    w = scaling.referee_waters()
    s = speciate(w["totals"], w["ph"], w["temperature"], alkalinity=w["alkalinity"],
                 model="ion_association")
    result = scaling.scaling_indices(s, ["calcite"])
    dilute = s.ionic_strength < 0.02
    assert np.abs(result["lsi"][dilute] - result["saturation_index"]["calcite"][dilute]).max() < 0.15


@settings(max_examples=60, deadline=None)
@given(
    ph=st.floats(0.0, 14.0),
    calcium=st.floats(0.0, 0.5),
    sulfate=st.floats(0.0, 0.5),
    sodium=st.floats(0.0, 3.0),
    alkalinity=st.floats(0.0, 0.05),
    boron=st.floats(0.0, 0.01),
    silica=st.floats(0.0, 0.01),
    celsius=st.floats(0.0, 60.0),
)
def test_speciation_converges_or_says_why(ph, calcium, sulfate, sodium, alkalinity, boron,
                                         silica, celsius):
    totals = {"Ca+2": calcium, "SO4-2": sulfate, "Na+": sodium, "Cl-": sodium, "B": boron,
              "Si": silica}
    try:
        s = speciate(totals, ph, 273.15 + celsius, alkalinity=alkalinity)
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert np.isfinite(s.molality).all() and (s.molality >= 0).all()
    if alkalinity > 0:  # (alkalinity 0 means no carbonate: the water has what OH- and H+ give)
        assert_allclose(s.alkalinity, alkalinity, rtol=1e-6, atol=1e-12)
    si = scaling.saturation_index(s)
    assert all(not np.isnan(v).any() for v in si.values())


@settings(max_examples=60, deadline=None)
@given(
    items=st.lists(
        st.tuples(
            st.sampled_from(["Ca+2", "Mg+2", "Na+", "Cl-", "SO4-2", "HCO3-", "B", "SiO2", "Foo",
                             "alkalinity"]),
            st.floats(-10, 2000, allow_nan=False),
            st.sampled_from(["mg/L", "meq/L", "mmol/L", "furlong"]),
        ),
        min_size=1, max_size=6,
    ),
    ph=st.floats(-1, 15, allow_nan=False),
)
def test_water_parser_answers_or_says_why(items, ph):
    text = ", ".join(f"{name} {value} {unit}" for name, value, unit in items)
    try:
        w = analysis.water_analysis(text, ph=ph, balance=None, max_imbalance=1.0)
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert np.isfinite(w.speciation.molality).all()
    assert 0 <= w.ph <= 14
