"""The linear algebra and molality forms of the compiled Davies Newton step.

Issue 9 item 6 (speed): the Newton step of ``thermo.speciation_kernel`` eliminates first the
masters no species holds together (their block of the Jacobian is diagonal), then factors the
rest with partial pivoting (``_block_factor``/``_block_solve``, reused for a chord step), and
forms each Davies molality as exp(ln K) times integer powers of e^P, e^Q and a_w and the
masters' exp(x) (``_davies_powers``, ``_davies_product``). These tests check both against the plain forms; the
whole solver is checked against the reference in ``test_speciation_speed_equivalence.py``.
"""

import numpy as np
from numpy.testing import assert_allclose

from osmolab.thermo import speciation, speciation_kernel


def test_diagonal_masters_share_no_species():
    for model in ("ion_association", "pitzer"):
        setup = speciation._setup(model)
        diagonal = setup.network.diagonal
        assert not diagonal[setup.c_index]
        for row in setup.network.members:
            ks = row[row >= 0]
            assert diagonal[ks].sum() <= 1, (model, ks)
    # the dilute network: the six cations, borate and silica
    setup = speciation._setup("ion_association")
    names = [m for m, d in zip(setup.species_set.masters, setup.network.diagonal, strict=True) if d]
    assert names == ["Ca+2", "Mg+2", "Na+", "K+", "Sr+2", "Ba+2", "B(OH)3", "H4SiO4"]


def test_positions_put_the_diagonal_block_first():
    setup = speciation._setup("ion_association")
    k_count = setup.network.diagonal.size
    position = np.empty(k_count, dtype=np.int64)
    first = speciation_kernel._positions(setup.network.diagonal, setup.c_index, position)
    assert first == 8
    assert sorted(position) == list(range(k_count))
    assert (position[setup.network.diagonal] < first).all()
    assert position[setup.c_index] >= first


def test_block_solve_equals_dense_solve():
    rng = np.random.default_rng(3)
    first, size = 8, 13
    for _ in range(20):
        a = rng.normal(size=(size, size))
        a[:first, :first] = np.diag(rng.uniform(0.5, 2.0, first))  # the diagonal block
        b = rng.normal(size=size)
        expected = np.linalg.solve(a, b)
        # the kernels' matrices carry a spare row and column that the solve never reads
        lu = np.full((size + 1, size + 1), np.nan)
        lu[:size, :size] = a
        pivots = np.empty(size, dtype=np.int64)
        speciation_kernel._block_factor(lu, first, size, pivots)
        right = np.append(b, np.nan)
        assert_allclose(speciation_kernel._block_solve(lu, first, size, pivots, right)[:size],
                        expected, rtol=1e-9, atol=1e-9)
        # the factors serve a second right-hand side (the chord step)
        c = rng.normal(size=size)
        assert_allclose(speciation_kernel._block_solve(lu, first, size, pivots,
                                                       np.append(c, np.nan))[:size],
                        np.linalg.solve(a, c), rtol=1e-9, atol=1e-9)


def test_davies_power_table_equals_the_exp_form():
    network = speciation._setup("ion_association").network
    assert speciation_kernel._product_form(network, False)
    assert not speciation_kernel._product_form(network, True)
    powers = np.empty(speciation_kernel.POWER_COUNT)
    index = network.power_index
    for p, q, ln_aw in ((-0.3, 0.01, -0.002), (-1.1, 0.05, -0.03), (0.0, 0.0, 0.0)):
        speciation_kernel._davies_powers(p, q, ln_aw, powers)
        factor = powers[index[:, 0]] * powers[index[:, 1]] * powers[index[:, 2]]
        expected = np.exp(p * network.gamma_z2 + q * network.gamma_neutral
                          + network.water * ln_aw)
        assert_allclose(factor, expected, rtol=1e-13)
