"""Monte Carlo uncertainty (osmolab.studies.montecarlo) and the engine's membrane overrides.

Must agree with (issue 11): the P50 of the feed pressure equals the deterministic projection
at the median inputs within 1 %, and the spread of the P50 estimate shrinks as 1/sqrt(N).
"""

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from typer.testing import CliRunner

from osmolab.cli import app
from osmolab.errors import InputError
from osmolab.ro.design import _read_yaml, bundled_example, load_design, project
from osmolab.studies.montecarlo import DEFAULT_LIMITS, monte_carlo, monte_carlo_sweep

runner = CliRunner()

# symmetric inputs (normal about the design values; log-normal A and B multipliers with median
# 1): with no fouling or age spread, the median inputs are the design's own values
SYMMETRIC = {"temperature": ("normal", 25.0, 2.0), "feed_salinity": ("normal", 35.0, 0.7),
             "fouling_factor": None, "membrane_age": None,
             "element_water_permeability": ("lognormal", 1.0, 0.07),
             "element_salt_permeability": ("lognormal", 1.0, 0.3)}


# ------------------------------------------------------------------ engine overrides (ro/)


def _edited(**fields):
    data = _read_yaml(bundled_example("brackish_2stage"))
    data.update(fields)
    return project(load_design(data))


def test_fouling_and_age_overrides_equal_the_edited_design():
    batch = project("brackish_2stage", fouling_factor=[0.9, 0.8], membrane_age=[3, "5 years"])
    for case, fields in enumerate(({"fouling_factor": 0.9, "membrane_age": 3},
                                   {"fouling_factor": 0.8, "membrane_age": 5})):
        edited = _edited(**fields)
        assert_allclose(batch.feed_pressure[case], edited.feed_pressure[0], rtol=1e-9)
        assert_allclose(batch.permeate_tds[case], edited.permeate_tds[0], rtol=1e-8)


def test_permeability_factors_per_case_and_per_position():
    base = project("seawater_px")
    # A multiplied by 0.9 everywhere is what a fouling factor of 0.9 does
    assert_allclose(project("seawater_px", water_permeability_factor=0.9).feed_pressure,
                    project("seawater_px", fouling_factor=0.9).feed_pressure, rtol=1e-12)
    ones = project("seawater_px", water_permeability_factor=np.ones((2, 7)),
                   salt_permeability_factor=[1.0, 1.0])
    assert_allclose(ones.feed_pressure, base.feed_pressure[0], rtol=1e-12)
    # a lead element with half the salt passage lowers the permeate TDS
    lead = np.ones((1, 7))
    lead[0, 0] = 0.5
    assert project("seawater_px", salt_permeability_factor=lead).permeate_tds[0] \
        < base.permeate_tds[0]
    with pytest.raises(InputError, match=r"shape \(n,\) or \(n, 7\)"):
        project("seawater_px", water_permeability_factor=np.ones((2, 5)))
    with pytest.raises(InputError, match="> 0"):
        project("seawater_px", salt_permeability_factor=[1.0, -1.0])
    with pytest.raises(InputError, match="fouling_factor must be between 0 and 1.5"):
        project("seawater_px", fouling_factor=[0.9, 2.0])


# ------------------------------------------------------------------ Monte Carlo


def test_p50_equals_the_projection_at_the_median_inputs():
    """Feed pressure is monotone in each input and nearly linear over these spreads, so the
    median of the output is the output at the median inputs (error second order)."""
    mc = monte_carlo("seawater_px", 2000, distributions=SYMMETRIC, seed=11)
    deterministic = project("seawater_px").feed_pressure[0] / 1e5
    assert mc.percentiles.loc["p50", "feed_pressure_bar"] == pytest.approx(deterministic,
                                                                           rel=0.01)
    assert mc.percentiles.loc["p5", "feed_pressure_bar"] < deterministic \
        < mc.percentiles.loc["p95", "feed_pressure_bar"]
    assert mc.feasible_fraction == 1.0


def test_p50_spread_shrinks_as_one_over_sqrt_n():
    """Disjoint blocks of N and 4N i.i.d. draws: the standard deviation of the blocks' P50
    halves (asymptotic s.d. of a sample median ~ 1/sqrt(N)). With 40 blocks each, the ratio
    of the two sample variances / 4 follows F(39, 39): the 99 % interval is the tolerance."""
    blocks, small = 40, 50
    mc = monte_carlo("seawater_px", blocks * 5 * small, distributions=SYMMETRIC, seed=3)
    pressure = mc.samples["feed_pressure_bar"].to_numpy()
    p50_small = np.median(pressure[: blocks * small].reshape(blocks, small), axis=1)
    p50_large = np.median(pressure[blocks * small:].reshape(blocks, 4 * small), axis=1)
    ratio = p50_small.std(ddof=1) / p50_large.std(ddof=1)
    low, high = (2 * np.sqrt(stats.f.ppf(q, blocks - 1, blocks - 1)) for q in (0.005, 0.995))
    assert low < ratio < high, (ratio, low, high)


def test_exceedance_limits_and_repeatability():
    a = monte_carlo("seawater_px", 300, seed=5,
                    limits={"permeate_tds_mg_L": 220.0, "sec_kWh_m3": 1e6})
    b = monte_carlo("seawater_px", 300, seed=5)
    assert_allclose(a.samples["feed_pressure_bar"], b.samples["feed_pressure_bar"])
    limit, p = a.exceedance["permeate_tds_mg_L"]
    assert limit == 220.0
    assert p == pytest.approx(np.mean(a.samples["permeate_tds_mg_L"] > 220.0))
    assert 0.2 < p < 0.8  # 220 mg/L is near the median
    assert a.exceedance["sec_kWh_m3"][1] == 0.0
    assert b.exceedance["permeate_tds_mg_L"] == (DEFAULT_LIMITS["permeate_tds_mg_L"], 0.0)
    assert b.exceedance["feed_pressure_bar"][0] == 83.0  # SW30XLE-440i datasheet maximum
    data = json.loads(json.dumps(a.to_dict()))
    assert set(data["percentiles"]["feed_pressure_bar"]) == {"p5", "p50", "p95"}


def test_monte_carlo_sweep_centres_on_each_case():
    table = monte_carlo_sweep("seawater_px", {"temperature": [15, 30]}, 400, seed=2,
                              distributions={k: v for k, v in SYMMETRIC.items()
                                             if k != "temperature"})
    assert list(table["temperature_C"]) == [15, 30]
    for row in table.itertuples():
        expected = project("seawater_px", temperature=row.temperature_C).feed_pressure[0] / 1e5
        assert row.feed_pressure_bar_p50 == pytest.approx(expected, rel=0.01)
    assert (table["feasible_fraction"] == 1).all()


@pytest.mark.parametrize("kwargs, message", [
    ({"n": 0}, ">= 1"),
    ({"n": 2.5}, ">= 1"),
    ({"distributions": {"temprature": ("normal", 25, 1)}}, "Did you mean 'temperature'"),
    ({"distributions": {"temperature": ("gauss", 25, 1)}}, "unknown kind"),
    ({"distributions": {"temperature": ("normal", 25)}}, "takes mean, sd"),
    ({"distributions": {"temperature": ("normal", 25, 60)}}, "narrow it"),
    ({"distributions": {"temperature": ("uniform", 30, 20)}}, "low <= high"),
    ({"limits": {"permeate_tds": 200}}, "unknown limit"),
])
def test_bad_input_is_one_line(kwargs, message):
    kwargs = {"n": 50, **kwargs}
    with pytest.raises(InputError, match=message) as err:
        monte_carlo("seawater_px", seed=1, **kwargs)
    assert "\n" not in str(err.value)


def test_cli_design_and_sweep_monte_carlo(tmp_path):
    result = runner.invoke(app, ["design", "seawater_px", "--monte-carlo", "100", "--seed",
                                 "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)["monte_carlo"]
    assert data["n"] == 100 and "feed_pressure_bar" in data["percentiles"]
    text = runner.invoke(app, ["design", "seawater_px", "--monte-carlo", "50"])
    assert text.exit_code == 0 and "Percentiles" in text.stdout
    bad = runner.invoke(app, ["design", "seawater_px", "--monte-carlo", "50", "--recovery",
                              "0.5"])
    assert bad.exit_code == 2 and "sweep" in bad.output
    out = tmp_path / "mc.csv"
    result = runner.invoke(app, ["sweep", "seawater_px", "--vary", "recovery=0.4,0.5",
                                 "--monte-carlo", "50", "--seed", "1", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "feed_pressure_bar_p95" in out.read_text().splitlines()[0]
