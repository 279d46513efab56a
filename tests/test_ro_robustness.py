"""Random valid RO designs converge or return a stated reason; never NaN, never a crash.

The full run (1,000 designs) is ``benchmarks/robustness_ro.py``; this is its fast version. Both
draw their designs from :mod:`osmolab.ro.random_designs`.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osmolab.errors import InputError
from osmolab.ro import random_designs as robustness
from osmolab.ro.design import bundled_example, load_design, project


def test_random_designs_are_schema_valid():
    rng = np.random.default_rng(7)
    for _ in range(20):
        load_design(robustness.random_design(rng))


def test_fifty_random_designs_converge_or_state_a_reason():
    out = robustness.run(n=50, seed=3)
    counts = out["counts"]
    assert counts["nan"] == 0 and counts["crash"] == 0, out["failures"][:2]
    assert counts["converged"] + counts["reason"] == 50
    assert counts["converged"] >= 25  # most random designs are feasible
    for reason in out["reasons"]:
        assert reason and "\n" not in reason


@settings(max_examples=25, deadline=None)
@given(
    salinity=st.floats(0.5, 45.0),  # g/kg (bare numbers at project() are g/kg)
    temperature=st.floats(5.0, 35.0),  # degC
    recovery=st.floats(0.05, 0.85),
)
def test_solver_on_random_operating_points(salinity, temperature, recovery):
    """The bundled seawater plant at any feed, temperature and recovery: a finite answer or a reason."""
    try:
        result = project("seawater_px", feed_salinity=salinity, temperature=temperature, recovery=recovery)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    data = result.to_dict()
    if data["feasible"]:
        assert data["recovery"] == pytest.approx(recovery, abs=1e-4)
        assert np.isfinite([data["feed_pressure_bar"], data["permeate_tds_mg_L"], data["sec_kWh_m3"]]).all()
        assert data["sec_kWh_m3"] >= data["min_sec_kWh_m3"] > 0
    else:
        assert data["reason"]


def test_two_pass_with_a_starved_second_pass_raises_no_runtime_warning():
    import warnings

    import yaml

    data = yaml.safe_load(bundled_example("seawater_2pass").read_text())
    data["array"]["passes"][1]["stages"][0]["vessels"] = 1  # pass 2 yields ~no permeate
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        result = project(data).to_dict()
    assert not result["feasible"] and result["reason"]
