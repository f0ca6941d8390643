"""Journey 3 (issue 12): the shipped red-rainstorm drill, played by a trainee who uses only the
normal screens — the rain banner, the alert inbox, the water panel's call list, the map and its
派警 dialog, the accident queue — reaches the full score. Nothing is typed into the trainer's
recorder: every action is read back from what the trainee changed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt
from PySide6.QtWidgets import QLabel

from desk.app.operators import Operator, OperatorRole
from desk.app.runtime import Runtime
from desk.drill.session import DrillSession
from desk.paths import resources_dir
from desk.services.alerts import AlertService
from desk.ui.app import add_drill_controls
from desk.ui.bus import QtChangeBus
from desk.ui.context import UiContext
from desk.ui.drill.controls import DrillControls
from desk.ui.feed import FeedHub
from desk.ui.main_window import MainWindow

SCENARIO = resources_dir() / "scenarios" / "rainstorm_red.yaml"


@pytest.fixture
def drill(demo_city_file: Path, tmp_path: Path, qapp: Any, qtbot: Any):  # type: ignore[no-untyped-def]
    from desk.ui.app import apply_look

    apply_look(qapp, "zh")
    base = tmp_path / "live.sqlite"
    shutil.copyfile(demo_city_file, base)
    session = DrillSession.create(SCENARIO, base=base, dest=tmp_path / "drill.sqlite")
    ctx = session.app_context()
    runtime = Runtime(ctx)
    runtime.sign_on(Operator("T0001", "学员甲", OperatorRole.TRAINEE))
    hub = FeedHub(runtime)
    ui = UiContext(ctx, QtChangeBus(session.workspace.bus), hub, runtime=runtime)
    window = MainWindow(ui, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    window.force_close = True
    controls = add_drill_controls(window, ui, session)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    runtime.start()
    yield session, ui, window, controls
    hub.shutdown()
    window.close()
    window.deleteLater()
    # The map page must be gone before its profile is (else QtWebEngine crashes at exit).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    session.close()


def _fire(session: DrillSession, controls: DrillControls, qtbot: Any, inject_id: str) -> None:
    """Press 下一注入 (the trainer's button) until ``inject_id`` has fired."""
    wanted = next(i for i in session.scenario.injects if i.id == inject_id)
    while inject_id not in session.fired_times():
        if wanted.at_s <= session.clock.now():
            qtbot.waitUntil(lambda: inject_id in session.fired_times(), timeout=15_000)
            break
        # Not due yet: jump drill time to the next inject, as the trainer would.
        before = len(session.fired_times())
        assert controls.next_button.isEnabled(), (inject_id, controls.state)
        qtbot.mouseClick(controls.next_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=before: len(session.fired_times()) > n, timeout=15_000)


def _dispatch_from_map(window: MainWindow, layer: str, entity_id: str, qtbot: Any) -> Any:
    """Select the feature on the map and press 派警…, then send the first unit offered."""
    map_panel = window.panels["map"]
    qtbot.waitUntil(lambda: map_panel.loaded_info is not None, timeout=60_000)
    # A new case reaches the map layer with its next refresh.
    qtbot.waitUntil(lambda: map_panel.focus(layer, entity_id), timeout=10_000)
    qtbot.mouseClick(map_panel.dispatch_button, Qt.MouseButton.LeftButton)
    dialog = window.dispatch_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=10_000)
    dialog.table.selectRow(0)
    dialog.send_selected()
    return dialog


def _notify(window: MainWindow, point_id: str, role: str, qtbot: Any) -> None:
    water = window.panels["water"]
    assert water.select(point_id)
    rows = [water.call_list.item(i).text() for i in range(water.call_list.count())]
    row = next(i for i, text in enumerate(rows) if f"（{role}）" in text)
    water.call_list.setCurrentRow(row)
    qtbot.mouseClick(water.notify_button, Qt.MouseButton.LeftButton)


def _point(session: DrillSession, inject_id: str) -> str:
    inject = next(i for i in session.scenario.injects if i.id == inject_id)
    return str(inject.data.get("point_id") or inject.data.get("point"))


def test_red_rainstorm_drill_full_score_through_the_normal_screens(drill: Any, qtbot: Any,
                                                                  artifacts_dir: Path) -> None:
    session, ui, window, controls = drill
    alerts = ui.app.service(AlertService)
    qtbot.mouseClick(controls.start_button, Qt.MouseButton.LeftButton)

    # R01: the 气象台's red signal arrives: banner and an inbox alert, acknowledged there.
    _fire(session, controls, qtbot, "R01")
    qtbot.waitUntil(lambda: any(a.kind.startswith("rain") for a in alerts.open_alerts()), timeout=10_000)
    banner = window.banners[0]
    qtbot.waitUntil(banner.isVisible, timeout=5_000)
    assert "红色" in " ".join(w.text() for w in banner.findChildren(QLabel))
    rain = next(a for a in alerts.open_alerts() if a.kind.startswith("rain"))
    inbox = window.panels["alerts"]
    qtbot.waitUntil(lambda: inbox.select(rain.id), timeout=5_000)
    qtbot.waitUntil(inbox.actions_by_id["alerts.acknowledge"].isEnabled, timeout=5_000)
    inbox.actions_by_id["alerts.acknowledge"].trigger()
    qtbot.waitUntil(lambda: alerts.get(rain.id).state.value == "acknowledged", timeout=5_000)
    first_point = _point(session, "R03")
    _notify(window, first_point, "值班领导", qtbot)

    _fire(session, controls, qtbot, "R02")  # R02: message from the 防汛办
    _fire(session, controls, qtbot, "R03")  # R03: WP-001 at 18 cm: send a unit
    _dispatch_from_map(window, "water", first_point, qtbot).close()

    _fire(session, controls, qtbot, "R04")  # R04: 32 cm: close it, call its 隧道责任人
    dialog = _dispatch_from_map(window, "water", first_point, qtbot)
    assert dialog.close_road("积水超过封闭水深")
    dialog.close()
    _notify(window, first_point, "隧道责任人", qtbot)

    _fire(session, controls, qtbot, "R05")  # R05: WP-002 at 22 cm: send a unit
    _dispatch_from_map(window, "water", _point(session, "R05"), qtbot).close()

    _fire(session, controls, qtbot, "R06")  # R06: a car stalled in the water: accept, send help
    cases = window.panels["accidents"]
    qtbot.waitUntil(lambda: cases.model.rowCount() > 0, timeout=10_000)
    case_id = ui.workspace.db.execute(
        "SELECT id FROM accident_cases WHERE case_key LIKE 'drill:%' ORDER BY rowid DESC").fetchone()[0]
    cases.open_case(case_id)
    view = cases.workspace
    qtbot.mouseClick(view.buttons[next(s for s in view.buttons if s.value == "accepted")],
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ui.workspace.db["accident_cases"].get(case_id)["state"] == "accepted",
                    timeout=5_000)
    _dispatch_from_map(window, "cases", case_id, qtbot).close()

    _fire(session, controls, qtbot, "R07")  # R07: WP-003 at 45 cm: close it
    dialog = _dispatch_from_map(window, "water", _point(session, "R07"), qtbot)
    assert dialog.close_road("积水超过封闭水深")
    dialog.close()
    window.grab().save(str(artifacts_dir / "journey_rainstorm_drill.png"))

    result = session.score()
    missed = [r for r in result.results if r.points < r.expected.weight]
    assert not missed, [(r.expected.id, r.outcome) for r in missed]
    assert result.score == pytest.approx(100.0)
    # Every action was recorded from the trainee's own changes, named by the operator on duty.
    assert {a.actor for a in session.actions.actions()} == {"T0001 学员甲"}
