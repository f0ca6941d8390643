"""The inbox runs the watchdog: the demo city's offline units and cameras show up as alerts."""

from __future__ import annotations

from desk.ui.alerts.panel import AlertInboxPanel


def test_inbox_shows_watchdog_alerts_for_the_demo_city(qtbot, ui_context) -> None:  # type: ignore[no-untyped-def]
    ui_context.app.settings["alerts.watchdog_first_ms"] = 50
    ws = ui_context.workspace
    offline_units = ws.count("units", "status = 'offline'")
    districts = ws.db.execute("SELECT count(DISTINCT district) FROM cameras WHERE online = 0").fetchone()[0]
    panel = AlertInboxPanel(ui_context)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: any(a.kind == "camera.offline" for a in panel.model.alerts), timeout=10_000)
    kinds = [a.kind for a in panel.model.alerts]
    assert kinds.count("camera.offline") == districts
    messages = " ".join(a.message for a in panel.model.alerts)
    assert f"{offline_units} 个警力离线" in messages  # 35 offline units: one summary alert
    panel.shutdown()
