"""Species and salt tables, name spellings (osmolab.thermo.species)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osmolab.errors import InputError
from osmolab.thermo import species as sp

CONTRACT = (
    "Na+ K+ Ca+2 Mg+2 Sr+2 Ba+2 NH4+ H+ Fe+2 Cl- SO4-2 HCO3- CO3-2 NO3- F- Br- OH- "
    "PO4-3 B(OH)4- B(OH)3 SiO2 CO2 glucose sucrose urea glycerol ethanol"
).split()


def test_contract_species_present():
    assert set(CONTRACT) <= set(sp.species_names())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Na+", "Na+"),
        ("Ca2+", "Ca+2"),
        ("Ca+2", "Ca+2"),
        ("Ca++", "Ca+2"),
        ("Ca 2+", "Ca+2"),
        ("Ca^2+", "Ca+2"),
        ("Ca(2+)", "Ca+2"),
        ("SO4-2", "SO4-2"),
        ("SO4 2-", "SO4-2"),
        ("SO4--", "SO4-2"),
        ("SO42-", "SO4-2"),
        ("sulfate", "SO4-2"),
        ("Sulphate", "SO4-2"),
        ("boric acid", "B(OH)3"),
        ("H3BO3", "B(OH)3"),
        ("borate", "B(OH)4-"),
        ("glucose", "glucose"),
        ("Glucose", "glucose"),
        ("DEXTROSE", "glucose"),
        ("PO4 3-", "PO4-3"),
        ("HCO3", "HCO3-"),
        ("bicarbonate", "HCO3-"),
        ("Fe2+", "Fe+2"),
        ("Fe(II)", "Fe+2"),
        ("H4SiO4", "SiO2"),
        ("silica", "SiO2"),
        ("carbon dioxide", "CO2"),
        ("NH4+", "NH4+"),
        ("ammonium", "NH4+"),
        ("Mg", "Mg+2"),
        ("glycerin", "glycerol"),
    ],
)
def test_canonical_name_spellings(text, expected):
    assert sp.canonical_name(text) == expected


@pytest.mark.parametrize("text", ["NaCll", "Mg+3", "sulfat", "xyz", "", "   "])
def test_unknown_species_is_one_line_input_error(text):
    with pytest.raises(InputError) as info:
        sp.canonical_name(text)
    assert "\n" not in str(info.value)


def test_unknown_species_suggests_nearest():
    with pytest.raises(InputError, match="Did you mean 'Mg\\+2'"):
        sp.canonical_name("Mg+3")
    with pytest.raises(InputError, match="NaCl"):
        sp.resolve("NaCll")


def test_salt_is_not_a_species():
    with pytest.raises(InputError, match="is a salt"):
        sp.canonical_name("NaCl")


@pytest.mark.parametrize(
    "salt, ions",
    [
        ("NaCl", {"Na+": 1, "Cl-": 1}),
        ("CaCl2", {"Ca+2": 1, "Cl-": 2}),
        ("Na2SO4", {"Na+": 2, "SO4-2": 1}),
        ("MgSO4", {"Mg+2": 1, "SO4-2": 1}),
        ("CaSO4", {"Ca+2": 1, "SO4-2": 1}),
        ("NaHCO3", {"Na+": 1, "HCO3-": 1}),
        ("sodium carbonate", {"Na+": 2, "CO3-2": 1}),
        ("(NH4)2SO4", {"NH4+": 2, "SO4-2": 1}),
    ],
)
def test_salt_expansion(salt, ions):
    assert sp.salt_ions(salt) == ions


def test_all_salts_are_neutral_and_use_known_species():
    for salt in sp.salt_names():
        assert sp.charge(salt) == 0, salt


def test_molar_masses():
    # IUPAC standard atomic weights
    assert sp.molar_mass("NaCl") == pytest.approx(58.443e-3, rel=1e-4)
    assert sp.molar_mass("CaCl2") == pytest.approx(110.98e-3, rel=1e-4)
    assert sp.molar_mass("sucrose") == pytest.approx(342.30e-3, rel=1e-4)
    assert sp.molar_mass("urea") == pytest.approx(60.06e-3, rel=1e-4)


def test_diffusivities_match_crc():
    # CRC Handbook (2016), ionic diffusion at infinite dilution, 25 degC [1e-9 m^2/s]
    for name, d in {
        "Na+": 1.334,
        "Cl-": 2.032,
        "K+": 1.957,
        "Ca+2": 0.792,
        "SO4-2": 1.065,
        "urea": 1.382,
        "sucrose": 0.5228,
    }.items():
        assert sp.species(name).diffusivity == pytest.approx(d * 1e-9, rel=1e-3)


def test_sizes_are_physical():
    for name in sp.species_names():
        record = sp.species(name)
        assert 1e-10 <= record.radius <= 6e-10
        assert record.radius_kind in ("hydrated", "stokes")
        assert 1e-11 < record.diffusivity < 1e-8


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_random_names_never_crash(text):
    try:
        sp.resolve(text)
    except InputError as exc:
        assert "\n" not in str(exc)
