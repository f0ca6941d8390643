"""The main window's docks, declared as data. Each feature points its entry at its own panel class.

A panel class is constructed as ``Panel(ui: UiContext, parent: QWidget | None)``. Titles are source
strings translated in the "Docks" context.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desk.ui.i18n import QT_TRANSLATE_NOOP

Area = Qt.DockWidgetArea


@dataclass(frozen=True, slots=True)
class DockSpec:
    id: str
    title: str
    factory: str  # "package.module:ClassName"
    area: Area
    shortcut: str

    def load(self) -> Callable[..., QWidget]:
        return load_factory(self.factory)


#: The map takes the left and the full height; everything else shares one tabbed column on the
#: right (dispatchers live on the map, the accident queue and the alerts; a chief pops the duty
#: board out to a second screen). The first right-hand dock is the tab raised by default.
DOCKS: tuple[DockSpec, ...] = (
    DockSpec("map", QT_TRANSLATE_NOOP("Docks", "地图"),
             "desk.ui.map.panel:MapPanel", Area.LeftDockWidgetArea, "F2"),
    DockSpec("accidents", QT_TRANSLATE_NOOP("Docks", "事故快处"),
             "desk.ui.accidents.panel:AccidentPanel", Area.RightDockWidgetArea, "F4"),
    DockSpec("alerts", QT_TRANSLATE_NOOP("Docks", "告警"),
             "desk.ui.alerts.panel:AlertInboxPanel", Area.RightDockWidgetArea, "F7"),
    DockSpec("water", QT_TRANSLATE_NOOP("Docks", "积水与气象"),
             "desk.ui.water.panel:WaterPanel", Area.RightDockWidgetArea, "F5"),
    DockSpec("duty", QT_TRANSLATE_NOOP("Docks", "勤务一张图"),
             "desk.ui.duty:DutyBoardPanel", Area.RightDockWidgetArea, "F3"),
    DockSpec("dashboards", QT_TRANSLATE_NOOP("Docks", "态势"),
             "desk.ui.dashboards.panel:SituationDashboard", Area.RightDockWidgetArea, "F6"),
)

#: Full-width bands under the toolbar (shown by the widget itself while it has something to say),
#: constructed as ``Banner(ui: UiContext, parent)``.
BANNERS: tuple[str, ...] = ("desk.ui.water.banner:RainWarningBanner",)


def load_factory(factory: str) -> Callable[..., QWidget]:
    """The class (or any callable) named by ``"package.module:Name"``."""
    module, _, name = factory.partition(":")
    cls: Callable[..., QWidget] = getattr(importlib.import_module(module), name)
    return cls
