"""The board's tools at real window sizes: nothing hidden behind an overflow arrow, 发布 asks
first (naming how many stations and assignments), and the screenshots people look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QToolButton

from desk.domain.duty import AddAssignment, Assignment
from desk.ui.duty import DutyBoardPanel
from tests.duty.conftest import MON

H = 3600

# (window size, the board's size in it, what the case is)
SIZES = [
    ((1920, 1080), (1920, 1040), "全屏 1920×1080（勤务板拖到副屏）"),
    ((1366, 768), (1366, 728), "1366×768 笔记本全屏"),
    ((1920, 1080), (650, 1000), "1920×1080 主窗口右侧停靠栏（34%）"),
    ((1366, 768), (465, 700), "1366×768 主窗口右侧停靠栏（34%）"),
]


@pytest.mark.parametrize(("window", "size", "why"), SIZES, ids=[c[2] for c in SIZES])
def test_every_tool_is_visible(qtbot, duty_ui, dark, artifacts_dir: Path,  # type: ignore[no-untyped-def]
                               window: tuple[int, int], size: tuple[int, int], why: str) -> None:
    panel = DutyBoardPanel(duty_ui)
    qtbot.addWidget(panel)
    panel.resize(*size)
    panel.show()
    qtbot.waitExposed(panel)
    bar = panel.toolbar.rect()
    buttons = panel.toolbar.findChildren(QToolButton)
    texts = {b.text() for b in buttons}
    assert {"发布", "导出PDF", "导出Excel", "导入Excel", "撤销", "重做", "自动排班"} <= texts, why
    for b in buttons:
        assert b.isVisible(), (why, b.text())
        assert bar.contains(b.geometry()), (why, b.text(), b.geometry(), bar)
    # The tools wrap instead of overflowing: a narrow dock takes more rows, never hides any.
    if size[0] < 700:
        assert panel.tools_layout.rows() >= 2, why
    name = f"duty_board_{window[0]}x{window[1]}_{size[0]}w.png"
    panel.grab().save(str(artifacts_dir / name))


def test_publish_asks_with_the_count_and_cancel_publishes_nothing(qtbot, duty_ui) -> None:  # type: ignore[no-untyped-def]
    panel = DutyBoardPanel(duty_ui)
    qtbot.addWidget(panel)
    posts = panel.timeline.posts
    officers = sorted(panel.plan.roster.officers.values(), key=lambda o: o.id)
    for i, o in enumerate(officers[:3]):
        p = next(p for p in posts if p.station_id == o.station_id)
        panel.push(AddAssignment(Assignment(f"t{i}", o.id, p.id, MON + (i + 12) * H,
                                            MON + (i + 13) * H)))
    asked: list[str] = []
    panel.confirm_provider = lambda q: asked.append(q) or False  # type: ignore[func-returns-value]
    assert panel.publish() is False
    assert len(asked) == 1 and "全部 2 个单位" in asked[0] and "共 3 条" in asked[0]
    assert "11月16日起一周" in asked[0]
    assert duty_ui.workspace.count("duty_rosters", "state = 'published'") == 0
    assert "已取消" in panel.banner.text()
    panel.confirm_provider = lambda _q: True
    assert panel.publish() is True
    assert duty_ui.workspace.count("duty_rosters", "state = 'published'") == 2


def test_english_board_says_undo_not_cancel(qtbot, duty_ui, qapp) -> None:  # type: ignore[no-untyped-def]
    """--lang en: the board's 撤销 is "Undo" (the accident form's 撤销 stays "Cancel")."""
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(Path(__file__).resolve().parents[2] / "resources" / "i18n"
                               / "desk_en.qm"))
    qapp.installTranslator(translator)
    try:
        panel = DutyBoardPanel(duty_ui)
        qtbot.addWidget(panel)
        texts = {b.text() for b in panel.toolbar.findChildren(QToolButton)}
        assert {"Undo", "Redo", "Publish"} <= texts
        assert "Cancel" not in texts
    finally:
        qapp.removeTranslator(translator)
