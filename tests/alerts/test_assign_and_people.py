"""指派 picks a unit, officer, responsible person or station and the history says to whom; a water
alert shows its point's call list, says "未配置责任人" when it is empty, and lets the user add
people and record a call."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desk.services.alerts import AlertService
from desk.services.water import WaterService
from desk.ui.alerts.assign import AssignDialog, PersonDialog
from desk.ui.alerts.panel import AlertInboxPanel


def _water_alert(ui: Any) -> tuple[str, str]:
    ws = ui.workspace
    pid, name, lat, lon = ws.db.execute(
        "SELECT id, name, lat, lon FROM water_points WHERE kind = 'tunnel' ORDER BY id LIMIT 1").fetchone()
    ws.db.execute("DELETE FROM responsible_people WHERE point_id = ?", [pid])
    alert_id = ui.app.service(AlertService).raise_alert(
        "water.threshold", "red", "积水监测 · 隧道", name, "水深 32 cm", lat=lat, lon=lon,
        dedup_key=f"water.threshold:{pid}")
    return str(pid), alert_id


def _when_modal(fn: Any, tries: int = 300) -> None:
    def attempt(left: int) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None and left > 0:
            QTimer.singleShot(10, lambda: attempt(left - 1))
        elif modal is not None:
            fn(modal)

    QTimer.singleShot(0, lambda: attempt(tries))


def test_assign_picker_offers_nearest_units_and_history_names_the_assignee(qtbot: Any, ui_context: Any) -> None:
    _point, alert_id = _water_alert(ui_context)
    svc = ui_context.app.service(AlertService)
    choices = svc.assignee_choices(alert_id)
    kinds = [c.kind for c in choices]
    assert "unit" in kinds and "officer" in kinds and "station" in kinds
    unit = next(c for c in choices if c.kind == "unit")
    assert "km" in unit.detail and "分钟" in unit.detail
    panel = AlertInboxPanel(ui_context)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.select(alert_id)
    seen: list[AssignDialog] = []

    def pick(dialog: Any) -> None:
        assert isinstance(dialog, AssignDialog)
        seen.append(dialog)
        assert dialog.choose(unit.label)
        dialog.accept()

    _when_modal(pick)
    qtbot.mouseClick(panel.buttons["alerts.assign"], Qt.MouseButton.LeftButton)
    assert seen
    a = svc.get(alert_id)
    assert a is not None and (a.state.value, a.assigned_to) == ("assigned", unit.label)
    assign_events = [e for e in svc.events(alert_id) if e.action.value == "assign"]
    assert assign_events[-1].note == unit.label
    qtbot.waitUntil(lambda: any(unit.label in panel.history.item(i).text()
                                for i in range(panel.history.count())), timeout=3000)
    assert _text_of_row(panel, alert_id, 7) == unit.label


def _text_of_row(panel: AlertInboxPanel, alert_id: str, col: int) -> str:
    return str(panel.model.index(panel.model.row_of(alert_id), col).data())


def test_free_text_team_is_still_accepted(qtbot: Any, ui_context: Any) -> None:
    _point, alert_id = _water_alert(ui_context)
    panel = AlertInboxPanel(ui_context)
    qtbot.addWidget(panel)
    assert panel.select(alert_id)

    def type_team(dialog: Any) -> None:
        dialog.combo.setEditText("排水抢险二队")
        dialog.accept()

    _when_modal(type_team)
    panel.buttons["alerts.assign"].click()
    assert ui_context.app.service(AlertService).get(alert_id).assigned_to == "排水抢险二队"  # type: ignore[union-attr]


def test_empty_call_list_says_so_and_people_can_be_added_and_called(
        qtbot: Any, ui_context: Any, artifacts_dir: Any) -> None:
    point, alert_id = _water_alert(ui_context)
    panel = AlertInboxPanel(ui_context)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    assert panel.select(alert_id)
    box = panel.people
    assert box.isVisible()
    assert "未配置责任人" in box.caption.text()
    assert not box.notify_button.isEnabled()

    def fill(dialog: Any) -> None:
        assert isinstance(dialog, PersonDialog)
        dialog.name.setText("王建国")
        dialog.role.setText("排水所值班员")
        dialog.phone.setText("13800000001")
        dialog.accept()

    _when_modal(fill)
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    people = ui_context.app.service(WaterService).responsible_people(point)
    assert [(p.name, p.role, p.phone) for p in people] == [("王建国", "排水所值班员", "13800000001")]
    assert box.list.count() == 1 and "王建国" in box.list.item(0).text()
    assert "未配置" not in box.caption.text()
    qtbot.mouseClick(box.notify_button, Qt.MouseButton.LeftButton)
    notes = ui_context.app.service(WaterService).notifications(point)
    assert [(n.person_name, n.alert_id) for n in notes] == [("王建国", alert_id)]
    assert "已通知" in box.list.item(0).text()
    panel.grab().save(str(artifacts_dir / "alert_inbox_people.png"))

    # A non-water alert has no call list.
    other = ui_context.app.service(AlertService).raise_alert(
        "crowd", "orange", "客流", "德化街", "德化街聚集约 5000 人", dedup_key="crowd:德化街")
    qtbot.waitUntil(lambda: panel.model.row_of(other) >= 0, timeout=3000)
    assert panel.select(other)
    assert not box.isVisible()
