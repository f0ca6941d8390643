"""Nearest available units: ranking, ETA at the assumed speed, 1/3/5-minute rings."""

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


def test_service_counts_only_available_units(demo_workspace: Workspace) -> None:
    ctx = AppContext(workspace=demo_workspace, settings={"map.assumed_speed_kmh": 40.0})
    svc = ctx.service(NearestUnits)
    result = svc.find(34.7534, 113.6650, n=5)
    assert len(result.units) == 5
    ids = [u.unit_id for u in result.units]
    statuses = {r[0] for r in demo_workspace.db.execute(
        f"SELECT status FROM units WHERE id IN ({','.join('?' * len(ids))})", ids)}
    assert statuses == {"available"}
    dists = [u.distance_m for u in result.units]
    assert dists == sorted(dists)
    # Nothing available is closer than the fifth one returned.
    here = LatLon(34.7534, 113.6650)
    all_avail = [haversine_m(here, LatLon(lat, lon)) for lat, lon in demo_workspace.db.execute(
        "SELECT lat, lon FROM units WHERE status = 'available' AND lat IS NOT NULL")]
    assert sorted(all_avail)[:5] == pytest.approx(dists)
    assert result.rings_m == pytest.approx(ring_radii_m(40.0, 1.3))
