"""The fast paths of the speciation give the answers of the reference paths.

Issue 9 item 6 made the speciation fast: the Pitzer activity coefficients are evaluated by a
compiled kernel (``thermo.pitzer_kernel``) inside the per-water Newton loop, the starting values
and the results are built by compiled passes, and the pH of a water of known alkalinity and
total carbon is solved directly (``speciate(totals, None, ...)``) instead of by an outer Newton
iteration on the pH. These tests compare each fast path with the reference it replaced (the
NumPy Pitzer model of ``thermo.pitzer``, ``speciation._solve_reference`` and the outer pH
iteration of ``ro.chemistry.solve_ph``), to the tolerances of the solvers (balances 1e-10
relative, activity coefficients 1e-7 in log10). Timings are in ``benchmarks/``.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from osmolab.errors import InputError
from osmolab.ro import chemistry
from osmolab.thermo import pitzer, scaling, speciation
from osmolab.thermo.debye_huckel import Debye_Huckel_slope
from osmolab.thermo.pitzer_kernel import (
    parameter_count,
    pitzer_ln_gamma,
    pitzer_network,
    pitzer_parameters,
    temperature_basis,
)


def _pitzer_names():
    supported = pitzer.supported_species()
    names = [speciation._PITZER_NAMES.get(n, n) for n in speciation._species_set("pitzer").names]
    return tuple(dict.fromkeys(n for n in names if n in supported))


def test_compiled_pitzer_equals_numpy_pitzer():
    names = _pitzer_names()
    net = pitzer_network(names)
    rng = np.random.default_rng(7)
    n = 60
    # mixtures of all the speciation's Pitzer species at 0-1 mol/kg, some absent, 0-50 degC
    m = rng.uniform(0, 1, (n, len(names))) * rng.choice([0, 1e-3, 0.1, 1], (n, len(names)))
    t = rng.uniform(273.15, 323.15, n)
    reference = pitzer.ln_activity_coefficients({k: m[:, i] for i, k in enumerate(names)}, t)
    basis, a_phi = temperature_basis(t), Debye_Huckel_slope(t)
    par = np.empty(parameter_count(net))
    out = np.empty(len(names))
    for w in range(n):
        pitzer_parameters(net, basis[w], par)
        ln_aw = pitzer_ln_gamma(net, m[w], par, a_phi[w], out)
        present = m[w] > 0  # absent species' own coefficients are not needed (activity 0)
        expected = np.array([reference[k][w] for k in names])
        assert_allclose(out[present], expected[present], rtol=0, atol=1e-12)
        assert ln_aw == pytest.approx(reference["H2O"][w], abs=1e-14)


@pytest.mark.parametrize("model", ["auto", "ion_association", "pitzer"])
def test_fast_solver_equals_reference_on_referee_waters(model):
    w = scaling.referee_waters()
    args = (w["totals"], w["ph"], w["temperature"], w["alkalinity"], None, model)
    fast = speciation._speciate(*args, speciation._solve)
    reference = speciation._speciate(*args, speciation._solve_reference)
    assert (fast.model == reference.model).all()
    finite = np.isfinite(reference.log_activity)
    assert (np.isfinite(fast.log_activity) == finite).all()
    assert_allclose(fast.log_activity[finite], reference.log_activity[finite], rtol=0, atol=1e-6)
    assert_allclose(fast.molality, reference.molality, rtol=1e-6, atol=1e-18)
    assert_allclose(fast.log_water_activity, reference.log_water_activity, atol=1e-9)
    for field in ("ionic_strength", "alkalinity", "total_carbon"):
        assert_allclose(getattr(fast, field), getattr(reference, field), rtol=1e-6, atol=1e-18)
    a, b = scaling.scaling_indices(fast), scaling.scaling_indices(reference)
    for mineral, si in b["saturation_index"].items():
        ok = np.isfinite(si)
        assert_allclose(a["saturation_index"][mineral][ok], si[ok], atol=1e-6)
    assert_allclose(a["lsi"], b["lsi"], atol=1e-6)


def test_threaded_and_serial_kernels_agree(monkeypatch):
    w = scaling.referee_waters()
    rows = np.arange(300) % len(w["ph"])  # above the threading threshold
    totals = {k: v[rows] for k, v in w["totals"].items()}
    threaded = speciation.speciate(totals, w["ph"][rows], w["temperature"][rows],
                                   alkalinity=w["alkalinity"][rows])
    monkeypatch.setattr(speciation, "_THREADED_FROM", 10**9)
    serial = speciation.speciate(totals, w["ph"][rows], w["temperature"][rows],
                                 alkalinity=w["alkalinity"][rows])
    assert_allclose(threaded.molality, serial.molality, rtol=1e-12, atol=0)


@pytest.mark.parametrize("carbon", ["alkalinity", "total_carbon"])
def test_batch_of_mixed_masters_equals_each_water_alone(carbon):
    """The Davies kernel keeps each chunk's species table while the next water has the same
    masters: a batch whose waters alternate between sets of masters (and with and without
    carbon) gives every water the speciation it gets alone, with its sums."""
    w = scaling.referee_waters()
    dilute = np.flatnonzero(speciation.speciate(w["totals"], w["ph"], w["temperature"],
                                                alkalinity=w["alkalinity"]).model
                            == "ion_association")
    n = 300  # threaded, in chunks
    rows = dilute[np.arange(n) % dilute.size]
    totals = {k: v[rows].copy() for k, v in w["totals"].items()}
    drop = ["SO4-2", "P", "Ca+2", "F-", None]
    for i in range(n):  # a master missing in runs of 1-3 waters, or none
        name = drop[(i // (1 + i % 3)) % len(drop)]
        if name is not None:
            totals[name][i] = 0.0
    inorganic = w["alkalinity"][rows] * np.where(np.arange(n) % 7 == 3, 0.0, 1.0)
    ph, temperature = w["ph"][rows], w["temperature"][rows]
    batch = speciation.speciate(totals, ph, temperature, model="ion_association",
                                **{carbon: inorganic})
    for i in range(0, n, 7):
        alone = speciation.speciate({k: v[i] for k, v in totals.items()}, ph[i], temperature[i],
                                    model="ion_association", **{carbon: inorganic[i]})
        assert_allclose(batch.molality[i], alone.molality[0], rtol=1e-9, atol=1e-30)
        finite = np.isfinite(alone.log_activity[0])
        assert (np.isfinite(batch.log_activity[i]) == finite).all()
        assert_allclose(batch.log_activity[i][finite], alone.log_activity[0][finite],
                        atol=1e-9)
        for field in ("ionic_strength", "alkalinity", "total_carbon"):
            assert_allclose(getattr(batch, field)[i], getattr(alone, field)[0], rtol=1e-9,
                            atol=1e-30)


def test_ph_from_alkalinity_and_total_carbon_recovers_the_ph():
    w = scaling.referee_waters()
    known = speciation.speciate(w["totals"], w["ph"], w["temperature"], alkalinity=w["alkalinity"])
    solved = speciation.speciate(w["totals"], None, w["temperature"], alkalinity=w["alkalinity"],
                                 total_carbon=known.total_carbon)
    assert (solved.model == known.model).all()
    assert_allclose(solved.ph, w["ph"], atol=1e-7)
    assert_allclose(solved.alkalinity, known.alkalinity, rtol=1e-9)
    assert_allclose(solved.total_carbon, known.total_carbon, rtol=1e-9)


def test_ph_unknown_needs_both_carbon_inputs():
    with pytest.raises(InputError, match="both the alkalinity and the total"):
        speciation.speciate({"Ca+2": 1e-3}, None, alkalinity=2e-3)
    with pytest.raises(InputError, match="alkalinity must be > 0"):
        speciation.speciate({"Ca+2": 1e-3}, None, alkalinity=0.0, total_carbon=2e-3)


def test_solve_ph_direct_equals_outer_iteration(monkeypatch):
    """ro.chemistry.solve_ph (direct pH solve) equals its fallback, the outer Newton iteration on
    the pH, on concentrates and permeates of a brackish water."""
    w = scaling.referee_waters()
    base = speciation.speciate(w["totals"], w["ph"], w["temperature"], alkalinity=w["alkalinity"])
    factor = np.array([0.02, 0.5, 1.0, 2.0, 4.0])
    i = 0  # the first referee water, concentrated and diluted
    totals = {k: v[i] * factor for k, v in w["totals"].items()}
    alkalinity = w["alkalinity"][i] * factor
    carbon = base.total_carbon[i] * factor + base["CO2"][i] * (1 - factor).clip(0)
    direct = chemistry.solve_ph(totals, alkalinity, carbon, w["temperature"][i],
                                np.full(5, w["ph"][i]))

    def refuse(*args, **kwargs):
        if args[1] is None:
            raise InputError("direct solve disabled for this test")
        return speciation.speciate(*args, **kwargs)

    monkeypatch.setattr(chemistry, "speciate", refuse)
    outer = chemistry.solve_ph(totals, alkalinity, carbon, w["temperature"][i],
                               np.full(5, w["ph"][i]))
    assert_allclose(direct.ph, outer.ph, atol=1e-6)
    assert_allclose(direct.total_carbon, outer.total_carbon, rtol=1e-7)
