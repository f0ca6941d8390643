"""Drill test fixtures: a small base city holding every id the sample scenarios refer to, and a
fake monotonic time source so clock tests are deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.paths import resources_dir
from desk.store import Workspace

SCENARIOS = resources_dir() / "scenarios"


class FakeTime:
    """A monotonic time source the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def build_small_city(path: Path) -> Path:
    """A base workspace with the water points, units and cameras the samples name (same id
    formats as desk.demo.city: WP-001, U-0001, CAM-00001)."""
    with Workspace.open(path) as ws:
        with ws.write(actor="test") as tx:
            tx.insert_many("water_points", [
                {"id": f"WP-{i:03d}", "name": f"测试隧道{i}", "kind": "tunnel", "road": "京广路",
                 "district": "二七区", "lat": 34.75 + i / 1000, "lon": 113.65, "caution_cm": 10,
                 "warning_cm": 15, "close_cm": 25} for i in range(1, 6)])
            tx.insert_many("units", [
                {"id": f"U-{i:04d}", "call_sign": f"二七{i}", "kind": "patrol_car",
                 "status": "available", "station_id": "S1", "device_id": f"D{i}", "lat": 34.75,
                 "lon": 113.66, "heading": 0.0, "speed_kmh": 0.0, "fix_at": None, "online": 1}
                for i in range(1, 5)])
            tx.insert_many("cameras", [
                {"id": f"CAM-{i:05d}", "name": f"二七路{i}", "road": "二七路", "district": "二七区",
                 "lat": 34.752, "lon": 113.668, "online": 1, "stream_url": ""}
                for i in (1, 2, 369)])
        ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def base_city(tmp_path: Path) -> Path:
    return build_small_city(tmp_path / "live.sqlite")
