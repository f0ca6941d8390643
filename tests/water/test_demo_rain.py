"""The demo rain event: plausible order of crossings, gauges climbing, a signal raised."""

from __future__ import annotations

import threading

from desk.demo.rain import RainDemoFeed, RainEvent, demo_call_list, points_from_rows
from desk.domain.rainstorm import SignalLevel
from desk.domain.waterlevel import WaterState, water_state
from desk.services.context import AppContext
from desk.services.rainstorm import RainstormService
from desk.services.water import WaterService
from desk.store import Workspace
from desk.store.telemetry import record_telemetry
from tests.water.fixtures import add_points

T0 = 1_750_000_000.0


def _points(ws: Workspace):  # type: ignore[no-untyped-def]
    rows = ws.db.execute("SELECT id, kind, district, caution_cm, warning_cm, close_cm "
                         "FROM water_points").fetchall()
    return points_from_rows(rows)


def test_tunnels_cross_before_roads_and_signal_is_raised(workspace: Workspace) -> None:
    add_points(workspace)
    clock = [T0]
    ctx = AppContext(workspace=workspace, clock=lambda: clock[0])
    ctx.service(WaterService)
    event = RainEvent(_points(workspace), seed=3)
    assert event.gauges
    first_caution: dict[str, float] = {}
    for k in range(150):
        elapsed = k * 2.0
        clock[0] = T0 + elapsed
        batch = event.batch_at(elapsed, clock[0])
        res = record_telemetry(workspace, readings=batch.readings, now=clock[0])
        assert not res.rejected
        for st in ctx.service(WaterService).statuses():
            if st.state is not WaterState.NORMAL:
                first_caution.setdefault(st.point.id, elapsed)
    tunnels = [first_caution["wp-t1"], first_caution["wp-t2"]]
    roads = [first_caution["wp-r1"], first_caution["wp-r2"]]
    assert max(tunnels) <= min(roads) + 20  # tunnels lead (allowing one low road point)
    assert min(tunnels) < min(roads)
    cur = ctx.service(RainstormService).current()
    assert cur is not None and cur.level.rank >= SignalLevel.ORANGE.rank


def test_depth_model_is_monotonic_and_reaches_close(workspace: Workspace) -> None:
    add_points(workspace)
    pts = _points(workspace)
    event = RainEvent(pts, seed=1)
    for p in pts:
        depths = [event.depth_at(p.id, t) for t in range(0, 400, 5)]
        assert depths == sorted(depths)
        assert water_state(depths[-1], p.thresholds) is WaterState.CLOSED


def test_feed_thread_delivers_and_stops(workspace: Workspace) -> None:
    add_points(workspace)
    got: list[object] = []
    done = threading.Event()

    def sink(batch: object) -> None:
        got.append(batch)
        if len(got) >= 2:
            done.set()

    feed = RainDemoFeed(_points(workspace), tick_s=0.01)
    feed.start(sink)
    assert done.wait(5)
    feed.stop()
    n = len(got)
    assert n >= 2
    assert feed._thread is None


def test_demo_call_lists_seeded_once(workspace: Workspace) -> None:
    add_points(workspace)
    water = AppContext(workspace=workspace).service(WaterService)
    people = [p for pid in water.points() for p in demo_call_list(pid, 0)]
    assert water.seed_call_lists(people, "demo") == 10
    assert water.seed_call_lists(people, "demo") == 0
    assert [p.role for p in water.responsible_people("wp-t1")] == ["责任人", "副责任人"]
