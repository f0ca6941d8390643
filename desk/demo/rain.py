"""A demo rain event (降雨演示): gauges climb and water points cross their thresholds in a plausible
order — tunnels and underpasses first, then low road points, bridges/culverts and ditches, rivers
last — as ``FeedBatch`` values a Feed hands to the app. Qt-free and deterministic for a seed.

The event is compressed so a demo shows the gauges meeting a level within a minute or two of wall
time: each gauge reports about a millimetre per tick, so the 3-hour totals of the national rules
are reached quickly, while every reading is still stamped with the real current time (the
telemetry path rejects readings from the future).

Like a real storm, it floods some places and not others: every point has its own peak depth.
Most road points stay below their caution depth, a few roads and most tunnels reach warning or
closure, rivers and reservoirs climb slowly toward their 警戒水位. So a demo shows what a control
room sees, not 415 alerts at once.

``RainDemoFeed`` is a ``desk.feeds.base.Feed``: the application runtime runs it as the job
``demo.rain`` (``make_rain_demo`` builds it from a workspace and seeds the demo call lists).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desk.domain.telemetry import SensorReading
from desk.domain.water import DepthThresholds, WaterPointKind, default_thresholds
from desk.feeds.base import FeedBatch, FeedSink

if TYPE_CHECKING:
    from desk.services.context import AppContext

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RainPoint:
    id: str
    kind: WaterPointKind
    district: str
    thresholds: DepthThresholds


#: Water rises this many times faster than in a real storm, so a demo fits in a few minutes.
SPEEDUP = 2.0

#: Share of points of a kind that end above caution, warning and the top line (cumulative),
#: with the rest peaking below caution. Tunnels collect a slope's run-off; rivers rise slowly.
_PEAKS: dict[WaterPointKind, tuple[float, float, float]] = {
    WaterPointKind.TUNNEL: (0.9, 0.7, 0.5),
    WaterPointKind.BRIDGE_CULVERT: (0.5, 0.3, 0.15),
    WaterPointKind.ROAD: (0.25, 0.12, 0.05),
    WaterPointKind.DITCH: (0.3, 0.15, 0.05),
    WaterPointKind.RIVER: (0.6, 0.3, 0.0),
    WaterPointKind.RESERVOIR: (0.5, 0.0, 0.0),
}

#: Seconds (of event time) before a kind of point starts to fill, and how fast it fills, as a
#: fraction of its close threshold per minute. Tunnels collect the run-off of a whole slope.
_RESPONSE: dict[WaterPointKind, tuple[float, float]] = {
    WaterPointKind.TUNNEL: (10.0, 0.55),
    WaterPointKind.BRIDGE_CULVERT: (25.0, 0.40),
    WaterPointKind.ROAD: (35.0, 0.30),
    WaterPointKind.DITCH: (50.0, 0.25),
    WaterPointKind.RIVER: (80.0, 0.10),
    WaterPointKind.RESERVOIR: (90.0, 0.06),
}


class RainEvent:
    """The state of one rain event; ``batch_at(elapsed, now)`` gives the readings of one tick."""

    def __init__(self, points: Sequence[RainPoint], *, seed: int = 7,
                 rain_mm_per_tick: float = 1.0, gauges_per_district: int = 1) -> None:
        self.points = list(points)
        self.rng = random.Random(seed)
        self.rain_mm_per_tick = rain_mm_per_tick
        # Each point's own delay and rate: low road points (a random third) fill almost as
        # early as tunnels; the rest of the roads follow.
        self._delay: dict[str, float] = {}
        self._rate: dict[str, float] = {}
        self._peak: dict[str, float] = {}
        for p in self.points:
            self._peak[p.id] = self._draw_peak(p)
            delay, rate = _RESPONSE.get(p.kind, (40.0, 0.2))
            if p.kind is WaterPointKind.ROAD and self.rng.random() < 0.33:
                delay *= 0.5
            self._delay[p.id] = delay * self.rng.uniform(0.8, 1.6)
            self._rate[p.id] = rate * self.rng.uniform(0.6, 1.4) * p.thresholds.close_cm
        # Rain gauges: the first road points of each district (sorted, so it is deterministic).
        seen: dict[str, int] = {}
        self.gauges: set[str] = set()
        for p in sorted(self.points, key=lambda q: q.id):
            if p.kind in (WaterPointKind.ROAD, WaterPointKind.TUNNEL) and \
                    seen.get(p.district, 0) < gauges_per_district:
                self.gauges.add(p.id)
                seen[p.district] = seen.get(p.district, 0) + 1

    def _draw_peak(self, p: RainPoint) -> float:
        above_caution, above_warning, above_close = _PEAKS.get(p.kind, (0.25, 0.1, 0.05))
        t = p.thresholds
        u = self.rng.random()
        if u < above_close:
            return t.close_cm * self.rng.uniform(1.1, 1.6)
        if u < above_warning:
            return self.rng.uniform(t.warning_cm + 1.5, t.close_cm - 1.0)
        if u < above_caution:
            return self.rng.uniform(t.caution_cm + 1.5, t.warning_cm - 1.0)
        return t.caution_cm * self.rng.uniform(0.15, 0.75)

    def peak(self, point_id: str) -> float:
        """The deepest this point gets in the event (cm)."""
        return self._peak[point_id]

    def depth_at(self, point_id: str, elapsed_s: float) -> float:
        """Depth without noise: zero until the point's delay, then rising linearly up to the
        point's own peak."""
        p_delay = self._delay[point_id]
        if elapsed_s <= p_delay:
            return 0.0
        return min(self._rate[point_id] * (elapsed_s - p_delay) / 60.0 * SPEEDUP,
                   self._peak[point_id])

    def batch_at(self, elapsed_s: float, now: float) -> FeedBatch:
        readings = []
        for p in self.points:
            depth = self.depth_at(p.id, elapsed_s)
            if depth > 0:
                depth = max(0.0, depth + self.rng.uniform(-0.8, 0.8))
            rain = None
            if p.id in self.gauges:
                rain = self.rain_mm_per_tick * self.rng.uniform(0.8, 1.2)
            readings.append(SensorReading(p.id, now, depth_cm=round(depth, 1),
                                          rain_mm=None if rain is None else round(rain, 1)))
        return FeedBatch(readings=tuple(readings))


class RainDemoFeed:
    """A Feed that plays a RainEvent on its own thread, one batch every ``tick_s`` seconds.
    ``title`` is what a person reads (降雨演示); ``name`` is the runtime's job name."""

    name = "demo.rain"
    title = "降雨演示"

    def __init__(self, points: Sequence[RainPoint], *, tick_s: float = 2.0,
                 duration_s: float = 600.0, seed: int = 7,
                 clock: Callable[[], float] = time.time) -> None:
        self.event = RainEvent(points, seed=seed)
        self.tick_s = tick_s
        self.duration_s = duration_s
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, sink: FeedSink) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(sink,), name="rain-demo",
                                        daemon=True)
        self._thread.start()

    def _run(self, sink: FeedSink) -> None:
        started = self.clock()
        while not self._stop.is_set():
            elapsed = self.clock() - started
            if elapsed > self.duration_s:
                break
            try:
                sink(self.event.batch_at(elapsed, self.clock()))
            except Exception:
                log.exception("rain demo sink failed")
            self._stop.wait(self.tick_s)
        log.info("rain demo finished")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)
        self._thread = None


def make_rain_demo(ctx: AppContext, *, tick_s: float = 2.0,
                   duration_s: float = 600.0) -> RainDemoFeed | None:
    """The rain demo feed for a workspace (None when it has no water points), with the demo
    call lists seeded first so every point has a 责任人 to call when it floods."""
    from desk.services.water import WaterService

    rows = ctx.workspace.db.execute(
        "SELECT id, kind, district, caution_cm, warning_cm, close_cm FROM water_points ORDER BY id"
    ).fetchall()
    if not rows:
        return None
    ctx.service(WaterService).seed_call_lists(
        [p for i, r in enumerate(rows) for p in demo_call_list(str(r[0]), i, str(r[1]))], "demo")
    return RainDemoFeed(points_from_rows(rows), tick_s=tick_s, duration_s=duration_s,
                        clock=ctx.clock)


def points_from_rows(rows: Sequence[tuple[object, ...]]) -> list[RainPoint]:
    """RainPoints from (id, kind, district, caution, warning, close) rows of ``water_points``."""
    out = []
    for r in rows:
        try:
            kind = WaterPointKind(str(r[1]))
        except ValueError:
            kind = WaterPointKind.ROAD
        try:
            th = DepthThresholds(float(r[3]), float(r[4]), float(r[5]))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            th = default_thresholds(kind)
        out.append(RainPoint(str(r[0]), kind, str(r[2] or ""), th))
    return out


#: Demo call lists: family names and roles for the responsible people of each point.
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"


def demo_call_list(point_id: str, index: int, kind: str | None = None) -> list[dict[str, object]]:
    """The call list of a demo point, deterministic: its 责任人 (隧道责任人 for a tunnel), a
    副责任人, and the 防汛值班领导 of the day, whom the 防汛预案 has told first of a red signal."""
    rng = random.Random(f"{point_id}-{index}")
    first = "隧道责任人" if kind == "tunnel" else "责任人"
    people = []
    for order, role in enumerate((first, "副责任人", "值班领导"), start=1):
        name = rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN)
        phone = "139" + "".join(str(rng.randrange(10)) for _ in range(8))
        people.append({"point_id": point_id, "name": name, "role": role, "phone": phone,
                       "call_order": order})
    return people
