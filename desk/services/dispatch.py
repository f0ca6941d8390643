"""Dispatch (派警): send a unit to a target, move it through its states, close and reopen roads.

Every status change is its own timestamped ``unit_status_log`` row (FACTS: response times are
computed from them afterwards), written in the same transaction as the unit's new status and the
dispatch record, through the workspace's one write path.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from desk.domain.units import UnitStatus
from desk.feeds.base import FeedEvent
from desk.services.context import AppContext
from desk.store.workspace import Workspace
from desk.store.writes import WriteTx

#: Which state may follow which. 离线 (out of service) can be entered from anywhere and left only
#: to 在岗; a dispatcher may always stand a unit down to 在岗.
NEXT_STATES: dict[UnitStatus, frozenset[UnitStatus]] = {
    UnitStatus.AVAILABLE: frozenset({UnitStatus.DISPATCHED, UnitStatus.OFFLINE}),
    UnitStatus.DISPATCHED: frozenset({UnitStatus.EN_ROUTE, UnitStatus.ON_SCENE,
                                      UnitStatus.AVAILABLE, UnitStatus.OFFLINE}),
    UnitStatus.EN_ROUTE: frozenset({UnitStatus.ON_SCENE, UnitStatus.AVAILABLE, UnitStatus.OFFLINE}),
    UnitStatus.ON_SCENE: frozenset({UnitStatus.RETURNING, UnitStatus.AVAILABLE,
                                    UnitStatus.OFFLINE}),
    UnitStatus.RETURNING: frozenset({UnitStatus.AVAILABLE, UnitStatus.DISPATCHED,
                                     UnitStatus.OFFLINE}),
    UnitStatus.OFFLINE: frozenset({UnitStatus.AVAILABLE}),
}


log = logging.getLogger(__name__)

#: Status words the field terminals and feeds use, besides our own values.
STATUS_SYNONYMS = {
    "free": UnitStatus.AVAILABLE, "idle": UnitStatus.AVAILABLE, "空闲": UnitStatus.AVAILABLE,
    "待命": UnitStatus.AVAILABLE, "在岗": UnitStatus.AVAILABLE, "assigned": UnitStatus.DISPATCHED,
    "已派": UnitStatus.DISPATCHED, "enroute": UnitStatus.EN_ROUTE, "在途": UnitStatus.EN_ROUTE,
    "onscene": UnitStatus.ON_SCENE, "arrived": UnitStatus.ON_SCENE, "到场": UnitStatus.ON_SCENE,
    "返回": UnitStatus.RETURNING, "离线": UnitStatus.OFFLINE, "休整": UnitStatus.OFFLINE,
    "out_of_service": UnitStatus.OFFLINE,
}


def parse_unit_status(value: object) -> UnitStatus | None:
    key = str(value or "").strip().lower()
    try:
        return UnitStatus(key)
    except ValueError:
        return STATUS_SYNONYMS.get(key)


class DispatchError(ValueError):
    """A refused dispatch operation; ``str(err)`` is a Chinese message for the dispatcher."""


@dataclass(frozen=True, slots=True)
class Target:
    """What a unit is sent to: an entity (table) and id, and where it is."""

    entity: str  # "alerts", "water_points", "accident_cases", "map"
    id: str
    lat: float
    lon: float
    label: str = ""


class DispatchService:
    """``ctx.service(DispatchService)``."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @property
    def ws(self) -> Workspace:
        return self.ctx.workspace

    def _unit(self, unit_id: str) -> dict[str, object]:
        row = self.ws.db.execute(
            "SELECT id, call_sign, status FROM units WHERE id = ?", [unit_id]
        ).fetchone()
        if row is None:
            raise DispatchError(f"警力单元 {unit_id} 不存在")
        return {"id": row[0], "call_sign": row[1], "status": row[2]}

    def dispatch(self, unit_id: str, target: Target, note: str = "") -> str:
        """派警: the unit goes to 已派 with a dispatch record naming the target."""
        unit = self._unit(unit_id)
        current = UnitStatus(str(unit["status"]))
        if UnitStatus.DISPATCHED not in NEXT_STATES[current]:
            raise DispatchError(
                f"{unit['call_sign']} 当前为“{current.label}”，不能派警（只可派在岗或返回中的警力）"
            )
        now = self.ctx.clock()
        dispatch_id = f"dp-{uuid.uuid4().hex[:16]}"
        with self.ws.write(self.ctx.actor) as tx:
            tx.insert("dispatches", {
                "id": dispatch_id, "unit_id": unit_id, "target_entity": target.entity,
                "target_id": target.id, "lat": target.lat, "lon": target.lon,
                "note": note or target.label, "at": now, "actor": self.ctx.actor,
            })
            self._set_status(tx, unit_id, UnitStatus.DISPATCHED, now)
        return dispatch_id

    def set_status(self, unit_id: str, status: UnitStatus | str) -> None:
        """Move a unit to its next state (在途, 到场, 返回, 在岗, 离线); illegal moves are refused."""
        new = UnitStatus(status)
        unit = self._unit(unit_id)
        current = UnitStatus(str(unit["status"]))
        if new == current:
            return
        if new not in NEXT_STATES[current]:
            raise DispatchError(f"{unit['call_sign']} 不能从“{current.label}”改为“{new.label}”")
        now = self.ctx.clock()
        with self.ws.write(self.ctx.actor) as tx:
            self._set_status(tx, unit_id, new, now)
            open_dispatch = self.current_dispatch(unit_id)
            if open_dispatch is not None:
                if new == UnitStatus.ON_SCENE:
                    tx.update("dispatches", open_dispatch, {"arrived_at": now})
                elif new in (UnitStatus.AVAILABLE, UnitStatus.OFFLINE, UnitStatus.RETURNING):
                    tx.update("dispatches", open_dispatch, {"cleared_at": now})

    def _set_status(self, tx: WriteTx, unit_id: str, status: UnitStatus, now: float, *,
                    actor: str | None = None, extra: dict[str, object] | None = None) -> None:
        tx.update("units", unit_id, {"status": status.value, **(extra or {})})
        # Integer ids (the core schema's); we hold the write lock, so max + 1 is ours alone.
        log_id = int(tx.db.execute("SELECT coalesce(max(id), 0) + 1 FROM unit_status_log").fetchone()[0])
        tx.insert("unit_status_log", {"id": log_id, "unit_id": unit_id, "status": status.value,
                                      "at": now, "actor": actor or self.ctx.actor})

    # -- unit events from the feeds (routed here by the runtime) --------------------------------

    UNIT_EVENT_KINDS = ("unit.status", "unit.offline")

    def on_unit_event(self, event: FeedEvent) -> bool:
        """A unit's own report, from its terminal (``unit.status``: ``unit_id``, ``status``) or
        from the network (``unit.offline``: ``unit_id``; its radio or terminal stopped).

        The store changes in one transaction with a status-log row whose actor is the unit
        (``unit:<id>``), so response times and 看得见 can be computed afterwards:

        - ``unit.status`` sets the reported state. The field is the truth about where a unit is, so
          a report outside the dispatcher's usual sequence is applied (and logged), not refused;
          到场 stamps the open dispatch's arrival, 在岗/离线 clear it.
        - ``unit.offline`` sets the unit 离线 with ``online = 0`` and raises the 警力离线 alert at
          once (the watchdog keeps it, and resolves it when the unit is back). The open dispatch
          stays open: a unit on scene whose radio died is still on that job.

        ``unit_id`` may be the id or the call sign. Returns False for an event naming no known
        unit or state (logged; a feed never crashes the desk)."""
        d = event.data if isinstance(event.data, dict) else {}
        ref = str(d.get("unit_id") or d.get("id") or d.get("unit") or d.get("call_sign") or "")
        row = self.ws.db.execute(
            "SELECT id, call_sign, status, lat, lon FROM units WHERE id = ? OR call_sign = ? "
            "LIMIT 1", [ref, ref]).fetchone()
        if row is None:
            log.warning("%s event for an unknown unit %r ignored", event.kind, ref)
            return False
        unit_id, call_sign, current = str(row[0]), str(row[1]), UnitStatus(str(row[2]))
        actor = f"unit:{unit_id}"
        now = float(event.at) if isinstance(event.at, (int, float)) and event.at > 0 else self.ctx.clock()
        if event.kind == "unit.offline":
            with self.ws.write(actor) as tx:
                self._set_status(tx, unit_id, UnitStatus.OFFLINE, now, actor=actor,
                                 extra={"online": 0})
            from desk.services.alerts import AlertService

            was = "" if current is UnitStatus.OFFLINE else f"（离线前：{current.label}）"
            self.ctx.service(AlertService).raise_alert(
                "unit.offline", "yellow", "警力", call_sign, f"{call_sign} 失去连接{was}",
                lat=row[3], lon=row[4], dedup_key=f"unit.offline:{unit_id}", actor="system")
            return True
        if event.kind != "unit.status":
            log.warning("DispatchService got a feed event it does not handle: %s", event.kind)
            return False
        new = parse_unit_status(d.get("status"))
        if new is None:
            log.warning("unit.status for %s with an unknown status %r ignored", call_sign,
                        d.get("status"))
            return False
        if new == current:
            return True
        if new not in NEXT_STATES[current]:
            log.info("unit %s reported %s while %s: applied as reported", call_sign, new.value,
                     current.value)
        extra: dict[str, object] = {"online": 1}
        with self.ws.write(actor) as tx:
            self._set_status(tx, unit_id, new, now, actor=actor, extra=extra)
            open_dispatch = self.current_dispatch(unit_id)
            if open_dispatch is not None:
                if new == UnitStatus.ON_SCENE:
                    tx.update("dispatches", open_dispatch, {"arrived_at": now})
                elif new in (UnitStatus.AVAILABLE, UnitStatus.OFFLINE, UnitStatus.RETURNING):
                    tx.update("dispatches", open_dispatch, {"cleared_at": now})
        return True

    def current_dispatch(self, unit_id: str) -> str | None:
        row = self.ws.db.execute(
            "SELECT id FROM dispatches WHERE unit_id = ? AND cleared_at IS NULL "
            "ORDER BY at DESC LIMIT 1", [unit_id]
        ).fetchone()
        return None if row is None else str(row[0])

    def dispatches_to(self, entity: str, target_id: str) -> list[dict[str, object]]:
        return [dict(r) for r in self.ws.db.query(
            "SELECT d.*, u.call_sign FROM dispatches d JOIN units u ON u.id = d.unit_id "
            "WHERE target_entity = ? AND target_id = ? ORDER BY d.at", [entity, target_id])]

    # -- road and tunnel closures (封闭) ---------------------------------------------------------

    def close_road(self, point_id: str, reason: str) -> str:
        """封闭 the road or tunnel at a water point; refused without a reason or if already closed."""
        if not reason.strip():
            raise DispatchError("封闭道路须填写原因")
        if self.ws.db.execute("SELECT 1 FROM water_points WHERE id = ?", [point_id]).fetchone() is None:
            raise DispatchError(f"监测点 {point_id} 不存在")
        if self.closure_of(point_id) is not None:
            raise DispatchError(f"{point_id} 已处于封闭状态")
        closure_id = f"rc-{uuid.uuid4().hex[:16]}"
        with self.ws.write(self.ctx.actor) as tx:
            tx.insert("road_closures", {"id": closure_id, "point_id": point_id,
                                        "reason": reason.strip(), "closed_at": self.ctx.clock(),
                                        "closed_by": self.ctx.actor})
        return closure_id

    def reopen_road(self, point_id: str) -> None:
        closure = self.closure_of(point_id)
        if closure is None:
            raise DispatchError(f"{point_id} 未封闭")
        with self.ws.write(self.ctx.actor) as tx:
            tx.update("road_closures", closure, {"reopened_at": self.ctx.clock(),
                                                 "reopened_by": self.ctx.actor})

    def closure_of(self, point_id: str) -> str | None:
        row = self.ws.db.execute(
            "SELECT id FROM road_closures WHERE point_id = ? AND reopened_at IS NULL", [point_id]
        ).fetchone()
        return None if row is None else str(row[0])
