"""A table model over the open alerts, in inbox order (severity, then newest first), updated
incrementally: a raised alert is one inserted row, a fold or state change one changed (or moved)
row, a resolved alert one removed row. Never a reset for a single change, so a storm of alerts
costs the view a few rows each time instead of a full relayout (the rain demo once froze the
window for minutes redrawing 746 rows per alert)."""

from __future__ import annotations

import bisect
import time
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desk.domain.alerts import Alert, AlertState, Severity, kind_label
from desk.ui.i18n import QT_TRANSLATE_NOOP
from desk.ui.table_model import ColumnsTableModel

SEVERITY_COLORS = {Severity.RED: "#d9282f", Severity.ORANGE: "#f08c1e",
                   Severity.YELLOW: "#e3c21a", Severity.BLUE: "#1f6feb"}
#: Row tints: strong for new alerts, faint once someone has taken them. Blue (information) rows
#: get no blue wash: a blue row looked exactly like the selection highlight. Their severity cell
#: carries the colour and the row a neutral grey while new.
_TINT_NEW = 110
_TINT_TAKEN = 45
_NEUTRAL = "#8b949e"
_TINT_NEUTRAL_NEW = 40

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
#: Columns that change when an alert folds or moves on (time, text, count, state, handler).
_VOLATILE = (1, 4, 5, 6, 7)
AnyIndex = QModelIndex | QPersistentModelIndex

_Key = tuple[int, float, str]
#: (severity, is new, is the badge column) → brush: painting asks for every visible cell.
_BRUSHES: dict[tuple[Severity, bool, bool], QBrush | None] = {}
_WHITE = QBrush(QColor("#ffffff"))
_DISPLAY = Qt.ItemDataRole.DisplayRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_USER = Qt.ItemDataRole.UserRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole


def clock_text(t: float | None) -> str:
    return "" if t is None else time.strftime("%H:%M:%S", time.localtime(t))


def _key(a: Alert) -> _Key:
    rank, newest = a.sort_key()
    return (rank, newest, a.id)


class AlertTableModel(ColumnsTableModel):
    """Rows are open ``Alert`` values in inbox order. ``set_alerts`` loads a whole list (start,
    a bulk change); ``apply`` takes the alerts one committed change touched and inserts, updates,
    moves or removes just those rows."""

    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.alerts: list[Alert] = []
        self._texts: list[tuple[str, ...]] = []
        self._keys: list[_Key] = []
        self._by_id: dict[str, Alert] = {}
        self.resets = 0  # how often the whole model was replaced (tests and the benchmark)

    def set_alerts(self, alerts: Iterable[Alert]) -> None:
        self.beginResetModel()
        self.alerts = sorted((a for a in alerts if a.is_open), key=_key)
        self._keys = [_key(a) for a in self.alerts]
        self._texts = [self._row_texts(a) for a in self.alerts]
        self._by_id = {a.id: a for a in self.alerts}
        self.endResetModel()
        self.resets += 1

    def apply(self, changed: dict[str, Alert | None]) -> None:
        """``changed`` maps alert ids to their current value (None: gone). Open alerts are
        inserted or updated in place (moved when their order changed); closed ones removed."""
        for alert_id, alert in changed.items():
            if alert is None or not alert.is_open:
                self._remove(alert_id)
            elif alert_id in self._by_id:
                self._update(alert)
            else:
                self._insert(alert)

    def _insert(self, a: Alert) -> None:
        key = _key(a)
        row = bisect.bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self.alerts.insert(row, a)
        self._texts.insert(row, self._row_texts(a))
        self._keys.insert(row, key)
        self._by_id[a.id] = a
        self.endInsertRows()

    def _remove(self, alert_id: str) -> None:
        old = self._by_id.get(alert_id)
        if old is None:
            return
        row = bisect.bisect_left(self._keys, _key(old))
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.alerts[row]
        del self._texts[row]
        del self._keys[row]
        del self._by_id[alert_id]
        self.endRemoveRows()

    def _update(self, a: Alert) -> None:
        old = self._by_id[a.id]
        row = bisect.bisect_left(self._keys, _key(old))
        key = _key(a)
        del self._keys[row]
        target = bisect.bisect_left(self._keys, key)
        self._keys.insert(row, _key(old))
        # Qt's move destination is the row *before which* the item lands, in the old numbering.
        dest = target if target <= row else target + 1
        if dest not in (row, row + 1):
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), dest)
            del self.alerts[row]
            del self._texts[row]
            del self._keys[row]
            self.alerts.insert(target, a)
            self._texts.insert(target, self._row_texts(a))
            self._keys.insert(target, key)
            self._by_id[a.id] = a
            self.endMoveRows()
            row = target
        else:
            self.alerts[row] = a
            self._texts[row] = self._row_texts(a)
            self._keys[row] = key
            self._by_id[a.id] = a
        changed_all = old.severity is not a.severity or old.state is not a.state
        first = 0 if changed_all else min(_VOLATILE)
        self.dataChanged.emit(self.index(row, first), self.index(row, len(self.columns) - 1))

    def _row_items(self) -> list[Any]:
        return self.alerts

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each repaint: the cheap answers first,
        # the row's texts computed once per change (``_texts``), brushes shared.
        if role not in (_DISPLAY, _BACKGROUND, _FOREGROUND, _USER, _TOOLTIP):
            return None
        row = index.row()
        if not index.isValid() or not (0 <= row < len(self.alerts)):
            return None
        col = index.column()
        if role == _DISPLAY:
            return self._texts[row][col]
        a = self.alerts[row]
        if role == _BACKGROUND:
            return self._background(a, col)
        if role == _FOREGROUND:
            return _WHITE if col == 0 else None
        if role == _USER:
            return a.id
        return a.message

    @staticmethod
    def _background(a: Alert, col: int) -> QBrush | None:
        key = (a.severity, a.state is AlertState.NEW, col == 0)
        if key not in _BRUSHES:
            _BRUSHES[key] = AlertTableModel._make_background(a, col)
        return _BRUSHES[key]

    @staticmethod
    def _make_background(a: Alert, col: int) -> QBrush | None:
        new = a.state is AlertState.NEW
        if col == 0:  # the severity badge: full colour
            return QBrush(QColor(SEVERITY_COLORS[a.severity]))
        if a.severity is Severity.BLUE:
            if not new:
                return None
            c = QColor(_NEUTRAL)
            c.setAlpha(_TINT_NEUTRAL_NEW)
            return QBrush(c)
        c = QColor(SEVERITY_COLORS[a.severity])
        c.setAlpha(_TINT_NEW if new else _TINT_TAKEN)
        return QBrush(c)

    def _row_texts(self, a: Alert) -> tuple[str, ...]:
        return tuple(self._text(a, c) for c in range(len(self.columns)))

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
        return a.assigned_to or a.acked_by or ""

    def row_of(self, alert_id: str) -> int:
        a = self._by_id.get(alert_id)
        if a is None:
            return -1
        return bisect.bisect_left(self._keys, _key(a))

    def get(self, alert_id: str) -> Alert | None:
        return self._by_id.get(alert_id)
