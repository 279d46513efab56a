"""Load on the workbench: 50 concurrent clients projecting and saving on loopback.

Run: ``.venv/bin/python benchmarks/bench_web_load.py [--clients 50] [--seconds 60]``

The server is ``uvicorn`` in a subprocess on 127.0.0.1 (a free port) with a temporary SQLite
project store (WAL, ``synchronous=FULL``). Each client (an ``asyncio`` task with its own
``httpx`` connection) creates one project, then alternates a projection of the bundled
seawater plant (``POST /api/project``; where that route is missing, ``GET /api/compare`` of
its latest version, which projects the new version once) and a save (``PUT
/api/projects/{id}``: a new version) until the time is up. Printed: requests, errors (the goal
is 0), latency percentiles p50/p95/p99 and throughput. Everything stays on loopback and the
server is shut down at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import yaml

DATABASE_ENV = "OSMOLAB_BENCH_DATABASE"
GOAL_ERRORS = 0


def make_app():
    """App factory for ``uvicorn --factory`` (the database comes from the environment)."""
    from osmolab.web.app import create_app  # lazy: runs in the server process only
    from osmolab.web.security import Settings  # lazy: runs in the server process only

    return create_app(Settings(database_url=os.environ[DATABASE_ENV]))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(database: Path, port: int) -> subprocess.Popen:
    import osmolab  # lazy: only to find the source folder for the server's path

    src = str(Path(osmolab.__file__).resolve().parents[1])
    env = dict(os.environ, **{DATABASE_ENV: f"sqlite:///{database}"})
    env["PYTHONPATH"] = os.pathsep.join([src, str(Path(__file__).parent),
                                         env.get("PYTHONPATH", "")])
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "bench_web_load:make_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--limit-concurrency", "1000", "--backlog", "2048"],
        env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server exited before it answered")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start within 120 s")


async def _client(index: int, base: str, design: dict, until: float, projection: str,
                  latencies: list, errors: list) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60.0) as client:
        async def timed(method, url, **kwargs):
            start = time.perf_counter()
            try:
                response = await client.request(method, url, **kwargs)
            except httpx.HTTPError as exc:
                errors.append(f"{method} {url}: {type(exc).__name__}")
                return None
            latencies.append(time.perf_counter() - start)
            if response.status_code >= 300:
                errors.append(f"{method} {url}: {response.status_code} {response.text[:200]}")
                return None
            return response

        created = await timed("POST", "/api/projects", json={
            "name": f"load client {index}", "notes": "bench_web_load", "design": design})
        if created is None:
            return
        project_id = created.json()["id"]
        step = 0
        while time.perf_counter() < until:
            if step % 2 == 0:
                if projection == "project":
                    await timed("POST", "/api/project", json={"design": design})
                else:
                    await timed("GET", f"/api/compare?a={project_id}&b={project_id}:1")
            else:
                await timed("PUT", f"/api/projects/{project_id}",
                            json={"design": design, "notes": f"save {step}"})
            step += 1


async def _run(base: str, clients: int, seconds: float, design: dict, projection: str):
    latencies: list = []
    errors: list = []
    until = time.perf_counter() + seconds
    start = time.perf_counter()
    await asyncio.gather(*(_client(i, base, design, until, projection, latencies, errors)
                           for i in range(clients)))
    return latencies, errors, time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)

    from osmolab.ro.design import bundled_example  # lazy: keeps --help fast

    design = yaml.safe_load(bundled_example("seawater_px").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        process = _start_server(Path(folder) / "load.sqlite", port)
        try:
            # warm the engine (Numba) and find the projection route
            probe = httpx.post(f"{base}/api/project", json={"design": design}, timeout=120)
            projection = "project" if probe.status_code == 200 else "compare"
            if projection == "compare":
                print("POST /api/project is not on this branch: projecting through "
                      "GET /api/compare of each new version instead")
            latencies, errors, elapsed = asyncio.run(
                _run(base, args.clients, args.seconds, design, projection))
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    times_ms = np.array(latencies) * 1000 if latencies else np.array([np.nan])
    p50, p95, p99 = np.percentile(times_ms, [50, 95, 99])
    print(f"clients {args.clients}, {elapsed:.1f} s, projection via {projection}")
    print(f"requests {len(latencies) + len(errors)}  errors {len(errors)} (goal {GOAL_ERRORS})")
    print(f"latency ms: p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f}  max {times_ms.max():.1f}")
    print(f"throughput {len(latencies) / elapsed:.1f} requests/s")
    for line in errors[:5]:
        print("  error:", line)
    return 0 if len(errors) == GOAL_ERRORS else 1


if __name__ == "__main__":
    sys.exit(main())
