"""The alert panel until the alert inbox lands: offline cameras and units, listed."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desk.ui.context import UiContext
from desk.ui.panels.summary import SummaryPanel


class AlertSummaryPanel(SummaryPanel):
    watched = ("units", "cameras")

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ui, parent)
        self.add_tile("cams", self.tr("离线视频"))
        self.add_tile("units", self.tr("离线警力"))
        self.refresh()

    def refresh(self) -> None:
        ws = self.ui.workspace
        self.tiles["cams"].set_value(ws.count("cameras", "online = 0"))
        self.tiles["units"].set_value(ws.count("units", "status = 'offline'"))
        rows = ws.db.execute(
            "SELECT '视频离线', id, name FROM cameras WHERE online = 0 "
            "UNION ALL SELECT '警力离线', id, call_sign FROM units WHERE status = 'offline' "
            "ORDER BY 1, 2"
        ).fetchall()
        self.set_rows([self.tr("类别"), self.tr("编号"), self.tr("名称")], rows)
