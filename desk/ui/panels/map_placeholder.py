"""Stands in for the live map until it is available: what the map would show, counted."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desk.domain.units import UnitStatus
from desk.ui.context import UiContext
from desk.ui.panels.summary import SummaryPanel


class MapPlaceholderPanel(SummaryPanel):
    watched = ("units", "cameras", "water_points", "police_rooms", "duty_posts")

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ui, parent)
        self.add_tile("units", self.tr("警力单元"))
        self.add_tile("officers", self.tr("在岗警员"))
        self.add_tile("cameras", self.tr("视频点位"))
        self.add_tile("water", self.tr("积水监测点"))
        self.add_tile("rooms", self.tr("数字警务室"))
        self.refresh()

    def refresh(self) -> None:
        ws = self.ui.workspace
        self.tiles["units"].set_value(ws.count("units"))
        self.tiles["officers"].set_value(ws.count("officers", "on_duty = 1"))
        self.tiles["cameras"].set_value(ws.count("cameras"))
        self.tiles["water"].set_value(ws.count("water_points"))
        self.tiles["rooms"].set_value(ws.count("police_rooms"))
        rows = ws.db.execute(
            "SELECT status, count(*) FROM units GROUP BY status ORDER BY count(*) DESC"
        ).fetchall()
        self.set_rows(
            [self.tr("警力状态"), self.tr("数量")],
            [(UnitStatus(s).label if s in UnitStatus._value2member_map_ else s, n) for s, n in rows],
        )
