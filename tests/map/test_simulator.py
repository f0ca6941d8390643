"""The demo simulator feed: exact move rate, units stay on roads, sensors report, thread runs."""

from __future__ import annotations

import itertools
import math
import threading

from desk.demo.basemap import load_basemap
from desk.domain.telemetry import SensorReading
from desk.feeds.base import FeedBatch
from desk.feeds.simulator import DemoSimulator, road_polylines
from desk.store import Workspace
from desk.store.telemetry import record_telemetry


def _dist_to_roads_m(lat: float, lon: float, roads: list[list[tuple[float, float]]]) -> float:
    best = math.inf
    k = math.cos(math.radians(lat)) * 111_320
    for road in roads:
        for (alat, alon), (blat, blon) in itertools.pairwise(road):
            ax, ay = (alon - lon) * k, (alat - lat) * 111_320
            bx, by = (blon - lon) * k, (blat - lat) * 111_320
            dx, dy = bx - ax, by - ay
            t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
            best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def test_moves_follow_roads_at_the_configured_rate(demo_workspace: Workspace) -> None:
    clock = [1_000_000.0]
    sim = DemoSimulator.from_workspace(demo_workspace, moves_per_s=2000, tick_s=0.25,
                                       clock=lambda: clock[0])
    roads = road_polylines(load_basemap())
    assert roads, "the demo basemap has roads"
    n_units = demo_workspace.count("units", "lat IS NOT NULL")
    total = 0
    seen: set[str] = set()
    last: dict[str, tuple[float, float]] = {}
    for _ in range(8):  # two simulated seconds
        clock[0] += 0.25
        batch = sim.step()
        total += len(batch.fixes)
        for f in batch.fixes:
            seen.add(f.unit_id)
            last[f.unit_id] = (f.lat, f.lon)
            assert 0 <= (f.heading or 0) < 360
    assert total == 4000  # 2,000 moves per second, exactly
    assert len(seen) == n_units
    sample = list(last.values())[:: max(1, len(last) // 40)]
    assert max(_dist_to_roads_m(lat, lon, roads) for lat, lon in sample) < 2.0


def test_units_actually_travel(demo_workspace: Workspace) -> None:
    clock = [1_000_000.0]
    sim = DemoSimulator.from_workspace(demo_workspace, tick_s=1.0, clock=lambda: clock[0])
    first = {f.unit_id: (f.lat, f.lon) for f in (clock.__setitem__(0, clock[0] + 1) or sim.step()).fixes}
    for _ in range(10):
        clock[0] += 1.0
        batch = sim.step()
    moved = [f for f in batch.fixes if (f.lat, f.lon) != first[f.unit_id]]
    assert len(moved) > 0.9 * len(batch.fixes)


def test_sensors_report_and_fixes_are_storable(demo_workspace: Workspace) -> None:
    clock = [demo_workspace.db.execute("SELECT max(fix_at) FROM units").fetchone()[0] or 1e9]
    sim = DemoSimulator.from_workspace(demo_workspace, moves_per_s=500, readings_per_s=8,
                                       tick_s=0.5, clock=lambda: clock[0])
    readings: list[SensorReading] = []
    for _ in range(4):
        clock[0] += 0.5
        batch = sim.step()
        readings += batch.readings
        result = record_telemetry(demo_workspace, batch.fixes, batch.readings, now=clock[0])
        assert not result.rejected
    assert len(readings) == 16
    assert all(r.depth_cm is not None and r.depth_cm >= 0 for r in readings)
    assert demo_workspace.count("sensor_readings") == 16


def test_without_roads_units_wander_and_thread_feeds_a_sink() -> None:
    sim = DemoSimulator([("u1", 34.75, 113.65), ("u2", 34.76, 113.66)], roads=[],
                        moves_per_s=40, tick_s=0.05)
    got: list[FeedBatch] = []
    done = threading.Event()

    def sink(batch: FeedBatch) -> None:
        got.append(batch)
        if sum(len(b.fixes) for b in got) >= 6:
            done.set()

    sim.start(sink)
    try:
        assert done.wait(10)
    finally:
        sim.stop()
    assert {f.unit_id for b in got for f in b.fixes} == {"u1", "u2"}


def test_can_start_from_a_workspace_file(demo_workspace: Workspace) -> None:
    # How the app starts it: DemoSimulator(ui.workspace.path).
    sim = DemoSimulator(demo_workspace.path, moves_per_s=100, tick_s=1.0)
    batch = sim.step()
    assert len(batch.fixes) == 100
    known = {r[0] for r in demo_workspace.db.execute("SELECT id FROM units")}
    assert {f.unit_id for f in batch.fixes} <= known
