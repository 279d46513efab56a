"""A save acknowledged by the workbench survives ``kill -9`` of the server at any moment.

The server (uvicorn, loopback, a fresh port) runs on a temporary SQLite file; a client thread
streams saves (new projects and new versions) and records every one the server acknowledged
(HTTP 2xx). The server is killed with SIGKILL at a random moment 0.5-1.5 s after the first
saves were acknowledged, twice; after each kill ``PRAGMA integrity_check`` is ``ok`` and, once
the server is restarted, every acknowledged save is there with its content.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

import osmolab

DATABASE_ENV = "OSMOLAB_DURABILITY_DATABASE"
KILLS = 2
DESIGN = {
    "feed": {"flow": "100 m3/h", "temperature": "25 degC", "composition": "seawater 35 g/kg"},
    "array": {"stages": [{"vessels": 10, "elements_per_vessel": 7,
                          "element": "SW30XLE-440i"}]},
    "target": {"recovery": 0.45},
}


def make_app():
    """App factory for ``uvicorn --factory`` (the database comes from the environment)."""
    from osmolab.web.app import create_app  # lazy: runs in the server process only
    from osmolab.web.security import Settings  # lazy: runs in the server process only

    return create_app(Settings(database_url=os.environ[DATABASE_ENV]))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """uvicorn in a subprocess on 127.0.0.1, started and killed by the test."""

    def __init__(self, database: Path):
        self.database = database
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> None:
        src = str(Path(osmolab.__file__).resolve().parents[1])
        env = dict(os.environ, **{DATABASE_ENV: f"sqlite:///{self.database}"})
        env["PYTHONPATH"] = os.pathsep.join([src, str(Path(__file__).parent),
                                             env.get("PYTHONPATH", "")])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "test_web_durability:make_app",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("server did not start in time")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()


def _stream_saves(url: str, acknowledged: list, projects: list, stop: threading.Event,
                  rng: random.Random) -> None:
    """Save until the server dies; record (project id, version, notes) of each acknowledgement."""
    with httpx.Client(base_url=url, timeout=5.0) as client:
        while not stop.is_set():
            marker = f"save {len(acknowledged)} {rng.random():.12f}"
            try:
                if not projects or rng.random() < 0.15:
                    response = client.post("/api/projects", json={
                        "name": marker, "notes": marker, "design": DESIGN})
                    if response.status_code == 201:
                        body = response.json()
                        projects.append(body["id"])
                        acknowledged.append((body["id"], 1, ""))
                        continue
                else:
                    project_id = rng.choice(projects)
                    response = client.put(f"/api/projects/{project_id}",
                                          json={"design": DESIGN, "notes": marker})
                    if response.status_code == 200:
                        acknowledged.append((project_id, response.json()["version"], marker))
                        continue
                raise AssertionError(f"save refused: {response.status_code} {response.text}")
            except httpx.TransportError:  # the server was killed: this save was never acked
                return


@pytest.mark.slow
def test_acknowledged_saves_survive_kill_9(tmp_path):
    database = tmp_path / "durable.sqlite"
    server = Server(database)
    rng = random.Random(20261129)
    acknowledged: list = []
    projects: list = []
    try:
        server.start()
        for _round in range(KILLS):
            stop = threading.Event()
            before = len(acknowledged)
            writer = threading.Thread(target=_stream_saves,
                                      args=(server.url, acknowledged, projects, stop, rng))
            writer.start()
            deadline = time.monotonic() + 30  # the first saves after a start may be slow
            while len(acknowledged) < before + 3 and time.monotonic() < deadline \
                    and writer.is_alive():
                time.sleep(0.01)
            time.sleep(rng.uniform(0.5, 1.5))
            server.kill()  # SIGKILL while saves stream in
            stop.set()
            writer.join(timeout=10)
            assert len(acknowledged) >= before + 3, "too few saves streamed before the kill"

            with sqlite3.connect(database) as raw:
                assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            raw.close()

            server.start()
            with httpx.Client(base_url=server.url, timeout=10.0) as client:
                stored = {}
                for project_id in sorted({p for p, _, _ in acknowledged}):
                    response = client.get(f"/api/projects/{project_id}/versions")
                    assert response.status_code == 200, response.text
                    stored.update({(project_id, v["number"]): v["notes"]
                                   for v in response.json()})
            print(f"round {_round}: {len(acknowledged)} acknowledged saves, {len(projects)} projects")
            missing = [save for save in acknowledged if stored.get(save[:2]) != save[2]]
            assert not missing, f"{len(missing)} acknowledged saves lost, e.g. {missing[:3]}"
    finally:
        server.kill()
