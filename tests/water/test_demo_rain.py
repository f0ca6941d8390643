"""The demo rain event: plausible order of crossings, some places flooded and most not, gauges
climbing to an internal assessment (never a declared signal), and the Feed the runtime runs."""

from __future__ import annotations

import threading

import pytest

from desk.demo.rain import RainDemoFeed, RainEvent, RainPoint, demo_call_list, points_from_rows
from desk.domain.rainstorm import SignalLevel
from desk.domain.water import ROAD_DEFAULT, TUNNEL_DEFAULT, WaterPointKind
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


def test_tunnels_cross_first_and_gauges_give_an_internal_assessment(workspace: Workspace) -> None:
    add_points(workspace)
    clock = [T0]
    ctx = AppContext(workspace=workspace, clock=lambda: clock[0])
    water = ctx.service(WaterService)
    event = RainEvent(_points(workspace), seed=3)
    assert event.gauges
    first_caution: dict[str, float] = {}
    for k in range(150):
        elapsed = k * 2.0
        clock[0] = T0 + elapsed
        batch = event.batch_at(elapsed, clock[0])
        res = record_telemetry(workspace, readings=batch.readings, now=clock[0])
        assert not res.rejected
        water.on_readings(res.accepted_readings, clock[0])
        for st in water.statuses():
            if st.state is not WaterState.NORMAL:
                first_caution.setdefault(st.point.id, elapsed)
    tunnels = [t for p, t in first_caution.items() if p.startswith("wp-t")]
    others = [t for p, t in first_caution.items() if not p.startswith("wp-t")]
    assert tunnels and min(tunnels) <= min(others, default=1e9)
    rain = ctx.service(RainstormService)
    rain.evaluate_gauges(clock[0])
    assessed = rain.assessments()
    assert assessed and max(lv.rank for lv in assessed.values()) >= SignalLevel.ORANGE.rank
    assert rain.in_force() == []  # the demo never declares a signal


def _synthetic_city(n_roads: int, n_tunnels: int) -> list[RainPoint]:
    pts = [RainPoint(f"r{i:03d}", WaterPointKind.ROAD, f"区{i % 8}", ROAD_DEFAULT)
           for i in range(n_roads)]
    pts += [RainPoint(f"t{i:02d}", WaterPointKind.TUNNEL, f"区{i % 8}", TUNNEL_DEFAULT)
            for i in range(n_tunnels)]
    return pts


def test_depth_model_is_monotonic_and_floods_some_places_not_all() -> None:
    pts = _synthetic_city(300, 40)
    event = RainEvent(pts, seed=1)
    final: dict[str, WaterState] = {}
    for p in pts:
        depths = [event.depth_at(p.id, t) for t in range(0, 1200, 10)]
        assert depths == sorted(depths)
        assert depths[-1] == pytest.approx(event.peak(p.id))
        final[p.id] = water_state(depths[-1], p.thresholds)
    roads = [s for pid, s in final.items() if pid.startswith("r")]
    tunnels = [s for pid, s in final.items() if pid.startswith("t")]
    share = sum(s is not WaterState.NORMAL for s in roads) / len(roads)
    assert 0.1 < share < 0.45  # most roads stay below caution
    assert any(s is WaterState.CLOSED for s in roads)
    assert sum(s is WaterState.CLOSED for s in tunnels) / len(tunnels) > 0.3


def test_demo_does_not_bury_the_inbox_in_trivial_alerts(workspace: Workspace) -> None:
    """Issue 17: the rain demo raised 746 alerts, mostly fast-rise alerts at a few cm."""
    pts = _synthetic_city(120, 12)
    with workspace.write("test") as tx:
        tx.insert_many("water_points", [
            {"id": p.id, "name": p.id, "kind": p.kind.value, "road": "", "district": p.district,
             "lat": 34.7, "lon": 113.6, "caution_cm": p.thresholds.caution_cm,
             "warning_cm": p.thresholds.warning_cm, "close_cm": p.thresholds.close_cm}
            for p in pts])
    clock = [T0]
    ctx = AppContext(workspace=workspace, clock=lambda: clock[0])
    ctx.settings["water.auto_evaluate"] = False
    water = ctx.service(WaterService)
    event = RainEvent(pts, seed=5)
    for k in range(60):
        elapsed = k * 10.0
        clock[0] = T0 + elapsed
        res = record_telemetry(workspace, readings=event.batch_at(elapsed, clock[0]).readings,
                               now=clock[0])
        water.on_readings(res.accepted_readings, clock[0])
    from desk.services.alerts import AlertService

    open_alerts = ctx.service(AlertService).open_alerts()
    # No alert for a point whose water stayed at a few centimetres (below the rise rule's
    # minimum depth), and fewer rows than points: folded per point, not one per reading.
    by_id = {p.id: p for p in pts}
    for a in open_alerts:
        p = by_id[a.place]
        # the demo's sensor noise is ±0.8 cm around the point's peak
        assert event.peak(p.id) + 0.8 >= water.rise_rules.min_depth(p.thresholds), a.message
    assert len(open_alerts) < len(pts)
    assert len({(a.kind, a.place) for a in open_alerts}) == len(open_alerts)


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
    assert water.seed_call_lists(people, "demo") == 15
    assert water.seed_call_lists(people, "demo") == 0
    assert [p.role for p in water.responsible_people("wp-t1")] == ["责任人", "副责任人", "值班领导"]
    tunnel = demo_call_list("wp-t1", 0, "tunnel")
    assert [p["role"] for p in tunnel] == ["隧道责任人", "副责任人", "值班领导"]


def test_make_rain_demo_is_a_feed_named_for_the_runtime(workspace: Workspace) -> None:
    from desk.demo.rain import make_rain_demo

    ctx = AppContext(workspace=workspace)
    assert make_rain_demo(ctx) is None  # no points: nothing to play
    add_points(workspace)
    feed = make_rain_demo(ctx)
    assert feed is not None and feed.name == "demo.rain"
    assert all(ctx.service(WaterService).responsible_people(p) for p in ("wp-t1", "wp-g1"))
