"""Each named step of an RO run (osmolab.ro.train): resolve targets -> solve the passes ->
close the recycles -> flag infeasible cases -> streams and energy -> results."""

from dataclasses import replace

import numpy as np
import pytest
from numpy.testing import assert_allclose

from osmolab.errors import InputError
from osmolab.ro import energy, train
from osmolab.ro.config import EnergyRecovery, Feed, Pass, Stage, System, Target
from osmolab.ro.march import CASE_CONCENTRATE_WATER, CASE_PERMEATE_VOLUME


def seawater(recovery=0.45, **kw):
    return System(Feed(flow=100 / 3600, salinity=0.035),
                  [Pass([Stage(vessels=7, elements_per_vessel=7, element="SW30XLE-440i")])],
                  target=Target("recovery", recovery), **kw)


def brackish_with_recycle(recycle=0.3):
    stages = [Stage(vessels=2, elements_per_vessel=6, element="BW30-400")]
    return System(Feed(flow=30 / 3600, salinity=0.002, salt="NaCl"),
                  [Pass(stages, concentrate_recycle=recycle)], target=Target("recovery", 0.7))


# -- step 1 ------------------------------------------------------------------------------------


def test_resolve_targets_builds_the_batch_and_the_product():
    point = train.resolve_targets(seawater(), recovery=[0.40, 0.45], temperature=298.15)
    assert point.n == 2 and point.is_batch and point.mode == "recovery"
    assert_allclose(point.product, [0.40 * 100 / 3600, 0.45 * 100 / 3600], rtol=1e-12)
    assert_allclose(point.ro_feed_flow, 100 / 3600, rtol=1e-12)
    # 35 g/kg seawater at 25 degC: 25.9 bar (Sharqawy 2010; TEOS-10 agrees)
    assert_allclose(point.feed_osmotic_pressure / 1e5, 25.9, rtol=1e-3)
    # water and salt of the feed: salinity S = salt / (water + salt)
    salt = point.feed_solutes @ point.molar_mass
    assert_allclose(salt / (salt + point.feed_water), 0.035, rtol=1e-9)
    assert [len(s.models) for s in point.setups] == [7]
    assert point.reasons == [[], []]


def test_resolve_targets_states_what_is_known_before_solving():
    point = train.resolve_targets(seawater(), recovery=[0.45, 0.995, 0.70])
    assert point.reasons[0] == []
    assert "99 % or more" in point.reasons[1][0]
    assert "concentrate osmotic pressure" in point.reasons[2][0]
    with pytest.raises(InputError, match="contradictory"):
        train.resolve_targets(seawater(), recovery=0.4, feed_pressure=60e5)
    with pytest.raises(InputError, match="temperature must be between 0 and 100 degC"):
        train.resolve_targets(seawater(), temperature=25.0)


# -- step 2 ------------------------------------------------------------------------------------


def test_one_sweep_is_the_answer_without_recycles():
    system = seawater()
    point = train.resolve_targets(system)
    state = train.RecycleState.start(system, point)
    sweep = train.solve_passes(system, point, state)
    assert sweep.second is None and not sweep.clipped.any()
    assert_allclose(sweep.feed_water, point.feed_water, rtol=0)  # nothing recycled
    # the permeate is the target
    assert_allclose(sweep.first["case"][:, CASE_PERMEATE_VOLUME], point.product, rtol=1e-8)
    assert state.guess1 is not None and state.guess1[0, 0] == sweep.first["feed_pressure"][0]
    assert_allclose(train.simulate(system).feed_pressure, sweep.first["feed_pressure"],
                    rtol=1e-12)


def test_solve_passes_marches_at_a_given_pressure():
    system = seawater()
    point = train.resolve_targets(system, feed_pressure=[50e5, 60e5])
    sweep = train.solve_passes(system, point, train.RecycleState.start(system, point))
    assert_allclose(sweep.first["feed_pressure"], [50e5, 60e5])
    permeate = sweep.first["case"][:, CASE_PERMEATE_VOLUME]
    assert permeate[1] > permeate[0] > 0


# -- step 3 ------------------------------------------------------------------------------------


def test_close_recycles_balances_the_concentrate_recycle():
    system = brackish_with_recycle(0.3)
    point = train.resolve_targets(system)
    closed = train.close_recycles(system, point)
    assert closed.converged and closed.iterations > 1
    # pass-1 feed water = raw feed water + 30 % of the concentrate water
    w1c = closed.sweep.first["case"][:, CASE_CONCENTRATE_WATER]
    assert_allclose(closed.sweep.feed_water, point.feed_water + 0.3 * w1c, rtol=1e-7)
    assert_allclose(closed.sweep.first["case"][:, CASE_PERMEATE_VOLUME], point.product,
                    rtol=1e-7)


def test_close_recycles_takes_one_sweep_when_nothing_returns():
    system = seawater()
    closed = train.close_recycles(system, train.resolve_targets(system))
    assert closed.converged and closed.iterations == 1
    assert not closed.state.px_solutes.any()


def test_exchanger_mixing_closes_in_the_solver_and_raises_the_feed_salt():
    system = replace(seawater(), erd=EnergyRecovery("pressure_exchanger", mixing=0.05))
    point = train.resolve_targets(system)
    assert train.mixing_in_kernel(system, point)
    closed = train.close_recycles(system, point)
    assert closed.converged and np.all(closed.state.px_solutes > 0)
    assert np.all(closed.sweep.feed_solutes > point.feed_solutes)


# -- step 4 ------------------------------------------------------------------------------------


def test_flag_infeasible_after_solving():
    system = seawater()
    point = train.resolve_targets(system, feed_pressure=[20e5, 60e5])
    train.flag_infeasible(system, point, train.close_recycles(system, point))
    assert "below the feed osmotic pressure" in point.reasons[0][0]
    assert point.reasons[1] == []


def test_energy_balance_by_hand_without_energy_recovery():
    """No ERD: the high-pressure pump lifts the whole feed, P Q / eta; SEC = power / permeate."""
    system = seawater()
    point = train.resolve_targets(system)
    passes = train.pass_streams(point, train.close_recycles(system, point))
    power = train.energy_balance(system, point, passes)
    eta = system.high_pressure_pump.total_efficiency
    q, p = passes[0]["feed_volume"], passes[0]["feed_pressure"]
    assert_allclose(power.high_pressure_pump, p * q / eta, rtol=1e-12)
    assert_allclose(power.total, power.high_pressure_pump, rtol=1e-12)
    assert not power.erd_recovered.any() and not power.booster.any()
    assert_allclose(power.sec, power.total / passes[0]["permeate_volume"] / 3.6e6, rtol=1e-12)
    recovery = passes[0]["permeate_volume"] / point.ro_feed_flow
    assert_allclose(power.min_sec, energy.minimum_specific_energy(
        point.feed_osmotic_pressure, recovery), rtol=1e-12)


def test_pass_streams_conserve_water_and_salt():
    system = seawater()
    point = train.resolve_targets(system)
    (stream,) = train.pass_streams(point, train.close_recycles(system, point))
    salt_in = point.feed_solutes @ point.molar_mass
    salt_out = (stream["permeate_solutes"] + stream["concentrate_solutes"]) @ point.molar_mass
    assert_allclose(salt_out, salt_in, rtol=1e-9)
    assert_allclose(stream["stage_feed"][:, 0], stream["feed_volume"], rtol=1e-12)


# -- step 5 ------------------------------------------------------------------------------------


def test_build_result_composes_the_steps_like_simulate():
    system = seawater()
    point = train.resolve_targets(system, recovery=[0.4, 0.45])
    closed = train.close_recycles(system, point)
    train.flag_infeasible(system, point, closed)
    passes = train.pass_streams(point, closed)
    result = train.build_result(system, point, closed, passes,
                                train.energy_balance(system, point, passes))
    direct = train.simulate(system, recovery=[0.4, 0.45])
    assert len(result) == 2 and result.is_batch
    assert_allclose(result.recovery, [0.4, 0.45], atol=1e-8)
    assert result.to_dict(case=1) == direct.to_dict(case=1)
