"""The duty panel until the duty board lands: posts per kind and the posts themselves."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desk.ui.context import UiContext
from desk.ui.panels.summary import SummaryPanel


class DutySummaryPanel(SummaryPanel):
    watched = ("duty_posts", "officers")

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ui, parent)
        self.add_tile("posts", self.tr("勤务岗位"))
        self.add_tile("officers", self.tr("在岗警员"))
        self.add_tile("stations", self.tr("大队/中队"))
        self.refresh()

    def refresh(self) -> None:
        ws = self.ui.workspace
        self.tiles["posts"].set_value(ws.count("duty_posts"))
        self.tiles["officers"].set_value(ws.count("officers", "on_duty = 1"))
        self.tiles["stations"].set_value(ws.count("stations"))
        rows = ws.db.execute(
            "SELECT p.name, p.kind, p.road, s.name FROM duty_posts p "
            "LEFT JOIN stations s ON s.id = p.station_id ORDER BY p.id"
        ).fetchall()
        self.set_rows([self.tr("岗位"), self.tr("类型"), self.tr("道路"), self.tr("所属")], rows)
