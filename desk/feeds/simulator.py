"""The demo simulator feed (演示模拟): moves the demo city's units along the arterial roads and makes
water sensors report, at a configurable rate (``desk --demo`` starts it).

Units are snapped to the nearest road vertex, then drive along their road at their own speed,
turning onto a crossing road at junctions now and then and turning back at a road's end. Each tick
moves the next ``moves_per_s * tick_s`` units round-robin, so the rate is exact and independent
of the number of units (2,000 moves per second with 1,000 units moves each one twice a second).
The per-move work is a handful of float operations, so 2,000 moves per second cost a few
milliseconds of the feed thread per second. When no road network is available (another feature's
basemap missing) units wander around their start position instead, so the demo still moves.
"""

from __future__ import annotations

import logging
import math
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk.domain.telemetry import SensorReading, UnitFix
from desk.feeds.base import FeedBatch, FeedSink

log = logging.getLogger(__name__)

_M_PER_DEG = 111_320.0
Road = Sequence[tuple[float, float]]  # (lat, lon) vertices


@dataclass(slots=True)
class _Mover:
    unit_id: str
    lat: float
    lon: float
    speed: float  # m/s
    road: int = -1  # -1: no road, wander
    seg: int = 0  # current segment: vertex seg -> seg + direction
    direction: int = 1
    along: float = 0.0  # metres travelled along the current segment
    heading: float = 0.0
    last: float = 0.0


@dataclass(slots=True)
class _Point:
    point_id: str
    depth: float


def road_polylines(basemap: Any) -> list[list[tuple[float, float]]]:
    """Road centre lines as (lat, lon) lists, from a ``desk.demo.basemap.Basemap`` (its ``roads``)
    or from a GeoJSON FeatureCollection (its LineString / MultiLineString features)."""
    out: list[list[tuple[float, float]]] = []
    roads = getattr(basemap, "roads", None)
    if roads is not None:
        for road in roads:
            pts = [(float(p.lat), float(p.lon)) for p in road.points]
            if len(pts) >= 2:
                out.append(pts)
        return out
    features = basemap.get("features", []) if isinstance(basemap, dict) else []
    for feat in features:
        geom = feat.get("geometry") or {}
        kind = geom.get("type")
        if kind == "LineString":
            lines = [geom.get("coordinates") or []]
        elif kind == "MultiLineString":
            lines = geom.get("coordinates") or []
        else:
            continue
        for line in lines:
            pts = [(float(c[1]), float(c[0])) for c in line if len(c) >= 2]
            if len(pts) >= 2:
                out.append(pts)
    return out


def load_road_polylines() -> list[list[tuple[float, float]]]:
    """The demo city's arterial roads, or [] when the demo basemap is not available."""
    try:
        from desk.demo.basemap import load_basemap
    except ImportError:
        log.warning("desk.demo.basemap is missing; simulated units will wander off-road")
        return []
    try:
        return road_polylines(load_basemap())
    except Exception:  # a broken basemap must not stop the demo; it just drives off-road
        log.exception("could not read roads from the demo basemap")
        return []


def _read_workspace_file(path: Path) -> tuple[list[tuple[str, float, float]], list[str]]:
    """Units with a position and water point ids, read-only, from a workspace file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        units = [(str(r[0]), float(r[1]), float(r[2])) for r in conn.execute(
            "SELECT id, lat, lon FROM units WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY id")]
        points = [str(r[0]) for r in conn.execute("SELECT id FROM water_points ORDER BY id")]
    finally:
        conn.close()
    return units, points


class DemoSimulator:
    """A ``Feed`` (name, start, stop). ``step`` is the whole simulation and is usable without the
    thread, which is how tests and the benchmark drive it deterministically."""

    name = "demo-simulator"

    def __init__(
        self,
        units: Iterable[tuple[str, float, float]] | str | os.PathLike[str],
        roads: Sequence[Road] = (),
        point_ids: Iterable[str] = (),
        *,
        moves_per_s: float | None = None,
        tick_s: float = 0.25,
        readings_per_s: float = 2.0,
        speed_kmh: tuple[float, float] = (20.0, 55.0),
        seed: int = 7,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._rng = random.Random(seed)
        self._clock = clock
        if isinstance(units, (str, os.PathLike)):
            # Given a workspace file (how the app starts it): read it here, on the caller's thread.
            units, point_ids = _read_workspace_file(Path(units))
            roads = roads or load_road_polylines()
        self._roads = [list(r) for r in roads if len(r) >= 2]
        now = clock()
        self._movers = [
            _Mover(uid, lat, lon, self._rng.uniform(*speed_kmh) / 3.6, last=now)
            for uid, lat, lon in units
            if lat is not None and lon is not None
        ]
        self._points = [_Point(pid, 0.0) for pid in point_ids]
        if moves_per_s is None and os.environ.get("DESK_DEMO_MOVES_PER_S"):
            # The app starts the demo with defaults; the environment lets a trainer turn it up.
            moves_per_s = float(os.environ["DESK_DEMO_MOVES_PER_S"])
        self.moves_per_s = float(len(self._movers) if moves_per_s is None else moves_per_s)
        self.readings_per_s = readings_per_s
        self.tick_s = tick_s
        self._next = 0
        self._carry = 0.0
        self._reading_carry = 0.0
        self._rain = 0.0
        self._junctions: dict[tuple[int, int], list[tuple[int, int]]] = {}
        if self._roads:
            self._snap_to_roads()
            self._find_junctions()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @classmethod
    def from_workspace(cls, ws: Any, roads: Sequence[Road] | None = None, **kw: Any) -> DemoSimulator:
        """Read units and water points on the calling thread (a Workspace belongs to its thread)."""
        units = ws.db.execute(
            "SELECT id, lat, lon FROM units WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY id").fetchall()
        points = [r[0] for r in ws.db.execute("SELECT id FROM water_points ORDER BY id")]
        return cls(units, load_road_polylines() if roads is None else roads, points, **kw)

    # -- set-up --------------------------------------------------------------------------------

    def _snap_to_roads(self) -> None:
        import numpy as np  # only here: the vectorised search makes snapping 1,000 units instant

        verts = [(ri, vi, lat, lon) for ri, r in enumerate(self._roads) for vi, (lat, lon) in enumerate(r)]
        arr = np.array([(v[2], v[3]) for v in verts])
        cos_lat = math.cos(math.radians(float(arr[:, 0].mean())))
        for m in self._movers:
            d = (arr[:, 0] - m.lat) ** 2 + ((arr[:, 1] - m.lon) * cos_lat) ** 2
            ri, vi, lat, lon = verts[int(d.argmin())]
            road = self._roads[ri]
            m.road, m.lat, m.lon = ri, lat, lon
            if vi == len(road) - 1:
                m.seg, m.direction = vi, -1
            elif vi == 0:
                m.seg, m.direction = 0, 1
            else:
                m.seg, m.direction = vi, self._rng.choice((-1, 1))
            self._set_heading(m)

    def _find_junctions(self) -> None:
        """Vertices of different roads within ~40 m of each other are junctions where a unit may turn."""
        cell = 0.0004
        grid: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for ri, road in enumerate(self._roads):
            for vi, (lat, lon) in enumerate(road):
                grid.setdefault((int(lat / cell), int(lon / cell)), []).append((ri, vi))
        for (cy, cx), members in grid.items():
            near = [v for dy in (-1, 0, 1) for dx in (-1, 0, 1) for v in grid.get((cy + dy, cx + dx), ())]
            for ri, vi in members:
                others = [(r2, v2) for r2, v2 in near if r2 != ri]
                if others:
                    self._junctions[(ri, vi)] = others

    # -- simulation ------------------------------------------------------------------------------

    def _set_heading(self, m: _Mover) -> None:
        road = self._roads[m.road]
        a = road[m.seg]
        b = road[m.seg + m.direction]
        dy = b[0] - a[0]
        dx = (b[1] - a[1]) * math.cos(math.radians(a[0]))
        m.heading = math.degrees(math.atan2(dx, dy)) % 360.0

    def _advance(self, m: _Mover, dist: float) -> None:
        if m.road < 0:
            # Off-road wander: a gentle random walk keeps the demo alive without a road network.
            m.heading = (m.heading + self._rng.uniform(-25, 25)) % 360.0
            rad = math.radians(m.heading)
            m.lat += dist * math.cos(rad) / _M_PER_DEG
            m.lon += dist * math.sin(rad) / (_M_PER_DEG * math.cos(math.radians(m.lat)))
            return
        for _ in range(64):  # bounded: a very long step crosses at most this many vertices
            road = self._roads[m.road]
            a = road[m.seg]
            b = road[m.seg + m.direction]
            cos_lat = math.cos(math.radians(a[0]))
            seg_len = math.hypot((b[0] - a[0]) * _M_PER_DEG, (b[1] - a[1]) * _M_PER_DEG * cos_lat)
            if m.along + dist < seg_len:
                m.along += dist
                f = m.along / seg_len if seg_len > 0 else 1.0
                m.lat = a[0] + (b[0] - a[0]) * f
                m.lon = a[1] + (b[1] - a[1]) * f
                return
            dist -= seg_len - m.along
            m.along = 0.0
            vi = m.seg + m.direction
            m.lat, m.lon = b
            turn = self._junctions.get((m.road, vi))
            if turn and self._rng.random() < 0.35:
                m.road, vi = self._rng.choice(turn)
                road = self._roads[m.road]
                m.direction = self._rng.choice((-1, 1))
            last = len(road) - 1
            if vi + m.direction < 0 or vi + m.direction > last:
                m.direction = -m.direction  # end of the road: turn back
            m.seg = vi
            self._set_heading(m)

    def step(self, dt: float | None = None) -> FeedBatch:
        """One tick: move the next share of units and maybe emit readings. ``dt`` defaults to tick_s."""
        dt = self.tick_s if dt is None else dt
        now = self._clock()
        fixes: list[UnitFix] = []
        if self._movers:
            self._carry += self.moves_per_s * dt
            count = int(self._carry)
            self._carry -= count
            n = len(self._movers)
            for _ in range(count):
                m = self._movers[self._next]
                self._next = (self._next + 1) % n
                elapsed = min(max(now - m.last, 0.0), 10.0)
                if elapsed == 0.0:
                    elapsed = 1.0 / max(self.moves_per_s / n, 1e-6)  # simulated time when clock is frozen
                m.last = now
                self._advance(m, m.speed * elapsed)
                fixes.append(UnitFix(m.unit_id, round(m.lat, 7), round(m.lon, 7), now,
                                     round(m.heading, 1), round(m.speed * 3.6, 1)))
        readings: list[SensorReading] = []
        if self._points and self.readings_per_s > 0:
            self._reading_carry += self.readings_per_s * dt
            count = int(self._reading_carry)
            self._reading_carry -= count
            # A slowly varying "storm" drives all depths, so the map shows areas flooding together.
            self._rain = min(max(self._rain + self._rng.uniform(-0.2, 0.25), 0.0), 8.0)
            for _ in range(count):
                p = self._rng.choice(self._points)
                p.depth = min(max(p.depth + self._rng.uniform(-3.0, 3.0) + self._rain * 0.8 - 2.0, 0.0), 80.0)
                readings.append(SensorReading(p.point_id, now, round(p.depth, 1), round(self._rain, 1)))
        return FeedBatch(tuple(fixes), tuple(readings))

    # -- Feed protocol -----------------------------------------------------------------------------

    def start(self, sink: FeedSink) -> None:
        if self._thread is not None:
            return
        self._stop.clear()

        def run() -> None:
            next_at = time.monotonic()
            while not self._stop.is_set():
                next_at += self.tick_s
                try:
                    batch = self.step()
                    if batch:
                        sink(batch)
                except Exception:  # keep the demo running; the log shows what went wrong
                    log.exception("simulator tick failed")
                delay = next_at - time.monotonic()
                if delay < 0:
                    next_at = time.monotonic()  # fell behind: don't burst to catch up
                    delay = 0
                self._stop.wait(delay)

        self._thread = threading.Thread(target=run, name="demo-simulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
