"""The insurer hand-off end to end over a real desk-central: a case decided offline reaches the
central on reconnect, the insurer answers, and the workstations pull and show the answer."""

from __future__ import annotations

import httpx
import pytest

from desk.domain.accidents import LiabilityLevel, default_fault
from desk.store import Workspace
from desk.sync.outbox import open_conflicts, pending_count
from desk.sync.transport import TransportError
from tests.accidents.helpers import make_service, ready_case
from tests.sync.conftest import Rig, synced_rows

TABLES = ("accident_cases", "accident_parties", "accident_state_log", "accident_insurance_queue")


def decide_and_push(ws: Workspace, key: str) -> tuple[str, dict[str, str]]:
    """A case taken from report to 理赔推送 on ``ws``; returns its id and claim ids by plate."""
    svc = make_service(ws)
    cid = ready_case(svc, key=key)
    svc.accept(cid)
    case = svc.get(cid)
    case.parties[0].liability = LiabilityLevel.FULL
    case.parties[1].liability = LiabilityLevel.NONE
    for party in case.parties:
        party.fault, party.legal_basis = default_fault(case.accident_type, party)
    svc.save_draft(case)
    svc.decide(cid)
    svc.push_claims(cid)
    return cid, {q["plate"]: q["id"] for q in svc.insurance_status(cid)}


def test_offline_decision_reaches_insurer_and_answer_comes_back(rig: Rig) -> None:
    insurer = rig.token("理赔中心", "insurer")
    ws_a = rig.workspace("desk-a")
    eng_a = rig.engine(ws_a)
    eng_a.sync_once()  # the first contact, while still empty

    rig.proc.stop()  # the network is gone: the desk carries on
    cid, claims = decide_and_push(ws_a, "k-offline")
    svc = make_service(ws_a)
    assert {q["status_label"] for q in svc.insurance_status(cid)} == {"待推送"}
    with pytest.raises(TransportError):
        eng_a.sync_once()

    rig.proc.start()  # reconnect
    eng_a.sync_once()
    assert pending_count(ws_a) == 0
    assert {q["status_label"] for q in svc.insurance_status(cid)} == {"已推送"}

    ins = httpx.Client(base_url=rig.url, headers={"Authorization": f"Bearer {insurer}"},
                       timeout=10.0)
    with ins:
        listed = {c["id"]: c for c in ins.get("/insurance/queue").json()}
        assert set(listed) == set(claims.values())
        mine = listed[claims["豫A12345"]]
        assert mine["case_no"] == svc.get(cid).case_no and mine["liability"] == "full"
        assert mine["case_state"] == "claim_pushed"
        r = ins.post(f"/insurance/{claims['豫A12345']}/ack",
                     json={"decision": "accepted", "claim_no": "RB-2025-1"})
        assert r.status_code == 200, r.text
        r = ins.post(f"/insurance/{claims['豫AD12345']}/ack",
                     json={"decision": "rejected", "reason": "保单不在有效期内"})
        assert r.status_code == 200, r.text
        assert ins.get("/insurance/queue").json() == []

    before = svc.get(cid).updated_at
    eng_a.sync_once()
    labels = {q["plate"]: q["status_label"] for q in svc.insurance_status(cid)}
    assert labels["豫A12345"].startswith("已受理") and "RB-2025-1" in labels["豫A12345"]
    assert labels["豫AD12345"] == "被拒绝：保单不在有效期内"
    # The case itself changed too, so a case view showing it re-reads it (and its claims).
    assert svc.get(cid).updated_at != before
    assert pending_count(ws_a) == 0  # pulled answers are not pushed back

    # A second desk converges on the whole case: facts, parties, state log, claims.
    ws_b = rig.workspace("desk-b")
    rig.engine(ws_b).sync_once()
    for table in TABLES:
        assert synced_rows(ws_b, table) == synced_rows(ws_a, table), table
    b_labels = {q["plate"]: q["status_label"] for q in make_service(ws_b).insurance_status(cid)}
    assert b_labels == labels


def test_desk_and_insurer_changing_a_claim_at_once_is_a_conflict(rig: Rig) -> None:
    insurer = rig.token("理赔中心", "insurer")
    ws = rig.workspace("desk-c")
    eng = rig.engine(ws)
    eng.sync_once()
    _, claims = decide_and_push(ws, "k-conflict")
    eng.sync_once()
    claim = claims["豫A12345"]
    # Offline, the desk marks the claim sent by hand; meanwhile the insurer answers.
    make_service(ws).set_insurance_status(claim, "sent")
    with httpx.Client(base_url=rig.url, headers={"Authorization": f"Bearer {insurer}"}) as ins:
        assert ins.post(f"/insurance/{claim}/ack",
                        json={"decision": "accepted"}).status_code == 200
    eng.sync_once()
    conflicts = [c for c in open_conflicts(ws) if c.entity_id == claim]
    assert len(conflicts) == 1 and conflicts[0].local == {"status": "sent"}
    assert conflicts[0].server is not None and conflicts[0].server["status"] == "accepted"


def test_case_view_shows_the_pulled_answer(rig: Rig, qapp, qtbot, artifacts_dir) -> None:  # type: ignore[no-untyped-def]
    """The accident panel re-reads the open case when the answer is pulled (no local edit)."""
    from desk.services.accidents import AccidentService
    from desk.services.context import AppContext
    from desk.ui.accidents import AccidentPanel
    from desk.ui.app import apply_look
    from desk.ui.bus import QtChangeBus
    from desk.ui.context import UiContext
    from desk.ui.feed import FeedHub

    insurer = rig.token("理赔中心", "insurer")
    ws = rig.workspace("desk-ui")
    eng = rig.engine(ws)
    eng.sync_once()
    cid, claims = decide_and_push(ws, "k-ui")
    eng.sync_once()
    apply_look(qapp)
    qbus = QtChangeBus(ws.bus)
    hub = FeedHub(ws)
    ui = UiContext(AppContext(workspace=ws, demo=False), qbus, hub)
    try:
        assert ui.app.service(AccidentService).get(cid).case_no
        panel = AccidentPanel(ui)
        qtbot.addWidget(panel, before_close_func=lambda w: w.teardown())
        panel.resize(1500, 900)
        panel.show()
        qtbot.waitExposed(panel)
        panel.open_case(cid)
        panel.workspace.tabs.setCurrentIndex(2)  # the 文书与理赔 tab, as the dispatcher opens it
        table = panel.workspace.insurance

        def statuses() -> set[str]:
            return {table.item(i, 3).text() for i in range(table.rowCount())}

        assert statuses() == {"已推送"}
        with httpx.Client(base_url=rig.url,
                          headers={"Authorization": f"Bearer {insurer}"}) as ins:
            assert ins.post(f"/insurance/{claims['豫A12345']}/ack",
                            json={"decision": "accepted"}).status_code == 200
            assert ins.post(f"/insurance/{claims['豫AD12345']}/ack",
                            json={"decision": "rejected", "reason": "非本公司承保"}
                            ).status_code == 200
        eng.sync_once()
        qtbot.waitUntil(lambda: statuses() == {"已受理", "被拒绝：非本公司承保"}, timeout=5000)
        assert len(panel.workspace._party_forms) == 2  # the re-read case still has its parties
        panel.workspace.tabs.setCurrentIndex(2)  # 文书与理赔
        panel.grab().save(str(artifacts_dir / "insurance_answer.png"))
    finally:
        hub.shutdown()
        qbus.detach()
