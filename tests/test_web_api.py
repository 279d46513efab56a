"""The workbench's JSON API (osmolab.web.api) through the ASGI test client.

Every route answers what the library answers for the same input (the numbers are compared
with the library's own functions, whose published checks live in their own tests); bad input
is HTTP 422 with one line naming the field; the token, the body-size limit and the
no-file-path rule hold; no answer carries NaN or a traceback.
"""

from __future__ import annotations

import json
import math

import pytest
import yaml
from fastapi.testclient import TestClient
from starlette.websockets import WebSocket, WebSocketDisconnect

import osmolab
from osmolab.errors import InputError
from osmolab.osmosis.cell import simulate_cell
from osmolab.ro.design import EXAMPLES, bundled_example
from osmolab.ro.library import element_names
from osmolab.thermo.analysis import water_analysis
from osmolab.transport.gas import gas_diffusivity
from osmolab.web.app import create_app
from osmolab.web.security import Settings, database_url, safe_database_url

SEAWATER_PX = yaml.safe_load(bundled_example("seawater_px").read_text(encoding="utf-8"))
ANALYSIS = ("Ca+2 82 mg/L, HCO3- 240 mg/L, SO4-2 96 mg/L, Cl- 180 mg/L, Na+ 120 mg/L, "
            "SiO2 20 mg/L, B 0.5 mg/L")


def _strict_json(text: str):
    """Parse JSON refusing NaN and Infinity (which Python's json would accept)."""
    def refuse(name):
        raise AssertionError(f"{name} in a JSON answer")
    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "projects.sqlite"
    with TestClient(create_app(Settings(database_url=f"sqlite:///{path}"))) as test_client:
        yield test_client


def _one_line_422(response, *words):
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and "Traceback" not in detail
    for word in words:
        assert word in detail, detail
    return detail


# -- health and the schema --------------------------------------------------------------------


def test_health(client):
    assert client.get("/api/health").json() == {"status": "ok", "version": osmolab.__version__}


def test_every_api_route_is_in_the_openapi_schema(client):
    paths = client.get("/openapi.json").json()["paths"]
    for route in ("/api/health", "/api/osmotic-pressure", "/api/tonicity", "/api/cell",
                  "/api/water-analysis", "/api/elements", "/api/elements/{name}",
                  "/api/examples", "/api/examples/{name}", "/api/project", "/api/design/yaml",
                  "/api/design/import", "/api/report", "/api/gas-diffusion",
                  "/api/particles/{scenario}"):
        assert route in paths, route
        for operation in paths[route].values():
            assert operation.get("summary") and operation.get("description")


# -- solutions ----------------------------------------------------------------------------------


def test_osmotic_pressure_of_seawater_is_the_librarys(client):
    response = client.post("/api/osmotic-pressure",
                           json={"composition": "seawater 35 g/kg", "temperature": 25})
    data = _strict_json(response.text)
    expected = osmolab.osmotic_pressure("seawater 35 g/kg") / 1e5
    assert data["osmotic_pressure_bar"] == pytest.approx(expected, rel=1e-12)
    # Sharqawy et al. 2010: 35 g/kg seawater at 25 degC has about 25.9 bar (osmolab's
    # Pitzer model agrees to 0.5 %, see tests/test_osmotic.py)
    assert data["osmotic_pressure_bar"] == pytest.approx(25.9, rel=0.01)
    assert data["osmolality_osmol_kg"] == pytest.approx(data["osmolality_mOsm_per_kg"] / 1e3)
    assert data["temperature_C"] == pytest.approx(25.0)


def test_osmotic_pressure_of_molalities_and_units(client):
    body = {"composition": {"Na+": 0.5, "Cl-": 0.5}, "temperature": "310.15 K",
            "model": "pitzer"}
    data = client.post("/api/osmotic-pressure", json=body).json()
    expected = osmolab.osmotic_pressure({"Na+": 0.5, "Cl-": 0.5}, 310.15, model="pitzer") / 1e5
    assert data["osmotic_pressure_bar"] == pytest.approx(expected, rel=1e-12)
    assert data["osmotic_coefficient"] == pytest.approx(
        osmolab.osmotic_coefficient({"Na+": 0.5, "Cl-": 0.5}, 310.15, model="pitzer"))


@pytest.mark.parametrize(("body", "words"), [
    ({"composition": "NaCll 1 mol/kg"}, ["NaCll", "Did you mean"]),
    ({"composition": 5}, ["composition"]),
    ({}, ["composition", "required"]),
    ({"composition": "NaCl 1 mol/kg", "temperature": "-400 degC"}, ["absolute zero"]),
    ({"composition": "NaCl 1 mol/kg", "model": "debye"}, ["model"]),
    ({"composition": "NaCl 1 mol/kg", "colour": "blue"}, ["colour"]),
    ({"composition": {"Na+": 1.0}}, ["charge imbalance"]),
])
def test_osmotic_pressure_bad_input_is_one_line(client, body, words):
    _one_line_422(client.post("/api/osmotic-pressure", json=body), *words)


def test_nan_and_infinity_in_a_body_are_refused(client):
    response = client.post("/api/osmotic-pressure", content=b'{"composition": {"NaCl": NaN}}',
                           headers={"content-type": "application/json"})
    _one_line_422(response, "composition")
    response = client.post("/api/osmotic-pressure",
                           content=b'{"composition": "NaCl 1 mol/kg", "temperature": Infinity}',
                           headers={"content-type": "application/json"})
    _one_line_422(response, "temperature")


@pytest.mark.parametrize(("medium", "label"), [
    ("NaCl 0.45 %", "hypotonic"), ("NaCl 0.9 %", "isotonic"), ("NaCl 3 %", "hypertonic"),
    ("urea 300 mmol/kg", "hypotonic"),
])
def test_tonicity_classes(client, medium, label):
    # the textbook classes (Rose and Post 2001, ch. 7): half-normal saline is hypotonic,
    # normal saline isotonic, 3 % hypertonic; urea crosses a red cell's membrane
    data = client.post("/api/tonicity", json={"composition": medium}).json()
    expected = osmolab.tonicity(medium)
    assert data["tonicity"] == label == expected.tonicity
    assert data["effective_osmolality_osmol_kg"] == pytest.approx(expected.effective_osmolality)


def test_tonicity_against_a_given_osmolality(client):
    body = {"composition": "NaCl 0.9 %", "reference": 200, "membrane": "ro"}
    assert client.post("/api/tonicity", json=body).json()["tonicity"] == "hypertonic"
    _one_line_422(client.post("/api/tonicity", json={"composition": "NaCl 0.9 %",
                                                     "reference": -1}), "reference")


@pytest.mark.parametrize(("medium", "fate"), [
    ("NaCl 0.45 %", "swells"), ("NaCl 3 %", "shrinks (crenates)"), ("urea 290 mmol/kg", "lyses"),
])
def test_cell_fate(client, medium, fate):
    data = _strict_json(client.post("/api/cell", json={"medium": medium, "points": 50}).text)
    assert data["outcome"] == fate
    assert len(data["time_s"]) == len(data["volume_ratio"]) >= 2
    assert data["volume_ratio"][0] == pytest.approx(1.0)
    assert data["lyses"] is (fate == "lyses")


def test_cell_equilibrium_volume_is_the_librarys(client):
    # Boyle-van 't Hoff: half the osmolality, (1 - b) / 0.5 + b = 1.6 for b = 0.4
    data = client.post("/api/cell", json={"medium": "NaCl 0.45 %"}).json()
    from osmolab.osmosis.cell import cell_type, medium_from_text

    medium, _solution, _notes = medium_from_text("NaCl 0.45 %", cell_type("red-blood-cell"), 298.15)
    expected = simulate_cell(medium).equilibrium_volume_ratio
    assert data["equilibrium_volume_ratio"] == pytest.approx(expected, rel=1e-9)
    _one_line_422(client.post("/api/cell", json={"medium": "NaCl 0.9 %", "cell": "neuron"}),
                  "neuron")


def test_water_analysis_is_the_librarys(client):
    body = {"analysis": ANALYSIS, "ph": 7.6, "temperature": 20, "concentrate": 4,
            "balance": "Na+"}
    data = _strict_json(client.post("/api/water-analysis", json=body).text)
    feed = water_analysis(ANALYSIS, 7.6, 293.15, balance="Na+").to_dict()
    assert data["feed"]["lsi"] == pytest.approx(feed["lsi"], rel=1e-12)
    for mineral, value in feed["saturation_index"].items():  # -inf (no barium ...) is null
        shown = data["feed"]["saturation_index"][mineral]
        assert shown == pytest.approx(value) if math.isfinite(value) else shown is None
    assert data["concentrate"]["recovery_percent"] == pytest.approx(75.0)
    assert data["concentrate"]["lsi"] > data["feed"]["lsi"]
    _one_line_422(client.post("/api/water-analysis", json={**body, "ph": 15}), "ph")
    _one_line_422(client.post("/api/water-analysis", json={**body, "balance": None}),
                  "charge balance")


# -- elements and examples ---------------------------------------------------------------------


def test_elements(client):
    rows = _strict_json(client.get("/api/elements").text)
    assert [r["name"] for r in rows] == element_names()
    sw = client.get("/api/elements", params={"type": "seawater"}).json()
    assert sw and all(r["type"] == "seawater" for r in sw)
    _one_line_422(client.get("/api/elements", params={"type": "seawatr"}), "seawater")
    one = client.get("/api/elements/filmtec sw30xle-440i").json()
    # DuPont FilmTec SW30XLE-440i datasheet: 37.5 m3/d (9,900 gpd), 41 m2
    assert one["name"] == "SW30XLE-440i" and one["permeate_flow_m3_d"] == 37.5
    missing = client.get("/api/elements/SW30XLE-44")
    assert missing.status_code == 404 and "SW30XLE-440i" in missing.json()["detail"]


def test_examples(client):
    assert client.get("/api/examples").json() == list(EXAMPLES)
    data = client.get("/api/examples/seawater_px").json()
    assert data["name"] == "seawater_px"
    assert data["design"] == SEAWATER_PX
    assert yaml.safe_load(data["yaml"]) == SEAWATER_PX
    missing = client.get("/api/examples/seawater_p")
    assert missing.status_code == 404 and "seawater_px" in missing.json()["detail"]


@pytest.mark.parametrize("name", ["../../etc/passwd", "example_seawater_px.yaml", "..%2F..%2Fsecret"])
def test_no_file_path_reaches_the_disk(client, name):
    assert client.get(f"/api/examples/{name}").status_code == 404
    for text in ("/etc/passwd", "seawater_px", "pyproject.toml"):
        _one_line_422(client.post("/api/design/import", json={"yaml": text}), "mapping")
        _one_line_422(client.post("/api/project", json={"design": text}), "design")


# -- projection ---------------------------------------------------------------------------------


def test_project_seawater_px_is_the_librarys(client):
    response = client.post("/api/project", json={"design": SEAWATER_PX})
    assert response.status_code == 200
    data = _strict_json(response.text)
    expected = osmolab.project(bundled_example("seawater_px")).to_dict()
    assert data["result"]["feed_pressure_bar"] == pytest.approx(expected["feed_pressure_bar"],
                                                                rel=1e-12)
    # the bundled plant's documented projection (docs/ro-example-projection.md): 54.68 bar
    assert data["result"]["feed_pressure_bar"] == pytest.approx(54.68, abs=0.01)
    assert data["summary"][0].split() == ["feed", "pressure", "54.7", "bar"]
    assert data["warnings"] == expected["warnings"]
    assert len(data["result"]["elements"]) == 7


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_project_every_example(client, name):
    design = client.get(f"/api/examples/{name}").json()["design"]
    data = _strict_json(client.post("/api/project", json={"design": design}).text)
    expected = osmolab.project(bundled_example(name)).to_dict()
    assert data["result"]["recovery"] == pytest.approx(expected["recovery"], rel=1e-12)
    assert data["result"]["sec_kWh_m3"] == pytest.approx(expected["sec_kWh_m3"], rel=1e-12)


def test_project_overrides(client):
    body = {"design": SEAWATER_PX, "overrides": {"recovery": "40 %", "temperature": 20}}
    data = client.post("/api/project", json=body).json()
    expected = osmolab.project(bundled_example("seawater_px"), recovery=0.40, temperature=20)
    assert data["result"]["recovery"] == pytest.approx(0.40)
    assert data["result"]["feed_pressure_bar"] == pytest.approx(
        expected.to_dict()["feed_pressure_bar"], rel=1e-12)


@pytest.mark.parametrize(("body", "words"), [
    ({"design": {**SEAWATER_PX, "feed": {**SEAWATER_PX["feed"], "flow": "-5 m3/h"}}},
     ["feed.flow", "> 0"]),
    ({"design": {**SEAWATER_PX, "array": {"stages": [{"vessels": 40, "element": "SW30XL"}]}}},
     ["SW30XL", "Did you mean"]),
    ({"design": {**SEAWATER_PX, "target": {}}}, ["target"]),
    ({"design": {**SEAWATER_PX, "colour": "blue"}}, ["colour"]),
    ({"design": SEAWATER_PX, "overrides": {"recovry": 0.4}}, ["overrides.recovry"]),
    ({"design": SEAWATER_PX, "overrides": {"recovery": 0.4, "feed_pressure": 60}}, ["target"]),
    ({"design": SEAWATER_PX, "overrides": {"recovery": 0.95}}, ["recovery", "pressure"]),
    ({"design": SEAWATER_PX, "overrides": {"temperature": "hot"}}, ["temperature"]),
    ({"design": []}, ["design"]),
    ({}, ["design", "required"]),
])
def test_project_bad_input_is_one_line(client, body, words):
    _one_line_422(client.post("/api/project", json=body), *words)


def test_design_yaml_round_trip(client):
    text = client.post("/api/design/yaml", json={"design": SEAWATER_PX}).json()["yaml"]
    assert yaml.safe_load(text) == SEAWATER_PX
    back = client.post("/api/design/import", json={"yaml": text}).json()["design"]
    assert back == SEAWATER_PX
    bad = {**SEAWATER_PX, "feed": {**SEAWATER_PX["feed"], "temperature": "300 bar"}}
    _one_line_422(client.post("/api/design/yaml", json={"design": bad}), "feed.temperature")


@pytest.mark.parametrize(("text", "words"), [
    ("feed: [1, 2", ["yaml", "line 1"]),
    ("a: &x 1\nb: *x\n", ["aliases"]),
    ("- 1\n- 2\n", ["mapping", "list"]),
    ("", ["yaml"]),
    ("feed: {flow: 100 m3/h}\n", ["feed", "composition"]),
    ("[" * 5000 + "]" * 5000, ["yaml", "nested"]),
    ("a: " + "b" * 300_000, ["yaml", "200000 characters"]),
])
def test_design_import_bad_yaml_is_one_line(client, text, words):
    response = client.post("/api/design/import", json={"yaml": text})
    _one_line_422(response, *words)


def test_report(client):
    response = client.post("/api/report", json={"design": SEAWATER_PX})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!DOCTYPE html>")
    assert "Seawater RO, single pass with pressure exchanger" in response.text
    assert "<svg" in response.text  # the profiles, inline
    _one_line_422(client.post("/api/report", json={"design": {"feed": {}}}), "feed")


# -- transport and particles -------------------------------------------------------------------


def test_gas_diffusion_is_the_librarys(client):
    data = client.post("/api/gas-diffusion", json={"gas_a": "H2", "gas_b": "N2",
                                                   "temperature": "273.2 K"}).json()
    # Chapman-Enskog with the BSL Lennard-Jones set: 0.653 cm2/s (doctest of gas_diffusivity;
    # measured 0.674, Bird, Stewart and Lightfoot 2002, Table 17.1-1)
    assert data["D_cm2_s"] == pytest.approx(float(gas_diffusivity("H2", "N2", 273.2)) * 1e4,
                                            rel=1e-12)
    assert round(data["D_cm2_s"], 3) == 0.653
    assert "Chapman-Enskog" in data["source"]
    fuller = client.post("/api/gas-diffusion", json={"gas_a": "H2O", "gas_b": "air",
                                                     "method": "fuller"}).json()
    assert round(fuller["D_cm2_s"], 3) == 0.251 and "Fuller" in fuller["source"]
    _one_line_422(client.post("/api/gas-diffusion", json={"gas_a": "N2", "gas_b": "Oxygn"}),
                  "oxygen")
    _one_line_422(client.post("/api/gas-diffusion", json={"gas_a": "N2", "gas_b": "O2",
                                                          "pressure": "-1 bar"}), "pressure")


def test_particles_sieving_short_run(client):
    data = _strict_json(client.post("/api/particles/sieving",
                                    json={"duration": 2, "pore_diameter": 1.2}).text)
    assert data["passes"] == ["water"]
    assert 0 < data["crossed_fraction"]["water"] < 1


@pytest.mark.parametrize(("scenario", "body", "words"), [
    ("mixing", {"dim": 3}, ["6912 particles", "limit"]),
    ("osmosis", {"solvent_density": 0.9, "box": [60, 200]}, ["particles", "limit"]),
    ("sieving", {"duration": 1000}, ["duration", "limit"]),
    ("mixing", {"box": [10, 10, 10]}, ["box"]),
    ("sieving", {"pore_diameter": 0.5}, ["pore"]),
    ("reverse-osmosis", {"pressure_ratio": -1}, ["pressure_ratio"]),
])
def test_particles_refused_before_running(client, scenario, body, words):
    _one_line_422(client.post(f"/api/particles/{scenario}", json=body), *words)


def test_particles_unknown_scenario(client):
    _one_line_422(client.post("/api/particles/mixng", json={}), "scenario", "mixing")


# -- security and reliability ------------------------------------------------------------------


def test_token_required_when_set(tmp_path):
    app = create_app(Settings(host="0.0.0.0", token="s3cret",
                              database_url=f"sqlite:///{tmp_path / 'p.sqlite'}"))
    with TestClient(app) as client:
        assert client.get("/api/health").status_code == 401
        assert client.get("/api/health", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/api/examples").status_code == 401
        assert client.get("/api/health", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        body = {"composition": "NaCl 1 mol/kg"}
        assert client.post("/api/osmotic-pressure", json=body).status_code == 401
        ok = client.get("/api/health", params={"token": "s3cret"})
        assert ok.status_code == 200 and "osmolab_token=s3cret" in ok.headers["set-cookie"]
        # the browser now carries the cookie
        assert client.post("/api/osmotic-pressure", json=body).status_code == 200


def test_websocket_needs_the_token(tmp_path):
    from osmolab.web.security import websocket_token_ok

    app = create_app(Settings(token="s3cret", database_url=f"sqlite:///{tmp_path / 'p.sqlite'}"))

    async def echo(websocket: WebSocket):
        assert websocket_token_ok(websocket)
        await websocket.accept()
        await websocket.send_text("hello")
        await websocket.close()

    app.add_api_websocket_route("/test-ws", echo)
    with TestClient(app) as client:
        with pytest.raises(WebSocketDisconnect) as refused:
            with client.websocket_connect("/test-ws"):
                pass
        assert refused.value.code == 1008
        with client.websocket_connect("/test-ws?token=s3cret") as websocket:
            assert websocket.receive_text() == "hello"


def test_no_token_needed_on_loopback_without_one(client):
    assert client.get("/api/health").status_code == 200
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost"):
        assert client.get("/api/health", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example:8000", "evil.example", "192.168.1.5:8000",
                                  "127.0.0.1.evil.example"])
def test_without_token_only_loopback_names_are_served(client, host):
    # DNS rebinding: a page on another domain re-pointed at 127.0.0.1 must not reach the API
    response = client.get("/api/health", headers={"host": host})
    assert response.status_code == 403 and "loopback" in response.json()["detail"]


def test_with_a_token_any_host_name_is_served(tmp_path):
    app = create_app(Settings(host="0.0.0.0", token="s3cret",
                              database_url=f"sqlite:///{tmp_path / 'p.sqlite'}"))
    with TestClient(app) as client:
        response = client.get("/api/health", headers={"host": "lab-server.example:8000",
                                                      "authorization": "Bearer s3cret"})
    assert response.status_code == 200


def test_settings_token_rule(monkeypatch):
    monkeypatch.delenv("OSMOLAB_TOKEN", raising=False)
    with pytest.raises(InputError, match="--token"):
        Settings(host="0.0.0.0", database_url="sqlite://")
    assert Settings(host="0.0.0.0", token="t", database_url="sqlite://").token_required
    monkeypatch.setenv("OSMOLAB_TOKEN", "from-env")
    assert Settings(host="192.168.1.5", database_url="sqlite://").token == "from-env"
    for bad in ({"port": 70000}, {"host": ""}, {"token": " "}, {"token": "a;b"},
                {"token": "x" * 501}, {"token": "sécret"}):
        with pytest.raises(InputError):
            Settings(database_url="sqlite://", **bad)
    described = Settings(token="t", database_url="postgresql://lab:pw@db/osmolab").describe()
    assert "pw" not in json.dumps(described) and "t" != described.get("token")


def test_database_url(tmp_path):
    assert database_url(str(tmp_path / "p.sqlite")) == f"sqlite:///{tmp_path / 'p.sqlite'}"
    assert database_url("postgresql://lab@db/osmolab") == "postgresql://lab@db/osmolab"
    assert database_url(None).startswith("sqlite:///")
    with pytest.raises(InputError, match="does not exist"):
        database_url(str(tmp_path / "missing" / "p.sqlite"))
    with pytest.raises(InputError, match="folder"):
        database_url(str(tmp_path))
    assert safe_database_url("postgresql://lab:pw@db/osmolab") == "postgresql://lab:***@db/osmolab"


def test_oversized_body_is_413(client):
    big = {"composition": "NaCl 1 mol/kg", "balance": "x" * 2_100_000}
    response = client.post("/api/osmotic-pressure", json=big)
    assert response.status_code == 413 and "bytes" in response.json()["detail"]

    def chunks():  # no Content-Length: counted as it arrives
        yield b'{"yaml": "'
        for _ in range(30):
            yield b"a" * 100_000
        yield b'"}'

    response = client.post("/api/design/import", content=chunks(),
                           headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_unexpected_error_is_one_line_without_traceback(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'p.sqlite'}"))

    @app.get("/api/test-crash")
    def crash():
        raise RuntimeError("secret internals /home/user/file.py line 3")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/test-crash")
    assert response.status_code == 500
    detail = response.json()["detail"]
    assert "RuntimeError" in detail and "secret" not in detail and "Traceback" not in response.text


def test_malformed_json_is_422(client):
    response = client.post("/api/project", content=b"{not json",
                           headers={"content-type": "application/json"})
    assert response.status_code == 422 and "\n" not in response.json()["detail"]
    deep = b'{"design": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post("/api/project", content=deep, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500


def test_json_answers_never_hold_nan(client):
    # seawater_2pass has stages without a booster (NaN columns in the engine's frames)
    design = client.get("/api/examples/seawater_2pass").json()["design"]
    text = client.post("/api/project", json={"design": design}).text
    _strict_json(text)
    assert math.isfinite(_strict_json(text)["result"]["feed_pressure_bar"])
