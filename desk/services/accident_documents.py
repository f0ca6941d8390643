"""The accident paperwork as PDF (reportlab, Chinese in the built-in CID font STSong-Light): the
simplified-procedure liability decision (道路交通事故认定书（简易程序）), the parties' settlement
agreement (自行协商协议书) and the daily KPI report.

PDFs are rendered with ``invariant=1`` so the same case renders to the same bytes: re-printing
gives back the stored file, and its sha256 address stays meaningful.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desk.domain.accidents import AccidentCase, suggest_liability

if TYPE_CHECKING:
    from desk.services.accidents import AccidentKpis

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=17, leading=24,
                                alignment=TA_CENTER, spaceAfter=4 * mm),
        "sub": ParagraphStyle("sub", fontName=font, fontSize=10, leading=14, alignment=TA_CENTER),
        "h": ParagraphStyle("h", fontName=font, fontSize=11.5, leading=17, spaceBefore=3 * mm),
        "body": ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16),
        "small": ParagraphStyle("small", fontName=font, fontSize=8.5, leading=12,
                                textColor=colors.HexColor("#444444")),
        "drill": ParagraphStyle("drill", fontName=font, fontSize=14, leading=18,
                                alignment=TA_CENTER, textColor=colors.red),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _when(at: float | None) -> str:
    if at is None:
        return "—"
    return time.strftime("%Y年%m月%d日 %H时%M分", time.localtime(at))


def _build(story: list[Any], title: str, *, drill: bool) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
        bottomMargin=16 * mm, title=title, author="desk", invariant=1,
    )

    def mark(canvas: Any, _doc: Any) -> None:
        if drill:
            # Everything printed in a drill carries a visible DRILL mark.
            canvas.saveState()
            canvas.setFont(_font(), 44)
            canvas.setFillColor(colors.Color(1, 0, 0, alpha=0.18))
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, "演练 DRILL 演练")
            canvas.restoreState()

    doc.build(story, onFirstPage=mark, onLaterPages=mark)
    return buf.getvalue()


def _facts_table(case: AccidentCase, s: dict[str, ParagraphStyle]) -> Table:
    rows = [
        ["案件编号", case.case_no, "报警时间", _when(case.reported_at)],
        ["事故地点", case.place or "—", "天气", case.weather or "—"],
        ["事故形态", case.accident_type.label, "碰撞部位", "、".join(case.collision_points) or "—"],
    ]
    return _grid([[_p(c, s["body"]) for c in r] for r in rows], [22 * mm, 62 * mm, 22 * mm, 68 * mm])


def _party_table(case: AccidentCase, s: dict[str, ParagraphStyle], *, liability: bool) -> Table:
    fields: list[tuple[str, Any]] = [
        ("当事人", lambda p: p.name), ("身份证/驾驶证号", lambda p: p.id_number),
        ("联系电话", lambda p: p.phone), ("车辆类型", lambda p: p.vehicle_type),
        ("号牌号码", lambda p: p.plate), ("保险公司", lambda p: p.insurer),
        ("交强险保单号", lambda p: p.policy_no),
    ]
    if liability:
        fields.append(("责任", lambda p: p.liability.label if p.liability else "未认定"))
    header = [_p("", s["body"])] + [_p(p.title, s["h"]) for p in case.parties]
    body = [[_p(name, s["body"])] + [_p(str(get(p) or "—"), s["body"]) for p in case.parties]
            for name, get in fields]
    width = (174 * mm - 34 * mm) / max(1, len(case.parties))
    return _grid([header, *body], [34 * mm] + [width] * len(case.parties))


def _grid(rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Table:
    table = Table(list(rows), colWidths=list(widths))
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEEEEE")),
    ]))
    return table


def _basis(case: AccidentCase) -> str:
    suggestion = suggest_liability(case.accident_type, case.parties)
    text = suggestion.basis if suggestion else ""
    if case.liability_override_reason.strip():
        text = (text + "。" if text else "") + "认定理由：" + case.liability_override_reason.strip()
    return text or "依据现场证据及当事人陈述认定。"


def render_decision(case: AccidentCase, at: float, *, drill: bool = False) -> bytes:
    """道路交通事故认定书（简易程序） for a decided case."""
    s = _styles()
    story: list[Any] = []
    if drill:
        story.append(_p("【演练】DRILL", s["drill"]))
    story += [
        _p("道路交通事故认定书（简易程序）", s["title"]),
        _p(f"编号：{case.case_no}", s["sub"]),
        Spacer(1, 4 * mm),
        _facts_table(case, s),
        _p("当事人及车辆", s["h"]),
        _party_table(case, s, liability=True),
        _p("事故事实", s["h"]),
        _p(case.narrative or "（当事人陈述及视频核实情况）", s["body"]),
        _p("责任认定", s["h"]),
        _p("；".join(f"{p.title}{p.name}（{p.plate}）承担{p.liability.label}"
                    if p.liability else f"{p.title}{p.name}（{p.plate}）责任未认定"
                    for p in case.parties), s["body"]),
        _p(_basis(case), s["body"]),
        _p("损害赔偿", s["h"]),
        _p("当事人可依据本认定书向保险公司申请理赔，或共同申请调解、向人民法院提起民事诉讼。", s["body"]),
        Spacer(1, 6 * mm),
        _p(f"交通警察：{case.officer or '—'}        认定时间：{_when(case.decided_at or at)}", s["body"]),
        Spacer(1, 3 * mm),
        _p("当事人对本认定有异议的，可自收到本认定书之日起三日内向上一级公安机关交通管理部门"
           "提出书面复核申请；需要调解的，应在十日内共同申请。", s["small"]),
    ]
    return _build(story, f"道路交通事故认定书 {case.case_no}", drill=drill)


def render_settlement(case: AccidentCase, at: float, *, drill: bool = False) -> bytes:
    """道路交通事故自行协商协议书 for a case the parties settled themselves."""
    s = _styles()
    story: list[Any] = []
    if drill:
        story.append(_p("【演练】DRILL", s["drill"]))
    story += [
        _p("道路交通事故自行协商协议书", s["title"]),
        _p(f"编号：{case.case_no}", s["sub"]),
        Spacer(1, 4 * mm),
        _facts_table(case, s),
        _p("当事人及车辆", s["h"]),
        _party_table(case, s, liability=True),
        _p("事故经过", s["h"]),
        _p(case.narrative or "（当事人陈述）", s["body"]),
        _p("协商结果", s["h"]),
        _p("经各方当事人自行协商，一致同意：" + "；".join(
            f"{p.title}{p.name}（{p.plate}）承担{p.liability.label if p.liability else '—'}"
            for p in case.parties) + "。各方同意按上述责任向各自保险公司申请理赔。", s["body"]),
        Spacer(1, 6 * mm),
        _p("当事人确认（短信验证码）：" + "    ".join(f"{p.title}：{p.name}" for p in case.parties),
           s["body"]),
        _p(f"受理民警：{case.officer or '—'}        协商时间：{_when(case.decided_at or at)}", s["body"]),
    ]
    return _build(story, f"自行协商协议书 {case.case_no}", drill=drill)


def render_daily_report(kpis: AccidentKpis, *, drill: bool = False, station: str = "") -> bytes:
    """The chief's daily report: counts, rates, medians and cases per hour."""
    s = _styles()
    day = time.strftime("%Y年%m月%d日", time.localtime(kpis.day_start))

    def pct(x: float | None) -> str:
        return "—" if x is None else f"{x * 100:.1f}%"

    def mins(x: float | None) -> str:
        return "—" if x is None else f"{x / 60:.1f} 分钟"

    rows = [
        ["事故总数（不含撤销）", str(kpis.total)],
        ["快处数（定责或自行协商）", str(kpis.quick_handled)],
        ["快处率", pct(kpis.quick_rate)],
        ["转一般程序", str(kpis.general_procedure)],
        ["撤销", str(kpis.cancelled)],
        ["当前未结", str(kpis.open_now)],
        ["受理用时中位数", mins(kpis.median_accept_s)],
        [f"{kpis.targets.accept_s / 60:.0f} 分钟内受理比例", pct(kpis.accept_on_target)],
        ["定责用时中位数（自报警起）", mins(kpis.median_decide_s)],
        [f"{kpis.targets.decide_s / 60:.0f} 分钟内定责比例", pct(kpis.decide_on_target)],
    ]
    hours = [[f"{h:02d}时" for h in range(12)], [str(n) for n in kpis.per_hour[:12]],
             [f"{h:02d}时" for h in range(12, 24)], [str(n) for n in kpis.per_hour[12:]]]
    story: list[Any] = []
    if drill:
        story.append(_p("【演练】DRILL", s["drill"]))
    story += [
        _p("轻微交通事故快处日报", s["title"]),
        _p(f"{station + '  ' if station else ''}{day}", s["sub"]),
        Spacer(1, 4 * mm),
        _grid([[_p(a, s["body"]), _p(b, s["body"])] for a, b in rows], [80 * mm, 60 * mm]),
        _p("各时段报警数", s["h"]),
        _grid([[_p(c, s["small"]) for c in r] for r in hours], [14.5 * mm] * 12),
        Spacer(1, 4 * mm),
        _p("快处率 = 当日快处（定责或自行协商）数 ÷ 当日轻微事故总数（不含撤销）。"
           "用时均自报警时刻起算。", s["small"]),
    ]
    return _build(story, f"事故快处日报 {day}", drill=drill)


__all__ = ["render_daily_report", "render_decision", "render_settlement"]
