"""The workbench pages: every page renders with its key elements, the static assets are
served, and nothing points at another host (the workbench works offline)."""

import re

import pytest
from fastapi.testclient import TestClient

from osmolab.web.app import create_app
from osmolab.web.pages import PAGES, STATIC_DIR, TEMPLATE_DIR
from osmolab.web.security import Settings

# ids each page's script relies on (the browser tests and the scripts use these)
KEY_ELEMENTS = {
    "/": ['href="/designer"', 'href="/projects"', 'href="/classroom"', 'href="/cells"'],
    "/designer": ['id="design-form"', 'data-path="feed.flow"', 'id="target-value"', 'id="summary"',
                  'id="plot-pressure"', 'id="plot-flux"', 'id="plot-permeate"', 'id="plot-beta"',
                  'id="stage-table"', 'id="element-table"', 'id="import-file"', 'id="save-btn"',
                  'id="dl-yaml"', 'id="dl-json"', 'id="dl-report"', "/static/designer.js"],
    "/projects": ['id="search"', 'id="project-table"', 'id="show-trash"', 'id="version-table"',
                  "/static/projects.js"],
    "/compare": ['id="a-project"', 'id="b-version"', 'id="result-table"', 'id="input-table"',
                 "/static/compare.js"],
    "/classroom": ['id="sim"', 'id="scenario"', 'id="remove-partition"', 'id="temperature"',
                   'id="concentration"', 'id="pressure"', 'id="frame-count"', "/static/classroom.js"],
    "/cells": ['id="medium"', 'id="cell"', 'id="fate"', "/static/cells.js"],
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'pages.sqlite'}"
    with TestClient(create_app(Settings(database_url=url))) as c:
        yield c


@pytest.mark.parametrize("path", [p[0] for p in PAGES])
def test_page_renders_with_its_elements(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "/static/workbench.css" in html and "/static/common.js" in html
    for needle in KEY_ELEMENTS[path]:
        assert needle in html, f"{path} lacks {needle}"
    # the navigation reaches every page
    for other, *_ in PAGES[1:]:
        assert f'href="{other}"' in html


def test_every_page_is_tested():
    assert set(KEY_ELEMENTS) == {p[0] for p in PAGES}


@pytest.mark.parametrize("name", sorted(p.name for p in STATIC_DIR.iterdir()))
def test_static_assets_served(client, name):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert response.content == (STATIC_DIR / name).read_bytes()


def test_every_script_a_page_loads_exists(client):
    for path, *_ in PAGES:
        for src in re.findall(r'src="(/static/[^"]+)"', client.get(path).text):
            assert client.get(src).status_code == 200, src


def test_unknown_static_file_is_404(client):
    assert client.get("/static/nothing.js").status_code == 404
    assert client.get("/static/../pages.py").status_code == 404


def test_no_external_urls_in_templates_or_assets():
    """No CDN or other host: every http(s) URL would break the offline workbench."""
    pattern = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
    files = list(TEMPLATE_DIR.glob("*.html")) + list(STATIC_DIR.iterdir())
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        found = [m for m in pattern.findall(text) if not m.startswith("//127.0.0.1")]
        assert not found, f"{path.name} refers to another host: {found}"
        assert "http://" not in text and "https://" not in text, path.name


def test_pages_are_not_in_the_api_schema(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert not {p[0] for p in PAGES} & set(paths)


def test_token_protects_the_pages(tmp_path):
    url = f"sqlite:///{tmp_path / 'token.sqlite'}"
    with TestClient(create_app(Settings(database_url=url, token="s3cret"))) as c:
        assert c.get("/designer").status_code == 401
        assert c.get("/designer?token=s3cret").status_code == 200
        assert c.get("/static/designer.js").status_code == 200  # the cookie came back
