"""Qt item models of the duty board: the officer roster (a drag source with a custom MIME type),
the violation list and a small generic table for supervision and to-notify lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from desk.domain.duty.model import DutyOfficer, skill_label
from desk.domain.duty.rules import Severity, Violation

#: The MIME type of an officer dragged from the roster onto the timeline; payload: officer id.
MIME_OFFICER = "application/x-desk-duty-officer"

OfficerIdRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


def officer_mime(officer_id: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(MIME_OFFICER, QByteArray(officer_id.encode("utf-8")))
    mime.setText(officer_id)
    return mime


class OfficerListModel(QAbstractListModel):
    """Officers one can drag onto a post. Shows name, badge, skills and hours planned this week."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DutyOfficer] = []
        self._hours: dict[str, float] = {}

    def set_officers(self, officers: Sequence[DutyOfficer], hours: dict[str, float]) -> None:
        self.beginResetModel()
        self._rows = list(officers)
        self._hours = dict(hours)
        self.endResetModel()

    def set_hours(self, hours: dict[str, float], only: set[str] | None = None) -> None:
        """New hours per officer (``only``: just these officers changed; the rest stay);
        signals only the rows whose hours changed (one drop: one or two officers)."""
        old = self._hours
        if only is None:
            self._hours = dict(hours)
            changed = {o.id for o in self._rows if old.get(o.id, 0.0) != self._hours.get(o.id, 0.0)}
        else:
            self._hours = {**old, **{oid: hours.get(oid, 0.0) for oid in only}}
            changed = {oid for oid in only if old.get(oid, 0.0) != self._hours[oid]}
        if not changed:
            return
        for i, o in enumerate(self._rows):
            if o.id in changed:
                idx = self.index(i)
                self.dataChanged.emit(idx, idx)

    def officer_at(self, row: int) -> DutyOfficer:
        return self._rows[row]

    def row_of(self, officer_id: str) -> int:
        for i, o in enumerate(self._rows):
            if o.id == officer_id:
                return i
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        o = self._rows[index.row()]
        hours = self._hours.get(o.id, 0.0)
        if role == Qt.ItemDataRole.DisplayRole:
            skills = "、".join(skill_label(s) for s in sorted(o.skills))
            kind = "〔辅警〕" if o.auxiliary else ""
            return (f"{o.name}{kind}  {o.badge} · {hours:g}/{o.max_week_hours:g}时\n"
                    f"{skills or '—'}")
        if role == Qt.ItemDataRole.ToolTipRole:
            if o.auxiliary:
                return (f"{o.name}（辅警 {o.badge}）拖到岗位时间轴上即可排班；"
                        f"执法岗位须与民警同岗")
            return f"{o.name}（警号 {o.badge}）拖到岗位时间轴上即可排班"
        if role == OfficerIdRole:
            return o.id
        if role == Qt.ItemDataRole.ForegroundRole and hours > o.max_week_hours:
            return QColor("#ffb020")  # over the standard week: 补休 (a warning, not an error)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [MIME_OFFICER]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        valid = [i for i in indexes if i.isValid()]
        if not valid:
            return QMimeData()
        return officer_mime(self._rows[valid[0].row()].id)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


SEVERITY_COLORS = {Severity.HARD: "#ff5c5c", Severity.STAFFING: "#ffb020",
                   Severity.SOFT: "#d9c84a"}


class ViolationTableModel(QAbstractTableModel):
    """Rule violations: 级别, 说明, 扣分. The explanation panel of the board."""

    HEADERS = ("级别", "说明", "扣分")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Violation] = []

    def set_violations(self, violations: Sequence[Violation]) -> None:
        rows = list(violations)
        if [(v.rule, v.message, v.penalty) for v in rows] == \
                [(v.rule, v.message, v.penalty) for v in self._rows]:
            self._rows = rows  # same verdicts: nothing to repaint
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def violation_at(self, row: int) -> Violation:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        v = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (v.severity.label, v.message, str(v.penalty))[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return v.message
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return QColor(SEVERITY_COLORS[v.severity])
        return None


class RowsTableModel(QAbstractTableModel):
    """A read-only table of text rows (supervision alerts, changes to tell officers about)."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[list[str]] = []

    def set_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        self.beginResetModel()
        self._rows = [[str(c) for c in r] for r in rows]
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self._headers)):
            return self._headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = self._rows[index.row()]
            return row[index.column()] if index.column() < len(row) else ""
        return None
