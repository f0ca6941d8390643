"""Journey 2 of issue 12: two desks and one desk-central. A case that goes to 一般程序 on desk A
appears on desk B with its incident; a shift template and a leave row edited on A (by a station
chief) reach B. Driven through the services the panels use and the real SyncEngine."""

from __future__ import annotations

import json
import sqlite3

from desk.domain.accidents import CaseState
from desk.domain.duty.model import ShiftTemplate, Unavailability
from desk.services.accidents import AccidentService
from desk.services.context import AppContext
from desk.services.duty import DutyService
from desk.store import Workspace
from desk.sync.outbox import open_conflicts, pending_count, rejected_ops
from tests.accidents.helpers import OFFICER_SETTINGS, ready_case
from tests.duty.factory import build_city
from tests.sync.conftest import Rig, synced_rows


def _accidents(ws: Workspace, actor: str) -> AccidentService:
    ctx = AppContext(workspace=ws, actor=actor, settings=dict(OFFICER_SETTINGS))
    return ctx.service(AccidentService)


def _audit_operators(db: str, entity: str) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT target, detail FROM audit WHERE action LIKE 'op.%'").fetchall()
    finally:
        conn.close()
    return {json.loads(d)["operator"] for t, d in rows if f"/{entity}/" in t and d}


def test_general_procedure_case_reaches_the_other_desk_with_its_incident(module_rig: Rig) -> None:
    rig = module_rig
    a, b = rig.workspace("j2-case-a"), rig.workspace("j2-case-b")
    ea, eb = rig.engine(a), rig.engine(b)
    ea.sync_once()
    eb.sync_once()
    svc_a = _accidents(a, "调度员甲")
    cid = ready_case(svc_a, key="j2-general")
    moved = svc_a.to_general_procedure(cid, "一方当事人受伤，转一般程序")
    assert moved.state is CaseState.GENERAL_PROCEDURE and moved.incident_id
    ea.sync_once()
    assert pending_count(a) == 0 and rejected_ops(a) == []
    eb.sync_once()

    svc_b = _accidents(b, "调度员乙")
    case_b = svc_b.get(cid)
    assert case_b.state is CaseState.GENERAL_PROCEDURE
    assert case_b.incident_id == moved.incident_id
    incident = b.db["accident_incidents"].get(case_b.incident_id)
    assert incident["case_id"] == cid and incident["status"] == "open"
    assert "受伤" in incident["reasons"]
    for table in ("accident_cases", "accident_parties", "accident_state_log",
                  "accident_incidents"):
        assert synced_rows(b, table) == synced_rows(a, table), table
    states_b = [r.state for r in svc_b.state_log(cid)]
    assert states_b[-1] is CaseState.GENERAL_PROCEDURE
    # Every op reached the central with the operator who made it.
    assert "调度员甲" in _audit_operators(rig.proc.db, "accident_incidents")
    assert open_conflicts(a) == open_conflicts(b) == []


def test_station_chief_edits_shift_template_and_leave_and_both_reach_the_other_desk(
        module_rig: Rig) -> None:
    rig = module_rig
    seed = rig.workspace("j2-duty-seed")
    build_city(seed, stations=2, officers=6, posts=4, kinds=["intersection"])
    # The city's templates and every post's requirements, seeded once by a dispatcher.
    assert AppContext(workspace=seed, actor="调度员").service(DutyService).ensure_defaults() > 0
    es = rig.engine(seed)
    from desk.sync.engine import DecisionNeeded

    try:
        es.sync_once()
    except DecisionNeeded as exc:
        es.resolve_decision(exc.decision, "upload")
    es.sync_once()
    a, b = rig.workspace("j2-duty-a"), rig.workspace("j2-duty-b")
    ea = rig.engine(a, rig.token("一中队长", "station_chief", "st-01"))
    eb = rig.engine(b)
    ea.sync_once()
    eb.sync_once()
    duty_a = AppContext(workspace=a, actor="一中队长").service(DutyService)
    duty_b = AppContext(workspace=b, actor="调度员乙").service(DutyService)
    assert duty_a.templates() and duty_b.templates() == duty_a.templates()
    # Both desks downloaded them: neither seeds its own copy.
    assert duty_a.ensure_defaults() == duty_b.ensure_defaults() == 0

    tpl = duty_a.templates()[0]
    duty_a.apply_config(duty_a.template_change(
        ShiftTemplate(tpl.id, tpl.name + "（调整）", tpl.start_min + 30, tpl.end_min)))
    own = next(o.id for o in duty_a.officers("st-01"))
    other = next(o.id for o in duty_a.officers("st-02"))
    duty_a.apply_config(duty_a.unavailability_change(
        Unavailability("lv-own", own, 1_790_000_000, 1_790_086_400, "年休假")))
    duty_a.apply_config(duty_a.unavailability_change(
        Unavailability("lv-other", other, 1_790_000_000, 1_790_086_400, "病假")))
    report = ea.sync_once()
    # A station chief edits the shared templates and its own station's leave; another
    # station's officer is refused by the central, kept with the reason, not lost silently.
    assert [(r.entity_id, r.reason) for r in rejected_ops(a)] == [("lv-other", "other_station")]
    assert report.rejected == 1 and pending_count(a) == 0
    eb.sync_once()
    got = {t.id: t for t in duty_b.templates()}[tpl.id]
    assert (got.name, got.start_min) == (tpl.name + "（调整）", tpl.start_min + 30)
    assert [u.id for u in duty_b.unavailability_of(own)] == ["lv-own"]
    assert duty_b.unavailability_of(other) == []
    assert synced_rows(b, "duty_post_requirements") == synced_rows(a, "duty_post_requirements")
