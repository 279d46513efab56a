"""Tonicity and effective osmolality (osmolab.thermo.tonicity).

Sources: plasma isotonic band 285-295 mOsm/kg and the clinical rule that urea and ethanol are
ineffective osmoles while Na salts and glucose are effective (Rose & Post 2001, Clinical
Physiology of Acid-Base and Electrolyte Disorders, ch. 7); 0.9 % NaCl is isotonic, 0.45 %
hypotonic, 3 % hypertonic (any physiology or fluid-therapy text).
"""

import numpy as np
import pytest

from osmolab.errors import InputError
from osmolab.thermo.solution import Solution
from osmolab.thermo.tonicity import effective_osmolality, reflection_coefficients, tonicity


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NaCl 0.9 %", "isotonic"),
        ("NaCl 0.45 %", "hypotonic"),
        ("NaCl 3 %", "hypertonic"),
        ("glucose 5 %", "isotonic"),
    ],
)
def test_saline_and_dextrose(text, expected):
    result = tonicity(Solution.from_string(text))
    assert result.tonicity == expected
    assert result.reference_range == (0.285, 0.295)


def test_saline_effective_osmolality_is_287():
    result = tonicity("NaCl 0.9 %")
    assert result.effective_osmolality * 1e3 == pytest.approx(287, abs=3)


def test_urea_is_iso_osmotic_but_hypotonic_for_a_red_cell():
    result = tonicity(Solution.from_string("urea 300 mmol/kg"), membrane="cell")
    assert result.tonicity == "hypotonic"
    assert result.effective_osmolality == 0.0
    # iso-osmotic: an osmometer reads 297 mOsm/kg, within 3 % of plasma (290)
    assert result.osmolality * 1e3 == pytest.approx(290, rel=0.03)
    assert tonicity("urea 290 mmol/kg", membrane="ideal").tonicity == "isotonic"
    assert tonicity("urea 290 mmol/kg", membrane="ideal").iso_osmotic


def test_mixture_counts_only_retained_solutes():
    mix = Solution.from_string("NaCl 0.9 %, urea 200 mmol/kg")
    saline = Solution.from_string("NaCl 0.9 %")
    assert tonicity(mix).tonicity == "isotonic"
    assert tonicity(mix, membrane="ideal").tonicity == "hypertonic"
    assert effective_osmolality(mix, "cell") < effective_osmolality(mix, "ideal")
    assert effective_osmolality(mix, "cell") == pytest.approx(
        effective_osmolality(saline, "cell"), rel=0.02
    )


def test_ro_membrane_reflection_coefficients():
    sigma = reflection_coefficients("ro", ["Na+", "Cl-", "sucrose", "urea", "B(OH)3", "CO2"])
    assert sigma["Na+"] == sigma["sucrose"] == 1.0
    assert 0 < sigma["urea"] < 1 and 0 < sigma["B(OH)3"] < 1
    assert sigma["CO2"] == 0.0
    s = Solution.from_string("urea 100 mmol/kg")
    assert effective_osmolality(s, "ro") == pytest.approx(
        0.7 * effective_osmolality(s, "ideal"), rel=0.01
    )


def test_custom_reference_and_membrane():
    s = Solution.from_string("NaCl 0.9 %")
    assert tonicity(s, reference=0.250).tonicity == "hypertonic"
    assert tonicity(s, reference=(0.280, 0.300)).tonicity == "isotonic"
    assert tonicity(s, reference=Solution.from_string("NaCl 0.9 %")).tonicity == "isotonic"
    assert tonicity(s, membrane={"Na+": 1.0, "Cl-": 0.0}).tonicity == "hypotonic"


def test_batch_tonicity():
    saline = Solution.from_string("NaCl 0.9 %")
    result = tonicity(saline.scaled(np.array([0.5, 1.0, 3.0])))
    assert list(result.tonicity) == ["hypotonic", "isotonic", "hypertonic"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"membrane": "kidney"},
        {"reference": "lymph"},
        {"reference": -1.0},
        {"membrane": {"urea": 2.0}},
        {"reference": "x"},
    ],
)
def test_bad_tonicity_arguments(kwargs):
    with pytest.raises(InputError):
        tonicity(Solution.from_string("NaCl 0.9 %"), **kwargs)


def test_reflection_coefficients_spellings_and_unknown_names():
    # hardening regression: "Ca2+" got the default sigma under its raw name, "foo" got 1.0
    assert reflection_coefficients("cell", ["Ca2+", "urea"]) == {"Ca+2": 1.0, "urea": 0.0}
    with pytest.raises(InputError, match="unknown species"):
        reflection_coefficients("cell", ["foo"])
