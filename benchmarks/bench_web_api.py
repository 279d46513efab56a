"""Round trip of ``POST /api/project`` on a real server: the designer's live re-projection.

Run: ``.venv/bin/python benchmarks/bench_web_api.py [--repeat 40] [--clients 1]``

Starts ``osmolab serve`` (uvicorn) on 127.0.0.1 at a free port with a throw-away database,
waits for it, fetches each bundled example through ``GET /api/examples/{name}`` and posts its
design to ``POST /api/project`` ``--repeat`` times over one keep-alive httpx connection per
client, as the designer page does while the user types. Prints the p50 and p95 round trip
per example (client side: JSON encoding, HTTP, validation, projection, JSON back).
Goal (issue 10): p95 <= 150 ms for every bundled plant. With ``--clients N`` the posts run
from N threads at once (the p95 then includes queueing behind the other clients).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

GOAL_P95_MS = 150.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(folder: Path):
    port = _free_port()
    env = dict(os.environ)
    env.pop("OSMOLAB_TOKEN", None)
    source = Path(__file__).resolve().parents[1] / "src"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(source), env.get("PYTHONPATH")) if p)
    process = subprocess.Popen(
        [sys.executable, "-m", "osmolab.cli", "serve", "--port", str(port),
         "--database", str(folder / "projects.sqlite")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"osmolab serve exited: {process.stderr.read().decode()}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("osmolab serve did not start within 120 s")


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _post_many(url, design, repeat, times):
    with httpx.Client(base_url=url, timeout=60) as client:
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.post("/api/project", json={"design": design})
            times.append(time.perf_counter() - start)
            response.raise_for_status()


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40, help="posts per example and client")
    parser.add_argument("--clients", type=int, default=1, help="concurrent clients")
    args = parser.parse_args(argv)

    results = {}
    with tempfile.TemporaryDirectory(prefix="osmolab-bench-web-") as folder:
        process, url = _start(Path(folder))
        try:
            with httpx.Client(base_url=url, timeout=120) as client:
                names = client.get("/api/examples").json()
                for name in names:
                    design = client.get(f"/api/examples/{name}").json()["design"]
                    start = time.perf_counter()
                    client.post("/api/project", json={"design": design}).raise_for_status()
                    first_ms = 1e3 * (time.perf_counter() - start)
                    times: list[float] = []
                    threads = [threading.Thread(target=_post_many,
                                                args=(url, design, args.repeat, times))
                               for _ in range(args.clients)]
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join()
                    p50 = 1e3 * statistics.median(times)
                    p95 = 1e3 * _percentile(times, 0.95)
                    results[name] = {"first_ms": first_ms, "p50_ms": p50, "p95_ms": p95,
                                     "requests": len(times)}
        finally:
            process.terminate()
            process.wait(timeout=30)

    print(f"POST /api/project round trip on 127.0.0.1 ({args.clients} client(s), "
          f"{args.repeat} posts each; goal p95 <= {GOAL_P95_MS:g} ms)")
    print(f"{'example':<18}{'first ms':>10}{'p50 ms':>10}{'p95 ms':>10}{'p95/goal':>10}")
    for name, row in results.items():
        print(f"{name:<18}{row['first_ms']:>10.1f}{row['p50_ms']:>10.1f}{row['p95_ms']:>10.1f}"
              f"{row['p95_ms'] / GOAL_P95_MS:>10.2f}")
    worst = max(row["p95_ms"] for row in results.values())
    print(f"worst p95 {worst:.1f} ms: {'meets' if worst <= GOAL_P95_MS else 'misses'} the goal")
    return results


if __name__ == "__main__":
    main()
