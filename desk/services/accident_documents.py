"""The accident paperwork as PDF (reportlab): the simplified-procedure liability decision
(道路交通事故认定书（简易程序）, 《道路交通事故处理程序规定》第24条), the parties' own settlement
agreement (自行协商协议书) and the daily KPI report.

A CJK TrueType font is embedded (subset) so the PDF renders on any viewer, also one without Chinese
fonts: WenQuanYi Zen Hei (Debian ``fonts-wqy-zenhei``), AR PL UMing, or a Windows SimSun/YaHei;
the environment variable ``DESK_PDF_FONT`` may name another TrueType file. Noto CJK, which desk
installs for the screen, ships CFF outlines that reportlab cannot embed. Only when no TrueType CJK
font exists does the document fall back to the non-embedded CID font STSong-Light (logged).

Times print in China Standard Time (UTC+8), whatever the host's zone. PDFs are rendered with
``invariant=1`` so the same case renders to the same bytes: re-printing gives back the stored
file, and its sha256 address stays meaningful.
"""

from __future__ import annotations

import io
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path
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

from desk.domain.accidents import CONFIRM_METHODS, AccidentCase, LiabilityLevel
from desk.domain.accidents.case import NO_FAULT
from desk.domain.accidents.validators import LICENCE_TYPES

if TYPE_CHECKING:
    from desk.services.accidents import AccidentKpis

log = logging.getLogger(__name__)

FALLBACK_FONT = "STSong-Light"
EMBEDDED_FONT = "DeskCJK"
#: TrueType CJK fonts looked for, in order (Debian paths, then Windows).
FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
CST_OFFSET_S = 8 * 3600
_font_name: str | None = None


def find_cjk_font(extra: str | None = None) -> Path | None:
    """The first TrueType CJK font file that exists (``extra`` first when given)."""
    for candidate in (extra, os.environ.get("DESK_PDF_FONT"), *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _font() -> str:
    global _font_name
    if _font_name is None:
        path = find_cjk_font()
        if path is not None:
            from reportlab.pdfbase.ttfonts import TTFont

            try:
                pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, str(path), subfontIndex=0))
                _font_name = EMBEDDED_FONT
                log.info("accident documents embed the CJK font %s", path.name)
            except Exception:
                log.exception("cannot embed the CJK font %s", path)
        if _font_name is None:
            log.warning("no TrueType CJK font found (install fonts-wqy-zenhei): documents use the"
                        " non-embedded %s and may not render on every viewer", FALLBACK_FONT)
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
            _font_name = FALLBACK_FONT
    return _font_name


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


def cst(at: float, fmt: str) -> str:
    """``at`` formatted in China Standard Time (UTC+8, no daylight saving)."""
    return time.strftime(fmt, time.gmtime(at + CST_OFFSET_S))


def _when(at: float | None) -> str:
    if at is None:
        return "—"
    return cst(at, "%Y年%m月%d日 %H时%M分")


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
        ["事故时间", _when(case.occurred_at), "天气", case.weather or "—"],
        ["事故地点", case.place or "—", "报警时间", _when(case.reported_at)],
        ["事故形态", case.collision_form.label if case.collision_form else "—",
         "碰撞部位", "、".join(case.collision_points) or "—"],
        ["事故情形", case.accident_type.label, "案件编号", case.case_no],
    ]
    return _grid([[_p(c, s["body"]) for c in r] for r in rows], [22 * mm, 62 * mm, 22 * mm, 68 * mm])


def _identity(p: Any) -> str:
    kind = LICENCE_TYPES.get(p.licence_type or "resident", "").split("（")[0]
    text = f"{kind} {p.id_number}".strip()
    if p.licence_no and p.licence_no != p.id_number:
        text += f"\n驾驶证号 {p.licence_no}"
    return text


def _party_table(case: AccidentCase, s: dict[str, ParagraphStyle], *, liability: bool) -> Table:
    fields: list[tuple[str, Any]] = [
        ("当事人", lambda p: p.name), ("证件/驾驶证号", _identity),
        ("准驾车型", lambda p: p.permitted_class if p.motor else "（非机动车）"),
        ("联系电话", lambda p: p.phone), ("车辆类型", lambda p: p.vehicle_type),
        ("使用性质", lambda p: p.vehicle_use),
        ("号牌号码", lambda p: p.plate), ("保险公司", lambda p: p.insurer),
        ("交强险保单号", lambda p: p.policy_no),
    ]
    if liability:
        fields.append(("责任", lambda p: p.liability.label if p.liability else "未认定"))
    header = [_p("", s["body"])] + [_p(p.title, s["h"]) for p in case.parties]
    body = [[_p(name, s["body"])] + [_p(str(get(p) or "—"), s["body"]) for p in case.parties]
            for name, get in fields]
    width = (174 * mm - 30 * mm) / max(1, len(case.parties))
    return _grid([header, *body], [30 * mm] + [width] * len(case.parties))


def _grid(rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Table:
    table = Table(list(rows), colWidths=list(widths))
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEEEEE")),
    ]))
    return table


def _determination(case: AccidentCase) -> list[str]:
    """Each party's 过错/违法行为, its legal basis and its liability, written as the officer's
    determination (第60条)."""
    out = []
    for p in case.parties:
        who = f"{p.title}{p.name}（{p.plate or p.vehicle_type or '—'}）"
        level = p.liability.label if p.liability else "责任未认定"
        if p.liability is LiabilityLevel.NONE:
            fault = p.fault or NO_FAULT[0]
            out.append(f"{who}{fault}，依据{p.legal_basis or NO_FAULT[1]}，不承担事故责任（{level}）。")
        else:
            basis = f"违反{p.legal_basis}的规定" if p.legal_basis else ""
            out.append(f"{who}{p.fault}{'，' + basis if basis else ''}，承担{level}。")
    return out


def _signatures(case: AccidentCase, s: dict[str, ParagraphStyle], *, at: float) -> list[Any]:
    """Signature lines, each party's way of confirming and any 拒绝签名 note."""
    story: list[Any] = [_p("当事人签名", s["h"])]
    rows = []
    for p in case.parties:
        if p.signature_refused:
            note = f"当事人拒绝签名，已注明（{_when(p.confirmed_at or at)}，记录人：{p.confirmed_by}）"
        elif p.confirm_method == "phone":
            note = f"调度员{p.confirmed_by}于{_when(p.confirmed_at)}电话确认"
        elif p.confirm_method:
            note = CONFIRM_METHODS.get(p.confirm_method, p.confirm_method)
        else:
            note = "尚未确认"
        rows.append([_p(f"{p.title}{p.name}", s["body"]), _p("签名：", s["body"]),
                     _p(note, s["small"])])
    story.append(_grid(rows, [34 * mm, 50 * mm, 90 * mm]))
    return story


def render_decision(case: AccidentCase, at: float, *, drill: bool = False) -> bytes:
    """道路交通事故认定书（简易程序） for a decided case (第24条)."""
    s = _styles()
    story: list[Any] = []
    if drill:
        story.append(_p("【演练】DRILL", s["drill"]))
    reasons = [f"认定理由：{case.liability_override_reason.strip()}"] if (
        case.liability_override_reason.strip()) else []
    mediation = (f"经各方当事人共同申请，当场进行调解（第二十五条）。调解结果：{case.mediation_result}"
                 if case.mediation_requested else "当事人未申请当场调解。")
    story += [
        _p(case.issuing_unit or "公安机关交通管理部门", s["sub"]),
        _p("道路交通事故认定书（简易程序）", s["title"]),
        _p(f"{case.doc_no or case.case_no}", s["sub"]),
        Spacer(1, 4 * mm),
        _facts_table(case, s),
        _p("当事人及车辆", s["h"]),
        _party_table(case, s, liability=True),
        _p("事故事实", s["h"]),
        _p(case.narrative or "—", s["body"]),
        _p("责任认定", s["h"]),
        _p("根据《道路交通事故处理程序规定》第二十三条、第六十条，认定如下：", s["body"]),
        *[_p(line, s["body"]) for line in [*_determination(case), *reasons]],
        _p("当场调解", s["h"]),
        _p(mediation, s["body"]),
        _p("损害赔偿", s["h"]),
        _p("当事人可依据本认定书向保险公司申请理赔；对损害赔偿有争议的，可以自收到本认定书之日起"
           "十日内共同申请调解，或者向人民法院提起民事诉讼。", s["body"]),
        *_signatures(case, s, at=at),
        Spacer(1, 5 * mm),
        _p(f"交通警察：{case.officer or '—'}    警号：{case.officer_badge or '—'}", s["body"]),
        _p(f"{case.issuing_unit or '—'}（印章）    {_when(case.decided_at or at)}", s["body"]),
        Spacer(1, 3 * mm),
        _p("当事人对本认定有异议的，可以自收到本认定书之日起三日内，向作出认定的公安机关交通管理"
           "部门的上一级公安机关交通管理部门提出书面复核申请。时间均为北京时间。", s["small"]),
    ]
    return _build(story, f"道路交通事故认定书 {case.case_no}", drill=drill)


def render_settlement(case: AccidentCase, at: float, *, drill: bool = False) -> bytes:
    """道路交通事故自行协商协议书: the parties' own agreement (第19条). No officer decided it, so
    none is named; each party's confirmation is stated as it happened (desk sends no SMS)."""
    s = _styles()
    story: list[Any] = []
    if drill:
        story.append(_p("【演练】DRILL", s["drill"]))
    story += [
        _p("道路交通事故自行协商协议书", s["title"]),
        _p(f"{case.doc_no or case.case_no}", s["sub"]),
        Spacer(1, 4 * mm),
        _facts_table(case, s),
        _p("当事人及车辆", s["h"]),
        _party_table(case, s, liability=True),
        _p("事故经过", s["h"]),
        _p(case.narrative or "—", s["body"]),
        _p("协商结果", s["h"]),
        _p("经各方当事人自行协商，一致同意：" + "；".join(
            f"{p.title}{p.name}（{p.plate or p.vehicle_type or '—'}）承担"
            f"{p.liability.label if p.liability else '—'}"
            for p in case.parties) + "。各方同意按上述责任向各自保险公司申请理赔。", s["body"]),
        *_signatures(case, s, at=at),
        Spacer(1, 4 * mm),
        _p(f"协商时间：{_when(case.decided_at or at)}", s["body"]),
        Spacer(1, 3 * mm),
        _p("本协议由当事人依据《道路交通事故处理程序规定》第十九条自行协商达成，受理席仅记录各方"
           "的确认方式，未作责任认定。时间均为北京时间。", s["small"]),
    ]
    return _build(story, f"自行协商协议书 {case.case_no}", drill=drill)


def render_daily_report(kpis: AccidentKpis, *, drill: bool = False, station: str = "") -> bytes:
    """The chief's daily report: counts, rates, medians and cases per hour."""
    s = _styles()
    day = cst(kpis.day_start + 3600, "%Y年%m月%d日")

    def pct(x: float | None) -> str:
        return "—" if x is None else f"{x * 100:.1f}%"

    def mins(x: float | None) -> str:
        return "—" if x is None else f"{x / 60:.1f} 分钟"

    rows = [
        ["事故总数（不含撤销）", str(kpis.total)],
        ["快处数（定责或自行协商）", str(kpis.quick_handled)],
        ["快处率", pct(kpis.quick_rate)],
        ["转现场处理（简易程序）", str(kpis.on_scene)],
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
