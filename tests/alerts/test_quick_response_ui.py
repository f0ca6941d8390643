"""The 派警 dialog lists 空闲/待命 and 返回 units with status and fix age, shows the 快反圈 a target
lies in, and opens the 快反圈 editor where a chief adds a circle and its tiers and reads
compliance from real dispatches."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desk.services.dispatch import Target
from desk.services.quick_response import QuickResponseService
from desk.ui.dispatch.dialog import DispatchDialog
from desk.ui.dispatch.quick_response import QuickResponseDialog

ERQI = (34.7536, 113.6662)


def test_dispatch_dialog_marks_status_and_fix_age(qtbot: Any, ui_context: Any) -> None:
    dialog = DispatchDialog(ui_context, Target("map", "erqi", *ERQI, "二七广场"))
    qtbot.addWidget(dialog)
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    assert headers == ["呼号", "类型", "状态", "距离", "预计到达", "定位"]
    assert dialog.units
    for r, u in enumerate(dialog.units):
        assert dialog.table.item(r, 2).text() == ("返回中" if u.returning else "空闲/待命")
        assert ("定位陈旧" in dialog.table.item(r, 5).text()) == u.stale
    assert dialog.circles_label.text() == "目标不在任何快反圈内"


def test_editor_adds_a_circle_from_the_dispatch_dialog(qtbot: Any, ui_context: Any, artifacts_dir: Any) -> None:
    dialog = DispatchDialog(ui_context, Target("map", "erqi", *ERQI, "二七广场"))
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.circles_button, Qt.MouseButton.LeftButton)
    editor: QuickResponseDialog = dialog.circles_dialog
    assert editor.lat.value() == round(ERQI[0], 5) and editor.lon.value() == round(ERQI[1], 5)
    editor.name.setText("二七广场商圈")  # (qtbot.keyClicks cannot type CJK)
    editor.kind.setCurrentIndex(editor.kind.findData("business"))
    editor.radius.setValue(800)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    (circle,) = ui_context.app.service(QuickResponseService).circles()
    assert (circle.name, circle.kind, circle.radius_m) == ("二七广场商圈", "business", 800)
    for tier, force in ((1, "二七广场警务站"), (3, "二七交警中队"), (5, "市局直属特警")):
        editor.tier.setCurrentIndex(editor.tier.findData(tier))
        editor.force.setText(force)
        qtbot.mouseClick(editor.add_force_button, Qt.MouseButton.LeftButton)
    assert editor.forces.rowCount() == 3
    assert editor.forces.item(0, 1).text() == "二七广场警务站"
    # A bad edit says why and changes nothing.
    editor.name.clear()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "名称" in editor.message.text()
    assert ui_context.app.service(QuickResponseService).circles()[0].name == "二七广场商圈"
    editor.tabs.setCurrentIndex(1)
    editor.resize(900, 560)
    editor.grab().save(str(artifacts_dir / "quick_response_report.png"))
    editor.tabs.setCurrentIndex(0)
    editor.grab().save(str(artifacts_dir / "quick_response_editor.png"))
    editor.close()
    dialog.refresh()
    assert "快反圈 二七广场商圈" in dialog.circles_label.text()
    assert "1 分钟：二七广场警务站" in dialog.circles_label.text()


def test_compliance_tab_counts_a_real_dispatch(qtbot: Any, ui_context: Any) -> None:
    app = ui_context.app
    qr = app.service(QuickResponseService)
    qr.add_circle("二七广场商圈", *ERQI, kind="business", radius_m=800)
    dialog = DispatchDialog(ui_context, Target("map", "erqi", *ERQI, "二七广场"))
    qtbot.addWidget(dialog)
    unit = dialog.units[0]
    dialog.send_selected()
    from desk.services.dispatch import DispatchService

    app.service(DispatchService).set_status(unit.unit_id, "on_scene")
    editor = QuickResponseDialog(ui_context)
    qtbot.addWidget(editor)
    cells = {editor.report.item(r, 0).text(): [editor.report.item(r, c).text() for c in range(1, 7)]
             for r in range(editor.report.rowCount())}
    assert cells["全部"][:2] == ["1", "1"]
    assert cells["快反圈 二七广场商圈"][:3] == ["1", "1", "100%"]  # arrived at once: within 1 min
