"""The water panel until alerting lands: monitored points by kind, with the latest depth."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desk.domain.water import WaterPointKind
from desk.ui.context import UiContext
from desk.ui.panels.summary import SummaryPanel


class WaterSummaryPanel(SummaryPanel):
    watched = ("water_points", "sensor_readings")

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ui, parent)
        self.add_tile("points", self.tr("监测点"))
        self.add_tile("tunnels", self.tr("隧道"))
        self.add_tile("roads", self.tr("道路积水点"))
        self.refresh()

    def refresh(self) -> None:
        ws = self.ui.workspace
        self.tiles["points"].set_value(ws.count("water_points"))
        self.tiles["tunnels"].set_value(ws.count("water_points", "kind = ?", ["tunnel"]))
        self.tiles["roads"].set_value(ws.count("water_points", "kind = ?", ["road"]))
        rows = ws.db.execute(
            "SELECT w.id, w.name, w.kind, w.warning_cm, "
            "(SELECT depth_cm FROM sensor_readings r WHERE r.point_id = w.id "
            " ORDER BY at DESC LIMIT 1) FROM water_points w ORDER BY w.id"
        ).fetchall()
        self.set_rows(
            [self.tr("编号"), self.tr("名称"), self.tr("类型"), self.tr("警告水深cm"),
             self.tr("最新水深cm")],
            [(i, n, WaterPointKind(k).label, w, "—" if d is None else f"{d:.0f}")
             for i, n, k, w, d in rows],
        )
