"""Service duties the runtime relies on, through a real workspace file: reports become cases in
the service (not the widget), overdue alerts derive from the stored alerts and survive a restart,
draft saves are field by field (another desk's change survives, a clash goes to the conflict
list), and a decided case that turns out to have an injury is re-opened (公安部令第146号第23条)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from desk.domain.accidents import CaseState, LiabilityLevel, default_fault
from desk.feeds.base import FeedEvent
from desk.services.accidents import AccidentService
from desk.services.alerts import AlertService
from desk.store import Workspace
from desk.sync import open_conflicts, resolve_conflict
from tests.accidents.helpers import make_service, ready_case

T0 = 1_796_106_600.0


def _service(ws: Workspace, now: list[float], actor: str = "调度员甲") -> AccidentService:
    svc = make_service(ws)
    svc.ctx.clock = lambda: now[0]
    svc.ctx.actor = actor
    return svc


def _overdue(ws: Workspace) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in ws.db.execute(
        "SELECT dedup_key, severity, state FROM alerts WHERE kind = 'accident.overdue' "
        "ORDER BY raised_at").fetchall()]


def test_overdue_alert_survives_a_restart_and_resolves(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite"
    now = [T0]
    ws = Workspace.open(path)
    svc = _service(ws, now)
    first = ready_case(svc, key="late-1", reported_at=T0)
    second = ready_case(svc, key="late-2", reported_at=T0)
    now[0] = T0 + 90  # past the 1-minute accept target: amber → an orange alert each
    assert {e.id for e in svc.check_targets()} == {first, second}
    assert [s for _, s, _ in _overdue(ws)] == ["orange", "orange"]
    svc.check_targets()  # nothing new: read from the stored alerts
    assert len(_overdue(ws)) == 2
    ws.close()

    # Restart mid-journey: a new workspace object, a new service, no memory of the alerts.
    now[0] = T0 + 130  # past 2 × target: red
    ws = Workspace.open(path)
    svc = _service(ws, now)
    svc.check_targets()
    rows = _overdue(ws)
    assert len(rows) == 2 and {s for _, s, _ in rows} == {"red"}  # escalated, not duplicated
    svc.accept(first)  # the dispatcher acts: its alert resolves although raised before restart
    assert dict((k, st) for k, _, st in _overdue(ws))[f"accident.overdue:{first}"] == "resolved"
    ws.close()

    # While this desk was off, another desk closed the second case (its row arrives by sync).
    with Workspace.open(path) as other:
        other.db.execute("UPDATE accident_cases SET state = 'cancelled' WHERE id = ?", [second])
    ws = Workspace.open(path)
    svc = _service(ws, now)
    svc.check_targets()
    assert all(st == "resolved" for _, _, st in _overdue(ws)), _overdue(ws)
    assert AlertService(svc.ctx).open_alerts() == [] or all(
        a.kind != "accident.overdue" for a in AlertService(svc.ctx).open_alerts())
    ws.close()


def test_report_events_become_cases_in_the_service(workspace: Workspace) -> None:
    now = [T0]
    svc = _service(workspace, now)
    event = FeedEvent("accident.report", T0, {
        "case_key": "12123-9", "place": "金水路与未来路交叉口", "occurred_at": T0 - 300,
        "accident_type": "lane_change", "parties": [{"name": "赵六"}, {"name": "钱七"}]})
    cid = svc.on_report_event(event)
    case = svc.get(cid)
    assert case.occurred_at == T0 - 300 and case.collision_form is not None
    assert case.collision_form.label == "同向刮擦"  # 事故形态 from the 情形 变道
    assert svc.on_report_event(event) == cid  # the same report twice is one case


def test_draft_saves_only_this_users_fields(workspace: Workspace) -> None:
    now = [T0]
    me = _service(workspace, now, "调度员甲")
    other = make_service(workspace)
    other.ctx.actor = "调度员乙"
    cid = ready_case(me, key="fields")
    base = me.get(cid)  # the case as my form loaded it

    # Another desk changes the narrative, one checklist answer and 乙方's phone meanwhile.
    theirs = other.get(cid)
    theirs.narrative = "乙席位补充：前车急刹"
    theirs.eligibility["no_public_damage"] = False
    theirs.parties[1].phone = "13900001111"
    other.save_draft(theirs)

    # I edit other fields on my (now stale) form.
    draft = copy.deepcopy(base)
    draft.place = "花园路与宏康路交叉口"
    draft.eligibility["vehicles_movable"] = False
    draft.parties[0].policy_no = "PDZA2025NEW"
    saved = me.save_draft(draft, base=base)
    assert saved.place == "花园路与宏康路交叉口"
    assert saved.narrative == "乙席位补充：前车急刹"  # their field survived
    assert saved.parties[1].phone == "13900001111"
    assert saved.parties[0].policy_no == "PDZA2025NEW"
    assert saved.eligibility["no_public_damage"] is False  # their answer survived
    assert saved.eligibility["vehicles_movable"] is False  # and mine
    assert me.last_draft_conflicts == []
    assert open_conflicts(workspace) == []


def test_same_field_clash_goes_to_the_conflict_list(workspace: Workspace) -> None:
    now = [T0]
    me = _service(workspace, now, "调度员甲")
    other = make_service(workspace)
    cid = ready_case(me, key="clash")
    base = me.get(cid)
    theirs = other.get(cid)
    theirs.parties[0].liability = LiabilityLevel.MAJOR
    theirs.narrative = "乙：后车未保持车距"
    other.save_draft(theirs)

    draft = copy.deepcopy(base)
    draft.parties[0].liability = LiabilityLevel.FULL  # the same field, differently
    draft.narrative = "甲：前车急刹"
    draft.weather = "阴"  # a field nobody else touched
    saved = me.save_draft(draft, base=base)
    assert saved.weather == "阴"
    assert saved.narrative == "乙：后车未保持车距"  # stored value kept, not silently replaced
    assert saved.parties[0].liability is LiabilityLevel.MAJOR
    assert sorted(me.last_draft_conflicts) == ["accident_cases.narrative",
                                               "accident_parties.liability"]
    conflicts = open_conflicts(workspace)
    assert {(c.entity, c.entity_id) for c in conflicts} == {
        ("accident_cases", cid), ("accident_parties", base.parties[0].id)}
    assert sorted(me.draft_conflicts(cid)) == sorted(me.last_draft_conflicts)
    # A person resolves it with the sync owner's resolver: keep mine.
    case_conflict = next(c for c in conflicts if c.entity == "accident_cases")
    resolve_conflict(workspace, case_conflict.id, "local", actor="调度员甲")
    assert me.get(cid).narrative == "甲：前车急刹"


REOPEN = [
    # (state reached, minor injury, all agree, expected state, incident procedure, why)
    ("decided", True, True, CaseState.ON_SCENE, "simple",
     "第23条第一款（二）: minor injury, every party agrees: 简易程序 at the scene"),
    ("decided", True, False, CaseState.GENERAL_PROCEDURE, "general",
     "minor injury without every party's consent: 一般程序"),
    ("closed", False, True, CaseState.GENERAL_PROCEDURE, "general",
     "injury that is not minor, found after 结案: 一般程序"),
    ("self_settled", True, True, CaseState.ON_SCENE, "simple",
     "a settled case with a minor injury found later"),
]


@pytest.mark.parametrize(("reached", "minor", "agree", "expected", "procedure", "why"), REOPEN,
                         ids=[r[5] for r in REOPEN])
def test_decided_case_reopened_as_injury_case(workspace: Workspace, reached: str, minor: bool,
                                              agree: bool, expected: CaseState, procedure: str,
                                              why: str) -> None:
    now = [T0]
    svc = _service(workspace, now)
    cid = ready_case(svc, key=f"reopen-{reached}-{minor}-{agree}")
    case = svc.get(cid)
    case.parties[0].liability = LiabilityLevel.EQUAL if reached == "self_settled" else LiabilityLevel.FULL
    case.parties[1].liability = LiabilityLevel.EQUAL if reached == "self_settled" else LiabilityLevel.NONE
    for party in case.parties:
        party.fault, party.legal_basis = default_fault(case.accident_type, party)
        party.fault = party.fault or "未注意观察"
        party.legal_basis = party.legal_basis or "《中华人民共和国道路交通安全法》第二十二条"
    svc.save_draft(case)
    if reached == "self_settled":
        for party in svc.get(cid).parties:
            svc.confirm_party(cid, party.id, "phone")
        svc.settle(cid)
    else:
        svc.accept(cid)
        svc.decide(cid)
        if reached == "closed":
            svc.close(cid)
    moved = svc.reopen_injury(cid, "乙方次日就医，颈部软组织挫伤", minor=minor, all_agree=agree)
    assert moved.state is expected, why
    assert moved.eligibility["property_damage_only"] is False
    row = workspace.db["accident_incidents"].get(moved.incident_id)
    assert row["procedure"] == procedure
    assert svc.state_log(cid)[-1].reason.startswith("发现人员受伤，重新立案")
    assert svc.documents(cid)  # the earlier document stays on record


def test_open_cases_cannot_use_the_reopening(workspace: Workspace) -> None:
    svc = _service(workspace, [T0])
    cid = ready_case(svc, key="not-decided")
    with pytest.raises(ValueError, match="不能转为"):
        svc.reopen_injury(cid, "受伤", minor=True, all_agree=True)
