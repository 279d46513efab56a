"""Tests of osmolab.transport.membrane (solution-diffusion, SKK, polarisation, correlations)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from osmolab.constants import R
from osmolab.transport import membrane as mb


def test_water_flux_reverses_below_osmotic_pressure():
    dp = np.array([10e5, 25e5, 40e5])
    jw = mb.water_flux(1e-12, dp, 25e5)
    assert jw[0] < 0 and jw[1] == 0 and jw[2] > 0
    # a reflection coefficient below 1 lowers the effective osmotic driving force
    assert mb.water_flux(1e-12, 20e5, 25e5, reflection_coefficient=0.7) > 0


def test_film_theory_and_solution_diffusion_are_consistent():
    cb, jw, b, k = 600.0, 5e-6, 3.5e-8, 3e-5
    cp = mb.permeate_concentration(cb, jw, b, k)
    cm = mb.wall_concentration(cb, cp, jw, k)
    # solute flux by diffusion equals the solute carried by the permeate
    assert_allclose(mb.solute_flux(b, cm, cp), jw * cp, rtol=1e-12)
    # film theory: (cm - cp) / (cb - cp) = exp(J/k)
    assert_allclose((cm - cp) / (cb - cp), np.exp(jw / k), rtol=1e-12)


def test_spiegler_kedem_limits():
    jw = np.array([1e-7, 1e-6, 1e-5, 1e-4])
    # sigma = 1 is the solution-diffusion rejection J/(J+B)
    assert_allclose(mb.spiegler_kedem_rejection(jw, 1.0, 1e-7), jw / (jw + 1e-7))
    # rejection tends to sigma at high flux (Spiegler & Kedem 1966)
    assert_allclose(mb.spiegler_kedem_rejection(1e-2, 0.95, 1e-7), 0.95, rtol=1e-9)
    r = mb.spiegler_kedem_rejection(jw, 0.95, 1e-7)
    assert np.all(np.diff(r) > 0)


def test_hydraulic_diameter_schock_miquel():
    # d_h = 4 eps / (2/h + (1-eps) 8/h); for h = 0.71 mm (28 mil), eps = 0.89 -> 0.879 mm
    assert_allclose(mb.hydraulic_diameter_spacer(28 * 25.4e-6, 0.89), 8.788e-4, rtol=1e-3)
    # an empty slit (eps = 1) has d_h = 2h
    assert_allclose(mb.hydraulic_diameter_spacer(1e-3, 1.0), 2e-3)


def test_correlations_by_hand():
    re, sc = 150.0, 700.0
    assert_allclose(mb.Schock_Miquel(re, sc), 0.065 * re**0.875 * sc**0.25)
    assert_allclose(mb.Schock_Miquel_friction(re), 6.23 * re**-0.3)
    assert_allclose(mb.Guillen_Hoek(re, sc), 0.46 * (re * sc) ** 0.36)
    assert_allclose(mb.Guillen_Hoek_friction(re), 0.42 + 189.3 / re)
    assert set(mb.CORRELATIONS) == {"Schock_Miquel", "Guillen_Hoek"}


def test_temperature_correction_dupont_manual_values():
    """DuPont FilmTec manual 45-D01504: TCF ~0.70 at 15 degC and ~1.33 at 35 degC."""
    tcf = mb.temperature_correction_DuPont(np.array([288.15, 298.15, 308.15]))
    assert_allclose(tcf, [0.70, 1.0, 1.33], atol=0.01)
    # continuous at 25 degC and monotonic
    t = np.linspace(278.15, 318.15, 81)
    assert np.all(np.diff(mb.temperature_correction_DuPont(t)) > 0)


def test_arrhenius_matches_dupont_above_25C():
    t = np.array([300.0, 310.0, 315.0])
    dupont = mb.temperature_correction_DuPont(t)
    arr = mb.temperature_correction_Arrhenius(t - 0.15, 2640 * R, reference_temperature=298.0)
    assert_allclose(arr, dupont, rtol=1e-12)


def test_membrane_age_factors():
    a, b = mb.membrane_age_factors(np.array([0.0, 1.0, 5.0]), 0.07, 0.10)
    assert_allclose(a, [1.0, 0.93, 0.93**5])
    assert_allclose(b, [1.0, 1.10, 1.10**5])


def test_vectorised_shapes():
    jw = mb.water_flux(np.full((3, 4), 1e-12), np.linspace(30e5, 60e5, 4), 25e5)
    assert jw.shape == (3, 4)
    assert mb.concentration_polarization_factor(np.zeros(5), 1e-5).shape == (5,)


@pytest.mark.parametrize("re", [50.0, 200.0, 800.0])
def test_channel_pressure_gradient_positive(re):
    f = mb.Schock_Miquel_friction(re)
    assert mb.channel_pressure_gradient(f, 1020.0, 0.15, 8.8e-4) > 0


def test_celsius_or_negative_inputs_are_input_errors():
    from osmolab.errors import InputError

    with pytest.raises(InputError, match="kelvin"):
        mb.temperature_correction_DuPont(25.0)  # degC by mistake
    with pytest.raises(InputError, match="kelvin"):
        mb.temperature_correction_Arrhenius(np.array([298.15, 0.0]), 21950.0)
    with pytest.raises(InputError, match="membrane age"):
        mb.membrane_age_factors(-1, 0.07, 0.10)
    with pytest.raises(InputError, match="flux_decline_per_year .* got 7"):
        mb.membrane_age_factors(3, 7.0, 0.10)  # percent by mistake
    assert np.isnan(mb.temperature_correction_DuPont(np.nan))


# ---------------------------------------------------------------------------------------
# Spacer-channel correlations: one scalar Numba kernel each, vectorised twins for users
# ---------------------------------------------------------------------------------------
def test_schock_miquel_published_form():
    """Schock & Miquel (1987), Desalination 64, 339-352: Sh = 0.065 Re^0.875 Sc^0.25 and
    lambda = 6.23 Re^-0.3. At Re = Sc = 1 the prefactors appear alone; at Re = 2^8,
    Sc = 2^4: Sh = 0.065 * 2^7 * 2 = 16.64, lambda = 6.23 * 2^-2.4 = 1.1804."""
    assert_allclose(mb.Schock_Miquel_scalar(1.0, 1.0), 0.065, rtol=1e-14)
    assert_allclose(mb.Schock_Miquel_scalar(256.0, 16.0), 16.64, rtol=1e-14)
    assert_allclose(mb.Schock_Miquel_friction_scalar(1.0), 6.23, rtol=1e-14)
    assert_allclose(mb.Schock_Miquel_friction_scalar(256.0), 6.23 * 2**-2.4, rtol=1e-14)
    assert_allclose(mb.Schock_Miquel_friction_scalar(256.0), 1.18036, rtol=1e-5)


def test_guillen_hoek_published_form():
    """Guillen & Hoek (2009), Chem. Eng. J. 149, 221-231 (WaterTAP's form):
    Sh = 0.46 (Re Sc)^0.36, f = 0.42 + 189.3/Re. Re Sc = 1 gives the prefactor; Re = 189.3
    gives f = 1.42 exactly."""
    assert_allclose(mb.Guillen_Hoek_scalar(0.5, 2.0), 0.46, rtol=1e-14)
    assert_allclose(mb.Guillen_Hoek_scalar(200.0, 600.0), 0.46 * 120000.0**0.36, rtol=1e-14)
    assert_allclose(mb.Guillen_Hoek_friction_scalar(189.3), 1.42, rtol=1e-14)
    assert_allclose(mb.Guillen_Hoek_friction_scalar(1e9), 0.42, rtol=1e-6)


def test_channel_pressure_gradient_darcy_weisbach():
    """-dP/dx = f rho u^2 / (2 d_h): f = 1, rho = 1000 kg/m3, u = 0.2 m/s, d_h = 1 mm gives
    20 kPa/m (0.2 bar per metre of element)."""
    assert_allclose(mb.channel_pressure_gradient_scalar(1.0, 1000.0, 0.2, 1e-3), 2e4,
                    rtol=1e-14)


@pytest.mark.parametrize("name", list(mb.CORRELATIONS))
def test_kernel_and_vectorised_twins_agree(name):
    """The kernel's code selects the same correlation as the registry, and the vectorised
    twins give the scalar kernels' numbers (same source)."""
    sherwood, friction = mb.CORRELATIONS[name]
    code = mb.correlation_code(name)
    re = np.array([20.0, 150.0, 700.0, 2500.0])
    sc = np.array([400.0, 600.0, 900.0, 1500.0])
    for r, s, sh, f in zip(re, sc, sherwood(re, sc), friction(re), strict=True):
        k_sh, k_f = mb.spacer_channel_scalar(code, r, s)
        assert_allclose([k_sh, k_f], [sh, f], rtol=1e-12)
    assert sherwood(re[:, None], sc[None, :]).shape == (4, 4)  # broadcast
    assert_allclose(mb.channel_pressure_gradient(friction(re), 1020.0, 0.15, 8.8e-4),
                    [mb.channel_pressure_gradient_scalar(f, 1020.0, 0.15, 8.8e-4)
                     for f in friction(re)], rtol=1e-12)


def test_unknown_correlation_lists_the_names():
    from osmolab.errors import InputError

    with pytest.raises(InputError, match="Schock_Miquel, Guillen_Hoek"):
        mb.correlation_code("Dittus_Boelter")


def test_solution_diffusion_laws_have_one_scalar_kernel_each():
    # the RO march calls these kernels; the user functions run the same source on arrays
    # (Wijmans & Baker 1995; film theory, Sherwood et al. 1965)
    a, dp, dpi = 1.2e-12, 55e5, 27e5
    assert mb.water_flux_scalar(a, dp, dpi, 1.0) == pytest.approx(a * (dp - dpi), rel=1e-15)
    assert_allclose(mb.water_flux([a, a], [dp, 40e5], dpi),
                    [mb.water_flux_scalar(a, dp, dpi, 1.0), mb.water_flux_scalar(a, 40e5, dpi, 1.0)],
                    rtol=1e-15)
    jw, b, k, cb = 5e-6, 3.5e-8, 3e-5, 600.0
    e = float(mb.concentration_polarization_factor(jw, k))
    passage = mb.film_theory_passage_scalar(jw, b, e)
    cp = float(mb.permeate_concentration(cb, jw, b, k))
    assert cp == pytest.approx(passage * cb, rel=1e-14)
    cm = float(mb.wall_concentration(cb, cp, jw, k))
    assert cm == pytest.approx(mb.wall_concentration_scalar(cb, cp, e), rel=1e-14)
    # the passage closes the solute balance J_s = B (c_m - c_p) = J_w c_p
    assert b * (cm - cp) == pytest.approx(jw * cp, rel=1e-12)
