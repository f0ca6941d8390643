"""Nearest units (最近警力) to a point: who can be sent (空闲/待命 and 返回 units), how far, and an
estimated time that depends on what the unit is (on foot, 铁骑, patrol car, drone) and on how old
its position is.

- ETA = straight-line distance × the kind's road factor ÷ the kind's speed. Speeds and road
  factors are settings (``dispatch.speed_kmh.<kind>``, ``dispatch.road_factor.<kind>``) because
  a city centre at rush hour is not a night shift; a drone flies straight (factor 1).
- A unit whose last fix is stale (``desk.domain.units.fix_is_stale``, the one definition) may be
  anywhere: it ranks after every fresh unit and is marked with the fix's age.
- Units returning from a job (返回) are offered: they can be re-tasked (the dispatch state machine
  allows 返回 → 已派).
- The 1/3/5-minute rings (``map.assumed_speed_kmh``, ``map.road_factor``) are a planning aid
  drawn around a point; the pre-planned 快反圈 around key places live in
  ``desk.services.quick_response``.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desk.domain.geo import LatLon, haversine_m
from desk.domain.units import DEFAULT_STALE_AFTER_S, UnitKind, UnitStatus, fix_is_stale
from desk.services.context import AppContext

#: Average urban response speed with lights and siren, for the rings (default; configurable).
DEFAULT_SPEED_KMH = 30.0
#: Street distance over straight-line distance in a grid city (default; configurable).
DEFAULT_ROAD_FACTOR = 1.3
#: "1、3、5 分钟快反": respond, support, reinforce.
RING_MINUTES = (1, 3, 5)

#: Response speed per unit kind (km/h), defaults for a city centre: a walking officer hurrying,
#: 铁骑 filtering through traffic, a patrol car in traffic with lights, a multirotor drone at
#: cruise. Each is overridden by ``dispatch.speed_kmh.<kind>``.
DEFAULT_KIND_SPEED_KMH: dict[str, float] = {
    UnitKind.FOOT_POST.value: 5.0,
    UnitKind.MOTORCYCLE.value: 30.0,
    UnitKind.PATROL_CAR.value: 25.0,
    UnitKind.DRONE.value: 50.0,
}
#: Street distance over straight line per kind; a drone flies straight.
DEFAULT_KIND_ROAD_FACTOR: dict[str, float] = {
    UnitKind.FOOT_POST.value: 1.2,
    UnitKind.MOTORCYCLE.value: 1.3,
    UnitKind.PATROL_CAR.value: 1.3,
    UnitKind.DRONE.value: 1.0,
}
#: States a unit can be sent from (空闲/待命, and 返回 — it can be re-tasked on the way back).
DISPATCHABLE = (UnitStatus.AVAILABLE.value, UnitStatus.RETURNING.value)


@dataclass(frozen=True, slots=True)
class NearestUnit:
    unit_id: str
    call_sign: str
    kind: str
    lat: float
    lon: float
    distance_m: float  # straight line
    eta_s: float  # at the kind's speed, times its road factor
    stale: bool  # its last fix is older than the stale threshold (ranked after fresh units)
    status: str = UnitStatus.AVAILABLE.value
    fix_age_s: float | None = None  # seconds since the last fix; None without a time

    @property
    def returning(self) -> bool:
        return self.status == UnitStatus.RETURNING.value


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


def eta_s(distance_m: float, speed_kmh: float, road_factor: float) -> float:
    """Seconds to cover ``distance_m`` (straight line) at ``speed_kmh`` on streets."""
    if speed_kmh <= 0 or road_factor <= 0:
        raise ValueError("速度和道路系数必须大于 0")
    return distance_m * road_factor / (speed_kmh / 3.6)


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
    kind_speeds: Mapping[str, float] | None = None,
    kind_road_factors: Mapping[str, float] | None = None,
) -> list[NearestUnit]:
    """The ``n`` best of ``units`` (rows with id, call_sign, kind, lat, lon, fix_at, status):
    fresh fixes first, each group by ETA. A kind missing from ``kind_speeds`` /
    ``kind_road_factors`` uses ``speed_kmh`` / ``road_factor``."""
    if speed_kmh <= 0 or road_factor <= 0:
        raise ValueError("速度和道路系数必须大于 0")
    speeds = dict(kind_speeds or {})
    factors = dict(kind_road_factors or {})
    for v in (*speeds.values(), *factors.values()):
        if v <= 0:
            raise ValueError("速度和道路系数必须大于 0")
    here = LatLon(lat, lon)
    scored: list[tuple[bool, float, float, dict[str, Any]]] = []
    for row in units:
        if row.get("lat") is None or row.get("lon") is None:
            continue
        d = haversine_m(here, LatLon(float(row["lat"]), float(row["lon"])))
        kind = str(row.get("kind") or "")
        t = eta_s(d, speeds.get(kind, speed_kmh), factors.get(kind, road_factor))
        fix_at = row.get("fix_at")
        stale = now is not None and fix_is_stale(None if fix_at is None else float(fix_at), now,
                                                 stale_after_s)
        scored.append((stale, t, d, row))
    out = []
    for stale, t, d, row in heapq.nsmallest(n, scored, key=lambda s: (s[0], s[1])):
        fix_at = row.get("fix_at")
        out.append(NearestUnit(
            unit_id=str(row["id"]), call_sign=str(row.get("call_sign") or row["id"]),
            kind=str(row.get("kind") or ""), lat=float(row["lat"]), lon=float(row["lon"]),
            distance_m=d, eta_s=t, stale=stale,
            status=str(row.get("status") or UnitStatus.AVAILABLE.value),
            fix_age_s=None if (now is None or fix_at is None) else max(0.0, now - float(fix_at)),
        ))
    return out


class NearestUnits:
    """Service: ``ctx.service(NearestUnits).find(lat, lon)``. Units 空闲/待命 or 返回 with a
    position count; units without a position are skipped."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @property
    def speed_kmh(self) -> float:
        return float(self.ctx.settings.get("map.assumed_speed_kmh", DEFAULT_SPEED_KMH))

    @property
    def road_factor(self) -> float:
        return float(self.ctx.settings.get("map.road_factor", DEFAULT_ROAD_FACTOR))

    @property
    def stale_after_s(self) -> float:
        return float(self.ctx.settings.get("map.stale_after_s", DEFAULT_STALE_AFTER_S))

    def kind_speeds(self) -> dict[str, float]:
        """km/h per unit kind: the settings' ``dispatch.speed_kmh.<kind>`` over the defaults."""
        return {k: float(self.ctx.settings.get(f"dispatch.speed_kmh.{k}", v))
                for k, v in DEFAULT_KIND_SPEED_KMH.items()}

    def kind_road_factors(self) -> dict[str, float]:
        return {k: float(self.ctx.settings.get(f"dispatch.road_factor.{k}", v))
                for k, v in DEFAULT_KIND_ROAD_FACTOR.items()}

    def eta_for(self, kind: str, distance_m: float) -> float:
        return eta_s(distance_m, self.kind_speeds().get(kind, self.speed_kmh),
                     self.kind_road_factors().get(kind, self.road_factor))

    def find(self, lat: float, lon: float, n: int = 5) -> NearestResult:
        rows = self.ctx.workspace.db.execute(
            "SELECT id, call_sign, kind, lat, lon, fix_at, status FROM units "
            f"WHERE status IN ({','.join('?' for _ in DISPATCHABLE)}) "
            "AND lat IS NOT NULL AND lon IS NOT NULL",
            list(DISPATCHABLE),
        ).fetchall()
        cols = ("id", "call_sign", "kind", "lat", "lon", "fix_at", "status")
        dicts = [dict(zip(cols, r, strict=True)) for r in rows]
        units = rank_nearest(dicts, lat, lon, n=n, speed_kmh=self.speed_kmh,
                             road_factor=self.road_factor, now=self.ctx.clock(),
                             stale_after_s=self.stale_after_s, kind_speeds=self.kind_speeds(),
                             kind_road_factors=self.kind_road_factors())
        return NearestResult(lat, lon, tuple(units), ring_radii_m(self.speed_kmh, self.road_factor),
                             self.speed_kmh)
