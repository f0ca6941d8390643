"""The main window opens on the demo city, shows its real counts, and remembers its layout."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDockWidget, QLabel

from desk.ui.main_window import MainWindow
from desk.ui.panels.registry import DOCKS


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


def _all_label_text(window: MainWindow) -> str:
    return "\n".join(label.text() for label in window.findChildren(QLabel))


def test_window_shows_every_dock_with_demo_counts(qtbot, ui_context, tmp_path, artifacts_dir, qapp):  # type: ignore[no-untyped-def]
    from desk.ui.app import apply_look

    apply_look(qapp, "zh")  # the real theme, so the screenshot shows what a dispatcher sees
    window = MainWindow(ui_context, _settings(tmp_path))
    qtbot.addWidget(window)
    window.resize(1600, 960)
    window.show()
    qtbot.waitExposed(window)

    titles = {d.windowTitle() for d in window.findChildren(QDockWidget)}
    assert {"地图", "勤务一张图", "事故快处", "积水与气象", "态势", "告警"} <= titles
    assert set(window.docks) == {spec.id for spec in DOCKS}
    for dock_id, panel in window.panels.items():
        assert not (isinstance(panel, QLabel) and "加载失败" in panel.text()), dock_id

    ws = ui_context.workspace
    # The map draws the demo city's real counts once its page has loaded.
    map_panel = window.panels["map"]
    qtbot.waitUntil(lambda: map_panel.loaded_info is not None, timeout=60_000)
    drawn = map_panel.loaded_info
    assert drawn["cameras"] == ws.count("cameras") == 9432
    assert drawn["water"] == ws.count("water_points") == 415
    assert drawn["units"] == ws.count("units")
    assert drawn["rooms"] == ws.count("police_rooms") == 23
    # The water panel lists every monitored point and says how many.
    water = window.panels["water"]
    assert water.model.rowCount() == 415
    assert "415" in water.counts.text()
    # The duty board knows every officer and every post of the demo city.
    duty = window.panels["duty"]
    assert duty.officer_model.rowCount() == ws.count("officers") == 1000
    assert len(duty.plan.roster.posts) == ws.count("duty_posts")
    text = _all_label_text(window)
    assert "工作区：demo.sqlite" in text
    qtbot.wait(1500)  # let the map paint its markers before the screenshot
    window.grab().save(str(artifacts_dir / "main_window.png"))


def test_actions_are_declared_with_shortcuts(qtbot, ui_context, tmp_path):  # type: ignore[no-untyped-def]
    window = MainWindow(ui_context, _settings(tmp_path))
    qtbot.addWidget(window)
    window.show()
    actions = window.actions_by_id
    assert actions["app.quit"].shortcut().toString() == "Ctrl+Q"
    assert actions["view.dock.map"].shortcut().toString() == "F2"
    # The demo city is loaded, so generating it again is not offered.
    assert not actions["workspace.demo"].isEnabled()
    assert window.docks["alerts"].isVisibleTo(window)
    actions["view.dock.alerts"].trigger()
    assert not window.docks["alerts"].isHidden()  # it brings the panel forward, never hides it


def test_every_toolbar_panel_button_shows_and_focuses_its_panel(qtbot, ui_context, tmp_path):  # type: ignore[no-untyped-def]
    """Issue 17: one click on 地图 used to remove the map. Click each panel button twice, as a
    dispatcher would, and the panel is visible, on top of its tab group, and has the focus."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QToolButton

    from desk.ui.panels.registry import DOCKS

    window = MainWindow(ui_context, _settings(tmp_path))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    for spec in DOCKS:
        action = window.actions_by_id[f"view.dock.{spec.id}"]
        button = window.toolbar.widgetForAction(action)
        assert isinstance(button, QToolButton), spec.id
        for _ in range(2):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            qtbot.wait(20)
            dock = window.docks[spec.id]
            assert dock.isVisible(), f"{spec.id} hidden after a click"
            assert not dock.visibleRegion().isEmpty(), f"{spec.id} not on top of its tabs"
            focus = QApplication.focusWidget()
            assert focus is not None and (focus is dock.widget() or dock.widget().isAncestorOf(focus)), \
                f"{spec.id} panel does not have the focus"


def test_layout_is_saved_and_restored(qtbot, ui_context, tmp_path):  # type: ignore[no-untyped-def]
    settings = _settings(tmp_path)
    window = MainWindow(ui_context, settings)
    qtbot.addWidget(window)
    window.show()
    window.docks["water"].hide()
    window.close()
    assert settings.contains("main_window/state")

    again = MainWindow(ui_context, _settings(tmp_path))
    qtbot.addWidget(again)
    again.show()
    assert again.docks["water"].isHidden()
    assert not again.docks["map"].isHidden()
    again.actions_by_id["view.reset_layout"].trigger()
    assert not again.docks["water"].isHidden()


def test_english_translation_switches_titles(qtbot, ui_context, tmp_path, qapp):  # type: ignore[no-untyped-def]
    from desk.ui.app import apply_look

    apply_look(qapp, "en")
    try:
        window = MainWindow(ui_context, _settings(tmp_path))
        qtbot.addWidget(window)
        titles = {d.windowTitle() for d in window.findChildren(QDockWidget)}
        assert "Map" in titles and "Alerts" in titles
    finally:
        apply_look(qapp, "zh")


def test_rain_banner_row_appears_only_while_a_signal_is_in_force(qtbot, ui_context, tmp_path):  # type: ignore[no-untyped-def]
    from desk.services.rainstorm import RainstormService

    window = MainWindow(ui_context, _settings(tmp_path))
    qtbot.addWidget(window)
    window.show()
    assert window.banners, "the rain warning banner is mounted"
    banner = window.banners[0]
    assert not banner.isVisible()
    service = ui_context.app.service(RainstormService)
    service.set_signal("red", "值班长")
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    # Full width, directly under the menu bar, above the toolbar.
    assert banner.width() >= window.width() - 4
    assert banner.mapTo(window, banner.rect().topLeft()).y() < window.toolbar.y()
    service.lift("值班长")
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=5000)


def test_qt_own_buttons_are_chinese(qapp):  # type: ignore[no-untyped-def]
    """Issue 17: Qt's base dialogs read OK/Cancel in the Chinese UI unless qtbase_zh_CN loads."""
    from PySide6.QtWidgets import QDialogButtonBox

    from desk.ui.app import apply_look

    apply_look(qapp, "zh")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts & {"确定", "取消"}, texts


def test_quit_asks_while_red_alerts_are_open(qtbot, ui_context, tmp_path):  # type: ignore[no-untyped-def]
    """Issue 17: Ctrl+Q acted without confirmation with red alerts open."""
    from desk.services.alerts import AlertService

    window = MainWindow(ui_context, _settings(tmp_path))
    qtbot.addWidget(window)
    window.show()
    asked: list[str] = []
    window.confirm = lambda title, text: asked.append(text) or False
    ui_context.app.service(AlertService).raise_alert(
        "water.threshold", "red", "积水监测", "金水路隧道", "水深 32 cm", dedup_key="water.threshold:T1")
    window.actions_by_id["app.quit"].trigger()
    assert window.isVisible() and asked and "红色告警" in asked[0]
    window.confirm = lambda title, text: True
    window.actions_by_id["app.quit"].trigger()
    assert not window.isVisible()
