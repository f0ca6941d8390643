"""A reusable panel body: a row of big count tiles above a table, refreshed on relevant changes."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.store.events import ChangeSet
from desk.ui.context import UiContext


class CountTile(QFrame):
    """A big number with a caption, as on a control-room wall."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countTile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.value = QLabel("—")
        self.value.setObjectName("countValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel(caption)
        self.caption.setObjectName("countCaption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set_value(self, value: int | str) -> None:
        self.value.setText(f"{value:,}" if isinstance(value, int) else value)


class SummaryPanel(QWidget):
    """Tiles plus a table. Subclasses give the tiles, the rows and the tables they watch."""

    watched: tuple[str, ...] = ()

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.tiles: dict[str, CountTile] = {}
        layout = QVBoxLayout(self)
        self._tile_row = QHBoxLayout()
        layout.addLayout(self._tile_row)
        self.table = QTableWidget(0, 0, self)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        ui.qbus.sig_changed.connect(self._on_changed)

    def add_tile(self, key: str, caption: str) -> CountTile:
        tile = CountTile(caption, self)
        self.tiles[key] = tile
        self._tile_row.addWidget(tile)
        return tile

    def set_rows(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.table.resizeColumnsToContents()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(*self.watched):
            self.refresh()

    def refresh(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

