"""Diffusion in liquids (osmolab.transport.liquid)."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from osmolab.errors import InputError, ModelRangeWarning
from osmolab.thermo.water import viscosity_Sharqawy
from osmolab.transport.liquid import (
    NACL_DIFFUSIVITY_25,
    Stokes_Einstein,
    Wilke_Chang,
    diffusivity_in_water,
    ion_diffusivity,
    nacl_diffusivity,
    nernst_haskell,
    salt_diffusivity,
    stokes_einstein_temperature,
)

MU25 = float(viscosity_Sharqawy(298.15))


def test_nacl_infinite_dilution():
    # Robinson & Stokes (1959), Table 11.3: NaCl 1.610e-9 m^2/s at 25 degC
    assert_allclose(nacl_diffusivity(0.0, 298.15), 1.61e-9, rtol=3e-3)
    assert_allclose(salt_diffusivity("NaCl"), 1.61e-9, rtol=3e-3)


@pytest.mark.parametrize("salt, expected", [
    # Robinson & Stokes (1959) Table 11.3, limiting (Nernst-Haskell) diffusivities at 25 degC
    ("KCl", 1.994e-9), ("CaCl2", 1.335e-9), ("MgSO4", 0.849e-9), ("Na2SO4", 1.230e-9),
])
def test_nernst_haskell_salts(salt, expected):
    assert_allclose(salt_diffusivity(salt), expected, rtol=0.01)


def test_nernst_haskell_asymmetric_formula():
    # 2-1 salt: D = 3 D+ D- / (2 D+ + D-)
    assert_allclose(nernst_haskell(0.792e-9, 2.032e-9, 2, -1),
                    3 * 0.792e-9 * 2.032e-9 / (2 * 0.792e-9 + 2.032e-9))


@pytest.mark.parametrize("molarity, measured", [
    # Vitagliano & Lyons (1956) / Rard & Miller (1979), NaCl at 25 degC [1e-9 m^2/s]
    (0.1, 1.483), (0.5, 1.474), (1.0, 1.484), (2.0, 1.516), (4.0, 1.588),
])
def test_nacl_concentration_dependence(molarity, measured):
    from scipy.optimize import brentq

    from osmolab.transport.liquid import _nacl_molarity

    molality = brentq(lambda m: _nacl_molarity(m) - molarity, 0.0, 7.0)
    assert_allclose(nacl_diffusivity(molality, 298.15) * 1e9, measured, rtol=0.005)


def test_nacl_molarity_conversion():
    # 1 mol/kg NaCl: density 1.0369 g/cm^3 -> 0.9797 mol/L (CRC Handbook, concentrative props.)
    from osmolab.transport.liquid import _nacl_molarity

    assert_allclose(_nacl_molarity(1.0), 0.9797, rtol=3e-3)


def test_nacl_broadcasts_like_the_ro_engine_uses_it():
    m = np.linspace(0, 8, 9)
    t = np.array([283.15, 298.15, 313.15])[:, None] * np.ones((1, 9))
    d = nacl_diffusivity(m / 2, t)
    assert d.shape == (3, 9) and np.all(np.isfinite(d))
    assert np.all(d[2] > d[1]) and np.all(d[1] > d[0])
    assert min(NACL_DIFFUSIVITY_25[1]) * 1e-9 * 0.99 < d[1].min()


@pytest.mark.parametrize("name, expected", [
    # CRC Handbook (2016) / Longsworth (1953), tracer diffusivities at 25 degC [1e-9 m^2/s]
    ("Na+", 1.334), ("Cl-", 2.032), ("Ca+2", 0.792), ("sucrose", 0.5228), ("urea", 1.382),
    ("glucose", 0.673),
])
def test_ion_and_neutral_diffusivities(name, expected):
    assert_allclose(ion_diffusivity(name) * 1e9, expected, rtol=1e-3)


def test_temperature_scaling_uses_viscosity():
    # D mu / T constant: at 35 degC D grows by (308.15/298.15) * mu25 / mu35 (~ 1.28)
    ratio = stokes_einstein_temperature(1.0, 308.15)
    assert_allclose(ratio, 308.15 / 298.15 * MU25 / viscosity_Sharqawy(308.15))


@pytest.mark.parametrize("solute, le_bas_volume, measured, tol", [
    # measured at 25 degC: Gosting & Akeley (1952) urea 1.382e-9; Gosting & Morris (1949)
    # sucrose 0.5228e-9; Longsworth (1953) glucose 0.673e-9. Wilke-Chang error 10-20 %
    # (Poling et al. 2001, Table 11-5).
    ("urea", 58.0e-6, 1.382e-9, 0.10),
    ("sucrose", 313.9e-6, 0.5228e-9, 0.10),
    ("glucose", 162.6e-6, 0.673e-9, 0.20),
])
def test_wilke_chang(solute, le_bas_volume, measured, tol):
    d = Wilke_Chang(298.15, MU25, le_bas_volume)
    assert abs(d / measured - 1) < tol


def test_stokes_einstein_radius_of_sucrose():
    # hydrodynamic radius of sucrose from its diffusivity: 0.47 nm (Schultz & Solomon 1961
    # report ~0.44-0.52 nm from D); Stokes-Einstein inverted
    radius = 1.380649e-23 * 298.15 / (6 * np.pi * MU25 * 0.5228e-9)
    assert 0.44e-9 < radius < 0.52e-9
    assert_allclose(Stokes_Einstein(298.15, MU25, radius), 0.5228e-9)


def test_bad_input():
    with pytest.raises(InputError):
        Stokes_Einstein(298.15, MU25, -1e-9)
    with pytest.raises(InputError):
        Wilke_Chang(0.0, MU25, 58e-6)
    with pytest.raises(InputError):
        ion_diffusivity("Xx+")
    with pytest.raises(InputError):
        salt_diffusivity("glucose")


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 20), st.floats(273.15, 373.15))
def test_hypothesis_nacl_finite(m, t):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelRangeWarning)  # above saturation (6.15 mol/kg)
        d = nacl_diffusivity(m, t)
    assert np.isfinite(d) and 5e-10 < d < 7e-9


def test_hardening_bad_input():
    # old: NaN molality -> D = nan; 200 K -> negative D; 0 K -> D = 0; negative -> clipped
    for bad in (float("nan"), -1.0, "x"):
        with pytest.raises(InputError):
            nacl_diffusivity(bad, 298.15)
    for bad_t in (0.0, 200.0, 1000.0, float("nan")):
        with pytest.raises(InputError, match="temperature"):
            nacl_diffusivity(0.5, bad_t)
        with pytest.raises(InputError, match="temperature"):
            stokes_einstein_temperature(1.6e-9, bad_t)
    with pytest.raises(InputError):
        nernst_haskell(-1.334e-9, 2.032e-9, 1, -1)
    with pytest.raises(InputError):
        nernst_haskell(1.334e-9, 2.032e-9, 0, -1)
    with pytest.warns(ModelRangeWarning, match="saturation"):
        assert np.isfinite(nacl_diffusivity(10.0, 298.15))
    with pytest.warns(ModelRangeWarning, match="saturation"):  # old: overflow -> 1.611e-9
        assert nacl_diffusivity(1e300, 298.15) == pytest.approx(1.594e-9, rel=1e-3)


def test_diffusivity_in_water_picks_the_model_by_solute():
    # the convenience layer returns exactly the correlation it names
    nacl = diffusivity_in_water("NaCl", 308.15, molality=1.0)
    assert nacl["D_m2_s"] == pytest.approx(float(nacl_diffusivity(1.0, 308.15)), rel=1e-12)
    assert "Rard & Miller" in nacl["model"]
    cacl2 = diffusivity_in_water("calcium chloride", 298.15)
    assert cacl2["solute"] == "CaCl2" and cacl2["kind"] == "salt"
    assert cacl2["D_m2_s"] == pytest.approx(float(salt_diffusivity("CaCl2")), rel=1e-12)
    urea = diffusivity_in_water("urea", 298.15)
    assert urea["kind"] == "species"
    assert urea["D_m2_s"] == pytest.approx(float(ion_diffusivity("urea")), rel=1e-12)
    with pytest.raises(InputError, match="molality"):
        diffusivity_in_water("NaCl", 298.15, molality=-1.0)
