"""From a water alert in the inbox to a dispatched unit and a closed tunnel, through the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from desk.services.alerts import AlertService
from desk.ui.main_window import MainWindow


def test_dispatch_from_alert_and_close_tunnel(qtbot, ui_context, tmp_path: Path, artifacts_dir, qapp):  # type: ignore[no-untyped-def]
    from desk.ui.app import apply_look

    apply_look(qapp, "zh")
    ws = ui_context.workspace
    point = ws.db.execute("SELECT id, name, lat, lon FROM water_points WHERE kind = 'tunnel' "
                          "ORDER BY id LIMIT 1").fetchone()
    alert_id = ui_context.app.service(AlertService).raise_alert(
        "water.threshold", "red", "积水监测 · 隧道", point[1], "水深 32 cm，达到封闭阈值",
        lat=point[2], lon=point[3], dedup_key=f"water.threshold:{point[0]}")
    window = MainWindow(ui_context, QSettings(str(tmp_path / "d.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    inbox = window.panels["alerts"]
    assert inbox.select(alert_id)
    inbox.actions_by_id["alerts.dispatch"].trigger()
    dialog = window.dispatch_dialog
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() > 0
    first = dialog.units[0]
    assert ws.db["units"].get(first.unit_id)["status"] == "available"
    dialog.send_selected()
    assert ws.db["units"].get(first.unit_id)["status"] == "dispatched"
    row = ws.db.execute("SELECT target_entity, target_id FROM dispatches WHERE unit_id = ?",
                        [first.unit_id]).fetchone()
    assert tuple(row) == ("alerts", alert_id)
    assert first.call_sign in dialog.heading.text()  # listed as already sent
    assert first.unit_id not in [u.unit_id for u in dialog.units]  # no longer available

    assert dialog.close_road_button.isVisible()
    assert dialog.close_road("积水超过封闭线")
    assert ws.count("road_closures", "point_id = ? AND reopened_at IS NULL", [point[0]]) == 1
    assert not dialog.close_road("again")  # already closed: refused with a message
    assert "已处于封闭" in dialog.message.text()
    dialog.grab().save(str(artifacts_dir / "dispatch_dialog.png"))
