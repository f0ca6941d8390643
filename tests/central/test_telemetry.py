"""Telemetry ingest (batched JSON and the OsmAnd protocol) and the live stream feed."""

from __future__ import annotations

import math
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from desk.central.testing import CentralProcess
from desk.feeds.base import FeedBatch
from desk.feeds.central_stream import CentralStreamFeed
from tests.central.conftest import Central


@pytest.fixture(scope="module", autouse=True)
def fleet(central: Central) -> None:
    ops = [{"op_id": uuid.uuid4().hex, "entity": "units", "entity_id": f"U-t{i}", "op": "insert",
            "patch": {"call_sign": f"铁骑T{i}", "status": "available", "station_id": "S1",
                      "device_id": f"DEV{i}"},
            "base_rev": 0, "hlc": "0001700000000000.0000000001.t"} for i in range(3)]
    ops.append({"op_id": uuid.uuid4().hex, "entity": "water_points", "entity_id": "W-t",
                "op": "insert", "patch": {"name": "积水点T"}, "base_rev": 0,
                "hlc": "0001700000000000.0000000001.t"})
    with central.client("dispatcher") as c:
        c.post("/ops", json={"origin": "t", "ops": ops}).raise_for_status()


def iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stats(central: Central) -> dict:
    with central.client("admin") as c:
        return dict(c.get("/telemetry/stats").json())


def test_batched_telemetry_counts_bad_fixes_and_stores_good(central: Central) -> None:
    before = stats(central)
    now = time.time()
    body = {
        "fixes": [
            {"unit_id": "U-t0", "lat": 34.75, "lon": 113.62, "at": now, "speed_kmh": 30},
            {"unit_id": "U-t1", "lat": 34.76, "lon": 113.63, "at": now - 5},
            {"unit_id": "U-t0", "lat": 95.0, "lon": 113.0, "at": now},
            {"unit_id": "U-t0", "lat": 34.7, "lon": 113.6, "at": now + 3600},
            {"unit_id": "nobody", "lat": 34.7, "lon": 113.6, "at": now},
            {"unit_id": "U-t2", "lat": 34.7, "lon": 113.6, "at": now, "accuracy_m": 900},
        ],
        "readings": [{"point_id": "W-t", "at": now, "depth_cm": 12.5},
                     {"point_id": "W-t", "at": now, "depth_cm": -3},
                     {"point_id": "W-none", "at": now, "depth_cm": 3}],
    }
    with central.client("device") as c:
        r = c.post("/telemetry", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["stored_fixes"] == 2 and out["stored_readings"] == 1
    assert out["rejected"] == {"out_of_range": 1, "future_time": 1, "unknown_device": 1,
                               "poor_accuracy": 1, "negative_depth": 1, "unknown_point": 1}
    after = stats(central)
    assert after["positions"] - before["positions"] == 2
    assert after["readings"] - before["readings"] == 1


def test_nan_in_json_is_rejected_not_stored(central: Central) -> None:
    before = stats(central)
    body = (f'{{"fixes": [{{"unit_id": "U-t0", "lat": NaN, "lon": 113.6, "at": {time.time():f}}}]}}')
    with central.client("device") as c:
        r = c.post("/telemetry", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code in (200, 422)
    if r.status_code == 200:
        assert r.json()["rejected"] == {"not_finite": 1}
    assert stats(central)["positions"] == before["positions"]


def test_osmand_protocol_maps_device_to_unit(central: Central) -> None:
    before = stats(central)
    token = central.tokens["device"]
    now = int(time.time())
    r = httpx.get(central.url + "/osmand", params={
        "id": "DEV1", "lat": "34.7612", "lon": "113.6501", "timestamp": str(now),
        "speed": "10", "bearing": "90", "accuracy": "8", "token": token})
    assert r.status_code == 200, r.text
    # Milliseconds and ISO times, form-encoded POST, as trackers send them.
    r = httpx.post(central.url + "/osmand", data={
        "id": "DEV2", "lat": "34.7", "lon": "113.6", "timestamp": str(now * 1000)},
        headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    r = httpx.post(central.url + "/osmand", headers={"Authorization": f"Bearer {token}"}, json={
        "device_id": "DEV0", "location": {"timestamp": iso(now - 3600),
                                          "coords": {"latitude": 34.7, "longitude": 113.6,
                                                     "speed": 5.0, "heading": 12}}})
    assert r.status_code == 200, r.text
    assert stats(central)["positions"] == before["positions"] + 3
    bad = [
        {"id": "UNKNOWN", "lat": "34.7", "lon": "113.6"},
        {"id": "DEV1", "lat": "nan", "lon": "113.6"},
        {"id": "DEV1", "lat": "34.7", "lon": "200"},
        {"id": "DEV1", "lat": "34.7", "lon": "113.6", "timestamp": str(now + 86400)},
        {"id": "DEV1", "lat": "34.7"},
        {"lat": "34.7", "lon": "113.6"},
        {"id": "DEV1", "lat": "34.7", "lon": "113.6", "timestamp": "yesterday"},
    ]
    reasons = []
    for params in bad:
        r = httpx.get(central.url + "/osmand", params={**params, "token": token})
        # An unknown device is "not found"; everything else a known one sends wrong is 400.
        assert r.status_code == (404 if params.get("id") == "UNKNOWN" else 400), (params, r.text)
        reasons.append(r.json()["error"])
    assert reasons == ["unknown_device", "not_finite", "out_of_range", "future_time",
                       "missing_position", "missing_id", "bad_time"]
    after = stats(central)
    assert after["positions"] == before["positions"] + 3
    assert after["rejected"]["unknown_device"] >= 1 and after["rejected"]["missing_id"] >= 1


def test_stream_feed_receives_positions_readings_and_alerts(central: Central) -> None:
    got: list[FeedBatch] = []
    arrived = threading.Event()

    def sink(batch: FeedBatch) -> None:
        got.append(batch)
        if any(e.kind == "alert" for e in batch.events):
            arrived.set()

    feed = CentralStreamFeed(central.url, central.tokens["dispatcher"])
    feed.start(sink)
    try:
        deadline = time.monotonic() + 10
        while not feed.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert feed.connected
        time.sleep(0.2)  # the subscription is registered once the first bytes went out
        now = time.time()
        with central.client("device") as c:
            c.post("/telemetry", json={
                "fixes": [{"unit_id": "U-t2", "lat": 34.8, "lon": 113.7, "at": now,
                           "heading": 45.0, "speed_kmh": 20.0},
                          {"unit_id": "U-t2", "lat": math.pi, "lon": 500, "at": now}],
                "readings": [{"point_id": "W-t", "at": now, "depth_cm": 20.0, "rain_mm": 1.5}],
            }).raise_for_status()
        with central.client("dispatcher") as c:
            c.post("/alerts", json={"message": "金水路积水超警戒", "level": "critical",
                                    "lat": 34.77, "lon": 113.68}).raise_for_status()
        assert arrived.wait(10)
    finally:
        feed.stop()
    fixes = [f for b in got for f in b.fixes]
    readings = [r for b in got for r in b.readings]
    alerts = [e for b in got for e in b.events if e.kind == "alert"]
    assert [(f.unit_id, f.lat, f.lon, f.heading) for f in fixes] == [("U-t2", 34.8, 113.7, 45.0)]
    assert readings[0].point_id == "W-t" and readings[0].rain_mm == 1.5
    assert alerts[0].data["message"] == "金水路积水超警戒"
    assert not feed.connected


def test_stream_feed_reconnects_after_central_restart(tmp_path: Path) -> None:
    proc = CentralProcess(tmp_path / "c.sqlite", heartbeat=0.3)
    token = proc.add_user("d", "dispatcher")
    admin = proc.add_user("a", "admin")
    proc.start()
    got: list[FeedBatch] = []
    feed = CentralStreamFeed(proc.url, token, read_timeout=3.0)
    try:
        feed.start(got.append)
        _wait(lambda: feed.connected)
        proc.kill()
        _wait(lambda: not feed.connected)
        proc.start()
        _wait(lambda: feed.connected)
        time.sleep(0.2)
        httpx.post(proc.url + "/alerts", json={"message": "重连后告警"},
                   headers={"Authorization": f"Bearer {admin}"}).raise_for_status()
        _wait(lambda: any(e.kind == "alert" for b in got for e in b.events))
    finally:
        feed.stop()
        proc.stop()


def _wait(cond, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
