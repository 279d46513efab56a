"""The block (lanes) Davies solver gives each water the speciation the one-water kernel gives it.

``thermo.speciation_lanes`` solves dilute waters of given pH in blocks of ``LANES`` waters with
the same masters, each loop vectorised across the block, with a polynomial exp and an
elimination without row exchanges. These tests compare it with the one-water kernel
(``speciation_kernel._davies_one``: libm exp, partial pivoting) to the solver's tolerance
(balances 1e-10 relative), check the exp against NumPy's in ulp, and that batches are grouped
by their masters. Timings are in ``benchmarks/bench_water.py``.
"""

import numpy as np
from numpy.testing import assert_allclose

from osmolab.thermo import scaling, speciation
from osmolab.thermo import speciation_kernel as sk
from osmolab.thermo import speciation_lanes as sl


def test_polynomial_exp_within_three_ulp_of_numpy():
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.uniform(-708, 709, 200_000), rng.uniform(-40, 5, 200_000),
                        rng.uniform(-1e-6, 1e-6, 1000), [0.0, 1.0, -1.0, 708.0, -708.0]])
    out = np.empty_like(x)
    sl.exp_array(x, out)
    ulp = np.abs(out - np.exp(x)) / np.spacing(np.exp(x))
    assert ulp.max() <= 3.0
    assert out[-5] == 1.0
    # clipped to -708..709: no inf, no 0 (the kernel's molalities stay finite and positive)
    sl.exp_array(np.array([-800.0, 800.0]), out[:2])
    assert 0.0 < out[0] < 1e-307
    assert np.isfinite(out[1])


def test_master_order_groups_waters_of_the_same_masters_stably():
    present = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 0], [1, 1, 0], [1, 0, 1]], dtype=bool)
    alkalinity = np.array([True, True, True, False, True])
    order = sl.master_order(present, alkalinity)
    assert sorted(order.tolist()) == list(range(5))
    place = {int(i): p for p, i in enumerate(order)}
    sets = {}
    for i in range(5):
        sets.setdefault((tuple(present[i]), bool(alkalinity[i])), []).append(i)
    assert len(sets) == 3
    for members in sets.values():  # each set in one run, in the batch's order
        places = [place[i] for i in members]
        assert places == list(range(places[0], places[0] + len(members)))


def _kernel_inputs(n, monkeypatch):
    """The inputs speciation._solve gives the Davies kernel for n dilute referee waters (with
    jittered pH and temperature), captured from a serial run."""
    w = scaling.referee_waters()
    dilute = np.flatnonzero(speciation.speciate(w["totals"], w["ph"], w["temperature"],
                                                alkalinity=w["alkalinity"]).model
                            == "ion_association")
    rng = np.random.default_rng(11)
    rows = dilute[np.arange(n) % dilute.size]
    captured = {}
    serial = speciation.davies_serial

    def capture(*args):
        captured["args"] = args
        serial(*args)

    monkeypatch.setattr(speciation, "_THREADED_FROM", 10**9)
    monkeypatch.setattr(speciation, "davies_serial", capture)
    speciation.speciate({k: v[rows] for k, v in w["totals"].items()},
                        w["ph"][rows] + rng.uniform(-0.2, 0.2, n),
                        w["temperature"][rows] + rng.uniform(-3, 3, n),
                        alkalinity=w["alkalinity"][rows], model="ion_association")
    return captured["args"]


def _copy(waters, x, molality, status):
    return (waters._replace(ln_water_activity=waters.ln_water_activity.copy(),
                            log_activity=waters.log_activity.copy(), sums=waters.sums.copy()),
            x.copy(), molality.copy(), status.copy())


def test_block_equals_one_water_kernel(monkeypatch):
    start, inputs, network, waters, c_index, order, x, molality, status = _kernel_inputs(
        sl.LANES, monkeypatch)
    lanes = np.arange(sl.LANES, dtype=np.int64)
    block = _copy(waters, x, molality, status)
    problem = sl.Problem(start, inputs, network, block[0], c_index, block[1], block[2], block[3])
    scratch = sk._scratch(network, x.shape[1], c_index)
    ok = sl._davies_lanes(problem, lanes, scratch, sl._lane_scratch(network, x.shape[1], sl.LANES))
    assert ok
    one = _copy(waters, x, molality, status)
    scratch = sk._scratch(network, x.shape[1], c_index)
    for w in lanes:
        sk._davies_one(start, inputs, network, one[0], w, one[1], one[2], one[3], True, scratch)
    assert (block[3][:, sk.STATUS_ERROR] < 1e-10).all()
    assert (block[3][:, sk.STATUS_ITERATIONS] == block[3][0, sk.STATUS_ITERATIONS]).all()
    # both at the solver tolerance: the same molalities to ~1e-10 relative
    assert_allclose(block[2], one[2], rtol=1e-9, atol=1e-30)
    finite = np.isfinite(one[0].log_activity)
    assert (np.isfinite(block[0].log_activity) == finite).all()
    assert_allclose(block[0].log_activity[finite], one[0].log_activity[finite], atol=1e-9)
    assert_allclose(block[0].sums, one[0].sums, rtol=1e-9)
    assert_allclose(block[0].ln_water_activity, one[0].ln_water_activity, atol=1e-12)
    assert_allclose(block[1], one[1], atol=1e-9)  # ln of the free masters


def test_batch_solved_in_blocks_equals_waters_alone():
    """A batch of several blocks (two sets of masters, interleaved, so that the kernel has to
    sort them into blocks) gives every water the speciation it gets alone."""
    w = scaling.referee_waters()
    dilute = np.flatnonzero(speciation.speciate(w["totals"], w["ph"], w["temperature"],
                                                alkalinity=w["alkalinity"]).model
                            == "ion_association")
    n = 4 * sl.LANES + 5
    rows = dilute[np.arange(n) % dilute.size]
    totals = {k: v[rows].copy() for k, v in w["totals"].items()}
    totals["SO4-2"][1::2] = 0.0
    ph, temperature, alkalinity = w["ph"][rows], w["temperature"][rows], w["alkalinity"][rows]
    batch = speciation.speciate(totals, ph, temperature, alkalinity=alkalinity,
                                model="ion_association")
    for i in range(0, n, 9):
        alone = speciation.speciate({k: v[i] for k, v in totals.items()}, ph[i], temperature[i],
                                    alkalinity=alkalinity[i], model="ion_association")
        assert_allclose(batch.molality[i], alone.molality[0], rtol=1e-9, atol=1e-30)
        finite = np.isfinite(alone.log_activity[0])
        assert (np.isfinite(batch.log_activity[i]) == finite).all()
        assert_allclose(batch.log_activity[i][finite], alone.log_activity[0][finite], atol=1e-9)
        if i % 2:  # the waters without sulfate
            assert batch["SO4-2"][i] == 0.0
        else:
            assert batch["SO4-2"][i] > 0.0


def test_saline_batch_in_blocks_equals_waters_alone():
    """Pitzer waters in blocks (sweeps and Newton solves vectorised across the block, the
    coefficients updated water by water) get the speciation each gets alone (one-water kernel),
    to the tolerance of the coefficient rounds (1e-7 in log10 gamma)."""
    w = scaling.referee_waters()
    saline = np.flatnonzero(speciation.speciate(w["totals"], w["ph"], w["temperature"],
                                                alkalinity=w["alkalinity"]).model == "pitzer")
    n = 2 * sl.LANES + 3
    rows = saline[np.arange(n) % saline.size]
    rng = np.random.default_rng(5)
    totals = {k: v[rows].copy() for k, v in w["totals"].items()}
    ph = w["ph"][rows] + rng.uniform(-0.2, 0.2, n)
    temperature = w["temperature"][rows] + rng.uniform(-3, 3, n)
    batch = speciation.speciate(totals, ph, temperature, alkalinity=w["alkalinity"][rows],
                                model="pitzer")
    assert (batch.model == "pitzer").all()
    for i in range(0, n, 11):
        alone = speciation.speciate({k: v[i] for k, v in totals.items()}, ph[i], temperature[i],
                                    alkalinity=w["alkalinity"][rows][i], model="pitzer")
        finite = np.isfinite(alone.log_activity[0])
        assert (np.isfinite(batch.log_activity[i]) == finite).all()
        assert_allclose(batch.log_activity[i][finite], alone.log_activity[0][finite], atol=1e-6)
        assert_allclose(batch.molality[i], alone.molality[0], rtol=1e-6, atol=1e-30)
        assert_allclose(batch.log_water_activity[i], alone.log_water_activity[0], atol=1e-8)
