"""The trainee action log (学员处置记录): every dispatch, acceptance, decision, acknowledgement,
checklist tick, notification and tunnel closure made in a drill, stamped with drill time.

Other features call ``DrillActionLog.record`` when ``AppContext.drill`` is true (they find the log
as ``ctx.service(DrillActionLog)`` once the drill session has registered it). Records are kept in
memory at once and written to ``drill_actions`` through the workspace's write path on the thread
that owns the workspace; a call from another thread is queued and written on the next ``flush``.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desk.drill.clock import DrillClock
from desk.drill.scenario import ACTION_KINDS
from desk.store.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DrillAction:
    """One trainee action. ``target`` is what was acted on: a water point, unit or case id, an
    alert id, a checklist item, the person notified. ``data`` may carry ``inject_id`` when the
    action answers a known inject (e.g. accepting the case created from an accident report)."""

    id: str
    kind: str
    target: str
    at_s: float
    actor: str = "trainee"
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{ACTION_KINDS.get(self.kind, self.kind)} {self.target}".strip()


class DrillActionError(ValueError):
    """An action the log cannot accept (unknown kind, bad time); message in Chinese."""


class DrillActionLog:
    """Append-only log of trainee actions for one drill run."""

    def __init__(
        self,
        run_id: str,
        workspace: Workspace | None = None,
        clock: DrillClock | None = None,
    ) -> None:
        self.run_id = run_id
        self._workspace = workspace
        self._owner = threading.get_ident()
        self._clock = clock
        self._lock = threading.Lock()
        self._actions: list[DrillAction] = []
        self._pending: list[DrillAction] = []
        self._seq = itertools.count(1)
        self._listeners: list[Callable[[DrillAction], None]] = []
        if workspace is not None:
            row = workspace.db.execute(
                "SELECT count(*) FROM drill_actions WHERE run_id = ?", [run_id]
            ).fetchone()
            self._seq = itertools.count(int(row[0]) + 1)
            self._actions = [
                DrillAction(r[0], r[1], r[2], r[3], r[4], json.loads(r[5] or "{}"))
                for r in workspace.db.execute(
                    "SELECT id, kind, target, at_s, actor, data FROM drill_actions "
                    "WHERE run_id = ? ORDER BY at_s, id", [run_id])
            ]

    def record(
        self,
        kind: str,
        target: str,
        at_drill_s: float | None = None,
        actor: str = "trainee",
        data: dict[str, Any] | None = None,
    ) -> DrillAction:
        """Log an action; ``at_drill_s`` defaults to the drill clock's now."""
        if kind not in ACTION_KINDS:
            raise DrillActionError(f"未知处置类型“{kind}”（可用：{'、'.join(ACTION_KINDS)}）")
        if at_drill_s is None:
            if self._clock is None:
                raise DrillActionError("未指定演练时间，且没有演练时钟")
            at_drill_s = self._clock.now()
        if not math.isfinite(at_drill_s) or at_drill_s < 0:
            raise DrillActionError(f"演练时间无效：{at_drill_s}")
        with self._lock:
            action = DrillAction(
                f"{self.run_id}-A{next(self._seq):04d}", kind, str(target), float(at_drill_s),
                actor, dict(data or {}),
            )
            self._actions.append(action)
            self._pending.append(action)
        log.info("drill action %s %s %s at %.1f by %s", action.id, kind, target, at_drill_s, actor)
        if threading.get_ident() == self._owner:
            self.flush()
        for listener in list(self._listeners):
            listener(action)
        return action

    def actions(self) -> list[DrillAction]:
        with self._lock:
            return sorted(self._actions, key=lambda a: (a.at_s, a.id))

    def subscribe(self, listener: Callable[[DrillAction], None]) -> Callable[[], None]:
        """Hear about each recorded action (on the recording thread)."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def flush(self) -> int:
        """Write queued actions to the workspace (owner thread only). Returns how many."""
        if self._workspace is None or threading.get_ident() != self._owner:
            return 0
        with self._lock:
            pending, self._pending = self._pending, []
        if not pending:
            return 0
        with self._workspace.write(actor="drill", origin=self) as tx:
            tx.insert_many("drill_actions", [
                {"id": a.id, "run_id": self.run_id, "kind": a.kind, "target": a.target,
                 "at_s": a.at_s, "actor": a.actor,
                 "data": json.dumps(a.data, ensure_ascii=False, default=str),
                 "recorded_at": time.time()}
                for a in pending
            ])
        return len(pending)
