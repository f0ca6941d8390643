"""A table model of water points' statuses: latest depth, trend arrow, state (coloured)."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desk.domain.waterlevel import WaterState
from desk.services.water import PointStatus
from desk.ui.i18n import QT_TRANSLATE_NOOP
from desk.ui.table_model import ColumnsTableModel

COLUMNS = (
    QT_TRANSLATE_NOOP("WaterPointModel", "监测点"),
    QT_TRANSLATE_NOOP("WaterPointModel", "类型"),
    QT_TRANSLATE_NOOP("WaterPointModel", "区域"),
    QT_TRANSLATE_NOOP("WaterPointModel", "水深cm"),
    QT_TRANSLATE_NOOP("WaterPointModel", "趋势"),
    QT_TRANSLATE_NOOP("WaterPointModel", "cm/分"),
    QT_TRANSLATE_NOOP("WaterPointModel", "状态"),
    QT_TRANSLATE_NOOP("WaterPointModel", "更新"),
)
STATE_COLUMN = 6
#: Sort key role: the proxy sorts on it (worst state first, then deepest), so the source model
#: never reorders its rows and an update only ever signals the rows that changed.
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
AnyIndex = QModelIndex | QPersistentModelIndex


def _shown(s: PointStatus) -> tuple[Any, ...]:
    """What a row displays: an update that leaves this alone signals nothing."""
    return (s.depth_cm, s.state if s.depth_cm is not None else None, s.trend.trend,
            None if s.trend.cm_per_min is None else round(s.trend.cm_per_min, 2),
            None if s.at is None else int(s.at), s.point)


class WaterPointModel(ColumnsTableModel):
    """Rows in a fixed order (by point id); sorting is the proxy's job (``SORT_ROLE``)."""

    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[PointStatus] = []
        self._row_of: dict[str, int] = {}

    def set_statuses(self, statuses: list[PointStatus]) -> None:
        self.beginResetModel()
        self.rows = sorted(statuses, key=lambda s: s.point.id)
        self._row_of = {s.point.id: i for i, s in enumerate(self.rows)}
        self.endResetModel()

    def update_statuses(self, statuses: list[PointStatus]) -> bool:
        """Replace rows in place and signal only the rows whose shown values changed, as one
        ``dataChanged`` per run of adjacent rows. Returns False when a point is unknown (the
        caller reloads)."""
        changed: list[int] = []
        for st in statuses:
            row = self._row_of.get(st.point.id)
            if row is None:
                return False
            if _shown(self.rows[row]) != _shown(st):
                changed.append(row)
            self.rows[row] = st
        last = len(COLUMNS) - 1
        changed.sort()
        start = prev = -2
        for row in [*changed, -10]:
            if row != prev + 1:
                if start >= 0:
                    self.dataChanged.emit(self.index(start, 0), self.index(prev, last))
                start = row
            prev = row
        return True

    def row_of(self, point_id: str) -> int:
        return self._row_of.get(point_id, -1)

    def _row_items(self) -> list[Any]:
        return self.rows

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        s = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(s, col)
        if role == Qt.ItemDataRole.UserRole:
            return s.point.id
        if role == SORT_ROLE:
            return self._sort_key(s, col)
        if role == Qt.ItemDataRole.BackgroundRole and s.depth_cm is not None:
            if col == STATE_COLUMN:
                return QBrush(QColor(s.state.color))
            if s.state is not WaterState.NORMAL:
                c = QColor(s.state.color)
                c.setAlpha(50)
                return QBrush(c)
        if role == Qt.ItemDataRole.ForegroundRole and col == STATE_COLUMN and s.depth_cm is not None:
            return QBrush(QColor("#111111"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _sort_key(self, s: PointStatus, col: int) -> Any:
        if col in (0, STATE_COLUMN):
            # Worst state first, then deepest; points without data last.
            rank = s.state.rank if s.depth_cm is not None else -1
            return -(rank * 100_000.0 + (s.depth_cm or 0.0))
        if col == 3:
            return -1.0 if s.depth_cm is None else s.depth_cm
        if col == 5:
            return -1e9 if s.trend.cm_per_min is None else s.trend.cm_per_min
        if col == 7:
            return s.at or 0.0
        return self._text(s, col)

    def _text(self, s: PointStatus, col: int) -> str:
        if col == 0:
            return s.point.name
        if col == 1:
            return s.point.kind.label
        if col == 2:
            return s.point.district
        if col == 3:
            return "—" if s.depth_cm is None else f"{s.depth_cm:.1f}"
        if col == 4:
            return s.trend.trend.arrow
        if col == 5:
            return "" if s.trend.cm_per_min is None else f"{s.trend.cm_per_min:+.2f}"
        if col == 6:
            return self.tr("无数据") if s.depth_cm is None else s.state_label
        return "" if s.at is None else time.strftime("%H:%M:%S", time.localtime(s.at))
