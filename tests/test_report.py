"""HTML report (osmolab.report): self-contained, holds the tables, warnings and plots."""

import re

import pytest

from osmolab.errors import InputError
from osmolab.report import render_html, write_report


def fake_result():
    """A synthetic two-stage projection dict with the engine's JSON keys."""
    elements = []
    for stage, n in ((1, 6), (2, 6)):
        for position in range(1, n + 1):
            elements.append({
                "pass": 1, "stage": stage, "position": position, "model": "BW30-400",
                "feed_pressure_bar": 12.0 - 0.2 * position - 1.5 * (stage - 1),
                "flux_LMH": 30.0 - 2.0 * position - 5 * (stage - 1),
                "recovery": 0.1, "beta": 1.1 + 0.01 * position,
                "feed_tds_mg_L": 2000.0 * (1 + 0.3 * position + 1.5 * (stage - 1)),
                "concentrate_tds_mg_L": 2000.0 * (1.3 + 0.3 * position + 1.5 * (stage - 1)),
                "pressure_drop_bar": 0.2,
            })
    return {
        "name": "test plant <b>",
        "feed_pressure_bar": 12.3, "recovery": 0.75, "permeate_flow_m3_h": 75.0,
        "permeate_tds_mg_L": 25.1, "sec_kWh_m3": 0.52, "min_sec_kWh_m3": 0.09,
        "stages": [{"pass": 1, "stage": s, "vessels": v, "permeate_flow_m3_h": q}
                   for s, v, q in ((1, 8, 50.0), (2, 4, 25.0))],
        "elements": elements,
        "warnings": ["stage 1 element 1: flux 38.2 LMH above 32.3 LMH (DuPont brackish well water)"],
    }


def test_report_is_self_contained_with_tables_plots_and_warnings(tmp_path):
    path = write_report(fake_result(), tmp_path / "out" / "report.html", water_source="well_water")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<svg" in text and "</svg>" in text          # inline plot
    assert not re.search(r"(src|href)=[\"']https?://", text)  # no internet needed
    assert "<script" not in text
    assert "12.30 bar" in text and "75.0 %" in text     # summary
    assert "flux 38.2 LMH above 32.3 LMH" in text       # warnings
    for title in ("Feed pressure", "Permeate flux", "Feed-channel concentration", "Concentration polarisation"):
        assert title in text
    assert "test plant &lt;b&gt;" in text               # escaped
    assert text.count("<tr>") >= 12 + 2 + 1


def test_report_accepts_result_objects_and_frames():
    import pandas as pd

    class Result:
        def to_dict(self):
            return fake_result()

        def elements_frame(self):
            return pd.DataFrame(fake_result()["elements"])

        def stages_frame(self):
            return pd.DataFrame(fake_result()["stages"])

    text = render_html(Result(), title="Plant X")
    assert "<h1>Plant X</h1>" in text and "No design" not in text


def test_report_without_warnings_or_elements():
    data = fake_result()
    data["warnings"] = []
    data["elements"] = []
    text = render_html(data)
    assert "No design-guideline warnings." in text and "<svg" not in text


def test_unwritable_path_is_input_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write the report"):
        write_report(fake_result(), blocker / "report.html")


def test_markdown_tables():
    from osmolab.report.markdown import projection_markdown

    text = projection_markdown(fake_result())
    assert "| Feed pressure | 12.3 bar |" in text
    assert "| Recovery | 75.0 % |" in text
    assert text.count("| 1 |") + text.count("| 2 |") >= 12
    assert "- stage 1 element 1: flux 38.2 LMH" in text


def test_run_default_projects_the_bundled_plant_and_writes_the_report(tmp_path):
    from osmolab.report import run_default

    lines = []
    result = run_default(tmp_path / "report.html", echo=lines.append)
    data = result.to_dict()
    # the bundled seawater_px plant: recorded values (why they are right: test_ro_examples.py)
    assert data["recovery"] == pytest.approx(0.45, abs=1e-6)
    assert data["feed_pressure_bar"] == pytest.approx(54.67852843122772, rel=1e-3)
    assert any("feed pressure" in line for line in lines)
    assert (tmp_path / "report.html").read_text(encoding="utf-8").count("<svg") == 1


@pytest.mark.parametrize("bad", [None, 3, "seawater_px"])
def test_report_of_something_not_a_result_is_input_error(bad, tmp_path):
    with pytest.raises(InputError, match="needs a projection result"):
        write_report(bad, tmp_path / "r.html")
