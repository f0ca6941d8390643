"""Excel/PDF export of a station's day and Excel import with per-row errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from desk.domain.duty import AddAssignment, Assignment
from desk.domain.duty.model import date_start
from desk.services.context import AppContext
from desk.services.duty import DutyService
from desk.services.duty_io import (
    export_roster_pdf,
    export_roster_xlsx,
    import_xlsx,
    roster_sheet,
    write_import_template,
)
from desk.store import Workspace
from tests.duty.factory import build_city

MON = date_start(date(2026, 11, 16))
H = 3600


def make_service(ws: Workspace) -> DutyService:
    build_city(ws, stations=1, officers=4, posts=2)
    service = AppContext(workspace=ws).service(DutyService)
    service.ensure_defaults()
    return service


def test_export_day_to_excel_and_pdf(workspace: Workspace, tmp_path: Path,
                                     artifacts_dir: Path) -> None:
    duty = make_service(workspace)
    plan = duty.open_week(MON)
    plan.apply(AddAssignment(Assignment("a1", "off-0001", "post-001", MON + 7 * H, MON + 9 * H)))
    plan.apply(AddAssignment(Assignment("a2", "off-0002", "post-002", MON + 21 * H, MON + 26 * H,
                                        note="夜查酒驾")))
    duty.publish("st-01", MON)
    sheet = roster_sheet(duty, "st-01", MON + 3 * H)
    assert "已发布" in sheet.title and "第1中队" in sheet.title
    xlsx = export_roster_xlsx(sheet, tmp_path / "roster.xlsx")
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[1][:5] == ("岗位", "类型", "开始", "结束", "民警")
    assert rows[2][2:4] == ("07:00", "09:00")
    assert rows[3][3] == "02:00（次日）" and rows[3][6] == "夜查酒驾"
    pdf = export_roster_pdf(sheet, artifacts_dir / "duty_roster.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"STSong-Light" in data


def test_import_reports_each_bad_row_and_keeps_good_ones(workspace: Workspace,
                                                         tmp_path: Path) -> None:
    duty = make_service(workspace)
    path = write_import_template(tmp_path / "in.xlsx")
    wb = load_workbook(path)
    wb["民警"].append(["赵强", "200001", "第1中队", "警长", "铁骑、夜查", "", 40])
    wb["民警"].append(["", "200002", "第1中队", "", "", "", None])
    wb["民警"].append(["钱红", "200003", "不存在中队", "", "开飞机", "", None])
    wb["民警"].append(["孙亮", "100000", "st-01", "", "car", "", None])  # updates off-0001
    wb["岗位"].append(["如意湖岗", "路口岗", "第1中队", "如意湖", 34.77, 113.73])
    wb["岗位"].append(["坏岗", "不知道", "第1中队", "", 134.77, 113.73])
    wb.save(path)
    report = import_xlsx(duty, path)
    assert (report.officers_added, report.officers_updated, report.posts_added) == (1, 1, 1)
    messages = [str(e) for e in report.errors]
    assert messages[0] == "「民警」第 3 行：姓名为空"
    assert "第 4 行" in messages[1] and "单位「不存在中队」不存在" in messages[1]
    assert "未知技能「开飞机」" in messages[1]
    assert "「岗位」第 3 行" in messages[2] and "未知岗位类型「不知道」" in messages[2]
    assert "纬度" in messages[2]
    row = workspace.db.execute("SELECT name, skills FROM officers WHERE badge = '200001'").fetchone()
    assert row[0] == "赵强" and set(json.loads(row[1])) == {"motorcycle", "night_check"}
    assert workspace.db.execute("SELECT name FROM officers WHERE id = 'off-0001'").fetchone()[0] \
        == "孙亮"
    prof = workspace.db.execute("SELECT max_week_hours FROM duty_officer_profiles").fetchall()
    assert prof == [(40.0,)]


def test_import_rejects_a_file_that_is_not_excel(workspace: Workspace, tmp_path: Path) -> None:
    duty = make_service(workspace)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    report = import_xlsx(duty, bad)
    assert report.errors and "无法读取" in report.errors[0].message
    wb = Workbook()
    wb.active.title = "民警"  # type: ignore[union-attr]
    wb.active.append(["姓名"])  # type: ignore[union-attr]
    wb.save(tmp_path / "cols.xlsx")
    report = import_xlsx(duty, tmp_path / "cols.xlsx")
    assert "缺少列" in report.errors[0].message
