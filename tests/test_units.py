"""Parsing of user-facing quantities at the edge."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osmolab.errors import InputError, suggest
from osmolab.units import parse_quantity


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

