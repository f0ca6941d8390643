"""The 认定书（简易程序） (公安部令第146号 第24/25条) and the parties' 协议书 as stored PDFs: what
each must say, what it must not claim, the embedded CJK TrueType font and China Standard Time;
the pages are rendered to PNG for people to look at."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from desk.domain.accidents import LiabilityLevel, default_fault
from desk.services.accident_documents import find_cjk_font
from desk.services.accidents import AccidentService, DecisionBlockedError
from desk.store import Workspace
from tests.accidents.helpers import make_service, pdf_fonts, pdf_text, ready_case

# 2026-12-01 06:30 UTC = 14:30 in China; the host may be in any zone.
NOW = 1_796_106_600.0


@pytest.fixture
def svc(workspace: Workspace) -> AccidentService:
    service = make_service(workspace)
    service.ctx.clock = lambda: NOW
    return service


def _decide_ready(svc: AccidentService, cid: str) -> None:
    case = svc.get(cid)
    case.parties[0].liability = LiabilityLevel.FULL
    case.parties[1].liability = LiabilityLevel.NONE
    for party in case.parties:
        party.fault, party.legal_basis = default_fault(case.accident_type, party)
    case.mediation_requested = True
    case.mediation_result = "甲方当场赔偿乙方修车费800元，双方无异议"
    svc.save_draft(case)


def _png(pdf: Path, out: Path) -> Path | None:
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    subprocess.run([tool, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(out)],
                   check=True, capture_output=True)
    return next(out.parent.glob(out.name + "*.png"), None)


def test_decision_document_states_the_determination(svc: AccidentService, artifacts_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")  # the host's zone must not leak into the PDF
    time.tzset()
    try:
        cid = ready_case(svc, key="doc-decision", reported_at=NOW - 600)
        svc.accept(cid)
        case = svc.get(cid)
        # 第24条: the accident's time, weather, 事故形态 and 碰撞部位 are required before 定责.
        case.occurred_at = None
        case.weather = ""
        svc.save_draft(case)
        with pytest.raises(DecisionBlockedError) as blocked:
            svc.decide(cid)
        assert "请填写事故发生时间" in blocked.value.blockers
        assert "请选择天气" in blocked.value.blockers
        case = svc.get(cid)
        case.occurred_at = NOW - 900  # 14:15 CST, five minutes before the call
        case.weather = "雨"
        svc.save_draft(case)
        _decide_ready(svc, cid)
        decided = svc.decide(cid)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    pdf = svc.reprint(cid, "decision")
    text = pdf_text(pdf)
    for needle in ("道路交通事故认定书（简易程序）", "2026年12月01日 14时15分",  # accident time, CST
                   "2026年12月01日 14时20分",  # report time, CST
                   "雨", "追尾碰撞", "车头", "违反《中华人民共和国道路交通安全法》第四十三条的规定",
                   "承担全部责任", "无导致事故发生的过错行为", "当场调解", "800元",
                   "警号：410123", "郑州市公安局交通警察支队金水大队", decided.doc_no, "签名",
                   "C1", "非营运"):
        assert needle in text, needle
    assert "建议" not in text  # a determination, not a suggestion
    assert decided.doc_no and "简易认字" in decided.doc_no
    assert find_cjk_font() is not None, "install fonts-wqy-zenhei (packaging/bootstrap.sh)"
    assert any("embedded" in f for f in pdf_fonts(pdf)), pdf_fonts(pdf)
    shutil.copyfile(pdf, artifacts_dir / "accident_decision.pdf")
    png = _png(pdf, artifacts_dir / "accident_decision")
    assert png is None or png.stat().st_size > 10_000


def test_settlement_is_the_parties_agreement_and_claims_no_sms(svc: AccidentService,
                                                                artifacts_dir: Path) -> None:
    cid = ready_case(svc, key="doc-settle", reported_at=NOW - 300)
    case = svc.get(cid)
    case.parties[0].liability = LiabilityLevel.EQUAL
    case.parties[1].liability = LiabilityLevel.EQUAL
    svc.save_draft(case)
    a, b = case.parties
    svc.confirm_party(cid, a.id, "paper", actor="李娟")
    svc.confirm_party(cid, b.id, "phone", actor="李娟")
    settled = svc.settle(cid)
    pdf = svc.reprint(cid, "settlement")
    text = pdf_text(pdf)
    assert "自行协商协议书" in text and "同等责任" in text
    assert "受理民警" not in text and "交通警察" not in text  # no officer decided it
    assert "短信" not in text and "验证码" not in text  # desk sent no SMS
    assert "当事人在受理席当面书面签字确认" in text
    flat = text.replace(" ", "")
    assert "调度员李娟于2026年12月01日14时30分电话确认" in flat
    assert settled.doc_no in text
    shutil.copyfile(pdf, artifacts_dir / "accident_settlement.pdf")
    _png(pdf, artifacts_dir / "accident_settlement")


def test_refused_signature_is_noted(svc: AccidentService) -> None:
    cid = ready_case(svc, key="doc-refused", reported_at=NOW - 300)
    svc.accept(cid)
    _decide_ready(svc, cid)
    b = svc.get(cid).parties[1]
    svc.confirm_party(cid, b.id, "", refused=True, actor="王警官")
    svc.decide(cid)
    text = pdf_text(svc.reprint(cid, "decision"))
    assert "当事人拒绝签名，已注明" in text and "记录人：王警官" in text


def test_daily_report_counts_each_way_out(svc: AccidentService, tmp_path: Path) -> None:
    from desk.services.accident_documents import render_daily_report

    on_scene = ready_case(svc, key="r-scene", reported_at=NOW - 200,
                          eligibility={"vehicles_movable": False})
    general = ready_case(svc, key="r-general", reported_at=NOW - 100,
                         eligibility={"no_drunk_driving": False})
    assert svc.leave_quick(on_scene).state.value == "on_scene"
    assert svc.leave_quick(general).state.value == "general_procedure"
    kpis = svc.kpis(NOW)
    assert (kpis.on_scene, kpis.general_procedure, kpis.total) == (1, 1, 2)
    out = tmp_path / "daily.pdf"
    out.write_bytes(render_daily_report(kpis))
    text = pdf_text(out)
    assert "转现场处理（简易程序）1" in text.replace("\n", "") or "转现场处理（简易程序）" in text
    assert "2026年12月01日" in text
