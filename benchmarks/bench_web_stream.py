"""Benchmark: classroom frames per second over a real WebSocket on loopback.

Starts ``osmolab serve``'s app on uvicorn in a subprocess (127.0.0.1, a free port, a
temporary database), connects with the ``websockets`` client, starts each classroom
scenario with 2,000 particles and counts the binary frames received over a few seconds.
Goal: >= 20 frames/s for 2,000 particles (issue 10). The server aims at 30 frames/s.

Also prints the size of one frame in the binary format (float32 x, y + uint8 species)
against compact JSON of the same positions (3 decimals), and the time to encode each.

Run: PYTHONPATH=src .venv/bin/python benchmarks/bench_web_stream.py [seconds]
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from websockets.sync.client import connect

from osmolab.web.stream import Classroom, decode_frame

PARTICLES = 2000
GOAL_FPS = 20.0
SERVER = """
import sys, uvicorn
from osmolab.web.app import create_app
from osmolab.web.security import Settings
port, url = int(sys.argv[1]), sys.argv[2]
uvicorn.run(create_app(Settings(database_url=url, port=port)), host="127.0.0.1", port=port,
            log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


def measure(port: int, scenario: str, seconds: float) -> tuple[float, int]:
    """Frames per second received for ``scenario`` and the size of one frame [bytes]."""
    with connect(f"ws://127.0.0.1:{port}/ws/classroom", max_size=None) as ws:
        ws.send(json.dumps({"type": "start", "scenario": scenario, "particles": PARTICLES}))
        frames, size, start = 0, 0, None
        while True:
            message = ws.recv()
            if isinstance(message, str):
                if json.loads(message)["type"] == "error":
                    raise RuntimeError(message)
                continue
            if start is None:  # the set-up frame: start the clock at the first streamed one
                start = time.perf_counter()
                continue
            frames += 1
            size = len(message)
            if scenario == "mixing" and frames == 10:
                ws.send(json.dumps({"type": "remove_partition"}))
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                assert decode_frame(message)["xy"].shape == (PARTICLES, 2)
                return frames / elapsed, size


def encoding_comparison() -> None:
    room = Classroom.build({"scenario": "mixing", "particles": PARTICLES}, PARTICLES)
    room.advance()
    repeats = 200
    start = time.perf_counter()
    for _ in range(repeats):
        binary = room.frame()
    binary_ms = (time.perf_counter() - start) / repeats * 1e3
    s = room.system
    start = time.perf_counter()
    for _ in range(repeats):
        text = json.dumps({"t": s.time, "xy": np.round(s.pos[:, :2], 3).ravel().tolist(),
                           "s": s.labels.tolist()}, separators=(",", ":"))
    json_ms = (time.perf_counter() - start) / repeats * 1e3
    print(f"one frame of {PARTICLES} particles: binary {len(binary) / 1024:.1f} KiB in "
          f"{binary_ms:.2f} ms; compact JSON {len(text) / 1024:.1f} KiB in {json_ms:.2f} ms "
          f"({len(text) / len(binary):.1f}x larger, {json_ms / binary_ms:.0f}x slower)")


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    port = _free_port()
    folder = Path(tempfile.mkdtemp())
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port), f"sqlite:///{folder / 'b.sqlite'}"],
                              env=env)
    try:
        _wait_for(port)
        measure(port, "mixing", 1.0)  # compile the kernels once
        print(f"classroom stream, {PARTICLES} particles, WebSocket on loopback ({seconds:g} s each)")
        worst = None
        for scenario in ("mixing", "osmosis", "reverse_osmosis", "sieving"):
            fps, size = measure(port, scenario, seconds)
            worst = fps if worst is None else min(worst, fps)
            print(f"  {scenario:16s} {fps:5.1f} frames/s  ({size / 1024:.1f} KiB a frame)")
        print(f"slowest scenario: {worst:.1f} frames/s (goal >= {GOAL_FPS:g}): "
              f"{'OK' if worst >= GOAL_FPS else 'BELOW GOAL'}")
        encoding_comparison()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
