"""The linear algebra and molality forms of the compiled Davies Newton step.

Issue 9 item 6 (speed): the Newton step of ``thermo.speciation_kernel`` eliminates first the
masters no species holds together (their block of the Jacobian is diagonal), then factors the
rest with partial pivoting (``_block_factor``/``_block_solve``, reused for a chord step), and
forms each Davies molality as exp(ln K) times integer powers of e^P, e^Q and a_w and the
masters' exp(x) (``_davies_factors``). These tests check both against the plain forms; the
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


def test_block_solve_equals_dense_solve():
    rng = np.random.default_rng(3)
    k_count, size = 12, 13
    diagonal = np.zeros(k_count, dtype=bool)
    diagonal[[0, 1, 2, 3, 4, 5, 9, 10]] = True
    rest = np.array([k for k in range(size) if k >= k_count or not diagonal[k]], dtype=np.int64)
    for _ in range(20):
        a = rng.normal(size=(size, size))
        for d in np.flatnonzero(diagonal):  # the diagonal block: zero between its rows
            a[d, np.flatnonzero(diagonal)] = 0.0
            a[d, d] = rng.uniform(0.5, 2.0)
        b = rng.normal(size=size)
        expected = np.linalg.solve(a, b)
        lu, pivots = a.copy(), np.empty(size, dtype=np.int64)
        speciation_kernel._block_factor(lu, diagonal, rest, rest.size, pivots)
        assert_allclose(speciation_kernel._block_solve(lu, diagonal, rest, rest.size, pivots,
                                                       b.copy()), expected, rtol=1e-9,
                        atol=1e-9)
        # the factors serve a second right-hand side (the chord step)
        c = rng.normal(size=size)
        assert_allclose(speciation_kernel._block_solve(lu, diagonal, rest, rest.size, pivots,
                                                       c.copy()), np.linalg.solve(a, c),
                        rtol=1e-9, atol=1e-9)


def test_davies_factors_equal_the_exp_form():
    network = speciation._setup("ion_association").network
    assert speciation_kernel._product_form(network, False)
    assert not speciation_kernel._product_form(network, True)
    s_count = network.members.shape[0]
    factor = np.empty(s_count)
    powers = np.empty(speciation_kernel._Z2_HIGH - speciation_kernel._Z2_LOW + 1)
    for p, q, ln_aw in ((-0.3, 0.01, -0.002), (-1.1, 0.05, -0.03), (0.0, 0.0, 0.0)):
        speciation_kernel._davies_factors(network, s_count, p, q, ln_aw, factor, powers)
        expected = np.exp(p * network.gamma_z2 + q * network.gamma_neutral
                          + network.water * ln_aw)
        assert_allclose(factor, expected, rtol=1e-13)
