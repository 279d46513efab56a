"""Screenshots of the workbench pages for the docs (docs/img/web-*.png).

Starts the workbench on a free loopback port with a temporary database, saves two
projects (one with two versions) through the API, and photographs each page with
Playwright driving Debian's chromium. Run from the repository root:

    PYTHONPATH=src python scripts/web_screenshots.py
"""

from __future__ import annotations

import json
import shutil
import socket
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from osmolab.web.app import create_app
from osmolab.web.security import Settings

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"


def _api(base: str, path: str, body: dict | None = None, method: str | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method or ("POST" if data else "GET"),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = Path(tempfile.mkdtemp())
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'shots.sqlite'}", port=port))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    sea = _api(base, "/api/examples/seawater_px")["design"]
    created = _api(base, "/api/projects", {"name": "Seawater PX, 40 vessels", "notes": "bundled example",
                                           "design": sea})
    sea["target"] = {"recovery": 0.42}
    sea["array"]["stages"][0]["vessels"] = 44
    _api(base, f"/api/projects/{created['id']}", {"design": sea, "notes": "44 vessels at 42 %"}, "PUT")
    brackish = _api(base, "/api/examples/brackish_2stage")["design"]
    _api(base, "/api/projects", {"name": "Brackish well, 2:1 array", "notes": "3-year-old membranes",
                                 "design": brackish})
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/designer?example=seawater_px")
        page.wait_for_selector("#summary td[data-key=feed_pressure_bar]")
        page.fill("#target-value", "0.45")  # a second projection: the round trip of an edit
        page.wait_for_function("+document.body.dataset.projections >= 2")
        page.wait_for_timeout(300)
        print("designer round trip:", page.locator("#roundtrip").inner_text())
        page.screenshot(path=OUT / "web-designer.png")
        page.goto(f"{base}/projects")
        page.wait_for_selector("a.project-name")
        page.locator("button.versions-btn").last.click()
        page.wait_for_selector("#version-table tbody tr")
        page.set_viewport_size({"width": 1200, "height": 520})
        page.screenshot(path=OUT / "web-projects.png")
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto(f"{base}/compare?a={created['id']}:1&b={created['id']}:2")
        page.wait_for_selector("#result-table tr.differs")
        page.wait_for_timeout(300)
        page.screenshot(path=OUT / "web-compare.png")
        page.set_viewport_size({"width": 1400, "height": 900})
        page.goto(f"{base}/classroom?scenario=mixing")
        page.wait_for_function("+document.body.dataset.frames > 20")
        page.click("#remove-partition")
        # let the measured D settle: its first fits (little decay yet) run high
        page.wait_for_function("window.classroom.stats && window.classroom.stats.degree_of_mixing > 0.8",
                               timeout=120_000)
        page.screenshot(path=OUT / "web-classroom.png")
        page.set_viewport_size({"width": 1200, "height": 560})
        page.goto(f"{base}/cells")
        page.fill("#medium", "NaCl 3 %")
        page.wait_for_function("document.querySelector('#fate').textContent.includes('hypertonic')")
        page.wait_for_timeout(4500)
        page.screenshot(path=OUT / "web-cells.png")
        browser.close()
    server.should_exit = True
    for name in sorted(OUT.glob("web-*.png")):
        print(name.relative_to(OUT.parents[1]), name.stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main()
