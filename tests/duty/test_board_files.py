"""The board's Excel import and PDF/Excel export run on a worker thread with their own workspace
connection, show progress, and still report each bad row; failures land on the board's message."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

import desk.ui.duty.panel as panel_mod
from desk.services.duty_io import write_import_template
from tests.duty.conftest import MON
from tests.duty.test_board import H, drop, make_panel


def test_import_runs_off_the_gui_thread_and_reports_each_bad_row(
        qtbot, duty_ui, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = write_import_template(tmp_path / "in.xlsx")
    wb = load_workbook(path)
    wb["民警"].append(["赵强", "200001", "第1中队", "警长", "铁骑、夜查", "", 40])
    wb["民警"].append(["", "200002", "第1中队", "", "", "", None])
    wb["民警"].append(["钱红", "200003", "不存在中队", "", "开飞机", "", None])
    wb["岗位"].append(["如意湖岗", "路口岗", "第1中队", "如意湖", 34.77, 113.73])
    wb["岗位"].append(["坏岗", "不知道", "第1中队", "", 134.77, 113.73])
    wb.save(path)
    seen: dict[str, Any] = {}
    steps: list[tuple[int, int]] = []
    real = panel_mod.import_xlsx

    def recording(service, p, progress=None):  # type: ignore[no-untyped-def]
        seen["thread"] = threading.get_ident()
        seen["workspace"] = service.ws

        def relay(done: int, total: int) -> None:
            steps.append((done, total))
            progress(done, total)

        return real(service, p, progress=relay)

    monkeypatch.setattr(panel_mod, "import_xlsx", recording)
    panel = make_panel(qtbot, duty_ui)
    panel.path_provider = lambda _t, _f, _s: str(path)
    with qtbot.waitSignal(panel.sig_file_job_finished, timeout=30_000) as blocker:
        job = panel.import_excel()
        assert job is not None
        assert not panel.progress.isHidden()  # busy while the worker runs
        assert not any(a.isEnabled() for a in panel.file_actions)
    report = blocker.args[0]
    gui = threading.get_ident()
    assert seen["thread"] != gui and job.thread_ident == seen["thread"]
    assert seen["workspace"] is not duty_ui.workspace  # the worker's own connection
    assert panel.progress.isHidden() and all(a.isEnabled() for a in panel.file_actions)
    assert steps and steps[-1][0] == steps[-1][1]  # progress reported up to done
    # Per-row errors, as before, in the 导入结果 tab.
    errors = [panel.import_model.index(r, 0).data()
              for r in range(panel.import_model.rowCount())]
    assert errors == [str(e) for e in report.errors]
    assert errors[0] == "「民警」第 3 行：姓名为空"
    assert "第 4 行" in errors[1] and "单位「不存在中队」不存在" in errors[1]
    assert "「岗位」第 3 行" in errors[2] and "未知岗位类型「不知道」" in errors[2]
    assert panel.tabs.currentIndex() == 4
    # Good rows landed in the board's workspace and the board re-read them.
    assert duty_ui.workspace.db.execute(
        "SELECT name FROM officers WHERE badge = '200001'").fetchone()[0] == "赵强"
    assert any(o.name == "赵强" for o in panel.plan.roster.officers.values())
    assert any(p.name == "如意湖岗" for p in panel.plan.roster.posts.values())
    assert "3 行有错误未导入" in panel.banner.text()


def test_export_pdf_and_excel_off_the_gui_thread(qtbot, duty_ui,
                                                 tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    panel = make_panel(qtbot, duty_ui)
    panel.set_day(MON)
    post = next(p for p in panel.timeline.posts if p.kind == "intersection")
    officer = next(o for o in panel.plan.roster.officers.values()
                   if o.station_id == post.station_id)
    drop(panel, officer.id, post.id, MON + 8 * H)
    panel.station_combo.setCurrentIndex(panel.station_combo.findData(post.station_id))
    for kind in ("pdf", "xlsx"):
        out = tmp_path / f"roster.{kind}"
        panel.path_provider = lambda _t, _f, _s, out=out: str(out)  # type: ignore[misc]
        with qtbot.waitSignal(panel.sig_file_job_finished, timeout=30_000) as blocker:
            job = panel.export(kind)
            assert job is not None and not panel.progress.isHidden()
        assert blocker.args[0] == (1, str(out))
        assert job.thread_ident is not None and job.thread_ident != threading.get_ident()
        assert out.exists() and out.stat().st_size > 0
        assert "已导出 1 条排班" in panel.banner.text()
    assert (tmp_path / "roster.pdf").read_bytes()[:4] == b"%PDF"
    wb = load_workbook(tmp_path / "roster.xlsx")
    cells = [str(c) for row in wb.active.iter_rows(values_only=True)  # type: ignore[union-attr]
             for c in row if c]
    assert any(officer.name in c for c in cells)


def test_export_failure_is_reported_not_raised(qtbot, duty_ui,
                                               tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    panel = make_panel(qtbot, duty_ui)
    panel.station_combo.setCurrentIndex(1)
    bad = tmp_path / "no-such-dir" / "x.pdf"
    panel.path_provider = lambda _t, _f, _s: str(bad)
    with qtbot.waitSignal(panel.sig_file_job_finished, timeout=30_000) as blocker:
        assert panel.export("pdf") is not None
    assert blocker.args[0] is None
    assert "导出失败" in panel.banner.text()
    assert all(a.isEnabled() for a in panel.file_actions) and panel.progress.isHidden()
