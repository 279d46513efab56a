"""The workbench in a real browser: Debian's chromium driven by Playwright (no browser
download) against a uvicorn server on a free loopback port with a temporary database.

Skipped, with the reason, only when no chromium binary is installed (``make test``
installs Debian's ``chromium`` package when it is missing).
"""

import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium"),
                             shutil.which("chromium-browser")) if p and Path(p).exists()), None)
if CHROMIUM is None:
    pytest.skip("no chromium binary found (install Debian's chromium package: make chromium)",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from osmolab.web.app import create_app  # noqa: E402
from osmolab.web.security import Settings  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import osmolab

    osmolab.project("seawater_px")  # compile the engine before the page's first projection
    port = _free_port()
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'projects.sqlite'}"
    app = create_app(Settings(database_url=url, port=port))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="auto")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


PRESSURE = "#summary td[data-key=feed_pressure_bar]"


def _pressure(page) -> float:
    return float(page.locator(PRESSURE).inner_text().replace(",", ""))


def _set_recovery_and_wait(page, value: str) -> float:
    before = page.locator(PRESSURE).inner_text()
    page.fill("#target-value", value)
    page.wait_for_function(
        "([sel, old]) => document.querySelector(sel) && document.querySelector(sel).textContent !== old",
        arg=[PRESSURE, before])
    return _pressure(page)


def test_designer_recovery_changes_the_pressure(server, page):
    page.goto(f"{server}/designer")
    page.wait_for_selector(PRESSURE)
    assert page.locator("[data-path='feed.flow']").input_value() == "400 m3/h"
    at_45 = _pressure(page)
    assert 45 < at_45 < 70  # seawater_px at 45 % recovery
    at_40 = _set_recovery_and_wait(page, "0.40")
    assert at_40 < at_45 - 0.5
    assert page.locator("#summary td[data-key=recovery]").inner_text() == "0.400"
    # tables and plots were filled: 7 elements in one stage
    assert page.locator("#element-table tbody tr").count() == 7
    assert page.locator("#stage-table tbody tr").count() == 1
    assert re.search(r"\d+ ms round trip", page.locator("#roundtrip").inner_text())


def test_save_reload_compare_versions(server, page):
    page.goto(f"{server}/designer")
    page.wait_for_selector(PRESSURE)
    page.fill("#save-name", "Browser plant")
    page.fill("#save-notes", "first try")
    page.click("#save-btn")
    page.wait_for_function("document.querySelector('#status').textContent.includes('saved')")
    assert "?project=" in page.url
    # a second version at another recovery
    _set_recovery_and_wait(page, "0.40")
    page.click("#save-btn")
    page.wait_for_function("document.querySelector('#status').textContent.includes('version 2')")
    # reload: the saved project comes back into the form
    page.reload()
    page.wait_for_selector(PRESSURE)
    assert page.locator("#save-name").input_value() == "Browser plant"
    assert page.locator("#target-value").input_value() == "0.4"
    # the projects page lists it
    page.goto(f"{server}/projects")
    link = page.locator("a.project-name", has_text="Browser plant")
    link.wait_for()
    row = page.locator("#project-table tbody tr", has=link)
    row.locator("button.versions-btn").click()
    page.locator("#version-table a.compare-link").first.click()
    page.wait_for_url(re.compile(r"/compare\?a=\d+:1&b=\d+:2"))
    page.wait_for_selector("#result-table tr.differs")
    assert "target.recovery" in page.locator("#input-table").inner_text()
    pressure_row = page.locator("#result-table tbody tr", has_text="Feed pressure")
    assert "differs" in pressure_row.get_attribute("class")


def test_classroom_frames_arrive_and_the_partition_opens(server, page):
    page.goto(f"{server}/classroom")
    page.wait_for_function("+document.body.dataset.frames > 5")
    first = int(page.locator("#frame-count").inner_text())
    page.wait_for_function(f"+document.body.dataset.frames > {first + 10}")
    assert page.evaluate("window.classroom.setup.particles") == 2000
    assert page.evaluate("window.classroom.rightFraction()") == 0  # all A left of the partition
    page.click("#remove-partition")
    page.wait_for_function("window.classroom.rightFraction() > 0.02")
    page.wait_for_function("document.querySelector('#stats').textContent.includes('removed')")


def test_designer_imports_and_downloads_a_design(server, page):
    page.goto(f"{server}/designer")
    page.wait_for_selector(PRESSURE)
    example = Path(__file__).resolve().parents[1] / "examples" / "brackish_2stage.yaml"
    page.set_input_files("#import-file", str(example))
    page.wait_for_function("document.querySelector('#status').textContent.includes('imported')")
    page.wait_for_function(f"document.querySelector('{PRESSURE}') && "
                           f"+document.querySelector('{PRESSURE}').textContent < 30")
    # the ion table, its charge balance from the library, and the 2:1 array fill the form
    assert page.locator("#feed-mode").input_value() == "ions"
    assert page.locator("#ion-rows tr").count() == 8
    page.wait_for_function("document.querySelector('#charge-balance').textContent.includes('imbalance')")
    assert page.locator("[data-path='array.stages.1.vessels']").input_value() == "4"
    assert page.locator("#stage-table tbody tr").count() == 2
    with page.expect_download() as download:
        page.click("#dl-yaml")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BW30-400" in text and "booster_pressure" in text
    with page.expect_download() as download:
        page.click("#dl-json")
    assert '"feed_pressure_bar"' in Path(download.value.path()).read_text(encoding="utf-8")
    with page.expect_download() as download:
        page.click("#dl-report")
    report = Path(download.value.path()).read_text(encoding="utf-8")
    assert "<html" in report.lower() and "BW30-400" in report
