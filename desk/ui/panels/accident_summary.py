"""The accident panel until the quick-handling workflow lands: an honest empty queue."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desk.ui.context import UiContext
from desk.ui.panels.summary import SummaryPanel


class AccidentSummaryPanel(SummaryPanel):
    watched = ("accident_cases",)

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ui, parent)
        self.add_tile("open", self.tr("待处理事故"))
        self.refresh()

    def refresh(self) -> None:
        ws = self.ui.workspace
        has_table = ws.db["accident_cases"].exists()
        self.tiles["open"].set_value(ws.count("accident_cases") if has_table else 0)
        self.set_rows([self.tr("事故快处队列")], [] if has_table else [[self.tr("暂无事故")]])
