"""The situation (态势) panel until the dashboards land: the city's resources at a glance."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desk.domain.units import UnitKind
from desk.ui.context import UiContext
from desk.ui.panels.summary import SummaryPanel


class SituationPanel(SummaryPanel):
    watched = ("units", "cameras")

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ui, parent)
        self.add_tile("online_cams", self.tr("在线视频"))
        self.add_tile("offline_cams", self.tr("离线视频"))
        self.refresh()

    def refresh(self) -> None:
        ws = self.ui.workspace
        self.tiles["online_cams"].set_value(ws.count("cameras", "online = 1"))
        self.tiles["offline_cams"].set_value(ws.count("cameras", "online = 0"))
        rows = ws.db.execute("SELECT kind, count(*) FROM units GROUP BY kind ORDER BY 2 DESC")
        self.set_rows(
            [self.tr("警力类型"), self.tr("单元数")],
            [(UnitKind(k).label if k in UnitKind._value2member_map_ else k, n) for k, n in rows],
        )
