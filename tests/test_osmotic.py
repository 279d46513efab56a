"""Osmotic coefficient, water activity, osmolality and osmotic pressure (osmolab.thermo.osmotic).

Published references:
- Robinson, R. A. and Stokes, R. H., 1959, Electrolyte Solutions, 2nd ed., Appendix 8.10:
  NaCl at 25 degC, phi = 0.932 (0.1 mol/kg), 0.936 (1.0), 0.983 (2.0); a_w(1.0) = 0.96686.
- Sharqawy, Lienhard & Zubair 2010, Desalination and Water Treatment 16, 354: standard seawater
  35 g/kg at 25 degC, Pi = 25.9 bar (TEOS-10 gives 25.8).
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import osmolab
from osmolab.constants import R
from osmolab.errors import InputError, ModelRangeWarning
from osmolab.thermo import examples, osmotic, pitzer
from osmolab.thermo.solution import Solution
from osmolab.thermo.validation import CASES, validation_table
from osmolab.thermo.water import molar_volume


def test_validation_table_all_within_claimed_tolerance():
    """Every published value of osmolab.thermo.validation.CASES (the docs' table)."""
    table = validation_table()
    assert len(table) == len(CASES)
    bad = table[~table.ok]
    assert bad.empty, bad.to_string()


@pytest.mark.parametrize("m, phi", [(0.1, 0.932), (1.0, 0.936), (2.0, 0.983)])
def test_nacl_osmotic_coefficient_robinson_stokes(m, phi):
    assert osmotic.osmotic_coefficient({"NaCl": m}) == pytest.approx(phi, rel=0.005)


def test_nacl_water_activity_robinson_stokes():
    # the 0.5 % on phi at 1 mol/kg is |d ln a_w| = 0.005 * 2 * M_w * 0.936 = 1.7e-4
    assert osmotic.water_activity({"Na+": 1.0, "Cl-": 1.0}) == pytest.approx(0.96686, abs=1.7e-4)


def test_vectorised_over_arrays_matches_scalars():
    m = np.array([0.1, 0.5, 1.0, 3.0])
    phi = osmotic.osmotic_coefficient({"Na+": m, "Cl-": m})
    assert phi.shape == (4,)
    for value, mi in zip(phi, m, strict=True):
        assert value == pytest.approx(osmotic.osmotic_coefficient({"NaCl": float(mi)}), rel=1e-12)
    grid = np.full((3, 2), 0.5)
    with pytest.warns(ModelRangeWarning, match="ideal"):
        assert osmotic.osmotic_coefficient({"NaCl": grid}, model="ideal").shape == (3, 2)


def test_top_level_api():
    assert osmolab.osmotic_coefficient({"NaCl": 1.0}) == pytest.approx(0.936, rel=0.005)
    # Robinson & Stokes a_w(1 mol/kg) = 0.96686 -> Pi = -RT ln(a_w)/V_w = 46.24 bar; 0.5 % as phi
    expected = -R * 298.15 * math.log(0.96686) / molar_volume(298.15) / 1e5
    assert expected == pytest.approx(46.24, abs=0.01)
    assert osmolab.osmotic_pressure("NaCl 1 mol/kg") / 1e5 == pytest.approx(expected, rel=0.005)
    assert osmolab.tonicity("NaCl 0.9 %").tonicity == "isotonic"


def test_seawater_35_g_kg_sharqawy():
    sw = Solution.seawater(0.035)
    pi = osmotic.osmotic_pressure(sw, model="seawater")
    assert pi / 1e5 == pytest.approx(25.9, rel=0.01)


def test_seawater_35_g_kg_default_model():
    # the default (Pitzer, Harvie-Moller-Weare) model must agree with Sharqawy/TEOS-10 too
    result = osmotic.osmotic_properties(Solution.from_string("seawater 35 g/kg"))
    assert result.model == "pitzer"
    assert result.osmotic_pressure / 1e5 == pytest.approx(25.9, rel=0.01)
    assert result.warnings == []


def test_pressure_from_water_activity_relation():
    s = Solution.from_string("NaCl 1 mol/kg")
    r = osmotic.osmotic_properties(s)
    expected = -R * 298.15 * math.log(r.water_activity) / molar_volume(298.15)
    assert r.osmotic_pressure == pytest.approx(expected, rel=1e-12)
    assert r.osmolality == pytest.approx(r.osmotic_coefficient * 2.0)
    assert r.osmolarity < r.osmolality * 1e3  # fewer osmoles per litre than per kg of water


def test_ideal_model_is_van_t_hoff_in_the_dilute_limit():
    s = Solution.from_string("urea 1 mmol/kg")
    pi = osmotic.osmotic_pressure(s, model="ideal")
    c = s.molarities["urea"]  # mol/m^3
    assert pi == pytest.approx(R * 298.15 * c, rel=2e-3)


def test_saline_osmolality():
    # 0.9 % NaCl: 154 mmol/L, measured osmolality about 286-287 mOsm/kg (e.g. Rose & Post 2001)
    r = osmotic.osmotic_properties(Solution.from_string("NaCl 0.9 %"))
    assert r.osmolality * 1e3 == pytest.approx(287, abs=3)


def test_default_model_choice():
    assert osmotic.choose_model(Solution({"NaCl": 1.0}))[0] == "pitzer"
    hot = Solution.seawater(0.035, temperature=273.15 + 70)
    model, notes = osmotic.choose_model(hot)
    assert model == "seawater" and notes


def test_ideal_fallback_warns(monkeypatch):
    monkeypatch.setattr(pitzer, "supported_species", lambda: frozenset({"Na+", "Cl-"}))
    r = osmotic.osmotic_properties(Solution.from_string("urea 0.3 mol/kg"))
    assert r.model == "ideal"
    assert any("no Pitzer parameters" in w for w in r.warnings)
    # a trace of an unparameterised species stays in the Pitzer calculation, ideally
    s = Solution({"NaCl": 1.0, "urea": 1e-4})
    assert osmotic.osmotic_properties(s).model == "pitzer"


def test_range_warnings_and_refusals():
    with pytest.warns(ModelRangeWarning):
        osmotic.osmotic_pressure(Solution.seawater(0.2), model="seawater")
    with pytest.raises(InputError, match="far outside"):
        osmotic.osmotic_pressure(Solution.from_string("seawater 500 g/kg"), model="seawater")
    with pytest.raises(InputError, match="far outside"):
        osmotic.osmotic_pressure({"NaCl": 25.0}, model="pitzer")
    with pytest.raises(InputError, match="unknown osmotic model"):
        osmotic.osmotic_pressure({"NaCl": 1.0}, model="debye")
    r = osmotic.osmotic_properties(Solution({"NaCl": 1.0}), model="seawater")
    assert any("non-seawater" in w for w in r.warnings)


def test_results_carry_no_python_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        osmotic.osmotic_properties(Solution.seawater(0.2), model="seawater")


def test_temperature_dependence_seawater():
    cold = osmotic.osmotic_pressure(Solution.seawater(0.035, 278.15), model="seawater")
    warm = osmotic.osmotic_pressure(Solution.seawater(0.035, 313.15), model="seawater")
    assert warm > cold  # Pi ~ T phi; Sharqawy 2010 fig.: 24.4 bar (5 degC) to 27.1 bar (40)
    assert warm / 1e5 == pytest.approx(27.1, abs=0.2)


def test_batch_solution_osmotic_pressure():
    cf = np.array([1.0, 1.5, 2.0])
    pi = osmotic.osmotic_pressure(Solution.seawater(0.035).scaled(cf))
    assert pi.shape == (3,)
    assert np.all(np.diff(pi) > 0)


def test_examples_table():
    table = examples.examples_table()
    assert len(table) == 9
    tone = dict(zip(table.solution, table.tonicity, strict=True))
    assert tone["NaCl 0.9 %"] == "isotonic"
    assert tone["NaCl 0.45 %"] == "hypotonic"
    assert tone["NaCl 3 %"] == "hypertonic"
    assert tone["urea 300 mmol/kg"] == "hypotonic"
    assert table.notna().all().all()


NAMES = ["Na+", "K+", "Ca+2", "Mg+2", "Cl-", "SO4-2", "HCO3-", "urea", "sucrose", "glucose"]


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(NAMES), st.floats(min_value=0, max_value=30, allow_nan=False), min_size=1
    ),
    st.sampled_from([None, "pitzer", "seawater", "ideal"]),
    st.floats(min_value=270, max_value=380),
)
def test_random_compositions_give_a_result_or_input_error(composition, model, temperature):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = osmotic.osmotic_properties(
                Solution(composition, temperature, max_imbalance=None), model=model
            )
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    for value in (
        r.osmotic_pressure,
        r.osmotic_coefficient,
        r.water_activity,
        r.osmolality,
        r.osmolarity,
    ):
        assert math.isfinite(value)
    assert 0 < r.water_activity <= 1


def test_far_outside_every_fit_is_refused_not_faked():
    # hardening regressions: NaCl 30 mol/kg fell back to 'ideal' with the warning
    # "no Pitzer parameters for ;"; sucrose 20 mol/kg gave phi = 7.2 from Pitzer
    for composition in ({"NaCl": 30.0}, {"MgSO4": 10.0}, {"sucrose": 20.0}, {"glycerol": 25.0}):
        with pytest.raises(InputError, match="far outside"):
            osmotic.osmotic_properties(composition)
        with pytest.raises(InputError, match="far outside"):
            osmotic.osmotic_properties(composition, model="pitzer")
        r = osmotic.osmotic_properties(composition, model="ideal")  # an explicit choice
        assert r.model == "ideal" and math.isfinite(r.osmotic_pressure)
    # within 3x the fitted range Pitzer still answers, with a warning
    r = osmotic.osmotic_properties({"sucrose": 6.0})
    assert r.model == "pitzer" and any("fitted" in w for w in r.warnings)


def test_pressure_from_water_activity_bad_input():
    with pytest.raises(InputError):
        osmotic.osmotic_pressure_from_water_activity(0.9, float("nan"))
    with pytest.raises(InputError):
        osmotic.osmotic_pressure_from_water_activity(0.9, "hot")
    with pytest.raises(InputError):
        osmotic.osmotic_pressure_from_water_activity(0.9, 298.15, molar_volume=0.0)
    assert math.copysign(1.0, osmotic.osmotic_pressure_from_water_activity(1.0, 298.15)) > 0


def test_unphysical_phi_from_a_pair_without_parameters_says_why():
    with pytest.raises(InputError, match="no binary Pitzer parameters for Fe\\+2/PO4-3"):
        osmotic.osmotic_properties({"Fe+2": 1.0, "PO4-3": 0.6667})
