"""The project store and ``/api/projects``: every route, versions, trash, compare, migrations.

The compare test projects the bundled seawater plant (osmolab/data/example_seawater_px.yaml,
40 vessels x 7 SW30XLE-440i at 45 % recovery) against a copy with 45 vessels: the inputs
differ only in ``array.stages.0.vessels`` and the feed pressures are those of
:func:`osmolab.ro.design.project` on each design (more membrane area, lower pressure).
"""

from __future__ import annotations

import copy
import json
import sqlite3

import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osmolab.errors import InputError
from osmolab.ro.design import bundled_example, project
from osmolab.web.app import create_app
from osmolab.web.db import Database
from osmolab.web.projects import flatten_design
from osmolab.web.security import Settings


@pytest.fixture(scope="module")
def design():
    return yaml.safe_load(bundled_example("seawater_px").read_text(encoding="utf-8"))


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "store" / "projects.sqlite"


@pytest.fixture
def client(db_path):
    app = create_app(Settings(database_url=f"sqlite:///{db_path}"))
    with TestClient(app) as test_client:
        yield test_client
    app.state.database.close()


def _one_line(response, status):
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail and "\n" not in detail and "Traceback" not in detail
    return detail


def test_create_get_list_save(client, design):
    response = client.post("/api/projects", json={"name": "Seawater", "notes": "first",
                                                   "design": design})
    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "Seawater" and created["version"] == 1 and not created["deleted"]
    pid = created["id"]

    got = client.get(f"/api/projects/{pid}").json()
    assert got["design"] == design and got["notes"] == "first" and got["version"] == 1

    changed = copy.deepcopy(design)
    changed["target"] = {"recovery": 0.42}
    saved = client.put(f"/api/projects/{pid}", json={"design": changed, "notes": "42 %"})
    assert saved.status_code == 200 and saved.json() == {"id": pid, "version": 2,
                                                         "created_at": saved.json()["created_at"]}
    assert client.get(f"/api/projects/{pid}").json()["design"] == changed

    listed = client.get("/api/projects").json()["projects"]
    assert [(p["id"], p["name"], p["versions"], p["deleted"]) for p in listed] == \
        [(pid, "Seawater", 2, False)]
    assert {"id", "name", "notes", "updated_at", "versions", "deleted"} <= set(listed[0])


def test_versions_history_and_restore(client, design):
    pid = client.post("/api/projects", json={"name": "P", "design": design}).json()["id"]
    for vessels in (41, 42):
        changed = copy.deepcopy(design)
        changed["array"]["stages"][0]["vessels"] = vessels
        client.put(f"/api/projects/{pid}", json={"design": changed, "notes": f"{vessels}"})
    history = client.get(f"/api/projects/{pid}/versions").json()
    assert [v["number"] for v in history] == [1, 2, 3]
    assert [v["notes"] for v in history] == ["", "41", "42"]
    assert all(v["created_at"].endswith("Z") for v in history)
    assert history[0]["created_at"] <= history[1]["created_at"] <= history[2]["created_at"]

    v2 = client.get(f"/api/projects/{pid}/versions/2").json()
    assert v2["version"] == 2 and v2["design"]["array"]["stages"][0]["vessels"] == 41

    restored = client.post(f"/api/projects/{pid}/versions/1/restore")
    assert restored.status_code == 200 and restored.json()["version"] == 4
    latest = client.get(f"/api/projects/{pid}").json()
    assert latest["version"] == 4 and latest["design"] == design
    # history is never rewritten: the versions restored over are still there
    assert [v["number"] for v in client.get(f"/api/projects/{pid}/versions").json()] == \
        [1, 2, 3, 4]
    assert client.get(f"/api/projects/{pid}/versions/3").json()["design"][
        "array"]["stages"][0]["vessels"] == 42


def test_rename_notes_duplicate(client, design):
    a = client.post("/api/projects", json={"name": "A", "design": design}).json()["id"]
    b = client.post("/api/projects", json={"name": "B", "design": design}).json()["id"]
    renamed = client.patch(f"/api/projects/{a}", json={"name": "A2", "notes": "renamed"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "A2" and renamed.json()["notes"] == "renamed"
    clash = client.patch(f"/api/projects/{a}", json={"name": "B"})
    assert "already exists" in _one_line(clash, 422)

    copy1 = client.post(f"/api/projects/{b}/duplicate")
    assert copy1.status_code == 201 and copy1.json()["name"] == "B (copy)"
    copy2 = client.post(f"/api/projects/{b}/duplicate", json={})
    assert copy2.json()["name"] == "B (copy 2)"
    named = client.post(f"/api/projects/{b}/duplicate", json={"name": "Variant"})
    assert named.json()["name"] == "Variant" and named.json()["version"] == 1
    assert client.get(f"/api/projects/{named.json()['id']}").json()["design"] == design


def test_trash_undo_and_purge_rule(client, design):
    pid = client.post("/api/projects", json={"name": "Keep", "design": design}).json()["id"]
    detail = _one_line(client.delete(f"/api/projects/{pid}?purge=true"), 422)
    assert "trash" in detail  # purging needs the trash first
    assert client.get(f"/api/projects/{pid}").status_code == 200

    trashed = client.delete(f"/api/projects/{pid}")
    assert trashed.status_code == 200 and trashed.json()["deleted"]
    assert client.get("/api/projects").json()["projects"] == []
    in_trash = client.get("/api/projects?trash=true").json()["projects"]
    assert [p["id"] for p in in_trash] == [pid] and in_trash[0]["deleted"]
    assert "trash" in _one_line(client.put(f"/api/projects/{pid}", json={"design": design}), 422)

    # the name is free while the project is in the trash; restoring then asks for a new one
    other = client.post("/api/projects", json={"name": "Keep", "design": design}).json()["id"]
    assert "new name" in _one_line(client.post(f"/api/projects/{pid}/restore"), 422)
    back = client.post(f"/api/projects/{pid}/restore", json={"name": "Keep (old)"})
    assert back.status_code == 200 and not back.json()["deleted"]
    assert {p["id"] for p in client.get("/api/projects").json()["projects"]} == {pid, other}

    client.delete(f"/api/projects/{pid}")
    purged = client.delete(f"/api/projects/{pid}?purge=true")
    assert purged.status_code == 200 and purged.json() == {"id": pid, "purged": True}
    assert client.get(f"/api/projects/{pid}").status_code == 404
    assert client.get(f"/api/projects/{pid}/versions").status_code == 404
    assert client.get("/api/projects?trash=true").json()["projects"] == []


def test_search(client, design):
    for name, notes in (("Jeddah SWRO", "phase 1"), ("Perth", "second pass 100%"),
                        ("Brackish well", "jeddah pilot")):
        client.post("/api/projects", json={"name": name, "notes": notes, "design": design})

    def names(q):
        return sorted(p["name"] for p in client.get("/api/projects", params={"q": q})
                      .json()["projects"])

    assert names("jeddah") == ["Brackish well", "Jeddah SWRO"]  # name or notes, any case
    assert names("PERTH") == ["Perth"]
    assert names("100%") == ["Perth"]  # % and _ are literal text, not wildcards
    assert names("_") == []
    assert names("nothing like it") == []
    assert len(names("")) == 3


def test_compare_seawater_px_with_45_vessels(client, design):
    wider = copy.deepcopy(design)
    wider["array"]["stages"][0]["vessels"] = 45
    a = client.post("/api/projects", json={"name": "40 vessels", "design": design}).json()["id"]
    b = client.post("/api/projects", json={"name": "45 vessels", "design": wider}).json()["id"]
    response = client.get(f"/api/compare?a={a}&b={b}:1")
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["a"]["name"] == "40 vessels" and data["b"]["version"] == 1
    differing = [row["field"] for row in data["inputs"] if row["differs"]]
    assert differing == ["array.stages.0.vessels"]
    row = next(r for r in data["inputs"] if r["field"] == "array.stages.0.vessels")
    assert (row["a"], row["b"]) == (40, 45)

    results = {r["key"]: r for r in data["results"]}
    expected_a = project(design).to_dict()["feed_pressure_bar"]
    expected_b = project(wider).to_dict()["feed_pressure_bar"]
    pressure = results["feed_pressure_bar"]
    assert pressure["a"] == pytest.approx(expected_a, rel=1e-9)
    assert pressure["b"] == pytest.approx(expected_b, rel=1e-9)
    assert pressure["difference"] == pytest.approx(expected_b - expected_a, rel=1e-9)
    assert pressure["difference"] < 0  # 12.5 % more membrane area needs less pressure
    assert pressure["relative"] == pytest.approx((expected_b - expected_a) / expected_a)
    assert {"recovery", "permeate_flow_m3_h", "permeate_tds_mg_L", "sec_kWh_m3",
            "concentrate_tds_mg_L", "warnings"} <= set(results)
    assert results["recovery"]["a"] == pytest.approx(0.45, abs=1e-6)

    # versions of one project compare too, and the key results are cached per version
    again = client.get(f"/api/compare?a={a}:1&b={a}").json()
    assert not any(row["differs"] for row in again["inputs"])
    assert all(r["difference"] in (0, 0.0) for r in again["results"])
    assert client.get(f"/api/projects/{a}/versions/1").json()["summary"]["feed_pressure_bar"] \
        == pytest.approx(expected_a)


def test_flatten_design():
    assert flatten_design({"a": {"b": [1, {"c": 2}]}, "d": [], "e": {}}) == \
        {"a.b.0": 1, "a.b.1.c": 2, "d": [], "e": {}}


@pytest.mark.parametrize("method, url, body", [
    ("get", "/api/projects/999", None),
    ("put", "/api/projects/999", {"design": {}}),
    ("patch", "/api/projects/999", {"name": "x"}),
    ("delete", "/api/projects/999", None),
    ("post", "/api/projects/999/restore", None),
    ("post", "/api/projects/999/duplicate", None),
    ("get", "/api/projects/999/versions", None),
    ("get", "/api/projects/999/versions/1", None),
    ("post", "/api/projects/999/versions/1/restore", None),
    ("get", "/api/compare?a=999&b=999", None),
])
def test_unknown_project_is_404(client, method, url, body):
    kwargs = {"json": body} if body is not None else {}
    assert "999" in _one_line(getattr(client, method)(url, **kwargs), 404)


def test_bad_input_is_one_line_422(client, design):
    pid = client.post("/api/projects", json={"name": "P", "design": design}).json()["id"]
    assert "name" in _one_line(client.post("/api/projects", json={"name": "  ",
                                                                  "design": design}), 422)
    assert "name" in _one_line(client.post("/api/projects", json={"design": design}), 422)
    bad = copy.deepcopy(design)
    bad["feed"]["flow"] = "-5 m3/h"
    assert "feed.flow" in _one_line(client.post("/api/projects", json={"name": "Q",
                                                                       "design": bad}), 422)
    assert "feed.flow" in _one_line(client.put(f"/api/projects/{pid}", json={"design": bad}),
                                    422)
    assert "design" in _one_line(client.post("/api/projects", json={"name": "Q",
                                                                    "design": [1]}), 422)
    assert "name" in _one_line(client.post("/api/projects", json={"name": "a\x00b",
                                                                  "design": design}), 422)
    assert "version" in _one_line(client.get(f"/api/projects/{pid}/versions/7"), 404)
    assert _one_line(client.get(f"/api/projects/{pid}/versions/x"), 422)
    assert "7 or 7:3" in _one_line(client.get("/api/compare?a=one&b=1"), 422)
    assert _one_line(client.get("/api/compare?a=1"), 422)
    odd = copy.deepcopy(design)
    odd["description"] = "bad \ud800 text"
    escaped = json.dumps({"design": odd})  # "\\ud800" on the wire, as a browser may send
    assert "Unicode" in _one_line(client.put(f"/api/projects/{pid}", content=escaped, headers={
        "content-type": "application/json"}), 422)
    assert "not found" in _one_line(client.get(f"/api/projects/{10**30}"), 404)
    assert "no version" in _one_line(client.get(f"/api/projects/{pid}/versions/{-2**70}"), 404)
    assert _one_line(client.get(f"/api/compare?a={pid}&b=1:{2**64}"), 404)
    assert client.get("/api/projects").json()["projects"][0]["versions"] == 1  # nothing saved


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_TEXT.filter(lambda s: s.strip()), notes=st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200))
def test_unicode_names_and_notes_round_trip(tmp_path_factory, name, notes):
    store = _shared_store(tmp_path_factory)
    created, _ = store.create(name, notes, {"feed": {}})
    got = store.get(created["id"])
    # names lose only surrounding whitespace; notes come back exactly
    assert got["name"] == name.strip() and got["notes"] == notes
    store.delete(created["id"])
    store.purge(created["id"])


_STORES: dict = {}


def _shared_store(factory) -> Database:
    if "store" not in _STORES:
        _STORES["store"] = Database(f"sqlite:///{factory.mktemp('h')}/p.sqlite")
    return _STORES["store"]


def test_unicode_through_http(client, design):
    name, notes = "Øresund ☃ 海水淡化 \U0001f30a", "ligne 1\nline 2\t«tab» \u200b"
    design = copy.deepcopy(design)
    design["description"] = "Désalinisation \u00e9\x01 海水"
    pid = client.post("/api/projects", json={"name": name, "notes": notes,
                                              "design": design}).json()["id"]
    got = client.get(f"/api/projects/{pid}").json()
    assert (got["name"], got["notes"], got["design"]) == (name, notes, design)
    assert client.get("/api/projects", params={"q": "海水"}).json()["projects"][0]["id"] == pid


# -- the database itself ------------------------------------------------------------------------


def test_migrations_reach_head_and_reopen(db_path):
    store = Database(f"sqlite:///{db_path}")
    assert db_path.exists()
    assert store.current_revision() == Database.head_revision() == "0001"
    store.create("X", "", {"feed": {}})
    store.close()
    again = Database(f"sqlite:///{db_path}")  # opening twice is idempotent and keeps data
    assert again.current_revision() == Database.head_revision()
    assert [p["name"] for p in again.list()] == ["X"]
    again.close()
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"projects", "project_versions", "alembic_version"} <= tables


def test_sqlite_pragmas(db_path):
    store = Database(f"sqlite:///{db_path}")
    with store.engine.connect() as connection:
        def pragma(name):
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") >= 1000
    store.close()


def test_bad_database_url_is_one_line():
    with pytest.raises(InputError, match="SQLAlchemy URL"):
        Database("not a url")


def test_in_memory_store_and_names():
    store = Database("sqlite://")
    created, version = store.create("  Spaced  ", None, {"feed": {}})
    assert created["name"] == "Spaced" and version["number"] == 1
    with pytest.raises(InputError, match="already exists"):
        store.create("Spaced", "", {})
    with pytest.raises(InputError, match="at most"):
        store.create("x" * 201, "", {})
    store.close()


def test_concurrent_saves_from_threads(db_path):
    """uvicorn runs sync routes in a thread pool: parallel saves queue, none fails or clashes."""
    from concurrent.futures import ThreadPoolExecutor  # lazy: only this test uses threads

    store = Database(f"sqlite:///{db_path}")
    created, _ = store.create("Busy", "", {"feed": {}})

    def save(i):
        return store.save_version(created["id"], {"feed": {"i": i}}, notes=str(i))["version"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(save, range(40)))
    assert sorted(numbers) == list(range(2, 42))
    history = store.versions(created["id"])
    assert [v["number"] for v in history] == list(range(1, 42))
    assert sorted(v["notes"] for v in history[1:]) == sorted(str(i) for i in range(40))
    store.close()
