"""pytest-qt: the debrief replay window (演练回放) plays a recorded drill at ×30 on a fake time
source, shows the timeline in order with the score so far, seeks backwards, and ends on the
session's own score; the drill controls open it once the drill is finished."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desk.drill import Outcome
from desk.ui.drill import DrillControls, DrillReplayWindow

from .conftest import FakeTime
from .test_controls import SHORT, drill_ui  # noqa: F401  (fixture)
from .test_session import run_rainstorm


@pytest.fixture
def recorded(base_city: Path, tmp_path: Path, fake_time: FakeTime) -> tuple[Path, object]:
    """The rainstorm sample played by a scripted trainee (met, late and missed), closed."""
    path = tmp_path / "drill.sqlite"
    session = run_rainstorm(base_city, path, fake_time)
    session.finish()
    final = session.score()
    session.close()
    return path, final


def test_replay_plays_in_order_scores_and_seeks(qtbot, recorded, artifacts_dir: Path) -> None:
    path, final = recorded
    fake = FakeTime()
    window = DrillReplayWindow.open(path, time_source=fake)
    qtbot.addWidget(window)
    window.resize(820, 720)
    window.show()
    assert "演练回放" in window.banner.text() and "DRILL REPLAY" in window.banner.text()
    assert window.windowTitle().startswith("【演练回放 DRILL REPLAY】")
    assert window.state == "ready" and window.timeline_list.count() == 0
    timeline = window.replay.timeline
    assert len(timeline) == 14  # 7 injects fired, 7 trainee actions

    qtbot.mouseClick(window.speed_buttons[30.0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.play_button, Qt.MouseButton.LeftButton)
    assert window.state == "playing" and window.play_button.text() == "暂停"

    # Step the fake clock: 1 real second = 30 drill seconds.
    seen_counts = []
    mid_checked = False
    for _ in range(200):
        fake.advance(1.0)
        window.tick()
        seen_counts.append(window.timeline_list.count())
        now = window.replay.now()
        if not mid_checked and 300 <= now < 480:
            # Mid-run: the WP-002 dispatch (due by 480) is still pending, not yet missed.
            mid = window.score()
            assert mid.pending >= 1 and mid.late == 0
            mid_checked = True
        if window.state == "ended":
            break
    assert mid_checked
    assert window.state == "ended"
    assert seen_counts == sorted(seen_counts)  # the list only grows while playing
    assert window.shown == timeline  # every entry, in timeline order
    assert [e.at_s for e in window.shown] == sorted(e.at_s for e in window.shown)
    current = window.timeline_list.currentRow()
    assert current == len(timeline) - 1
    assert window.timeline_list.item(current).font().bold()
    assert window.clock_label.text() == "T+20:00"

    end = window.score()
    assert end.pending == 0
    assert end.points == pytest.approx(final.points)
    assert end.total_weight == pytest.approx(final.total_weight)
    assert end.score == pytest.approx(final.score)
    assert (end.met, end.late, end.missed) == (
        final.counts[Outcome.MET.value], final.counts[Outcome.LATE.value],
        final.counts[Outcome.MISSED.value])
    assert end.late >= 1 and end.missed >= 1
    assert f"{final.score:.1f}" in window.score_label.text()
    window.grab().save(str(artifacts_dir / "drill_replay.png"))

    # Seek backwards with the slider: the list is rebuilt as of T+04:10.
    window.slider.setValue(250)
    assert window.clock_label.text() == "T+04:10"
    assert window.shown == [e for e in timeline if e.at_s <= 250]
    assert window.timeline_list.count() == len(window.shown) < len(timeline)
    assert window.state == "paused"
    assert window.score().met < end.met + end.late
    # Playing on from there grows the list again from where it was.
    qtbot.mouseClick(window.play_button, Qt.MouseButton.LeftButton)
    fake.advance(5.0)  # 150 drill seconds
    window.tick()
    assert window.shown == [e for e in timeline if e.at_s <= 400]
    qtbot.mouseClick(window.play_button, Qt.MouseButton.LeftButton)
    assert window.state == "paused"
    frozen = window.replay.now()
    fake.advance(10.0)
    window.tick()
    assert window.replay.now() == frozen
    window.close()


def test_replay_refuses_a_file_that_is_not_a_drill(tmp_path: Path, workspace) -> None:
    with pytest.raises(ValueError, match="不存在"):
        DrillReplayWindow.open(tmp_path / "missing.sqlite")
    assert not (tmp_path / "missing.sqlite").exists()
    with pytest.raises(ValueError, match="不是演练工作区"):
        DrillReplayWindow.open(workspace.path)


def test_controls_open_replay_once_finished(qtbot, drill_ui, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "short.yaml"
    path.write_text(SHORT, encoding="utf-8")
    session, ui = drill_ui(path)
    controls = DrillControls(ui, session)
    qtbot.addWidget(controls)
    assert not controls.replay_button.isEnabled()
    assert controls.open_replay() is None and "结束后" in controls.action_message.text()
    for n in range(1, len(session.scenario.injects) + 1):
        controls.next_inject()
        qtbot.waitUntil(lambda n=n: controls.fired_list.count() == n, timeout=5000)
    assert controls.record_action("close_tunnel", "WP-001")
    controls.finish()
    assert controls.replay_button.isEnabled()
    qtbot.mouseClick(controls.replay_button, Qt.MouseButton.LeftButton)
    window = controls.replay_window
    assert isinstance(window, DrillReplayWindow)
    qtbot.addWidget(window)
    assert window.session is session
    window.seek(window.replay.end_s)
    kinds = [e.kind for e in window.shown]
    assert kinds.count("inject") == 3 and kinds.count("action") == 1
    assert window.score().score == pytest.approx(session.score().score)
    window.close()
    assert session.workspace.count("drill_runs") == 1  # shared session left open
