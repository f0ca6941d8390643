"""The red-warning drill's key actions, clicked through the real buttons: 封闭道路/隧道… in the 派警
dialog closes the tunnel, 处置完毕… in the inbox resolves the alert (both once crashed on the
clicked(bool) flag arriving as the reason text)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desk.services.alerts import AlertService
from desk.services.dispatch import Target
from desk.ui.alerts.panel import AlertInboxPanel
from desk.ui.dispatch.dialog import DispatchDialog
from tests.alerts.modal import answer_next_modal


def _tunnel(ws: Any) -> tuple[str, str, float, float]:
    row = ws.db.execute("SELECT id, name, lat, lon FROM water_points WHERE kind = 'tunnel' "
                        "ORDER BY id LIMIT 1").fetchone()
    return str(row[0]), str(row[1]), float(row[2]), float(row[3])


def test_close_tunnel_button_in_dispatch_dialog(qtbot: Any, ui_context: Any, artifacts_dir: Any) -> None:
    ws = ui_context.workspace
    point_id, name, lat, lon = _tunnel(ws)
    dialog = DispatchDialog(ui_context, Target("water_points", point_id, lat, lon, name))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.close_road_button.isVisible()
    labels: list[str] = []
    answer_next_modal("积水 32 cm，超过封闭线", seen=labels)
    qtbot.mouseClick(dialog.close_road_button, Qt.MouseButton.LeftButton)
    assert labels == ["封闭原因："]
    row = ws.db.execute("SELECT reason, closed_by FROM road_closures WHERE point_id = ? "
                        "AND reopened_at IS NULL", [point_id]).fetchone()
    assert row is not None and row[0] == "积水 32 cm，超过封闭线"
    assert name in dialog.message.text() or point_id in dialog.message.text()

    # Cancelling the question closes nothing and says nothing went wrong.
    ws.db.execute("DELETE FROM road_closures")
    answer_next_modal(None, accept=False)
    qtbot.mouseClick(dialog.close_road_button, Qt.MouseButton.LeftButton)
    assert ws.count("road_closures") == 0
    dialog.grab().save(str(artifacts_dir / "dispatch_dialog_closed.png"))


def test_resolve_button_in_inbox_resolves_the_alert(qtbot: Any, ui_context: Any) -> None:
    service = ui_context.app.service(AlertService)
    point_id, name, lat, lon = _tunnel(ui_context.workspace)
    alert_id = service.raise_alert("water.threshold", "orange", "积水监测 · 隧道", name,
                                   "水深 18 cm", lat=lat, lon=lon,
                                   dedup_key=f"water.threshold:{point_id}")
    panel = AlertInboxPanel(ui_context)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.select(alert_id)
    button = panel.buttons["alerts.resolve"]
    assert button.isEnabled()
    answer_next_modal("已排水，道路恢复通行")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    a = service.get(alert_id)
    assert a is not None and a.state.value == "resolved"
    assert any(e.note == "已排水，道路恢复通行" for e in service.events(alert_id))
    qtbot.waitUntil(lambda: panel.model.row_of(alert_id) == -1, timeout=3000)  # gone from the inbox


def test_resolve_action_the_r_shortcut_fires_resolves_the_alert(qtbot: Any, ui_context: Any) -> None:
    """The R shortcut fires the QAction (triggered(bool)); offscreen Qt delivers no shortcuts, so
    the action is triggered as the shortcut map would."""
    service = ui_context.app.service(AlertService)
    alert_id = service.raise_alert("unit.stale", "yellow", "警力", "金水铁骑-01", "定位过期",
                                   dedup_key="unit.stale:x")
    panel = AlertInboxPanel(ui_context)
    qtbot.addWidget(panel)
    action = panel.actions_by_id["alerts.resolve"]
    assert action.shortcut().toString() == "R"
    assert panel.select(alert_id)
    answer_next_modal("已联系")
    action.trigger()
    assert service.get(alert_id).state.value == "resolved"  # type: ignore[union-attr]
