"""Parsing of user-facing quantities at the edge."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osmolab.errors import InputError, suggest
from osmolab.units import (
    BARE_UNITS,
    UNIT_PARSERS,
    is_bare,
    parse_pressure,
    parse_quantity,
    parse_salinity,
    parse_temperature,
    parse_volume,
)


@pytest.mark.parametrize(
    ("text", "dimension", "expected"),
    [
        ("25 degC", "temperature", 298.15),
        ("25 °C", "temperature", 298.15),
        ("300 K", "temperature", 300.0),
        ("1 atm", "pressure", 101325.0),
        ("55 bar", "pressure", 5.5e6),
        ("100 m3/h", "flow", 100 / 3600),
        ("1 MGD", "flow", 3.785411784e6 / 1e3 / 86400),
        ("15 LMH", "flux", 15e-3 / 3600),
        ("0.1 m", "length", 0.1),
        ("440 ft2", "area", 40.877),
        ("0.1 M", "molar_concentration", 100.0),
        ("10 mM", "molar_concentration", 10.0),
        ("5 uM", "molar_concentration", 5e-3),
        ("5 MPa", "pressure", 5e6),
    ],
)
def test_parse_quantity(text, dimension, expected):
    assert math.isclose(parse_quantity(text, dimension), expected, rel_tol=1e-4)


def test_default_unit_for_bare_numbers():
    assert parse_quantity("25", "temperature", default_unit="degC") == pytest.approx(298.15)
    assert parse_quantity(3.0, "pressure") == 3.0


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "25 apples", "5 m", "nan bar", None]
)
def test_parse_quantity_errors_are_one_line(text):
    with pytest.raises(InputError) as info:
        parse_quantity(text, "pressure")
    assert "\n" not in str(info.value)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=20))
def test_parse_quantity_never_crashes(text):
    try:
        value = parse_quantity(text, "temperature")
    except InputError:
        return
    assert math.isfinite(value)


def test_suggest():
    assert "NaCl" in suggest("nacll", ["NaCl", "KNO3"])
    assert suggest("zzzz", ["NaCl"]) == ""



# --- the unit rule of every entry point (docs/units.md): bare degC, bar, g/kg ---------------


@pytest.mark.parametrize(("text", "kelvin"), [
    ("25", 298.15), (25, 298.15), ("25 degC", 298.15), ("25 °C", 298.15), ("298.15 K", 298.15),
    ("77 degF", 298.15), ("-40", 233.15),
])
def test_parse_temperature_bare_is_celsius(text, kelvin):
    assert parse_temperature(text) == pytest.approx(kelvin, abs=1e-9)


@pytest.mark.parametrize(("text", "pascal"), [
    ("60", 6e6), (60, 6e6), ("60 bar", 6e6), ("6 MPa", 6e6), ("1 atm", 101325.0), ("500 kPa", 5e5),
])
def test_parse_pressure_bare_is_bar(text, pascal):
    assert parse_pressure(text) == pytest.approx(pascal)


@pytest.mark.parametrize(("text", "fraction"), [
    ("35", 0.035), (35, 0.035), ("35 g/kg", 0.035), ("3.5 %", 0.035), ("3.5%", 0.035),
    ("35 ppt", 0.035), ("35 psu", 0.035), ("35000 ppm", 0.035), ("0.035 kg/kg", 0.035), (0, 0.0),
])
def test_parse_salinity_bare_is_g_per_kg(text, fraction):
    assert parse_salinity(text) == pytest.approx(fraction)


def test_parse_salinity_converts_a_concentration_only_when_told_how():
    with pytest.raises(InputError, match="concentration"):
        parse_salinity("2000 mg/L")
    assert parse_salinity("2000 mg/L", from_concentration=lambda c: c / 1000.0) == pytest.approx(0.002)


@pytest.mark.parametrize(("parser", "text", "message"), [
    (parse_temperature, "-300", "-26.85 K"),
    (parse_temperature, "0 K", "absolute zero"),
    (parse_temperature, "5 bar", "not a temperature"),
    (parse_pressure, "5 m", "not a pressure"),
    (parse_pressure, "nan", "finite"),
    (parse_salinity, "0.035", "ambiguous"),
    (parse_salinity, "-3 g/kg", "between 0"),
    (parse_salinity, "1.5 kg/kg", "between 0"),
    (parse_salinity, "salty", "cannot read"),
    (parse_volume, "-1 L", "positive"),
    (parse_volume, "1 m", "not a volume"),
])
def test_unit_parsers_refuse_bad_values_in_one_line(parser, text, message):
    with pytest.raises(InputError, match=message) as info:
        parser(text)
    assert "\n" not in str(info.value)


def test_parse_volume_and_bare_numbers():
    assert parse_volume("10 mL") == pytest.approx(1e-5)
    assert parse_volume("2e-5") == pytest.approx(2e-5)  # bare: m^3 (SI)
    assert is_bare("25") and is_bare(25.0) and not is_bare("25 degC") and not is_bare(True)
    assert set(UNIT_PARSERS) == set(BARE_UNITS) == {"temperature", "pressure", "salinity"}
