"""Journey 1 (issue 12): a minor accident reported through desk-central's live stream becomes a
case in the desk's queue; the dispatcher accepts it, completes it, decides it (认定书 issued) and
pushes the claims; the insurer answers at the central; the answer comes back to the desk; the
KPIs count the case; every step's row names the operator on duty. Real desk-central on
127.0.0.1, the desk's own runtime (stream and sync jobs), no Qt: the runtime is pumped here as the
window's 1 s timer would."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from desk.app.operators import Operator
from desk.app.runtime import Runtime
from desk.domain.accidents import LiabilityLevel, default_fault
from desk.services.accidents import AccidentService
from desk.services.context import AppContext
from desk.sync.outbox import pending_count
from tests.accidents.helpers import OFFICER_SETTINGS, PARTY_A, PARTY_B, REQUIRED_PHOTOS, all_allowing
from tests.sync.conftest import Rig


def pump(runtime: Runtime, until: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.time() + timeout
    while time.time() < deadline:
        runtime.tick()
        value = until()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def test_report_to_insurer_answer_through_the_central(rig: Rig) -> None:
    ws = rig.workspace("desk-a", enable=False)
    ctx = AppContext(workspace=ws, settings={
        **OFFICER_SETTINGS, "central_url": rig.url, "central_token": rig.token("席位一"),
        "sync.interval_s": 0.5})
    runtime = Runtime(ctx)
    operator = Operator("010234", "张伟")
    runtime.sign_on(operator)
    runtime.start()
    svc = ctx.service(AccidentService)
    try:
        stream = runtime.jobs["stream"]
        pump(runtime, lambda: getattr(getattr(stream, "feed", None), "connected", False))

        # 1. The 122 call-taker's report reaches the central and, through the stream, the queue.
        reporter = rig.token("接警台")
        r = httpx.post(rig.url + "/reports/accident", headers={"Authorization": f"Bearer {reporter}"},
                       json={"case_key": "122-20261202-0001", "place": "花园路与三全路交叉口",
                             "lat": 34.8068, "lon": 113.6773, "accident_type": "rear_end",
                             "parties": [{"plate": "豫A12345"}, {"plate": "豫AD12345"}]})
        assert r.status_code == 200, r.text
        cid = pump(runtime, lambda: svc.find_by_key("122-20261202-0001"))
        assert any(e.id == cid for e in svc.open_entries())

        # 2. The dispatcher completes the form (what the case view saves) and accepts it.
        loaded = svc.get(cid)
        case = svc.get(cid)
        for party, data in zip(case.parties, (PARTY_A, PARTY_B), strict=True):
            for key, value in data.items():
                setattr(party, key, value)
        case.eligibility = dict(all_allowing())
        case.weather, case.narrative = "晴", "后车追尾前车，无人员受伤。"
        case.collision_points = ["车头", "车尾"]
        case.occurred_at = case.reported_at - 240
        svc.save_draft(case, base=loaded)
        for kind in REQUIRED_PHOTOS:
            svc.add_evidence(cid, b"\x89PNG\r\n" + kind.value.encode(), kind, filename=f"{kind.value}.png")
        svc.accept(cid)

        # 3. Liability, decision (认定书 issued), claims pushed to the insurers.
        loaded = svc.get(cid)
        case = svc.get(cid)
        case.parties[0].liability = LiabilityLevel.FULL
        case.parties[1].liability = LiabilityLevel.NONE
        for party in case.parties:
            party.fault, party.legal_basis = default_fault(case.accident_type, party)
        svc.save_draft(case, base=loaded)
        svc.decide(cid)
        decision = [d for d in svc.documents(cid) if d.kind == "decision"]
        assert decision and decision[0].path.exists() and decision[0].filename.endswith(".pdf")
        assert decision[0].path.read_bytes().startswith(b"%PDF")
        svc.push_claims(cid)
        runtime.wake_sync()
        pump(runtime, lambda: pending_count(ws) == 0)

        # 4. The insurer answers at the central; the desk pulls the answer.
        insurer = rig.token("理赔中心", "insurer")
        with httpx.Client(base_url=rig.url, headers={"Authorization": f"Bearer {insurer}"}) as ins:
            queue = ins.get("/insurance/queue").json()
            mine = [c for c in queue if c["case_id"] == cid]
            assert len(mine) == 2, queue
            for claim in mine:
                assert ins.post(f"/insurance/{claim['id']}/ack",
                                json={"decision": "accepted", "claim_no": f"RB-{claim['id'][-4:]}"}
                                ).status_code == 200

        def answered() -> bool:
            runtime.wake_sync()
            return all(q.get("status") == "accepted" for q in svc.insurance_status(cid))

        pump(runtime, answered, timeout=40)

        # 5. The KPIs count it; every step names the operator.
        kpis = svc.kpis()
        assert kpis.total >= 1 and kpis.quick_handled >= 1 and kpis.median_decide_s is not None
        actors = {row.actor for row in svc.state_log(cid)
                  if row.state.value in ("accepted", "decided", "claim_pushed")}
        assert actors == {operator.actor}, svc.state_log(cid)
        logged = {r[0] for r in ws.db.execute(
            "SELECT DISTINCT actor FROM change_log WHERE entity = 'accident_cases' AND entity_id = ? "
            "AND actor NOT IN ('feed', 'sync:central')", [cid])}
        assert logged == {operator.actor}, logged
    finally:
        runtime.stop()


def test_restart_in_the_middle_loses_nothing_and_leaves_no_alert_open(rig: Rig) -> None:
    """Journey 5 (issue 12): the desk is closed and reopened while a reported case waits over its
    target (an overdue alert open) and an accepted edit is still unsent; after the restart the
    case, the edit and the alert are all there, the edit reaches the central, and cancelling
    the case resolves its alert."""
    settings = {**OFFICER_SETTINGS, "central_url": rig.url, "central_token": rig.token("席位一"),
                "accidents.targets": {"accept_s": 1.0, "decide_s": 600.0}}
    ws = rig.workspace("desk-r", enable=False)
    path = ws.path
    ctx = AppContext(workspace=ws, settings=dict(settings))
    runtime = Runtime(ctx)
    runtime.sign_on(Operator("010234", "张伟"))
    runtime.start()
    svc = ctx.service(AccidentService)
    try:
        pump(runtime, lambda: getattr(getattr(runtime.jobs["stream"], "feed", None), "connected", False))
        reporter = rig.token("接警台")
        r = httpx.post(rig.url + "/reports/accident", headers={"Authorization": f"Bearer {reporter}"},
                       json={"case_key": "122-R-1", "place": "紫荆山路与金水路交叉口",
                             "lat": 34.7573, "lon": 113.6650, "accident_type": "rear_end",
                             "parties": [{"plate": "豫A12345"}, {"plate": "豫AD12345"}]})
        assert r.status_code == 200, r.text
        cid = pump(runtime, lambda: svc.find_by_key("122-R-1"))
        time.sleep(1.2)
        svc.check_targets()  # over the 1 s accept target: an overdue alert
        from desk.services.alerts import AlertService

        alerts = ctx.service(AlertService)
        assert any(a.dedup_key == f"accident.overdue:{cid}" for a in alerts.open_alerts())
        runtime.set_offline(True)  # the edit stays unsent when the desk goes down
        loaded = svc.get(cid)
        case = svc.get(cid)
        case.narrative = "重启前录入：后车追尾前车。"
        svc.save_draft(case, base=loaded)
        assert pending_count(ws) > 0
    finally:
        runtime.stop()
        runtime.sign_off("重启测试")
        ws.close()

    from desk.store import Workspace

    ws = Workspace.open(path)
    ctx = AppContext(workspace=ws, settings=dict(settings))
    runtime = Runtime(ctx)
    runtime.sign_on(Operator("010567", "李娜"))
    runtime.start()
    svc = ctx.service(AccidentService)
    try:
        assert svc.get(cid).narrative == "重启前录入：后车追尾前车。"
        from desk.services.alerts import AlertService

        alerts = ctx.service(AlertService)
        assert any(a.dedup_key == f"accident.overdue:{cid}" for a in alerts.open_alerts())
        runtime.wake_sync()
        pump(runtime, lambda: pending_count(ws) == 0)
        svc.cancel(cid, "报警人撤销，双方已自行离开")
        pump(runtime, lambda: not any(a.dedup_key == f"accident.overdue:{cid}"
                                      for a in alerts.open_alerts()), timeout=15)
        assert [s.operator.name for s in runtime.operators.history()][:2] == ["李娜", "张伟"]
    finally:
        runtime.stop()
        ws.close()
