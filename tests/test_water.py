"""Pure-water and seawater properties against published values."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from osmolab import InputError, ModelRangeWarning
from osmolab.thermo import seawater, water


def test_density_kell_published_points():
    # Kell 1975, J. Chem. Eng. Data 20:97, Table I: 0, 4, 25, 50, 100 degC [kg/m^3]
    t = np.array([0.0, 4.0, 25.0, 50.0, 100.0]) + 273.15
    expected = [999.840, 999.972, 997.048, 988.04, 958.35]
    assert_allclose(water.density_Kell(t), expected, rtol=5e-5)


def test_viscosity_matches_iapws_2008():
    # IAPWS 2008 (Huber et al., J. Phys. Chem. Ref. Data 38:101) at 0.1 MPa:
    # 25 degC 890.02 uPa s, 50 degC 546.8 uPa s; Sharqawy's fit claims +-0.05 %... 0.5 %
    assert_allclose(water.viscosity_Sharqawy([298.15, 323.15]), [890.02e-6, 546.8e-6], rtol=5e-3)


def test_seawater_osmotic_pressure_standard_seawater():
    # Sharqawy, Lienhard & Zubair 2010: 35 g/kg, 25 degC -> 25.9 bar (TEOS-10: 25.8 bar)
    assert_allclose(seawater.osmotic_pressure(0.035, 298.15) / 1e5, 25.9, rtol=0.01)


def test_seawater_density_teos10():
    # TEOS-10 (IOC 2010) density of standard seawater SA = 35.165 g/kg, 25 degC, 0 dbar:
    # 1023.34 kg/m^3; Sharqawy et al. 2010 quote +-0.1 % for eq. (8)
    assert_allclose(seawater.density(0.035165, 298.15), 1023.34, rtol=1e-3)


def test_seawater_viscosity_isdale():
    # Sharqawy et al. 2010, Table 7 data (Isdale et al. 1972): 40 g/kg, 20 degC -> 1.0779 mPa s
    # (correlation accuracy +-1.5 %)
    assert_allclose(seawater.viscosity(0.040, 293.15) * 1e3, 1.078, rtol=0.015)


def test_seawater_vectorised_and_monotonic():
    s = np.linspace(0.0, 0.12, 25)
    pi = seawater.osmotic_pressure(s, 298.15)
    assert pi.shape == s.shape
    assert np.all(np.diff(pi) > 0)
    assert pi[0] == 0.0


def test_seawater_bad_input():
    with pytest.raises(InputError, match="salinity"):
        seawater.osmotic_pressure(-0.01, 298.15)
    with pytest.raises(InputError, match="pitzer"):
        seawater.osmotic_pressure(0.5, 298.15)
    with pytest.raises(InputError, match="temperature"):
        seawater.osmotic_pressure(0.035, -5)
    with pytest.warns(ModelRangeWarning):
        seawater.osmotic_coefficient(0.15, 298.15)
