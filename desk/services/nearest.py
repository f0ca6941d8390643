"""Nearest available units (最近警力) to a point, with distance, estimated time and 1/3/5-minute rings.

Estimated times use an assumed average speed and a road factor (streets are longer than the
straight line). The rings use the same two numbers, so a unit inside the 3-minute ring always has
an estimate of at most 3 minutes. Both are settings (``map.assumed_speed_kmh``,
``map.road_factor``) because they differ between a city centre at rush hour and a night shift.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from desk.domain.geo import LatLon, haversine_m
from desk.domain.units import DEFAULT_STALE_AFTER_S, UnitStatus
from desk.services.context import AppContext

#: Average urban response speed with lights and siren (default; configurable).
DEFAULT_SPEED_KMH = 30.0
#: Street distance over straight-line distance in a grid city (default; configurable).
DEFAULT_ROAD_FACTOR = 1.3
#: "1、3、5 分钟快反": respond, support, reinforce.
RING_MINUTES = (1, 3, 5)


@dataclass(frozen=True, slots=True)
class NearestUnit:
    unit_id: str
    call_sign: str
    kind: str
    lat: float
    lon: float
    distance_m: float  # straight line
    eta_s: float  # at the assumed speed, times the road factor
    stale: bool  # its last fix is older than the stale threshold


@dataclass(frozen=True, slots=True)
class NearestResult:
    lat: float
    lon: float
    units: tuple[NearestUnit, ...]
    rings_m: tuple[float, ...]  # straight-line radius reachable in 1, 3 and 5 minutes
    speed_kmh: float


def ring_radii_m(speed_kmh: float, road_factor: float, minutes: Iterable[int] = RING_MINUTES) -> tuple[float, ...]:
    """Straight-line distance reachable in each number of minutes."""
    mps = speed_kmh / 3.6
    return tuple(mps * 60.0 * m / road_factor for m in minutes)


def rank_nearest(
    units: Iterable[dict[str, Any]],
    lat: float,
    lon: float,
    *,
    n: int = 5,
    speed_kmh: float = DEFAULT_SPEED_KMH,
    road_factor: float = DEFAULT_ROAD_FACTOR,
    now: float | None = None,
    stale_after_s: float = DEFAULT_STALE_AFTER_S,
) -> list[NearestUnit]:
    """The ``n`` closest of ``units`` (rows with id, call_sign, kind, lat, lon, fix_at)."""
    if speed_kmh <= 0 or road_factor <= 0:
        raise ValueError("速度和道路系数必须大于 0")
    here = LatLon(lat, lon)
    mps = speed_kmh / 3.6
    scored = []
    for row in units:
        if row.get("lat") is None or row.get("lon") is None:
            continue
        d = haversine_m(here, LatLon(float(row["lat"]), float(row["lon"])))
        scored.append((d, row))
    out = []
    for d, row in heapq.nsmallest(n, scored, key=lambda t: t[0]):
        fix_at = row.get("fix_at")
        stale = now is not None and (fix_at is None or now - float(fix_at) > stale_after_s)
        out.append(NearestUnit(
            unit_id=str(row["id"]), call_sign=str(row.get("call_sign") or row["id"]),
            kind=str(row.get("kind") or ""), lat=float(row["lat"]), lon=float(row["lon"]),
            distance_m=d, eta_s=d * road_factor / mps, stale=stale,
        ))
    return out


class NearestUnits:
    """Service: ``ctx.service(NearestUnits).find(lat, lon)``. Only units in state 在岗 count as
    available; units without a position are skipped."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @property
    def speed_kmh(self) -> float:
        return float(self.ctx.settings.get("map.assumed_speed_kmh", DEFAULT_SPEED_KMH))

    @property
    def road_factor(self) -> float:
        return float(self.ctx.settings.get("map.road_factor", DEFAULT_ROAD_FACTOR))

    def find(self, lat: float, lon: float, n: int = 5) -> NearestResult:
        rows = self.ctx.workspace.db.execute(
            "SELECT id, call_sign, kind, lat, lon, fix_at FROM units "
            "WHERE status = ? AND lat IS NOT NULL AND lon IS NOT NULL",
            [UnitStatus.AVAILABLE.value],
        ).fetchall()
        dicts = [dict(zip(("id", "call_sign", "kind", "lat", "lon", "fix_at"), r, strict=True)) for r in rows]
        stale_after = float(self.ctx.settings.get("map.stale_after_s", DEFAULT_STALE_AFTER_S))
        units = rank_nearest(dicts, lat, lon, n=n, speed_kmh=self.speed_kmh, road_factor=self.road_factor,
                             now=self.ctx.clock(), stale_after_s=stale_after)
        return NearestResult(lat, lon, tuple(units), ring_radii_m(self.speed_kmh, self.road_factor),
                             self.speed_kmh)
