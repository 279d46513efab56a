"""``osmolab serve``: the workbench starts on loopback, answers, and refuses an open address
without a token (one error line, exit code 2)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import osmolab
from osmolab.cli import main

#: Longest wait for the server to answer /api/health [s] (imports take a few seconds)
START_TIMEOUT = 90.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "OSMOLAB_TOKEN"}
    source = str(Path(osmolab.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


def _serve(*args, **env):
    """Start ``osmolab serve ARGS`` and wait until /api/health answers; returns (process, url)."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "osmolab.cli", "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_environment(**env),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    headers = {"Authorization": f"Bearer {env['OSMOLAB_TOKEN']}"} if "OSMOLAB_TOKEN" in env else {}
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"osmolab serve exited with {process.returncode}: {err or out}")
        try:
            if httpx.get(f"{url}/api/health", headers=headers, timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    pytest.fail(f"osmolab serve did not answer within {START_TIMEOUT:g} s")


def _stop(process) -> tuple[str, str]:
    process.terminate()
    try:
        return process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()


def test_serve_on_loopback(tmp_path):
    database = tmp_path / "projects.sqlite"
    process, url = _serve("--database", str(database))
    try:
        health = httpx.get(f"{url}/api/health", timeout=10).json()
        assert health == {"status": "ok", "version": osmolab.__version__}
        answer = httpx.post(f"{url}/api/osmotic-pressure", timeout=30,
                            json={"composition": "seawater 35 g/kg", "temperature": 25})
        assert answer.status_code == 200
        assert answer.json()["osmotic_pressure_bar"] == pytest.approx(
            osmolab.osmotic_pressure("seawater 35 g/kg") / 1e5, rel=1e-12)
        bad = httpx.post(f"{url}/api/osmotic-pressure", json={"composition": "NaCll 1 mol/kg"})
        assert bad.status_code == 422 and "NaCl" in bad.json()["detail"]
    finally:
        out, _err = _stop(process)
    banner = out.strip().splitlines()[0]
    assert url.replace("http://", "") in banner and "no token" in banner
    assert str(database) in banner


def test_serve_json_with_a_token(tmp_path):
    process, url = _serve("--database", str(tmp_path / "p.sqlite"), "--json",
                          OSMOLAB_TOKEN="s3cret")
    try:
        assert httpx.get(f"{url}/api/health", timeout=10).status_code == 401
        ok = httpx.get(f"{url}/api/health", headers={"Authorization": "Bearer s3cret"}, timeout=10)
        assert ok.status_code == 200
    finally:
        out, _err = _stop(process)
    settings = json.loads(out[: out.rindex("}") + 1])
    assert settings["token_required"] is True and settings["url"] == f"{url}/"
    assert "s3cret" not in out


def test_open_address_without_token_is_refused(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("OSMOLAB_TOKEN", raising=False)
    code = main(["serve", "--host", "0.0.0.0", "--database", str(tmp_path / "p.sqlite")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("error:") and "--token" in err[0]


def test_database_folder_must_exist(capsys, tmp_path):
    code = main(["serve", "--database", str(tmp_path / "missing" / "p.sqlite")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "does not exist" in err[0]
