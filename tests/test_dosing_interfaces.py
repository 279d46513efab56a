"""The doses of a design's ``chemistry:`` section in every interface, checked against
``result.dosing`` (:func:`osmolab.ro.design.project`), whose numbers are refereed in
tests/test_dosing.py and tests/test_boron.py (acid and NaOH against PHREEQC).

The projection's JSON (``to_dict()["chemistry"]``), ``osmolab design`` (``--json`` and the
"Chemicals" and "Degassers" tables), the HTML and Markdown reports, and the web API
(``POST /api/project`` and ``/api/report``) all carry the same doses; the bundled examples
``brackish_acid`` (H2SO4, antiscalant, permeate degasser) and ``seawater_2pass_caustic`` (NaOH
to pH 10 before the second pass) are listed everywhere the other examples are.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from osmolab.cli import app
from osmolab.report import projection_markdown, render_html
from osmolab.report.markdown import saturation_text
from osmolab.ro.design import EXAMPLES, bundled_example, load_design, project
from osmolab.web.app import create_app
from osmolab.web.security import Settings

runner = CliRunner()


@pytest.fixture(scope="module")
def acid():
    """The bundled acid/antiscalant plant: (design, result, to_dict())."""
    design = load_design("brackish_acid")
    result = project(design)
    return design, result, result.to_dict()


@pytest.fixture(scope="module")
def caustic():
    result = project("seawater_2pass_caustic")
    return result, result.to_dict()


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "projects.sqlite"
    with TestClient(create_app(Settings(database_url=f"sqlite:///{path}"))) as test_client:
        yield test_client


def _mg(value):
    """A dose as the reports print it (mg/L or kg/day)."""
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


# -- the projection's JSON --------------------------------------------------------------------


def test_to_dict_carries_the_doses_of_result_dosing(acid):
    _design, result, data = acid
    raw = result.dosing["doses"]
    doses = data["chemistry"]["doses"]
    h2so4 = doses["acid"]
    assert h2so4["type"] == "chemical" and h2so4["point"] == "RO feed"
    assert h2so4["chemical"] == "H2SO4"
    for key in ("dose_mg_L", "dose_kg_day", "commercial_strength_percent",
                "commercial_dose_mg_L", "commercial_dose_kg_day", "ph_before", "ph_after"):
        assert h2so4[key] == raw["acid"][key], key
    # 36.0 mg/L of 100 % H2SO4 to pH 6.8 (docs/water-chemistry.md), 98 % product, 100 m3/h
    assert h2so4["dose_mg_L"] == pytest.approx(36.0, abs=0.05)
    assert h2so4["dose_kg_day"] == pytest.approx(h2so4["dose_mg_L"] * 2.4, rel=1e-6)
    assert h2so4["commercial_dose_mg_L"] == pytest.approx(h2so4["dose_mg_L"] / 0.98, rel=1e-9)
    degasser = doses["degas_permeate"]
    assert degasser["type"] == "degasser" and degasser["point"] == "permeate"
    assert degasser["co2_removed_mg_L"] == raw["degas_permeate"]["dose_mg_L"]
    assert degasser["co2_removed_kg_day"] == raw["degas_permeate"]["dose_kg_day"]
    assert degasser["co2_removal"] == 0.9
    assert "commercial_strength_percent" not in degasser and "chemical" not in degasser
    assert degasser["ph_after"] > degasser["ph_before"]
    assert data["chemistry"]["antiscalant"] == "generic"
    # Ba and Sr are not in the analysis: no barite or celestite figure (null), not 0 %
    indices = data["chemistry"]["concentrate"]["indices"]
    assert indices["barite"]["value"] is None and indices["celestite"]["value"] is None
    assert indices["gypsum"]["value"] > 0
    json.dumps(data, allow_nan=False)


def test_a_design_without_chemistry_has_no_chemistry_key():
    assert "chemistry" not in project("brackish_2stage").to_dict()


def test_caustic_example_shows_boron_at_a_second_ph(caustic):
    """seawater_2pass (pass-2 feed as it comes) and seawater_2pass_caustic (NaOH to pH 10):
    the product boron of docs/water-chemistry.md, 0.266 and 0.036 mg/L as B."""
    result, data = caustic
    dose = data["chemistry"]["doses"]["caustic_second_pass"]
    raw = result.dosing["doses"]["caustic_second_pass"]
    assert dose["chemical"] == "NaOH" and dose["point"] == "pass-2 feed"
    assert dose["dose_mg_L"] == raw["dose_mg_L"] == pytest.approx(8.50, abs=0.02)
    assert dose["ph_after"] == 10.0 and dose["commercial_strength_percent"] == 50.0

    def boron(d):
        ions = d["permeate_ions_mg_L"]
        return ions["B(OH)3"] * 10.811 / 61.833 + ions["B(OH)4-"] * 10.811 / 78.840

    plain = project("seawater_2pass").to_dict()
    assert boron(plain) == pytest.approx(0.266, abs=0.002)
    assert boron(data) == pytest.approx(0.036, abs=0.002)
    assert "chemistry" not in plain


# -- the CLI ----------------------------------------------------------------------------------


def test_cli_json_and_tables(acid):
    _design, result, data = acid
    out = runner.invoke(app, ["design", "brackish_acid", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["chemistry"] == data["chemistry"]
    text = runner.invoke(app, ["design", "brackish_acid"])
    assert text.exit_code == 0, text.output
    raw = result.dosing["doses"]
    lines = text.stdout.splitlines()
    h2so4 = next(line for line in lines if "H2SO4" in line)
    cells = [c.strip() for c in h2so4.strip("│ ").split("│")]
    assert cells == ["H2SO4", "RO feed", _mg(raw["acid"]["dose_mg_L"]), "98 %",
                     _mg(raw["acid"]["commercial_dose_mg_L"]), _mg(raw["acid"]["dose_kg_day"]),
                     _mg(raw["acid"]["commercial_dose_kg_day"]), "7.40", "6.80"]
    assert "Degassers" in text.stdout and "[mg/L]" in text.stdout
    degas = next(line for line in lines if line.startswith("│ permeate"))
    assert _mg(raw["degas_permeate"]["dose_mg_L"]) in degas and "90 %" in degas


def test_cli_caustic_line_is_a_table_row():
    out = runner.invoke(app, ["design", "seawater_2pass_caustic"])
    assert out.exit_code == 0, out.output
    assert "caustic_second_passNaOH" not in out.stdout
    row = next(line for line in out.stdout.splitlines() if line.startswith("│ NaOH"))
    assert "pass-2 feed" in row and "8.51" in row and "10.00" in row


def test_cli_lists_the_new_examples():
    out = runner.invoke(app, ["design", "--help"], env={"COLUMNS": "200"})
    text = " ".join(out.stdout.split())
    assert "brackish_acid" in text and "seawater_2pass_caustic" in text
    assert {"brackish_acid", "seawater_2pass_caustic"} <= set(EXAMPLES)


# -- the reports ------------------------------------------------------------------------------


def test_html_report_has_the_chemicals_table(acid):
    design, result, _data = acid
    page = render_html(result, design=design)
    raw = result.dosing["doses"]
    section = page[page.index("<h2>Chemicals</h2>"):page.index("<h2>Water chemistry")]
    row = re.search(r"<tr><td class=\"l\">H2SO4</td>(.*?)</tr>", section).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells == ["RO feed", _mg(raw["acid"]["dose_mg_L"]), "98 %",
                     _mg(raw["acid"]["commercial_dose_mg_L"]), _mg(raw["acid"]["dose_kg_day"]),
                     _mg(raw["acid"]["commercial_dose_kg_day"]), "7.40 → 6.80"]
    degassers = section[section.index("class='degassers'"):]
    assert _mg(raw["degas_permeate"]["dose_mg_L"]) in degassers
    assert "5.22 → 6.16" in degassers and "100 %" not in degassers
    assert "antiscalant: generic" in section


def test_markdown_report_has_the_chemicals_table(acid):
    design, result, _data = acid
    text = projection_markdown(result, design=design)
    raw = result.dosing["doses"]["acid"]
    row = next(line for line in text.splitlines() if line.startswith("| H2SO4"))
    assert row == (f"| H2SO4 | RO feed | {_mg(raw['dose_mg_L'])} | 98 % | "
                   f"{_mg(raw['commercial_dose_mg_L'])} | {_mg(raw['dose_kg_day'])} | "
                   f"{_mg(raw['commercial_dose_kg_day'])} | 7.40 → 6.80 |")
    assert "| permeate | 90 % |" in text
    assert "Chemicals" not in projection_markdown(project("brackish_2stage"))


def test_large_saturation_in_plain_notation(acid):
    """A trace of phosphate puts hydroxyapatite far above saturation: the reports print the
    percentage in plain notation with thousands separators, never 1.09e+05; a permeate's
    1e-30 % as "<0.01"."""
    raw = yaml.safe_load(bundled_example("brackish_acid").read_text(encoding="utf-8"))
    raw["feed"]["ions"]["PO4-3"] = 0.2
    result = project(raw)
    page = render_html(result)
    scaling = page[page.index("<table class='scaling'>"):]
    scaling = scaling[:scaling.index("</table>")]
    assert not re.search(r"\de[+-]\d", scaling)
    # hydroxyapatite in the last stage's concentrate: about 109,000 %
    assert re.search(r"<td>\d{1,3}(,\d{3})+\*</td>", scaling)
    assert not re.search(r"\de[+-]\d", projection_markdown(result))
    assert saturation_text(3450.2) == "3,450" and saturation_text(1.355e7) == "13,550,000"


# -- the web API ------------------------------------------------------------------------------


def test_web_project_and_report_carry_the_doses(client, acid):
    design, result, data = acid
    examples = client.get("/api/examples").json()
    assert "brackish_acid" in examples and "seawater_2pass_caustic" in examples
    plan = client.get("/api/examples/brackish_acid").json()["design"]
    answer = client.post("/api/project", json={"design": plan})
    assert answer.status_code == 200, answer.text
    chemistry = answer.json()["result"]["chemistry"]
    raw = result.dosing["doses"]
    assert chemistry["doses"]["acid"]["dose_mg_L"] == pytest.approx(raw["acid"]["dose_mg_L"],
                                                                    rel=1e-12)
    assert chemistry["doses"]["acid"]["dose_kg_day"] == pytest.approx(
        raw["acid"]["dose_kg_day"], rel=1e-12)
    assert chemistry["doses"]["degas_permeate"]["co2_removed_mg_L"] == pytest.approx(
        raw["degas_permeate"]["dose_mg_L"], rel=1e-12)
    assert chemistry == json.loads(json.dumps(data["chemistry"]))
    page = client.post("/api/report", json={"design": plan})
    assert page.status_code == 200, page.text
    assert "<h2>Chemicals</h2>" in page.text and "H2SO4" in page.text
    assert _mg(raw["acid"]["dose_kg_day"]) in page.text


def test_cli_tables_print_large_numbers_plainly():
    """The CLI's tables (e.g. the limits table of ``osmolab water``) print 13,550,000 and
    12,000, not 1.355e+07 and 1.2e+04; small numbers keep four significant figures."""
    from osmolab.cli._common import _fmt

    assert _fmt(1.355e7) == "13,550,000" and _fmt(12000.0) == "12,000"
    assert _fmt(3450.2) == "3450" and _fmt(42.6039) == "42.6" and _fmt(1.5e-5) == "1.500e-05"
