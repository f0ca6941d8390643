"""Position history served: the last fix of every unit, tracks between two times, and who was near
a place — for a desk that starts or reconnects, a track replay, and a debrief (复盘).

    GET /history/last?after=U123&limit=5000
    GET /history/track?unit=U1&unit=U2&start=T1&end=T2&after=T:ID&limit=5000
    GET /history/near?lat=..&lon=..&radius_m=500&start=T1&end=T2&after=U9&limit=1000

Every answer is one page with ``next`` (the cursor of the next page, ``null`` at the end). Asking
beyond the limits (window, units, radius) is refused with 422 and a reason, never truncated
silently. On PostgreSQL the queries run in the store (PostGIS ``ST_DWithin`` on geography over
the partitioned table); on SQLite a read-only connection scans the time index and filters by a
bounding box, then by great-circle distance.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Sequence
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Query
from pydantic import BaseModel, StringConstraints

from desk.central.app import ApiError, Who
from desk.central.auth import READ_ROLES, namespace_denial
from desk.central.storage import CentralStore, Principal, SqliteCentralStore

MAX_PAGE = 5000
MAX_UNITS = 200
MAX_TRACK_S = 7 * 86_400.0
MAX_NEAR_S = 86_400.0
MAX_RADIUS_M = 50_000.0
EARTH_M = 6_371_008.8

REASONS = {
    "bad_window": "时间范围无效：结束时间必须晚于开始时间",
    "window_too_long": f"时间范围过长：轨迹最多 {MAX_TRACK_S / 86400:g} 天，区域查询最多 "
                       f"{MAX_NEAR_S / 3600:g} 小时",
    "too_many_units": f"单位过多：一次最多 {MAX_UNITS} 个",
    "radius_too_large": f"半径过大：最多 {MAX_RADIUS_M / 1000:g} 公里",
    "bad_cursor": "翻页游标无效",
    "no_units": "至少指定一个单位（unit=…）",
}


class HistoryReader(Protocol):
    def last_fixes(self, after: str | None, limit: int) -> list[dict[str, Any]]: ...

    def track(self, unit_ids: Sequence[str], start: float, end: float,
              after: tuple[float, int] | None, limit: int) -> list[dict[str, Any]]: ...

    def near(self, lat: float, lon: float, radius_m: float, start: float,  # noqa: PLR0917
             end: float, after: str | None, limit: int) -> list[dict[str, Any]]: ...


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_M * math.asin(min(1.0, math.sqrt(h)))


class SqliteHistory:
    """History queries on a central SQLite file through its own read-only connection (WAL lets
    it read while the store writes)."""

    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False,
                                     timeout=30.0)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._conn.close()

    def _rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, list(params)).fetchall()

    def last_fixes(self, after: str | None, limit: int) -> list[dict[str, Any]]:
        rows = self._rows("SELECT unit_id, lat, lon, at, heading, speed_kmh FROM last_fix "
                          "WHERE unit_id > ? ORDER BY unit_id LIMIT ?", [after or "", limit])
        return [_fix(r) for r in rows]

    def track(self, unit_ids: Sequence[str], start: float, end: float,
              after: tuple[float, int] | None, limit: int) -> list[dict[str, Any]]:
        at0, id0 = after if after is not None else (start, -1)
        marks = ", ".join("?" for _ in unit_ids)
        rows = self._rows(
            "SELECT unit_id, lat, lon, at, heading, speed_kmh, id FROM positions "
            f"WHERE at >= ? AND at < ? AND unit_id IN ({marks}) AND (at, id) > (?, ?) "
            "ORDER BY at, id LIMIT ?", [start, end, *unit_ids, at0, id0, limit])
        return [{**_fix(r), "id": int(r[6])} for r in rows]

    def near(self, lat: float, lon: float, radius_m: float, start: float,  # noqa: PLR0917
             end: float, after: str | None, limit: int) -> list[dict[str, Any]]:
        dlat = radius_m / 110_000.0
        dlon = radius_m / (110_000.0 * max(math.cos(math.radians(lat)), 0.01))
        rows = self._rows(
            "SELECT unit_id, lat, lon, at FROM positions WHERE at >= ? AND at < ? "
            "AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? AND unit_id > ?",
            [start, end, lat - dlat, lat + dlat, lon - dlon, lon + dlon, after or ""])
        found: dict[str, dict[str, Any]] = {}
        for uid, plat, plon, at in rows:
            d = distance_m(lat, lon, plat, plon)
            if d > radius_m:
                continue
            cur = found.get(uid)
            if cur is None:
                found[uid] = {"unit_id": uid, "fixes": 1, "first_at": at, "last_at": at,
                              "closest_m": d}
            else:
                cur["fixes"] += 1
                cur["first_at"] = min(cur["first_at"], at)
                cur["last_at"] = max(cur["last_at"], at)
                cur["closest_m"] = min(cur["closest_m"], d)
        out = [found[u] for u in sorted(found)[:limit]]
        for item in out:
            item["closest_m"] = round(item["closest_m"], 1)
        return out


def _fix(r: Sequence[Any]) -> dict[str, Any]:
    return {"unit_id": r[0], "lat": r[1], "lon": r[2], "at": r[3], "heading": r[4],
            "speed_kmh": r[5]}


def reader_for(store: CentralStore) -> HistoryReader:
    """The history queries of ``store``'s backend."""
    if isinstance(store, SqliteCentralStore):
        return SqliteHistory(store.path)
    if all(hasattr(store, m) for m in ("last_fixes", "track", "near")):
        return store  # type: ignore[return-value]  # PostgresCentralStore implements them
    raise TypeError(f"{type(store).__name__} serves no position history")


Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Time = Annotated[float, Query(ge=0, le=1e11)]


class FixOut(BaseModel):
    unit_id: str
    lat: float
    lon: float
    at: float
    heading: float | None = None
    speed_kmh: float | None = None


class LastFixesOut(BaseModel):
    fixes: list[FixOut]
    next: str | None


class TrackFixOut(FixOut):
    id: int


class TrackOut(BaseModel):
    fixes: list[TrackFixOut]
    next: str | None


class NearUnitOut(BaseModel):
    unit_id: str
    fixes: int
    first_at: float
    last_at: float
    closest_m: float


class NearOut(BaseModel):
    units: list[NearUnitOut]
    next: str | None


def _refuse(reason: str) -> ApiError:
    return ApiError(422, reason, REASONS[reason])


def _window(start: float, end: float, longest: float) -> None:
    if not end > start:
        raise _refuse("bad_window")
    if end - start > longest:
        raise _refuse("window_too_long")


def history_router(store: CentralStore) -> APIRouter:
    """The ``/history`` endpoints over ``store`` (read roles; live namespace)."""
    reader = reader_for(store)
    router = APIRouter(prefix="/history", tags=["history"])
    def may_read(who: Principal) -> None:
        if who.role not in READ_ROLES:
            raise ApiError(403, "role_forbidden")
        denial = namespace_denial(who, "live", write=False)
        if denial:
            raise ApiError(403, denial)

    @router.get("/last", operation_id="history_last", response_model=LastFixesOut)
    def last(who: Who, after: Annotated[str | None, Query(max_length=200)] = None,
             limit: Limit = MAX_PAGE) -> LastFixesOut:
        """The last fix of every unit, by unit id (for a desk that starts or reconnects)."""
        may_read(who)
        rows = reader.last_fixes(after, limit)
        return LastFixesOut(fixes=[FixOut(**r) for r in rows],
                            next=rows[-1]["unit_id"] if len(rows) == limit else None)

    @router.get("/track", operation_id="history_track", response_model=TrackOut)
    def track(  # noqa: PLR0917
        who: Who, start: Time, end: Time,
        unit: Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=200)]],
                        Query(min_length=1, max_length=MAX_UNITS + 1)],
        after: Annotated[str | None, Query(max_length=60)] = None, limit: Limit = MAX_PAGE,
    ) -> TrackOut:
        """Fixes of one or several units between ``start`` and ``end`` (POSIX seconds), oldest
        first; ``after`` is the previous page's ``next``."""
        may_read(who)
        units = list(dict.fromkeys(u for u in unit if u))
        if not units:
            raise _refuse("no_units")
        if len(units) > MAX_UNITS:
            raise _refuse("too_many_units")
        _window(start, end, MAX_TRACK_S)
        cursor: tuple[float, int] | None = None
        if after:
            try:
                at_text, id_text = after.split(":", 1)
                cursor = (float(at_text), int(id_text))
            except ValueError as exc:
                raise _refuse("bad_cursor") from exc
            if not math.isfinite(cursor[0]):
                raise _refuse("bad_cursor")
        rows = reader.track(units, start, end, cursor, limit)
        nxt = f"{rows[-1]['at']!r}:{rows[-1]['id']}" if len(rows) == limit else None
        return TrackOut(fixes=[TrackFixOut(**r) for r in rows], next=nxt)

    @router.get("/near", operation_id="history_near", response_model=NearOut)
    def near(  # noqa: PLR0917
        who: Who, start: Time, end: Time,
        lat: Annotated[float, Query(ge=-90, le=90)], lon: Annotated[float, Query(ge=-180, le=180)],
        radius_m: Annotated[float, Query(gt=0)],
        after: Annotated[str | None, Query(max_length=200)] = None, limit: Limit = 1000,
    ) -> NearOut:
        """Units with a fix within ``radius_m`` metres of (lat, lon) between ``start`` and
        ``end``: how many fixes, first and last time there, closest distance."""
        may_read(who)
        if radius_m > MAX_RADIUS_M:
            raise _refuse("radius_too_large")
        _window(start, end, MAX_NEAR_S)
        rows = reader.near(lat, lon, radius_m, start, end, after, limit)
        return NearOut(units=[NearUnitOut(**r) for r in rows],
                       next=rows[-1]["unit_id"] if len(rows) == limit else None)

    return router
