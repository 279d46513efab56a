"""Custom membrane sheets take the brackish or seawater per-ion passage as library elements do.

A library element takes the ratios of ``data/ro_solute_passage.csv`` by its datasheet type
(``relative_B_brackish`` for brackish elements, fitted on two ROSA 9.1 reports, see
``data/published_projections.yaml``; ``relative_B`` for seawater elements). A
:class:`~osmolab.ro.config.MembraneSheet` takes them by its rated pressure or an explicit
``kind``; a sheet given a library element's calibrated A, B, geometry and rating must project
the same permeate, ion by ion, as that element.
"""

import copy
import dataclasses

import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from osmolab.cli import app
from osmolab.errors import InputError
from osmolab.ro import library
from osmolab.ro.config import BRACKISH_MAX_PRESSURE, ELEMENT_KINDS, MembraneSheet
from osmolab.ro.design import bundled_example, load_design, project
from osmolab.web.app import create_app
from osmolab.web.security import Settings


def _example(name):
    return yaml.safe_load(bundled_example(name).read_text(encoding="utf-8"))


def _sheet_of(name, **extra):
    """A sheet with the library element's calibrated A and B and its datasheet geometry."""
    model = library.resolve_element(name)
    b_boron = model.relative_permeability["B(OH)3"] * model.salt_permeability
    return MembraneSheet(
        water_permeability=model.water_permeability, salt_permeability=model.salt_permeability,
        area=model.area, length=model.length, width=model.channel_width,
        channel_height=model.channel_height, spacer_porosity=model.spacer_porosity,
        max_pressure=model.max_pressure, solute_permeability={"B(OH)3": b_boron},
        name=f"sheet of {name}", **extra)


def _with_element(system, element):
    passes = [dataclasses.replace(p, stages=[dataclasses.replace(s, element=element)
                                             for s in p.stages]) for p in system.passes]
    return dataclasses.replace(system, passes=passes)


def _permeate_ions(system):
    data = project(system).to_dict()
    assert data["feasible"], data["reason"]
    return data["permeate_ions_mg_L"]


def test_rated_pressure_gives_every_library_element_its_type():
    table = library.element_table()
    for _, row in table.iterrows():
        sheet = MembraneSheet(1e-12, 2e-8, 37.0, max_pressure=float(row["max_pressure_bar"]) * 1e5)
        assert sheet.element_kind == row["type"], row["name"]
        assert library.resolve_element(row["name"]).kind == row["type"]
    assert set(table["type"]) == set(ELEMENT_KINDS)
    assert MembraneSheet(1e-12, 2e-8, 37.0, max_pressure=BRACKISH_MAX_PRESSURE).element_kind \
        == "brackish"


@pytest.mark.parametrize(("example", "element"), [("brackish_2stage", "BW30-400"),
                                                  ("seawater_px", "SW30XLE-440i")])
def test_sheet_projects_as_the_library_element(example, element):
    system = load_design(bundled_example(example)).to_system()
    sheet = _sheet_of(element)
    assert sheet.element_kind == library.resolve_element(element).kind
    library_ions = _permeate_ions(_with_element(system, element))
    sheet_ions = _permeate_ions(_with_element(system, sheet))
    assert list(sheet_ions) == list(library_ions)
    for ion, value in library_ions.items():
        assert_allclose(sheet_ions[ion], value, rtol=1e-6, err_msg=ion)


def test_explicit_kind_overrides_the_rating():
    system = load_design(bundled_example("brackish_2stage")).to_system()
    brackish = _permeate_ions(_with_element(system, _sheet_of("BW30-400")))
    as_seawater = _permeate_ions(_with_element(system, _sheet_of("BW30-400", kind="Seawater")))
    seawater_rated = _permeate_ions(_with_element(
        system, dataclasses.replace(_sheet_of("BW30-400"), max_pressure=83e5)))
    for ion, value in seawater_rated.items():
        assert_allclose(as_seawater[ion], value, rtol=1e-6, err_msg=ion)
    # the brackish table passes about 1.8x the calcium of the seawater one (0.4 vs 0.22)
    assert brackish["Ca+2"] > 1.5 * as_seawater["Ca+2"]
    assert library.resolve_element(_sheet_of("SW30XLE-440i", kind="brackish")).kind == "brackish"


def _design_with_sheet(kind):
    data = copy.deepcopy(_example("brackish_2stage"))
    data["array"]["stages"][1]["element"] = {
        "water_permeability": "3.0 LMH/bar", "salt_permeability": "0.1 LMH", "area": "37 m2",
        "max_pressure": "41 bar", "kind": kind}
    return data


def test_design_file_kind_and_its_errors():
    sheet = load_design(_design_with_sheet("seawater")).to_system().passes[0].stages[1].element
    assert (sheet.kind, sheet.element_kind) == ("seawater", "seawater")
    sheet = load_design(_design_with_sheet(None)).to_system().passes[0].stages[1].element
    assert (sheet.kind, sheet.element_kind) == (None, "brackish")
    with pytest.raises(InputError) as info:
        load_design(_design_with_sheet("brakish")).to_system()
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("array.stages[1].element.kind: unknown element kind 'brakish'")
    assert "Did you mean 'brackish'" in message
    with pytest.raises(InputError, match="element kind"):
        MembraneSheet(1e-12, 2e-8, 37.0, kind="nanofiltration")


def test_bad_kind_on_the_cli_and_the_web(tmp_path):
    path = tmp_path / "sheet.yaml"
    path.write_text(yaml.safe_dump(_design_with_sheet("brakish")), encoding="utf-8")
    result = CliRunner().invoke(app, ["design", str(path), "--json"])
    assert result.exit_code == 2, result.output
    assert "Did you mean 'brackish'" in result.output
    database = tmp_path / "projects.sqlite"
    with TestClient(create_app(Settings(database_url=f"sqlite:///{database}"))) as client:
        bad = client.post("/api/design/yaml", json={"design": _design_with_sheet("brakish")})
        assert bad.status_code == 422, bad.text
        assert "element kind 'brakish'" in bad.json()["detail"]
        good = client.post("/api/design/yaml", json={"design": _design_with_sheet("brackish")})
        assert good.status_code == 200, good.text
        assert "kind: brackish" in good.json()["yaml"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=20).filter(lambda t: t.strip().lower() not in ELEMENT_KINDS))
def test_any_other_kind_is_one_line(text):
    with pytest.raises(InputError) as info:
        MembraneSheet(1e-12, 2e-8, 37.0, kind=text)
    message = str(info.value)
    assert "element kind" in message and "\n" not in message
