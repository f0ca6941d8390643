"""A table model over the open alerts, in inbox order (severity, then newest first)."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desk.domain.alerts import Alert, Severity, kind_label
from desk.ui.i18n import QT_TRANSLATE_NOOP
from desk.ui.table_model import ColumnsTableModel

SEVERITY_COLORS = {Severity.RED: "#d9282f", Severity.ORANGE: "#f08c1e",
                   Severity.YELLOW: "#e3c21a", Severity.BLUE: "#1f6feb"}
#: Row tints: strong for new alerts, faint once someone has taken them.
_TINT_NEW = 110
_TINT_TAKEN = 45

COLUMNS = (
    QT_TRANSLATE_NOOP("AlertTableModel", "级别"),
    QT_TRANSLATE_NOOP("AlertTableModel", "时间"),
    QT_TRANSLATE_NOOP("AlertTableModel", "类型"),
    QT_TRANSLATE_NOOP("AlertTableModel", "地点"),
    QT_TRANSLATE_NOOP("AlertTableModel", "内容"),
    QT_TRANSLATE_NOOP("AlertTableModel", "次数"),
    QT_TRANSLATE_NOOP("AlertTableModel", "状态"),
    QT_TRANSLATE_NOOP("AlertTableModel", "处理"),
)
AnyIndex = QModelIndex | QPersistentModelIndex


def clock_text(t: float | None) -> str:
    return "" if t is None else time.strftime("%H:%M:%S", time.localtime(t))


class AlertTableModel(ColumnsTableModel):
    """Rows are ``Alert`` values; call ``set_alerts`` with the service's ``open_alerts()``."""

    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.alerts: list[Alert] = []

    def set_alerts(self, alerts: list[Alert]) -> None:
        self.beginResetModel()
        self.alerts = list(alerts)
        self.endResetModel()

    def _row_items(self) -> list[Any]:
        return self.alerts

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.alerts)):
            return None
        a = self.alerts[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(a, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            c = QColor(SEVERITY_COLORS[a.severity])
            c.setAlpha(_TINT_NEW if a.state.value == "new" else _TINT_TAKEN)
            return QBrush(c)
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return QBrush(QColor("#ffffff"))
        if role == Qt.ItemDataRole.UserRole:
            return a.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return a.message
        return None

    def _text(self, a: Alert, col: int) -> str:
        if col == 0:
            return a.severity.label
        if col == 1:
            return clock_text(a.last_at)
        if col == 2:
            return kind_label(a.kind)
        if col == 3:
            return a.place
        if col == 4:
            return a.message
        if col == 5:
            return f"×{a.count}" if a.count > 1 else "1"
        if col == 6:
            return a.state.label
        who = a.assigned_to or a.acked_by or ""
        return who

    def row_of(self, alert_id: str) -> int:
        return next((i for i, a in enumerate(self.alerts) if a.id == alert_id), -1)
