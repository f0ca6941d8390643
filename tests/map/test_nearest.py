"""Nearest units: ranking by ETA per unit kind, stale fixes after fresh ones, 返回 units offered,
1/3/5-minute rings."""

from __future__ import annotations

from typing import Any

import pytest

from desk.domain.geo import LatLon, haversine_m
from desk.services.context import AppContext
from desk.services.nearest import NearestUnits, rank_nearest, ring_radii_m
from desk.store import Workspace


def test_rings_and_eta_agree() -> None:
    rings = ring_radii_m(36.0, 1.2)  # 10 m/s
    assert rings == pytest.approx((500.0, 1500.0, 2500.0))
    units = [{"id": "a", "call_sign": "A", "lat": 34.75, "lon": 113.65 + 0.0054, "fix_at": 100.0}]
    (u,) = rank_nearest(units, 34.75, 113.65, speed_kmh=36.0, road_factor=1.2, now=150.0)
    # A unit just inside the 1-minute ring arrives within a minute.
    assert u.distance_m < rings[0]
    assert u.eta_s == pytest.approx(u.distance_m * 1.2 / 10.0)
    assert u.eta_s < 60
    assert not u.stale


def test_rank_orders_by_distance_and_skips_units_without_position() -> None:
    units: list[dict[str, Any]] = [
        {"id": "far", "lat": 34.80, "lon": 113.70},
        {"id": "none", "lat": None, "lon": None},
        {"id": "near", "lat": 34.751, "lon": 113.651},
        {"id": "mid", "lat": 34.76, "lon": 113.66},
    ]
    got = rank_nearest(units, 34.75, 113.65, n=2)
    assert [u.unit_id for u in got] == ["near", "mid"]
    with pytest.raises(ValueError):
        rank_nearest(units, 34.75, 113.65, speed_kmh=0)


def test_service_offers_available_and_returning_units_by_eta(demo_workspace: Workspace) -> None:
    now = float(demo_workspace.db.execute("SELECT max(fix_at) FROM units").fetchone()[0])
    ctx = AppContext(workspace=demo_workspace, settings={"map.assumed_speed_kmh": 40.0},
                     clock=lambda: now)
    svc = ctx.service(NearestUnits)
    result = svc.find(34.7534, 113.6650, n=8)
    assert len(result.units) == 8
    ids = [u.unit_id for u in result.units]
    statuses = {r[0] for r in demo_workspace.db.execute(
        f"SELECT status FROM units WHERE id IN ({','.join('?' * len(ids))})", ids)}
    assert statuses <= {"available", "returning"}
    assert [u.status for u in result.units] == [
        demo_workspace.db["units"].get(u.unit_id)["status"] for u in result.units]
    # Fresh fixes first, each group by ETA at its kind's speed.
    keys = [(u.stale, u.eta_s) for u in result.units]
    assert keys == sorted(keys)
    for u in result.units:
        assert u.eta_s == pytest.approx(svc.eta_for(u.kind, u.distance_m))
    # Nothing dispatchable and fresh arrives sooner than the last fresh one returned.
    fresh = [u for u in result.units if not u.stale]
    assert fresh
    here = LatLon(34.7534, 113.6650)
    all_etas = sorted(svc.eta_for(k, haversine_m(here, LatLon(lat, lon)))
                      for k, lat, lon, fix_at in demo_workspace.db.execute(
                          "SELECT kind, lat, lon, fix_at FROM units WHERE status IN "
                          "('available', 'returning') AND lat IS NOT NULL")
                      if fix_at is not None and now - fix_at <= svc.stale_after_s)
    assert all_etas[:len(fresh)] == pytest.approx([u.eta_s for u in fresh])
    assert result.rings_m == pytest.approx(ring_radii_m(40.0, 1.3))


NOW = 10_000.0
# 400 m east of the target (34.75, 113.65), each a different kind, status or fix age.
_EAST_400M = 113.65 + 400 / (111_320 * 0.8213)

ETA_CASES = [
    # (kind, expected ETA in s for 400 m; reason)
    ("foot_post", 400 * 1.2 / (5 / 3.6), "步巡：5 km/h，街道系数 1.2"),
    ("motorcycle", 400 * 1.3 / (30 / 3.6), "铁骑：30 km/h，街道系数 1.3"),
    ("patrol_car", 400 * 1.3 / (25 / 3.6), "巡逻车：城区 25 km/h，街道系数 1.3"),
    ("drone", 400 * 1.0 / (50 / 3.6), "无人机：50 km/h，直线飞行"),
]


@pytest.mark.parametrize(("kind", "expected", "reason"), ETA_CASES, ids=[c[0] for c in ETA_CASES])
def test_eta_depends_on_unit_kind(workspace: Workspace, kind: str, expected: float, reason: str) -> None:
    with workspace.write("seed") as tx:
        tx.insert("units", {"id": "U", "call_sign": "U", "kind": kind, "status": "available",
                            "station_id": "S", "lat": 34.75, "lon": _EAST_400M, "fix_at": NOW})
    svc = AppContext(workspace=workspace, clock=lambda: NOW).service(NearestUnits)
    (u,) = svc.find(34.75, 113.65).units
    assert u.distance_m == pytest.approx(400, rel=0.01)
    assert u.eta_s == pytest.approx(expected, rel=0.01), reason


def test_speeds_are_settings(workspace: Workspace) -> None:
    with workspace.write("seed") as tx:
        tx.insert("units", {"id": "U", "call_sign": "U", "kind": "foot_post", "status": "available",
                            "station_id": "S", "lat": 34.75, "lon": _EAST_400M, "fix_at": NOW})
    ctx = AppContext(workspace=workspace, clock=lambda: NOW,
                     settings={"dispatch.speed_kmh.foot_post": 10.0,
                               "dispatch.road_factor.foot_post": 1.0})
    (u,) = ctx.service(NearestUnits).find(34.75, 113.65).units
    assert u.eta_s == pytest.approx(400 / (10 / 3.6), rel=0.01)


RANK_CASES = [
    # (units as (id, kind, status, metres east, fix age s), expected order; reason)
    ([("car", "patrol_car", "available", 800, 5), ("foot", "foot_post", "available", 300, 5)],
     ["car", "foot"], "800 m 巡逻车 (≈150 s) 先于 300 m 步巡 (≈259 s)：按到达时间，不按距离"),
    ([("stale", "motorcycle", "available", 100, 900), ("fresh", "motorcycle", "available", 2000, 5)],
     ["fresh", "stale"], "定位已 15 分钟的单元排在新鲜定位之后，哪怕更近"),
    ([("back", "motorcycle", "returning", 300, 5), ("free", "motorcycle", "available", 600, 5)],
     ["back", "free"], "返回途中的单元可改派，按到达时间参与排序"),
    ([("busy", "motorcycle", "on_scene", 50, 5), ("off", "motorcycle", "offline", 60, 5),
      ("sent", "patrol_car", "dispatched", 70, 5), ("free", "motorcycle", "available", 900, 5)],
     ["free"], "到场、离线、已派的单元不可派"),
]


@pytest.mark.parametrize(("rows", "expected", "reason"), RANK_CASES, ids=[c[2][:12] for c in RANK_CASES])
def test_ranking_cases(workspace: Workspace, rows: list[tuple[str, str, str, float, float]],
                       expected: list[str], reason: str) -> None:
    with workspace.write("seed") as tx:
        for uid, kind, status, east_m, age in rows:
            tx.insert("units", {"id": uid, "call_sign": uid, "kind": kind, "status": status,
                                "station_id": "S", "lat": 34.75,
                                "lon": 113.65 + east_m / (111_320 * 0.8213), "fix_at": NOW - age})
    got = AppContext(workspace=workspace, clock=lambda: NOW).service(NearestUnits).find(34.75, 113.65)
    assert [u.unit_id for u in got.units] == expected, reason
    for u in got.units:
        assert u.stale == (u.fix_age_s is not None and u.fix_age_s > 120), reason
