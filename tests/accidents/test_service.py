"""AccidentService on a real workspace file: reports, drafts, idempotent re-submission, every
transition with its state-log row, evidence, documents, the insurer queue and the KPIs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desk.domain.accidents import (
    AccidentType,
    CaseState,
    EvidenceKind,
    IllegalTransitionError,
    LiabilityLevel,
    default_fault,
)
from desk.feeds.base import FeedEvent
from desk.services.accidents import AccidentError, AccidentService, DecisionBlockedError
from desk.store import Workspace
from tests.accidents.helpers import PARTY_A, PARTY_B, make_service, pdf_text, ready_case


@pytest.fixture
def svc(workspace: Workspace) -> AccidentService:
    return make_service(workspace)


def _set_suggested(svc: AccidentService, case_id: str) -> None:
    case = svc.get(case_id)
    case.parties[0].liability = LiabilityLevel.FULL
    case.parties[1].liability = LiabilityLevel.NONE
    for party in case.parties:
        party.fault, party.legal_basis = default_fault(case.accident_type, party)
    svc.save_draft(case)


def _confirm_all(svc: AccidentService, case_id: str) -> None:
    for party in svc.get(case_id).parties:
        svc.confirm_party(case_id, party.id, "phone")


def test_resubmission_with_same_key_makes_no_duplicate(svc: AccidentService, workspace: Workspace) -> None:
    first = svc.create_case(case_key="12123-abc", place="金水路与未来路交叉口",
                            parties=[PARTY_A, PARTY_B])
    again = svc.create_case(case_key="12123-abc", place="别处", parties=[])
    event = FeedEvent("accident.report", 0.0, {"case_key": "12123-abc", "place": "又一次"})
    assert svc.on_feed_event(event) == first.id
    assert again.id == first.id and again.place == "金水路与未来路交叉口"
    assert workspace.count("accident_cases") == 1
    assert workspace.count("accident_parties") == 2
    assert workspace.count("accident_state_log") == 1
    other = svc.create_case(case_key="12123-def")
    assert other.case_no != first.case_no and workspace.count("accident_cases") == 2
    # The database refuses a duplicate key even if a caller bypassed the service.
    with pytest.raises(sqlite3.IntegrityError), workspace.write("x") as tx:
        tx.insert("accident_cases", {"id": "dup", "case_key": "12123-abc", "state": "reported",
                                     "reported_at": 0.0})


def test_draft_saves_partial_and_malformed_input(svc: AccidentService, workspace: Workspace) -> None:
    case = svc.create_case(case_key="d1")
    case.place = "中原路与嵩山路交叉口"
    case.parties[0].plate = "豫A1234"  # too short, but a draft keeps what was typed
    case.parties[0].name = "王强"
    case.narrative = "变道时刮擦"
    seq_before = workspace.count("change_log")
    saved = svc.save_draft(case)
    assert saved.parties[0].plate == "豫A1234" and saved.place == "中原路与嵩山路交叉口"
    assert workspace.count("change_log") == seq_before + 2  # one case update, one party update
    svc.save_draft(saved)  # nothing changed: nothing written
    assert workspace.count("change_log") == seq_before + 2
    assert any("号牌号码长度" in b for b in svc.blockers(saved))


def test_full_quick_path_writes_a_state_row_per_change(svc: AccidentService, workspace: Workspace) -> None:
    cid = ready_case(svc)
    svc.accept(cid)
    with pytest.raises(DecisionBlockedError) as blocked:
        svc.decide(cid)
    assert "每一方都必须确定责任" in blocked.value.blockers
    _set_suggested(svc, cid)
    decided = svc.decide(cid)
    assert decided.state is CaseState.DECIDED and decided.decided_at is not None
    with pytest.raises(AccidentError, match="不能再修改"):
        svc.save_draft(decided)
    svc.push_claims(cid)
    queue = svc.insurance_status(cid)
    assert [q["insurer"] for q in queue] == ["人保财险", "平安产险"]
    assert {q["status_label"] for q in queue} == {"待推送"}
    svc.set_insurance_status(queue[0]["id"], "sent")
    assert svc.insurance_status(cid)[0]["status_label"] == "已推送"
    closed = svc.close(cid)
    assert closed.state is CaseState.CLOSED
    log = svc.state_log(cid)
    assert [r.state for r in log] == [CaseState.REPORTED, CaseState.ACCEPTED, CaseState.DECIDED,
                                      CaseState.CLAIM_PUSHED, CaseState.CLOSED]
    assert all(r.actor == "dispatcher" for r in log)
    assert [r.at for r in log] == sorted(r.at for r in log)
    # The decision document is stored content-addressed and re-prints the same bytes.
    doc = svc.reprint(cid, "decision")
    assert doc.parent.parent == svc.files_dir and doc.name == __import__("hashlib").sha256(
        doc.read_bytes()).hexdigest()
    text = pdf_text(doc)
    for needle in ("道路交通事故认定书（简易程序）", "豫A12345", "豫AD12345", "全部责任", "无责任",
                   closed.case_no, "张伟", "李娜"):
        assert needle in text


def test_illegal_transitions_are_refused_without_writing(svc: AccidentService, workspace: Workspace) -> None:
    cid = ready_case(svc)
    rows = workspace.count("accident_state_log")
    with pytest.raises(IllegalTransitionError):
        svc.close(cid)
    with pytest.raises(IllegalTransitionError):
        svc.push_claims(cid)
    with pytest.raises(IllegalTransitionError, match="原因"):
        svc.cancel(cid, "  ")
    assert workspace.count("accident_state_log") == rows
    assert svc.get(cid).state is CaseState.REPORTED
    svc.cancel(cid, "重复报警")
    assert svc.state_log(cid)[-1].reason == "重复报警"
    with pytest.raises(IllegalTransitionError):
        svc.accept(cid)


def test_missing_photo_blocks_decision_not_draft(svc: AccidentService) -> None:
    case = svc.create_case(case_key="np", place="大学路与陇海路交叉口", accident_type="rear_end",
                           parties=[PARTY_A, PARTY_B])
    svc.accept(case.id)
    _set_suggested(svc, case.id)
    svc.add_evidence(case.id, b"\x89PNG front", EvidenceKind.FRONT_SIDE, filename="f.png")
    with pytest.raises(DecisionBlockedError) as blocked:
        svc.decide(case.id)
    assert "缺少车后侧照片" in blocked.value.blockers and "缺少碰撞部位照片" in blocked.value.blockers
    assert any("未核实" in b for b in blocked.value.blockers)


def test_override_of_suggestion_needs_reason(svc: AccidentService) -> None:
    cid = ready_case(svc)
    svc.accept(cid)
    case = svc.get(cid)
    case.parties[0].liability = LiabilityLevel.MAJOR
    case.parties[1].liability = LiabilityLevel.MINOR
    case.parties[0].fault, case.parties[0].legal_basis = "未保持安全距离", "《道路交通安全法》第四十三条"
    case.parties[1].fault, case.parties[1].legal_basis = "制动灯损坏仍上路行驶", "《道路交通安全法》第二十一条"
    case = svc.save_draft(case)
    assert "责任认定与系统建议不一致，请填写调整理由" in svc.blockers(case)
    case.liability_override_reason = "前车急刹且制动灯损坏"
    svc.save_draft(case)
    decided = svc.decide(cid)
    assert "前车急刹" in pdf_text(svc.reprint(cid))
    assert decided.parties[0].liability is LiabilityLevel.MAJOR


def test_self_settlement_generates_agreement(svc: AccidentService) -> None:
    cid = ready_case(svc)
    case = svc.get(cid)
    case.parties[0].liability = LiabilityLevel.EQUAL
    case.parties[1].liability = LiabilityLevel.EQUAL
    svc.save_draft(case)  # the parties may agree 同等 without an officer's reason
    with pytest.raises(DecisionBlockedError) as blocked:
        svc.settle(cid)  # nobody has confirmed the agreement yet
    assert any("尚未确认协议" in b for b in blocked.value.blockers)
    _confirm_all(svc, cid)
    settled = svc.settle(cid)
    assert settled.state is CaseState.SELF_SETTLED
    text = pdf_text(svc.reprint(cid, "settlement"))
    assert "自行协商协议书" in text and "同等责任" in text and "豫AD12345" in text


def test_general_procedure_creates_incident_and_notifies(svc: AccidentService, workspace: Workspace) -> None:
    heard: list[str] = []
    svc.subscribe_general_procedure(heard.append)
    cid = ready_case(svc, eligibility={"no_drunk_driving": False})
    case = svc.get(cid)
    assert svc.ineligibility_reason(case) == "驾驶人有醉酒驾驶（危险驾驶罪）嫌疑（第23条第二款）"
    assert any("应转一般程序" in b for b in svc.blockers(case))
    moved = svc.to_general_procedure(cid, svc.ineligibility_reason(case))
    assert moved.state is CaseState.GENERAL_PROCEDURE and moved.incident_id
    row = workspace.db["accident_incidents"].get(moved.incident_id)
    assert row["lat"] == pytest.approx(34.8068) and "醉酒驾驶" in row["reasons"]
    assert row["procedure"] == "general"
    assert heard == [cid]


def test_evidence_is_content_addressed(svc: AccidentService, tmp_path: Path) -> None:
    cid = ready_case(svc)
    photo = tmp_path / "IMG_0001.JPG"
    photo.write_bytes(b"\xff\xd8\xff\xe0 jpeg body")
    a = svc.add_evidence(cid, photo, EvidenceKind.OTHER_PHOTO)
    b = svc.add_evidence(cid, photo, EvidenceKind.OTHER_PHOTO)
    assert a.id == b.id and a.media_type == "image/jpeg" and a.path.read_bytes() == photo.read_bytes()
    assert len(svc.evidence(cid)) == 4
    with pytest.raises(AccidentError, match="无法读取"):
        svc.add_evidence(cid, tmp_path / "missing.jpg", EvidenceKind.OTHER_PHOTO)
    with pytest.raises(AccidentError, match="空的"):
        svc.add_evidence(cid, b"", EvidenceKind.OTHER_PHOTO, filename="x.png")


def test_kpis_from_state_rows(workspace: Workspace) -> None:
    now = [1_795_305_600.0 + 8 * 3600]  # a local-day morning; the clock is ours
    svc = make_service(workspace)
    svc.ctx.clock = lambda: now[0]
    ids = [ready_case(svc, key=f"k{i}", reported_at=now[0]) for i in range(4)]
    now[0] += 30
    svc.accept(ids[0])
    now[0] += 60
    svc.accept(ids[1])
    _set_suggested(svc, ids[0])
    svc.decide(ids[0])
    svc.cancel(ids[2], "误报")
    svc.to_general_procedure(ids[3], "有人受伤")
    k = svc.kpis()
    assert k.total == 3 and k.quick_handled == 1 and k.cancelled == 1 and k.general_procedure == 1
    assert k.quick_rate == pytest.approx(1 / 3)
    assert k.median_accept_s == pytest.approx(60.0)  # 30 s and 90 s
    assert k.median_decide_s == pytest.approx(90.0)
    assert k.accept_on_target == pytest.approx(0.5)
    assert sum(k.per_hour) == 4 and k.open_now == 2  # decided (awaiting claim) + accepted


def test_overdue_cases_raise_one_alert_each(workspace: Workspace) -> None:
    from desk.services.alerts import AlertService

    now = [1_795_305_600.0]
    svc = make_service(workspace)
    svc.ctx.clock = lambda: now[0]
    cid = ready_case(svc)
    assert svc.check_targets() == []
    now[0] += 61
    assert [e.id for e in svc.check_targets()] == [cid]
    svc.check_targets()
    alerts = svc.ctx.service(AlertService).open_alerts()
    assert len(alerts) == 1 and alerts[0].kind == "accident.overdue"
    now[0] += 60
    svc.check_targets()  # amber → red escalates the same alert
    assert len(svc.ctx.service(AlertService).open_alerts()) == 1
    svc.accept(cid)
    assert svc.ctx.service(AlertService).open_alerts() == []


def test_feed_event_creates_case_with_evidence(svc: AccidentService) -> None:
    from desk.demo.accidents import AccidentStream

    stream = AccidentStream(seed=5)
    event = stream.report(1_795_320_000.0)
    cid = svc.on_feed_event(event)
    assert cid is not None
    case = svc.get(cid)
    assert case.source == "demo" and len(case.parties) >= 2
    assert {e.kind for e in svc.evidence(cid)} >= {EvidenceKind.FRONT_SIDE, EvidenceKind.REAR_SIDE,
                                                    EvidenceKind.COLLISION_POINT}
    assert svc.on_feed_event(event) == cid  # the same report twice is one case
    assert svc.on_feed_event(FeedEvent("unit.status", 0.0, {})) is None
    assert svc.on_feed_event(FeedEvent("accident.report", 0.0, {"lat": "北纬"})) is None
    assert case.accident_type in AccidentType
    # A bad attachment is logged; the report itself is kept.
    odd = FeedEvent("accident.report", 0.0, {"case_key": "odd", "place": "未来路",
                                             "evidence": [{"kind": "selfie", "content": b"x"}]})
    odd_id = svc.on_feed_event(odd)
    assert odd_id is not None and svc.evidence(odd_id) == []


def test_case_numbers_of_two_workstations_never_collide(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desk.services.accidents import AccidentService, workstation_code
    from desk.services.context import AppContext
    from desk.store import Workspace

    numbers = []
    for name in ("ws-调度台-1", "ws-调度台-2"):
        ws = Workspace.open(tmp_path / f"{name}.sqlite")
        svc = AppContext(workspace=ws, workstation=name, clock=lambda: 1_764_000_000.0).service(AccidentService)
        a = svc.create_case(place="花园路与农业路", lat=34.79, lon=113.67, case_key=f"{name}-a")
        b = svc.create_case(place="金水路与未来路", lat=34.77, lon=113.70, case_key=f"{name}-b")
        numbers += [a.case_no, b.case_no]
        assert a.case_no.endswith("-" + workstation_code(name))
        assert int(a.case_no.split("-")[1]) + 1 == int(b.case_no.split("-")[1])
        ws.close()
    assert len(set(numbers)) == 4
