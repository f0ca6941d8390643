"""The application shell through the real window: an operator at the desk, 交接班 without a
restart, 打开工作区 switching in place (jobs stopped and restarted), and the status bar's view
of the runtime's jobs."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from desk.app.jobs import JobState
from desk.ui.app import LaunchOptions, Shell


@pytest.fixture
def shell(qapp: Any, demo_city_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DESK_DATA_DIR", str(tmp_path / "data"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ini"))
    options = LaunchOptions(demo=False, quit_after_s=600.0,
                            settings={"accidents.demo_stream": False, "alerts.watchdog_first_ms": 0})
    made = Shell(qapp, options)
    yield made
    made.close()


def _copy(demo_city_file: Path, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    shutil.copyfile(demo_city_file, path)
    return path


def test_operator_handover_and_switching_workspaces(shell: Shell, demo_city_file: Path, tmp_path: Path,
                                                    qtbot: Any, artifacts_dir: Path) -> None:
    first = _copy(demo_city_file, tmp_path, "station-a.sqlite")
    assert shell.open(first, first=True)
    window, ui = shell.window, shell.ui
    qtbot.addWidget(window)
    runtime = ui.runtime
    assert runtime.started and runtime.operator is not None
    assert "演示调度员" in window.operator_label.text()
    # The jobs run in the runtime and the status bar says so.
    qtbot.waitUntil(lambda: runtime.job_state("watchdog") is JobState.RUNNING, timeout=10_000)
    assert "后台任务" in window.jobs_widget.text()
    assert "值守巡检" in window.jobs_widget.toolTip()

    def fill_handover() -> None:
        dialog = window.handover_dialog
        dialog.badge.setText("010567")
        dialog.name.setText("李娜")
        dialog.note.setPlainText("金水路隧道积水未退，已封闭")
        dialog.accept()

    QTimer.singleShot(200, fill_handover)
    assert window.handover()
    assert ui.app.actor == "010567 李娜"
    assert "李娜" in window.operator_label.text()
    shifts = runtime.operators.history()
    assert shifts[0].operator.name == "李娜" and shifts[1].handover_note == "金水路隧道积水未退，已封闭"
    window.grab().save(str(artifacts_dir / "shell_after_handover.png"))

    second = _copy(demo_city_file, tmp_path, "station-b.sqlite")
    assert window.open_workspace(str(second))
    assert shell.window is not window and shell.ws.path == second
    qtbot.addWidget(shell.window)
    assert "station-b.sqlite" in shell.window.workspace_label.text()
    # The old workspace's jobs are all stopped, its operator signed off; the new one runs.
    assert not [h for h in runtime.health() if h.state is JobState.RUNNING]
    assert runtime.operator is None
    assert shell.ui.runtime.started and shell.ui.runtime is not runtime


def test_a_workspace_that_cannot_open_leaves_the_current_one(shell: Shell, demo_city_file: Path,
                                                              tmp_path: Path, qtbot: Any) -> None:
    assert shell.open(_copy(demo_city_file, tmp_path, "good.sqlite"), first=True)
    window = shell.window
    qtbot.addWidget(window)
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database at all" * 100)
    seen: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if box is not None:
            seen.append(box.windowTitle())
            seen.append(getattr(box, "text", lambda: "")())
            box.close()

    QTimer.singleShot(300, close_box)
    assert not window.open_workspace(str(bad))
    assert shell.window is window and shell.ws.path.name == "good.sqlite"
    assert any("损坏" in s or "不是" in s for s in seen), seen
