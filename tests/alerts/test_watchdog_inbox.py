"""The watchdog's alerts reach the inbox, and the inbox runs nothing itself (the app runtime calls
``Watchdog(ctx).check()``): the demo city's offline units and cameras show up as rows."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from desk.services.watchdog import Watchdog
from desk.ui.alerts.panel import AlertInboxPanel


def test_inbox_shows_watchdog_alerts_for_the_demo_city(qtbot, ui_context) -> None:  # type: ignore[no-untyped-def]
    ws = ui_context.workspace
    offline_units = ws.count("units", "status = 'offline'")
    districts = ws.db.execute("SELECT count(DISTINCT district) FROM cameras WHERE online = 0").fetchone()[0]
    panel = AlertInboxPanel(ui_context)
    qtbot.addWidget(panel)
    # No background work in the widget: its only timer coalesces repaints of stored changes.
    assert [t.isSingleShot() for t in panel.findChildren(QTimer)] == [True]
    assert not panel.findChildren(QTimer)[0].isActive()
    assert panel.model.alerts == []
    ui_context.app.service(Watchdog).check()  # what the runtime's watchdog job does
    qtbot.waitUntil(lambda: any(a.kind == "camera.offline" for a in panel.model.alerts), timeout=10_000)
    kinds = [a.kind for a in panel.model.alerts]
    assert kinds.count("camera.offline") == districts
    messages = " ".join(a.message for a in panel.model.alerts)
    assert f"{offline_units} 个警力离线" in messages  # 35 offline units: one summary alert
    assert panel.model.resets == 1  # rows were inserted, never a reset
    assert panel.summary.text().startswith(f"未处置告警 {len(kinds)} 条")
