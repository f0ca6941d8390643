"""pytest-qt: a trainer runs a short drill at ×10 through the controls, qtbot acting as the
trainee; the drill finishes and the exported report holds the timeline and score."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desk.drill import DrillSession, Outcome
from desk.ui.bus import QtChangeBus
from desk.ui.context import UiContext
from desk.ui.drill import DrillControls, drill_window_title
from desk.ui.feed import FeedHub

from .conftest import SCENARIOS

SHORT = """\
id: short-test
title: 短演练：隧道积水
briefing: 测试用短剧本。
base: demo
injects:
  - id: Q1
    at: T+00:05
    kind: rain_warning
    level: orange
    expect:
      - {id: Q1-ACK, action: acknowledge, within: "00:20", weight: 1}
  - id: Q2
    at: T+00:10
    kind: water_depth
    point: WP-001
    depth_cm: 30
    expect:
      - {id: Q2-CLOSE, action: close_tunnel, target: WP-001, within: "00:30", weight: 2}
  - id: Q3
    at: T+00:20
    kind: camera_offline
    camera: CAM-00002
    expect:
      - {id: Q3-ACK, action: acknowledge, within: "00:30", weight: 1}
"""


@pytest.fixture
def drill_ui(base_city: Path, tmp_path: Path, qapp):  # type: ignore[no-untyped-def]
    def make(scenario: Path) -> tuple[DrillSession, UiContext, FeedHub, QtChangeBus]:
        session = DrillSession.create(scenario, base=base_city, dest=tmp_path / "drill.sqlite")
        ctx = session.app_context(actor="学员甲")
        qbus = QtChangeBus(session.workspace.bus)
        hub = FeedHub(session.workspace)
        return session, UiContext(ctx, qbus, hub), hub, qbus

    made: list[tuple[DrillSession, UiContext, FeedHub, QtChangeBus]] = []

    def factory(scenario: Path) -> tuple[DrillSession, UiContext]:
        parts = make(scenario)
        made.append(parts)
        return parts[0], parts[1]

    yield factory
    for session, _, hub, qbus in made:
        hub.shutdown()
        qbus.detach()
        session.close()


def test_short_drill_at_speed_with_trainee(qtbot, drill_ui, tmp_path: Path,
                                           artifacts_dir: Path) -> None:
    path = tmp_path / "short.yaml"
    path.write_text(SHORT, encoding="utf-8")
    session, ui = drill_ui(path)
    controls = DrillControls(ui, session)
    qtbot.addWidget(controls)
    controls.resize(560, 760)
    controls.show()
    assert "演练" in controls.banner.text() and "DRILL" in controls.banner.text()
    assert controls.state == "ready"
    assert drill_window_title("交管指挥桌面").startswith("【演练 DRILL】")

    qtbot.mouseClick(controls.speed_buttons[10.0], qtbot_button())
    with qtbot.waitSignal(controls.sig_state_changed):
        qtbot.mouseClick(controls.start_button, qtbot_button())
    assert controls.state == "running"

    # Trainee acknowledges the orange warning once it arrives (drill T+5 s = 0.5 s real).
    with qtbot.waitSignal(controls.sig_inject_fired, timeout=5000):
        pass
    controls.action_kind.setCurrentIndex(controls.action_kind.findData("acknowledge"))
    controls.action_target.setText("橙色预警")  # QTest types ASCII only
    qtbot.mouseClick(controls.record_button, qtbot_button())
    assert "已记录" in controls.action_message.text()

    # Pause and resume in the middle: the water-depth inject still fires.
    qtbot.mouseClick(controls.pause_button, qtbot_button())
    assert controls.state == "paused" and controls.pause_button.text() == "继续"
    paused_at = session.clock.now()
    qtbot.wait(200)
    assert session.clock.now() == paused_at
    qtbot.mouseClick(controls.pause_button, qtbot_button())

    qtbot.waitUntil(lambda: controls.fired_list.count() >= 2, timeout=5000)
    controls.action_kind.setCurrentIndex(controls.action_kind.findData("close_tunnel"))
    qtbot.keyClicks(controls.action_target, "WP-001")
    qtbot.keyClick(controls.action_target, Qt.Key.Key_Return)
    # The last inject is skipped to with "下一注入"; its acknowledgement never comes (missed).
    qtbot.mouseClick(controls.next_button, qtbot_button())
    qtbot.waitUntil(lambda: controls.fired_list.count() == 3, timeout=5000)
    # An empty target is refused with a message, not recorded.
    qtbot.mouseClick(controls.record_button, qtbot_button())
    assert "请填写" in controls.action_message.text()

    controls.lessons_edit.setPlainText("预警确认及时；摄像机离线未确认。")
    controls.grab().save(str(artifacts_dir / "drill_controls.png"))
    with qtbot.waitSignal(controls.sig_state_changed):
        qtbot.mouseClick(controls.finish_button, qtbot_button())
    assert controls.state == "finished"
    assert controls.score_label.text().startswith("得分")

    result = session.score()
    outcomes = {r.expected.id: r.outcome for r in result.results}
    assert outcomes == {"Q1-ACK": Outcome.MET, "Q2-CLOSE": Outcome.MET,
                        "Q3-ACK": Outcome.MISSED}
    # Camera offline reached the drill workspace through the feed.
    cam = session.workspace.db.execute("SELECT online FROM cameras WHERE id='CAM-00002'")
    assert cam.fetchone()[0] == 0

    html_path, pdf_path = tmp_path / "r.html", tmp_path / "r.pdf"
    with qtbot.waitSignal(controls.sig_report_exported, timeout=20000):
        controls.export_report(html_path, pdf_path)
    page = html_path.read_text(encoding="utf-8")
    assert f"{result.score:.1f} 分" in page
    assert "确认告警：橙色预警" in page and "封闭隧道/道路：WP-001" in page
    assert "摄像机离线未确认" in page
    assert pdf_path.read_bytes().startswith(b"%PDF")
    controls.grab().save(str(artifacts_dir / "drill_controls_finished.png"))


def test_sample_scenario_runs_to_end_with_next_inject(qtbot, drill_ui) -> None:
    session, ui = drill_ui(SCENARIOS / "morning_rush_accidents.yaml")
    controls = DrillControls(ui, session)
    qtbot.addWidget(controls)
    for n in range(1, len(session.scenario.injects) + 1):
        qtbot.mouseClick(controls.next_button, qtbot_button())
        qtbot.waitUntil(lambda n=n: controls.fired_list.count() == n, timeout=5000)
        if n == 1:
            assert controls.record_action("accept", "CASE-1")
    assert not controls.next_button.isEnabled()
    controls.finish()
    result = session.score()
    assert result.counts["met"] == 1 and result.counts["not_fired"] == 0
    assert session.workspace.count("drill_injects_fired") == 5


def qtbot_button():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
