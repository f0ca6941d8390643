"""The queue of open accident cases as a Qt table model: longest waiting first, live timers, amber
then red past the targets. Filtering and sorting happen in memory on ``QueueEntry`` values (the
service reads them once), so a keystroke in the filter never touches SQLite."""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desk.domain.accidents import CaseState, QueueEntry, Targets, Urgency, filter_sort, format_wait
from desk.domain.accidents.queue import sort_key

Index = QModelIndex | QPersistentModelIndex

URGENCY_COLORS = {
    Urgency.AMBER: (QColor("#5a4210"), QColor("#ffc94a")),
    Urgency.RED: (QColor("#5c1717"), QColor("#ff7070")),
}


_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.UserRole + 1, Qt.ItemDataRole.UserRole + 2,
})


_BRUSHES = {u: (QBrush(bg), QBrush(fg)) for u, (bg, fg) in URGENCY_COLORS.items()}


class AccidentQueueModel(QAbstractTableModel):
    """Rows are open cases after the current filter; column 0 is the live waiting time."""

    WAIT, CASE_NO, STATE, PLACE, TYPE, PLATES = range(6)
    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    URGENCY_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(
        self,
        targets: Targets,
        clock: Callable[[], float] = time.time,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.targets = targets
        self.clock = clock
        self._all: dict[str, QueueEntry] = {}
        self._rows: list[QueueEntry] = []
        self._text = ""
        self._states: frozenset[CaseState] | None = None
        self._now = clock()
        self._urgency: dict[str, Urgency] = {}
        self._urgency_at = self._now
        self._version = 0  # bumped by every content change (the counts cache key)
        self._counts: tuple[tuple[float, int, int], dict[Urgency, int]] | None = None
        self._headers = (self.tr("等待"), self.tr("编号"), self.tr("状态"), self.tr("地点"),
                         self.tr("形态"), self.tr("号牌"))

    # -- content -------------------------------------------------------------------------------

    def set_entries(self, entries: Iterable[QueueEntry]) -> None:
        self._all = {e.id: e for e in entries}
        self._urgency = {}
        self._version += 1
        self._refilter()

    def upsert(self, entries: Iterable[QueueEntry], removed: Iterable[str] = ()) -> None:
        """Apply changed cases (and drop closed ones) row by row: a changed row that keeps its
        place only repaints; one that moves is removed and inserted at its sorted place. The
        view keeps its selection and scroll position, and nothing else is re-measured."""
        self._version += 1
        for case_id in removed:
            self._all.pop(case_id, None)
            self._urgency.pop(case_id, None)
            self._remove_row(case_id)
        for entry in entries:
            self._all[entry.id] = entry
            self._urgency.pop(entry.id, None)
            visible = bool(filter_sort([entry], self._text, self._states))
            row = self.row_of(entry.id)
            if row >= 0 and visible and self._fits_at(row, entry):
                self._rows[row] = entry
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
                continue
            if row >= 0:
                self._remove_row(entry.id)
            if visible:
                keys = [sort_key(e) for e in self._rows]
                at = bisect.bisect_left(keys, sort_key(entry))
                self.beginInsertRows(QModelIndex(), at, at)
                self._rows.insert(at, entry)
                self.endInsertRows()

    def _fits_at(self, row: int, entry: QueueEntry) -> bool:
        key = sort_key(entry)
        before = row == 0 or sort_key(self._rows[row - 1]) <= key
        after = row == len(self._rows) - 1 or key <= sort_key(self._rows[row + 1])
        return before and after

    def _remove_row(self, case_id: str) -> None:
        row = self.row_of(case_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def set_filter(self, text: str = "", states: frozenset[CaseState] | None = None) -> None:
        self._text = text
        self._states = states
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = filter_sort(self._all.values(), self._text, self._states)
        self.endResetModel()

    def tick(self) -> None:
        """Advance the timers: only the waiting column repaints."""
        self._now = self.clock()
        if self._rows:
            top = self.index(0, self.WAIT)
            bottom = self.index(len(self._rows) - 1, self.columnCount() - 1)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole,
                                                Qt.ItemDataRole.BackgroundRole,
                                                Qt.ItemDataRole.ForegroundRole])

    def entry(self, row: int) -> QueueEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: str) -> int:
        for i, e in enumerate(self._rows):
            if e.id == case_id:
                return i
        return -1

    def total(self) -> int:
        return len(self._all)

    def counts(self) -> dict[Urgency, int]:
        key = (self._now, len(self._all), self._version)
        if self._counts is not None and self._counts[0] == key:
            return dict(self._counts[1])
        out = dict.fromkeys(Urgency, 0)
        for e in self._all.values():
            out[self._urgency_of(e)] += 1
        self._counts = (key, out)
        return dict(out)

    # -- Qt model ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def _urgency_of(self, e: QueueEntry) -> Urgency:
        """Urgency at the last tick, computed once per row and tick (painting asks several roles
        per cell)."""
        if self._urgency_at != self._now:
            self._urgency = {}
            self._urgency_at = self._now
        urgency = self._urgency.get(e.id)
        if urgency is None:
            urgency = self._urgency[e.id] = e.urgency(self._now, self.targets)
        return urgency

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.WAIT:
                return format_wait(e.waited(self._now))
            # The day's sequence is what people say aloud ("0042"); the full number is the tooltip.
            # KC<day>-<seq>-<workstation code>: the sequence is the part people say.
            parts = e.case_no.split("-")
            short = parts[1] if len(parts) >= 3 else parts[-1]
            return (None, short, e.state.label, e.place, e.type_label, e.plates)[col]
        if role == self.ID_ROLE:
            return e.id
        urgency = self._urgency_of(e)
        if role == self.URGENCY_ROLE:
            return urgency.value
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            colors = URGENCY_COLORS.get(urgency)
            if colors is None:
                return None
            return _BRUSHES[urgency][0 if role == Qt.ItemDataRole.BackgroundRole else 1]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.CASE_NO:
                return e.case_no
            target = e.target(self.targets)
            if target is None:
                return self.tr("等待理赔推送或结案")
            what = self.tr("受理") if e.state is CaseState.REPORTED else self.tr("定责")
            return self.tr("目标：{0}分钟内{1}").format(f"{target / 60:g}", what)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.WAIT:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
