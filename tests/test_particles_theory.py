"""Kinetic theory of the simulated particles: collision integrals, virial, Chapman-Enskog."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from osmolab.constants import ATM, k_B
from osmolab.errors import InputError
from osmolab.particles import theory
from osmolab.particles.system import ReducedUnits, molecule_species


@pytest.mark.parametrize("tstar", [2.0, 5.0, 10.0])
def test_numeric_collision_integral_matches_neufeld_for_lj(tstar):
    # Neufeld, Janzen & Aziz 1972 fit (itself within 0.1 % of the Hirschfelder-Curtiss-Bird tables)
    assert_allclose(theory.omega11_numeric_lj(tstar), theory.omega11_Neufeld(tstar), rtol=5e-3)


def test_neufeld_matches_hirschfelder_table():
    # Hirschfelder, Curtiss & Bird 1954, Table I-M: Omega(1,1)* = 1.439 at T* = 1, 0.8422 at T* = 5
    assert_allclose(theory.omega11_Neufeld([1.0, 5.0]), [1.439, 0.8422], rtol=2e-3)


def test_wca_collision_integral_is_below_hard_spheres_and_falls_with_temperature():
    # a soft repulsive core looks smaller to faster collisions
    values = theory.omega11([0.5, 1.0, 2.0, 4.0], "wca")
    assert np.all(np.diff(values) < 0)
    assert values[1] < 1.0


def test_second_virial_hard_spheres():
    # B2 = 2 pi sigma^3 / 3 for hard spheres (McQuarrie 1976, eq. 12-40)
    b2 = theory.second_virial(1.0, lambda r: np.where(r < 1.0, np.inf, 0.0), r_max=2.0)
    assert_allclose(b2, 2 * math.pi / 3, rtol=2e-3)


def test_carnahan_starling_contact_value():
    assert_allclose(theory.contact_value_Carnahan_Starling(0.3), (1 - 0.15) / 0.7**3)


def test_chapman_enskog_n2_o2_against_experiment():
    # N2-O2 at 273.2 K and 1 atm: 0.181 cm^2/s (Marrero & Mason 1972, J. Phys. Chem. Ref.
    # Data 1, 3, as tabulated in Cussler, Diffusion, Table 5.1-1)
    species, units = molecule_species(["N2", "O2"])
    a, b = species
    temperature = 273.15
    n_real = ATM / (k_B * temperature)
    n_star = n_real * units.sigma**3
    d = theory.interdiffusion_Chapman_Enskog(
        n_star, temperature / units.temperature, a.mass, b.mass, 0.5 * (a.diameter + b.diameter),
        math.sqrt(a.epsilon * b.epsilon), potential="lj", enskog=False)
    assert_allclose(d * units.diffusivity * 1e4, 0.181, rtol=0.05)


def test_reduced_units_of_argon():
    # argon LJ parameters of data/particle_species.csv (Cantera gri30 transport data):
    # sigma = 3.33 A, eps/k = 136.5 K, M = 39.948 g/mol
    units = ReducedUnits.for_molecule("Ar")
    assert_allclose(units.temperature, 136.5)
    assert_allclose(units.sigma, 3.33e-10)
    # tau = sigma sqrt(m / eps), computed by hand: 1.976 ps (about 2 ps; 2.15 ps with the
    # widely used sigma 3.405 A, eps/k 119.8 K argon set)
    mass = 39.948e-3 / 6.02214076e23
    tau = 3.33e-10 * math.sqrt(mass / (136.5 * k_B))
    assert_allclose(units.time, tau, rtol=1e-6)
    assert_allclose(units.time, 2.0e-12, rtol=0.02)


def test_bad_inputs():
    with pytest.raises(InputError):
        theory.omega11(-1.0, "wca")
    with pytest.raises(InputError):
        theory.pair_potential(1.0, "morse")
    with pytest.raises(InputError):
        theory.interdiffusion_Chapman_Enskog(-0.1, 1.0)
    with pytest.raises(InputError, match="unknown molecule"):
        ReducedUnits.for_molecule("N3")
