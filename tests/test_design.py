"""Design files (osmolab.ro.design): schema validation, one-line errors, bundled examples."""

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from osmolab.errors import InputError
from osmolab.ro.design import EXAMPLES, bundled_example, canonical_element_name, load_design

ROOT = Path(__file__).resolve().parents[1]

BASE = {
    "feed": {"flow": "100 m3/h", "temperature": "25 degC", "composition": "seawater 35 g/kg"},
    "array": {"stages": [{"vessels": 10, "elements_per_vessel": 7, "element": "SW30XLE-440i"}]},
    "target": {"recovery": 0.45},
}


def changed(path, value):
    data = copy.deepcopy(BASE)
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


_DELETE = object()


def error_of(data) -> str:
    with pytest.raises(InputError) as info:
        load_design(data)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_valid_design_in_si():
    design = load_design(BASE)
    assert design.feed.flow == pytest.approx(100 / 3600)
    assert design.feed.temperature == pytest.approx(298.15)
    assert design.target.kind == "recovery" and design.target.value == 0.45
    stage = design.array.passes[0].stages[0]
    assert (stage.vessels, stage.elements_per_vessel, stage.element) == (10, 7, "SW30XLE-440i")


@pytest.mark.parametrize(
    "path, value, expected",
    [
        (("feed", "flow"), "-5 m3/h", "feed.flow: feed flow must be > 0"),
        (("feed", "flow"), "5 bar", "feed.flow: '5 bar' is not a flow"),
        (("feed", "flwo"), "5 m3/h", "feed.flwo: unknown field 'flwo'. Did you mean 'flow'?"),
        (("feed", "temperature"), "150 degC", "feed.temperature: temperature must be between 0 and 100"),
        (("feed", "water_source"), "seawatr_uf", "feed.water_source: unknown water_source"),
        (("array", "stages", 0, "element"), "SW30XLE-44i", "array.stages[0].element: unknown element 'SW30XLE-44i'. Did you mean 'SW30XLE-440i'"),
        (("array", "stages", 0, "vessels"), 0, "array.stages[0].vessels"),
        (("array", "stages", 0, "elements_per_vessel"), 9, "array.stages[0].elements_per_vessel"),
        (("target",), {}, "target: give exactly one of recovery, permeate_flow or feed_pressure (got none)"),
        (("target",), {"recovery": 0.4, "feed_pressure": "60 bar"}, "got recovery and feed_pressure"),
        (("target", "recovery"), 1.2, "target.recovery: recovery must be a fraction"),
        (("target",), _DELETE, "target: required field is missing"),
        (("feed", "salinity"), "35 g/kg", "feed: give one feed composition, not composition and salinity"),
        (("erd",), {"type": "flywheel"}, "erd.type"),
        (("feed", "flow"), "1e300 m3/h", "feed.flow: feed flow must be at most 360,000 m3/h"),
        (("erd",), {"type": [1, 2]}, "erd.type: Input should be a valid string"),
        (("array", "stages", 0, "vessels"), True, "array.stages[0].vessels: expected a number, got true"),
        # 0.25 would read as 250 g/kg (a fraction) or 0.25 g/kg (the default unit): ask
        (("feed",), {"flow": "1 m3/h", "salinity": 0.25}, "feed.salinity: bare salinity 0.25 is ambiguous"),
        (("feed",), {"flow": "1 m3/h", "salinity": "0 g/kg"}, "feed.salinity: salinity must be > 0"),
    ],
)
def test_errors_name_the_field(path, value, expected):
    assert expected in error_of(changed(path, value))


def test_other_sources_of_bad_input():
    assert "not found" in error_of("no/such/file.yaml")
    assert "Did you mean 'seawater_px'" in error_of("seawater_pxx")
    assert "not valid YAML" in error_of("feed: [1, 2\narray: {")
    assert "mapping" in error_of([1, 2, 3])
    two_pass = changed(("array",), {"passes": [{"stages": [{"vessels": 3}]}, {"stages": [{"vessels": 2}]}]})
    assert "second pass needs 'recovery'" in error_of(two_pass)


def test_compositions():
    ions = changed(("feed", "composition"), _DELETE)
    ions["feed"]["ions"] = {"Na+": 10770, "Cl-": 19350, "Mg+2": 1290, "sulfate": 2710}
    assert set(load_design(ions).feed.ions) == {"Na+", "Cl-", "Mg+2", "SO4-2"}
    tds = changed(("feed", "composition"), _DELETE)
    tds["feed"]["tds"] = "2000 mg/L"
    assert load_design(tds).feed.tds == pytest.approx(0.002, rel=0.01)
    salinity = changed(("feed", "composition"), _DELETE)
    salinity["feed"]["salinity"] = "35 ppt"
    assert load_design(salinity).feed.salinity == pytest.approx(0.035)
    salinity["feed"]["salinity"] = "35"  # a bare number, quoted or not, is g/kg
    assert load_design(salinity).feed.salinity == pytest.approx(0.035)
    bad = changed(("feed", "composition"), _DELETE)
    bad["feed"]["ions"] = {"Nax": 100}
    assert "feed.ions: unknown species 'Nax'" in error_of(bad)


def test_custom_membrane_sheet():
    sheet = {"water_permeability": "1.2 LMH/bar", "salt_permeability": "0.05 LMH", "area": "41 m2"}
    design = load_design(changed(("array", "stages", 0, "element"), sheet))
    element = design.array.passes[0].stages[0].element
    assert element.water_permeability == pytest.approx(1.2 / 3.6e11, rel=1e-6)
    assert element.salt_permeability == pytest.approx(0.05 / 3.6e6, rel=1e-6)
    sheet.pop("salt_permeability")
    message = error_of(changed(("array", "stages", 0, "element"), sheet))
    assert message.startswith("array.stages[0].element.salt_permeability: required field is missing")


def test_element_names():
    assert canonical_element_name("FilmTec sw30xle-440i") == "SW30XLE-440i"
    with pytest.raises(InputError, match="Did you mean 'BW30-400'"):
        canonical_element_name("BW30-40")


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_bundled_examples_load_and_match_repo_copies(name):
    design = load_design(name)
    assert design.name
    packaged = bundled_example(name)
    repo_copy = ROOT / "examples" / f"{name}.yaml"
    assert repo_copy.read_text(encoding="utf-8") == packaged.read_text(encoding="utf-8")
    assert load_design(repo_copy) == design


# -- hypothesis: random design dicts are valid or raise InputError, never anything else ------

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10_000), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["100 m3/h", "25 degC", "-3 bar", "35 g/kg", "seawater 35 g/kg", "SW30XLE-440i",
                     "BW30-400", "0.45", "45 %", "nan", "1e400 m3/h", "px", "seawater_uf", "3 years"]),
)
_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(["flow", "vessels", "element", "stages", "passes", "recovery",
                                         "composition", "ions", "type", "Na+", "x"]), children, max_size=3),
    ),
    max_leaves=8,
)
_paths = st.sampled_from([
    ("feed", "flow"), ("feed", "temperature"), ("feed", "composition"), ("feed", "ions"),
    ("feed", "water_source"), ("feed", "pH"), ("array", "stages"), ("array", "passes"),
    ("array", "stages", 0, "vessels"), ("array", "stages", 0, "element"),
    ("array", "stages", 0, "elements_per_vessel"), ("array", "stages", 0, "booster_pressure"),
    ("target",), ("target", "recovery"), ("target", "feed_pressure"), ("erd",), ("pumps",),
    ("membrane_age",), ("segments",), ("fouling_factor",), ("feed",), ("array",), ("name",),
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_paths, _values), min_size=1, max_size=3))
def test_random_designs_are_valid_or_input_error(edits):
    data = copy.deepcopy(BASE)
    for path, value in edits:
        node = data
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        design = load_design(data)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    assert design.target.kind in ("recovery", "permeate_flow", "feed_pressure")
    try:  # a valid design maps onto the engine's configuration (or says why not)
        design.to_system()
    except InputError as exc:
        assert "\n" not in str(exc)


# -- projection API --------------------------------------------------------------------------


def test_project_single_and_vectorised_overrides():
    import numpy as np

    from osmolab.ro.design import project

    design = load_design("seawater_px")
    single = project(design).to_dict()
    assert single["recovery"] == pytest.approx(0.45, abs=1e-6)
    batch = project(design, temperature=np.array([15, 25, 35]), recovery=0.45)  # degC
    assert len(batch) == 3
    pressures = [batch.to_dict(case=i)["feed_pressure_bar"] for i in range(3)]
    assert pressures[0] > pressures[1] > pressures[2]  # warmer water is more permeable
    assert pressures[1] == pytest.approx(single["feed_pressure_bar"], rel=1e-6)
    grid = project(design, feed_salinity=["30 g/kg", "40 g/kg"], recovery=[0.4, 0.4])
    assert grid.to_dict(case=0)["feed_pressure_bar"] < grid.to_dict(case=1)["feed_pressure_bar"]
    fixed = project(design, feed_pressure="60 bar").to_dict()
    assert fixed["feed_pressure_bar"] == pytest.approx(60, abs=1e-3) and fixed["recovery"] > 0.45
    frame = project(design).elements_frame()
    assert {"flux_LMH", "beta", "recovery"} <= set(frame.columns) and len(frame) == 7


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"temprature": 300.0}, "Did you mean 'temperature'"),
        ({"recovery": 0.4, "feed_pressure": 6e6}, "at most one target"),
        ({"recovery": 1.3}, "recovery must be a fraction"),
        ({"feed_flow": -1.0}, "feed_flow must be > 0"),
        ({"feed_salinity": 0.035}, "ambiguous: write '0.035 g/kg' or '35 g/kg'"),
        ({"feed_salinity": [35.0, 0.035]}, "ambiguous"),
        ({"feed_salinity": 350.0}, "salinity must be"),
        ({"temperature": "hot"}, "temperature"),
        ({"water_source": "sewage"}, "unknown water_source"),
        # bare numbers are the design file's units (degC, bar, g/kg, m3/h): SI numbers are
        # out of range and named, not solved
        ({"temperature": 298.15}, "temperature must be between 0 and 100 degC, got 298.15 degC"),
        ({"permeate_flow": 1e300}, "at most 360,000 m3/h"),
        ({"feed_pressure": 6e6}, "feed_pressure must be at most 300 bar"),
    ],
)
def test_project_bad_overrides(overrides, message):
    from osmolab.ro.design import project

    with pytest.raises(InputError, match=message):
        project("seawater_px", **overrides)


def test_project_bare_numbers_follow_the_design_file_units():
    """One unit rule (docs/units.md): bare temperature degC, pressure bar, salinity g/kg,
    flow m3/h; a string with units means the same; arrays of bare numbers vectorise."""
    import numpy as np

    from osmolab.ro.design import _override_value, project

    assert _override_value("temperature", 25) == pytest.approx(298.15)
    assert _override_value("temperature", "298.15 K") == pytest.approx(298.15)
    assert _override_value("feed_pressure", 60) == pytest.approx(60e5)
    assert _override_value("feed_salinity", 35) == pytest.approx(0.035)
    assert _override_value("feed_flow", 360) == pytest.approx(0.1)
    assert _override_value("permeate_flow", "100 m3/h") == pytest.approx(100 / 3600)
    assert_allclose(_override_value("temperature", [15, 25.0]), [288.15, 298.15], rtol=1e-14)
    assert_allclose(_override_value("feed_salinity", np.array([30, 40])), [0.030, 0.040])
    assert_allclose(_override_value("feed_pressure", ["55 bar", 60]), [55e5, 60e5])
    bare = project("seawater_px", temperature=20, feed_pressure=60).to_dict()
    text = project("seawater_px", temperature="20 degC", feed_pressure="60 bar").to_dict()
    assert bare["feed_pressure_bar"] == pytest.approx(60, abs=1e-3)
    assert bare["feed_temperature_C"] == pytest.approx(20)
    assert bare["permeate_flow_m3_h"] == pytest.approx(text["permeate_flow_m3_h"], rel=1e-12)


def test_unreachable_target_is_stated():
    from osmolab.ro.design import project

    result = project("seawater_px", recovery=0.75)
    data = result.to_dict()
    assert not data["feasible"] and "pressure" in data["reason"]
    assert data["warnings"][0] == data["reason"].split("; ")[0]


def test_permeate_flow_target():
    from osmolab.ro.design import project

    design = changed(("target",), {"permeate_flow": "40 m3/h"})
    data = project(design).to_dict()
    assert data["permeate_flow_m3_h"] == pytest.approx(40, rel=1e-6)
    assert data["recovery"] == pytest.approx(0.4, rel=1e-6)
    too_much = changed(("target",), {"permeate_flow": "120 m3/h"})
    assert error_of(too_much).startswith("target.permeate_flow: must be below feed.flow")
    assert error_of(changed(("feed", "flow"), _DELETE)) == "feed.flow: required field is missing"


def test_ion_table_to_molalities_reference_seawater():
    """Ion table [mg/L] -> molalities: Millero et al. (2008) reference seawater, S = 35.165 g/kg.

    Mass fractions [mg/kg] of the reference composition times the density (Sharqawy 2010,
    1023.3 kg/m3 at 25 degC) give the mg/L table; the molalities must come back to Millero's
    (Na+ 0.48606, Cl- 0.56577, Mg+2 0.05475, SO4-2 0.02926 mol/kg water) within 0.3 %.
    """
    from osmolab.ro.schema import _ions_to_molalities
    from osmolab.thermo.seawater import density

    mg_kg = {"Na+": 10781.35, "Mg+2": 1283.72, "Ca+2": 412.08, "K+": 399.10, "Sr+2": 7.94,
             "Cl-": 19352.71, "SO4-2": 2712.35, "HCO3-": 104.81, "Br-": 67.28, "CO3-2": 14.33,
             "B(OH)4-": 7.94, "F-": 1.30, "OH-": 0.14, "B(OH)3": 19.44, "CO2": 0.38}
    rho = float(density(0.035165, 298.15))
    mg_l = {k: v * rho / 1000 for k, v in mg_kg.items()}
    molal = _ions_to_molalities(mg_l, 298.15)
    expected = {"Na+": 0.4860597, "Cl-": 0.5657647, "Mg+2": 0.0547421, "SO4-2": 0.0292643}
    for name, value in expected.items():
        assert molal[name] == pytest.approx(value, rel=3e-3)


def test_ion_table_beyond_any_feed_water_is_input_error():
    data = changed(("feed", "composition"), _DELETE)
    data["feed"]["ions"] = {"Na+": 1e300, "Cl-": 1000}
    assert error_of(data).startswith("feed.ions: ion table totals 1e+300 mg/L")


def test_permeate_flow_above_feed_flow_is_stated_plainly():
    from osmolab.ro.design import project

    reason = project("seawater_px", permeate_flow="500 m3/h").to_dict()["reason"]
    assert reason.startswith("target permeate flow 500 m3/h is 99 % or more of the RO feed flow 400")
    assert "osmotic pressure" not in reason


def test_yaml_no_means_no_energy_recovery():
    assert load_design(changed(("erd",), {"type": False})).to_system().erd.kind == "none"
