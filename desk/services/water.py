"""Water points in use: accepted readings in, states and trends out, alerts raised; thresholds
edited; responsible people called and the calls recorded so "woken within N minutes" can be
measured.

Cost does not grow with stored history: the latest reading and the judged state of every point
live in ``water_point_state`` (kept across restarts, so hysteresis and rise episodes survive
closing the workspace); a batch reads only the last trend window of the points it touched,
through the (point_id, at) index; raw readings older than the retention are folded into hourly
aggregates (``compact_history``).
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from desk.domain.alerts import AlertKind
from desk.domain.telemetry import SensorReading
from desk.domain.water import DepthThresholds, WaterPointKind, default_thresholds
from desk.domain.waterlevel import (
    DEFAULT_RISE_RULES,
    DEFAULT_TREND_RULES,
    PointLevelState,
    RiseAlertRules,
    Trend,
    TrendResult,
    TrendRules,
    WaterState,
    judged_by_level,
    line_names,
    rates_of_rise,
    state_label,
    step_point,
)
from desk.services.alerts import AlertService
from desk.services.context import AppContext
from desk.store.events import ChangeSet

log = logging.getLogger(__name__)

#: Alert severity for a point entering each state.
STATE_SEVERITY = {WaterState.CAUTION: "yellow", WaterState.WARNING: "orange",
                  WaterState.CLOSED: "red"}
#: The bus fallback (no runtime yet) judges the gauges at most this often.
GAUGE_INTERVAL_S = 60.0
#: Raw readings are kept this long by ``compact_history``; older ones live on as hourly
#: aggregates (default; ``ctx.settings["water.keep_raw_s"]``).
DEFAULT_KEEP_RAW_S = 3 * 86_400.0
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class WaterPoint:
    id: str
    name: str
    kind: WaterPointKind
    road: str
    district: str
    lat: float
    lon: float
    thresholds: DepthThresholds


@dataclass(frozen=True, slots=True)
class PointStatus:
    """What the water panel shows for a point. ``depth_cm`` None means no reading yet."""

    point: WaterPoint
    depth_cm: float | None
    at: float | None
    rain_mm: float | None
    state: WaterState
    trend: TrendResult

    @property
    def state_label(self) -> str:
        """正常/注意/警告/封闭 for roads; 正常/超汛限/超警戒/超保证 for rivers and reservoirs."""
        return state_label(self.state, self.point.kind)


@dataclass(frozen=True, slots=True)
class ResponsiblePerson:
    id: str
    point_id: str
    name: str
    role: str
    phone: str
    call_order: int


@dataclass(frozen=True, slots=True)
class Notification:
    id: str
    point_id: str
    alert_id: str | None
    person_id: str | None
    person_name: str
    at: float
    actor: str
    outcome: str  # "reached" (已叫醒) | "no_answer" (未接通) | "busy" (占线)
    note: str


OUTCOME_LABELS = {"reached": "已接通", "no_answer": "未接通", "busy": "占线"}


@dataclass
class _Live:
    """A point's latest values and judged state, mirrored in ``water_point_state``."""

    depth_cm: float | None = None
    depth_at: float | None = None
    rain_mm: float | None = None
    rain_at: float | None = None
    level: PointLevelState = field(default_factory=PointLevelState)
    trend: TrendResult = field(default_factory=lambda: TrendResult(Trend.UNKNOWN, None, 0))
    updated_at: float | None = None


class WaterService:
    """``ctx.service(WaterService)``.

    The application runtime calls ``on_readings(readings, now)`` with the readings
    ``record_telemetry`` accepted in each feed batch. Until a runtime drives it, the service
    listens to the workspace bus and evaluates the points a telemetry change touched (the first
    ``on_readings`` call switches that fallback off). ``ctx.settings["water.auto_evaluate"] =
    False`` turns the fallback off from the start (tests, replays)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.ws = ctx.workspace
        self.trend_rules: TrendRules = ctx.settings.get("water.trend_rules", DEFAULT_TREND_RULES)
        self.rise_rules: RiseAlertRules = ctx.settings.get("water.rise_rules", DEFAULT_RISE_RULES)
        self.keep_raw_s: float = float(ctx.settings.get("water.keep_raw_s", DEFAULT_KEEP_RAW_S))
        self._points: dict[str, WaterPoint] | None = None
        self._live: dict[str, _Live] | None = None
        # The trend window of each point, in memory: a batch never re-reads it from the store.
        self._windows: dict[str, list[tuple[float, float | None]]] = {}
        self._listeners: list[Callable[[list[PointStatus]], None]] = []
        self._unsubscribe: Callable[[], None] | None = None
        self._last_gauges: float | None = None
        if ctx.settings.get("water.auto_evaluate", True):
            self._unsubscribe = self.ws.bus.subscribe(self._on_changes)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def subscribe(self, listener: Callable[[list[PointStatus]], None]) -> Callable[[], None]:
        """``listener(statuses)`` after each evaluation, with the evaluated points."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _on_changes(self, changes: ChangeSet) -> None:
        if changes.touches("water_points"):
            self._points = None
        if changes.touches("sensor_readings") and self._unsubscribe is not None:
            self.evaluate(changes.ids["sensor_readings"])
            now = self.ctx.clock()
            if self._last_gauges is None or now - self._last_gauges >= GAUGE_INTERVAL_S:
                self._last_gauges = now
                from desk.services.rainstorm import RainstormService

                self.ctx.service(RainstormService).evaluate_gauges(now)

    # -- points and thresholds -----------------------------------------------------------------

    def points(self) -> dict[str, WaterPoint]:
        if self._points is None:
            rows = self.ws.db.execute(
                "SELECT id, name, kind, road, district, lat, lon, caution_cm, warning_cm, close_cm "
                "FROM water_points ORDER BY id"
            ).fetchall()
            self._points = {r[0]: _point(r) for r in rows}
        return self._points

    def thresholds(self, point_id: str) -> DepthThresholds:
        return self.points()[point_id].thresholds

    def set_thresholds(self, point_id: str, thresholds: DepthThresholds, actor: str) -> None:
        """Change a point's thresholds (the ``DepthThresholds`` constructor already refuses an
        inconsistent set with a Chinese message)."""
        if point_id not in self.points():
            raise KeyError(f"监测点 {point_id} 不存在")
        with self.ws.write(actor, origin=self) as tx:
            tx.update("water_points", point_id, {
                "caution_cm": thresholds.caution_cm, "warning_cm": thresholds.warning_cm,
                "close_cm": thresholds.close_cm,
            })
        self._points = None
        log.info("thresholds of %s set to %s by %s", point_id, thresholds, actor)

    # -- live state ----------------------------------------------------------------------------

    def _state(self) -> dict[str, _Live]:
        if self._live is None:
            live: dict[str, _Live] = {}
            for r in self.ws.db.execute(
                "SELECT point_id, state, trend, rise_since, rise_alerted, depth_cm, depth_at, "
                "rain_mm, rain_at, updated_at FROM water_point_state"
            ):
                try:
                    level = PointLevelState(WaterState(r[1] or "normal"),
                                            Trend(r[2] or "unknown"), r[3], bool(r[4]))
                except ValueError:
                    level = PointLevelState()
                live[r[0]] = _Live(r[5], r[6], r[7], r[8], level,
                                   TrendResult(level.trend, None, 0), r[9])
            self._live = live
        return self._live

    def level_states(self) -> dict[str, WaterState]:
        """point id → judged state (with hysteresis) of every point that has reported a depth:
        the one answer the map, panels and dashboards show."""
        return {pid: lv.level.state for pid, lv in self._state().items()
                if lv.depth_cm is not None}

    def on_readings(self, readings: Sequence[SensorReading], now: float | None = None
                    ) -> list[PointStatus]:
        """Evaluate the accepted readings of one feed batch: update each touched point's latest
        values and state, raise threshold and rise alerts. Returns the touched points' statuses.
        Work depends on the batch and the trend window only, never on stored history."""
        if self._unsubscribe is not None:
            # A runtime drives evaluation now: the bus fallback would do the same work twice.
            self._unsubscribe()
            self._unsubscribe = None
        now = self.ctx.clock() if now is None else now
        points = self.points()
        live = self._state()
        touched: set[str] = set()
        fresh: list[SensorReading] = []
        for r in readings:
            if r.point_id not in points:
                continue
            lv = live.setdefault(r.point_id, _Live())
            if r.depth_cm is not None and math.isfinite(r.depth_cm):
                fresh.append(r)
                if lv.depth_at is None or r.at >= lv.depth_at:
                    lv.depth_cm, lv.depth_at = float(r.depth_cm), r.at
            if r.rain_mm is not None and math.isfinite(r.rain_mm) and (
                    lv.rain_at is None or r.at >= lv.rain_at):
                lv.rain_mm, lv.rain_at = float(r.rain_mm), r.at
            touched.add(r.point_id)
        rain = [r for r in readings if r.rain_mm is not None and r.point_id in points]
        if rain:
            from desk.services.rainstorm import RainstormService

            self.ctx.service(RainstormService).note_rain(rain)
        ids = sorted(touched)
        missing = [pid for pid in ids if pid not in self._windows]
        if missing:
            # First batch for these points since the workspace opened: one bounded range read
            # each (it already holds this batch, which the duplicate-time rule folds).
            self._windows.update({pid: [] for pid in missing})
            for pid, rows in self._recent(missing, now).items():
                self._windows[pid] = rows
        for r in fresh:
            self._windows[r.point_id].append((r.at, r.depth_cm))
        return self._judge(ids, now)

    def evaluate(self, point_ids: Iterable[str] | None = None,
                 now: float | None = None) -> list[PointStatus]:
        """Re-read the latest readings of the points (all when None) from the store and judge
        them (one index seek per point): for the bus fallback, replays and tools."""
        now = self.ctx.clock() if now is None else now
        points = self.points()
        ids = sorted(points) if point_ids is None else sorted(p for p in point_ids if p in points)
        live = self._state()
        db = self.ws.db
        for pid in ids:
            lv = live.setdefault(pid, _Live())
            d = db.execute("SELECT depth_cm, at FROM sensor_readings WHERE point_id = ? AND "
                           "depth_cm IS NOT NULL AND at <= ? ORDER BY at DESC LIMIT 1",
                           [pid, now]).fetchone()
            if d is not None:
                lv.depth_cm, lv.depth_at = float(d[0]), float(d[1])
            r = db.execute("SELECT rain_mm, at FROM sensor_readings WHERE point_id = ? AND "
                           "rain_mm IS NOT NULL AND at <= ? ORDER BY at DESC LIMIT 1",
                           [pid, now]).fetchone()
            if r is not None:
                lv.rain_mm, lv.rain_at = float(r[0]), float(r[1])
        self._windows.update({pid: [] for pid in ids})
        self._windows.update(self._recent(ids, now))
        return self._judge(ids, now)

    def _judge(self, ids: list[str], now: float) -> list[PointStatus]:
        if not ids:
            return []
        points = self.points()
        live = self._state()
        alerts = self.ctx.service(AlertService)
        since = now - self.trend_rules.window_s
        changed: list[str] = []
        out: list[PointStatus] = []
        for pid in ids:
            self._windows[pid] = [x for x in self._windows.get(pid, ()) if x[0] > since]
        trends = rates_of_rise({pid: self._windows[pid] for pid in ids}, now, self.trend_rules)
        for pid in ids:
            p, lv = points[pid], live[pid]
            trend = trends[pid]
            step = step_point(lv.level, lv.depth_cm, trend, p.thresholds, now,
                              rise=self.rise_rules)
            if step.new != lv.level:
                changed.append(pid)
            lv.level, lv.trend, lv.updated_at = step.new, trend, now
            if step.entered is not None and step.entered in STATE_SEVERITY:
                self._threshold_alert(alerts, p, lv.depth_cm or 0.0, step.entered)
            if step.rise_alert:
                self._rise_alert(alerts, p, lv, trend, now)
            out.append(self._status(p, lv, now))
        self._persist(ids)
        if changed:
            self.ws.bus.publish(ChangeSet({"water_point_state": frozenset(changed)}, "system",
                                          origin=self))
        for listener in list(self._listeners):
            listener(out)
        return out

    def _threshold_alert(self, alerts: AlertService, p: WaterPoint, depth: float,
                         state: WaterState) -> None:
        line = _threshold_of(p.thresholds, state)
        names = line_names(p.kind)
        if judged_by_level(p.kind):
            text = f"水位 {depth:.0f} cm，{state_label(state, p.kind)}（{names[state.rank - 1]} " \
                   f"{line:g} cm）"
        elif state is WaterState.CLOSED:
            text = f"水深 {depth:.0f} cm，达到封闭水深（{line:g} cm），应立即封闭"
        else:
            text = f"水深 {depth:.0f} cm，达到{state.label}阈值（{line:g} cm）"
        alerts.raise_alert(
            AlertKind.WATER_THRESHOLD, STATE_SEVERITY[state], f"积水监测 · {p.kind.label}",
            p.name, text, lat=p.lat, lon=p.lon, dedup_key=f"water.threshold:{p.id}",
        )

    def _rise_alert(self, alerts: AlertService, p: WaterPoint, lv: _Live, trend: TrendResult,
                    now: float) -> None:
        depth = lv.depth_cm or 0.0
        minutes = (now - (lv.level.rise_since or now)) / 60.0
        what = "水位" if judged_by_level(p.kind) else "水深"
        severity = "orange" if depth >= p.thresholds.warning_cm else "yellow"
        alerts.raise_alert(
            AlertKind.WATER_RISE, severity, f"积水监测 · {p.kind.label}", p.name,
            f"{what}持续快速上涨 {trend.cm_per_min or 0:.1f} cm/分钟（已持续 {minutes:.0f} 分钟），"
            f"当前 {depth:.0f} cm",
            lat=p.lat, lon=p.lon, dedup_key=f"water.rise:{p.id}",
        )

    def _persist(self, ids: list[str]) -> None:
        live = self._state()
        rows = []
        for pid in ids:
            lv = live[pid]
            rows.append((pid, lv.level.state.value, lv.level.trend.value, lv.level.rise_since,
                         int(lv.level.rise_alerted), lv.depth_cm, lv.depth_at, lv.rain_mm,
                         lv.rain_at, lv.updated_at))
        # Derived from telemetry (like the readings themselves): no change log, no outbox.
        with self.ws.db.atomic():
            self.ws.db.conn.executemany(
                "INSERT INTO water_point_state (point_id, state, trend, rise_since, rise_alerted, "
                "depth_cm, depth_at, rain_mm, rain_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(point_id) DO UPDATE SET state=excluded.state, trend=excluded.trend, "
                "rise_since=excluded.rise_since, rise_alerted=excluded.rise_alerted, "
                "depth_cm=excluded.depth_cm, depth_at=excluded.depth_at, "
                "rain_mm=excluded.rain_mm, rain_at=excluded.rain_at, "
                "updated_at=excluded.updated_at", rows)

    def _status(self, p: WaterPoint, lv: _Live, now: float) -> PointStatus:
        trend = lv.trend
        if lv.depth_at is not None and now - lv.depth_at > self.trend_rules.stale_after_s:
            trend = TrendResult(Trend.UNKNOWN, None, 0)  # a silent sensor has no trend
        state = lv.level.state if lv.depth_cm is not None else WaterState.NORMAL
        return PointStatus(p, lv.depth_cm, lv.depth_at, lv.rain_mm, state, trend)

    # -- reading -------------------------------------------------------------------------------

    def statuses(self, point_ids: Iterable[str] | None = None,
                 now: float | None = None) -> list[PointStatus]:
        """Latest depth, judged state and trend of the points (all when ``point_ids`` is None),
        from the kept state: no scan of the readings, whatever the history."""
        now = self.ctx.clock() if now is None else now
        points = self.points()
        wanted = list(points) if point_ids is None else [p for p in point_ids if p in points]
        live = self._state()
        empty = _Live()
        return [self._status(points[pid], live.get(pid, empty), now) for pid in wanted]

    def _recent(self, ids: list[str], now: float) -> dict[str, list[tuple[float, float | None]]]:
        """The trend window's depths of ``ids``: one range seek per point on (point_id, at)."""
        out: dict[str, list[tuple[float, float | None]]] = {}
        since = now - self.trend_rules.window_s
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            rows = self.ws.db.execute(
                "SELECT point_id, at, depth_cm FROM sensor_readings "
                f"WHERE point_id IN ({','.join('?' for _ in chunk)}) AND at > ? AND at <= ? "
                "AND depth_cm IS NOT NULL", [*chunk, since, now],
            ).fetchall()
            for pid, at, depth in rows:
                out.setdefault(pid, []).append((at, depth))
        return out

    def state_counts(self, now: float | None = None) -> dict[WaterState, int]:
        counts = dict.fromkeys(WaterState, 0)
        for st in self.statuses(now=now):
            if st.depth_cm is not None:
                counts[st.state] += 1
        return counts

    def history(self, point_id: str, since: float,
                until: float | None = None) -> list[tuple[float, float]]:
        """(at, depth) of one point since ``since``, in time order (for its chart)."""
        until = self.ctx.clock() if until is None else until
        rows = self.ws.db.execute(
            "SELECT at, depth_cm FROM sensor_readings WHERE point_id = ? AND at >= ? AND at <= ? "
            "AND depth_cm IS NOT NULL ORDER BY at", [point_id, since, until],
        ).fetchall()
        return [(float(a), float(d)) for a, d in rows]

    def compact_history(self, now: float | None = None) -> int:
        """Retention: fold raw readings older than ``keep_raw_s`` into hourly aggregates
        (deepest depth, rain total, count) and delete them. Returns the rows removed. Meant for
        a daily background job; each call handles at most one day, so it stays short."""
        now = self.ctx.clock() if now is None else now
        cutoff = math.floor((now - self.keep_raw_s) / 3600.0) * 3600.0
        removed = 0
        conn = self.ws.db.conn
        # Per point, so every statement is a range on the (point_id, at) index, never a scan.
        for pid in self.points():
            first = conn.execute("SELECT min(at) FROM sensor_readings WHERE point_id = ?",
                                 [pid]).fetchone()[0]
            if first is None or first >= cutoff:
                continue
            until = min(cutoff, math.floor(first / 3600.0) * 3600.0 + 86_400.0)
            with self.ws.db.atomic():
                conn.execute(
                    "INSERT INTO sensor_readings_hourly (point_id, hour, max_depth_cm, rain_mm, n) "
                    "SELECT point_id, CAST(at / 3600 AS INTEGER) * 3600.0 AS h, max(depth_cm), "
                    "sum(rain_mm), count(*) FROM sensor_readings WHERE point_id = ? AND at < ? "
                    "GROUP BY h ON CONFLICT(point_id, hour) DO UPDATE SET "
                    "max_depth_cm = max(coalesce(max_depth_cm, excluded.max_depth_cm), "
                    "coalesce(excluded.max_depth_cm, max_depth_cm)), "
                    "rain_mm = coalesce(rain_mm, 0) + coalesce(excluded.rain_mm, 0), "
                    "n = n + excluded.n", [pid, until])
                removed += conn.execute(
                    "DELETE FROM sensor_readings WHERE point_id = ? AND at < ?",
                    [pid, until]).rowcount
        if removed:
            log.info("water history: %d raw readings older than %.0f folded into hourly "
                     "aggregates", removed, cutoff)
        return removed

    # -- responsible people and notifications --------------------------------------------------

    def responsible_people(self, point_id: str) -> list[ResponsiblePerson]:
        """The point's call list, in calling order."""
        rows = self.ws.db.execute(
            "SELECT id, point_id, name, role, phone, call_order FROM responsible_people "
            "WHERE point_id = ? ORDER BY call_order, name", [point_id],
        ).fetchall()
        return [ResponsiblePerson(*r) for r in rows]

    def add_responsible(self, point_id: str, name: str, phone: str, actor: str, *,
                        role: str = "责任人", call_order: int | None = None) -> str:
        if not name.strip():
            raise ValueError("责任人姓名不能为空")
        if point_id not in self.points():
            raise KeyError(f"监测点 {point_id} 不存在")
        if call_order is None:
            call_order = len(self.responsible_people(point_id)) + 1
        pid = f"rp-{uuid.uuid4().hex[:16]}"
        with self.ws.write(actor, origin=self) as tx:
            tx.insert("responsible_people", {"id": pid, "point_id": point_id, "name": name.strip(),
                                             "role": role, "phone": phone.strip(),
                                             "call_order": call_order})
        return pid

    def seed_call_lists(self, people: Iterable[dict[str, object]], actor: str) -> int:
        """Add many responsible people in one transaction (demo set-up, imports). Points that
        already have a call list are left alone."""
        have = {r[0] for r in self.ws.db.execute("SELECT DISTINCT point_id FROM responsible_people")}
        rows = [{"id": f"rp-{uuid.uuid4().hex[:16]}", **p} for p in people
                if p["point_id"] not in have and p["point_id"] in self.points()]
        if rows:
            with self.ws.write(actor, origin=self) as tx:
                tx.insert_many("responsible_people", rows)
        return len(rows)

    def mark_notified(self, point_id: str, person_id: str, actor: str, *,
                      outcome: str = "reached", alert_id: str | None = None,
                      note: str = "") -> str:
        """Record that ``actor`` called a responsible person now, with the outcome."""
        if outcome not in OUTCOME_LABELS:
            raise ValueError(f"未知的通知结果：{outcome}")
        person = next((p for p in self.responsible_people(point_id) if p.id == person_id), None)
        if person is None:
            raise KeyError(f"监测点 {point_id} 没有责任人 {person_id}")
        if alert_id is None:
            alert_id = self._open_alert_for(point_id)
        nid = f"wn-{uuid.uuid4().hex[:16]}"
        with self.ws.write(actor, origin=self) as tx:
            tx.insert("water_notifications", {
                "id": nid, "point_id": point_id, "alert_id": alert_id, "person_id": person_id,
                "person_name": person.name, "at": self.ctx.clock(), "actor": actor,
                "outcome": outcome, "note": note,
            })
        log.info("notified %s for %s (%s) by %s", person.name, point_id, outcome, actor)
        return nid

    def _open_alert_for(self, point_id: str) -> str | None:
        row = self.ws.db.execute(
            "SELECT id FROM alerts WHERE dedup_key IN (?, ?) AND state != 'resolved' "
            "ORDER BY raised_at DESC LIMIT 1",
            [f"water.threshold:{point_id}", f"water.rise:{point_id}"],
        ).fetchone()
        return None if row is None else str(row[0])

    def notifications(self, point_id: str | None = None) -> list[Notification]:
        where, params = ("WHERE point_id = ?", [point_id]) if point_id else ("", [])
        rows = self.ws.db.execute(
            "SELECT id, point_id, alert_id, person_id, person_name, at, actor, outcome, note "
            f"FROM water_notifications {where} ORDER BY at", params,
        ).fetchall()
        return [Notification(*r) for r in rows]

    def time_to_wake(self, alert_id: str) -> float | None:
        """Seconds from the alert being raised to the first responsible person reached."""
        row = self.ws.db.execute(
            "SELECT min(n.at) - a.raised_at FROM water_notifications n "
            "JOIN alerts a ON a.id = n.alert_id WHERE n.alert_id = ? AND n.outcome = 'reached'",
            [alert_id],
        ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def woken_within(self, minutes: float, since: float = 0.0) -> tuple[int, int]:
        """(alerts whose responsible person was reached within ``minutes``, water threshold
        alerts raised since ``since``): the "woken within N minutes" figure."""
        rows = self.ws.db.execute(
            "SELECT a.id, (SELECT min(n.at) FROM water_notifications n WHERE n.alert_id = a.id "
            "AND n.outcome = 'reached') - a.raised_at FROM alerts a "
            "WHERE a.kind = ? AND a.raised_at >= ?", [AlertKind.WATER_THRESHOLD.value, since],
        ).fetchall()
        within = sum(1 for _, d in rows if d is not None and d <= minutes * 60)
        return within, len(rows)


def _threshold_of(t: DepthThresholds, state: WaterState) -> float:
    return {WaterState.CAUTION: t.caution_cm, WaterState.WARNING: t.warning_cm,
            WaterState.CLOSED: t.close_cm}.get(state, 0.0)


def _point(r: tuple[object, ...]) -> WaterPoint:
    try:
        kind = WaterPointKind(str(r[2]))
    except ValueError:
        kind = WaterPointKind.ROAD
    d = default_thresholds(kind)
    try:
        th = DepthThresholds(
            float(r[7]) if r[7] is not None else d.caution_cm,  # type: ignore[arg-type]
            float(r[8]) if r[8] is not None else d.warning_cm,  # type: ignore[arg-type]
            float(r[9]) if r[9] is not None else d.close_cm,  # type: ignore[arg-type]
        )
    except ValueError:
        log.warning("water point %s has inconsistent thresholds; using defaults", r[0])
        th = d
    return WaterPoint(str(r[0]), str(r[1] or r[0]), kind, str(r[3] or ""), str(r[4] or ""),
                      float(r[5] or 0.0), float(r[6] or 0.0), th)  # type: ignore[arg-type]
