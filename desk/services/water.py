"""Water points in use: readings in, states and trends out, alerts raised; thresholds edited;
responsible people called and the calls recorded so "woken within N minutes" can be measured."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from desk.domain.alerts import AlertKind
from desk.domain.water import DepthThresholds, WaterPointKind, default_thresholds
from desk.domain.waterlevel import (
    DEFAULT_TREND_RULES,
    Trend,
    TrendResult,
    TrendRules,
    WaterState,
    rate_of_rise,
    water_state,
    water_state_with_hysteresis,
)
from desk.services.alerts import AlertService
from desk.services.context import AppContext
from desk.services.rainstorm import RainstormService
from desk.store.events import ChangeSet

log = logging.getLogger(__name__)

#: Alert severity for a point entering each state.
STATE_SEVERITY = {WaterState.CAUTION: "yellow", WaterState.WARNING: "orange",
                  WaterState.CLOSED: "red"}


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
class _PointCache:
    state: WaterState = WaterState.NORMAL
    trend: Trend = Trend.UNKNOWN
    extra: dict[str, float] = field(default_factory=dict)


class WaterService:
    """``ctx.service(WaterService)``. Listens to the workspace bus: every batch of sensor
    readings stored by ``record_telemetry`` is evaluated for the points it touched.

    Set ``ctx.settings["water.auto_evaluate"] = False`` to evaluate only when ``evaluate`` is
    called (tests, replays)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.ws = ctx.workspace
        self.trend_rules: TrendRules = ctx.settings.get("water.trend_rules", DEFAULT_TREND_RULES)
        self._points: dict[str, WaterPoint] | None = None
        self._cache: dict[str, _PointCache] = {}
        self._listeners: list[Callable[[list[PointStatus]], None]] = []
        self._unsubscribe: Callable[[], None] | None = None
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
        if changes.touches("sensor_readings"):
            self.evaluate(changes.ids["sensor_readings"])

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

    # -- evaluation ----------------------------------------------------------------------------

    def statuses(self, point_ids: Iterable[str] | None = None,
                 now: float | None = None) -> list[PointStatus]:
        """Latest depth, state and trend of the points (all when ``point_ids`` is None)."""
        now = self.ctx.clock() if now is None else now
        points = self.points()
        wanted = list(points) if point_ids is None else [p for p in point_ids if p in points]
        if not wanted:
            return []
        latest = self._latest(wanted if point_ids is not None else None, now)
        recent = self._recent(wanted if point_ids is not None else None, now)
        out = []
        for pid in wanted:
            p = points[pid]
            at, depth, rain = latest.get(pid, (None, None, None))
            trend = rate_of_rise(recent.get(pid, ()), now, self.trend_rules)
            out.append(PointStatus(p, depth, at, rain, water_state(depth, p.thresholds), trend))
        return out

    def _in(self, ids: list[str] | None) -> tuple[str, list[str]]:
        if ids is None:
            return "", []
        return f" AND point_id IN ({','.join('?' for _ in ids)})", list(ids)

    def _latest(self, ids: list[str] | None, now: float
                ) -> dict[str, tuple[float, float | None, float | None]]:
        clause, params = self._in(ids)
        # SQLite returns the bare columns of the row holding max(at); the (point_id, at) index
        # makes this one seek per point. Depth and rain come from the newest row that has each.
        rows = self.ws.db.execute(
            "SELECT point_id, max(at), depth_cm FROM sensor_readings "
            f"WHERE depth_cm IS NOT NULL AND at <= ?{clause} GROUP BY point_id",
            [now, *params],
        ).fetchall()
        out: dict[str, tuple[float, float | None, float | None]] = {
            r[0]: (r[1], r[2], None) for r in rows}
        rows = self.ws.db.execute(
            "SELECT point_id, max(at), rain_mm FROM sensor_readings "
            f"WHERE rain_mm IS NOT NULL AND at <= ?{clause} GROUP BY point_id",
            [now, *params],
        ).fetchall()
        for pid, at, rain in rows:
            prev = out.get(pid)
            out[pid] = (prev[0], prev[1], rain) if prev else (at, None, rain)
        return out

    def _recent(self, ids: list[str] | None, now: float
                ) -> dict[str, list[tuple[float, float | None]]]:
        clause, params = self._in(ids)
        rows = self.ws.db.execute(
            "SELECT point_id, at, depth_cm FROM sensor_readings "
            f"WHERE depth_cm IS NOT NULL AND at > ? AND at <= ?{clause}",
            [now - self.trend_rules.window_s, now, *params],
        ).fetchall()
        out: dict[str, list[tuple[float, float | None]]] = {}
        for pid, at, depth in rows:
            out.setdefault(pid, []).append((at, depth))
        return out

    def evaluate(self, point_ids: Iterable[str] | None = None,
                 now: float | None = None) -> list[PointStatus]:
        """Evaluate points after new readings: raise an alert when a point enters a higher state
        or starts rising fast, and let the rain gauges raise a signal. Returns the statuses."""
        statuses = self.statuses(point_ids, now)
        alerts = self.ctx.service(AlertService)
        for st in statuses:
            cache = self._cache.setdefault(st.point.id, _PointCache())
            state = (water_state_with_hysteresis(st.depth_cm, st.point.thresholds, cache.state)
                     if st.depth_cm is not None else WaterState.NORMAL)
            p = st.point
            if state.rank > cache.state.rank and state in STATE_SEVERITY:
                alerts.raise_alert(
                    AlertKind.WATER_THRESHOLD, STATE_SEVERITY[state], f"积水监测 · {p.kind.label}",
                    p.name, f"水深 {st.depth_cm:.0f} cm，达到{state.label}阈值"
                    f"（{_threshold_of(p.thresholds, state):g} cm）",
                    lat=p.lat, lon=p.lon, dedup_key=f"water.threshold:{p.id}",
                )
            if st.trend.trend is Trend.RISING_FAST and cache.trend is not Trend.RISING_FAST:
                alerts.raise_alert(
                    AlertKind.WATER_RISE, "orange", f"积水监测 · {p.kind.label}", p.name,
                    f"水位快速上涨 {st.trend.cm_per_min or 0:.1f} cm/分钟，当前 "
                    f"{st.depth_cm or 0:.0f} cm",
                    lat=p.lat, lon=p.lon, dedup_key=f"water.rise:{p.id}",
                )
            cache.state = state
            cache.trend = st.trend.trend
        if statuses and any(s.rain_mm is not None for s in statuses):
            self.ctx.service(RainstormService).evaluate_gauges(now)
        for listener in list(self._listeners):
            listener(statuses)
        return statuses

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
