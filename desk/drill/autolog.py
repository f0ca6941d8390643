"""Records trainee actions from the change log, so a drill scores what trainees really did in
the normal screens (accept a case, acknowledge an alert, dispatch a unit, close a tunnel, tick a
checklist item, call a responsible person) without any panel knowing it is in a drill.

Every user action already lands in ``change_log`` through the one write path; this reads the new
rows after each committed write and turns the ones that are trainee actions into
``DrillActionLog`` records, stamped with the drill clock.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from desk.drill.actions import DrillActionLog
from desk.store.events import ChangeSet
from desk.store.workspace import Workspace

log = logging.getLogger(__name__)

#: Writers that are not trainees: the drill itself, telemetry, sync, generators.
SYSTEM_ACTORS = frozenset({"drill", "telemetry", "demo", "seed", "sync:central", "system"})
#: Case keys of accident reports created by an inject (see desk.drill.runner.inject_batch).
INJECT_CASE_PREFIX = "drill:"

Action = tuple[str, str, dict[str, Any]]  # kind, target, data


class ChangeLogRecorder:
    """Subscribes to the drill workspace's bus; ``stop()`` unsubscribes."""

    def __init__(self, workspace: Workspace, actions: DrillActionLog) -> None:
        self.ws = workspace
        self.actions = actions
        self._owner = threading.get_ident()
        row = workspace.db.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()
        self._cursor = int(row[0])
        self._unsubscribe: Callable[[], None] | None = workspace.bus.subscribe(self._on_change)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_change(self, changes: ChangeSet) -> None:
        # The workspace's connection belongs to its thread; a write committed elsewhere is picked
        # up with the next change on this thread (the cursor makes sure nothing is skipped).
        if threading.get_ident() != self._owner or changes.origin is self.actions:
            return
        self.scan()

    def scan(self) -> int:
        """Turn change rows after the cursor into actions; returns how many were recorded."""
        rows = self.ws.db.execute(
            "SELECT seq, entity, entity_id, op, actor, patch FROM change_log WHERE seq > ? "
            "ORDER BY seq", [self._cursor],
        ).fetchall()
        recorded = 0
        for seq, entity, entity_id, op, actor, patch in rows:
            self._cursor = int(seq)
            if actor in SYSTEM_ACTORS:
                continue
            try:
                action = self._action_for(entity, str(entity_id), op, json.loads(patch or "null"))
            except Exception:
                log.exception("drill autolog: could not read change %s", seq)
                continue
            if action is not None:
                kind, target, data = action
                self.actions.record(kind, target, actor=str(actor), data=data)
                recorded += 1
        return recorded

    def _action_for(self, entity: str, entity_id: str, op: str, patch: Any) -> Action | None:
        if not isinstance(patch, dict):
            return None
        if entity == "accident_cases" and op == "update":
            kind = {"accepted": "accept", "decided": "decide"}.get(str(patch.get("state")))
            return None if kind is None else (kind, entity_id, self._case_data(entity_id))
        if entity == "alert_events" and op == "insert" and patch.get("action") == "acknowledge":
            return ("acknowledge", str(patch.get("alert_id")), {})
        if entity == "dispatches" and op == "insert":
            return self._dispatch(patch)
        if entity == "road_closures" and op == "insert":
            return ("close_tunnel", str(patch.get("point_id")), {})
        if entity == "rain_checklist_items" and op == "update" and patch.get("done_at"):
            text = self._one("SELECT text FROM rain_checklist_items WHERE id = ?", entity_id)
            return ("checklist", str(text or entity_id), {"item_id": entity_id})
        if entity == "water_notifications" and op == "insert":
            role = self._one("SELECT role FROM responsible_people WHERE id = ?",
                             str(patch.get("person_id")))
            target = str(role or patch.get("person_name") or patch.get("person_id"))
            return ("notify", target, {"person": patch.get("person_name"),
                                       "point_id": patch.get("point_id")})
        return None

    def _dispatch(self, patch: dict[str, Any]) -> Action:
        entity, target = str(patch.get("target_entity")), str(patch.get("target_id"))
        data: dict[str, Any] = {"unit_id": patch.get("unit_id")}
        if entity == "alerts":
            # An alert about a water point counts as help sent to that point.
            key = self._one("SELECT dedup_key FROM alerts WHERE id = ?", target)
            if key and ":" in str(key):
                data["alert_id"] = target
                target = str(key).split(":", 1)[1]
        elif entity == "accident_cases":
            data |= self._case_data(target)
        return ("dispatch", target, data)

    def _case_data(self, case_id: str) -> dict[str, Any]:
        key = self._one("SELECT case_key FROM accident_cases WHERE id = ?", case_id)
        if key and str(key).startswith(INJECT_CASE_PREFIX):
            return {"inject_id": str(key)[len(INJECT_CASE_PREFIX):]}
        return {}

    def _one(self, sql: str, param: str) -> Any:
        try:
            row = self.ws.db.execute(sql, [param]).fetchone()
        except Exception:  # a table of a feature this workspace does not have
            return None
        return None if row is None else row[0]
