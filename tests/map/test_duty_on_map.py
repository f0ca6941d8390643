"""一张图 on the live map: duty posts coloured by staffing now (DutyService.staffing_now), recoloured
when assignments change and when bands start or end; a post clicked on the map opens on the duty
board (its dock raised); an officer selected on the board is ringed on the map with their unit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

from desk.domain.duty.edits import AddAssignment, RemoveAssignment
from desk.domain.duty.model import Assignment, date_start
from desk.services.duty import DutyService
from desk.ui.map.data import POST_STAFFING, POST_STAFFING_COLORS
from tests.map.conftest import LOAD_TIMEOUT_MS, run_js, wait_js

#: A Tuesday, 08:00 CST: inside the 早高峰 band (intersection posts need 2, 白班 needs 1 from 09:00).
TUE = date_start(date(2026, 11, 17))
H = 3600

EXPECTED_COLOR = dict(zip(POST_STAFFING, POST_STAFFING_COLORS, strict=True))


@dataclass
class DutyMap:
    ui: Any
    panel: Any
    duty: DutyService
    clock: list[float]
    posts: dict[str, list[str]]  # kind → post ids (with a position), sorted
    officers: list[tuple[str, str]]  # (officer id, unit id) of officers whose unit has a fix
    added: dict[str, list[Assignment]] = field(default_factory=dict)

    def assign(self, officer: str, post: str, start: int, end: int) -> Assignment:
        a = Assignment(self.duty.new_id(), officer, post, start, end)
        self.duty.open_week(start, None).apply(AddAssignment(a))
        self.added.setdefault(post, []).append(a)
        return a

    def unassign(self, a: Assignment) -> None:
        self.duty.open_week(a.start, None).apply(RemoveAssignment(a))


def page_staffing(qtbot: Any, view: Any) -> dict[str, dict[str, Any]]:
    return run_js(qtbot, view, "deskMap.postStaffing()")  # type: ignore[no-any-return]


def expected_fills(dm: DutyMap) -> dict[str, str]:
    """Every post on the map → the colour its staffing_now (absent = not needed) calls for."""
    staffing = dm.duty.staffing_now()
    return {pid: EXPECTED_COLOR[staffing.get(pid, "none")]
            for ids in dm.posts.values() for pid in ids}


def fills(page: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {pid: v["fill"] for pid, v in page.items()}


def _open_map(ui: Any, qtbot: Any, qapp: Any) -> Any:
    from desk.ui.app import apply_look
    from desk.ui.map.panel import MapPanel

    apply_look(qapp)
    panel = MapPanel(ui)
    qtbot.addWidget(panel)
    panel.resize(1280, 900)
    with qtbot.waitSignal(panel.sig_loaded, timeout=LOAD_TIMEOUT_MS):
        panel.show()
    return panel


@pytest.fixture
def duty_map(ui_context: Any, qtbot: Any, qapp: Any) -> Iterator[DutyMap]:
    """The demo city at Tuesday 08:00 with duty defaults, a few assignments seeded through
    DutyService, and a loaded map."""
    clock = [float(TUE + 8 * H)]
    ui_context.app.clock = lambda: clock[0]
    duty = ui_context.app.service(DutyService)
    assert duty.ensure_defaults() > 0
    db = ui_context.workspace.db
    posts: dict[str, list[str]] = {}
    for pid, kind in db.execute("SELECT id, kind FROM duty_posts WHERE lat IS NOT NULL ORDER BY id"):
        posts.setdefault(str(kind), []).append(str(pid))
    officers = [(str(r[0]), str(r[1])) for r in db.execute(
        "SELECT o.id, o.unit_id FROM officers o JOIN units u ON u.id = o.unit_id "
        "WHERE u.lat IS NOT NULL ORDER BY o.id")]
    dm = DutyMap(ui_context, None, duty, clock, posts, officers)
    inter = posts["intersection"]
    am = (TUE + 7 * H, TUE + 9 * H)
    # Full (2 of 2) at two posts, short (1 of 2) at two, the rest of the intersections empty.
    for k, post in enumerate(inter[:2]):
        dm.assign(officers[2 * k][0], post, *am)
        dm.assign(officers[2 * k + 1][0], post, *am)
    for k, post in enumerate(inter[2:4]):
        dm.assign(officers[10 + k][0], post, *am)
    dm.panel = _open_map(ui_context, qtbot, qapp)
    yield dm
    dm.panel.shutdown()


def test_posts_are_coloured_by_staffing_now_and_follow_changes(duty_map: DutyMap, qtbot: Any) -> None:
    dm = duty_map
    view = dm.panel.view
    inter = dm.posts["intersection"]
    night = dm.posts["night_check"][0]
    room = dm.posts["police_room"][0]
    staffing = dm.duty.staffing_now()
    assert [staffing.get(p) for p in inter[:5]] == ["full", "full", "short", "short", "empty"]
    assert night not in staffing and room not in staffing  # 夜查 and 白班 do not run at 08:00

    assert run_js(qtbot, view, "deskMap.postPalette") == list(POST_STAFFING_COLORS)  # the legend's
    page = page_staffing(qtbot, view)
    assert len(page) == sum(len(v) for v in dm.posts.values()) == dm.ui.workspace.count("duty_posts")
    assert fills(page) == expected_fills(dm)
    assert page[inter[0]]["fill"] != page[inter[2]]["fill"] != page[inter[4]]["fill"] != page[night]["fill"]
    # The side panel's counts agree with the page.
    counts = dm.panel.staffing_counts.text().replace("\u00a0", " ")
    n_empty = sum(1 for v in staffing.values() if v == "empty")
    assert "满岗 2" in counts and "缺员 2" in counts and f"空岗 {n_empty}" in counts
    assert "满岗" in dm.panel.staffing_legend.text() and "空岗" in dm.panel.staffing_legend.text()

    # A second officer at a short post makes it full; removing both officers of a full post
    # empties it. The ChangeSet reaches the page without a reload.
    am = (TUE + 7 * H, TUE + 9 * H)
    dm.assign(dm.officers[20][0], inter[2], *am)
    for a in dm.added[inter[0]]:
        dm.unassign(a)
    assert dm.duty.staffing_now()[inter[2]] == "full"
    assert dm.duty.staffing_now()[inter[0]] == "empty"
    wait_js(qtbot, view, "deskMap.postStaffing()",
            lambda p: p[inter[2]]["fill"] == EXPECTED_COLOR["full"]
            and p[inter[0]]["fill"] == EXPECTED_COLOR["empty"])
    assert fills(page_staffing(qtbot, view)) == expected_fills(dm)

    # Time passes: at 10:00 the morning band is over and 白班 runs (police rooms need one).
    live = dm.panel.live
    assert live._staffing_timer.isActive() and live._staffing_timer.interval() <= 60_000
    dm.clock[0] = float(TUE + 10 * H)
    assert live.refresh_staffing() > 0  # what the timer calls
    assert dm.duty.staffing_now()[room] == "empty"
    wait_js(qtbot, view, "deskMap.postStaffing()",
            lambda p: p[room]["fill"] == EXPECTED_COLOR["empty"])
    assert fills(page_staffing(qtbot, view)) == expected_fills(dm)
    assert run_js(qtbot, view, "deskMap.errors") == []


def _contains(qtbot: Any, view: Any, lat: float, lon: float) -> bool:
    return bool(run_js(qtbot, view, f"deskMap.map.getBounds().contains([{lat}, {lon}])"))


def test_board_and_map_find_each_other(duty_map: DutyMap, qtbot: Any, artifacts_dir: Path) -> None:
    """A post clicked on the map raises the board's dock and scrolls to the post; an officer chosen
    in the board's roster is ringed on the map (post of the current or next shift, and the unit)."""
    from desk.ui.duty.models import OfficerIdRole
    from desk.ui.duty.panel import DutyBoardPanel

    dm = duty_map
    ui, panel, view = dm.ui, dm.panel, dm.panel.view
    win = QMainWindow()
    qtbot.addWidget(win)
    win.resize(1900, 1000)
    win.setCentralWidget(panel)  # the map panel moves into the window; it stays loaded
    board = DutyBoardPanel(ui)
    duty_dock = QDockWidget("勤务一张图", win)
    duty_dock.setWidget(board)
    other = QDockWidget("事故快处", win)
    other.setWidget(QLabel("事故"))
    for d in (duty_dock, other):
        win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, d)
    win.tabifyDockWidget(duty_dock, other)
    win.resizeDocks([duty_dock], [720], Qt.Orientation.Horizontal)
    win.show()
    other.raise_()
    qtbot.waitUntil(lambda: duty_dock.visibleRegion().isEmpty() and not other.visibleRegion().isEmpty())

    # -- map → board: click (in the page) the last post of the board's list.
    last_post = board.timeline.posts[-1].id
    bar = board.timeline_scroll.verticalScrollBar()
    bar.setValue(0)
    i = panel.live.data.index["posts"].pos[last_post]
    with qtbot.waitSignal(ui.sig_focus_requested, timeout=10_000,
                          check_params_cb=lambda e, pid: (e, pid) == ("duty_posts", last_post)):
        run_js(qtbot, view, f"(deskMap.clicked('posts', deskMap.markers.posts[{i}]), 1)")
    qtbot.waitUntil(lambda: not duty_dock.visibleRegion().isEmpty())
    assert other.visibleRegion().isEmpty()
    assert bar.maximum() > 0 and bar.value() > 0  # scrolled down to the post's row

    # -- board → map: an officer on duty now at a post.
    inter = dm.posts["intersection"]
    officer, unit = dm.officers[2]  # on inter[1] 07:00–09:00, seeded by the fixture
    row = next(r for r in range(board.officer_model.rowCount())
               if board.officer_model.index(r, 0).data(OfficerIdRole) == officer)
    board.officer_view.setCurrentIndex(board.officer_model.index(row, 0))
    mark = wait_js(qtbot, view, "deskMap.officerMark()", lambda m: m and m["posts"] == [inter[1]])
    unit_i = panel.live.data.index["units"].pos[unit]
    assert mark["unit"] == unit_i
    at = run_js(qtbot, view, f"deskMap.unitAt({unit_i})")
    assert (mark["unitLat"], mark["unitLon"]) == (pytest.approx(at["lat"]), pytest.approx(at["lon"]))
    plat, plon = view.to_map(*ui.workspace.db.execute(
        "SELECT lat, lon FROM duty_posts WHERE id = ?", [inter[1]]).fetchone())
    qtbot.waitUntil(lambda: _contains(qtbot, view, plat, plon)
                    and _contains(qtbot, view, at["lat"], at["lon"]), timeout=10_000)
    assert "当前" in panel.officer_label.text()

    # An officer whose next shift is this evening: that post is ringed.
    later, _ = dm.officers[30]
    dm.assign(later, inter[6], TUE + 17 * H, TUE + 19 * H)
    ui.sig_focus_requested.emit("officers", later)
    wait_js(qtbot, view, "deskMap.officerMark()", lambda m: m and m["posts"] == [inter[6]])
    assert "下一班" in panel.officer_label.text()
    # Moving that shift to another post moves the ring (the plan changed under it).
    a = dm.added[inter[6]][0]
    dm.unassign(a)
    dm.assign(later, inter[7], a.start, a.end)
    wait_js(qtbot, view, "deskMap.officerMark()", lambda m: m and m["posts"] == [inter[7]])

    # An officer without any assignment: nothing ringed.
    idle = next(o for o, _ in dm.officers[40:] if not dm.duty.officer_assignments(o, TUE, TUE + 8 * 86400))
    ui.sig_focus_requested.emit("officers", idle)
    wait_js(qtbot, view, "deskMap.officerMark()", lambda m: m is None)
    assert "没有排班" in panel.officer_label.text()

    # The screenshot: the on-duty officer ringed, coloured posts around, at district zoom.
    ui.sig_focus_requested.emit("officers", officer)
    wait_js(qtbot, view, "deskMap.officerMark()", lambda m: m and m["posts"] == [inter[1]])
    qtbot.wait(1200)  # the fly animation, then the last frame reaches the widget

    win.grab().save(str(artifacts_dir / "map_duty.png"))
    assert run_js(qtbot, view, "deskMap.errors") == []
    # The window (and the map inside it) goes before the fixture's teardown: stop the map now.
    panel.shutdown()
    win.takeCentralWidget()  # hand the panel back to qtbot, which closes it itself
    board.close()
