"""The 排班设置 dialog: leave over an existing assignment shows its violation on the bar at once,
requirements and shift templates edited on the board, every change one undo step, bad input
refused with a Chinese message and nothing written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, QTime

from desk.domain.duty.rules import Severity
from desk.services.duty import DutyError
from desk.ui.duty.settings import _CST, DutySettingsDialog
from tests.duty.conftest import MON
from tests.duty.test_board import drop, make_panel

H = 3600


def _select(view, row: int) -> None:  # type: ignore[no-untyped-def]
    view.setCurrentIndex(view.model().index(row, 0))


def test_leave_over_an_assignment_shows_the_violation_at_once(
        qtbot, duty_ui, dark, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    panel = make_panel(qtbot, duty_ui)
    panel.show()
    tl = panel.timeline
    inter = next(p for p in tl.posts if p.kind == "intersection")
    officer = next(o for o in panel.plan.roster.officers.values()
                   if o.station_id == inter.station_id)
    drop(panel, officer.id, inter.id, MON + 8 * H)  # 早高峰 07:00–09:00 on Monday
    (bar,) = panel.plan.roster.assignments.values()
    assert tl.badges().get(bar.id, (0, 0))[0] == 0  # a clean bar: no red badge yet
    undo_before = panel.undo_stack.count()

    dlg = panel.open_settings()
    qtbot.addWidget(dlg)
    assert isinstance(dlg, DutySettingsDialog) and dlg.isVisible()
    dlg.leave_officer.setCurrentIndex(dlg.leave_officer.findData(officer.id))
    dlg.leave_from.setDateTime(QDateTime.fromSecsSinceEpoch(MON, _CST))
    dlg.leave_to.setDateTime(QDateTime.fromSecsSinceEpoch(MON + 86400, _CST))
    dlg.leave_reason.setCurrentText("病假")
    dlg.leave_add.click()

    # Stored through the service, one undo step, and judged at once.
    rows = duty_ui.workspace.db.execute(
        'SELECT officer_id, start, "end", reason FROM duty_unavailability').fetchall()
    assert rows == [(officer.id, MON, MON + 86400, "病假")]
    assert panel.undo_stack.count() == undo_before + 1
    assert tl.badges()[bar.id][0] == 1  # the bar now wears a red badge
    hard = [v for v in panel.plan.checker.for_assignment(bar.id) if v.severity is Severity.HARD]
    assert [v.rule for v in hard] == ["unavailable"]
    texts = [panel.violation_model.index(r, 1).data()
             for r in range(panel.violation_model.rowCount())]
    assert any(officer.name in t and inter.name in t and "病假" in t for t in texts), texts
    assert "硬约束 1" in panel.state_label.text()
    assert dlg.leave_model.rowCount() == 1 and "病假" in dlg.leave_model.index(0, 2).data()
    qtbot.wait(50)
    dlg.grab().save(str(artifacts_dir / "duty_settings_leave.png"))
    panel.grab().save(str(artifacts_dir / "duty_board_leave.png"))

    # Undo removes the leave and the violation; redo brings both back.
    panel.undo_stack.undo()
    assert duty_ui.workspace.count("duty_unavailability") == 0
    assert tl.badges().get(bar.id, (0, 0))[0] == 0
    assert dlg.leave_model.rowCount() == 0
    panel.undo_stack.redo()
    assert duty_ui.workspace.count("duty_unavailability") == 1
    assert tl.badges()[bar.id][0] == 1

    # Deleting the selected leave clears it again.
    _select(dlg.leave_view, 0)
    assert dlg.remove_leave()
    assert duty_ui.workspace.count("duty_unavailability") == 0
    assert tl.badges().get(bar.id, (0, 0))[0] == 0


def test_bad_leave_is_refused_with_a_message(qtbot, duty_ui) -> None:  # type: ignore[no-untyped-def]
    panel = make_panel(qtbot, duty_ui)
    dlg = panel.open_settings()
    qtbot.addWidget(dlg)
    dlg.leave_from.setDateTime(QDateTime.fromSecsSinceEpoch(MON + 86400, _CST))
    dlg.leave_to.setDateTime(QDateTime.fromSecsSinceEpoch(MON, _CST))
    before = panel.undo_stack.count()
    assert not dlg.add_leave()
    assert "结束时间必须晚于开始时间" in dlg.message.text()
    assert duty_ui.workspace.count("duty_unavailability") == 0
    assert panel.undo_stack.count() == before
    dlg.leave_officer.setCurrentText("不存在的人")
    assert not dlg.add_leave() and "请从列表中选择民警" in dlg.message.text()


def test_requirement_edit_changes_staffing_verdict(qtbot, duty_ui, dark,
                                                   artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    panel = make_panel(qtbot, duty_ui)
    inter = next(p for p in panel.timeline.posts if p.kind == "intersection")
    dlg = panel.open_settings()
    qtbot.addWidget(dlg)
    dlg.tabs.setCurrentIndex(1)
    dlg.req_post.setCurrentIndex(dlg.req_post.findData(inter.id))
    assert dlg.req_model.rowCount() == 3  # 早高峰 2 / 白班 1 / 晚高峰 2 seeded by default

    def short_am() -> int:
        return sum(v.penalty for v in panel.plan.checker.violations()
                   if v.rule == "min_staff" and v.post_id == inter.id
                   and v.start == MON + 7 * H)

    assert short_am() == 200  # nobody there, two required
    _select(dlg.req_view, 0)  # the 早高峰 row loads into the form
    assert dlg.req_template.currentData() == "tpl-am-peak" and dlg.req_staff.value() == 2
    dlg.req_staff.setValue(3)
    dlg.req_skills["motorcycle"].setChecked(True)
    assert dlg.save_requirement()
    assert short_am() == 300
    req = next(r for r in panel.plan.roster.requirements_of(inter.id)
               if r.template_id == "tpl-am-peak")
    assert req.min_staff == 3 and req.skills == frozenset({"motorcycle"})
    assert duty_ui.workspace.db.execute(
        "SELECT COUNT(*) FROM duty_post_requirements WHERE post_id = ?",
        [inter.id]).fetchone()[0] == 3  # updated in place, not duplicated
    qtbot.wait(50)
    dlg.grab().save(str(artifacts_dir / "duty_settings_requirements.png"))
    panel.undo_stack.undo()
    assert short_am() == 200
    _select(dlg.req_view, 0)
    assert dlg.remove_requirement()
    assert short_am() == 0


def test_shift_templates_add_edit_and_guarded_delete(qtbot, duty_ui, dark,
                                                     artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    panel = make_panel(qtbot, duty_ui)
    dlg = panel.open_settings()
    qtbot.addWidget(dlg)
    dlg.tabs.setCurrentIndex(2)
    n = dlg.tpl_model.rowCount()
    dlg.tpl_name.setText("午高峰")
    dlg.tpl_start.setTime(QTime(11, 30))
    dlg.tpl_end.setTime(QTime(13, 0))
    assert dlg.save_template(new=True)
    assert dlg.tpl_model.rowCount() == n + 1
    assert any(t.name == "午高峰" and (t.start_min, t.end_min) == (690, 780)
               for t in panel.plan.roster.templates.values())
    # A band that ends earlier than it starts runs past midnight.
    _select(dlg.tpl_view, n)
    dlg.tpl_name.setText("午夜巡查")
    dlg.tpl_start.setTime(QTime(22, 0))
    dlg.tpl_end.setTime(QTime(1, 0))
    assert dlg.save_template(new=False)
    t = next(t for t in panel.service.templates() if t.name == "午夜巡查")
    assert (t.start_min, t.end_min) == (1320, 1500)
    dlg.tpl_name.setText("午夜巡查")
    assert not dlg.save_template(new=True) and "已有名为「午夜巡查」" in dlg.message.text()
    qtbot.wait(50)
    dlg.grab().save(str(artifacts_dir / "duty_settings_templates.png"))
    # A template still used by requirements cannot go; an unused one can.
    _select(dlg.tpl_view, 0)
    assert not dlg.remove_template() and "岗位需求使用" in dlg.message.text()
    _select(dlg.tpl_view, n)
    assert dlg.remove_template()
    assert dlg.tpl_model.rowCount() == n


def test_service_refuses_unknown_config_table(duty_ui) -> None:  # type: ignore[no-untyped-def]
    from desk.services.duty import ConfigChange, DutyService

    svc = duty_ui.app.service(DutyService)
    try:
        svc.apply_config(ConfigChange("officers", "off-0001", None, None))
    except DutyError as exc:
        assert "不能修改" in str(exc)
    else:
        raise AssertionError("writing officers through apply_config must be refused")


def test_duty_level_raises_staffing_for_its_area_and_period(qtbot, duty_ui, dark,  # type: ignore[no-untyped-def]
                                                            artifacts_dir: Path) -> None:
    """重大安保 practice: a 一级 勤务等级 over 第1中队 on Monday doubles its posts' 早高峰 need;
    第2中队 and Tuesday are untouched; cancelling it (or undo) restores the normal need."""
    panel = make_panel(qtbot, duty_ui)
    inter = next(p for p in panel.timeline.posts
                 if p.kind == "intersection" and p.station_id == "st-01")
    other = next(p for p in panel.timeline.posts
                 if p.kind == "intersection" and p.station_id == "st-02")

    def need(post_id: str, day: int) -> str:
        (v,) = [v for v in panel.plan.checker.violations()
                if v.rule == "min_staff" and v.post_id == post_id and v.start == day + 7 * H]
        return v.message

    dlg = panel.open_settings()
    qtbot.addWidget(dlg)
    dlg.tabs.setCurrentIndex(3)
    dlg.level_name.setText("国际马拉松安保")
    dlg.level_grade.setCurrentIndex(dlg.level_grade.findData(1))
    dlg.level_from.setDateTime(QDateTime.fromSecsSinceEpoch(MON + 6 * H, _CST))
    dlg.level_to.setDateTime(QDateTime.fromSecsSinceEpoch(MON + 12 * H, _CST))
    dlg.level_scope.setCurrentIndex(dlg.level_scope.findData("st-01"))
    assert dlg.add_level()
    assert dlg.level_model.rowCount() == 1
    assert dlg.level_model.index(0, 1).data() == "一级"
    assert "需 4 人（国际马拉松安保一级勤务，平时 2 人）" in need(inter.id, MON)
    assert "需 2 人" in need(other.id, MON)  # another station
    assert "需 2 人" in need(inter.id, MON + 86400)  # after the period
    qtbot.wait(50)
    dlg.grab().save(str(artifacts_dir / "duty_settings_levels.png"))
    dlg.level_name.setText("")
    assert not dlg.add_level() and "任务名称" in dlg.message.text()  # refused, told why
    panel.undo_stack.undo()
    assert "需 2 人" in need(inter.id, MON)
    panel.undo_stack.redo()
    _select(dlg.level_view, 0)
    assert dlg.remove_level()
    assert "需 2 人" in need(inter.id, MON) and dlg.level_model.rowCount() == 0
