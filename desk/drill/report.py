"""The after-action report (演练总结报告), in HTML and PDF, every page marked 演练 / DRILL.

The report is built from the drill workspace alone (``DrillReport.from_session``): the timeline
of fired injects and trainee actions, expected versus actual with response times, a response-time
chart, the score, and the trainer's lessons. Rendering needs no database, so the UI can build the
report data on the GUI thread and render the PDF on a worker thread.

Chinese in the PDF uses reportlab's built-in CID font STSong-Light (no font file to ship); the
chart is a reportlab Drawing, embedded as vector graphics in the PDF and as inline SVG in HTML.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.drill.clock import format_drill_time
from desk.drill.scenario import ACTION_KINDS, INJECT_KINDS
from desk.drill.scoring import Outcome, ScoreResult

if TYPE_CHECKING:
    from desk.drill.session import DrillSession

FONT = "STSong-Light"
DRILL_MARK = "演练 DRILL"
_CSS_FONTS = "'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
_OUTCOME_COLOURS = {Outcome.MET: "#2e9d57", Outcome.LATE: "#e0a100",
                    Outcome.MISSED: "#d64541", Outcome.NOT_FIRED: "#888888"}


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at_s: float
    kind: str  # "inject" | "action"
    title: str
    detail: str = ""


@dataclass(slots=True)
class DrillReport:
    run_id: str
    title: str
    briefing: str
    started_at: float | None
    end_s: float
    timeline: list[TimelineEntry]
    score: ScoreResult
    lessons: str
    generated_at: float = field(default_factory=lambda: datetime.now().timestamp())

    @classmethod
    def from_session(cls, session: DrillSession, lessons: str | None = None) -> DrillReport:
        ws = session.workspace
        run = ws.db.execute(
            "SELECT started_at, end_s FROM drill_runs WHERE id = ?", [session.run_id]
        ).fetchone()
        timeline: list[TimelineEntry] = []
        by_id = {i.id: i for i in session.scenario.injects}
        for inject_id, fired_s in session.fired_times().items():
            inject = by_id.get(inject_id)
            if inject is None:
                continue
            timeline.append(TimelineEntry(fired_s, "inject",
                                          f"{INJECT_KINDS.get(inject.kind, inject.kind)}：{inject.label}",
                                          _inject_detail(inject.data)))
        for action in session.actions.actions():
            who = action.actor or "学员"
            timeline.append(TimelineEntry(action.at_s, "action",
                                          f"{ACTION_KINDS.get(action.kind, action.kind)}：{action.target}",
                                          who))
        timeline.sort(key=lambda e: (e.at_s, e.kind != "inject"))
        end_s = max([session.clock.now(), float(run[1] or 0.0) if run else 0.0]
                    + [e.at_s for e in timeline])
        return cls(
            run_id=session.run_id, title=session.scenario.title,
            briefing=session.scenario.briefing, started_at=run[0] if run else None,
            end_s=end_s, timeline=timeline, score=session.score(),
            lessons=session.lessons() if lessons is None else lessons,
        )


def _inject_detail(data: dict[str, Any]) -> str:
    keep = ("point_id", "point_name", "depth_cm", "level", "place", "road", "size", "unit_id",
            "camera_id", "text", "accident_type")
    return "，".join(f"{k}={data[k]}" for k in keep if data.get(k) not in (None, "", []))


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}分{secs:02d}秒"


# -- chart -------------------------------------------------------------------------------------


def response_chart(report: DrillReport, width: float = 480) -> Any:
    """Horizontal bars: response time of each expected action against its deadline (a tick)."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String

    _register_font()
    rows = [r for r in report.score.results if r.outcome is not Outcome.NOT_FIRED]
    row_h, left, top_pad = 18.0, 150.0, 24.0
    height = top_pad + row_h * max(1, len(rows)) + 24
    d = Drawing(width, height)
    d.add(String(0, height - 14, "各项处置响应时间（竖线为期限）", fontName=FONT, fontSize=10))
    scale_max = max(
        [1.0] + [r.expected.within_s for r in rows]
        + [r.response_s or 0.0 for r in rows]) * 1.1
    plot_w = width - left - 10
    for idx, r in enumerate(rows):
        y = height - top_pad - (idx + 1) * row_h
        label = r.expected.label
        d.add(String(0, y + 4, label[:14], fontName=FONT, fontSize=8))
        colour = _OUTCOME_COLOURS[r.outcome]
        value = r.response_s if r.response_s is not None else scale_max
        from reportlab.lib.colors import HexColor

        d.add(Rect(left, y + 2, plot_w * value / scale_max, row_h - 6,
                   fillColor=HexColor(colour), strokeColor=None))
        x = left + plot_w * r.expected.within_s / scale_max
        d.add(Line(x, y, x, y + row_h - 2, strokeWidth=1.5))
        text = _fmt(r.response_s) if r.response_s is not None else "未完成"
        d.add(String(left + 4, y + 6, text, fontName=FONT, fontSize=7))
    d.add(String(left, 4, f"0 — {_fmt(scale_max)}", fontName=FONT, fontSize=7))
    return d


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


# -- HTML --------------------------------------------------------------------------------------


def render_html(report: DrillReport) -> str:
    from reportlab.graphics import renderSVG

    e = html.escape
    svg = renderSVG.drawToString(response_chart(report))
    svg = svg[svg.find("<svg"):].replace(f"font-family: {FONT}", f"font-family: {_CSS_FONTS}")
    s = report.score
    rows_timeline = "\n".join(
        f"<tr class='{t.kind}'><td>{format_drill_time(t.at_s)}</td>"
        f"<td>{'注入' if t.kind == 'inject' else '处置'}</td><td>{e(t.title)}</td>"
        f"<td>{e(t.detail)}</td></tr>" for t in report.timeline)
    rows_expect = "\n".join(
        f"<tr><td>{e(r.inject.id)}</td><td>{e(r.expected.label)}</td>"
        f"<td>{_fmt(r.expected.within_s)}</td><td>{_fmt(r.response_s)}</td>"
        f"<td style='color:{_OUTCOME_COLOURS[r.outcome]}'>{r.outcome.label}"
        f"{'（超时 ' + _fmt(r.late_by_s) + '）' if r.outcome is Outcome.LATE else ''}</td>"
        f"<td>{r.points:g} / {r.expected.weight:g}</td></tr>" for r in s.results)
    lessons = e(report.lessons) if report.lessons.strip() else "（未填写）"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>【演练 DRILL】{e(report.title)} — 演练总结报告</title>
<style>
body {{ font-family: {_CSS_FONTS}; margin: 0; color: #222; }}
.mark {{ background: #c0392b; color: #fff; font-weight: bold; padding: 6px 16px;
         position: sticky; top: 0; letter-spacing: 2px; }}
main {{ padding: 8px 24px; }}
table {{ border-collapse: collapse; width: 100%; margin: 8px 0 16px; }}
td, th {{ border: 1px solid #ccc; padding: 3px 6px; font-size: 13px; text-align: left; }}
tr.inject td {{ background: #fdf2f0; }}
.score {{ font-size: 28px; font-weight: bold; }}
.lessons {{ white-space: pre-wrap; border: 1px solid #ccc; padding: 8px; }}
@media print {{ .mark {{ position: fixed; }} }}
</style></head><body>
<div class="mark">{DRILL_MARK} · 本报告为演练记录，非实战数据</div>
<main>
<h1>{e(report.title)} — 演练总结报告</h1>
<p>演练编号：{e(report.run_id)}　演练时长：{format_drill_time(report.end_s)}</p>
<p>{e(report.briefing)}</p>
<h2>得分</h2>
<p class="score" id="score">{s.score:.1f} 分</p>
<p>按时完成 {s.counts.get('met', 0)} 项，超时完成 {s.counts.get('late', 0)} 项，
未完成 {s.counts.get('missed', 0)} 项，未触发 {s.counts.get('not_fired', 0)} 项；
得分 {s.points:g} / 满分 {s.total_weight:g}。</p>
<h2>期望处置与实际处置</h2>
<table id="expected"><tr><th>注入</th><th>期望处置</th><th>期限</th><th>实际响应</th><th>结果</th>
<th>得分</th></tr>
{rows_expect}
</table>
<h2>响应时间图</h2>
{svg}
<h2>时间线</h2>
<table id="timeline"><tr><th>演练时间</th><th>类别</th><th>事件</th><th>说明</th></tr>
{rows_timeline}
</table>
<h2>经验教训</h2>
<div class="lessons" id="lessons">{lessons}</div>
</main></body></html>
"""


# -- PDF ---------------------------------------------------------------------------------------


def render_pdf(report: DrillReport, path: Path | str) -> Path:
    """Write the report as a PDF; the red 演练 DRILL band and a watermark are on every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_font()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    h1 = ParagraphStyle("h1", parent=body, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=body, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)

    def on_page(canvas: Any, doc: Any) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#c0392b"))
        canvas.rect(0, height - 12 * mm, width, 12 * mm, fill=1, stroke=0)
        canvas.setFillColor(colors.white)
        canvas.setFont(FONT, 12)
        canvas.drawString(15 * mm, height - 8 * mm, "演练")
        # Latin "DRILL" in a standard font, so it is also plain text to PDF search and tools.
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(28 * mm, height - 8 * mm, "DRILL")
        canvas.setFont(FONT, 12)
        canvas.drawString(45 * mm, height - 8 * mm, "· 演练记录，非实战数据")
        canvas.drawRightString(width - 15 * mm, height - 8 * mm, f"第 {doc.page} 页")
        canvas.setFillColor(colors.Color(0.8, 0.2, 0.2, alpha=0.08))
        canvas.setFont(FONT, 90)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, 0, "演练 DRILL")
        canvas.restoreState()

    def table(rows: list[list[str]], widths: list[float]) -> Table:
        t = Table([[Paragraph(html.escape(c), cell) for c in row] for row in rows],
                  colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return t

    s = report.score
    story: list[Any] = [
        Paragraph(html.escape(f"{report.title} — 演练总结报告"), h1),
        Paragraph(html.escape(f"演练编号：{report.run_id}　演练时长："
                              f"{format_drill_time(report.end_s)}"), body),
        Paragraph(html.escape(report.briefing), body),
        Paragraph("得分", h2),
        Paragraph(html.escape(
            f"{s.score:.1f} 分（{s.points:g} / {s.total_weight:g}）：按时完成 {s.counts.get('met', 0)}"
            f" 项，超时完成 {s.counts.get('late', 0)} 项，未完成 {s.counts.get('missed', 0)} 项，"
            f"未触发 {s.counts.get('not_fired', 0)} 项"), body),
        Paragraph("期望处置与实际处置", h2),
        table([["注入", "期望处置", "期限", "实际响应", "结果", "得分"]] + [
            [r.inject.id, r.expected.label, _fmt(r.expected.within_s), _fmt(r.response_s),
             r.outcome.label + (f"（超时 {_fmt(r.late_by_s)}）" if r.outcome is Outcome.LATE
                                else ""),
             f"{r.points:g} / {r.expected.weight:g}"] for r in s.results],
            [18 * mm, 52 * mm, 20 * mm, 22 * mm, 40 * mm, 20 * mm]),
        Paragraph("响应时间图", h2),
        response_chart(report, width=170 * mm),
        Paragraph("时间线", h2),
        table([["演练时间", "类别", "事件", "说明"]] + [
            [format_drill_time(t.at_s), "注入" if t.kind == "inject" else "处置", t.title,
             t.detail] for t in report.timeline],
            [22 * mm, 14 * mm, 70 * mm, 66 * mm]),
        Paragraph("经验教训", h2),
    ]
    lessons = report.lessons.strip() or "（未填写）"
    story.extend(Paragraph(html.escape(line) or "&nbsp;", body) for line in lessons.splitlines())
    story.append(Spacer(1, 6 * mm))
    doc = SimpleDocTemplate(str(path), pagesize=A4, topMargin=20 * mm, bottomMargin=15 * mm,
                            leftMargin=15 * mm, rightMargin=15 * mm,
                            title=f"【演练 DRILL】{report.title}", author="desk")
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path


def write_html(report: DrillReport, path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
    return path
