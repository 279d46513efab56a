"""The classroom's WebSocket: frames arrive and decode, the partition removal changes the
picture, pause stops the frames, the token and the particle cap are enforced, and the
simulation goes away with the connection."""

import json
import time

import numpy as np
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from osmolab.web import stream
from osmolab.web.app import create_app
from osmolab.web.security import Settings


def _client(tmp_path, **settings):
    url = f"sqlite:///{tmp_path / 'stream.sqlite'}"
    return TestClient(create_app(Settings(database_url=url, **settings)))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with _client(tmp_path_factory.mktemp("db"), max_particles=3000) as c:
        yield c


def _next(ws):
    """The next message: ('frame', dict) or ('json', dict)."""
    message = ws.receive()
    if message.get("bytes") is not None:
        return "frame", stream.decode_frame(message["bytes"])
    if message.get("text") is not None:
        return "json", json.loads(message["text"])
    raise WebSocketDisconnect(message.get("code", 1000))


def _until(ws, kind, limit=400):
    for _ in range(limit):
        got, data = _next(ws)
        if got == "json" and data["type"] == kind:
            return data
    raise AssertionError(f"no {kind!r} message in {limit} messages")


def _frames(ws, count):
    frames = []
    while len(frames) < count:
        got, data = _next(ws)
        if got == "frame":
            frames.append(data)
    return frames


def test_frame_encoding_round_trip():
    xy = np.array([[0.5, 1.5], [2.0, 3.25], [4.0, 0.0]])
    data = stream.encode_frame(7, 1.25, [3.0, np.nan], xy, [0, 1, 1])
    assert len(data) == 4 * (stream.FRAME_HEADER + 2 + 6) + 3
    frame = stream.decode_frame(data)
    assert frame["frame"] == 7 and frame["time"] == 1.25
    assert frame["walls"][0] == 3.0 and np.isnan(frame["walls"][1])
    np.testing.assert_array_equal(frame["xy"], xy.astype(np.float32))
    assert frame["species"].tolist() == [0, 1, 1]


def test_mixing_frames_and_partition_removal(client):
    with client.websocket_connect("/ws/classroom") as ws:
        ws.send_json({"type": "start", "scenario": "mixing", "particles": 600})
        setup = _until(ws, "setup")
        assert setup["particles"] == 600 and len(setup["box"]) == 2
        assert [s["name"] for s in setup["species"]] == ["A", "B"]
        lx, ly = setup["box"]
        first = _frames(ws, 10)
        for f in first:
            assert f["xy"].shape == (600, 2)
            assert np.all(f["xy"][:, 0] >= 0) and np.all(f["xy"][:, 0] <= lx)
        assert first[-1]["frame"] > first[0]["frame"]
        assert first[-1]["time"] > first[0]["time"]
        # with the partition in place, every A stays left of it
        last = first[-1]
        assert np.all(last["xy"][last["species"] == 0, 0] < lx / 2)
        assert last["walls"][0] == pytest.approx(lx / 2)
        ws.send_json({"type": "remove_partition"})
        crossed = 0.0
        for f in _frames(ws, 120):
            crossed = np.mean(f["xy"][f["species"] == 0, 0] > lx / 2)
            if crossed > 0.02 and np.isnan(f["walls"][0]):
                break
        assert crossed > 0.02, "no A particle crossed after the partition was removed"
        stats = _until(ws, "stats")
        assert stats["partition"] == "removed"
        assert stats["D_theory"] > 0 and 0 <= stats["degree_of_mixing"] <= 1


def test_pause_stops_the_frames_and_play_resumes(client):
    with client.websocket_connect("/ws/classroom") as ws:
        ws.send_json({"type": "start", "scenario": "mixing", "particles": 300})
        _until(ws, "setup")
        _frames(ws, 3)
        ws.send_json({"type": "pause"})
        ws.send_json({"type": "ping"})
        _until(ws, "pong")  # frames in flight may come before this
        time.sleep(0.4)
        ws.send_json({"type": "ping"})
        got, data = _next(ws)
        assert (got, data["type"]) == ("json", "pong"), "a frame arrived while paused"
        ws.send_json({"type": "play"})
        assert _frames(ws, 2)[1]["frame"] > data["frame"]


@pytest.mark.parametrize("scenario, key", [("osmosis", "osmotic_pressure_van_t_hoff"),
                                           ("reverse_osmosis", "osmotic_pressure_van_t_hoff"),
                                           ("sieving", "crossed_fraction")])
def test_other_scenarios_stream(client, scenario, key):
    with client.websocket_connect("/ws/classroom") as ws:
        ws.send_json({"type": "start", "scenario": scenario, "particles": 400,
                      "temperature": 1.2})
        setup = _until(ws, "setup")
        assert setup["scenario"] == scenario and setup["particles"] == 400
        assert any(w["name"] == "membrane" for w in setup["walls"])
        stats = _until(ws, "stats")
        assert key in stats
        if scenario == "sieving":
            # only water is smaller than the pores: nothing else ever crosses
            assert all(v == 0 for k, v in stats["crossed_fraction"].items() if k != "water")
        ws.send_json({"type": "set", "temperature": 0.8, "pressure_ratio": 0.5})
        assert _until(ws, "stats")["set_temperature"] == 0.8


def test_particle_cap_and_bad_messages(tmp_path):
    with _client(tmp_path, max_particles=500) as c, c.websocket_connect("/ws/classroom") as ws:
        ws.send_json({"type": "start", "scenario": "mixing", "particles": 2000})
        error = _until(ws, "error")
        assert "limit of 500" in error["detail"]
        ws.send_json({"type": "start", "scenario": "mixng", "particles": 100})
        assert "unknown scenario" in _until(ws, "error")["detail"]
        ws.send_json({"type": "remove_partition"})
        assert "start" in _until(ws, "error")["detail"]
        ws.send_json({"type": "start", "scenario": "mixing", "particles": 200, "temperature": "hot"})
        assert "temperature" in _until(ws, "error")["detail"]
        ws.send_json({"type": "fly"})
        assert "unknown message type" in _until(ws, "error")["detail"]


def test_token_is_enforced(tmp_path):
    with _client(tmp_path, token="s3cret") as c:
        with pytest.raises(WebSocketDisconnect) as refused, \
                c.websocket_connect("/ws/classroom") as ws:
            ws.receive_json()
        assert refused.value.code == 1008
        with c.websocket_connect("/ws/classroom?token=s3cret") as ws:
            ws.send_json({"type": "ping"})
            assert ws.receive_json()["type"] == "pong"


def test_simulation_ends_with_the_connection(client):
    before = stream._Session.active
    with client.websocket_connect("/ws/classroom") as ws:
        ws.send_json({"type": "start", "scenario": "mixing", "particles": 200})
        _frames(ws, 2)
        assert stream._Session.active == before + 1
    for _ in range(100):
        if stream._Session.active == before:
            break
        time.sleep(0.02)
    assert stream._Session.active == before
