"""The duty board in the real main window on the demo city, at the two screen sizes dispatchers
use (1920×1080 and 1366×768): every tool visible in its dock, and the screenshots saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QToolButton

from desk.ui.main_window import MainWindow

SIZES = [((1920, 1080), "1920×1080"), ((1366, 768), "1366×768")]


@pytest.mark.parametrize(("size", "why"), SIZES, ids=[c[1] for c in SIZES])
def test_board_tools_visible_in_the_window(qtbot, ui_context, tmp_path: Path, qapp,  # type: ignore[no-untyped-def]
                                           artifacts_dir: Path, size: tuple[int, int],
                                           why: str) -> None:
    from desk.ui.app import apply_look

    apply_look(qapp, "zh")
    window = MainWindow(ui_context, QSettings(str(tmp_path / "desk.ini"),
                                              QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.show_panel("duty")
    qtbot.wait(300)
    board = window.panels["duty"]
    assert board.isVisible(), why
    bar = board.toolbar
    buttons = {b.text(): b for b in bar.findChildren(QToolButton)}
    for name in ("发布", "导出PDF", "导出Excel", "导入Excel", "撤销", "自动排班", "排班设置"):
        b = buttons[name]
        assert b.isVisible() and bar.rect().contains(b.geometry()), (why, name)
        assert board.rect().contains(b.mapTo(board, b.rect().bottomRight())), (why, name)
    window.grab().save(str(artifacts_dir / f"duty_board_window_{size[0]}x{size[1]}.png"))
