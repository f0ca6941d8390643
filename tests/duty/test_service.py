"""DutyService, auto-fill, publishing and supervision against a real workspace file."""

from __future__ import annotations

import json
from datetime import date

import pytest

from desk.domain.duty import AddAssignment, Assignment, EditBatch, ReplaceAssignment
from desk.domain.duty.model import DAY_S, date_start
from desk.services.context import AppContext
from desk.services.duty import DutyService, PublishRefused, ReasonRequired
from desk.services.duty_autofill import autofill
from desk.services.duty_supervision import DutySupervisor
from desk.store import Workspace
from tests.duty.factory import build_city

MON = date_start(date(2026, 11, 16))
H = 3600


@pytest.fixture
def duty(workspace: Workspace) -> DutyService:
    build_city(workspace, stations=1, officers=16, posts=3,
               kinds=["intersection", "motorcycle_line", "night_check"])
    ctx = AppContext(workspace=workspace, clock=lambda: MON + 8 * H)
    service = ctx.service(DutyService)
    service.ensure_defaults()
    return service


def snapshot(ws: Workspace) -> list[tuple[object, ...]]:
    return ws.db.execute(
        'SELECT id, officer_id, post_id, station_id, week, start, "end", locked, note '
        "FROM duty_assignments ORDER BY id").fetchall()


def test_defaults_are_seeded_once(duty: DutyService) -> None:
    names = [t.name for t in duty.templates()]
    assert names == ["早高峰", "白班", "晚高峰", "夜查"]
    assert duty.ensure_defaults() == 0
    reqs = duty.requirements(["post-002"])
    assert {r.template_id for r in reqs} == {"tpl-am-peak", "tpl-day", "tpl-pm-peak"}
    assert all(r.skills == {"motorcycle"} for r in reqs)


def test_autofill_feasible_week_has_zero_hard_violations(duty: DutyService) -> None:
    plan = duty.open_week(MON)
    assert any(v.rule == "min_staff" for v in plan.violations())
    result = autofill(plan.roster, time_limit_s=5)
    assert result.complete, [s.reason for s in result.shortfalls]
    plan.apply(result.edit)
    assert plan.checker.hard() == []
    assert not [v for v in plan.violations() if v.rule == "min_staff"]
    # The verdict of a fresh load from the file agrees.
    fresh = duty.open_week(MON)
    assert fresh.checker.hard() == [] and len(fresh.roster.assignments) == result.added


def test_autofill_infeasible_names_post_band_and_cause(workspace: Workspace) -> None:
    build_city(workspace, stations=1, officers=3, posts=1, kinds=["night_check"])
    service = AppContext(workspace=workspace).service(DutyService)
    service.ensure_defaults()
    plan = service.open_week(MON)
    # Only officers 1 and 3 hold night_check; 2 per night with 10 h rest means nights are fine
    # for 2 officers... until one is on leave all week.
    with workspace.write("test") as tx:
        tx.insert("duty_unavailability", {"id": "u1", "officer_id": "off-0001", "start": MON,
                                          "end": MON + 7 * DAY_S, "reason": "请假"})
    plan.reload()
    result = autofill(plan.roster, time_limit_s=3)
    assert not result.complete
    first = result.shortfalls[0]
    assert first.post_id == "post-001" and first.template_id == "tpl-night" and first.missing == 1
    assert "夜查" in first.reason and "缺 1 人" in first.reason
    assert "不具备「夜查」技能" in first.reason and "请假" in first.reason
    plan.apply(result.edit)
    assert plan.checker.hard() == []


def test_locked_assignments_are_kept(duty: DutyService) -> None:
    plan = duty.open_week(MON)
    pinned = Assignment("pin", "off-0002", "post-001", MON + 7 * H, MON + 9 * H, locked=True)
    loose = Assignment("loose", "off-0003", "post-001", MON + 7 * H, MON + 9 * H)
    plan.apply(EditBatch((AddAssignment(pinned), AddAssignment(loose))))
    result = autofill(plan.roster, replace_unlocked=True, time_limit_s=5)
    plan.apply(result.edit)
    assert plan.roster.get("pin") == pinned
    assert plan.roster.get("loose") is None
    assert plan.checker.hard() == []


def test_undo_redo_restores_exactly(duty: DutyService) -> None:
    ws = duty.ws
    plan = duty.open_week(MON)
    base = snapshot(ws)
    a = Assignment("x1", "off-0001", "post-001", MON + 7 * H, MON + 9 * H)
    undo_add = plan.apply(AddAssignment(a))
    after_add = snapshot(ws)
    undo_move = plan.apply(ReplaceAssignment(a.moved("post-003", MON + 21 * H, MON + 26 * H)))
    after_move = snapshot(ws)
    assert after_move != after_add
    redo_move = plan.apply(undo_move)
    assert snapshot(ws) == after_add
    redo_add = plan.apply(undo_add)
    assert snapshot(ws) == base
    plan.apply(redo_add)
    assert snapshot(ws) == after_add
    plan.apply(redo_move)
    assert snapshot(ws) == after_move
    assert plan.roster.get("x1") == a.moved("post-003", MON + 21 * H, MON + 26 * H)


def test_publish_refuses_hard_violations_then_needs_reasons(duty: DutyService) -> None:
    plan = duty.open_week(MON, "st-01")
    clash = [Assignment("c1", "off-0001", "post-001", MON + 7 * H, MON + 9 * H),
             Assignment("c2", "off-0001", "post-003", MON + 8 * H, MON + 10 * H)]
    plan.apply(EditBatch(tuple(AddAssignment(c) for c in clash)))
    with pytest.raises(PublishRefused) as refused:
        duty.publish("st-01", MON)
    assert any(v.rule == "no_overlap" for v in refused.value.violations)
    assert duty.roster_state("st-01", MON).value == "draft"
    plan.apply(duty.remove_edit(clash[1]))
    result = duty.publish("st-01", MON)
    assert result.version == 1 and result.assignments == 1
    assert duty.roster_state("st-01", MON).value == "published"
    snap = json.loads(duty.ws.db.execute("SELECT snapshot FROM duty_publish_log").fetchone()[0])
    assert snap[0][0] == "c1"
    # A change now needs a reason, is recorded, and the officer is to be told.
    move = ReplaceAssignment(clash[0].moved("post-001", MON + 17 * H, MON + 19 * H))
    with pytest.raises(ReasonRequired):
        plan.apply(move)
    assert plan.roster.get("c1") == clash[0]
    plan.apply(move, reason="临时调整到晚高峰")
    notes = duty.to_notify()
    assert len(notes) == 1 and notes[0]["officer_id"] == "off-0001"
    assert notes[0]["reason"] == "临时调整到晚高峰" and "→" in notes[0]["change"]
    duty.mark_notified([notes[0]["id"]])
    assert duty.to_notify() == []


def test_staffing_now_for_the_map(duty: DutyService) -> None:
    plan = duty.open_week(MON)
    at = MON + 8 * H  # 早高峰 on Monday
    assert duty.staffing_now(at) == {"post-001": "empty", "post-002": "empty"}
    plan.apply(AddAssignment(Assignment("s1", "off-0001", "post-001", MON + 7 * H, MON + 9 * H)))
    assert duty.staffing_now(at)["post-001"] == "short"
    plan.apply(AddAssignment(Assignment("s2", "off-0002", "post-001", MON + 7 * H, MON + 9 * H)))
    assert duty.staffing_now(at)["post-001"] == "full"
    assert duty.staffing_now()["post-001"] == "full"  # ctx clock is MON 08:00


def test_copy_last_week(duty: DutyService) -> None:
    prev = duty.open_week(MON - 7 * DAY_S)
    prev.apply(AddAssignment(Assignment("p1", "off-0001", "post-001", MON - 7 * DAY_S + 7 * H,
                                        MON - 7 * DAY_S + 9 * H)))
    plan = duty.open_week(MON)
    edit = duty.copy_week_edit(plan)
    assert len(edit.edits) == 1
    plan.apply(edit)
    copied = [a for a in plan.roster.assignments.values() if a.start >= MON]
    assert [(a.officer_id, a.start) for a in copied] == [("off-0001", MON + 7 * H)]
    assert duty.copy_week_edit(plan).edits == ()


def test_supervision_alerts_after_time_away(duty: DutyService) -> None:
    ws = duty.ws
    with ws.write("test") as tx:
        tx.insert("units", {"id": "u-1", "call_sign": "铁骑01", "kind": "motorcycle",
                            "status": "available", "station_id": "st-01", "device_id": "d1",
                            "lat": 34.75, "lon": 113.62, "heading": 0, "speed_kmh": 0,
                            "fix_at": MON + 7 * H, "online": 1})
        tx.update("officers", "off-0001", {"unit_id": "u-1"})
    plan = duty.open_week(MON)
    plan.apply(AddAssignment(Assignment("s1", "off-0001", "post-001", MON + 7 * H, MON + 9 * H)))
    sup = DutySupervisor(duty.ctx)
    assert sup.check(MON + 7 * H + 60) == []  # at the post (post-001 is at 34.75, 113.62)
    far = {"lat": 34.80, "lon": 113.62}  # about 5.6 km north
    with ws.write("test") as tx:
        tx.update("units", "u-1", {**far, "fix_at": MON + 7 * H + 120})
    assert sup.check(MON + 7 * H + 130) == []  # away, but not long enough yet
    with ws.write("test") as tx:
        tx.update("units", "u-1", {"fix_at": MON + 7 * H + 800})
    alerts = sup.check(MON + 7 * H + 800)
    assert len(alerts) == 1 and alerts[0].officer_id == "off-0001"
    assert "脱岗" in alerts[0].message and alerts[0].distance_m > 5000
    rows = ws.db.execute("SELECT kind, count FROM alerts").fetchall()
    assert rows == [("duty.off_post", 1)]
    with ws.write("test") as tx:  # back at the post: the clock resets
        tx.update("units", "u-1", {"lat": 34.75, "fix_at": MON + 7 * H + 900})
    assert sup.check(MON + 7 * H + 900) == []
    assert sup.tracker.away_since == {}
