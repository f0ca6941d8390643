"""Dispatch (派警): send a unit to a target, move it through its states, close and reopen roads.

Every status change is its own timestamped ``unit_status_log`` row (FACTS: response times are
computed from them afterwards), written in the same transaction as the unit's new status and the
dispatch record, through the workspace's one write path.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from desk.domain.units import UnitStatus
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

    def _set_status(self, tx: WriteTx, unit_id: str, status: UnitStatus, now: float) -> None:
        tx.update("units", unit_id, {"status": status.value})
        # Integer ids (the core schema's); we hold the write lock, so max + 1 is ours alone.
        log_id = int(tx.db.execute("SELECT coalesce(max(id), 0) + 1 FROM unit_status_log").fetchone()[0])
        tx.insert("unit_status_log", {"id": log_id, "unit_id": unit_id, "status": status.value,
                                      "at": now, "actor": self.ctx.actor})

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
