"""Duty files: export a station's roster of a day to Excel and to a printable Chinese PDF, and
import officers and posts from Excel with a clear error per bad row (good rows still import)."""

from __future__ import annotations

import json
import logging
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.domain.duty.model import (
    DAY_S,
    POST_KIND_LABELS,
    SKILL_LABELS,
    WEEKDAY_LABELS,
    day_start,
    to_local,
)
from desk.services.duty import DutyService

log = logging.getLogger(__name__)

OFFICER_SHEET = "民警"
POST_SHEET = "岗位"
OFFICER_COLUMNS = ("姓名", "警号", "单位", "职级", "技能", "电话", "周工时上限")
POST_COLUMNS = ("名称", "类型", "单位", "道路", "纬度", "经度")

#: ``progress(done, total)``: called from the thread doing the work (a board worker relays it).
Progress = Callable[[int, int], None]
_SKILL_BY_TEXT = {**{v: k for k, v in SKILL_LABELS.items()}, **{k: k for k in SKILL_LABELS}}
_KIND_BY_TEXT = {**{v: k for k, v in POST_KIND_LABELS.items()},
                 **{k: k for k in POST_KIND_LABELS}}


@dataclass(frozen=True, slots=True)
class RosterLine:
    post: str
    kind: str
    start: str
    end: str
    officer: str
    badge: str
    note: str


@dataclass(slots=True)
class RosterSheet:
    """What an export prints: a station's day, its state and its lines."""

    station: str
    day: int
    state_label: str
    lines: list[RosterLine]
    drill: bool = False

    @property
    def title(self) -> str:
        d = to_local(self.day)
        mark = "【演练】" if self.drill else ""
        return (f"{mark}{self.station} 勤务排班表 {d.year}年{d.month}月{d.day}日"
                f"（{WEEKDAY_LABELS[d.isoweekday()]}）· {self.state_label}")


def roster_sheet(service: DutyService, station_id: str, day: int) -> RosterSheet:
    day = day_start(day)
    names = dict(service.stations())
    officers = {o.id: o for o in service.officers()}
    posts = {p.id: p for p in service.posts(station_id)}
    rows = [a for a in service.assignments(day, day + DAY_S, station_id)
            if day <= a.start < day + DAY_S]
    rows.sort(key=lambda a: (posts[a.post_id].name if a.post_id in posts else "", a.start))
    lines = []
    for a in rows:
        p = posts.get(a.post_id)
        o = officers.get(a.officer_id)
        s, e = to_local(a.start), to_local(a.end)
        lines.append(RosterLine(
            p.name if p else a.post_id, p.kind_label if p else "", f"{s:%H:%M}",
            f"{e:%H:%M}" + ("（次日）" if day_start(a.end - 1) > day else ""),
            o.name if o else a.officer_id, o.badge if o else "", a.note))
    state = service.roster_state(station_id, day)
    return RosterSheet(names.get(station_id, station_id), day, state.label, lines,
                       service.ctx.drill)


HEADERS = ("岗位", "类型", "开始", "结束", "民警", "警号", "备注")


def export_roster_xlsx(sheet: RosterSheet, path: Path | str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "排班表"
    ws.append([sheet.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.append(list(HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for line in sheet.lines:
        ws.append([line.post, line.kind, line.start, line.end, line.officer, line.badge,
                   line.note])
    for col, width in zip("ABCDEFG", (22, 12, 8, 14, 10, 10, 24), strict=True):
        ws.column_dimensions[col].width = width
    out = Path(path)
    wb.save(out)
    log.info("duty roster exported to %s (%d lines)", out, len(sheet.lines))
    return out


def export_roster_pdf(sheet: RosterSheet, path: Path | str) -> Path:
    """A4 printable roster in Chinese (reportlab's built-in CID font STSong-Light needs no file)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    out = Path(path)
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=sheet.title)
    title = ParagraphStyle("t", fontName=font, fontSize=15, leading=20)
    small = ParagraphStyle("s", fontName=font, fontSize=9, leading=12)
    data: list[list[Any]] = [list(HEADERS)]
    for line in sheet.lines:
        data.append([line.post, line.kind, line.start, line.end, line.officer, line.badge,
                     Paragraph(line.note, small) if line.note else ""])
    if not sheet.lines:
        data.append(["（当日无排班）", "", "", "", "", "", ""])
    table = Table(data, repeatRows=1,
                  colWidths=[45 * mm, 22 * mm, 15 * mm, 24 * mm, 20 * mm, 20 * mm, 34 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 10),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story = [Paragraph(sheet.title, title), Spacer(1, 4 * mm), table, Spacer(1, 6 * mm),
             Paragraph("值班领导签字：__________　　　打印时间以系统记录为准", small)]
    doc.build(story)
    log.info("duty roster PDF written to %s", out)
    return out


# -- import ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowError:
    sheet: str
    row: int  # 1-based row number as Excel shows it
    message: str

    def __str__(self) -> str:
        return f"「{self.sheet}」第 {self.row} 行：{self.message}"


@dataclass(slots=True)
class ImportReport:
    officers_added: int = 0
    officers_updated: int = 0
    posts_added: int = 0
    posts_updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        text = (f"民警：新增 {self.officers_added}，更新 {self.officers_updated}；"
                f"岗位：新增 {self.posts_added}，更新 {self.posts_updated}")
        if self.errors:
            text += f"；{len(self.errors)} 行有错误未导入"
        return text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _float(value: Any) -> float | None:
    if value is None or _text(value) == "":
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def write_import_template(path: Path | str) -> Path:
    """An empty workbook with the two sheets and their headers, for chiefs to fill in."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = OFFICER_SHEET
    ws.append(list(OFFICER_COLUMNS))
    ws2 = wb.create_sheet(POST_SHEET)
    ws2.append(list(POST_COLUMNS))
    out = Path(path)
    wb.save(out)
    return out


def import_xlsx(service: DutyService, path: Path | str,
                progress: Progress | None = None) -> ImportReport:
    """Import the 民警 and 岗位 sheets. Officers match existing ones by 警号, posts by 名称 within
    their 单位; matches are updated, others added. Bad rows are reported and skipped; the good
    rows are written in one transaction. ``progress(done, total)`` counts checked rows (+1 for
    the write); it runs on the caller's thread."""
    from openpyxl import load_workbook

    report = ImportReport()
    try:
        wb = load_workbook(Path(path), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        log.warning("duty import: cannot read %s: %s", path, exc)
        report.errors.append(RowError("文件", 0, f"无法读取 Excel 文件：{exc}"))
        return report
    db = service.ws.db
    stations = {str(r[0]): str(r[0]) for r in db.execute("SELECT id FROM stations")}
    stations.update({str(r[1]): str(r[0]) for r in db.execute("SELECT id, name FROM stations")})
    by_badge = {str(r[1]): str(r[0]) for r in db.execute("SELECT id, badge FROM officers")
                if r[1]}
    posts_by_key = {(str(r[1]), str(r[2])): str(r[0]) for r in db.execute(
        "SELECT id, name, station_id FROM duty_posts")}
    profiles = {str(r[0]) for r in db.execute("SELECT id FROM duty_officer_profiles")}
    officer_rows: list[tuple[str, dict[str, Any], float | None, bool]] = []
    post_rows: list[tuple[str, dict[str, Any], bool]] = []
    # The sheets' sizes bound the work; read-only workbooks may not know them (then 0: busy bar).
    total = sum(int(getattr(wb[name], "max_row", 0) or 0) for name in (OFFICER_SHEET, POST_SHEET)
                if name in wb.sheetnames) + 1
    done = 0

    def tick(force: bool = False) -> None:
        nonlocal done
        done += 1
        if progress is not None and (force or done % 50 == 0):
            progress(min(done, total - 1), total)

    if OFFICER_SHEET in wb.sheetnames:
        seen: set[str] = set()
        for n, row in _rows(wb[OFFICER_SHEET], OFFICER_COLUMNS, report):
            tick()
            errs = []
            name, badge, station = _text(row["姓名"]), _text(row["警号"]), _text(row["单位"])
            if not name:
                errs.append("姓名为空")
            if not badge:
                errs.append("警号为空")
            elif badge in seen:
                errs.append(f"警号 {badge} 在文件中重复")
            if station not in stations:
                errs.append(f"单位「{station}」不存在")
            skills = []
            for token in re.split(r"[、,，;；/\s]+", _text(row["技能"])):
                if not token:
                    continue
                if token not in _SKILL_BY_TEXT:
                    errs.append(f"未知技能「{token}」（可用：{'、'.join(SKILL_LABELS.values())}）")
                else:
                    skills.append(_SKILL_BY_TEXT[token])
            hours = _float(row["周工时上限"])
            if _text(row["周工时上限"]) and (hours is None or not 0 < hours <= 84):
                errs.append("周工时上限应为 1–84 之间的数字")
            if errs:
                report.errors.append(RowError(OFFICER_SHEET, n, "；".join(errs)))
                continue
            seen.add(badge)
            oid = by_badge.get(badge, f"off-{badge}")
            record = {"id": oid, "name": name, "badge": badge, "station_id": stations[station],
                      "rank": _text(row["职级"]), "skills": json.dumps(sorted(set(skills))),
                      "phone": _text(row["电话"])}
            officer_rows.append((oid, record, hours, badge in by_badge))
    if POST_SHEET in wb.sheetnames:
        seen_posts: set[tuple[str, str]] = set()
        for n, row in _rows(wb[POST_SHEET], POST_COLUMNS, report):
            tick()
            errs = []
            name, kind_text, station = _text(row["名称"]), _text(row["类型"]), _text(row["单位"])
            if not name:
                errs.append("名称为空")
            kind = _KIND_BY_TEXT.get(kind_text)
            if kind is None:
                errs.append(f"未知岗位类型「{kind_text}」（可用：{'、'.join(POST_KIND_LABELS.values())}）")
            if station not in stations:
                errs.append(f"单位「{station}」不存在")
            lat, lon = _float(row["纬度"]), _float(row["经度"])
            if lat is None or not -90 <= lat <= 90:
                errs.append("纬度应为 -90–90 之间的数字")
            if lon is None or not -180 <= lon <= 180:
                errs.append("经度应为 -180–180 之间的数字")
            key = (name, stations.get(station, ""))
            if key in seen_posts:
                errs.append(f"岗位「{name}」在文件中重复")
            if errs:
                report.errors.append(RowError(POST_SHEET, n, "；".join(errs)))
                continue
            seen_posts.add(key)
            pid = posts_by_key.get(key) or f"post-{uuid.uuid4().hex[:12]}"
            post_rows.append((pid, {"id": pid, "name": name, "kind": kind,
                                    "station_id": stations[station], "road": _text(row["道路"]),
                                    "lat": lat, "lon": lon}, key in posts_by_key))
    wb.close()
    tick(force=True)
    with service.ws.write(service.ctx.actor, origin=service) as tx:
        for oid, record, hours, exists in officer_rows:
            if exists:
                tx.update("officers", oid, {k: v for k, v in record.items() if k != "id"})
                report.officers_updated += 1
            else:
                tx.insert("officers", {**record, "unit_id": None, "on_duty": 0})
                report.officers_added += 1
            if hours is not None:
                if oid in profiles:
                    tx.update("duty_officer_profiles", oid, {"max_week_hours": hours})
                else:
                    tx.insert("duty_officer_profiles", {"id": oid, "max_week_hours": hours,
                                                        "avoid_night": 0, "avoid_weekdays": "[]"})
                    profiles.add(oid)
        for pid, record, exists in post_rows:
            if exists:
                tx.update("duty_posts", pid, {k: v for k, v in record.items() if k != "id"})
                report.posts_updated += 1
            else:
                tx.insert("duty_posts", record)
                report.posts_added += 1
    if progress is not None:
        progress(total, total)
    for err in report.errors:
        log.warning("duty import: %s", err)
    log.info("duty import from %s: %s", path, report.summary())
    return report


def _rows(sheet: Any, columns: tuple[str, ...],
          report: ImportReport) -> list[tuple[int, dict[str, Any]]]:
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return []
    header = [_text(c) for c in rows[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        report.errors.append(RowError(sheet.title, 1, f"缺少列：{'、'.join(missing)}"))
        return []
    idx = {c: header.index(c) for c in columns}
    out = []
    for n, values in enumerate(rows[1:], start=2):
        if all(_text(v) == "" for v in values):
            continue
        out.append((n, {c: values[i] if i < len(values) else None for c, i in idx.items()}))
    return out


__all__ = ["ImportReport", "Progress", "RosterSheet", "RowError", "export_roster_pdf", "export_roster_xlsx",
           "import_xlsx", "roster_sheet", "write_import_template"]
