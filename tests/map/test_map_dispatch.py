"""派警 from the map: the selected feature's 派警 button and the context menu ask the window to
open the dispatch dialog for that target (the window routes it; see tests/ui)."""

from __future__ import annotations

from typing import Any


def test_dispatch_button_targets_the_selected_water_point(map_panel: Any, ui_context: Any, qtbot: Any) -> None:
    point_id = ui_context.workspace.db.execute(
        "SELECT id FROM water_points WHERE kind = 'tunnel' ORDER BY id LIMIT 1").fetchone()[0]
    assert not map_panel.dispatch_button.isEnabled()
    assert map_panel.focus("water", point_id)
    assert map_panel.dispatch_button.isEnabled()
    with qtbot.waitSignal(ui_context.sig_dispatch_requested, timeout=2000) as blocker:
        map_panel.dispatch_button.click()
    entity, target, lat, lon, label = blocker.args
    assert (entity, target) == ("water_points", point_id)
    assert label and 34 < lat < 35 and 113 < lon < 114

    unit_id = ui_context.workspace.db.execute("SELECT id FROM units LIMIT 1").fetchone()[0]
    assert map_panel.focus("units", unit_id)
    assert not map_panel.dispatch_button.isEnabled()  # a unit is sent, not sent to


def test_context_menu_dispatches_to_a_map_point(map_panel: Any, ui_context: Any, qtbot: Any) -> None:
    menu = map_panel.context_menu(34.7533, 113.6653)
    action = next(a for a in menu.actions() if a.text() == "派警到此处…")
    with qtbot.waitSignal(ui_context.sig_dispatch_requested, timeout=2000) as blocker:
        action.trigger()
    assert blocker.args[0] == "map"
    assert blocker.args[2:4] == [34.7533, 113.6653]
    menu.close()


def test_unit_status_menu_offers_legal_moves_and_writes_the_log(map_panel: Any, ui_context: Any) -> None:
    from desk.domain.units import UnitStatus

    ws = ui_context.workspace
    unit_id = ws.db.execute("SELECT id FROM units WHERE status = 'available' ORDER BY id LIMIT 1").fetchone()[0]
    assert map_panel.focus("units", unit_id)
    assert map_panel.status_button.isEnabled()
    map_panel._fill_status_menu()
    offered = {a.data() for a in map_panel.status_menu.actions()}
    assert offered == {"dispatched", "offline"}  # 在岗 → 已派 or 离线 only
    before = ws.count("unit_status_log", "unit_id = ?", [unit_id])
    assert not map_panel.set_unit_status(UnitStatus.ON_SCENE)  # refused, with a message
    assert ws.db["units"].get(unit_id)["status"] == "available"
    assert map_panel.set_unit_status(UnitStatus.OFFLINE)
    assert ws.db["units"].get(unit_id)["status"] == "offline"
    assert ws.count("unit_status_log", "unit_id = ?", [unit_id]) == before + 1
    map_panel._fill_status_menu()
    assert {a.data() for a in map_panel.status_menu.actions()} == {"available"}
