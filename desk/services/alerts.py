"""The one inbox for alerts from every feature: raise (folding duplicates), acknowledge, assign,
resolve, and read back, all through the workspace's write path.

Severities are ``"red"``, ``"orange"``, ``"yellow"``, ``"blue"`` (``"info"`` is an alias of blue);
see ``desk.domain.alerts.Severity`` for what each means. Kinds are dotted names such as
``water.threshold``, ``water.rise``, ``unit.offline``, ``unit.stale``, ``camera.offline``,
``accident.overdue``, ``duty.unstaffed``, ``duty.off_post``.

Usage from another feature::

    alerts = ctx.service(AlertService)
    alert_id = alerts.raise_alert("duty.unstaffed", "orange", "勤务", "花园路岗",
                                  "岗位 07:30 起无人", dedup_key="duty.unstaffed:post-12")
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desk.domain.alerts import (
    CONGESTION_LABELS,
    Alert,
    AlertAction,
    AlertEvent,
    AlertKind,
    AlertState,
    Severity,
    central_severity,
    congestion_severity,
    crowd_severity,
    fold_severity,
    next_state,
    parse_severity,
)
from desk.feeds.base import FeedEvent
from desk.services.context import AppContext

log = logging.getLogger(__name__)

OPEN_STATES = (AlertState.NEW.value, AlertState.ACKNOWLEDGED.value, AlertState.ASSIGNED.value)


@dataclass(frozen=True, slots=True)
class Assignee:
    """Someone an alert can be assigned to (指派): a unit, an officer, a water point's responsible
    person or a station. ``label`` is what the alert's history records."""

    kind: str  # "unit", "person", "officer", "station"
    id: str
    label: str
    detail: str = ""


def _new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


class AlertService:
    """Alerts of one workspace. Constructed once per context: ``ctx.service(AlertService)``.

    Every change goes through ``workspace.write`` so it lands in the change log (and sync outbox);
    panels refresh on ChangeSets touching ``alerts``.
    """

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.ws = ctx.workspace
        self._listeners: list[Callable[[str, bool], None]] = []

    # -- raising -------------------------------------------------------------------------------

    def raise_alert(
        self,
        kind: str,
        severity: str,
        source: str,
        place: str,
        message: str,
        *,
        lat: float | None = None,
        lon: float | None = None,
        dedup_key: str | None = None,
        actor: str | None = None,
    ) -> str:
        """Raise an alert and return its id. When a still-open alert has the same ``dedup_key``,
        the new occurrence folds into it (count + 1, latest message and time, severity may only
        escalate) and that alert's id is returned."""
        sev = parse_severity(severity)
        if not kind.strip():
            raise ValueError("告警类型不能为空")
        now = self.ctx.clock()
        who = actor or "system"
        with self.ws.write(who, origin=self) as tx:
            existing = None
            if dedup_key:
                existing = self.ws.db.execute(
                    "SELECT id, severity, count FROM alerts WHERE dedup_key = ? AND state IN "
                    f"({','.join('?' for _ in OPEN_STATES)}) ORDER BY raised_at DESC LIMIT 1",
                    [dedup_key, *OPEN_STATES],
                ).fetchone()
            if existing is not None:
                alert_id = str(existing[0])
                cur_sev, count = existing[1], existing[2]
                new_sev = fold_severity(Severity(cur_sev), sev)
                tx.update("alerts", alert_id, {
                    "count": int(count) + 1, "last_at": now, "message": message,
                    "severity": new_sev.value,
                })
                self._event(tx, alert_id, now, who, action=AlertAction.FOLD, note=message)
                escalated = new_sev.rank < Severity(cur_sev).rank
                log.debug("alert %s folded (count %d)", alert_id, int(count) + 1)
            else:
                alert_id = _new_id("al")
                tx.insert("alerts", {
                    "id": alert_id, "kind": kind, "severity": sev.value, "source": source,
                    "place": place, "message": message, "lat": lat, "lon": lon,
                    "dedup_key": dedup_key, "state": AlertState.NEW.value, "count": 1,
                    "raised_at": now, "last_at": now, "acked_by": None, "acked_at": None,
                    "assigned_to": None, "assigned_at": None, "resolved_by": None,
                    "resolved_at": None, "note": "",
                })
                self._event(tx, alert_id, now, who, action=AlertAction.RAISE, note=message)
                escalated = True
                log.info("alert raised %s %s %s: %s", alert_id, sev.value, kind, message)
        for listener in list(self._listeners):
            listener(alert_id, escalated)
        return alert_id

    def subscribe_raised(self, listener: Callable[[str, bool], None]) -> Callable[[], None]:
        """Call ``listener(alert_id, is_new_or_escalated)`` after each raise (on the raising
        thread). Most views should use ChangeSets instead; this is for the sound."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def refresh_text(self, dedup_key: str, message: str, *, actor: str = "system") -> bool:
        """Update the text of the open alert with ``dedup_key`` when a condition that is still
        the same alert has changed (a stale fix getting older, 5 → 9 offline units), without
        counting it as a repeat. Returns True when something changed."""
        row = self.ws.db.execute(
            "SELECT id, message FROM alerts WHERE dedup_key = ? AND state IN "
            f"({','.join('?' for _ in OPEN_STATES)}) ORDER BY raised_at DESC LIMIT 1",
            [dedup_key, *OPEN_STATES],
        ).fetchone()
        if row is None or row[1] == message:
            return False
        with self.ws.write(actor, origin=self) as tx:
            tx.update("alerts", str(row[0]), {"message": message})
        return True

    # -- feed events (routed here by the runtime) ----------------------------------------------

    FEED_KINDS = ("alert", "congestion", "crowd")

    def on_feed_event(self, event: FeedEvent) -> str | None:
        """Turn a feed event into an inbox alert with a place, so the map can show it:

        - ``alert`` (desk-central's stream, ``POST /alerts``): ``level`` critical/warning/info,
          ``message``, optional ``lat``/``lon``/``place``;
        - ``congestion`` (drill injects, traffic feeds): ``road``, ``lat``, ``lon``, ``level``;
        - ``crowd`` (drill injects): ``place``, ``lat``, ``lon``, ``size`` (people).

        A repeat for the same road or place folds into its open alert (text and count update).
        Returns the alert id; None for an event that cannot become an alert (logged, never
        raised: a feed must not crash the desk)."""
        d = event.data if isinstance(event.data, dict) else {}
        lat, lon = _place(d.get("lat"), d.get("lon"))
        if (d.get("lat") is not None or d.get("lon") is not None) and lat is None:
            log.warning("feed %s event with an invalid position %r, %r: raised without a place",
                        event.kind, d.get("lat"), d.get("lon"))
        note = str(d.get("note") or "").strip()
        try:
            if event.kind == "alert":
                message = str(d.get("message") or "").strip()
                if not message:
                    log.warning("central alert without a message ignored: %r", d)
                    return None
                sev = central_severity(d.get("level"))
                place = str(d.get("place") or "").strip() or (
                    f"{lat:.4f}, {lon:.4f}" if lat is not None and lon is not None else "指挥中心")
                key = f"central.alert:{place}:{message[:60]}"
                return self.raise_alert(AlertKind.CENTRAL, sev.value, "指挥中心", place, message,
                                        lat=lat, lon=lon, dedup_key=key, actor="system")
            if event.kind == "congestion":
                road = str(d.get("road") or d.get("place") or "").strip() or "未知路段"
                sev = congestion_severity(d.get("level"))
                # The reporter's own words say more than the grade (the direction, the cause).
                message = note or f"{road}{CONGESTION_LABELS[sev]}"
                return self.raise_alert(AlertKind.CONGESTION, sev.value, "路况", road, message,
                                        lat=lat, lon=lon, dedup_key=f"congestion:{road}",
                                        actor="system")
            if event.kind == "crowd":
                place = str(d.get("place") or "").strip() or "未知地点"
                size = _int(d.get("size"))
                sev = crowd_severity(size)
                message = note or (f"{place}聚集约 {size} 人" if size is not None
                                   else f"{place}人员聚集")
                return self.raise_alert(AlertKind.CROWD, sev.value, "客流", place, message,
                                        lat=lat, lon=lon, dedup_key=f"crowd:{place}",
                                        actor="system")
        except ValueError as exc:
            log.warning("feed %s event refused: %s (%r)", event.kind, exc, d)
            return None
        log.warning("AlertService got a feed event it does not handle: %s", event.kind)
        return None

    # -- the state machine ---------------------------------------------------------------------

    def acknowledge(self, alert_id: str, actor: str, note: str = "") -> None:
        """new → acknowledged (确认). Raises ``AlertTransitionError`` from any other state."""
        self._transition(alert_id, actor, AlertAction.ACKNOWLEDGE, note)

    def assign(self, alert_id: str, actor: str, note: str = "", *, assignee: str = "") -> None:
        """→ assigned (指派) to ``assignee`` (a unit, person or team; defaults to ``note``). The
        history row names the assignee ("指派：二七铁骑-01"), then the note."""
        who = (assignee or note).strip()
        if not who:
            current = self.get(alert_id)
            if current is None:
                raise KeyError(f"告警 {alert_id} 不存在")
            next_state(current.state, AlertAction.ASSIGN)  # a refused transition says so first
            raise ValueError("请选择指派对象")
        text = who if not note or note == who else f"{who}（{note}）"
        self._transition(alert_id, actor, AlertAction.ASSIGN, text, assignee=who)

    def point_of(self, alert: Alert) -> str | None:
        """The water point a water alert is about (its dedup key names it), else None."""
        key = alert.dedup_key or ""
        if key.startswith("water.") and ":" in key:
            return key.split(":", 1)[1]
        return None

    def assignee_choices(self, alert_id: str, *, units: int = 15) -> list[Assignee]:
        """Whom this alert can be assigned to, most useful first: the water point's responsible
        people, the nearest units that can be sent (空闲/待命, 返回) with their ETA, officers on
        duty, then every station (大队/中队)."""
        a = self.get(alert_id)
        if a is None:
            raise KeyError(f"告警 {alert_id} 不存在")
        db = self.ws.db
        out: list[Assignee] = []
        point = self.point_of(a)
        if point and db["responsible_people"].exists():
            for pid, name, role, phone in db.execute(
                    "SELECT id, name, role, phone FROM responsible_people WHERE point_id = ? "
                    "ORDER BY call_order, name", [point]):
                out.append(Assignee("person", str(pid), f"{name}（{role or '责任人'}）",
                                    str(phone or "")))
        if a.lat is not None and a.lon is not None:
            from desk.services.nearest import NearestUnits

            for u in self.ctx.service(NearestUnits).find(a.lat, a.lon, n=units).units:
                detail = f"{u.distance_m / 1000:.1f} km，约 {u.eta_s / 60:.0f} 分钟"
                if u.stale:
                    detail += "，定位陈旧"
                out.append(Assignee("unit", u.unit_id, u.call_sign, detail))
        else:
            for uid, cs in db.execute(
                    "SELECT id, call_sign FROM units WHERE status IN ('available', 'returning') "
                    "ORDER BY call_sign"):
                out.append(Assignee("unit", str(uid), str(cs)))
        if db["officers"].exists():
            for oid, name, badge, station in db.execute(
                    "SELECT o.id, o.name, o.badge, coalesce(s.name, '') FROM officers o "
                    "LEFT JOIN stations s ON s.id = o.station_id WHERE o.on_duty = 1 "
                    "ORDER BY s.name, o.name"):
                label = f"{name}（警号 {badge}）" if badge else str(name)
                out.append(Assignee("officer", str(oid), label, str(station)))
        if db["stations"].exists():
            for sid, name in db.execute("SELECT id, name FROM stations ORDER BY kind, name"):
                out.append(Assignee("station", str(sid), str(name)))
        return out

    def resolve(self, alert_id: str, actor: str, note: str = "") -> None:
        """→ resolved (处置完毕). Final: a later occurrence raises a new alert."""
        self._transition(alert_id, actor, AlertAction.RESOLVE, note)

    def resolve_by_key(self, dedup_key: str, actor: str, note: str = "") -> int:
        """Resolve every open alert with ``dedup_key`` (e.g. a water point back to normal)."""
        ids = [r[0] for r in self.ws.db.execute(
            f"SELECT id FROM alerts WHERE dedup_key = ? AND state IN "
            f"({','.join('?' for _ in OPEN_STATES)})", [dedup_key, *OPEN_STATES])]
        for alert_id in ids:
            self.resolve(alert_id, actor, note)
        return len(ids)

    def _transition(
        self, alert_id: str, actor: str, action: AlertAction, note: str, *, assignee: str = ""
    ) -> None:
        if not actor.strip():
            raise ValueError("操作人不能为空")
        now = self.ctx.clock()
        with self.ws.write(actor, origin=self) as tx:
            row = self.ws.db.execute(
                "SELECT state FROM alerts WHERE id = ?", [alert_id]
            ).fetchone()
            if row is None:
                raise KeyError(f"告警 {alert_id} 不存在")
            target = next_state(AlertState(row[0]), action)
            patch: dict[str, Any] = {"state": target.value}
            if action is AlertAction.ACKNOWLEDGE:
                patch |= {"acked_by": actor, "acked_at": now}
            elif action is AlertAction.ASSIGN:
                patch |= {"assigned_to": assignee, "assigned_at": now}
                # Assigning straight from new means the dispatcher has seen it.
                if row[0] == AlertState.NEW.value:
                    patch |= {"acked_by": actor, "acked_at": now}
            elif action is AlertAction.RESOLVE:
                patch |= {"resolved_by": actor, "resolved_at": now}
            if note:
                patch["note"] = note
            tx.update("alerts", alert_id, patch)
            self._event(tx, alert_id, now, actor, action=action, note=note)
        log.info("alert %s %s by %s", alert_id, action.value, actor)

    def _event(
        self, tx: Any, alert_id: str, at: float, actor: str, *, action: AlertAction, note: str
    ) -> None:
        tx.insert("alert_events", {
            "id": _new_id("ae"), "alert_id": alert_id, "at": at, "actor": actor,
            "action": action.value, "note": note,
        })

    # -- reading -------------------------------------------------------------------------------

    def get(self, alert_id: str) -> Alert | None:
        row = self.ws.db.execute(f"SELECT {_COLS} FROM alerts WHERE id = ?", [alert_id]).fetchone()
        return None if row is None else _alert(row)

    def get_many(self, ids: list[str]) -> dict[str, Alert]:
        """The alerts with these ids that exist (one query per 500 ids)."""
        out: dict[str, Alert] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = self.ws.db.execute(
                f"SELECT {_COLS} FROM alerts WHERE id IN ({','.join('?' for _ in chunk)})", chunk)
            out.update((r[0], _alert(r)) for r in rows)
        return out

    def open_alerts(self) -> list[Alert]:
        """Alerts not yet resolved, most severe first, then newest first (the inbox order)."""
        rows = self.ws.db.execute(
            f"SELECT {_COLS} FROM alerts WHERE state IN "
            f"({','.join('?' for _ in OPEN_STATES)})", list(OPEN_STATES),
        ).fetchall()
        return sorted((_alert(r) for r in rows), key=Alert.sort_key)

    def recent_alerts(self, since: float) -> list[Alert]:
        """All alerts raised at or after ``since`` (open or resolved), inbox order."""
        rows = self.ws.db.execute(
            f"SELECT {_COLS} FROM alerts WHERE raised_at >= ? OR state IN "
            f"({','.join('?' for _ in OPEN_STATES)})", [since, *OPEN_STATES],
        ).fetchall()
        return sorted((_alert(r) for r in rows), key=Alert.sort_key)

    def events(self, alert_id: str) -> list[AlertEvent]:
        """The alert's history, oldest first: who did what when."""
        rows = self.ws.db.execute(
            "SELECT alert_id, at, actor, action, note FROM alert_events WHERE alert_id = ? "
            "ORDER BY at, rowid", [alert_id],
        ).fetchall()
        return [AlertEvent(r[0], r[1], r[2], AlertAction(r[3]), r[4] or "") for r in rows]

    def unacknowledged_red(self) -> list[Alert]:
        """Red alerts still in state new: the sound plays while this is non-empty."""
        return [a for a in self.open_alerts()
                if a.severity is Severity.RED and a.state is AlertState.NEW]

    def raised_per_hour(self, since: float) -> list[tuple[float, str, int]]:
        """(hour start, kind, alerts raised) since ``since``, for the 态势 dashboard."""
        rows = self.ws.db.execute(
            "SELECT CAST(raised_at / 3600 AS INTEGER) * 3600.0 AS h, kind, count(*) "
            "FROM alerts WHERE raised_at >= ? GROUP BY h, kind ORDER BY h", [since],
        ).fetchall()
        return [(float(h), str(k), int(n)) for h, k, n in rows]


_COLS = (
    "id, kind, severity, source, place, message, state, raised_at, last_at, count, dedup_key, "
    "lat, lon, acked_by, acked_at, assigned_to, assigned_at, resolved_by, resolved_at"
)


def _alert(r: Any) -> Alert:
    return Alert(
        id=r[0], kind=r[1], severity=Severity(r[2]), source=r[3] or "", place=r[4] or "",
        message=r[5] or "", state=AlertState(r[6]), raised_at=r[7], last_at=r[8],
        count=int(r[9] or 1), dedup_key=r[10], lat=r[11], lon=r[12], acked_by=r[13],
        acked_at=r[14], assigned_to=r[15], assigned_at=r[16], resolved_by=r[17],
        resolved_at=r[18],
    )


def _place(lat: object, lon: object) -> tuple[float | None, float | None]:
    """A WGS-84 position from feed values, or (None, None) when missing, not numbers or out of
    range (a NaN must never reach the map)."""
    try:
        la, lo = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None, None
    if not (-90.0 <= la <= 90.0 and -180.0 <= lo <= 180.0):  # also false for NaN
        return None, None
    return la, lo


def _int(value: object) -> int | None:
    try:
        n = int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return n if n >= 0 else None
