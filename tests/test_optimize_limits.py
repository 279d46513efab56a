"""Scale and outlet-flux constraints of the design optimiser (osmolab.studies.optimize):
the concentrate's saturation of every scale mineral (``gypsum_saturation_pct<=230``,
``calcite_lsi<=1.8``, ``scaling``) and WaterTAP's outlet-flux bound (``min_flux_lmh>=1``)."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from osmolab.data import path
from osmolab.errors import InputError
from osmolab.ro.chemistry import stream_chemistry
from osmolab.ro.design import bundled_example, load_design
from osmolab.ro.train import simulate
from osmolab.studies import _space
from osmolab.studies._scaling import concentrate_scaling, scale_limits
from osmolab.studies.optimize import optimize

RECOVERY = {"recovery": (0.5, 0.9)}


def _brackish():
    with open(bundled_example("brackish_2stage"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _concentrate(best):
    """The first-pass concentrate row of the optimum's own stream chemistry (to_dict)."""
    rows = best.projection.to_dict()["scaling"]["streams"]
    return next(r for r in rows if r["stream"] == "pass 1 concentrate")


def test_vectorised_concentrate_equals_stream_chemistry():
    """The batch computation of the final concentrate (one pH solve over all cases) gives the
    numbers of osmolab.ro.chemistry.stream_chemistry's last element, case by case: pH, LSI,
    S&DSI and every mineral's saturation, within 1e-6 relative."""
    design = load_design(_brackish())
    result = simulate(design.to_system(), recovery=np.array([0.55, 0.7, 0.8]))
    limits, antiscalant = scale_limits(design)
    assert antiscalant is False and limits["calcite"] == 0.0
    batch = concentrate_scaling(result, limits)
    for c in range(3):
        rows = stream_chemistry(result, c)["streams"]
        last = next(r for r in rows if r["stream"] == "pass 1 concentrate")
        assert batch["concentrate_pH"][c] == pytest.approx(last["pH"], rel=1e-6)
        assert batch["calcite_lsi"][c] == pytest.approx(last["lsi"], rel=1e-6)
        assert batch["calcite_sdsi"][c] == pytest.approx(last["sdsi"], rel=1e-6)
        for mineral, data in last["minerals"].items():
            assert batch[f"{mineral}_saturation_pct"][c] == pytest.approx(data["saturation_percent"], rel=1e-6)
        # no barium, strontium, fluoride or phosphate in this feed: those cannot form (0 %)
        assert batch["barite_saturation_pct"][c] == pytest.approx(0.0, abs=1e-20)


@pytest.mark.slow
def test_maximum_recovery_stops_where_the_gypsum_limit_binds():
    """Maximising the recovery of the brackish 2:1 plant (guidelines off, recovery 0.5-0.9):
    free, it reaches the upper bound; with gypsum <= 50 % it stops where the concentrate's
    gypsum saturation (its own stream chemistry, ROResult.to_dict()['scaling']) equals 50 %
    within 1 %, and the constraint is reported as binding."""
    free = optimize("brackish_2stage", "recovery", RECOVERY, guidelines=False, grid=11, polish=1)
    assert free.value == pytest.approx(0.9)
    assert "gypsum_saturation_pct" not in free.history  # computed only when asked for
    best = optimize("brackish_2stage", "recovery", RECOVERY, ["gypsum_saturation_pct<=50"],
                    guidelines=False, grid=11, polish=1)
    assert 0.6 < best.value < 0.9
    assert any(b.startswith("gypsum_saturation_pct<=50") for b in best.binding)
    gypsum = _concentrate(best)["minerals"]["gypsum"]["saturation_percent"]
    assert gypsum == pytest.approx(50.0, rel=0.01)
    assert best.metrics["gypsum_saturation_pct"] == pytest.approx(gypsum, rel=1e-6)


@pytest.mark.slow
def test_maximum_recovery_stops_where_the_lsi_limit_binds():
    """The same with the concentrate's Langelier index (ASTM D3739; the concentrate at its own
    pH, CO2 passing the membrane): LSI <= 1.2 stops the recovery near 0.61, where the LSI of
    the concentrate's stream chemistry is 1.2 within 1 %. The vendor-formula index at the feed
    pH (``concentrate_lsi``, Carrier) is lower there (the concentrate's pH is higher)."""
    best = optimize("brackish_2stage", "recovery", RECOVERY, ["calcite_lsi<=1.2"], guidelines=False,
                    grid=11, polish=1)
    assert 0.55 < best.value < 0.7
    assert any(b.startswith("calcite_lsi<=1.2") for b in best.binding)
    assert _concentrate(best)["lsi"] == pytest.approx(1.2, rel=0.01)
    assert best.metrics["concentrate_lsi"] < 1.2


@pytest.mark.slow
def test_scaling_constraint_uses_the_designs_antiscalant():
    """``scaling``: every mineral within the limit of the design's ``chemistry.antiscalant``.
    Without antiscalant (LSI < 0) the plant cannot run at all (its feed's LSI is already
    positive at 50 % recovery): one line naming the constraint. With the generic antiscalant
    (LSI 1.8, gypsum 230 %, silica 100 %: data/antiscalant_limits.csv) the maximum recovery
    stops where the first limit, the calcite index, binds: the concentrate (about 10.8 g/L,
    above 10,000 mg/L, so judged by the Stiff & Davis index, ASTM D4582) has no scale warning
    and its S&DSI is 1.8 within 1 %."""
    with pytest.raises(InputError, match="scaling_excess<=0") as info:
        optimize("brackish_2stage", "recovery", RECOVERY, ["scaling"], guidelines=False, grid=11, polish=0)
    assert "\n" not in str(info.value)
    raw = _brackish()
    raw["chemistry"] = {"antiscalant": "generic"}
    best = optimize(raw, "recovery", RECOVERY, ["scaling"], guidelines=False, grid=11, polish=1)
    assert any(b.startswith("scaling_excess<=0") for b in best.binding)
    row = _concentrate(best)
    assert row[row["calcite_index"]] == pytest.approx(1.8, rel=0.01)
    assert row["minerals"]["gypsum"]["saturation_percent"] < 230
    assert row["minerals"]["amorphous_silica"]["saturation_percent"] < 100
    assert not best.projection.to_dict()["scaling"]["warnings"]


@pytest.mark.slow
def test_acid_of_the_chemistry_section_is_dosed_in_the_search():
    """data/example_brackish_acid.yaml doses H2SO4 to feed pH 6.8: the optimiser projects its
    candidates with that feed (as osmolab.project does), so the concentrate LSI it constrains
    is the one the optimum's own projection reports (LSI <= 1 binds near 74 % recovery, where
    the plant without acid reaches LSI 1.2 already at about 61 %)."""
    best = optimize(str(path("example_brackish_acid.yaml")), "recovery", RECOVERY, ["calcite_lsi<=1.0"],
                    guidelines=False, grid=11, polish=1)
    row = _concentrate(best)
    assert row["lsi"] == pytest.approx(1.0, rel=0.01)
    assert best.metrics["concentrate_pH"] == pytest.approx(row["pH"], rel=1e-6)
    assert best.metrics["permeate_tds_mg_L"] == pytest.approx(best.projection.to_dict()["permeate_tds_mg_L"],
                                                              rel=1e-9)
    assert 0.7 < best.value < 0.78


@pytest.mark.parametrize("text, near", [
    ("gipsum_saturation_pct<=230", "gypsum"),
    ("silca_saturation_pct<=100", "silica"),
    ("barium_saturation_pct<=100", "barite"),
    ("gypsum_saturation<=230", "gypsum_saturation_pct"),
])
def test_unknown_mineral_is_one_line_with_near_names(text, near):
    with pytest.raises(InputError, match=near) as info:
        optimize("brackish_2stage", "recovery", RECOVERY, [text], grid=3, polish=0)
    assert "\n" not in str(info.value)


def test_mineral_aliases():
    assert _space.parse_constraint("silica_saturation_pct<=100").metric == "amorphous_silica_saturation_pct"
    assert _space.parse_constraint("CaSO4_saturation_pct<=230").metric == "gypsum_saturation_pct"
    assert _space.parse_constraint(" scaling ").metric == "scaling_excess"


# --------------------------------------------------------------------------------------------
# outlet flux (WaterTAP's RO-with-ERD flowsheet bounds it: >= 1 L/(m2 h))


def _watertap(area, split=1):
    raw = yaml.safe_load(path("example_watertap_ro_erd.yaml").read_text(encoding="utf-8"))
    raw = copy.deepcopy(raw)
    stage = raw["array"]["stages"][0]
    element = stage["element"]
    length = element["length"] * area / element["area"]
    element.update(area=area / split, length=length / split)
    stage["elements_per_vessel"] = split
    if split > 1:
        raw["segments"] = 3
    return _space.batch_metrics(simulate(load_design(raw).to_system(), recovery=np.array([0.4954])))


@pytest.mark.parametrize("area", [100.5, 200.0])
def test_outlet_flux_agrees_with_a_finely_split_sheet(area):
    """The outlet flux of WaterTAP's one-sheet mirror (data/example_watertap_ro_erd.yaml, 20
    segments) from the element's outputs agrees within 2 % with that of the same sheet cut into
    8 elements in series, and lies below the last eighth's average flux (the flux falls along
    the sheet). At WaterTAP's optimal area (100.5 m2, TestROwithPX.test_optimization) it is
    about 3.9 L/(m2 h), well above WaterTAP's bound of 1 L/(m2 h)."""
    sheet = _watertap(area)
    split = _watertap(area, split=8)
    assert sheet["min_flux_lmh"][0] == pytest.approx(split["min_flux_lmh"][0], rel=0.02)
    assert sheet["min_flux_lmh"][0] < split["min_element_flux_LMH"][0]
    assert sheet["min_flux_lmh"][0] < sheet["min_element_flux_LMH"][0]
    if area == 100.5:
        assert 3.0 < sheet["min_flux_lmh"][0] < 5.0


def test_watertap_outlet_flux_bound_leaves_the_optimum_unchanged():
    """WaterTAP's optimisation of its RO-with-PX flowsheet also bounds the water flux at the
    module outlet, >= 1/3600 kg/(m2 s) (data/watertap_reference.json, 'optimisation'). Added
    to the LCOW optimisation of the mirror (area 1-1500 m2, product <= 500 mg/L, <= 80 bar),
    it does not bind: the optimum (about 77 m2, 0.428 USD/m3, outlet flux about 6.8 L/(m2 h))
    is the same with and without it."""
    mirror = str(path("example_watertap_ro_erd.yaml"))
    ref = json.loads(path("watertap_reference.json").read_text(encoding="utf-8"))
    bound = ref["optimisation"]["constraints"]["minimum_water_flux_kg_m2_s_at_outlet"] * 3600  # ~L/(m2 h)
    limits = ["permeate_tds_mg_L<=500", "feed_pressure_bar<=80"]
    area = {"array.stages.0.element.area": (1.0, 1500.0)}
    free = optimize(mirror, "lcow", area, limits, guidelines=False, continuous_levels=8, polish=1)
    bounded = optimize(mirror, "lcow", area, [*limits, f"min_flux_lmh>={bound:g}"], guidelines=False,
                       continuous_levels=8, polish=1)
    assert bounded.value == pytest.approx(free.value, rel=1e-4)
    assert bounded.metrics["min_flux_lmh"] > bound
    assert not any(b.startswith("min_flux_lmh") for b in bounded.binding)


def test_outlet_flux_bound_binds_when_raised():
    """A bound above the free optimum's outlet flux binds: the area shrinks until the outlet
    flux meets it (within 1 %)."""
    mirror = str(path("example_watertap_ro_erd.yaml"))
    limits = ["permeate_tds_mg_L<=500", "feed_pressure_bar<=80", "min_flux_lmh>=8"]
    best = optimize(mirror, "lcow", {"array.stages.0.element.area": (1.0, 1500.0)}, limits,
                    guidelines=False, continuous_levels=8, polish=1)
    assert best.metrics["min_flux_lmh"] == pytest.approx(8.0, rel=0.01)
    assert any(b.startswith("min_flux_lmh>=8") for b in best.binding)


# --------------------------------------------------------------------------------------------
# command line


@pytest.mark.slow
def test_cli_scale_constraint_json(capsys):
    from osmolab.cli import main

    code = main(["optimize", "brackish_2stage", "--objective", "recovery", "--vary", "recovery=0.5:0.9",
                 "--constraint", "gypsum_saturation_pct<=50", "--no-guidelines", "--grid", "11", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["metrics"]["gypsum_saturation_pct"] == pytest.approx(50.0, rel=0.01)
    assert any(b.startswith("gypsum_saturation_pct<=50") for b in data["binding_constraints"])


def test_cli_unknown_mineral_exit_2(capsys):
    from osmolab.cli import main

    code = main(["optimize", "brackish_2stage", "--objective", "recovery", "--constraint",
                 "gipsum_saturation_pct<=230", "--grid", "3", "--json"])
    assert code == 2
    err = capsys.readouterr().err
    assert "gypsum" in err and len(err.strip().splitlines()) == 1


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abcdefghilmnoprstuyz_CS0", max_size=20),
       st.sampled_from(["<=", ">=", "<", "=>"]), st.floats(allow_nan=False, allow_infinity=False, width=32))
def test_random_mineral_names_parse_or_fail_in_one_line(name, relation, limit):
    """Any ``<name>_saturation_pct`` constraint is either a known mineral's metric or one
    InputError line (never another exception)."""
    try:
        constraint = _space.parse_constraint(f"{name}_saturation_pct{relation}{limit!r}")
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert constraint.metric in _space.METRICS
        assert constraint.relation in ("<=", ">=")
