"""Fick's second law in a closed box (osmolab.transport.fick)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from osmolab.errors import InputError
from osmolab.transport.fick import (
    closed_box_exact,
    closed_box_mixing_time,
    mixing_degree,
    partition_initial,
    solve_diffusion,
)

L, D = 0.1, 2.0e-5  # N2-O2-like gas in a 10 cm box


def test_exact_solution_limits():
    z = np.linspace(0, L, 11)
    # long times: uniform at the partition fraction; amount of A conserved at any time
    assert_allclose(closed_box_exact(z, 1e5, L, D, 0.3), 0.3, atol=1e-12)
    zz = np.linspace(0, L, 20001)
    x = closed_box_exact(zz, 20.0, L, D, 0.3)
    assert_allclose(np.trapezoid(x, zz) / L, 0.3, atol=1e-6)
    # symmetric start: x(L/2) = 1/2 at all times
    assert_allclose(closed_box_exact(L / 2, [1.0, 10.0, 100.0], L, D), 0.5, atol=1e-12)


def test_first_mode_time_constant():
    # late times: x(0) - 1/2 = (2/pi) exp(-pi^2 D t / L^2) (Crank 1975, eq. 4.17)
    t = 300.0
    assert_allclose(closed_box_exact(0.0, t, L, D) - 0.5,
                    2 / np.pi * np.exp(-np.pi**2 * D * t / L**2), rtol=1e-6)


@pytest.mark.parametrize("partition", [0.5, 0.3])
@pytest.mark.parametrize("scheme", ["crank-nicolson", "backward-euler"])
def test_fv_1d_matches_exact_and_conserves_mass(partition, scheme):
    n = 200
    res = solve_diffusion(partition_initial(n, partition), L, D, t_end=200.0, n_steps=2000,
                          scheme=scheme, n_records=5)
    z = res.centers[0]
    for t, field in zip(res.times[1:], res.fields[1:], strict=True):
        exact = closed_box_exact(z, t, L, D, partition, cell_width=L / n)
        assert np.max(np.abs(field - exact)) < 1e-3
    assert np.max(np.abs(res.amount - res.amount[0])) / res.amount[0] < 1e-10


@pytest.mark.parametrize("shape, lengths", [((60, 12), (L, 0.02)), ((30, 6, 5), (L, 0.02, 0.02))])
def test_fv_2d_3d_match_the_1d_exact_solution(shape, lengths):
    c0 = np.zeros(shape)
    c0[: shape[0] // 2] = 1.0
    res = solve_diffusion(c0, lengths, D, t_end=100.0, n_steps=400, n_records=3)
    exact = closed_box_exact(res.centers[0], 100.0, L, D, cell_width=L / shape[0])
    profile = res.fields[-1].reshape(shape[0], -1)
    assert np.max(np.abs(profile - exact[:, None])) < 1e-3
    assert np.max(np.abs(res.amount - res.amount[0])) / res.amount[0] < 1e-10


def test_concentration_dependent_diffusivity():
    n = 120
    c0 = partition_initial(n)
    # D(c) = const through the Picard path reproduces the exact solution
    res = solve_diffusion(c0, L, lambda c: np.full_like(c, D), 100.0, 200, n_records=2)
    exact = closed_box_exact(res.centers[0], 100.0, L, D, cell_width=L / n)
    assert np.max(np.abs(res.fields[-1] - exact)) < 1e-3
    # D rising with c: the profile is skewed, mass still conserved to rounding
    res = solve_diffusion(c0, L, lambda c: D * (0.2 + 1.8 * c), 100.0, 200, n_records=2)
    assert np.max(np.abs(res.amount - res.amount[0])) / res.amount[0] < 1e-10
    assert res.picard_iterations > 200
    # faster diffusion on the rich side (Crank 1975, ch. 9): the rich side is drained over a
    # long tail, the lean side fills behind a steep front, and the composition at the
    # original interface lies above the mean
    field = res.fields[-1]
    assert 1 - field[n // 2 - 40] > field[n // 2 + 39]
    assert field[n // 2] > 0.5


def test_harmonic_face_average_layered_steady_state():
    # a zero-D layer blocks all exchange (the harmonic mean of 0 and D is 0)
    d = np.full(50, D)
    d[25] = 0.0
    c0 = np.r_[np.ones(25), np.zeros(25)]
    res = solve_diffusion(c0, L, d, 1000.0, 50, n_records=2)
    assert_allclose(res.fields[-1][:25].sum(), 25.0, rtol=1e-12)


def test_mixing_time_exact_and_numerical():
    t_exact = closed_box_mixing_time(L, D, 0.99)
    # first-mode estimate: t = L^2/(pi^2 D) ln(4 / (pi (1 - M)))
    assert_allclose(t_exact, L**2 / (np.pi**2 * D) * np.log(4 / (np.pi * 0.01)), rtol=1e-3)
    res = solve_diffusion(partition_initial(200), L, D, 1.2 * t_exact, 2000, n_records=241)
    assert_allclose(res.mixing_time(0.99), t_exact, rtol=2e-3)
    assert_allclose(mixing_degree(res.fields[-1], 0.5), res.mixing[-1])


@pytest.mark.parametrize("bad", [dict(length=-1.0), dict(diffusivity=0.0), dict(mixing=1.0),
                                 dict(partition=0.0)])
def test_bad_input(bad):
    args = dict(length=L, diffusivity=D, mixing=0.99, partition=0.5) | bad
    with pytest.raises(InputError):
        closed_box_mixing_time(**args)


def test_bad_solver_input():
    with pytest.raises(InputError):
        solve_diffusion(np.ones(10), L, -D, 1.0)
    with pytest.raises(InputError):
        solve_diffusion(np.ones(10), L, D, 1.0, scheme="rk4")
    with pytest.raises(InputError):
        solve_diffusion(np.ones((2, 2, 2, 2)), L, D, 1.0)
    with pytest.raises(InputError):
        solve_diffusion(np.array([1.0, np.nan, 0.0]), L, D, 1.0)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(0, 10), min_size=3, max_size=40),
       st.floats(1e-7, 1e-3), st.floats(1e-3, 1e3))
def test_hypothesis_random_initial_fields_conserve_mass(values, diffusivity, t_end):
    c0 = np.array(values)
    res = solve_diffusion(c0, 0.01, diffusivity, t_end, n_steps=20, n_records=2)
    assert np.all(np.isfinite(res.fields))
    assert abs(res.amount[-1] - res.amount[0]) <= 1e-10 * max(res.amount[0], 1e-300) + 1e-18


def test_hardening_bad_input():
    # old: brentq ValueError for a partition next to a wall; NaN for NaN positions or a
    # zero cell width; RuntimeWarning + NaN for an empty field or zero cells
    with pytest.raises(InputError, match="too close to a wall"):
        closed_box_mixing_time(L, D, 0.99, partition=1e-9)
    assert closed_box_mixing_time(L, D, 0.99, partition=1e-5) > 0
    with pytest.raises(InputError):
        closed_box_exact(np.array([np.nan]), 1.0, L, D)
    with pytest.raises(InputError, match="in the box"):
        closed_box_exact(np.array([-1.0]), 1.0, L, D)
    with pytest.raises(InputError):
        closed_box_exact(np.array([0.05]), 1.0, L, D, cell_width=0.0)
    for field in (np.array([]), np.array([np.nan, 1.0])):
        with pytest.raises(InputError):
            mixing_degree(field)
    for n in (0, -1, 10.5, "10"):
        with pytest.raises(InputError):
            partition_initial(n)
    c0 = partition_initial(20)
    for kwargs in ({"initial": "x"}, {"lengths": "a"}, {"diffusivity": np.ones(3)},
                   {"diffusivity": lambda c: "x"}, {"n_steps": 1.5}, {"picard_tol": -1.0},
                   {"max_picard": 0}):
        args = {"initial": c0, "lengths": L, "diffusivity": D, "t_end": 10.0, "n_steps": 10}
        with pytest.raises(InputError):
            solve_diffusion(**(args | kwargs))


def test_mixing_time_out_of_range_values():
    # old: OverflowError (L = 1e300 m) and brentq ValueError (mixing = 1e-300)
    for length in (1e300, 1e-300):
        with pytest.raises(InputError, match="time constant"):
            closed_box_mixing_time(length, D)
    for mixing in (1e-300, 1.0 - 1e-16):
        with pytest.raises(InputError, match="mixing"):
            closed_box_mixing_time(L, D, mixing)


def test_closed_box_comparison_agrees_with_the_exact_solution():
    # 200 Crank-Nicolson cells reproduce the exact cell averages (Crank 1975, eq. 4.17) to
    # 1e-3 and the exact mixing time to 1 %; the scheme conserves the amount to rounding
    from osmolab.transport.fick import closed_box_comparison

    check = closed_box_comparison(L, D, partition=0.3, mixing=0.99)
    assert check.mixing_time == pytest.approx(closed_box_mixing_time(L, D, 0.99, 0.3), rel=1e-12)
    assert check.mixing_time_fv == pytest.approx(check.mixing_time, rel=1e-2)
    assert check.max_error < 1e-3
    assert check.mass_drift < 1e-12
    assert check.time_constant == pytest.approx(L**2 / (np.pi**2 * D))
    assert_allclose(check.exact(check.run.centers[0], 1e6), 0.3, atol=1e-12)


@pytest.mark.parametrize("kwargs", [
    {"n_cells": 5}, {"n_cells": 2.5}, {"mixing": 1.0}, {"mixing": float("nan")},
    {"partition": 0.0}, {"partition": 0.001}, {"length": -1.0},
])
def test_closed_box_comparison_refuses_bad_input(kwargs):
    from osmolab.transport.fick import closed_box_comparison

    args = {"length": L, "diffusivity": D, **kwargs}
    with pytest.raises(InputError):
        closed_box_comparison(**args)
