"""Who is at the desk: the operator on duty (值班员) and shift handovers (交接班).

Police records must say who: every local write is made as ``ctx.actor``, which is the operator's
``actor`` string (工号 and 姓名), and every sign-on and handover is kept in ``operator_shifts``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from enum import StrEnum

from desk.store.workspace import Workspace


class OperatorRole(StrEnum):
    DISPATCHER = "dispatcher"  # 调度员
    STATION_CHIEF = "station_chief"  # 大队/中队长
    TRAINER = "trainer"  # 教官
    TRAINEE = "trainee"  # 学员（演练）

    @property
    def label(self) -> str:
        return {"dispatcher": "调度员", "station_chief": "大队/中队长", "trainer": "教官",
                "trainee": "学员"}[self.value]


class OperatorError(ValueError):
    """An operator that cannot sign on; ``user_message`` is the Chinese text for the dialog."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


#: A 警号 is six digits; sites also use longer staff numbers, and auxiliaries (辅警) have their own.
_BADGE = re.compile(r"^[0-9A-Za-z-]{2,20}$")


@dataclass(frozen=True, slots=True)
class Operator:
    badge: str  # 工号/警号
    name: str  # 姓名
    role: OperatorRole = OperatorRole.DISPATCHER

    @property
    def actor(self) -> str:
        """What every audit row records: 工号 first (unique), then the name people read."""
        return f"{self.badge} {self.name}"

    @classmethod
    def parse(cls, badge: str, name: str, role: str = "dispatcher") -> Operator:
        badge, name = badge.strip(), name.strip()
        if not _BADGE.match(badge):
            raise OperatorError("工号应为 2–20 位数字或字母")
        if not name or len(name) > 32:
            raise OperatorError("请填写姓名（不超过 32 个字）")
        try:
            parsed_role = OperatorRole(role)
        except ValueError:
            raise OperatorError(f"未知角色：{role}") from None
        return cls(badge, name, parsed_role)


DEMO_OPERATOR = Operator("D0001", "演示调度员")


@dataclass(frozen=True, slots=True)
class OperatorShift:
    id: str
    operator: Operator
    workstation: str
    on_at: float
    off_at: float | None
    handover_note: str
    source: str


class OperatorLog:
    """The sign-on log of one workspace. Writes go through the workspace's one write path, so
    each row is in the change log with its actor like any other record."""

    def __init__(self, ws: Workspace, workstation: str) -> None:
        self.ws = ws
        self.workstation = workstation

    def sign_on(self, operator: Operator, now: float, *, source: str = "manual") -> OperatorShift:
        shift_id = uuid.uuid4().hex
        with self.ws.write(operator.actor) as tx:
            tx.insert("operator_shifts", {
                "id": shift_id, "badge": operator.badge, "name": operator.name,
                "role": operator.role.value, "workstation": self.workstation, "on_at": now,
                "off_at": None, "handover_note": "", "source": source,
            })
        return OperatorShift(shift_id, operator, self.workstation, now, None, "", source)

    def sign_off(self, shift: OperatorShift, now: float, note: str) -> None:
        with self.ws.write(shift.operator.actor) as tx:
            tx.update("operator_shifts", shift.id, {"off_at": now, "handover_note": note.strip()})

    def history(self, limit: int = 50) -> list[OperatorShift]:
        rows = self.ws.db.execute(
            "SELECT id, badge, name, role, workstation, on_at, off_at, handover_note, source "
            "FROM operator_shifts WHERE workstation = ? ORDER BY on_at DESC LIMIT ?",
            [self.workstation, limit]).fetchall()
        out = []
        for r in rows:
            try:
                role = OperatorRole(r[3])
            except ValueError:
                role = OperatorRole.DISPATCHER
            out.append(OperatorShift(r[0], Operator(r[1], r[2], role), r[4], r[5], r[6], r[7] or "", r[8] or ""))
        return out

    def last_handover_note(self) -> str:
        row = self.ws.db.execute(
            "SELECT handover_note FROM operator_shifts WHERE workstation = ? AND off_at IS NOT NULL "
            "AND handover_note != '' ORDER BY off_at DESC LIMIT 1", [self.workstation]).fetchone()
        return str(row[0]) if row else ""
