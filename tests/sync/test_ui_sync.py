"""The sync status-bar widget and its dialogs against a real central: local mode, the question
before a first upload, live counts, conflicts picked by a person, rejected ops, the offline switch
and the initial-sync progress bar."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from desk.central.storage import SqliteCentralStore
from desk.services.context import AppContext
from desk.store import Workspace
from desk.ui.bus import QtChangeBus
from desk.ui.context import UiContext
from desk.ui.feed import FeedHub
from desk.ui.sync.status import SyncStatusWidget
from tests.sync.conftest import Rig, seed_city


@pytest.fixture(autouse=True)
def _look(qapp) -> None:  # type: ignore[no-untyped-def]
    from desk.ui.app import apply_look

    apply_look(qapp)


def make_ui(ws: Workspace, settings: dict[str, str]) -> UiContext:
    app = AppContext(workspace=ws, actor="调度员甲", settings=dict(settings))
    return UiContext(app, QtChangeBus(ws.bus), FeedHub(ws))


@pytest.fixture
def window(qtbot) -> Iterator[QMainWindow]:  # type: ignore[no-untyped-def]
    win = QMainWindow()
    win.resize(1100, 120)
    qtbot.addWidget(win)
    yield win


def mount(window: QMainWindow, widget: SyncStatusWidget) -> None:
    window.statusBar().addPermanentWidget(widget)
    window.show()


def test_local_mode_never_touches_the_network(workspace: Workspace, window, qtbot,
                                              artifacts_dir: Path) -> None:
    ui = make_ui(workspace, {})
    widget = SyncStatusWidget(ui)
    mount(window, widget)
    assert "本地模式" in widget.state.text()
    assert widget.controller is None and not widget.offline.isVisible()
    with workspace.write("x") as tx:
        tx.insert("stations", {"id": "S1", "name": "一中队"})
    qtbot.wait(50)
    assert workspace.count("sync_outbox") == 0  # no outbox grows without a central
    window.grab().save(str(artifacts_dir / "sync_status_local.png"))


def test_status_widget_end_to_end(rig: Rig, window, qtbot, artifacts_dir: Path) -> None:
    ws = rig.workspace("gui", enable=False)
    seed_city(ws)
    token = rig.token("调度员甲")
    ui = make_ui(ws, {"central_url": rig.url, "central_token": token})
    widget = SyncStatusWidget(ui)
    widget.controller.interval = 0.3  # type: ignore[union-attr]
    mount(window, widget)
    ui.runtime.start()  # the app starts the runtime's jobs (sync among them) once the window shows
    try:
        # A workspace with data meeting an empty central: desk asks before anything.
        qtbot.waitUntil(lambda: widget.decision_dialog is not None, timeout=15000)
        dialog = widget.decision_dialog
        assert dialog is not None and "没有任何数据" in dialog.message.text()
        dialog.grab().save(str(artifacts_dir / "sync_decision_dialog.png"))
        assert ws.count("cameras") == 20
        qtbot.mouseClick(dialog.btn_upload, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "在线" in widget.state.text() and widget.pending.text() == "待同步 0",
                        timeout=20000)
        assert rig_counts(rig) == {"stations": 2, "units": 4, "cameras": 20}

        # A local edit is pushed without waiting for the interval.
        with ws.write("调度员甲") as tx:
            tx.update("cameras", "C3", {"name": "卡口3(改)"})
        qtbot.waitUntil(lambda: central_name(rig, "C3") == "卡口3(改)", timeout=10000)

        # Another workstation changes a unit's status; we change it differently: a conflict.
        other = rig.workspace("other")
        eo = rig.engine(other)
        eo.sync_once()
        widget.offline.setChecked(True)  # work offline while the other side edits
        assert widget.controller is not None and not widget.controller.running
        assert "离线工作" in widget.state.text()
        with other.write("调度员乙") as tx:
            tx.update("units", "U2", {"status": "dispatched"})
        eo.sync_once()
        with ws.write("调度员甲") as tx:
            tx.update("units", "U2", {"status": "on_scene"})
        # A value the central would refuse is refused here, at once, by the same cap.
        with pytest.raises(sqlite3.IntegrityError), ws.write("调度员甲") as tx:
            tx.update("units", "U1", {"call_sign": "超长" * 6000})
        qtbot.wait(400)
        assert widget.pending.text() == "待同步 1"  # kept locally, nothing sent
        widget.offline.setChecked(False)
        qtbot.waitUntil(lambda: widget.conflicts.text() == "冲突 1", timeout=15000)
        assert widget.rejected.text() == "被拒绝 0"
        window.grab().save(str(artifacts_dir / "sync_status_online.png"))

        lists = widget.open_lists()
        assert lists.tabs.tabText(1) == "被拒绝 (0)" and lists.tabs.tabText(2) == "冲突 (1)"
        row = [lists.conflict_table.item(0, c).text() for c in range(5)]
        assert row == ["警力", "U2", "状态", "到场（on_scene）", "已派（dispatched）"]
        lists.tabs.setCurrentIndex(2)
        lists.grab().save(str(artifacts_dir / "sync_lists_dialog.png"))
        lists.conflict_table.selectRow(0)
        qtbot.mouseClick(lists.btn_keep_server, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: widget.conflicts.text() == "冲突 0", timeout=5000)
        assert ws.db["units"].get("U2")["status"] == "dispatched"
        lists.close()
    finally:
        widget.shutdown()
        ui.runtime.stop()


def test_initial_sync_shows_progress(rig: Rig, window, qtbot, tmp_path: Path) -> None:
    store = SqliteCentralStore(rig.proc.db)
    store.bulk_load("live", "cameras", (
        {"id": f"K{i:05d}", "name": f"卡口{i}", "road": "中州大道", "lat": 34.7, "lon": 113.6}
        for i in range(12_000)))
    store.close()
    ws = rig.workspace("fresh", enable=False)
    ui = make_ui(ws, {"central_url": rig.url, "central_token": rig.token("新席位")})
    seen: list[tuple[int, int, bool]] = []
    widget = SyncStatusWidget(ui)
    assert widget.controller is not None
    ui.feed.sig_sync_progress.connect(
        lambda d, t: seen.append((d, t, widget.progress.isVisible())))
    mount(window, widget)
    ui.runtime.start()
    try:
        qtbot.waitUntil(lambda: ws.count("cameras") == 12_000, timeout=30000)
        qtbot.waitUntil(lambda: not widget.progress.isVisible() and seen and seen[-1][0] == seen[-1][1],
                        timeout=10000)
    finally:
        widget.shutdown()
        ui.runtime.stop()
    assert any(d < t and visible for d, t, visible in seen)


def rig_counts(rig: Rig) -> dict[str, int]:
    import httpx

    r = httpx.get(rig.url + "/counts", headers={"Authorization": f"Bearer {rig.admin}"})
    return dict(r.json()["counts"])


def central_name(rig: Rig, camera: str) -> str | None:
    import sqlite3

    conn = sqlite3.connect(rig.proc.db)
    try:
        row = conn.execute("SELECT data FROM records WHERE entity='cameras' AND id=?",
                           [camera]).fetchone()
    finally:
        conn.close()
    import json

    return None if row is None else json.loads(row[0]).get("name")
