"""The duty board widget: drag an officer onto a post through the real drop path, badges, undo and
redo, publish with reasons, auto-fill on a worker, model tests and the screenshot."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from desk.ui.duty import DutyBoardPanel
from desk.ui.duty.models import MIME_OFFICER, RowsTableModel
from desk.ui.duty.timeline import ROW_H, TOP
from tests.duty.conftest import MON

H = 3600


def drop(panel: DutyBoardPanel, officer_id: str, post_id: str, at: int) -> None:
    """Drag from the roster model onto the timeline through Qt's drag events."""
    tl = panel.timeline
    row = panel.officer_model.row_of(officer_id)
    mime = panel.officer_model.mimeData([panel.officer_model.index(row)])
    assert mime.hasFormat(MIME_OFFICER)
    post_row = [p.id for p in tl.posts].index(post_id)
    pos = QPointF(tl.x_of(at), TOP + post_row * ROW_H + ROW_H / 2)
    actions = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos.toPoint(), actions, mime, buttons, mods)
    QApplication.sendEvent(tl, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(pos.toPoint(), actions, mime, buttons, mods)
    QApplication.sendEvent(tl, move)
    assert move.isAccepted()
    ev = QDropEvent(pos, actions, mime, buttons, mods)
    QApplication.sendEvent(tl, ev)
    assert ev.isAccepted()


def make_panel(qtbot, duty_ui) -> DutyBoardPanel:  # type: ignore[no-untyped-def]
    panel = DutyBoardPanel(duty_ui)
    qtbot.addWidget(panel)
    panel.resize(1500, 700)
    panel.reason_provider = lambda _label: "测试原因"
    panel.confirm_provider = lambda _question: True
    return panel


def test_drop_officer_shows_bar_and_badge(qtbot, duty_ui, dark, artifacts_dir: Path) -> None:
    panel = make_panel(qtbot, duty_ui)
    panel.show()
    tl = panel.timeline
    assert tl.posts and panel.officer_model.rowCount() == 24
    # post-004 is a motorcycle line; off-0002 (k=0 in station 2… ) — pick one without 铁骑.
    moto = next(p for p in tl.posts if p.kind == "motorcycle_line")
    rider = next(o for o in panel.plan.roster.officers.values()
                 if "motorcycle" not in o.skills and o.station_id == moto.station_id)
    drop(panel, rider.id, moto.id, MON + 8 * H)  # inside 早高峰 07:00–09:00
    bars = [a for a in panel.plan.roster.assignments.values() if a.post_id == moto.id]
    assert len(bars) == 1
    bar = bars[0]
    assert (bar.start, bar.end, bar.officer_id) == (MON + 7 * H, MON + 9 * H, rider.id)
    assert tl.bar_rect(bar) is not None
    assert tl.badges()[bar.id][0] == 1  # the required-skill violation wears a red badge
    # the explanation panel shows the selected bar's violations, naming officer and post
    assert panel.violation_model.rowCount() == 1
    text = panel.violation_model.index(0, 1).data()
    assert rider.name in text and moto.name in text and "铁骑" in text
    assert "硬约束 1" in panel.state_label.text()
    # a second officer on an intersection, then the screenshot of the board
    inter = next(p for p in tl.posts if p.kind == "intersection")
    other = next(o for o in panel.plan.roster.officers.values()
                 if o.station_id == inter.station_id and o.id != rider.id)
    drop(panel, other.id, inter.id, MON + 17 * H + 1800)
    qtbot.wait(50)
    panel.grab().save(str(artifacts_dir / "duty_board_week.png"))
    panel.range_combo.setCurrentIndex(1)
    panel.set_day(MON)
    panel.timeline_scroll.horizontalScrollBar().setValue(int(tl.x_of(MON + 6 * H)) - 200)
    assert panel.violation_model.rowCount() > 1  # a clean bar is selected: the whole plan
    qtbot.wait(50)
    panel.grab().save(str(artifacts_dir / "duty_board.png"))


def test_drop_outside_rows_or_foreign_mime_is_refused(qtbot, duty_ui) -> None:
    panel = make_panel(qtbot, duty_ui)
    tl = panel.timeline
    mime = QMimeData()
    mime.setText("off-0001")
    enter = QDragEnterEvent(QPoint(300, 60), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(tl, enter)
    assert not enter.isAccepted()
    assert panel.plan.roster.assignments == {}


def test_undo_redo_and_merged_drags(qtbot, duty_ui) -> None:
    panel = make_panel(qtbot, duty_ui)
    post = panel.timeline.posts[0]
    officer = next(o for o in panel.plan.roster.officers.values()
                   if o.station_id == post.station_id)
    drop(panel, officer.id, post.id, MON + 8 * H)
    (a,) = panel.plan.roster.assignments.values()
    panel.change_assignment(a.moved(post.id, a.start + H, a.end + H))
    panel.change_assignment(a.moved(post.id, a.start + 2 * H, a.end + 2 * H))
    assert panel.undo_stack.count() == 2  # the two drags merged into one step
    panel.undo_stack.undo()
    assert panel.plan.roster.get(a.id) == a
    panel.undo_stack.undo()
    assert panel.plan.roster.assignments == {}
    assert duty_ui.workspace.count("duty_assignments") == 0
    panel.undo_stack.redo()
    panel.undo_stack.redo()
    assert panel.plan.roster.get(a.id) == a.moved(post.id, a.start + 2 * H, a.end + 2 * H)
    row = duty_ui.workspace.db.execute("SELECT start FROM duty_assignments").fetchone()
    assert row[0] == a.start + 2 * H


def test_publish_refuses_then_change_needs_reason(qtbot, duty_ui) -> None:
    panel = make_panel(qtbot, duty_ui)
    panel.station_combo.setCurrentIndex(panel.station_combo.findData("st-01"))
    posts = panel.timeline.posts
    officer = next(iter(panel.plan.roster.officers.values()))
    drop(panel, officer.id, posts[0].id, MON + 8 * H)
    drop(panel, officer.id, posts[1].id, MON + 8 * H)  # overlap: hard violation
    assert panel.publish() is False
    assert "未发布" in panel.banner.text()
    panel.undo_stack.undo()
    assert panel.publish() is True
    assert panel.undo_stack.count() == 0
    asked: list[str] = []
    panel.reason_provider = lambda label: asked.append(label) or None  # type: ignore[func-returns-value]
    (a,) = panel.plan.roster.assignments.values()
    panel.change_assignment(a.moved(a.post_id, a.start + H, a.end + H))
    assert asked and panel.plan.roster.get(a.id) == a  # cancelled: nothing changed
    panel.reason_provider = lambda _label: "交通管制临时调岗"
    panel.change_assignment(a.moved(a.post_id, a.start + H, a.end + H))
    assert panel.notify_model.rowCount() == 1
    assert panel.notify_model.index(0, 2).data() == "交通管制临时调岗"


def test_autofill_runs_on_a_worker_and_is_one_undo_step(qtbot, duty_ui) -> None:
    duty_ui.app.settings["duty_autofill_s"] = 3.0
    panel = make_panel(qtbot, duty_ui)
    panel.range_combo.setCurrentIndex(1)  # day view: fill just the day
    with qtbot.waitSignal(panel.sig_autofill_finished, timeout=30_000) as blocker:
        panel.start_autofill()
    result = blocker.args[0]
    assert result is not None and result.added > 0
    assert panel.plan.checker.hard() == []
    assert panel.undo_stack.count() == 1
    days = {a.start // 86400 for a in panel.plan.roster.assignments.values()}
    assert len(days) <= 2  # one duty day (a night check ends the next morning)
    panel.undo_stack.undo()
    assert panel.plan.roster.assignments == {}


def test_models_pass_qtmodeltester(qtbot, duty_ui, qtmodeltester) -> None:
    panel = make_panel(qtbot, duty_ui)
    post = panel.timeline.posts[0]
    officer = next(o for o in panel.plan.roster.officers.values()
                   if o.station_id == post.station_id)
    drop(panel, officer.id, post.id, MON + 8 * H)
    panel.timeline.selected = ""
    panel._refresh_violations()
    assert panel.violation_model.rowCount() > 0
    qtmodeltester.check(panel.officer_model)
    qtmodeltester.check(panel.violation_model)
    rows = RowsTableModel(["a", "b"])
    rows.set_rows([("x", "y"), ("z", "w")])
    qtmodeltester.check(rows)


def test_skill_filter_and_focus(qtbot, duty_ui) -> None:
    panel = make_panel(qtbot, duty_ui)
    all_posts = len(panel.timeline.posts)
    panel.skill_combo.setCurrentIndex(panel.skill_combo.findData("motorcycle"))
    assert 0 < len(panel.timeline.posts) < all_posts
    assert all(p.kind == "motorcycle_line" for p in panel.timeline.posts)
    assert all("motorcycle" in panel.officer_model.officer_at(i).skills
               for i in range(panel.officer_model.rowCount()))
    duty_ui.sig_focus_requested.emit("officers", "off-0003")
    assert panel.timeline.highlight_officer == "off-0003"
