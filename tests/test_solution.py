"""Solution composition, concentration scales, density, TDS, charge balance."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osmolab.errors import InputError
from osmolab.thermo.solution import Solution, parse_amount


def test_contract_constructor_and_properties():
    s = Solution({"Na+": 0.5, "Cl-": 0.5}, temperature=298.15)
    assert s.molalities == {"Na+": 0.5, "Cl-": 0.5}
    assert s.temperature == 298.15
    assert s.ionic_strength == pytest.approx(0.5)
    assert s.charge_imbalance == 0.0
    assert s.salinity == pytest.approx(0.5 * 58.443e-3 / (1 + 0.5 * 58.443e-3), rel=1e-4)
    assert s.tds == pytest.approx(s.salinity * s.density)
    d = s.to_dict()
    assert d["molalities_mol_per_kg"] == {"Na+": 0.5, "Cl-": 0.5}
    assert {
        "temperature_K",
        "tds_g_L",
        "density_kg_m3",
        "ionic_strength_mol_kg",
        "charge_imbalance",
        "salinity_g_kg",
    } <= set(d)


def test_salts_expand_and_add_up():
    s = Solution.from_string("NaCl 0.5 mol/kg, Na2SO4 0.1 mol/kg, urea 100 mmol/kg")
    assert s.molalities == pytest.approx({"Na+": 0.7, "Cl-": 0.5, "SO4-2": 0.1, "urea": 0.1})
    assert s.ionic_strength == pytest.approx(0.5 * (0.7 + 0.5 + 4 * 0.1))


@pytest.mark.parametrize(
    "text, molality",
    [
        ("NaCl 0.5 mol/kg", 0.5),
        ("NaCl 500 mmol/kg", 0.5),
        ("NaCl 0.5 molal", 0.5),
        # 0.5 mol NaCl (29.221385 g) per kg of solution: 0.5 mol per 0.970778615 kg water
        ("NaCl 29.221385 g/kg", 0.5 / 0.970778615),
        ("NaCl 2.9221385 % w/w", 0.5 / 0.970778615),
    ],
)
def test_molal_and_mass_fraction_units(text, molality):
    assert Solution.from_string(text).molalities["Na+"] == pytest.approx(molality, rel=1e-9)


def test_ppm_is_mg_per_kg_of_solution():
    a = Solution.from_string("NaCl 1000 ppm")
    b = Solution.from_string("NaCl 1 g/kg")
    assert a.molalities["Na+"] == pytest.approx(b.molalities["Na+"], rel=1e-12)


def test_molarity_round_trip_through_density():
    for text, key, value in [
        ("NaCl 1 mol/L", "Na+", 1000.0),
        ("CaCl2 20 mmol/L", "Cl-", 40.0),
        ("sucrose 0.5 M", "sucrose", 500.0),
    ]:
        s = Solution.from_string(text)
        assert s.molarities[key] == pytest.approx(value, rel=1e-8)


def test_mass_concentration_round_trip():
    s = Solution.from_string("Na+ 10500 mg/L, Cl- 18980 mg/L, Mg+2 1350 mg/L", balance="Cl-")
    assert s.mass_concentrations["Na+"] == pytest.approx(10.5, rel=1e-8)
    assert s.charge_imbalance == pytest.approx(0.0, abs=1e-12)


def test_percent_is_weight_per_volume():
    # 0.9 % (w/v) saline: 9 g NaCl per litre = 0.1540 mol/L (any physiology text)
    s = Solution.from_string("NaCl 0.9 %")
    assert s.mass_concentrations["Na+"] + s.mass_concentrations["Cl-"] == pytest.approx(9.0)
    assert s.molarities["Na+"] == pytest.approx(154.0, rel=1e-3)


def test_one_molar_nacl_molality():
    # CRC Handbook (concentrative properties): 1.000 mol/L NaCl at 20 degC is 1.0207 mol/kg
    s = Solution.from_string("NaCl 1 mol/L", temperature=293.15)
    assert s.molalities["Na+"] == pytest.approx(1.0207, rel=2e-3)


@pytest.mark.parametrize(
    "text, rho",
    [
        # CRC Handbook of Chemistry and Physics, "Concentrative properties of aqueous
        # solutions", 20 degC densities [kg/m^3]
        ("NaCl 10 % w/w", 1070.7),
        ("NaCl 20 % w/w", 1147.8),
        ("sucrose 10 % w/w", 1038.1),
        ("sucrose 20 % w/w", 1081.0),
    ],
)
def test_density_model_against_crc(text, rho):
    assert Solution.from_string(text, temperature=293.15).density == pytest.approx(rho, rel=1e-3)


def test_seawater_preset_reference_composition():
    # Millero et al. (2008): S_R = 35.16504 g/kg, sea-salt molality 1.1549 mol/kg at 35 g/kg
    sw = Solution.seawater(0.035)
    assert sw.salinity == pytest.approx(0.035, rel=1e-12)
    assert sw.total_molality == pytest.approx(0.035 / (0.965 * 0.0314038), rel=1e-5)
    assert abs(sw.charge_imbalance) < 1e-9
    # density and TDS, Sharqawy et al. (2010) eq. 8: 1023.7 kg/m^3 at 25 degC
    assert sw.density == pytest.approx(1023.7, abs=0.1)
    assert sw.tds == pytest.approx(35.0 * 1.0237, rel=1e-3)


def test_seawater_strings():
    assert Solution.from_string("seawater 35 g/kg").salinity == pytest.approx(0.035)
    assert Solution.from_string("seawater 3.5 %").salinity == pytest.approx(0.035)
    assert Solution.from_string("seawater 35000 ppm").salinity == pytest.approx(0.035)
    tds = Solution.from_string("seawater 35.83 g/L")
    assert tds.tds == pytest.approx(35.83, rel=1e-8)
    assert (
        tds.is_seawater
        and Solution.from_string("seawater 35 g/kg, urea 1 mmol/kg").kind == "custom"
    )


def test_scaled_is_fast_path_and_vectorised():
    sw = Solution.seawater(0.035)
    batch = sw.scaled(np.array([1.0, 2.0, 3.0]))
    assert batch.shape == (3,)
    assert np.allclose(batch.molalities["Na+"], sw.molalities["Na+"] * np.array([1, 2, 3]))
    assert batch[1].molalities["Cl-"] == pytest.approx(2 * sw.molalities["Cl-"])
    assert np.all(np.diff(batch.density) > 0)
    assert sw.scaled(0.5).is_seawater
    with pytest.raises(InputError):
        sw.scaled(-1.0)


def test_charge_balance_reported_and_enforced():
    s = Solution({"Na+": 1.0, "Cl-": 0.97})
    assert s.charge_imbalance == pytest.approx(0.03 / 1.97)
    with pytest.raises(InputError, match="charge imbalance"):
        Solution({"Na+": 1.0, "Cl-": 0.8})
    balanced = Solution({"Na+": 1.0, "Cl-": 0.8}, balance="Cl-")
    assert balanced.molalities["Cl-"] == pytest.approx(1.0)
    assert Solution({"Ca+2": 1.0}, balance="auto").molalities["Cl-"] == pytest.approx(2.0)
    with pytest.raises(InputError, match="cannot balance"):
        Solution({"Na+": 0.1, "K+": 1.0, "Cl-": 0.5}, balance="Na+")
    assert Solution({"Na+": 1.0}, max_imbalance=None).charge_imbalance == 1.0


@pytest.mark.parametrize(
    "text, match",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("NaCl -0.5 mol/kg", "negative"),
        ("NaCl abc mol/kg", "cannot read"),
        ("NaCl 1 parsec", "not a concentration"),
        ("NaCl 1 blorbs", "unknown unit"),
        ("NaCll 1 mol/kg", "Did you mean 'NaCl'"),
        ("NaCl 1", "no unit"),
        ("seawater 500 g/kg", "far outside"),
        ("Na+ 1 mmol/kg", "charge imbalance"),
        ("NaCl 1 mol/kg,", "empty item"),
        ("NaCl 1e400 mol/kg", "finite"),
        ("NaCl 2000 g/kg", "more solute than solution"),
    ],
)
def test_bad_strings_raise_one_line(text, match):
    with pytest.raises(InputError, match=match) as info:
        Solution.from_string(text)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf"), "1", None, True])
def test_bad_molalities(value):
    with pytest.raises(InputError):
        Solution({"NaCl": value})


@pytest.mark.parametrize("temperature", [0.0, -5.0, float("nan"), 1e4, "hot"])
def test_bad_temperature(temperature):
    with pytest.raises(InputError):
        Solution({"NaCl": 0.1}, temperature=temperature)


def test_parse_amount():
    assert parse_amount("NaCl 0.5 mol/kg") == ("NaCl", 0.5, "molality", 1.0)
    assert parse_amount("Ca2+ 40 mg/L")[2:] == ("mass_concentration", 1e-3)
    assert parse_amount("urea: 100 mmol/kg")[:2] == ("urea", 100.0)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_random_strings_result_or_input_error(text):
    try:
        s = Solution.from_string(text)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert all(math.isfinite(v) for v in s.molalities.values())
    assert math.isfinite(s.density) and math.isfinite(s.tds)


NAMES = [
    "NaCl",
    "KCl",
    "CaCl2",
    "MgSO4",
    "Na2SO4",
    "urea",
    "glucose",
    "sucrose",
    "NaHCO3",
    "seawater",
]
UNITS = ["mol/kg", "mmol/kg", "mol/L", "mmol/L", "g/L", "mg/L", "g/kg", "ppm", "%"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.floats(min_value=0, max_value=1e4, allow_nan=False),
            st.sampled_from(UNITS),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_random_compositions_result_or_input_error(items):
    text = ", ".join(f"{n} {v!r} {u}" for n, v, u in items)
    try:
        s = Solution.from_string(text)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    for value in (s.density, s.tds, s.ionic_strength, s.salinity, s.charge_imbalance):
        assert math.isfinite(value)
    assert 0 <= s.salinity < 1


def test_mixing_by_mass_averages_salinity():
    a = Solution.seawater(0.035)
    b = Solution.seawater(0.070)
    mix = a.mixed(b, 0.25)
    assert mix.salinity == pytest.approx(0.75 * 0.035 + 0.25 * 0.070, rel=1e-12)
    assert mix.is_seawater
    with pytest.raises(InputError):
        a.mixed(b, 1.5)


def test_seawater_is_not_a_species_key():
    with pytest.raises(InputError, match="Solution.seawater"):
        Solution({"seawater": 0.035})


def test_molalities_are_immutable():
    s = Solution({"NaCl": 0.5})
    with pytest.raises(ValueError):
        s.molality_array[0] = 1.0
    d = s.molalities
    d["Na+"] = 99.0
    assert s.molalities["Na+"] == 0.5


def test_equivalents_and_per_100_ml():
    # 2 meq/L of Ca2+ is 1 mmol/L; of CaCl2 (2 eq per formula unit) also 1 mmol/L
    a = Solution.from_string("Ca+2 2 meq/L, Cl- 2 meq/L")
    b = Solution.from_string("CaCl2 2 meq/L")
    assert a.molarities["Ca+2"] == pytest.approx(1.0, rel=1e-9)
    assert b.molalities == pytest.approx(a.molalities, rel=1e-12)
    assert Solution.from_string("SO4-2 2 meq/kg, Na+ 2 meq/kg").molalities["SO4-2"] == 0.001
    with pytest.raises(InputError, match="neutral"):
        Solution.from_string("urea 1 meq/L")
    saline = Solution.from_string("NaCl 0.9 g/100 mL").molalities
    assert saline == pytest.approx(Solution.from_string("NaCl 0.9 %").molalities)


def test_bad_arrays_and_options_raise_input_error():
    # hardening regressions: these raised ValueError / UFuncTypeError before
    with pytest.raises(InputError, match="shape"):
        Solution({"NaCl": [[1.0, 2.0], [3.0, 4.0]], "KCl": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError, match="empty"):
        Solution({"NaCl": np.array([])})
    with pytest.raises(InputError, match="max_imbalance"):
        Solution({"Na+": 1.0, "Cl-": 0.5}, max_imbalance="x")
    with pytest.raises(InputError, match="-26.85 K"):  # no float dust in the message
        Solution({"NaCl": 1.0}, temperature=273.15 - 300.0)
